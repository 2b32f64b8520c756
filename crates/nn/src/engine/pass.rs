//! The forward and backward passes into buffers that are reused from step
//! to step: the same formulas as [`Network::forward`] and
//! [`Network::backward`], written so that a step allocates nothing.
//!
//! [`Network::forward`]: crate::network::Network::forward
//! [`Network::backward`]: crate::network::Network::backward

use ndarray::{Array2, ArrayView2, ArrayViewMut1, ArrayViewMut2, Zip};

use super::kernels::{fold2, mat_mul_into, zip2, zip3};
use crate::activation::Activation;
use crate::layer::Dense;
use crate::loss::{Loss, EPS};
use crate::network::{ForwardPass, Gradients, LayerGradient, LayerPass, Network};

/// Every layer's z and a for the rows of `x`, into `pass` (its matrices are
/// reused while the batch size stays the same; `pass.input` stays empty, the
/// caller has x). Inputs must have been checked.
pub(crate) fn forward(net: &Network, x: ArrayView2<f64>, pass: &mut ForwardPass) {
    let n = x.nrows();
    let fits = pass.layers.len() == net.layers.len()
        && pass
            .layers
            .iter()
            .zip(&net.layers)
            .all(|(p, l)| p.z.dim() == (n, l.outputs()));
    if !fits {
        pass.layers = net
            .layers
            .iter()
            .map(|l| LayerPass {
                z: Array2::zeros((n, l.outputs())),
                a: Array2::zeros((n, l.outputs())),
            })
            .collect();
    }
    for i in 0..net.layers.len() {
        let (done, rest) = pass.layers.split_at_mut(i);
        let input = done.last().map_or(x.view(), |prev| prev.a.view());
        let out = &mut rest[0];
        layer_forward(&net.layers[i], input, out.z.view_mut(), out.a.view_mut());
    }
}

/// z ← x·W + b, a ← f(z). The bias is added after the product, as the
/// textbook's `x.dot(&w) + b` does, so that both round alike.
fn layer_forward(
    layer: &Dense,
    x: ArrayView2<f64>,
    mut z: ArrayViewMut2<f64>,
    a: ArrayViewMut2<f64>,
) {
    mat_mul_into(x, layer.weights.view(), z.view_mut());
    if let Some(b) = &layer.bias {
        for mut row in z.rows_mut() {
            row += &b.row(0);
        }
    }
    activate(layer.activation, z.view(), a);
}

/// a ← f(z).
fn activate(f: Activation, z: ArrayView2<f64>, mut a: ArrayViewMut2<f64>) {
    match f {
        Activation::Identity => a.assign(&z),
        Activation::Softmax => {
            a.assign(&z);
            for row in a.rows_mut() {
                softmax_in_place(row);
            }
        }
        // One loop per activation, so that its formula is inlined into it.
        Activation::Sigmoid => zip2(a, z, |a, z| *a = Activation::Sigmoid.value(z)),
        Activation::Tanh => zip2(a, z, |a, z| *a = Activation::Tanh.value(z)),
        Activation::Relu => zip2(a, z, |a, z| *a = Activation::Relu.value(z)),
    }
}

/// One row of logits turned into probabilities, in place, the row's
/// maximum taken out first.
fn softmax_in_place(mut row: ArrayViewMut1<f64>) {
    let max = row.fold(f64::NEG_INFINITY, |m, &v| m.max(v));
    row.mapv_inplace(|v| (v - max).exp());
    let sum = row.sum();
    row /= sum;
}

/// ∂L/∂a ← ∂L/∂a ⊙ f'(z) in place (softmax through its Jacobian).
fn activation_backward(f: Activation, a: ArrayView2<f64>, mut grad: ArrayViewMut2<f64>) {
    match f {
        Activation::Identity => {}
        Activation::Softmax => {
            for (a_row, mut g_row) in a.outer_iter().zip(grad.outer_iter_mut()) {
                let dot = a_row.dot(&g_row);
                Zip::from(&mut g_row)
                    .and(&a_row)
                    .for_each(|g, &a| *g = a * (*g - dot));
            }
        }
        Activation::Sigmoid => zip2(grad, a, |g, a| {
            *g *= Activation::Sigmoid.derivative_from_output(a)
        }),
        Activation::Tanh => zip2(grad, a, |g, a| {
            *g *= Activation::Tanh.derivative_from_output(a)
        }),
        Activation::Relu => zip2(grad, a, |g, a| {
            *g *= Activation::Relu.derivative_from_output(a)
        }),
    }
}

