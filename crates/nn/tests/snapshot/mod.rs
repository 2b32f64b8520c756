//! Stored pictures: a plot is compared with the SVG a person looked at and
//! committed, in `tests/data/snapshots/`, so that a change to any drawing
//! code shows up as a failing test instead of slipping through.
//!
//! When a change to a picture is intended: look at the new one (the failure
//! message says where it was written), then store it with
//!
//! ```text
//! NN_UPDATE_SNAPSHOTS=1 cargo test -p nn --test plot_matrices --test plot_lines
//! ```
//!
//! and commit the changed `.svg` files with the change that made them.

use std::path::{Path, PathBuf};

use nn::plot::Svg;

/// The variable that turns comparing into storing.
pub const UPDATE: &str = "NN_UPDATE_SNAPSHOTS";

/// Where the stored pictures live.
pub fn stored_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/snapshots")
}

/// Panics unless `svg` is, byte for byte, the stored picture `name`.svg;
/// with `NN_UPDATE_SNAPSHOTS=1` stores it instead.
pub fn assert_snapshot(name: &str, svg: &Svg) {
    let update = std::env::var(UPDATE).is_ok_and(|v| v == "1");
    let drawn = Path::new(env!("CARGO_TARGET_TMPDIR")).join("snapshots");
    // This file is compiled into each test that uses it, under that test's name.
    let command = format!(
        "{UPDATE}=1 cargo test -p nn --test {}",
        env!("CARGO_CRATE_NAME")
    );
    if let Err(message) = check(&stored_dir(), &drawn, name, svg, update, &command) {
        panic!("{message}");
    }
}

/// Compares `svg` with `stored/name.svg` (or writes it there when
/// `update`). On a difference the new picture is written to
/// `drawn/name.svg`, to look at, and the message says to store it with
/// `command`.
pub fn check(
    stored: &Path,
    drawn: &Path,
    name: &str,
    svg: &Svg,
    update: bool,
    command: &str,
) -> Result<(), String> {
    let path = stored.join(format!("{name}.svg"));
    if update {
        std::fs::create_dir_all(stored).map_err(|e| format!("{}: {e}", stored.display()))?;
        return nn::atomic::write_atomic(&path, svg.as_str().as_bytes()).map_err(|e| e.to_string());
    }
    let how = format!(
        "if the new picture is what you meant, look at it, store it with `{command}` \
         and commit {}",
        path.display()
    );
    let Ok(old) = std::fs::read_to_string(&path) else {
        return Err(format!(
            "there is no stored picture {}; {how}",
            path.display()
        ));
    };
    if old == svg.as_str() {
        return Ok(());
    }
    let new = drawn.join(format!("{name}.svg"));
    let written = std::fs::create_dir_all(drawn)
        .map_err(|e| e.to_string())
        .and_then(|()| {
            nn::atomic::write_atomic(&new, svg.as_str().as_bytes()).map_err(|e| e.to_string())
        });
    let saved = match written {
        Ok(()) => format!("the new picture is in {}", new.display()),
        Err(e) => format!("(the new picture could not be written: {e})"),
    };
    Err(format!(
        "{name}.svg differs from the stored picture {}: {}; {saved}; {how}",
        path.display(),
        first_difference(&old, svg.as_str()),
    ))
}

/// Where two texts first differ, as a line number and both lines.
fn first_difference(old: &str, new: &str) -> String {
    let mut old_lines = old.lines();
    let mut new_lines = new.lines();
    for line in 1.. {
        match (old_lines.next(), new_lines.next()) {
            (Some(a), Some(b)) if a == b => continue,
            (None, None) => break,
            (a, b) => {
                let show = |s: Option<&str>| {
                    s.map_or("(the end)".to_string(), |s| {
                        format!("`{}`", s.chars().take(120).collect::<String>())
                    })
                };
                return format!("line {line} was {} and is now {}", show(a), show(b));
            }
        }
    }
    "only the line endings differ".into()
}
