//! Rich call data (RFC 9795; ATIS-1000094): a caller's name (`nam`), logo
//! (`icn`), jCard (`jcd` inline, `jcl` by URL) and call reason (`crn`), carried in
//! the `shaken` PASSporT itself or in a separate `ppt=rcd` PASSporT.
//!
//! What may be shown, in order:
//!
//! 1. **Bound.** Only the rich call data of the `shaken` PASSporT that passed
//!    (the best one, as identification picks it) counts. A `ppt=rcd` PASSporT must
//!    be verified (signature; chain to an STI-CA or an rcd trust anchor) and bound
//!    to that PASSporT: the same `orig`, the same `dest` numbers, an `iat` within
//!    the freshness window of its `iat`; else `rcd_unbound`.
//! 2. **Vetted.** An item is vetted when (a) its signer's chain reaches a
//!    branded-calling (rcd) trust anchor the app configured, or (b) the signer's
//!    JWT Claim Constraints (RFC 8226 §8, RFC 9118) permit its value, named as
//!    `rcd` (the whole object), `/rcd/nam` (one member) or `crn`. Constraints that
//!    exclude it, or list other values, veto it even under an rcd anchor.
//!    Otherwise `rcd_unvetted`: the call keeps its verification, the item is not
//!    shown.
//! 3. **Intact.** `rcdi` (RFC 9795 §6.1) maps JSON Pointers to digests
//!    (`sha256-<base64>`, also sha384 and sha512) of the content a URL names. The
//!    app hands over content it fetched (logo bytes, a jCard); a digest that does
//!    not match drops the item (`rcd_integrity_mismatch`). A logo is exposed only
//!    when its bytes were verified this way, so the app shows exactly those bytes:
//!    an `icn`, or else a `logo` URI inside an inline `jcd` (named by its pointer,
//!    `/jcd/1/<i>/3`).
//! 4. **Safe.** Names and reasons pass [`crate::presentation::display_safety`].
//!
//! A bad rcd never fails the call: every problem here is a reason of weight 0.

use super::constraints::check_claim_constraints;
use super::jws::decode_object;
use super::verify::{
    authorizes, check_x5u, verify_signature, Check, Opened, PassportOutcome, SignerLookup,
};
use crate::identification::cert::{Judgement, ValidatedSigner};
use crate::intake::number::canonical_tn;
use crate::limits::MAX_DEST_TNS;
use crate::presentation::display_safety::{sanitize_name, sanitize_reason, sanitize_url};
use crate::reason::{Reason, ReasonCode};
use base64::Engine;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::sync::Arc;

/// The rich call data claims of a PASSporT, as sent (not yet vetted).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RcdClaims {
    /// `rcd`: an object with `nam`, `icn`, `jcd`, `jcl` (RFC 9795 §5).
    pub rcd: Option<Value>,
    /// `rcdi`: JSON Pointer → digest (RFC 9795 §6.1).
    pub rcdi: Option<Value>,
    /// `crn`: the call reason (RFC 9795 §7).
    pub crn: Option<Value>,
}

impl RcdClaims {
    /// The claims, or `None` when none of them is present.
    pub fn from_parts(rcd: Option<Value>, rcdi: Option<Value>, crn: Option<Value>) -> Option<Self> {
        (rcd.is_some() || rcdi.is_some() || crn.is_some()).then_some(RcdClaims { rcd, rcdi, crn })
    }
}

/// A `ppt=rcd` PASSporT whose signature and signer verified (not yet bound).
#[derive(Debug, Clone)]
pub struct RcdPassport {
    /// `orig.tn`, canonical.
    pub orig: String,
    /// `dest.tn`, canonical.
    pub dest: Vec<String>,
    /// `iat`.
    pub iat: i64,
    /// The rich call data.
    pub claims: RcdClaims,
    /// Its signer.
    pub signer: Arc<ValidatedSigner>,
}

/// Why a `ppt=rcd` PASSporT was not used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RcdRejection {
    /// `rcd_unvetted` (it did not verify).
    pub reason: ReasonCode,
    /// For people.
    pub detail: String,
    /// The signer's `x5u` when its certificate is not available locally.
    pub cert_needed: Option<String>,
}

