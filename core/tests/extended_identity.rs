//! Extended identity (issue 3): delegate certificates (RFC 9060), diverted calls
//! (RFC 8946), rich call data and verified business (RFC 9795, ATIS-1000094),
//! revocation and trust that changes at runtime, and the ATIS-1000080 profile
//! checks. The generated fixtures carry the main cases (expected.tsv); these
//! tests look closer, and mint PASSporTs with the test keys for the rest.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use callscreen_core::clock::FixedClock;
use callscreen_core::identification::cert::{
    parse_chain, profile_findings, validate_rcd_signer, validate_signer, CertInfo, CertRole,
    CrlSet, TrustContext, TrustStore,
};
use callscreen_core::reason::ReasonCode;
use callscreen_core::{Screener, ScreenerConfig, Verdict};
use common::{data, fixture_rcd_content, fixture_screener, vectors, FIXTURE_NOW};
use serde_json::{json, Value};
use std::sync::Arc;

const IAT: i64 = FIXTURE_NOW - 5;
const CERTS: &str = "https://certs.example.org/";

fn invite(name: &str) -> Vec<u8> {
    let dir = std::fs::read_dir(data("invites")).unwrap();
    let path = dir
        .map(|e| e.unwrap().path())
        .find(|p| {
            p.file_name()
                .unwrap()
                .to_str()
                .unwrap()
                .starts_with(&format!("{name}-"))
        })
        .unwrap_or_else(|| panic!("no invite {name}"));
    std::fs::read(path).unwrap()
}

fn screen(s: &Screener, name: &str) -> Verdict {
    s.screen_sip(&invite(name)).unwrap()
}

fn codes(v: &Verdict) -> Vec<ReasonCode> {
    v.reasons.iter().map(|r| r.code).collect()
}

fn reason(v: &Verdict, code: ReasonCode) -> &str {
    &v.reasons
        .iter()
        .find(|r| r.code == code)
        .unwrap_or_else(|| panic!("no {code} in {:?}", v.reasons))
        .detail
}

/// A compact JWS signed with a test key (`tests/data/pki/<key>.key.pem`).
fn sign(key: &str, header: &Value, claims: &Value) -> String {
    let pem = std::fs::read_to_string(data(&format!("pki/{key}.key.pem"))).unwrap();
    let b64: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    let der = base64::engine::general_purpose::STANDARD
        .decode(b64)
        .unwrap();
    let rng = ring::rand::SystemRandom::new();
    let pair = ring::signature::EcdsaKeyPair::from_pkcs8(
        &ring::signature::ECDSA_P256_SHA256_FIXED_SIGNING,
        &der,
        &rng,
    )
    .unwrap();
    let input = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(header.to_string()),
        URL_SAFE_NO_PAD.encode(claims.to_string())
    );
    let sig = pair.sign(&rng, input.as_bytes()).unwrap();
    format!("{input}.{}", URL_SAFE_NO_PAD.encode(sig.as_ref()))
}

fn header(ppt: &str, cert: &str) -> Value {
    json!({"alg": "ES256", "ppt": ppt, "typ": "passport", "x5u": format!("{CERTS}{cert}.pem")})
}

fn identity(token: &str, ppt: &str, cert: &str) -> String {
    format!("{token};info=<{CERTS}{cert}.pem>;alg=ES256;ppt=\"{ppt}\"")
}

fn shaken(dest: &str, extra: Value) -> String {
    let mut claims = json!({
        "attest": "A", "dest": {"tn": [dest]}, "iat": IAT,
        "orig": {"tn": "12155551212"}, "origid": "3d1c5d0e-8a7b-4c55-9d2e-0f6a1b2c3d4e",
    });
    if let (Value::Object(c), Value::Object(e)) = (&mut claims, extra) {
        c.extend(e);
    }
    identity(
        &sign("sp-leaf", &header("shaken", "sp-leaf"), &claims),
        "shaken",
        "sp-leaf",
    )
}

fn div(from: &str, to: &str, iat: i64, orig: &str) -> String {
    let claims =
        json!({"dest": {"tn": [to]}, "div": {"tn": from}, "iat": iat, "orig": {"tn": orig}});
    identity(
        &sign("sp-leaf", &header("div", "sp-leaf"), &claims),
        "div",
        "sp-leaf",
    )
}

