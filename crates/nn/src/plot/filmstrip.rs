//! The filmstrip: what the network predicts at several moments of one
//! training run, side by side — the decision boundary forming.

use ndarray::Array2;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::boundary::{draw_boundary, shades};
use super::lines::padded;
use super::plane::{check_plane, check_resolution, draw_points, Plane, PlaneChart};
use super::style::{
    bold, check_network, check_span, font, render_spliced, short, text_width, tick,
};
use super::style::{Area, DrawResult, Frame, GREY, INK, POSITIVE};
use super::Svg;
use crate::data::Dataset;
use crate::error::{Error, Result};
use crate::snapshot::{Recording, Snapshot};

/// A panel's size in pixels, and the room under it for its caption.
const PANEL: u32 = 190;
const CAPTION: i32 = 40;
/// The key along the bottom.
const KEY: i32 = 38;

/// Small multiples of a [`Recording`]: the decision boundary (for a network
/// with 2 inputs) or the fitted curve (1 input, 1 output) at some of its
/// snapshots, each with its epoch and loss under it, all on the same axes.
///
/// By default the frames are spread evenly over the snapshots, so with a
/// [`Schedule::log_spaced`](crate::train::Schedule::log_spaced) recording
/// they are dense early, where the network changes fastest.
///
/// ```
/// use nn::prelude::*;
/// use nn::plot::Filmstrip;
///
/// let data = data::moons(100, 0.1, 0)?;
/// let mut net = Network::builder(2).dense(8, Activation::Tanh).dense(1, Activation::Sigmoid).seed(1).build()?;
/// let mut recorder = Recorder::new(Schedule::log_spaced(10, 200));
/// Trainer::new(Loss::BinaryCrossEntropy, Optimizer::adam(0.05))
///     .epochs(200)
///     .observe(&mut recorder)
///     .fit(&mut net, &data)?;
/// let recording = recorder.finish();
/// let svg = Filmstrip::new(&recording).frames(4).title("the moons, learned").draw()?;
/// assert_eq!(svg.as_str().matches("<image").count(), 4); // one map per frame
/// assert!(svg.as_str().contains("epoch 200"));
/// // The snapshots at epoch 1 and at (or last before) epoch 1000:
/// let chosen = Filmstrip::new(&recording).at(&[1, 1000]).draw()?;
/// assert!(chosen.as_str().contains("epoch 1\n") && chosen.as_str().contains("epoch 200"));
/// # Ok::<(), nn::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Filmstrip<'a> {
    recording: &'a Recording,
    data: Option<&'a Dataset>,
    frames: usize,
    epochs: Option<Vec<usize>>,
    resolution: usize,
    frame: Frame,
}

impl<'a> Filmstrip<'a> {
    /// The filmstrip of `recording`, over the data it trained on.
    pub fn new(recording: &'a Recording) -> Self {
        Filmstrip {
            recording,
            data: None,
            frames: 6,
            epochs: None,
            resolution: 40,
            frame: Frame::default(),
        }
    }

    /// How many frames (default 6), spread evenly over the snapshots; rows
    /// of at most 6.
    pub fn frames(mut self, frames: usize) -> Self {
        self.frames = frames;
        self
    }

    /// The snapshots at (or last before) these epochs, instead of
    /// [`frames`](Filmstrip::frames) spread evenly.
    pub fn at(mut self, epochs: &[usize]) -> Self {
        self.epochs = Some(epochs.to_vec());
        self
    }

    /// Other data to draw than the recording's (such as the validation rows).
    pub fn data(mut self, data: &'a Dataset) -> Self {
        self.data = Some(data);
        self
    }

    /// Cells along each side of a map (default 40, at most 300).
    pub fn resolution(mut self, cells: usize) -> Self {
        self.resolution = cells;
        self
    }

    /// A title above the frames.
    pub fn title(mut self, title: &str) -> Self {
        self.frame.title = Some(title.to_string());
        self
    }

    /// The size in pixels (default: 190 pixels a frame, plus captions).
    pub fn size(mut self, width: u32, height: u32) -> Self {
        self.frame.size = Some((width, height));
        self
    }

