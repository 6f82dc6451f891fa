//! Spoofed-call history through the screener: what is recorded (and what never
//! is), review, delete with secure_delete, the notice count, retention, the
//! corrections ("not spoofed", "spoofed" with "block unless verified"),
//! repeat-caller counts, and screening threads racing a reviewer.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use callscreen_core::history::{BlockMode, HistoryFilter, HistoryMode, NotSpoofedScope};
use callscreen_core::intake::call::{
    IncomingCall, PlatformPresentation, PlatformVerificationStatus,
};
use callscreen_core::marking::lists::{Effect, NewRule, RuleKind, RuleSource, VerificationClass};
use callscreen_core::reaction::policy::Action;
use callscreen_core::reason::ReasonCode;
use callscreen_core::reports::{OutboxState, ReportKind, ReportRequest};
use callscreen_core::{Clock, Screener, ScreenerConfig, Verdict};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

const NOW: i64 = common::FIXTURE_NOW;
const DAY: i64 = 86_400;
const CALLER: &str = "+12025550123";

struct TestClock(AtomicI64);
impl Clock for TestClock {
    fn now(&self) -> i64 {
        self.0.load(Ordering::Relaxed)
    }
}

struct Env {
    screener: Screener,
    clock: Arc<TestClock>,
    path: PathBuf,
    _dir: tempfile::TempDir,
}

impl Env {
    fn at(&self, t: i64) {
        self.clock.0.store(t, Ordering::Relaxed);
    }
    fn reopen(&self) -> Screener {
        open(&self.path, self.clock.clone())
    }
}

fn open(path: &Path, clock: Arc<TestClock>) -> Screener {
    let config = ScreenerConfig {
        db_path: Some(path.to_path_buf()),
        own_numbers: vec!["+12155551213".into()],
        default_region: Some("US".into()),
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
        screener: open(&path, clock.clone()),
        clock,
        path,
        _dir: dir,
    }
}

fn platform(number: &str, status: PlatformVerificationStatus) -> IncomingCall {
    IncomingCall::from_platform(Some(number.into()), PlatformPresentation::Allowed, status)
}

/// Clean: not verified, nothing against it; allowed, not flagged.
fn clean(number: &str) -> IncomingCall {
    platform(number, PlatformVerificationStatus::NotVerified)
}

/// Flagged: the platform says verification failed.
fn failed(number: &str) -> IncomingCall {
    platform(number, PlatformVerificationStatus::Failed)
}

fn verified(number: &str) -> IncomingCall {
    platform(number, PlatformVerificationStatus::Passed)
}

fn codes(v: &Verdict) -> Vec<ReasonCode> {
    v.reasons.iter().map(|r| r.code).collect()
}

fn all(s: &Screener) -> Vec<callscreen_core::history::HistoryEntry> {
    s.history(&HistoryFilter::default()).unwrap()
}

fn file_contains(path: &Path, needle: &str) -> bool {
    let mut names = vec![path.to_path_buf()];
    for suffix in ["-wal", "-journal"] {
        let mut p = path.as_os_str().to_owned();
        p.push(suffix);
        names.push(PathBuf::from(p));
    }
    names
        .iter()
        .filter_map(|p| std::fs::read(p).ok())
        .any(|bytes| bytes.windows(needle.len()).any(|w| w == needle.as_bytes()))
}

