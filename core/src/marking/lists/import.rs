//! Streaming import of an operator list (CONTRACT.md format, one entry a line):
//!
//! ```text
//! # comment
//! number,+12155551212,fraud,Known spoofer
//! prefix,+1900
//! ```
//!
//! Lines are parsed as they are read; entries are sorted in bounded chunks
//! spilled to files and merged into `fst` maps written straight to disk, so ten
//! million lines never sit in memory. The new list is built in a temporary
//! directory and renamed into place; the caller then switches the database's
//! pointer in one transaction, so the old list stays in force until the new one
//! is complete, and a killed import leaves only a temporary directory behind.

use super::operator_list::OperatorEntry;
use crate::error::{Error, Result};
use crate::intake::number::to_e164;
use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};
use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

/// Entries sorted in memory before a chunk is spilled to disk.
pub const CHUNK_ENTRIES: usize = 1_000_000;
/// Malformed lines whose numbers are kept for the report.
pub const MAX_REPORTED_LINES: usize = 100;
/// Longest line read; longer lines are malformed.
pub const MAX_LINE_BYTES: usize = 1024;

/// Progress of an import, for a progress bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImportProgress {
    /// Bytes read so far.
    pub bytes_read: u64,
    /// Lines read so far.
    pub lines_read: u64,
}

/// What an import did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportReport {
    /// Distinct numbers listed.
    pub numbers: u64,
    /// Distinct prefixes listed.
    pub prefixes: u64,
    /// Lines that were not entries (malformed).
    pub malformed: u64,
    /// Line numbers (1-based) of the first malformed lines.
    pub malformed_lines: Vec<u64>,
    /// Lines read.
    pub lines: u64,
}

/// Digits of the E.164 number as the key, and the entry index.
type Keyed = (Vec<u8>, u64);

struct Spiller {
    chunk: usize,
    dir: PathBuf,
    name: &'static str,
    buf: Vec<Keyed>,
    chunks: Vec<PathBuf>,
}

impl Spiller {
    fn push(&mut self, key: Vec<u8>, idx: u64) -> Result<()> {
        self.buf.push((key, idx));
        if self.buf.len() >= self.chunk {
            self.spill()?;
        }
        Ok(())
    }

    fn spill(&mut self) -> Result<()> {
        self.buf.sort_unstable();
        let path = self
            .dir
            .join(format!("{}-chunk-{}", self.name, self.chunks.len()));
        let mut w = BufWriter::new(File::create(&path).map_err(io)?);
        for (k, v) in self.buf.drain(..) {
            w.write_all(&k).map_err(io)?;
            writeln!(w, ",{v}").map_err(io)?;
        }
        w.flush().map_err(io)?;
        self.chunks.push(path);
        Ok(())
    }

    /// Merge everything into an `fst` map at `out`; returns the distinct keys.
    fn finish(mut self, out: &Path) -> Result<u64> {
        let mut builder = fst::MapBuilder::new(BufWriter::new(File::create(out).map_err(io)?))
            .map_err(fst_err)?;
        let mut last: Option<Vec<u8>> = None;
        let mut count = 0u64;
        let mut insert =
            |k: Vec<u8>, v: u64, builder: &mut fst::MapBuilder<BufWriter<File>>| -> Result<()> {
                if last.as_ref() != Some(&k) {
                    builder.insert(&k, v).map_err(fst_err)?;
                    count += 1;
                    last = Some(k);
                }
                Ok(())
            };
        if self.chunks.is_empty() {
            self.buf.sort_unstable();
            for (k, v) in std::mem::take(&mut self.buf) {
                insert(k, v, &mut builder)?;
            }
        } else {
            if !self.buf.is_empty() {
                self.spill()?;
            }
            let mut readers: Vec<_> = self
                .chunks
                .iter()
                .map(|p| File::open(p).map(|f| BufReader::new(f).lines()))
                .collect::<std::io::Result<_>>()
                .map_err(io)?;
            let mut heap = BinaryHeap::new();
            for (i, r) in readers.iter_mut().enumerate() {
                if let Some(kv) = next_record(r)? {
                    heap.push(Reverse((kv, i)));
                }
            }
            while let Some(Reverse(((k, v), i))) = heap.pop() {
                insert(k, v, &mut builder)?;
                if let Some(r) = readers.get_mut(i) {
                    if let Some(kv) = next_record(r)? {
                        heap.push(Reverse((kv, i)));
                    }
                }
            }
            for c in &self.chunks {
                let _ = std::fs::remove_file(c);
            }
        }
        let w = builder.into_inner().map_err(fst_err)?;
        w.into_inner()
            .map_err(|e| io(e.into_error()))?
            .sync_all()
            .map_err(io)?;
        Ok(count)
    }
}

