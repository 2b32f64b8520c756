//! A run record: how a model was trained and how its loss went, as JSON
//! next to the model file.
//!
//! A model file says what the network *is*; the record says how it came to
//! be, in a form any tool (or person) can read:
//!
//! ```json
//! {
//!   "crate_version": "0.1.0",
//!   "hyperparameters": { "loss": "mse", "optimizer": "adam", "learning_rate": 0.05,
//!                        "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8,
//!                        "batch_size": 3, "seed": 42 },
//!   "epochs": [ { "epoch": 1, "loss": 0.0513, "accuracy": null, "val_loss": null, "val_accuracy": null }, … ],
//!   "final_loss": 0.0012
//! }
//! ```
//!
//! There is no time stamp in it, on purpose: two runs with the same seed
//! give byte-identical records, which is a quick test of reproducibility.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::atomic;
use crate::error::{Error, Result};
use crate::optimizer::Optimizer;
use crate::train::History;

/// Everything needed to run the training again.
///
/// ```
/// use nn::prelude::*;
/// let mut net = Network::builder(2).dense(1, Activation::Sigmoid).build()?;
/// let h = Trainer::new(Loss::Mse, Optimizer::adam(0.1)).batch_size(2).fit(&mut net, &data::study_sleep())?;
/// let hp = RunRecord::from_history(&h).hyperparameters;
/// assert_eq!((hp.loss.as_str(), hp.optimizer.as_str(), hp.batch_size), ("mse", "adam", 2));
/// assert_eq!((hp.beta1, hp.momentum), (Some(0.9), None));
/// # Ok::<(), nn::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Hyperparameters {
    /// The loss's [`name`](crate::loss::Loss::name), such as `mse`.
    pub loss: String,
    /// The optimizer's [`name`](crate::optimizer::Optimizer::name): `gd`, `momentum` or `adam`.
    pub optimizer: String,
    /// η.
    pub learning_rate: f64,
    /// μ, for momentum.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub momentum: Option<f64>,
    /// β₁, for Adam.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub beta1: Option<f64>,
    /// β₂, for Adam.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub beta2: Option<f64>,
    /// ε, for Adam.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub epsilon: Option<f64>,
    /// Rows per batch.
    pub batch_size: usize,
    /// The seed, if you gave one to [`RunRecord::with_seed`].
    pub seed: Option<u64>,
}

/// One epoch's figures (see [`EpochStats`](crate::train::EpochStats)).
///
/// ```
/// use nn::prelude::*;
/// let mut net = Network::builder(2).dense(1, Activation::Sigmoid).build()?;
/// let h = Trainer::new(Loss::BinaryCrossEntropy, Optimizer::gd(0.5)).epochs(2)
///     .fit(&mut net, &Dataset::new(array![[0.0, 1.0], [1.0, 0.0]], array![[1.0], [0.0]])?)?;
/// let last = RunRecord::from_history(&h).epochs[1];
/// assert_eq!(last.epoch, 2);
/// assert!(last.accuracy.is_some() && last.val_loss.is_none());
/// # Ok::<(), nn::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EpochRecord {
    /// The epoch, from 1 (counting epochs of earlier runs when resumed).
    pub epoch: usize,
    /// Mean training loss.
    pub loss: f64,
    /// Training accuracy, for classification.
    pub accuracy: Option<f64>,
    /// Validation loss, with a validation split.
    pub val_loss: Option<f64>,
    /// Validation accuracy.
    pub val_accuracy: Option<f64>,
}

/// How a model was trained: hyperparameters, seed, crate version and the
/// figures of every epoch, written as JSON.
///
/// ```
/// use nn::prelude::*;
/// use nn::io::RunRecord;
///
/// let mut net = Network::builder(2).dense(3, Activation::Sigmoid).dense(1, Activation::Sigmoid).build()?;
/// let history = Trainer::new(Loss::Mse, Optimizer::adam(0.05)).epochs(5).fit(&mut net, &data::study_sleep())?;
/// let record = RunRecord::from_history(&history).with_seed(42);
/// let json = record.to_json()?;
/// assert!(json.contains(r#""optimizer": "adam""#));
/// assert_eq!(RunRecord::from_json(&json)?, record);
/// # Ok::<(), nn::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RunRecord {
    /// The version of this crate that trained the model.
    pub crate_version: String,
    /// The settings of the run.
    pub hyperparameters: Hyperparameters,
    /// One entry per epoch.
    pub epochs: Vec<EpochRecord>,
    /// The last epoch's training loss.
    pub final_loss: f64,
}

