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
//! 5. no certificate but the anchor is listed by a CRL that its issuer signed and
//!    that is current at `at` (see [`super::crl`]) → `cert_revoked`;
//! 6. the leaf has a TNAuthList as RFC 8226 defines it → `tnauthlist_missing`;
//! 7. where a certificate and its issuer both carry TNAuthLists (a delegate
//!    certificate and its delegation CA, RFC 9060 §7.1), the child's entries lie
//!    within the issuer's → `tn_not_authorized`; where the issuer names only an
//!    SPC, the note `encompass_unverifiable` (see [`super::delegation`]).
//!
//! Then, without failing: the leaf's JWT Claim Constraints are read (RFC 8226 §8,
//! RFC 9118), whether the path also reaches a branded-calling (rcd) anchor is
//! recorded, and with [`TrustContext::profile_checks`] the ATIS-1000080 profile
//! findings become `cert_profile` notes (see [`super::profile`]).

use super::cache::ValidatedSigner;
use super::claim_constraints::{parse_claim_constraints, ClaimConstraints};
use super::crl::CrlSet;
use super::delegation::{encompassed, Containment};
use super::info::{CertInfo, KeyAlgorithm};
use super::profile::{profile_findings, CertRole};
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
    /// `cert_invalid`, `cert_untrusted`, `cert_expired`, `cert_revoked`,
    /// `tnauthlist_missing`, `tn_not_authorized`, ...
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

/// Everything a chain is judged against: the STI-CA anchors, the branded-calling
/// (rcd) anchors, the CRLs, and whether to report ATIS-1000080 profile findings.
#[derive(Debug, Clone, Copy)]
pub struct TrustContext<'a> {
    /// STI-CA trust anchors (the STI-PA's list).
    pub anchors: &'a TrustStore,
    /// Anchors of vetted branded-calling signers (rich call data).
    pub rcd_anchors: &'a TrustStore,
    /// CRLs in force.
    pub crls: &'a CrlSet,
    /// Report ATIS-1000080 profile findings as `cert_profile` notes.
    pub profile_checks: bool,
}

impl TrustContext<'_> {
    /// The version of this trust state. Anchors, rcd anchors and CRL sets draw
    /// their versions from one counter, so the largest identifies the state:
    /// replacing any of them yields a larger one, and cached validations made
    /// under an older state no longer match.
    pub fn version(&self) -> u64 {
        self.anchors
            .version()
            .max(self.rcd_anchors.version())
            .max(self.crls.version())
    }
}

/// Validate a chain (DER certificates, leaf first) against `anchors` at time `at`
/// (seconds since the epoch; the PASSporT's `iat`), without CRLs, rcd anchors or
/// profile findings.
///
/// # Errors
/// A [`CertFailure`] naming the first check that failed (see the module docs).
pub fn validate_chain(
    chain: &[Vec<u8>],
    anchors: &TrustStore,
    at: i64,
) -> Result<ValidatedSigner, CertFailure> {
    let (rcd, crls) = (TrustStore::default(), CrlSet::default());
    validate_signer(
        chain,
        &TrustContext {
            anchors,
            rcd_anchors: &rcd,
            crls: &crls,
            profile_checks: false,
        },
        at,
    )
}

/// Validate the chain of a PASSporT signer (`shaken`, `div`) to an STI-CA anchor
/// of `trust` at time `at`: every step of the module docs.
///
/// # Errors
/// A [`CertFailure`] naming the first check that failed.
pub fn validate_signer(
    chain: &[Vec<u8>],
    trust: &TrustContext<'_>,
    at: i64,
) -> Result<ValidatedSigner, CertFailure> {
    let certs = parse_all(chain)?;
    let (path, anchor) = anchored_path(&certs, trust.anchors, trust.crls, at, "STI-CA")?;
    let rcd_anchored = !trust.rcd_anchors.is_empty()
        && anchored_path(&certs, trust.rcd_anchors, trust.crls, at, "rcd").is_ok();
    finish(&path, anchor, trust, true, rcd_anchored)
}

/// Validate the chain of a `ppt=rcd` PASSporT's signer (RFC 9795 §5): to an
/// STI-CA anchor, or else to a branded-calling (rcd) anchor of `trust`.
///
/// # Errors
/// The STI-CA validation's [`CertFailure`] when the chain reaches neither; the
/// rcd path's failure when it reaches an rcd anchor but fails a later step.
pub fn validate_rcd_signer(
    chain: &[Vec<u8>],
    trust: &TrustContext<'_>,
    at: i64,
) -> Result<ValidatedSigner, CertFailure> {
    match validate_signer(chain, trust, at) {
        Err(sti) if sti.reason == ReasonCode::CertUntrusted && !trust.rcd_anchors.is_empty() => {
            let certs = parse_all(chain)?;
            let (path, anchor) =
                match anchored_path(&certs, trust.rcd_anchors, trust.crls, at, "rcd") {
                    Ok(p) => p,
                    Err(e) if e.reason == ReasonCode::CertUntrusted => return Err(sti),
                    Err(e) => return Err(e),
                };
            finish(&path, anchor, trust, false, true)
        }
        other => other,
    }
}

/// Steps 1 and 2: parse, no unknown critical extension, a leaf fit to sign.
fn parse_all(chain: &[Vec<u8>]) -> Result<Vec<CertInfo>, CertFailure> {
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
    Ok(certs)
}

