//! Histograms: how a set of numbers (weights, gradients) spreads out.

use std::ops::Range;

use plotters::prelude::*;

use super::lines::{extent, quiet_corner};
use super::style::{check_span, font, render, series_colour, tick, Area, DrawResult, Frame};
use super::style::{GREY, GRID};
use super::Svg;
use crate::error::{Error, Result};

/// How several histograms share the picture.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Layout {
    /// All on one pair of axes, see-through: for comparing where they lie.
    #[default]
    Overlaid,
    /// One panel each, one above the other, on the same x axis: for
    /// comparing shapes, when overlaid bars would hide each other.
    Separate,
    /// One panel each, each on its own x axis from its own smallest to its
    /// own largest value, with its own bins across that range: for
    /// comparing shapes of sets that lie on very different scales (weights
    /// of N(0, 1) and of U(−0.17, 0.17)), which on a shared axis would
    /// squeeze the narrow ones into a few bins. Read each panel's ticks.
    SeparateRanges,
}

/// Histograms of named sets of numbers, counted into the same bins.
///
/// ```
/// use nn::prelude::*;
/// use nn::plot::{Histograms, Layout};
///
/// let mut rng = NumpyRng::new(0);
/// let narrow: Vec<f64> = (0..1000).map(|_| 0.1 * rng.randn()).collect();
/// let wide: Vec<f64> = (0..1000).map(|_| rng.randn()).collect();
/// let svg = Histograms::new()
///     .set("std 0.1", &narrow)
///     .set("std 1", &wide)
///     .bins(40)
///     .layout(Layout::Separate)
///     .x_label("weight")
///     .draw()?;
/// assert!(svg.as_str().contains("std 0.1"));
/// # Ok::<(), nn::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Histograms {
    sets: Vec<(String, Vec<f64>)>,
    bins: usize,
    layout: Layout,
    x_label: String,
    frame: Frame,
}

impl Default for Histograms {
    fn default() -> Self {
        Histograms {
            sets: Vec::new(),
            bins: 30,
            layout: Layout::Overlaid,
            x_label: "value".into(),
            frame: Frame::default(),
        }
    }
}

impl Histograms {
    /// No sets yet; add them with [`set`](Histograms::set).
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a set of numbers, named `name` in the legend.
    pub fn set(mut self, name: &str, values: &[f64]) -> Self {
        self.sets.push((name.to_string(), values.to_vec()));
        self
    }

    /// The number of equal bins between the smallest and the largest value
    /// of all sets, or of each set with [`Layout::SeparateRanges`]
    /// (default 30).
    pub fn bins(mut self, bins: usize) -> Self {
        self.bins = bins;
        self
    }

    /// Overlaid (default), in separate panels on one x axis, or in
    /// separate panels each on its own x axis.
    pub fn layout(mut self, layout: Layout) -> Self {
        self.layout = layout;
        self
    }

    /// The name of the x axis (default "value").
    pub fn x_label(mut self, label: &str) -> Self {
        self.x_label = label.to_string();
        self
    }

    /// A title above the plot.
    pub fn title(mut self, title: &str) -> Self {
        self.frame.title = Some(title.to_string());
        self
    }

    /// The size in pixels (default 640 × 400 overlaid, 640 wide and 150
    /// per panel separate, 170 per panel on their own ranges).
    pub fn size(mut self, width: u32, height: u32) -> Self {
        self.frame.size = Some((width, height));
        self
    }

