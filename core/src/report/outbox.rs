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
use rusqlite::{params, Connection, OptionalExtension, Row, TransactionBehavior};

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
        use crate::history::entry::rfc3339;
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

/// Queue an item, due now.
///
/// # Errors
/// [`Error::Storage`] when the database fails.
pub fn enqueue(conn: &Connection, item: &NewItem<'_>, now: i64) -> Result<()> {
    conn.execute(
        "INSERT INTO outbox (id, kind, op, body, history_id, target, rule_id, state, attempts,
                             created_at, window_start, next_attempt_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'pending', 0, ?8, ?8, ?8)",
        params![
            item.id,
            item.kind,
            item.op.as_str(),
            item.body,
            item.history_id,
            item.target,
            item.rule_id,
            now
        ],
    )?;
    Ok(())
}

const COLUMNS: &str = "id, kind, op, state, attempts, created_at, next_attempt_at, delivered_at,
                       last_status, last_error, history_id, target, rule_id";

fn item_from(r: &Row<'_>) -> rusqlite::Result<OutboxItem> {
    let op: String = r.get("op")?;
    let state: String = r.get("state")?;
    Ok(OutboxItem {
        id: r.get("id")?,
        kind: r.get("kind")?,
        op: OutboxOp::parse(&op).unwrap_or(OutboxOp::Report),
        state: OutboxState::parse(&state).unwrap_or(OutboxState::Pending),
        attempts: r.get("attempts")?,
        created_at: r.get("created_at")?,
        next_attempt_at: r.get("next_attempt_at")?,
        delivered_at: r.get("delivered_at")?,
        last_status: r.get("last_status")?,
        last_error: r.get("last_error")?,
        history_id: r.get("history_id")?,
        target: r.get("target")?,
        rule_id: r.get("rule_id")?,
    })
}

/// Every item, oldest first.
///
/// # Errors
/// [`Error::Storage`] when the database fails.
pub fn list(conn: &Connection) -> Result<Vec<OutboxItem>> {
    list_all(conn)
}

/// When a delivery pass next has work, seconds since the epoch: the earliest a
/// pending item is due, or a claimed one's lease runs out; `None` when nothing
/// waits (everything delivered or failed for good). The app schedules its
/// background delivery for then.
///
/// # Errors
/// [`crate::Error::Storage`] when the database fails.
pub fn next_due(conn: &Connection, policy: &RetryPolicy) -> Result<Option<i64>> {
    Ok(conn.query_row(
        "SELECT MIN(t) FROM (
             SELECT next_attempt_at AS t FROM outbox WHERE state = 'pending'
             UNION ALL
             SELECT claimed_at + ?1 FROM outbox WHERE state = 'sending')",
        [policy.lease_secs],
        |r| r.get(0),
    )?)
}

