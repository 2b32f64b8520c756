//! Model files: what is saved comes back bit for bit, training resumes
//! exactly, and a failed save never damages the file that was there.

use std::path::PathBuf;

use nn::io::ModelInfo;
use nn::optimizer::{AdamState, OptimizerState};
use nn::prelude::*;

/// A fresh folder for one test's files.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("nn-io-model-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Eight rows, so that batches of 3 leave a last batch of 2.
fn eight_rows() -> Dataset {
    let x = Array2::from_shape_fn((8, 2), |(r, c)| ((r * 3 + c * 5) % 7) as f64 / 7.0);
    let y = Array2::from_shape_fn((8, 1), |(r, _)| (r % 2) as f64);
    Dataset::new(x, y).unwrap()
}

/// The network of these tests, described.
fn config(seed: u64) -> NetworkConfig {
    Network::builder(2)
        .dense(4, Activation::Tanh)
        .dense(3, Activation::Relu)
        .dense(1, Activation::Sigmoid)
        .seed(seed)
        .config()
        .clone()
}

fn net(seed: u64) -> Network {
    config(seed).build().unwrap()
}

fn trainer(epochs: usize) -> Trainer<'static> {
    Trainer::new(Loss::BinaryCrossEntropy, Optimizer::adam(0.05))
        .epochs(epochs)
        .batch_size(3)
        .shuffle(true)
        .seed(11)
}

