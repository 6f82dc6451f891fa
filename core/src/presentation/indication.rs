//! Presentation: how the caller's identity may be shown (CLIP/CLIR, RFC 3323,
//! TS 24.607), and the indication and display the dialer renders.

use crate::identification::verification::{Attestation, Verification, VerificationStatus};
use crate::intake::call::{IncomingCall, PlatformPresentation};
use crate::intake::number::{to_e164, DefaultRegion};
use crate::reason::{Reason, ReasonCode};

/// The presentation state of the calling number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Presentation {
    /// The number may be shown.
    Allowed,
    /// The caller withheld it (CLIR, `Privacy: id`, `anonymous.invalid`).
    Withheld,
    /// The network did not deliver it (interworking), or policy hides it.
    NotAvailable,
    /// A payphone (`cpc=payphone`, RFC 4904).
    Payphone,
}

impl Presentation {
    /// Every value, in declaration order.
    pub const ALL: &'static [Presentation] = &[
        Presentation::Allowed,
        Presentation::Withheld,
        Presentation::NotAvailable,
        Presentation::Payphone,
    ];

    /// From its stable string (`allowed`, `withheld`, `not_available`, `payphone`); `None` for anything else.
    pub fn parse(s: &str) -> Option<Presentation> {
        Self::ALL.iter().copied().find(|v| v.as_str() == s)
    }

    /// `allowed`, `withheld`, `not_available` or `payphone`.
    pub fn as_str(self) -> &'static str {
        match self {
            Presentation::Allowed => "allowed",
            Presentation::Withheld => "withheld",
            Presentation::NotAvailable => "not_available",
            Presentation::Payphone => "payphone",
        }
    }
}

/// What the dialer shows about the caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Indication {
    /// Verified (attestation A) with a vetted business name.
    VerifiedBusiness,
    /// Verified: passed with attestation A, or a trusted pass of unknown attestation.
    Verified,
    /// "Can neither confirm nor repudiate" the number.
    Unverified,
    /// Likely spoofed or unsolicited.
    LikelySpam,
    /// The caller withheld the number.
    Withheld,
    /// No number to show.
    NumberNotAvailable,
}

impl Indication {
    /// Every value, in declaration order.
    pub const ALL: &'static [Indication] = &[
        Indication::VerifiedBusiness,
        Indication::Verified,
        Indication::Unverified,
        Indication::LikelySpam,
        Indication::Withheld,
        Indication::NumberNotAvailable,
    ];

    /// From its stable string (CONTRACT.md); `None` for anything else.
    pub fn parse(s: &str) -> Option<Indication> {
        Self::ALL.iter().copied().find(|v| v.as_str() == s)
    }

    /// The stable string of CONTRACT.md.
    pub fn as_str(self) -> &'static str {
        match self {
            Indication::VerifiedBusiness => "verified_business",
            Indication::Verified => "verified",
            Indication::Unverified => "unverified",
            Indication::LikelySpam => "likely_spam",
            Indication::Withheld => "withheld",
            Indication::NumberNotAvailable => "number_not_available",
        }
    }

    /// Default English label.
    pub fn label(self) -> &'static str {
        match self {
            Indication::VerifiedBusiness => "Verified business",
            Indication::Verified => "Verified caller",
            Indication::Unverified => "Caller's number can neither be confirmed nor repudiated",
            Indication::LikelySpam => "Likely spam",
            Indication::Withheld => "Number withheld",
            Indication::NumberNotAvailable => "Number not available",
        }
    }

    /// A stable key for localisation.
    pub fn label_key(self) -> String {
        match self {
            Indication::VerifiedBusiness => "indication.verified_business",
            Indication::Verified => "indication.verified",
            Indication::Unverified => "indication.unverified",
            Indication::LikelySpam => "indication.likely_spam",
            Indication::Withheld => "indication.withheld",
            Indication::NumberNotAvailable => "indication.number_not_available",
        }
        .to_string()
    }
}

/// What the dialer displays.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Display {
    /// The E.164 number, when it may be shown.
    pub number: Option<String>,
    /// A verified name (vetted rich call data only; never `From`'s display name).
    pub name: Option<String>,
    /// The logo's URL (RFC 9795 `icn`), set only with a verified name and only
    /// when the bytes the app supplied for it matched the `rcdi` digest: show
    /// exactly those bytes.
    pub logo_url: Option<String>,
    /// The call reason (RFC 9795 `crn`), vetted and sanitised, set only with a
    /// verified name.
    pub call_reason: Option<String>,
    /// Human text for the indication.
    pub label: String,
    /// Stable key for localisation.
    pub label_key: String,
}

/// The caller's presentation and number (E.164, when it has one).
pub fn caller(
    call: &IncomingCall,
    region: Option<DefaultRegion>,
) -> (Presentation, Option<String>) {
    if let Some(p) = &call.platform {
        let number = p.number.as_deref().and_then(|n| to_e164(n, region));
        let presentation = match p.presentation {
            PlatformPresentation::Allowed if number.is_some() => Presentation::Allowed,
            PlatformPresentation::Allowed | PlatformPresentation::Unknown => {
                Presentation::NotAvailable
            }
            PlatformPresentation::Restricted => Presentation::Withheld,
            PlatformPresentation::Payphone => Presentation::Payphone,
        };
        return (presentation, number);
    }
    let asserted = call.asserted_caller();
    let number = asserted
        .and_then(|na| na.uri.telephone_number())
        .and_then(|n| to_e164(n, region));
    let anonymous = call.from.as_ref().is_some_and(|f| f.uri.is_anonymous())
        && call
            .p_asserted_identity
            .iter()
            .all(|p| p.uri.is_anonymous());
    let payphone = asserted.is_some_and(|na| {
        na.uri
            .param("cpc")
            .or_else(|| na.param("cpc"))
            .is_some_and(|c| c.eq_ignore_ascii_case("payphone"))
    });
    let presentation = if call.privacy_requested() || anonymous {
        Presentation::Withheld
    } else if number.is_none() {
        Presentation::NotAvailable
    } else if payphone {
        Presentation::Payphone
    } else {
        Presentation::Allowed
    };
    (presentation, number)
}

/// The indication from presentation, verification and score, and the reasons it adds.
pub fn indicate(
    presentation: Presentation,
    verification: &Verification,
    score: u8,
    spam_threshold: u8,
    vetted_name: bool,
    present_only_trusted_cli: bool,
    reasons: &mut Vec<Reason>,
) -> Indication {
    match presentation {
        Presentation::Withheld => {
            reasons.push(Reason::new(
                ReasonCode::Withheld,
                "the caller withheld the number",
            ));
            return Indication::Withheld;
        }
        Presentation::NotAvailable => return Indication::NumberNotAvailable,
        Presentation::Payphone => reasons.push(Reason::new(ReasonCode::Payphone, "payphone")),
        Presentation::Allowed => {}
    }
    let forged = verification.failure.is_some_and(|f| f.is_forgery_class());
    if forged || score > spam_threshold {
        return Indication::LikelySpam;
    }
    let full = matches!(verification.attestation, Some(Attestation::A) | None);
    let indication = match verification.status {
        VerificationStatus::Passed if full && vetted_name => Indication::VerifiedBusiness,
        VerificationStatus::Passed if full => Indication::Verified,
        _ => Indication::Unverified,
    };
    if indication == Indication::Unverified && present_only_trusted_cli {
        reasons.push(Reason::new(
            ReasonCode::UntrustedCliHidden,
            "unverified number hidden: present only trusted CLIs",
        ));
        return Indication::NumberNotAvailable;
    }
    indication
}
