//! The iOS Call Directory export, mirrored from
//! [`callscreen_core::platform::callkit`]: a [`CallDirectoryExport`] object the
//! extension reads in chunks (never the whole list across the FFI), then
//! commits once iOS accepted the load.
//!
//! In the extension's `beginRequest(with:)`:
//! ```swift
//! let export = try screener.callDirectoryExport(options: opts,
//!     sinceVersion: context.isIncremental ? storedVersion : nil)
//! if context.isIncremental && !export.isIncremental() {
//!     context.removeAllBlockingEntries(); context.removeAllIdentificationEntries()
//! }
//! while true {
//!     let chunk = try export.nextChunk(max: 1000)
//!     if chunk.isEmpty { break }
//!     for e in chunk { /* add… / remove… entry, in order */ }
//! }
//! context.completeRequest { _ in storedVersion = try? export.commit() }
//! ```

use crate::error::CallScreenError;
use crate::guard::guard;
use crate::lists::RuleSource;
use crate::screener::CallScreener;
use callscreen_core::platform::callkit as core;
use std::sync::{Arc, Mutex};

/// What the operator's (non-mandatory) list does in the directory; the
/// mandatory list always blocks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum OperatorListUse {
    /// Its numbers are blocked.
    Block,
    /// Its numbers ring, labelled with the list's label or category.
    Identify,
    /// Left out.
    Skip,
}

/// How to build the directory.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Record)]
pub struct CallDirectoryOptions {
    /// Most entries (blocking and identification together); prefixes and ranges
    /// are expanded to full-length numbers within it, smallest first. What does
    /// not fit is reported in `CallDirectoryReport.truncated`.
    #[uniffi(default = 100000)]
    pub entry_budget: u64,
    /// What the operator's list does.
    pub operator_lists: OperatorListUse,
}

/// Blocking or identification.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum CallDirectoryEntryKind {
    /// `addBlockingEntry` / `removeBlockingEntry`.
    Blocking,
    /// `addIdentificationEntry` / `removeIdentificationEntry`.
    Identification,
}

/// Add or remove.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum CallDirectoryChange {
    /// Add the entry.
    Add,
    /// Remove the entry (incremental exports only).
    Remove,
}

/// One Call Directory entry.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct CallDirectoryEntry {
    /// Blocking or identification.
    pub kind: CallDirectoryEntryKind,
    /// Add or remove.
    pub change: CallDirectoryChange,
    /// `CXCallDirectoryPhoneNumber`: E.164 digits without `+`.
    pub number: i64,
    /// The label of an identification entry being added; never claims
    /// verification (iOS shows it on spoofed calls too).
    pub label: Option<String>,
}

/// A rule or list the entry budget cut short.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct CallDirectoryTruncation {
    /// The rule's id; `null` for an operator list.
    pub rule_id: Option<i64>,
    /// Whose rule or list.
    pub source: RuleSource,
    /// What it covers, for people (`prefix +1202`, `numbers of the list`).
    pub what: String,
    /// Numbers it covers.
    pub wanted: u64,
    /// Numbers exported (its lowest).
    pub exported: u64,
}

/// Why a rule in force is not in the directory.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum SkipReason {
    /// A block rule for one line: CallKit cannot tell lines apart.
    LineScoped,
    /// A kind CallKit cannot express (country, withheld, verification class,
    /// contact, a block of every call).
    Unsupported,
    /// A prefix longer than any number of its country.
    NoFullLengthNumbers,
}

/// A rule left out of the directory.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Record)]
pub struct SkippedRule {
    /// The rule's id.
    pub rule_id: i64,
    /// Why.
    pub reason: SkipReason,
}

/// What an export holds and what it left out.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct CallDirectoryReport {
    /// The budget.
    pub entry_budget: u64,
    /// Numbers left out because of the budget.
    pub truncated_entries: u64,
    /// The rules and lists cut short.
    pub truncated: Vec<CallDirectoryTruncation>,
    /// Rules in force that CallKit cannot express.
    pub skipped: Vec<SkippedRule>,
    /// Labels that had words claiming verification removed (final once finished).
    pub labels_rewritten: u64,
    /// Labels dropped entirely (final once finished).
    pub labels_dropped: u64,
    /// Blocking is suspended until then (seconds since the epoch) after an
    /// emergency call: the export has no blocking entries.
    pub blocking_suspended_until: Option<i64>,
    /// When the directory next changes by itself (a rule starts or ends, a
    /// suspension ends): reload the extension then.
    pub valid_until: Option<i64>,
    /// Blocking entries in the directory after this load (final once finished).
    pub blocking_entries: u64,
    /// Identification entries after this load (final once finished).
    pub identification_entries: u64,
    /// Entries this export adds.
    pub added: u64,
    /// Entries this export removes.
    pub removed: u64,
    /// Every chunk has been read.
    pub finished: bool,
}

/// A Call Directory export in progress. Read `next_chunk` until it returns an
/// empty list, hand each entry to iOS in order, then `commit` once iOS accepted
/// the load. Dropping it uncommitted leaves nothing behind.
#[derive(uniffi::Object)]
pub struct CallDirectoryExport {
    screener: Arc<CallScreener>,
    inner: Mutex<core::CallDirectoryExport>,
}

