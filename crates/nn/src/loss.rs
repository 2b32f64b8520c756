//! Loss functions (손실 함수): how far the prediction is from the target.
//!
//! Each loss has a **value** L (one number for the whole batch, to watch go
//! down) and a **gradient** ∂L/∂ŷ (one number per prediction, where backprop
//! starts). With `n` rows and `k` outputs, ŷ and y are n × k:
//!
//! | loss | L | ∂L/∂ŷ | for |
//! | --- | --- | --- | --- |
//! | MSE | (1/nk) Σ (ŷ − y)² | 2 (ŷ − y) / nk | regression (회귀) |
//! | MAE | (1/nk) Σ \|ŷ − y\| | sign(ŷ − y) / nk | regression, robust to outliers |
//! | binary CE | −(1/nk) Σ [y ln ŷ + (1 − y) ln(1 − ŷ)] | (ŷ − y) / (ŷ (1 − ŷ)) / nk | binary classification |
//! | categorical CE | −(1/n) Σ y ln ŷ | −y / ŷ / n | one-hot classes |
//! | sparse categorical CE | −(1/n) Σ ln ŷ\[label\] | −1 / ŷ\[label\] / n | integer labels (n × 1) |
//!
//! Paired with the output layer that suits them, the cross-entropies cancel
//! the activation's derivative: sigmoid + binary CE and softmax + categorical
//! CE both give ∂L/∂z = (ŷ − y) / rows, which [`Loss::output_delta`] uses
//! directly: exact, cheaper, and free of the division by ŷ (1 − ŷ).
//!
//! Logarithms take ŷ clipped to [ε, 1 − ε] with ε = 10⁻¹², so a prediction
//! of exactly 0 or 1 gives a large finite loss instead of infinity or NaN.
//!
//! ```
//! use nn::prelude::*;
//!
//! let pred = array![[0.5], [0.8]];
//! let target = array![[1.0], [1.0]];
//! // ((0.5 − 1)² + (0.8 − 1)²) / 2
//! assert!((Loss::Mse.value(&pred, &target) - 0.145).abs() < 1e-15);
//! assert_eq!(Loss::Mse.gradient(&pred, &target), array![[-0.5], [-0.19999999999999996]]);
//! ```

use ndarray::{Array2, ArrayViewMut2, Zip};

use crate::activation::Activation;
use crate::error::{shape_of, Error, Result};
use crate::kernels::{fold2, zip3};

/// Predictions are clipped to [EPS, 1 − EPS] before a logarithm.
const EPS: f64 = 1e-12;

/// A loss function: value and gradient.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Loss {
    /// Mean squared error: the original notebook's "에러".
    Mse,
    /// Mean absolute error.
    Mae,
    /// Binary cross-entropy, for outputs that are probabilities in (0, 1).
    BinaryCrossEntropy,
    /// Categorical cross-entropy, with one-hot (or soft) targets, n × classes.
    CategoricalCrossEntropy,
    /// Categorical cross-entropy with integer class labels, n × 1.
    SparseCategoricalCrossEntropy,
}

impl Loss {
    /// All five, in the order the original notebook names them.
    pub const ALL: [Loss; 5] = [
        Loss::Mse,
        Loss::Mae,
        Loss::BinaryCrossEntropy,
        Loss::CategoricalCrossEntropy,
        Loss::SparseCategoricalCrossEntropy,
    ];

