//! Heat maps, histograms and network diagrams.

use nn::plot::{self, Diagram, Heatmap, Histograms, Layout, Svg};
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

/// How many times `value` is written as a text of its own.
fn written(svg: &Svg, value: &str) -> usize {
    svg.as_str()
        .matches(&format!(">\n{value}\n</text>"))
        .count()
}

/// The original notebook's network: 2-3-1, sigmoid, no bias.
fn original() -> Network {
    Network::builder(2)
        .dense(3, Activation::Sigmoid)
        .dense(1, Activation::Sigmoid)
        .no_bias()
        .init(Init::StandardNormal)
        .seed(42)
        .skip_normals(45)
        .build()
        .unwrap()
}

#[test]
fn small_heatmap_writes_every_value() {
    let w = array![[-0.72, 1.5, 0.0], [0.25, -1.75, 3.0]];
    let svg = Heatmap::new(&w)
        .labels("input", "unit")
        .title("W")
        .draw()
        .unwrap();
    assert_valid(&svg);
    for v in ["-0.72", "1.5", "0.25", "-1.75"] {
        assert_eq!(written(&svg, v), 1, "{v}");
    }
    // 3 in its cell and at the top of the colour bar, −3 at its bottom.
    assert_eq!(written(&svg, "3"), 2);
    assert_eq!(written(&svg, "-3"), 1);
}

#[test]
fn large_heatmap_writes_no_values_and_stays_small() {
    let m = Array2::from_shape_fn((40, 30), |(r, c)| ((r * 31 + c * 17) % 23) as f64 - 11.0);
    let svg = plot::heatmap(&m).unwrap();
    assert_valid(&svg);
    assert_eq!(written(&svg, "-11"), 1); // only at the bottom of the colour bar
    assert!(svg.len() < 150_000, "{} bytes", svg.len());
}

#[test]
fn heatmap_refuses_what_it_cannot_draw() {
    let message = |r: nn::Result<Svg>| r.unwrap_err().to_string();
    assert!(message(plot::heatmap(&Array2::zeros((0, 2)))).contains("empty"));
    assert!(message(plot::heatmap(&Array2::zeros((65, 2)))).contains("at most 64 × 64"));
    assert!(message(plot::heatmap(&array![[1.0, f64::NAN]])).contains("NaN at row 0, column 1"));
    // All zeros is fine: everything white.
    assert_valid(&plot::heatmap(&Array2::zeros((2, 2))).unwrap());
}

#[test]
fn histograms_overlaid_and_separate() {
    let mut rng = NumpyRng::new(3);
    let a: Vec<f64> = (0..500).map(|_| rng.randn()).collect();
    let b: Vec<f64> = (0..500).map(|_| 0.5 * rng.randn() + 1.0).collect();
    let svg = plot::histograms(&[("a", &a[..]), ("b", &b[..])]).unwrap();
    assert_valid(&svg);
    // One outline per set, and one legend entry each.
    assert_eq!(svg.as_str().matches("stroke-width=\"2\" points").count(), 2);
    assert_eq!(written(&svg, "a") + written(&svg, "b"), 2);
    let svg = Histograms::new()
        .set("a", &a)
        .set("b", &b)
        .bins(10)
        .layout(Layout::Separate)
        .x_label("weight")
        .title("two sets")
        .draw()
        .unwrap();
    assert_valid(&svg);
    assert_eq!(written(&svg, "count"), 2); // one panel each
    assert_eq!(written(&svg, "weight"), 1); // one x axis name, under the last
                                            // A single value still has a bin.
    assert_valid(&plot::histograms(&[("one", &[2.0][..])]).unwrap());
}

#[test]
fn histograms_refuse_what_they_cannot_count() {
    let message = |r: nn::Result<Svg>| r.unwrap_err().to_string();
    assert!(message(plot::histograms(&[])).contains("nothing to count"));
    assert!(message(plot::histograms(&[("e", &[][..])])).contains("\"e\" is empty"));
    assert!(message(plot::histograms(&[("n", &[1.0, f64::NAN][..])])).contains("NaN at index 1"));
    assert!(message(Histograms::new().set("x", &[1.0]).bins(0).draw()).contains("bins"));
    let far = [-f64::MAX, f64::MAX];
    assert!(message(plot::histograms(&[("far", &far[..])])).contains("too far to draw"));
}

#[test]
fn diagram_of_the_original_network() {
    let net = original();
    let svg = plot::network(&net).unwrap();
    assert_valid(&svg);
    // A fill and a ring per node, one see-through line per weight.
    assert_eq!(svg.as_str().matches("<circle").count(), 2 * 6);
    assert_eq!(
        svg.as_str()
            .matches("<polyline fill=\"none\" opacity=\"0.8\"")
            .count(),
        9
    );
    // Every weight written on its edge, with 3 significant digits.
    let weights = [
        "-0.72", "-0.461", "1.06", "0.344", "-1.76", "0.324", "-0.385", "-0.677", "0.612",
    ];
    for w in weights {
        assert_eq!(written(&svg, w), 1, "{w}");
    }
    for name in [
        "x₁",
        "x₂",
        "h₁",
        "h₂",
        "h₃",
        "ŷ",
        "input",
        "hidden 1",
        "output",
        "sigmoid, no bias",
    ] {
        assert!(written(&svg, name) >= 1, "{name}");
    }
}

