//! Bad input never panics: the RFC 4475 torture messages, hundreds of
//! systematically broken PASSporTs, and random bytes (proptest). Each gets a
//! verdict whose reasons are codes of CONTRACT.md, or a clean typed refusal.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use callscreen_core::reason::ReasonCode;
use callscreen_core::{Error, Screener, Verdict};
use common::{data, fixture_screener, vectors, FIXTURE_NOW};
use proptest::prelude::*;
use ring::signature::{EcdsaKeyPair, ECDSA_P256_SHA256_FIXED_SIGNING};

fn good_invite() -> String {
    String::from_utf8(std::fs::read(data("invites/01-good-attest-a.sip")).unwrap()).unwrap()
}

/// The good INVITE with its Identity header value replaced.
fn with_identity(value: &str) -> String {
    let invite = good_invite();
    invite
        .split("\r\n")
        .map(|l| {
            if l.to_ascii_lowercase().starts_with("identity:") {
                format!("Identity: {value}")
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\r\n")
}

fn good_identity() -> String {
    let invite = good_invite();
    invite.lines().find(|l| l.starts_with("Identity:")).unwrap()["Identity:".len()..]
        .trim()
        .to_string()
}

/// The fixture SP key, to sign PASSporTs with chosen headers and claims.
fn sp_key() -> EcdsaKeyPair {
    let pem = std::fs::read_to_string(data("pki/sp-leaf.key.pem")).unwrap();
    let b64: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    let der = STANDARD.decode(b64).unwrap();
    EcdsaKeyPair::from_pkcs8(
        &ECDSA_P256_SHA256_FIXED_SIGNING,
        &der,
        &ring::rand::SystemRandom::new(),
    )
    .unwrap()
}

fn signed(header: &str, claims: &str) -> String {
    let input = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(header),
        URL_SAFE_NO_PAD.encode(claims)
    );
    let sig = sp_key()
        .sign(&ring::rand::SystemRandom::new(), input.as_bytes())
        .unwrap();
    format!(
        "{input}.{};info=<https://certs.example.org/sp-leaf.pem>;alg=ES256;ppt=\"shaken\"",
        URL_SAFE_NO_PAD.encode(sig)
    )
}

const HEADER: &str = r#"{"alg":"ES256","ppt":"shaken","typ":"passport","x5u":"https://certs.example.org/sp-leaf.pem"}"#;
const CLAIMS: &str = r#"{"attest":"A","dest":{"tn":["12155551213"]},"iat":1795348795,"orig":{"tn":"12155551212"},"origid":"x"}"#;

/// A verdict must explain a failure with a failure code of CONTRACT.md.
fn assert_contract(v: &Verdict, what: &str) {
    for r in &v.reasons {
        assert_eq!(ReasonCode::parse(r.code.as_str()), Some(r.code), "{what}");
    }
    if let Some(f) = v.verification.failure {
        assert!(
            [403, 428, 436, 437, 438].contains(&f.code),
            "{what}: code {}",
            f.code
        );
        assert!(
            v.reasons.iter().any(|r| r.code == f.reason),
            "{what}: failure reason not in reasons"
        );
    }
}

fn screen_broken(s: &Screener, identity: &str, what: &str) -> Verdict {
    let v = s
        .screen_sip(with_identity(identity).as_bytes())
        .unwrap_or_else(|e| panic!("{what}: {e}"));
    assert_contract(&v, what);
    assert!(!v.verification.passed(), "{what} passed");
    v
}

#[test]
fn rfc4475_torture_messages_get_a_verdict_or_a_clean_refusal() {
    let s = fixture_screener(FIXTURE_NOW);
    let dir = vectors("external/rfc4475");
    let mut verdicts = 0;
    let mut refusals = 0;
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    for path in files
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "dat"))
    {
        match s.screen_sip(&std::fs::read(path).unwrap()) {
            Ok(v) => {
                assert_contract(&v, &path.display().to_string());
                verdicts += 1;
            }
            Err(Error::NotSipRequest(_) | Error::TooLarge { .. }) => refusals += 1,
            Err(e) => panic!("{}: unexpected error {e}", path.display()),
        }
    }
    let dats = files
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "dat"))
        .count();
    assert_eq!(verdicts + refusals, dats, "every torture message judged");
    assert!(dats >= 49);
    assert!(
        verdicts >= 10 && refusals >= 10,
        "{verdicts} verdicts, {refusals} refusals"
    );
}

#[test]
fn rfc4475_wsinv_and_response_are_read_right() {
    let s = fixture_screener(FIXTURE_NOW);
    // A valid INVITE with unusual whitespace and folding: a verdict.
    assert!(s
        .screen_sip(&std::fs::read(vectors("external/rfc4475/wsinv.dat")).unwrap())
        .is_ok());
    // An unknown method is not screened.
    let intmeth = std::fs::read(vectors("external/rfc4475/intmeth.dat")).unwrap();
    assert!(matches!(
        s.screen_sip(&intmeth),
        Err(Error::NotSipRequest(_))
    ));
}

