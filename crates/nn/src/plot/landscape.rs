//! The loss landscape: the loss over a plane through the parameters, as
//! filled contours, with the paths optimizers take across it.

use std::fmt::Write as _;
use std::ops::Range;

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::lines::extent;
use super::plane::{check_resolution, Plane, PlaneChart};
use super::slice::Slice;
use super::splice::{hex, px, Splice};
use super::style::{bold, check_span, font, render_spliced, series_colour, short, tick, Area};
use super::style::{quantize, DrawResult, Frame, GREY, INK};
use super::Svg;
use crate::data::Dataset;
use crate::error::{Error, Result};
use crate::loss::Loss;

/// Contour levels: the loss's range on a log scale cut into this many bands.
const BANDS: usize = 12;
/// The colours from the lowest loss to the highest: a quiet grey-blue, so
/// that the paths' colours stand out on it.
const RAMP: [(f64, f64, f64); 4] = [
    (248.0, 247.0, 240.0),
    (214.0, 222.0, 229.0),
    (150.0, 166.0, 182.0),
    (84.0, 100.0, 118.0),
];
/// Most points of a path drawn as a line, and most with a marker.
const LINE_POINTS: usize = 600;
const MARKERS: usize = 150;

/// The loss over a [`Slice`] through a network's parameters, as filled
/// contours on a log scale (darker is higher), with any number of
/// optimizer paths on it, each in its own colour with a marker per step, a
/// ring at its start and a large dot at its end.
///
/// A path is the slice's coordinates of the network at each step, as a
/// [`Tracker`](crate::plot::Tracker) collects them. Paths longer than 150
/// steps get a marker every few steps (the legend says how many).
///
/// ```
/// use nn::prelude::*;
/// use nn::plot::{Landscape, Slice, Weight};
///
/// // A network whose only parameters are two weights: the slice is its
/// // whole landscape, and each path lies on it exactly.
/// let data = data::moons(100, 0.1, 0)?;
/// let mut start = Network::builder(2).dense(1, Activation::Sigmoid).no_bias().build()?;
/// start.layers[0].weights = array![[-2.0], [2.0]];
/// let slice = Slice::weights(&start, Weight::new(1, 1, 1), Weight::new(1, 2, 1))?;
/// let mut paths = Vec::new();
/// for (name, optimizer) in [("GD", Optimizer::gd(1.0)), ("momentum", Optimizer::momentum(0.3))] {
///     let mut net = start.clone();
///     let mut tracker = slice.tracker(&net);
///     Trainer::new(Loss::BinaryCrossEntropy, optimizer).epochs(30).observe(&mut tracker).fit(&mut net, &data)?;
///     paths.push((name, tracker.path().to_vec()));
/// }
/// let mut figure = Landscape::new(&slice, &data, Loss::BinaryCrossEntropy).resolution(30);
/// for (name, path) in &paths {
///     figure = figure.path(name, path);
/// }
/// let svg = figure.title("two optimizers from one start").draw()?;
/// assert!(svg.as_str().contains("momentum (30 steps)"));
/// assert!(svg.as_str().contains("w¹₁₁") && svg.as_str().contains("w¹₂₁"));
/// # Ok::<(), nn::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Landscape<'a> {
    slice: &'a Slice,
    data: &'a Dataset,
    loss: Loss,
    paths: Vec<(String, Vec<(f64, f64)>)>,
    range: Option<(Range<f64>, Range<f64>)>,
    resolution: usize,
    frame: Frame,
}

impl<'a> Landscape<'a> {
    /// The landscape of `loss` on `data` over `slice`.
    pub fn new(slice: &'a Slice, data: &'a Dataset, loss: Loss) -> Self {
        Landscape {
            slice,
            data,
            loss,
            paths: Vec::new(),
            range: None,
            resolution: 60,
            frame: Frame::default(),
        }
    }

    /// Adds a path: the slice's coordinates at each step, start first.
    pub fn path(mut self, name: &str, points: &[(f64, f64)]) -> Self {
        self.paths.push((name.to_string(), points.to_vec()));
        self
    }

    /// The part of the plane to draw. By default: around the paths and the
    /// origin, or −1 to 1 on both axes for random directions. Parts of a
    /// path outside are drawn on the edge.
    pub fn range(mut self, a: Range<f64>, b: Range<f64>) -> Self {
        self.range = Some((a, b));
        self
    }

