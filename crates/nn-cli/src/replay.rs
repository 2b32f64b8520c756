//! `nn replay-seed`: the original notebook's training run, printed exactly
//! as it printed it, then the same start trained with the true gradient.

use std::io::Write;

use anyhow::Result;
use clap::Args;
use nn::original::{format_log, format_state, replay, Rule};
use nn::train::Schedule;

const EXAMPLES: &str = "\
Examples:
  nn replay-seed                      the whole run, as the notebook printed it
  nn replay-seed | less
  nn replay-seed --iterations 3       the first three iterations only

The same as `cargo run -p nn --example seed_notebook`.";

/// Replay the original notebook's run, then the corrected one
///
/// The original Colab notebook trains a 2-3-1 sigmoid network on three
/// students' [study hours, sleep hours] → exam score with NumPy. This prints
/// its training cell's log (epochs 1–5, then every 1000th) and last cell's
/// weights to every digit it printed, then the run from the same weights with
/// the true gradient: the original's update applies sigmoid' to the wrong
/// sums, and its error rises again after 6000 iterations.
#[derive(Debug, Args)]
#[command(after_help = EXAMPLES)]
pub struct ReplayArgs {
    /// How many iterations to train
    #[arg(long, value_name = "N", default_value_t = 10_000)]
    pub iterations: usize,
}

pub fn run(args: ReplayArgs, out: &mut impl Write) -> Result<()> {
    let (log, net) = replay(Rule::AsWritten, args.iterations, &Schedule::Original);
    write!(out, "{}", format_log(&log))?;
    writeln!(out)?;
    write!(out, "{}", format_state(&net))?;

    writeln!(out)?;
    writeln!(
        out,
        "== The same start, trained with the true gradient of ½ Σ (y − ŷ)² =="
    )?;
    let (log, net) = replay(Rule::TrueGradient, args.iterations, &Schedule::Original);
    for entry in &log {
        writeln!(out, "EPOCH {:>5}  에러 {}", entry.epoch, entry.mse)?;
    }
    writeln!(out)?;
    write!(out, "{}", format_state(&net))?;
    Ok(())
}
