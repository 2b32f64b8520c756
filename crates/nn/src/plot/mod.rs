//! Plots as SVG images, shown inline in a notebook and saved to files.
//!
//! Every plot is a function that returns an [`Svg`], so a notebook cell
//! that ends in one draws it:
//!
//! | plot | shows |
//! | --- | --- |
//! | [`losses`], [`Losses`] | loss curves per epoch, linear or log scale |
//! | [`function`], [`Functions`], [`activation`] | functions of one number: an activation and its derivative, a loss against the prediction |
//! | [`decision_boundary`], [`DecisionBoundary`] | the plane of two inputs shaded by the predicted class, with the data |
//! | [`hidden_units`], [`HiddenUnits`] | each unit of a layer over the plane of two inputs, one small map each |
//! | [`heatmap`], [`Heatmap`] | a matrix as coloured cells, its numbers written in when small |
//! | [`histograms`], [`Histograms`] | how sets of numbers spread, overlaid or one panel each |
//! | [`network`], [`Diagram`] | the network as nodes and edges, weights by colour and width |
//! | [`playground`], [`Playground`] | the network as TensorFlow Playground draws it: every unit a small map of its output over the plane, weights as lines |
//! | [`landscape`], [`Landscape`] ([`Slice`], [`Weight`], [`Tracker`]) | the loss over two weights or two random directions, as filled contours, with optimizer paths |
//! | [`health`], [`Health`] | one dashboard of a recorded run: losses, gradient norms and update ratios per layer, activation histograms, saturated and dead units |
//! | [`Player`] ([`PlayerPage`]) | a recorded run (or several side by side) as one HTML output with a slider, play/pause and ← →: the Playground view, the decision boundary and the loss curve at every snapshot; a still and the filmstrip where scripts do not run |
//! | [`filmstrip`], [`Filmstrip`] | a recorded run's decision boundary (or fitted curve) at several epochs, side by side |
//! | [`confusion`], [`Confusion`] | which class was predicted for which: counts per (true, predicted) pair as a heat map, each class's accuracy |
//! | [`images`], [`Images`] | rows of a dataset as small grey pictures (8 × 8, 28 × 28, …) with their labels, or "predicted / true" with the mistakes in red |
//! | [`weight_images`], [`WeightImages`] | each first-layer unit's incoming weights as a picture of the input: what the unit looks for |
//!
//! The short functions cover the usual case; the types of the same name
//! add titles, sizes and other options, and end in `.draw()`.
//!
//! The images are plain SVG written by [plotters](https://docs.rs/plotters)
//! without any font files: the browser draws the text, in its sans-serif
//! font. Colours are shared by all plots: orange for negative numbers and
//! class 0, blue for positive numbers and class 1, as in TensorFlow
//! Playground.
//!
//! ```
//! use nn::prelude::*;
//!
//! let losses: Vec<f64> = (1..=10_000).map(|e| 0.3 / (e as f64).sqrt()).collect();
//! let svg = plot::losses(&[("training", &losses[..])], plot::Scale::Log)?;
//! assert!(svg.len() < 100_000); // long runs are thinned to 500 points
//! # Ok::<(), nn::Error>(())
//! ```

mod boundary;
mod confusion;
mod contour;
mod diagram;
mod filmstrip;
mod function;
mod health;
mod heatmap;
mod histogram;
mod images;
mod landscape;
mod lines;
mod losses;
mod pixels;
mod plane;
mod player;
mod playground;
mod png;
mod slice;
mod splice;
mod style;
mod svg;
mod units;
mod weight_images;

pub use boundary::{decision_boundary, DecisionBoundary};
pub use confusion::{confusion, Confusion};
pub use diagram::{network, Diagram};
pub use filmstrip::{filmstrip, Filmstrip};
pub use function::{activation, function, Functions};
pub use health::{health, Health};
pub use heatmap::{heatmap, Heatmap};
pub use histogram::{histograms, Histograms, Layout};
pub use images::{images, Images};
pub use landscape::{landscape, Landscape};
pub use losses::{downsample, losses, Losses, Scale};
pub use player::{Player, PlayerPage};
pub use playground::{playground, Playground};
pub use slice::{Slice, Tracker, Weight};
pub use svg::Svg;
pub use units::{hidden_units, HiddenUnits};
pub use weight_images::{weight_images, WeightImages};
