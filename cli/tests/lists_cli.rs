//! Lists and policy through the CLI: the seed stories, and an import killed with
//! SIGKILL mid-way.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{cs, ok, screen_verified};

use std::path::{Path, PathBuf};
use std::process::Command;

/// An INVITE without PASSporT from `from` (E.164) to the fixture subscriber.
fn invite(dir: &Path, name: &str, from: &str, privacy: bool) -> String {
    let privacy = if privacy { "Privacy: id\r\n" } else { "" };
    let text = format!(
        "INVITE sip:+12155551213@ims.example.net;user=phone SIP/2.0\r\n\
         Via: SIP/2.0/UDP 192.0.2.10;branch=z9hG4bK-{name}\r\n\
         Max-Forwards: 70\r\n\
         From: <sip:{from}@carrier.example.com;user=phone>;tag=1\r\n\
         To: <sip:+12155551213@ims.example.net;user=phone>\r\n\
         Call-ID: {name}@test\r\n\
         CSeq: 1 INVITE\r\n\
         P-Asserted-Identity: <sip:{from}@carrier.example.com;user=phone>\r\n\
         {privacy}Content-Length: 0\r\n\r\n"
    );
    let path = dir.join(format!("{name}.sip"));
    std::fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_string()
}

fn screen(db: &str, file: &str, extra: &[&str]) -> serde_json::Value {
    screen_verified(db, file, "2026-11-22T12:00:00Z", extra)
}

#[test]
fn seed_story_a_country_exception_lets_a_daughter_abroad_ring() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    let db = db.to_str().unwrap();
    let daughter = invite(dir.path(), "daughter", "+33612345678", false);
    // The father blocks calls that cannot be verified; the daughter's French
    // operator signs nothing, so her calls are blocked as unverifiable.
    ok(&[
        "list",
        "add",
        "--db",
        db,
        "--block",
        "--verification",
        "unverified",
    ]);
    assert_eq!(screen(db, &daughter, &[])["action"], "reject");
    // "Calls from the country my daughter studies in must not be blocked."
    ok(&["list", "add", "--db", db, "--exception", "--country", "FR"]);
    let v = screen(db, &daughter, &[]);
    assert_eq!(v["action"], "allow");
    assert_eq!(
        v["indication"], "unverified",
        "the exception does not launder verification"
    );
    let codes: Vec<&str> = v["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["code"].as_str().unwrap())
        .collect();
    assert!(
        codes.contains(&"user_exception") && codes.contains(&"user_block"),
        "{codes:?}"
    );
}

#[test]
fn seed_story_an_operator_blacklisted_spoofed_identity_is_rejected() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    let db = db.to_str().unwrap();
    let list = dir.path().join("op.txt");
    std::fs::write(
        &list,
        "# fraud unit\nnumber,+18885550100,fraud,Spoofed bank identity\n",
    )
    .unwrap();
    let out = ok(&[
        "list",
        "import",
        "--db",
        db,
        "--operator",
        list.to_str().unwrap(),
    ]);
    assert!(out.contains("imported 1 numbers"), "{out}");
    let v = screen(db, &invite(dir.path(), "spoof", "+18885550100", false), &[]);
    assert_eq!(v["action"], "reject");
    assert_eq!(v["sip_response"], 607);
    let other = screen(db, &invite(dir.path(), "other", "+18885550101", false), &[]);
    assert_eq!(other["action"], "allow");
}

#[test]
fn seed_story_a_withheld_caller_is_silenced_by_policy() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    let db = db.to_str().unwrap();
    ok(&["policy", "set", "--db", db, "withheld_action=silence"]);
    let v = screen(
        db,
        &invite(dir.path(), "withheld", "+12025550123", true),
        &[],
    );
    assert_eq!(
        (v["indication"].as_str(), v["action"].as_str()),
        (Some("withheld"), Some("silence"))
    );
    assert!(v["display"]["number"].is_null());
}

#[test]
fn seed_story_present_only_trusted_clis_hides_an_unverified_number() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    let db = db.to_str().unwrap();
    ok(&["policy", "set", "--db", db, "present_only_trusted_cli=true"]);
    let v = screen(
        db,
        &invite(dir.path(), "unverified", "+12025550123", false),
        &[],
    );
    assert_eq!(v["indication"], "number_not_available");
    assert!(v["display"]["number"].is_null());
    let verified = screen(db, "tests/data/invites/01-good-attest-a.sip", &[]);
    assert_eq!(verified["indication"], "verified");
}

