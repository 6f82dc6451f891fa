//! Marking: an explainable likelihood (0–100) that the call is spoofed or
//! unsolicited, as the sum of the weights of named signals, capped at 100.
//! The weights are documented in `docs/scoring.md`; every weight shows in the
//! verdict's reasons, so the score can always be explained. The same inputs give
//! the same score.

use crate::identification::verification::Verification;
use crate::reason::{Reason, ReasonCode};

/// The weight of one reason in the score.
pub fn weight(code: ReasonCode) -> u8 {
    use ReasonCode as R;
    match code {
        // A forged or mismatching PASSporT (438 class).
        c if c.failure_code() == Some(438) => 80,
        // The trusted network or the platform says verification failed.
        R::VerstatFailed | R::PlatformFailed => 70,
        // A failure that may be our clock or trust store (403/436/437).
        c if c.failure_code().is_some() => 10,
        R::OwnNumberSpoof => 60,
        R::OperatorBlock => 60,
        R::UserBlock => 50,
        R::NetworkMarking => 50,
        R::InvalidNumber => 40,
        R::NeighborSpoof => 30,
        R::PassportReplayed => 20,
        R::RepeatCaller => 10,
        _ => 0,
    }
}

/// Assign weights to `reasons` and return the score.
pub fn mark(reasons: &mut [Reason]) -> u8 {
    let mut total: u32 = 0;
    for r in reasons.iter_mut() {
        r.weight = weight(r.code);
        total += u32::from(r.weight);
    }
    total.min(100) as u8
}

/// Calls from one number within a day that make it a repeat caller.
pub const REPEAT_CALLER_THRESHOLD: u32 = 3;

/// What the heuristics look at.
#[derive(Debug, Clone, Copy)]
pub struct SignalInput<'a> {
    /// The caller's number, E.164.
    pub number: Option<&'a str>,
    /// The subscriber's own numbers, E.164.
    pub own_numbers: &'a [String],
    /// What verification found.
    pub verification: &'a Verification,
    /// A marking the app or network attached to the call (e.g. "Spam Likely").
    pub network_marking: Option<&'a str>,
    /// Calls from this number in the last 24 h (from history or the app).
    pub recent_calls: u32,
}

/// The heuristic signals of a call, as reasons (weights assigned by [`mark`]).
pub fn signals(input: SignalInput<'_>) -> Vec<Reason> {
    let mut out = Vec::new();
    let passed = input.verification.passed();
    if let Some(n) = input.number {
        if !passed && input.own_numbers.iter().any(|o| o == n) {
            out.push(Reason::new(
                ReasonCode::OwnNumberSpoof,
                "an unverified call presents the subscriber's own number",
            ));
        } else if !passed && input.own_numbers.iter().any(|o| neighbours(o, n)) {
            out.push(Reason::new(
                ReasonCode::NeighborSpoof,
                "an unverified caller shares the subscriber's leading digits",
            ));
        }
        // A number that passed verification is assigned; skipping libphonenumber
        // there keeps the common, verified call off its ~1 µs validation.
        if !passed && !crate::intake::number::is_valid(n) {
            out.push(Reason::new(
                ReasonCode::InvalidNumber,
                "not a valid number per libphonenumber",
            ));
        }
    }
    if let Some(m) = input.network_marking.filter(|m| !m.trim().is_empty()) {
        let m: String = m.chars().filter(|c| !c.is_control()).take(64).collect();
        out.push(Reason::new(
            ReasonCode::NetworkMarking,
            format!("marked by the network or app: {m}"),
        ));
    }
    if input.recent_calls >= REPEAT_CALLER_THRESHOLD {
        out.push(Reason::new(
            ReasonCode::RepeatCaller,
            format!(
                "{} calls from this number in the last 24 h",
                input.recent_calls
            ),
        ));
    }
    out
}

/// Same length and the same digits but the last four (NANP: the same NPA-NXX).
fn neighbours(own: &str, caller: &str) -> bool {
    own.len() == caller.len() && own.len() > 8 && own != caller && {
        let keep = own.len() - 4;
        own.get(..keep) == caller.get(..keep)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weights_and_cap() {
        let mut rs = vec![
            Reason::new(ReasonCode::SignatureInvalid, ""),
            Reason::new(ReasonCode::PassportReplayed, ""),
            Reason::new(ReasonCode::VerstatFailed, ""),
        ];
        assert_eq!(mark(&mut rs), 100);
        assert_eq!(rs[0].weight, 80);
        let mut rs = vec![
            Reason::new(ReasonCode::CertUnavailable, ""),
            Reason::new(ReasonCode::VerstatPassed, ""),
        ];
        assert_eq!(mark(&mut rs), 10);
    }

    fn codes(input: SignalInput<'_>) -> Vec<ReasonCode> {
        signals(input).into_iter().map(|r| r.code).collect()
    }

    #[test]
    fn each_signal() {
        let own = vec!["+12155551213".to_string()];
        let none = Verification::none();
        let base = SignalInput {
            number: Some("+12155551213"),
            own_numbers: &own,
            verification: &none,
            network_marking: None,
            recent_calls: 0,
        };
        assert_eq!(codes(base), vec![ReasonCode::OwnNumberSpoof]);
        assert_eq!(
            codes(SignalInput {
                number: Some("+12155559876"),
                ..base
            }),
            vec![ReasonCode::NeighborSpoof]
        );
        assert_eq!(
            codes(SignalInput {
                number: Some("+12025550123"),
                ..base
            }),
            vec![]
        );
        assert_eq!(
            codes(SignalInput {
                number: Some("+1999123"),
                ..base
            }),
            vec![ReasonCode::InvalidNumber]
        );
        assert_eq!(
            codes(SignalInput {
                number: None,
                network_marking: Some("Spam"),
                ..base
            }),
            vec![ReasonCode::NetworkMarking]
        );
        assert_eq!(
            codes(SignalInput {
                number: None,
                recent_calls: 3,
                ..base
            }),
            vec![ReasonCode::RepeatCaller]
        );
        assert_eq!(
            codes(SignalInput {
                number: None,
                recent_calls: 2,
                ..base
            }),
            vec![]
        );
        let mut passed = Verification::none();
        passed.status = crate::identification::verification::VerificationStatus::Passed;
        assert_eq!(
            codes(SignalInput {
                verification: &passed,
                ..base
            }),
            vec![],
            "a verified own number is the user's other device"
        );
    }
}
