//! A plane through a network's parameters, on which a loss landscape is
//! drawn: two of its weights, or two random directions through all of them
//! (Li et al. 2018), and the paths optimizers take across it.

use std::ops::ControlFlow;

use ndarray::Array2;

use crate::error::{Error, Result};
use crate::init::NumpyRng;
use crate::network::{norm, Network};
use crate::observe::{Observer, StepEnd};

/// One weight, numbered as in the math, all from 1: `Weight::new(2, 1, 3)`
/// is w²₁₃, the weight of layer 2 (W², `net.layers[1]`) from unit 1 of the
/// layer below to unit 3 — `net.layers[1].weights[[0, 2]]`.
///
/// ```
/// use nn::plot::Weight;
/// assert_eq!(Weight::new(2, 1, 3).name(), "w²₁₃");
/// assert_eq!(Weight::from((1, 2, 1)), Weight::new(1, 2, 1));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Weight {
    /// The layer, from 1: W¹ is the first layer's weights.
    pub layer: usize,
    /// The unit of the layer below (or the input), from 1: the row of Wˡ.
    pub from: usize,
    /// The unit of this layer, from 1: the column of Wˡ.
    pub to: usize,
}

impl Weight {
    /// The weight of `layer` from unit `from` below to unit `to`, all from 1.
    pub fn new(layer: usize, from: usize, to: usize) -> Self {
        Weight { layer, from, to }
    }

    /// Its name, such as "w²₁₃".
    pub fn name(&self) -> String {
        const SUP: [char; 10] = ['⁰', '¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹'];
        const SUB: [char; 10] = ['₀', '₁', '₂', '₃', '₄', '₅', '₆', '₇', '₈', '₉'];
        let digits = |n: usize, set: &[char; 10]| -> String {
            n.to_string()
                .chars()
                .map(|d| set[d.to_digit(10).unwrap_or(0) as usize])
                .collect()
        };
        let (from, to) = (digits(self.from, &SUB), digits(self.to, &SUB));
        // Two-digit units need a separator to be read.
        let sep = if self.from > 9 || self.to > 9 {
            ","
        } else {
            ""
        };
        format!("w{}{from}{sep}{to}", digits(self.layer, &SUP))
    }

    /// Where it is in `net`: the index into `net.layers`, and the row and
    /// column of that layer's weights. Errors if `net` has no such weight.
    fn index(&self, net: &Network) -> Result<(usize, usize, usize)> {
        let layers = net.layers.len();
        let layer = self.layer.checked_sub(1).and_then(|l| net.layers.get(l));
        let Some(layer) = layer else {
            return Err(Error::Plot(format!(
                "the network has no layer {} (its layers are 1 to {layers}: W¹ is the first layer's weights)",
                self.layer
            )));
        };
        let (rows, columns) = layer.weights.dim();
        if !(1..=rows).contains(&self.from) || !(1..=columns).contains(&self.to) {
            return Err(Error::Plot(format!(
                "layer {}'s weights are {rows} × {columns}, so there is no weight {}; \
                 count from 1: from = 1 to {rows}, to = 1 to {columns}",
                self.layer,
                self.name()
            )));
        }
        Ok((self.layer - 1, self.from - 1, self.to - 1))
    }
}

impl From<(usize, usize, usize)> for Weight {
    /// `(layer, from, to)`, all from 1.
    fn from((layer, from, to): (usize, usize, usize)) -> Self {
        Weight::new(layer, from, to)
    }
}

/// The two directions of a [`Slice`].
#[derive(Debug, Clone, PartialEq)]
enum Axes {
    /// Two weights; every other parameter stays as in the origin.
    Weights([(Weight, (usize, usize, usize)); 2]),
    /// Two directions through every parameter, one matrix per weight and
    /// bias matrix in the order of [`Network::parameters`].
    Directions([Vec<Array2<f64>>; 2]),
}

