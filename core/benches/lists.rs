//! List benchmarks: importing 1 M numbers in random order; exact and
//! longest-prefix lookups at 1 M numbers + 100 k prefixes (mean from criterion,
//! p50/p99 printed from 200 k timed lookups); and `screen` with and without that
//! list, in one run, so the README can quote what lists add.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use callscreen_core::identification::cert::DirectorySource;
use callscreen_core::marking::lists::OperatorList;
use callscreen_core::{FixedClock, Screener, ScreenerConfig};
use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

const NUMBERS: u64 = 1_000_000;
const PREFIXES: u64 = 100_000;

fn data(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/data")
        .join(rel)
}

/// A pseudo-random permutation of 1 M NANP numbers, then 100 k prefixes.
fn write_list(path: &Path) {
    let mut w = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    for i in 0..NUMBERS {
        let n = (i * 7_919 + 13) % NUMBERS;
        writeln!(w, "number,+1303{:07},telemarketing", n * 10 % 10_000_000).unwrap();
    }
    for i in 0..PREFIXES {
        writeln!(w, "prefix,+1404{:05},robocall", (i * 31) % 100_000).unwrap();
    }
}

fn screener(db: &Path) -> Screener {
    let config = ScreenerConfig {
        db_path: Some(db.to_path_buf()),
        trust_anchors_pem: vec![std::fs::read(data("pki/sti-ca-root.pem")).unwrap()],
        own_numbers: vec!["+12155551213".into()],
        ..ScreenerConfig::default()
    };
    Screener::open(
        config,
        Arc::new(DirectorySource::new(data("certs"))),
        Arc::new(FixedClock(1_795_348_800)),
    )
    .unwrap()
}

fn percentiles(list: &OperatorList) {
    let mut samples = Vec::with_capacity(200_000);
    for i in 0..200_000u64 {
        let n = if i % 2 == 0 {
            format!("+1303{:07}", (i * 7_919) % 1_000_000 * 10)
        } else {
            format!("+1404{:05}{:02}", (i * 31) % 100_000, i % 100)
        };
        let t = Instant::now();
        black_box(list.lookup(black_box(&n)));
        samples.push(t.elapsed());
    }
    samples.sort();
    let p = |q: f64| samples[((samples.len() as f64 - 1.0) * q) as usize];
    eprintln!(
        "operator list lookup at 1 M numbers + 100 k prefixes: p50 {:?}, p99 {:?}",
        p(0.50),
        p(0.99)
    );
}

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let list = dir.path().join("list.txt");
    write_list(&list);

    let mut group = c.benchmark_group("lists");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(20));
    group.bench_function("import_1m_random_order", |b| {
        let s = screener(&dir.path().join("import.db"));
        b.iter(|| {
            s.import_operator_list(std::fs::File::open(&list).unwrap(), false, &mut |_| {})
                .unwrap()
        })
    });
    group.finish();

    let with = screener(&dir.path().join("with.db"));
    with.import_operator_list(std::fs::File::open(&list).unwrap(), false, &mut |_| {})
        .unwrap();
    let without = screener(&dir.path().join("without.db"));
    let loaded = OperatorList::load(
        &std::fs::read_dir(dir.path().join("with.db.lists"))
            .unwrap()
            .next()
            .unwrap()
            .unwrap()
            .path(),
    )
    .unwrap();
    percentiles(&loaded);

    let mut group = c.benchmark_group("lists");
    group.bench_function("lookup_exact_1m", |b| {
        b.iter(|| loaded.lookup(black_box("+13030079190")))
    });
    group.bench_function("lookup_prefix_100k", |b| {
        b.iter(|| loaded.lookup(black_box("+14040003199")))
    });
    group.bench_function("lookup_miss", |b| {
        b.iter(|| loaded.lookup(black_box("+12025550123")))
    });
    let invite = std::fs::read(data("invites/01-good-attest-a.sip")).unwrap();
    group.bench_function("screen_without_list", |b| {
        b.iter(|| without.screen_sip(black_box(&invite)).unwrap())
    });
    group.bench_function("screen_with_1m_list", |b| {
        b.iter(|| with.screen_sip(black_box(&invite)).unwrap())
    });
    group.finish();
    let disk: u64 = std::fs::read_dir(dir.path().join("with.db.lists"))
        .unwrap()
        .flatten()
        .flat_map(|d| std::fs::read_dir(d.path()).unwrap().flatten())
        .map(|f| f.metadata().unwrap().len())
        .sum();
    eprintln!(
        "1 M numbers + 100 k prefixes on disk: {:.1} MB",
        disk as f64 / 1e6
    );
}

criterion_group!(benches, bench);
criterion_main!(benches);
