//! `callscreen history list|review|delete|not-spoofed|report` (CONTRACT.md,
//! "History, reports and the outbox"), and `mark`, `notice`, `settings`.

use crate::open::time;
use crate::Fatal;
use callscreen_core::clock::rfc3339;
use callscreen_core::history::{
    BlockMode, Correction, HistoryEntry, HistoryFilter, HistoryMode, NotSpoofedScope,
};
use callscreen_core::reports::{ReportKind, ReportRequest, ReportWhen};
use callscreen_core::{Indication, Presentation, Screener};
use clap::{Args, Subcommand};
use std::path::PathBuf;

/// The database and clock options of the history, report and outbox commands.
#[derive(Args, Debug, Clone)]
pub struct DbArgs {
    /// The database.
    #[arg(long, value_name = "PATH")]
    pub db: PathBuf,
    /// The clock (default: the system clock).
    #[arg(long, value_name = "RFC3339")]
    pub now: Option<String>,
    /// Region for national-format numbers (ISO 3166-1 alpha-2).
    #[arg(long, value_name = "CC")]
    pub default_region: Option<String>,
}

impl DbArgs {
    /// Open a screener on the database (no trust anchors needed).
    pub fn open(&self) -> Result<Screener, Fatal> {
        crate::open::admin(&self.db, self.default_region.clone(), self.now.as_deref())
    }
}

/// Parse `--kind`.
pub fn kind(k: &str) -> Result<ReportKind, Fatal> {
    ReportKind::parse(k).ok_or_else(|| {
        Fatal(format!(
            "--kind {k:?}: spoofed|unsolicited|not_spoofed|rating_request|challenge"
        ))
    })
}

/// Parse `--when`.
pub fn when(w: Option<&str>) -> Result<ReportWhen, Fatal> {
    match w {
        None => Ok(ReportWhen::After),
        Some(w) => ReportWhen::parse(w)
            .ok_or_else(|| Fatal(format!("--when {w:?}: before_answer|during|after"))),
    }
}

/// Parse `--block`.
pub fn block(b: &str) -> Result<BlockMode, Fatal> {
    BlockMode::parse(b).ok_or_else(|| {
        Fatal(format!(
            "--block {b:?}: none|default|always|unless-verified"
        ))
    })
}

/// History commands.
#[derive(Subcommand)]
pub enum HistoryCommand {
    /// List recorded calls, newest first.
    List {
        #[command(flatten)]
        db: DbArgs,
        /// Only calls at or after this time.
        #[arg(long, value_name = "RFC3339")]
        since: Option<String>,
        /// Only calls before this time.
        #[arg(long, value_name = "RFC3339")]
        until: Option<String>,
        /// Only calls not yet reviewed.
        #[arg(long)]
        unreviewed: bool,
        /// Only this indication (repeat for more).
        #[arg(long)]
        indication: Vec<String>,
        /// At most this many.
        #[arg(long)]
        limit: Option<u32>,
        /// One JSON object per line.
        #[arg(long)]
        json: bool,
    },
    /// Mark calls reviewed.
    Review {
        #[command(flatten)]
        db: DbArgs,
        /// The entries' ids.
        #[arg(required = true)]
        ids: Vec<i64>,
    },
    /// Delete calls (overwritten on disk), or all of them.
    Delete {
        #[command(flatten)]
        db: DbArgs,
        /// The entries' ids.
        #[arg(required_unless_present = "all", conflicts_with = "all")]
        ids: Vec<i64>,
        /// Every entry.
        #[arg(long)]
        all: bool,
    },
    /// "Not spoofed": an exception for the number (or its country).
    NotSpoofed {
        #[command(flatten)]
        db: DbArgs,
        /// The entry's id.
        id: i64,
        /// `number` (default) or `country`.
        #[arg(long, default_value = "number")]
        scope: String,
    },
    /// "Spoofed" or "unsolicited" on a call, optionally blocking the number.
    Mark {
        #[command(flatten)]
        db: DbArgs,
        /// The entry's id.
        id: i64,
        /// `spoofed` or `unsolicited`.
        #[arg(long)]
        kind: String,
        /// `none`, `default` (unless verified when the call was not), `always`,
        /// `unless-verified`.
        #[arg(long, default_value = "none")]
        block: String,
    },
    /// Remove a user block, and its network-side barring if there was one.
    Unblock {
        #[command(flatten)]
        db: DbArgs,
        /// The rule's id.
        rule: i64,
    },
    /// Queue a report on a recorded call.
    Report {
        #[command(flatten)]
        db: DbArgs,
        /// The entry's id.
        id: i64,
        /// spoofed | unsolicited | not_spoofed | rating_request | challenge.
        #[arg(long)]
        kind: String,
        /// before_answer | during | after (default).
        #[arg(long)]
        when: Option<String>,
        /// A category.
        #[arg(long)]
        category: Option<String>,
        /// A comment.
        #[arg(long)]
        comment: Option<String>,
    },
    /// The count of new spoofed or blocked calls since the history was last seen.
    Notice {
        #[command(flatten)]
        db: DbArgs,
        /// Mark the history seen (the count starts again from now).
        #[arg(long)]
        seen: bool,
    },
    /// Which calls are recorded, and for how long.
    Settings {
        #[command(flatten)]
        db: DbArgs,
        /// `all`, `flagged` (default) or `off`.
        #[arg(long)]
        mode: Option<String>,
        /// Days to keep entries (default 30).
        #[arg(long)]
        retention_days: Option<i64>,
    },
}

