//! Screening one call: the pipeline, one call per step, in the order of
//! `docs/architecture.md`. Each step's rules live in its own folder; this file
//! only hands each step what the earlier ones found.

use super::trust::Lookup;
use super::Screener;
use crate::error::Result;
use crate::history::entry::is_flagged;
use crate::history::{HistoryMode, NewEntry};
use crate::identification::passport::{
    rich_call_data, verify_identities, CallBinding, PassportCheck, PassportOutcome, RcdOutcome,
};
use crate::identification::verification::{Verification, VerificationSource};
use crate::identification::verstat::{self, VerstatIntake};
use crate::identification::{identify, Evidence};
use crate::intake::number::canonical_tn;
use crate::intake::IncomingCall;
use crate::marking::lists::{decide, unless_verified, CallFacts, ListDecision, RuleIndex};
use crate::marking::protection::{protected, ProtectionInput};
use crate::marking::{mark, signals, SignalInput};
use crate::presentation::{caller, indicate, Display, Indication, Presentation};
use crate::reaction::{ListVerdict, Policy, ReactionInput};
use crate::reason::{Reason, ReasonCode};
use crate::store::history as history_rows;
use crate::verdict::Verdict;

/// What identification found: the verification, its reasons, and the rich
/// call data that may be shown if the call turns out a verified business.
struct Identified {
    verification: Verification,
    reasons: Vec<Reason>,
    rich: RcdOutcome,
}

/// What marking found: the lists' decision, whether the call is protected,
/// and the score.
struct Marked {
    facts: CallFacts,
    decision: ListDecision,
    protected: bool,
    score: u8,
}

impl Screener {
    /// Screen a SIP INVITE.
    ///
    /// # Errors
    /// [`crate::Error::TooLarge`] or [`crate::Error::NotSipRequest`] when the
    /// message cannot be screened; a failed verification is a verdict, not an
    /// error.
    pub fn screen_sip(&self, invite: &[u8]) -> Result<Verdict> {
        let call = crate::intake::sip::parse_invite(invite)?;
        self.screen(&call)
    }

    /// Screen a call. Never fetches from the network: a missing certificate is
    /// named in `verification.cert_needed`. Uses only the ringing path's
    /// database connection, so it never waits behind the UI or a background job.
    ///
    /// # Errors
    /// [`crate::Error::Poisoned`] only if another thread panicked inside the
    /// screener.
    pub fn screen(&self, call: &IncomingCall) -> Result<Verdict> {
        let now = self.clock.now();
        let policy = self.policy.read()?.clone();
        let Identified {
            verification,
            mut reasons,
            rich,
        } = self.identification(call, now)?;
        let (presentation, number) = caller(call, self.region);
        let marked = self.marking(
            call,
            (&verification, presentation, number.as_deref()),
            &policy,
            now,
            &mut reasons,
        )?;
        let indication = indicate(
            presentation,
            &verification,
            marked.score,
            policy.spam_threshold,
            rich.data.name.is_some() && verification.source == Some(VerificationSource::Passport),
            policy.present_only_trusted_cli,
            &mut reasons,
        );
        // Rich call data is shown only on a verified business (RFC 9795, ATIS-1000094).
        let business = indication == Indication::VerifiedBusiness;
        let shown = if business {
            reasons.extend(rich.verified);
            rich.data
        } else {
            Default::default()
        };
        let reaction = policy.react(ReactionInput {
            indication,
            presentation,
            verification: &verification,
            score: marked.score,
            lists: list_verdict(&marked.decision),
            protected: marked.protected,
        });
        let verdict = Verdict {
            indication,
            action: reaction.action,
            sip_response: reaction.sip_response,
            presentation,
            display: Display {
                number: if shows_number(indication) {
                    number
                } else {
                    None
                },
                name: shown.name,
                logo_url: shown.logo_url,
                call_reason: shown.call_reason,
                label: indication.label().to_string(),
                label_key: indication.label_key(),
            },
            verification,
            score: marked.score,
            reasons,
        };
        self.record_screened(call, &marked, &verdict, now);
        Ok(verdict)
    }

