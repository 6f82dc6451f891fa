//! History and reports through the CLI, in CONTRACT.md's forms: `history
//! list|review|delete|not-spoofed|report`, `report`, `outbox list`; `report`
//! killed with SIGKILL at random points 100 times without losing an
//! acknowledged report; two processes writing the database at once.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{cs, json_lines, ok, screen_verified};

use serde_json::Value;
use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const NOW: &str = "2026-11-22T12:00:00Z";

/// An INVITE without PASSporT from `from` to the fixture subscriber.
fn invite(dir: &Path, name: &str, from: &str) -> String {
    let text = format!(
        "INVITE sip:+12155551213@ims.example.net;user=phone SIP/2.0\r\n\
         Via: SIP/2.0/UDP 192.0.2.10;branch=z9hG4bK-{name}\r\n\
         Max-Forwards: 70\r\n\
         From: <sip:{from}@carrier.example.com;user=phone>;tag=1\r\n\
         To: <sip:+12155551213@ims.example.net;user=phone>\r\n\
         Call-ID: {name}@test\r\n\
         CSeq: 1 INVITE\r\n\
         P-Asserted-Identity: <sip:{from}@carrier.example.com;user=phone>\r\n\
         Content-Length: 0\r\n\r\n"
    );
    let path = dir.join(format!("{name}.sip"));
    std::fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_string()
}

fn screen(db: &str, file: &str, now: &str) -> Value {
    serde_json::from_str(&ok(&[
        "screen",
        "--db",
        db,
        "--own-number",
        "+12155551213",
        "--now",
        now,
        "--json",
        file,
    ]))
    .unwrap()
}

fn list(db: &str, extra: &[&str]) -> Vec<Value> {
    let mut args = vec!["history", "list", "--db", db, "--json"];
    args.extend_from_slice(extra);
    json_lines(&ok(&args))
}

