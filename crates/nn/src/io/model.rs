//! A network as a safetensors file, and back.
//!
//! Saving turns every parameter matrix into an F64 tensor named after its
//! place (`layers.0.weight`, `layers.0.bias`, …) and the architecture and
//! run facts into metadata. Loading goes the other way and checks, in this
//! order, before copying a single weight:
//!
//! 1. the file's framing against its real size (module [`super::guard`]),
//! 2. the header, by the safetensors crate (byte ranges, dtypes, sizes),
//! 3. the metadata: format version, architecture, run facts,
//! 4. that the tensors are exactly the ones the architecture asks for, each
//!    F64 and of the right shape,
//!
//! and then that every weight and bias is finite.

use std::collections::{BTreeMap, HashMap};
use std::fs::File;
use std::io::Read;
use std::path::Path;

use ndarray::Array2;
use safetensors::tensor::TensorView;
use safetensors::{Dtype, SafeTensorError, SafeTensors};

use super::info::{shown, ModelInfo, ACTIVATIONS, BIAS, FORMAT, SIZES, STATE_KIND};
use super::{guard, layout1, FORMAT_VERSION, MAX_FILE_BYTES};
use crate::activation::Activation;
use crate::atomic;
use crate::error::{count, Error, Result};
use crate::layer::Dense;
use crate::network::{LayerConfig, Network, NetworkConfig};
use crate::optimizer::OptimizerState;

/// The shape of a network, as the metadata spells it.
struct Architecture {
    /// Inputs, then the units of every layer.
    sizes: Vec<usize>,
    /// One per layer.
    activations: Vec<Activation>,
    /// Whether each layer has a bias.
    bias: Vec<bool>,
}

impl Architecture {
    /// The architecture a [`NetworkConfig`] builds.
    fn described(network: &NetworkConfig) -> Self {
        Architecture {
            sizes: std::iter::once(network.inputs)
                .chain(network.layers.iter().map(|l| l.units))
                .collect(),
            activations: network.layers.iter().map(|l| l.activation).collect(),
            bias: vec![network.bias; network.layers.len()],
        }
    }

    fn of(net: &Network) -> Self {
        Architecture {
            sizes: net.sizes(),
            activations: net.layers.iter().map(|l| l.activation).collect(),
            bias: net.layers.iter().map(|l| l.bias.is_some()).collect(),
        }
    }

    fn write(&self, meta: &mut BTreeMap<String, String>) {
        let join = |items: Vec<String>| items.join(",");
        meta.insert(FORMAT.into(), FORMAT_VERSION.to_string());
        meta.insert(
            SIZES.into(),
            join(self.sizes.iter().map(usize::to_string).collect()),
        );
        meta.insert(
            ACTIVATIONS.into(),
            join(self.activations.iter().map(|a| a.name().into()).collect()),
        );
        meta.insert(
            BIAS.into(),
            join(self.bias.iter().map(bool::to_string).collect()),
        );
    }

