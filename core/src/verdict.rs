//! The verdict: everything the dialer needs about one call, and its JSON form
//! (CONTRACT.md, "The verdict").

use crate::identification::verification::Verification;
use crate::presentation::{Display, Indication, Presentation};
use crate::reaction::policy::Action;
use crate::reason::Reason;
use serde_json::{json, Value};

/// The screening result of one call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    /// What to show.
    pub indication: Indication,
    /// What to do.
    pub action: Action,
    /// For apps that control SIP: the response to send when rejecting
    /// (607 Unwanted, RFC 8197, for blocked or spam calls; 603 Decline otherwise).
    pub sip_response: Option<u16>,
    /// The presentation state.
    pub presentation: Presentation,
    /// The display.
    pub display: Display,
    /// What verification found.
    pub verification: Verification,
    /// Likelihood the call is spoofed or unsolicited, 0–100.
    pub score: u8,
    /// Every reason, in the order the steps added them.
    pub reasons: Vec<Reason>,
}

impl Verdict {
    /// The JSON object of CONTRACT.md.
    pub fn to_json(&self) -> Value {
        let v = &self.verification;
        json!({
            "indication": self.indication.as_str(),
            "action": self.action.as_str(),
            "sip_response": self.sip_response,
            "presentation": self.presentation.as_str(),
            "display": {
                "number": self.display.number,
                "name": self.display.name,
                "logo_url": self.display.logo_url,
                "call_reason": self.display.call_reason,
                "label": self.display.label,
                "label_key": self.display.label_key,
            },
            "verification": {
                "status": v.status.as_str(),
                "attestation": v.attestation.map(|a| a.as_str()),
                "source": v.source.map(|s| s.as_str()),
                "verstat": v.verstat,
                "signer": v.signer.as_ref().map(|s| json!({
                    "spc": s.spc, "subject": s.subject, "delegate": s.delegate,
                })),
                "failure": v.failure.map(|f| json!({"code": f.code, "reason": f.reason.as_str()})),
                "cert_needed": v.cert_needed,
            },
            "score": self.score,
            "reasons": self.reasons.iter().map(|r| json!({
                "code": r.code.as_str(), "detail": r.detail, "weight": r.weight,
            })).collect::<Vec<_>>(),
        })
    }
}
