//! Feature scaling: putting every column on a similar scale, so that no
//! input dominates the weighted sums just because of its units and
//! gradient descent can use one learning rate for all weights.
//!
//! | scaling | formula per column | result |
//! | --- | --- | --- |
//! | [`max_scale`] | `x / max` | ≤ 1 (in [0, 1] for non-negative data) |
//! | [`MinMax`] | `(x − min) / (max − min)` | in [0, 1] |
//! | [`Standard`] | `(x − mean) / std` | mean 0, standard deviation 1 |
//!
//! With a train/test split, *fit* the scaler on the training inputs only and
//! *transform* both sets with those statistics: the test set must look like
//! new data the network has never seen, statistics included.
//!
//! A column whose values are all equal (a constant feature) would divide by
//! zero; here it is only shifted: `MinMax` and `Standard` map it to 0.

use ndarray::{Array1, Array2, Axis};

use crate::error::{check_finite, Error, Result, Shape};

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

/// Scales each column to [0, 1] by its own minimum and maximum, in one step:
/// `MinMax::fit(x)?.transform(x)`.
///
/// ```
/// use nn::prelude::*;
/// let m = data::min_max_scale(&array![[1.0, 10.0], [2.0, 30.0], [3.0, 20.0]])?;
/// assert_eq!(m, array![[0.0, 0.0], [0.5, 1.0], [1.0, 0.5]]);
/// # Ok::<(), nn::Error>(())
/// ```
pub fn min_max_scale(x: &Array2<f64>) -> Result<Array2<f64>> {
    MinMax::fit(x)?.transform(x)
}

/// Shifts and scales each column to mean 0 and standard deviation 1, in one
/// step: `Standard::fit(x)?.transform(x)`.
///
/// ```
/// use nn::prelude::*;
/// let s = data::standardize(&array![[1.0], [3.0]])?;
/// assert_eq!(s, array![[-1.0], [1.0]]);
/// # Ok::<(), nn::Error>(())
/// ```
pub fn standardize(x: &Array2<f64>) -> Result<Array2<f64>> {
    Standard::fit(x)?.transform(x)
}

/// Min-max scaling that remembers each column's minimum and maximum.
///
/// ```text
/// transform:          x' = (x − min) / (max − min)
/// inverse_transform:  x  = x' · (max − min) + min
/// ```
///
/// for each column, with `max − min` taken as 1 when a column is constant,
/// so a constant column becomes 0 instead of 0/0. The training rows land in
/// [0, 1]; other rows may fall outside if they go beyond the training range.
///
/// ```
/// use nn::prelude::*;
///
/// let train = array![[0.0, 5.0], [10.0, 5.0]];
/// let scaler = data::MinMax::fit(&train)?;
/// assert_eq!(scaler.transform(&train)?, array![[0.0, 0.0], [1.0, 0.0]]);
/// assert_eq!(scaler.transform(&array![[20.0, 6.0]])?, array![[2.0, 1.0]]);
/// let back = scaler.inverse_transform(&array![[0.5, 0.0]])?;
/// assert_eq!(back, array![[5.0, 5.0]]);
/// # Ok::<(), nn::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct MinMax {
    min: Array1<f64>,
    max: Array1<f64>,
}

impl MinMax {
    /// Learns each column's minimum and maximum from `x` (rows × columns).
    /// Fails for a matrix with no rows or columns, or with NaN or infinity.
    ///
    /// ```
    /// use nn::prelude::*;
    /// let s = data::MinMax::fit(&array![[1.0], [3.0]])?;
    /// assert_eq!((s.min()[0], s.max()[0]), (1.0, 3.0));
    /// assert!(data::MinMax::fit(&array![[1.0], [f64::NAN]]).is_err());
    /// # Ok::<(), nn::Error>(())
    /// ```
    pub fn fit(x: &Array2<f64>) -> Result<MinMax> {
        check_fittable(x)?;
        Ok(MinMax {
            min: x.fold_axis(Axis(0), f64::INFINITY, |&m, &v| m.min(v)),
            max: x.fold_axis(Axis(0), f64::NEG_INFINITY, |&m, &v| m.max(v)),
        })
    }

