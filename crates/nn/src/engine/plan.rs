//! What a step does, worked out once per run (and batch size): the
//! products it computes, which buffers they read and write, and the loops
//! compiled for their sizes.
//!
//! A step of the original network touches about twenty matrices. Finding
//! each one's entries through ndarray at every step (its pointer, its shape,
//! its layout), checking their sizes and picking the loops for them costs
//! more than the arithmetic on their six or nine numbers. The engine
//! allocates every buffer of a run itself, stored row by row, and never
//! moves, resizes or drops one while the run lasts, so all that is done
//! once, here, and a step only follows the plan.

use std::ptr::NonNull;

use ndarray::Array2;

use super::kernels::{Cpu, Operand, Product};
use super::Shape;
use crate::activation::Activation;
use crate::network::{ForwardPass, Gradients, Network};

/// Where the entries of a matrix stored row by row are, and how many.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Entries {
    start: NonNull<f64>,
    len: usize,
}

impl Entries {
    /// The entries of `m`, to read.
    pub(crate) fn of(m: &Array2<f64>) -> Entries {
        assert!(
            m.is_standard_layout(),
            "the engine's matrices are stored row by row"
        );
        Entries {
            start: NonNull::new(m.as_ptr().cast_mut()).expect("an array's pointer"),
            len: m.len(),
        }
    }

    /// The entries of `m`, to read and write.
    pub(crate) fn of_mut(m: &mut Array2<f64>) -> Entries {
        assert!(
            m.is_standard_layout(),
            "the engine's matrices are stored row by row"
        );
        Entries {
            start: NonNull::new(m.as_mut_ptr()).expect("an array's pointer"),
            len: m.len(),
        }
    }

    /// The first entry.
    pub(crate) fn start(self) -> NonNull<f64> {
        self.start
    }

    /// How many entries there are.
    pub(crate) fn len(self) -> usize {
        self.len
    }

    /// The entries as a slice.
    ///
    /// # Safety
    /// The matrix they came from is alive and in place, and nothing writes
    /// to it while the slice lives.
    #[inline(always)]
    pub(crate) unsafe fn read<'a>(self) -> &'a [f64] {
        // SAFETY: the caller's; a matrix stored row by row has its len()
        // entries in one run of memory from the first.
        unsafe { std::slice::from_raw_parts(self.start.as_ptr(), self.len) }
    }

    /// The entries as a slice to write to.
    ///
    /// # Safety
    /// They came from [`of_mut`](Entries::of_mut); the matrix is alive and
    /// in place, and nothing else reads or writes it while the slice lives.
    #[inline(always)]
    pub(crate) unsafe fn write<'a>(self) -> &'a mut [f64] {
        // SAFETY: as in `read`.
        unsafe { std::slice::from_raw_parts_mut(self.start.as_ptr(), self.len) }
    }
}

/// Where one layer's parameters are, in one of the engine's two networks.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Parameters {
    pub weights: Entries,
    pub bias: Option<Entries>,
    /// The position of the weights among the network's parameters (W¹, b¹,
    /// W², …): where the optimizer keeps their memory; the bias's is next.
    pub index: usize,
}

/// The parameters of every layer of `net`, which must be stored row by row.
pub(crate) fn parameters(net: &mut Network) -> Vec<Parameters> {
    let mut index = 0;
    net.layers
        .iter_mut()
        .map(|layer| {
            let p = Parameters {
                weights: Entries::of_mut(&mut layer.weights),
                bias: layer.bias.as_mut().map(Entries::of_mut),
                index,
            };
            index += 1 + usize::from(p.bias.is_some());
            p
        })
        .collect()
}

/// One layer's forward pass over a batch: z ← x·W + b, then a ← f(z).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Forward {
    pub weighted_sum: Product,
    pub activation: Activation,
    /// Units of the layer (the columns of z and a).
    pub units: usize,
    /// z and a (n × m), of the same length.
    pub z: Entries,
    pub a: Entries,
}

/// The output layer's loss and δᴸ over a batch.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Output {
    /// Rows of the batch.
    pub rows: usize,
    /// The targets (n × `targets`: m, or 1 for class labels).
    pub y: Entries,
    pub targets: usize,
    /// δᴸ (n × m), written.
    pub delta: Entries,
}

/// One layer's backward pass over a batch and its update.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Backward {
    /// ∂L/∂W = xᵀ·δ, into `weight_gradient`.
    pub weight_product: Product,
    /// Units of the layer.
    pub units: usize,
    /// δ (n × m), ∂L/∂W (k × m) and ∂L/∂b (1 × m).
    pub delta: Entries,
    pub weight_gradient: Entries,
    pub bias_gradient: Option<Entries>,
    /// The parameters before the step, read, and after it, written; each
    /// pair of the same length, the weights' that of ∂L/∂W, the bias's that
    /// of ∂L/∂b.
    pub weights: (Entries, Entries),
    pub bias: Option<(Entries, Entries)>,
    /// Where the optimizer keeps the memory of the weights (the bias's is next).
    pub index: usize,
    /// The layer below, whose δ this layer's gives (none for the first).
    pub below: Option<Below>,
}

