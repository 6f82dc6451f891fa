//! The durable outbox: reports and barring changes waiting for delivery, in
//! the `outbox` table, so they survive crashes, restarts and offline days.
//!
//! Life of an item: `pending` (due at `next_attempt_at`) → `sending` (claimed
//! by a delivery pass, lease [`RetryPolicy::lease_secs`]) → `delivered` on a
//! 2xx, back to `pending` with exponential backoff and jitter on a temporary
//! failure, or `failed` on a permanent refusal or past the maximum age or
//! attempts. A pass killed mid-send leaves the item `sending`; it is claimed
//! again when the lease runs out, so delivery is at least once (the server
//! deduplicates by the `Idempotency-Key`, the item's id).

use crate::error::{Error, Result};

/// Where an item is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutboxState {
    /// Waiting for its next attempt.
    Pending,
    /// Claimed by a delivery pass.
    Sending,
    /// The server answered 2xx.
    Delivered,
    /// Refused for good, or out of attempts or time; shown to the user.
    Failed,
}

impl OutboxState {
    /// `pending`, `sending`, `delivered` or `failed`.
    pub fn as_str(self) -> &'static str {
        match self {
            OutboxState::Pending => "pending",
            OutboxState::Sending => "sending",
            OutboxState::Delivered => "delivered",
            OutboxState::Failed => "failed",
        }
    }

    /// Parse [`OutboxState::as_str`].
    pub fn parse(s: &str) -> Option<OutboxState> {
        match s {
            "pending" => Some(OutboxState::Pending),
            "sending" => Some(OutboxState::Sending),
            "delivered" => Some(OutboxState::Delivered),
            "failed" => Some(OutboxState::Failed),
            _ => None,
        }
    }
}

/// What an item does when delivered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutboxOp {
    /// POST a report document.
    Report,
    /// PUT an ICB rule (network-side block).
    Bar,
    /// DELETE an ICB rule (network-side unblock).
    Unbar,
}

impl OutboxOp {
    /// `report`, `bar` or `unbar`.
    pub fn as_str(self) -> &'static str {
        match self {
            OutboxOp::Report => "report",
            OutboxOp::Bar => "bar",
            OutboxOp::Unbar => "unbar",
        }
    }

    /// Parse [`OutboxOp::as_str`].
    pub fn parse(s: &str) -> Option<OutboxOp> {
        match s {
            "report" => Some(OutboxOp::Report),
            "bar" => Some(OutboxOp::Bar),
            "unbar" => Some(OutboxOp::Unbar),
            _ => None,
        }
    }
}

/// Retries: exponential backoff from `base_secs`, doubled per attempt, capped at
/// `max_delay_secs`, with jitter (a random point in the upper half of the
/// delay); failed after `max_attempts` attempts or `max_age_secs`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// The first delay, seconds.
    pub base_secs: i64,
    /// The longest delay, seconds.
    pub max_delay_secs: i64,
    /// Attempts before the item fails.
    pub max_attempts: u32,
    /// Age (from queuing, or from a manual retry) after which the item fails.
    pub max_age_secs: i64,
    /// A `sending` item older than this is claimed again (its pass died).
    pub lease_secs: i64,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            base_secs: 30,
            max_delay_secs: 6 * 3600,
            max_attempts: 20,
            max_age_secs: 14 * 86_400,
            lease_secs: 300,
        }
    }
}

impl RetryPolicy {
    /// The delay before attempt `attempts + 1`, given a random `jitter` in 0..=1.
    pub fn delay(&self, attempts: u32, jitter: f64) -> i64 {
        let exp = attempts.saturating_sub(1).min(30);
        let full = self
            .base_secs
            .saturating_mul(1i64 << exp)
            .min(self.max_delay_secs)
            .max(1);
        let half = full / 2;
        half + ((full - half) as f64 * jitter.clamp(0.0, 1.0)).round() as i64
    }
}

/// A random number in 0..=1 from the system's generator.
pub fn jitter() -> f64 {
    use ring::rand::SecureRandom;
    let mut b = [0u8; 4];
    if ring::rand::SystemRandom::new().fill(&mut b).is_err() {
        return 1.0;
    }
    f64::from(u32::from_le_bytes(b)) / f64::from(u32::MAX)
}

