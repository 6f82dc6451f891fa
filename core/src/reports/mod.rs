//! Reports to the operator over Ut, and the durable outbox that delivers them.
//!
//! There is no standard body for a UE's spam report, so callscreen defines its
//! own XML document ([`document`], `docs/report-schema.md`), versioned and
//! namespaced. Network-side barring uses the standard TS 24.611
//! incoming-communication-barring rules over XCAP ([`xcap`]).
//!
//! Every report and barring change goes through the [`outbox`]: it is stored
//! before [`crate::Screener::report`] returns, delivered at least once through
//! the app's [`UtTransport`] (the core has no network), retried with
//! exponential backoff and jitter, and marked failed — visibly — only after a
//! maximum age or number of attempts, or a permanent refusal.

pub mod delivery;
pub mod document;
pub mod outbox;
pub mod transport;
pub mod xcap;

pub use document::{CallEvidence, ReportDocument, NAMESPACE, VERSION};
pub use outbox::{OutboxItem, OutboxState, RetryPolicy};
pub use transport::{TransportError, UtMethod, UtRequest, UtResponse, UtTransport};

/// What the user reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ReportKind {
    /// The caller's number was spoofed.
    Spoofed,
    /// An unsolicited (unwanted, nuisance) call.
    Unsolicited,
    /// The call was wrongly flagged or blocked.
    NotSpoofed,
    /// The user asks why the call was rated as it was.
    RatingRequest,
    /// The user disputes the rating, citing the stored reasons.
    Challenge,
}

impl ReportKind {
    /// Every kind.
    pub const ALL: [ReportKind; 5] = [
        ReportKind::Spoofed,
        ReportKind::Unsolicited,
        ReportKind::NotSpoofed,
        ReportKind::RatingRequest,
        ReportKind::Challenge,
    ];

    /// `spoofed`, `unsolicited`, `not_spoofed`, `rating_request` or `challenge`.
    pub fn as_str(self) -> &'static str {
        match self {
            ReportKind::Spoofed => "spoofed",
            ReportKind::Unsolicited => "unsolicited",
            ReportKind::NotSpoofed => "not_spoofed",
            ReportKind::RatingRequest => "rating_request",
            ReportKind::Challenge => "challenge",
        }
    }

    /// Parse [`ReportKind::as_str`].
    pub fn parse(s: &str) -> Option<ReportKind> {
        ReportKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// When, relative to the call, the user reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ReportWhen {
    /// While it rang, before answering.
    BeforeAnswer,
    /// During the call.
    During,
    /// After the call.
    #[default]
    After,
}

impl ReportWhen {
    /// `before_answer`, `during` or `after`.
    pub fn as_str(self) -> &'static str {
        match self {
            ReportWhen::BeforeAnswer => "before_answer",
            ReportWhen::During => "during",
            ReportWhen::After => "after",
        }
    }

    /// Parse [`ReportWhen::as_str`].
    pub fn parse(s: &str) -> Option<ReportWhen> {
        match s {
            "before_answer" => Some(ReportWhen::BeforeAnswer),
            "during" => Some(ReportWhen::During),
            "after" => Some(ReportWhen::After),
            _ => None,
        }
    }
}

/// A report the user asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportRequest {
    /// What is reported.
    pub kind: ReportKind,
    /// The history entry whose evidence the report carries.
    pub history_id: Option<i64>,
    /// The number, for a call not in the history (E.164, or national with the
    /// default region). Ignored when `history_id` is set.
    pub number: Option<String>,
    /// When the call came in, seconds since the epoch, for a call not in the
    /// history (a platform's recent-calls list knows it): the network resolves a
    /// withheld caller by it. Ignored when `history_id` is set.
    pub call_time: Option<i64>,
    /// When, relative to the call.
    pub when: ReportWhen,
    /// An optional category (`telemarketing`, `fraud`, ...), at most 64 characters.
    pub category: Option<String>,
    /// An optional comment, at most 1000 characters.
    pub comment: Option<String>,
}

impl ReportRequest {
    /// A report of `kind` on history entry `history_id`, after the call.
    pub fn on_entry(kind: ReportKind, history_id: i64) -> ReportRequest {
        ReportRequest {
            kind,
            history_id: Some(history_id),
            number: None,
            call_time: None,
            when: ReportWhen::After,
            category: None,
            comment: None,
        }
    }

    /// A report of `kind` on a number not in the history.
    pub fn on_number(kind: ReportKind, number: impl Into<String>) -> ReportRequest {
        ReportRequest {
            kind,
            history_id: None,
            number: Some(number.into()),
            call_time: None,
            when: ReportWhen::After,
            category: None,
            comment: None,
        }
    }
}

/// Longest category kept, characters.
pub const MAX_CATEGORY_CHARS: usize = 64;
/// Longest comment kept, characters.
pub const MAX_COMMENT_CHARS: usize = 1000;

/// Free text made safe: control characters dropped, cut to `max` characters,
/// `None` when empty.
pub fn clean_text(text: Option<&str>, max: usize) -> Option<String> {
    text.map(|t| {
        t.chars()
            .filter(|c| !c.is_control() || *c == '\n')
            .take(max)
            .collect::<String>()
    })
    .filter(|t| !t.trim().is_empty())
}
