//! How values show in a notebook: matrices as HTML tables, networks as
//! summaries, forward passes and gradients layer by layer.
//!
//! **How evcxr shows a value.** When a cell ends in an expression, evcxr
//! compiles `(expression).evcxr_display();` and, if that does not compile,
//! falls back to `{:?}`. It is an ordinary method call, so a trait method
//! works as soon as the trait is in scope: [`Show`] is in `nn::prelude`, and
//! with it a cell ending in `w` (an `Array2<f64>`) shows a table. The method
//! prints `EVCXR_BEGIN_CONTENT <mime type>`, the content, and
//! `EVCXR_END_CONTENT` on stdout, and evcxr hands the content to Jupyter
//! under that MIME type.
//!
//! ```
//! use nn::prelude::*;
//!
//! let w = array![[0.5, -1.25], [2.0, 1e-7]];
//! let html = display::named("w1", &w);
//! assert!(html.as_str().contains("w1 — 2 × 2"));
//! assert!(html.as_str().contains(">1e-07<"));
//! w.evcxr_display(); // what evcxr calls for a cell ending in `w`
//! ```

use std::fmt::Write as _;

use ndarray::{ArrayBase, ArrayView2, Axis, Data, Ix1, Ix2};

use crate::network::{ForwardPass, Gradients, Network};

/// The text evcxr reads from stdout to show `content` as `mime`
/// (such as `text/html` or `image/svg+xml`).
///
/// ```
/// let out = nn::display::evcxr_output("text/html", "<b>hi</b>");
/// assert_eq!(out, "EVCXR_BEGIN_CONTENT text/html\n<b>hi</b>\nEVCXR_END_CONTENT\n");
/// ```
pub fn evcxr_output(mime: &str, content: &str) -> String {
    // evcxr reads line by line, so a trailing newline of the content would
    // come back as an extra empty line.
    let content = content.trim_end_matches('\n');
    format!("EVCXR_BEGIN_CONTENT {mime}\n{content}\nEVCXR_END_CONTENT\n")
}

/// Prints [`evcxr_output`] in one write, so that nothing another thread
/// prints can land inside it, and ending in a newline, because stdout only
/// passes on whole lines.
///
/// ```
/// nn::display::show("text/plain", "hello");
/// ```
pub fn show(mime: &str, content: &str) {
    print!("{}", evcxr_output(mime, content));
}

/// An HTML fragment: shows in a notebook as `text/html`.
///
/// ```
/// let html = nn::display::Html("<b>hi</b>".to_string());
/// assert_eq!(html.as_str(), "<b>hi</b>");
/// html.evcxr_display();
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Html(pub String);

impl Html {
    /// The HTML text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Shows the HTML in a notebook; evcxr calls this for a cell ending in
    /// an `Html`.
    pub fn evcxr_display(&self) {
        show("text/html", &self.0);
    }
}

/// A value that can show itself as HTML in a notebook.
///
/// Implemented for matrices and vectors of `f64` (owned arrays and views),
/// [`Network`], [`ForwardPass`] and [`Gradients`]. With the trait in scope
/// (`use nn::prelude::*;`), a cell ending in such a value shows it.
///
/// ```
/// use nn::prelude::*;
///
/// let b = array![0.1, -0.2, 0.3];
/// assert!(b.to_html(None).contains("vector of 3"));
/// b.evcxr_display();
/// ```
pub trait Show {
    /// The value as an HTML fragment, with `name` in its caption if given.
    fn to_html(&self, name: Option<&str>) -> String;

    /// Prints the HTML for evcxr (see the [module docs](self)).
    fn evcxr_display(&self) {
        show("text/html", &self.to_html(None));
    }
}

/// `value` as HTML with `name` in its caption: `display::named("w1", &w)`
/// shows "w1 — 2 × 3" above the table.
///
/// ```
/// use nn::prelude::*;
/// let html = display::named("x", &array![[1.0, 2.0]]);
/// assert!(html.as_str().contains("<caption"));
/// assert!(html.as_str().contains("x — 1 × 2"));
/// ```
pub fn named<T: Show + ?Sized>(name: &str, value: &T) -> Html {
    Html(value.to_html(Some(name)))
}

