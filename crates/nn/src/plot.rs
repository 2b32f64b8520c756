//! Plots as SVG, shown inline in a notebook and saved to files.

/// An SVG image: shows inline in evcxr as `image/svg+xml`.
#[derive(Debug, Clone, PartialEq)]
pub struct Svg(pub String);
