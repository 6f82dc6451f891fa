//! Rust-side tests of the `UtTransport` foreign-trait plumbing: a transport that
//! errs, panics or answers is an outcome recorded on the outbox item, never a
//! crash (the Python and Kotlin tests in `tests/bindings/` prove the bindings).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use callscreen_ffi::{
    CallScreener, OutboxState, ReportKind, ReportRequest, ReportWhen, ScreenerConfig, UtRequest,
    UtResponse, UtTransport, UtTransportError,
};
use std::sync::{Arc, Mutex};

mod common;
use common::{base_config, NOW};

fn config() -> ScreenerConfig {
    ScreenerConfig {
        trust_verstat: true,
        ..base_config()
    }
}

enum Step {
    Status(u16),
    Fail(UtTransportError),
    Panic,
}

struct Scripted(Mutex<Vec<Step>>, Mutex<Vec<UtRequest>>);

impl UtTransport for Scripted {
    fn send(&self, request: UtRequest) -> Result<UtResponse, UtTransportError> {
        self.1.lock().unwrap().push(request);
        match self.0.lock().unwrap().remove(0) {
            Step::Status(status) => Ok(UtResponse {
                status,
                headers: vec![],
                body: vec![],
            }),
            Step::Fail(e) => Err(e),
            Step::Panic => panic!("transport bug"),
        }
    }
}

fn report(s: &CallScreener) -> String {
    s.report(ReportRequest {
        kind: ReportKind::Unsolicited,
        history_id: None,
        number: Some("+12155551212".into()),
        call_time: None,
        when: ReportWhen::After,
        category: None,
        comment: None,
    })
    .unwrap()
}

#[test]
fn a_transport_error_is_retried_and_sanitised() {
    let s = CallScreener::open_at_time(config(), None, NOW).unwrap();
    let id = report(&s);
    let t = Arc::new(Scripted(
        Mutex::new(vec![Step::Fail(UtTransportError::Timeout {
            reason: "slow\nsecond line".into(),
        })]),
        Mutex::new(vec![]),
    ));
    let summary = s.deliver_outbox(t.clone()).unwrap();
    assert_eq!((summary.attempted, summary.retrying), (1, 1));
    let item = &s.outbox().unwrap()[0];
    assert_eq!(item.state, OutboxState::Pending);
    let err = item.last_error.clone().unwrap();
    assert!(err.contains("timeout") && !err.contains('\n'), "{err}");
    let requests = t.1.lock().unwrap();
    assert!(requests[0]
        .headers
        .iter()
        .any(|h| h.name == "Idempotency-Key" && h.value == id));
}

#[test]
fn a_panicking_transport_is_a_transport_error() {
    let s = CallScreener::open_at_time(config(), None, NOW).unwrap();
    report(&s);
    let t = Arc::new(Scripted(Mutex::new(vec![Step::Panic]), Mutex::new(vec![])));
    let summary = s.deliver_outbox(t).unwrap();
    assert_eq!((summary.attempted, summary.retrying), (1, 1));
    let item = &s.outbox().unwrap()[0];
    assert_eq!(
        item.last_error.as_deref(),
        Some("report: the app's transport panicked")
    );
}

#[test]
fn delivered_on_2xx() {
    let s = CallScreener::open_at_time(config(), None, NOW).unwrap();
    report(&s);
    let t = Arc::new(Scripted(
        Mutex::new(vec![Step::Status(202)]),
        Mutex::new(vec![]),
    ));
    assert_eq!(s.deliver_outbox(t).unwrap().delivered, 1);
    assert_eq!(s.outbox().unwrap()[0].state, OutboxState::Delivered);
}
