//! Loss curves: the loss after every epoch, several runs overlaid.

use plotters::prelude::*;

use super::lines::{draw_lines_probed, extent, padded, quiet_corner, Axes, Line, Probed};
use super::style::{check_span, render, short, tick, Frame};
use super::Svg;
use crate::error::{Error, Result};

/// How the loss axis is scaled.
///
/// A loss often falls from 0.3 to 0.003: on a linear axis everything after
/// the first hundred epochs is a flat line at the bottom, while on a log
/// axis every factor of ten gets the same height and the late progress
/// (or a slow rise) stays visible.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Scale {
    /// Equal steps of loss are equal heights.
    #[default]
    Linear,
    /// Equal factors of loss are equal heights (a log10 axis).
    Log,
}

/// Loss curves of one or more training runs, x = epoch (1-based).
///
/// ```
/// use nn::plot::{Losses, Scale};
///
/// let fast: Vec<f64> = (1..=200).map(|e| 1.0 / e as f64).collect();
/// let slow: Vec<f64> = (1..=200).map(|e| 1.0 / (e as f64).sqrt()).collect();
/// let svg = Losses::new()
///     .series("learning rate 1", &fast)
///     .series("learning rate 0.1", &slow)
///     .scale(Scale::Log)
///     .title("two learning rates")
///     .draw()?;
/// // Each line is drawn 2 pixels wide, its legend mark 3.
/// assert_eq!(svg.as_str().matches("stroke-width=\"2\" points").count(), 2);
/// assert_eq!(svg.as_str().matches("stroke-width=\"3\" points").count(), 2);
/// # Ok::<(), nn::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Losses {
    series: Vec<Series>,
    scale: Scale,
    max_points: Option<usize>,
    labels: Option<(String, String)>,
    minor: bool,
    frame: Frame,
}

/// One run's losses and the epochs they were measured at.
#[derive(Debug, Clone, PartialEq)]
struct Series {
    name: String,
    epochs: Vec<f64>,
    losses: Vec<f64>,
    /// Drawn in dashes, so that a line under it still shows.
    dashed: bool,
}

/// At most this many points per line by default: a 640-pixel-wide plot
/// cannot show more, and 10 000 points would make a 100 KB image.
const MAX_POINTS: usize = 500;

impl Losses {
    /// An empty plot on a linear scale; add lines with [`series`](Losses::series).
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a line: `losses[i]` is the loss after epoch `i + 1`.
    pub fn series(mut self, name: &str, losses: &[f64]) -> Self {
        self.series.push(Series {
            name: name.to_string(),
            epochs: (1..=losses.len()).map(|e| e as f64).collect(),
            losses: losses.to_vec(),
            dashed: false,
        });
        self
    }

    /// Adds a line like [`series`](Losses::series), drawn in dashes: for a
    /// reference run that another may lie exactly on, so that both show.
    ///
    /// ```
    /// use nn::plot::Losses;
    /// let run: Vec<f64> = (1..=100).map(|e| 1.0 / e as f64).collect();
    /// let svg = Losses::new().series("yours", &run).dashed_series("reference", &run).draw()?;
    /// // The dashed line is many short strokes, the solid one a single line.
    /// assert!(svg.as_str().matches("stroke-width=\"2\" points").count() > 10);
    /// # Ok::<(), nn::Error>(())
    /// ```
    pub fn dashed_series(mut self, name: &str, losses: &[f64]) -> Self {
        self = self.series(name, losses);
        if let Some(last) = self.series.last_mut() {
            last.dashed = true;
        }
        self
    }

    /// Adds a line measured only at some epochs, like a log of epochs 1–5
    /// and then every 1 000: `losses[i]` is the loss after `epochs[i]`.
    ///
    /// ```
    /// use nn::plot::Losses;
    /// let svg = Losses::new().series_at("logged", &[1, 2, 1000, 2000], &[0.3, 0.2, 0.05, 0.04]).draw()?;
    /// assert!(svg.as_str().contains("2000"));
    /// assert!(Losses::new().series_at("bad", &[1, 2], &[0.3]).draw().is_err());
    /// # Ok::<(), nn::Error>(())
    /// ```
    pub fn series_at(mut self, name: &str, epochs: &[usize], losses: &[f64]) -> Self {
        self.series.push(Series {
            name: name.to_string(),
            epochs: epochs.iter().map(|&e| e as f64).collect(),
            losses: losses.to_vec(),
            dashed: false,
        });
        self
    }

