//! One list rule: what it matches, whether it blocks or excepts, who made it,
//! and when and on which line it applies.

use crate::error::{Error, Result};
use crate::intake::number::{to_e164, DefaultRegion};

/// Whether a rule blocks the call or lets it ring despite other rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Effect {
    /// Block (the policy decides the action: reject, voicemail, silence).
    Block,
    /// Let the call ring. Never changes what verification found.
    Exception,
}

impl Effect {
    /// `block` or `exception`.
    pub fn as_str(self) -> &'static str {
        match self {
            Effect::Block => "block",
            Effect::Exception => "exception",
        }
    }
    /// Parse [`Effect::as_str`].
    pub fn parse(s: &str) -> Option<Effect> {
        match s {
            "block" => Some(Effect::Block),
            "exception" => Some(Effect::Exception),
            _ => None,
        }
    }
}

/// Who made a rule; decides precedence (see [`crate::marking::lists::decide()`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RuleSource {
    /// The user.
    User,
    /// The operator's list (below the user's own rules).
    Operator,
    /// The operator, mandatory (above everything).
    OperatorMandatory,
    /// Made from the user's feedback ("this was not spoofed").
    Feedback,
}

impl RuleSource {
    /// `user`, `operator`, `operator_mandatory` or `feedback`.
    pub fn as_str(self) -> &'static str {
        match self {
            RuleSource::User => "user",
            RuleSource::Operator => "operator",
            RuleSource::OperatorMandatory => "operator_mandatory",
            RuleSource::Feedback => "feedback",
        }
    }
    /// Parse [`RuleSource::as_str`].
    pub fn parse(s: &str) -> Option<RuleSource> {
        match s {
            "user" => Some(RuleSource::User),
            "operator" => Some(RuleSource::Operator),
            "operator_mandatory" => Some(RuleSource::OperatorMandatory),
            "feedback" => Some(RuleSource::Feedback),
            _ => None,
        }
    }
}

/// Verification outcomes a rule can match.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum VerificationClass {
    /// Verification failed.
    Failed,
    /// Not verified (no validation, or a failure that may be ours).
    Unverified,
    /// Passed with attestation B.
    AttestationB,
    /// Passed with attestation C.
    AttestationC,
}

impl VerificationClass {
    /// `failed`, `unverified`, `B` or `C`.
    pub fn as_str(self) -> &'static str {
        match self {
            VerificationClass::Failed => "failed",
            VerificationClass::Unverified => "unverified",
            VerificationClass::AttestationB => "B",
            VerificationClass::AttestationC => "C",
        }
    }
    /// Parse [`VerificationClass::as_str`].
    pub fn parse(s: &str) -> Option<VerificationClass> {
        match s {
            "failed" => Some(VerificationClass::Failed),
            "unverified" => Some(VerificationClass::Unverified),
            "B" | "b" => Some(VerificationClass::AttestationB),
            "C" | "c" => Some(VerificationClass::AttestationC),
            _ => None,
        }
    }
}

/// What a rule matches.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum RuleKind {
    /// One number, E.164 (`+12155551212`).
    Number(String),
    /// Every number starting with these E.164 digits (`+1215555`).
    Prefix(String),
    /// `count` numbers from `start` (E.164), as in a TNAuthList range.
    Range {
        /// The first number, E.164.
        start: String,
        /// How many numbers (≥ 1).
        count: u64,
    },
    /// Numbers of a country (ISO 3166-1 alpha-2, per libphonenumber).
    Country(String),
    /// Callers who withheld their number.
    Withheld,
    /// Calls whose verification falls in a class.
    Verification(VerificationClass),
    /// Callers the app says are contacts.
    Contact,
    /// Every call ("pause blocking until": an exception of this kind with an expiry).
    Any,
}

