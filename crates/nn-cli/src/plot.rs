//! Loss curves as an SVG file: one line per curve, epochs across, loss up
//! (on a log scale when every loss is positive, since losses shrink by
//! orders of magnitude), and a legend.

use std::fmt::Write as _;

/// A curve to draw: its legend label and one value per epoch.
pub struct Curve {
    pub label: String,
    pub values: Vec<f64>,
}

const WIDTH: f64 = 720.0;
const HEIGHT: f64 = 440.0;
const LEFT: f64 = 80.0;
const RIGHT: f64 = 20.0;
const TOP: f64 = 40.0;
const BOTTOM: f64 = 50.0;
/// Longer curves are thinned to this many points: the file stays small and
/// the line looks the same.
const MAX_POINTS: usize = 1000;
const COLORS: [&str; 8] = [
    "#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf",
];

/// The SVG text of `curves` under `title`.
pub fn loss_curves(title: &str, curves: &[Curve]) -> String {
    let finite = || {
        curves
            .iter()
            .flat_map(|c| &c.values)
            .copied()
            .filter(|v| v.is_finite())
    };
    let epochs = curves
        .iter()
        .map(|c| c.values.len())
        .max()
        .unwrap_or(1)
        .max(2);
    let log = finite().all(|v| v > 0.0) && finite().next().is_some();
    let y_of = |v: f64| if log { v.log10() } else { v };
    let (mut lo, mut hi) = finite()
        .map(y_of)
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), v| {
            (l.min(v), h.max(v))
        });
    if !lo.is_finite() {
        (lo, hi) = (0.0, 1.0);
    }
    if hi - lo < 1e-12 {
        (lo, hi) = (lo - 0.5, hi + 0.5);
    }
    let (plot_w, plot_h) = (WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM);
    let px = |epoch: f64| LEFT + (epoch - 1.0) / (epochs as f64 - 1.0) * plot_w;
    let py = |y: f64| TOP + (hi - y) / (hi - lo) * plot_h;

    let mut svg = String::new();
    let _ = writeln!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" font-family="sans-serif" font-size="12">"#
    );
    let _ = writeln!(svg, r#"<rect width="100%" height="100%" fill="white"/>"#);
    let _ = writeln!(
        svg,
        r#"<text x="{}" y="24" text-anchor="middle" font-size="15">{}</text>"#,
        WIDTH / 2.0,
        escape(title)
    );
    // Axes and ticks.
    let _ = writeln!(
        svg,
        r#"<path d="M{LEFT} {TOP} V{} H{}" fill="none" stroke="black"/>"#,
        TOP + plot_h,
        LEFT + plot_w
    );
    for epoch in ticks(1.0, epochs as f64) {
        let x = px(epoch);
        let _ = writeln!(
            svg,
            r#"<line x1="{x:.1}" y1="{b}" x2="{x:.1}" y2="{b2}" stroke="black"/><text x="{x:.1}" y="{t}" text-anchor="middle">{epoch}</text>"#,
            b = TOP + plot_h,
            b2 = TOP + plot_h + 5.0,
            t = TOP + plot_h + 18.0
        );
    }
    let y_ticks = if log {
        log_ticks(lo, hi)
    } else {
        ticks(lo, hi)
    };
    for y in y_ticks {
        let label = if log {
            format!("{}", round_sig(10f64.powf(y)))
        } else {
            format!("{y}")
        };
        let _ = writeln!(
            svg,
            r##"<line x1="{l}" y1="{v:.1}" x2="{r}" y2="{v:.1}" stroke="#ddd"/><text x="{t}" y="{v:.1}" text-anchor="end" dominant-baseline="middle">{label}</text>"##,
            l = LEFT,
            r = LEFT + plot_w,
            v = py(y),
            t = LEFT - 6.0
        );
    }
    let _ = writeln!(
        svg,
        r#"<text x="{}" y="{}" text-anchor="middle">epoch</text>"#,
        LEFT + plot_w / 2.0,
        HEIGHT - 10.0
    );
    let _ = writeln!(
        svg,
        r#"<text transform="translate(16 {}) rotate(-90)" text-anchor="middle">loss{}</text>"#,
        TOP + plot_h / 2.0,
        if log { " (log scale)" } else { "" }
    );
    // One polyline per curve, then the legend.
    for (i, c) in curves.iter().enumerate() {
        let color = COLORS[i % COLORS.len()];
        let points: Vec<String> = thin(c.values.len())
            .filter(|&e| c.values[e].is_finite())
            .map(|e| format!("{:.1},{:.1}", px(e as f64 + 1.0), py(y_of(c.values[e]))))
            .collect();
        let _ = writeln!(
            svg,
            r#"<polyline class="curve" fill="none" stroke="{color}" stroke-width="1.5" points="{}"/>"#,
            points.join(" ")
        );
    }
    // The legend sits in the top right corner, as wide as its longest label.
    let longest = curves
        .iter()
        .map(|c| c.label.chars().count())
        .max()
        .unwrap_or(0);
    let x = (LEFT + plot_w - 40.0 - 7.0 * longest as f64).max(LEFT + 10.0);
    for (i, c) in curves.iter().enumerate() {
        let color = COLORS[i % COLORS.len()];
        let y = TOP + 14.0 + 18.0 * i as f64;
        let _ = writeln!(
            svg,
            r#"<line x1="{x}" y1="{y}" x2="{}" y2="{y}" stroke="{color}" stroke-width="3"/><text x="{}" y="{y}" dominant-baseline="middle">{}</text>"#,
            x + 20.0,
            x + 26.0,
            escape(&c.label)
        );
    }
    svg.push_str("</svg>\n");
    svg
}

