//! End to end over a real HTTP server on loopback: `callscreen outbox send`
//! with Digest authentication against 2xx, 5xx, 409, 412 and a timeout, each
//! report accepted exactly once by the server (it deduplicates by
//! `Idempotency-Key`); and `outbox send` killed with SIGKILL at random points,
//! 100 times, without losing a report or corrupting the database.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{cs, ok};

mod ut_server;

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const T0: &str = "2026-11-22T12:00:00Z";

fn outbox(db: &str) -> Vec<Value> {
    ok(&["outbox", "list", "--db", db, "--json"])
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn report(db: &str, number: &str, scenario: &str) -> String {
    let out = ok(&[
        "report",
        "--db",
        db,
        "--number",
        number,
        "--kind",
        "spoofed",
        "--when",
        "during",
        "--comment",
        &format!("scenario:{scenario}"),
        "--now",
        T0,
    ]);
    out.lines().next().unwrap().trim().to_string()
}

fn send(db: &str, url: &str, now: &str) -> String {
    ok(&[
        "outbox",
        "send",
        "--db",
        db,
        "--ut-root",
        url,
        "--user",
        ut_server::USER,
        "--password",
        ut_server::PASSWORD,
        "--identity",
        "tel:+12155551213",
        "--now",
        now,
        "--timeout",
        "1",
    ])
}

fn db_in(dir: &Path) -> PathBuf {
    dir.join("db")
}

#[test]
fn reports_and_barring_reach_a_real_server_exactly_once() {
    let started = Instant::now();
    let server = ut_server::start(Duration::from_secs(90));
    let dir = tempfile::tempdir().unwrap();
    let db = db_in(dir.path());
    let db = db.to_str().unwrap();
    let ok_id = report(db, "+12025550101", "ok");
    let flaky = report(db, "+12025550102", "flaky");
    let conflict = report(db, "+12025550103", "conflict");
    let slow = report(db, "+12025550104", "slow");
    let block = ok(&[
        "report",
        "--db",
        db,
        "--number",
        "+12025550105",
        "--kind",
        "unsolicited",
        "--block",
        "always",
        "--now",
        T0,
    ]);
    let block_report = block.lines().next().unwrap().to_string();
    let rule = block
        .lines()
        .nth(1)
        .unwrap()
        .split(&[' ', ':'][..])
        .nth(1)
        .unwrap()
        .to_string();

    let pass1 = send(db, &server.url, T0);
    assert!(
        pass1.contains("attempted 6, delivered 3, retrying 2, failed 1"),
        "{pass1}"
    );
    let state = |id: &str| outbox(db).into_iter().find(|i| i["id"] == id).unwrap();
    assert_eq!(state(&ok_id)["state"], "delivered");
    assert_eq!(state(&flaky)["state"], "pending");
    assert_eq!(state(&flaky)["last_status"], 503);
    assert_eq!(state(&conflict)["state"], "failed");
    assert!(state(&conflict)["last_error"]
        .as_str()
        .unwrap()
        .contains("already reported by this subscriber"));
    assert_eq!(
        state(&slow)["state"],
        "pending",
        "timed out: {}",
        state(&slow)
    );
    let bar = outbox(db).into_iter().find(|i| i["kind"] == "bar").unwrap();
    assert_eq!(bar["state"], "delivered", "{bar}");

    // An hour later everything due is retried once more.
    let pass2 = send(db, &server.url, "2026-11-22T13:00:00Z");
    assert!(pass2.contains("attempted 2, delivered 2"), "{pass2}");
    let items = outbox(db);
    for i in &items {
        assert!(
            i["id"].is_string() && i["kind"].is_string() && i["attempts"].is_u64(),
            "{i}"
        );
    }
    let states: Vec<(&str, &str)> = items
        .iter()
        .map(|i| (i["kind"].as_str().unwrap(), i["state"].as_str().unwrap()))
        .collect();
    assert_eq!(
        states,
        vec![
            ("spoofed", "delivered"),
            ("spoofed", "delivered"),
            ("spoofed", "failed"),
            ("spoofed", "delivered"),
            ("unsolicited", "delivered"),
            ("bar", "delivered")
        ]
    );
    let pass3 = send(db, &server.url, "2026-11-23T13:00:00Z");
    assert!(pass3.contains("attempted 0"), "{pass3}");

    let s = server.state.lock().unwrap();
    let mut accepted: Vec<&String> = s.accepted.keys().collect();
    accepted.sort();
    let mut want = vec![&ok_id, &flaky, &slow, &block_report];
    want.sort();
    assert_eq!(
        accepted, want,
        "each deliverable report accepted once, the refused one never"
    );
    assert!(s.accepted.values().all(|n| *n == 1));
    assert_eq!(
        s.attempts[&slow], 2,
        "the timed-out report was sent again and deduplicated"
    );
    assert!(s.seen.iter().filter(|r| r.status != 401).all(|r| r
        .header("authorization")
        .is_some_and(|a| a.starts_with("Digest "))));
    assert!(
        s.seen.iter().any(|r| r.status == 412),
        "the barring met a 412 and re-read"
    );
    assert_eq!(s.rules.len(), 1, "the barring rule is on the server");
    assert!(s.rules[0].contains("tel:+12025550105"));
    assert!(s
        .seen
        .iter()
        .filter(|r| r.method == "POST")
        .all(|r| r.header("Idempotency-Key").is_some()));
    drop(s);

    // Unblock: the rule comes off the network too.
    ok(&[
        "history",
        "unblock",
        "--db",
        db,
        &rule,
        "--now",
        "2026-11-23T14:00:00Z",
    ]);
    let pass4 = send(db, &server.url, "2026-11-23T14:00:00Z");
    assert!(pass4.contains("attempted 1, delivered 1"), "{pass4}");
    assert!(server.state.lock().unwrap().rules.is_empty());
    assert_eq!(outbox(db).last().unwrap()["kind"], "unbar");
    assert!(started.elapsed() < Duration::from_secs(60));
}

#[test]
fn wrong_credentials_and_an_unreachable_server_are_retried_later() {
    let server = ut_server::start(Duration::from_secs(30));
    let dir = tempfile::tempdir().unwrap();
    let db = db_in(dir.path());
    let db = db.to_str().unwrap();
    let id = report(db, "+12025550101", "ok");
    let out = ok(&[
        "outbox",
        "send",
        "--db",
        db,
        "--ut-root",
        &server.url,
        "--user",
        "alice",
        "--password",
        "wrong",
        "--now",
        T0,
    ]);
    assert!(out.contains("retrying 1"), "{out}");
    // Nothing listens on the port of a closed listener.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let out = ok(&[
        "outbox",
        "send",
        "--db",
        db,
        "--ut-root",
        &format!("http://127.0.0.1:{port}"),
        "--now",
        "2026-11-22T14:00:00Z",
    ]);
    assert!(out.contains("retrying 1"), "{out}");
    let item = outbox(db).into_iter().find(|i| i["id"] == id).unwrap();
    assert_eq!(item["attempts"], 2);
    assert!(
        item["last_error"].as_str().unwrap().contains("unreachable"),
        "{item}"
    );
    let bad = cs(&["outbox", "send", "--db", db, "--ut-root", "ftp://x"]);
    assert_eq!(bad.status.code(), Some(2));
}

