//! PASSporT claims in the SHAKEN profile (RFC 8225 §5, RFC 8588 §4):
//! `attest`, `orig.tn`, `dest.tn[]`, `iat`, `origid`. Each must be present with
//! its type; anything else is `claims_invalid`. Rich call data claims (`rcd`,
//! `rcdi`, `crn`, RFC 9795) are kept as sent and judged later: a malformed one
//! never fails the PASSporT.

use super::jws::decode_fields;
use super::rcd::RcdClaims;
use super::strict_json::{strict_value, Member, StrictFields};
use super::verify::Check;
use crate::identification::verification::Attestation;
use crate::limits::MAX_DEST_TNS;
use crate::reason::ReasonCode;
use serde_json::Value;

/// The claims of a `shaken` PASSporT.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShakenClaims {
    /// `attest`.
    pub attest: Attestation,
    /// `orig.tn`, as sent (digits, `*`, `#`; no `+` in the SHAKEN form).
    pub orig_tn: String,
    /// `dest.tn`, as sent.
    pub dest_tns: Vec<String>,
    /// `iat`, seconds since the epoch.
    pub iat: i64,
    /// `origid` (an opaque UUID; never trusted for anything but reports).
    pub origid: String,
    /// Rich call data claims, when any of `rcd`, `rcdi`, `crn` is present.
    pub rich: Option<RcdClaims>,
}

fn invalid<T>(detail: impl Into<String>) -> Check<T> {
    Err((ReasonCode::ClaimsInvalid, detail.into()))
}

fn tn(value: Option<Value>, what: &str) -> Check<String> {
    match value {
        Some(Value::String(s)) if !s.is_empty() && s.len() <= 32 => Ok(s),
        _ => invalid(format!("{what} is not a telephone number string")),
    }
}

/// `orig` and `dest` (RFC 8225 §5.2.1): objects of which only `tn` is read.
#[derive(Default)]
struct TnObject {
    tn: Option<Value>,
}

impl StrictFields for TnObject {
    fn field<'de, A: serde::de::MapAccess<'de>>(
        &mut self,
        name: &str,
        map: &mut A,
    ) -> Result<bool, A::Error> {
        if name != "tn" {
            return Ok(false);
        }
        self.tn = strict_value(map)?;
        Ok(true)
    }
}

/// The claims read; other claims are ignored (but checked for duplicates).
#[derive(Default)]
struct RawClaims {
    attest: Option<Value>,
    orig: Option<Member<TnObject>>,
    dest: Option<Member<TnObject>>,
    iat: Option<Value>,
    origid: Option<Value>,
    rcd: Option<Value>,
    rcdi: Option<Value>,
    crn: Option<Value>,
}

impl StrictFields for RawClaims {
    fn field<'de, A: serde::de::MapAccess<'de>>(
        &mut self,
        name: &str,
        map: &mut A,
    ) -> Result<bool, A::Error> {
        let slot = match name {
            "attest" => &mut self.attest,
            "orig" => {
                self.orig = Some(map.next_value()?);
                return Ok(true);
            }
            "dest" => {
                self.dest = Some(map.next_value()?);
                return Ok(true);
            }
            "iat" => &mut self.iat,
            "origid" => &mut self.origid,
            "rcd" => &mut self.rcd,
            "rcdi" => &mut self.rcdi,
            "crn" => &mut self.crn,
            _ => return Ok(false),
        };
        *slot = strict_value(map)?;
        Ok(true)
    }
}

fn object(value: Option<Member<TnObject>>, name: &str) -> Check<TnObject> {
    match value {
        Some(Member::Object(o)) => Ok(o),
        _ => invalid(format!("{name} is not an object")),
    }
}

impl ShakenClaims {
    /// Decode and type the claims of a payload segment.
    ///
    /// # Errors
    /// `claims_invalid` for bad base64url, bad JSON, a duplicate member, or a
    /// missing or mistyped claim.
    pub fn decode(payload_b64: &str) -> Check<ShakenClaims> {
        let claims: RawClaims = decode_fields(payload_b64, "claims", ReasonCode::ClaimsInvalid)?;
        Self::from_raw(claims)
    }

