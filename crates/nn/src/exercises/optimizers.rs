//! Optimizers and batch size (notebook 6): batches, a momentum step, Adam's first steps.

use super::*;

/// Exercise: cut the rows of one epoch, in the shuffled `order`, into
/// batches of `batch` rows; the last batch keeps what is left.
///
/// ```
/// fn my_batches(order: &[usize], batch: usize) -> Vec<Vec<usize>> {
///     order.chunks(batch).map(|c| c.to_vec()).collect()
/// }
/// assert!(nn::exercises::check_batches(my_batches).is_correct());
/// ```
pub fn check_batches(my_batches: impl Fn(&[usize], usize) -> Vec<Vec<usize>>) -> Verdict {
    conclude(|| {
        let order = [7, 2, 9, 0, 4, 1, 8, 3, 6, 5];
        for batch in [4, 5, 1, 16] {
            let got = attempt(|| my_batches(&order, batch))?;
            let want: Vec<Vec<usize>> = order.chunks(batch).map(|c| c.to_vec()).collect();
            if got != want {
                let lost = order.len() - got.iter().map(Vec::len).sum::<usize>().min(order.len());
                let hint = if lost > 0 {
                    format!(". Hint: {lost} rows are missing: keep the last, smaller batch")
                } else {
                    String::new()
                };
                return Err(format!(
                    "10 rows in batches of {batch} should be {want:?}, but yours are {got:?}{hint}"
                ));
            }
        }
        Ok("10 rows in batches of 4, 5, 1 and 16".into())
    })
}

/// A one-layer network whose only parameter is `w`, and `g` as its gradient.
fn one_parameter(
    w: &Array2<f64>,
    g: &Array2<f64>,
) -> std::result::Result<(Network, Gradients), String> {
    let layer = Dense::new(w.clone(), None, Activation::Identity).map_err(|e| e.to_string())?;
    let net = Network::from_layers(vec![layer]).map_err(|e| e.to_string())?;
    Ok((net, Gradients::from_weights(vec![g.clone()])))
}

/// Exercise: one momentum step: **v ← μ v − η g**, then **w ← w + v**.
/// Return the new w and v. Checked against [`Optimizer::Momentum`].
///
/// ```
/// use nn::prelude::*;
///
/// fn my_momentum(w: &Array2<f64>, v: &Array2<f64>, g: &Array2<f64>, eta: f64, mu: f64)
///     -> (Array2<f64>, Array2<f64>) {
///     let v = mu * v - &(eta * g);
///     (w + &v, v)
/// }
/// assert!(nn::exercises::check_momentum_step(my_momentum).is_correct());
/// ```
pub fn check_momentum_step(
    my_momentum: impl Fn(
        &Array2<f64>,
        &Array2<f64>,
        &Array2<f64>,
        f64,
        f64,
    ) -> (Array2<f64>, Array2<f64>),
) -> Verdict {
    conclude(|| {
        let w = array![[0.5, -0.3], [0.1, 0.8]];
        let v = array![[0.02, 0.0], [-0.01, 0.05]];
        let g = array![[0.4, -0.2], [0.0, 1.0]];
        let (eta, mu) = (0.1, 0.9);
        let (got_w, got_v) = attempt(|| my_momentum(&w, &v, &g, eta, mu))?;
        let (mut net, grads) = one_parameter(&w, &g)?;
        let mut state = OptimizerState::Momentum(MomentumState {
            velocity: vec![v.clone()],
        });
        let optimizer = Optimizer::Momentum {
            learning_rate: eta,
            momentum: mu,
        };
        optimizer
            .step(&mut net, &grads, &mut state)
            .map_err(|e| e.to_string())?;
        let OptimizerState::Momentum(s) = &state else {
            return Err("the crate's momentum step lost its memory".into());
        };
        same_matrix("the new velocity v", &got_v, &s.velocity[0])?;
        same_matrix("the new weights w", &got_w, &net.layers[0].weights)?;
        Ok("a 2 × 2 weight with η = 0.1, μ = 0.9, against Optimizer::Momentum".into())
    })
}

/// What one Adam step starts from: the parameter, its gradient, Adam's
/// memory and its settings. t is the number of this step, from 1.
#[derive(Debug, Clone, PartialEq)]
pub struct AdamStep {
    /// θ, the parameter before the step.
    pub w: Array2<f64>,
    /// g = ∂L/∂θ.
    pub g: Array2<f64>,
    /// m, the running mean of gradients before the step (zeros at t = 1).
    pub m: Array2<f64>,
    /// v, the running mean of squared gradients before the step.
    pub v: Array2<f64>,
    /// The number of this step: 1, 2, 3, …
    pub t: u64,
    /// η.
    pub learning_rate: f64,
    /// β₁, the decay of m.
    pub beta1: f64,
    /// β₂, the decay of v.
    pub beta2: f64,
    /// ε, which keeps the division finite.
    pub epsilon: f64,
}

