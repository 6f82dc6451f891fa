//! Helpers shared by the integration tests: paths to the fixtures in `tests/data`
//! and the shared vectors in `../shared/vectors`, and a screener set up as the
//! README's replay command sets it up.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use callscreen_core::clock::FixedClock;
use callscreen_core::identification::cert::DirectorySource;
use callscreen_core::{Screener, ScreenerConfig};
use std::path::PathBuf;
use std::sync::Arc;

/// 2026-11-22T12:00:00Z, the fixtures' clock.
pub const FIXTURE_NOW: i64 = 1_795_348_800;

/// The workspace root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// `tests/data/...`.
pub fn data(rel: &str) -> PathBuf {
    root().join("tests/data").join(rel)
}

/// `../shared/vectors/...` (beside the checkout, as in CI).
pub fn vectors(rel: &str) -> PathBuf {
    root().join("../shared/vectors").join(rel)
}

/// The fixture screener: test STI-CA root, the test rcd root, the
/// intermediate's CRL and the STI-PA's indirect one (with its signer), the rich call data content of `tests/data/rcd`,
/// `tests/data/certs`, own number +12155551213, trusted verstat, clock at `now`.
pub fn fixture_screener(now: i64) -> Screener {
    let config = ScreenerConfig {
        trust_anchors_pem: vec![std::fs::read(data("pki/sti-ca-root.pem")).unwrap()],
        rcd_trust_anchors_pem: vec![std::fs::read(data("pki/rcd-root.pem")).unwrap()],
        crls_der: vec![
            std::fs::read(data("crl/sti-ca-intermediate.crl")).unwrap(),
            std::fs::read(data("crl/sti-pa.crl")).unwrap(),
        ],
        crl_signers_pem: vec![std::fs::read(data("pki/sti-pa-crl-signer.pem")).unwrap()],
        rcd_content: fixture_rcd_content(),
        own_numbers: vec!["+12155551213".into()],
        trust_verstat: true,
        ..ScreenerConfig::default()
    };
    Screener::open(
        config,
        Arc::new(DirectorySource::new(data("certs"))),
        Arc::new(FixedClock(now)),
    )
    .unwrap()
}

/// The content the fixtures' rich call data names (`--rcd-content URL=FILE`).
pub fn fixture_rcd_content() -> std::collections::BTreeMap<String, Vec<u8>> {
    ["bank-logo.png", "tampered-logo.png"]
        .iter()
        .map(|f| {
            (
                format!("https://rcd.example.org/{f}"),
                std::fs::read(data(&format!("rcd/{f}"))).unwrap(),
            )
        })
        .collect()
}

/// Sections of a shared vector file: `==== name ====` then its text.
pub fn sections(text: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for line in text.lines() {
        if let Some(name) = line
            .strip_prefix("==== ")
            .and_then(|l| l.strip_suffix(" ===="))
        {
            out.push((name.to_string(), String::new()));
        } else if let Some((_, body)) = out.last_mut() {
            body.push_str(line);
            body.push('\n');
        }
    }
    out
}

/// The body of the first section whose name contains `needle`.
pub fn section(text: &str, needle: &str) -> String {
    sections(text)
        .into_iter()
        .find(|(n, _)| n.contains(needle))
        .map(|(_, b)| b)
        .unwrap_or_else(|| panic!("no section {needle}"))
}
