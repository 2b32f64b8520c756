//! SVG that plotters cannot write — embedded images, compact dots, curves —
//! put into a plotters drawing at the place kept for it.
//!
//! plotters writes every element in the order it is drawn, and the last one
//! drawn is on top. To keep that order for an element it cannot draw, a
//! [`Splice`] draws a marker text in its place (`nn-splice-0`, `nn-splice-1`,
//! …) and, when the drawing is done, replaces each marker's `<text>` element
//! with the SVG kept for it.

use std::fmt::Write as _;

use plotters::style::RGBColor;

use super::png;
use super::style::{font, short, Area, DrawResult};

/// The SVG pieces of one drawing, in the order their places were kept.
#[derive(Debug, Default)]
pub(crate) struct Splice {
    pieces: Vec<String>,
}

/// `#rrggbb`.
pub(crate) fn hex(c: RGBColor) -> String {
    format!("#{:02x}{:02x}{:02x}", c.0, c.1, c.2)
}

/// A pixel coordinate with at most one decimal, as short as it can be written.
pub(crate) fn px(v: f64) -> String {
    let v = (v * 10.0).round() / 10.0;
    if v == v.trunc() {
        format!("{}", v as i64)
    } else {
        format!("{v:.1}")
    }
}

impl Splice {
    /// Keeps the current place in `area`'s drawing order for `svg`.
    pub fn put(&mut self, area: &Area, svg: String) -> DrawResult {
        area.draw_text(&marker(self.pieces.len()), &font(1.0), (0, 0))?;
        self.pieces.push(svg);
        Ok(())
    }

    /// An image stretched over the rectangle from `(left, top)` to
    /// `(right, bottom)` (picture pixels), its `pixels` row by row from the
    /// top. The browser smooths it when stretching, so a 60 × 60 map drawn
    /// 400 pixels wide shows no cells.
    pub fn image(
        &mut self,
        area: &Area,
        (left, top): (f64, f64),
        (right, bottom): (f64, f64),
        width: usize,
        pixels: &[RGBColor],
    ) -> DrawResult {
        let data = png::base64(&png::encode(width, pixels));
        let svg = format!(
            "<image x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" preserveAspectRatio=\"none\" \
             xlink:href=\"data:image/png;base64,{data}\"/>\n",
            px(left),
            px(top),
            px(right - left),
            px(bottom - top)
        );
        self.put(area, svg)
    }

    /// Dots of `radius` pixels at `points` (picture pixels), in `colour`
    /// with a white ring, as one path of zero-length strokes with round
    /// ends: about 12 bytes a dot instead of 120 for two `<circle>`s.
    pub fn dots(
        &mut self,
        area: &Area,
        points: &[(f64, f64)],
        colour: RGBColor,
        radius: f64,
    ) -> DrawResult {
        if points.is_empty() {
            return Ok(());
        }
        let mut d = String::with_capacity(points.len() * 12);
        for &(x, y) in points {
            let _ = write!(d, "M{} {}h0", px(x), px(y));
        }
        let stroke = |c: RGBColor, width: f64| {
            format!(
                "<path d=\"{d}\" fill=\"none\" stroke=\"{}\" stroke-width=\"{}\" \
                 stroke-linecap=\"round\"/>\n",
                hex(c),
                px(width)
            )
        };
        let svg =
            stroke(RGBColor(255, 255, 255), 2.0 * radius + 2.0) + &stroke(colour, 2.0 * radius);
        self.put(area, svg)
    }

    /// A path `d` (SVG path data in picture pixels) stroked in `colour`.
    pub fn stroke(
        &mut self,
        area: &Area,
        d: &str,
        colour: RGBColor,
        width: f64,
        opacity: f64,
    ) -> DrawResult {
        if d.is_empty() {
            return Ok(());
        }
        let svg = format!(
            "<path d=\"{d}\" fill=\"none\" stroke=\"{}\" stroke-width=\"{}\" opacity=\"{}\" \
             stroke-linejoin=\"round\" stroke-linecap=\"round\"/>\n",
            hex(colour),
            px(width),
            short(opacity.clamp(0.0, 1.0), 2)
        );
        self.put(area, svg)
    }

    /// Replaces each marker in `text` by its piece, and declares the xlink
    /// namespace the images' `xlink:href` needs (older viewers know only it).
    pub fn apply(self, text: &str) -> String {
        let mut out =
            String::with_capacity(text.len() + self.pieces.iter().map(String::len).sum::<usize>());
        let mut rest = text;
        if let Some(end) = rest.find('>') {
            let root = &rest[..end];
            out.push_str(root);
            if !root.contains("xmlns:xlink") {
                out.push_str(" xmlns:xlink=\"http://www.w3.org/1999/xlink\"");
            }
            rest = &rest[end..];
        }
        for (k, piece) in self.pieces.iter().enumerate() {
            // plotters writes a text element as `<text …>\nTEXT\n</text>\n`.
            let closing = format!(">\n{}\n</text>\n", marker(k));
            let Some(at) = rest.find(&closing) else {
                continue; // drawn outside the picture, so plotters left it out
            };
            let start = rest[..at].rfind("<text").unwrap_or(at);
            out.push_str(&rest[..start]);
            out.push_str(piece);
            rest = &rest[at + closing.len()..];
        }
        out.push_str(rest);
        out
    }
}

fn marker(k: usize) -> String {
    format!("nn-splice-{k}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plot::style::{render, Frame};
    use plotters::prelude::*;

    #[test]
    fn pieces_take_the_places_kept_for_them() {
        let mut splice = Splice::default();
        let svg = render(&Frame::default(), (200, 100), |area| {
            area.draw(&Circle::new((10, 10), 3, BLACK.filled()))?;
            splice.dots(area, &[(1.0, 2.5), (3.0, 4.0)], RGBColor(255, 0, 0), 3.0)?;
            area.draw(&Rectangle::new([(0, 0), (5, 5)], BLACK.filled()))?;
            splice.put(area, "<g id=\"second\"/>\n".into())
        })
        .unwrap();
        let text = splice.apply(svg.as_str());
        assert!(!text.contains("nn-splice"));
        assert!(text.contains("xmlns:xlink"));
        let circle = text.find("<circle").unwrap();
        let dots = text.find("M1 2.5h0M3 4h0").unwrap();
        let rect = text.rfind("<rect").unwrap();
        let second = text.find("<g id=\"second\"/>").unwrap();
        assert!(circle < dots && dots < rect && rect < second);
        assert!(text.contains("stroke=\"#ffffff\" stroke-width=\"8\""));
        assert!(text.contains("stroke=\"#ff0000\" stroke-width=\"6\""));
    }

    #[test]
    fn pixels_are_short() {
        assert_eq!(px(3.0), "3");
        assert_eq!(px(3.04), "3");
        assert_eq!(px(-2.25), "-2.3");
        assert_eq!(hex(RGBColor(0xe8, 0x7d, 0x1e)), "#e87d1e");
    }
}
