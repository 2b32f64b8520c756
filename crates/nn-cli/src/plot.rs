//! Loss curves as an SVG file, drawn by `nn::plot::Losses`: one line per
//! curve, epochs across, and the loss on a log scale whenever it can be
//! (every loss positive), since losses shrink by orders of magnitude.

use anyhow::Result;
use nn::plot::{Losses, Scale};

/// A curve to draw: its legend label and one value per epoch.
pub struct Curve {
    pub label: String,
    pub values: Vec<f64>,
}

/// The SVG text of `curves` under `title`.
pub fn loss_curves(title: &str, curves: &[Curve]) -> Result<String> {
    let positive = curves
        .iter()
        .flat_map(|c| &c.values)
        .filter(|v| v.is_finite())
        .all(|&v| v > 0.0);
    let scale = if positive { Scale::Log } else { Scale::Linear };
    let plot = curves
        .iter()
        .fold(Losses::new().title(title).scale(scale), |plot, c| {
            plot.series(&c.label, &c.values)
        });
    Ok(plot.draw()?.as_str().to_string())
}
