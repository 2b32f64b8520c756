//! Model files of layout 1 (before the run was one `RunConfig`) still load,
//! and nothing in them is lost: the weights, the run's facts, the
//! optimizer's memory, the notes.
//!
//! `tests/data/layout1-adam.safetensors` was written by the crate at layout
//! 1 (commit d2b42e3): a 2-3-1 network (tanh, sigmoid; seed 4) trained on
//! the study-sleep table for 3 epochs by Adam (η = 0.05, batches of 2,
//! seed 4), saved with `ModelInfo::from_history(&h).with_seed(4)
//! .with_state(state)` and the note `author` = `소연`.

use std::collections::BTreeMap;

use nn::io::ModelInfo;
use nn::optimizer::OptimizerState;
use nn::prelude::*;
use safetensors::tensor::TensorView;
use safetensors::SafeTensors;

fn fixture() -> Vec<u8> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/layout1-adam.safetensors"
    );
    std::fs::read(path).unwrap()
}

/// The run the fixture was saved from, as a `RunConfig`.
fn the_run(epochs: usize) -> RunConfig {
    RunConfig {
        network: Network::builder(2)
            .dense(3, Activation::Tanh)
            .dense(1, Activation::Sigmoid)
            .seed(4)
            .config()
            .clone(),
        training: TrainConfig {
            loss: Loss::Mse,
            optimizer: Optimizer::adam(0.05),
            epochs,
            batch_size: BatchSize::Rows(2),
            seed: 4,
            ..TrainConfig::default()
        },
    }
}

#[test]
fn a_layout1_file_loads_with_every_fact_in_its_place() {
    let (net, info) = Network::from_safetensors(&fixture()).unwrap();
    // The same run today gives the same weights, bit for bit.
    let (again, _) = the_run(3).train(&data::study_sleep()).unwrap();
    assert_eq!(net, again);
    assert_eq!(info.run, Some(the_run(3)));
    assert_eq!(info.epochs, Some(3));
    assert_eq!(info.scaler, None);
    assert_eq!(
        info.extra,
        BTreeMap::from([("author".to_string(), "소연".to_string())])
    );
    let state = info.state.unwrap();
    assert_eq!(state.epochs, 3);
    let OptimizerState::Adam(adam) = &state.optimizer else {
        panic!("Adam's memory was saved, got {:?}", state.optimizer)
    };
    assert_eq!((adam.t, adam.m.len(), adam.v.len()), (6, 4, 4));
}

#[test]
fn training_resumed_from_a_layout1_file_ends_as_one_unbroken_run() {
    let (mut resumed, info) = Network::from_safetensors(&fixture()).unwrap();
    let mut state = info.state.unwrap();
    let data = data::study_sleep();
    Trainer::from_config(the_run(3).training)
        .fit_from(&mut resumed, &data, &mut state)
        .unwrap();
    let (straight, _) = the_run(6).train(&data).unwrap();
    assert_eq!(resumed, straight);
}

#[test]
fn a_layout1_file_saves_again_as_layout2_without_loss() {
    let (net, info) = Network::from_safetensors(&fixture()).unwrap();
    let bytes = net.to_safetensors(&info).unwrap();
    assert_eq!(metadata(&bytes)["nn.format"], "2");
    let (back, info_back) = Network::from_safetensors(&bytes).unwrap();
    assert_eq!((back, info_back), (net, info));
}

#[test]
fn run_facts_no_run_config_can_hold_stay_notes() {
    // Biases in the first layer only: no NetworkConfig builds that, so the
    // layout-1 facts cannot be a RunConfig. They are kept as notes.
    let net = Network::from_layers(vec![
        Dense::new(array![[0.5], [-0.5]], Some(array![[0.1]]), Activation::Tanh).unwrap(),
        Dense::new(array![[2.0]], None, Activation::Identity).unwrap(),
    ])
    .unwrap();
    let mut meta = metadata(&net.to_safetensors(&ModelInfo::default()).unwrap());
    meta.insert("nn.format".into(), "1".into());
    meta.insert("run.loss".into(), "mae".into());
    meta.insert("run.epochs".into(), "7".into());
    meta.insert("optimizer.name".into(), "gd".into());
    meta.insert("optimizer.learning_rate".into(), "0.5".into());
    let (back, info) = Network::from_safetensors(&with_metadata(&net, meta)).unwrap();
    assert_eq!(back, net);
    assert_eq!((info.run, info.epochs), (None, Some(7)));
    let notes: Vec<(&str, &str)> = info
        .extra
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    assert_eq!(
        notes,
        [
            ("layout1.optimizer.learning_rate", "0.5"),
            ("layout1.optimizer.name", "gd"),
            ("layout1.run.loss", "mae"),
        ]
    );
}

/// The metadata of a model file.
fn metadata(bytes: &[u8]) -> BTreeMap<String, String> {
    let (_, header) = SafeTensors::read_metadata(bytes).unwrap();
    header.metadata().clone().unwrap().into_iter().collect()
}

/// The model file of `net` with `meta` for its metadata.
fn with_metadata(net: &Network, meta: BTreeMap<String, String>) -> Vec<u8> {
    let bytes = net.to_safetensors(&ModelInfo::default()).unwrap();
    let file = SafeTensors::deserialize(&bytes).unwrap();
    let tensors: Vec<(String, TensorView)> = file.iter().map(|(n, t)| (n.to_string(), t)).collect();
    safetensors::serialize(tensors, Some(meta.into_iter().collect())).unwrap()
}