    /// Points along each side where the loss is computed (default 60, at
    /// most 300): a forward pass over the data at each.
    pub fn resolution(mut self, cells: usize) -> Self {
        self.resolution = cells;
        self
    }

    /// A title above the plot.
    pub fn title(mut self, title: &str) -> Self {
        self.frame.title = Some(title.to_string());
        self
    }

    /// The size in pixels (default 760 × 560).
    pub fn size(mut self, width: u32, height: u32) -> Self {
        self.frame.size = Some((width, height));
        self
    }

    /// The range to draw: the one given, or one around the paths.
    fn ranges(&self) -> Result<(Range<f64>, Range<f64>)> {
        if let Some((a, b)) = &self.range {
            check_span("a", a)?;
            check_span("b", b)?;
            return Ok((a.clone(), b.clone()));
        }
        let origin = self.slice.coordinates(self.slice.origin())?;
        let points = || {
            self.paths
                .iter()
                .flat_map(|(_, p)| p.iter().copied())
                .chain([origin])
                .filter(|p| p.0.is_finite() && p.1.is_finite())
        };
        let around = |values: Vec<f64>, random: bool| {
            let (lo, hi) = extent(values.into_iter()).unwrap_or((0.0, 0.0));
            let (lo, hi) = if random {
                (lo.min(-1.0), hi.max(1.0))
            } else {
                (lo, hi)
            };
            // Without paths, a weight's neighbourhood: ±2 around it.
            let least = if self.paths.is_empty() && !random {
                2.0
            } else {
                0.25
            };
            let pad = ((hi - lo) * 0.15).max(least);
            lo - pad..hi + pad
        };
        let random = self.slice.is_random();
        let a = around(points().map(|p| p.0).collect(), random);
        let b = around(points().map(|p| p.1).collect(), random);
        check_span("a", &a)?;
        check_span("b", &b)?;
        Ok((a, b))
    }

    /// Draws the plot. Errors if the data does not fit the network, for a
    /// path with a point that is not finite, or if the loss is nowhere a
    /// finite number.
    pub fn draw(&self) -> Result<Svg> {
        check_resolution(self.resolution)?;
        for (name, path) in &self.paths {
            if path.iter().any(|p| !p.0.is_finite() || !p.1.is_finite()) {
                return Err(Error::Plot(format!(
                    "the path \"{name}\" has a point that is not a finite number (did training diverge?)"
                )));
            }
        }
        let (a, b) = self.ranges()?;
        let n = self.resolution;
        let plane = Plane {
            x: a.clone(),
            y: b.clone(),
            resolution: n,
        };
        // log₁₀ of the loss at every grid point, the bottom row first.
        let mut levels = Vec::with_capacity(n * n);
        for point in plane.centres().rows() {
            let net = self.slice.network_at(point[0], point[1]);
            let loss = net
                .loss(self.loss, &self.data.x, &self.data.y)
                .map_err(|e| Error::Plot(format!("the data does not fit the network: {e}")))?;
            levels.push(if loss.is_finite() {
                loss.max(1e-300).log10()
            } else {
                f64::NAN
            });
        }
        let Some((low, high)) = extent(levels.iter().copied().filter(|v| v.is_finite())) else {
            return Err(Error::Plot(
                "the loss is not a finite number anywhere on this part of the plane".into(),
            ));
        };
        let high = if high > low { high } else { low + 1e-9 };
        // A smooth shade, which the browser stretches; the contour lines
        // mark the levels.
        let colours: Vec<RGBColor> = levels
            .iter()
            .map(|&v| {
                if v.is_finite() {
                    ramp(quantize((v - low) / (high - low), 200))
                } else {
                    WHITE
                }
            })
            .collect();
        let (a_name, b_name) = self.slice.axis_names();
        let origin = self.slice.coordinates(self.slice.origin())?;
        render_spliced(&self.frame, (760, 560), |area, splice| {
            let (plot, side) = area.split_horizontally(area.dim_in_pixel().0 as i32 - 200);
            let mut chart = ChartBuilder::on(&plot)
                .margin(12)
                .x_label_area_size(44)
                .y_label_area_size(60)
                .build_cartesian_2d(a.clone(), b.clone())?;
            chart
                .configure_mesh()
                .disable_mesh()
                .axis_style(GREY)
                .x_desc(a_name.as_str())
                .y_desc(b_name.as_str())
                .axis_desc_style(font(14.0))
                .label_style(font(12.0))
                .x_label_formatter(&|v| tick(*v, a.end - a.start))
                .y_label_formatter(&|v| tick(*v, b.end - b.start))
                .draw()?;
            plane.draw_map(&chart, splice, &colours)?;
            for k in 1..BANDS {
                let level = low + (high - low) * k as f64 / BANDS as f64;
                plane.draw_contour(&chart, splice, &levels, level, RGBColor(110, 120, 130), 0.6)?;
            }
            if self.slice.is_random() || self.paths.is_empty() {
                mark_origin(&chart, splice, &plane, origin)?;
            }
            for (i, (_, path)) in self.paths.iter().enumerate() {
                draw_path(&chart, splice, &plane, path, series_colour(i))?;
            }
            chart
                .plotting_area()
                .draw(&Rectangle::new([(a.start, b.start), (a.end, b.end)], GREY))?;
            let (bar, legend) = side.split_vertically(side.dim_in_pixel().1 as i32 / 2);
            loss_bar(&bar, low, high)?;
            self.legend(&legend)
        })
    }

