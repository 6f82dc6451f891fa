//! The `outbox` table: queuing, claiming with a lease, finishing, retrying
//! (the item's life is told in [`crate::reports::outbox`]).

use crate::error::Result;
use crate::reports::outbox::{
    Claimed, NewItem, OutboxItem, OutboxOp, OutboxState, Outcome, RetryPolicy,
};
use rusqlite::{params, Connection, OptionalExtension, Row, Transaction};

/// Queue an item, due now.
///
/// # Errors
/// [`crate::Error::Storage`] when the database fails.
pub fn enqueue(conn: &Transaction<'_>, item: &NewItem<'_>, now: i64) -> Result<()> {
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
/// [`crate::Error::Storage`] when the database fails.
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
/// [`crate::Error::Storage`] when the database fails.
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
/// [`crate::Error::Storage`] when the database fails.
pub fn claim_next(
    tx: &Transaction<'_>,
    now: i64,
    policy: &RetryPolicy,
    skip: &[String],
) -> Result<Option<Claimed>> {
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
    Ok(Some(claimed))
}

/// Record the outcome of an attempt on a claimed item; returns the new state.
///
/// # Errors
/// [`crate::Error::Storage`] when the database fails.
pub fn finish(
    conn: &Transaction<'_>,
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
/// [`crate::Error::Storage`] when the database fails.
pub fn retry(conn: &Transaction<'_>, id: &str, now: i64) -> Result<bool> {
    Ok(conn.execute(
        "UPDATE outbox SET state = 'pending', attempts = 0, window_start = ?2, next_attempt_at = ?2
         WHERE id = ?1 AND state = 'failed'",
        params![id, now],
    )? > 0)
}

/// Delete delivered items older than `cutoff`; returns how many.
///
/// # Errors
/// [`crate::Error::Storage`] when the database fails.
pub fn purge_delivered(conn: &Transaction<'_>, cutoff: i64) -> Result<usize> {
    Ok(conn.execute(
        "DELETE FROM outbox WHERE state = 'delivered' AND delivered_at < ?1",
        [cutoff],
    )?)
}

/// The latest barring item for a rule, if any (to decide whether an unblock
/// must reach the network).
///
/// # Errors
/// [`crate::Error::Storage`] when the database fails.
pub fn barring_for_rule(conn: &Connection, rule_id: i64) -> Result<Option<OutboxItem>> {
    Ok(conn
        .query_row(
            &format!("SELECT {COLUMNS} FROM outbox WHERE rule_id = ?1 AND op = 'bar' ORDER BY seq DESC LIMIT 1"),
            [rule_id],
            item_from,
        )
        .optional()?)
}

/// Withdraw an item never attempted (a barring whose rule was removed first).
///
/// # Errors
/// [`crate::Error::Storage`] when the database fails.
pub fn withdraw(tx: &Transaction<'_>, id: &str) -> Result<()> {
    tx.execute("DELETE FROM outbox WHERE id = ?1", [id])?;
    Ok(())
}

/// The stored body (a report document) of an item.
///
/// # Errors
/// [`crate::Error::Storage`] when the database fails.
pub fn body(conn: &Connection, id: &str) -> Result<Option<Vec<u8>>> {
    Ok(conn
        .query_row("SELECT body FROM outbox WHERE id = ?1", [id], |r| r.get(0))
        .optional()?)
}
