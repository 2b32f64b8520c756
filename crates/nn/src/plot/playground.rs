//! The Playground view: the network diagram in which every unit is drawn as
//! a small map of its output over the input plane — TensorFlow
//! Playground's picture — with the prediction, large, beside it.

use ndarray::Array2;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::boundary::{draw_boundary, shades};
use super::filmstrip::{border, draw_key, plane_chart};
use super::plane::{check_plane, check_resolution, draw_points, Plane};
use super::splice::{px, Splice};
use super::style::{bold, diverging, font, quantize, render_spliced, short, Area, DrawResult};
use super::style::{Frame, GREY, NEGATIVE, POSITIVE};
use super::Svg;
use crate::activation::Activation;
use crate::data::Dataset;
use crate::error::{Error, Result};
use crate::network::Network;
use crate::snapshot::Snapshot;

/// Layers up to this many units can be drawn.
const MOST_UNITS: usize = 32;
/// Room on top for the layer names, at the bottom for the key.
const HEADER: f64 = 48.0;
const FOOTER: i32 = 40;
/// A layer pair with more weights than this gets only its largest drawn:
/// a thousand lines would hide each other, and weigh 40 KB.
const MOST_EDGES: usize = 160;
/// Shades each way from white in a unit's map: smooth once stretched, and
/// a small palette for many small maps.
const STEPS: u32 = 30;

/// The network as TensorFlow Playground draws it: one column per layer,
/// every unit a small square map of its output over the plane of the two
/// inputs, the weights as lines between them — blue positive, orange
/// negative, thicker for a larger |w| — and on the right the prediction
/// over the plane with the data.
///
/// In each square, blue is a high output, orange a low one and white the
/// line where the unit's weighted sum z is 0 (a sigmoid's 0.5, a tanh's 0;
/// a ReLU is white wherever it is off). A first-layer unit is always a
/// soft half-plane; each layer after it bends and combines the maps
/// before it. ReLU and identity units are scaled to the largest output of
/// their layer.
///
/// ```
/// use nn::prelude::*;
/// use nn::plot::Playground;
///
/// let data = data::moons(100, 0.1, 0)?;
/// let net = Network::builder(2).dense(4, Activation::Tanh).dense(1, Activation::Sigmoid).seed(3).build()?;
/// let svg = Playground::new(&net, &data).title("untrained").draw()?;
/// // A map per input and unit (2 + 4 + 1), and the large one.
/// assert_eq!(svg.as_str().matches("<image").count(), 2 + 4 + 1 + 1);
/// assert!(svg.as_str().contains("hidden 1"));
/// # Ok::<(), nn::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Playground<'a> {
    net: &'a Network,
    data: &'a Dataset,
    caption: Option<String>,
    resolution: usize,
    frame: Frame,
}

/// Where the squares go, in picture pixels.
struct Layout {
    /// The centre of every square, column by column (inputs first).
    centres: Vec<Vec<(f64, f64)>>,
    /// The side of the squares of each column.
    sides: Vec<f64>,
    /// Where the prediction's panel starts.
    panel_left: i32,
}

impl<'a> Playground<'a> {
    /// The view of `net` over the plane around `data`.
    pub fn new(net: &'a Network, data: &'a Dataset) -> Self {
        Playground {
            net,
            data,
            caption: None,
            resolution: 24,
            frame: Frame::default(),
        }
    }

    /// The view of a snapshot's network, captioned with its epoch, loss and
    /// accuracy.
    ///
    /// ```
    /// use nn::prelude::*;
    /// use nn::plot::Playground;
    ///
    /// let data = data::moons(100, 0.1, 0)?;
    /// let mut net = Network::builder(2).dense(4, Activation::Relu).dense(1, Activation::Sigmoid).build()?;
    /// let mut recorder = Recorder::new(Schedule::log_spaced(5, 50));
    /// Trainer::new(Loss::BinaryCrossEntropy, Optimizer::adam(0.05)).epochs(50).observe(&mut recorder).fit(&mut net, &data)?;
    /// let recording = recorder.finish();
    /// let early = Playground::snapshot(&recording.snapshots[0], &data).draw()?;
    /// let late = Playground::snapshot(recording.at(50).unwrap(), &data).draw()?;
    /// assert!(early.as_str().contains("epoch 1 ") && late.as_str().contains("epoch 50 "));
    /// assert_ne!(early, late);
    /// # Ok::<(), nn::Error>(())
    /// ```
    pub fn snapshot(snapshot: &'a Snapshot, data: &'a Dataset) -> Self {
        let s = &snapshot.stats;
        let mut caption = format!("epoch {} · loss {}", s.epoch, short(s.loss, 3));
        if let Some(a) = s.accuracy {
            caption += &format!(" · accuracy {}", short(a, 3));
        }
        Playground::new(&snapshot.network, data).caption(&caption)
    }