/// Exercise: Adam's first three steps. Each step:
/// m ← β₁ m + (1 − β₁) g; v ← β₂ v + (1 − β₂) g²; m̂ = m / (1 − β₁ᵗ);
/// v̂ = v / (1 − β₂ᵗ); θ ← θ − η m̂ / (√v̂ + ε). Return the new (θ, m, v).
/// Checked, step by step, against [`Optimizer::adam`].
///
/// ```
/// use nn::prelude::*;
/// use nn::exercises::AdamStep;
///
/// fn my_adam(s: &AdamStep) -> (Array2<f64>, Array2<f64>, Array2<f64>) {
///     let m = s.beta1 * &s.m + (1.0 - s.beta1) * &s.g;
///     let v = s.beta2 * &s.v + (1.0 - s.beta2) * &(&s.g * &s.g);
///     let m_hat = &m / (1.0 - s.beta1.powi(s.t as i32));
///     let v_hat = &v / (1.0 - s.beta2.powi(s.t as i32));
///     let w = &s.w - &(s.learning_rate * &m_hat / (v_hat.mapv(f64::sqrt) + s.epsilon));
///     (w, m, v)
/// }
/// assert!(nn::exercises::check_adam_steps(my_adam).is_correct());
/// ```
pub fn check_adam_steps(
    my_adam: impl Fn(&AdamStep) -> (Array2<f64>, Array2<f64>, Array2<f64>),
) -> Verdict {
    conclude(|| {
        let optimizer = Optimizer::adam(0.01);
        let Optimizer::Adam {
            learning_rate,
            beta1,
            beta2,
            epsilon,
        } = optimizer
        else {
            return Err("Optimizer::adam is not Adam".into());
        };
        let gradients = [
            array![[0.4, -0.2], [0.0, 1.0]],
            array![[0.3, -0.1], [0.05, 0.8]],
            array![[-0.1, -0.3], [0.02, 0.9]],
        ];
        let zeros = Array2::zeros((2, 2));
        let mut step = AdamStep {
            w: array![[0.5, -0.3], [0.1, 0.8]],
            g: zeros.clone(),
            m: zeros.clone(),
            v: zeros,
            t: 0,
            learning_rate,
            beta1,
            beta2,
            epsilon,
        };
        let (mut net, _) = one_parameter(&step.w, &step.g)?;
        let mut state = OptimizerState::default();
        for g in gradients {
            step.t += 1;
            step.g = g.clone();
            let (got_w, got_m, got_v) = attempt(|| my_adam(&step))?;
            let grads = Gradients::from_weights(vec![g]);
            optimizer
                .step(&mut net, &grads, &mut state)
                .map_err(|e| e.to_string())?;
            let OptimizerState::Adam(AdamState { m, v, .. }) = &state else {
                return Err("the crate's Adam step lost its memory".into());
            };
            let t = step.t;
            same_matrix(&format!("m after step {t}"), &got_m, &m[0])?;
            same_matrix(&format!("v after step {t}"), &got_v, &v[0])?;
            let want_w = &net.layers[0].weights;
            same_matrix(&format!("θ after step {t}"), &got_w, want_w).map_err(|why| {
                let raw = &step.w - &(learning_rate * &m[0] / (v[0].mapv(f64::sqrt) + epsilon));
                with_hint(
                    why,
                    &got_w,
                    &[(
                        raw,
                        "the bias correction is missing: divide m by 1 − β₁ᵗ and v by 1 − β₂ᵗ",
                    )],
                )
            })?;
            (step.w, step.m, step.v) = (got_w, got_m, got_v);
        }
        Ok("three steps of a 2 × 2 weight, η = 0.01, β₁ = 0.9, β₂ = 0.999, ε = 10⁻⁸".into())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exercises::tests::not_yet;

    #[test]
    fn optimizer_checks() {
        let dropped = |o: &[usize], b: usize| o.chunks_exact(b).map(|c| c.to_vec()).collect();
        assert!(not_yet(check_batches(dropped)).contains("2 rows are missing"));
        let no_correction = |s: &AdamStep| {
            let m = s.beta1 * &s.m + (1.0 - s.beta1) * &s.g;
            let v = s.beta2 * &s.v + (1.0 - s.beta2) * &(&s.g * &s.g);
            let w = &s.w - &(s.learning_rate * &m / (v.mapv(f64::sqrt) + s.epsilon));
            (w, m, v)
        };
        let why = not_yet(check_adam_steps(no_correction));
        assert!(why.starts_with("θ after step 1"), "{why}");
        assert!(why.contains("the bias correction is missing"), "{why}");
        let swapped = |w: &Array2<f64>, v: &Array2<f64>, g: &Array2<f64>, eta: f64, mu: f64| {
            let v = mu * v - &(eta * g);
            (v.clone(), w + &v)
        };
        assert!(not_yet(check_momentum_step(swapped)).starts_with("the new velocity v"));
    }
}
