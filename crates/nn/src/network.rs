//! Layers in order: the forward pass (순전파) and backpropagation (역전파).
//!
//! **Forward.** With a⁰ = x (n × inputs), every layer l computes
//! zˡ = aˡ⁻¹·Wˡ + bˡ and aˡ = fˡ(zˡ); the last a is the prediction ŷ.
//! [`ForwardPass`] keeps every z and a, because backprop needs them and a
//! learner wants to see them.
//!
//! **Backward.** The chain rule, from the output back to the input:
//!
//! | step | formula | shape |
//! | --- | --- | --- |
//! | output delta | δᴸ = ∂L/∂zᴸ = ∂L/∂ŷ ⊙ fᴸ'(zᴸ) | n × outputs |
//! | weight gradient | ∂L/∂Wˡ = (aˡ⁻¹)ᵀ · δˡ | inputsˡ × outputsˡ |
//! | bias gradient | ∂L/∂bˡ = Σ over rows of δˡ | 1 × outputsˡ |
//! | delta one layer down | δˡ⁻¹ = (δˡ · (Wˡ)ᵀ) ⊙ fˡ⁻¹'(zˡ⁻¹) | n × outputsˡ⁻¹ |
//!
//! ```
//! use nn::prelude::*;
//!
//! let data = data::study_sleep();
//! let net = Network::builder(2)
//!     .dense(3, Activation::Sigmoid)
//!     .dense(1, Activation::Sigmoid)
//!     .build()?;
//! let pass = net.forward(&data.x)?;
//! assert_eq!(pass.layers[0].a.dim(), (3, 3)); // 3 rows, 3 hidden units
//! let grads = net.backward(&data.x, &pass, Loss::Mse, &data.y)?;
//! assert_eq!(grads.layers[1].weights.dim(), (3, 1)); // the shape of W²
//! # Ok::<(), nn::Error>(())
//! ```

use ndarray::{Array2, ArrayView2};

use crate::activation::Activation;
use crate::error::{check_finite, shape_of, Error, Result};
use crate::init::{Init, NumpyRng};
use crate::kernels::{all_finite, mat_mul_into};
use crate::layer::Dense;
use crate::loss::Loss;

/// A stack of dense layers.
#[derive(Debug, Clone, PartialEq)]
pub struct Network {
    /// The layers, input side first. Each layer's `inputs` equals the
    /// previous layer's `outputs`.
    pub layers: Vec<Dense>,
}

/// One layer's part of a forward pass.
#[derive(Debug, Clone, PartialEq)]
pub struct LayerPass {
    /// The weighted sum z = a_prev·W + b, n × outputs.
    pub z: Array2<f64>,
    /// The activation a = f(z), n × outputs.
    pub a: Array2<f64>,
}

/// Every layer's z and a for one batch of inputs.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ForwardPass {
    /// One entry per layer, input side first.
    pub layers: Vec<LayerPass>,
}

impl ForwardPass {
    /// The prediction ŷ: the last layer's activation.
    pub fn output(&self) -> &Array2<f64> {
        &self
            .layers
            .last()
            .expect("a network has at least one layer")
            .a
    }
}

/// One layer's gradients from a backward pass.
#[derive(Debug, Clone, PartialEq)]
pub struct LayerGradient {
    /// δ = ∂L/∂z, n × outputs: how much the loss moves with each weighted sum.
    pub delta: Array2<f64>,
    /// ∂L/∂W, inputs × outputs: the same shape as the weights.
    pub weights: Array2<f64>,
    /// ∂L/∂b, 1 × outputs, for a layer that has a bias.
    pub bias: Option<Array2<f64>>,
}

/// ∂L/∂W and ∂L/∂b for every layer, with the deltas that produced them.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Gradients {
    /// One entry per layer, input side first.
    pub layers: Vec<LayerGradient>,
}

