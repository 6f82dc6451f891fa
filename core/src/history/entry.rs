//! One recorded call, as the history keeps it: the verdict's evidence frozen at
//! screening time, so a review or a report can cite exactly what was decided.

use crate::lists::ListDecision;
use crate::verdict::Verdict;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

/// One reason as stored: the stable code, its detail and weight.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredReason {
    /// The stable snake_case code (CONTRACT.md).
    pub code: String,
    /// The detail text.
    pub detail: String,
    /// Its weight in the score.
    pub weight: u8,
}

/// Who signed a PASSporT that passed, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignerSnapshot {
    /// The service provider code, when the certificate has one.
    pub spc: Option<String>,
    /// The signing certificate's subject.
    pub subject: String,
    /// Signed under a delegate certificate.
    pub delegate: bool,
}

/// What verification found, as stored (the verdict's `verification`, strings
/// as in CONTRACT.md).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerificationSnapshot {
    /// `passed`, `failed` or `no_validation`.
    pub status: String,
    /// `A`, `B` or `C`, when known.
    pub attestation: Option<String>,
    /// `passport`, `verstat` or `platform`.
    pub source: Option<String>,
    /// The signer, when a PASSporT passed.
    pub signer: Option<SignerSnapshot>,
    /// The failure's response code (403, 428, 436, 437, 438).
    pub failure_code: Option<u16>,
    /// The failure's reason code.
    pub failure_reason: Option<String>,
    /// The raw `verstat` token.
    pub verstat: Option<String>,
}

impl VerificationSnapshot {
    /// Passed with attestation A or a trusted pass of unknown attestation: the
    /// caller's number is its own.
    pub fn verified(&self) -> bool {
        self.status == "passed" && matches!(self.attestation.as_deref(), None | Some("A"))
    }

    /// The JSON form (the verdict's `verification`, without `cert_needed`).
    pub fn to_json(&self) -> Value {
        json!({
            "status": self.status,
            "attestation": self.attestation,
            "source": self.source,
            "verstat": self.verstat,
            "signer": self.signer.as_ref().map(|s| json!({
                "spc": s.spc, "subject": s.subject, "delegate": s.delegate,
            })),
            "failure": self.failure_code.map(|code| json!({
                "code": code, "reason": self.failure_reason,
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
    /// `allowed`, `withheld`, `not_available` or `payphone`.
    pub presentation: String,
    /// What verification found.
    pub verification: VerificationSnapshot,
    /// The indication shown.
    pub indication: String,
    /// The action taken.
    pub action: String,
    /// The score, 0–100.
    pub score: u8,
    /// Every reason.
    pub reasons: Vec<StoredReason>,
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
        let v = &verdict.verification;
        let calling = if verdict.presentation == crate::presentation::Presentation::Withheld {
            None
        } else {
            calling
        };
        NewEntry {
            time,
            call_id,
            calling,
            called,
            presentation: verdict.presentation.as_str().to_string(),
            verification: VerificationSnapshot {
                status: v.status.as_str().to_string(),
                attestation: v.attestation.map(|a| a.as_str().to_string()),
                source: v.source.map(|s| s.as_str().to_string()),
                signer: v.signer.as_ref().map(|s| SignerSnapshot {
                    spc: s.spc.clone(),
                    subject: s.subject.clone(),
                    delegate: s.delegate,
                }),
                failure_code: v.failure.map(|f| f.code),
                failure_reason: v.failure.map(|f| f.reason.as_str().to_string()),
                verstat: v.verstat.clone(),
            },
            indication: verdict.indication.as_str().to_string(),
            action: verdict.action.as_str().to_string(),
            score: verdict.score,
            reasons: verdict
                .reasons
                .iter()
                .map(|r| StoredReason {
                    code: r.code.as_str().to_string(),
                    detail: r.detail.clone(),
                    weight: r.weight,
                })
                .collect(),
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
        is_flagged(&self.indication, &self.verification.status, &self.action)
    }
}

/// The flagged test on stored strings (see [`NewEntry::flagged`]).
pub fn is_flagged(indication: &str, status: &str, action: &str) -> bool {
    indication == "likely_spam" || status == "failed" || action != "allow"
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
            "presentation": e.presentation,
            "verification": e.verification.to_json(),
            "indication": e.indication,
            "action": e.action,
            "score": e.score,
            "reasons": e.reasons.iter().map(|r| json!({
                "code": r.code, "detail": r.detail, "weight": r.weight,
            })).collect::<Vec<_>>(),
            "rules": e.rules,
            "flagged": e.flagged(),
            "line": e.line,
            "reviewed": self.reviewed,
        })
    }
}

/// `2026-11-22T12:00:00Z` for seconds since the epoch.
pub fn rfc3339(t: i64) -> String {
    chrono::DateTime::from_timestamp(t, 0)
        .map(|d| d.format("%Y-%m-%dT%H:%M:%SZ").to_string())
        .unwrap_or_else(|| t.to_string())
}

/// Which entries to list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HistoryFilter {
    /// At or after this time, seconds since the epoch.
    pub since: Option<i64>,
    /// Before this time.
    pub until: Option<i64>,
    /// Only these indications (stable strings); empty: all.
    pub indications: Vec<String>,
    /// Only entries not yet reviewed.
    pub unreviewed_only: bool,
    /// Only flagged entries (spoofed or blocked, [`NewEntry::flagged`]): the
    /// spoofed-call history when every call is recorded.
    pub flagged_only: bool,
    /// At most this many, newest first (`None`: all).
    pub limit: Option<u32>,
}
