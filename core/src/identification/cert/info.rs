//! The facts of one certificate the SHAKEN profile checks, read once from DER
//! with x509-parser into owned fields.

use super::tnauthlist::OID_TN_AUTH_LIST;
use x509_parser::extensions::{DistributionPointName, GeneralName, ParsedExtension};
use x509_parser::prelude::{FromDer, X509Certificate};

/// Public key algorithms that appear in the SHAKEN PKI.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyAlgorithm {
    /// id-ecPublicKey on P-256 (the only key a PASSporT signer may have).
    EcP256,
    /// id-ecPublicKey on P-384 (some CAs).
    EcP384,
    /// id-ecPublicKey on P-521 (NetNumber's root).
    EcP521,
    /// rsaEncryption (Neustar's older CAs).
    Rsa,
    /// Anything else.
    Other,
}

/// Signature algorithms of certificates (RFC 5758 §3.2, RFC 4055).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignatureAlgorithm {
    /// ecdsa-with-SHA256.
    EcdsaSha256,
    /// ecdsa-with-SHA384.
    EcdsaSha384,
    /// ecdsa-with-SHA512.
    EcdsaSha512,
    /// sha256WithRSAEncryption.
    RsaSha256,
    /// sha384WithRSAEncryption.
    RsaSha384,
    /// sha512WithRSAEncryption.
    RsaSha512,
    /// Anything else.
    Other,
}

impl SignatureAlgorithm {
    /// From the algorithm's dotted OID.
    pub fn from_oid(oid: &str) -> SignatureAlgorithm {
        match oid {
            "1.2.840.10045.4.3.2" => SignatureAlgorithm::EcdsaSha256,
            "1.2.840.10045.4.3.3" => SignatureAlgorithm::EcdsaSha384,
            "1.2.840.10045.4.3.4" => SignatureAlgorithm::EcdsaSha512,
            "1.2.840.113549.1.1.11" => SignatureAlgorithm::RsaSha256,
            "1.2.840.113549.1.1.12" => SignatureAlgorithm::RsaSha384,
            "1.2.840.113549.1.1.13" => SignatureAlgorithm::RsaSha512,
            _ => SignatureAlgorithm::Other,
        }
    }
}

/// Extensions the SHAKEN profile defines, which may be critical. Any other
/// critical extension makes a certificate invalid (RFC 5280 §4.2).
const KNOWN_CRITICAL: &[&str] = &[
    "2.5.29.19",      // basicConstraints
    "2.5.29.15",      // keyUsage
    "2.5.29.32",      // certificatePolicies (critical at NetNumber, Martini G1)
    "2.5.29.35",      // authorityKeyIdentifier
    "2.5.29.14",      // subjectKeyIdentifier
    OID_TN_AUTH_LIST, // TNAuthList
    OID_JWT_CLAIM_CONSTRAINTS,
    OID_ENHANCED_JWT_CLAIM_CONSTRAINTS,
];

/// JWTClaimConstraints (RFC 8226 §8).
pub const OID_JWT_CLAIM_CONSTRAINTS: &str = "1.3.6.1.5.5.7.1.27";
/// EnhancedJWTClaimConstraints (RFC 9118 §3).
pub const OID_ENHANCED_JWT_CLAIM_CONSTRAINTS: &str = "1.3.6.1.5.5.7.1.33";

/// A CRL distribution point (RFC 5280 §4.2.1.13), as far as the SHAKEN profile
/// looks at it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CrlDistributionPoint {
    /// The URIs of its `fullName`.
    pub uris: Vec<String>,
    /// True when it names a `cRLIssuer` (ATIS-1000080 requires the STI-PA's name there).
    pub has_crl_issuer: bool,
}

