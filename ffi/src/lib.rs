//! # callscreen-ffi
//!
//! The uniffi facade of [`callscreen_core`] for Kotlin (Android), Swift (iOS) and
//! Python (tests). No screening logic lives here: every item converts between the
//! core's Rust types and plain records, enums and objects that cross the FFI, so
//! the generated bindings stay a thin, documented mirror of the core.
//!
//! | file | what crosses the FFI |
//! |---|---|
//! | [`error`] | [`CallScreenError`], the one error the app sees |
//! | [`config`] | [`ScreenerConfig`], what the app decides at open |
//! | [`call`] | [`PlatformCall`], a call seen only through the platform's fields |
//! | [`verdict`] | [`Verdict`] and everything in it |
//! | [`cert_source`] | [`CertificateSource`], the app's local certificate lookup |
//! | [`screener`] | [`CallScreener`], the entry point |
//! | [`lists`] | [`NewRule`], [`Rule`] and their kinds; operator list imports and [`ImportProgressListener`] |
//! | [`policy`] | [`Policy`], the reaction policy |
//! | [`android`] | [`CallResponse`] for Android's `CallScreeningService` |
//! | [`callkit`] | [`CallDirectoryExport`], iOS Call Directory entries in chunks |
//! | [`logging`] | [`LogSink`] and [`set_log_sink`], the log bridge (numbers redacted) |
//! | [`history`] | [`HistoryEntry`], [`HistoryFilter`] and the corrections ([`Correction`]) |
//! | [`reports`] | [`ReportRequest`], the outbox ([`OutboxItem`]) and [`UtTransport`], the app's Ut client |
//!
//! Every exported method catches panics ([`guard`]) so a bug surfaces as
//! [`CallScreenError::Internal`] instead of aborting the dialer.

uniffi::setup_scaffolding!();

pub mod android;
pub mod call;
pub mod callkit;
pub mod cert_source;
pub mod config;
pub mod error;
mod guard;
pub mod history;
pub mod lists;
pub mod logging;
pub mod policy;
pub mod reports;
pub mod screener;
pub mod verdict;

pub use android::{android_call_response, AndroidScreening, CallResponse, ResponseOptions};
pub use call::{PlatformCall, PlatformPresentation};
pub use callkit::{
    CallDirectoryChange, CallDirectoryEntry, CallDirectoryEntryKind, CallDirectoryExport,
    CallDirectoryOptions, CallDirectoryReport, CallDirectoryTruncation, OperatorListUse,
    SkipReason, SkippedRule,
};
pub use cert_source::CertificateSource;
pub use config::{RcdContent, ScreenerConfig};
pub use error::CallScreenError;
pub use guard::guard;
pub use history::{
    BlockMode, Correction, HistoryEntry, HistoryFilter, HistoryMode, NotSpoofedScope, ReportOffer,
};
pub use lists::{
    Effect, ImportProgressListener, ImportReport, NewRule, OperatorListInfo, Rule, RuleKind,
    RuleSource, VerificationClass,
};
pub use logging::{redact_numbers, set_log_sink, LogLevel, LogSink};
pub use policy::{default_policy, Policy};
pub use reports::{
    DeliverySummary, OutboxItem, OutboxOp, OutboxState, ReportKind, ReportRequest, ReportWhen,
    UtHeader, UtMethod, UtRequest, UtResponse, UtTransport, UtTransportError,
};
pub use screener::CallScreener;
pub use verdict::{
    Action, Attestation, CallDisplay, Failure, Indication, Presentation, Reason, Signer, Verdict,
    Verification, VerificationSource, VerificationStatus,
};
