//! The other subcommands end to end: predict, compare, gradcheck,
//! replay-seed, and the help texts.

mod common;

use common::{file, nn, nn_in, stdout_of, svg_curves, SCORES};
use predicates::prelude::*;

#[test]
fn predict_prints_a_saved_models_predictions_as_csv() {
    let dir = tempfile::tempdir().unwrap();
    stdout_of(&mut nn_in(
        dir.path(),
        "train --epochs 2000 -q --save m.safetensors",
    ));
    let out = stdout_of(
        nn_in(dir.path(), "predict m.safetensors --input 1,1 --input").arg("0.25, 0.625"),
    );
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0], "study,sleep,score");
    assert_eq!(lines.len(), 3, "{out}");
    // Trained towards the table's scaled scores 1 and 20/56.
    let score = |line: &str| line.rsplit(',').next().unwrap().parse::<f64>().unwrap();
    assert!((score(lines[1]) - 1.0).abs() < 0.1, "{out}");
    assert!((score(lines[2]) - 20.0 / 56.0).abs() < 0.1, "{out}");
    assert!(lines[2].starts_with("0.25,0.625,"), "{out}");
}

#[test]
fn predict_scales_csv_rows_as_training_did_and_ignores_other_columns() {
    let dir = tempfile::tempdir().unwrap();
    file(dir.path(), "scores.csv", SCORES);
    stdout_of(&mut nn_in(
        dir.path(),
        "train --csv scores.csv --target score --hidden 4 --epochs 1500 --lr 0.05 -q --save m.safetensors",
    ));
    let out = stdout_of(&mut nn_in(
        dir.path(),
        "predict m.safetensors --csv scores.csv",
    ));
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0], "study,sleep,score");
    for (line, want) in lines[1..].iter().zip([56.0, 20.0, 47.0]) {
        let got: f64 = line.rsplit(',').next().unwrap().parse().unwrap();
        assert!((got - want).abs() < 2.0, "{want} vs {line}");
    }
}

#[test]
fn predict_gives_classifiers_probabilities_and_a_class() {
    let dir = tempfile::tempdir().unwrap();
    stdout_of(&mut nn_in(
        dir.path(),
        "train --dataset xor -q --save xor.safetensors",
    ));
    let out = stdout_of(&mut nn_in(
        dir.path(),
        "predict xor.safetensors --input 0,1 --input 1,1",
    ));
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0], "x1,x2,probability,class");
    assert!(
        lines[1].starts_with("0,1,") && lines[1].ends_with(",1"),
        "{out}"
    );
    assert!(
        lines[2].starts_with("1,1,") && lines[2].ends_with(",0"),
        "{out}"
    );

    stdout_of(&mut nn_in(
        dir.path(),
        "train --dataset blobs --samples 30 --epochs 5 -q --save b.safetensors",
    ));
    let out = stdout_of(&mut nn_in(dir.path(), "predict b.safetensors --input 3,0"));
    assert!(out.starts_with("x1,x2,p0,p1,p2,class\n3,0,"), "{out}");
}

#[test]
fn compare_tabulates_runs_and_overlays_their_curves() {
    let dir = tempfile::tempdir().unwrap();
    for (name, optimizer) in [
        ("gd.json", "gd"),
        ("momentum.json", "momentum"),
        ("adam.json", "adam"),
    ] {
        stdout_of(&mut nn_in(
            dir.path(),
            &format!("train --dataset xor --optimizer {optimizer} --epochs 30 -q --record {name}"),
        ));
    }
    let out = stdout_of(&mut nn_in(
        dir.path(),
        "compare gd.json momentum.json adam.json --plot all.svg",
    ));
    let lines: Vec<&str> = out.lines().collect();
    assert!(
        lines[0].starts_with("run") && lines[0].contains("final loss"),
        "{out}"
    );
    assert!(
        lines[1].starts_with("gd.json") && lines[1].contains("gd η=0.05, full batch"),
        "{out}"
    );
    assert!(lines[2].contains("momentum η=0.05 μ=0.9"), "{out}");
    assert!(
        lines[3].starts_with("adam.json") && lines[3].contains("2-4-1"),
        "{out}"
    );
    assert!(out.contains("wrote all.svg (3 curves)"), "{out}");
    assert_eq!(svg_curves(&dir.path().join("all.svg")), 3);

    common::fails_with(
        &mut nn_in(dir.path(), "compare gd.json --plot all.svg"),
        "all.svg already exists; add --force to overwrite it",
    );
    stdout_of(&mut nn_in(
        dir.path(),
        "compare gd.json --plot all.svg --force",
    ));
    assert_eq!(svg_curves(&dir.path().join("all.svg")), 1);
}

