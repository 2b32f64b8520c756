//! Preparing data: scaling, labels and one-hot, shuffling and splitting.
//! Values checked by hand, and one test per bad input with its message.

use nn::data::{self, Dataset, MinMax, Standard};
use nn::ndarray::{array, Array2, Axis};
use nn::Error;

fn labelled(labels: Array2<f64>) -> Dataset {
    let x = Array2::from_shape_fn((labels.nrows(), 1), |(i, _)| i as f64);
    Dataset::new(x, labels).unwrap()
}

// ---- scaling ----

#[test]
fn max_scale_divides_by_the_column_maximum() {
    let m = data::max_scale(&array![[8.0, 8.0], [2.0, 5.0], [7.0, 6.0]]);
    assert_eq!(m, array![[1.0, 1.0], [0.25, 0.625], [0.875, 0.75]]);
}

#[test]
fn min_max_of_a_small_matrix() {
    // column 0: min 2, max 6 → (x − 2) / 4; column 1: min −1, max 1 → (x + 1) / 2
    let x = array![[2.0, 1.0], [4.0, -1.0], [6.0, 0.0]];
    assert_eq!(
        data::min_max_scale(&x).unwrap(),
        array![[0.0, 1.0], [0.5, 0.0], [1.0, 0.5]]
    );
    let s = MinMax::fit(&x).unwrap();
    assert_eq!(s.min().to_vec(), vec![2.0, -1.0]);
    assert_eq!(s.max().to_vec(), vec![6.0, 1.0]);
}

#[test]
fn min_max_uses_the_training_statistics_on_new_rows() {
    let s = MinMax::fit(&array![[0.0], [10.0]]).unwrap();
    assert_eq!(
        s.transform(&array![[-5.0], [5.0], [20.0]]).unwrap(),
        array![[-0.5], [0.5], [2.0]]
    );
}

#[test]
fn min_max_round_trips() {
    let x = data::moons(50, 0.2, 1).unwrap().x;
    let s = MinMax::fit(&x).unwrap();
    let back = s.inverse_transform(&s.transform(&x).unwrap()).unwrap();
    assert!((&back - &x).iter().all(|v| v.abs() < 1e-12));
}

#[test]
fn a_constant_column_is_shifted_to_zero_not_divided_by_zero() {
    let x = array![[3.0, 1.0], [3.0, 2.0]];
    assert_eq!(
        data::min_max_scale(&x).unwrap().column(0).to_vec(),
        vec![0.0, 0.0]
    );
    assert_eq!(
        data::standardize(&x).unwrap().column(0).to_vec(),
        vec![0.0, 0.0]
    );
    // New rows are only shifted by the constant.
    let s = MinMax::fit(&x).unwrap();
    assert_eq!(
        s.transform(&array![[5.0, 1.0]]).unwrap(),
        array![[2.0, 0.0]]
    );
}

#[test]
fn a_constant_column_whose_mean_would_round_stays_exactly_zero() {
    // 0.1 + 0.1 + 0.1 = 0.30000000000000004, so a computed mean is not 0.1.
    let x = array![[0.1], [0.1], [0.1]];
    let s = Standard::fit(&x).unwrap();
    assert_eq!((s.mean()[0], s.std()[0]), (0.1, 0.0));
    assert_eq!(s.transform(&x).unwrap(), array![[0.0], [0.0], [0.0]]);
}

#[test]
fn standardize_gives_mean_0_and_std_1_per_column() {
    let x = array![
        [1.0, 100.0, -3.0],
        [2.0, 300.0, 0.5],
        [4.0, 200.0, 8.0],
        [9.0, 250.0, 1.0]
    ];
    let z = data::standardize(&x).unwrap();
    let mean = z.mean_axis(Axis(0)).unwrap();
    let std = z.std_axis(Axis(0), 0.0);
    for j in 0..3 {
        assert!(mean[j].abs() < 1e-15, "{mean}");
        assert!((std[j] - 1.0).abs() < 1e-15, "{std}");
    }
}

#[test]
fn standard_statistics_by_hand() {
    // [2, 4, 4, 4, 5, 5, 7, 9]: mean 5, population std 2.
    let x = array![[2.0], [4.0], [4.0], [4.0], [5.0], [5.0], [7.0], [9.0]];
    let s = Standard::fit(&x).unwrap();
    assert_eq!((s.mean()[0], s.std()[0]), (5.0, 2.0));
    assert_eq!(
        s.transform(&array![[9.0], [1.0]]).unwrap(),
        array![[2.0], [-2.0]]
    );
    assert_eq!(s.inverse_transform(&array![[0.5]]).unwrap(), array![[6.0]]);
}

