//! Reordering and splitting rows: shuffles, row selection, and the
//! train/test split that keeps some data back to measure how well a network
//! does on examples it never learned from.

use ndarray::Axis;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::Dataset;
use crate::error::{Error, Result};

/// The numbers `0..n` in a random order decided by `seed`.
///
/// The Fisher–Yates shuffle: for `i` from `n − 1` down to 1, swap entry `i`
/// with entry `j`, `j` drawn uniformly from `0..=i`. Every one of the `n!`
/// orders is equally likely, and the same seed gives the same order on every
/// machine.
///
/// ```
/// let p = nn::data::permutation(5, 1);
/// let mut sorted = p.clone();
/// sorted.sort();
/// assert_eq!(sorted, vec![0, 1, 2, 3, 4]);
/// assert_eq!(p, nn::data::permutation(5, 1));
/// ```
pub fn permutation(n: usize, seed: u64) -> Vec<usize> {
    shuffle_indices(n, &mut ChaCha8Rng::seed_from_u64(seed))
}

/// Fisher–Yates with a generator the caller already has, so that one seed
/// can drive several random steps in turn.
pub(super) fn shuffle_indices<R: Rng>(n: usize, rng: &mut R) -> Vec<usize> {
    let mut order: Vec<usize> = (0..n).collect();
    for i in (1..n).rev() {
        // Drawn as u64 so that 32- and 64-bit machines draw the same numbers.
        let j = rng.random_range(0..=i as u64) as usize;
        order.swap(i, j);
    }
    order
}

impl Dataset {
    /// The same rows in a random order decided by `seed` (see
    /// [`permutation`]); inputs and targets stay paired.
    ///
    /// ```
    /// let d = nn::data::xor();
    /// let s = d.shuffled(3);
    /// assert_eq!(s.len(), 4);
    /// assert_eq!(s, d.shuffled(3));
    /// // each row still has its own label: y = x1 XOR x2
    /// for (x, y) in s.x.rows().into_iter().zip(s.y.iter()) {
    ///     assert_eq!(*y, ((x[0] != x[1]) as u8) as f64);
    /// }
    /// ```
    pub fn shuffled(&self, seed: u64) -> Dataset {
        let order = permutation(self.len(), seed);
        Dataset {
            x: self.x.select(Axis(0), &order),
            y: self.y.select(Axis(0), &order),
        }
    }

    /// The rows at `indices`, in that order (an index may repeat).
    ///
    /// Fails when `indices` is empty or names a row past the end.
    ///
    /// ```
    /// use nn::prelude::*;
    ///
    /// let d = data::xor();
    /// let two = d.rows(&[3, 0])?;
    /// assert_eq!(two.x, array![[1.0, 1.0], [0.0, 0.0]]);
    /// assert!(d.rows(&[4]).is_err());
    /// # Ok::<(), nn::Error>(())
    /// ```
    pub fn rows(&self, indices: &[usize]) -> Result<Dataset> {
        if indices.is_empty() {
            return Err(Error::Data(
                "rows(&[]) would give an empty dataset; pass at least one row index".into(),
            ));
        }
        if let Some(&bad) = indices.iter().find(|&&i| i >= self.len()) {
            return Err(Error::Data(format!(
                "row index {bad} is out of range: the dataset has {} rows, numbered 0 to {}",
                self.len(),
                self.len().saturating_sub(1)
            )));
        }
        Ok(Dataset {
            x: self.x.select(Axis(0), indices),
            y: self.y.select(Axis(0), indices),
        })
    }
}

/// Splits the rows at random into a training set and a test set.
///
/// The rows are put in the order [`permutation`]`(n, seed)`; the first
/// `n_test = ⌈test_fraction · n⌉` of them become the test set and the other
/// `n − n_test` the training set (scikit-learn's `train_test_split` rounds
/// the same way). Returns `(train, test)`.
///
/// `test_fraction` must lie strictly between 0 and 1 (0.2 is common), and
/// both parts must get at least one row.
///
/// ```
/// let d = nn::data::moons(10, 0.1, 0)?;
/// let (train, test) = nn::data::train_test_split(&d, 0.3, 0)?;
/// assert_eq!((train.len(), test.len()), (7, 3));
/// assert!(nn::data::train_test_split(&d, 1.0, 0).is_err());
/// # Ok::<(), nn::Error>(())
/// ```
pub fn train_test_split(
    data: &Dataset,
    test_fraction: f64,
    seed: u64,
) -> Result<(Dataset, Dataset)> {
    if !(test_fraction > 0.0 && test_fraction < 1.0) {
        return Err(Error::InvalidParameter {
            name: "test_fraction",
            value: test_fraction.to_string(),
            valid: "strictly between 0 and 1: the share of rows kept back for testing, e.g. 0.2",
        });
    }
    let n = data.len();
    let n_test = (test_fraction * n as f64).ceil() as usize;
    if n_test == 0 || n_test >= n {
        return Err(Error::Data(format!(
            "splitting {n} rows with test_fraction {test_fraction} leaves {} for training and \
             {n_test} for testing; both need at least one row, so use more rows or a different \
             test_fraction",
            n.saturating_sub(n_test),
        )));
    }
    let order = permutation(n, seed);
    let (test_rows, train_rows) = order.split_at(n_test);
    Ok((data.rows(train_rows)?, data.rows(test_rows)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_order_of_three_is_about_equally_likely() {
        let mut counts = std::collections::HashMap::new();
        for seed in 0..6000 {
            *counts.entry(permutation(3, seed)).or_insert(0) += 1;
        }
        assert_eq!(counts.len(), 6);
        // Each count is Binomial(6000, 1/6): mean 1000, sd ≈ 29.
        assert!(
            counts.values().all(|&c| (850..1150).contains(&c)),
            "{counts:?}"
        );
    }
}