    /// A line over the prediction, such as the epoch.
    pub fn caption(mut self, text: &str) -> Self {
        self.caption = Some(text.to_string());
        self
    }

    /// Cells along each side of a unit's map (default 24; the prediction
    /// gets 2.5 times as many).
    pub fn resolution(mut self, cells: usize) -> Self {
        self.resolution = cells;
        self
    }

    /// A title above the view.
    pub fn title(mut self, title: &str) -> Self {
        self.frame.title = Some(title.to_string());
        self
    }

    /// The size in pixels (default 960 × 520).
    pub fn size(mut self, width: u32, height: u32) -> Self {
        self.frame.size = Some((width, height));
        self
    }

    /// Draws the view. Errors if the network or the data do not have 2
    /// inputs, or if a layer has more than 32 units.
    pub fn draw(&self) -> Result<Svg> {
        let net = self.net;
        check_plane(net, self.data)?;
        check_resolution(self.resolution)?;
        let big = (self.resolution * 5 / 2).min(300);
        check_resolution(big)?;
        let sizes = net.sizes();
        if let Some(&too_many) = sizes.iter().find(|&&n| n > MOST_UNITS) {
            return Err(Error::InvalidParameter {
                name: "units in a layer",
                value: too_many.to_string(),
                valid: "at most 32 for the Playground view; plot::hidden_units maps a wide layer",
            });
        }
        // Tall layers make a taller picture, about 20 pixels a unit.
        let tallest = sizes.iter().copied().max().unwrap_or(1) as u32;
        let title = if self.frame.title.is_some() { 30 } else { 0 };
        let default = (
            960,
            (HEADER as u32 + FOOTER as u32 + 20 * tallest + title).max(520),
        );
        let (width, height) = self.frame.size_or(default)?;
        // A map needs no more cells than it has pixels (the layout is
        // found again on the area the title leaves).
        let sides = layout((width, height - title), &sizes).sides;
        let side = sides.iter().copied().fold(f64::INFINITY, f64::min);
        let cells = self.resolution.min((side * 0.75) as usize).max(8);
        let small = Plane::around(&self.data.x, cells)?;
        let maps = unit_maps(net, &small)?;
        let plane = Plane::around(&self.data.x, big)?;
        let outputs = net.predict(&plane.centres())?;
        let thinned = net.layers.iter().any(|l| l.weights.len() > MOST_EDGES);
        render_spliced(&self.frame, default, |area, splice| {
            let layout = layout(area.dim_in_pixel(), &sizes);
            // The layout is in the area's pixels, the spliced SVG in the picture's.
            let (ox, oy) = area.get_base_pixel();
            let (ox, oy) = (f64::from(ox), f64::from(oy));
            draw_edges(area, splice, net, &layout, (ox, oy))?;
            for (column, centres) in layout.centres.iter().enumerate() {
                let h = layout.sides[column] / 2.0;
                for (unit, &(x, y)) in centres.iter().enumerate() {
                    splice.image(
                        area,
                        (ox + x - h, oy + y - h),
                        (ox + x + h, oy + y + h),
                        small.resolution,
                        &maps[column][unit],
                    )?;
                    let corner =
                        |dx: f64, dy: f64| ((x + dx).round() as i32, (y + dy).round() as i32);
                    area.draw(&Rectangle::new([corner(-h, -h), corner(h, h)], GREY))?;
                    if column == 0 {
                        let name = if unit == 0 { "x₁" } else { "x₂" };
                        let style = font(13.0).pos(Pos::new(HPos::Right, VPos::Center));
                        area.draw_text(name, &style, corner(-h - 6.0, 0.0))?;
                    }
                }
            }
            self.draw_headers(area, &layout)?;
            let (width, height) = area.dim_in_pixel();
            let (body, key) = area.split_vertically(height as i32 - FOOTER);
            let panel = body.margin(HEADER as i32 - 8, 0, layout.panel_left, 0);
            let (top, rest) = panel.split_vertically(22);
            let caption = self
                .caption
                .as_deref()
                .unwrap_or("the prediction, with the data");
            top.draw_text(
                caption,
                &bold(12.0).pos(Pos::new(HPos::Center, VPos::Top)),
                ((width as i32 - layout.panel_left) / 2, 2),
            )?;
            let chart = plane_chart(&rest, &plane, true)?;
            plane.draw_map(&chart, splice, &shades(&outputs))?;
            draw_boundary(&chart, splice, &plane, &outputs, 1.5)?;
            draw_points(&chart, splice, &plane, self.data, 3.0, 400)?;
            border(&chart, &plane)?;
            let mut parts = vec![
                "squares: each unit's output over the plane (x₁ across, x₂ up)",
                "blue high, orange low, white where the unit's weighted sum z is 0",
                "lines: the weights, blue positive, orange negative, thicker for a larger |w|",
            ];
            if thinned {
                parts.push("(of a layer with more than 160 weights, the 160 largest)");
            }
            draw_key(&key, &parts)
        })
    }

