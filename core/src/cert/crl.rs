//! Certificate revocation lists the app supplies (RFC 5280 §5; ATIS-1000080 §6
//! has every STI certificate name where its CRL is published).
//!
//! The core never fetches a CRL: the app downloads the CRLs it cares about (the
//! STI-PA's and the STI-CAs') outside the ringing path and hands them over as
//! DER (or PEM), at open ([`crate::ScreenerConfig::crls_der`]) or at runtime
//! ([`crate::Screener::set_crls`]). Each replacement gets a new version, which
//! invalidates every cached validation, so a revocation takes effect on the next
//! call.
//!
//! A CRL counts for a certificate on a validated path only when it is *direct*:
//! its issuer name is the certificate's issuer, its signature verifies under the
//! key of the issuing CA on that path (or the trust anchor that issued it), and it
//! is current at the check time (thisUpdate ≤ t ≤ nextUpdate). A CRL that fails
//! any of these is ignored for that certificate (it says nothing), never trusted.
//! Indirect CRLs (signed by an STI-PA key outside the path, named in `cRLIssuer`)
//! are not evaluated.

use super::info::{normalise_serial, CertInfo, SignatureAlgorithm};
use super::signature::signed_by;
use super::trust_store::next_version;
use super::validate::CertFailure;
use crate::error::{Error, Result};
use crate::reason::ReasonCode;
use std::collections::HashSet;
use x509_parser::prelude::FromDer;
use x509_parser::revocation_list::CertificateRevocationList;

/// Largest CRL accepted, in bytes (the STI-PA's lists are a few KiB).
pub const MAX_CRL_BYTES: usize = 4 * 1024 * 1024;

/// One CRL, read once into owned fields.
#[derive(Debug, Clone)]
pub struct Crl {
    /// The issuer name, DER.
    pub issuer_raw: Vec<u8>,
    /// The issuer as an RFC 4514 string (for details).
    pub issuer: String,
    /// authorityKeyIdentifier's keyIdentifier, when present.
    pub aki: Option<Vec<u8>>,
    /// thisUpdate, seconds since the epoch.
    pub this_update: i64,
    /// nextUpdate, seconds since the epoch, when present.
    pub next_update: Option<i64>,
    /// Revoked serial numbers (big-endian, no leading zero bytes).
    pub revoked: HashSet<Vec<u8>>,
    tbs: Vec<u8>,
    algorithm: SignatureAlgorithm,
    signature: Vec<u8>,
}

impl Crl {
    /// Read a DER CRL.
    ///
    /// # Errors
    /// A short reason when it is not a CertificateList (RFC 5280 §5.1) or has
    /// trailing bytes.
    pub fn from_der(der: &[u8]) -> std::result::Result<Crl, String> {
        let (rest, crl) =
            CertificateRevocationList::from_der(der).map_err(|e| format!("not a CRL: {e}"))?;
        if !rest.is_empty() {
            return Err("trailing bytes after the CRL".into());
        }
        let tbs = &crl.tbs_cert_list;
        let aki = tbs
            .extensions()
            .iter()
            .find_map(|e| match e.parsed_extension() {
                x509_parser::extensions::ParsedExtension::AuthorityKeyIdentifier(a) => {
                    a.key_identifier.as_ref().map(|k| k.0.to_vec())
                }
                _ => None,
            });
        Ok(Crl {
            issuer_raw: tbs.issuer.as_raw().to_vec(),
            issuer: tbs.issuer.to_string(),
            aki,
            this_update: tbs.this_update.timestamp(),
            next_update: tbs.next_update.map(|t| t.timestamp()),
            revoked: crl
                .iter_revoked_certificates()
                .map(|r| normalise_serial(r.raw_serial()))
                .collect(),
            tbs: tbs.as_ref().to_vec(),
            algorithm: SignatureAlgorithm::from_oid(
                &crl.signature_algorithm.algorithm.to_id_string(),
            ),
            signature: crl.signature_value.data.to_vec(),
        })
    }

