//! The original Python notebook's network (NN0 … NN6), replayed exactly.
//!
//! The original builds a 2-3-1 sigmoid network without biases in NumPy, one
//! class at a time, and trains it for 10 000 iterations on the three
//! students of [`data::study_sleep`](crate::data::study_sleep). This module
//! ports it line for line, so that every number it printed can be printed
//! again here, and so that its two departures from the true gradient can be
//! looked at:
//!
//! ```python
//! self.o_delta = self.o_error * self.sigmoidPrime(o)                   # o is already sigmoid(output_sum)
//! self.z2_delta = self.z2_error * self.sigmoidPrime(self.output_sum)   # the hidden layer's sum belongs here
//! ```
//!
//! [`Rule::AsWritten`] keeps both; [`Rule::TrueGradient`] uses
//! `sigmoidPrime(output_sum)` and `sigmoidPrime(hidden_sum)`, which is
//! gradient descent with learning rate 1 on ½ Σ (y − ŷ)².
//!
//! Shapes: X 3 × 2, w1 2 × 3, hidden_sum and activated_hidden 3 × 3,
//! w2 3 × 1, output_sum and activated_output 3 × 1.
//!
//! ```
//! use nn::original::{OriginalNetwork, Rule};
//!
//! let data = nn::data::study_sleep();
//! let mut net = OriginalNetwork::new();
//! let first = net.feed_forward(&data.x);
//! assert_eq!(first[[0, 0]], 0.5661111126725767); // the original's first 예측
//! net.train(&data.x, &data.y, Rule::AsWritten);
//! ```

use std::fmt::Write as _;

use ndarray::Array2;

use crate::activation::Activation;
use crate::error::Result;
use crate::init::NumpyRng;
use crate::layer::Dense;
use crate::network::{Gradients, Network};
use crate::train::Schedule;

/// Which update rule `backward` applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// The original's code as written: `sigmoidPrime(o)` at the output and
    /// `sigmoidPrime(output_sum)` at the hidden layer.
    AsWritten,
    /// The chain rule: `sigmoidPrime(output_sum)` and `sigmoidPrime(hidden_sum)`.
    TrueGradient,
}

/// NN6: the original's network with its state after the last forward pass.
#[derive(Debug, Clone, PartialEq)]
pub struct OriginalNetwork {
    /// Layer 1 weights, 2 × 3.
    pub w1: Array2<f64>,
    /// Layer 2 weights, 3 × 1.
    pub w2: Array2<f64>,
    /// X · w1, 3 × 3.
    pub hidden_sum: Array2<f64>,
    /// sigmoid(hidden_sum), 3 × 3.
    pub activated_hidden: Array2<f64>,
    /// activated_hidden · w2, 3 × 1.
    pub output_sum: Array2<f64>,
    /// sigmoid(output_sum), 3 × 1: the prediction.
    pub activated_output: Array2<f64>,
}

impl Default for OriginalNetwork {
    fn default() -> Self {
        Self::new()
    }
}

impl OriginalNetwork {
    /// The weights the original trained: `np.random.seed(42)`, 45 draws used
    /// up by the five networks it built before, then `w1 = randn(2, 3)` and
    /// `w2 = randn(3, 1)`.
    pub fn new() -> Self {
        Self::from_rng(&mut NumpyRng::new(42).skip_normals(45))
    }

    /// Draws `w1` then `w2` from `rng`, as NN1's `__init__` does.
    pub fn from_rng(rng: &mut NumpyRng) -> Self {
        let w1 = rng.randn_matrix(2, 3);
        let w2 = rng.randn_matrix(3, 1);
        OriginalNetwork {
            w1,
            w2,
            hidden_sum: Array2::zeros((0, 3)),
            activated_hidden: Array2::zeros((0, 3)),
            output_sum: Array2::zeros((0, 1)),
            activated_output: Array2::zeros((0, 1)),
        }
    }

    /// NN2's `sigmoid`: 1 / (1 + e⁻ˢ), element by element.
    pub fn sigmoid(s: &Array2<f64>) -> Array2<f64> {
        s.mapv(|v| 1.0 / (1.0 + (-v).exp()))
    }

    /// NN4's `sigmoidPrime`: σ(s)(1 − σ(s)). It expects the weighted sum s,
    /// not σ(s); the original's first slip is to pass it σ(s).
    pub fn sigmoid_prime(s: &Array2<f64>) -> Array2<f64> {
        let sx = Self::sigmoid(s);
        &sx * &(1.0 - &sx)
    }

