//! STI certificates (ATIS-1000080): the SHAKEN-profile path validator, the
//! TNAuthList (RFC 8226), the trust store, where certificates come from, and the
//! cache that makes a known signer cost one signature check.
//!
//! Why our own validator: real STI-CAs issue certificates a TLS-oriented
//! validator refuses (critical certificatePolicies, explicit-NULL ECDSA
//! parameters, anyExtendedKeyUsage on CAs; see `../shared/DEPENDENCIES.md`).
//! Parsing is x509-parser's, signatures are ring's (and `p521` for P-521 CAs);
//! what is ours is the SHAKEN profile and the order of its checks.

mod cache;
mod info;
mod pem;
mod signature;
mod source;
mod tnauthlist;
mod trust_store;
mod validate;

pub use cache::{Chain, ChainCache, ValidatedSigner};
pub use info::CertInfo;
pub use pem::{parse_chain, ChainError};
pub use source::{CertificateSource, DirectorySource, NoSource, SourceError};
pub use tnauthlist::{parse_tn_auth_list, TnAuthList, TnEntry};
pub use trust_store::TrustStore;
pub use validate::{validate_chain, CertFailure};
