//! What a model file says about how its network was trained, and how those
//! facts are spelled as the file's string→string metadata.

use std::collections::BTreeMap;
use std::str::FromStr;

use crate::error::{Error, Result};
use crate::loss::Loss;
use crate::optimizer::Optimizer;
use crate::train::{History, TrainState};

/// `"1"`: the layout version of the file ([`super::FORMAT_VERSION`]).
pub(crate) const FORMAT: &str = "nn.format";
/// `"2,3,1"`: inputs, then the units of every layer.
pub(crate) const SIZES: &str = "architecture.sizes";
/// `"sigmoid,sigmoid"`: one [`Activation::name`](crate::activation::Activation::name) per layer.
pub(crate) const ACTIVATIONS: &str = "architecture.activations";
/// `"true,false"`: whether each layer has a bias.
pub(crate) const BIAS: &str = "architecture.bias";

const SEED: &str = "run.seed";
const LOSS: &str = "run.loss";
const BATCH_SIZE: &str = "run.batch_size";
const EPOCHS: &str = "run.epochs";
const OPTIMIZER: &str = "optimizer.name";
const LEARNING_RATE: &str = "optimizer.learning_rate";
const MOMENTUM: &str = "optimizer.momentum";
const BETA1: &str = "optimizer.beta1";
const BETA2: &str = "optimizer.beta2";
const EPSILON: &str = "optimizer.epsilon";
const STEPS: &str = "optimizer.steps";
const STATE_EPOCHS: &str = "optimizer.epochs";
/// `"adam"`: whose memory the saved state is ([`OptimizerState::name`](crate::optimizer::OptimizerState::name)).
pub(crate) const STATE_KIND: &str = "optimizer.state";

/// Every key this crate writes; any other key under a reserved prefix is a
/// mistake (a typo, or a file from a newer version) and is refused.
const KNOWN: [&str; 17] = [
    FORMAT,
    SIZES,
    ACTIVATIONS,
    BIAS,
    SEED,
    LOSS,
    BATCH_SIZE,
    EPOCHS,
    OPTIMIZER,
    LEARNING_RATE,
    MOMENTUM,
    BETA1,
    BETA2,
    EPSILON,
    STEPS,
    STATE_EPOCHS,
    STATE_KIND,
];

/// Key prefixes that belong to this crate. Keys outside them are the
/// user's ([`ModelInfo::extra`]) and are kept as they are.
const RESERVED: [&str; 4] = ["nn.", "architecture.", "run.", "optimizer."];

/// The facts of a training run that a model file keeps beside the weights,
/// each `None` where it is not known.
///
/// They are stored as the file's metadata, a map from string to string:
///
/// | field | metadata keys | example |
/// | --- | --- | --- |
/// | (the network's shape) | `nn.format`, `architecture.sizes`, `architecture.activations`, `architecture.bias` | `1`, `2,3,1`, `sigmoid,sigmoid`, `true,true` |
/// | `seed` | `run.seed` | `42` |
/// | `loss` | `run.loss` ([`Loss::name`]) | `mse` |
/// | `batch_size` | `run.batch_size` | `3` |
/// | `epochs` | `run.epochs` | `10` |
/// | `optimizer` | `optimizer.name` ([`Optimizer::name`]), `optimizer.learning_rate`, and `optimizer.momentum` or `optimizer.beta1`, `optimizer.beta2`, `optimizer.epsilon` | `adam`, `0.05`, `0.9`, `0.999`, `1e-8` |
/// | `state` | `optimizer.state` (whose memory), `optimizer.steps` (Adam's t), `optimizer.epochs` (epochs trained), and the tensors `optimizer.first.*` (momentum's v, Adam's m), `optimizer.second.*` (Adam's v) | `adam`, `40`, `10` |
/// | `extra` | any key not starting with `nn.`, `architecture.`, `run.` or `optimizer.` | `author` → `me` |
///
/// Numbers are written so that they read back bit for bit (`0.1`, `1e-8`).
///
/// ```
/// use nn::prelude::*;
/// use nn::io::ModelInfo;
///
/// let info = ModelInfo { seed: Some(7), loss: Some(Loss::Mse), ..ModelInfo::default() };
/// let net = Network::builder(2).dense(1, Activation::Identity).build()?;
/// let (_, back) = Network::from_safetensors(&net.to_safetensors(&info)?)?;
/// assert_eq!(back, info);
/// # Ok::<(), nn::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ModelInfo {
    /// The seed the run used (for the weights, the shuffling, or both).
    pub seed: Option<u64>,
    /// The loss that was minimised.
    pub loss: Option<Loss>,
    /// The optimizer and its hyperparameters.
    pub optimizer: Option<Optimizer>,
    /// Rows per batch.
    pub batch_size: Option<usize>,
    /// Epochs trained so far.
    pub epochs: Option<usize>,
    /// The optimizer's memory (step count, moments), needed to resume
    /// training exactly where it stopped.
    pub state: Option<TrainState>,
    /// Your own notes, kept as they are.
    pub extra: BTreeMap<String, String>,
}