    /// Draws the histograms. Errors if there is no set, a set is empty or
    /// has a value that is not finite, or the bins are not 1–500.
    pub fn draw(&self) -> Result<Svg> {
        if self.sets.is_empty() {
            return Err(Error::Plot(
                "there is nothing to count; add a set with .set(name, &values)".into(),
            ));
        }
        if !(1..=500).contains(&self.bins) {
            return Err(Error::InvalidParameter {
                name: "bins",
                value: self.bins.to_string(),
                valid: "between 1 and 500",
            });
        }
        for (name, values) in &self.sets {
            if values.is_empty() {
                return Err(Error::Plot(format!("the set \"{name}\" is empty")));
            }
            if let Some((i, v)) = values.iter().enumerate().find(|(_, v)| !v.is_finite()) {
                return Err(Error::Plot(format!(
                    "the set \"{name}\" has {v} at index {i}; a histogram counts finite numbers"
                )));
            }
        }
        let all = self
            .sets
            .iter()
            .flat_map(|(_, values)| values.iter().copied());
        let shared = span(all);
        check_span(&self.x_label, &shared)?;
        // Each set's own range, for panels that do not share an axis.
        let ranges: Vec<Range<f64>> = match self.layout {
            Layout::SeparateRanges => self
                .sets
                .iter()
                .map(|(_, values)| span(values.iter().copied()))
                .collect(),
            _ => vec![shared.clone(); self.sets.len()],
        };
        for x in &ranges {
            check_span(&self.x_label, x)?;
        }
        let counted: Vec<Vec<usize>> = self
            .sets
            .iter()
            .zip(&ranges)
            .map(|((_, values), x)| count(values, x, self.bins))
            .collect();
        match self.layout {
            Layout::Overlaid => render(&self.frame, (640, 400), |area| {
                let named: Vec<usize> = (0..self.sets.len()).collect();
                self.draw_panel(area, &shared, &counted, &named, true)
            }),
            Layout::Separate | Layout::SeparateRanges => {
                // Panels on their own axes each get a named x axis.
                let own = self.layout == Layout::SeparateRanges;
                let height = (150 + if own { 20 } else { 0 }) * self.sets.len() as u32 + 40;
                render(&self.frame, (640, height.min(4000)), |area| {
                    let panels = area.split_evenly((self.sets.len(), 1));
                    for (i, panel) in panels.iter().enumerate() {
                        let named = own || i + 1 == panels.len();
                        self.draw_panel(panel, &ranges[i], &counted, &[i], named)?;
                    }
                    Ok(())
                })
            }
        }
    }

    /// One pair of axes with the sets numbered in `which`, each as
    /// see-through bars under a solid outline.
    fn draw_panel(
        &self,
        area: &Area,
        x: &Range<f64>,
        counted: &[Vec<usize>],
        which: &[usize],
        x_axis_named: bool,
    ) -> DrawResult {
        let tallest = which
            .iter()
            .flat_map(|&i| counted[i].iter())
            .max()
            .copied()
            .unwrap_or(1);
        let y = 0.0..tallest.max(1) as f64 * 1.1;
        let mut chart = ChartBuilder::on(area)
            .margin(10)
            .margin_right(24)
            .x_label_area_size(if x_axis_named { 44 } else { 24 })
            .y_label_area_size(60)
            .build_cartesian_2d(x.clone(), y.clone())?;
        chart
            .configure_mesh()
            .bold_line_style(GRID)
            .light_line_style(TRANSPARENT)
            .axis_style(GREY)
            .x_desc(if x_axis_named {
                self.x_label.as_str()
            } else {
                ""
            })
            .y_desc("count")
            .y_labels(if which.len() == 1 { 4 } else { 8 })
            .axis_desc_style(font(14.0))
            .label_style(font(12.0))
            .x_label_formatter(&|v| tick(*v, x.end - x.start))
            .y_label_formatter(&|v| tick(*v, y.end))
            .draw()?;
        let width = (x.end - x.start) / self.bins as f64;
        for &i in which {
            let colour = series_colour(i);
            let bars = counted[i]
                .iter()
                .enumerate()
                .filter(|(_, &n)| n > 0)
                .map(|(b, &n)| {
                    let left = x.start + b as f64 * width;
                    Rectangle::new(
                        [(left, 0.0), (left + width, n as f64)],
                        colour.mix(0.35).filled(),
                    )
                });
            chart.draw_series(bars)?;
            let outline = chart.draw_series(LineSeries::new(
                steps(&counted[i], x.start, width),
                colour.stroke_width(2),
            ))?;
            outline
                .label(self.sets[i].0.as_str())
                .legend(move |(x, y)| {
                    Rectangle::new([(x, y - 6), (x + 18, y + 6)], colour.mix(0.6).filled())
                });
        }
        let points = which
            .iter()
            .flat_map(|&i| steps(&counted[i], x.start, width));
        let fraction = |(px, py): (f64, f64)| ((px - x.start) / (x.end - x.start), py / y.end);
        chart
            .configure_series_labels()
            .position(quiet_corner(points, fraction))
            .margin(10)
            .background_style(WHITE.mix(0.9))
            .border_style(GRID)
            .label_font(font(13.0))
            .draw()
    }
}

