//! The report outbox through the screener with a scripted `UtTransport`:
//! delivery on 2xx with the idempotency key, backoff with jitter on 5xx and
//! transport errors, permanent failures (409 with the server's reason), the
//! maximum attempts and age, manual retry, the lease of a pass that died, the
//! TS 24.611 barring rule PUT/DELETE with 412 re-read and retry, no lock held
//! across the callback, and two screeners delivering at once.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use callscreen_core::history::BlockMode;
use callscreen_core::reports::xcap::{self, BarTarget};
use callscreen_core::reports::{
    outbox, OutboxState, ReportKind, ReportRequest, RetryPolicy, TransportError, UtMethod,
    UtRequest, UtResponse, UtTransport,
};
use callscreen_core::{Clock, Screener, ScreenerConfig};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

const NOW: i64 = 1_795_348_800;
const CALLER: &str = "+12025550123";

struct TestClock(AtomicI64);
impl Clock for TestClock {
    fn now(&self) -> i64 {
        self.0.load(Ordering::Relaxed)
    }
}

type Handler = dyn Fn(&UtRequest, usize) -> Result<UtResponse, TransportError> + Send + Sync;

/// A transport answering with `handler(request, index of the request)`, and
/// keeping every request.
struct Fake {
    handler: Box<Handler>,
    log: Mutex<Vec<UtRequest>>,
}

impl Fake {
    fn new(
        h: impl Fn(&UtRequest, usize) -> Result<UtResponse, TransportError> + Send + Sync + 'static,
    ) -> Fake {
        Fake {
            handler: Box::new(h),
            log: Mutex::new(Vec::new()),
        }
    }
    fn status(s: u16) -> Fake {
        Fake::new(move |_, _| Ok(resp(s)))
    }
    fn requests(&self) -> Vec<UtRequest> {
        self.log.lock().unwrap().clone()
    }
}

impl UtTransport for Fake {
    fn send(&self, request: UtRequest) -> Result<UtResponse, TransportError> {
        let n = {
            let mut log = self.log.lock().unwrap();
            log.push(request.clone());
            log.len() - 1
        };
        (self.handler)(&request, n)
    }
}

fn resp(status: u16) -> UtResponse {
    UtResponse {
        status,
        ..UtResponse::default()
    }
}

struct Env {
    s: Screener,
    clock: Arc<TestClock>,
    path: PathBuf,
    _dir: tempfile::TempDir,
}

impl Env {
    fn at(&self, t: i64) {
        self.clock.0.store(t, Ordering::Relaxed);
    }
    fn item(&self, id: &str) -> outbox::OutboxItem {
        self.s
            .outbox()
            .unwrap()
            .into_iter()
            .find(|i| i.id == id)
            .unwrap()
    }
    fn report(&self) -> String {
        self.s
            .report(ReportRequest::on_number(ReportKind::Unsolicited, CALLER))
            .unwrap()
    }
}

fn open(path: &Path, clock: Arc<TestClock>) -> Screener {
    let config = ScreenerConfig {
        db_path: Some(path.to_path_buf()),
        own_numbers: vec!["+12155551213".into()],
        ..ScreenerConfig::default()
    };
    Screener::open(
        config,
        Arc::new(callscreen_core::identification::cert::NoSource),
        clock,
    )
    .unwrap()
}

fn env() -> Env {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(TestClock(AtomicI64::new(NOW)));
    let path = dir.path().join("db");
    Env {
        s: open(&path, clock.clone()),
        clock,
        path,
        _dir: dir,
    }
}

