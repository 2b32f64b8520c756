//! Where the rows come from: a built-in dataset by name, or a CSV file.
//!
//! Each built-in dataset also says what kind of task it is and which
//! settings train it well, so that `nn train --dataset moons` works without
//! further flags; every one of those can be overridden.

use anyhow::{bail, Result};
use nn::data::Dataset;

use crate::config::{ActivationName, DatasetName, OptimizerName, RunOptions, ScaleName};
use crate::csv::Table;
use crate::scaler::Scaler;

/// What the targets are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Task {
    /// Numbers to predict.
    Regression,
    /// A 0/1 label.
    Binary,
    /// A label 0, 1, …, k − 1.
    Classes(usize),
}

/// Settings that train a dataset well, used where the user gives none.
#[derive(Debug, Clone, PartialEq)]
pub struct Defaults {
    pub hidden: Vec<usize>,
    pub activation: ActivationName,
    pub optimizer: OptimizerName,
    /// None: the optimizer's usual learning rate.
    pub learning_rate: Option<f64>,
    pub epochs: usize,
    /// The regression output layer's activation: sigmoid where the targets
    /// lie in [0, 1] like the original's, identity otherwise.
    pub regression_output: ActivationName,
}

/// Rows ready to train on, with what is known about them.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The dataset's name or the CSV file, for summaries.
    pub name: String,
    /// Inputs (already scaled) and targets.
    pub data: Dataset,
    pub task: Task,
    /// Names of the input columns, for the model file and `nn predict`.
    pub features: Vec<String>,
    /// Names of the target columns.
    pub targets: Vec<String>,
    /// How the inputs were scaled.
    pub scaler: Scaler,
    pub defaults: Defaults,
}

impl Loaded {
    /// `moons: 200 rows, 2 inputs → 1 target`.
    pub fn describe(&self) -> String {
        let classes = match self.task {
            Task::Regression => String::new(),
            Task::Binary => " (2 classes)".into(),
            Task::Classes(k) => format!(" ({k} classes)"),
        };
        format!(
            "{}: {} rows, {} input{} → {}{classes}",
            self.name,
            self.data.len(),
            self.features.len(),
            if self.features.len() == 1 { "" } else { "s" },
            self.targets.join(", ")
        )
    }

    /// How many classes the labels in the target column name: the largest
    /// label plus one. Used when a CSV is trained with a categorical loss.
    pub fn label_count(&self) -> usize {
        match self.task {
            Task::Binary => 2,
            Task::Classes(k) => k,
            Task::Regression => {
                let max = self.data.y.iter().fold(0.0f64, |m, &v| m.max(v));
                max.max(0.0) as usize + 1
            }
        }
    }
}

/// Loads the data that `options` name, scaled as they ask.
pub fn load(options: &RunOptions, seed: u64) -> Result<Loaded> {
    let mut loaded = match &options.csv {
        Some(path) => from_csv(path, options.target.as_deref())?,
        None => {
            if options.target.is_some() {
                bail!("--target names a column of a CSV file; give the file with --csv FILE");
            }
            built_in(
                options.dataset.unwrap_or(DatasetName::StudySleep),
                options,
                options.data_seed.unwrap_or(seed),
            )?
        }
    };
    let default_scale = if options.csv.is_some() {
        ScaleName::Standard
    } else {
        ScaleName::None
    };
    loaded.scaler = Scaler::fit(options.scale.unwrap_or(default_scale), &loaded.data.x);
    loaded.data.x = loaded.scaler.apply(&loaded.data.x);
    Ok(loaded)
}

/// A built-in dataset with its defaults.
fn built_in(name: DatasetName, o: &RunOptions, seed: u64) -> Result<Loaded> {
    use ActivationName::{Identity, Sigmoid, Tanh};
    use OptimizerName::{Adam, Gd};
    let defaults = |hidden: &[usize], activation, optimizer, learning_rate, epochs| Defaults {
        hidden: hidden.to_vec(),
        activation,
        optimizer,
        learning_rate,
        epochs,
        regression_output: Identity,
    };
    let samples = o.samples.unwrap_or(200);
    let (data, task, defaults) = match name {
        // The original's 2-3-1 sigmoid network; η = 1.5 on the MSE is the
        // original's step of 1 on ½ Σ (y − ŷ)² over three rows.
        DatasetName::StudySleep => (
            nn::data::study_sleep(),
            Task::Regression,
            Defaults {
                regression_output: Sigmoid,
                ..defaults(&[3], Sigmoid, Gd, Some(1.5), 10_000)
            },
        ),
        other => {
            let _ = (samples, seed);
            bail!(
                "the dataset {} is not available in this build yet; use study-sleep or --csv FILE",
                other.name()
            )
        }
    };
    let _ = Adam;
    let _ = Tanh;
    let features = (1..=data.x.ncols()).map(|i| format!("x{i}")).collect();
    let features = if name == DatasetName::StudySleep {
        vec!["study".into(), "sleep".into()]
    } else {
        features
    };
    let targets = if name == DatasetName::StudySleep {
        vec!["score".into()]
    } else {
        vec!["label".into()]
    };
    Ok(Loaded {
        name: name.name(),
        scaler: Scaler::fit(ScaleName::None, &data.x),
        data,
        task,
        features,
        targets,
        defaults,
    })
}

/// A CSV file: the `targets` columns (default: the last one) are the
/// targets, every other column is an input.
fn from_csv(path: &std::path::Path, targets: Option<&[String]>) -> Result<Loaded> {
    let table = Table::read(path)?;
    let targets = match targets {
        Some(t) if !t.is_empty() => t.to_vec(),
        _ => bail!(
            "{}: name the column(s) to predict with --target COL; the columns are {}",
            table.path,
            table.columns.join(", ")
        ),
    };
    for t in &targets {
        table.column(t)?;
    }
    let features: Vec<String> = table
        .columns
        .iter()
        .filter(|c| !targets.contains(c))
        .cloned()
        .collect();
    if features.is_empty() {
        bail!(
            "{}: every column is a target, so nothing is left to learn from",
            table.path
        );
    }
    let x = table.numbers(&features)?;
    let y = table.numbers(&targets)?;
    let data = Dataset::new(x, y).map_err(|e| anyhow::anyhow!("{}: {e}", table.path))?;
    Ok(Loaded {
        name: table.path.clone(),
        scaler: Scaler::fit(ScaleName::None, &data.x),
        data,
        task: Task::Regression,
        features,
        targets,
        defaults: Defaults {
            hidden: vec![8],
            activation: ActivationName::Tanh,
            optimizer: OptimizerName::Adam,
            learning_rate: None,
            epochs: 1000,
            regression_output: ActivationName::Identity,
        },
    })
}
