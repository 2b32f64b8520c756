//! Optimizers (옵티마이저): how to step downhill once the gradient is known.
//!
//! Gradient descent (경사하강법) moves every parameter θ against its
//! gradient: **θ ← θ − η · ∂L/∂θ**, with learning rate η (학습률). "갱신된
//! 가중치 = 갱신 전 가중치 − (학습률 × 해당 지점의 기울기)", as the original
//! puts it.
//!
//! How many rows each gradient is computed from is the *batch size*, a
//! setting of the [`Trainer`](crate::train::Trainer), not of the optimizer:
//! all rows is GD, one row is SGD, a few rows is mini-batch SGD. The
//! optimizer decides what to do with the gradient g:
//!
//! | optimizer | update, for each parameter θ with gradient g | remembers |
//! | --- | --- | --- |
//! | [`Optimizer::gd`], [`Optimizer::sgd`] | θ ← θ − η g | nothing |
//! | [`Optimizer::momentum`] | v ← μ v − η g; θ ← θ + v | the velocity v |
//! | [`Optimizer::adam`] | m ← β₁ m + (1 − β₁) g; v ← β₂ v + (1 − β₂) g²; m̂ = m / (1 − β₁ᵗ); v̂ = v / (1 − β₂ᵗ); θ ← θ − η m̂ / (√v̂ + ε) | the step count t, the moments m and v |
//!
//! What an optimizer remembers between steps is its [`OptimizerState`],
//! typed per optimizer, so that one optimizer's memory cannot be handed to
//! another by mistake.
//!
//! ```
//! use nn::prelude::*;
//!
//! let mut net = Network::builder(1).dense(1, Activation::Identity).no_bias().build()?;
//! net.layers[0].weights[[0, 0]] = 1.0;
//! let d = Dataset::new(array![[1.0]], array![[0.0]])?;
//! let pass = net.forward(&d.x)?;
//! let grads = net.backward(&pass, Loss::Mse, &d.y)?; // ∂L/∂w = 2 (1 − 0) · 1 = 2
//! let mut state = OptimizerState::default();
//! Optimizer::gd(0.1).step(&mut net, &grads, &mut state)?;
//! assert_eq!(net.layers[0].weights[[0, 0]], 0.8); // 1 − 0.1 · 2
//! # Ok::<(), nn::Error>(())
//! ```

use ndarray::Array2;

use crate::error::{Error, Result};
use crate::network::{Gradients, Network};

/// An update rule and its hyperparameters.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "files", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "files", serde(tag = "name", rename_all = "snake_case"))]
pub enum Optimizer {
    /// Gradient descent, θ ← θ − η g, with full batches.
    Gd {
        /// η, the step size.
        learning_rate: f64,
    },
    /// Stochastic gradient descent: the same rule as GD, named for use with
    /// small batches.
    Sgd {
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
        /// β₁ in [0, 1): decay of m, the running mean of gradients.
        beta1: f64,
        /// β₂ in [0, 1): decay of v, the running mean of squared gradients.
        beta2: f64,
        /// ε > 0: keeps the division finite where v̂ is 0.
        epsilon: f64,
    },
}

impl Optimizer {
    /// Gradient descent with learning rate η (use with full batches).
    ///
    /// ```
    /// assert_eq!(nn::optimizer::Optimizer::gd(0.5).name(), "gd");
    /// ```
    pub fn gd(learning_rate: f64) -> Self {
        Optimizer::Gd { learning_rate }
    }

    /// Stochastic gradient descent: GD's rule, for small batches.
    ///
    /// ```
    /// assert_eq!(nn::optimizer::Optimizer::sgd(0.5).name(), "sgd");
    /// ```
    pub fn sgd(learning_rate: f64) -> Self {
        Optimizer::Sgd { learning_rate }
    }

    /// Momentum with μ = 0.9.
    ///
    /// ```
    /// use nn::optimizer::Optimizer;
    /// assert_eq!(Optimizer::momentum(0.1), Optimizer::Momentum { learning_rate: 0.1, momentum: 0.9 });
    /// ```
    pub fn momentum(learning_rate: f64) -> Self {
        Optimizer::Momentum {
            learning_rate,
            momentum: 0.9,
        }
    }

