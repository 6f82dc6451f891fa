//! Spoofed-call history: what was screened, so the user can review it, correct
//! mistakes and report calls to the operator.
//!
//! Why it exists: a dialer shows a verdict for a few seconds while the phone
//! rings; afterwards the user needs to see which calls were judged spoofed or
//! unsolicited, tell callscreen when it was wrong ("not spoofed" becomes an
//! exception rule), and report calls. The same table gives the marker its
//! repeat-caller counts.
//!
//! - [`entry`]: one recorded call (time, Call-ID, numbers, presentation, the
//!   verification snapshot, indication, action, score, reasons, matched rules).
//! - [`state`]: what a screener keeps in memory (mode, retention, the last
//!   day's calls per number), so screening reads no history;
//! - [`correction`]: what a correction asks for and what it did ("block unless
//!   verified" lives with the lists: [`crate::marking::lists::unless_verified`]);
//! - the SQL (record, list, review, delete with `secure_delete`, the notice
//!   count, retention) is in [`crate::store::history`].
//!
//! Privacy: a withheld caller's number is never stored (the column is NULL);
//! deleted entries are overwritten on disk (`PRAGMA secure_delete`).

pub mod correction;
pub mod entry;
pub mod state;

pub use correction::{BlockMode, Correction, NotSpoofedScope, ReportOffer};
pub use entry::{HistoryEntry, HistoryFilter, NewEntry, VerificationSnapshot};
pub use state::HistoryState;
/// Default retention, days.
pub const DEFAULT_RETENTION_DAYS: i64 = 30;
/// Automatic purges run at most this often while screening, seconds.
pub const PURGE_INTERVAL_SECS: i64 = 3600;
/// The window of repeat-caller counts, seconds.
pub const RECENT_WINDOW_SECS: i64 = 24 * 3600;

/// Which screened calls are recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum HistoryMode {
    /// Every call.
    All,
    /// Only flagged calls: likely spam, failed verification, or not allowed to
    /// ring normally (blocked, silenced, sent to voicemail). The default.
    #[default]
    Flagged,
    /// Nothing.
    Off,
}

impl HistoryMode {
    /// `all`, `flagged` or `off`.
    pub fn as_str(self) -> &'static str {
        match self {
            HistoryMode::All => "all",
            HistoryMode::Flagged => "flagged",
            HistoryMode::Off => "off",
        }
    }

    /// Parse [`HistoryMode::as_str`].
    pub fn parse(s: &str) -> Option<HistoryMode> {
        match s {
            "all" => Some(HistoryMode::All),
            "flagged" => Some(HistoryMode::Flagged),
            "off" => Some(HistoryMode::Off),
            _ => None,
        }
    }

    pub(crate) fn to_u8(self) -> u8 {
        match self {
            HistoryMode::All => 0,
            HistoryMode::Flagged => 1,
            HistoryMode::Off => 2,
        }
    }

    pub(crate) fn from_u8(v: u8) -> HistoryMode {
        match v {
            0 => HistoryMode::All,
            2 => HistoryMode::Off,
            _ => HistoryMode::Flagged,
        }
    }
}
