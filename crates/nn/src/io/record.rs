//! A run record: how a model was trained and how its loss went, as JSON
//! next to the model file.
//!
//! A model file says what the network *is*; the record says how it came to
//! be, in a form any tool (or person) can read. Its `run` is the whole
//! [`RunConfig`], the same JSON a model file keeps in `run.config`:
//!
//! ```json
//! {
//!   "crate_version": "0.1.0",
//!   "run": {
//!     "network": { "inputs": 2, "layers": [{ "units": 3, "activation": "sigmoid" }, …],
//!                  "bias": true, "init": "xavier_uniform", "seed": 42, "skip_normals": 0 },
//!     "training": { "loss": "mse", "optimizer": { "name": "adam", "learning_rate": 0.05, … },
//!                   "epochs": 100, "batch_size": "full", "shuffle": true, "seed": 42,
//!                   "validation_split": null, "early_stopping": null }
//!   },
//!   "epochs": [ { "epoch": 1, "loss": 0.0513, "accuracy": null, "val_loss": null, "val_accuracy": null }, … ],
//!   "final_loss": 0.0012,
//!   "best_epoch": null,
//!   "extra": {}
//! }
//! ```
//!
//! There is no time stamp in it, on purpose: two runs with the same seed
//! give byte-identical records, which is a quick test of reproducibility.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::atomic;
use crate::error::{Error, Result};
use crate::network::NetworkConfig;
use crate::run::RunConfig;
use crate::train::History;

/// One epoch's figures (see [`EpochStats`](crate::train::EpochStats)).
///
/// ```
/// use nn::prelude::*;
/// let run = RunConfig {
///     training: TrainConfig { loss: Loss::BinaryCrossEntropy, epochs: 2, ..TrainConfig::default() },
///     ..RunConfig::default()
/// };
/// let data = Dataset::new(array![[0.0, 1.0], [1.0, 0.0]], array![[1.0], [0.0]])?;
/// let (_, h) = run.train(&data)?;
/// let last = RunRecord::new(&run.network, &h).epochs[1];
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

/// How a model was trained: the whole run description, the crate version,
/// the figures of every epoch and your notes, written as JSON. Everything
/// needed to run the training again is in `run`.
///
/// ```
/// use nn::prelude::*;
/// use nn::io::RunRecord;
///
/// let run = RunConfig {
///     training: TrainConfig { optimizer: Optimizer::adam(0.05), epochs: 5, ..TrainConfig::default() },
///     ..RunConfig::default()
/// };
/// let (_, history) = run.train(&data::study_sleep())?;
/// let mut record = RunRecord::new(&run.network, &history);
/// record.extra.insert("data".into(), "study-sleep".into());
/// let json = record.to_json()?;
/// assert!(json.contains(r#""name": "adam""#));
/// assert_eq!(RunRecord::from_json(&json)?, record);
/// // The record is enough to train the same network again, to the bit.
/// assert_eq!(record.run.train(&data::study_sleep())?.1, history);
/// # Ok::<(), nn::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RunRecord {
    /// The version of this crate that trained the model.
    pub crate_version: String,
    /// The network and its training, described in full.
    pub run: RunConfig,
    /// One entry per epoch.
    pub epochs: Vec<EpochRecord>,
    /// The last epoch's training loss.
    pub final_loss: f64,
    /// With early stopping: the epoch whose weights the network kept.
    #[serde(default)]
    pub best_epoch: Option<usize>,
    /// Your own notes (the data the run learned from, say), kept as they are.
    #[serde(default)]
    pub extra: BTreeMap<String, String>,
}

impl RunRecord {
    /// The record of a finished run of the network `network` describes,
    /// trained as `history` says, with this crate's version.
    ///
    /// ```
    /// use nn::prelude::*;
    /// let builder = Network::builder(2).dense(1, Activation::Sigmoid).seed(3);
    /// let mut net = builder.config().build()?;
    /// let h = Trainer::new(Loss::Mse, Optimizer::momentum(0.1)).epochs(2).fit(&mut net, &data::study_sleep())?;
    /// let r = nn::io::RunRecord::new(builder.config(), &h);
    /// assert_eq!((r.epochs.len(), r.run.training.optimizer), (2, Optimizer::momentum(0.1)));
    /// assert_eq!((r.run.network.seed, r.crate_version.as_str()), (3, env!("CARGO_PKG_VERSION")));
    /// # Ok::<(), nn::Error>(())
    /// ```
    pub fn new(network: &NetworkConfig, history: &History) -> Self {
        RunRecord {
            crate_version: env!("CARGO_PKG_VERSION").to_string(),
            run: RunConfig {
                network: network.clone(),
                training: history.config.clone(),
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
            best_epoch: history.best_epoch,
            extra: BTreeMap::new(),
        }
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
    /// because JSON has no NaN or infinity, and every setting in range.
    ///
    /// ```
    /// # use nn::prelude::*;
    /// # let (_, h) = RunConfig::default().train(&data::study_sleep())?;
    /// let mut r = nn::io::RunRecord::new(&NetworkConfig::default(), &h);
    /// r.final_loss = f64::NAN;
    /// assert!(r.to_json().unwrap_err().to_string().contains("final_loss is NaN"));
    /// # Ok::<(), nn::Error>(())
    /// ```
    pub fn to_json(&self) -> Result<String> {
        self.check()?;
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
        parse(json).map_err(Error::Data)
    }

    /// Writes the record as JSON to `path`, atomically.
    ///
    /// ```
    /// # use nn::prelude::*;
    /// # let (_, h) = RunConfig::default().train(&data::study_sleep())?;
    /// use nn::io::RunRecord;
    /// let record = RunRecord::new(&NetworkConfig::default(), &h);
    /// let path = std::env::temp_dir().join("nn-record-doc.run.json");
    /// record.save(&path)?;
    /// assert_eq!(RunRecord::load(&path)?, record);
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
        let json = std::fs::read_to_string(path).map_err(|e| {
            let message = format!(
                "cannot read the run record ({e}); check the path, or save one with RunRecord::save"
            );
            Error::io(path, message, e)
        })?;
        parse(&json).map_err(|m| Error::file(path, m))
    }

    /// JSON cannot hold NaN or ±∞, and a record of settings out of range
    /// could not be run again: name the first such number.
    fn check(&self) -> Result<()> {
        self.run.training.check()?;
        self.run.network.init.check()?;
        let mut numbers: Vec<(String, f64)> = Vec::new();
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

/// A record from JSON, its settings checked; the message says what is
/// wrong and what to do.
fn parse(json: &str) -> std::result::Result<RunRecord, String> {
    let not_a_record = |e: serde_json::Error| {
        format!(
            "this is not a run record ({e}); give a .run.json file written by RunRecord::save \
             or `nn train --record FILE`"
        )
    };
    let value: serde_json::Value = serde_json::from_str(json).map_err(not_a_record)?;
    if value.get("hyperparameters").is_some() && value.get("run").is_none() {
        return Err(
            "this run record has the earlier layout (`hyperparameters`, no `run`), \
                    which does not say how the network was built, so it cannot be read as a \
                    whole run; train and record the run again"
                .into(),
        );
    }
    let record: RunRecord = serde_json::from_value(value).map_err(not_a_record)?;
    record.check().map_err(|e| {
        format!("the run record holds a setting out of range ({e}); fix it or record the run again")
    })?;
    Ok(record)
}
