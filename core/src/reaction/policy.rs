//! Reaction: from the lists' decision, the indication and the score to an
//! action, by the user's and the operator's policy.
//!
//! In order: emergency callbacks and emergency numbers always ring; a winning
//! exception rings; a winning block gets the block action; otherwise the
//! strongest action of the classes the call falls in (likely spam, failed,
//! unverified, withheld) or of a score at the block threshold.

use crate::identification::verification::{Verification, VerificationStatus};
use crate::presentation::{Indication, Presentation};
use serde::{Deserialize, Serialize};

/// What the dialer does with the call. Ordered by strength.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Ring normally.
    Allow,
    /// Ring without sound.
    Silence,
    /// Send to voicemail.
    Voicemail,
    /// Reject.
    Reject,
}

impl Action {
    /// `allow`, `silence`, `voicemail` or `reject`.
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Allow => "allow",
            Action::Silence => "silence",
            Action::Voicemail => "voicemail",
            Action::Reject => "reject",
        }
    }

    /// Parse the stable string.
    pub fn parse(s: &str) -> Option<Action> {
        match s {
            "allow" => Some(Action::Allow),
            "silence" => Some(Action::Silence),
            "voicemail" => Some(Action::Voicemail),
            "reject" => Some(Action::Reject),
            _ => None,
        }
    }
}

/// Emergency numbers that are never blocked, whatever the lists say.
pub const DEFAULT_EMERGENCY_NUMBERS: &[&str] = &[
    "911", "112", "999", "000", "110", "119", "118", "100", "101", "102", "103", "08",
];

/// User and operator reaction policy. Stored as JSON in the database
/// (`callscreen policy set`); unknown or missing fields take their defaults.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Policy {
    /// A score above this marks a call `likely_spam` (0–100).
    pub spam_threshold: u8,
    /// A score at or above this blocks the call (0–100; above 100: never).
    pub block_threshold: u8,
    /// The action for a call a rule or the score blocks.
    pub block_action: Action,
    /// The action for a `likely_spam` call.
    pub likely_spam_action: Action,
    /// The action for a call whose verification failed.
    pub failed_action: Action,
    /// The action for a call that is not verified.
    pub unverified_action: Action,
    /// The action for a withheld number.
    pub withheld_action: Action,
    /// The operator's "present only trusted CLIs": show `number_not_available`
    /// for any number that did not pass verification.
    pub present_only_trusted_cli: bool,
    /// Calls from the app's contacts ring, as a user exception.
    pub allow_contacts: bool,
    /// After an emergency call is placed, blocking and silencing are suspended
    /// for this long, seconds (default 3600), so a PSAP callback rings.
    pub emergency_suspension_secs: i64,
    /// Service numbers (any format) that are never blocked, besides the emergency numbers.
    pub service_numbers: Vec<String>,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            spam_threshold: 70,
            block_threshold: 101,
            block_action: Action::Reject,
            likely_spam_action: Action::Allow,
            failed_action: Action::Allow,
            unverified_action: Action::Allow,
            withheld_action: Action::Allow,
            present_only_trusted_cli: false,
            allow_contacts: true,
            emergency_suspension_secs: 3600,
            service_numbers: Vec::new(),
        }
    }
}

/// What the lists decided, as the policy sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListVerdict {
    /// No rule matched.
    None,
    /// A rule blocks the call.
    Block,
    /// An exception lets it ring.
    Exception,
}

/// The call as the policy sees it.
#[derive(Debug, Clone, Copy)]
pub struct ReactionInput<'a> {
    /// The indication.
    pub indication: Indication,
    /// The presentation.
    pub presentation: Presentation,
    /// Verification.
    pub verification: &'a Verification,
    /// The score.
    pub score: u8,
    /// The lists' decision.
    pub lists: ListVerdict,
    /// An emergency callback window is open, or the caller is an emergency or
    /// service number.
    pub protected: bool,
}