    /// Each column's name and its activation.
    fn draw_headers(&self, area: &Area, layout: &Layout) -> DrawResult {
        let last = layout.centres.len() - 1;
        for (c, centres) in layout.centres.iter().enumerate() {
            let x = centres.first().map_or(0, |p| p.0.round() as i32);
            let (name, detail) = match c {
                0 => ("input".to_string(), "2 values".to_string()),
                _ => {
                    let layer = &self.net.layers[c - 1];
                    let name = if c == last {
                        "output".to_string()
                    } else {
                        format!("hidden {c}")
                    };
                    (
                        name,
                        format!("{} {}", layer.outputs(), layer.activation.name()),
                    )
                }
            };
            let top = Pos::new(HPos::Center, VPos::Top);
            area.draw_text(&name, &bold(13.0).pos(top), (x, 4))?;
            area.draw_text(&detail, &font(11.0).color(&GREY).pos(top), (x, 22))?;
        }
        Ok(())
    }
}

/// Every unit's map as pixels (top row first), column by column: the two
/// inputs, then each layer's units.
fn unit_maps(net: &Network, plane: &Plane) -> Result<Vec<Vec<Vec<RGBColor>>>> {
    let pass = net.forward(&plane.centres())?;
    let n = plane.resolution;
    let image = |values: ndarray::ArrayView1<f64>, scale: &dyn Fn(f64) -> f64| {
        let colours: Vec<RGBColor> = values
            .iter()
            .map(|&v| diverging(quantize(scale(v), STEPS)))
            .collect();
        // The cells run from the bottom row, an image from the top.
        colours
            .chunks(n)
            .rev()
            .flatten()
            .copied()
            .collect::<Vec<_>>()
    };
    let mut maps = Vec::with_capacity(net.layers.len() + 1);
    let x = &pass.input;
    let largest = |a: &Array2<f64>| {
        let m = a.iter().fold(0.0f64, |m, v| m.max(v.abs()));
        if m > 0.0 && m.is_finite() {
            m
        } else {
            1.0
        }
    };
    let input_scale = largest(x);
    maps.push(
        (0..2)
            .map(|j| image(x.column(j), &|v| v / input_scale))
            .collect(),
    );
    for (layer, layer_pass) in net.layers.iter().zip(&pass.layers) {
        let a = &layer_pass.a;
        if a.iter().any(|v| !v.is_finite()) {
            return Err(Error::Plot(
                "a unit's output is not a finite number over this plane".into(),
            ));
        }
        let scale = largest(a);
        let centred: Box<dyn Fn(f64) -> f64> = match layer.activation {
            // White where z = 0: a sigmoid's 0.5; softmax alike.
            Activation::Sigmoid | Activation::Softmax => Box::new(|v| 2.0 * v - 1.0),
            Activation::Tanh => Box::new(|v| v),
            Activation::Relu | Activation::Identity => Box::new(move |v| v / scale),
        };
        maps.push(
            (0..a.ncols())
                .map(|j| image(a.column(j), &*centred))
                .collect(),
        );
    }
    Ok(maps)
}

