//! [`CallScreener`]: the one entry point. Open one per app (it owns the database
//! and the certificate caches) and share it between the screening service and
//! the UI; every method is safe to call from several threads at once.

use crate::android::{AndroidScreening, ResponseOptions};
use crate::call::PlatformCall;
use crate::callkit::{CallDirectoryExport, CallDirectoryOptions};
use crate::cert_source::{CertificateSource, ForeignSource};
use crate::config::ScreenerConfig;
use crate::error::CallScreenError;
use crate::guard::guard;
use crate::lists::{
    progress_to, ImportProgressListener, ImportReport, NewRule, OperatorListInfo, Rule,
};
use crate::policy::Policy;
use crate::verdict::Verdict;
use callscreen_core::identification::cert::{CertificateSource as CoreSource, NoSource};
use callscreen_core::platform::android::CallResponse;
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
    pub(crate) fn with<T>(
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

    /// Where `open` moved a corrupt database file before starting a new one
    /// (`start_fresh_if_corrupt`); `null` when it did not. Tell the user their
    /// lists were reset; keep the file for support.
    ///
    /// # Errors
    /// `Closed` after `shutdown`.
    pub fn recovered_database(&self) -> Result<Option<String>, CallScreenError> {
        self.with(|s| {
            Ok(s.recovered_database()
                .map(|p| p.to_string_lossy().into_owned()))
        })
    }

    /// Replace the CRLs (DER, or PEM `X509 CRL`) checked on every certificate
    /// path (RFC 5280 §5), e.g. after the app refreshed them from the URLs the
    /// certificates name. Takes effect on the next call: cached validations are
    /// dropped.
    ///
    /// # Errors
    /// `Configuration` when one is not a readable CRL (the old ones stay);
    /// `Closed` after `shutdown`.
    pub fn set_crls(&self, crls_der: Vec<Vec<u8>>) -> Result<(), CallScreenError> {
        self.with(|s| Ok(s.set_crls(&crls_der)?))
    }

    /// Replace the certificates (PEM texts) of the keys trusted to sign indirect
    /// CRLs (the STI-PA's CRL signer, ATIS-1000080). Takes effect on the next
    /// call: cached validations are dropped.
    ///
    /// # Errors
    /// `Configuration` when a text holds no readable certificate (the old
    /// signers stay); `Closed` after `shutdown`.
    pub fn set_crl_signers(&self, pems: Vec<String>) -> Result<(), CallScreenError> {
        self.with(|s| Ok(s.set_crl_signers(&into_bytes(pems))?))
    }

    /// Replace the content fetched for URLs in rich call data (logos, jCards),
    /// against which `rcdi` digests are checked (RFC 9795 §6.1).
    ///
    /// # Errors
    /// `Closed` after `shutdown`.
    pub fn set_rcd_content(
        &self,
        content: Vec<crate::config::RcdContent>,
    ) -> Result<(), CallScreenError> {
        self.with(|s| Ok(s.set_rcd_content(crate::config::rcd_content_map(content))?))
    }

    /// Screen a call seen only through Android's `Call.Details` and give the
    /// `CallResponse` for its action in the same call (for `onScreenCall`):
    /// `VOICEMAIL` is disallow without reject (the call is missed and the
    /// network's forwarding on no reply takes it).
    ///
    /// # Errors
    /// `Closed` after `shutdown`.
    pub fn screen_android(
        &self,
        call: PlatformCall,
        options: ResponseOptions,
    ) -> Result<AndroidScreening, CallScreenError> {
        self.with(|s| {
            let verdict = s.screen(&IncomingCall::from(call))?;
            let response = CallResponse::for_verdict(&verdict, options.into());
            Ok(AndroidScreening {
                verdict: verdict.into(),
                response: response.into(),
            })
        })
    }

    /// Add a block or exception rule; numbers are normalised to E.164 with the
    /// default region. Returns the rule's id.
    ///
    /// # Errors
    /// `InvalidInput` for a value that is not a number, prefix or known
    /// country; `Storage` when the write fails; `Closed` after `shutdown`.
    pub fn add_rule(&self, rule: NewRule) -> Result<i64, CallScreenError> {
        self.with(|s| Ok(s.add_rule(rule.into())?))
    }

    /// Remove a rule; `false` when there was none with that id.
    ///
    /// # Errors
    /// `Storage` when the write fails; `Closed` after `shutdown`.
    pub fn remove_rule(&self, id: i64) -> Result<bool, CallScreenError> {
        self.with(|s| Ok(s.remove_rule(id)?))
    }

    /// Every stored rule (operator list entries are not listed one by one).
    ///
    /// # Errors
    /// `Closed` after `shutdown`.
    pub fn rules(&self) -> Result<Vec<Rule>, CallScreenError> {
        self.with(|s| Ok(s.rules()?.into_iter().map(Into::into).collect()))
    }

    /// The next time after now a rule starts or ends (seconds since the epoch),
    /// so the app can refresh what it exported (the Call Directory, a notification).
    ///
    /// # Errors
    /// `Closed` after `shutdown`.
    pub fn next_change_at(&self) -> Result<Option<i64>, CallScreenError> {
        self.with(|s| Ok(s.next_change_at()?))
    }

    /// Import the operator's list from a file (one entry a line:
    /// `number,+12155551212,category,label` or `prefix,+1900`), replacing the
    /// previous version atomically: the old list stays in force until the new
    /// one is complete. `mandatory` lists win over the user's exceptions.
    /// Streams the file (millions of lines in bounded memory); `listener` hears
    /// the progress. Needs a database file.
    ///
    /// # Errors
    /// `InvalidInput` when the file cannot be read or the list cannot be written
    /// (the previous list stays); `Configuration` without a database file;
    /// `Closed` after `shutdown`.
    pub fn import_operator_list(
        &self,
        path: String,
        mandatory: bool,
        listener: Option<Arc<dyn ImportProgressListener>>,
    ) -> Result<ImportReport, CallScreenError> {
        self.with(|s| {
            let file = std::fs::File::open(&path).map_err(|e| CallScreenError::InvalidInput {
                reason: format!("cannot open the operator list: {e}"),
            })?;
            let mut progress = progress_to(listener);
            Ok(s.import_operator_list(file, mandatory, &mut progress)?
                .into())
        })
    }

    /// The imported operator lists.
    ///
    /// # Errors
    /// `Storage` when the read fails; `Closed` after `shutdown`.
    pub fn operator_lists(&self) -> Result<Vec<OperatorListInfo>, CallScreenError> {
        self.with(|s| Ok(s.operator_lists()?.into_iter().map(Into::into).collect()))
    }

    /// The policy in force.
    ///
    /// # Errors
    /// `Closed` after `shutdown`.
    pub fn policy(&self) -> Result<Policy, CallScreenError> {
        self.with(|s| Ok(s.policy()?.into()))
    }

    /// Replace the policy; it is stored in the database.
    ///
    /// # Errors
    /// `InvalidInput` for a threshold over 100 (101 for `block_threshold`) or a
    /// negative suspension; `Storage`; `Closed` after `shutdown`.
    pub fn set_policy(&self, policy: Policy) -> Result<(), CallScreenError> {
        self.with(|s| Ok(s.set_policy(policy.into())?))
    }

    /// The user placed an emergency call at `at_unix_secs` (seconds since the
    /// epoch): blocking and silencing are suspended for the policy's
    /// `emergency_suspension_secs` so the emergency service's call back rings.
    /// Kept across restarts. iOS: reload the Call Directory extension too.
    ///
    /// # Errors
    /// `Storage`; `Closed` after `shutdown`.
    pub fn emergency_call_placed(&self, at_unix_secs: i64) -> Result<(), CallScreenError> {
        self.with(|s| Ok(s.emergency_call_placed(at_unix_secs)?))
    }

    /// Start an iOS Call Directory export (see [`CallDirectoryExport`]).
    /// `since_version`: the version the extension last loaded (returned by
    /// `commit`), for a delta; `null` for a full load. A version the screener
    /// no longer has a snapshot of gets a full load (`is_incremental()` false).
    ///
    /// # Errors
    /// `InvalidInput` for a budget over 100 000 000 or when the snapshot
    /// directory cannot be written; `Storage`; `Closed` after `shutdown`.
    pub fn call_directory_export(
        self: Arc<Self>,
        options: CallDirectoryOptions,
        since_version: Option<u64>,
    ) -> Result<Arc<CallDirectoryExport>, CallScreenError> {
        let export = self.with(|s| Ok(s.call_directory_export(options.into(), since_version)?))?;
        Ok(CallDirectoryExport::new(self, export))
    }

    /// The last Call Directory version committed, if any.
    ///
    /// # Errors
    /// `Storage`; `Closed` after `shutdown`.
    pub fn call_directory_version(&self) -> Result<Option<u64>, CallScreenError> {
        self.with(|s| Ok(s.call_directory_version()?))
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
