//! Writing result files without ever overwriting one by surprise, and
//! without ever leaving half a file.
//!
//! Paths are checked before any work starts, so a long training run does
//! not end in "file exists". Each write is the library's atomic one
//! (`nn::atomic::write_atomic`: a temporary file beside the target, synced,
//! then renamed over it), so with `--force` the old file stays whole until
//! the new one is complete: a crash or a full disk mid-write loses nothing.

use std::path::Path;

use anyhow::{bail, Result};

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
        if p.is_dir() {
            bail!("{} is a folder; give a file name", p.display());
        }
        if !force && p.exists() {
            bail!(
                "{} already exists; add --force to overwrite it",
                p.display()
            );
        }
    }
    Ok(())
}

/// Writes `bytes` to `path` atomically; an existing file is replaced only
/// if `force` (checked again here, for a file that appeared meanwhile).
pub fn write(path: &Path, bytes: &[u8], force: bool) -> Result<()> {
    check_free(&[path], force)?;
    Ok(nn::atomic::write_atomic(path, bytes)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_forced_write_replaces_the_file_whole_and_leaves_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("model.safetensors");
        write(&path, b"old model", false).unwrap();
        let err = write(&path, b"new", false).unwrap_err().to_string();
        assert!(err.contains("already exists; add --force"), "{err}");
        assert_eq!(std::fs::read(&path).unwrap(), b"old model");
        write(&path, b"new", true).unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"new");
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["model.safetensors"]);
    }

    #[cfg(unix)]
    #[test]
    fn the_old_file_is_never_written_into() {
        // A second name for the old file's bytes: writing into the file
        // (truncate, then write) would change what it shows; renaming a new
        // file over the name leaves them as they were.
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("run.json");
        std::fs::write(&path, "the old record").unwrap();
        let link = dir.path().join("link.json");
        std::fs::hard_link(&path, &link).unwrap();
        write(&path, b"the new record", true).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "the new record");
        assert_eq!(std::fs::read_to_string(&link).unwrap(), "the old record");
    }
}
