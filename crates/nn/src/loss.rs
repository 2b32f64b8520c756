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
//! CE both give ∂L/∂z = (ŷ − y) / rows (per output for binary CE, nk), which
//! [`Loss::output_delta`] uses directly: exact, cheaper, and free of the
//! division by ŷ (1 − ŷ).
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

use ndarray::{Array2, Axis};

use crate::activation::Activation;
use crate::data::argmax;
use crate::error::{count, Error, Result, Shape};
use crate::network::ForwardPass;

/// Predictions are clipped to [EPS, 1 − EPS] before a logarithm.
pub(crate) const EPS: f64 = 1e-12;

/// ŷ clipped to [ε, 1 − ε], so that ln ŷ and ln(1 − ŷ) stay finite.
fn clip(p: f64) -> f64 {
    p.clamp(EPS, 1.0 - EPS)
}

/// A loss function: value and gradient.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "files", derive(serde::Serialize, serde::Deserialize))]
pub enum Loss {
    /// Mean squared error: the original notebook's "에러".
    #[cfg_attr(feature = "files", serde(rename = "mse"))]
    Mse,
    /// Mean absolute error.
    #[cfg_attr(feature = "files", serde(rename = "mae"))]
    Mae,
    /// Binary cross-entropy, for outputs that are probabilities in (0, 1).
    #[cfg_attr(feature = "files", serde(rename = "binary_crossentropy"))]
    BinaryCrossEntropy,
    /// Categorical cross-entropy, with one-hot (or soft) targets, n × classes.
    #[cfg_attr(feature = "files", serde(rename = "categorical_crossentropy"))]
    CategoricalCrossEntropy,
    /// Categorical cross-entropy with integer class labels, n × 1.
    #[cfg_attr(feature = "files", serde(rename = "sparse_categorical_crossentropy"))]
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
    ///
    /// ```
    /// assert!(!nn::loss::Loss::Mse.is_classification());
    /// ```
    pub fn is_classification(self) -> bool {
        !matches!(self, Loss::Mse | Loss::Mae)
    }

