//! The app's local certificate lookup. The core never fetches over the network
//! while the phone rings; it asks this source, and names a certificate it cannot
//! find in `verification.cert_needed` for the app to fetch later and hand back
//! with `add_certificate`.
//!
//! Whatever the app's implementation does (returns an error, throws, returns too
//! much), screening goes on: the PASSporT fails with `cert_unavailable`.

use crate::error::CallScreenError;
use callscreen_core::identification::cert::{CertificateSource as CoreSource, SourceError};
use callscreen_core::limits::MAX_CHAIN_BYTES;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Arc;

/// A local certificate lookup the app implements (a disk cache, a bundled file).
/// Called while screening, possibly from several threads at once: it must be
/// fast and must not touch the network.
#[uniffi::export(foreign)]
pub trait CertificateSource: Send + Sync {
    /// The certificate chain for an `x5u` URL (RFC 8225 §5.1.1): PEM (leaf
    /// first, then intermediates) or DER, at most 64 KiB; `null` when this source
    /// does not have it.
    ///
    /// # Errors
    /// Any error (or exception) makes the PASSporT fail with `cert_unavailable`;
    /// it never aborts screening.
    fn lookup(&self, x5u: String) -> Result<Option<Vec<u8>>, CallScreenError>;
}

/// The app's source, seen by the core.
pub(crate) struct ForeignSource(pub(crate) Arc<dyn CertificateSource>);

impl CoreSource for ForeignSource {
    fn lookup(&self, x5u: &str) -> Result<Option<Vec<u8>>, SourceError> {
        let result = catch_unwind(AssertUnwindSafe(|| self.0.lookup(x5u.to_string())));
        match result {
            Ok(Ok(Some(chain))) if chain.len() > MAX_CHAIN_BYTES => Err(SourceError(format!(
                "the app's certificate source returned {} bytes (limit {MAX_CHAIN_BYTES})",
                chain.len()
            ))),
            Ok(Ok(found)) => Ok(found),
            // The reason of an app's exception holds its whole stack trace: never
            // pass it on (it would be logged); name only the kind.
            Ok(Err(e)) => Err(SourceError(format!(
                "the app's certificate source failed ({})",
                kind(&e)
            ))),
            Err(_) => Err(SourceError("the app's certificate source panicked".into())),
        }
    }
}

fn kind(e: &CallScreenError) -> &'static str {
    match e {
        CallScreenError::InvalidInput { .. } => "invalid input",
        CallScreenError::TooLarge { .. } => "too large",
        CallScreenError::NotSipRequest { .. } => "not a SIP request",
        CallScreenError::Configuration { .. } => "configuration",
        CallScreenError::Storage { .. } => "storage",
        CallScreenError::Closed => "closed",
        CallScreenError::Internal { .. } => "an unexpected exception",
    }
}
