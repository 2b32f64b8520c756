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

use ndarray::{Array2, ArrayView2, ArrayViewMut2};

use crate::activation::Activation;
use crate::error::{check_finite, shape_of, Error, Result};
use crate::kernels::mat_mul_into;

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

impl Dense {
    /// A layer from its weights (inputs × outputs) and optional bias
    /// (1 × outputs), checked for shape and finiteness.
    pub fn new(
        weights: Array2<f64>,
        bias: Option<Array2<f64>>,
        activation: Activation,
    ) -> Result<Self> {
        let (inputs, outputs) = weights.dim();
        if inputs == 0 || outputs == 0 {
            return Err(Error::Shape {
                context: "a dense layer's weights".into(),
                expected: "(inputs ≥ 1, outputs ≥ 1)".into(),
                got: shape_of(inputs, outputs),
                hint: "give the layer at least one input and one unit".into(),
            });
        }
        check_finite(&weights, "the weights")?;
        if let Some(b) = &bias {
            if b.dim() != (1, outputs) {
                return Err(Error::Shape {
                    context: "a dense layer's bias".into(),
                    expected: shape_of(1, outputs),
                    got: shape_of(b.nrows(), b.ncols()),
                    hint: "the bias has one row and one column per unit".into(),
                });
            }
            check_finite(b, "the bias")?;
        }
        Ok(Dense {
            weights,
            bias,
            activation,
        })
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

    /// z = x·W + b and a = f(z), returned new. Errors if `x` does not have
    /// [`inputs`](Dense::inputs) columns.
    pub fn forward(&self, x: &Array2<f64>) -> Result<(Array2<f64>, Array2<f64>)> {
        if x.ncols() != self.inputs() {
            return Err(Error::Shape {
                context: format!("a {} -> {} layer's input", self.inputs(), self.outputs()),
                expected: format!("(rows, {})", self.inputs()),
                got: shape_of(x.nrows(), x.ncols()),
                hint: format!("give each row {} values", self.inputs()),
            });
        }
        let mut z = Array2::zeros((x.nrows(), self.outputs()));
        let mut a = z.clone();
        self.forward_into(x.view(), z.view_mut(), a.view_mut());
        Ok((z, a))
    }

    /// The forward pass into buffers the caller owns (no allocation):
    /// `z ← x·W + b`, `a ← f(z)`. Shapes are the caller's to get right.
    pub(crate) fn forward_into(
        &self,
        x: ArrayView2<f64>,
        mut z: ArrayViewMut2<f64>,
        a: ArrayViewMut2<f64>,
    ) {
        match &self.bias {
            Some(b) => {
                // z ← b on every row, then z ← x·W + z: the bias costs no pass of its own.
                for mut row in z.rows_mut() {
                    row.assign(&b.row(0));
                }
                mat_mul_into(x, self.weights.view(), 1.0, z.view_mut());
            }
            None => mat_mul_into(x, self.weights.view(), 0.0, z.view_mut()),
        }
        self.activation.apply_into(z.view(), a);
    }
}
