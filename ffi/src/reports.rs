//! Reports to the operator over Ut and the durable outbox that delivers them,
//! mirrored from [`callscreen_core::reports`]; [`UtTransport`] is the app's
//! network.
//!
//! Why an outbox: the user reports a call when it suits them, often offline.
//! `report` stores the report durably before it returns; `deliver_outbox`
//! (called by the app when the network is up, e.g. from WorkManager or a
//! background task) makes one pass, sending each due item once through the
//! app's transport. Temporary failures (5xx, 429, timeouts, exceptions) are
//! retried later with exponential backoff; an item fails for good, visibly,
//! after a permanent refusal or too many attempts. Each report is POSTed with
//! an `Idempotency-Key` (its id), so a retry after a lost answer is harmless.
//!
//! The core has no network: the transport owns TLS, authentication (Digest,
//! GBA) and proxies. Whatever it does — return an error, throw, panic — the
//! attempt is a transport error recorded on the item, never a crash.

use crate::error::CallScreenError;
use crate::screener::CallScreener;
use callscreen_core::reports::outbox::OutboxOp as CoreOp;
use callscreen_core::reports::{
    OutboxItem as CoreItem, OutboxState as CoreState, ReportKind as CoreKind,
    ReportRequest as CoreRequest, ReportWhen as CoreWhen, TransportError as CoreTransportError,
    UtMethod as CoreMethod, UtRequest as CoreUtRequest, UtResponse as CoreUtResponse,
    UtTransport as CoreTransport,
};
use callscreen_core::screener::DeliverySummary as CoreSummary;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Arc;

/// What the user reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
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

/// When, relative to the call, the user reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum ReportWhen {
    /// While it rang, before answering.
    BeforeAnswer,
    /// During the call.
    During,
    /// After the call.
    After,
}

/// A report the user asked for. It cites a history entry (its stored
/// evidence) or, for a call not in the history, only a number.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ReportRequest {
    /// What is reported.
    pub kind: ReportKind,
    /// The history entry whose evidence the report carries.
    #[uniffi(default = None)]
    pub history_id: Option<i64>,
    /// The number, for a call not in the history (E.164, or national with the
    /// default region). Ignored when `history_id` is set.
    #[uniffi(default = None)]
    pub number: Option<String>,
    /// When the call came in, seconds since the epoch, for a call not in the
    /// history (e.g. from the platform's recent calls): the network resolves a
    /// withheld caller by it. Ignored when `history_id` is set.
    #[uniffi(default = None)]
    pub call_time: Option<i64>,
    /// When, relative to the call.
    pub when: ReportWhen,
    /// An optional category (`telemarketing`, `fraud`, ...); at most 64
    /// characters are kept.
    #[uniffi(default = None)]
    pub category: Option<String>,
    /// An optional comment; at most 1000 characters are kept, control
    /// characters dropped.
    #[uniffi(default = None)]
    pub comment: Option<String>,
}

/// Where an outbox item is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum OutboxState {
    /// Waiting for its next attempt (`next_attempt_at`).
    Pending,
    /// Claimed by a delivery pass (one in progress, or one that died: it is
    /// claimed again after a lease of a few minutes).
    Sending,
    /// The server answered 2xx.
    Delivered,
    /// Refused for good, or out of attempts or time; `last_error` says why.
    /// Show it to the user; `retry_report` queues it again.
    Failed,
}

/// What an outbox item does when delivered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum OutboxOp {
    /// POST a report document to `callscreen/reports`.
    Report,
    /// Bar the number on the network (TS 24.611 ICB rule over XCAP).
    Bar,
    /// Lift a network barring.
    Unbar,
}

/// A report or barring change in the outbox.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct OutboxItem {
    /// Its id: the report's id, sent as the `Idempotency-Key` header.
    pub id: String,
    /// The report kind (`spoofed`, ...) or `bar` / `unbar`.
    pub kind: String,
    /// What delivery does.
    pub op: OutboxOp,
    /// Where it is in its life.
    pub state: OutboxState,
    /// Attempts made so far.
    pub attempts: u32,
    /// When it was queued, seconds since the epoch.
    pub created_at: i64,
    /// When it is next due (meaningful while `Pending`), seconds since the epoch.
    pub next_attempt_at: i64,
    /// When it was delivered, seconds since the epoch.
    pub delivered_at: Option<i64>,
    /// The last HTTP status seen.
    pub last_status: Option<u16>,
    /// The last error; for a failed item, why it failed.
    pub last_error: Option<String>,
    /// The history entry a report cites.
    pub history_id: Option<i64>,
    /// The barred number (`Bar` / `Unbar`), or `anonymous`.
    pub target: Option<String>,
    /// The user block rule a barring follows.
    pub rule_id: Option<i64>,
}

