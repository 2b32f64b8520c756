//! Reading your own data from a CSV file: a header row of column names, then
//! one row of numbers per example.
//!
//! ```text
//! study,sleep,score
//! 8,8,56
//! 2,5,20
//! 7,6,47
//! ```
//!
//! Fields are separated by commas and may be quoted (`"a,b"`); spaces around
//! a field are ignored, and so are blank lines. Every cell below the header
//! must be a finite number. Each error names the file, the line and the
//! column, so that it can be fixed in an editor.

use std::path::Path;

use ndarray::{Array2, Axis};

use super::Dataset;
use crate::error::{Error, Result};

/// Reads a CSV file with a header row into its column names and a
/// rows × columns matrix of numbers.
///
/// ```
/// let path = std::env::temp_dir().join("nn_doc_read_csv_matrix.csv");
/// std::fs::write(&path, "study,sleep\n8,8\n2,5\n")?;
/// let (columns, values) = nn::data::read_csv_matrix(&path)?;
/// assert_eq!(columns, vec!["study", "sleep"]);
/// assert_eq!(values, nn::ndarray::array![[8.0, 8.0], [2.0, 5.0]]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// Fails with [`Error::File`] when the file cannot be read, is empty, has no
/// header or no data rows, has a row with more or fewer fields than the
/// header, or has a cell that is not a finite number.
pub fn read_csv_matrix(path: impl AsRef<Path>) -> Result<(Vec<String>, Array2<f64>)> {
    let path = path.as_ref();
    let fail = |message: String| Error::file(path, message);
    let bytes = std::fs::read(path).map_err(|e| fail(cannot_read(&e)))?;
    let mut records = ::csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(::csv::Trim::All)
        .from_reader(bytes.as_slice())
        .into_records();

    let header = match records.next() {
        None => {
            return Err(fail(
                "the file is empty; a CSV file needs a header row of column names and then \
                 rows of numbers"
                    .into(),
            ))
        }
        Some(record) => record.map_err(|e| fail(parse_error(&e, &bytes)))?,
    };
    let columns: Vec<String> = header.iter().map(str::to_string).collect();
    if columns.iter().all(|name| name.parse::<f64>().is_ok()) {
        let line = header.position().map_or(1, |p| line_at(&bytes, p.byte()));
        return Err(fail(format!(
            "line {line} holds numbers ({}), not column names; add a header row of names such as \
             x1,x2,y",
            columns.join(",")
        )));
    }

    let mut values = Vec::new();
    let mut rows = 0;
    for record in records {
        let record = record.map_err(|e| fail(parse_error(&e, &bytes)))?;
        if record.len() == 1 && record[0].is_empty() {
            continue; // a line of spaces, blank to the eye
        }
        let line = record.position().map_or(0, |p| line_at(&bytes, p.byte()));
        if record.len() != columns.len() {
            return Err(fail(format!(
                "line {line} has {} but the header has {}",
                fields(record.len()),
                columns.len()
            )));
        }
        for (cell, (j, name)) in record.iter().zip(columns.iter().enumerate()) {
            values.push(
                parse_cell(cell).map_err(|what| {
                    fail(format!("line {line}, {}: {what}", column_label(j, name)))
                })?,
            );
        }
        rows += 1;
    }
    if rows == 0 {
        return Err(fail(format!(
            "the file has a header ({}) but no rows of numbers below it",
            columns.join(",")
        )));
    }
    let matrix = Array2::from_shape_vec((rows, columns.len()), values)
        .map_err(|e| fail(format!("could not arrange the numbers into a matrix: {e}")))?;
    Ok((columns, matrix))
}

impl Dataset {
    /// Reads a dataset from a CSV file with a header row: the columns named
    /// in `target_columns` become `y` (in the order given), all the others
    /// become `x` (in file order). Class labels must already be numbers
    /// 0, 1, 2, … (a cell such as `setosa` is refused as not a number).
    ///
    /// ```
    /// use nn::prelude::*;
    ///
    /// let path = std::env::temp_dir().join("nn_doc_from_csv.csv");
    /// std::fs::write(&path, "study,sleep,score\n8,8,56\n2,5,20\n7,6,47\n")?;
    /// let d = Dataset::from_csv(&path, &["score"])?;
    /// assert_eq!(d.x, array![[8.0, 8.0], [2.0, 5.0], [7.0, 6.0]]);
    /// assert_eq!(d.y, array![[56.0], [20.0], [47.0]]);
    ///
    /// let err = Dataset::from_csv(&path, &["grade"]).unwrap_err();
    /// assert!(err.to_string().contains("the columns are: study, sleep, score"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// Fails as [`read_csv_matrix`] does, and when a target column is
    /// missing, listed twice or named twice in the header, or when no column
    /// is left for the inputs.
    pub fn from_csv(path: impl AsRef<Path>, target_columns: &[&str]) -> Result<Dataset> {
        let path = path.as_ref();
        if target_columns.is_empty() {
            return Err(Error::InvalidParameter {
                name: "target_columns",
                value: "[]".into(),
                valid: "at least one column name: the column(s) the network should predict",
            });
        }
        let (columns, matrix) = read_csv_matrix(path)?;
        let fail = |message: String| Error::file(path, message);
        let mut targets = Vec::new();
        for &name in target_columns {
            let j = find_column(&columns, name).map_err(fail)?;
            if targets.contains(&j) {
                return Err(fail(format!(
                    "target column '{name}' is listed twice; name each target once"
                )));
            }
            targets.push(j);
        }
        let features: Vec<usize> = (0..columns.len())
            .filter(|j| !targets.contains(j))
            .collect();
        if features.is_empty() {
            return Err(fail(format!(
                "every column ({}) is a target, so none is left for the inputs; keep at least \
                 one column out of target_columns",
                columns.join(", ")
            )));
        }
        Dataset::new(
            matrix.select(Axis(1), &features),
            matrix.select(Axis(1), &targets),
        )
    }
}

