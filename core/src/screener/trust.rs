//! Trust administration: certificates the app fetched, STI-CA and rcd trust
//! anchors, CRLs and the content supplied for rich call data, replaceable at
//! runtime; and the signer lookup the PASSporT checks call (cache, then the
//! stored chains on the ringing connection, then the app's source).
//!
//! Replacing anchors or CRLs needs no explicit cache flush: validated signers are
//! cached with the trust state's version ([`crate::identification::cert::TrustContext::version`]),
//! and each replacement draws a new, larger version.

use super::Screener;
use crate::error::{Error, Result};
use crate::identification::cert::{
    parse_chain, CertFailure, CertInfo, Chain, CrlSet, SignerPurpose, TrustState, TrustStore,
    ValidatedSigner,
};
use crate::identification::passport::{PassportOutcome, SignerLookup};
use crate::reason::ReasonCode;
use crate::store::certificates;
use std::collections::BTreeMap;
use std::sync::Arc;

impl Screener {
    /// Replace the CRLs (DER, or PEM `X509 CRL`) checked on every validated path
    /// (RFC 5280 §5). Cached validations are dropped: the next call signed under
    /// a certificate they revoke fails with `cert_revoked`.
    ///
    /// # Errors
    /// [`crate::Error::Config`] when a blob is not a readable CRL (the old CRLs
    /// stay in force).
    pub fn set_crls(&self, crls_der: &[Vec<u8>]) -> Result<()> {
        let mut current = self.crls.write()?;
        let set = current.replace_crls(crls_der)?;
        *current = Arc::new(set);
        Ok(())
    }

    /// Replace the certificates (PEM) of the keys trusted to sign indirect CRLs
    /// (the STI-PA's CRL signer, ATIS-1000080). Cached validations are dropped.
    ///
    /// # Errors
    /// [`crate::Error::Config`] when a PEM text holds no readable certificate
    /// (the old signers stay).
    pub fn set_crl_signers(&self, signers_pem: &[Vec<u8>]) -> Result<()> {
        let mut current = self.crls.write()?;
        let set = CrlSet::clone(&current).with_signers(signers_pem)?;
        *current = Arc::new(set);
        Ok(())
    }

    /// Replace the content supplied for rich call data URLs (URL → bytes: logos,
    /// jCards), against which `rcdi` digests are checked (RFC 9795 §6.1).
    ///
    /// # Errors
    /// [`crate::Error::Poisoned`] only if another thread panicked.
    pub fn set_rcd_content(&self, content: BTreeMap<String, Vec<u8>>) -> Result<()> {
        *self.rcd_content.write()? = Arc::new(content);
        Ok(())
    }

    /// The trust snapshot signer lookups validate under.
    fn trust_state(&self) -> std::result::Result<TrustState, CertFailure> {
        fn unavailable<T>(_: T) -> CertFailure {
            CertFailure {
                reason: ReasonCode::CertUntrusted,
                detail: "trust store unavailable".into(),
            }
        }
        Ok(TrustState {
            anchors: self.trust.read().map_err(unavailable)?.clone(),
            rcd_anchors: self.rcd_trust.read().map_err(unavailable)?.clone(),
            crls: self.crls.read().map_err(unavailable)?.clone(),
            profile_checks: self.config.profile_checks,
        })
    }

    /// Hand back a certificate chain the app fetched for `x5u` (PEM, leaf first,
    /// or DER). It is kept in the database, so it survives restarts.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] when the chain is unreadable or over 64 KiB;
    /// [`Error::Storage`] when the write fails.
    pub fn add_certificate(&self, x5u: &str, chain: &[u8]) -> Result<()> {
        let ders = parse_chain(chain).map_err(|e| Error::InvalidInput(e.to_string()))?;
        let not_after = ders
            .first()
            .and_then(|d| CertInfo::from_der(d).ok())
            .map(|c| c.not_after);
        let now = self.clock.now();
        self.store
            .write(|tx| certificates::put_certificate(tx, x5u, chain, now, not_after))?;
        self.cache
            .lock()?
            .put_chain(x5u, Arc::new(Chain::new(ders)));
        Ok(())
    }

