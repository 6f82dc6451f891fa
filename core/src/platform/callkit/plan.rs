//! What a Call Directory export holds, decided once when it starts: the
//! sources of numbers (rules and operator lists), how much of the budget each
//! gets, the exceptions that keep numbers out, and how one number is classified.
//!
//! ## Precedence
//! The tiers are the screener's (DESIGN.md, `lists::decide`): operator mandatory
//! exception > operator mandatory block > user exception > user block > operator
//! exception > operator block. A number is *blocked* when its best block beats
//! its best exception, the policy's block action is `reject` or `voicemail`,
//! blocking is not suspended after an emergency call, and the number is not a
//! configured service number. A number that is not blocked gets an
//! *identification* entry with the label of whatever rule wins for it, if that
//! rule has one: the exception's label (the user's "Dentist"), or a block's label
//! when the block cannot be applied (a `silence` or `allow` block action, an
//! operator list exported for identification only, a suspension).
//!
//! ## Budget
//! Sources are given budget smallest first (single numbers, then small ranges
//! and prefixes, then the large ones), each up to its size, so one huge prefix
//! cannot starve the user's individual numbers. A source cut short keeps its
//! lowest numbers and is reported.

use super::expand::{e164_value, prefix_spans, range_span, Span};
use super::label::{sanitize_label, Sanitized};
use super::{CallDirectoryOptions, OperatorListUse, SkipReason, SkippedRule, Truncation};
use crate::intake::number::to_e164;
use crate::marking::lists::{Effect, OperatorEntry, OperatorList, Rule, RuleKind, RuleSource};
use crate::reaction::policy::{Action, Policy};
use std::collections::HashMap;
use std::sync::Arc;

/// Label of a user's block rule without one, when the number is identified
/// rather than blocked.
pub const USER_BLOCK_LABEL: &str = "On your block list";
/// Label of an operator's block without one.
pub const OPERATOR_BLOCK_LABEL: &str = "On your operator's list";
/// Operator list prefixes considered; more are reported as truncated.
pub const MAX_OPERATOR_PREFIXES: usize = 10_000;

/// Precedence tier: lower wins (see the module).
pub fn tier(source: RuleSource, effect: Effect) -> u8 {
    match (source, effect) {
        (RuleSource::OperatorMandatory, Effect::Exception) => 0,
        (RuleSource::OperatorMandatory, Effect::Block) => 1,
        (RuleSource::User | RuleSource::Feedback, Effect::Exception) => 2,
        (RuleSource::User | RuleSource::Feedback, Effect::Block) => 3,
        (RuleSource::Operator, Effect::Exception) => 4,
        (RuleSource::Operator, Effect::Block) => 5,
    }
}

/// How a source generates its numbers.
pub(crate) enum Gen {
    /// Spans of consecutive numbers (one number, a range, a prefix's lengths).
    Spans(Vec<Span>),
    /// An operator list's exact numbers, each with its entry.
    OperatorNumbers(Arc<OperatorList>),
}

/// One source of numbers.
pub(crate) struct Source {
    pub tier: u8,
    pub effect: Effect,
    /// A block CallKit may apply (false: identify only).
    pub blockable: bool,
    /// The label when the number is identified (already sanitised).
    pub label: Option<Arc<str>>,
    pub gen: Gen,
    /// Numbers it covers.
    pub size: u64,
    /// Numbers it may emit (its share of the budget).
    pub limit: u64,
    /// For the truncation report.
    pub origin: Origin,
}

/// Where a source came from, for the report.
#[derive(Debug, Clone)]
pub(crate) enum Origin {
    Rule {
        id: i64,
        source: RuleSource,
        what: String,
    },
    OperatorNumbers {
        source: RuleSource,
    },
    OperatorPrefix {
        source: RuleSource,
    },
}

/// An exception that matched: its tier and label.
#[derive(Debug, Clone)]
struct Exc {
    tier: u8,
    label: Option<Arc<str>>,
}

fn better(current: &mut Option<Exc>, candidate: &Exc) {
    let replace = match current {
        None => true,
        Some(c) => {
            candidate.tier < c.tier
                || (candidate.tier == c.tier && c.label.is_none() && candidate.label.is_some())
        }
    };
    if replace {
        *current = Some(candidate.clone());
    }
}

/// Every exception in force, complete (never cut by the budget).
#[derive(Default)]
struct Exceptions {
    any: Option<Exc>,
    exact: HashMap<u64, Exc>,
    /// (digit count, value) of prefixes.
    prefixes: HashMap<(usize, u64), Exc>,
    ranges: Vec<(usize, Span, Exc)>,
    countries: Vec<(String, Exc)>,
}

