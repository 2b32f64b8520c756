//! The loops that layers, losses and optimizers run on (crate-internal).
//!
//! A training step makes about twenty passes over small matrices: the
//! original network's are 3 × 2, 3 × 3 and 3 × 1. ndarray's general tools
//! (`Zip`, broadcasting, and matrixmultiply behind `general_mat_mul`) first
//! inspect the memory layout of every operand, and matrixmultiply packs its
//! inputs into aligned blocks in a buffer it allocates; for a 3 × 3 matrix
//! that costs more than the arithmetic. So:
//!
//! - element-wise passes go straight through the numbers as slices when the
//!   matrices are stored row by row (every buffer the crate allocates is),
//!   and through `Zip` otherwise, with the same closure;
//! - a product of at most [`SMALL_PRODUCT`] multiply-adds is a plain triple
//!   loop, and a larger one goes to `general_mat_mul`.
//!
//! Every sum here runs in a fixed order, so results are the same, bit for
//! bit, from run to run. The small products also sum exactly as
//! matrixmultiply does (the library behind `a.dot(&b)` in the textbook
//! modules): one term after another from 0, each added with a fused
//! multiply-add where the processor has one and matrixmultiply uses it, so
//! that the engine's products equal the textbook's to the bit.

use std::borrow::Cow;

use ndarray::{linalg::general_mat_mul, Array2, ArrayView2, ArrayViewMut2, Zip};

/// Products with at most this many multiply-adds (m·k·n) use plain loops.
/// matrixmultiply's packing pays off from a few hundred on: at 3×2·2×3 it
/// takes about 250 ns where the loop takes 20 ns, at 8×8·8×8 it wins
/// (150 ns against 230 ns).
pub(crate) const SMALL_PRODUCT: usize = 256;

/// `c ← a·b` for a (m × k), b (k × n), c (m × n) in any memory layout (`a`
/// and `b` may be transposed views).
///
/// Each entry is `c[i, j] = Σₚ a[i, p]·b[p, j]`, summed in the order of `p`.
pub(crate) fn mat_mul_into(a: ArrayView2<f64>, b: ArrayView2<f64>, mut c: ArrayViewMut2<f64>) {
    let ((m, k), n) = (a.dim(), b.ncols());
    assert!(
        b.nrows() == k && c.dim() == (m, n),
        "mat_mul_into: {:?}·{:?} into {:?}",
        a.dim(),
        b.dim(),
        c.dim()
    );
    if m * k * n > SMALL_PRODUCT {
        general_mat_mul(1.0, &a, &b, 0.0, &mut c);
        return;
    }
    let shape = Product {
        m,
        k,
        n,
        a: strides(&a),
        b: strides(&b),
        c: strides(&c.view()),
    };
    let (a, b, c) = (a.as_ptr(), b.as_ptr(), c.as_mut_ptr());
    // SAFETY: the pointers and strides are those of views of the asserted shapes.
    unsafe {
        #[cfg(any(target_arch = "x86", target_arch = "x86_64"))]
        if fused() {
            return small_product_fused(&shape, a, b, c);
        }
        small_product(&shape, a, b, c)
    }
}

/// The sizes and strides of one small product.
struct Product {
    m: usize,
    k: usize,
    n: usize,
    a: [isize; 2],
    b: [isize; 2],
    c: [isize; 2],
}

/// Whether matrixmultiply computes with fused multiply-adds on this
/// processor (it does when the processor has them), asked once.
#[cfg(any(target_arch = "x86", target_arch = "x86_64"))]
fn fused() -> bool {
    static FUSED: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *FUSED.get_or_init(|| std::is_x86_feature_detected!("fma"))
}

/// One small product; `multiply_add(x, y, sum)` is x·y + sum, rounded
/// once or twice.
///
/// # Safety
/// `a`, `b` and `c` point at matrices of the sizes and strides in `shape`.
#[inline(always)]
unsafe fn product_with(
    shape: &Product,
    a: *const f64,
    b: *const f64,
    c: *mut f64,
    multiply_add: impl Fn(f64, f64, f64) -> f64,
) {
    let Product {
        m,
        k,
        n,
        a: [ra, ca],
        b: [rb, cb],
        c: [rc, cc],
    } = *shape;
    for i in 0..m {
        for j in 0..n {
            let mut sum = 0.0;
            for p in 0..k {
                // SAFETY: i < m, j < n and p < k, so every offset lands on an
                // element of its matrix.
                let (x, y) = unsafe {
                    (
                        *a.offset(i as isize * ra + p as isize * ca),
                        *b.offset(p as isize * rb + j as isize * cb),
                    )
                };
                sum = multiply_add(x, y, sum);
            }
            // SAFETY: as above.
            unsafe { *c.offset(i as isize * rc + j as isize * cc) = sum };
        }
    }
}

/// A small product with each term rounded, then added.
///
/// # Safety
/// As [`product_with`].
unsafe fn small_product(shape: &Product, a: *const f64, b: *const f64, c: *mut f64) {
    unsafe { product_with(shape, a, b, c, |x, y, sum| sum + x * y) }
}

/// A small product with fused multiply-adds, x·y + sum rounded once.
///
/// # Safety
/// As [`product_with`], and the processor must have FMA ([`fused`]).
#[cfg(any(target_arch = "x86", target_arch = "x86_64"))]
#[target_feature(enable = "fma")]
unsafe fn small_product_fused(shape: &Product, a: *const f64, b: *const f64, c: *mut f64) {
    unsafe { product_with(shape, a, b, c, |x, y, sum| x.mul_add(y, sum)) }
}

