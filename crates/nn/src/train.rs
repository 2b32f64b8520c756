//! The training loop: forward, loss, backward, step, and again.
//!
//! One **epoch** passes over every row once. The rows are cut into batches
//! of `batch_size` (배치 사이즈); each batch gives one gradient and one
//! update, an **iteration** (the original notebook's word). With the whole
//! data as one batch that is GD, with one row SGD, with a few rows
//! mini-batch SGD; the last batch of an epoch may be smaller.
//!
//! The loss recorded for an epoch is the mean of its batches' losses, each
//! measured on the forward pass *before* that batch's update (weighted by the
//! batch's rows). With full batches that is exactly what the original
//! notebook prints at each epoch.
//!
//! ```
//! use nn::prelude::*;
//!
//! let data = data::study_sleep();
//! let mut net = Network::builder(2)
//!     .dense(3, Activation::Sigmoid)
//!     .dense(1, Activation::Sigmoid)
//!     .build()?;
//! let history = Trainer::new(Loss::Mse, Optimizer::adam(0.05))
//!     .epochs(300)
//!     .batch_size(2)
//!     .fit(&mut net, &data)?;
//! assert_eq!(history.epochs.len(), 300);
//! assert!(history.final_loss() < 0.01);
//! # Ok::<(), nn::Error>(())
//! ```

use std::borrow::Cow;

use ndarray::Array2;
use rand::seq::SliceRandom;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use crate::data::{train_test_split, Dataset};
use crate::error::{Error, Result};
use crate::loss::Loss;
use crate::network::{ForwardPass, Gradients, Network};
use crate::optimizer::{Optimizer, OptimizerState};

/// At which epochs the trainer prints a line.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Schedule {
    /// Print nothing (the default).
    #[default]
    Never,
    /// Epoch 1 and every n-th epoch.
    Every(usize),
    /// The original notebook's: epochs 1 to 5, then every 1000th.
    Original,
    /// Exactly these epochs.
    At(Vec<usize>),
}

impl Schedule {
    /// Whether `epoch` (1-based) is logged.
    ///
    /// ```
    /// use nn::train::Schedule;
    /// let logged: Vec<usize> = (1..=3000).filter(|&e| Schedule::Original.includes(e)).collect();
    /// assert_eq!(logged, vec![1, 2, 3, 4, 5, 1000, 2000, 3000]);
    /// ```
    pub fn includes(&self, epoch: usize) -> bool {
        match self {
            Schedule::Never => false,
            Schedule::Every(n) => epoch == 1 || (*n > 0 && epoch % n == 0),
            Schedule::Original => epoch <= 5 || epoch % 1000 == 0,
            Schedule::At(epochs) => epochs.contains(&epoch),
        }
    }
}

/// One epoch's figures.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EpochStats {
    /// The epoch, from 1.
    pub epoch: usize,
    /// Mean training loss over the epoch's batches (before each update).
    pub loss: f64,
    /// Share of training rows classified right, for classification losses.
    pub accuracy: Option<f64>,
    /// Loss on the validation rows after the epoch, if a split was asked for.
    pub val_loss: Option<f64>,
    /// Accuracy on the validation rows after the epoch.
    pub val_accuracy: Option<f64>,
}

/// What happened during training, epoch by epoch and step by step.
#[derive(Debug, Clone, PartialEq)]
pub struct History {
    /// The loss that was minimised.
    pub loss: Loss,
    /// The optimizer and its hyperparameters.
    pub optimizer: Optimizer,
    /// Rows per batch actually used.
    pub batch_size: usize,
    /// One entry per epoch.
    pub epochs: Vec<EpochStats>,
    /// The loss of every batch, before its update, in order.
    pub steps: Vec<f64>,
}

impl History {
    /// The training loss of every epoch.
    pub fn losses(&self) -> Vec<f64> {
        self.epochs.iter().map(|e| e.loss).collect()
    }

    /// The validation loss of every epoch (empty without a validation split).
    pub fn val_losses(&self) -> Vec<f64> {
        self.epochs.iter().filter_map(|e| e.val_loss).collect()
    }

    /// The last epoch's training loss.
    pub fn final_loss(&self) -> f64 {
        self.epochs.last().map_or(f64::NAN, |e| e.loss)
    }

    /// A short label such as `adam η=0.05, batch 32`, for legends.
    pub fn label(&self) -> String {
        format!(
            "{} η={}, batch {}",
            self.optimizer.name(),
            self.optimizer.learning_rate(),
            self.batch_size
        )
    }
}

/// Settings of a training run. Build one with [`Trainer::new`] and the
/// methods after it, then call [`fit`](Trainer::fit).
#[derive(Debug, Clone, PartialEq)]
pub struct Trainer {
    loss: Loss,
    optimizer: Optimizer,
    epochs: usize,
    batch_size: Option<usize>,
    shuffle: bool,
    seed: u64,
    log: Schedule,
    validation: Option<f64>,
}

