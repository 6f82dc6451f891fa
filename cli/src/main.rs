//! `callscreen`: screen captured SIP INVITEs on the desktop with the same core the
//! phone runs. The forms and JSON are CONTRACT.md's.
//!
//! Exit codes: 0 when a verdict was printed (a failed verification is a verdict),
//! 2 for unusable arguments or input, with one line on stderr.

/// `println!` that ends quietly on a closed pipe (see [`say`]).
macro_rules! sayln {
    ($($t:tt)*) => {
        $crate::say(format!($($t)*))
    };
}

mod history;
mod lists;
mod open;
mod options;
mod outbox;
mod output;
mod policy;
mod replay;
mod report;
mod ut_http;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// Screen incoming calls: STIR/SHAKEN verification, marking and reaction.
#[derive(Parser)]
#[command(name = "callscreen", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Screen one SIP INVITE and print the verdict.
    Screen {
        #[command(flatten)]
        options: options::ScreenOptions,
        /// The INVITE, as captured (CRLF or LF line ends).
        invite_file: std::path::PathBuf,
    },
    /// Screen every `*.sip` file in a directory, in name order, and summarise.
    Replay {
        #[command(flatten)]
        options: options::ScreenOptions,
        /// The directory.
        dir: std::path::PathBuf,
    },
    /// Block rules, exceptions and operator lists.
    #[command(subcommand)]
    List(lists::ListCommand),
    /// The reaction policy.
    #[command(subcommand)]
    Policy(policy::PolicyCommand),
    /// Spoofed-call history: review, delete, correct, report.
    #[command(subcommand)]
    History(history::HistoryCommand),
    /// Report a call that is not in the history.
    Report(report::ReportArgs),
    /// Reports and barring changes waiting for delivery over Ut.
    #[command(subcommand)]
    Outbox(outbox::OutboxCommand),
}

/// Print a line on stdout. A closed pipe (`callscreen ... | head`) ends the
/// program quietly instead of panicking.
pub fn say(line: impl std::fmt::Display) {
    use std::io::Write;
    if let Err(e) = writeln!(std::io::stdout().lock(), "{line}") {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
    }
}

/// A failure that exits 2 with one line on stderr.
pub struct Fatal(pub String);

impl<E: std::fmt::Display> From<E> for Fatal {
    fn from(e: E) -> Self {
        Fatal(e.to_string())
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Screen {
            options,
            invite_file,
        } => screen(&options, &invite_file),
        Command::Replay { options, dir } => replay::run(&options, &dir),
        Command::List(cmd) => lists::run(cmd),
        Command::Policy(cmd) => policy::run(cmd),
        Command::History(cmd) => history::run(cmd),
        Command::Report(args) => report::run(args),
        Command::Outbox(cmd) => outbox::run(cmd),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Fatal(msg)) => {
            eprintln!("callscreen: {msg}");
            ExitCode::from(2)
        }
    }
}

fn screen(options: &options::ScreenOptions, file: &std::path::Path) -> Result<(), Fatal> {
    let screener = options.open()?;
    let bytes = options::read_input(file)?;
    let verdict = screener
        .screen_sip(&bytes)
        .map_err(|e| Fatal(format!("{}: {e}", file.display())))?;
    if options.json {
        say(verdict.to_json());
    } else {
        say(output::human(&verdict).trim_end());
    }
    Ok(())
}