/// From the smallest to the largest of `values`; a range of width 1
/// around them when they are all equal, so that there is a bin to count in.
fn span(values: impl Iterator<Item = f64>) -> Range<f64> {
    let (low, high) = extent(values).unwrap_or((0.0, 1.0));
    if high > low {
        low..high
    } else {
        low - 0.5..high + 0.5
    }
}

/// How many values fall into each of `bins` equal bins across `x`; the
/// largest value belongs to the last bin rather than to one past it.
fn count(values: &[f64], x: &Range<f64>, bins: usize) -> Vec<usize> {
    let mut counts = vec![0; bins];
    for &v in values {
        let bin = ((v - x.start) / (x.end - x.start) * bins as f64).floor();
        counts[(bin.max(0.0) as usize).min(bins - 1)] += 1;
    }
    counts
}

/// The outline of the bars: up and across each bar, from 0 to 0.
fn steps(counts: &[usize], start: f64, width: f64) -> Vec<(f64, f64)> {
    let mut outline = vec![(start, 0.0)];
    for (b, &n) in counts.iter().enumerate() {
        let left = start + b as f64 * width;
        outline.push((left, n as f64));
        outline.push((left + width, n as f64));
    }
    outline.push((start + counts.len() as f64 * width, 0.0));
    outline
}

/// Overlaid histograms of named sets of numbers, 30 bins. For bins,
/// layout, titles and sizes, use [`Histograms`].
///
/// ```
/// use nn::prelude::*;
///
/// let grads = vec![0.1, 0.12, 0.3, 0.05];
/// let svg = plot::histograms(&[("layer 1", &grads[..])])?;
/// assert!(svg.as_str().contains("layer 1"));
/// assert!(plot::histograms(&[("empty", &[][..])]).is_err());
/// # Ok::<(), nn::Error>(())
/// ```
pub fn histograms(sets: &[(&str, &[f64])]) -> Result<Svg> {
    sets.iter()
        .fold(Histograms::new(), |plot, (name, values)| {
            plot.set(name, values)
        })
        .draw()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_put_the_maximum_in_the_last_bin() {
        assert_eq!(count(&[0.0, 0.5, 1.0, 0.99], &(0.0..1.0), 2), vec![1, 3]);
        assert_eq!(count(&[2.0], &(1.5..2.5), 3), vec![0, 1, 0]);
    }

    #[test]
    fn own_ranges_give_each_set_its_own_bins() {
        let narrow: Vec<f64> = (0..100).map(|i| f64::from(i) / 1000.0).collect();
        let wide: Vec<f64> = (0..100).map(|i| f64::from(i) - 50.0).collect();
        let plot = Histograms::new()
            .set("narrow", &narrow)
            .set("wide", &wide)
            .bins(10);
        let shared = plot.clone().layout(Layout::Separate).draw().unwrap();
        let own = plot.layout(Layout::SeparateRanges).draw().unwrap();
        // On its own axis the narrow set fills all 10 bins, 10 values each;
        // on the shared one it lands in a single bin of 100.
        assert_eq!(
            count(&narrow, &span(narrow.iter().copied()), 10),
            vec![10; 10]
        );
        assert!(own.as_str().contains(">\n0.02\n<") && !shared.as_str().contains(">\n0.02\n<"));
    }

    #[test]
    fn outline_walks_over_the_bars() {
        assert_eq!(
            steps(&[2, 1], 0.0, 1.0),
            vec![
                (0.0, 0.0),
                (0.0, 2.0),
                (1.0, 2.0),
                (1.0, 1.0),
                (2.0, 1.0),
                (2.0, 0.0)
            ]
        );
    }
}
