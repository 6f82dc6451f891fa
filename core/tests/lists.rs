//! Lists, marking and reaction through the screener: each rule kind, the
//! precedence, expiry and `next_change_at`, line scope, emergency suspension,
//! withheld privacy, operator imports.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use callscreen_core::intake::call::{
    IncomingCall, PlatformPresentation, PlatformVerificationStatus,
};
use callscreen_core::marking::lists::{Effect, NewRule, RuleKind, RuleSource, VerificationClass};
use callscreen_core::reaction::policy::{Action, Policy};
use callscreen_core::reason::ReasonCode;
use callscreen_core::{Clock, Screener, ScreenerConfig, Verdict};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

const NOW: i64 = common::FIXTURE_NOW;

/// A clock tests can move.
struct TestClock(AtomicI64);
impl Clock for TestClock {
    fn now(&self) -> i64 {
        self.0.load(Ordering::Relaxed)
    }
}

struct Env {
    screener: Screener,
    clock: Arc<TestClock>,
    _dir: tempfile::TempDir,
}

fn env() -> Env {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(TestClock(AtomicI64::new(NOW)));
    let config = ScreenerConfig {
        db_path: Some(dir.path().join("db")),
        trust_anchors_pem: vec![std::fs::read(common::data("pki/sti-ca-root.pem")).unwrap()],
        own_numbers: vec!["+12155551213".into()],
        default_region: Some("US".into()),
        ..ScreenerConfig::default()
    };
    let screener = Screener::open(
        config,
        Arc::new(callscreen_core::identification::cert::DirectorySource::new(
            common::data("certs"),
        )),
        clock.clone(),
    )
    .unwrap();
    Env {
        screener,
        clock,
        _dir: dir,
    }
}

fn call(number: &str) -> IncomingCall {
    IncomingCall::from_platform(
        Some(number.into()),
        PlatformPresentation::Allowed,
        PlatformVerificationStatus::NotVerified,
    )
}

fn codes(v: &Verdict) -> Vec<ReasonCode> {
    v.reasons.iter().map(|r| r.code).collect()
}

fn rule(kind: RuleKind, effect: Effect) -> NewRule {
    NewRule::user(kind, effect)
}

const CALLER: &str = "+12025550123";

#[test]
fn each_rule_kind_matches() {
    let cases: Vec<(RuleKind, IncomingCall, bool)> = vec![
        (RuleKind::Number(CALLER.into()), call(CALLER), true),
        (RuleKind::Number(CALLER.into()), call("+12025550124"), false),
        (
            RuleKind::Number("(202) 555-0123".into()),
            call(CALLER),
            true,
        ),
        (RuleKind::Prefix("+1202555".into()), call(CALLER), true),
        (RuleKind::Prefix("+1203".into()), call(CALLER), false),
        (
            RuleKind::Range {
                start: "+12025550100".into(),
                count: 100,
            },
            call(CALLER),
            true,
        ),
        (
            RuleKind::Range {
                start: "+12025550100".into(),
                count: 23,
            },
            call(CALLER),
            false,
        ),
        (RuleKind::Country("FR".into()), call("+33142685300"), true),
        (RuleKind::Country("FR".into()), call(CALLER), false),
        (
            RuleKind::Withheld,
            IncomingCall::from_platform(
                None,
                PlatformPresentation::Restricted,
                PlatformVerificationStatus::NotVerified,
            ),
            true,
        ),
        (RuleKind::Withheld, call(CALLER), false),
        (
            RuleKind::Verification(VerificationClass::Unverified),
            call(CALLER),
            true,
        ),
        (
            RuleKind::Verification(VerificationClass::Failed),
            IncomingCall::from_platform(
                Some(CALLER.into()),
                PlatformPresentation::Allowed,
                PlatformVerificationStatus::Failed,
            ),
            true,
        ),
        (
            RuleKind::Verification(VerificationClass::Failed),
            call(CALLER),
            false,
        ),
        (
            RuleKind::Contact,
            IncomingCall {
                is_contact: true,
                ..call(CALLER)
            },
            true,
        ),
        (RuleKind::Any, call(CALLER), true),
    ];
    for (kind, c, expect) in cases {
        let e = env();
        let what = format!("{kind:?}");
        if kind == RuleKind::Contact {
            // By default contacts ring (an implicit exception); a rule on contacts
            // is for a policy that does not allow them.
            e.screener
                .set_policy(Policy {
                    allow_contacts: false,
                    ..Policy::default()
                })
                .unwrap();
        }
        e.screener.add_rule(rule(kind, Effect::Block)).unwrap();
        let v = e.screener.screen(&c).unwrap();
        let blocked = v.action == Action::Reject;
        assert_eq!(blocked, expect, "{what}: {:?}", codes(&v));
        assert_eq!(codes(&v).contains(&ReasonCode::UserBlock), expect, "{what}");
        if expect {
            assert_eq!(v.sip_response, Some(607));
        }
    }
}

