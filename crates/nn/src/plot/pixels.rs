//! Small square pictures made of pixels, for the plots that show inputs
//! and weights as images: a row of 64 values becomes an 8 × 8 picture, one
//! of 784 values a 28 × 28 one.
//!
//! Each pixel is a filled rectangle of the SVG. To keep a page of forty
//! pictures small, white pixels are not drawn at all (the page is white),
//! and pixels of the same colour are merged: runs along a row first, then
//! runs that repeat exactly in the rows below into one taller rectangle.

use plotters::prelude::*;

use super::style::{Area, DrawResult, GREY};
use crate::error::{Error, Result};

/// About how many bytes one rectangle adds to the SVG text.
pub(crate) const BYTES_PER_RECTANGLE: usize = 88;

/// The side of the square picture that `values` pixels make, if they make one.
pub(crate) fn side_of(values: usize, what: &str) -> Result<usize> {
    let side = (values as f64).sqrt().round() as usize;
    if side > 0 && side * side == values {
        Ok(side)
    } else {
        Err(Error::Data(format!(
            "{what} have {values} values, which do not make a square picture \
             (8 × 8 = 64 and 28 × 28 = 784 do)"
        )))
    }
}

/// A rectangle of equal pixels: rows `top..bottom`, columns `left..right`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Block {
    pub top: usize,
    pub bottom: usize,
    pub left: usize,
    pub right: usize,
    pub colour: RGBColor,
}

/// The pixels of a `side` × `side` picture (`colours` row by row) as
/// rectangles of one colour each, white left out.
pub(crate) fn blocks(side: usize, colours: &[RGBColor]) -> Vec<Block> {
    let mut done = Vec::new();
    // Blocks that end at the row above, and may grow into this one.
    let mut open: Vec<Block> = Vec::new();
    for (r, row) in colours.chunks(side).enumerate() {
        let mut still_open = Vec::new();
        let mut c = 0;
        while c < row.len() {
            let start = c;
            while c < row.len() && row[c] == row[start] {
                c += 1;
            }
            if row[start] == WHITE {
                continue;
            }
            let same = |b: &Block| b.left == start && b.right == c && b.colour == row[start];
            match open.iter().position(same) {
                Some(i) => {
                    let mut grown = open.swap_remove(i);
                    grown.bottom = r + 1;
                    still_open.push(grown);
                }
                None => still_open.push(Block {
                    top: r,
                    bottom: r + 1,
                    left: start,
                    right: c,
                    colour: row[start],
                }),
            }
        }
        done.append(&mut open);
        open = still_open;
    }
    done.append(&mut open);
    done
}

/// Draws the blocks of one picture with its top-left corner at `corner`
/// and each pixel `pixel` × `pixel` screen pixels, inside a frame of
/// `frame` colour and `thickness` pixels (plotters writes no line width for
/// an outline, so a thicker frame is drawn as nested ones).
pub(crate) fn draw_picture(
    area: &Area,
    corner: (i32, i32),
    side: usize,
    pixel: i32,
    blocks: &[Block],
    (frame, thickness): (RGBAColor, i32),
) -> DrawResult {
    let (x, y) = corner;
    for b in blocks {
        let top_left = (x + b.left as i32 * pixel, y + b.top as i32 * pixel);
        let bottom_right = (x + b.right as i32 * pixel, y + b.bottom as i32 * pixel);
        area.draw(&Rectangle::new([top_left, bottom_right], b.colour.filled()))?;
    }
    let size = side as i32 * pixel;
    // The frame sits just outside the pixels, so it never hides one.
    for d in 1..=thickness {
        area.draw(&Rectangle::new(
            [(x - d, y - d), (x + size + d - 1, y + size + d - 1)],
            frame,
        ))?;
    }
    Ok(())
}

/// A quiet frame for a picture: light grey, 1 pixel.
pub(crate) fn plain_frame() -> (RGBAColor, i32) {
    (GREY.mix(0.6), 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_neighbours_merge_across_rows_and_white_is_left_out() {
        let (b, w) = (BLACK, WHITE);
        // A 3 × 3 picture: a 2 × 2 black square at the top left, one black
        // pixel at the bottom right.
        let found = blocks(3, &[b, b, w, b, b, w, w, w, b]);
        assert_eq!(found.len(), 2);
        assert!(found.contains(&Block {
            top: 0,
            bottom: 2,
            left: 0,
            right: 2,
            colour: b
        }));
        assert!(found.contains(&Block {
            top: 2,
            bottom: 3,
            left: 2,
            right: 3,
            colour: b
        }));
        assert!(blocks(2, &[w, w, w, w]).is_empty());
    }

    #[test]
    fn every_drawn_pixel_is_in_exactly_one_block() {
        let palette = [WHITE, BLACK, GREY];
        let colours: Vec<RGBColor> = (0..64).map(|i| palette[(i * i + i / 3) % 3]).collect();
        let mut covered = vec![0; 64];
        for b in blocks(8, &colours) {
            for r in b.top..b.bottom {
                for c in b.left..b.right {
                    assert_eq!(colours[r * 8 + c], b.colour);
                    covered[r * 8 + c] += 1;
                }
            }
        }
        for (i, &n) in covered.iter().enumerate() {
            assert_eq!(n, usize::from(colours[i] != WHITE), "pixel {i}");
        }
    }

    #[test]
    fn only_squares_are_pictures() {
        assert_eq!(side_of(64, "rows").unwrap(), 8);
        assert_eq!(side_of(784, "rows").unwrap(), 28);
        let err = side_of(10, "the rows").unwrap_err().to_string();
        assert!(
            err.contains("the rows have 10 values, which do not make a square"),
            "{err}"
        );
        assert!(side_of(0, "rows").is_err());
    }
}