#[test]
fn a_report_is_posted_once_with_its_idempotency_key() {
    let e = env();
    let id = e.report();
    let other = open(&e.path, e.clock.clone());
    assert_eq!(
        other.outbox().unwrap().len(),
        1,
        "stored before report() returned"
    );

    let t = Fake::status(201);
    let sum = e.s.deliver_outbox(&t).unwrap();
    assert_eq!((sum.attempted, sum.delivered), (1, 1));
    let reqs = t.requests();
    assert_eq!(reqs.len(), 1);
    let r = &reqs[0];
    assert_eq!(r.method, UtMethod::Post);
    assert_eq!(r.path, "callscreen/reports");
    assert_eq!(r.header("idempotency-key"), Some(id.as_str()));
    assert_eq!(
        r.header("X-3GPP-Intended-Identity"),
        Some("\"tel:+12155551213\""),
        "the own number by default"
    );
    assert_eq!(
        r.header("Content-Type"),
        Some("application/vnd.callscreen.report+xml")
    );
    assert_eq!(Some(r.body.clone()), e.s.report_body(&id).unwrap());
    let item = e.item(&id);
    assert_eq!(item.state, OutboxState::Delivered);
    assert_eq!(
        (item.attempts, item.last_status, item.delivered_at),
        (1, Some(201), Some(NOW))
    );

    assert_eq!(
        e.s.deliver_outbox(&t).unwrap().attempted,
        0,
        "delivered means done"
    );
    e.s.set_ut_identity("sip:+12155551213@ims.example.net")
        .unwrap();
    assert!(e.s.set_ut_identity("mailto:x").is_err());
    e.report();
    e.s.deliver_outbox(&t).unwrap();
    assert_eq!(
        t.requests()[1].header("X-3GPP-Intended-Identity"),
        Some("\"sip:+12155551213@ims.example.net\"")
    );
}

#[test]
fn temporary_failures_back_off_with_jitter_until_a_2xx() {
    let e = env();
    assert_eq!(e.s.outbox_next_due().unwrap(), None, "nothing waits");
    let id = e.report();
    assert_eq!(e.s.outbox_next_due().unwrap(), Some(NOW), "due at once");
    let t = Fake::new(|_, n| match n {
        0 => Ok(resp(503)),
        1 => Err(TransportError::Timeout {
            reason: "no answer in 10 s".into(),
        }),
        2 => Ok(UtResponse {
            status: 429,
            headers: vec![("Retry-After".into(), "3600".into())],
            body: vec![],
        }),
        _ => Ok(resp(200)),
    });
    let sum = e.s.deliver_outbox(&t).unwrap();
    assert_eq!((sum.attempted, sum.retrying), (1, 1));
    let item = e.item(&id);
    assert_eq!(
        (item.state, item.attempts, item.last_status),
        (OutboxState::Pending, 1, Some(503))
    );
    assert!(
        (NOW + 15..=NOW + 30).contains(&item.next_attempt_at),
        "{}",
        item.next_attempt_at - NOW
    );
    assert_eq!(e.s.deliver_outbox(&t).unwrap().attempted, 0, "not due yet");
    assert_eq!(e.s.outbox_next_due().unwrap(), Some(item.next_attempt_at));

    e.at(item.next_attempt_at);
    e.s.deliver_outbox(&t).unwrap();
    let item2 = e.item(&id);
    assert_eq!(item2.attempts, 2);
    assert!(
        item2.last_error.as_deref().unwrap().contains("timeout"),
        "{:?}",
        item2.last_error
    );
    let d = item2.next_attempt_at - item.next_attempt_at;
    assert!((30..=60).contains(&d), "the delay doubles: {d}");

    e.at(item2.next_attempt_at);
    e.s.deliver_outbox(&t).unwrap();
    let item3 = e.item(&id);
    assert!(
        item3.next_attempt_at >= item2.next_attempt_at + 3600,
        "Retry-After is honoured"
    );
    e.at(item3.next_attempt_at);
    assert_eq!(e.s.deliver_outbox(&t).unwrap().delivered, 1);
    assert_eq!(e.item(&id).state, OutboxState::Delivered);
    assert_eq!(
        e.s.outbox_next_due().unwrap(),
        None,
        "delivered: nothing waits"
    );
    assert_eq!(t.requests().len(), 4);
    assert!(t
        .requests()
        .iter()
        .all(|r| r.header("Idempotency-Key") == Some(id.as_str())));
}

#[test]
fn refusals_fail_for_good_and_can_be_retried_by_hand() {
    let e = env();
    let conflict = e.report();
    let bad = e.report();
    let t = Fake::new(|_, n| {
        Ok(if n == 0 {
            UtResponse {
                status: 409,
                headers: vec![],
                body: br#"<xcap-error xmlns="urn:ietf:params:xml:ns:xcap-error"><uniqueness-failure phrase="duplicate report"/></xcap-error>"#.to_vec(),
            }
        } else {
            UtResponse {
                status: 400,
                headers: vec![],
                body: b"unknown kind".to_vec(),
            }
        })
    });
    let sum = e.s.deliver_outbox(&t).unwrap();
    assert_eq!((sum.attempted, sum.failed), (2, 2));
    let c = e.item(&conflict);
    assert_eq!((c.state, c.last_status), (OutboxState::Failed, Some(409)));
    assert!(
        c.last_error
            .as_deref()
            .unwrap()
            .contains("uniqueness-failure: duplicate report"),
        "{:?}",
        c.last_error
    );
    assert!(e
        .item(&bad)
        .last_error
        .as_deref()
        .unwrap()
        .contains("unknown kind"));
    assert_eq!(
        e.s.deliver_outbox(&t).unwrap().attempted,
        0,
        "failed items stay failed"
    );

    assert!(e.s.retry_report(&conflict).unwrap());
    assert!(
        !e.s.retry_report(&conflict).unwrap(),
        "only a failed item is retried"
    );
    assert_eq!(e.item(&conflict).state, OutboxState::Pending);
    assert_eq!(e.s.deliver_outbox(&Fake::status(200)).unwrap().delivered, 1);
}