#[test]
fn list_forms_of_the_contract() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    let db = db.to_str().unwrap();
    let id = ok(&[
        "list",
        "add",
        "--db",
        db,
        "--block",
        "+12025550123",
        "--label",
        "x",
        "--category",
        "sales",
    ]);
    ok(&["list", "add", "--db", db, "--block", "--prefix", "+1900"]);
    ok(&[
        "list",
        "add",
        "--db",
        db,
        "--block",
        "--range",
        "+12025550100",
        "--count",
        "50",
        "--line",
        "2",
    ]);
    ok(&[
        "list",
        "add",
        "--db",
        db,
        "--exception",
        "--withheld",
        "--until",
        "2030-01-01T00:00:00Z",
    ]);
    let shown = ok(&["list", "show", "--db", db, "--json"]);
    let rules: Vec<serde_json::Value> = shown
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(rules.len(), 4);
    assert_eq!(rules[2]["line"], 2);
    assert_eq!(rules[3]["expires_at"], 1_893_456_000);
    ok(&["list", "remove", "--db", db, id.trim()]);
    assert_eq!(
        ok(&["list", "show", "--db", db, "--json"]).lines().count(),
        3
    );
    assert_eq!(
        cs(&["list", "remove", "--db", db, "999"]).status.code(),
        Some(2)
    );
    assert_eq!(
        cs(&["list", "add", "--db", db, "--block", "not-a-number"])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        cs(&["list", "add", "--db", db, "--block", "--country", "XX"])
            .status
            .code(),
        Some(2)
    );
    let list = dir.path().join("bad.txt");
    std::fs::write(&list, "number,+12025550199\nnonsense\nprefix,+12x\n").unwrap();
    let out = ok(&[
        "list",
        "import",
        "--db",
        db,
        "--operator",
        list.to_str().unwrap(),
    ]);
    assert!(
        out.contains("2 malformed") && out.contains("malformed lines: 2, 3"),
        "{out}"
    );
}

#[test]
fn an_import_killed_midway_leaves_the_previous_list_and_a_valid_database() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    let db_s = db.to_str().unwrap();
    let small = dir.path().join("small.txt");
    std::fs::write(&small, "number,+12025550123,fraud\n").unwrap();
    ok(&[
        "list",
        "import",
        "--db",
        db_s,
        "--operator",
        small.to_str().unwrap(),
    ]);

    // A big list that takes a while to import.
    let big = dir.path().join("big.txt");
    {
        use std::io::Write;
        let mut w = std::io::BufWriter::new(std::fs::File::create(&big).unwrap());
        for i in 0..3_000_000u64 {
            writeln!(
                w,
                "number,+1303{:07},telemarketing",
                (i * 7_919) % 10_000_000
            )
            .unwrap();
        }
    }
    let lists_dir = PathBuf::from(format!("{db_s}.lists"));
    let mut child = Command::new(env!("CARGO_BIN_EXE_callscreen"))
        .args([
            "list",
            "import",
            "--db",
            db_s,
            "--operator",
            big.to_str().unwrap(),
        ])
        .spawn()
        .unwrap();
    // Wait until the import is under way (its temporary directory exists), then kill it.
    let started = std::time::Instant::now();
    loop {
        let tmp_exists = std::fs::read_dir(&lists_dir)
            .map(|d| {
                d.flatten()
                    .any(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
            })
            .unwrap_or(false);
        if tmp_exists || started.elapsed().as_secs() > 30 {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    std::thread::sleep(std::time::Duration::from_millis(200));
    child.kill().unwrap(); // SIGKILL
    let status = child.wait().unwrap();
    assert!(
        !status.success(),
        "the import finished before it could be killed"
    );

    let conn = rusqlite::Connection::open(&db).unwrap();
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
    drop(conn);
    let v = screen(db_s, &invite(dir.path(), "old", "+12025550123", false), &[]);
    assert_eq!(v["action"], "reject", "the previous list is still in force");
    let v = screen(db_s, &invite(dir.path(), "new", "+13030000000", false), &[]);
    assert_eq!(
        v["action"], "allow",
        "nothing of the killed import is in force"
    );
    // The next import cleans up what the killed one left.
    ok(&[
        "list",
        "import",
        "--db",
        db_s,
        "--operator",
        small.to_str().unwrap(),
    ]);
    let leftovers: Vec<_> = std::fs::read_dir(&lists_dir)
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty());
}
