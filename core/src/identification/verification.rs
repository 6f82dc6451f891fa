//! The outcome of identification: what verification found about the caller's
//! number, from a PASSporT, the network's `verstat`, or the platform.

use crate::reason::ReasonCode;

/// passed / failed / no validation (DESIGN.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VerificationStatus {
    /// The caller's number was verified.
    Passed,
    /// Verification was attempted and failed.
    Failed,
    /// Nothing could be verified (no PASSporT, no trusted verdict).
    NoValidation,
}

impl VerificationStatus {
    /// Every value, in declaration order.
    pub const ALL: &'static [VerificationStatus] = &[
        VerificationStatus::Passed,
        VerificationStatus::Failed,
        VerificationStatus::NoValidation,
    ];

    /// From its stable string (`passed`, `failed`, `no_validation`); `None` for anything else.
    pub fn parse(s: &str) -> Option<VerificationStatus> {
        Self::ALL.iter().copied().find(|v| v.as_str() == s)
    }

    /// `passed`, `failed` or `no_validation`.
    pub fn as_str(self) -> &'static str {
        match self {
            VerificationStatus::Passed => "passed",
            VerificationStatus::Failed => "failed",
            VerificationStatus::NoValidation => "no_validation",
        }
    }
}

/// SHAKEN attestation level (RFC 8588 §4, ATIS-1000074 §5.2.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Attestation {
    /// Full: the originating provider knows the customer and their right to the number.
    A,
    /// Partial: knows the customer, not their right to the number.
    B,
    /// Gateway: only where the call entered the network.
    C,
}

impl Attestation {
    /// From `"A"`, `"B"` or `"C"` (exact).
    pub fn parse(s: &str) -> Option<Attestation> {
        match s {
            "A" => Some(Attestation::A),
            "B" => Some(Attestation::B),
            "C" => Some(Attestation::C),
            _ => None,
        }
    }

    /// `A`, `B` or `C`.
    pub fn as_str(self) -> &'static str {
        match self {
            Attestation::A => "A",
            Attestation::B => "B",
            Attestation::C => "C",
        }
    }
}

/// Where the verification outcome came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VerificationSource {
    /// A PASSporT verified on the device.
    Passport,
    /// The network's `verstat` (TS 24.229 §7.2A.20), from a trusted intake.
    Verstat,
    /// The platform's verification status (Android `Call.Details`).
    Platform,
}

impl VerificationSource {
    /// Every value, in declaration order.
    pub const ALL: &'static [VerificationSource] = &[
        VerificationSource::Passport,
        VerificationSource::Verstat,
        VerificationSource::Platform,
    ];

    /// From its stable string (`passport`, `verstat`, `platform`); `None` for anything else.
    pub fn parse(s: &str) -> Option<VerificationSource> {
        Self::ALL.iter().copied().find(|v| v.as_str() == s)
    }

    /// `passport`, `verstat` or `platform`.
    pub fn as_str(self) -> &'static str {
        match self {
            VerificationSource::Passport => "passport",
            VerificationSource::Verstat => "verstat",
            VerificationSource::Platform => "platform",
        }
    }
}

/// Who signed a PASSporT that passed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signer {
    /// The service provider code from the TNAuthList (RFC 8226 §9), when it has one.
    pub spc: Option<String>,
    /// The signing certificate's subject, as an RFC 4514 string.
    pub subject: String,
    /// True when signed under a delegate certificate (RFC 9060).
    pub delegate: bool,
}

/// Why verification failed: a reason code and its SIP response code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Failure {
    /// 403, 428, 436, 437 or 438 (RFC 8224 §6.2.2).
    pub code: u16,
    /// The reason.
    pub reason: ReasonCode,
}

impl Failure {
    /// A failure for a reason, with the reason's response code (438 when the
    /// reason has none, as for a network `TN-Validation-Failed`).
    pub fn of(reason: ReasonCode) -> Failure {
        Failure {
            code: reason.failure_code().unwrap_or(438),
            reason,
        }
    }

    /// True for the 438 class: a forged or mismatching PASSporT. Such a failure
    /// marks the call likely spam; 403/436/437 may be our own clock or trust store.
    pub fn is_forgery_class(&self) -> bool {
        self.code == 438
    }
}

/// The whole outcome of identification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verification {
    /// passed / failed / no validation.
    pub status: VerificationStatus,
    /// The attestation, when known.
    pub attestation: Option<Attestation>,
    /// Where the outcome came from; `None` when nothing was offered.
    pub source: Option<VerificationSource>,
    /// The raw `verstat` token from a trusted intake, when present.
    pub verstat: Option<String>,
    /// The signer, when a PASSporT passed.
    pub signer: Option<Signer>,
    /// The failure, when a PASSporT or the network's verdict failed.
    pub failure: Option<Failure>,
    /// `x5u` URLs whose certificates the app should fetch and hand back
    /// (`add_certificate`), then screen again: certificates the core does not
    /// hold, and held ones under which a signature failed and that are due for a
    /// refresh (the provider may have replaced them; [`crate::identification::cert::RefreshHints`]).
    pub cert_needed: Vec<String>,
}

impl Verification {
    /// Nothing was verified.
    pub fn none() -> Self {
        Verification {
            status: VerificationStatus::NoValidation,
            attestation: None,
            source: None,
            verstat: None,
            signer: None,
            failure: None,
            cert_needed: Vec::new(),
        }
    }

    /// True when passed.
    pub fn passed(&self) -> bool {
        self.status == VerificationStatus::Passed
    }
}
