//! The optimizers' updates, taken inside the backward pass: each entry of
//! ∂L/∂W moves its weight as soon as it is summed, by the rule of
//! [`Optimizer::step`] written for one number.
//!
//! The new weights go into the engine's second network, beside the old
//! ones, which stay as they were: the backward pass still needs them for the
//! delta of the layer below, and the engine keeps them in case the next
//! loss overflows.
//!
//! [`Optimizer::step`]: crate::optimizer::Optimizer::step

use ndarray::Array2;

use super::plan::Backward;
use crate::optimizer::{Optimizer, OptimizerState};

/// θ ← θ − η g (GD and SGD).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Descent {
    learning_rate: f64,
}

/// v ← μ v − η g, θ ← θ + v.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Momentum {
    learning_rate: f64,
    momentum: f64,
}

/// m ← β₁ m + (1 − β₁) g, v ← β₂ v + (1 − β₂) g², θ ← θ − η m̂ / (√v̂ + ε),
/// with m̂ = m / fix1 and v̂ = v / fix2 (fix = 1 − βᵗ for this step's t).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Adam {
    learning_rate: f64,
    beta1: f64,
    beta2: f64,
    epsilon: f64,
    fix1: f64,
    fix2: f64,
}

/// One step's update rule, with its hyperparameters.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Rule {
    Descent(Descent),
    Momentum(Momentum),
    Adam(Adam),
}

impl Rule {
    /// The rule of `optimizer` for the next step, and the optimizer's memory
    /// (for Momentum the velocities; for Adam the moments m and v; one
    /// matrix per parameter). Counts the step for Adam. `state` must have
    /// been prepared for `optimizer`.
    pub(crate) fn next<'s>(
        optimizer: &Optimizer,
        state: &'s mut OptimizerState,
    ) -> (Rule, &'s mut [Array2<f64>], &'s mut [Array2<f64>]) {
        match (*optimizer, state) {
            (
                Optimizer::Momentum {
                    learning_rate,
                    momentum,
                },
                OptimizerState::Momentum(s),
            ) => {
                let rule = Momentum {
                    learning_rate,
                    momentum,
                };
                (Rule::Momentum(rule), &mut s.velocity, &mut [])
            }
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
                let rule = Adam {
                    learning_rate,
                    beta1,
                    beta2,
                    epsilon,
                    fix1: 1.0 - beta1.powi(t),
                    fix2: 1.0 - beta2.powi(t),
                };
                (Rule::Adam(rule), &mut s.m, &mut s.v)
            }
            (optimizer, _) => {
                let learning_rate = optimizer.learning_rate();
                (Rule::Descent(Descent { learning_rate }), &mut [], &mut [])
            }
        }
    }
}

/// What the optimizer remembers of one parameter matrix, entry by entry
/// (empty where the rule keeps nothing).
pub(crate) struct Memory<'a> {
    first: &'a mut [f64],
    second: &'a mut [f64],
}

impl<'a> Memory<'a> {
    /// No memory, for rules that keep none.
    pub(crate) fn none() -> Self {
        Memory {
            first: &mut [],
            second: &mut [],
        }
    }

    /// The memory of a layer's weights and bias, parameters `i` and `i + 1`
    /// among the optimizer's matrices `first` and `second` (the bias's is
    /// empty if the layer has none, and both are where the rule keeps none).
    pub(crate) fn of_layer(
        first: &'a mut [Array2<f64>],
        second: &'a mut [Array2<f64>],
        i: usize,
        bias: bool,
    ) -> (Self, Self) {
        let (w1, b1) = two(first, i, bias);
        let (w2, b2) = two(second, i, bias);
        let memory = |first, second| Memory { first, second };
        (memory(w1, w2), memory(b1, b2))
    }
}

/// The entries of matrix `i` of `m`, and of matrix `i + 1` if `next` (each
/// empty where there is none).
fn two(m: &mut [Array2<f64>], i: usize, next: bool) -> (&mut [f64], &mut [f64]) {
    let (head, tail) = m.split_at_mut((i + 1).min(m.len()));
    let tail = if next { tail.first_mut() } else { None };
    (
        head.get_mut(i).map_or(&mut [], row_major_mut),
        tail.map_or(&mut [], row_major_mut),
    )
}

/// The entries of an optimizer's memory `m` row by row, to write to. A
/// matrix stored otherwise (a transposed array put in by hand) is
/// rearranged first, once.
fn row_major_mut(m: &mut Array2<f64>) -> &mut [f64] {
    if !m.is_standard_layout() {
        *m = m.as_standard_layout().into_owned();
    }
    m.as_slice_mut().expect("standard layout")
}

/// An update rule for one number, as a type, so that each kernel is
/// compiled with its formula.
pub(crate) trait Update: Copy {
    /// Whether the rule keeps a first and a second matrix of memory.
    const MEMORY: (bool, bool);

