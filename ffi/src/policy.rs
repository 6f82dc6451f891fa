//! [`Policy`]: the reaction policy, mirrored from
//! [`callscreen_core::reaction::policy::Policy`]. Read it with `CallScreener.policy()`,
//! change a field (Kotlin `copy`, Swift `var`), store it with `set_policy`.

use crate::verdict::Action;
use callscreen_core::reaction::policy::Policy as CorePolicy;

/// What the screener does with each kind of call. Stored in the database by
/// `set_policy`, so it survives restarts.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Policy {
    /// A score above this (0–100) marks a call likely spam.
    #[uniffi(default = 70)]
    pub spam_threshold: u8,
    /// A score at or above this (0–100) blocks the call with `block_action`;
    /// 101 never blocks by score.
    #[uniffi(default = 101)]
    pub block_threshold: u8,
    /// The action for a call a block rule or the score blocks.
    pub block_action: Action,
    /// The action for a call marked likely spam.
    pub likely_spam_action: Action,
    /// The action for a call whose verification failed.
    pub failed_action: Action,
    /// The action for a call that is not verified (no PASSporT, attestation B or C).
    pub unverified_action: Action,
    /// The action for a call whose caller withheld the number.
    pub withheld_action: Action,
    /// The operator's "present only trusted CLIs": a number that did not pass
    /// verification is shown as not available.
    #[uniffi(default = false)]
    pub present_only_trusted_cli: bool,
    /// Calls from the app's contacts (`PlatformCall.is_contact`) ring, as a user exception.
    #[uniffi(default = true)]
    pub allow_contacts: bool,
    /// After `emergency_call_placed`, blocking and silencing are suspended for
    /// this many seconds (default 3600) so a call back from the emergency
    /// service rings.
    #[uniffi(default = 3600)]
    pub emergency_suspension_secs: i64,
    /// Service numbers (any format) that are never blocked, besides emergency numbers.
    #[uniffi(default = [])]
    pub service_numbers: Vec<String>,
}

/// The default policy: nothing is blocked or silenced unless a rule says so;
/// block rules reject.
#[uniffi::export]
pub fn default_policy() -> Policy {
    CorePolicy::default().into()
}

impl From<CorePolicy> for Policy {
    fn from(p: CorePolicy) -> Self {
        Policy {
            spam_threshold: p.spam_threshold,
            block_threshold: p.block_threshold,
            block_action: p.block_action.into(),
            likely_spam_action: p.likely_spam_action.into(),
            failed_action: p.failed_action.into(),
            unverified_action: p.unverified_action.into(),
            withheld_action: p.withheld_action.into(),
            present_only_trusted_cli: p.present_only_trusted_cli,
            allow_contacts: p.allow_contacts,
            emergency_suspension_secs: p.emergency_suspension_secs,
            service_numbers: p.service_numbers,
        }
    }
}

impl From<Policy> for CorePolicy {
    fn from(p: Policy) -> Self {
        CorePolicy {
            spam_threshold: p.spam_threshold,
            block_threshold: p.block_threshold,
            block_action: p.block_action.into(),
            likely_spam_action: p.likely_spam_action.into(),
            failed_action: p.failed_action.into(),
            unverified_action: p.unverified_action.into(),
            withheld_action: p.withheld_action.into(),
            present_only_trusted_cli: p.present_only_trusted_cli,
            allow_contacts: p.allow_contacts,
            emergency_suspension_secs: p.emergency_suspension_secs,
            service_numbers: p.service_numbers,
        }
    }
}
