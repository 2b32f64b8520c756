//! The pictures of a network learning: filmstrip, Playground view, loss
//! landscape, health dashboard — and the smooth maps they are made of.
//! Each is parsed as XML and its parts counted.

use nn::plot::{self, Filmstrip, Health, Landscape, Playground, Slice, Svg, Weight};
use nn::prelude::*;
use roxmltree::Document;

/// The most a figure may weigh in a notebook.
const MOST_BYTES: usize = 150_000;

/// A 2-8-8-1 tanh network trained on 300 moons for 200 epochs, recorded at
/// 30 log-spaced epochs, with a validation split.
fn moons_run() -> (Dataset, Network, Recording) {
    let moons = data::moons(300, 0.2, 1).unwrap();
    let mut net = Network::builder(2)
        .dense(8, Activation::Tanh)
        .dense(8, Activation::Tanh)
        .dense(1, Activation::Sigmoid)
        .seed(2)
        .build()
        .unwrap();
    let mut recorder = Recorder::new(Schedule::log_spaced(30, 200));
    Trainer::new(Loss::BinaryCrossEntropy, Optimizer::adam(0.01))
        .epochs(200)
        .batch_size(32)
        .validation_split(0.2)
        .observe(&mut recorder)
        .fit(&mut net, &moons)
        .unwrap();
    (moons, net, recorder.finish())
}

/// Parses the figure, checks its size, and counts the elements named `tag`.
fn count(svg: &Svg, tag: &str) -> usize {
    let doc = Document::parse(svg.as_str()).expect("the figure is well-formed XML");
    assert_eq!(doc.root_element().tag_name().name(), "svg");
    assert!(svg.len() <= MOST_BYTES, "{} bytes", svg.len());
    doc.descendants()
        .filter(|n| n.tag_name().name() == tag)
        .count()
}

/// The texts of the figure, each trimmed.
fn texts(svg: &Svg) -> Vec<String> {
    let doc = Document::parse(svg.as_str()).unwrap();
    doc.descendants()
        .filter(|n| n.tag_name().name() == "text")
        .filter_map(|n| n.text().map(|t| t.trim().to_string()))
        .collect()
}

/// Every embedded image is a PNG whose chunks add up, of the given width.
fn embedded_pngs(svg: &Svg) -> Vec<(u32, u32)> {
    let doc = Document::parse(svg.as_str()).unwrap();
    let xlink = "http://www.w3.org/1999/xlink";
    doc.descendants()
        .filter(|n| n.tag_name().name() == "image")
        .map(|n| {
            let href = n.attribute((xlink, "href")).expect("an xlink:href");
            let data = href
                .strip_prefix("data:image/png;base64,")
                .expect("a PNG data URI");
            let png = base64_decode(data);
            assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
            // Chunks: length, type, data, CRC; IHDR first, IEND last.
            let mut at = 8;
            let mut kinds = Vec::new();
            while at < png.len() {
                let len = u32::from_be_bytes(png[at..at + 4].try_into().unwrap()) as usize;
                kinds.push(String::from_utf8(png[at + 4..at + 8].to_vec()).unwrap());
                at += 12 + len;
            }
            assert_eq!(at, png.len(), "the chunks fill the file exactly");
            assert_eq!(kinds.first().map(String::as_str), Some("IHDR"));
            assert_eq!(kinds.last().map(String::as_str), Some("IEND"));
            let width = u32::from_be_bytes(png[16..20].try_into().unwrap());
            let height = u32::from_be_bytes(png[20..24].try_into().unwrap());
            (width, height)
        })
        .collect()
}

fn base64_decode(text: &str) -> Vec<u8> {
    let digit = |c: u8| match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        b'/' => 63,
        _ => panic!("not base64: {c}"),
    };
    let mut out = Vec::new();
    for group in text.as_bytes().chunks(4) {
        let n = group
            .iter()
            .map(|&c| if c == b'=' { 0 } else { u32::from(digit(c)) })
            .fold(0u32, |n, d| n << 6 | d);
        let bytes = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
        let padding = group.iter().filter(|&&c| c == b'=').count();
        out.extend_from_slice(&bytes[..3 - padding]);
    }
    out
}

