//! Draws the figures the README shows, into `docs/images/`.
//!
//! ```text
//! cargo run --release -p nn --example readme_figures
//! ```

use nn::original::{replay, Rule};
use nn::prelude::*;

fn main() -> nn::Result<()> {
    let out = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/images");
    std::fs::create_dir_all(out)
        .map_err(|e| Error::io(out, "cannot make the folder for the figures", e))?;

    // The original notebook's update rule against the true gradient (notebook 5).
    let (every, _) = replay(Rule::AsWritten, 10_000, &Schedule::Every(1));
    let as_written: Vec<f64> = every.iter().map(|e| e.mse).collect();
    let mut net = nn::original::OriginalNetwork::new().to_network()?;
    let history = Trainer::new(Loss::Mse, Optimizer::gd(1.5))
        .epochs(10_000)
        .fit(&mut net, &data::study_sleep())?;
    plot::Losses::new()
        .title("the original's rule against the true gradient, same start")
        .series("original update rule", &as_written)
        .series("true gradient", &history.losses())
        .scale(plot::Scale::Log)
        .draw()?
        .save(format!("{out}/original-vs-true-gradient.svg"))?;

    // A classifier's decision boundary (notebook 7).
    let moons = data::moons(300, 0.2, 1)?;
    let mut binary = Network::builder(2)
        .dense(8, Activation::Tanh)
        .dense(1, Activation::Sigmoid)
        .seed(2)
        .build()?;
    Trainer::new(Loss::BinaryCrossEntropy, Optimizer::adam(0.02))
        .epochs(300)
        .batch_size(32)
        .fit(&mut binary, &moons)?;
    plot::DecisionBoundary::new(&binary, &moons)
        .title("2-8-1 tanh network on the moons")
        .draw()?
        .save(format!("{out}/moons-decision-boundary.svg"))?;

    plot::network(&net)?.save(format!("{out}/trained-network.svg"))?;

    // The Playground view of the run `watch_it_learn` records.
    let mut deeper = Network::builder(2)
        .dense(8, Activation::Tanh)
        .dense(8, Activation::Tanh)
        .dense(1, Activation::Sigmoid)
        .seed(2)
        .build()?;
    let mut recorder = Recorder::new(Schedule::At(vec![500]));
    Trainer::new(Loss::BinaryCrossEntropy, Optimizer::adam(0.01))
        .epochs(500)
        .batch_size(32)
        .validation_split(0.2)
        .observe(&mut recorder)
        .fit(&mut deeper, &moons)?;
    let recording = recorder.finish();
    plot::Playground::snapshot(&recording.snapshots[0], &moons)
        .title("the trained network: every unit's output over the plane")
        .draw()?
        .save(format!("{out}/playground.svg"))?;
    println!("wrote the figures to {out}");
    Ok(())
}
