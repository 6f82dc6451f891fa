//! Diverted calls (RFC 8946): when a call is forwarded, the diverting provider
//! adds a `div` PASSporT whose `div.tn` is the number the call was diverted from
//! and whose `dest` is the new destination. It has no `attest` or `origid`.
//!
//! Each `div` PASSporT is verified like a `shaken` one: `Identity` parameters,
//! JOSE header, typed claims, freshness of `iat` against now (not against the
//! `Date` header, which belongs to the original INVITE), `orig` bound to the
//! asserted caller, the signer's chain to an STI-CA anchor, a TNAuthList that
//! covers `div.tn` when it lists numbers (the signer speaks for the diverting
//! number, RFC 8946 §4), and the signature.
//!
//! Verified links are then followed back from the subscriber's own numbers
//! ([`reach`]): a `div` whose `dest` is reachable makes its `div.tn` reachable,
//! for chains of several diversions in any header order. The original `shaken`
//! PASSporT's `dest` must be reachable; a genuine PASSporT for someone else, cut
//! and pasted onto a call to us, is not (`dest_mismatch`).

use super::constraints::check_claim_constraints;
use super::jws::{decode_object, Jws};
use super::verify::{
    authorizes, check_freshness, check_x5u, verify_signature, CallBinding, Check, Opened,
    PassportCheck, SignerLookup,
};
use crate::intake::number::canonical_tn;
use crate::limits::MAX_DEST_TNS;
use crate::reason::ReasonCode;
use serde_json::{Map, Value};

/// The claims of a `div` PASSporT (RFC 8946 §3), canonical numbers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DivClaims {
    /// `orig.tn`.
    pub orig: String,
    /// `dest.tn`: where the call was diverted to.
    pub dest: Vec<String>,
    /// `div.tn`: the number the call was diverted from.
    pub div: String,
    /// `iat`, seconds since the epoch.
    pub iat: i64,
}

/// What verifying one `div` PASSporT found.
#[derive(Debug, Clone)]
pub struct DivOutcome {
    /// The claims, when they were read.
    pub claims: Option<DivClaims>,
    /// `Ok` when every check passed; else the first failure (its own reason,
    /// e.g. `signature_invalid`), with the `x5u` when it was read.
    pub result: Result<(), (ReasonCode, String, Option<String>)>,
}

impl DivOutcome {
    /// True when every check passed.
    pub fn verified(&self) -> bool {
        self.result.is_ok()
    }
}

#[derive(serde::Deserialize)]
struct RawDivClaims {
    orig: Option<Value>,
    dest: Option<Value>,
    div: Option<Value>,
    iat: Option<Value>,
}

fn invalid<T>(detail: &str) -> Check<T> {
    Err((ReasonCode::ClaimsInvalid, detail.to_string()))
}

fn tn_of(obj: Option<&Value>, what: &str) -> Check<String> {
    let Some(Value::Object(o)) = obj else {
        return invalid(&format!("{what} is not an object"));
    };
    match o.get("tn") {
        Some(Value::String(s)) if !s.is_empty() && s.len() <= 32 => canonical_tn(s, None).ok_or((
            ReasonCode::ClaimsInvalid,
            format!("{what}.tn is not a number"),
        )),
        _ => invalid(&format!("{what}.tn is not a telephone number string")),
    }
}

fn dest_of(obj: Option<&Value>) -> Check<Vec<String>> {
    let Some(Value::Object(o)) = obj else {
        return invalid("dest is not an object");
    };
    let tns = match o.get("tn") {
        Some(Value::Array(a)) if !a.is_empty() && a.len() <= MAX_DEST_TNS => a,
        _ => return invalid("dest.tn is not a non-empty array"),
    };
    tns.iter()
        .map(|v| {
            let map: Map<String, Value> = [("tn".to_string(), v.clone())].into_iter().collect();
            tn_of(Some(&Value::Object(map)), "dest")
        })
        .collect()
}

impl DivClaims {
    /// Decode and type the claims of a payload segment.
    ///
    /// # Errors
    /// `claims_invalid` for bad base64url or JSON, a duplicate member, or a
    /// missing or mistyped `orig`, `dest`, `div` or `iat`.
    pub fn decode(payload_b64: &str) -> Check<DivClaims> {
        let raw: RawDivClaims = decode_object(payload_b64, "claims", ReasonCode::ClaimsInvalid)?;
        let iat = match &raw.iat {
            Some(Value::Number(n)) => match n.as_i64() {
                Some(i) if i >= 0 => i,
                _ => return invalid("iat is not a non-negative integer"),
            },
            _ => return invalid("iat missing or not a number"),
        };
        Ok(DivClaims {
            orig: tn_of(raw.orig.as_ref(), "orig")?,
            dest: dest_of(raw.dest.as_ref())?,
            div: tn_of(raw.div.as_ref(), "div")?,
            iat,
        })
    }
}

