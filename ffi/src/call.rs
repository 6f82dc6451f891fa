//! [`PlatformCall`]: a call the app sees only through the platform's fields
//! (Android `Call.Details` in a `CallScreeningService`), not as a SIP INVITE.

use callscreen_core::intake::call::{
    PlatformPresentation as CorePresentation, PlatformVerificationStatus,
};
use callscreen_core::platform::android::CallDetails;
use callscreen_core::IncomingCall;

/// How the platform says the number is presented (Android `TelecomManager`
/// `PRESENTATION_*`; build it from the integer with
/// [`platform_presentation_from_android`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum PlatformPresentation {
    /// `PRESENTATION_ALLOWED` (1).
    Allowed,
    /// `PRESENTATION_RESTRICTED` (2): the caller withheld the number (CLIR).
    Restricted,
    /// `PRESENTATION_UNKNOWN` (3) or `PRESENTATION_UNAVAILABLE` (5): the network
    /// did not deliver the number.
    Unknown,
    /// `PRESENTATION_PAYPHONE` (4).
    Payphone,
}

/// A call from the platform's fields alone (Android `Call.Details` in a
/// `CallScreeningService`). There are no PASSporTs in this view: the
/// verification status is the network's, as the platform reports it.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct PlatformCall {
    /// The caller's number: `Call.Details.getHandle()` as text (`tel:+1215…`,
    /// `tel:%2B1215…`, `sip:+1215…@host`) or the number in any format; `null` or
    /// empty when there is none.
    pub number: Option<String>,
    /// The presentation (`getHandlePresentation()`, see
    /// [`platform_presentation_from_android`]).
    pub presentation: PlatformPresentation,
    /// `getCallerNumberVerificationStatus()`: 0 not verified, 1 passed (with
    /// unknown attestation), 2 failed; other values read as not verified.
    pub verification_status: i32,
    /// The line (SIM slot) the call came in on, as the app numbers its
    /// `PhoneAccountHandle`s, for line-scoped rules; `null` when unknown.
    #[uniffi(default = None)]
    pub line: Option<u32>,
    /// The caller is one of the user's contacts (the app looked it up); with the
    /// policy's `allow_contacts` the call rings.
    #[uniffi(default = false)]
    pub is_contact: bool,
    /// A marking the network or the app attached (a carrier's "Spam Likely").
    #[uniffi(default = None)]
    pub network_marking: Option<String>,
    /// Calls from this number in the last 24 hours, as the app counts them.
    #[uniffi(default = 0)]
    pub recent_calls: u32,
}

/// The presentation for Android's `Call.Details.getHandlePresentation()` integer
/// (1 allowed, 2 restricted, 3 unknown, 4 payphone, 5 unavailable; others unknown).
#[uniffi::export]
pub fn platform_presentation_from_android(presentation: i32) -> PlatformPresentation {
    CorePresentation::from_android(presentation).into()
}

impl From<CorePresentation> for PlatformPresentation {
    fn from(p: CorePresentation) -> Self {
        match p {
            CorePresentation::Allowed => PlatformPresentation::Allowed,
            CorePresentation::Restricted => PlatformPresentation::Restricted,
            CorePresentation::Unknown => PlatformPresentation::Unknown,
            CorePresentation::Payphone => PlatformPresentation::Payphone,
        }
    }
}

impl From<PlatformPresentation> for CorePresentation {
    fn from(p: PlatformPresentation) -> Self {
        match p {
            PlatformPresentation::Allowed => CorePresentation::Allowed,
            PlatformPresentation::Restricted => CorePresentation::Restricted,
            PlatformPresentation::Unknown => CorePresentation::Unknown,
            PlatformPresentation::Payphone => CorePresentation::Payphone,
        }
    }
}

impl From<PlatformCall> for CallDetails {
    fn from(c: PlatformCall) -> Self {
        CallDetails {
            handle: c.number,
            presentation: c.presentation.into(),
            verification: PlatformVerificationStatus::from_android(c.verification_status),
            line: c.line,
            is_contact: c.is_contact,
            network_marking: c.network_marking,
            recent_calls: c.recent_calls,
        }
    }
}

impl From<PlatformCall> for IncomingCall {
    fn from(c: PlatformCall) -> Self {
        CallDetails::from(c).into_incoming_call()
    }
}
