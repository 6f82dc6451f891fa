//! The platform adapters through the screener: Android `Call.Details` in and
//! `CallResponse` out for every action; the CallKit Call Directory export
//! (ascending, deduplicated, exceptions, budget and truncation report, labels,
//! operator lists, emergency suspension, policy, deltas and commits), and its
//! agreement with what screening decides for the same numbers.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use callscreen_core::identification::cert::NoSource;
use callscreen_core::marking::lists::{Effect, NewRule, RuleKind, RuleSource};
use callscreen_core::platform::android::{CallDetails, CallResponse, ResponseOptions};
use callscreen_core::platform::callkit::{
    CallDirectoryExport, CallDirectoryOptions, Change, DirectoryEntry, EntryKind, OperatorListUse,
    SkipReason, MAX_CHUNK,
};
use callscreen_core::reaction::policy::{Action, Policy};
use callscreen_core::{Clock, Screener, ScreenerConfig};
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

const NOW: i64 = 1_795_348_800;

struct TestClock(AtomicI64);
impl Clock for TestClock {
    fn now(&self) -> i64 {
        self.0.load(Ordering::Relaxed)
    }
}

struct Env {
    s: Screener,
    clock: Arc<TestClock>,
    dir: tempfile::TempDir,
}

fn env() -> Env {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(TestClock(AtomicI64::new(NOW)));
    let config = ScreenerConfig {
        db_path: Some(dir.path().join("db")),
        own_numbers: vec!["+12155551213".into()],
        default_region: Some("US".into()),
        ..ScreenerConfig::default()
    };
    let s = Screener::open(config, Arc::new(NoSource), clock.clone()).unwrap();
    Env { s, clock, dir }
}

fn block(kind: RuleKind) -> NewRule {
    NewRule::user(kind, Effect::Block)
}

fn labelled(kind: RuleKind, effect: Effect, label: &str) -> NewRule {
    NewRule {
        label: Some(label.into()),
        ..NewRule::user(kind, effect)
    }
}

fn details(number: &str) -> CallDetails {
    CallDetails::from_android(Some(&format!("tel:{number}")), 1, 0)
}

fn drain(export: &mut CallDirectoryExport, chunk: usize) -> Vec<DirectoryEntry> {
    let mut all = Vec::new();
    loop {
        let c = export.next_chunk(chunk).unwrap();
        assert!(c.len() <= chunk.clamp(1, MAX_CHUNK));
        if c.is_empty() {
            break;
        }
        all.extend(c);
    }
    assert!(
        export.next_chunk(chunk).unwrap().is_empty(),
        "stays finished"
    );
    all
}

fn numbers(entries: &[DirectoryEntry], kind: EntryKind, change: Change) -> Vec<i64> {
    entries
        .iter()
        .filter(|e| e.kind == kind && e.change == change)
        .map(|e| e.number)
        .collect()
}

fn labels(entries: &[DirectoryEntry]) -> BTreeMap<i64, String> {
    entries
        .iter()
        .filter(|e| e.kind == EntryKind::Identification && e.change == Change::Add)
        .map(|e| (e.number, e.label.clone().unwrap()))
        .collect()
}

fn strictly_ascending(v: &[i64]) -> bool {
    v.windows(2).all(|w| w[0] < w[1])
}

fn full(s: &Screener, budget: u64) -> (CallDirectoryExport, Vec<DirectoryEntry>) {
    let mut e = s
        .call_directory_export(
            CallDirectoryOptions {
                entry_budget: budget,
                ..CallDirectoryOptions::default()
            },
            None,
        )
        .unwrap();
    let entries = drain(&mut e, 777);
    (e, entries)
}

// ---- Android ----------------------------------------------------------------

