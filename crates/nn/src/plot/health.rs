//! The health dashboard: one picture of whether every layer of a network
//! is learning, from a [`Recording`].

use std::ops::Range;

use plotters::coord::ranged1d::{AsRangedCoord, ValueFormatter};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::lines::extent;
use super::style::{bold, font, render, short, Area, DrawResult, Frame, GREY, GRID, INK};
use super::style::{NEGATIVE, POSITIVE};
use super::Svg;
use crate::error::{Error, Result};
use crate::snapshot::{Recording, Snapshot};

/// Layers drawn with their own colour and histogram; a deeper network is
/// refused (its panels would be too small to read).
const MOST_LAYERS: usize = 16;
/// The colours of the layers, from the input side to the output: dark
/// purple to green (viridis), so that depth reads as a change of colour.
const DEPTH: [(f64, f64, f64); 4] = [
    (68.0, 1.0, 84.0),
    (59.0, 82.0, 139.0),
    (33.0, 145.0, 140.0),
    (94.0, 201.0, 98.0),
];

/// One figure with everything that tells whether training is healthy,
/// after Karpathy's "Building makemore" lectures (nn-zero-to-hero):
///
/// | panel | healthy | ill |
/// | --- | --- | --- |
/// | training (and validation) loss per epoch | falls, validation close by | flat, or validation climbing |
/// | ‖∂L/∂W‖ per layer over time | similar sizes in every layer | shrinking towards layer 1: a vanishing gradient |
/// | log₁₀ ‖ΔW‖/‖W‖ per layer over time | near −3 | far below: a layer that does not learn; above −1: a wild one |
/// | each layer's activations at the last snapshot | spread over the range | piled up at a sigmoid's 0 and 1, or at ReLU's 0 |
/// | share of saturated (sigmoid, tanh) or dead (ReLU) units per layer | low | high: units that no longer learn |
///
/// Time runs on a log scale, like the snapshots of
/// [`Schedule::log_spaced`](crate::train::Schedule::log_spaced).
///
/// ```
/// use nn::prelude::*;
/// use nn::plot::Health;
///
/// let data = data::moons(100, 0.1, 0)?;
/// let mut net = Network::builder(2).dense(8, Activation::Relu).dense(8, Activation::Sigmoid).dense(1, Activation::Sigmoid).build()?;
/// let mut recorder = Recorder::new(Schedule::log_spaced(15, 100));
/// Trainer::new(Loss::BinaryCrossEntropy, Optimizer::adam(0.02))
///     .epochs(100)
///     .validation_split(0.2)
///     .observe(&mut recorder)
///     .fit(&mut net, &data)?;
/// let svg = Health::new(&recorder.finish()).title("2-8-8-1").draw()?;
/// assert!(svg.as_str().contains("validation") && svg.as_str().contains("layer 3"));
/// assert!(svg.as_str().contains("dead (ReLU)"));
/// # Ok::<(), nn::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Health<'a> {
    recording: &'a Recording,
    frame: Frame,
}

impl<'a> Health<'a> {
    /// The dashboard of `recording`.
    pub fn new(recording: &'a Recording) -> Self {
        Health {
            recording,
            frame: Frame::default(),
        }
    }

    /// A title above the dashboard.
    pub fn title(mut self, title: &str) -> Self {
        self.frame.title = Some(title.to_string());
        self
    }

    /// The size in pixels (default 1000 × 720).
    pub fn size(mut self, width: u32, height: u32) -> Self {
        self.frame.size = Some((width, height));
        self
    }

