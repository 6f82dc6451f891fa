//! `callscreen replay DIR`: every `*.sip` file, in name order, through one
//! screener (so replayed PASSporTs across files are seen), then a summary.

use crate::options::{read_input, ScreenOptions};
use crate::Fatal;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};
use std::path::Path;

/// Run a replay.
pub fn run(options: &ScreenOptions, dir: &Path) -> Result<(), Fatal> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .map_err(|e| Fatal(format!("{}: {e}", dir.display())))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "sip") && p.is_file())
        .collect();
    files.sort();
    let screener = options.open()?;

    let bar = if std::io::stderr().is_terminal() {
        ProgressBar::with_draw_target(Some(files.len() as u64), ProgressDrawTarget::stderr())
    } else {
        ProgressBar::hidden()
    };
    if let Ok(style) = ProgressStyle::with_template("{bar:40} {pos}/{len} {wide_msg}") {
        bar.set_style(style);
    }

    let mut by_indication: BTreeMap<String, usize> = BTreeMap::new();
    let mut by_failure: BTreeMap<String, usize> = BTreeMap::new();
    let mut refused = 0usize;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for path in &files {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        bar.set_message(name.clone());
        let verdict = read_input(path).and_then(|b| screener.screen_sip(&b).map_err(Fatal::from));
        match verdict {
            Ok(v) => {
                *by_indication
                    .entry(v.indication.as_str().to_string())
                    .or_default() += 1;
                if let Some(f) = v.verification.failure {
                    *by_failure.entry(f.reason.as_str().to_string()).or_default() += 1;
                }
                if options.json {
                    let mut obj = v.to_json();
                    if let Some(map) = obj.as_object_mut() {
                        map.insert("file".into(), name.clone().into());
                    }
                    bar.suspend(|| writeln!(out, "{obj}"))?;
                } else {
                    let line = format!(
                        "{name}: {} ({}{})",
                        v.indication.as_str(),
                        v.verification.status.as_str(),
                        v.verification
                            .failure
                            .map(|f| format!(", {}", f.reason.as_str()))
                            .unwrap_or_default()
                    );
                    bar.suspend(|| writeln!(out, "{line}"))?;
                }
            }
            Err(Fatal(msg)) => {
                refused += 1;
                if options.json {
                    let obj = serde_json::json!({"file": name, "error": msg});
                    bar.suspend(|| writeln!(out, "{obj}"))?;
                } else {
                    bar.suspend(|| writeln!(out, "{name}: refused: {msg}"))?;
                }
            }
        }
        bar.inc(1);
    }
    bar.finish_and_clear();
    if !options.json {
        writeln!(
            out,
            "\n{} calls screened, {} refused",
            files.len() - refused,
            refused
        )?;
        writeln!(out, "{:<24} {:>6}", "indication", "calls")?;
        for (k, n) in &by_indication {
            writeln!(out, "{k:<24} {n:>6}")?;
        }
        if !by_failure.is_empty() {
            writeln!(out, "{:<24} {:>6}", "failure reason", "calls")?;
            for (k, n) in &by_failure {
                writeln!(out, "{k:<24} {n:>6}")?;
            }
        }
    }
    Ok(())
}