#[test]
fn predictions_of_a_loaded_model_equal_the_saved_ones_bit_for_bit() {
    let dir = scratch("predict");
    let data = eight_rows();
    let mut original = net(3);
    trainer(30).fit(&mut original, &data).unwrap();
    let path = dir.join("model.safetensors");
    original.save(&path, &ModelInfo::default()).unwrap();
    let (loaded, _) = Network::load(&path).unwrap();
    assert_eq!(loaded, original);
    let (want, got) = (
        original.predict(&data.x).unwrap(),
        loaded.predict(&data.x).unwrap(),
    );
    for (w, g) in want.iter().zip(&got) {
        assert_eq!(w.to_bits(), g.to_bits());
    }
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn every_activation_and_layers_without_bias_round_trip() {
    for (i, activation) in Activation::ALL.into_iter().enumerate() {
        for bias in [true, false] {
            let mut b = Network::builder(3)
                .dense(2 + i, activation)
                .dense(2, Activation::Softmax)
                .seed(i as u64);
            if !bias {
                b = b.no_bias();
            }
            let net = b.build().unwrap();
            let bytes = net.to_safetensors(&ModelInfo::default()).unwrap();
            let (back, info) = Network::from_safetensors(&bytes).unwrap();
            assert_eq!(back, net, "{activation}, bias {bias}");
            assert_eq!(info, ModelInfo::default());
        }
    }
}

#[test]
fn the_metadata_reads_back_whole() {
    let mut net = net(5);
    let history = trainer(4).fit(&mut net, &eight_rows()).unwrap();
    let mut info = ModelInfo::new(&config(5), &history)
        .with_scaler(data::Standard::fit(&eight_rows().x).unwrap().into());
    info.extra.insert("author".into(), "김민준".into());
    info.extra
        .insert("notes".into(), "a, b = 1; \"quoted\"\n".into());
    for optimizer in [
        Optimizer::gd(0.1),
        Optimizer::momentum(1e-3),
        Optimizer::Adam {
            learning_rate: 0.1 + 0.2,
            beta1: 0.5,
            beta2: 0.999_999,
            epsilon: 1e-300,
        },
    ] {
        info.run.as_mut().unwrap().training.optimizer = optimizer;
        let (_, back) = Network::from_safetensors(&net.to_safetensors(&info).unwrap()).unwrap();
        assert_eq!(back, info);
    }
    let run = info.run.as_ref().unwrap();
    assert_eq!(info.epochs, Some(4));
    assert_eq!(run.training.loss, Loss::BinaryCrossEntropy);
    assert_eq!(run.training.batch_size, BatchSize::Rows(3));
    assert_eq!(run.network, config(5));
}

#[test]
fn training_resumed_from_a_file_ends_bit_identical_to_training_straight_through() {
    let dir = scratch("resume");
    let data = eight_rows();

    let mut straight = net(8);
    trainer(20).fit(&mut straight, &data).unwrap();

    let mut first_half = net(8);
    let mut state = TrainState::default();
    let history = trainer(10)
        .fit_from(&mut first_half, &data, &mut state)
        .unwrap();
    let path = dir.join("checkpoint.safetensors");
    let info = ModelInfo::new(&config(8), &history).with_state(state.clone());
    first_half.save(&path, &info).unwrap();
    drop(first_half);

    let (mut resumed, info) = Network::load(&path).unwrap();
    let mut state = info.state.expect("the state was saved");
    assert_eq!(state.epochs, 10);
    let OptimizerState::Adam(adam) = &state.optimizer else {
        panic!("Adam's memory was saved, got {:?}", state.optimizer)
    };
    assert_eq!(adam.t, 30); // 3 batches × 10 epochs
    assert_eq!((adam.m.len(), adam.v.len()), (6, 6)); // W and b of three layers
    let rest = trainer(10)
        .fit_from(&mut resumed, &data, &mut state)
        .unwrap();
    assert_eq!(rest.epochs[0].epoch, 11);

    for (a, b) in resumed.layers.iter().zip(&straight.layers) {
        for (x, y) in a.weights.iter().zip(&b.weights) {
            assert_eq!(x.to_bits(), y.to_bits());
        }
        for (x, y) in a.bias.iter().flatten().zip(b.bias.iter().flatten()) {
            assert_eq!(x.to_bits(), y.to_bits());
        }
    }
    assert_eq!(resumed, straight);
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn momentum_state_has_a_first_moment_only() {
    let mut n = net(2);
    let mut state = TrainState::default();
    Trainer::new(Loss::Mse, Optimizer::momentum(0.1))
        .epochs(3)
        .fit_from(&mut n, &eight_rows(), &mut state)
        .unwrap();
    let info = ModelInfo::default().with_state(state.clone());
    let (_, back) = Network::from_safetensors(&n.to_safetensors(&info).unwrap()).unwrap();
    assert_eq!(back.state, Some(state));
    assert_eq!(back.state.unwrap().optimizer.moments().1.len(), 0);
}

#[test]
fn a_failed_save_leaves_the_good_file_intact() {
    let dir = scratch("atomic");
    let path = dir.join("model.safetensors");
    let good = net(1);
    good.save(&path, &ModelInfo::default()).unwrap();
    let before = std::fs::read(&path).unwrap();

    // A network that diverged to NaN cannot be saved...
    let mut broken = net(2);
    broken.layers[1].weights[[0, 0]] = f64::NAN;
    let err = broken.save(&path, &ModelInfo::default()).unwrap_err();
    assert!(err.to_string().contains("cannot be saved"), "{err}");
    // ...nor one whose optimizer state belongs to another network...
    let state = TrainState {
        epochs: 1,
        optimizer: OptimizerState::from_moments(
            "adam",
            1,
            vec![Array2::zeros((5, 5))],
            vec![Array2::zeros((5, 5))],
        )
        .unwrap(),
    };
    let err = net(2)
        .save(&path, &ModelInfo::default().with_state(state))
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("1 first moment for 6 parameter matrices"),
        "{err}"
    );
    // ...nor with hyperparameters that would not load back...
    let mut run = RunConfig {
        network: config(2),
        ..RunConfig::default()
    };
    run.training.optimizer = Optimizer::gd(f64::NAN);
    let info = ModelInfo {
        run: Some(run),
        ..ModelInfo::default()
    };
    let err = net(2).save(&path, &info).unwrap_err().to_string();
    assert_eq!(
        err,
        "invalid learning rate = NaN: it must be a finite number > 0"
    );
    // ...nor with a run description of another network...
    let info = ModelInfo {
        run: Some(RunConfig::default()),
        ..ModelInfo::default()
    };
    let err = net(2).save(&path, &info).unwrap_err().to_string();
    assert_eq!(
        err,
        "invalid network: ModelInfo does not fit it: the run description is of the network \
         2 → 3 (sigmoid) → 1 (sigmoid), with bias, but the network is 2 → 4 (tanh) → 3 (relu) → \
         1 (sigmoid), with bias; give the RunConfig that built this network"
    );
    // ...nor with a scaler of other inputs.
    let three = data::MinMax::fit(&Array2::zeros((2, 3))).unwrap();
    let err = net(2)
        .save(&path, &ModelInfo::default().with_scaler(three.into()))
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("the scaler was fitted on 3 columns, but the network takes 2 inputs"),
        "{err}"
    );
    // A folder in the way of the rename makes the write itself fail.
    let blocked = dir.join("blocked.safetensors");
    std::fs::create_dir(&blocked).unwrap();
    let err = good.save(&blocked, &ModelInfo::default()).unwrap_err();
    assert!(err.to_string().contains("this is a folder"), "{err}");

    assert_eq!(std::fs::read(&path).unwrap(), before);
    assert_eq!(Network::load(&path).unwrap().0, good);
    let leftovers: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn saving_replaces_an_existing_file_whole() {
    let dir = scratch("replace");
    let path = dir.join("model.safetensors");
    net(1).save(&path, &ModelInfo::default()).unwrap();
    let bigger = Network::builder(2)
        .dense(30, Activation::Relu)
        .dense(1, Activation::Identity)
        .build()
        .unwrap();
    bigger.save(&path, &ModelInfo::default()).unwrap();
    assert_eq!(Network::load(&path).unwrap().0, bigger);
    net(1).save(&path, &ModelInfo::default()).unwrap(); // and smaller again
    assert_eq!(Network::load(&path).unwrap().0, net(1));
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn notes_under_reserved_prefixes_are_refused() {
    let mut info = ModelInfo::default();
    info.extra.insert("run.comment".into(), "x".into());
    let err = net(1).to_safetensors(&info).unwrap_err();
    assert!(
        err.to_string()
            .contains("rename it, for example to \"my.run.comment\""),
        "{err}"
    );
}

#[test]
fn the_file_layout_is_the_documented_one() {
    let net = Network::builder(2)
        .dense(3, Activation::Sigmoid)
        .dense(1, Activation::Sigmoid)
        .no_bias()
        .build()
        .unwrap();
    let run = RunConfig {
        network: NetworkConfig {
            bias: false,
            ..NetworkConfig::default()
        },
        training: TrainConfig {
            optimizer: Optimizer::adam(0.05),
            batch_size: BatchSize::Rows(3),
            epochs: 10,
            ..TrainConfig::default()
        },
    };
    let info = ModelInfo {
        run: Some(run),
        epochs: Some(10),
        scaler: Some(data::Scaler::from(
            data::Standard::fit(&array![[1.0, 0.5], [4.0, 0.5]]).unwrap(),
        )),
        ..ModelInfo::default()
    };
    let bytes = net.to_safetensors(&info).unwrap();
    let file = safetensors::SafeTensors::deserialize(&bytes).unwrap();
    let mut names = file.names();
    names.sort();
    assert_eq!(names, ["layers.0.weight", "layers.1.weight"]);
    let w = file.tensor("layers.0.weight").unwrap();
    assert_eq!(
        (w.dtype(), w.shape()),
        (safetensors::Dtype::F64, &[2, 3][..])
    );
    assert_eq!(
        w.data()[..8],
        net.layers[0].weights[[0, 0]].to_le_bytes(),
        "row-major, little-endian"
    );
    let (_, header) = safetensors::SafeTensors::read_metadata(&bytes).unwrap();
    let meta: std::collections::BTreeMap<_, _> =
        header.metadata().clone().unwrap().into_iter().collect();
    let expected: std::collections::BTreeMap<String, String> = [
        ("nn.format", "2"),
        ("architecture.sizes", "2,3,1"),
        ("architecture.activations", "sigmoid,sigmoid"),
        ("architecture.bias", "false,false"),
        (
            "run.config",
            concat!(
                r#"{"network":{"inputs":2,"layers":[{"units":3,"activation":"sigmoid"},"#,
                r#"{"units":1,"activation":"sigmoid"}],"bias":false,"init":"xavier_uniform","#,
                r#""seed":42,"skip_normals":0},"training":{"loss":"mse","optimizer":"#,
                r#"{"name":"adam","learning_rate":0.05,"beta1":0.9,"beta2":0.999,"#,
                r#""epsilon":1e-8},"epochs":10,"batch_size":{"rows":3},"shuffle":true,"#,
                r#""seed":42,"validation_split":null,"early_stopping":null}}"#
            ),
        ),
        ("run.epochs", "10"),
        (
            "run.scaler",
            r#"{"kind":"standard","mean":[2.5,0.5],"std":[1.5,0.0]}"#,
        ),
    ]
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .into();
    assert_eq!(meta, expected);
}

#[test]
fn an_optimizer_state_at_infinity_is_kept_as_it_is() {
    // Adam's running mean of squared gradients overflows to +∞ for gradients
    // beyond 1e154; the run goes on (those steps are 0), and so must a resume.
    let n = net(1);
    let m: Vec<Array2<f64>> = n.parameters().cloned().collect();
    let v = m.iter().map(|m| m.mapv(|_| f64::INFINITY)).collect();
    let state = TrainState {
        epochs: 1,
        optimizer: OptimizerState::Adam(AdamState { t: 5, m, v }),
    };
    let info = ModelInfo::default().with_state(state.clone());
    let (_, back) = Network::from_safetensors(&n.to_safetensors(&info).unwrap()).unwrap();
    assert_eq!(back.state, Some(state));
}

#[test]
fn a_model_that_would_not_load_back_is_not_saved() {
    let mut info = ModelInfo::default();
    info.extra.insert("notes".into(), "x".repeat(17 << 20));
    let err = net(1).to_safetensors(&info).unwrap_err().to_string();
    assert!(
        err.contains("could not be loaded back, so it is not saved"),
        "{err}"
    );
    assert!(err.contains("more than the 16777216"), "{err}");
}
