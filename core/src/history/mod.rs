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
//! - [`store`]: the SQL: record, list, review, delete (with `secure_delete`),
//!   the notice count, retention and repeat-caller counts.
//! - [`correction`]: what a correction asks for and what it did.
//! - [`unless_verified`]: the "block unless verified" condition a correction
//!   puts on a user block, so the real owner of a spoofed number still rings.
//!
//! Privacy: a withheld caller's number is never stored (the column is NULL);
//! deleted entries are overwritten on disk (`PRAGMA secure_delete`).

pub mod correction;
pub mod entry;
pub mod store;
pub mod unless_verified;

pub use correction::{BlockMode, Correction, NotSpoofedScope, ReportOffer};
pub use entry::{
    HistoryEntry, HistoryFilter, NewEntry, SignerSnapshot, StoredReason, VerificationSnapshot,
};

use crate::error::Result;
use crate::store::settings;
use rusqlite::Connection;
use std::collections::HashMap;
use std::sync::atomic::{AtomicI64, AtomicU8, Ordering};
use std::sync::Mutex;

/// Settings key of the recording mode (`all`, `flagged`, `off`).
pub const MODE_KEY: &str = "history_mode";
/// Settings key of the retention, days.
pub const RETENTION_KEY: &str = "history_retention_days";
/// Settings key of the time the user last looked at the history (notice count).
pub const SEEN_KEY: &str = "history_seen_at";
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

    fn to_u8(self) -> u8 {
        match self {
            HistoryMode::All => 0,
            HistoryMode::Flagged => 1,
            HistoryMode::Off => 2,
        }
    }

    fn from_u8(v: u8) -> HistoryMode {
        match v {
            0 => HistoryMode::All,
            2 => HistoryMode::Off,
            _ => HistoryMode::Flagged,
        }
    }
}

/// Recent calls kept per number for the repeat-caller count: at most this many
/// times each (the marker needs only to see its threshold reached).
pub const RECENT_PER_NUMBER: usize = 2 * crate::marking::REPEAT_CALLER_THRESHOLD as usize;

/// What a screener keeps in memory about the history, so screening a call costs
/// no database read: the settings (read at open, changed through the screener;
/// another process's change is seen at its next open) and the times of the
/// last day's recorded calls per number (loaded at open, updated as calls are
/// recorded, reloaded after deletes).
#[derive(Debug, Default)]
pub struct HistoryState {
    mode: AtomicU8,
    retention_days: AtomicI64,
    last_purge: AtomicI64,
    recent: Mutex<HashMap<i64, Vec<i64>>>,
}

impl HistoryState {
    /// Read the settings and purge entries past retention.
    ///
    /// # Errors
    /// [`crate::Error::Storage`] when the database fails.
    pub fn load(conn: &Connection, now: i64) -> Result<HistoryState> {
        let mode = settings::get(conn, MODE_KEY)?
            .and_then(|m| HistoryMode::parse(&m))
            .unwrap_or_default();
        let retention = settings::get(conn, RETENTION_KEY)?
            .and_then(|d| d.parse::<i64>().ok())
            .filter(|d| *d > 0)
            .unwrap_or(DEFAULT_RETENTION_DAYS);
        let state = HistoryState {
            mode: AtomicU8::new(mode.to_u8()),
            retention_days: AtomicI64::new(retention),
            last_purge: AtomicI64::new(i64::MIN),
            recent: Mutex::new(HashMap::new()),
        };
        state.purge_if_due(conn, now)?;
        state.reload_recent(conn, now)?;
        Ok(state)
    }

    /// Re-read the last day's calls per number (after a delete).
    ///
    /// # Errors
    /// [`crate::Error::Storage`] when the database fails.
    pub fn reload_recent(&self, conn: &Connection, now: i64) -> Result<()> {
        let mut map: HashMap<i64, Vec<i64>> = HashMap::new();
        let mut stmt = conn.prepare(
            "SELECT calling_num, time FROM history WHERE calling_num IS NOT NULL AND time >= ?1 ORDER BY time",
        )?;
        let rows = stmt.query_map([now - RECENT_WINDOW_SECS], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?))
        })?;
        for row in rows {
            let (num, t) = row?;
            push_capped(map.entry(num).or_default(), t);
        }
        *self.recent.lock()? = map;
        Ok(())
    }

    /// Note a recorded call from `number` (E.164) at `time`.
    pub fn note_call(&self, number: &str, time: i64) {
        if let (Some(key), Ok(mut map)) = (store::number_key(number), self.recent.lock()) {
            push_capped(map.entry(key).or_default(), time);
        }
    }

    /// Recorded calls from `number` (E.164) at or after `now` − 24 h, at most
    /// [`RECENT_PER_NUMBER`].
    pub fn recent_count(&self, number: &str, now: i64) -> u32 {
        let since = now - RECENT_WINDOW_SECS;
        match (store::number_key(number), self.recent.lock()) {
            (Some(key), Ok(map)) => map.get(&key).map_or(0, |times| {
                times.iter().filter(|t| **t >= since).count() as u32
            }),
            _ => 0,
        }
    }

    /// The recording mode.
    pub fn mode(&self) -> HistoryMode {
        HistoryMode::from_u8(self.mode.load(Ordering::Relaxed))
    }

    /// Set the recording mode in memory (the caller stores it).
    pub fn set_mode(&self, mode: HistoryMode) {
        self.mode.store(mode.to_u8(), Ordering::Relaxed);
    }

    /// The retention, days.
    pub fn retention_days(&self) -> i64 {
        self.retention_days.load(Ordering::Relaxed)
    }

    /// Set the retention in memory (the caller stores it).
    pub fn set_retention_days(&self, days: i64) {
        self.retention_days.store(days, Ordering::Relaxed);
    }

    /// Purge entries past retention when the last purge is older than
    /// [`PURGE_INTERVAL_SECS`] (or `now` went backwards); returns how many.
    ///
    /// # Errors
    /// [`crate::Error::Storage`] when the database fails.
    pub fn purge_if_due(&self, conn: &Connection, now: i64) -> Result<usize> {
        let last = self.last_purge.load(Ordering::Relaxed);
        if last != i64::MIN && now >= last && now - last < PURGE_INTERVAL_SECS {
            return Ok(0);
        }
        self.last_purge.store(now, Ordering::Relaxed);
        if let Ok(mut map) = self.recent.lock() {
            let since = now - RECENT_WINDOW_SECS;
            map.retain(|_, times| times.last().is_some_and(|t| *t >= since));
        }
        store::purge(conn, now - self.retention_days() * 86_400)
    }
}

fn push_capped(times: &mut Vec<i64>, t: i64) {
    times.push(t);
    if times.len() > RECENT_PER_NUMBER {
        times.remove(0);
    }
}
