//! iOS: CallKit Call Directory data from the stored rules and operator lists.
//!
//! iOS never shows a call to an app before it rings. A Call Directory
//! extension instead gives the system, ahead of time, numbers to **block** and
//! numbers to **identify** with a label, each list strictly ascending as
//! `Int64` (E.164 digits without `+`). The extension runs in a small memory
//! budget, so [`CallDirectoryExport`] streams entries in chunks
//! ([`CallDirectoryExport::next_chunk`]) and never holds the lists.
//!
//! What goes in (the precedence is documented in `plan.rs`):
//! - blocking: `Number`, `Prefix` and `Range` block rules in force now, and the
//!   operator's lists, minus numbers an exception lets ring, when the policy's
//!   block action is `reject` or `voicemail` (CallKit has no silence) and
//!   blocking is not suspended after an emergency call; configured service
//!   numbers never;
//! - identification: numbers that ring and whose winning rule has a label:
//!   exceptions with labels, blocks that cannot be applied. Labels never claim
//!   verification ([`label`]): iOS shows them on spoofed calls too.
//! - prefixes and ranges expand to full-length numbers ([`expand`]) within an
//!   entry budget ([`CallDirectoryOptions::entry_budget`]); what does not fit is
//!   reported ([`ExportReport::truncated`]), never silently dropped, as are rules
//!   CallKit cannot express ([`ExportReport::skipped`]: countries, withheld,
//!   verification classes, contacts, rules for one line).
//!
//! Deltas: pass the version the extension last loaded as `since`; when the core
//! still has that snapshot ([`snapshot`]) the export is incremental (removals,
//! then additions), otherwise full. After iOS accepts the load, call
//! [`CallDirectoryExport::commit`]; it returns the new version to pass next time.
//! Without a database file there are no snapshots and every export is full.

pub mod expand;
pub mod label;
pub(crate) mod plan;
pub mod snapshot;
mod stream;

use crate::error::{Error, Result};
use crate::marking::lists::RuleSource;
use crate::store::{settings, Store};
use plan::{Plan, PlanInput};
use snapshot::{BlockingReader, IdentificationReader, Writer};
use std::path::PathBuf;
use std::sync::Arc;
use stream::Merge;

/// Default [`CallDirectoryOptions::entry_budget`].
pub const DEFAULT_ENTRY_BUDGET: u64 = 100_000;
/// Largest budget accepted.
pub const MAX_ENTRY_BUDGET: u64 = 100_000_000;
/// Most entries one [`CallDirectoryExport::next_chunk`] returns.
pub const MAX_CHUNK: usize = 10_000;

/// What the operator's (non-mandatory) list does in the directory. The
/// mandatory list always blocks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OperatorListUse {
    /// Its numbers are blocked (with the policy's block action).
    Block,
    /// Its numbers ring with the list's label ("Spam risk").
    Identify,
    /// Left out.
    Skip,
}

/// How to build the directory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CallDirectoryOptions {
    /// Most entries (blocking and identification together) in the directory;
    /// prefixes and ranges are expanded within it, smallest first.
    pub entry_budget: u64,
    /// What the operator's list does.
    pub operator_lists: OperatorListUse,
}

impl Default for CallDirectoryOptions {
    fn default() -> Self {
        CallDirectoryOptions {
            entry_budget: DEFAULT_ENTRY_BUDGET,
            operator_lists: OperatorListUse::Block,
        }
    }
}

/// Blocking or identification.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryKind {
    /// `addBlockingEntry` / `removeBlockingEntry`.
    Blocking,
    /// `addIdentificationEntry` / `removeIdentificationEntry`.
    Identification,
}

/// Add or remove.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// Add the entry.
    Add,
    /// Remove the entry (incremental exports only).
    Remove,
}

/// One Call Directory entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DirectoryEntry {
    /// Blocking or identification.
    pub kind: EntryKind,
    /// Add or remove.
    pub change: Change,
    /// E.164 digits without `+` (`CXCallDirectoryPhoneNumber`).
    pub number: i64,
    /// The label of an identification entry being added.
    pub label: Option<String>,
}