impl Exceptions {
    fn add_keyed<K: std::hash::Hash + Eq>(map: &mut HashMap<K, Exc>, key: K, exc: Exc) {
        let mut slot = map.remove(&key);
        better(&mut slot, &exc);
        if let Some(e) = slot {
            map.insert(key, e);
        }
    }

    fn best(&self, n: u64) -> Option<Exc> {
        let mut best = self.any.clone();
        if let Some(e) = self.exact.get(&n) {
            better(&mut best, e);
        }
        let len = super::expand::digits_of(n);
        if !self.prefixes.is_empty() {
            for k in 1..=len {
                let div = 10u64.pow(u32::try_from(len - k).unwrap_or(0));
                if let Some(e) = self.prefixes.get(&(k, n / div)) {
                    better(&mut best, e);
                }
            }
        }
        for (l, span, e) in &self.ranges {
            if *l == len && n >= span.start && n - span.start < span.count {
                better(&mut best, e);
            }
        }
        if !self.countries.is_empty() {
            if let Some(region) = crate::intake::number::region_of(&format!("+{n}")) {
                for (cc, e) in &self.countries {
                    if *cc == region {
                        better(&mut best, e);
                    }
                }
            }
        }
        best
    }
}

/// How one number is exported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Class {
    /// A blocking entry.
    Block,
    /// An identification entry with this label.
    Identify(Arc<str>),
    /// Nothing.
    Skip,
}

/// Counters of labels sanitised.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct LabelStats {
    pub rewritten: u64,
    pub dropped: u64,
}

/// Everything decided when an export starts.
pub(crate) struct Plan {
    pub sources: Vec<Source>,
    exceptions: Exceptions,
    protected: Vec<u64>,
    /// Blocking suspended after an emergency call.
    pub suspended: bool,
    pub truncated: Vec<Truncation>,
    pub truncated_entries: u64,
    pub skipped: Vec<SkippedRule>,
    pub labels: LabelStats,
    /// Sanitised operator entry labels, by (mandatory, entry index).
    entry_labels: HashMap<(bool, u64), Option<Arc<str>>>,
}

/// The inputs of a plan.
pub(crate) struct PlanInput<'a> {
    pub rules: &'a [Rule],
    pub operator: Option<Arc<OperatorList>>,
    pub mandatory: Option<Arc<OperatorList>>,
    pub policy: &'a Policy,
    pub options: &'a CallDirectoryOptions,
    pub now: i64,
    pub suspended: bool,
    pub region: Option<crate::intake::number::DefaultRegion>,
}

fn in_force(rule: &Rule, now: i64) -> bool {
    rule.rule.starts_at.is_none_or(|s| now >= s) && rule.rule.expires_at.is_none_or(|e| now < e)
}

impl Plan {
    pub fn new(input: PlanInput<'_>) -> Plan {
        let mut plan = Plan {
            sources: Vec::new(),
            exceptions: Exceptions::default(),
            protected: input
                .policy
                .service_numbers
                .iter()
                .filter_map(|s| to_e164(s, input.region))
                .filter_map(|e| e164_value(&e).map(|(v, _)| v))
                .collect(),
            suspended: input.suspended,
            truncated: Vec::new(),
            truncated_entries: 0,
            skipped: Vec::new(),
            labels: LabelStats::default(),
            entry_labels: HashMap::new(),
        };
        let blockable = matches!(
            input.policy.block_action,
            Action::Reject | Action::Voicemail
        );
        for rule in input.rules.iter().filter(|r| in_force(r, input.now)) {
            plan.add_rule(rule, blockable);
        }
        let operator_blocks = blockable && input.options.operator_lists == OperatorListUse::Block;
        if input.options.operator_lists != OperatorListUse::Skip {
            if let Some(list) = input.operator {
                plan.add_operator_list(list, RuleSource::Operator, operator_blocks);
            }
        }
        if let Some(list) = input.mandatory {
            plan.add_operator_list(list, RuleSource::OperatorMandatory, blockable);
        }
        plan.allocate(input.options.entry_budget);
        plan
    }

    fn label(&mut self, text: Option<&str>) -> Option<Arc<str>> {
        let s = sanitize_label(text?);
        match &s {
            Sanitized::Rewritten(_) => self.labels.rewritten += 1,
            Sanitized::Dropped => self.labels.dropped += 1,
            Sanitized::Kept(_) => {}
        }
        s.label().map(Arc::from)
    }

