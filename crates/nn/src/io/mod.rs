//! Saving and loading: model files you can trust, and records of how a
//! model was trained.
//!
//! A trained network is only worth keeping if it comes back exactly as it
//! was, and if a broken or hostile file is refused with a message instead
//! of a crash. This module does both. It is the crate's `files` feature
//! (`features = ["files"]`), off by default: it brings serde, which the
//! notebooks build without.
//!
//! | file | type | holds |
//! | --- | --- | --- |
//! | `model.safetensors` | [`Network::save`](crate::network::Network::save) / [`Network::load`](crate::network::Network::load) with [`ModelInfo`] | weights, biases, architecture, the run description, the input scaler, optionally the optimizer's memory, your notes |
//! | `model.run.json` | [`RunRecord`] | the run description, crate version, the figures of every epoch, your notes |
//!
//! Both carry the run as one [`RunConfig`](crate::run::RunConfig) (the
//! architecture, initializer, loss, optimizer, batch size, epochs,
//! shuffling, validation split and seeds) written as the same JSON, so
//! either is enough to train the network again.
//!
//! **Model files** use [safetensors](https://huggingface.co/docs/safetensors),
//! the format PyTorch, candle and burn read: 8 bytes giving the header's
//! length N (little-endian u64), N bytes of JSON describing every tensor
//! (dtype, shape, byte range) plus a string→string `__metadata__` map, then
//! the tensors' raw bytes. Every matrix is stored as it is in memory here:
//!
//! | tensor | dtype | shape |
//! | --- | --- | --- |
//! | `layers.{l}.weight` | F64 | inputsˡ × outputsˡ |
//! | `layers.{l}.bias` | F64 | 1 × outputsˡ (only for a layer with bias) |
//! | `optimizer.first.layers.{l}.weight`, `….bias` | F64 | as the parameter (momentum's v, Adam's m) |
//! | `optimizer.second.layers.{l}.weight`, `….bias` | F64 | as the parameter (Adam's s) |
//!
//! The metadata keys are listed at [`ModelInfo`]; `docs/model-files.md`
//! shows how to read a model with NumPy. Files of the first layout (before
//! the run was one `RunConfig`) still load (module `layout1`).
//!
//! **Trust.** Files are written to a temporary file beside the target,
//! flushed to disk and renamed over it, so a crash or full disk never leaves
//! half a model ([`write_atomic`]). Loading believes nothing the header says
//! until it has been checked against the file's real size, so a file that
//! claims terabytes costs no memory; then every tensor's name, dtype and
//! shape and every metadata value is checked before a single weight is
//! copied. Fuzzing (`fuzz/` at the top of the repository) feeds it random
//! bytes to make sure that every bad file is an [`Error`](crate::Error),
//! never a panic.
//!
//! ```
//! use nn::prelude::*;
//! use nn::io::ModelInfo;
//!
//! let data = data::study_sleep();
//! let run = RunConfig {
//!     training: TrainConfig { optimizer: Optimizer::adam(0.05), epochs: 50, ..TrainConfig::default() },
//!     ..RunConfig::default()
//! };
//! let (net, history) = run.train(&data)?;
//!
//! let path = std::env::temp_dir().join("nn-io-doc-model.safetensors");
//! net.save(&path, &ModelInfo::new(&run.network, &history))?;
//! let (loaded, info) = Network::load(&path)?;
//! assert_eq!(loaded.predict(&data.x)?, net.predict(&data.x)?); // bit for bit
//! assert_eq!((info.epochs, info.run), (Some(50), Some(run)));
//! # std::fs::remove_file(&path).ok();
//! # Ok::<(), nn::Error>(())
//! ```

mod guard;
mod info;
mod layout1;
mod model;
mod record;

pub use crate::atomic::write_atomic;
pub use info::ModelInfo;
pub use record::{EpochRecord, RunRecord};

/// The version of the model file layout written in metadata `nn.format`:
/// 2 since the run is one `RunConfig` (`run.config`); layout 1 files load
/// too. A loader refuses files of a newer layout than it knows.
///
/// ```
/// use nn::prelude::*;
/// let net = Network::builder(1).dense(1, Activation::Identity).build()?;
/// let bytes = net.to_safetensors(&ModelInfo::default())?;
/// let header = String::from_utf8_lossy(&bytes[8..]).into_owned();
/// assert!(header.contains(&format!(r#""nn.format":"{}""#, nn::io::FORMAT_VERSION)));
/// # Ok::<(), nn::Error>(())
/// ```
pub const FORMAT_VERSION: u32 = 2;

/// The largest model file [`Network::load`](crate::network::Network::load)
/// reads: 1 GiB, some 134 million parameters, far beyond what this crate
/// trains. A larger file is almost surely the wrong file.
///
/// ```
/// assert_eq!(nn::io::MAX_FILE_BYTES, 1024 * 1024 * 1024);
/// ```
pub const MAX_FILE_BYTES: u64 = 1 << 30;