    /// Each column's minimum, as fitted.
    ///
    /// ```
    /// use nn::prelude::*;
    /// let s = data::MinMax::fit(&array![[1.0, 4.0], [3.0, 2.0]])?;
    /// assert_eq!(s.min().to_vec(), vec![1.0, 2.0]);
    /// # Ok::<(), nn::Error>(())
    /// ```
    pub fn min(&self) -> &Array1<f64> {
        &self.min
    }

    /// Each column's maximum, as fitted.
    ///
    /// ```
    /// use nn::prelude::*;
    /// let s = data::MinMax::fit(&array![[1.0, 4.0], [3.0, 2.0]])?;
    /// assert_eq!(s.max().to_vec(), vec![3.0, 4.0]);
    /// # Ok::<(), nn::Error>(())
    /// ```
    pub fn max(&self) -> &Array1<f64> {
        &self.max
    }

    /// `max − min` per column, with 1 for a constant column.
    fn range(&self) -> Array1<f64> {
        (&self.max - &self.min).mapv(|r| if r == 0.0 { 1.0 } else { r })
    }

    /// `(x − min) / (max − min)` for each column of `x`, which must have as
    /// many columns as the fitted matrix.
    ///
    /// ```
    /// use nn::prelude::*;
    /// let s = data::MinMax::fit(&array![[0.0, 0.0], [4.0, 2.0]])?;
    /// assert_eq!(s.transform(&array![[1.0, 1.0]])?, array![[0.25, 0.5]]);
    /// assert!(s.transform(&array![[1.0]]).is_err());       // 1 column, fitted on 2
    /// # Ok::<(), nn::Error>(())
    /// ```
    pub fn transform(&self, x: &Array2<f64>) -> Result<Array2<f64>> {
        check_width(x, self.min.len(), "MinMax::transform")?;
        Ok((x - &self.min) / &self.range())
    }

    /// Undoes [`MinMax::transform`]: `x' · (max − min) + min`, for example to
    /// read a network's scaled prediction in the original units.
    ///
    /// ```
    /// use nn::prelude::*;
    /// let scores = array![[20.0], [56.0]];
    /// let s = data::MinMax::fit(&scores)?;
    /// assert_eq!(s.inverse_transform(&array![[0.5]])?, array![[38.0]]);
    /// # Ok::<(), nn::Error>(())
    /// ```
    pub fn inverse_transform(&self, x: &Array2<f64>) -> Result<Array2<f64>> {
        check_width(x, self.min.len(), "MinMax::inverse_transform")?;
        Ok(x * &self.range() + &self.min)
    }
}

/// Standardization that remembers each column's mean and standard deviation.
///
/// ```text
/// mean = Σ x / n
/// std  = √( Σ (x − mean)² / n )        (population std, NumPy's default)
/// transform:          x' = (x − mean) / std
/// inverse_transform:  x  = x' · std + mean
/// ```
///
/// for each column. A constant column gets `std = 0` and is divided by 1
/// instead, so it becomes 0 rather than 0/0. On the fitted rows every other
/// column comes out with mean 0 and standard deviation 1.
///
/// ```
/// use nn::prelude::*;
///
/// let train = array![[1.0, 7.0], [3.0, 7.0]];
/// let scaler = data::Standard::fit(&train)?;
/// assert_eq!(scaler.mean().to_vec(), vec![2.0, 7.0]);
/// assert_eq!(scaler.std().to_vec(), vec![1.0, 0.0]);
/// assert_eq!(scaler.transform(&train)?, array![[-1.0, 0.0], [1.0, 0.0]]);
/// # Ok::<(), nn::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Standard {
    mean: Array1<f64>,
    std: Array1<f64>,
}

