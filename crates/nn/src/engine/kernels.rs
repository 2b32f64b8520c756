//! The products the engine's layers are made of (crate-internal).
//!
//! A training step of the original network works on 3 × 2, 3 × 3 and 3 × 1
//! matrices: its 63 multiply-adds cost less than the bookkeeping of a
//! general matrix library (inspecting the memory layout of every operand,
//! packing the inputs into aligned blocks). So the engine keeps every matrix
//! of a run stored row by row, and describes each product of a step once,
//! when the run starts, as a [`Product`]: where its operands are, their
//! sizes, and the loops compiled for those sizes.
//!
//! - When each sum has at most four terms and c at most four columns, every
//!   loop but the one over the rows of c is unrolled and b is read once for
//!   all rows: the 3 × 2 · 2 × 3 product of the original's first layer is
//!   about 40 instructions.
//! - Other products of at most [`SMALL_PRODUCT`] multiply-adds are plain
//!   loops.
//! - Larger ones go to matrixmultiply's `general_mat_mul`, as the textbook's
//!   `dot` does.
//!
//! Every sum runs in a fixed order, so results are the same, bit for bit,
//! from run to run. The loops also sum exactly as matrixmultiply does (the
//! library behind `a.dot(&b)` in the textbook modules): one term after
//! another from 0, each added with a fused multiply-add where the processor
//! has one and matrixmultiply uses it ([`Cpu`]), so that the engine's
//! products equal the textbook's to the bit.

use std::ptr::NonNull;

use ndarray::{linalg::general_mat_mul, ArrayView2, ArrayViewMut2, ShapeBuilder};

use super::plan::Entries;

/// Products of more than this many multiply-adds (m·k·n) go to
/// matrixmultiply, whose packing pays off from a few hundred on: at
/// 3×2·2×3 it takes about 250 ns where a loop takes 20 ns, at 8×8·8×8 it
/// wins (150 ns against 230 ns).
pub(crate) const SMALL_PRODUCT: usize = 256;

/// What the processor can do that changes the engine's numbers: whether it
/// has fused multiply-adds, which matrixmultiply then uses (so the loops
/// must too, to give its bits).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Cpu {
    /// The processor has FMA (only ever true where it does, so that code
    /// compiled for FMA may run when it is).
    fma: bool,
}

impl Cpu {
    /// Asks the processor.
    pub(crate) fn detect() -> Cpu {
        #[cfg(any(target_arch = "x86", target_arch = "x86_64"))]
        let fma = std::is_x86_feature_detected!("fma");
        #[cfg(not(any(target_arch = "x86", target_arch = "x86_64")))]
        let fma = false;
        Cpu { fma }
    }
}

/// How one term of a product is added to its sum.
trait MulAdd {
    /// x·y + sum.
    fn mul_add(x: f64, y: f64, sum: f64) -> f64;
}

/// x·y + sum rounded once (a fused multiply-add): one instruction in the
/// kernels compiled for FMA.
enum Fused {}

/// x·y rounded, then added to the sum and rounded again.
enum Separate {}

impl MulAdd for Fused {
    #[inline(always)]
    fn mul_add(x: f64, y: f64, sum: f64) -> f64 {
        x.mul_add(y, sum)
    }
}

impl MulAdd for Separate {
    #[inline(always)]
    fn mul_add(x: f64, y: f64, sum: f64) -> f64 {
        sum + x * y
    }
}

/// An operand of a product: a matrix stored row by row, or the transpose
/// of one read from the same entries. Entry (i, p) is at `i·row + p·col`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Operand {
    start: NonNull<f64>,
    row: usize,
    col: usize,
}

impl Operand {
    /// The matrix of `cols` columns whose entries are `m`.
    pub(crate) fn rows(m: Entries, cols: usize) -> (Operand, usize) {
        let op = Operand {
            start: m.start(),
            row: cols,
            col: 1,
        };
        (op, m.len())
    }

    /// The transpose of the matrix of `cols` columns whose entries are `m`.
    pub(crate) fn transposed(m: Entries, cols: usize) -> (Operand, usize) {
        let op = Operand {
            start: m.start(),
            row: 1,
            col: cols,
        };
        (op, m.len())
    }

    /// Entry (i, p).
    ///
    /// # Safety
    /// The entry is inside the matrix, which is alive.
    #[inline(always)]
    unsafe fn at(&self, i: usize, p: usize) -> f64 {
        // SAFETY: the caller's.
        unsafe { *self.start.as_ptr().add(i * self.row + p * self.col) }
    }

