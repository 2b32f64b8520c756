//! Functions of one number, such as an activation and its derivative, or a
//! loss against the prediction.

use std::ops::RangeInclusive;

use super::lines::{draw_lines, extent, padded, quiet_corner, Axes, Line};
use super::style::{check_span, render, tick, Frame};
use super::Svg;
use crate::activation::Activation;
use crate::display::number;
use crate::error::{Error, Result};

/// A plot of named functions `f64 → f64` over an x range.
///
/// ```
/// use nn::plot::Functions;
///
/// // Binary cross-entropy against the prediction p, for the target 1 and 0.
/// let svg = Functions::new(0.0..=1.0)
///     .curve("y = 1: −ln p", |p| -p.ln())
///     .curve("y = 0: −ln(1 − p)", |p| -(1.0 - p).ln())
///     .labels("prediction p", "loss")
///     .title("binary cross-entropy")
///     .draw()?;
/// assert!(svg.as_str().contains("binary cross-entropy"));
/// # Ok::<(), nn::Error>(())
/// ```
pub struct Functions<'a> {
    curves: Vec<(String, Curve<'a>, bool)>,
    x: RangeInclusive<f64>,
    samples: usize,
    labels: (String, String),
    frame: Frame,
}

/// A function to plot, kept in a box because every closure has a type of
/// its own.
type Curve<'a> = Box<dyn Fn(f64) -> f64 + 'a>;

impl<'a> Functions<'a> {
    /// An empty plot over `x`; add functions with [`curve`](Functions::curve).
    pub fn new(x: RangeInclusive<f64>) -> Self {
        Functions {
            curves: Vec::new(),
            x,
            samples: 401,
            labels: ("x".into(), "y".into()),
            frame: Frame::default(),
        }
    }

    /// Adds the function `f`, named `name` in the legend.
    pub fn curve(mut self, name: &str, f: impl Fn(f64) -> f64 + 'a) -> Self {
        self.curves.push((name.to_string(), Box::new(f), false));
        self
    }

    /// Adds the function `f` drawn in dashes: for a reference line that
    /// other curves lie on in places (the identity under ReLU), so that
    /// both stay visible.
    ///
    /// ```
    /// use nn::plot::Functions;
    /// let svg = Functions::new(-3.0..=3.0)
    ///     .dashed_curve("identity", |z| z)
    ///     .curve("relu", |z: f64| z.max(0.0))
    ///     .draw()?;
    /// // The dashes are many short lines; the solid curve is one.
    /// assert!(svg.as_str().matches("<polyline").count() > 10);
    /// # Ok::<(), nn::Error>(())
    /// ```
    pub fn dashed_curve(mut self, name: &str, f: impl Fn(f64) -> f64 + 'a) -> Self {
        self.curves.push((name.to_string(), Box::new(f), true));
        self
    }

    /// How many evenly spaced x values to evaluate (default 401).
    pub fn samples(mut self, samples: usize) -> Self {
        self.samples = samples;
        self
    }

    /// The names of the x and y axes (default "x" and "y").
    pub fn labels(mut self, x: &str, y: &str) -> Self {
        self.labels = (x.to_string(), y.to_string());
        self
    }

    /// A title above the plot.
    pub fn title(mut self, title: &str) -> Self {
        self.frame.title = Some(title.to_string());
        self
    }

    /// The size in pixels (default 640 × 400).
    pub fn size(mut self, width: u32, height: u32) -> Self {
        self.frame.size = Some((width, height));
        self
    }

