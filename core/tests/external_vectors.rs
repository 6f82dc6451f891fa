//! Other projects' STIR/SHAKEN vectors (`../shared/vectors/external`): each
//! verifies, or fails for the right reason.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use callscreen_core::identification::cert::{
    parse_chain, parse_tn_auth_list, validate_chain, CertFailure, CertInfo, TnAuthList, TnEntry,
    TrustStore, ValidatedSigner,
};
use callscreen_core::identification::passport::{
    verify_identity, CallBinding, PassportCheck, PassportOutcome, ShakenClaims, SignerLookup,
};
use callscreen_core::reason::ReasonCode;
use common::{section, vectors};
use std::sync::Arc;

fn read(name: &str) -> String {
    std::fs::read_to_string(vectors(&format!("external/{name}"))).unwrap()
}

/// The EC point of a P-256 key, from a certificate or a SubjectPublicKeyInfo PEM.
fn key_of(pem: &str) -> Vec<u8> {
    if pem.contains("BEGIN CERTIFICATE") {
        return CertInfo::from_der(&parse_chain(pem.as_bytes()).unwrap()[0])
            .unwrap()
            .key;
    }
    let b64: String = pem
        .lines()
        .filter(|l| !l.contains("-----"))
        .map(str::trim)
        .collect();
    let spki = STANDARD.decode(b64).unwrap();
    spki[spki.len() - 65..].to_vec()
}

/// Does `token` (compact JWS) carry a valid ES256 signature under `key`?
fn signature_verifies(token: &str, key: &[u8]) -> bool {
    let (input, sig) = token.rsplit_once('.').unwrap();
    let sig = URL_SAFE_NO_PAD.decode(sig).unwrap();
    ring::signature::UnparsedPublicKey::new(&ring::signature::ECDSA_P256_SHA256_FIXED, key)
        .verify(input.as_bytes(), &sig)
        .is_ok()
}

/// A signer lookup that knows one key (as if its chain had validated), or none.
struct KeyLookup(Option<Vec<u8>>);

impl SignerLookup for KeyLookup {
    fn signer(&self, _x5u: &str, _at: i64) -> Result<Arc<ValidatedSigner>, CertFailure> {
        match &self.0 {
            Some(key) => Ok(Arc::new(ValidatedSigner {
                key: key.clone(),
                subject: "CN=test".into(),
                spc: Some("1".into()),
                tn_auth_list: TnAuthList {
                    entries: vec![TnEntry::Spc("1".into())],
                },
                delegate: false,
                valid_from: 0,
                valid_until: i64::MAX,
                trust_version: 0,
                sti_anchored: true,
                rcd_anchored: false,
                claim_constraints: Some(vec![]),
                notes: vec![],
            })),
            None => Err(CertFailure {
                reason: ReasonCode::CertUnavailable,
                detail: "none".into(),
            }),
        }
    }
}

fn failure_reason(outcome: PassportOutcome) -> ReasonCode {
    match outcome {
        PassportOutcome::Failed { reason, .. } => reason,
        PassportOutcome::Unsupported { .. } => ReasonCode::PptUnsupported,
        PassportOutcome::Passed { .. } => panic!("expected a failure"),
    }
}

fn first_token_line(body: &str) -> String {
    body.lines()
        .find(|l| l.starts_with("eyJ"))
        .unwrap()
        .trim()
        .to_string()
}

fn payload(token: &str) -> &str {
    token.split('.').nth(1).unwrap()
}

fn check(now: i64) -> PassportCheck {
    PassportCheck { now, window: 60 }
}

#[test]
fn libstirshaken_reference_passport() {
    let text = read("libstirshaken-test-ref.txt");
    let passport = section(&text, "passport.txt");
    let mut tokens = passport.lines().filter(|l| l.starts_with("eyJ"));
    let signed = tokens.next().unwrap().trim();
    let header = tokens.next().unwrap().trim();
    let key = key_of(&section(&text, "sp/sp.pub"));
    // Their signatures are good over the bytes received...
    assert!(signature_verifies(signed, &key));
    // ...but orig and dest are JSON strings holding JSON, not objects: refused.
    assert_eq!(
        ShakenClaims::decode(payload(signed)).unwrap_err().0,
        ReasonCode::ClaimsInvalid
    );
    // And the Identity header's x5u is plain http: refused before any claim work.
    let outcome = verify_identity(
        header,
        &CallBinding::default(),
        check(1_603_458_131),
        &KeyLookup(Some(key)),
    );
    assert_eq!(failure_reason(outcome), ReasonCode::X5uNotHttps);
}

#[test]
fn libstirshaken_test_pki() {
    let text = read("libstirshaken-test-ref.txt");
    let ca = section(&text, "ca/ca.pem");
    let anchors = TrustStore::from_pems(&[ca.as_bytes()]).unwrap();
    let at = 1_700_000_000;
    let sp = parse_chain(section(&text, "sp/sp.pem").as_bytes()).unwrap();
    // sp.pem chains to ca.pem, but its "TNAuthList" is an IA5String URL.
    let info = CertInfo::from_der(&sp[0]).unwrap();
    assert!(parse_tn_auth_list(info.tn_auth_list.as_deref().unwrap()).is_none());
    assert_eq!(
        validate_chain(&sp, &anchors, at).unwrap_err().reason,
        ReasonCode::TnauthlistMissing
    );
    // wrongsp.pem was issued by another CA.
    let wrong = parse_chain(section(&text, "wrongsp.pem").as_bytes()).unwrap();
    assert_eq!(
        validate_chain(&wrong, &anchors, at).unwrap_err().reason,
        ReasonCode::CertUntrusted
    );
}