#[test]
fn precedence_operator_mandatory_then_user_exception_then_user_block_then_operator() {
    let e = env();
    let s = &e.screener;
    let import = |text: &str, mandatory: bool| {
        s.import_operator_list(text.as_bytes(), mandatory, &mut |_| {})
            .unwrap()
    };
    import(&format!("number,{CALLER},fraud,Spoofed identity\n"), false);
    let v = s.screen(&call(CALLER)).unwrap();
    assert_eq!(
        (v.action, codes(&v).contains(&ReasonCode::OperatorBlock)),
        (Action::Reject, true)
    );

    // A user exception overrides the operator list; the overridden rule is explained.
    let exc = s
        .add_rule(rule(RuleKind::Number(CALLER.into()), Effect::Exception))
        .unwrap();
    let v = s.screen(&call(CALLER)).unwrap();
    assert_eq!(v.action, Action::Allow);
    assert_eq!(
        v.reasons
            .iter()
            .find(|r| r.code == ReasonCode::UserException)
            .map(|r| r.weight),
        Some(0)
    );
    assert!(v.reasons.iter().any(|r| r.code == ReasonCode::OperatorBlock
        && r.detail.contains("overridden by user_exception")));
    // An exception never launders verification: still unverified.
    assert_eq!(v.indication.as_str(), "unverified");

    // A user block loses to the user's exception, wins over the operator list.
    s.add_rule(rule(RuleKind::Prefix("+1202".into()), Effect::Block))
        .unwrap();
    assert_eq!(s.screen(&call(CALLER)).unwrap().action, Action::Allow);
    s.remove_rule(exc).unwrap();
    let v = s.screen(&call(CALLER)).unwrap();
    assert_eq!(v.action, Action::Reject);
    assert_eq!(codes(&v).first(), Some(&ReasonCode::UserBlock));

    // Operator mandatory wins over everything, the user's exception included.
    s.add_rule(rule(RuleKind::Number(CALLER.into()), Effect::Exception))
        .unwrap();
    import(&format!("number,{CALLER},fraud\n"), true);
    let v = s.screen(&call(CALLER)).unwrap();
    assert_eq!(v.action, Action::Reject);
    assert!(codes(&v).contains(&ReasonCode::OperatorMandatory));
    assert!(v
        .reasons
        .iter()
        .any(|r| r.code == ReasonCode::UserException && r.detail.contains("overridden")));
}

#[test]
fn feedback_exceptions_and_contacts() {
    let e = env();
    let s = &e.screener;
    s.add_rule(rule(RuleKind::Any, Effect::Block)).unwrap();
    let v = s
        .screen(&IncomingCall {
            is_contact: true,
            ..call(CALLER)
        })
        .unwrap();
    assert_eq!(
        (v.action, codes(&v).contains(&ReasonCode::Contact)),
        (Action::Allow, true)
    );
    s.add_rule(NewRule {
        source: RuleSource::Feedback,
        ..rule(RuleKind::Country("US".into()), Effect::Exception)
    })
    .unwrap();
    let v = s.screen(&call(CALLER)).unwrap();
    assert_eq!(
        (v.action, codes(&v).contains(&ReasonCode::FeedbackException)),
        (Action::Allow, true)
    );
}

