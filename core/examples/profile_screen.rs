//! Instruction-count profiling of the per-call path (repeatable on a shared
//! machine, unlike wall time): `valgrind --tool=callgrind` on
//! `profile_screen {base|verify|screen} N` and compare the totals.
//! See `scripts/profile-screen.sh`.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::hint::black_box;

#[path = "../benches/support/fixture.rs"]
mod fixture;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let mode = args.get(1).map(String::as_str).unwrap_or("screen");
    let n: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(1000);
    let fixture::Fixture {
        invite,
        screener,
        input,
        sig,
        key,
    } = fixture::fixture();
    for _ in 0..n {
        match mode {
            "verify" => ring::signature::UnparsedPublicKey::new(
                &ring::signature::ECDSA_P256_SHA256_FIXED,
                &key,
            )
            .verify(black_box(input.as_bytes()), black_box(&sig))
            .unwrap(),
            "screen" => {
                black_box(screener.screen_sip(black_box(&invite)).unwrap());
            }
            _ => {}
        }
    }
}
