//! What watching costs: the same 2-8-8-1 moons run (500 epochs, batches of
//! 32, Adam) with nobody watching, with an observer that reads every epoch,
//! and with a recorder keeping 50 snapshots (issue "Watch it learn": at most
//! 10 % more).
//!
//! ```text
//! cargo bench -p nn --bench watching [-- ROUNDS]
//! ```
//!
//! The three take turns, round after round, so a busy moment of a shared
//! machine falls on all of them alike; each figure is the median over the
//! rounds, and each ratio is to the unwatched run of the same rounds.

use std::hint::black_box;
use std::ops::ControlFlow;
use std::time::Instant;

use nn::prelude::*;
use nn::snapshot::Recorder;

const EPOCHS: usize = 500;

fn network() -> Network {
    Network::builder(2)
        .dense(8, Activation::Tanh)
        .dense(8, Activation::Tanh)
        .dense(1, Activation::Sigmoid)
        .seed(7)
        .build()
        .expect("a valid network")
}

fn trainer<'a>() -> Trainer<'a> {
    Trainer::new(Loss::BinaryCrossEntropy, Optimizer::adam(0.01))
        .epochs(EPOCHS)
        .batch_size(32)
        .seed(1)
}

/// Seconds one run takes, watched as `how` says.
fn time(how: &str, data: &Dataset) -> f64 {
    let mut net = network();
    let start = Instant::now();
    match how {
        "unwatched" => {
            trainer().fit(&mut net, data).expect("trains");
        }
        "reading observer" => {
            let mut seen = 0.0;
            trainer()
                .on_epoch(|e| {
                    seen += e.stats.loss + e.network.layers[0].weights[[0, 0]];
                    ControlFlow::Continue(())
                })
                .fit(&mut net, data)
                .expect("trains");
            black_box(seen);
        }
        _ => {
            let mut recorder = Recorder::new(Schedule::log_spaced(50, EPOCHS));
            trainer()
                .observe(&mut recorder)
                .fit(&mut net, data)
                .expect("trains");
            assert!(recorder.finish().snapshots.len() >= 45);
        }
    }
    black_box(&net);
    start.elapsed().as_secs_f64()
}

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    xs[xs.len() / 2]
}

fn main() {
    let rounds: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(15);
    let data = data::moons(300, 0.2, 0).expect("moons");
    let ways = ["unwatched", "reading observer", "recorder, 50 snapshots"];
    let mut times = vec![Vec::new(); ways.len()];
    time(ways[0], &data); // warm-up
    for _ in 0..rounds {
        for (way, t) in ways.iter().zip(&mut times) {
            t.push(time(way, &data));
        }
    }
    let base = median(times[0].clone());
    println!("2-8-8-1 tanh on 300 moons, {EPOCHS} epochs, batch 32, Adam; {rounds} rounds");
    for (way, t) in ways.iter().zip(times) {
        let m = median(t);
        println!("{way:<24} {:>8.2} ms  {:>5.3}x", m * 1e3, m / base);
    }
}