fn rcd_ppt(cert: &str, key: &str, rcd: Value) -> String {
    let claims = json!({"dest": {"tn": ["12155551213"]}, "iat": IAT, "orig": {"tn": "12155551212"}, "rcd": rcd});
    identity(&sign(key, &header("rcd", cert), &claims), "rcd", cert)
}

/// Fixture 47 (no Identity) with these Identity headers.
fn with_identities(identities: &[String]) -> Vec<u8> {
    let base = String::from_utf8(invite("47")).unwrap();
    let (head, body) = base.split_once("Allow:").unwrap();
    let mut out = head.to_string();
    for i in identities {
        out.push_str(&format!("Identity: {i}\r\n"));
    }
    out.push_str("Allow:");
    out.push_str(body);
    out.into_bytes()
}

fn screener_with(f: impl FnOnce(&mut ScreenerConfig)) -> Screener {
    let mut config = ScreenerConfig {
        trust_anchors_pem: vec![std::fs::read(data("pki/sti-ca-root.pem")).unwrap()],
        rcd_trust_anchors_pem: vec![std::fs::read(data("pki/rcd-root.pem")).unwrap()],
        crls_der: vec![std::fs::read(data("crl/sti-ca-intermediate.crl")).unwrap()],
        rcd_content: fixture_rcd_content(),
        own_numbers: vec!["+12155551213".into()],
        ..ScreenerConfig::default()
    };
    f(&mut config);
    Screener::open(
        config,
        Arc::new(callscreen_core::identification::cert::DirectorySource::new(
            data("certs"),
        )),
        Arc::new(FixedClock(FIXTURE_NOW)),
    )
    .unwrap()
}

fn ders(name: &str) -> Vec<Vec<u8>> {
    parse_chain(&std::fs::read(data(&format!("certs/{name}.pem"))).unwrap()).unwrap()
}

fn store(name: &str) -> TrustStore {
    TrustStore::from_pems(&[std::fs::read(data(&format!("pki/{name}.pem"))).unwrap()]).unwrap()
}

// ---- delegate certificates (RFC 9060) ---------------------------------------------------

#[test]
fn a_delegate_signs_for_its_numbers_through_a_four_certificate_path() {
    let s = fixture_screener(FIXTURE_NOW);
    let v = screen(&s, "50");
    assert!(v.verification.passed(), "{:?}", v.reasons);
    let signer = v.verification.signer.clone().unwrap();
    assert!(signer.delegate);
    assert_eq!(signer.spc, None);
    assert!(
        signer.subject.contains("CN=Acme Pharmacy 12155551210+10"),
        "{}",
        signer.subject
    );
    let json = v.to_json();
    assert_eq!(json["verification"]["signer"]["delegate"], json!(true));

    // The path is root → intermediate → delegation CA → delegate: four certificates.
    let chain = ders("delegate-leaf");
    assert_eq!(chain.len(), 3);
    let anchors = store("sti-ca-root");
    let signer =
        callscreen_core::identification::cert::validate_chain(&chain, &anchors, FIXTURE_NOW)
            .unwrap();
    assert!(signer.delegate && signer.notes.is_empty());
    // Without the delegation CA the delegate has no path.
    let cut = vec![chain[0].clone(), chain[2].clone()];
    assert_eq!(
        callscreen_core::identification::cert::validate_chain(&cut, &anchors, FIXTURE_NOW)
            .unwrap_err()
            .reason,
        ReasonCode::CertUntrusted
    );
}

#[test]
fn a_delegate_outside_its_parents_numbers_is_not_authorized() {
    let s = fixture_screener(FIXTURE_NOW);
    let v = screen(&s, "51");
    assert_eq!(
        v.verification.failure.map(|f| (f.code, f.reason)),
        Some((438, ReasonCode::TnNotAuthorized))
    );
    let detail = reason(&v, ReasonCode::TnNotAuthorized);
    assert!(
        detail.contains("12155559990+10") && detail.contains("Delegation CA"),
        "{detail}"
    );
    // Its own numbers must cover orig too: 12155551250 is the parent's, not Acme's.
    let v = screen(&s, "53");
    assert_eq!(
        v.verification.failure.map(|f| f.reason),
        Some(ReasonCode::TnNotAuthorized)
    );
    assert!(reason(&v, ReasonCode::TnNotAuthorized).contains("does not cover orig"));
}

