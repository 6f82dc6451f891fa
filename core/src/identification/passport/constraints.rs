//! The last check of every PASSporT: its claims lie inside the signer's JWT Claim
//! Constraints (RFC 8226 §8, RFC 9118 §3). "If the signer includes a JWT claim
//! outside the constraint boundaries, then the recipient will reject the entire
//! PASSporT" (RFC 9118 §1).
//!
//! Rich call data claims (`rcd`, `rcdi`, `crn` and pointers into them, RFC 9795)
//! are the exception: they are judged by [`super::rich_call_data`], where a
//! violation leaves the data unshown (`rcd_unvetted`) and the call keeps its
//! verification, so a branding mistake never turns a genuine call into a failed one.

use super::jws::decode_object;
use super::verify::Check;
use crate::identification::cert::ValidatedSigner;
use crate::reason::ReasonCode;
use serde_json::{Map, Value};

/// True for a claim name (or JSON Pointer) that names rich call data.
pub(crate) fn is_rich_call_data(name: &str) -> bool {
    let top = name
        .strip_prefix('/')
        .map_or(name, |p| p.split('/').next().unwrap_or(p));
    matches!(top, "rcd" | "rcdi" | "crn")
}

/// Check the claims of `payload_b64` against the constraints of `signer`.
/// Costs nothing for a certificate without constraints (almost all of them);
/// otherwise the claims are decoded once more, whole.
///
/// # Errors
/// `claims_invalid` for a claim outside the constraints; `cert_invalid` when the
/// certificate carries a constraints extension that cannot be read (its bounds
/// are unknown, so no claim can be shown to lie inside them).
pub(crate) fn check_claim_constraints(payload_b64: &str, signer: &ValidatedSigner) -> Check<()> {
    let Some(sets) = &signer.claim_constraints else {
        return Err((
            ReasonCode::CertInvalid,
            "the certificate's JWT Claim Constraints extension is unreadable".into(),
        ));
    };
    if sets.is_empty() {
        return Ok(());
    }
    let claims: Map<String, Value> =
        decode_object(payload_b64, "claims", ReasonCode::ClaimsInvalid)?;
    let claims = Value::Object(claims);
    match sets
        .iter()
        .find_map(|set| set.violation(&claims, is_rich_call_data))
    {
        Some(why) => Err((ReasonCode::ClaimsInvalid, why)),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rich_call_data_names() {
        for n in ["rcd", "rcdi", "crn", "/rcd/nam", "/rcdi//icn", "/crn"] {
            assert!(is_rich_call_data(n), "{n}");
        }
        for n in ["attest", "/orig/tn", "rcdx", "/rcdx/nam", "", "/"] {
            assert!(!is_rich_call_data(n), "{n}");
        }
    }
}