impl Standard {
    /// Learns each column's mean and standard deviation from `x`
    /// (rows × columns). Fails for a matrix with no rows or columns, or with
    /// NaN or infinity.
    ///
    /// ```
    /// use nn::prelude::*;
    /// let s = data::Standard::fit(&array![[2.0], [4.0], [6.0]])?;
    /// assert_eq!(s.mean()[0], 4.0);
    /// assert!((s.std()[0] - (8.0f64 / 3.0).sqrt()).abs() < 1e-15);
    /// assert!(data::Standard::fit(&Array2::zeros((0, 2))).is_err());
    /// # Ok::<(), nn::Error>(())
    /// ```
    pub fn fit(x: &Array2<f64>) -> Result<Standard> {
        check_fittable(x)?;
        let n = x.nrows() as f64;
        let mut mean = Array1::zeros(x.ncols());
        let mut std = Array1::zeros(x.ncols());
        for (j, column) in x.columns().into_iter().enumerate() {
            let first = column[0];
            if column.iter().all(|&v| v == first) {
                // Exactly constant: summing could round the mean off `first`
                // and leave a tiny std that would blow the column up.
                mean[j] = first;
                continue;
            }
            let m = column.sum() / n;
            mean[j] = m;
            std[j] = (column.fold(0.0, |s, &v| s + (v - m) * (v - m)) / n).sqrt();
        }
        Ok(Standard { mean, std })
    }

    /// Each column's mean, as fitted.
    ///
    /// ```
    /// use nn::prelude::*;
    /// let s = data::Standard::fit(&array![[0.0], [4.0]])?;
    /// assert_eq!(s.mean().to_vec(), vec![2.0]);
    /// # Ok::<(), nn::Error>(())
    /// ```
    pub fn mean(&self) -> &Array1<f64> {
        &self.mean
    }

    /// Each column's (population) standard deviation, as fitted; 0 for a
    /// constant column.
    ///
    /// ```
    /// use nn::prelude::*;
    /// let s = data::Standard::fit(&array![[0.0], [4.0]])?;
    /// assert_eq!(s.std().to_vec(), vec![2.0]);
    /// # Ok::<(), nn::Error>(())
    /// ```
    pub fn std(&self) -> &Array1<f64> {
        &self.std
    }

    /// The standard deviation per column, with 1 for a constant column.
    fn scale(&self) -> Array1<f64> {
        self.std.mapv(|s| if s == 0.0 { 1.0 } else { s })
    }

    /// `(x − mean) / std` for each column of `x`, which must have as many
    /// columns as the fitted matrix.
    ///
    /// ```
    /// use nn::prelude::*;
    /// let s = data::Standard::fit(&array![[0.0], [4.0]])?;      // mean 2, std 2
    /// assert_eq!(s.transform(&array![[8.0]])?, array![[3.0]]);
    /// # Ok::<(), nn::Error>(())
    /// ```
    pub fn transform(&self, x: &Array2<f64>) -> Result<Array2<f64>> {
        check_width(x, self.mean.len(), "Standard::transform")?;
        Ok((x - &self.mean) / &self.scale())
    }

    /// Undoes [`Standard::transform`]: `x' · std + mean`.
    ///
    /// ```
    /// use nn::prelude::*;
    /// let s = data::Standard::fit(&array![[0.0], [4.0]])?;      // mean 2, std 2
    /// assert_eq!(s.inverse_transform(&array![[3.0]])?, array![[8.0]]);
    /// # Ok::<(), nn::Error>(())
    /// ```
    pub fn inverse_transform(&self, x: &Array2<f64>) -> Result<Array2<f64>> {
        check_width(x, self.mean.len(), "Standard::inverse_transform")?;
        Ok(x * &self.scale() + &self.mean)
    }
}

/// A scaler learns from at least one row and one column of finite numbers.
fn check_fittable(x: &Array2<f64>) -> Result<()> {
    if x.nrows() == 0 || x.ncols() == 0 {
        return Err(Error::Data(format!(
            "cannot fit a scaler to an empty matrix ({}, {}); give it at least one row and one column",
            x.nrows(),
            x.ncols()
        )));
    }
    check_finite(x, "the matrix to fit")
}

/// A fitted scaler transforms matrices with the columns it was fitted on.
fn check_width(x: &Array2<f64>, columns: usize, context: &str) -> Result<()> {
    if x.ncols() != columns {
        return Err(Error::Shape {
            context: context.into(),
            expected: Shape::new(None, Some(columns)),
            got: x.dim(),
            hint: format!(
                "the scaler was fitted on {columns} columns; pass the same columns in the same order"
            ),
        });
    }
    check_finite(x, "the matrix to transform")
}
