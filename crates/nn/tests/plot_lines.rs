//! Loss curves, function plots and the `Svg` type: valid SVG, the expected
//! lines and legend entries, small files, clear errors, same input → same
//! picture.

use nn::plot::{self, Functions, Losses, Scale, Svg};
use nn::prelude::*;

mod snapshot;
use snapshot::assert_snapshot;

/// Checks what any SVG viewer needs: one root element, closed, and every
/// text element closed.
fn assert_valid(svg: &Svg) {
    let text = svg.as_str();
    assert!(text.starts_with("<svg "), "{}", &text[..40.min(text.len())]);
    assert!(text.contains("xmlns=\"http://www.w3.org/2000/svg\""));
    assert!(text.trim_end().ends_with("</svg>"));
    assert_eq!(
        text.matches("<text").count(),
        text.matches("</text>").count()
    );
    assert!(!text.contains("NaN") && !text.contains("inf\""));
}

/// Data lines are drawn 2 pixels wide, legend marks 3.
fn lines_and_legend(svg: &Svg) -> (usize, usize) {
    let text = svg.as_str();
    (
        text.matches("stroke-width=\"2\" points").count(),
        text.matches("stroke-width=\"3\" points").count(),
    )
}

fn falling(n: usize) -> Vec<f64> {
    (1..=n).map(|e| 0.25 / (e as f64).sqrt() + 0.002).collect()
}

#[test]
fn losses_draw_one_line_and_legend_entry_per_series() {
    let (a, b, c) = (falling(50), falling(80), falling(20));
    let svg = plot::losses(
        &[("a", &a[..]), ("b", &b[..]), ("c", &c[..])],
        Scale::Linear,
    )
    .unwrap();
    assert_valid(&svg);
    assert_eq!(lines_and_legend(&svg), (3, 3));
    for name in ["a", "b", "c", "epoch", "loss"] {
        assert!(svg.as_str().contains(&format!("\n{name}\n")), "{name}");
    }
}

#[test]
fn log_scale_labels_powers_of_ten() {
    let svg = plot::losses(&[("loss", &falling(10_000)[..])], Scale::Log).unwrap();
    assert_valid(&svg);
    assert!(svg.as_str().contains("loss (log scale)"));
    assert!(svg.as_str().contains("\n0.01\n") && svg.as_str().contains("\n1\n"));
}

#[test]
fn ten_thousand_epochs_stay_under_100_kb() {
    let noisy: Vec<f64> = (1..=20_000)
        .map(|e| 0.3 / (e as f64).sqrt() * (1.0 + 0.1 * (e as f64 * 0.7).sin()))
        .collect();
    for scale in [Scale::Linear, Scale::Log] {
        let svg =
            plot::losses(&[("one", &noisy[..]), ("two", &falling(10_000)[..])], scale).unwrap();
        assert!(svg.len() < 100_000, "{} bytes", svg.len());
        // No line has more than 500 points.
        for line in svg
            .as_str()
            .lines()
            .filter(|l| l.contains("stroke-width=\"2\" points"))
        {
            assert!(line.matches(',').count() <= 500);
        }
    }
}

#[test]
fn downsampling_keeps_the_lowest_loss() {
    let mut losses = falling(10_000);
    losses[7_777] = 1e-6;
    let points: Vec<(f64, f64)> = losses
        .iter()
        .enumerate()
        .map(|(i, &l)| (i as f64, l))
        .collect();
    let thin = plot::downsample(&points, 500);
    assert!(thin.len() <= 500);
    assert!(thin.contains(&(7_777.0, 1e-6)));
}

