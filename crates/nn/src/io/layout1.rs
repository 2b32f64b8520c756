//! Model files of layout 1, as this crate and the `nn` command wrote them
//! before the run was one [`RunConfig`]: they still load, and nothing in
//! them is lost.
//!
//! Layout 1 kept each fact of the run in a key of its own (`run.seed`,
//! `run.loss`, `run.batch_size`, `run.epochs`, `optimizer.name` and its
//! hyperparameters), and the `nn` command kept the input scaling in a note,
//! `cli.scaler`. Reading one gives the [`ModelInfo`] of today:
//!
//! - the run facts, if there are any, become [`ModelInfo::run`]: the
//!   architecture from the file, `run.seed` as the seed of the weights and
//!   of the training, `run.batch_size` as `BatchSize::Rows`, `run.epochs` as
//!   the epochs; what layout 1 did not record (the initializer, shuffling,
//!   validation split, early stopping) is [`RunConfig::default`]'s. A
//!   network with a bias in some layers only (written by hand, or from
//!   Python) has no `RunConfig`: its run facts stay notes, each under its
//!   old key with `layout1.` before it (`layout1.run.loss`);
//! - `cli.scaler` becomes [`ModelInfo::scaler`], scaling exactly as before;
//! - every other note stays in [`ModelInfo::extra`].

use std::collections::BTreeMap;

use ndarray::Array1;

use super::info::{
    notes, number, read_state, refuse_unknown, shown, ModelInfo, ACTIVATIONS, BIAS, EPOCHS, FORMAT,
    SIZES, STATE_EPOCHS, STATE_KIND, STEPS,
};
use crate::data::{MinMax, Scaler, Standard};
use crate::loss::Loss;
use crate::network::NetworkConfig;
use crate::optimizer::Optimizer;
use crate::run::RunConfig;
use crate::train::{BatchSize, TrainConfig};

const SEED: &str = "run.seed";
const LOSS: &str = "run.loss";
const BATCH_SIZE: &str = "run.batch_size";
const OPTIMIZER: &str = "optimizer.name";
const LEARNING_RATE: &str = "optimizer.learning_rate";
const MOMENTUM: &str = "optimizer.momentum";
const BETA1: &str = "optimizer.beta1";
const BETA2: &str = "optimizer.beta2";
const EPSILON: &str = "optimizer.epsilon";
/// The `nn` command's note: `{"kind": "max"|"minmax"|"standard"|"none",
/// "shift": [..], "scale": [..]}`, each input scaled as (x − shift) / scale.
const CLI_SCALER: &str = "cli.scaler";

/// The keys of the run's facts (besides `run.epochs`, which stays a fact).
const RUN_FACTS: [&str; 9] = [
    SEED,
    LOSS,
    BATCH_SIZE,
    OPTIMIZER,
    LEARNING_RATE,
    MOMENTUM,
    BETA1,
    BETA2,
    EPSILON,
];

/// The other keys layout 1 wrote: with [`RUN_FACTS`], every one it knew.
const OTHER_KEYS: [&str; 8] = [
    FORMAT,
    SIZES,
    ACTIVATIONS,
    BIAS,
    EPOCHS,
    STEPS,
    STATE_EPOCHS,
    STATE_KIND,
];

