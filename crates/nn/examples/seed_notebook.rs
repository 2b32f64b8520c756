//! The original notebook's training cell and last cell, printed as it printed
//! them, then the same run with the true gradient from the same start.
//!
//! ```text
//! cargo run --release -p nn --example seed_notebook
//! ```

use nn::original::{format_log, format_state, replay, Rule};
use nn::train::Schedule;

fn main() {
    let (log, net) = replay(Rule::AsWritten, 10_000, &Schedule::Original);
    print!("{}", format_log(&log));
    println!();
    print!("{}", format_state(&net));

    println!();
    println!("== The same start, trained with the true gradient of ½ Σ (y − ŷ)² ==");
    let (log, net) = replay(Rule::TrueGradient, 10_000, &Schedule::Original);
    for entry in &log {
        println!("EPOCH {:>5}  에러 {}", entry.epoch, entry.mse);
    }
    println!();
    print!("{}", format_state(&net));
}