/// The index of the one column called `name`, or a message that says why
/// there is none.
fn find_column(columns: &[String], name: &str) -> std::result::Result<usize, String> {
    let found: Vec<usize> = (0..columns.len()).filter(|&j| columns[j] == name).collect();
    match found[..] {
        [j] => Ok(j),
        [] => {
            let hint = match columns.iter().find(|c| c.eq_ignore_ascii_case(name)) {
                Some(close) => format!(" (did you mean '{close}'?)"),
                None => String::new(),
            };
            Err(format!(
                "no column named '{name}'{hint}; the columns are: {}",
                columns.join(", ")
            ))
        }
        _ => Err(format!(
            "the header names {} columns '{name}'; give the columns distinct names",
            found.len()
        )),
    }
}

/// The 1-based line on which the record that the CSV reader places at byte
/// `offset` starts. The reader skips blank lines without counting them, and
/// its offset points before them, so they are skipped here too.
fn line_at(bytes: &[u8], offset: u64) -> u64 {
    let mut start = usize::try_from(offset).map_or(bytes.len(), |o| o.min(bytes.len()));
    while start < bytes.len() && (bytes[start] == b'\n' || bytes[start] == b'\r') {
        start += 1;
    }
    1 + bytes[..start].iter().filter(|&&b| b == b'\n').count() as u64
}

/// "1 field", "3 fields".
fn fields(n: usize) -> String {
    if n == 1 {
        "1 field".into()
    } else {
        format!("{n} fields")
    }
}

/// One cell as a finite number, or what is wrong with it.
fn parse_cell(cell: &str) -> std::result::Result<f64, String> {
    if cell.is_empty() {
        return Err("the cell is empty; fill in a number or remove the row".into());
    }
    match cell.parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(v),
        Ok(_) => Err(format!(
            "'{cell}' is not a finite number; replace it or remove the row"
        )),
        Err(_) => Err(format!("'{cell}' is not a number")),
    }
}

/// How a message names column `j`: by its name, or by its number when the
/// header left it blank.
fn column_label(j: usize, name: &str) -> String {
    if name.is_empty() {
        format!("column {} (no name)", j + 1)
    } else {
        format!("column '{name}'")
    }
}

/// Why the file could not be read, with what to check.
fn cannot_read(e: &std::io::Error) -> String {
    if e.kind() == std::io::ErrorKind::NotFound {
        let here = std::env::current_dir()
            .map(|d| d.display().to_string())
            .unwrap_or_else(|_| "the current folder".into());
        format!("no such file; check the path (a relative path starts from {here})")
    } else {
        format!("cannot read the file: {e}")
    }
}

/// A CSV reader error as one line that names the line of the file.
fn parse_error(e: &::csv::Error, bytes: &[u8]) -> String {
    match e.kind() {
        ::csv::ErrorKind::Utf8 { pos, .. } => format!(
            "line {} is not valid UTF-8 text; save the file as UTF-8",
            pos.as_ref().map_or(0, |p| line_at(bytes, p.byte()))
        ),
        _ => format!("cannot parse the file as CSV: {e}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_at_counts_newlines_and_skips_blank_lines() {
        let text = b"a,b\n1,2\r\n\r\n\n3,4\n";
        assert_eq!(line_at(text, 0), 1);
        assert_eq!(line_at(text, 4), 2);
        assert_eq!(line_at(text, 9), 5); // just after "1,2\r\n": blank lines 3 and 4 skipped
        assert_eq!(line_at(text, 1000), 6);
    }

    #[test]
    fn cells_parse_like_rust_floats_but_must_be_finite() {
        assert_eq!(parse_cell("-1.5e2"), Ok(-150.0));
        assert_eq!(parse_cell("abc"), Err("'abc' is not a number".into()));
        assert!(parse_cell("inf")
            .unwrap_err()
            .contains("not a finite number"));
        assert!(parse_cell("").unwrap_err().contains("the cell is empty"));
    }

    #[test]
    fn columns_are_named_by_name_or_number() {
        assert_eq!(column_label(0, "sleep"), "column 'sleep'");
        assert_eq!(column_label(2, ""), "column 3 (no name)");
        assert_eq!(
            (fields(1), fields(3)),
            ("1 field".into(), "3 fields".into())
        );
    }
}
