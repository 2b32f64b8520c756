//! Classification (notebook 7): accuracy and one-hot rows.

use super::*;

/// Exercise: the accuracy of a classifier: the share of rows whose largest
/// probability is at the right label (labels are one column of 0, 1, 2, …).
///
/// ```
/// use nn::prelude::*;
///
/// fn my_accuracy(probs: &Array2<f64>, labels: &Array2<f64>) -> f64 {
///     let classes = data::predicted_classes(probs);
///     let right = classes.iter().zip(labels.column(0)).filter(|(&c, &l)| c as f64 == l).count();
///     right as f64 / probs.nrows() as f64
/// }
/// assert!(nn::exercises::check_accuracy(my_accuracy).is_correct());
/// ```
pub fn check_accuracy(my_accuracy: impl Fn(&Array2<f64>, &Array2<f64>) -> f64) -> Verdict {
    conclude(|| {
        let probs = array![
            [0.7, 0.2, 0.1],
            [0.1, 0.3, 0.6],
            [0.2, 0.5, 0.3],
            [0.4, 0.4, 0.2]
        ];
        let labels = array![[0.0], [1.0], [1.0], [0.0]];
        let got = attempt(|| my_accuracy(&probs, &labels))?;
        let want = Loss::SparseCategoricalCrossEntropy
            .accuracy(&probs, &labels)
            .unwrap_or(f64::NAN);
        same_number("the accuracy of 4 rows, 3 of them right", got, want).map_err(|why| {
            if close(got, want * probs.nrows() as f64) {
                why + ". Hint: divide by the number of rows"
            } else {
                why
            }
        })?;
        Ok("4 rows of 3 classes, one tie broken towards the first class".into())
    })
}

/// Exercise: one-hot rows from class labels: row r has a 1 in column
/// `labels[r]` and 0 elsewhere, `classes` columns.
///
/// ```
/// use nn::prelude::*;
///
/// fn my_one_hot(labels: &Array2<f64>, classes: usize) -> Array2<f64> {
///     let mut hot = Array2::zeros((labels.nrows(), classes));
///     for (r, &label) in labels.column(0).iter().enumerate() {
///         hot[[r, label as usize]] = 1.0;
///     }
///     hot
/// }
/// assert!(nn::exercises::check_one_hot(my_one_hot).is_correct());
/// ```
pub fn check_one_hot(my_one_hot: impl Fn(&Array2<f64>, usize) -> Array2<f64>) -> Verdict {
    conclude(|| {
        let labels = array![[2.0], [0.0], [1.0], [2.0]];
        let got = attempt(|| my_one_hot(&labels, 3))?;
        let want = crate::data::one_hot(&labels, 3).map_err(|e| e.to_string())?;
        same_matrix("the one-hot rows of labels [2, 0, 1, 2]", &got, &want)?;
        Ok("4 labels of 3 classes".into())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exercises::tests::not_yet;

    #[test]
    fn classification_checks() {
        let counted = |p: &Array2<f64>, l: &Array2<f64>| {
            let c = crate::data::predicted_classes(p);
            c.iter()
                .zip(l.column(0))
                .filter(|(&c, &l)| c as f64 == l)
                .count() as f64
        };
        assert!(not_yet(check_accuracy(counted)).contains("divide by the number of rows"));
        assert!(not_yet(check_one_hot(|l, _| l.clone()))
            .contains("should be 4 × 3, but yours is 4 × 1"));
    }
}
