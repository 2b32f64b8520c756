//! The passes of a training step: the formulas of [`Network::forward`],
//! [`Loss::value_of`], [`Loss::output_delta`] and [`Network::backward`],
//! each operation in the same order, following a [plan](super::plan).
//!
//! Each layer is a product ([`Product`](super::kernels::Product)) and one
//! pass over its entries: forward, z = x·W + b, then a = f(z); backward,
//! ∂L/∂W = xᵀ·δ, then the update of each weight
//! ([`update`](super::update)), and the delta one layer down, δ·Wᵀ, then
//! ⊙ f'(a). The output layer's pass also takes the loss and δᴸ, entry by
//! entry, where the loss works so.
//!
//! # Safety
//! The functions marked `unsafe` follow a plan: the matrices it locates must
//! be alive and in place, and nothing else may touch them during the call.
//! The [engine](super) keeps it so.
//!
//! [`Network::forward`]: crate::network::Network::forward
//! [`Network::backward`]: crate::network::Network::backward
//! [`Loss::value_of`]: crate::loss::Loss::value_of
//! [`Loss::output_delta`]: crate::loss::Loss::output_delta

use ndarray::{Array2, ArrayView2, ArrayViewMut1, ArrayViewMut2, Zip};

use super::plan;
use super::update::{update, Rule, Update};
use super::Shape;
use crate::activation::Activation;
use crate::loss::{Loss, EPS};
use crate::network::{ForwardPass, Gradients, LayerGradient, LayerPass};
use crate::optimizer::{Optimizer, OptimizerState};

/// Runs `$body` with `$f` a constant: the activation `$activation` holds
/// when it works entry by entry, so that the loop in `$body` is compiled
/// once per activation with its formula inlined; `$softmax` for softmax,
/// which works row by row.
macro_rules! entrywise {
    ($activation:expr, $f:ident => $body:expr, softmax => $softmax:expr) => {
        match $activation {
            Activation::Identity => {
                const $f: Activation = Activation::Identity;
                $body
            }
            Activation::Sigmoid => {
                const $f: Activation = Activation::Sigmoid;
                $body
            }
            Activation::Tanh => {
                const $f: Activation = Activation::Tanh;
                $body
            }
            Activation::Relu => {
                const $f: Activation = Activation::Relu;
                $body
            }
            Activation::Softmax => $softmax,
        }
    };
}

/// Buffers of a forward pass and its gradients for `rows` rows through
/// layers of `shapes`, all stored row by row.
pub(crate) fn buffers(shapes: &[Shape], rows: usize) -> (ForwardPass, Gradients) {
    let pass = ForwardPass {
        input: Array2::zeros((0, 0)),
        layers: shapes
            .iter()
            .map(|s| LayerPass {
                z: Array2::zeros((rows, s.outputs)),
                a: Array2::zeros((rows, s.outputs)),
            })
            .collect(),
    };
    let grads = Gradients {
        layers: shapes
            .iter()
            .map(|s| LayerGradient {
                delta: Array2::zeros((rows, s.outputs)),
                weights: Array2::zeros((s.inputs, s.outputs)),
                bias: s.bias.then(|| Array2::zeros((1, s.outputs))),
            })
            .collect(),
    };
    (pass, grads)
}

/// What a step found.
pub(crate) enum Outcome {
    /// The batch's loss, before the update; every new parameter is finite.
    Finite(f64),
    /// The loss was not finite (no parameter was changed).
    Loss(f64),
    /// A new parameter was not finite.
    Parameters,
}

/// One training step by the plan: the forward pass, the loss and δᴸ, and
/// backpropagation with the update of every parameter by `optimizer`
/// (whose memory is `state`), unless the loss is not finite.
///
/// # Safety
/// See the [module](self).
pub(crate) unsafe fn step(
    plan: &plan::Step,
    loss: Loss,
    optimizer: &Optimizer,
    state: &mut OptimizerState,
) -> Outcome {
    let (hidden, last) = plan.forward.split_at(plan.forward.len() - 1);
    // SAFETY (all three): the caller's.
    unsafe { forward(hidden) };
    let value = unsafe { output(loss, &last[0], &plan.output) };
    if !value.is_finite() {
        return Outcome::Loss(value);
    }
    let finite = match Rule::next(optimizer, state) {
        (Rule::Descent(r), ..) => unsafe { backward(&plan.backward, r, &mut [], &mut []) },
        (Rule::Momentum(r), v, _) => unsafe { backward(&plan.backward, r, v, &mut []) },
        (Rule::Adam(r), m, v) => unsafe { backward(&plan.backward, r, m, v) },
    };
    match finite {
        true => Outcome::Finite(value),
        false => Outcome::Parameters,
    }
}

