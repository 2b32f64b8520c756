//! Run records: JSON that reads back whole, and that is byte-identical for
//! two runs with the same seed.

use nn::io::{ModelInfo, RunRecord};
use nn::prelude::*;

/// Trains a fresh network with everything derived from `seed`; returns the
/// network and its record.
fn run(seed: u64) -> (Network, RunRecord) {
    let x = Array2::from_shape_fn((12, 2), |(r, c)| ((r * 5 + c * 3) % 7) as f64 / 7.0);
    let y = Array2::from_shape_fn((12, 1), |(r, _)| (r % 3 == 0) as u8 as f64);
    let data = Dataset::new(x, y).unwrap();
    let builder = Network::builder(2)
        .dense(5, Activation::Tanh)
        .dense(1, Activation::Sigmoid)
        .seed(seed);
    let mut net = builder.config().build().unwrap();
    let history = Trainer::new(Loss::BinaryCrossEntropy, Optimizer::adam(0.02))
        .epochs(15)
        .batch_size(4)
        .validation_split(0.25)
        .seed(seed)
        .fit(&mut net, &data)
        .unwrap();
    let mut record = RunRecord::new(builder.config(), &history);
    record.extra.insert("data".into(), "twelve rows".into());
    (net, record)
}

#[test]
fn a_record_round_trips_through_json_and_disk() {
    let (net, record) = run(3);
    assert_eq!(record.epochs.len(), 15);
    assert!(record
        .epochs
        .iter()
        .all(|e| e.val_loss.is_some() && e.accuracy.is_some()));
    assert_eq!(record.final_loss, record.epochs[14].loss);
    assert_eq!(record.run.training.batch_size, BatchSize::Rows(4));
    assert_eq!(record.run.training.validation_split, Some(0.25));
    assert_eq!(record.run.network.layers[0].units, 5);
    assert_eq!(record.crate_version, env!("CARGO_PKG_VERSION"));
    assert_eq!(
        RunRecord::from_json(&record.to_json().unwrap()).unwrap(),
        record
    );

    let dir = std::env::temp_dir().join(format!("nn-io-record-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let model = dir.join("model.safetensors");
    net.save(&model, &ModelInfo::default()).unwrap();
    let path = RunRecord::path_beside(&model);
    assert_eq!(path, dir.join("model.run.json"));
    record.save(&path).unwrap();
    assert_eq!(RunRecord::load(&path).unwrap(), record);
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn two_runs_with_one_seed_give_identical_json() {
    let (net_a, a) = run(21);
    let (net_b, b) = run(21);
    assert_eq!(a.to_json().unwrap(), b.to_json().unwrap());
    assert_eq!(net_a, net_b);
    let (_, c) = run(22);
    assert_ne!(a.to_json().unwrap(), c.to_json().unwrap());
}

#[test]
fn the_json_is_the_documented_one() {
    let (_, record) = run(1);
    let value: serde_json::Value = serde_json::from_str(&record.to_json().unwrap()).unwrap();
    let t = &value["run"]["training"];
    assert_eq!(t["loss"], "binary_crossentropy");
    assert_eq!(t["optimizer"]["name"], "adam");
    assert_eq!(t["optimizer"]["learning_rate"], 0.02);
    assert_eq!(t["optimizer"]["epsilon"], 1e-8);
    assert_eq!(t["seed"], 1);
    assert_eq!(t["batch_size"]["rows"], 4);
    assert!(
        t["optimizer"].get("momentum").is_none(),
        "adam has no momentum"
    );
    let n = &value["run"]["network"];
    assert_eq!(
        (n["inputs"].as_u64(), n["seed"].as_u64()),
        (Some(2), Some(1))
    );
    assert_eq!(n["layers"][1]["activation"], "sigmoid");
    assert_eq!(n["init"], "xavier_uniform");
    assert_eq!(value["epochs"][0]["epoch"], 1);
    assert!(value["epochs"][0]["val_accuracy"].is_f64());
    assert_eq!(value["extra"]["data"], "twelve rows");
}

#[test]
fn a_record_is_enough_to_train_the_network_again() {
    let (net, record) = run(5);
    let x = Array2::from_shape_fn((12, 2), |(r, c)| ((r * 5 + c * 3) % 7) as f64 / 7.0);
    let y = Array2::from_shape_fn((12, 1), |(r, _)| (r % 3 == 0) as u8 as f64);
    let (again, history) = record.run.train(&Dataset::new(x, y).unwrap()).unwrap();
    assert_eq!(again, net);
    assert_eq!(history.final_loss().to_bits(), record.final_loss.to_bits());
}

#[test]
fn a_record_of_the_earlier_layout_is_refused_with_what_to_do() {
    // As `nn train --record` wrote it before the run was one RunConfig.
    let old = r#"{"crate_version": "0.1.0", "hyperparameters": {"loss": "mse", "optimizer": "gd",
        "learning_rate": 1.5, "batch_size": 3, "seed": 42}, "epochs": [], "final_loss": 0.1}"#;
    let err = RunRecord::from_json(old).unwrap_err().to_string();
    assert!(
        err.contains("earlier layout (`hyperparameters`, no `run`)")
            && err.contains("train and record the run again"),
        "{err}"
    );
}

#[test]
fn bad_records_are_refused_with_a_message() {
    let (_, record) = run(1);
    let json = record.to_json().unwrap();
    let renamed = json.replace("\"final_loss\"", "\"last_loss\"");
    let err = RunRecord::from_json(&renamed).unwrap_err().to_string();
    assert!(err.contains("unknown field `last_loss`"), "{err}");
    let err = RunRecord::from_json(&json[..json.len() / 2])
        .unwrap_err()
        .to_string();
    assert!(err.contains("this is not a run record (EOF"), "{err}");

    let mut bad = record.clone();
    bad.run.training.epochs = 0;
    let err = RunRecord::from_json(&serde_json::to_string(&bad).unwrap())
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("a setting out of range (invalid epochs = 0"),
        "{err}"
    );

    let mut diverged = record.clone();
    diverged.epochs[3].val_loss = Some(f64::INFINITY);
    let err = diverged.to_json().unwrap_err().to_string();
    assert!(
        err.contains("epoch 4's val_loss is inf, which JSON cannot hold"),
        "{err}"
    );

    let path = std::env::temp_dir().join(format!("nn-bad-record-{}.run.json", std::process::id()));
    std::fs::write(&path, b"[1, 2]").unwrap();
    let err = RunRecord::load(&path).unwrap_err().to_string();
    assert!(err.starts_with(&path.display().to_string()), "{err}");
    assert!(
        err.contains("give a .run.json file written by RunRecord::save"),
        "{err}"
    );
    std::fs::remove_file(&path).unwrap();
}