#[test]
fn freeswitch_tokens() {
    let text = read("freeswitch-mod_sofia-stir-shaken-tests.txt");
    let cert = section(&text, "www/cert.pem");
    let key = key_of(&cert);
    for name in ["no_cert_available", "attest_a_expired"] {
        let header = first_token_line(&section(&text, name));
        let token = header.split(';').next().unwrap();
        assert!(signature_verifies(token, &key), "{name}");
        let claims = ShakenClaims::decode(payload(token)).unwrap();
        assert_eq!(claims.attest.as_str(), "A");
        let binding = CallBinding {
            orig: Some(claims.orig_tn.clone()),
            dest: claims.dest_tns.clone(),
            date: None,
        };
        let outcome = verify_identity(
            &header,
            &binding,
            check(claims.iat + 5),
            &KeyLookup(Some(key.clone())),
        );
        assert_eq!(failure_reason(outcome), ReasonCode::X5uNotHttps, "{name}");
    }
    // www/cert.pem is a self-signed CA: it cannot sign PASSporTs.
    let ders = parse_chain(cert.as_bytes()).unwrap();
    let anchors = TrustStore::from_pems(&[cert.as_bytes()]).unwrap();
    assert_eq!(
        validate_chain(&ders, &anchors, 1_700_000_000)
            .unwrap_err()
            .reason,
        ReasonCode::CertInvalid
    );
}

#[test]
fn asterisk_vectors() {
    let text = read("asterisk-testsuite-stir-shaken.txt");
    // A legacy header: DER signature, no dest, and no ';' before alg.
    let header = first_token_line(&section(&text, "Identity header"));
    let outcome = verify_identity(
        &header,
        &CallBinding::default(),
        check(1_620_667_842),
        &KeyLookup(None),
    );
    assert_eq!(failure_reason(outcome), ReasonCode::IdentityMalformed);
    // With the parameters repaired, the token still fails: no dest claim.
    let repaired = header
        .replace(">alg=", ">;alg=")
        .replace("http://", "https://");
    let token = repaired.split(';').next().unwrap();
    assert_eq!(
        ShakenClaims::decode(payload(token)).unwrap_err().0,
        ReasonCode::ClaimsInvalid
    );
    // SPAST1's TNAuthList is the minimal SPC "1".
    let cert = parse_chain(section(&text, "SPAST1-cert.pem").as_bytes()).unwrap();
    let info = CertInfo::from_der(&cert[0]).unwrap();
    let list = parse_tn_auth_list(info.tn_auth_list.as_deref().unwrap()).unwrap();
    assert_eq!(list.spc(), Some("1"));
}

#[test]
fn opensips_stale_iat() {
    let text = read("opensips-sipssert-man-identity.txt");
    let header = text
        .lines()
        .find(|l| l.starts_with("eyJ"))
        .unwrap()
        .trim()
        .to_string();
    let binding = CallBinding {
        orig: Some("33612345678".into()),
        dest: vec!["33987654321".into()],
        date: None,
    };
    // Today the token is years old: 403 Stale Date, as that suite expects.
    let now = common::FIXTURE_NOW;
    let outcome = verify_identity(&header, &binding, check(now), &KeyLookup(None));
    assert_eq!(failure_reason(outcome), ReasonCode::IatStale);
    // At its own time it gets as far as the certificate, which we do not have.
    let iat = 1_687_444_148;
    let outcome = verify_identity(&header, &binding, check(iat + 5), &KeyLookup(None));
    assert_eq!(failure_reason(outcome), ReasonCode::CertUnavailable);
    // Bound to other numbers it is a mismatch (438), before any certificate work.
    let other = CallBinding {
        orig: Some("33600000000".into()),
        ..binding
    };
    assert_eq!(
        failure_reason(verify_identity(
            &header,
            &other,
            check(iat),
            &KeyLookup(None)
        )),
        ReasonCode::OrigMismatch
    );
}

#[test]
fn draft_passport_appendix() {
    let text = read("chriswendt-ietf-draft-ietf-stir-passport-appendixA.txt");
    let a = section(&text, "(A)");
    let key = key_of(&a[a.find("-----BEGIN PUBLIC KEY-----").unwrap()..]);
    let token = "eyJhbGciOiJFUzI1NiIsInR5cCI6InBhc3Nwb3J0IiwieDV1IjoiaHR0cHM6Ly9jZXJ0LmV4YW1wbGUub3JnL3Bhc3Nwb3J0LmNlciJ9.eyJkZXN0Ijp7InVyaSI6WyJzaXA6YWxpY2VAZXhhbXBsZS5jb20iXX0sImlhdCI6IjE0NDMyMDgzNDUiLCJvcmlnIjp7InRuIjoiMTIxNTU1NTEyMTIifX0.rq3pjT1hoRwakEGjHCnWSwUnshd0-zJ6F1VOgFWSjHBr8Qjpjlk-cpFYpFYsojNCpTzO3QfPOlckGaS6hEck7w";
    assert!(a.contains("rq3pjT1hoRwakEGjHCnWSwUnshd0-zJ6F1VOgFWSjHBr8Qjpjlk-cpFYpFYsojN"));
    assert!(signature_verifies(token, &key));
    // A basic PASSporT (no ppt) is not verified as SHAKEN; its iat is a string anyway.
    let header = format!("{token};info=<https://cert.example.org/passport.cer>;alg=ES256");
    let outcome = verify_identity(
        &header,
        &CallBinding::default(),
        check(1_443_208_345),
        &KeyLookup(Some(key)),
    );
    assert_eq!(failure_reason(outcome), ReasonCode::PptUnsupported);
    assert_eq!(
        ShakenClaims::decode(payload(token)).unwrap_err().0,
        ReasonCode::ClaimsInvalid
    );
}
