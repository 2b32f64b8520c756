//! `nn predict`: a saved model's predictions for rows typed on the command
//! line or read from a CSV file, printed as CSV.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use clap::{ArgGroup, Args};
use nn::data::{predicted_classes, read_csv_matrix};
use nn::ndarray::{Array2, Axis};

use crate::config::LossName;
use crate::model_file::{self, ModelInfo};

const EXAMPLES: &str = "\
Examples:
  nn train --save model.safetensors
  nn predict model.safetensors --input 0.5,0.25
  nn predict model.safetensors --input 1,1 --input 0.25,0.625
  nn predict model.safetensors --csv new-rows.csv > predictions.csv
  nn predict model.safetensors --input 0.5,0.25 --exact    every digit

Inputs are given in the units of the training data: the model scales them
as the training rows were scaled. A CSV file's columns are matched to the
model's inputs by name; other columns are ignored.";

/// Print a saved model's predictions
///
/// The output is CSV: the inputs, then the prediction (for a classifier, each
/// class's probability and the most likely class).
#[derive(Debug, Args)]
#[command(after_help = EXAMPLES)]
#[command(group(ArgGroup::new("rows").required(true).args(["input", "csv"])))]
pub struct PredictArgs {
    /// A model file: saved by `nn train --save FILE`, or by the library (`Network::save`)
    pub model: PathBuf,

    /// One row of input values, comma-separated; repeat for more rows
    #[arg(long, value_name = "X,X,…", allow_hyphen_values = true)]
    pub input: Vec<String>,

    /// Predict every row of this CSV file
    #[arg(long, value_name = "FILE")]
    pub csv: Option<PathBuf>,

    /// Print every digit of each prediction (the shortest text that reads
    /// back as the same f64) instead of six decimals
    #[arg(long)]
    pub exact: bool,
}

pub fn run(args: PredictArgs, out: &mut impl Write) -> Result<()> {
    let (net, info) = model_file::load(&args.model)?;
    let x = match &args.csv {
        Some(path) => csv_rows(path, &info)?,
        None => typed_rows(&args.input, &info)?,
    };
    let y = net.predict(&info.scaler.apply(&x))?;
    // The classes as accuracy counts them: the first of tied maxima wins.
    let classes = names_a_class(info.loss, y.ncols()).then(|| predicted_classes(&y));

    let mut header = info.features.clone();
    header.extend(output_columns(&info, y.ncols()));
    writeln!(out, "{}", header.join(","))?;
    for (row, (inputs, outputs)) in x.rows().into_iter().zip(y.rows()).enumerate() {
        let mut cells: Vec<String> = inputs.iter().map(|v| v.to_string()).collect();
        cells.extend(outputs.iter().map(|v| {
            if args.exact {
                v.to_string()
            } else {
                format!("{v:.6}")
            }
        }));
        if let Some(classes) = &classes {
            cells.push(classes[row].to_string());
        }
        writeln!(out, "{}", cells.join(","))?;
    }
    Ok(())
}

/// The `--input` rows as a matrix, each checked against the model's inputs.
fn typed_rows(rows: &[String], info: &ModelInfo) -> Result<Array2<f64>> {
    let n = info.features.len();
    let mut values = Vec::with_capacity(rows.len() * n);
    for row in rows {
        let fields: Vec<&str> = row.split(',').map(str::trim).collect();
        if fields.len() != n {
            bail!(
                "--input {row}: the model takes {n} value{} ({}), got {}",
                if n == 1 { "" } else { "s" },
                info.features.join(", "),
                fields.len()
            );
        }
        for f in fields {
            match f.parse::<f64>() {
                Ok(v) if v.is_finite() => values.push(v),
                _ => bail!("--input {row}: \"{f}\" is not a number"),
            }
        }
    }
    Ok(Array2::from_shape_vec((rows.len(), n), values)?)
}

/// The model's input columns of a CSV file, found by name.
fn csv_rows(path: &Path, info: &ModelInfo) -> Result<Array2<f64>> {
    let (columns, values) = read_csv_matrix(path)?;
    let at = info
        .features
        .iter()
        .map(|name| {
            columns.iter().position(|c| c == name).with_context(|| {
                format!(
                    "{}: no column named '{name}', one of the model's inputs ({}); the columns are: {}",
                    path.display(),
                    info.features.join(", "),
                    columns.join(", ")
                )
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(values.select(Axis(1), &at))
}

/// The names of the prediction columns.
fn output_columns(info: &ModelInfo, outputs: usize) -> Vec<String> {
    match info.loss {
        LossName::Mse | LossName::Mae => info.targets.clone(),
        LossName::BinaryCrossEntropy => {
            let mut cols: Vec<String> = if outputs == 1 {
                vec!["probability".into()]
            } else {
                (0..outputs).map(|k| format!("p{k}")).collect()
            };
            if outputs == 1 {
                cols.push("class".into());
            }
            cols
        }
        LossName::CategoricalCrossEntropy | LossName::SparseCategoricalCrossEntropy => {
            let mut cols: Vec<String> = (0..outputs).map(|k| format!("p{k}")).collect();
            cols.push("class".into());
            cols
        }
    }
}

/// Whether a prediction names one class: one sigmoid output (ŷ ≥ 0.5 is
/// class 1) or a softmax over the classes, but not regression or several
/// independent yes/no outputs.
fn names_a_class(loss: LossName, outputs: usize) -> bool {
    match loss {
        LossName::Mse | LossName::Mae => false,
        LossName::BinaryCrossEntropy => outputs == 1,
        LossName::CategoricalCrossEntropy | LossName::SparseCategoricalCrossEntropy => true,
    }
}
