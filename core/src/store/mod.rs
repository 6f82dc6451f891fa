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

use crate::error::{Error, Result};
use rusqlite::{Connection, ErrorCode};
use std::path::{Path, PathBuf};

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

/// True when SQLite says the file is not a usable database: not a database at
/// all (`SQLITE_NOTADB`) or a damaged one (`SQLITE_CORRUPT`).
pub fn is_corrupt(e: &Error) -> bool {
    matches!(
        e,
        Error::Storage(rusqlite::Error::SqliteFailure(f, _))
            if matches!(f.code, ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt)
    )
}

/// [`open`], and when the file turns out corrupt, move it (with its `-wal` and
/// `-shm` files) aside to `<path>.corrupt-<now>` and start a new database there.
/// Returns the connection and, after a recovery, where the old file went: the
/// dialer keeps screening (with the configured policy and no user lists) rather
/// than failing every call, and the old file stays for support.
///
/// # Errors
/// As [`open`]; the corruption error itself when the file cannot be moved aside.
pub fn open_or_start_fresh(path: &Path, now: i64) -> Result<(Connection, Option<PathBuf>)> {
    match open(Some(path)) {
        Ok(conn) => Ok((conn, None)),
        Err(e) if is_corrupt(&e) => {
            let aside = PathBuf::from(format!("{}.corrupt-{now}", path.display()));
            if let Err(io) = std::fs::rename(path, &aside) {
                log::error!("database unreadable ({e}) and cannot be moved aside: {io}");
                return Err(e);
            }
            log::error!("database unreadable ({e}); moved aside, starting a new one");
            for suffix in ["-wal", "-shm"] {
                let side = PathBuf::from(format!("{}{suffix}", path.display()));
                if side.exists() {
                    let to = PathBuf::from(format!("{}{suffix}", aside.display()));
                    let _ = std::fs::rename(&side, to);
                }
            }
            Ok((open(Some(path))?, Some(aside)))
        }
        Err(e) => Err(e),
    }
}
