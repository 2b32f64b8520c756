//! `nn compare`: runs side by side, as a table of settings and final losses
//! and as loss curves in one plot.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Result;
use clap::Args;
use nn::io::RunRecord;

use crate::plot::{self, Curve};
use crate::{output, progress, run};

const EXAMPLES: &str = "\
Examples:
  nn train --dataset moons --optimizer sgd --record sgd.json
  nn train --dataset moons --optimizer adam --record adam.json
  nn compare sgd.json adam.json --plot compare.svg";

/// Compare runs recorded by `nn train --record`
///
/// Prints each run's settings and final figures in a table and, with
/// `--plot`, draws their training-loss curves in one SVG. Each record holds
/// its whole run (network, optimizer, batch size, seeds); the data is the
/// note `nn train` adds to it, `-` for a record saved by library code.
#[derive(Debug, Args)]
#[command(after_help = EXAMPLES)]
pub struct CompareArgs {
    /// Run records (JSON) written by `nn train --record FILE` or by the library (`RunRecord::save`)
    #[arg(required = true, value_name = "RUN.json")]
    pub runs: Vec<PathBuf>,

    /// Draw the runs' loss curves into one SVG file
    #[arg(long, value_name = "FILE")]
    pub plot: Option<PathBuf>,

    /// Overwrite the plot file if it exists
    #[arg(long)]
    pub force: bool,
}

pub fn run(args: CompareArgs, out: &mut impl Write) -> Result<()> {
    if let Some(plot) = &args.plot {
        output::check_free(&[plot.as_path()], args.force)?;
    }
    let runs: Vec<(String, RunRecord)> = args
        .runs
        .iter()
        .map(|p| Ok((p.display().to_string(), RunRecord::load(p)?)))
        .collect::<Result<_>>()?;

    let header = [
        "run",
        "data",
        "network",
        "loss",
        "optimizer",
        "epochs",
        "seed",
        "final loss",
        "accuracy",
        "val loss",
    ];
    let rows: Vec<Vec<String>> = runs.iter().map(|(name, run)| row(name, run)).collect();
    print_table(out, &header, &rows)?;

    if let Some(path) = &args.plot {
        let curves: Vec<Curve> = runs
            .iter()
            .map(|(name, record)| Curve {
                label: format!("{name}: {}", run::training_label(&record.run.training)),
                values: record.epochs.iter().map(|e| e.loss).collect(),
            })
            .collect();
        let svg = plot::loss_curves("training loss", &curves)?;
        output::write(path, svg.as_bytes(), args.force)?;
        writeln!(out, "\nwrote {} ({} curves)", path.display(), curves.len())?;
    }
    Ok(())
}

/// One run's cells, all from its record.
fn row(name: &str, record: &RunRecord) -> Vec<String> {
    let (network, training) = (&record.run.network, &record.run.training);
    let last = record.epochs.last();
    let or_dash = |v: Option<String>| v.unwrap_or_else(|| "-".into());
    // One seed for both unless the record says otherwise.
    let seed = if network.seed == training.seed {
        network.seed.to_string()
    } else {
        format!("{}/{}", network.seed, training.seed)
    };
    vec![
        name.to_string(),
        or_dash(record.extra.get("data").cloned()),
        run::sizes_label(network),
        training.loss.to_string(),
        run::training_label(training),
        or_dash(last.map(|e| e.epoch.to_string())),
        seed,
        progress::loss(record.final_loss),
        or_dash(last.and_then(|e| e.accuracy).map(|a| format!("{a:.3}"))),
        or_dash(last.and_then(|e| e.val_loss).map(progress::loss)),
    ]
}

/// Columns padded to their widest cell, two spaces apart.
fn print_table(out: &mut impl Write, header: &[&str], rows: &[Vec<String>]) -> Result<()> {
    let width = |i: usize| {
        rows.iter()
            .map(|r| r[i].chars().count())
            .chain([header[i].chars().count()])
            .max()
            .unwrap_or(0)
    };
    let widths: Vec<usize> = (0..header.len()).map(width).collect();
    let line = |cells: Vec<&str>| {
        cells
            .iter()
            .zip(&widths)
            .map(|(c, w)| format!("{c:<w$}"))
            .collect::<Vec<_>>()
            .join("  ")
            .trim_end()
            .to_string()
    };
    writeln!(out, "{}", line(header.to_vec()))?;
    for r in rows {
        writeln!(out, "{}", line(r.iter().map(String::as_str).collect()))?;
    }
    Ok(())
}