#[test]
fn sparse_logs_plot_at_their_epochs() {
    let svg = Losses::new()
        .series_at(
            "logged",
            &[1, 2, 3, 1000, 2000],
            &[0.3, 0.2, 0.1, 0.01, 0.02],
        )
        .scale(Scale::Log)
        .title("a sparse log")
        .size(800, 300)
        .draw()
        .unwrap();
    assert_valid(&svg);
    assert!(svg
        .as_str()
        .starts_with("<svg width=\"800\" height=\"300\""));
    assert!(svg.as_str().contains("a sparse log"));
    // Few points: a dot on each.
    assert_eq!(svg.as_str().matches("<circle").count(), 5);
}

#[test]
fn diverged_runs_draw_what_is_finite() {
    let run = [0.3, 0.2, f64::INFINITY, f64::NAN];
    let svg = plot::losses(&[("diverged", &run[..])], Scale::Log).unwrap();
    assert_valid(&svg);
    // A log scale cannot show 0, so a loss of exactly 0 is left out too.
    let svg = plot::losses(&[("perfect", &[0.5, 0.0][..])], Scale::Log).unwrap();
    assert_valid(&svg);
}

#[test]
fn bad_loss_input_is_an_error_with_a_message() {
    let message = |r: nn::Result<Svg>| r.unwrap_err().to_string();
    assert!(message(plot::losses(&[], Scale::Linear)).contains("at least one line"));
    assert!(message(plot::losses(&[("empty", &[][..])], Scale::Linear))
        .contains("\"empty\" has no finite loss"));
    assert!(
        message(plot::losses(&[("zeros", &[0.0, 0.0][..])], Scale::Log))
            .contains("log scale cannot show 0")
    );
    let mismatch = Losses::new().series_at("m", &[1, 2, 3], &[0.1]).draw();
    assert!(message(mismatch).contains("3 epochs but 1 losses"));
    let tiny = Losses::new().series("x", &[1.0]).size(10, 10).draw();
    assert!(message(tiny).contains("invalid size = (10, 10)"));
    let few = Losses::new().series("x", &[1.0]).max_points(1).draw();
    assert!(message(few).contains("max_points"));
}

#[test]
fn extreme_values_are_an_error_not_a_hang() {
    // plotters never finishes placing ticks on an axis of infinite length.
    let message = |r: nn::Result<Svg>| r.unwrap_err().to_string();
    let wild = [1e-300, 1e300];
    assert!(message(plot::losses(&[("wild", &wild[..])], Scale::Log))
        .contains("more than 100 powers of ten"));
    let huge = [0.0, f64::MAX];
    assert!(
        message(plot::losses(&[("huge", &huge[..])], Scale::Linear)).contains("too far to draw")
    );
    let steep = |x: f64| x * f64::MAX;
    assert!(message(plot::function(&[("steep", &steep)], -1.0..=1.0)).contains("too far to draw"));
}

/// The same input gives the pictures a person looked at and stored
/// (tests/data/snapshots/; see tests/snapshot/mod.rs to update them).
#[test]
fn lines_match_their_stored_pictures() {
    let losses = Losses::new()
        .series("a", &falling(3000))
        .series("b", &falling(100))
        .scale(Scale::Log)
        .draw()
        .unwrap();
    assert_snapshot("losses_log", &losses);
    let linear = plot::losses(&[("loss", &falling(200)[..])], Scale::Linear).unwrap();
    assert_snapshot("losses_linear", &linear);
    assert_snapshot(
        "activation_tanh",
        &plot::activation(Activation::Tanh).unwrap(),
    );
    let sigmoid = |z| Activation::Sigmoid.value(z);
    let slope = |z| Activation::Sigmoid.derivative(z);
    let curves = plot::function(&[("σ(z)", &sigmoid), ("σ'(z)", &slope)], -6.0..=6.0).unwrap();
    assert_snapshot("function_sigmoid_and_slope", &curves);
}

#[test]
fn functions_draw_each_curve() {
    let sigmoid = |z| Activation::Sigmoid.value(z);
    let slope = |z| Activation::Sigmoid.derivative(z);
    let svg = plot::function(&[("σ(z)", &sigmoid), ("σ'(z)", &slope)], -6.0..=6.0).unwrap();
    assert_valid(&svg);
    assert_eq!(lines_and_legend(&svg), (2, 2));
    for a in Activation::ALL {
        assert_valid(&plot::activation(a).unwrap());
    }
}

