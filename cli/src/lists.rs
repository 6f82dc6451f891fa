//! `callscreen list add|remove|show|import` (CONTRACT.md, "Lists").

use crate::open::{admin, time};
use crate::Fatal;
use callscreen_core::marking::lists::{
    Effect, NewRule, Rule, RuleKind, RuleSource, VerificationClass,
};
use clap::{Args, Subcommand};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

/// List commands.
#[derive(Subcommand)]
pub enum ListCommand {
    /// Add a block rule or an exception.
    Add(Box<AddArgs>),
    /// Remove a rule by id.
    Remove {
        /// The database.
        #[arg(long)]
        db: PathBuf,
        /// The rule's id (from `list show`).
        id: i64,
    },
    /// Show the rules and the imported operator lists.
    Show {
        /// The database.
        #[arg(long)]
        db: PathBuf,
        /// One JSON object per rule, per line.
        #[arg(long)]
        json: bool,
    },
    /// Import an operator list (`number|prefix,E164[,category[,label]]` per line),
    /// replacing the previous version atomically.
    Import {
        /// The database.
        #[arg(long)]
        db: PathBuf,
        /// The list file.
        #[arg(long)]
        operator: PathBuf,
        /// The operator's mandatory list (above the user's own rules).
        #[arg(long)]
        mandatory: bool,
    },
}

/// `list add`.
#[derive(Args)]
pub struct AddArgs {
    /// The database.
    #[arg(long)]
    db: PathBuf,
    /// A block rule.
    #[arg(
        long,
        conflicts_with = "exception",
        required_unless_present = "exception"
    )]
    block: bool,
    /// An exception (lets the call ring despite block rules).
    #[arg(long)]
    exception: bool,
    /// One number (E.164, or national with --default-region).
    #[arg(group = "what")]
    number: Option<String>,
    /// Every number starting with these digits (E.164).
    #[arg(long, group = "what", value_name = "E164")]
    prefix: Option<String>,
    /// COUNT numbers from this one (E.164), as in a TNAuthList range.
    #[arg(long, group = "what", value_name = "E164", requires = "count")]
    range: Option<String>,
    /// How many numbers the range holds.
    #[arg(long, value_name = "N")]
    count: Option<u64>,
    /// Numbers of a country (ISO 3166-1 alpha-2).
    #[arg(long, group = "what", value_name = "CC")]
    country: Option<String>,
    /// Callers who withhold their number.
    #[arg(long, group = "what")]
    withheld: bool,
    /// Calls whose verification is `failed`, `unverified`, `B` or `C`.
    #[arg(long, group = "what", value_name = "CLASS")]
    verification: Option<String>,
    /// Callers the app says are contacts.
    #[arg(long, group = "what")]
    contacts: bool,
    /// Every call (with --exception and --until: "pause blocking until").
    #[arg(long, group = "what")]
    all: bool,
    /// The rule ends at this time.
    #[arg(long, value_name = "RFC3339")]
    until: Option<String>,
    /// Only calls on this line (SIM slot).
    #[arg(long, value_name = "N")]
    line: Option<u32>,
    /// A label for people.
    #[arg(long)]
    label: Option<String>,
    /// A category.
    #[arg(long)]
    category: Option<String>,
    /// Region for national-format numbers.
    #[arg(long, value_name = "CC")]
    default_region: Option<String>,
    /// Who makes the rule: user (default), operator, operator_mandatory, feedback.
    #[arg(long, default_value = "user")]
    source: String,
}

fn fmt_time(t: Option<i64>) -> String {
    t.and_then(|t| chrono::DateTime::from_timestamp(t, 0))
        .map(|d| d.to_rfc3339())
        .unwrap_or_else(|| "-".into())
}

/// Run a list command.
pub fn run(cmd: ListCommand) -> Result<(), Fatal> {
    match cmd {
        ListCommand::Add(a) => add(*a),
        ListCommand::Remove { db, id } => {
            if admin(&db, None, None)?.remove_rule(id)? {
                Ok(())
            } else {
                Err(Fatal(format!("no rule {id}")))
            }
        }
        ListCommand::Show { db, json } => show(&db, json),
        ListCommand::Import {
            db,
            operator,
            mandatory,
        } => import(&db, &operator, mandatory),
    }
}

