//! Data to learn from: the original notebook's table and a few classic toy
//! problems, plus the scaling that makes them learnable.
//!
//! A [`Dataset`] is an input matrix `x` (rows × features) and a target matrix
//! `y` (rows × outputs). For classification `y` holds one class label per row
//! (rows × 1, values 0, 1, 2, …), which sparse categorical cross-entropy and
//! binary cross-entropy read directly; [`Dataset::one_hot`] turns it into
//! rows × classes for categorical cross-entropy.

use ndarray::Array2;

use crate::error::{check_finite, shape_of, Error, Result};

/// Inputs and targets, row for row.
///
/// ```
/// use nn::prelude::*;
///
/// let d = Dataset::new(array![[0.0, 1.0], [1.0, 0.0]], array![[1.0], [0.0]])?;
/// assert_eq!(d.len(), 2);
/// assert!(Dataset::new(array![[0.0, 1.0]], array![[1.0], [0.0]]).is_err());
/// # Ok::<(), nn::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Dataset {
    /// Inputs, rows × features.
    pub x: Array2<f64>,
    /// Targets, rows × outputs (or rows × 1 class labels).
    pub y: Array2<f64>,
}

impl Dataset {
    /// Pairs inputs with targets, checking that they can be learned from:
    /// at least one row, as many target rows as input rows, every value finite.
    pub fn new(x: Array2<f64>, y: Array2<f64>) -> Result<Self> {
        if x.nrows() == 0 || x.ncols() == 0 {
            return Err(Error::Data(format!(
                "the inputs are empty {}; a dataset needs at least one row and one feature",
                shape_of(x.nrows(), x.ncols())
            )));
        }
        if y.nrows() != x.nrows() || y.ncols() == 0 {
            return Err(Error::Data(format!(
                "the inputs have {} rows but the targets are {}; give one target row per input row",
                x.nrows(),
                shape_of(y.nrows(), y.ncols())
            )));
        }
        check_finite(&x, "the inputs")?;
        check_finite(&y, "the targets")?;
        Ok(Dataset { x, y })
    }

    /// Number of rows (examples).
    pub fn len(&self) -> usize {
        self.x.nrows()
    }

    /// Always false: [`Dataset::new`] refuses empty data.
    pub fn is_empty(&self) -> bool {
        self.x.nrows() == 0
    }
}

/// The original notebook's three students: [study hours, sleep hours] →
/// exam score, unscaled.
///
/// The score is made up as `5·study + 2·sleep`, so the relation is linear.
///
/// ```
/// let d = nn::data::study_sleep_raw();
/// assert_eq!(d.x[[1, 0]], 2.0);
/// assert_eq!(d.y[[0, 0]], 56.0);
/// ```
pub fn study_sleep_raw() -> Dataset {
    let x = ndarray::array![[8.0, 8.0], [2.0, 5.0], [7.0, 6.0]];
    let y = (&x.column(0) * 5.0 + &x.column(1) * 2.0).insert_axis(ndarray::Axis(1));
    Dataset { x, y }
}

/// The original table, each column divided by its maximum like
/// `X / np.amax(X, axis=0)`, so that inputs and targets lie in [0, 1] where a
/// sigmoid output can reach them.
///
/// ```
/// let d = nn::data::study_sleep();
/// assert_eq!(d.x.row(1).to_vec(), vec![0.25, 0.625]);
/// assert_eq!(d.y[[1, 0]], 20.0 / 56.0);
/// ```
pub fn study_sleep() -> Dataset {
    let raw = study_sleep_raw();
    Dataset {
        x: max_scale(&raw.x),
        y: max_scale(&raw.y),
    }
}

/// Divides each column by its largest value (`X / np.amax(X, axis=0)`).
/// A column whose maximum is 0 is left as it is, rather than divided by zero.
///
/// ```
/// use nn::prelude::*;
/// let m = data::max_scale(&array![[2.0, 0.0], [4.0, 0.0]]);
/// assert_eq!(m, array![[0.5, 0.0], [1.0, 0.0]]);
/// ```
pub fn max_scale(x: &Array2<f64>) -> Array2<f64> {
    let mut out = x.clone();
    for mut column in out.columns_mut() {
        let max = column.fold(f64::NEG_INFINITY, |m, &v| m.max(v));
        if max != 0.0 && max.is_finite() {
            column /= max;
        }
    }
    out
}