    /// The Keras-style name, used in messages, plots and model files.
    ///
    /// ```
    /// assert_eq!(nn::loss::Loss::BinaryCrossEntropy.name(), "binary_crossentropy");
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            Loss::Mse => "mse",
            Loss::Mae => "mae",
            Loss::BinaryCrossEntropy => "binary_crossentropy",
            Loss::CategoricalCrossEntropy => "categorical_crossentropy",
            Loss::SparseCategoricalCrossEntropy => "sparse_categorical_crossentropy",
        }
    }

    /// The loss with this [`name`](Loss::name), if there is one.
    ///
    /// ```
    /// use nn::loss::Loss;
    /// assert_eq!(Loss::from_name("mae"), Some(Loss::Mae));
    /// ```
    pub fn from_name(name: &str) -> Option<Loss> {
        Loss::ALL.into_iter().find(|l| l.name() == name)
    }

    /// Whether this loss is for classification, so that accuracy means something.
    pub fn is_classification(self) -> bool {
        !matches!(self, Loss::Mse | Loss::Mae)
    }

    /// Whether the targets are class labels, one column of 0, 1, 2, ….
    pub fn wants_labels(self) -> bool {
        self == Loss::SparseCategoricalCrossEntropy
    }

    /// L(ŷ, y) for the whole batch (see the table in the module docs).
    ///
    /// `pred` is n × k; `target` is n × k, or n × 1 labels for the sparse loss.
    ///
    /// ```
    /// use nn::prelude::*;
    /// // −ln 0.7
    /// let l = Loss::SparseCategoricalCrossEntropy.value(&array![[0.2, 0.7, 0.1]], &array![[1.0]]);
    /// assert!((l - 0.35667494393873245).abs() < 1e-15);
    /// ```
    pub fn value(self, pred: &Array2<f64>, target: &Array2<f64>) -> f64 {
        let n = pred.nrows() as f64;
        let nk = pred.len() as f64;
        let clip = |p: f64| p.clamp(EPS, 1.0 - EPS);
        match self {
            Loss::Mse => {
                fold2(pred.view(), target.view(), 0.0, |s, p, y| {
                    s + (p - y) * (p - y)
                }) / nk
            }
            Loss::Mae => fold2(pred.view(), target.view(), 0.0, |s, p, y| s + (p - y).abs()) / nk,
            Loss::BinaryCrossEntropy => {
                -fold2(pred.view(), target.view(), 0.0, |s, p, y| {
                    s + y * clip(p).ln() + (1.0 - y) * (1.0 - clip(p)).ln()
                }) / nk
            }
            Loss::CategoricalCrossEntropy => {
                -fold2(pred.view(), target.view(), 0.0, |s, p, y| {
                    s + y * clip(p).ln()
                }) / n
            }
            Loss::SparseCategoricalCrossEntropy => {
                -pred
                    .outer_iter()
                    .zip(target.column(0))
                    .map(|(row, &label)| clip(row[label as usize]).ln())
                    .sum::<f64>()
                    / n
            }
        }
    }

    /// L computed from the output layer's weighted sum `z` where that is more
    /// exact than from ŷ: binary CE after a sigmoid as
    /// max(z, 0) − z·y + ln(1 + e^−|z|), and the categorical cross-entropies
    /// after a softmax through log-softmax. These never need the clip, so a
    /// confident wrong answer costs what it really costs. Other pairs use
    /// [`value`](Loss::value).
    pub fn value_at_output(
        self,
        activation: Activation,
        z: &Array2<f64>,
        pred: &Array2<f64>,
        target: &Array2<f64>,
    ) -> f64 {
        let n = z.nrows() as f64;
        match (activation, self) {
            (Activation::Sigmoid, Loss::BinaryCrossEntropy) => {
                fold2(z.view(), target.view(), 0.0, |s, z, y| {
                    s + z.max(0.0) - z * y + (-z.abs()).exp().ln_1p()
                }) / z.len() as f64
            }
            (
                Activation::Softmax,
                Loss::CategoricalCrossEntropy | Loss::SparseCategoricalCrossEntropy,
            ) => {
                let mut total = 0.0;
                for (r, row) in z.outer_iter().enumerate() {
                    let max = row.fold(f64::NEG_INFINITY, |m, &v| m.max(v));
                    let log_sum = row.fold(0.0, |s, &v| s + (v - max).exp()).ln() + max;
                    total += if self.wants_labels() {
                        log_sum - row[target[[r, 0]] as usize]
                    } else {
                        Zip::from(&row)
                            .and(target.row(r))
                            .fold(0.0, |s, &z, &y| s + y * (log_sum - z))
                    };
                }
                total / n
            }
            _ => self.value(pred, target),
        }
    }

    /// ∂L/∂ŷ, the same shape as `pred` (see the table in the module docs).
    pub fn gradient(self, pred: &Array2<f64>, target: &Array2<f64>) -> Array2<f64> {
        let mut grad = Array2::zeros(pred.raw_dim());
        self.gradient_into(pred, target, grad.view_mut());
        grad
    }

    /// [`gradient`](Loss::gradient) written into a buffer the caller owns.
    pub fn gradient_into(
        self,
        pred: &Array2<f64>,
        target: &Array2<f64>,
        mut grad: ArrayViewMut2<f64>,
    ) {
        let n = pred.nrows() as f64;
        let nk = pred.len() as f64;
        let clip = |p: f64| p.clamp(EPS, 1.0 - EPS);
        let (pred, target) = (pred.view(), target.view());
        match self {
            Loss::Mse => zip3(grad, pred, target, |g, p, y| *g = 2.0 * (p - y) / nk),
            Loss::Mae => zip3(grad, pred, target, |g, p, y| {
                // The slope of |x| is undefined at 0; 0 is the usual choice.
                *g = if p > y {
                    1.0
                } else if p < y {
                    -1.0
                } else {
                    0.0
                } / nk
            }),
            Loss::BinaryCrossEntropy => zip3(grad, pred, target, |g, p, y| {
                *g = (clip(p) - y) / (clip(p) * (1.0 - clip(p))) / nk
            }),
            Loss::CategoricalCrossEntropy => {
                zip3(grad, pred, target, |g, p, y| *g = -y / clip(p) / n)
            }
            Loss::SparseCategoricalCrossEntropy => {
                grad.fill(0.0);
                for (r, &label) in target.column(0).iter().enumerate() {
                    let c = label as usize;
                    grad[[r, c]] = -1.0 / clip(pred[[r, c]]) / n;
                }
            }
        }
    }

    /// ∂L/∂z for the output layer, where backprop starts: the fused
    /// `(ŷ − y) / rows` for sigmoid + binary CE and softmax + the categorical
    /// cross-entropies, otherwise ∂L/∂ŷ passed back through the activation.
    ///
    /// ```
    /// use nn::prelude::*;
    /// let (p, y) = (array![[0.9]], array![[1.0]]);
    /// let mut fused = Array2::zeros((1, 1));
    /// Loss::BinaryCrossEntropy.output_delta(Activation::Sigmoid, &p, &y, fused.view_mut());
    /// let mut chained = Loss::BinaryCrossEntropy.gradient(&p, &y);
    /// Activation::Sigmoid.backward_in_place(p.view(), chained.view_mut());
    /// assert!((fused[[0, 0]] - chained[[0, 0]]).abs() < 1e-15);
    /// ```
    pub fn output_delta(
        self,
        activation: Activation,
        pred: &Array2<f64>,
        target: &Array2<f64>,
        mut delta: ArrayViewMut2<f64>,
    ) {
        match (activation, self) {
            (Activation::Sigmoid, Loss::BinaryCrossEntropy) => {
                let nk = pred.len() as f64;
                zip3(delta, pred.view(), target.view(), |d, p, y| {
                    *d = (p - y) / nk
                });
            }
            (Activation::Softmax, Loss::CategoricalCrossEntropy) => {
                let n = pred.nrows() as f64;
                zip3(delta, pred.view(), target.view(), |d, p, y| {
                    *d = (p - y) / n
                });
            }
            (Activation::Softmax, Loss::SparseCategoricalCrossEntropy) => {
                // (ŷ − one_hot(label)) / n, written so that it equals the
                // one-hot computation above to the last bit.
                let n = pred.nrows() as f64;
                for ((mut d, p), &label) in delta
                    .outer_iter_mut()
                    .zip(pred.outer_iter())
                    .zip(target.column(0))
                {
                    for (c, (d, &p)) in d.iter_mut().zip(p).enumerate() {
                        let y = if c == label as usize { 1.0 } else { 0.0 };
                        *d = (p - y) / n;
                    }
                }
            }
            _ => {
                self.gradient_into(pred, target, delta.view_mut());
                activation.backward_in_place(pred.view(), delta);
            }
        }
    }

    /// Checks that this loss can follow an output layer with `activation`
    /// and `outputs` units.
    ///
    /// ```
    /// use nn::prelude::*;
    /// let err = Loss::SparseCategoricalCrossEntropy.check_output(Activation::Sigmoid, 3).unwrap_err();
    /// assert!(err.to_string().contains("use a softmax output layer"));
    /// ```
    pub fn check_output(self, activation: Activation, outputs: usize) -> Result<()> {
        let incompatible = |hint| {
            Err(Error::Incompatible {
                loss: self.name(),
                activation: activation.name(),
                hint,
            })
        };
        match (self, activation) {
            (Loss::BinaryCrossEntropy, Activation::Sigmoid | Activation::Softmax) => Ok(()),
            (Loss::BinaryCrossEntropy, _) => incompatible(
                "it takes ln ŷ and ln(1 − ŷ), which need 0 < ŷ < 1; use a sigmoid output layer",
            ),
            (Loss::CategoricalCrossEntropy | Loss::SparseCategoricalCrossEntropy, Activation::Softmax) => {
                if outputs < 2 {
                    incompatible("a softmax over one unit is always 1; give the output layer one unit per class")
                } else {
                    Ok(())
                }
            }
            (Loss::CategoricalCrossEntropy | Loss::SparseCategoricalCrossEntropy, _) => incompatible(
                "it compares a probability distribution over classes; use a softmax output layer with one unit per class",
            ),
            (Loss::Mse | Loss::Mae, _) => Ok(()),
        }
    }

    /// Checks that `target` suits this loss and an output of `outputs` units:
    /// the width, labels that are whole numbers below `outputs` for the sparse
    /// loss, and values in [0, 1] for the cross-entropies.
    ///
    /// ```
    /// use nn::prelude::*;
    /// let err = Loss::SparseCategoricalCrossEntropy.check_targets(&array![[3.0]], 3).unwrap_err();
    /// assert!(err.to_string().contains("label 3 at row 0"));
    /// ```
    pub fn check_targets(self, target: &Array2<f64>, outputs: usize) -> Result<()> {
        if self.wants_labels() {
            if target.ncols() != 1 {
                return Err(Error::Data(format!(
                    "{} takes one column of class labels, but the targets are {}; \
                     pass labels 0..{outputs} or use categorical_crossentropy for one-hot targets",
                    self.name(),
                    shape_of(target.nrows(), target.ncols())
                )));
            }
            for (r, &label) in target.column(0).iter().enumerate() {
                if label < 0.0 || label.fract() != 0.0 || label >= outputs as f64 {
                    return Err(Error::Data(format!(
                        "label {label} at row {r} is not a class of this network: labels must be whole numbers from 0 to {}",
                        outputs - 1
                    )));
                }
            }
            return Ok(());
        }
        if target.ncols() != outputs {
            return Err(Error::Shape {
                context: format!("the targets for {}", self.name()),
                expected: format!("(rows, {outputs})"),
                got: shape_of(target.nrows(), target.ncols()),
                hint: format!(
                    "the output layer has {outputs} units; give each target row {outputs} values{}",
                    if outputs > 1 && target.ncols() == 1 {
                        " (for class labels use data::one_hot or sparse_categorical_crossentropy)"
                    } else {
                        ""
                    }
                ),
            });
        }
        if matches!(
            self,
            Loss::BinaryCrossEntropy | Loss::CategoricalCrossEntropy
        ) {
            if let Some(((r, c), v)) = target
                .indexed_iter()
                .find(|(_, v)| !(0.0..=1.0).contains(*v))
            {
                return Err(Error::Data(format!(
                    "{} needs targets in [0, 1], but row {r}, column {c} is {v}; \
                     scale the targets or use mse for values outside [0, 1]",
                    self.name()
                )));
            }
        }
        Ok(())
    }

    /// The share of rows predicted right, for the classification losses:
    /// ŷ ≥ 0.5 against y ≥ 0.5 for binary CE (every output), the largest
    /// output against the one-hot target or the label for the categorical
    /// ones. `None` for the regression losses.
    ///
    /// ```
    /// use nn::prelude::*;
    /// let acc = Loss::BinaryCrossEntropy.accuracy(&array![[0.9], [0.2]], &array![[1.0], [1.0]]);
    /// assert_eq!(acc, Some(0.5));
    /// ```
    pub fn accuracy(self, pred: &Array2<f64>, target: &Array2<f64>) -> Option<f64> {
        let argmax = |row: ndarray::ArrayView1<f64>| {
            row.iter()
                .enumerate()
                .fold((0, f64::NEG_INFINITY), |best, (i, &v)| {
                    if v > best.1 {
                        (i, v)
                    } else {
                        best
                    }
                })
                .0
        };
        let hits = match self {
            Loss::Mse | Loss::Mae => return None,
            Loss::BinaryCrossEntropy => {
                let right = Zip::from(pred).and(target).fold(0usize, |s, &p, &y| {
                    s + usize::from((p >= 0.5) == (y >= 0.5))
                });
                return Some(right as f64 / pred.len() as f64);
            }
            Loss::CategoricalCrossEntropy => pred
                .outer_iter()
                .zip(target.outer_iter())
                .filter(|(p, y)| argmax(p.view()) == argmax(y.view()))
                .count(),
            Loss::SparseCategoricalCrossEntropy => pred
                .outer_iter()
                .zip(target.column(0))
                .filter(|(p, &label)| argmax(p.view()) == label as usize)
                .count(),
        };
        Some(hits as f64 / pred.nrows() as f64)
    }
}