#[test]
fn a_parent_naming_only_an_spc_makes_containment_unverifiable() {
    let s = fixture_screener(FIXTURE_NOW);
    let v = screen(&s, "52");
    assert!(v.verification.passed());
    assert_eq!(v.indication.as_str(), "verified");
    let r = v
        .reasons
        .iter()
        .find(|r| r.code == ReasonCode::EncompassUnverifiable)
        .unwrap();
    assert_eq!(r.weight, 0);
    assert!(r.detail.contains("SPC Delegation CA"), "{}", r.detail);
    // Fully contained delegates carry no such note.
    assert!(!codes(&screen(&s, "50")).contains(&ReasonCode::EncompassUnverifiable));
}

// ---- diverted calls (RFC 8946) -----------------------------------------------------------

#[test]
fn div_chains_of_one_and_two_hops_bind_dest() {
    let s = fixture_screener(FIXTURE_NOW);
    for f in ["54", "55"] {
        let v = screen(&s, f);
        assert_eq!(v.indication.as_str(), "verified", "{f}: {:?}", v.reasons);
    }
    // Two hops, but only the second link: the first number is not reached.
    let invite = with_identities(&[
        shaken("12155550100", json!({})),
        div("12155550101", "12155551213", IAT, "12155551212"),
    ]);
    let v = s.screen_sip(&invite).unwrap();
    assert_eq!(
        v.verification.failure.map(|f| f.reason),
        Some(ReasonCode::DestMismatch)
    );
    // Both links, in either order.
    for order in [[0, 1], [1, 0]] {
        let links = [
            div("12155550100", "12155550101", IAT, "12155551212"),
            div("12155550101", "12155551213", IAT, "12155551212"),
        ];
        let mut ids = vec![shaken("12155550100", json!({}))];
        ids.extend(order.iter().map(|i| links[*i].clone()));
        let v = s.screen_sip(&with_identities(&ids)).unwrap();
        assert!(v.verification.passed(), "{order:?}: {:?}", v.reasons);
    }
}

#[test]
fn a_cut_and_paste_passport_fails_dest() {
    let s = fixture_screener(FIXTURE_NOW);
    let v = screen(&s, "56");
    assert_eq!(
        v.verification.failure.map(|f| (f.code, f.reason)),
        Some((438, ReasonCode::DestMismatch))
    );
    assert_eq!(v.indication.as_str(), "likely_spam");
    // Without any div: the same.
    let v = s
        .screen_sip(&with_identities(&[shaken("12155550100", json!({}))]))
        .unwrap();
    assert_eq!(
        v.verification.failure.map(|f| f.reason),
        Some(ReasonCode::DestMismatch)
    );
}

#[test]
fn an_invalid_div_is_div_invalid() {
    let s = fixture_screener(FIXTURE_NOW);
    let v = screen(&s, "57");
    assert_eq!(
        v.verification.failure.map(|f| (f.code, f.reason)),
        Some((438, ReasonCode::DivInvalid))
    );
    assert!(reason(&v, ReasonCode::DivInvalid).contains("signature_invalid"));
    // A div for another caller (orig mismatch) or a stale one does not link either.
    for bad in [
        div("12155550100", "12155551213", IAT, "12155559999"),
        div(
            "12155550100",
            "12155551213",
            FIXTURE_NOW - 600,
            "12155551212",
        ),
    ] {
        let v = s
            .screen_sip(&with_identities(&[shaken("12155550100", json!({})), bad]))
            .unwrap();
        assert_eq!(
            v.verification.failure.map(|f| f.reason),
            Some(ReasonCode::DivInvalid),
            "{:?}",
            v.reasons
        );
    }
    // The shaken PASSporT names us directly: a broken extra div does not matter.
    let v = s
        .screen_sip(&with_identities(&[
            shaken("12155551213", json!({})),
            div("12155550100", "12155551213", IAT, "12155559999"),
        ]))
        .unwrap();
    assert!(v.verification.passed());
}

