//! `callscreen outbox list|send` (CONTRACT.md), and `retry`, `show`.

use crate::history::DbArgs;
use crate::ut_http::HttpTransport;
use crate::Fatal;
use clap::Subcommand;
use std::time::Duration;

/// Outbox commands.
#[derive(Subcommand)]
pub enum OutboxCommand {
    /// List queued, delivered and failed reports and barring changes.
    List {
        #[command(flatten)]
        db: DbArgs,
        /// One JSON object per line.
        #[arg(long)]
        json: bool,
    },
    /// One delivery pass over every item that is due, then exit.
    Send {
        #[command(flatten)]
        db: DbArgs,
        /// The Ut (XCAP) root URL.
        #[arg(long, value_name = "URL")]
        ut_root: String,
        /// User name for Digest or Basic authentication.
        #[arg(long, requires = "password")]
        user: Option<String>,
        /// Password.
        #[arg(long, requires = "user")]
        password: Option<String>,
        /// The subscriber's public identity (XUI, `tel:+1...`), stored for later passes.
        #[arg(long)]
        identity: Option<String>,
        /// Per-request timeout, seconds.
        #[arg(long, default_value_t = 10.0)]
        timeout: f64,
    },
    /// Put a failed item back in the queue.
    Retry {
        #[command(flatten)]
        db: DbArgs,
        /// The item's id.
        id: String,
    },
    /// Print a report's document (XML).
    Show {
        #[command(flatten)]
        db: DbArgs,
        /// The item's id.
        id: String,
    },
}

/// Run an outbox command.
pub fn run(cmd: OutboxCommand) -> Result<(), Fatal> {
    match cmd {
        OutboxCommand::List { db, json } => {
            for item in db.open()?.outbox()? {
                if json {
                    sayln!("{}", item.to_json());
                } else {
                    sayln!(
                        "{}  {:<14} {:<9} {:>2} attempts{}{}",
                        item.id,
                        item.kind,
                        item.state.as_str(),
                        item.attempts,
                        item.target
                            .as_deref()
                            .map(|t| format!("  {t}"))
                            .unwrap_or_default(),
                        item.last_error
                            .as_deref()
                            .map(|e| format!("  ({e})"))
                            .unwrap_or_default(),
                    );
                }
            }
            Ok(())
        }
        OutboxCommand::Send {
            db,
            ut_root,
            user,
            password,
            identity,
            timeout,
        } => {
            if !(ut_root.starts_with("https://") || ut_root.starts_with("http://")) {
                return Err(Fatal(format!(
                    "--ut-root {ut_root:?} is not an http(s) URL"
                )));
            }
            if !(timeout > 0.0 && timeout <= 600.0) {
                return Err(Fatal("--timeout is 0..600 seconds".into()));
            }
            let screener = db.open()?;
            if let Some(i) = identity {
                screener.set_ut_identity(&i)?;
            }
            let transport = HttpTransport::new(
                &ut_root,
                user.zip(password),
                Duration::from_secs_f64(timeout),
            );
            let s = screener.deliver_outbox(&transport)?;
            sayln!(
                "attempted {}, delivered {}, retrying {}, failed {}",
                s.attempted,
                s.delivered,
                s.retrying,
                s.failed
            );
            Ok(())
        }
        OutboxCommand::Retry { db, id } => {
            if db.open()?.retry_report(&id)? {
                Ok(())
            } else {
                Err(Fatal(format!("no failed item {id}")))
            }
        }
        OutboxCommand::Show { db, id } => {
            let body = db
                .open()?
                .report_body(&id)?
                .ok_or_else(|| Fatal(format!("no item {id}")))?;
            sayln!("{}", String::from_utf8_lossy(&body).trim_end());
            Ok(())
        }
    }
}