    /// Draws the dashboard. Errors if the recording has no snapshots or its
    /// network more than 16 layers.
    pub fn draw(&self) -> Result<Svg> {
        let rec = self.recording;
        let (Some(last), false) = (rec.snapshots.last(), rec.epochs.is_empty()) else {
            return Err(Error::Plot(
                "the recording has no snapshots; record some with \
                 Recorder::new(Schedule::log_spaced(20, epochs))"
                    .into(),
            ));
        };
        let layers = last.layers.len();
        if layers == 0
            || layers > MOST_LAYERS
            || rec.snapshots.iter().any(|s| s.layers.len() != layers)
        {
            return Err(Error::Plot(format!(
                "the dashboard draws networks of 1 to {MOST_LAYERS} layers, the same in every \
                 snapshot; this one has {layers}"
            )));
        }
        let last_epoch = rec.epochs.iter().map(|e| e.epoch).max().unwrap_or(1).max(2) as f64;
        let epochs = 1.0..last_epoch;
        render(&self.frame, (1000, 720), |area| {
            let (width, height) = area.dim_in_pixel();
            let (top, bottom) = area.split_vertically(height as i32 * 46 / 100);
            let (panels, legend) = top.split_horizontally(width as i32 - 96);
            let row = panels.split_evenly((1, 3));
            self.losses(&row[0], epochs.clone())?;
            let per_layer = |value: &dyn Fn(&Snapshot, usize) -> f64| -> Vec<Vec<(f64, f64)>> {
                (0..layers)
                    .map(|l| {
                        rec.snapshots
                            .iter()
                            .map(|s| (s.stats.epoch as f64, value(s, l)))
                            .filter(|p| p.1.is_finite())
                            .collect()
                    })
                    .collect()
            };
            let gradients = per_layer(&|s, l| s.layers[l].gradient_norm);
            let gradients: Vec<Vec<(f64, f64)>> = gradients
                .into_iter()
                .map(|g| g.into_iter().filter(|p| p.1 > 0.0).collect())
                .collect();
            let (lo, hi) = log_extent(gradients.iter().flatten().map(|p| p.1));
            panel(
                &row[1],
                "‖∂L/∂W‖ per layer (log scale)",
                epochs.clone().log_scale(),
                (lo..hi).log_scale(),
                &colour_lines(gradients),
                None,
                &|v| short(*v, 2),
            )?;
            let ratios = per_layer(&|s, l| s.layers[l].update_ratio.log10());
            let (lo, hi) = extent(ratios.iter().flatten().map(|p| p.1)).unwrap_or((-4.0, -2.0));
            let (lo, hi) = (lo.min(-3.5).floor(), hi.max(-2.5).ceil());
            panel(
                &row[2],
                "log₁₀ ‖ΔW‖/‖W‖ per layer",
                epochs.clone().log_scale(),
                lo..hi,
                &colour_lines(ratios),
                Some((-3.0, "−3: a healthy step")),
                &|v| short(*v, 2),
            )?;
            layer_legend(&legend, layers)?;
            let (histograms, shares) = bottom.split_horizontally(width as i32 * 62 / 100);
            self.histograms(&histograms, last)?;
            shares_panel(&shares, last)
        })
    }

    /// Training and validation loss per epoch.
    fn losses(&self, area: &Area, epochs: Range<f64>) -> DrawResult {
        let rec = self.recording;
        let train: Vec<(f64, f64)> = rec
            .epochs
            .iter()
            .map(|e| (e.epoch as f64, e.loss))
            .filter(|p| p.1 > 0.0 && p.1.is_finite())
            .collect();
        let validation: Vec<(f64, f64)> = rec
            .epochs
            .iter()
            .filter_map(|e| e.val_loss.map(|v| (e.epoch as f64, v)))
            .filter(|p| p.1 > 0.0 && p.1.is_finite())
            .collect();
        let (lo, hi) = log_extent(train.iter().chain(&validation).map(|p| p.1));
        let mut lines = vec![(POSITIVE, "training".to_string(), thin(train))];
        if !validation.is_empty() {
            lines.push((NEGATIVE, "validation".to_string(), thin(validation)));
        }
        // A log axis shows no ticks for less than a factor of 10.
        if hi / lo >= 10.0 {
            let y = (lo..hi).log_scale();
            panel(
                area,
                "loss (log scale)",
                epochs.log_scale(),
                y,
                &lines,
                None,
                &|v| short(*v, 2),
            )
        } else {
            let y = super::lines::padded(lo * 1.2, hi / 1.2);
            panel(area, "loss", epochs.log_scale(), y, &lines, None, &|v| {
                short(*v, 3)
            })
        }
    }