/// A source the budget cut short.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Truncation {
    /// The rule's id; `None` for an operator list.
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
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SkipReason {
    /// A block rule for one line: CallKit cannot tell lines apart.
    LineScoped,
    /// A kind CallKit cannot express: country, withheld, verification class,
    /// contact, or a block of every call.
    Unsupported,
    /// A prefix longer than any number of its country.
    NoFullLengthNumbers,
}

/// A rule left out, and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SkippedRule {
    /// The rule's id.
    pub rule_id: i64,
    /// Why.
    pub reason: SkipReason,
}

/// What an export holds and what it left out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportReport {
    /// The budget.
    pub entry_budget: u64,
    /// Numbers left out because of the budget.
    pub truncated_entries: u64,
    /// The sources cut short.
    pub truncated: Vec<Truncation>,
    /// Rules in force that are not expressible.
    pub skipped: Vec<SkippedRule>,
    /// Labels that had words claiming verification removed (final once finished).
    pub labels_rewritten: u64,
    /// Labels dropped entirely (final once finished).
    pub labels_dropped: u64,
    /// Blocking is suspended until then (seconds since the epoch) after an
    /// emergency call: the export has no blocking entries.
    pub blocking_suspended_until: Option<i64>,
    /// The next time the directory changes by itself (a rule starts or ends, a
    /// suspension ends): export again then.
    pub valid_until: Option<i64>,
    /// Blocking entries in the directory after this load (final once finished).
    pub blocking_entries: u64,
    /// Identification entries in the directory after this load (final once finished).
    pub identification_entries: u64,
    /// Entries this export adds.
    pub added: u64,
    /// Entries this export removes.
    pub removed: u64,
    /// Every chunk has been read.
    pub finished: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    RemoveBlocking,
    AddBlocking,
    RemoveIdentification,
    AddIdentification,
    Done,
}

impl Phase {
    fn next(self, incremental: bool) -> Phase {
        match (self, incremental) {
            (Phase::RemoveBlocking, _) => Phase::AddBlocking,
            (Phase::AddBlocking, true) => Phase::RemoveIdentification,
            (Phase::AddBlocking, false) => Phase::AddIdentification,
            (Phase::RemoveIdentification, _) => Phase::AddIdentification,
            (Phase::AddIdentification | Phase::Done, _) => Phase::Done,
        }
    }
    fn kind(self) -> EntryKind {
        match self {
            Phase::RemoveBlocking | Phase::AddBlocking => EntryKind::Blocking,
            _ => EntryKind::Identification,
        }
    }
    fn adds(self) -> bool {
        matches!(self, Phase::AddBlocking | Phase::AddIdentification)
    }
}

/// A number and, for identification, its label.
type Item = (u64, Option<Arc<str>>);

enum Old {
    Blocking(BlockingReader),
    Identification(IdentificationReader),
}

impl Old {
    fn next(&mut self) -> Result<Option<Item>> {
        Ok(match self {
            Old::Blocking(r) => r.read_next()?.map(|n| (n, None)),
            Old::Identification(r) => r.read_next()?.map(|(n, l)| (n, Some(Arc::from(l)))),
        })
    }
}

/// One pass over the current entries of one kind, diffed against the old ones.
struct Pass {
    merge: Merge,
    old: Option<Old>,
    cur: Option<Item>,
    old_item: Option<Item>,
}

#[derive(Default)]
struct Counts {
    blocking: u64,
    identification: u64,
    added: u64,
    removed: u64,
}

/// A Call Directory export in progress: read [`Self::next_chunk`] until it
/// returns nothing, hand the entries to iOS in order, then [`Self::commit`]
/// once iOS accepted them.
pub struct CallDirectoryExport {
    plan: Plan,
    base: Option<u64>,
    root: Option<PathBuf>,
    writer: Option<Writer>,
    finished_dir: Option<PathBuf>,
    phase: Phase,
    pass: Option<Pass>,
    counts: Counts,
    entry_budget: u64,
    suspended_until: Option<i64>,
    valid_until: Option<i64>,
    committed: Option<u64>,
}

