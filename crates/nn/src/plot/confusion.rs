//! The confusion matrix: which classes the network takes for which.

use ndarray::Array2;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::style::{bold, font, render, text_on, tint, Area, DrawResult, Frame, GREY};
use super::style::{NEGATIVE, POSITIVE};
use super::Svg;
use crate::data::confusion_matrix;
use crate::error::{Error, Result};

/// The most classes drawn: more would make cells too small to read.
const LARGEST: usize = 40;
/// Room at the left for "true" and the class names, on top for
/// "predicted" and the class names, and at the right for the accuracies.
const LEFT: i32 = 62;
const TOP: i32 = 56;
const RIGHT: i32 = 96;

/// A heat map of the confusion matrix, counts written in the cells: row t,
/// column p holds how many rows of true class t were predicted as p.
///
/// The diagonal (right answers) is blue, as deep as the share of its class
/// that was right; the other cells (mistakes) are orange, the deepest for
/// the most frequent mistake, and white where there is none. At the right
/// of each row is the class's accuracy (its diagonal count over its row's
/// total), and under the matrix the accuracy over all rows.
///
/// ```
/// use nn::prelude::*;
/// use nn::plot::Confusion;
///
/// let truth = array![[0.0], [0.0], [1.0], [1.0], [2.0]];
/// let predicted = [0, 1, 1, 1, 2];             // one class per row, e.g. data::predicted_classes(&outputs)
/// let svg = Confusion::new(&truth, &predicted).title("three classes").draw()?;
/// assert!(svg.as_str().contains(">\n50 %\n<"));                 // class 0: 1 of 2 right
/// assert!(svg.as_str().contains("accuracy 80 % (4 of 5 rows)"));
/// # Ok::<(), nn::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Confusion<'a> {
    truth: &'a Array2<f64>,
    predicted: &'a [usize],
    frame: Frame,
}

impl<'a> Confusion<'a> {
    /// The confusion matrix of the true labels `truth` (n × 1) and the
    /// predicted classes `predicted` (n of them, as
    /// [`predicted_classes`](crate::data::predicted_classes) reads them from
    /// the network's outputs), as [`confusion_matrix`] takes them.
    pub fn new(truth: &'a Array2<f64>, predicted: &'a [usize]) -> Self {
        Confusion {
            truth,
            predicted,
            frame: Frame::default(),
        }
    }

    /// A title above the plot.
    pub fn title(mut self, title: &str) -> Self {
        self.frame.title = Some(title.to_string());
        self
    }

    /// The size in pixels (default: square cells of up to 44 pixels).
    pub fn size(mut self, width: u32, height: u32) -> Self {
        self.frame.size = Some((width, height));
        self
    }

    /// Draws the matrix. Errors as [`confusion_matrix`] does, and for more
    /// than 40 classes.
    pub fn draw(&self) -> Result<Svg> {
        let counts = confusion_matrix(self.truth, self.predicted)?;
        let classes = counts.nrows();
        if classes > LARGEST {
            return Err(Error::InvalidParameter {
                name: "classes",
                value: classes.to_string(),
                valid: "at most 40 for a readable confusion matrix",
            });
        }
        let cell = (440 / classes as i32).clamp(10, 44);
        let title = if self.frame.title.is_some() { 30 } else { 0 };
        let side = cell * classes as i32;
        let default = (
            (LEFT + side + RIGHT).max(320) as u32,
            (TOP + side + 40 + title) as u32,
        );
        render(&self.frame, default, |area| {
            let (width, height) = area.dim_in_pixel();
            let cell = ((width as i32 - LEFT - RIGHT) / classes as i32)
                .min((height as i32 - TOP - 40) / classes as i32)
                .max(1);
            draw_matrix(area, &counts, cell)
        })
    }
}