#[test]
fn scalers_refuse_a_matrix_of_another_width() {
    let s = Standard::fit(&array![[1.0, 2.0], [3.0, 4.0]]).unwrap();
    assert_eq!(
        s.transform(&array![[1.0, 2.0, 3.0]])
            .unwrap_err()
            .to_string(),
        "shape mismatch in Standard::transform: expected (rows, 2), got (1, 3). the scaler was \
         fitted on 2 columns; pass the same columns in the same order"
    );
    let m = MinMax::fit(&array![[1.0, 2.0]]).unwrap();
    assert!(matches!(
        m.transform(&array![[1.0]]),
        Err(Error::Shape { .. })
    ));
    assert!(m
        .inverse_transform(&array![[1.0]])
        .unwrap_err()
        .to_string()
        .contains("MinMax::inverse_transform"));
}

#[test]
fn scalers_refuse_empty_and_non_finite_matrices() {
    assert_eq!(
        MinMax::fit(&Array2::zeros((0, 3))).unwrap_err().to_string(),
        "invalid data: cannot fit a scaler to an empty matrix (0, 3); give it at least one row and \
         one column"
    );
    assert!(Standard::fit(&array![[1.0], [f64::INFINITY]])
        .unwrap_err()
        .to_string()
        .contains("the matrix to fit: inf at row 1, column 0"));
    let s = Standard::fit(&array![[1.0], [2.0]]).unwrap();
    assert!(s
        .transform(&array![[f64::NAN]])
        .unwrap_err()
        .to_string()
        .contains("the matrix to transform: NaN"));
}

// ---- labels ----

#[test]
fn one_hot_by_hand() {
    assert_eq!(
        data::one_hot(&array![[2.0], [0.0]], 3).unwrap(),
        array![[0.0, 0.0, 1.0], [1.0, 0.0, 0.0]]
    );
    assert_eq!(
        data::one_hot(&array![[0.0], [1.0], [1.0]], 2).unwrap(),
        array![[1.0, 0.0], [0.0, 1.0], [0.0, 1.0]]
    );
}

#[test]
fn one_hot_rows_sum_to_one_and_argmax_is_the_label() {
    let d = data::spirals(30, 4, 0.2, 2).unwrap();
    let hot = d.one_hot().unwrap();
    assert_eq!(hot.x, d.x);
    assert_eq!(hot.y.dim(), (120, 4));
    for (row, &label) in hot.y.rows().into_iter().zip(d.y.iter()) {
        assert_eq!(row.sum(), 1.0);
        assert_eq!(row[label as usize], 1.0);
    }
}

#[test]
fn one_hot_names_a_label_that_is_not_a_whole_number() {
    assert_eq!(
        data::one_hot(&array![[1.0], [0.5]], 3)
            .unwrap_err()
            .to_string(),
        "invalid data: row 1 has label 0.5, which is not a class id; class labels must be whole \
         numbers 0, 1, 2, …"
    );
    assert!(data::one_hot(&array![[-1.0]], 3)
        .unwrap_err()
        .to_string()
        .contains("row 0 has label -1, which is not a class id"));
    assert!(data::one_hot(&array![[f64::NAN]], 3)
        .unwrap_err()
        .to_string()
        .contains("row 0 has label NaN"));
}

#[test]
fn one_hot_names_a_label_out_of_range() {
    assert_eq!(
        data::one_hot(&array![[0.0], [1.0], [3.0]], 3)
            .unwrap_err()
            .to_string(),
        "invalid data: row 2 has label 3, but with 3 classes the labels must be 0 to 2; pass a \
         larger number of classes"
    );
}

#[test]
fn one_hot_wants_one_column_and_some_classes() {
    assert_eq!(
        data::one_hot(&array![[0.0, 1.0]], 2)
            .unwrap_err()
            .to_string(),
        "shape mismatch in one_hot labels: expected (rows, 1), got (1, 2). pass one class label \
         per row as a single column, e.g. array![[2.0], [0.0]]"
    );
    assert_eq!(
        data::one_hot(&array![[0.0]], 0).unwrap_err().to_string(),
        "invalid classes = 0: it must be at least 1: the number of classes, one more than the \
         largest label"
    );
}

#[test]
fn one_hot_refuses_labels_too_large_to_allocate() {
    let err = labelled(array![[0.0], [1e12]])
        .one_hot()
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("the one-hot matrix would be a 2 × 1000000000001 matrix"),
        "{err}"
    );
}

#[test]
fn classes_counts_label_columns_only() {
    assert_eq!(labelled(array![[0.0], [4.0], [2.0]]).classes(), Some(5));
    assert_eq!(labelled(array![[0.0], [0.0]]).classes(), Some(1));
    assert_eq!(labelled(array![[0.0], [1.5]]).classes(), None);
    assert_eq!(labelled(array![[0.0], [-1.0]]).classes(), None);
    let two_columns = Dataset::new(array![[1.0]], array![[0.0, 1.0]]).unwrap();
    assert_eq!(two_columns.classes(), None);
}