impl Gradients {
    /// Weight gradients you computed yourself, one matrix per layer (no
    /// biases, no deltas), ready for [`gradcheck::compare`](crate::gradcheck::compare).
    ///
    /// ```
    /// use nn::prelude::*;
    /// let g = Gradients::from_weights(vec![Array2::zeros((2, 3)), Array2::zeros((3, 1))]);
    /// assert_eq!(g.layers[1].weights.dim(), (3, 1));
    /// ```
    pub fn from_weights(weights: Vec<Array2<f64>>) -> Gradients {
        let layers = weights
            .into_iter()
            .map(|w| LayerGradient {
                delta: Array2::zeros((0, w.ncols())),
                weights: w,
                bias: None,
            })
            .collect();
        Gradients { layers }
    }

    /// Every parameter gradient in the order of [`Network::parameters_mut`]:
    /// W¹, b¹, W², b², … (biases only where a layer has one).
    pub fn parameters(&self) -> impl Iterator<Item = &Array2<f64>> {
        self.layers
            .iter()
            .flat_map(|g| std::iter::once(&g.weights).chain(g.bias.as_ref()))
    }

    /// Whether every gradient is a finite number.
    pub fn is_finite(&self) -> bool {
        self.parameters().all(all_finite)
    }

    /// The Euclidean norm of each layer's weight gradient, ‖∂L/∂Wˡ‖: where
    /// these shrink layer after layer towards the input, the gradient vanishes.
    pub fn weight_norms(&self) -> Vec<f64> {
        self.layers
            .iter()
            .map(|g| g.weights.iter().map(|v| v * v).sum::<f64>().sqrt())
            .collect()
    }
}

impl Network {
    /// Starts describing a network whose input rows have `inputs` values.
    ///
    /// ```
    /// use nn::prelude::*;
    /// let net = Network::builder(2).dense(3, Activation::Relu).dense(1, Activation::Identity).build()?;
    /// assert_eq!(net.sizes(), vec![2, 3, 1]);
    /// assert_eq!(net.parameter_count(), 2 * 3 + 3 + 3 * 1 + 1);
    /// # Ok::<(), nn::Error>(())
    /// ```
    pub fn builder(inputs: usize) -> NetworkBuilder {
        NetworkBuilder {
            inputs,
            layers: Vec::new(),
            bias: true,
            init: Init::XavierUniform,
            rng: None,
            seed: 42,
        }
    }

    /// A network from layers you made yourself, checked to fit together.
    ///
    /// ```
    /// use nn::prelude::*;
    /// let l1 = Dense::new(Array2::zeros((2, 3)), None, Activation::Sigmoid)?;
    /// let l2 = Dense::new(Array2::zeros((4, 1)), None, Activation::Sigmoid)?;
    /// let err = Network::from_layers(vec![l1, l2]).unwrap_err();
    /// assert!(err.to_string().contains("layer 1"));
    /// # Ok::<(), nn::Error>(())
    /// ```
    pub fn from_layers(layers: Vec<Dense>) -> Result<Network> {
        if layers.is_empty() {
            return Err(Error::Data("a network needs at least one layer".into()));
        }
        let net = Network { layers };
        net.check_layers()?;
        Ok(net)
    }

    /// Each layer's inputs must be the previous layer's outputs. The layers
    /// are public, so this is checked again before each pass.
    fn check_layers(&self) -> Result<()> {
        for (i, pair) in self.layers.windows(2).enumerate() {
            if pair[1].inputs() != pair[0].outputs() {
                return Err(Error::Shape {
                    context: format!("layer {}'s weights", i + 1),
                    expected: format!("({}, outputs)", pair[0].outputs()),
                    got: shape_of(pair[1].weights.nrows(), pair[1].weights.ncols()),
                    hint: format!(
                        "layer {i} has {} units, so layer {} needs {} rows of weights",
                        pair[0].outputs(),
                        i + 1,
                        pair[0].outputs()
                    ),
                });
            }
        }
        Ok(())
    }

    /// How many values an input row has.
    pub fn inputs(&self) -> usize {
        self.layers[0].inputs()
    }

