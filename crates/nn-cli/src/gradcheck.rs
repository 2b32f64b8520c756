//! `nn gradcheck`: is backprop right? Compares its gradients with finite
//! differences, layer by layer, for a network given as to `nn train`.

use std::io::Write;
use std::path::PathBuf;

use anyhow::{bail, Result};
use clap::Args;
use nn::activation::Activation;
use nn::gradcheck::{compare, gradient_check, numerical_gradients, GradCheck};
use nn::loss::Loss;
use nn::ndarray::{s, Array2, Axis};
use nn::network::Network;
use nn::original::{OriginalNetwork, Rule};
use nn::train::Trainer;

use crate::config::RunOptions;
use crate::{dataset, run};

const EXAMPLES: &str = "\
Examples:
  nn gradcheck                                    the original's 2-3-1 sigmoid network
  nn gradcheck --dataset spirals --hidden 16,16 --activation relu   ReLU and its kink at 0
  nn gradcheck --dataset moons --epochs 200       check after 200 epochs of training
  nn gradcheck --original                         the original notebook's update rule

The relative error is |backprop − finite difference| / max(|backprop|, |finite
difference|, 1e-4), the largest over each layer's weights and biases.
About 1e-9 means backprop is right; near 1 means it is wrong. The command
exits with status 1 when an error is not below --tolerance (with --original:
when the true gradient's is not; the rule as written is expected to fail).";

/// Check backprop's gradients against finite differences
///
/// Nudges every weight and bias by ±1e-5, measures the loss, and compares
/// the slope with the gradient backpropagation gives. The network, data and
/// loss are given as to `nn train`; the check runs on the first weights, or
/// after `--epochs N` of training with the given training settings.
#[derive(Debug, Args)]
#[command(after_help = EXAMPLES)]
pub struct GradcheckArgs {
    /// Read settings from a TOML file, as `nn train --config`
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    #[command(flatten)]
    pub options: RunOptions,

    /// Check on at most this many rows of the data
    #[arg(long, value_name = "N", default_value_t = 100)]
    pub rows: usize,

    /// The largest relative error that counts as agreeing
    #[arg(long, value_name = "TOL", default_value_t = 1e-6)]
    pub tolerance: f64,

    /// Check the original notebook's update rule, as written and corrected
    #[arg(long, conflicts_with_all = ["config", "dataset", "csv", "layers", "hidden"])]
    pub original: bool,
}

pub fn run(args: GradcheckArgs, out: &mut impl Write) -> Result<()> {
    let tolerance = args.tolerance;
    if !(tolerance > 0.0 && tolerance.is_finite()) {
        bail!("--tolerance {tolerance}: give a relative error > 0, such as 1e-6");
    }
    if args.original {
        return original(out, tolerance);
    }
    let mut options = args.options.with_config(args.config.as_deref())?;
    // Unlike `train`, no epochs means none: check the first weights.
    let epochs = options.epochs.take().unwrap_or(0);
    options.epochs = Some(epochs.max(1));
    let mut data = dataset::load(&options, options.seed.unwrap_or(42))?;
    let run = run::resolve(&options, &data)?;
    let mut net = run.network.build()?;
    if epochs > 0 {
        Trainer::from_config(run.training.clone()).fit(&mut net, &data.data)?;
    }
    let rows = args.rows.clamp(1, data.data.len());
    let x = data.data.x.slice(s![..rows, ..]).to_owned();
    data.prepare_targets(run.training.loss, run::outputs(&run.network))?;
    let y = data.data.y.slice(s![..rows, ..]).to_owned();
    let loss = run.training.loss;

    writeln!(out, "network   {net}")?;
    writeln!(out, "data      {} (checked on {rows})", data.describe())?;
    writeln!(
        out,
        "weights   {}",
        if epochs == 0 {
            format!(
                "as initialised ({}, seed {})",
                run.network.init.name(),
                run.network.seed
            )
        } else {
            format!(
                "after {} of {}",
                nn::error::count(epochs, "epoch", "epochs"),
                run::training_label(&run.training)
            )
        }
    )?;
    writeln!(out, "loss      {}", loss.name())?;
    let check = gradient_check(&net, loss, &x, &y)?;
    report(out, &check, tolerance)?;
    if check.passes(tolerance) {
        return Ok(());
    }
    // ReLU has no slope at z = 0: a row that puts a unit there (the point
    // (0, 0) with zero biases, say) makes the nudges ±ε straddle the kink.
    let (smooth, kinked) = rows_off_kinks(&net, &x)?;
    if kinked == 0 || smooth.is_empty() {
        return verdict(&check, tolerance);
    }
    writeln!(
        out,
        "\nnote      {kinked} of {rows} rows put a ReLU unit at its kink (|z| < {KINK:.0e}), where its slope jumps\n          \
         from 0 to 1 and finite differences cannot measure it. Without those rows:"
    )?;
    let check = gradient_check(
        &net,
        loss,
        &x.select(Axis(0), &smooth),
        &y.select(Axis(0), &smooth),
    )?;
    report(out, &check, tolerance)?;
    verdict(&check, tolerance)
}

/// Success if `check` passes, else the error that makes the exit status 1.
fn verdict(check: &GradCheck, tolerance: f64) -> Result<()> {
    if check.passes(tolerance) {
        return Ok(());
    }
    bail!(
        "backprop disagrees with the finite differences: the largest relative error is {:.1e}, \
         not below --tolerance {tolerance:e}",
        check.max()
    )
}

/// How close to 0 a ReLU unit's z counts as at the kink: the nudges of ε =
/// 1e-5 move z by about that much.
const KINK: f64 = 1e-4;

/// The rows where no ReLU unit is at its kink, and how many others there are.
fn rows_off_kinks(net: &Network, x: &Array2<f64>) -> Result<(Vec<usize>, usize)> {
    let pass = net.forward(x)?;
    let at_kink = |r: usize| {
        net.layers.iter().zip(&pass.layers).any(|(layer, p)| {
            layer.activation == Activation::Relu && p.z.row(r).iter().any(|z| z.abs() < KINK)
        })
    };
    let smooth: Vec<usize> = (0..x.nrows()).filter(|&r| !at_kink(r)).collect();
    let kinked = x.nrows() - smooth.len();
    Ok((smooth, kinked))
}

/// The original's two update rules against finite differences of the loss
/// it descends, ½ Σ (y − ŷ)², at its first weights.
fn original(out: &mut impl Write, tolerance: f64) -> Result<()> {
    let d = nn::data::study_sleep();
    let start = OriginalNetwork::new();
    let net = start.to_network()?;
    // ½ Σ (y − ŷ)² over 3 rows and 1 output is 1.5 × the MSE.
    let half_sse = |n: &Network| Ok(1.5 * n.loss(Loss::Mse, &d.x, &d.y)?);
    let numeric = numerical_gradients(&net, half_sse)?;
    writeln!(
        out,
        "network   {net} (the original notebook's, at its first weights)"
    )?;
    writeln!(out, "loss      ½ Σ (y − ŷ)², which the original descends")?;
    writeln!(out)?;
    writeln!(
        out,
        "the update as written: sigmoidPrime(o) and sigmoidPrime(output_sum)"
    )?;
    report(
        out,
        &compare(&start.gradients(&d.x, &d.y, Rule::AsWritten), &numeric)?,
        tolerance,
    )?;
    writeln!(out)?;
    writeln!(
        out,
        "the chain rule: sigmoidPrime(output_sum) and sigmoidPrime(hidden_sum)"
    )?;
    // The rule as written is the lesson: only the true gradient must pass.
    let truth = compare(&start.gradients(&d.x, &d.y, Rule::TrueGradient), &numeric)?;
    report(out, &truth, tolerance)?;
    verdict(&truth, tolerance)
}

/// The per-layer errors and a verdict on the largest.
fn report(out: &mut impl Write, check: &GradCheck, tolerance: f64) -> Result<()> {
    write!(out, "{check}")?;
    let max = check.max();
    let verdict = if check.passes(tolerance) {
        "backprop agrees with the finite differences"
    } else if max < 1e-3 {
        "close, but larger than rounding explains: look again"
    } else {
        "backprop disagrees with the finite differences"
    };
    writeln!(out, "largest   {max:.1e}: {verdict}")?;
    Ok(())
}
