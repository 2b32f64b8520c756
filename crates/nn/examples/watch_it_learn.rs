//! Watch a network learn: four pictures of one training run, written into
//! a folder.
//!
//! ```text
//! cargo run --release -p nn --example watch_it_learn -- OUT_DIR
//! ```
//!
//! - `filmstrip.svg`: the moons' decision boundary at six moments;
//! - `playground.svg`: the trained 2-8-8-1 network, every unit a map;
//! - `landscape.svg`: GD, SGD, mini-batch, momentum and Adam from one start
//!   on the loss of a two-weight network (its whole landscape);
//! - `health.svg`: the run's losses, gradients, update ratios, activations.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use nn::plot::{Filmstrip, Health, Landscape, Playground, Slice, Weight};
use nn::prelude::*;

fn main() -> ExitCode {
    let Some(out) = std::env::args_os().nth(1).map(PathBuf::from) else {
        eprintln!("usage: watch_it_learn OUT_DIR   (the folder to write the four SVG files into)");
        return ExitCode::from(2);
    };
    match run(&out) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("watch_it_learn: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Checks that `out` is a folder this program can write into, making it
/// if it does not exist: better refused now than after training.
fn writable(out: &Path) -> nn::Result<()> {
    let refuse = |what: &str, e: std::io::Error| {
        let message = format!("{what} ({e}); give a folder you can write to");
        Error::io(out, message, e)
    };
    std::fs::create_dir_all(out)
        .map_err(|e| refuse("cannot make the folder for the figures", e))?;
    let probe = out.join(".watch_it_learn-probe");
    std::fs::write(&probe, b"").map_err(|e| refuse("cannot write into this folder", e))?;
    std::fs::remove_file(&probe)
        .map_err(|e| refuse("cannot remove a test file from this folder", e))?;
    Ok(())
}

fn run(out: &Path) -> nn::Result<()> {
    writable(out)?;
    let save = |name: &str, svg: Svg| -> nn::Result<()> {
        let path = out.join(name);
        svg.save(&path)?;
        println!("{:>8} bytes  {}", svg.len(), path.display());
        Ok(())
    };

    // One run on the moons, recorded at 50 log-spaced epochs.
    let moons = data::moons(300, 0.2, 1)?;
    let mut net = Network::builder(2)
        .dense(8, Activation::Tanh)
        .dense(8, Activation::Tanh)
        .dense(1, Activation::Sigmoid)
        .seed(2)
        .build()?;
    let mut recorder = Recorder::new(Schedule::log_spaced(50, 500));
    Trainer::new(Loss::BinaryCrossEntropy, Optimizer::adam(0.01))
        .epochs(500)
        .batch_size(32)
        .validation_split(0.2)
        .observe(&mut recorder)
        .fit(&mut net, &moons)?;
    let recording = recorder.finish();
    let last = recording
        .snapshots
        .last()
        .expect("epoch 500 is in the schedule");

    save(
        "filmstrip.svg",
        Filmstrip::new(&recording)
            .title("the moons' decision boundary forming (2-8-8-1 tanh, Adam)")
            .draw()?,
    )?;
    save(
        "playground.svg",
        Playground::snapshot(last, &moons)
            .title("the trained network: every unit's output over the plane")
            .draw()?,
    )?;
    save(
        "health.svg",
        Health::new(&recording)
            .title("is every layer learning? (2-8-8-1 tanh on the moons)")
            .draw()?,
    )?;

    // Five optimizers on a network whose only parameters are two weights,
    // so that the landscape below is all of it and every path lies on it.
    let data = data::moons(200, 0.15, 0)?;
    let mut start = Network::builder(2)
        .dense(1, Activation::Sigmoid)
        .no_bias()
        .build()?;
    start.layers[0].weights = array![[-3.0], [3.0]];
    let slice = Slice::weights(&start, Weight::new(1, 1, 1), Weight::new(1, 2, 1))?;
    let runs = [
        ("GD", Optimizer::gd(1.0), data.len()),
        ("SGD", Optimizer::sgd(0.05), 1),
        ("mini-batch", Optimizer::sgd(0.5), 16),
        ("momentum", Optimizer::momentum(0.1), 16),
        ("Adam", Optimizer::adam(0.05), 16),
    ];
    let mut landscape = Landscape::new(&slice, &data, Loss::BinaryCrossEntropy)
        .title("five optimizers from one start, 20 epochs each");
    for (name, optimizer, batch) in runs {
        let mut net = start.clone();
        let mut tracker = slice.tracker(&net);
        Trainer::new(Loss::BinaryCrossEntropy, optimizer)
            .epochs(20)
            .batch_size(batch)
            .seed(3)
            .observe(&mut tracker)
            .fit(&mut net, &data)?;
        landscape = landscape.path(name, tracker.path());
    }
    save("landscape.svg", landscape.draw()?)?;
    Ok(())
}