#[test]
fn an_item_fails_after_its_maximum_attempts_or_age() {
    let e = env();
    let policy = RetryPolicy {
        base_secs: 10,
        max_attempts: 3,
        ..RetryPolicy::default()
    };
    let id = e.report();
    let t = Fake::status(500);
    for _ in 0..3 {
        e.s.deliver_outbox_with(&t, &policy).unwrap();
        e.at(e.item(&id).next_attempt_at.max(e.clock.now()));
    }
    let item = e.item(&id);
    assert_eq!((item.state, item.attempts), (OutboxState::Failed, 3));
    assert!(
        item.last_error
            .as_deref()
            .unwrap()
            .starts_with("gave up after 3 attempts"),
        "{:?}",
        item.last_error
    );

    let aged = e.report();
    let policy = RetryPolicy {
        base_secs: 10,
        max_age_secs: 100,
        ..RetryPolicy::default()
    };
    let mut passes = 0;
    while e.item(&aged).state == OutboxState::Pending {
        e.s.deliver_outbox_with(&t, &policy).unwrap();
        e.at(e.item(&aged).next_attempt_at.max(e.clock.now()));
        passes += 1;
        assert!(passes < 20);
    }
    let item = e.item(&aged);
    assert_eq!(item.state, OutboxState::Failed);
    assert!(
        item.last_error.as_deref().unwrap().contains("days"),
        "{:?}",
        item.last_error
    );
    assert!(item.attempts < 10);
}

#[test]
fn an_item_left_sending_by_a_dead_pass_is_sent_again_after_its_lease() {
    let e = env();
    let id = e.report();
    // A pass claims the item and dies before recording the outcome.
    let store = callscreen_core::store::Store::open(Some(&e.path)).unwrap();
    let claimed = store
        .write(|tx| {
            callscreen_core::store::outbox::claim_next(tx, NOW, &RetryPolicy::default(), &[])
        })
        .unwrap()
        .unwrap();
    assert_eq!(claimed.item.id, id);
    assert_eq!(e.item(&id).state, OutboxState::Sending);
    assert_eq!(
        e.s.outbox_next_due().unwrap(),
        Some(NOW + RetryPolicy::default().lease_secs),
        "when the dead pass's lease runs out"
    );
    let t = Fake::status(200);
    assert_eq!(
        e.s.deliver_outbox(&t).unwrap().attempted,
        0,
        "another pass holds it"
    );
    e.at(NOW + RetryPolicy::default().lease_secs);
    assert_eq!(
        e.s.deliver_outbox(&t).unwrap().delivered,
        1,
        "at least once"
    );
    assert_eq!(e.item(&id).attempts, 2);
}

/// A tiny XCAP server for the simservs document: the ICB rules by id, an ETag
/// bumped on every change, and a 412 on the first conditional write.
struct Xcap {
    etag: u32,
    rules: Vec<String>,
    fail_first_write: bool,
    capability: bool,
}

