//! `nn train --player run.html`: the training player as a page of its own.

mod common;

use common::{fails_with, nn_in, stdout_of};

#[test]
fn writes_a_player_page_of_the_run() {
    let dir = tempfile::tempdir().unwrap();
    let out = stdout_of(&mut nn_in(
        dir.path(),
        "train --dataset moons --samples 60 --hidden 6 --activation tanh --optimizer adam \
         --lr 0.05 --epochs 120 -q --player run.html",
    ));
    assert!(
        out.contains("wrote     run.html (training player, 50 snapshots"),
        "{out}"
    );
    let page = std::fs::read_to_string(dir.path().join("run.html")).unwrap();
    assert!(page.starts_with("<!DOCTYPE html>"));
    // The title names the network and the data; the last epoch is the still.
    assert!(page.contains("2 → 6 (tanh) → 1 (sigmoid)"), "no title");
    assert!(page.contains("A still of epoch 120 of 120"), "no still");
    assert!(!page.contains("src=\"http") && !page.contains("<script src"));
    // Nothing but the page: no temporary file left beside it.
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, vec![std::ffi::OsString::from("run.html")]);
    // A second run does not overwrite it without --force.
    fails_with(
        &mut nn_in(dir.path(), "train --epochs 3 -q --player run.html"),
        "run.html already exists; add --force",
    );
}

#[test]
fn a_curve_fit_gets_a_player_too() {
    let dir = tempfile::tempdir().unwrap();
    common::file(
        dir.path(),
        "wave.csv",
        &(0..30).fold(String::from("x,y\n"), |s, i| {
            let x = i as f64 / 10.0;
            s + &format!("{x},{}\n", x.sin())
        }),
    );
    let out = stdout_of(&mut nn_in(
        dir.path(),
        "train --csv wave.csv --target y --hidden 8 --activation tanh --epochs 40 -q --player fit.html",
    ));
    assert!(
        out.contains("wrote     fit.html (training player, 40 snapshots"),
        "{out}"
    );
    let page = std::fs::read_to_string(dir.path().join("fit.html")).unwrap();
    assert!(
        page.contains("blue line: the network"),
        "the fitted curve's key"
    );
}

#[test]
fn refuses_before_training_what_it_cannot_draw() {
    let dir = tempfile::tempdir().unwrap();
    let err = fails_with(
        &mut nn_in(
            dir.path(),
            "train --dataset digits --epochs 2 --player run.html",
        ),
        "--player draws networks with 1 or 2 inputs",
    );
    assert!(err.contains("this one takes 64"), "{err}");
    fails_with(
        &mut nn_in(
            dir.path(),
            "train --dataset moons --hidden 40 --epochs 2 --player run.html",
        ),
        "at most 32 for the Playground view",
    );
    // Refused before any training: no summary, no file.
    assert!(!dir.path().join("run.html").exists());
}
