//! What a model file says about how its network came to be, and how those
//! facts are spelled as the file's string→string metadata.

use std::collections::BTreeMap;
use std::str::FromStr;

use crate::data::Scaler;
use crate::error::{Error, Result};
use crate::network::NetworkConfig;
use crate::run::RunConfig;
use crate::train::{History, TrainState};

/// `"2"`: the layout version of the file ([`super::FORMAT_VERSION`]).
pub(crate) const FORMAT: &str = "nn.format";
/// `"2,3,1"`: inputs, then the units of every layer.
pub(crate) const SIZES: &str = "architecture.sizes";
/// `"sigmoid,sigmoid"`: one [`Activation::name`](crate::activation::Activation::name) per layer.
pub(crate) const ACTIVATIONS: &str = "architecture.activations";
/// `"true,false"`: whether each layer has a bias.
pub(crate) const BIAS: &str = "architecture.bias";

/// The whole [`RunConfig`], as one JSON value.
const CONFIG: &str = "run.config";
/// `"10"`: epochs trained so far.
pub(crate) const EPOCHS: &str = "run.epochs";
/// The [`Scaler`], as one JSON value.
const SCALER: &str = "run.scaler";
/// `"adam"`: whose memory the saved state is ([`OptimizerState::name`](crate::optimizer::OptimizerState::name)).
pub(crate) const STATE_KIND: &str = "optimizer.state";
/// `"40"`: Adam's step count t.
pub(crate) const STEPS: &str = "optimizer.steps";
/// `"10"`: the epochs the saved state has seen.
pub(crate) const STATE_EPOCHS: &str = "optimizer.epochs";

/// Every key this layout writes; any other key under a reserved prefix is a
/// mistake (a typo, or a file from a newer version) and is refused.
const KNOWN: [&str; 10] = [
    FORMAT,
    SIZES,
    ACTIVATIONS,
    BIAS,
    CONFIG,
    EPOCHS,
    SCALER,
    STATE_KIND,
    STEPS,
    STATE_EPOCHS,
];

/// Key prefixes that belong to this crate. Keys outside them are the
/// user's ([`ModelInfo::extra`]) and are kept as they are.
pub(crate) const RESERVED: [&str; 4] = ["nn.", "architecture.", "run.", "optimizer."];

/// What a model file keeps beside the weights: how the network was built
/// and trained, how its inputs are scaled, the optimizer's memory, and your
/// own notes; each `None` where it is not known.
///
/// They are stored as the file's metadata, a map from string to string:
///
/// | field | metadata key | example |
/// | --- | --- | --- |
/// | (the network's shape) | `nn.format`, `architecture.sizes`, `architecture.activations`, `architecture.bias` | `2`, `2,3,1`, `sigmoid,sigmoid`, `true,true` |
/// | `run` | `run.config`: the [`RunConfig`] as JSON | `{"network":{"inputs":2,…},"training":{"loss":"mse",…}}` |
/// | `epochs` | `run.epochs` | `10` |
/// | `scaler` | `run.scaler`: the [`Scaler`] as JSON | `{"kind":"standard","mean":[5.5],"std":[2.5]}` |
/// | `state` | `optimizer.state` (whose memory), `optimizer.steps` (Adam's t), `optimizer.epochs` (epochs trained), and the tensors `optimizer.first.*` (momentum's v, Adam's m), `optimizer.second.*` (Adam's v) | `adam`, `40`, `10` |
/// | `extra` | any key not starting with `nn.`, `architecture.`, `run.` or `optimizer.` | `author` → `me` |
///
/// JSON numbers are written so that they read back bit for bit (`0.1`,
/// `1e-8`). Files of layout 1, whose run facts were keys of their own
/// (`run.loss`, `optimizer.name`, …), load too; `docs/model-files.md` says how.
///
/// ```
/// use nn::prelude::*;
/// use nn::io::ModelInfo;
///
/// let run = RunConfig { training: TrainConfig { epochs: 20, ..TrainConfig::default() }, ..RunConfig::default() };
/// let (net, history) = run.train(&data::study_sleep())?;
/// let info = ModelInfo::new(&run.network, &history);
/// assert_eq!((info.run.as_ref(), info.epochs), (Some(&run), Some(20)));
/// let (_, back) = Network::from_safetensors(&net.to_safetensors(&info)?)?;
/// assert_eq!(back, info);
/// # Ok::<(), nn::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ModelInfo {
    /// How the network was built and trained: everything needed to train
    /// it again. It must describe the saved network (inputs, layers, bias).
    pub run: Option<RunConfig>,
    /// Epochs trained so far (with early stopping or a resumed run, not
    /// `run.training.epochs`).
    pub epochs: Option<usize>,
    /// How raw inputs are scaled before the first layer: apply it to new
    /// rows before [`Network::predict`](crate::network::Network::predict).
    pub scaler: Option<Scaler>,
    /// The optimizer's memory (step count, moments), needed to resume
    /// training exactly where it stopped.
    pub state: Option<TrainState>,
    /// Your own notes, kept as they are.
    pub extra: BTreeMap<String, String>,
}

