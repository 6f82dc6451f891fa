//! The spoofed-call history and the user's corrections, mirrored from
//! [`callscreen_core::history`] and the history methods of
//! [`callscreen_core::Screener`].
//!
//! Why: a verdict is on screen only while the phone rings. Afterwards the user
//! reviews what was flagged, says when callscreen was wrong ("not spoofed"
//! becomes an exception rule, so the next call from that number rings), blocks
//! a number that really was spoofed or unsolicited, and may report it
//! ([`crate::reports`]). Each correction only *offers* a report
//! ([`ReportOffer`]); nothing is sent until the app calls `report`.
//!
//! The stored verdict evidence comes back in the same records as a live
//! verdict ([`Verification`], [`Reason`], [`Indication`], [`Action`]), so the
//! app renders a history row with the code it uses while the phone rings.

use crate::error::CallScreenError;
use crate::reports::ReportKind;
use crate::screener::CallScreener;
use crate::verdict::{Action, Indication, Presentation, Reason, Verification};
use callscreen_core::history::{
    BlockMode as CoreBlockMode, Correction as CoreCorrection, HistoryEntry as CoreEntry,
    HistoryFilter as CoreFilter, HistoryMode as CoreMode, NotSpoofedScope as CoreScope,
    ReportOffer as CoreOffer, VerificationSnapshot,
};
use callscreen_core::presentation::Indication as CoreIndication;

/// Which screened calls are recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum HistoryMode {
    /// Every call.
    All,
    /// Only flagged calls: likely spam, failed verification, or not allowed to
    /// ring normally (blocked, silenced, sent to voicemail). The default.
    Flagged,
    /// Nothing.
    Off,
}

/// Which recorded calls to list. Every field is optional: `HistoryFilter()`
/// lists everything, newest first.
#[derive(Debug, Clone, Default, PartialEq, Eq, uniffi::Record)]
pub struct HistoryFilter {
    /// Only calls at or after this time, seconds since the epoch.
    #[uniffi(default = None)]
    pub since: Option<i64>,
    /// Only calls before this time, seconds since the epoch.
    #[uniffi(default = None)]
    pub until: Option<i64>,
    /// Only these indications; empty: every indication.
    #[uniffi(default = [])]
    pub indications: Vec<Indication>,
    /// Only entries the user has not reviewed yet.
    #[uniffi(default = false)]
    pub unreviewed_only: bool,
    /// Only flagged entries (spoofed or blocked: likely spam, a failed
    /// verification, or an action other than ringing), so `limit` counts only
    /// those when every call is recorded.
    #[uniffi(default = false)]
    pub flagged_only: bool,
    /// At most this many entries, newest first (`null`: all).
    #[uniffi(default = None)]
    pub limit: Option<u32>,
}

/// One recorded call: the verdict's evidence frozen at screening time.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct HistoryEntry {
    /// Its id, for `mark_reviewed`, `delete_history`, corrections and reports.
    pub id: i64,
    /// When the call was screened, seconds since the epoch.
    pub time: i64,
    /// The SIP Call-ID (`null` for a call seen through the platform's fields).
    pub call_id: Option<String>,
    /// The caller's number in E.164; always `null` for a withheld caller.
    pub calling: Option<String>,
    /// The called number (one of the own numbers), when known.
    pub called: Option<String>,
    /// The presentation state of the caller's number.
    pub presentation: Presentation,
    /// What verification found (`cert_needed` is always empty here).
    pub verification: Verification,
    /// The indication shown.
    pub indication: Indication,
    /// The action taken.
    pub action: Action,
    /// The score, 0–100.
    pub score: u8,
    /// Every reason behind the verdict.
    pub reasons: Vec<Reason>,
    /// Ids of the stored rules that matched (the winner first).
    pub rules: Vec<i64>,
    /// Flagged: likely spam, failed verification, or not allowed to ring normally.
    pub flagged: bool,
    /// The line (SIM slot), when known.
    pub line: Option<u32>,
    /// The user has reviewed it (or corrected it).
    pub reviewed: bool,
}

/// What a "not spoofed" exception covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum NotSpoofedScope {
    /// The entry's number only.
    Number,
    /// Every number of the entry's country.
    Country,
}

