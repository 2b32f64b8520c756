//! Activation functions: what a layer does to its weighted sum.
//!
//! A layer computes `z = x·W + b` and passes on `a = f(z)`. Without a
//! non-linear `f`, any stack of layers collapses into one linear map, so the
//! choice of `f` is what lets a network bend.
//!
//! | activation | f(z) | f'(z), written with a = f(z) |
//! | --- | --- | --- |
//! | identity | z | 1 |
//! | sigmoid | 1 / (1 + e⁻ᶻ) | a (1 − a) |
//! | tanh | (eᶻ − e⁻ᶻ) / (eᶻ + e⁻ᶻ) | 1 − a² |
//! | ReLU | max(0, z) | 1 if z > 0, else 0 |
//! | softmax | eᶻⁱ / Σⱼ eᶻʲ, row by row | a Jacobian: ∂aᵢ/∂zⱼ = aᵢ (δᵢⱼ − aⱼ) |
//!
//! Every derivative can be written with `a` alone, which is why backprop only
//! needs to remember each layer's output.
//!
//! ```
//! use nn::prelude::*;
//!
//! assert_eq!(Activation::Sigmoid.value(0.0), 0.5);
//! assert_eq!(Activation::Sigmoid.derivative(0.0), 0.25);
//! let a = Activation::Softmax.apply(&array![[1.0, 1.0]]);
//! assert_eq!(a, array![[0.5, 0.5]]);
//! ```

use ndarray::{Array2, Axis};

/// The non-linearity a layer applies to its weighted sum.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "files", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "files", serde(rename_all = "lowercase"))]
pub enum Activation {
    /// f(z) = z: for regression outputs (회귀).
    Identity,
    /// f(z) = 1 / (1 + e⁻ᶻ), squashing into (0, 1): the original notebook's
    /// only activation; the output of binary classification (이진 분류).
    Sigmoid,
    /// f(z) = tanh z, squashing into (−1, 1) and centred on zero.
    Tanh,
    /// f(z) = max(0, z): cheap, and its gradient does not fade for z > 0.
    Relu,
    /// Each row turned into probabilities that sum to 1: the output of
    /// multi-class classification (다중 분류).
    Softmax,
}

impl Activation {
    /// All five, in the order the notebooks show them.
    pub const ALL: [Activation; 5] = [
        Activation::Identity,
        Activation::Sigmoid,
        Activation::Tanh,
        Activation::Relu,
        Activation::Softmax,
    ];

    /// The lower-case name used in messages, plots and model files.
    ///
    /// ```
    /// assert_eq!(nn::activation::Activation::Relu.name(), "relu");
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            Activation::Identity => "identity",
            Activation::Sigmoid => "sigmoid",
            Activation::Tanh => "tanh",
            Activation::Relu => "relu",
            Activation::Softmax => "softmax",
        }
    }

    /// The activation with this [`name`](Activation::name), if there is one.
    ///
    /// ```
    /// use nn::activation::Activation;
    /// assert_eq!(Activation::from_name("tanh"), Some(Activation::Tanh));
    /// assert_eq!(Activation::from_name("swish"), None);
    /// ```
    pub fn from_name(name: &str) -> Option<Activation> {
        Activation::ALL.into_iter().find(|a| a.name() == name)
    }

    /// f(z) for one number, for plotting the curve.
    ///
    /// Softmax needs a whole row; for one number it is taken against a second
    /// logit of 0, where softmax([z, 0])₀ = 1 / (1 + e⁻ᶻ): the sigmoid.
    ///
    /// ```
    /// use nn::activation::Activation;
    /// assert_eq!(Activation::Relu.value(-2.0), 0.0);
    /// assert_eq!(Activation::Tanh.value(0.0), 0.0);
    /// ```
    pub fn value(self, z: f64) -> f64 {
        match self {
            Activation::Identity => z,
            // For very negative z, e⁻ᶻ overflows to +∞ and 1/∞ = 0: no NaN.
            Activation::Sigmoid | Activation::Softmax => 1.0 / (1.0 + (-z).exp()),
            Activation::Tanh => z.tanh(),
            Activation::Relu => z.max(0.0),
        }
    }

    /// f'(z) for one number, for plotting (softmax as in [`value`](Activation::value)).
    ///
    /// ```
    /// use nn::activation::Activation;
    /// assert_eq!(Activation::Sigmoid.derivative(0.0), 0.25);
    /// ```
    pub fn derivative(self, z: f64) -> f64 {
        self.derivative_from_output(self.value(z))
    }

    /// f'(z) written with the output a = f(z) alone: a (1 − a) for the
    /// sigmoid, 1 − a² for tanh, 1 where a > 0 for ReLU. This is why
    /// backprop only needs to remember each layer's output.
    ///
    /// ```
    /// use nn::activation::Activation;
    /// let a = Activation::Sigmoid.value(1.5);
    /// assert_eq!(Activation::Sigmoid.derivative_from_output(a), a * (1.0 - a));
    /// ```
    pub fn derivative_from_output(self, a: f64) -> f64 {
        match self {
            Activation::Identity => 1.0,
            Activation::Sigmoid | Activation::Softmax => a * (1.0 - a),
            Activation::Tanh => 1.0 - a * a,
            // max(0, z) > 0 exactly where z > 0.
            Activation::Relu => {
                if a > 0.0 {
                    1.0
                } else {
                    0.0
                }
            }
        }
    }

    /// a = f(z) for a whole matrix (rows × units). Softmax works row by row
    /// and subtracts each row's maximum m first: eᶻ⁻ᵐ / Σ eᶻ⁻ᵐ is the same
    /// value, and no exponential can overflow.
    ///
    /// ```
    /// use nn::prelude::*;
    /// let a = Activation::Sigmoid.apply(&array![[0.0, 1000.0]]);
    /// assert_eq!(a, array![[0.5, 1.0]]);
    /// ```
    pub fn apply(self, z: &Array2<f64>) -> Array2<f64> {
        match self {
            Activation::Softmax => {
                let max = z.map_axis(Axis(1), |row| row.fold(f64::NEG_INFINITY, |m, &v| m.max(v)));
                let e = z - &max.insert_axis(Axis(1));
                let e = e.mapv(f64::exp);
                let sum = e.sum_axis(Axis(1)).insert_axis(Axis(1));
                e / sum
            }
            f => z.mapv(|z| f.value(z)),
        }
    }

    /// Backpropagates through the activation: from ∂L/∂a (rows × units) to
    /// ∂L/∂z, using the layer's output `a`.
    ///
    /// For element-wise activations that is **∂L/∂z = ∂L/∂a ⊙ f'(z)**.
    /// Softmax mixes a row: multiplying by its Jacobian ∂aᵢ/∂zⱼ = aᵢ (δᵢⱼ − aⱼ)
    /// simplifies to **∂L/∂zᵢ = aᵢ (gᵢ − Σⱼ gⱼ aⱼ)** with g = ∂L/∂a.
    ///
    /// ```
    /// use nn::prelude::*;
    /// let a = array![[0.5]];
    /// let g = Activation::Sigmoid.backward(&a, &array![[2.0]]);
    /// assert_eq!(g, array![[0.5]]); // 2 · 0.5 · (1 − 0.5)
    /// ```
    pub fn backward(self, a: &Array2<f64>, grad: &Array2<f64>) -> Array2<f64> {
        match self {
            Activation::Softmax => {
                let dot = (grad * a).sum_axis(Axis(1)).insert_axis(Axis(1));
                a * &(grad - &dot)
            }
            f => grad * &a.mapv(|a| f.derivative_from_output(a)),
        }
    }
}