/// Rich call data fit to show: vetted, intact and sanitised.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RichCallData {
    /// The caller's name.
    pub name: Option<String>,
    /// The logo's URL; its bytes are the content the app supplied for it, whose
    /// digest matched `rcdi`.
    pub logo_url: Option<String>,
    /// The call reason.
    pub call_reason: Option<String>,
}

/// What rich call data evaluation found for one call.
#[derive(Debug, Clone, Default)]
pub struct RcdOutcome {
    /// What may be shown (if the call is shown as a verified business).
    pub data: RichCallData,
    /// `rcd_unvetted`, `rcd_unbound`, `rcd_integrity_mismatch` reasons.
    pub reasons: Vec<Reason>,
    /// The `rcd_verified` reason, to add when the data is shown.
    pub verified: Option<Reason>,
    /// `x5u` URLs of `ppt=rcd` signers whose certificates are not local.
    pub cert_needed: Vec<String>,
}

#[derive(serde::Deserialize)]
struct RawRcdPassport {
    orig: Option<Value>,
    dest: Option<Value>,
    iat: Option<Value>,
    rcd: Option<Value>,
    rcdi: Option<Value>,
    crn: Option<Value>,
}

fn claims_invalid<T>(detail: &str) -> Check<T> {
    Err((ReasonCode::ClaimsInvalid, detail.to_string()))
}

fn tn(v: Option<&Value>, what: &str) -> Check<String> {
    match v {
        Some(Value::String(s)) if !s.is_empty() && s.len() <= 32 => canonical_tn(s, None)
            .ok_or((ReasonCode::ClaimsInvalid, format!("{what} is not a number"))),
        _ => claims_invalid(&format!("{what} is not a telephone number string")),
    }
}

fn decode_rcd_passport(payload_b64: &str) -> Check<(String, Vec<String>, i64, RcdClaims)> {
    let raw: RawRcdPassport = decode_object(payload_b64, "claims", ReasonCode::ClaimsInvalid)?;
    let orig = match &raw.orig {
        Some(Value::Object(o)) => tn(o.get("tn"), "orig.tn")?,
        _ => return claims_invalid("orig is not an object"),
    };
    let dest = match &raw.dest {
        Some(Value::Object(o)) => match o.get("tn") {
            Some(Value::Array(a)) if !a.is_empty() && a.len() <= MAX_DEST_TNS => a
                .iter()
                .map(|v| tn(Some(v), "dest.tn"))
                .collect::<Check<Vec<_>>>()?,
            _ => return claims_invalid("dest.tn is not a non-empty array"),
        },
        _ => return claims_invalid("dest is not an object"),
    };
    let iat = match &raw.iat {
        Some(Value::Number(n)) => match n.as_i64() {
            Some(i) if i >= 0 => i,
            _ => return claims_invalid("iat is not a non-negative integer"),
        },
        _ => return claims_invalid("iat missing or not a number"),
    };
    if raw.rcd.is_none() {
        return claims_invalid("no rcd claim");
    }
    let claims = RcdClaims {
        rcd: raw.rcd,
        rcdi: raw.rcdi,
        crn: raw.crn,
    };
    Ok((orig, dest, iat, claims))
}

/// Verify a `ppt=rcd` PASSporT that passed steps 1 and 2: `x5u`, typed claims, a
/// signer validated to an STI-CA or rcd anchor whose TNAuthList (when it lists
/// numbers) covers `orig`, and the signature. Binding comes later.
pub(crate) fn verify_rcd_passport(
    opened: &Opened<'_>,
    lookup: &dyn SignerLookup,
) -> Result<RcdPassport, RcdRejection> {
    let reject = |(r, d): (ReasonCode, String), cert_needed: Option<String>| RcdRejection {
        reason: ReasonCode::RcdUnvetted,
        detail: format!("rcd PASSporT not verified: {r}: {d}"),
        cert_needed,
    };
    let jws = &opened.jws;
    let x5u = check_x5u(jws, opened.info).map_err(|e| reject(e, None))?;
    let (orig, dest, iat, claims) =
        decode_rcd_passport(jws.payload_b64).map_err(|e| reject(e, None))?;
    let signer = lookup.rcd_signer(x5u, iat).map_err(|f| {
        let needed = (f.reason == ReasonCode::CertUnavailable).then(|| x5u.to_string());
        reject((f.reason, f.detail), needed)
    })?;
    if !authorizes(&signer, &orig) {
        return Err(reject(
            (
                ReasonCode::TnNotAuthorized,
                "the certificate's TNAuthList does not cover orig".into(),
            ),
            None,
        ));
    }
    verify_signature(jws, &signer).map_err(|e| reject(e, None))?;
    check_claim_constraints(jws.payload_b64, &signer).map_err(|e| reject(e, None))?;
    Ok(RcdPassport {
        orig,
        dest,
        iat,
        claims,
        signer,
    })
}

