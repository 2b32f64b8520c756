//! # nn — how a neural network learns, from scratch
//!
//! A small, readable library for the notebooks in `notebooks/`: dense layers,
//! activations, losses, backpropagation by the chain rule, optimizers, a
//! training loop, a gradient check, toy datasets and SVG plots that show
//! inline in Jupyter (evcxr).
//!
//! Each module holds one idea and can be read in one sitting:
//!
//! | module | idea |
//! | --- | --- |
//! | [`init`] | where the first weights come from; NumPy-compatible `randn` |
//! | [`activation`] | identity, sigmoid, tanh, ReLU, softmax and their derivatives |
//! | [`layer`] | one dense layer: `a = f(x·W + b)` |
//! | [`network`] | layers in order: the forward pass (순전파) and backpropagation (역전파) |
//! | [`loss`] | loss functions (손실 함수), each with its value and gradient |
//! | [`optimizer`] | gradient descent (경사하강법) and the optimizers (옵티마이저) built on it |
//! | [`train`] | the loop: epochs, batches (배치 사이즈), shuffling, history |
//! | [`observe`] | watching training: observers, log lines, early stopping |
//! | [`snapshot`] | the network at chosen epochs, and each layer's health |
//! | [`run`] | one run described in full: network and training, with their defaults |
//! | [`gradcheck`] | finite differences against backprop |
//! | [`exercises`] | the notebooks' exercises, which check themselves |
//! | [`data`] | the original table, XOR, moons, circles, spirals, blobs, handwritten digits; scaling, splits |
//! | [`plot`] | loss curves, functions, decision boundaries, diagrams, images, confusion matrices as SVG |
//! | [`display`] | how matrices and networks show in a notebook |
//! | [`atomic`] | writing a file so that it is all there or not changed at all |
//! | `io` | model files (safetensors) you can trust, and run records (JSON); feature `files` |
//! | [`original`] | the original Python notebook's network, replayed exactly |
//! | [`engine`] | the fast path the trainer runs: the same formulas, allocation-free |
//!
//! ```
//! use nn::prelude::*;
//!
//! let data = data::study_sleep();
//! let mut net = Network::builder(2)
//!     .dense(3, Activation::Sigmoid)
//!     .dense(1, Activation::Sigmoid)
//!     .seed(42)
//!     .build()?;
//! let history = Trainer::new(Loss::Mse, Optimizer::gd(1.0))
//!     .epochs(500)
//!     .fit(&mut net, &data)?;
//! assert!(history.final_loss() < history.losses()[0]);
//! # Ok::<(), nn::Error>(())
//! ```

pub mod activation;
pub mod atomic;
pub mod data;
pub mod display;
pub mod engine;
pub mod error;
pub mod exercises;
pub mod gradcheck;
pub mod init;
#[cfg(feature = "files")]
pub mod io;
pub mod layer;
pub mod loss;
pub mod network;
pub mod observe;
pub mod optimizer;
pub mod original;
pub mod plot;
pub mod run;
pub mod snapshot;
pub mod train;

pub use error::{Error, Result};

/// The matrix library, so that a notebook needs only one `:dep` line.
pub use ndarray;
/// The plotting library behind [`plot`], for drawing your own figures.
pub use plotters;

/// Everything a notebook needs, in one `use nn::prelude::*;`.
pub mod prelude {
    pub use crate::activation::Activation;
    pub use crate::data::{self, Dataset};
    pub use crate::display::{self, Show};
    pub use crate::error::Error;
    pub use crate::gradcheck::{gradient_check, GradCheck};
    pub use crate::init::{Init, NumpyRng};
    #[cfg(feature = "files")]
    pub use crate::io::{ModelInfo, RunRecord};
    pub use crate::layer::Dense;
    pub use crate::loss::Loss;
    pub use crate::network::{ForwardPass, Gradients, Network, NetworkConfig};
    pub use crate::observe::{EpochEnd, Observer, StepEnd};
    pub use crate::optimizer::{Optimizer, OptimizerState};
    pub use crate::plot::{self, Svg};
    pub use crate::run::RunConfig;
    pub use crate::snapshot::{Recorder, Recording, Snapshot};
    pub use crate::train::{BatchSize, History, Schedule, TrainConfig, TrainState, Trainer};
    pub use ndarray::{array, s, Array1, Array2, ArrayView2, Axis};
    pub use std::ops::ControlFlow;
}
