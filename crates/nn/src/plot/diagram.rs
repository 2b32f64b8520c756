//! A network drawn as nodes and edges, like TensorFlow Playground's.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::style::{bold, check_network, font, render, short, text_width, tint, Area};
use super::style::{DrawResult, Frame, GREY, INK, NEGATIVE, POSITIVE};
use super::Svg;
use crate::error::{Error, Result};
use crate::network::Network;

/// Layers up to this many units can be drawn: two such layers make 1 024
/// edges, about 100 KB of SVG.
const MOST_UNITS: usize = 32;
/// A layer pair with at most this many edges gets its weights written on.
const WRITTEN_EDGES: usize = 12;
/// Room on top for the layer names, and at the bottom for the key.
const HEADER: i32 = 50;
const FOOTER: i32 = 30;

/// A diagram of a network: one column of nodes per layer, an edge for
/// every weight — blue for positive, orange for negative, thicker for a
/// larger |w| — the weights written on the edges when a layer pair has at
/// most 12 of them, and each unit's bias under its node.
///
/// ```
/// use nn::prelude::*;
/// use nn::plot::Diagram;
///
/// let net = Network::builder(2).dense(3, Activation::Sigmoid).dense(1, Activation::Sigmoid).seed(42).build()?;
/// let svg = Diagram::new(&net).title("the original 2-3-1 network").draw()?;
/// // One see-through line per weight: 2·3 + 3·1.
/// assert_eq!(svg.as_str().matches("<polyline fill=\"none\" opacity=\"0.8\"").count(), 9);
/// # Ok::<(), nn::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Diagram<'a> {
    net: &'a Network,
    frame: Frame,
}

/// Where a node is drawn.
#[derive(Debug, Clone, Copy)]
struct Node {
    x: i32,
    y: i32,
}

/// A rectangle of the picture that a label would cover, in pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Patch {
    left: i32,
    top: i32,
    right: i32,
    bottom: i32,
}

impl Patch {
    /// The rectangle reaching `half_width` and `half_height` from `centre`.
    fn around(centre: (i32, i32), half_width: i32, half_height: i32) -> Patch {
        Patch {
            left: centre.0 - half_width,
            top: centre.1 - half_height,
            right: centre.0 + half_width,
            bottom: centre.1 + half_height,
        }
    }

    fn overlaps(&self, other: &Patch) -> bool {
        self.left < other.right
            && other.left < self.right
            && self.top < other.bottom
            && other.top < self.bottom
    }
}

/// The distance between the nodes of a column of `units`: they fill the
/// height, up to 80 pixels apart.
fn spacing(height: i32, units: usize) -> i32 {
    ((height - HEADER - FOOTER - 20) / units.max(1) as i32).clamp(4, 80)
}

impl<'a> Diagram<'a> {
    /// The diagram of `net`.
    pub fn new(net: &'a Network) -> Self {
        Diagram {
            net,
            frame: Frame::default(),
        }
    }

    /// A title above the diagram.
    pub fn title(mut self, title: &str) -> Self {
        self.frame.title = Some(title.to_string());
        self
    }

    /// The size in pixels (default 640 × 400).
    pub fn size(mut self, width: u32, height: u32) -> Self {
        self.frame.size = Some((width, height));
        self
    }

    /// Draws the diagram. Errors for a network whose layers do not fit
    /// together, or one with more than 32 units in a layer.
    pub fn draw(&self) -> Result<Svg> {
        let net = self.net;
        check_network(net)?;
        let sizes = net.sizes();
        if let Some(&too_many) = sizes.iter().find(|&&n| n > MOST_UNITS) {
            return Err(Error::InvalidParameter {
                name: "units in a layer",
                value: too_many.to_string(),
                valid: "at most 32 for a diagram; plot::heatmap shows a large weight matrix",
            });
        }
        render(&self.frame, (640, 400), |area| {
            let columns = self.place(area, &sizes);
            let radius = self.radius(area, &sizes);
            self.draw_edges(area, &columns)?;
            // Weights are written where they cover no node, bias or other weight.
            let mut taken: Vec<Patch> = columns
                .iter()
                .flatten()
                .map(|n| Patch::around((n.x, n.y + 9), radius + 2, radius + 11))
                .collect();
            self.draw_weights(area, &columns, &mut taken)?;
            self.draw_nodes(area, &columns, radius)?;
            self.draw_headers(area, &columns)?;
            key(area)
        })
    }

    /// The position of every node, column by column, each column centred.
    fn place(&self, area: &Area, sizes: &[usize]) -> Vec<Vec<Node>> {
        let (width, height) = area.dim_in_pixel();
        let (width, height) = (width as i32, height as i32);
        let margin = 70;
        let gaps = (sizes.len() - 1).max(1) as i32;
        let middle = HEADER + (height - HEADER - FOOTER) / 2;
        sizes
            .iter()
            .enumerate()
            .map(|(c, &n)| {
                let x = margin + (width - 2 * margin) * c as i32 / gaps;
                let spacing = spacing(height, n);
                (0..n)
                    .map(|j| Node {
                        x,
                        y: middle + ((2 * j as i32 - (n as i32 - 1)) * spacing) / 2,
                    })
                    .collect()
            })
            .collect()
    }