/// One certificate, read.
#[derive(Debug, Clone)]
pub struct CertInfo {
    /// The whole certificate, DER.
    pub der: Vec<u8>,
    /// The signed part (TBSCertificate), DER.
    pub tbs: Vec<u8>,
    /// How the issuer signed it.
    pub signature_algorithm: SignatureAlgorithm,
    /// The signature value.
    pub signature: Vec<u8>,
    /// Subject name, DER.
    pub subject_raw: Vec<u8>,
    /// Issuer name, DER.
    pub issuer_raw: Vec<u8>,
    /// Subject as an RFC 4514 string.
    pub subject: String,
    /// The key's algorithm.
    pub key_algorithm: KeyAlgorithm,
    /// The key: an uncompressed EC point, or an RSAPublicKey.
    pub key: Vec<u8>,
    /// SubjectPublicKeyInfo, DER (trust anchors match on it exactly).
    pub spki: Vec<u8>,
    /// notBefore, seconds since the epoch.
    pub not_before: i64,
    /// notAfter, seconds since the epoch.
    pub not_after: i64,
    /// basicConstraints: `None` when absent, else (cA, pathLenConstraint).
    pub basic_constraints: Option<(bool, Option<u32>)>,
    /// keyUsage flags (bit 0 digitalSignature, bit 5 keyCertSign), when present.
    pub key_usage: Option<u16>,
    /// subjectKeyIdentifier.
    pub ski: Option<Vec<u8>>,
    /// authorityKeyIdentifier's keyIdentifier.
    pub aki: Option<Vec<u8>>,
    /// The first critical extension the profile does not know, by OID.
    pub unknown_critical: Option<String>,
    /// The TNAuthList extension's DER value, when present.
    pub tn_auth_list: Option<Vec<u8>>,
    /// The X.509 version (0 = v1, 2 = v3).
    pub version: u32,
    /// The serial number, big-endian, without leading zero bytes (CRLs match on it).
    pub serial: Vec<u8>,
    /// certificatePolicies' policy OIDs, dotted.
    pub policies: Vec<String>,
    /// True when keyUsage is present and marked critical.
    pub key_usage_critical: bool,
    /// cRLDistributionPoints, when present.
    pub crl_distribution_points: Option<Vec<CrlDistributionPoint>>,
    /// The JWTClaimConstraints extension's DER value (RFC 8226 §8), when present.
    pub jwt_claim_constraints: Option<Vec<u8>>,
    /// The EnhancedJWTClaimConstraints extension's DER value (RFC 9118), when present.
    pub enhanced_jwt_claim_constraints: Option<Vec<u8>>,
}

/// A serial number without leading zero bytes (a positive INTEGER's DER keeps one).
pub(crate) fn normalise_serial(raw: &[u8]) -> Vec<u8> {
    let start = raw.iter().position(|b| *b != 0).unwrap_or(raw.len());
    raw.get(start..).unwrap_or_default().to_vec()
}