    /// Adam with the paper's defaults: β₁ = 0.9, β₂ = 0.999, ε = 10⁻⁸.
    ///
    /// ```
    /// assert_eq!(nn::optimizer::Optimizer::adam(0.01).learning_rate(), 0.01);
    /// ```
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
            Optimizer::Gd { learning_rate }
            | Optimizer::Sgd { learning_rate }
            | Optimizer::Momentum { learning_rate, .. }
            | Optimizer::Adam { learning_rate, .. } => learning_rate,
        }
    }

    /// The same optimizer with learning rate η.
    ///
    /// ```
    /// use nn::optimizer::Optimizer;
    /// assert_eq!(Optimizer::adam(0.1).with_learning_rate(0.01), Optimizer::adam(0.01));
    /// ```
    pub fn with_learning_rate(mut self, eta: f64) -> Self {
        match &mut self {
            Optimizer::Gd { learning_rate }
            | Optimizer::Sgd { learning_rate }
            | Optimizer::Momentum { learning_rate, .. }
            | Optimizer::Adam { learning_rate, .. } => *learning_rate = eta,
        }
        self
    }

    /// The names of the four optimizers, as [`name`](Optimizer::name) gives them.
    pub const NAMES: [&'static str; 4] = ["gd", "sgd", "momentum", "adam"];

    /// The optimizer with this [`name`](Optimizer::name) and learning rate
    /// η, its other hyperparameters at their defaults (μ = 0.9; β₁ = 0.9,
    /// β₂ = 0.999, ε = 10⁻⁸), if there is one.
    ///
    /// ```
    /// use nn::optimizer::Optimizer;
    /// assert_eq!(Optimizer::from_name("momentum", 0.1), Some(Optimizer::momentum(0.1)));
    /// assert_eq!(Optimizer::from_name("rmsprop", 0.1), None);
    /// ```
    pub fn from_name(name: &str, learning_rate: f64) -> Option<Optimizer> {
        match name {
            "gd" => Some(Optimizer::gd(learning_rate)),
            "sgd" => Some(Optimizer::sgd(learning_rate)),
            "momentum" => Some(Optimizer::momentum(learning_rate)),
            "adam" => Some(Optimizer::adam(learning_rate)),
            _ => None,
        }
    }

    /// The short name used in plots and records: `gd`, `sgd`, `momentum`, `adam`.
    pub fn name(&self) -> &'static str {
        match self {
            Optimizer::Gd { .. } => "gd",
            Optimizer::Sgd { .. } => "sgd",
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
            Optimizer::Gd { .. } | Optimizer::Sgd { .. } => Ok(()),
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

    /// One update of every parameter of `net` from its gradient in `grads`
    /// (see the table in the module docs), with the optimizer's memory in
    /// `state`: zeros on the first step, refused if it belongs to another
    /// optimizer or another network.
    pub fn step(
        &self,
        net: &mut Network,
        grads: &Gradients,
        state: &mut OptimizerState,
    ) -> Result<()> {
        self.check()?;
        net.check()?;
        check_gradients(net, grads)?;
        state.prepare(self, net)?;
        let params = net.parameters_mut().zip(grads.parameters());
        match (*self, state) {
            (
                Optimizer::Momentum {
                    learning_rate,
                    momentum,
                },
                OptimizerState::Momentum(s),
            ) => {
                for ((w, g), v) in params.zip(&mut s.velocity) {
                    *v = momentum * &*v - learning_rate * g; // v ← μ v − η g
                    *w += &*v; // θ ← θ + v
                }
            }
            (
                Optimizer::Adam {
                    learning_rate,
                    beta1,
                    beta2,
                    epsilon,
                },
                OptimizerState::Adam(s),
            ) => {
                s.t += 1;
                let t = s.t as i32;
                for ((w, g), (m, v)) in params.zip(s.m.iter_mut().zip(&mut s.v)) {
                    *m = beta1 * &*m + (1.0 - beta1) * g; // m ← β₁ m + (1 − β₁) g
                    *v = beta2 * &*v + (1.0 - beta2) * &(g * g); // v ← β₂ v + (1 − β₂) g²
                    let m_hat = &*m / (1.0 - beta1.powi(t)); // m̂ = m / (1 − β₁ᵗ)
                    let v_hat = &*v / (1.0 - beta2.powi(t)); // v̂ = v / (1 − β₂ᵗ)
                    *w -= &(learning_rate * &m_hat / (v_hat.mapv(f64::sqrt) + epsilon));
                }
            }
            // GD and SGD remember nothing: θ ← θ − η g.
            (opt, _) => {
                for (w, g) in params {
                    *w -= &(opt.learning_rate() * g);
                }
            }
        }
        Ok(())
    }
}

/// Each gradient must have the shape of its parameter.
fn check_gradients(net: &Network, grads: &Gradients) -> Result<()> {
    let params: Vec<_> = net.parameters().map(|p| p.dim()).collect();
    let given: Vec<_> = grads.parameters().map(|g| g.dim()).collect();
    if params == given {
        return Ok(());
    }
    Err(Error::Network(format!(
        "the gradients have shapes {given:?}, but this network's parameters are {params:?}; \
         compute them with network.backward for this network"
    )))
}

fn invalid(name: &'static str, value: f64, valid: &'static str) -> Error {
    Error::InvalidParameter {
        name,
        value: value.to_string(),
        valid,
    }
}

/// What an optimizer remembers between steps, one matrix per parameter in
/// the order W¹, b¹, W², b², … of [`Network::parameters`].
///
/// Training 10 epochs and then 10 more from the same state ends where 20
/// epochs straight would; a state saved with a model lets training resume
/// exactly.
///
/// ```
/// use nn::prelude::*;
/// let mut net = Network::builder(1).dense(1, Activation::Identity).build()?;
/// let d = Dataset::new(array![[1.0]], array![[0.0]])?;
/// let grads = net.backward(&net.forward(&d.x)?, Loss::Mse, &d.y)?;
/// let mut state = OptimizerState::default();
/// Optimizer::momentum(0.1).step(&mut net, &grads, &mut state)?;
/// assert_eq!(state.name(), "momentum");
/// let err = Optimizer::adam(0.1).step(&mut net, &grads, &mut state).unwrap_err();
/// assert!(err.to_string().contains("momentum's memory"));
/// # Ok::<(), nn::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
pub enum OptimizerState {
    /// Nothing remembered: a fresh start, and all that GD and SGD ever need.
    #[default]
    Empty,
    /// Momentum's velocity.
    Momentum(MomentumState),
    /// Adam's step count and moments.
    Adam(AdamState),
}

/// Momentum's memory: the velocity v of every parameter.
#[derive(Debug, Clone, PartialEq)]
pub struct MomentumState {
    /// v, one matrix per parameter, each the shape of its parameter.
    pub velocity: Vec<Array2<f64>>,
}

/// Adam's memory.
#[derive(Debug, Clone, PartialEq)]
pub struct AdamState {
    /// t, the steps taken so far (the exponent of the bias correction).
    pub t: u64,
    /// m, the running mean of gradients, one matrix per parameter.
    pub m: Vec<Array2<f64>>,
    /// v, the running mean of squared gradients, one matrix per parameter.
    pub v: Vec<Array2<f64>>,
}

impl OptimizerState {
    /// Whose memory this is: `empty`, `momentum` or `adam`.
    pub fn name(&self) -> &'static str {
        match self {
            OptimizerState::Empty => "empty",
            OptimizerState::Momentum(_) => "momentum",
            OptimizerState::Adam(_) => "adam",
        }
    }

    /// The memory's matrices, in the order of the network's parameters.
    pub fn matrices(&self) -> impl Iterator<Item = &Array2<f64>> {
        let (first, second) = self.moments();
        first.iter().chain(second)
    }

    /// The memory as the two lists of matrices a model file keeps: the
    /// first (momentum's v or Adam's m) and the second (Adam's v).
    pub fn moments(&self) -> (&[Array2<f64>], &[Array2<f64>]) {
        match self {
            OptimizerState::Empty => (&[], &[]),
            OptimizerState::Momentum(s) => (&s.velocity, &[]),
            OptimizerState::Adam(s) => (&s.m, &s.v),
        }
    }

    /// The memory named `name` (as [`name`](OptimizerState::name) gives it)
    /// from the two lists of [`moments`](OptimizerState::moments) and Adam's
    /// step count `t`; `None` if the name is unknown or the lists do not
    /// suit it.
    ///
    /// ```
    /// use nn::prelude::*;
    /// let m = vec![Array2::zeros((1, 1))];
    /// let state = OptimizerState::from_moments("adam", 3, m.clone(), m.clone()).unwrap();
    /// assert_eq!(state.t(), 3);
    /// assert!(OptimizerState::from_moments("momentum", 0, m.clone(), m).is_none());
    /// ```
    pub fn from_moments(
        name: &str,
        t: u64,
        first: Vec<Array2<f64>>,
        second: Vec<Array2<f64>>,
    ) -> Option<OptimizerState> {
        match (name, first.is_empty(), second.is_empty()) {
            ("empty", true, true) => Some(OptimizerState::Empty),
            ("momentum", false, true) => {
                Some(OptimizerState::Momentum(MomentumState { velocity: first }))
            }
            ("adam", false, false) => Some(OptimizerState::Adam(AdamState {
                t,
                m: first,
                v: second,
            })),
            _ => None,
        }
    }

    /// Adam's step count t (0 for every other memory).
    pub fn t(&self) -> u64 {
        match self {
            OptimizerState::Adam(s) => s.t,
            _ => 0,
        }
    }

    /// Makes the memory ready for a step of `optimizer` on `net`: zeros the
    /// first time, an error if it is another optimizer's or fits another
    /// network.
    pub(crate) fn prepare(&mut self, optimizer: &Optimizer, net: &Network) -> Result<()> {
        let zeros = || -> Vec<Array2<f64>> {
            net.parameters()
                .map(|p| Array2::zeros(p.raw_dim()))
                .collect()
        };
        match (optimizer, &*self) {
            (Optimizer::Gd { .. } | Optimizer::Sgd { .. }, OptimizerState::Empty)
            | (Optimizer::Momentum { .. }, OptimizerState::Momentum(_))
            | (Optimizer::Adam { .. }, OptimizerState::Adam(_)) => {}
            (Optimizer::Momentum { .. }, OptimizerState::Empty) => {
                *self = OptimizerState::Momentum(MomentumState { velocity: zeros() });
            }
            (Optimizer::Adam { .. }, OptimizerState::Empty) => {
                *self = OptimizerState::Adam(AdamState {
                    t: 0,
                    m: zeros(),
                    v: zeros(),
                });
            }
            (optimizer, state) => {
                return Err(Error::Network(format!(
                    "the optimizer state holds {}'s memory, but this run uses {}; pass the state \
                     saved with {} runs, or OptimizerState::default() to start {} afresh",
                    state.name(),
                    optimizer.name(),
                    optimizer.name(),
                    optimizer.name()
                )))
            }
        }
        self.check_fits(net)
    }

    /// Each matrix of the memory must have the shape of its parameter.
    pub(crate) fn check_fits(&self, net: &Network) -> Result<()> {
        let shapes: Vec<(usize, usize)> = net.parameters().map(|p| p.dim()).collect();
        let (first, second) = self.moments();
        for group in [first, second].into_iter().filter(|g| !g.is_empty()) {
            let got: Vec<(usize, usize)> = group.iter().map(|m| m.dim()).collect();
            if got != shapes {
                return Err(Error::Network(format!(
                    "the optimizer state's matrices have shapes {got:?}, but this network's \
                     parameters are {shapes:?}; it belongs to another network. Pass the state \
                     saved with this network, or OptimizerState::default() to start afresh"
                )));
            }
        }
        Ok(())
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
        let grads = net.backward(&pass, Loss::Mse, &array![[0.0]]).unwrap();
        (net, grads)
    }

    #[test]
    fn adam_refuses_an_epsilon_that_is_not_a_finite_number_above_zero() {
        for epsilon in [0.0, -1e-8, f64::INFINITY, f64::NAN] {
            let adam = Optimizer::Adam {
                learning_rate: 0.1,
                beta1: 0.9,
                beta2: 0.999,
                epsilon,
            };
            let err = adam.check().unwrap_err().to_string();
            assert!(
                err.contains("epsilon") && err.contains("a finite number > 0"),
                "{err}"
            );
        }
        assert!(Optimizer::adam(0.1).check().is_ok());
    }

    #[test]
    fn every_name_gives_back_its_optimizer() {
        for name in Optimizer::NAMES {
            let optimizer = Optimizer::from_name(name, 0.25).unwrap();
            assert_eq!((optimizer.name(), optimizer.learning_rate()), (name, 0.25));
        }
        assert_eq!(Optimizer::from_name("rmsprop", 0.25), None);
    }

    #[test]
    fn momentum_accumulates_velocity() {
        let (mut net, grads) = one_weight();
        let mut state = OptimizerState::default();
        let opt = Optimizer::momentum(0.1);
        opt.step(&mut net, &grads, &mut state).unwrap(); // v = −0.2
        opt.step(&mut net, &grads, &mut state).unwrap(); // v = 0.9 · −0.2 − 0.2 = −0.38
        assert!((net.layers[0].weights[[0, 0]] - (1.0 - 0.2 - 0.38)).abs() < 1e-15);
    }

    #[test]
    fn adams_first_step_is_the_learning_rate() {
        // With bias correction, m̂ = g and ŝ = g², so the step is η·g/|g| = η.
        let (mut net, grads) = one_weight();
        let mut state = OptimizerState::default();
        Optimizer::adam(0.01)
            .step(&mut net, &grads, &mut state)
            .unwrap();
        assert!((net.layers[0].weights[[0, 0]] - 0.99).abs() < 1e-9);
        match state {
            OptimizerState::Adam(s) => assert_eq!(s.t, 1),
            other => panic!("expected Adam's memory, got {other:?}"),
        }
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

    #[test]
    fn one_optimizers_memory_is_refused_by_another() {
        let (mut net, grads) = one_weight();
        let mut state = OptimizerState::default();
        Optimizer::adam(0.01)
            .step(&mut net, &grads, &mut state)
            .unwrap();
        let err = Optimizer::momentum(0.1)
            .step(&mut net, &grads, &mut state)
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid network: the optimizer state holds adam's memory, but this run uses \
             momentum; pass the state saved with momentum runs, or OptimizerState::default() \
             to start momentum afresh"
        );
        // GD remembers nothing, so it stays at a fresh start.
        let mut empty = OptimizerState::default();
        Optimizer::sgd(0.1)
            .step(&mut net, &grads, &mut empty)
            .unwrap();
        assert_eq!(empty, OptimizerState::Empty);
    }
}
