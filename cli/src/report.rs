//! `callscreen report --db DB --number E164 --kind KIND [--when ...]`: a report
//! on a call not in the history (CONTRACT.md), optionally blocking the number.

use crate::history::{block, kind, when, DbArgs};
use crate::Fatal;
use callscreen_core::history::BlockMode;
use callscreen_core::reports::{ReportKind, ReportRequest};
use clap::Args;

/// `report`.
#[derive(Args)]
pub struct ReportArgs {
    #[command(flatten)]
    db: DbArgs,
    /// The caller's number (E.164, or national with --default-region).
    #[arg(long, value_name = "E164")]
    number: String,
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
    /// Also block the number (spoofed or unsolicited): none (default), default,
    /// always, unless-verified.
    #[arg(long, default_value = "none")]
    block: String,
    /// The call was verified (for `--block default`: block always).
    #[arg(long)]
    verified: bool,
}

/// Run `report`.
pub fn run(a: ReportArgs) -> Result<(), Fatal> {
    let k = kind(&a.kind)?;
    let mode = block(&a.block)?;
    if mode != BlockMode::None && !matches!(k, ReportKind::Spoofed | ReportKind::Unsolicited) {
        return Err(Fatal(
            "--block goes with --kind spoofed or unsolicited".into(),
        ));
    }
    let screener = a.db.open()?;
    let req = ReportRequest {
        when: when(a.when.as_deref())?,
        category: a.category,
        comment: a.comment,
        ..ReportRequest::on_number(k, a.number.clone())
    };
    let id = screener.report(req)?;
    sayln!("{id}");
    if mode != BlockMode::None {
        let c = screener.block_number(&a.number, k, mode, a.verified)?;
        if let Some(rule) = c.rule_id {
            sayln!(
                "rule {rule}: block{}",
                if c.block == BlockMode::UnlessVerified {
                    " unless verified"
                } else {
                    ""
                }
            );
        }
    }
    Ok(())
}
