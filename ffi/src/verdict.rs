//! The verdict and everything in it, mirrored from [`callscreen_core::verdict`].
//! The JSON form of the same verdict (CONTRACT.md) comes from
//! [`crate::CallScreener::screen_sip_json`].

use callscreen_core::identification::verification::{
    Attestation as CoreAttestation, Failure as CoreFailure, Signer as CoreSigner,
    Verification as CoreVerification, VerificationSource as CoreSource,
    VerificationStatus as CoreStatus,
};
use callscreen_core::presentation::{
    Display as CoreDisplay, Indication as CoreIndication, Presentation as CorePresentation,
};
use callscreen_core::reaction::policy::Action as CoreAction;
use callscreen_core::reason::Reason as CoreReason;

/// Everything the dialer needs about one call.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Verdict {
    /// What to show (the check mark, a spam warning, ...).
    pub indication: Indication,
    /// What to do with the call, by the configured policy.
    pub action: Action,
    /// For apps that answer SIP themselves: the response to send when the action
    /// is `REJECT` (607 Unwanted, RFC 8197, for a blocked or likely-spam call;
    /// 603 Decline otherwise); `null` for any other action.
    pub sip_response: Option<u16>,
    /// Whether the caller's number may be shown.
    pub presentation: Presentation,
    /// The number, name and label to display.
    pub display: CallDisplay,
    /// What verification (STIR/SHAKEN, the network, the platform) found.
    pub verification: Verification,
    /// Likelihood the call is spoofed or unsolicited, 0–100.
    pub score: u8,
    /// Why: every reason, in the order the screening steps added them.
    pub reasons: Vec<Reason>,
}

/// What the dialer shows about the caller (CONTRACT.md `indication`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum Indication {
    /// Verified (attestation A) with a vetted business name.
    VerifiedBusiness,
    /// Verified: passed with attestation A, or a trusted pass of unknown
    /// attestation (a network `TN-Validation-Passed`, Android status 1).
    Verified,
    /// The number can neither be confirmed nor repudiated (attestation B or C,
    /// no PASSporT, or a failure that may be our own clock or trust store).
    Unverified,
    /// Likely spoofed or unsolicited: a forged PASSporT (438 class), a trusted
    /// `TN-Validation-Failed`, or a score over the threshold.
    LikelySpam,
    /// The caller withheld the number (CLIR, RFC 3323 privacy).
    Withheld,
    /// No number to show.
    NumberNotAvailable,
}

/// What the dialer does with the call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum Action {
    /// Ring normally.
    Allow,
    /// Ring without sound.
    Silence,
    /// Send to voicemail.
    Voicemail,
    /// Reject.
    Reject,
}

/// The presentation state of the calling number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum Presentation {
    /// The number may be shown.
    Allowed,
    /// The caller withheld it (CLIR, `Privacy: id`, `anonymous.invalid`).
    Withheld,
    /// The network did not deliver it, or policy hides it.
    NotAvailable,
    /// A payphone (`cpc=payphone`, RFC 4904).
    Payphone,
}

/// What the dialer displays.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct CallDisplay {
    /// The caller's number in E.164 (`+12155551212`), when it may be shown.
    pub number: Option<String>,
    /// A verified name, from vetted rich call data only; never `From`'s display name.
    pub name: Option<String>,
    /// The logo's URL (RFC 9795 `icn`), set only with a verified name and only
    /// when the bytes the app supplied for it (`rcd_content`) matched their
    /// `rcdi` digest: show exactly those bytes.
    pub logo_url: Option<String>,
    /// The call reason (RFC 9795 `crn`), vetted and sanitised; set only with a
    /// verified name.
    pub call_reason: Option<String>,
    /// Default English text for the indication.
    pub label: String,
    /// A stable key for localising the label, e.g. `indication.verified`.
    pub label_key: String,
}

/// The outcome of verification.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Verification {
    /// Passed, failed, or nothing to validate.
    pub status: VerificationStatus,
    /// The SHAKEN attestation, when known (`null` for a pass of unknown level).
    pub attestation: Option<Attestation>,
    /// Where the outcome came from; `null` when nothing was offered.
    pub source: Option<VerificationSource>,
    /// The raw `verstat` token from a trusted intake, when present.
    pub verstat: Option<String>,
    /// Who signed the PASSporT; set only when a PASSporT passed.
    pub signer: Option<Signer>,
    /// Why verification failed; set only when a PASSporT or the network's verdict failed.
    pub failure: Option<Failure>,
    /// `x5u` URLs whose certificates the app should fetch (over HTTPS, outside
    /// the ringing path) and hand back with `add_certificate`.
    pub cert_needed: Vec<String>,
}

/// Passed, failed or no validation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum VerificationStatus {
    /// The caller's number was verified.
    Passed,
    /// Verification was attempted and failed.
    Failed,
    /// Nothing could be verified (no PASSporT, no trusted verdict).
    NoValidation,
}

/// SHAKEN attestation level (RFC 8588 §4, ATIS-1000074 §5.2.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum Attestation {
    /// Full: the originating provider knows the customer and their right to the number.
    A,
    /// Partial: knows the customer, not their right to the number.
    B,
    /// Gateway: knows only where the call entered its network.
    C,
}

/// Where the verification outcome came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum VerificationSource {
    /// A PASSporT (RFC 8225/8588) verified on the device.
    Passport,
    /// The network's `verstat` (3GPP TS 24.229 §7.2A.20), from a trusted intake.
    Verstat,
    /// The platform's verification status (Android `Call.Details`).
    Platform,
}