    /// The m × k matrix as an ndarray view, for matrixmultiply.
    ///
    /// # Safety
    /// As [`at`](Operand::at), for every entry.
    unsafe fn view<'a>(&self, (m, k): (usize, usize)) -> ArrayView2<'a, f64> {
        // SAFETY: the caller's; the steps are positive.
        unsafe {
            ArrayView2::from_shape_ptr((m, k).strides((self.row, self.col)), self.start.as_ptr())
        }
    }
}

/// c ← a·b (+ a bias b′ added to every row: c[i, j] = Σₚ a[i, p]·b[p, j] + b′[j],
/// the sum finished first, as the textbook's `x.dot(&w) + b` rounds it), for
/// a (m × k), b (k × n) and c (m × n, row by row). Each sum runs from 0 in
/// the order of p.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Product {
    kernel: unsafe fn(&Product),
    a: Operand,
    b: Operand,
    c: NonNull<f64>,
    bias: Option<NonNull<f64>>,
    /// (m, k, n)
    dims: (usize, usize, usize),
}

impl Product {
    /// The product of `a` and `b` (operands with the number of their
    /// entries) into `c`, with `bias` added, of sizes `dims` = (m, k, n),
    /// compiled for `cpu`. Checks that every matrix has its size.
    pub(crate) fn new(
        cpu: Cpu,
        (a, b): ((Operand, usize), (Operand, usize)),
        c: Entries,
        bias: Option<Entries>,
        dims: (usize, usize, usize),
    ) -> Product {
        let (m, k, n) = dims;
        let fits = |(op, len): (Operand, usize), (r, s)| {
            r * s == len && ((op.row, op.col) == (s, 1) || (op.row, op.col) == (1, r))
        };
        assert!(
            fits(a, (m, k))
                && fits(b, (k, n))
                && c.len() == m * n
                && bias.map_or(true, |b| b.len() == n),
            "a product's matrices fit"
        );
        Product {
            kernel: kernel(cpu, k, n),
            a: a.0,
            b: b.0,
            c: c.start(),
            bias: bias.map(Entries::start),
            dims,
        }
    }

    /// Computes it.
    ///
    /// # Safety
    /// The matrices are alive and in place, and nothing else reads c or
    /// writes any of them during the call.
    #[inline(always)]
    pub(crate) unsafe fn run(&self) {
        // SAFETY: the caller's, and `new` checked the sizes.
        unsafe { (self.kernel)(self) }
    }
}

/// The loops of a product of sums of `k` terms into `n` columns.
fn kernel(cpu: Cpu, k: usize, n: usize) -> unsafe fn(&Product) {
    macro_rules! by_size {
        ($f:ident $(::<$m:ty>)?) => {
            match (k, n) {
                (1, 1) => $f::<$($m,)? 1, 1>, (1, 2) => $f::<$($m,)? 1, 2>,
                (1, 3) => $f::<$($m,)? 1, 3>, (1, 4) => $f::<$($m,)? 1, 4>,
                (2, 1) => $f::<$($m,)? 2, 1>, (2, 2) => $f::<$($m,)? 2, 2>,
                (2, 3) => $f::<$($m,)? 2, 3>, (2, 4) => $f::<$($m,)? 2, 4>,
                (3, 1) => $f::<$($m,)? 3, 1>, (3, 2) => $f::<$($m,)? 3, 2>,
                (3, 3) => $f::<$($m,)? 3, 3>, (3, 4) => $f::<$($m,)? 3, 4>,
                (4, 1) => $f::<$($m,)? 4, 1>, (4, 2) => $f::<$($m,)? 4, 2>,
                (4, 3) => $f::<$($m,)? 4, 3>, (4, 4) => $f::<$($m,)? 4, 4>,
                _ => $f::<$($m,)? 0, 0>,
            }
        };
    }
    #[cfg(any(target_arch = "x86", target_arch = "x86_64"))]
    if cpu.fma {
        return by_size!(product_fma);
    }
    let _ = cpu;
    by_size!(product::<Separate>)
}

/// [`product`] compiled for FMA.
///
/// # Safety
/// As [`Product::run`], and the processor has FMA.
#[cfg(any(target_arch = "x86", target_arch = "x86_64"))]
#[target_feature(enable = "fma")]
unsafe fn product_fma<const K: usize, const N: usize>(p: &Product) {
    // SAFETY: the caller's.
    unsafe { product::<Fused, K, N>(p) }
}