/// One source of rich call data: claims and who signed them.
struct Source<'a> {
    what: &'static str,
    claims: &'a RcdClaims,
    signer: &'a ValidatedSigner,
}

/// How an item fared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Vetting {
    Anchor,
    Constraints,
    NotVetted,
    Forbidden,
}

fn judge(signer: &ValidatedSigner, checks: &[(&[&str], &Value)]) -> Vetting {
    let Some(all) = &signer.claim_constraints else {
        return Vetting::Forbidden; // unreadable constraints may exclude it
    };
    let mut permitted = false;
    for c in all {
        for (names, value) in checks {
            match c.judge(names, value) {
                Judgement::Forbidden => return Vetting::Forbidden,
                Judgement::Permitted => permitted = true,
                Judgement::Unconstrained => {}
            }
        }
    }
    if signer.rcd_anchored {
        Vetting::Anchor
    } else if permitted {
        Vetting::Constraints
    } else {
        Vetting::NotVetted
    }
}

/// Check an rcdi digest (`alg-base64`) over `content`. `None` when the digest
/// is not one this verifier reads.
pub fn digest_matches(digest: &str, content: &[u8]) -> Option<bool> {
    let (alg, b64) = digest.split_once('-')?;
    let alg = match alg.to_ascii_lowercase().as_str() {
        "sha256" => &ring::digest::SHA256,
        "sha384" => &ring::digest::SHA384,
        "sha512" => &ring::digest::SHA512,
        _ => return None,
    };
    use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
    let expected = [STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD]
        .iter()
        .find_map(|e| e.decode(b64).ok())?;
    Some(ring::digest::digest(alg, content).as_ref() == expected.as_slice())
}

/// The `fn` (formatted name) of a jCard (RFC 7095): `["vcard", [[name, params,
/// type, value], ...]]`.
fn jcard_fn(card: &Value) -> Option<&str> {
    let props = card.get(1)?.as_array()?;
    props.iter().find_map(|p| {
        let p = p.as_array()?;
        (p.first()?.as_str()?.eq_ignore_ascii_case("fn"))
            .then(|| p.get(3)?.as_str())
            .flatten()
    })
}

