//! The fuzz targets' seeds and findings (see fuzz/README.md).
//!
//! The seed models in fuzz/corpus/load_model/ must stay valid as the file
//! layout evolves; `NN_WRITE_FUZZ_SEEDS=1 cargo test -p nn --test io_fuzz`
//! writes them again. Every input that once crashed a target is replayed
//! here as a regression test.

use std::path::PathBuf;

use nn::io::ModelInfo;
use nn::optimizer::{MomentumState, OptimizerState};
use nn::prelude::*;

fn corpus(target: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../fuzz/corpus")
        .join(target)
}

/// Small valid models: with and without bias, with a momentum and an Adam
/// state, every activation.
fn seed_models() -> Vec<(&'static str, Vec<u8>)> {
    let data = data::study_sleep();
    let mut seeds = Vec::new();
    let plain = Network::builder(2)
        .dense(3, Activation::Sigmoid)
        .dense(1, Activation::Sigmoid)
        .no_bias()
        .build()
        .unwrap();
    seeds.push((
        "seed-2-3-1-no-bias",
        plain.to_safetensors(&ModelInfo::default()).unwrap(),
    ));

    for (name, optimizer) in [
        ("seed-momentum-state", Optimizer::momentum(0.1)),
        ("seed-adam-state", Optimizer::adam(0.01)),
    ] {
        let builder = Network::builder(2)
            .dense(2, Activation::Tanh)
            .dense(2, Activation::Relu)
            .dense(1, Activation::Identity)
            .seed(1);
        let mut net = builder.config().build().unwrap();
        let mut state = TrainState::default();
        let h = Trainer::new(Loss::Mse, optimizer)
            .epochs(2)
            .batch_size(2)
            .fit_from(&mut net, &data, &mut state)
            .unwrap();
        let info = ModelInfo::new(builder.config(), &h)
            .with_scaler(data::Standard::fit(&data.x).unwrap().into())
            .with_state(state);
        seeds.push((name, net.to_safetensors(&info).unwrap()));
    }
    let builder = Network::builder(1).dense(2, Activation::Softmax);
    let softmax = builder.config().build().unwrap();
    let mut info = ModelInfo {
        run: Some(RunConfig {
            network: builder.config().clone(),
            training: TrainConfig {
                loss: Loss::SparseCategoricalCrossEntropy,
                ..TrainConfig::default()
            },
        }),
        ..ModelInfo::default()
    };
    info.extra.insert("note".into(), "seed".into());
    seeds.push(("seed-softmax", softmax.to_safetensors(&info).unwrap()));
    // A file of layout 1, which must keep loading (see io_layout1.rs).
    let layout1 = std::fs::read(
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/layout1-adam.safetensors"),
    )
    .unwrap();
    seeds.push(("seed-layout1-adam", layout1));
    seeds
}

#[test]
fn the_committed_load_model_seeds_are_valid_models() {
    let dir = corpus("load_model");
    if std::env::var_os("NN_WRITE_FUZZ_SEEDS").is_some() {
        std::fs::create_dir_all(&dir).unwrap();
        for (name, bytes) in seed_models() {
            std::fs::write(dir.join(name), bytes).unwrap();
        }
    }
    for (name, _) in seed_models() {
        let bytes = std::fs::read(dir.join(name)).unwrap();
        let loaded = Network::from_safetensors(&bytes);
        assert!(loaded.is_ok(), "{name}: {loaded:?}");
    }
}

/// train_arbitrary, first finding: resuming with the optimizer state of a
/// network of another shape panicked inside ndarray (shape mismatch in a
/// Zip). It is now refused by `Trainer::fit_from`.
#[test]
fn resuming_with_another_networks_state_is_an_error() {
    let data = data::study_sleep();
    let build = |hidden| {
        Network::builder(2)
            .dense(hidden, Activation::Tanh)
            .dense(1, Activation::Sigmoid)
            .build()
            .unwrap()
    };
    let mut trainer = Trainer::new(Loss::Mse, Optimizer::adam(0.01)).epochs(2);
    let mut state = TrainState::default();
    trainer.fit_from(&mut build(3), &data, &mut state).unwrap();
    let err = trainer
        .fit_from(&mut build(4), &data, &mut state)
        .unwrap_err()
        .to_string();
    assert!(err.contains("it belongs to another network"), "{err}");
    assert!(err.contains("OptimizerState::default()"), "{err}");
}

/// train_arbitrary, second finding (foreseen, then confirmed): a step whose finite gradient times a
/// huge learning rate overflowed left weights at ±∞, and `fit` returned Ok
/// (the next loss is not checked after the last step, and a saturated
/// sigmoid hides ∞ anyway). Such a network could not be saved. Now the step
/// is taken back and training stops with `Error::Diverged`.
#[test]
fn a_step_that_overflows_the_weights_is_taken_back() {
    // From zero weights ∂L/∂w = 2(ŷ − y)·f'(0)·x: −250 for sigmoid, −2000 for identity.
    let data = Dataset::new(array![[1000.0, 1000.0]], array![[1.0]]).unwrap();
    for activation in [Activation::Identity, Activation::Sigmoid] {
        let mut net = Network::builder(2)
            .dense(1, activation)
            .init(Init::Zeros)
            .build()
            .unwrap();
        let before = net.clone();
        let err = Trainer::new(Loss::Mse, Optimizer::gd(f64::MAX))
            .epochs(1)
            .fit(&mut net, &data)
            .unwrap_err();
        assert!(matches!(err, Error::Diverged { epoch: 1, .. }), "{err}");
        assert_eq!(net, before, "the weights of the last finite step are kept");
        assert!(net.to_safetensors(&ModelInfo::default()).is_ok());
    }
}

/// load_model, first finding (in the target's check, not in the crate): a
/// file whose optimizer moment holds NaN loads and saves back unchanged, but
/// `NaN != NaN`, so the round trip must be compared bit for bit.
#[test]
fn a_nan_moment_survives_a_round_trip_bit_for_bit() {
    let net = Network::builder(2)
        .dense(1, Activation::Identity)
        .build()
        .unwrap();
    let state = TrainState {
        epochs: 2,
        optimizer: OptimizerState::Momentum(MomentumState {
            velocity: vec![array![[f64::NAN], [-0.5]], array![[f64::from_bits(1)]]],
        }),
    };
    let bytes = net
        .to_safetensors(&ModelInfo::default().with_state(state.clone()))
        .unwrap();
    let (_, info) = Network::from_safetensors(&bytes).unwrap();
    let back = info.state.unwrap();
    let bits = |s: &TrainState| -> Vec<u64> {
        s.optimizer
            .matrices()
            .flat_map(|m| m.iter().map(|v| v.to_bits()))
            .collect()
    };
    assert_eq!(bits(&back), bits(&state));
    assert_eq!((back.epochs, back.optimizer.name()), (2, "momentum"));
}
