//! # callscreen-core
//!
//! On-device screening of incoming calls: STIR/SHAKEN verification, marking and
//! reaction, for dialer apps on Android and iOS. No FFI attributes and no network
//! here; `callscreen-ffi` exports this crate through uniffi and the `callscreen`
//! CLI drives it on captured INVITEs.
//!
//! One call flows through the folders in this order (`docs/architecture.md`
//! tells the whole story, with the threads and the database connections):
//!
//! | step | module |
//! |---|---|
//! | intake: the SIP INVITE or the platform's fields, as one call | [`intake`] |
//! | identification: PASSporTs, certificates, `verstat`, combined | [`identification`] |
//! | marking: lists, protection, an explainable likelihood | [`marking`] |
//! | reaction: the action, by policy | [`reaction`] |
//! | presentation: indication and display, text shown safely | [`presentation`] |
//! | the facade that runs the steps, and the verdict they make | [`screener`], [`verdict`] |
//! | after the call: history, corrections | [`history`] |
//! | reports, XCAP documents, the durable outbox | [`reports`] |
//! | platform adapters: Android `CallResponse`, iOS Call Directory | [`platform`] |
//! | every SQL statement: one SQLite file, its connections and schema | [`store`] |
//!
//! Shared by every step: [`reason`] (the machine-readable "why"), [`limits`]
//! (input sizes), [`clock`] (time is injected so every check is testable),
//! [`config`] and [`error`].
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

pub mod clock;
pub mod config;
pub mod error;
pub mod history;
pub mod identification;
pub mod intake;
pub mod limits;
pub mod marking;
pub mod platform;
pub mod presentation;
pub mod reaction;
pub mod reason;
pub mod reports;
pub mod screener;
pub mod store;
pub mod verdict;

pub use clock::{Clock, FixedClock, SystemClock};
pub use config::ScreenerConfig;
pub use error::{Error, Result};
pub use identification::verification::Verification;
pub use intake::{IncomingCall, PlatformVerificationStatus};
pub use presentation::{Indication, Presentation};
pub use reaction::{Action, Policy};
pub use screener::Screener;
pub use verdict::Verdict;
