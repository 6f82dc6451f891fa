//! What a screener keeps in memory about the history, so screening a call
//! reads no history row: the settings and the last day's calls per number.

use super::{HistoryMode, DEFAULT_RETENTION_DAYS, PURGE_INTERVAL_SECS, RECENT_WINDOW_SECS};
use crate::error::Result;
use crate::store::{history, settings, Store};
use std::collections::HashMap;
use std::sync::atomic::{AtomicI64, AtomicU8, Ordering};
use std::sync::Mutex;

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
    pub fn load(store: &Store, now: i64) -> Result<HistoryState> {
        let (mode, retention) = store.read(|c| {
            Ok((
                settings::get(c, settings::HISTORY_MODE_KEY)?,
                settings::get(c, settings::HISTORY_RETENTION_KEY)?,
            ))
        })?;
        let mode = mode
            .and_then(|m| HistoryMode::parse(&m))
            .unwrap_or_default();
        let retention = retention
            .and_then(|d| d.parse::<i64>().ok())
            .filter(|d| *d > 0)
            .unwrap_or(DEFAULT_RETENTION_DAYS);
        let state = HistoryState {
            mode: AtomicU8::new(mode.to_u8()),
            retention_days: AtomicI64::new(retention),
            last_purge: AtomicI64::new(i64::MIN),
            recent: Mutex::new(HashMap::new()),
        };
        if let Some(cutoff) = state.purge_due(now) {
            store.write(|tx| history::purge(tx, cutoff))?;
        }
        state.reload_recent(store, now)?;
        Ok(state)
    }

    /// Re-read the last day's calls per number (after a delete).
    ///
    /// # Errors
    /// [`crate::Error::Storage`] when the database fails.
    pub fn reload_recent(&self, store: &Store, now: i64) -> Result<()> {
        let mut map: HashMap<i64, Vec<i64>> = HashMap::new();
        for (num, t) in store.read(|c| history::recent_calls(c, now - RECENT_WINDOW_SECS))? {
            push_capped(map.entry(num).or_default(), t);
        }
        *self.recent.lock()? = map;
        Ok(())
    }

    /// Note a recorded call from `number` (E.164) at `time`.
    pub fn note_call(&self, number: &str, time: i64) {
        if let (Some(key), Ok(mut map)) = (history::number_key(number), self.recent.lock()) {
            push_capped(map.entry(key).or_default(), time);
        }
    }

    /// Recorded calls from `number` (E.164) at or after `now` − 24 h, at most
    /// [`RECENT_PER_NUMBER`].
    pub fn recent_count(&self, number: &str, now: i64) -> u32 {
        let since = now - RECENT_WINDOW_SECS;
        match (history::number_key(number), self.recent.lock()) {
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

    /// When the last purge is older than [`PURGE_INTERVAL_SECS`] (or `now`
    /// went backwards): the cutoff to purge before (entries older than the
    /// retention), and the in-memory counts are trimmed; `None` otherwise.
    pub fn purge_due(&self, now: i64) -> Option<i64> {
        let last = self.last_purge.load(Ordering::Relaxed);
        if last != i64::MIN && now >= last && now - last < PURGE_INTERVAL_SECS {
            return None;
        }
        self.last_purge.store(now, Ordering::Relaxed);
        if let Ok(mut map) = self.recent.lock() {
            let since = now - RECENT_WINDOW_SECS;
            map.retain(|_, times| times.last().is_some_and(|t| *t >= since));
        }
        Some(now - self.retention_days() * 86_400)
    }
}

fn push_capped(times: &mut Vec<i64>, t: i64) {
    times.push(t);
    if times.len() > RECENT_PER_NUMBER {
        times.remove(0);
    }
}