/// Every layer's z and a.
///
/// # Safety
/// See the [module](self).
#[inline(always)]
pub(crate) unsafe fn forward(layers: &[plan::Forward]) {
    for layer in layers {
        // SAFETY: the caller's.
        unsafe {
            layer.weighted_sum.run();
            activate(
                layer.activation,
                layer.units,
                layer.z.read(),
                layer.a.write(),
            );
        }
    }
}

/// a ← f(z), entry by entry (row by row for softmax, rows of `units`).
#[inline(always)]
fn activate(f: Activation, units: usize, z: &[f64], a: &mut [f64]) {
    entrywise!(f,
        F => {
            for (a, &z) in a.iter_mut().zip(z) {
                *a = F.value(z);
            }
        },
        softmax => {
            a.copy_from_slice(z);
            for row in a.chunks_exact_mut(units) {
                softmax_in_place(ArrayViewMut1::from(row));
            }
        }
    )
}

/// The output layer's pass: its z and a (as [`forward`]), the loss against
/// the targets, and δᴸ = ∂L/∂zᴸ, in one pass over the entries where the
/// loss works entry by entry. The loss is summed one entry after another
/// (the textbook's `sum` adds in eight lanes, so the two may differ in the
/// last bits).
///
/// # Safety
/// See the [module](self).
#[inline(always)]
unsafe fn output(loss: Loss, layer: &plan::Forward, output: &plan::Output) -> f64 {
    // SAFETY: the caller's.
    let (z, a, y, delta) = unsafe {
        layer.weighted_sum.run();
        (
            layer.z.read(),
            layer.a.write(),
            output.y.read(),
            output.delta.write(),
        )
    };
    let nk = a.len() as f64;
    match (layer.activation, loss) {
        // On the logits: the sigmoid's slope cancels against the loss's.
        (Activation::Sigmoid, Loss::BinaryCrossEntropy) => {
            one_pass(
                (z, a, y, delta),
                |z| Activation::Sigmoid.value(z),
                |z, _, y| z.max(0.0) + (-z.abs()).exp().ln_1p() - z * y,
                |p, y| (p - y) / nk,
            ) / nk
        }
        (f, Loss::Mse) if f != Activation::Softmax => {
            entrywise!(f,
                F => one_pass(
                    (z, a, y, delta),
                    |z| F.value(z),
                    |_, p, y| (p - y) * (p - y),
                    |p, y| 2.0 * (p - y) / nk * F.derivative_from_output(p),
                ),
                softmax => unreachable!()
            ) / nk
        }
        (f, Loss::Mae) if f != Activation::Softmax => {
            entrywise!(f,
                F => one_pass(
                    (z, a, y, delta),
                    |z| F.value(z),
                    |_, p, y| (p - y).abs(),
                    |p, y| sign(p - y) / nk * F.derivative_from_output(p),
                ),
                softmax => unreachable!()
            ) / nk
        }
        // Softmax outputs, which work row by row.
        (f, _) => {
            let (n, m) = (output.rows, layer.units);
            activate(f, m, z, a);
            let (z, a, y) = (
                view(z, (n, m)),
                view(a, (n, m)),
                view(y, (n, output.targets)),
            );
            let value = loss_value(loss, f, z, a, y);
            output_delta(
                loss,
                f,
                a,
                y,
                ArrayViewMut2::from_shape((n, m), delta).expect("n × m"),
            );
            value
        }
    }
}

/// For every entry: a ← f(z), then the sum of term(z, a, y), from 0 one
/// entry after another, and δ ← delta(a, y).
#[inline(always)]
fn one_pass(
    (z, a, y, delta): (&[f64], &mut [f64], &[f64], &mut [f64]),
    f: impl Fn(f64) -> f64,
    term: impl Fn(f64, f64, f64) -> f64,
    slope: impl Fn(f64, f64) -> f64,
) -> f64 {
    assert!(
        z.len() == a.len() && a.len() == y.len() && y.len() == delta.len(),
        "z, a, y and δ fit"
    );
    let mut sum = 0.0;
    for (((&z, a), &y), d) in z.iter().zip(a).zip(y).zip(delta) {
        *a = f(z);
        sum += term(z, *a, y);
        *d = slope(*a, y);
    }
    sum
}

