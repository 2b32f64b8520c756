//! Exercises that check themselves: you write one step, the crate says
//! whether it is right.
//!
//! Each notebook ends with a few exercises. You write a function — the
//! softmax, a bias gradient, one gradient-descent step — and hand it to a
//! `check_…` function here, which runs it on a few inputs, compares what
//! it returns with the crate's own answer, and prints one line:
//!
//! - `✓ correct: …` and what it was checked on, or
//! - `not yet: …` and what differs, where, and by how much, with a hint
//!   when the difference looks like a common slip.
//!
//! A check never panics and never returns an error, so a notebook with
//! unsolved exercises still runs from top to bottom. A function that
//! panics (a shape mismatch inside ndarray, an `unwrap` on `None`) is
//! caught and reported as `not yet: your function panicked: …`. While your
//! function runs, the panic message is kept from the notebook's error
//! output, so the line the check prints is the only thing you see.
//!
//! | notebook | checks |
//! | --- | --- |
//! | 2. forward pass | [`check_softmax`], [`check_dense`], [`check_forward`] |
//! | 3. losses | [`check_mae_gradient`], [`check_binary_cross_entropy`], [`check_cross_entropy_delta`] |
//! | 4. backprop | [`check_bias_gradient`], [`check_weight_gradient`], [`check_hidden_delta`] |
//! | 5. training | [`check_gd_step`], [`check_training_step`], [`check_epoch_loss`] |
//! | 6. optimizers | [`check_batches`], [`check_momentum_step`], [`check_adam_steps`] |
//! | 7. classification | [`check_accuracy`], [`check_one_hot`] |
//!
//! ```
//! use nn::prelude::*;
//!
//! fn my_softmax(z: &Array2<f64>) -> Array2<f64> {
//!     z.clone() // not the softmax yet
//! }
//! let verdict = nn::exercises::check_softmax(my_softmax);
//! assert!(verdict.to_string().starts_with("not yet: "));
//! ```

use std::fmt;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Mutex;

use ndarray::{array, Array2, Axis};

use crate::activation::Activation;
use crate::data::Dataset;
use crate::display::number;
use crate::init::NumpyRng;
use crate::layer::Dense;
use crate::loss::Loss;
use crate::network::{Gradients, Network};
use crate::optimizer::{AdamState, MomentumState, Optimizer, OptimizerState};

mod backprop;
mod classification;
mod forward;
mod losses;
mod optimizers;
mod training;

pub use backprop::{check_bias_gradient, check_hidden_delta, check_weight_gradient};
pub use classification::{check_accuracy, check_one_hot};
pub use forward::{check_dense, check_forward, check_softmax};
pub use losses::{check_binary_cross_entropy, check_cross_entropy_delta, check_mae_gradient};
pub use optimizers::{check_adam_steps, check_batches, check_momentum_step, AdamStep};
pub use training::{check_epoch_loss, check_gd_step, check_training_step};

/// What a check found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Right on every input; says what it was checked on.
    Correct(String),
    /// Not right yet; says what differs, where, and by how much.
    NotYet(String),
}

impl Verdict {
    /// Whether the function was right.
    ///
    /// ```
    /// use nn::exercises::Verdict;
    /// assert!(Verdict::Correct("on 3 rows".into()).is_correct());
    /// ```
    pub fn is_correct(&self) -> bool {
        matches!(self, Verdict::Correct(_))
    }

    /// Shows nothing more: the check has already printed its line. (evcxr
    /// calls this for a cell that ends in a check without a semicolon.)
    ///
    /// ```
    /// nn::exercises::Verdict::NotYet("try again".into()).evcxr_display();
    /// ```
    pub fn evcxr_display(&self) {}
}

impl fmt::Display for Verdict {
    /// `✓ correct: …` or `not yet: …`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Verdict::Correct(what) => write!(f, "✓ correct: {what}"),
            Verdict::NotYet(why) => write!(f, "not yet: {why}"),
        }
    }
}

/// What a check returns inside: `Ok(what it was checked on)` or
/// `Err(what differs)`.
type Outcome = std::result::Result<String, String>;

/// Prints the verdict of `check` and returns it.
fn conclude(check: impl FnOnce() -> Outcome) -> Verdict {
    let verdict = match check() {
        Ok(what) => Verdict::Correct(what),
        Err(why) => Verdict::NotYet(why),
    };
    println!("{verdict}");
    verdict
}

/// Only one check at a time swaps the panic hook, so that two checks on two
/// threads cannot leave the silent hook installed for good.
static HOOK: Mutex<()> = Mutex::new(());

/// Runs the learner's function, turning a panic into a sentence. The
/// default hook would print "thread panicked at …" on stderr, which reads
/// as a crash in a notebook; a silent one is installed while `f` runs.
fn attempt<T>(f: impl FnOnce() -> T) -> std::result::Result<T, String> {
    let _one_at_a_time = HOOK.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let previous = panic::take_hook();
    panic::set_hook(Box::new(|_| {}));
    let result = panic::catch_unwind(AssertUnwindSafe(f));
    panic::set_hook(previous);
    result.map_err(|payload| {
        let message = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "(no message)".into());
        let hint = if message.contains("IncompatibleShape") || message.contains("broadcast") {
            ". Hint: an element-wise +, −, * or / met two matrices whose shapes do not fit; \
             print each one's .dim() to see which"
        } else {
            ""
        };
        format!("your function panicked: {message}{hint}")
    })
}

