//! Snapshots: the network as it was at chosen moments of training, with the
//! figures that tell whether it is learning well.
//!
//! A [`Recorder`] is an [observer](crate::observe) that keeps every epoch's
//! figures and, at the epochs a [`Schedule`] names, a [`Snapshot`]: the
//! weights, and per layer
//!
//! | figure | what it tells |
//! | --- | --- |
//! | ‖∂L/∂W‖ | how hard the loss pulls on the layer; shrinking towards the input is a vanishing gradient |
//! | ‖ΔW‖ / ‖W‖ | how much one step changes the layer; about 10⁻³ is healthy, much less is a stalled layer, much more a wild one |
//! | share saturated | sigmoid outputs within 0.01 of 0 or 1, tanh outputs within 0.01 of ±1: there the slope is below 0.01 and the unit barely learns |
//! | share dead | ReLU units that are 0 for every training row: their gradient is 0, they never come back |
//! | activation histogram | how the layer's outputs spread over the training rows |
//!
//! Plots read a [`Recording`]: the filmstrip, the Playground view, the
//! health dashboard ([`plot`](crate::plot)).
//!
//! ```
//! use nn::prelude::*;
//!
//! let data = data::moons(200, 0.1, 3)?;
//! let mut net = Network::builder(2).dense(8, Activation::Tanh).dense(1, Activation::Sigmoid).build()?;
//! let mut recorder = Recorder::new(Schedule::log_spaced(10, 300));
//! Trainer::new(Loss::BinaryCrossEntropy, Optimizer::adam(0.02))
//!     .epochs(300)
//!     .observe(&mut recorder)
//!     .fit(&mut net, &data)?;
//! let recording = recorder.finish();
//! assert_eq!(recording.snapshots.len(), 10);
//! assert_eq!(recording.epochs.len(), 300);
//! let last = recording.snapshots.last().unwrap();
//! assert_eq!(last.stats.epoch, 300);
//! assert_eq!(last.network, net); // the weights of that epoch, to the bit
//! # Ok::<(), nn::Error>(())
//! ```

use std::ops::ControlFlow;

use ndarray::Array2;

use crate::activation::Activation;
use crate::data::Dataset;
use crate::network::{norm, Network};
use crate::observe::{EpochEnd, Observer};
use crate::train::{EpochStats, Schedule};

/// Bins of a snapshot's activation histograms.
pub const HISTOGRAM_BINS: usize = 20;

/// How the outputs of one layer spread: counts in [`HISTOGRAM_BINS`] equal
/// bins from `low` to `high`.
#[derive(Debug, Clone, PartialEq)]
pub struct Histogram {
    /// The left edge of the first bin.
    pub low: f64,
    /// The right edge of the last bin.
    pub high: f64,
    /// How many values fell in each bin.
    pub counts: Vec<usize>,
}

impl Histogram {
    /// The histogram of `values` over `low..high` (values outside are
    /// counted in the first or last bin).
    ///
    /// ```
    /// use nn::snapshot::Histogram;
    /// let h = Histogram::of([0.0, 0.5, 0.99, 1.0].into_iter(), 0.0, 1.0);
    /// assert_eq!(h.counts.iter().sum::<usize>(), 4);
    /// assert_eq!((h.counts[0], h.counts[10], h.counts[19]), (1, 1, 2));
    /// ```
    pub fn of(values: impl Iterator<Item = f64>, low: f64, high: f64) -> Histogram {
        let mut counts = vec![0; HISTOGRAM_BINS];
        let width = (high - low) / HISTOGRAM_BINS as f64;
        for v in values {
            let bin = if width > 0.0 {
                ((v - low) / width).floor()
            } else {
                0.0
            };
            counts[(bin.max(0.0) as usize).min(HISTOGRAM_BINS - 1)] += 1;
        }
        Histogram { low, high, counts }
    }
}

/// One layer at one snapshot.
#[derive(Debug, Clone, PartialEq)]
pub struct LayerHealth {
    /// ‖∂L/∂W‖ of the epoch's last step.
    pub gradient_norm: f64,
    /// ‖ΔW‖ / ‖W‖ of the epoch's last step (ΔW its update, W the weights before it).
    pub update_ratio: f64,
    /// Share of (row, unit) outputs where a sigmoid or tanh is saturated;
    /// `None` for other activations.
    pub saturated: Option<f64>,
    /// Share of ReLU units that output 0 for every training row; `None` for
    /// other activations.
    pub dead: Option<f64>,
    /// The layer's outputs over the training rows.
    pub activations: Histogram,
}

/// The network at one epoch, and how each layer was doing.
#[derive(Debug, Clone, PartialEq)]
pub struct Snapshot {
    /// The epoch's figures: its number, losses, accuracies.
    pub stats: EpochStats,
    /// The weights at the end of the epoch.
    pub network: Network,
    /// One entry per layer, input side first.
    pub layers: Vec<LayerHealth>,
}