impl ModelInfo {
    /// The loss, optimizer, batch size and epochs of a finished run.
    ///
    /// ```
    /// use nn::prelude::*;
    /// use nn::io::ModelInfo;
    ///
    /// let mut net = Network::builder(2).dense(1, Activation::Sigmoid).build()?;
    /// let history = Trainer::new(Loss::Mse, Optimizer::gd(0.5)).epochs(3).fit(&mut net, &data::study_sleep())?;
    /// let info = ModelInfo::from_history(&history);
    /// assert_eq!((info.loss, info.epochs, info.batch_size), (Some(Loss::Mse), Some(3), Some(3)));
    /// # Ok::<(), nn::Error>(())
    /// ```
    pub fn from_history(history: &History) -> Self {
        ModelInfo {
            loss: Some(history.config.loss),
            optimizer: Some(history.config.optimizer),
            batch_size: Some(history.batch_size),
            epochs: history.epochs.last().map(|e| e.epoch),
            ..ModelInfo::default()
        }
    }

    /// The same facts with the run's seed.
    ///
    /// ```
    /// assert_eq!(nn::io::ModelInfo::default().with_seed(42).seed, Some(42));
    /// ```
    pub fn with_seed(mut self, seed: u64) -> Self {
        self.seed = Some(seed);
        self
    }

    /// The same facts with the optimizer's memory, so that training can
    /// resume exactly (see [`Trainer::fit_from`](crate::train::Trainer::fit_from)).
    ///
    /// ```
    /// use nn::train::TrainState;
    /// let info = nn::io::ModelInfo::default().with_state(TrainState::default());
    /// assert_eq!(info.state.unwrap().epochs, 0);
    /// ```
    pub fn with_state(mut self, state: TrainState) -> Self {
        self.state = Some(state);
        self
    }

    /// Checks what cannot be written or would not load back: optimizer
    /// hyperparameters out of range, a batch size of 0, a note under a
    /// reserved key.
    pub(crate) fn check(&self) -> Result<()> {
        if let Some(optimizer) = &self.optimizer {
            optimizer.check()?;
        }
        if self.batch_size == Some(0) {
            return Err(Error::InvalidParameter {
                name: "ModelInfo::batch_size",
                value: "0".into(),
                valid: "at least 1, or None if unknown",
            });
        }
        if let Some(key) = self.extra.keys().find(|k| is_reserved(k)) {
            return Err(Error::Data(format!(
                "the note {key:?} in ModelInfo::extra uses a prefix this crate keeps for itself \
                 ({}); rename it, for example to \"my.{key}\"",
                RESERVED.join(", ")
            )));
        }
        Ok(())
    }

    /// Writes the run's facts into `meta` (the architecture is the model's).
    pub(crate) fn write(&self, meta: &mut BTreeMap<String, String>) {
        let mut put = |key: &str, value: String| {
            meta.insert(key.to_string(), value);
        };
        if let Some(seed) = self.seed {
            put(SEED, seed.to_string());
        }
        if let Some(loss) = self.loss {
            put(LOSS, loss.name().to_string());
        }
        if let Some(batch) = self.batch_size {
            put(BATCH_SIZE, batch.to_string());
        }
        if let Some(epochs) = self.epochs {
            put(EPOCHS, epochs.to_string());
        }
        if let Some(optimizer) = self.optimizer {
            put(OPTIMIZER, optimizer.name().to_string());
            // `{:?}` prints the shortest text that parses back to the same f64.
            match optimizer {
                Optimizer::Gd { learning_rate } | Optimizer::Sgd { learning_rate } => {
                    put(LEARNING_RATE, format!("{learning_rate:?}"))
                }
                Optimizer::Momentum {
                    learning_rate,
                    momentum,
                } => {
                    put(LEARNING_RATE, format!("{learning_rate:?}"));
                    put(MOMENTUM, format!("{momentum:?}"));
                }
                Optimizer::Adam {
                    learning_rate,
                    beta1,
                    beta2,
                    epsilon,
                } => {
                    put(LEARNING_RATE, format!("{learning_rate:?}"));
                    put(BETA1, format!("{beta1:?}"));
                    put(BETA2, format!("{beta2:?}"));
                    put(EPSILON, format!("{epsilon:?}"));
                }
            }
        }
        if let Some(state) = &self.state {
            put(STATE_KIND, state.optimizer.name().to_string());
            put(STEPS, state.optimizer.t().to_string());
            put(STATE_EPOCHS, state.epochs.to_string());
        }
        for (key, value) in &self.extra {
            put(key, value.clone());
        }
    }