/// The indices to draw of a curve of `n` points: all of them, or evenly
/// spread ones including the last.
fn thin(n: usize) -> impl Iterator<Item = usize> {
    let step = n.div_ceil(MAX_POINTS).max(1);
    (0..n).filter(move |&i| i % step == 0 || i + 1 == n)
}

/// About five round tick values between `lo` and `hi`.
fn ticks(lo: f64, hi: f64) -> Vec<f64> {
    let raw = (hi - lo) / 5.0;
    let magnitude = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * magnitude)
        .find(|s| *s >= raw)
        .unwrap_or(raw);
    let first = (lo / step).ceil() as i64;
    let last = (hi / step).floor() as i64;
    (first..=last).map(|k| k as f64 * step).collect()
}

/// Ticks for a log axis from 10^lo to 10^hi (given as exponents): 1, 2
/// and 5 in each decade when there are few decades, the powers of ten when
/// there are many.
fn log_ticks(lo: f64, hi: f64) -> Vec<f64> {
    let steps: &[f64] = if hi - lo > 3.0 {
        &[1.0]
    } else {
        &[1.0, 2.0, 5.0]
    };
    let decades = lo.floor() as i32..=hi.ceil() as i32;
    decades
        .flat_map(|d| steps.iter().map(move |m| (m * 10f64.powi(d)).log10()))
        .filter(|y| (lo..=hi).contains(y))
        .collect()
}

/// `v` with at most two significant digits, so that 10^log10(0.2) shows as 0.2.
fn round_sig(v: f64) -> f64 {
    let scale = 10f64.powi(1 - v.abs().log10().floor() as i32);
    (v * scale).round() / scale
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_polyline_per_curve_and_thinned() {
        let curves = vec![
            Curve {
                label: "a<b".into(),
                values: (1..=5000).map(|i| 1.0 / i as f64).collect(),
            },
            Curve {
                label: "b".into(),
                values: vec![0.5, 0.25],
            },
        ];
        let svg = loss_curves("t", &curves);
        assert_eq!(svg.matches("<polyline").count(), 2);
        assert!(svg.contains("a&lt;b"));
        let first = svg.lines().find(|l| l.starts_with("<polyline")).unwrap();
        assert!(first.matches(',').count() <= MAX_POINTS + 1);
    }

    #[test]
    fn log_ticks_are_1_2_5_per_decade() {
        let shown: Vec<f64> = log_ticks(-1.5, 0.0)
            .into_iter()
            .map(|y| round_sig(10f64.powf(y)))
            .collect();
        assert_eq!(shown, vec![0.05, 0.1, 0.2, 0.5, 1.0]);
        assert_eq!(log_ticks(-6.0, 0.0).len(), 7);
    }

    #[test]
    fn ticks_are_round() {
        assert_eq!(ticks(1.0, 1000.0), vec![200.0, 400.0, 600.0, 800.0, 1000.0]);
        assert_eq!(ticks(-3.2, -0.9), vec![-3.0, -2.5, -2.0, -1.5, -1.0]);
    }
}