    /// The architecture in `meta`, and the layout version of the file.
    fn read(meta: &BTreeMap<String, String>) -> std::result::Result<(Self, u32), String> {
        let get = |key: &str| {
            meta.get(key).ok_or_else(|| {
                format!(
                    "the metadata has no {key}, which every model file needs (see \
                     docs/model-files.md); add it, or save the network again with net.save"
                )
            })
        };
        let format = get(FORMAT)?;
        let version = match format.parse::<u32>() {
            Ok(v) if (1..=FORMAT_VERSION).contains(&v) => v,
            Ok(v) if v > FORMAT_VERSION => {
                return Err(format!(
                    "metadata {FORMAT} = {v}: the file was written by a newer nn, and this one \
                     reads layout {FORMAT_VERSION}; update the nn crate"
                ))
            }
            _ => {
                return Err(format!(
                    "metadata {FORMAT} = {} is not a layout version this crate knows; write \
                     \"{FORMAT_VERSION}\"",
                    shown(format)
                ))
            }
        };
        let text = get(SIZES)?;
        let sizes: Vec<usize> = text
            .split(',')
            .map(|s| s.trim().parse().ok().filter(|&n| n >= 1))
            .collect::<Option<_>>()
            .filter(|s: &Vec<usize>| s.len() >= 2)
            .ok_or_else(|| {
                format!(
                    "metadata {SIZES} = {} is not a list of at least two whole numbers ≥ 1 (the \
                     inputs, then each layer's units), such as \"2,3,1\"; fix it",
                    shown(text)
                )
            })?;
        let layers = sizes.len() - 1;
        let list = |key: &str| -> std::result::Result<Vec<String>, String> {
            let items: Vec<String> = get(key)?.split(',').map(|s| s.trim().to_string()).collect();
            if items.len() != layers {
                return Err(format!(
                    "metadata {key} has {} but {SIZES} describes {}; give one per layer, \
                     separated by commas",
                    count(items.len(), "entry", "entries"),
                    count(layers, "layer", "layers")
                ));
            }
            Ok(items)
        };
        let activations = list(ACTIVATIONS)?
            .iter()
            .enumerate()
            .map(|(l, name)| {
                Activation::from_name(name).ok_or_else(|| {
                    let known: Vec<&str> = Activation::ALL.iter().map(|a| a.name()).collect();
                    format!(
                        "metadata {ACTIVATIONS}: layer {}'s activation {} is not one this crate \
                         knows ({}); change it to one of those",
                        l + 1,
                        shown(name),
                        known.join(", ")
                    )
                })
            })
            .collect::<std::result::Result<_, _>>()?;
        let bias = list(BIAS)?
            .iter()
            .enumerate()
            .map(|(l, flag)| match flag.as_str() {
                "true" => Ok(true),
                "false" => Ok(false),
                _ => Err(format!(
                    "metadata {BIAS}: layer {}'s entry {} is neither true nor false; fix it",
                    l + 1,
                    shown(flag)
                )),
            })
            .collect::<std::result::Result<_, _>>()?;
        let arch = Architecture {
            sizes,
            activations,
            bias,
        };
        Ok((arch, version))
    }

    /// The network as a [`NetworkConfig`] describes it: inputs, layers and
    /// bias; how the weights were drawn is not the architecture's to say, so
    /// the rest is the default. `None` if some layers have a bias and others
    /// not, which no `NetworkConfig` builds.
    fn network_config(&self) -> Option<NetworkConfig> {
        if self.bias.iter().any(|&b| b != self.bias[0]) {
            return None;
        }
        Some(NetworkConfig {
            inputs: self.sizes[0],
            layers: self.sizes[1..]
                .iter()
                .zip(&self.activations)
                .map(|(&units, &activation)| LayerConfig { units, activation })
                .collect(),
            bias: self.bias[0],
            ..NetworkConfig::default()
        })
    }

    /// Checks that `info`'s run and scaler are of this network.
    fn check_info(&self, info: &ModelInfo) -> std::result::Result<(), String> {
        if let Some(run) = &info.run {
            let described = Architecture::described(&run.network);
            if described.sizes != self.sizes
                || described.activations != self.activations
                || described.bias != self.bias
            {
                return Err(format!(
                    "the run description is of the network {}, but the network is {}; give the \
                     RunConfig that built this network",
                    described.shape(),
                    self.shape()
                ));
            }
        }
        if let Some(scaler) = &info.scaler {
            if scaler.columns() != self.sizes[0] {
                return Err(format!(
                    "the scaler was fitted on {}, but the network takes {}; give the scaler of \
                     this network's training inputs",
                    count(scaler.columns(), "column", "columns"),
                    count(self.sizes[0], "input", "inputs")
                ));
            }
        }
        Ok(())
    }

    /// `2 → 3 (sigmoid) → 1 (sigmoid), without bias`, for messages (cut
    /// short for very deep networks).
    fn shape(&self) -> String {
        let layers: Vec<String> = std::iter::once(self.sizes[0].to_string())
            .chain(
                self.sizes[1..]
                    .iter()
                    .zip(&self.activations)
                    .map(|(units, a)| format!("{units} ({a})")),
            )
            .collect();
        let bias = match (self.bias.iter().all(|&b| b), self.bias.contains(&true)) {
            (true, _) => "with bias",
            (false, true) => "with bias in some layers",
            (false, false) => "without bias",
        };
        format!("{}, {bias}", cut(&layers, " → "))
    }

    /// `the 2-3-1 network`, for messages (cut short for very deep ones).
    fn describe(&self) -> String {
        let sizes: Vec<String> = self.sizes.iter().map(usize::to_string).collect();
        format!("the {} network", cut(&sizes, "-"))
    }

