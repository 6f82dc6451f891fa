//! The crate's error type: everything that stops a call from getting a verdict.
//!
//! A PASSporT that fails verification is *not* an error: it is a verdict with a
//! failure reason (see [`crate::identification::verification`]). Errors are for input that cannot be
//! screened at all (not a SIP request, over a size limit), for configuration, and
//! for storage.

use crate::limits::Limit;

/// Why an operation could not be carried out.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The input is over one of the size limits of [`crate::limits`].
    #[error("input over the {limit} limit ({actual} > {max})")]
    TooLarge {
        /// Which limit.
        limit: Limit,
        /// The size or count seen.
        actual: usize,
        /// The limit.
        max: usize,
    },
    /// The input is not a SIP request we can screen (RFC 3261 §7.1).
    #[error("not a SIP request: {0}")]
    NotSipRequest(String),
    /// A configuration value is unusable (a trust anchor that is not a certificate,
    /// an own number that is not a telephone number, ...).
    #[error("invalid configuration: {0}")]
    Config(String),
    /// An argument is unusable (a number that is not a telephone number, ...).
    #[error("invalid input: {0}")]
    InvalidInput(String),
    /// The database failed.
    #[error("storage: {0}")]
    Storage(#[from] rusqlite::Error),
    /// The database file was written by a newer version of callscreen.
    #[error("database schema version {found} is newer than this build's {supported}")]
    SchemaTooNew {
        /// `PRAGMA user_version` found in the file.
        found: u32,
        /// The newest version this build knows.
        supported: u32,
    },
    /// An internal lock was poisoned by a panic on another thread.
    #[error("internal state poisoned")]
    Poisoned,
}

/// `Result` with [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl<T> From<std::sync::PoisonError<T>> for Error {
    fn from(_: std::sync::PoisonError<T>) -> Self {
        Error::Poisoned
    }
}
