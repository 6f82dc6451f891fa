//! Rules added one at a time (by the user, from feedback, or single operator
//! rules), in the `rule` table. Numbers are stored as integers (E.164 digits
//! never start with 0 after the `+`), never as TEXT keys.

use crate::error::{Error, Result};
use crate::marking::lists::{Effect, NewRule, Rule, RuleKind, RuleSource, VerificationClass};
use rusqlite::{params, Connection, OptionalExtension, Row, Transaction};

/// Limits on free text in rules.
pub const MAX_LABEL_CHARS: usize = 128;

fn digits_of(e164: &str) -> Result<(i64, i64)> {
    let d = e164.trim_start_matches('+');
    let n: i64 = d
        .parse()
        .map_err(|_| Error::InvalidInput(format!("{e164:?} is not E.164")))?;
    Ok((n, d.len() as i64))
}

fn e164_of(num: i64) -> String {
    format!("+{num}")
}

fn clean(text: &Option<String>) -> Option<String> {
    text.as_ref()
        .map(|t| {
            t.chars()
                .filter(|c| !c.is_control())
                .take(MAX_LABEL_CHARS)
                .collect::<String>()
        })
        .filter(|t| !t.trim().is_empty())
}

/// Insert a rule (already normalised); returns its id.
pub fn insert(conn: &Transaction<'_>, rule: &NewRule, now: i64) -> Result<i64> {
    let (num, num_digits, count, text): (Option<i64>, Option<i64>, Option<i64>, Option<String>) =
        match &rule.kind {
            RuleKind::Number(n) | RuleKind::Prefix(n) => {
                let (v, d) = digits_of(n)?;
                (Some(v), Some(d), None, None)
            }
            RuleKind::Range { start, count } => {
                let (v, d) = digits_of(start)?;
                (
                    Some(v),
                    Some(d),
                    Some(i64::try_from(*count).unwrap_or(i64::MAX)),
                    None,
                )
            }
            RuleKind::Country(cc) => (None, None, None, Some(cc.clone())),
            RuleKind::Verification(c) => (None, None, None, Some(c.as_str().to_string())),
            RuleKind::Withheld | RuleKind::Contact | RuleKind::Any => (None, None, None, None),
        };
    conn.execute(
        "INSERT INTO rule (kind, num, num_digits, count, text_value, effect, source, label, category,
                           starts_at, expires_at, line, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
        params![
            rule.kind.name(),
            num,
            num_digits,
            count,
            text,
            rule.effect.as_str(),
            rule.source.as_str(),
            clean(&rule.label),
            clean(&rule.category),
            rule.starts_at,
            rule.expires_at,
            rule.line,
            now
        ],
    )?;
    Ok(conn.last_insert_rowid())
}

/// Delete a rule; true when it existed.
pub fn delete(conn: &Transaction<'_>, id: i64) -> Result<bool> {
    Ok(conn.execute("DELETE FROM rule WHERE id = ?1", [id])? > 0)
}

/// Delete rules that expired before `now`; returns how many.
pub fn purge_expired(conn: &Transaction<'_>, now: i64) -> Result<usize> {
    Ok(conn.execute(
        "DELETE FROM rule WHERE expires_at IS NOT NULL AND expires_at <= ?1",
        [now],
    )?)
}

fn from_row(row: &Row<'_>) -> rusqlite::Result<Option<Rule>> {
    let kind: String = row.get("kind")?;
    let num: Option<i64> = row.get("num")?;
    let count: Option<i64> = row.get("count")?;
    let text: Option<String> = row.get("text_value")?;
    let kind = match (kind.as_str(), num, text) {
        ("number", Some(n), _) => RuleKind::Number(e164_of(n)),
        ("prefix", Some(n), _) => RuleKind::Prefix(e164_of(n)),
        ("range", Some(n), _) => RuleKind::Range {
            start: e164_of(n),
            count: count.and_then(|c| u64::try_from(c).ok()).unwrap_or(1),
        },
        ("country", _, Some(cc)) => RuleKind::Country(cc),
        ("verification", _, Some(c)) => match VerificationClass::parse(&c) {
            Some(c) => RuleKind::Verification(c),
            None => return Ok(None),
        },
        ("withheld", ..) => RuleKind::Withheld,
        ("contact", ..) => RuleKind::Contact,
        ("any", ..) => RuleKind::Any,
        _ => return Ok(None), // written by a newer build: skipped, not fatal
    };
    let effect: String = row.get("effect")?;
    let source: String = row.get("source")?;
    let (Some(effect), Some(source)) = (Effect::parse(&effect), RuleSource::parse(&source)) else {
        return Ok(None);
    };
    Ok(Some(Rule {
        id: row.get("id")?,
        created_at: row.get("created_at")?,
        unless_verified: row.get("unless_verified")?,
        rule: NewRule {
            kind,
            effect,
            source,
            label: row.get("label")?,
            category: row.get("category")?,
            starts_at: row.get("starts_at")?,
            expires_at: row.get("expires_at")?,
            line: row.get("line")?,
        },
    }))
}

/// Every stored rule, by id.
pub fn all(conn: &Connection) -> Result<Vec<Rule>> {
    let mut stmt = conn.prepare(
        "SELECT rule.*, COALESCE(c.unless_verified, 0) AS unless_verified
         FROM rule LEFT JOIN rule_condition c ON c.rule_id = rule.id ORDER BY rule.id",
    )?;
    let rows = stmt.query_map([], from_row)?;
    let mut out = Vec::new();
    for r in rows {
        if let Some(rule) = r? {
            out.push(rule);
        }
    }
    Ok(out)
}

/// Make block rule `rule_id` not apply to verified calls (the `rule_condition`
/// side table; see [`crate::marking::lists::unless_verified`]).
///
/// # Errors
/// [`crate::Error::Storage`] when the database fails (or there is no such rule).
pub fn set_unless_verified(tx: &Transaction<'_>, rule_id: i64) -> Result<()> {
    tx.execute(
        "INSERT INTO rule_condition (rule_id, unless_verified) VALUES (?1, 1)
         ON CONFLICT(rule_id) DO UPDATE SET unless_verified = 1",
        [rule_id],
    )?;
    Ok(())
}

/// Whether rule `rule_id` carries the "unless verified" condition.
///
/// # Errors
/// [`crate::Error::Storage`] when the database fails.
pub fn is_unless_verified(conn: &Connection, rule_id: i64) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT unless_verified FROM rule_condition WHERE rule_id = ?1")?
        .query_row([rule_id], |r| r.get::<_, bool>(0))
        .optional()?
        .unwrap_or(false))
}
