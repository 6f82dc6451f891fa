//! Rust-side tests of the list, policy, emergency, Android and CallKit exports:
//! the conversions, the foreign progress listener (one that fails or panics
//! changes nothing), the export object and its commit, and `Closed` after
//! `shutdown`. The Python and Kotlin tests in `tests/bindings/` drive the same
//! exports through the generated bindings.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use callscreen_ffi::{
    android_call_response, default_policy, Action, CallDirectoryChange, CallDirectoryEntryKind,
    CallDirectoryOptions, CallScreenError, CallScreener, Effect, ImportProgressListener, NewRule,
    OperatorListUse, PlatformCall, PlatformPresentation, ResponseOptions, RuleKind, RuleSource,
    ScreenerConfig, SkipReason, VerificationClass,
};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

mod common;
use common::{base_config, NOW};

const CALLER: &str = "+12025550123";

fn config(db: Option<&std::path::Path>) -> ScreenerConfig {
    ScreenerConfig {
        db_path: db.map(|p| p.to_string_lossy().into_owned()),
        default_region: Some("US".into()),
        ..base_config()
    }
}

fn call(number: &str) -> PlatformCall {
    PlatformCall {
        number: Some(format!("tel:{number}")),
        presentation: PlatformPresentation::Allowed,
        verification_status: 0,
        line: None,
        is_contact: false,
        network_marking: None,
        recent_calls: 0,
    }
}

fn rule(kind: RuleKind, effect: Effect) -> NewRule {
    NewRule {
        kind,
        effect,
        source: RuleSource::User,
        label: None,
        category: None,
        starts_at: None,
        expires_at: None,
        line: None,
    }
}

fn number(n: &str) -> RuleKind {
    RuleKind::Number { number: n.into() }
}

#[test]
fn rules_exceptions_policy_and_emergency() {
    let s = CallScreener::open_at_time(config(None), None, NOW).unwrap();
    assert_eq!(
        s.screen_platform(call(CALLER)).unwrap().action,
        Action::Allow
    );
    s.add_rule(rule(
        RuleKind::Prefix {
            prefix: "+1202555".into(),
        },
        Effect::Block,
    ))
    .unwrap();
    let v = s.screen_platform(call(CALLER)).unwrap();
    assert_eq!((v.action, v.sip_response), (Action::Reject, Some(607)));
    assert!(
        v.reasons.iter().any(|r| r.code == "user_block"),
        "{:?}",
        v.reasons
    );
    let exc = s
        .add_rule(NewRule {
            label: Some("Dentist".into()),
            ..rule(number("(202) 555-0123"), Effect::Exception)
        })
        .unwrap();
    let v = s.screen_platform(call(CALLER)).unwrap();
    assert_eq!((v.action, v.sip_response), (Action::Allow, None));
    let rules = s.rules().unwrap();
    assert_eq!(rules.len(), 2);
    let stored = rules.iter().find(|r| r.id == exc).unwrap();
    assert_eq!(stored.rule.kind, number(CALLER), "normalised to E.164");
    assert_eq!(stored.rule.label.as_deref(), Some("Dentist"));
    assert!(s.remove_rule(exc).unwrap());
    assert!(!s.remove_rule(exc).unwrap());
    assert_eq!(
        s.screen_platform(call(CALLER)).unwrap().action,
        Action::Reject
    );

    // Every kind converts both ways.
    for kind in [
        RuleKind::Range {
            start: "+13125550100".into(),
            count: 10,
        },
        RuleKind::Country {
            country: "fr".into(),
        },
        RuleKind::Withheld,
        RuleKind::Verification {
            verification_class: VerificationClass::AttestationC,
        },
        RuleKind::Contact,
    ] {
        let id = s.add_rule(rule(kind.clone(), Effect::Block)).unwrap();
        let back = s
            .rules()
            .unwrap()
            .into_iter()
            .find(|r| r.id == id)
            .unwrap()
            .rule
            .kind;
        match (&kind, &back) {
            (RuleKind::Country { .. }, RuleKind::Country { country }) => assert_eq!(country, "FR"),
            _ => assert_eq!(back, kind),
        }
        s.remove_rule(id).unwrap();
    }
    let pause = s
        .add_rule(NewRule {
            expires_at: Some(NOW + 600),
            ..rule(RuleKind::AllCalls, Effect::Exception)
        })
        .unwrap();
    assert_eq!(s.next_change_at().unwrap(), Some(NOW + 600));
    assert_eq!(
        s.screen_platform(call(CALLER)).unwrap().action,
        Action::Allow
    );
    s.remove_rule(pause).unwrap();
    assert!(matches!(
        s.add_rule(rule(number("not a number"), Effect::Block)),
        Err(CallScreenError::InvalidInput { .. })
    ));

    // Policy.
    let mut p = s.policy().unwrap();
    assert_eq!(p, default_policy());
    p.block_action = Action::Voicemail;
    s.set_policy(p.clone()).unwrap();
    assert_eq!(s.policy().unwrap(), p);
    let a = s
        .screen_android(
            call(CALLER),
            ResponseOptions {
                skip_call_log: false,
                skip_notification: true,
            },
        )
        .unwrap();
    assert_eq!(a.verdict.action, Action::Voicemail);
    assert!(a.response.disallow_call && !a.response.reject_call);
    assert!(matches!(
        s.set_policy(callscreen_ffi::Policy {
            spam_threshold: 200,
            ..p.clone()
        }),
        Err(CallScreenError::InvalidInput { .. })
    ));

    // Emergency: blocking suspended for the window.
    s.emergency_call_placed(NOW - 60).unwrap();
    let v = s.screen_platform(call(CALLER)).unwrap();
    assert_eq!(v.action, Action::Allow);
    assert!(
        v.reasons.iter().any(|r| r.code == "emergency_callback"),
        "{:?}",
        v.reasons
    );
}