    /// Draws the plot. Where a function is not finite (−ln 0) its line has
    /// a gap. Errors for an empty or reversed range, fewer than 2 samples,
    /// no functions, or a function with no finite value at all.
    pub fn draw(&self) -> Result<Svg> {
        let (start, end) = (*self.x.start(), *self.x.end());
        // A range so wide that its length overflows cannot be sampled.
        if !(start < end && (end - start).is_finite()) {
            return Err(Error::InvalidParameter {
                name: "x range",
                value: format!("{}..={}", number(start), number(end)),
                valid: "finite, with start < end and a finite length end − start",
            });
        }
        if !(2..=100_000).contains(&self.samples) {
            return Err(Error::InvalidParameter {
                name: "samples",
                value: self.samples.to_string(),
                valid: "between 2 and 100 000",
            });
        }
        if self.curves.is_empty() {
            return Err(Error::Plot(
                "there is no function to plot; add one with .curve(name, |x| …)".into(),
            ));
        }
        let xs: Vec<f64> = (0..self.samples)
            .map(|i| start + (end - start) * i as f64 / (self.samples - 1) as f64)
            .collect();
        let mut lines = Vec::new();
        for (name, f, dashed) in &self.curves {
            let line = Line {
                name: name.clone(),
                segments: finite_segments(xs.iter().map(|&x| (x, f(x)))),
                dashed: *dashed,
            };
            if line.segments.is_empty() {
                return Err(Error::Plot(format!(
                    "the function \"{name}\" is not a finite number anywhere in {}..={}",
                    number(start),
                    number(end)
                )));
            }
            lines.push(line);
        }
        let points = || {
            lines
                .iter()
                .flat_map(|l| l.segments.iter().flatten().copied())
        };
        let (y_lo, y_hi) = extent(points().map(|p| p.1)).unwrap_or((0.0, 1.0));
        let y = padded(y_lo, y_hi);
        check_span("y", &y)?;
        let (x_span, y_span) = (end - start, y.end - y.start);
        let fraction = |(px, py): (f64, f64)| {
            (
                (px - start) / (end - start),
                (py - y.start) / (y.end - y.start),
            )
        };
        let axes = Axes {
            x: start..end,
            x_label: &self.labels.0,
            y_label: &self.labels.1,
            x_ticks: &|v| tick(*v, x_span),
            y_ticks: &|v| tick(*v, y_span),
            x_labels: 8,
            y_labels: 8,
            legend: quiet_corner(points(), fraction),
            minor: false,
        };
        render(&self.frame, (640, 400), |area| {
            draw_lines(area, &lines, &axes, y)
        })
    }
}

/// Splits a line into runs of finite points.
fn finite_segments(points: impl Iterator<Item = (f64, f64)>) -> Vec<Vec<(f64, f64)>> {
    let mut segments = vec![Vec::new()];
    for (x, y) in points {
        match segments.last_mut() {
            Some(run) if y.is_finite() => run.push((x, y)),
            Some(run) if !run.is_empty() => segments.push(Vec::new()),
            _ => {}
        }
    }
    segments.retain(|s| !s.is_empty());
    segments
}

/// Named functions over an x range, such as sigmoid and its derivative.
/// For axis names, titles and sizes, use [`Functions`].
///
/// ```
/// use nn::prelude::*;
///
/// let sigmoid = |z| Activation::Sigmoid.value(z);
/// let slope = |z| Activation::Sigmoid.derivative(z);
/// let svg = plot::function(&[("σ(z)", &sigmoid), ("σ'(z)", &slope)], -6.0..=6.0)?;
/// assert!(svg.as_str().contains("σ(z)") && svg.as_str().contains("σ&apos;(z)"));
/// # Ok::<(), nn::Error>(())
/// ```
pub fn function(curves: &[(&str, &dyn Fn(f64) -> f64)], x: RangeInclusive<f64>) -> Result<Svg> {
    curves
        .iter()
        .fold(Functions::new(x), |plot, &(name, f)| plot.curve(name, f))
        .draw()
}

/// An activation function and its derivative over z in [−6, 6], the
/// range where they all do something interesting.
///
/// ```
/// use nn::prelude::*;
/// let svg = plot::activation(Activation::Tanh)?;
/// assert!(svg.as_str().contains("tanh"));
/// # Ok::<(), nn::Error>(())
/// ```
pub fn activation(activation: Activation) -> Result<Svg> {
    let name = activation.name();
    Functions::new(-6.0..=6.0)
        .curve(&format!("{name}(z)"), move |z| activation.value(z))
        .curve(&format!("{name}'(z)"), move |z| activation.derivative(z))
        .labels("z", "value")
        .title(&format!("{name} and its derivative"))
        .draw()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gaps_split_lines() {
        let points = [
            (0.0, f64::INFINITY),
            (1.0, 1.0),
            (2.0, f64::NAN),
            (3.0, 3.0),
            (4.0, 4.0),
        ];
        let segments = finite_segments(points.into_iter());
        assert_eq!(
            segments,
            vec![vec![(1.0, 1.0)], vec![(3.0, 3.0), (4.0, 4.0)]]
        );
        assert!(finite_segments([(0.0, f64::NAN)].into_iter()).is_empty());
    }
}
