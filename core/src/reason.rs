//! Reasons: the machine-readable "why" behind every verdict (CONTRACT.md).
//!
//! Each step of screening adds [`Reason`]s; the user and the operator can always
//! ask why a call was shown or treated as it was, and challenge it. The codes are
//! stable snake_case strings.

use std::fmt;

macro_rules! reason_codes {
    ($( $(#[$doc:meta])* $variant:ident = $text:literal $(=> $code:literal)? ),* $(,)?) => {
        /// A stable reason code. Failure codes carry their SIP response code
        /// (RFC 8224 §6.2.2, ATIS-1000074 §5.3.1): 403, 436, 437 or 438.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum ReasonCode {
            $( $(#[$doc])* $variant, )*
        }

        impl ReasonCode {
            /// Every code, in declaration order.
            pub const ALL: &'static [ReasonCode] = &[$(ReasonCode::$variant),*];

            /// The stable snake_case string.
            pub fn as_str(self) -> &'static str {
                match self { $(ReasonCode::$variant => $text,)* }
            }

            /// The SIP response code when this is a verification failure.
            pub fn failure_code(self) -> Option<u16> {
                match self {
                    $( $(ReasonCode::$variant => Some($code),)? )*
                    #[allow(unreachable_patterns)]
                    _ => None,
                }
            }

            /// Parse a stable string back into a code.
            pub fn parse(s: &str) -> Option<ReasonCode> {
                match s { $($text => Some(ReasonCode::$variant),)* _ => None }
            }
        }
    };
}

reason_codes! {
    /// The `Identity` header's parameters are malformed (RFC 8224 §4.1).
    IdentityMalformed = "identity_malformed" => 438,
    /// `info` differs from the PASSporT's `x5u`, or is missing from it.
    InfoMismatch = "info_mismatch" => 436,
    /// `x5u` is not an https URL.
    X5uNotHttps = "x5u_not_https" => 436,
    /// `alg` is not ES256.
    AlgUnsupported = "alg_unsupported" => 437,
    /// `typ` is not `passport`.
    TypInvalid = "typ_invalid" => 438,
    /// The JOSE header has `crit`.
    CritUnsupported = "crit_unsupported" => 438,
    /// The compact JWS, its base64url or its header JSON is malformed.
    JwsMalformed = "jws_malformed" => 438,
    /// The claims are missing, mistyped or duplicated.
    ClaimsInvalid = "claims_invalid" => 438,
    /// `iat` is older than the freshness window.
    IatStale = "iat_stale" => 403,
    /// `iat` is later than the freshness window allows.
    IatFuture = "iat_future" => 403,
    /// The `Date` header and `iat` differ by more than the window.
    DateMismatch = "date_mismatch" => 403,
    /// `orig` does not match P-Asserted-Identity (or From).
    OrigMismatch = "orig_mismatch" => 438,
    /// `dest` does not name the subscriber.
    DestMismatch = "dest_mismatch" => 438,
    /// The ES256 signature does not verify.
    SignatureInvalid = "signature_invalid" => 438,
    /// The certificate at `x5u` is not available locally.
    CertUnavailable = "cert_unavailable" => 436,
    /// The certificate or its chain breaks the SHAKEN profile.
    CertInvalid = "cert_invalid" => 437,
    /// The chain does not lead to a configured STI-CA trust anchor.
    CertUntrusted = "cert_untrusted" => 437,
    /// A certificate in the chain is outside its validity at `iat`.
    CertExpired = "cert_expired" => 437,
    /// A certificate in the chain is revoked.
    CertRevoked = "cert_revoked" => 437,
    /// The signer's certificate has no (readable) TNAuthList.
    TnauthlistMissing = "tnauthlist_missing" => 437,
    /// The TNAuthList's numbers do not cover `orig`.
    TnNotAuthorized = "tn_not_authorized" => 438,
    /// A `div` PASSporT is invalid.
    DivInvalid = "div_invalid" => 438,
    /// A PASSporT is over a size limit.
    SizeLimit = "size_limit" => 438,
    /// A PASSporT type other than `shaken` (not verified here).
    PptUnsupported = "ppt_unsupported",
    /// The same PASSporT was seen under another Call-ID within the window.
    PassportReplayed = "passport_replayed",
    /// A delegate's numbers could not be checked against its parent's.
    EncompassUnverifiable = "encompass_unverifiable",
    /// A certificate on the path deviates from the ATIS-1000080 profile (policy,
    /// key usage, CRL distribution point); reported only with `profile_checks`.
    CertProfile = "cert_profile",
    /// The trusted network said `TN-Validation-Passed`.
    VerstatPassed = "verstat_passed",
    /// The trusted network said `TN-Validation-Failed`.
    VerstatFailed = "verstat_failed",
    /// The trusted network said `No-TN-Validation`.
    VerstatNoValidation = "verstat_no_validation",
    /// A `verstat` arrived over an intake not trusted to set it; ignored.
    VerstatUntrusted = "verstat_untrusted",
    /// The platform says verification passed.
    PlatformPassed = "platform_passed",
    /// The platform says verification failed.
    PlatformFailed = "platform_failed",
    /// Rich call data verified and vetted.
    RcdVerified = "rcd_verified",
    /// Rich call data not vetted; not shown.
    RcdUnvetted = "rcd_unvetted",
    /// An `rcdi` digest did not match.
    RcdIntegrityMismatch = "rcd_integrity_mismatch",
    /// A `ppt=rcd` PASSporT not bound to a passed `shaken` one.
    RcdUnbound = "rcd_unbound",
    /// The caller withheld its identity (CLIR).
    Withheld = "withheld",
    /// The call comes from a payphone.
    Payphone = "payphone",
    /// An unverified CLI hidden under "present only trusted CLIs".
    UntrustedCliHidden = "untrusted_cli_hidden",
    /// A user block rule matched.
    UserBlock = "user_block",
    /// A user exception matched.
    UserException = "user_exception",
    /// An operator list matched.
    OperatorBlock = "operator_block",
    /// An operator-mandatory rule matched.
    OperatorMandatory = "operator_mandatory",
    /// An exception created from the user's feedback matched.
    FeedbackException = "feedback_exception",
    /// The caller is one of the user's contacts.
    Contact = "contact",
    /// An unverified caller shares the subscriber's leading digits.
    NeighborSpoof = "neighbor_spoof",
    /// The caller presents the subscriber's own number.
    OwnNumberSpoof = "own_number_spoof",
    /// The caller's number is impossible or unassigned.
    InvalidNumber = "invalid_number",
    /// The number called repeatedly.
    RepeatCaller = "repeat_caller",
    /// The network or app marked the call.
    NetworkMarking = "network_marking",
    /// Blocking suspended after an emergency call.
    EmergencyCallback = "emergency_callback",
}

impl fmt::Display for ReasonCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One reason with a human detail and its weight in the score (0–100).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reason {
    /// The stable code.
    pub code: ReasonCode,
    /// Human-readable detail (English; not for localisation).
    pub detail: String,
    /// Contribution to the score, 0–100 (see `docs/scoring.md`).
    pub weight: u8,
}

impl Reason {
    /// A reason with weight 0; [`crate::marking`] assigns weights.
    pub fn new(code: ReasonCode, detail: impl Into<String>) -> Self {
        Reason {
            code,
            detail: detail.into(),
            weight: 0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_are_snake_case() {
        for &code in ReasonCode::ALL {
            assert_eq!(ReasonCode::parse(code.as_str()), Some(code));
            assert!(code
                .as_str()
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'));
        }
        assert_eq!(ReasonCode::SignatureInvalid.failure_code(), Some(438));
        assert_eq!(ReasonCode::CertUnavailable.failure_code(), Some(436));
        assert_eq!(ReasonCode::IatStale.failure_code(), Some(403));
        assert_eq!(ReasonCode::PassportReplayed.failure_code(), None);
    }
}