/// Backpropagation from the output delta (see [`output`]) down to the
/// first layer: every layer's ∂L/∂W and ∂L/∂b, each parameter moved by
/// `rule` from the weights before the step into the other network's
/// (`first` and `second` hold the optimizer's memory, one matrix per
/// parameter), and the delta of the layer below. Returns whether every new
/// parameter is finite.
///
/// # Safety
/// See the [module](self).
#[inline(always)]
unsafe fn backward<R: Update>(
    layers: &[plan::Backward],
    rule: R,
    first: &mut [Array2<f64>],
    second: &mut [Array2<f64>],
) -> bool {
    let mut check = 0.0;
    for layer in layers {
        // SAFETY (all three): the caller's.
        unsafe { layer.weight_product.run() };
        check += unsafe { update(layer, rule, first, second) };
        if let Some(below) = &layer.below {
            unsafe { delta_below(below) };
        }
    }
    check == 0.0
}

/// The delta of a layer below, (δ·Wᵀ) ⊙ f'(a): the product, then each
/// entry times the slope of its unit (through the Jacobian, row by row,
/// for softmax). Identity's slope is 1, and g·1 = g, as the textbook's
/// product with a matrix of ones gives.
///
/// # Safety
/// See the [module](self).
#[inline(always)]
unsafe fn delta_below(below: &plan::Below) {
    // SAFETY: the caller's.
    let (a, delta) = unsafe {
        below.product.run();
        (below.a.read(), below.delta.write())
    };
    entrywise!(below.activation,
        F => {
            if F != Activation::Identity {
                for (d, &a) in delta.iter_mut().zip(a) {
                    *d *= F.derivative_from_output(a);
                }
            }
        },
        softmax => {
            let shape = (a.len() / below.units, below.units);
            let delta = ArrayViewMut2::from_shape(shape, delta).expect("δ has the shape of a");
            softmax_backward(view(a, shape), delta);
        }
    )
}

/// One row of logits turned into probabilities, in place, the row's
/// maximum taken out first.
fn softmax_in_place(mut row: ArrayViewMut1<f64>) {
    let max = row.fold(f64::NEG_INFINITY, |m, &v| m.max(v));
    row.mapv_inplace(|v| (v - max).exp());
    let sum = row.sum();
    row /= sum;
}

/// ∂L/∂a ← ∂L/∂a ⊙ f'(z) in place, for a softmax layer (through its
/// Jacobian, row by row).
fn softmax_backward(a: ArrayView2<f64>, mut grad: ArrayViewMut2<f64>) {
    for (a_row, mut g_row) in a.outer_iter().zip(grad.outer_iter_mut()) {
        let dot = a_row.dot(&g_row);
        Zip::from(&mut g_row)
            .and(&a_row)
            .for_each(|g, &a| *g = a * (*g - dot));
    }
}

/// The matrix of `shape` whose entries, row by row, are `e`.
fn view(e: &[f64], shape: (usize, usize)) -> ArrayView2<'_, f64> {
    ArrayView2::from_shape(shape, e).expect("the entries hold the shape")
}

/// The sign of `x`: 1, −1, or 0 at 0 (the slope of |x|, 0 at the kink).
fn sign(x: f64) -> f64 {
    if x > 0.0 {
        1.0
    } else if x < 0.0 {
        -1.0
    } else {
        0.0
    }
}