#[test]
fn android_details_to_response_for_every_action() {
    let e = env();
    let s = &e.s;
    s.add_rule(block(RuleKind::Number("+12025550123".into())))
        .unwrap();
    let o = ResponseOptions::default();
    for (action, want) in [
        (Action::Reject, (true, true, false)),
        (Action::Voicemail, (true, false, false)),
        (Action::Silence, (false, false, true)),
        (Action::Allow, (false, false, false)),
    ] {
        s.set_policy(Policy {
            block_action: action,
            ..Policy::default()
        })
        .unwrap();
        let v = s
            .screen(&details("+12025550123").into_incoming_call())
            .unwrap();
        assert_eq!(v.action, action);
        let r = CallResponse::for_verdict(&v, o);
        assert_eq!(
            (r.disallow_call, r.reject_call, r.silence_call),
            want,
            "{action:?}"
        );
        assert!(r.is_accepted_by_android());
        if r.disallow_call {
            assert!(r.skip_notification && !r.skip_call_log);
        } else {
            assert!(!r.skip_notification && !r.skip_call_log);
        }
    }
    // An exception makes it ring; a contact rings too (policy allow_contacts).
    s.set_policy(Policy::default()).unwrap();
    let id = s
        .add_rule(NewRule::user(
            RuleKind::Number("+12025550123".into()),
            Effect::Exception,
        ))
        .unwrap();
    assert_eq!(
        s.screen(&details("+12025550123").into_incoming_call())
            .unwrap()
            .action,
        Action::Allow
    );
    s.remove_rule(id).unwrap();
    let contact = CallDetails {
        is_contact: true,
        ..details("+12025550123")
    };
    assert_eq!(
        s.screen(&contact.into_incoming_call()).unwrap().action,
        Action::Allow
    );
    // Line-scoped rules see the line.
    s.add_rule(NewRule {
        line: Some(2),
        ..block(RuleKind::Number("+12025550199".into()))
    })
    .unwrap();
    let on = |line| {
        CallDetails {
            line,
            ..details("+12025550199")
        }
        .into_incoming_call()
    };
    assert_eq!(s.screen(&on(Some(2))).unwrap().action, Action::Reject);
    assert_eq!(s.screen(&on(Some(1))).unwrap().action, Action::Allow);
    // Status 1 with a withheld presentation: no number, withheld.
    let v = s
        .screen(&CallDetails::from_android(None, 2, 1).into_incoming_call())
        .unwrap();
    assert_eq!(v.display.number, None);
}

// ---- CallKit: content --------------------------------------------------------

#[test]
fn callkit_export_is_ascending_deduplicated_and_honours_exceptions() {
    let e = env();
    let s = &e.s;
    let prefix = s
        .add_rule(labelled(
            RuleKind::Prefix("+1202555".into()),
            Effect::Block,
            "Telemarketers",
        ))
        .unwrap();
    s.add_rule(block(RuleKind::Number("+12025550123".into())))
        .unwrap(); // inside the prefix
    s.add_rule(block(RuleKind::Range {
        start: "+13125550100".into(),
        count: 50,
    }))
    .unwrap();
    s.add_rule(block(RuleKind::Number("+447700900123".into())))
        .unwrap();
    s.add_rule(labelled(
        RuleKind::Number("+12025550150".into()),
        Effect::Exception,
        "Dentist ✓ verified",
    ))
    .unwrap();
    s.add_rule(NewRule::user(
        RuleKind::Range {
            start: "+12025550200".into(),
            count: 10,
        },
        Effect::Exception,
    ))
    .unwrap();
    let country = s.add_rule(block(RuleKind::Country("FR".into()))).unwrap();
    let line = s
        .add_rule(NewRule {
            line: Some(1),
            ..block(RuleKind::Number("+13125559999".into()))
        })
        .unwrap();
    let later = s
        .add_rule(NewRule {
            starts_at: Some(NOW + 3600),
            ..block(RuleKind::Number("+13125558888".into()))
        })
        .unwrap();

    let (export, entries) = full(s, 100_000);
    assert!(!export.is_incremental());
    let blocking = numbers(&entries, EntryKind::Blocking, Change::Add);
    assert!(strictly_ascending(&blocking));
    assert_eq!(blocking.len(), 10_000 - 1 - 10 + 50 + 1);
    assert!(blocking.binary_search(&12_025_550_123).is_ok());
    assert!(
        blocking.binary_search(&12_025_550_150).is_err(),
        "the exception rings"
    );
    assert!(blocking.binary_search(&12_025_550_205).is_err());
    assert!(blocking.binary_search(&447_700_900_123).is_ok());
    assert!(
        blocking.binary_search(&13_125_559_999).is_err(),
        "line-scoped"
    );
    assert!(
        blocking.binary_search(&13_125_558_888).is_err(),
        "not yet in force"
    );
    // Blocking entries come first, then identification.
    let first_ident = entries
        .iter()
        .position(|e| e.kind == EntryKind::Identification)
        .unwrap();
    assert!(entries[first_ident..]
        .iter()
        .all(|e| e.kind == EntryKind::Identification));
    let ids = labels(&entries);
    assert_eq!(
        ids.into_iter().collect::<Vec<_>>(),
        vec![(12_025_550_150, "Dentist".to_string())]
    );

    let r = export.report();
    assert!(r.finished && r.truncated.is_empty() && r.truncated_entries == 0);
    assert_eq!(r.blocking_entries, blocking.len() as u64);
    assert_eq!(r.identification_entries, 1);
    assert_eq!(r.labels_rewritten, 1);
    assert_eq!(r.valid_until, Some(NOW + 3600));
    let skipped: Vec<(i64, SkipReason)> = r.skipped.iter().map(|k| (k.rule_id, k.reason)).collect();
    assert!(skipped.contains(&(country, SkipReason::Unsupported)));
    assert!(skipped.contains(&(line, SkipReason::LineScoped)));
    assert!(!skipped.iter().any(|(id, _)| *id == later || *id == prefix));
}

