//! A database file that is not a database (a failed flash write, a restore gone
//! wrong) fails `open` with a storage error, or, when the app opted in, is moved
//! aside and replaced by a new one so the dialer keeps screening.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod common;

use callscreen_core::identification::cert::NoSource;
use callscreen_core::marking::lists::{Effect, NewRule, RuleKind};
use callscreen_core::{Error, FixedClock, Screener, ScreenerConfig};
use common::FIXTURE_NOW;
use std::path::Path;
use std::sync::Arc;

fn open(path: &Path, start_fresh: bool) -> callscreen_core::Result<Screener> {
    let config = ScreenerConfig {
        db_path: Some(path.to_path_buf()),
        start_fresh_if_corrupt: start_fresh,
        ..ScreenerConfig::default()
    };
    Screener::open(
        config,
        Arc::new(NoSource),
        Arc::new(FixedClock(FIXTURE_NOW)),
    )
}

#[test]
fn a_corrupt_database_fails_open_unless_the_app_asks_to_start_fresh() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("callscreen.db");
    let garbage: Vec<u8> = (0..20_000u32).map(|i| (i * 7919 % 251) as u8).collect();
    std::fs::write(&path, &garbage).unwrap();

    let err = open(&path, false).unwrap_err();
    assert!(callscreen_core::store::is_corrupt(&err), "{err:?}");
    assert!(matches!(err, Error::Storage(_)));
    assert_eq!(std::fs::read(&path).unwrap(), garbage, "left untouched");

    let s = open(&path, true).unwrap();
    let aside = s.recovered_database().unwrap().to_path_buf();
    assert_eq!(
        aside,
        dir.path()
            .join(format!("callscreen.db.corrupt-{FIXTURE_NOW}"))
    );
    assert_eq!(std::fs::read(&aside).unwrap(), garbage, "kept for support");
    // The new database works and keeps what is written to it.
    let id = s
        .add_rule(NewRule::user(
            RuleKind::Number("+12025550123".into()),
            Effect::Block,
        ))
        .unwrap();
    drop(s);
    let again = open(&path, true).unwrap();
    assert_eq!(again.recovered_database(), None, "a healthy file is kept");
    assert_eq!(
        again
            .rules()
            .unwrap()
            .iter()
            .map(|r| r.id)
            .collect::<Vec<_>>(),
        vec![id]
    );
}

#[test]
fn a_healthy_database_is_never_moved() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("callscreen.db");
    drop(open(&path, true).unwrap());
    let s = open(&path, true).unwrap();
    assert_eq!(s.recovered_database(), None);
    assert_eq!(
        std::fs::read_dir(dir.path())
            .unwrap()
            .filter(|e| {
                e.as_ref()
                    .unwrap()
                    .file_name()
                    .to_string_lossy()
                    .contains("corrupt")
            })
            .count(),
        0
    );
}
