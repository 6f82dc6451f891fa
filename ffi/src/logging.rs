//! The log bridge: the core logs through the `log` crate; [`set_log_sink`]
//! forwards those records to the app's logger (Logcat, `os_log`), in the spirit
//! of application-services' `rust-log-forwarder`.
//!
//! Call logs are personal data: every message has its telephone numbers replaced
//! by `[number]` ([`redact_numbers`]) before it leaves Rust.

use crate::error::CallScreenError;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::{Arc, PoisonError, RwLock};

/// Severity of a log record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, uniffi::Enum)]
pub enum LogLevel {
    /// Something failed (storage, an internal error).
    Error,
    /// Something unexpected that screening worked around (a failing certificate source).
    Warn,
    /// Notable events.
    Info,
    /// Detail for debugging.
    Debug,
    /// Very detailed tracing (not forwarded).
    Trace,
}

/// The app's logger. Called from whichever thread logs, possibly several at
/// once, while a call is being screened: keep it quick.
#[uniffi::export(foreign)]
pub trait LogSink: Send + Sync {
    /// One record: its level, its target (the Rust module, e.g.
    /// `callscreen_core::screener`) and its message, with telephone numbers
    /// already replaced by `[number]`.
    ///
    /// # Errors
    /// Errors and exceptions are ignored (a log record is dropped, never a call).
    fn log(&self, level: LogLevel, target: String, message: String) -> Result<(), CallScreenError>;
}

static SINK: RwLock<Option<Arc<dyn LogSink>>> = RwLock::new(None);
static FORWARDER: Forwarder = Forwarder;

/// Send callscreen's log records (levels error to debug) to `sink`. The first
/// call installs the bridge as the process's Rust logger; later calls replace the
/// sink. If another Rust logger was installed first, records go there instead.
#[uniffi::export]
pub fn set_log_sink(sink: Arc<dyn LogSink>) {
    *SINK.write().unwrap_or_else(PoisonError::into_inner) = Some(sink);
    if log::set_logger(&FORWARDER).is_ok() {
        log::set_max_level(log::LevelFilter::Debug);
    }
}

struct Forwarder;

impl log::Log for Forwarder {
    fn enabled(&self, metadata: &log::Metadata<'_>) -> bool {
        metadata.level() <= log::Level::Debug
    }

    fn log(&self, record: &log::Record<'_>) {
        if !self.enabled(record.metadata()) {
            return;
        }
        let Some(sink) = SINK.read().unwrap_or_else(PoisonError::into_inner).clone() else {
            return;
        };
        let level = match record.level() {
            log::Level::Error => LogLevel::Error,
            log::Level::Warn => LogLevel::Warn,
            log::Level::Info => LogLevel::Info,
            log::Level::Debug => LogLevel::Debug,
            log::Level::Trace => LogLevel::Trace,
        };
        let message = redact_numbers(&record.args().to_string());
        let target = record.target().to_string();
        // A failing or panicking sink loses one record, nothing else.
        let _ = catch_unwind(AssertUnwindSafe(|| sink.log(level, target, message)));
    }

    fn flush(&self) {}
}

/// Replace every telephone number in `text` with `[number]`: a run of 7 or more
/// ASCII digits, with its `+` prefix when it has one (`+12155551212`,
/// `12155551212`). Shorter runs (codes, counts, years) stay.
pub fn redact_numbers(text: &str) -> String {
    const MIN_DIGITS: usize = 7;
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find(|c: char| c.is_ascii_digit() || c == '+') {
        out.push_str(&rest[..start]);
        let run = &rest[start..];
        let plus = usize::from(run.starts_with('+'));
        let digits = run[plus..].bytes().take_while(u8::is_ascii_digit).count();
        let len = plus + digits;
        if digits >= MIN_DIGITS {
            out.push_str("[number]");
        } else {
            // A lone '+' (digits == 0) still advances by one character.
            out.push_str(&run[..len.max(1)]);
        }
        rest = &run[len.max(1)..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::redact_numbers;

    #[test]
    fn redacts_long_digit_runs_only() {
        assert_eq!(
            redact_numbers("from +12155551212 to 12155551213"),
            "from [number] to [number]"
        );
        assert_eq!(
            redact_numbers("code 438 in 2026, 123456"),
            "code 438 in 2026, 123456"
        );
        assert_eq!(redact_numbers("a+b ++1234567+"), "a+b +[number]+");
        assert_eq!(redact_numbers("tel:+1215555121é"), "tel:[number]é");
        assert_eq!(redact_numbers(""), "");
    }
}
