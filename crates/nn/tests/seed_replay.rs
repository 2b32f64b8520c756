//! The original notebook's run, replayed and compared number by number with
//! NumPy's (`tests/data/seed-run.json`, a copy of shared/reference/seed-run.json).

use nn::original::{format_log, format_state, replay, OriginalNetwork, Rule};
use nn::prelude::*;
use serde_json::Value;

fn reference() -> Value {
    serde_json::from_str(include_str!("data/seed-run.json")).expect("the reference is JSON")
}

fn matrix(v: &Value) -> Vec<Vec<f64>> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|row| match row.as_array() {
            Some(r) => r.iter().map(|x| x.as_f64().unwrap()).collect(),
            None => vec![row.as_f64().unwrap()],
        })
        .collect()
}

fn assert_close(got: &Array2<f64>, want: &Value, what: &str) -> f64 {
    let want = matrix(want);
    assert_eq!(got.nrows(), want.len(), "{what}: rows");
    let mut worst: f64 = 0.0;
    for (r, row) in want.iter().enumerate() {
        for (c, w) in row.iter().enumerate() {
            let d = (got[[r, c]] - w).abs();
            assert!(d < 1e-9, "{what}[{r},{c}]: {} vs {w}", got[[r, c]]);
            worst = worst.max(d);
        }
    }
    worst
}

#[test]
fn initial_weights_are_numpys() {
    let r = reference();
    let net = OriginalNetwork::new();
    assert_eq!(
        assert_close(&net.w1, &r["initial_weights"]["w1"], "w1"),
        0.0
    );
    assert_eq!(
        assert_close(&net.w2, &r["initial_weights"]["w2"], "w2"),
        0.0
    );
    let mut rng = NumpyRng::new(42);
    for d in r["first_draws_after_seed"].as_array().unwrap() {
        assert_eq!(rng.randn(), d.as_f64().unwrap());
    }
}

#[test]
fn the_original_rule_reproduces_every_logged_number() {
    let r = reference();
    let (log, net) = replay(Rule::AsWritten, 10_000, &Schedule::Original);
    let want = r["seed_update_rule_log"].as_array().unwrap();
    assert_eq!(log.len(), want.len());
    let mut worst: f64 = 0.0;
    for (got, want) in log.iter().zip(want) {
        assert_eq!(got.epoch as u64, want["epoch"].as_u64().unwrap());
        worst = worst.max(assert_close(
            &got.prediction,
            &want["prediction"],
            "prediction",
        ));
        let d = (got.mse - want["mse"].as_f64().unwrap()).abs();
        assert!(
            d < 1e-9,
            "epoch {}: mse {} vs {}",
            got.epoch,
            got.mse,
            want["mse"]
        );
        worst = worst.max(d);
    }
    let fin = &r["seed_update_rule_final"];
    for (name, m) in [
        ("w1", &net.w1),
        ("hidden_sum", &net.hidden_sum),
        ("activated_hidden", &net.activated_hidden),
        ("w2", &net.w2),
        ("activated_output", &net.activated_output),
    ] {
        worst = worst.max(assert_close(m, &fin[name], name));
    }
    println!("largest difference from NumPy: {worst:e}");
}

#[test]
fn the_true_gradient_from_the_same_start_matches_numpy() {
    let r = reference();
    let (log, _) = replay(Rule::TrueGradient, 10_000, &Schedule::Original);
    let want = r["correct_gradient_log_same_start"].as_array().unwrap();
    assert_eq!(log.len(), want.len());
    for (got, want) in log.iter().zip(want) {
        let d = (got.mse - want["mse"].as_f64().unwrap()).abs();
        assert!(
            d < 1e-9,
            "epoch {}: {} vs {}",
            got.epoch,
            got.mse,
            want["mse"]
        );
    }
    // The original rule's error turns back up after 6 000 iterations; the true gradient's does not.
    let mse = |e: u64| log.iter().find(|l| l.epoch as u64 == e).unwrap().mse;
    assert!(mse(10_000) < mse(6_000));
}

#[test]
fn the_printed_log_reads_like_the_original() {
    let (log, net) = replay(Rule::AsWritten, 10_000, &Schedule::Original);
    let text = format_log(&log[..1]);
    assert_eq!(
        text,
        "+---------EPOCH 1---------+\n입력: \n [[1.    1.   ]\n [0.25  0.625]\n [0.875 0.75 ]]\n\
         타겟출력: \n [[1.        ]\n [0.35714286]\n [0.83928571]]\n\
         예측: \n [[0.56611111]\n [0.50635471]\n [0.5515955 ]]\n에러: \n 0.09776313366577666\n"
    );
    let state = format_state(&net);
    assert!(state.starts_with(
        "w1\n [[-0.53830378 -0.37420207  1.71467012]\n [ 1.24627641 -0.56769715 -1.0470542 ]] \n---------\n"
    ));
    assert!(state.contains("w2\n [[-1.64131314]\n [-9.33397483]\n [ 9.36921135]] \n"));
    assert!(state.ends_with(
        "activated_output\n [[0.92235766]\n [0.36444961]\n [0.90854076]] \n---------\n"
    ));
}
