//! Trained models as safetensors files, the format PyTorch, candle and burn
//! read.
//!
//! Layer l's weights are the tensor `layers.l.weight` (inputs × outputs,
//! f64, as `x · W`) and its bias `layers.l.bias` (1 × outputs), the layout
//! of `nn::io` (still to come on main; this module is the stand-in). The file's
//! metadata holds what `nn predict` needs besides the numbers: each layer's
//! activation, the loss (is the output a class?), the names of the input
//! columns and how the inputs were scaled.

use std::collections::HashMap;
use std::path::Path;

use anyhow::{anyhow, bail, Context, Result};
use nn::activation::Activation;
use nn::layer::Dense;
use nn::ndarray::Array2;
use nn::network::Network;
use safetensors::{tensor::TensorView, Dtype, SafeTensors};
use serde::{Deserialize, Serialize};

use crate::config::LossName;
use crate::scaler::Scaler;

/// What a model file says about its model besides the weights.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelInfo {
    pub loss: LossName,
    /// Names of the input columns, in order.
    pub features: Vec<String>,
    /// Names of the target columns.
    pub targets: Vec<String>,
    /// How to scale raw inputs before the first layer.
    pub scaler: Scaler,
}

/// The file's bytes for `net` and `info`.
pub fn to_bytes(net: &Network, info: &ModelInfo) -> Result<Vec<u8>> {
    let le = |m: &Array2<f64>| -> Vec<u8> { m.iter().flat_map(|v| v.to_le_bytes()).collect() };
    let mut buffers = Vec::new();
    for (i, layer) in net.layers.iter().enumerate() {
        let shape = vec![layer.inputs(), layer.outputs()];
        buffers.push((format!("layers.{i}.weight"), shape, le(&layer.weights)));
        if let Some(b) = &layer.bias {
            buffers.push((format!("layers.{i}.bias"), vec![1, layer.outputs()], le(b)));
        }
    }
    let views = buffers
        .iter()
        .map(|(name, shape, data)| {
            Ok((
                name.clone(),
                TensorView::new(Dtype::F64, shape.clone(), data)?,
            ))
        })
        .collect::<Result<Vec<_>, safetensors::SafeTensorError>>()?;
    let activations: Vec<&str> = net.layers.iter().map(|l| l.activation.name()).collect();
    let metadata = HashMap::from([
        ("format".to_string(), "nn".to_string()),
        ("network".to_string(), net.to_string()),
        ("activations".to_string(), activations.join(",")),
        ("info".to_string(), serde_json::to_string(info)?),
    ]);
    Ok(safetensors::serialize(views, Some(metadata))?)
}

/// Reads a model written by `nn train --save`.
pub fn load(path: &Path) -> Result<(Network, ModelInfo)> {
    let shown = path.display();
    let bytes =
        std::fs::read(path).with_context(|| format!("{shown}: cannot read the model file"))?;
    from_bytes(&bytes).map_err(|e| anyhow!("{shown}: {e:#}"))
}

fn from_bytes(bytes: &[u8]) -> Result<(Network, ModelInfo)> {
    let (_, header) = SafeTensors::read_metadata(bytes)
        .map_err(|e| anyhow!("not a safetensors model file ({e})"))?;
    let tensors = SafeTensors::deserialize(bytes)
        .map_err(|e| anyhow!("not a safetensors model file ({e})"))?;
    let meta = header.metadata().clone().unwrap_or_default();
    let field = |key: &str| {
        meta.get(key).with_context(|| {
            format!("its metadata has no `{key}`; save models with `nn train --save FILE`")
        })
    };
    let info: ModelInfo =
        serde_json::from_str(field("info")?).context("its metadata `info` is damaged")?;
    let mut layers = Vec::new();
    for (i, name) in field("activations")?.split(',').enumerate() {
        let activation = Activation::from_name(name)
            .with_context(|| format!("layer {i} has the unknown activation `{name}`"))?;
        let weights =
            matrix(&tensors, &format!("layers.{i}.weight"))?.context("the weights are missing")?;
        let bias = matrix(&tensors, &format!("layers.{i}.bias"))?;
        layers.push(Dense::new(weights, bias, activation)?);
    }
    Ok((Network::from_layers(layers)?, info))
}

/// The tensor `name` as a matrix (a vector becomes one row), if present.
fn matrix(tensors: &SafeTensors, name: &str) -> Result<Option<Array2<f64>>> {
    let Ok(t) = tensors.tensor(name) else {
        return Ok(None);
    };
    if t.dtype() != Dtype::F64 {
        bail!("{name} holds {:?} numbers; nn reads F64", t.dtype());
    }
    let shape = match *t.shape() {
        [n] => (1, n),
        [r, c] => (r, c),
        ref other => bail!("{name} has shape {other:?}; nn reads matrices"),
    };
    let values = t
        .data()
        .chunks_exact(8)
        .map(|b| f64::from_le_bytes(b.try_into().expect("chunks of 8 bytes")))
        .collect();
    Ok(Some(Array2::from_shape_vec(shape, values)?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::ScaleName;
    use nn::ndarray::array;

    #[test]
    fn a_saved_model_loads_as_it_was() {
        let net = Network::builder(2)
            .dense(3, Activation::Tanh)
            .dense(1, Activation::Sigmoid)
            .seed(3)
            .build()
            .unwrap();
        let info = ModelInfo {
            loss: LossName::BinaryCrossEntropy,
            features: vec!["a".into(), "b".into()],
            targets: vec!["y".into()],
            scaler: Scaler::fit(ScaleName::Standard, &array![[1.0, 2.0], [3.0, 5.0]]),
        };
        let (back, info_back) = from_bytes(&to_bytes(&net, &info).unwrap()).unwrap();
        assert_eq!(back, net);
        assert_eq!(info_back, info);
    }

    #[test]
    fn other_files_are_refused_with_a_reason() {
        let err = from_bytes(b"hello").unwrap_err().to_string();
        assert!(err.starts_with("not a safetensors model file"), "{err}");
    }
}
