//! Where the rows come from: a built-in dataset by name (MNIST from the
//! folder `--data-dir` names), or a CSV file.
//!
//! Each built-in dataset also says what kind of task it is and which
//! settings train it well, so that `nn train --dataset moons` works without
//! further flags; every one of those can be overridden.

use std::path::Path;

use anyhow::{bail, Result};
use nn::activation::Activation;
use nn::data::{read_csv_matrix, Dataset, Scaler};
use nn::error::count;
use nn::loss::Loss;

use crate::config::{DatasetName, RunOptions, ScaleName};

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
    pub activation: Activation,
    /// One of `nn::optimizer::Optimizer::NAMES`.
    pub optimizer: &'static str,
    /// None: the optimizer's usual learning rate.
    pub learning_rate: Option<f64>,
    pub epochs: usize,
    /// None: every row in one batch (one row for sgd).
    pub batch_size: Option<usize>,
    /// None: no validation rows.
    pub validation_split: Option<f64>,
    /// The regression output layer's activation: sigmoid where the targets
    /// lie in [0, 1] like the original's, identity otherwise.
    pub regression_output: Activation,
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
    /// How the inputs were scaled, if they were.
    pub scaler: Option<Scaler>,
    pub defaults: Defaults,
}

impl Loaded {
    /// `moons: 200 rows, 2 inputs → label (2 classes)`.
    pub fn describe(&self) -> String {
        let classes = match self.task {
            Task::Regression => String::new(),
            Task::Binary => " (2 classes)".into(),
            Task::Classes(k) => format!(" ({})", count(k, "class", "classes")),
        };
        format!(
            "{}: {}, {} → {}{classes}",
            self.name,
            count(self.data.len(), "row", "rows"),
            count(self.features.len(), "input", "inputs"),
            self.targets.join(", ")
        )
    }

    /// Categorical cross-entropy compares against one-hot rows: a column of
    /// labels is turned into them, one column per output unit.
    pub fn prepare_targets(&mut self, loss: Loss, outputs: usize) -> nn::Result<()> {
        if loss == Loss::CategoricalCrossEntropy && self.data.y.ncols() == 1 {
            self.data.y = nn::data::one_hot(&self.data.y, outputs)?;
        }
        Ok(())
    }

