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
//! | `model.safetensors` | [`Network::save`](crate::network::Network::save) / [`Network::load`](crate::network::Network::load) with [`ModelInfo`] | weights, biases, architecture, the run's facts, optionally the optimizer's memory |
//! | `model.run.json` | [`RunRecord`] | hyperparameters, seed, crate version, the loss of every epoch |
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
//! shows how to read a model with NumPy.
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
//! let mut net = Network::builder(2).dense(3, Activation::Sigmoid).dense(1, Activation::Sigmoid).build()?;
//! let history = Trainer::new(Loss::Mse, Optimizer::adam(0.05)).epochs(50).fit(&mut net, &data)?;
//!
//! let path = std::env::temp_dir().join("nn-io-doc-model.safetensors");
//! net.save(&path, &ModelInfo::from_history(&history).with_seed(42))?;
//! let (loaded, info) = Network::load(&path)?;
//! assert_eq!(loaded.predict(&data.x)?, net.predict(&data.x)?); // bit for bit
//! assert_eq!(info.epochs, Some(50));
//! # std::fs::remove_file(&path).ok();
//! # Ok::<(), nn::Error>(())
//! ```

mod guard;
mod info;
mod model;
mod record;

pub use crate::atomic::write_atomic;
pub use info::ModelInfo;
pub use record::{EpochRecord, Hyperparameters, RunRecord};

/// The version of the model file layout written in metadata `nn.format`.
/// A loader refuses files of a newer layout than it knows.
///
/// ```
/// use nn::prelude::*;
/// let net = Network::builder(1).dense(1, Activation::Identity).build()?;
/// let bytes = net.to_safetensors(&ModelInfo::default())?;
/// let header = String::from_utf8_lossy(&bytes[8..]).into_owned();
/// assert!(header.contains(&format!(r#""nn.format":"{}""#, nn::io::FORMAT_VERSION)));
/// # Ok::<(), nn::Error>(())
/// ```
pub const FORMAT_VERSION: u32 = 1;

/// The largest model file [`Network::load`](crate::network::Network::load)
/// reads: 1 GiB, some 134 million parameters, far beyond what this crate
/// trains. A larger file is almost surely the wrong file.
///
/// ```
/// assert_eq!(nn::io::MAX_FILE_BYTES, 1024 * 1024 * 1024);
/// ```
pub const MAX_FILE_BYTES: u64 = 1 << 30;
