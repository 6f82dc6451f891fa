//! # callscreen-core
//!
//! On-device screening of incoming calls: STIR/SHAKEN verification, marking and
//! reaction, for dialer apps on Android and iOS. No FFI attributes and no network
//! here; `callscreen-ffi` exports this crate through uniffi and the `callscreen`
//! CLI drives it on captured INVITEs.
//!
//! One call flows through the modules in this order (see `docs/architecture.md`):
//!
//! | step | module |
//! |---|---|
//! | intake: the SIP INVITE or the platform's fields | [`sip`], [`call`], [`number`] |
//! | identification: PASSporTs, certificates, `verstat` | [`passport`], [`cert`], [`verstat`], [`verification`] |
//! | marking: an explainable likelihood | [`marking`], [`reason`] |
//! | reaction: the action | [`policy`] |
//! | presentation: indication and display, text shown safely | [`presentation`], [`display_safety`] |
//! | the verdict that ties them together | [`verdict`], [`screener`] |
//! | platform adapters: Android `CallResponse`, iOS Call Directory | [`platform`] |
//! | after the call: history, corrections, reports and their outbox | [`history`], [`report`] |
//!
//! Storage lives in [`store`] (one SQLite file); time is injected through
//! [`clock::Clock`] so every check is testable.
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

pub mod call;
pub mod cert;
pub mod clock;
pub mod config;
pub mod display_safety;
pub mod error;
pub mod history;
pub mod identification;
pub mod limits;
pub mod lists;
pub mod marking;
pub mod number;
pub mod passport;
pub mod platform;
pub mod policy;
pub mod presentation;
pub mod reason;
pub mod report;
pub mod screener;
pub mod screener_history;
mod screener_identity;
pub mod screener_lists;
pub mod sip;
pub mod store;
pub mod verdict;
pub mod verification;
pub mod verstat;

pub use call::{IncomingCall, PlatformVerificationStatus};
pub use clock::{Clock, FixedClock, SystemClock};
pub use config::ScreenerConfig;
pub use error::{Error, Result};
pub use screener::Screener;
pub use verdict::Verdict;
