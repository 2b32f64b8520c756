//! Watching training: the trainer tells observers what happens.
//!
//! After every epoch the [`Trainer`](crate::train::Trainer) calls each
//! observer with an [`EpochEnd`]: the epoch's figures, the network as it is
//! now, the network before the epoch's last step, and that step's
//! gradients. An observer that asks for it is also called after every step
//! with a [`StepEnd`]. Either call can stop training by returning
//! [`ControlFlow::Break`].
//!
//! The trainer prints nothing itself: printing a log line is one observer
//! ([`LogLines`]), keeping snapshots another
//! ([`Recorder`](crate::snapshot::Recorder)), stopping when the validation
//! loss stops improving a third ([`EarlyStopping`]).
//!
//! ```
//! use std::ops::ControlFlow;
//! use nn::prelude::*;
//!
//! let data = data::study_sleep();
//! let mut net = Network::builder(2).dense(3, Activation::Sigmoid).dense(1, Activation::Sigmoid).build()?;
//! let (mut seen, mut first) = (Vec::new(), None);
//! let history = Trainer::new(Loss::Mse, Optimizer::gd(1.0))
//!     .epochs(1000)
//!     .on_epoch(|e| {
//!         seen.push(e.stats.epoch);
//!         // stop as soon as the loss is below half the first epoch's
//!         let start = *first.get_or_insert(e.stats.loss);
//!         if e.stats.loss < 0.5 * start { ControlFlow::Break(()) } else { ControlFlow::Continue(()) }
//!     })
//!     .fit(&mut net, &data)?;
//! assert_eq!(seen, (1..=history.epochs.len()).collect::<Vec<_>>()); // every epoch, in order
//! assert!(seen.len() < 1000);
//! assert!(history.final_loss() < 0.5 * history.epochs[0].loss);
//! # Ok::<(), nn::Error>(())
//! ```

use std::ops::ControlFlow;

use crate::data::Dataset;
use crate::network::{Gradients, Network};
use crate::train::{EpochStats, Schedule};

/// What the trainer hands an observer after every epoch.
#[derive(Debug, Clone, Copy)]
pub struct EpochEnd<'a> {
    /// The epoch's figures.
    pub stats: EpochStats,
    /// The network as it is now, after the epoch's last step.
    pub network: &'a Network,
    /// The network before the epoch's last step: `network − before_last_step`
    /// is that step's update ΔW.
    pub before_last_step: &'a Network,
    /// The gradients of the epoch's last step.
    pub gradients: &'a Gradients,
    /// The rows being trained on (without the validation rows).
    pub data: &'a Dataset,
    /// The validation rows, if a split was asked for.
    pub validation: Option<&'a Dataset>,
}

/// What the trainer hands an observer that
/// [`wants_steps`](Observer::wants_steps) after every step.
#[derive(Debug, Clone, Copy)]
pub struct StepEnd<'a> {
    /// The epoch the step belongs to, from 1.
    pub epoch: usize,
    /// The step, counted from 1 over the whole run.
    pub step: usize,
    /// The batch's loss, measured before the step's update.
    pub loss: f64,
    /// The network after the step.
    pub network: &'a Network,
    /// The step's gradients.
    pub gradients: &'a Gradients,
}

/// Something that watches training. Every method has a default that does
/// nothing, so an observer writes only what it needs.
pub trait Observer {
    /// Called after every epoch. Return [`ControlFlow::Break`] to stop
    /// training after this epoch.
    fn epoch_end(&mut self, _event: &EpochEnd<'_>) -> ControlFlow<()> {
        ControlFlow::Continue(())
    }

    /// Called after every step, if [`wants_steps`](Observer::wants_steps).
    fn step_end(&mut self, _event: &StepEnd<'_>) -> ControlFlow<()> {
        ControlFlow::Continue(())
    }

    /// Whether to call [`step_end`](Observer::step_end); asked once, at the start.
    fn wants_steps(&self) -> bool {
        false
    }
}

/// An observer borrowed for one run: the caller keeps it, and reads what it
/// saw after `fit` returns.
impl<O: Observer + ?Sized> Observer for &mut O {
    fn epoch_end(&mut self, event: &EpochEnd<'_>) -> ControlFlow<()> {
        (**self).epoch_end(event)
    }
    fn step_end(&mut self, event: &StepEnd<'_>) -> ControlFlow<()> {
        (**self).step_end(event)
    }
    fn wants_steps(&self) -> bool {
        (**self).wants_steps()
    }
}

