//! One error type for everything a user can get wrong.
//!
//! Every message says what was wrong and what to do about it, because the
//! person reading it is usually in the middle of a notebook cell. The kinds
//! can be told apart with `match`: bad data, a network that cannot run as it
//! is, a file, a plot, a hyperparameter, two matrices that do not fit.
//! Layers are numbered from 1 in every message, as in the notebooks' W¹, W².
//!
//! ```
//! use nn::prelude::*;
//!
//! let err = Network::builder(2).dense(0, Activation::Sigmoid).build().unwrap_err();
//! assert!(matches!(err, Error::Network(_)));
//! assert_eq!(err.to_string(), "invalid network: layer 1 has 0 units; every layer needs at least 1");
//! ```

use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;

/// The shape a matrix should have had: each side a number, or `None` where
/// any size will do (printed as `rows` or `cols`).
///
/// ```
/// use nn::error::Shape;
/// assert_eq!(Shape::new(None, Some(3)).to_string(), "(rows, 3)");
/// assert_eq!(Shape::exactly(1, 4).to_string(), "(1, 4)");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shape {
    /// Rows, if a number of them is required.
    pub rows: Option<usize>,
    /// Columns, if a number of them is required.
    pub cols: Option<usize>,
}

impl Shape {
    /// A shape with either side left open.
    pub fn new(rows: Option<usize>, cols: Option<usize>) -> Shape {
        Shape { rows, cols }
    }

    /// A shape of exactly `rows × cols`.
    pub fn exactly(rows: usize, cols: usize) -> Shape {
        Shape::new(Some(rows), Some(cols))
    }
}

impl fmt::Display for Shape {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.rows, self.cols) {
            (Some(r), Some(c)) => write!(f, "({r}, {c})"),
            (None, Some(c)) => write!(f, "(rows, {c})"),
            (Some(r), None) => write!(f, "({r}, cols)"),
            (None, None) => write!(f, "(rows, cols)"),
        }
    }
}

/// What went wrong, with enough context to fix it.
#[derive(Debug, Clone)]
pub enum Error {
    /// Two matrices that must fit together do not.
    Shape {
        /// Where it happened, such as `the input to layer 1 (2 -> 3)`.
        context: String,
        /// The shape that would have fitted.
        expected: Shape,
        /// The shape that came, (rows, columns).
        got: (usize, usize),
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

    /// A network that cannot be used as it is: no layers, layers that do not
    /// fit together, or an optimizer state that belongs to another network
    /// or another optimizer.
    Network(String),

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

    /// Reading or writing a file failed, or the file is not what it should be.
    File {
        /// The file.
        path: PathBuf,
        /// What went wrong and what to do.
        message: String,
        /// The operating system's error behind it, if there was one.
        source: Option<Arc<std::io::Error>>,
    },

    /// A figure that cannot be drawn from what it was given.
    Plot(String),
}

impl Error {
    /// A file error without an operating-system cause (the file was read,
    /// but what it holds is wrong).
    pub fn file(path: impl Into<PathBuf>, message: impl Into<String>) -> Error {
        Error::File {
            path: path.into(),
            message: message.into(),
            source: None,
        }
    }

    /// A file error caused by the operating system's `source`.
    pub fn io(
        path: impl Into<PathBuf>,
        message: impl Into<String>,
        source: std::io::Error,
    ) -> Error {
        Error::File {
            path: path.into(),
            message: message.into(),
            source: Some(Arc::new(source)),
        }
    }
}

/// Errors are equal when they say the same thing (an operating-system cause
/// is compared by its kind).
impl PartialEq for Error {
    fn eq(&self, other: &Error) -> bool {
        let kind = |e: &Error| match e {
            Error::File { source, .. } => source.as_ref().map(|s| s.kind()),
            _ => None,
        };
        std::mem::discriminant(self) == std::mem::discriminant(other)
            && self.to_string() == other.to_string()
            && kind(self) == kind(other)
    }
}

// Written out by hand rather than derived: one derive crate less keeps the
// notebooks' builds short, and every message is visible in one place.
impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Shape {
                context,
                expected,
                got,
                hint,
            } => write!(
                f,
                "shape mismatch in {context}: expected {expected}, got ({}, {}). {hint}",
                got.0, got.1
            ),
            Error::InvalidParameter { name, value, valid } => {
                write!(f, "invalid {name} = {value}: it must be {valid}")
            }
            Error::Data(message) => write!(f, "invalid data: {message}"),
            Error::Network(message) => write!(f, "invalid network: {message}"),
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
            Error::File { path, message, .. } => write!(f, "{}: {message}", path.display()),
            Error::Plot(message) => write!(f, "cannot draw the plot: {message}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::File {
                source: Some(s), ..
            } => Some(s.as_ref()),
            _ => None,
        }
    }
}

/// `Result` with this crate's [`Error`].
pub type Result<T> = std::result::Result<T, Error>;

/// "1 unit", "3 units": a count with its noun in the right number, for
/// messages.
///
/// ```
/// assert_eq!(nn::error::count(1, "layer", "layers"), "1 layer");
/// assert_eq!(nn::error::count(2, "entry", "entries"), "2 entries");
/// ```
pub fn count(n: usize, singular: &str, plural: &str) -> String {
    format!("{n} {}", if n == 1 { singular } else { plural })
}

/// Checks that every entry is finite; `what` names the matrix in the message.
pub(crate) fn check_finite(m: &ndarray::Array2<f64>, what: &str) -> Result<()> {
    match m.indexed_iter().find(|(_, v)| !v.is_finite()) {
        None => Ok(()),
        Some(((r, c), v)) => Err(Error::Data(format!(
            "{what}: {v} at row {r}, column {c}; remove or replace non-finite values before training"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_agree_with_their_number() {
        assert_eq!(count(1, "unit", "units"), "1 unit");
        assert_eq!(count(0, "unit", "units"), "0 units");
        assert_eq!(count(3, "value", "values"), "3 values");
    }

    #[test]
    fn file_errors_keep_their_cause() {
        use std::error::Error as _;
        let e = Error::io(
            "m.safetensors",
            "cannot read it",
            std::io::Error::from(std::io::ErrorKind::NotFound),
        );
        assert_eq!(e.to_string(), "m.safetensors: cannot read it");
        assert!(e.source().is_some());
        assert_ne!(e, Error::file("m.safetensors", "cannot read it"));
    }
}