#[test]
fn every_exported_block_is_blocked_by_screening_and_excepted_numbers_ring() {
    let e = env();
    let s = &e.s;
    s.add_rule(block(RuleKind::Prefix("+1202555".into())))
        .unwrap();
    s.add_rule(NewRule::user(
        RuleKind::Prefix("+120255501".into()),
        Effect::Exception,
    ))
    .unwrap();
    s.add_rule(NewRule {
        source: RuleSource::OperatorMandatory,
        ..block(RuleKind::Number("+12025550105".into()))
    })
    .unwrap();
    let (_, entries) = full(s, 100_000);
    let blocking = numbers(&entries, EntryKind::Blocking, Change::Add);
    assert!(
        blocking.binary_search(&12_025_550_105).is_ok(),
        "mandatory beats the user's exception"
    );
    assert!(blocking.binary_search(&12_025_550_104).is_err());
    for n in (12_025_550_000i64..12_025_560_000).step_by(37) {
        let v = s
            .screen(&details(&format!("+{n}")).into_incoming_call())
            .unwrap();
        let exported = blocking.binary_search(&n).is_ok();
        assert_eq!(
            v.action == Action::Reject,
            exported,
            "+{n}: {:?}",
            v.reasons
        );
    }
}

#[test]
fn budget_truncation_is_reported_never_silent() {
    let e = env();
    let s = &e.s;
    let big = s.add_rule(block(RuleKind::Prefix("+1202".into()))).unwrap(); // 10^7 numbers
    let mid = s
        .add_rule(block(RuleKind::Prefix("+1312555".into())))
        .unwrap(); // 10^4
    s.add_rule(block(RuleKind::Number("+14155550100".into())))
        .unwrap();
    let (export, entries) = full(s, 5_000);
    let blocking = numbers(&entries, EntryKind::Blocking, Change::Add);
    assert_eq!(blocking.len(), 5_000);
    assert!(strictly_ascending(&blocking));
    assert!(
        blocking.binary_search(&14_155_550_100).is_ok(),
        "single numbers are never starved"
    );
    let r = export.report();
    assert_eq!(r.truncated_entries, 10_000_000 + 10_000 + 1 - 5_000);
    let t: BTreeMap<Option<i64>, (u64, u64)> = r
        .truncated
        .iter()
        .map(|t| (t.rule_id, (t.wanted, t.exported)))
        .collect();
    assert_eq!(t.get(&Some(mid)), Some(&(10_000, 4_999)));
    assert_eq!(t.get(&Some(big)), Some(&(10_000_000, 0)));
    // The cut keeps each source's lowest numbers.
    assert_eq!(blocking.first(), Some(&13_125_550_000));
}

