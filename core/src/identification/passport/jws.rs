//! The compact JWS serialisation of a PASSporT (RFC 7515 §7.1, RFC 8225 §7) and
//! its JOSE header (RFC 8225 §4).
//!
//! The signature is checked over the bytes received (`header.payload` as sent),
//! never over a re-serialisation.

use super::strict_json::{parse_fields, parse_strict, NoDuplicates, StrictFields, StrictJsonError};
use super::verify::Check;
use crate::reason::ReasonCode;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;

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

/// The header members read; others are ignored (but still checked for duplicates).
#[derive(Default)]
struct RawHeader {
    alg: Option<String>,
    typ: Option<String>,
    ppt: Option<String>,
    x5u: Option<String>,
    crit: bool,
}

impl StrictFields for RawHeader {
    fn field<'de, A: serde::de::MapAccess<'de>>(
        &mut self,
        name: &str,
        map: &mut A,
    ) -> Result<bool, A::Error> {
        let slot = match name {
            "alg" => &mut self.alg,
            "typ" => &mut self.typ,
            "ppt" => &mut self.ppt,
            "x5u" => &mut self.x5u,
            "crit" => {
                map.next_value::<NoDuplicates>()?;
                self.crit = true; // present, even as null
                return Ok(true);
            }
            _ => return Ok(false),
        };
        *slot = map.next_value::<Option<String>>()?;
        Ok(true)
    }
}

/// Decode a segment into `T` in one pass ([`parse_fields`]), mapping errors to `reason`.
pub(crate) fn decode_fields<T: StrictFields>(
    segment: &str,
    what: &str,
    reason: ReasonCode,
) -> Check<T> {
    let bytes = b64(segment, what).map_err(|(_, d)| (reason, d))?;
    parse_fields(&bytes).map_err(|e| match e {
        StrictJsonError::DuplicateMember => (reason, format!("{what} has a duplicate member")),
        StrictJsonError::Malformed => (reason, format!("{what} is not a JSON object")),
    })
}

/// Decode a JSON object segment into `T`, mapping errors to `reason`.
pub(crate) fn decode_object<T: serde::de::DeserializeOwned>(
    segment: &str,
    what: &str,
    reason: ReasonCode,
) -> Check<T> {
    let bytes = b64(segment, what).map_err(|(_, d)| (reason, d))?;
    parse_strict(&bytes).map_err(|e| match e {
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
    let raw: RawHeader = decode_fields(h, "JOSE header", ReasonCode::JwsMalformed)?;
    let header = JoseHeader {
        alg: raw.alg,
        typ: raw.typ,
        ppt: raw.ppt,
        x5u: raw.x5u,
        has_crit: raw.crit,
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
