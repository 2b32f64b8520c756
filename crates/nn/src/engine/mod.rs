//! The engine: the training step the [`Trainer`](crate::train::Trainer)
//! runs, fast and allocation-free.
//!
//! The textbook modules ([`layer`](crate::layer), [`network`](crate::network),
//! [`loss`](crate::loss), [`optimizer`](crate::optimizer)) write each formula
//! as one matrix expression that allocates its result, because that is how
//! the math reads. A training run takes tens of thousands of steps, so the
//! trainer runs the same formulas here instead:
//!
//! - every matrix of a step lives in a buffer that is reused while the batch
//!   size stays the same (two sets: full batches, and the smaller last one);
//! - the small products run as plain loops, element-wise passes straight over
//!   the numbers (`engine/kernels.rs`);
//! - the weights are double-buffered: a step writes the new weights beside
//!   the old ones, so that when the next loss overflows the network can go
//!   back to the last weights whose loss was finite, without a copy.
//!
//! `tests/engine_equals_textbook.rs` holds the engine to the textbook: for
//! random networks, losses and optimizers, several steps of each give the
//! same numbers to 1e-15.

mod kernels;
mod pass;
mod plan;
mod update;

use std::borrow::Cow;

use ndarray::{Array2, ArrayView1, ArrayViewMut1};

use self::kernels::Cpu;
use self::pass::Outcome;
use self::plan::{Entries, Parameters};
use crate::activation::Activation;
use crate::data::Dataset;
use crate::loss::Loss;
use crate::network::{ForwardPass, Gradients, Network};
use crate::optimizer::{Optimizer, OptimizerState};

/// One layer's sizes, read once per run.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Shape {
    /// Values per input row.
    pub inputs: usize,
    /// Units.
    pub outputs: usize,
    /// The layer's activation.
    pub activation: Activation,
    /// Whether the layer has a bias.
    pub bias: bool,
}

/// Buffers for one batch size, and where their entries are.
struct Workspace {
    /// Rows per batch.
    rows: usize,
    /// Whether the batch is the whole data, in order: then it is used where
    /// it is, and `x` and `y` stay unused.
    full: bool,
    /// The batch's rows, gathered.
    x: Array2<f64>,
    y: Array2<f64>,
    pass: ForwardPass,
    grads: Gradients,
    /// The step with the weights of either network: `plans[now]`.
    plans: [plan::Step; 2],
}

impl Workspace {
    /// Buffers for batches of `rows` rows of `data` through `shapes`, and
    /// the steps from either set of parameters to the other.
    fn new(
        rows: usize,
        (shapes, cpu): (&[Shape], Cpu),
        data: &Dataset,
        params: &[Vec<Parameters>; 2],
    ) -> Workspace {
        let mut x = Array2::zeros((rows, data.x.ncols()));
        let mut y = Array2::zeros((rows, data.y.ncols()));
        let (mut pass, mut grads) = pass::buffers(shapes, rows);
        let full = rows == data.x.nrows();
        let (inputs, targets) = if full {
            (Entries::of(&data.x), Entries::of(&data.y))
        } else {
            (Entries::of_mut(&mut x), Entries::of_mut(&mut y))
        };
        let io = (inputs, targets, data.y.ncols());
        let mut plan =
            |now, next| plan::step(cpu, shapes, rows, io, &mut pass, &mut grads, now, next);
        let plans = [plan(&params[0], &params[1]), plan(&params[1], &params[0])];
        Workspace {
            rows,
            full,
            x,
            y,
            pass,
            grads,
            plans,
        }
    }
}

/// The forward pass over the validation rows, with either network's weights.
struct Checkup {
    pass: ForwardPass,
    plans: [Vec<plan::Forward>; 2],
}

/// What one step did.
pub(crate) enum Step {
    /// The batch's loss, measured before the update.
    Took(f64),
    /// The loss (or a new weight) was not finite; the network holds the last
    /// weights whose loss was finite. Carries the loss value.
    Diverged(f64),
}

