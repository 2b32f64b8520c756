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
//! let grads = net.backward(&pass, Loss::Mse, &data.y)?;
//! assert_eq!(grads.layers[1].weights.dim(), (3, 1)); // the shape of W²
//! # Ok::<(), nn::Error>(())
//! ```

use ndarray::Array2;

use crate::activation::Activation;
use crate::error::{check_finite, count, Error, Result, Shape};
use crate::init::{Init, NumpyRng};
use crate::layer::Dense;
use crate::loss::Loss;

/// A stack of dense layers.
#[derive(Debug, Clone, PartialEq)]
pub struct Network {
    /// The layers, input side first. Each layer's `inputs` equals the
    /// previous layer's `outputs` ([`Network::check`] makes sure).
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
    /// a⁰ = x, the inputs (n × inputs).
    pub input: Array2<f64>,
    /// One entry per layer, input side first.
    pub layers: Vec<LayerPass>,
}

impl ForwardPass {
    /// The prediction ŷ: the last layer's activation (the input itself for
    /// a pass through no layers).
    ///
    /// ```
    /// use nn::network::ForwardPass;
    /// assert_eq!(ForwardPass::default().output().dim(), (0, 0));
    /// ```
    pub fn output(&self) -> &Array2<f64> {
        self.layers.last().map_or(&self.input, |l| &l.a)
    }

