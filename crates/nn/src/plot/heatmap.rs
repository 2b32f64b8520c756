//! A matrix as a grid of coloured cells, such as a weight matrix W.

use ndarray::Array2;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::style::{colour_bar, diverging, font, quantize, render, short, text_on, Area};
use super::style::{runs, DrawResult, Frame, GREY};
use super::Svg;
use crate::error::{Error, Result};

/// Matrices up to this many rows and columns get their numbers written in.
const WRITTEN: usize = 12;
/// The largest matrix drawn: more cells would make an image of megabytes.
const LARGEST: usize = 64;
/// Room at the left for the row numbers and name.
const LEFT: i32 = 56;
/// Room on top for the column numbers and name.
const TOP: i32 = 44;
/// Room at the right for the colour bar.
const BAR: i32 = 80;

/// A heat map of a matrix: white for 0, blue for positive, orange for
/// negative, the strongest colour for the largest |value|, with a colour
/// bar, and the numbers written in when the matrix is at most 12 × 12.
///
/// ```
/// use nn::prelude::*;
/// use nn::plot::Heatmap;
///
/// let w1 = array![[-0.72, 1.52, 0.31], [0.66, -0.27, 0.06]];
/// let svg = Heatmap::new(&w1).labels("input i", "unit j").title("W¹").draw()?;
/// assert!(svg.as_str().contains(">\n-0.72\n<")); // the value, written in its cell
/// # Ok::<(), nn::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Heatmap<'a> {
    matrix: &'a Array2<f64>,
    labels: (String, String),
    frame: Frame,
}

impl<'a> Heatmap<'a> {
    /// The heat map of `matrix`.
    pub fn new(matrix: &'a Array2<f64>) -> Self {
        Heatmap {
            matrix,
            labels: ("row".into(), "column".into()),
            frame: Frame::default(),
        }
    }

    /// What the rows and the columns are (default "row" and "column"); for
    /// a weight matrix, the inputs and the units.
    pub fn labels(mut self, rows: &str, columns: &str) -> Self {
        self.labels = (rows.to_string(), columns.to_string());
        self
    }

    /// A title above the plot.
    pub fn title(mut self, title: &str) -> Self {
        self.frame.title = Some(title.to_string());
        self
    }

    /// The size in pixels (default: as much as square cells of up to 56
    /// pixels need).
    pub fn size(mut self, width: u32, height: u32) -> Self {
        self.frame.size = Some((width, height));
        self
    }

    /// Draws the heat map. Errors for an empty matrix, one with more than 64
    /// rows or columns, or one with a value that is not finite.
    pub fn draw(&self) -> Result<Svg> {
        let m = self.matrix;
        let (rows, columns) = m.dim();
        if rows == 0 || columns == 0 {
            return Err(Error::Plot(format!(
                "the matrix is empty ({rows} × {columns}); there is nothing to draw"
            )));
        }
        if rows > LARGEST || columns > LARGEST {
            return Err(Error::InvalidParameter {
                name: "matrix shape",
                value: format!("{rows} × {columns}"),
                valid: "at most 64 × 64; draw a part of it, such as &w.slice(s![..64, ..64]).to_owned()",
            });
        }
        if let Some(((r, c), v)) = m.indexed_iter().find(|(_, v)| !v.is_finite()) {
            return Err(Error::Plot(format!(
                "the matrix has {v} at row {r}, column {c}; a heat map needs finite numbers"
            )));
        }
        let largest = m.iter().fold(0.0f64, |a, v| a.max(v.abs()));
        let scale = if largest > 0.0 { largest } else { 1.0 };
        let low = if m.iter().any(|&v| v < 0.0) {
            -scale
        } else {
            0.0
        };
        let high = if m.iter().any(|&v| v > 0.0) || low == 0.0 {
            scale
        } else {
            0.0
        };

        let cell = (560 / columns).min(400 / rows).clamp(6, 56) as i32;
        let title = if self.frame.title.is_some() { 30 } else { 0 };
        let default = (
            (LEFT + cell * columns as i32 + BAR + 10).max(300) as u32,
            (TOP + cell * rows as i32 + 16 + title).max(200) as u32,
        );
        render(&self.frame, default, |area| {
            let (width, height) = area.dim_in_pixel();
            // Square cells as large as the area allows, when a size is given.
            let cell = ((width as i32 - LEFT - BAR - 10) / columns as i32)
                .min((height as i32 - TOP - 16) / rows as i32)
                .max(1);
            let (grid, bar) = area.split_horizontally(width as i32 - BAR);
            self.draw_cells(&grid, cell, scale)?;
            self.draw_names(&grid, cell)?;
            colour_bar(&bar, low, high, scale, "value")
        })
    }

