//! An in-memory index of the stored rules, so matching a call touches only the
//! rules that can match it: exact numbers and each prefix of the caller's number
//! by hash, countries by hash, ranges and the few class rules by scan.

use super::facts::CallFacts;
use super::rule::{Rule, RuleKind, VerificationClass};
use std::collections::HashMap;

/// The stored rules, indexed.
#[derive(Debug, Default, Clone)]
pub struct RuleIndex {
    rules: Vec<Rule>,
    exact: HashMap<String, Vec<usize>>,
    prefixes: HashMap<String, Vec<usize>>,
    countries: HashMap<String, Vec<usize>>,
    scanned: Vec<usize>,
}

impl RuleIndex {
    /// Index `rules`.
    pub fn new(rules: Vec<Rule>) -> RuleIndex {
        let mut idx = RuleIndex::default();
        for (i, r) in rules.iter().enumerate() {
            match &r.rule.kind {
                RuleKind::Number(n) => idx.exact.entry(n.clone()).or_default().push(i),
                RuleKind::Prefix(p) => idx.prefixes.entry(p.clone()).or_default().push(i),
                RuleKind::Country(c) => idx.countries.entry(c.clone()).or_default().push(i),
                _ => idx.scanned.push(i),
            }
        }
        idx.rules = rules;
        idx
    }

    /// True when a rule matches by country (so the caller's country is needed).
    pub fn has_country_rules(&self) -> bool {
        !self.countries.is_empty()
    }

    /// Every rule, by id.
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// The rule with this id (the rules are held in id order).
    pub fn rule(&self, id: i64) -> Option<&Rule> {
        self.rules
            .binary_search_by_key(&id, |r| r.id)
            .ok()
            .and_then(|i| self.rules.get(i))
    }

    /// The rules that match the call and are in force at `now` on its line.
    pub fn matching(&self, facts: &CallFacts, now: i64) -> Vec<&Rule> {
        let mut hits: Vec<usize> = Vec::new();
        if let Some(n) = facts.number.as_deref() {
            if let Some(v) = self.exact.get(n) {
                hits.extend(v);
            }
            if !self.prefixes.is_empty() {
                for end in 2..=n.len() {
                    if let Some(v) = n.get(..end).and_then(|p| self.prefixes.get(p)) {
                        hits.extend(v);
                    }
                }
            }
        }
        if let Some(cc) = facts.country.as_deref() {
            if let Some(v) = self.countries.get(cc) {
                hits.extend(v);
            }
        }
        for &i in &self.scanned {
            let Some(rule) = self.rules.get(i) else {
                continue;
            };
            let m = match &rule.rule.kind {
                RuleKind::Range { start, count } => facts
                    .number
                    .as_deref()
                    .is_some_and(|n| in_range(n, start, *count)),
                RuleKind::Withheld => facts.withheld,
                RuleKind::Verification(c) => facts.classes.contains(c),
                RuleKind::Contact => facts.is_contact,
                RuleKind::Any => true,
                _ => false,
            };
            if m {
                hits.push(i);
            }
        }
        hits.sort_unstable();
        hits.dedup();
        hits.into_iter()
            .filter_map(|i| self.rules.get(i))
            .filter(|r| r.applies(now, facts.line))
            .collect()
    }

    /// The next time after `now` a rule starts or ends (seconds since the epoch).
    pub fn next_change_at(&self, now: i64) -> Option<i64> {
        self.rules
            .iter()
            .flat_map(|r| [r.rule.starts_at, r.rule.expires_at])
            .flatten()
            .filter(|t| *t > now)
            .min()
    }
}

/// Whether E.164 `n` lies in `count` numbers from `start` (same length).
pub fn in_range(n: &str, start: &str, count: u64) -> bool {
    if n.len() != start.len() {
        return false;
    }
    match (
        n.trim_start_matches('+').parse::<u64>(),
        start.trim_start_matches('+').parse::<u64>(),
    ) {
        (Ok(n), Ok(s)) => n >= s && n - s < count,
        _ => false,
    }
}

/// The verification classes of a verification outcome.
pub fn classes_of(v: &crate::identification::verification::Verification) -> Vec<VerificationClass> {
    use crate::identification::verification::{Attestation, VerificationStatus};
    let mut out = Vec::new();
    match v.status {
        VerificationStatus::Failed => {
            out.push(VerificationClass::Failed);
            if !v.failure.is_some_and(|f| f.is_forgery_class()) {
                out.push(VerificationClass::Unverified);
            }
        }
        VerificationStatus::NoValidation => out.push(VerificationClass::Unverified),
        VerificationStatus::Passed => match v.attestation {
            Some(Attestation::B) => out.extend([
                VerificationClass::AttestationB,
                VerificationClass::Unverified,
            ]),
            Some(Attestation::C) => out.extend([
                VerificationClass::AttestationC,
                VerificationClass::Unverified,
            ]),
            _ => {}
        },
    }
    out
}