    /// A linear or logarithmic loss axis.
    pub fn scale(mut self, scale: Scale) -> Self {
        self.scale = scale;
        self
    }

    /// At most this many points per line (default 500); longer runs are
    /// thinned by [`downsample`].
    pub fn max_points(mut self, max_points: usize) -> Self {
        self.max_points = Some(max_points);
        self
    }

    /// A title above the plot.
    pub fn title(mut self, title: &str) -> Self {
        self.frame.title = Some(title.to_string());
        self
    }

    /// Other axis names than "epoch" and "loss", for any quantity that is
    /// measured at whole-numbered steps (such as a gradient's size per layer).
    ///
    /// ```
    /// use nn::plot::Losses;
    /// let svg = Losses::new().series_at("sigmoid", &[1, 2, 3], &[1e-5, 1e-3, 0.1]).labels("layer", "‖∂L/∂W‖").draw()?;
    /// assert!(svg.as_str().contains("layer"));
    /// # Ok::<(), nn::Error>(())
    /// ```
    pub fn labels(mut self, x: &str, y: &str) -> Self {
        self.labels = Some((x.to_string(), y.to_string()));
        self
    }

    /// The size in pixels (default 640 × 400).
    pub fn size(mut self, width: u32, height: u32) -> Self {
        self.frame.size = Some((width, height));
        self
    }

    /// Faint grid lines between the labelled ticks (on a log axis at 2, 3,
    /// … 9 times each power of ten), to read off values such as 0.003
    /// against 0.0036.
    ///
    /// ```
    /// use nn::plot::{Losses, Scale};
    /// let losses: Vec<f64> = (1..=100).map(|e| 0.1 / e as f64).collect();
    /// let plain = Losses::new().series("run", &losses).scale(Scale::Log).draw()?;
    /// let minor = Losses::new().series("run", &losses).scale(Scale::Log).minor_ticks().draw()?;
    /// assert!(minor.as_str().matches("#F2F2F2").count() > plain.as_str().matches("#F2F2F2").count());
    /// # Ok::<(), nn::Error>(())
    /// ```
    pub fn minor_ticks(mut self) -> Self {
        self.minor = true;
        self
    }

    fn x_label(&self) -> &str {
        self.labels.as_ref().map_or("epoch", |(x, _)| x)
    }

    fn y_label(&self, scale_note: &str) -> String {
        let y = self.labels.as_ref().map_or("loss", |(_, y)| y);
        format!("{y}{scale_note}")
    }

    /// Draws the plot.
    ///
    /// Points that are not finite (a run that diverged) are left out, and
    /// on a log scale so are losses ≤ 0, which it cannot show. Errors if
    /// there is no line, if a line's epochs and losses differ in length, or
    /// if a line has nothing left to draw.
    pub fn draw(&self) -> Result<Svg> {
        self.draw_probed(&[]).map(|(svg, _)| svg)
    }

