//! Helpers shared by the CLI's end-to-end tests: run the `callscreen` binary
//! from the workspace root and read its output.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::PathBuf;
use std::process::{Command, Output};

/// The workspace root (fixture paths in tests are relative to it).
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Run `callscreen ARGS` in the workspace root.
pub fn cs(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_callscreen"))
        .current_dir(root())
        .args(args)
        .output()
        .unwrap()
}

/// Run `callscreen ARGS`, assert it succeeded, and return its stdout.
pub fn ok(args: &[&str]) -> String {
    let out = cs(args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// One JSON value per line.
pub fn json_lines(text: &str) -> Vec<serde_json::Value> {
    text.lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}
