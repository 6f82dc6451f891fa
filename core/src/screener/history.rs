//! History administration: review, deletion, settings, and the corrections
//! a user makes ("not spoofed", "spoofed", "unsolicited", unblock), each one
//! transaction on the writer connection. Lists are read on the reader.

use super::Screener;
use crate::error::{Error, Result};
use crate::history::{
    BlockMode, Correction, HistoryEntry, HistoryFilter, HistoryMode, NotSpoofedScope, ReportOffer,
};
use crate::intake::number::region_of;
use crate::marking::lists::{Effect, NewRule, RuleKind, RuleSource};
use crate::reports::outbox::{self, NewItem, OutboxOp};
use crate::reports::{OutboxState, ReportKind};
use crate::store::{history as rows, outbox as queued, rules, settings};

impl Screener {
    // ---- review -------------------------------------------------------------

    /// Recorded calls matching `filter`, newest first.
    ///
    /// # Errors
    /// [`Error::Storage`] when the database fails.
    pub fn history(&self, filter: &HistoryFilter) -> Result<Vec<HistoryEntry>> {
        if let Some(cutoff) = self.history.purge_due(self.clock.now()) {
            self.store.write(|tx| rows::purge(tx, cutoff))?;
        }
        self.store.read(|c| rows::list(c, filter))
    }

    /// One recorded call.
    ///
    /// # Errors
    /// [`Error::Storage`] when the database fails.
    pub fn history_entry(&self, id: i64) -> Result<Option<HistoryEntry>> {
        self.store.read(|c| rows::get(c, id))
    }

    /// Mark entries reviewed; returns how many exist.
    ///
    /// # Errors
    /// [`Error::Storage`] when the database fails.
    pub fn mark_reviewed(&self, ids: &[i64]) -> Result<usize> {
        self.store.write(|tx| rows::mark_reviewed(tx, ids))
    }

    /// Delete entries, overwriting them on disk; returns how many existed.
    /// Queued reports keep what the user chose to send.
    ///
    /// # Errors
    /// [`Error::Storage`] when the database fails.
    pub fn delete_history(&self, ids: &[i64]) -> Result<usize> {
        let n = self.store.write(|tx| rows::delete(tx, ids))?;
        self.after_delete()?;
        Ok(n)
    }

    /// Delete every entry, overwriting them on disk; returns how many.
    ///
    /// # Errors
    /// [`Error::Storage`] when the database fails.
    pub fn clear_history(&self) -> Result<usize> {
        let n = self.store.write(rows::delete_all)?;
        self.after_delete()?;
        Ok(n)
    }

    /// New spoofed or blocked calls since the user last looked
    /// ([`Screener::history_seen`]) and not reviewed: "there was spoofed-call
    /// activity" when above zero.
    ///
    /// # Errors
    /// [`Error::Storage`] when the database fails.
    pub fn history_notice_count(&self) -> Result<u64> {
        self.store.read(|c| {
            let seen = settings::get(c, settings::HISTORY_SEEN_KEY)?
                .and_then(|v| v.parse::<i64>().ok())
                .unwrap_or(i64::MIN);
            rows::notice_count(c, seen)
        })
    }

    /// The user looked at the history: the notice count starts again from now.
    ///
    /// # Errors
    /// [`Error::Storage`] when the database fails.
    pub fn history_seen(&self) -> Result<()> {
        let now = self.clock.now();
        self.store
            .write(|tx| settings::put(tx, settings::HISTORY_SEEN_KEY, &now.to_string()))
    }

    /// Which calls are recorded.
    pub fn history_mode(&self) -> HistoryMode {
        self.history.mode()
    }

    /// Choose which calls are recorded (stored; other processes see it at their
    /// next open).
    ///
    /// # Errors
    /// [`Error::Storage`] when the database fails.
    pub fn set_history_mode(&self, mode: HistoryMode) -> Result<()> {
        self.store
            .write(|tx| settings::put(tx, settings::HISTORY_MODE_KEY, mode.as_str()))?;
        self.history.set_mode(mode);
        Ok(())
    }

    /// Keep entries this many days (1..=3650; default 30), and purge now.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] outside 1..=3650; [`Error::Storage`].
    pub fn set_history_retention_days(&self, days: i64) -> Result<()> {
        if !(1..=3650).contains(&days) {
            return Err(Error::InvalidInput("retention is 1..=3650 days".into()));
        }
        let cutoff = self.clock.now() - days * 86_400;
        self.store.write(|tx| {
            settings::put(tx, settings::HISTORY_RETENTION_KEY, &days.to_string())?;
            rows::purge(tx, cutoff)
        })?;
        self.history.set_retention_days(days);
        Ok(())
    }

