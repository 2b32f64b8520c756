//! Class labels: a column of class ids 0, 1, 2, … and its one-hot form.
//!
//! ```text
//! labels (n × 1)      one_hot(labels, 3) (n × 3)
//!     [2]                 [0, 0, 1]
//!     [0]        →        [1, 0, 0]
//!     [1]                 [0, 1, 0]
//! ```
//!
//! Sparse categorical cross-entropy reads the labels as they are;
//! categorical cross-entropy and a softmax output layer want one-hot rows,
//! one column per class. Going back, [`predicted_classes`] turns a
//! network's outputs into labels, and [`confusion_matrix`] counts which
//! labels were taken for which.

use ndarray::Array2;

use super::{check_size, Dataset};
use crate::error::{shape_of, Error, Result};

/// The class id a label value stands for, if it is one: a whole number
/// ≥ 0 (NaN, fractions and negative numbers are not).
fn class_id(value: f64) -> Option<usize> {
    // Below 2^53 every whole f64 is exact, and `as usize` cannot overflow.
    let whole = value >= 0.0 && value.fract() == 0.0 && value < 9_007_199_254_740_992.0;
    whole.then_some(value as usize)
}

/// One-hot encodes a column of class labels: row `i` of the result is all
/// zeros except a 1 in column `labels[i]`.
///
/// `labels` is n × 1 with whole numbers in `0..classes`; the result is
/// n × classes. Fails, naming the row and the value, for a label that is not
/// a whole number ≥ 0 or is `classes` or more.
///
/// ```
/// use nn::prelude::*;
///
/// let hot = data::one_hot(&array![[2.0], [0.0]], 3)?;
/// assert_eq!(hot, array![[0.0, 0.0, 1.0], [1.0, 0.0, 0.0]]);
///
/// let err = data::one_hot(&array![[1.0], [0.5]], 3).unwrap_err();
/// assert!(err.to_string().contains("row 1 has label 0.5"));
/// # Ok::<(), nn::Error>(())
/// ```
pub fn one_hot(labels: &Array2<f64>, classes: usize) -> Result<Array2<f64>> {
    if labels.ncols() != 1 {
        return Err(Error::Shape {
            context: "one_hot labels".into(),
            expected: "(rows, 1)".into(),
            got: shape_of(labels.nrows(), labels.ncols()),
            hint: "pass one class label per row as a single column, e.g. array![[2.0], [0.0]]"
                .into(),
        });
    }
    if classes == 0 {
        return Err(Error::InvalidParameter {
            name: "classes",
            value: "0".into(),
            valid: "at least 1: the number of classes, one more than the largest label",
        });
    }
    check_size(labels.nrows(), classes, "the one-hot matrix")?;
    let mut hot = Array2::zeros((labels.nrows(), classes));
    for (row, &value) in labels.iter().enumerate() {
        match class_id(value) {
            Some(class) if class < classes => hot[[row, class]] = 1.0,
            Some(_) => {
                return Err(Error::Data(format!(
                    "row {row} has label {value}, but with {classes} classes the labels must be \
                     0 to {}; pass a larger number of classes",
                    classes - 1
                )))
            }
            None => {
                return Err(Error::Data(format!(
                    "row {row} has label {value}, which is not a class id; class labels must be \
                     whole numbers 0, 1, 2, …"
                )))
            }
        }
    }
    Ok(hot)
}

/// The class each row of a network's outputs predicts, as a column of
/// labels: the column of the largest output (the first one if several
/// tie), or for a single output (a sigmoid) 1 where it is ≥ 0.5 and 0
/// elsewhere, as [`Loss::accuracy`](crate::loss::Loss::accuracy) counts.
///
/// `outputs` is n × classes (or n × 1); the result is n × 1, in the form of
/// a dataset's labels, ready for [`confusion_matrix`] or a plot. A row
/// holding NaN predicts its largest number, or class 0 if it has none.
///
/// ```
/// use nn::prelude::*;
///
/// let probabilities = array![[0.1, 0.7, 0.2], [0.5, 0.2, 0.3]];
/// assert_eq!(data::predicted_classes(&probabilities), array![[1.0], [0.0]]);
/// assert_eq!(data::predicted_classes(&array![[0.8], [0.3]]), array![[1.0], [0.0]]);
/// ```
pub fn predicted_classes(outputs: &Array2<f64>) -> Array2<f64> {
    let class = |row: ndarray::ArrayView1<f64>| -> usize {
        if row.len() == 1 {
            return usize::from(row[0] >= 0.5);
        }
        let mut best = 0;
        for (k, &v) in row.iter().enumerate() {
            // `>` keeps the first of equal outputs and never picks a NaN.
            if v > row[best] || row[best].is_nan() && !v.is_nan() {
                best = k;
            }
        }
        best
    };
    let labels = outputs.rows().into_iter().map(|r| class(r) as f64);
    Array2::from_shape_vec((outputs.nrows(), 1), labels.collect()).expect("one label per row")
}

