//! What the first hidden units look for: each unit's incoming weights
//! drawn as a picture of the input.

use ndarray::Axis;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::pixels::{blocks, draw_picture, plain_frame, side_of, Block, BYTES_PER_RECTANGLE};
use super::style::{check_network, colour_bar, diverging, font, quantize, render, text_width};
use super::style::{title_width, Frame, GREY};
use super::Svg;
use crate::error::{Error, Result};
use crate::network::Network;

/// Pictures side by side before a new row starts.
const COLUMNS: usize = 8;
/// Shades each way from 0, as in the hidden-unit maps: few enough that
/// neighbouring weights share a colour and merge.
const STEPS: u32 = 5;
/// Rectangles the pixels, frames and captions may use (under 150 KB).
const BUDGET: usize = 124_000 / BYTES_PER_RECTANGLE;
/// Room for the colour bar at the right.
const BAR: i32 = 80;

/// The first layer's weights as pictures, one per hidden unit: unit j's
/// incoming weights W¹[·, j], one per input pixel, laid out as the input
/// image (64 inputs as 8 × 8, 784 as 28 × 28). Blue pixels push the unit's
/// weighted sum z = x·w + b up when they are inked, orange ones pull it
/// down, white ones do not matter to it; so a unit "looks for" ink on its
/// blue pixels and none on its orange ones.
///
/// All pictures share one colour scale, shown in the colour bar. Its ends
/// are at the 98th percentile of |w| rather than the largest weight, so
/// that a few large weights do not leave every picture pale; the 2 % of
/// weights beyond get the full colour.
///
/// ```
/// use nn::prelude::*;
/// use nn::plot::WeightImages;
///
/// let net = Network::builder(64).dense(12, Activation::Relu).dense(10, Activation::Softmax).build()?;
/// let svg = WeightImages::new(&net).title("before training").draw()?;
/// assert!(svg.as_str().contains("unit 12"));
/// assert!(svg.len() < 150_000);
/// # Ok::<(), nn::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct WeightImages<'a> {
    net: &'a Network,
    units: usize,
    frame: Frame,
}

impl<'a> WeightImages<'a> {
    /// The pictures of `net`'s first layer.
    pub fn new(net: &'a Network) -> Self {
        WeightImages {
            net,
            units: 64,
            frame: Frame::default(),
        }
    }

    /// At most this many units, the first ones (default 64). Large
    /// pictures may show fewer, to stay under 150 KB; the plot then says so.
    pub fn units(mut self, units: usize) -> Self {
        self.units = units;
        self
    }

    /// A title above the pictures.
    pub fn title(mut self, title: &str) -> Self {
        self.frame.title = Some(title.to_string());
        self
    }

    /// The size in pixels (default: what the pictures need).
    pub fn size(mut self, width: u32, height: u32) -> Self {
        self.frame.size = Some((width, height));
        self
    }