#[test]
fn filmstrip_has_one_panel_per_frame() {
    let (_, _, recording) = moons_run();
    let svg = Filmstrip::new(&recording).frames(6).draw().unwrap();
    assert_eq!(count(&svg, "image"), 6);
    let captions: Vec<String> = texts(&svg)
        .into_iter()
        .filter(|t| t.starts_with("epoch "))
        .collect();
    assert_eq!(captions.len(), 6);
    assert_eq!(captions.first().unwrap(), "epoch 1");
    assert_eq!(captions.last().unwrap(), "epoch 200");
    // Every panel's axes are named.
    assert_eq!(texts(&svg).iter().filter(|t| *t == "x₁").count(), 6);
    assert!(texts(&svg).iter().any(|t| t == "x₂"));
    for (width, height) in embedded_pngs(&svg) {
        assert_eq!((width, height), (40, 40));
    }
    // Later frames show a different boundary than earlier ones.
    let first = Filmstrip::new(&recording).at(&[1]).draw().unwrap();
    let last = Filmstrip::new(&recording).at(&[200]).draw().unwrap();
    assert_ne!(embedded_pngs(&first), Vec::new());
    assert_ne!(
        first.as_str().replace("epoch 1", ""),
        last.as_str().replace("epoch 200", "")
    );
}

#[test]
fn filmstrip_of_a_curve_fit_draws_one_curve_per_frame() {
    let x = Array2::from_shape_fn((30, 1), |(i, _)| i as f64 / 10.0);
    let data = Dataset::new(x.clone(), x.mapv(|v| (v * 2.0).sin())).unwrap();
    let mut net = Network::builder(1)
        .dense(8, Activation::Tanh)
        .dense(1, Activation::Identity)
        .build()
        .unwrap();
    let mut recorder = Recorder::new(Schedule::log_spaced(8, 100));
    Trainer::new(Loss::Mse, Optimizer::adam(0.05))
        .epochs(100)
        .observe(&mut recorder)
        .fit(&mut net, &data)
        .unwrap();
    let svg = plot::filmstrip(&recorder.finish(), 4).unwrap();
    // The curve is the only 2-pixel line in a panel.
    let doc = Document::parse(svg.as_str()).unwrap();
    let curves = doc
        .descendants()
        .filter(|n| n.tag_name().name() == "polyline" && n.attribute("stroke-width") == Some("2"))
        .count();
    assert_eq!(curves, 4);
    assert_eq!(count(&svg, "image"), 0);
}

#[test]
fn playground_draws_a_map_per_unit_and_a_line_per_weight_group() {
    let (moons, net, recording) = moons_run();
    let svg = Playground::snapshot(recording.snapshots.last().unwrap(), &moons)
        .draw()
        .unwrap();
    // 2 inputs + 8 + 8 + 1 units, and the large prediction.
    assert_eq!(count(&svg, "image"), 2 + 8 + 8 + 1 + 1);
    let pngs = embedded_pngs(&svg);
    assert_eq!(pngs.iter().filter(|&&p| p == (24, 24)).count(), 19);
    assert_eq!(pngs.iter().filter(|&&p| p == (60, 60)).count(), 1);
    // Every weight is one curve (a "C" in a path of its colour and width).
    let doc = Document::parse(svg.as_str()).unwrap();
    let curves: usize = doc
        .descendants()
        .filter_map(|n| n.attribute("d"))
        .map(|d| d.matches('C').count())
        .sum();
    assert_eq!(curves, 2 * 8 + 8 * 8 + 8);
    let texts = texts(&svg);
    for name in ["input", "hidden 1", "hidden 2", "output", "x₁", "x₂"] {
        assert!(texts.iter().any(|t| t == name), "{name}");
    }
    assert!(texts.iter().any(|t| t.starts_with("epoch 200 · loss")));
    // The picture follows the network.
    let first = Playground::snapshot(&recording.snapshots[0], &moons)
        .draw()
        .unwrap();
    assert_ne!(embedded_pngs(&first), Vec::new());
    assert_ne!(
        Playground::new(&recording.snapshots[0].network, &moons)
            .draw()
            .unwrap(),
        Playground::new(&net, &moons).draw().unwrap()
    );
}

#[test]
fn a_wide_network_stays_small() {
    let spirals = data::spirals(100, 3, 0.2, 0).unwrap();
    let net = Network::builder(2)
        .dense(32, Activation::Relu)
        .dense(32, Activation::Relu)
        .dense(3, Activation::Softmax)
        .build()
        .unwrap();
    let svg = plot::playground(&net, &spirals).unwrap();
    assert_eq!(count(&svg, "image"), 2 + 32 + 32 + 3 + 1);
    assert!(texts(&svg).iter().any(|t| t.contains("the 160 largest")));
    let boundary = plot::decision_boundary(&net, &spirals).unwrap();
    assert_eq!(count(&boundary, "image"), 1);
}