    /// One radius for all nodes, as large as the tallest column allows.
    fn radius(&self, area: &Area, sizes: &[usize]) -> i32 {
        let tallest = sizes.iter().max().copied().unwrap_or(1);
        (spacing(area.dim_in_pixel().1 as i32, tallest) * 3 / 10).clamp(2, 20)
    }

    /// Every weight as a line, its width and colour telling its size and
    /// sign.
    fn draw_edges(&self, area: &Area, columns: &[Vec<Node>]) -> DrawResult {
        let largest = self
            .net
            .layers
            .iter()
            .flat_map(|l| l.weights.iter())
            .fold(0.0f64, |m, w| m.max(w.abs()));
        let largest = if largest > 0.0 { largest } else { 1.0 };
        for (l, layer) in self.net.layers.iter().enumerate() {
            let (from, to) = (&columns[l], &columns[l + 1]);
            for ((i, j), &w) in layer.weights.indexed_iter() {
                let width = 1 + (4.0 * w.abs() / largest).round() as u32;
                let style = sign_colour(w).mix(0.8).stroke_width(width);
                area.draw(&PathElement::new(
                    vec![(from[i].x, from[i].y), (to[j].x, to[j].y)],
                    style,
                ))?;
            }
        }
        Ok(())
    }

    /// The value of every weight on its edge, for layer pairs with at
    /// most 12 edges, each where it covers nothing in `taken`.
    fn draw_weights(
        &self,
        area: &Area,
        columns: &[Vec<Node>],
        taken: &mut Vec<Patch>,
    ) -> DrawResult {
        for (l, layer) in self.net.layers.iter().enumerate() {
            if layer.weights.len() > WRITTEN_EDGES {
                continue;
            }
            let (from, to) = (&columns[l], &columns[l + 1]);
            for ((i, j), &w) in layer.weights.indexed_iter() {
                let text = short(w, 3);
                let at = |t: f64| {
                    let x = from[i].x + (f64::from(to[j].x - from[i].x) * t).round() as i32;
                    let y = from[i].y + (f64::from(to[j].y - from[i].y) * t).round() as i32;
                    (x, y)
                };
                // Edges from one node start at a quarter of the way, edges
                // from the last node at three quarters; if that spot is
                // taken, try a little further along or back.
                let first = if from.len() == 1 {
                    0.5
                } else {
                    0.25 + 0.5 * i as f64 / (from.len() - 1) as f64
                };
                let patch = |t: f64| Patch::around(at(t), text_width(&text, 11.0) / 2 + 3, 8);
                let t = [0.0, 0.08, -0.08, 0.16, -0.16, 0.24, -0.24]
                    .iter()
                    .map(|shift| first + shift)
                    .filter(|t| (0.12..=0.88).contains(t))
                    .find(|&t| !taken.iter().any(|p| p.overlaps(&patch(t))))
                    .unwrap_or(first);
                taken.push(patch(t));
                label(area, &text, at(t), 11.0, sign_colour(w))?;
            }
        }
        Ok(())
    }

    /// The nodes, named inside, shaded by their bias, with the bias written
    /// under them when the layer is small.
    fn draw_nodes(&self, area: &Area, columns: &[Vec<Node>], radius: i32) -> DrawResult {
        let largest_bias = self
            .net
            .layers
            .iter()
            .flat_map(|l| l.bias.iter().flatten())
            .fold(0.0f64, |m, b| m.max(b.abs()));
        let last = columns.len() - 1;
        for (c, column) in columns.iter().enumerate() {
            let bias = c
                .checked_sub(1)
                .and_then(|l| self.net.layers[l].bias.as_ref());
            // The bias is written under its node when there is room before
            // the next node.
            let room = match column.as_slice() {
                [first, second, ..] => second.y - first.y,
                _ => 80,
            };
            for (j, node) in column.iter().enumerate() {
                let b = bias.and_then(|b| b.get((0, j)).copied());
                let fill = match b {
                    Some(b) if largest_bias > 0.0 => {
                        tint(sign_colour(b), 0.5 * b.abs() / largest_bias)
                    }
                    _ => WHITE,
                };
                let centre = (node.x, node.y);
                area.draw(&Circle::new(centre, radius as u32, fill.filled()))?;
                area.draw(&Circle::new(centre, radius as u32, INK.stroke_width(1)))?;
                if radius >= 9 {
                    let name = node_name(c, last, j, column.len());
                    let style =
                        font(f64::from(radius).min(14.0)).pos(Pos::new(HPos::Center, VPos::Center));
                    area.draw_text(&name, &style, centre)?;
                }
                if let Some(b) = b.filter(|_| room >= 2 * radius + 14) {
                    let at = (node.x, node.y + radius + 9);
                    label(area, &format!("b = {}", short(b, 2)), at, 10.0, GREY)?;
                }
            }
        }
        Ok(())
    }

