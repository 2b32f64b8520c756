//! What a run is made of, from flags or from a TOML file.
//!
//! [`RunOptions`] is one struct for both: clap fills it from the command
//! line, serde from `--config run.toml`, so a TOML key is the flag's name
//! with `_` for `-` (`--learning-rate` ↔ `learning_rate`). Every field is
//! optional: the data source, and overrides of the library's
//! `nn::run::RunConfig`, whose activations, losses and initializers are
//! parsed by their library names ([`crate::names`]). A flag overrides the
//! file, and what neither gives is filled in by [`crate::run::resolve`].

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use clap::builder::PossibleValuesParser;
use clap::{Args, ValueEnum};
use nn::activation::Activation;
use nn::init::Init;
use nn::loss::Loss;
use nn::optimizer::Optimizer;
use serde::{Deserialize, Serialize};

use crate::names;

/// The data, the network and the training, as given.
#[derive(Debug, Default, Clone, Args, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RunOptions {
    /// A built-in dataset [default: study-sleep]
    #[arg(long, value_enum, value_name = "NAME", help_heading = "Data")]
    pub dataset: Option<DatasetName>,

    /// Train on a CSV file with a header row instead of a built-in dataset
    #[arg(
        long,
        value_name = "FILE",
        conflicts_with = "dataset",
        help_heading = "Data"
    )]
    pub csv: Option<PathBuf>,

    /// The CSV column(s) to predict; every other column is an input
    #[arg(long, value_name = "COL", value_delimiter = ',', help_heading = "Data")]
    pub target: Option<Vec<String>>,

    /// Rows to generate (moons, circles, blobs) or rows per class (spirals)
    #[arg(long, value_name = "N", help_heading = "Data")]
    pub samples: Option<usize>,

    /// Noise of the generated points: a standard deviation (of the angle, for spirals)
    #[arg(long, value_name = "SD", help_heading = "Data")]
    pub noise: Option<f64>,

    /// Number of classes (spirals, blobs)
    #[arg(long, value_name = "K", help_heading = "Data")]
    pub classes: Option<usize>,

    /// How to scale the inputs before training [default: standard for CSV, none otherwise]
    #[arg(long, value_enum, value_name = "KIND", help_heading = "Data")]
    pub scale: Option<ScaleName>,

    /// Seed of the generated data [default: --seed]
    #[arg(long, value_name = "N", help_heading = "Data")]
    pub data_seed: Option<u64>,

    /// The folder holding MNIST's four files, gzipped or not (--dataset mnist)
    #[arg(long, value_name = "DIR", help_heading = "Data")]
    pub data_dir: Option<PathBuf>,

    /// Units of every layer after the input, output layer last (e.g. 3,1)
    #[arg(
        long,
        value_name = "N,N,…",
        value_delimiter = ',',
        conflicts_with = "hidden",
        help_heading = "Network"
    )]
    pub layers: Option<Vec<usize>>,

    /// Units of the hidden layers only; the output layer is sized to fit the data (e.g. 8,8)
    #[arg(
        long,
        value_name = "N,N,…",
        value_delimiter = ',',
        help_heading = "Network"
    )]
    pub hidden: Option<Vec<usize>>,

    /// Activation of the hidden layers: one for all, or one per hidden layer
    #[arg(
        long,
        value_name = "NAME,…",
        value_delimiter = ',',
        value_parser = names::activation(),
        help_heading = "Network"
    )]
    #[serde(default, deserialize_with = "names::one_or_many")]
    pub activation: Option<Vec<Activation>>,

    /// Activation of the output layer [default: what the loss needs]
    #[arg(long, value_name = "NAME", value_parser = names::activation(), help_heading = "Network")]
    #[serde(default, deserialize_with = "names::parsed")]
    pub output_activation: Option<Activation>,

    /// How the first weights are drawn [default: xavier_uniform]
    #[arg(long, value_name = "NAME", value_parser = names::init(), help_heading = "Network")]
    #[serde(default, deserialize_with = "names::parsed")]
    pub init: Option<Init>,

    /// Leave out every bias, like the original notebook
    #[arg(long, help_heading = "Network")]
    #[serde(default)]
    pub no_bias: bool,

    /// The loss to minimise [default: mse for regression, cross-entropy for classes]
    #[arg(long, value_name = "NAME", value_parser = names::loss(), help_heading = "Training")]
    #[serde(default, deserialize_with = "names::parsed")]
    pub loss: Option<Loss>,

    /// The update rule: gd (all rows per step), sgd (one row per step unless
    /// --batch-size says otherwise), momentum, adam [default: adam; gd for study-sleep]
    #[arg(
        long,
        value_name = "NAME",
        value_parser = PossibleValuesParser::new(Optimizer::NAMES),
        help_heading = "Training"
    )]
    pub optimizer: Option<String>,

    /// The step size η [default: 0.01 for adam, 0.1 otherwise; 1.5 for study-sleep]
    #[arg(
        long,
        visible_alias = "lr",
        value_name = "η",
        help_heading = "Training"
    )]
    pub learning_rate: Option<f64>,

    /// μ of the momentum optimizer [default: 0.9]
    #[arg(long, value_name = "μ", help_heading = "Training")]
    pub momentum: Option<f64>,

    /// β₁ of Adam [default: 0.9]
    #[arg(long, value_name = "β₁", help_heading = "Training")]
    pub beta1: Option<f64>,

    /// β₂ of Adam [default: 0.999]
    #[arg(long, value_name = "β₂", help_heading = "Training")]
    pub beta2: Option<f64>,

    /// ε of Adam [default: 1e-8]
    #[arg(long, value_name = "ε", help_heading = "Training")]
    pub epsilon: Option<f64>,

    /// Passes over the training rows [default: 10000 for study-sleep, 1000 otherwise]
    #[arg(long, value_name = "N", help_heading = "Training")]
    pub epochs: Option<usize>,

    /// Rows per gradient step [default: all rows; 1 for sgd]
    #[arg(long, value_name = "N", help_heading = "Training")]
    pub batch_size: Option<usize>,

    /// Share of the rows held out to measure validation loss, in (0, 1)
    #[arg(long, value_name = "FRACTION", help_heading = "Training")]
    pub validation_split: Option<f64>,

    /// Stop when the validation loss has not improved for N epochs, and keep the best epoch's weights
    #[arg(long, value_name = "N", help_heading = "Training")]
    pub early_stopping: Option<usize>,

    /// Seed of the weights, the shuffling and the validation split [default: 42]
    #[arg(long, value_name = "N", help_heading = "Training")]
    pub seed: Option<u64>,

    /// Keep the rows in order instead of reshuffling every epoch
    #[arg(long, help_heading = "Training")]
    #[serde(default)]
    pub no_shuffle: bool,
}

