//! An operator's imported list: immutable `fst` maps (exact numbers, prefixes)
//! from E.164 digits to an entry index, and the entries' category and label.
//! About 7 bytes per number; exact and longest-prefix match walk one path each.
//!
//! On disk a list is a directory `<lists dir>/<name>-<version>/` holding
//! `numbers.fst`, `prefixes.fst` and `entries.json`; the database names the
//! directory in force, so a new import replaces the old one atomically.

use crate::error::{Error, Result};
use fst::raw::Output;
use fst::Map;
use std::path::Path;

/// What an operator says about a listed number.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct OperatorEntry {
    /// Category, e.g. `fraud`.
    pub category: Option<String>,
    /// Label for people.
    pub label: Option<String>,
}

/// One imported list.
pub struct OperatorList {
    numbers: Map<Vec<u8>>,
    prefixes: Map<Vec<u8>>,
    entries: Vec<OperatorEntry>,
}

impl std::fmt::Debug for OperatorList {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OperatorList")
            .field("numbers", &self.numbers.len())
            .field("prefixes", &self.prefixes.len())
            .finish()
    }
}

/// A match in an operator list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OperatorMatch<'a> {
    /// The listed number or prefix, E.164.
    pub matched: String,
    /// True for a prefix entry.
    pub prefix: bool,
    /// Its entry.
    pub entry: &'a OperatorEntry,
}

fn corrupt(e: impl std::fmt::Display) -> Error {
    Error::Config(format!("operator list unreadable: {e}"))
}

impl OperatorList {
    /// A list from its parts (used by the importer and by tests).
    pub fn from_parts(
        numbers: Vec<u8>,
        prefixes: Vec<u8>,
        entries: Vec<OperatorEntry>,
    ) -> Result<OperatorList> {
        Ok(OperatorList {
            numbers: Map::new(numbers).map_err(corrupt)?,
            prefixes: Map::new(prefixes).map_err(corrupt)?,
            entries,
        })
    }

    /// Load the list in directory `dir`.
    ///
    /// # Errors
    /// [`Error::Config`] when the files are missing or corrupt.
    pub fn load(dir: &Path) -> Result<OperatorList> {
        let read = |name: &str| std::fs::read(dir.join(name)).map_err(corrupt);
        let entries: Vec<OperatorEntry> =
            serde_json::from_slice(&read("entries.json")?).map_err(corrupt)?;
        OperatorList::from_parts(read("numbers.fst")?, read("prefixes.fst")?, entries)
    }

    /// Numbers and prefixes listed.
    pub fn len(&self) -> usize {
        self.numbers.len() + self.prefixes.len()
    }

    /// True when nothing is listed.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The exact numbers (E.164 digits without `+` → entry index), for exports
    /// such as CallKit's Call Directory ([`crate::platform::callkit`]).
    pub fn numbers_map(&self) -> &Map<Vec<u8>> {
        &self.numbers
    }

    /// The prefixes (digits without `+` → entry index), for exports.
    pub fn prefixes_map(&self) -> &Map<Vec<u8>> {
        &self.prefixes
    }

    /// The entry an index of [`Self::numbers_map`] or [`Self::prefixes_map`] names.
    pub fn entry(&self, index: u64) -> Option<&OperatorEntry> {
        self.entries.get(usize::try_from(index).ok()?)
    }

    /// The exact entry for an E.164 number, else its longest listed prefix.
    pub fn lookup(&self, e164: &str) -> Option<OperatorMatch<'_>> {
        let key = e164.trim_start_matches('+').as_bytes();
        if let Some(i) = self.numbers.get(key) {
            return Some(OperatorMatch {
                matched: e164.to_string(),
                prefix: false,
                entry: self.entries.get(usize::try_from(i).ok()?)?,
            });
        }
        let (len, i) = self.longest_prefix(key)?;
        Some(OperatorMatch {
            matched: format!("+{}", std::str::from_utf8(key.get(..len)?).ok()?),
            prefix: true,
            entry: self.entries.get(usize::try_from(i).ok()?)?,
        })
    }

    /// One walk down the prefix transducer, remembering the last final state.
    fn longest_prefix(&self, key: &[u8]) -> Option<(usize, u64)> {
        let fst = self.prefixes.as_fst();
        let mut node = fst.root();
        let mut out = Output::zero();
        let mut best = None;
        for (i, &b) in key.iter().enumerate() {
            let Some(ti) = node.find_input(b) else { break };
            let t = node.transition(ti);
            out = out.cat(t.out);
            node = fst.node(t.addr);
            if node.is_final() {
                best = Some((i + 1, out.cat(node.final_output()).value()));
            }
        }
        best
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(keys: &[(&str, u64)]) -> Vec<u8> {
        let mut b = fst::MapBuilder::memory();
        for (k, v) in keys {
            b.insert(k, *v).unwrap();
        }
        b.into_inner().unwrap()
    }

    #[test]
    fn exact_then_longest_prefix() {
        let entries = vec![
            OperatorEntry {
                category: Some("a".into()),
                label: None,
            },
            OperatorEntry {
                category: Some("b".into()),
                label: None,
            },
            OperatorEntry {
                category: Some("c".into()),
                label: None,
            },
        ];
        let l = OperatorList::from_parts(
            map(&[("12155551212", 0)]),
            map(&[("1215", 1), ("121555", 2)]),
            entries,
        )
        .unwrap();
        let m = l.lookup("+12155551212").unwrap();
        assert!(!m.prefix);
        let m = l.lookup("+12155559999").unwrap();
        assert_eq!(
            (m.matched.as_str(), m.prefix, m.entry.category.as_deref()),
            ("+121555", true, Some("c"))
        );
        let m = l.lookup("+12150000000").unwrap();
        assert_eq!(m.matched, "+1215");
        assert!(l.lookup("+33142685300").is_none());
        assert!(l.lookup("+1").is_none());
    }
}
