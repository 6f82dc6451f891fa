//! Precedence between rules (DESIGN.md): operator mandatory > user exceptions >
//! user blocks > operator lists > heuristics. The winning rule and the rules it
//! overrode all become reasons, so every decision can be explained. An exception
//! lets a call ring; it never changes what verification found.

use super::facts::CallFacts;
use super::index::RuleIndex;
use super::operator_list::OperatorList;
use super::rule::{Effect, RuleKind, RuleSource};
use crate::reason::{Reason, ReasonCode};

/// A matched rule, ready to be explained.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleMatch {
    /// The reason code (`user_block`, `user_exception`, `operator_block`, ...).
    pub code: ReasonCode,
    /// Block or exception.
    pub effect: Effect,
    /// Who made the rule.
    pub source: RuleSource,
    /// The stored rule's id (`None` for operator list entries and implicit contacts).
    pub rule_id: Option<i64>,
    /// What matched, for people.
    pub description: String,
}

impl RuleMatch {
    /// Precedence tier: lower wins.
    fn tier(&self) -> u8 {
        match (self.source, self.effect) {
            (RuleSource::OperatorMandatory, Effect::Exception) => 0,
            (RuleSource::OperatorMandatory, Effect::Block) => 1,
            (RuleSource::User | RuleSource::Feedback, Effect::Exception) => 2,
            (RuleSource::User | RuleSource::Feedback, Effect::Block) => 3,
            (RuleSource::Operator, Effect::Exception) => 4,
            (RuleSource::Operator, Effect::Block) => 5,
        }
    }
}

/// The lists' decision for one call.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListDecision {
    /// The rule that decides, if any matched.
    pub winner: Option<RuleMatch>,
    /// Matching rules it overrode, in precedence order.
    pub overridden: Vec<RuleMatch>,
}

impl ListDecision {
    /// The reasons: the winner, then each overridden rule.
    pub fn reasons(&self) -> Vec<Reason> {
        let mut out = Vec::new();
        if let Some(w) = &self.winner {
            out.push(Reason::new(
                w.code,
                format!("{} ({} rule wins)", w.description, w.source.as_str()),
            ));
            for o in &self.overridden {
                out.push(Reason::new(
                    o.code,
                    format!("{} (overridden by {})", o.description, w.code.as_str()),
                ));
            }
        }
        out
    }

    /// True when the winner blocks.
    pub fn blocks(&self) -> bool {
        self.winner
            .as_ref()
            .is_some_and(|w| w.effect == Effect::Block)
    }

    /// True when the winner is an exception.
    pub fn excepts(&self) -> bool {
        self.winner
            .as_ref()
            .is_some_and(|w| w.effect == Effect::Exception)
    }
}

fn code_for(source: RuleSource, effect: Effect, kind: Option<&RuleKind>) -> ReasonCode {
    match (source, effect) {
        (RuleSource::OperatorMandatory, _) => ReasonCode::OperatorMandatory,
        (_, Effect::Exception) if matches!(kind, Some(RuleKind::Contact)) => ReasonCode::Contact,
        (RuleSource::Feedback, Effect::Exception) => ReasonCode::FeedbackException,
        (RuleSource::User, Effect::Exception) | (RuleSource::Operator, Effect::Exception) => {
            ReasonCode::UserException
        }
        (RuleSource::User | RuleSource::Feedback, Effect::Block) => ReasonCode::UserBlock,
        (RuleSource::Operator, Effect::Block) => ReasonCode::OperatorBlock,
    }
}

/// Decide from the stored rules, the operator lists (mandatory and not), and,
/// when `allow_contacts`, an implicit exception for the app's contacts.
pub fn decide(
    rules: &RuleIndex,
    operator: Option<&OperatorList>,
    operator_mandatory: Option<&OperatorList>,
    facts: &CallFacts,
    allow_contacts: bool,
    now: i64,
) -> ListDecision {
    let mut matches: Vec<RuleMatch> = rules
        .matching(facts, now)
        .into_iter()
        .map(|r| {
            let value = r.rule.kind.value();
            let label = r
                .rule
                .label
                .as_deref()
                .map(|l| format!(" \"{l}\""))
                .unwrap_or_default();
            RuleMatch {
                code: code_for(r.rule.source, r.rule.effect, Some(&r.rule.kind)),
                effect: r.rule.effect,
                source: r.rule.source,
                rule_id: Some(r.id),
                description: format!(
                    "rule {}: {} {}{}{label}",
                    r.id,
                    r.rule.effect.as_str(),
                    r.rule.kind.name(),
                    if value.is_empty() {
                        String::new()
                    } else {
                        format!(" {value}")
                    }
                ),
            }
        })
        .collect();
    if allow_contacts && facts.is_contact {
        matches.push(RuleMatch {
            code: ReasonCode::Contact,
            effect: Effect::Exception,
            source: RuleSource::User,
            rule_id: None,
            description: "the caller is a contact".into(),
        });
    }
    if let Some(n) = facts.number.as_deref() {
        for (list, source) in [
            (operator_mandatory, RuleSource::OperatorMandatory),
            (operator, RuleSource::Operator),
        ] {
            if let Some(m) = list.and_then(|l| l.lookup(n)) {
                let what = [m.entry.category.as_deref(), m.entry.label.as_deref()]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join(": ");
                matches.push(RuleMatch {
                    code: code_for(source, Effect::Block, None),
                    effect: Effect::Block,
                    source,
                    rule_id: None,
                    description: format!(
                        "{} list: {} {}{}",
                        source.as_str(),
                        if m.prefix { "prefix" } else { "number" },
                        m.matched,
                        if what.is_empty() {
                            String::new()
                        } else {
                            format!(" ({what})")
                        }
                    ),
                });
            }
        }
    }
    matches.sort_by_key(RuleMatch::tier);
    let mut it = matches.into_iter();
    ListDecision {
        winner: it.next(),
        overridden: it.collect(),
    }
}