impl RuleKind {
    /// A short stable name: `number`, `prefix`, `range`, `country`, `withheld`,
    /// `verification`, `contact`, `any`.
    pub fn name(&self) -> &'static str {
        match self {
            RuleKind::Number(_) => "number",
            RuleKind::Prefix(_) => "prefix",
            RuleKind::Range { .. } => "range",
            RuleKind::Country(_) => "country",
            RuleKind::Withheld => "withheld",
            RuleKind::Verification(_) => "verification",
            RuleKind::Contact => "contact",
            RuleKind::Any => "any",
        }
    }

    /// The rule's value as text (number, prefix, `start+count`, country, class), for display.
    pub fn value(&self) -> String {
        match self {
            RuleKind::Number(n) | RuleKind::Prefix(n) | RuleKind::Country(n) => n.clone(),
            RuleKind::Range { start, count } => format!("{start}+{count}"),
            RuleKind::Verification(c) => c.as_str().to_string(),
            RuleKind::Withheld | RuleKind::Contact | RuleKind::Any => String::new(),
        }
    }

    /// Normalise the kind's values: numbers to E.164, countries upper-case.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for a value that is not a number, prefix or known country.
    pub fn normalised(self, region: Option<DefaultRegion>) -> Result<RuleKind> {
        let e164 = |n: &str| {
            to_e164(n, region)
                .ok_or_else(|| Error::InvalidInput(format!("{n:?} is not a telephone number")))
        };
        Ok(match self {
            RuleKind::Number(n) => RuleKind::Number(e164(&n)?),
            RuleKind::Prefix(p) => {
                let digits: String = p.chars().filter(|c| c.is_ascii_digit()).collect();
                if !p.trim_start().starts_with('+') || digits.is_empty() || digits.len() > 15 {
                    return Err(Error::InvalidInput(format!(
                        "prefix {p:?} is not + and 1..15 digits"
                    )));
                }
                RuleKind::Prefix(format!("+{digits}"))
            }
            RuleKind::Range { start, count } => {
                if count == 0 || count > 1_000_000_000 {
                    return Err(Error::InvalidInput("range count must be 1..=10^9".into()));
                }
                RuleKind::Range {
                    start: e164(&start)?,
                    count,
                }
            }
            RuleKind::Country(cc) => {
                let cc = cc.trim().to_ascii_uppercase();
                if DefaultRegion::parse(&cc).is_none() {
                    return Err(Error::InvalidInput(format!(
                        "{cc:?} is not a country libphonenumber knows"
                    )));
                }
                RuleKind::Country(cc)
            }
            other => other,
        })
    }
}

/// A rule to add.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRule {
    /// What it matches.
    pub kind: RuleKind,
    /// Block or exception.
    pub effect: Effect,
    /// Who made it.
    pub source: RuleSource,
    /// A label for people.
    pub label: Option<String>,
    /// A category (`telemarketing`, `fraud`, ...).
    pub category: Option<String>,
    /// Seconds since the epoch from which the rule applies (`None`: now).
    pub starts_at: Option<i64>,
    /// Seconds since the epoch after which the rule no longer applies (`None`: never).
    pub expires_at: Option<i64>,
    /// The line (SIM slot) it applies to (`None`: every line).
    pub line: Option<u32>,
}

impl NewRule {
    /// A rule of `kind` and `effect` from the user, with nothing else set.
    pub fn user(kind: RuleKind, effect: Effect) -> NewRule {
        NewRule {
            kind,
            effect,
            source: RuleSource::User,
            label: None,
            category: None,
            starts_at: None,
            expires_at: None,
            line: None,
        }
    }
}

/// A stored rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    /// Its id in the database.
    pub id: i64,
    /// The rule.
    pub rule: NewRule,
    /// When it was created, seconds since the epoch.
    pub created_at: i64,
    /// A user block that does not apply to verified calls ("block unless
    /// verified", [`super::unless_verified`]).
    pub unless_verified: bool,
}

impl Rule {
    /// Whether the rule is in force at `now` on `line`.
    pub fn applies(&self, now: i64, line: Option<u32>) -> bool {
        let r = &self.rule;
        r.starts_at.is_none_or(|s| now >= s)
            && r.expires_at.is_none_or(|e| now < e)
            && (r.line.is_none() || r.line == line)
    }
}