#[test]
fn expiry_pause_and_next_change_at() {
    let e = env();
    let s = &e.screener;
    s.add_rule(rule(RuleKind::Number(CALLER.into()), Effect::Block))
        .unwrap();
    // "Pause blocking until" one hour from now.
    s.add_rule(NewRule {
        expires_at: Some(NOW + 3600),
        ..rule(RuleKind::Any, Effect::Exception)
    })
    .unwrap();
    s.add_rule(NewRule {
        starts_at: Some(NOW + 7200),
        ..rule(RuleKind::Prefix("+1303".into()), Effect::Block)
    })
    .unwrap();
    assert_eq!(s.next_change_at().unwrap(), Some(NOW + 3600));
    assert_eq!(s.screen(&call(CALLER)).unwrap().action, Action::Allow);
    e.clock.0.store(NOW + 3600, Ordering::Relaxed);
    assert_eq!(
        s.screen(&call(CALLER)).unwrap().action,
        Action::Reject,
        "blocking resumes"
    );
    assert_eq!(s.next_change_at().unwrap(), Some(NOW + 7200));
    assert_eq!(
        s.screen(&call("+13035550123")).unwrap().action,
        Action::Allow
    );
    e.clock.0.store(NOW + 7200, Ordering::Relaxed);
    assert_eq!(
        s.screen(&call("+13035550123")).unwrap().action,
        Action::Reject,
        "the rule starts"
    );
    assert_eq!(s.next_change_at().unwrap(), None);
}

#[test]
fn line_scope() {
    let e = env();
    e.screener
        .add_rule(NewRule {
            line: Some(2),
            ..rule(RuleKind::Number(CALLER.into()), Effect::Block)
        })
        .unwrap();
    let on = |line| {
        e.screener
            .screen(&IncomingCall {
                line,
                ..call(CALLER)
            })
            .unwrap()
            .action
    };
    assert_eq!(on(Some(2)), Action::Reject);
    assert_eq!(on(Some(1)), Action::Allow);
    assert_eq!(on(None), Action::Allow);
}

#[test]
fn emergency_callbacks_always_ring() {
    let e = env();
    let s = &e.screener;
    s.add_rule(rule(RuleKind::Any, Effect::Block)).unwrap();
    assert_eq!(s.screen(&call(CALLER)).unwrap().action, Action::Reject);
    s.emergency_call_placed(NOW - 60).unwrap();
    let v = s.screen(&call(CALLER)).unwrap();
    assert_eq!(v.action, Action::Allow);
    assert!(codes(&v).contains(&ReasonCode::EmergencyCallback));
    e.clock.0.store(NOW - 60 + 3600, Ordering::Relaxed);
    assert_eq!(
        s.screen(&call(CALLER)).unwrap().action,
        Action::Reject,
        "the window closes"
    );
    // Emergency numbers are never blocked.
    let v = s.screen(&call("911")).unwrap();
    assert_eq!(v.action, Action::Allow);
    // Configured service numbers neither.
    s.set_policy(Policy {
        service_numbers: vec!["+18005550199".into()],
        ..Policy::default()
    })
    .unwrap();
    assert_eq!(
        s.screen(&call("+18005550199")).unwrap().action,
        Action::Allow
    );
}

