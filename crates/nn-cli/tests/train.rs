//! `nn train` end to end: datasets, settings from flags and files, progress,
//! the summary, and the files it writes.

mod common;

use common::{fails_with, file, nn_in, stdout_of, svg_curves, SCORES};
use predicates::prelude::*;

#[test]
fn trains_the_original_table_by_default() {
    let dir = tempfile::tempdir().unwrap();
    let out = stdout_of(&mut nn_in(dir.path(), "train --epochs 300 --quiet"));
    assert!(
        out.contains("data      study-sleep: 3 rows, 2 inputs → score"),
        "{out}"
    );
    assert!(
        out.contains("network   2 → 3 (sigmoid) → 1 (sigmoid), 13 parameters"),
        "{out}"
    );
    assert!(
        out.contains("training  gd η=1.5, full batch, 300 epochs, mse loss"),
        "{out}"
    );
    assert!(out.contains("final     loss 0.0"), "{out}");
    assert!(out.contains("time      "), "{out}");
    assert!(
        !out.contains("accuracy"),
        "regression has no accuracy: {out}"
    );
}

#[test]
fn every_built_in_dataset_trains_and_classifiers_report_accuracy() {
    let dir = tempfile::tempdir().unwrap();
    for (dataset, classes) in [
        ("xor", "2 classes"),
        ("moons", "2 classes"),
        ("circles", "2 classes"),
        ("spirals", "3 classes"),
        ("blobs", "3 classes"),
    ] {
        let out = stdout_of(&mut nn_in(
            dir.path(),
            &format!("train --dataset {dataset} --samples 30 --hidden 4 --epochs 5 -q"),
        ));
        assert!(out.contains(classes), "{dataset}: {out}");
        assert!(out.contains("accuracy"), "{dataset}: {out}");
    }
}

#[test]
fn the_per_epoch_loop_ends_where_one_long_fit_does() {
    use nn::prelude::*;
    let dir = tempfile::tempdir().unwrap();
    let args = "train --dataset moons --samples 40 --hidden 5 --optimizer adam --lr 0.02 \
                --batch-size 8 --epochs 30 --seed 9 -q --record run.json";
    stdout_of(&mut nn_in(dir.path(), args));
    // The record is the library's: RunRecord::load reads it.
    let record = nn::io::RunRecord::load(dir.path().join("run.json")).unwrap();

    let data = data::moons(40, 0.2, 9).unwrap();
    let builder = Network::builder(2)
        .dense(5, Activation::Tanh)
        .dense(1, Activation::Sigmoid)
        .seed(9);
    let mut net = builder.config().build().unwrap();
    let history = Trainer::new(Loss::BinaryCrossEntropy, Optimizer::adam(0.02))
        .epochs(30)
        .batch_size(8)
        .seed(9)
        .fit(&mut net, &data)
        .unwrap();
    let mut library = nn::io::RunRecord::new(builder.config(), &history);
    library.extra = record.extra.clone();
    assert_eq!(record, library);
    assert_eq!(record.extra["data"], "moons");
    assert_eq!(
        record.extra["data_flags"],
        "--dataset moons --samples 40 --data-seed 9 --scale none"
    );
    // And the record trains the same network again, given the same rows.
    let (again, _) = record.run.train(&data).unwrap();
    assert_eq!(again, net);
}

#[test]
fn progress_is_plain_lines_when_stderr_is_not_a_terminal() {
    let dir = tempfile::tempdir().unwrap();
    nn_in(dir.path(), "train --epochs 50")
        .assert()
        .success()
        .stderr(predicate::str::contains("epoch  1/50  loss "))
        .stderr(predicate::str::contains("epoch 50/50  loss "))
        .stderr(predicate::str::contains("\r").not());
    nn_in(dir.path(), "train --epochs 50 --log-every 25")
        .assert()
        .success()
        .stderr(
            predicate::str::is_match("^epoch  1/50 .*\nepoch 25/50 .*\nepoch 50/50 .*\n$").unwrap(),
        );
    nn_in(dir.path(), "train --epochs 50 --quiet")
        .assert()
        .success()
        .stderr(predicate::str::is_empty());
}

#[test]
fn a_fixed_seed_writes_the_same_record_twice() {
    let dir = tempfile::tempdir().unwrap();
    let run = |name: &str| {
        stdout_of(&mut nn_in(
            dir.path(),
            &format!(
                "train --dataset spirals --samples 20 --hidden 6 --optimizer momentum \
                 --batch-size 7 --validation-split 0.25 --epochs 20 --seed 3 -q --record {name}.json"
            ),
        ));
        std::fs::read(dir.path().join(format!("{name}.json"))).unwrap()
    };
    let (a, b) = (run("a"), run("b"));
    assert_eq!(a, b, "the records differ");
    let record: serde_json::Value = serde_json::from_slice(&a).unwrap();
    let training = &record["run"]["training"];
    assert_eq!(training["optimizer"]["name"], "momentum");
    assert_eq!(training["validation_split"], 0.25);
    assert_eq!(training["batch_size"]["rows"], 7);
    assert_eq!(record["run"]["network"]["layers"][1]["units"], 3);
    let epochs = record["epochs"].as_array().unwrap();
    assert_eq!(epochs.len(), 20);
    assert!(epochs.iter().all(|e| e["val_loss"].is_f64()));
    assert_eq!(record["extra"]["data"], "spirals");
}

