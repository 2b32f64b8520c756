//! Optimizers (옵티마이저): how to step downhill once the gradient is known.
//!
//! Gradient descent (경사하강법) moves every parameter θ against its
//! gradient: **θ ← θ − η · ∂L/∂θ**, with learning rate η. "갱신된 가중치 =
//! 갱신 전 가중치 − (학습률 × 해당 지점의 기울기)", as the original puts it.
//!
//! How many rows each gradient is computed from is the *batch size*, a
//! setting of the [`Trainer`](crate::train::Trainer), not of the optimizer:
//! all rows is GD, one row is SGD, a few rows is mini-batch SGD. The
//! optimizer decides what to do with the gradient:
//!
//! | optimizer | update, for each parameter θ with gradient g |
//! | --- | --- |
//! | plain ([`Optimizer::gd`], [`Optimizer::sgd`]) | θ ← θ − η g |
//! | [`Optimizer::momentum`] | v ← μ v − η g; θ ← θ + v |
//! | [`Optimizer::adam`] | m ← β₁ m + (1 − β₁) g; s ← β₂ s + (1 − β₂) g²; θ ← θ − η m̂ / (√ŝ + ε), with m̂ = m / (1 − β₁ᵗ), ŝ = s / (1 − β₂ᵗ) |
//!
//! ```
//! use nn::prelude::*;
//! use nn::optimizer::OptimizerState;
//!
//! let mut net = Network::builder(1).dense(1, Activation::Identity).no_bias().build()?;
//! net.layers[0].weights[[0, 0]] = 1.0;
//! let d = Dataset::new(array![[1.0]], array![[0.0]])?;
//! let pass = net.forward(&d.x)?;
//! let grads = net.backward(&d.x, &pass, Loss::Mse, &d.y)?; // ∂L/∂w = 2 (1 − 0) · 1 = 2
//! let mut state = OptimizerState::default();
//! Optimizer::gd(0.1).step(&mut net, &grads, &mut state);
//! assert_eq!(net.layers[0].weights[[0, 0]], 0.8); // 1 − 0.1 · 2
//! # Ok::<(), nn::Error>(())
//! ```

use ndarray::Array2;

use crate::error::{Error, Result};
use crate::kernels::{row_major, row_major_mut};
use crate::network::{Gradients, Network};

/// An update rule and its hyperparameters.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Optimizer {
    /// θ ← θ − η g. Called GD with full batches and SGD with small ones.
    Plain {
        /// η, the step size.
        learning_rate: f64,
    },
    /// Gradient descent with a velocity that remembers past steps, so it
    /// speeds up along a steady slope and damps zig-zags.
    Momentum {
        /// η, the step size.
        learning_rate: f64,
        /// μ in [0, 1): how much of the last step carries over.
        momentum: f64,
    },
    /// Adam (Kingma & Ba, 2015): momentum on the gradient, each parameter's
    /// step scaled by a running root-mean-square of its gradients.
    Adam {
        /// η, the step size.
        learning_rate: f64,
        /// β₁ in [0, 1): decay of the running mean of gradients.
        beta1: f64,
        /// β₂ in [0, 1): decay of the running mean of squared gradients.
        beta2: f64,
        /// ε > 0: keeps the division finite.
        epsilon: f64,
    },
}

impl Optimizer {
    /// Gradient descent with learning rate η (use with full batches).
    pub fn gd(learning_rate: f64) -> Self {
        Optimizer::Plain { learning_rate }
    }

    /// Stochastic gradient descent: the same rule as [`gd`](Optimizer::gd),
    /// named for use with small batches.
    pub fn sgd(learning_rate: f64) -> Self {
        Optimizer::Plain { learning_rate }
    }

    /// Momentum with μ = 0.9.
    pub fn momentum(learning_rate: f64) -> Self {
        Optimizer::Momentum {
            learning_rate,
            momentum: 0.9,
        }
    }

    /// Adam with the paper's defaults: β₁ = 0.9, β₂ = 0.999, ε = 10⁻⁸.
    pub fn adam(learning_rate: f64) -> Self {
        Optimizer::Adam {
            learning_rate,
            beta1: 0.9,
            beta2: 0.999,
            epsilon: 1e-8,
        }
    }

    /// The learning rate η.
    pub fn learning_rate(&self) -> f64 {
        match *self {
            Optimizer::Plain { learning_rate }
            | Optimizer::Momentum { learning_rate, .. }
            | Optimizer::Adam { learning_rate, .. } => learning_rate,
        }
    }

