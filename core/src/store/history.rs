//! The `history` table. Numbers are integers (E.164 digits), so the
//! repeat-caller count is one indexed range scan; a withheld caller's number is
//! NULL. Deletes overwrite the freed pages (`PRAGMA secure_delete`) and
//! checkpoint the WAL, so a deleted call is gone from the file.

use crate::error::Result;
use crate::history::{HistoryEntry, HistoryFilter, NewEntry, VerificationSnapshot};
use crate::identification::verification::{
    Attestation, Failure, Signer, VerificationSource, VerificationStatus,
};
use crate::presentation::{Indication, Presentation};
use crate::reaction::Action;
use crate::reason::{Reason, ReasonCode};
use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, Value as SqlValue, ValueRef};
use rusqlite::{params, params_from_iter, Connection, OptionalExtension, Row, Transaction};
use serde_json::{json, Value};

/// E.164 text to the integer stored (`None` when not `+digits`).
pub fn number_key(e164: &str) -> Option<i64> {
    let d = e164.strip_prefix('+')?;
    if d.is_empty() || d.len() > 15 || !d.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    d.parse().ok()
}

/// A stable string column read back as its enum: a value this build does not
/// know (written by a newer one) is a conversion error, not a guess.
struct Stable<T>(T);

macro_rules! stable_column {
    ($($t:ty),*) => {$(
        impl FromSql for Stable<$t> {
            fn column_result(v: ValueRef<'_>) -> FromSqlResult<Self> {
                let text = v.as_str()?;
                <$t>::parse(text).map(Stable).ok_or_else(|| FromSqlError::Other(
                    format!("unknown {} {text:?}", stringify!($t)).into(),
                ))
            }
        }
    )*};
}
stable_column!(
    Presentation,
    Indication,
    Action,
    VerificationStatus,
    VerificationSource,
    Attestation,
    ReasonCode
);

fn reasons_json(reasons: &[Reason]) -> String {
    Value::Array(
        reasons
            .iter()
            .map(|r| json!({"code": r.code.as_str(), "detail": r.detail, "weight": r.weight}))
            .collect(),
    )
    .to_string()
}

/// The stored reasons; a code this build does not know is left out.
fn reasons_from(text: &str) -> Vec<Reason> {
    let Ok(Value::Array(items)) = serde_json::from_str::<Value>(text) else {
        return Vec::new();
    };
    items
        .iter()
        .filter_map(|r| {
            Some(Reason {
                code: ReasonCode::parse(r.get("code")?.as_str()?)?,
                detail: r.get("detail")?.as_str()?.to_string(),
                weight: u8::try_from(r.get("weight")?.as_u64()?).ok()?,
            })
        })
        .collect()
}

/// Insert one entry; returns its id. The statement is cached on the connection.
///
/// # Errors
/// [`crate::Error::Storage`] when the database fails.
pub fn insert(tx: &Transaction<'_>, e: &NewEntry) -> Result<i64> {
    let v = &e.verification;
    let rules = Value::from(e.rules.clone()).to_string();
    let mut stmt = tx.prepare_cached(
        "INSERT INTO history (time, call_id, calling_num, called, presentation, status, attestation,
             source, signer_spc, signer_subject, signer_delegate, failure_code, failure_reason, verstat,
             indication, action, score, reasons, rules, flagged, reviewed, line)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, 0, ?21)",
    )?;
    stmt.execute(params![
        e.time,
        e.call_id,
        e.calling.as_deref().and_then(number_key),
        e.called,
        e.presentation.as_str(),
        v.status.as_str(),
        v.attestation.map(Attestation::as_str),
        v.source.map(VerificationSource::as_str),
        v.signer.as_ref().and_then(|s| s.spc.clone()),
        v.signer.as_ref().map(|s| s.subject.clone()),
        v.signer.as_ref().map(|s| s.delegate),
        v.failure.map(|f| f.code),
        v.failure.map(|f| f.reason.as_str()),
        v.verstat,
        e.indication.as_str(),
        e.action.as_str(),
        e.score,
        reasons_json(&e.reasons),
        rules,
        e.flagged(),
        e.line,
    ])?;
    Ok(tx.last_insert_rowid())
}

