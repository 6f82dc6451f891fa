//! Replayed PASSporTs: the same token seen under another Call-ID within the
//! freshness window. A scoring reason, not a failure: carriers that reroute reuse
//! headers, and anyone could otherwise replay a genuine token to poison its owner.
//! Retransmissions (same Call-ID) are not replays. In memory, bounded.

use std::collections::HashMap;

/// Tokens remembered at most.
pub const REPLAY_CAPACITY: usize = 4096;

/// Remembers which Call-ID each verified PASSporT (by signature) came with.
#[derive(Debug, Default)]
pub struct ReplayCache {
    seen: HashMap<Vec<u8>, (String, i64)>,
}

impl ReplayCache {
    /// Record `signature` seen with `call_id` at `now`; true when it was seen
    /// before under a different Call-ID within `window` seconds.
    pub fn check_and_record(
        &mut self,
        signature: &[u8],
        call_id: &str,
        now: i64,
        window: i64,
    ) -> bool {
        // A retransmission (same Call-ID): refresh in place, without allocating.
        if let Some((id, at)) = self.seen.get_mut(signature) {
            if id == call_id {
                *at = now;
                return false;
            }
        }
        let replayed = self
            .seen
            .get(signature)
            .is_some_and(|(_, at)| (now - at).abs() <= window);
        if self.seen.len() >= REPLAY_CAPACITY {
            self.seen.retain(|_, (_, at)| (now - *at).abs() <= window);
            if self.seen.len() >= REPLAY_CAPACITY {
                self.seen.clear();
            }
        }
        if !replayed {
            self.seen
                .insert(signature.to_vec(), (call_id.to_string(), now));
        }
        replayed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replay_rules() {
        let mut c = ReplayCache::default();
        assert!(!c.check_and_record(b"s", "call-1", 100, 60));
        assert!(
            !c.check_and_record(b"s", "call-1", 101, 60),
            "retransmission"
        );
        assert!(
            c.check_and_record(b"s", "call-2", 102, 60),
            "another Call-ID"
        );
        assert!(
            !c.check_and_record(b"s", "call-3", 500, 60),
            "outside the window"
        );
    }

    #[test]
    fn bounded() {
        let mut c = ReplayCache::default();
        for i in 0..(REPLAY_CAPACITY * 2) {
            c.check_and_record(&i.to_le_bytes(), "x", 0, 60);
        }
        assert!(c.seen.len() <= REPLAY_CAPACITY);
    }
}