/// Verify one `div` PASSporT that passed steps 1 and 2 (see the module docs).
pub(crate) fn verify_div(
    opened: &Opened<'_>,
    binding: &CallBinding,
    check: PassportCheck,
    lookup: &dyn SignerLookup,
) -> DivOutcome {
    let jws: &Jws<'_> = &opened.jws;
    let fail =
        |claims: Option<DivClaims>, (r, d): (ReasonCode, String), x5u: Option<&str>| DivOutcome {
            claims,
            result: Err((r, d, x5u.map(str::to_string))),
        };
    let x5u = match check_x5u(jws, opened.info) {
        Ok(u) => u,
        Err(e) => return fail(None, e, None),
    };
    let claims = match DivClaims::decode(jws.payload_b64) {
        Ok(c) => c,
        Err(e) => return fail(None, e, Some(x5u)),
    };
    let x = Some(x5u);
    if let Err(e) = check_freshness(claims.iat, None, check) {
        return fail(Some(claims), e, x);
    }
    if binding.orig.as_deref() != Some(claims.orig.as_str()) {
        let e = (
            ReasonCode::OrigMismatch,
            "orig does not match the asserted caller".to_string(),
        );
        return fail(Some(claims), e, x);
    }
    let signer = match lookup.signer(x5u, claims.iat) {
        Ok(s) => s,
        Err(f) => return fail(Some(claims), (f.reason, f.detail), x),
    };
    if !authorizes(&signer, &claims.div) {
        let e = (
            ReasonCode::TnNotAuthorized,
            "the certificate's TNAuthList does not cover div".to_string(),
        );
        return fail(Some(claims), e, x);
    }
    if let Err(e) = verify_signature(jws, &signer) {
        return fail(Some(claims), e, x);
    }
    if let Err(e) = check_claim_constraints(jws.payload_b64, &signer) {
        return fail(Some(claims), e, x);
    }
    DivOutcome {
        claims: Some(claims),
        result: Ok(()),
    }
}

/// The numbers from which a call reaches `own` through the `links` (each a
/// `div` PASSporT's claims): `own` itself, then every `div.tn` of a link whose
/// `dest` is reachable, to a fixed point. Returns the numbers and how many links
/// were followed.
pub fn reach<'a>(
    own: &[String],
    links: impl IntoIterator<Item = &'a DivClaims>,
) -> (Vec<String>, usize) {
    let links: Vec<&DivClaims> = links.into_iter().collect();
    let mut reachable: Vec<String> = own.to_vec();
    let mut used = vec![false; links.len()];
    let mut followed = 0;
    loop {
        let mut grew = false;
        for (i, link) in links.iter().enumerate() {
            if used.get(i).copied().unwrap_or(true) {
                continue;
            }
            if link.dest.iter().any(|d| reachable.contains(d)) {
                if let Some(u) = used.get_mut(i) {
                    *u = true;
                }
                followed += 1;
                if !reachable.contains(&link.div) {
                    reachable.push(link.div.clone());
                    grew = true;
                }
            }
        }
        if !grew {
            return (reachable, followed);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link(div: &str, dest: &str) -> DivClaims {
        DivClaims {
            orig: "12155551212".into(),
            dest: vec![dest.into()],
            div: div.into(),
            iat: 0,
        }
    }

    #[test]
    fn chains_are_followed_in_any_order() {
        let own = vec!["12155551213".to_string()];
        let links = [link("100", "101"), link("101", "12155551213")];
        let (r, n) = reach(&own, &links);
        assert_eq!(r, vec!["12155551213", "101", "100"]);
        assert_eq!(n, 2);
        // A link that leads elsewhere adds nothing.
        let (r, n) = reach(&own, &[link("100", "199")]);
        assert_eq!((r.len(), n), (1, 0));
        // Loops end.
        let (r, _) = reach(&own, &[link("100", "101"), link("101", "100")]);
        assert_eq!(r, own);
    }

    #[test]
    fn claims_are_typed() {
        use base64::engine::general_purpose::URL_SAFE_NO_PAD;
        use base64::Engine;
        let d = |j: &str| DivClaims::decode(&URL_SAFE_NO_PAD.encode(j));
        let c = d(r#"{"dest":{"tn":["12155551213"]},"div":{"tn":"12155550100"},"iat":5,"orig":{"tn":"12155551212"}}"#)
            .unwrap();
        assert_eq!((c.div.as_str(), c.iat), ("12155550100", 5));
        for bad in [
            r#"{"dest":{"tn":["1"]},"iat":5,"orig":{"tn":"1"}}"#,
            r#"{"dest":{"tn":["1"]},"div":"1","iat":5,"orig":{"tn":"1"}}"#,
            r#"{"dest":{"tn":"1"},"div":{"tn":"1"},"iat":5,"orig":{"tn":"1"}}"#,
            r#"{"dest":{"tn":["1"]},"div":{"tn":"1"},"iat":"5","orig":{"tn":"1"}}"#,
            r#"{"dest":{"tn":["1"]},"div":{"tn":"1"},"div":{"tn":"2"},"iat":5,"orig":{"tn":"1"}}"#,
        ] {
            assert_eq!(d(bad).unwrap_err().0, ReasonCode::ClaimsInvalid, "{bad}");
        }
    }
}