/// A plane through a network's parameters θ: the points θ(a, b) of the
/// loss landscape that [`Landscape`](crate::plot::Landscape) draws.
///
/// - [`Slice::weights`]: `a` and `b` are the values of two weights, every
///   other parameter as in the origin network. For a network with only
///   those two parameters (say `Network::builder(2).dense(1, …).no_bias()`)
///   the slice is the whole landscape, and a training path lies on it
///   exactly; for a larger one, a path is its shadow on the slice, while the
///   other weights move under it.
/// - [`Slice::random`]: θ(a, b) = θ₀ + a·d₁ + b·d₂ for two random
///   directions d₁, d₂, each scaled unit by unit to the size of the
///   weights into that unit ("filter normalization", Li et al. 2018,
///   "Visualizing the Loss Landscape of Neural Nets"), biases left out; so
///   a = 1 is a step as large as the weights themselves.
///
/// ```
/// use nn::prelude::*;
/// use nn::plot::{Slice, Weight};
///
/// let net = nn::original::OriginalNetwork::new().to_network()?;
/// let slice = Slice::weights(&net, Weight::new(2, 1, 1), Weight::new(2, 2, 1))?;
/// assert_eq!(slice.coordinates(&net)?, (net.layers[1].weights[[0, 0]], net.layers[1].weights[[1, 0]]));
/// let moved = slice.network_at(0.5, -0.5);
/// assert_eq!(moved.layers[1].weights[[1, 0]], -0.5);
/// assert!(Slice::weights(&net, Weight::new(3, 1, 1), Weight::new(2, 1, 1)).is_err()); // no layer 3
/// # Ok::<(), nn::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Slice {
    origin: Network,
    axes: Axes,
}

impl Slice {
    /// The plane of weights `a` and `b` of `net`, every other parameter as
    /// in `net`. Errors if `net` has no such weight, or if they are the same.
    pub fn weights(net: &Network, a: impl Into<Weight>, b: impl Into<Weight>) -> Result<Slice> {
        let (a, b) = (a.into(), b.into());
        let (ia, ib) = (a.index(net)?, b.index(net)?);
        if ia == ib {
            return Err(Error::Plot(format!(
                "both axes are {}; choose two different weights",
                a.name()
            )));
        }
        Slice {
            origin: net.clone(),
            axes: Axes::Weights([(a, ia), (b, ib)]),
        }
        .checked()
    }

    /// The plane through `net` along two random filter-normalized
    /// directions drawn from `seed` (the same seed, the same plane).
    ///
    /// ```
    /// use nn::prelude::*;
    /// use nn::plot::Slice;
    ///
    /// let net = Network::builder(2).dense(4, Activation::Tanh).dense(1, Activation::Sigmoid).seed(1).build()?;
    /// let slice = Slice::random(&net, 7)?;
    /// assert_eq!(slice.coordinates(&net)?, (0.0, 0.0)); // the origin is the network itself
    /// let (a, b) = slice.coordinates(&slice.network_at(0.25, -1.0))?;
    /// assert!((a - 0.25).abs() < 1e-12 && (b + 1.0).abs() < 1e-12);
    /// assert_eq!(slice, Slice::random(&net, 7)?);
    /// # Ok::<(), nn::Error>(())
    /// ```
    pub fn random(net: &Network, seed: u64) -> Result<Slice> {
        let mut rng = NumpyRng::new(seed);
        let mut direction = || -> Vec<Array2<f64>> {
            let mut d = Vec::new();
            for layer in &net.layers {
                let (rows, columns) = layer.weights.dim();
                let mut w = rng.randn_matrix(rows, columns);
                for j in 0..columns {
                    // Each unit's weights in the direction as long as its own.
                    let own = layer
                        .weights
                        .column(j)
                        .iter()
                        .map(|v| v * v)
                        .sum::<f64>()
                        .sqrt();
                    let drawn = w.column(j).iter().map(|v| v * v).sum::<f64>().sqrt();
                    let scale = if drawn > 0.0 { own / drawn } else { 0.0 };
                    w.column_mut(j).mapv_inplace(|v| v * scale);
                }
                d.push(w);
                if let Some(b) = &layer.bias {
                    d.push(Array2::zeros(b.dim()));
                }
            }
            d
        };
        let axes = [direction(), direction()];
        Slice {
            origin: net.clone(),
            axes: Axes::Directions(axes),
        }
        .checked()
    }

    /// Refuses what has nothing to draw: a network with a weight that is
    /// not finite, or directions of length 0 (all weights 0).
    fn checked(self) -> Result<Slice> {
        crate::plot::style::check_network(&self.origin)?;
        if let Axes::Directions(d) = &self.axes {
            if d.iter().any(|d| d.iter().map(norm).sum::<f64>() == 0.0) {
                return Err(Error::Plot(
                    "every weight is 0, so the filter-normalized directions have length 0; \
                     slice a network with weights, or use Slice::weights"
                        .into(),
                ));
            }
        }
        Ok(self)
    }

    /// The network the plane goes through.
    pub fn origin(&self) -> &Network {
        &self.origin
    }

    /// The names of the two axes: two weights' names, or α and β.
    pub fn axis_names(&self) -> (String, String) {
        match &self.axes {
            Axes::Weights([(a, _), (b, _)]) => (a.name(), b.name()),
            Axes::Directions(_) => ("α (direction 1)".into(), "β (direction 2)".into()),
        }
    }