/// Where every square goes: the columns spread over the left of the
/// picture, each centred, its squares as large as its height and the gaps
/// between columns allow.
fn layout((width, height): (u32, u32), sizes: &[usize]) -> Layout {
    let (width, height) = (f64::from(width), f64::from(height));
    let tall = height - HEADER - f64::from(FOOTER) - 8.0;
    // The prediction takes a square on the right, with room for its axes.
    let panel = (tall + 20.0).min(width * 0.4);
    let panel_left = (width - panel - 10.0).round() as i32;
    let (left, right) = (44.0, f64::from(panel_left) - 30.0);
    let columns = sizes.len() as f64;
    let step = (right - left) / columns;
    let sides: Vec<f64> = sizes
        .iter()
        .map(|&n| (step * 0.45).min(tall / n as f64 * 0.8).clamp(6.0, 60.0))
        .collect();
    let middle = HEADER + tall / 2.0;
    let centres = sizes
        .iter()
        .enumerate()
        .map(|(c, &n)| {
            let x = left + step * (c as f64 + 0.5);
            let gap = (sides[c] * 1.3).min(tall / n as f64);
            (0..n)
                .map(|j| (x, middle + (j as f64 - (n as f64 - 1.0) / 2.0) * gap))
                .collect()
        })
        .collect();
    Layout {
        centres,
        sides,
        panel_left,
    }
}

/// The weights as curves from the right side of one square to the left
/// side of the next, grouped into one path per colour and width.
fn draw_edges(
    area: &Area,
    splice: &mut Splice,
    net: &Network,
    layout: &Layout,
    (ox, oy): (f64, f64),
) -> DrawResult {
    let largest = net
        .layers
        .iter()
        .flat_map(|l| l.weights.iter())
        .fold(0.0f64, |m, w| m.max(w.abs()));
    let largest = if largest > 0.0 { largest } else { 1.0 };
    // Widths in half pixels from 0.5 to 5, for each sign.
    let mut paths: Vec<(bool, u32, String)> = Vec::new();
    for (l, layer) in net.layers.iter().enumerate() {
        let (h0, h1) = (layout.sides[l] / 2.0, layout.sides[l + 1] / 2.0);
        let (from, to) = (&layout.centres[l], &layout.centres[l + 1]);
        let mut weights: Vec<((usize, usize), f64)> = layer
            .weights
            .indexed_iter()
            .map(|(at, &w)| (at, w))
            .collect();
        if weights.len() > MOST_EDGES {
            // The largest |w| first; equal ones in the order of the matrix.
            weights.sort_by(|a, b| b.1.abs().total_cmp(&a.1.abs()));
            weights.truncate(MOST_EDGES);
        }
        for ((i, j), w) in weights {
            let half_pixels = 1 + (9.0 * w.abs() / largest).round() as u32;
            let (x0, y0) = (ox + from[i].0 + h0 + 1.0, oy + from[i].1);
            let (x1, y1) = (ox + to[j].0 - h1 - 1.0, oy + to[j].1);
            let xm = (x0 + x1) / 2.0;
            let d = format!(
                "M{} {}C{} {} {} {} {} {}",
                px(x0),
                px(y0),
                px(xm),
                px(y0),
                px(xm),
                px(y1),
                px(x1),
                px(y1)
            );
            let positive = w >= 0.0;
            match paths
                .iter_mut()
                .find(|(p, wd, _)| *p == positive && *wd == half_pixels)
            {
                Some((_, _, path)) => path.push_str(&d),
                None => paths.push((positive, half_pixels, d)),
            }
        }
    }
    // Thin lines first, so that the strong weights are on top.
    paths.sort_by_key(|(_, width, _)| *width);
    for (positive, half_pixels, d) in paths {
        let colour = if positive { POSITIVE } else { NEGATIVE };
        splice.stroke(area, &d, colour, f64::from(half_pixels) / 2.0, 0.7)?;
    }
    Ok(())
}

/// The Playground view of `net` over the plane around `data`. For a
/// caption, a title or a size, use [`Playground`].
///
/// ```
/// use nn::prelude::*;
///
/// let data = data::moons(50, 0.1, 0)?;
/// let net = Network::builder(2).dense(8, Activation::Relu).dense(8, Activation::Relu).dense(1, Activation::Sigmoid).build()?;
/// let svg = plot::playground(&net, &data)?;
/// assert!(svg.len() < 150_000);
///
/// let three = Network::builder(3).dense(1, Activation::Sigmoid).build()?;
/// let err = plot::playground(&three, &data).unwrap_err();
/// assert!(err.to_string().contains("the network takes 3"));
/// # Ok::<(), nn::Error>(())
/// ```
pub fn playground(net: &Network, data: &Dataset) -> Result<Svg> {
    Playground::new(net, data).draw()
}