#[test]
fn flagged_calls_are_recorded_by_default_and_the_mode_is_kept() {
    let e = env();
    let s = &e.screener;
    assert_eq!(s.history_mode(), HistoryMode::Flagged);
    let v = s.screen(&clean(CALLER)).unwrap();
    assert_eq!(v.action, Action::Allow);
    assert!(all(s).is_empty(), "a clean call is not recorded by default");

    let v = s.screen(&failed(CALLER)).unwrap();
    let h = all(s);
    assert_eq!(h.len(), 1);
    let entry = &h[0].entry;
    assert_eq!(entry.time, NOW);
    assert_eq!(entry.calling.as_deref(), Some(CALLER));
    assert_eq!(entry.indication, v.indication);
    assert_eq!(entry.action, v.action);
    assert_eq!(entry.score, v.score);
    assert_eq!(entry.verification.status.as_str(), "failed");
    assert_eq!(
        entry.verification.source.map(|s| s.as_str()),
        Some("platform")
    );
    assert_eq!(entry.reasons.len(), v.reasons.len());
    assert!(entry
        .reasons
        .iter()
        .any(|r| r.code.as_str() == "platform_failed"));
    assert!(!h[0].reviewed);

    // A blocked call is flagged too, and names the rule that matched.
    let rule = s
        .add_rule(NewRule::user(
            RuleKind::Number("+12025550777".into()),
            Effect::Block,
        ))
        .unwrap();
    s.screen(&clean("+12025550777")).unwrap();
    let h = all(s);
    assert_eq!(h[0].entry.rules, vec![rule]);
    assert_eq!(h[0].entry.action.as_str(), "reject");

    s.set_history_mode(HistoryMode::All).unwrap();
    s.screen(&clean(CALLER)).unwrap();
    assert_eq!(all(s).len(), 3);
    let again = e.reopen();
    assert_eq!(again.history_mode(), HistoryMode::All, "the mode is stored");
    again.set_history_mode(HistoryMode::Off).unwrap();
    again.screen(&failed(CALLER)).unwrap();
    assert_eq!(all(&again).len(), 3);
}

#[test]
fn a_withheld_number_is_never_stored() {
    let e = env();
    let s = &e.screener;
    s.set_history_mode(HistoryMode::All).unwrap();
    // The platform hands over the number although the caller withheld it.
    let call = IncomingCall::from_platform(
        Some("+12025550999".into()),
        PlatformPresentation::Restricted,
        PlatformVerificationStatus::Failed,
    );
    s.screen(&call).unwrap();
    // SIP: Privacy: id with the number in P-Asserted-Identity.
    let invite = "INVITE sip:+12155551213@ims.example.net;user=phone SIP/2.0\r\n\
        Via: SIP/2.0/UDP 192.0.2.10;branch=z9hG4bK-w\r\nMax-Forwards: 70\r\n\
        From: <sip:anonymous@anonymous.invalid>;tag=1\r\n\
        To: <sip:+12155551213@ims.example.net;user=phone>\r\nCall-ID: withheld-1@test\r\nCSeq: 1 INVITE\r\n\
        P-Asserted-Identity: <sip:+12025550998@carrier.example.com;user=phone>\r\n\
        Privacy: id\r\nContent-Length: 0\r\n\r\n";
    s.screen_sip(invite.as_bytes()).unwrap();
    let h = all(s);
    assert_eq!(h.len(), 2);
    for entry in &h {
        assert_eq!(entry.entry.presentation.as_str(), "withheld");
        assert_eq!(entry.entry.calling, None);
    }
    assert_eq!(h[0].entry.call_id.as_deref(), Some("withheld-1@test"));
    for digits in ["12025550999", "12025550998"] {
        assert!(
            !file_contains(&e.path, digits),
            "{digits} is in the database file"
        );
    }
    // And it cannot be excepted or blocked by number.
    let id = all(s)[0].id;
    assert!(s.correct_not_spoofed(id, NotSpoofedScope::Number).is_err());
    assert!(s
        .correct_unwanted(id, ReportKind::Spoofed, BlockMode::Default)
        .is_err());
    // But it can be reported: the report cites the call, not the number.
    let rid = s
        .report(ReportRequest::on_entry(ReportKind::Spoofed, id))
        .unwrap();
    let body = String::from_utf8(s.report_body(&rid).unwrap().unwrap()).unwrap();
    assert!(
        body.contains("<call-id>withheld-1@test</call-id>"),
        "{body}"
    );
    assert!(
        !body.contains("<calling>") && !body.contains("12025550998"),
        "{body}"
    );
}