fn strides(m: &ArrayView2<f64>) -> [isize; 2] {
    let s = m.strides();
    [s[0], s[1]]
}

/// The entries of `m` as one slice, if it is stored row by row: strides
/// (cols, 1), entry (i, j) at i·cols + j. Every matrix the crate allocates is.
/// Two comparisons, where ndarray's `as_slice` walks the axes; it also
/// accepts any stride along an axis of length 1, and such a view simply takes
/// the `Zip` path below, to the same numbers.
#[inline]
fn rows<'a>(m: &ArrayView2<'a, f64>) -> Option<&'a [f64]> {
    let (r, c) = m.dim();
    // SAFETY: with these strides the r·c entries are one run of memory
    // from the first one, all inside the view.
    (m.strides() == [c as isize, 1])
        .then(|| unsafe { std::slice::from_raw_parts(m.as_ptr(), r * c) })
}

/// [`rows`] for a matrix written to.
#[inline]
fn rows_mut<'a>(m: &'a mut ArrayViewMut2<'_, f64>) -> Option<&'a mut [f64]> {
    let (r, c) = m.dim();
    // SAFETY: as in `rows`; the view is borrowed mutably for as long.
    (m.strides() == [c as isize, 1])
        .then(|| unsafe { std::slice::from_raw_parts_mut(m.as_mut_ptr(), r * c) })
}

/// `f(out, x)` for every pair of entries of two matrices of the same shape.
#[inline]
pub(crate) fn zip2(
    mut out: ArrayViewMut2<f64>,
    x: ArrayView2<f64>,
    mut f: impl FnMut(&mut f64, f64),
) {
    assert_eq!(out.dim(), x.dim(), "zip2: shapes differ");
    if let (Some(x), Some(out)) = (rows(&x), rows_mut(&mut out)) {
        for (o, &x) in out.iter_mut().zip(x) {
            f(o, x);
        }
        return;
    }
    Zip::from(out).and(x).for_each(|o, &x| f(o, x));
}

/// `f(out, x, y)` for every triple of entries of three matrices of the same shape.
#[inline]
pub(crate) fn zip3(
    mut out: ArrayViewMut2<f64>,
    x: ArrayView2<f64>,
    y: ArrayView2<f64>,
    mut f: impl FnMut(&mut f64, f64, f64),
) {
    assert!(
        out.dim() == x.dim() && x.dim() == y.dim(),
        "zip3: shapes differ"
    );
    if let (Some(x), Some(y), Some(out)) = (rows(&x), rows(&y), rows_mut(&mut out)) {
        for ((o, &x), &y) in out.iter_mut().zip(x).zip(y) {
            f(o, x, y);
        }
        return;
    }
    Zip::from(out)
        .and(x)
        .and(y)
        .for_each(|o, &x, &y| f(o, x, y));
}

/// Folds `f` over the pairs of entries of two matrices of the same shape,
/// one entry after another.
#[inline]
pub(crate) fn fold2(
    x: ArrayView2<f64>,
    y: ArrayView2<f64>,
    init: f64,
    mut f: impl FnMut(f64, f64, f64) -> f64,
) -> f64 {
    assert_eq!(x.dim(), y.dim(), "fold2: shapes differ");
    match (rows(&x), rows(&y)) {
        (Some(x), Some(y)) => x.iter().zip(y).fold(init, |acc, (&x, &y)| f(acc, x, y)),
        _ => Zip::from(x).and(y).fold(init, |acc, &x, &y| f(acc, x, y)),
    }
}

/// The entries of `m` row by row: borrowed when it is stored that way (an
/// optimizer's matrices always are), copied otherwise.
pub(crate) fn row_major(m: &Array2<f64>) -> Cow<'_, [f64]> {
    match rows(&m.view()) {
        Some(s) => Cow::Borrowed(s),
        None => Cow::Owned(m.iter().copied().collect()),
    }
}

/// The entries of `m` row by row, as one slice to write to. A matrix stored
/// otherwise (a transposed array put in by hand) is rearranged first, once.
pub(crate) fn row_major_mut(m: &mut Array2<f64>) -> &mut [f64] {
    if rows(&m.view()).is_none() {
        *m = m.as_standard_layout().into_owned();
    }
    m.as_slice_mut().expect("standard layout")
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::Array2;

    /// Both paths of `mat_mul_into` against a product written out by hand,
    /// with transposed inputs, and against `dot` to the bit.
    #[test]
    fn small_and_large_products_agree_with_the_definition() {
        for &(m, k, n) in &[(3, 2, 3), (1, 1, 1), (4, 4, 4), (7, 9, 5), (20, 30, 10)] {
            let a = Array2::from_shape_fn((m, k), |(i, p)| (i as f64 - 0.5 * p as f64) / 3.0);
            let b = Array2::from_shape_fn((k, n), |(p, j)| ((p * 3 + j) % 5) as f64 - 1.5);
            let want = Array2::from_shape_fn((m, n), |(i, j)| {
                (0..k).map(|p| a[[i, p]] * b[[p, j]]).sum::<f64>()
            });
            let mut c = Array2::zeros((m, n));
            mat_mul_into(a.view(), b.view(), c.view_mut());
            assert!(c.iter().zip(&want).all(|(x, y)| (x - y).abs() < 1e-12));
            let (at, bt) = (a.t().to_owned(), b.t().to_owned());
            let mut ct = Array2::ones((m, n));
            mat_mul_into(at.t(), bt.t(), ct.view_mut());
            assert_eq!(ct, c, "the same numbers in any layout");
            // ...and the same bits as ndarray's own product, which the textbook uses.
            assert_eq!(c, a.dot(&b));
        }
    }
}