    /// The short name used in plots and records: `gd`, `momentum`, `adam`.
    pub fn name(&self) -> &'static str {
        match self {
            Optimizer::Plain { .. } => "gd",
            Optimizer::Momentum { .. } => "momentum",
            Optimizer::Adam { .. } => "adam",
        }
    }

    /// Checks every hyperparameter against its valid range.
    ///
    /// ```
    /// use nn::prelude::*;
    /// let err = Optimizer::gd(-0.1).check().unwrap_err();
    /// assert_eq!(err.to_string(), "invalid learning rate = -0.1: it must be a finite number > 0");
    /// ```
    pub fn check(&self) -> Result<()> {
        let lr = self.learning_rate();
        if !(lr.is_finite() && lr > 0.0) {
            return Err(invalid("learning rate", lr, "a finite number > 0"));
        }
        let unit = |name, v: f64| {
            if (0.0..1.0).contains(&v) {
                Ok(())
            } else {
                Err(invalid(name, v, "in [0, 1)"))
            }
        };
        match *self {
            Optimizer::Plain { .. } => Ok(()),
            Optimizer::Momentum { momentum, .. } => unit("momentum", momentum),
            Optimizer::Adam {
                beta1,
                beta2,
                epsilon,
                ..
            } => {
                unit("beta1", beta1)?;
                unit("beta2", beta2)?;
                if epsilon.is_finite() && epsilon > 0.0 {
                    Ok(())
                } else {
                    Err(invalid("epsilon", epsilon, "a finite number > 0"))
                }
            }
        }
    }

    /// Applies one update to every parameter of `net`, using `grads` and the
    /// optimizer's memory in `state` (sized on the first step).
    pub fn step(&self, net: &mut Network, grads: &Gradients, state: &mut OptimizerState) {
        let previous = net.clone();
        self.step_from(&previous, net, grads, state);
    }

    /// The update written as new parameters from a `previous` network of
    /// the same shapes: `net`'s parameters ← rule(`previous`'s, gradient).
    /// What `net` held before is overwritten unread. The trainer swaps the
    /// current network into `previous` before calling this, so that it keeps
    /// the last weights, without a copy, in case the next loss overflows.
    /// Returns whether every new parameter is finite (checked as it is
    /// written, not in a pass of its own).
    pub(crate) fn step_from(
        &self,
        previous: &Network,
        net: &mut Network,
        grads: &Gradients,
        state: &mut OptimizerState,
    ) -> bool {
        state.steps += 1;
        match *self {
            Optimizer::Plain { learning_rate } => {
                for_each_parameter(previous, net, grads, |_, theta, old, g| {
                    let mut finite = true;
                    for ((t, &old), &g) in theta.iter_mut().zip(old).zip(g) {
                        *t = old - learning_rate * g;
                        finite &= t.is_finite();
                    }
                    finite
                })
            }
            Optimizer::Momentum {
                learning_rate,
                momentum,
            } => {
                state.size_like(grads, false);
                for_each_parameter(previous, net, grads, |i, theta, old, g| {
                    let velocity = row_major_mut(&mut state.first[i]);
                    let mut finite = true;
                    for ((t, &old), (v, &g)) in
                        theta.iter_mut().zip(old).zip(velocity.iter_mut().zip(g))
                    {
                        *v = momentum * *v - learning_rate * g;
                        *t = old + *v;
                        finite &= t.is_finite();
                    }
                    finite
                })
            }
            Optimizer::Adam {
                learning_rate,
                beta1,
                beta2,
                epsilon,
            } => {
                state.size_like(grads, true);
                let t = state.steps as i32;
                let (fix1, fix2) = (1.0 - beta1.powi(t), 1.0 - beta2.powi(t));
                for_each_parameter(previous, net, grads, |i, theta, old, g| {
                    let first = row_major_mut(&mut state.first[i]);
                    let second = row_major_mut(&mut state.second[i]);
                    let theta = theta.iter_mut().zip(old).zip(g);
                    let mut finite = true;
                    for (((t, &old), &g), (m, s)) in theta.zip(first.iter_mut().zip(second)) {
                        *m = beta1 * *m + (1.0 - beta1) * g;
                        *s = beta2 * *s + (1.0 - beta2) * g * g;
                        *t = old - learning_rate * (*m / fix1) / ((*s / fix2).sqrt() + epsilon);
                        finite &= t.is_finite();
                    }
                    finite
                })
            }
        }
    }
}

