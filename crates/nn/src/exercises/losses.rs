//! Loss functions (notebook 3): MAE's gradient, binary cross-entropy, the softmax + cross-entropy delta.

use super::*;

/// Exercise: MAE's gradient ∂L/∂ŷ = sign(ŷ − y) / n for n predictions,
/// and 0 where ŷ = y exactly (|x| has no slope at 0, and the crate uses 0
/// there; Rust's `f64::signum` gives 1 for 0.0).
///
/// ```
/// use nn::prelude::*;
///
/// fn my_mae_gradient(pred: &Array2<f64>, y: &Array2<f64>) -> Array2<f64> {
///     let n = pred.len() as f64;
///     (pred - y).mapv(|d| if d > 0.0 { 1.0 } else if d < 0.0 { -1.0 } else { 0.0 }) / n
/// }
/// assert!(nn::exercises::check_mae_gradient(my_mae_gradient).is_correct());
/// ```
pub fn check_mae_gradient(
    my_mae_gradient: impl Fn(&Array2<f64>, &Array2<f64>) -> Array2<f64>,
) -> Verdict {
    conclude(|| {
        let cases = [
            (array![[0.5], [0.9], [0.3]], array![[1.0], [0.2], [0.3]]),
            (
                array![[0.1, 2.0], [-1.0, 0.0]],
                array![[0.0, 2.5], [-1.0, 1.0]],
            ),
        ];
        for (pred, y) in &cases {
            let got = attempt(|| my_mae_gradient(pred, y))?;
            let want = Loss::Mae.gradient(pred, y);
            let n = pred.len() as f64;
            let signum = (pred - y).mapv(f64::signum) / n;
            let what = format!("∂L/∂ŷ for ŷ = {}, y = {}", brief(pred), brief(y));
            same_matrix(&what, &got, &want).map_err(|why| {
                with_hint(
                    why,
                    &got,
                    &[
                        (
                            &want * n,
                            "divide by n, the number of predictions (L is a mean)",
                        ),
                        (
                            -&want,
                            "the sign is flipped: the slope of |ŷ − y| is +1 where ŷ > y",
                        ),
                        (
                            signum,
                            "where ŷ = y exactly, |ŷ − y| has no slope; use 0 there, as the \
                             crate does (f64::signum gives 1 for 0.0)",
                        ),
                    ],
                )
            })?;
        }
        Ok("a column of 3 with one prediction exactly on target, and a 2 × 2 batch".into())
    })
}

/// Exercise: the binary cross-entropy
/// L = −(1/n) Σ [y ln ŷ + (1 − y) ln(1 − ŷ)].
///
/// ```
/// use nn::prelude::*;
///
/// fn my_bce(p: &Array2<f64>, y: &Array2<f64>) -> f64 {
///     let terms = y * &p.mapv(f64::ln) + &((1.0 - y) * &p.mapv(|p| (1.0 - p).ln()));
///     -terms.sum() / p.len() as f64
/// }
/// assert!(nn::exercises::check_binary_cross_entropy(my_bce).is_correct());
/// ```
pub fn check_binary_cross_entropy(my_bce: impl Fn(&Array2<f64>, &Array2<f64>) -> f64) -> Verdict {
    conclude(|| {
        let cases = [
            (array![[0.9], [0.2], [0.6]], array![[1.0], [0.0], [0.0]]),
            (array![[0.5], [0.99]], array![[1.0], [1.0]]),
        ];
        for (p, y) in &cases {
            let got = attempt(|| my_bce(p, y))?;
            let want = Loss::BinaryCrossEntropy.value(p, y);
            let what = format!("the loss for ŷ = {}, y = {}", brief(p), brief(y));
            same_number(&what, got, want).map_err(|why| {
                if close(got, -want) {
                    why + ". Hint: ln ŷ < 0, so the sum is negative; the loss has a minus sign in front"
                } else if close(got, want * p.len() as f64) {
                    why + ". Hint: divide by n: the loss is a mean over the rows"
                } else {
                    why
                }
            })?;
        }
        Ok("two batches, with targets 0 and 1".into())
    })
}

/// Exercise: why cross-entropy goes with softmax: for a softmax output and
/// the categorical cross-entropy, the output delta is simply
/// **∂L/∂z = (ŷ − y) / n**. Checked against the crate's
/// [`Loss::output_delta`].
///
/// ```
/// use nn::prelude::*;
///
/// fn my_delta(probs: &Array2<f64>, one_hot: &Array2<f64>) -> Array2<f64> {
///     (probs - one_hot) / probs.nrows() as f64
/// }
/// assert!(nn::exercises::check_cross_entropy_delta(my_delta).is_correct());
/// ```
pub fn check_cross_entropy_delta(
    my_delta: impl Fn(&Array2<f64>, &Array2<f64>) -> Array2<f64>,
) -> Verdict {
    conclude(|| {
        let z = array![[2.0, 1.0, 0.1], [0.5, 2.5, -1.0]];
        let probs = Activation::Softmax.apply(&z);
        let one_hot = array![[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]];
        let got = attempt(|| my_delta(&probs, &one_hot))?;
        let want =
            Loss::CategoricalCrossEntropy.output_delta(Activation::Softmax, &probs, &one_hot);
        same_matrix("∂L/∂z for two rows of 3 classes", &got, &want).map_err(|why| {
            with_hint(
                why,
                &got,
                &[
                    (&want * 2.0, "divide by n = 2, the number of rows"),
                    (-&want, "the sign is flipped: it is ŷ − y"),
                ],
            )
        })?;
        Ok("two rows of 3 classes, against Loss::output_delta".into())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exercises::tests::not_yet;

    #[test]
    fn loss_checks() {
        let signum = |p: &Array2<f64>, y: &Array2<f64>| (p - y).mapv(f64::signum) / p.len() as f64;
        let why = not_yet(check_mae_gradient(signum));
        assert!(
            why.contains("row 2, column 0 is 0.333333, expected 0"),
            "{why}"
        );
        assert!(why.contains("f64::signum gives 1 for 0.0"), "{why}");
        let positive = |p: &Array2<f64>, y: &Array2<f64>| -Loss::BinaryCrossEntropy.value(p, y);
        assert!(not_yet(check_binary_cross_entropy(positive)).contains("minus sign"));
        let undivided = |p: &Array2<f64>, y: &Array2<f64>| p - y;
        assert!(not_yet(check_cross_entropy_delta(undivided)).contains("divide by n = 2"));
        let good = |p: &Array2<f64>, y: &Array2<f64>| (p - y) / p.nrows() as f64;
        assert!(check_cross_entropy_delta(good).is_correct());
    }
}
