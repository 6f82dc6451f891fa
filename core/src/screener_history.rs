//! The screener's history, correction, report and outbox operations, and the
//! history step of screening (recording a call, repeat-caller counts, the
//! "unless verified" condition on user blocks).
//!
//! Every write is one short transaction; no lock is held while the app's
//! [`UtTransport`] runs.

use crate::call::IncomingCall;
use crate::error::{Error, Result};
use crate::history::entry::is_flagged;
use crate::history::{
    self, store as hstore, unless_verified, BlockMode, Correction, HistoryEntry, HistoryFilter,
    HistoryMode, NewEntry, NotSpoofedScope, ReportOffer,
};
use crate::lists::{user_rules, Effect, ListDecision, NewRule, RuleKind, RuleSource};
use crate::number::{region_of, to_e164};
use crate::reason::Reason;
use crate::report::delivery::{self, DeliveryContext};
use crate::report::outbox::{self, NewItem, OutboxOp};
use crate::report::{
    clean_text, CallEvidence, OutboxItem, OutboxState, ReportDocument, ReportKind, ReportRequest,
    RetryPolicy, UtTransport, MAX_CATEGORY_CHARS, MAX_COMMENT_CHARS,
};
use crate::screener::Screener;
use crate::store::settings;
use crate::verdict::Verdict;
use crate::verification::Verification;
use std::time::Duration;

/// Settings key of the subscriber's public identity on Ut (XUI).
pub const UT_IDENTITY_KEY: &str = "ut_identity";
/// Settings key: `off` stops queuing network-side barring for user blocks.
pub const NETWORK_BARRING_KEY: &str = "network_barring";
/// How long recording a call waits for another process's write lock, ms: a
/// busy database costs the call its history entry, never its verdict time.
pub const RECORD_BUSY_TIMEOUT_MS: u64 = 250;
/// Delivered outbox items are kept this long, seconds.
pub const DELIVERED_RETENTION_SECS: i64 = 30 * 86_400;

/// What one delivery pass did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DeliverySummary {
    /// Items attempted.
    pub attempted: u32,
    /// Delivered (2xx).
    pub delivered: u32,
    /// Back to pending, to retry later.
    pub retrying: u32,
    /// Failed for good.
    pub failed: u32,
}

impl Screener {
    // ---- the history step of screening -------------------------------------

    /// Record a screened call, as the history mode says. Never fails the screen:
    /// a storage error is logged and the call goes unrecorded.
    pub(crate) fn record_screened(
        &self,
        call: &IncomingCall,
        calling: Option<&str>,
        decision: &ListDecision,
        verdict: &Verdict,
        now: i64,
    ) {
        match self.history.mode() {
            HistoryMode::Off => return,
            HistoryMode::Flagged
                if !is_flagged(
                    verdict.indication.as_str(),
                    verdict.verification.status.as_str(),
                    verdict.action.as_str(),
                ) =>
            {
                return
            }
            _ => {}
        }
        let called = call
            .p_called_party_id
            .as_ref()
            .or(call.to.as_ref())
            .and_then(|na| na.uri.telephone_number())
            .map(|n| to_e164(n, self.region_for_lists).unwrap_or_else(|| n.to_string()));
        let entry = NewEntry::from_verdict(
            now,
            call.call_id.clone(),
            calling.map(str::to_string),
            called,
            verdict,
            decision,
            call.line,
        );
        match self.insert_history(&entry, now) {
            Ok(_) => {
                if let Some(n) = &entry.calling {
                    self.history.note_call(n, now);
                }
            }
            Err(e) => log::warn!("call not recorded in history: {e}"),
        }
    }

    fn insert_history(&self, entry: &NewEntry, now: i64) -> Result<i64> {
        let mut db = self.db.lock()?;
        db.busy_timeout(Duration::from_millis(RECORD_BUSY_TIMEOUT_MS))?;
        let result = (|| {
            let tx = db.transaction()?;
            let id = hstore::insert(&tx, entry)?;
            self.history.purge_if_due(&tx, now)?;
            tx.commit()?;
            Ok(id)
        })();
        db.busy_timeout(Duration::from_millis(crate::store::BUSY_TIMEOUT_MS))?;
        result
    }

    /// Calls recorded from `number` in the last 24 h, for the marker, from
    /// memory (no database read while the phone rings).
    pub(crate) fn history_calls_from(&self, number: Option<&str>, now: i64) -> u32 {
        number.map_or(0, |n| self.history.recent_count(n, now))
    }

