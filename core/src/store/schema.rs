//! The schema, whole, and the upgrades from each earlier version.

use crate::error::{Error, Result};
use rusqlite::{Connection, TransactionBehavior};

/// The newest schema version this build knows.
pub const CURRENT_VERSION: u32 = 4;

/// The first schema, frozen: kept so tests can prove an old file upgrades.
pub const SCHEMA_V1: &str = "
CREATE TABLE certificate (
    x5u      TEXT PRIMARY KEY NOT NULL,
    chain    BLOB NOT NULL,
    added_at INTEGER NOT NULL
);
";

/// The version-2 tables (the certificate cache), for a new file; a new file then
/// gets each later version's tables, so the current schema is written down once.
const SCHEMA_V2: &str = "
CREATE TABLE certificate (
    x5u       TEXT PRIMARY KEY NOT NULL,
    chain     BLOB NOT NULL,
    added_at  INTEGER NOT NULL,
    not_after INTEGER
);
CREATE INDEX certificate_not_after ON certificate(not_after);
";

/// Tables added in version 3: list rules, operator list pointers, settings.
const V3_TABLES: &str = "
CREATE TABLE rule (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL,
    num         INTEGER,
    num_digits  INTEGER,
    count       INTEGER,
    text_value  TEXT,
    effect      TEXT NOT NULL,
    source      TEXT NOT NULL,
    label       TEXT,
    category    TEXT,
    starts_at   INTEGER,
    expires_at  INTEGER,
    line        INTEGER,
    created_at  INTEGER NOT NULL
);
CREATE TABLE operator_list (
    name        TEXT PRIMARY KEY NOT NULL,
    dir         TEXT NOT NULL,
    numbers     INTEGER NOT NULL,
    prefixes    INTEGER NOT NULL,
    imported_at INTEGER NOT NULL
);
CREATE TABLE setting (
    key   TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
);
";

/// Tables added in version 4: spoofed-call history, conditions on block rules
/// ("unless verified"), the report outbox.
const V4_TABLES: &str = "
CREATE TABLE history (
    id              INTEGER PRIMARY KEY,
    time            INTEGER NOT NULL,
    call_id         TEXT,
    calling_num     INTEGER,
    called          TEXT,
    presentation    TEXT NOT NULL,
    status          TEXT NOT NULL,
    attestation     TEXT,
    source          TEXT,
    signer_spc      TEXT,
    signer_subject  TEXT,
    signer_delegate INTEGER,
    failure_code    INTEGER,
    failure_reason  TEXT,
    verstat         TEXT,
    indication      TEXT NOT NULL,
    action          TEXT NOT NULL,
    score           INTEGER NOT NULL,
    reasons         TEXT NOT NULL,
    rules           TEXT NOT NULL,
    flagged         INTEGER NOT NULL,
    reviewed        INTEGER NOT NULL DEFAULT 0,
    line            INTEGER
);
CREATE INDEX history_time ON history(time);
CREATE INDEX history_calling ON history(calling_num, time) WHERE calling_num IS NOT NULL;
CREATE TABLE rule_condition (
    rule_id         INTEGER PRIMARY KEY REFERENCES rule(id) ON DELETE CASCADE,
    unless_verified INTEGER NOT NULL
);
CREATE TABLE outbox (
    seq             INTEGER PRIMARY KEY AUTOINCREMENT,
    id              TEXT NOT NULL UNIQUE,
    kind            TEXT NOT NULL,
    op              TEXT NOT NULL,
    body            BLOB,
    history_id      INTEGER,
    target          TEXT,
    rule_id         INTEGER,
    state           TEXT NOT NULL,
    attempts        INTEGER NOT NULL,
    created_at      INTEGER NOT NULL,
    window_start    INTEGER NOT NULL,
    next_attempt_at INTEGER NOT NULL,
    claimed_at      INTEGER,
    delivered_at    INTEGER,
    last_status     INTEGER,
    last_error      TEXT
);
CREATE INDEX outbox_due ON outbox(state, next_attempt_at);
CREATE INDEX outbox_target ON outbox(target) WHERE target IS NOT NULL;
";

