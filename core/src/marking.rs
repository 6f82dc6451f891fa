//! Marking: an explainable likelihood (0–100) that the call is spoofed or
//! unsolicited, as the sum of the weights of named signals, capped at 100.
//! The weights are documented in `docs/scoring.md`; every weight shows in the
//! verdict's reasons, so the score can always be explained.

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
        R::PassportReplayed => 20,
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
}
