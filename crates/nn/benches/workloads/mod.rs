//! The four workloads of the performance goals (docs/performance.md), shared
//! by the criterion benches, the comparison runner and the scaling plots.
//! The NumPy and PyTorch versions in `bench/` build the same shapes.

#![allow(dead_code)]

use nn::prelude::*;

/// One training run to time: a network, its data and its training settings.
pub struct Workload {
    pub name: &'static str,
    pub what: &'static str,
    pub net: Network,
    pub data: Dataset,
    pub config: TrainConfig,
    /// Rows trained on, over all epochs.
    pub samples: usize,
    /// Floating-point operations of the products (2 per multiply-add), over
    /// all steps: forward, ∂L/∂W for every layer, δ for every layer but the first.
    pub flops: f64,
}

impl Workload {
    /// Trains a fresh copy of the network; returns the trained network and
    /// its final loss.
    pub fn run(&self) -> (Network, f64) {
        let mut net = self.net.clone();
        let history = Trainer::from_config(self.config.clone())
            .fit(&mut net, &self.data)
            .expect("the workload trains");
        (net, history.final_loss())
    }
}

/// Multiply-add count of one step on `rows` rows through layers of `sizes`.
pub fn step_flops(sizes: &[usize], rows: usize) -> f64 {
    let mut macs = 0;
    for (l, w) in sizes.windows(2).enumerate() {
        let layer = rows * w[0] * w[1];
        macs += 2 * layer; // forward and ∂L/∂W
        if l > 0 {
            macs += layer; // δ for the layer below
        }
    }
    2.0 * macs as f64
}

/// Flops of `epochs` epochs of batches of `batch` over `n` rows.
fn run_flops(sizes: &[usize], n: usize, batch: usize, epochs: usize) -> f64 {
    let full = n / batch;
    let last = n % batch;
    epochs as f64 * (full as f64 * step_flops(sizes, batch) + step_flops(sizes, last))
}

/// W1: the original 2-3-1 sigmoid network, 3 rows, 10 000 full-batch GD steps.
pub fn w1() -> Workload {
    let data = data::study_sleep();
    let net = nn::original::OriginalNetwork::new().to_network().unwrap();
    let epochs = 10_000;
    Workload {
        name: "W1",
        what: "2-3-1 sigmoid, 3 rows, 10 000 full-batch GD steps",
        net,
        config: TrainConfig {
            epochs,
            optimizer: Optimizer::gd(1.5),
            ..TrainConfig::default()
        },
        samples: 3 * epochs,
        flops: run_flops(&[2, 3, 1], 3, 3, epochs),
        data,
    }
}

/// Seeded Gaussian blobs: `n` rows of `features` values in `classes` classes,
/// one-hot targets.
pub fn blobs(n: usize, features: usize, classes: usize, seed: u64) -> Dataset {
    let centers = NumpyRng::new(seed).randn_matrix(classes, features) * 2.0;
    data::blobs(n, &centers, 1.0, seed)
        .unwrap()
        .one_hot()
        .unwrap()
}

/// A sigmoid hidden layer and a softmax output, Xavier-initialized, seeded.
pub fn classifier(inputs: usize, hidden: usize, classes: usize) -> Network {
    Network::builder(inputs)
        .dense(hidden, Activation::Sigmoid)
        .dense(classes, Activation::Softmax)
        .seed(1)
        .build()
        .unwrap()
}

/// W2: 64-64-10 on 1 797 rows (the 8×8 digits' size), batches of 32, Adam, 20 epochs.
pub fn w2() -> Workload {
    let (n, epochs, batch) = (1797, 20, 32);
    Workload {
        name: "W2",
        what: "64-64-10 sigmoid/softmax, 1 797 rows, batch 32, Adam, 20 epochs",
        net: classifier(64, 64, 10),
        data: blobs(n, 64, 10, 2),
        config: TrainConfig {
            loss: Loss::CategoricalCrossEntropy,
            optimizer: Optimizer::adam(0.001),
            epochs,
            batch_size: BatchSize::Rows(batch),
            ..TrainConfig::default()
        },
        samples: n * epochs,
        flops: run_flops(&[64, 64, 10], n, batch, epochs),
    }
}

/// W3: 784-256-10 on 10 000 rows (MNIST's shape), batches of 128, SGD, 2 epochs.
pub fn w3() -> Workload {
    let (n, epochs, batch) = (10_000, 2, 128);
    Workload {
        name: "W3",
        what: "784-256-10 sigmoid/softmax, 10 000 rows, batch 128, SGD, 2 epochs",
        net: classifier(784, 256, 10),
        data: blobs(n, 784, 10, 3),
        config: TrainConfig {
            loss: Loss::CategoricalCrossEntropy,
            optimizer: Optimizer::sgd(0.1),
            epochs,
            batch_size: BatchSize::Rows(batch),
            ..TrainConfig::default()
        },
        samples: n * epochs,
        flops: run_flops(&[784, 256, 10], n, batch, epochs),
    }
}

/// W4: one MNIST-shaped epoch: 784-128-10 on 60 000 rows, batches of 64, Adam.
pub fn w4() -> Workload {
    let (n, epochs, batch) = (60_000, 1, 64);
    Workload {
        name: "W4",
        what: "784-128-10 sigmoid/softmax, 60 000 rows, batch 64, Adam, 1 epoch",
        net: classifier(784, 128, 10),
        data: blobs(n, 784, 10, 4),
        config: TrainConfig {
            loss: Loss::CategoricalCrossEntropy,
            optimizer: Optimizer::adam(0.001),
            epochs,
            batch_size: BatchSize::Rows(batch),
            ..TrainConfig::default()
        },
        samples: n * epochs,
        flops: run_flops(&[784, 128, 10], n, batch, epochs),
    }
}

pub fn by_name(name: &str) -> Option<Workload> {
    match name.to_ascii_uppercase().as_str() {
        "W1" => Some(w1()),
        "W2" => Some(w2()),
        "W3" => Some(w3()),
        "W4" => Some(w4()),
        _ => None,
    }
}

/// A fingerprint of every weight's bits (FNV-1a), to check that runs agree
/// bit for bit.
pub fn fingerprint(net: &mut Network) -> u64 {
    let mut h: u64 = 0xcbf29ce484222325;
    for p in net.parameters_mut() {
        for v in p.iter() {
            h = (h ^ v.to_bits()).wrapping_mul(0x100000001b3);
        }
    }
    h
}