/// One training run: the network being trained, the network before the last
/// step, the data, and the buffers.
///
/// The engine takes the network out of the caller's hands for the run, and
/// puts it back, trained, when it is dropped (even by a panic). While it
/// holds them, every matrix it works on is stored row by row (the
/// parameters are rearranged when the run starts if a caller made one
/// otherwise, the data copied once if it is not, the buffers allocated so),
/// and none moves: the [plans](plan) note once where each one's entries
/// are, and the passes work on them as plain slices.
pub(crate) struct Engine<'a> {
    /// Where the network goes back to.
    home: &'a mut Network,
    /// The network being trained.
    net: Network,
    /// The network before the last step; its matrices are the next step's
    /// output buffers.
    previous: Network,
    /// Where the two networks' parameters are: `params[now]` are `net`'s,
    /// the other `previous`'s.
    params: [Vec<Parameters>; 2],
    now: usize,
    stepped: bool,
    shapes: Vec<Shape>,
    cpu: Cpu,
    loss: Loss,
    optimizer: Optimizer,
    data: Cow<'a, Dataset>,
    validation: Option<Cow<'a, Dataset>>,
    /// Rows per full batch.
    batch: usize,
    /// Batches of `batch` rows use the first workspace; the last, smaller
    /// one of an epoch the second.
    work: [Option<Workspace>; 2],
    /// Which workspace the last step used.
    last: usize,
    checkup: Option<Checkup>,
}

impl Drop for Engine<'_> {
    fn drop(&mut self) {
        std::mem::swap(self.home, &mut self.net);
    }
}

/// `data` stored row by row: borrowed if it is, copied if not.
fn row_major(data: &Dataset) -> Cow<'_, Dataset> {
    if data.x.is_standard_layout() && data.y.is_standard_layout() {
        Cow::Borrowed(data)
    } else {
        Cow::Owned(Dataset {
            x: data.x.as_standard_layout().into_owned(),
            y: data.y.as_standard_layout().into_owned(),
        })
    }
}

