//! One error type for everything a user can get wrong.
//!
//! Every message says what was wrong and what to do about it, because the
//! person reading it is usually in the middle of a notebook cell.
//!
//! ```
//! use nn::prelude::*;
//!
//! let err = Network::builder(2).dense(0, Activation::Sigmoid).build().unwrap_err();
//! assert!(err.to_string().contains("layer 0 has 0 units"));
//! ```

/// What went wrong, with enough context to fix it.
#[derive(Debug, Clone, PartialEq)]
pub enum Error {
    /// Two matrices that must fit together do not.
    Shape {
        /// Where it happened, such as `layer 1 (3 -> 1) input`.
        context: String,
        /// The shape that would have fitted, such as `(rows, 3)`.
        expected: String,
        /// The shape that came.
        got: String,
        /// What to change.
        hint: String,
    },

    /// A hyperparameter outside the range where it makes sense.
    InvalidParameter {
        /// The parameter's name, as the builder method spells it.
        name: &'static str,
        /// The value given, printed.
        value: String,
        /// The valid range, in words.
        valid: &'static str,
    },

    /// Data that cannot be learned from: NaN, empty, ragged, bad labels.
    Data(String),

    /// An output activation and a loss that do not belong together.
    Incompatible {
        /// The loss's name.
        loss: &'static str,
        /// The output layer's activation.
        activation: &'static str,
        /// What to use instead.
        hint: &'static str,
    },

    /// The loss stopped being a finite number.
    Diverged {
        /// The epoch (1-based) in which the loss stopped being finite.
        epoch: usize,
        /// The loss value that was not finite.
        loss: f64,
        /// The learning rate in use.
        learning_rate: f64,
    },

    /// Reading or writing a file failed.
    File {
        /// The file.
        path: String,
        /// What went wrong and what to do.
        message: String,
    },
}

// Written out by hand rather than derived: one derive crate less keeps the
// notebooks' builds short, and every message is visible in one place.
impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::Shape {
                context,
                expected,
                got,
                hint,
            } => write!(
                f,
                "shape mismatch in {context}: expected {expected}, got {got}. {hint}"
            ),
            Error::InvalidParameter { name, value, valid } => {
                write!(f, "invalid {name} = {value}: it must be {valid}")
            }
            Error::Data(message) => write!(f, "invalid data: {message}"),
            Error::Incompatible {
                loss,
                activation,
                hint,
            } => write!(
                f,
                "{loss} cannot follow an output layer with {activation}: {hint}"
            ),
            Error::Diverged {
                epoch,
                loss,
                learning_rate,
            } => write!(
                f,
                "training diverged at epoch {epoch}: the loss became {loss}. Try a smaller \
                 learning rate (it was {learning_rate}); the network keeps the weights of its \
                 last finite step"
            ),
            Error::File { path, message } => write!(f, "{path}: {message}"),
        }
    }
}

impl std::error::Error for Error {}

/// `Result` with this crate's [`Error`].
pub type Result<T> = std::result::Result<T, Error>;

/// Formats a shape the way NumPy prints it: `(3, 2)`.
pub(crate) fn shape_of(rows: usize, cols: usize) -> String {
    format!("({rows}, {cols})")
}

/// Checks that every entry is finite; `what` names the matrix in the message.
pub(crate) fn check_finite(m: &ndarray::Array2<f64>, what: &str) -> Result<()> {
    match m.indexed_iter().find(|(_, v)| !v.is_finite()) {
        None => Ok(()),
        Some(((r, c), v)) => Err(Error::Data(format!(
            "{what} has {v} at row {r}, column {c}; remove or replace non-finite values before training"
        ))),
    }
}