    fn skip(&mut self, rule: &Rule, reason: SkipReason) {
        self.skipped.push(SkippedRule {
            rule_id: rule.id,
            reason,
        });
    }

    fn add_rule(&mut self, rule: &Rule, blockable: bool) {
        let r = &rule.rule;
        let t = tier(r.source, r.effect);
        match r.effect {
            Effect::Block => {
                if r.line.is_some() {
                    return self.skip(rule, SkipReason::LineScoped);
                }
                let spans = match &r.kind {
                    RuleKind::Number(n) => {
                        e164_value(n).map(|(v, _)| vec![Span { start: v, count: 1 }])
                    }
                    RuleKind::Prefix(p) => Some(prefix_spans(p.trim_start_matches('+'))),
                    RuleKind::Range { start, count } => range_span(start, *count).map(|s| vec![s]),
                    _ => return self.skip(rule, SkipReason::Unsupported),
                };
                let spans = spans.unwrap_or_default();
                if spans.is_empty() {
                    return self.skip(rule, SkipReason::NoFullLengthNumbers);
                }
                let default = match r.source {
                    RuleSource::User | RuleSource::Feedback => USER_BLOCK_LABEL,
                    RuleSource::Operator | RuleSource::OperatorMandatory => OPERATOR_BLOCK_LABEL,
                };
                let label = self.label(Some(
                    r.label
                        .as_deref()
                        .or(r.category.as_deref())
                        .unwrap_or(default),
                ));
                self.push_spans(spans, t, Effect::Block, blockable, label, rule);
            }
            Effect::Exception => {
                let label = self.label(r.label.as_deref());
                let exc = Exc {
                    tier: t,
                    label: label.clone(),
                };
                // Exceptions for one line still keep the number out of a
                // directory that cannot tell lines apart: a wanted call rings.
                match &r.kind {
                    RuleKind::Any => better(&mut self.exceptions.any, &exc),
                    RuleKind::Country(cc) => self.exceptions.countries.push((cc.clone(), exc)),
                    RuleKind::Number(n) => {
                        if let Some((v, _)) = e164_value(n) {
                            Exceptions::add_keyed(&mut self.exceptions.exact, v, exc);
                            if label.is_some() {
                                self.push_spans(
                                    vec![Span { start: v, count: 1 }],
                                    t,
                                    Effect::Exception,
                                    false,
                                    label,
                                    rule,
                                );
                            }
                        }
                    }
                    RuleKind::Prefix(p) => {
                        if let Some((v, len)) = e164_value(p) {
                            Exceptions::add_keyed(&mut self.exceptions.prefixes, (len, v), exc);
                            if label.is_some() {
                                let spans = prefix_spans(p.trim_start_matches('+'));
                                self.push_spans(spans, t, Effect::Exception, false, label, rule);
                            }
                        }
                    }
                    RuleKind::Range { start, count } => {
                        if let (Some(span), Some((_, len))) =
                            (range_span(start, *count), e164_value(start))
                        {
                            self.exceptions.ranges.push((len, span, exc));
                            if label.is_some() {
                                self.push_spans(
                                    vec![span],
                                    t,
                                    Effect::Exception,
                                    false,
                                    label,
                                    rule,
                                );
                            }
                        }
                    }
                    RuleKind::Withheld | RuleKind::Verification(_) | RuleKind::Contact => {
                        self.skip(rule, SkipReason::Unsupported)
                    }
                }
            }
        }
    }

    fn push_spans(
        &mut self,
        spans: Vec<Span>,
        tier: u8,
        effect: Effect,
        blockable: bool,
        label: Option<Arc<str>>,
        rule: &Rule,
    ) {
        let size = spans.iter().fold(0u64, |a, s| a.saturating_add(s.count));
        if size == 0 {
            return;
        }
        let what = format!("{} {}", rule.rule.kind.name(), rule.rule.kind.value());
        self.sources.push(Source {
            tier,
            effect,
            blockable,
            label,
            gen: Gen::Spans(spans),
            size,
            limit: 0,
            origin: Origin::Rule {
                id: rule.id,
                source: rule.rule.source,
                what,
            },
        });
    }

