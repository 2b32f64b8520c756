//! Every mistake a user can make gets one line, `error: …`, saying where and
//! what; the exit code is 1; no panic or backtrace reaches the terminal.

mod common;

use common::{fails_with, file, nn_in, SCORES};

fn train_csv(dir: &std::path::Path, csv: &str, target: &str) -> assert_cmd::Command {
    nn_in(
        dir,
        &format!("train --csv {csv} --target {target} --epochs 2 -q"),
    )
}

#[test]
fn a_missing_csv_is_named() {
    let dir = tempfile::tempdir().unwrap();
    fails_with(
        &mut train_csv(dir.path(), "nope.csv", "score"),
        "nope.csv: no such file",
    );
}

#[test]
fn an_unreadable_csv_is_named() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("folder.csv")).unwrap();
    fails_with(
        &mut train_csv(dir.path(), "folder.csv", "score"),
        "folder.csv: cannot read the file",
    );
    std::fs::write(dir.path().join("latin1.csv"), b"a,score\n1,2\n\xe9,3\n").unwrap();
    fails_with(
        &mut train_csv(dir.path(), "latin1.csv", "score"),
        "latin1.csv: line 3 is not valid UTF-8",
    );
}

#[test]
fn a_ragged_csv_names_the_line() {
    let dir = tempfile::tempdir().unwrap();
    file(dir.path(), "ragged.csv", "study,sleep,score\n8,8,56\n2,5\n");
    fails_with(
        &mut train_csv(dir.path(), "ragged.csv", "score"),
        "ragged.csv: line 3 has 2 fields but the header has 3",
    );
}

#[test]
fn a_word_where_a_number_belongs_names_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    file(
        dir.path(),
        "words.csv",
        "study,sleep,score\n8,8,56\n2,lots,20\n",
    );
    fails_with(
        &mut train_csv(dir.path(), "words.csv", "score"),
        "words.csv: line 3, column 'sleep': 'lots' is not a number",
    );
    file(dir.path(), "blank.csv", "study,sleep,score\n8,,56\n");
    fails_with(
        &mut train_csv(dir.path(), "blank.csv", "score"),
        "blank.csv: line 2, column 'sleep': the cell is empty",
    );
}

#[test]
fn a_missing_target_column_lists_the_columns() {
    let dir = tempfile::tempdir().unwrap();
    file(dir.path(), "scores.csv", SCORES);
    fails_with(
        &mut train_csv(dir.path(), "scores.csv", "grade"),
        "scores.csv: no column named 'grade'; the columns are: study, sleep, score",
    );
    fails_with(
        &mut nn_in(dir.path(), "train --csv scores.csv"),
        "scores.csv: name the column(s) to predict with --target COL",
    );
}

#[test]
fn an_empty_csv_or_one_without_rows_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    file(dir.path(), "empty.csv", "");
    fails_with(
        &mut train_csv(dir.path(), "empty.csv", "score"),
        "empty.csv: the file is empty",
    );
    file(dir.path(), "header.csv", "study,score\n");
    fails_with(
        &mut train_csv(dir.path(), "header.csv", "score"),
        "header.csv: the file has a header",
    );
}

#[test]
fn the_libraries_messages_are_shown_as_they_are() {
    let dir = tempfile::tempdir().unwrap();
    fails_with(
        &mut nn_in(dir.path(), "train --epochs 0"),
        "error: invalid epochs = 0: it must be at least 1",
    );
    fails_with(
        &mut nn_in(dir.path(), "train --learning-rate=-1"),
        "error: invalid learning rate = -1: it must be a finite number > 0",
    );
    fails_with(
        &mut nn_in(dir.path(), "train --loss bce --output-activation identity"),
        "error: binary_crossentropy cannot follow an output layer with identity",
    );
    fails_with(
        &mut nn_in(dir.path(), "train --validation-split 1.5"),
        "error: invalid validation split = 1.5",
    );
}