/// The loss of a forward pass, as [`Loss::value_of`] computes it, without
/// temporary matrices.
pub(crate) fn loss_value(loss: Loss, f: Activation, pass: &ForwardPass, y: &Array2<f64>) -> f64 {
    let last = pass.layers.last().expect("the trainer checked the network");
    let (z, a) = (last.z.view(), last.a.view());
    let n = z.nrows() as f64;
    let nk = z.len() as f64;
    let clip = |p: f64| p.clamp(EPS, 1.0 - EPS);
    match (f, loss) {
        (Activation::Sigmoid, Loss::BinaryCrossEntropy) => {
            fold2(z, y.view(), 0.0, |s, z, y| {
                s + (z.max(0.0) + (-z.abs()).exp().ln_1p() - z * y)
            }) / nk
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
        (_, Loss::Mse) => fold2(a, y.view(), 0.0, |s, p, y| s + (p - y) * (p - y)) / nk,
        (_, Loss::Mae) => fold2(a, y.view(), 0.0, |s, p, y| s + (p - y).abs()) / nk,
        (_, Loss::BinaryCrossEntropy) => {
            -fold2(a, y.view(), 0.0, |s, p, y| {
                s + (y * clip(p).ln() + (1.0 - y) * (1.0 - clip(p)).ln())
            }) / nk
        }
        (_, Loss::CategoricalCrossEntropy) => {
            -fold2(a, y.view(), 0.0, |s, p, y| s + y * clip(p).ln()) / n
        }
        (_, Loss::SparseCategoricalCrossEntropy) => {
            -a.outer_iter()
                .zip(y.column(0))
                .map(|(row, &label)| clip(row[label as usize]).ln())
                .sum::<f64>()
                / n
        }
    }
}

/// δᴸ = ∂L/∂z of the output layer into `delta`, as [`Loss::output_delta`].
fn output_delta(
    loss: Loss,
    f: Activation,
    pred: &Array2<f64>,
    y: &Array2<f64>,
    mut delta: ArrayViewMut2<f64>,
) {
    let n = pred.nrows() as f64;
    let nk = pred.len() as f64;
    let clip = |p: f64| p.clamp(EPS, 1.0 - EPS);
    let (pred_v, y_v) = (pred.view(), y.view());
    match (f, loss) {
        (Activation::Sigmoid, Loss::BinaryCrossEntropy) => {
            zip3(delta, pred_v, y_v, |d, p, y| *d = (p - y) / nk)
        }
        (Activation::Softmax, Loss::CategoricalCrossEntropy) => {
            zip3(delta, pred_v, y_v, |d, p, y| *d = (p - y) / n)
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
                Loss::Mse => zip3(delta.view_mut(), pred_v, y_v, |g, p, y| {
                    *g = 2.0 * (p - y) / nk
                }),
                Loss::Mae => zip3(delta.view_mut(), pred_v, y_v, |g, p, y| {
                    *g = if p > y {
                        1.0
                    } else if p < y {
                        -1.0
                    } else {
                        0.0
                    } / nk
                }),
                Loss::BinaryCrossEntropy => zip3(delta.view_mut(), pred_v, y_v, |g, p, y| {
                    *g = (clip(p) - y) / (clip(p) * (1.0 - clip(p))) / nk
                }),
                Loss::CategoricalCrossEntropy => zip3(delta.view_mut(), pred_v, y_v, |g, p, y| {
                    *g = -y / clip(p) / n
                }),
                Loss::SparseCategoricalCrossEntropy => {
                    delta.fill(0.0);
                    for (r, &label) in y.column(0).iter().enumerate() {
                        let c = label as usize;
                        delta[[r, c]] = -1.0 / clip(pred[[r, c]]) / n;
                    }
                }
            }
            activation_backward(f, pred_v, delta);
        }
    }
}

/// Backpropagation into `grads`, reusing its matrices while the batch size
/// stays the same. Inputs, targets and pass must have been checked.
pub(crate) fn backward(
    net: &Network,
    x: ArrayView2<f64>,
    pass: &ForwardPass,
    loss: Loss,
    y: &Array2<f64>,
    grads: &mut Gradients,
) {
    let n = x.nrows();
    let fits = grads.layers.len() == net.layers.len()
        && grads
            .layers
            .iter()
            .zip(&net.layers)
            .all(|(g, l)| g.delta.dim() == (n, l.outputs()));
    if !fits {
        grads.layers = net
            .layers
            .iter()
            .map(|l| LayerGradient {
                delta: Array2::zeros((n, l.outputs())),
                weights: Array2::zeros(l.weights.raw_dim()),
                bias: l.bias.as_ref().map(|b| Array2::zeros(b.raw_dim())),
            })
            .collect();
    }
    let last = net.layers.len() - 1;
    output_delta(
        loss,
        net.layers[last].activation,
        &pass.layers[last].a,
        y,
        grads.layers[last].delta.view_mut(),
    );
    for l in (0..net.layers.len()).rev() {
        let (below, here) = grads.layers.split_at_mut(l);
        let g = &mut here[0];
        let input = if l == 0 {
            x.view()
        } else {
            pass.layers[l - 1].a.view()
        };
        // ∂L/∂W = inputᵀ · δ
        mat_mul_into(input.t(), g.delta.view(), g.weights.view_mut());
        // ∂L/∂b = Σ over rows of δ
        if let Some(db) = &mut g.bias {
            let mut db = db.row_mut(0);
            db.fill(0.0);
            for row in g.delta.rows() {
                db += &row;
            }
        }
        // δ one layer down = (δ · Wᵀ) ⊙ f'(z below)
        if let Some(prev) = below.last_mut() {
            mat_mul_into(
                g.delta.view(),
                net.layers[l].weights.t(),
                prev.delta.view_mut(),
            );
            activation_backward(
                net.layers[l - 1].activation,
                pass.layers[l - 1].a.view(),
                prev.delta.view_mut(),
            );
        }
    }
}
