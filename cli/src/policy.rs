//! `callscreen policy show|set`: the reaction policy stored in the database.

use crate::Fatal;
use clap::Subcommand;
use std::path::PathBuf;

/// Policy commands.
#[derive(Subcommand)]
pub enum PolicyCommand {
    /// Print the policy as JSON.
    Show {
        /// The database.
        #[arg(long)]
        db: PathBuf,
    },
    /// Set policy fields: `KEY=VALUE` (e.g. `withheld_action=silence`,
    /// `block_threshold=90`, `present_only_trusted_cli=true`).
    Set {
        /// The database.
        #[arg(long)]
        db: PathBuf,
        /// Fields to set.
        #[arg(required = true, value_name = "KEY=VALUE")]
        fields: Vec<String>,
    },
}

/// Run a policy command.
pub fn run(cmd: PolicyCommand) -> Result<(), Fatal> {
    match cmd {
        PolicyCommand::Show { db } => {
            let policy = crate::open::admin(&db, None, None)?.policy()?;
            sayln!("{}", serde_json::to_string_pretty(&policy)?);
            Ok(())
        }
        PolicyCommand::Set { db, fields } => {
            let screener = crate::open::admin(&db, None, None)?;
            let mut value = serde_json::to_value(screener.policy()?)?;
            for field in &fields {
                let (key, raw) = field
                    .split_once('=')
                    .ok_or_else(|| Fatal(format!("{field:?} is not KEY=VALUE")))?;
                let Some(slot) = value.get_mut(key) else {
                    return Err(Fatal(format!("no policy field {key:?}")));
                };
                *slot = serde_json::from_str(raw)
                    .unwrap_or_else(|_| serde_json::Value::String(raw.to_string()));
            }
            let policy =
                serde_json::from_value(value).map_err(|e| Fatal(format!("policy: {e}")))?;
            screener.set_policy(policy)?;
            Ok(())
        }
    }
}
