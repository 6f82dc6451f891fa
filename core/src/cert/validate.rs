//! SHAKEN-profile path validation (ATIS-1000080 §6, RFC 5280 §6 where the
//! profile follows it): from the signer's certificate up to a configured STI-CA
//! trust anchor. Each check is a small step with its own failure reason, in this
//! order:
//!
//! 1. every certificate parses, with no unknown critical extension → `cert_invalid`;
//! 2. the leaf is an end entity with a P-256 key usable for signing → `cert_invalid`;
//! 3. a path of at most four certificates leads, by issuer name (and key
//!    identifiers where both are present) and signature, to an anchor matched by
//!    name and exact key → `cert_untrusted` (no path) or `cert_invalid` (a CA that
//!    is not one, pathLen exceeded, a bad signature);
//! 4. every certificate but the anchor is within its validity at `at` → `cert_expired`;
//! 5. the leaf has a TNAuthList as RFC 8226 defines it → `tnauthlist_missing`.

use super::cache::ValidatedSigner;
use super::info::{CertInfo, KeyAlgorithm};
use super::signature::issued_by;
use super::tnauthlist::parse_tn_auth_list;
use super::trust_store::TrustStore;
use crate::limits::MAX_PATH_CERTS;
use crate::reason::ReasonCode;

const KU_DIGITAL_SIGNATURE: u16 = 1;
const KU_KEY_CERT_SIGN: u16 = 1 << 5;

/// Why a chain was refused: a reason code and a detail for the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertFailure {
    /// `cert_invalid`, `cert_untrusted`, `cert_expired`, `tnauthlist_missing`, ...
    pub reason: ReasonCode,
    /// What was wrong, for people.
    pub detail: String,
}

impl CertFailure {
    fn new(reason: ReasonCode, detail: impl Into<String>) -> Self {
        CertFailure {
            reason,
            detail: detail.into(),
        }
    }
}

fn invalid(detail: impl Into<String>) -> CertFailure {
    CertFailure::new(ReasonCode::CertInvalid, detail)
}

