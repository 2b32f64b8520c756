//! The optimizers' updates written as new parameters beside the old ones:
//! the rules of [`Optimizer::step`], each parameter's new value computed
//! from its old one in one pass that also notes whether it stayed finite.
//!
//! [`Optimizer::step`]: crate::optimizer::Optimizer::step

use ndarray::Array2;

use super::kernels::{row_major, row_major_mut};
use crate::network::{Gradients, Network};
use crate::optimizer::{Optimizer, OptimizerState};

/// `net`'s parameters ← the rule applied to `previous`'s parameters and
/// `grads`; `state` must have been prepared for `optimizer` and this
/// network. What `net` held is overwritten unread, so the trainer can swap
/// the current network into `previous` first and keep it, without a copy,
/// in case the next loss overflows. Returns whether every new parameter is
/// finite.
pub(crate) fn step(
    optimizer: &Optimizer,
    previous: &Network,
    net: &mut Network,
    grads: &Gradients,
    state: &mut OptimizerState,
) -> bool {
    match (*optimizer, state) {
        (
            Optimizer::Momentum {
                learning_rate,
                momentum,
            },
            OptimizerState::Momentum(s),
        ) => for_each_parameter(previous, net, grads, |i, theta, old, g| {
            let velocity = row_major_mut(&mut s.velocity[i]);
            let mut finite = true;
            for ((t, &old), (v, &g)) in theta.iter_mut().zip(old).zip(velocity.iter_mut().zip(g)) {
                *v = momentum * *v - learning_rate * g;
                *t = old + *v;
                finite &= t.is_finite();
            }
            finite
        }),
        (
            Optimizer::Adam {
                learning_rate,
                beta1,
                beta2,
                epsilon,
            },
            OptimizerState::Adam(s),
        ) => {
            s.t += 1;
            let t = s.t as i32;
            let (fix1, fix2) = (1.0 - beta1.powi(t), 1.0 - beta2.powi(t));
            let (first, second) = (&mut s.m, &mut s.v);
            for_each_parameter(previous, net, grads, |i, theta, old, g| {
                let m = row_major_mut(&mut first[i]);
                let v = row_major_mut(&mut second[i]);
                let theta = theta.iter_mut().zip(old).zip(g);
                let mut finite = true;
                for (((t, &old), &g), (m, v)) in theta.zip(m.iter_mut().zip(v)) {
                    *m = beta1 * *m + (1.0 - beta1) * g;
                    *v = beta2 * *v + (1.0 - beta2) * (g * g);
                    *t = old - learning_rate * (*m / fix1) / ((*v / fix2).sqrt() + epsilon);
                    finite &= t.is_finite();
                }
                finite
            })
        }
        (opt, _) => {
            let learning_rate = opt.learning_rate();
            for_each_parameter(previous, net, grads, |_, theta, old, g| {
                let mut finite = true;
                for ((t, &old), &g) in theta.iter_mut().zip(old).zip(g) {
                    *t = old - learning_rate * g;
                    finite &= t.is_finite();
                }
                finite
            })
        }
    }
}

/// Calls `update(i, θ, θ before, ∂L/∂θ)` for the i-th parameter of `net`,
/// in the order W¹, b¹, W², b², … of the optimizer's state, each matrix as
/// its entries row by row. `update` tells whether the new θ is finite, and
/// the answer whether every one is. Each update keeps its own flag, which
/// stays in a register: one flag shared by all, behind a pointer, went
/// through memory at every entry and made W2's Adam steps 30 % slower.
fn for_each_parameter(
    previous: &Network,
    net: &mut Network,
    grads: &Gradients,
    mut update: impl FnMut(usize, &mut [f64], &[f64], &[f64]) -> bool,
) -> bool {
    let mut finite = true;
    let mut i = 0;
    let mut call = |theta: &mut Array2<f64>, old: &Array2<f64>, g: &Array2<f64>| {
        finite &= update(i, row_major_mut(theta), &row_major(old), &row_major(g));
        i += 1;
    };
    let layers = net
        .layers
        .iter_mut()
        .zip(&previous.layers)
        .zip(&grads.layers);
    for ((layer, old), g) in layers {
        call(&mut layer.weights, &old.weights, &g.weights);
        if let (Some(b), Some(old_b), Some(g_b)) = (&mut layer.bias, &old.bias, &g.bias) {
            call(b, old_b, g_b);
        }
    }
    finite
}