    /// The cells. A small matrix gets a white gap around each cell and its
    /// number written in; a large one has runs of equal colour in a row
    /// merged into one rectangle.
    fn draw_cells(&self, area: &Area, cell: i32, scale: f64) -> DrawResult {
        let (rows, columns) = self.matrix.dim();
        // 20 shades each way: more than the eye tells apart, and few enough
        // that a large map repeats colours and merges cells.
        let colour = |v: f64| diverging(quantize(v / scale, 20));
        if rows <= WRITTEN && columns <= WRITTEN && cell >= 24 {
            let text_px = (f64::from(cell) * 0.26).min(12.0);
            for ((r, c), &v) in self.matrix.indexed_iter() {
                let (x, y) = (LEFT + c as i32 * cell, TOP + r as i32 * cell);
                let fill = colour(v);
                let corners = [(x, y), (x + cell - 1, y + cell - 1)];
                area.draw(&Rectangle::new(corners, fill.filled()))?;
                let ink = text_on(fill);
                let style = font(text_px)
                    .color(&ink)
                    .pos(Pos::new(HPos::Center, VPos::Center));
                area.draw_text(&short(v, 3), &style, (x + cell / 2, y + cell / 2))?;
            }
            return Ok(());
        }
        for (r, row) in self.matrix.rows().into_iter().enumerate() {
            let colours: Vec<RGBColor> = row.iter().map(|&v| colour(v)).collect();
            let y = TOP + r as i32 * cell;
            for run in runs(&colours) {
                let (x0, x1) = (LEFT + run.start as i32 * cell, LEFT + run.end as i32 * cell);
                let fill = colours[run.start].filled();
                area.draw(&Rectangle::new([(x0, y), (x1, y + cell)], fill))?;
            }
        }
        Ok(())
    }

    /// The row and column numbers, and what the rows and columns are.
    fn draw_names(&self, area: &Area, cell: i32) -> DrawResult {
        let (rows, columns) = self.matrix.dim();
        // Number every row and column when they are large enough to read.
        let every = (14 / cell + 1) as usize;
        let index = font(11.0).color(&GREY);
        for r in (0..rows).step_by(every) {
            let style = index.pos(Pos::new(HPos::Right, VPos::Center));
            area.draw_text(
                &r.to_string(),
                &style,
                (LEFT - 6, TOP + r as i32 * cell + cell / 2),
            )?;
        }
        for c in (0..columns).step_by(every) {
            let style = index.pos(Pos::new(HPos::Center, VPos::Bottom));
            area.draw_text(
                &c.to_string(),
                &style,
                (LEFT + c as i32 * cell + cell / 2, TOP - 6),
            )?;
        }
        let name = font(13.0).pos(Pos::new(HPos::Center, VPos::Top));
        let centre_x = LEFT + columns as i32 * cell / 2;
        area.draw_text(&self.labels.1, &name, (centre_x, 4))?;
        let centre_y = TOP + rows as i32 * cell / 2;
        let rotated = name.transform(FontTransform::Rotate270);
        area.draw_text(&self.labels.0, &rotated, (6, centre_y))
    }
}

/// The heat map of a matrix. For axis names, titles and sizes, use
/// [`Heatmap`].
///
/// ```
/// use nn::prelude::*;
///
/// let svg = plot::heatmap(&array![[1.0, -1.0], [0.5, 0.0]])?;
/// assert_eq!(svg.as_str().matches("<rect").count(), 1 + 4 + 40 + 1); // page, cells, colour bar, its frame
/// assert!(plot::heatmap(&Array2::zeros((0, 3))).is_err());
/// # Ok::<(), nn::Error>(())
/// ```
pub fn heatmap(matrix: &Array2<f64>) -> Result<Svg> {
    Heatmap::new(matrix).draw()
}