fn next_record(lines: &mut std::io::Lines<BufReader<File>>) -> Result<Option<Keyed>> {
    match lines.next() {
        None => Ok(None),
        Some(line) => {
            let line = line.map_err(io)?;
            let (k, v) = line
                .rsplit_once(',')
                .ok_or_else(|| Error::Config("import chunk corrupt".into()))?;
            let v = v
                .parse()
                .map_err(|_| Error::Config("import chunk corrupt".into()))?;
            Ok(Some((k.as_bytes().to_vec(), v)))
        }
    }
}

fn io(e: std::io::Error) -> Error {
    Error::InvalidInput(format!("operator list import: {e}"))
}

fn fst_err(e: fst::Error) -> Error {
    Error::InvalidInput(format!("operator list import: {e}"))
}

enum Line {
    Skip,
    Entry {
        prefix: bool,
        digits: Vec<u8>,
        entry: OperatorEntry,
    },
    Malformed,
}

fn parse_line(line: &str) -> Line {
    let line = line.trim();
    if line.is_empty() || line.starts_with('#') {
        return Line::Skip;
    }
    let mut fields = line.splitn(4, ',').map(str::trim);
    let (Some(kind), Some(number)) = (fields.next(), fields.next()) else {
        return Line::Malformed;
    };
    let text = |s: Option<&str>| {
        s.map(|t| {
            t.chars()
                .filter(|c| !c.is_control())
                .take(128)
                .collect::<String>()
        })
        .filter(|t| !t.is_empty())
    };
    let entry = OperatorEntry {
        category: text(fields.next()),
        label: text(fields.next()),
    };
    match kind {
        "number" => match to_e164(number, None) {
            Some(e) => Line::Entry {
                prefix: false,
                digits: e.as_bytes().get(1..).unwrap_or_default().to_vec(),
                entry,
            },
            None => Line::Malformed,
        },
        "prefix" => {
            let digits = number.strip_prefix('+').unwrap_or("");
            if digits.is_empty() || digits.len() > 15 || !digits.bytes().all(|b| b.is_ascii_digit())
            {
                return Line::Malformed;
            }
            Line::Entry {
                prefix: true,
                digits: digits.as_bytes().to_vec(),
                entry,
            }
        }
        _ => Line::Malformed,
    }
}

/// Import `input` into a new list directory `dest` (which must not exist),
/// working in `dest` + `.tmp`. Reports progress every 64 Ki lines.
///
/// # Errors
/// [`Error::InvalidInput`] when reading or writing fails; the temporary
/// directory is removed and `dest` is not created.
pub fn import_operator_list(
    input: impl Read,
    dest: &Path,
    progress: &mut dyn FnMut(ImportProgress),
) -> Result<ImportReport> {
    let tmp = dest.with_extension("tmp");
    let _ = std::fs::remove_dir_all(&tmp);
    std::fs::create_dir_all(&tmp).map_err(io)?;
    let result = build(input, &tmp, progress, CHUNK_ENTRIES);
    match result {
        Ok(report) => {
            std::fs::rename(&tmp, dest).map_err(io)?;
            Ok(report)
        }
        Err(e) => {
            let _ = std::fs::remove_dir_all(&tmp);
            Err(e)
        }
    }
}