#[test]
fn prefixes_outside_nanp_use_their_country_lengths() {
    let e = env();
    e.s.add_rule(block(RuleKind::Prefix("+3314268".into())))
        .unwrap(); // France: 11 digits in all
    let (_, entries) = full(&e.s, 100_000);
    let blocking = numbers(&entries, EntryKind::Blocking, Change::Add);
    assert_eq!(blocking.len(), 10_000);
    assert_eq!(blocking.first(), Some(&33_142_680_000));
    assert_eq!(blocking.last(), Some(&33_142_689_999));
}

#[test]
fn policy_and_emergency_turn_blocks_into_labels() {
    let e = env();
    let s = &e.s;
    s.add_rule(block(RuleKind::Number("+12025550123".into())))
        .unwrap();
    s.add_rule(labelled(
        RuleKind::Number("+12025550124".into()),
        Effect::Block,
        "Trusted Loans",
    ))
    .unwrap();
    s.set_policy(Policy {
        service_numbers: vec!["(202) 555-0125".into()],
        ..Policy::default()
    })
    .unwrap();
    s.add_rule(block(RuleKind::Number("+12025550125".into())))
        .unwrap();

    let (_, entries) = full(s, 100_000);
    assert_eq!(
        numbers(&entries, EntryKind::Blocking, Change::Add),
        vec![12_025_550_123, 12_025_550_124]
    );

    // Silence cannot be expressed: the numbers ring, labelled.
    s.set_policy(Policy {
        block_action: Action::Silence,
        ..Policy::default()
    })
    .unwrap();
    let (_, entries) = full(s, 100_000);
    assert!(numbers(&entries, EntryKind::Blocking, Change::Add).is_empty());
    let ids = labels(&entries);
    assert_eq!(
        ids.get(&12_025_550_123).map(String::as_str),
        Some("On your block list")
    );
    assert_eq!(ids.get(&12_025_550_124).map(String::as_str), Some("Loans"));

    // After an emergency call nothing is blocked until the window ends.
    s.set_policy(Policy::default()).unwrap();
    s.emergency_call_placed(NOW - 60).unwrap();
    let (export, entries) = full(s, 100_000);
    assert!(numbers(&entries, EntryKind::Blocking, Change::Add).is_empty());
    let r = export.report();
    assert_eq!(r.blocking_suspended_until, Some(NOW - 60 + 3600));
    assert_eq!(r.valid_until, Some(NOW - 60 + 3600));
    e.clock.0.store(NOW + 3600, Ordering::Relaxed);
    let (_, entries) = full(s, 100_000);
    // The default policy has no service numbers: all three are blocked again.
    assert_eq!(numbers(&entries, EntryKind::Blocking, Change::Add).len(), 3);
}

#[test]
fn operator_lists_block_or_identify() {
    let e = env();
    let s = &e.s;
    let list = "number,+12025550123,fraud,IRS verified scam\nnumber,+33142685300,telemarketing\nnumber,+1415555\nprefix,+1900555\n";
    s.import_operator_list(list.as_bytes(), false, &mut |_| {})
        .unwrap();
    s.add_rule(NewRule::user(
        RuleKind::Number("+33142685300".into()),
        Effect::Exception,
    ))
    .unwrap();
    s.import_operator_list("number,+12025550199\n".as_bytes(), true, &mut |_| {})
        .unwrap();
    s.add_rule(NewRule::user(
        RuleKind::Number("+12025550199".into()),
        Effect::Exception,
    ))
    .unwrap();

    let (_, entries) = full(s, 100_000);
    let blocking = numbers(&entries, EntryKind::Blocking, Change::Add);
    assert!(strictly_ascending(&blocking));
    assert!(blocking.binary_search(&12_025_550_123).is_ok());
    assert!(
        blocking.binary_search(&33_142_685_300).is_err(),
        "the user's exception beats the operator"
    );
    assert!(
        blocking.binary_search(&12_025_550_199).is_ok(),
        "mandatory beats the user's exception"
    );
    assert!(
        blocking.binary_search(&1_415_555).is_ok(),
        "short numbers sort before long ones"
    );
    assert_eq!(
        blocking
            .iter()
            .filter(|n| (19_005_550_000..19_005_560_000).contains(*n))
            .count(),
        10_000
    );

    let mut ex = s
        .call_directory_export(
            CallDirectoryOptions {
                operator_lists: OperatorListUse::Identify,
                ..Default::default()
            },
            None,
        )
        .unwrap();
    let entries = drain(&mut ex, 5000);
    let blocking = numbers(&entries, EntryKind::Blocking, Change::Add);
    assert_eq!(blocking, vec![12_025_550_199]);
    let ids = labels(&entries);
    assert_eq!(
        ids.get(&12_025_550_123).map(String::as_str),
        Some("IRS scam")
    );
    assert_eq!(
        ids.get(&19_005_550_000).map(String::as_str),
        Some("On your operator's list")
    );
    assert!(!ids.contains_key(&33_142_685_300));
    assert!(ids.values().all(|l| !l.to_lowercase().contains("verif")));
    assert_eq!(ex.report().labels_rewritten, 1);

    let mut ex = s
        .call_directory_export(
            CallDirectoryOptions {
                operator_lists: OperatorListUse::Skip,
                ..Default::default()
            },
            None,
        )
        .unwrap();
    assert_eq!(
        numbers(&drain(&mut ex, 100), EntryKind::Blocking, Change::Add),
        vec![12_025_550_199]
    );
}