    /// Whether the targets are class labels, one column of 0, 1, 2, ….
    ///
    /// ```
    /// assert!(nn::loss::Loss::SparseCategoricalCrossEntropy.wants_labels());
    /// ```
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
        match self {
            Loss::Mse => (pred - target).mapv(|d| d * d).sum() / nk,
            Loss::Mae => (pred - target).mapv(f64::abs).sum() / nk,
            Loss::BinaryCrossEntropy => {
                let ln_p = pred.mapv(|p| clip(p).ln());
                let ln_not_p = pred.mapv(|p| (1.0 - clip(p)).ln());
                -(target * &ln_p + (1.0 - target) * &ln_not_p).sum() / nk
            }
            Loss::CategoricalCrossEntropy => -(target * &pred.mapv(|p| clip(p).ln())).sum() / n,
            Loss::SparseCategoricalCrossEntropy => {
                let right: f64 = pred
                    .rows()
                    .into_iter()
                    .zip(target.column(0))
                    .map(|(row, &label)| clip(row[label as usize]).ln())
                    .sum();
                -right / n
            }
        }
    }

    /// L of a forward pass, computed from the output layer's weighted sum z
    /// where that is more exact than from ŷ: binary CE after a sigmoid as
    /// max(z, 0) − z·y + ln(1 + e^−|z|), the categorical cross-entropies
    /// after a softmax through log-softmax, ln Σ eᶻ − z. These never need
    /// the clip, so a confident wrong answer costs what it really costs.
    /// Other pairs use [`value`](Loss::value).
    ///
    /// ```
    /// use nn::prelude::*;
    /// let net = Network::from_layers(vec![Dense::new(array![[50.0]], None, Activation::Sigmoid)?])?;
    /// let pass = net.forward(&array![[1.0]])?;
    /// assert_eq!(pass.output()[[0, 0]], 1.0); // the sigmoid has rounded to 1
    /// let l = Loss::BinaryCrossEntropy.value_of(&pass, Activation::Sigmoid, &array![[0.0]]);
    /// assert!((l - 50.0).abs() < 1e-12); // −ln(1 − σ(50)) ≈ 50, not the clip's 27.6
    /// # Ok::<(), nn::Error>(())
    /// ```
    pub fn value_of(self, pass: &ForwardPass, activation: Activation, target: &Array2<f64>) -> f64 {
        let Some(last) = pass.layers.last() else {
            return self.value(pass.output(), target);
        };
        let (z, n) = (&last.z, last.z.nrows() as f64);
        match (activation, self) {
            (Activation::Sigmoid, Loss::BinaryCrossEntropy) => {
                let per_output = z.mapv(|z| z.max(0.0) + (-z.abs()).exp().ln_1p()) - z * target;
                per_output.sum() / z.len() as f64
            }
            (Activation::Softmax, Loss::CategoricalCrossEntropy) => {
                (target * &log_sum_exp_minus(z)).sum() / n
            }
            (Activation::Softmax, Loss::SparseCategoricalCrossEntropy) => {
                let minus_log_p = log_sum_exp_minus(z);
                let wrong: f64 = target
                    .column(0)
                    .iter()
                    .enumerate()
                    .map(|(r, &label)| minus_log_p[[r, label as usize]])
                    .sum();
                wrong / n
            }
            _ => self.value(&last.a, target),
        }
    }

    /// ∂L/∂ŷ, the same shape as `pred` (see the table in the module docs).
    ///
    /// MAE's slope is sign(ŷ − y): ±1/nk however far off, and 0 exactly at
    /// the target, where |x| has no slope and 0 is the usual choice.
    ///
    /// ```
    /// use nn::prelude::*;
    /// let g = Loss::Mae.gradient(&array![[0.5, 2.0, 1.0]], &array![[1.0, 1.0, 1.0]]);
    /// assert_eq!(g, array![[-1.0 / 3.0, 1.0 / 3.0, 0.0]]);
    /// ```
    pub fn gradient(self, pred: &Array2<f64>, target: &Array2<f64>) -> Array2<f64> {
        let n = pred.nrows() as f64;
        let nk = pred.len() as f64;
        match self {
            Loss::Mse => 2.0 * (pred - target) / nk,
            Loss::Mae => (pred - target).mapv(sign) / nk,
            Loss::BinaryCrossEntropy => {
                let p = pred.mapv(clip);
                (&p - target) / (&p * &(1.0 - &p)) / nk
            }
            Loss::CategoricalCrossEntropy => -target / pred.mapv(clip) / n,
            Loss::SparseCategoricalCrossEntropy => {
                let mut grad = Array2::zeros(pred.raw_dim());
                for (r, &label) in target.column(0).iter().enumerate() {
                    let c = label as usize;
                    grad[[r, c]] = -1.0 / clip(pred[[r, c]]) / n;
                }
                grad
            }
        }
    }

    /// δᴸ = ∂L/∂z for the output layer, where backprop starts.
    ///
    /// For sigmoid + binary CE and softmax + the categorical cross-entropies
    /// the activation's slope cancels against the loss's, leaving
    /// **δ = (ŷ − y) / n** (n·k for binary CE, which averages over every
    /// output); every other pair takes the chain rule, ∂L/∂ŷ passed back
    /// through the activation.
    ///
    /// ```
    /// use nn::prelude::*;
    /// let (p, y) = (array![[0.9]], array![[1.0]]);
    /// let fused = Loss::BinaryCrossEntropy.output_delta(Activation::Sigmoid, &p, &y);
    /// let chained = Activation::Sigmoid.backward(&p, &Loss::BinaryCrossEntropy.gradient(&p, &y));
    /// assert!((fused[[0, 0]] - chained[[0, 0]]).abs() < 1e-15);
    /// ```
    pub fn output_delta(
        self,
        activation: Activation,
        pred: &Array2<f64>,
        target: &Array2<f64>,
    ) -> Array2<f64> {
        let n = pred.nrows() as f64;
        match (activation, self) {
            (Activation::Sigmoid, Loss::BinaryCrossEntropy) => (pred - target) / pred.len() as f64,
            (Activation::Softmax, Loss::CategoricalCrossEntropy) => (pred - target) / n,
            (Activation::Softmax, Loss::SparseCategoricalCrossEntropy) => {
                let mut one_hot = Array2::zeros(pred.raw_dim());
                for (r, &label) in target.column(0).iter().enumerate() {
                    one_hot[[r, label as usize]] = 1.0;
                }
                (pred - &one_hot) / n
            }
            _ => activation.backward(pred, &self.gradient(pred, target)),
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
                return Err(Error::Shape {
                    context: format!("the targets for {}", self.name()),
                    expected: Shape::new(None, Some(1)),
                    got: target.dim(),
                    hint: format!(
                        "it takes one column of class labels 0..{outputs}; \
                         use categorical_crossentropy for one-hot targets"
                    ),
                });
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
                expected: Shape::new(None, Some(outputs)),
                got: target.dim(),
                hint: format!(
                    "the output layer has {}; give each target row {}{}",
                    count(outputs, "unit", "units"),
                    count(outputs, "value", "values"),
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
        let hits = match self {
            Loss::Mse | Loss::Mae => return None,
            Loss::BinaryCrossEntropy => {
                let right = pred
                    .iter()
                    .zip(target)
                    .filter(|(&p, &y)| (p >= 0.5) == (y >= 0.5))
                    .count();
                return Some(right as f64 / pred.len() as f64);
            }
            Loss::CategoricalCrossEntropy => pred
                .rows()
                .into_iter()
                .zip(target.rows())
                .filter(|(p, y)| argmax(p) == argmax(y))
                .count(),
            Loss::SparseCategoricalCrossEntropy => pred
                .rows()
                .into_iter()
                .zip(target.column(0))
                .filter(|(p, &label)| argmax(p) as f64 == label)
                .count(),
        };
        Some(hits as f64 / pred.nrows() as f64)
    }
}

/// sign(x) with sign(0) = 0 (Rust's `signum` gives 1 for +0).
fn sign(x: f64) -> f64 {
    if x > 0.0 {
        1.0
    } else if x < 0.0 {
        -1.0
    } else {
        0.0
    }
}

/// −ln softmax(z) row by row: ln Σⱼ e^zⱼ − zᵢ, with each row's maximum m
/// taken out first (ln Σ e^(z−m) + m) so that no exponential overflows.
fn log_sum_exp_minus(z: &Array2<f64>) -> Array2<f64> {
    let max = z.map_axis(Axis(1), |row| row.fold(f64::NEG_INFINITY, |m, &v| m.max(v)));
    let shifted = z - &max.view().insert_axis(Axis(1));
    let log_sum = shifted.mapv(f64::exp).sum_axis(Axis(1)).mapv(f64::ln) + &max;
    -z + &log_sum.insert_axis(Axis(1))
}

impl std::fmt::Display for Loss {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// A loss by its [`name`](Loss::name), or by a short form: `bce`, `cce`,
/// `sparse_cce`.
///
/// ```
/// use nn::loss::Loss;
/// assert_eq!("mae".parse::<Loss>()?, Loss::Mae);
/// assert_eq!("bce".parse::<Loss>()?, Loss::BinaryCrossEntropy);
/// assert!("hinge".parse::<Loss>().unwrap_err().to_string().starts_with("invalid loss = hinge: it must be one of mse, mae,"));
/// # Ok::<(), nn::Error>(())
/// ```
impl std::str::FromStr for Loss {
    type Err = Error;

    fn from_str(name: &str) -> Result<Loss> {
        match name {
            "bce" => Ok(Loss::BinaryCrossEntropy),
            "cce" => Ok(Loss::CategoricalCrossEntropy),
            "sparse_cce" => Ok(Loss::SparseCategoricalCrossEntropy),
            _ => Loss::from_name(name).ok_or_else(|| Error::InvalidParameter {
                name: "loss",
                value: name.to_string(),
                valid: "one of mse, mae, binary_crossentropy (bce), categorical_crossentropy \
                        (cce), sparse_categorical_crossentropy (sparse_cce)",
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn every_loss_name_gives_back_its_loss() {
        for loss in Loss::ALL {
            assert_eq!(Loss::from_name(loss.name()), Some(loss), "{}", loss.name());
        }
        assert_eq!(Loss::from_name("rmse"), None);
    }

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
        let pass_of = |z: Array2<f64>, f: Activation| ForwardPass {
            input: Array2::zeros((z.nrows(), 0)),
            layers: vec![crate::network::LayerPass { a: f.apply(&z), z }],
        };
        let pass = pass_of(array![[50.0]], Activation::Sigmoid);
        let l = Loss::BinaryCrossEntropy.value_of(&pass, Activation::Sigmoid, &array![[0.0]]);
        assert!((l - 50.0).abs() < 1e-12);
        let pass = pass_of(array![[1.0, 2.0, 3.0]], Activation::Softmax);
        let a = Loss::SparseCategoricalCrossEntropy.value_of(
            &pass,
            Activation::Softmax,
            &array![[2.0]],
        );
        assert!((a - 0.4076059644443803).abs() < 1e-14);
        let one_hot = Loss::CategoricalCrossEntropy.value_of(
            &pass,
            Activation::Softmax,
            &array![[0.0, 0.0, 1.0]],
        );
        assert_eq!(one_hot, a);
    }

    #[test]
    fn fused_softmax_delta_matches_the_chain_rule() {
        let z = array![[0.2, -0.4, 1.1], [2.0, 0.0, -1.0]];
        let p = Activation::Softmax.apply(&z);
        let y = array![[0.0, 0.0, 1.0], [1.0, 0.0, 0.0]];
        let fused = Loss::CategoricalCrossEntropy.output_delta(Activation::Softmax, &p, &y);
        let chained =
            Activation::Softmax.backward(&p, &Loss::CategoricalCrossEntropy.gradient(&p, &y));
        for (a, b) in fused.iter().zip(chained.iter()) {
            assert!((a - b).abs() < 1e-15);
        }
        let sparse = Loss::SparseCategoricalCrossEntropy.output_delta(
            Activation::Softmax,
            &p,
            &array![[2.0], [0.0]],
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