    /// Reads the run's facts back from `meta`. A saved state comes back with
    /// its epoch count and an empty optimizer memory, with Adam's step count
    /// beside it: the tensors are the model's to fill in. The error says
    /// which key is wrong and what to do.
    pub(crate) fn read(
        meta: &BTreeMap<String, String>,
    ) -> std::result::Result<(Self, u64), String> {
        if let Some(key) = meta
            .keys()
            .find(|k| is_reserved(k) && !KNOWN.contains(&k.as_str()))
        {
            return Err(format!(
                "metadata key {key:?} is not one this version of nn knows (see \
                 docs/model-files.md); remove it, or rename it outside the prefixes {}",
                RESERVED.join(", ")
            ));
        }
        let loss = match meta.get(LOSS) {
            None => None,
            Some(name) => Some(Loss::from_name(name).ok_or_else(|| {
                let known: Vec<&str> = Loss::ALL.iter().map(|l| l.name()).collect();
                format!(
                    "metadata {LOSS} = {} is not a loss this crate knows ({}); change it to one \
                     of those or remove the key",
                    shown(name),
                    known.join(", ")
                )
            })?),
        };
        let batch_size = number::<usize>(meta, BATCH_SIZE)?;
        if batch_size == Some(0) {
            return Err(format!(
                "metadata {BATCH_SIZE} = \"0\", but a batch has at least 1 row; fix or remove the key"
            ));
        }
        let state = match (
            number::<u64>(meta, STEPS)?,
            number::<usize>(meta, STATE_EPOCHS)?,
        ) {
            (None, None) => None,
            (Some(steps), Some(epochs)) => Some((steps, epochs)),
            (steps, _) => {
                let (has, lacks) = if steps.is_some() {
                    (STEPS, STATE_EPOCHS)
                } else {
                    (STATE_EPOCHS, STEPS)
                };
                return Err(format!(
                    "metadata has {has} but not {lacks}; a saved optimizer state needs both, so \
                     add {lacks} or remove {has} and the optimizer.first/second tensors"
                ));
            }
        };
        let info = ModelInfo {
            seed: number(meta, SEED)?,
            loss,
            optimizer: read_optimizer(meta)?,
            batch_size,
            epochs: number(meta, EPOCHS)?,
            state: state.map(|(_, epochs)| TrainState {
                epochs,
                ..TrainState::default()
            }),
            extra: meta
                .iter()
                .filter(|(k, _)| !is_reserved(k))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        };
        Ok((info, state.map_or(0, |(steps, _)| steps)))
    }
}