impl std::fmt::Debug for CallDirectoryExport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CallDirectoryExport")
            .field("base", &self.base)
            .field("phase", &self.phase)
            .finish_non_exhaustive()
    }
}

/// What an export reads from the screener, taken at its start: the export
/// never locks the screener's state or database while iOS reads chunks.
#[derive(Debug, Clone)]
pub struct ExportSnapshot {
    /// The stored rules.
    pub rules: Vec<crate::marking::lists::Rule>,
    /// The operator's list.
    pub operator: Option<Arc<crate::marking::lists::OperatorList>>,
    /// The operator's mandatory list.
    pub mandatory: Option<Arc<crate::marking::lists::OperatorList>>,
    /// The policy in force.
    pub policy: crate::reaction::Policy,
    /// When the app last placed an emergency call, seconds since the epoch.
    pub emergency_at: Option<i64>,
    /// The next time a rule starts or ends.
    pub next_rule_change: Option<i64>,
    /// The default region (prefix expansion).
    pub region: Option<crate::intake::number::DefaultRegion>,
    /// The database file (snapshots live beside it); `None` in memory.
    pub db_path: Option<PathBuf>,
    /// The last committed version.
    pub committed_version: Option<u64>,
    /// Now, seconds since the epoch.
    pub now: i64,
}

impl CallDirectoryExport {
    /// Start an export from `snapshot` (see [`crate::platform::callkit`]).
    /// `since`: the version the extension last loaded (from
    /// [`CallDirectoryExport::commit`]), or `None` for a full load.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for a budget over [`MAX_ENTRY_BUDGET`] or when the
    /// snapshot directory cannot be written.
    pub fn start(
        snapshot: ExportSnapshot,
        options: CallDirectoryOptions,
        since: Option<u64>,
    ) -> Result<CallDirectoryExport> {
        if options.entry_budget > MAX_ENTRY_BUDGET {
            return Err(Error::InvalidInput(format!(
                "entry budget over {MAX_ENTRY_BUDGET}"
            )));
        }
        let now = snapshot.now;
        let policy = &snapshot.policy;
        let suspended_until = snapshot
            .emergency_at
            .filter(|at| now >= *at && now - at < policy.emergency_suspension_secs)
            .map(|at| at + policy.emergency_suspension_secs);
        let valid_until = [snapshot.next_rule_change, suspended_until]
            .into_iter()
            .flatten()
            .min();
        let plan = Plan::new(PlanInput {
            rules: &snapshot.rules,
            operator: snapshot.operator.clone(),
            mandatory: snapshot.mandatory.clone(),
            policy,
            options: &options,
            now,
            suspended: suspended_until.is_some(),
            region: snapshot.region,
        });
        let root = snapshot.db_path.as_deref().map(snapshot::root_for);
        let base = match (&root, since) {
            (Some(root), Some(v))
                if snapshot.committed_version == Some(v) && snapshot::exists(root, v) =>
            {
                Some(v)
            }
            _ => None,
        };
        let writer = root.as_deref().map(Writer::create).transpose()?;
        Ok(CallDirectoryExport {
            plan,
            base,
            root,
            writer,
            finished_dir: None,
            phase: if base.is_some() {
                Phase::RemoveBlocking
            } else {
                Phase::AddBlocking
            },
            pass: None,
            counts: Counts::default(),
            entry_budget: options.entry_budget,
            suspended_until,
            valid_until,
            committed: None,
        })
    }

    /// True when this export is a delta against [`Self::base_version`]: apply it
    /// to an incremental request. Otherwise it is a full load (remove all entries
    /// first in an incremental request).
    pub fn is_incremental(&self) -> bool {
        self.base.is_some()
    }

    /// The version this delta applies to.
    pub fn base_version(&self) -> Option<u64> {
        self.base
    }

