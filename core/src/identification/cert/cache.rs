//! Caches that make a known signer cost one signature check: chains by `x5u`
//! (as fetched, bounded), and validated signers by the chain's SHA-256
//! fingerprint, each valid until the path's earliest notAfter and only for the
//! trust store version it was validated under.

use super::claim_constraints::ClaimConstraints;
use super::tnauthlist::TnAuthList;
use crate::reason::ReasonCode;
use std::collections::HashMap;
use std::sync::Arc;

/// Entries kept in each cache before the oldest half is dropped.
pub const CACHE_CAPACITY: usize = 1024;

/// What a validated chain tells about its signer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidatedSigner {
    /// The signer's P-256 public key, an uncompressed SEC1 point.
    pub key: Vec<u8>,
    /// The signer's subject (RFC 4514).
    pub subject: String,
    /// The SPC from its TNAuthList, when it has one.
    pub spc: Option<String>,
    /// Its TNAuthList.
    pub tn_auth_list: TnAuthList,
    /// Signed under a delegate certificate (RFC 9060).
    pub delegate: bool,
    /// Latest notBefore on the path, seconds since the epoch.
    pub valid_from: i64,
    /// Earliest notAfter on the path, seconds since the epoch.
    pub valid_until: i64,
    /// The trust state version it was validated under (anchors, rcd anchors and
    /// CRLs: see [`super::TrustContext::version`]).
    pub trust_version: u64,
    /// The path ends at an STI-CA trust anchor (false: only at an rcd anchor,
    /// which is enough for a `ppt=rcd` PASSporT and nothing else).
    pub sti_anchored: bool,
    /// The path also reaches a branded-calling (rcd) trust anchor: rich call data
    /// this signer asserts is vetted (RFC 9795, ATIS-1000094).
    pub rcd_anchored: bool,
    /// The signer's JWT Claim Constraints (RFC 8226 §8, RFC 9118), each extension
    /// present; `None` when one is present but unreadable (then nothing is vetted
    /// by constraints, and rich call data is treated as excluded).
    pub claim_constraints: Option<Vec<ClaimConstraints>>,
    /// Informational findings of the validation for the verdict's reasons:
    /// `encompass_unverifiable` (RFC 9060) and `cert_profile` (ATIS-1000080).
    pub notes: Vec<(ReasonCode, String)>,
}

/// A chain as read from its `x5u`: DER certificates and the fingerprint.
#[derive(Debug, Clone)]
pub struct Chain {
    /// DER certificates, leaf first.
    pub ders: Vec<Vec<u8>>,
    /// SHA-256 over the concatenated DER.
    pub fingerprint: [u8; 32],
}

impl Chain {
    /// A chain from DER certificates.
    pub fn new(ders: Vec<Vec<u8>>) -> Chain {
        let mut ctx = ring::digest::Context::new(&ring::digest::SHA256);
        for d in &ders {
            ctx.update(d);
        }
        let mut fingerprint = [0u8; 32];
        fingerprint.copy_from_slice(ctx.finish().as_ref());
        Chain { ders, fingerprint }
    }
}

/// Both caches. Not synchronised: the screener holds it behind a lock.
#[derive(Debug, Default)]
pub struct ChainCache {
    by_x5u: HashMap<String, Arc<Chain>>,
    validated: HashMap<[u8; 32], Arc<ValidatedSigner>>,
    insertions: u64,
}

impl ChainCache {
    /// The chain fetched for `x5u`, if cached.
    pub fn chain(&self, x5u: &str) -> Option<Arc<Chain>> {
        self.by_x5u.get(x5u).cloned()
    }

    /// Remember the chain for `x5u`.
    pub fn put_chain(&mut self, x5u: &str, chain: Arc<Chain>) {
        if self.by_x5u.len() >= CACHE_CAPACITY {
            self.by_x5u.clear();
        }
        self.by_x5u.insert(x5u.to_string(), chain);
    }

    /// A validated signer for a chain fingerprint, if it is still good at `at`
    /// under trust store version `trust_version`.
    pub fn signer(
        &self,
        fingerprint: &[u8; 32],
        at: i64,
        trust_version: u64,
    ) -> Option<Arc<ValidatedSigner>> {
        self.validated
            .get(fingerprint)
            .filter(|s| {
                s.trust_version == trust_version && at >= s.valid_from && at <= s.valid_until
            })
            .cloned()
    }

    /// Remember a validated signer.
    pub fn put_signer(&mut self, fingerprint: [u8; 32], signer: Arc<ValidatedSigner>) {
        if self.validated.len() >= CACHE_CAPACITY {
            self.validated
                .retain(|_, s| s.trust_version == signer.trust_version);
            if self.validated.len() >= CACHE_CAPACITY {
                self.validated.clear();
            }
        }
        self.insertions += 1;
        self.validated.insert(fingerprint, signer);
    }

    /// Forget everything (the trust store changed, or the app asked).
    pub fn clear(&mut self) {
        self.by_x5u.clear();
        self.validated.clear();
    }

    /// How many chains were validated and cached since creation (for tests and
    /// benchmarks that check a known signer is not validated again).
    pub fn validations(&self) -> u64 {
        self.insertions
    }
}