    /// Types the claims, moving their values (no copies on the per-call path).
    fn from_raw(claims: RawClaims) -> Check<ShakenClaims> {
        let rich = RcdClaims::from_parts(claims.rcd, claims.rcdi, claims.crn);
        let attest = match &claims.attest {
            Some(Value::String(s)) => match Attestation::parse(s) {
                Some(a) => a,
                None => return invalid(format!("attest {s:?} is not A, B or C")),
            },
            _ => return invalid("attest missing or not a string"),
        };
        let orig_tn = tn(object(claims.orig, "orig")?.tn, "orig.tn")?;
        let dest_tns = match object(claims.dest, "dest")?.tn {
            Some(Value::Array(a)) if !a.is_empty() && a.len() <= MAX_DEST_TNS => a
                .into_iter()
                .map(|v| tn(Some(v), "dest.tn"))
                .collect::<Check<Vec<_>>>()?,
            _ => return invalid("dest.tn is not a non-empty array"),
        };
        let iat = match &claims.iat {
            Some(Value::Number(n)) => match n.as_i64() {
                Some(i) if i >= 0 => i,
                _ => return invalid("iat is not a non-negative integer"),
            },
            _ => return invalid("iat missing or not a number"),
        };
        let origid = match claims.origid {
            Some(Value::String(s)) if !s.is_empty() => s,
            _ => return invalid("origid missing or not a string"),
        };
        Ok(ShakenClaims {
            attest,
            orig_tn,
            dest_tns,
            iat,
            origid,
            rich,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use base64::Engine;

    fn decode(json: &str) -> Check<ShakenClaims> {
        ShakenClaims::decode(&URL_SAFE_NO_PAD.encode(json))
    }

    #[test]
    fn good() {
        let c = decode(r#"{"attest":"B","dest":{"tn":["12155551213"]},"iat":1,"orig":{"tn":"12155551212"},"origid":"x"}"#)
            .unwrap();
        assert_eq!(c.attest, Attestation::B);
        assert_eq!(c.dest_tns, vec!["12155551213"]);
    }

    #[test]
    fn each_wrong_type_is_claims_invalid() {
        let cases = [
            r#"{"attest":"D","dest":{"tn":["1"]},"iat":1,"orig":{"tn":"1"},"origid":"x"}"#,
            r#"{"attest":"A","dest":{"tn":"1"},"iat":1,"orig":{"tn":"1"},"origid":"x"}"#,
            r#"{"attest":"A","dest":{"tn":[]},"iat":1,"orig":{"tn":"1"},"origid":"x"}"#,
            r#"{"attest":"A","dest":{"tn":["1"]},"iat":"1","orig":{"tn":"1"},"origid":"x"}"#,
            r#"{"attest":"A","dest":{"tn":["1"]},"iat":1.5,"orig":{"tn":"1"},"origid":"x"}"#,
            r#"{"attest":"A","dest":{"tn":["1"]},"iat":-1,"orig":{"tn":"1"},"origid":"x"}"#,
            r#"{"attest":"A","dest":{"tn":["1"]},"iat":1,"orig":"{\"tn\":\"1\"}","origid":"x"}"#,
            r#"{"attest":"A","dest":{"tn":["1"]},"iat":1,"orig":{"tn":"1"}}"#,
            r#"{"attest":"A","attest":"A","dest":{"tn":["1"]},"iat":1,"orig":{"tn":"1"},"origid":"x"}"#,
            r#"[1]"#,
        ];
        for c in cases {
            assert_eq!(decode(c).unwrap_err().0, ReasonCode::ClaimsInvalid, "{c}");
        }
    }

    #[test]
    fn one_pass_read_refuses_nested_and_unknown_duplicates() {
        let nested =
            r#"{"attest":"A","dest":{"tn":["1"]},"iat":1,"orig":{"tn":"1","tn":"2"},"origid":"x"}"#;
        let unknown = r#"{"attest":"A","dest":{"tn":["1"]},"iat":1,"orig":{"tn":"1"},"origid":"x","z":{"a":1,"a":2}}"#;
        let twice = r#"{"x":1,"attest":"A","dest":{"tn":["1"]},"iat":1,"orig":{"tn":"1"},"origid":"x","x":2}"#;
        for c in [nested, unknown, twice] {
            assert_eq!(decode(c).unwrap_err().0, ReasonCode::ClaimsInvalid, "{c}");
        }
        let null_iat =
            r#"{"attest":"A","dest":{"tn":["1"]},"iat":null,"orig":{"tn":"1"},"origid":"x"}"#;
        assert_eq!(decode(null_iat).unwrap_err().0, ReasonCode::ClaimsInvalid);
    }
}