#[test]
fn list_filters_review_and_notice() {
    let e = env();
    let s = &e.screener;
    s.set_history_mode(HistoryMode::All).unwrap();
    for i in 0..4 {
        e.at(NOW + i * 60);
        s.screen(&failed(&format!("+1202555010{i}"))).unwrap();
    }
    e.at(NOW + 300);
    s.screen(&clean(CALLER)).unwrap();
    assert_eq!(all(s).len(), 5);
    assert_eq!(
        s.history_notice_count().unwrap(),
        4,
        "only spoofed or blocked calls make the notice"
    );

    let since = |t: i64| HistoryFilter {
        since: Some(t),
        ..HistoryFilter::default()
    };
    assert_eq!(s.history(&since(NOW + 120)).unwrap().len(), 3);
    let window = HistoryFilter {
        since: Some(NOW + 60),
        until: Some(NOW + 180),
        ..HistoryFilter::default()
    };
    let w = s.history(&window).unwrap();
    assert_eq!(
        w.iter().map(|h| h.entry.time).collect::<Vec<_>>(),
        vec![NOW + 120, NOW + 60],
        "newest first"
    );
    let by_ind = HistoryFilter {
        indications: vec![callscreen_core::Indication::Unverified],
        ..HistoryFilter::default()
    };
    assert_eq!(s.history(&by_ind).unwrap().len(), 1);
    let flagged = HistoryFilter {
        flagged_only: true,
        ..HistoryFilter::default()
    };
    let f = s.history(&flagged).unwrap();
    assert_eq!(f.len(), 4, "the notice's calls, not the one that rang");
    assert!(f.iter().all(|h| h.entry.flagged()));
    assert_eq!(
        s.history(&HistoryFilter {
            limit: Some(2),
            ..HistoryFilter::default()
        })
        .unwrap()
        .len(),
        2
    );

    let ids: Vec<i64> = all(s).iter().map(|h| h.id).take(2).collect();
    assert_eq!(s.mark_reviewed(&ids).unwrap(), 2);
    assert_eq!(s.mark_reviewed(&[9999]).unwrap(), 0);
    let unreviewed = HistoryFilter {
        unreviewed_only: true,
        ..HistoryFilter::default()
    };
    assert_eq!(s.history(&unreviewed).unwrap().len(), 3);
    assert!(s.history_entry(ids[0]).unwrap().unwrap().reviewed);
    assert_eq!(
        s.history_notice_count().unwrap(),
        3,
        "a reviewed call leaves the notice"
    );

    // The user opens the history: nothing new since.
    s.history_seen().unwrap();
    assert_eq!(s.history_notice_count().unwrap(), 0);
    e.at(NOW + 400);
    s.screen(&failed(CALLER)).unwrap();
    assert_eq!(
        s.history_notice_count().unwrap(),
        1,
        "there was spoofed-call activity"
    );
}

#[test]
fn deleted_calls_are_gone_from_the_file() {
    let e = env();
    let s = &e.screener;
    for (i, id) in [
        "secret-one@x",
        "secret-two@x",
        "secret-three@x",
        "keep-me@x",
    ]
    .iter()
    .enumerate()
    {
        let call = IncomingCall {
            call_id: Some(id.to_string()),
            ..failed(&format!("+1202555020{i}"))
        };
        s.screen(&call).unwrap();
    }
    let h = all(s);
    let by_call = |c: &str| {
        h.iter()
            .find(|e| e.entry.call_id.as_deref() == Some(c))
            .unwrap()
            .id
    };
    assert_eq!(s.delete_history(&[by_call("secret-one@x")]).unwrap(), 1);
    assert_eq!(
        s.delete_history(&[by_call("secret-two@x"), by_call("secret-three@x"), 12345])
            .unwrap(),
        2
    );
    assert_eq!(all(s).len(), 1);
    for gone in [
        "secret-one@x",
        "secret-two@x",
        "secret-three@x",
        "12025550200",
    ] {
        assert!(!file_contains(&e.path, gone), "{gone} is still in the file");
    }
    assert!(file_contains(&e.path, "keep-me@x"), "the check can fail");
    assert_eq!(s.clear_history().unwrap(), 1);
    assert!(all(s).is_empty());
    assert!(!file_contains(&e.path, "keep-me@x"));
}