    /// Each layer's activation histogram at the last snapshot.
    fn histograms(&self, area: &Area, last: &Snapshot) -> DrawResult {
        let (top, body) = area.split_vertically(26);
        let title = format!("activations at epoch {}, per layer", last.stats.epoch);
        top.draw_text(&title, &bold(13.0), (60, 8))?;
        let layers = last.layers.len();
        let columns = layers.min(4);
        let rows = layers.div_ceil(columns);
        for (l, cell) in body
            .split_evenly((rows, columns))
            .iter()
            .enumerate()
            .take(layers)
        {
            let h = &last.layers[l].activations;
            let most = h.counts.iter().copied().max().unwrap_or(0).max(1) as f64;
            let (low, high) = if h.high > h.low {
                (h.low, h.high)
            } else {
                (h.low, h.low + 1.0)
            };
            let name = last
                .network
                .layers
                .get(l)
                .map_or("", |d| d.activation.name());
            let mut chart = ChartBuilder::on(cell)
                .margin(4)
                .margin_right(10)
                .caption(format!("layer {} ({name})", l + 1), font(11.0))
                .x_label_area_size(16)
                .build_cartesian_2d(low..high, 0.0..most)?;
            chart
                .configure_mesh()
                .disable_mesh()
                .disable_y_axis()
                .axis_style(GREY)
                .x_labels(3)
                .label_style(font(9.0))
                .x_label_formatter(&|v| short(*v, 2))
                .draw()?;
            let width = (high - low) / h.counts.len() as f64;
            let colour = depth_colour(l, layers);
            chart.draw_series(h.counts.iter().enumerate().map(|(b, &c)| {
                let x0 = low + width * b as f64;
                Rectangle::new(
                    [(x0, 0.0), (x0 + width, c as f64)],
                    colour.mix(0.85).filled(),
                )
            }))?;
        }
        Ok(())
    }
}

/// A line: its colour, its name, its points.
type Series = (RGBColor, String, Vec<(f64, f64)>);

/// Lines in the layers' colours, named "layer 1", "layer 2", …
fn colour_lines(lines: Vec<Vec<(f64, f64)>>) -> Vec<Series> {
    let layers = lines.len();
    lines
        .into_iter()
        .enumerate()
        .map(|(l, points)| (depth_colour(l, layers), format!("layer {}", l + 1), points))
        .collect()
}

/// At most about 400 points of a long curve: a panel 300 pixels wide shows no more.
fn thin(points: Vec<(f64, f64)>) -> Vec<(f64, f64)> {
    let every = points.len().div_ceil(400).max(1);
    let last = points.last().copied();
    let mut kept: Vec<(f64, f64)> = points.into_iter().step_by(every).collect();
    if let Some(last) = last {
        if kept.last() != Some(&last) {
            kept.push(last);
        }
    }
    kept
}

/// The range of positive values on a log axis, with a little room; 0.1 to
/// 1 when there are none.
fn log_extent(values: impl Iterator<Item = f64>) -> (f64, f64) {
    match extent(values.filter(|v| *v > 0.0 && v.is_finite())) {
        Some((lo, hi)) if hi > lo => (lo / 1.2, hi * 1.2),
        Some((v, _)) => (v / 2.0, v * 2.0),
        None => (0.1, 1.0),
    }
}

