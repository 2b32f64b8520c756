//! What the end-to-end tests share: running `nn`, writing input files, and
//! the one-line-error rule.

#![allow(dead_code)] // each test file uses its own part of this module

use std::path::{Path, PathBuf};

use assert_cmd::Command;

/// The `nn` binary, with backtraces requested: none may reach the user.
pub fn nn() -> Command {
    let mut cmd = assert_cmd::cargo::cargo_bin_cmd!("nn");
    cmd.env("RUST_BACKTRACE", "1");
    cmd
}

/// `nn` run in `dir` with `args`, split at spaces as a shell would (add
/// arguments that contain spaces with `.arg`).
pub fn nn_in(dir: &Path, args: &str) -> Command {
    let mut cmd = nn();
    cmd.current_dir(dir).args(args.split_whitespace());
    cmd
}

/// Writes `text` to `dir/name` and returns the path.
pub fn file(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

/// Runs `cmd` and checks that it failed with exit code 1 and exactly one
/// line on stderr, `error: …` containing `what`. Returns that line.
pub fn fails_with(cmd: &mut Command, what: &str) -> String {
    let out = cmd.output().unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(1), "stderr: {stderr}");
    assert!(
        !stderr.contains("panicked") && !stderr.contains("backtrace"),
        "{stderr}"
    );
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 1, "not one line: {stderr}");
    assert!(lines[0].starts_with("error: "), "{stderr}");
    assert!(lines[0].contains(what), "expected {what:?} in: {stderr}");
    lines[0].to_string()
}

/// Runs `cmd`, checks that it succeeded, and returns its stdout.
pub fn stdout_of(cmd: &mut Command) -> String {
    let out = cmd.output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "failed: {stderr}");
    String::from_utf8(out.stdout).unwrap()
}

/// The study-sleep table as a CSV file.
pub const SCORES: &str = "study,sleep,score\n8,8,56\n2,5,20\n7,6,47\n";

/// Checks that `path` is an SVG document and returns how many loss curves
/// it draws: `nn::plot` draws each as a polyline 2 pixels wide (its legend
/// marks are 3 wide).
pub fn svg_curves(path: &Path) -> usize {
    let text = std::fs::read_to_string(path).unwrap();
    let doc = roxmltree::Document::parse(&text).expect("the plot is well-formed XML");
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "svg");
    assert_eq!(
        root.tag_name().namespace(),
        Some("http://www.w3.org/2000/svg")
    );
    doc.descendants()
        .filter(|n| n.has_tag_name("polyline") && n.attribute("stroke-width") == Some("2"))
        .count()
}