impl CallDirectoryExport {
    pub(crate) fn new(screener: Arc<CallScreener>, inner: core::CallDirectoryExport) -> Arc<Self> {
        Arc::new(CallDirectoryExport {
            screener,
            inner: Mutex::new(inner),
        })
    }

    fn with<T>(
        &self,
        f: impl FnOnce(&mut core::CallDirectoryExport) -> Result<T, CallScreenError>,
    ) -> Result<T, CallScreenError> {
        guard(|| {
            let mut inner = self.inner.lock().map_err(|_| CallScreenError::Internal {
                reason: "a previous call on this export panicked".into(),
            })?;
            f(&mut inner)
        })
    }
}

#[uniffi::export]
impl CallDirectoryExport {
    /// Up to `max` entries (1..=10 000), in the order iOS needs: blocking
    /// removals, blocking additions, identification removals, identification
    /// additions, each strictly ascending. Empty when finished.
    ///
    /// # Errors
    /// `InvalidInput` when a snapshot file cannot be read or written.
    pub fn next_chunk(&self, max: u32) -> Result<Vec<CallDirectoryEntry>, CallScreenError> {
        self.with(|e| {
            let max = usize::try_from(max).unwrap_or(core::MAX_CHUNK);
            Ok(e.next_chunk(max)?.into_iter().map(Into::into).collect())
        })
    }

    /// True when this export is a delta against `base_version`; otherwise it is
    /// a full load (in an incremental request, remove all entries first).
    ///
    /// # Errors
    /// `Internal` only after a panic.
    pub fn is_incremental(&self) -> Result<bool, CallScreenError> {
        self.with(|e| Ok(e.is_incremental()))
    }

    /// The version this delta applies to; `null` for a full load.
    ///
    /// # Errors
    /// `Internal` only after a panic.
    pub fn base_version(&self) -> Result<Option<u64>, CallScreenError> {
        self.with(|e| Ok(e.base_version()))
    }

    /// What the export holds and left out (counters are final once finished).
    ///
    /// # Errors
    /// `Internal` only after a panic.
    pub fn report(&self) -> Result<CallDirectoryReport, CallScreenError> {
        self.with(|e| Ok(e.report().into()))
    }

    /// Record that iOS accepted this load (call it when
    /// `completeRequest`'s completion succeeds); returns the version to pass as
    /// `since_version` next time.
    ///
    /// # Errors
    /// `InvalidInput` when the export is not finished or already committed;
    /// `Storage` from the database; `Closed` after the screener's `shutdown`.
    pub fn commit(&self) -> Result<u64, CallScreenError> {
        self.with(|e| self.screener.with(|s| Ok(s.commit_call_directory(e)?)))
    }
}

impl From<OperatorListUse> for core::OperatorListUse {
    fn from(u: OperatorListUse) -> Self {
        match u {
            OperatorListUse::Block => core::OperatorListUse::Block,
            OperatorListUse::Identify => core::OperatorListUse::Identify,
            OperatorListUse::Skip => core::OperatorListUse::Skip,
        }
    }
}

impl From<CallDirectoryOptions> for core::CallDirectoryOptions {
    fn from(o: CallDirectoryOptions) -> Self {
        core::CallDirectoryOptions {
            entry_budget: o.entry_budget,
            operator_lists: o.operator_lists.into(),
        }
    }
}

impl From<core::DirectoryEntry> for CallDirectoryEntry {
    fn from(e: core::DirectoryEntry) -> Self {
        CallDirectoryEntry {
            kind: match e.kind {
                core::EntryKind::Blocking => CallDirectoryEntryKind::Blocking,
                core::EntryKind::Identification => CallDirectoryEntryKind::Identification,
            },
            change: match e.change {
                core::Change::Add => CallDirectoryChange::Add,
                core::Change::Remove => CallDirectoryChange::Remove,
            },
            number: e.number,
            label: e.label,
        }
    }
}

impl From<core::ExportReport> for CallDirectoryReport {
    fn from(r: core::ExportReport) -> Self {
        CallDirectoryReport {
            entry_budget: r.entry_budget,
            truncated_entries: r.truncated_entries,
            truncated: r
                .truncated
                .into_iter()
                .map(|t| CallDirectoryTruncation {
                    rule_id: t.rule_id,
                    source: t.source.into(),
                    what: t.what,
                    wanted: t.wanted,
                    exported: t.exported,
                })
                .collect(),
            skipped: r
                .skipped
                .into_iter()
                .map(|s| SkippedRule {
                    rule_id: s.rule_id,
                    reason: match s.reason {
                        core::SkipReason::LineScoped => SkipReason::LineScoped,
                        core::SkipReason::Unsupported => SkipReason::Unsupported,
                        core::SkipReason::NoFullLengthNumbers => SkipReason::NoFullLengthNumbers,
                    },
                })
                .collect(),
            labels_rewritten: r.labels_rewritten,
            labels_dropped: r.labels_dropped,
            blocking_suspended_until: r.blocking_suspended_until,
            valid_until: r.valid_until,
            blocking_entries: r.blocking_entries,
            identification_entries: r.identification_entries,
            added: r.added,
            removed: r.removed,
            finished: r.finished,
        }
    }
}
