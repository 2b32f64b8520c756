//! The training player: a recorded run as one self-contained HTML page with
//! a slider over its snapshots — TensorFlow Playground's "watch it learn",
//! for a notebook whose kernel cannot update a plot while it trains.
//!
//! evcxr sends a cell's outputs once, when the cell ends, so the animation
//! must be in the output itself: every frame is drawn here, by the plots of
//! this module, and a short script (`player.js`) swaps them. Nothing is
//! fetched from the network. Where scripts do not run (GitHub, nbviewer, an
//! untrusted notebook) a still of the last snapshot shows in the HTML, and
//! the same output carries the [`Filmstrip`] as `image/svg+xml`.

use std::fmt::Write as _;
use std::path::Path;

use super::png::base64;
use super::style::{series_colour, short};
use super::{Filmstrip, Losses, Playground, Scale, Svg};
use crate::data::Dataset;
use crate::error::{Error, Result};
use crate::snapshot::Recording;

/// The script, one copy per player.
const SCRIPT: &str = include_str!("player.js");
/// At most this many positions on the slider.
const MOST_FRAMES: usize = 200;

/// A recorded run you can scrub through: a slider over the snapshots, a
/// play/pause button, a speed control, and ← → to step one snapshot. At
/// each position it shows the [`Playground`] view — every unit's map, the
/// weights, and the decision boundary with the data (for a network with 1
/// input: the fitted curve, as the [`Filmstrip`] draws it) — the loss curve
/// with the epoch marked and the rest greyed out, and the epoch, loss and
/// accuracy as text.
///
/// [`compare`](Player::compare) puts several runs side by side under one
/// slider, each as its decision boundary (or curve), their loss curves on
/// one chart.
///
/// [`draw`](Player::draw) renders every frame into a [`PlayerPage`]; a
/// notebook cell that ends in a `Player` or a `PlayerPage` shows it.
///
/// ```
/// use nn::prelude::*;
/// use nn::plot::Player;
///
/// let data = data::moons(100, 0.1, 0)?;
/// let mut net = Network::builder(2).dense(6, Activation::Tanh).dense(1, Activation::Sigmoid).seed(1).build()?;
/// let mut recorder = Recorder::new(Schedule::log_spaced(12, 150));
/// Trainer::new(Loss::BinaryCrossEntropy, Optimizer::adam(0.05))
///     .epochs(150)
///     .observe(&mut recorder)
///     .fit(&mut net, &data)?;
/// let recording = recorder.finish();
/// let page = Player::new(&recording).title("the moons").draw()?;
/// assert_eq!(page.frames(), 12);
/// assert!(page.html().contains("<script>") && !page.html().contains("src=\"http"));
/// assert!(page.fallback().as_str().starts_with("<svg"));
/// assert!(page.notebook_bytes() < 600_000);
///
/// let empty = nn::snapshot::Recording::default();
/// let err = Player::new(&empty).draw().unwrap_err().to_string();
/// assert!(err.contains("no snapshots"), "{err}");
/// # Ok::<(), nn::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Player<'a> {
    runs: Vec<(String, &'a Recording)>,
    data: Option<&'a Dataset>,
    title: Option<String>,
    frames: Option<usize>,
    resolution: usize,
    scale: Scale,
}

/// A drawn [`Player`]: the HTML for a notebook, the page for a browser, and
/// the filmstrip for viewers that run no script.
#[derive(Debug, Clone, PartialEq)]
pub struct PlayerPage {
    html: String,
    fallback: Svg,
    frames: usize,
}

/// One run's frames and where the slider finds them.
struct Track {
    frames: Vec<String>,
    /// For each slider position, the index of its frame.
    at: Vec<usize>,
}

impl<'a> Player<'a> {
    /// The player of one recorded run, over the data it trained on.
    pub fn new(recording: &'a Recording) -> Self {
        Player {
            runs: vec![(String::new(), recording)],
            data: None,
            title: None,
            frames: None,
            resolution: 10,
            scale: Scale::Log,
        }
    }