    fn add_operator_list(&mut self, list: Arc<OperatorList>, source: RuleSource, blockable: bool) {
        let t = tier(source, Effect::Block);
        let mut prefixes = Vec::new();
        let mut left_out = 0u64;
        {
            use fst::Streamer;
            let mut stream = list.prefixes_map().stream();
            while let Some((key, idx)) = stream.next() {
                if prefixes.len() >= MAX_OPERATOR_PREFIXES {
                    left_out += 1;
                    continue;
                }
                if let Ok(digits) = std::str::from_utf8(key) {
                    prefixes.push((digits.to_string(), idx));
                }
            }
        }
        if left_out > 0 {
            self.truncated.push(Truncation {
                rule_id: None,
                source,
                what: format!(
                    "{left_out} prefixes of the list beyond the first {MAX_OPERATOR_PREFIXES}"
                ),
                wanted: left_out,
                exported: 0,
            });
        }
        for (digits, idx) in prefixes {
            let spans = prefix_spans(&digits);
            let size = spans.iter().fold(0u64, |a, s| a.saturating_add(s.count));
            if size == 0 {
                continue;
            }
            let label = self.entry_label(&list, source == RuleSource::OperatorMandatory, idx);
            self.sources.push(Source {
                tier: t,
                effect: Effect::Block,
                blockable,
                label,
                gen: Gen::Spans(spans),
                size,
                limit: 0,
                origin: Origin::OperatorPrefix { source },
            });
        }
        let size = list.numbers_map().len() as u64;
        if size > 0 {
            self.sources.push(Source {
                tier: t,
                effect: Effect::Block,
                blockable,
                label: None,
                gen: Gen::OperatorNumbers(list),
                size,
                limit: 0,
                origin: Origin::OperatorNumbers { source },
            });
        }
    }

    /// The sanitised label of an operator entry (its label, else its category,
    /// else [`OPERATOR_BLOCK_LABEL`]), computed once per entry.
    pub fn entry_label(
        &mut self,
        list: &OperatorList,
        mandatory: bool,
        idx: u64,
    ) -> Option<Arc<str>> {
        if let Some(l) = self.entry_labels.get(&(mandatory, idx)) {
            return l.clone();
        }
        let entry: Option<&OperatorEntry> = list.entry(idx);
        let text = entry
            .and_then(|e| e.label.as_deref().or(e.category.as_deref()))
            .unwrap_or(OPERATOR_BLOCK_LABEL)
            .to_string();
        let l = self.label(Some(&text));
        self.entry_labels.insert((mandatory, idx), l.clone());
        l
    }

    /// Share the budget out, smallest sources first; report what is cut.
    fn allocate(&mut self, budget: u64) {
        let mut order: Vec<usize> = (0..self.sources.len()).collect();
        order.sort_by_key(|&i| {
            self.sources
                .get(i)
                .map(|s| (s.size, s.tier))
                .unwrap_or_default()
        });
        let mut left = budget;
        let mut op_prefix_cut: HashMap<&'static str, (RuleSource, u64, u64)> = HashMap::new();
        for i in order {
            let Some(s) = self.sources.get_mut(i) else {
                continue;
            };
            s.limit = s.size.min(left);
            left -= s.limit;
            if s.limit < s.size {
                self.truncated_entries = self.truncated_entries.saturating_add(s.size - s.limit);
                match &s.origin {
                    Origin::Rule { id, source, what } => self.truncated.push(Truncation {
                        rule_id: Some(*id),
                        source: *source,
                        what: what.clone(),
                        wanted: s.size,
                        exported: s.limit,
                    }),
                    Origin::OperatorNumbers { source } => self.truncated.push(Truncation {
                        rule_id: None,
                        source: *source,
                        what: "numbers of the list".into(),
                        wanted: s.size,
                        exported: s.limit,
                    }),
                    Origin::OperatorPrefix { source } => {
                        let e = op_prefix_cut
                            .entry(source.as_str())
                            .or_insert((*source, 0, 0));
                        e.1 = e.1.saturating_add(s.size);
                        e.2 += s.limit;
                    }
                }
            }
        }
        for (_, (source, wanted, exported)) in op_prefix_cut {
            self.truncated.push(Truncation {
                rule_id: None,
                source,
                what: "numbers under the list's prefixes".into(),
                wanted,
                exported,
            });
        }
        // Sources with nothing to emit are dropped.
        self.sources.retain(|s| s.limit > 0);
    }