/// The loss of a forward pass's last layer (its z and a) against `y`, as
/// [`Loss::value_of`] computes it, without temporary matrices (its sums
/// taken one entry after another).
pub(crate) fn loss_value(
    loss: Loss,
    f: Activation,
    z: ArrayView2<f64>,
    a: ArrayView2<f64>,
    y: ArrayView2<f64>,
) -> f64 {
    let n = z.nrows() as f64;
    let nk = z.len() as f64;
    let clip = |p: f64| p.clamp(EPS, 1.0 - EPS);
    match (f, loss) {
        (Activation::Sigmoid, Loss::BinaryCrossEntropy) => {
            sum_over(z, y, |z, y| z.max(0.0) + (-z.abs()).exp().ln_1p() - z * y) / nk
        }
        (
            Activation::Softmax,
            Loss::CategoricalCrossEntropy | Loss::SparseCategoricalCrossEntropy,
        ) => {
            let mut total = 0.0;
            for (r, row) in z.outer_iter().enumerate() {
                let max = row.fold(f64::NEG_INFINITY, |m, &v| m.max(v));
                let log_sum = row.fold(0.0, |s, &v| s + (v - max).exp()).ln() + max;
                total += if loss.wants_labels() {
                    log_sum - row[y[[r, 0]] as usize]
                } else {
                    Zip::from(&row)
                        .and(y.row(r))
                        .fold(0.0, |s, &z, &y| s + y * (log_sum - z))
                };
            }
            total / n
        }
        (_, Loss::Mse) => sum_over(a, y, |p, y| (p - y) * (p - y)) / nk,
        (_, Loss::Mae) => sum_over(a, y, |p, y| (p - y).abs()) / nk,
        (_, Loss::BinaryCrossEntropy) => {
            -sum_over(a, y, |p, y| {
                y * clip(p).ln() + (1.0 - y) * (1.0 - clip(p)).ln()
            }) / nk
        }
        (_, Loss::CategoricalCrossEntropy) => -sum_over(a, y, |p, y| y * clip(p).ln()) / n,
        (_, Loss::SparseCategoricalCrossEntropy) => {
            -a.outer_iter()
                .zip(y.column(0))
                .map(|(row, &label)| clip(row[label as usize]).ln())
                .sum::<f64>()
                / n
        }
    }
}

/// Σ term(p, y) over the entries of `m` and `y`, from 0 one after another.
#[inline(always)]
fn sum_over(m: ArrayView2<f64>, y: ArrayView2<f64>, term: impl Fn(f64, f64) -> f64) -> f64 {
    Zip::from(m).and(y).fold(0.0, |s, &p, &y| s + term(p, y))
}

/// δ ← g(p, y) for the entries of `delta`, `pred` and `y`.
#[inline(always)]
fn fill(
    delta: &mut ArrayViewMut2<f64>,
    pred: ArrayView2<f64>,
    y: ArrayView2<f64>,
    g: impl Fn(f64, f64) -> f64,
) {
    Zip::from(delta)
        .and(pred)
        .and(y)
        .for_each(|d, &p, &y| *d = g(p, y));
}

/// δᴸ = ∂L/∂zᴸ of the output layer into `delta`, as [`Loss::output_delta`],
/// for the pairs [`loss_and_output_delta`] does not do in one pass.
fn output_delta(
    loss: Loss,
    f: Activation,
    pred: ArrayView2<f64>,
    y: ArrayView2<f64>,
    mut delta: ArrayViewMut2<f64>,
) {
    let n = pred.nrows() as f64;
    let nk = pred.len() as f64;
    let clip = |p: f64| p.clamp(EPS, 1.0 - EPS);
    match (f, loss) {
        (Activation::Sigmoid, Loss::BinaryCrossEntropy) => {
            fill(&mut delta, pred, y, |p, y| (p - y) / nk)
        }
        (Activation::Softmax, Loss::CategoricalCrossEntropy) => {
            fill(&mut delta, pred, y, |p, y| (p - y) / n)
        }
        (Activation::Softmax, Loss::SparseCategoricalCrossEntropy) => {
            for ((mut d, p), &label) in delta
                .outer_iter_mut()
                .zip(pred.outer_iter())
                .zip(y.column(0))
            {
                for (c, (d, &p)) in d.iter_mut().zip(p).enumerate() {
                    let y = if c == label as usize { 1.0 } else { 0.0 };
                    *d = (p - y) / n;
                }
            }
        }
        _ => {
            match loss {
                Loss::Mse => fill(&mut delta, pred, y, |p, y| 2.0 * (p - y) / nk),
                Loss::Mae => fill(&mut delta, pred, y, |p, y| sign(p - y) / nk),
                Loss::BinaryCrossEntropy => fill(&mut delta, pred, y, |p, y| {
                    (clip(p) - y) / (clip(p) * (1.0 - clip(p))) / nk
                }),
                Loss::CategoricalCrossEntropy => fill(&mut delta, pred, y, |p, y| -y / clip(p) / n),
                Loss::SparseCategoricalCrossEntropy => {
                    delta.fill(0.0);
                    for (r, &label) in y.column(0).iter().enumerate() {
                        let c = label as usize;
                        delta[[r, c]] = -1.0 / clip(pred[[r, c]]) / n;
                    }
                }
            }
            match f {
                Activation::Softmax => softmax_backward(pred, delta),
                f => Zip::from(delta)
                    .and(pred)
                    .for_each(|d, &a| *d *= f.derivative_from_output(a)),
            }
        }
    }
}