    /// How many classes the target column's labels name, for a
    /// categorical loss: the dataset's classes, or for a CSV file the
    /// largest label plus one.
    pub fn label_count(&self) -> Result<usize> {
        match (self.task, self.data.classes()) {
            (Task::Binary, _) => Ok(2),
            (Task::Classes(k), _) => Ok(k),
            (Task::Regression, Some(k)) => Ok(k),
            (Task::Regression, None) => bail!(
                "{}: a categorical loss needs one target column of class labels 0, 1, 2, …; \
                 {} holds other numbers (use --loss mse to predict them as numbers)",
                self.name,
                self.targets.join(", ")
            ),
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
    let scale = options.scale.unwrap_or(default_scale(options));
    loaded.scaler = scale.fit(&loaded.data.x)?;
    if let Some(scaler) = &loaded.scaler {
        loaded.data.x = scaler.transform(&loaded.data.x)?;
    }
    Ok(loaded)
}

/// The scaling where none is asked for: standard for a CSV file, whose
/// columns come in any units; none for the built-in datasets, which are
/// already on a small scale.
pub fn default_scale(options: &RunOptions) -> ScaleName {
    if options.csv.is_some() {
        ScaleName::Standard
    } else {
        ScaleName::None
    }
}

/// A built-in dataset with its defaults.
fn built_in(name: DatasetName, o: &RunOptions, seed: u64) -> Result<Loaded> {
    use Activation::{Identity, Sigmoid, Tanh};
    let defaults = |hidden: &[usize], optimizer, learning_rate, epochs| Defaults {
        hidden: hidden.to_vec(),
        activation: Tanh,
        optimizer,
        learning_rate,
        epochs,
        batch_size: None,
        validation_split: None,
        regression_output: Identity,
    };
    // The images: ReLU units, Adam on mini-batches, a tenth of the rows
    // held out so that the summary shows how well unseen digits are read.
    let images = |hidden: usize, learning_rate, epochs, batch| Defaults {
        activation: Activation::Relu,
        batch_size: Some(batch),
        validation_split: Some(0.1),
        ..defaults(&[hidden], "adam", Some(learning_rate), epochs)
    };
    let samples = |default| o.samples.unwrap_or(default);
    let noise = |default| o.noise.unwrap_or(default);
    let classes = o.classes.unwrap_or(3);
    let (data, task, defaults) = match name {
        // The original's 2-3-1 sigmoid network; η = 1.5 on the MSE is the
        // original's step of 1 on ½ Σ (y − ŷ)² over three rows.
        DatasetName::StudySleep => (
            nn::data::study_sleep(),
            Task::Regression,
            Defaults {
                activation: Sigmoid,
                regression_output: Sigmoid,
                ..defaults(&[3], "gd", Some(1.5), 10_000)
            },
        ),
        DatasetName::Xor => (
            nn::data::xor(),
            Task::Binary,
            defaults(&[4], "adam", Some(0.05), 1000),
        ),
        DatasetName::Moons => (
            nn::data::moons(samples(200), noise(0.2), seed)?,
            Task::Binary,
            defaults(&[8, 8], "adam", None, 1000),
        ),
        DatasetName::Circles => (
            nn::data::circles(samples(200), noise(0.1), 0.5, seed)?,
            Task::Binary,
            defaults(&[8], "adam", None, 1000),
        ),
        DatasetName::Spirals => (
            nn::data::spirals(samples(100), classes, noise(0.2), seed)?,
            Task::Classes(classes),
            defaults(&[32, 32], "adam", None, 2000),
        ),
        DatasetName::Blobs => (
            nn::data::blobs(
                samples(300),
                &nn::data::circle_centers(classes, 3.0)?,
                noise(1.0),
                seed,
            )?,
            Task::Classes(classes),
            defaults(&[8], "adam", None, 500),
        ),
        // Notebook 9's network: 64 → 32 → 10, about 97 % of unseen digits right.
        DatasetName::Digits => (
            nn::data::digits(),
            Task::Classes(10),
            images(32, 0.01, 30, 32),
        ),
        DatasetName::Mnist => (
            mnist_training_rows(o.data_dir.as_deref())?,
            Task::Classes(10),
            images(128, 0.001, 10, 64),
        ),
    };
    let (features, targets) = match name {
        DatasetName::StudySleep => (vec!["study".into(), "sleep".into()], vec!["score".into()]),
        DatasetName::Digits | DatasetName::Mnist => {
            (pixel_names(data.x.ncols()), vec!["digit".into()])
        }
        _ => (vec!["x1".into(), "x2".into()], vec!["label".into()]),
    };
    Ok(Loaded {
        name: name.name(),
        scaler: None,
        data,
        task,
        features,
        targets,
        defaults,
    })
}

/// MNIST's 60 000 training images from the folder `--data-dir` names (its
/// 10 000 test images are left for a test of your own).
fn mnist_training_rows(dir: Option<&Path>) -> Result<Dataset> {
    let Some(dir) = dir else {
        bail!(
            "--dataset mnist needs --data-dir DIR: the folder you downloaded MNIST's four files \
             into (train-images-idx3-ubyte.gz, …; see docs/cli.md)"
        );
    };
    Ok(nn::data::mnist(dir)?.train)
}

/// `r0c0`, `r0c1`, …: the names of a square picture's pixels, row by row.
fn pixel_names(pixels: usize) -> Vec<String> {
    let side = (pixels as f64).sqrt().round() as usize;
    (0..pixels)
        .map(|i| format!("r{}c{}", i / side, i % side))
        .collect()
}

/// A CSV file: the `targets` columns are the targets, every other column
/// is an input. Its mistakes are reported by `nn::data`, as they are.
fn from_csv(path: &Path, targets: Option<&[String]>) -> Result<Loaded> {
    let Some(targets) = targets.filter(|t| !t.is_empty()) else {
        let (columns, _) = read_csv_matrix(path)?;
        bail!(
            "{}: name the column(s) to predict with --target COL; the columns are: {}",
            path.display(),
            columns.join(", ")
        );
    };
    let names: Vec<&str> = targets.iter().map(String::as_str).collect();
    let data = Dataset::from_csv(path, &names)?;
    // from_csv keeps the other columns in file order; their names are needed
    // for the model file, so the header is read again.
    let (columns, _) = read_csv_matrix(path)?;
    let features = columns
        .into_iter()
        .filter(|c| !targets.contains(c))
        .collect();
    Ok(Loaded {
        name: path.display().to_string(),
        scaler: None,
        data,
        task: Task::Regression,
        features,
        targets: targets.to_vec(),
        defaults: Defaults {
            hidden: vec![8],
            activation: Activation::Tanh,
            optimizer: "adam",
            learning_rate: None,
            epochs: 1000,
            batch_size: None,
            validation_split: None,
            regression_output: Activation::Identity,
        },
    })
}
