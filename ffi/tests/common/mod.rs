//! What the FFI tests share: the fixtures' clock and data directory, and a
//! configuration with the defaults the bindings declare (`#[uniffi(default)]`),
//! which Rust callers do not get for free.
#![allow(dead_code)]

use callscreen_ffi::{Action, ScreenerConfig};
use std::path::PathBuf;

/// 2026-11-22T12:00:00Z, the fixtures' clock.
pub const NOW: i64 = 1_795_348_800;

/// `tests/data` of the workspace.
pub fn data() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/data")
}

/// The bindings' defaults, own number +12155551213, likely spam allowed.
pub fn base_config() -> ScreenerConfig {
    ScreenerConfig {
        db_path: None,
        start_fresh_if_corrupt: false,
        trust_anchors_pem: vec![],
        rcd_trust_anchors_pem: vec![],
        crls_der: vec![],
        crl_signers_pem: vec![],
        rcd_content: vec![],
        profile_checks: false,
        own_numbers: vec!["+12155551213".into()],
        default_region: None,
        iat_window_secs: 60,
        cert_refresh_secs: 3600,
        trust_verstat: false,
        verstat_from_header: false,
        present_only_trusted_cli: false,
        likely_spam_action: Action::Allow,
        spam_threshold: 70,
        policy: None,
    }
}
