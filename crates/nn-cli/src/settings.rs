//! A run's settings with every default filled in: what `nn train` trains,
//! what a run record stores, and what `nn compare` prints.
//!
//! Defaults come from the loss (the output layer it needs) and from the
//! dataset (the settings that train it well, see [`crate::dataset`]).

use anyhow::{bail, Result};
use nn::network::Network;
use nn::optimizer::Optimizer;
use nn::train::Trainer;
use serde::{Deserialize, Serialize};

use crate::config::{
    ActivationName, DatasetName, InitName, LossName, OptimizerName, RunOptions, ScaleName,
};
use crate::dataset::{Loaded, Task};

/// One dense layer: its units and activation.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct LayerSettings {
    pub units: usize,
    pub activation: ActivationName,
}

/// Everything that decides a run's result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Settings {
    /// The built-in dataset, or None for a CSV file.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub dataset: Option<DatasetName>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub csv: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub target: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub samples: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub noise: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub classes: Option<usize>,
    pub scale: ScaleName,
    pub data_seed: u64,
    /// Input units, for the record: the network is `inputs → layers…`.
    pub inputs: usize,
    pub layers: Vec<LayerSettings>,
    pub bias: bool,
    pub init: InitName,
    pub loss: LossName,
    pub optimizer: OptimizerName,
    pub learning_rate: f64,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub momentum: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub beta1: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub beta2: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub epsilon: Option<f64>,
    pub epochs: usize,
    /// Rows per step; None is every row (full batch).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub batch_size: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub validation_split: Option<f64>,
    pub seed: u64,
    pub shuffle: bool,
}

impl Settings {
    /// Fills in what `o` leaves out, for the data in `data`.
    pub fn resolve(o: &RunOptions, data: &Loaded) -> Result<Settings> {
        let seed = o.seed.unwrap_or(42);
        let d = &data.defaults;
        let loss = o.loss.unwrap_or(match data.task {
            Task::Regression => LossName::Mse,
            Task::Binary => LossName::BinaryCrossEntropy,
            Task::Classes(_) => LossName::SparseCategoricalCrossEntropy,
        });
        let (outputs, output_activation) = match loss {
            LossName::Mse | LossName::Mae => (data.data.y.ncols(), d.regression_output),
            LossName::BinaryCrossEntropy => (data.data.y.ncols(), ActivationName::Sigmoid),
            LossName::CategoricalCrossEntropy if data.data.y.ncols() > 1 => {
                (data.data.y.ncols(), ActivationName::Softmax)
            }
            LossName::CategoricalCrossEntropy | LossName::SparseCategoricalCrossEntropy => {
                (data.label_count()?, ActivationName::Softmax)
            }
        };

        // --layers gives the output layer's size too; --hidden leaves it to the data.
        let (hidden, outputs) = match (&o.layers, &o.hidden) {
            (Some(layers), _) => match layers.split_last() {
                Some((&out, hidden)) => (hidden.to_vec(), out),
                None => bail!("--layers needs at least one size, the output layer's"),
            },
            (None, Some(hidden)) => (hidden.clone(), outputs),
            (None, None) => (d.hidden.clone(), outputs),
        };
        let activations = match o.activation.as_deref() {
            None => vec![d.activation; hidden.len()],
            Some([one]) => vec![*one; hidden.len()],
            Some(list) if list.len() == hidden.len() => list.to_vec(),
            Some(list) => bail!(
                "--activation gives {} activations for {} hidden layer{}; give one for all of them or one per hidden layer",
                list.len(),
                hidden.len(),
                if hidden.len() == 1 { "" } else { "s" }
            ),
        };
        let mut layers: Vec<LayerSettings> = hidden
            .iter()
            .zip(activations)
            .map(|(&units, activation)| LayerSettings { units, activation })
            .collect();
        layers.push(LayerSettings {
            units: outputs,
            activation: o.output_activation.unwrap_or(output_activation),
        });

        let optimizer = o.optimizer.unwrap_or(d.optimizer);
        let learning_rate = o
            .learning_rate
            .or(d.learning_rate)
            .unwrap_or(match optimizer {
                OptimizerName::Adam => 0.01,
                _ => 0.1,
            });
        // Only the hyperparameters of the chosen optimizer are kept.
        let (momentum, beta1, beta2, epsilon) = match optimizer {
            OptimizerName::Momentum => (Some(o.momentum.unwrap_or(0.9)), None, None, None),
            OptimizerName::Adam => (
                None,
                Some(o.beta1.unwrap_or(0.9)),
                Some(o.beta2.unwrap_or(0.999)),
                Some(o.epsilon.unwrap_or(1e-8)),
            ),
            OptimizerName::Gd | OptimizerName::Sgd => (None, None, None, None),
        };
        let batch_size = o
            .batch_size
            .or(d.batch_size)
            .or((optimizer == OptimizerName::Sgd).then_some(1));
        let builtin = o.csv.is_none();
        Ok(Settings {
            dataset: builtin.then(|| o.dataset.unwrap_or(DatasetName::StudySleep)),
            csv: o.csv.as_ref().map(|p| p.display().to_string()),
            target: o.target.clone().filter(|_| !builtin),
            samples: o.samples.filter(|_| builtin),
            noise: o.noise.filter(|_| builtin),
            classes: o.classes.filter(|_| builtin),
            scale: data.scaler.kind,
            data_seed: o.data_seed.unwrap_or(seed),
            inputs: data.data.x.ncols(),
            layers,
            bias: !o.no_bias,
            init: o.init.unwrap_or(InitName::XavierUniform),
            loss,
            optimizer,
            learning_rate,
            momentum,
            beta1,
            beta2,
            epsilon,
            epochs: o.epochs.unwrap_or(d.epochs),
            batch_size,
            validation_split: o.validation_split.or(d.validation_split),
            seed,
            shuffle: !o.no_shuffle,
        })
    }