fn build(
    input: impl Read,
    dir: &Path,
    progress: &mut dyn FnMut(ImportProgress),
    chunk: usize,
) -> Result<ImportReport> {
    let mut reader = BufReader::with_capacity(1 << 16, input);
    let mut numbers = Spiller {
        chunk,
        dir: dir.to_path_buf(),
        name: "numbers",
        buf: Vec::new(),
        chunks: Vec::new(),
    };
    let mut prefixes = Spiller {
        chunk,
        dir: dir.to_path_buf(),
        name: "prefixes",
        buf: Vec::new(),
        chunks: Vec::new(),
    };
    let mut entries: Vec<OperatorEntry> = Vec::new();
    let mut entry_ids: HashMap<OperatorEntry, u64> = HashMap::new();
    let mut report = ImportReport {
        numbers: 0,
        prefixes: 0,
        malformed: 0,
        malformed_lines: Vec::new(),
        lines: 0,
    };
    let mut bytes_read = 0u64;
    let mut raw = Vec::with_capacity(256);
    loop {
        raw.clear();
        let n = (&mut reader)
            .take(MAX_LINE_BYTES as u64 + 1)
            .read_until(b'\n', &mut raw)
            .map_err(io)?;
        if n == 0 {
            break;
        }
        bytes_read += n as u64;
        report.lines += 1;
        let too_long = raw.len() > MAX_LINE_BYTES && raw.last() != Some(&b'\n');
        if too_long {
            // Skip the rest of an over-long line.
            let mut rest = Vec::new();
            bytes_read += reader.read_until(b'\n', &mut rest).map_err(io)? as u64;
        }
        let parsed = match (too_long, std::str::from_utf8(&raw)) {
            (false, Ok(line)) => parse_line(line),
            _ => Line::Malformed,
        };
        match parsed {
            Line::Skip => {}
            Line::Malformed => {
                report.malformed += 1;
                if report.malformed_lines.len() < MAX_REPORTED_LINES {
                    report.malformed_lines.push(report.lines);
                }
            }
            Line::Entry {
                prefix,
                digits,
                entry,
            } => {
                let next = entries.len() as u64;
                let id = *entry_ids.entry(entry.clone()).or_insert_with(|| {
                    entries.push(entry);
                    next
                });
                if prefix {
                    prefixes.push(digits, id)?;
                } else {
                    numbers.push(digits, id)?;
                }
            }
        }
        if report.lines % 65_536 == 0 {
            progress(ImportProgress {
                bytes_read,
                lines_read: report.lines,
            });
        }
    }
    progress(ImportProgress {
        bytes_read,
        lines_read: report.lines,
    });
    report.numbers = numbers.finish(&dir.join("numbers.fst"))?;
    report.prefixes = prefixes.finish(&dir.join("prefixes.fst"))?;
    let json = serde_json::to_vec(&entries).map_err(|e| Error::InvalidInput(e.to_string()))?;
    let mut f = File::create(dir.join("entries.json")).map_err(io)?;
    f.write_all(&json).map_err(io)?;
    f.sync_all().map_err(io)?;
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::marking::lists::OperatorList;

    #[test]
    fn import_counts_and_reports_malformed_lines() {
        let dir = tempfile::tempdir().unwrap();
        let input = "# list\nnumber,+12155551212,fraud,Spoofer\nprefix,+1900\nbogus\nnumber,notanumber\n\nnumber,+12155551212\nprefix,+12a\n";
        let dest = dir.path().join("op-1");
        let mut calls = 0;
        let r = import_operator_list(input.as_bytes(), &dest, &mut |_| calls += 1).unwrap();
        assert_eq!((r.numbers, r.prefixes, r.malformed), (1, 1, 3));
        assert_eq!(r.malformed_lines, vec![4, 5, 8]);
        assert!(calls >= 1);
        let list = OperatorList::load(&dest).unwrap();
        assert_eq!(
            list.lookup("+12155551212").unwrap().entry.label.as_deref(),
            Some("Spoofer")
        );
        assert!(list.lookup("+19005550000").unwrap().prefix);
    }

    #[test]
    fn chunks_spilled_to_disk_merge_in_order_without_duplicates() {
        let dir = tempfile::tempdir().unwrap();
        // Reverse order and duplicates across chunks of three entries.
        let mut input = String::new();
        for i in (0..20u64).rev() {
            input.push_str(&format!("number,+1215555{:04}\n", i % 15));
        }
        let out = dir.path().join("x");
        std::fs::create_dir(&out).unwrap();
        let r = build(input.as_bytes(), &out, &mut |_| {}, 3).unwrap();
        assert_eq!(r.numbers, 15);
        let list = OperatorList::load(&out).unwrap();
        for i in 0..15 {
            assert!(list.lookup(&format!("+1215555{i:04}")).is_some());
        }
        assert!(list.lookup("+12155550015").is_none());
        assert!(std::fs::read_dir(&out).unwrap().all(|e| !e
            .unwrap()
            .file_name()
            .to_string_lossy()
            .contains("chunk")));
    }
}
