//! The training loop: forward, loss, backward, step, and again.
//!
//! Three words for three things:
//!
//! - a **step** (the original notebook's *iteration*, 반복) is one update of
//!   the weights from one batch's gradient;
//! - a **batch** is the rows one step learns from; their number is the batch
//!   size (배치 사이즈). Every row is GD, one row SGD, a few rows mini-batch
//!   SGD; the last batch of an epoch may be smaller;
//! - an **epoch** passes over every row once: as many steps as batches.
//!
//! The loss recorded for an epoch is the mean of its batches' losses, each
//! measured on the forward pass *before* that batch's update (weighted by the
//! batch's rows). With full batches that is exactly what the original
//! notebook prints at each iteration. With small batches it mixes the
//! weights of the epoch's start and end, which is why it can sit above the
//! validation loss, measured after the epoch.
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
//!
//! All the settings are one [`TrainConfig`], whose `Default` holds every
//! default in one place; the trainer runs its steps on the crate's
//! allocation-free [engine](crate::engine) and reports to
//! [observers](crate::observe).

use std::borrow::Cow;
use std::ops::ControlFlow;

use rand::seq::SliceRandom;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use crate::data::{train_test_split, Dataset};
use crate::engine::{Engine, Step};
use crate::error::{Error, Result};
use crate::loss::Loss;
use crate::network::Network;
use crate::observe::{EarlyStopping, EpochEnd, LogLines, Observer, OnEpoch, OnStep, StepEnd};
use crate::optimizer::{Optimizer, OptimizerState};

/// A set of epochs: when to print a line, when to take a snapshot.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "files", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "files", serde(rename_all = "snake_case"))]
pub enum Schedule {
    /// No epoch (the default).
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
    /// Whether `epoch` (1-based) is in the set.
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