    /// Delete entries past retention now; returns how many. (This also happens
    /// at open and, at most hourly, when calls are recorded or listed.)
    ///
    /// # Errors
    /// [`Error::Storage`] when the database fails.
    pub fn purge_history(&self) -> Result<usize> {
        let cutoff = self.clock.now() - self.history.retention_days() * 86_400;
        self.store.write(|tx| rows::purge(tx, cutoff))
    }

    /// Calls recorded from `number` in the last 24 h (at most
    /// [`rows::MAX_RECENT_COUNT`]), for an app that fills
    /// [`crate::IncomingCall::recent_calls`] itself (the screener also counts them).
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for a value that is not a number; [`Error::Storage`].
    pub fn recent_calls(&self, number: &str) -> Result<u32> {
        let n = self.e164(number)?;
        let now = self.clock.now();
        let since = now - crate::history::RECENT_WINDOW_SECS;
        self.store.read(|c| rows::calls_from(c, &n, since))
    }

    /// After a delete: checkpoint the WAL (so deleted rows do not linger in
    /// the log) and reload the repeat-caller counts.
    fn after_delete(&self) -> Result<()> {
        self.store.with_writer(|c| {
            rows::checkpoint(c);
            Ok(())
        })?;
        self.history.reload_recent(&self.store, self.clock.now())
    }

    // ---- corrections ----------------------------------------------------------

    pub(super) fn entry_or_err(&self, id: i64) -> Result<HistoryEntry> {
        self.history_entry(id)?
            .ok_or_else(|| Error::InvalidInput(format!("no history entry {id}")))
    }

    /// "Not spoofed": an exception for the entry's number, or its country
    /// (source `feedback`), and the entry marked reviewed. Offers a
    /// `not_spoofed` report.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for an unknown entry, a caller without a number
    /// (withheld), or a number of no known country; [`Error::Storage`].
    pub fn correct_not_spoofed(
        &self,
        history_id: i64,
        scope: NotSpoofedScope,
    ) -> Result<Correction> {
        let entry = self.entry_or_err(history_id)?;
        let number = entry.entry.calling.clone().ok_or_else(|| {
            Error::InvalidInput("the caller's number was not presented; nothing to except".into())
        })?;
        let kind = match scope {
            NotSpoofedScope::Number => RuleKind::Number(number.clone()),
            NotSpoofedScope::Country => RuleKind::Country(
                region_of(&number)
                    .ok_or_else(|| Error::InvalidInput(format!("no country known for {number}")))?,
            ),
        };
        let rule_id = self.add_rule(NewRule {
            label: Some(format!("not spoofed (history {history_id})")),
            source: RuleSource::Feedback,
            ..NewRule::user(kind, Effect::Exception)
        })?;
        self.mark_reviewed(&[history_id])?;
        Ok(Correction {
            rule_id: Some(rule_id),
            block: BlockMode::None,
            offer: ReportOffer {
                kind: ReportKind::NotSpoofed,
                history_id: Some(history_id),
                number: Some(number),
            },
        })
    }

    /// "Spoofed" or "unsolicited" on a recorded call, optionally blocking the
    /// number ([`BlockMode::Default`]: unless verified when the call was not
    /// verified, so the number's real owner still rings). Marks the entry
    /// reviewed and offers a report of `kind`.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for a kind other than spoofed or unsolicited, an
    /// unknown entry, or a block asked for a caller without a number; [`Error::Storage`].
    pub fn correct_unwanted(
        &self,
        history_id: i64,
        kind: ReportKind,
        block: BlockMode,
    ) -> Result<Correction> {
        unwanted_kind(kind)?;
        let entry = self.entry_or_err(history_id)?;
        let number = entry.entry.calling.clone();
        let verified = entry.entry.verification.verified();
        let (rule_id, mode) = match (block, number.as_deref()) {
            (BlockMode::None, _) => (None, BlockMode::None),
            (_, None) => {
                return Err(Error::InvalidInput(
                    "the caller's number was not presented; it cannot be blocked by number".into(),
                ))
            }
            (mode, Some(n)) => {
                let mode = mode.resolve(verified);
                (
                    Some(self.add_user_block(n, mode, kind, Some(history_id))?),
                    mode,
                )
            }
        };
        self.mark_reviewed(&[history_id])?;
        Ok(Correction {
            rule_id,
            block: mode,
            offer: ReportOffer {
                kind,
                history_id: Some(history_id),
                number,
            },
        })
    }

