//! The record of a training run, for `nn compare` and for reading by eye:
//! the library's run record, and beside it what only this command knows.
//!
//! `nn train --record run.json` writes two files:
//!
//! | file | holds | read by |
//! | --- | --- | --- |
//! | `run.json` | the library's [`nn::io::RunRecord`]: hyperparameters, seed, crate version, every epoch's figures, the final loss | `nn compare`, `nn::io::RunRecord::load` |
//! | `run.cli.json` | [`Notes`]: the data, the network and the settings as this command resolved them | `nn compare` |
//!
//! The library's record refuses fields it does not know, so the command's
//! facts cannot go inside it; they sit beside it instead, in a file named
//! after it ([`notes_path`]). `nn compare` reads a record without its notes
//! too (one written by library code, say) and shows `-` where they would be.
//!
//! Neither file holds anything that changes from one run to the next (no
//! clock, no time taken), so the same settings and seed write the same bytes.

use std::path::{Path, PathBuf};

use anyhow::{anyhow, bail, Context, Result};
use nn::io::RunRecord;
use serde::{Deserialize, Serialize};

use crate::settings::Settings;

/// What tells the command's notes apart from other JSON.
pub const FORMAT: &str = "nn train notes";

/// The version of the notes' layout.
const VERSION: u32 = 2;

/// What `nn train` knows about a run besides the library's record of it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Notes {
    /// Always [`FORMAT`].
    pub format: String,
    /// The version of this layout.
    pub version: u32,
    /// `moons: 200 rows, 2 inputs → label (2 classes)`.
    pub data: String,
    /// `2 → 8 (tanh) → 1 (sigmoid), 33 parameters`.
    pub network: String,
    /// Every setting, as the command resolved its flags and defaults.
    pub settings: Settings,
}

impl Notes {
    /// The notes of a run on `data` with `network` and `settings`.
    pub fn new(data: String, network: String, settings: Settings) -> Notes {
        Notes {
            format: FORMAT.into(),
            version: VERSION,
            data,
            network,
            settings,
        }
    }
}

/// A run as `nn compare` reads it: the library's record, and the command's
/// notes when they are there.
#[derive(Debug, Clone, PartialEq)]
pub struct Run {
    pub record: RunRecord,
    pub notes: Option<Notes>,
}

/// Where the notes of the record at `record` go: `run.json` → `run.cli.json`.
pub fn notes_path(record: &Path) -> PathBuf {
    record.with_extension("cli.json")
}

/// The record's bytes, as the library writes them.
pub fn record_json(record: &RunRecord) -> Result<Vec<u8>> {
    let mut json = record.to_json()?;
    json.push('\n');
    Ok(json.into_bytes())
}

/// The notes' bytes.
pub fn notes_json(notes: &Notes) -> Vec<u8> {
    let mut json =
        serde_json::to_vec_pretty(notes).expect("notes of numbers and strings always serialize");
    json.push(b'\n');
    json
}

impl Run {
    /// Reads the record at `path` and its notes if they exist, saying which
    /// file is wrong and why.
    pub fn read(path: &Path) -> Result<Run> {
        let record: RunRecord = read_json(
            path,
            |_| Ok(()),
            "not an nn run record",
            "write one with `nn train --record FILE`",
        )?;
        let notes_at = notes_path(path);
        if !notes_at.exists() {
            return Ok(Run {
                record,
                notes: None,
            });
        }
        let is_notes = |value: &serde_json::Value| {
            if value.get("format").and_then(|f| f.as_str()) != Some(FORMAT) {
                bail!("not the notes of an nn run record; {AGAIN}");
            }
            Ok(())
        };
        let notes: Notes = read_json(&notes_at, is_notes, "damaged notes", AGAIN)?;
        // Notes left behind by another run must not relabel this one.
        let (s, h) = (&notes.settings, &record.hyperparameters);
        if h.seed != Some(s.seed) || record.epochs.len() != s.epochs {
            bail!(
                "{}: these notes belong to another run than {} (seed or epochs differ); {AGAIN}",
                notes_at.display(),
                path.display()
            );
        }
        Ok(Run {
            record,
            notes: Some(notes),
        })
    }
}

/// How to mend a run's notes.
const AGAIN: &str = "remove them, or record the run again with `nn train --record FILE --force`";

/// Reads `path` as JSON, lets `check` look at it, then reads it as a `T`;
/// if it is not one, the error says `refused` and how to `fix` it.
fn read_json<T: serde::de::DeserializeOwned>(
    path: &Path,
    check: impl Fn(&serde_json::Value) -> Result<()>,
    refused: &str,
    fix: &str,
) -> Result<T> {
    let shown = path.display();
    let text =
        std::fs::read_to_string(path).with_context(|| format!("{shown}: cannot read the file"))?;
    let value: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| anyhow!("{shown}: not valid JSON: {e}"))?;
    check(&value).map_err(|e| anyhow!("{shown}: {e}"))?;
    serde_json::from_value(value).map_err(|e| anyhow!("{shown}: {refused} ({e}); {fix}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notes_sit_beside_their_record() {
        assert_eq!(
            notes_path(Path::new("out/run.json")),
            Path::new("out/run.cli.json")
        );
        assert_eq!(notes_path(Path::new("run")), Path::new("run.cli.json"));
    }
}
