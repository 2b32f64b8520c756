//! A small CSV reader: a header row, then rows of numbers.
//!
//! Every mistake in the file comes back as one line that says where (file,
//! line, column) and what, because the person reading it has to go and fix
//! the file.

use std::path::Path;

use anyhow::{bail, Context, Result};
use nn::ndarray::Array2;

/// A CSV file as text: the header's names and each row's fields.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// The file, as given, for messages.
    pub path: String,
    /// The names in the header row.
    pub columns: Vec<String>,
    /// Each data row with its line number in the file (from 1).
    pub rows: Vec<(usize, Vec<String>)>,
}

impl Table {
    /// Reads `path`, checking that every row has as many fields as the header.
    pub fn read(path: &Path) -> Result<Table> {
        let shown = path.display().to_string();
        let bytes =
            std::fs::read(path).with_context(|| format!("{shown}: cannot read the file"))?;
        let text = String::from_utf8(bytes).map_err(|e| {
            let line = line_of(e.as_bytes(), e.utf8_error().valid_up_to());
            anyhow::anyhow!("{shown}: line {line} is not UTF-8 text; save the file as UTF-8 CSV")
        })?;
        Table::parse(&shown, &text)
    }

    /// Parses CSV text; `path` only names it in messages.
    pub fn parse(path: &str, text: &str) -> Result<Table> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut lines = text
            .lines()
            .enumerate()
            .map(|(i, l)| (i + 1, l.trim_end_matches('\r')))
            .filter(|(_, l)| !l.trim().is_empty());
        let Some((header_line, header)) = lines.next() else {
            bail!("{path}: the file is empty; it needs a header row, then rows of numbers");
        };
        let columns =
            split(header).map_err(|e| anyhow::anyhow!("{path}: line {header_line}: {e}"))?;
        if let Some(i) = columns.iter().position(|c| c.is_empty()) {
            bail!(
                "{path}: line {header_line}: column {} of the header has no name",
                i + 1
            );
        }
        let mut rows = Vec::new();
        for (line, text) in lines {
            let fields = split(text).map_err(|e| anyhow::anyhow!("{path}: line {line}: {e}"))?;
            if fields.len() != columns.len() {
                bail!(
                    "{path}: line {line} has {} field{}, but the header has {} columns",
                    fields.len(),
                    if fields.len() == 1 { "" } else { "s" },
                    columns.len()
                );
            }
            rows.push((line, fields));
        }
        if rows.is_empty() {
            bail!("{path}: there are no rows of data after the header");
        }
        Ok(Table {
            path: path.to_string(),
            columns,
            rows,
        })
    }

    /// The position of the column called `name`.
    pub fn column(&self, name: &str) -> Result<usize> {
        self.columns
            .iter()
            .position(|c| c == name)
            .with_context(|| {
                format!(
                    "{}: there is no column \"{name}\"; the columns are {}",
                    self.path,
                    self.columns.join(", ")
                )
            })
    }

    /// The named columns as numbers, rows × names.
    pub fn numbers(&self, names: &[String]) -> Result<Array2<f64>> {
        let at: Vec<usize> = names
            .iter()
            .map(|n| self.column(n))
            .collect::<Result<_>>()?;
        let mut m = Array2::zeros((self.rows.len(), at.len()));
        for (r, (line, fields)) in self.rows.iter().enumerate() {
            for (c, &i) in at.iter().enumerate() {
                let field = fields[i].trim();
                m[[r, c]] = match field.parse::<f64>() {
                    Ok(v) if v.is_finite() => v,
                    _ => bail!(
                        "{}: line {line}, column \"{}\": {} is not a number",
                        self.path,
                        self.columns[i],
                        if field.is_empty() {
                            "the field is empty; it".to_string()
                        } else {
                            format!("\"{field}\"")
                        }
                    ),
                };
            }
        }
        Ok(m)
    }
}

/// Splits one line into fields. A field in double quotes may hold commas,
/// and `""` inside it is one quote.
fn split(line: &str) -> std::result::Result<Vec<String>, String> {
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut chars = line.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', false) if field.trim().is_empty() => {
                field.clear();
                quoted = true;
            }
            ('"', true) if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            ('"', true) => quoted = false,
            (',', false) => fields.push(std::mem::take(&mut field).trim().to_string()),
            (c, _) => field.push(c),
        }
    }
    if quoted {
        return Err("a quoted field is not closed; add the closing \"".into());
    }
    fields.push(field.trim().to_string());
    Ok(fields)
}

/// The 1-based line of byte `offset`.
fn line_of(bytes: &[u8], offset: usize) -> usize {
    let before = &bytes[..offset.min(bytes.len())];
    before.iter().filter(|&&b| b == b'\n').count() + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> String {
        Table::parse("t.csv", text).unwrap_err().to_string()
    }

    #[test]
    fn reads_a_header_and_numbers() {
        let t = Table::parse("t.csv", "a, b\r\n1,2\n\n\"3\",4.5\n").unwrap();
        assert_eq!(t.columns, vec!["a", "b"]);
        let m = t.numbers(&["b".into(), "a".into()]).unwrap();
        assert_eq!(m, nn::ndarray::array![[2.0, 1.0], [4.5, 3.0]]);
        assert_eq!(t.rows[1].0, 4, "line numbers count blank lines");
    }

    #[test]
    fn quoted_fields_keep_commas_and_quotes() {
        assert_eq!(
            split(r#"x,"a, ""b""",y"#).unwrap(),
            vec!["x", r#"a, "b""#, "y"]
        );
    }

    #[test]
    fn says_where_and_what() {
        assert_eq!(
            err(""),
            "t.csv: the file is empty; it needs a header row, then rows of numbers"
        );
        assert_eq!(
            err("a,b\n"),
            "t.csv: there are no rows of data after the header"
        );
        assert_eq!(
            err("a,b\n1,2\n3\n"),
            "t.csv: line 3 has 1 field, but the header has 2 columns"
        );
        let t = Table::parse("t.csv", "a,b\n1,x\n").unwrap();
        assert_eq!(
            t.numbers(&["a".into(), "b".into()])
                .unwrap_err()
                .to_string(),
            "t.csv: line 2, column \"b\": \"x\" is not a number"
        );
        assert_eq!(
            t.numbers(&["c".into()]).unwrap_err().to_string(),
            "t.csv: there is no column \"c\"; the columns are a, b"
        );
    }
}
