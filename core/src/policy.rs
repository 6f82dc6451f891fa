//! Reaction: from the indication and score to an action, by policy.
//!
//! Until local lists land, the policy has one knob: what to do with a call marked
//! `likely_spam` (default: let it ring, so nothing is lost by a false positive).

use crate::presentation::Indication;

/// What the dialer does with the call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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

/// User and operator reaction policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    /// The action for a `likely_spam` call.
    pub likely_spam_action: Action,
    /// A score above this marks a call `likely_spam` (0–100).
    pub spam_threshold: u8,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            likely_spam_action: Action::Allow,
            spam_threshold: 70,
        }
    }
}

impl Policy {
    /// The action for an indication.
    pub fn react(&self, indication: Indication) -> Action {
        match indication {
            Indication::LikelySpam => self.likely_spam_action,
            _ => Action::Allow,
        }
    }
}