/// Whether a "spoofed" or "unsolicited" correction also blocks the number, and
/// how a block applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum BlockMode {
    /// Do not block. (Not named `None`, which Swift confuses with `Optional.none`.)
    NoBlock,
    /// Block the safe way: a call that was verified (attestation A) blocks
    /// `Always`; any other call blocks `UnlessVerified`, so the real owner of a
    /// spoofed number, whose calls verify, still rings.
    Default,
    /// Block every call from the number (and, when network barring is on, bar
    /// it on the network too).
    Always,
    /// Block calls from the number unless they are verified (attestation A).
    UnlessVerified,
}

/// A report the app may offer the user after a correction. Pass its fields to
/// `report` (with a `ReportRequest`) if the user agrees.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ReportOffer {
    /// The kind of report that fits the correction.
    pub kind: ReportKind,
    /// The history entry it would cite.
    pub history_id: Option<i64>,
    /// The number it would name (never a withheld caller's).
    pub number: Option<String>,
}

/// What a correction did.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Correction {
    /// The rule it added (an exception or a block), for `remove_rule` or
    /// `unblock`; `null` when it added none.
    pub rule_id: Option<i64>,
    /// How the block it added applies (`Always` or `UnlessVerified`); `NoBlock`
    /// when it added none.
    pub block: BlockMode,
    /// The report it offers; nothing is queued until the app calls `report`.
    pub offer: ReportOffer,
}

#[uniffi::export]
impl CallScreener {
    /// Recorded calls matching `filter`, newest first.
    ///
    /// # Errors
    /// `Storage` when the read fails; `Closed` after `shutdown`.
    pub fn history(&self, filter: HistoryFilter) -> Result<Vec<HistoryEntry>, CallScreenError> {
        self.with(|s| {
            Ok(s.history(&filter.into())?
                .into_iter()
                .map(Into::into)
                .collect())
        })
    }

    /// One recorded call; `null` when there is none with that id.
    ///
    /// # Errors
    /// `Storage` when the read fails; `Closed` after `shutdown`.
    pub fn history_entry(&self, id: i64) -> Result<Option<HistoryEntry>, CallScreenError> {
        self.with(|s| Ok(s.history_entry(id)?.map(Into::into)))
    }

    /// Mark entries reviewed; returns how many of the ids exist.
    ///
    /// # Errors
    /// `Storage` when the write fails; `Closed` after `shutdown`.
    pub fn mark_reviewed(&self, ids: Vec<i64>) -> Result<u64, CallScreenError> {
        self.with(|s| Ok(s.mark_reviewed(&ids)? as u64))
    }

    /// Delete entries, overwriting them on disk; returns how many existed.
    /// Reports already queued keep what the user chose to send.
    ///
    /// # Errors
    /// `Storage` when the write fails; `Closed` after `shutdown`.
    pub fn delete_history(&self, ids: Vec<i64>) -> Result<u64, CallScreenError> {
        self.with(|s| Ok(s.delete_history(&ids)? as u64))
    }

    /// Delete every entry, overwriting them on disk; returns how many.
    ///
    /// # Errors
    /// `Storage` when the write fails; `Closed` after `shutdown`.
    pub fn clear_history(&self) -> Result<u64, CallScreenError> {
        self.with(|s| Ok(s.clear_history()? as u64))
    }

    /// New flagged calls since the user last looked (`history_seen`) and not
    /// reviewed: show "there was spoofed-call activity" when above zero.
    ///
    /// # Errors
    /// `Storage` when the read fails; `Closed` after `shutdown`.
    pub fn history_notice_count(&self) -> Result<u64, CallScreenError> {
        self.with(|s| Ok(s.history_notice_count()?))
    }

    /// The user looked at the history: the notice count starts again from now.
    ///
    /// # Errors
    /// `Storage` when the write fails; `Closed` after `shutdown`.
    pub fn history_seen(&self) -> Result<(), CallScreenError> {
        self.with(|s| Ok(s.history_seen()?))
    }

    /// Which calls are recorded.
    ///
    /// # Errors
    /// `Closed` after `shutdown`.
    pub fn history_mode(&self) -> Result<HistoryMode, CallScreenError> {
        self.with(|s| Ok(s.history_mode().into()))
    }