#[test]
fn a_lone_div_verifies_nothing_about_the_caller() {
    let s = fixture_screener(FIXTURE_NOW);
    let v = screen(&s, "25");
    assert_eq!(v.verification.status.as_str(), "no_validation");
    assert_eq!(v.verification.failure, None);
    assert!(!codes(&v).contains(&ReasonCode::PptUnsupported));
}

#[test]
fn a_div_whose_certificate_is_missing_asks_for_it() {
    let s = fixture_screener(FIXTURE_NOW);
    let claims = json!({"dest": {"tn": ["12155551213"]}, "div": {"tn": "12155550100"}, "iat": IAT, "orig": {"tn": "12155551212"}});
    let tok = sign("sp-leaf", &header("div", "absent"), &claims);
    let v = s
        .screen_sip(&with_identities(&[
            shaken("12155550100", json!({})),
            identity(&tok, "div", "absent"),
        ]))
        .unwrap();
    assert_eq!(
        v.verification.failure.map(|f| f.reason),
        Some(ReasonCode::CertUnavailable)
    );
    assert_eq!(
        v.verification.cert_needed,
        vec![format!("{CERTS}absent.pem")]
    );
    assert_eq!(v.indication.as_str(), "unverified");
}

// ---- revocation and trust that changes ---------------------------------------------------

#[test]
fn a_revoked_leaf_is_cert_revoked_and_set_crls_takes_effect_at_once() {
    let s = fixture_screener(FIXTURE_NOW);
    let v = screen(&s, "58");
    assert_eq!(
        v.verification.failure.map(|f| (f.code, f.reason)),
        Some((437, ReasonCode::CertRevoked))
    );
    assert_eq!(v.indication.as_str(), "unverified");

    // Without CRLs the same call passes (and its validation is cached) ...
    let s = screener_with(|c| c.crls_der.clear());
    assert!(screen(&s, "58").verification.passed());
    assert!(screen(&s, "58").verification.passed());
    let validated = s.chain_validations().unwrap();
    // ... until the app supplies the CRL.
    s.set_crls(&[std::fs::read(data("crl/sti-ca-intermediate.crl")).unwrap()])
        .unwrap();
    assert_eq!(
        screen(&s, "58").verification.failure.map(|f| f.reason),
        Some(ReasonCode::CertRevoked)
    );
    // Unrevoked signers are validated again under the new state, then cached.
    assert!(screen(&s, "01").verification.passed());
    assert!(screen(&s, "01").verification.passed());
    assert_eq!(s.chain_validations().unwrap(), validated + 1);
    // An unreadable CRL is refused and the old ones stay.
    assert!(s.set_crls(&[b"not a crl".to_vec()]).is_err());
    assert_eq!(
        screen(&s, "58").verification.failure.map(|f| f.reason),
        Some(ReasonCode::CertRevoked)
    );
    s.set_crls(&[]).unwrap();
    assert!(screen(&s, "58").verification.passed());
}

#[test]
fn an_indirect_crl_counts_only_under_a_configured_signer() {
    let crls = || {
        vec![
            std::fs::read(data("crl/sti-ca-intermediate.crl")).unwrap(),
            std::fs::read(data("crl/sti-pa.crl")).unwrap(),
        ]
    };
    let signer = || vec![std::fs::read(data("pki/sti-pa-crl-signer.pem")).unwrap()];
    let revoked = |s: &Screener| {
        let v = screen(s, "72");
        let f = v.verification.failure?;
        Some((f.reason, reason(&v, f.reason).to_string()))
    };
    // The STI-PA's indirect CRL, with its signer configured, revokes the leaf
    // its entry names (issuer + serial); the other leaves stay good.
    let s = screener_with(|c| {
        c.crls_der = crls();
        c.crl_signers_pem = signer();
    });
    let (code, detail) = revoked(&s).unwrap();
    assert_eq!(code, ReasonCode::CertRevoked);
    assert!(detail.contains("indirect CRL"), "{detail}");
    assert!(screen(&s, "01").verification.passed());
    // Replacing the CRLs keeps the signer.
    s.set_crls(&crls()).unwrap();
    assert_eq!(revoked(&s).map(|r| r.0), Some(ReasonCode::CertRevoked));
    // Without a configured signer the same CRL says nothing (anyone can name
    // an issuer in certificateIssuer) ...
    s.set_crl_signers(&[]).unwrap();
    assert!(screen(&s, "72").verification.passed());
    // ... nor under a signer whose key did not sign it.
    s.set_crl_signers(&[std::fs::read(data("pki/rogue-root.pem")).unwrap()])
        .unwrap();
    assert!(screen(&s, "72").verification.passed());
    s.set_crl_signers(&signer()).unwrap();
    assert_eq!(revoked(&s).map(|r| r.0), Some(ReasonCode::CertRevoked));
    assert!(s.set_crl_signers(&[b"no certificate".to_vec()]).is_err());
    assert_eq!(revoked(&s).map(|r| r.0), Some(ReasonCode::CertRevoked));
}

