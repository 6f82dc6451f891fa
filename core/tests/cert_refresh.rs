//! A provider replaces the certificate behind its `x5u`: the chain the core holds
//! no longer verifies the signatures, and after the refresh period `cert_needed`
//! names the URL again, once, so the app fetches the new chain.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod common;

use callscreen_core::clock::Clock;
use callscreen_core::identification::cert::NoSource;
use callscreen_core::reason::ReasonCode;
use callscreen_core::{Screener, ScreenerConfig};
use common::{data, FIXTURE_NOW};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

const SP_LEAF_URL: &str = "https://certs.example.org/sp-leaf.pem";

struct SettableClock(AtomicI64);

impl Clock for SettableClock {
    fn now(&self) -> i64 {
        self.0.load(Ordering::SeqCst)
    }
}

#[test]
fn a_held_chain_that_stops_verifying_is_asked_for_again_once_per_period() {
    let clock = Arc::new(SettableClock(AtomicI64::new(FIXTURE_NOW - 50)));
    let config = ScreenerConfig {
        trust_anchors_pem: vec![std::fs::read(data("pki/sti-ca-root.pem")).unwrap()],
        own_numbers: vec!["+12155551213".into()],
        cert_refresh_secs: 30,
        ..ScreenerConfig::default()
    };
    let s = Screener::open(config, Arc::new(NoSource), clock.clone()).unwrap();
    let invite = std::fs::read(data("invites/01-good-attest-a.sip")).unwrap();
    let at = |t: i64| {
        clock.0.store(t, Ordering::SeqCst);
        let v = s.screen_sip(&invite).unwrap();
        (
            v.verification.failure.map(|f| f.reason),
            v.verification.cert_needed,
        )
    };
    let rotated = (
        Some(ReasonCode::SignatureInvalid),
        vec![SP_LEAF_URL.to_string()],
    );
    let quiet = (Some(ReasonCode::SignatureInvalid), vec![]);

    // The URL now serves another key (any valid chain under the same anchor).
    s.add_certificate(
        SP_LEAF_URL,
        &std::fs::read(data("certs/gateway-leaf.pem")).unwrap(),
    )
    .unwrap();
    assert_eq!(at(FIXTURE_NOW - 45), quiet, "fetched 5 s ago: current");
    assert_eq!(at(FIXTURE_NOW - 20), rotated, "held 30 s: due");
    assert_eq!(at(FIXTURE_NOW - 10), quiet, "hinted 10 s ago");
    assert_eq!(at(FIXTURE_NOW + 10), rotated, "a period later, once more");
    // The app fetches the new chain and screens again: it passes.
    s.add_certificate(
        SP_LEAF_URL,
        &std::fs::read(data("certs/sp-leaf.pem")).unwrap(),
    )
    .unwrap();
    assert_eq!(at(FIXTURE_NOW + 11), (None, vec![]));
}

#[test]
fn the_refresh_period_must_be_positive() {
    let config = ScreenerConfig {
        cert_refresh_secs: 0,
        ..ScreenerConfig::default()
    };
    let clock = Arc::new(SettableClock(AtomicI64::new(FIXTURE_NOW)));
    assert!(Screener::open(config, Arc::new(NoSource), clock).is_err());
}
