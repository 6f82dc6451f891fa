//! The incoming call as screening sees it, built from a SIP INVITE
//! ([`crate::intake::sip::parse_invite`]) or from the platform's fields alone
//! ([`IncomingCall::from_platform`], Android's `Call.Details`).

use crate::intake::sip::NameAddr;

/// Android's `Call.Details.getCallerNumberVerificationStatus()`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlatformVerificationStatus {
    /// 0, `VERIFICATION_STATUS_NOT_VERIFIED`.
    NotVerified,
    /// 1, `VERIFICATION_STATUS_PASSED`: a pass with unknown attestation.
    Passed,
    /// 2, `VERIFICATION_STATUS_FAILED`.
    Failed,
}

impl PlatformVerificationStatus {
    /// From Android's integer constant; unknown values read as not verified.
    pub fn from_android(status: i32) -> Self {
        match status {
            1 => PlatformVerificationStatus::Passed,
            2 => PlatformVerificationStatus::Failed,
            _ => PlatformVerificationStatus::NotVerified,
        }
    }
}

/// How the platform says the number is presented (Android `TelecomManager`
/// `PRESENTATION_*`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlatformPresentation {
    /// `PRESENTATION_ALLOWED`.
    Allowed,
    /// `PRESENTATION_RESTRICTED`: the caller withheld the number (CLIR).
    Restricted,
    /// `PRESENTATION_UNKNOWN` (or unavailable): the network did not deliver it.
    Unknown,
    /// `PRESENTATION_PAYPHONE`.
    Payphone,
}

impl PlatformPresentation {
    /// From Android's integer constant (1 allowed, 2 restricted, 3 unknown,
    /// 4 payphone, 5 unavailable).
    pub fn from_android(presentation: i32) -> Self {
        match presentation {
            1 => PlatformPresentation::Allowed,
            2 => PlatformPresentation::Restricted,
            4 => PlatformPresentation::Payphone,
            _ => PlatformPresentation::Unknown,
        }
    }
}

/// What the platform told us about a call it did not let us see in SIP form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlatformFields {
    /// The caller's number as the platform gave it (any format).
    pub number: Option<String>,
    /// The presentation.
    pub presentation: PlatformPresentation,
    /// The network's verification result as the platform reports it.
    pub verification: PlatformVerificationStatus,
}

/// One incoming call. Built by [`crate::intake::sip::parse_invite`] (full SIP view) or
/// [`IncomingCall::from_platform`] (platform view).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IncomingCall {
    /// `Call-ID`; `None` in the platform view.
    pub call_id: Option<String>,
    /// The Request-URI. Never evidence of who was called: in IMS it is a contact address.
    pub request_uri: Option<String>,
    /// `From`.
    pub from: Option<NameAddr>,
    /// `To`.
    pub to: Option<NameAddr>,
    /// `P-Called-Party-ID` (RFC 3455).
    pub p_called_party_id: Option<NameAddr>,
    /// Every `P-Asserted-Identity` value, in order (RFC 3325).
    pub p_asserted_identity: Vec<NameAddr>,
    /// Every `Identity` header value, in order, as received (RFC 8224).
    pub identity: Vec<String>,
    /// `Privacy` values, lower-cased (RFC 3323: `id`, `header`, `user`, `none`, ...).
    pub privacy: Vec<String>,
    /// `Date`, in seconds since the epoch, when present and readable.
    pub date: Option<i64>,
    /// The platform's fields, in the platform view.
    pub platform: Option<PlatformFields>,
    /// The line (SIM slot) the call came in on, for line-scoped rules.
    pub line: Option<u32>,
    /// The app says the caller is one of the user's contacts.
    pub is_contact: bool,
    /// A marking the app or the network attached (e.g. a carrier's "Spam Likely").
    pub network_marking: Option<String>,
    /// Calls from this number in the last 24 h, from history or the app.
    pub recent_calls: u32,
}

impl IncomingCall {
    /// A call from the platform's fields alone (Android `Call.Details`: handle,
    /// presentation, verification status). There are no PASSporTs in this view.
    pub fn from_platform(
        number: Option<String>,
        presentation: PlatformPresentation,
        verification: PlatformVerificationStatus,
    ) -> Self {
        IncomingCall {
            platform: Some(PlatformFields {
                number: number.filter(|n| !n.trim().is_empty()),
                presentation,
                verification,
            }),
            ..IncomingCall::default()
        }
    }

    /// The identity that asserts the caller: the first `P-Asserted-Identity` with a
    /// telephone number, else `From` (RFC 8224 §5.2 / ATIS-1000074 §5.3.1).
    pub fn asserted_caller(&self) -> Option<&NameAddr> {
        self.p_asserted_identity
            .iter()
            .find(|pai| pai.uri.telephone_number().is_some())
            .or(self.from.as_ref())
    }

    /// True when the caller asked for privacy of its identity (`Privacy: id`,
    /// `header` or `user`, RFC 3323 / RFC 3325 §9.3).
    pub fn privacy_requested(&self) -> bool {
        self.privacy
            .iter()
            .any(|p| p == "id" || p == "header" || p == "user")
    }
}
