//! Toy problems: small two-dimensional datasets whose classes a straight
//! line cannot separate, so that a hidden layer has something to do.
//!
//! Every generator works the same way:
//!
//! 1. lay the points out exactly on their curves (or at their centers),
//!    class by class, with labels 0, 1, 2, … in `y` (rows × 1);
//! 2. add Gaussian noise `noise · z`, `z ~ N(0, 1)`, drawn row by row from
//!    `ChaCha8Rng::seed_from_u64(seed)`;
//! 3. shuffle the rows with the same generator, so that any first `k` rows
//!    are a fair sample.
//!
//! Because step 2 always draws the same numbers for the same seed, changing
//! only `noise` moves every point along the same direction, further or less
//! far; `noise = 0` gives the clean curves (still shuffled).

use std::f64::consts::PI;

use ndarray::{array, Array2, Axis};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::StandardNormal;

use super::split::shuffle_indices;
use super::{check_size, Dataset};
use crate::error::{check_finite, Error, Result};

/// The XOR truth table: two bits in, 1 when exactly one of them is set.
///
/// ```text
/// x1 x2 | y
///  0  0 | 0
///  0  1 | 1
///  1  0 | 1
///  1  1 | 0
/// ```
///
/// The smallest problem a network without a hidden layer cannot learn: no
/// straight line puts (0,1) and (1,0) on one side and (0,0), (1,1) on the
/// other.
///
/// ```
/// use nn::prelude::*;
///
/// let d = data::xor();
/// assert_eq!(d.x, array![[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]);
/// assert_eq!(d.y, array![[0.0], [1.0], [1.0], [0.0]]);
/// ```
pub fn xor() -> Dataset {
    Dataset {
        x: array![[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]],
        y: array![[0.0], [1.0], [1.0], [0.0]],
    }
}

/// Two interleaving half circles, like scikit-learn's `make_moons`.
///
/// `n` rows (n ≥ 2): the first `⌊n/2⌋` points lie on the upper moon
/// (label 0), the other `⌈n/2⌉` on the lower moon (label 1), at angles
/// `t` spread evenly over [0, π]:
///
/// ```text
/// label 0:  (cos t,      sin t)          x1 in [-1, 1], x2 in [0, 1]
/// label 1:  (1 − cos t,  0.5 − sin t)    x1 in [0, 2],  x2 in [-0.5, 0.5]
/// ```
///
/// then `noise · N(0, 1)` is added to each coordinate and the rows are
/// shuffled. Without noise every point lies in [-1, 2] × [-0.5, 1]; a noise
/// of about 0.1–0.2 makes a problem that needs a curved boundary.
///
/// ```
/// use nn::prelude::*;
///
/// let d = data::moons(100, 0.1, 42)?;
/// assert_eq!((d.x.dim(), d.y.dim()), ((100, 2), (100, 1)));
/// assert_eq!(d.y.sum(), 50.0);                       // 50 of each class
/// assert_eq!(d, data::moons(100, 0.1, 42)?);         // same seed, same data
/// assert!(data::moons(100, -0.1, 42).is_err());
/// # Ok::<(), nn::Error>(())
/// ```
pub fn moons(n: usize, noise: f64, seed: u64) -> Result<Dataset> {
    check_at_least("n", n, 2, "at least 2, so that each moon gets a point")?;
    check_noise(noise)?;
    check_size(n, 2, "moons")?;
    let upper = n / 2;
    let mut x = Array2::zeros((n, 2));
    let mut y = Array2::zeros((n, 1));
    for (i, t) in spread(0.0, PI, upper).enumerate() {
        x[[i, 0]] = t.cos();
        x[[i, 1]] = t.sin();
    }
    for (j, t) in spread(0.0, PI, n - upper).enumerate() {
        let i = upper + j;
        x[[i, 0]] = 1.0 - t.cos();
        x[[i, 1]] = 0.5 - t.sin();
        y[[i, 0]] = 1.0;
    }
    jitter_and_shuffle(x, y, noise, seed)
}