/// What one delivery pass did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Record)]
pub struct DeliverySummary {
    /// Items attempted.
    pub attempted: u32,
    /// Delivered (2xx).
    pub delivered: u32,
    /// Back to pending, to be retried by a later pass.
    pub retrying: u32,
    /// Failed for good.
    pub failed: u32,
}

/// The HTTP method of a Ut request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum UtMethod {
    /// `GET`: read an XCAP document or element.
    Get,
    /// `PUT`: create or replace an XCAP element.
    Put,
    /// `POST`: submit a report.
    Post,
    /// `DELETE`: remove an XCAP element.
    Delete,
}

/// One HTTP header.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct UtHeader {
    /// Its name (`Idempotency-Key`, `Content-Type`, `ETag`, ...).
    pub name: String,
    /// Its value.
    pub value: String,
}

/// One request over Ut, built by callscreen; the transport sends it as is.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct UtRequest {
    /// The method.
    pub method: UtMethod,
    /// The path below the app's Ut (XCAP) root, without a leading `/`, already
    /// percent-encoded, e.g. `callscreen/reports`.
    pub path: String,
    /// Headers to send, in order (`Content-Type`, `Idempotency-Key`,
    /// `If-Match`, `X-3GPP-Intended-Identity`, ...).
    pub headers: Vec<UtHeader>,
    /// The body (empty for GET and DELETE).
    pub body: Vec<u8>,
}

/// The server's answer, whatever its status.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct UtResponse {
    /// The HTTP status code.
    pub status: u16,
    /// Response headers (`ETag`, `Content-Type`, `Retry-After`, ...).
    #[uniffi(default = [])]
    pub headers: Vec<UtHeader>,
    /// The body.
    pub body: Vec<u8>,
}

/// Why the transport got no HTTP response. Every kind is retried by a later
/// pass. Kotlin names it `UtTransportException`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, uniffi::Error)]
pub enum UtTransportError {
    /// No answer in time.
    #[error("timeout: {reason}")]
    Timeout {
        /// What the transport saw.
        reason: String,
    },
    /// The server could not be reached (offline, DNS, connection refused, TLS).
    #[error("unreachable: {reason}")]
    Unreachable {
        /// What the transport saw.
        reason: String,
    },
    /// Anything else; also any other exception the transport throws.
    #[error("{reason}")]
    Other {
        /// What the transport saw.
        reason: String,
    },
}

/// Any other exception thrown by the app's transport becomes `Other`, never a
/// panic. Its reason holds the whole foreign stack trace, which would end up in
/// the item's `last_error`: only its first line is kept, cut short.
impl From<uniffi::UnexpectedUniFFICallbackError> for UtTransportError {
    fn from(e: uniffi::UnexpectedUniFFICallbackError) -> Self {
        UtTransportError::Other {
            reason: format!(
                "the app's transport threw: {}",
                short(e.reason.lines().next().unwrap_or(""))
            ),
        }
    }
}

/// The app's Ut client: sends one request and returns the server's answer.
/// Called from the thread that runs `deliver_outbox`, never while a call is
/// being screened, with no database lock held; it may block on the network.
#[uniffi::export(foreign)]
pub trait UtTransport: Send + Sync {
    /// Send `request` to the Ut root + `request.path` and return the response,
    /// whatever its status (a 503 is a response, not an error).
    ///
    /// # Errors
    /// `UtTransportError` when no HTTP response arrived; the item is retried
    /// later. Any other exception is treated as `Other`.
    fn send(&self, request: UtRequest) -> Result<UtResponse, UtTransportError>;
}

/// The app's transport, seen by the core.
struct ForeignTransport(Arc<dyn UtTransport>);

impl CoreTransport for ForeignTransport {
    fn send(&self, request: CoreUtRequest) -> Result<CoreUtResponse, CoreTransportError> {
        match catch_unwind(AssertUnwindSafe(|| self.0.send(request.into()))) {
            Ok(Ok(r)) => Ok(r.into()),
            Ok(Err(e)) => Err(e.into()),
            Err(_) => Err(CoreTransportError::Other {
                reason: "the app's transport panicked".into(),
            }),
        }
    }
}

