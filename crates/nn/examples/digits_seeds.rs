//! Notebook 9's digits network, trained on five seeds: its test accuracy on
//! a stratified 20 % test split, seed by seed, and the median.
//!
//!     cargo run --release -p nn --example digits_seeds
//!
//! Each seed draws its own split, first weights and shuffles. The settings
//! are the notebook's: 64 → 32 ReLU → 10 softmax (He-normal weights),
//! sparse categorical cross-entropy, Adam with η = 0.01, batches of 32,
//! 30 epochs, a tenth of the training rows held out for validation.

use std::time::Instant;

use nn::prelude::*;

fn main() -> nn::Result<()> {
    let digits = data::digits();
    let mut accuracies = Vec::new();
    for seed in 0..5 {
        let (train, test) = data::stratified_split(&digits, 0.2, seed)?;
        let mut net = Network::builder(64)
            .dense(32, Activation::Relu)
            .dense(10, Activation::Softmax)
            .init(Init::HeNormal)
            .seed(seed)
            .build()?;
        let start = Instant::now();
        let history = Trainer::new(Loss::SparseCategoricalCrossEntropy, Optimizer::adam(0.01))
            .epochs(30)
            .batch_size(32)
            .validation_split(0.1)
            .seed(seed)
            .fit(&mut net, &train)?;
        let seconds = start.elapsed().as_secs_f64();
        let predicted = data::predicted_classes(&net.predict(&test.x)?);
        let right = predicted
            .iter()
            .zip(test.y.iter())
            .filter(|&(&p, &y)| p as f64 == y)
            .count();
        let accuracy = right as f64 / test.len() as f64;
        let val = history
            .epochs
            .last()
            .and_then(|e| e.val_accuracy)
            .unwrap_or(f64::NAN);
        println!(
            "seed {seed}: test accuracy {:.2} % ({right} of {}), validation {:.2} %, trained in {seconds:.2} s",
            100.0 * accuracy,
            test.len(),
            100.0 * val
        );
        accuracies.push(accuracy);
    }
    accuracies.sort_by(f64::total_cmp);
    println!(
        "median test accuracy over 5 seeds: {:.2} %",
        100.0 * accuracies[2]
    );
    Ok(())
}
