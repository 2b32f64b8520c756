//! Rows of a dataset as small grey pictures: what the network is given,
//! seen the way a person sees it.

use ndarray::Array2;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::pixels::{blocks, draw_picture, plain_frame, side_of, Block, BYTES_PER_RECTANGLE};
use super::style::{
    font, quantize, render, series_colour, text_width, tint, title_width, Frame, GREY, INK,
};
use super::Svg;
use crate::data::{predicted_classes, Dataset};
use crate::error::{Error, Result};

/// Pictures side by side before a new row starts, by default.
const COLUMNS: usize = 10;
/// Pictures drawn at most, by default.
const LIMIT: usize = 40;
/// Rectangles the pixels, frames and captions may use: the picture stays
/// under 150 KB.
const BUDGET: usize = 128_000 / BYTES_PER_RECTANGLE;
/// Shades of grey from paper to ink: as many as the digits' 0–16 need for
/// small pictures; half as many for large ones, whose neighbouring pixels
/// then share a shade more often and merge (see `pixels`).
fn shades(side: usize) -> u32 {
    if side <= 16 {
        16
    } else {
        8
    }
}
/// Room between pictures, and under each for its caption.
const GAP: i32 = 10;
const CAPTION: i32 = 18;

/// The ink of the pictures: nearly black.
const INK_PIXEL: RGBColor = RGBColor(0x1a, 0x1a, 0x1a);

/// A grid of pictures, one per row of a dataset: each row of x drawn as a
/// square picture (64 values as 8 × 8, 784 as 28 × 28, row by row), white
/// for the smallest value and nearly black for the largest, with the row's
/// label under it.
///
/// Given the network's predictions, each caption reads "predicted / true",
/// and the pictures it got wrong are framed and captioned in red;
/// [`only_wrong`](Images::only_wrong) shows just those.
///
/// ```
/// use nn::prelude::*;
///
/// let digits = data::digits();
/// let svg = plot::Images::new(&digits).limit(20).title("the first 20 digits").draw()?;
/// assert!(svg.as_str().contains("the first 20 digits"));
/// assert!(svg.len() < 150_000);
///
/// // Pretend to predict 0 for every digit: all but the zeros are wrong.
/// let predicted = Array2::zeros((digits.len(), 1));
/// let svg = plot::Images::new(&digits).predicted(&predicted).only_wrong().limit(5).draw()?;
/// assert!(svg.as_str().contains("0 / 1"));   // the second digit is a 1
/// # Ok::<(), nn::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Images<'a> {
    data: &'a Dataset,
    predicted: Option<&'a Array2<f64>>,
    only_wrong: bool,
    columns: usize,
    limit: usize,
    frame: Frame,
}

impl<'a> Images<'a> {
    /// The pictures of `data`'s rows, in order.
    pub fn new(data: &'a Dataset) -> Self {
        Images {
            data,
            predicted: None,
            only_wrong: false,
            columns: COLUMNS,
            limit: LIMIT,
            frame: Frame::default(),
        }
    }

    /// The network's predictions for the same rows: its outputs (n ×
    /// classes) or labels (n × 1, see
    /// [`predicted_classes`](crate::data::predicted_classes)).
    pub fn predicted(mut self, predicted: &'a Array2<f64>) -> Self {
        self.predicted = Some(predicted);
        self
    }

    /// Only the rows whose prediction is wrong (needs
    /// [`predicted`](Images::predicted)).
    pub fn only_wrong(mut self) -> Self {
        self.only_wrong = true;
        self
    }

    /// Pictures per row of the grid (default 10).
    pub fn columns(mut self, columns: usize) -> Self {
        self.columns = columns;
        self
    }

    /// At most this many pictures (default 40). A page of large pictures
    /// may show fewer, to stay under 150 KB; it then says so.
    pub fn limit(mut self, pictures: usize) -> Self {
        self.limit = pictures;
        self
    }

    /// A title above the grid.
    pub fn title(mut self, title: &str) -> Self {
        self.frame.title = Some(title.to_string());
        self
    }

    /// The size in pixels (default: what the pictures need).
    pub fn size(mut self, width: u32, height: u32) -> Self {
        self.frame.size = Some((width, height));
        self
    }

