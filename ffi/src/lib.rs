//! # callscreen-ffi
//!
//! The uniffi facade of [`callscreen_core`] for Kotlin (Android), Swift (iOS) and
//! Python (tests). No screening logic lives here: every item converts between the
//! core's Rust types and plain records, enums and objects that cross the FFI, so
//! the generated bindings stay a thin, documented mirror of the core.
//!
//! | file | what crosses the FFI |
//! |---|---|
//! | [`error`] | [`CallScreenError`], the one error the app sees |
//! | [`config`] | [`ScreenerConfig`], what the app decides at open |
//! | [`call`] | [`PlatformCall`], a call seen only through the platform's fields |
//! | [`verdict`] | [`Verdict`] and everything in it |
//! | [`cert_source`] | [`CertificateSource`], the app's local certificate lookup |
//! | [`screener`] | [`CallScreener`], the entry point |
//! | [`logging`] | [`LogSink`] and [`set_log_sink`], the log bridge (numbers redacted) |
//!
//! Every exported method catches panics ([`guard`]) so a bug surfaces as
//! [`CallScreenError::Internal`] instead of aborting the dialer.

uniffi::setup_scaffolding!();

pub mod call;
pub mod cert_source;
pub mod config;
pub mod error;
mod guard;
pub mod logging;
pub mod screener;
pub mod verdict;

pub use call::{PlatformCall, PlatformPresentation};
pub use cert_source::CertificateSource;
pub use config::ScreenerConfig;
pub use error::CallScreenError;
pub use guard::guard;
pub use logging::{redact_numbers, set_log_sink, LogLevel, LogSink};
pub use screener::CallScreener;
pub use verdict::{
    Action, Attestation, CallDisplay, Failure, Indication, Presentation, Reason, Signer, Verdict,
    Verification, VerificationSource, VerificationStatus,
};