/// Print what a correction did, and the report it offers.
pub fn print_correction(c: &Correction, db: &std::path::Path) {
    if let Some(id) = c.rule_id {
        match c.block {
            BlockMode::None => sayln!("rule {id}: exception"),
            BlockMode::UnlessVerified => sayln!("rule {id}: block unless verified"),
            _ => sayln!("rule {id}: block"),
        }
    }
    let target = match (c.offer.history_id, c.offer.number.as_deref()) {
        (Some(h), _) => format!("history report --db {} {h}", db.display()),
        (None, Some(n)) => format!("report --db {} --number {n}", db.display()),
        (None, None) => return,
    };
    sayln!(
        "offer: report it with `callscreen {target} --kind {}`",
        c.offer.kind.as_str()
    );
}

/// `history list`'s filter from its options.
struct ListArgs {
    since: Option<String>,
    until: Option<String>,
    unreviewed: bool,
    indication: Vec<String>,
    limit: Option<u32>,
}

impl ListArgs {
    fn filter(self) -> Result<HistoryFilter, Fatal> {
        Ok(HistoryFilter {
            since: self
                .since
                .as_deref()
                .map(|t| time("--since", t))
                .transpose()?,
            until: self
                .until
                .as_deref()
                .map(|t| time("--until", t))
                .transpose()?,
            indications: self
                .indication
                .iter()
                .map(|i| {
                    Indication::parse(i)
                        .ok_or_else(|| Fatal(format!("--indication {i:?}: not an indication")))
                })
                .collect::<Result<_, _>>()?,
            unreviewed_only: self.unreviewed,
            flagged_only: false,
            limit: self.limit,
        })
    }
}

fn list(db: &DbArgs, args: ListArgs, json: bool) -> Result<(), Fatal> {
    let s = db.open()?;
    for h in s.history(&args.filter()?)? {
        if json {
            sayln!("{}", h.to_json());
        } else {
            sayln!("{}", row(&h));
        }
    }
    Ok(())
}

/// One line of `history list`.
fn row(h: &HistoryEntry) -> String {
    let e = &h.entry;
    let caller = e
        .calling
        .as_deref()
        .unwrap_or(if e.presentation == Presentation::Withheld {
            "withheld"
        } else {
            "-"
        });
    format!(
        "{:>6}  {}  {:<20} {:<9} {:<16} {:>3}  {}{}",
        h.id,
        rfc3339(e.time),
        e.indication.as_str(),
        e.action.as_str(),
        caller,
        e.score,
        e.call_id.as_deref().unwrap_or("-"),
        if h.reviewed { "  (reviewed)" } else { "" },
    )
}

fn review(db: &DbArgs, ids: &[i64]) -> Result<(), Fatal> {
    let n = db.open()?.mark_reviewed(ids)?;
    if n < ids.len() {
        return Err(Fatal(format!(
            "{} of {} entries not found",
            ids.len() - n,
            ids.len()
        )));
    }
    Ok(())
}

fn notice(db: &DbArgs, seen: bool) -> Result<(), Fatal> {
    let s = db.open()?;
    sayln!("{}", s.history_notice_count()?);
    if seen {
        s.history_seen()?;
    }
    Ok(())
}

fn settings(db: &DbArgs, mode: Option<String>, retention_days: Option<i64>) -> Result<(), Fatal> {
    let s = db.open()?;
    if let Some(m) = mode {
        let m = HistoryMode::parse(&m)
            .ok_or_else(|| Fatal(format!("--mode {m:?}: all|flagged|off")))?;
        s.set_history_mode(m)?;
    }
    if let Some(d) = retention_days {
        s.set_history_retention_days(d)?;
    }
    sayln!("mode {}", s.history_mode().as_str());
    Ok(())
}

/// Run a history command.
pub fn run(cmd: HistoryCommand) -> Result<(), Fatal> {
    match cmd {
        HistoryCommand::List {
            db,
            since,
            until,
            unreviewed,
            indication,
            limit,
            json,
        } => {
            let args = ListArgs {
                since,
                until,
                unreviewed,
                indication,
                limit,
            };
            list(&db, args, json)
        }
        HistoryCommand::Review { db, ids } => review(&db, &ids),
        HistoryCommand::Delete { db, ids, all } => {
            let s = db.open()?;
            let n = if all {
                s.clear_history()?
            } else {
                s.delete_history(&ids)?
            };
            sayln!("deleted {n}");
            Ok(())
        }
        HistoryCommand::NotSpoofed { db, id, scope } => {
            let scope = NotSpoofedScope::parse(&scope)
                .ok_or_else(|| Fatal(format!("--scope {scope:?}: number|country")))?;
            let c = db.open()?.correct_not_spoofed(id, scope)?;
            print_correction(&c, &db.db);
            Ok(())
        }
        HistoryCommand::Mark {
            db,
            id,
            kind: k,
            block: b,
        } => {
            let c = db.open()?.correct_unwanted(id, kind(&k)?, block(&b)?)?;
            print_correction(&c, &db.db);
            Ok(())
        }
        HistoryCommand::Unblock { db, rule } => {
            if db.open()?.unblock(rule)? {
                Ok(())
            } else {
                Err(Fatal(format!("no rule {rule}")))
            }
        }
        HistoryCommand::Report {
            db,
            id,
            kind: k,
            when: w,
            category,
            comment,
        } => {
            let req = ReportRequest {
                when: when(w.as_deref())?,
                category,
                comment,
                ..ReportRequest::on_entry(kind(&k)?, id)
            };
            sayln!("{}", db.open()?.report(req)?);
            Ok(())
        }
        HistoryCommand::Notice { db, seen } => notice(&db, seen),
        HistoryCommand::Settings {
            db,
            mode,
            retention_days,
        } => settings(&db, mode, retention_days),
    }
}