    /// What the export holds and left out (counters are final once finished).
    pub fn report(&self) -> ExportReport {
        ExportReport {
            entry_budget: self.entry_budget,
            truncated_entries: self.plan.truncated_entries,
            truncated: self.plan.truncated.clone(),
            skipped: self.plan.skipped.clone(),
            labels_rewritten: self.plan.labels.rewritten,
            labels_dropped: self.plan.labels.dropped,
            blocking_suspended_until: self.suspended_until,
            valid_until: self.valid_until,
            blocking_entries: self.counts.blocking,
            identification_entries: self.counts.identification,
            added: self.counts.added,
            removed: self.counts.removed,
            finished: self.phase == Phase::Done,
        }
    }

    /// Up to `max` entries (1..=[`MAX_CHUNK`]), in the order iOS needs: blocking
    /// removals, blocking additions, identification removals, identification
    /// additions, each ascending. Empty when the export is finished.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] when a snapshot file cannot be read or written.
    pub fn next_chunk(&mut self, max: usize) -> Result<Vec<DirectoryEntry>> {
        let max = max.clamp(1, MAX_CHUNK);
        let mut out = Vec::with_capacity(max.min(1024));
        while out.len() < max {
            match self.step()? {
                Some(e) => out.push(e),
                None => break,
            }
        }
        Ok(out)
    }

    fn step(&mut self) -> Result<Option<DirectoryEntry>> {
        loop {
            if self.phase == Phase::Done {
                if let Some(w) = self.writer.take() {
                    self.finished_dir = Some(w.finish()?);
                }
                return Ok(None);
            }
            if self.pass.is_none() {
                self.pass = Some(self.start_pass()?);
            }
            match self.pass_next()? {
                Some(e) => return Ok(Some(e)),
                None => {
                    self.pass = None;
                    self.phase = self.phase.next(self.base.is_some());
                }
            }
        }
    }

    fn start_pass(&mut self) -> Result<Pass> {
        let old = match (&self.root, self.base) {
            (Some(root), Some(v)) => {
                let dir = snapshot::version_dir(root, v);
                Some(match self.phase.kind() {
                    EntryKind::Blocking => Old::Blocking(BlockingReader::open(&dir)?),
                    EntryKind::Identification => {
                        Old::Identification(IdentificationReader::open(&dir)?)
                    }
                })
            }
            _ => None,
        };
        Ok(Pass {
            merge: Merge::new(&self.plan),
            old,
            cur: None,
            old_item: None,
        })
    }

    /// The current stream's next item; in an adding phase it is also written to
    /// the new snapshot and counted.
    fn next_current(&mut self) -> Result<Option<Item>> {
        let Some(pass) = self.pass.as_mut() else {
            return Ok(None);
        };
        let item = match self.phase.kind() {
            EntryKind::Blocking => pass.merge.next_blocking(&mut self.plan).map(|n| (n, None)),
            EntryKind::Identification => pass
                .merge
                .next_identification(&mut self.plan)
                .map(|(n, l)| (n, Some(l))),
        };
        if let (Some((n, label)), true) = (&item, self.phase.adds()) {
            match label {
                None => {
                    self.counts.blocking += 1;
                    if let Some(w) = self.writer.as_mut() {
                        w.blocking(*n)?;
                    }
                }
                Some(l) => {
                    self.counts.identification += 1;
                    if let Some(w) = self.writer.as_mut() {
                        w.identification(*n, l)?;
                    }
                }
            }
        }
        Ok(item)
    }