/// `value` as HTML without a name: for a matrix, a table captioned with its
/// shape.
///
/// ```
/// use nn::prelude::*;
/// let html = display::table(&array![[1.0, 2.0], [3.0, 4.0]]);
/// assert!(html.as_str().contains("2 × 2"));
/// ```
pub fn table<T: Show + ?Sized>(value: &T) -> Html {
    Html(value.to_html(None))
}

/// A number with 6 significant digits, like Python's `f"{v:.6g}"`: fixed
/// notation from 1e-4 up to 1e6, scientific outside, trailing zeros dropped.
///
/// ```
/// use nn::display::number;
/// assert_eq!(number(-0.7198442083947086), "-0.719844");
/// assert_eq!(number(1234567.0), "1.23457e+06");
/// assert_eq!(number(0.5), "0.5");
/// assert_eq!(number(2.5e-5), "2.5e-05");
/// assert_eq!(number(f64::NAN), "NaN");
/// ```
pub fn number(v: f64) -> String {
    format_g(v, 6)
}

/// `v` with `digits` significant digits, as C's `%.{digits}g` writes it.
pub(crate) fn format_g(v: f64, digits: usize) -> String {
    if !v.is_finite() {
        return v.to_string();
    }
    if v == 0.0 {
        return "0".into();
    }
    let digits = digits.clamp(1, 17);
    // The exponent after rounding to `digits`: 9.9999996 becomes 1.00000e1.
    let scientific = format!("{:.*e}", digits - 1, v);
    let (mantissa, exponent) = scientific.split_once('e').unwrap_or((&scientific, "0"));
    let exponent: i32 = exponent.parse().unwrap_or(0);
    if exponent < -4 || exponent >= digits as i32 {
        let sign = if exponent < 0 { '-' } else { '+' };
        format!("{}e{sign}{:02}", trim_zeros(mantissa), exponent.abs())
    } else {
        let decimals = (digits as i32 - 1 - exponent).max(0) as usize;
        trim_zeros(&format!("{v:.decimals$}")).to_string()
    }
}

/// "1.2500" → "1.25", "2.000" → "2"; a number without a point stays.
fn trim_zeros(s: &str) -> &str {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.')
    } else {
        s
    }
}

/// Escapes text for HTML, since names come from the user.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Rows or columns beyond this many are cut to the first and last [`EDGE`].
const MAX_SHOWN: usize = 12;
/// How many rows or columns to keep at each end of a long matrix.
const EDGE: usize = 5;

/// The indices to show of `n`, with `None` where the ellipsis goes.
fn shown(n: usize) -> Vec<Option<usize>> {
    if n <= MAX_SHOWN {
        (0..n).map(Some).collect()
    } else {
        (0..EDGE)
            .map(Some)
            .chain([None])
            .chain((n - EDGE..n).map(Some))
            .collect()
    }
}

const TABLE: &str = "border-collapse:collapse;margin:0 1em 0.5em 0";
const CAPTION: &str = "caption-side:top;text-align:left;font-family:sans-serif;\
                       font-weight:bold;padding-bottom:0.2em;white-space:nowrap";
const INDEX: &str = "color:#999;font-weight:normal;font-family:monospace;\
                     text-align:right;padding:0 0.5em";
const CELL: &str = "font-family:monospace;text-align:right;padding:0 0.5em";

/// A matrix as a table: a caption, column indices above, row indices to
/// the left, every number right-aligned in monospace, long matrices cut
/// with ellipses.
fn matrix_table(m: ArrayView2<f64>, caption: &str) -> String {
    let (rows, cols) = m.dim();
    let mut html = format!(
        "<table style=\"{TABLE}\"><caption style=\"{CAPTION}\">{}</caption>",
        escape(caption)
    );
    html.push_str("<thead><tr><th></th>");
    for c in shown(cols) {
        let label = c.map_or("…".to_string(), |c| c.to_string());
        let _ = write!(html, "<th style=\"{INDEX}\">{label}</th>");
    }
    html.push_str("</tr></thead><tbody>");
    for r in shown(rows) {
        let label = r.map_or("⋮".to_string(), |r| r.to_string());
        let _ = write!(html, "<tr><th style=\"{INDEX}\">{label}</th>");
        for c in shown(cols) {
            let cell = match (r, c) {
                (Some(r), Some(c)) => number_cell(m[[r, c]]),
                (None, None) => "⋱".to_string(),
                (None, _) => "⋮".to_string(),
                (_, None) => "…".to_string(),
            };
            let _ = write!(html, "<td style=\"{CELL}\">{cell}</td>");
        }
        html.push_str("</tr>");
    }
    html.push_str("</tbody></table>");
    html
}