    /// Every parameter's tensor name and shape, in the order of
    /// [`Network::parameters_mut`]: W¹, b¹, W², b², ….
    fn parameters(&self) -> Vec<(String, (usize, usize))> {
        let mut out = Vec::with_capacity(2 * self.bias.len());
        for (l, &has_bias) in self.bias.iter().enumerate() {
            let (inputs, outputs) = (self.sizes[l], self.sizes[l + 1]);
            out.push((format!("layers.{l}.weight"), (inputs, outputs)));
            if has_bias {
                out.push((format!("layers.{l}.bias"), (1, outputs)));
            }
        }
        out
    }
}

/// The first few items joined by `sep`, and how many more there are.
fn cut(items: &[String], sep: &str) -> String {
    const SHOWN: usize = 8;
    let mut text = items[..items.len().min(SHOWN)].join(sep);
    if items.len() > SHOWN {
        text += &format!("{sep}… ({} in all)", items.len());
    }
    text
}

/// Tensor names of the optimizer's moments: `optimizer.first.layers.0.weight`.
fn moment_name(which: &str, parameter: &str) -> String {
    format!("optimizer.{which}.{parameter}")
}

impl Network {
    /// Saves the network and `info` as a safetensors file at `path`
    /// (atomically: an existing file is replaced whole or not at all).
    ///
    /// Refuses a network that could not be loaded back: layers that do not
    /// fit together, or weights that are not finite.
    ///
    /// ```
    /// use nn::prelude::*;
    /// use nn::io::ModelInfo;
    ///
    /// let net = Network::builder(2).dense(3, Activation::Tanh).dense(1, Activation::Identity).seed(1).build()?;
    /// let path = std::env::temp_dir().join("nn-save-doc.safetensors");
    /// net.save(&path, &ModelInfo::default())?;
    /// assert_eq!(Network::load(&path)?.0, net);
    /// # std::fs::remove_file(&path).ok();
    /// # Ok::<(), nn::Error>(())
    /// ```
    pub fn save(&self, path: impl AsRef<Path>, info: &ModelInfo) -> Result<()> {
        let bytes = self.to_safetensors(info)?;
        atomic::write_atomic(path, &bytes)
    }

    /// Loads a network and its [`ModelInfo`] from a safetensors file written
    /// by [`save`](Network::save) (or by Python, see `docs/model-files.md`).
    ///
    /// Every way a file can be wrong is an [`Error::File`] naming the file,
    /// the tensor or key at fault and what to do.
    ///
    /// ```
    /// use nn::prelude::*;
    /// let path = std::env::temp_dir().join("nn-load-doc.safetensors");
    /// std::fs::write(&path, b"not a model")?;
    /// let err = Network::load(&path).unwrap_err();
    /// assert!(err.to_string().contains("is truncated, or it is not a safetensors file"));
    /// # std::fs::remove_file(&path).ok();
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn load(path: impl AsRef<Path>) -> Result<(Network, ModelInfo)> {
        let path = path.as_ref();
        let fail = |message: String| Error::file(path, message);
        let bytes = read_bounded(path).map_err(fail)?;
        parse(&bytes).map_err(fail)
    }