    /// Replace the STI-CA trust anchors (PEM texts). Cached validations are dropped.
    ///
    /// # Errors
    /// [`Error::Config`] when a text holds no certificate.
    pub fn set_trust_anchors(&self, pems: &[Vec<u8>]) -> Result<()> {
        let store = TrustStore::from_pems(pems)?;
        *self.trust.write()? = Arc::new(store);
        Ok(())
    }

    /// Replace the branded-calling (rcd) trust anchors.
    ///
    /// # Errors
    /// [`Error::Config`] when a text holds no certificate.
    pub fn set_rcd_trust_anchors(&self, pems: &[Vec<u8>]) -> Result<()> {
        *self.rcd_trust.write()? = Arc::new(TrustStore::from_pems(pems)?);
        Ok(())
    }

    /// How many chains have been validated (not served from the cache) so far.
    ///
    /// # Errors
    /// [`Error::Poisoned`] only if another thread panicked.
    pub fn chain_validations(&self) -> Result<u64> {
        Ok(self.cache.lock()?.validations())
    }

    /// `x5u`s of held chains under which a signature failed (rare: only then
    /// any work).
    pub(super) fn refresh_candidates(&self, passports: &[PassportOutcome]) -> Vec<String> {
        passports
            .iter()
            .filter_map(|o| match o {
                PassportOutcome::Failed {
                    reason: ReasonCode::SignatureInvalid,
                    x5u: Some(u),
                    ..
                } => Some(u.clone()),
                _ => None,
            })
            .collect()
    }

    /// See [`crate::identification::cert::RefreshHints`]: a signature failed
    /// under the chain held for `x5u`; name it in `cert_needed` again?
    pub(super) fn refresh_due(&self, x5u: &str, now: i64) -> Result<bool> {
        let fetched_at = self
            .store
            .ringing(|c| certificates::certificate_added_at(c, x5u))?;
        Ok(self
            .refresh
            .lock()?
            .due(x5u, fetched_at, now, self.config.cert_refresh_secs))
    }

    /// The chain for `x5u`: cached, stored, or from the app's source.
    fn chain_for(&self, x5u: &str) -> std::result::Result<Arc<Chain>, CertFailure> {
        let unavailable = |detail: &str| CertFailure {
            reason: ReasonCode::CertUnavailable,
            detail: detail.into(),
        };
        if let Some(chain) = self.cache.lock().ok().and_then(|c| c.chain(x5u)) {
            return Ok(chain);
        }
        let stored = self
            .store
            .ringing(|c| certificates::get_certificate(c, x5u))
            .ok()
            .flatten();
        let bytes = match stored {
            Some(b) => b,
            None => match self.source.lookup(x5u) {
                Ok(Some(b)) => b,
                Ok(None) => return Err(unavailable("the certificate is not available locally")),
                Err(e) => {
                    log::warn!("certificate source failed: {e}");
                    return Err(unavailable("the app's certificate source failed"));
                }
            },
        };
        let ders = parse_chain(&bytes).map_err(|e| CertFailure {
            reason: ReasonCode::CertInvalid,
            detail: e.to_string(),
        })?;
        let chain = Arc::new(Chain::new(ders));
        if let Ok(mut c) = self.cache.lock() {
            c.put_chain(x5u, chain.clone());
        }
        Ok(chain)
    }

    fn validated(
        &self,
        x5u: &str,
        at: i64,
        purpose: SignerPurpose,
    ) -> std::result::Result<Arc<ValidatedSigner>, CertFailure> {
        let chain = self.chain_for(x5u)?;
        self.trust_state()?.signer(&self.cache, &chain, at, purpose)
    }
}

/// The signer lookup the PASSporT checks call, for one screen (a wrapper, so
/// the lookup is not a public method of the screener).
pub(super) struct Lookup<'a>(pub(super) &'a Screener);

impl SignerLookup for Lookup<'_> {
    fn signer(&self, x5u: &str, at: i64) -> std::result::Result<Arc<ValidatedSigner>, CertFailure> {
        self.0.validated(x5u, at, SignerPurpose::Passport)
    }

    fn rcd_signer(
        &self,
        x5u: &str,
        at: i64,
    ) -> std::result::Result<Arc<ValidatedSigner>, CertFailure> {
        self.0.validated(x5u, at, SignerPurpose::RichCallData)
    }
}
