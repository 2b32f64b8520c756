//! `nn train --save` and the library write one format: each reads the other.

mod common;

use common::{fails_with, nn_in, stdout_of};
use nn::io::ModelInfo;
use nn::prelude::*;

/// The prediction column of `nn predict`'s CSV output.
fn predictions(csv: &str) -> Vec<f64> {
    csv.lines()
        .skip(1)
        .map(|line| line.rsplit(',').next().unwrap().parse().unwrap())
        .collect()
}

#[test]
fn a_model_the_command_saved_loads_in_the_library_with_the_same_predictions() {
    let dir = tempfile::tempdir().unwrap();
    stdout_of(&mut nn_in(
        dir.path(),
        "train --epochs 300 --seed 5 -q --save m.safetensors",
    ));
    let (net, info) = Network::load(dir.path().join("m.safetensors")).unwrap();
    assert_eq!(
        net.to_string(),
        "2 → 3 (sigmoid) → 1 (sigmoid), 13 parameters"
    );
    assert_eq!(
        (info.loss, info.epochs, info.seed),
        (Some(Loss::Mse), Some(300), Some(5))
    );
    assert_eq!(info.extra["cli.features"], r#"["study","sleep"]"#);

    // The default data is the library's table (already max-scaled, so the
    // command's own max scaling leaves it as it is).
    let data = data::study_sleep();
    let library: Vec<f64> = net.predict(&data.x).unwrap().iter().copied().collect();
    let mut predict = nn_in(dir.path(), "predict m.safetensors");
    for row in data.x.rows() {
        predict.arg("--input").arg(format!("{},{}", row[0], row[1]));
    }
    let out = stdout_of(&mut predict);
    for (command, library) in predictions(&out).iter().zip(&library) {
        // The command prints six decimals.
        assert!((command - library).abs() < 5e-7, "{command} vs {library}");
    }
}

#[test]
fn a_model_the_library_saved_predicts_on_raw_inputs() {
    let dir = tempfile::tempdir().unwrap();
    let net = Network::builder(2)
        .dense(1, Activation::Identity)
        .seed(1)
        .build()
        .unwrap();
    let path = dir.path().join("lib.safetensors");
    net.save(&path, &ModelInfo::default()).unwrap();

    let out = stdout_of(&mut nn_in(
        dir.path(),
        "predict lib.safetensors --input 3,-4",
    ));
    let want = net.predict(&array![[3.0, -4.0]]).unwrap()[[0, 0]];
    assert_eq!(out.lines().next(), Some("x1,x2,y1"));
    assert!(
        (predictions(&out)[0] - want).abs() < 5e-7,
        "{out} vs {want}"
    );
}

#[test]
fn a_damaged_note_is_named_with_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    let net = Network::builder(2)
        .dense(1, Activation::Sigmoid)
        .build()
        .unwrap();
    let mut info = ModelInfo::default();
    info.extra
        .insert("cli.features".into(), r#"["a","b"]"#.into());
    info.extra.insert("cli.targets".into(), r#"["y"]"#.into());
    info.extra.insert("cli.scaler".into(), "{broken".into());
    net.save(dir.path().join("bad.safetensors"), &info).unwrap();
    fails_with(
        &mut nn_in(dir.path(), "predict bad.safetensors --input 1,2"),
        "bad.safetensors: its note `cli.scaler` is damaged; save the model again with `nn train --save FILE`",
    );

    info.extra.remove("cli.targets");
    net.save(dir.path().join("partial.safetensors"), &info)
        .unwrap();
    fails_with(
        &mut nn_in(dir.path(), "predict partial.safetensors --input 1,2"),
        "partial.safetensors: its metadata has no `cli.targets`",
    );
}
