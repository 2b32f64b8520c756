//! Writing result files without ever overwriting one by surprise.
//!
//! Paths are checked before any work starts, so a long training run does
//! not end in "file exists"; the write itself uses `create_new` as well, so
//! a file that appeared in the meantime is not clobbered either.

use std::io::Write;
use std::path::Path;

use anyhow::{bail, Context, Result};

/// Checks that none of `paths` exists (unless `force`) and that no path is
/// given twice.
pub fn check_free(paths: &[&Path], force: bool) -> Result<()> {
    for (i, p) in paths.iter().enumerate() {
        if paths[..i].contains(p) {
            bail!(
                "{} is given for two outputs; give each its own file",
                p.display()
            );
        }
        if !force && p.exists() {
            bail!(
                "{} already exists; add --force to overwrite it",
                p.display()
            );
        }
        if p.is_dir() {
            bail!("{} is a directory; give a file name", p.display());
        }
    }
    Ok(())
}

/// Writes `bytes` to `path`; an existing file is replaced only if `force`.
pub fn write(path: &Path, bytes: &[u8], force: bool) -> Result<()> {
    let mut open = std::fs::OpenOptions::new();
    open.write(true);
    if force {
        open.create(true).truncate(true);
    } else {
        open.create_new(true);
    }
    let mut file = open.open(path).map_err(|e| {
        if e.kind() == std::io::ErrorKind::AlreadyExists {
            anyhow::anyhow!(
                "{} already exists; add --force to overwrite it",
                path.display()
            )
        } else {
            anyhow::anyhow!("{}: cannot write: {e}", path.display())
        }
    })?;
    file.write_all(bytes)
        .with_context(|| format!("{}: cannot write", path.display()))
}
