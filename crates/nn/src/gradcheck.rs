//! The gradient check: is backprop right?
//!
//! Backprop is easy to get subtly wrong and still "learn". The check nudges
//! each parameter θ by ±ε and measures the loss, giving the central difference
//!
//! **∂L/∂θ ≈ (L(θ + ε) − L(θ − ε)) / 2ε**,
//!
//! whose error shrinks like ε². It compares that with backprop's number by
//! the relative error |a − n| / max(|a|, |n|, 10⁻⁴), which is about 10⁻⁹
//! when backprop is right and near 1 when it is wrong. (Rounding limits the
//! difference quotient to about 10⁻¹¹ absolute, so gradients smaller than
//! 10⁻⁴ are measured against 10⁻⁴ rather than against themselves.)
//!
//! ```
//! use nn::prelude::*;
//!
//! let d = data::study_sleep();
//! let net = Network::builder(2).dense(3, Activation::Tanh).dense(1, Activation::Sigmoid).build()?;
//! let check = gradient_check(&net, Loss::Mse, &d.x, &d.y)?;
//! assert!(check.max() < 1e-6, "{check:?}");
//! # Ok::<(), nn::Error>(())
//! ```

use crate::error::{Error, Result, Shape};
use crate::loss::Loss;
use crate::network::{Gradients, LayerGradient, Network};

/// The step ε of the central difference: small enough that the ε² term is
/// negligible, large enough that rounding (≈ 10⁻¹⁶ / ε) is too.
pub const EPSILON: f64 = 1e-5;

/// Gradients smaller than this are compared on this absolute scale.
const SCALE_FLOOR: f64 = 1e-4;

/// The largest relative error of one layer's gradients.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LayerCheck {
    /// Over the entries of ∂L/∂W.
    pub weights: f64,
    /// Over the entries of ∂L/∂b, for a layer with a bias.
    pub bias: Option<f64>,
}

/// The result of a gradient check, one entry per layer.
#[derive(Debug, Clone, PartialEq)]
pub struct GradCheck {
    /// Input side first.
    pub layers: Vec<LayerCheck>,
}

impl GradCheck {
    /// The largest relative error anywhere in the network; NaN if any error
    /// is NaN (a gradient that is not a number agrees with nothing).
    ///
    /// ```
    /// use nn::gradcheck::{GradCheck, LayerCheck};
    /// let check = GradCheck { layers: vec![LayerCheck { weights: 1e-9, bias: Some(3e-8) }] };
    /// assert_eq!(check.max(), 3e-8);
    /// ```
    pub fn max(&self) -> f64 {
        self.errors().fold(0.0, worst)
    }

    /// Whether every relative error is below `tolerance`: backprop agrees
    /// with the finite differences. About 10⁻⁹ is usual when backprop is
    /// right, so `1e-6` leaves room for rounding; a NaN error never passes.
    ///
    /// ```
    /// use nn::prelude::*;
    /// use nn::gradcheck::{GradCheck, LayerCheck};
    ///
    /// let d = data::study_sleep();
    /// let net = Network::builder(2).dense(3, Activation::Sigmoid).dense(1, Activation::Sigmoid).build()?;
    /// assert!(gradient_check(&net, Loss::Mse, &d.x, &d.y)?.passes(1e-6));
    ///
    /// let wrong = GradCheck { layers: vec![LayerCheck { weights: 0.6, bias: None }] };
    /// assert!(!wrong.passes(1e-6));
    /// let nan = GradCheck { layers: vec![LayerCheck { weights: f64::NAN, bias: None }] };
    /// assert!(!nan.passes(1e-6));
    /// # Ok::<(), nn::Error>(())
    /// ```
    pub fn passes(&self, tolerance: f64) -> bool {
        self.errors().all(|e| e < tolerance)
    }

    /// Every layer's errors, weights then bias.
    fn errors(&self) -> impl Iterator<Item = f64> + '_ {
        self.layers
            .iter()
            .flat_map(|l| std::iter::once(l.weights).chain(l.bias))
    }
}

/// The larger of two errors, keeping NaN (which `f64::max` would drop).
fn worst(a: f64, b: f64) -> f64 {
    if a.is_nan() || b.is_nan() {
        f64::NAN
    } else {
        a.max(b)
    }
}

impl std::fmt::Display for GradCheck {
    /// One line per layer: `layer 1: weights 3.1e-10, bias 2.0e-11`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (i, l) in self.layers.iter().enumerate() {
            write!(f, "layer {}: weights {:.1e}", i + 1, l.weights)?;
            if let Some(b) = l.bias {
                write!(f, ", bias {b:.1e}")?;
            }
            writeln!(f)?;
        }
        Ok(())
    }
}

