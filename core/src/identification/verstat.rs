//! The network's verification result, `verstat` (3GPP TS 24.229 §7.2A.20), as a
//! tel URI parameter or in the user part of a sip URI
//! (`sip:+12155551212;verstat=TN-Validation-Passed@host;user=phone`).
//!
//! It is an open set: the raw token is kept, the base is parsed, and an optional
//! `-A`/`-B`/`-C` attestation suffix (a common carrier extension) is read. Plain
//! `TN-Validation-Passed` says nothing about attestation. Anyone can write a
//! `verstat` into a From header, so it is read only from an intake the app
//! declares trusted, and only from P-Asserted-Identity unless configured.

use crate::identification::verification::Attestation;
use crate::intake::call::IncomingCall;

/// The base of a `verstat` token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VerstatResult {
    /// `TN-Validation-Passed`.
    Passed,
    /// `TN-Validation-Failed`.
    Failed,
    /// `No-TN-Validation`.
    NoValidation,
    /// A token this build does not know; kept raw, no effect.
    Other,
}

/// One `verstat` as received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verstat {
    /// The token as received.
    pub raw: String,
    /// Its base.
    pub result: VerstatResult,
    /// The attestation suffix, when present.
    pub attestation: Option<Attestation>,
}

impl Verstat {
    /// Parse a token; never fails (unknown tokens are [`VerstatResult::Other`]).
    pub fn parse(raw: &str) -> Verstat {
        let raw = raw.trim();
        let (base, attestation) = match raw.rsplit_once('-') {
            Some((b, s)) if Attestation::parse(&s.to_ascii_uppercase()).is_some() => {
                (b, Attestation::parse(&s.to_ascii_uppercase()))
            }
            _ => (raw, None),
        };
        let result = if base.eq_ignore_ascii_case("TN-Validation-Passed") {
            VerstatResult::Passed
        } else if base.eq_ignore_ascii_case("TN-Validation-Failed") {
            VerstatResult::Failed
        } else if base.eq_ignore_ascii_case("No-TN-Validation") {
            VerstatResult::NoValidation
        } else {
            VerstatResult::Other
        };
        Verstat {
            raw: raw.chars().take(64).collect(),
            result,
            attestation: if result == VerstatResult::Passed {
                attestation
            } else {
                None
            },
        }
    }
}

/// Where `verstat` may be read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VerstatIntake {
    /// The INVITE came from the subscriber's own network.
    pub trusted: bool,
    /// Also read `verstat` from `From` when P-Asserted-Identity has none.
    pub from_header: bool,
}

/// The `verstat` a call carries, from P-Asserted-Identity (then From when
/// allowed). Returns the verstat and whether the intake allowed it; an untrusted
/// intake still reports what it saw so the verdict can say `verstat_untrusted`.
pub fn find(call: &IncomingCall, intake: VerstatIntake) -> Option<(Verstat, bool)> {
    let from_pai = call
        .p_asserted_identity
        .iter()
        .find_map(|na| na.uri.param("verstat").or_else(|| na.param("verstat")));
    let from_from = call
        .from
        .as_ref()
        .and_then(|na| na.uri.param("verstat").or_else(|| na.param("verstat")));
    match (from_pai, from_from) {
        (Some(v), _) => Some((Verstat::parse(v), intake.trusted)),
        (None, Some(v)) => Some((Verstat::parse(v), intake.trusted && intake.from_header)),
        (None, None) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens() {
        let v = Verstat::parse("TN-Validation-Passed-A");
        assert_eq!(
            (v.result, v.attestation),
            (VerstatResult::Passed, Some(Attestation::A))
        );
        let v = Verstat::parse("TN-Validation-Passed");
        assert_eq!((v.result, v.attestation), (VerstatResult::Passed, None));
        assert_eq!(
            Verstat::parse("TN-Validation-Failed-B").result,
            VerstatResult::Failed
        );
        assert_eq!(
            Verstat::parse("No-TN-Validation").result,
            VerstatResult::NoValidation
        );
        let v = Verstat::parse("Something-Else");
        assert_eq!(
            (v.result, v.raw.as_str()),
            (VerstatResult::Other, "Something-Else")
        );
    }
}