/// Validate a chain (DER certificates, leaf first) against `anchors` at time `at`
/// (seconds since the epoch; the PASSporT's `iat`).
///
/// # Errors
/// A [`CertFailure`] naming the first check that failed (see the module docs).
pub fn validate_chain(
    chain: &[Vec<u8>],
    anchors: &TrustStore,
    at: i64,
) -> Result<ValidatedSigner, CertFailure> {
    // 1. Parse.
    let certs = chain
        .iter()
        .take(MAX_PATH_CERTS)
        .map(|der| CertInfo::from_der(der))
        .collect::<Result<Vec<_>, _>>()
        .map_err(invalid)?;
    let leaf = certs.first().ok_or_else(|| invalid("empty chain"))?;
    if let Some(oid) = certs.iter().find_map(|c| c.unknown_critical.as_deref()) {
        return Err(invalid(format!("unknown critical extension {oid}")));
    }

    // 2. The leaf.
    if leaf.is_ca() {
        return Err(invalid("the signing certificate is a CA"));
    }
    if leaf.key_algorithm != KeyAlgorithm::EcP256 {
        return Err(invalid("the signing key is not P-256 (ES256)"));
    }
    if leaf
        .key_usage
        .is_some_and(|ku| ku & KU_DIGITAL_SIGNATURE == 0)
    {
        return Err(invalid("keyUsage lacks digitalSignature"));
    }

    // 3. The path.
    let mut path: Vec<&CertInfo> = vec![leaf];
    let mut used = vec![false; certs.len()];
    if let Some(u) = used.first_mut() {
        *u = true;
    }
    let anchored = loop {
        let current = *path.last().ok_or_else(|| invalid("empty path"))?;
        if let Some(anchor) = find_anchor(current, anchors) {
            break anchor;
        }
        if path.len() + 1 >= MAX_PATH_CERTS {
            return Err(CertFailure::new(
                ReasonCode::CertUntrusted,
                "no trust anchor within four certificates",
            ));
        }
        let candidate = certs
            .iter()
            .enumerate()
            .find(|(i, c)| !used.get(*i).copied().unwrap_or(true) && names_issuer(c, current));
        let Some((i, issuer)) = candidate else {
            return Err(CertFailure::new(
                ReasonCode::CertUntrusted,
                format!("no configured STI-CA anchor issued \"{}\"", current.subject),
            ));
        };
        if !issued_by(current, issuer) {
            return Err(invalid(format!(
                "signature of \"{}\" does not verify",
                current.subject
            )));
        }
        check_ca(issuer, path.len() - 1)?;
        if let Some(u) = used.get_mut(i) {
            *u = true;
        }
        path.push(issuer);
    };
    check_ca(anchored, path.len() - 1)?;

    // 4. Validity at `at`. The anchor is trusted as a key and a name (RFC 5280 §6.1.1 d).
    for cert in &path {
        if at < cert.not_before || at > cert.not_after {
            return Err(CertFailure::new(
                ReasonCode::CertExpired,
                format!("\"{}\" is not valid at {}", cert.subject, fmt_time(at)),
            ));
        }
    }

    // 5. TNAuthList.
    let raw = leaf.tn_auth_list.as_deref().ok_or_else(|| {
        CertFailure::new(ReasonCode::TnauthlistMissing, "no TNAuthList extension")
    })?;
    let tn_auth_list = parse_tn_auth_list(raw).ok_or_else(|| {
        CertFailure::new(
            ReasonCode::TnauthlistMissing,
            "TNAuthList is not RFC 8226 DER",
        )
    })?;

    // A delegate certificate (RFC 9060) is issued by a CA that itself carries a
    // TNAuthList, or names numbers rather than a service provider.
    let issuer_has_tn = path.get(1).is_some_and(|c| c.tn_auth_list.is_some());
    let delegate = issuer_has_tn || tn_auth_list.spc().is_none();

    Ok(ValidatedSigner {
        key: leaf.key.clone(),
        subject: leaf.subject.clone(),
        spc: tn_auth_list.spc().map(str::to_string),
        tn_auth_list,
        delegate,
        valid_from: path.iter().map(|c| c.not_before).max().unwrap_or(i64::MIN),
        valid_until: path.iter().map(|c| c.not_after).min().unwrap_or(i64::MAX),
        trust_version: anchors.version(),
    })
}

/// The anchor that issued `cert` (name, key identifiers, signature), or `cert`
/// itself when it is an anchor (same name and key).
fn find_anchor<'a>(cert: &CertInfo, anchors: &'a TrustStore) -> Option<&'a CertInfo> {
    anchors
        .anchors()
        .iter()
        .find(|a| a.subject_raw == cert.subject_raw && a.spki == cert.spki)
        .or_else(|| {
            anchors
                .anchors()
                .iter()
                .find(|a| names_issuer(a, cert) && issued_by(cert, a))
        })
}

/// `issuer`'s subject is `cert`'s issuer, and the key identifiers agree when both exist.
fn names_issuer(issuer: &CertInfo, cert: &CertInfo) -> bool {
    if issuer.subject_raw != cert.issuer_raw {
        return false;
    }
    match (&cert.aki, &issuer.ski) {
        (Some(aki), Some(ski)) => aki == ski,
        _ => true,
    }
}

/// A certificate that issued another must be a CA allowed to sign certificates,
/// with `below` CA certificates under it within its pathLenConstraint.
fn check_ca(ca: &CertInfo, below: usize) -> Result<(), CertFailure> {
    match ca.basic_constraints {
        Some((true, path_len)) => {
            if path_len.is_some_and(|max| below > max as usize) {
                return Err(invalid(format!(
                    "pathLenConstraint of \"{}\" exceeded",
                    ca.subject
                )));
            }
        }
        _ => {
            return Err(invalid(format!(
                "\"{}\" issued a certificate but is not a CA",
                ca.subject
            )))
        }
    }
    if ca.key_usage.is_some_and(|ku| ku & KU_KEY_CERT_SIGN == 0) {
        return Err(invalid(format!("\"{}\" lacks keyCertSign", ca.subject)));
    }
    Ok(())
}

fn fmt_time(t: i64) -> String {
    chrono::DateTime::from_timestamp(t, 0)
        .map(|d| d.to_rfc3339())
        .unwrap_or_else(|| t.to_string())
}
