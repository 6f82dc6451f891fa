//! Verification of one `Identity` header holding a `shaken` PASSporT, in the
//! order of CONTRACT.md (cheap, certificate-free checks first; `alg` before any
//! signature work):
//!
//! 1. `Identity` parameters (RFC 8224 §4.1);
//! 2. JOSE header: `alg` ES256, `typ` passport, no `crit`, `ppt` shaken;
//!    `x5u` https and equal to `info`;
//! 3. claims typed (RFC 8588 §4);
//! 4. freshness of `iat`, two-sided, and the `Date` header against it (RFC 8224 §6.2.1);
//! 5. `orig` bound to the asserted caller, `dest` to the subscriber (§8.3 canonical forms);
//! 6. the signer's certificate, validated to an STI-CA anchor (through [`SignerLookup`]);
//! 7. TNAuthList numbers cover `orig` when the certificate lists numbers (RFC 9060);
//! 8. the ES256 signature over the bytes received;
//! 9. the claims inside the certificate's JWT Claim Constraints (RFC 8226 §8,
//!    RFC 9118; see [`super::constraints`]).
//!
//! `div` and `rcd` PASSporTs share steps 1, 2, 4, 6, 8 and 9 (see [`super::div`] and
//! [`super::rcd`]); [`super::identities::verify_identities`] runs all the
//! `Identity` headers of a call together, so that `dest` may be reached through a
//! verified `div` chain.

use super::claims::ShakenClaims;
use super::constraints::check_claim_constraints;
use super::identity_header::parse_identity_header;
use super::jws::{self, Jws};
use super::rcd::RcdClaims;
use crate::identification::cert::{CertFailure, ValidatedSigner};
use crate::identification::verification::Attestation;
use crate::intake::number::canonical_tn;
use crate::reason::ReasonCode;
use ring::signature::{UnparsedPublicKey, ECDSA_P256_SHA256_FIXED};
use std::sync::Arc;

/// A step's result: the value, or the failure reason with a detail.
pub type Check<T> = Result<T, (ReasonCode, String)>;

/// Resolves an `x5u` to a validated signer, from caches and local sources only.
pub trait SignerLookup {
    /// The signer for `x5u`, validated at `at` (the PASSporT's `iat`).
    ///
    /// # Errors
    /// A [`CertFailure`]: `cert_unavailable` when no local copy exists (the
    /// caller names the URL in `cert_needed`), or the chain's failure.
    fn signer(&self, x5u: &str, at: i64) -> Result<Arc<ValidatedSigner>, CertFailure>;

    /// The signer of a `ppt=rcd` PASSporT (RFC 9795 §5) for `x5u`, validated at
    /// `at` to an STI-CA anchor or to a branded-calling (rcd) anchor. The default
    /// accepts only what [`SignerLookup::signer`] accepts.
    ///
    /// # Errors
    /// As [`SignerLookup::signer`].
    fn rcd_signer(&self, x5u: &str, at: i64) -> Result<Arc<ValidatedSigner>, CertFailure> {
        self.signer(x5u, at)
    }
}

/// What the PASSporT must be bound to, from the call.
#[derive(Debug, Clone, Default)]
pub struct CallBinding {
    /// The asserted caller (P-Asserted-Identity, else From), RFC 8224 §8.3 canonical.
    pub orig: Option<String>,
    /// The numbers `dest` may name, canonical: the subscriber's own, and (in
    /// [`super::verify_identities`]) those a verified `div` chain leads from.
    pub dest: Vec<String>,
    /// The `Date` header, seconds since the epoch.
    pub date: Option<i64>,
}

/// The clock and window for freshness checks.
#[derive(Debug, Clone, Copy)]
pub struct PassportCheck {
    /// Now, seconds since the epoch.
    pub now: i64,
    /// The freshness window, seconds (60 by default, RFC 8224 §6.2.1).
    pub window: i64,
}

/// The outcome for one `Identity` header.
#[derive(Debug, Clone)]
pub enum PassportOutcome {
    /// Every check passed.
    Passed {
        /// The attestation claimed.
        attestation: Attestation,
        /// Who signed it.
        signer: Arc<ValidatedSigner>,
        /// The decoded signature (the replay cache's key).
        signature: Vec<u8>,
        /// `iat`.
        iat: i64,
        /// `orig.tn`, canonical (binds a `ppt=rcd` PASSporT).
        orig: String,
        /// `dest.tn`, canonical, as the PASSporT names them.
        dest: Vec<String>,
        /// Rich call data claims carried in the PASSporT, unvetted.
        rich: Option<Arc<RcdClaims>>,
    },
    /// A check failed.
    Failed {
        /// Which.
        reason: ReasonCode,
        /// Why, for people.
        detail: String,
        /// The `x5u`, when it was read.
        x5u: Option<String>,
    },
    /// A PASSporT type this verifier does not handle (`ppt` other than shaken).
    Unsupported {
        /// The `ppt`, or empty when none.
        ppt: String,
    },
}