/// Steps 3 to 5: the path to one of `anchors` (`kind` names them in details),
/// its validity at `at`, and its revocation status. The path runs leaf first and
/// excludes the anchor, which is returned apart.
fn anchored_path<'c, 'a>(
    certs: &'c [CertInfo],
    anchors: &'a TrustStore,
    crls: &CrlSet,
    at: i64,
    kind: &str,
) -> Result<(Vec<&'c CertInfo>, &'a CertInfo), CertFailure> {
    let leaf = certs.first().ok_or_else(|| invalid("empty chain"))?;
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
                format!("no configured {kind} anchor issued \"{}\"", current.subject),
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

    // 5. Revocation: each certificate against the CRLs of the CA that issued it.
    if !crls.is_empty() {
        for (i, cert) in path.iter().enumerate() {
            let issuer = path.get(i + 1).copied().unwrap_or(anchored);
            crls.check(cert, issuer, at)?;
        }
    }
    Ok((path, anchored))
}

/// Steps 6 and 7, the notes, and the signer's facts.
fn finish(
    path: &[&CertInfo],
    anchor: &CertInfo,
    trust: &TrustContext<'_>,
    sti_anchored: bool,
    rcd_anchored: bool,
) -> Result<ValidatedSigner, CertFailure> {
    let leaf = *path.first().ok_or_else(|| invalid("empty path"))?;
    // 6. TNAuthList.
    let raw = leaf.tn_auth_list.as_deref().ok_or_else(|| {
        CertFailure::new(ReasonCode::TnauthlistMissing, "no TNAuthList extension")
    })?;
    let tn_auth_list = parse_tn_auth_list(raw).ok_or_else(|| {
        CertFailure::new(
            ReasonCode::TnauthlistMissing,
            "TNAuthList is not RFC 8226 DER",
        )
    })?;

    // 7. Delegation: each TNAuthList within its issuer's, up the path while the
    // issuers carry one (an STI-CA does not, and ends the chain of delegation).
    let mut notes = Vec::new();
    let mut child_tn = tn_auth_list.clone();
    for (i, child) in path.iter().enumerate() {
        let parent = path.get(i + 1).copied().unwrap_or(anchor);
        let Some(parent_raw) = parent.tn_auth_list.as_deref() else {
            break;
        };
        let Some(parent_tn) = parse_tn_auth_list(parent_raw) else {
            notes.push((
                ReasonCode::EncompassUnverifiable,
                format!(
                    "the TNAuthList of \"{}\" is unreadable; \"{}\" cannot be checked against it",
                    parent.subject, child.subject
                ),
            ));
            break;
        };
        match encompassed(&child_tn, &parent_tn) {
            Containment::Inside => {}
            Containment::Unverifiable => notes.push((
                ReasonCode::EncompassUnverifiable,
                format!(
                    "\"{}\" names numbers that can only be checked against the SPC of \"{}\"",
                    child.subject, parent.subject
                ),
            )),
            Containment::Outside(entry) => {
                let detail = format!(
                    "{entry} in the TNAuthList of \"{}\" lies outside that of its issuer \"{}\"",
                    child.subject, parent.subject
                );
                return Err(CertFailure::new(ReasonCode::TnNotAuthorized, detail));
            }
        }
        child_tn = parent_tn;
    }

    if trust.profile_checks {
        for (i, cert) in path.iter().enumerate() {
            let role = match i {
                0 => CertRole::Signer,
                _ if cert.is_self_issued() => continue,
                _ => CertRole::Ca,
            };
            for finding in profile_findings(cert, role) {
                notes.push((
                    ReasonCode::CertProfile,
                    format!("\"{}\": {finding}", cert.subject),
                ));
            }
        }
    }

    // A delegate certificate (RFC 9060) is issued by a CA that itself carries a
    // TNAuthList, or names numbers rather than a service provider.
    let self_anchored = anchor.subject_raw == leaf.subject_raw && anchor.spki == leaf.spki;
    let issuer = path.get(1).copied().or((!self_anchored).then_some(anchor));
    let delegate = issuer.is_some_and(|c| c.tn_auth_list.is_some()) || tn_auth_list.spc().is_none();

    Ok(ValidatedSigner {
        key: leaf.key.clone(),
        subject: leaf.subject.clone(),
        spc: tn_auth_list.spc().map(str::to_string),
        tn_auth_list,
        delegate,
        valid_from: path.iter().map(|c| c.not_before).max().unwrap_or(i64::MIN),
        valid_until: path.iter().map(|c| c.not_after).min().unwrap_or(i64::MAX),
        trust_version: trust.version(),
        sti_anchored,
        rcd_anchored,
        claim_constraints: claim_constraints(leaf),
        notes,
    })
}

/// The leaf's JWT Claim Constraints; `None` when an extension is unreadable.
fn claim_constraints(leaf: &CertInfo) -> Option<Vec<ClaimConstraints>> {
    let mut out = Vec::new();
    for (der, enhanced) in [
        (leaf.jwt_claim_constraints.as_deref(), false),
        (leaf.enhanced_jwt_claim_constraints.as_deref(), true),
    ] {
        if let Some(der) = der {
            out.push(parse_claim_constraints(der, enhanced)?);
        }
    }
    Some(out)
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