    /// The snapshots to draw, in order.
    fn chosen(&self) -> Result<Vec<&'a Snapshot>> {
        let all = &self.recording.snapshots;
        if all.is_empty() {
            return Err(Error::Plot(
                "the recording has no snapshots; record some with \
                 Recorder::new(Schedule::log_spaced(20, epochs))"
                    .into(),
            ));
        }
        let mut chosen: Vec<&Snapshot> = match &self.epochs {
            Some(epochs) => epochs
                .iter()
                .filter_map(|&e| self.recording.at(e))
                .collect(),
            None => {
                if !(1..=24).contains(&self.frames) {
                    return Err(Error::InvalidParameter {
                        name: "frames",
                        value: self.frames.to_string(),
                        valid: "between 1 and 24",
                    });
                }
                let k = self.frames.min(all.len());
                (0..k)
                    .map(|i| {
                        let at = if k == 1 {
                            all.len() - 1
                        } else {
                            i * (all.len() - 1) / (k - 1)
                        };
                        &all[at]
                    })
                    .collect()
            }
        };
        chosen.dedup_by_key(|s| s.stats.epoch);
        if chosen.is_empty() || chosen.len() > 24 {
            return Err(Error::InvalidParameter {
                name: "epochs",
                value: format!("{} epochs", chosen.len()),
                valid: "between 1 and 24 epochs",
            });
        }
        Ok(chosen)
    }

    /// Draws the frames. Errors if the recording has no snapshots or no
    /// data, or if its network takes other than 1 or 2 inputs.
    pub fn draw(&self) -> Result<Svg> {
        check_resolution(self.resolution)?;
        let chosen = self.chosen()?;
        let data = self.data.or(self.recording.data.as_ref()).ok_or_else(|| {
            Error::Plot("the recording has no data; give it some with .data(&dataset)".into())
        })?;
        let net = &chosen[0].network;
        check_network(net)?;
        let count = chosen.len();
        let columns = count.div_ceil(count.div_ceil(6));
        let rows = count.div_ceil(columns);
        let title = if self.frame.title.is_some() { 32 } else { 0 };
        let default = (
            (columns as u32 * PANEL + 10).max(300),
            rows as u32 * (PANEL + CAPTION as u32) + KEY as u32 + title,
        );
        match net.inputs() {
            2 => {
                let plane = Plane::around(&data.x, self.resolution)?;
                let centres = plane.centres();
                let mut outputs = Vec::with_capacity(count);
                for snapshot in &chosen {
                    check_plane(&snapshot.network, data)?;
                    outputs.push(snapshot.network.predict(&centres)?);
                }
                let several = outputs[0].ncols() > 1;
                render_spliced(&self.frame, default, |area, splice| {
                    let (panels, key) = area.split_vertically(area.dim_in_pixel().1 as i32 - KEY);
                    let cells = panels.split_evenly((rows, columns));
                    for (i, (snapshot, outputs)) in chosen.iter().zip(&outputs).enumerate() {
                        let (top, caption) = split_caption(&cells[i]);
                        let chart = plane_chart(&top, &plane, i % columns == 0)?;
                        plane.draw_map(&chart, splice, &shades(outputs))?;
                        draw_boundary(&chart, splice, &plane, outputs, 1.2)?;
                        draw_points(&chart, splice, &plane, data, 2.5, 150)?;
                        border(&chart, &plane)?;
                        draw_caption(&caption, snapshot)?;
                    }
                    let shade = if several {
                        "shade: the class with the largest output"
                    } else {
                        "shade: the output (orange 0, white 0.5, blue 1)"
                    };
                    let line = if several {
                        "line: the class borders"
                    } else {
                        "line: where it is 0.5"
                    };
                    draw_key(&key, &[shade, line, "dots: the data, by class"])
                })
            }
            1 => self.draw_curves(&chosen, data, default, columns, rows),
            inputs => Err(Error::Plot(format!(
                "the filmstrip draws the plane of 2 inputs or the curve of 1, \
                 but the network takes {inputs}"
            ))),
        }
    }

    /// The fitted curve of a network with 1 input and 1 output, frame by frame.
    fn draw_curves(
        &self,
        chosen: &[&Snapshot],
        data: &Dataset,
        default: (u32, u32),
        columns: usize,
        rows: usize,
    ) -> Result<Svg> {
        let outputs = chosen[0].network.outputs();
        if outputs != 1 || data.x.ncols() != 1 || data.y.ncols() != 1 || data.is_empty() {
            return Err(Error::Plot(format!(
                "a filmstrip of a network with 1 input draws its one output against \
                 the input; the network has {outputs} outputs and the data is {} × {} \
                 with {} target columns",
                data.x.nrows(),
                data.x.ncols(),
                data.y.ncols()
            )));
        }
        let (lo, hi) = extent(data.x.iter().copied());
        let x = padded(lo, hi);
        check_span("x", &x)?;
        let xs = Array2::from_shape_fn((120, 1), |(i, _)| {
            x.start + (x.end - x.start) * i as f64 / 119.0
        });
        let mut curves = Vec::with_capacity(chosen.len());
        for snapshot in chosen {
            curves.push(snapshot.network.predict(&xs)?);
        }
        let values = data.y.iter().chain(curves.iter().flatten()).copied();
        let (lo, hi) = extent(values.filter(|v| v.is_finite()));
        let y = padded(lo, hi);
        check_span("y", &y)?;
        render_spliced(&self.frame, default, |area, splice| {
            let (panels, key) = area.split_vertically(area.dim_in_pixel().1 as i32 - KEY);
            let cells = panels.split_evenly((rows, columns));
            for (i, (snapshot, curve)) in chosen.iter().zip(&curves).enumerate() {
                let (top, caption) = split_caption(&cells[i]);
                let mut chart = ChartBuilder::on(&top)
                    .margin(4)
                    .margin_right(10)
                    .x_label_area_size(36)
                    .y_label_area_size(38)
                    .build_cartesian_2d(x.clone(), y.clone())?;
                chart
                    .configure_mesh()
                    .disable_mesh()
                    .axis_style(GREY)
                    .x_labels(3)
                    .y_labels(4)
                    .label_style(font(10.0))
                    .axis_desc_style(font(12.0))
                    .x_desc("x")
                    .y_desc(if i % columns == 0 { "y" } else { "" })
                    .x_label_formatter(&|v| tick(*v, x.end - x.start))
                    .y_label_formatter(&|v| tick(*v, y.end - y.start))
                    .draw()?;
                let points: Vec<(f64, f64)> = data
                    .x
                    .iter()
                    .zip(data.y.iter())
                    .take(400)
                    .map(|(&a, &b)| {
                        let (px, py) = chart.backend_coord(&(a, b));
                        (f64::from(px), f64::from(py))
                    })
                    .collect();
                splice.dots(&chart.plotting_area().strip_coord_spec(), &points, INK, 2.0)?;
                let line = xs
                    .iter()
                    .zip(curve.iter())
                    .map(|(&a, &b)| (a, b.clamp(y.start, y.end)));
                chart.draw_series(LineSeries::new(line, POSITIVE.stroke_width(2)))?;
                draw_caption(&caption, snapshot)?;
            }
            draw_key(&key, &["blue line: the network's output", "dots: the data"])
        })
    }
}