/// A product with each term added by `M`: for k = K and n = N, every loop
/// but the one over the rows unrolled and b read once; K = N = 0 for the
/// other sizes.
///
/// # Safety
/// As [`Product::run`].
#[inline(always)]
unsafe fn product<M: MulAdd, const K: usize, const N: usize>(p: &Product) {
    let (m, k, n) = p.dims;
    let (a, b) = (p.a, p.b);
    // SAFETY (every `at`, `add` and slice): the caller's; `Product::new`
    // checked that each matrix has its size, and each index is inside it.
    let c = unsafe { std::slice::from_raw_parts_mut(p.c.as_ptr(), m * n) };
    let bias = p
        .bias
        .map(|b| unsafe { std::slice::from_raw_parts(b.as_ptr(), n) });
    if K != 0 && N != 0 {
        let b: [[f64; N]; K] =
            std::array::from_fn(|p| std::array::from_fn(|j| unsafe { b.at(p, j) }));
        let bias: Option<[f64; N]> = bias.map(|b| std::array::from_fn(|j| b[j]));
        let (mut x, mut out) = (a.start.as_ptr(), p.c.as_ptr());
        for _ in 0..m {
            let row: [f64; K] = std::array::from_fn(|p| unsafe { *x.add(p * a.col) });
            for j in 0..N {
                let mut sum = 0.0;
                for p in 0..K {
                    sum = M::mul_add(row[p], b[p][j], sum);
                }
                let entry = match bias {
                    Some(bias) => sum + bias[j],
                    None => sum,
                };
                unsafe { *out.add(j) = entry };
            }
            unsafe {
                x = x.add(a.row);
                out = out.add(N);
            }
        }
        return;
    }
    if m * k * n > SMALL_PRODUCT {
        let (x, y) = unsafe { (a.view((m, k)), b.view((k, n))) };
        let mut c = ArrayViewMut2::from_shape((m, n), c).expect("c is m × n");
        general_mat_mul(1.0, &x, &y, 0.0, &mut c);
        if let Some(bias) = bias {
            for mut row in c.rows_mut() {
                row += &ndarray::aview1(bias);
            }
        }
        return;
    }
    for (i, row) in c.chunks_exact_mut(n).enumerate() {
        for (j, entry) in row.iter_mut().enumerate() {
            let mut sum = 0.0;
            for p in 0..k {
                sum = M::mul_add(unsafe { a.at(i, p) }, unsafe { b.at(p, j) }, sum);
            }
            *entry = match bias {
                Some(bias) => sum + bias[j],
                None => sum,
            };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::Array2;

    /// a·b (+ bias) through a `Product`.
    fn mat_mul(
        a: (Operand, usize),
        b: (Operand, usize),
        dims: (usize, usize, usize),
        bias: Option<&Array2<f64>>,
    ) -> Array2<f64> {
        let mut c = Array2::from_elem((dims.0, dims.2), f64::NAN);
        let p = Product::new(
            Cpu::detect(),
            (a, b),
            Entries::of_mut(&mut c),
            bias.map(Entries::of),
            dims,
        );
        // SAFETY: the arrays are alive and unaliased.
        unsafe { p.run() };
        c
    }

    /// Every path of a `Product` against a product written out by hand,
    /// with transposed inputs and a bias, and against `dot` to the bit.
    #[test]
    fn products_agree_with_the_definition_and_with_dot() {
        let shapes = [
            (3, 2, 3),
            (1, 1, 1),
            (4, 4, 4),
            (7, 9, 5),
            (20, 30, 10),
            (2, 3, 1),
            (300, 3, 2),
        ];
        for &(m, k, n) in &shapes {
            let a = Array2::from_shape_fn((m, k), |(i, p)| (i as f64 - 0.5 * p as f64) / 3.0);
            let b = Array2::from_shape_fn((k, n), |(p, j)| ((p * 3 + j) % 5) as f64 - 1.5);
            let bias = Array2::from_shape_fn((1, n), |(_, j)| j as f64 / 7.0 - 0.2);
            let want = Array2::from_shape_fn((m, n), |(i, j)| {
                (0..k).map(|p| a[[i, p]] * b[[p, j]]).sum::<f64>()
            });
            let (x, y) = (
                Operand::rows(Entries::of(&a), k),
                Operand::rows(Entries::of(&b), n),
            );
            let c = mat_mul(x, y, (m, k, n), None);
            assert!(c.iter().zip(&want).all(|(x, y)| (x - y).abs() < 1e-12));
            let at = a.t().as_standard_layout().into_owned();
            let bt = b.t().as_standard_layout().into_owned();
            let (xt, yt) = (
                Operand::transposed(Entries::of(&at), m),
                Operand::transposed(Entries::of(&bt), k),
            );
            assert_eq!(
                mat_mul(xt, yt, (m, k, n), None),
                c,
                "the same numbers in any layout"
            );
            // ...and the same bits as ndarray's own product, which the textbook uses.
            assert_eq!(c, a.dot(&b));
            assert_eq!(mat_mul(x, y, (m, k, n), Some(&bias)), a.dot(&b) + &bias);
        }
    }
}