    /// Drop "unless verified" user blocks from a verified call's decision. Reads
    /// the database only when the call is verified and a user block matched.
    pub(crate) fn waive_unless_verified(
        &self,
        decision: ListDecision,
        verification: &Verification,
    ) -> Result<(ListDecision, Vec<Reason>)> {
        if !unless_verified::may_apply(&decision, verification) {
            return Ok((decision, Vec::new()));
        }
        let db = self.db.lock()?;
        unless_verified::waive(decision, verification, |id| {
            unless_verified::is_set(&db, id)
        })
    }

    // ---- review -------------------------------------------------------------

    /// Recorded calls matching `filter`, newest first.
    ///
    /// # Errors
    /// [`Error::Storage`] when the database fails.
    pub fn history(&self, filter: &HistoryFilter) -> Result<Vec<HistoryEntry>> {
        let db = self.db.lock()?;
        self.history.purge_if_due(&db, self.clock.now())?;
        hstore::list(&db, filter)
    }

    /// One recorded call.
    ///
    /// # Errors
    /// [`Error::Storage`] when the database fails.
    pub fn history_entry(&self, id: i64) -> Result<Option<HistoryEntry>> {
        hstore::get(&*self.db.lock()?, id)
    }

    /// Mark entries reviewed; returns how many exist.
    ///
    /// # Errors
    /// [`Error::Storage`] when the database fails.
    pub fn mark_reviewed(&self, ids: &[i64]) -> Result<usize> {
        let mut db = self.db.lock()?;
        let tx = db.transaction()?;
        let n = hstore::mark_reviewed(&tx, ids)?;
        tx.commit()?;
        Ok(n)
    }

    /// Delete entries, overwriting them on disk; returns how many existed.
    /// Queued reports keep what the user chose to send.
    ///
    /// # Errors
    /// [`Error::Storage`] when the database fails.
    pub fn delete_history(&self, ids: &[i64]) -> Result<usize> {
        let mut db = self.db.lock()?;
        let tx = db.transaction()?;
        let n = hstore::delete(&tx, ids)?;
        tx.commit()?;
        hstore::checkpoint(&db);
        self.history.reload_recent(&db, self.clock.now())?;
        Ok(n)
    }

    /// Delete every entry, overwriting them on disk; returns how many.
    ///
    /// # Errors
    /// [`Error::Storage`] when the database fails.
    pub fn clear_history(&self) -> Result<usize> {
        let mut db = self.db.lock()?;
        let tx = db.transaction()?;
        let n = hstore::delete_all(&tx)?;
        tx.commit()?;
        hstore::checkpoint(&db);
        self.history.reload_recent(&db, self.clock.now())?;
        Ok(n)
    }

    /// New spoofed or blocked calls since the user last looked
    /// ([`Screener::history_seen`]) and not reviewed: "there was spoofed-call
    /// activity" when above zero.
    ///
    /// # Errors
    /// [`Error::Storage`] when the database fails.
    pub fn history_notice_count(&self) -> Result<u64> {
        let db = self.db.lock()?;
        let seen = settings::get(&db, history::SEEN_KEY)?
            .and_then(|v| v.parse::<i64>().ok())
            .unwrap_or(i64::MIN);
        hstore::notice_count(&db, seen)
    }

    /// The user looked at the history: the notice count starts again from now.
    ///
    /// # Errors
    /// [`Error::Storage`] when the database fails.
    pub fn history_seen(&self) -> Result<()> {
        let now = self.clock.now();
        settings::put(&*self.db.lock()?, history::SEEN_KEY, &now.to_string())
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
        settings::put(&*self.db.lock()?, history::MODE_KEY, mode.as_str())?;
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
        let db = self.db.lock()?;
        settings::put(&db, history::RETENTION_KEY, &days.to_string())?;
        self.history.set_retention_days(days);
        hstore::purge(&db, self.clock.now() - days * 86_400)?;
        Ok(())
    }

    /// Delete entries past retention now; returns how many. (This also happens
    /// at open and, at most hourly, when calls are recorded or listed.)
    ///
    /// # Errors
    /// [`Error::Storage`] when the database fails.
    pub fn purge_history(&self) -> Result<usize> {
        let db = self.db.lock()?;
        hstore::purge(
            &db,
            self.clock.now() - self.history.retention_days() * 86_400,
        )
    }

    /// Calls recorded from `number` in the last 24 h (at most
    /// [`hstore::MAX_RECENT_COUNT`]), for an app that fills
    /// [`IncomingCall::recent_calls`] itself (the screener also counts them).
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for a value that is not a number; [`Error::Storage`].
    pub fn recent_calls(&self, number: &str) -> Result<u32> {
        let n = self.e164(number)?;
        let now = self.clock.now();
        hstore::calls_from(&*self.db.lock()?, &n, now - history::RECENT_WINDOW_SECS)
    }

