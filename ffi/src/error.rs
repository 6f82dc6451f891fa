//! The one error the app sees. The core's [`callscreen_core::Error`] has
//! detailed variants (limits, SQLite, schema versions); here they collapse into
//! the few cases an app can act on, each with a human `reason`. The conversion
//! is in one place ([`From<callscreen_core::Error>`]), which also decides what is
//! logged.
//!
//! A PASSporT that fails verification is never an error: it is a [`crate::Verdict`]
//! with a failure reason.

/// Why a call into callscreen could not be carried out. Kotlin names it
/// `CallScreenException`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, uniffi::Error)]
pub enum CallScreenError {
    /// An argument is unusable (a certificate chain that cannot be read or is over
    /// 64 KiB, ...). Fix the input; retrying will not help.
    #[error("invalid input: {reason}")]
    InvalidInput {
        /// What is wrong, in English.
        reason: String,
    },
    /// The input is over a size limit (a SIP message over 64 KiB, more than 8
    /// `Identity` headers, more than 256 header fields). Not screenable.
    #[error("too large: {reason}")]
    TooLarge {
        /// Which limit, and the size seen.
        reason: String,
    },
    /// The text is not a SIP request (RFC 3261 §7.1) that can be screened.
    #[error("not a SIP request: {reason}")]
    NotSipRequest {
        /// What is wrong, in English.
        reason: String,
    },
    /// A configuration value is unusable: an unknown region, an own number that is
    /// not a telephone number, a trust anchor that is not a PEM certificate, an
    /// `iat_window_secs` outside 1..=3600.
    #[error("invalid configuration: {reason}")]
    Configuration {
        /// What is wrong, in English.
        reason: String,
    },
    /// The database failed, or was written by a newer version of callscreen.
    #[error("storage: {reason}")]
    Storage {
        /// The database's error, in English.
        reason: String,
    },
    /// The screener was closed with `shutdown()`; open a new one.
    #[error("the screener is closed")]
    Closed,
    /// A bug in callscreen (a panic, a poisoned lock) or an unexpected exception
    /// thrown by one of the app's callbacks. Report it; the screener may be
    /// unusable afterwards.
    #[error("internal error: {reason}")]
    Internal {
        /// What happened. For an app's exception this holds its whole stack trace.
        reason: String,
    },
}

impl From<callscreen_core::Error> for CallScreenError {
    fn from(e: callscreen_core::Error) -> Self {
        use callscreen_core::Error as E;
        let reason = e.to_string();
        match e {
            E::TooLarge { .. } => CallScreenError::TooLarge { reason },
            E::NotSipRequest(reason) => CallScreenError::NotSipRequest { reason },
            E::Config(reason) => CallScreenError::Configuration { reason },
            E::InvalidInput(reason) => CallScreenError::InvalidInput { reason },
            E::Storage(_) | E::SchemaTooNew { .. } => {
                log::error!("{reason}");
                CallScreenError::Storage { reason }
            }
            E::Poisoned => {
                log::error!("{reason}");
                CallScreenError::Internal { reason }
            }
        }
    }
}

/// An exception thrown by the app's implementation of a callback
/// ([`crate::CertificateSource`], [`crate::LogSink`]) that is not a
/// `CallScreenError` becomes `Internal`, never a panic.
impl From<uniffi::UnexpectedUniFFICallbackError> for CallScreenError {
    fn from(e: uniffi::UnexpectedUniFFICallbackError) -> Self {
        CallScreenError::Internal { reason: e.reason }
    }
}