fn xcap_handler(
    state: Arc<Mutex<Xcap>>,
) -> impl Fn(&UtRequest, usize) -> Result<UtResponse, TransportError> {
    move |r, _| {
        let mut x = state.lock().unwrap();
        let doc = xcap::document_path("tel:+12155551213");
        let etag = format!("\"e{}\"", x.etag);
        if r.method == UtMethod::Get {
            assert_eq!(r.path, doc);
            let cap = if x.capability {
                "<communication-barring-serv-cap><serv-cap-conditions><serv-cap-identity provisioned=\"true\"/></serv-cap-conditions></communication-barring-serv-cap>"
            } else {
                ""
            };
            let body = format!(
                "<?xml version=\"1.0\"?><simservs xmlns=\"{}\" xmlns:cp=\"{}\">{cap}<incoming-communication-barring active=\"true\"><cp:ruleset>{}</cp:ruleset></incoming-communication-barring></simservs>",
                xcap::NS_SS,
                xcap::NS_CP,
                x.rules.join("")
            );
            return Ok(UtResponse {
                status: 200,
                headers: vec![("ETag".into(), etag)],
                body: body.into_bytes(),
            });
        }
        assert!(r.path.starts_with(&format!(
            "{doc}/~~/simservs/incoming-communication-barring/cp:ruleset/cp:rule%5B@id=%22"
        )));
        assert_eq!(
            r.header("X-3GPP-Intended-Identity"),
            Some("\"tel:+12155551213\"")
        );
        if r.header("If-Match") != Some(etag.as_str()) || x.fail_first_write {
            x.fail_first_write = false;
            x.etag += 1; // someone else changed the document meanwhile
            return Ok(resp(412));
        }
        x.etag += 1;
        match r.method {
            UtMethod::Put => {
                assert_eq!(r.header("Content-Type"), Some(xcap::ELEMENT_CONTENT_TYPE));
                x.rules.push(String::from_utf8(r.body.clone()).unwrap());
                Ok(resp(201))
            }
            UtMethod::Delete => {
                let before = x.rules.len();
                x.rules.retain(|rule| !r.path.contains(&rule_id_of(rule)));
                Ok(resp(if x.rules.len() < before { 200 } else { 404 }))
            }
            _ => Ok(resp(405)),
        }
    }
}

fn rule_id_of(rule: &str) -> String {
    let i = rule.find(" id=\"").unwrap() + 5;
    let j = rule[i..].find('"').unwrap();
    rule[i..i + j].to_string()
}

#[test]
fn a_block_is_barred_on_the_network_with_412_retry_and_unbarred_on_unblock() {
    let e = env();
    let state = Arc::new(Mutex::new(Xcap {
        etag: 1,
        rules: vec![],
        fail_first_write: true,
        capability: true,
    }));
    let t = Fake::new(xcap_handler(state.clone()));
    let c =
        e.s.block_number(CALLER, ReportKind::Unsolicited, BlockMode::Always, false)
            .unwrap();
    let sum = e.s.deliver_outbox(&t).unwrap();
    assert_eq!(sum.delivered, 1, "{:?}", e.s.outbox().unwrap());
    let methods: Vec<UtMethod> = t.requests().iter().map(|r| r.method).collect();
    assert_eq!(
        methods,
        vec![UtMethod::Get, UtMethod::Put, UtMethod::Get, UtMethod::Put],
        "412: re-read, retry"
    );
    let reqs = t.requests();
    assert_eq!(reqs[1].header("If-Match"), Some("\"e1\""));
    assert_eq!(reqs[3].header("If-Match"), Some("\"e2\""));
    assert_eq!(
        reqs[3].path,
        xcap::rule_path("tel:+12155551213", &BarTarget::Number(CALLER.into()))
    );
    let rule = String::from_utf8(reqs[3].body.clone()).unwrap();
    assert!(
        rule.contains("<cp:one id=\"tel:+12025550123\"/>")
            && rule.contains("<ss:allow>false</ss:allow>"),
        "{rule}"
    );
    assert_eq!(state.lock().unwrap().rules.len(), 1);

    assert!(e.s.unblock(c.rule_id.unwrap()).unwrap());
    assert_eq!(e.s.deliver_outbox(&t).unwrap().delivered, 1);
    let last = t.requests().pop().unwrap();
    assert_eq!(last.method, UtMethod::Delete);
    assert!(last.header("If-Match").is_some());
    assert!(
        state.lock().unwrap().rules.is_empty(),
        "the rule is gone from the network"
    );
    let kinds: Vec<(String, OutboxState)> =
        e.s.outbox()
            .unwrap()
            .into_iter()
            .map(|i| (i.kind, i.state))
            .collect();
    assert_eq!(
        kinds,
        vec![
            ("bar".into(), OutboxState::Delivered),
            ("unbar".into(), OutboxState::Delivered)
        ]
    );
}