#[test]
fn hundreds_of_broken_passports_each_get_a_reason() {
    let s = fixture_screener(FIXTURE_NOW);
    let good = good_identity();
    let token = good.split(';').next().unwrap().to_string();
    let params = &good[token.len()..];
    let mut cases: Vec<(String, String)> = Vec::new();

    // Truncations at 100 points across the token.
    for i in 0..100 {
        let cut = token.len() * i / 100;
        cases.push((
            format!("truncated at {cut}"),
            format!("{}{params}", &token[..cut]),
        ));
    }
    // A byte replaced by a non-base64url character in each segment.
    for (i, c) in token.char_indices().step_by(5).take(80) {
        if c == '.' {
            continue;
        }
        let mut t = token.clone();
        t.replace_range(i..i + 1, "$");
        cases.push((format!("bad base64 at {i}"), format!("{t}{params}")));
    }
    // Segments dropped or added.
    let segs: Vec<&str> = token.split('.').collect();
    for t in [
        segs[..2].join("."),
        format!("{token}.x"),
        format!(".{}", segs[1..].join(".")),
        "..".into(),
        ".".into(),
    ] {
        cases.push((format!("segments {t:.20}"), format!("{t}{params}")));
    }
    // Wrong JSON types in the header.
    for (name, h) in [
        (
            "alg number",
            r#"{"alg":1,"ppt":"shaken","typ":"passport","x5u":"https://certs.example.org/sp-leaf.pem"}"#,
        ),
        (
            "typ array",
            r#"{"alg":"ES256","ppt":"shaken","typ":["passport"],"x5u":"https://certs.example.org/sp-leaf.pem"}"#,
        ),
        (
            "x5u object",
            r#"{"alg":"ES256","ppt":"shaken","typ":"passport","x5u":{}}"#,
        ),
        (
            "ppt null",
            r#"{"alg":"ES256","ppt":null,"typ":"passport","x5u":"https://certs.example.org/sp-leaf.pem"}"#,
        ),
        ("header array", r#"["alg","ES256"]"#),
        ("header string", r#""x""#),
        ("header not json", "{alg:ES256}"),
        (
            "alg RS256",
            r#"{"alg":"RS256","ppt":"shaken","typ":"passport","x5u":"https://certs.example.org/sp-leaf.pem"}"#,
        ),
        (
            "alg ES384",
            r#"{"alg":"ES384","ppt":"shaken","typ":"passport","x5u":"https://certs.example.org/sp-leaf.pem"}"#,
        ),
        (
            "typ missing",
            r#"{"alg":"ES256","ppt":"shaken","x5u":"https://certs.example.org/sp-leaf.pem"}"#,
        ),
    ] {
        cases.push((name.into(), signed(h, CLAIMS)));
    }
    // Wrong claims, signed with the real key so only the claim check can catch them.
    for (name, c) in [
        (
            "attest lower",
            r#"{"attest":"a","dest":{"tn":["12155551213"]},"iat":1795348795,"orig":{"tn":"12155551212"},"origid":"x"}"#,
        ),
        (
            "attest number",
            r#"{"attest":1,"dest":{"tn":["12155551213"]},"iat":1795348795,"orig":{"tn":"12155551212"},"origid":"x"}"#,
        ),
        (
            "orig tn number",
            r#"{"attest":"A","dest":{"tn":["12155551213"]},"iat":1795348795,"orig":{"tn":12155551212},"origid":"x"}"#,
        ),
        (
            "orig missing",
            r#"{"attest":"A","dest":{"tn":["12155551213"]},"iat":1795348795,"origid":"x"}"#,
        ),
        (
            "dest uri only",
            r#"{"attest":"A","dest":{"uri":["sip:a@b"]},"iat":1795348795,"orig":{"tn":"12155551212"},"origid":"x"}"#,
        ),
        (
            "dest tn numbers",
            r#"{"attest":"A","dest":{"tn":[12155551213]},"iat":1795348795,"orig":{"tn":"12155551212"},"origid":"x"}"#,
        ),
        (
            "iat float",
            r#"{"attest":"A","dest":{"tn":["12155551213"]},"iat":1795348795.5,"orig":{"tn":"12155551212"},"origid":"x"}"#,
        ),
        (
            "iat huge",
            r#"{"attest":"A","dest":{"tn":["12155551213"]},"iat":1e300,"orig":{"tn":"12155551212"},"origid":"x"}"#,
        ),
        (
            "iat null",
            r#"{"attest":"A","dest":{"tn":["12155551213"]},"iat":null,"orig":{"tn":"12155551212"},"origid":"x"}"#,
        ),
        (
            "origid number",
            r#"{"attest":"A","dest":{"tn":["12155551213"]},"iat":1795348795,"orig":{"tn":"12155551212"},"origid":7}"#,
        ),
        (
            "nested duplicate",
            r#"{"attest":"A","dest":{"tn":["12155551213"]},"iat":1795348795,"orig":{"tn":"12155551212","tn":"1"},"origid":"x"}"#,
        ),
        ("claims array", r#"[]"#),
        ("claims empty", r#"{}"#),
        (
            "claims deep",
            &format!("{}{}", "[".repeat(200), "]".repeat(200)),
        ),
    ] {
        cases.push((name.into(), signed(HEADER, c)));
    }
    // Parameter damage.
    for p in [
        "",
        ";info=",
        ";info=<>",
        ";info=<https://certs.example.org/sp-leaf.pem",
        ";info=<https://certs.example.org/sp-leaf.pem>;alg=none",
        ";info=<https://certs.example.org/sp-leaf.pem>;ppt=div",
        ";info=<https://certs.example.org/other.pem>",
        ";INFO=<https://certs.example.org/sp-leaf.pem>;info=<https://certs.example.org/sp-leaf.pem>",
        ";;;;",
        ";info=<http://certs.example.org/sp-leaf.pem>",
    ] {
        cases.push((format!("params {p}"), format!("{token}{p}")));
    }
    // Signatures of the wrong size or value.
    for sig in ["", "AA", &"A".repeat(86), &"A".repeat(87), &"_".repeat(200)] {
        cases.push((
            format!("signature {}", sig.len()),
            format!("{}.{}.{sig}{params}", segs[0], segs[1]),
        ));
    }
    // Oversize and odd bytes.
    cases.push(("huge token".into(), format!("{}{params}", "a".repeat(9000))));
    cases.push((
        "control chars".into(),
        format!("{}\u{1}\u{7f}{params}", token),
    ));
    cases.push(("unicode".into(), format!("{}é{params}", token)));
    cases.push(("only params".into(), params.to_string()));

    assert!(cases.len() >= 200, "{} cases", cases.len());
    for (what, identity) in &cases {
        screen_broken(&s, identity, what);
    }
}

#[test]
fn over_limits_are_typed_errors() {
    let s = fixture_screener(FIXTURE_NOW);
    let huge = format!(
        "{}\r\nX-Pad: {}\r\n\r\n",
        good_invite().trim_end(),
        "x".repeat(70_000)
    );
    assert!(matches!(
        s.screen_sip(huge.as_bytes()),
        Err(Error::TooLarge { .. })
    ));
    let id = good_identity();
    let mut many = good_invite().replace("\r\n\r\n", "\r\n");
    for _ in 0..9 {
        many.push_str(&format!("Identity: {id}\r\n"));
    }
    many.push_str("\r\n");
    assert!(matches!(
        s.screen_sip(many.as_bytes()),
        Err(Error::TooLarge { .. })
    ));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, .. ProptestConfig::default() })]

    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let s = fixture_screener(FIXTURE_NOW);
        let _ = s.screen_sip(&bytes);
        let mut prefixed = b"INVITE sip:+12155551213@x SIP/2.0\r\n".to_vec();
        prefixed.extend_from_slice(&bytes);
        if let Ok(v) = s.screen_sip(&prefixed) {
            assert_contract(&v, "random");
        }
    }

    #[test]
    fn random_identity_values_fail_with_a_contract_reason(value in "[ -~]{0,600}") {
        let s = fixture_screener(FIXTURE_NOW);
        if let Ok(v) = s.screen_sip(with_identity(&value).as_bytes()) {
            assert_contract(&v, &value);
            prop_assert!(!v.verification.passed());
        }
    }

    #[test]
    fn mutated_good_tokens_never_pass(pos in 0usize..400, byte in any::<u8>()) {
        let s = fixture_screener(FIXTURE_NOW);
        let good = good_identity();
        let token_len = good.find(';').unwrap();
        let mut bytes = good.clone().into_bytes();
        let i = pos % token_len;
        if bytes[i] != byte {
            bytes[i] = byte;
            let value = String::from_utf8_lossy(&bytes).into_owned();
            if let Ok(v) = s.screen_sip(with_identity(&value).as_bytes()) {
                assert_contract(&v, &value);
                // base64url has unused bits in the last character of a segment,
                // so a few changes decode to the same bytes; any other change fails.
                if v.verification.passed() {
                    prop_assert_eq!(URL_SAFE_NO_PAD.decode(value.split(';').next().unwrap().split('.').nth(2).unwrap_or("")).ok().map(|_| ()), Some(()));
                }
            }
        }
    }
}
