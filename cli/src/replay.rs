//! `callscreen replay DIR`: every `*.sip` file, in name order, through one
//! screener (so replayed PASSporTs across files are seen), then a summary.

use crate::options::{read_input, ScreenOptions};
use crate::Fatal;
use callscreen_core::Verdict;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

/// Counts for the summary table.
#[derive(Default)]
struct Summary {
    by_indication: BTreeMap<&'static str, usize>,
    by_failure: BTreeMap<&'static str, usize>,
    refused: usize,
}

/// The `*.sip` files of `dir`, in name order.
fn invites(dir: &Path) -> Result<Vec<PathBuf>, Fatal> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .map_err(|e| Fatal(format!("{}: {e}", dir.display())))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "sip") && p.is_file())
        .collect();
    files.sort();
    Ok(files)
}

fn progress(len: usize) -> ProgressBar {
    let bar = if std::io::stderr().is_terminal() {
        ProgressBar::with_draw_target(Some(len as u64), ProgressDrawTarget::stderr())
    } else {
        ProgressBar::hidden()
    };
    if let Ok(style) = ProgressStyle::with_template("{bar:40} {pos}/{len} {wide_msg}") {
        bar.set_style(style);
    }
    bar
}

/// The line printed for one file: its verdict, or why it was refused.
fn line(name: &str, verdict: &Result<Verdict, Fatal>, json: bool) -> String {
    match (verdict, json) {
        (Ok(v), true) => {
            let mut obj = v.to_json();
            if let Some(map) = obj.as_object_mut() {
                map.insert("file".into(), name.into());
            }
            obj.to_string()
        }
        (Ok(v), false) => format!(
            "{name}: {} ({}{})",
            v.indication.as_str(),
            v.verification.status.as_str(),
            v.verification
                .failure
                .map(|f| format!(", {}", f.reason.as_str()))
                .unwrap_or_default()
        ),
        (Err(Fatal(msg)), true) => serde_json::json!({"file": name, "error": msg}).to_string(),
        (Err(Fatal(msg)), false) => format!("{name}: refused: {msg}"),
    }
}

impl Summary {
    fn count(&mut self, verdict: &Result<Verdict, Fatal>) {
        match verdict {
            Ok(v) => {
                *self.by_indication.entry(v.indication.as_str()).or_default() += 1;
                if let Some(f) = v.verification.failure {
                    *self.by_failure.entry(f.reason.as_str()).or_default() += 1;
                }
            }
            Err(_) => self.refused += 1,
        }
    }

    fn print(&self, out: &mut impl Write, files: usize) -> std::io::Result<()> {
        writeln!(
            out,
            "\n{} calls screened, {} refused",
            files - self.refused,
            self.refused
        )?;
        writeln!(out, "{:<24} {:>6}", "indication", "calls")?;
        for (k, n) in &self.by_indication {
            writeln!(out, "{k:<24} {n:>6}")?;
        }
        if !self.by_failure.is_empty() {
            writeln!(out, "{:<24} {:>6}", "failure reason", "calls")?;
            for (k, n) in &self.by_failure {
                writeln!(out, "{k:<24} {n:>6}")?;
            }
        }
        Ok(())
    }
}

/// Run a replay.
pub fn run(options: &ScreenOptions, dir: &Path) -> Result<(), Fatal> {
    let files = invites(dir)?;
    let screener = options.open()?;
    let bar = progress(files.len());
    let mut summary = Summary::default();
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for path in &files {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        bar.set_message(name.clone());
        let verdict = read_input(path).and_then(|b| screener.screen_sip(&b).map_err(Fatal::from));
        summary.count(&verdict);
        let text = line(&name, &verdict, options.json);
        bar.suspend(|| writeln!(out, "{text}"))?;
        bar.inc(1);
    }
    bar.finish_and_clear();
    if !options.json {
        summary.print(&mut out, files.len())?;
    }
    Ok(())
}
