//! The compact JWS serialisation of a PASSporT (RFC 7515 §7.1, RFC 8225 §7) and
//! its JOSE header (RFC 8225 §4).
//!
//! The signature is checked over the bytes received (`header.payload` as sent),
//! never over a re-serialisation.

use super::strict_json::{parse_object, StrictJsonError};
use super::verify::Check;
use crate::reason::ReasonCode;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde_json::{Map, Value};

/// A compact JWS, split and decoded.
#[derive(Debug, Clone)]
pub struct Jws<'a> {
    /// `base64url(header) "." base64url(payload)`, the signing input as received.
    pub signing_input: &'a str,
    /// The payload segment, still base64url (decoded later, after the header checks).
    pub payload_b64: &'a str,
    /// The signature segment, still base64url.
    pub signature_b64: &'a str,
    /// The JOSE header.
    pub header: JoseHeader,
}

/// The JOSE header members a PASSporT verifier reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JoseHeader {
    /// `alg`.
    pub alg: Option<String>,
    /// `typ`.
    pub typ: Option<String>,
    /// `ppt`.
    pub ppt: Option<String>,
    /// `x5u`.
    pub x5u: Option<String>,
    /// True when `crit` is present.
    pub has_crit: bool,
}

fn b64(segment: &str, what: &str) -> Check<Vec<u8>> {
    URL_SAFE_NO_PAD
        .decode(segment)
        .map_err(|_| (ReasonCode::JwsMalformed, format!("{what} is not base64url")))
}

fn string_member(map: &Map<String, Value>, name: &str) -> Check<Option<String>> {
    match map.get(name) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err((
            ReasonCode::JwsMalformed,
            format!("header {name} is not a string"),
        )),
    }
}

/// Decode a JSON object segment, mapping errors to `reason`.
pub(crate) fn decode_object(
    segment: &str,
    what: &str,
    reason: ReasonCode,
) -> Check<Map<String, Value>> {
    let bytes = b64(segment, what).map_err(|(_, d)| (reason, d))?;
    parse_object(&bytes).map_err(|e| match e {
        StrictJsonError::DuplicateMember => (reason, format!("{what} has a duplicate member")),
        StrictJsonError::Malformed => (reason, format!("{what} is not a JSON object")),
    })
}

/// Split a compact JWS and read its header.
///
/// # Errors
/// `jws_malformed` when there are not three segments, or the header is not a
/// base64url JSON object with string members and no duplicates.
pub fn split(token: &str) -> Check<Jws<'_>> {
    let mut segs = token.split('.');
    let (Some(h), Some(p), Some(s), None) = (segs.next(), segs.next(), segs.next(), segs.next())
    else {
        return Err((
            ReasonCode::JwsMalformed,
            "not three dot-separated segments".into(),
        ));
    };
    if h.is_empty() || p.is_empty() {
        return Err((ReasonCode::JwsMalformed, "empty segment".into()));
    }
    let map = decode_object(h, "JOSE header", ReasonCode::JwsMalformed)?;
    let header = JoseHeader {
        alg: string_member(&map, "alg")?,
        typ: string_member(&map, "typ")?,
        ppt: string_member(&map, "ppt")?,
        x5u: string_member(&map, "x5u")?,
        has_crit: map.contains_key("crit"),
    };
    let signing_input = token.get(..h.len() + 1 + p.len()).unwrap_or(token);
    Ok(Jws {
        signing_input,
        payload_b64: p,
        signature_b64: s,
        header,
    })
}

/// Decode the signature: ES256 is 64 bytes, R‖S (RFC 7518 §3.4).
pub(crate) fn signature(jws: &Jws<'_>) -> Check<Vec<u8>> {
    let sig = b64(jws.signature_b64, "signature")?;
    if sig.len() != 64 {
        return Err((
            ReasonCode::SignatureInvalid,
            format!("ES256 signature of {} bytes", sig.len()),
        ));
    }
    Ok(sig)
}