#[test]
fn crls_count_only_when_signed_by_the_issuer_and_current() {
    let anchors = store("sti-ca-root");
    let (rcd, crl_file) = (TrustStore::default(), |n: &str| {
        std::fs::read(data(&format!("crl/{n}"))).unwrap()
    });
    let judge = |crls: &CrlSet, leaf: &str, at: i64| {
        let ctx = TrustContext {
            anchors: &anchors,
            rcd_anchors: &rcd,
            crls,
            profile_checks: false,
        };
        validate_signer(&ders(leaf), &ctx, at)
            .map(|_| ())
            .map_err(|e| e.reason)
    };
    // forged.crl (signed by another key) and stale.crl (expired) list sp-leaf.
    let forged = CrlSet::from_ders(&[crl_file("forged.crl")]).unwrap();
    let stale = CrlSet::from_ders(&[crl_file("stale.crl")]).unwrap();
    assert_eq!(judge(&forged, "sp-leaf", FIXTURE_NOW), Ok(()));
    assert_eq!(judge(&stale, "sp-leaf", FIXTURE_NOW), Ok(()));
    let real = CrlSet::from_ders(&[crl_file("sti-ca-intermediate.crl")]).unwrap();
    assert_eq!(
        judge(&real, "revoked-leaf", FIXTURE_NOW),
        Err(ReasonCode::CertRevoked)
    );
    // Before thisUpdate and after nextUpdate the CRL says nothing.
    let oct_15 = 1_792_022_400; // 2026-10-15
    let feb_1 = 1_801_440_000; // 2027-02-01
    assert_eq!(judge(&real, "revoked-leaf", oct_15), Ok(()));
    assert_eq!(judge(&real, "revoked-leaf", feb_1), Ok(()));
    // PEM form is accepted too.
    let der = crl_file("sti-ca-intermediate.crl");
    let pem = format!(
        "-----BEGIN X509 CRL-----\n{}\n-----END X509 CRL-----\n",
        base64::engine::general_purpose::STANDARD.encode(&der)
    );
    let from_pem = CrlSet::from_ders(&[pem.into_bytes()]).unwrap();
    assert_eq!(
        judge(&from_pem, "revoked-leaf", FIXTURE_NOW),
        Err(ReasonCode::CertRevoked)
    );
}

#[test]
fn replacing_rcd_anchors_drops_cached_vetting() {
    let s = fixture_screener(FIXTURE_NOW);
    assert_eq!(screen(&s, "60").indication.as_str(), "verified_business");
    s.set_rcd_trust_anchors(&[]).unwrap();
    let v = screen(&s, "60");
    assert_eq!(v.indication.as_str(), "verified");
    assert_eq!(v.display.name, None);
    assert!(reason(&v, ReasonCode::RcdUnvetted).contains("cert_untrusted"));
    s.set_rcd_trust_anchors(&[std::fs::read(data("pki/rcd-root.pem")).unwrap()])
        .unwrap();
    assert_eq!(screen(&s, "60").indication.as_str(), "verified_business");
}

// ---- rich call data and verified business (RFC 9795, ATIS-1000094) -----------------------

