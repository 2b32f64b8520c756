//! Data to learn from: the original notebook's table, a few classic toy
//! problems, real handwritten digits, and the preparation that makes data
//! learnable.
//!
//! A [`Dataset`] is an input matrix `x` (rows × features) and a target matrix
//! `y` (rows × outputs). For classification `y` holds one class label per row
//! (rows × 1, values 0, 1, 2, …), which sparse categorical cross-entropy and
//! binary cross-entropy read directly; [`Dataset::one_hot`] turns it into
//! rows × classes for categorical cross-entropy.
//!
//! | file | holds |
//! | --- | --- |
//! | `toy.rs` | [`xor`], [`moons`], [`circles`], [`spirals`], [`blobs`] (with [`circle_centers`]) |
//! | `digits.rs` | [`digits`], [`digits_raw`]: 1 797 handwritten digits of 8 × 8 pixels, in the crate |
//! | `idx.rs` | `mnist`, `read_idx`, `parse_idx`: MNIST's IDX files, from a folder you downloaded them into (feature `files`) |
//! | `scale.rs` | [`max_scale`], [`min_max_scale`], [`standardize`], the scalers [`MinMax`] and [`Standard`] that remember their statistics, and [`Scaler`], either of them as a model file keeps it |
//! | `labels.rs` | [`Dataset::classes`], [`one_hot`], [`Dataset::one_hot`], [`argmax`], [`predicted_classes`], [`confusion_matrix`] |
//! | `split.rs` | [`permutation`], [`Dataset::shuffled`], [`Dataset::rows`], [`train_test_split`], [`stratified_split`] |
//! | `csv.rs` | `read_csv_matrix`, `Dataset::from_csv` (feature `files`) |
//!
//! **The digits** are the test set of the UCI "Optical Recognition of
//! Handwritten Digits" data: E. Alpaydin and C. Kaynak (1998), UCI Machine
//! Learning Repository, <https://doi.org/10.24432/C50P49>, licensed under
//! [CC BY 4.0](https://creativecommons.org/licenses/by/4.0/). The copy
//! here is the one scikit-learn ships, stored as bytes (same numbers).
//!
//! **Randomness.** Everything random takes a `u64` seed and draws from
//! `ChaCha8Rng::seed_from_u64(seed)`, so the same seed gives the same random
//! draws, bit for bit, on every machine, and so the same data (the sines and
//! cosines of the curves may differ in the last bit between math libraries);
//! a different seed gives different data.
//!
//! A typical classification workflow:
//!
//! ```
//! use nn::prelude::*;
//!
//! let all = data::moons(200, 0.1, 7)?;                      // 200 × 2 inputs, labels 0/1
//! let (train, test) = data::train_test_split(&all, 0.25, 7)?;
//! let scaler = data::Standard::fit(&train.x)?;             // statistics of the training rows only
//! let train = Dataset::new(scaler.transform(&train.x)?, train.y)?;
//! let test = Dataset::new(scaler.transform(&test.x)?, test.y)?;
//! assert_eq!((train.len(), test.len()), (150, 50));
//! assert_eq!(train.classes(), Some(2));
//! # Ok::<(), nn::Error>(())
//! ```

#[cfg(feature = "files")]
mod csv;
mod digits;
#[cfg(feature = "files")]
mod idx;
mod labels;
mod scale;
mod split;
mod toy;

#[cfg(feature = "files")]
pub use self::csv::read_csv_matrix;
pub use self::digits::{digits, digits_raw};
#[cfg(feature = "files")]
pub use self::idx::{mnist, parse_idx, read_idx, Idx, Mnist};
pub use self::labels::{argmax, confusion_matrix, one_hot, predicted_classes};
pub use self::scale::{max_scale, min_max_scale, standardize, MinMax, Scaler, Standard};
pub use self::split::{permutation, stratified_split, train_test_split};
pub use self::toy::{blobs, circle_centers, circles, moons, spirals, xor};

use ndarray::Array2;

use crate::error::{check_finite, count, Error, Result};

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
    ///
    /// ```
    /// use nn::prelude::*;
    ///
    /// let err = Dataset::new(array![[1.0], [f64::NAN]], array![[0.0], [1.0]]).unwrap_err();
    /// assert!(err.to_string().contains("the inputs: NaN at row 1, column 0"));
    /// ```
    pub fn new(x: Array2<f64>, y: Array2<f64>) -> Result<Self> {
        if x.nrows() == 0 || x.ncols() == 0 {
            return Err(Error::Data(format!(
                "the inputs are empty ({}, {}); a dataset needs at least one row and one feature",
                x.nrows(),
                x.ncols()
            )));
        }
        if y.nrows() != x.nrows() || y.ncols() == 0 {
            return Err(Error::Data(format!(
                "the inputs have {} but the targets are ({}, {}); give one target row per input row",
                count(x.nrows(), "row", "rows"),
                y.nrows(),
                y.ncols()
            )));
        }
        check_finite(&x, "the inputs")?;
        check_finite(&y, "the targets")?;
        Ok(Dataset { x, y })
    }

    /// Number of rows (examples).
    ///
    /// ```
    /// assert_eq!(nn::data::xor().len(), 4);
    /// ```
    pub fn len(&self) -> usize {
        self.x.nrows()
    }

    /// Always false for a dataset made by [`Dataset::new`], which refuses
    /// empty data.
    ///
    /// ```
    /// assert!(!nn::data::xor().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.x.nrows() == 0
    }

    /// Number of input features: the columns of `x`, which is the input size
    /// a network for this data needs.
    ///
    /// ```
    /// assert_eq!(nn::data::study_sleep().features(), 2);
    /// ```
    pub fn features(&self) -> usize {
        self.x.ncols()
    }

    /// Number of target columns: the columns of `y` (1 for class labels).
    ///
    /// ```
    /// assert_eq!(nn::data::study_sleep().outputs(), 1);
    /// ```
    pub fn outputs(&self) -> usize {
        self.y.ncols()
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
/// `X / np.amax(X, axis=0)`, so that inputs and targets lie in [0, 1]. (A
/// sigmoid output lies in the open range (0, 1): it never reaches the
/// largest target, which is exactly 1.)
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

/// The most values (rows × columns) one matrix made here may hold: 2³⁰,
/// which is 8 GiB of `f64`. Larger requests are almost always a typo, and
/// refusing them beats the process dying while it allocates.
const MAX_VALUES: usize = 1 << 30;

/// Checks that a `rows × cols` matrix is small enough to allocate;
/// `what` names it in the message.
fn check_size(rows: usize, cols: usize, what: &str) -> Result<()> {
    match rows.checked_mul(cols) {
        Some(values) if values <= MAX_VALUES => Ok(()),
        _ => Err(Error::Data(format!(
            "{what} would be a {rows} × {cols} matrix, more than the {MAX_VALUES} values \
             this crate allocates at once; ask for fewer rows"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_size_refuses_overflow_and_huge_matrices() {
        assert!(check_size(1000, 1000, "m").is_ok());
        assert!(check_size(MAX_VALUES, 1, "m").is_ok());
        assert!(check_size(MAX_VALUES, 2, "m").is_err());
        assert!(check_size(usize::MAX, 2, "m").is_err());
    }
}
