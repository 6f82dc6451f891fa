//! The screener's extended-identity state: CRLs and the content supplied for
//! rich call data, replaceable at runtime, and the trust snapshot every signer
//! lookup validates under.
//!
//! Replacing anchors or CRLs needs no explicit cache flush: validated signers are
//! cached with the trust state's version ([`crate::cert::TrustContext::version`]),
//! and each replacement draws a new, larger version.

use crate::cert::{CertFailure, CrlSet, TrustState};
use crate::error::Result;
use crate::reason::ReasonCode;
use crate::Screener;
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
    pub(crate) fn trust_state(&self) -> std::result::Result<TrustState, CertFailure> {
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
}