/// Buffers for one batch size, so that steps after the first allocate nothing.
#[derive(Default)]
struct Workspace {
    x: Array2<f64>,
    y: Array2<f64>,
    pass: ForwardPass,
    grads: Gradients,
}

impl Trainer {
    /// A trainer for `loss` with `optimizer`: 1 epoch of full batches,
    /// shuffled, seed 42, silent, no validation split.
    pub fn new(loss: Loss, optimizer: Optimizer) -> Self {
        Trainer {
            loss,
            optimizer,
            epochs: 1,
            batch_size: None,
            shuffle: true,
            seed: 42,
            log: Schedule::Never,
            validation: None,
        }
    }

    /// How many passes over the data (at least 1).
    pub fn epochs(mut self, epochs: usize) -> Self {
        self.epochs = epochs;
        self
    }

    /// Rows per gradient step (at least 1): 1 for SGD, a few for mini-batch.
    /// A batch larger than the data is the whole data.
    pub fn batch_size(mut self, rows: usize) -> Self {
        self.batch_size = Some(rows);
        self
    }

    /// Every row in one batch: gradient descent (the default).
    pub fn full_batch(mut self) -> Self {
        self.batch_size = None;
        self
    }

    /// Whether to reshuffle the rows every epoch (default yes; it changes
    /// nothing for full batches).
    pub fn shuffle(mut self, shuffle: bool) -> Self {
        self.shuffle = shuffle;
        self
    }

    /// The seed of the shuffling and of the validation split (default 42).
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// Prints a line at the epochs `schedule` names.
    pub fn log_at(mut self, schedule: Schedule) -> Self {
        self.log = schedule;
        self
    }

    /// Holds out this share of the rows (in (0, 1)), chosen with the seed,
    /// and reports their loss after every epoch.
    pub fn validation_split(mut self, fraction: f64) -> Self {
        self.validation = Some(fraction);
        self
    }

    /// Checks every setting against its valid range.
    ///
    /// ```
    /// use nn::prelude::*;
    /// let err = Trainer::new(Loss::Mse, Optimizer::gd(0.1)).epochs(0).check().unwrap_err();
    /// assert_eq!(err.to_string(), "invalid epochs = 0: it must be at least 1");
    /// ```
    pub fn check(&self) -> Result<()> {
        self.optimizer.check()?;
        if self.epochs == 0 {
            return Err(Error::InvalidParameter {
                name: "epochs",
                value: "0".into(),
                valid: "at least 1",
            });
        }
        if self.batch_size == Some(0) {
            return Err(Error::InvalidParameter {
                name: "batch size",
                value: "0".into(),
                valid: "at least 1 (1 is SGD; use .full_batch() for GD)",
            });
        }
        if let Some(f) = self.validation {
            if !(f > 0.0 && f < 1.0) {
                return Err(Error::InvalidParameter {
                    name: "validation split",
                    value: f.to_string(),
                    valid: "a fraction strictly between 0 and 1",
                });
            }
        }
        Ok(())
    }

    /// Trains `net` on `data` and returns what happened.
    ///
    /// If the loss stops being finite, training stops with
    /// [`Error::Diverged`] and `net` keeps the last weights whose loss was
    /// finite.
    pub fn fit(&self, net: &mut Network, data: &Dataset) -> Result<History> {
        self.fit_from(net, data, &mut OptimizerState::default())
    }

