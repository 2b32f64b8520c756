//! The input plane of a network with two inputs: a grid of points to run
//! through it, drawn as coloured cells, with the data on top.

use std::ops::Range;

use ndarray::Array2;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;

use std::fmt::Write as _;

use super::contour::contour;
use super::splice::{px, Splice};
use super::style::{check_network, check_span, class_colour, DrawResult, INK};
use crate::data::Dataset;
use crate::error::{Error, Result};
use crate::network::Network;

/// A chart whose axes are the two inputs.
pub(crate) type PlaneChart<'a, 'b> =
    ChartContext<'a, SVGBackend<'b>, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// A rectangle of the input plane cut into `resolution` × `resolution` cells.
pub(crate) struct Plane {
    pub x: Range<f64>,
    pub y: Range<f64>,
    pub resolution: usize,
}

impl Plane {
    /// The box around the rows of `points` (n × 2) with 10 % room on every
    /// side, so that no point sits on the edge. Errors if the points are
    /// too far apart for an axis.
    pub fn around(points: &Array2<f64>, resolution: usize) -> Result<Plane> {
        let range = |column: usize| {
            let values = points.column(column);
            let low = values.fold(f64::INFINITY, |m, &v| m.min(v));
            let high = values.fold(f64::NEG_INFINITY, |m, &v| m.max(v));
            let room = if high > low { (high - low) * 0.1 } else { 1.0 };
            low - room..high + room
        };
        let (x, y) = (range(0), range(1));
        check_span("x₁", &x)?;
        check_span("x₂", &y)?;
        Ok(Plane { x, y, resolution })
    }

    /// The centre of every cell, one per row: the bottom row of cells from
    /// left to right, then the row above, and so on.
    pub fn centres(&self) -> Array2<f64> {
        let n = self.resolution;
        Array2::from_shape_fn((n * n, 2), |(k, axis)| {
            let (row, column) = (k / n, k % n);
            if axis == 0 {
                self.at(&self.x, column)
            } else {
                self.at(&self.y, row)
            }
        })
    }

    /// The centre of cell `i` along `range`.
    fn at(&self, range: &Range<f64>, i: usize) -> f64 {
        range.start + (range.end - range.start) * (i as f64 + 0.5) / self.resolution as f64
    }

    /// Where the plane's top-left and bottom-right corners are in the
    /// picture, in pixels.
    pub fn corners(&self, chart: &PlaneChart) -> ((f64, f64), (f64, f64)) {
        let to_f64 = |(x, y): (i32, i32)| (f64::from(x), f64::from(y));
        (
            to_f64(chart.backend_coord(&(self.x.start, self.y.end))),
            to_f64(chart.backend_coord(&(self.x.end, self.y.start))),
        )
    }

    /// Where the point `(x₁, x₂)` is in the picture, in pixels (not rounded,
    /// unlike plotters' own coordinates, so that lines stay smooth).
    pub fn pixel(&self, chart: &PlaneChart, (x1, x2): (f64, f64)) -> (f64, f64) {
        let ((left, top), (right, bottom)) = self.corners(chart);
        (
            left + (x1 - self.x.start) / (self.x.end - self.x.start) * (right - left),
            bottom - (x2 - self.y.start) / (self.y.end - self.y.start) * (bottom - top),
        )
    }

    /// Draws `colours` (one per cell, in the order of
    /// [`centres`](Plane::centres)) as one image over the plane, which the
    /// browser smooths: no cells, no seams.
    pub fn draw_map(
        &self,
        chart: &PlaneChart,
        splice: &mut Splice,
        colours: &[RGBColor],
    ) -> DrawResult {
        let n = self.resolution;
        // The image's rows run from the top, the cells' from the bottom.
        let pixels: Vec<RGBColor> = colours.chunks(n).rev().flatten().copied().collect();
        let (top_left, bottom_right) = self.corners(chart);
        let area = chart.plotting_area().strip_coord_spec();
        splice.image(&area, top_left, bottom_right, n, &pixels)
    }

    /// Draws the line where `values` (one per cell, in the order of
    /// [`centres`](Plane::centres)) crosses `level`.
    pub fn draw_contour(
        &self,
        chart: &PlaneChart,
        splice: &mut Splice,
        values: &[f64],
        level: f64,
        colour: RGBColor,
        width: f64,
    ) -> DrawResult {
        let ((left, top), (right, bottom)) = self.corners(chart);
        let n = self.resolution as f64;
        // Grid point (i, j) is the centre of cell i of row j from the bottom.
        let to_pixel = |(i, j): (f64, f64)| {
            (
                left + (i + 0.5) / n * (right - left),
                bottom - (j + 0.5) / n * (bottom - top),
            )
        };
        let mut d = String::new();
        for [a, b] in contour(values, self.resolution, level) {
            let (a, b) = (to_pixel(a), to_pixel(b));
            let _ = write!(d, "M{} {}L{} {}", px(a.0), px(a.1), px(b.0), px(b.1));
        }
        let area = chart.plotting_area().strip_coord_spec();
        splice.stroke(&area, &d, colour, width, 1.0)
    }
}