#[test]
fn retention_purges_old_calls_at_open_and_while_recording() {
    let e = env();
    let s = &e.screener;
    s.screen(&failed("+12025550301")).unwrap();
    e.at(NOW + 10 * DAY);
    s.screen(&failed("+12025550302")).unwrap();
    assert_eq!(all(s).len(), 2);

    // 31 days on, a new call purges the first (older than 30 days).
    e.at(NOW + 31 * DAY);
    s.screen(&failed("+12025550303")).unwrap();
    let left: Vec<_> = all(s)
        .iter()
        .map(|h| h.entry.calling.clone().unwrap())
        .collect();
    assert_eq!(left, vec!["+12025550303", "+12025550302"]);

    // Opening the database 41 days on purges the second.
    e.at(NOW + 41 * DAY);
    let again = e.reopen();
    assert_eq!(all(&again).len(), 1);

    // A shorter retention purges at once.
    e.at(NOW + 41 * DAY + 2 * DAY);
    again.set_history_retention_days(1).unwrap();
    assert!(all(&again).is_empty());
    assert!(again.set_history_retention_days(0).is_err());
}

#[test]
fn not_spoofed_becomes_a_feedback_exception_for_the_number_or_its_country() {
    let e = env();
    let s = &e.screener;
    s.add_rule(NewRule::user(
        RuleKind::Verification(VerificationClass::Failed),
        Effect::Block,
    ))
    .unwrap();
    let v = s.screen(&failed(CALLER)).unwrap();
    assert_eq!(v.action, Action::Reject);
    let id = all(s)[0].id;

    let c = s.correct_not_spoofed(id, NotSpoofedScope::Number).unwrap();
    let rule = s
        .rules()
        .unwrap()
        .into_iter()
        .find(|r| Some(r.id) == c.rule_id)
        .unwrap();
    assert_eq!(rule.rule.kind, RuleKind::Number(CALLER.into()));
    assert_eq!(rule.rule.effect, Effect::Exception);
    assert_eq!(rule.rule.source, RuleSource::Feedback);
    assert!(s.history_entry(id).unwrap().unwrap().reviewed);
    // The correction offers a report; nothing is queued until asked.
    assert_eq!(c.offer.kind, ReportKind::NotSpoofed);
    assert_eq!(c.offer.history_id, Some(id));
    assert!(s.outbox().unwrap().is_empty());

    let v = s.screen(&failed(CALLER)).unwrap();
    assert_eq!(v.action, Action::Allow);
    assert!(codes(&v).contains(&ReasonCode::FeedbackException));
    assert_eq!(
        v.verification.status.as_str(),
        "failed",
        "an exception does not change verification"
    );

    // Country scope: a French caller's calls all ring.
    s.screen(&failed("+33612345678")).unwrap();
    let fr = all(s)
        .into_iter()
        .find(|h| h.entry.calling.as_deref() == Some("+33612345678"))
        .unwrap();
    let c = s
        .correct_not_spoofed(fr.id, NotSpoofedScope::Country)
        .unwrap();
    let rule = s
        .rules()
        .unwrap()
        .into_iter()
        .find(|r| Some(r.id) == c.rule_id)
        .unwrap();
    assert_eq!(rule.rule.kind, RuleKind::Country("FR".into()));
    assert_eq!(
        s.screen(&failed("+33698765432")).unwrap().action,
        Action::Allow
    );
    assert!(s
        .correct_not_spoofed(424242, NotSpoofedScope::Number)
        .is_err());
}

