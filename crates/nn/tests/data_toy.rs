//! The toy datasets: values checked by hand, shapes, ranges, class balance,
//! determinism, and one test per bad input with its message.

use nn::data::{self, Dataset};
use nn::ndarray::{array, Array2};
use nn::Error;

/// How many rows carry each label 0..k.
fn class_counts(d: &Dataset, k: usize) -> Vec<usize> {
    (0..k)
        .map(|c| d.y.iter().filter(|&&v| v == c as f64).count())
        .collect()
}

fn message(result: nn::Result<Dataset>) -> String {
    result.unwrap_err().to_string()
}

/// Rows sorted, so that two shuffles of the same points compare equal.
fn sorted_rows(d: &Dataset) -> Vec<Vec<f64>> {
    let mut rows: Vec<Vec<f64>> =
        d.x.rows()
            .into_iter()
            .zip(d.y.iter())
            .map(|(r, &y)| vec![r[0], r[1], y])
            .collect();
    rows.sort_by(|a, b| a.partial_cmp(b).unwrap());
    rows
}

#[test]
fn xor_is_the_truth_table() {
    let d = data::xor();
    assert_eq!(d.x, array![[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]);
    assert_eq!(d.y, array![[0.0], [1.0], [1.0], [0.0]]);
    assert_eq!(d.classes(), Some(2));
    assert_eq!(Dataset::new(d.x.clone(), d.y.clone()).unwrap(), d);
}

#[test]
fn moons_without_noise_lie_on_the_two_half_circles() {
    let d = data::moons(101, 0.0, 5).unwrap();
    assert_eq!((d.x.dim(), d.y.dim()), ((101, 2), (101, 1)));
    assert_eq!(class_counts(&d, 2), vec![50, 51]);
    for (p, &label) in d.x.rows().into_iter().zip(d.y.iter()) {
        let (a, b) = (p[0], p[1]);
        if label == 0.0 {
            // (cos t, sin t) with t in [0, π]: the upper unit half circle.
            assert!((a.hypot(b) - 1.0).abs() < 1e-12);
            assert!(b >= 0.0 && (-1.0..=1.0).contains(&a));
        } else {
            // (1 − cos t, 0.5 − sin t): centered on (1, 0.5), opening upward.
            assert!(((a - 1.0).hypot(b - 0.5) - 1.0).abs() < 1e-12);
            assert!(b <= 0.5 + 1e-12 && (0.0..=2.0).contains(&a));
        }
    }
    // The end points of both moons are there: t = 0 and t = π.
    let rows = sorted_rows(&d);
    assert_eq!(rows[0], vec![-1.0, std::f64::consts::PI.sin(), 0.0]);
    assert!(rows.iter().any(|r| r == &vec![0.0, 0.5, 1.0]));
    assert!(rows.iter().any(|r| r[2] == 1.0 && r[0] == 2.0));
}

#[test]
fn moons_with_noise_stay_near_their_range() {
    let d = data::moons(500, 0.1, 1).unwrap();
    assert_eq!(class_counts(&d, 2), vec![250, 250]);
    // Noise 0.1 moves a point by more than 0.6 in one coordinate with
    // probability about 2e-9.
    for v in d.x.column(0) {
        assert!((-1.6..=2.6).contains(v));
    }
    for v in d.x.column(1) {
        assert!((-1.1..=1.6).contains(v));
    }
}

#[test]
fn moons_are_shuffled() {
    let d = data::moons(100, 0.0, 0).unwrap();
    let first_half: f64 = d.y.iter().take(50).sum();
    assert!(first_half > 10.0 && first_half < 40.0, "{first_half}");
}

#[test]
fn the_same_seed_gives_the_same_data_and_another_seed_other_data() {
    let centers = data::circle_centers(3, 2.0).unwrap();
    let make: [&dyn Fn(u64) -> Dataset; 4] = [
        &|s| data::moons(50, 0.1, s).unwrap(),
        &|s| data::circles(50, 0.1, 0.5, s).unwrap(),
        &|s| data::spirals(20, 3, 0.2, s).unwrap(),
        &|s| data::blobs(50, &centers, 0.5, s).unwrap(),
    ];
    for f in make {
        assert_eq!(f(7), f(7));
        assert_ne!(f(7), f(8));
    }
}

#[test]
fn the_first_rows_for_a_seed_never_change() {
    // Pinned values: if these change, every notebook's pictures change.
    let d = data::moons(300, 0.1, 0).unwrap();
    // The random draws are bit-identical everywhere; sin and cos may differ in
    // the last bit between math libraries, hence the tolerance.
    assert!((d.x[[0, 0]] - 0.00444627672763237).abs() < 1e-14);
    assert!((d.x[[0, 1]] - 0.9052512744214392).abs() < 1e-14);
    let labels: Vec<f64> = d.y.iter().take(10).copied().collect();
    assert_eq!(
        labels,
        vec![0.0, 1.0, 1.0, 0.0, 1.0, 0.0, 0.0, 1.0, 0.0, 1.0]
    );
    assert_eq!(data::permutation(6, 0), vec![3, 1, 0, 5, 2, 4]);
}

#[test]
fn changing_only_the_noise_moves_the_same_points() {
    let clean = data::moons(60, 0.0, 3).unwrap();
    let noisy = data::moons(60, 0.2, 3).unwrap();
    let noisier = data::moons(60, 0.4, 3).unwrap();
    assert_eq!(clean.y, noisy.y);
    // noisier − clean = 2 · (noisy − clean), up to rounding.
    let diff = &noisier.x - &clean.x - (&noisy.x - &clean.x) * 2.0;
    assert!(diff.iter().all(|v| v.abs() < 1e-12));
}

#[test]
fn circles_without_noise_have_radius_1_and_factor() {
    let d = data::circles(9, 0.0, 0.3, 2).unwrap();
    assert_eq!(class_counts(&d, 2), vec![4, 5]);
    for (p, &label) in d.x.rows().into_iter().zip(d.y.iter()) {
        let radius = if label == 0.0 { 1.0 } else { 0.3 };
        assert!((p[0].hypot(p[1]) - radius).abs() < 1e-12);
    }
    // Four outer points at angles 0, π/2, π, 3π/2.
    let rows = sorted_rows(&d);
    let outer: Vec<(f64, f64)> = rows
        .iter()
        .filter(|r| r[2] == 0.0)
        .map(|r| (r[0].round(), r[1].round()))
        .collect();
    assert_eq!(
        outer,
        vec![(-1.0, 0.0), (0.0, -1.0), (0.0, 1.0), (1.0, 0.0)]
    );
}

#[test]
fn circles_with_factor_0_put_the_inner_class_at_the_origin() {
    let d = data::circles(4, 0.0, 0.0, 0).unwrap();
    for (p, &label) in d.x.rows().into_iter().zip(d.y.iter()) {
        if label == 1.0 {
            assert_eq!((p[0], p[1]), (0.0, 0.0));
        }
    }
}

#[test]
fn spirals_follow_the_cs231n_formula() {
    // Without noise and with 3 points per arm: r = 0, 0.5, 1 and
    // t = 4j, 4j + 2, 4j + 4.
    let d = data::spirals(3, 2, 0.0, 9).unwrap();
    assert_eq!(class_counts(&d, 2), vec![3, 3]);
    let mut expected = Vec::new();
    for j in 0..2 {
        for (r, dt) in [(0.0, 0.0), (0.5, 2.0), (1.0, 4.0)] {
            let t = 4.0 * j as f64 + dt;
            expected.push(vec![r * f64::sin(t), r * f64::cos(t), j as f64]);
        }
    }
    expected.sort_by(|a, b| a.partial_cmp(b).unwrap());
    assert_eq!(sorted_rows(&d), expected);
}

#[test]
fn spirals_stay_in_the_unit_disk_whatever_the_noise() {
    let d = data::spirals(200, 5, 1.0, 4).unwrap();
    assert_eq!(d.x.dim(), (1000, 2));
    assert_eq!(class_counts(&d, 5), vec![200; 5]);
    assert!(d
        .x
        .rows()
        .into_iter()
        .all(|p| p[0].hypot(p[1]) <= 1.0 + 1e-12));
}

#[test]
fn spirals_with_one_point_per_arm_put_it_at_the_origin() {
    let d = data::spirals(1, 3, 0.5, 0).unwrap();
    assert!(d.x.iter().all(|&v| v == 0.0));
    assert_eq!(d.classes(), Some(3));
}

#[test]
fn blobs_share_the_points_out_and_center_them() {
    let centers = array![[0.0, 0.0, 0.0], [10.0, -10.0, 5.0], [-10.0, 10.0, 0.0]];
    let d = data::blobs(3001, &centers, 0.5, 11).unwrap();
    assert_eq!(d.x.dim(), (3001, 3));
    assert_eq!(class_counts(&d, 3), vec![1001, 1000, 1000]);
    for c in 0..3 {
        let rows: Vec<usize> = (0..d.len()).filter(|&i| d.y[[i, 0]] == c as f64).collect();
        let mine = d.rows(&rows).unwrap();
        let mean = mine.x.mean_axis(nn::ndarray::Axis(0)).unwrap();
        let std = mine.x.std_axis(nn::ndarray::Axis(0), 0.0);
        for j in 0..3 {
            assert!((mean[j] - centers[[c, j]]).abs() < 0.06, "{mean}");
            assert!((std[j] - 0.5).abs() < 0.05, "{std}");
        }
    }
}

#[test]
fn blobs_with_std_0_sit_on_their_centers() {
    let d = data::blobs(4, &array![[1.0, 2.0], [3.0, 4.0]], 0.0, 0).unwrap();
    for (p, &label) in d.x.rows().into_iter().zip(d.y.iter()) {
        let expected = if label == 0.0 { [1.0, 2.0] } else { [3.0, 4.0] };
        assert_eq!([p[0], p[1]], expected);
    }
}

#[test]
fn circle_centers_go_round_counterclockwise() {
    let c = data::circle_centers(4, 2.0).unwrap();
    let rounded = c.mapv(|v| (v * 1e9).round() / 1e9);
    assert_eq!(
        rounded,
        array![[2.0, 0.0], [0.0, 2.0], [-2.0, 0.0], [0.0, -2.0]]
    );
    assert_eq!(data::circle_centers(1, 0.0).unwrap(), array![[0.0, 0.0]]);
}

// ---- bad inputs: one test each, asserting the message ----

#[test]
fn moons_need_two_points() {
    assert_eq!(
        message(data::moons(1, 0.1, 0)),
        "invalid n = 1: it must be at least 2, so that each moon gets a point"
    );
}

#[test]
fn noise_must_be_finite_and_not_negative() {
    for bad in [-0.1, f64::NAN, f64::INFINITY] {
        let err = data::moons(10, bad, 0).unwrap_err();
        assert!(matches!(err, Error::InvalidParameter { name: "noise", .. }));
        assert!(err.to_string().starts_with(&format!(
            "invalid noise = {bad}: it must be a finite number ≥ 0"
        )));
    }
    assert!(message(data::circles(10, -1.0, 0.5, 0)).contains("invalid noise = -1"));
    assert!(message(data::spirals(10, 3, f64::NAN, 0)).contains("invalid noise = NaN"));
}

#[test]
fn circles_need_two_points_and_a_factor_below_1() {
    assert!(message(data::circles(0, 0.1, 0.5, 0)).contains("invalid n = 0: it must be at least 2"));
    for bad in [1.0, -0.5, f64::NAN] {
        assert_eq!(
            message(data::circles(10, 0.1, bad, 0)),
            format!(
                "invalid factor = {bad}: it must be in [0, 1): the inner circle's radius as a \
                 fraction of the outer one's"
            )
        );
    }
}

#[test]
fn spirals_need_points_and_classes() {
    assert_eq!(
        message(data::spirals(0, 3, 0.2, 0)),
        "invalid n_per_class = 0: it must be at least 1"
    );
    assert_eq!(
        message(data::spirals(10, 0, 0.2, 0)),
        "invalid classes = 0: it must be at least 1 (3 is the classic picture)"
    );
}

#[test]
fn absurd_sizes_are_refused_instead_of_allocated() {
    let m = message(data::spirals(usize::MAX, 3, 0.2, 0));
    assert!(m.contains("spirals would be a"), "{m}");
    assert!(m.ends_with("ask for fewer rows"), "{m}");
    assert!(message(data::moons(usize::MAX, 0.1, 0)).contains("moons would be a"));
}

#[test]
fn huge_noise_that_overflows_is_refused() {
    let m = message(data::moons(10, 1e308, 0));
    assert!(
        m.contains("overflowed to infinity; use a smaller noise"),
        "{m}"
    );
}

#[test]
fn blobs_need_centers() {
    let none = Array2::<f64>::zeros((0, 2));
    assert!(message(data::blobs(10, &none, 1.0, 0)).contains(
        "blobs needs at least one center with at least one coordinate, but centers is (0, 2)"
    ));
}

#[test]
fn blobs_need_a_point_per_center() {
    assert_eq!(
        message(data::blobs(2, &array![[0.0], [1.0], [2.0]], 1.0, 0)),
        "invalid data: blobs was asked for 2 points around 3 centers; ask for at least 3 points so \
         that every center gets one"
    );
}

#[test]
fn blobs_need_a_sensible_std_and_finite_centers() {
    assert!(message(data::blobs(10, &array![[0.0]], -1.0, 0))
        .starts_with("invalid std = -1: it must be a finite number ≥ 0"));
    assert!(message(data::blobs(10, &array![[0.0, f64::NAN]], 1.0, 0))
        .contains("centers: NaN at row 0, column 1"));
}

#[test]
fn circle_centers_need_a_count_and_a_radius() {
    assert_eq!(
        data::circle_centers(0, 1.0).unwrap_err().to_string(),
        "invalid k = 0: it must be at least 1"
    );
    assert_eq!(
        data::circle_centers(3, -2.0).unwrap_err().to_string(),
        "invalid radius = -2: it must be a finite number ≥ 0"
    );
}
