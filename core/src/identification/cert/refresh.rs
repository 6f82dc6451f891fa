//! When a certificate the core already holds should be fetched again.
//!
//! A provider may replace the certificate behind an `x5u` URL (a new key at the
//! same address). The core keeps every chain the app handed over, so after such a
//! rotation its calls would fail `signature_invalid` until the old certificate
//! expired. Instead, a signature that fails under a chain held for longer than
//! the refresh period names its `x5u` in `cert_needed` again: the app fetches,
//! calls `add_certificate` (which replaces the chain) and screens again.
//!
//! Only chains the core holds (handed over with `add_certificate`) are hinted:
//! one from the app's own `CertificateSource` is as fresh as the app keeps it.
//!
//! Offline first: the held chain is still used meanwhile. A forged signature
//! under a genuine provider's URL gets the same hint, so hints are rate-limited
//! to one per URL per period, and never for a chain fetched within the period
//! (a chain that fresh is current: the signature is simply bad).

use std::collections::HashMap;

/// Refresh period when the app sets none: one hour, in seconds.
pub const DEFAULT_CERT_REFRESH_SECS: i64 = 3600;

/// URLs remembered at most (a defence against floods of distinct `x5u`s); the
/// memory is forgotten as a whole when full, which only allows an early hint.
const MAX_HINTS: usize = 1024;

/// The last refresh hint given per `x5u`, in memory.
#[derive(Debug, Default)]
pub struct RefreshHints {
    last: HashMap<String, i64>,
}

impl RefreshHints {
    /// Whether to name `x5u` in `cert_needed` after a signature failed under the
    /// chain for it: `fetched_at` is when the app handed that chain over (`None`
    /// when the core does not hold it: it came from the app's local
    /// `CertificateSource`), `now` and `period` in seconds. Records the hint when
    /// it is given.
    pub fn due(&mut self, x5u: &str, fetched_at: Option<i64>, now: i64, period: i64) -> bool {
        match fetched_at {
            Some(t) if now.saturating_sub(t) >= period => {}
            _ => return false,
        }
        if self
            .last
            .get(x5u)
            .is_some_and(|&t| now.saturating_sub(t) < period)
        {
            return false;
        }
        if self.last.len() >= MAX_HINTS {
            self.last.clear();
        }
        self.last.insert(x5u.to_string(), now);
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn once_per_period_and_never_for_a_fresh_chain() {
        let mut h = RefreshHints::default();
        let (url, p) = ("https://cert.example/a.pem", 3600);
        assert!(
            !h.due(url, Some(1000), 1000 + p - 1, p),
            "fetched within the period"
        );
        assert!(h.due(url, Some(1000), 1000 + p, p));
        assert!(
            !h.due(url, Some(1000), 1000 + p + 10, p),
            "hinted within the period"
        );
        assert!(h.due(url, Some(1000), 1000 + 2 * p, p));
        let b = "https://cert.example/b.pem";
        assert!(
            !h.due(b, None, 1_000_000, p),
            "not held: the app's source keeps it"
        );
    }

    #[test]
    fn bounded() {
        let mut h = RefreshHints::default();
        for i in 0..(MAX_HINTS * 3) {
            h.due(&format!("https://c.example/{i}"), Some(0), 60, 60);
        }
        assert!(h.last.len() <= MAX_HINTS);
    }
}