#[test]
fn a_diverging_run_stops_with_the_librarys_advice() {
    let dir = tempfile::tempdir().unwrap();
    file(dir.path(), "scores.csv", SCORES);
    fails_with(
        &mut nn_in(
            dir.path(),
            "train --csv scores.csv --target score --optimizer gd --lr 1e6 --epochs 100 -q",
        ),
        "training diverged at epoch",
    );
}

#[test]
fn settings_that_do_not_fit_together_are_explained() {
    let dir = tempfile::tempdir().unwrap();
    fails_with(
        &mut nn_in(dir.path(), "train --hidden 3 --activation relu,tanh"),
        "--activation gives 2 activations for 1 hidden layer",
    );
    fails_with(
        &mut nn_in(dir.path(), "train --target score"),
        "--target names a column of a CSV file",
    );
    fails_with(
        &mut nn_in(dir.path(), "train --optimizer adam --momentum 0.5"),
        "--momentum is a setting of --optimizer momentum, not of adam",
    );
    file(dir.path(), "scores.csv", "a,score\n1,0.5\n2,1.5\n");
    fails_with(
        train_csv(dir.path(), "scores.csv", "score").args(["--loss", "sparse_cce"]),
        "a categorical loss needs one target column of class labels",
    );
}

#[test]
fn a_bad_config_file_names_the_line() {
    let dir = tempfile::tempdir().unwrap();
    fails_with(
        &mut nn_in(dir.path(), "train --config none.toml"),
        "none.toml: cannot read the config file",
    );
    file(dir.path(), "typo.toml", "epochs = 5\nlerning_rate = 0.1\n");
    fails_with(
        &mut nn_in(dir.path(), "train --config typo.toml"),
        "typo.toml:2:1: unknown field `lerning_rate`",
    );
    file(dir.path(), "type.toml", "epochs = \"many\"\n");
    fails_with(
        &mut nn_in(dir.path(), "train --config type.toml"),
        "type.toml:1:10: ",
    );
}

#[test]
fn predict_refuses_bad_models_and_inputs() {
    let dir = tempfile::tempdir().unwrap();
    fails_with(
        &mut nn_in(dir.path(), "predict none.safetensors --input 1,2"),
        "none.safetensors: cannot open the file",
    );
    file(dir.path(), "fake.safetensors", "not a model");
    fails_with(
        &mut nn_in(dir.path(), "predict fake.safetensors --input 1,2"),
        "fake.safetensors: the header claims to be",
    );
    common::stdout_of(&mut nn_in(
        dir.path(),
        "train --epochs 3 -q --save m.safetensors",
    ));
    fails_with(
        &mut nn_in(dir.path(), "predict m.safetensors --input 1"),
        "--input 1: the model takes 2 values (study, sleep), got 1",
    );
    fails_with(
        &mut nn_in(dir.path(), "predict m.safetensors --input 1,x"),
        "--input 1,x: \"x\" is not a number",
    );
    file(dir.path(), "rows.csv", "study,hours\n1,2\n");
    fails_with(
        &mut nn_in(dir.path(), "predict m.safetensors --csv rows.csv"),
        "rows.csv: no column named 'sleep', one of the model's inputs (study, sleep); the columns are: study, hours",
    );
    file(dir.path(), "ragged.csv", "study,sleep\n1,2\n3\n");
    fails_with(
        &mut nn_in(dir.path(), "predict m.safetensors --csv ragged.csv"),
        "ragged.csv: line 3 has 1 field but the header has 2",
    );
}

#[test]
fn compare_refuses_files_that_are_not_records() {
    let dir = tempfile::tempdir().unwrap();
    fails_with(
        &mut nn_in(dir.path(), "compare none.json"),
        "none.json: cannot read the run record (No such file or directory",
    );
    file(dir.path(), "other.json", "{\"a\": 1}");
    fails_with(
        &mut nn_in(dir.path(), "compare other.json"),
        "other.json: this is not a run record (unknown field `a`",
    );
    file(dir.path(), "broken.json", "{\"a\": ");
    fails_with(
        &mut nn_in(dir.path(), "compare broken.json"),
        "broken.json: this is not a run record (EOF while parsing",
    );
}
