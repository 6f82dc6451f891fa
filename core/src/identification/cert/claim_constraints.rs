//! JWT Claim Constraints in STIR certificates: the certificate says which claims
//! a PASSporT it signs must include, which values some claims may take, and (RFC
//! 9118) which claims it must not include.
//!
//! ```text
//! -- RFC 8226 §8, id-pe-JWTClaimConstraints 1.3.6.1.5.5.7.1.27 (EXPLICIT TAGS)
//! JWTClaimConstraints ::= SEQUENCE {
//!   mustInclude     [0] JWTClaimNames OPTIONAL,
//!   permittedValues [1] JWTClaimPermittedValuesList OPTIONAL }
//! JWTClaimPermittedValuesList ::= SEQUENCE SIZE (1..MAX) OF JWTClaimPermittedValues
//! JWTClaimPermittedValues ::= SEQUENCE {
//!   claim JWTClaimName, permitted SEQUENCE SIZE (1..MAX) OF UTF8String }
//!
//! -- RFC 9118 §3, id-pe-eJWTClaimConstraints 1.3.6.1.5.5.7.1.33 (EXPLICIT TAGS)
//! EnhancedJWTClaimConstraints ::= SEQUENCE {
//!   mustInclude     [0] JWTClaimNames OPTIONAL,
//!   permittedValues [1] JWTClaimValuesList OPTIONAL,
//!   mustExclude     [2] JWTClaimNames OPTIONAL }
//! JWTClaimNames ::= SEQUENCE SIZE (1..MAX) OF JWTClaimName   -- IA5String
//! ```
//!
//! Callscreen uses them to *vet* rich call data (RFC 9795 §9 and ATIS-1000094:
//! the delegating CA vetted the enterprise's name and wrote it into the delegate
//! certificate). A claim is named either by its top-level name (`rcd`, `crn`) or
//! by a JSON Pointer (RFC 6901) into the claims (`/rcd/nam`). A permitted value is
//! compared as a string with a string claim, and as JSON (structural equality)
//! with an object or array claim.

use serde_json::Value;
use x509_parser::der_parser::asn1_rs::{Any, Class, FromDer, Tag};

/// Claim names and permitted values, at most (a defence against huge extensions).
const MAX_ITEMS: usize = 256;

/// The constraints of one extension.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClaimConstraints {
    /// Claims that must be present.
    pub must_include: Vec<String>,
    /// Claims whose value, when present, must be one of these.
    pub permitted: Vec<(String, Vec<String>)>,
    /// Claims that must be absent (RFC 9118 only).
    pub must_exclude: Vec<String>,
}

/// What the constraints say of one claim value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Judgement {
    /// A `permittedValues` entry names the claim and lists this value.
    Permitted,
    /// Nothing constrains the claim.
    Unconstrained,
    /// A `permittedValues` entry names the claim but not this value, or
    /// `mustExclude` names it.
    Forbidden,
}

fn parse_any(bytes: &[u8]) -> Option<Any<'_>> {
    match Any::from_der(bytes) {
        Ok(([], any)) => Some(any),
        _ => None,
    }
}

fn sequence_items<'a>(any: &Any<'a>) -> Option<Vec<Any<'a>>> {
    if any.class() != Class::Universal || any.tag() != Tag::Sequence {
        return None;
    }
    let mut out = Vec::new();
    let mut rest: &'a [u8] = any.data;
    while !rest.is_empty() {
        let (next, item) = Any::from_der(rest).ok()?;
        rest = next;
        out.push(item);
        if out.len() > MAX_ITEMS {
            return None;
        }
    }
    (!out.is_empty()).then_some(out)
}

fn string_of(any: &Any<'_>, tag: Tag) -> Option<String> {
    if any.class() != Class::Universal || any.tag() != tag {
        return None;
    }
    let s = std::str::from_utf8(any.data).ok()?;
    (tag != Tag::Ia5String || s.is_ascii()).then(|| s.to_string())
}

fn claim_names(any: &Any<'_>) -> Option<Vec<String>> {
    sequence_items(any)?
        .iter()
        .map(|n| string_of(n, Tag::Ia5String))
        .collect()
}

fn permitted_values(any: &Any<'_>) -> Option<Vec<(String, Vec<String>)>> {
    sequence_items(any)?
        .iter()
        .map(|entry| {
            let parts = sequence_items(entry)?;
            let [claim, values] = parts.as_slice() else {
                return None;
            };
            let values = sequence_items(values)?
                .iter()
                .map(|v| string_of(v, Tag::Utf8String))
                .collect::<Option<Vec<_>>>()?;
            Some((string_of(claim, Tag::Ia5String)?, values))
        })
        .collect()
}

