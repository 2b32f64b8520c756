//! `nn train`: build a network, train it epoch by epoch with a progress
//! bar, print a summary, and write the plot, model and record asked for.

use std::io::Write;
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::Result;
use clap::Args;
use nn::io::{ModelInfo, RunRecord};
use nn::network::Network;
use nn::run::RunConfig;
use nn::snapshot::{Recorder, Recording};
use nn::train::{History, Schedule, Trainer};

use crate::config::RunOptions;
use crate::dataset::{self, Loaded};
use crate::output;
use crate::plot::{self, Curve};
use crate::progress::{self, Progress};
use crate::{notes, run};

const EXAMPLES: &str = "\
Examples:
  nn train
      the original notebook's table and 2-3-1 sigmoid network, trained by GD
  nn train --dataset moons --hidden 8,8 --activation tanh --optimizer adam --lr 0.01 --plot loss.svg
  nn train --dataset spirals --classes 3 --hidden 32 --epochs 2000 --batch-size 32 --validation-split 0.2
  nn train --csv scores.csv --target score --layers 4,1 --save model.safetensors --record run.json
  nn train --config run.toml --seed 7          flags override the file's settings
  nn train --dataset moons --hidden 8,8 --activation tanh --optimizer adam --lr 0.02 --player run.html
      a page with a slider over 50 snapshots of the run: open it in any browser

A config file uses the flags' names with `_` for `-`:
  dataset = \"moons\"
  hidden = [8, 8]
  activation = \"tanh\"
  optimizer = \"adam\"
  learning_rate = 0.01
  epochs = 500";

/// Train a network and report how its loss went down
///
/// The data, network and training come from flags or from a TOML file
/// (`--config`); a flag overrides the file. Progress goes to stderr (a bar in
/// a terminal, plain lines otherwise), the summary to stdout. Output files
/// are never overwritten unless `--force` is given.
#[derive(Debug, Args)]
#[command(after_help = EXAMPLES)]
pub struct TrainArgs {
    /// Read settings from a TOML file; flags override them
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    #[command(flatten)]
    pub options: RunOptions,

    /// Write the loss curve (and validation loss) to an SVG file
    #[arg(long, value_name = "FILE", help_heading = "Output")]
    pub plot: Option<PathBuf>,

    /// Save the trained model as safetensors, for `nn predict`
    #[arg(long, value_name = "FILE", help_heading = "Output")]
    pub save: Option<PathBuf>,

    /// Write the run record as JSON, for `nn compare`: the whole run, every epoch's figures
    #[arg(long, value_name = "FILE", help_heading = "Output")]
    pub record: Option<PathBuf>,

    /// Write a training player: an HTML page with a slider over 50 snapshots
    /// of the run (the network, its decision boundary or fit, the loss), for
    /// a network with 1 or 2 inputs
    #[arg(long, value_name = "FILE", help_heading = "Output")]
    pub player: Option<PathBuf>,

    /// Overwrite output files that already exist
    #[arg(long, help_heading = "Output")]
    pub force: bool,

    /// Print no progress, only the summary
    #[arg(long, short, help_heading = "Output")]
    pub quiet: bool,

    /// Print a progress line every N epochs instead of a bar
    #[arg(long, value_name = "N", help_heading = "Output")]
    pub log_every: Option<usize>,
}