#[test]
fn spoofed_blocks_unless_verified_so_the_real_owner_still_rings() {
    let e = env();
    let s = &e.screener;
    s.screen(&failed(CALLER)).unwrap();
    let id = all(s)[0].id;
    let c = s
        .correct_unwanted(id, ReportKind::Spoofed, BlockMode::Default)
        .unwrap();
    assert_eq!(
        c.block,
        BlockMode::UnlessVerified,
        "an unverified call may have been spoofed"
    );
    let rule = c.rule_id.unwrap();
    assert!(s.is_unless_verified(rule).unwrap());
    assert_eq!(c.offer.kind, ReportKind::Spoofed);
    assert!(
        s.outbox().unwrap().is_empty(),
        "no network barring for a conditional block, no report unasked"
    );

    let v = s.screen(&clean(CALLER)).unwrap();
    assert_eq!(
        v.action,
        Action::Reject,
        "unverified calls from the number are blocked"
    );
    assert!(codes(&v).contains(&ReasonCode::UserBlock));
    let v = s.screen(&verified(CALLER)).unwrap();
    assert_eq!(
        v.action,
        Action::Allow,
        "a verified call from the real owner rings"
    );
    assert!(!codes(&v).contains(&ReasonCode::UserBlock));
    assert!(
        v.reasons
            .iter()
            .any(|r| r.detail.contains("unless verified")),
        "{:?}",
        v.reasons
    );

    // After a verified call, "default" blocks always: the number is not spoofed.
    s.set_history_mode(HistoryMode::All).unwrap();
    s.screen(&verified("+12025550444")).unwrap();
    let other = all(s)
        .into_iter()
        .find(|h| h.entry.calling.as_deref() == Some("+12025550444"))
        .unwrap();
    let c = s
        .correct_unwanted(other.id, ReportKind::Unsolicited, BlockMode::Default)
        .unwrap();
    assert_eq!(c.block, BlockMode::Always);
    assert_eq!(
        s.screen(&verified("+12025550444")).unwrap().action,
        Action::Reject
    );
    let items = s.outbox().unwrap();
    assert_eq!(
        items.len(),
        1,
        "an unconditional block is barred on the network too"
    );
    assert_eq!(items[0].kind, "bar");
    assert_eq!(items[0].target.as_deref(), Some("+12025550444"));

    // Explicit modes, on a number before answering; and no block at all.
    let c = s
        .block_number(
            "(202) 555-0555",
            ReportKind::Spoofed,
            BlockMode::UnlessVerified,
            true,
        )
        .unwrap();
    assert_eq!(c.offer.number.as_deref(), Some("+12025550555"));
    assert_eq!(
        s.screen(&verified("+12025550555")).unwrap().action,
        Action::Allow
    );
    assert_eq!(
        s.screen(&clean("+12025550555")).unwrap().action,
        Action::Reject
    );
    let c = s
        .block_number(
            "+12025550666",
            ReportKind::Unsolicited,
            BlockMode::None,
            false,
        )
        .unwrap();
    assert_eq!(c.rule_id, None);
    assert!(s
        .block_number(
            "+12025550666",
            ReportKind::Challenge,
            BlockMode::Always,
            false
        )
        .is_err());

    // Unblocking withdraws a barring never attempted.
    assert!(s.unblock(rule).unwrap());
    assert_eq!(s.screen(&clean(CALLER)).unwrap().action, Action::Allow);
    let bar_rule = items[0].rule_id.unwrap();
    assert!(s.unblock(bar_rule).unwrap());
    assert!(
        s.outbox().unwrap().iter().all(|i| i.kind != "bar"),
        "the unsent barring is withdrawn"
    );
    assert!(!s.unblock(bar_rule).unwrap());
}