/// The layer below a [`Backward`]: δ there = (δ·Wᵀ) ⊙ f'(a), with the
/// weights before the step.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Below {
    /// δ·Wᵀ, into `delta`.
    pub product: Product,
    pub activation: Activation,
    /// Units of the layer below.
    pub units: usize,
    /// Its a, and its δ, of the same length.
    pub a: Entries,
    pub delta: Entries,
}

/// A training step over batches of one size, with the weights of one of the
/// engine's two networks, writing the new weights into the other's.
#[derive(Debug)]
pub(crate) struct Step {
    /// Input side first.
    pub forward: Vec<Forward>,
    pub output: Output,
    /// Output side first, the order backpropagation runs in.
    pub backward: Vec<Backward>,
}

/// The forward pass of `shapes` with `params` over the n rows at `x`, into `pass`.
pub(crate) fn forward(
    cpu: Cpu,
    shapes: &[Shape],
    n: usize,
    x: Entries,
    pass: &mut ForwardPass,
    params: &[Parameters],
) -> Vec<Forward> {
    let mut input = x;
    shapes
        .iter()
        .zip(&mut pass.layers)
        .zip(params)
        .map(|((s, p), q)| {
            let (z, a) = (Entries::of_mut(&mut p.z), Entries::of_mut(&mut p.a));
            assert!(z.len == a.len, "z and a fit");
            let operands = (
                Operand::rows(input, s.inputs),
                Operand::rows(q.weights, s.outputs),
            );
            let weighted_sum = Product::new(cpu, operands, z, q.bias, (n, s.inputs, s.outputs));
            input = a;
            Forward {
                weighted_sum,
                activation: s.activation,
                units: s.outputs,
                z,
                a,
            }
        })
        .collect()
}

/// A training step of `shapes` over the n rows at `x` with targets at `y`
/// (`targets` columns), with its pass and gradients, from the parameters
/// `now` to `next`.
#[allow(clippy::too_many_arguments)]
pub(crate) fn step(
    cpu: Cpu,
    shapes: &[Shape],
    n: usize,
    (x, y, targets): (Entries, Entries, usize),
    pass: &mut ForwardPass,
    grads: &mut Gradients,
    now: &[Parameters],
    next: &[Parameters],
) -> Step {
    let forward = forward(cpu, shapes, n, x, pass, now);
    let deltas: Vec<(Entries, Entries, Option<Entries>)> = grads
        .layers
        .iter_mut()
        .map(|g| {
            (
                Entries::of_mut(&mut g.delta),
                Entries::of_mut(&mut g.weights),
                g.bias.as_mut().map(Entries::of_mut),
            )
        })
        .collect();
    let last = forward.last().expect("a layer");
    let output = Output {
        rows: n,
        y,
        targets,
        delta: deltas.last().expect("a layer").0,
    };
    assert!(
        output.delta.len == last.a.len && y.len == n * targets,
        "the output's matrices fit"
    );
    let backward = (0..shapes.len())
        .rev()
        .map(|l| {
            let (s, (delta, dw, db)) = (&shapes[l], deltas[l]);
            let input = if l == 0 { x } else { forward[l - 1].a };
            // ∂L/∂W = inputᵀ·δ: k × m, each entry a sum over the n rows.
            let operands = (
                Operand::transposed(input, s.inputs),
                Operand::rows(delta, s.outputs),
            );
            let weight_product = Product::new(cpu, operands, dw, None, (s.inputs, n, s.outputs));
            let pair = |(old, new): (Entries, Entries), len| old.len == len && new.len == len;
            let (weights, bias) = (
                (now[l].weights, next[l].weights),
                now[l].bias.zip(next[l].bias),
            );
            assert!(
                pair(weights, dw.len)
                    && db.is_some() == bias.is_some()
                    && db
                        .zip(bias)
                        .map_or(true, |(db, b)| pair(b, db.len) && db.len == s.outputs),
                "a layer's parameters and gradients fit"
            );
            let below = l.checked_sub(1).map(|b| {
                let f = &forward[b];
                // δ·Wᵀ: n × k, each entry a sum over this layer's m units.
                let operands = (
                    Operand::rows(delta, s.outputs),
                    Operand::transposed(weights.0, s.outputs),
                );
                let out = deltas[b].0;
                assert!(out.len == f.a.len, "a and δ fit");
                Below {
                    product: Product::new(cpu, operands, out, None, (n, s.outputs, s.inputs)),
                    activation: f.activation,
                    units: f.units,
                    a: f.a,
                    delta: out,
                }
            });
            Backward {
                weight_product,
                units: s.outputs,
                delta,
                weight_gradient: dw,
                bias_gradient: db,
                weights,
                bias,
                index: now[l].index,
                below,
            }
        })
        .collect();
    Step {
        forward,
        output,
        backward,
    }
}