    /// `count` epochs from 1 to `last`, spaced evenly on a log scale: dense
    /// at the start, where a network changes fastest, sparse later. Always
    /// holds `last` and (for a count of 2 or more) 1, and every epoch when
    /// `last ≤ count`.
    ///
    /// ```
    /// use nn::train::Schedule;
    /// assert_eq!(Schedule::log_spaced(8, 100), Schedule::At(vec![1, 2, 4, 7, 14, 27, 52, 100]));
    /// let Schedule::At(fifty) = Schedule::log_spaced(50, 500) else { unreachable!() };
    /// assert_eq!((fifty.len(), &fifty[..6], fifty[49]), (50, &[1, 2, 3, 4, 5, 6][..], 500));
    /// ```
    pub fn log_spaced(count: usize, last: usize) -> Schedule {
        let (count, last) = (count.max(1), last.max(1));
        if last <= count {
            return Schedule::At((1..=last).collect());
        }
        let mut epochs: Vec<usize> = Vec::with_capacity(count);
        for i in 0..count {
            let left = count - i; // epochs still to place, this one included
            let previous = epochs.last().copied().unwrap_or(0);
            let ideal = if count == 1 {
                last as f64
            } else {
                (last as f64).powf(i as f64 / (count - 1) as f64)
            };
            // At least one past the last, and room left for the rest.
            let epoch = (ideal.round() as usize)
                .max(previous + 1)
                .min(last + 1 - left);
            epochs.push(epoch);
        }
        Schedule::At(epochs)
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

/// How many rows each step learns from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "files", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "files", serde(rename_all = "snake_case"))]
pub enum BatchSize {
    /// Every row in one batch: gradient descent.
    #[default]
    Full,
    /// This many rows (at least 1); a batch larger than the data is all of it.
    Rows(usize),
}

impl BatchSize {
    /// Rows per batch for data of `n` rows.
    ///
    /// ```
    /// use nn::train::BatchSize;
    /// assert_eq!(BatchSize::Full.rows(10), 10);
    /// assert_eq!(BatchSize::Rows(32).rows(10), 10);
    /// ```
    pub fn rows(self, n: usize) -> usize {
        match self {
            BatchSize::Full => n,
            BatchSize::Rows(rows) => rows.min(n),
        }
    }
}

/// Everything that decides how a network is trained, with every default in
/// one place ([`TrainConfig::default`]).
///
/// ```
/// use nn::prelude::*;
/// let config = TrainConfig { epochs: 50, ..TrainConfig::default() };
/// assert_eq!(config.loss, Loss::Mse);
/// let mut net = Network::builder(2).dense(1, Activation::Sigmoid).build()?;
/// let history = Trainer::from_config(config).fit(&mut net, &data::study_sleep())?;
/// assert_eq!(history.epochs.len(), 50);
/// # Ok::<(), nn::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "files", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "files", serde(default, deny_unknown_fields))]
pub struct TrainConfig {
    /// The loss to minimise. Default: MSE.
    pub loss: Loss,
    /// The update rule and its hyperparameters. Default: GD with η = 1.
    pub optimizer: Optimizer,
    /// Passes over the data. Default: 1000.
    pub epochs: usize,
    /// Rows per step. Default: all of them.
    pub batch_size: BatchSize,
    /// Whether to reshuffle the rows every epoch (changes nothing for full
    /// batches). Default: yes.
    pub shuffle: bool,
    /// The seed of the shuffling and of the validation split (the weights
    /// have their own, [`NetworkConfig::seed`](crate::network::NetworkConfig::seed)).
    /// Default: 42.
    pub seed: u64,
    /// The share of rows held out to measure the loss on data the network
    /// does not learn from. Default: none.
    pub validation_split: Option<f64>,
    /// Stop when the validation loss has not improved for this many epochs,
    /// and keep the best epoch's weights. Default: never.
    pub early_stopping: Option<usize>,
}

impl Default for TrainConfig {
    fn default() -> Self {
        TrainConfig {
            loss: Loss::Mse,
            optimizer: Optimizer::gd(1.0),
            epochs: 1000,
            batch_size: BatchSize::Full,
            shuffle: true,
            seed: 42,
            validation_split: None,
            early_stopping: None,
        }
    }
}

impl TrainConfig {
    /// Checks every setting against its valid range.
    ///
    /// ```
    /// use nn::prelude::*;
    /// let err = TrainConfig { epochs: 0, ..TrainConfig::default() }.check().unwrap_err();
    /// assert_eq!(err.to_string(), "invalid epochs = 0: it must be at least 1");
    /// ```
    pub fn check(&self) -> Result<()> {
        self.optimizer.check()?;
        let invalid =
            |name, value: String, valid| Err(Error::InvalidParameter { name, value, valid });
        if self.epochs == 0 {
            return invalid("epochs", "0".into(), "at least 1");
        }
        if self.batch_size == BatchSize::Rows(0) {
            return invalid(
                "batch size",
                "0".into(),
                "at least 1 (1 is SGD; use .full_batch() for GD)",
            );
        }
        if let Some(f) = self.validation_split {
            if !(f > 0.0 && f < 1.0) {
                return invalid(
                    "validation split",
                    f.to_string(),
                    "a fraction strictly between 0 and 1",
                );
            }
        }
        match self.early_stopping {
            Some(0) => invalid("early stopping patience", "0".into(), "at least 1 epoch"),
            Some(_) if self.validation_split.is_none() => invalid(
                "early stopping",
                "without a validation split".into(),
                "used with .validation_split(fraction): it watches the validation loss",
            ),
            _ => Ok(()),
        }
    }
}

/// What happened during training, epoch by epoch and step by step.
#[derive(Debug, Clone, PartialEq)]
pub struct History {
    /// The settings the run used.
    pub config: TrainConfig,
    /// Rows per batch actually used.
    pub batch_size: usize,
    /// One entry per epoch.
    pub epochs: Vec<EpochStats>,
    /// The loss of every batch, before its update, in order.
    pub steps: Vec<f64>,
    /// With early stopping: the epoch whose weights the network was given
    /// back (the lowest validation loss).
    pub best_epoch: Option<usize>,
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
    ///
    /// ```
    /// use nn::prelude::*;
    /// let mut net = Network::builder(2).dense(1, Activation::Sigmoid).build()?;
    /// let history = Trainer::new(Loss::Mse, Optimizer::adam(0.05))
    ///     .epochs(1)
    ///     .batch_size(2)
    ///     .fit(&mut net, &data::study_sleep())?;
    /// assert_eq!(history.label(), "adam η=0.05, batch 2");
    /// # Ok::<(), nn::Error>(())
    /// ```
    pub fn label(&self) -> String {
        format!(
            "{} η={}, batch {}",
            self.config.optimizer.name(),
            self.config.optimizer.learning_rate(),
            self.batch_size
        )
    }
}

/// Where a run stands: how many epochs are done, and what the optimizer
/// remembers. Passing the same state to the next
/// [`fit_from`](Trainer::fit_from) continues exactly where the last one
/// stopped.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TrainState {
    /// Epochs trained so far, so that a resumed run numbers and shuffles
    /// its epochs as an unbroken one would.
    pub epochs: usize,
    /// The optimizer's memory.
    pub optimizer: OptimizerState,
}

/// Trains a network: a [`TrainConfig`] and the observers that watch. Build
/// one with [`Trainer::new`] and the methods after it, then call
/// [`fit`](Trainer::fit).
pub struct Trainer<'a> {
    config: TrainConfig,
    observers: Vec<Box<dyn Observer + 'a>>,
}