fn verification_from(r: &Row<'_>) -> rusqlite::Result<VerificationSnapshot> {
    let subject: Option<String> = r.get("signer_subject")?;
    let failure_code: Option<u16> = r.get("failure_code")?;
    let failure_reason: Option<Stable<ReasonCode>> = r.get("failure_reason")?;
    Ok(VerificationSnapshot {
        status: r.get::<_, Stable<_>>("status")?.0,
        attestation: r.get::<_, Option<Stable<_>>>("attestation")?.map(|a| a.0),
        source: r.get::<_, Option<Stable<_>>>("source")?.map(|s| s.0),
        signer: match subject {
            Some(subject) => Some(Signer {
                spc: r.get("signer_spc")?,
                subject,
                delegate: r
                    .get::<_, Option<bool>>("signer_delegate")?
                    .unwrap_or(false),
            }),
            None => None,
        },
        failure: match (failure_code, failure_reason) {
            (Some(code), Some(reason)) => Some(Failure {
                code,
                reason: reason.0,
            }),
            _ => None,
        },
        verstat: r.get("verstat")?,
    })
}

fn from_row(r: &Row<'_>) -> rusqlite::Result<HistoryEntry> {
    let reasons: String = r.get("reasons")?;
    let rules: String = r.get("rules")?;
    Ok(HistoryEntry {
        id: r.get("id")?,
        reviewed: r.get("reviewed")?,
        entry: NewEntry {
            time: r.get("time")?,
            call_id: r.get("call_id")?,
            calling: r
                .get::<_, Option<i64>>("calling_num")?
                .map(|n| format!("+{n}")),
            called: r.get("called")?,
            presentation: r.get::<_, Stable<_>>("presentation")?.0,
            verification: verification_from(r)?,
            indication: r.get::<_, Stable<_>>("indication")?.0,
            action: r.get::<_, Stable<_>>("action")?.0,
            score: r.get("score")?,
            reasons: reasons_from(&reasons),
            rules: serde_json::from_str::<Vec<i64>>(&rules).unwrap_or_default(),
            line: r.get("line")?,
        },
    })
}

/// One entry.
///
/// # Errors
/// [`crate::Error::Storage`] when the database fails.
pub fn get(conn: &Connection, id: i64) -> Result<Option<HistoryEntry>> {
    Ok(conn
        .query_row("SELECT * FROM history WHERE id = ?1", [id], from_row)
        .optional()?)
}

/// Entries matching `filter`, newest first.
///
/// # Errors
/// [`crate::Error::Storage`] when the database fails.
pub fn list(conn: &Connection, filter: &HistoryFilter) -> Result<Vec<HistoryEntry>> {
    let mut sql = String::from("SELECT * FROM history WHERE 1");
    let mut args: Vec<SqlValue> = Vec::new();
    if let Some(s) = filter.since {
        sql.push_str(" AND time >= ?");
        args.push(SqlValue::Integer(s));
    }
    if let Some(u) = filter.until {
        sql.push_str(" AND time < ?");
        args.push(SqlValue::Integer(u));
    }
    if !filter.indications.is_empty() {
        sql.push_str(" AND indication IN (");
        sql.push_str(&vec!["?"; filter.indications.len()].join(", "));
        sql.push(')');
        args.extend(
            filter
                .indications
                .iter()
                .map(|i| SqlValue::Text(i.as_str().to_string())),
        );
    }
    if filter.unreviewed_only {
        sql.push_str(" AND reviewed = 0");
    }
    if filter.flagged_only {
        sql.push_str(" AND flagged = 1");
    }
    sql.push_str(" ORDER BY time DESC, id DESC");
    if let Some(l) = filter.limit {
        sql.push_str(" LIMIT ?");
        args.push(SqlValue::Integer(i64::from(l)));
    }
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map(params_from_iter(args), from_row)?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// Mark entries reviewed; returns how many existed.
///
/// # Errors
/// [`crate::Error::Storage`] when the database fails.
pub fn mark_reviewed(conn: &Transaction<'_>, ids: &[i64]) -> Result<usize> {
    let mut stmt = conn.prepare_cached("UPDATE history SET reviewed = 1 WHERE id = ?1")?;
    let mut n = 0;
    for id in ids {
        n += stmt.execute([id])?;
    }
    Ok(n)
}

/// Best effort: copy the WAL into the database and truncate it, so deleted
/// rows do not linger in the log. Skipped while another connection reads.
pub fn checkpoint(conn: &Connection) {
    if let Err(e) = conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(())) {
        log::debug!("checkpoint after delete skipped: {e}");
    }
}