    /// Each column's name, and its activation and whether it has a bias.
    fn draw_headers(&self, area: &Area, columns: &[Vec<Node>]) -> DrawResult {
        let last = columns.len() - 1;
        for (c, column) in columns.iter().enumerate() {
            let x = column.first().map_or(0, |n| n.x);
            let (name, detail) = match c {
                0 => ("input".to_string(), format!("{} values", column.len())),
                _ => {
                    let layer = &self.net.layers[c - 1];
                    let name = if c == last {
                        "output".to_string()
                    } else {
                        format!("hidden {c}")
                    };
                    let bias = if layer.bias.is_some() {
                        ""
                    } else {
                        ", no bias"
                    };
                    (name, format!("{}{bias}", layer.activation.name()))
                }
            };
            let top = Pos::new(HPos::Center, VPos::Top);
            area.draw_text(&name, &bold(13.0).pos(top), (x, 6))?;
            area.draw_text(&detail, &font(11.0).color(&GREY).pos(top), (x, 24))?;
        }
        Ok(())
    }
}

/// The colour of a number's sign: blue positive, orange negative.
fn sign_colour(v: f64) -> RGBColor {
    if v < 0.0 {
        NEGATIVE
    } else {
        POSITIVE
    }
}

/// x₁ for inputs, h₁ for hidden units, ŷ (or ŷ₁, ŷ₂) for outputs.
fn node_name(column: usize, last: usize, j: usize, units: usize) -> String {
    const SUB: [char; 10] = ['₀', '₁', '₂', '₃', '₄', '₅', '₆', '₇', '₈', '₉'];
    let index: String = (j + 1)
        .to_string()
        .chars()
        .map(|d| SUB[d.to_digit(10).unwrap_or(0) as usize])
        .collect();
    match column {
        0 => format!("x{index}"),
        c if c == last && units == 1 => "ŷ".to_string(),
        c if c == last => format!("ŷ{index}"),
        _ => format!("h{index}"),
    }
}

/// Text centred at `at` on a white patch, so that edges under it do not
/// cross it out.
fn label(area: &Area, text: &str, at: (i32, i32), px: f64, colour: RGBColor) -> DrawResult {
    let half_width = text_width(text, px) / 2 + 3;
    let half_height = (px * 0.65).round() as i32 + 1;
    area.draw(&Rectangle::new(
        [
            (at.0 - half_width, at.1 - half_height),
            (at.0 + half_width, at.1 + half_height),
        ],
        WHITE.mix(0.85).filled(),
    ))?;
    let style = font(px)
        .color(&colour)
        .pos(Pos::new(HPos::Center, VPos::Center));
    area.draw_text(text, &style, at)
}

/// What the colours and widths mean, along the bottom.
fn key(area: &Area) -> DrawResult {
    let y = area.dim_in_pixel().1 as i32 - FOOTER / 2;
    let style = font(12.0)
        .color(&GREY)
        .pos(Pos::new(HPos::Left, VPos::Center));
    let mut x = 20;
    for (colour, text) in [(POSITIVE, "positive weight"), (NEGATIVE, "negative weight")] {
        area.draw(&PathElement::new(
            vec![(x, y), (x + 24, y)],
            colour.stroke_width(3),
        ))?;
        area.draw_text(text, &style, (x + 30, y))?;
        x += 30 + text_width(text, 12.0) + 24;
    }
    area.draw_text("thicker: larger |weight|", &style, (x, y))
}

/// The diagram of a network. For a title or a size, use [`Diagram`].
///
/// ```
/// use nn::prelude::*;
///
/// let net = Network::builder(2).dense(3, Activation::Sigmoid).dense(1, Activation::Sigmoid).no_bias().build()?;
/// let svg = plot::network(&net)?;
/// assert!(svg.as_str().contains("no bias"));
/// assert_eq!(svg.as_str().matches("<circle").count(), 2 * 6); // a fill and a ring per node
/// # Ok::<(), nn::Error>(())
/// ```
pub fn network(net: &Network) -> Result<Svg> {
    Diagram::new(net).draw()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patches_overlap_only_when_they_share_area() {
        let a = Patch::around((10, 10), 5, 5);
        assert!(a.overlaps(&Patch::around((18, 10), 5, 5)));
        assert!(!a.overlaps(&Patch::around((20, 10), 5, 5)));
    }

    #[test]
    fn node_names() {
        assert_eq!(node_name(0, 2, 0, 2), "x₁");
        assert_eq!(node_name(1, 2, 11, 12), "h₁₂");
        assert_eq!(node_name(2, 2, 0, 1), "ŷ");
        assert_eq!(node_name(2, 2, 1, 3), "ŷ₂");
    }
}