    /// One line per path: its colour, name and number of steps.
    fn legend(&self, area: &Area) -> DrawResult {
        let mut y = 10;
        for (i, (name, path)) in self.paths.iter().enumerate() {
            let colour = series_colour(i);
            area.draw(&PathElement::new(
                vec![(8, y), (30, y)],
                colour.stroke_width(3),
            ))?;
            area.draw(&Circle::new((19, y), 3, colour.filled()))?;
            let steps = path.len().saturating_sub(1);
            let every = steps.div_ceil(MARKERS).max(1);
            let style = font(12.0).pos(Pos::new(HPos::Left, VPos::Center));
            area.draw_text(&format!("{name} ({steps} steps)"), &style, (36, y))?;
            if every > 1 {
                let quiet = font(11.0)
                    .color(&GREY)
                    .pos(Pos::new(HPos::Left, VPos::Center));
                area.draw_text(&format!("a dot every {every} steps"), &quiet, (36, y + 15))?;
                y += 14;
            }
            y += 24;
        }
        if !self.paths.is_empty() {
            let style = font(11.0)
                .color(&GREY)
                .pos(Pos::new(HPos::Left, VPos::Center));
            area.draw_text("ring: start · large dot: end", &style, (8, y + 4))?;
        }
        Ok(())
    }
}

/// The colour at `t` from 0 (the lowest loss) to 1 (the highest).
fn ramp(t: f64) -> RGBColor {
    let t = t.clamp(0.0, 1.0) * (RAMP.len() - 1) as f64;
    let k = (t.floor() as usize).min(RAMP.len() - 2);
    let f = t - k as f64;
    let mix = |a: f64, b: f64| (a + (b - a) * f).round() as u8;
    let (lo, hi) = (RAMP[k], RAMP[k + 1]);
    RGBColor(mix(lo.0, hi.0), mix(lo.1, hi.1), mix(lo.2, hi.2))
}

/// A path as a line with a dot per step (or every few steps), a ring at
/// its start and a large dot at its end.
fn draw_path(
    chart: &PlaneChart,
    splice: &mut Splice,
    plane: &Plane,
    path: &[(f64, f64)],
    colour: RGBColor,
) -> DrawResult {
    if path.is_empty() {
        return Ok(());
    }
    let clamp = |(a, b): (f64, f64)| {
        let a = a.clamp(plane.x.start, plane.x.end);
        let b = b.clamp(plane.y.start, plane.y.end);
        plane.pixel(chart, (a, b))
    };
    let pick = |most: usize| -> Vec<(f64, f64)> {
        let every = path.len().saturating_sub(1).div_ceil(most).max(1);
        let mut chosen: Vec<(f64, f64)> = path.iter().step_by(every).map(|&p| clamp(p)).collect();
        if (path.len() - 1) % every != 0 {
            chosen.push(clamp(path[path.len() - 1]));
        }
        chosen
    };
    let area = chart.plotting_area().strip_coord_spec();
    let mut d = String::new();
    for (k, (x, y)) in pick(LINE_POINTS).into_iter().enumerate() {
        let _ = write!(d, "{}{} {}", if k == 0 { "M" } else { "L" }, px(x), px(y));
    }
    splice.stroke(&area, &d, colour, 2.0, 0.9)?;
    let markers = pick(MARKERS);
    splice.dots(&area, &markers[1..], colour, 2.2)?;
    let (x, y) = clamp(path[0]);
    // A dark ring on a white one, visible on any shade.
    let ring = |colour: RGBColor, width: f64| {
        format!(
            "<circle cx=\"{}\" cy=\"{}\" r=\"6\" fill=\"none\" stroke=\"{}\" stroke-width=\"{}\"/>\n",
            px(x),
            px(y),
            hex(colour),
            px(width)
        )
    };
    splice.put(&area, ring(WHITE, 4.5) + &ring(INK, 2.0))?;
    let end = clamp(path[path.len() - 1]);
    splice.dots(&area, &[end], colour, 5.0)
}

