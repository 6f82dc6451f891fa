//! One delivery attempt: the requests an outbox item needs and how each answer
//! is read. No database here — the caller claims the item, calls [`attempt`]
//! with no lock held, and records the [`Outcome`].
//!
//! - A report is POSTed to `callscreen/reports` with `Idempotency-Key` (the
//!   report's id); 2xx delivers it.
//! - A block GETs the simservs document (ETag, capability), then PUTs the ICB
//!   rule with `If-Match`; 412 (the document changed) re-reads and retries, up
//!   to [`MAX_PRECONDITION_RETRIES`] times in one attempt; 409 fails for good
//!   with the server's reason. An unblock DELETEs the rule the same way (404:
//!   already gone, delivered).
//! - 408, 425, 429, 5xx, 401/403 (credentials may be fixed) and transport
//!   errors are retried later; any other 4xx fails for good.

use super::document::CONTENT_TYPE;
use super::outbox::{Claimed, OutboxOp, Outcome};
use super::transport::{UtMethod, UtRequest, UtResponse, UtTransport};
use super::xcap::{self, BarTarget};

/// Path of the report endpoint below the Ut root.
pub const REPORTS_PATH: &str = "callscreen/reports";
/// Re-reads after 412 within one attempt.
pub const MAX_PRECONDITION_RETRIES: u32 = 3;

/// What delivery needs besides the item.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DeliveryContext {
    /// The subscriber's public identity (IMPU, `tel:+1...` or `sip:...`): the
    /// XCAP user (XUI) and the `X-3GPP-Intended-Identity` header.
    pub identity: Option<String>,
}

fn base_headers(ctx: &DeliveryContext, id: &str) -> Vec<(String, String)> {
    let mut h = vec![("Idempotency-Key".to_string(), id.to_string())];
    if let Some(i) = &ctx.identity {
        h.push((xcap::INTENDED_IDENTITY.to_string(), format!("\"{i}\"")));
    }
    h
}

fn retry_after(r: &UtResponse) -> Option<i64> {
    r.header("Retry-After")
        .and_then(|v| v.trim().parse::<i64>().ok())
        .filter(|s| *s >= 0)
}

fn body_text(r: &UtResponse) -> String {
    let t: String = String::from_utf8_lossy(&r.body)
        .chars()
        .filter(|c| !c.is_control())
        .take(200)
        .collect();
    t.trim().to_string()
}

/// How a status that is not 2xx (nor a handled 412) is read.
fn classify(r: &UtResponse, what: &str) -> Outcome {
    let s = r.status;
    match s {
        200..=299 => Outcome::Delivered { status: s },
        409 => Outcome::Permanent {
            status: Some(s),
            error: format!("{what}: conflict: {}", xcap::xcap_error_reason(&r.body)),
        },
        401 | 403 | 408 | 425 | 429 | 500..=599 => Outcome::Retry {
            status: Some(s),
            error: format!("{what}: HTTP {s}"),
            retry_after: retry_after(r),
        },
        _ => Outcome::Permanent {
            status: Some(s),
            error: match body_text(r) {
                b if b.is_empty() => format!("{what}: HTTP {s}"),
                b => format!("{what}: HTTP {s}: {b}"),
            },
        },
    }
}

fn send(t: &dyn UtTransport, req: UtRequest, what: &str) -> Result<UtResponse, Outcome> {
    t.send(req).map_err(|e| Outcome::Retry {
        status: None,
        error: format!("{what}: {e}"),
        retry_after: None,
    })
}

/// Make one delivery attempt of a claimed item.
pub fn attempt(claimed: &Claimed, ctx: &DeliveryContext, transport: &dyn UtTransport) -> Outcome {
    match claimed.item.op {
        OutboxOp::Report => deliver_report(claimed, ctx, transport),
        OutboxOp::Bar | OutboxOp::Unbar => match claimed.item.target.as_deref() {
            Some(t) => barring(claimed, ctx, transport, &BarTarget::from_stored(t)),
            None => Outcome::Permanent {
                status: None,
                error: "barring item without a number".into(),
            },
        },
    }
}

fn deliver_report(c: &Claimed, ctx: &DeliveryContext, t: &dyn UtTransport) -> Outcome {
    let mut headers = base_headers(ctx, &c.item.id);
    headers.push(("Content-Type".into(), CONTENT_TYPE.into()));
    let req = UtRequest {
        method: UtMethod::Post,
        path: REPORTS_PATH.into(),
        headers,
        body: c.body.clone(),
    };
    match send(t, req, "report") {
        Ok(r) => classify(&r, "report"),
        Err(o) => o,
    }
}

fn barring(c: &Claimed, ctx: &DeliveryContext, t: &dyn UtTransport, target: &BarTarget) -> Outcome {
    let Some(xui) = ctx.identity.as_deref() else {
        return Outcome::Permanent {
            status: None,
            error: "no subscriber identity (XUI) for XCAP".into(),
        };
    };
    let bar = c.item.op == OutboxOp::Bar;
    let what = if bar { "barring" } else { "unbarring" };
    let mut last = None;
    for _ in 0..=MAX_PRECONDITION_RETRIES {
        // Read the document: its ETag, and whether barring by identity is offered.
        let mut headers = base_headers(ctx, &c.item.id);
        headers.push(("Accept".into(), "application/simservs+xml".into()));
        let get = UtRequest {
            method: UtMethod::Get,
            path: xcap::document_path(xui),
            headers,
            body: Vec::new(),
        };
        let doc = match send(t, get, what) {
            Ok(r) if (200..300).contains(&r.status) => r,
            Ok(r) => return classify(&r, &format!("{what}: reading simservs")),
            Err(o) => return o,
        };
        if bar && !xcap::barring_capability(&doc.body).allows(target) {
            return Outcome::Permanent {
                status: Some(doc.status),
                error: "the network does not offer incoming barring by identity".into(),
            };
        }
        let mut headers = base_headers(ctx, &c.item.id);
        if let Some(etag) = doc.header("ETag") {
            headers.push(("If-Match".into(), etag.to_string()));
        }
        let req = if bar {
            headers.push(("Content-Type".into(), xcap::ELEMENT_CONTENT_TYPE.into()));
            UtRequest {
                method: UtMethod::Put,
                path: xcap::rule_path(xui, target),
                headers,
                body: xcap::rule_element(target).into_bytes(),
            }
        } else {
            UtRequest {
                method: UtMethod::Delete,
                path: xcap::rule_path(xui, target),
                headers,
                body: Vec::new(),
            }
        };
        let r = match send(t, req, what) {
            Ok(r) => r,
            Err(o) => return o,
        };
        match r.status {
            412 => {
                last = Some(r);
                continue;
            }
            404 if !bar => return Outcome::Delivered { status: 404 },
            _ => return classify(&r, what),
        }
    }
    Outcome::Retry {
        status: last.map(|r| r.status),
        error: format!("{what}: the document kept changing (412)"),
        retry_after: None,
    }
}