    /// Choose which calls are recorded; stored in the database (another process
    /// sees it at its next open).
    ///
    /// # Errors
    /// `Storage` when the write fails; `Closed` after `shutdown`.
    pub fn set_history_mode(&self, mode: HistoryMode) -> Result<(), CallScreenError> {
        self.with(|s| Ok(s.set_history_mode(mode.into())?))
    }

    /// Keep entries this many days (1..=3650; default 30), and purge older ones now.
    ///
    /// # Errors
    /// `InvalidInput` outside 1..=3650; `Storage`; `Closed` after `shutdown`.
    pub fn set_history_retention_days(&self, days: u32) -> Result<(), CallScreenError> {
        self.with(|s| Ok(s.set_history_retention_days(i64::from(days))?))
    }

    /// Delete entries past retention now; returns how many. (This also happens
    /// at open and, at most hourly, while calls are recorded or listed.)
    ///
    /// # Errors
    /// `Storage` when the write fails; `Closed` after `shutdown`.
    pub fn purge_history(&self) -> Result<u64, CallScreenError> {
        self.with(|s| Ok(s.purge_history()? as u64))
    }

    /// Calls recorded from `number` in the last 24 hours (capped), for an app
    /// that shows a repeat-caller count itself.
    ///
    /// # Errors
    /// `InvalidInput` for a value that is not a number; `Storage`; `Closed`
    /// after `shutdown`.
    pub fn recent_calls(&self, number: String) -> Result<u32, CallScreenError> {
        self.with(|s| Ok(s.recent_calls(&number)?))
    }

    /// "Not spoofed" on a recorded call: adds an exception (source `Feedback`)
    /// for the entry's number or its whole country, so the next such call
    /// rings, and marks the entry reviewed. Offers a `NotSpoofed` report.
    ///
    /// # Errors
    /// `InvalidInput` for an unknown entry, a withheld caller, or a number of no
    /// known country; `Storage`; `Closed` after `shutdown`.
    pub fn correct_not_spoofed(
        &self,
        history_id: i64,
        scope: NotSpoofedScope,
    ) -> Result<Correction, CallScreenError> {
        self.with(|s| Ok(s.correct_not_spoofed(history_id, scope.into())?.into()))
    }

    /// "Spoofed" or "unsolicited" on a recorded call, optionally blocking the
    /// number (`Default`: unless verified when the call was not verified).
    /// Marks the entry reviewed and offers a report of `kind`.
    ///
    /// # Errors
    /// `InvalidInput` for a kind other than `Spoofed` or `Unsolicited`, an
    /// unknown entry, or a block asked for a withheld caller; `Storage`;
    /// `Closed` after `shutdown`.
    pub fn correct_unwanted(
        &self,
        history_id: i64,
        kind: ReportKind,
        block: BlockMode,
    ) -> Result<Correction, CallScreenError> {
        self.with(|s| {
            Ok(s.correct_unwanted(history_id, kind.into(), block.into())?
                .into())
        })
    }

    /// "Spoofed" or "unsolicited" on a number outside the history (while it
    /// rings, during or after the call). `verified` says whether the call was
    /// verified, for `BlockMode.Default`. Offers a report of `kind`.
    ///
    /// # Errors
    /// `InvalidInput` for a kind other than `Spoofed` or `Unsolicited`, or a
    /// value that is not a number; `Storage`; `Closed` after `shutdown`.
    pub fn block_number(
        &self,
        number: String,
        kind: ReportKind,
        block: BlockMode,
        verified: bool,
    ) -> Result<Correction, CallScreenError> {
        self.with(|s| {
            Ok(
                s.block_number(&number, kind.into(), block.into(), verified)?
                    .into(),
            )
        })
    }

    /// Remove a block (or any rule) and, when it was barred on the network,
    /// queue the network-side unblock. `false` when there was no such rule.
    ///
    /// # Errors
    /// `Storage` when the write fails; `Closed` after `shutdown`.
    pub fn unblock(&self, rule_id: i64) -> Result<bool, CallScreenError> {
        self.with(|s| Ok(s.unblock(rule_id)?))
    }

    /// Whether a block rule applies only to calls that are not verified.
    ///
    /// # Errors
    /// `Storage` when the read fails; `Closed` after `shutdown`.
    pub fn is_unless_verified(&self, rule_id: i64) -> Result<bool, CallScreenError> {
        self.with(|s| Ok(s.is_unless_verified(rule_id)?))
    }
}

