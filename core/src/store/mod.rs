//! Every SQL statement of the crate, and the connections that run them.
//!
//! One SQLite file per screener, shared by several processes (the iOS app and
//! its extensions, an Android app and its jobs): WAL, `temp_store = 2`
//! (Android has no temp directory), foreign keys, `secure_delete` (a deleted
//! call is overwritten), busy timeouts; migrations by `PRAGMA user_version`
//! ([`schema`]), each upgrade in one `IMMEDIATE` transaction; a file from a
//! newer build is refused.
//!
//! [`Store`] holds three connections, one per role, so the ringing path never
//! waits behind the UI or a background job:
//! - **ringing** ([`Store::ringing`], [`Store::record`]): what `screen` reads
//!   (stored chains, rule conditions) and its history write; a short busy
//!   timeout ([`RECORD_BUSY_TIMEOUT_MS`]): a busy file costs the call its history
//!   row, never its verdict time;
//! - **writer** ([`Store::write`]): every other write (rules, settings,
//!   reports, the outbox, imports), each one `IMMEDIATE` transaction, with
//!   `synchronous = FULL` so what the user was told is stored survives a power
//!   cut too;
//! - **reader** ([`Store::read`]): what the UI lists (history pages, rules,
//!   the outbox), opened at its first use.
//!
//! No pragma is changed after open. Functions that write take a
//! [`Transaction`]; the per-table modules hold the statements.
//!
//! An in-memory store (no file: the CLI without `--db`, tests) cannot be shared
//! between connections, so there one connection serves all three roles.

pub mod certificates;
pub mod history;
pub mod operator_lists;
pub mod outbox;
pub mod rules;
pub mod schema;
pub mod settings;

pub use certificates::{
    certificate_added_at, get_certificate, purge_expired_certificates, put_certificate,
};
pub use schema::{migrate, CURRENT_VERSION, SCHEMA_V1};

use crate::error::{Error, Result};
use rusqlite::{Connection, ErrorCode, Transaction, TransactionBehavior};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

/// How long a writer or reader waits for another process's lock, milliseconds.
pub const BUSY_TIMEOUT_MS: u64 = 5_000;
/// How long the ringing path waits for another process's write lock, ms.
pub const RECORD_BUSY_TIMEOUT_MS: u64 = 250;

type Shared = Arc<Mutex<Connection>>;

/// The database of one screener: its file and its three connections.
pub struct Store {
    path: Option<PathBuf>,
    writer: Shared,
    ringing: Shared,
    reader: OnceLock<Shared>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("path", &self.path).finish()
    }
}

/// Which connection, and so which pragmas.
#[derive(Clone, Copy)]
enum Role {
    Writer,
    Ringing,
    Reader,
}

fn connect(path: Option<&Path>, role: Role) -> Result<Connection> {
    let conn = match path {
        Some(p) => Connection::open(p)?,
        None => Connection::open_in_memory()?,
    };
    let busy = match role {
        Role::Ringing => RECORD_BUSY_TIMEOUT_MS,
        Role::Writer | Role::Reader => BUSY_TIMEOUT_MS,
    };
    conn.busy_timeout(Duration::from_millis(busy))?;
    // journal_mode returns a row; WAL is refused for in-memory databases (memory).
    let _mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
    let synchronous = match role {
        Role::Writer => "FULL",
        Role::Ringing | Role::Reader => "NORMAL",
    };
    conn.execute_batch(&format!(
        "PRAGMA temp_store = 2;
         PRAGMA foreign_keys = ON;
         PRAGMA secure_delete = ON;
         PRAGMA synchronous = {synchronous};"
    ))?;
    Ok(conn)
}

impl Store {
    /// Open (creating if needed) and migrate the database at `path`; `None`
    /// opens an in-memory database.
    ///
    /// # Errors
    /// [`Error::Storage`] when SQLite fails (unreadable or corrupt file),
    /// [`Error::SchemaTooNew`] for a file from a newer build.
    pub fn open(path: Option<&Path>) -> Result<Store> {
        let mut writer = connect(path, Role::Writer)?;
        migrate(&mut writer)?;
        let writer = Arc::new(Mutex::new(writer));
        let (ringing, reader) = match path {
            Some(p) => (
                Arc::new(Mutex::new(connect(Some(p), Role::Ringing)?)),
                OnceLock::new(),
            ),
            None => (writer.clone(), OnceLock::from(writer.clone())),
        };
        Ok(Store {
            path: path.map(Path::to_path_buf),
            writer,
            ringing,
            reader,
        })
    }

    /// [`Store::open`], and when the file turns out corrupt, move it (with its
    /// `-wal` and `-shm` files) aside to `<path>.corrupt-<now>` and start a new
    /// database there. Returns the store and, after a recovery, where the old
    /// file went: the dialer keeps screening (with the configured policy and no
    /// user lists) rather than failing every call, and the old file stays for
    /// support.
    ///
    /// # Errors
    /// As [`Store::open`]; the corruption error itself when the file cannot be
    /// moved aside.
    pub fn open_or_start_fresh(path: &Path, now: i64) -> Result<(Store, Option<PathBuf>)> {
        match Store::open(Some(path)) {
            Ok(store) => Ok((store, None)),
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
                Ok((Store::open(Some(path))?, Some(aside)))
            }
            Err(e) => Err(e),
        }
    }

    /// The database file, `None` in memory.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// Run `f` in one `IMMEDIATE` transaction on the writer connection and
    /// commit; nothing is written when `f` fails.
    ///
    /// # Errors
    /// What `f` returns; [`Error::Storage`] when SQLite fails.
    pub fn write<T>(&self, f: impl FnOnce(&Transaction<'_>) -> Result<T>) -> Result<T> {
        let mut conn = self.writer.lock()?;
        in_transaction(&mut conn, f)
    }

    /// Run `f` on the writer connection outside a transaction, for what SQLite
    /// cannot do inside one (a WAL checkpoint).
    ///
    /// # Errors
    /// What `f` returns.
    pub fn with_writer<T>(&self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        f(&*self.writer.lock()?)
    }

    /// Run `f` on the reader connection (the UI's lists).
    ///
    /// # Errors
    /// What `f` returns; [`Error::Storage`] when the connection cannot be opened.
    pub fn read<T>(&self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        let reader = match self.reader.get() {
            Some(r) => r,
            None => {
                let conn = connect(self.path.as_deref(), Role::Reader)?;
                // Another thread may have won the race; either connection is fine.
                let _ = self.reader.set(Arc::new(Mutex::new(conn)));
                self.reader.get().ok_or(Error::Poisoned)?
            }
        };
        f(&*reader.lock()?)
    }

    /// Run `f` on the ringing path's connection (reads while a call rings).
    ///
    /// # Errors
    /// What `f` returns.
    pub fn ringing<T>(&self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        f(&*self.ringing.lock()?)
    }

    /// Run `f` in one `IMMEDIATE` transaction on the ringing path's connection
    /// (recording a screened call), waiting at most [`RECORD_BUSY_TIMEOUT_MS`]
    /// for another process's lock.
    ///
    /// # Errors
    /// What `f` returns; [`Error::Storage`] when SQLite fails or stays busy.
    pub fn record<T>(&self, f: impl FnOnce(&Transaction<'_>) -> Result<T>) -> Result<T> {
        let mut conn = self.ringing.lock()?;
        in_transaction(&mut conn, f)
    }
}

fn in_transaction<T>(
    conn: &mut Connection,
    f: impl FnOnce(&Transaction<'_>) -> Result<T>,
) -> Result<T> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let value = f(&tx)?;
    tx.commit()?;
    Ok(value)
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
