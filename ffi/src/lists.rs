//! Block and exception rules, and the operator's bulk lists, mirrored from
//! [`callscreen_core::marking::lists`]; [`ImportProgressListener`] reports an import's
//! progress to the app.
//!
//! Precedence (DESIGN.md): operator mandatory > user exceptions > user blocks >
//! operator lists > heuristics. An exception lets a call ring; it never changes
//! what verification found.

use crate::error::CallScreenError;
use callscreen_core::marking::lists::OperatorListInfo as CoreListInfo;
use callscreen_core::marking::lists::{
    Effect as CoreEffect, ImportReport as CoreImportReport, NewRule as CoreNewRule,
    Rule as CoreRule, RuleKind as CoreKind, RuleSource as CoreSource,
    VerificationClass as CoreClass,
};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Arc;

/// What a rule matches.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum RuleKind {
    /// One number (any format; stored as E.164 with the default region).
    Number {
        /// The number.
        number: String,
    },
    /// Every number starting with these digits: `+` and 1 to 15 digits (`+1900`).
    Prefix {
        /// The prefix.
        prefix: String,
    },
    /// `count` consecutive numbers from `start` (as a TNAuthList range).
    Range {
        /// The first number.
        start: String,
        /// How many numbers, 1..=10⁹.
        count: u64,
    },
    /// Numbers of a country (ISO 3166-1 alpha-2, e.g. `"FR"`).
    Country {
        /// The country.
        country: String,
    },
    /// Callers who withheld their number.
    Withheld,
    /// Calls whose verification falls in a class.
    Verification {
        /// The class.
        verification_class: VerificationClass,
    },
    /// Callers the app says are contacts.
    Contact,
    /// Every call. An exception of this kind with `expires_at` pauses blocking
    /// until then.
    AllCalls,
}

/// Verification outcomes a rule can match.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum VerificationClass {
    /// Verification failed.
    Failed,
    /// Not verified (no validation, or a failure that may be our own clock or trust store).
    Unverified,
    /// Passed with attestation B.
    AttestationB,
    /// Passed with attestation C.
    AttestationC,
}

/// Whether a rule blocks a call or lets it ring despite other rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum Effect {
    /// Block, with the policy's `block_action`.
    Block,
    /// Let the call ring.
    Exception,
}

/// Who made a rule; decides precedence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum RuleSource {
    /// The user.
    User,
    /// The operator (below the user's own rules).
    Operator,
    /// The operator, mandatory (above everything).
    OperatorMandatory,
    /// From the user's feedback ("this call was not spoofed").
    Feedback,
}

/// A rule to add.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct NewRule {
    /// What it matches.
    pub kind: RuleKind,
    /// Block or exception.
    pub effect: Effect,
    /// Who made it.
    pub source: RuleSource,
    /// A label for people (at most 128 characters are kept).
    #[uniffi(default = None)]
    pub label: Option<String>,
    /// A category (`telemarketing`, `fraud`, ...).
    #[uniffi(default = None)]
    pub category: Option<String>,
    /// Seconds since the epoch from which it applies (`null`: now).
    #[uniffi(default = None)]
    pub starts_at: Option<i64>,
    /// Seconds since the epoch after which it no longer applies (`null`: never).
    #[uniffi(default = None)]
    pub expires_at: Option<i64>,
    /// The line (SIM slot) it applies to (`null`: every line).
    #[uniffi(default = None)]
    pub line: Option<u32>,
}

/// A stored rule.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Rule {
    /// Its id, for `remove_rule`.
    pub id: i64,
    /// The rule, normalised (numbers in E.164).
    pub rule: NewRule,
    /// When it was added, seconds since the epoch.
    pub created_at: i64,
}

/// What an operator list import did.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ImportReport {
    /// Distinct numbers listed.
    pub numbers: u64,
    /// Distinct prefixes listed.
    pub prefixes: u64,
    /// Lines that were not entries.
    pub malformed: u64,
    /// Line numbers (1-based) of the first 100 malformed lines.
    pub malformed_lines: Vec<u64>,
    /// Lines read.
    pub lines: u64,
}

/// An imported operator list.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct OperatorListInfo {
    /// `operator` or `operator_mandatory`.
    pub name: String,
    /// Numbers listed.
    pub numbers: u64,
    /// Prefixes listed.
    pub prefixes: u64,
    /// When it was imported, seconds since the epoch.
    pub imported_at: i64,
}

/// The app's progress display for an operator list import (a progress bar).
/// Called on the importing thread every 65 536 lines and once at the end.
#[uniffi::export(foreign)]
pub trait ImportProgressListener: Send + Sync {
    /// Bytes and lines read so far.
    ///
    /// # Errors
    /// Errors and exceptions are ignored: the import goes on.
    fn on_progress(&self, bytes_read: u64, lines_read: u64) -> Result<(), CallScreenError>;
}