fn fail(reason: ReasonCode, detail: impl Into<String>, x5u: Option<&str>) -> PassportOutcome {
    PassportOutcome::Failed {
        reason,
        detail: detail.into(),
        x5u: x5u.map(str::to_string),
    }
}

/// A PASSporT whose `Identity` parameters and JOSE header passed steps 1 and 2.
pub(crate) struct Opened<'a> {
    /// The compact JWS, split.
    pub jws: Jws<'a>,
    /// The `info` parameter.
    pub info: &'a str,
}

impl Opened<'_> {
    /// The PASSporT type (`ppt`), empty when absent.
    pub fn ppt(&self) -> &str {
        self.jws.header.ppt.as_deref().unwrap_or("")
    }
}

/// Steps 1 and 2 for any PASSporT: the `Identity` parameters, the compact JWS,
/// `alg`, `typ`, `crit`, and `ppt` equal to the parameter.
pub(crate) fn open(value: &str) -> Check<Opened<'_>> {
    let ident = parse_identity_header(value)?;
    let jws = jws::split(ident.token)?;
    check_header(&jws, ident.ppt)?;
    Ok(Opened {
        jws,
        info: ident.info,
    })
}

/// Verify one `Identity` header value holding a `shaken` PASSporT. Never panics;
/// every refusal is an outcome. Other types are [`PassportOutcome::Unsupported`]
/// here ([`super::verify_identities`] handles `div` and `rcd`).
pub fn verify_identity(
    value: &str,
    binding: &CallBinding,
    check: PassportCheck,
    lookup: &dyn SignerLookup,
) -> PassportOutcome {
    let opened = match open(value) {
        Ok(o) => o,
        Err((r, d)) => return fail(r, d, None),
    };
    if opened.ppt() != "shaken" {
        return PassportOutcome::Unsupported {
            ppt: opened.ppt().chars().take(32).collect(),
        };
    }
    verify_shaken(&opened, binding, check, lookup).0
}

/// Steps 3 to 8 of a `shaken` PASSporT; the claims too, when they were read.
pub(crate) fn verify_shaken(
    opened: &Opened<'_>,
    binding: &CallBinding,
    check: PassportCheck,
    lookup: &dyn SignerLookup,
) -> (PassportOutcome, Option<ShakenClaims>) {
    let jws = &opened.jws;
    let x5u = match check_x5u(jws, opened.info) {
        Ok(u) => u,
        Err((r, d)) => return (fail(r, d, None), None),
    };
    let x5u_ref = Some(x5u);
    // 3. Claims.
    let claims = match ShakenClaims::decode(jws.payload_b64) {
        Ok(c) => c,
        Err((r, d)) => return (fail(r, d, x5u_ref), None),
    };
    let outcome = verify_claims(jws, &claims, x5u, binding, check, lookup);
    (outcome, Some(claims))
}

fn verify_claims(
    jws: &Jws<'_>,
    claims: &ShakenClaims,
    x5u: &str,
    binding: &CallBinding,
    check: PassportCheck,
    lookup: &dyn SignerLookup,
) -> PassportOutcome {
    let x5u_ref = Some(x5u);
    // 4. Freshness.
    if let Err((r, d)) = check_freshness(claims.iat, binding.date, check) {
        return fail(r, d, x5u_ref);
    }
    // 5. Binding to the call.
    let orig = canonical_tn(&claims.orig_tn, None);
    let Some(orig) = orig.filter(|o| binding.orig.as_ref() == Some(o)) else {
        return fail(
            ReasonCode::OrigMismatch,
            "orig does not match the asserted caller",
            x5u_ref,
        );
    };
    let dest: Vec<String> = claims
        .dest_tns
        .iter()
        .filter_map(|d| canonical_tn(d, None))
        .collect();
    if !dest.iter().any(|d| binding.dest.contains(d)) {
        return fail(
            ReasonCode::DestMismatch,
            "dest does not name this subscriber",
            x5u_ref,
        );
    }
    // 6. Certificate.
    let signer = match lookup.signer(x5u, claims.iat) {
        Ok(s) => s,
        Err(f) => return fail(f.reason, f.detail, x5u_ref),
    };
    // 7. TNAuthList numbers.
    if !authorizes(&signer, &orig) {
        return fail(
            ReasonCode::TnNotAuthorized,
            "the certificate's TNAuthList does not cover orig",
            x5u_ref,
        );
    }
    // 8. Signature over the bytes received.
    let signature = match verify_signature(jws, &signer) {
        Ok(s) => s,
        Err((r, d)) => return fail(r, d, x5u_ref),
    };
    // 9. The claims lie inside the certificate's JWT Claim Constraints.
    if let Err((r, d)) = check_claim_constraints(jws.payload_b64, &signer) {
        return fail(r, d, x5u_ref);
    }
    PassportOutcome::Passed {
        attestation: claims.attest,
        signer,
        signature,
        iat: claims.iat,
        orig,
        dest,
        rich: claims.rich.clone().map(Arc::new),
    }
}