    /// The new value of an entry that was `old`, with gradient `g`, and
    /// entry `i` of its memory.
    ///
    /// # Safety
    /// `i` is inside the memory the rule keeps.
    unsafe fn updated(self, old: f64, g: f64, memory: &mut Memory, i: usize) -> f64;
}

impl Update for Descent {
    const MEMORY: (bool, bool) = (false, false);

    #[inline(always)]
    unsafe fn updated(self, old: f64, g: f64, _: &mut Memory, _: usize) -> f64 {
        old - self.learning_rate * g
    }
}

impl Update for Momentum {
    const MEMORY: (bool, bool) = (true, false);

    #[inline(always)]
    unsafe fn updated(self, old: f64, g: f64, memory: &mut Memory, i: usize) -> f64 {
        // SAFETY: the caller's.
        let v = unsafe { memory.first.get_unchecked_mut(i) };
        *v = self.momentum * *v - self.learning_rate * g;
        old + *v
    }
}

impl Update for Adam {
    const MEMORY: (bool, bool) = (true, true);

    #[inline(always)]
    unsafe fn updated(self, old: f64, g: f64, memory: &mut Memory, i: usize) -> f64 {
        let Adam {
            learning_rate,
            beta1,
            beta2,
            epsilon,
            fix1,
            fix2,
        } = self;
        // SAFETY: the caller's.
        let m = unsafe { memory.first.get_unchecked_mut(i) };
        *m = beta1 * *m + (1.0 - beta1) * g;
        let m = *m;
        let v = unsafe { memory.second.get_unchecked_mut(i) };
        *v = beta2 * *v + (1.0 - beta2) * (g * g);
        old - learning_rate * (m / fix1) / ((*v / fix2).sqrt() + epsilon)
    }
}

/// Moves every parameter of one layer by `rule`, from the weights before
/// the step into the other network's, once ∂L/∂W is summed; sums ∂L/∂b =
/// Σ over rows of δ (from 0, one row after another) first. The optimizer's
/// memory of the layer's parameters is among `first` and `second` (one
/// matrix per parameter), where the rule keeps any. Returns 0 if every new
/// parameter is finite and NaN otherwise, so that one comparison per step
/// tells whether the step diverged. (A flag shared behind a pointer went
/// through memory at every entry and made W2's Adam steps 30 % slower.)
///
/// # Safety
/// As the [passes](super::pass): the plan's matrices are alive, in place,
/// and touched by nothing else during the call.
#[inline(always)]
pub(crate) unsafe fn update<R: Update>(
    layer: &Backward,
    rule: R,
    first: &mut [Array2<f64>],
    second: &mut [Array2<f64>],
) -> f64 {
    let (mut memory_w, mut memory_b) = match R::MEMORY {
        (false, false) => (Memory::none(), Memory::none()),
        _ => Memory::of_layer(first, second, layer.index, layer.bias.is_some()),
    };
    // SAFETY: the caller's; the plan checked that each pair has one length.
    let (dw, old_w, new_w) = unsafe {
        (
            layer.weight_gradient.read(),
            layer.weights.0.read(),
            layer.weights.1.write(),
        )
    };
    let mut check = apply(rule, (old_w, dw, new_w), &mut memory_w);
    if let (Some(db), Some((old_b, new_b))) = (layer.bias_gradient, layer.bias) {
        // SAFETY: as above.
        let (db, delta) = unsafe { (db.write(), layer.delta.read()) };
        db.fill(0.0);
        for row in delta.chunks_exact(layer.units) {
            for (s, &d) in db.iter_mut().zip(row) {
                *s += d;
            }
        }
        let (old_b, new_b) = unsafe { (old_b.read(), new_b.write()) };
        check += apply(rule, (old_b, db, new_b), &mut memory_b);
    }
    check
}

/// new ← the rule's step from `old` with gradient `g`, entry by entry;
/// returns 0 if every new entry is finite, NaN otherwise.
///
/// The test is an `and` of one comparison per entry: integer logic, which
/// the compiler may regroup, so the loop runs two entries at a time (SSE2,
/// which every x86-64 has). A sum of t − t said the same, but a
/// floating-point sum must be added in order, one entry after another, and
/// it held the whole loop to that pace.
#[inline(always)]
fn apply<R: Update>(
    rule: R,
    (old, g, new): (&[f64], &[f64], &mut [f64]),
    memory: &mut Memory,
) -> f64 {
    let len = new.len();
    assert!(
        old.len() == len
            && g.len() == len
            && (!R::MEMORY.0 || memory.first.len() == len)
            && (!R::MEMORY.1 || memory.second.len() == len),
        "the optimizer's memory has the parameters' shapes"
    );
    let mut finite = true;
    for (i, ((t, &old), &g)) in new.iter_mut().zip(old).zip(g).enumerate() {
        // SAFETY: i < len, which the memory the rule keeps has.
        *t = unsafe { rule.updated(old, g, memory, i) };
        finite &= t.is_finite();
    }
    if finite {
        0.0
    } else {
        f64::NAN
    }
}