    /// Several runs side by side under one slider, such as one start
    /// trained by five optimizers: each run's decision boundary (or curve)
    /// at the slider's epoch, captioned with its name, and all the loss
    /// curves on one chart.
    ///
    /// ```
    /// use nn::prelude::*;
    /// use nn::plot::Player;
    ///
    /// let data = data::moons(60, 0.1, 0)?;
    /// let start = Network::builder(2).dense(4, Activation::Tanh).dense(1, Activation::Sigmoid).build()?;
    /// let mut runs = Vec::new();
    /// for (name, optimizer) in [("GD", Optimizer::gd(0.5)), ("Adam", Optimizer::adam(0.05))] {
    ///     let mut net = start.clone();
    ///     let mut recorder = Recorder::new(Schedule::log_spaced(8, 60));
    ///     Trainer::new(Loss::BinaryCrossEntropy, optimizer).epochs(60).observe(&mut recorder).fit(&mut net, &data)?;
    ///     runs.push((name, recorder.finish()));
    /// }
    /// let named: Vec<(&str, &nn::snapshot::Recording)> = runs.iter().map(|(n, r)| (*n, r)).collect();
    /// let page = Player::compare(&named).draw()?;
    /// assert_eq!(page.frames(), 8);
    /// assert!(page.html().contains("GD") && page.html().contains("Adam"));
    /// # Ok::<(), nn::Error>(())
    /// ```
    pub fn compare(runs: &[(&str, &'a Recording)]) -> Self {
        let mut player = Player::new(runs.first().map_or(&EMPTY, |r| r.1));
        player.runs = runs.iter().map(|(n, r)| (n.to_string(), *r)).collect();
        player
    }

    /// Other data to draw than the recording's (such as the validation rows).
    pub fn data(mut self, data: &'a Dataset) -> Self {
        self.data = Some(data);
        self
    }

    /// A title above the player.
    pub fn title(mut self, title: &str) -> Self {
        self.title = Some(title.to_string());
        self
    }

    /// At most this many positions on the slider, spread evenly over the
    /// snapshots (default: every snapshot, up to 200). Fewer frames make a
    /// smaller notebook.
    pub fn frames(mut self, frames: usize) -> Self {
        self.frames = Some(frames);
        self
    }

    /// Cells along each side of a unit's map in the Playground view
    /// (default 10; the prediction gets 2.5 times as many).
    pub fn resolution(mut self, cells: usize) -> Self {
        self.resolution = cells;
        self
    }

    /// The loss curve's scale (default [`Scale::Log`]).
    pub fn scale(mut self, scale: Scale) -> Self {
        self.scale = scale;
        self
    }

    /// The epochs on the slider: every snapshot's of every run, in order,
    /// thinned evenly to [`frames`](Player::frames).
    fn epochs(&self) -> Result<Vec<usize>> {
        if self.runs.is_empty() {
            return Err(Error::Plot(
                "the player needs at least one recording; give Player::compare some runs".into(),
            ));
        }
        for (name, run) in &self.runs {
            if run.snapshots.is_empty() {
                let which = if name.is_empty() {
                    String::new()
                } else {
                    format!(" \"{name}\"")
                };
                return Err(Error::Plot(format!(
                    "the recording{which} has no snapshots; record some with \
                     Recorder::new(Schedule::log_spaced(50, epochs))"
                )));
            }
        }
        let mut all: Vec<usize> = self
            .runs
            .iter()
            .flat_map(|(_, r)| r.snapshots.iter().map(|s| s.stats.epoch))
            .collect();
        all.sort_unstable();
        all.dedup();
        let most = self.frames.unwrap_or(MOST_FRAMES);
        if !(1..=MOST_FRAMES).contains(&most) {
            return Err(Error::InvalidParameter {
                name: "frames",
                value: most.to_string(),
                valid: "between 1 and 200",
            });
        }
        if all.len() <= most {
            return Ok(all);
        }
        let k = most;
        let mut thinned: Vec<usize> = (0..k)
            .map(|i| {
                all[if k == 1 {
                    all.len() - 1
                } else {
                    i * (all.len() - 1) / (k - 1)
                }]
            })
            .collect();
        thinned.dedup();
        Ok(thinned)
    }

    /// One run's frames at `epochs`: each distinct snapshot drawn once.
    fn track(&self, name: &str, run: &Recording, epochs: &[usize]) -> Result<Track> {
        let data = self.data.or(run.data.as_ref()).ok_or_else(|| {
            Error::Plot("the recording has no data; give it some with .data(&dataset)".into())
        })?;
        let mut frames = Vec::new();
        let mut at = Vec::with_capacity(epochs.len());
        let mut drawn: Vec<usize> = Vec::new(); // the snapshot epoch of each frame
        for &epoch in epochs {
            let snapshot = run.at(epoch).expect("the run has snapshots");
            let e = snapshot.stats.epoch;
            if let Some(i) = drawn.iter().position(|&d| d == e) {
                at.push(i);
                continue;
            }
            let single = self.runs.len() == 1;
            let svg = if single && snapshot.network.inputs() == 2 {
                Playground::snapshot(snapshot, data)
                    .resolution(self.resolution)
                    .size(960, 500)
                    .draw()?
            } else {
                let strip = Filmstrip::new(run).at(&[e]).data(data);
                if single {
                    strip.size(420, 300).draw()?
                } else {
                    // Side by side, the page scales the panels to fit a row.
                    strip
                        .title(name)
                        .resolution(3 * self.resolution)
                        .size(300, 330)
                        .draw()?
                }
            };
            drawn.push(e);
            at.push(frames.len());
            frames.push(svg.0);
        }
        Ok(Track { frames, at })
    }

    /// Draws every frame, the loss curves and the fallback filmstrip.
    /// Errors if a recording has no snapshots or no data, or if a network
    /// takes other than 1 or 2 inputs (the plots' own errors).
    pub fn draw(&self) -> Result<PlayerPage> {
        let epochs = self.epochs()?;
        let mut tracks = Vec::with_capacity(self.runs.len());
        for (name, run) in &self.runs {
            tracks.push(self.track(name, run, &epochs)?);
        }
        // The loss curves, drawn once; the script moves a marker over them.
        let single = self.runs.len() == 1;
        let mut losses = Losses::new()
            .scale(self.scale)
            .size(if single { 960 } else { 940 }, 260);
        let mut probe = Vec::new();
        for (name, run) in &self.runs {
            let x: Vec<usize> = run.epochs.iter().map(|e| e.epoch).collect();
            let name = if single {
                "training loss"
            } else {
                name.as_str()
            };
            losses = losses.series_at(name, &x, &run.losses());
            for &epoch in &epochs {
                probe.push(marker(run, epoch));
            }
        }
        let (loss_svg, probed) = losses.draw_probed(&probe)?;
        let drawable =
            |p: (f64, f64)| p.1.is_finite() && (self.scale == Scale::Linear || p.1 > 0.0);
        // Most of a frame — axes, labels, the data's dots, the key — is the
        // same in every frame: each distinct line of SVG is stored once, and
        // a frame is the list of its lines.
        let mut lines = Lines::default();
        let mut runs_js = String::new();
        for (k, track) in tracks.iter().enumerate() {
            let marks: Vec<String> = (0..epochs.len())
                .map(|i| {
                    let n = k * epochs.len() + i;
                    if drawable(probe[n]) {
                        let (x, y) = probed.points[n];
                        format!("[{x},{y}]")
                    } else {
                        "null".into()
                    }
                })
                .collect();
            let frames: Vec<String> = track
                .frames
                .iter()
                .map(|f| format!("[{}]", list(&lines.add(f))))
                .collect();
            let colour = series_colour(k);
            let _ = write!(
                runs_js,
                "{{frames:[{}],at:[{}],marks:[{}],colour:\"#{:02x}{:02x}{:02x}\"}},",
                frames.join(","),
                list(&track.at),
                marks.join(","),
                colour.0,
                colour.1,
                colour.2
            );
        }
        let xs: Vec<i32> = probed.points[..epochs.len()].iter().map(|p| p.0).collect();
        let texts: Vec<String> = epochs
            .iter()
            .map(|&e| js_string(&self.caption(e)))
            .collect();
        let (xr, yr) = &probed.area;
        let last = epochs.len() - 1;
        let data = format!(
            "{{epochs:[{}],x:[{}],texts:[{}],lines:[{}],runs:[{runs_js}],loss:{},area:[{},{},{},{}],fps:4,start:{last}}}",
            list(&epochs),
            list(&xs),
            texts.join(","),
            lines.js(),
            js_string(&loss_svg.0),
            xr.start,
            xr.end,
            yr.start,
            yr.end,
        );
        let still = self.still(&tracks, &loss_svg, last);
        let fallback = self.fallback()?;
        let id = format!("nn-player-{:016x}", fnv(data.as_bytes()));
        let title = self
            .title
            .as_deref()
            .map(|t| {
                format!(
                    "<div style=\"font-weight:bold;font-size:15px;margin:2px 0\">{}</div>",
                    escape(t)
                )
            })
            .unwrap_or_default();
        let html = format!(
            "<div id=\"{id}\" class=\"nn-player\" style=\"font-family:sans-serif;outline:none\">{title}\
             <div class=\"nn-still\"><img alt=\"the last snapshot\" style=\"max-width:100%\" \
             src=\"data:image/svg+xml;base64,{}\"/>\
             <div style=\"font-size:12px;color:#555\">A still of {}: the player (a slider over \
             {} snapshots) needs JavaScript — a trusted notebook, or the page that Player::save writes.</div></div>\
             <script>{}(\"{id}\",{data});</script></div>",
            base64(still.as_bytes()),
            escape(&self.caption(epochs[last])),
            epochs.len(),
            SCRIPT.trim_end().trim_end_matches(';'),
        );
        Ok(PlayerPage {
            html,
            fallback,
            frames: epochs.len(),
        })
    }

    /// "epoch 12 of 300 · loss 0.41 · accuracy 0.9 · …", or per run.
    fn caption(&self, epoch: usize) -> String {
        let total = self
            .runs
            .iter()
            .map(|(_, r)| r.epochs.len())
            .max()
            .unwrap_or(0);
        let mut text = format!("epoch {epoch} of {total}");
        for (name, run) in &self.runs {
            let Some(s) = run
                .epochs
                .iter()
                .rev()
                .find(|s| s.epoch <= epoch)
                .or(run.epochs.first())
            else {
                continue;
            };
            text += if name.is_empty() { " · " } else { "  |  " };
            if !name.is_empty() {
                text += &format!("{name}: ");
            }
            text += &format!("loss {}", short(s.loss, 3));
            if let Some(a) = s.accuracy {
                text += &format!(" · accuracy {}", short(a, 3));
            }
            if let Some(v) = s.val_loss {
                text += &format!(" · validation loss {}", short(v, 3));
            }
            if let Some(v) = s.val_accuracy {
                text += &format!(" · validation accuracy {}", short(v, 3));
            }
        }
        text
    }

    /// The last position's frames above the loss curve, as one SVG.
    fn still(&self, tracks: &[Track], loss: &Svg, last: usize) -> String {
        let row: Vec<&str> = tracks
            .iter()
            .map(|t| t.frames[t.at[last]].as_str())
            .collect();
        stack(&[&row, &[loss.as_str()]])
    }

    /// The filmstrip of each run, one under the other.
    fn fallback(&self) -> Result<Svg> {
        let mut strips = Vec::with_capacity(self.runs.len());
        for (name, run) in &self.runs {
            // One strip per run: fewer and coarser frames when there are several.
            let (frames, cells) = if self.runs.len() == 1 {
                (6, 40)
            } else {
                (4, 24)
            };
            let mut strip = Filmstrip::new(run).frames(frames).resolution(cells);
            if let Some(data) = self.data {
                strip = strip.data(data);
            }
            let title = match (&self.title, name.is_empty()) {
                (Some(t), true) => t.clone(),
                (None, false) | (Some(_), false) => name.clone(),
                (None, true) => String::from("the run, snapshot by snapshot"),
            };
            strips.push(strip.title(&title).draw()?.0);
        }
        let rows: Vec<Vec<&str>> = strips.iter().map(|s| vec![s.as_str()]).collect();
        let rows: Vec<&[&str]> = rows.iter().map(Vec::as_slice).collect();
        Ok(Svg(stack(&rows)))
    }

    /// Draws the player and returns it as a standalone HTML page
    /// ([`PlayerPage::html_page`]).
    pub fn html_page(&self) -> Result<String> {
        Ok(self.draw()?.html_page())
    }

    /// Draws the player and writes it to `path` as a standalone HTML page,
    /// atomically ([`PlayerPage::save`]).
    pub fn save(&self, path: impl AsRef<Path>) -> Result<()> {
        self.draw()?.save(path)
    }

    /// Shows the player in a notebook ([`PlayerPage::evcxr_display`]); if it
    /// cannot be drawn, prints why.
    pub fn evcxr_display(&self) {
        match self.draw() {
            Ok(page) => page.evcxr_display(),
            Err(e) => crate::display::show("text/plain", &format!("cannot draw the player: {e}")),
        }
    }
}

/// A recording with nothing in it, for a comparison of no runs.
static EMPTY: Recording = Recording {
    epochs: Vec::new(),
    snapshots: Vec::new(),
    data: None,
};

impl PlayerPage {
    /// The HTML fragment a notebook shows: the still, and the script that
    /// replaces it with the player.
    pub fn html(&self) -> &str {
        &self.html
    }

    /// The filmstrip that viewers without HTML show (`image/svg+xml`).
    pub fn fallback(&self) -> &Svg {
        &self.fallback
    }

    /// How many positions the slider has.
    pub fn frames(&self) -> usize {
        self.frames
    }

    /// What the output adds to a saved notebook, in bytes: the HTML and the
    /// fallback (a notebook stores both, each as JSON text).
    pub fn notebook_bytes(&self) -> usize {
        json_len(&self.html) + json_len(self.fallback.as_str())
    }

    /// A complete HTML page that any browser opens, from a file, offline.
    ///
    /// ```
    /// # use nn::prelude::*;
    /// # let data = data::moons(40, 0.1, 0)?;
    /// # let mut net = Network::builder(1 + 1).dense(3, Activation::Tanh).dense(1, Activation::Sigmoid).build()?;
    /// # let mut recorder = Recorder::new(Schedule::log_spaced(3, 10));
    /// # Trainer::new(Loss::BinaryCrossEntropy, Optimizer::adam(0.05)).epochs(10).observe(&mut recorder).fit(&mut net, &data)?;
    /// let page = nn::plot::Player::new(&recorder.finish()).draw()?;
    /// assert!(page.html_page().starts_with("<!DOCTYPE html>"));
    /// # Ok::<(), nn::Error>(())
    /// ```
    pub fn html_page(&self) -> String {
        format!(
            "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
             <title>training player</title></head>\n<body style=\"margin:16px\">\n{}\n</body></html>\n",
            self.html
        )
    }

    /// Writes [`html_page`](PlayerPage::html_page) to `path`, atomically
    /// ([`write_atomic`](crate::atomic::write_atomic)).
    ///
    /// ```
    /// # use nn::prelude::*;
    /// # let data = data::moons(40, 0.1, 0)?;
    /// # let mut net = Network::builder(2).dense(3, Activation::Tanh).dense(1, Activation::Sigmoid).build()?;
    /// # let mut recorder = Recorder::new(Schedule::log_spaced(3, 10));
    /// # Trainer::new(Loss::BinaryCrossEntropy, Optimizer::adam(0.05)).epochs(10).observe(&mut recorder).fit(&mut net, &data)?;
    /// let page = nn::plot::Player::new(&recorder.finish()).draw()?;
    /// let path = std::env::temp_dir().join("nn-doc-player.html");
    /// page.save(&path)?;
    /// assert!(std::fs::read_to_string(&path).unwrap().contains("nn-player"));
    /// assert!(page.save("/no/such/folder/run.html").is_err());
    /// # Ok::<(), nn::Error>(())
    /// ```
    pub fn save(&self, path: impl AsRef<Path>) -> Result<()> {
        crate::atomic::write_atomic(path, self.html_page().as_bytes())
    }

    /// Shows the player in a notebook: one display bundle holding the HTML
    /// (`text/html`, which JupyterLab prefers) and the filmstrip
    /// (`image/svg+xml`, for viewers that show no HTML).
    ///
    /// ```
    /// # use nn::prelude::*;
    /// # let data = data::moons(40, 0.1, 0)?;
    /// # let mut net = Network::builder(2).dense(3, Activation::Tanh).dense(1, Activation::Sigmoid).build()?;
    /// # let mut recorder = Recorder::new(Schedule::log_spaced(3, 10));
    /// # Trainer::new(Loss::BinaryCrossEntropy, Optimizer::adam(0.05)).epochs(10).observe(&mut recorder).fit(&mut net, &data)?;
    /// nn::plot::Player::new(&recorder.finish()).draw()?.evcxr_display();
    /// # Ok::<(), nn::Error>(())
    /// ```
    pub fn evcxr_display(&self) {
        // One write, so that both parts reach evcxr in the same cell output.
        print!("{}", self.bundle());
    }

    /// What [`evcxr_display`](PlayerPage::evcxr_display) prints.
    fn bundle(&self) -> String {
        crate::display::evcxr_output("text/html", &self.html)
            + &crate::display::evcxr_output("image/svg+xml", self.fallback.as_str())
    }
}

/// The distinct lines of many SVGs, each stored once.
#[derive(Default)]
struct Lines {
    lines: Vec<String>,
    index: std::collections::HashMap<String, usize>,
}

impl Lines {
    /// `svg` as the indices of its lines.
    fn add(&mut self, svg: &str) -> Vec<usize> {
        svg.lines()
            .map(|line| {
                if let Some(&i) = self.index.get(line) {
                    return i;
                }
                self.lines.push(line.to_string());
                self.index.insert(line.to_string(), self.lines.len() - 1);
                self.lines.len() - 1
            })
            .collect()
    }

    /// The lines as JavaScript strings, comma-separated.
    fn js(&self) -> String {
        self.lines
            .iter()
            .map(|l| js_string(l))
            .collect::<Vec<_>>()
            .join(",")
    }
}

/// The point of the loss curve the marker sits on at `epoch`.
fn marker(run: &Recording, epoch: usize) -> (f64, f64) {
    match run.epochs.iter().rev().find(|s| s.epoch <= epoch) {
        Some(s) => (s.epoch as f64, s.loss),
        None => (epoch as f64, f64::NAN),
    }
}

/// Numbers joined by commas.
fn list<T: std::fmt::Display>(numbers: &[T]) -> String {
    numbers
        .iter()
        .map(T::to_string)
        .collect::<Vec<_>>()
        .join(",")
}

/// SVGs placed in rows, left to right, rows top to bottom, as one SVG of
/// nested `<svg>` elements.
fn stack(rows: &[&[&str]]) -> String {
    let mut body = String::new();
    let (mut width, mut y) = (0u32, 0u32);
    for row in rows {
        let (mut x, mut height) = (0u32, 0u32);
        for svg in row.iter() {
            let (w, h) = size_of(svg);
            let inner = svg
                .trim_start_matches("<?xml version=\"1.0\" encoding=\"UTF-8\"?>")
                .trim_start();
            let _ = write!(body, "<svg x=\"{x}\" y=\"{y}\"{}", &inner["<svg".len()..]);
            x += w;
            height = height.max(h);
        }
        width = width.max(x);
        y += height;
    }
    format!(
        "<svg width=\"{width}\" height=\"{y}\" viewBox=\"0 0 {width} {y}\" \
         xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\">\n{body}</svg>\n"
    )
}

/// The width and height written in an SVG's opening tag.
fn size_of(svg: &str) -> (u32, u32) {
    let head = &svg[..svg.find('>').unwrap_or(svg.len())];
    let number = |name: &str| {
        head.split(&format!(" {name}=\""))
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .and_then(|v| v.parse::<f64>().ok())
            .map_or(0, |v| v.round() as u32)
    };
    (number("width"), number("height"))
}

/// `text` as a JavaScript string literal that cannot end the script early.
fn js_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('\'');
    for c in text.chars() {
        match c {
            '\'' => out.push_str("\\'"),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out.push('\'');
    // Only "</" (as in "</script>") and "<!--" could end or confuse the
    // script element; "\/" is "/" in JavaScript.
    out.replace("</", "<\\/").replace("<!--", "\\x3c!--")
}

/// HTML text with `<`, `>`, `&` and `"` escaped.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The length of `text` as a JSON string in a notebook file (quotes and
/// newlines escaped; nbformat stores it in lines, which costs the same).
fn json_len(text: &str) -> usize {
    text.len() + text.matches(['"', '\\', '\n']).count() + 2
}

/// 64-bit FNV-1a: a stable id for the player's element, the same on every
/// run, so that re-running a notebook does not change its outputs.
fn fnv(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::prelude::*;

    fn run(inputs: usize, snapshots: usize, epochs: usize) -> Recording {
        let data = if inputs == 2 {
            crate::data::moons(60, 0.1, 0).unwrap()
        } else {
            let x = Array2::from_shape_fn((20, inputs), |(i, j)| (i + j) as f64 / 10.0);
            let y = x.column(0).mapv(f64::sin).insert_axis(ndarray::Axis(1));
            Dataset::new(x, y).unwrap()
        };
        let out = if inputs == 2 {
            Activation::Sigmoid
        } else {
            Activation::Identity
        };
        let loss = if inputs == 2 {
            Loss::BinaryCrossEntropy
        } else {
            Loss::Mse
        };
        let mut net = Network::builder(inputs)
            .dense(4, Activation::Tanh)
            .dense(1, out)
            .seed(3)
            .build()
            .unwrap();
        let mut recorder = Recorder::new(Schedule::log_spaced(snapshots, epochs));
        Trainer::new(loss, Optimizer::adam(0.05))
            .epochs(epochs)
            .observe(&mut recorder)
            .fit(&mut net, &data)
            .unwrap();
        recorder.finish()
    }

    #[test]
    fn one_frame_per_snapshot_and_they_differ() {
        let recording = run(2, 8, 80);
        let page = Player::new(&recording).draw().unwrap();
        assert_eq!(page.frames(), 8);
        let player = Player::new(&recording);
        let epochs = player.epochs().unwrap();
        let track = player.track("", &recording, &epochs).unwrap();
        assert_eq!(track.at, (0..8).collect::<Vec<_>>());
        let frames = track.frames;
        assert!(frames[0].contains("epoch 1 ") && frames[7].contains("epoch 80 "));
        for pair in frames.windows(2) {
            assert_ne!(pair[0], pair[1]);
        }
        // The slider text names every epoch, the last one first shown.
        assert!(page.html().contains("epochs:[1,2,"));
        assert!(page.html().contains("start:7}"));
    }

    #[test]
    fn thinned_to_the_frames_asked_for() {
        let recording = run(2, 10, 60);
        let page = Player::new(&recording).frames(4).draw().unwrap();
        assert_eq!(page.frames(), 4);
        let err = Player::new(&recording)
            .frames(0)
            .draw()
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("frames") && err.contains("between 1 and 200"),
            "{err}"
        );
    }

    #[test]
    fn empty_recording_is_a_clear_error() {
        let empty = Recording::default();
        let err = Player::new(&empty).draw().unwrap_err().to_string();
        assert!(
            err.contains("no snapshots") && err.contains("Recorder::new"),
            "{err}"
        );
        let full = run(2, 3, 10);
        let err = Player::compare(&[("full", &full), ("GD", &empty)])
            .draw()
            .unwrap_err()
            .to_string();
        assert!(err.contains("\"GD\" has no snapshots"), "{err}");
        let err = Player::compare(&[]).draw().unwrap_err().to_string();
        assert!(err.contains("at least one recording"), "{err}");
    }

    #[test]
    fn curves_for_one_input_and_an_error_for_three() {
        let page = Player::new(&run(1, 4, 30)).draw().unwrap();
        assert_eq!(page.frames(), 4);
        assert!(page.html().contains("blue line: the network"));
        let err = Player::new(&run(3, 4, 30)).draw().unwrap_err().to_string();
        assert!(err.contains("the network takes 3"), "{err}");
    }

    #[test]
    fn compare_shares_one_slider_over_every_run_s_epochs() {
        let (a, b) = (run(2, 4, 20), run(2, 6, 20));
        let page = Player::compare(&[("alpha", &a), ("beta", &b)])
            .draw()
            .unwrap();
        let mut epochs: Vec<usize> = a
            .snapshots
            .iter()
            .chain(&b.snapshots)
            .map(|s| s.stats.epoch)
            .collect();
        epochs.sort_unstable();
        epochs.dedup();
        assert_eq!(page.frames(), epochs.len());
        assert_eq!(page.html().matches("{frames:[").count(), 2);
        let fallback = page.fallback().as_str();
        assert!(fallback.contains("alpha") && fallback.contains("beta"));
        assert_eq!(
            fallback.matches("<image").count(),
            4 + 4,
            "a filmstrip of each run"
        );
    }

    #[test]
    fn self_contained_with_a_still_and_a_bundle() {
        let page = Player::new(&run(2, 5, 30))
            .title("moons & <co>")
            .draw()
            .unwrap();
        let html = page.html();
        assert!(!html.contains("src=\"http") && !html.contains("<script src"));
        assert_eq!(
            html.matches("</script>").count(),
            1,
            "frames must not end the script"
        );
        assert!(html.contains("moons &amp; &lt;co&gt;"));
        assert!(html.contains("<img alt=\"the last snapshot\""));
        let bundle = page.bundle();
        assert!(bundle.starts_with("EVCXR_BEGIN_CONTENT text/html\n"));
        assert!(bundle.contains("EVCXR_END_CONTENT\nEVCXR_BEGIN_CONTENT image/svg+xml\n<svg"));
        // The same run draws the same bytes: the id comes from the content.
        let again = Player::new(&run(2, 5, 30))
            .title("moons & <co>")
            .draw()
            .unwrap();
        assert_eq!(page, again);
    }

    #[test]
    fn js_strings_cannot_end_the_script() {
        assert_eq!(
            js_string("a'b\\c\n</script><!--"),
            "'a\\'b\\\\c\\n<\\/script>\\x3c!--'"
        );
    }

    #[test]
    fn stacked_svgs_add_up() {
        let a = "<svg width=\"100\" height=\"50\" viewBox=\"0 0 100 50\"></svg>";
        let b = "<svg width=\"30\" height=\"80\" viewBox=\"0 0 30 80\"></svg>";
        let s = stack(&[&[a, b], &[a]]);
        assert!(s.starts_with("<svg width=\"130\" height=\"130\""), "{s}");
        assert!(s.contains("<svg x=\"100\" y=\"0\" width=\"30\""));
        assert!(s.contains("<svg x=\"0\" y=\"80\" width=\"100\""));
    }
}