    /// [`draw`](Losses::draw), telling where the (epoch, loss) points
    /// `probe` fall in the picture (for the [`Player`](super::Player)'s marker).
    pub(crate) fn draw_probed(&self, probe: &[(f64, f64)]) -> Result<(Svg, Probed)> {
        let max_points = self.max_points.unwrap_or(MAX_POINTS);
        if max_points < 4 {
            return Err(Error::InvalidParameter {
                name: "max_points",
                value: max_points.to_string(),
                valid: "at least 4",
            });
        }
        if self.series.is_empty() {
            return Err(Error::Plot(
                "a loss plot needs at least one line; add one with .series(name, &losses)".into(),
            ));
        }
        let mut lines = Vec::new();
        for s in &self.series {
            lines.push(self.line(s, max_points)?);
        }
        let points = || {
            lines
                .iter()
                .flat_map(|l| l.segments.iter().flatten().copied())
        };
        let (x_lo, x_hi) = extent(points().map(|p| p.0)).unwrap_or((1.0, 1.0));
        let (y_lo, y_hi) = extent(points().map(|p| p.1)).unwrap_or((0.0, 1.0));
        let x = if x_hi > x_lo {
            x_lo..x_hi
        } else {
            x_lo - 1.0..x_hi + 1.0
        };
        // A short axis (a network's 9 layers, a few epochs) gets a tick at
        // every whole number; a long one about 8.
        let x_labels = if x.end - x.start <= 12.0 {
            (x.end - x.start) as usize + 1
        } else {
            8
        };
        // Epochs are whole numbers; a tick at epoch 1.5 would only confuse.
        let epoch_ticks = |v: &f64| {
            if v.fract() == 0.0 {
                format!("{v}")
            } else {
                String::new()
            }
        };
        match self.scale {
            Scale::Linear => {
                let y = padded(y_lo, y_hi);
                check_span("loss", &y)?;
                let y_span = y.end - y.start;
                let fraction = |(px, py): (f64, f64)| {
                    (
                        (px - x.start) / (x.end - x.start),
                        (py - y.start) / (y.end - y.start),
                    )
                };
                let axes = Axes {
                    x: x.clone(),
                    x_label: self.x_label(),
                    y_label: &self.y_label(""),
                    x_ticks: &epoch_ticks,
                    y_ticks: &|v| tick(*v, y_span),
                    x_labels,
                    y_labels: 8,
                    legend: quiet_corner(points(), fraction),
                    minor: self.minor,
                };
                let mut probed = Probed::default();
                let svg = render(&self.frame, (640, 400), |area| {
                    probed = draw_lines_probed(area, &lines, &axes, y, probe)?;
                    Ok(())
                })?;
                Ok((svg, probed))
            }
            Scale::Log => {
                // Whole decades, so that the axis has a labelled power of ten
                // at each end, widened a hair so that rounding cannot drop the
                // end labels. Within a single decade plotters adds ticks at
                // 2…9 times the power of ten, and would draw the top label
                // twice, so there the top is left unlabelled instead.
                let floor = y_lo.log10().floor();
                let ceil = y_hi.log10().ceil().max(floor + 1.0);
                if ceil - floor > 100.0 {
                    return Err(Error::Plot(format!(
                        "the losses run from {y_lo:e} to {y_hi:e}, more than 100 powers of ten; \
                         leave out the extreme values or use Scale::Linear"
                    )));
                }
                let low = 10f64.powf(floor) * 0.999;
                let high = 10f64.powf(ceil) * if ceil - floor == 1.0 { 0.9999 } else { 1.001 };
                let span = high.log10() - low.log10();
                let fraction = |(px, py): (f64, f64)| {
                    (
                        (px - x.start) / (x.end - x.start),
                        (py.log10() - low.log10()) / span,
                    )
                };
                let axes = Axes {
                    x: x.clone(),
                    x_label: self.x_label(),
                    y_label: &self.y_label(" (log scale)"),
                    x_ticks: &epoch_ticks,
                    y_ticks: &|v| log_tick(*v, floor, ceil),
                    // Enough for plotters to add the ticks 2…9 inside a decade.
                    x_labels,
                    y_labels: 10,
                    legend: quiet_corner(points(), fraction),
                    minor: self.minor,
                };
                let mut probed = Probed::default();
                let svg = render(&self.frame, (640, 400), |area| {
                    let y = (low..high).log_scale();
                    probed = draw_lines_probed(area, &lines, &axes, y, probe)?;
                    Ok(())
                })?;
                Ok((svg, probed))
            }
        }
    }