#[test]
fn plane_pictures_name_the_input_count_they_cannot_draw() {
    let data = Dataset::new(Array2::zeros((4, 3)), array![[0.0], [1.0], [0.0], [1.0]]).unwrap();
    let mut net = Network::builder(3)
        .dense(2, Activation::Tanh)
        .dense(1, Activation::Sigmoid)
        .build()
        .unwrap();
    let message = |r: nn::Result<Svg>| r.unwrap_err().to_string();
    assert!(message(plot::playground(&net, &data)).contains("the network takes 3"));
    let mut recorder = Recorder::new(Schedule::log_spaced(3, 5));
    Trainer::new(Loss::BinaryCrossEntropy, Optimizer::gd(0.1))
        .epochs(5)
        .observe(&mut recorder)
        .fit(&mut net, &data)
        .unwrap();
    let recording = recorder.finish();
    assert!(message(plot::filmstrip(&recording, 3)).contains("the network takes 3"));
    assert_eq!(count(&plot::health(&recording).unwrap(), "svg"), 1); // any network
    let empty = Recording::default();
    assert!(message(plot::filmstrip(&empty, 3)).contains("no snapshots"));
    assert!(message(plot::health(&empty)).contains("no snapshots"));
}

/// Named paths across a slice.
type Paths = Vec<(&'static str, Vec<(f64, f64)>)>;

/// Paths of GD, momentum and Adam from one start on a two-weight network.
fn paths() -> (Dataset, Slice, Paths) {
    let data = data::moons(100, 0.15, 0).unwrap();
    let mut start = Network::builder(2)
        .dense(1, Activation::Sigmoid)
        .no_bias()
        .build()
        .unwrap();
    start.layers[0].weights = array![[-3.0], [3.0]];
    let slice = Slice::weights(&start, Weight::new(1, 1, 1), Weight::new(1, 2, 1)).unwrap();
    let mut paths = Vec::new();
    for (name, optimizer) in [
        ("GD", Optimizer::gd(1.0)),
        ("momentum", Optimizer::momentum(0.3)),
        ("Adam", Optimizer::adam(0.1)),
    ] {
        let mut net = start.clone();
        let mut tracker = slice.tracker(&net);
        Trainer::new(Loss::BinaryCrossEntropy, optimizer)
            .epochs(25)
            .observe(&mut tracker)
            .fit(&mut net, &data)
            .unwrap();
        assert_eq!(tracker.path().len(), 26);
        assert_eq!(tracker.path()[25], slice.coordinates(&net).unwrap());
        paths.push((name, tracker.path().to_vec()));
    }
    (data, slice, paths)
}

#[test]
fn landscape_draws_every_path_with_a_marker_per_step() {
    let (data, slice, paths) = paths();
    let mut figure = Landscape::new(&slice, &data, Loss::BinaryCrossEntropy);
    for (name, path) in &paths {
        figure = figure.path(name, path);
    }
    let svg = figure.draw().unwrap();
    assert_eq!(count(&svg, "image"), 1);
    assert_eq!(embedded_pngs(&svg), vec![(60, 60)]);
    // A ring (white under dark) at each start.
    assert_eq!(count(&svg, "circle") - 3, 2 * 3); // and a dot per legend line
    let doc = Document::parse(svg.as_str()).unwrap();
    let strokes = |colour: &str| -> Vec<String> {
        doc.descendants()
            .filter(|n| n.tag_name().name() == "path" && n.attribute("stroke") == Some(colour))
            .filter_map(|n| n.attribute("d").map(str::to_string))
            .collect()
    };
    // The first path's colour: its line, its 25 step markers (each a white
    // ring under a coloured dot) and its end.
    let gd = strokes("#4e79a7");
    assert_eq!(gd.len(), 3);
    assert_eq!(gd[0].matches('L').count(), 25);
    assert_eq!(gd[1].matches("h0").count(), 25);
    let texts = texts(&svg);
    for legend in [
        "GD (25 steps)",
        "momentum (25 steps)",
        "Adam (25 steps)",
        "w¹₁₁",
        "w¹₂₁",
    ] {
        assert!(texts.iter().any(|t| t == legend), "{legend}");
    }
}

#[test]
fn landscape_through_random_directions() {
    let (moons, net, _) = moons_run();
    let slice = Slice::random(&net, 3).unwrap();
    let svg = Landscape::new(&slice, &moons, Loss::BinaryCrossEntropy)
        .resolution(30)
        .draw()
        .unwrap();
    assert_eq!(embedded_pngs(&svg), vec![(30, 30)]);
    assert!(texts(&svg).iter().any(|t| t == "α (direction 1)"));
    // A direction is as long as the weights, unit by unit.
    let one_step = slice.network_at(1.0, 0.0);
    for (moved, layer) in one_step.layers.iter().zip(&net.layers) {
        for j in 0..layer.outputs() {
            let d = &moved.weights.column(j) - &layer.weights.column(j);
            let own = layer.weights.column(j).mapv(|v| v * v).sum().sqrt();
            assert!((d.mapv(|v| v * v).sum().sqrt() - own).abs() < 1e-12);
        }
        assert_eq!(moved.bias, layer.bias); // biases stay
    }
}

#[test]
fn landscape_refuses_what_it_cannot_draw() {
    let (data, slice, _) = paths();
    let message = |r: nn::Result<Svg>| r.unwrap_err().to_string();
    let net = slice.origin().clone();
    let err = Slice::weights(&net, Weight::new(1, 3, 1), Weight::new(1, 1, 1)).unwrap_err();
    assert!(err.to_string().contains("there is no weight w¹₃₁"), "{err}");
    assert!(Slice::weights(&net, (1, 1, 1), (1, 1, 1)).is_err());
    let nan = [(0.0, 0.0), (f64::NAN, 1.0)];
    assert!(message(
        Landscape::new(&slice, &data, Loss::Mse)
            .path("bad", &nan)
            .draw()
    )
    .contains("\"bad\""));
    let three = Dataset::new(Array2::zeros((2, 3)), array![[0.0], [1.0]]).unwrap();
    assert!(message(Landscape::new(&slice, &three, Loss::Mse).draw())
        .contains("does not fit the network"));
}

#[test]
fn health_has_every_panel_in_one_figure() {
    let (_, _, recording) = moons_run();
    let svg = Health::new(&recording).title("moons").draw().unwrap();
    assert_eq!(count(&svg, "svg"), 1);
    let texts = texts(&svg);
    for panel in [
        "loss (log scale)",
        "‖∂L/∂W‖ per layer (log scale)",
        "log₁₀ ‖ΔW‖/‖W‖ per layer",
        "activations at epoch 200, per layer",
        "units that barely learn, epoch 200",
        "training",
        "validation",
        "layer 1 (tanh)",
        "layer 3 (sigmoid)",
    ] {
        assert!(texts.iter().any(|t| t == panel), "{panel}");
    }
    assert_eq!(
        texts
            .iter()
            .filter(|t| t.as_str() == "epoch (log scale)")
            .count(),
        3
    );
    // One line per layer in the gradient and update panels.
    let doc = Document::parse(svg.as_str()).unwrap();
    let thick = doc
        .descendants()
        .filter(|n| n.tag_name().name() == "polyline" && n.attribute("stroke-width") == Some("2"))
        .count();
    assert_eq!(thick, 2 + 3 + 3); // training, validation; 3 layers twice
                                  // The dashboard changes when the run does.
    let mut shorter = recording.clone();
    shorter.snapshots.truncate(10);
    assert_ne!(
        Health::new(&shorter).draw().unwrap(),
        Health::new(&recording).draw().unwrap()
    );
}

#[test]
fn smooth_maps_have_class_coloured_points() {
    let (moons, net, _) = moons_run();
    let svg = plot::hidden_units(&net, 0, &moons).unwrap();
    assert_eq!(count(&svg, "image"), 8);
    // Dots in both class colours, in every map, with no rectangles of cells.
    assert_eq!(
        svg.as_str()
            .matches("stroke=\"#e87d1e\" stroke-width=\"5\"")
            .count(),
        8
    );
    assert_eq!(
        svg.as_str()
            .matches("stroke=\"#2c6fbb\" stroke-width=\"5\"")
            .count(),
        8
    );
    assert!(count(&svg, "rect") < 60);
}
