//! Intake: what arrives with a call, turned into one [`IncomingCall`].
//!
//! - [`sip`]: the INVITE header fields screening needs (RFC 3261 §7 and §25;
//!   compact forms, folding, quoting), read within [`crate::limits`];
//! - [`call`]: the call as every later step sees it, from SIP or from the
//!   platform (Android `Call.Details`);
//! - [`number`]: telephone numbers as E.164 strings (rlibphonenumber), with a
//!   fast path for `+digits`.

pub mod call;
pub mod number;
pub mod sip;

pub use call::{IncomingCall, PlatformVerificationStatus};
