//! "Block unless verified": a condition on a user block rule, so a correction
//! can block a number that may be spoofed without shutting out its real owner.
//!
//! The lists match one kind per rule (a number, or a verification class), and an
//! exception beats a block for every call it matches, so "this number, unless
//! verified" cannot be written as rules. This is the smallest extension: a
//! side table `rule_condition(rule_id, unless_verified)` naming block rules
//! that do not apply to a verified call (passed with attestation A, or a
//! trusted pass of unknown attestation). The screener drops such rules from the
//! lists' decision before reacting ([`waive`]) — only when the call is verified
//! and a user block matched, so the common call pays nothing. The condition
//! row goes with its rule (`ON DELETE CASCADE`) and is loaded with it
//! ([`super::Rule::unless_verified`]), so no database read happens while the
//! phone rings.

use super::{Effect, ListDecision, RuleMatch};
use crate::error::Result;
use crate::identification::verification::Verification;
use crate::reason::{Reason, ReasonCode};

/// A verified call: passed with attestation A, or a trusted pass of unknown
/// attestation (the indications `verified` and `verified_business`).
pub fn verified(v: &Verification) -> bool {
    v.passed()
        && matches!(
            v.attestation,
            None | Some(crate::identification::verification::Attestation::A)
        )
}

/// Whether [`waive`] could change `decision` for this call (no database needed).
pub fn may_apply(decision: &ListDecision, v: &Verification) -> bool {
    verified(v)
        && decision
            .winner
            .iter()
            .chain(decision.overridden.iter())
            .any(is_user_block)
}

fn is_user_block(m: &RuleMatch) -> bool {
    m.effect == Effect::Block && m.rule_id.is_some() && m.code == ReasonCode::UserBlock
}

/// Drop the conditional blocks from a verified call's decision (the next rule
/// in precedence order wins instead) and say so in a reason. `conditional`
/// tells whether a rule id carries the condition.
pub fn waive(
    decision: ListDecision,
    v: &Verification,
    mut conditional: impl FnMut(i64) -> Result<bool>,
) -> Result<(ListDecision, Vec<Reason>)> {
    if !may_apply(&decision, v) {
        return Ok((decision, Vec::new()));
    }
    let mut kept = Vec::new();
    let mut reasons = Vec::new();
    for m in decision.winner.into_iter().chain(decision.overridden) {
        let waived = match m.rule_id {
            Some(id) if is_user_block(&m) => conditional(id)?,
            _ => false,
        };
        if waived {
            reasons.push(Reason::new(
                ReasonCode::UserException,
                format!(
                    "{} applies unless verified; the call was verified",
                    m.description
                ),
            ));
        } else {
            kept.push(m);
        }
    }
    let mut it = kept.into_iter();
    Ok((
        ListDecision {
            winner: it.next(),
            overridden: it.collect(),
        },
        reasons,
    ))
}
