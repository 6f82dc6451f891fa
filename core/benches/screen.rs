//! `screen_full_verify`: INVITE text in, verdict out, with the signer's chain
//! validated once before (a known signer), against `ring_raw_verify` of the same
//! ES256 signature over the same bytes, in one run. The README quotes the ratio.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;

#[path = "support/fixture.rs"]
mod fixture;

fn bench(c: &mut Criterion) {
    let fixture::Fixture {
        invite,
        screener,
        input,
        sig,
        key,
    } = fixture::fixture();

    let mut group = c.benchmark_group("verify");
    group.bench_function("ring_raw_verify", |b| {
        b.iter(|| {
            ring::signature::UnparsedPublicKey::new(&ring::signature::ECDSA_P256_SHA256_FIXED, &key)
                .verify(black_box(input.as_bytes()), black_box(&sig))
                .unwrap()
        })
    });
    group.bench_function("screen_full_verify", |b| {
        b.iter(|| screener.screen_sip(black_box(&invite)).unwrap())
    });
    group.bench_function("parse_invite", |b| {
        b.iter(|| callscreen_core::intake::sip::parse_invite(black_box(&invite)).unwrap())
    });
    let call = callscreen_core::intake::sip::parse_invite(&invite).unwrap();
    group.bench_function("screen_parsed_call", |b| {
        b.iter(|| screener.screen(black_box(&call)).unwrap())
    });
    group.finish();

    // Number normalisation: `+E.164` takes a fast path; a national number goes
    // through libphonenumber (its `regex` or `regex-lite` engine, by the
    // `phonenumber-regex` feature: compare with `--no-default-features`).
    let us = callscreen_core::intake::number::DefaultRegion::parse("US");
    let mut group = c.benchmark_group("number");
    group.bench_function("e164_fast_path", |b| {
        b.iter(|| callscreen_core::intake::number::to_e164(black_box("+12155551212"), us).unwrap())
    });
    group.bench_function("national_libphonenumber", |b| {
        b.iter(|| {
            callscreen_core::intake::number::to_e164(black_box("(215) 555-1212"), us).unwrap()
        })
    });
    group.finish();

    assert_eq!(
        screener.chain_validations().unwrap(),
        1,
        "the chain was validated once"
    );
}

criterion_group!(benches, bench);
criterion_main!(benches);