/// Checks backprop's gradients for `net`, `loss`, inputs `x` and targets `y`
/// against finite differences.
pub fn gradient_check(
    net: &Network,
    loss: Loss,
    x: &ndarray::Array2<f64>,
    y: &ndarray::Array2<f64>,
) -> Result<GradCheck> {
    let pass = net.forward(x)?;
    let analytic = net.backward(&pass, loss, y)?;
    let numeric = numerical_gradients(net, |n| n.loss(loss, x, y))?;
    compare(&analytic, &numeric)
}

/// ∂f/∂θ for every weight and bias of `net` by central differences, where
/// `f` is any function of the network (usually a loss). Each entry costs two
/// evaluations of `f`, so keep the network small.
///
/// ```
/// use nn::prelude::*;
/// use nn::gradcheck::numerical_gradients;
/// let mut net = Network::builder(1).dense(1, Activation::Identity).no_bias().build()?;
/// net.layers[0].weights[[0, 0]] = 3.0;
/// // f = w², so ∂f/∂w = 2w = 6.
/// let g = numerical_gradients(&net, |n| Ok(n.layers[0].weights[[0, 0]].powi(2)))?;
/// assert!((g.layers[0].weights[[0, 0]] - 6.0).abs() < 1e-8);
/// # Ok::<(), nn::Error>(())
/// ```
pub fn numerical_gradients(
    net: &Network,
    f: impl Fn(&Network) -> Result<f64>,
) -> Result<Gradients> {
    let mut probe = net.clone();
    let mut layers = Vec::with_capacity(net.layers.len());
    for l in 0..net.layers.len() {
        let mut weights = net.layers[l].weights.clone();
        for (idx, slot) in weights.indexed_iter_mut() {
            *slot = central_difference(&mut probe, &f, |n| &mut n.layers[l].weights[idx])?;
        }
        let mut bias = net.layers[l].bias.clone();
        if let Some(b) = &mut bias {
            for (idx, slot) in b.indexed_iter_mut() {
                *slot = central_difference(&mut probe, &f, |n| {
                    &mut n.layers[l].bias.as_mut().expect("the probe is a clone")[idx]
                })?;
            }
        }
        layers.push(LayerGradient {
            delta: ndarray::Array2::zeros((0, weights.ncols())),
            weights,
            bias,
        });
    }
    Ok(Gradients { layers })
}

/// (f(θ + ε) − f(θ − ε)) / 2ε for the one parameter `param` points at,
/// which is put back afterwards.
fn central_difference(
    net: &mut Network,
    f: &impl Fn(&Network) -> Result<f64>,
    param: impl Fn(&mut Network) -> &mut f64,
) -> Result<f64> {
    let original = *param(net);
    *param(net) = original + EPSILON;
    let plus = f(net)?;
    *param(net) = original - EPSILON;
    let minus = f(net)?;
    *param(net) = original;
    Ok((plus - minus) / (2.0 * EPSILON))
}

/// The relative errors between two sets of gradients of the same network,
/// for example your own backward pass against [`numerical_gradients`].
pub fn compare(analytic: &Gradients, numeric: &Gradients) -> Result<GradCheck> {
    if analytic.layers.len() != numeric.layers.len() {
        return Err(Error::Network(format!(
            "the gradients have {} and {} layers; compare gradients of the same network",
            analytic.layers.len(),
            numeric.layers.len()
        )));
    }
    let mut layers = Vec::new();
    for (i, (a, n)) in analytic.layers.iter().zip(&numeric.layers).enumerate() {
        let weights = largest_error(&a.weights, &n.weights, i, "weights")?;
        let bias = match (&a.bias, &n.bias) {
            (Some(ab), Some(nb)) => Some(largest_error(ab, nb, i, "bias")?),
            (None, None) => None,
            _ => {
                return Err(Error::Network(format!(
                    "layer {} has a bias gradient on one side only",
                    i + 1
                )))
            }
        };
        layers.push(LayerCheck { weights, bias });
    }
    Ok(GradCheck { layers })
}

fn largest_error(
    a: &ndarray::Array2<f64>,
    n: &ndarray::Array2<f64>,
    layer: usize,
    what: &str,
) -> Result<f64> {
    if a.dim() != n.dim() {
        return Err(Error::Shape {
            context: format!("layer {}'s {what} gradient", layer + 1),
            expected: Shape::exactly(n.nrows(), n.ncols()),
            got: a.dim(),
            hint: "a gradient has the shape of its parameter".into(),
        });
    }
    Ok(a.iter().zip(n).fold(0.0, |most, (&a, &n)| {
        let scale = a.abs().max(n.abs()).max(SCALE_FLOOR);
        worst(most, (a - n).abs() / scale)
    }))
}
