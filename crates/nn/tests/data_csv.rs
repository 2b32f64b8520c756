//! Reading CSV files: what works, and one test per kind of bad file with
//! the exact message a learner sees.

use std::path::PathBuf;

use nn::data::{self, Dataset};
use nn::ndarray::array;
use nn::Error;

/// Writes `contents` to a fresh file for one test and returns its path.
fn csv_file(name: &str, contents: &[u8]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("nn-data-csv-tests-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, contents).unwrap();
    path
}

/// The error for reading `contents` with `score` as the target, with the
/// file's path cut off the front.
fn error_for(name: &str, contents: &str) -> String {
    let path = csv_file(name, contents.as_bytes());
    match Dataset::from_csv(&path, &["score"]).unwrap_err() {
        Error::File {
            path: p, message, ..
        } => {
            assert_eq!(p, path.display().to_string());
            message
        }
        other => panic!("expected a file error, got {other:?}"),
    }
}

const STUDENTS: &str = "study,sleep,score\n8,8,56\n2,5,20\n7,6,47\n";

#[test]
fn reads_the_students_table() {
    let path = csv_file("students.csv", STUDENTS.as_bytes());
    let d = Dataset::from_csv(&path, &["score"]).unwrap();
    assert_eq!(d, data::study_sleep_raw());
}

#[test]
fn read_csv_matrix_gives_names_and_numbers() {
    let path = csv_file("matrix.csv", STUDENTS.as_bytes());
    let (columns, m) = data::read_csv_matrix(&path).unwrap();
    assert_eq!(columns, vec!["study", "sleep", "score"]);
    assert_eq!(
        m,
        array![[8.0, 8.0, 56.0], [2.0, 5.0, 20.0], [7.0, 6.0, 47.0]]
    );
}

#[test]
fn targets_come_in_the_order_given_and_features_in_file_order() {
    let path = csv_file("order.csv", b"a,b,c,d\n1,2,3,4\n5,6,7,8\n");
    let d = Dataset::from_csv(&path, &["d", "b"]).unwrap();
    assert_eq!(d.x, array![[1.0, 3.0], [5.0, 7.0]]);
    assert_eq!(d.y, array![[4.0, 2.0], [8.0, 6.0]]);
}

#[test]
fn spaces_quotes_crlf_blank_lines_bom_and_number_forms_are_fine() {
    let text = "\u{feff} \"study\" , sleep,score\r\n\r\n  8 ,\"8\",5.6e1\r\n-2.5,+5,.5\r\n\n";
    let path = csv_file("forgiving.csv", text.as_bytes());
    let d = Dataset::from_csv(&path, &["score"]).unwrap();
    assert_eq!(d.x, array![[8.0, 8.0], [-2.5, 5.0]]);
    assert_eq!(d.y, array![[56.0], [0.5]]);
}

#[test]
fn a_quoted_column_name_may_hold_a_comma() {
    let path = csv_file("quoted.csv", b"\"hours, studied\",score\n3,30\n");
    let (columns, _) = data::read_csv_matrix(&path).unwrap();
    assert_eq!(columns, vec!["hours, studied", "score"]);
}

#[test]
fn a_missing_file_says_so_and_where_relative_paths_start() {
    let err = Dataset::from_csv("no/such/file.csv", &["y"])
        .unwrap_err()
        .to_string();
    let here = std::env::current_dir().unwrap().display().to_string();
    assert_eq!(
        err,
        format!(
            "no/such/file.csv: no such file; check the path (a relative path starts from {here})"
        )
    );
}

#[test]
fn a_folder_is_not_a_file() {
    let dir = std::env::temp_dir();
    let err = data::read_csv_matrix(&dir).unwrap_err().to_string();
    assert!(
        err.starts_with(&format!("{}: cannot read the file: ", dir.display())),
        "{err}"
    );
}

#[test]
fn an_empty_file() {
    assert_eq!(
        error_for("empty.csv", ""),
        "the file is empty; a CSV file needs a header row of column names and then rows of numbers"
    );
    assert!(error_for("blank.csv", "\n\n").starts_with("the file is empty"));
}

#[test]
fn a_header_without_rows() {
    assert_eq!(
        error_for("header_only.csv", "study,sleep,score\n"),
        "the file has a header (study,sleep,score) but no rows of numbers below it"
    );
}

#[test]
fn numbers_where_the_header_should_be() {
    assert_eq!(
        error_for("no_header.csv", "8,8,56\n2,5,20\n"),
        "line 1 holds numbers (8,8,56), not column names; add a header row of names such as x1,x2,y"
    );
}

#[test]
fn a_ragged_row() {
    assert_eq!(
        error_for(
            "ragged.csv",
            "study,sleep,extra,score\n1,2,3,4\n5,6,7,8\n1,2,3\n"
        ),
        "line 4 has 3 fields but the header has 4"
    );
    assert_eq!(
        error_for("long.csv", "study,sleep,score\n1,2,3,4\n"),
        "line 2 has 4 fields but the header has 3"
    );
}

#[test]
fn line_numbers_count_blank_lines_too() {
    assert_eq!(
        error_for("gap.csv", "study,sleep,score\n\n\n1,2\n"),
        "line 4 has 2 fields but the header has 3"
    );
}

#[test]
fn a_cell_that_is_not_a_number() {
    assert_eq!(
        error_for("abc.csv", "study,sleep,score\n1,2,3\n4,abc,6\n"),
        "line 3, column 'sleep': 'abc' is not a number"
    );
}

#[test]
fn an_empty_cell() {
    assert_eq!(
        error_for("hole.csv", "study,sleep,score\n1,,3\n"),
        "line 2, column 'sleep': the cell is empty; fill in a number or remove the row"
    );
}

#[test]
fn nan_and_infinity_are_refused() {
    assert_eq!(
        error_for("nan.csv", "study,sleep,score\n1,2,NaN\n"),
        "line 2, column 'score': 'NaN' is not a finite number; replace it or remove the row"
    );
    assert!(error_for("inf.csv", "study,sleep,score\n1,-inf,3\n")
        .contains("column 'sleep': '-inf' is not a finite number"));
    assert!(error_for("big.csv", "study,sleep,score\n1,1e400,3\n")
        .contains("'1e400' is not a finite number"));
}

#[test]
fn a_column_without_a_name_is_named_by_number() {
    assert_eq!(
        error_for("unnamed.csv", "study,,score\n1,x,3\n"),
        "line 2, column 2 (no name): 'x' is not a number"
    );
}

#[test]
fn a_missing_target_column_lists_the_columns() {
    let path = csv_file("missing.csv", STUDENTS.as_bytes());
    let err = Dataset::from_csv(&path, &["grade"])
        .unwrap_err()
        .to_string();
    assert_eq!(
        err,
        format!(
            "{}: no column named 'grade'; the columns are: study, sleep, score",
            path.display()
        )
    );
}

#[test]
fn a_target_in_the_wrong_case_gets_a_suggestion() {
    let path = csv_file("case.csv", STUDENTS.as_bytes());
    let err = Dataset::from_csv(&path, &["Score"])
        .unwrap_err()
        .to_string();
    assert!(
        err.ends_with(
            "no column named 'Score' (did you mean 'score'?); the columns are: study, sleep, score"
        ),
        "{err}"
    );
}

#[test]
fn a_target_named_twice_in_the_header() {
    assert_eq!(
        error_for("twice.csv", "score,sleep,score\n1,2,3\n"),
        "the header names 2 columns 'score'; give the columns distinct names"
    );
}

#[test]
fn a_target_listed_twice() {
    let path = csv_file("listed.csv", STUDENTS.as_bytes());
    let err = Dataset::from_csv(&path, &["score", "score"])
        .unwrap_err()
        .to_string();
    assert!(
        err.ends_with("target column 'score' is listed twice; name each target once"),
        "{err}"
    );
}

#[test]
fn no_column_left_for_the_inputs() {
    let path = csv_file("all_targets.csv", b"score\n1\n2\n");
    let err = Dataset::from_csv(&path, &["score"])
        .unwrap_err()
        .to_string();
    assert!(
        err.ends_with(
            "every column (score) is a target, so none is left for the inputs; keep at \
             least one column out of target_columns"
        ),
        "{err}"
    );
}

#[test]
fn no_target_columns() {
    let path = csv_file("no_targets.csv", STUDENTS.as_bytes());
    assert_eq!(
        Dataset::from_csv(&path, &[]).unwrap_err().to_string(),
        "invalid target_columns = []: it must be at least one column name: the column(s) the \
         network should predict"
    );
}

#[test]
fn text_that_is_not_utf8() {
    let path = csv_file("latin1.csv", b"study,sleep,score\n1,2,3\n4,5,\xe96\n");
    let err = data::read_csv_matrix(&path).unwrap_err().to_string();
    assert!(
        err.ends_with("line 3 is not valid UTF-8 text; save the file as UTF-8"),
        "{err}"
    );
}

#[test]
fn line_numbers_count_blank_lines_and_crlf() {
    assert_eq!(
        error_for(
            "gap_crlf.csv",
            "study,sleep,score\r\n1,2,3\r\n\r\n\r\n4,x,6\r\n"
        ),
        "line 5, column 'sleep': 'x' is not a number"
    );
    assert_eq!(
        error_for("bom_gap.csv", "\u{feff}study,sleep,score\n\n1,2\n"),
        "line 3 has 2 fields but the header has 3"
    );
}

#[test]
fn a_line_of_spaces_counts_as_blank() {
    let path = csv_file("spaces.csv", b"study,sleep,score\n1,2,3\n   \n4,5,6\n");
    assert_eq!(data::read_csv_matrix(&path).unwrap().1.nrows(), 2);
}

#[test]
fn a_row_with_one_field_says_field() {
    assert_eq!(
        error_for("one_field.csv", "study,sleep,score\n1,2,3\n4\n"),
        "line 3 has 1 field but the header has 3"
    );
}