#[test]
fn android_responses_for_every_action() {
    let o = ResponseOptions {
        skip_call_log: true,
        skip_notification: false,
    };
    for action in [
        Action::Allow,
        Action::Silence,
        Action::Voicemail,
        Action::Reject,
    ] {
        let r = android_call_response(action, o);
        assert_eq!(
            r.disallow_call,
            matches!(action, Action::Voicemail | Action::Reject)
        );
        assert_eq!(r.reject_call, action == Action::Reject);
        assert_eq!(r.silence_call, action == Action::Silence);
        assert_eq!(r.skip_call_log, r.disallow_call);
        assert!(!r.skip_notification);
    }
}

#[derive(Default)]
struct Count(AtomicU64, AtomicU64);

impl ImportProgressListener for Count {
    fn on_progress(&self, bytes_read: u64, lines_read: u64) -> Result<(), CallScreenError> {
        self.0.fetch_max(bytes_read, Ordering::Relaxed);
        self.1.fetch_max(lines_read, Ordering::Relaxed);
        Err(CallScreenError::Internal {
            reason: "the app's progress bar failed".into(),
        })
    }
}

struct Panics;

impl ImportProgressListener for Panics {
    fn on_progress(&self, _: u64, _: u64) -> Result<(), CallScreenError> {
        panic!("progress bar blew up")
    }
}

#[test]
fn operator_list_import_with_progress_and_callkit_export() {
    let dir = tempfile::tempdir().unwrap();
    let list = dir.path().join("list.csv");
    std::fs::write(
        &list,
        "# operator\nnumber,+12025550123,fraud,Scam\nprefix,+1900555\nbogus\n",
    )
    .unwrap();
    let s = CallScreener::open_at_time(config(Some(&dir.path().join("db"))), None, NOW).unwrap();
    let count = Arc::new(Count::default());
    let report = s
        .import_operator_list(
            list.to_string_lossy().into_owned(),
            false,
            Some(count.clone()),
        )
        .unwrap();
    assert_eq!(
        (
            report.numbers,
            report.prefixes,
            report.malformed,
            report.lines
        ),
        (1, 1, 1, 4)
    );
    assert_eq!(report.malformed_lines, vec![4]);
    assert_eq!(count.1.load(Ordering::Relaxed), 4);
    assert_eq!(
        count.0.load(Ordering::Relaxed),
        std::fs::metadata(&list).unwrap().len()
    );
    let mandatory = dir.path().join("mandatory.csv");
    std::fs::write(&mandatory, "number,+12025550999\n").unwrap();
    s.import_operator_list(
        mandatory.to_string_lossy().into_owned(),
        true,
        Some(Arc::new(Panics)),
    )
    .unwrap();
    let lists = s.operator_lists().unwrap();
    assert_eq!(
        lists.iter().map(|l| l.name.as_str()).collect::<Vec<_>>(),
        vec!["operator", "operator_mandatory"]
    );
    assert!(matches!(
        s.import_operator_list("/nonexistent/list.csv".into(), false, None),
        Err(CallScreenError::InvalidInput { .. })
    ));
    assert_eq!(
        s.screen_platform(call(CALLER)).unwrap().action,
        Action::Reject
    );

    // CallKit.
    s.add_rule(NewRule {
        line: Some(1),
        ..rule(number("+13125550100"), Effect::Block)
    })
    .unwrap();
    let options = CallDirectoryOptions {
        entry_budget: 5_000,
        operator_lists: OperatorListUse::Block,
    };
    let export = s.clone().call_directory_export(options, None).unwrap();
    assert!(!export.is_incremental().unwrap());
    assert!(
        matches!(export.commit(), Err(CallScreenError::InvalidInput { .. })),
        "not finished"
    );
    let mut blocking = Vec::new();
    loop {
        let chunk = export.next_chunk(999).unwrap();
        if chunk.is_empty() {
            break;
        }
        assert!(chunk.len() <= 999);
        for e in chunk {
            assert_eq!(
                (e.kind, e.change),
                (CallDirectoryEntryKind::Blocking, CallDirectoryChange::Add)
            );
            blocking.push(e.number);
        }
    }
    assert_eq!(blocking.len(), 5_000);
    assert!(blocking.windows(2).all(|w| w[0] < w[1]));
    assert!(blocking.binary_search(&12_025_550_123).is_ok());
    assert!(blocking.binary_search(&12_025_550_999).is_ok());
    let r = export.report().unwrap();
    assert!(r.finished);
    assert_eq!(r.truncated_entries, 10_000 - 4_998);
    assert!(r.truncated.iter().all(|t| t.rule_id.is_none()));
    assert_eq!(r.skipped.len(), 1);
    assert_eq!(r.skipped[0].reason, SkipReason::LineScoped);
    assert_eq!(export.commit().unwrap(), 1);
    assert_eq!(s.call_directory_version().unwrap(), Some(1));

    let delta = s.clone().call_directory_export(options, Some(1)).unwrap();
    assert!(delta.is_incremental().unwrap());
    assert_eq!(delta.base_version().unwrap(), Some(1));
    assert!(delta.next_chunk(10).unwrap().is_empty());

    s.shutdown().unwrap();
    assert_eq!(delta.commit(), Err(CallScreenError::Closed));
    assert!(matches!(
        s.clone().call_directory_export(options, None),
        Err(CallScreenError::Closed)
    ));
    assert_eq!(s.rules(), Err(CallScreenError::Closed));
    assert_eq!(s.policy().map(|_| ()), Err(CallScreenError::Closed));
    assert_eq!(s.emergency_call_placed(NOW), Err(CallScreenError::Closed));
}
