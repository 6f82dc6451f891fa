//! Rust-side tests of the FFI plumbing: the foreign-trait adapters, `shutdown`, and
//! log redaction, without any generated bindings (the Python and Kotlin tests in
//! `tests/bindings/` prove those).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use callscreen_ffi::{
    redact_numbers, set_log_sink, Attestation, CallScreenError, CallScreener, CertificateSource,
    Indication, LogLevel, LogSink, PlatformCall, PlatformPresentation, ScreenerConfig,
    VerificationSource, VerificationStatus,
};
use std::sync::{Arc, Mutex};

mod common;
use common::{base_config, data, NOW};

fn invite(name: &str) -> String {
    std::fs::read_to_string(data().join("invites").join(name)).unwrap()
}

fn config() -> ScreenerConfig {
    ScreenerConfig {
        trust_anchors_pem: vec![
            std::fs::read_to_string(data().join("pki/sti-ca-root.pem")).unwrap()
        ],
        trust_verstat: true,
        ..base_config()
    }
}

/// The fixtures' certificate directory: `x5u` → `tests/data/certs/<last segment>`.
struct DirSource;

impl CertificateSource for DirSource {
    fn lookup(&self, x5u: String) -> Result<Option<Vec<u8>>, CallScreenError> {
        let name = x5u.rsplit('/').next().unwrap_or_default();
        Ok(std::fs::read(data().join("certs").join(name)).ok())
    }
}

struct FailingSource;

impl CertificateSource for FailingSource {
    fn lookup(&self, _x5u: String) -> Result<Option<Vec<u8>>, CallScreenError> {
        Err(CallScreenError::Internal {
            reason: "java.io.IOException: disk gone\n\tat App.lookup(App.kt:12)".into(),
        })
    }
}

struct PanickingSource;

impl CertificateSource for PanickingSource {
    fn lookup(&self, _x5u: String) -> Result<Option<Vec<u8>>, CallScreenError> {
        panic!("the app's source blew up")
    }
}

struct HugeSource;

impl CertificateSource for HugeSource {
    fn lookup(&self, _x5u: String) -> Result<Option<Vec<u8>>, CallScreenError> {
        Ok(Some(vec![b'A'; 1024 * 1024]))
    }
}

/// A platform call with nothing but the defaults the bindings give.
fn platform_call() -> PlatformCall {
    PlatformCall {
        number: None,
        presentation: PlatformPresentation::Allowed,
        verification_status: 0,
        line: None,
        is_contact: false,
        network_marking: None,
        recent_calls: 0,
    }
}

fn open(source: Option<Arc<dyn CertificateSource>>) -> Arc<CallScreener> {
    CallScreener::open_at_time(config(), source, NOW).unwrap()
}

fn codes(v: &callscreen_ffi::Verdict) -> Vec<&str> {
    v.reasons.iter().map(|r| r.code.as_str()).collect()
}

#[test]
fn good_invite_verifies_through_a_rust_source() {
    let s = open(Some(Arc::new(DirSource)));
    let v = s.screen_sip(invite("01-good-attest-a.sip")).unwrap();
    assert_eq!(v.indication, Indication::Verified);
    assert_eq!(v.verification.status, VerificationStatus::Passed);
    assert_eq!(v.verification.attestation, Some(Attestation::A));
    assert_eq!(v.verification.source, Some(VerificationSource::Passport));
    assert_eq!(
        v.verification
            .signer
            .as_ref()
            .and_then(|s| s.spc.as_deref()),
        Some("1234")
    );
    assert_eq!(v.display.number.as_deref(), Some("+12155551212"));
}

#[test]
fn failing_panicking_or_oversized_sources_give_cert_unavailable() {
    let sources: [Arc<dyn CertificateSource>; 3] = [
        Arc::new(FailingSource),
        Arc::new(PanickingSource),
        Arc::new(HugeSource),
    ];
    for source in sources {
        let s = open(Some(source));
        let v = s.screen_sip(invite("01-good-attest-a.sip")).unwrap();
        assert_eq!(v.verification.status, VerificationStatus::Failed);
        assert!(codes(&v).contains(&"cert_unavailable"), "{:?}", v.reasons);
        let failure = v.verification.failure.unwrap();
        assert_eq!(
            (failure.code, failure.reason.as_str()),
            (436, "cert_unavailable")
        );
        // The app's stack trace never reaches the verdict.
        assert!(v.reasons.iter().all(|r| !r.detail.contains("App.kt")));
    }
}

#[test]
fn missing_certificate_is_named_then_added() {
    let s = open(None);
    let v = s.screen_sip(invite("19-cert-unavailable.sip")).unwrap();
    assert_eq!(
        v.verification.cert_needed,
        vec!["https://certs.example.org/missing.pem".to_string()]
    );
    let chain = std::fs::read(data().join("certs/sp-leaf.pem")).unwrap();
    s.add_certificate("https://certs.example.org/missing.pem".into(), chain)
        .unwrap();
    let v = s.screen_sip(invite("19-cert-unavailable.sip")).unwrap();
    assert_eq!(v.indication, Indication::Verified, "{:?}", v.reasons);
    assert!(v.verification.cert_needed.is_empty());
}