#[test]
fn gradcheck_reports_each_layer_and_a_verdict() {
    let out = stdout_of(
        nn().args("gradcheck --dataset spirals --samples 5 --hidden 4,3".split_whitespace()),
    );
    assert!(
        out.contains("network   2 → 4 (tanh) → 3 (tanh) → 3 (softmax)"),
        "{out}"
    );
    assert!(out.contains("checked on 15"), "{out}");
    for layer in [
        "layer 1: weights ",
        "layer 2: weights ",
        "layer 3: weights ",
    ] {
        assert!(out.contains(layer), "{out}");
    }
    assert!(
        out.contains("backprop agrees with the finite differences"),
        "{out}"
    );

    let out = stdout_of(
        nn().args("gradcheck --dataset moons --samples 20 --epochs 5".split_whitespace()),
    );
    assert!(out.contains("after 5 epochs of adam"), "{out}");
}

#[test]
fn gradcheck_explains_relus_kink() {
    // Spirals start at the origin: with zero biases every ReLU unit has z = 0 there.
    let args = "gradcheck --dataset spirals --samples 10 --hidden 6 --activation relu";
    let out = stdout_of(nn().args(args.split_whitespace()));
    let verdicts: Vec<&str> = out.lines().filter(|l| l.starts_with("largest")).collect();
    assert_eq!(verdicts.len(), 2, "{out}");
    assert!(!verdicts[0].contains("agrees"), "{out}");
    assert!(
        out.contains("3 of 30 rows put a ReLU unit at its kink"),
        "{out}"
    );
    assert!(verdicts[1].contains("backprop agrees"), "{out}");
}

#[test]
fn gradcheck_catches_the_original_notebooks_update_rule() {
    // The rule as written disagrees, which is the lesson: the command passes
    // as long as the true gradient agrees.
    let out = stdout_of(nn().args(["gradcheck", "--original"]));
    let verdicts: Vec<&str> = out.lines().filter(|l| l.starts_with("largest")).collect();
    assert_eq!(verdicts.len(), 2, "{out}");
    assert!(verdicts[0].contains("backprop disagrees"), "{out}");
    assert!(verdicts[1].contains("backprop agrees"), "{out}");
    // Asked for more than rounding allows, the true gradient fails too.
    let line = common::fails_with(
        nn().args(["gradcheck", "--original", "--tolerance", "1e-13"]),
        "backprop disagrees with the finite differences: the largest relative error is ",
    );
    assert!(line.ends_with("not below --tolerance 1e-13"), "{line}");
}

#[test]
fn gradcheck_fails_when_backprop_disagrees() {
    // Finite differences are good to about 1e-9; a tolerance of 1e-14
    // cannot be met, so the check must fail, with the report still printed.
    let out = nn()
        .args("gradcheck --dataset xor --hidden 3 --tolerance 1e-14".split_whitespace())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.contains("layer 2: weights "), "{stdout}");
    assert!(!stdout.contains("backprop agrees"), "{stdout}");
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.starts_with("error: backprop disagrees with the finite differences"),
        "{stderr}"
    );
    common::fails_with(
        nn().args(["gradcheck", "--tolerance", "0"]),
        "--tolerance 0: give a relative error > 0",
    );
}

#[test]
fn replay_seed_prints_the_original_run_then_the_corrected_one() {
    use nn::original::{format_log, format_state, replay, Rule};
    use nn::train::Schedule;
    let (log, net) = replay(Rule::AsWritten, 10_000, &Schedule::Original);
    let (true_log, true_net) = replay(Rule::TrueGradient, 10_000, &Schedule::Original);
    let mut want = format!("{}\n{}\n", format_log(&log), format_state(&net));
    want += "== The same start, trained with the true gradient of ½ Σ (y − ŷ)² ==\n";
    for e in &true_log {
        want += &format!("EPOCH {:>5}  에러 {}\n", e.epoch, e.mse);
    }
    want += &format!("\n{}", format_state(&true_net));

    let out = stdout_of(nn().arg("replay-seed"));
    assert_eq!(out, want);
    assert!(
        out.starts_with("+---------EPOCH 1---------+\n입력: \n"),
        "{out}"
    );
}

#[test]
fn a_closed_pipe_ends_quietly() {
    // `nn predict … | head`: far more output than a pipe holds, and a reader
    // that stops after a few bytes.
    use std::io::Read;
    let dir = tempfile::tempdir().unwrap();
    stdout_of(&mut nn_in(
        dir.path(),
        "train --epochs 2 -q --save m.safetensors",
    ));
    let rows: String = (0..20_000).map(|i| format!("{i},1\n")).collect();
    file(dir.path(), "many.csv", &format!("study,sleep\n{rows}"));
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin!("nn"))
        .current_dir(dir.path())
        .args(["predict", "m.safetensors", "--csv", "many.csv"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 16];
    child.stdout.take().unwrap().read_exact(&mut first).unwrap(); // then the pipe closes
    let out = child.wait_with_output().unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
    assert!(out.status.success());
}

#[test]
fn every_help_has_examples() {
    nn().arg("--help")
        .assert()
        .success()
        .stdout(predicate::str::contains("Commands:\n  train "))
        .stdout(predicate::str::contains("Examples:"));
    for command in ["train", "predict", "compare", "gradcheck", "replay-seed"] {
        nn().args([command, "--help"])
            .assert()
            .success()
            .stdout(predicate::str::contains("Usage: nn "))
            .stdout(predicate::str::contains("Examples:\n  nn "));
    }
}