fn list_all(conn: &Connection) -> Result<Vec<OutboxItem>> {
    let mut stmt = conn.prepare(&format!("SELECT {COLUMNS} FROM outbox ORDER BY seq"))?;
    let rows = stmt.query_map([], item_from)?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// One item.
///
/// # Errors
/// [`Error::Storage`] when the database fails.
pub fn get(conn: &Connection, id: &str) -> Result<Option<OutboxItem>> {
    Ok(conn
        .query_row(
            &format!("SELECT {COLUMNS} FROM outbox WHERE id = ?1"),
            [id],
            item_from,
        )
        .optional()?)
}

/// Claim the oldest due item not in `skip`: pending and due at `now`, or
/// `sending` past its lease. Barring items wait for earlier unfinished items
/// on the same number, so a block and an unblock never swap. One `IMMEDIATE`
/// transaction, so two processes never claim the same item.
///
/// # Errors
/// [`Error::Storage`] when the database fails.
pub fn claim_next(
    conn: &mut Connection,
    now: i64,
    policy: &RetryPolicy,
    skip: &[String],
) -> Result<Option<Claimed>> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let candidates: Vec<(i64, String)> = {
        let mut stmt = tx.prepare_cached(
            "SELECT seq, id FROM outbox o
             WHERE ((state = 'pending' AND next_attempt_at <= ?1)
                    OR (state = 'sending' AND claimed_at <= ?2))
               AND (o.target IS NULL OR NOT EXISTS (
                    SELECT 1 FROM outbox p WHERE p.target = o.target AND p.seq < o.seq
                      AND p.state IN ('pending', 'sending')))
             ORDER BY seq LIMIT ?3",
        )?;
        let rows = stmt.query_map(
            params![now, now - policy.lease_secs, (skip.len() + 1) as i64],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        rows.collect::<rusqlite::Result<Vec<_>>>()?
    };
    let Some((seq, _)) = candidates.into_iter().find(|(_, id)| !skip.contains(id)) else {
        return Ok(None);
    };
    tx.execute(
        "UPDATE outbox SET state = 'sending', claimed_at = ?2, attempts = attempts + 1 WHERE seq = ?1",
        params![seq, now],
    )?;
    let claimed = tx.query_row(
        &format!("SELECT {COLUMNS}, body FROM outbox WHERE seq = ?1"),
        [seq],
        |r| {
            Ok(Claimed {
                item: item_from(r)?,
                body: r.get::<_, Option<Vec<u8>>>("body")?.unwrap_or_default(),
            })
        },
    )?;
    tx.commit()?;
    Ok(Some(claimed))
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

/// Record the outcome of an attempt on a claimed item; returns the new state.
///
/// # Errors
/// [`Error::Storage`] when the database fails.
pub fn finish(
    conn: &Connection,
    id: &str,
    outcome: &Outcome,
    now: i64,
    policy: &RetryPolicy,
    jitter: f64,
) -> Result<OutboxState> {
    match outcome {
        Outcome::Delivered { status } => {
            conn.execute(
                "UPDATE outbox SET state = 'delivered', delivered_at = ?2, last_status = ?3, last_error = NULL,
                        claimed_at = NULL WHERE id = ?1",
                params![id, now, status],
            )?;
            Ok(OutboxState::Delivered)
        }
        Outcome::Permanent { status, error } => {
            conn.execute(
                "UPDATE outbox SET state = 'failed', last_status = ?2, last_error = ?3, claimed_at = NULL WHERE id = ?1",
                params![id, status, error],
            )?;
            Ok(OutboxState::Failed)
        }
        Outcome::Retry {
            status,
            error,
            retry_after,
        } => {
            let (attempts, window_start): (u32, i64) = conn.query_row(
                "SELECT attempts, window_start FROM outbox WHERE id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?;
            let delay = policy
                .delay(attempts, jitter)
                .max(retry_after.unwrap_or(0).min(policy.max_delay_secs));
            let next = now.saturating_add(delay);
            let out_of_attempts = attempts >= policy.max_attempts;
            let too_old = next - window_start > policy.max_age_secs;
            if out_of_attempts || too_old {
                let why = if out_of_attempts {
                    format!("gave up after {attempts} attempts; last: {error}")
                } else {
                    format!(
                        "gave up after {} days; last: {error}",
                        policy.max_age_secs / 86_400
                    )
                };
                conn.execute(
                    "UPDATE outbox SET state = 'failed', last_status = ?2, last_error = ?3, claimed_at = NULL WHERE id = ?1",
                    params![id, status, why],
                )?;
                return Ok(OutboxState::Failed);
            }
            conn.execute(
                "UPDATE outbox SET state = 'pending', next_attempt_at = ?2, last_status = ?3, last_error = ?4,
                        claimed_at = NULL WHERE id = ?1",
                params![id, next, status, error],
            )?;
            Ok(OutboxState::Pending)
        }
    }
}

/// Put a failed item back in the queue, due now, with a fresh allowance of
/// attempts and age; false when there is no failed item with that id.
///
/// # Errors
/// [`Error::Storage`] when the database fails.
pub fn retry(conn: &Connection, id: &str, now: i64) -> Result<bool> {
    Ok(conn.execute(
        "UPDATE outbox SET state = 'pending', attempts = 0, window_start = ?2, next_attempt_at = ?2
         WHERE id = ?1 AND state = 'failed'",
        params![id, now],
    )? > 0)
}

/// Delete delivered items older than `cutoff`; returns how many.
///
/// # Errors
/// [`Error::Storage`] when the database fails.
pub fn purge_delivered(conn: &Connection, cutoff: i64) -> Result<usize> {
    Ok(conn.execute(
        "DELETE FROM outbox WHERE state = 'delivered' AND delivered_at < ?1",
        [cutoff],
    )?)
}

/// The latest barring item for a rule, if any (to decide whether an unblock
/// must reach the network).
///
/// # Errors
/// [`Error::Storage`] when the database fails.
pub fn barring_for_rule(conn: &Connection, rule_id: i64) -> Result<Option<OutboxItem>> {
    Ok(conn
        .query_row(
            &format!("SELECT {COLUMNS} FROM outbox WHERE rule_id = ?1 AND op = 'bar' ORDER BY seq DESC LIMIT 1"),
            [rule_id],
            item_from,
        )
        .optional()?)
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
