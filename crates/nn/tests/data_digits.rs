//! The bundled digits, the stratified split, and turning outputs back into
//! labels: values checked against scikit-learn's CSV, and one test per bad
//! input with its message.

use nn::data::{self, Dataset};
use nn::ndarray::{array, Array2};
use nn::Error;
use sha2::{Digest, Sha256};

/// Rows of each class in scikit-learn's copy (`np.bincount(load_digits().target)`).
const CLASS_COUNTS: [usize; 10] = [178, 182, 177, 183, 181, 182, 181, 179, 174, 180];

fn counts(d: &Dataset) -> Vec<usize> {
    let mut c = vec![0; 10];
    for &label in d.y.iter() {
        c[label as usize] += 1;
    }
    c
}

// ---- the digits ----

#[test]
fn the_embedded_file_is_the_one_made_from_scikit_learns_csv() {
    // scripts/digits_bytes.py printed this for the bytes it wrote from the
    // wheel's digits.csv.gz (SHA-256 09f66e6d…aa22, scikit-learn 1.9.1).
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/src/data/digits.bin");
    let bytes = std::fs::read(path).unwrap();
    let hex: String = Sha256::digest(&bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(
        hex,
        "68aea062d35a127749050fa0e52dca09d6569ac08092c925610e0954e172dde2"
    );
    // …and digits_raw reads every byte of it where it belongs.
    let d = data::digits_raw();
    for (i, row) in bytes.chunks_exact(65).enumerate() {
        let pixels: Vec<f64> = row[..64].iter().map(|&v| f64::from(v)).collect();
        assert_eq!(d.x.row(i).to_vec(), pixels, "row {i}");
        assert_eq!(d.y[[i, 0]], f64::from(row[64]), "row {i}");
    }
}

#[test]
fn rows_match_the_csv() {
    let d = data::digits_raw();
    // Lines 1, 1000 and 1797 of digits.csv.gz.
    let line = |text: &str| -> Vec<f64> { text.split(',').map(|v| v.parse().unwrap()).collect() };
    for (row, text) in [
        (0, "0,0,5,13,9,1,0,0,0,0,13,15,10,15,5,0,0,3,15,2,0,11,8,0,0,4,12,0,0,8,8,0,0,5,8,0,0,9,8,0,0,4,11,0,1,12,7,0,0,2,14,5,10,12,0,0,0,0,6,13,10,0,0,0,0"),
        (999, "0,0,9,15,14,2,0,0,0,0,9,3,9,8,0,0,0,0,0,0,6,10,0,0,0,0,0,10,15,2,0,0,0,0,2,10,11,15,2,0,0,3,1,0,0,14,4,0,0,10,13,7,2,12,4,0,0,0,7,14,16,10,0,0,3"),
        (1796, "0,0,10,14,8,1,0,0,0,2,16,14,6,1,0,0,0,0,15,15,8,15,0,0,0,0,5,16,16,10,0,0,0,0,12,15,15,12,0,0,0,4,16,6,4,16,6,0,0,8,16,10,8,16,8,0,0,1,8,12,14,12,1,0,8"),
    ] {
        let values = line(text);
        assert_eq!(d.x.row(row).to_vec(), values[..64], "row {row}");
        assert_eq!(d.y[[row, 0]], values[64], "row {row}");
    }
}

#[test]
fn digits_are_scaled_to_zero_one_with_ten_classes() {
    let d = data::digits();
    assert_eq!((d.x.dim(), d.y.dim()), ((1797, 64), (1797, 1)));
    assert_eq!(d.x, data::digits_raw().x / 16.0);
    assert!(d.x.iter().all(|&v| (0.0..=1.0).contains(&v)));
    assert_eq!(d.x.iter().fold(0.0f64, |m, &v| m.max(v)), 1.0);
    assert_eq!(d.classes(), Some(10));
    assert_eq!(counts(&d), CLASS_COUNTS);
    // Dataset::new accepts it as it is: finite, one label per row.
    assert_eq!(Dataset::new(d.x.clone(), d.y.clone()).unwrap(), d);
}

// ---- the stratified split ----

/// A labelled dataset whose x is the row number, to follow rows around.
fn numbered(labels: &[usize]) -> Dataset {
    let x = Array2::from_shape_fn((labels.len(), 1), |(i, _)| i as f64);
    let y = Array2::from_shape_fn((labels.len(), 1), |(i, _)| labels[i] as f64);
    Dataset::new(x, y).unwrap()
}

#[test]
fn every_digit_is_a_fifth_of_the_test_set_give_or_take_a_row() {
    let d = data::digits();
    let (train, test) = data::stratified_split(&d, 0.2, 7).unwrap();
    assert_eq!((train.len(), test.len()), (1437, 360));
    for (k, (&tested, &trained)) in counts(&test).iter().zip(&counts(&train)).enumerate() {
        assert_eq!(tested + trained, CLASS_COUNTS[k]);
        let exact = 0.2 * CLASS_COUNTS[k] as f64;
        assert!(
            (tested as f64 - exact).abs() < 1.0,
            "class {k}: {tested} for {exact}"
        );
    }
}

#[test]
fn a_plain_split_is_less_even() {
    // Why the stratified split exists: the random one's per-class test
    // counts wander further from 20 % (for seed 7, one class by 7.8 rows).
    let d = data::digits();
    let (_, test) = data::train_test_split(&d, 0.2, 7).unwrap();
    let worst = counts(&test)
        .iter()
        .zip(CLASS_COUNTS)
        .map(|(&t, c)| (t as f64 - 0.2 * c as f64).abs())
        .fold(0.0, f64::max);
    assert!(worst > 5.0, "{worst}");
}

#[test]
fn the_split_is_a_partition_decided_by_the_seed() {
    let labels: Vec<usize> = (0..50).map(|i| (i * 7) % 3).collect();
    let d = numbered(&labels);
    let (train, test) = data::stratified_split(&d, 0.3, 1).unwrap();
    let mut rows: Vec<usize> = train
        .x
        .iter()
        .chain(test.x.iter())
        .map(|&v| v as usize)
        .collect();
    rows.sort();
    assert_eq!(rows, (0..50).collect::<Vec<_>>()); // every row once
    for part in [&train, &test] {
        for (x, y) in part.x.iter().zip(part.y.iter()) {
            assert_eq!(labels[*x as usize] as f64, *y); // still with its own label
        }
    }
    assert_eq!(
        data::stratified_split(&d, 0.3, 1).unwrap(),
        (train.clone(), test.clone())
    );
    let (_, other) = data::stratified_split(&d, 0.3, 2).unwrap();
    assert_ne!(other.x, test.x);
    // Shuffled, not grouped by class.
    let test_labels: Vec<f64> = test.y.iter().copied().collect();
    let mut sorted = test_labels.clone();
    sorted.sort_by(f64::total_cmp);
    assert_ne!(test_labels, sorted);
}

#[test]
fn stratified_split_errors_say_what_to_change() {
    let err = data::stratified_split(&data::study_sleep(), 0.2, 0).unwrap_err();
    assert!(err.to_string().contains("needs class labels"), "{err}");

    let err = data::stratified_split(&numbered(&[0, 0, 1, 1, 2]), 0.4, 0).unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid data: class 2 has only one row, which cannot be in both the training and the \
         test set; give every class at least two rows, or use train_test_split"
    );

    let err = data::stratified_split(&numbered(&[0, 0, 1, 1]), 0.9, 0).unwrap_err();
    assert!(
        err.to_string().contains("puts all 2 rows of class"),
        "{err}"
    );

    for bad in [0.0, 1.0, f64::NAN, -0.5] {
        let err = data::stratified_split(&numbered(&[0, 0, 1, 1]), bad, 0).unwrap_err();
        assert!(matches!(
            err,
            Error::InvalidParameter {
                name: "test_fraction",
                ..
            }
        ));
    }
}