impl RunRecord {
    /// The record of a finished run, with this crate's version.
    ///
    /// ```
    /// use nn::prelude::*;
    /// let mut net = Network::builder(2).dense(1, Activation::Sigmoid).build()?;
    /// let h = Trainer::new(Loss::Mse, Optimizer::momentum(0.1)).epochs(2).fit(&mut net, &data::study_sleep())?;
    /// let r = nn::io::RunRecord::from_history(&h);
    /// assert_eq!((r.epochs.len(), r.hyperparameters.momentum), (2, Some(0.9)));
    /// assert_eq!(r.crate_version, env!("CARGO_PKG_VERSION"));
    /// # Ok::<(), nn::Error>(())
    /// ```
    pub fn from_history(history: &History) -> Self {
        let (mut momentum, mut beta1, mut beta2, mut epsilon) = (None, None, None, None);
        match history.config.optimizer {
            Optimizer::Gd { .. } | Optimizer::Sgd { .. } => {}
            Optimizer::Momentum { momentum: m, .. } => momentum = Some(m),
            Optimizer::Adam {
                beta1: b1,
                beta2: b2,
                epsilon: e,
                ..
            } => (beta1, beta2, epsilon) = (Some(b1), Some(b2), Some(e)),
        }
        RunRecord {
            crate_version: env!("CARGO_PKG_VERSION").to_string(),
            hyperparameters: Hyperparameters {
                loss: history.config.loss.name().to_string(),
                optimizer: history.config.optimizer.name().to_string(),
                learning_rate: history.config.optimizer.learning_rate(),
                momentum,
                beta1,
                beta2,
                epsilon,
                batch_size: history.batch_size,
                seed: None,
            },
            epochs: history
                .epochs
                .iter()
                .map(|e| EpochRecord {
                    epoch: e.epoch,
                    loss: e.loss,
                    accuracy: e.accuracy,
                    val_loss: e.val_loss,
                    val_accuracy: e.val_accuracy,
                })
                .collect(),
            final_loss: history.final_loss(),
        }
    }

    /// The same record with the run's seed.
    ///
    /// ```
    /// # use nn::prelude::*;
    /// # let mut net = Network::builder(2).dense(1, Activation::Sigmoid).build()?;
    /// # let h = Trainer::new(Loss::Mse, Optimizer::gd(0.1)).fit(&mut net, &data::study_sleep())?;
    /// let r = nn::io::RunRecord::from_history(&h).with_seed(7);
    /// assert_eq!(r.hyperparameters.seed, Some(7));
    /// # Ok::<(), nn::Error>(())
    /// ```
    pub fn with_seed(mut self, seed: u64) -> Self {
        self.hyperparameters.seed = Some(seed);
        self
    }

    /// Where the record of the model file `model` goes: beside it, with
    /// `.run.json` for its extension.
    ///
    /// ```
    /// use std::path::Path;
    /// let p = nn::io::RunRecord::path_beside("out/model.safetensors");
    /// assert_eq!(p, Path::new("out/model.run.json"));
    /// ```
    pub fn path_beside(model: impl AsRef<Path>) -> PathBuf {
        model.as_ref().with_extension("run.json")
    }

