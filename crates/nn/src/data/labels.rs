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
//! network's outputs into classes, and [`confusion_matrix`] counts which
//! labels were taken for which.

use ndarray::Array2;

use super::{check_size, Dataset};
use crate::error::{Error, Result, Shape};

/// The index of the largest value; the first one where several tie, and 0
/// for an empty row or one of NaNs. Accuracy, the plots and `nn predict` all
/// read a prediction's class with it, so they never disagree.
///
/// ```
/// use nn::prelude::*;
/// assert_eq!(data::argmax(&array![0.2, 0.7, 0.1]), 1);
/// assert_eq!(data::argmax(&array![0.5, 0.5]), 0); // a tie: the first wins
/// ```
pub fn argmax<'a>(values: impl IntoIterator<Item = &'a f64>) -> usize {
    let mut best = (0, f64::NEG_INFINITY);
    for (i, &v) in values.into_iter().enumerate() {
        if v > best.1 {
            best = (i, v);
        }
    }
    best.0
}

/// The class each row of a prediction stands for: ŷ ≥ 0.5 → 1 for one
/// output column (a sigmoid's probability of class 1), the [`argmax`] of
/// the row for several (a softmax's probabilities).
///
/// ```
/// use nn::prelude::*;
/// assert_eq!(data::predicted_classes(&array![[0.2], [0.5]]), vec![0, 1]);
/// assert_eq!(data::predicted_classes(&array![[0.1, 0.9], [0.6, 0.4]]), vec![1, 0]);
/// ```
pub fn predicted_classes(pred: &Array2<f64>) -> Vec<usize> {
    if pred.ncols() == 1 {
        pred.column(0)
            .iter()
            .map(|&p| usize::from(p >= 0.5))
            .collect()
    } else {
        pred.rows().into_iter().map(argmax).collect()
    }
}

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
            expected: Shape::new(None, Some(1)),
            got: labels.dim(),
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

/// Counts how often each class was predicted as each class: entry
/// (t, p) is the number of rows whose true label is t and whose predicted
/// class is p. The diagonal holds the right answers; row t sums to the
/// number of rows of class t.
///
/// `truth` is the n × 1 column of labels, as in a dataset's `y`;
/// `predicted` is one class per row, as [`predicted_classes`] reads them
/// from the network's outputs. The matrix is classes × classes, with
/// `classes` one more than the largest label or class seen.
///
/// ```
/// use nn::prelude::*;
///
/// let truth = array![[0.0], [0.0], [1.0], [2.0]];
/// let outputs = array![[0.9, 0.1, 0.0], [0.2, 0.3, 0.5], [0.1, 0.8, 0.1], [0.0, 0.1, 0.9]];
/// let counts = data::confusion_matrix(&truth, &data::predicted_classes(&outputs))?;
/// assert_eq!(counts, array![[1, 0, 1], [0, 1, 0], [0, 0, 1]]);
/// assert!(data::confusion_matrix(&truth, &[0]).is_err()); // one prediction for four rows
/// # Ok::<(), nn::Error>(())
/// ```
pub fn confusion_matrix(truth: &Array2<f64>, predicted: &[usize]) -> Result<Array2<usize>> {
    if truth.ncols() != 1 || truth.nrows() != predicted.len() || predicted.is_empty() {
        return Err(Error::Shape {
            context: format!(
                "confusion_matrix: the true labels, for {} predictions",
                predicted.len()
            ),
            expected: Shape::exactly(predicted.len().max(1), 1),
            got: truth.dim(),
            hint: "pass the labels of the rows that were predicted, one per row, such as \
                   test.y with data::predicted_classes(&net.predict(&test.x)?)"
                .into(),
        });
    }
    let mut classes = 0;
    let mut pairs = Vec::with_capacity(truth.nrows());
    for (row, (&t, &p)) in truth.iter().zip(predicted).enumerate() {
        let Some(t) = class_id(t) else {
            return Err(Error::Data(format!(
                "row {row} has true label {t}, which is not a class id; labels must be whole \
                 numbers 0, 1, 2, …"
            )));
        };
        classes = classes.max(t + 1).max(p.saturating_add(1));
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
