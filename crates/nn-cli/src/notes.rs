//! What the command adds to the library's files: the names of the data's
//! columns and where the data came from, as the files' notes (`extra`).
//! Everything else, the run and the input scaler included, is the
//! library's own (`nn::io::ModelInfo`, `nn::io::RunRecord`).
//!
//! | file | key | holds | example |
//! | --- | --- | --- | --- |
//! | model | `cli.features` | the input columns' names, in order (JSON) | `["study","sleep"]` |
//! | model | `cli.targets` | the target columns' names (JSON) | `["score"]` |
//! | model | `cli.data` | the dataset or CSV file (JSON; for people) | `"scores.csv"` |
//! | record | `data` | the dataset or CSV file | `moons` |
//! | record | `data_flags` | the flags that give the same rows to `nn train` | `--dataset moons --data-seed 42 --scale none` |
//!
//! A model saved by library code has no `cli.` notes: `nn predict` then
//! names its inputs x1, x2, … and its outputs y1, y2, …. A model with one of
//! the two column notes but not the other is refused, naming the missing key.

use std::collections::BTreeMap;

use anyhow::{bail, Context, Result};
use nn::io::ModelInfo;
use nn::network::Network;

use crate::config::{typed_name, DatasetName, RunOptions};
use crate::dataset::{self, Loaded};

const FEATURES: &str = "cli.features";
const TARGETS: &str = "cli.targets";
const DATA: &str = "cli.data";

/// The notes of a model trained on `data`.
pub fn for_model(data: &Loaded) -> BTreeMap<String, String> {
    BTreeMap::from([
        (FEATURES.into(), json(&data.features)),
        (TARGETS.into(), json(&data.targets)),
        (DATA.into(), json(&data.name)),
    ])
}

/// A note's JSON text: a name or a list of names always has one.
fn json(value: &impl serde::Serialize) -> String {
    serde_json::to_string(value).expect("strings serialize")
}

/// The notes of a run record of a run on `data`, loaded as `o` says with
/// `seed` for its random rows.
pub fn for_record(data: &Loaded, o: &RunOptions, seed: u64) -> BTreeMap<String, String> {
    let mut flags = match &o.csv {
        Some(csv) => {
            let target = o.target.as_deref().unwrap_or_default().join(",");
            format!("--csv {} --target {target}", csv.display())
        }
        None => {
            let dataset = o.dataset.unwrap_or(DatasetName::StudySleep);
            let mut flags = format!("--dataset {}", dataset.name());
            for (flag, value) in [
                ("samples", o.samples.map(|n| n.to_string())),
                ("noise", o.noise.map(|v| v.to_string())),
                ("classes", o.classes.map(|k| k.to_string())),
            ] {
                if let Some(value) = value {
                    flags += &format!(" --{flag} {value}");
                }
            }
            flags + &format!(" --data-seed {}", o.data_seed.unwrap_or(seed))
        }
    };
    let scale = o.scale.unwrap_or(dataset::default_scale(o));
    flags += &format!(" --scale {}", typed_name(&scale));
    BTreeMap::from([
        ("data".to_string(), data.name.clone()),
        ("data_flags".to_string(), flags),
    ])
}

/// The names of a model's input and output columns.
#[derive(Debug, Clone, PartialEq)]
pub struct Columns {
    pub features: Vec<String>,
    pub targets: Vec<String>,
}

/// The columns `info`'s notes name for `net`, or x1, x2, … and y1, y2, …
/// for a model saved without them.
pub fn columns(net: &Network, info: &ModelInfo) -> Result<Columns> {
    let columns = match [FEATURES, TARGETS].map(|key| info.extra.get(key)) {
        [None, None] => Columns {
            features: (1..=net.inputs()).map(|i| format!("x{i}")).collect(),
            targets: (1..=net.outputs()).map(|i| format!("y{i}")).collect(),
        },
        [features, targets] => Columns {
            features: note(FEATURES, features)?,
            targets: note(TARGETS, targets)?,
        },
    };
    let n = net.inputs();
    if columns.features.len() != n {
        bail!(
            "its note `{FEATURES}` names {} but the network takes {n}; {AGAIN}",
            nn::error::count(columns.features.len(), "input column", "input columns"),
        );
    }
    Ok(columns)
}

const AGAIN: &str = "save the model again with `nn train --save FILE`";

/// One note, parsed; `None` when the file has one of the column notes but
/// not this one.
fn note(key: &str, value: Option<&String>) -> Result<Vec<String>> {
    let value = value.with_context(|| format!("its metadata has no `{key}`; {AGAIN}"))?;
    serde_json::from_str(value).with_context(|| format!("its note `{key}` is damaged; {AGAIN}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use nn::activation::Activation;

    fn net() -> Network {
        Network::builder(2)
            .dense(3, Activation::Tanh)
            .dense(1, Activation::Sigmoid)
            .build()
            .unwrap()
    }

    #[test]
    fn a_model_without_notes_has_numbered_columns() {
        let c = columns(&net(), &ModelInfo::default()).unwrap();
        assert_eq!(
            (c.features, c.targets),
            (vec!["x1".into(), "x2".into()], vec!["y1".into()])
        );
    }

    #[test]
    fn missing_or_damaged_notes_are_named() {
        let mut info = ModelInfo::default();
        info.extra.insert(FEATURES.into(), r#"["a","b"]"#.into());
        let err = format!("{:#}", columns(&net(), &info).unwrap_err());
        assert!(err.contains("no `cli.targets`"), "{err}");

        info.extra.insert(TARGETS.into(), "[not json".into());
        let err = format!("{:#}", columns(&net(), &info).unwrap_err());
        assert!(err.contains("note `cli.targets` is damaged"), "{err}");

        info.extra.insert(TARGETS.into(), r#"["y"]"#.into());
        info.extra.insert(FEATURES.into(), r#"["a"]"#.into());
        let err = format!("{:#}", columns(&net(), &info).unwrap_err());
        assert!(
            err.contains("names 1 input column but the network takes 2"),
            "{err}"
        );
    }
}