/// Whether two numbers agree to rounding: a different order of additions
/// changes the last few bits, never more.
fn close(a: f64, b: f64) -> bool {
    a == b || (a - b).abs() <= 1e-9 * a.abs().max(b.abs()) + 1e-14
}

fn all_close(a: &Array2<f64>, b: &Array2<f64>) -> bool {
    a.dim() == b.dim() && a.iter().zip(b).all(|(&x, &y)| close(x, y))
}

/// A small matrix written out, such as `[[1, 2], [3, 4]]`.
fn brief(m: &Array2<f64>) -> String {
    let rows: Vec<String> = m
        .rows()
        .into_iter()
        .map(|r| {
            let cells: Vec<String> = r.iter().map(|&v| number(v)).collect();
            format!("[{}]", cells.join(", "))
        })
        .collect();
    format!("[{}]", rows.join(", "))
}

/// How far apart two numbers are: 0.25 for large gaps, 3.1e-7 for small.
fn gap(difference: f64) -> String {
    let d = difference.abs();
    if d >= 1e-3 {
        number(d)
    } else {
        format!("{d:.1e}")
    }
}

fn shape(m: &Array2<f64>) -> String {
    format!("{} × {}", m.nrows(), m.ncols())
}

/// Compares the learner's matrix `got` with `want`: the shape, then every
/// entry. `what` names it in the sentence, such as "the softmax of
/// [[1, 2, 3]]".
fn same_matrix(
    what: &str,
    got: &Array2<f64>,
    want: &Array2<f64>,
) -> std::result::Result<(), String> {
    if got.dim() != want.dim() {
        return Err(format!(
            "{what} should be {}, but yours is {}",
            shape(want),
            shape(got)
        ));
    }
    if let Some(((r, c), v)) = got.indexed_iter().find(|(_, v)| !v.is_finite()) {
        return Err(format!(
            "{what}: row {r}, column {c} is {v} (expected {})",
            number(want[[r, c]])
        ));
    }
    let wrong: Vec<((usize, usize), f64)> = got
        .indexed_iter()
        .filter(|&(i, &v)| !close(v, want[i]))
        .map(|(i, &v)| (i, v))
        .collect();
    match wrong.first() {
        None => Ok(()),
        Some(&((r, c), v)) => {
            let others = match wrong.len() {
                1 => String::new(),
                n => format!("; {n} of its {} entries differ", got.len()),
            };
            Err(format!(
                "{what}: row {r}, column {c} is {}, expected {} (off by {}){others}",
                number(v),
                number(want[[r, c]]),
                gap(v - want[[r, c]])
            ))
        }
    }
}

fn same_number(what: &str, got: f64, want: f64) -> std::result::Result<(), String> {
    if close(got, want) {
        return Ok(());
    }
    Err(format!(
        "{what} is {}, expected {} (off by {})",
        number(got),
        number(want),
        gap(got - want)
    ))
}

/// The first hint whose mistaken answer `got` matches, appended to `why`.
fn with_hint(why: String, got: &Array2<f64>, hints: &[(Array2<f64>, &str)]) -> String {
    match hints.iter().find(|(mistake, _)| all_close(got, mistake)) {
        Some((_, hint)) => format!("{why}. Hint: {hint}"),
        None => why,
    }
}

fn sigmoid(z: &Array2<f64>) -> Array2<f64> {
    Activation::Sigmoid.apply(z)
}

/// The original network's starting weights (notebook 1): w1 2 × 3, w2 3 × 1.
fn original_weights() -> (Array2<f64>, Array2<f64>) {
    let mut rng = NumpyRng::new(42).skip_normals(45);
    (rng.randn_matrix(2, 3), rng.randn_matrix(3, 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(super) fn not_yet(v: Verdict) -> String {
        match v {
            Verdict::NotYet(why) => why,
            Verdict::Correct(what) => panic!("expected 'not yet', got correct: {what}"),
        }
    }

    #[test]
    fn a_panicking_function_is_reported_not_raised() {
        let why = not_yet(check_softmax(|_| panic!("index out of bounds")));
        assert_eq!(why, "your function panicked: index out of bounds");
        let why = not_yet(check_bias_gradient(|d| {
            let wrong = Array2::<f64>::zeros((2, 2));
            d + &wrong // ndarray panics: the shapes do not broadcast
        }));
        assert!(
            why.starts_with("your function panicked: called `Result::unwrap()`"),
            "{why}"
        );
        assert!(
            why.ends_with("print each one's .dim() to see which"),
            "{why}"
        );
    }

    #[test]
    fn shapes_are_named_in_words() {
        let why = not_yet(check_bias_gradient(|d| {
            d.sum_axis(Axis(1)).insert_axis(Axis(1))
        }));
        assert!(
            why.starts_with("∂L/∂b for a δ of 3 × 3 should be 1 × 3, but yours is 3 × 1"),
            "{why}"
        );
        assert!(why.contains("sum over the rows (Axis(0))"), "{why}");
    }
}
