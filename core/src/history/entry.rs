//! One recorded call, as the history keeps it: the verdict's evidence frozen at
//! screening time, so a review or a report can cite exactly what was decided.

use crate::clock::rfc3339;
use crate::identification::verification::{
    Attestation, Failure, Signer, Verification, VerificationSource, VerificationStatus,
};
use crate::marking::lists::ListDecision;
use crate::presentation::{Indication, Presentation};
use crate::reaction::Action;
use crate::reason::Reason;
use crate::verdict::Verdict;
use serde_json::{json, Value};

/// What verification found, as recorded: the verdict's `verification`
/// without `cert_needed` (which is only for the ringing moment).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerificationSnapshot {
    /// Passed, failed or no validation.
    pub status: VerificationStatus,
    /// The attestation, when known.
    pub attestation: Option<Attestation>,
    /// Where the outcome came from.
    pub source: Option<VerificationSource>,
    /// The signer, when a PASSporT passed.
    pub signer: Option<Signer>,
    /// The failure, when a PASSporT or the network's verdict failed.
    pub failure: Option<Failure>,
    /// The raw `verstat` token.
    pub verstat: Option<String>,
}

impl VerificationSnapshot {
    /// The snapshot of a verdict's verification.
    pub fn of(v: &Verification) -> VerificationSnapshot {
        VerificationSnapshot {
            status: v.status,
            attestation: v.attestation,
            source: v.source,
            signer: v.signer.clone(),
            failure: v.failure,
            verstat: v.verstat.clone(),
        }
    }

    /// Passed with attestation A or a trusted pass of unknown attestation: the
    /// caller's number is its own.
    pub fn verified(&self) -> bool {
        self.status == VerificationStatus::Passed
            && matches!(self.attestation, None | Some(Attestation::A))
    }

    /// The JSON form (the verdict's `verification`, without `cert_needed`).
    pub fn to_json(&self) -> Value {
        json!({
            "status": self.status.as_str(),
            "attestation": self.attestation.map(Attestation::as_str),
            "source": self.source.map(VerificationSource::as_str),
            "verstat": self.verstat,
            "signer": self.signer.as_ref().map(|s| json!({
                "spc": s.spc, "subject": s.subject, "delegate": s.delegate,
            })),
            "failure": self.failure.map(|f| json!({
                "code": f.code, "reason": f.reason.as_str(),
            })),
        })
    }
}

/// A call to record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEntry {
    /// When it was screened, seconds since the epoch.
    pub time: i64,
    /// The Call-ID (`None` in the platform view).
    pub call_id: Option<String>,
    /// The caller's number, E.164; always `None` for a withheld caller.
    pub calling: Option<String>,
    /// The called number (To / P-Called-Party-ID), when known.
    pub called: Option<String>,
    /// How the caller's identity was presented.
    pub presentation: Presentation,
    /// What verification found.
    pub verification: VerificationSnapshot,
    /// The indication shown.
    pub indication: Indication,
    /// The action taken.
    pub action: Action,
    /// The score, 0–100.
    pub score: u8,
    /// Every reason.
    pub reasons: Vec<Reason>,
    /// Ids of the stored rules that matched (winner first).
    pub rules: Vec<i64>,
    /// The line (SIM slot).
    pub line: Option<u32>,
}

impl NewEntry {
    /// The entry for a screened call. `calling` must already be `None` for a
    /// withheld caller (the list step's facts are).
    pub fn from_verdict(
        time: i64,
        call_id: Option<String>,
        calling: Option<String>,
        called: Option<String>,
        verdict: &Verdict,
        decision: &ListDecision,
        line: Option<u32>,
    ) -> NewEntry {
        let calling = if verdict.presentation == Presentation::Withheld {
            None
        } else {
            calling
        };
        NewEntry {
            time,
            call_id,
            calling,
            called,
            presentation: verdict.presentation,
            verification: VerificationSnapshot::of(&verdict.verification),
            indication: verdict.indication,
            action: verdict.action,
            score: verdict.score,
            reasons: verdict.reasons.clone(),
            rules: decision
                .winner
                .iter()
                .chain(decision.overridden.iter())
                .filter_map(|m| m.rule_id)
                .collect(),
            line,
        }
    }

    /// Spoofed or blocked: likely spam, a failed verification, or any action
    /// but ringing normally. These are recorded by default and count for the
    /// notice.
    pub fn flagged(&self) -> bool {
        is_flagged(self.indication, self.verification.status, self.action)
    }
}

/// The flagged test (see [`NewEntry::flagged`]), for a verdict not yet recorded.
pub fn is_flagged(indication: Indication, status: VerificationStatus, action: Action) -> bool {
    indication == Indication::LikelySpam
        || status == VerificationStatus::Failed
        || action != Action::Allow
}

/// A recorded call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryEntry {
    /// Its id.
    pub id: i64,
    /// What was recorded.
    pub entry: NewEntry,
    /// The user has reviewed it.
    pub reviewed: bool,
}

impl HistoryEntry {
    /// The JSON object of `callscreen history list --json` (CONTRACT.md: at
    /// least `id`, `time`, `call_id`, `indication`, `action`, `reviewed`).
    pub fn to_json(&self) -> Value {
        let e = &self.entry;
        json!({
            "id": self.id,
            "time": rfc3339(e.time),
            "call_id": e.call_id,
            "calling": e.calling,
            "called": e.called,
            "presentation": e.presentation.as_str(),
            "verification": e.verification.to_json(),
            "indication": e.indication.as_str(),
            "action": e.action.as_str(),
            "score": e.score,
            "reasons": e.reasons.iter().map(|r| json!({
                "code": r.code.as_str(), "detail": r.detail, "weight": r.weight,
            })).collect::<Vec<_>>(),
            "rules": e.rules,
            "flagged": e.flagged(),
            "line": e.line,
            "reviewed": self.reviewed,
        })
    }
}

/// Which entries to list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HistoryFilter {
    /// At or after this time, seconds since the epoch.
    pub since: Option<i64>,
    /// Before this time.
    pub until: Option<i64>,
    /// Only these indications; empty: all.
    pub indications: Vec<Indication>,
    /// Only entries not yet reviewed.
    pub unreviewed_only: bool,
    /// Only flagged entries (spoofed or blocked, [`NewEntry::flagged`]): the
    /// spoofed-call history when every call is recorded.
    pub flagged_only: bool,
    /// At most this many, newest first (`None`: all).
    pub limit: Option<u32>,
}