/// Reads the metadata of a layout-1 file whose architecture is `network`
/// (its inputs, layers and bias; the rest default), `None` where no
/// `NetworkConfig` describes it.
pub(crate) fn read(
    meta: &BTreeMap<String, String>,
    network: Option<NetworkConfig>,
) -> std::result::Result<(ModelInfo, u64), String> {
    refuse_unknown(meta, &[&OTHER_KEYS[..], &RUN_FACTS[..]].concat())?;
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
    let seed = number::<u64>(meta, SEED)?;
    let optimizer = read_optimizer(meta)?;
    let epochs = number::<usize>(meta, EPOCHS)?;
    let facts = seed.is_some() || loss.is_some() || batch_size.is_some() || optimizer.is_some();
    let mut extra = notes(meta);
    let run = match network {
        Some(network) if facts => {
            let (defaults, seed_or) = (TrainConfig::default(), |d| seed.unwrap_or(d));
            Some(RunConfig {
                training: TrainConfig {
                    loss: loss.unwrap_or(defaults.loss),
                    optimizer: optimizer.unwrap_or(defaults.optimizer),
                    // Epochs trained; none yet would be no run to repeat.
                    epochs: epochs.filter(|&e| e > 0).unwrap_or(defaults.epochs),
                    batch_size: batch_size.map_or(BatchSize::Full, BatchSize::Rows),
                    seed: seed_or(defaults.seed),
                    ..defaults
                },
                network: NetworkConfig {
                    seed: seed_or(network.seed),
                    ..network
                },
            })
        }
        _ => {
            for key in RUN_FACTS {
                if let Some(value) = meta.get(key) {
                    extra.insert(format!("layout1.{key}"), value.clone());
                }
            }
            None
        }
    };
    let (state, steps) = read_state(meta)?;
    let scaler = match extra.remove(CLI_SCALER) {
        None => None,
        Some(note) => cli_scaler(&note)?,
    };
    let info = ModelInfo {
        run,
        epochs,
        scaler,
        state,
        extra,
    };
    Ok((info, steps))
}