    /// Draws the pictures. Errors if the network's inputs do not make a
    /// square picture, or if a weight is not finite.
    pub fn draw(&self) -> Result<Svg> {
        check_network(self.net)?;
        let w = &self.net.layers[0].weights; // inputs × units
        let side = side_of(w.nrows(), "the network's inputs")?;
        if self.units == 0 {
            return Err(Error::InvalidParameter {
                name: "units",
                value: "0".into(),
                valid: "at least 1",
            });
        }
        let wanted = self.units.min(w.ncols());
        let scale = robust_scale(w.iter().map(|v| v.abs()).collect());

        let mut shown: Vec<Vec<Block>> = Vec::new();
        let mut rectangles = 0;
        for column in w.axis_iter(Axis(1)).take(wanted) {
            let colours: Vec<RGBColor> = column
                .iter()
                .map(|&v| diverging(quantize(v / scale, STEPS)))
                .collect();
            let found = blocks(side, &colours);
            if !shown.is_empty() && rectangles + found.len() + 2 > BUDGET {
                break;
            }
            rectangles += found.len() + 2;
            shown.push(found);
        }

        let pixel = (56 / side as i32).max(1);
        let picture = side as i32 * pixel;
        let columns = COLUMNS.min(shown.len());
        let grid_rows = shown.len().div_ceil(columns) as i32;
        let (cell_w, cell_h) = (picture + 14, picture + 22);
        let title = if self.frame.title.is_some() { 30 } else { 0 };
        let note = if shown.len() < w.ncols() {
            let why = if shown.len() < wanted {
                " (more would make the picture too large)"
            } else {
                ""
            };
            format!("the first {} of {} units{why}", shown.len(), w.ncols())
        } else {
            String::new()
        };
        let top = if note.is_empty() { 8 } else { 28 };
        let default = (
            (columns as i32 * cell_w + BAR + 20)
                .max(text_width(&note, 12.0) + BAR + 30)
                .max(title_width(&self.frame))
                .max(320) as u32,
            (top + grid_rows * cell_h + 8 + title).max(170) as u32,
        );
        render(&self.frame, default, |area| {
            let (width, _) = area.dim_in_pixel();
            let (grid, bar) = area.split_horizontally(width as i32 - BAR);
            if !note.is_empty() {
                let style = font(12.0).color(&GREY).pos(Pos::new(HPos::Left, VPos::Top));
                grid.draw_text(&note, &style, (10, 6))?;
            }
            for (j, found) in shown.iter().enumerate() {
                let (row, column) = ((j / columns) as i32, (j % columns) as i32);
                let x0 = 10 + column * cell_w;
                let y0 = top + row * cell_h;
                draw_picture(&grid, (x0, y0), side, pixel, found, plain_frame())?;
                let style = font(11.0).pos(Pos::new(HPos::Center, VPos::Top));
                grid.draw_text(
                    &format!("unit {}", j + 1),
                    &style,
                    (x0 + picture / 2, y0 + picture + 4),
                )?;
            }
            let low = if w.iter().any(|&v| v < 0.0) {
                -scale
            } else {
                0.0
            };
            colour_bar(&bar, low, scale, scale, "weight")
        })
    }
}

/// The 98th percentile of `magnitudes` (1 when they are all 0): the end of
/// the colour scale.
fn robust_scale(mut magnitudes: Vec<f64>) -> f64 {
    magnitudes.sort_by(f64::total_cmp);
    let at = ((magnitudes.len() as f64 * 0.98).ceil() as usize).clamp(1, magnitudes.len()) - 1;
    let largest = magnitudes.last().copied().unwrap_or(0.0);
    match magnitudes.get(at).copied() {
        Some(p) if p > 0.0 => p,
        _ if largest > 0.0 => largest,
        _ => 1.0,
    }
}

/// The first layer's weights as one picture per hidden unit (at most 64).
/// For fewer units, titles and sizes, use [`WeightImages`].
///
/// ```
/// use nn::prelude::*;
///
/// let net = Network::builder(64).dense(3, Activation::Sigmoid).dense(1, Activation::Sigmoid).build()?;
/// let svg = plot::weight_images(&net)?;                     // three 8 × 8 pictures
/// assert_eq!(svg.as_str().matches("unit ").count(), 3);
/// let not_square = Network::builder(10).dense(2, Activation::Relu).build()?;
/// assert!(plot::weight_images(&not_square).is_err());
/// # Ok::<(), nn::Error>(())
/// ```
pub fn weight_images(net: &Network) -> Result<Svg> {
    WeightImages::new(net).draw()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_scale_ignores_the_largest_two_percent() {
        let mut m: Vec<f64> = (1..=100).map(f64::from).collect();
        assert_eq!(robust_scale(m.clone()), 98.0);
        m[99] = 1e6; // one outlier changes nothing
        assert_eq!(robust_scale(m), 98.0);
        assert_eq!(robust_scale(vec![0.0, 0.0, 3.0]), 3.0);
        assert_eq!(robust_scale(vec![0.0; 4]), 1.0);
    }
}
