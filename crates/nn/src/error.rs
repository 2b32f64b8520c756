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
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Error {
    /// Two matrices that must fit together do not.
    #[error("shape mismatch in {context}: expected {expected}, got {got}. {hint}")]
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
    #[error("invalid {name} = {value}: it must be {valid}")]
    InvalidParameter {
        /// The parameter's name, as the builder method spells it.
        name: &'static str,
        /// The value given, printed.
        value: String,
        /// The valid range, in words.
        valid: &'static str,
    },

    /// Data that cannot be learned from: NaN, empty, ragged, bad labels.
    #[error("invalid data: {0}")]
    Data(String),

    /// An output activation and a loss that do not belong together.
    #[error("{loss} cannot follow an output layer with {activation}: {hint}")]
    Incompatible {
        /// The loss's name.
        loss: &'static str,
        /// The output layer's activation.
        activation: &'static str,
        /// What to use instead.
        hint: &'static str,
    },

    /// The loss stopped being a finite number.
    #[error(
        "training diverged at epoch {epoch}: the loss became {loss}. Try a smaller learning rate \
         (it was {learning_rate}); the network keeps the weights of its last finite step"
    )]
    Diverged {
        /// The epoch (1-based) in which the loss stopped being finite.
        epoch: usize,
        /// The loss value that was not finite.
        loss: f64,
        /// The learning rate in use.
        learning_rate: f64,
    },

    /// Reading or writing a file failed.
    #[error("{path}: {message}")]
    File {
        /// The file.
        path: String,
        /// What went wrong and what to do.
        message: String,
    },
}

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