#[test]
fn barring_conflicts_and_missing_capability_fail_with_the_reason() {
    let e = env();
    let t = Fake::new(|r, _| {
        Ok(match r.method {
            UtMethod::Get => UtResponse {
                status: 200,
                headers: vec![("ETag".into(), "\"x\"".into())],
                body: format!(
                    "<simservs xmlns=\"{}\"><communication-barring-serv-cap><serv-cap-identity/></communication-barring-serv-cap></simservs>",
                    xcap::NS_SS
                )
                .into_bytes(),
            },
            _ => UtResponse {
                status: 409,
                headers: vec![],
                body: format!(
                    "<xcap-error xmlns=\"{}\"><constraint-failure phrase=\"at most 10 barring rules\"/></xcap-error>",
                    xcap::NS_XCAP_ERROR
                )
                .into_bytes(),
            },
        })
    });
    e.s.block_number(CALLER, ReportKind::Spoofed, BlockMode::Always, true)
        .unwrap();
    assert_eq!(e.s.deliver_outbox(&t).unwrap().failed, 1);
    let item = &e.s.outbox().unwrap()[0];
    assert_eq!(item.last_status, Some(409));
    assert!(
        item.last_error
            .as_deref()
            .unwrap()
            .contains("at most 10 barring rules"),
        "{:?}",
        item.last_error
    );

    let e = env();
    let state = Arc::new(Mutex::new(Xcap {
        etag: 1,
        rules: vec![],
        fail_first_write: false,
        capability: false,
    }));
    let t = Fake::new(xcap_handler(state));
    e.s.block_number(CALLER, ReportKind::Spoofed, BlockMode::Always, true)
        .unwrap();
    assert_eq!(e.s.deliver_outbox(&t).unwrap().failed, 1);
    assert!(e.s.outbox().unwrap()[0]
        .last_error
        .as_deref()
        .unwrap()
        .contains("does not offer"));
    assert_eq!(
        t.requests().len(),
        1,
        "nothing is written without the capability"
    );

    let e = env();
    e.s.set_network_barring(false).unwrap();
    e.s.block_number(CALLER, ReportKind::Spoofed, BlockMode::Always, true)
        .unwrap();
    assert!(e.s.outbox().unwrap().is_empty());
}

/// Calls back into the screener from inside `send`: a lock held across the
/// callback would deadlock.
struct Reentrant(Arc<Screener>);
impl UtTransport for Reentrant {
    fn send(&self, _: UtRequest) -> Result<UtResponse, TransportError> {
        let items = self.0.outbox().map_err(|e| TransportError::Other {
            reason: e.to_string(),
        })?;
        assert!(items.iter().any(|i| i.state == OutboxState::Sending));
        self.0.history(&Default::default()).unwrap();
        Ok(resp(200))
    }
}

#[test]
fn no_lock_is_held_while_the_app_sends() {
    let e = env();
    e.report();
    let s = Arc::new(open(&e.path, e.clock.clone()));
    let (tx, rx) = std::sync::mpsc::channel();
    let s2 = s.clone();
    std::thread::spawn(move || {
        let r = s2
            .deliver_outbox(&Reentrant(s2.clone()))
            .map(|s| s.delivered);
        tx.send(r.unwrap()).unwrap();
    });
    assert_eq!(
        rx.recv_timeout(Duration::from_secs(20)).expect("deadlock"),
        1
    );
}

#[test]
fn two_screeners_on_one_file_deliver_each_report_once() {
    let e = env();
    let ids: Vec<String> = (0..40).map(|_| e.report()).collect();
    let a = Arc::new(open(&e.path, e.clock.clone()));
    let b = Arc::new(open(&e.path, e.clock.clone()));
    let seen = Arc::new(Mutex::new(Vec::<String>::new()));
    let handles: Vec<_> = [a, b]
        .into_iter()
        .map(|s| {
            let seen = seen.clone();
            std::thread::spawn(move || {
                let t = Fake::new(move |r, _| {
                    seen.lock()
                        .unwrap()
                        .push(r.header("Idempotency-Key").unwrap().to_string());
                    std::thread::sleep(Duration::from_millis(1));
                    Ok(resp(200))
                });
                s.deliver_outbox(&t).unwrap().delivered
            })
        })
        .collect();
    let delivered: u32 = handles.into_iter().map(|h| h.join().unwrap()).sum();
    assert_eq!(delivered, 40);
    let mut seen = seen.lock().unwrap().clone();
    seen.sort();
    let mut want = ids.clone();
    want.sort();
    assert_eq!(seen, want, "each report sent exactly once");
}
