//! Injected time. Every freshness and validity check reads the clock through
//! [`Clock`], so tests and the CLI's `--now` can fix it.

/// A source of the current time, in seconds since the Unix epoch (UTC).
pub trait Clock: Send + Sync {
    /// Seconds since 1970-01-01T00:00:00Z.
    fn now(&self) -> i64;
}

/// The system clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> i64 {
        chrono::Utc::now().timestamp()
    }
}

/// A clock stopped at one instant (tests, the CLI's `--now`).
#[derive(Debug, Clone, Copy)]
pub struct FixedClock(pub i64);

impl Clock for FixedClock {
    fn now(&self) -> i64 {
        self.0
    }
}

/// `2026-11-22T12:00:00Z` for seconds since the epoch (the JSON and XML
/// documents' time format, RFC 3339 §5.6); the bare number when out of range.
pub fn rfc3339(t: i64) -> String {
    chrono::DateTime::from_timestamp(t, 0)
        .map(|d| d.format("%Y-%m-%dT%H:%M:%SZ").to_string())
        .unwrap_or_else(|| t.to_string())
}

/// Seconds since the epoch from an RFC 3339 date-time with an offset
/// (`2026-11-22T12:00:00Z`, `2026-11-22T13:00:00+01:00`); `None` when it is
/// not one. The one parser of times the CLI and the bindings take.
pub fn parse_rfc3339(text: &str) -> Option<i64> {
    chrono::DateTime::parse_from_rfc3339(text.trim())
        .ok()
        .map(|d| d.timestamp())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_round_trips_and_honours_offsets() {
        assert_eq!(rfc3339(1_795_348_800), "2026-11-22T12:00:00Z");
        assert_eq!(parse_rfc3339("2026-11-22T12:00:00Z"), Some(1_795_348_800));
        assert_eq!(
            parse_rfc3339("2026-11-22T13:00:00+01:00"),
            Some(1_795_348_800)
        );
        assert_eq!(parse_rfc3339("2026-11-22 12:00"), None);
        assert_eq!(parse_rfc3339(""), None);
    }
}