/// A closure called after every epoch
/// ([`Trainer::on_epoch`](crate::train::Trainer::on_epoch)).
pub struct OnEpoch<F>(pub F);

impl<F: FnMut(&EpochEnd<'_>) -> ControlFlow<()>> Observer for OnEpoch<F> {
    fn epoch_end(&mut self, event: &EpochEnd<'_>) -> ControlFlow<()> {
        (self.0)(event)
    }
}

/// A closure called after every step
/// ([`Trainer::on_step`](crate::train::Trainer::on_step)).
pub struct OnStep<F>(pub F);

impl<F: FnMut(&StepEnd<'_>) -> ControlFlow<()>> Observer for OnStep<F> {
    fn step_end(&mut self, event: &StepEnd<'_>) -> ControlFlow<()> {
        (self.0)(event)
    }
    fn wants_steps(&self) -> bool {
        true
    }
}

/// Prints one line at the epochs a [`Schedule`] names:
/// `epoch     10  loss 0.012345  accuracy 0.950`.
///
/// ```
/// use nn::observe::LogLines;
/// use nn::train::EpochStats;
/// let stats = EpochStats { epoch: 10, loss: 0.0123456, accuracy: Some(0.95), val_loss: None, val_accuracy: None };
/// assert_eq!(LogLines::line(&stats), "epoch     10  loss 0.012346  accuracy 0.950");
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct LogLines {
    /// When to print.
    pub schedule: Schedule,
}

impl LogLines {
    /// One epoch's figures as a line of text.
    pub fn line(s: &EpochStats) -> String {
        let mut line = format!("epoch {:>6}  loss {:.6}", s.epoch, s.loss);
        if let Some(a) = s.accuracy {
            line += &format!("  accuracy {a:.3}");
        }
        if let Some(v) = s.val_loss {
            line += &format!("  val_loss {v:.6}");
        }
        if let Some(a) = s.val_accuracy {
            line += &format!("  val_accuracy {a:.3}");
        }
        line
    }
}

impl Observer for LogLines {
    fn epoch_end(&mut self, event: &EpochEnd<'_>) -> ControlFlow<()> {
        if self.schedule.includes(event.stats.epoch) {
            println!("{}", LogLines::line(&event.stats));
        }
        ControlFlow::Continue(())
    }
}

/// Stops training when the validation loss has not improved for `patience`
/// epochs, and remembers the best network seen, so that training can end
/// with the weights of the epoch that generalised best
/// ([`Trainer::early_stopping`](crate::train::Trainer::early_stopping) does
/// this for you).
///
/// ```
/// use nn::observe::EarlyStopping;
/// let stop = EarlyStopping::new(5);
/// assert_eq!(stop.best_epoch(), None);
/// ```
#[derive(Debug, Clone)]
pub struct EarlyStopping {
    patience: usize,
    best: Option<(usize, f64, Network)>,
}

impl EarlyStopping {
    /// Stops after `patience` epochs without a lower validation loss.
    pub fn new(patience: usize) -> Self {
        EarlyStopping {
            patience,
            best: None,
        }
    }

    /// The epoch with the lowest validation loss so far.
    pub fn best_epoch(&self) -> Option<usize> {
        self.best.as_ref().map(|b| b.0)
    }

    /// The network of the best epoch, taken out.
    pub fn take_best(&mut self) -> Option<(usize, Network)> {
        self.best.take().map(|(epoch, _, net)| (epoch, net))
    }
}

impl Observer for EarlyStopping {
    fn epoch_end(&mut self, event: &EpochEnd<'_>) -> ControlFlow<()> {
        let Some(val_loss) = event.stats.val_loss else {
            return ControlFlow::Continue(());
        };
        match &self.best {
            Some((epoch, best_loss, _)) if val_loss >= *best_loss => {
                if event.stats.epoch - epoch >= self.patience {
                    return ControlFlow::Break(());
                }
            }
            _ => self.best = Some((event.stats.epoch, val_loss, event.network.clone())),
        }
        ControlFlow::Continue(())
    }
}
