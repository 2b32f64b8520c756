//! [`Svg`]: a finished picture, as SVG text.

use std::path::Path;

use crate::error::{Error, Result};

/// An SVG image: shows inline in a notebook as `image/svg+xml`, and saves
/// to a file that any browser opens.
///
/// Every function in [`plot`](crate::plot) returns one. The text is plain
/// SVG, so you can also look inside it, count its elements, or write it
/// into a web page.
///
/// ```
/// use nn::plot::{self, Scale};
///
/// let svg = plot::losses(&[("loss", &[0.5, 0.25, 0.125][..])], Scale::Linear)?;
/// assert!(svg.as_str().starts_with("<svg"));
/// assert!(svg.len() > 1000); // bytes
/// # Ok::<(), nn::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Svg(pub String);

impl Svg {
    /// The SVG text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The size of the SVG text in bytes: what it adds to a saved notebook.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there is no SVG text at all.
    ///
    /// ```
    /// assert!(nn::plot::Svg(String::new()).is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Shows the image in a notebook. evcxr calls this for a cell whose last
    /// expression is an `Svg`, so a cell ending in `plot::…(…)?` draws.
    ///
    /// It prints the image as `image/svg+xml` rather than HTML because that
    /// is what GitHub and nbviewer render from a saved notebook.
    ///
    /// ```
    /// let svg = nn::plot::Svg("<svg></svg>".to_string());
    /// svg.evcxr_display(); // prints EVCXR_BEGIN_CONTENT image/svg+xml …
    /// ```
    pub fn evcxr_display(&self) {
        crate::display::show("image/svg+xml", &self.0);
    }

    /// Writes the image to `path`.
    ///
    /// The text goes to a temporary file in the same folder first, which is
    /// then renamed: a reader of `path` never sees half a picture, even if
    /// the disk fills up while writing.
    ///
    /// ```
    /// let svg = nn::plot::Svg("<svg></svg>".to_string());
    /// let path = std::env::temp_dir().join("nn-doc-save.svg");
    /// svg.save(&path)?;
    /// assert_eq!(std::fs::read_to_string(&path).unwrap(), "<svg></svg>");
    /// assert!(svg.save("/no/such/folder/x.svg").is_err());
    /// # Ok::<(), nn::Error>(())
    /// ```
    pub fn save(&self, path: impl AsRef<Path>) -> Result<()> {
        let path = path.as_ref();
        let error = |message: String| Error::File {
            path: path.display().to_string(),
            message,
        };
        let name = path.file_name().ok_or_else(|| {
            error("this is not a file name; give a path like \"loss.svg\"".into())
        })?;
        let folder = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        let temporary = folder.join(format!(
            ".{}.{}.tmp",
            name.to_string_lossy(),
            std::process::id()
        ));
        if let Err(e) = std::fs::write(&temporary, &self.0) {
            // Nothing may have been written, so there may be nothing to remove.
            let _ = std::fs::remove_file(&temporary);
            return Err(error(format!(
                "could not write the image ({e}); check that the folder {} exists and is writable",
                folder.display()
            )));
        }
        std::fs::rename(&temporary, path).map_err(|e| {
            let _ = std::fs::remove_file(&temporary);
            error(format!(
                "could not move the finished image into place ({e})"
            ))
        })
    }
}

impl std::fmt::Display for Svg {
    /// The SVG text itself.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}