// ---- CallKit: deltas ---------------------------------------------------------

/// Apply entries to a model of what iOS holds.
fn apply(blocking: &mut Vec<i64>, ids: &mut BTreeMap<i64, String>, entries: &[DirectoryEntry]) {
    for e in entries {
        match (e.kind, e.change) {
            (EntryKind::Blocking, Change::Add) => {
                assert!(!blocking.contains(&e.number), "added twice: {}", e.number);
                blocking.push(e.number);
            }
            (EntryKind::Blocking, Change::Remove) => {
                let before = blocking.len();
                blocking.retain(|n| *n != e.number);
                assert_eq!(
                    blocking.len(),
                    before - 1,
                    "removed what was not there: {}",
                    e.number
                );
            }
            (EntryKind::Identification, Change::Add) => {
                assert!(ids.insert(e.number, e.label.clone().unwrap()).is_none());
            }
            (EntryKind::Identification, Change::Remove) => {
                assert!(ids.remove(&e.number).is_some());
            }
        }
    }
    blocking.sort_unstable();
}

#[test]
fn deltas_since_a_committed_version() {
    let e = env();
    let s = &e.s;
    assert_eq!(s.call_directory_version().unwrap(), None);
    let gone = s
        .add_rule(block(RuleKind::Range {
            start: "+12025550100".into(),
            count: 20,
        }))
        .unwrap();
    s.add_rule(block(RuleKind::Number("+12025550300".into())))
        .unwrap();
    let relabel = s
        .add_rule(labelled(
            RuleKind::Number("+12025550400".into()),
            Effect::Exception,
            "Gym",
        ))
        .unwrap();

    let (mut first, entries) = full(s, 100_000);
    let (mut blocking, mut ids) = (Vec::new(), BTreeMap::new());
    apply(&mut blocking, &mut ids, &entries);
    let v1 = s.commit_call_directory(&mut first).unwrap();
    assert_eq!(v1, 1);
    assert_eq!(s.call_directory_version().unwrap(), Some(1));
    assert!(s.commit_call_directory(&mut first).is_err(), "once");

    // Changes: a range goes, numbers come, a label changes, an exception punches a hole.
    s.remove_rule(gone).unwrap();
    s.remove_rule(relabel).unwrap();
    s.add_rule(labelled(
        RuleKind::Number("+12025550400".into()),
        Effect::Exception,
        "Gym (new)",
    ))
    .unwrap();
    s.add_rule(labelled(
        RuleKind::Number("+12025550500".into()),
        Effect::Exception,
        "School",
    ))
    .unwrap();
    s.add_rule(block(RuleKind::Prefix("+1312555010".into())))
        .unwrap();
    s.add_rule(NewRule::user(
        RuleKind::Number("+13125550105".into()),
        Effect::Exception,
    ))
    .unwrap();

    let mut delta = s
        .call_directory_export(CallDirectoryOptions::default(), Some(v1))
        .unwrap();
    assert!(delta.is_incremental());
    assert_eq!(delta.base_version(), Some(1));
    let changes = drain(&mut delta, 7);
    // Order: blocking removals, blocking additions, identification removals, additions.
    let phase = |e: &DirectoryEntry| match (e.kind, e.change) {
        (EntryKind::Blocking, Change::Remove) => 0,
        (EntryKind::Blocking, Change::Add) => 1,
        (EntryKind::Identification, Change::Remove) => 2,
        (EntryKind::Identification, Change::Add) => 3,
    };
    assert!(changes.windows(2).all(|w| phase(&w[0]) <= phase(&w[1])));
    for (k, c) in [
        (EntryKind::Blocking, Change::Remove),
        (EntryKind::Blocking, Change::Add),
        (EntryKind::Identification, Change::Remove),
        (EntryKind::Identification, Change::Add),
    ] {
        assert!(strictly_ascending(&numbers(&changes, k, c)));
    }
    assert_eq!(
        numbers(&changes, EntryKind::Blocking, Change::Remove).len(),
        20
    );
    assert_eq!(numbers(&changes, EntryKind::Blocking, Change::Add).len(), 9);
    assert_eq!(
        numbers(&changes, EntryKind::Identification, Change::Remove),
        vec![12_025_550_400]
    );
    assert_eq!(
        numbers(&changes, EntryKind::Identification, Change::Add),
        vec![12_025_550_400, 12_025_550_500]
    );
    let r = delta.report();
    assert_eq!((r.removed, r.added), (21, 11));
    apply(&mut blocking, &mut ids, &changes);

    // The delta leaves iOS with exactly a full export's content.
    let (_, now_full) = full(s, 100_000);
    let (mut want_b, mut want_i) = (Vec::new(), BTreeMap::new());
    apply(&mut want_b, &mut want_i, &now_full);
    assert_eq!(blocking, want_b);
    assert_eq!(ids, want_i);
    let v2 = s.commit_call_directory(&mut delta).unwrap();
    assert_eq!(v2, 2);

    // Nothing changed: an empty delta.
    let mut again = s
        .call_directory_export(CallDirectoryOptions::default(), Some(v2))
        .unwrap();
    assert!(drain(&mut again, 100).is_empty());
    drop(again);
    assert_eq!(
        s.call_directory_version().unwrap(),
        Some(2),
        "an export not committed changes nothing"
    );

    // An unknown or old version gets a full load.
    let mut old = s
        .call_directory_export(CallDirectoryOptions::default(), Some(v1))
        .unwrap();
    assert!(!old.is_incremental());
    assert!(s.commit_call_directory(&mut old).is_err(), "not finished");
    let n = drain(&mut old, 10_000).len();
    assert_eq!(n, want_b.len() + want_i.len());

    // Snapshots beside the database: only the committed one and no leftovers.
    drop(old);
    let mut names: Vec<String> = std::fs::read_dir(e.dir.path().join("db.callkit"))
        .unwrap()
        .map(|d| d.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, vec!["v2".to_string()]);
}

#[test]
fn in_memory_screeners_always_export_in_full() {
    let s = Screener::open(
        ScreenerConfig::default(),
        Arc::new(NoSource),
        Arc::new(TestClock(AtomicI64::new(NOW))),
    )
    .unwrap();
    s.add_rule(block(RuleKind::Number("+12025550123".into())))
        .unwrap();
    let mut e = s
        .call_directory_export(CallDirectoryOptions::default(), None)
        .unwrap();
    assert_eq!(drain(&mut e, 10).len(), 1);
    assert_eq!(s.commit_call_directory(&mut e).unwrap(), 1);
    let mut e = s
        .call_directory_export(CallDirectoryOptions::default(), Some(1))
        .unwrap();
    assert!(!e.is_incremental());
    assert!(s
        .call_directory_export(
            CallDirectoryOptions {
                entry_budget: u64::MAX,
                ..Default::default()
            },
            None
        )
        .is_err());
    assert_eq!(drain(&mut e, 0).len(), 1, "a chunk of 0 is read as 1");
}