/// A small circle inside a large one, like scikit-learn's `make_circles`.
///
/// `n` rows (n ≥ 2): `⌊n/2⌋` points on the unit circle (label 0) and
/// `⌈n/2⌉` on a circle of radius `factor` (label 1), each circle's points at
/// evenly spaced angles `t = 2π·i / count`:
///
/// ```text
/// label 0:  (cos t, sin t)                    radius 1
/// label 1:  (factor·cos t, factor·sin t)      radius factor, 0 ≤ factor < 1
/// ```
///
/// then `noise · N(0, 1)` is added to each coordinate and the rows are
/// shuffled. Without noise every point lies in [-1, 1] × [-1, 1]. The classes
/// are separated by a ring, which a network can only draw with a hidden layer.
///
/// ```
/// use nn::prelude::*;
///
/// let d = data::circles(200, 0.0, 0.5, 1)?;
/// for (row, label) in d.x.rows().into_iter().zip(d.y.iter()) {
///     let radius = row[0].hypot(row[1]);
///     let expected = if *label == 0.0 { 1.0 } else { 0.5 };
///     assert!((radius - expected).abs() < 1e-12);
/// }
/// assert!(data::circles(200, 0.0, 1.0, 1).is_err());     // factor must be below 1
/// # Ok::<(), nn::Error>(())
/// ```
pub fn circles(n: usize, noise: f64, factor: f64, seed: u64) -> Result<Dataset> {
    check_at_least("n", n, 2, "at least 2, so that each circle gets a point")?;
    check_noise(noise)?;
    if !(0.0..1.0).contains(&factor) {
        return Err(Error::InvalidParameter {
            name: "factor",
            value: factor.to_string(),
            valid: "in [0, 1): the inner circle's radius as a fraction of the outer one's",
        });
    }
    check_size(n, 2, "circles")?;
    let outer = n / 2;
    let mut x = Array2::zeros((n, 2));
    let mut y = Array2::zeros((n, 1));
    for i in 0..outer {
        let t = 2.0 * PI * i as f64 / outer as f64;
        x[[i, 0]] = t.cos();
        x[[i, 1]] = t.sin();
    }
    let inner = n - outer;
    for j in 0..inner {
        let t = 2.0 * PI * j as f64 / inner as f64;
        let i = outer + j;
        x[[i, 0]] = factor * t.cos();
        x[[i, 1]] = factor * t.sin();
        y[[i, 0]] = 1.0;
    }
    jitter_and_shuffle(x, y, noise, seed)
}

/// The classic spiral of Stanford's CS231n notes: `classes` arms winding out
/// from the origin, `n_per_class` points on each.
///
/// Arm `j` (label `j`) has points `i = 0, …, N−1` with radius `r` growing
/// evenly from 0 to 1 while the angle `t` turns through 4 radians:
///
/// ```text
/// r = i / (N − 1)
/// t = 4·j + 4·i / (N − 1) + noise · N(0, 1)
/// (x1, x2) = (r·sin t, r·cos t)
/// ```
///
/// Here `noise` is the standard deviation of the *angle*, in radians
/// (CS231n uses 0.2), so every point stays in the unit disk, inside
/// [-1, 1] × [-1, 1]; with `N = 1` the single point of each arm sits at
/// the origin. The rows are shuffled. With 3 arms a linear classifier gets
/// only about half of the points right (CS231n reports 49 %), a network with
/// one hidden layer nearly all.
///
/// ```
/// use nn::prelude::*;
///
/// let d = data::spirals(100, 3, 0.2, 0)?;
/// assert_eq!(d.x.dim(), (300, 2));
/// assert_eq!(d.classes(), Some(3));
/// assert!(d.x.rows().into_iter().all(|p| p[0].hypot(p[1]) <= 1.0 + 1e-12));
/// # Ok::<(), nn::Error>(())
/// ```
pub fn spirals(n_per_class: usize, classes: usize, noise: f64, seed: u64) -> Result<Dataset> {
    check_at_least("n_per_class", n_per_class, 1, "at least 1")?;
    check_at_least(
        "classes",
        classes,
        1,
        "at least 1 (3 is the classic picture)",
    )?;
    check_noise(noise)?;
    let n = n_per_class.saturating_mul(classes);
    check_size(n, 2, "spirals")?;
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut x = Array2::zeros((n, 2));
    let mut y = Array2::zeros((n, 1));
    for j in 0..classes {
        for (i, r) in spread(0.0, 1.0, n_per_class).enumerate() {
            let z: f64 = rng.sample(StandardNormal);
            let t = 4.0 * j as f64 + 4.0 * r + noise * z;
            let row = j * n_per_class + i;
            x[[row, 0]] = r * t.sin();
            x[[row, 1]] = r * t.cos();
            y[[row, 0]] = j as f64;
        }
    }
    check_overflow(&x, noise)?;
    Ok(shuffle_rows(x, y, &mut rng))
}