#[test]
fn errors_map_to_the_public_enum() {
    let s = open(None);
    assert!(matches!(
        s.screen_sip("not sip".into()),
        Err(CallScreenError::NotSipRequest { .. })
    ));
    assert!(matches!(
        s.screen_sip(format!(
            "INVITE sip:a@b SIP/2.0\r\nX: {}\r\n\r\n",
            "a".repeat(70 * 1024)
        )),
        Err(CallScreenError::TooLarge { .. })
    ));
    assert!(matches!(
        s.add_certificate(
            "https://certs.example.org/x.pem".into(),
            b"garbage".to_vec()
        ),
        Err(CallScreenError::InvalidInput { .. })
    ));
    assert!(matches!(
        s.set_trust_anchors(vec!["not a pem".into()]),
        Err(CallScreenError::Configuration { .. })
    ));
    let bad = ScreenerConfig {
        iat_window_secs: 0,
        ..config()
    };
    assert!(matches!(
        CallScreener::open(bad, None),
        Err(CallScreenError::Configuration { .. })
    ));
    let bad = ScreenerConfig {
        own_numbers: vec!["not a number".into()],
        ..config()
    };
    assert!(matches!(
        CallScreener::open(bad, None),
        Err(CallScreenError::Configuration { .. })
    ));
}

#[test]
fn shutdown_then_every_method_is_closed() {
    let s = open(Some(Arc::new(DirSource)));
    s.shutdown().unwrap();
    s.shutdown().unwrap();
    let platform = PlatformCall {
        number: Some("+12155551212".into()),
        presentation: PlatformPresentation::Allowed,
        verification_status: 1,
        ..platform_call()
    };
    assert_eq!(
        s.screen_sip(invite("01-good-attest-a.sip")),
        Err(CallScreenError::Closed)
    );
    assert_eq!(
        s.screen_sip_json(invite("01-good-attest-a.sip")),
        Err(CallScreenError::Closed)
    );
    assert_eq!(s.screen_platform(platform), Err(CallScreenError::Closed));
    assert_eq!(
        s.add_certificate("https://x/y.pem".into(), vec![]),
        Err(CallScreenError::Closed)
    );
    assert_eq!(s.set_trust_anchors(vec![]), Err(CallScreenError::Closed));
    assert_eq!(
        s.set_rcd_trust_anchors(vec![]),
        Err(CallScreenError::Closed)
    );
}

#[test]
fn platform_calls_and_json() {
    let s = open(Some(Arc::new(DirSource)));
    let v = s
        .screen_platform(PlatformCall {
            number: Some("+12155551212".into()),
            presentation: PlatformPresentation::Allowed,
            verification_status: 1,
            ..platform_call()
        })
        .unwrap();
    assert_eq!(v.indication, Indication::Verified);
    assert_eq!(v.verification.source, Some(VerificationSource::Platform));
    let v = s
        .screen_platform(PlatformCall {
            number: None,
            presentation: callscreen_ffi::call::platform_presentation_from_android(2),
            verification_status: 0,
            ..platform_call()
        })
        .unwrap();
    assert_eq!(v.indication, Indication::Withheld);

    let json = s
        .screen_sip_json(invite("04-signature-invalid.sip"))
        .unwrap();
    assert!(json.contains(r#""indication":"likely_spam""#), "{json}");
    assert!(json.contains(r#""cert_needed":[]"#), "{json}");
}

#[test]
fn guard_turns_panics_into_internal() {
    let r: Result<(), CallScreenError> = callscreen_ffi::guard(|| panic!("boom {}", 1));
    assert_eq!(
        r,
        Err(CallScreenError::Internal {
            reason: "panic: boom 1".into()
        })
    );
}

#[test]
fn unexpected_callback_errors_become_internal() {
    let e: CallScreenError = uniffi::UnexpectedUniFFICallbackError::new("trace").into();
    assert_eq!(
        e,
        CallScreenError::Internal {
            reason: "trace".into()
        }
    );
}

#[test]
fn redaction() {
    assert_eq!(
        redact_numbers("orig +12155551212 dest 12155551213"),
        "orig [number] dest [number]"
    );
    assert_eq!(
        redact_numbers("sip:+12155551212@carrier.example.com"),
        "sip:[number]@carrier.example.com"
    );
    assert_eq!(
        redact_numbers("438 after 5 s, spc 1234, 123456"),
        "438 after 5 s, spc 1234, 123456"
    );
    assert_eq!(redact_numbers("+1234567"), "[number]");
    assert_eq!(redact_numbers("+ and +123"), "+ and +123");
}

#[derive(Default)]
struct Collect(Mutex<Vec<(LogLevel, String, String)>>);

impl LogSink for Collect {
    fn log(&self, level: LogLevel, target: String, message: String) -> Result<(), CallScreenError> {
        self.0.lock().unwrap().push((level, target, message));
        Ok(())
    }
}

struct Throwing;

impl LogSink for Throwing {
    fn log(&self, _: LogLevel, _: String, _: String) -> Result<(), CallScreenError> {
        Err(CallScreenError::Internal {
            reason: "sink".into(),
        })
    }
}

#[test]
fn log_sink_gets_redacted_records_and_can_be_replaced() {
    // One test owns the process-wide logger, so the steps run in order here.
    set_log_sink(Arc::new(Throwing));
    log::warn!("dropped quietly for +12155551212");

    let sink = Arc::new(Collect::default());
    set_log_sink(sink.clone());
    log::warn!(target: "callscreen_test", "call from +12155551212 failed with 438");
    log::trace!(target: "callscreen_test", "not forwarded");
    let got = sink.0.lock().unwrap().clone();
    let ours: Vec<_> = got
        .iter()
        .filter(|(_, t, _)| t == "callscreen_test")
        .collect();
    assert_eq!(ours.len(), 1, "{got:?}");
    assert_eq!(ours[0].0, LogLevel::Warn);
    assert_eq!(ours[0].2, "call from [number] failed with 438");
}