impl std::fmt::Display for Loss {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn values_checked_by_hand() {
        let p = array![[0.8, 0.1], [0.3, 0.6]];
        let y = array![[1.0, 0.0], [0.0, 1.0]];
        // (0.04 + 0.01 + 0.09 + 0.16) / 4
        assert!((Loss::Mse.value(&p, &y) - 0.075).abs() < 1e-15);
        // (0.2 + 0.1 + 0.3 + 0.4) / 4
        assert!((Loss::Mae.value(&p, &y) - 0.25).abs() < 1e-15);
        // −(ln 0.8 + ln 0.9 + ln 0.7 + ln 0.6) / 4
        let bce = -(0.8f64.ln() + 0.9f64.ln() + 0.7f64.ln() + 0.6f64.ln()) / 4.0;
        assert!((Loss::BinaryCrossEntropy.value(&p, &y) - bce).abs() < 1e-15);
        // −(ln 0.8 + ln 0.6) / 2
        let cce = -(0.8f64.ln() + 0.6f64.ln()) / 2.0;
        assert!((Loss::CategoricalCrossEntropy.value(&p, &y) - cce).abs() < 1e-15);
        let labels = array![[0.0], [1.0]];
        assert!((Loss::SparseCategoricalCrossEntropy.value(&p, &labels) - cce).abs() < 1e-15);
    }