    /// NN3's `feed_forward`: keeps every intermediate and returns the prediction.
    pub fn feed_forward(&mut self, x: &Array2<f64>) -> Array2<f64> {
        self.hidden_sum = x.dot(&self.w1);
        self.activated_hidden = Self::sigmoid(&self.hidden_sum);
        self.output_sum = self.activated_hidden.dot(&self.w2);
        self.activated_output = Self::sigmoid(&self.output_sum);
        self.activated_output.clone()
    }

    /// NN5's `backward`: adds the update to `w1` and `w2` (learning rate 1).
    pub fn backward(&mut self, x: &Array2<f64>, y: &Array2<f64>, o: &Array2<f64>, rule: Rule) {
        let (dw1, dw2) = self.updates(x, y, o, rule);
        self.w1 += &dw1;
        self.w2 += &dw2;
    }

    /// What `backward` would add to `w1` (2 × 3) and `w2` (3 × 1), after a
    /// forward pass that gave `o`.
    pub fn updates(
        &self,
        x: &Array2<f64>,
        y: &Array2<f64>,
        o: &Array2<f64>,
        rule: Rule,
    ) -> (Array2<f64>, Array2<f64>) {
        let o_error = y - o;
        let o_delta = match rule {
            Rule::AsWritten => &o_error * &Self::sigmoid_prime(o),
            Rule::TrueGradient => &o_error * &Self::sigmoid_prime(&self.output_sum),
        };
        let z2_error = o_delta.dot(&self.w2.t());
        let z2_delta = match rule {
            Rule::AsWritten => &z2_error * &Self::sigmoid_prime(&self.output_sum),
            Rule::TrueGradient => &z2_error * &Self::sigmoid_prime(&self.hidden_sum),
        };
        (
            x.t().dot(&z2_delta),
            self.activated_hidden.t().dot(&o_delta),
        )
    }

    /// The gradient a rule follows: minus its update, as [`Gradients`] of the
    /// matching [`Network`], ready for [`gradcheck::compare`](crate::gradcheck::compare)
    /// against the finite differences of ½ Σ (y − ŷ)².
    ///
    /// ```
    /// use nn::original::{OriginalNetwork, Rule};
    /// let d = nn::data::study_sleep();
    /// let g = OriginalNetwork::new().gradients(&d.x, &d.y, Rule::AsWritten);
    /// assert_eq!(g.layers[0].weights.dim(), (2, 3));
    /// ```
    pub fn gradients(&self, x: &Array2<f64>, y: &Array2<f64>, rule: Rule) -> Gradients {
        let mut net = self.clone();
        let o = net.feed_forward(x);
        let (dw1, dw2) = net.updates(x, y, &o, rule);
        Gradients::from_weights(vec![-dw1, -dw2])
    }

    /// NN6's `train`: one iteration, a forward pass and an update.
    pub fn train(&mut self, x: &Array2<f64>, y: &Array2<f64>, rule: Rule) {
        let o = self.feed_forward(x);
        self.backward(x, y, &o, rule);
    }

    /// The same weights as this crate's [`Network`]: two sigmoid layers
    /// without bias.
    pub fn to_network(&self) -> Result<Network> {
        Network::from_layers(vec![
            Dense::new(self.w1.clone(), None, Activation::Sigmoid)?,
            Dense::new(self.w2.clone(), None, Activation::Sigmoid)?,
        ])
    }
}

/// One logged iteration: the prediction and its mean squared error, both
/// measured before that iteration's update.
#[derive(Debug, Clone, PartialEq)]
pub struct LogEntry {
    /// The iteration, from 1.
    pub epoch: usize,
    /// 예측: the prediction, 3 × 1.
    pub prediction: Array2<f64>,
    /// 에러: `np.mean(np.square(y - prediction))`.
    pub mse: f64,
}

/// The original's training cell: `iterations` iterations, logging the
/// iterations `schedule` names, then the network as it ended.
pub fn replay(
    rule: Rule,
    iterations: usize,
    schedule: &Schedule,
) -> (Vec<LogEntry>, OriginalNetwork) {
    let data = crate::data::study_sleep();
    let mut net = OriginalNetwork::new();
    let mut log = Vec::new();
    for i in 0..iterations {
        if schedule.includes(i + 1) {
            let prediction = net.feed_forward(&data.x);
            let mse = (&data.y - &prediction)
                .mapv(|e| e * e)
                .mean()
                .unwrap_or(f64::NAN);
            log.push(LogEntry {
                epoch: i + 1,
                prediction,
                mse,
            });
        }
        net.train(&data.x, &data.y, rule);
    }
    (log, net)
}