impl<'a> Engine<'a> {
    /// An engine for training `net` on `data` in batches of `batch` rows for
    /// `loss` with `optimizer`, measuring `validation` after each epoch. The
    /// network, the data, the loss and the optimizer must have been checked
    /// by the caller.
    pub(crate) fn new(
        net: &'a mut Network,
        (data, validation): (&'a Dataset, Option<&'a Dataset>),
        batch: usize,
        loss: Loss,
        optimizer: Optimizer,
    ) -> Engine<'a> {
        let mut own = std::mem::replace(net, Network { layers: Vec::new() });
        for p in own.parameters_mut() {
            if !p.is_standard_layout() {
                *p = p.as_standard_layout().into_owned();
            }
        }
        let shapes = own
            .layers
            .iter()
            .map(|l| Shape {
                inputs: l.inputs(),
                outputs: l.outputs(),
                activation: l.activation,
                bias: l.bias.is_some(),
            })
            .collect();
        let mut previous = own.clone();
        Engine {
            home: net,
            params: [plan::parameters(&mut own), plan::parameters(&mut previous)],
            now: 0,
            net: own,
            previous,
            stepped: false,
            shapes,
            cpu: Cpu::detect(),
            loss,
            optimizer,
            data: row_major(data),
            validation: validation.map(row_major),
            batch,
            work: [None, None],
            last: 0,
            checkup: None,
        }
    }

    /// The network as it is now.
    pub(crate) fn network(&self) -> &Network {
        &self.net
    }

    /// `net` and `previous` change places.
    fn swap(&mut self) {
        std::mem::swap(&mut self.net, &mut self.previous);
        self.now = 1 - self.now;
    }

    /// One step on the rows `rows` of the data: forward, loss, backward and
    /// update. `state` must have been prepared for the optimizer and the
    /// network.
    pub(crate) fn step(&mut self, rows: &[usize], state: &mut OptimizerState) -> Step {
        self.last = usize::from(rows.len() != self.batch);
        let ws = match &mut self.work[self.last] {
            Some(ws) if ws.rows == rows.len() => ws,
            slot => {
                let how = (&self.shapes[..], self.cpu);
                slot.insert(Workspace::new(rows.len(), how, &self.data, &self.params))
            }
        };
        if !ws.full {
            gather(&self.data, rows, &mut ws.x, &mut ws.y);
        }
        // SAFETY: the plans locate the engine's own matrices, which are
        // stored row by row, stay in place while it lives, and are only
        // touched here during a step; a step reads the weights of one
        // network and writes those of the other.
        let outcome = unsafe { pass::step(&ws.plans[self.now], self.loss, &self.optimizer, state) };
        match outcome {
            Outcome::Loss(value) => {
                // Back to the last weights whose loss was finite.
                if self.stepped {
                    self.swap();
                }
                Step::Diverged(value)
            }
            // The step wrote the new weights into the matrices of
            // `previous`: it changes places with `net` (two vectors
            // swapped, no weight copied), and the weights before the step
            // stay at hand.
            Outcome::Finite(value) => {
                self.swap();
                self.stepped = true;
                Step::Took(value)
            }
            // A gradient that is not finite gives weights that are not
            // either, and so can a finite one times a huge learning rate:
            // weights at ±∞ would go unnoticed where a sigmoid saturates,
            // so such a step is not taken.
            Outcome::Parameters => {
                self.stepped = true;
                Step::Diverged(f64::INFINITY)
            }
        }
    }

    fn last_workspace(&self) -> &Workspace {
        self.work[self.last].as_ref().expect("a step was taken")
    }

    /// The last step's forward pass (over its batch).
    pub(crate) fn last_pass(&self) -> &ForwardPass {
        &self.last_workspace().pass
    }

    /// The last step's targets.
    pub(crate) fn last_targets(&self) -> &Array2<f64> {
        let ws = self.last_workspace();
        if ws.full {
            &self.data.y
        } else {
            &ws.y
        }
    }

    /// The last step's gradients.
    pub(crate) fn last_gradients(&self) -> &Gradients {
        &self.last_workspace().grads
    }

    /// The network before the last step.
    pub(crate) fn previous(&self) -> &Network {
        &self.previous
    }

    /// The loss and accuracy of the network on the validation rows (`None`
    /// without them), without allocating after the first call.
    pub(crate) fn evaluate(&mut self) -> Option<(f64, Option<f64>)> {
        let loss = self.loss;
        let data = self.validation.as_deref()?;
        let checkup = self.checkup.get_or_insert_with(|| {
            let (n, x) = (data.x.nrows(), Entries::of(&data.x));
            let mut pass = pass::buffers(&self.shapes, n).0;
            let mut plan = |params| plan::forward(self.cpu, &self.shapes, n, x, &mut pass, params);
            let plans = [plan(&self.params[0]), plan(&self.params[1])];
            Checkup { pass, plans }
        });
        // SAFETY: as in `step`.
        unsafe { pass::forward(&checkup.plans[self.now]) };
        let last = checkup.pass.layers.last().expect("a layer");
        let f = self.net.output_activation();
        Some((
            pass::loss_value(loss, f, last.z.view(), last.a.view(), data.y.view()),
            loss.accuracy(&last.a, &data.y),
        ))
    }
}

/// Copies the chosen rows into the batch buffers (sized for them).
fn gather(data: &Dataset, rows: &[usize], x: &mut Array2<f64>, y: &mut Array2<f64>) {
    for (i, &r) in rows.iter().enumerate() {
        copy_row(x.row_mut(i), data.x.row(r));
        copy_row(y.row_mut(i), data.y.row(r));
    }
}

/// to ← from: one block copy where both rows lie side by side in memory, as
/// the engine's buffers and most datasets' do (entry by entry, a one-hot row
/// of 10 classes cost W2 a few per cent).
fn copy_row(mut to: ArrayViewMut1<f64>, from: ArrayView1<f64>) {
    if let (Some(to), Some(from)) = (to.as_slice_mut(), from.as_slice()) {
        to.copy_from_slice(from);
        return;
    }
    to.assign(&from);
}
