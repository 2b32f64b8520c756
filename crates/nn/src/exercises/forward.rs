//! The forward pass (notebook 2): the softmax, one dense layer, a whole network.

use super::*;

/// Exercise: the softmax of every row, eᶻⁱ / Σⱼ eᶻʲ. Checked on one row,
/// on two rows (each row sums to 1 on its own), and on a row of large
/// numbers such as 1000, where e¹⁰⁰⁰ overflows unless each row's largest
/// value is subtracted first.
///
/// ```
/// use nn::prelude::*;
///
/// fn my_softmax(z: &Array2<f64>) -> Array2<f64> {
///     let max = z.map_axis(Axis(1), |row| row.fold(f64::NEG_INFINITY, |m, &v| m.max(v)));
///     let e = (z - &max.insert_axis(Axis(1))).mapv(f64::exp);
///     let sums = e.sum_axis(Axis(1)).insert_axis(Axis(1));
///     e / sums
/// }
/// assert!(nn::exercises::check_softmax(my_softmax).is_correct());
/// ```
pub fn check_softmax(my_softmax: impl Fn(&Array2<f64>) -> Array2<f64>) -> Verdict {
    conclude(|| {
        let cases = [
            array![[2.0, 1.0, 0.1]],
            array![[1.0, 2.0, 3.0], [1.0, 1.0, 1.0]],
            array![[1000.0, 1001.0, 1002.0]],
        ];
        for z in &cases {
            let got = attempt(|| my_softmax(z))?;
            let want = Activation::Softmax.apply(z);
            if let Err(why) = same_matrix(&format!("the softmax of {}", brief(z)), &got, &want) {
                let overflow = z.iter().any(|&v| v > 700.0);
                let hint = if overflow && got.iter().any(|v| !v.is_finite()) {
                    ". Hint: e^1000 overflows to ∞, and ∞ / ∞ is NaN; subtract each row's \
                     largest value before exp (e^(z − m) / Σ e^(z − m) is the same softmax)"
                        .to_string()
                } else {
                    row_sum_hint(&got)
                };
                return Err(why + &hint);
            }
        }
        Ok("one row, two rows, and a row of large numbers (1000, 1001, 1002)".into())
    })
}

/// A hint when some row of a would-be softmax does not sum to 1.
fn row_sum_hint(got: &Array2<f64>) -> String {
    let sums = got.sum_axis(Axis(1));
    match sums.iter().position(|s| !close(*s, 1.0)) {
        Some(r) if got.ncols() > 0 => format!(
            ". Hint: row {r} sums to {}; each row must sum to 1 on its own, so divide each \
             row by its own sum (sum_axis(Axis(1)))",
            number(sums[r])
        ),
        _ => String::new(),
    }
}

/// Exercise: one dense layer with a sigmoid, **a = σ(x·W + b)**, for x
/// (n × inputs), W (inputs × units) and b (1 × units).
///
/// ```
/// use nn::prelude::*;
///
/// fn my_dense(x: &Array2<f64>, w: &Array2<f64>, b: &Array2<f64>) -> Array2<f64> {
///     (x.dot(w) + b).mapv(|z| 1.0 / (1.0 + (-z).exp()))
/// }
/// assert!(nn::exercises::check_dense(my_dense).is_correct());
/// ```
pub fn check_dense(
    my_dense: impl Fn(&Array2<f64>, &Array2<f64>, &Array2<f64>) -> Array2<f64>,
) -> Verdict {
    conclude(|| {
        let x = crate::data::study_sleep().x;
        let (w, _) = original_weights();
        let b = array![[0.1, -0.2, 0.3]];
        let got = attempt(|| my_dense(&x, &w, &b))?;
        let z = x.dot(&w) + &b;
        let want = sigmoid(&z);
        same_matrix("σ(x·W + b) for the three students", &got, &want).map_err(|why| {
            with_hint(
                why,
                &got,
                &[
                    (
                        z.clone(),
                        "that is z = x·W + b; pass it through the sigmoid",
                    ),
                    (
                        sigmoid(&x.dot(&w)),
                        "add the bias b to every row before the sigmoid",
                    ),
                ],
            )
        })?;
        Ok("the three students through w1 (2 × 3) and a bias (1 × 3)".into())
    })
}