/// Parse the DER value of a JWTClaimConstraints (`enhanced` false, RFC 8226) or
/// EnhancedJWTClaimConstraints (`enhanced` true, RFC 9118) extension. `None` when
/// it is not what those modules define (including when every field is absent).
pub fn parse_claim_constraints(der: &[u8], enhanced: bool) -> Option<ClaimConstraints> {
    let outer = parse_any(der)?;
    if outer.class() != Class::Universal || outer.tag() != Tag::Sequence {
        return None;
    }
    let mut out = ClaimConstraints::default();
    let mut rest = outer.data;
    let mut last_tag = None;
    while !rest.is_empty() {
        let (next, field) = Any::from_der(rest).ok()?;
        rest = next;
        if field.class() != Class::ContextSpecific || !field.header.is_constructed() {
            return None;
        }
        let tag = field.tag().0;
        if last_tag.is_some_and(|t| tag <= t) {
            return None; // out of order or repeated
        }
        last_tag = Some(tag);
        let inner = parse_any(field.data)?;
        match tag {
            0 => out.must_include = claim_names(&inner)?,
            1 => out.permitted = permitted_values(&inner)?,
            2 if enhanced => out.must_exclude = claim_names(&inner)?,
            _ => return None,
        }
    }
    let empty =
        out.must_include.is_empty() && out.permitted.is_empty() && out.must_exclude.is_empty();
    (!empty).then_some(out)
}

fn value_matches(value: &Value, permitted: &str) -> bool {
    match value {
        Value::String(s) => s == permitted,
        other => serde_json::from_str::<Value>(permitted).is_ok_and(|p| &p == other),
    }
}

/// The value a constraint's claim name points at in a claims object: a
/// top-level name (`attest`) or a JSON Pointer (`/rcd/nam`, RFC 6901).
fn claim_value<'a>(claims: &'a Value, name: &str) -> Option<&'a Value> {
    if name.starts_with('/') {
        claims.pointer(name)
    } else {
        claims.get(name)
    }
    .filter(|v| !v.is_null())
}

impl ClaimConstraints {
    /// The first way `claims` (a PASSporT's whole claims object) falls outside
    /// these constraints, as a sentence; `None` when it is inside them. Names for
    /// which `skip` is true are not judged here (rich call data is judged by its
    /// own rules, where a violation hides the data instead of failing the call).
    ///
    /// RFC 8226 §8 and RFC 9118 §3: a claim in `mustInclude` must be present; a
    /// claim named in `permittedValues` must, when present, hold one of its
    /// values; a claim in `mustExclude` must be absent. A PASSporT outside its
    /// certificate's constraints is rejected whole.
    pub fn violation(&self, claims: &Value, skip: impl Fn(&str) -> bool) -> Option<String> {
        let judged = |name: &&String| !skip(name);
        if let Some(name) = self
            .must_include
            .iter()
            .filter(judged)
            .find(|n| claim_value(claims, n).is_none())
        {
            return Some(format!(
                "claim {name} is missing; the certificate's JWT Claim Constraints require it"
            ));
        }
        for (name, values) in self.permitted.iter().filter(|(n, _)| !skip(n)) {
            if let Some(value) = claim_value(claims, name) {
                if !values.iter().any(|p| value_matches(value, p)) {
                    return Some(format!(
                        "claim {name} holds a value the certificate's JWT Claim Constraints do not permit"
                    ));
                }
            }
        }
        self.must_exclude
            .iter()
            .filter(judged)
            .find(|n| claim_value(claims, n).is_some())
            .map(|name| {
                format!(
                    "claim {name} is present; the certificate's JWT Claim Constraints exclude it"
                )
            })
    }

    /// What these constraints say of the claim named `names` (its top-level name
    /// and, for a member, its JSON Pointer: any of them may be constrained) with
    /// `value`.
    pub fn judge(&self, names: &[&str], value: &Value) -> Judgement {
        if self
            .must_exclude
            .iter()
            .any(|n| names.contains(&n.as_str()))
        {
            return Judgement::Forbidden;
        }
        let mut judgement = Judgement::Unconstrained;
        for (claim, values) in &self.permitted {
            if names.contains(&claim.as_str()) {
                if values.iter().any(|v| value_matches(value, v)) {
                    judgement = Judgement::Permitted;
                } else {
                    return Judgement::Forbidden;
                }
            }
        }
        judgement
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
        assert!(content.len() < 128);
        let mut v = vec![tag, content.len() as u8];
        v.extend_from_slice(content);
        v
    }
    fn seq(items: &[Vec<u8>]) -> Vec<u8> {
        tlv(0x30, &items.concat())
    }
    fn ia5(s: &str) -> Vec<u8> {
        tlv(0x16, s.as_bytes())
    }
    fn utf8(s: &str) -> Vec<u8> {
        tlv(0x0C, s.as_bytes())
    }

