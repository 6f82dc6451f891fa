//! The one way the CLI opens a screener, and the one way it reads a time.

use crate::Fatal;
use callscreen_core::clock::{parse_rfc3339, Clock, FixedClock, SystemClock};
use callscreen_core::identification::cert::{CertificateSource, NoSource};
use callscreen_core::{Screener, ScreenerConfig};
use std::path::Path;
use std::sync::Arc;

/// Seconds since the epoch of an RFC 3339 time given as option `what`.
pub fn time(what: &str, t: &str) -> Result<i64, Fatal> {
    parse_rfc3339(t).ok_or_else(|| {
        Fatal(format!(
            "{what} {t:?}: not an RFC 3339 time such as 2026-11-22T12:00:00Z"
        ))
    })
}

/// The clock `--now` asks for (default: the system clock).
pub fn clock(now: Option<&str>) -> Result<Arc<dyn Clock>, Fatal> {
    Ok(match now {
        Some(t) => Arc::new(FixedClock(time("--now", t)?)),
        None => Arc::new(SystemClock),
    })
}

/// Open a screener with `config`, certificates from `source`, and `--now`.
pub fn screener(
    config: ScreenerConfig,
    source: Arc<dyn CertificateSource>,
    now: Option<&str>,
) -> Result<Screener, Fatal> {
    Ok(Screener::open(config, source, clock(now)?)?)
}

/// Open a screener on `db` for administration: lists, policy, history,
/// reports (no trust anchors, no certificates).
pub fn admin(db: &Path, region: Option<String>, now: Option<&str>) -> Result<Screener, Fatal> {
    let config = ScreenerConfig {
        db_path: Some(db.to_path_buf()),
        default_region: region,
        ..ScreenerConfig::default()
    };
    screener(config, Arc::new(NoSource), now)
}
