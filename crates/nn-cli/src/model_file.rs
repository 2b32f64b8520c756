//! Trained models as the library's model files (`nn::io`): safetensors, the
//! format PyTorch, candle and burn read, and the one `nn::Network::load`
//! reads back.
//!
//! The weights, the architecture and the run's facts (loss, optimizer, batch
//! size, epochs, seed) are the library's own metadata. What `nn predict`
//! needs besides them goes in the file's notes (`ModelInfo::extra`), under
//! keys of this command's own, each a JSON value:
//!
//! | key | holds | example |
//! | --- | --- | --- |
//! | `cli.features` | the input columns' names, in order | `["study","sleep"]` |
//! | `cli.targets` | the target columns' names | `["score"]` |
//! | `cli.scaler` | how raw inputs are scaled before the first layer | `{"kind":"max","shift":[0.0,0.0],"scale":[9.0,8.0]}` |
//! | `cli.data` | the data it was trained on (for people; `nn predict` does not need it) | `"scores.csv"` |
//!
//! A model saved by library code has no `cli.` notes: `nn predict` then takes
//! the inputs as they are, named x1, x2, …. A model with some of the first
//! three but not all is refused, naming the missing key.

use std::path::Path;

use anyhow::{anyhow, bail, Context, Result};
use nn::network::Network;
use serde::de::DeserializeOwned;

use crate::config::{LossName, ScaleName};
use crate::scaler::Scaler;

const FEATURES: &str = "cli.features";
const TARGETS: &str = "cli.targets";
const SCALER: &str = "cli.scaler";
const DATA: &str = "cli.data";

/// What `nn predict` needs to know about a model besides its network.
#[derive(Debug, Clone, PartialEq)]
pub struct ModelInfo {
    /// The loss it was trained with: does the output name a class?
    pub loss: LossName,
    /// Names of the input columns, in order.
    pub features: Vec<String>,
    /// Names of the target columns.
    pub targets: Vec<String>,
    /// How to scale raw inputs before the first layer.
    pub scaler: Scaler,
    /// The built-in dataset or CSV file it was trained on, if known.
    pub data: Option<String>,
}

/// The file's bytes: `net`, the run's facts in `run`, and `info` as notes.
pub fn to_bytes(net: &Network, mut run: nn::io::ModelInfo, info: &ModelInfo) -> Result<Vec<u8>> {
    run.loss = Some(info.loss.to_nn());
    run.extra
        .insert(FEATURES.into(), serde_json::to_string(&info.features)?);
    run.extra
        .insert(TARGETS.into(), serde_json::to_string(&info.targets)?);
    run.extra
        .insert(SCALER.into(), serde_json::to_string(&info.scaler)?);
    if let Some(data) = &info.data {
        run.extra.insert(DATA.into(), serde_json::to_string(data)?);
    }
    Ok(net.to_safetensors(&run)?)
}

/// Reads a model file: one `nn train --save` wrote, or any `Network::save`d.
pub fn load(path: &Path) -> Result<(Network, ModelInfo)> {
    // The library's messages already name the file.
    let (net, run) = Network::load(path)?;
    let info = notes(&net, &run).map_err(|e| anyhow!("{}: {e:#}", path.display()))?;
    Ok((net, info))
}