    /// Whether the axes are random directions.
    pub(crate) fn is_random(&self) -> bool {
        matches!(self.axes, Axes::Directions(_))
    }

    /// The network at point `(a, b)` of the plane.
    pub fn network_at(&self, a: f64, b: f64) -> Network {
        let mut net = self.origin.clone();
        match &self.axes {
            Axes::Weights([(_, (l, i, j)), (_, (m, r, c))]) => {
                net.layers[*l].weights[[*i, *j]] = a;
                net.layers[*m].weights[[*r, *c]] = b;
            }
            Axes::Directions([d1, d2]) => {
                for ((p, d1), d2) in net.parameters_mut().zip(d1).zip(d2) {
                    p.zip_mut_with(d1, |p, &d| *p += a * d);
                    p.zip_mut_with(d2, |p, &d| *p += b * d);
                }
            }
        }
        net
    }

    /// Where `net` is on the plane: its two weights; or, for random
    /// directions, the point nearest to it (θ − θ₀ projected onto d₁ and
    /// d₂ by least squares). Errors if `net` is not shaped like the origin.
    pub fn coordinates(&self, net: &Network) -> Result<(f64, f64)> {
        if net.sizes() != self.origin.sizes()
            || net.parameters().count() != self.origin.parameters().count()
        {
            return Err(Error::Plot(format!(
                "the slice is through a {:?} network, not this {:?} one",
                self.origin.sizes(),
                net.sizes()
            )));
        }
        match &self.axes {
            Axes::Weights([(_, (l, i, j)), (_, (m, r, c))]) => Ok((
                net.layers[*l].weights[[*i, *j]],
                net.layers[*m].weights[[*r, *c]],
            )),
            Axes::Directions([d1, d2]) => {
                // Solve [d₁·d₁ d₁·d₂; d₁·d₂ d₂·d₂] (a, b) = (d₁·p, d₂·p), p = θ − θ₀.
                let (mut g11, mut g12, mut g22, mut r1, mut r2) = (0.0, 0.0, 0.0, 0.0, 0.0);
                let parts = net
                    .parameters()
                    .zip(self.origin.parameters())
                    .zip(d1.iter().zip(d2));
                for ((theta, theta0), (e1, e2)) in parts {
                    for (((&t, &t0), &u), &v) in theta.iter().zip(theta0).zip(e1).zip(e2) {
                        let p = t - t0;
                        g11 += u * u;
                        g12 += u * v;
                        g22 += v * v;
                        r1 += u * p;
                        r2 += v * p;
                    }
                }
                let det = g11 * g22 - g12 * g12;
                if det.abs() <= f64::EPSILON * g11 * g22 {
                    return Err(Error::Plot("the two directions are parallel".into()));
                }
                Ok(((g22 * r1 - g12 * r2) / det, (g11 * r2 - g12 * r1) / det))
            }
        }
    }

    /// An observer that follows training across the plane: the point of
    /// `start` (the network before training), then the point after every
    /// step.
    ///
    /// ```
    /// use nn::prelude::*;
    /// use nn::plot::{Slice, Weight};
    ///
    /// let data = data::study_sleep();
    /// let mut net = Network::builder(2).dense(1, Activation::Sigmoid).no_bias().seed(3).build()?;
    /// let slice = Slice::weights(&net, Weight::new(1, 1, 1), Weight::new(1, 2, 1))?;
    /// let mut tracker = slice.tracker(&net);
    /// Trainer::new(Loss::Mse, Optimizer::gd(1.0)).epochs(10).observe(&mut tracker).fit(&mut net, &data)?;
    /// assert_eq!(tracker.path().len(), 1 + 10); // the start, and one point per step
    /// assert_eq!(tracker.path()[10], slice.coordinates(&net)?);
    /// # Ok::<(), nn::Error>(())
    /// ```
    pub fn tracker(&self, start: &Network) -> Tracker {
        let path = self.coordinates(start).into_iter().collect();
        Tracker {
            slice: self.clone(),
            path,
        }
    }
}

/// Follows training across a [`Slice`]: made by [`Slice::tracker`], given
/// to a trainer with `.observe(&mut tracker)`.
#[derive(Debug, Clone)]
pub struct Tracker {
    slice: Slice,
    path: Vec<(f64, f64)>,
}

impl Tracker {
    /// The points so far: the start, then one per step.
    pub fn path(&self) -> &[(f64, f64)] {
        &self.path
    }
}

impl Observer for Tracker {
    fn step_end(&mut self, event: &StepEnd<'_>) -> ControlFlow<()> {
        if let Ok(point) = self.slice.coordinates(event.network) {
            self.path.push(point);
        }
        ControlFlow::Continue(())
    }

    fn wants_steps(&self) -> bool {
        true
    }
}