#[test]
fn dataset_one_hot_with_a_given_count_keeps_test_sets_as_wide_as_training_sets() {
    let test = labelled(array![[0.0], [1.0]]);
    assert_eq!(test.one_hot().unwrap().y.ncols(), 2);
    assert_eq!(
        test.one_hot_with(3).unwrap().y,
        array![[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]
    );
}

#[test]
fn dataset_one_hot_explains_targets_that_are_not_labels() {
    // Row 0 is 56/56 = 1, a fine label; row 1 is 20/56, which is not.
    assert_eq!(
        data::study_sleep().one_hot().unwrap_err().to_string(),
        format!(
            "invalid data: row 1 has target {}, which is not a class id; one_hot needs labels that \
             are whole numbers 0, 1, 2, …",
            20.0 / 56.0
        )
    );
    let wide = Dataset::new(array![[1.0]], array![[0.0, 1.0]]).unwrap();
    assert_eq!(
        wide.one_hot().unwrap_err().to_string(),
        "invalid data: the targets have 2 columns, so they are not class labels (one column of \
         0, 1, 2, …); they may be one-hot already"
    );
    assert!(wide
        .one_hot_with(2)
        .unwrap_err()
        .to_string()
        .contains("the targets have 2 columns"));
}

// ---- shuffling, rows, splitting ----

#[test]
fn permutation_holds_every_index_once_and_depends_on_the_seed() {
    let p = data::permutation(1000, 5);
    let mut sorted = p.clone();
    sorted.sort();
    assert_eq!(sorted, (0..1000).collect::<Vec<_>>());
    assert_eq!(p, data::permutation(1000, 5));
    assert_ne!(p, data::permutation(1000, 6));
    assert_eq!(data::permutation(0, 1), Vec::<usize>::new());
    assert_eq!(data::permutation(1, 1), vec![0]);
}

#[test]
fn shuffled_keeps_inputs_and_targets_paired() {
    let d = labelled(Array2::from_shape_fn((50, 1), |(i, _)| (i % 7) as f64));
    let s = d.shuffled(9);
    assert_ne!(s, d);
    for (x, y) in s.x.iter().zip(s.y.iter()) {
        assert_eq!((*x as usize % 7) as f64, *y);
    }
}

#[test]
fn rows_picks_in_the_given_order() {
    let d = data::study_sleep_raw();
    let picked = d.rows(&[2, 0, 2]).unwrap();
    assert_eq!(picked.x, array![[7.0, 6.0], [8.0, 8.0], [7.0, 6.0]]);
    assert_eq!(picked.y, array![[47.0], [56.0], [47.0]]);
}

#[test]
fn rows_refuses_an_index_past_the_end() {
    assert_eq!(
        data::xor().rows(&[0, 4]).unwrap_err().to_string(),
        "invalid data: row index 4 is out of range: the dataset has 4 rows, numbered 0 to 3"
    );
}

#[test]
fn rows_refuses_no_indices() {
    assert_eq!(
        data::xor().rows(&[]).unwrap_err().to_string(),
        "invalid data: rows(&[]) would give an empty dataset; pass at least one row index"
    );
}

#[test]
fn train_test_split_partitions_the_rows() {
    let d = labelled(Array2::from_shape_fn((10, 1), |(i, _)| i as f64));
    let (train, test) = data::train_test_split(&d, 0.25, 3).unwrap();
    // ⌈0.25 · 10⌉ = 3 test rows, 7 training rows, each row exactly once.
    assert_eq!((train.len(), test.len()), (7, 3));
    let mut all: Vec<f64> = train.y.iter().chain(test.y.iter()).copied().collect();
    all.sort_by(f64::total_cmp);
    assert_eq!(all, (0..10).map(f64::from).collect::<Vec<_>>());
    assert_eq!(train.x, train.y);
    // Same seed, same split; another seed, another split.
    assert_eq!(
        data::train_test_split(&d, 0.25, 3).unwrap(),
        (train.clone(), test)
    );
    assert_ne!(data::train_test_split(&d, 0.25, 4).unwrap().0, train);
}

#[test]
fn train_test_split_refuses_a_fraction_outside_0_1() {
    for bad in [0.0, 1.0, -0.2, 1.5, f64::NAN] {
        assert_eq!(
            data::train_test_split(&data::xor(), bad, 0)
                .unwrap_err()
                .to_string(),
            format!(
                "invalid test_fraction = {bad}: it must be strictly between 0 and 1: the share of \
                 rows kept back for testing, e.g. 0.2"
            )
        );
    }
}

#[test]
fn train_test_split_refuses_to_leave_a_part_empty() {
    assert_eq!(
        data::train_test_split(&data::xor(), 0.9, 0)
            .unwrap_err()
            .to_string(),
        "invalid data: splitting 4 rows with test_fraction 0.9 leaves 0 for training and 4 for \
         testing; both need at least one row, so use more rows or a different test_fraction"
    );
    let one = data::xor().rows(&[0]).unwrap();
    assert!(data::train_test_split(&one, 0.5, 0)
        .unwrap_err()
        .to_string()
        .contains("splitting 1 rows"));
}

#[test]
fn the_study_sleep_table_is_unchanged() {
    let d = data::study_sleep();
    assert_eq!(d.x, array![[1.0, 1.0], [0.25, 0.625], [0.875, 0.75]]);
    assert_eq!(d.y, array![[1.0], [20.0 / 56.0], [47.0 / 56.0]]);
    assert_eq!((d.features(), d.outputs()), (2, 1));
}