    /// The input to layer `l` (0-based): x for the first, the previous
    /// layer's activation after that.
    fn input_to(&self, l: usize) -> &Array2<f64> {
        if l == 0 {
            &self.input
        } else {
            &self.layers[l - 1].a
        }
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

    /// Every parameter gradient in the order of [`Network::parameters`]:
    /// W¹, b¹, W², b², … (biases only where a layer has one).
    ///
    /// ```
    /// use nn::prelude::*;
    /// let g = Gradients::from_weights(vec![Array2::zeros((2, 3))]);
    /// assert_eq!(g.parameters().count(), 1);
    /// ```
    pub fn parameters(&self) -> impl Iterator<Item = &Array2<f64>> {
        self.layers
            .iter()
            .flat_map(|g| std::iter::once(&g.weights).chain(g.bias.as_ref()))
    }

    /// Whether every gradient is a finite number.
    ///
    /// ```
    /// use nn::prelude::*;
    /// assert!(Gradients::from_weights(vec![array![[1.0]]]).is_finite());
    /// assert!(!Gradients::from_weights(vec![array![[f64::NAN]]]).is_finite());
    /// ```
    pub fn is_finite(&self) -> bool {
        self.parameters().all(|p| p.iter().all(|v| v.is_finite()))
    }

    /// The Euclidean norm of each layer's weight gradient, ‖∂L/∂Wˡ‖: where
    /// these shrink layer after layer towards the input, the gradient vanishes.
    ///
    /// ```
    /// use nn::prelude::*;
    /// let g = Gradients::from_weights(vec![array![[3.0, 4.0]]]);
    /// assert_eq!(g.weight_norms(), vec![5.0]);
    /// ```
    pub fn weight_norms(&self) -> Vec<f64> {
        self.layers.iter().map(|g| norm(&g.weights)).collect()
    }
}

/// The Euclidean (Frobenius) norm ‖M‖ = √(Σ mᵢⱼ²).
pub(crate) fn norm(m: &Array2<f64>) -> f64 {
    m.iter().map(|v| v * v).sum::<f64>().sqrt()
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
            config: NetworkConfig {
                inputs,
                layers: Vec::new(),
                ..NetworkConfig::default()
            },
        }
    }

    /// A network from layers you made yourself, checked to fit together.
    ///
    /// ```
    /// use nn::prelude::*;
    /// let l1 = Dense::new(Array2::zeros((2, 3)), None, Activation::Sigmoid)?;
    /// let l2 = Dense::new(Array2::zeros((4, 1)), None, Activation::Sigmoid)?;
    /// let err = Network::from_layers(vec![l1, l2]).unwrap_err();
    /// assert!(err.to_string().contains("layer 2"));
    /// # Ok::<(), nn::Error>(())
    /// ```
    pub fn from_layers(layers: Vec<Dense>) -> Result<Network> {
        let net = Network { layers };
        net.check()?;
        Ok(net)
    }

    /// Checks that the network can run: at least one layer, each layer's
    /// parameters well formed and finite, and each layer's inputs equal to
    /// the previous layer's units. The layers are public fields, so
    /// everything that uses a network (the passes, training, saving, the
    /// plots) checks it first instead of trusting it.
    ///
    /// ```
    /// use nn::prelude::*;
    /// let err = Network { layers: vec![] }.check().unwrap_err();
    /// assert_eq!(err.to_string(), "invalid network: it has no layers; add at least one with .dense(units, activation)");
    /// # Ok::<(), nn::Error>(())
    /// ```
    pub fn check(&self) -> Result<()> {
        if self.layers.is_empty() {
            return Err(Error::Network(
                "it has no layers; add at least one with .dense(units, activation)".into(),
            ));
        }
        for (i, layer) in self.layers.iter().enumerate() {
            layer.check(&format!("layer {}", i + 1))?;
        }
        for (i, pair) in self.layers.windows(2).enumerate() {
            let (below, above) = (i + 1, i + 2);
            if pair[1].inputs() != pair[0].outputs() {
                return Err(Error::Shape {
                    context: format!("layer {above}'s weights"),
                    expected: Shape::new(Some(pair[0].outputs()), Some(pair[1].outputs())),
                    got: pair[1].weights.dim(),
                    hint: format!(
                        "layer {below} has {}, so layer {above} needs {} of weights",
                        count(pair[0].outputs(), "unit", "units"),
                        count(pair[0].outputs(), "row", "rows"),
                    ),
                });
            }
        }
        Ok(())
    }

    /// How many values an input row has (0 for a network without layers).
    pub fn inputs(&self) -> usize {
        self.layers.first().map_or(0, Dense::inputs)
    }

    /// How many values the network predicts per row (0 without layers).
    pub fn outputs(&self) -> usize {
        self.layers.last().map_or(0, Dense::outputs)
    }

    /// The width of every layer, inputs first: `[2, 3, 1]` for the original.
    pub fn sizes(&self) -> Vec<usize> {
        std::iter::once(self.inputs())
            .chain(self.layers.iter().map(Dense::outputs))
            .collect()
    }

    /// The output layer's activation (identity for a network without layers).
    pub fn output_activation(&self) -> Activation {
        self.layers
            .last()
            .map_or(Activation::Identity, |l| l.activation)
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

    /// Checks the network, and that `x` can go through it: the right width,
    /// at least one row, finite values.
    pub fn check_inputs(&self, x: &Array2<f64>) -> Result<()> {
        self.check()?;
        if x.ncols() != self.inputs() || x.nrows() == 0 {
            return Err(Error::Shape {
                context: format!(
                    "the input to layer 1 ({} -> {})",
                    self.inputs(),
                    self.layers[0].outputs()
                ),
                expected: Shape::new(None, Some(self.inputs())),
                got: x.dim(),
                hint: format!(
                    "give at least one row of {} (one per input node)",
                    count(self.inputs(), "value", "values")
                ),
            });
        }
        check_finite(x, "the inputs")
    }

    /// The forward pass (순전파): with a⁰ = x, every layer computes
    /// zˡ = aˡ⁻¹·Wˡ + bˡ and aˡ = fˡ(zˡ). Keeps every z and a.
    pub fn forward(&self, x: &Array2<f64>) -> Result<ForwardPass> {
        self.check_inputs(x)?;
        let mut pass = ForwardPass {
            input: x.clone(),
            layers: Vec::with_capacity(self.layers.len()),
        };
        for layer in &self.layers {
            let (z, a) = layer.forward(pass.output())?;
            pass.layers.push(LayerPass { z, a });
        }
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
        Ok(self.forward(x)?.output().clone())
    }

    /// Checks that `loss` can train this network on targets `y`.
    pub fn check_loss(&self, loss: Loss, y: &Array2<f64>) -> Result<()> {
        self.check()?;
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
        check_rows(x.nrows(), y)?;
        self.check_loss(loss, y)?;
        Ok(loss.value_of(&pass, self.output_activation(), y))
    }

    /// Backpropagation (역전파): ∂L/∂W and ∂L/∂b for every layer, from the
    /// forward pass `pass` against targets `y`, by the chain rule from the
    /// output back to the input (see the table in the module docs).
    pub fn backward(&self, pass: &ForwardPass, loss: Loss, y: &Array2<f64>) -> Result<Gradients> {
        self.check_inputs(&pass.input)?;
        check_rows(pass.input.nrows(), y)?;
        self.check_loss(loss, y)?;
        if pass.layers.len() != self.layers.len()
            || pass
                .layers
                .iter()
                .zip(&self.layers)
                .any(|(p, l)| p.a.dim() != (pass.input.nrows(), l.outputs()))
        {
            return Err(Error::Network(
                "this forward pass was not made by this network; call network.forward(&x) first"
                    .into(),
            ));
        }
        let last = self.layers.len() - 1;
        // δᴸ = ∂L/∂zᴸ
        let mut delta = loss.output_delta(self.layers[last].activation, pass.output(), y);
        let mut layers = Vec::with_capacity(self.layers.len());
        for l in (0..=last).rev() {
            let step = self.layers[l].backward(pass.input_to(l), &delta);
            // δˡ⁻¹ = (δˡ · Wˡᵀ) ⊙ fˡ⁻¹'(zˡ⁻¹)
            let below = match l {
                0 => None,
                _ => Some(
                    self.layers[l - 1]
                        .activation
                        .backward(&pass.layers[l - 1].a, &step.input),
                ),
            };
            layers.push(LayerGradient {
                delta: std::mem::replace(&mut delta, below.unwrap_or_default()),
                weights: step.weights,
                bias: step.bias,
            });
        }
        layers.reverse();
        Ok(Gradients { layers })
    }
}