    /// One series checked, cleaned of what cannot be drawn, and thinned.
    fn line(&self, s: &Series, max_points: usize) -> Result<Line> {
        if s.epochs.len() != s.losses.len() {
            return Err(Error::Plot(format!(
                "the line \"{}\" has {} epochs but {} losses; give one loss per epoch",
                s.name,
                s.epochs.len(),
                s.losses.len()
            )));
        }
        let drawable = |loss: f64| loss.is_finite() && (self.scale == Scale::Linear || loss > 0.0);
        let points: Vec<(f64, f64)> = s
            .epochs
            .iter()
            .zip(&s.losses)
            .filter(|&(_, &loss)| drawable(loss))
            .map(|(&e, &loss)| (e, loss))
            .collect();
        if points.is_empty() {
            let what = match self.scale {
                Scale::Linear => "finite loss",
                Scale::Log => "finite loss above 0 (a log scale cannot show 0 or less)",
            };
            return Err(Error::Plot(format!(
                "the line \"{}\" has no {what} to draw",
                s.name
            )));
        }
        Ok(Line {
            name: s.name.clone(),
            segments: vec![downsample(&points, max_points)],
            dashed: s.dashed,
        })
    }
}

/// Labels a log axis from 10^`floor` to 10^`ceil` at 1, 2 and 5 times a
/// power of ten, and leaves the ticks in between unlabelled, so the labels
/// never crowd. All labels of an axis have one format: decimals (0.001, 0.02,
/// 500) while every label is short that way, powers of ten (10⁻⁶, 2×10⁻⁵)
/// once the axis reaches below 0.001 or above 10 000, where decimals would
/// mix with exponents ("0.0001", "1e-05").
fn log_tick(v: f64, floor: f64, ceil: f64) -> String {
    let exponent = v.log10().floor();
    let mantissa = v / 10f64.powf(exponent);
    let m = mantissa.round();
    if (mantissa - m).abs() >= 1e-6 || ![1.0, 2.0, 5.0, 10.0].contains(&m) {
        return String::new();
    }
    if floor >= -3.0 && ceil <= 4.0 {
        return short(v, 3);
    }
    // A mantissa of 10 is the next power of ten, reached by rounding.
    let (m, exponent) = if m == 10.0 {
        (1.0, exponent + 1.0)
    } else {
        (m, exponent)
    };
    let power = format!("10{}", superscript(exponent as i64));
    if m == 1.0 {
        power
    } else {
        format!("{m}×{power}")
    }
}

/// An integer in superscript digits: −6 → "⁻⁶".
fn superscript(n: i64) -> String {
    const DIGITS: [char; 10] = ['⁰', '¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹'];
    let digits = n.unsigned_abs().to_string();
    let sign = if n < 0 { "⁻" } else { "" };
    sign.chars()
        .chain(digits.bytes().map(|d| DIGITS[usize::from(d - b'0')]))
        .collect()
}

/// Loss curves, one line per `(name, losses)`, on a linear or log scale.
/// For titles, sizes and sparse logs, use [`Losses`].
///
/// ```
/// use nn::plot::{self, Scale};
///
/// let original = vec![0.30, 0.10, 0.05, 0.04];
/// let true_gradient = vec![0.30, 0.08, 0.03, 0.01];
/// let svg = plot::losses(
///     &[("original rule", &original[..]), ("true gradient", &true_gradient[..])],
///     Scale::Log,
/// )?;
/// assert!(svg.as_str().contains("original rule"));
/// assert!(plot::losses(&[], Scale::Log).is_err());
/// # Ok::<(), nn::Error>(())
/// ```
pub fn losses(series: &[(&str, &[f64])], scale: Scale) -> Result<Svg> {
    series
        .iter()
        .fold(Losses::new().scale(scale), |plot, (name, values)| {
            plot.series(name, values)
        })
        .draw()
}

