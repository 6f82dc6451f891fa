//! End-to-end: the `callscreen` binary in CONTRACT.md's forms, on the fixtures.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::PathBuf;
use std::process::{Command, Output};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn run(args: &[&str], db: &std::path::Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_callscreen"))
        .current_dir(root())
        .args(args)
        .arg("--db")
        .arg(db)
        .output()
        .unwrap()
}

const FIXTURE_ARGS: &[&str] = &[
    "--trust-anchor",
    "tests/data/pki/sti-ca-root.pem",
    "--rcd-trust-anchor",
    "tests/data/pki/rcd-root.pem",
    "--crl",
    "tests/data/crl/sti-ca-intermediate.crl",
    "--crl",
    "tests/data/crl/sti-pa.crl",
    "--crl-signer",
    "tests/data/pki/sti-pa-crl-signer.pem",
    "--rcd-content",
    "https://rcd.example.org/bank-logo.png=tests/data/rcd/bank-logo.png",
    "--rcd-content",
    "https://rcd.example.org/tampered-logo.png=tests/data/rcd/tampered-logo.png",
    "--cert-dir",
    "tests/data/certs",
    "--own-number",
    "+12155551213",
    "--now",
    "2026-11-22T12:00:00Z",
    "--trust-verstat",
];

/// `replay --json` over `tests/data/invites` with the fixture options, on a
/// fresh database; it must succeed.
fn replay_fixtures_json() -> Output {
    let dir = tempfile::tempdir().unwrap();
    let mut args = vec!["replay"];
    args.extend_from_slice(FIXTURE_ARGS);
    args.extend_from_slice(&["--json", "tests/data/invites"]);
    let out = run(&args, &dir.path().join("db"));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// The whole `replay --json` output over `tests/data/invites`, byte for byte:
/// a change of behaviour, intended or not, shows here. An intended change
/// updates `tests/data/golden/replay.jsonl` in the same commit
/// (`scripts/update-golden.sh`).
#[test]
fn replay_json_is_the_golden_output_byte_for_byte() {
    let out = replay_fixtures_json();
    let golden = std::fs::read(root().join("tests/data/golden/replay.jsonl")).unwrap();
    if out.stdout != golden {
        let got = String::from_utf8_lossy(&out.stdout);
        let want = String::from_utf8_lossy(&golden);
        let first = got
            .lines()
            .zip(want.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(got.lines().count().min(want.lines().count()));
        panic!(
            "replay --json differs from the golden file at line {}:\n got: {}\nwant: {}",
            first + 1,
            got.lines().nth(first).unwrap_or("<end>"),
            want.lines().nth(first).unwrap_or("<end>")
        );
    }
}

#[test]
fn replay_json_matches_the_expected_table() {
    let out = replay_fixtures_json();
    let table = std::fs::read_to_string(root().join("tests/data/invites/expected.tsv")).unwrap();
    let expected: std::collections::HashMap<&str, &str> = table
        .lines()
        .skip(1)
        .map(|l| {
            let c: Vec<&str> = l.split('\t').collect();
            (c[0], c[3])
        })
        .collect();
    let stdout = String::from_utf8(out.stdout).unwrap();
    let mut n = 0;
    for line in stdout.lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        for key in [
            "indication",
            "action",
            "presentation",
            "display",
            "verification",
            "score",
            "reasons",
            "file",
        ] {
            assert!(v.get(key).is_some(), "missing {key} in {line}");
        }
        for key in [
            "status",
            "attestation",
            "source",
            "verstat",
            "signer",
            "failure",
            "cert_needed",
        ] {
            assert!(
                v["verification"].get(key).is_some(),
                "missing verification.{key}"
            );
        }
        let file = v["file"].as_str().unwrap();
        assert_eq!(v["indication"].as_str().unwrap(), expected[file], "{file}");
        if let Some(code) = v["verification"]["failure"]["code"].as_u64() {
            assert!([403, 428, 436, 437, 438].contains(&code));
        }
        n += 1;
    }
    assert_eq!(n, expected.len());
}

#[test]
fn replay_human_prints_a_summary_table() {
    let dir = tempfile::tempdir().unwrap();
    let mut args = vec!["replay"];
    args.extend_from_slice(FIXTURE_ARGS);
    args.push("tests/data/invites");
    let out = run(&args, &dir.path().join("db"));
    assert!(out.status.success());
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.contains("calls screened, 0 refused"), "{stdout}");
    assert!(stdout.contains("signature_invalid"));
    assert!(
        stdout.lines().any(|l| l.starts_with("verified ")),
        "{stdout}"
    );
}