impl CertInfo {
    /// Read a DER certificate. `Err` carries a short reason.
    pub fn from_der(der: &[u8]) -> Result<CertInfo, String> {
        let (rest, cert) =
            X509Certificate::from_der(der).map_err(|e| format!("not a certificate: {e}"))?;
        if !rest.is_empty() {
            return Err("trailing bytes after the certificate".into());
        }
        let tbs = &cert.tbs_certificate;
        let spki = tbs.public_key();
        let key_algorithm = match spki.algorithm.algorithm.to_id_string().as_str() {
            "1.2.840.10045.2.1" => {
                let curve = spki
                    .algorithm
                    .parameters
                    .as_ref()
                    .and_then(|p| p.as_oid().ok())
                    .map(|o| o.to_id_string());
                match curve.as_deref() {
                    Some("1.2.840.10045.3.1.7") => KeyAlgorithm::EcP256,
                    Some("1.3.132.0.34") => KeyAlgorithm::EcP384,
                    Some("1.3.132.0.35") => KeyAlgorithm::EcP521,
                    _ => KeyAlgorithm::Other,
                }
            }
            "1.2.840.113549.1.1.1" => KeyAlgorithm::Rsa,
            _ => KeyAlgorithm::Other,
        };
        // Parameters of the signature algorithm are ignored on purpose: T-Mobile
        // and Ribbon encode ecdsa-with-SHA256 with an explicit NULL (not RFC 5758).
        let signature_algorithm =
            SignatureAlgorithm::from_oid(&cert.signature_algorithm.algorithm.to_id_string());
        let mut info = CertInfo {
            der: der.to_vec(),
            tbs: tbs.as_ref().to_vec(),
            signature_algorithm,
            signature: cert.signature_value.data.to_vec(),
            subject_raw: tbs.subject.as_raw().to_vec(),
            issuer_raw: tbs.issuer.as_raw().to_vec(),
            subject: tbs.subject.to_string(),
            key_algorithm,
            key: spki.subject_public_key.data.to_vec(),
            spki: spki.raw.to_vec(),
            not_before: tbs.validity.not_before.timestamp(),
            not_after: tbs.validity.not_after.timestamp(),
            basic_constraints: None,
            key_usage: None,
            ski: None,
            aki: None,
            unknown_critical: None,
            tn_auth_list: None,
            version: tbs.version.0,
            serial: normalise_serial(cert.raw_serial()),
            policies: Vec::new(),
            key_usage_critical: false,
            crl_distribution_points: None,
            jwt_claim_constraints: None,
            enhanced_jwt_claim_constraints: None,
        };
        let mut seen = std::collections::HashSet::new();
        for ext in tbs.extensions() {
            let oid = ext.oid.to_id_string();
            if !seen.insert(oid.clone()) {
                return Err(format!("extension {oid} appears twice"));
            }
            if ext.critical
                && !KNOWN_CRITICAL.contains(&oid.as_str())
                && info.unknown_critical.is_none()
            {
                info.unknown_critical = Some(oid.clone());
            }
            match ext.parsed_extension() {
                ParsedExtension::BasicConstraints(bc) => {
                    info.basic_constraints = Some((bc.ca, bc.path_len_constraint))
                }
                ParsedExtension::KeyUsage(ku) => {
                    info.key_usage = Some(ku.flags);
                    info.key_usage_critical = ext.critical;
                }
                ParsedExtension::CertificatePolicies(policies) => {
                    info.policies = policies
                        .iter()
                        .map(|p| p.policy_id.to_id_string())
                        .collect();
                }
                ParsedExtension::CRLDistributionPoints(points) => {
                    info.crl_distribution_points = Some(
                        points
                            .iter()
                            .map(|p| CrlDistributionPoint {
                                uris: match &p.distribution_point {
                                    Some(DistributionPointName::FullName(names)) => names
                                        .iter()
                                        .filter_map(|n| match n {
                                            GeneralName::URI(u) => Some(u.to_string()),
                                            _ => None,
                                        })
                                        .collect(),
                                    _ => Vec::new(),
                                },
                                has_crl_issuer: p.crl_issuer.is_some(),
                            })
                            .collect(),
                    );
                }
                ParsedExtension::SubjectKeyIdentifier(k) => info.ski = Some(k.0.to_vec()),
                ParsedExtension::AuthorityKeyIdentifier(a) => {
                    info.aki = a.key_identifier.as_ref().map(|k| k.0.to_vec())
                }
                ParsedExtension::ParseError { .. } if ext.critical => {
                    return Err(format!("critical extension {oid} unreadable"));
                }
                _ => {}
            }
            match oid.as_str() {
                OID_TN_AUTH_LIST => info.tn_auth_list = Some(ext.value.to_vec()),
                OID_JWT_CLAIM_CONSTRAINTS => info.jwt_claim_constraints = Some(ext.value.to_vec()),
                OID_ENHANCED_JWT_CLAIM_CONSTRAINTS => {
                    info.enhanced_jwt_claim_constraints = Some(ext.value.to_vec())
                }
                _ => {}
            }
        }
        Ok(info)
    }

    /// True when basicConstraints says cA.
    pub fn is_ca(&self) -> bool {
        matches!(self.basic_constraints, Some((true, _)))
    }

    /// True when the issuer and subject names are the same.
    pub fn is_self_issued(&self) -> bool {
        self.subject_raw == self.issuer_raw
    }
}