pub fn run(args: TrainArgs, out: &mut impl Write) -> Result<()> {
    let outputs: Vec<&Path> = [&args.plot, &args.save, &args.record, &args.player]
        .into_iter()
        .flatten()
        .map(PathBuf::as_path)
        .collect();
    output::check_free(&outputs, args.force)?;

    let options = args.options.clone().with_config(args.config.as_deref())?;
    let seed = options.seed.unwrap_or(42);
    let mut data = dataset::load(&options, seed)?;
    let run = run::resolve(&options, &data)?;
    data.prepare_targets(run.training.loss, run::outputs(&run.network))?;
    // Every mistake in the settings is reported before any output.
    run.training.check()?;
    let mut net = run.network.build()?;
    net.check_loss(run.training.loss, &data.data.y)?;
    if args.player.is_some() {
        check_player(&net, &data)?;
    }

    writeln!(out, "data      {}", data.describe())?;
    writeln!(out, "network   {net}")?;
    writeln!(
        out,
        "training  {}, {} epochs, {} loss",
        run::training_label(&run.training),
        run.training.epochs,
        run.training.loss
    )?;
    out.flush()?;

    let progress = Progress::new(run.training.epochs, args.quiet, args.log_every);
    let mut recorder = Recorder::new(Schedule::log_spaced(PLAYER_SNAPSHOTS, run.training.epochs));
    let start = Instant::now();
    let result = {
        let mut trainer = Trainer::from_config(run.training.clone()).on_epoch(|e| {
            progress.epoch(&e.stats);
            ControlFlow::Continue(())
        });
        if args.player.is_some() {
            trainer = trainer.observe(&mut recorder);
        }
        trainer.fit(&mut net, &data.data)
    };
    progress.finish();
    let history = result?;
    let Some(last) = history.epochs.last() else {
        anyhow::bail!("the run trained no epoch; give --epochs 1 or more");
    };
    let elapsed = start.elapsed();

    writeln!(out)?;
    writeln!(out, "final     {}", progress::figures(last))?;
    if let Some(best) = history.best_epoch {
        writeln!(
            out,
            "kept      the weights of epoch {best}, the lowest validation loss"
        )?;
    }
    writeln!(
        out,
        "time      {:.2} s ({:.0} epochs/s)",
        elapsed.as_secs_f64(),
        history.epochs.len() as f64 / elapsed.as_secs_f64().max(1e-9)
    )?;

    let finished = Finished {
        run,
        history,
        net,
        data,
        options,
        seed,
        recording: recorder.finish(),
    };
    write_outputs(&args, &finished, out)
}

/// A finished run and what it was trained on.
struct Finished {
    run: RunConfig,
    history: History,
    net: Network,
    data: Loaded,
    options: RunOptions,
    seed: u64,
    /// The snapshots for `--player` (empty without it).
    recording: Recording,
}

/// Snapshots in a `--player` page: enough to watch the boundary form, few
/// enough that the page stays near 1 MB (see nn::plot::Player).
const PLAYER_SNAPSHOTS: usize = 50;

/// Before training: can the player draw this network? It draws the plane
/// of 2 inputs (the Playground view, at most 32 units a layer) or the
/// curve of 1.
fn check_player(net: &Network, data: &Loaded) -> Result<()> {
    match net.inputs() {
        1 => Ok(()),
        2 => match nn::plot::playground(net, &data.data) {
            Ok(_) => Ok(()),
            Err(e) => anyhow::bail!("--player cannot draw this network: {e}"),
        },
        n => anyhow::bail!(
            "--player draws networks with 1 or 2 inputs (a curve or a plane), \
             but this one takes {n}; leave out --player, or pick 1 or 2 features"
        ),
    }
}

fn write_outputs(args: &TrainArgs, f: &Finished, out: &mut impl Write) -> Result<()> {
    if let Some(path) = &args.plot {
        let mut curves = vec![Curve {
            label: "training loss".into(),
            values: f.history.losses(),
        }];
        let val_losses = f.history.val_losses();
        if !val_losses.is_empty() {
            curves.push(Curve {
                label: "validation loss".into(),
                values: val_losses,
            });
        }
        let title = format!("{} on {}", f.net, f.data.name);
        output::write(
            path,
            plot::loss_curves(&title, &curves)?.as_bytes(),
            args.force,
        )?;
        writeln!(out, "wrote     {} (loss curve)", path.display())?;
    }
    if let Some(path) = &args.save {
        let mut info = ModelInfo::new(&f.run.network, &f.history);
        info.scaler = f.data.scaler.clone();
        info.extra = notes::for_model(&f.data);
        output::write(path, &f.net.to_safetensors(&info)?, args.force)?;
        writeln!(out, "wrote     {} (model)", path.display())?;
    }
    if let Some(path) = &args.record {
        let mut record = RunRecord::new(&f.run.network, &f.history);
        record.extra = notes::for_record(&f.data, &f.options, f.seed);
        let mut json = record.to_json()?;
        json.push('\n');
        output::write(path, json.as_bytes(), args.force)?;
        writeln!(out, "wrote     {} (run record)", path.display())?;
    }
    if let Some(path) = &args.player {
        let title = format!("{} on {}", f.net, f.data.name);
        // The library writes the page atomically; the path was checked free
        // before training.
        let page = nn::plot::Player::new(&f.recording).title(&title).draw()?;
        page.save(path)?;
        writeln!(
            out,
            "wrote     {} (training player, {} snapshots, {} KB; open it in a browser)",
            path.display(),
            page.frames(),
            page.html_page().len().div_ceil(1000)
        )?;
    }
    Ok(())
}