/// Gaussian blobs: round clouds of points around the given `centers`
/// (k × d, one center per row), like scikit-learn's `make_blobs`.
///
/// The `n` rows (n ≥ k) are shared out as evenly as possible: each center
/// gets `⌊n/k⌋` points and the first `n mod k` centers one more. A point of
/// center `c` (label `c`) is
///
/// ```text
/// x = centers[c] + std · z,   z ~ N(0, I)  (d independent standard normals)
/// ```
///
/// so about 99.7 % of each coordinate lies within `center ± 3·std`. The rows
/// are shuffled. Use [`circle_centers`] for k centers evenly around a circle.
///
/// ```
/// use nn::prelude::*;
///
/// let two = data::blobs(100, &array![[0.0, 0.0], [5.0, 5.0]], 1.0, 3)?;
/// assert_eq!(two.classes(), Some(2));
///
/// let four = data::blobs(400, &data::circle_centers(4, 3.0)?, 0.5, 3)?;
/// assert_eq!(four.x.dim(), (400, 2));
/// # Ok::<(), nn::Error>(())
/// ```
pub fn blobs(n: usize, centers: &Array2<f64>, std: f64, seed: u64) -> Result<Dataset> {
    let (k, d) = centers.dim();
    if k == 0 || d == 0 {
        return Err(Error::Data(format!(
            "blobs needs at least one center with at least one coordinate, but centers is \
             ({k}, {d}); give one center per row, e.g. array![[0.0, 0.0], [3.0, 3.0]]"
        )));
    }
    check_finite(centers, "centers")?;
    if n < k {
        return Err(Error::Data(format!(
            "blobs was asked for {n} points around {k} centers; ask for at least {k} points \
             so that every center gets one"
        )));
    }
    if !(std.is_finite() && std >= 0.0) {
        return Err(Error::InvalidParameter {
            name: "std",
            value: std.to_string(),
            valid: "a finite number ≥ 0: the standard deviation of each blob",
        });
    }
    check_size(n, d, "blobs")?;
    let mut x = Array2::zeros((n, d));
    let mut y = Array2::zeros((n, 1));
    for i in 0..n {
        // Row i goes to center i mod k: ⌊n/k⌋ each, the first n mod k one more.
        let c = i % k;
        x.row_mut(i).assign(&centers.row(c));
        y[[i, 0]] = c as f64;
    }
    jitter_and_shuffle(x, y, std, seed)
}