    /// How many values the network predicts per row.
    pub fn outputs(&self) -> usize {
        self.layers[self.layers.len() - 1].outputs()
    }

    /// The width of every layer, inputs first: `[2, 3, 1]` for the original.
    pub fn sizes(&self) -> Vec<usize> {
        std::iter::once(self.inputs())
            .chain(self.layers.iter().map(Dense::outputs))
            .collect()
    }

    /// The output layer's activation.
    pub fn output_activation(&self) -> Activation {
        self.layers[self.layers.len() - 1].activation
    }

    /// How many numbers training can change.
    pub fn parameter_count(&self) -> usize {
        self.layers.iter().map(Dense::parameter_count).sum()
    }

    /// Every parameter matrix, W¹, b¹, W², b², ….
    pub fn parameters(&self) -> impl Iterator<Item = &Array2<f64>> {
        self.layers
            .iter()
            .flat_map(|l| std::iter::once(&l.weights).chain(l.bias.as_ref()))
    }

    /// Every parameter matrix, W¹, b¹, W², b², …, for an optimizer to update.
    pub fn parameters_mut(&mut self) -> impl Iterator<Item = &mut Array2<f64>> {
        self.layers
            .iter_mut()
            .flat_map(|l| std::iter::once(&mut l.weights).chain(l.bias.as_mut()))
    }

    /// Checks that `x` can go through this network: the right width, and
    /// finite values.
    pub fn check_inputs(&self, x: &Array2<f64>) -> Result<()> {
        self.check_layers()?;
        if x.ncols() != self.inputs() || x.nrows() == 0 {
            return Err(Error::Shape {
                context: format!(
                    "the input to the first layer ({} -> {})",
                    self.inputs(),
                    self.layers[0].outputs()
                ),
                expected: format!("(rows ≥ 1, {})", self.inputs()),
                got: shape_of(x.nrows(), x.ncols()),
                hint: format!(
                    "give at least one row of {} values (one per input node)",
                    self.inputs()
                ),
            });
        }
        check_finite(x, "the inputs")
    }

    /// The forward pass: every layer's z and a for the rows of `x`.
    pub fn forward(&self, x: &Array2<f64>) -> Result<ForwardPass> {
        self.check_inputs(x)?;
        let mut pass = ForwardPass::default();
        self.forward_into(x.view(), &mut pass);
        Ok(pass)
    }

    /// The prediction ŷ for each row of `x`.
    ///
    /// ```
    /// use nn::prelude::*;
    /// let net = Network::builder(2).dense(1, Activation::Sigmoid).build()?;
    /// assert_eq!(net.predict(&array![[0.0, 0.0]])?, array![[0.5]]); // bias 0, so z = 0
    /// # Ok::<(), nn::Error>(())
    /// ```
    pub fn predict(&self, x: &Array2<f64>) -> Result<Array2<f64>> {
        let mut pass = self.forward(x)?;
        Ok(pass
            .layers
            .pop()
            .expect("a network has at least one layer")
            .a)
    }

    /// The forward pass into `pass`, reusing its matrices when the batch
    /// size is unchanged, so that a training loop allocates nothing.
    /// Inputs must have been checked.
    pub(crate) fn forward_into(&self, x: ArrayView2<f64>, pass: &mut ForwardPass) {
        let n = x.nrows();
        if pass.layers.len() != self.layers.len()
            || pass
                .layers
                .iter()
                .zip(&self.layers)
                .any(|(p, l)| p.z.dim() != (n, l.outputs()))
        {
            pass.layers = self
                .layers
                .iter()
                .map(|l| LayerPass {
                    z: Array2::zeros((n, l.outputs())),
                    a: Array2::zeros((n, l.outputs())),
                })
                .collect();
        }
        for i in 0..self.layers.len() {
            let (done, rest) = pass.layers.split_at_mut(i);
            let input = match done.last() {
                Some(prev) => prev.a.view(),
                None => x.view(),
            };
            let out = &mut rest[0];
            self.layers[i].forward_into(input, out.z.view_mut(), out.a.view_mut());
        }
    }

