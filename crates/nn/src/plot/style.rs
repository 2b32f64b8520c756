//! The look every plot shares: size and title, fonts, colours, the colour
//! bar, and the one place where plotters turns drawing into SVG text.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::splice::Splice;
use super::Svg;
use crate::error::{Error, Result};
use crate::network::Network;

/// A drawing surface that writes SVG into a `String`, in pixels.
pub(crate) type Area<'a> = DrawingArea<SVGBackend<'a>, Shift>;

/// What plotters returns when drawing fails.
pub(crate) type DrawResult = std::result::Result<(), DrawingAreaErrorKind<std::io::Error>>;

/// Text and axes: a dark grey, softer than black.
pub(crate) const INK: RGBColor = RGBColor(0x33, 0x33, 0x33);
/// Grid lines, borders, quiet text.
pub(crate) const GREY: RGBColor = RGBColor(0x99, 0x99, 0x99);
/// The light grid behind lines and bars.
pub(crate) const GRID: RGBColor = RGBColor(0xe8, 0xe8, 0xe8);

/// Negative values and class 0: orange, as in TensorFlow Playground.
pub(crate) const NEGATIVE: RGBColor = RGBColor(0xe8, 0x7d, 0x1e);
/// Positive values and class 1: blue, as in TensorFlow Playground.
pub(crate) const POSITIVE: RGBColor = RGBColor(0x2c, 0x6f, 0xbb);

/// One colour per line or bar set: the Tableau 10 colours, which stay
/// apart for most colour-blind readers and in print.
const SERIES: [RGBColor; 8] = [
    RGBColor(0x4e, 0x79, 0xa7), // blue
    RGBColor(0xf2, 0x8e, 0x2b), // orange
    RGBColor(0x59, 0xa1, 0x4f), // green
    RGBColor(0xe1, 0x57, 0x59), // red
    RGBColor(0xb0, 0x7a, 0xa1), // purple
    RGBColor(0x76, 0xb7, 0xb2), // teal
    RGBColor(0x9c, 0x75, 0x5f), // brown
    RGBColor(0xed, 0xc9, 0x48), // yellow
];

/// One colour per class: orange and blue first, so that class 0 and 1
/// match negative and positive everywhere else.
const CLASSES: [RGBColor; 8] = [
    NEGATIVE, POSITIVE, SERIES[2], SERIES[3], SERIES[4], SERIES[5], SERIES[6], SERIES[7],
];

/// The colour of the `i`-th line or bar set (repeating after 8).
pub(crate) fn series_colour(i: usize) -> RGBColor {
    SERIES[i % SERIES.len()]
}

/// The colour of class `k` (repeating after 8).
pub(crate) fn class_colour(k: usize) -> RGBColor {
    CLASSES[k % CLASSES.len()]
}

/// `colour` blended into white: `amount` 0 gives white, 1 the colour itself.
pub(crate) fn tint(colour: RGBColor, amount: f64) -> RGBColor {
    let amount = amount.clamp(0.0, 1.0);
    let blend = |c: u8| (255.0 - (255.0 - f64::from(c)) * amount).round() as u8;
    RGBColor(blend(colour.0), blend(colour.1), blend(colour.2))
}

/// The diverging colour map: white at 0, orange towards −1, blue towards +1.
/// Zero is white so that "nothing" looks like nothing.
pub(crate) fn diverging(t: f64) -> RGBColor {
    if t < 0.0 {
        tint(NEGATIVE, -t)
    } else {
        tint(POSITIVE, t)
    }
}

/// Rounds `t` in [−1, 1] to a multiple of `1 / steps`, so that
/// neighbouring cells often share a colour and merge into one rectangle
/// (see [`runs`]).
pub(crate) fn quantize(t: f64, steps: u32) -> f64 {
    let steps = f64::from(steps.max(1));
    (t.clamp(-1.0, 1.0) * steps).round() / steps
}

/// White text on dark colours, dark text on light ones.
pub(crate) fn text_on(background: RGBColor) -> RGBColor {
    let RGBColor(r, g, b) = background;
    let luma = 0.299 * f64::from(r) + 0.587 * f64::from(g) + 0.114 * f64::from(b);
    if luma < 140.0 {
        WHITE
    } else {
        INK
    }
}

/// A sans-serif font of `px` CSS pixels in `INK`.
///
/// plotters writes `font-size = size / 1.24` into the SVG, so asking for
/// `px · 1.24` makes the browser draw exactly `px`.
pub(crate) fn font(px: f64) -> TextStyle<'static> {
    TextStyle::from(("sans-serif", px * 1.24).into_font()).color(&INK)
}

/// A bold sans-serif font of `px` CSS pixels, for titles.
pub(crate) fn bold(px: f64) -> TextStyle<'static> {
    TextStyle::from(("sans-serif", px * 1.24, FontStyle::Bold).into_font()).color(&INK)
}