    /// Identification: every `Identity` header, rich call data, replay, the
    /// network's `verstat` and the platform's status, combined.
    fn identification(&self, call: &IncomingCall, now: i64) -> Result<Identified> {
        let window = self.config.iat_window_secs;
        let check = PassportCheck { now, window };
        let identities =
            verify_identities(&call.identity, &self.binding(call), check, &Lookup(self));
        let content = self.rcd_content.read()?.clone();
        let rich = rich_call_data(&identities.passports, &identities.rcd, &content, window);
        let passports = identities.passports;
        let replayed = self.replayed(&passports, call, now)?;
        let refresh = self.refresh_candidates(&passports);
        let intake = VerstatIntake {
            trusted: self.config.trust_verstat,
            from_header: self.config.verstat_from_header,
        };
        let (mut verification, mut reasons) = identify(Evidence {
            passports,
            replayed,
            verstat: verstat::find(call, intake),
            platform: call.platform.as_ref().map(|p| p.verification),
        });
        reasons.extend(rich.reasons.iter().cloned());
        for url in refresh {
            if !verification.cert_needed.contains(&url) && self.refresh_due(&url, now)? {
                verification.cert_needed.push(url);
            }
        }
        for url in &rich.cert_needed {
            if !verification.cert_needed.contains(url) {
                verification.cert_needed.push(url.clone());
            }
        }
        Ok(Identified {
            verification,
            reasons,
            rich,
        })
    }

    /// The best passing PASSporT seen before under another Call-ID?
    fn replayed(
        &self,
        passports: &[PassportOutcome],
        call: &IncomingCall,
        now: i64,
    ) -> Result<bool> {
        let signature = passports.iter().find_map(|o| match o {
            PassportOutcome::Passed { signature, .. } => Some(signature),
            _ => None,
        });
        let Some(signature) = signature else {
            return Ok(false);
        };
        let call_id = call.call_id.as_deref().unwrap_or("");
        let window = self.config.iat_window_secs;
        Ok(self
            .replay
            .lock()?
            .check_and_record(signature, call_id, now, window))
    }

    /// Marking: the lists (with "unless verified" waived for verified calls),
    /// the heuristics, protection, and the score over every reason so far.
    fn marking(
        &self,
        call: &IncomingCall,
        (verification, presentation, number): (&Verification, Presentation, Option<&str>),
        policy: &Policy,
        now: i64,
        reasons: &mut Vec<Reason>,
    ) -> Result<Marked> {
        let index = self.lists.index.read()?.clone();
        let facts = call_facts(call, verification, presentation, number, &index);
        let operator = self.lists.operator.read()?.clone();
        let mandatory = self.lists.mandatory.read()?.clone();
        let decision = decide(
            &index,
            operator.as_deref(),
            mandatory.as_deref(),
            &facts,
            policy.allow_contacts,
            now,
        );
        let (decision, waived) = unless_verified::waive(decision, verification, |id| {
            Ok(index.rule(id).is_some_and(|r| r.unless_verified))
        })?;
        reasons.extend(decision.reasons());
        reasons.extend(waived);
        reasons.extend(signals(SignalInput {
            number: facts.number.as_deref(),
            own_numbers: &self.own_e164,
            verification,
            network_marking: call.network_marking.as_deref(),
            recent_calls: call.recent_calls.max(
                facts
                    .number
                    .as_deref()
                    .map_or(0, |n| self.history.recent_count(n, now)),
            ),
        }));
        let why = protected(ProtectionInput {
            emergency_at: *self.emergency_at.read()?,
            now,
            policy,
            raw_caller: &raw_caller(call),
            number,
            region: self.region,
        });
        if let Some(why) = &why {
            reasons.push(Reason::new(ReasonCode::EmergencyCallback, why.clone()));
        }
        Ok(Marked {
            facts,
            decision,
            protected: why.is_some(),
            score: mark(reasons),
        })
    }

