//! Writing a file so that it is either all there or not changed at all.
//!
//! Writing straight into `model.safetensors` has a window in which the file
//! holds half the old model or half the new one: a crash, a full disk or a
//! killed kernel in that window leaves a file nobody can load. Instead:
//!
//! 1. write everything into a new temporary file in the *same* folder
//!    (`.model.safetensors.<pid>.<n>.tmp`),
//! 2. `fsync` it, so its bytes are on the disk and not only in a cache,
//! 3. rename it over the target. On one file system a rename is atomic: a
//!    reader sees the old file or the new one, never a mixture,
//! 4. `fsync` the folder, so that the rename itself survives a power cut.
//!
//! If any step fails the temporary file is removed and the target is left
//! exactly as it was.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use crate::error::{Error, Result};

/// Writes `bytes` to `path` atomically: afterwards `path` holds either its
/// old content or all of `bytes`, never a part (see the module docs).
///
/// ```
/// let path = std::env::temp_dir().join("nn-atomic-doc.txt");
/// nn::atomic::write_atomic(&path, b"first")?;
/// nn::atomic::write_atomic(&path, b"second")?;
/// assert_eq!(std::fs::read(&path).unwrap(), b"second");
/// # std::fs::remove_file(&path).ok();
/// # Ok::<(), nn::Error>(())
/// ```
pub fn write_atomic(path: impl AsRef<Path>, bytes: &[u8]) -> Result<()> {
    write_atomic_with(path.as_ref(), |file| file.write_all(bytes))
}

/// [`write_atomic`] with the writing done by `write`, so that a test can
/// make it fail halfway.
pub(crate) fn write_atomic_with(
    path: &Path,
    write: impl FnOnce(&mut File) -> io::Result<()>,
) -> Result<()> {
    let fail = |message: String| Error::file(path, message);
    let Some(name) = path.file_name() else {
        return Err(fail(
            "this is not a file name; give a path that ends in one, such as model.safetensors"
                .into(),
        ));
    };
    if path.is_dir() {
        return Err(fail(
            "this is a folder; give the path of a file inside it, such as folder/model.safetensors"
                .into(),
        ));
    }
    let folder = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let (tmp, mut file) = create_temporary(&folder, &name.to_string_lossy()).map_err(|e| {
        let message = format!(
            "cannot create a file in {} ({e}); check that the folder exists and that you may write to it",
            folder.display()
        );
        Error::io(path, message, e)
    })?;
    let written = write(&mut file)
        .and_then(|()| file.sync_all())
        .and_then(|()| {
            drop(file);
            fs::rename(&tmp, path)
        });
    if let Err(e) = written {
        // Best effort: the temporary file is ours and useless now.
        let _ = fs::remove_file(&tmp);
        let message = format!(
            "writing failed ({e}), so the file was left as it was; check that the disk has room \
             and that the path is writable, then save again"
        );
        return Err(Error::io(path, message, e));
    }
    sync_folder(&folder);
    Ok(())
}

/// Creates a temporary file that did not exist before, next to the target.
fn create_temporary(folder: &Path, name: &str) -> io::Result<(PathBuf, File)> {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    loop {
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let tmp = folder.join(format!(".{name}.{}.{n}.tmp", std::process::id()));
        match OpenOptions::new().write(true).create_new(true).open(&tmp) {
            Ok(file) => return Ok((tmp, file)),
            // Left behind by a crashed process with our pid: take the next number.
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
}

/// Makes the rename durable. Some systems cannot open a folder for syncing;
/// the file is complete either way, so a failure here is not reported.
fn sync_folder(folder: &Path) {
    #[cfg(unix)]
    if let Ok(dir) = File::open(folder) {
        let _ = dir.sync_all();
    }
    #[cfg(not(unix))]
    let _ = folder;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("nn-atomic-{name}-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn leftovers(dir: &Path) -> Vec<String> {
        fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".tmp"))
            .collect()
    }

    #[test]
    fn a_write_that_fails_halfway_leaves_the_old_file() {
        let dir = scratch("halfway");
        let path = dir.join("model.safetensors");
        write_atomic(&path, b"the good old model").unwrap();
        let err = write_atomic_with(&path, |f| {
            f.write_all(b"half of a new")?;
            Err(io::Error::other("disk full (simulated)"))
        })
        .unwrap_err();
        assert!(err.to_string().contains("disk full (simulated)"), "{err}");
        assert!(err.to_string().contains("left as it was"), "{err}");
        assert_eq!(fs::read(&path).unwrap(), b"the good old model");
        assert!(leftovers(&dir).is_empty(), "{:?}", leftovers(&dir));
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_missing_folder_or_a_folder_as_target_is_an_error() {
        let dir = scratch("folders");
        let err = write_atomic(dir.join("no/such/folder/m.safetensors"), b"x").unwrap_err();
        assert!(
            err.to_string().contains("check that the folder exists"),
            "{err}"
        );
        let err = write_atomic(&dir, b"x").unwrap_err();
        assert!(err.to_string().contains("this is a folder"), "{err}");
        assert!(leftovers(&dir).is_empty());
        fs::remove_dir_all(&dir).unwrap();
    }
}
