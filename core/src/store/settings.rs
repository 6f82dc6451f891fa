//! Small settings in the `setting` table (the policy as JSON, the time of the
//! last emergency call), read and written whole.

use crate::error::Result;
use rusqlite::{Connection, OptionalExtension, Transaction};

/// The stored policy (JSON of [`crate::reaction::Policy`]).
pub const POLICY_KEY: &str = "policy";
/// The last emergency call the app placed (seconds since the epoch).
pub const EMERGENCY_KEY: &str = "emergency_call_at";
/// The subscriber's public identity on Ut (XUI).
pub const UT_IDENTITY_KEY: &str = "ut_identity";
/// `off` stops queuing network-side barring for user blocks.
pub const NETWORK_BARRING_KEY: &str = "network_barring";
/// Which calls the history records ([`crate::history::HistoryMode`]).
pub const HISTORY_MODE_KEY: &str = "history_mode";
/// History retention, days.
pub const HISTORY_RETENTION_KEY: &str = "history_retention_days";
/// When the user last looked at the history (seconds since the epoch).
pub const HISTORY_SEEN_KEY: &str = "history_seen_at";
/// The last Call Directory version iOS accepted.
pub const CALL_DIRECTORY_VERSION_KEY: &str = "callkit_directory_version";

/// The value stored under `key`.
pub fn get(conn: &Connection, key: &str) -> Result<Option<String>> {
    Ok(conn
        .query_row("SELECT value FROM setting WHERE key = ?1", [key], |r| {
            r.get(0)
        })
        .optional()?)
}

/// Store `value` under `key`.
pub fn put(conn: &Transaction<'_>, key: &str, value: &str) -> Result<()> {
    conn.execute(
        "INSERT INTO setting (key, value) VALUES (?1, ?2)
         ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        [key, value],
    )?;
    Ok(())
}
