//! The run the options describe: the library's `RunConfig`, every field
//! either given (a flag, the config file) or a default.
//!
//! Defaults come from the loss (the output layer it needs), from the
//! dataset (the settings that train it well, see [`crate::dataset`]) and
//! from the library (`RunConfig::default()`), in that order.

use anyhow::{bail, Result};
use nn::activation::Activation;
use nn::error::count;
use nn::loss::Loss;
use nn::network::{LayerConfig, NetworkConfig};
use nn::optimizer::Optimizer;
use nn::run::RunConfig;
use nn::train::{BatchSize, TrainConfig};

use crate::config::RunOptions;
use crate::dataset::{Loaded, Task};

/// The run that `o` describes for the data in `data`.
pub fn resolve(o: &RunOptions, data: &Loaded) -> Result<RunConfig> {
    let seed = o.seed.unwrap_or(42);
    let d = &data.defaults;
    let loss = o.loss.unwrap_or(match data.task {
        Task::Regression => Loss::Mse,
        Task::Binary => Loss::BinaryCrossEntropy,
        Task::Classes(_) => Loss::SparseCategoricalCrossEntropy,
    });
    let targets = data.data.y.ncols();
    let (outputs, output_activation) = match loss {
        Loss::Mse | Loss::Mae => (targets, d.regression_output),
        Loss::BinaryCrossEntropy => (targets, Activation::Sigmoid),
        Loss::CategoricalCrossEntropy if targets > 1 => (targets, Activation::Softmax),
        Loss::CategoricalCrossEntropy | Loss::SparseCategoricalCrossEntropy => {
            (data.label_count()?, Activation::Softmax)
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
            "--activation gives {} for {}; give one for all of them or one per hidden layer",
            count(list.len(), "activation", "activations"),
            count(hidden.len(), "hidden layer", "hidden layers")
        ),
    };
    let mut layers: Vec<LayerConfig> = hidden
        .iter()
        .zip(activations)
        .map(|(&units, activation)| LayerConfig { units, activation })
        .collect();
    layers.push(LayerConfig {
        units: outputs,
        activation: o.output_activation.unwrap_or(output_activation),
    });

    let training = TrainConfig {
        loss,
        optimizer: optimizer(o, d.optimizer, d.learning_rate)?,
        epochs: o.epochs.unwrap_or(d.epochs),
        batch_size: match (o.batch_size.or(d.batch_size), o.optimizer.as_deref()) {
            (Some(rows), _) => BatchSize::Rows(rows),
            (None, Some("sgd")) => BatchSize::Rows(1),
            (None, _) => BatchSize::Full,
        },
        shuffle: !o.no_shuffle,
        seed,
        validation_split: o.validation_split.or(d.validation_split),
        early_stopping: o.early_stopping,
    };
    let network = NetworkConfig {
        inputs: data.data.x.ncols(),
        layers,
        bias: !o.no_bias,
        init: o.init.unwrap_or(NetworkConfig::default().init),
        seed,
        skip_normals: 0,
    };
    Ok(RunConfig { network, training })
}

/// The optimizer `o` names (or the dataset's `default`), with the learning
/// rate given, the dataset's, or the optimizer's usual one, and the
/// hyperparameters given. A hyperparameter of another optimizer is refused
/// rather than ignored.
fn optimizer(o: &RunOptions, default: &str, dataset_rate: Option<f64>) -> Result<Optimizer> {
    let name = o.optimizer.as_deref().unwrap_or(default);
    let usual = if name == "adam" { 0.01 } else { 0.1 };
    let rate = o.learning_rate.or(dataset_rate).unwrap_or(usual);
    let Some(mut optimizer) = Optimizer::from_name(name, rate) else {
        bail!(
            "optimizer = \"{name}\" is not an optimizer; give one of {}",
            Optimizer::NAMES.join(", ")
        );
    };
    let given = [
        ("--momentum", o.momentum, "momentum"),
        ("--beta1", o.beta1, "adam"),
        ("--beta2", o.beta2, "adam"),
        ("--epsilon", o.epsilon, "adam"),
    ];
    if let Some((flag, _, owner)) = given
        .iter()
        .find(|(_, v, owner)| v.is_some() && *owner != name)
    {
        bail!("{flag} is a setting of --optimizer {owner}, not of {name}; remove it or change the optimizer");
    }
    match &mut optimizer {
        Optimizer::Momentum { momentum, .. } => *momentum = o.momentum.unwrap_or(*momentum),
        Optimizer::Adam {
            beta1,
            beta2,
            epsilon,
            ..
        } => {
            *beta1 = o.beta1.unwrap_or(*beta1);
            *beta2 = o.beta2.unwrap_or(*beta2);
            *epsilon = o.epsilon.unwrap_or(*epsilon);
        }
        Optimizer::Gd { .. } | Optimizer::Sgd { .. } => {}
    }
    Ok(optimizer)
}

/// `momentum η=0.1 μ=0.9, batch 32` — how a run steps.
pub fn training_label(t: &TrainConfig) -> String {
    let o = &t.optimizer;
    let mut s = format!("{} η={}", o.name(), o.learning_rate());
    if let Optimizer::Momentum { momentum, .. } = o {
        s += &format!(" μ={momentum}");
    }
    match t.batch_size {
        BatchSize::Full => s + ", full batch",
        BatchSize::Rows(n) => s + &format!(", batch {n}"),
    }
}

/// `2-8-8-1`: the inputs, then each layer's units.
pub fn sizes_label(n: &NetworkConfig) -> String {
    std::iter::once(n.inputs)
        .chain(n.layers.iter().map(|l| l.units))
        .map(|n| n.to_string())
        .collect::<Vec<_>>()
        .join("-")
}

/// The output layer's units.
pub fn outputs(n: &NetworkConfig) -> usize {
    n.layers.last().map_or(1, |l| l.units)
}