/// The smallest and largest value (0 and 1 for none).
fn extent(values: impl Iterator<Item = f64>) -> (f64, f64) {
    super::lines::extent(values).unwrap_or((0.0, 1.0))
}

/// A frame's cell cut into the panel and the caption under it.
fn split_caption<'b>(cell: &Area<'b>) -> (Area<'b>, Area<'b>) {
    cell.split_vertically(cell.dim_in_pixel().1 as i32 - CAPTION)
}

/// A chart of the plane with 3 ticks on each axis; `x₂` is named on the
/// first column only.
pub(crate) fn plane_chart<'a, 'b>(
    area: &'a Area<'b>,
    plane: &Plane,
    first_column: bool,
) -> std::result::Result<PlaneChart<'a, 'b>, DrawingAreaErrorKind<std::io::Error>> {
    let mut chart = ChartBuilder::on(area)
        .margin(4)
        .margin_right(10)
        .x_label_area_size(36)
        .y_label_area_size(38)
        .build_cartesian_2d(plane.x.clone(), plane.y.clone())?;
    chart
        .configure_mesh()
        .disable_mesh()
        .axis_style(GREY)
        .x_labels(3)
        .y_labels(3)
        .label_style(font(10.0))
        .axis_desc_style(font(12.0))
        .x_desc("x₁")
        .y_desc(if first_column { "x₂" } else { "" })
        .x_label_formatter(&|v| tick(*v, plane.x.end - plane.x.start))
        .y_label_formatter(&|v| tick(*v, plane.y.end - plane.y.start))
        .draw()?;
    Ok(chart)
}

