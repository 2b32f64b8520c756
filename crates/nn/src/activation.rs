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

use ndarray::{Array2, ArrayView2, ArrayViewMut1, ArrayViewMut2, Zip};

use crate::kernels::zip2;

/// The non-linearity a layer applies to its weighted sum.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
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
    pub fn derivative(self, z: f64) -> f64 {
        self.slope(z, self.value(z))
    }

    /// f'(z) written with the output a = f(z) where that is cheaper.
    fn slope(self, z: f64, a: f64) -> f64 {
        match self {
            Activation::Identity => 1.0,
            Activation::Sigmoid | Activation::Softmax => a * (1.0 - a),
            Activation::Tanh => 1.0 - a * a,
            Activation::Relu => {
                if z > 0.0 {
                    1.0
                } else {
                    0.0
                }
            }
        }
    }

    /// a = f(z) for a whole matrix (rows × units), returned new.
    pub fn apply(self, z: &Array2<f64>) -> Array2<f64> {
        let mut a = z.clone();
        self.apply_in_place(a.view_mut());
        a
    }

    /// Overwrites `z` with f(z). Softmax works row by row and subtracts each
    /// row's maximum first: eᶻ⁻ᵐ / Σ eᶻ⁻ᵐ is the same value, and no
    /// exponential can overflow.
    pub fn apply_in_place(self, mut z: ArrayViewMut2<f64>) {
        match self {
            Activation::Identity => {}
            Activation::Softmax => {
                for row in z.rows_mut() {
                    softmax_in_place(row);
                }
            }
            // One loop per activation, so that its formula is inlined into it.
            Activation::Sigmoid => z.mapv_inplace(|z| Activation::Sigmoid.value(z)),
            Activation::Tanh => z.mapv_inplace(|z| Activation::Tanh.value(z)),
            Activation::Relu => z.mapv_inplace(|z| Activation::Relu.value(z)),
        }
    }

    /// Writes a = f(z) into a buffer the caller owns (rows × units, the shape
    /// of `z`): the forward pass's activation, without a copy of z first.
    pub fn apply_into(self, z: ArrayView2<f64>, mut a: ArrayViewMut2<f64>) {
        match self {
            Activation::Identity => a.assign(&z),
            Activation::Softmax => {
                a.assign(&z);
                self.apply_in_place(a);
            }
            Activation::Sigmoid => map_into(Activation::Sigmoid, z, a),
            Activation::Tanh => map_into(Activation::Tanh, z, a),
            Activation::Relu => map_into(Activation::Relu, z, a),
        }
    }

    /// Backpropagates through the activation: turns ∂L/∂a into ∂L/∂z in
    /// place, using the layer's output `a` (rows × units).
    ///
    /// For element-wise activations that is ∂L/∂z = ∂L/∂a ⊙ f'(z). Softmax
    /// mixes a row, and multiplying by its Jacobian simplifies to
    /// ∂L/∂zᵢ = aᵢ (gᵢ − Σⱼ gⱼ aⱼ) with g = ∂L/∂a.
    ///
    /// ```
    /// use nn::prelude::*;
    /// let a = array![[0.5]];
    /// let mut g = array![[2.0]];
    /// Activation::Sigmoid.backward_in_place(a.view(), g.view_mut());
    /// assert_eq!(g, array![[0.5]]); // 2 · 0.5 · (1 − 0.5)
    /// ```
    pub fn backward_in_place(self, a: ArrayView2<f64>, mut grad: ArrayViewMut2<f64>) {
        match self {
            Activation::Identity => {}
            Activation::Sigmoid => scale_by_slope(Activation::Sigmoid, a, grad),
            Activation::Tanh => scale_by_slope(Activation::Tanh, a, grad),
            Activation::Relu => scale_by_slope(Activation::Relu, a, grad),
            Activation::Softmax => {
                for (a_row, mut g_row) in a.outer_iter().zip(grad.outer_iter_mut()) {
                    let dot = a_row.dot(&g_row);
                    Zip::from(&mut g_row)
                        .and(&a_row)
                        .for_each(|g, &a| *g = a * (*g - dot));
                }
            }
        }
    }
}

/// a ← f(z) element by element. Called with a constant `f`, so that the
/// loop holds f's formula and no `match`.
#[inline(always)]
fn map_into(f: Activation, z: ArrayView2<f64>, a: ArrayViewMut2<f64>) {
    zip2(a, z, |a, z| *a = f.value(z));
}

/// ∂L/∂z ← ∂L/∂a ⊙ f'(z), with the slope written with a = f(z). ReLU's
/// slope is 1 exactly where its output is positive, so `a` stands in for `z`
/// there too.
#[inline(always)]
fn scale_by_slope(f: Activation, a: ArrayView2<f64>, grad: ArrayViewMut2<f64>) {
    zip2(grad, a, |g, a| *g *= f.slope(a, a));
}

/// One row of logits turned into probabilities, in place.
fn softmax_in_place(mut row: ArrayViewMut1<f64>) {
    let max = row.fold(f64::NEG_INFINITY, |m, &v| m.max(v));
    row.mapv_inplace(|v| (v - max).exp());
    let sum = row.sum();
    row /= sum;
}

impl std::fmt::Display for Activation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

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
        let mut got = g.clone();
        Activation::Softmax.backward_in_place(a.view(), got.view_mut());
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