#[test]
fn function_gaps_split_the_line() {
    // −ln p is infinite at p = 0 and ln p is NaN below 0: two gaps.
    let svg = Functions::new(-1.0..=1.0)
        .curve("ln |p|", |p: f64| if p < 0.0 { f64::NAN } else { p.ln() })
        .samples(21)
        .labels("p", "ln p")
        .draw()
        .unwrap();
    assert_valid(&svg);
    assert_eq!(lines_and_legend(&svg), (1, 1)); // only the part for p > 0
}

#[test]
fn bad_function_input_is_an_error_with_a_message() {
    let message = |r: nn::Result<Svg>| r.unwrap_err().to_string();
    let line = |x: f64| x;
    assert!(message(plot::function(&[("x", &line)], 1.0..=1.0)).contains("start < end"));
    assert!(message(plot::function(&[("x", &line)], f64::NAN..=1.0)).contains("x range"));
    assert!(message(plot::function(&[], 0.0..=1.0)).contains("no function"));
    let nothing = |_: f64| f64::NAN;
    assert!(message(plot::function(&[("nothing", &nothing)], 0.0..=1.0))
        .contains("\"nothing\" is not a finite number"));
    assert!(
        message(Functions::new(0.0..=1.0).curve("x", line).samples(1).draw()).contains("samples")
    );
}

#[test]
fn svg_shows_in_one_block_and_saves() {
    let svg = plot::activation(Activation::Relu).unwrap();
    let out = nn::display::evcxr_output("image/svg+xml", svg.as_str());
    assert!(out.starts_with("EVCXR_BEGIN_CONTENT image/svg+xml\n<svg "));
    assert!(out.ends_with("</svg>\nEVCXR_END_CONTENT\n"));

    let folder = std::env::temp_dir().join(format!("nn-plot-test-{}", std::process::id()));
    std::fs::create_dir_all(&folder).unwrap();
    let path = folder.join("relu.svg");
    svg.save(&path).unwrap();
    assert_eq!(std::fs::read_to_string(&path).unwrap(), svg.as_str());
    // Only the picture is left in the folder: the temporary file was renamed.
    assert_eq!(std::fs::read_dir(&folder).unwrap().count(), 1);
    let err = svg.save(folder.join("missing").join("x.svg")).unwrap_err();
    assert!(err.to_string().contains("cannot create a file in"));
    let err = svg.save(&folder).unwrap_err(); // a folder, not a file
    assert!(matches!(err, nn::Error::File { .. }));
    std::fs::remove_dir_all(&folder).unwrap();
}

/// The stored-picture check fails on a changed picture, names the first
/// changed line and writes the new picture to look at.
#[test]
fn a_changed_picture_fails_its_snapshot() {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("snapshot-check");
    let (stored, drawn) = (dir.join("stored"), dir.join("drawn"));
    let svg = plot::activation(Activation::Tanh).unwrap();
    snapshot::check(&stored, &drawn, "tanh", &svg, true, "cmd").unwrap();
    assert_eq!(
        snapshot::check(&stored, &drawn, "tanh", &svg, false, "cmd"),
        Ok(())
    );
    let other = plot::activation(Activation::Sigmoid).unwrap();
    let err = snapshot::check(&stored, &drawn, "tanh", &other, false, "cmd").unwrap_err();
    assert!(
        err.contains("tanh.svg differs") && err.contains("line "),
        "{err}"
    );
    assert!(drawn.join("tanh.svg").is_file());
    let err = snapshot::check(&stored, &drawn, "missing", &svg, false, "cmd").unwrap_err();
    assert!(err.contains("there is no stored picture"), "{err}");
}
