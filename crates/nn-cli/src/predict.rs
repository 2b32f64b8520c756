//! `nn predict`: a saved model's predictions for rows typed on the command
//! line or read from a CSV file, printed as CSV.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{anyhow, bail, Context, Result};
use clap::{ArgGroup, Args};
use nn::data::{predicted_classes, read_csv_matrix};
use nn::error::count;
use nn::loss::Loss;
use nn::ndarray::{Array2, Axis};
use nn::network::Network;

use crate::notes::{self, Columns};

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
    // The library's messages already name the file.
    let (net, info) = Network::load(&args.model)?;
    let columns =
        notes::columns(&net, &info).map_err(|e| anyhow!("{}: {e:#}", args.model.display()))?;
    // Without a run description the outputs are read as numbers.
    let loss = info.run.as_ref().map_or(Loss::Mse, |r| r.training.loss);
    let x = match &args.csv {
        Some(path) => csv_rows(path, &columns)?,
        None => typed_rows(&args.input, &columns)?,
    };
    let scaled = match &info.scaler {
        Some(scaler) => scaler.transform(&x)?,
        None => x.clone(),
    };
    let y = net.predict(&scaled)?;
    // The classes as accuracy counts them: the first of tied maxima wins.
    let classes = names_a_class(loss, y.ncols()).then(|| predicted_classes(&y));

    let mut header = columns.features.clone();
    header.extend(output_columns(loss, &columns, y.ncols()));
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
fn typed_rows(rows: &[String], columns: &Columns) -> Result<Array2<f64>> {
    let n = columns.features.len();
    let mut values = Vec::with_capacity(rows.len() * n);
    for row in rows {
        let fields: Vec<&str> = row.split(',').map(str::trim).collect();
        if fields.len() != n {
            bail!(
                "--input {row}: the model takes {} ({}), got {}",
                count(n, "value", "values"),
                columns.features.join(", "),
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
fn csv_rows(path: &Path, model: &Columns) -> Result<Array2<f64>> {
    let (columns, values) = read_csv_matrix(path)?;
    let at = model
        .features
        .iter()
        .map(|name| {
            columns.iter().position(|c| c == name).with_context(|| {
                format!(
                    "{}: no column named '{name}', one of the model's inputs ({}); the columns are: {}",
                    path.display(),
                    model.features.join(", "),
                    columns.join(", ")
                )
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(values.select(Axis(1), &at))
}

/// The names of the prediction columns.
fn output_columns(loss: Loss, columns: &Columns, outputs: usize) -> Vec<String> {
    match loss {
        Loss::Mse | Loss::Mae => columns.targets.clone(),
        Loss::BinaryCrossEntropy => {
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
        Loss::CategoricalCrossEntropy | Loss::SparseCategoricalCrossEntropy => {
            let mut cols: Vec<String> = (0..outputs).map(|k| format!("p{k}")).collect();
            cols.push("class".into());
            cols
        }
    }
}

/// Whether a prediction names one class: one sigmoid output (ŷ ≥ 0.5 is
/// class 1) or a softmax over the classes, but not regression or several
/// independent yes/no outputs.
fn names_a_class(loss: Loss, outputs: usize) -> bool {
    match loss {
        Loss::Mse | Loss::Mae => false,
        Loss::BinaryCrossEntropy => outputs == 1,
        Loss::CategoricalCrossEntropy | Loss::SparseCategoricalCrossEntropy => true,
    }
}