#[test]
fn the_contract_forms_review_correct_report_and_delete() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    let db = db.to_str().unwrap();
    // Calls that cannot be verified are blocked; blocked calls are recorded.
    ok(&[
        "list",
        "add",
        "--db",
        db,
        "--block",
        "--verification",
        "unverified",
    ]);
    let a = invite(dir.path(), "a", "+12025550101");
    let b = invite(dir.path(), "b", "+12025550102");
    let c = invite(dir.path(), "c", "+33612345678");
    assert_eq!(screen(db, &a, "2026-11-22T10:00:00Z")["action"], "reject");
    screen(db, &b, "2026-11-22T11:00:00Z");
    screen(db, &c, NOW);

    let all = list(db, &[]);
    assert_eq!(all.len(), 3);
    for e in &all {
        for field in ["id", "time", "call_id", "indication", "action", "reviewed"] {
            assert!(e.get(field).is_some(), "{field} missing from {e}");
        }
    }
    assert_eq!(all[0]["call_id"], "c@test", "newest first");
    assert_eq!(all[0]["time"], NOW);
    assert_eq!(all[0]["action"], "reject");
    assert_eq!(all[0]["reviewed"], false);
    assert_eq!(list(db, &["--since", "2026-11-22T10:30:00Z"]).len(), 2);
    let human = ok(&["history", "list", "--db", db]);
    assert_eq!(human.lines().count(), 3);
    assert!(human.contains("+12025550101"));

    let id = |call: &str| {
        all.iter().find(|e| e["call_id"] == call).unwrap()["id"]
            .as_i64()
            .unwrap()
            .to_string()
    };
    ok(&["history", "review", "--db", db, &id("a@test")]);
    let unreviewed = list(db, &["--unreviewed"]);
    assert_eq!(unreviewed.len(), 2);
    assert_eq!(
        cs(&["history", "review", "--db", db, "999"]).status.code(),
        Some(2)
    );

    // "Not spoofed" on the French call excepts its country; it offers a report.
    let out = ok(&[
        "history",
        "not-spoofed",
        "--db",
        db,
        &id("c@test"),
        "--scope",
        "country",
    ]);
    assert!(
        out.contains("exception") && out.contains("--kind not_spoofed"),
        "{out}"
    );
    assert_eq!(
        screen(db, &invite(dir.path(), "d", "+33698765432"), NOW)["action"],
        "allow"
    );
    let rules: Vec<Value> = json_lines(&ok(&["list", "show", "--db", db, "--json"]));
    assert!(rules
        .iter()
        .any(|r| r["kind"] == "country" && r["value"] == "FR" && r["source"] == "feedback"));
    assert!(
        json_lines(&ok(&["outbox", "list", "--db", db, "--json"])).is_empty(),
        "nothing queued unasked"
    );

    // Reports: on an entry, and on a number not in the history.
    let rid = ok(&[
        "history",
        "report",
        "--db",
        db,
        &id("b@test"),
        "--kind",
        "challenge",
        "--when",
        "after",
        "--category",
        "telemarketing",
        "--comment",
        "I know this caller",
    ]);
    let rid = rid.trim();
    let rid2 = ok(&[
        "report",
        "--db",
        db,
        "--number",
        "+12025550109",
        "--kind",
        "unsolicited",
        "--when",
        "before_answer",
    ]);
    let items = json_lines(&ok(&["outbox", "list", "--db", db, "--json"]));
    assert_eq!(items.len(), 2);
    for i in &items {
        for field in ["id", "kind", "state", "attempts"] {
            assert!(i.get(field).is_some(), "{field} missing from {i}");
        }
        assert_eq!(i["state"], "pending");
        assert_eq!(i["attempts"], 0);
    }
    assert_eq!(items[0]["id"], rid);
    assert_eq!(items[0]["kind"], "challenge");
    assert_eq!(items[1]["id"], rid2.trim());
    let xml = ok(&["outbox", "show", "--db", db, rid]);
    assert!(
        xml.contains("kind=\"challenge\"") && xml.contains("<reason code=\"user_block\""),
        "{xml}"
    );
    for kind in ["spoofed", "not_spoofed", "rating_request"] {
        ok(&[
            "history",
            "report",
            "--db",
            db,
            &id("a@test"),
            "--kind",
            kind,
        ]);
    }
    for (args, why) in [
        (
            vec!["history", "report", "--db", db, "1", "--kind", "nonsense"],
            "kind",
        ),
        (
            vec![
                "history", "report", "--db", db, "1", "--kind", "spoofed", "--when", "later",
            ],
            "when",
        ),
        (
            vec!["history", "report", "--db", db, "999", "--kind", "spoofed"],
            "entry",
        ),
        (
            vec![
                "report",
                "--db",
                db,
                "--number",
                "not a number",
                "--kind",
                "spoofed",
            ],
            "number",
        ),
    ] {
        assert_eq!(cs(&args).status.code(), Some(2), "{why}");
    }

    // Delete one, then all; the reports stay queued.
    ok(&["history", "delete", "--db", db, &id("a@test")]);
    assert_eq!(list(db, &[]).len(), 2);
    assert!(ok(&["history", "delete", "--db", db, "--all"]).contains("deleted 2"));
    assert!(list(db, &[]).is_empty());
    assert_eq!(
        json_lines(&ok(&["outbox", "list", "--db", db, "--json"])).len(),
        5
    );
    assert_eq!(
        cs(&["history", "delete", "--db", db]).status.code(),
        Some(2),
        "ids or --all"
    );
}

#[test]
fn spoofed_with_a_default_block_lets_the_verified_owner_through() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    let db = db.to_str().unwrap();
    let verified =
        |db: &str| screen_verified(db, "tests/data/invites/01-good-attest-a.sip", NOW, &[]);
    ok(&["history", "settings", "--db", db, "--mode", "all"]);
    // Someone spoofs the bank's number +12155551212; the call cannot be verified.
    let spoof = invite(dir.path(), "spoof", "+12155551212");
    assert_eq!(screen(db, &spoof, NOW)["indication"], "unverified");
    let id = list(db, &[])[0]["id"].as_i64().unwrap().to_string();
    let out = ok(&[
        "history", "mark", "--db", db, &id, "--kind", "spoofed", "--block", "default",
    ]);
    assert!(
        out.contains("block unless verified") && out.contains("--kind spoofed"),
        "{out}"
    );
    assert_eq!(screen(db, &spoof, NOW)["action"], "reject");
    let bank = verified(db);
    assert_eq!(bank["indication"], "verified");
    assert_eq!(
        bank["action"], "allow",
        "the real owner's verified call rings"
    );

    // After a verified call, "default" blocks the number for good.
    let id = list(db, &[])[0]["id"].as_i64().unwrap().to_string();
    let out = ok(&[
        "history",
        "mark",
        "--db",
        db,
        &id,
        "--kind",
        "unsolicited",
        "--block",
        "default",
    ]);
    assert!(
        out.contains(": block\n") || out.lines().any(|l| l.ends_with(": block")),
        "{out}"
    );
    assert_eq!(verified(db)["action"], "reject");

    assert_eq!(
        ok(&["history", "notice", "--db", db, "--now", NOW, "--seen"]).trim(),
        "2",
        "the two blocked calls"
    );
    assert_eq!(
        ok(&["history", "notice", "--db", db, "--now", NOW]).trim(),
        "0"
    );
}