/// The `logo` URIs of an inline jCard (RFC 6350 §6.6.3, in RFC 7095 form
/// `["logo", {}, "uri", "https://..."]`), each with the JSON Pointer of its value
/// inside `rcd` (`/jcd/1/<i>/3`), which is how `rcdi` names it (RFC 9795 §6.1).
/// Content behind a URI may not hold further URIs (one level only), so a jCard
/// fetched by `jcl` is not searched.
fn jcard_logo_uris(card: &Value) -> Vec<(String, &str)> {
    let Some(props) = card.get(1).and_then(Value::as_array) else {
        return Vec::new();
    };
    props
        .iter()
        .enumerate()
        .filter_map(|(i, p)| {
            let p = p.as_array()?;
            let is_logo = p.first()?.as_str()?.eq_ignore_ascii_case("logo");
            let is_uri = p.get(2)?.as_str()?.eq_ignore_ascii_case("uri");
            (is_logo && is_uri).then(|| Some((format!("/jcd/1/{i}/3"), p.get(3)?.as_str()?)))?
        })
        .collect()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Integrity {
    /// A digest matched the content supplied.
    Verified,
    /// A digest did not match: the item is dropped.
    Mismatch,
    /// No digest, no content, or a digest we cannot read.
    Unchecked,
}

/// Per source: what it contributes, and its reasons.
#[derive(Default)]
struct Contribution {
    name: Option<String>,
    logo_url: Option<String>,
    call_reason: Option<String>,
    how: Option<Vetting>,
}

fn integrity_of(
    url: &str,
    pointers: &[&str],
    rcdi: Option<&Value>,
    rcd: &Value,
    content: &BTreeMap<String, Vec<u8>>,
) -> Integrity {
    let Some(Value::Object(digests)) = rcdi else {
        return Integrity::Unchecked;
    };
    let wrapped = json!({ "rcd": rcd });
    let digest = digests.iter().find_map(|(ptr, d)| {
        let target = rcd.pointer(ptr).or_else(|| wrapped.pointer(ptr));
        let named = pointers.contains(&ptr.as_str()) || target.and_then(Value::as_str) == Some(url);
        named.then(|| d.as_str()).flatten()
    });
    match (digest, content.get(url)) {
        (Some(d), Some(bytes)) => match digest_matches(d, bytes) {
            Some(true) => Integrity::Verified,
            Some(false) => Integrity::Mismatch,
            None => Integrity::Unchecked,
        },
        _ => Integrity::Unchecked,
    }
}

/// The vetting of one source's items, as they are judged.
#[derive(Default)]
struct Tally {
    how: Option<Vetting>,
    unvetted: Vec<&'static str>,
    forbidden: bool,
}

impl Tally {
    fn vet(
        &mut self,
        signer: &ValidatedSigner,
        label: &'static str,
        checks: &[(&[&str], &Value)],
    ) -> bool {
        match judge(signer, checks) {
            v @ (Vetting::Anchor | Vetting::Constraints) => {
                if self.how.is_none() || v == Vetting::Anchor {
                    self.how = Some(v);
                }
                true
            }
            v => {
                self.forbidden |= v == Vetting::Forbidden;
                self.unvetted.push(label);
                false
            }
        }
    }
}

fn evaluate_source(
    src: &Source<'_>,
    content: &BTreeMap<String, Vec<u8>>,
    reasons: &mut Vec<Reason>,
) -> Contribution {
    let mut out = Contribution::default();
    let mut tally = Tally::default();
    let null = Value::Null;
    let rcd = src.claims.rcd.as_ref().unwrap_or(&null);
    if !matches!(rcd, Value::Object(_) | Value::Null) {
        reasons.push(Reason::new(
            ReasonCode::RcdUnvetted,
            format!("{}: rcd is not a JSON object", src.what),
        ));
    }
    let member = |k: &str| rcd.as_object().and_then(|o| o.get(k));
    let signer = src.signer;

    // The name: nam, else the jCard's fn (inline, or by URL with verified content).
    if let Some(nam) = member("nam") {
        if tally.vet(signer, "nam", &[(&["rcd"], rcd), (&["/rcd/nam"], nam)]) {
            out.name = nam.as_str().and_then(sanitize_name);
        }
    }
    let mut jcd_logos = Vec::new();
    if let Some(jcd) = member("jcd") {
        if tally.vet(signer, "jcd", &[(&["rcd"], rcd), (&["/rcd/jcd"], jcd)]) {
            if out.name.is_none() {
                out.name = jcard_fn(jcd).and_then(sanitize_name);
            }
            jcd_logos = jcard_logo_uris(jcd);
        }
    }
    for (key, pointer, rcd_pointer) in [("icn", "/icn", "/rcd/icn"), ("jcl", "/jcl", "/rcd/jcl")] {
        let Some(value) = member(key) else { continue };
        if !tally.vet(
            signer,
            key_label(key),
            &[(&["rcd"], rcd), (&[rcd_pointer], value)],
        ) {
            continue;
        }
        let Some(url) = value.as_str().and_then(sanitize_url) else {
            continue;
        };
        match integrity_of(&url, &[pointer, rcd_pointer], src.claims.rcdi.as_ref(), rcd, content) {
            Integrity::Mismatch => reasons.push(Reason::new(
                ReasonCode::RcdIntegrityMismatch,
                format!(
                    "{}: the content supplied for {key} {url} does not match its rcdi digest; {key} dropped",
                    src.what
                ),
            )),
            Integrity::Verified if key == "icn" => out.logo_url = Some(url),
            Integrity::Verified => {
                if out.name.is_none() {
                    out.name = content
                        .get(&url)
                        .and_then(|b| serde_json::from_slice::<Value>(b).ok())
                        .and_then(|card| jcard_fn(&card).and_then(sanitize_name));
                }
            }
            Integrity::Unchecked => {}
        }
    }
    // A logo inside the inline jCard counts when no `icn` logo did, under the
    // same rule: only bytes whose rcdi digest matched are ever shown.
    for (pointer, uri) in jcd_logos {
        let Some(url) = sanitize_url(uri) else {
            continue;
        };
        let rcd_pointer = format!("/rcd{pointer}");
        let pointers = [pointer.as_str(), rcd_pointer.as_str()];
        match integrity_of(&url, &pointers, src.claims.rcdi.as_ref(), rcd, content) {
            Integrity::Mismatch => reasons.push(Reason::new(
                ReasonCode::RcdIntegrityMismatch,
                format!(
                    "{}: the content supplied for the jCard logo {url} does not match its rcdi digest; logo dropped",
                    src.what
                ),
            )),
            Integrity::Verified if out.logo_url.is_none() => out.logo_url = Some(url),
            Integrity::Verified | Integrity::Unchecked => {}
        }
    }
    if let Some(crn) = &src.claims.crn {
        if tally.vet(signer, "crn", &[(&["crn", "/crn"], crn)]) {
            out.call_reason = crn.as_str().and_then(sanitize_reason);
        }
    }
    if !tally.unvetted.is_empty() {
        let why = if tally.forbidden {
            "the signer's JWT Claim Constraints do not permit them"
        } else {
            "the signer is under no rcd trust anchor and no JWT Claim Constraints permit them"
        };
        reasons.push(Reason::new(
            ReasonCode::RcdUnvetted,
            format!(
                "{}: {} not vetted: {why}",
                src.what,
                tally.unvetted.join(", ")
            ),
        ));
    }
    out.how = tally.how;
    out
}

fn key_label(key: &str) -> &'static str {
    if key == "icn" {
        "icn"
    } else {
        "jcl"
    }
}