/// A thin grey frame around the plane.
pub(crate) fn border(chart: &PlaneChart, plane: &Plane) -> DrawResult {
    chart.plotting_area().draw(&Rectangle::new(
        [(plane.x.start, plane.y.start), (plane.x.end, plane.y.end)],
        GREY,
    ))
}

/// "epoch 12" and "loss 0.41 · accuracy 0.9", centred.
fn draw_caption(area: &Area, snapshot: &Snapshot) -> DrawResult {
    let (width, _) = area.dim_in_pixel();
    let centre = (width / 2) as i32 + 16;
    let top = Pos::new(HPos::Center, VPos::Top);
    let s = &snapshot.stats;
    area.draw_text(
        &format!("epoch {}", s.epoch),
        &bold(12.0).pos(top),
        (centre, 2),
    )?;
    let mut figures = format!("loss {}", short(s.loss, 3));
    if let Some(a) = s.accuracy {
        figures += &format!(" · accuracy {}", short(a, 3));
    }
    area.draw_text(&figures, &font(11.0).color(&GREY).pos(top), (centre, 19))
}

/// What the marks mean, along the bottom: `parts` joined by " · ", in as
/// many lines as the width needs.
pub(crate) fn draw_key(area: &Area, parts: &[&str]) -> DrawResult {
    let width = area.dim_in_pixel().0 as i32 - 24;
    let mut lines: Vec<String> = vec![String::new()];
    for part in parts {
        let line = lines.last_mut().expect("one line at least");
        if line.is_empty() {
            line.push_str(part);
        } else if text_width(line, 11.0) + text_width(part, 11.0) + 20 < width {
            line.push_str(" · ");
            line.push_str(part);
        } else {
            lines.push(part.to_string());
        }
    }
    let style = font(11.0).color(&GREY).pos(Pos::new(HPos::Left, VPos::Top));
    for (i, line) in lines.iter().enumerate() {
        area.draw_text(line, &style, (12, 4 + 15 * i as i32))?;
    }
    Ok(())
}

/// The filmstrip of `recording` in `frames` frames. For other options, use
/// [`Filmstrip`].
///
/// ```
/// use nn::prelude::*;
///
/// // A curve fit: 1 input, 1 output.
/// let x = Array2::from_shape_fn((30, 1), |(i, _)| i as f64 / 10.0);
/// let data = Dataset::new(x.clone(), x.mapv(|v| (v * 2.0).sin()))?;
/// let mut net = Network::builder(1).dense(8, Activation::Tanh).dense(1, Activation::Identity).build()?;
/// let mut recorder = Recorder::new(Schedule::log_spaced(5, 100));
/// Trainer::new(Loss::Mse, Optimizer::adam(0.05)).epochs(100).observe(&mut recorder).fit(&mut net, &data)?;
/// let svg = plot::filmstrip(&recorder.finish(), 3)?;
/// assert_eq!(svg.as_str().matches("epoch ").count(), 3);
///
/// let empty = nn::snapshot::Recording::default();
/// assert!(plot::filmstrip(&empty, 3).unwrap_err().to_string().contains("no snapshots"));
/// # Ok::<(), nn::Error>(())
/// ```
pub fn filmstrip(recording: &Recording, frames: usize) -> Result<Svg> {
    Filmstrip::new(recording).frames(frames).draw()
}