/// A small deterministic generator for kill delays.
struct Lcg(u64);
impl Lcg {
    fn next(&mut self, max: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % max.max(1)
    }
}

fn integrity_ok(db: &str) {
    let conn = rusqlite::Connection::open(db).unwrap();
    let r: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(r, "ok");
}

#[test]
fn report_killed_at_random_points_never_loses_an_acknowledged_report() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    let db = db.to_str().unwrap();
    ok(&[
        "report",
        "--db",
        db,
        "--number",
        "+12025550100",
        "--kind",
        "spoofed",
    ]); // create the file
    let mut rng = Lcg(42);
    let mut acknowledged = Vec::new();
    let mut killed = 0;
    let started = Instant::now();
    for i in 0..100 {
        let mut child = Command::new(env!("CARGO_BIN_EXE_callscreen"))
            .args([
                "report",
                "--db",
                db,
                "--number",
                &format!("+120255510{:02}", i % 100),
                "--kind",
                "unsolicited",
            ])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_micros(rng.next(30_000)));
        if child.try_wait().unwrap().is_none() {
            killed += 1;
        }
        let _ = child.kill();
        let _ = child.wait();
        let mut out = String::new();
        child
            .stdout
            .take()
            .unwrap()
            .read_to_string(&mut out)
            .unwrap();
        if let Some(id) = out.lines().next().filter(|l| l.len() == 36) {
            acknowledged.push(id.to_string());
        }
        integrity_ok(db);
        let items = json_lines(&ok(&["outbox", "list", "--db", db, "--json"]));
        for id in &acknowledged {
            assert!(
                items.iter().any(|i| i["id"] == id.as_str()),
                "acknowledged report {id} lost after kill {i}"
            );
        }
    }
    assert!(killed > 10, "the kills must land mid-run ({killed} did)");
    assert!(!acknowledged.is_empty(), "some runs must finish");
    assert!(started.elapsed() < Duration::from_secs(60));
}

#[test]
fn two_processes_write_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    let db = db.to_str().unwrap().to_string();
    ok(&["history", "settings", "--db", &db, "--mode", "all"]);
    let file = invite(dir.path(), "x", "+12025550101");
    let screens = {
        let db = db.clone();
        std::thread::spawn(move || {
            for i in 0..25 {
                let out = cs(&[
                    "screen",
                    "--db",
                    &db,
                    "--own-number",
                    "+12155551213",
                    "--json",
                    &file,
                ]);
                assert!(
                    out.status.success(),
                    "screen {i}: {}",
                    String::from_utf8_lossy(&out.stderr)
                );
            }
        })
    };
    let reports = {
        let db = db.clone();
        std::thread::spawn(move || {
            for i in 0..25 {
                let out = cs(&[
                    "report",
                    "--db",
                    &db,
                    "--number",
                    "+12025550101",
                    "--kind",
                    "spoofed",
                ]);
                assert!(
                    out.status.success(),
                    "report {i}: {}",
                    String::from_utf8_lossy(&out.stderr)
                );
            }
        })
    };
    screens.join().unwrap();
    reports.join().unwrap();
    integrity_ok(&db);
    assert_eq!(list(&db, &[]).len(), 25);
    assert_eq!(
        json_lines(&ok(&["outbox", "list", "--db", &db, "--json"])).len(),
        25
    );
}