/// Evaluate the rich call data of a call: of the best passing `shaken`
/// PASSporT in `passports` and of the `ppt=rcd` PASSporTs in `rcd` (in header
/// order), with `content` the app supplied (URL → bytes) and `window` the
/// freshness window in seconds. See the module docs for the rules.
pub fn rich_call_data(
    passports: &[PassportOutcome],
    rcd: &[Result<RcdPassport, RcdRejection>],
    content: &BTreeMap<String, Vec<u8>>,
    window: i64,
) -> RcdOutcome {
    let mut out = RcdOutcome::default();
    let best = passports
        .iter()
        .filter_map(|o| match o {
            PassportOutcome::Passed {
                attestation,
                signer,
                iat,
                orig,
                dest,
                rich,
                ..
            } => Some((*attestation, signer, *iat, orig, dest, rich)),
            _ => None,
        })
        .min_by_key(|p| p.0);

    let mut sources: Vec<Source<'_>> = Vec::new();
    if let Some((_, signer, _, _, _, Some(rich))) = &best {
        sources.push(Source {
            what: "shaken PASSporT",
            claims: rich,
            signer,
        });
    }
    for r in rcd {
        match r {
            Err(rejected) => {
                out.reasons
                    .push(Reason::new(rejected.reason, rejected.detail.clone()));
                if let Some(u) = &rejected.cert_needed {
                    if !out.cert_needed.contains(u) {
                        out.cert_needed.push(u.clone());
                    }
                }
            }
            Ok(p) => {
                let bound = best.as_ref().is_some_and(|(_, _, iat, orig, dest, _)| {
                    p.orig == **orig
                        && same_numbers(&p.dest, dest)
                        && p.iat.abs_diff(*iat) <= window.unsigned_abs()
                });
                if bound {
                    sources.push(Source {
                        what: "rcd PASSporT",
                        claims: &p.claims,
                        signer: &p.signer,
                    });
                } else {
                    let why = if best.is_none() {
                        "no shaken PASSporT passed to bind it to".to_string()
                    } else {
                        "its orig, dest or iat differ from the shaken PASSporT's".to_string()
                    };
                    out.reasons.push(Reason::new(
                        ReasonCode::RcdUnbound,
                        format!(
                            "rcd PASSporT signed by \"{}\" not used: {why}",
                            p.signer.subject
                        ),
                    ));
                }
            }
        }
    }

    let mut how: Option<Vetting> = None;
    for src in &sources {
        let c = evaluate_source(src, content, &mut out.reasons);
        let contributed = (out.data.name.is_none() && c.name.is_some())
            || (out.data.logo_url.is_none() && c.logo_url.is_some())
            || (out.data.call_reason.is_none() && c.call_reason.is_some());
        if contributed && how.is_none() {
            how = c.how;
        }
        out.data.name = out.data.name.take().or(c.name);
        out.data.logo_url = out.data.logo_url.take().or(c.logo_url);
        out.data.call_reason = out.data.call_reason.take().or(c.call_reason);
    }
    if out.data.name.is_some() {
        let what: Vec<&str> = [
            out.data.name.as_ref().map(|_| "name"),
            out.data.logo_url.as_ref().map(|_| "logo"),
            out.data.call_reason.as_ref().map(|_| "call reason"),
        ]
        .into_iter()
        .flatten()
        .collect();
        let by = match how {
            Some(Vetting::Anchor) => "an rcd trust anchor",
            _ => "the signer's JWT Claim Constraints",
        };
        out.verified = Some(Reason::new(
            ReasonCode::RcdVerified,
            format!("{} vetted by {by}", what.join(", ")),
        ));
    }
    out
}