impl ModelInfo {
    /// The facts of a finished run: the network as `network` describes it,
    /// trained as `history` says (its settings and the epochs done).
    ///
    /// ```
    /// use nn::prelude::*;
    /// use nn::io::ModelInfo;
    ///
    /// let builder = Network::builder(2).dense(1, Activation::Sigmoid).seed(7);
    /// let mut net = builder.config().build()?;
    /// let history = Trainer::new(Loss::Mse, Optimizer::gd(0.5)).epochs(3).fit(&mut net, &data::study_sleep())?;
    /// let info = ModelInfo::new(builder.config(), &history);
    /// let run = info.run.unwrap();
    /// assert_eq!((run.network.seed, run.training.loss, info.epochs), (7, Loss::Mse, Some(3)));
    /// # Ok::<(), nn::Error>(())
    /// ```
    pub fn new(network: &NetworkConfig, history: &History) -> Self {
        ModelInfo {
            run: Some(RunConfig {
                network: network.clone(),
                training: history.config.clone(),
            }),
            epochs: history.epochs.last().map(|e| e.epoch),
            ..ModelInfo::default()
        }
    }

    /// The same facts with the scaler the training inputs went through.
    ///
    /// ```
    /// use nn::prelude::*;
    /// let scaler = data::Scaler::from(data::MinMax::fit(&array![[0.0], [4.0]])?);
    /// let info = nn::io::ModelInfo::default().with_scaler(scaler.clone());
    /// assert_eq!(info.scaler, Some(scaler));
    /// # Ok::<(), nn::Error>(())
    /// ```
    pub fn with_scaler(mut self, scaler: Scaler) -> Self {
        self.scaler = Some(scaler);
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

    /// Checks what cannot be written or would not load back: settings out
    /// of range, a note under a reserved key. (That the run and the scaler
    /// fit the network is the model's to check.)
    pub(crate) fn check(&self) -> Result<()> {
        if let Some(run) = &self.run {
            run.training.check()?;
            run.network.init.check()?;
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

    /// Writes the facts into `meta` (the architecture is the model's).
    pub(crate) fn write(&self, meta: &mut BTreeMap<String, String>) -> Result<()> {
        let json = |what: &str, e: serde_json::Error| {
            Error::Data(format!("the {what} could not be written as JSON: {e}"))
        };
        if let Some(run) = &self.run {
            let text = serde_json::to_string(run).map_err(|e| json("run description", e))?;
            meta.insert(CONFIG.into(), text);
        }
        if let Some(epochs) = self.epochs {
            meta.insert(EPOCHS.into(), epochs.to_string());
        }
        if let Some(scaler) = &self.scaler {
            let text = serde_json::to_string(scaler).map_err(|e| json("scaler", e))?;
            meta.insert(SCALER.into(), text);
        }
        if let Some(state) = &self.state {
            meta.insert(STATE_KIND.into(), state.optimizer.name().into());
            meta.insert(STEPS.into(), state.optimizer.t().to_string());
            meta.insert(STATE_EPOCHS.into(), state.epochs.to_string());
        }
        for (key, value) in &self.extra {
            meta.insert(key.clone(), value.clone());
        }
        Ok(())
    }

    /// Reads the facts back from the metadata of a layout-2 file. A saved
    /// state comes back with its epoch count and an empty optimizer memory,
    /// with Adam's step count beside it: the tensors are the model's to fill
    /// in. The error says which key is wrong and what to do.
    pub(crate) fn read(
        meta: &BTreeMap<String, String>,
    ) -> std::result::Result<(Self, u64), String> {
        refuse_unknown(meta, &KNOWN)?;
        let run = json::<RunConfig>(meta, CONFIG, "a run description (RunConfig)")?;
        if let Some(run) = &run {
            run.training
                .check()
                .and_then(|()| run.network.init.check())
                .map_err(|e| {
                    format!("metadata {CONFIG} holds a setting out of range: {e}; fix it")
                })?;
        }
        let (state, steps) = read_state(meta)?;
        let info = ModelInfo {
            run,
            epochs: number(meta, EPOCHS)?,
            scaler: json::<Scaler>(meta, SCALER, "a scaler")?,
            state,
            extra: notes(meta),
        };
        Ok((info, steps))
    }
}

/// Refuses a key under a reserved prefix that is not one of `known`.
pub(crate) fn refuse_unknown(
    meta: &BTreeMap<String, String>,
    known: &[&str],
) -> std::result::Result<(), String> {
    match meta
        .keys()
        .find(|k| is_reserved(k) && !known.contains(&k.as_str()))
    {
        None => Ok(()),
        Some(key) => Err(format!(
            "metadata key {} is not one this version of nn knows (see docs/model-files.md); \
             remove it, or rename it outside the prefixes {}",
            shown(key),
            RESERVED.join(", ")
        )),
    }
}

/// The saved optimizer state's epochs (its memory empty) and step count.
pub(crate) fn read_state(
    meta: &BTreeMap<String, String>,
) -> std::result::Result<(Option<TrainState>, u64), String> {
    match (
        number::<u64>(meta, STEPS)?,
        number::<usize>(meta, STATE_EPOCHS)?,
    ) {
        (None, None) => Ok((None, 0)),
        (Some(steps), Some(epochs)) => Ok((
            Some(TrainState {
                epochs,
                ..TrainState::default()
            }),
            steps,
        )),
        (steps, _) => {
            let (has, lacks) = if steps.is_some() {
                (STEPS, STATE_EPOCHS)
            } else {
                (STATE_EPOCHS, STEPS)
            };
            Err(format!(
                "metadata has {has} but not {lacks}; a saved optimizer state needs both, so \
                 add {lacks} or remove {has} and the optimizer.first/second tensors"
            ))
        }
    }
}

/// The user's notes: every key outside the reserved prefixes.
pub(crate) fn notes(meta: &BTreeMap<String, String>) -> BTreeMap<String, String> {
    meta.iter()
        .filter(|(k, _)| !is_reserved(k))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

/// Whether `key` is under one of the crate's own prefixes.
fn is_reserved(key: &str) -> bool {
    RESERVED.iter().any(|p| key.starts_with(p))
}

/// The value of an optional key holding JSON.
fn json<T: serde::de::DeserializeOwned>(
    meta: &BTreeMap<String, String>,
    key: &str,
    what: &str,
) -> std::result::Result<Option<T>, String> {
    meta.get(key)
        .map(|text| {
            serde_json::from_str(text).map_err(|e| {
                format!(
                    "metadata {key} is not {what} this crate reads ({}); fix it or remove the key",
                    cut(&e.to_string())
                )
            })
        })
        .transpose()
}

/// The value of an optional numeric key.
pub(crate) fn number<T: FromStr>(
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

/// A value as shown in a message: quoted, and cut short if it is long.
pub(crate) fn shown(value: &str) -> String {
    const MAX: usize = 40;
    match value.char_indices().nth(MAX) {
        None => format!("{value:?}"),
        Some((end, _)) => format!("{:?}… ({} bytes)", &value[..end], value.len()),
    }
}

/// A message from elsewhere (serde's, which quotes what it read), cut short.
fn cut(message: &str) -> String {
    const MAX: usize = 200;
    match message.char_indices().nth(MAX) {
        None => message.to_string(),
        Some((end, _)) => format!("{}…", &message[..end]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::MinMax;
    use crate::loss::Loss;
    use crate::optimizer::Optimizer;
    use crate::train::{BatchSize, TrainConfig};

    #[test]
    fn long_values_are_cut_short_in_messages() {
        assert_eq!(shown("adam"), "\"adam\"");
        let long = "x".repeat(1000);
        assert_eq!(shown(&long), format!("{:?}… (1000 bytes)", "x".repeat(40)));
        assert_eq!(cut(&long).chars().count(), 201);
    }

    #[test]
    fn every_field_survives_the_metadata() {
        let info = ModelInfo {
            run: Some(RunConfig {
                network: NetworkConfig {
                    seed: u64::MAX,
                    ..NetworkConfig::default()
                },
                training: TrainConfig {
                    loss: Loss::CategoricalCrossEntropy,
                    optimizer: Optimizer::Adam {
                        learning_rate: 0.1 + 0.2,
                        beta1: 0.9,
                        beta2: 0.999,
                        epsilon: 1e-8,
                    },
                    batch_size: BatchSize::Rows(3),
                    validation_split: Some(0.2),
                    early_stopping: Some(5),
                    shuffle: false,
                    ..TrainConfig::default()
                },
            }),
            epochs: Some(20),
            scaler: Some(
                MinMax::from_bounds(ndarray::array![0.1, -1.0], ndarray::array![0.7, 1e300])
                    .unwrap()
                    .into(),
            ),
            state: Some(TrainState {
                epochs: 20,
                ..TrainState::default()
            }),
            extra: [("author".to_string(), "소연".to_string())].into(),
        };
        let mut meta = BTreeMap::new();
        info.write(&mut meta).unwrap();
        assert!(
            meta[CONFIG].contains(r#""learning_rate":0.30000000000000004"#),
            "{}",
            meta[CONFIG]
        );
        assert_eq!(
            meta[SCALER],
            r#"{"kind":"min_max","min":[0.1,-1.0],"max":[0.7,1e+300]}"#
        );
        assert_eq!(ModelInfo::read(&meta).unwrap(), (info, 0));
    }

    #[test]
    fn a_run_description_that_does_not_parse_is_refused_naming_the_key() {
        let meta: BTreeMap<String, String> = [(
            CONFIG.to_string(),
            r#"{"training":{"lerning_rate":0.1}}"#.to_string(),
        )]
        .into();
        let err = ModelInfo::read(&meta).map(|_| ()).unwrap_err();
        assert!(
            err.contains("metadata run.config is not a run description (RunConfig)")
                && err.contains("unknown field `lerning_rate`"),
            "{err}"
        );
        let meta: BTreeMap<String, String> = [(
            CONFIG.to_string(),
            r#"{"training":{"epochs":0}}"#.to_string(),
        )]
        .into();
        let err = ModelInfo::read(&meta).map(|_| ()).unwrap_err();
        assert!(err.contains("invalid epochs = 0"), "{err}");
    }
}
