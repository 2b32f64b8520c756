//! Puts a fingerprint of this crate's sources on rustc's command line.
//!
//! Why: the notebooks' Rust kernel (evcxr) keeps compiled crates in a cache
//! whose key is rustc's command line, not the sources. The kernel that
//! `kernel-install.sh` sets up lets that cache keep `nn` too, so that a
//! notebook starts in seconds instead of compiling `nn` again. The
//! fingerprint below makes an edited crate a different command line, hence a
//! different key: an edit is always compiled, never answered from the cache.
//! Everywhere else it is one unused `--cfg` and costs nothing.

use std::collections::hash_map::DefaultHasher;
use std::fs;
use std::hash::Hasher;
use std::path::{Path, PathBuf};

fn main() {
    println!("cargo::rerun-if-changed=src");
    println!("cargo::rerun-if-changed=Cargo.toml");
    println!("cargo::rustc-check-cfg=cfg(nn_sources, values(any()))");

    let mut files = vec![PathBuf::from("Cargo.toml")];
    collect_files(Path::new("src"), &mut files);
    files.sort(); // the same sources give the same fingerprint in any directory order

    let mut hasher = DefaultHasher::new();
    for file in &files {
        hasher.write(file.to_string_lossy().as_bytes());
        hasher.write(&fs::read(file).unwrap_or_default());
    }
    println!("cargo::rustc-cfg=nn_sources=\"{:016x}\"", hasher.finish());
}

/// Every file under `dir`, recursively.
fn collect_files(dir: &Path, files: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect_files(&path, files);
        } else {
            files.push(path);
        }
    }
}
