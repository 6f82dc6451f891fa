//! [`PlatformCall`]: a call the app sees only through the platform's fields
//! (Android `Call.Details` in a `CallScreeningService`), not as a SIP INVITE.

use callscreen_core::call::{PlatformPresentation as CorePresentation, PlatformVerificationStatus};
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

/// A call from the platform's fields alone. There are no PASSporTs in this view:
/// the verification status is the network's, as the platform reports it.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct PlatformCall {
    /// The caller's number as the platform gave it (any format; `null` or empty
    /// when there is none). Android: `Call.Details.getHandle()`'s scheme-specific part.
    pub number: Option<String>,
    /// The presentation.
    pub presentation: PlatformPresentation,
    /// Android `Call.Details.getCallerNumberVerificationStatus()`: 0 not verified,
    /// 1 passed, 2 failed; other values read as not verified.
    pub verification_status: i32,
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

impl From<PlatformCall> for IncomingCall {
    fn from(c: PlatformCall) -> Self {
        IncomingCall::from_platform(
            c.number,
            c.presentation.into(),
            PlatformVerificationStatus::from_android(c.verification_status),
        )
    }
}
