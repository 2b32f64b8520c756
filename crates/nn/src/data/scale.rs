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
//!
//! A [`Scaler`] is either fitted scaler, in the form a model file carries
//! (`ModelInfo::scaler` with the feature `files`), so that rows given to a
//! saved model later are scaled exactly as its training rows were.

use ndarray::{Array1, Array2, Axis};

use crate::error::{check_finite, count, Error, Result, Shape};

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
#[cfg_attr(feature = "files", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(
    feature = "files",
    serde(into = "files::MinMaxColumns", try_from = "files::MinMaxColumns")
)]
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

    /// Like [`fit`](MinMax::fit) with every minimum taken as 0: `x / max`
    /// per column, the original notebook's `X / np.amax(X, axis=0)`
    /// ([`max_scale`], to the bit) as a scaler that remembers its maxima.
    ///
    /// ```
    /// use nn::prelude::*;
    /// let x = array![[3.0, 0.0], [9.0, 0.0]];
    /// let s = data::MinMax::fit_max(&x)?;
    /// assert_eq!(s.transform(&x)?, data::max_scale(&x));
    /// assert_eq!((s.min().to_vec(), s.max().to_vec()), (vec![0.0, 0.0], vec![9.0, 0.0]));
    /// # Ok::<(), nn::Error>(())
    /// ```
    pub fn fit_max(x: &Array2<f64>) -> Result<MinMax> {
        check_fittable(x)?;
        Ok(MinMax {
            min: Array1::zeros(x.ncols()),
            max: x.fold_axis(Axis(0), f64::NEG_INFINITY, |&m, &v| m.max(v)),
        })
    }

    /// A scaler with these minima and maxima, one of each per column, all
    /// finite (a maximum below its minimum is allowed: [`fit_max`](MinMax::fit_max)
    /// gives one for a column of negative numbers).
    ///
    /// ```
    /// use nn::prelude::*;
    /// let s = data::MinMax::from_bounds(array![0.0, 5.0], array![10.0, 5.0])?;
    /// assert_eq!(s.transform(&array![[5.0, 5.0]])?, array![[0.5, 0.0]]);
    /// let err = data::MinMax::from_bounds(array![0.0], array![1.0, 2.0]).unwrap_err();
    /// assert_eq!(err.to_string(), "invalid data: a scaler needs as many maxima as minima, one per column; got 2 maxima for 1 minimum");
    /// # Ok::<(), nn::Error>(())
    /// ```
    pub fn from_bounds(min: Array1<f64>, max: Array1<f64>) -> Result<MinMax> {
        check_columns(&min, &max, ("minimum", "minima"), ("maximum", "maxima"))?;
        Ok(MinMax { min, max })
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
#[cfg_attr(feature = "files", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(
    feature = "files",
    serde(into = "files::StandardColumns", try_from = "files::StandardColumns")
)]
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

    /// A scaler with these means and standard deviations, one of each per
    /// column, all finite, every deviation ≥ 0 (0 for a constant column).
    ///
    /// ```
    /// use nn::prelude::*;
    /// let s = data::Standard::from_moments(array![2.0], array![4.0])?;
    /// assert_eq!(s.transform(&array![[10.0]])?, array![[2.0]]);
    /// let err = data::Standard::from_moments(array![0.0], array![-1.0]).unwrap_err();
    /// assert!(err.to_string().contains("standard deviation -1 in column 1"));
    /// # Ok::<(), nn::Error>(())
    /// ```
    pub fn from_moments(mean: Array1<f64>, std: Array1<f64>) -> Result<Standard> {
        check_columns(
            &mean,
            &std,
            ("mean", "means"),
            ("standard deviation", "standard deviations"),
        )?;
        if let Some((j, s)) = std.iter().enumerate().find(|(_, &s)| s < 0.0) {
            return Err(Error::Data(format!(
                "a scaler cannot have the standard deviation {s} in column {}; a deviation is ≥ 0",
                j + 1
            )));
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

/// Either fitted scaler: what a model file keeps so that new rows are scaled
/// as the training rows were.
///
/// ```
/// use nn::prelude::*;
/// use nn::data::Scaler;
///
/// let train = array![[1.0, 10.0], [3.0, 30.0]];
/// let scaler = Scaler::from(data::Standard::fit(&train)?);
/// assert_eq!(scaler.transform(&train)?, array![[-1.0, -1.0], [1.0, 1.0]]);
/// assert_eq!((scaler.name(), scaler.columns()), ("standard", 2));
/// # Ok::<(), nn::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "files", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "files", serde(tag = "kind", rename_all = "snake_case"))]
pub enum Scaler {
    /// `(x − min) / (max − min)` per column.
    MinMax(MinMax),
    /// `(x − mean) / std` per column.
    Standard(Standard),
}

impl Scaler {
    /// `min_max` or `standard`, as a model file spells it.
    pub fn name(&self) -> &'static str {
        match self {
            Scaler::MinMax(_) => "min_max",
            Scaler::Standard(_) => "standard",
        }
    }

    /// The number of columns it was fitted on.
    pub fn columns(&self) -> usize {
        match self {
            Scaler::MinMax(s) => s.min.len(),
            Scaler::Standard(s) => s.mean.len(),
        }
    }

    /// Scales the rows of `x`, whose columns must be the fitted ones.
    pub fn transform(&self, x: &Array2<f64>) -> Result<Array2<f64>> {
        match self {
            Scaler::MinMax(s) => s.transform(x),
            Scaler::Standard(s) => s.transform(x),
        }
    }

    /// Undoes [`transform`](Scaler::transform).
    ///
    /// ```
    /// use nn::prelude::*;
    /// let s = data::Scaler::from(data::MinMax::fit(&array![[2.0], [4.0]])?);
    /// assert_eq!(s.inverse_transform(&s.transform(&array![[3.0]])?)?, array![[3.0]]);
    /// # Ok::<(), nn::Error>(())
    /// ```
    pub fn inverse_transform(&self, x: &Array2<f64>) -> Result<Array2<f64>> {
        match self {
            Scaler::MinMax(s) => s.inverse_transform(x),
            Scaler::Standard(s) => s.inverse_transform(x),
        }
    }
}

impl From<MinMax> for Scaler {
    fn from(s: MinMax) -> Scaler {
        Scaler::MinMax(s)
    }
}

impl From<Standard> for Scaler {
    fn from(s: Standard) -> Scaler {
        Scaler::Standard(s)
    }
}

/// Statistics given by hand: one of each per column, at least one column,
/// every value finite.
fn check_columns(
    a: &Array1<f64>,
    b: &Array1<f64>,
    (one_a, many_a): (&str, &str),
    (one_b, many_b): (&str, &str),
) -> Result<()> {
    if a.is_empty() || a.len() != b.len() {
        return Err(Error::Data(format!(
            "a scaler needs as many {many_b} as {many_a}, one per column; got {} for {}",
            count(b.len(), one_b, many_b),
            count(a.len(), one_a, many_a)
        )));
    }
    for (what, values) in [(one_a, a), (one_b, b)] {
        if let Some((j, v)) = values.iter().enumerate().find(|(_, v)| !v.is_finite()) {
            return Err(Error::Data(format!(
                "a scaler cannot have the {what} {v} in column {}; give finite numbers",
                j + 1
            )));
        }
    }
    Ok(())
}

/// How the scalers are written in a model file: plain lists of numbers, so
/// that `json.loads` in Python reads them as they are.
#[cfg(feature = "files")]
mod files {
    use super::{MinMax, Standard};
    use ndarray::Array1;

    #[derive(serde::Serialize, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct MinMaxColumns {
        min: Vec<f64>,
        max: Vec<f64>,
    }

    #[derive(serde::Serialize, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct StandardColumns {
        mean: Vec<f64>,
        std: Vec<f64>,
    }

    impl From<MinMax> for MinMaxColumns {
        fn from(s: MinMax) -> Self {
            MinMaxColumns {
                min: s.min.to_vec(),
                max: s.max.to_vec(),
            }
        }
    }

    impl TryFrom<MinMaxColumns> for MinMax {
        type Error = crate::Error;
        fn try_from(c: MinMaxColumns) -> crate::Result<MinMax> {
            MinMax::from_bounds(Array1::from(c.min), Array1::from(c.max))
        }
    }

    impl From<Standard> for StandardColumns {
        fn from(s: Standard) -> Self {
            StandardColumns {
                mean: s.mean.to_vec(),
                std: s.std.to_vec(),
            }
        }
    }

    impl TryFrom<StandardColumns> for Standard {
        type Error = crate::Error;
        fn try_from(c: StandardColumns) -> crate::Result<Standard> {
            Standard::from_moments(Array1::from(c.mean), Array1::from(c.std))
        }
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
