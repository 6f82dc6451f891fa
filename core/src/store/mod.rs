//! One SQLite database per screener: WAL, `temp_store = 2` (Android has no temp
//! directory), foreign keys, a busy timeout for the iOS app and its extensions
//! sharing the file; migrations by `PRAGMA user_version`, each upgrade in one
//! `IMMEDIATE` transaction; a file from a newer build is refused.

mod certificates;
mod schema;
pub mod settings;

pub use certificates::{
    certificate_added_at, get_certificate, purge_expired_certificates, put_certificate,
};
pub use schema::{migrate, CURRENT_VERSION, SCHEMA_V1};

use crate::error::Result;
use rusqlite::Connection;
use std::path::Path;

/// How long a writer waits for another process's lock, milliseconds.
pub const BUSY_TIMEOUT_MS: u64 = 5_000;

/// Open (creating if needed) and migrate the database at `path`; `None` opens an
/// in-memory database.
///
/// # Errors
/// [`crate::Error::Storage`] when SQLite fails (unreadable or corrupt file),
/// [`crate::Error::SchemaTooNew`] for a file from a newer build.
pub fn open(path: Option<&Path>) -> Result<Connection> {
    let mut conn = match path {
        Some(p) => Connection::open(p)?,
        None => Connection::open_in_memory()?,
    };
    conn.busy_timeout(std::time::Duration::from_millis(BUSY_TIMEOUT_MS))?;
    // journal_mode returns a row; WAL is refused for in-memory databases (memory).
    let _mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
    conn.execute_batch(
        "PRAGMA temp_store = 2;
         PRAGMA foreign_keys = ON;
         PRAGMA synchronous = NORMAL;",
    )?;
    migrate(&mut conn)?;
    Ok(conn)
}
