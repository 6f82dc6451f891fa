//! [`CallScreener`]: the one entry point. Open one per app (it owns the database
//! and the certificate caches) and share it between the screening service and
//! the UI; every method is safe to call from several threads at once.

use crate::call::PlatformCall;
use crate::cert_source::{CertificateSource, ForeignSource};
use crate::config::ScreenerConfig;
use crate::error::CallScreenError;
use crate::guard::guard;
use crate::verdict::Verdict;
use callscreen_core::cert::{CertificateSource as CoreSource, NoSource};
use callscreen_core::{Clock, FixedClock, IncomingCall, Screener, SystemClock};
use std::sync::{Arc, PoisonError, RwLock};

/// Screens incoming calls: STIR/SHAKEN verification (RFC 8224, RFC 8588,
/// ATIS-1000074), marking, reaction and presentation. Thread-safe.
#[derive(Debug, uniffi::Object)]
pub struct CallScreener {
    /// `None` once closed.
    inner: RwLock<Option<Screener>>,
}

impl CallScreener {
    fn open_with(
        config: ScreenerConfig,
        certificate_source: Option<Arc<dyn CertificateSource>>,
        clock: Arc<dyn Clock>,
    ) -> Result<Arc<Self>, CallScreenError> {
        let source: Arc<dyn CoreSource> = match certificate_source {
            Some(s) => Arc::new(ForeignSource(s)),
            None => Arc::new(NoSource),
        };
        let screener = Screener::open(config.into(), source, clock)?;
        Ok(Arc::new(CallScreener {
            inner: RwLock::new(Some(screener)),
        }))
    }

    /// Run `f` on the open screener, or fail with `Closed`; panics become `Internal`.
    fn with<T>(
        &self,
        f: impl FnOnce(&Screener) -> Result<T, CallScreenError>,
    ) -> Result<T, CallScreenError> {
        guard(|| {
            let inner = self.inner.read().unwrap_or_else(PoisonError::into_inner);
            f(inner.as_ref().ok_or(CallScreenError::Closed)?)
        })
    }
}

#[uniffi::export]
impl CallScreener {
    /// Open a screener on the system clock: read the trust anchors, normalise the
    /// own numbers, open (and migrate) the database.
    ///
    /// `certificate_source` is the app's local certificate lookup; `null` means
    /// only certificates handed back with `add_certificate` are used.
    ///
    /// # Errors
    /// `Configuration` for an unusable config value; `Storage` when the database
    /// cannot be opened or is from a newer version.
    #[uniffi::constructor]
    pub fn open(
        config: ScreenerConfig,
        certificate_source: Option<Arc<dyn CertificateSource>>,
    ) -> Result<Arc<Self>, CallScreenError> {
        guard(|| Self::open_with(config, certificate_source, Arc::new(SystemClock)))
    }

    /// Open a screener whose clock is stopped at `now_unix_secs` (seconds since
    /// 1970-01-01T00:00:00Z): every freshness and validity check uses that
    /// instant. For tests and for replaying captured calls; apps use `open`.
    ///
    /// # Errors
    /// As `open`.
    #[uniffi::constructor]
    pub fn open_at_time(
        config: ScreenerConfig,
        certificate_source: Option<Arc<dyn CertificateSource>>,
        now_unix_secs: i64,
    ) -> Result<Arc<Self>, CallScreenError> {
        guard(|| {
            Self::open_with(
                config,
                certificate_source,
                Arc::new(FixedClock(now_unix_secs)),
            )
        })
    }

    /// Screen a SIP INVITE (RFC 3261), given as its full text (headers and body;
    /// CRLF or LF line ends). Never touches the network: a certificate that is not
    /// available locally is named in `verification.cert_needed`.
    ///
    /// # Errors
    /// `NotSipRequest` or `TooLarge` when the text cannot be screened; `Closed`
    /// after `shutdown`. A failed verification is a verdict, not an error.
    pub fn screen_sip(&self, invite_text: String) -> Result<Verdict, CallScreenError> {
        self.with(|s| Ok(s.screen_sip(invite_text.as_bytes())?.into()))
    }

    /// As `screen_sip`, returning the verdict as the JSON object of CONTRACT.md
    /// (the same document the `callscreen screen --json` CLI prints).
    ///
    /// # Errors
    /// As `screen_sip`.
    pub fn screen_sip_json(&self, invite_text: String) -> Result<String, CallScreenError> {
        self.with(|s| Ok(s.screen_sip(invite_text.as_bytes())?.to_json().to_string()))
    }

    /// Screen a call seen only through the platform's fields (Android
    /// `Call.Details`): its number, presentation and the network's verification
    /// status.
    ///
    /// # Errors
    /// `Closed` after `shutdown`.
    pub fn screen_platform(&self, call: PlatformCall) -> Result<Verdict, CallScreenError> {
        self.with(|s| Ok(s.screen(&IncomingCall::from(call))?.into()))
    }

    /// Hand back a certificate chain the app fetched for an `x5u` URL named in
    /// `cert_needed`: PEM (leaf first, then intermediates) or DER, at most 64 KiB.
    /// It is stored in the database, so it survives restarts; the next screening
    /// of a call signed under it can pass.
    ///
    /// # Errors
    /// `InvalidInput` when the chain is unreadable or too large; `Storage` when the
    /// write fails; `Closed` after `shutdown`.
    pub fn add_certificate(&self, x5u: String, chain: Vec<u8>) -> Result<(), CallScreenError> {
        self.with(|s| Ok(s.add_certificate(&x5u, &chain)?))
    }

    /// Replace the STI-CA trust anchors (PEM texts, each may hold several
    /// certificates), e.g. after the app refreshed the STI-PA's list.
    ///
    /// # Errors
    /// `Configuration` when a text holds no certificate (the old anchors stay);
    /// `Closed` after `shutdown`.
    pub fn set_trust_anchors(&self, pems: Vec<String>) -> Result<(), CallScreenError> {
        self.with(|s| Ok(s.set_trust_anchors(&into_bytes(pems))?))
    }

    /// Replace the branded-calling (rcd) signer anchors (PEM texts).
    ///
    /// # Errors
    /// As `set_trust_anchors`.
    pub fn set_rcd_trust_anchors(&self, pems: Vec<String>) -> Result<(), CallScreenError> {
        self.with(|s| Ok(s.set_rcd_trust_anchors(&into_bytes(pems))?))
    }

    /// Shut the screener down: wait for calls in progress, then release the
    /// database and caches. Afterwards every method fails with `Closed`; shutting
    /// down twice is harmless. (Not named `close`: generated Kotlin objects are
    /// `AutoCloseable`, whose `close()` frees the Kotlin handle.)
    ///
    /// # Errors
    /// `Internal` only if shutting down panicked.
    pub fn shutdown(&self) -> Result<(), CallScreenError> {
        guard(|| {
            let screener = self
                .inner
                .write()
                .unwrap_or_else(PoisonError::into_inner)
                .take();
            drop(screener);
            Ok(())
        })
    }
}

fn into_bytes(pems: Vec<String>) -> Vec<Vec<u8>> {
    pems.into_iter().map(String::into_bytes).collect()
}
