//! Backpropagation (notebook 4): the bias gradient, the weight gradient, the delta one layer down.

use super::*;

/// A δ of 3 rows and 3 units, from the original network with a bias.
fn sample_delta() -> Array2<f64> {
    array![
        [0.021, -0.013, 0.034],
        [-0.008, 0.002, 0.011],
        [0.015, -0.027, 0.006]
    ]
}

/// Exercise: the bias gradient **∂L/∂b = Σ over the rows of δ**: one
/// number per unit, 1 × units, because b is added to every row.
///
/// ```
/// use nn::prelude::*;
///
/// fn my_bias_gradient(delta: &Array2<f64>) -> Array2<f64> {
///     delta.sum_axis(Axis(0)).insert_axis(Axis(0))
/// }
/// assert!(nn::exercises::check_bias_gradient(my_bias_gradient).is_correct());
/// ```
pub fn check_bias_gradient(my_bias_gradient: impl Fn(&Array2<f64>) -> Array2<f64>) -> Verdict {
    conclude(|| {
        let deltas = [
            sample_delta(),
            array![[1.0, -2.0], [0.5, 0.25], [3.0, 1.0], [-1.0, 0.0]],
        ];
        for delta in &deltas {
            let got = attempt(|| my_bias_gradient(delta))?;
            let want = delta.sum_axis(Axis(0)).insert_axis(Axis(0));
            let what = format!("∂L/∂b for a δ of {}", shape(delta));
            same_matrix(&what, &got, &want).map_err(|why| {
                let row_sums = delta.sum_axis(Axis(1)).insert_axis(Axis(1));
                let hint = if got.dim() == row_sums.dim() || got.dim() == (1, delta.nrows()) {
                    ". Hint: you summed along each row; sum over the rows (Axis(0)), one \
                     number per unit, and keep it 1 × units (insert_axis(Axis(0)))"
                } else if all_close(&got, &(&want / delta.nrows() as f64)) {
                    ". Hint: that is the mean; take the sum (the 1/n is already inside δ)"
                } else {
                    ""
                };
                why + hint
            })?;
        }
        Ok("a δ of 3 rows × 3 units and one of 4 rows × 2 units".into())
    })
}

/// Exercise: the weight gradient **∂L/∂W = aᵀ · δ**, where a (n × inputs)
/// is the layer's input and δ (n × units) its delta: inputs × units, the
/// shape of W.
///
/// ```
/// use nn::prelude::*;
///
/// fn my_weight_gradient(a: &Array2<f64>, delta: &Array2<f64>) -> Array2<f64> {
///     a.t().dot(delta)
/// }
/// assert!(nn::exercises::check_weight_gradient(my_weight_gradient).is_correct());
/// ```
pub fn check_weight_gradient(
    my_weight_gradient: impl Fn(&Array2<f64>, &Array2<f64>) -> Array2<f64>,
) -> Verdict {
    conclude(|| {
        let a = crate::data::study_sleep().x;
        let delta = sample_delta();
        let got = attempt(|| my_weight_gradient(&a, &delta))?;
        let want = a.t().dot(&delta);
        same_matrix(
            "∂L/∂W¹ for the three students (a is 3 × 2, δ is 3 × 3)",
            &got,
            &want,
        )
        .map_err(|why| {
            if got.dim() == (want.ncols(), want.nrows()) {
                why + ". Hint: ∂L/∂W has the shape of W, inputs × units: aᵀ (2 × 3) · δ (3 × 3)"
            } else {
                why
            }
        })?;
        Ok("a 3 × 2 input and a 3 × 3 δ".into())
    })
}

/// Exercise: the delta one layer down, for a sigmoid hidden layer:
/// **δ¹ = (δ² · W²ᵀ) ⊙ σ'(z¹)**, with σ'(z¹) = a¹ (1 − a¹). Given δ²
/// (n × outputs), W² (hidden × outputs) and a¹ (n × hidden).
///
/// ```
/// use nn::prelude::*;
///
/// fn my_hidden_delta(delta2: &Array2<f64>, w2: &Array2<f64>, a1: &Array2<f64>) -> Array2<f64> {
///     &delta2.dot(&w2.t()) * &(a1 * &(1.0 - a1))
/// }
/// assert!(nn::exercises::check_hidden_delta(my_hidden_delta).is_correct());
/// ```
pub fn check_hidden_delta(
    my_hidden_delta: impl Fn(&Array2<f64>, &Array2<f64>, &Array2<f64>) -> Array2<f64>,
) -> Verdict {
    conclude(|| {
        let x = crate::data::study_sleep().x;
        let (w1, w2) = original_weights();
        let a1 = sigmoid(&x.dot(&w1));
        let delta2 = array![[-0.0193], [0.0310], [-0.0318]];
        let got = attempt(|| my_hidden_delta(&delta2, &w2, &a1))?;
        let back = delta2.dot(&w2.t());
        let want = &back * &(&a1 * &(1.0 - &a1));
        let slip = &back * &a1.mapv(|a| Activation::Sigmoid.derivative(a));
        same_matrix("δ¹ for the original network (3 × 3)", &got, &want).map_err(|why| {
            with_hint(
                why,
                &got,
                &[
                    (back.clone(), "multiply by the sigmoid's slope σ'(z¹) = a¹ (1 − a¹)"),
                    (slip, "that is σ'(a¹), the slope taken at a¹ instead of z¹: the original notebook's slip"),
                ],
            )
        })?;
        Ok("δ² of the original network sent back through W² and the hidden sigmoids".into())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exercises::tests::not_yet;

    #[test]
    fn backprop_checks() {
        let transposed = |a: &Array2<f64>, d: &Array2<f64>| d.t().dot(a);
        assert!(not_yet(check_weight_gradient(transposed)).contains("the shape of W"));
        let slip = |d: &Array2<f64>, w: &Array2<f64>, a: &Array2<f64>| {
            &d.dot(&w.t()) * &a.mapv(|a| Activation::Sigmoid.derivative(a))
        };
        assert!(not_yet(check_hidden_delta(slip)).contains("the original notebook's slip"));
    }
}
