//! The JSON record of a training run: its settings, every epoch's figures
//! and the final result, for `nn compare` and for reading by eye.
//!
//! A record holds nothing that changes from one run to the next (no clock,
//! no time taken), so the same settings and seed write the same bytes.
//!
//! `nn::io::RunRecord` (not yet on main) will hold the training half of
//! this; the CLI's record adds the data, the network and its own settings,
//! which `nn compare` prints.

use std::io;
use std::path::Path;

use anyhow::{Context, Result};
use nn::train::EpochStats;
use serde::{Deserialize, Serialize};

use crate::settings::Settings;

/// What tells a run record apart from other JSON.
pub const FORMAT: &str = "nn run record";

/// A training run, as saved by `nn train --record FILE`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunRecord {
    /// Always [`FORMAT`].
    pub format: String,
    /// The version of this layout.
    pub version: u32,
    /// `moons: 200 rows, 2 inputs → label (2 classes)`.
    pub data: String,
    /// `2 → 8 (tanh) → 1 (sigmoid), 33 parameters`.
    pub network: String,
    pub settings: Settings,
    /// The last epoch's figures.
    pub result: Summary,
    /// Every epoch's figures, one list per measure.
    pub history: Curves,
}

/// One epoch's figures, or the last one's.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    pub epochs: usize,
    pub loss: f64,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub accuracy: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub val_loss: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub val_accuracy: Option<f64>,
}

/// Per-epoch measures, index 0 for epoch 1. Lists that do not apply
/// (accuracy for regression, validation without a split) are left out.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Curves {
    pub loss: Vec<f64>,
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub accuracy: Vec<f64>,
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub val_loss: Vec<f64>,
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub val_accuracy: Vec<f64>,
}

impl Curves {
    pub fn push(&mut self, e: &EpochStats) {
        self.loss.push(e.loss);
        self.accuracy.extend(e.accuracy);
        self.val_loss.extend(e.val_loss);
        self.val_accuracy.extend(e.val_accuracy);
    }
}

impl Summary {
    pub fn of(e: &EpochStats) -> Summary {
        Summary {
            epochs: e.epoch,
            loss: e.loss,
            accuracy: e.accuracy,
            val_loss: e.val_loss,
            val_accuracy: e.val_accuracy,
        }
    }
}

impl RunRecord {
    /// The record as JSON: indented, but each list of numbers on one line.
    pub fn to_json(&self) -> Vec<u8> {
        let mut out = Vec::new();
        let mut ser = serde_json::Serializer::with_formatter(&mut out, ListsInline::default());
        self.serialize(&mut ser)
            .expect("a record of numbers and strings always serializes");
        out.push(b'\n');
        out
    }

    /// Reads a record, saying which file is not one and why.
    pub fn read(path: &Path) -> Result<RunRecord> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("{}: cannot read the file", path.display()))?;
        let value: serde_json::Value = serde_json::from_str(&text)
            .map_err(|e| anyhow::anyhow!("{}: not valid JSON: {e}", path.display()))?;
        if value.get("format").and_then(|f| f.as_str()) != Some(FORMAT) {
            anyhow::bail!(
                "{}: not an nn run record (write one with `nn train --record FILE`)",
                path.display()
            );
        }
        serde_json::from_value(value)
            .map_err(|e| anyhow::anyhow!("{}: a damaged run record: {e}", path.display()))
    }
}

/// serde_json's pretty layout, except that arrays stay on one line: a
/// 10 000-epoch loss curve is one long line, not 10 000 short ones.
#[derive(Default)]
struct ListsInline {
    indent: usize,
    /// For each open array or object: whether it is an array.
    open: Vec<bool>,
    has_value: bool,
}

impl ListsInline {
    fn in_array(&self) -> bool {
        self.open.last() == Some(&true)
    }

    fn newline<W: ?Sized + io::Write>(&self, w: &mut W) -> io::Result<()> {
        w.write_all(b"\n")?;
        for _ in 0..self.indent {
            w.write_all(b"  ")?;
        }
        Ok(())
    }
}

impl serde_json::ser::Formatter for ListsInline {
    fn begin_array<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.open.push(true);
        w.write_all(b"[")
    }

    fn end_array<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.open.pop();
        w.write_all(b"]")
    }

    fn begin_array_value<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> io::Result<()> {
        if first {
            Ok(())
        } else {
            w.write_all(b", ")
        }
    }

    fn end_array_value<W: ?Sized + io::Write>(&mut self, _w: &mut W) -> io::Result<()> {
        Ok(())
    }

    fn begin_object<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.open.push(false);
        self.indent += 1;
        self.has_value = false;
        w.write_all(b"{")
    }

    fn end_object<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.open.pop();
        self.indent -= 1;
        if self.has_value {
            self.newline(w)?;
        }
        self.has_value = true;
        w.write_all(b"}")
    }

    fn begin_object_key<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> io::Result<()> {
        if !first {
            w.write_all(b",")?;
        }
        if self.in_array() {
            return Ok(());
        }
        self.newline(w)
    }

    fn begin_object_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        w.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + io::Write>(&mut self, _w: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn objects_are_indented_and_lists_inline() {
        let v = serde_json::json!({"a": 1, "b": {"c": [1.5, 2.0]}, "d": []});
        let mut out = Vec::new();
        let mut ser = serde_json::Serializer::with_formatter(&mut out, ListsInline::default());
        v.serialize(&mut ser).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "{\n  \"a\": 1,\n  \"b\": {\n    \"c\": [1.5, 2.0]\n  },\n  \"d\": []\n}"
        );
    }
}