    /// The optimizer with its hyperparameters.
    pub fn optimizer(&self) -> Optimizer {
        match self.optimizer {
            OptimizerName::Gd => Optimizer::gd(self.learning_rate),
            OptimizerName::Sgd => Optimizer::sgd(self.learning_rate),
            OptimizerName::Momentum => Optimizer::Momentum {
                learning_rate: self.learning_rate,
                momentum: self.momentum.unwrap_or(0.9),
            },
            OptimizerName::Adam => Optimizer::Adam {
                learning_rate: self.learning_rate,
                beta1: self.beta1.unwrap_or(0.9),
                beta2: self.beta2.unwrap_or(0.999),
                epsilon: self.epsilon.unwrap_or(1e-8),
            },
        }
    }

    /// A trainer for one epoch at a time: called once per epoch with the
    /// same optimizer state, it ends where one long fit would, and the
    /// progress bar can move in between.
    pub fn epoch_trainer(&self) -> Trainer<'static> {
        let mut t = Trainer::new(self.loss.to_nn(), self.optimizer())
            .epochs(1)
            .seed(self.seed)
            .shuffle(self.shuffle);
        if let Some(rows) = self.batch_size {
            t = t.batch_size(rows);
        }
        if let Some(f) = self.validation_split {
            t = t.validation_split(f);
        }
        t
    }

    /// The network these settings describe, with seeded first weights.
    pub fn network(&self) -> nn::Result<Network> {
        let mut b = Network::builder(self.inputs)
            .init(self.init.to_nn())
            .seed(self.seed);
        for l in &self.layers {
            b = b.dense(l.units, l.activation.to_nn());
        }
        if !self.bias {
            b = b.no_bias();
        }
        b.build()
    }

    /// The output layer's units.
    pub fn outputs(&self) -> usize {
        self.layers.last().map_or(1, |l| l.units)
    }

    /// `momentum η=0.1 μ=0.9, batch 32` — how the run stepped.
    pub fn optimizer_label(&self) -> String {
        let mut s = format!("{} η={}", self.optimizer_name(), self.learning_rate);
        if let Some(m) = self.momentum {
            s += &format!(" μ={m}");
        }
        s + &format!(", {}", self.batch_label())
    }

    fn optimizer_name(&self) -> &'static str {
        match self.optimizer {
            OptimizerName::Gd => "gd",
            OptimizerName::Sgd => "sgd",
            OptimizerName::Momentum => "momentum",
            OptimizerName::Adam => "adam",
        }
    }

    /// `full batch` or `batch 32`.
    pub fn batch_label(&self) -> String {
        match self.batch_size {
            None => "full batch".into(),
            Some(n) => format!("batch {n}"),
        }
    }

    /// `2-8-8-1`.
    pub fn sizes_label(&self) -> String {
        std::iter::once(self.inputs)
            .chain(self.layers.iter().map(|l| l.units))
            .map(|n| n.to_string())
            .collect::<Vec<_>>()
            .join("-")
    }

    /// `moons` or the CSV file.
    pub fn data_label(&self) -> String {
        match (&self.dataset, &self.csv) {
            (Some(d), _) => d.name(),
            (None, Some(csv)) => csv.clone(),
            (None, None) => "?".into(),
        }
    }
}
