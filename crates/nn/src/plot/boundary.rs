//! The decision boundary of a classifier with two inputs: the plane shaded
//! by what the network predicts at every point, the data on top.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use ndarray::Array2;

use super::plane::{argmax, check_plane, check_resolution, class_labels, draw_points};
use super::plane::{Plane, PlaneChart};
use super::splice::Splice;
use super::style::{class_colour, font, quantize, render_spliced, tick, tint, Area, DrawResult};
use super::style::{Frame, GREY, INK, NEGATIVE, POSITIVE};
use super::Svg;
use crate::data::Dataset;
use crate::error::Result;
use crate::network::Network;

/// How strong the shading gets at its strongest: light enough that the
/// data points, in the full colours, stand out on it.
const SHADE: f64 = 0.45;

/// Where a network with 2 inputs puts each class.
///
/// With one output unit (a sigmoid for binary classification), the shade
/// is the output read as the probability of class 1: orange towards 0,
/// white at 0.5 — the boundary — and blue towards 1. With several output
/// units (softmax), each point of the plane takes the colour of the unit
/// with the largest output. The data's targets are class labels, n × 1
/// (0, 1, 2, …), or one-hot rows.
///
/// ```
/// use nn::prelude::*;
/// use nn::plot::DecisionBoundary;
///
/// let xor = Dataset::new(
///     array![[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]],
///     array![[0.0], [1.0], [1.0], [0.0]],
/// )?;
/// let net = Network::builder(2).dense(4, Activation::Tanh).dense(1, Activation::Sigmoid).build()?;
/// let svg = DecisionBoundary::new(&net, &xor).resolution(40).title("XOR, untrained").draw()?;
/// assert!(svg.as_str().contains("class 1"));
/// # Ok::<(), nn::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct DecisionBoundary<'a> {
    net: &'a Network,
    data: &'a Dataset,
    resolution: usize,
    frame: Frame,
}

impl<'a> DecisionBoundary<'a> {
    /// The plot of `net`'s predictions over the plane around `data`.
    pub fn new(net: &'a Network, data: &'a Dataset) -> Self {
        DecisionBoundary {
            net,
            data,
            resolution: 60,
            frame: Frame::default(),
        }
    }

    /// How many cells along each side of the plane (default 60, at most
    /// 300): the network is run at every cell's centre, and the browser
    /// smooths between them. More is finer, slower and a larger image
    /// (60 × 60 cells take about 5 KB).
    pub fn resolution(mut self, cells: usize) -> Self {
        self.resolution = cells;
        self
    }

    /// A title above the plot.
    pub fn title(mut self, title: &str) -> Self {
        self.frame.title = Some(title.to_string());
        self
    }

    /// The size in pixels (default 600 × 480).
    pub fn size(mut self, width: u32, height: u32) -> Self {
        self.frame.size = Some((width, height));
        self
    }

    /// Draws the plot. Errors if the network or the data do not have 2
    /// inputs, if the targets are not class labels, or for a resolution
    /// outside 2–300.
    pub fn draw(&self) -> Result<Svg> {
        check_plane(self.net, self.data)?;
        check_resolution(self.resolution)?;
        let classes = class_labels(&self.data.y)?;
        let plane = Plane::around(&self.data.x, self.resolution)?;
        let outputs = self.net.predict(&plane.centres())?;
        let one_unit = outputs.ncols() == 1;
        let shades = shades(&outputs);
        let class_count = classes.iter().max().map_or(1, |&k| k + 1);
        let count = class_count.max(if one_unit { 2 } else { outputs.ncols() });
        render_spliced(&self.frame, (600, 480), |area, splice| {
            let (plot, side) = area.split_horizontally(area.dim_in_pixel().0 as i32 - 120);
            let mut chart = ChartBuilder::on(&plot)
                .margin(12)
                .x_label_area_size(40)
                .y_label_area_size(50)
                .build_cartesian_2d(plane.x.clone(), plane.y.clone())?;
            chart
                .configure_mesh()
                .disable_mesh()
                .axis_style(GREY)
                .x_desc("x₁")
                .y_desc("x₂")
                .axis_desc_style(font(14.0))
                .label_style(font(12.0))
                .x_label_formatter(&|v| tick(*v, plane.x.end - plane.x.start))
                .y_label_formatter(&|v| tick(*v, plane.y.end - plane.y.start))
                .draw()?;
            plane.draw_map(&chart, splice, &shades)?;
            draw_boundary(&chart, splice, &plane, &outputs, 1.5)?;
            draw_points(&chart, splice, &plane, self.data, 4.0, 2000)?;
            legend(&side, count, one_unit)
        })
    }
}

