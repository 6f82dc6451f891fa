//! Android: `CallScreeningService` in, `CallResponse` out.
//!
//! Android hands a call screening app (API 29+, the `ROLE_CALL_SCREENING` holder)
//! a `Call.Details` and waits up to five seconds for a
//! `CallScreeningService.CallResponse`. Neither side carries SIP: no PASSporT, no
//! attestation, only the handle, how it is presented, and the network's
//! verification status (`getCallerNumberVerificationStatus()`: 0 not verified,
//! 1 passed, 2 failed; status 1 is a pass of *unknown* attestation).
//!
//! ## The response
//!
//! `CallResponse.Builder` has five flags, and Android defines only some
//! combinations: `setRejectCall`, `setSkipCallLog` and `setSkipNotification`
//! "should only be set to true if the call is disallowed", and `setSilenceCall`
//! silences a call that *rings*, so it means nothing on a disallowed call.
//! [`CallResponse::for_action`] never produces anything else
//! ([`CallResponse::is_accepted_by_android`] states the rule):
//!
//! | action | disallow | reject | silence | skip call log | skip notification |
//! |---|---|---|---|---|---|
//! | `allow` | – | – | – | – | – |
//! | `silence` | – | – | ✓ | – | – |
//! | `voicemail` | ✓ | – | – | option | option |
//! | `reject` | ✓ | ✓ | – | option | option |
//!
//! **Voicemail.** Android has no "send to voicemail" response. `voicemail` maps
//! to *disallow without reject*: the phone neither rings nor tells the network
//! the user declined, so the call goes unanswered; the network then treats it as
//! not answered and applies the subscriber's forwarding on no reply, which on
//! nearly every carrier is voicemail. The caller hears ringing until that timer
//! expires (typically 15–30 s) and may leave a message. `reject` instead
//! disconnects the call as if the user declined it: the network usually sends
//! the caller to voicemail *at once* (forwarding on busy), or plays a busy or
//! "unavailable" announcement, depending on the carrier. Neither is under the
//! app's control; both are documented in `docs/platform-integration.md`.

use crate::intake::call::{IncomingCall, PlatformPresentation, PlatformVerificationStatus};
use crate::reaction::policy::Action;
use crate::verdict::Verdict;

/// The fields of Android's `Call.Details` that screening uses, and what the app
/// knows about the caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallDetails {
    /// `getHandle()`: a `tel:` or `sip:` URI as text (`tel:+12155551212`,
    /// `tel:%2B12155551212`), or just the number; `None` when there is none.
    pub handle: Option<String>,
    /// `getHandlePresentation()`.
    pub presentation: PlatformPresentation,
    /// `getCallerNumberVerificationStatus()`.
    pub verification: PlatformVerificationStatus,
    /// The line (SIM slot) the call came in on, for line-scoped rules: from
    /// `getAccountHandle()` as the app numbers its lines.
    pub line: Option<u32>,
    /// The caller is one of the user's contacts (the app looked it up).
    pub is_contact: bool,
    /// A marking the app or the network attached (a carrier's "Spam Likely").
    pub network_marking: Option<String>,
    /// Calls from this number in the last 24 hours, as the app counts them.
    pub recent_calls: u32,
}

impl Default for CallDetails {
    /// No handle, presentation allowed, not verified, nothing else known.
    fn default() -> Self {
        CallDetails {
            handle: None,
            presentation: PlatformPresentation::Allowed,
            verification: PlatformVerificationStatus::NotVerified,
            line: None,
            is_contact: false,
            network_marking: None,
            recent_calls: 0,
        }
    }
}

impl CallDetails {
    /// The details from Android's values: the handle as text, the
    /// `TelecomManager.PRESENTATION_*` integer and the
    /// `Connection.VERIFICATION_STATUS_*` integer (unknown values read as
    /// unknown presentation and not verified).
    pub fn from_android(handle: Option<&str>, presentation: i32, verification_status: i32) -> Self {
        CallDetails {
            handle: handle.map(str::to_string),
            presentation: PlatformPresentation::from_android(presentation),
            verification: PlatformVerificationStatus::from_android(verification_status),
            ..CallDetails::default()
        }
    }

    /// The call as screening sees it.
    pub fn into_incoming_call(self) -> IncomingCall {
        let number = self.handle.as_deref().and_then(number_from_handle);
        IncomingCall {
            line: self.line,
            is_contact: self.is_contact,
            network_marking: self.network_marking.filter(|m| !m.trim().is_empty()),
            recent_calls: self.recent_calls,
            ..IncomingCall::from_platform(number, self.presentation, self.verification)
        }
    }
}