    /// Whether this CRL speaks for certificates issued by `issuer` at time `at`:
    /// same issuer name, matching key identifiers when both exist, a signature
    /// that verifies under `issuer`'s key, and current at `at`.
    pub fn speaks_for(&self, issuer: &CertInfo, at: i64) -> bool {
        if self.issuer_raw != issuer.subject_raw {
            return false;
        }
        if let (Some(aki), Some(ski)) = (&self.aki, &issuer.ski) {
            if aki != ski {
                return false;
            }
        }
        let current = self.this_update <= at && self.next_update.is_none_or(|n| at <= n);
        current && signed_by(issuer, self.algorithm, &self.tbs, &self.signature)
    }
}

/// The CRLs in force, replaceable as a whole.
#[derive(Debug, Clone, Default)]
pub struct CrlSet {
    crls: Vec<Crl>,
    version: u64,
}

impl CrlSet {
    /// CRLs from DER (or PEM `X509 CRL`) blobs.
    ///
    /// # Errors
    /// [`Error::Config`] naming the first blob that is not a readable CRL or is
    /// over [`MAX_CRL_BYTES`].
    pub fn from_ders<T: AsRef<[u8]>>(blobs: &[T]) -> Result<CrlSet> {
        let mut crls = Vec::with_capacity(blobs.len());
        for (i, blob) in blobs.iter().enumerate() {
            let blob = blob.as_ref();
            if blob.len() > MAX_CRL_BYTES {
                return Err(Error::Config(format!(
                    "CRL {}: {} bytes is over the {MAX_CRL_BYTES} byte limit",
                    i + 1,
                    blob.len()
                )));
            }
            let der = pem_or_der(blob).map_err(|e| Error::Config(format!("CRL {}: {e}", i + 1)))?;
            crls.push(
                Crl::from_der(&der).map_err(|e| Error::Config(format!("CRL {}: {e}", i + 1)))?,
            );
        }
        Ok(CrlSet {
            crls,
            version: next_version(),
        })
    }

    /// A number that changes whenever the CRLs are replaced (drawn from the same
    /// counter as [`super::TrustStore::version`]).
    pub fn version(&self) -> u64 {
        self.version
    }

    /// True when there are no CRLs.
    pub fn is_empty(&self) -> bool {
        self.crls.is_empty()
    }

    /// The CRLs.
    pub fn crls(&self) -> &[Crl] {
        &self.crls
    }

    /// Refuse `cert` (issued by `issuer`) when a CRL that speaks for `issuer` at
    /// `at` lists its serial number.
    ///
    /// # Errors
    /// `cert_revoked` (437).
    pub fn check(&self, cert: &CertInfo, issuer: &CertInfo, at: i64) -> Result<(), CertFailure> {
        for crl in &self.crls {
            if crl.revoked.contains(&cert.serial) && crl.speaks_for(issuer, at) {
                return Err(CertFailure {
                    reason: ReasonCode::CertRevoked,
                    detail: format!(
                        "\"{}\" is revoked by the CRL of \"{}\"",
                        cert.subject, crl.issuer
                    ),
                });
            }
        }
        Ok(())
    }
}

/// DER as is; PEM `-----BEGIN X509 CRL-----` decoded.
fn pem_or_der(blob: &[u8]) -> std::result::Result<Vec<u8>, String> {
    let text = match std::str::from_utf8(blob) {
        Ok(t) if t.trim_start().starts_with("-----BEGIN") => t,
        _ => return Ok(blob.to_vec()),
    };
    let body: String = text
        .lines()
        .map(str::trim)
        .skip_while(|l| !l.starts_with("-----BEGIN X509 CRL-----"))
        .skip(1)
        .take_while(|l| !l.starts_with("-----END"))
        .collect();
    use base64::Engine;
    base64::engine::general_purpose::STANDARD
        .decode(body)
        .map_err(|_| "PEM without a readable X509 CRL block".to_string())
}
