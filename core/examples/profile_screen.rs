//! Instruction-count profiling of the per-call path (repeatable on a shared
//! machine, unlike wall time): `valgrind --tool=callgrind` on
//! `profile_screen {base|verify|screen} N` and compare the totals.
//! See `scripts/profile-screen.sh`.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use callscreen_core::cert::{parse_chain, CertInfo, DirectorySource};
use callscreen_core::{FixedClock, Screener, ScreenerConfig};
use std::hint::black_box;
use std::path::PathBuf;
use std::sync::Arc;

fn data(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/data")
        .join(rel)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let mode = args.get(1).map(String::as_str).unwrap_or("screen");
    let n: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(1000);
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
    let key = CertInfo::from_der(
        &parse_chain(&std::fs::read(data("certs/sp-leaf.pem")).unwrap()).unwrap()[0],
    )
    .unwrap()
    .key;
    for _ in 0..n {
        match mode {
            "verify" => ring::signature::UnparsedPublicKey::new(
                &ring::signature::ECDSA_P256_SHA256_FIXED,
                &key,
            )
            .verify(black_box(input.as_bytes()), black_box(&sig))
            .unwrap(),
            "screen" => {
                black_box(screener.screen_sip(black_box(&invite)).unwrap());
            }
            _ => {}
        }
    }
}
