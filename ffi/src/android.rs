//! Android's `CallScreeningService.CallResponse`, mirrored from
//! [`callscreen_core::platform::android`]: the flags for a verdict's action, never
//! a combination Android refuses (reject and the skip flags only with disallow,
//! silence only without it).
//!
//! `VOICEMAIL` has no Android response of its own: it is *disallow without
//! reject*, so the phone does not ring and the call goes unanswered; the
//! network's forwarding on no reply (normally voicemail) then takes it. See
//! `docs/platform-integration.md`.

use crate::verdict::{Action, Verdict};
use callscreen_core::platform::android::{
    CallResponse as CoreResponse, ResponseOptions as CoreOptions,
};

/// The flags for `CallScreeningService.CallResponse.Builder`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Record)]
pub struct CallResponse {
    /// `setDisallowCall`: the phone does not ring.
    pub disallow_call: bool,
    /// `setRejectCall`: disconnect as if the user declined (only when disallowed).
    pub reject_call: bool,
    /// `setSilenceCall`: ring without sound (only when allowed).
    pub silence_call: bool,
    /// `setSkipCallLog`: leave the call out of the call log (only when disallowed).
    pub skip_call_log: bool,
    /// `setSkipNotification`: no missed-call notification (only when disallowed).
    pub skip_notification: bool,
}

/// What the app wants for calls it disallows. The defaults keep blocked calls
/// in the call log (so the user can review them) and skip the notification.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Record)]
pub struct ResponseOptions {
    /// Leave disallowed calls out of the call log.
    #[uniffi(default = false)]
    pub skip_call_log: bool,
    /// No missed-call notification for disallowed calls.
    #[uniffi(default = true)]
    pub skip_notification: bool,
}

/// A platform call's verdict and the response to give Android.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct AndroidScreening {
    /// The verdict (what to show, why).
    pub verdict: Verdict,
    /// The flags for `respondToCall`.
    pub response: CallResponse,
}

/// The response for an action: `ALLOW` nothing set; `SILENCE` silence;
/// `VOICEMAIL` disallow; `REJECT` disallow and reject; the skip flags from
/// `options` on disallowed calls only.
#[uniffi::export]
pub fn android_call_response(action: Action, options: ResponseOptions) -> CallResponse {
    CoreResponse::for_action(action.into(), options.into()).into()
}

impl From<ResponseOptions> for CoreOptions {
    fn from(o: ResponseOptions) -> Self {
        CoreOptions {
            skip_call_log: o.skip_call_log,
            skip_notification: o.skip_notification,
        }
    }
}

impl From<CoreResponse> for CallResponse {
    fn from(r: CoreResponse) -> Self {
        CallResponse {
            disallow_call: r.disallow_call,
            reject_call: r.reject_call,
            silence_call: r.silence_call,
            skip_call_log: r.skip_call_log,
            skip_notification: r.skip_notification,
        }
    }
}