    /// Checks that `loss` can train this network on targets `y`.
    pub fn check_loss(&self, loss: Loss, y: &Array2<f64>) -> Result<()> {
        loss.check_output(self.output_activation(), self.outputs())?;
        loss.check_targets(y, self.outputs())
    }

    /// The loss of this network's predictions for `x` against `y`.
    ///
    /// ```
    /// use nn::prelude::*;
    /// let d = data::study_sleep();
    /// let net = Network::builder(2).dense(1, Activation::Sigmoid).build()?;
    /// let l = net.loss(Loss::Mse, &d.x, &d.y)?;
    /// assert!(l > 0.0 && l < 1.0);
    /// # Ok::<(), nn::Error>(())
    /// ```
    pub fn loss(&self, loss: Loss, x: &Array2<f64>, y: &Array2<f64>) -> Result<f64> {
        let pass = self.forward(x)?;
        self.check_rows(x, y)?;
        self.check_loss(loss, y)?;
        Ok(self.loss_of(&pass, loss, y))
    }

    /// The loss of a forward pass already made (inputs and targets checked).
    pub(crate) fn loss_of(&self, pass: &ForwardPass, loss: Loss, y: &Array2<f64>) -> f64 {
        let last = pass
            .layers
            .last()
            .expect("a network has at least one layer");
        loss.value_at_output(self.output_activation(), &last.z, &last.a, y)
    }

    fn check_rows(&self, x: &Array2<f64>, y: &Array2<f64>) -> Result<()> {
        if x.nrows() == y.nrows() {
            return Ok(());
        }
        Err(Error::Data(format!(
            "the inputs have {} rows but the targets have {}; give one target row per input row",
            x.nrows(),
            y.nrows()
        )))
    }

    /// Backpropagation: ∂L/∂W and ∂L/∂b for every layer, for the forward
    /// pass `pass` of inputs `x` against targets `y` (see the module docs).
    pub fn backward(
        &self,
        x: &Array2<f64>,
        pass: &ForwardPass,
        loss: Loss,
        y: &Array2<f64>,
    ) -> Result<Gradients> {
        self.check_inputs(x)?;
        self.check_rows(x, y)?;
        self.check_loss(loss, y)?;
        if pass.layers.len() != self.layers.len() || pass.output().nrows() != x.nrows() {
            return Err(Error::Data(
                "this forward pass does not belong to these inputs; call network.forward(&x) first"
                    .into(),
            ));
        }
        let mut grads = Gradients::default();
        self.backward_into(x.view(), pass, loss, y, &mut grads);
        Ok(grads)
    }

    /// Backpropagation into `grads`, reusing its matrices when the batch size
    /// is unchanged. Inputs, targets and pass must have been checked.
    pub(crate) fn backward_into(
        &self,
        x: ArrayView2<f64>,
        pass: &ForwardPass,
        loss: Loss,
        y: &Array2<f64>,
        grads: &mut Gradients,
    ) {
        let n = x.nrows();
        if grads.layers.len() != self.layers.len()
            || grads
                .layers
                .iter()
                .zip(&self.layers)
                .any(|(g, l)| g.delta.dim() != (n, l.outputs()))
        {
            grads.layers = self
                .layers
                .iter()
                .map(|l| LayerGradient {
                    delta: Array2::zeros((n, l.outputs())),
                    weights: Array2::zeros(l.weights.raw_dim()),
                    bias: l.bias.as_ref().map(|b| Array2::zeros(b.raw_dim())),
                })
                .collect();
        }
        let last = self.layers.len() - 1;
        loss.output_delta(
            self.layers[last].activation,
            &pass.layers[last].a,
            y,
            grads.layers[last].delta.view_mut(),
        );
        for l in (0..self.layers.len()).rev() {
            let (below, here) = grads.layers.split_at_mut(l);
            let g = &mut here[0];
            let input = if l == 0 {
                x.view()
            } else {
                pass.layers[l - 1].a.view()
            };
            // ∂L/∂W = inputᵀ · δ
            mat_mul_into(input.t(), g.delta.view(), 0.0, g.weights.view_mut());
            // ∂L/∂b = Σ over rows of δ
            if let Some(db) = &mut g.bias {
                let mut db = db.row_mut(0);
                db.fill(0.0);
                for row in g.delta.rows() {
                    db += &row;
                }
            }
            // δ one layer down = (δ · Wᵀ) ⊙ f'(z below)
            if let Some(prev) = below.last_mut() {
                mat_mul_into(
                    g.delta.view(),
                    self.layers[l].weights.t(),
                    0.0,
                    prev.delta.view_mut(),
                );
                self.layers[l - 1]
                    .activation
                    .backward_in_place(pass.layers[l - 1].a.view(), prev.delta.view_mut());
            }
        }
    }
}