impl RunOptions {
    /// Reads a TOML file of run options. A mistake comes back as one line
    /// naming the file, the line and the column.
    pub fn from_toml_file(path: &Path) -> Result<RunOptions> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("{}: cannot read the config file", path.display()))?;
        toml::from_str(&text).map_err(|e| {
            let place = e
                .span()
                .map(|span| {
                    let (line, col) = line_and_column(&text, span.start);
                    format!(":{line}:{col}")
                })
                .unwrap_or_default();
            anyhow::anyhow!("{}{place}: {}", path.display(), e.message().trim())
        })
    }

    /// These options, with any that are unset taken from `file`.
    pub fn or(self, file: RunOptions) -> RunOptions {
        RunOptions {
            dataset: self.dataset.or(file.dataset),
            csv: self.csv.or(file.csv),
            target: self.target.or(file.target),
            samples: self.samples.or(file.samples),
            noise: self.noise.or(file.noise),
            classes: self.classes.or(file.classes),
            scale: self.scale.or(file.scale),
            data_seed: self.data_seed.or(file.data_seed),
            data_dir: self.data_dir.or(file.data_dir),
            layers: self.layers.or(file.layers),
            hidden: self.hidden.or(file.hidden),
            activation: self.activation.or(file.activation),
            output_activation: self.output_activation.or(file.output_activation),
            init: self.init.or(file.init),
            no_bias: self.no_bias || file.no_bias,
            loss: self.loss.or(file.loss),
            optimizer: self.optimizer.or(file.optimizer),
            learning_rate: self.learning_rate.or(file.learning_rate),
            momentum: self.momentum.or(file.momentum),
            beta1: self.beta1.or(file.beta1),
            beta2: self.beta2.or(file.beta2),
            epsilon: self.epsilon.or(file.epsilon),
            epochs: self.epochs.or(file.epochs),
            batch_size: self.batch_size.or(file.batch_size),
            validation_split: self.validation_split.or(file.validation_split),
            early_stopping: self.early_stopping.or(file.early_stopping),
            seed: self.seed.or(file.seed),
            no_shuffle: self.no_shuffle || file.no_shuffle,
        }
    }

    /// The flags' options over those of `--config FILE`, if one is given.
    /// `--layers` and `--hidden` replace each other: a flag for one drops
    /// the file's other, rather than clashing with it.
    pub fn with_config(self, config: Option<&Path>) -> Result<RunOptions> {
        let Some(path) = config else {
            return Ok(self);
        };
        let mut file = RunOptions::from_toml_file(path)?;
        if file.layers.is_some() && file.hidden.is_some() {
            anyhow::bail!(
                "{}: give either `layers` or `hidden`, not both",
                path.display()
            );
        }
        if self.layers.is_some() || self.hidden.is_some() {
            file.layers = None;
            file.hidden = None;
        }
        if self.csv.is_some() {
            file.dataset = None;
        }
        if self.dataset.is_some() {
            file.csv = None;
            file.target = None;
        }
        Ok(self.or(file))
    }
}

