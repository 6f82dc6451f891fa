//! Options shared by `screen` and `replay` (CONTRACT.md, "Screening").

use crate::Fatal;
use callscreen_core::identification::cert::{CertificateSource, DirectorySource, NoSource};
use callscreen_core::limits::MAX_MESSAGE_BYTES;
use callscreen_core::{Screener, ScreenerConfig};
use clap::Args;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Screening options.
#[derive(Args, Debug, Clone)]
pub struct ScreenOptions {
    /// The database (default: callscreen.db in the platform data directory).
    #[arg(long, value_name = "PATH")]
    pub db: Option<PathBuf>,
    /// PEM file of STI-CA roots (may hold several); repeat for more files.
    #[arg(long = "trust-anchor", value_name = "PEM")]
    pub trust_anchors: Vec<PathBuf>,
    /// PEM roots of vetted branded-calling (rcd) signers; repeat for more files.
    #[arg(long = "rcd-trust-anchor", value_name = "PEM")]
    pub rcd_trust_anchors: Vec<PathBuf>,
    /// A CRL of an STI CA (DER or PEM), checked on every validated path; repeat
    /// for more.
    #[arg(long = "crl", value_name = "FILE")]
    pub crls: Vec<PathBuf>,
    /// Certificate (PEM) of a key trusted to sign indirect CRLs: the STI-PA's CRL
    /// signer (repeatable).
    #[arg(long = "crl-signer", value_name = "FILE")]
    pub crl_signers: Vec<PathBuf>,
    /// Content fetched for a URL in rich call data (a logo, a jCard), against
    /// which its rcdi digest is checked; repeat for more.
    #[arg(long = "rcd-content", value_name = "URL=FILE")]
    pub rcd_content: Vec<String>,
    /// Report ATIS-1000080 certificate profile deviations (reasons, not failures).
    #[arg(long)]
    pub profile_checks: bool,
    /// Local certificates: an x5u resolves to `DIR/<last path segment of the URL>`.
    #[arg(long, value_name = "DIR")]
    pub cert_dir: Option<PathBuf>,
    /// The subscriber's own number (E.164); repeat for more.
    #[arg(long = "own-number", value_name = "E164")]
    pub own_numbers: Vec<String>,
    /// Region for national-format numbers (ISO 3166-1 alpha-2).
    #[arg(long, value_name = "CC")]
    pub default_region: Option<String>,
    /// The INVITE came from the subscriber's own network: trust its verstat.
    #[arg(long)]
    pub trust_verstat: bool,
    /// The clock for every time check (default: the system clock).
    #[arg(long, value_name = "RFC3339")]
    pub now: Option<String>,
    /// Freshness window for iat, seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = callscreen_core::config::DEFAULT_IAT_WINDOW_SECS)]
    pub iat_window: i64,
    /// Show unverified numbers as "number not available" (operator setting).
    #[arg(long)]
    pub present_only_trusted_cli: bool,
    /// Print JSON (one object per line).
    #[arg(long)]
    pub json: bool,
}

/// `URL=FILE` of `--rcd-content` (split at the last `=`, so a URL may hold one).
fn parse_rcd_content(arg: &str) -> Result<(String, PathBuf), Fatal> {
    match arg.rsplit_once('=') {
        Some((url, file)) if !url.is_empty() && !file.is_empty() => {
            Ok((url.to_string(), PathBuf::from(file)))
        }
        _ => Err(Fatal(format!("--rcd-content {arg:?} is not URL=FILE"))),
    }
}

/// Read a file of at most the SIP message limit (exit 2 past it).
pub fn read_input(path: &Path) -> Result<Vec<u8>, Fatal> {
    let meta = std::fs::metadata(path).map_err(|e| Fatal(format!("{}: {e}", path.display())))?;
    if meta.len() > MAX_MESSAGE_BYTES as u64 {
        return Err(Fatal(format!(
            "{}: {} bytes is over the {} byte SIP message limit",
            path.display(),
            meta.len(),
            MAX_MESSAGE_BYTES
        )));
    }
    std::fs::read(path).map_err(|e| Fatal(format!("{}: {e}", path.display())))
}

fn default_db() -> Result<PathBuf, Fatal> {
    let base = std::env::var_os("XDG_DATA_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/share")))
        .ok_or_else(|| Fatal("no --db and no HOME to find the data directory".into()))?;
    let dir = base.join("callscreen");
    std::fs::create_dir_all(&dir).map_err(|e| Fatal(format!("{}: {e}", dir.display())))?;
    Ok(dir.join("callscreen.db"))
}

impl ScreenOptions {
    /// Open a screener with these options.
    pub fn open(&self) -> Result<Screener, Fatal> {
        let read_all = |paths: &[PathBuf]| -> Result<Vec<Vec<u8>>, Fatal> {
            paths
                .iter()
                .map(|p| std::fs::read(p).map_err(|e| Fatal(format!("{}: {e}", p.display()))))
                .collect()
        };
        let config = ScreenerConfig {
            db_path: Some(match &self.db {
                Some(p) => p.clone(),
                None => default_db()?,
            }),
            trust_anchors_pem: read_all(&self.trust_anchors)?,
            rcd_trust_anchors_pem: read_all(&self.rcd_trust_anchors)?,
            crls_der: read_all(&self.crls)?,
            crl_signers_pem: read_all(&self.crl_signers)?,
            rcd_content: self
                .rcd_content
                .iter()
                .map(|arg| {
                    let (url, path) = parse_rcd_content(arg)?;
                    Ok((url, read_all(&[path])?.concat()))
                })
                .collect::<Result<_, Fatal>>()?,
            profile_checks: self.profile_checks,
            own_numbers: self.own_numbers.clone(),
            default_region: self.default_region.clone(),
            iat_window_secs: self.iat_window,
            trust_verstat: self.trust_verstat,
            present_only_trusted_cli: self.present_only_trusted_cli,
            ..ScreenerConfig::default()
        };
        let source: Arc<dyn CertificateSource> = match &self.cert_dir {
            Some(dir) => Arc::new(DirectorySource::new(dir)),
            None => Arc::new(NoSource),
        };
        crate::open::screener(config, source, self.now.as_deref())
    }
}
