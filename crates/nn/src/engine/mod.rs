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
mod update;

use ndarray::Array2;

use crate::data::Dataset;
use crate::loss::Loss;
use crate::network::{ForwardPass, Gradients, Network};
use crate::optimizer::{Optimizer, OptimizerState};

/// Buffers for one batch size.
#[derive(Default)]
struct Workspace {
    x: Array2<f64>,
    y: Array2<f64>,
    pass: ForwardPass,
    grads: Gradients,
}

/// What one step did.
pub(crate) enum Step {
    /// The batch's loss, measured before the update.
    Took(f64),
    /// The loss (or a new weight) was not finite; the network holds the last
    /// weights whose loss was finite. Carries the loss value.
    Diverged(f64),
}

/// The state of one training run: buffers and the network before the last
/// step.
pub(crate) struct Engine {
    work: [Workspace; 2],
    /// Which workspace the last step used.
    last: usize,
    /// The network before the last step; its matrices are the next step's
    /// output buffers.
    previous: Network,
    stepped: bool,
    /// Rows per full batch.
    batch: usize,
    validation: ForwardPass,
}

impl Engine {
    /// An engine for training `net` (checked by the caller) on batches of
    /// `batch` rows.
    pub(crate) fn new(net: &Network, batch: usize) -> Engine {
        Engine {
            work: [Workspace::default(), Workspace::default()],
            last: 0,
            previous: net.clone(),
            stepped: false,
            batch,
            validation: ForwardPass::default(),
        }
    }

    /// One step of `optimizer` on the rows `rows` of `data`: forward, loss,
    /// backward, update. `full` says the batch holds every row in order, so
    /// that the data can be used as it is, without a copy.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn step(
        &mut self,
        net: &mut Network,
        data: &Dataset,
        rows: &[usize],
        full: bool,
        loss: Loss,
        optimizer: &Optimizer,
        state: &mut OptimizerState,
    ) -> Step {
        // Full batches use a buffer of their own and the last, smaller one another.
        self.last = usize::from(rows.len() != self.batch);
        let ws = &mut self.work[self.last];
        let (x, y) = if full {
            (&data.x, &data.y)
        } else {
            gather(data, rows, &mut ws.x, &mut ws.y);
            (&ws.x, &ws.y)
        };
        pass::forward(net, x.view(), &mut ws.pass);
        let value = pass::loss_value(loss, net.output_activation(), &ws.pass, y);
        if !value.is_finite() {
            if self.stepped {
                std::mem::swap(net, &mut self.previous);
            }
            return Step::Diverged(value);
        }
        pass::backward(net, x.view(), &ws.pass, loss, y, &mut ws.grads);
        // The current network becomes `previous` (a swap of two vectors, no
        // weight is copied), and the step writes the new weights over the
        // matrices swapped out.
        std::mem::swap(net, &mut self.previous);
        let finite = update::step(optimizer, &self.previous, net, &ws.grads, state);
        self.stepped = true;
        // A gradient that is not finite gives weights that are not either,
        // and so can a finite one times a huge learning rate: weights at ±∞
        // would go unnoticed where a sigmoid saturates, so take such a step
        // back at once.
        if !finite {
            std::mem::swap(net, &mut self.previous);
            return Step::Diverged(f64::INFINITY);
        }
        Step::Took(value)
    }

    /// The last step's forward pass (over its batch).
    pub(crate) fn last_pass(&self) -> &ForwardPass {
        &self.work[self.last].pass
    }

    /// The last step's targets.
    pub(crate) fn last_targets<'a>(&'a self, data: &'a Dataset, full: bool) -> &'a Array2<f64> {
        if full {
            &data.y
        } else {
            &self.work[self.last].y
        }
    }

    /// The last step's gradients.
    pub(crate) fn last_gradients(&self) -> &Gradients {
        &self.work[self.last].grads
    }

    /// The network before the last step.
    pub(crate) fn previous(&self) -> &Network {
        &self.previous
    }

    /// The loss and accuracy of `net` on `data`, without allocating after
    /// the first call.
    pub(crate) fn evaluate(
        &mut self,
        net: &Network,
        data: &Dataset,
        loss: Loss,
    ) -> (f64, Option<f64>) {
        pass::forward(net, data.x.view(), &mut self.validation);
        (
            pass::loss_value(loss, net.output_activation(), &self.validation, &data.y),
            loss.accuracy(self.validation.output(), &data.y),
        )
    }
}

/// Copies the chosen rows into the batch buffers, resizing them only when
/// the batch size changes.
fn gather(data: &Dataset, rows: &[usize], x: &mut Array2<f64>, y: &mut Array2<f64>) {
    if x.dim() != (rows.len(), data.x.ncols()) {
        *x = Array2::zeros((rows.len(), data.x.ncols()));
        *y = Array2::zeros((rows.len(), data.y.ncols()));
    }
    for (i, &r) in rows.iter().enumerate() {
        x.row_mut(i).assign(&data.x.row(r));
        y.row_mut(i).assign(&data.y.row(r));
    }
}
