//! Pictures of images: grids of dataset rows, the confusion matrix, and
//! first-layer weights as pictures. What they write, how large they are,
//! and what they refuse.

use nn::plot::{self, Confusion, Images, Svg, WeightImages};
use nn::prelude::*;

fn assert_valid(svg: &Svg) {
    let text = svg.as_str();
    assert!(text.starts_with("<svg "));
    assert!(text.trim_end().ends_with("</svg>"));
    assert_eq!(
        text.matches("<text").count(),
        text.matches("</text>").count()
    );
    assert!(svg.len() < 150_000, "{} bytes", svg.len());
}

/// How many times `value` is written as a text of its own.
fn written(svg: &Svg, value: &str) -> usize {
    svg.as_str()
        .matches(&format!(">\n{value}\n</text>"))
        .count()
}

/// The red of mistakes, as plotters writes a frame in it (twice for the
/// 2-pixel frame of each mistake).
const RED_FRAME: &str = "fill=\"none\" stroke=\"#E15759\"";

/// 60 rows of 28 × 28 rings, anti-aliased all round: about as many
/// distinct pixels as a picture of that size has.
fn rings() -> Dataset {
    let x = Array2::from_shape_fn((60, 784), |(i, j)| {
        let (r, c) = ((j / 28) as f64, (j % 28) as f64);
        let d = ((r - 14.0).powi(2) + (c - 14.0 - (i % 5) as f64).powi(2)).sqrt();
        (1.0 - (d - 8.0).abs() / 2.0).max(0.0)
    });
    Dataset::new(x, Array2::from_shape_fn((60, 1), |(i, _)| (i % 10) as f64)).unwrap()
}

// ---- the grid of pictures ----

#[test]
fn the_digits_grid_has_a_caption_per_picture() {
    let digits = data::digits();
    let svg = Images::new(&digits).limit(20).columns(5).draw().unwrap();
    assert_valid(&svg);
    // The first twenty digits are 0–9 twice.
    for k in 0..10 {
        assert_eq!(written(&svg, &k.to_string()), 2, "{k}");
    }
    assert_eq!(written(&svg, "the first 20 of 1797 rows"), 1);
    assert!(!svg.as_str().contains(RED_FRAME));
    // The default, 40 pictures, also stays small.
    assert_valid(&plot::images(&digits).unwrap());
}

#[test]
fn predictions_caption_predicted_over_true_and_frame_mistakes_in_red() {
    let digits = data::digits().rows(&(0..10).collect::<Vec<_>>()).unwrap();
    // Right for every digit but the 3 (taken for an 8) and the 7 (for a 1).
    let mut predicted = digits.y.clone();
    predicted[[3, 0]] = 8.0;
    predicted[[7, 0]] = 1.0;
    let svg = Images::new(&digits).predicted(&predicted).draw().unwrap();
    assert_valid(&svg);
    assert_eq!(written(&svg, "8 / 3"), 1);
    assert_eq!(written(&svg, "1 / 7"), 1);
    assert_eq!(written(&svg, "5 / 5"), 1);
    assert_eq!(svg.as_str().matches(RED_FRAME).count(), 2 * 2);
    assert_eq!(written(&svg, "predicted / true, mistakes in red"), 1);

    let wrong = Images::new(&digits)
        .predicted(&predicted)
        .only_wrong()
        .draw()
        .unwrap();
    assert_eq!(wrong.as_str().matches(RED_FRAME).count(), 2 * 2);
    assert_eq!(written(&wrong, "5 / 5"), 0);

    // The network's outputs work as well as labels: one-hot rows here.
    let outputs = data::one_hot(&predicted, 10).unwrap();
    let same = Images::new(&digits).predicted(&outputs).draw().unwrap();
    assert_eq!(same, svg);

    let none = Images::new(&digits)
        .predicted(&digits.y)
        .only_wrong()
        .draw()
        .unwrap();
    assert!(none
        .as_str()
        .contains("no mistakes: every prediction is right"));
}

#[test]
fn large_pictures_stay_under_150_kb_and_say_what_was_left_out() {
    let svg = plot::images(&rings()).unwrap();
    assert_valid(&svg);
    let text = svg.as_str();
    let shown = text.matches("<text").count() - 1; // the captions, without the note
    assert!((5..40).contains(&shown), "{shown}");
    assert!(text.contains(&format!(
        "the first {shown} of 60 rows (more would make the picture too large)"
    )));
}