/// Roughly how many pixels wide `text` is at `px`: browsers draw the text,
/// so its real width is unknown here, and an average glyph of 0.6 em is
/// close enough to place labels without overlap.
pub(crate) fn text_width(text: &str, px: f64) -> i32 {
    (text.chars().count() as f64 * px * 0.6).round() as i32
}

/// The width a plot needs for its title to fit: bold glyphs are wider
/// than [`text_width`]'s average, hence the tenth more, and a margin.
pub(crate) fn title_width(frame: &Frame) -> i32 {
    frame
        .title
        .as_deref()
        .map_or(0, |t| text_width(t, 16.0) * 11 / 10 + 24)
}

/// A number short enough for a tick or a cell: like `%.{digits}g`.
pub(crate) fn short(v: f64, digits: usize) -> String {
    crate::display::format_g(v, digits)
}

/// A tick label: like [`short`] with 4 digits, but a value that is 0 up
/// to rounding shows as "0" (plotters steps along an axis by adding, and
/// −0.1 + 0.1 comes out as −1.11e-16). `span` is the length of the axis.
pub(crate) fn tick(v: f64, span: f64) -> String {
    if v.abs() < span.abs() * 1e-9 {
        "0".into()
    } else {
        short(v, 4)
    }
}

/// The runs of equal colours in a row of cells, as `start..end` ranges:
/// each run is drawn as one rectangle instead of one per cell, which keeps
/// a shaded plane a few kilobytes instead of a megabyte.
pub(crate) fn runs(cells: &[RGBColor]) -> Vec<std::ops::Range<usize>> {
    let mut found = Vec::new();
    let mut start = 0;
    for end in 1..=cells.len() {
        if end == cells.len() || cells[end] != cells[start] {
            found.push(start..end);
            start = end;
        }
    }
    found
}

/// Checks that an axis can be drawn: plotters needs its length to be a
/// finite number above 0, and never finishes placing the ticks of an
/// infinitely long one. `what` names the axis in the message.
pub(crate) fn check_span(what: &str, axis: &std::ops::Range<f64>) -> Result<()> {
    let length = axis.end - axis.start;
    if length.is_finite() && length > 0.0 {
        Ok(())
    } else {
        Err(Error::Plot(format!(
            "the {what} axis would run from {} to {}, too far to draw; \
             leave out the extreme values",
            short(axis.start, 6),
            short(axis.end, 6)
        )))
    }
}

/// The title and size every plot can be given.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Frame {
    /// Drawn centred above the plot.
    pub title: Option<String>,
    /// Width and height in pixels; each plot has its own default.
    pub size: Option<(u32, u32)>,
}

impl Frame {
    /// The size to draw at, checked to be one a notebook can show.
    pub fn size_or(&self, default: (u32, u32)) -> Result<(u32, u32)> {
        let (width, height) = self.size.unwrap_or(default);
        let fits = |v: u32| (100..=4000).contains(&v);
        if fits(width) && fits(height) {
            Ok((width, height))
        } else {
            Err(Error::InvalidParameter {
                name: "size",
                value: format!("({width}, {height})"),
                valid: "between 100 and 4000 pixels in each direction",
            })
        }
    }
}

/// Draws a plot into SVG text: a white page of the frame's size (or
/// `default`), the title if there is one, then `draw` on the rest.
pub(crate) fn render(
    frame: &Frame,
    default: (u32, u32),
    draw: impl FnOnce(&Area) -> DrawResult,
) -> Result<Svg> {
    let size = frame.size_or(default)?;
    let mut text = String::new();
    draw_page(&mut text, size, frame.title.as_deref(), draw)
        .map_err(|e| Error::Plot(format!("the plot could not be drawn: {e}")))?;
    Ok(Svg(text))
}

/// [`render`] for a plot that also puts SVG of its own into the drawing
/// ([`Splice`]: smooth maps, compact dots, curves).
pub(crate) fn render_spliced(
    frame: &Frame,
    default: (u32, u32),
    draw: impl FnOnce(&Area, &mut Splice) -> DrawResult,
) -> Result<Svg> {
    let mut splice = Splice::default();
    let svg = render(frame, default, |area| draw(area, &mut splice))?;
    Ok(Svg(splice.apply(svg.as_str())))
}

fn draw_page(
    text: &mut String,
    size: (u32, u32),
    title: Option<&str>,
    draw: impl FnOnce(&Area) -> DrawResult,
) -> DrawResult {
    let root = SVGBackend::with_string(text, size).into_drawing_area();
    // Without a background the image would be transparent, and unreadable
    // in a notebook with a dark theme.
    root.fill(&WHITE)?;
    let body = match title {
        Some(title) => root.margin(6, 0, 0, 0).titled(title, bold(16.0))?,
        None => root.clone(),
    };
    draw(&body)?;
    root.present()
}