/// The shade of every point of the plane from the network's `outputs`
/// there (one row per point).
///
/// With one output unit it is [`probability_shade`]. With several, each
/// point takes the colour of the unit with the largest output, stronger
/// the larger that output is against an even split.
pub(crate) fn shades(outputs: &Array2<f64>) -> Vec<RGBColor> {
    let k = outputs.ncols();
    outputs
        .rows()
        .into_iter()
        .map(|row| {
            if k == 1 {
                return probability_shade(row[0]);
            }
            let best = argmax(row.iter());
            let even = 1.0 / k as f64;
            let sure = ((row[best] - even) / (1.0 - even)).clamp(0.0, 1.0);
            let sure = if sure.is_nan() { 0.0 } else { sure };
            tint(
                class_colour(best),
                SHADE * (0.35 + 0.65 * quantize(sure, 20)),
            )
        })
        .collect()
}

/// Draws the decision boundary as a line: where the one output is 0.5, or
/// where the largest of several outputs changes hands (the contour of
/// `yₖ − max over j ≠ k of yⱼ` at 0, for every class but the last: each
/// border between two classes belongs to at least one of them).
pub(crate) fn draw_boundary(
    chart: &PlaneChart,
    splice: &mut Splice,
    plane: &Plane,
    outputs: &Array2<f64>,
    width: f64,
) -> DrawResult {
    let k = outputs.ncols();
    if k == 1 {
        let p: Vec<f64> = outputs.column(0).to_vec();
        return plane.draw_contour(chart, splice, &p, 0.5, INK, width);
    }
    for class in 0..k - 1 {
        let margin: Vec<f64> = outputs
            .rows()
            .into_iter()
            .map(|row| {
                let others = (0..k)
                    .filter(|&j| j != class)
                    .fold(f64::NEG_INFINITY, |m, j| m.max(row[j]));
                row[class] - others
            })
            .collect();
        plane.draw_contour(chart, splice, &margin, 0.0, INK, width)?;
    }
    Ok(())
}

/// The shade for a one-unit output `p`: orange below 0.5, blue above,
/// stronger the surer the network is. Outputs outside [0, 1] (from an
/// identity or tanh output) are clamped to it.
pub(crate) fn probability_shade(p: f64) -> RGBColor {
    let p = if p.is_nan() { 0.5 } else { p.clamp(0.0, 1.0) };
    let t = quantize(2.0 * p - 1.0, 100);
    if t < 0.0 {
        tint(NEGATIVE, -t * SHADE)
    } else {
        tint(POSITIVE, t * SHADE)
    }
}

/// The classes, one coloured dot each, and what the shade means.
fn legend(area: &Area, classes: usize, one_unit: bool) -> DrawResult {
    let left = 6;
    let mut y = 30;
    for k in 0..classes.min(12) {
        area.draw(&Circle::new((left + 6, y), 6, class_colour(k).filled()))?;
        let style = font(13.0).pos(Pos::new(HPos::Left, VPos::Center));
        area.draw_text(&format!("class {k}"), &style, (left + 18, y))?;
        y += 24;
    }
    let note = if one_unit {
        ["shade: the output,", "white at 0.5;", "line: output 0.5"]
    } else {
        [
            "shade: the unit with",
            "the largest output;",
            "line: class border",
        ]
    };
    for line in note {
        y += 16;
        area.draw_text(line, &font(11.0).color(&GREY), (left, y))?;
    }
    Ok(())
}

/// The decision boundary of `net` over the plane around `data`, at the
/// default resolution. For titles and sizes, use [`DecisionBoundary`].
///
/// ```
/// use nn::prelude::*;
///
/// let data = Dataset::new(array![[0.0, 0.0], [1.0, 1.0]], array![[0.0], [1.0]])?;
/// let net = Network::builder(2).dense(1, Activation::Sigmoid).build()?;
/// let svg = plot::decision_boundary(&net, &data)?;
/// assert!(svg.as_str().starts_with("<svg"));
///
/// let three_inputs = Network::builder(3).dense(1, Activation::Sigmoid).build()?;
/// assert!(plot::decision_boundary(&three_inputs, &data).is_err());
/// # Ok::<(), nn::Error>(())
/// ```
pub fn decision_boundary(net: &Network, data: &Dataset) -> Result<Svg> {
    DecisionBoundary::new(net, data).draw()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shade_is_white_at_one_half() {
        assert_eq!(probability_shade(0.5), WHITE);
        assert_eq!(probability_shade(f64::NAN), WHITE);
        assert_eq!(probability_shade(7.0), tint(POSITIVE, SHADE));
        assert_eq!(probability_shade(0.0), tint(NEGATIVE, SHADE));
    }
}