/// At most 200 characters, without control characters.
fn short(s: &str) -> String {
    s.chars().filter(|c| !c.is_control()).take(200).collect()
}

#[uniffi::export]
impl CallScreener {
    /// Queue a report the user asked for; returns its id (also its
    /// `Idempotency-Key`). It is stored durably before this returns. A withheld
    /// caller's number is never included.
    ///
    /// # Errors
    /// `InvalidInput` for an unknown entry, a number that is not one, or
    /// neither an entry nor a number; `Storage`; `Closed` after `shutdown`.
    pub fn report(&self, request: ReportRequest) -> Result<String, CallScreenError> {
        self.with(|s| Ok(s.report(request.into())?))
    }

    /// The stored report document (XML, `docs/report-schema.md`) of an outbox
    /// item; `null` when there is no such item. Empty for barring items.
    ///
    /// # Errors
    /// `Storage` when the read fails; `Closed` after `shutdown`.
    pub fn report_body(&self, id: String) -> Result<Option<Vec<u8>>, CallScreenError> {
        self.with(|s| Ok(s.report_body(&id)?))
    }

    /// When `deliver_outbox` next has work, seconds since the epoch: the
    /// earliest a pending item is due, or a claimed one's lease runs out; `null`
    /// when nothing waits. Schedule background delivery (WorkManager,
    /// BGProcessingTask) for then.
    ///
    /// # Errors
    /// `Storage` when the read fails; `Closed` after `shutdown`.
    pub fn outbox_next_due(&self) -> Result<Option<i64>, CallScreenError> {
        self.with(|s| Ok(s.outbox_next_due()?))
    }

    /// Every outbox item, oldest first.
    ///
    /// # Errors
    /// `Storage` when the read fails; `Closed` after `shutdown`.
    pub fn outbox(&self) -> Result<Vec<OutboxItem>, CallScreenError> {
        self.with(|s| Ok(s.outbox()?.into_iter().map(Into::into).collect()))
    }

    /// Put a failed item back in the queue, due now, with a fresh allowance of
    /// attempts; `false` when no failed item has that id.
    ///
    /// # Errors
    /// `Storage` when the write fails; `Closed` after `shutdown`.
    pub fn retry_report(&self, id: String) -> Result<bool, CallScreenError> {
        self.with(|s| Ok(s.retry_report(&id)?))
    }

    /// One delivery pass: every item due now is attempted once, oldest first,
    /// through `transport`. Items that fail temporarily go back to `Pending`
    /// with a backoff; call again later (the next due time is in `outbox()`).
    /// Blocks while the transport works: call it off the main thread.
    /// `shutdown` waits for a pass in progress.
    ///
    /// # Errors
    /// `Storage` when the database fails (transport failures are outcomes,
    /// recorded on the items); `Closed` after `shutdown`.
    pub fn deliver_outbox(
        &self,
        transport: Arc<dyn UtTransport>,
    ) -> Result<DeliverySummary, CallScreenError> {
        let transport = ForeignTransport(transport);
        self.with(|s| Ok(s.deliver_outbox(&transport)?.into()))
    }

    /// The subscriber's public identity on Ut: the stored one, else `tel:` and
    /// the first own number; `null` without either.
    ///
    /// # Errors
    /// `Storage` when the read fails; `Closed` after `shutdown`.
    pub fn ut_identity(&self) -> Result<Option<String>, CallScreenError> {
        self.with(|s| Ok(s.ut_identity()?))
    }

    /// Store the subscriber's public identity on Ut (`tel:+1...` or `sip:...`),
    /// the XCAP user of network barring.
    ///
    /// # Errors
    /// `InvalidInput` for an identity that is not a tel or sip URI; `Storage`;
    /// `Closed` after `shutdown`.
    pub fn set_ut_identity(&self, identity: String) -> Result<(), CallScreenError> {
        self.with(|s| Ok(s.set_ut_identity(&identity)?))
    }

    /// Queue network-side barring for the user's unconditional blocks (the
    /// default) or not.
    ///
    /// # Errors
    /// `Storage` when the write fails; `Closed` after `shutdown`.
    pub fn set_network_barring(&self, enabled: bool) -> Result<(), CallScreenError> {
        self.with(|s| Ok(s.set_network_barring(enabled)?))
    }
}

// ---- conversions -------------------------------------------------------------