    /// The bytes of the safetensors file [`save`](Network::save) writes,
    /// checked to load back.
    ///
    /// ```
    /// use nn::prelude::*;
    /// use nn::io::ModelInfo;
    ///
    /// let net = Network::builder(2).dense(1, Activation::Sigmoid).no_bias().build()?;
    /// let bytes = net.to_safetensors(&ModelInfo::default())?;
    /// // 8 bytes of header length, then the JSON header.
    /// let n = u64::from_le_bytes(bytes[..8].try_into().unwrap()) as usize;
    /// assert!(std::str::from_utf8(&bytes[8..8 + n]).unwrap().contains(r#""layers.0.weight":{"dtype":"F64","shape":[2,1]"#));
    /// # Ok::<(), nn::Error>(())
    /// ```
    pub fn to_safetensors(&self, info: &ModelInfo) -> Result<Vec<u8>> {
        check_savable(self, info)?;
        let arch = Architecture::of(self);
        let mut meta = BTreeMap::new();
        arch.write(&mut meta);
        info.write(&mut meta)?;

        // Each tensor's bytes: its values row by row, little-endian.
        let mut tensors: Vec<(String, (usize, usize), Vec<u8>)> = Vec::new();
        let params = self
            .layers
            .iter()
            .flat_map(|l| std::iter::once(&l.weights).chain(l.bias.as_ref()));
        for ((name, shape), matrix) in arch.parameters().into_iter().zip(params) {
            tensors.push((name, shape, to_bytes(matrix)));
        }
        if let Some(state) = &info.state {
            let (first, second) = state.optimizer.moments();
            for (which, moments) in [("first", first), ("second", second)] {
                for ((name, shape), m) in arch.parameters().into_iter().zip(moments) {
                    tensors.push((moment_name(which, &name), shape, to_bytes(m)));
                }
            }
        }
        let bytes = tensors
            .iter()
            .map(|(name, (r, c), bytes)| {
                TensorView::new(Dtype::F64, vec![*r, *c], bytes).map(|view| (name.as_str(), view))
            })
            .collect::<std::result::Result<Vec<_>, _>>()
            .and_then(|views| safetensors::serialize(views, Some(meta.into_iter().collect())))
            .map_err(|e| Error::Data(format!("the safetensors writer refused the model: {e}")))?;
        // Read it back before anyone can write it: a file that would not
        // load (say, notes too long for a header) is never produced.
        parse(&bytes).map_err(|m| {
            Error::Data(format!(
                "this model could not be loaded back, so it is not saved: {m}"
            ))
        })?;
        Ok(bytes)
    }

    /// Reads a network from the bytes of a safetensors file, with the same
    /// checks as [`load`](Network::load); errors are [`Error::Data`].
    ///
    /// ```
    /// use nn::prelude::*;
    /// let err = Network::from_safetensors(&[]).unwrap_err();
    /// assert!(err.to_string().contains("the file is empty"));
    /// ```
    pub fn from_safetensors(bytes: &[u8]) -> Result<(Network, ModelInfo)> {
        parse(bytes).map_err(|message| Error::Data(format!("model file: {message}")))
    }
}

/// The file's bytes, refusing what is not a regular file of sane size. No
/// more is read than the size the file had when opened.
fn read_bounded(path: &Path) -> std::result::Result<Vec<u8>, String> {
    let file = File::open(path).map_err(|e| {
        format!("cannot open the file ({e}); check the path and that the file exists")
    })?;
    let meta = file
        .metadata()
        .map_err(|e| format!("cannot read the file's size ({e}); check your permissions"))?;
    if !meta.is_file() {
        return Err(
            "this is not a regular file (a folder?); give the path of a .safetensors file".into(),
        );
    }
    let len = meta.len();
    if len > MAX_FILE_BYTES {
        return Err(format!(
            "the file has {len} bytes, more than the {MAX_FILE_BYTES} a model of this crate can \
             need; is it the right file?"
        ));
    }
    let mut bytes = Vec::with_capacity(len as usize);
    file.take(len)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("reading the file failed ({e}); check the disk and try again"))?;
    Ok(bytes)
}

/// A matrix's values, row by row, as little-endian bytes.
fn to_bytes(m: &Array2<f64>) -> Vec<u8> {
    m.iter().flat_map(|v| v.to_le_bytes()).collect()
}

/// Refuses what could not be loaded back, naming the tensor at fault.
fn check_savable(net: &Network, info: &ModelInfo) -> Result<()> {
    // That every layer fits the one before, and every weight and bias is
    // finite and of the right shape.
    net.check().map_err(|e| {
        Error::Network(format!(
            "it cannot be saved, because it would not load again: {e}"
        ))
    })?;
    info.check()?;
    Architecture::of(net)
        .check_info(info)
        .map_err(|m| Error::Network(format!("ModelInfo does not fit it: {m}")))?;
    if let Some(state) = &info.state {
        let params = Architecture::of(net).parameters();
        let (first, second) = state.optimizer.moments();
        for (which, moments) in [("first", first), ("second", second)] {
            check_moments(&params, which, moments.iter().map(Array2::dim))
                .map_err(|m| Error::Data(format!("the optimizer state cannot be saved: {m}")))?;
        }
    }
    Ok(())
}