/// The log as the original printed it: for each entry a
/// `+---------EPOCH n---------+` header, then 입력, 타겟출력, 예측 and 에러.
pub fn format_log(log: &[LogEntry]) -> String {
    let data = crate::data::study_sleep();
    let mut out = String::new();
    for entry in log {
        let _ = writeln!(
            out,
            "+{}EPOCH {}{}+",
            "---".repeat(3),
            entry.epoch,
            "---".repeat(3)
        );
        let _ = writeln!(out, "입력: \n {}", numpy_str(&data.x));
        let _ = writeln!(out, "타겟출력: \n {}", numpy_str(&data.y));
        let _ = writeln!(out, "예측: \n {}", numpy_str(&entry.prediction));
        let _ = writeln!(out, "에러: \n {}", entry.mse);
    }
    out
}

/// The original's last cell: w1, hidden_sum, activated_hidden, w2 and
/// activated_output, each followed by a `---------` line.
pub fn format_state(net: &OriginalNetwork) -> String {
    let mut out = String::new();
    for (name, m) in [
        ("w1", &net.w1),
        ("hidden_sum", &net.hidden_sum),
        ("activated_hidden", &net.activated_hidden),
        ("w2", &net.w2),
        ("activated_output", &net.activated_output),
    ] {
        let _ = writeln!(out, "{name}\n {} \n{}", numpy_str(m), "---".repeat(3));
    }
    out
}

/// A matrix printed as `str(np.ndarray)` prints it with NumPy's defaults:
/// at most 8 decimals, trailing zeros dropped, columns aligned on the point.
///
/// ```
/// use nn::ndarray::array;
/// let s = nn::original::numpy_str(&array![[1.0, 1.0], [0.25, 0.625], [0.875, 0.75]]);
/// assert_eq!(s, "[[1.    1.   ]\n [0.25  0.625]\n [0.875 0.75 ]]");
/// ```
///
/// It covers the numbers the original prints (between 10⁻⁴ and 10⁸ in
/// size); NumPy switches to scientific notation outside that range.
pub fn numpy_str(m: &Array2<f64>) -> String {
    let parts: Vec<(String, String)> = m
        .iter()
        .map(|v| {
            let fixed = format!("{v:.8}");
            let trimmed = fixed.trim_end_matches('0');
            let (int, frac) = trimmed.split_once('.').unwrap_or((trimmed, ""));
            (int.to_string(), frac.to_string())
        })
        .collect();
    let left = parts.iter().map(|(i, _)| i.len()).max().unwrap_or(0);
    let right = parts.iter().map(|(_, f)| f.len()).max().unwrap_or(0);
    let cells: Vec<String> = parts
        .iter()
        .map(|(i, f)| format!("{i:>left$}.{f:<right$}"))
        .collect();
    let rows: Vec<String> = cells
        .chunks(m.ncols().max(1))
        .map(|row| format!("[{}]", row.join(" ")))
        .collect();
    format!("[{}]", rows.join("\n "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn numpy_str_aligns_signs_and_points() {
        let m = array![[
            -0.5383037781140534,
            -0.37420207385149834,
            1.7146701211384157
        ]];
        assert_eq!(numpy_str(&m), "[[-0.53830378 -0.37420207  1.71467012]]");
        assert_eq!(
            numpy_str(&array![[0.5515955021750101], [0.5]]),
            "[[0.5515955]\n [0.5      ]]"
        );
    }

    #[test]
    fn the_true_gradient_rule_is_gradient_descent_on_half_the_squared_error() {
        // ½ Σ (y − ŷ)² = (rows · outputs / 2) · MSE, so lr 1 there is lr 1.5 on MSE.
        use crate::prelude::*;
        let data = data::study_sleep();
        let (log, original) = replay(Rule::TrueGradient, 50, &Schedule::Never);
        assert!(log.is_empty());
        let mut net = OriginalNetwork::new().to_network().unwrap();
        Trainer::new(Loss::Mse, Optimizer::gd(1.5))
            .epochs(50)
            .fit(&mut net, &data)
            .unwrap();
        for (a, b) in net.layers[0].weights.iter().zip(&original.w1) {
            assert!((a - b).abs() < 1e-12);
        }
    }
}