/// 1-based line and column of byte `offset` in `text`.
fn line_and_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

/// The built-in datasets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DatasetName {
    /// The original notebook's three students: [study, sleep] hours → score, max-scaled
    StudySleep,
    /// The four corners of XOR: not linearly separable
    Xor,
    /// Two interleaving half circles
    Moons,
    /// A circle inside a ring
    Circles,
    /// Intertwined spiral arms, one per class
    Spirals,
    /// Gaussian clusters, one per class
    Blobs,
    /// 1 797 handwritten digits, 8 × 8 pixels (UCI, in the crate)
    Digits,
    /// MNIST's 60 000 training digits, 28 × 28 pixels, from --data-dir
    Mnist,
}

impl DatasetName {
    /// The name as typed on the command line.
    pub fn name(self) -> String {
        typed_name(&self)
    }
}

/// A value's name as typed on the command line (and written in TOML).
pub fn typed_name(value: &impl ValueEnum) -> String {
    value
        .to_possible_value()
        .map(|v| v.get_name().to_string())
        .unwrap_or_default()
}

/// How inputs are scaled before training (and again before predicting):
/// which of the library's scalers to fit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ScaleName {
    /// Leave the inputs as they are
    None,
    /// Divide each column by its largest value, as the original notebook does
    Max,
    /// Map each column onto [0, 1]
    Minmax,
    /// Shift and scale each column to mean 0, standard deviation 1
    Standard,
}

impl ScaleName {
    /// The library's scaler of this kind, fitted on the inputs `x`; `None`
    /// for no scaling.
    pub fn fit(self, x: &nn::ndarray::Array2<f64>) -> nn::Result<Option<nn::data::Scaler>> {
        use nn::data::{MinMax, Standard};
        Ok(match self {
            ScaleName::None => None,
            ScaleName::Max => Some(MinMax::fit_max(x)?.into()),
            ScaleName::Minmax => Some(MinMax::fit(x)?.into()),
            ScaleName::Standard => Some(Standard::fit(x)?.into()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toml_keys_are_the_flags_names() {
        let o: RunOptions = toml::from_str(
            "dataset = \"moons\"\nhidden = [8, 8]\nactivation = \"tanh\"\nloss = \"bce\"\n\
             optimizer = \"adam\"\nlearning_rate = 0.01\nno_bias = true\n",
        )
        .unwrap();
        assert_eq!(o.dataset, Some(DatasetName::Moons));
        assert_eq!(o.hidden, Some(vec![8, 8]));
        assert_eq!(o.activation, Some(vec![Activation::Tanh]));
        assert_eq!(o.loss, Some(Loss::BinaryCrossEntropy));
        assert_eq!(o.optimizer.as_deref(), Some("adam"));
        assert!(o.no_bias);
    }

    #[test]
    fn flags_override_the_file() {
        let file = RunOptions {
            epochs: Some(10),
            seed: Some(1),
            ..Default::default()
        };
        let flags = RunOptions {
            epochs: Some(20),
            ..Default::default()
        };
        let merged = flags.or(file);
        assert_eq!((merged.epochs, merged.seed), (Some(20), Some(1)));
    }

    #[test]
    fn a_typo_in_the_file_names_its_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("run.toml");
        std::fs::write(&path, "epochs = 5\nlerning_rate = 0.1\n").unwrap();
        let err = RunOptions::from_toml_file(&path).unwrap_err().to_string();
        assert!(
            err.contains("run.toml:2:1: unknown field `lerning_rate`"),
            "{err}"
        );
        assert!(!err.contains('\n'), "{err}");
        std::fs::write(&path, "epochs = 5\nactivation = [\"tanh\", \"rleu\"]\n").unwrap();
        let err = RunOptions::from_toml_file(&path).unwrap_err().to_string();
        assert!(
            err.contains("run.toml:2:14: invalid activation = rleu: it must be one of identity,"),
            "{err}"
        );
        // The names of earlier versions still work.
        std::fs::write(&path, "init = \"xavier-normal\"\nloss = \"sparse_cce\"\n").unwrap();
        let o = RunOptions::from_toml_file(&path).unwrap();
        assert_eq!(o.init, Some(Init::XavierNormal));
        assert_eq!(o.loss, Some(Loss::SparseCategoricalCrossEntropy));
    }
}