/// The cells, their counts, the class numbers, the accuracies.
fn draw_matrix(area: &Area, counts: &Array2<usize>, cell: i32) -> DrawResult {
    let classes = counts.nrows();
    let totals: Vec<usize> = counts.rows().into_iter().map(|r| r.sum()).collect();
    let largest_mistake = counts
        .indexed_iter()
        .filter(|((t, p), _)| t != p)
        .map(|(_, &n)| n)
        .max()
        .unwrap_or(0);
    let written = cell >= 20;
    let text_px = (f64::from(cell) * 0.32).clamp(8.0, 13.0);
    for ((t, p), &n) in counts.indexed_iter() {
        let fill = if t == p && totals[t] > 0 {
            tint(POSITIVE, n as f64 / totals[t] as f64)
        } else if n > 0 {
            // Every mistake visible, the most frequent one deepest.
            tint(NEGATIVE, 0.25 + 0.75 * n as f64 / largest_mistake as f64)
        } else {
            WHITE
        };
        let (x, y) = (LEFT + p as i32 * cell, TOP + t as i32 * cell);
        area.draw(&Rectangle::new(
            [(x, y), (x + cell - 1, y + cell - 1)],
            fill.filled(),
        ))?;
        if written {
            let ink = if n == 0 {
                GREY.mix(0.7).to_rgba()
            } else {
                text_on(fill).to_rgba()
            };
            let style = font(text_px)
                .color(&ink)
                .pos(Pos::new(HPos::Center, VPos::Center));
            area.draw_text(&n.to_string(), &style, (x + cell / 2, y + cell / 2))?;
        }
    }
    let side = cell * classes as i32;
    area.draw(&Rectangle::new(
        [(LEFT - 1, TOP - 1), (LEFT + side, TOP + side)],
        GREY,
    ))?;

    // Class numbers, "predicted" on top, "true" at the left.
    let index = font(11.0).color(&GREY);
    let every = (14 / cell + 1) as usize;
    for k in (0..classes).step_by(every) {
        let centre = k as i32 * cell + cell / 2;
        let style = index.pos(Pos::new(HPos::Right, VPos::Center));
        area.draw_text(&k.to_string(), &style, (LEFT - 6, TOP + centre))?;
        let style = index.pos(Pos::new(HPos::Center, VPos::Bottom));
        area.draw_text(&k.to_string(), &style, (LEFT + centre, TOP - 6))?;
    }
    let name = font(13.0).pos(Pos::new(HPos::Center, VPos::Top));
    area.draw_text("predicted class", &name, (LEFT + side / 2, 14))?;
    let rotated = name.transform(FontTransform::Rotate270);
    area.draw_text("true class", &rotated, (14, TOP + side / 2))?;

    // Each class's accuracy at the end of its row.
    let header = font(11.0)
        .color(&GREY)
        .pos(Pos::new(HPos::Left, VPos::Bottom));
    area.draw_text("accuracy", &header, (LEFT + side + 10, TOP - 6))?;
    if cell >= 12 {
        for (t, &total) in totals.iter().enumerate() {
            let text = if total == 0 {
                "–".to_string()
            } else {
                percent(counts[[t, t]], total)
            };
            let style = font(text_px.min(12.0)).pos(Pos::new(HPos::Left, VPos::Center));
            area.draw_text(
                &text,
                &style,
                (LEFT + side + 10, TOP + t as i32 * cell + cell / 2),
            )?;
        }
    }
    let right: usize = (0..classes).map(|k| counts[[k, k]]).sum();
    let all: usize = totals.iter().sum();
    let summary = format!("accuracy {} ({right} of {all} rows)", percent(right, all));
    let style = bold(13.0).pos(Pos::new(HPos::Center, VPos::Top));
    area.draw_text(&summary, &style, (LEFT + side / 2, TOP + side + 12))
}

/// `97.2 %`: one decimal, none when it is whole.
fn percent(part: usize, whole: usize) -> String {
    let p = 100.0 * part as f64 / whole as f64;
    if (p - p.round()).abs() < 0.05 {
        format!("{} %", p.round())
    } else {
        format!("{p:.1} %")
    }
}

/// The confusion matrix of true labels and predictions (labels or the
/// network's outputs) as a heat map with the counts and each class's
/// accuracy. For titles and sizes, use [`Confusion`].
///
/// ```
/// use nn::prelude::*;
///
/// let truth = array![[0.0], [1.0], [1.0]];
/// let outputs = array![[0.9, 0.1], [0.4, 0.6], [0.8, 0.2]];   // the last one is wrong
/// let svg = plot::confusion(&truth, &data::predicted_classes(&outputs))?;
/// assert!(svg.as_str().contains("accuracy 66.7 % (2 of 3 rows)"));
/// assert!(plot::confusion(&truth, &[0]).is_err());   // one prediction for three rows
/// # Ok::<(), nn::Error>(())
/// ```
pub fn confusion(truth: &Array2<f64>, predicted: &[usize]) -> Result<Svg> {
    Confusion::new(truth, predicted).draw()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages_drop_a_whole_decimal() {
        assert_eq!(percent(1, 2), "50 %");
        assert_eq!(percent(35, 36), "97.2 %");
        assert_eq!(percent(360, 360), "100 %");
        assert_eq!(percent(0, 3), "0 %");
    }
}
