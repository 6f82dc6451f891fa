//! Certificate profile checks of ATIS-1000080 (§6.4 and its successors) that the
//! path validator does not enforce: the SHAKEN certificate policy, key usage
//! marked critical with the right bits, and a CRL distribution point naming its
//! `cRLIssuer`.
//!
//! They are a policy setting ([`crate::ScreenerConfig::profile_checks`], off by
//! default) that adds `cert_profile` reasons (weight 0) to a call that passes; they
//! never fail a call. Many production certificates deviate (INDEX.tsv of the real
//! certificates records, for example, CRL distribution points without
//! `cRLIssuer`), and refusing them would mark good calls unverified.

use super::info::CertInfo;

/// The arc of the SHAKEN certificate policies (ATIS-1000080: `…1.1.1` for v1,
/// `…1.1.3`, `…1.1.4` for later versions).
pub const SHAKEN_POLICY_ARC: &str = "2.16.840.1.114569.1.1.";

const KU_DIGITAL_SIGNATURE: u16 = 1;
const KU_KEY_CERT_SIGN: u16 = 1 << 5;
const KU_CRL_SIGN: u16 = 1 << 6;

/// A certificate's place on the path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CertRole {
    /// The end-entity certificate that signs PASSporTs.
    Signer,
    /// An intermediate CA (not self-issued; roots are trust anchors and are not
    /// profiled).
    Ca,
}

/// The ATIS-1000080 profile deviations of `cert` in `role`, as short English
/// findings (empty when it conforms).
pub fn profile_findings(cert: &CertInfo, role: CertRole) -> Vec<String> {
    let mut out = Vec::new();
    if !cert
        .policies
        .iter()
        .any(|p| p.starts_with(SHAKEN_POLICY_ARC))
    {
        out.push(format!(
            "no SHAKEN certificate policy ({SHAKEN_POLICY_ARC}x)"
        ));
    }
    match cert.key_usage {
        None => out.push("no keyUsage extension".into()),
        Some(ku) => {
            if !cert.key_usage_critical {
                out.push("keyUsage is not critical".into());
            }
            match role {
                CertRole::Signer => {
                    if ku & KU_DIGITAL_SIGNATURE == 0 {
                        out.push("keyUsage lacks digitalSignature".into());
                    }
                    if ku & !KU_DIGITAL_SIGNATURE != 0 {
                        out.push("keyUsage has bits other than digitalSignature".into());
                    }
                }
                CertRole::Ca => {
                    if ku & KU_KEY_CERT_SIGN == 0 {
                        out.push("keyUsage lacks keyCertSign".into());
                    }
                    if ku & !(KU_KEY_CERT_SIGN | KU_CRL_SIGN | KU_DIGITAL_SIGNATURE) != 0 {
                        out.push("keyUsage has bits other than keyCertSign, cRLSign".into());
                    }
                }
            }
        }
    }
    match &cert.crl_distribution_points {
        None => out.push("no CRL distribution point".into()),
        Some(points) => {
            let uris: usize = points.iter().map(|p| p.uris.len()).sum();
            if points.len() != 1 || uris != 1 {
                out.push(format!(
                    "CRL distribution points: {} points, {uris} URIs (one URI expected)",
                    points.len()
                ));
            }
            if points.iter().any(|p| !p.has_crl_issuer) {
                out.push("CRL distribution point without cRLIssuer".into());
            }
        }
    }
    out
}