/// A number for a cell, in red if it is NaN or infinite, because that is
/// what a learner needs to notice first.
fn number_cell(v: f64) -> String {
    if v.is_finite() {
        number(v)
    } else {
        format!("<span style=\"color:#c00\">{}</span>", number(v))
    }
}

/// "name — 2 × 3", or "2 × 3" without a name.
fn caption(name: Option<&str>, shape: &str) -> String {
    match name {
        Some(name) => format!("{name} — {shape}"),
        None => shape.to_string(),
    }
}

/// Tables side by side: an outer table, because flexbox styles are removed
/// by some notebook viewers and tables are not.
fn side_by_side(cells: &[String]) -> String {
    let mut html = String::from("<tr>");
    for cell in cells {
        let _ = write!(
            html,
            "<td style=\"vertical-align:top;text-align:left;padding:0 1em 0 0\">{cell}</td>"
        );
    }
    html.push_str("</tr>");
    html
}

/// Layer numbers as superscripts, as the formulas write them: z¹, a².
fn superscript(n: usize) -> String {
    const DIGITS: [char; 10] = ['⁰', '¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹'];
    n.to_string()
        .chars()
        .map(|d| DIGITS[d.to_digit(10).unwrap_or(0) as usize])
        .collect()
}

/// A heading above a group of tables.
fn heading(text: &str) -> String {
    format!(
        "<div style=\"font-family:sans-serif;font-weight:bold;margin:0.3em 0\">{}</div>",
        escape(text)
    )
}

impl<S: Data<Elem = f64>> Show for ArrayBase<S, Ix2> {
    /// A table captioned with the shape, rows × columns.
    fn to_html(&self, name: Option<&str>) -> String {
        let shape = format!("{} × {}", self.nrows(), self.ncols());
        matrix_table(self.view(), &caption(name, &shape))
    }
}

impl<S: Data<Elem = f64>> Show for ArrayBase<S, Ix1> {
    /// A one-row table captioned "vector of n".
    fn to_html(&self, name: Option<&str>) -> String {
        let shape = format!("vector of {}", self.len());
        matrix_table(self.view().insert_axis(Axis(0)), &caption(name, &shape))
    }
}