#[test]
fn the_seed_story_a_delegate_with_a_vetted_name_is_a_verified_business() {
    let s = fixture_screener(FIXTURE_NOW);
    let v = screen(&s, "61");
    assert_eq!(v.indication.as_str(), "verified_business");
    assert_eq!(v.display.name.as_deref(), Some("Acme Pharmacy"));
    assert_eq!(
        v.display.call_reason.as_deref(),
        Some("Your prescription is ready")
    );
    assert_eq!(v.display.logo_url, None);
    assert!(v.verification.signer.as_ref().unwrap().delegate);
    assert!(reason(&v, ReasonCode::RcdVerified).contains("JWT Claim Constraints"));
    let json = v.to_json();
    assert_eq!(json["display"]["name"], json!("Acme Pharmacy"));
    assert_eq!(
        json["display"]["call_reason"],
        json!("Your prescription is ready")
    );
    // A name the constraints do not list is not shown.
    let v = screen(&s, "69");
    assert_eq!(
        (v.indication.as_str(), v.display.name.clone()),
        ("verified", None)
    );
    assert!(reason(&v, ReasonCode::RcdUnvetted).contains("do not permit"));
}

#[test]
fn vetting_by_the_rcd_anchor_and_not_otherwise() {
    let s = fixture_screener(FIXTURE_NOW);
    let v = screen(&s, "60");
    assert_eq!(v.display.name.as_deref(), Some("Callscreen Test Bank"));
    assert_eq!(
        v.display.call_reason.as_deref(),
        Some("Fraud alert about your card")
    );
    assert!(reason(&v, ReasonCode::RcdVerified).contains("rcd trust anchor"));
    for (f, code) in [
        ("59", ReasonCode::RcdUnvetted),
        ("62", ReasonCode::RcdUnbound),
        ("67", ReasonCode::RcdUnvetted),
        ("68", ReasonCode::RcdUnvetted),
    ] {
        let v = screen(&s, f);
        assert_eq!(v.indication.as_str(), "verified", "{f}");
        assert_eq!(v.display.name, None, "{f}");
        assert!(codes(&v).contains(&code), "{f}: {:?}", v.reasons);
        assert!(!codes(&v).contains(&ReasonCode::RcdVerified), "{f}");
        assert!(
            v.reasons.iter().all(|r| r.weight == 0),
            "{f}: a bad rcd adds no score"
        );
    }
    // The rcd signer's chain alone never verifies a shaken PASSporT.
    let claims = json!({"attest": "A", "dest": {"tn": ["12155551213"]}, "iat": IAT,
                        "orig": {"tn": "12155551212"}, "origid": "x"});
    let tok = sign("rcd-signer", &header("shaken", "rcd-signer"), &claims);
    let v = s
        .screen_sip(&with_identities(&[identity(&tok, "shaken", "rcd-signer")]))
        .unwrap();
    assert_eq!(
        v.verification.failure.map(|f| f.reason),
        Some(ReasonCode::CertUntrusted)
    );
}

#[test]
fn verified_business_needs_attestation_a() {
    let s = fixture_screener(FIXTURE_NOW);
    let v = screen(&s, "66");
    assert_eq!(v.verification.attestation.map(|a| a.as_str()), Some("B"));
    assert_eq!(v.indication.as_str(), "unverified");
    assert_eq!(
        (v.display.name.clone(), v.display.call_reason.clone()),
        (None, None)
    );
    assert!(!codes(&v).contains(&ReasonCode::RcdVerified));
}

#[test]
fn rcdi_digests_guard_the_logo() {
    let s = fixture_screener(FIXTURE_NOW);
    let v = screen(&s, "63");
    assert_eq!(
        v.display.logo_url.as_deref(),
        Some("https://rcd.example.org/bank-logo.png")
    );
    assert_eq!(
        v.to_json()["display"]["logo_url"],
        json!("https://rcd.example.org/bank-logo.png")
    );
    let v = screen(&s, "64");
    assert_eq!(v.indication.as_str(), "verified_business");
    assert_eq!(v.display.logo_url, None);
    assert!(reason(&v, ReasonCode::RcdIntegrityMismatch).contains("tampered-logo.png"));

    // Without the content the logo cannot be checked, so it is not exposed; once
    // the app supplies it, it is.
    let s = screener_with(|c| c.rcd_content.clear());
    let v = screen(&s, "63");
    assert_eq!(
        (v.display.name.as_deref(), v.display.logo_url.as_deref()),
        (Some("Callscreen Test Bank"), None)
    );
    s.set_rcd_content(fixture_rcd_content()).unwrap();
    assert!(screen(&s, "63").display.logo_url.is_some());
}