// ---- conversions -------------------------------------------------------------

impl From<CoreMode> for HistoryMode {
    fn from(m: CoreMode) -> Self {
        match m {
            CoreMode::All => HistoryMode::All,
            CoreMode::Flagged => HistoryMode::Flagged,
            CoreMode::Off => HistoryMode::Off,
        }
    }
}

impl From<HistoryMode> for CoreMode {
    fn from(m: HistoryMode) -> Self {
        match m {
            HistoryMode::All => CoreMode::All,
            HistoryMode::Flagged => CoreMode::Flagged,
            HistoryMode::Off => CoreMode::Off,
        }
    }
}

impl From<NotSpoofedScope> for CoreScope {
    fn from(s: NotSpoofedScope) -> Self {
        match s {
            NotSpoofedScope::Number => CoreScope::Number,
            NotSpoofedScope::Country => CoreScope::Country,
        }
    }
}

impl From<BlockMode> for CoreBlockMode {
    fn from(b: BlockMode) -> Self {
        match b {
            BlockMode::NoBlock => CoreBlockMode::None,
            BlockMode::Default => CoreBlockMode::Default,
            BlockMode::Always => CoreBlockMode::Always,
            BlockMode::UnlessVerified => CoreBlockMode::UnlessVerified,
        }
    }
}

impl From<CoreBlockMode> for BlockMode {
    fn from(b: CoreBlockMode) -> Self {
        match b {
            CoreBlockMode::None => BlockMode::NoBlock,
            CoreBlockMode::Default => BlockMode::Default,
            CoreBlockMode::Always => BlockMode::Always,
            CoreBlockMode::UnlessVerified => BlockMode::UnlessVerified,
        }
    }
}

impl From<CoreOffer> for ReportOffer {
    fn from(o: CoreOffer) -> Self {
        ReportOffer {
            kind: o.kind.into(),
            history_id: o.history_id,
            number: o.number,
        }
    }
}

impl From<CoreCorrection> for Correction {
    fn from(c: CoreCorrection) -> Self {
        Correction {
            rule_id: c.rule_id,
            block: c.block.into(),
            offer: c.offer.into(),
        }
    }
}

impl From<HistoryFilter> for CoreFilter {
    fn from(f: HistoryFilter) -> Self {
        CoreFilter {
            since: f.since,
            until: f.until,
            indications: f
                .indications
                .into_iter()
                .map(CoreIndication::from)
                .collect(),
            unreviewed_only: f.unreviewed_only,
            flagged_only: f.flagged_only,
            limit: f.limit,
        }
    }
}

impl From<Indication> for CoreIndication {
    fn from(i: Indication) -> Self {
        match i {
            Indication::VerifiedBusiness => CoreIndication::VerifiedBusiness,
            Indication::Verified => CoreIndication::Verified,
            Indication::Unverified => CoreIndication::Unverified,
            Indication::LikelySpam => CoreIndication::LikelySpam,
            Indication::Withheld => CoreIndication::Withheld,
            Indication::NumberNotAvailable => CoreIndication::NumberNotAvailable,
        }
    }
}

fn verification(v: VerificationSnapshot) -> Verification {
    Verification {
        status: v.status.into(),
        attestation: v.attestation.map(Into::into),
        source: v.source.map(Into::into),
        verstat: v.verstat,
        signer: v.signer.map(Into::into),
        failure: v.failure.map(Into::into),
        cert_needed: Vec::new(),
    }
}

impl From<CoreEntry> for HistoryEntry {
    fn from(h: CoreEntry) -> Self {
        let flagged = h.entry.flagged();
        let e = h.entry;
        HistoryEntry {
            id: h.id,
            time: e.time,
            call_id: e.call_id,
            calling: e.calling,
            called: e.called,
            presentation: e.presentation.into(),
            verification: verification(e.verification),
            indication: e.indication.into(),
            action: e.action.into(),
            score: e.score,
            reasons: e.reasons.into_iter().map(Into::into).collect(),
            rules: e.rules,
            flagged,
            line: e.line,
            reviewed: h.reviewed,
        }
    }
}