impl Show for Network {
    /// One row per layer: units, the shape of W, bias, activation and
    /// the number of parameters, with the total at the bottom.
    fn to_html(&self, name: Option<&str>) -> String {
        let Some(first) = self.layers.first() else {
            return heading("a network without layers");
        };
        let sizes: Vec<String> = std::iter::once(first.inputs())
            .chain(self.layers.iter().map(|l| l.outputs()))
            .map(|n| n.to_string())
            .collect();
        let title = caption(name, &format!("network {}", sizes.join(" → ")));
        let mut html = format!(
            "<table style=\"{TABLE}\"><caption style=\"{CAPTION}\">{}</caption><thead><tr>",
            escape(&title)
        );
        for column in ["layer", "units", "W", "bias", "activation", "parameters"] {
            let _ = write!(html, "<th style=\"{CELL}\">{column}</th>");
        }
        html.push_str("</tr></thead><tbody>");
        let row = |cells: [String; 6]| {
            let mut tr = String::from("<tr>");
            for cell in cells {
                let _ = write!(tr, "<td style=\"{CELL}\">{}</td>", escape(&cell));
            }
            tr + "</tr>"
        };
        let dash = || "—".to_string();
        html += &row([
            "input".into(),
            first.inputs().to_string(),
            dash(),
            dash(),
            dash(),
            dash(),
        ]);
        for (l, layer) in self.layers.iter().enumerate() {
            let bias = match &layer.bias {
                Some(b) => format!("{} × {}", b.nrows(), b.ncols()),
                None => "none".into(),
            };
            html += &row([
                (l + 1).to_string(),
                layer.outputs().to_string(),
                format!("{} × {}", layer.inputs(), layer.outputs()),
                bias,
                layer.activation.name().into(),
                layer.parameter_count().to_string(),
            ]);
        }
        let total = self
            .layers
            .iter()
            .map(|l| l.parameter_count())
            .sum::<usize>();
        html += &row([
            "total".into(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            total.to_string(),
        ]);
        html + "</tbody></table>"
    }
}

impl Show for ForwardPass {
    /// For every layer l, zˡ and aˡ side by side.
    fn to_html(&self, name: Option<&str>) -> String {
        let rows = self.layers.first().map_or(0, |p| p.z.nrows());
        let title = caption(name, &format!("forward pass of {rows} rows"));
        let mut html = heading(&title) + "<table style=\"border-collapse:collapse\">";
        for (i, pass) in self.layers.iter().enumerate() {
            let (l, below) = (superscript(i + 1), superscript(i));
            html += &side_by_side(&[
                pass.z
                    .to_html(Some(&format!("z{l} = a{below}·W{l} + b{l}"))),
                pass.a.to_html(Some(&format!("a{l} = f(z{l})"))),
            ]);
        }
        html + "</table>"
    }
}

impl Show for Gradients {
    /// For every layer l, ∂L/∂Wˡ and ∂L/∂bˡ side by side.
    fn to_html(&self, name: Option<&str>) -> String {
        let title = caption(name, "gradients of the loss");
        let mut html = heading(&title) + "<table style=\"border-collapse:collapse\">";
        for (l, g) in self.layers.iter().enumerate() {
            let l = superscript(l + 1);
            let bias = match &g.bias {
                Some(b) => b.to_html(Some(&format!("∂L/∂b{l}"))),
                None => heading(&format!("∂L/∂b{l}: no bias")),
            };
            html += &side_by_side(&[g.weights.to_html(Some(&format!("∂L/∂W{l}"))), bias]);
        }
        html + "</table>"
    }
}

impl Network {
    /// Shows a summary table in a notebook: layer, units, the shape of W,
    /// bias, activation, parameters.
    ///
    /// ```
    /// use nn::prelude::*;
    /// let net = Network::builder(2).dense(3, Activation::Sigmoid).dense(1, Activation::Sigmoid).build()?;
    /// assert!(net.to_html(None).contains("network 2 → 3 → 1"));
    /// net.evcxr_display();
    /// # Ok::<(), nn::Error>(())
    /// ```
    pub fn evcxr_display(&self) {
        Show::evcxr_display(self);
    }
}

impl ForwardPass {
    /// Shows every layer's z and a as tables, side by side.
    ///
    /// ```
    /// use nn::prelude::*;
    /// let net = Network::builder(2).dense(3, Activation::Sigmoid).build()?;
    /// let pass = net.forward(&array![[1.0, 2.0]])?;
    /// assert!(pass.to_html(None).contains("a¹ = f(z¹)"));
    /// pass.evcxr_display();
    /// # Ok::<(), nn::Error>(())
    /// ```
    pub fn evcxr_display(&self) {
        Show::evcxr_display(self);
    }
}

impl Gradients {
    /// Shows every layer's ∂L/∂W and ∂L/∂b as tables, side by side.
    ///
    /// ```
    /// use nn::prelude::*;
    /// let d = data::study_sleep();
    /// let net = Network::builder(2).dense(1, Activation::Sigmoid).build()?;
    /// let grads = net.backward(&net.forward(&d.x)?, Loss::Mse, &d.y)?;
    /// assert!(grads.to_html(None).contains("∂L/∂W¹ — 2 × 1"));
    /// grads.evcxr_display();
    /// # Ok::<(), nn::Error>(())
    /// ```
    pub fn evcxr_display(&self) {
        Show::evcxr_display(self);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::activation::Activation;
    use crate::layer::Dense;
    use ndarray::{array, Array2};

    #[test]
    fn numbers_match_pythons_g_format() {
        // Expected strings from Python: f"{v:.6g}".
        let cases = [
            (0.0, "0"),
            (1.0, "1"),
            (-2.5, "-2.5"),
            (0.1 + 0.2, "0.3"),
            (123456.0, "123456"),
            (999999.5, "1e+06"),
            (0.0001, "0.0001"),
            (0.00001234, "1.234e-05"),
            (9.9999996, "10"),
            (1e300, "1e+300"),
            (-0.7198442083947086, "-0.719844"),
            (f64::INFINITY, "inf"),
            (f64::NEG_INFINITY, "-inf"),
        ];
        for (v, want) in cases {
            assert_eq!(number(v), want, "{v}");
        }
        assert_eq!(format_g(0.123456, 2), "0.12");
        assert_eq!(format_g(1500.0, 2), "1.5e+03");
    }

    #[test]
    fn evcxr_output_is_one_block() {
        let out = evcxr_output("image/svg+xml", "<svg>\n</svg>\n");
        assert_eq!(
            out,
            "EVCXR_BEGIN_CONTENT image/svg+xml\n<svg>\n</svg>\nEVCXR_END_CONTENT\n"
        );
    }

    #[test]
    fn small_matrix_shows_every_number() {
        let html = named("w1", &array![[1.0, -2.0, 3.5], [0.25, 0.0, 1e-9]]).0;
        assert!(html.contains("w1 — 2 × 3"));
        for v in ["1", "-2", "3.5", "0.25", "0", "1e-09"] {
            assert!(html.contains(&format!(">{v}</td>")), "{v} in {html}");
        }
        assert_eq!(html.matches("<tr>").count(), 1 + 2);
        assert!(!html.contains('…'));
    }

    #[test]
    fn large_matrix_is_cut_with_ellipses() {
        let m = Array2::from_shape_fn((100, 30), |(r, c)| (r * 100 + c) as f64);
        let html = table(&m).0;
        assert!(html.contains("100 × 30"));
        // 5 + ellipsis + 5 rows, plus the header row.
        assert_eq!(html.matches("<tr>").count(), 1 + 11);
        assert!(html.contains("⋱"));
        assert!(html.contains(">9929</td>")); // the last row and column
        assert!(!html.contains(">5000</td>")); // row 50 is cut
    }

    #[test]
    fn names_are_escaped_and_nan_is_red() {
        let html = named("<w>", &array![[f64::NAN]]).0;
        assert!(html.contains("&lt;w&gt; — 1 × 1"));
        assert!(html.contains("color:#c00\">NaN"));
    }

    #[test]
    fn views_and_vectors_show_too() {
        let m = array![[1.0, 2.0], [3.0, 4.0]];
        assert!(m.t().to_html(None).contains("2 × 2"));
        assert!(m.row(1).to_html(Some("r")).contains("r — vector of 2"));
    }

    fn original() -> Network {
        let l1 = Dense::new(Array2::zeros((2, 3)), None, Activation::Sigmoid).unwrap();
        let l2 = Dense::new(
            Array2::zeros((3, 1)),
            Some(Array2::zeros((1, 1))),
            Activation::Identity,
        )
        .unwrap();
        Network::from_layers(vec![l1, l2]).unwrap()
    }

    #[test]
    fn network_summary_lists_layers() {
        let html = named("net", &original()).0;
        assert!(html.contains("net — network 2 → 3 → 1"));
        assert!(html.contains(">2 × 3</td>"));
        assert!(html.contains(">none</td>"));
        assert!(html.contains(">identity</td>"));
        assert!(html.contains(">10</td>")); // 6 + 3 + 1 parameters
        assert_eq!(html.matches("<tr>").count(), 1 + 4);
        let empty = Network { layers: vec![] };
        assert!(empty.to_html(None).contains("without layers"));
    }

    #[test]
    fn forward_pass_and_gradients_show_every_layer() {
        let net = original();
        let x = array![[1.0, 2.0], [3.0, 4.0]];
        let pass = net.forward(&x).unwrap();
        let html = pass.to_html(None);
        assert!(html.contains("forward pass of 2 rows"));
        assert!(html.contains("z¹ = a⁰·W¹ + b¹ — 2 × 3"));
        assert!(html.contains("a² = f(z²) — 2 × 1"));
        let y = array![[1.0], [0.0]];
        let grads = net.backward(&pass, crate::loss::Loss::Mse, &y).unwrap();
        let html = named("g", &grads).0;
        assert!(html.contains("∂L/∂W¹ — 2 × 3"));
        assert!(html.contains("∂L/∂b¹: no bias"));
        assert!(html.contains("∂L/∂b² — 1 × 1"));
        assert_eq!(superscript(12), "¹²");
    }
}