    /// The numbers a PASSporT must name: `orig` from the asserted caller,
    /// `dest` the own numbers (or, without them, To and P-Called-Party-ID).
    fn binding(&self, call: &IncomingCall) -> CallBinding {
        let canon = |n: &str| canonical_tn(n, self.region);
        let orig = call
            .asserted_caller()
            .and_then(|na| na.uri.telephone_number())
            .and_then(canon);
        let dest = if self.own_numbers.is_empty() {
            [call.to.as_ref(), call.p_called_party_id.as_ref()]
                .into_iter()
                .flatten()
                .filter_map(|na| na.uri.telephone_number())
                .filter_map(canon)
                .collect()
        } else {
            self.own_numbers.clone()
        };
        CallBinding {
            orig,
            dest,
            date: call.date,
        }
    }

    /// Record a screened call, as the history mode says. Never fails the
    /// screen: a storage error is logged and the call goes unrecorded.
    fn record_screened(&self, call: &IncomingCall, marked: &Marked, verdict: &Verdict, now: i64) {
        let recorded = match self.history.mode() {
            HistoryMode::Off => false,
            HistoryMode::Flagged => is_flagged(
                verdict.indication,
                verdict.verification.status,
                verdict.action,
            ),
            HistoryMode::All => true,
        };
        if !recorded {
            return;
        }
        let called = call
            .p_called_party_id
            .as_ref()
            .or(call.to.as_ref())
            .and_then(|na| na.uri.telephone_number())
            .map(|n| {
                crate::intake::number::to_e164(n, self.region).unwrap_or_else(|| n.to_string())
            });
        let entry = NewEntry::from_verdict(
            now,
            call.call_id.clone(),
            marked.facts.number.clone(),
            called,
            verdict,
            &marked.decision,
            call.line,
        );
        let purge = self.history.purge_due(now);
        let inserted = self.store.record(|tx| {
            let id = history_rows::insert(tx, &entry)?;
            if let Some(cutoff) = purge {
                history_rows::purge(tx, cutoff)?;
            }
            Ok(id)
        });
        match inserted {
            Ok(_) => {
                if let Some(n) = &entry.calling {
                    self.history.note_call(n, now);
                }
            }
            Err(e) => log::warn!("call not recorded in history: {e}"),
        }
    }
}

/// What the lists may match on. A withheld caller's number is never
/// matched, shown or stored.
fn call_facts(
    call: &IncomingCall,
    verification: &Verification,
    presentation: Presentation,
    number: Option<&str>,
    index: &RuleIndex,
) -> CallFacts {
    let withheld = presentation == Presentation::Withheld;
    let number = if withheld {
        None
    } else {
        number.map(str::to_string)
    };
    // The country costs a libphonenumber lookup: only when a rule needs it.
    let needs_country = index.has_country_rules();
    CallFacts {
        country: if needs_country {
            number.as_deref().and_then(crate::intake::number::region_of)
        } else {
            None
        },
        number,
        withheld,
        classes: crate::marking::lists::index::classes_of(verification),
        is_contact: call.is_contact,
        line: call.line,
    }
}

/// The caller's number as presented (before normalisation), for protection.
fn raw_caller(call: &IncomingCall) -> String {
    call.asserted_caller()
        .and_then(|na| na.uri.telephone_number())
        .map(str::to_string)
        .or_else(|| call.platform.as_ref().and_then(|p| p.number.clone()))
        .unwrap_or_default()
}

fn list_verdict(decision: &ListDecision) -> ListVerdict {
    if decision.blocks() {
        ListVerdict::Block
    } else if decision.excepts() {
        ListVerdict::Exception
    } else {
        ListVerdict::None
    }
}

/// The number is shown for these indications; withheld and not available
/// hide it.
fn shows_number(indication: Indication) -> bool {
    matches!(
        indication,
        Indication::Verified
            | Indication::VerifiedBusiness
            | Indication::Unverified
            | Indication::LikelySpam
    )
}