/// Thins a line to at most `max_points` points (but always keeps the first
/// and the last) without changing its shape.
///
/// The points between the first and the last are cut into equal buckets,
/// and each bucket keeps its lowest and its highest point, in their order.
/// Every spike and every dip survives, which averaging would smooth away;
/// the plot looks the same because a pixel column cannot show more.
///
/// ```
/// use nn::plot::downsample;
///
/// let curve: Vec<(f64, f64)> = (0..10_000).map(|i| (i as f64, (i as f64).sin())).collect();
/// let thin = downsample(&curve, 500);
/// assert!(thin.len() <= 500);
/// assert_eq!(thin[0], curve[0]);
/// assert_eq!(thin.last(), curve.last());
/// ```
pub fn downsample(points: &[(f64, f64)], max_points: usize) -> Vec<(f64, f64)> {
    if points.len() <= max_points.max(2) {
        return points.to_vec();
    }
    let (first, last) = (points[0], points[points.len() - 1]);
    let inner = &points[1..points.len() - 1];
    let buckets = max_points.saturating_sub(2) / 2;
    let mut kept = vec![first];
    for b in 0..buckets {
        let bucket = &inner[b * inner.len() / buckets..(b + 1) * inner.len() / buckets];
        let lowest = (0..bucket.len()).min_by(|&i, &j| bucket[i].1.total_cmp(&bucket[j].1));
        let highest = (0..bucket.len()).max_by(|&i, &j| bucket[i].1.total_cmp(&bucket[j].1));
        if let (Some(lo), Some(hi)) = (lowest, highest) {
            kept.push(bucket[lo.min(hi)]);
            if lo != hi {
                kept.push(bucket[lo.max(hi)]);
            }
        }
    }
    kept.push(last);
    kept
}

impl crate::train::History {
    /// This run's loss per epoch on a log scale, with the validation loss
    /// beside it when there is one. A cell ending in `history.plot()?` draws it.
    ///
    /// ```
    /// use nn::prelude::*;
    /// let d = data::study_sleep();
    /// let mut net = Network::builder(2).dense(1, Activation::Sigmoid).build()?;
    /// let history = Trainer::new(Loss::Mse, Optimizer::gd(1.0)).epochs(50).fit(&mut net, &d)?;
    /// assert!(history.plot()?.as_str().starts_with("<svg"));
    /// # Ok::<(), nn::Error>(())
    /// ```
    pub fn plot(&self) -> Result<Svg> {
        let mut plot = Losses::new()
            .title(&self.label())
            .series("training", &self.losses())
            .scale(Scale::Log);
        let validation = self.val_losses();
        if !validation.is_empty() {
            plot = plot.series("validation", &validation);
        }
        plot.draw()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn downsample_keeps_extremes_in_order() {
        let mut curve: Vec<(f64, f64)> = (0..1000).map(|i| (i as f64, 1.0)).collect();
        curve[400].1 = -5.0;
        curve[401].1 = 7.0;
        let thin = downsample(&curve, 50);
        assert!(thin.len() <= 50);
        assert!(thin.contains(&(400.0, -5.0)) && thin.contains(&(401.0, 7.0)));
        assert!(thin.windows(2).all(|w| w[0].0 < w[1].0));
    }

    #[test]
    fn downsample_leaves_short_lines_alone() {
        let line = [(1.0, 2.0), (2.0, 1.0)];
        assert_eq!(downsample(&line, 0), line.to_vec());
        assert_eq!(downsample(&[], 10), vec![]);
        let long: Vec<(f64, f64)> = (0..10).map(|i| (i as f64, 0.0)).collect();
        assert_eq!(downsample(&long, 3).len(), 2);
    }

    #[test]
    fn log_ticks_label_one_two_five() {
        let decimals = |v| log_tick(v, -3.0, 3.0);
        assert_eq!(decimals(0.001), "0.001");
        assert_eq!(decimals(0.02), "0.02");
        assert_eq!(decimals(500.0), "500");
        assert_eq!(decimals(0.003), "");
        assert_eq!(decimals(70.0), "");
    }

    #[test]
    fn a_wide_log_axis_labels_every_tick_as_a_power_of_ten() {
        let powers = |v| log_tick(v, -6.0, 1.0);
        assert_eq!(powers(1e-6), "10⁻⁶");
        assert_eq!(powers(2e-5), "2×10⁻⁵");
        assert_eq!(powers(0.001), "10⁻³");
        assert_eq!(powers(1.0), "10⁰");
        assert_eq!(powers(10.0), "10¹");
        assert_eq!(powers(3e-4), "");
        assert_eq!(superscript(-12), "⁻¹²");
    }
}
