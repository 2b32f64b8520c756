//! Real handwriting that ships with the crate: the 8 × 8 digits.
//!
//! The UCI "Optical Recognition of Handwritten Digits" test set:
//! 1 797 digits written by 13 people, each scanned as a 32 × 32 black and
//! white bitmap and cut into 8 × 8 blocks of 4 × 4 pixels, whose count of
//! black pixels (0 to 16) is the block's value. Created by E. Alpaydin and
//! C. Kaynak (1998), published by the UCI Machine Learning Repository,
//! <https://doi.org/10.24432/C50P49>, under the Creative Commons Attribution
//! 4.0 licence (CC BY 4.0). This copy is scikit-learn's
//! (`sklearn/datasets/data/digits.csv.gz`), stored as bytes instead of text
//! by `scripts/digits_bytes.py`; the numbers are unchanged.
//!
//! `digits.bin` holds the rows one after the other, 65 bytes each: the 64
//! block values row by row (the image's top row first), then the label.

use ndarray::Array2;

use super::Dataset;

/// The file itself: 1 797 rows × 65 bytes, compiled into the crate.
static BYTES: &[u8] = include_bytes!("digits.bin");

/// Rows (digits) in the set.
const ROWS: usize = 1797;
/// Values per image: 8 × 8.
const PIXELS: usize = 64;

/// The 1 797 handwritten digits as they are stored: x is 1 797 × 64 with
/// whole numbers 0 to 16 (how many of a block's 16 pixels are ink), y is
/// 1 797 × 1 with the labels 0 to 9.
///
/// Row `i` of x is image `i` flattened row by row: pixel (r, c) of the
/// 8 × 8 image is column `8·r + c`.
///
/// ```
/// let d = nn::data::digits_raw();
/// assert_eq!((d.x.dim(), d.y.dim()), ((1797, 64), (1797, 1)));
/// assert_eq!(d.y[[0, 0]], 0.0);                                  // the first digit is a 0
/// assert_eq!(d.x.row(0).to_vec()[..8], [0.0, 0.0, 5.0, 13.0, 9.0, 1.0, 0.0, 0.0]);
/// assert_eq!(d.x.fold(0.0f64, |m, &v| m.max(v)), 16.0);
/// ```
pub fn digits_raw() -> Dataset {
    debug_assert_eq!(BYTES.len(), ROWS * (PIXELS + 1));
    let mut x = Array2::zeros((ROWS, PIXELS));
    let mut y = Array2::zeros((ROWS, 1));
    for (i, row) in BYTES.chunks_exact(PIXELS + 1).enumerate() {
        for (j, &v) in row[..PIXELS].iter().enumerate() {
            x[[i, j]] = f64::from(v);
        }
        y[[i, 0]] = f64::from(row[PIXELS]);
    }
    Dataset { x, y }
}

/// The 1 797 handwritten digits, ready to learn from: x is 1 797 × 64 with
/// every value divided by 16, so in [0, 1] (0 blank, 1 all ink); y is
/// 1 797 × 1 with the labels 0 to 9, about 180 of each.
///
/// The images are from E. Alpaydin and C. Kaynak (1998), *Optical
/// Recognition of Handwritten Digits*, UCI Machine Learning Repository,
/// <https://doi.org/10.24432/C50P49>, licensed CC BY 4.0 (see
/// [`crate::data`]).
///
/// ```
/// use nn::prelude::*;
///
/// let digits = data::digits();
/// assert_eq!(digits.features(), 64);
/// assert_eq!(digits.classes(), Some(10));
/// assert_eq!(digits.x[[0, 3]], 13.0 / 16.0);
/// let (train, test) = data::stratified_split(&digits, 0.2, 0)?;
/// assert_eq!((train.len(), test.len()), (1437, 360));
/// # Ok::<(), nn::Error>(())
/// ```
pub fn digits() -> Dataset {
    let raw = digits_raw();
    Dataset {
        x: raw.x / 16.0,
        y: raw.y,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_file_is_whole() {
        assert_eq!(BYTES.len(), ROWS * (PIXELS + 1));
        for (i, row) in BYTES.chunks_exact(PIXELS + 1).enumerate() {
            assert!(row[..PIXELS].iter().all(|&v| v <= 16), "row {i}");
            assert!(row[PIXELS] <= 9, "row {i}");
        }
    }
}
