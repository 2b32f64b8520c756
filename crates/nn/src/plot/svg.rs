//! [`Svg`]: a finished picture, as SVG text.

use std::path::Path;

use crate::error::Result;

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
    /// The write is atomic ([`write_atomic`](crate::atomic::write_atomic)):
    /// a reader of `path` never sees half a picture, even if the disk fills
    /// up while writing, and an old file is never left half overwritten.
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
        crate::atomic::write_atomic(path, self.0.as_bytes())
    }
}

impl std::fmt::Display for Svg {
    /// The SVG text itself.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}
