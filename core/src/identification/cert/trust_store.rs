//! Trust anchors the app provides: the STI-PA's list of STI-CA roots, and
//! separately the branded-calling (rcd) signers. Replaceable at runtime; each
//! replacement bumps [`TrustStore::version`], which invalidates cached chains.

use super::info::CertInfo;
use super::pem::parse_chain;
use crate::error::{Error, Result};
use std::sync::atomic::{AtomicU64, Ordering};

static NEXT_VERSION: AtomicU64 = AtomicU64::new(1);

/// A fresh version number: every trust store and CRL set draws from this one
/// counter, so the largest version among those in force identifies the state.
pub(crate) fn next_version() -> u64 {
    NEXT_VERSION.fetch_add(1, Ordering::Relaxed)
}

/// A set of trust anchors, matched by subject name and exact public key.
#[derive(Debug, Clone, Default)]
pub struct TrustStore {
    anchors: Vec<CertInfo>,
    version: u64,
}

impl TrustStore {
    /// Anchors from PEM texts (each may hold several certificates).
    ///
    /// # Errors
    /// [`Error::Config`] when a text holds no readable certificate.
    pub fn from_pems<T: AsRef<[u8]>>(pems: &[T]) -> Result<TrustStore> {
        let mut anchors = Vec::new();
        for pem in pems {
            let ders = parse_chain(pem.as_ref())
                .map_err(|e| Error::Config(format!("trust anchor: {e}")))?;
            for der in ders {
                anchors.push(
                    CertInfo::from_der(&der)
                        .map_err(|e| Error::Config(format!("trust anchor: {e}")))?,
                );
            }
        }
        Ok(TrustStore {
            anchors,
            version: next_version(),
        })
    }

    /// The anchors.
    pub fn anchors(&self) -> &[CertInfo] {
        &self.anchors
    }

    /// A number that changes whenever the anchors are replaced.
    pub fn version(&self) -> u64 {
        self.version
    }

    /// True when there are no anchors.
    pub fn is_empty(&self) -> bool {
        self.anchors.is_empty()
    }
}