impl From<CallDetails> for IncomingCall {
    fn from(d: CallDetails) -> Self {
        d.into_incoming_call()
    }
}

/// The number in an Android handle: the scheme (`tel:`, `sip:`, `sips:`) and
/// parameters removed, percent-escapes decoded (`%2B` is `+`), the user part of
/// a SIP URI. `None` when nothing is left. The result is in any format; the
/// screener normalises it with the default region.
pub fn number_from_handle(handle: &str) -> Option<String> {
    let h = handle.trim();
    let lower: String = h.chars().take(5).collect::<String>().to_ascii_lowercase();
    let (rest, sip) = if lower.starts_with("tel:") {
        (h.get(4..)?, false)
    } else if lower.starts_with("sips:") {
        (h.get(5..)?, true)
    } else if lower.starts_with("sip:") {
        (h.get(4..)?, true)
    } else {
        (h, false)
    };
    let rest = if sip { rest.split('@').next()? } else { rest };
    let rest = rest.split(';').next()?;
    let number = percent_decode(rest);
    let number = number.trim();
    (!number.is_empty()).then(|| number.to_string())
}

/// Decode `%XX` escapes of ASCII characters; anything else is kept as is.
fn percent_decode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.char_indices();
    while let Some((i, c)) = chars.next() {
        if c == '%' {
            if let Some(b) = s
                .get(i + 1..i + 3)
                .and_then(|hex| u8::from_str_radix(hex, 16).ok())
            {
                if b.is_ascii() && !b.is_ascii_control() {
                    out.push(char::from(b));
                    chars.next();
                    chars.next();
                    continue;
                }
            }
        }
        out.push(c);
    }
    out
}

/// Android's `CallScreeningService.CallResponse`, as flags for its builder.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CallResponse {
    /// `setDisallowCall`: the phone does not ring.
    pub disallow_call: bool,
    /// `setRejectCall`: disconnect as if the user declined (only when disallowed).
    pub reject_call: bool,
    /// `setSilenceCall`: ring without sound (only when allowed; API 29+).
    pub silence_call: bool,
    /// `setSkipCallLog`: leave the call out of the call log (only when disallowed).
    pub skip_call_log: bool,
    /// `setSkipNotification`: no missed-call notification (only when disallowed).
    pub skip_notification: bool,
}

/// What the app wants for calls it disallows. The defaults keep blocked calls
/// in the call log (so the user can see and correct what was blocked) and skip
/// the missed-call notification (the user chose not to be disturbed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ResponseOptions {
    /// Leave disallowed calls out of the call log.
    pub skip_call_log: bool,
    /// Show no missed-call notification for disallowed calls.
    pub skip_notification: bool,
}

impl Default for ResponseOptions {
    fn default() -> Self {
        ResponseOptions {
            skip_call_log: false,
            skip_notification: true,
        }
    }
}

impl CallResponse {
    /// The response for an action (see the module's table). `voicemail` is
    /// *disallow without reject*: the call is missed, and the network's
    /// forwarding on no reply (normally voicemail) takes it.
    pub fn for_action(action: Action, options: ResponseOptions) -> CallResponse {
        let disallowed = |reject: bool| CallResponse {
            disallow_call: true,
            reject_call: reject,
            silence_call: false,
            skip_call_log: options.skip_call_log,
            skip_notification: options.skip_notification,
        };
        match action {
            Action::Allow => CallResponse::default(),
            Action::Silence => CallResponse {
                silence_call: true,
                ..CallResponse::default()
            },
            Action::Voicemail => disallowed(false),
            Action::Reject => disallowed(true),
        }
    }

    /// The response for a verdict's action.
    pub fn for_verdict(verdict: &Verdict, options: ResponseOptions) -> CallResponse {
        CallResponse::for_action(verdict.action, options)
    }

