//! Training (notebook 5): one gradient-descent step, one training step, the loss of an epoch.

use super::*;

/// Exercise: one gradient-descent step, **w ← w − η · ∂L/∂w**.
///
/// ```
/// use nn::prelude::*;
///
/// fn my_gd_step(w: &Array2<f64>, grad: &Array2<f64>, eta: f64) -> Array2<f64> {
///     w - &(eta * grad)
/// }
/// assert!(nn::exercises::check_gd_step(my_gd_step).is_correct());
/// ```
pub fn check_gd_step(
    my_gd_step: impl Fn(&Array2<f64>, &Array2<f64>, f64) -> Array2<f64>,
) -> Verdict {
    conclude(|| {
        let (w, _) = original_weights();
        let grad = array![[0.012, -0.004, 0.031], [-0.02, 0.0, 0.007]];
        let eta = 1.5;
        let got = attempt(|| my_gd_step(&w, &grad, eta))?;
        let want = &w - &(eta * &grad);
        same_matrix("w1 after one step with η = 1.5", &got, &want).map_err(|why| {
            with_hint(
                why,
                &got,
                &[
                    (
                        &w + &(eta * &grad),
                        "you stepped uphill: subtract η · gradient",
                    ),
                    (&w - &grad, "multiply the gradient by the learning rate η"),
                    (w.clone(), "the weights did not change"),
                ],
            )
        })?;
        Ok("w1 of the original network, η = 1.5".into())
    })
}

/// Exercise: one training step (one iteration, 반복) for any network:
/// the forward pass, the loss (MSE), backprop, and w ← w − η · ∂L/∂w for
/// every weight and bias. Return the loss measured *before* the update, as
/// the trainer records it. Checked for three steps in a row from the
/// original network, against the crate's textbook step
/// (`forward`, `backward`, [`Optimizer::gd`]).
///
/// ```
/// use nn::prelude::*;
///
/// fn my_step(net: &mut Network, data: &Dataset, eta: f64) -> nn::Result<f64> {
///     let pass = net.forward(&data.x)?;
///     let loss = Loss::Mse.value(pass.output(), &data.y);
///     let grads = net.backward(&pass, Loss::Mse, &data.y)?;
///     for (layer, g) in net.layers.iter_mut().zip(&grads.layers) {
///         layer.weights = &layer.weights - &(eta * &g.weights);
///         if let (Some(b), Some(gb)) = (&mut layer.bias, &g.bias) {
///             *b = &*b - &(eta * gb);
///         }
///     }
///     Ok(loss)
/// }
/// assert!(nn::exercises::check_training_step(my_step).is_correct());
/// ```
pub fn check_training_step(
    my_step: impl Fn(&mut Network, &Dataset, f64) -> crate::Result<f64>,
) -> Verdict {
    conclude(|| {
        let data = crate::data::study_sleep();
        let text = |e: crate::Error| e.to_string();
        let mut mine = Network::builder(2)
            .dense(3, Activation::Sigmoid)
            .dense(1, Activation::Sigmoid)
            .init(crate::init::Init::StandardNormal)
            .seed(42)
            .skip_normals(45)
            .build()
            .map_err(text)?;
        let mut crates = mine.clone();
        let (eta, mut state) = (1.5, OptimizerState::default());
        for step in 1..=3 {
            let before = mine.clone();
            let loss = attempt(|| my_step(&mut mine, &data, eta))?
                .map_err(|e| format!("your function returned an error at step {step}: {e}"))?;
            let pass = crates.forward(&data.x).map_err(text)?;
            let want_loss = Loss::Mse.value(pass.output(), &data.y);
            let grads = crates.backward(&pass, Loss::Mse, &data.y).map_err(text)?;
            Optimizer::gd(eta)
                .step(&mut crates, &grads, &mut state)
                .map_err(text)?;
            if mine == before {
                return Err(format!(
                    "after step {step} the weights have not changed; update every layer's \
                     weights and bias with w ← w − η · ∂L/∂w"
                ));
            }
            for (l, (got, want)) in mine.layers.iter().zip(&crates.layers).enumerate() {
                let which = format!("layer {}'s weights after step {step}", l + 1);
                same_matrix(&which, &got.weights, &want.weights)?;
                if let (Some(got), Some(want)) = (&got.bias, &want.bias) {
                    let which = format!("layer {}'s bias after step {step}", l + 1);
                    same_matrix(&which, got, want)?;
                }
            }
            same_number(
                &format!("the loss you returned at step {step}"),
                loss,
                want_loss,
            )
            .map_err(|why| {
                let after = crates.loss(Loss::Mse, &data.x, &data.y).unwrap_or(f64::NAN);
                if close(loss, after) {
                    why + ". Hint: that is the loss after the update; return the one \
                               measured on the forward pass before it"
                } else {
                    why
                }
            })?;
        }
        Ok("three steps of the 2-3-1 network with biases, η = 1.5".into())
    })
}

/// Exercise: the loss of an epoch from the losses of its batches: their
/// mean, each weighted by its rows (the last batch may be smaller), which
/// is what the trainer records.
///
/// ```
/// fn my_epoch_loss(batch_losses: &[f64], batch_rows: &[usize]) -> f64 {
///     let rows: usize = batch_rows.iter().sum();
///     batch_losses.iter().zip(batch_rows).map(|(l, &r)| l * r as f64).sum::<f64>() / rows as f64
/// }
/// assert!(nn::exercises::check_epoch_loss(my_epoch_loss).is_correct());
/// ```
pub fn check_epoch_loss(my_epoch_loss: impl Fn(&[f64], &[usize]) -> f64) -> Verdict {
    conclude(|| {
        let cases: [(&[f64], &[usize]); 2] =
            [(&[0.3, 0.2, 0.1], &[16, 16, 8]), (&[0.05, 0.5], &[3, 1])];
        for (losses, rows) in cases {
            let got = attempt(|| my_epoch_loss(losses, rows))?;
            let total: usize = rows.iter().sum();
            let want = losses
                .iter()
                .zip(rows)
                .map(|(l, &r)| l * r as f64 / total as f64)
                .sum::<f64>();
            let plain = losses.iter().sum::<f64>() / losses.len() as f64;
            let what = format!("the epoch loss for batch losses {losses:?} of {rows:?} rows");
            same_number(&what, got, want).map_err(|why| {
                if close(got, plain) {
                    why + ". Hint: that is the plain mean; a batch of fewer rows counts for less: \
                           weight each loss by its rows"
                } else {
                    why
                }
            })?;
        }
        Ok("batches of 16, 16 and 8 rows, and of 3 and 1".into())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exercises::tests::not_yet;

    #[test]
    fn training_checks() {
        let uphill = |w: &Array2<f64>, g: &Array2<f64>, eta: f64| w + &(eta * g);
        assert!(not_yet(check_gd_step(uphill)).contains("you stepped uphill"));
        let idle = |_: &mut Network, _: &Dataset, _: f64| Ok(0.0);
        assert!(not_yet(check_training_step(idle)).contains("the weights have not changed"));
        let failing =
            |net: &mut Network, _: &Dataset, _: f64| net.forward(&array![[1.0]]).map(|_| 0.0);
        let why = not_yet(check_training_step(failing));
        assert!(
            why.starts_with("your function returned an error at step 1: shape mismatch"),
            "{why}"
        );
        let plain = |l: &[f64], _: &[usize]| l.iter().sum::<f64>() / l.len() as f64;
        assert!(not_yet(check_epoch_loss(plain)).contains("weight each loss by its rows"));
    }
}
