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
//!
//! An *indirect* CRL (RFC 5280 §5.2.5 `indirectCRL`, §5.3.3 `certificateIssuer`)
//! is the STI-PA's: one list, signed by the STI-PA's CRL signing key (named in
//! the certificates' `cRLIssuer`, ATIS-1000080), revoking certificates of many
//! CAs. It counts only when signed by a CRL signer the app configured
//! ([`crate::ScreenerConfig::crl_signers_pem`]) and current; an entry revokes the
//! certificate whose issuer name and serial number it carries.

use super::info::{normalise_serial, CertInfo, SignatureAlgorithm};
use super::signature::signed_by;
use super::trust_store::next_version;
use super::validate::CertFailure;
use crate::error::{Error, Result};
use crate::reason::ReasonCode;
use std::collections::HashSet;
use x509_parser::extensions::{GeneralName, ParsedExtension, SubjectAlternativeName};
// 2.5.29.29, certificateIssuer (the registry calls it "issuer").
use x509_parser::oid_registry::OID_X509_EXT_ISSUER;
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
    /// Revoked serial numbers of certificates the CRL's issuer issued
    /// (big-endian, no leading zero bytes).
    pub revoked: HashSet<Vec<u8>>,
    /// The CRL is indirect (its Issuing Distribution Point says `indirectCRL`).
    pub indirect: bool,
    /// Entries of an indirect CRL for certificates of other issuers: (issuer name
    /// DER, serial number).
    pub revoked_of_others: HashSet<(Vec<u8>, Vec<u8>)>,
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
                ParsedExtension::AuthorityKeyIdentifier(a) => {
                    a.key_identifier.as_ref().map(|k| k.0.to_vec())
                }
                _ => None,
            });
        let indirect = tbs.extensions().iter().any(|e| {
            matches!(e.parsed_extension(), ParsedExtension::IssuingDistributionPoint(idp) if idp.indirect_crl)
        });
        let crl_issuer = tbs.issuer.as_raw();
        let (mut revoked, mut revoked_of_others) = (HashSet::new(), HashSet::new());
        // RFC 5280 §5.3.3: an entry's certificate issuer is named by its
        // `certificateIssuer` extension, else inherited from the entry before;
        // the first defaults to the CRL issuer.
        let mut issuer: Vec<u8> = crl_issuer.to_vec();
        for entry in crl.iter_revoked_certificates() {
            if let Some(ext) = entry
                .extensions()
                .iter()
                .find(|e| e.oid == OID_X509_EXT_ISSUER)
            {
                if !indirect {
                    return Err("certificateIssuer in a CRL that is not indirect".into());
                }
                issuer = directory_name(ext.value)
                    .ok_or("certificateIssuer without a readable directory name")?;
            }
            let serial = normalise_serial(entry.raw_serial());
            if issuer == crl_issuer {
                revoked.insert(serial);
            } else {
                revoked_of_others.insert((issuer.clone(), serial));
            }
        }
        Ok(Crl {
            issuer_raw: crl_issuer.to_vec(),
            issuer: tbs.issuer.to_string(),
            aki,
            this_update: tbs.this_update.timestamp(),
            next_update: tbs.next_update.map(|t| t.timestamp()),
            revoked,
            indirect,
            revoked_of_others,
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
    /// Keys trusted to sign indirect CRLs (the STI-PA's CRL signer).
    signers: Vec<CertInfo>,
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
            signers: Vec::new(),
            version: next_version(),
        })
    }

    /// The same CRLs with `signers` (PEM certificates) as the only keys trusted to
    /// sign indirect CRLs; a new version.
    ///
    /// # Errors
    /// [`Error::Config`] when a PEM text holds no readable certificate.
    pub fn with_signers<T: AsRef<[u8]>>(self, signers_pem: &[T]) -> Result<CrlSet> {
        let mut signers = Vec::new();
        for (i, pem) in signers_pem.iter().enumerate() {
            let ders = super::pem::parse_chain(pem.as_ref())
                .map_err(|e| Error::Config(format!("CRL signer {}: {e}", i + 1)))?;
            for der in ders {
                signers.push(
                    CertInfo::from_der(&der)
                        .map_err(|e| Error::Config(format!("CRL signer {}: {e}", i + 1)))?,
                );
            }
        }
        Ok(CrlSet {
            crls: self.crls,
            signers,
            version: next_version(),
        })
    }

    /// New CRLs from `blobs`, keeping this set's indirect CRL signers; a new version.
    ///
    /// # Errors
    /// As [`CrlSet::from_ders`].
    pub fn replace_crls<T: AsRef<[u8]>>(&self, blobs: &[T]) -> Result<CrlSet> {
        Ok(CrlSet {
            signers: self.signers.clone(),
            ..CrlSet::from_ders(blobs)?
        })
    }

    /// The configured indirect CRL signers.
    pub fn signers(&self) -> &[CertInfo] {
        &self.signers
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
        let key = (cert.issuer_raw.clone(), cert.serial.clone());
        for crl in self.crls.iter().filter(|c| c.indirect) {
            if crl.revoked_of_others.contains(&key)
                && self.signers.iter().any(|s| crl.speaks_for(s, at))
            {
                return Err(CertFailure {
                    reason: ReasonCode::CertRevoked,
                    detail: format!(
                        "\"{}\" is revoked by the indirect CRL of \"{}\"",
                        cert.subject, crl.issuer
                    ),
                });
            }
        }
        Ok(())
    }
}

/// The first directory name of a GeneralNames value (the `certificateIssuer`
/// extension, RFC 5280 §5.3.3), as DER. GeneralNames has the same syntax as the
/// subjectAltName value, so x509-parser's reader for that does the parsing.
fn directory_name(value: &[u8]) -> Option<Vec<u8>> {
    let (_, names) = SubjectAlternativeName::from_der(value).ok()?;
    names.general_names.iter().find_map(|n| match n {
        GeneralName::DirectoryName(name) => Some(name.as_raw().to_vec()),
        _ => None,
    })
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
