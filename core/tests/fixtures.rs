//! Every generated INVITE in `tests/data/invites` screens to the outcome
//! `expected.tsv` records (status, attestation, indication, and a reason that
//! must be among the verdict's reasons), in name order through one screener.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use callscreen_core::reason::ReasonCode;
use common::{data, fixture_screener, FIXTURE_NOW};

#[test]
fn every_fixture_gets_its_expected_verdict() {
    let screener = fixture_screener(FIXTURE_NOW);
    let table = std::fs::read_to_string(data("invites/expected.tsv")).unwrap();
    let mut checked = 0;
    let mut failures = Vec::new();
    for line in table.lines().skip(1).filter(|l| !l.trim().is_empty()) {
        let cols: Vec<&str> = line.split('\t').collect();
        let [file, status, attestation, indication, reason] = cols[..] else {
            panic!("bad expected.tsv line {line:?}");
        };
        let invite = std::fs::read(data(&format!("invites/{file}"))).unwrap();
        let v = screener.screen_sip(&invite).unwrap();
        let got_att = v
            .verification
            .attestation
            .map(|a| a.as_str())
            .unwrap_or("-");
        let codes: Vec<&str> = v.reasons.iter().map(|r| r.code.as_str()).collect();
        let reason_ok = reason == "-" || codes.contains(&reason);
        if v.verification.status.as_str() != status
            || got_att != attestation
            || v.indication.as_str() != indication
            || !reason_ok
        {
            failures.push(format!(
                "{file}: expected {status}/{attestation}/{indication}/{reason}, got {}/{got_att}/{}/{codes:?}",
                v.verification.status.as_str(),
                v.indication.as_str()
            ));
        }
        // A failure's code is the reason's response code (CONTRACT.md).
        if let Some(f) = v.verification.failure {
            assert_eq!(
                Some(f.code),
                f.reason.failure_code().or(Some(438)),
                "{file}"
            );
        }
        checked += 1;
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(checked >= 48, "only {checked} fixtures");
}

#[test]
fn cert_unavailable_names_the_url_and_add_certificate_fixes_it() {
    let screener = fixture_screener(FIXTURE_NOW);
    let invite = std::fs::read(data("invites/19-cert-unavailable.sip")).unwrap();
    let v = screener.screen_sip(&invite).unwrap();
    assert_eq!(
        v.verification.cert_needed,
        vec!["https://certs.example.org/missing.pem".to_string()]
    );
    // The app fetches the certificate and hands it back: the call then verifies.
    let chain = std::fs::read(data("certs/sp-leaf.pem")).unwrap();
    screener
        .add_certificate("https://certs.example.org/missing.pem", &chain)
        .unwrap();
    let v = screener.screen_sip(&invite).unwrap();
    assert!(v.verification.passed(), "{:?}", v.reasons);
    assert!(v.verification.cert_needed.is_empty());
}

#[test]
fn added_certificates_survive_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.db");
    let open = || {
        let config = callscreen_core::ScreenerConfig {
            db_path: Some(db.clone()),
            trust_anchors_pem: vec![std::fs::read(data("pki/sti-ca-root.pem")).unwrap()],
            own_numbers: vec!["+12155551213".into()],
            ..Default::default()
        };
        callscreen_core::Screener::open(
            config,
            std::sync::Arc::new(callscreen_core::identification::cert::NoSource),
            std::sync::Arc::new(callscreen_core::FixedClock(FIXTURE_NOW)),
        )
        .unwrap()
    };
    let invite = std::fs::read(data("invites/01-good-attest-a.sip")).unwrap();
    let first = open();
    assert_eq!(
        first
            .screen_sip(&invite)
            .unwrap()
            .verification
            .failure
            .map(|f| f.reason),
        Some(ReasonCode::CertUnavailable)
    );
    first
        .add_certificate(
            "https://certs.example.org/sp-leaf.pem",
            &std::fs::read(data("certs/sp-leaf.pem")).unwrap(),
        )
        .unwrap();
    drop(first);
    let second = open();
    assert!(second.screen_sip(&invite).unwrap().verification.passed());
}

#[test]
fn a_known_signer_is_validated_once() {
    let screener = fixture_screener(FIXTURE_NOW);
    for f in [
        "01-good-attest-a.sip",
        "02-good-attest-b.sip",
        "03-good-attest-c.sip",
        "36-ppt-bare.sip",
    ] {
        let v = screener
            .screen_sip(&std::fs::read(data(&format!("invites/{f}"))).unwrap())
            .unwrap();
        assert!(v.verification.passed());
    }
    assert_eq!(screener.chain_validations().unwrap(), 1);
}