/// `k` points evenly around a circle of the given radius, centered on the
/// origin, starting on the positive x1 axis: center `j` is
/// `radius · (cos(2πj/k), sin(2πj/k))`. A k × 2 matrix for [`blobs`].
///
/// ```
/// let c = nn::data::circle_centers(4, 2.0)?;
/// assert_eq!(c.dim(), (4, 2));
/// assert_eq!(c.row(0).to_vec(), vec![2.0, 0.0]);
/// assert!((c[[1, 1]] - 2.0).abs() < 1e-12);               // a quarter turn on
/// # Ok::<(), nn::Error>(())
/// ```
pub fn circle_centers(k: usize, radius: f64) -> Result<Array2<f64>> {
    check_at_least("k", k, 1, "at least 1")?;
    if !(radius.is_finite() && radius >= 0.0) {
        return Err(Error::InvalidParameter {
            name: "radius",
            value: radius.to_string(),
            valid: "a finite number ≥ 0",
        });
    }
    check_size(k, 2, "circle_centers")?;
    Ok(Array2::from_shape_fn((k, 2), |(j, axis)| {
        let t = 2.0 * PI * j as f64 / k as f64;
        radius * if axis == 0 { t.cos() } else { t.sin() }
    }))
}

/// `count` values from `start` to `end`, both included and evenly spaced,
/// like `np.linspace(start, end, count)`; a single value is `start`.
fn spread(start: f64, end: f64, count: usize) -> impl Iterator<Item = f64> {
    let step = if count > 1 {
        (end - start) / (count - 1) as f64
    } else {
        0.0
    };
    (0..count).map(move |i| start + step * i as f64)
}

/// Adds `noise · N(0, 1)` to every entry of `x` (row by row) and shuffles
/// the rows, all from one generator seeded with `seed`.
fn jitter_and_shuffle(
    mut x: Array2<f64>,
    y: Array2<f64>,
    noise: f64,
    seed: u64,
) -> Result<Dataset> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    for v in x.iter_mut() {
        let z: f64 = rng.sample(StandardNormal);
        *v += noise * z;
    }
    check_overflow(&x, noise)?;
    Ok(shuffle_rows(x, y, &mut rng))
}

/// Refuses points that a huge noise (or huge centers) pushed past the
/// largest `f64`.
fn check_overflow(x: &Array2<f64>, noise: f64) -> Result<()> {
    if x.iter().any(|v| !v.is_finite()) {
        return Err(Error::Data(format!(
            "with noise {noise} some points overflowed to infinity; use a smaller noise \
             (or smaller centers)"
        )));
    }
    Ok(())
}

/// Puts the rows of `x` and `y` in the same random order.
fn shuffle_rows<R: Rng>(x: Array2<f64>, y: Array2<f64>, rng: &mut R) -> Dataset {
    let order = shuffle_indices(x.nrows(), rng);
    Dataset {
        x: x.select(Axis(0), &order),
        y: y.select(Axis(0), &order),
    }
}

/// Refuses a count below `min`.
fn check_at_least(name: &'static str, value: usize, min: usize, valid: &'static str) -> Result<()> {
    if value < min {
        return Err(Error::InvalidParameter {
            name,
            value: value.to_string(),
            valid,
        });
    }
    Ok(())
}

/// Refuses a noise level that is negative, NaN or infinite.
fn check_noise(noise: f64) -> Result<()> {
    if !(noise.is_finite() && noise >= 0.0) {
        return Err(Error::InvalidParameter {
            name: "noise",
            value: noise.to_string(),
            valid: "a finite number ≥ 0: the standard deviation of the Gaussian noise (0 for none)",
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spread_is_numpy_linspace() {
        assert_eq!(
            spread(0.0, 1.0, 5).collect::<Vec<_>>(),
            vec![0.0, 0.25, 0.5, 0.75, 1.0]
        );
        assert_eq!(spread(2.0, 9.0, 1).collect::<Vec<_>>(), vec![2.0]);
        assert_eq!(spread(0.0, 1.0, 0).count(), 0);
    }

    #[test]
    fn shuffle_rows_keeps_pairs() {
        let x = array![[0.0], [1.0], [2.0], [3.0]];
        let d = shuffle_rows(x.clone(), x, &mut ChaCha8Rng::seed_from_u64(0));
        assert_eq!(d.x, d.y);
    }
}