#[test]
fn the_grid_refuses_what_it_cannot_draw() {
    let message = |r: nn::Result<Svg>| r.unwrap_err().to_string();
    let moons = data::moons(10, 0.1, 0).unwrap();
    assert!(message(plot::images(&moons)).contains("have 2 values, which do not make a square"));
    let digits = data::digits();
    let short = Array2::zeros((3, 1));
    assert!(message(Images::new(&digits).predicted(&short).draw())
        .contains("3 predictions for 1797 rows"));
    assert!(message(Images::new(&digits).only_wrong().draw()).contains("add .predicted(&outputs)"));
    assert!(message(Images::new(&digits).limit(0).draw()).contains("at least 1"));
    let mut x = Array2::zeros((1, 4));
    x[[0, 2]] = f64::NAN;
    let d = Dataset {
        x,
        y: array![[0.0]],
    };
    assert!(message(plot::images(&d)).contains("row 0 has NaN at pixel 2"));
}

// ---- the confusion matrix ----

#[test]
fn the_confusion_matrix_writes_counts_and_accuracies() {
    // 4 zeros (one taken for a 1), 2 ones, 4 twos (two taken for a 0).
    let truth = array![[0.], [0.], [0.], [0.], [1.], [1.], [2.], [2.], [2.], [2.]];
    let predicted = [0, 0, 0, 1, 1, 1, 2, 0, 0, 2];
    let svg = Confusion::new(&truth, &predicted)
        .title("t")
        .draw()
        .unwrap();
    assert_valid(&svg);
    assert_eq!(written(&svg, "3"), 1); // zeros right
                                       // Ones right, twos right, twos taken for zeros; and the class number 2
                                       // at the left and on top.
    assert_eq!(written(&svg, "2"), 3 + 2);
    assert_eq!(written(&svg, "75 %"), 1);
    assert_eq!(written(&svg, "100 %"), 1);
    assert_eq!(written(&svg, "50 %"), 1);
    assert_eq!(written(&svg, "accuracy 70 % (7 of 10 rows)"), 1);
    // The network's outputs read as classes give the same picture.
    let labels = Array2::from_shape_fn((10, 1), |(i, _)| predicted[i] as f64);
    let outputs = data::one_hot(&labels, 3).unwrap();
    assert_eq!(
        Confusion::new(&truth, &data::predicted_classes(&outputs))
            .title("t")
            .draw()
            .unwrap(),
        svg
    );
}

#[test]
fn the_confusion_matrix_refuses_bad_labels_and_too_many_classes() {
    let truth = Array2::from_shape_fn((41, 1), |(i, _)| i as f64);
    let classes: Vec<usize> = (0..41).collect();
    let err = plot::confusion(&truth, &classes).unwrap_err().to_string();
    assert!(err.contains("at most 40"), "{err}");
    let err = plot::confusion(&array![[0.5]], &[0])
        .unwrap_err()
        .to_string();
    assert!(err.contains("true label 0.5"), "{err}");
}

// ---- weights as pictures ----

#[test]
fn weight_pictures_one_per_unit_on_one_scale() {
    let mut net = Network::builder(64)
        .dense(6, Activation::Relu)
        .dense(10, Activation::Softmax)
        .seed(3)
        .build()
        .unwrap();
    // Unit 1 looks for ink in the top-left pixel and nowhere else.
    net.layers[0].weights.column_mut(0).fill(0.0);
    net.layers[0].weights[[0, 0]] = 0.5;
    let svg = WeightImages::new(&net).draw().unwrap();
    assert_valid(&svg);
    for j in 1..=6 {
        assert_eq!(written(&svg, &format!("unit {j}")), 1);
    }
    assert_eq!(written(&svg, "weight"), 1); // the colour bar
    let three = WeightImages::new(&net).units(3).draw().unwrap();
    assert_eq!(written(&three, "unit 4"), 0);
    assert_eq!(written(&three, "the first 3 of 6 units"), 1);
}

#[test]
fn large_weight_pictures_stay_under_150_kb() {
    let net = Network::builder(784)
        .dense(128, Activation::Relu)
        .dense(10, Activation::Softmax)
        .build()
        .unwrap();
    let svg = plot::weight_images(&net).unwrap();
    assert_valid(&svg);
    assert!(svg
        .as_str()
        .contains("of 128 units (more would make the picture too large)"));
}

#[test]
fn weight_pictures_need_square_inputs() {
    let net = Network::builder(5)
        .dense(2, Activation::Relu)
        .build()
        .unwrap();
    let err = plot::weight_images(&net).unwrap_err().to_string();
    assert!(err.contains("the network's inputs have 5 values"), "{err}");
}