#[test]
fn replacing_trust_anchors_drops_cached_validations() {
    let screener = fixture_screener(FIXTURE_NOW);
    let invite = std::fs::read(data("invites/01-good-attest-a.sip")).unwrap();
    assert!(screener.screen_sip(&invite).unwrap().verification.passed());
    screener
        .set_trust_anchors(&[std::fs::read(data("pki/rogue-root.pem")).unwrap()])
        .unwrap();
    let v = screener.screen_sip(&invite).unwrap();
    assert_eq!(
        v.verification.failure.map(|f| f.reason),
        Some(ReasonCode::CertUntrusted)
    );
}

#[test]
fn verstat_is_ignored_from_an_untrusted_intake() {
    let config = callscreen_core::ScreenerConfig {
        trust_anchors_pem: vec![std::fs::read(data("pki/sti-ca-root.pem")).unwrap()],
        own_numbers: vec!["+12155551213".into()],
        trust_verstat: false,
        ..Default::default()
    };
    let screener = callscreen_core::Screener::open(
        config,
        std::sync::Arc::new(callscreen_core::identification::cert::NoSource),
        std::sync::Arc::new(callscreen_core::FixedClock(FIXTURE_NOW)),
    )
    .unwrap();
    let v = screener
        .screen_sip(&std::fs::read(data("invites/27-verstat-passed.sip")).unwrap())
        .unwrap();
    assert_eq!(v.verification.status.as_str(), "no_validation");
    assert_eq!(v.verification.verstat, None);
    assert!(v
        .reasons
        .iter()
        .any(|r| r.code == ReasonCode::VerstatUntrusted));
}

#[test]
fn present_only_trusted_clis_hides_unverified_numbers() {
    let config = callscreen_core::ScreenerConfig {
        trust_anchors_pem: vec![std::fs::read(data("pki/sti-ca-root.pem")).unwrap()],
        own_numbers: vec!["+12155551213".into()],
        present_only_trusted_cli: true,
        ..Default::default()
    };
    let screener = callscreen_core::Screener::open(
        config,
        std::sync::Arc::new(callscreen_core::identification::cert::DirectorySource::new(
            data("certs"),
        )),
        std::sync::Arc::new(callscreen_core::FixedClock(FIXTURE_NOW)),
    )
    .unwrap();
    let v = screener
        .screen_sip(&std::fs::read(data("invites/47-no-identity.sip")).unwrap())
        .unwrap();
    assert_eq!(v.indication.as_str(), "number_not_available");
    assert_eq!(v.display.number, None);
    assert!(v
        .reasons
        .iter()
        .any(|r| r.code == ReasonCode::UntrustedCliHidden));
    let v = screener
        .screen_sip(&std::fs::read(data("invites/01-good-attest-a.sip")).unwrap())
        .unwrap();
    assert_eq!(v.indication.as_str(), "verified");
    assert_eq!(v.display.number.as_deref(), Some("+12155551212"));
}

#[test]
fn platform_view() {
    use callscreen_core::intake::call::{
        IncomingCall, PlatformPresentation, PlatformVerificationStatus,
    };
    let screener = fixture_screener(FIXTURE_NOW);
    let call = |n: &str, p, s| {
        IncomingCall::from_platform(
            Some(n.into()),
            p,
            PlatformVerificationStatus::from_android(s),
        )
    };
    let v = screener
        .screen(&call("+12155551212", PlatformPresentation::Allowed, 1))
        .unwrap();
    assert_eq!(
        (v.indication.as_str(), v.verification.attestation),
        ("verified", None)
    );
    assert_eq!(v.verification.source.map(|s| s.as_str()), Some("platform"));
    let v = screener
        .screen(&call("+12155551212", PlatformPresentation::Allowed, 2))
        .unwrap();
    assert_eq!(v.indication.as_str(), "likely_spam");
    let v = screener
        .screen(&call("+12155551212", PlatformPresentation::Allowed, 0))
        .unwrap();
    assert_eq!(v.indication.as_str(), "unverified");
    let v = screener
        .screen(&call("", PlatformPresentation::Restricted, 0))
        .unwrap();
    assert_eq!(
        (v.indication.as_str(), v.display.number.clone()),
        ("withheld", None)
    );
}

#[test]
fn one_screener_on_many_threads() {
    let screener = std::sync::Arc::new(fixture_screener(FIXTURE_NOW));
    let invite = std::fs::read(data("invites/01-good-attest-a.sip")).unwrap();
    let handles: Vec<_> = (0..4)
        .map(|_| {
            let s = screener.clone();
            let inv = invite.clone();
            std::thread::spawn(move || {
                (0..50).all(|_| s.screen_sip(&inv).unwrap().verification.passed())
            })
        })
        .collect();
    for h in handles {
        assert!(h.join().unwrap());
    }
}