/// Draws at most about `most` of the data points as dots coloured by class
/// (when the targets are class labels, dark grey otherwise), each with a
/// white ring so that it stands out on any shade.
///
/// Every `every`-th point is taken, but staggered (0, every + 1,
/// 2·every + 2, …): data stored class by class in turn (0, 1, 0, 1, …)
/// would otherwise show only one class.
pub(crate) fn draw_points(
    chart: &PlaneChart,
    splice: &mut Splice,
    plane: &Plane,
    data: &Dataset,
    radius: f64,
    most: usize,
) -> DrawResult {
    let n = data.x.nrows();
    let every = n.div_ceil(most.max(1)).max(1);
    let chosen = (0..n).map(|k| k * every + k % every).take_while(|&i| i < n);
    let classes = class_labels(&data.y).ok();
    let mut by_colour: Vec<(RGBColor, Vec<(f64, f64)>)> = Vec::new();
    for i in chosen {
        let colour = classes.as_ref().map_or(INK, |c| class_colour(c[i]));
        let at = plane.pixel(chart, (data.x[[i, 0]], data.x[[i, 1]]));
        match by_colour.iter_mut().find(|(c, _)| *c == colour) {
            Some((_, points)) => points.push(at),
            None => by_colour.push((colour, vec![at])),
        }
    }
    let area = chart.plotting_area().strip_coord_spec();
    for (colour, points) in by_colour {
        splice.dots(&area, &points, colour, radius)?;
    }
    Ok(())
}

/// The class of every row: from n × 1 labels 0, 1, 2, …, or from one-hot
/// rows (the column of the largest value).
pub(crate) fn class_labels(y: &Array2<f64>) -> Result<Vec<usize>> {
    if y.ncols() > 1 {
        return Ok(y.rows().into_iter().map(|row| argmax(row.iter())).collect());
    }
    y.iter()
        .enumerate()
        .map(|(row, &v)| {
            if v >= 0.0 && v.fract() == 0.0 && v < 1000.0 {
                Ok(v as usize)
            } else {
                Err(Error::Plot(format!(
                    "the target in row {row} is {v}, not a class label; \
                     give one class label 0, 1, 2, … per row (or one-hot rows)"
                )))
            }
        })
        .collect()
}

/// The position of the largest value (the first one on a tie).
pub(crate) fn argmax<'a>(values: impl Iterator<Item = &'a f64>) -> usize {
    values
        .enumerate()
        .fold((0, f64::NEG_INFINITY), |best, (i, &v)| {
            if v > best.1 {
                (i, v)
            } else {
                best
            }
        })
        .0
}

/// Checks that `net` takes 2 inputs and `data` has 2 features that fit it.
pub(crate) fn check_plane(net: &Network, data: &Dataset) -> Result<()> {
    check_network(net)?;
    let inputs = net.layers[0].inputs();
    if inputs != 2 {
        return Err(Error::Plot(format!(
            "this plot draws the plane of 2 inputs, but the network takes {inputs}"
        )));
    }
    if data.x.ncols() != 2 || data.x.nrows() == 0 {
        return Err(Error::Plot(format!(
            "this plot draws the plane of 2 inputs, but the data is {} × {}; \
             give it one row per point and 2 columns",
            data.x.nrows(),
            data.x.ncols()
        )));
    }
    if data.y.nrows() != data.x.nrows() {
        return Err(Error::Plot(format!(
            "the data has {} input rows but {} target rows",
            data.x.nrows(),
            data.y.nrows()
        )));
    }
    if data.x.iter().chain(data.y.iter()).any(|v| !v.is_finite()) {
        return Err(Error::Plot(
            "the data has a value that is not a finite number".into(),
        ));
    }
    Ok(())
}

/// Checks the number of cells along each side.
pub(crate) fn check_resolution(resolution: usize) -> Result<()> {
    if (2..=300).contains(&resolution) {
        Ok(())
    } else {
        Err(Error::InvalidParameter {
            name: "resolution",
            value: resolution.to_string(),
            valid: "between 2 and 300 cells along each side",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn centres_run_row_by_row_from_the_bottom() {
        let plane = Plane {
            x: 0.0..2.0,
            y: 0.0..4.0,
            resolution: 2,
        };
        assert_eq!(
            plane.centres(),
            array![[0.5, 1.0], [1.5, 1.0], [0.5, 3.0], [1.5, 3.0]]
        );
    }

    #[test]
    fn labels_from_ids_or_one_hot() {
        assert_eq!(class_labels(&array![[0.0], [2.0]]).unwrap(), vec![0, 2]);
        assert_eq!(
            class_labels(&array![[0.1, 0.9], [1.0, 0.0]]).unwrap(),
            vec![1, 0]
        );
        let err = class_labels(&array![[0.5]]).unwrap_err();
        assert!(err.to_string().contains("row 0 is 0.5, not a class label"));
        assert!(class_labels(&array![[-1.0]]).is_err());
    }
}
