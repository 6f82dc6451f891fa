//! The trust state a screener validates under (STI-CA anchors, rcd anchors,
//! CRLs, the profile setting), and signer lookups through the validation cache.
//!
//! A validated signer is cached under the chain's fingerprint with the trust
//! state's version ([`TrustContext::version`]): replacing anchors or CRLs changes
//! the version, so the next call validates again and a revocation takes effect at
//! once.

use super::cache::{Chain, ChainCache, ValidatedSigner};
use super::crl::CrlSet;
use super::trust_store::TrustStore;
use super::validate::{validate_rcd_signer, validate_signer, CertFailure, TrustContext};
use crate::reason::ReasonCode;
use std::sync::{Arc, Mutex};

/// What a signer is looked up for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignerPurpose {
    /// A `shaken` or `div` PASSporT: the chain must reach an STI-CA anchor.
    Passport,
    /// A `ppt=rcd` PASSporT: an STI-CA or a branded-calling (rcd) anchor.
    RichCallData,
}

/// One snapshot of everything chains are validated against.
#[derive(Debug, Clone, Default)]
pub struct TrustState {
    /// STI-CA anchors.
    pub anchors: Arc<TrustStore>,
    /// Branded-calling (rcd) anchors.
    pub rcd_anchors: Arc<TrustStore>,
    /// CRLs in force.
    pub crls: Arc<CrlSet>,
    /// Report ATIS-1000080 profile findings.
    pub profile_checks: bool,
}

impl TrustState {
    /// The validation context of this snapshot.
    pub fn context(&self) -> TrustContext<'_> {
        TrustContext {
            anchors: &self.anchors,
            rcd_anchors: &self.rcd_anchors,
            crls: &self.crls,
            profile_checks: self.profile_checks,
        }
    }

    /// The validated signer of `chain` at `at` for `purpose`, from `cache` when it
    /// was validated under this state and is valid at `at`, else validated now
    /// (and cached).
    ///
    /// # Errors
    /// `cert_untrusted` when no anchor for the purpose is configured; otherwise
    /// the validation's [`CertFailure`].
    pub fn signer(
        &self,
        cache: &Mutex<ChainCache>,
        chain: &Chain,
        at: i64,
        purpose: SignerPurpose,
    ) -> Result<Arc<ValidatedSigner>, CertFailure> {
        let none = match purpose {
            SignerPurpose::Passport => self.anchors.is_empty(),
            SignerPurpose::RichCallData => self.anchors.is_empty() && self.rcd_anchors.is_empty(),
        };
        if none {
            return Err(CertFailure {
                reason: ReasonCode::CertUntrusted,
                detail: "no STI-CA trust anchors configured".into(),
            });
        }
        let ctx = self.context();
        let version = ctx.version();
        if let Some(hit) = cache
            .lock()
            .ok()
            .and_then(|c| c.signer(&chain.fingerprint, at, version))
        {
            if hit.sti_anchored || purpose == SignerPurpose::RichCallData {
                return Ok(hit);
            }
        }
        let signer = Arc::new(match purpose {
            SignerPurpose::Passport => validate_signer(&chain.ders, &ctx, at)?,
            SignerPurpose::RichCallData => validate_rcd_signer(&chain.ders, &ctx, at)?,
        });
        if let Ok(mut c) = cache.lock() {
            c.put_signer(chain.fingerprint, signer.clone());
        }
        Ok(signer)
    }
}