    /// Draws the grid. Errors if the rows are not square pictures, if a
    /// value is not finite, if the predictions do not match the rows, or
    /// for `only_wrong` without predictions.
    pub fn draw(&self) -> Result<Svg> {
        let x = &self.data.x;
        let side = side_of(x.ncols(), "the rows")?;
        if self.columns == 0 || self.limit == 0 {
            return Err(Error::InvalidParameter {
                name: "columns and limit",
                value: format!("{} and {}", self.columns, self.limit),
                valid: "at least 1 each",
            });
        }
        if let Some(((r, c), v)) = x.indexed_iter().find(|(_, v)| !v.is_finite()) {
            return Err(Error::Data(format!(
                "row {r} has {v} at pixel {c}; a picture needs finite numbers"
            )));
        }
        let truth = labels_of(&self.data.y);
        let predicted = match self.predicted {
            Some(p) if p.nrows() != x.nrows() => {
                return Err(Error::Data(format!(
                    "{} predictions for {} rows; predict the same rows you draw",
                    p.nrows(),
                    x.nrows()
                )))
            }
            Some(p) if p.ncols() > 1 => Some(as_labels(&predicted_classes(p))),
            Some(p) => Some(p.column(0).to_vec()),
            None if self.only_wrong => {
                return Err(Error::Data(
                    "only_wrong() needs the network's predictions: add .predicted(&outputs)".into(),
                ))
            }
            None => None,
        };
        let wrong = |i: usize| match (&predicted, &truth) {
            (Some(p), Some(t)) => p[i] != t[i],
            _ => false,
        };
        let chosen: Vec<usize> = (0..x.nrows())
            .filter(|&i| !self.only_wrong || wrong(i))
            .collect();

        // One grey scale for every picture, from the smallest value (or 0)
        // to the largest, so that equal values look equal.
        let low = x.iter().fold(0.0f64, |m, &v| m.min(v));
        let high = x.iter().fold(f64::NEG_INFINITY, |m, &v| m.max(v));
        let span = if high > low { high - low } else { 1.0 };
        let steps = shades(side);
        let grey = |v: f64| tint(INK_PIXEL, quantize((v - low) / span, steps));

        // Pictures in order until the limit or the size budget is reached.
        let mut shown: Vec<(usize, Vec<Block>)> = Vec::new();
        let mut rectangles = 0;
        for &i in chosen.iter().take(self.limit) {
            let colours: Vec<RGBColor> = x.row(i).iter().map(|&v| grey(v)).collect();
            let found = blocks(side, &colours);
            if !shown.is_empty() && rectangles + found.len() + 3 > BUDGET {
                break;
            }
            rectangles += found.len() + 3; // with its frame and caption
            shown.push((i, found));
        }

        let pixel = (56 / side as i32).max(1);
        let picture = side as i32 * pixel;
        let columns = self.columns.min(shown.len().max(1));
        let grid_rows = shown.len().div_ceil(columns).max(1);
        let cell_w = (picture + GAP).max(64);
        let cell_h = picture + CAPTION + GAP;
        let title = if self.frame.title.is_some() { 30 } else { 0 };
        let note = note(self, &predicted, chosen.len(), shown.len());
        let top = if note.is_empty() { 10 } else { 30 };
        let default = (
            (columns as i32 * cell_w + 2 * GAP)
                .max(text_width(&note, 12.0) + 2 * GAP)
                .max(title_width(&self.frame))
                .max(300) as u32,
            (top + grid_rows as i32 * cell_h + 10 + title).max(120) as u32,
        );
        let mistake = series_colour(3);
        render(&self.frame, default, |area| {
            let (width, _) = area.dim_in_pixel();
            if !note.is_empty() {
                let style = font(12.0)
                    .color(&GREY)
                    .pos(Pos::new(HPos::Center, VPos::Top));
                area.draw_text(&note, &style, (width as i32 / 2, 6))?;
            }
            let left = (width as i32 - columns as i32 * cell_w) / 2;
            for (slot, (i, found)) in shown.iter().enumerate() {
                let (row, column) = ((slot / columns) as i32, (slot % columns) as i32);
                let x0 = left + column * cell_w + (cell_w - picture) / 2;
                let y0 = top + row * cell_h;
                let is_wrong = wrong(*i);
                let frame = if is_wrong {
                    (mistake.to_rgba(), 2)
                } else {
                    plain_frame()
                };
                draw_picture(area, (x0, y0), side, pixel, found, frame)?;
                let caption = match (&predicted, &truth) {
                    (Some(p), Some(t)) => format!("{} / {}", label(p[*i]), label(t[*i])),
                    (Some(p), None) => label(p[*i]),
                    (None, Some(t)) => label(t[*i]),
                    (None, None) => format!("row {i}"),
                };
                let ink = if is_wrong { mistake } else { INK };
                let style = font(12.0)
                    .color(&ink)
                    .pos(Pos::new(HPos::Center, VPos::Top));
                area.draw_text(&caption, &style, (x0 + picture / 2, y0 + picture + 4))?;
            }
            Ok(())
        })
    }
}

/// The line above the pictures: what the captions mean, and what is left out.
fn note(images: &Images, predicted: &Option<Vec<f64>>, chosen: usize, shown: usize) -> String {
    let mut parts = Vec::new();
    if predicted.is_some() {
        parts.push("predicted / true, mistakes in red".to_string());
    }
    if images.only_wrong && chosen == 0 {
        parts.push("no mistakes: every prediction is right".to_string());
    } else if shown < chosen {
        let what = if images.only_wrong {
            "mistakes"
        } else {
            "rows"
        };
        // Fewer than the limit: the size budget stopped the drawing.
        let why = if shown < images.limit {
            " (more would make the picture too large)"
        } else {
            ""
        };
        parts.push(format!("the first {shown} of {chosen} {what}{why}"));
    }
    parts.join(" · ")
}

/// The labels of a target matrix: the column itself, or the class of each
/// one-hot row. None for targets that are not classes.
fn labels_of(y: &Array2<f64>) -> Option<Vec<f64>> {
    let labels = if y.ncols() == 1 {
        y.column(0).to_vec()
    } else {
        as_labels(&predicted_classes(y))
    };
    labels
        .iter()
        .all(|v| *v >= 0.0 && v.fract() == 0.0)
        .then_some(labels)
}

/// A label as a caption: `7`, or the number as it is.
fn label(v: f64) -> String {
    super::style::short(v, 4)
}

/// The rows of a dataset as small grey pictures with their labels, 40 at
/// most. For predictions, columns, titles and sizes, use [`Images`].
///
/// ```
/// let svg = nn::plot::images(&nn::data::digits())?;
/// // A caption under each picture, and a note: "the first 40 of 1797 rows".
/// assert_eq!(svg.as_str().matches("</text>").count(), 41);
/// # Ok::<(), nn::Error>(())
/// ```
pub fn images(data: &Dataset) -> Result<Svg> {
    Images::new(data).draw()
}

/// Class ids as the label values a dataset's `y` holds.
fn as_labels(classes: &[usize]) -> Vec<f64> {
    classes.iter().map(|&c| c as f64).collect()
}
