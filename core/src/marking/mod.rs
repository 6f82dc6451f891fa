//! Marking, the second step: an explainable likelihood that the call is spoofed
//! or unsolicited.
//!
//! - [`lists`]: the user's and the operator's block and exception rules, and
//!   which one wins (precedence in `lists/decide.rs`);
//! - [`protection`]: when blocking is suspended (the emergency-callback window,
//!   operator-configured service numbers);
//! - [`score`]: named signals and their weights (`docs/scoring.md`).

pub mod lists;
pub mod protection;
pub mod score;

pub use score::{mark, signals, weight, SignalInput, REPEAT_CALLER_THRESHOLD};