    fn pass_next(&mut self) -> Result<Option<DirectoryEntry>> {
        let adds = self.phase.adds();
        loop {
            let need_cur = self.pass.as_ref().is_some_and(|p| p.cur.is_none());
            if need_cur {
                let c = self.next_current()?;
                if let Some(p) = self.pass.as_mut() {
                    p.cur = c;
                }
            }
            let Some(pass) = self.pass.as_mut() else {
                return Ok(None);
            };
            if pass.old_item.is_none() {
                if let Some(old) = pass.old.as_mut() {
                    pass.old_item = old.next()?;
                }
            }
            let (added, removed) = match (pass.cur.take(), pass.old_item.take()) {
                (None, None) => return Ok(None),
                (Some(c), None) => (Some(c), None),
                (None, Some(o)) => (None, Some(o)),
                (Some(c), Some(o)) if c.0 < o.0 => {
                    pass.old_item = Some(o);
                    (Some(c), None)
                }
                (Some(c), Some(o)) if o.0 < c.0 => {
                    pass.cur = Some(c);
                    (None, Some(o))
                }
                (Some(c), Some(o)) if c.1 == o.1 => {
                    let _ = (c, o);
                    continue;
                }
                (Some(c), Some(o)) => (Some(c), Some(o)),
            };
            let kind = self.phase.kind();
            let entry = if adds {
                added.map(|(n, label)| DirectoryEntry {
                    kind,
                    change: Change::Add,
                    number: i64::try_from(n).unwrap_or(i64::MAX),
                    label: label.map(|l| l.to_string()),
                })
            } else {
                removed.map(|(n, _)| DirectoryEntry {
                    kind,
                    change: Change::Remove,
                    number: i64::try_from(n).unwrap_or(i64::MAX),
                    label: None,
                })
            };
            if let Some(e) = entry {
                match e.change {
                    Change::Add => self.counts.added += 1,
                    Change::Remove => self.counts.removed += 1,
                }
                return Ok(Some(e));
            }
        }
    }

    /// Record that iOS accepted this export (call it from the completion of
    /// `CXCallDirectoryExtensionContext.completeRequest`): its snapshot becomes
    /// the base of the next delta. Returns the new version to pass as `since`.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] when the export is not finished or was already
    /// committed, or the snapshot cannot be stored; [`Error::Storage`] from the
    /// database.
    pub fn commit(&mut self, store: &Store) -> Result<u64> {
        if self.committed.is_some() {
            return Err(Error::InvalidInput(
                "this export was already committed".into(),
            ));
        }
        if self.phase != Phase::Done || self.writer.is_some() {
            return Err(Error::InvalidInput(
                "the export is not finished: read chunks until one is empty".into(),
            ));
        }
        let base = self.base;
        let root = self.root.clone();
        let finished = self.finished_dir.take();
        let version = store.write(|tx| {
            let stored: Option<u64> = settings::get(tx, settings::CALL_DIRECTORY_VERSION_KEY)?
                .and_then(|v| v.parse().ok());
            let version = stored.unwrap_or(0).max(base.unwrap_or(0)) + 1;
            let placed = match (&root, finished) {
                (Some(root), Some(dir)) => {
                    let target = snapshot::version_dir(root, version);
                    let _ = std::fs::remove_dir_all(&target);
                    std::fs::rename(&dir, &target).map_err(|e| {
                        Error::InvalidInput(format!("call directory snapshot: {e}"))
                    })?;
                    Some(target)
                }
                _ => None,
            };
            // A failed write takes the snapshot out again. An orphan left by a
            // failed commit is never a base (the stored version decides) and
            // the next commit removes it.
            if let Err(e) = settings::put(
                tx,
                settings::CALL_DIRECTORY_VERSION_KEY,
                &version.to_string(),
            ) {
                if let Some(target) = placed {
                    let _ = std::fs::remove_dir_all(target);
                }
                return Err(e);
            }
            Ok(version)
        })?;
        if let Some(root) = &self.root {
            snapshot::remove_others(root, version);
        }
        self.committed = Some(version);
        Ok(version)
    }
}

impl Drop for CallDirectoryExport {
    fn drop(&mut self) {
        // An export that was never committed leaves nothing behind.
        let dir = self
            .writer
            .as_ref()
            .map(|w| w.dir().to_path_buf())
            .or_else(|| self.finished_dir.take());
        if let Some(dir) = dir {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}