/// The colour of layer `l` of `layers` (0 is the input side).
fn depth_colour(l: usize, layers: usize) -> RGBColor {
    let t = if layers > 1 {
        l as f64 / (layers - 1) as f64
    } else {
        0.5
    };
    let t = t * (DEPTH.len() - 1) as f64;
    let k = (t.floor() as usize).min(DEPTH.len() - 2);
    let f = t - k as f64;
    let mix = |a: f64, b: f64| (a + (b - a) * f).round() as u8;
    let (a, b) = (DEPTH[k], DEPTH[k + 1]);
    RGBColor(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

/// A panel of lines over the epochs, with a title, and a dashed line at a
/// marked value if asked.
fn panel<X, Y>(
    area: &Area,
    title: &str,
    x: X,
    y: Y,
    lines: &[Series],
    mark: Option<(f64, &str)>,
    y_ticks: &dyn Fn(&f64) -> String,
) -> DrawResult
where
    X: AsRangedCoord<Value = f64>,
    X::CoordDescType: ValueFormatter<f64>,
    Y: AsRangedCoord<Value = f64>,
    Y::CoordDescType: ValueFormatter<f64>,
{
    let mut chart = ChartBuilder::on(area)
        .margin(8)
        .margin_right(14)
        .caption(title, bold(13.0))
        .x_label_area_size(36)
        .y_label_area_size(48)
        .build_cartesian_2d(x, y)?;
    chart
        .configure_mesh()
        .bold_line_style(GRID)
        .light_line_style(TRANSPARENT)
        .axis_style(GREY)
        .x_desc("epoch (log scale)")
        .axis_desc_style(font(12.0))
        .label_style(font(10.0))
        .x_labels(6)
        .y_labels(6)
        .x_label_formatter(&|v| short(*v, 3))
        .y_label_formatter(y_ticks)
        .draw()?;
    if let Some((value, label)) = mark {
        let (x0, x1) = (chart.x_range().start, chart.x_range().end);
        chart.draw_series(DashedLineSeries::new(
            [(x0, value), (x1, value)],
            6,
            4,
            INK.mix(0.6).stroke_width(1),
        ))?;
        let (px, py) = chart.backend_coord(&(x0, value));
        let (bx, by) = chart.plotting_area().get_base_pixel();
        let style = font(10.0).color(&GREY).pos(Pos::new(HPos::Left, VPos::Top));
        chart.plotting_area().strip_coord_spec().draw_text(
            label,
            &style,
            (px - bx + 4, py - by + 3),
        )?;
    }
    for (colour, _, points) in lines {
        chart.draw_series(LineSeries::new(
            points.iter().copied(),
            colour.stroke_width(2),
        ))?;
        if points.len() <= 20 {
            chart.draw_series(points.iter().map(|&p| Circle::new(p, 2, colour.filled())))?;
        }
    }
    // Named lines that are not layers (the losses) get their own legend.
    if lines.iter().any(|(_, name, _)| !name.starts_with("layer")) {
        for (i, (colour, name, _)) in lines.iter().enumerate() {
            // Lower left: loss curves fall from the upper left and end low
            // on the right.
            let (_, h) = chart.plotting_area().dim_in_pixel();
            let y = h as i32 - 14 - 16 * (lines.len() - 1 - i) as i32;
            let area = chart.plotting_area().strip_coord_spec();
            let x = 10;
            area.draw(&PathElement::new(
                vec![(x, y), (x + 18, y)],
                colour.stroke_width(3),
            ))?;
            area.draw_text(
                name,
                &font(11.0).pos(Pos::new(HPos::Left, VPos::Center)),
                (x + 24, y),
            )?;
        }
    }
    Ok(())
}

/// Which colour is which layer, for the line panels.
fn layer_legend(area: &Area, layers: usize) -> DrawResult {
    let step = ((area.dim_in_pixel().1 as i32 - 60) / layers as i32).clamp(12, 20);
    for l in 0..layers {
        let y = 40 + step * l as i32;
        let colour = depth_colour(l, layers);
        area.draw(&PathElement::new(
            vec![(4, y), (24, y)],
            colour.stroke_width(3),
        ))?;
        let style = font(11.0).pos(Pos::new(HPos::Left, VPos::Center));
        area.draw_text(&format!("layer {}", l + 1), &style, (30, y))?;
    }
    let style = font(10.0)
        .color(&GREY)
        .pos(Pos::new(HPos::Left, VPos::Center));
    area.draw_text("(1: input side)", &style, (4, 40 + step * layers as i32))
}

/// The share of saturated or dead units of each layer at the last snapshot.
fn shares_panel(area: &Area, last: &Snapshot) -> DrawResult {
    let layers = last.layers.len();
    let mut chart = ChartBuilder::on(area)
        .margin(8)
        .margin_right(16)
        .caption(
            format!("units that barely learn, epoch {}", last.stats.epoch),
            bold(13.0),
        )
        .x_label_area_size(36)
        .y_label_area_size(48)
        .build_cartesian_2d(0.5..layers as f64 + 0.5, 0.0..1.0)?;
    chart
        .configure_mesh()
        .bold_line_style(GRID)
        .light_line_style(TRANSPARENT)
        .axis_style(GREY)
        .x_desc("layer")
        .y_desc("share of the layer")
        .axis_desc_style(font(12.0))
        .label_style(font(10.0))
        .x_labels(layers.min(16))
        .y_labels(6)
        .x_label_formatter(&|v| {
            if v.fract() == 0.0 {
                format!("{v}")
            } else {
                String::new()
            }
        })
        .y_label_formatter(&|v| short(*v, 2))
        .draw()?;
    for (l, layer) in last.layers.iter().enumerate() {
        let x = (l + 1) as f64;
        let (value, colour) = match (layer.saturated, layer.dead) {
            (Some(s), _) => (s, NEGATIVE),
            (None, Some(d)) => (d, INK),
            (None, None) => {
                let (px, py) = chart.backend_coord(&(x, 0.0));
                let (bx, by) = chart.plotting_area().get_base_pixel();
                let style = font(11.0)
                    .color(&GREY)
                    .pos(Pos::new(HPos::Center, VPos::Bottom));
                chart.plotting_area().strip_coord_spec().draw_text(
                    "n/a",
                    &style,
                    (px - bx, py - by - 2),
                )?;
                continue;
            }
        };
        chart.draw_series([Rectangle::new(
            [(x - 0.3, 0.0), (x + 0.3, value.max(0.004))],
            colour.mix(0.85).filled(),
        )])?;
        let (px, py) = chart.backend_coord(&(x, value));
        let (bx, by) = chart.plotting_area().get_base_pixel();
        let style = font(10.0).pos(Pos::new(HPos::Center, VPos::Bottom));
        let percent = format!("{}%", short(100.0 * value, 2));
        chart.plotting_area().strip_coord_spec().draw_text(
            &percent,
            &style,
            (px - bx, py - by - 2),
        )?;
    }
    let area = chart.plotting_area().strip_coord_spec();
    let style = font(11.0).pos(Pos::new(HPos::Left, VPos::Center));
    for (i, (colour, text)) in [
        (NEGATIVE, "saturated (sigmoid, tanh)"),
        (INK, "dead (ReLU)"),
    ]
    .iter()
    .enumerate()
    {
        let y = 12 + 16 * i as i32;
        area.draw(&Rectangle::new(
            [(8, y - 5), (18, y + 5)],
            colour.mix(0.85).filled(),
        ))?;
        area.draw_text(text, &style, (24, y))?;
    }
    Ok(())
}

/// The health dashboard of `recording`. For a title or a size, use
/// [`Health`].
///
/// ```
/// use nn::prelude::*;
///
/// let data = data::moons(100, 0.1, 0)?;
/// let mut net = Network::builder(2).dense(4, Activation::Tanh).dense(1, Activation::Sigmoid).build()?;
/// let mut recorder = Recorder::new(Schedule::log_spaced(10, 50));
/// Trainer::new(Loss::BinaryCrossEntropy, Optimizer::gd(0.5)).epochs(50).observe(&mut recorder).fit(&mut net, &data)?;
/// let svg = plot::health(&recorder.finish())?;
/// assert!(svg.as_str().contains("‖∂L/∂W‖ per layer"));
/// assert!(plot::health(&nn::snapshot::Recording::default()).is_err());
/// # Ok::<(), nn::Error>(())
/// ```
pub fn health(recording: &Recording) -> Result<Svg> {
    Health::new(recording).draw()
}