#[test]
fn reports_are_queued_only_when_asked_and_survive_reopening() {
    let e = env();
    let s = &e.screener;
    s.screen(&failed(CALLER)).unwrap();
    let id = all(s)[0].id;
    let rid = s
        .report(ReportRequest {
            category: Some("robocall\u{7}".into()),
            comment: Some("said it was my bank".into()),
            ..ReportRequest::on_entry(ReportKind::Spoofed, id)
        })
        .unwrap();
    let again = e.reopen();
    let items = again.outbox().unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0].id, rid);
    assert_eq!(items[0].state, OutboxState::Pending);
    assert_eq!(items[0].history_id, Some(id));
    // Deleting the call keeps what the user chose to send.
    again.clear_history().unwrap();
    let body = String::from_utf8(again.report_body(&rid).unwrap().unwrap()).unwrap();
    assert!(
        body.contains(CALLER) && body.contains("<category>robocall</category>"),
        "{body}"
    );
    assert!(
        again
            .report(ReportRequest::on_entry(ReportKind::Spoofed, id))
            .is_err(),
        "the entry is gone"
    );
    let r = again
        .report(ReportRequest::on_number(
            ReportKind::Unsolicited,
            "202-555-0100",
        ))
        .unwrap();
    let body = String::from_utf8(again.report_body(&r).unwrap().unwrap()).unwrap();
    assert!(body.contains("<calling>+12025550100</calling>"), "{body}");
}

#[test]
fn repeat_callers_are_counted_from_history() {
    let e = env();
    let s = &e.screener;
    for i in 0..3 {
        e.at(NOW + i * 600);
        let v = s.screen(&failed(CALLER)).unwrap();
        assert!(!codes(&v).contains(&ReasonCode::RepeatCaller), "call {i}");
    }
    assert_eq!(s.recent_calls(CALLER).unwrap(), 3);
    assert_eq!(s.recent_calls("(202) 555-0123").unwrap(), 3);
    assert_eq!(s.recent_calls("+12025550124").unwrap(), 0);
    e.at(NOW + 3600);
    let v = s.screen(&failed(CALLER)).unwrap();
    assert!(
        codes(&v).contains(&ReasonCode::RepeatCaller),
        "{:?}",
        codes(&v)
    );
    e.at(NOW + 2 * DAY);
    assert_eq!(
        s.recent_calls(CALLER).unwrap(),
        0,
        "only the last 24 h count"
    );
}

#[test]
fn screening_threads_race_a_reviewer_without_error_or_deadlock() {
    let e = env();
    let s = Arc::new(e.reopen());
    s.set_history_mode(HistoryMode::All).unwrap();
    let start = Instant::now();
    let (tx, rx) = std::sync::mpsc::channel();
    let mut handles = Vec::new();
    for t in 0..8 {
        let s = s.clone();
        let tx = tx.clone();
        handles.push(std::thread::spawn(move || {
            for i in 0..150 {
                let n = format!("+120255{:02}{:03}", t, i % 50);
                let call = if i % 2 == 0 { failed(&n) } else { clean(&n) };
                s.screen(&call).unwrap();
            }
            tx.send(()).unwrap();
        }));
    }
    let reviewer = {
        let s = s.clone();
        std::thread::spawn(move || {
            let mut deleted = 0;
            for round in 0..60 {
                let h = s
                    .history(&HistoryFilter {
                        limit: Some(20),
                        ..HistoryFilter::default()
                    })
                    .unwrap();
                let ids: Vec<i64> = h.iter().map(|e| e.id).collect();
                s.mark_reviewed(&ids).unwrap();
                deleted += s.delete_history(&ids[..ids.len().min(5)]).unwrap();
                s.history_notice_count().unwrap();
                if round % 20 == 19 {
                    deleted += s.clear_history().unwrap();
                }
            }
            deleted
        })
    };
    for _ in 0..8 {
        rx.recv_timeout(Duration::from_secs(60))
            .expect("a screening thread is stuck");
    }
    for h in handles {
        h.join().unwrap();
    }
    let deleted = reviewer.join().unwrap();
    let left = all(&s).len();
    assert_eq!(
        deleted + left,
        8 * 150,
        "every call recorded once, deleted or still listed"
    );
    assert!(start.elapsed() < Duration::from_secs(60));
}