#[test]
fn hostile_names_are_shown_safely() {
    let s = fixture_screener(FIXTURE_NOW);
    let v = screen(&s, "65");
    assert_eq!(v.indication.as_str(), "verified_business");
    let name = v.display.name.unwrap();
    assert_eq!(name, format!("Callscreen Test Bank {}", "x".repeat(43)));
    assert_eq!(name.chars().count(), 64);
    assert!(!name.chars().any(|c| c.is_control()
        || ('\u{202A}'..='\u{202E}').contains(&c)
        || ('\u{2066}'..='\u{2069}').contains(&c)
        || c == '<'
        || c == '>'));
}

#[test]
fn an_rcd_signer_whose_certificate_is_missing_is_named_in_cert_needed() {
    let s = fixture_screener(FIXTURE_NOW);
    let claims = json!({"dest": {"tn": ["12155551213"]}, "iat": IAT, "orig": {"tn": "12155551212"}, "rcd": {"nam": "X"}});
    let tok = sign("rcd-signer", &header("rcd", "absent-rcd"), &claims);
    let v = s
        .screen_sip(&with_identities(&[
            shaken("12155551213", json!({})),
            identity(&tok, "rcd", "absent-rcd"),
        ]))
        .unwrap();
    assert_eq!(v.indication.as_str(), "verified");
    assert_eq!(
        v.verification.cert_needed,
        vec![format!("{CERTS}absent-rcd.pem")]
    );
    assert!(reason(&v, ReasonCode::RcdUnvetted).contains("cert_unavailable"));
}

#[test]
fn rcd_in_the_shaken_passport_of_an_anchored_signer_and_malformed_rcd() {
    // The delegation CA is configured as the rcd anchor: what its delegates sign
    // is vetted, whatever their constraints permit... unless they forbid it.
    let s = screener_with(|c| {
        c.rcd_trust_anchors_pem = vec![std::fs::read(data("pki/deleg-ca.pem")).unwrap()]
    });
    let v = screen(&s, "61");
    assert_eq!(v.indication.as_str(), "verified_business");
    assert!(reason(&v, ReasonCode::RcdVerified).contains("rcd trust anchor"));
    // "Acme Bank" is anchored, but the certificate's constraints list only
    // "Acme Pharmacy": the constraints veto it.
    assert_eq!(screen(&s, "69").display.name, None);
    // A malformed rcd never fails the call.
    let s = fixture_screener(FIXTURE_NOW);
    for rcd in [json!("a string"), json!({"nam": 42}), json!([1, 2])] {
        let v = s
            .screen_sip(&with_identities(&[shaken(
                "12155551213",
                json!({"rcd": rcd}),
            )]))
            .unwrap();
        assert_eq!(v.indication.as_str(), "verified", "{rcd}");
        assert_eq!(v.display.name, None);
    }
    // A malformed ppt=rcd header, even one no shaken PASSporT outranks, fails nothing.
    for bad in [
        "not.a.jws;info=<https://certs.example.org/rcd-signer.pem>;ppt=\"rcd\"".to_string(),
        "e30.e30.e30;info=<https://certs.example.org/rcd-signer.pem>;ppt=\"rcd\"".to_string(),
    ] {
        let v = s
            .screen_sip(&with_identities(std::slice::from_ref(&bad)))
            .unwrap();
        assert_eq!(v.verification.status.as_str(), "no_validation", "{bad}");
        assert!(codes(&v).contains(&ReasonCode::RcdUnvetted), "{bad}");
        let v = s
            .screen_sip(&with_identities(&[shaken("12155551213", json!({})), bad]))
            .unwrap();
        assert_eq!(v.indication.as_str(), "verified");
    }
    // An rcd PASSporT under the rcd root with jcd only: the name comes from fn.
    let jcd = json!([
        "vcard",
        [
            ["version", {}, "text", "4.0"],
            ["fn", {}, "text", "Jcard Bank"]
        ]
    ]);
    let v = s
        .screen_sip(&with_identities(&[
            shaken("12155551213", json!({})),
            rcd_ppt("rcd-signer", "rcd-signer", json!({"jcd": jcd})),
        ]))
        .unwrap();
    assert_eq!(v.display.name.as_deref(), Some("Jcard Bank"));
}

