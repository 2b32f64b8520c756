//! Reordering and splitting rows: shuffles, row selection, and the
//! train/test splits that keep some data back to measure how well a network
//! does on examples it never learned from (plain, or stratified: every class
//! in the same proportion on both sides).

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

/// Splits the rows of a labelled dataset at random into a training set and
/// a test set that hold every class in the same proportion.
///
/// With `n_k` rows of class k, the test set gets `q_k` of them, `⌊f · n_k⌋`
/// or one more: as many classes get the extra row as make the total
/// `n_test = ⌈f · n⌉` (the same count as [`train_test_split`]), those whose
/// `f · n_k` has the largest fractional part first. Then the rows are
/// visited in the order [`permutation`]`(n, seed)`, and the first `q_k`
/// rows of each class go to the test set, the rest to training; so both
/// sets come out shuffled, and which rows of a class are tested is decided
/// by the seed alone. Returns `(train, test)`.
///
/// A plain random split of 1 797 digits can leave one digit with 30 test
/// rows and another with 45 by chance; this one gives each 35 or 36, and a
/// test accuracy that depends less on luck.
///
/// Fails if the targets are not class labels, if a class has a single row
/// (it cannot be on both sides), or if the split leaves a class without a
/// training row.
///
/// ```
/// use nn::prelude::*;
///
/// // 6 rows of class 0, 4 of class 1, and one of class 2: refused
/// let y = array![[0.], [0.], [0.], [0.], [0.], [0.], [1.], [1.], [1.], [1.], [2.]];
/// let d = Dataset::new(Array2::zeros((11, 1)), y)?;
/// assert!(data::stratified_split(&d, 0.5, 0).is_err());
///
/// let d = d.rows(&[0, 1, 2, 3, 4, 5, 6, 7, 8, 9])?;      // without the 2
/// let (train, test) = data::stratified_split(&d, 0.5, 0)?;
/// let zeros = |d: &Dataset| d.y.iter().filter(|&&v| v == 0.0).count();
/// assert_eq!((zeros(&train), zeros(&test)), (3, 3));      // 3 of the 6 zeros tested
/// assert_eq!((train.len(), test.len()), (5, 5));          // and 2 of the 4 ones
/// # Ok::<(), nn::Error>(())
/// ```
pub fn stratified_split(
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
    let Some(classes) = data.classes() else {
        return Err(Error::Data(
            "stratified_split needs class labels: one target column of whole numbers 0, 1, 2, …; \
             split one-hot targets before one_hot(), or use train_test_split"
                .into(),
        ));
    };
    let labels: Vec<usize> = data.y.iter().map(|&v| v as usize).collect();
    let mut counts = vec![0usize; classes];
    for &k in &labels {
        counts[k] += 1;
    }
    if let Some(k) = (0..classes).find(|&k| counts[k] == 1) {
        return Err(Error::Data(format!(
            "class {k} has only one row, which cannot be in both the training and the test set; \
             give every class at least two rows, or use train_test_split"
        )));
    }
    let quotas = test_quotas(&counts, test_fraction);
    if let Some(k) = (0..classes).find(|&k| counts[k] > 0 && quotas[k] >= counts[k]) {
        return Err(Error::Data(format!(
            "test_fraction {test_fraction} puts all {} rows of class {k} in the test set; \
             use a smaller test_fraction",
            counts[k]
        )));
    }

    let (mut train_rows, mut test_rows) = (Vec::new(), Vec::new());
    let mut tested = vec![0usize; classes];
    for i in permutation(data.len(), seed) {
        let k = labels[i];
        if tested[k] < quotas[k] {
            tested[k] += 1;
            test_rows.push(i);
        } else {
            train_rows.push(i);
        }
    }
    Ok((data.rows(&train_rows)?, data.rows(&test_rows)?))
}

/// How many test rows each class gets: `⌊f · n_k⌋`, plus one for the
/// classes with the largest fractional parts until the total is
/// `⌈f · Σ n_k⌉` (ties go to the smaller class id). That total is never more
/// than one row per class above the floors, since `⌈f n⌉ < f n + 1` and
/// `Σ ⌊f n_k⌋ > f n − classes`.
fn test_quotas(counts: &[usize], fraction: f64) -> Vec<usize> {
    let n: usize = counts.iter().sum();
    let n_test = (fraction * n as f64).ceil() as usize;
    let shares: Vec<f64> = counts.iter().map(|&c| fraction * c as f64).collect();
    let mut quotas: Vec<usize> = shares.iter().map(|s| s.floor() as usize).collect();
    let mut by_remainder: Vec<usize> = (0..counts.len()).filter(|&k| counts[k] > 0).collect();
    // A stable sort keeps equal remainders in class order.
    by_remainder.sort_by(|&a, &b| {
        let fa = shares[a] - shares[a].floor();
        let fb = shares[b] - shares[b].floor();
        fb.total_cmp(&fa)
    });
    let missing = n_test.saturating_sub(quotas.iter().sum());
    for &k in by_remainder.iter().take(missing) {
        quotas[k] += 1;
    }
    quotas
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotas_add_up_to_the_plain_splits_count() {
        // The digits' class counts: 20 % of each is 34.8 to 36.6 rows.
        let counts = [178, 182, 177, 183, 181, 182, 181, 179, 174, 180];
        let quotas = test_quotas(&counts, 0.2);
        assert_eq!(quotas.iter().sum::<usize>(), 360); // ⌈0.2 · 1797⌉
        for (q, c) in quotas.iter().zip(counts) {
            assert!((*q as f64 - 0.2 * c as f64).abs() < 1.0, "{q} of {c}");
        }
        // A label that never occurs gets no test rows.
        assert_eq!(test_quotas(&[4, 0, 4], 0.5), vec![2, 0, 2]);
        // Equal remainders: the extra row goes to the smaller class id.
        assert_eq!(test_quotas(&[3, 3], 0.5), vec![2, 1]);
    }

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