impl std::fmt::Debug for Trainer<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Trainer")
            .field("config", &self.config)
            .field("observers", &self.observers.len())
            .finish()
    }
}

impl<'a> Trainer<'a> {
    /// A trainer for `loss` with `optimizer`, the other settings as in
    /// [`TrainConfig::default`]: 1000 epochs of full batches, seed 42, no
    /// validation split, silent.
    pub fn new(loss: Loss, optimizer: Optimizer) -> Self {
        Trainer::from_config(TrainConfig {
            loss,
            optimizer,
            ..TrainConfig::default()
        })
    }

    /// A trainer with these settings.
    pub fn from_config(config: TrainConfig) -> Self {
        Trainer {
            config,
            observers: Vec::new(),
        }
    }

    /// The settings.
    pub fn config(&self) -> &TrainConfig {
        &self.config
    }

    /// How many passes over the data (at least 1).
    pub fn epochs(mut self, epochs: usize) -> Self {
        self.config.epochs = epochs;
        self
    }

    /// Rows per gradient step (at least 1): 1 for SGD, a few for mini-batch.
    /// A batch larger than the data is the whole data.
    pub fn batch_size(mut self, rows: usize) -> Self {
        self.config.batch_size = BatchSize::Rows(rows);
        self
    }

    /// Every row in one batch: gradient descent (the default).
    pub fn full_batch(mut self) -> Self {
        self.config.batch_size = BatchSize::Full;
        self
    }

    /// Whether to reshuffle the rows every epoch (default yes; it changes
    /// nothing for full batches).
    pub fn shuffle(mut self, shuffle: bool) -> Self {
        self.config.shuffle = shuffle;
        self
    }

    /// The seed of the shuffling and of the validation split (default 42).
    /// The network's weights come from the builder's own seed.
    pub fn seed(mut self, seed: u64) -> Self {
        self.config.seed = seed;
        self
    }

    /// Holds out this share of the rows (in (0, 1)), chosen with the seed,
    /// and reports their loss after every epoch.
    pub fn validation_split(mut self, fraction: f64) -> Self {
        self.config.validation_split = Some(fraction);
        self
    }

    /// Stops when the validation loss has not improved for `patience`
    /// epochs and gives the network back the weights of its best epoch
    /// (needs a [`validation_split`](Trainer::validation_split)).
    ///
    /// ```
    /// use nn::prelude::*;
    /// let data = data::moons(200, 0.3, 1)?;
    /// let mut net = Network::builder(2).dense(32, Activation::Relu).dense(1, Activation::Sigmoid).build()?;
    /// let history = Trainer::new(Loss::BinaryCrossEntropy, Optimizer::adam(0.05))
    ///     .epochs(2000)
    ///     .validation_split(0.3)
    ///     .early_stopping(20)
    ///     .fit(&mut net, &data)?;
    /// let best = history.best_epoch.unwrap();
    /// assert!(history.epochs.len() < 2000);
    /// assert_eq!(history.epochs.len(), best + 20); // 20 epochs without improvement
    /// # Ok::<(), nn::Error>(())
    /// ```
    pub fn early_stopping(mut self, patience: usize) -> Self {
        self.config.early_stopping = Some(patience);
        self
    }

