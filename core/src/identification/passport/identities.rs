//! All the `Identity` headers of one call, verified together: a `shaken`
//! PASSporT's `dest` may be bound to the subscriber through the call's verified
//! `div` PASSporTs (RFC 8946), and `ppt=rcd` PASSporTs (RFC 9795) are verified
//! for rich call data without ever failing the call.
//!
//! 1. Each header's parameters and JOSE header are read (steps 1 and 2 of
//!    [`super::verify_identity`]); a failure there is the header's outcome, as is
//!    a type other than `shaken`, `div` and `rcd` (`ppt_unsupported`).
//! 2. `div` PASSporTs are verified ([`super::div`]) and the numbers that reach the
//!    subscriber through them computed ([`super::reach`]).
//! 3. `shaken` PASSporTs are verified with `dest` bound to those numbers. One
//!    whose `dest` would only be reached through a `div` PASSporT that failed
//!    takes that failure instead of `dest_mismatch`.
//! 4. A failed `div` PASSporT is an outcome of its own: `div_invalid` (438), or
//!    `cert_unavailable` / `cert_untrusted` when it only lacks material, so the app
//!    can fetch the certificate. A verified `div` PASSporT that links no `shaken`
//!    one verifies nothing about the caller and adds no outcome.
//! 5. `ppt=rcd` PASSporTs are verified ([`super::rcd`]); binding comes later. A
//!    header whose parameters declare `ppt=rcd` but that fails steps 1 and 2 is an
//!    `rcd_unvetted` reason, not a failure of the call.

use super::div::{reach, verify_div, DivOutcome};
use super::identity_header::parse_identity_header;
use super::rcd::{verify_rcd_passport, RcdPassport, RcdRejection};
use super::verify::{
    open, verify_shaken, CallBinding, PassportCheck, PassportOutcome, SignerLookup,
};
use crate::reason::ReasonCode;

/// The outcomes of all the `Identity` headers of a call.
#[derive(Debug, Clone, Default)]
pub struct IdentityOutcomes {
    /// For identification, in header order: every `shaken` PASSporT, every header
    /// that failed before its type was known or has another type, and every
    /// `div` PASSporT that failed.
    pub passports: Vec<PassportOutcome>,
    /// Every `ppt=rcd` PASSporT, verified or not, in header order.
    pub rcd: Vec<Result<RcdPassport, RcdRejection>>,
}

/// A `div` failure as the call's outcome: lacking material stays what it is (the
/// app can fetch a certificate); anything else is `div_invalid`.
fn div_failure(
    (reason, detail, x5u): &(ReasonCode, String, Option<String>),
    prefix: &str,
) -> PassportOutcome {
    let keep = matches!(
        reason,
        ReasonCode::CertUnavailable | ReasonCode::CertUntrusted
    );
    PassportOutcome::Failed {
        reason: if keep {
            *reason
        } else {
            ReasonCode::DivInvalid
        },
        detail: format!("{prefix}div PASSporT: {reason}: {detail}"),
        x5u: x5u.clone(),
    }
}

/// True when the `Identity` header declares `ppt=rcd` in its parameters.
fn declared_rcd(value: &str) -> bool {
    parse_identity_header(value).is_ok_and(|h| h.ppt == Some("rcd"))
}

/// Verify every `Identity` header value of a call (see the module docs).
pub fn verify_identities(
    values: &[String],
    binding: &CallBinding,
    check: PassportCheck,
    lookup: &dyn SignerLookup,
) -> IdentityOutcomes {
    let mut out = IdentityOutcomes::default();
    let mut indexed: Vec<(usize, PassportOutcome)> = Vec::new();
    let mut shaken = Vec::new();
    let mut divs: Vec<(usize, DivOutcome)> = Vec::new();
    for (i, value) in values.iter().enumerate() {
        let opened = match open(value) {
            Ok(o) => o,
            Err((reason, detail)) if declared_rcd(value) => {
                // A bad rcd never fails the call (RFC 9795 is advisory).
                out.rcd.push(Err(RcdRejection {
                    reason: ReasonCode::RcdUnvetted,
                    detail: format!("rcd PASSporT not verified: {reason}: {detail}"),
                    cert_needed: None,
                }));
                continue;
            }
            Err((reason, detail)) => {
                indexed.push((
                    i,
                    PassportOutcome::Failed {
                        reason,
                        detail,
                        x5u: None,
                    },
                ));
                continue;
            }
        };
        match opened.ppt() {
            "shaken" => shaken.push((i, opened)),
            "div" => divs.push((i, verify_div(&opened, binding, check, lookup))),
            "rcd" => out.rcd.push(verify_rcd_passport(&opened, lookup)),
            other => indexed.push((
                i,
                PassportOutcome::Unsupported {
                    ppt: other.chars().take(32).collect(),
                },
            )),
        }
    }

    // Without div PASSporTs (almost every call) `dest` is bound to the
    // subscriber's numbers alone: no copies of the binding.
    let (diverted, reachable_if_all) = if divs.is_empty() {
        (std::borrow::Cow::Borrowed(binding), Vec::new())
    } else {
        let verified = divs
            .iter()
            .filter(|(_, d)| d.verified())
            .filter_map(|(_, d)| d.claims.as_ref());
        let (reachable, _) = reach(&binding.dest, verified);
        // What would be reachable if the failed div PASSporTs had verified.
        let (reachable_if_all, _) = reach(
            &binding.dest,
            divs.iter().filter_map(|(_, d)| d.claims.as_ref()),
        );
        let diverted = CallBinding {
            dest: reachable,
            ..binding.clone()
        };
        (std::borrow::Cow::Owned(diverted), reachable_if_all)
    };

    for (i, opened) in &shaken {
        let (outcome, claims) = verify_shaken(opened, &diverted, check, lookup);
        let outcome = match (&outcome, claims) {
            (
                PassportOutcome::Failed {
                    reason: ReasonCode::DestMismatch,
                    ..
                },
                Some(claims),
            ) => {
                let dest: Vec<String> = claims
                    .dest_tns
                    .iter()
                    .filter_map(|d| crate::intake::number::canonical_tn(d, None))
                    .collect();
                let culprit = dest
                    .iter()
                    .any(|d| reachable_if_all.contains(d))
                    .then(|| {
                        divs.iter().find_map(|(_, d)| match (&d.result, &d.claims) {
                            (Err(e), Some(c)) if reachable_if_all.contains(&c.div) => Some(e),
                            _ => None,
                        })
                    })
                    .flatten();
                match culprit {
                    Some(e) => div_failure(e, "dest is reached only through a failed "),
                    None => outcome,
                }
            }
            _ => outcome,
        };
        indexed.push((*i, outcome));
    }
    for (i, d) in &divs {
        if let Err(e) = &d.result {
            indexed.push((*i, div_failure(e, "")));
        }
    }
    indexed.sort_by_key(|(i, _)| *i);
    out.passports = indexed.into_iter().map(|(_, o)| o).collect();
    out
}