/// A new random id (UUID version 4 text).
///
/// # Errors
/// [`Error::InvalidInput`] if the system's generator fails.
pub fn new_id() -> Result<String> {
    use ring::rand::SecureRandom;
    let mut b = [0u8; 16];
    ring::rand::SystemRandom::new()
        .fill(&mut b)
        .map_err(|_| Error::InvalidInput("no randomness for a report id".into()))?;
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h: String = b.iter().map(|x| format!("{x:02x}")).collect();
    Ok(format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    ))
}

/// An item as the user sees it (`callscreen outbox list`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxItem {
    /// Its id (the report's id, sent as `Idempotency-Key`).
    pub id: String,
    /// The report kind (`spoofed`, ...) or `bar` / `unbar`.
    pub kind: String,
    /// What delivery does.
    pub op: OutboxOp,
    /// Where it is in its life.
    pub state: OutboxState,
    /// Attempts made so far.
    pub attempts: u32,
    /// When it was queued, seconds since the epoch.
    pub created_at: i64,
    /// When it is next due (pending), seconds since the epoch.
    pub next_attempt_at: i64,
    /// When it was delivered.
    pub delivered_at: Option<i64>,
    /// The last HTTP status seen.
    pub last_status: Option<u16>,
    /// The last error (for a failed item: why it failed).
    pub last_error: Option<String>,
    /// The history entry a report cites.
    pub history_id: Option<i64>,
    /// The barred number (`bar` / `unbar`), or `anonymous`.
    pub target: Option<String>,
    /// The user block rule a barring follows.
    pub rule_id: Option<i64>,
}

impl OutboxItem {
    /// The JSON object of `callscreen outbox list --json` (CONTRACT.md: at least
    /// `id`, `kind`, `state`, `attempts`).
    pub fn to_json(&self) -> serde_json::Value {
        use crate::clock::rfc3339;
        serde_json::json!({
            "id": self.id,
            "kind": self.kind,
            "op": self.op.as_str(),
            "state": self.state.as_str(),
            "attempts": self.attempts,
            "created_at": rfc3339(self.created_at),
            "next_attempt_at": (self.state == OutboxState::Pending).then(|| rfc3339(self.next_attempt_at)),
            "delivered_at": self.delivered_at.map(rfc3339),
            "last_status": self.last_status,
            "last_error": self.last_error,
            "history_id": self.history_id,
            "target": self.target,
            "rule_id": self.rule_id,
        })
    }
}

/// An item claimed for delivery, with its body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claimed {
    /// The item (state `sending`, attempts counted).
    pub item: OutboxItem,
    /// The body (a report document), empty for barring.
    pub body: Vec<u8>,
}

/// A new item to queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewItem<'a> {
    /// Its id.
    pub id: &'a str,
    /// The report kind, or `bar` / `unbar`.
    pub kind: &'a str,
    /// What delivery does.
    pub op: OutboxOp,
    /// The body.
    pub body: &'a [u8],
    /// The history entry cited.
    pub history_id: Option<i64>,
    /// The barred number.
    pub target: Option<&'a str>,
    /// The block rule followed.
    pub rule_id: Option<i64>,
}

/// The outcome of one delivery attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// 2xx (or, for an unblock, the rule was already gone).
    Delivered {
        /// The status.
        status: u16,
    },
    /// Try again later.
    Retry {
        /// The status, when the server answered.
        status: Option<u16>,
        /// What went wrong.
        error: String,
        /// The server's `Retry-After`, seconds.
        retry_after: Option<i64>,
    },
    /// Refused for good.
    Permanent {
        /// The status, when the server answered.
        status: Option<u16>,
        /// Why (for a 409, the server's reason).
        error: String,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_with_jitter_and_caps() {
        let p = RetryPolicy::default();
        assert_eq!(p.delay(1, 1.0), 30);
        assert_eq!(p.delay(1, 0.0), 15);
        assert_eq!(p.delay(2, 1.0), 60);
        assert_eq!(p.delay(3, 1.0), 120);
        assert_eq!(p.delay(40, 1.0), 6 * 3600);
        for _ in 0..100 {
            let j = jitter();
            assert!((0.0..=1.0).contains(&j));
            let d = p.delay(4, j);
            assert!((120..=240).contains(&d), "{d}");
        }
    }

    #[test]
    fn ids_are_uuid_v4() {
        let a = new_id().unwrap();
        let b = new_id().unwrap();
        assert_ne!(a, b);
        assert_eq!(a.len(), 36);
        assert_eq!(a.as_bytes()[14], b'4');
    }
}