/// Checks one list of optimizer moments against the parameters: none at
/// all, or one per parameter of the same shape.
///
/// Their values are not checked: Adam's running mean of squared gradients
/// can overflow to +∞ in a run that goes on fine (its steps just become 0),
/// and resuming exactly means keeping even that.
fn check_moments(
    params: &[(String, (usize, usize))],
    which: &str,
    shapes: impl ExactSizeIterator<Item = (usize, usize)>,
) -> std::result::Result<(), String> {
    if shapes.len() == 0 {
        return Ok(());
    }
    if shapes.len() != params.len() {
        return Err(format!(
            "it has {} for {}; it must have one per parameter (or none)",
            count(
                shapes.len(),
                &format!("{which} moment"),
                &format!("{which} moments")
            ),
            count(params.len(), "parameter matrix", "parameter matrices")
        ));
    }
    for ((name, shape), got) in params.iter().zip(shapes) {
        if got != *shape {
            return Err(format!(
                "{} has shape {got:?} but {name} is {shape:?}; the state belongs to another \
                 network",
                moment_name(which, name)
            ));
        }
    }
    Ok(())
}

/// Everything [`Network::load`] does after reading the bytes.
fn parse(bytes: &[u8]) -> std::result::Result<(Network, ModelInfo), String> {
    guard::check(bytes)?;
    let (_, header) = SafeTensors::read_metadata(bytes).map_err(describe)?;
    let file = SafeTensors::deserialize(bytes).map_err(describe)?;
    let meta: BTreeMap<String, String> = header
        .metadata()
        .clone()
        .ok_or(
            "the file has no metadata (no \"__metadata__\" in its header), so its activations \
             are unknown; save it with net.save, or add the keys listed in docs/model-files.md",
        )?
        .into_iter()
        .collect();
    let (arch, version) = Architecture::read(&meta)?;
    let (mut info, steps) = match version {
        1 => layout1::read(&meta, arch.network_config())?,
        _ => ModelInfo::read(&meta)?,
    };
    let names: HashMap<&str, TensorView> = file.iter().collect();
    // Each layer needs a weight tensor, so a deep architecture in a file of
    // few tensors is wrong, and it is refused before anything is sized by it.
    if arch.activations.len() > names.len() {
        return Err(format!(
            "metadata {SIZES} describes {} but the file holds only {}; every layer needs at \
             least its weights, so fix the metadata or save the network again",
            count(arch.activations.len(), "layer", "layers"),
            count(names.len(), "tensor", "tensors")
        ));
    }

    // Which tensors the metadata asks for.
    let params = arch.parameters();
    let mut wanted: Vec<(String, (usize, usize))> = params.clone();
    let mut moments = [false, false];
    for (i, which) in ["first", "second"].into_iter().enumerate() {
        let prefix = format!("optimizer.{which}.");
        moments[i] = names.keys().any(|n| n.starts_with(&prefix));
        if moments[i] {
            if info.state.is_none() {
                return Err(format!(
                    "the file has optimizer.{which}.* tensors but no optimizer.steps and \
                     optimizer.epochs in its metadata; add both, or remove the tensors"
                ));
            }
            wanted.extend(
                params
                    .iter()
                    .map(|(name, shape)| (moment_name(which, name), *shape)),
            );
        }
    }
    for (name, (rows, cols)) in &wanted {
        let Some(tensor) = names.get(name.as_str()) else {
            return Err(format!(
                "tensor {name} is missing; {} needs it ({rows} × {cols}); save the network \
                 again, or fix the architecture metadata",
                arch.describe()
            ));
        };
        if tensor.dtype() != Dtype::F64 {
            return Err(format!(
                "tensor {name} has dtype {}, but model files hold F64 (float64); convert it \
                 before saving, e.g. array.astype(numpy.float64)",
                tensor.dtype()
            ));
        }
        if tensor.shape() != [*rows, *cols] {
            return Err(format!(
                "tensor {name} has shape {:?}, but {} needs [{rows}, {cols}] (weights are \
                 inputs × outputs, biases 1 × outputs); fix the tensor or the metadata",
                tensor.shape(),
                arch.describe()
            ));
        }
    }
    if let Some(extra) = names
        .keys()
        .filter(|n| !wanted.iter().any(|(w, _)| w == *n))
        .min()
    {
        let extra = if extra.len() > 60 {
            shown(extra)
        } else {
            extra.to_string()
        };
        return Err(format!(
            "tensor {extra} is not part of this model ({} has {}); remove it, or fix the \
             architecture metadata",
            arch.describe(),
            cut(
                &params.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>(),
                ", "
            )
        ));
    }

    // The run description and the scaler must be of this network.
    arch.check_info(&info)
        .map_err(|m| format!("{m} (in the metadata, not the tensors); fix or remove it"))?;

    // Everything is as it should be: copy the values out.
    let matrix = |name: &str, shape: (usize, usize)| -> std::result::Result<Array2<f64>, String> {
        let values = names[name]
            .data()
            .chunks_exact(8)
            .map(|b| f64::from_le_bytes(b.try_into().expect("chunks of 8 bytes")))
            .collect();
        Array2::from_shape_vec(shape, values)
            .map_err(|e| format!("tensor {name} does not fill its shape ({e})"))
    };
    // Weights and biases must be finite numbers (optimizer moments need not be).
    let parameter = |name: &str, shape: (usize, usize)| {
        let m = matrix(name, shape)?;
        match m.indexed_iter().find(|(_, v)| !v.is_finite()) {
            None => Ok(m),
            Some(((r, c), v)) => Err(format!(
                "tensor {name} holds {v} at [{r}, {c}]; weights and biases must be finite \
                 numbers (did training diverge before saving?)"
            )),
        }
    };
    let mut layers = Vec::with_capacity(arch.activations.len());
    let mut matrices = params.iter();
    for (&activation, &has_bias) in arch.activations.iter().zip(&arch.bias) {
        let (name, shape) = matrices.next().expect("one weight per layer");
        let weights = parameter(name, *shape)?;
        let bias = if has_bias {
            let (name, shape) = matrices.next().expect("one bias per layer with bias");
            Some(parameter(name, *shape)?)
        } else {
            None
        };
        layers.push(Dense::new(weights, bias, activation).map_err(|e| e.to_string())?);
    }
    let net = Network::from_layers(layers).map_err(|e| e.to_string())?;
    if let Some(state) = &mut info.state {
        let read = |i: usize, which: &str| -> std::result::Result<Vec<Array2<f64>>, String> {
            if !moments[i] {
                return Ok(Vec::new());
            }
            params
                .iter()
                .map(|(name, shape)| matrix(&moment_name(which, name), *shape))
                .collect()
        };
        let (first, second) = (read(0, "first")?, read(1, "second")?);
        // Files of the first version do not name the memory: its tensors tell.
        let kind = meta.get(STATE_KIND).map_or(
            match moments {
                [true, true] => "adam",
                [true, false] => "momentum",
                _ => "empty",
            },
            String::as_str,
        );
        state.optimizer =
            OptimizerState::from_moments(kind, steps, first, second).ok_or_else(|| {
                format!(
                    "metadata {STATE_KIND} = {} does not fit the file's tensors \
                     (optimizer.first.*: {}, optimizer.second.*: {}); momentum keeps a first \
                     moment only, adam both, empty none: fix the key or save the model again",
                    shown(kind),
                    if moments[0] { "present" } else { "absent" },
                    if moments[1] { "present" } else { "absent" },
                )
            })?;
    }
    Ok((net, info))
}