    /// True when Android defines this combination: reject and the skip flags
    /// only with disallow, silence only without it.
    pub fn is_accepted_by_android(&self) -> bool {
        if self.disallow_call {
            !self.silence_call
        } else {
            !self.reject_call && !self.skip_call_log && !self.skip_notification
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ACTIONS: [Action; 4] = [
        Action::Allow,
        Action::Silence,
        Action::Voicemail,
        Action::Reject,
    ];

    fn all_options() -> Vec<ResponseOptions> {
        let mut out = Vec::new();
        for skip_call_log in [false, true] {
            for skip_notification in [false, true] {
                out.push(ResponseOptions {
                    skip_call_log,
                    skip_notification,
                });
            }
        }
        out
    }

    #[test]
    fn every_action_and_option_gives_an_accepted_response() {
        for action in ACTIONS {
            for options in all_options() {
                let r = CallResponse::for_action(action, options);
                assert!(
                    r.is_accepted_by_android(),
                    "{action:?} {options:?} -> {r:?}"
                );
            }
        }
    }

    #[test]
    fn each_action_maps_as_documented() {
        let o = ResponseOptions::default();
        assert_eq!(
            CallResponse::for_action(Action::Allow, o),
            CallResponse::default()
        );
        let silence = CallResponse::for_action(Action::Silence, o);
        assert!(silence.silence_call && !silence.disallow_call && !silence.skip_notification);
        let vm = CallResponse::for_action(Action::Voicemail, o);
        assert!(vm.disallow_call && !vm.reject_call && !vm.silence_call);
        assert!(!vm.skip_call_log && vm.skip_notification);
        let reject = CallResponse::for_action(Action::Reject, o);
        assert!(reject.disallow_call && reject.reject_call && !reject.silence_call);
        let keep = ResponseOptions {
            skip_call_log: true,
            skip_notification: false,
        };
        let reject = CallResponse::for_action(Action::Reject, keep);
        assert!(reject.skip_call_log && !reject.skip_notification);
        // Options never leak into allowed calls.
        assert_eq!(
            CallResponse::for_action(Action::Allow, keep),
            CallResponse::default()
        );
    }

    #[test]
    fn refused_combinations_are_detected() {
        let bad = [
            CallResponse {
                reject_call: true,
                ..CallResponse::default()
            },
            CallResponse {
                skip_call_log: true,
                ..CallResponse::default()
            },
            CallResponse {
                skip_notification: true,
                ..CallResponse::default()
            },
            CallResponse {
                disallow_call: true,
                silence_call: true,
                ..CallResponse::default()
            },
        ];
        for r in bad {
            assert!(!r.is_accepted_by_android(), "{r:?}");
        }
    }

    #[test]
    fn handles() {
        assert_eq!(
            number_from_handle("tel:+12155551212").as_deref(),
            Some("+12155551212")
        );
        assert_eq!(
            number_from_handle("tel:%2B12155551212").as_deref(),
            Some("+12155551212")
        );
        assert_eq!(
            number_from_handle("TEL:(215) 555-1212;phone-context=+1").as_deref(),
            Some("(215) 555-1212")
        );
        assert_eq!(
            number_from_handle("sip:+12155551212@ims.example.net;user=phone").as_deref(),
            Some("+12155551212")
        );
        assert_eq!(
            number_from_handle("+33 1 42 68 53 00").as_deref(),
            Some("+33 1 42 68 53 00")
        );
        assert_eq!(number_from_handle("tel:"), None);
        assert_eq!(number_from_handle("  "), None);
        assert_eq!(number_from_handle("tel:%zz1").as_deref(), Some("%zz1"));
        assert_eq!(
            number_from_handle("tel:%E2%82%AC1").as_deref(),
            Some("%E2%82%AC1")
        );
    }

    #[test]
    fn details_become_an_incoming_call() {
        let d = CallDetails {
            line: Some(2),
            is_contact: true,
            network_marking: Some("Spam Likely".into()),
            recent_calls: 3,
            ..CallDetails::from_android(Some("tel:%2B12155551212"), 1, 1)
        };
        let call = d.into_incoming_call();
        let p = call.platform.as_ref().unwrap();
        assert_eq!(p.number.as_deref(), Some("+12155551212"));
        assert_eq!(p.presentation, PlatformPresentation::Allowed);
        assert_eq!(p.verification, PlatformVerificationStatus::Passed);
        assert_eq!(
            (call.line, call.is_contact, call.recent_calls),
            (Some(2), true, 3)
        );
        assert_eq!(call.network_marking.as_deref(), Some("Spam Likely"));
        let call: IncomingCall = CallDetails::from_android(None, 2, 7).into();
        let p = call.platform.unwrap();
        assert_eq!(
            (p.number, p.presentation, p.verification),
            (
                None,
                PlatformPresentation::Restricted,
                PlatformVerificationStatus::NotVerified
            )
        );
    }
}