    #[test]
    fn cross_entropies_stay_finite_at_exactly_zero_and_one() {
        let p = array![[0.0, 1.0]];
        let y = array![[1.0, 0.0]];
        for loss in [Loss::BinaryCrossEntropy, Loss::CategoricalCrossEntropy] {
            assert!(loss.value(&p, &y).is_finite(), "{loss}");
            assert!(
                loss.gradient(&p, &y).iter().all(|g| g.is_finite()),
                "{loss}"
            );
        }
        let sparse = Loss::SparseCategoricalCrossEntropy;
        assert!(sparse.value(&p, &array![[0.0]]).is_finite());
    }

    #[test]
    fn logits_give_the_unclipped_loss() {
        // A sigmoid saturated to exactly 1.0 for a target of 0: the true loss is ≈ z.
        let z = array![[50.0]];
        let p = Activation::Sigmoid.apply(&z);
        let l =
            Loss::BinaryCrossEntropy.value_at_output(Activation::Sigmoid, &z, &p, &array![[0.0]]);
        assert!((l - 50.0).abs() < 1e-12);
        let zs = array![[1.0, 2.0, 3.0]];
        let ps = Activation::Softmax.apply(&zs);
        let a = Loss::SparseCategoricalCrossEntropy.value_at_output(
            Activation::Softmax,
            &zs,
            &ps,
            &array![[2.0]],
        );
        assert!((a - 0.4076059644443803).abs() < 1e-14);
    }