#[test]
fn withheld_callers_are_never_matched_or_shown_by_number() {
    let e = env();
    let s = &e.screener;
    s.set_policy(Policy {
        withheld_action: Action::Silence,
        ..Policy::default()
    })
    .unwrap();
    let invite = std::fs::read_to_string(common::data("invites/01-good-attest-a.sip")).unwrap();
    // The network asserts the identity but the caller asked for privacy.
    let private = invite.replacen("Max-Forwards:", "Privacy: id\r\nMax-Forwards:", 1);
    s.add_rule(rule(
        RuleKind::Number("+12155551212".into()),
        Effect::Exception,
    ))
    .unwrap();
    let v = s.screen_sip(private.as_bytes()).unwrap();
    assert_eq!(v.indication.as_str(), "withheld");
    assert_eq!(v.display.number, None);
    assert_eq!(
        v.action,
        Action::Silence,
        "the number-exception cannot see a withheld number"
    );
    let json = v.to_json().to_string();
    assert!(!json.contains("2155551212"), "{json}");
}

#[test]
fn policy_actions_by_class_and_present_only_trusted_cli() {
    let e = env();
    let s = &e.screener;
    s.set_policy(Policy {
        failed_action: Action::Voicemail,
        unverified_action: Action::Silence,
        present_only_trusted_cli: true,
        ..Policy::default()
    })
    .unwrap();
    let failed = IncomingCall::from_platform(
        Some(CALLER.into()),
        PlatformPresentation::Allowed,
        PlatformVerificationStatus::Failed,
    );
    assert_eq!(s.screen(&failed).unwrap().action, Action::Voicemail);
    let v = s.screen(&call(CALLER)).unwrap();
    assert_eq!(
        (v.action, v.indication.as_str(), v.display.number.clone()),
        (Action::Silence, "number_not_available", None)
    );
    let passed = IncomingCall::from_platform(
        Some(CALLER.into()),
        PlatformPresentation::Allowed,
        PlatformVerificationStatus::Passed,
    );
    let v = s.screen(&passed).unwrap();
    assert_eq!(
        (v.action, v.indication.as_str()),
        (Action::Allow, "verified")
    );
}

#[test]
fn heuristic_signals_reach_the_verdict() {
    let e = env();
    let s = &e.screener;
    let v = s.screen(&call("+12155551213")).unwrap();
    assert!(codes(&v).contains(&ReasonCode::OwnNumberSpoof));
    let v = s.screen(&call("+12155559876")).unwrap();
    assert!(codes(&v).contains(&ReasonCode::NeighborSpoof));
    let v = s
        .screen(&IncomingCall {
            network_marking: Some("Spam Likely".into()),
            recent_calls: 5,
            ..call(CALLER)
        })
        .unwrap();
    assert!(
        codes(&v).contains(&ReasonCode::NetworkMarking)
            && codes(&v).contains(&ReasonCode::RepeatCaller)
    );
    assert_eq!(v.score, 60);
    // Same inputs, same score.
    let again = s
        .screen(&IncomingCall {
            network_marking: Some("Spam Likely".into()),
            recent_calls: 5,
            ..call(CALLER)
        })
        .unwrap();
    assert_eq!(again.score, v.score);
}

#[test]
fn a_failed_import_leaves_the_previous_list_in_force() {
    let e = env();
    let s = &e.screener;
    s.import_operator_list(format!("number,{CALLER}\n").as_bytes(), false, &mut |_| {})
        .unwrap();
    struct Failing;
    impl std::io::Read for Failing {
        fn read(&mut self, _: &mut [u8]) -> std::io::Result<usize> {
            Err(std::io::Error::other("disk gone"))
        }
    }
    assert!(s.import_operator_list(Failing, false, &mut |_| {}).is_err());
    assert_eq!(s.screen(&call(CALLER)).unwrap().action, Action::Reject);
    // And the list survives a restart.
    let dir = e._dir.path().to_path_buf();
    drop(e.screener);
    let config = ScreenerConfig {
        db_path: Some(dir.join("db")),
        ..ScreenerConfig::default()
    };
    let reopened = Screener::open(
        config,
        Arc::new(callscreen_core::identification::cert::NoSource),
        e.clock.clone(),
    )
    .unwrap();
    assert_eq!(
        reopened.screen(&call(CALLER)).unwrap().action,
        Action::Reject
    );
    assert_eq!(reopened.operator_lists().unwrap().len(), 1);
}
