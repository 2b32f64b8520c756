//! Plots over the plane of two inputs: decision boundaries and hidden-unit
//! maps.

use nn::plot::{self, DecisionBoundary, HiddenUnits, Svg};
use nn::prelude::*;

mod snapshot;
use snapshot::assert_snapshot;

fn assert_valid(svg: &Svg) {
    let text = svg.as_str();
    assert!(text.starts_with("<svg "));
    assert!(text.trim_end().ends_with("</svg>"));
    assert_eq!(
        text.matches("<text").count(),
        text.matches("</text>").count()
    );
}

/// Two clusters of 20 points, labelled 0 and 1, alternating.
fn clusters() -> Dataset {
    let x = Array2::from_shape_fn((40, 2), |(i, j)| {
        let centre = if i % 2 == 0 { -1.0 } else { 1.0 };
        centre + 0.3 * ((i * 7 + j * 3) as f64).sin()
    });
    let y = Array2::from_shape_fn((40, 1), |(i, _)| (i % 2) as f64);
    Dataset::new(x, y).unwrap()
}

fn binary_net() -> Network {
    Network::builder(2)
        .dense(3, Activation::Tanh)
        .dense(1, Activation::Sigmoid)
        .seed(1)
        .build()
        .unwrap()
}

#[test]
fn boundary_draws_every_point_and_a_legend() {
    let data = clusters();
    let svg = plot::decision_boundary(&binary_net(), &data).unwrap();
    assert_valid(&svg);
    // A white ring and a coloured dot per point (a zero-length stroke with
    // round ends each), and a dot per class in the legend.
    assert_eq!(svg.as_str().matches("h0").count(), 2 * 40);
    assert_eq!(svg.as_str().matches("<circle").count(), 2);
    // The shade is one smooth image, with the boundary line on it.
    assert_eq!(svg.as_str().matches("<image").count(), 1);
    assert!(svg.as_str().contains("line: output 0.5"));
    assert!(svg.as_str().contains("class 0") && svg.as_str().contains("class 1"));
    assert!(svg.as_str().contains("white at 0.5"));
    assert!(svg.len() < 100_000, "{} bytes", svg.len());
}

#[test]
fn softmax_boundary_takes_the_largest_output() {
    let mut data = clusters();
    for i in (0..40).step_by(4) {
        data.y[[i, 0]] = 2.0;
    }
    let net = Network::builder(2)
        .dense(4, Activation::Relu)
        .dense(3, Activation::Softmax)
        .build()
        .unwrap();
    let svg = DecisionBoundary::new(&net, &data)
        .resolution(30)
        .title("three classes")
        .draw()
        .unwrap();
    assert_valid(&svg);
    assert!(svg.as_str().contains("class 2") && svg.as_str().contains("largest output"));
    // One-hot targets work too.
    let one_hot = Array2::from_shape_fn((40, 3), |(i, k)| f64::from(data.y[[i, 0]] as usize == k));
    let hot = Dataset {
        x: data.x.clone(),
        y: one_hot,
    };
    assert_valid(&plot::decision_boundary(&net, &hot).unwrap());
}

#[test]
fn boundary_refuses_what_it_cannot_draw() {
    let data = clusters();
    let message = |r: nn::Result<Svg>| r.unwrap_err().to_string();
    let three = Network::builder(3)
        .dense(1, Activation::Sigmoid)
        .build()
        .unwrap();
    assert!(message(plot::decision_boundary(&three, &data)).contains("the network takes 3"));
    let wide = Dataset::new(Array2::zeros((4, 3)), Array2::zeros((4, 1))).unwrap();
    assert!(message(plot::decision_boundary(&binary_net(), &wide)).contains("the data is 4 × 3"));
    let regression = Dataset::new(data.x.clone(), Array2::from_elem((40, 1), 0.37)).unwrap();
    assert!(
        message(plot::decision_boundary(&binary_net(), &regression)).contains("not a class label")
    );
    let net = binary_net();
    assert!(
        message(DecisionBoundary::new(&net, &data).resolution(1).draw()).contains("resolution")
    );
    assert!(
        message(DecisionBoundary::new(&net, &data).resolution(5000).draw()).contains("resolution")
    );
    let ragged = Dataset {
        x: data.x.clone(),
        y: Array2::zeros((3, 1)),
    };
    assert!(
        message(plot::decision_boundary(&net, &ragged)).contains("40 input rows but 3 target rows")
    );
    let far = Dataset::new(array![[-1e308, 0.0], [1e308, 1.0]], array![[0.0], [1.0]]).unwrap();
    assert!(message(plot::decision_boundary(&net, &far)).contains("too far to draw"));
    let empty = Network { layers: vec![] };
    assert!(message(plot::decision_boundary(&empty, &data)).contains("no layers"));
    let mut broken = binary_net();
    broken.layers[1].weights = Array2::zeros((5, 1)); // does not fit the 3 units below
    assert!(message(plot::decision_boundary(&broken, &data)).contains("layer 2 expects 5 inputs"));
}

#[test]
fn hidden_units_draw_one_map_per_unit() {
    let data = clusters();
    let net = Network::builder(2)
        .dense(5, Activation::Sigmoid)
        .dense(1, Activation::Sigmoid)
        .build()
        .unwrap();
    let svg = plot::hidden_units(&net, 0, &data).unwrap();
    assert_valid(&svg);
    for unit in 1..=5 {
        assert!(svg.as_str().contains(&format!("unit {unit} (sigmoid)")));
    }
    assert!(!svg.as_str().contains("unit 6"));
    assert!(svg.as_str().contains("activation")); // the colour bar
                                                  // The output layer can be mapped too.
    let svg = HiddenUnits::new(&net, 1, &data)
        .resolution(10)
        .title("the output")
        .draw()
        .unwrap();
    assert!(svg.as_str().contains("unit 1 (sigmoid)") && svg.as_str().contains("the output"));
}

#[test]
fn hidden_units_of_a_missing_layer_is_an_error() {
    let err = plot::hidden_units(&binary_net(), 2, &clusters()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid layer = 2 (the network has 2 layers): it must be \
         the index of one of the network's layers, 0 for the first hidden layer"
    );
}

/// The same input gives the pictures a person looked at and stored
/// (tests/data/snapshots/; see tests/snapshot/mod.rs to update them).
#[test]
fn planes_match_their_stored_pictures() {
    let (net, data) = (binary_net(), clusters());
    assert_snapshot(
        "decision_boundary",
        &plot::decision_boundary(&net, &data).unwrap(),
    );
    assert_snapshot("hidden_units", &plot::hidden_units(&net, 0, &data).unwrap());
}