/// Calls `update(i, θ, θ before, ∂L/∂θ)` for the i-th parameter of `net`,
/// in the order W¹, b¹, W², b², … of the optimizer's state, with each matrix
/// as its entries row by row. `update` tells whether the new θ is finite,
/// and the answer whether every one is. Each update keeps its own flag, which
/// stays in a register: one flag shared by all, behind a pointer, went
/// through memory at every entry and made W2's Adam steps 30 % slower.
fn for_each_parameter(
    previous: &Network,
    net: &mut Network,
    grads: &Gradients,
    mut update: impl FnMut(usize, &mut [f64], &[f64], &[f64]) -> bool,
) -> bool {
    let mut finite = true;
    let mut i = 0;
    let mut call = |theta: &mut Array2<f64>, old: &Array2<f64>, g: &Array2<f64>| {
        finite &= update(i, row_major_mut(theta), &row_major(old), &row_major(g));
        i += 1;
    };
    let layers = net
        .layers
        .iter_mut()
        .zip(&previous.layers)
        .zip(&grads.layers);
    for ((layer, old), g) in layers {
        call(&mut layer.weights, &old.weights, &g.weights);
        if let (Some(b), Some(old_b), Some(g_b)) = (&mut layer.bias, &old.bias, &g.bias) {
            call(b, old_b, g_b);
        }
    }
    finite
}

fn invalid(name: &'static str, value: f64, valid: &'static str) -> Error {
    Error::InvalidParameter {
        name,
        value: value.to_string(),
        valid,
    }
}

/// What an optimizer remembers between steps: the step count, the velocity
/// (momentum) or first moment (Adam), and Adam's second moment, one matrix
/// per parameter in the order W¹, b¹, W², b², ….
#[derive(Debug, Clone, PartialEq, Default)]
pub struct OptimizerState {
    /// Updates applied so far (Adam's t).
    pub steps: u64,
    /// Epochs trained so far, so that a resumed run numbers and shuffles
    /// its epochs as an unbroken one would.
    pub epochs: usize,
    /// Velocity v (momentum) or running mean m (Adam).
    pub first: Vec<Array2<f64>>,
    /// Running mean of squared gradients s (Adam).
    pub second: Vec<Array2<f64>>,
}

impl OptimizerState {
    /// Creates zeroed memory the first time it is needed.
    fn size_like(&mut self, grads: &Gradients, second: bool) {
        if self.first.is_empty() {
            self.first = grads
                .parameters()
                .map(|g| Array2::zeros(g.raw_dim()))
                .collect();
        }
        if second && self.second.is_empty() {
            self.second = grads
                .parameters()
                .map(|g| Array2::zeros(g.raw_dim()))
                .collect();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::prelude::*;

    /// A one-weight network at w = 1 with ∂L/∂w = 2 (MSE against 0 at x = 1).
    fn one_weight() -> (Network, Gradients) {
        let mut net = Network::builder(1)
            .dense(1, Activation::Identity)
            .no_bias()
            .build()
            .unwrap();
        net.layers[0].weights[[0, 0]] = 1.0;
        let x = array![[1.0]];
        let pass = net.forward(&x).unwrap();
        let grads = net.backward(&x, &pass, Loss::Mse, &array![[0.0]]).unwrap();
        (net, grads)
    }

    #[test]
    fn momentum_accumulates_velocity() {
        let (mut net, grads) = one_weight();
        let mut state = OptimizerState::default();
        let opt = Optimizer::momentum(0.1);
        opt.step(&mut net, &grads, &mut state); // v = −0.2
        opt.step(&mut net, &grads, &mut state); // v = 0.9 · −0.2 − 0.2 = −0.38
        assert!((net.layers[0].weights[[0, 0]] - (1.0 - 0.2 - 0.38)).abs() < 1e-15);
    }

    #[test]
    fn adams_first_step_is_the_learning_rate() {
        // With bias correction, m̂ = g and ŝ = g², so the step is η·g/|g| = η.
        let (mut net, grads) = one_weight();
        let mut state = OptimizerState::default();
        Optimizer::adam(0.01).step(&mut net, &grads, &mut state);
        assert!((net.layers[0].weights[[0, 0]] - 0.99).abs() < 1e-9);
        assert_eq!(state.steps, 1);
    }

    #[test]
    fn hyperparameters_out_of_range_are_named() {
        let bad = Optimizer::Adam {
            learning_rate: 0.1,
            beta1: 1.0,
            beta2: 0.999,
            epsilon: 1e-8,
        };
        assert_eq!(
            bad.check().unwrap_err().to_string(),
            "invalid beta1 = 1: it must be in [0, 1)"
        );
        let nan = Optimizer::gd(f64::NAN).check().unwrap_err();
        assert!(nan.to_string().contains("invalid learning rate = NaN"));
        assert!(Optimizer::momentum(0.1).check().is_ok());
    }
}