impl std::fmt::Display for Activation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// An activation by its [`name`](Activation::name), or `linear` (Keras's
/// name for the identity), as a command line or a config file spells it.
///
/// ```
/// use nn::activation::Activation;
/// assert_eq!("relu".parse::<Activation>()?, Activation::Relu);
/// assert_eq!("linear".parse::<Activation>()?, Activation::Identity);
/// let err = "swish".parse::<Activation>().unwrap_err();
/// assert_eq!(err.to_string(), "invalid activation = swish: it must be one of identity, sigmoid, tanh, relu, softmax");
/// # Ok::<(), nn::Error>(())
/// ```
impl std::str::FromStr for Activation {
    type Err = crate::Error;

    fn from_str(name: &str) -> crate::Result<Activation> {
        match name {
            "linear" => Ok(Activation::Identity),
            _ => Activation::from_name(name).ok_or_else(|| crate::Error::InvalidParameter {
                name: "activation",
                value: name.to_string(),
                valid: "one of identity, sigmoid, tanh, relu, softmax",
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn names_parse_with_linear_as_identity() {
        assert_eq!(
            "linear".parse::<Activation>().ok(),
            Some(Activation::Identity)
        );
        assert_eq!(
            "identity".parse::<Activation>().ok(),
            Some(Activation::Identity)
        );
        assert!("swish".parse::<Activation>().is_err());
    }

    #[test]
    fn sigmoid_values_and_slope() {
        let s = Activation::Sigmoid;
        assert_eq!(s.value(0.0), 0.5);
        assert!((s.value(2.0) - 0.8807970779778823).abs() < 1e-15);
        assert_eq!(s.value(-1000.0), 0.0);
        assert_eq!(s.value(1000.0), 1.0);
        assert!((s.derivative(2.0) - 0.10499358540350662).abs() < 1e-15);
    }

    #[test]
    fn tanh_and_relu_slopes() {
        assert!((Activation::Tanh.derivative(0.5) - (1.0 - 0.5f64.tanh().powi(2))).abs() < 1e-15);
        assert_eq!(Activation::Relu.derivative(-3.0), 0.0);
        assert_eq!(Activation::Relu.derivative(3.0), 1.0);
        assert_eq!(Activation::Identity.derivative(7.0), 1.0);
    }

    #[test]
    fn softmax_rows_sum_to_one_and_survive_large_logits() {
        let a = Activation::Softmax.apply(&array![[1000.0, 1000.0, 999.0], [1.0, 2.0, 3.0]]);
        for row in a.rows() {
            assert!((row.sum() - 1.0).abs() < 1e-15);
        }
        assert!(a.iter().all(|v| v.is_finite()));
        // softmax([1, 2, 3]) from NumPy.
        assert!((a[[1, 2]] - 0.6652409557748219).abs() < 1e-15);
    }

    #[test]
    fn softmax_backward_matches_its_jacobian() {
        let z = array![[0.3, -1.2, 2.0]];
        let a = Activation::Softmax.apply(&z);
        let g = array![[0.7, -0.1, 0.4]];
        let got = Activation::Softmax.backward(&a, &g);
        for i in 0..3 {
            let want: f64 = (0..3)
                .map(|j| {
                    let kron = if i == j { 1.0 } else { 0.0 };
                    g[[0, j]] * a[[0, j]] * (kron - a[[0, i]])
                })
                .sum();
            assert!((got[[0, i]] - want).abs() < 1e-15);
        }
    }

    #[test]
    fn names_round_trip() {
        for a in Activation::ALL {
            assert_eq!(Activation::from_name(a.name()), Some(a));
        }
    }
}