    /// Like [`fit`](Trainer::fit), continuing from an optimizer's saved
    /// memory: training 10 epochs, then 10 more from the returned state, ends
    /// where 20 epochs straight would.
    pub fn fit_from(
        &self,
        net: &mut Network,
        data: &Dataset,
        state: &mut OptimizerState,
    ) -> Result<History> {
        self.check()?;
        net.check_inputs(&data.x)?;
        net.check_loss(self.loss, &data.y)?;
        check_state(net, state)?;
        let (train, val) = self.split(data)?;

        let n = train.len();
        let batch = self.batch_size.unwrap_or(n).min(n);
        let mut order: Vec<usize> = (0..n).collect();
        let mut work = [Workspace::default(), Workspace::default()];
        let mut val_pass = ForwardPass::default();
        // The network before the last step, kept in case the next loss overflows.
        let mut previous = net.clone();
        let mut stepped = false;
        let mut history = History {
            loss: self.loss,
            optimizer: self.optimizer,
            batch_size: batch,
            epochs: Vec::with_capacity(self.epochs),
            steps: Vec::with_capacity(self.epochs * n.div_ceil(batch)),
        };

        for _ in 0..self.epochs {
            state.epochs += 1;
            let epoch = state.epochs;
            if self.shuffle && batch < n {
                // Each epoch's order depends on the seed and the epoch alone, so a
                // resumed run shuffles exactly as an unbroken one would.
                let mut rng = ChaCha8Rng::seed_from_u64(self.seed);
                rng.set_stream(epoch as u64);
                for (i, slot) in order.iter_mut().enumerate() {
                    *slot = i;
                }
                order.shuffle(&mut rng);
            }
            let (mut loss_sum, mut hits) = (0.0, 0.0);
            for rows in order.chunks(batch) {
                // Full batches use a buffer of their own and the last, smaller one another.
                let ws = &mut work[usize::from(rows.len() != batch)];
                // A batch of every row is never shuffled (only smaller ones are): no copy.
                let (x, y) = if rows.len() == n {
                    (&train.x, &train.y)
                } else {
                    gather(&train, rows, &mut ws.x, &mut ws.y);
                    (&ws.x, &ws.y)
                };
                net.forward_into(x.view(), &mut ws.pass);
                let loss = net.loss_of(&ws.pass, self.loss, y);
                if !loss.is_finite() {
                    if stepped {
                        std::mem::swap(net, &mut previous);
                    }
                    return Err(Error::Diverged {
                        epoch,
                        loss,
                        learning_rate: self.optimizer.learning_rate(),
                    });
                }
                net.backward_into(x.view(), &ws.pass, self.loss, y, &mut ws.grads);
                // The current network becomes `previous` (a swap of two
                // vectors, no weight is copied), and the step writes the new
                // weights over the matrices swapped out.
                std::mem::swap(net, &mut previous);
                let finite = self.optimizer.step_from(&previous, net, &ws.grads, state);
                stepped = true;
                // A gradient that is not finite gives weights that are not
                // either, and so can a finite one times a huge learning rate:
                // weights at ±∞ would go unnoticed where a sigmoid saturates,
                // so take such a step back at once.
                if !finite {
                    std::mem::swap(net, &mut previous);
                    return Err(Error::Diverged {
                        epoch,
                        loss: f64::INFINITY,
                        learning_rate: self.optimizer.learning_rate(),
                    });
                }
                history.steps.push(loss);
                let share = rows.len() as f64 / n as f64;
                loss_sum += loss * share;
                if let Some(acc) = self.loss.accuracy(ws.pass.output(), y) {
                    hits += acc * share;
                }
            }
            let accuracy = self.loss.is_classification().then_some(hits);
            let (val_loss, val_accuracy) = match &val {
                Some(v) => {
                    net.forward_into(v.x.view(), &mut val_pass);
                    (
                        Some(net.loss_of(&val_pass, self.loss, &v.y)),
                        self.loss.accuracy(val_pass.output(), &v.y),
                    )
                }
                None => (None, None),
            };
            let stats = EpochStats {
                epoch,
                loss: loss_sum,
                accuracy,
                val_loss,
                val_accuracy,
            };
            if self.log.includes(epoch) {
                println!("{}", log_line(&stats));
            }
            history.epochs.push(stats);
        }
        Ok(history)
    }

    /// Splits off the validation rows, if asked for, with the trainer's seed.
    fn split<'a>(&self, data: &'a Dataset) -> Result<(Cow<'a, Dataset>, Option<Dataset>)> {
        match self.validation {
            None => Ok((Cow::Borrowed(data), None)),
            Some(fraction) => {
                let (train, val) = train_test_split(data, fraction, self.seed)?;
                Ok((Cow::Owned(train), Some(val)))
            }
        }
    }
}

/// Refuses an optimizer state whose moments do not match the network's
/// parameters (a state saved with another network): every update would be
/// misaligned.
fn check_state(net: &mut Network, state: &OptimizerState) -> Result<()> {
    let shapes: Vec<(usize, usize)> = net.parameters_mut().map(|p| p.dim()).collect();
    for (which, moments) in [("first", &state.first), ("second", &state.second)] {
        let fits = moments.is_empty()
            || (moments.len() == shapes.len()
                && moments.iter().zip(&shapes).all(|(m, &s)| m.dim() == s));
        if !fits {
            let got: Vec<(usize, usize)> = moments.iter().map(|m| m.dim()).collect();
            return Err(Error::Data(format!(
                "the optimizer state's {which} moments have shapes {got:?}, but this network's \
                 parameters are {shapes:?}; it belongs to another network. Pass the state saved \
                 with this network, or OptimizerState::default() to start afresh"
            )));
        }
    }
    Ok(())
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

fn log_line(s: &EpochStats) -> String {
    let mut line = format!("epoch {:>6}  loss {:.6}", s.epoch, s.loss);
    if let Some(a) = s.accuracy {
        line += &format!("  accuracy {:.3}", a);
    }
    if let Some(v) = s.val_loss {
        line += &format!("  val_loss {:.6}", v);
    }
    if let Some(a) = s.val_accuracy {
        line += &format!("  val_accuracy {:.3}", a);
    }
    line
}
