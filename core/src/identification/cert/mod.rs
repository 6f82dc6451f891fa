//! STI certificates (ATIS-1000080): the SHAKEN-profile path validator, the
//! TNAuthList (RFC 8226), delegate certificates (RFC 9060), JWT Claim Constraints
//! (RFC 8226 §8, RFC 9118), CRLs, the trust store, where certificates come from,
//! and the cache that makes a known signer cost one signature check.
//!
//! Why our own validator: real STI-CAs issue certificates a TLS-oriented
//! validator refuses (critical certificatePolicies, explicit-NULL ECDSA
//! parameters, anyExtendedKeyUsage on CAs; see `../shared/DEPENDENCIES.md`).
//! Parsing is x509-parser's, signatures are ring's (and `p521` for P-521 CAs);
//! what is ours is the SHAKEN profile and the order of its checks.

mod cache;
mod claim_constraints;
mod crl;
mod delegation;
mod info;
mod lookup;
mod pem;
mod profile;
mod refresh;
mod signature;
mod source;
mod tnauthlist;
mod trust_store;
mod validate;

pub use cache::{Chain, ChainCache, ValidatedSigner};
pub use claim_constraints::{parse_claim_constraints, ClaimConstraints, Judgement};
pub use crl::{Crl, CrlSet, MAX_CRL_BYTES};
pub use delegation::{encompassed, Containment};
pub use info::{CertInfo, CrlDistributionPoint};
pub use lookup::{SignerPurpose, TrustState};
pub use pem::{parse_chain, ChainError};
pub use profile::{profile_findings, CertRole, SHAKEN_POLICY_ARC};
pub use refresh::{RefreshHints, DEFAULT_CERT_REFRESH_SECS};
pub use source::{CertificateSource, DirectorySource, NoSource, SourceError};
pub use tnauthlist::{parse_tn_auth_list, TnAuthList, TnEntry};
pub use trust_store::TrustStore;
pub use validate::{
    validate_chain, validate_rcd_signer, validate_signer, CertFailure, TrustContext,
};
