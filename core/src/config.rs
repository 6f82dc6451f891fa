//! Screener configuration: what the app decides once, at open.

use crate::reaction::policy::Policy;
use std::path::PathBuf;

/// Default freshness window for `iat`, seconds (RFC 8224 §6.2.1 suggests 60).
pub const DEFAULT_IAT_WINDOW_SECS: i64 = 60;

/// Configuration of a [`crate::Screener`].
#[derive(Debug, Clone)]
pub struct ScreenerConfig {
    /// The SQLite database file; `None` keeps everything in memory.
    pub db_path: Option<PathBuf>,
    /// When the database file is corrupt (not a database, or damaged), move it
    /// aside (`<db_path>.corrupt-<seconds>`) and start a new one instead of
    /// failing [`crate::Screener::open`]: the dialer keeps screening, without the
    /// user's lists and history until they are restored. See
    /// [`crate::Screener::recovered_database`].
    pub start_fresh_if_corrupt: bool,
    /// STI-CA trust anchors, PEM texts (each may hold several certificates).
    pub trust_anchors_pem: Vec<Vec<u8>>,
    /// Branded-calling (rcd) signer anchors, PEM texts; separate from the STI-CA list.
    pub rcd_trust_anchors_pem: Vec<Vec<u8>>,
    /// CRLs (DER, or PEM `X509 CRL`) of the STI CAs, checked on every validated
    /// path (RFC 5280 §5); replaceable with [`crate::Screener::set_crls`].
    pub crls_der: Vec<Vec<u8>>,
    /// Certificates (PEM) of the keys trusted to sign *indirect* CRLs: the
    /// STI-PA's CRL signer, named in STI certificates' `cRLIssuer` (ATIS-1000080,
    /// RFC 5280 §5.2.5). Replaceable with [`crate::Screener::set_crl_signers`].
    pub crl_signers_pem: Vec<Vec<u8>>,
    /// Content the app fetched for URLs in rich call data (logo bytes, a jCard),
    /// by URL, so `rcdi` digests can be checked (RFC 9795 §6.1); replaceable with
    /// [`crate::Screener::set_rcd_content`].
    pub rcd_content: std::collections::BTreeMap<String, Vec<u8>>,
    /// Report ATIS-1000080 certificate profile deviations as `cert_profile`
    /// reasons (never failures).
    pub profile_checks: bool,
    /// The subscriber's own numbers (any format; normalised with `default_region`).
    /// A PASSporT's `dest` must name one of them. When empty, `To` and
    /// `P-Called-Party-ID` stand in.
    pub own_numbers: Vec<String>,
    /// ISO 3166-1 alpha-2 region for national-format numbers (`US`).
    pub default_region: Option<String>,
    /// Freshness window for `iat` and `Date`, seconds, both directions.
    pub iat_window_secs: i64,
    /// Seconds after which a held chain under which a signature fails is named in
    /// `cert_needed` again, at most once per URL per period (the provider may
    /// have replaced the certificate behind its `x5u`; see
    /// [`crate::identification::cert::RefreshHints`]). Default one hour.
    pub cert_refresh_secs: i64,
    /// The INVITE comes from the subscriber's own network, so `verstat` is trusted.
    pub trust_verstat: bool,
    /// Read `verstat` from `From` when P-Asserted-Identity has none (only with
    /// `trust_verstat`).
    pub verstat_from_header: bool,
    /// The operator's "present only trusted CLIs": an unverified number is shown
    /// as not available.
    pub present_only_trusted_cli: bool,
    /// Reaction policy.
    pub policy: Policy,
}

impl Default for ScreenerConfig {
    fn default() -> Self {
        ScreenerConfig {
            db_path: None,
            start_fresh_if_corrupt: false,
            trust_anchors_pem: Vec::new(),
            rcd_trust_anchors_pem: Vec::new(),
            crls_der: Vec::new(),
            crl_signers_pem: Vec::new(),
            rcd_content: std::collections::BTreeMap::new(),
            profile_checks: false,
            own_numbers: Vec::new(),
            default_region: None,
            iat_window_secs: DEFAULT_IAT_WINDOW_SECS,
            cert_refresh_secs: crate::identification::cert::DEFAULT_CERT_REFRESH_SECS,
            trust_verstat: false,
            verstat_from_header: false,
            present_only_trusted_cli: false,
            policy: Policy::default(),
        }
    }
}
