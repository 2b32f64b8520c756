//! `nn train --save`/`--record` and the library write one format: each
//! reads the other's model files and run records. Model files the command
//! saved before the run was one `RunConfig` (layout 1, in tests/data/layout1)
//! still predict what they predicted.

mod common;

use common::{fails_with, nn_in, stdout_of};
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
    let run = info.run.expect("the command saves the whole run");
    assert_eq!(
        (run.training.loss, info.epochs, run.network.seed),
        (Loss::Mse, Some(300), 5)
    );
    assert_eq!(run.training.optimizer, Optimizer::gd(1.5));
    assert_eq!(info.scaler, None, "the table is already scaled");
    assert_eq!(info.extra["cli.features"], r#"["study","sleep"]"#);
    assert_eq!(info.extra["cli.data"], r#""study-sleep""#);
    // The run in the file trains the same network again.
    assert_eq!(run.train(&data::study_sleep()).unwrap().0, net);

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
    info.extra.insert("cli.features".into(), "[broken".into());
    info.extra.insert("cli.targets".into(), r#"["y"]"#.into());
    net.save(dir.path().join("bad.safetensors"), &info).unwrap();
    fails_with(
        &mut nn_in(dir.path(), "predict bad.safetensors --input 1,2"),
        "bad.safetensors: its note `cli.features` is damaged; save the model again with `nn train --save FILE`",
    );

    info.extra
        .insert("cli.features".into(), r#"["a","b"]"#.into());
    info.extra.remove("cli.targets");
    net.save(dir.path().join("partial.safetensors"), &info)
        .unwrap();
    fails_with(
        &mut nn_in(dir.path(), "predict partial.safetensors --input 1,2"),
        "partial.safetensors: its metadata has no `cli.targets`; save the model again with `nn train --save FILE`",
    );
}

#[test]
fn a_scaler_the_library_saved_scales_the_inputs() {
    let dir = tempfile::tempdir().unwrap();
    let net = Network::builder(2)
        .dense(1, Activation::Identity)
        .seed(3)
        .build()
        .unwrap();
    let scaler =
        data::Scaler::from(data::Standard::fit(&array![[0.0, 10.0], [4.0, 30.0]]).unwrap());
    let info = ModelInfo::default().with_scaler(scaler.clone());
    net.save(dir.path().join("s.safetensors"), &info).unwrap();
    let out = stdout_of(&mut nn_in(
        dir.path(),
        "predict s.safetensors --input 1,25 --exact",
    ));
    let want = net
        .predict(&scaler.transform(&array![[1.0, 25.0]]).unwrap())
        .unwrap()[[0, 0]];
    assert_eq!(predictions(&out)[0].to_bits(), want.to_bits(), "{out}");
}

#[test]
fn models_of_the_earlier_layout_predict_what_they_predicted() {
    // Saved and predicted (`nn predict --exact`) by the command at layout 1:
    // standard, min-max and max scaling, a regression and a classifier.
    let data = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/layout1");
    let expected = |name: &str| std::fs::read_to_string(data.join(name)).unwrap();
    for (model, args) in [
        ("standard", "--csv scores.csv"),
        ("minmax", "--csv odd.csv"),
        ("blobs", "--input 3,0 --input -1.5,2 --input 0,0"),
    ] {
        let out = stdout_of(&mut nn_in(
            &data,
            &format!("predict {model}.safetensors {args} --exact"),
        ));
        assert_eq!(
            out,
            expected(&format!("{model}.predictions.csv")),
            "{model}"
        );
    }
    // What the old files knew comes back as the run of today.
    let (_, info) = Network::load(data.join("standard.safetensors")).unwrap();
    let run = info.run.unwrap();
    assert_eq!(run.training.optimizer, Optimizer::adam(0.05));
    assert_eq!((run.training.epochs, run.network.seed), (200, 3));
    assert_eq!(info.scaler.unwrap().name(), "standard");
    assert_eq!(info.extra["cli.targets"], r#"["score"]"#);
    assert!(
        !info.extra.contains_key("cli.scaler"),
        "it is the scaler now"
    );
}

#[test]
fn predict_names_the_first_of_tied_classes_as_accuracy_does() {
    // Zero weights: every class gets probability 1/3 for every row.
    let dir = tempfile::tempdir().unwrap();
    let builder = Network::builder(2)
        .dense(3, Activation::Softmax)
        .init(Init::Zeros);
    let net = builder.config().build().unwrap();
    let run = RunConfig {
        network: builder.config().clone(),
        training: TrainConfig {
            loss: Loss::SparseCategoricalCrossEntropy,
            ..TrainConfig::default()
        },
    };
    let info = ModelInfo {
        run: Some(run),
        ..ModelInfo::default()
    };
    net.save(dir.path().join("tie.safetensors"), &info).unwrap();
    let out = stdout_of(&mut nn_in(
        dir.path(),
        "predict tie.safetensors --input 1,2",
    ));
    assert_eq!(
        out,
        "x1,x2,p0,p1,p2,class\n1,2,0.333333,0.333333,0.333333,0\n"
    );
    assert_eq!(
        data::predicted_classes(&net.predict(&array![[1.0, 2.0]]).unwrap()),
        [0]
    );
}

/// The record of a run of a few epochs, as library code would train it.
fn library_record() -> RunRecord {
    let builder = Network::builder(2)
        .dense(2, Activation::Sigmoid)
        .dense(1, Activation::Sigmoid)
        .seed(4);
    let mut net = builder.config().build().unwrap();
    let history = Trainer::new(Loss::Mse, Optimizer::gd(0.5))
        .epochs(6)
        .fit(&mut net, &data::study_sleep())
        .unwrap();
    RunRecord::new(builder.config(), &history)
}

#[test]
fn compare_reads_a_record_the_library_saved() {
    let dir = tempfile::tempdir().unwrap();
    let record = library_record();
    record.save(dir.path().join("lib.json")).unwrap();
    stdout_of(&mut nn_in(
        dir.path(),
        "train --epochs 6 -q --record cli.json",
    ));

    let out = stdout_of(&mut nn_in(dir.path(), "compare lib.json cli.json"));
    let lines: Vec<&str> = out.lines().collect();
    // The library's record has the whole run but no note of the data; its
    // weights' seed (4) is not its training's (42).
    let cells: Vec<&str> = lines[1]
        .split("  ")
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .collect();
    assert_eq!(
        cells[..7],
        [
            "lib.json",
            "-",
            "2-2-1",
            "mse",
            "gd η=0.5, full batch",
            "6",
            "4/42"
        ],
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
fn a_record_of_the_earlier_layout_is_refused_with_what_to_do() {
    // Written by `nn train --record` at layout 1 (its notes beside it in
    // record.cli.json, which is no longer read).
    let data = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/layout1");
    fails_with(
        &mut nn_in(&data, "compare record.json"),
        "record.json: this run record has the earlier layout (`hyperparameters`, no `run`), \
         which does not say how the network was built, so it cannot be read as a whole run; \
         train and record the run again",
    );
}