/// A vertical colour bar for the [`diverging`] map scaled to `scale`, from
/// `low` (bottom) to `high` (top), with its ends and 0 labelled, filling
/// `area` (about 70 pixels wide is enough).
pub(crate) fn colour_bar(area: &Area, low: f64, high: f64, scale: f64, label: &str) -> DrawResult {
    let (width, height) = area.dim_in_pixel();
    let (width, height) = (width as i32, height as i32);
    let (top, bottom) = (24, height - 12);
    let (left, right) = (8, 8 + (width / 4).clamp(10, 18));
    area.draw_text(label, &font(11.0).color(&GREY), (left - 4, top - 18))?;
    let steps = 40;
    for s in 0..steps {
        // Colour each slice by the value at its middle.
        let v = low + (high - low) * (f64::from(s) + 0.5) / f64::from(steps);
        let y0 = bottom - (bottom - top) * s / steps;
        let y1 = bottom - (bottom - top) * (s + 1) / steps;
        area.draw(&Rectangle::new(
            [(left, y1), (right, y0)],
            diverging(v / scale).filled(),
        ))?;
    }
    area.draw(&Rectangle::new([(left, top), (right, bottom)], GREY))?;
    let mut ticks = vec![low, high];
    if low < 0.0 && high > 0.0 {
        ticks.push(0.0);
    }
    for v in ticks {
        let y = bottom - ((v - low) / (high - low) * f64::from(bottom - top)).round() as i32;
        area.draw(&PathElement::new(vec![(right, y), (right + 4, y)], GREY))?;
        let style = font(11.0).pos(Pos::new(HPos::Left, VPos::Center));
        area.draw_text(&short(v, 3), &style, (right + 6, y))?;
    }
    Ok(())
}

/// Checks what drawing a network needs and its public fields could break:
/// at least one layer, layers that fit together, biases of the right
/// shape, finite numbers.
pub(crate) fn check_network(net: &Network) -> Result<()> {
    if net.layers.is_empty() {
        return Err(Error::Plot("the network has no layers to draw".into()));
    }
    for (l, layer) in net.layers.iter().enumerate() {
        if let Some(next) = net.layers.get(l + 1) {
            if next.inputs() != layer.outputs() {
                return Err(Error::Plot(format!(
                    "layer {} has {} units but layer {} expects {} inputs",
                    l + 1,
                    layer.outputs(),
                    l + 2,
                    next.inputs()
                )));
            }
        }
        let bias_fits = match &layer.bias {
            Some(b) => b.dim() == (1, layer.outputs()),
            None => true,
        };
        if !bias_fits {
            return Err(Error::Plot(format!(
                "layer {}'s bias is not 1 × {}",
                l + 1,
                layer.outputs()
            )));
        }
        let mut values = layer.weights.iter().chain(layer.bias.iter().flatten());
        if values.any(|v| !v.is_finite()) {
            return Err(Error::Plot(format!(
                "layer {} has a weight or bias that is not a finite number",
                l + 1
            )));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_blend_from_white() {
        assert_eq!(tint(POSITIVE, 0.0), WHITE);
        assert_eq!(tint(POSITIVE, 1.0), POSITIVE);
        assert_eq!(diverging(0.0), WHITE);
        assert_eq!(diverging(-1.0), NEGATIVE);
        assert_eq!(text_on(POSITIVE), WHITE);
        assert_eq!(text_on(WHITE), INK);
    }

    #[test]
    fn runs_group_equal_neighbours() {
        assert_eq!(runs(&[WHITE, WHITE, INK, WHITE]), vec![0..2, 2..3, 3..4]);
        assert!(runs(&[]).is_empty());
        assert_eq!(tick(-1.11e-16, 1.0), "0");
        assert_eq!(tick(0.25, 1.0), "0.25");
    }

    #[test]
    fn quantize_rounds_to_steps() {
        assert_eq!(quantize(0.26, 4), 0.25);
        assert_eq!(quantize(7.0, 4), 1.0);
        assert_eq!(quantize(-0.1, 0), -0.0);
    }

    #[test]
    fn sizes_out_of_range_are_refused() {
        let frame = Frame {
            title: None,
            size: Some((10, 400)),
        };
        assert!(frame.size_or((640, 400)).is_err());
        assert_eq!(Frame::default().size_or((640, 400)), Ok((640, 400)));
    }

    #[test]
    fn infinite_axes_are_refused() {
        assert!(check_span("x", &(0.0..1.0)).is_ok());
        assert!(check_span("x", &(-1e308..1e308)).is_err());
        assert!(check_span("x", &(1.0..1.0)).is_err());
    }
}