/// The optimizer named by `optimizer.name`, with exactly its hyperparameters.
fn read_optimizer(
    meta: &BTreeMap<String, String>,
) -> std::result::Result<Option<Optimizer>, String> {
    let hyper = [LEARNING_RATE, MOMENTUM, BETA1, BETA2, EPSILON];
    let Some(name) = meta.get(OPTIMIZER) else {
        return match hyper.iter().find(|k| meta.contains_key(**k)) {
            Some(key) => Err(format!(
                "metadata has {key} but no {OPTIMIZER}; add the optimizer's name (gd, sgd, \
                 momentum or adam) or remove its hyperparameters"
            )),
            None => Ok(None),
        };
    };
    let (optimizer, wanted): (Optimizer, &[&str]) = match name.as_str() {
        "gd" | "sgd" => (
            Optimizer::from_name(name, float(meta, LEARNING_RATE, name)?)
                .expect("gd and sgd are optimizers"),
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
                "metadata {OPTIMIZER} = {} is not an optimizer this crate knows (gd, sgd, \
                 momentum, adam); change it to one of those",
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

/// The `nn` command's note `cli.scaler`, as the library's scaler that
/// computes the very same numbers; `None` for kind `none`.
fn cli_scaler(note: &str) -> std::result::Result<Option<Scaler>, String> {
    #[derive(serde::Deserialize)]
    struct Note {
        kind: String,
        shift: Vec<f64>,
        scale: Vec<f64>,
    }
    let damaged = |why: String| {
        format!(
            "the note {CLI_SCALER} (the input scaling the nn command saved) is damaged: {why}; \
             save the model again with `nn train --save FILE`"
        )
    };
    let note: Note = serde_json::from_str(note).map_err(|e| damaged(e.to_string()))?;
    if note.shift.len() != note.scale.len() {
        return Err(damaged(format!(
            "{} shifts for {} scales",
            note.shift.len(),
            note.scale.len()
        )));
    }
    if note.scale.contains(&0.0) {
        return Err(damaged("it holds a scale of 0".into()));
    }
    let (shift, scale) = (Array1::from(note.shift), Array1::from(note.scale));
    let scaler: Scaler = match note.kind.as_str() {
        "none" => return Ok(None),
        // x / max: the minimum is 0 and the range is the maximum.
        "max" => MinMax::from_bounds(shift, scale).map(Scaler::from),
        "minmax" => {
            let max = shift
                .iter()
                .zip(&scale)
                .map(|(&min, &range)| max_for(min, range))
                .collect();
            MinMax::from_bounds(shift, max).map(Scaler::from)
        }
        // The note's scale is the deviation, with 1 for a constant column;
        // the library divides such a column by 1 too.
        "standard" => Standard::from_moments(shift, scale).map(Scaler::from),
        other => {
            return Err(damaged(format!(
                "{} is not a kind of scaling",
                shown(other)
            )))
        }
    }
    .map_err(|e| damaged(e.to_string()))?;
    Ok(Some(scaler))
}

/// A maximum for which [`MinMax`]'s range, `max − min` (1 where that is 0),
/// is exactly `range`: the note kept the range, not the maximum, and
/// `min + range` may round to a maximum whose range is one bit off. The
/// maximum the note was made from has exactly this range, so stepping one
/// float at a time from `min + range` finds one at once or within a few steps.
fn max_for(min: f64, range: f64) -> f64 {
    let range_of = |max: f64| {
        let r = max - min;
        if r == 0.0 {
            1.0
        } else {
            r
        }
    };
    if range == 1.0 {
        return min; // a constant column: range 0, taken as 1
    }
    let mut max = min + range;
    for _ in 0..64 {
        let r = range_of(max);
        if r == range || !max.is_finite() {
            break;
        }
        max = next_float(max, r < range);
    }
    max
}

/// The next float above (`up`) or below `x`, for finite `x`.
fn next_float(x: f64, up: bool) -> f64 {
    if x == 0.0 {
        let tiny = f64::from_bits(1);
        return if up { tiny } else { -tiny };
    }
    // Away from zero the bit pattern grows, toward zero it shrinks.
    let bits = x.to_bits();
    f64::from_bits(if (x > 0.0) == up { bits + 1 } else { bits - 1 })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_maximum_is_found_for_every_range_a_note_can_hold() {
        // A note's range is max − min for some maximum: that range again.
        let pairs = [
            (-0.2, 0.7),
            (0.1, 0.8),
            (0.1, 0.7),
            (-1e10, 1.0),
            (3.0, 3.0),
            (1e-300, 5e-300),
            (-7.77, -3.3),
        ];
        for (min, max) in pairs {
            let range = if max == min { 1.0 } else { max - min };
            let found = max_for(min, range);
            let got = if found == min { 1.0 } else { found - min };
            assert_eq!(
                got.to_bits(),
                range.to_bits(),
                "min {min}, max {max}: {found}"
            );
        }
        assert_eq!(next_float(1.0, true), 1.0 + f64::EPSILON);
        assert_eq!(next_float(-1.0, true), -1.0 + f64::EPSILON / 2.0);
        assert_eq!(next_float(0.0, false), -f64::from_bits(1));
    }

    #[test]
    fn the_cli_scaler_scales_as_it_did() {
        let x = ndarray::array![[8.0, 8.0], [2.0, 5.0]];
        let scaled = |note: &str| {
            cli_scaler(note)
                .unwrap()
                .map_or(x.clone(), |s| s.transform(&x).unwrap())
        };
        let by_hand = |shift: [f64; 2], scale: [f64; 2]| {
            let mut y = x.clone();
            for mut row in y.rows_mut() {
                for j in 0..2 {
                    row[j] = (row[j] - shift[j]) / scale[j];
                }
            }
            y
        };
        for (kind, shift, scale) in [
            ("max", [0.0, 0.0], [9.0, 1.0]),
            ("minmax", [0.3, -0.2], [1.1 - 0.3, 1.0]),
            (
                "standard",
                [5.666666666666667, 6.3],
                [2.6246692913372702, 1.0],
            ),
            ("none", [0.0, 0.0], [1.0, 1.0]),
        ] {
            let note = format!(r#"{{"kind":"{kind}","shift":{shift:?},"scale":{scale:?}}}"#);
            let (got, want) = (scaled(&note), by_hand(shift, scale));
            let bits = |m: &ndarray::Array2<f64>| m.iter().map(|v| v.to_bits()).collect::<Vec<_>>();
            assert_eq!(bits(&got), bits(&want), "{kind}");
        }
        let err = cli_scaler(r#"{"kind":"max","shift":[0,0],"scale":[1,0]}"#).unwrap_err();
        assert!(err.contains("it holds a scale of 0"), "{err}");
        let err = cli_scaler("{broken").unwrap_err();
        assert!(
            err.contains("the note cli.scaler (the input scaling the nn command saved) is damaged"),
            "{err}"
        );
    }
}
