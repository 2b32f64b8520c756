//! What each unit of a layer computes over the input plane: one small map
//! per unit, side by side, on one colour scale.

use plotters::prelude::*;

use super::plane::{check_plane, check_resolution, draw_points, Plane};
use super::style::{colour_bar, diverging, font, quantize, render_spliced, Frame, GREY};
use super::Svg;
use crate::data::Dataset;
use crate::error::{Error, Result};
use crate::network::Network;

/// At most this many maps side by side before starting a new row.
const COLUMNS: usize = 4;
/// Shades each way from 0: smooth to the eye once the browser has
/// stretched the map, and few enough for one byte a cell.
const STEPS: u32 = 100;
/// Room for the colour bar at the right.
const BAR: u32 = 80;

/// The activation aˡⱼ of every unit j of one layer l, over the plane of
/// the two inputs around a dataset.
///
/// Each small map shows where one unit "fires": white where its output is
/// 0, blue where it is positive, orange where negative, on one scale for
/// the whole layer so that the maps can be compared. The data's points are
/// drawn on top in their class colours (dark grey if the targets are not
/// class labels). A hidden unit of a
/// sigmoid or ReLU layer is a soft half-plane; the next layer combines
/// these into the curved boundary.
///
/// ```
/// use nn::prelude::*;
/// use nn::plot::HiddenUnits;
///
/// let data = Dataset::new(array![[0.0, 0.0], [1.0, 1.0]], array![[0.0], [1.0]])?;
/// let net = Network::builder(2).dense(3, Activation::Tanh).dense(1, Activation::Sigmoid).build()?;
/// let svg = HiddenUnits::new(&net, 0, &data).resolution(20).draw()?;
/// assert!(svg.as_str().contains("unit 3"));
/// assert!(HiddenUnits::new(&net, 2, &data).draw().is_err()); // there is no third layer
/// # Ok::<(), nn::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct HiddenUnits<'a> {
    net: &'a Network,
    layer: usize,
    data: &'a Dataset,
    resolution: usize,
    frame: Frame,
}

impl<'a> HiddenUnits<'a> {
    /// The maps of layer `layer` of `net` (0 is the first hidden layer, as
    /// in `net.layers[0]`), over the plane around `data`.
    pub fn new(net: &'a Network, layer: usize, data: &'a Dataset) -> Self {
        HiddenUnits {
            net,
            layer,
            data,
            resolution: 30,
            frame: Frame::default(),
        }
    }

    /// How many cells along each side of every map (default 30).
    pub fn resolution(mut self, cells: usize) -> Self {
        self.resolution = cells;
        self
    }

    /// A title above the maps.
    pub fn title(mut self, title: &str) -> Self {
        self.frame.title = Some(title.to_string());
        self
    }

    /// The size in pixels (default 640 wide, and as tall as the rows of
    /// maps need).
    pub fn size(mut self, width: u32, height: u32) -> Self {
        self.frame.size = Some((width, height));
        self
    }

    /// Draws the maps. Errors if the network or the data do not have 2
    /// inputs, if there is no such layer, or if it has more than 64 units.
    pub fn draw(&self) -> Result<Svg> {
        check_plane(self.net, self.data)?;
        check_resolution(self.resolution)?;
        let layers = self.net.layers.len();
        let Some(layer) = self.net.layers.get(self.layer) else {
            return Err(Error::InvalidParameter {
                name: "layer",
                value: format!("{} (the network has {layers} layers)", self.layer),
                valid: "the index of one of the network's layers, 0 for the first hidden layer",
            });
        };
        let units = layer.outputs();
        if units > 64 {
            return Err(Error::Plot(format!(
                "layer {} has {units} units; these maps are readable for at most 64",
                self.layer
            )));
        }
        let plane = Plane::around(&self.data.x, self.resolution)?;
        let pass = self.net.forward(&plane.centres())?;
        let a = &pass.layers[self.layer].a;
        // One scale for all maps, so that a pale map means a quiet unit.
        let largest = a.iter().fold(0.0f64, |m, v| m.max(v.abs()));
        if !largest.is_finite() {
            return Err(Error::Plot(format!(
                "layer {}'s activations are not finite numbers over this plane",
                self.layer
            )));
        }
        let scale = if largest > 0.0 { largest } else { 1.0 };
        let low = if a.iter().any(|&v| v < 0.0) {
            -scale
        } else {
            0.0
        };

        // As few rows as 4 columns allow, then as few columns as those
        // rows need: 5 maps make 3 + 2, not 4 + 1.
        let rows = units.div_ceil(COLUMNS);
        let columns = units.div_ceil(rows);
        let panel = (640 - BAR) / columns as u32;
        let title = if self.frame.title.is_some() { 30 } else { 0 };
        let default = (640, (rows as u32 * panel + title).max(200));
        let activation = layer.activation.name();
        render_spliced(&self.frame, default, |area, splice| {
            let width = area.dim_in_pixel().0 as i32;
            let (maps, bar) = area.split_horizontally(width - BAR as i32);
            for (j, map) in maps
                .split_evenly((rows, columns))
                .iter()
                .enumerate()
                .take(units)
            {
                let chart = ChartBuilder::on(map)
                    .margin(6)
                    .caption(format!("unit {} ({activation})", j + 1), font(12.0))
                    .build_cartesian_2d(plane.x.clone(), plane.y.clone())?;
                let colours: Vec<RGBColor> = a
                    .column(j)
                    .iter()
                    .map(|&v| diverging(quantize(v / scale, STEPS)))
                    .collect();
                plane.draw_map(&chart, splice, &colours)?;
                // A sample of the data, to show where each class lies:
                // 150 dots per map keep eight maps of a large dataset small.
                draw_points(&chart, splice, &plane, self.data, 2.5, 150)?;
                chart.plotting_area().draw(&Rectangle::new(
                    [(plane.x.start, plane.y.start), (plane.x.end, plane.y.end)],
                    GREY,
                ))?;
            }
            colour_bar(&bar, low, scale, scale, "activation")
        })
    }
}

/// The activation of every unit of layer `layer` (0 = the first hidden
/// layer) over the plane around `data`. For titles and sizes, use
/// [`HiddenUnits`].
///
/// ```
/// use nn::prelude::*;
///
/// let data = Dataset::new(array![[0.0, 0.0], [1.0, 1.0]], array![[0.0], [1.0]])?;
/// let net = Network::builder(2).dense(3, Activation::Relu).dense(1, Activation::Sigmoid).build()?;
/// let svg = plot::hidden_units(&net, 0, &data)?;
/// assert_eq!(svg.as_str().matches("unit ").count(), 3);
/// # Ok::<(), nn::Error>(())
/// ```
pub fn hidden_units(net: &Network, layer: usize, data: &Dataset) -> Result<Svg> {
    HiddenUnits::new(net, layer, data).draw()
}