/// Who signed a PASSporT that passed.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Signer {
    /// The service provider code from the certificate's TNAuthList (RFC 8226 §9),
    /// when it has one.
    pub spc: Option<String>,
    /// The signing certificate's subject, as an RFC 4514 string.
    pub subject: String,
    /// True when signed under a delegate certificate (RFC 9060).
    pub delegate: bool,
}

/// Why verification failed.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Failure {
    /// The SIP response code of the failure (RFC 8224 §6.2.2): 403 stale or
    /// future date, 428, 436 bad identity info, 437 unsupported credential, 438
    /// invalid identity header.
    pub code: u16,
    /// The stable snake_case reason code (CONTRACT.md), e.g. `signature_invalid`.
    pub reason: String,
}

/// One reason behind the verdict.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Reason {
    /// The stable snake_case code (CONTRACT.md), e.g. `cert_unavailable`.
    pub code: String,
    /// Human-readable detail, in English (not for localisation).
    pub detail: String,
    /// Contribution to the score, 0–100.
    pub weight: u8,
}

impl From<callscreen_core::Verdict> for Verdict {
    fn from(v: callscreen_core::Verdict) -> Self {
        Verdict {
            indication: v.indication.into(),
            action: v.action.into(),
            sip_response: v.sip_response,
            presentation: v.presentation.into(),
            display: v.display.into(),
            verification: v.verification.into(),
            score: v.score,
            reasons: v.reasons.into_iter().map(Into::into).collect(),
        }
    }
}

impl From<CoreIndication> for Indication {
    fn from(i: CoreIndication) -> Self {
        match i {
            CoreIndication::VerifiedBusiness => Indication::VerifiedBusiness,
            CoreIndication::Verified => Indication::Verified,
            CoreIndication::Unverified => Indication::Unverified,
            CoreIndication::LikelySpam => Indication::LikelySpam,
            CoreIndication::Withheld => Indication::Withheld,
            CoreIndication::NumberNotAvailable => Indication::NumberNotAvailable,
        }
    }
}

impl From<CoreAction> for Action {
    fn from(a: CoreAction) -> Self {
        match a {
            CoreAction::Allow => Action::Allow,
            CoreAction::Silence => Action::Silence,
            CoreAction::Voicemail => Action::Voicemail,
            CoreAction::Reject => Action::Reject,
        }
    }
}

impl From<Action> for CoreAction {
    fn from(a: Action) -> Self {
        match a {
            Action::Allow => CoreAction::Allow,
            Action::Silence => CoreAction::Silence,
            Action::Voicemail => CoreAction::Voicemail,
            Action::Reject => CoreAction::Reject,
        }
    }
}

impl From<CorePresentation> for Presentation {
    fn from(p: CorePresentation) -> Self {
        match p {
            CorePresentation::Allowed => Presentation::Allowed,
            CorePresentation::Withheld => Presentation::Withheld,
            CorePresentation::NotAvailable => Presentation::NotAvailable,
            CorePresentation::Payphone => Presentation::Payphone,
        }
    }
}

impl From<CoreDisplay> for CallDisplay {
    fn from(d: CoreDisplay) -> Self {
        CallDisplay {
            number: d.number,
            name: d.name,
            logo_url: d.logo_url,
            call_reason: d.call_reason,
            label: d.label,
            label_key: d.label_key,
        }
    }
}

impl From<CoreVerification> for Verification {
    fn from(v: CoreVerification) -> Self {
        Verification {
            status: v.status.into(),
            attestation: v.attestation.map(Into::into),
            source: v.source.map(Into::into),
            verstat: v.verstat,
            signer: v.signer.map(Into::into),
            failure: v.failure.map(Into::into),
            cert_needed: v.cert_needed,
        }
    }
}

impl From<CoreStatus> for VerificationStatus {
    fn from(s: CoreStatus) -> Self {
        match s {
            CoreStatus::Passed => VerificationStatus::Passed,
            CoreStatus::Failed => VerificationStatus::Failed,
            CoreStatus::NoValidation => VerificationStatus::NoValidation,
        }
    }
}

impl From<CoreAttestation> for Attestation {
    fn from(a: CoreAttestation) -> Self {
        match a {
            CoreAttestation::A => Attestation::A,
            CoreAttestation::B => Attestation::B,
            CoreAttestation::C => Attestation::C,
        }
    }
}

impl From<CoreSource> for VerificationSource {
    fn from(s: CoreSource) -> Self {
        match s {
            CoreSource::Passport => VerificationSource::Passport,
            CoreSource::Verstat => VerificationSource::Verstat,
            CoreSource::Platform => VerificationSource::Platform,
        }
    }
}

impl From<CoreSigner> for Signer {
    fn from(s: CoreSigner) -> Self {
        Signer {
            spc: s.spc,
            subject: s.subject,
            delegate: s.delegate,
        }
    }
}

impl From<CoreFailure> for Failure {
    fn from(f: CoreFailure) -> Self {
        Failure {
            code: f.code,
            reason: f.reason.as_str().to_string(),
        }
    }
}

impl From<CoreReason> for Reason {
    fn from(r: CoreReason) -> Self {
        Reason {
            code: r.code.as_str().to_string(),
            detail: r.detail,
            weight: r.weight,
        }
    }
}
