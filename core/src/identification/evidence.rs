//! Identification: combine what each `Identity` header's PASSporT, the network's
//! `verstat` and the platform say into one [`Verification`] and its reasons.
//!
//! - Any PASSporT that passes wins (the best attestation); other headers' failures
//!   are then not held against the call (carriers add and mangle headers).
//! - Otherwise the most serious failure stands: 438 (forgery) before the rest.
//! - A trusted network pass stands when the local check only *lacks* something
//!   (no PASSporT, no local certificate, no anchor); a local 438-class failure
//!   overturns it, and the reasons show the conflict.
//! - The platform's status counts only when there is no SIP evidence.

use crate::identification::passport::PassportOutcome;
use crate::identification::verification::{
    Failure, Signer, Verification, VerificationSource, VerificationStatus,
};
use crate::identification::verstat::{Verstat, VerstatResult};
use crate::intake::call::PlatformVerificationStatus;
use crate::reason::{Reason, ReasonCode};

/// Everything identification weighs for one call.
#[derive(Debug, Clone, Default)]
pub struct Evidence {
    /// One outcome per `Identity` header, in order.
    pub passports: Vec<PassportOutcome>,
    /// The passing PASSporT was seen before under another Call-ID.
    pub replayed: bool,
    /// The `verstat` found, and whether the intake is trusted to set it.
    pub verstat: Option<(Verstat, bool)>,
    /// The platform's verification status (platform view only).
    pub platform: Option<PlatformVerificationStatus>,
}

/// Failures that say "we lack what we need", not "this is wrong".
fn lacks_material(reason: ReasonCode) -> bool {
    matches!(
        reason,
        ReasonCode::CertUnavailable | ReasonCode::CertUntrusted
    )
}

/// Combine the evidence.
pub fn identify(evidence: Evidence) -> (Verification, Vec<Reason>) {
    let mut v = Verification::none();
    let mut reasons = Vec::new();

    for outcome in &evidence.passports {
        if let PassportOutcome::Failed {
            reason: ReasonCode::CertUnavailable,
            x5u: Some(u),
            ..
        } = outcome
        {
            if !v.cert_needed.contains(u) {
                v.cert_needed.push(u.clone());
            }
        }
    }

    let best_pass = evidence
        .passports
        .iter()
        .filter_map(|o| match o {
            PassportOutcome::Passed {
                attestation,
                signer,
                ..
            } => Some((*attestation, signer)),
            _ => None,
        })
        .min_by_key(|(a, _)| *a);
    let worst_failure = evidence
        .passports
        .iter()
        .filter_map(|o| match o {
            PassportOutcome::Failed { reason, detail, .. } => Some((Failure::of(*reason), detail)),
            _ => None,
        })
        .min_by_key(|(f, _)| if f.is_forgery_class() { 0 } else { 1 });
    let unsupported = evidence.passports.iter().find_map(|o| match o {
        PassportOutcome::Unsupported { ppt } => Some(ppt),
        _ => None,
    });

    let mut local_decided = false;
    if let Some((attestation, signer)) = best_pass {
        v.status = VerificationStatus::Passed;
        v.attestation = Some(attestation);
        v.source = Some(VerificationSource::Passport);
        v.signer = Some(Signer {
            spc: signer.spc.clone(),
            subject: signer.subject.clone(),
            delegate: signer.delegate,
        });
        v.cert_needed.clear();
        local_decided = true;
        // What validation noted without failing (RFC 9060 encompassing, profile).
        for (code, detail) in &signer.notes {
            reasons.push(Reason::new(*code, detail.clone()));
        }
        if evidence.replayed {
            reasons.push(Reason::new(
                ReasonCode::PassportReplayed,
                "this PASSporT was seen before with another Call-ID",
            ));
        }
    } else if let Some((failure, detail)) = worst_failure {
        reasons.push(Reason::new(failure.reason, detail.clone()));
        v.status = VerificationStatus::Failed;
        v.failure = Some(failure);
        v.source = Some(VerificationSource::Passport);
        local_decided = !lacks_material(failure.reason);
    } else if let Some(ppt) = unsupported {
        reasons.push(Reason::new(
            ReasonCode::PptUnsupported,
            format!("PASSporT type {ppt:?} is not verified here"),
        ));
    }

    match &evidence.verstat {
        Some((vs, false)) => {
            reasons.push(Reason::new(
                ReasonCode::VerstatUntrusted,
                format!("verstat {} ignored: intake not trusted", vs.raw),
            ));
        }
        Some((vs, true)) => {
            v.verstat = Some(vs.raw.clone());
            apply_verstat(&mut v, &mut reasons, vs, local_decided);
        }
        None => {}
    }

    if evidence.passports.is_empty() && evidence.verstat.is_none() {
        match evidence.platform {
            Some(PlatformVerificationStatus::Passed) => {
                v.status = VerificationStatus::Passed;
                v.source = Some(VerificationSource::Platform);
                reasons.push(Reason::new(
                    ReasonCode::PlatformPassed,
                    "the platform says verification passed",
                ));
            }
            Some(PlatformVerificationStatus::Failed) => {
                v.status = VerificationStatus::Failed;
                v.source = Some(VerificationSource::Platform);
                v.failure = Some(Failure::of(ReasonCode::PlatformFailed));
                reasons.push(Reason::new(
                    ReasonCode::PlatformFailed,
                    "the platform says verification failed",
                ));
            }
            Some(PlatformVerificationStatus::NotVerified) => {
                v.source = Some(VerificationSource::Platform);
            }
            None => {}
        }
    }
    (v, reasons)
}

fn apply_verstat(
    v: &mut Verification,
    reasons: &mut Vec<Reason>,
    vs: &Verstat,
    local_decided: bool,
) {
    let code = match vs.result {
        VerstatResult::Passed => ReasonCode::VerstatPassed,
        VerstatResult::Failed => ReasonCode::VerstatFailed,
        VerstatResult::NoValidation => ReasonCode::VerstatNoValidation,
        VerstatResult::Other => return,
    };
    if v.status == VerificationStatus::Passed && v.source == Some(VerificationSource::Passport) {
        // Our own signature check passed; the raw token stays in `verstat`.
        return;
    }
    if local_decided {
        let detail = match (vs.result, v.failure) {
            (VerstatResult::Passed, Some(f)) => {
                format!(
                    "conflict: network said {}, overturned by local {}",
                    vs.raw, f.reason
                )
            }
            _ => format!("network said {}", vs.raw),
        };
        reasons.push(Reason::new(code, detail));
        return;
    }
    // The local check lacked material (or there was no PASSporT): the network decides.
    reasons.push(Reason::new(code, format!("network said {}", vs.raw)));
    v.source = Some(VerificationSource::Verstat);
    match vs.result {
        VerstatResult::Passed => {
            v.status = VerificationStatus::Passed;
            v.attestation = vs.attestation;
            v.failure = None;
        }
        VerstatResult::Failed => {
            v.status = VerificationStatus::Failed;
            v.failure = Some(Failure::of(ReasonCode::VerstatFailed));
        }
        VerstatResult::NoValidation | VerstatResult::Other => {
            v.status = VerificationStatus::NoValidation;
            v.failure = None;
        }
    }
}
