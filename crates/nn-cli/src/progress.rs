//! Training progress on stderr: a bar with the current loss when stderr is
//! a terminal, plain lines now and then when it is a file or a pipe (where a
//! bar's redraws would be noise), nothing with `--quiet`.

use std::io::IsTerminal;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use nn::train::EpochStats;

pub enum Progress {
    Bar(ProgressBar),
    /// A line at epoch 1, every `every` epochs, and at the last.
    Lines {
        every: usize,
        total: usize,
    },
    Quiet,
}

impl Progress {
    /// Progress for `total` epochs; `every` overrides the plain lines'
    /// interval (default: about ten lines per run).
    pub fn new(total: usize, quiet: bool, every: Option<usize>) -> Progress {
        if quiet {
            Progress::Quiet
        } else if std::io::stderr().is_terminal() && every.is_none() {
            let bar = ProgressBar::with_draw_target(
                Some(total as u64),
                ProgressDrawTarget::stderr_with_hz(10),
            );
            bar.set_style(
                ProgressStyle::with_template(
                    // The figures come last and are cut to the terminal's width, so the bar never wraps.
                    "{spinner:.green} epoch {pos:>5}/{len} [{bar:25.cyan/blue}] {elapsed:>3} eta {eta:<3} {wide_msg}",
                )
                .expect("the template is valid")
                .progress_chars("=> "),
            );
            bar.enable_steady_tick(Duration::from_millis(100));
            Progress::Bar(bar)
        } else {
            let every = every.unwrap_or_else(|| nice_interval(total / 10)).max(1);
            Progress::Lines { every, total }
        }
    }

    /// Shows one finished epoch.
    pub fn epoch(&self, e: &EpochStats) {
        match self {
            Progress::Bar(bar) => {
                bar.set_position(e.epoch as u64);
                bar.set_message(figures(e));
            }
            Progress::Lines { every, total } => {
                if e.epoch == 1 || e.epoch % every == 0 || e.epoch == *total {
                    eprintln!(
                        "epoch {:>w$}/{total}  {}",
                        e.epoch,
                        figures(e),
                        w = digits(*total)
                    );
                }
            }
            Progress::Quiet => {}
        }
    }

    /// Clears the bar, so that the summary starts on a clean line.
    pub fn finish(&self) {
        if let Progress::Bar(bar) = self {
            bar.finish_and_clear();
        }
    }
}

/// `loss 0.012345  accuracy 0.950  val_loss …`.
pub fn figures(e: &EpochStats) -> String {
    let mut s = format!("loss {}", loss(e.loss));
    if let Some(a) = e.accuracy {
        s += &format!("  accuracy {a:.3}");
    }
    if let Some(v) = e.val_loss {
        s += &format!("  val_loss {}", loss(v));
    }
    if let Some(a) = e.val_accuracy {
        s += &format!("  val_accuracy {a:.3}");
    }
    s
}

/// A loss with six decimals, or in scientific notation where those would
/// show nothing (tiny losses) or far too much (a run blowing up).
pub fn loss(v: f64) -> String {
    if v == 0.0 || (1e-4..1e6).contains(&v.abs()) {
        format!("{v:.6}")
    } else {
        format!("{v:.4e}")
    }
}

/// The round number (1, 2, 5, 10, 20, 50, …) at or below `n`.
fn nice_interval(n: usize) -> usize {
    let mut step = 1;
    let mut decade = 1;
    loop {
        for m in [1, 2, 5] {
            if m * decade > n {
                return step;
            }
            step = m * decade;
        }
        decade *= 10;
    }
}

fn digits(n: usize) -> usize {
    n.to_string().len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn losses_stay_short() {
        assert_eq!(loss(0.0123456789), "0.012346");
        assert_eq!(loss(1.5e-7), "1.5000e-7");
        assert_eq!(loss(2.4e130), "2.4000e130");
    }

    #[test]
    fn intervals_are_round() {
        assert_eq!(nice_interval(0), 1);
        assert_eq!(nice_interval(1000), 1000);
        assert_eq!(nice_interval(300), 200);
        assert_eq!(nice_interval(49), 20);
    }
}