#[test]
fn a_label_that_never_occurs_is_no_obstacle() {
    // Labels 0 and 2 only: class 1 has no rows and gets no test rows.
    let (train, test) = data::stratified_split(&numbered(&[0, 2, 0, 2, 0, 2]), 0.5, 3).unwrap();
    assert_eq!((train.len(), test.len()), (3, 3));
    assert!(test.y.iter().any(|&v| v == 0.0) && test.y.iter().any(|&v| v == 2.0));
}

// ---- outputs back to labels ----

#[test]
fn predicted_classes_take_the_largest_output() {
    let outputs = array![
        [0.2, 0.5, 0.3],
        [0.4, 0.4, 0.2],
        [f64::NAN, 0.1, 0.9],
        [0.7, 0.2, 0.1]
    ];
    assert_eq!(data::predicted_classes(&outputs), vec![1, 0, 2, 0]);
    // One sigmoid output: the class is whether it reaches one half.
    assert_eq!(
        data::predicted_classes(&array![[0.5], [0.49], [0.9]]),
        vec![1, 0, 1]
    );
}

#[test]
fn the_confusion_matrix_counts_pairs_and_its_rows_are_the_classes() {
    let truth = array![[0.0], [1.0], [1.0], [2.0], [2.0], [2.0]];
    let outputs = array![
        [0.9, 0.1, 0.0],
        [0.1, 0.8, 0.1],
        [0.6, 0.3, 0.1],
        [0.0, 0.0, 1.0],
        [0.0, 0.7, 0.3],
        [0.1, 0.1, 0.8]
    ];
    let labels = data::predicted_classes(&outputs);
    let counts = data::confusion_matrix(&truth, &labels).unwrap();
    assert_eq!(counts, array![[1, 0, 0], [1, 1, 0], [0, 1, 2]]);
    // Row sums are the class sizes, the diagonal the right answers.
    assert_eq!(
        counts.sum_axis(nn::ndarray::Axis(1)).to_vec(),
        vec![1, 2, 3]
    );
    assert_eq!(counts.diag().sum(), 4);
}

#[test]
fn confusion_matrix_errors_name_the_problem() {
    let err = data::confusion_matrix(&array![[0.0], [1.0]], &[0]).unwrap_err();
    let message = err.to_string();
    assert!(
        message.contains("the true labels, for 1 predictions"),
        "{message}"
    );
    assert!(message.contains("(2, 1)"), "{message}");
    let err = data::confusion_matrix(&array![[0.0], [1.5]], &[0, 1]).unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid data: row 1 has true label 1.5, which is not a class id; labels must be whole \
         numbers 0, 1, 2, …"
    );
}