impl From<ReportKind> for CoreKind {
    fn from(k: ReportKind) -> Self {
        match k {
            ReportKind::Spoofed => CoreKind::Spoofed,
            ReportKind::Unsolicited => CoreKind::Unsolicited,
            ReportKind::NotSpoofed => CoreKind::NotSpoofed,
            ReportKind::RatingRequest => CoreKind::RatingRequest,
            ReportKind::Challenge => CoreKind::Challenge,
        }
    }
}

impl From<CoreKind> for ReportKind {
    fn from(k: CoreKind) -> Self {
        match k {
            CoreKind::Spoofed => ReportKind::Spoofed,
            CoreKind::Unsolicited => ReportKind::Unsolicited,
            CoreKind::NotSpoofed => ReportKind::NotSpoofed,
            CoreKind::RatingRequest => ReportKind::RatingRequest,
            CoreKind::Challenge => ReportKind::Challenge,
        }
    }
}

impl From<ReportWhen> for CoreWhen {
    fn from(w: ReportWhen) -> Self {
        match w {
            ReportWhen::BeforeAnswer => CoreWhen::BeforeAnswer,
            ReportWhen::During => CoreWhen::During,
            ReportWhen::After => CoreWhen::After,
        }
    }
}

impl From<ReportRequest> for CoreRequest {
    fn from(r: ReportRequest) -> Self {
        CoreRequest {
            kind: r.kind.into(),
            history_id: r.history_id,
            number: r.number,
            call_time: r.call_time,
            when: r.when.into(),
            category: r.category,
            comment: r.comment,
        }
    }
}

impl From<CoreState> for OutboxState {
    fn from(s: CoreState) -> Self {
        match s {
            CoreState::Pending => OutboxState::Pending,
            CoreState::Sending => OutboxState::Sending,
            CoreState::Delivered => OutboxState::Delivered,
            CoreState::Failed => OutboxState::Failed,
        }
    }
}

impl From<CoreOp> for OutboxOp {
    fn from(o: CoreOp) -> Self {
        match o {
            CoreOp::Report => OutboxOp::Report,
            CoreOp::Bar => OutboxOp::Bar,
            CoreOp::Unbar => OutboxOp::Unbar,
        }
    }
}

impl From<CoreItem> for OutboxItem {
    fn from(i: CoreItem) -> Self {
        OutboxItem {
            id: i.id,
            kind: i.kind,
            op: i.op.into(),
            state: i.state.into(),
            attempts: i.attempts,
            created_at: i.created_at,
            next_attempt_at: i.next_attempt_at,
            delivered_at: i.delivered_at,
            last_status: i.last_status,
            last_error: i.last_error,
            history_id: i.history_id,
            target: i.target,
            rule_id: i.rule_id,
        }
    }
}

impl From<CoreSummary> for DeliverySummary {
    fn from(s: CoreSummary) -> Self {
        DeliverySummary {
            attempted: s.attempted,
            delivered: s.delivered,
            retrying: s.retrying,
            failed: s.failed,
        }
    }
}

impl From<CoreMethod> for UtMethod {
    fn from(m: CoreMethod) -> Self {
        match m {
            CoreMethod::Get => UtMethod::Get,
            CoreMethod::Put => UtMethod::Put,
            CoreMethod::Post => UtMethod::Post,
            CoreMethod::Delete => UtMethod::Delete,
        }
    }
}

fn headers_out(h: Vec<(String, String)>) -> Vec<UtHeader> {
    h.into_iter()
        .map(|(name, value)| UtHeader { name, value })
        .collect()
}

impl From<CoreUtRequest> for UtRequest {
    fn from(r: CoreUtRequest) -> Self {
        UtRequest {
            method: r.method.into(),
            path: r.path,
            headers: headers_out(r.headers),
            body: r.body,
        }
    }
}

impl From<UtResponse> for CoreUtResponse {
    fn from(r: UtResponse) -> Self {
        CoreUtResponse {
            status: r.status,
            headers: r.headers.into_iter().map(|h| (h.name, h.value)).collect(),
            body: r.body,
        }
    }
}

impl From<UtTransportError> for CoreTransportError {
    fn from(e: UtTransportError) -> Self {
        match e {
            UtTransportError::Timeout { reason } => CoreTransportError::Timeout {
                reason: short(&reason),
            },
            UtTransportError::Unreachable { reason } => CoreTransportError::Unreachable {
                reason: short(&reason),
            },
            UtTransportError::Other { reason } => CoreTransportError::Other {
                reason: short(&reason),
            },
        }
    }
}