    /// How number `n` is exported, given the sources that emitted it (with the
    /// operator entry index for list numbers).
    pub fn classify(&mut self, n: u64, emitters: &[(usize, Option<u64>)]) -> Class {
        if self.protected.contains(&n) {
            return Class::Skip;
        }
        let mut block: Option<(u8, bool, usize, Option<u64>)> = None;
        for &(i, idx) in emitters {
            let Some(s) = self.sources.get(i) else {
                continue;
            };
            if s.effect == Effect::Block && block.is_none_or(|(t, ..)| s.tier < t) {
                block = Some((s.tier, s.blockable, i, idx));
            }
        }
        let exc = self.exceptions.best(n);
        if let Some((t, blockable, i, idx)) = block {
            if exc.as_ref().is_none_or(|e| t < e.tier) {
                if blockable && !self.suspended {
                    return Class::Block;
                }
                let label = match self
                    .sources
                    .get(i)
                    .map(|s| (&s.gen, s.label.clone(), s.tier))
                {
                    Some((Gen::OperatorNumbers(list), _, tier)) => {
                        let list = list.clone();
                        idx.and_then(|idx| self.entry_label(&list, tier == 1, idx))
                    }
                    Some((_, label, _)) => label,
                    None => None,
                };
                return label.map_or(Class::Skip, Class::Identify);
            }
        }
        match exc.and_then(|e| e.label) {
            Some(l) => Class::Identify(l),
            None => Class::Skip,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::marking::lists::NewRule;

    fn rule(id: i64, kind: RuleKind, effect: Effect, label: Option<&str>) -> Rule {
        Rule {
            id,
            rule: NewRule {
                label: label.map(str::to_string),
                ..NewRule::user(kind, effect)
            },
            created_at: 0,
            unless_verified: false,
        }
    }

    fn plan(rules: &[Rule], budget: u64) -> Plan {
        Plan::new(PlanInput {
            rules,
            operator: None,
            mandatory: None,
            policy: &Policy::default(),
            options: &CallDirectoryOptions {
                entry_budget: budget,
                ..CallDirectoryOptions::default()
            },
            now: 0,
            suspended: false,
            region: None,
        })
    }

    #[test]
    fn tiers_follow_the_documented_precedence() {
        let order = [
            (RuleSource::OperatorMandatory, Effect::Exception),
            (RuleSource::OperatorMandatory, Effect::Block),
            (RuleSource::User, Effect::Exception),
            (RuleSource::User, Effect::Block),
            (RuleSource::Operator, Effect::Exception),
            (RuleSource::Operator, Effect::Block),
        ];
        assert!(order
            .windows(2)
            .all(|w| tier(w[0].0, w[0].1) < tier(w[1].0, w[1].1)));
        assert_eq!(
            tier(RuleSource::Feedback, Effect::Exception),
            tier(RuleSource::User, Effect::Exception)
        );
    }

    #[test]
    fn budget_goes_to_small_sources_first() {
        let rules = [
            rule(1, RuleKind::Prefix("+1202555".into()), Effect::Block, None),
            rule(
                2,
                RuleKind::Number("+13125550100".into()),
                Effect::Block,
                None,
            ),
            rule(
                3,
                RuleKind::Range {
                    start: "+14155550100".into(),
                    count: 50,
                },
                Effect::Block,
                None,
            ),
        ];
        let p = plan(&rules, 1000);
        let limits: Vec<(u64, u64)> = p.sources.iter().map(|s| (s.size, s.limit)).collect();
        assert_eq!(limits, vec![(10_000, 949), (1, 1), (50, 50)]);
        assert_eq!(p.truncated_entries, 10_000 - 949);
        assert_eq!(p.truncated.len(), 1);
        assert_eq!(p.truncated[0].rule_id, Some(1));
        assert_eq!(
            (p.truncated[0].wanted, p.truncated[0].exported),
            (10_000, 949)
        );
    }

    #[test]
    fn exceptions_beat_blocks_of_a_lower_tier() {
        let rules = [
            rule(
                1,
                RuleKind::Prefix("+1202555".into()),
                Effect::Block,
                Some("Telemarketers"),
            ),
            rule(
                2,
                RuleKind::Number("+12025550123".into()),
                Effect::Exception,
                Some("Dentist ✓"),
            ),
            rule(
                3,
                RuleKind::Range {
                    start: "+12025550200".into(),
                    count: 10,
                },
                Effect::Exception,
                None,
            ),
        ];
        let mut p = plan(&rules, 100_000);
        assert_eq!(p.classify(12_025_550_100, &[(0, None)]), Class::Block);
        assert_eq!(
            p.classify(12_025_550_123, &[(0, None), (1, None)]),
            Class::Identify(Arc::from("Dentist"))
        );
        assert_eq!(p.classify(12_025_550_205, &[(0, None)]), Class::Skip);
        assert_eq!(p.labels.rewritten, 1);
    }
}