/// Step 7: a certificate that lists numbers and no SPC must list `tn`
/// (canonical); one with an SPC speaks for its provider's numbers.
pub(crate) fn authorizes(signer: &ValidatedSigner, tn: &str) -> bool {
    signer.tn_auth_list.spc().is_some() || signer.tn_auth_list.covers(tn)
}

/// Step 8: the ES256 signature (64-byte R‖S) over the bytes received; returns it.
pub(crate) fn verify_signature(jws: &Jws<'_>, signer: &ValidatedSigner) -> Check<Vec<u8>> {
    let signature = jws::signature(jws)?;
    UnparsedPublicKey::new(&ECDSA_P256_SHA256_FIXED, &signer.key)
        .verify(jws.signing_input.as_bytes(), &signature)
        .map_err(|_| {
            (
                ReasonCode::SignatureInvalid,
                "ES256 signature does not verify".to_string(),
            )
        })?;
    Ok(signature)
}

fn check_header(jws: &Jws<'_>, ppt_param: Option<&str>) -> Check<()> {
    let h = &jws.header;
    match h.alg.as_deref() {
        Some("ES256") => {}
        other => {
            return Err((
                ReasonCode::AlgUnsupported,
                format!("alg {}", other.unwrap_or("missing")),
            ))
        }
    }
    if h.typ.as_deref() != Some("passport") {
        return Err((
            ReasonCode::TypInvalid,
            format!("typ {}", h.typ.as_deref().unwrap_or("missing")),
        ));
    }
    if h.has_crit {
        return Err((
            ReasonCode::CritUnsupported,
            "crit header parameter present".into(),
        ));
    }
    if let Some(p) = ppt_param {
        if h.ppt.as_deref() != Some(p) {
            return Err((
                ReasonCode::IdentityMalformed,
                "ppt parameter differs from the PASSporT's".into(),
            ));
        }
    }
    Ok(())
}

/// `x5u` present, https, and equal to the `info` parameter.
pub(crate) fn check_x5u<'a>(jws: &'a Jws<'_>, info: &str) -> Check<&'a str> {
    let Some(x5u) = jws.header.x5u.as_deref() else {
        return Err((ReasonCode::InfoMismatch, "the PASSporT has no x5u".into()));
    };
    let https = |u: &str| {
        u.get(..8)
            .is_some_and(|s| s.eq_ignore_ascii_case("https://"))
    };
    if x5u == info && !https(x5u) {
        return Err((ReasonCode::X5uNotHttps, "x5u is not an https URL".into()));
    }
    if x5u != info {
        return Err((ReasonCode::InfoMismatch, "info differs from x5u".into()));
    }
    Ok(x5u)
}

/// Step 4: `iat` within the window of now, and `Date` (when given) of `iat`.
pub(crate) fn check_freshness(iat: i64, date: Option<i64>, check: PassportCheck) -> Check<()> {
    if iat < check.now.saturating_sub(check.window) {
        return Err((
            ReasonCode::IatStale,
            format!("iat is {} s old", check.now.saturating_sub(iat)),
        ));
    }
    if iat > check.now.saturating_add(check.window) {
        return Err((
            ReasonCode::IatFuture,
            format!("iat is {} s ahead", iat.saturating_sub(check.now)),
        ));
    }
    if let Some(date) = date {
        if date.abs_diff(iat) > check.window.unsigned_abs() {
            return Err((
                ReasonCode::DateMismatch,
                format!("Date and iat differ by {} s", date.abs_diff(iat)),
            ));
        }
    }
    Ok(())
}