fn integrity_ok(db: &str) {
    let conn = rusqlite::Connection::open(db).unwrap();
    let r: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(r, "ok");
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

#[test]
fn outbox_send_killed_at_random_points_loses_nothing() {
    let server = ut_server::start(Duration::from_secs(120));
    server.state.lock().unwrap().jitter_ms = 8;
    let dir = tempfile::tempdir().unwrap();
    let db = db_in(dir.path());
    let db = db.to_str().unwrap();
    let ids: Vec<String> = (0..12)
        .map(|i| report(db, &format!("+120255502{i:02}"), "ok"))
        .collect();
    let mut rng = Lcg(0x5eed);
    let base = chrono::DateTime::parse_from_rfc3339(T0).unwrap();
    let started = Instant::now();
    for i in 0..100 {
        // Each pass 10 minutes after the last, past the 5-minute lease, so a
        // report a killed pass left `sending` is due again.
        let now = (base + chrono::Duration::minutes(10 * i)).to_rfc3339();
        let mut child = Command::new(env!("CARGO_BIN_EXE_callscreen"))
            .args([
                "outbox",
                "send",
                "--db",
                db,
                "--ut-root",
                &server.url,
                "--user",
                ut_server::USER,
            ])
            .args([
                "--password",
                ut_server::PASSWORD,
                "--identity",
                "tel:+12155551213",
                "--now",
                &now,
                "--timeout",
                "2",
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(rng.next(40)));
        let _ = child.kill();
        let _ = child.wait();
        integrity_ok(db);
        let items = outbox(db);
        for id in &ids {
            assert!(
                items.iter().any(|it| it["id"] == id.as_str()),
                "report {id} lost after kill {i}"
            );
        }
        if i % 10 == 0 {
            // Add work while the crashes go on.
            let _ = report(db, &format!("+120255503{i:02}"), "ok");
        }
    }
    // A final pass delivers whatever is left; the server accepted each once.
    send(db, &server.url, "2026-12-22T12:00:00Z");
    let items = outbox(db);
    assert!(items.iter().all(|i| i["state"] == "delivered"), "{items:?}");
    let s = server.state.lock().unwrap();
    assert_eq!(s.accepted.len(), items.len());
    assert!(s.accepted.values().all(|n| *n == 1));
    assert!(
        started.elapsed() < Duration::from_secs(100),
        "{:?}",
        started.elapsed()
    );
}