fn upgrade_from(conn: &Connection, version: u32) -> Result<()> {
    match version {
        // v2: remember when a fetched chain expires, so it can be purged.
        1 => conn.execute_batch(
            "ALTER TABLE certificate ADD COLUMN not_after INTEGER;
             CREATE INDEX certificate_not_after ON certificate(not_after);",
        )?,
        // v3: local lists, operator list pointers, settings (policy, emergency).
        2 => conn.execute_batch(V3_TABLES)?,
        // v4: history, rule conditions, the report outbox.
        3 => conn.execute_batch(V4_TABLES)?,
        _ => {
            return Err(Error::Config(format!(
                "no upgrade from schema version {version}"
            )));
        }
    }
    Ok(())
}

/// Bring the database to [`CURRENT_VERSION`] in one `IMMEDIATE` transaction.
///
/// # Errors
/// [`Error::SchemaTooNew`] for a newer file; [`Error::Storage`] when SQLite fails.
pub fn migrate(conn: &mut Connection) -> Result<()> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let version: u32 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if version > CURRENT_VERSION {
        return Err(Error::SchemaTooNew {
            found: version,
            supported: CURRENT_VERSION,
        });
    }
    if version == CURRENT_VERSION {
        return Ok(());
    }
    if version == 0 {
        for part in [SCHEMA_V2, V3_TABLES, V4_TABLES] {
            tx.execute_batch(part)?;
        }
    } else {
        for v in version..CURRENT_VERSION {
            upgrade_from(&tx, v)?;
        }
    }
    tx.pragma_update(None, "user_version", CURRENT_VERSION)?;
    tx.commit()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn columns(conn: &Connection, table: &str) -> Vec<(String, String)> {
        let mut stmt = conn
            .prepare(&format!("PRAGMA table_info({table})"))
            .unwrap();
        stmt.query_map([], |r| Ok((r.get::<_, String>(1)?, r.get::<_, String>(2)?)))
            .unwrap()
            .collect::<std::result::Result<_, _>>()
            .unwrap()
    }

    fn indexes(conn: &Connection) -> Vec<String> {
        let mut stmt = conn
            .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name")
            .unwrap();
        stmt.query_map([], |r| r.get(0))
            .unwrap()
            .collect::<std::result::Result<_, _>>()
            .unwrap()
    }

    #[test]
    fn empty_file_and_first_schema_reach_the_same_schema() {
        let mut fresh = Connection::open_in_memory().unwrap();
        migrate(&mut fresh).unwrap();

        let mut old = Connection::open_in_memory().unwrap();
        old.execute_batch(SCHEMA_V1).unwrap();
        old.pragma_update(None, "user_version", 1).unwrap();
        old.execute(
            "INSERT INTO certificate (x5u, chain, added_at) VALUES ('https://a', x'00', 1)",
            [],
        )
        .unwrap();
        migrate(&mut old).unwrap();

        for conn in [&fresh, &old] {
            let v: u32 = conn
                .query_row("PRAGMA user_version", [], |r| r.get(0))
                .unwrap();
            assert_eq!(v, CURRENT_VERSION);
        }
        for table in [
            "certificate",
            "rule",
            "operator_list",
            "setting",
            "history",
            "rule_condition",
            "outbox",
        ] {
            assert_eq!(columns(&fresh, table), columns(&old, table), "{table}");
            assert!(!columns(&fresh, table).is_empty(), "{table}");
        }
        assert_eq!(indexes(&fresh), indexes(&old));
        let kept: i64 = old
            .query_row("SELECT count(*) FROM certificate", [], |r| r.get(0))
            .unwrap();
        assert_eq!(kept, 1, "the upgrade keeps existing rows");
    }

    #[test]
    fn newer_file_is_refused() {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.pragma_update(None, "user_version", CURRENT_VERSION + 1)
            .unwrap();
        assert!(matches!(
            migrate(&mut conn),
            Err(Error::SchemaTooNew { .. })
        ));
    }

    #[test]
    fn migrating_twice_is_a_no_op() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrate(&mut conn).unwrap();
        migrate(&mut conn).unwrap();
    }
}