/// The safetensors crate's complaint, said as what is wrong and what to do.
fn describe(e: SafeTensorError) -> String {
    use SafeTensorError as E;
    let what = match &e {
        E::HeaderTooSmall | E::InvalidHeaderLength => {
            "the file is shorter than its header says: it is truncated".to_string()
        }
        E::HeaderTooLarge => "the header is larger than safetensors allows (100 MB)".to_string(),
        E::InvalidHeader(_) | E::InvalidHeaderDeserialization(_) | E::JsonError(_) => {
            format!("the header is not valid safetensors JSON ({e})")
        }
        E::InvalidOffset(name) => format!(
            "tensor {name}'s bytes do not start where the previous tensor's end, as safetensors \
             requires"
        ),
        E::TensorInvalidInfo | E::InvalidTensorView(..) | E::MisalignedSlice => {
            format!("a tensor's dtype and shape do not match the number of bytes it claims ({e})")
        }
        E::MetadataIncompleteBuffer => {
            "the tensors do not cover the data exactly: bytes are missing or left over at the end"
                .to_string()
        }
        E::ValidationOverflow => "a tensor's shape is so large that its size overflows".to_string(),
        _ => e.to_string(),
    };
    format!(
        "{what}; the file is damaged or was not written as safetensors, so save the network again"
    )
}