/// Exercise: the forward pass of any network: with a⁰ = x, every layer
/// computes zˡ = aˡ⁻¹·Wˡ + bˡ (no b for a layer without bias) and
/// aˡ = fˡ(zˡ); return the last a. Use each layer's `weights`, `bias` and
/// `activation.apply(&z)`.
///
/// ```
/// use nn::prelude::*;
///
/// fn my_forward(net: &Network, x: &Array2<f64>) -> Array2<f64> {
///     let mut a = x.clone();
///     for layer in &net.layers {
///         let mut z = a.dot(&layer.weights);
///         if let Some(b) = &layer.bias {
///             z = z + b;
///         }
///         a = layer.activation.apply(&z);
///     }
///     a
/// }
/// assert!(nn::exercises::check_forward(my_forward).is_correct());
/// ```
pub fn check_forward(my_forward: impl Fn(&Network, &Array2<f64>) -> Array2<f64>) -> Verdict {
    conclude(|| {
        let data = crate::data::study_sleep();
        let (w1, w2) = original_weights();
        let original = Network::from_layers(vec![
            Dense::new(w1, None, Activation::Sigmoid).map_err(|e| e.to_string())?,
            Dense::new(w2, None, Activation::Sigmoid).map_err(|e| e.to_string())?,
        ])
        .map_err(|e| e.to_string())?;
        let mut deeper = Network::builder(2)
            .dense(4, Activation::Tanh)
            .dense(3, Activation::Relu)
            .dense(2, Activation::Softmax)
            .seed(7)
            .build()
            .map_err(|e| e.to_string())?;
        // Biases that are not zero, so that leaving them out shows.
        for (l, layer) in deeper.layers.iter_mut().enumerate() {
            if let Some(b) = &mut layer.bias {
                b.indexed_iter_mut()
                    .for_each(|((_, c), v)| *v = 0.1 * (l + c + 1) as f64);
            }
        }
        for net in [&original, &deeper] {
            let got = attempt(|| my_forward(net, &data.x))?;
            let want = net.predict(&data.x).map_err(|e| e.to_string())?;
            same_matrix(&format!("the prediction of {net}"), &got, &want)?;
        }
        Ok("the original 2-3-1 network and a 2-4-3-2 network with biases".into())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exercises::tests::not_yet;

    #[test]
    fn softmax_mistakes_get_their_hints() {
        let naive = |z: &Array2<f64>| {
            let e = z.mapv(f64::exp);
            let sums = e.sum_axis(Axis(1)).insert_axis(Axis(1));
            e / sums
        };
        let why = not_yet(check_softmax(naive));
        assert!(
            why.starts_with("the softmax of [[1000, 1001, 1002]]: row 0, column 0 is NaN"),
            "{why}"
        );
        assert!(why.contains("subtract each row's largest value"), "{why}");
        let whole = |z: &Array2<f64>| {
            let e = z.mapv(f64::exp);
            let total = e.sum();
            e / total
        };
        let why = not_yet(check_softmax(whole));
        assert!(why.contains("row 0 sums to 0.787345"), "{why}");
        assert!(not_yet(check_softmax(|z| z.clone())).contains("off by"));
    }

    #[test]
    fn forward_pass_checks() {
        let no_bias = |net: &Network, x: &Array2<f64>| {
            let mut a = x.clone();
            for layer in &net.layers {
                a = layer.activation.apply(&a.dot(&layer.weights));
            }
            a
        };
        let why = not_yet(check_forward(no_bias));
        assert!(why.starts_with("the prediction of 2 → 4 (tanh)"), "{why}");
        let why = not_yet(check_dense(|x, w, b| x.dot(w) + b));
        assert!(
            why.ends_with("Hint: that is z = x·W + b; pass it through the sigmoid"),
            "{why}"
        );
    }
}
