//! Where certificates come from while screening: a *local* lookup only. The core
//! never fetches over the network (a fetch of an attacker-chosen URL while the
//! phone rings would leak the call and eat the time budget); a certificate that is
//! not local is named in `cert_needed` for the app to fetch and hand back.

use std::path::PathBuf;

/// Why a local lookup failed (an app's exception becomes this, never a crash).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("certificate source: {0}")]
pub struct SourceError(pub String);

/// A local certificate lookup the host app implements (a cache, a bundled file).
pub trait CertificateSource: Send + Sync {
    /// The chain (PEM, leaf first, or DER) for an `x5u` URL, or `None` when this
    /// source does not have it.
    fn lookup(&self, x5u: &str) -> Result<Option<Vec<u8>>, SourceError>;
}

/// No local certificates at all.
#[derive(Debug, Default, Clone, Copy)]
pub struct NoSource;

impl CertificateSource for NoSource {
    fn lookup(&self, _x5u: &str) -> Result<Option<Vec<u8>>, SourceError> {
        Ok(None)
    }
}

/// Certificates in a directory (the CLI's `--cert-dir`): an `x5u` URL resolves to
/// the file named by the URL's last path segment.
#[derive(Debug, Clone)]
pub struct DirectorySource {
    dir: PathBuf,
}

impl DirectorySource {
    /// A source over `dir`.
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        DirectorySource { dir: dir.into() }
    }

    /// The file name an URL maps to: its last path segment, without query or
    /// fragment; `None` when that is empty or could leave the directory.
    pub fn file_name(x5u: &str) -> Option<&str> {
        let path = x5u.split(['?', '#']).next().unwrap_or("");
        let name = path.rsplit('/').next()?;
        let safe = !name.is_empty()
            && name != "."
            && name != ".."
            && !name.contains('\\')
            && name.chars().all(|c| c.is_ascii_graphic());
        safe.then_some(name)
    }
}

impl CertificateSource for DirectorySource {
    fn lookup(&self, x5u: &str) -> Result<Option<Vec<u8>>, SourceError> {
        let Some(name) = Self::file_name(x5u) else {
            return Ok(None);
        };
        let path = self.dir.join(name);
        match std::fs::metadata(&path) {
            Ok(m) if m.len() > crate::limits::MAX_CHAIN_BYTES as u64 => {
                Err(SourceError(format!("{name}: over the chain size limit")))
            }
            Ok(_) => std::fs::read(&path)
                .map(Some)
                .map_err(|e| SourceError(format!("{name}: {e}"))),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(SourceError(format!("{name}: {e}"))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_never_escape_the_directory() {
        assert_eq!(
            DirectorySource::file_name("https://c.example/a/sp.pem?x=1"),
            Some("sp.pem")
        );
        assert_eq!(DirectorySource::file_name("https://c.example/a/.."), None);
        assert_eq!(DirectorySource::file_name("https://c.example/"), None);
        assert_eq!(
            DirectorySource::file_name("https://c.example/a\\..\\b"),
            None
        );
    }
}