/// Forward progress to the app's listener; its failures are dropped.
pub(crate) fn progress_to(
    listener: Option<Arc<dyn ImportProgressListener>>,
) -> impl FnMut(callscreen_core::marking::lists::ImportProgress) {
    move |p| {
        if let Some(l) = &listener {
            let _ = catch_unwind(AssertUnwindSafe(|| {
                l.on_progress(p.bytes_read, p.lines_read)
            }));
        }
    }
}

impl From<RuleKind> for CoreKind {
    fn from(k: RuleKind) -> Self {
        match k {
            RuleKind::Number { number } => CoreKind::Number(number),
            RuleKind::Prefix { prefix } => CoreKind::Prefix(prefix),
            RuleKind::Range { start, count } => CoreKind::Range { start, count },
            RuleKind::Country { country } => CoreKind::Country(country),
            RuleKind::Withheld => CoreKind::Withheld,
            RuleKind::Verification { verification_class } => {
                CoreKind::Verification(verification_class.into())
            }
            RuleKind::Contact => CoreKind::Contact,
            RuleKind::AllCalls => CoreKind::Any,
        }
    }
}

impl From<CoreKind> for RuleKind {
    fn from(k: CoreKind) -> Self {
        match k {
            CoreKind::Number(number) => RuleKind::Number { number },
            CoreKind::Prefix(prefix) => RuleKind::Prefix { prefix },
            CoreKind::Range { start, count } => RuleKind::Range { start, count },
            CoreKind::Country(country) => RuleKind::Country { country },
            CoreKind::Withheld => RuleKind::Withheld,
            CoreKind::Verification(c) => RuleKind::Verification {
                verification_class: c.into(),
            },
            CoreKind::Contact => RuleKind::Contact,
            CoreKind::Any => RuleKind::AllCalls,
        }
    }
}

impl From<VerificationClass> for CoreClass {
    fn from(c: VerificationClass) -> Self {
        match c {
            VerificationClass::Failed => CoreClass::Failed,
            VerificationClass::Unverified => CoreClass::Unverified,
            VerificationClass::AttestationB => CoreClass::AttestationB,
            VerificationClass::AttestationC => CoreClass::AttestationC,
        }
    }
}

impl From<CoreClass> for VerificationClass {
    fn from(c: CoreClass) -> Self {
        match c {
            CoreClass::Failed => VerificationClass::Failed,
            CoreClass::Unverified => VerificationClass::Unverified,
            CoreClass::AttestationB => VerificationClass::AttestationB,
            CoreClass::AttestationC => VerificationClass::AttestationC,
        }
    }
}

impl From<Effect> for CoreEffect {
    fn from(e: Effect) -> Self {
        match e {
            Effect::Block => CoreEffect::Block,
            Effect::Exception => CoreEffect::Exception,
        }
    }
}

impl From<CoreEffect> for Effect {
    fn from(e: CoreEffect) -> Self {
        match e {
            CoreEffect::Block => Effect::Block,
            CoreEffect::Exception => Effect::Exception,
        }
    }
}

impl From<RuleSource> for CoreSource {
    fn from(s: RuleSource) -> Self {
        match s {
            RuleSource::User => CoreSource::User,
            RuleSource::Operator => CoreSource::Operator,
            RuleSource::OperatorMandatory => CoreSource::OperatorMandatory,
            RuleSource::Feedback => CoreSource::Feedback,
        }
    }
}

impl From<CoreSource> for RuleSource {
    fn from(s: CoreSource) -> Self {
        match s {
            CoreSource::User => RuleSource::User,
            CoreSource::Operator => RuleSource::Operator,
            CoreSource::OperatorMandatory => RuleSource::OperatorMandatory,
            CoreSource::Feedback => RuleSource::Feedback,
        }
    }
}

impl From<NewRule> for CoreNewRule {
    fn from(r: NewRule) -> Self {
        CoreNewRule {
            kind: r.kind.into(),
            effect: r.effect.into(),
            source: r.source.into(),
            label: r.label,
            category: r.category,
            starts_at: r.starts_at,
            expires_at: r.expires_at,
            line: r.line,
        }
    }
}

impl From<CoreNewRule> for NewRule {
    fn from(r: CoreNewRule) -> Self {
        NewRule {
            kind: r.kind.into(),
            effect: r.effect.into(),
            source: r.source.into(),
            label: r.label,
            category: r.category,
            starts_at: r.starts_at,
            expires_at: r.expires_at,
            line: r.line,
        }
    }
}

impl From<CoreRule> for Rule {
    fn from(r: CoreRule) -> Self {
        Rule {
            id: r.id,
            rule: r.rule.into(),
            created_at: r.created_at,
        }
    }
}

impl From<CoreImportReport> for ImportReport {
    fn from(r: CoreImportReport) -> Self {
        ImportReport {
            numbers: r.numbers,
            prefixes: r.prefixes,
            malformed: r.malformed,
            malformed_lines: r.malformed_lines,
            lines: r.lines,
        }
    }
}

impl From<CoreListInfo> for OperatorListInfo {
    fn from(i: CoreListInfo) -> Self {
        OperatorListInfo {
            name: i.name,
            numbers: i.numbers,
            prefixes: i.prefixes,
            imported_at: i.imported_at,
        }
    }
}
