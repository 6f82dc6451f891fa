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

/// `callscreen screen --json` of `file` on database `db` at `now` (RFC 3339),
/// trusting the test STI-CA with the fixtures' certificate directory and own
/// number, plus `extra` arguments; the verdict.
pub fn screen_verified(db: &str, file: &str, now: &str, extra: &[&str]) -> serde_json::Value {
    let mut args = vec![
        "screen",
        "--db",
        db,
        "--trust-anchor",
        "tests/data/pki/sti-ca-root.pem",
        "--cert-dir",
        "tests/data/certs",
        "--own-number",
        "+12155551213",
        "--now",
        now,
        "--json",
    ];
    args.extend_from_slice(extra);
    args.push(file);
    serde_json::from_str(&ok(&args)).unwrap()
}
