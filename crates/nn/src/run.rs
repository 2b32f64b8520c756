//! One run described in full: the network and how it is trained.
//!
//! A [`RunConfig`] holds everything needed to run a training again and get
//! the same numbers, bit for bit: the architecture, how its weights are
//! drawn and from which seed, the loss, the optimizer and its
//! hyperparameters, the batch size, the epochs, the shuffling, the
//! validation split and its seed. Its `Default` is the crate's defaults in
//! one place; change what you need with struct-update syntax. With the
//! feature `files` it reads and writes as JSON, and model files and run
//! records carry it.
//!
//! ```
//! use nn::prelude::*;
//!
//! let run = RunConfig {
//!     training: TrainConfig { epochs: 200, optimizer: Optimizer::adam(0.05), ..TrainConfig::default() },
//!     ..RunConfig::default()
//! };
//! let (net, history) = run.train(&data::study_sleep())?;
//! assert_eq!(history.epochs.len(), 200);
//! // The same description gives the same network, to the bit.
//! assert_eq!(run.train(&data::study_sleep())?.0, net);
//! # Ok::<(), nn::Error>(())
//! ```

use crate::data::Dataset;
use crate::error::Result;
use crate::network::{Network, NetworkConfig};
use crate::train::{History, TrainConfig, Trainer};

/// A network and its training, described (see the module docs).
#[derive(Debug, Clone, PartialEq, Default)]
#[cfg_attr(feature = "files", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "files", serde(default, deny_unknown_fields))]
pub struct RunConfig {
    /// The architecture and its initial weights.
    pub network: NetworkConfig,
    /// How it is trained.
    pub training: TrainConfig,
}

impl RunConfig {
    /// Checks both halves without building anything.
    ///
    /// ```
    /// use nn::prelude::*;
    /// let mut run = RunConfig::default();
    /// run.training.epochs = 0;
    /// assert!(run.check().is_err());
    /// ```
    pub fn check(&self) -> Result<()> {
        self.training.check()?;
        self.network.build().map(|_| ())
    }

    /// Builds the network and trains it on `data`.
    pub fn train(&self, data: &Dataset) -> Result<(Network, History)> {
        let mut net = self.network.build()?;
        let history = Trainer::from_config(self.training.clone()).fit(&mut net, data)?;
        Ok((net, history))
    }
}