/// The optimizer named by `optimizer.name`, with exactly its hyperparameters.
fn read_optimizer(
    meta: &BTreeMap<String, String>,
) -> std::result::Result<Option<Optimizer>, String> {
    let hyper = [LEARNING_RATE, MOMENTUM, BETA1, BETA2, EPSILON];
    let Some(name) = meta.get(OPTIMIZER) else {
        return match hyper.iter().find(|k| meta.contains_key(**k)) {
            Some(key) => Err(format!(
                "metadata has {key} but no {OPTIMIZER}; add the optimizer's name (gd, momentum \
                 or adam) or remove its hyperparameters"
            )),
            None => Ok(None),
        };
    };
    let (optimizer, wanted): (Optimizer, &[&str]) = match name.as_str() {
        "gd" => (
            Optimizer::gd(float(meta, LEARNING_RATE, name)?),
            &[LEARNING_RATE],
        ),
        "sgd" => (
            Optimizer::sgd(float(meta, LEARNING_RATE, name)?),
            &[LEARNING_RATE],
        ),
        "momentum" => (
            Optimizer::Momentum {
                learning_rate: float(meta, LEARNING_RATE, name)?,
                momentum: float(meta, MOMENTUM, name)?,
            },
            &[LEARNING_RATE, MOMENTUM],
        ),
        "adam" => (
            Optimizer::Adam {
                learning_rate: float(meta, LEARNING_RATE, name)?,
                beta1: float(meta, BETA1, name)?,
                beta2: float(meta, BETA2, name)?,
                epsilon: float(meta, EPSILON, name)?,
            },
            &[LEARNING_RATE, BETA1, BETA2, EPSILON],
        ),
        other => {
            return Err(format!(
                "metadata {OPTIMIZER} = {} is not an optimizer this crate knows (gd, momentum, \
                 adam); change it to one of those",
                shown(other)
            ))
        }
    };
    if let Some(key) = hyper
        .iter()
        .find(|k| meta.contains_key(**k) && !wanted.contains(k))
    {
        return Err(format!(
            "metadata has {key}, which {name} does not use; remove the key or correct {OPTIMIZER}"
        ));
    }
    optimizer.check().map_err(|e| {
        format!("the optimizer's hyperparameters in the metadata are out of range: {e}; fix them")
    })?;
    Ok(Some(optimizer))
}

/// Whether `key` is under one of the crate's own prefixes.
fn is_reserved(key: &str) -> bool {
    RESERVED.iter().any(|p| key.starts_with(p))
}

/// The value of an optional numeric key.
fn number<T: FromStr>(
    meta: &BTreeMap<String, String>,
    key: &str,
) -> std::result::Result<Option<T>, String> {
    meta.get(key)
        .map(|text| {
            text.parse().map_err(|_| {
                format!(
                    "metadata {key} = {} is not a whole number ≥ 0; write it like \"10\" or \
                     remove the key",
                    shown(text)
                )
            })
        })
        .transpose()
}

/// The value of a floating-point key that `optimizer` requires.
fn float(
    meta: &BTreeMap<String, String>,
    key: &str,
    optimizer: &str,
) -> std::result::Result<f64, String> {
    let text = meta
        .get(key)
        .ok_or_else(|| format!("metadata has {OPTIMIZER} = {optimizer:?} but no {key}; add it"))?;
    text.parse().map_err(|_| {
        format!(
            "metadata {key} = {} is not a number; write it like \"0.05\" or \"1e-8\"",
            shown(text)
        )
    })
}

/// A value as shown in a message: quoted, and cut short if it is long.
pub(crate) fn shown(value: &str) -> String {
    const MAX: usize = 40;
    match value.char_indices().nth(MAX) {
        None => format!("{value:?}"),
        Some((end, _)) => format!("{:?}… ({} bytes)", &value[..end], value.len()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_values_are_cut_short_in_messages() {
        assert_eq!(shown("adam"), "\"adam\"");
        let long = "x".repeat(1000);
        assert_eq!(shown(&long), format!("{:?}… (1000 bytes)", "x".repeat(40)));
    }

    #[test]
    fn every_field_survives_the_metadata() {
        let info = ModelInfo {
            seed: Some(u64::MAX),
            loss: Some(Loss::CategoricalCrossEntropy),
            optimizer: Some(Optimizer::Adam {
                learning_rate: 0.1 + 0.2,
                beta1: 0.9,
                beta2: 0.999,
                epsilon: 1e-8,
            }),
            batch_size: Some(3),
            epochs: Some(20),
            state: Some(TrainState {
                epochs: 20,
                ..TrainState::default()
            }),
            extra: [("author".to_string(), "소연".to_string())].into(),
        };
        let mut meta = BTreeMap::new();
        info.write(&mut meta);
        assert_eq!(meta["optimizer.learning_rate"], "0.30000000000000004");
        assert_eq!(ModelInfo::read(&meta).unwrap(), (info, 0));
    }

    #[test]
    fn a_hyperparameter_of_another_optimizer_is_refused() {
        let meta: BTreeMap<String, String> = [
            ("optimizer.name", "gd"),
            ("optimizer.learning_rate", "0.1"),
            ("optimizer.beta1", "0.9"),
        ]
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .into();
        let err = ModelInfo::read(&meta).map(|_| ()).unwrap_err();
        assert!(
            err.contains("optimizer.beta1, which gd does not use"),
            "{err}"
        );
    }
}