fn same_numbers(a: &[String], b: &[String]) -> bool {
    a.iter().all(|x| b.contains(x)) && b.iter().all(|x| a.contains(x))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::identification::cert::{parse_claim_constraints, TnAuthList, TnEntry};
    use crate::identification::verification::Attestation;

    fn signer(
        rcd_anchored: bool,
        constraints: Option<Vec<crate::identification::cert::ClaimConstraints>>,
    ) -> Arc<ValidatedSigner> {
        Arc::new(ValidatedSigner {
            key: vec![],
            subject: "CN=test".into(),
            spc: Some("1234".into()),
            tn_auth_list: TnAuthList {
                entries: vec![TnEntry::Spc("1234".into())],
            },
            delegate: false,
            valid_from: 0,
            valid_until: i64::MAX,
            trust_version: 0,
            sti_anchored: true,
            rcd_anchored,
            claim_constraints: constraints,
            notes: vec![],
        })
    }

    fn passed(signer: Arc<ValidatedSigner>, rich: Option<RcdClaims>) -> PassportOutcome {
        PassportOutcome::Passed {
            attestation: Attestation::A,
            signer,
            signature: vec![],
            iat: 1000,
            orig: "12155551212".into(),
            dest: vec!["12155551213".into()],
            rich: rich.map(Arc::new),
        }
    }

    fn rich(v: Value) -> RcdClaims {
        RcdClaims::from_parts(
            v.get("rcd").cloned(),
            v.get("rcdi").cloned(),
            v.get("crn").cloned(),
        )
        .unwrap()
    }

    fn codes(o: &RcdOutcome) -> Vec<ReasonCode> {
        o.reasons.iter().map(|r| r.code).collect()
    }

    fn sha256(b: &[u8]) -> String {
        format!(
            "sha256-{}",
            base64::engine::general_purpose::STANDARD
                .encode(ring::digest::digest(&ring::digest::SHA256, b))
        )
    }

    #[test]
    fn anchor_vets_everything_and_constraints_can_veto() {
        let claims = rich(json!({"rcd": {"nam": "Acme"}, "crn": "Refill"}));
        let o = rich_call_data(
            &[passed(signer(true, Some(vec![])), Some(claims.clone()))],
            &[],
            &BTreeMap::new(),
            60,
        );
        assert_eq!(o.data.name.as_deref(), Some("Acme"));
        assert_eq!(o.data.call_reason.as_deref(), Some("Refill"));
        assert!(o
            .verified
            .as_ref()
            .unwrap()
            .detail
            .contains("rcd trust anchor"));
        assert!(o.reasons.is_empty());

        // Under an anchor, constraints that exclude crn still veto it.
        let der = [
            0x30, 0x09, 0xA2, 0x07, 0x30, 0x05, 0x16, 0x03, b'c', b'r', b'n',
        ];
        let c = parse_claim_constraints(&der, true).unwrap();
        let o = rich_call_data(
            &[passed(signer(true, Some(vec![c])), Some(claims))],
            &[],
            &BTreeMap::new(),
            60,
        );
        assert_eq!(o.data.name.as_deref(), Some("Acme"));
        assert_eq!(o.data.call_reason, None);
        assert_eq!(codes(&o), vec![ReasonCode::RcdUnvetted]);
        assert!(o.reasons[0].detail.contains("do not permit"));
    }

    #[test]
    fn unvetted_and_unreadable_constraints_show_nothing() {
        let claims = rich(json!({"rcd": {"nam": "Acme"}}));
        for s in [signer(false, Some(vec![])), signer(true, None)] {
            let o = rich_call_data(
                &[passed(s, Some(claims.clone()))],
                &[],
                &BTreeMap::new(),
                60,
            );
            assert_eq!(o.data, RichCallData::default());
            assert_eq!(codes(&o), vec![ReasonCode::RcdUnvetted]);
            assert!(o.verified.is_none());
        }
    }

    #[test]
    fn rcdi_for_a_logo_inside_an_inline_jcard() {
        let logo = b"jcard logo".to_vec();
        let url = "https://x.example/jlogo.png";
        let card = json!([
            "vcard",
            [
                ["version", {}, "text", "4.0"],
                ["fn", {}, "text", "Inline Co"],
                ["logo", {}, "uri", url]
            ]
        ]);
        let mut content = BTreeMap::new();
        content.insert(url.to_string(), logo.clone());
        let run = |rcdi: Value, content: &BTreeMap<String, Vec<u8>>| {
            let claims = rich(json!({"rcd": {"jcd": card.clone()}, "rcdi": rcdi}));
            rich_call_data(
                &[passed(signer(true, Some(vec![])), Some(claims))],
                &[],
                content,
                60,
            )
        };
        // The digest names the URI by its pointer inside rcd.
        let o = run(json!({"/jcd/1/2/3": sha256(&logo)}), &content);
        assert_eq!(o.data.logo_url.as_deref(), Some(url));
        assert_eq!(o.data.name.as_deref(), Some("Inline Co"));
        assert!(o.reasons.is_empty(), "{:?}", o.reasons);
        // Other bytes: the logo is dropped with a reason; the inline name stays.
        let o = run(json!({"/jcd/1/2/3": sha256(b"other")}), &content);
        assert_eq!(o.data.logo_url, None);
        assert_eq!(o.data.name.as_deref(), Some("Inline Co"));
        assert_eq!(codes(&o), vec![ReasonCode::RcdIntegrityMismatch]);
        // No digest, or no content: never shown.
        assert_eq!(run(json!({}), &content).data.logo_url, None);
        let none = BTreeMap::new();
        assert_eq!(
            run(json!({"/jcd/1/2/3": sha256(&logo)}), &none)
                .data
                .logo_url,
            None
        );
    }

    #[test]
    fn rcdi_logo_and_jcard() {
        let logo = b"logo bytes".to_vec();
        let card = br#"["vcard",[["version",{},"text","4.0"],["fn",{},"text","Acme \u202eCorp"]]]"#
            .to_vec();
        let mut content = BTreeMap::new();
        content.insert("https://x.example/logo.png".to_string(), logo.clone());
        content.insert("https://x.example/card.json".to_string(), card.clone());
        let claims = rich(json!({
            "rcd": {"icn": "https://x.example/logo.png", "jcl": "https://x.example/card.json"},
            "rcdi": {"/icn": sha256(&logo), "/jcl": sha256(&card)},
        }));
        let o = rich_call_data(
            &[passed(signer(true, Some(vec![])), Some(claims))],
            &[],
            &content,
            60,
        );
        assert_eq!(
            o.data.logo_url.as_deref(),
            Some("https://x.example/logo.png")
        );
        assert_eq!(o.data.name.as_deref(), Some("Acme Corp"));
        assert!(o.reasons.is_empty(), "{:?}", o.reasons);

        // No content supplied: the logo cannot be verified and is not exposed.
        let claims = rich(json!({
            "rcd": {"nam": "Acme", "icn": "https://x.example/logo.png"},
            "rcdi": {"/icn": sha256(&logo)},
        }));
        let o = rich_call_data(
            &[passed(signer(true, Some(vec![])), Some(claims.clone()))],
            &[],
            &BTreeMap::new(),
            60,
        );
        assert_eq!(
            (o.data.name.as_deref(), o.data.logo_url.as_deref()),
            (Some("Acme"), None)
        );

        // Other content: mismatch, logo dropped, name kept.
        let mut other = BTreeMap::new();
        other.insert("https://x.example/logo.png".to_string(), b"evil".to_vec());
        let o = rich_call_data(
            &[passed(signer(true, Some(vec![])), Some(claims))],
            &[],
            &other,
            60,
        );
        assert_eq!(
            (o.data.name.as_deref(), o.data.logo_url.as_deref()),
            (Some("Acme"), None)
        );
        assert_eq!(codes(&o), vec![ReasonCode::RcdIntegrityMismatch]);

        // Inline jCard.
        let claims = rich(json!({"rcd": {"jcd": ["vcard", [["fn", {}, "text", "Inline Co"]]]}}));
        let o = rich_call_data(
            &[passed(signer(true, Some(vec![])), Some(claims))],
            &[],
            &BTreeMap::new(),
            60,
        );
        assert_eq!(o.data.name.as_deref(), Some("Inline Co"));
    }

    #[test]
    fn digests() {
        assert_eq!(digest_matches(&sha256(b"a"), b"a"), Some(true));
        assert_eq!(digest_matches(&sha256(b"a"), b"b"), Some(false));
        let url_safe = format!(
            "sha512-{}",
            base64::engine::general_purpose::URL_SAFE_NO_PAD
                .encode(ring::digest::digest(&ring::digest::SHA512, b"a"))
        );
        assert_eq!(digest_matches(&url_safe, b"a"), Some(true));
        assert_eq!(digest_matches("md5-AAAA", b"a"), None);
        assert_eq!(digest_matches("sha256-@@@", b"a"), None);
        assert_eq!(digest_matches("nodash", b"a"), None);
    }

    #[test]
    fn binding_of_rcd_passports() {
        let p = |orig: &str, dest: &str, iat: i64| -> Result<RcdPassport, RcdRejection> {
            Ok(RcdPassport {
                orig: orig.into(),
                dest: vec![dest.into()],
                iat,
                claims: rich(json!({"rcd": {"nam": "Bank"}})),
                signer: signer(true, Some(vec![])),
            })
        };
        let shaken = [passed(signer(false, Some(vec![])), None)];
        let none = BTreeMap::new();
        let o = rich_call_data(&shaken, &[p("12155551212", "12155551213", 1030)], &none, 60);
        assert_eq!(o.data.name.as_deref(), Some("Bank"));
        for bad in [
            p("12155559999", "12155551213", 1000),
            p("12155551212", "12155550000", 1000),
            p("12155551212", "12155551213", 1061),
        ] {
            let o = rich_call_data(&shaken, &[bad], &none, 60);
            assert_eq!(o.data.name, None);
            assert_eq!(codes(&o), vec![ReasonCode::RcdUnbound]);
        }
        // Nothing passed: unbound.
        let o = rich_call_data(&[], &[p("12155551212", "12155551213", 1000)], &none, 60);
        assert_eq!(codes(&o), vec![ReasonCode::RcdUnbound]);
        // A rejected one is a reason and may need a certificate.
        let rejected = Err(RcdRejection {
            reason: ReasonCode::RcdUnvetted,
            detail: "x".into(),
            cert_needed: Some("https://c.example/r.pem".into()),
        });
        let o = rich_call_data(&shaken, &[rejected], &none, 60);
        assert_eq!(o.cert_needed, vec!["https://c.example/r.pem"]);
        assert_eq!(codes(&o), vec![ReasonCode::RcdUnvetted]);
    }

    #[test]
    fn shaken_rcd_of_a_lesser_pass_is_ignored() {
        let a = passed(signer(false, Some(vec![])), None);
        let mut b = passed(
            signer(true, Some(vec![])),
            Some(rich(json!({"rcd": {"nam": "B"}}))),
        );
        if let PassportOutcome::Passed { attestation, .. } = &mut b {
            *attestation = Attestation::B;
        }
        let o = rich_call_data(&[b, a], &[], &BTreeMap::new(), 60);
        assert_eq!(o.data.name, None);
    }
}
