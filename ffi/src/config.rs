//! [`ScreenerConfig`]: what the app decides once, when it opens the screener.
//! Mirrors [`callscreen_core::ScreenerConfig`] with FFI-friendly types (PEM
//! texts as strings, the policy flattened).

use crate::policy::Policy;
use crate::verdict::Action;
use callscreen_core::reaction::policy::Policy as CorePolicy;

/// Configuration of a [`crate::CallScreener`]. Every field but
/// `likely_spam_action` has a default.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ScreenerConfig {
    /// Path of the SQLite database file (created when missing); `null` keeps
    /// everything in memory, so fetched certificates are lost when the screener goes away.
    #[uniffi(default = None)]
    pub db_path: Option<String>,
    /// When the database file is corrupt, move it aside
    /// (`<db_path>.corrupt-<seconds>`) and start a new one instead of failing
    /// `open` with `Storage`: the dialer keeps screening, without the user's lists
    /// and history. `recovered_database` says where the old file went.
    #[uniffi(default = false)]
    pub start_fresh_if_corrupt: bool,
    /// STI-CA trust anchors (ATIS-1000080), PEM texts; each may hold several
    /// certificates. Without any, no PASSporT can pass (`cert_untrusted`).
    #[uniffi(default = [])]
    pub trust_anchors_pem: Vec<String>,
    /// Anchors of vetted branded-calling (rich call data, RFC 9795) signers, PEM
    /// texts; separate from the STI-CA list.
    #[uniffi(default = [])]
    pub rcd_trust_anchors_pem: Vec<String>,
    /// CRLs of the STI CAs (DER, or PEM `X509 CRL`), fetched by the app from the
    /// URLs the certificates name; a certificate they revoke fails with
    /// `cert_revoked` (RFC 5280 §5). Replace them with `set_crls`.
    #[uniffi(default = [])]
    pub crls_der: Vec<Vec<u8>>,
    /// Certificates (PEM texts) of the keys trusted to sign *indirect* CRLs: the
    /// STI-PA's CRL signer, which STI certificates name in `cRLIssuer`
    /// (ATIS-1000080; RFC 5280 §5.2.5). Replace them with `set_crl_signers`.
    #[uniffi(default = [])]
    pub crl_signers_pem: Vec<String>,
    /// Content the app fetched for URLs in rich call data (logos, jCards), so
    /// their `rcdi` digests can be checked (RFC 9795 §6.1). Replace it with
    /// `set_rcd_content`.
    #[uniffi(default = [])]
    pub rcd_content: Vec<RcdContent>,
    /// Report ATIS-1000080 certificate profile deviations as `cert_profile`
    /// reasons; they never fail a call.
    #[uniffi(default = false)]
    pub profile_checks: bool,
    /// The subscriber's own numbers, in any format (normalised with
    /// `default_region`). A PASSporT's `dest` must name one of them (RFC 8225
    /// §5.2.1); when empty, `To` and `P-Called-Party-ID` stand in.
    #[uniffi(default = [])]
    pub own_numbers: Vec<String>,
    /// ISO 3166-1 alpha-2 region for national-format numbers, e.g. `"US"`.
    #[uniffi(default = None)]
    pub default_region: Option<String>,
    /// Freshness window for the PASSporT's `iat` and the `Date` header, in
    /// seconds, both directions (RFC 8224 §6.2.1 suggests 60). 1..=3600.
    #[uniffi(default = 60)]
    pub iat_window_secs: i64,
    /// Seconds after which a chain handed over with `add_certificate`, under
    /// which a signature fails, is named in `cert_needed` again (at most once per
    /// URL per period): the provider may have replaced the certificate behind
    /// its `x5u`. Positive.
    #[uniffi(default = 3600)]
    pub cert_refresh_secs: i64,
    /// The INVITE comes from the subscriber's own network (trusted intake), so the
    /// network's `verstat` (3GPP TS 24.229 §7.2A.20) is believed. Otherwise it is
    /// ignored with reason `verstat_untrusted`.
    #[uniffi(default = false)]
    pub trust_verstat: bool,
    /// Read `verstat` from `From` when P-Asserted-Identity has none (only with
    /// `trust_verstat`).
    #[uniffi(default = false)]
    pub verstat_from_header: bool,
    /// The operator's "present only trusted CLIs": an unverified number is shown
    /// as not available (reason `untrusted_cli_hidden`).
    #[uniffi(default = false)]
    pub present_only_trusted_cli: bool,
    /// What to do with a call marked likely spam. `ALLOW` lets it ring, so a
    /// false positive loses nothing.
    pub likely_spam_action: Action,
    /// A score above this (0–100) marks a call likely spam.
    #[uniffi(default = 70)]
    pub spam_threshold: u8,
    /// The whole reaction policy; when set, it replaces `likely_spam_action` and
    /// `spam_threshold`. A policy stored with `set_policy` wins over both.
    #[uniffi(default = None)]
    pub policy: Option<Policy>,
}

/// Content fetched for one URL named in rich call data (RFC 9795): the logo
/// (`icn`) or jCard (`jcl`) bytes, exactly as downloaded.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct RcdContent {
    /// The URL, exactly as the rich call data names it.
    pub url: String,
    /// The bytes fetched from it.
    pub content: Vec<u8>,
}

/// URL → bytes, as the core takes it.
pub(crate) fn rcd_content_map(
    items: Vec<RcdContent>,
) -> std::collections::BTreeMap<String, Vec<u8>> {
    items.into_iter().map(|i| (i.url, i.content)).collect()
}

impl From<ScreenerConfig> for callscreen_core::ScreenerConfig {
    fn from(c: ScreenerConfig) -> Self {
        let policy = match c.policy {
            Some(p) => p.into(),
            None => CorePolicy {
                likely_spam_action: c.likely_spam_action.into(),
                spam_threshold: c.spam_threshold,
                ..CorePolicy::default()
            },
        };
        callscreen_core::ScreenerConfig {
            db_path: c.db_path.map(Into::into),
            start_fresh_if_corrupt: c.start_fresh_if_corrupt,
            trust_anchors_pem: c
                .trust_anchors_pem
                .into_iter()
                .map(String::into_bytes)
                .collect(),
            rcd_trust_anchors_pem: c
                .rcd_trust_anchors_pem
                .into_iter()
                .map(String::into_bytes)
                .collect(),
            crls_der: c.crls_der,
            crl_signers_pem: c
                .crl_signers_pem
                .into_iter()
                .map(String::into_bytes)
                .collect(),
            rcd_content: rcd_content_map(c.rcd_content),
            profile_checks: c.profile_checks,
            own_numbers: c.own_numbers,
            default_region: c.default_region,
            iat_window_secs: c.iat_window_secs,
            cert_refresh_secs: c.cert_refresh_secs,
            trust_verstat: c.trust_verstat,
            verstat_from_header: c.verstat_from_header,
            present_only_trusted_cli: c.present_only_trusted_cli,
            policy,
        }
    }
}
