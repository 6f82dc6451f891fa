//! The per-call fixture shared by the `screen` benchmark and the
//! `profile_screen` example: the good attestation-A INVITE, a screener that
//! trusts the test STI-CA and has validated the signer's chain once, and the
//! same ES256 signature with its signing input and key for ring alone.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use callscreen_core::identification::cert::{parse_chain, CertInfo, DirectorySource};
use callscreen_core::{FixedClock, Screener, ScreenerConfig};
use std::path::PathBuf;
use std::sync::Arc;

pub fn data(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/data")
        .join(rel)
}

pub struct Fixture {
    /// The INVITE text.
    pub invite: Vec<u8>,
    /// A screener whose signer chain is already validated and cached.
    pub screener: Screener,
    /// The JWS signing input (`header.payload`) as received.
    pub input: String,
    /// The 64-byte R‖S signature.
    pub sig: Vec<u8>,
    /// The signer's public key (uncompressed P-256 point).
    pub key: Vec<u8>,
}

pub fn fixture() -> Fixture {
    let invite = std::fs::read(data("invites/01-good-attest-a.sip")).unwrap();
    let config = ScreenerConfig {
        trust_anchors_pem: vec![std::fs::read(data("pki/sti-ca-root.pem")).unwrap()],
        own_numbers: vec!["+12155551213".into()],
        ..ScreenerConfig::default()
    };
    let screener = Screener::open(
        config,
        Arc::new(DirectorySource::new(data("certs"))),
        Arc::new(FixedClock(1_795_348_800)),
    )
    .unwrap();
    assert!(screener.screen_sip(&invite).unwrap().verification.passed());

    let text = String::from_utf8(invite.clone()).unwrap();
    let identity = text.lines().find(|l| l.starts_with("Identity:")).unwrap();
    let token = identity["Identity:".len()..]
        .trim()
        .split(';')
        .next()
        .unwrap();
    let (input, sig) = token.rsplit_once('.').unwrap();
    let sig = URL_SAFE_NO_PAD.decode(sig).unwrap();
    let leaf = &parse_chain(&std::fs::read(data("certs/sp-leaf.pem")).unwrap()).unwrap()[0];
    let key = CertInfo::from_der(leaf).unwrap().key;
    Fixture {
        invite,
        screener,
        input: input.to_string(),
        sig,
        key,
    }
}