    // ---- corrections ----------------------------------------------------------

    fn e164(&self, number: &str) -> Result<String> {
        to_e164(number, self.region_for_lists)
            .ok_or_else(|| Error::InvalidInput(format!("{number:?} is not a telephone number")))
    }

    fn entry_or_err(&self, id: i64) -> Result<HistoryEntry> {
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
        let mut db = self.db.lock()?;
        let barring = settings::get(&db, NETWORK_BARRING_KEY)?.as_deref() != Some("off");
        let tx = db.transaction()?;
        let id = user_rules::insert(&tx, &rule, now)?;
        if mode == BlockMode::UnlessVerified {
            unless_verified::set(&tx, id)?;
        } else if barring {
            // The network cannot tell "unless verified"; only an unconditional
            // block is barred there.
            let item_id = outbox::new_id()?;
            outbox::enqueue(
                &tx,
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
        tx.commit()?;
        self.lists.reload_rules(&db)?;
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
        let mut db = self.db.lock()?;
        let tx = db.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let bar = outbox::barring_for_rule(&tx, rule_id)?;
        let removed = user_rules::delete(&tx, rule_id)?;
        if let Some(bar) = bar {
            match bar.state {
                OutboxState::Pending if bar.attempts == 0 => {
                    tx.execute("DELETE FROM outbox WHERE id = ?1", [&bar.id])?;
                }
                OutboxState::Failed if bar.attempts == 0 => {}
                _ => {
                    let item_id = outbox::new_id()?;
                    outbox::enqueue(
                        &tx,
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
        tx.commit()?;
        self.lists.reload_rules(&db)?;
        Ok(removed)
    }

    /// Whether a block rule applies only to calls that are not verified.
    ///
    /// # Errors
    /// [`Error::Storage`] when the database fails.
    pub fn is_unless_verified(&self, rule_id: i64) -> Result<bool> {
        unless_verified::is_set(&*self.db.lock()?, rule_id)
    }

    // ---- reports and the outbox -----------------------------------------------

    /// The subscriber's public identity on Ut: the stored one, else `tel:` and
    /// the first own number.
    ///
    /// # Errors
    /// [`Error::Storage`] when the database fails.
    pub fn ut_identity(&self) -> Result<Option<String>> {
        let stored = settings::get(&*self.db.lock()?, UT_IDENTITY_KEY)?;
        Ok(stored.or_else(|| self.own_e164.first().map(|n| format!("tel:{n}"))))
    }

    /// Store the subscriber's public identity on Ut (`tel:+1...` or `sip:...`).
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for an identity that is not a tel or sip URI.
    pub fn set_ut_identity(&self, identity: &str) -> Result<()> {
        let i = identity.trim();
        let ok = (i.starts_with("tel:") || i.starts_with("sip:") || i.starts_with("sips:"))
            && i.len() <= 256
            && !i
                .chars()
                .any(|c| c.is_control() || c == '"' || c.is_whitespace());
        if !ok {
            return Err(Error::InvalidInput(format!(
                "{i:?} is not a tel or sip URI"
            )));
        }
        settings::put(&*self.db.lock()?, UT_IDENTITY_KEY, i)
    }

    /// Queue network-side barring for the user's unconditional blocks (default
    /// on) or not.
    ///
    /// # Errors
    /// [`Error::Storage`] when the database fails.
    pub fn set_network_barring(&self, enabled: bool) -> Result<()> {
        settings::put(
            &*self.db.lock()?,
            NETWORK_BARRING_KEY,
            if enabled { "on" } else { "off" },
        )
    }

    /// Queue a report the user asked for; returns its id (also its
    /// `Idempotency-Key`). The report is stored (synchronously, durably) before
    /// this returns. It cites a history entry's evidence, or for a call not in
    /// the history its number and/or the time it came in (a withheld caller
    /// has only the time); a withheld caller's number is never included.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for an unknown entry, or none of an entry, a
    /// number and a call time; [`Error::Storage`].
    pub fn report(&self, request: ReportRequest) -> Result<String> {
        let now = self.clock.now();
        let id = outbox::new_id()?;
        let reporter = self.ut_identity()?;
        let call = match (
            request.history_id,
            request.number.as_deref(),
            request.call_time,
        ) {
            (Some(h), _, _) => CallEvidence::from_entry(&self.entry_or_err(h)?),
            (None, None, None) => {
                return Err(Error::InvalidInput(
                    "a report cites a history entry, a number or the call's time".into(),
                ))
            }
            (None, number, time) => CallEvidence {
                calling: number.map(|n| self.e164(n)).transpose()?,
                time,
                ..CallEvidence::default()
            },
        };
        let doc = ReportDocument {
            id: id.clone(),
            kind: request.kind,
            created: now,
            when: request.when,
            reporter,
            call,
            category: clean_text(request.category.as_deref(), MAX_CATEGORY_CHARS),
            comment: clean_text(request.comment.as_deref(), MAX_COMMENT_CHARS),
        };
        let body = doc.to_xml();
        let mut db = self.db.lock()?;
        // A report the user was told about must survive a power cut too.
        db.execute_batch("PRAGMA synchronous = FULL")?;
        let result = (|| {
            let tx = db.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
            outbox::enqueue(
                &tx,
                &NewItem {
                    id: &id,
                    kind: request.kind.as_str(),
                    op: OutboxOp::Report,
                    body: &body,
                    history_id: request.history_id,
                    target: None,
                    rule_id: None,
                },
                now,
            )?;
            tx.commit()?;
            Ok(())
        })();
        db.execute_batch("PRAGMA synchronous = NORMAL")?;
        result.map(|()| id)
    }

    /// The stored report document (XML) of an outbox item.
    ///
    /// # Errors
    /// [`Error::Storage`] when the database fails.
    pub fn report_body(&self, id: &str) -> Result<Option<Vec<u8>>> {
        use rusqlite::OptionalExtension;
        Ok(self
            .db
            .lock()?
            .query_row("SELECT body FROM outbox WHERE id = ?1", [id], |r| r.get(0))
            .optional()?)
    }

    /// When [`Screener::deliver_outbox`] next has work (seconds since the
    /// epoch; `None`: nothing waits), under the default [`RetryPolicy`]: schedule
    /// the background delivery for then.
    ///
    /// # Errors
    /// [`Error::Storage`] when the database fails.
    pub fn outbox_next_due(&self) -> Result<Option<i64>> {
        outbox::next_due(&*self.db.lock()?, &RetryPolicy::default())
    }

    /// Every outbox item, oldest first.
    ///
    /// # Errors
    /// [`Error::Storage`] when the database fails.
    pub fn outbox(&self) -> Result<Vec<OutboxItem>> {
        outbox::list(&*self.db.lock()?)
    }

    /// Put a failed item back in the queue; false when no failed item has that id.
    ///
    /// # Errors
    /// [`Error::Storage`] when the database fails.
    pub fn retry_report(&self, id: &str) -> Result<bool> {
        outbox::retry(&*self.db.lock()?, id, self.clock.now())
    }

    /// One delivery pass with the default [`RetryPolicy`].
    ///
    /// # Errors
    /// [`Error::Storage`] when the database fails (transport failures are
    /// outcomes, recorded on the items).
    pub fn deliver_outbox(&self, transport: &dyn UtTransport) -> Result<DeliverySummary> {
        self.deliver_outbox_with(transport, &RetryPolicy::default())
    }

    /// One delivery pass: every item due now (pending and due, or `sending`
    /// past its lease) is attempted once, oldest first, through `transport`,
    /// with no database lock held during the call.
    ///
    /// # Errors
    /// [`Error::Storage`] when the database fails.
    pub fn deliver_outbox_with(
        &self,
        transport: &dyn UtTransport,
        policy: &RetryPolicy,
    ) -> Result<DeliverySummary> {
        let ctx = DeliveryContext {
            identity: self.ut_identity()?,
        };
        let mut summary = DeliverySummary::default();
        let mut seen: Vec<String> = Vec::new();
        loop {
            let claimed = {
                let mut db = self.db.lock()?;
                outbox::claim_next(&mut db, self.clock.now(), policy, &seen)?
            };
            let Some(claimed) = claimed else { break };
            seen.push(claimed.item.id.clone());
            summary.attempted += 1;
            let outcome = delivery::attempt(&claimed, &ctx, transport);
            let state = {
                let db = self.db.lock()?;
                outbox::finish(
                    &db,
                    &claimed.item.id,
                    &outcome,
                    self.clock.now(),
                    policy,
                    outbox::jitter(),
                )?
            };
            match state {
                OutboxState::Delivered => summary.delivered += 1,
                OutboxState::Failed => summary.failed += 1,
                _ => summary.retrying += 1,
            }
        }
        let db = self.db.lock()?;
        outbox::purge_delivered(&db, self.clock.now() - DELIVERED_RETENTION_SECS)?;
        Ok(summary)
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