/// One target row per input row.
fn check_rows(rows: usize, y: &Array2<f64>) -> Result<()> {
    if rows == y.nrows() {
        return Ok(());
    }
    Err(Error::Data(format!(
        "the inputs have {} but the targets have {}; give one target row per input row",
        count(rows, "row", "rows"),
        y.nrows()
    )))
}

impl std::fmt::Display for Network {
    /// `2 → 3 (sigmoid) → 1 (sigmoid), 9 parameters`
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.inputs())?;
        for l in &self.layers {
            write!(f, " → {} ({})", l.outputs(), l.activation)?;
        }
        write!(
            f,
            ", {}",
            count(self.parameter_count(), "parameter", "parameters")
        )
    }
}

/// One layer of a [`NetworkConfig`]: how many units, which activation.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "files", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "files", serde(deny_unknown_fields))]
pub struct LayerConfig {
    /// Units (neurons) in the layer.
    pub units: usize,
    /// The activation of every unit.
    pub activation: Activation,
}

/// A network described rather than built: what [`Network::builder`]
/// collects, and what a run record keeps so that the same weights can be
/// drawn again.
///
/// The default is the original notebook's shape, 2 → 3 → 1 with sigmoids,
/// with biases and Xavier-uniform weights from seed 42.
///
/// ```
/// use nn::prelude::*;
/// use nn::network::NetworkConfig;
/// let net = NetworkConfig::default().build()?;
/// assert_eq!(net.to_string(), "2 → 3 (sigmoid) → 1 (sigmoid), 13 parameters");
/// # Ok::<(), nn::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "files", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "files", serde(default, deny_unknown_fields))]
pub struct NetworkConfig {
    /// Values per input row.
    pub inputs: usize,
    /// The layers, input side first.
    pub layers: Vec<LayerConfig>,
    /// Whether every layer has a bias (the original has none).
    pub bias: bool,
    /// How the weights are drawn.
    pub init: Init,
    /// The seed of the weights' random numbers.
    pub seed: u64,
    /// Standard-normal draws thrown away before the first weight, to start
    /// where a Python notebook that drew other numbers first started.
    pub skip_normals: usize,
}

impl Default for NetworkConfig {
    fn default() -> Self {
        NetworkConfig {
            inputs: 2,
            layers: vec![
                LayerConfig {
                    units: 3,
                    activation: Activation::Sigmoid,
                },
                LayerConfig {
                    units: 1,
                    activation: Activation::Sigmoid,
                },
            ],
            bias: true,
            init: Init::XavierUniform,
            seed: 42,
            skip_normals: 0,
        }
    }
}

