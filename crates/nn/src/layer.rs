//! One dense (fully connected) layer: `a = f(x·W + b)`.
//!
//! Shapes, with `n` rows in the batch:
//!
//! | symbol | shape | meaning |
//! | --- | --- | --- |
//! | x | n × inputs | what comes in, one example per row |
//! | W | inputs × outputs | weight from input i to unit j at `[i, j]` |
//! | b | 1 × outputs | one bias per unit, added to every row |
//! | z = x·W + b | n × outputs | the weighted sum (가중합) |
//! | a = f(z) | n × outputs | the activation, passed to the next layer |
//!
//! ```
//! use nn::prelude::*;
//!
//! let layer = Dense::new(array![[1.0], [2.0]], Some(array![[0.5]]), Activation::Identity)?;
//! let (z, a) = layer.forward(&array![[1.0, 1.0]])?;
//! assert_eq!(z, array![[3.5]]); // 1·1 + 1·2 + 0.5
//! assert_eq!(a, z);
//! # Ok::<(), nn::Error>(())
//! ```

use ndarray::{Array2, Axis};

use crate::activation::Activation;
use crate::error::{check_finite, Error, Result, Shape};

/// A dense layer's parameters and its activation.
#[derive(Debug, Clone, PartialEq)]
pub struct Dense {
    /// W, inputs × outputs.
    pub weights: Array2<f64>,
    /// b, 1 × outputs; `None` for a layer without bias, like the original's.
    pub bias: Option<Array2<f64>>,
    /// f, applied to every weighted sum.
    pub activation: Activation,
}

/// What one layer's backward step gives: its two gradients, and the
/// gradient to hand to the layer below.
#[derive(Debug, Clone, PartialEq)]
pub struct LayerBackward {
    /// ∂L/∂W = xᵀ · δ, inputs × outputs.
    pub weights: Array2<f64>,
    /// ∂L/∂b = Σ over rows of δ, 1 × outputs (for a layer with a bias).
    pub bias: Option<Array2<f64>>,
    /// ∂L/∂x = δ · Wᵀ, n × inputs: the layer below's ∂L/∂a.
    pub input: Array2<f64>,
}

impl Dense {
    /// A layer from its weights (inputs × outputs) and optional bias
    /// (1 × outputs), checked for shape and finiteness.
    pub fn new(
        weights: Array2<f64>,
        bias: Option<Array2<f64>>,
        activation: Activation,
    ) -> Result<Self> {
        let layer = Dense {
            weights,
            bias,
            activation,
        };
        layer.check("a dense layer")?;
        Ok(layer)
    }

    /// Checks the layer's own parameters: at least one input and one unit, a
    /// bias of 1 × outputs, every number finite. `which` names the layer in
    /// the message, such as `layer 2`.
    pub(crate) fn check(&self, which: &str) -> Result<()> {
        let (inputs, outputs) = self.weights.dim();
        if inputs == 0 || outputs == 0 {
            return Err(Error::Shape {
                context: format!("{which}'s weights"),
                expected: Shape::new(Some(inputs.max(1)), Some(outputs.max(1))),
                got: (inputs, outputs),
                hint: "give the layer at least one input and one unit".into(),
            });
        }
        check_finite(&self.weights, &format!("{which}'s weights"))?;
        if let Some(b) = &self.bias {
            if b.dim() != (1, outputs) {
                return Err(Error::Shape {
                    context: format!("{which}'s bias"),
                    expected: Shape::exactly(1, outputs),
                    got: b.dim(),
                    hint: "the bias has one row and one column per unit".into(),
                });
            }
            check_finite(b, &format!("{which}'s bias"))?;
        }
        Ok(())
    }

    /// How many values each input row has.
    pub fn inputs(&self) -> usize {
        self.weights.nrows()
    }

    /// How many units the layer has.
    pub fn outputs(&self) -> usize {
        self.weights.ncols()
    }

    /// How many numbers training can change: the weights, and the bias if any.
    pub fn parameter_count(&self) -> usize {
        self.weights.len() + self.bias.as_ref().map_or(0, |b| b.len())
    }

    /// **z = x·W + b** and **a = f(z)** for the rows of `x` (n × inputs).
    /// Errors if `x` does not have [`inputs`](Dense::inputs) columns.
    pub fn forward(&self, x: &Array2<f64>) -> Result<(Array2<f64>, Array2<f64>)> {
        if x.ncols() != self.inputs() {
            return Err(Error::Shape {
                context: format!("a {} -> {} layer's input", self.inputs(), self.outputs()),
                expected: Shape::new(None, Some(self.inputs())),
                got: x.dim(),
                hint: format!("give each row {} values", self.inputs()),
            });
        }
        let z = match &self.bias {
            Some(b) => x.dot(&self.weights) + b,
            None => x.dot(&self.weights),
        };
        let a = self.activation.apply(&z);
        Ok((z, a))
    }

    /// The backward step through the weighted sum, from δ = ∂L/∂z (n ×
    /// outputs) and the layer's input `x` (n × inputs):
    ///
    /// | gradient | formula | shape |
    /// | --- | --- | --- |
    /// | ∂L/∂W | xᵀ · δ | inputs × outputs |
    /// | ∂L/∂b | Σ over rows of δ | 1 × outputs |
    /// | ∂L/∂x | δ · Wᵀ | n × inputs |
    ///
    /// Shapes are the caller's to get right ([`Network::backward`] checks them).
    ///
    /// [`Network::backward`]: crate::network::Network::backward
    ///
    /// ```
    /// use nn::prelude::*;
    /// let layer = Dense::new(array![[2.0], [3.0]], Some(array![[0.0]]), Activation::Identity)?;
    /// let x = array![[1.0, 1.0]];
    /// let g = layer.backward(&x, &array![[0.5]]);
    /// assert_eq!(g.weights, array![[0.5], [0.5]]);  // xᵀ · δ
    /// assert_eq!(g.bias, Some(array![[0.5]]));      // Σ δ
    /// assert_eq!(g.input, array![[1.0, 1.5]]);      // δ · Wᵀ
    /// # Ok::<(), nn::Error>(())
    /// ```
    pub fn backward(&self, x: &Array2<f64>, delta: &Array2<f64>) -> LayerBackward {
        LayerBackward {
            weights: x.t().dot(delta),
            bias: self
                .bias
                .as_ref()
                .map(|_| delta.sum_axis(Axis(0)).insert_axis(Axis(0))),
            input: delta.dot(&self.weights.t()),
        }
    }
}