    #[test]
    fn fused_softmax_delta_matches_the_chain_rule() {
        let z = array![[0.2, -0.4, 1.1], [2.0, 0.0, -1.0]];
        let p = Activation::Softmax.apply(&z);
        let y = array![[0.0, 0.0, 1.0], [1.0, 0.0, 0.0]];
        let mut fused = Array2::zeros(p.raw_dim());
        Loss::CategoricalCrossEntropy.output_delta(Activation::Softmax, &p, &y, fused.view_mut());
        let mut chained = Loss::CategoricalCrossEntropy.gradient(&p, &y);
        Activation::Softmax.backward_in_place(p.view(), chained.view_mut());
        for (a, b) in fused.iter().zip(chained.iter()) {
            assert!((a - b).abs() < 1e-15);
        }
        let mut sparse = Array2::zeros(p.raw_dim());
        Loss::SparseCategoricalCrossEntropy.output_delta(
            Activation::Softmax,
            &p,
            &array![[2.0], [0.0]],
            sparse.view_mut(),
        );
        assert_eq!(sparse, fused);
    }

    #[test]
    fn bad_pairs_and_targets_are_named() {
        let e = Loss::BinaryCrossEntropy
            .check_output(Activation::Identity, 1)
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "binary_crossentropy cannot follow an output layer with identity: it takes ln ŷ and ln(1 − ŷ), which need 0 < ŷ < 1; use a sigmoid output layer"
        );
        assert!(Loss::Mse.check_output(Activation::Softmax, 3).is_ok());
        let e = Loss::BinaryCrossEntropy
            .check_targets(&array![[1.5]], 1)
            .unwrap_err();
        assert!(e
            .to_string()
            .contains("needs targets in [0, 1], but row 0, column 0 is 1.5"));
        let e = Loss::Mse.check_targets(&array![[1.0, 2.0]], 1).unwrap_err();
        assert!(e.to_string().contains("expected (rows, 1), got (1, 2)"));
        let e = Loss::SparseCategoricalCrossEntropy
            .check_targets(&array![[0.5]], 3)
            .unwrap_err();
        assert!(e.to_string().contains("label 0.5 at row 0"));
    }
}
