//! `nn`: train, check, compare and replay the `nn` crate's networks from a
//! terminal. One file per subcommand; the pieces they share (options,
//! datasets, the run they resolve to, notes, plots, output files) each have
//! a file of their own. The run, the model files and the records are the
//! library's; this crate only adds the terminal.

mod compare;
mod config;
mod dataset;
mod gradcheck;
mod names;
mod notes;
mod output;
mod plot;
mod predict;
mod progress;
mod replay;
mod run;
mod train;

use std::io::Write;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

const EXAMPLES: &str = "\
Examples:
  nn train                                   the original notebook's 2-3-1 network
  nn train --dataset moons --hidden 8,8 --plot loss.svg
  nn train --csv scores.csv --target score --save model.safetensors
  nn predict model.safetensors --input 0.5,0.25
  nn compare adam.json sgd.json --plot compare.svg
  nn gradcheck --dataset spirals --hidden 16
  nn replay-seed

Run `nn help <command>` for a command's flags.";

/// How a neural network learns, from the terminal.
///
/// Trains the small dense networks of the `nn` crate on the original
/// notebook's table, on toy datasets or on a CSV file, with the loss,
/// optimizer and hyperparameters you choose; then plots, saves and compares
/// the runs.
#[derive(Debug, Parser)]
#[command(name = "nn", version, after_help = EXAMPLES)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    Train(train::TrainArgs),
    Predict(predict::PredictArgs),
    Compare(compare::CompareArgs),
    Gradcheck(gradcheck::GradcheckArgs),
    ReplaySeed(replay::ReplayArgs),
}

fn main() -> ExitCode {
    // A panic is a bug in nn; the user still gets one line, not a backtrace.
    std::panic::set_hook(Box::new(|info| {
        let what = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".into());
        let place = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        eprintln!("error: internal error (a bug in nn, please report it): {what}{place}");
    }));

    let cli = Cli::parse();
    let mut stdout = std::io::stdout().lock();
    let result = match cli.command {
        Command::Train(args) => train::run(args, &mut stdout),
        Command::Predict(args) => predict::run(args, &mut stdout),
        Command::Compare(args) => compare::run(args, &mut stdout),
        Command::Gradcheck(args) => gradcheck::run(args, &mut stdout),
        Command::ReplaySeed(args) => replay::run(args, &mut stdout),
    }
    .and_then(|()| Ok(stdout.flush()?));

    match result {
        Ok(()) => ExitCode::SUCCESS,
        // `nn replay-seed | head` closes the pipe early: that is not an error.
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            // `{:#}` joins the error's context and cause on one line.
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_line_is_well_formed() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }
}
