//! Delegate certificates (RFC 9060): a service provider's delegation CA, itself
//! carrying a TNAuthList, issues an enterprise a certificate for some of its
//! numbers. Each delegate's TNAuthList must be *encompassed* by its issuer's
//! (RFC 9060 §4, §7.1): every number or range it names must lie within the numbers
//! and ranges the issuer names.
//!
//! When the issuer names only a service provider code, which numbers belong to
//! that SPC is not knowable offline (it lives in the number portability data), so
//! containment is *unverifiable*: the path is accepted and the verdict carries
//! `encompass_unverifiable`.

use super::tnauthlist::{TnAuthList, TnEntry};

/// Whether a child TNAuthList lies within its issuer's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Containment {
    /// Every entry lies within the issuer's entries.
    Inside,
    /// Some entries can only be inside the issuer's SPC: not checkable offline.
    Unverifiable,
    /// An entry lies outside; the detail names it.
    Outside(String),
}

/// A half-open interval of numbers of one length: `[start, end)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Interval {
    len: usize,
    start: u128,
    end: u128,
}

fn interval(entry: &TnEntry) -> Option<Interval> {
    let (digits, count) = match entry {
        TnEntry::One(n) => (n.as_str(), 1u64),
        TnEntry::Range { start, count } => (start.as_str(), *count),
        TnEntry::Spc(_) => return None,
    };
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None; // `*` and `#` numbers only match exactly
    }
    let start: u128 = digits.parse().ok()?;
    Some(Interval {
        len: digits.len(),
        start,
        end: start.checked_add(u128::from(count))?,
    })
}

fn describe(entry: &TnEntry) -> String {
    match entry {
        TnEntry::Spc(s) => format!("SPC {s}"),
        TnEntry::One(n) => n.clone(),
        TnEntry::Range { start, count } => format!("{start}+{count}"),
    }
}

/// The issuer's numbers as merged intervals, per number length.
fn merged(parent: &TnAuthList) -> Vec<Interval> {
    let mut all: Vec<Interval> = parent.entries.iter().filter_map(interval).collect();
    all.sort_by_key(|i| (i.len, i.start));
    let mut out: Vec<Interval> = Vec::with_capacity(all.len());
    for i in all {
        match out.last_mut() {
            Some(last) if last.len == i.len && i.start <= last.end => {
                last.end = last.end.max(i.end);
            }
            _ => out.push(i),
        }
    }
    out
}

fn number_inside(entry: &TnEntry, parent: &TnAuthList, intervals: &[Interval]) -> bool {
    if let Some(i) = interval(entry) {
        return intervals
            .iter()
            .any(|p| p.len == i.len && p.start <= i.start && i.end <= p.end);
    }
    // A number with `*` or `#`: only the very same entry encompasses it.
    parent.entries.contains(entry)
}

/// Whether `child`'s entries lie within `parent`'s (RFC 9060 §7.1).
pub fn encompassed(child: &TnAuthList, parent: &TnAuthList) -> Containment {
    let parent_spcs: Vec<&str> = parent
        .entries
        .iter()
        .filter_map(|e| match e {
            TnEntry::Spc(s) => Some(s.as_str()),
            _ => None,
        })
        .collect();
    let intervals = merged(parent);
    let mut unverifiable = false;
    for entry in &child.entries {
        let inside = match entry {
            TnEntry::Spc(s) => parent_spcs.contains(&s.as_str()),
            _ => number_inside(entry, parent, &intervals),
        };
        if inside {
            continue;
        }
        let numbered = !matches!(entry, TnEntry::Spc(_));
        if numbered && !parent_spcs.is_empty() {
            unverifiable = true;
            continue;
        }
        return Containment::Outside(describe(entry));
    }
    if unverifiable {
        Containment::Unverifiable
    } else {
        Containment::Inside
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(entries: &[TnEntry]) -> TnAuthList {
        TnAuthList {
            entries: entries.to_vec(),
        }
    }
    fn range(start: &str, count: u64) -> TnEntry {
        TnEntry::Range {
            start: start.into(),
            count,
        }
    }

    #[test]
    fn ranges_and_numbers_inside() {
        let parent = list(&[range("12155551200", 100)]);
        assert_eq!(
            encompassed(&list(&[range("12155551210", 10)]), &parent),
            Containment::Inside
        );
        assert_eq!(
            encompassed(&list(&[TnEntry::One("12155551299".into())]), &parent),
            Containment::Inside
        );
        // The last number of the range is 12155551299: one more is outside.
        assert_eq!(
            encompassed(&list(&[range("12155551290", 11)]), &parent),
            Containment::Outside("12155551290+11".into())
        );
        assert_eq!(
            encompassed(&list(&[range("12155559990", 10)]), &parent),
            Containment::Outside("12155559990+10".into())
        );
        // Same digits, other length: a different number.
        assert!(matches!(
            encompassed(&list(&[TnEntry::One("2155551210".into())]), &parent),
            Containment::Outside(_)
        ));
    }

    #[test]
    fn adjacent_parent_ranges_merge() {
        let parent = list(&[
            range("12155551200", 50),
            TnEntry::One("12155551250".into()),
            range("12155551251", 49),
        ]);
        assert_eq!(
            encompassed(&list(&[range("12155551240", 20)]), &parent),
            Containment::Inside
        );
    }

    #[test]
    fn spc_parents() {
        let spc_only = list(&[TnEntry::Spc("1234".into())]);
        assert_eq!(
            encompassed(&list(&[range("12155551210", 10)]), &spc_only),
            Containment::Unverifiable
        );
        assert_eq!(
            encompassed(&list(&[TnEntry::Spc("1234".into())]), &spc_only),
            Containment::Inside
        );
        assert_eq!(
            encompassed(&list(&[TnEntry::Spc("9999".into())]), &spc_only),
            Containment::Outside("SPC 9999".into())
        );
        // A child SPC under a parent that lists only numbers is not inside.
        let numbers = list(&[range("12155551200", 100)]);
        assert!(matches!(
            encompassed(&list(&[TnEntry::Spc("1234".into())]), &numbers),
            Containment::Outside(_)
        ));
        // Numbers and an SPC: inside the numbers is inside; elsewhere unverifiable.
        let both = list(&[TnEntry::Spc("1234".into()), range("12155551200", 100)]);
        assert_eq!(
            encompassed(&list(&[range("12155551210", 10)]), &both),
            Containment::Inside
        );
        assert_eq!(
            encompassed(&list(&[range("13105550000", 10)]), &both),
            Containment::Unverifiable
        );
    }

    #[test]
    fn star_and_hash_numbers_match_exactly() {
        let parent = list(&[TnEntry::One("1215555*".into())]);
        assert_eq!(
            encompassed(&list(&[TnEntry::One("1215555*".into())]), &parent),
            Containment::Inside
        );
        assert!(matches!(
            encompassed(&list(&[TnEntry::One("1215555#".into())]), &parent),
            Containment::Outside(_)
        ));
    }
}