/// The reaction: an action and, for apps that control SIP, a response code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reaction {
    /// The action.
    pub action: Action,
    /// Suggested SIP response when rejecting: 607 Unwanted (RFC 8197) for a
    /// blocked or spam call, 603 Decline otherwise.
    pub sip_response: Option<u16>,
}

impl Policy {
    /// The action for the call.
    pub fn react(&self, input: ReactionInput<'_>) -> Reaction {
        let action = if input.protected {
            Action::Allow
        } else {
            match input.lists {
                ListVerdict::Exception => Action::Allow,
                ListVerdict::Block => self.block_action,
                ListVerdict::None => self.by_class(&input),
            }
        };
        let unwanted =
            input.lists == ListVerdict::Block || input.indication == Indication::LikelySpam;
        Reaction {
            action,
            sip_response: (action == Action::Reject).then_some(if unwanted { 607 } else { 603 }),
        }
    }

    fn by_class(&self, input: &ReactionInput<'_>) -> Action {
        let mut action = Action::Allow;
        if input.indication == Indication::LikelySpam {
            action = action.max(self.likely_spam_action);
        }
        if input.presentation == Presentation::Withheld {
            action = action.max(self.withheld_action);
        }
        match input.verification.status {
            VerificationStatus::Failed => action = action.max(self.failed_action),
            VerificationStatus::NoValidation => action = action.max(self.unverified_action),
            VerificationStatus::Passed => {}
        }
        if input.indication == Indication::Unverified
            && input.verification.status == VerificationStatus::Passed
        {
            action = action.max(self.unverified_action); // attestation B or C
        }
        if input.score >= self.block_threshold {
            action = action.max(self.block_action);
        }
        action
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(v: &Verification) -> ReactionInput<'_> {
        ReactionInput {
            indication: Indication::Unverified,
            presentation: Presentation::Allowed,
            verification: v,
            score: 0,
            lists: ListVerdict::None,
            protected: false,
        }
    }

    #[test]
    fn precedence_of_reactions() {
        let v = Verification::none();
        let p = Policy {
            unverified_action: Action::Silence,
            ..Policy::default()
        };
        assert_eq!(p.react(input(&v)).action, Action::Silence);
        assert_eq!(
            p.react(ReactionInput {
                lists: ListVerdict::Exception,
                ..input(&v)
            })
            .action,
            Action::Allow
        );
        let blocked = p.react(ReactionInput {
            lists: ListVerdict::Block,
            ..input(&v)
        });
        assert_eq!(
            (blocked.action, blocked.sip_response),
            (Action::Reject, Some(607))
        );
        assert_eq!(
            p.react(ReactionInput {
                lists: ListVerdict::Block,
                protected: true,
                ..input(&v)
            })
            .action,
            Action::Allow
        );
        let p = Policy {
            block_threshold: 50,
            ..Policy::default()
        };
        assert_eq!(
            p.react(ReactionInput {
                score: 50,
                ..input(&v)
            })
            .action,
            Action::Reject
        );
        assert_eq!(
            p.react(ReactionInput {
                score: 49,
                ..input(&v)
            })
            .action,
            Action::Allow
        );
    }

    #[test]
    fn withheld_policy_and_json_round_trip() {
        let v = Verification::none();
        let p = Policy {
            withheld_action: Action::Silence,
            ..Policy::default()
        };
        let r = p.react(ReactionInput {
            presentation: Presentation::Withheld,
            indication: Indication::Withheld,
            ..input(&v)
        });
        assert_eq!(r.action, Action::Silence);
        let json = serde_json::to_string(&p).unwrap();
        assert_eq!(serde_json::from_str::<Policy>(&json).unwrap(), p);
        let partial: Policy = serde_json::from_str(r#"{"withheld_action":"voicemail"}"#).unwrap();
        assert_eq!(partial.withheld_action, Action::Voicemail);
        assert_eq!(partial.spam_threshold, 70);
    }
}