impl std::fmt::Display for Network {
    /// `2 → 3 (sigmoid) → 1 (sigmoid), 9 parameters`
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.inputs())?;
        for l in &self.layers {
            write!(f, " → {} ({})", l.outputs(), l.activation)?;
        }
        write!(f, ", {} parameters", self.parameter_count())
    }
}

/// Describes a network layer by layer, then builds it with seeded weights.
#[derive(Debug, Clone)]
pub struct NetworkBuilder {
    inputs: usize,
    layers: Vec<(usize, Activation)>,
    bias: bool,
    init: Init,
    rng: Option<NumpyRng>,
    seed: u64,
}

impl NetworkBuilder {
    /// Adds a dense layer of `units` units with activation `activation`.
    pub fn dense(mut self, units: usize, activation: Activation) -> Self {
        self.layers.push((units, activation));
        self
    }

    /// Leaves out every bias, like the original notebook.
    pub fn no_bias(mut self) -> Self {
        self.bias = false;
        self
    }

    /// How the weights are drawn (default: [`Init::XavierUniform`]).
    pub fn init(mut self, init: Init) -> Self {
        self.init = init;
        self
    }

    /// The seed of the weights' random numbers (default 42). The same seed
    /// gives the same weights, and these are NumPy's: seed 42 with
    /// `Init::StandardNormal` starts from `np.random.seed(42);
    /// np.random.randn(inputs, units)`.
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self.rng = None;
        self
    }

    /// Draws the weights from this generator instead, for example one that
    /// has skipped draws to line up with a Python notebook.
    ///
    /// ```
    /// use nn::prelude::*;
    /// // The original notebook built five networks before the one it trained.
    /// let net = Network::builder(2)
    ///     .dense(3, Activation::Sigmoid)
    ///     .dense(1, Activation::Sigmoid)
    ///     .no_bias()
    ///     .init(Init::StandardNormal)
    ///     .rng(NumpyRng::new(42).skip_normals(45))
    ///     .build()?;
    /// assert_eq!(net.layers[0].weights[[0, 0]], -0.7198442083947086);
    /// # Ok::<(), nn::Error>(())
    /// ```
    pub fn rng(mut self, rng: NumpyRng) -> Self {
        self.rng = Some(rng);
        self
    }

    /// Draws the weights, in layer order, each matrix row by row.
    pub fn build(self) -> Result<Network> {
        if self.inputs == 0 {
            return Err(Error::InvalidParameter {
                name: "inputs",
                value: "0".into(),
                valid: "at least 1 (one per feature of the data)",
            });
        }
        if self.layers.is_empty() {
            return Err(Error::Data(
                "the network has no layers; add at least one with .dense(units, activation)".into(),
            ));
        }
        if let Some(i) = self.layers.iter().position(|&(units, _)| units == 0) {
            return Err(Error::Data(format!(
                "layer {i} has 0 units; every layer needs at least 1"
            )));
        }
        if let Init::Uniform(low, high) = self.init {
            if !(low.is_finite() && high.is_finite() && low < high) {
                return Err(Error::InvalidParameter {
                    name: "Init::Uniform(low, high)",
                    value: format!("({low}, {high})"),
                    valid: "finite with low < high",
                });
            }
        }
        let mut rng = self.rng.unwrap_or_else(|| NumpyRng::new(self.seed));
        let mut fan_in = self.inputs;
        let mut layers = Vec::with_capacity(self.layers.len());
        for (units, activation) in self.layers {
            let weights = self.init.weights(fan_in, units, &mut rng);
            let bias = self.bias.then(|| Array2::zeros((1, units)));
            layers.push(Dense::new(weights, bias, activation)?);
            fan_in = units;
        }
        Ok(Network { layers })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    fn tiny() -> Network {
        let l1 = Dense::new(
            array![[0.1, -0.2], [0.3, 0.4]],
            Some(array![[0.05, -0.05]]),
            Activation::Tanh,
        )
        .unwrap();
        let l2 = Dense::new(
            array![[0.5], [-0.6]],
            Some(array![[0.1]]),
            Activation::Sigmoid,
        )
        .unwrap();
        Network::from_layers(vec![l1, l2]).unwrap()
    }

    #[test]
    fn forward_by_hand() {
        let net = tiny();
        let pass = net.forward(&array![[1.0, 2.0]]).unwrap();
        // z¹ = [0.1 + 0.6 + 0.05, −0.2 + 0.8 − 0.05]
        assert!((pass.layers[0].z[[0, 0]] - 0.75).abs() < 1e-15);
        assert!((pass.layers[0].z[[0, 1]] - 0.55).abs() < 1e-15);
        let a1 = [0.75f64.tanh(), 0.55f64.tanh()];
        let z2 = 0.5 * a1[0] - 0.6 * a1[1] + 0.1;
        assert!((pass.output()[[0, 0]] - 1.0 / (1.0 + (-z2).exp())).abs() < 1e-15);
    }

    #[test]
    fn backward_by_hand_for_one_sigmoid_unit() {
        // One unit, MSE, one row: dL/dw = 2(a − y)·a(1 − a)·x.
        let layer = Dense::new(array![[0.5]], Some(array![[0.0]]), Activation::Sigmoid).unwrap();
        let net = Network::from_layers(vec![layer]).unwrap();
        let (x, y) = (array![[2.0]], array![[1.0]]);
        let pass = net.forward(&x).unwrap();
        let a = pass.output()[[0, 0]];
        let g = net.backward(&x, &pass, Loss::Mse, &y).unwrap();
        let want = 2.0 * (a - 1.0) * a * (1.0 - a) * 2.0;
        assert!((g.layers[0].weights[[0, 0]] - want).abs() < 1e-15);
        assert!((g.layers[0].bias.as_ref().unwrap()[[0, 0]] - want / 2.0).abs() < 1e-15);
    }

    #[test]
    fn wrong_input_width_names_both_shapes() {
        let err = tiny().forward(&array![[1.0, 2.0, 3.0]]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "shape mismatch in the input to the first layer (2 -> 2): expected (rows ≥ 1, 2), got (1, 3). \
             give at least one row of 2 values (one per input node)"
        );
    }

    #[test]
    fn nan_inputs_are_refused() {
        let err = tiny().forward(&array![[1.0, f64::NAN]]).unwrap_err();
        assert!(err.to_string().contains("NaN at row 0, column 1"));
    }

    #[test]
    fn builder_is_deterministic_and_describes_itself() {
        let build = || {
            Network::builder(2)
                .dense(4, Activation::Relu)
                .dense(2, Activation::Softmax)
                .seed(7)
                .build()
                .unwrap()
        };
        assert_eq!(build(), build());
        assert_eq!(
            build().to_string(),
            "2 → 4 (relu) → 2 (softmax), 22 parameters"
        );
    }
}