/// θ₀, the network the random directions start from, as a cross.
fn mark_origin(
    chart: &PlaneChart,
    splice: &mut Splice,
    plane: &Plane,
    origin: (f64, f64),
) -> DrawResult {
    let (x, y) = plane.pixel(chart, origin);
    let d = format!(
        "M{} {}L{} {}M{} {}L{} {}",
        px(x - 6.0),
        px(y - 6.0),
        px(x + 6.0),
        px(y + 6.0),
        px(x - 6.0),
        px(y + 6.0),
        px(x + 6.0),
        px(y - 6.0)
    );
    splice.stroke(&chart.plotting_area().strip_coord_spec(), &d, INK, 2.0, 1.0)?;
    let style = font(12.0).pos(Pos::new(HPos::Left, VPos::Center));
    chart.plotting_area().strip_coord_spec().draw_text(
        "θ₀",
        &style,
        (
            (x - f64::from(chart.plotting_area().get_base_pixel().0) + 9.0) as i32,
            (y - f64::from(chart.plotting_area().get_base_pixel().1)) as i32,
        ),
    )
}

/// The colour scale, its contour levels marked, the loss written at every
/// third, on a log scale.
fn loss_bar(area: &Area, low: f64, high: f64) -> DrawResult {
    let (_, height) = area.dim_in_pixel();
    let (top, bottom) = (40, height as i32 - 10);
    let (left, right) = (10, 28);
    area.draw_text("loss (log scale)", &bold(12.0), (6, 14))?;
    let slices = 60;
    for k in 0..slices {
        let y0 = bottom - (bottom - top) * k / slices;
        let y1 = bottom - (bottom - top) * (k + 1) / slices;
        let t = (f64::from(k) + 0.5) / f64::from(slices);
        area.draw(&Rectangle::new([(left, y1), (right, y0)], ramp(t).filled()))?;
    }
    area.draw(&Rectangle::new([(left, top), (right, bottom)], GREY))?;
    for k in 0..=BANDS {
        let level = low + (high - low) * k as f64 / BANDS as f64;
        let y = bottom - (bottom - top) * k as i32 / BANDS as i32;
        let long = k % 3 == 0;
        let reach = if long { right + 4 } else { right };
        area.draw(&PathElement::new(
            vec![(left, y), (reach, y)],
            RGBColor(110, 120, 130),
        ))?;
        if long {
            let style = font(11.0).pos(Pos::new(HPos::Left, VPos::Center));
            area.draw_text(&short(10f64.powf(level), 3), &style, (right + 7, y))?;
        }
    }
    Ok(())
}

/// The landscape of `loss` on `data` over `slice`, with `paths`. For a
/// range, a resolution or a title, use [`Landscape`].
///
/// ```
/// use nn::prelude::*;
/// use nn::plot::Slice;
///
/// // Li et al.'s picture: the trained network at the centre, two random
/// // filter-normalized directions through it.
/// let data = data::moons(100, 0.1, 0)?;
/// let mut net = Network::builder(2).dense(8, Activation::Tanh).dense(1, Activation::Sigmoid).build()?;
/// Trainer::new(Loss::BinaryCrossEntropy, Optimizer::adam(0.05)).epochs(100).fit(&mut net, &data)?;
/// let slice = Slice::random(&net, 1)?;
/// let svg = plot::landscape(&slice, &data, Loss::BinaryCrossEntropy, &[])?;
/// assert!(svg.as_str().contains("α (direction 1)") && svg.as_str().contains("θ₀"));
/// # Ok::<(), nn::Error>(())
/// ```
pub fn landscape(
    slice: &Slice,
    data: &Dataset,
    loss: Loss,
    paths: &[(&str, &[(f64, f64)])],
) -> Result<Svg> {
    let mut figure = Landscape::new(slice, data, loss);
    for (name, points) in paths {
        figure = figure.path(name, points);
    }
    figure.draw()
}