/// This command's notes in `run`, or what stands in for them in a model
/// saved without them.
fn notes(net: &Network, run: &nn::io::ModelInfo) -> Result<ModelInfo> {
    let loss = run.loss.map(LossName::from_nn).unwrap_or(LossName::Mse);
    let data = match run.extra.get(DATA) {
        None => None,
        Some(value) => Some(note(DATA, Some(value))?),
    };
    let ours = [FEATURES, TARGETS, SCALER].map(|key| run.extra.get(key));
    let info = match ours {
        [None, None, None] => ModelInfo {
            loss,
            features: (1..=net.inputs()).map(|i| format!("x{i}")).collect(),
            targets: (1..=net.outputs()).map(|i| format!("y{i}")).collect(),
            scaler: Scaler {
                kind: ScaleName::None,
                shift: vec![0.0; net.inputs()],
                scale: vec![1.0; net.inputs()],
            },
            data,
        },
        [features, targets, scaler] => ModelInfo {
            loss,
            features: note(FEATURES, features)?,
            targets: note(TARGETS, targets)?,
            scaler: note(SCALER, scaler)?,
            data,
        },
    };
    let n = net.inputs();
    if info.features.len() != n {
        bail!(
            "its note `{FEATURES}` names {} input columns but the network takes {n}; {AGAIN}",
            info.features.len()
        );
    }
    let (shift, scale) = (&info.scaler.shift, &info.scaler.scale);
    if shift.len() != n || scale.len() != n {
        bail!("its note `{SCALER}` does not scale {n} columns; {AGAIN}");
    }
    if !shift.iter().chain(scale).all(|v| v.is_finite()) || scale.contains(&0.0) {
        bail!("its note `{SCALER}` holds a scale of 0 or a number that is not finite; {AGAIN}");
    }
    Ok(info)
}

const AGAIN: &str = "save the model again with `nn train --save FILE`";

/// One note, parsed; `None` when the file has some of this command's notes
/// but not this one.
fn note<T: DeserializeOwned>(key: &str, value: Option<&String>) -> Result<T> {
    let value = value.with_context(|| format!("its metadata has no `{key}`; {AGAIN}"))?;
    serde_json::from_str(value).with_context(|| format!("its note `{key}` is damaged; {AGAIN}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use nn::activation::Activation;
    use nn::ndarray::array;

    fn net() -> Network {
        Network::builder(2)
            .dense(3, Activation::Tanh)
            .dense(1, Activation::Sigmoid)
            .seed(3)
            .build()
            .unwrap()
    }

    #[test]
    fn a_saved_model_loads_as_it_was() {
        let info = ModelInfo {
            loss: LossName::BinaryCrossEntropy,
            features: vec!["a".into(), "b".into()],
            targets: vec!["y".into()],
            scaler: Scaler::fit(ScaleName::Standard, &array![[1.0, 2.0], [3.0, 5.0]]),
            data: Some("scores.csv".into()),
        };
        let bytes = to_bytes(&net(), nn::io::ModelInfo::default(), &info).unwrap();
        let (back, run) = Network::from_safetensors(&bytes).unwrap();
        assert_eq!(back, net());
        assert_eq!(notes(&back, &run).unwrap(), info);
    }

    #[test]
    fn a_model_without_notes_takes_its_inputs_as_they_are() {
        let run = nn::io::ModelInfo::default();
        let info = notes(&net(), &run).unwrap();
        assert_eq!(info.features, ["x1", "x2"]);
        assert_eq!(info.scaler.apply(&array![[3.0, -4.0]]), array![[3.0, -4.0]]);
        assert_eq!(info.loss, LossName::Mse);
    }

    #[test]
    fn missing_or_damaged_notes_are_named() {
        let mut run = nn::io::ModelInfo::default();
        run.extra.insert(FEATURES.into(), r#"["a","b"]"#.into());
        let err = format!("{:#}", notes(&net(), &run).unwrap_err());
        assert!(err.contains("no `cli.targets`"), "{err}");

        run.extra.insert(TARGETS.into(), r#"["y"]"#.into());
        run.extra.insert(SCALER.into(), "{not json".into());
        let err = format!("{:#}", notes(&net(), &run).unwrap_err());
        assert!(err.contains("note `cli.scaler` is damaged"), "{err}");

        run.extra.insert(FEATURES.into(), r#"["a"]"#.into());
        run.extra.insert(
            SCALER.into(),
            r#"{"kind":"none","shift":[0,0],"scale":[1,1]}"#.into(),
        );
        let err = format!("{:#}", notes(&net(), &run).unwrap_err());
        assert!(
            err.contains("names 1 input columns but the network takes 2"),
            "{err}"
        );
    }
}