impl NetworkConfig {
    /// Draws the weights, in layer order, each matrix row by row, from
    /// `NumpyRng::new(seed)` after `skip_normals` draws; biases start at 0.
    /// The same configuration always gives the same network, bit for bit.
    pub fn build(&self) -> Result<Network> {
        if self.inputs == 0 {
            return Err(Error::InvalidParameter {
                name: "inputs",
                value: "0".into(),
                valid: "at least 1 (one per feature of the data)",
            });
        }
        if self.layers.is_empty() {
            return Err(Error::Network(
                "it has no layers; add at least one with .dense(units, activation)".into(),
            ));
        }
        if let Some(i) = self.layers.iter().position(|l| l.units == 0) {
            return Err(Error::Network(format!(
                "layer {} has 0 units; every layer needs at least 1",
                i + 1
            )));
        }
        self.init.check()?;
        let mut rng = NumpyRng::new(self.seed).skip_normals(self.skip_normals);
        let mut fan_in = self.inputs;
        let mut layers = Vec::with_capacity(self.layers.len());
        for layer in &self.layers {
            let weights = self.init.weights(fan_in, layer.units, &mut rng);
            let bias = self.bias.then(|| Array2::zeros((1, layer.units)));
            layers.push(Dense::new(weights, bias, layer.activation)?);
            fan_in = layer.units;
        }
        Network::from_layers(layers)
    }
}

/// Describes a network layer by layer, then builds it with seeded weights.
#[derive(Debug, Clone, PartialEq)]
pub struct NetworkBuilder {
    config: NetworkConfig,
}

impl NetworkBuilder {
    /// Adds a dense layer of `units` units with activation `activation`.
    pub fn dense(mut self, units: usize, activation: Activation) -> Self {
        self.config.layers.push(LayerConfig { units, activation });
        self
    }

    /// Leaves out every bias, like the original notebook.
    pub fn no_bias(mut self) -> Self {
        self.config.bias = false;
        self
    }

    /// How the weights are drawn (default: [`Init::XavierUniform`]).
    pub fn init(mut self, init: Init) -> Self {
        self.config.init = init;
        self
    }

    /// The seed of the weights' random numbers (default 42). The same seed
    /// gives the same weights, and these are NumPy's: seed 42 with
    /// `Init::StandardNormal` starts from `np.random.seed(42);
    /// np.random.randn(inputs, units)`.
    ///
    /// This seed draws the *weights*; the trainer's own
    /// [`seed`](crate::train::Trainer::seed) shuffles the rows and picks the
    /// validation split.
    pub fn seed(mut self, seed: u64) -> Self {
        self.config.seed = seed;
        self
    }

    /// Throws away `n` standard-normal draws before the first weight, to
    /// line up with a Python notebook that drew other numbers first.
    ///
    /// ```
    /// use nn::prelude::*;
    /// // The original notebook's printed numbers match its 46th draw on.
    /// let net = Network::builder(2)
    ///     .dense(3, Activation::Sigmoid)
    ///     .dense(1, Activation::Sigmoid)
    ///     .no_bias()
    ///     .init(Init::StandardNormal)
    ///     .seed(42)
    ///     .skip_normals(45)
    ///     .build()?;
    /// assert_eq!(net.layers[0].weights[[0, 0]], -0.7198442083947086);
    /// # Ok::<(), nn::Error>(())
    /// ```
    pub fn skip_normals(mut self, n: usize) -> Self {
        self.config.skip_normals = n;
        self
    }

    /// What has been described so far.
    ///
    /// ```
    /// use nn::prelude::*;
    /// let b = Network::builder(2).dense(4, Activation::Tanh);
    /// assert_eq!(b.config().layers.len(), 1);
    /// ```
    pub fn config(&self) -> &NetworkConfig {
        &self.config
    }

    /// Draws the weights (see [`NetworkConfig::build`]).
    pub fn build(self) -> Result<Network> {
        self.config.build()
    }
}

impl From<NetworkConfig> for NetworkBuilder {
    fn from(config: NetworkConfig) -> Self {
        NetworkBuilder { config }
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
        let g = net.backward(&pass, Loss::Mse, &y).unwrap();
        let want = 2.0 * (a - 1.0) * a * (1.0 - a) * 2.0;
        assert!((g.layers[0].weights[[0, 0]] - want).abs() < 1e-15);
        assert!((g.layers[0].bias.as_ref().unwrap()[[0, 0]] - want / 2.0).abs() < 1e-15);
    }

    #[test]
    fn wrong_input_width_names_both_shapes() {
        let err = tiny().forward(&array![[1.0, 2.0, 3.0]]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "shape mismatch in the input to layer 1 (2 -> 2): expected (rows, 2), got (1, 3). \
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