#[test]
fn an_rcd_signer_validates_to_the_rcd_root_only_for_rcd() {
    let (sti, rcd, crls) = (store("sti-ca-root"), store("rcd-root"), CrlSet::default());
    let ctx = TrustContext {
        anchors: &sti,
        rcd_anchors: &rcd,
        crls: &crls,
        profile_checks: false,
    };
    let chain = ders("rcd-signer");
    assert_eq!(
        validate_signer(&chain, &ctx, FIXTURE_NOW)
            .unwrap_err()
            .reason,
        ReasonCode::CertUntrusted
    );
    let signer = validate_rcd_signer(&chain, &ctx, FIXTURE_NOW).unwrap();
    assert!(signer.rcd_anchored && !signer.sti_anchored);
    // An STI signer is STI-anchored, and rcd-anchored only under an rcd anchor.
    let sp = validate_rcd_signer(&ders("sp-leaf"), &ctx, FIXTURE_NOW).unwrap();
    assert!(sp.sti_anchored && !sp.rcd_anchored);
    let deleg = store("deleg-ca");
    let ctx2 = TrustContext {
        rcd_anchors: &deleg,
        ..ctx
    };
    let d = validate_signer(&ders("delegate-leaf"), &ctx2, FIXTURE_NOW).unwrap();
    assert!(d.sti_anchored && d.rcd_anchored);
    assert_eq!(d.claim_constraints.as_ref().map(Vec::len), Some(1));
}

// ---- ATIS-1000080 profile checks ----------------------------------------------------------

#[test]
fn profile_checks_report_reasons_and_never_fail() {
    let plain = fixture_screener(FIXTURE_NOW);
    assert!(!codes(&screen(&plain, "01")).contains(&ReasonCode::CertProfile));
    let s = screener_with(|c| c.profile_checks = true);
    let v = screen(&s, "01");
    assert_eq!(v.indication.as_str(), "verified");
    let findings: Vec<&str> = v
        .reasons
        .iter()
        .filter(|r| r.code == ReasonCode::CertProfile)
        .map(|r| {
            assert_eq!(r.weight, 0);
            r.detail.as_str()
        })
        .collect();
    // The generated leaf names no cRLIssuer; the intermediate has no CRL
    // distribution point at all. Policies and key usage conform.
    assert_eq!(findings.len(), 2, "{findings:?}");
    assert!(findings[0].contains("SHAKEN 1234") && findings[0].contains("without cRLIssuer"));
    assert!(
        findings[1].contains("Intermediate") && findings[1].contains("no CRL distribution point")
    );
    // rcd-signer has no policy and no CRL distribution point: findings, not failure.
    let v = screen(&s, "60");
    assert_eq!(v.indication.as_str(), "verified_business");
}

/// INDEX.tsv records each real certificate's policies and CRL distribution point;
/// the profile findings must say the same of all 80.
#[test]
fn profile_findings_agree_with_the_real_certificates_index() {
    let text = std::fs::read_to_string(vectors("real-certs/INDEX.tsv")).unwrap();
    let mut checked = 0;
    for line in text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.starts_with("file\t"))
    {
        let c: Vec<&str> = line.split('\t').collect();
        let (file, is_ca, policies, crl_dp) = (c[0], c[7], c[9], c[10]);
        let pem = std::fs::read(vectors(&format!("real-certs/{file}"))).unwrap();
        let cert = CertInfo::from_der(&parse_chain(&pem).unwrap()[0]).unwrap();
        let role = if is_ca == "true" {
            CertRole::Ca
        } else {
            CertRole::Signer
        };
        let findings = profile_findings(&cert, role);
        let has = |s: &str| findings.iter().any(|f| f.contains(s));
        let shaken_policy = policies
            .split(',')
            .any(|p| p.starts_with("2.16.840.1.114569.1.1."));
        assert_eq!(
            has("no SHAKEN certificate policy"),
            !shaken_policy,
            "{file}: {findings:?}"
        );
        match crl_dp {
            "no" => assert!(has("no CRL distribution point"), "{file}"),
            "yes+cRLIssuer" => assert!(!has("CRL distribution point"), "{file}: {findings:?}"),
            _ => assert!(has("without cRLIssuer"), "{file}: {findings:?}"),
        }
        checked += 1;
    }
    assert_eq!(checked, 80);
}
