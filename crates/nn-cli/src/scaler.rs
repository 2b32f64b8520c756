//! Input scaling, remembered so that `nn predict` scales new rows exactly as
//! the training rows were.
//!
//! Every kind is x' = (x − shift) / scale, column by column:
//!
//! | kind | shift | scale |
//! | --- | --- | --- |
//! | max | 0 | the column's largest value |
//! | minmax | the column's minimum | max − min |
//! | standard | the column's mean | its standard deviation |
//!
//! A column whose scale would be 0 (constant, or all zeros) keeps scale 1,
//! rather than being divided by zero.

use nn::ndarray::{Array2, Axis};
use serde::{Deserialize, Serialize};

use crate::config::ScaleName;

/// The shift and scale of each input column.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Scaler {
    pub kind: ScaleName,
    pub shift: Vec<f64>,
    pub scale: Vec<f64>,
}

impl Scaler {
    /// Measures the columns of `x` for scaling of this `kind`.
    pub fn fit(kind: ScaleName, x: &Array2<f64>) -> Scaler {
        let column = |f: &dyn Fn(nn::ndarray::ArrayView1<f64>) -> f64| -> Vec<f64> {
            x.axis_iter(Axis(1)).map(f).collect()
        };
        let max = |c: nn::ndarray::ArrayView1<f64>| c.fold(f64::NEG_INFINITY, |m, &v| m.max(v));
        let min = |c: nn::ndarray::ArrayView1<f64>| c.fold(f64::INFINITY, |m, &v| m.min(v));
        let mean = |c: nn::ndarray::ArrayView1<f64>| c.mean().unwrap_or(0.0);
        let (shift, scale) = match kind {
            ScaleName::None => (vec![0.0; x.ncols()], vec![1.0; x.ncols()]),
            ScaleName::Max => (vec![0.0; x.ncols()], column(&max)),
            ScaleName::Minmax => (column(&min), column(&|c| max(c) - min(c))),
            ScaleName::Standard => (column(&mean), column(&|c| c.std(0.0))),
        };
        let scale = scale
            .into_iter()
            .map(|s| if s != 0.0 && s.is_finite() { s } else { 1.0 })
            .collect();
        Scaler { kind, shift, scale }
    }

    /// Scales the rows of `x`, whose columns must be the ones fitted.
    pub fn apply(&self, x: &Array2<f64>) -> Array2<f64> {
        let mut out = x.clone();
        for (mut c, (shift, scale)) in out
            .axis_iter_mut(Axis(1))
            .zip(self.shift.iter().zip(&self.scale))
        {
            c.mapv_inplace(|v| (v - shift) / scale);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use nn::ndarray::array;

    #[test]
    fn each_kind_maps_the_columns_as_documented() {
        let x = array![[1.0, 5.0], [3.0, 5.0]];
        let minmax = Scaler::fit(ScaleName::Minmax, &x);
        assert_eq!(minmax.apply(&x), array![[0.0, 0.0], [1.0, 0.0]]);
        let standard = Scaler::fit(ScaleName::Standard, &x);
        assert_eq!(standard.apply(&x), array![[-1.0, 0.0], [1.0, 0.0]]);
        let max = Scaler::fit(ScaleName::Max, &x);
        assert_eq!(max.apply(&x), array![[1.0 / 3.0, 1.0], [1.0, 1.0]]);
        assert_eq!(Scaler::fit(ScaleName::None, &x).apply(&x), x);
    }
}
