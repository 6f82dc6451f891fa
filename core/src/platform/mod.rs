//! Platform adapters: the two ways a phone's operating system lets an app take
//! part in incoming calls, and how the core's results fit them.
//!
//! - [`android`]: a `CallScreeningService` sees one call at a time through
//!   `Call.Details` (a handle, its presentation, the network's verification
//!   status) and answers with a `CallResponse`. [`android::CallDetails`] turns
//!   those fields into an [`crate::IncomingCall`]; [`android::CallResponse`] turns
//!   a verdict's action into flags Android accepts.
//! - [`callkit`]: iOS gives an app no per-call hook. A Call Directory extension
//!   hands the system sorted lists of numbers to block and to label, ahead of
//!   time. [`callkit::CallDirectoryExport`] streams those lists from the stored
//!   rules and the operator's lists, in chunks, within a budget, and as deltas
//!   against what the extension last loaded.
//!
//! Neither adapter decides anything the screener does not: they translate.
//! `docs/platform-integration.md` shows the app side of both.

pub mod android;
pub mod callkit;