    /// "Spoofed" or "unsolicited" on a number before answering, during the call
    /// or after it (not from the history). `verified` says whether the call was
    /// verified, for [`BlockMode::Default`]. Offers a report of `kind`.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for a kind other than spoofed or unsolicited, or
    /// a value that is not a number; [`Error::Storage`].
    pub fn block_number(
        &self,
        number: &str,
        kind: ReportKind,
        block: BlockMode,
        verified: bool,
    ) -> Result<Correction> {
        unwanted_kind(kind)?;
        let n = self.e164(number)?;
        let mode = block.resolve(verified);
        let rule_id = match mode {
            BlockMode::None => None,
            _ => Some(self.add_user_block(&n, mode, kind, None)?),
        };
        Ok(Correction {
            rule_id,
            block: mode,
            offer: ReportOffer {
                kind,
                history_id: None,
                number: Some(n),
            },
        })
    }

    /// One transaction: the user block rule, its "unless verified" condition,
    /// and for an unconditional block the network-side barring (when enabled).
    fn add_user_block(
        &self,
        e164: &str,
        mode: BlockMode,
        kind: ReportKind,
        history_id: Option<i64>,
    ) -> Result<i64> {
        let rule = NewRule {
            label: Some(match history_id {
                Some(h) => format!("{} (history {h})", kind.as_str()),
                None => kind.as_str().to_string(),
            }),
            category: Some(kind.as_str().to_string()),
            ..NewRule::user(RuleKind::Number(e164.to_string()), Effect::Block)
        };
        let now = self.clock.now();
        let id = self.store.write(|tx| {
            let barring =
                settings::get(tx, settings::NETWORK_BARRING_KEY)?.as_deref() != Some("off");
            let id = rules::insert(tx, &rule, now)?;
            if mode == BlockMode::UnlessVerified {
                rules::set_unless_verified(tx, id)?;
            } else if barring {
                // The network cannot tell "unless verified"; only an
                // unconditional block is barred there.
                let item_id = outbox::new_id()?;
                queued::enqueue(
                    tx,
                    &NewItem {
                        id: &item_id,
                        kind: OutboxOp::Bar.as_str(),
                        op: OutboxOp::Bar,
                        body: &[],
                        history_id,
                        target: Some(e164),
                        rule_id: Some(id),
                    },
                    now,
                )?;
            }
            Ok(id)
        })?;
        self.lists.reload_rules(&self.store)?;
        Ok(id)
    }

    /// Remove a user block (or any rule) and, when it was barred on the
    /// network, queue the network-side unblock (a barring never attempted is
    /// simply withdrawn). False when there was no such rule.
    ///
    /// # Errors
    /// [`Error::Storage`] when the database fails.
    pub fn unblock(&self, rule_id: i64) -> Result<bool> {
        let now = self.clock.now();
        let removed = self.store.write(|tx| {
            if let Some(bar) = queued::barring_for_rule(tx, rule_id)? {
                match bar.state {
                    OutboxState::Pending if bar.attempts == 0 => queued::withdraw(tx, &bar.id)?,
                    OutboxState::Failed if bar.attempts == 0 => {}
                    _ => {
                        let item_id = outbox::new_id()?;
                        queued::enqueue(
                            tx,
                            &NewItem {
                                id: &item_id,
                                kind: OutboxOp::Unbar.as_str(),
                                op: OutboxOp::Unbar,
                                body: &[],
                                history_id: bar.history_id,
                                target: bar.target.as_deref(),
                                rule_id: Some(rule_id),
                            },
                            now,
                        )?;
                    }
                }
            }
            rules::delete(tx, rule_id)
        })?;
        self.lists.reload_rules(&self.store)?;
        Ok(removed)
    }

    /// Whether a block rule applies only to calls that are not verified.
    ///
    /// # Errors
    /// [`Error::Storage`] when the database fails.
    pub fn is_unless_verified(&self, rule_id: i64) -> Result<bool> {
        self.store.read(|c| rules::is_unless_verified(c, rule_id))
    }
}

fn unwanted_kind(kind: ReportKind) -> Result<()> {
    match kind {
        ReportKind::Spoofed | ReportKind::Unsolicited => Ok(()),
        other => Err(Error::InvalidInput(format!(
            "{} is not a correction; use spoofed or unsolicited",
            other.as_str()
        ))),
    }
}
