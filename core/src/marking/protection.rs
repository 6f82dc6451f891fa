//! Protection: when blocking and silencing are suspended for a call, so the
//! calls a user must never miss ring.
//!
//! Two sources, checked in this order:
//! 1. the emergency-callback window: after the app reports an outgoing
//!    emergency call (`emergency_call_placed`), every call rings for the
//!    policy's `emergency_suspension_secs`, so a PSAP's callback gets through
//!    (it calls from an ordinary number, whatever that number looks like);
//! 2. a configured service number (the operator's or the user's) calling.
//!
//! Never from the caller ID's shape alone: see `DEFAULT_EMERGENCY_NUMBERS`'s
//! legacy use below.

use crate::intake::number::{to_e164, DefaultRegion};
use crate::reaction::policy::DEFAULT_EMERGENCY_NUMBERS;
use crate::reaction::Policy;

/// What protection looks at, for one call.
#[derive(Debug, Clone, Copy)]
pub struct ProtectionInput<'a> {
    /// When the app last placed an emergency call, seconds since the epoch.
    pub emergency_at: Option<i64>,
    /// Now, seconds since the epoch.
    pub now: i64,
    /// The policy in force (the suspension window and the service numbers).
    pub policy: &'a Policy,
    /// The caller's number as presented, before normalisation.
    pub raw_caller: &'a str,
    /// The caller's number, E.164, when presented.
    pub number: Option<&'a str>,
    /// The default region for the service numbers.
    pub region: Option<DefaultRegion>,
}

/// Why blocking is suspended for this call, if it is.
pub fn protected(input: ProtectionInput<'_>) -> Option<String> {
    let policy = input.policy;
    if let Some(at) = input.emergency_at {
        if input.now >= at && input.now - at < policy.emergency_suspension_secs {
            return Some(format!(
                "blocking suspended for {} min after an emergency call",
                policy.emergency_suspension_secs / 60
            ));
        }
    }
    let raw = input.raw_caller;
    let digits: String = raw.chars().filter(char::is_ascii_digit).collect();
    if !digits.is_empty()
        && !raw.starts_with('+')
        && DEFAULT_EMERGENCY_NUMBERS.contains(&digits.as_str())
    {
        return Some(format!("emergency number {digits} is never blocked"));
    }
    let n = input.number?;
    policy
        .service_numbers
        .iter()
        .any(|s| to_e164(s, input.region).as_deref() == Some(n))
        .then(|| "a configured service number is never blocked".into())
}