    #[test]
    fn rfc_8226_permitted_values() {
        // SEQUENCE { [1] { SEQUENCE OF { SEQUENCE { "crn", { "Appointment" } } } } }
        let der = seq(&[tlv(
            0xA1,
            &seq(&[seq(&[ia5("crn"), seq(&[utf8("Appointment")])])]),
        )]);
        let c = parse_claim_constraints(&der, false).unwrap();
        assert_eq!(
            c.permitted,
            vec![("crn".to_string(), vec!["Appointment".to_string()])]
        );
        assert_eq!(
            c.judge(&["crn"], &Value::String("Appointment".into())),
            Judgement::Permitted
        );
        assert_eq!(
            c.judge(&["crn"], &Value::String("Win a prize".into())),
            Judgement::Forbidden
        );
        assert_eq!(
            c.judge(&["rcd", "/rcd/nam"], &Value::String("X".into())),
            Judgement::Unconstrained
        );
    }

    #[test]
    fn violations_of_every_kind() {
        let der = seq(&[
            tlv(0xA0, &seq(&[ia5("origid"), ia5("/orig/tn")])),
            tlv(
                0xA1,
                &seq(&[seq(&[ia5("attest"), seq(&[utf8("B"), utf8("C")])])]),
            ),
            tlv(0xA2, &seq(&[ia5("div"), ia5("rcd")])),
        ]);
        let c = parse_claim_constraints(&der, true).unwrap();
        let judge = |json: &str| c.violation(&serde_json::from_str(json).unwrap(), |n| n == "rcd");
        let inside = r#"{"attest":"B","orig":{"tn":"1"},"origid":"x","rcd":{"nam":"X"}}"#;
        assert_eq!(judge(inside), None, "rcd skipped: judged by the rcd rules");
        let attest_a = r#"{"attest":"A","orig":{"tn":"1"},"origid":"x"}"#;
        assert!(judge(attest_a).unwrap().contains("attest"));
        let no_origid = r#"{"attest":"C","orig":{"tn":"1"}}"#;
        assert!(judge(no_origid).unwrap().contains("origid is missing"));
        let no_orig_tn = r#"{"attest":"C","orig":{},"origid":"x"}"#;
        assert!(judge(no_orig_tn).unwrap().contains("/orig/tn"));
        let with_div = r#"{"attest":"C","orig":{"tn":"1"},"origid":"x","div":{"tn":"2"}}"#;
        assert!(judge(with_div).unwrap().contains("div is present"));
        let null_div = r#"{"attest":"C","orig":{"tn":"1"},"origid":"x","div":null}"#;
        assert_eq!(judge(null_div), None, "null is absent");
    }

    #[test]
    fn rfc_9118_must_exclude_and_json_values() {
        let der = seq(&[
            tlv(0xA0, &seq(&[ia5("rcd")])),
            tlv(
                0xA1,
                &seq(&[seq(&[ia5("rcd"), seq(&[utf8(r#"{"nam":"Acme"}"#)])])]),
            ),
            tlv(0xA2, &seq(&[ia5("crn")])),
        ]);
        let c = parse_claim_constraints(&der, true).unwrap();
        assert_eq!(c.must_include, vec!["rcd"]);
        assert_eq!(c.must_exclude, vec!["crn"]);
        let rcd: Value = serde_json::from_str(r#"{ "nam" : "Acme" }"#).unwrap();
        assert_eq!(c.judge(&["rcd"], &rcd), Judgement::Permitted);
        let other: Value = serde_json::from_str(r#"{"nam":"Acme Bank"}"#).unwrap();
        assert_eq!(c.judge(&["rcd"], &other), Judgement::Forbidden);
        assert_eq!(
            c.judge(&["crn"], &Value::String("hi".into())),
            Judgement::Forbidden
        );
        // mustExclude is RFC 9118's: the RFC 8226 extension has no [2].
        assert!(parse_claim_constraints(&der, false).is_none());
    }

    #[test]
    fn malformed_refused() {
        assert!(parse_claim_constraints(&[], true).is_none());
        assert!(parse_claim_constraints(&seq(&[]), true).is_none());
        // Fields out of order.
        let der = seq(&[
            tlv(0xA2, &seq(&[ia5("crn")])),
            tlv(0xA0, &seq(&[ia5("rcd")])),
        ]);
        assert!(parse_claim_constraints(&der, true).is_none());
        // A claim name that is not an IA5String.
        let der = seq(&[tlv(0xA0, &seq(&[utf8("rcd")]))]);
        assert!(parse_claim_constraints(&der, true).is_none());
        // An empty list of permitted values.
        let der = seq(&[tlv(0xA1, &seq(&[seq(&[ia5("crn"), seq(&[])])]))]);
        assert!(parse_claim_constraints(&der, true).is_none());
    }
}
