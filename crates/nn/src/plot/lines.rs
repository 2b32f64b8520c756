//! Named lines on x/y axes with a legend: what loss curves and function
//! plots have in common.

use std::ops::Range;

use plotters::coord::ranged1d::{AsRangedCoord, ValueFormatter};
use plotters::prelude::*;

use super::style::{font, series_colour, Area, DrawResult, GREY, GRID};

/// The minor grid: fainter than [`GRID`], so that the labelled lines still lead.
const MINOR: RGBColor = RGBColor(0xf2, 0xf2, 0xf2);

/// One named line. A gap (a NaN, a log of 0) splits it into segments, so
/// that it is never drawn across a value that does not exist.
pub(crate) struct Line {
    pub name: String,
    pub segments: Vec<Vec<(f64, f64)>>,
    /// Drawn in dashes, so that a line lying under another still shows.
    pub dashed: bool,
}

/// Everything about the axes except the y coordinate, which is linear or
/// logarithmic and so has a different type.
pub(crate) struct Axes<'a> {
    pub x: Range<f64>,
    pub x_label: &'a str,
    pub y_label: &'a str,
    pub x_ticks: &'a dyn Fn(&f64) -> String,
    pub y_ticks: &'a dyn Fn(&f64) -> String,
    /// About how many x ticks to make.
    pub x_labels: usize,
    /// About how many y ticks to make.
    pub y_labels: usize,
    /// Where the legend goes, chosen by [`quiet_corner`].
    pub legend: SeriesLabelPosition,
    /// Fainter grid lines between the labelled ones, to read values off.
    pub minor: bool,
}

/// Draws `lines` in the series colours, with light grid lines, labelled
/// axes, and a legend when the lines have names.
pub(crate) fn draw_lines<Y>(area: &Area, lines: &[Line], axes: &Axes, y: Y) -> DrawResult
where
    Y: AsRangedCoord<Value = f64>,
    Y::CoordDescType: ValueFormatter<f64>,
{
    draw_lines_probed(area, lines, axes, y, &[]).map(|_| ())
}

/// Where a drawn chart put things, in picture pixels: its plotting area
/// (x range, y range) and the pixel of each probed (x, y) value, so that a
/// script can move a marker over the finished picture.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Probed {
    pub area: (Range<i32>, Range<i32>),
    pub points: Vec<(i32, i32)>,
}

/// [`draw_lines`], telling where the values `probe` fell.
pub(crate) fn draw_lines_probed<Y>(
    area: &Area,
    lines: &[Line],
    axes: &Axes,
    y: Y,
    probe: &[(f64, f64)],
) -> std::result::Result<Probed, DrawingAreaErrorKind<std::io::Error>>
where
    Y: AsRangedCoord<Value = f64>,
    Y::CoordDescType: ValueFormatter<f64>,
{
    let mut chart = ChartBuilder::on(area)
        .margin(12)
        .margin_right(24)
        .x_label_area_size(44)
        .y_label_area_size(64)
        .build_cartesian_2d(axes.x.clone(), y)?;
    chart
        .configure_mesh()
        .bold_line_style(GRID)
        .light_line_style(if axes.minor {
            MINOR.to_rgba()
        } else {
            TRANSPARENT
        })
        .axis_style(GREY)
        .x_labels(axes.x_labels)
        .y_labels(axes.y_labels)
        .x_desc(axes.x_label)
        .y_desc(axes.y_label)
        .axis_desc_style(font(14.0))
        .label_style(font(12.0))
        .x_label_formatter(axes.x_ticks)
        .y_label_formatter(axes.y_ticks)
        .draw()?;
    for (i, line) in lines.iter().enumerate() {
        let colour = series_colour(i);
        let style = colour.stroke_width(2);
        // A line of few points gets a dot on each, to show where it was
        // measured and what is only drawn in between.
        let dotted = line.segments.iter().map(Vec::len).sum::<usize>() <= 30;
        for (s, segment) in line.segments.iter().enumerate() {
            let points = segment.iter().copied();
            let drawn = if line.dashed {
                chart.draw_series(DashedLineSeries::new(points, 7, 5, style))?
            } else {
                chart.draw_series(LineSeries::new(points, style))?
            };
            // One legend entry per line, not per segment.
            if s == 0 && !line.name.is_empty() {
                let mark = colour.stroke_width(3);
                let labelled = drawn.label(line.name.as_str());
                // A dashed line's legend mark is two dashes, a solid one's one stroke.
                if line.dashed {
                    labelled.legend(move |(x, y)| {
                        EmptyElement::at((x, y))
                            + PathElement::new(vec![(0, 0), (8, 0)], mark)
                            + PathElement::new(vec![(14, 0), (22, 0)], mark)
                    });
                } else {
                    labelled
                        .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 22, y)], mark));
                }
            }
            if dotted {
                let dots = segment.iter().map(|&p| Circle::new(p, 3, colour.filled()));
                chart.draw_series(dots)?;
            }
        }
    }
    if lines.iter().any(|l| !l.name.is_empty()) {
        chart
            .configure_series_labels()
            .position(axes.legend.clone())
            .margin(10)
            .legend_area_size(30)
            .background_style(WHITE.mix(0.9))
            .border_style(GRID)
            .label_font(font(13.0))
            .draw()?;
    }
    Ok(Probed {
        area: chart.plotting_area().get_pixel_range(),
        points: probe.iter().map(|p| chart.backend_coord(p)).collect(),
    })
}