#[test]
fn screen_prints_a_verdict_and_exit_0_even_when_verification_fails() {
    let dir = tempfile::tempdir().unwrap();
    for (file, word) in [
        ("01-good-attest-a.sip", "verified"),
        ("04-signature-invalid.sip", "likely_spam"),
    ] {
        let path = format!("tests/data/invites/{file}");
        let mut args = vec!["screen"];
        args.extend_from_slice(FIXTURE_ARGS);
        args.push(&path);
        let out = run(&args, &dir.path().join("db"));
        assert!(out.status.success());
        let stdout = String::from_utf8(out.stdout).unwrap();
        assert!(
            stdout.starts_with(&format!("indication:    {word}")),
            "{stdout}"
        );
    }
}

/// The seed story: an Acme employee calls from a number Acme's delegate
/// certificate covers, with rich call data its claim constraints vet.
#[test]
fn an_enterprise_call_under_a_delegate_certificate_is_a_verified_business() {
    let dir = tempfile::tempdir().unwrap();
    let mut args = vec!["screen"];
    args.extend_from_slice(FIXTURE_ARGS);
    args.extend_from_slice(&["--json", "tests/data/invites/61-rcd-vetted-constraints.sip"]);
    let out = run(&args, &dir.path().join("db"));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["indication"], "verified_business");
    assert_eq!(v["display"]["name"], "Acme Pharmacy");
    assert_eq!(v["display"]["call_reason"], "Your prescription is ready");
    assert_eq!(v["verification"]["signer"]["delegate"], true);
    assert_eq!(v["verification"]["attestation"], "A");
    assert!(v["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["code"] == "rcd_verified"));
    // The human form shows the name.
    let mut args = vec!["screen"];
    args.extend_from_slice(FIXTURE_ARGS);
    args.push("tests/data/invites/61-rcd-vetted-constraints.sip");
    let out = run(&args, &dir.path().join("db"));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.starts_with("indication:    verified_business"),
        "{stdout}"
    );
    assert!(stdout.contains("name:          Acme Pharmacy"), "{stdout}");
    // Without the options, no CRL: the revoked leaf passes; with them it does not.
    let out = run(
        &[
            "screen",
            "--trust-anchor",
            "tests/data/pki/sti-ca-root.pem",
            "--cert-dir",
            "tests/data/certs",
            "--own-number",
            "+12155551213",
            "--now",
            "2026-11-22T12:00:00Z",
            "--json",
            "tests/data/invites/58-cert-revoked.sip",
        ],
        &dir.path().join("db2"),
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["verification"]["status"], "passed");
}

#[test]
fn bad_extended_identity_options_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    for bad in [
        vec!["--crl", "tests/data/pki/sti-ca-root.pem"],
        vec!["--crl", "tests/data/crl/missing.crl"],
        vec!["--rcd-content", "no-equals-sign"],
        vec![
            "--rcd-content",
            "https://x.example/a=tests/data/rcd/missing.png",
        ],
    ] {
        let mut args = vec!["screen"];
        args.extend_from_slice(&bad);
        args.push("tests/data/invites/01-good-attest-a.sip");
        let out = run(&args, &dir.path().join("db"));
        assert_eq!(out.status.code(), Some(2), "{bad:?}");
        assert_eq!(
            String::from_utf8(out.stderr).unwrap().lines().count(),
            1,
            "{bad:?}"
        );
    }
}

#[test]
fn unusable_input_exits_2_with_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let not_sip = dir.path().join("not.sip");
    std::fs::write(&not_sip, "hello world\r\n\r\n").unwrap();
    let huge = dir.path().join("huge.sip");
    std::fs::write(&huge, vec![b'a'; 70_000]).unwrap();
    let missing = dir.path().join("missing.sip");
    for file in [&not_sip, &huge, &missing] {
        let out = run(&["screen", file.to_str().unwrap()], &dir.path().join("db"));
        assert_eq!(out.status.code(), Some(2), "{}", file.display());
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
    }
    let out = run(
        &[
            "screen",
            "--now",
            "yesterday",
            "tests/data/invites/01-good-attest-a.sip",
        ],
        &dir.path().join("db"),
    );
    assert_eq!(out.status.code(), Some(2));
    let out = run(
        &[
            "screen",
            "--default-region",
            "XX",
            "tests/data/invites/01-good-attest-a.sip",
        ],
        &dir.path().join("db"),
    );
    assert_eq!(out.status.code(), Some(2));
}