    /// The record as pretty-printed JSON. Every number must be finite,
    /// because JSON has no NaN or infinity.
    ///
    /// ```
    /// # use nn::prelude::*;
    /// # let mut net = Network::builder(2).dense(1, Activation::Sigmoid).build()?;
    /// # let h = Trainer::new(Loss::Mse, Optimizer::gd(0.1)).fit(&mut net, &data::study_sleep())?;
    /// let mut r = nn::io::RunRecord::from_history(&h);
    /// r.final_loss = f64::NAN;
    /// assert!(r.to_json().unwrap_err().to_string().contains("final_loss is NaN"));
    /// # Ok::<(), nn::Error>(())
    /// ```
    pub fn to_json(&self) -> Result<String> {
        self.check_finite()?;
        serde_json::to_string_pretty(self)
            .map_err(|e| Error::Data(format!("the run record could not be written as JSON: {e}")))
    }

    /// A record from JSON written by [`to_json`](RunRecord::to_json).
    ///
    /// ```
    /// let err = nn::io::RunRecord::from_json("{}").unwrap_err();
    /// assert!(err.to_string().contains("missing field `crate_version`"));
    /// ```
    pub fn from_json(json: &str) -> Result<Self> {
        serde_json::from_str(json).map_err(|e| {
            Error::Data(format!(
                "this is not a run record ({e}); give JSON written by RunRecord::save"
            ))
        })
    }

    /// Writes the record as JSON to `path`, atomically.
    ///
    /// ```
    /// # use nn::prelude::*;
    /// # let mut net = Network::builder(2).dense(1, Activation::Sigmoid).build()?;
    /// # let h = Trainer::new(Loss::Mse, Optimizer::gd(0.1)).fit(&mut net, &data::study_sleep())?;
    /// use nn::io::RunRecord;
    /// let path = std::env::temp_dir().join("nn-record-doc.run.json");
    /// RunRecord::from_history(&h).save(&path)?;
    /// assert_eq!(RunRecord::load(&path)?, RunRecord::from_history(&h));
    /// # std::fs::remove_file(&path).ok();
    /// # Ok::<(), nn::Error>(())
    /// ```
    pub fn save(&self, path: impl AsRef<Path>) -> Result<()> {
        let mut json = self.to_json()?;
        json.push('\n');
        atomic::write_atomic(path, json.as_bytes())
    }

    /// Reads a record written by [`save`](RunRecord::save).
    ///
    /// ```
    /// let err = nn::io::RunRecord::load("no/such/run.json").unwrap_err();
    /// assert!(err.to_string().starts_with("no/such/run.json: cannot read"));
    /// ```
    pub fn load(path: impl AsRef<Path>) -> Result<Self> {
        let path = path.as_ref();
        let fail = |message: String| Error::file(path, message);
        let json = std::fs::read_to_string(path).map_err(|e| {
            fail(format!(
                "cannot read the run record ({e}); check the path, or save one with RunRecord::save"
            ))
        })?;
        serde_json::from_str(&json).map_err(|e| {
            fail(format!(
                "this is not a run record ({e}); give a .run.json file written by RunRecord::save"
            ))
        })
    }

    /// JSON cannot hold NaN or ±∞: name the first such number.
    fn check_finite(&self) -> Result<()> {
        let h = &self.hyperparameters;
        let mut numbers: Vec<(String, f64)> = vec![("learning_rate".into(), h.learning_rate)];
        for (name, v) in [
            ("momentum", h.momentum),
            ("beta1", h.beta1),
            ("beta2", h.beta2),
            ("epsilon", h.epsilon),
        ] {
            numbers.extend(v.map(|v| (name.to_string(), v)));
        }
        for e in &self.epochs {
            let n = e.epoch;
            numbers.push((format!("epoch {n}'s loss"), e.loss));
            for (name, v) in [
                ("accuracy", e.accuracy),
                ("val_loss", e.val_loss),
                ("val_accuracy", e.val_accuracy),
            ] {
                numbers.extend(v.map(|v| (format!("epoch {n}'s {name}"), v)));
            }
        }
        numbers.push(("final_loss".into(), self.final_loss));
        match numbers.into_iter().find(|(_, v)| !v.is_finite()) {
            None => Ok(()),
            Some((name, v)) => Err(Error::Data(format!(
                "the run record's {name} is {v}, which JSON cannot hold; record a run that \
                 finished with finite losses"
            ))),
        }
    }
}