/// Delete entries (overwriting them on disk); returns how many existed.
///
/// # Errors
/// [`crate::Error::Storage`] when the database fails.
pub fn delete(conn: &Transaction<'_>, ids: &[i64]) -> Result<usize> {
    let mut stmt = conn.prepare_cached("DELETE FROM history WHERE id = ?1")?;
    let mut n = 0;
    for id in ids {
        n += stmt.execute([id])?;
    }
    Ok(n)
}

/// Delete every entry (overwriting them on disk); returns how many.
///
/// # Errors
/// [`crate::Error::Storage`] when the database fails.
pub fn delete_all(conn: &Transaction<'_>) -> Result<usize> {
    Ok(conn.execute("DELETE FROM history", [])?)
}

/// Delete entries older than `cutoff` (retention); returns how many. Costs one
/// index probe when there is nothing to delete.
///
/// # Errors
/// [`crate::Error::Storage`] when the database fails.
pub fn purge(conn: &Transaction<'_>, cutoff: i64) -> Result<usize> {
    let any: bool = conn
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM history WHERE time < ?1)")?
        .query_row([cutoff], |r| r.get(0))?;
    if !any {
        return Ok(0);
    }
    Ok(conn.execute("DELETE FROM history WHERE time < ?1", [cutoff])?)
}

/// Flagged (spoofed or blocked) entries not reviewed, recorded after `since`.
///
/// # Errors
/// [`crate::Error::Storage`] when the database fails.
pub fn notice_count(conn: &Connection, since: i64) -> Result<u64> {
    let n: i64 = conn.query_row(
        "SELECT count(*) FROM history WHERE flagged = 1 AND reviewed = 0 AND time > ?1",
        [since],
        |r| r.get(0),
    )?;
    Ok(u64::try_from(n).unwrap_or(0))
}

/// Repeat-caller counts stop here, so a number that called thousands of times
/// costs no more to count than one that called a hundred times.
pub const MAX_RECENT_COUNT: u32 = 100;

/// Calls recorded from `e164` at or after `since`, at most
/// [`MAX_RECENT_COUNT`] (a bounded scan of the `(calling_num, time)` index).
///
/// # Errors
/// [`crate::Error::Storage`] when the database fails.
pub fn calls_from(conn: &Connection, e164: &str, since: i64) -> Result<u32> {
    let Some(key) = number_key(e164) else {
        return Ok(0);
    };
    let n: i64 = conn
        .prepare_cached(
            "SELECT count(*) FROM (SELECT 1 FROM history WHERE calling_num = ?1 AND time >= ?2 LIMIT ?3)",
        )?
        .query_row(params![key, since, MAX_RECENT_COUNT], |r| r.get(0))?;
    Ok(u32::try_from(n).unwrap_or(u32::MAX))
}

/// `(calling number key, time)` of every call recorded at or after `since`,
/// oldest first (the repeat-caller counts a screener keeps in memory).
///
/// # Errors
/// [`crate::Error::Storage`] when the database fails.
pub fn recent_calls(conn: &Connection, since: i64) -> Result<Vec<(i64, i64)>> {
    let mut stmt = conn.prepare(
        "SELECT calling_num, time FROM history WHERE calling_num IS NOT NULL AND time >= ?1 ORDER BY time",
    )?;
    let rows = stmt.query_map([since], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}