impl Snapshot {
    /// A snapshot of `event`'s network, its layers measured on `data`.
    fn take(event: &EpochEnd<'_>) -> Snapshot {
        let net = event.network;
        // The trainer checked the network and the data, so the pass succeeds.
        let pass = net.forward(&event.data.x).ok();
        let layers = net
            .layers
            .iter()
            .enumerate()
            .map(|(l, layer)| {
                let gradient = &event.gradients.layers[l].weights;
                let before = &event.before_last_step.layers[l].weights;
                let update_ratio =
                    norm(&(&layer.weights - before)) / norm(before).max(f64::MIN_POSITIVE);
                let a = pass.as_ref().map(|p| &p.layers[l].a);
                LayerHealth {
                    gradient_norm: norm(gradient),
                    update_ratio,
                    saturated: a.and_then(|a| saturated(layer.activation, a)),
                    dead: a.and_then(|a| dead(layer.activation, a)),
                    activations: a.map_or_else(
                        || Histogram::of([].into_iter(), 0.0, 1.0),
                        |a| histogram(layer.activation, a),
                    ),
                }
            })
            .collect();
        Snapshot {
            stats: event.stats,
            network: net.clone(),
            layers,
        }
    }
}

/// Share of outputs within 0.01 of a sigmoid's or tanh's bounds.
fn saturated(f: Activation, a: &Array2<f64>) -> Option<f64> {
    let near_bound = match f {
        Activation::Sigmoid => |a: f64| !(0.01..=0.99).contains(&a),
        Activation::Tanh => |a: f64| a.abs() > 0.99,
        _ => return None,
    };
    let count = a.iter().filter(|&&a| near_bound(a)).count();
    Some(count as f64 / a.len().max(1) as f64)
}

/// Share of ReLU units that are 0 on every row.
fn dead(f: Activation, a: &Array2<f64>) -> Option<f64> {
    if f != Activation::Relu {
        return None;
    }
    let dead = a
        .columns()
        .into_iter()
        .filter(|unit| unit.iter().all(|&v| v == 0.0))
        .count();
    Some(dead as f64 / a.ncols().max(1) as f64)
}

/// The outputs' histogram over the activation's range ((0, 1) for sigmoid
/// and softmax, (−1, 1) for tanh, the outputs' own range otherwise).
fn histogram(f: Activation, a: &Array2<f64>) -> Histogram {
    let (low, high) = match f {
        Activation::Sigmoid | Activation::Softmax => (0.0, 1.0),
        Activation::Tanh => (-1.0, 1.0),
        Activation::Relu | Activation::Identity => {
            let low = a.iter().copied().fold(f64::INFINITY, f64::min);
            let high = a.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            if low.is_finite() && high > low {
                (low, high)
            } else {
                (low.min(0.0), low.max(0.0) + 1.0)
            }
        }
    };
    Histogram::of(a.iter().copied(), low, high)
}

/// A run seen through a recorder: every epoch's figures, and the snapshots.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Recording {
    /// Every epoch's figures, in order.
    pub epochs: Vec<EpochStats>,
    /// The snapshots, in order of their epochs.
    pub snapshots: Vec<Snapshot>,
    /// The rows trained on (the training rows of a validation split), as the
    /// snapshots saw them; plots draw them.
    pub data: Option<Dataset>,
}

impl Recording {
    /// The training losses of every epoch.
    pub fn losses(&self) -> Vec<f64> {
        self.epochs.iter().map(|e| e.loss).collect()
    }

    /// The snapshot nearest to `epoch` (the last one at or before it, or the
    /// first).
    ///
    /// ```
    /// # use nn::prelude::*;
    /// # let recording = nn::snapshot::Recording::default();
    /// assert!(recording.at(10).is_none()); // an empty recording has none
    /// ```
    pub fn at(&self, epoch: usize) -> Option<&Snapshot> {
        self.snapshots
            .iter()
            .rev()
            .find(|s| s.stats.epoch <= epoch)
            .or_else(|| self.snapshots.first())
    }
}

/// An observer that keeps snapshots at the epochs of a schedule, and every
/// epoch's figures.
#[derive(Debug, Clone, Default)]
pub struct Recorder {
    schedule: Schedule,
    recording: Recording,
}

impl Recorder {
    /// Takes a snapshot at each epoch `schedule` names
    /// ([`Schedule::log_spaced`] suits most runs).
    pub fn new(schedule: Schedule) -> Self {
        Recorder {
            schedule,
            recording: Recording::default(),
        }
    }

    /// What was recorded so far.
    pub fn recording(&self) -> &Recording {
        &self.recording
    }

    /// The recording, taken out of the recorder.
    pub fn finish(self) -> Recording {
        self.recording
    }
}

impl Observer for Recorder {
    fn epoch_end(&mut self, event: &EpochEnd<'_>) -> ControlFlow<()> {
        self.recording.epochs.push(event.stats);
        if self.schedule.includes(event.stats.epoch) {
            if self.recording.data.is_none() {
                self.recording.data = Some(event.data.clone());
            }
            self.recording.snapshots.push(Snapshot::take(event));
        }
        ControlFlow::Continue(())
    }
}