#[test]
fn diagram_shows_biases_and_leaves_large_layers_unwritten() {
    let mut net = Network::builder(4)
        .dense(16, Activation::Relu)
        .dense(2, Activation::Softmax)
        .build()
        .unwrap();
    net.layers[1].bias = Some(array![[0.5, -0.25]]);
    let svg = Diagram::new(&net)
        .title("4-16-2")
        .size(800, 600)
        .draw()
        .unwrap();
    assert_valid(&svg);
    assert!(svg
        .as_str()
        .starts_with("<svg width=\"800\" height=\"600\""));
    assert_eq!(written(&svg, "b = 0.5"), 1);
    assert_eq!(written(&svg, "b = -0.25"), 1);
    // 64 + 32 edges: too many to write on, so the only labels on white
    // patches are the two biases.
    assert_eq!(svg.as_str().matches("opacity=\"0.85\"").count(), 2);
}

#[test]
fn diagram_refuses_what_it_cannot_draw() {
    let message = |r: nn::Result<Svg>| r.unwrap_err().to_string();
    let huge = Network::builder(100)
        .dense(2, Activation::Sigmoid)
        .build()
        .unwrap();
    assert!(message(plot::network(&huge)).contains("at most 32"));
    assert!(message(plot::network(&Network { layers: vec![] })).contains("no layers"));
    let mut bad_bias = original();
    bad_bias.layers[0].bias = Some(Array2::zeros((1, 7)));
    assert!(message(plot::network(&bad_bias)).contains("bias is not 1 × 3"));
    let mut nan = original();
    nan.layers[1].weights[[0, 0]] = f64::NAN;
    assert!(message(plot::network(&nan)).contains("not a finite number"));
}

/// The same network and matrices give the pictures a person looked at and
/// stored (tests/data/snapshots/; see tests/snapshot/mod.rs to update them).
#[test]
fn matrices_match_their_stored_pictures() {
    let net = original();
    assert_snapshot("network_original", &plot::network(&net).unwrap());
    assert_snapshot(
        "heatmap_original_w1",
        &plot::heatmap(&net.layers[0].weights).unwrap(),
    );
    let mut wide = Network::builder(4)
        .dense(16, Activation::Relu)
        .dense(2, Activation::Softmax)
        .build()
        .unwrap();
    wide.layers[1].bias = Some(array![[0.5, -0.25]]);
    let diagram = Diagram::new(&wide).title("4-16-2").size(800, 600).draw();
    assert_snapshot("network_4_16_2", &diagram.unwrap());
    let mut rng = NumpyRng::new(3);
    let a: Vec<f64> = (0..500).map(|_| rng.randn()).collect();
    let b: Vec<f64> = (0..500).map(|_| 0.5 * rng.randn() + 1.0).collect();
    let overlaid = plot::histograms(&[("a", &a[..]), ("b", &b[..])]).unwrap();
    assert_snapshot("histograms_overlaid", &overlaid);
    let separate = Histograms::new()
        .set("a", &a)
        .set("b", &b)
        .bins(10)
        .layout(Layout::Separate)
        .x_label("weight")
        .title("two sets")
        .draw()
        .unwrap();
    assert_snapshot("histograms_separate", &separate);
}

#[test]
fn a_changed_picture_fails_and_says_how_to_store_it() {
    let dir = std::env::temp_dir().join(format!("nn-snapshot-test-{}", std::process::id()));
    let (stored, drawn) = (dir.join("stored"), dir.join("drawn"));
    let command = "NN_UPDATE_SNAPSHOTS=1 cargo test -p nn --test plot_matrices";
    let old = Svg("<svg>\n<circle r=\"1\"/>\n</svg>\n".into());
    let new = Svg("<svg>\n<circle r=\"2\"/>\n</svg>\n".into());
    let missing = snapshot::check(&stored, &drawn, "x", &old, false, command).unwrap_err();
    assert!(
        missing.starts_with("there is no stored picture"),
        "{missing}"
    );
    assert!(missing.contains(command), "{missing}");
    snapshot::check(&stored, &drawn, "x", &old, true, command).unwrap();
    snapshot::check(&stored, &drawn, "x", &old, false, command).unwrap();
    let changed = snapshot::check(&stored, &drawn, "x", &new, false, command).unwrap_err();
    assert!(
        changed.contains("line 2 was `<circle r=\"1\"/>` and is now `<circle r=\"2\"/>`"),
        "{changed}"
    );
    assert!(changed.contains(command), "{changed}");
    // The new picture is kept to look at; the stored one is left alone.
    assert_eq!(
        std::fs::read_to_string(drawn.join("x.svg")).unwrap(),
        new.as_str()
    );
    assert_eq!(
        std::fs::read_to_string(stored.join("x.svg")).unwrap(),
        old.as_str()
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