    /// Prints a line at the epochs `schedule` names (a [`LogLines`] observer).
    pub fn log_at(self, schedule: Schedule) -> Self {
        self.observe(LogLines { schedule })
    }

    /// Adds an observer: owned, or borrowed as `&mut observer` to read what
    /// it saw after training.
    pub fn observe(mut self, observer: impl Observer + 'a) -> Self {
        self.observers.push(Box::new(observer));
        self
    }

    /// Calls `f` after every epoch; it returns whether to go on
    /// ([`ControlFlow::Continue`]) or stop ([`ControlFlow::Break`]).
    pub fn on_epoch(self, f: impl FnMut(&EpochEnd<'_>) -> ControlFlow<()> + 'a) -> Self {
        self.observe(OnEpoch(f))
    }

    /// Calls `f` after every step.
    ///
    /// ```
    /// use std::ops::ControlFlow;
    /// use nn::prelude::*;
    /// let mut net = Network::builder(2).dense(1, Activation::Sigmoid).build()?;
    /// let mut steps = 0;
    /// Trainer::new(Loss::Mse, Optimizer::sgd(0.1))
    ///     .epochs(2)
    ///     .batch_size(1)
    ///     .on_step(|_| { steps += 1; ControlFlow::Continue(()) })
    ///     .fit(&mut net, &data::study_sleep())?;
    /// assert_eq!(steps, 6); // 3 rows, one step each, twice
    /// # Ok::<(), nn::Error>(())
    /// ```
    pub fn on_step(self, f: impl FnMut(&StepEnd<'_>) -> ControlFlow<()> + 'a) -> Self {
        self.observe(OnStep(f))
    }

    /// Checks every setting against its valid range.
    ///
    /// ```
    /// use nn::prelude::*;
    /// let err = Trainer::new(Loss::Mse, Optimizer::gd(0.1)).epochs(0).check().unwrap_err();
    /// assert_eq!(err.to_string(), "invalid epochs = 0: it must be at least 1");
    /// ```
    pub fn check(&self) -> Result<()> {
        self.config.check()
    }

    /// Trains `net` on `data` and returns what happened.
    ///
    /// If the loss stops being finite, training stops with
    /// [`Error::Diverged`] and `net` keeps the last weights whose loss was
    /// finite.
    pub fn fit(&mut self, net: &mut Network, data: &Dataset) -> Result<History> {
        self.fit_from(net, data, &mut TrainState::default())
    }

    /// Like [`fit`](Trainer::fit), continuing from where `state` says a run
    /// stopped: training 10 epochs, then 10 more from the returned state,
    /// ends where 20 epochs straight would.
    pub fn fit_from(
        &mut self,
        net: &mut Network,
        data: &Dataset,
        state: &mut TrainState,
    ) -> Result<History> {
        let config = &self.config;
        config.check()?;
        net.check_inputs(&data.x)?;
        net.check_loss(config.loss, &data.y)?;
        state.optimizer.prepare(&config.optimizer, net)?;
        let (train, validation) = split(config, data)?;

        let n = train.len();
        let batch = config.batch_size.rows(n);
        let mut order: Vec<usize> = (0..n).collect();
        let mut engine = Engine::new(
            net,
            (&train, validation.as_ref()),
            batch,
            config.loss,
            config.optimizer,
        );
        let mut early = config.early_stopping.map(EarlyStopping::new);
        let step_watchers: Vec<bool> = self.observers.iter().map(|o| o.wants_steps()).collect();
        // Asked once: a run of tiny steps (the original's take 0.1 µs) pays
        // for every question asked at each one.
        let watch_steps = step_watchers.contains(&true);
        let watch_epochs = early.is_some() || !self.observers.is_empty();
        let classify = config.loss.is_classification();
        let mut history = History {
            config: config.clone(),
            batch_size: batch,
            epochs: Vec::with_capacity(config.epochs),
            steps: Vec::with_capacity(config.epochs * n.div_ceil(batch)),
            best_epoch: None,
        };

        'epochs: for _ in 0..config.epochs {
            state.epochs += 1;
            let epoch = state.epochs;
            if config.shuffle && batch < n {
                shuffle(&mut order, config.seed, epoch);
            }
            let (mut loss_sum, mut hits) = (0.0, 0.0);
            for rows in order.chunks(batch) {
                let loss = match engine.step(rows, &mut state.optimizer) {
                    Step::Took(loss) => loss,
                    Step::Diverged(loss) => {
                        return Err(Error::Diverged {
                            epoch,
                            loss,
                            learning_rate: config.optimizer.learning_rate(),
                        })
                    }
                };
                history.steps.push(loss);
                let share = rows.len() as f64 / n as f64;
                loss_sum += loss * share;
                if classify {
                    let y = engine.last_targets();
                    if let Some(acc) = config.loss.accuracy(engine.last_pass().output(), y) {
                        hits += acc * share;
                    }
                }
                if watch_steps {
                    let event = StepEnd {
                        epoch,
                        step: history.steps.len(),
                        loss,
                        network: engine.network(),
                        gradients: engine.last_gradients(),
                    };
                    let mut stop = false;
                    for (observer, &wants) in self.observers.iter_mut().zip(&step_watchers) {
                        if wants {
                            stop |= observer.step_end(&event).is_break();
                        }
                    }
                    if stop {
                        break 'epochs;
                    }
                }
            }
            let (val_loss, val_accuracy) = match engine.evaluate() {
                Some((loss, accuracy)) => (Some(loss), accuracy),
                None => (None, None),
            };
            let stats = EpochStats {
                epoch,
                loss: loss_sum,
                accuracy: classify.then_some(hits),
                val_loss,
                val_accuracy,
            };
            history.epochs.push(stats);
            if !watch_epochs {
                continue;
            }
            let event = EpochEnd {
                stats,
                network: engine.network(),
                before_last_step: engine.previous(),
                gradients: engine.last_gradients(),
                data: &train,
                validation: validation.as_ref(),
            };
            let mut stop = early
                .as_mut()
                .is_some_and(|e| e.epoch_end(&event).is_break());
            for observer in &mut self.observers {
                stop |= observer.epoch_end(&event).is_break();
            }
            if stop {
                break;
            }
        }
        drop(engine); // gives `net` back, trained
        if let Some((epoch, best)) = early.as_mut().and_then(EarlyStopping::take_best) {
            *net = best;
            history.best_epoch = Some(epoch);
        }
        Ok(history)
    }
}

/// The order in which the trainer takes the `n` rows in `epoch` (1, 2, …) of
/// a run seeded with `seed` when it shuffles: a permutation of 0..n that
/// depends on the seed and the epoch alone. Slice it into batches of the batch
/// size, the last one smaller, and you have the epoch's steps.
///
/// ```
/// use nn::train::epoch_order;
/// let order = epoch_order(3, 1, 10);
/// let mut sorted = order.clone();
/// sorted.sort();
/// assert_eq!(sorted, (0..10).collect::<Vec<_>>()); // every row, once
/// assert_eq!(order, epoch_order(3, 1, 10)); // the same seed and epoch: the same order
/// assert_ne!(order, epoch_order(3, 2, 10)); // the next epoch: another one
/// ```
pub fn epoch_order(seed: u64, epoch: usize, n: usize) -> Vec<usize> {
    let mut order = vec![0; n];
    shuffle(&mut order, seed, epoch);
    order
}

/// Puts `order` in the order of `epoch` of the run seeded with `seed`, in
/// place (the trainer's loop allocates nothing). Each epoch's order depends on
/// the seed and the epoch alone, so a resumed run shuffles exactly as an
/// unbroken one would.
fn shuffle(order: &mut [usize], seed: u64, epoch: usize) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(epoch as u64);
    for (i, slot) in order.iter_mut().enumerate() {
        *slot = i;
    }
    order.shuffle(&mut rng);
}

/// Splits off the validation rows, if asked for, with the trainer's seed.
fn split<'d>(
    config: &TrainConfig,
    data: &'d Dataset,
) -> Result<(Cow<'d, Dataset>, Option<Dataset>)> {
    match config.validation_split {
        None => Ok((Cow::Borrowed(data), None)),
        Some(fraction) => {
            let (train, val) = train_test_split(data, fraction, config.seed)?;
            Ok((Cow::Owned(train), Some(val)))
        }
    }
}