/// What `list add` matches on.
fn rule_kind(a: &AddArgs) -> Result<RuleKind, Fatal> {
    Ok(if let Some(n) = &a.number {
        RuleKind::Number(n.clone())
    } else if let Some(p) = &a.prefix {
        RuleKind::Prefix(p.clone())
    } else if let Some(r) = &a.range {
        RuleKind::Range {
            start: r.clone(),
            count: a.count.unwrap_or(0),
        }
    } else if let Some(c) = &a.country {
        RuleKind::Country(c.clone())
    } else if a.withheld {
        RuleKind::Withheld
    } else if let Some(v) = &a.verification {
        RuleKind::Verification(
            VerificationClass::parse(v)
                .ok_or_else(|| Fatal(format!("--verification {v:?}: failed|unverified|B|C")))?,
        )
    } else if a.contacts {
        RuleKind::Contact
    } else if a.all {
        RuleKind::Any
    } else {
        return Err(Fatal(
            "say what the rule matches: NUMBER, --prefix, --range, --country, --withheld, ..."
                .into(),
        ));
    })
}

fn add(a: AddArgs) -> Result<(), Fatal> {
    let kind = rule_kind(&a)?;
    let source =
        RuleSource::parse(&a.source).ok_or_else(|| Fatal(format!("--source {:?}", a.source)))?;
    let rule = NewRule {
        kind,
        effect: if a.block {
            Effect::Block
        } else {
            Effect::Exception
        },
        source,
        label: a.label,
        category: a.category,
        starts_at: None,
        expires_at: a.until.as_deref().map(|t| time("--until", t)).transpose()?,
        line: a.line,
    };
    let id = admin(&a.db, a.default_region, None)?.add_rule(rule)?;
    sayln!("{id}");
    Ok(())
}

fn show(db: &Path, json: bool) -> Result<(), Fatal> {
    let screener = admin(db, None, None)?;
    for r in screener.rules()? {
        if json {
            sayln!("{}", rule_json(&r));
        } else {
            let rule = &r.rule;
            sayln!(
                "{:>5}  {:<9} {:<12} {:<16} {:<18} until {}{}{}{}",
                r.id,
                rule.effect.as_str(),
                rule.kind.name(),
                rule.kind.value(),
                rule.source.as_str(),
                fmt_time(rule.expires_at),
                rule.line.map(|l| format!(", line {l}")).unwrap_or_default(),
                if r.unless_verified {
                    ", unless verified"
                } else {
                    ""
                },
                rule.label
                    .as_deref()
                    .map(|l| format!(", \"{l}\""))
                    .unwrap_or_default(),
            );
        }
    }
    if json {
        return Ok(());
    }
    for l in screener.operator_lists()? {
        sayln!(
            "{}: {} numbers, {} prefixes, imported {}",
            l.name,
            l.numbers,
            l.prefixes,
            fmt_time(Some(l.imported_at))
        );
    }
    if let Some(t) = screener.next_change_at()? {
        sayln!("next change: {}", fmt_time(Some(t)));
    }
    Ok(())
}

/// One rule as `list show --json` prints it.
fn rule_json(r: &Rule) -> serde_json::Value {
    let rule = &r.rule;
    serde_json::json!({
        "id": r.id, "effect": rule.effect.as_str(), "kind": rule.kind.name(),
        "value": rule.kind.value(), "source": rule.source.as_str(), "label": rule.label,
        "category": rule.category, "starts_at": rule.starts_at, "expires_at": rule.expires_at,
        "line": rule.line, "created_at": r.created_at, "unless_verified": r.unless_verified,
    })
}

fn import(db: &Path, operator: &Path, mandatory: bool) -> Result<(), Fatal> {
    let file =
        std::fs::File::open(operator).map_err(|e| Fatal(format!("{}: {e}", operator.display())))?;
    let total = file.metadata().map(|m| m.len()).unwrap_or(0);
    let screener = admin(db, None, None)?;
    let bar = if std::io::stderr().is_terminal() {
        ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr())
    } else {
        ProgressBar::hidden()
    };
    if let Ok(style) = ProgressStyle::with_template("{bar:40} {bytes}/{total_bytes} {msg}") {
        bar.set_style(style);
    }
    let report = screener.import_operator_list(file, mandatory, &mut |p| {
        bar.set_position(p.bytes_read);
        bar.set_message(format!("{} lines", p.lines_read));
    })?;
    bar.finish_and_clear();
    sayln!(
        "imported {} numbers and {} prefixes from {} lines; {} malformed",
        report.numbers,
        report.prefixes,
        report.lines,
        report.malformed
    );
    if !report.malformed_lines.is_empty() {
        let shown: Vec<String> = report.malformed_lines.iter().map(u64::to_string).collect();
        sayln!("malformed lines: {}", shown.join(", "));
    }
    Ok(())
}