/// The corner of the plot where the legend hides the fewest points.
///
/// Loss curves fall from the top left and leave the top right empty, but a
/// sigmoid rises into it; counting beats guessing. `fraction` maps a point
/// to where it lies in the plot, (0, 0) bottom left to (1, 1) top right.
pub(crate) fn quiet_corner(
    points: impl Iterator<Item = (f64, f64)>,
    fraction: impl Fn((f64, f64)) -> (f64, f64),
) -> SeriesLabelPosition {
    // A legend covers about 40 % of the width and 35 % of the height.
    let mut counts = [0usize; 4]; // upper right, upper left, lower right, lower left
    for point in points {
        let (fx, fy) = fraction(point);
        let (right, left) = (fx > 0.6, fx < 0.4);
        let (upper, lower) = (fy > 0.65, fy < 0.35);
        counts[0] += usize::from(upper && right);
        counts[1] += usize::from(upper && left);
        counts[2] += usize::from(lower && right);
        counts[3] += usize::from(lower && left);
    }
    let corners = [
        SeriesLabelPosition::UpperRight,
        SeriesLabelPosition::UpperLeft,
        SeriesLabelPosition::LowerRight,
        SeriesLabelPosition::LowerLeft,
    ];
    // The first corner with the fewest points, so the upper right on a tie.
    let best = (0..4).min_by_key(|&i| counts[i]).unwrap_or(0);
    corners[best].clone()
}

/// A range around `low..high` with a little room above and below, and a
/// range of width 2 around a single value, which plotters cannot scale.
pub(crate) fn padded(low: f64, high: f64) -> Range<f64> {
    if high > low {
        let pad = (high - low) * 0.05;
        low - pad..high + pad
    } else {
        let pad = if low == 0.0 { 1.0 } else { low.abs() * 0.1 };
        low - pad..high + pad
    }
}

/// The smallest and largest of the given values, if any.
pub(crate) fn extent(values: impl Iterator<Item = f64>) -> Option<(f64, f64)> {
    values.fold(None, |acc, v| match acc {
        None => Some((v, v)),
        Some((lo, hi)) => Some((lo.min(v), hi.max(v))),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn legend_avoids_the_points() {
        let falling = [(0.0, 1.0), (0.1, 0.5), (0.5, 0.1), (1.0, 0.05)];
        let corner = quiet_corner(falling.into_iter(), |p| p);
        assert!(matches!(corner, SeriesLabelPosition::UpperRight));
        let rising = [(0.0, 0.0), (0.5, 0.5), (0.9, 0.95), (1.0, 1.0)];
        let corner = quiet_corner(rising.into_iter(), |p| p);
        assert!(matches!(corner, SeriesLabelPosition::UpperLeft));
    }

    #[test]
    fn padding_handles_a_single_value() {
        assert_eq!(padded(0.0, 0.0), -1.0..1.0);
        assert_eq!(padded(2.0, 2.0), 1.8..2.2);
        assert_eq!(extent([3.0, -1.0, 2.0].into_iter()), Some((-1.0, 3.0)));
        assert_eq!(extent(std::iter::empty()), None);
    }
}