#[test]
fn a_plot_is_svg_with_one_curve_or_two_with_validation() {
    let dir = tempfile::tempdir().unwrap();
    let base = "train --epochs 40 -q";
    stdout_of(&mut nn_in(
        dir.path(),
        &format!("{base} --dataset xor --plot one.svg"),
    ));
    assert_eq!(svg_curves(&dir.path().join("one.svg")), 1);
    let with_val = "--dataset moons --samples 20 --validation-split 0.2";
    stdout_of(&mut nn_in(
        dir.path(),
        &format!("{base} {with_val} --plot two.svg"),
    ));
    assert_eq!(svg_curves(&dir.path().join("two.svg")), 2);
}

#[test]
fn existing_files_are_not_overwritten_without_force() {
    let dir = tempfile::tempdir().unwrap();
    let old = file(dir.path(), "run.json", "keep me");
    let args = "train --epochs 5 -q --plot new.svg --record run.json";
    fails_with(
        &mut nn_in(dir.path(), args),
        "run.json already exists; add --force to overwrite it",
    );
    assert_eq!(std::fs::read_to_string(&old).unwrap(), "keep me");
    assert!(
        !dir.path().join("new.svg").exists(),
        "nothing is written when one output is refused"
    );

    // --force replaces the file whole: a second name for the old file's
    // bytes still shows them, so they were never written over.
    let link = dir.path().join("link.json");
    std::fs::hard_link(&old, &link).unwrap();
    stdout_of(&mut nn_in(dir.path(), &format!("{args} --force")));
    assert!(std::fs::read_to_string(&old)
        .unwrap()
        .contains("crate_version"));
    assert_eq!(std::fs::read_to_string(&link).unwrap(), "keep me");
    assert!(dir.path().join("new.svg").exists());
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn settings_come_from_a_toml_file_and_flags_override_it() {
    let dir = tempfile::tempdir().unwrap();
    file(
        dir.path(),
        "run.toml",
        "dataset = \"xor\"\nhidden = [3]\nactivation = \"relu\"\noptimizer = \"sgd\"\n\
         learning_rate = 0.5\nepochs = 7\nseed = 5\n",
    );
    let out = stdout_of(&mut nn_in(
        dir.path(),
        "train --config run.toml --epochs 4 -q --record r.json",
    ));
    assert!(out.contains("2 → 3 (relu) → 1 (sigmoid)"), "{out}");
    assert!(out.contains("sgd η=0.5, batch 1, 4 epochs"), "{out}");
    let record = nn::io::RunRecord::load(dir.path().join("r.json")).unwrap();
    assert_eq!(
        (
            record.epochs.len(),
            record.run.training.seed,
            record.run.network.seed
        ),
        (4, 5, 5)
    );
    assert_eq!(
        record.run.training.optimizer,
        nn::optimizer::Optimizer::sgd(0.5)
    );
    assert_eq!(record.extra["data"], "xor");
    // A flag for the layers replaces the file's, rather than clashing with it.
    let out = stdout_of(&mut nn_in(
        dir.path(),
        "train --config run.toml --layers 2,1 -q",
    ));
    assert!(out.contains("2 → 2 (relu) → 1 (sigmoid)"), "{out}");
}

#[test]
fn layers_give_the_output_size_and_hidden_leaves_it_to_the_data() {
    let dir = tempfile::tempdir().unwrap();
    let out = stdout_of(&mut nn_in(
        dir.path(),
        "train --layers 4,4,1 --activation tanh,relu --no-bias --epochs 2 -q",
    ));
    assert!(
        out.contains("2 → 4 (tanh) → 4 (relu) → 1 (sigmoid), 28 parameters"),
        "{out}"
    );
    let out = stdout_of(&mut nn_in(
        dir.path(),
        "train --dataset spirals --samples 10 --classes 4 --hidden 5 --epochs 2 -q",
    ));
    assert!(out.contains("2 → 5 (tanh) → 4 (softmax)"), "{out}");
    let out = stdout_of(&mut nn_in(
        dir.path(),
        "train --dataset blobs --samples 12 --loss cce --epochs 2 -q",
    ));
    assert!(
        out.contains("→ 3 (softmax)") && out.contains("categorical_crossentropy"),
        "{out}"
    );
}

#[test]
fn a_csv_file_trains_on_the_named_target() {
    let dir = tempfile::tempdir().unwrap();
    file(dir.path(), "scores.csv", SCORES);
    let out = stdout_of(&mut nn_in(
        dir.path(),
        "train --csv scores.csv --target score --epochs 20 -q",
    ));
    assert!(
        out.contains("scores.csv: 3 rows, 2 inputs → score"),
        "{out}"
    );
    assert!(out.contains("2 → 8 (tanh) → 1 (identity)"), "{out}");
}

#[test]
fn early_stopping_keeps_the_best_epoch() {
    let dir = tempfile::tempdir().unwrap();
    let out = stdout_of(&mut nn_in(
        dir.path(),
        "train --dataset moons --samples 60 --hidden 16 --lr 0.05 --epochs 3000 \
         --validation-split 0.3 --early-stopping 20 -q --record r.json",
    ));
    let record = nn::io::RunRecord::load(dir.path().join("r.json")).unwrap();
    let best = record
        .best_epoch
        .expect("early stopping names the epoch it kept");
    assert!(record.epochs.len() < 3000, "{out}");
    assert!(
        out.contains(&format!("kept      the weights of epoch {best}")),
        "{out}"
    );
    assert_eq!(record.run.training.early_stopping, Some(20));
    fails_with(
        &mut nn_in(dir.path(), "train --early-stopping 5"),
        "invalid early stopping = without a validation split",
    );
}

#[test]
fn the_digits_train_with_mini_batches_and_report_validation_accuracy() {
    let dir = tempfile::tempdir().unwrap();
    let out = stdout_of(&mut nn_in(
        dir.path(),
        "train --dataset digits --epochs 3 -q",
    ));
    assert!(
        out.contains("data      digits: 1797 rows, 64 inputs → digit (10 classes)"),
        "{out}"
    );
    assert!(
        out.contains("network   64 → 32 (relu) → 10 (softmax), 2410 parameters"),
        "{out}"
    );
    assert!(
        out.contains(
            "training  adam η=0.01, batch 32, 3 epochs, sparse_categorical_crossentropy loss"
        ),
        "{out}"
    );
    let last = out.lines().find(|l| l.starts_with("final")).unwrap();
    let val: f64 = last
        .split("val_accuracy ")
        .nth(1)
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or_else(|| panic!("{last}"));
    // Three epochs already read most of the 180 held-out digits right.
    assert!(val > 0.85, "{last}");
    // Every default can be overridden.
    let out = stdout_of(&mut nn_in(
        dir.path(),
        "train --dataset digits --hidden 8 --batch-size 100 --validation-split 0.5 --epochs 1 -q",
    ));
    assert!(out.contains("64 → 8 (relu) → 10 (softmax)"), "{out}");
    assert!(out.contains("batch 100"), "{out}");
}

/// Writes MNIST's four files (unpacked, 4 × 4 pixels) into `dir`: 20
/// training images, each an image of its label's brightness, and 5 test ones.
fn small_mnist(dir: &std::path::Path) {
    let idx = |dims: &[u32], values: &[u8]| {
        let mut bytes = vec![0, 0, 8, dims.len() as u8];
        for d in dims {
            bytes.extend_from_slice(&d.to_be_bytes());
        }
        bytes.extend_from_slice(values);
        bytes
    };
    for (name, n) in [("train", 20u32), ("t10k", 5)] {
        let labels: Vec<u8> = (0..n).map(|i| (i % 10) as u8).collect();
        let pixels: Vec<u8> = labels.iter().flat_map(|&l| [l * 25; 16]).collect();
        std::fs::write(
            dir.join(format!("{name}-images-idx3-ubyte")),
            idx(&[n, 4, 4], &pixels),
        )
        .unwrap();
        std::fs::write(
            dir.join(format!("{name}-labels-idx1-ubyte")),
            idx(&[n], &labels),
        )
        .unwrap();
    }
}

#[test]
fn mnist_trains_from_the_data_dir() {
    let dir = tempfile::tempdir().unwrap();
    small_mnist(dir.path());
    let out = stdout_of(&mut nn_in(
        dir.path(),
        "train --dataset mnist --data-dir . --epochs 2 -q",
    ));
    assert!(
        out.contains("data      mnist: 20 rows, 16 inputs → digit (10 classes)"),
        "{out}"
    );
    assert!(out.contains("16 → 128 (relu) → 10 (softmax)"), "{out}");
    assert!(out.contains("adam η=0.001, batch 64, 2 epochs"), "{out}");
    assert!(out.contains("val_accuracy"), "{out}");
}

#[test]
fn mnist_without_its_files_says_what_is_missing() {
    let dir = tempfile::tempdir().unwrap();
    fails_with(
        &mut nn_in(dir.path(), "train --dataset mnist"),
        "--dataset mnist needs --data-dir DIR",
    );
    small_mnist(dir.path());
    std::fs::remove_file(dir.path().join("t10k-labels-idx1-ubyte")).unwrap();
    let line = fails_with(
        &mut nn_in(dir.path(), "train --dataset mnist --data-dir ."),
        "t10k-labels-idx1-ubyte.gz: is missing (and so is t10k-labels-idx1-ubyte)",
    );
    assert!(line.contains("download MNIST's four files"), "{line}");
    // A file cut short.
    let labels = dir.path().join("train-labels-idx1-ubyte");
    let bytes = std::fs::read(&labels).unwrap();
    std::fs::write(&labels, &bytes[..bytes.len() - 3]).unwrap();
    fails_with(
        &mut nn_in(dir.path(), "train --dataset mnist --data-dir ."),
        "train-labels-idx1-ubyte: is cut short",
    );
}
