//! `notebooks/solutions/` holds the notebooks with their exercises solved.
//! A solved notebook must be its notebook cell for cell — only the cells
//! tagged `exercise` and the set-up cell's `:dep` path (one folder deeper)
//! may differ — and the committed outputs must show what a learner sees:
//! every check saying `not yet:` in the notebook and `✓ correct` in its
//! solution. (The notebook tests run both and check that those outputs are
//! current.)

use std::path::{Path, PathBuf};

use serde_json::Value;

const EXERCISE: &str = "exercise";

fn notebooks() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../notebooks")
}

fn read(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn cells(notebook: &Value) -> &Vec<Value> {
    notebook["cells"].as_array().expect("a notebook has cells")
}

fn text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Array(lines) => lines.iter().filter_map(Value::as_str).collect(),
        _ => String::new(),
    }
}

fn is_exercise(cell: &Value) -> bool {
    cell["metadata"]["tags"]
        .as_array()
        .is_some_and(|tags| tags.iter().any(|t| t == EXERCISE))
}

/// Everything a cell printed on stdout.
fn printed(cell: &Value) -> String {
    cell["outputs"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|o| o["name"] == "stdout")
        .map(|o| text(&o["text"]))
        .collect()
}

fn ipynbs(dir: &Path) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "ipynb"))
        .collect();
    found.sort();
    found
}

#[test]
fn every_notebook_with_exercises_has_its_solution() {
    for path in ipynbs(&notebooks()) {
        let has_exercises = cells(&read(&path)).iter().any(is_exercise);
        let solution = notebooks()
            .join("solutions")
            .join(path.file_name().unwrap());
        assert_eq!(
            has_exercises,
            solution.exists(),
            "{}: {} exercises but {} solution in notebooks/solutions/",
            path.display(),
            if has_exercises { "has" } else { "has no" },
            if solution.exists() { "a" } else { "no" }
        );
    }
}

#[test]
fn solutions_differ_from_their_notebooks_only_in_the_exercises() {
    let solutions = ipynbs(&notebooks().join("solutions"));
    assert!(
        !solutions.is_empty(),
        "notebooks/solutions/ has no notebooks"
    );
    for solved_path in solutions {
        let name = solved_path
            .file_name()
            .unwrap()
            .to_string_lossy()
            .to_string();
        let notebook = read(&notebooks().join(&name));
        let solved = read(&solved_path);
        let (mine, theirs) = (cells(&notebook), cells(&solved));
        assert_eq!(
            mine.len(),
            theirs.len(),
            "{name}: the solution has another number of cells"
        );
        let mut exercises = 0;
        for (i, (cell, answer)) in mine.iter().zip(theirs).enumerate() {
            assert_eq!(cell["cell_type"], answer["cell_type"], "{name}, cell {i}");
            assert_eq!(
                is_exercise(cell),
                is_exercise(answer),
                "{name}, cell {i}: tag it in both"
            );
            let (source, solved_source) = (text(&cell["source"]), text(&answer["source"]));
            if is_exercise(cell) {
                exercises += 1;
                assert_ne!(
                    source, solved_source,
                    "{name}, cell {i}: the exercise is not solved"
                );
                assert!(
                    printed(cell).starts_with("not yet: "),
                    "{name}, cell {i}: the unsolved exercise should print 'not yet: …', it printed {:?}",
                    printed(cell)
                );
                assert!(
                    printed(answer).starts_with("✓ correct"),
                    "solutions/{name}, cell {i}: the solved exercise should print '✓ correct', it printed {:?}",
                    printed(answer)
                );
            } else {
                let one_folder_deeper = source.replace("\"../crates/nn\"", "\"../../crates/nn\"");
                assert_eq!(
                    one_folder_deeper, solved_source,
                    "{name}, cell {i}: differs between the notebook and its solution"
                );
            }
        }
        assert!(
            exercises >= 2,
            "{name}: {exercises} exercises; each notebook has two or three"
        );
    }
}