/// Counts how often each class was predicted as each class: entry
/// (t, p) is the number of rows whose true label is t and whose predicted
/// label is p. The diagonal holds the right answers; row t sums to the
/// number of rows of class t.
///
/// `truth` and `predicted` are n × 1 columns of labels (see
/// [`predicted_classes`]); `predicted` may also be the network's n × k
/// outputs, which are turned into labels first. The matrix is
/// classes × classes, with `classes` one more than the largest label seen.
///
/// ```
/// use nn::prelude::*;
///
/// let truth = array![[0.0], [0.0], [1.0], [2.0]];
/// let predicted = array![[0.0], [2.0], [1.0], [2.0]];
/// let counts = data::confusion_matrix(&truth, &predicted)?;
/// assert_eq!(counts, array![[1, 0, 1], [0, 1, 0], [0, 0, 1]]);
/// assert!(data::confusion_matrix(&truth, &array![[0.0]]).is_err()); // one row for four
/// # Ok::<(), nn::Error>(())
/// ```
pub fn confusion_matrix(truth: &Array2<f64>, predicted: &Array2<f64>) -> Result<Array2<usize>> {
    let predicted = if predicted.ncols() > 1 {
        predicted_classes(predicted)
    } else {
        predicted.clone()
    };
    if truth.ncols() != 1 || truth.nrows() != predicted.nrows() || truth.nrows() == 0 {
        return Err(Error::Shape {
            context: "confusion_matrix".into(),
            expected: format!("true labels and predictions of ({}, 1)", predicted.nrows()),
            got: format!(
                "true labels {} and predictions {}",
                shape_of(truth.nrows(), truth.ncols()),
                shape_of(predicted.nrows(), 1)
            ),
            hint: "pass one label per row for both, such as test.y and \
                   data::predicted_classes(&net.predict(&test.x)?)"
                .into(),
        });
    }
    let mut pairs = Vec::with_capacity(truth.nrows());
    let mut classes = 0;
    for (row, (&t, &p)) in truth.iter().zip(predicted.iter()).enumerate() {
        let (Some(t), Some(p)) = (class_id(t), class_id(p)) else {
            return Err(Error::Data(format!(
                "row {row} pairs true label {t} with predicted label {p}; labels must be whole \
                 numbers 0, 1, 2, …"
            )));
        };
        classes = classes.max(t + 1).max(p + 1);
        pairs.push((t, p));
    }
    check_size(classes, classes, "the confusion matrix")?;
    let mut counts = Array2::zeros((classes, classes));
    for (t, p) in pairs {
        counts[[t, p]] += 1;
    }
    Ok(counts)
}

impl Dataset {
    /// The number of classes, `largest label + 1`, when the targets are
    /// class labels: one column of whole numbers ≥ 0. `None` otherwise
    /// (several target columns, fractions, negative numbers).
    ///
    /// ```
    /// use nn::prelude::*;
    ///
    /// assert_eq!(data::xor().classes(), Some(2));
    /// assert_eq!(data::spirals(10, 4, 0.2, 0)?.classes(), Some(4));
    /// assert_eq!(data::study_sleep().classes(), None);   // scores, not labels
    /// # Ok::<(), nn::Error>(())
    /// ```
    pub fn classes(&self) -> Option<usize> {
        if self.y.ncols() != 1 || self.y.nrows() == 0 {
            return None;
        }
        let mut largest = 0;
        for &value in self.y.iter() {
            largest = largest.max(class_id(value)?);
        }
        Some(largest + 1)
    }

    /// The same inputs with the labels one-hot encoded, as many columns as
    /// [`Dataset::classes`] finds.
    ///
    /// Careful with a test set: if it happens to lack the largest class it
    /// gets fewer columns than the training set. Use
    /// [`Dataset::one_hot_with`] and the training set's count there.
    ///
    /// ```
    /// use nn::prelude::*;
    ///
    /// let d = Dataset::new(array![[0.1], [0.2]], array![[2.0], [0.0]])?;
    /// assert_eq!(d.one_hot()?.y, array![[0.0, 0.0, 1.0], [1.0, 0.0, 0.0]]);
    /// assert!(data::study_sleep().one_hot().is_err());
    /// # Ok::<(), nn::Error>(())
    /// ```
    pub fn one_hot(&self) -> Result<Dataset> {
        match self.classes() {
            Some(classes) => self.one_hot_with(classes),
            None => Err(self.not_labels()),
        }
    }

    /// The same inputs with the labels one-hot encoded into `classes`
    /// columns (see [`one_hot`]).
    ///
    /// ```
    /// use nn::prelude::*;
    ///
    /// let d = Dataset::new(array![[0.1], [0.2]], array![[1.0], [0.0]])?;
    /// assert_eq!(d.one_hot_with(3)?.y, array![[0.0, 1.0, 0.0], [1.0, 0.0, 0.0]]);
    /// assert!(d.one_hot_with(1).is_err());            // label 1 needs 2 classes
    /// # Ok::<(), nn::Error>(())
    /// ```
    pub fn one_hot_with(&self, classes: usize) -> Result<Dataset> {
        if self.y.ncols() != 1 {
            return Err(self.not_labels());
        }
        Ok(Dataset {
            x: self.x.clone(),
            y: one_hot(&self.y, classes)?,
        })
    }

    /// Says why the targets are not a column of class labels.
    fn not_labels(&self) -> Error {
        if self.y.ncols() != 1 {
            return Error::Data(format!(
                "the targets have {} columns, so they are not class labels (one column of \
                 0, 1, 2, …); they may be one-hot already",
                self.y.ncols()
            ));
        }
        match self.y.iter().position(|&v| class_id(v).is_none()) {
            Some(row) => Error::Data(format!(
                "row {row} has target {}, which is not a class id; one_hot needs labels that are \
                 whole numbers 0, 1, 2, …",
                self.y[[row, 0]]
            )),
            None => Error::Data("the dataset has no rows to one-hot encode".into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn class_ids_are_whole_numbers_from_zero() {
        assert_eq!(class_id(0.0), Some(0));
        assert_eq!(class_id(-0.0), Some(0));
        assert_eq!(class_id(7.0), Some(7));
        for not_an_id in [0.5, -1.0, f64::NAN, f64::INFINITY, 1e300] {
            assert_eq!(class_id(not_an_id), None, "{not_an_id}");
        }
    }
}
