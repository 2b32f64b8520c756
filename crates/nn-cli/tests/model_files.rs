//! `nn train --save`/`--record` and the library write one format: each
//! reads the other's model files and run records.

mod common;

use common::{fails_with, file, nn_in, stdout_of};
use nn::io::{ModelInfo, RunRecord};
use nn::prelude::*;

/// The prediction column of `nn predict --exact`'s CSV output.
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
    assert_eq!(info.extra["cli.data"], r#""study-sleep""#);

    // The default data is the library's table (already max-scaled, so the
    // command's own max scaling leaves it as it is).
    let data = data::study_sleep();
    let library: Vec<f64> = net.predict(&data.x).unwrap().iter().copied().collect();
    let mut predict = nn_in(dir.path(), "predict m.safetensors --exact");
    for row in data.x.rows() {
        predict.arg("--input").arg(format!("{},{}", row[0], row[1]));
    }
    let out = stdout_of(&mut predict);
    let bits = |v: &[f64]| v.iter().map(|v| v.to_bits()).collect::<Vec<_>>();
    assert_eq!(bits(&predictions(&out)), bits(&library), "{out}");
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
        "predict lib.safetensors --input 3,-4 --exact",
    ));
    let want = net.predict(&array![[3.0, -4.0]]).unwrap()[[0, 0]];
    assert_eq!(out.lines().next(), Some("x1,x2,y1"));
    assert_eq!(predictions(&out)[0].to_bits(), want.to_bits(), "{out}");
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
        "partial.safetensors: its metadata has no `cli.targets`; save the model again with `nn train --save FILE`",
    );

    info.extra.insert("cli.targets".into(), r#"["y"]"#.into());
    info.extra.insert(
        "cli.scaler".into(),
        r#"{"kind":"max","shift":[0,0],"scale":[1,0]}"#.into(),
    );
    net.save(dir.path().join("zero.safetensors"), &info)
        .unwrap();
    fails_with(
        &mut nn_in(dir.path(), "predict zero.safetensors --input 1,2"),
        "zero.safetensors: its note `cli.scaler` holds a scale of 0",
    );
}

/// A run of a few epochs, as library code would train it.
fn library_history() -> nn::train::History {
    let mut net = Network::builder(2)
        .dense(2, Activation::Sigmoid)
        .dense(1, Activation::Sigmoid)
        .seed(4)
        .build()
        .unwrap();
    Trainer::new(Loss::Mse, Optimizer::gd(0.5))
        .epochs(6)
        .fit(&mut net, &data::study_sleep())
        .unwrap()
}

#[test]
fn compare_reads_a_record_the_library_saved() {
    let dir = tempfile::tempdir().unwrap();
    let record = RunRecord::from_history(&library_history()).with_seed(4);
    record.save(dir.path().join("lib.json")).unwrap();
    stdout_of(&mut nn_in(
        dir.path(),
        "train --epochs 6 -q --record cli.json",
    ));

    let out = stdout_of(&mut nn_in(dir.path(), "compare lib.json cli.json"));
    let lines: Vec<&str> = out.lines().collect();
    // No notes beside the library's record: no data or network to show.
    let cells: Vec<&str> = lines[1]
        .split("  ")
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .collect();
    assert_eq!(
        cells[..7],
        ["lib.json", "-", "-", "mse", "gd η=0.5, batch 3", "6", "4"],
        "{out}"
    );
    let final_loss: f64 = cells[7].parse().unwrap();
    assert!((final_loss - record.final_loss).abs() < 5e-7, "{out}");
    assert!(
        lines[2].starts_with("cli.json") && lines[2].contains("study-sleep  2-3-1"),
        "{out}"
    );
}

#[test]
fn notes_that_are_damaged_or_of_another_run_are_named() {
    let dir = tempfile::tempdir().unwrap();
    RunRecord::from_history(&library_history())
        .with_seed(4)
        .save(dir.path().join("lib.json"))
        .unwrap();
    stdout_of(&mut nn_in(
        dir.path(),
        "train --epochs 5 -q --record cli.json",
    ));

    // Notes left beside a record they do not belong to.
    std::fs::copy(
        dir.path().join("cli.cli.json"),
        dir.path().join("lib.cli.json"),
    )
    .unwrap();
    fails_with(
        &mut nn_in(dir.path(), "compare lib.json"),
        "lib.cli.json: these notes belong to another run than lib.json",
    );
    file(
        dir.path(),
        "lib.cli.json",
        r#"{"format": "nn train notes"}"#,
    );
    fails_with(
        &mut nn_in(dir.path(), "compare lib.json"),
        "lib.cli.json: damaged notes (missing field",
    );
    file(dir.path(), "lib.cli.json", r#"{"a": 1}"#);
    fails_with(
        &mut nn_in(dir.path(), "compare lib.json"),
        "lib.cli.json: not the notes of an nn run record; remove them",
    );
}
