//! Presentation: what the dialer shows.
//!
//! - [`indication`]: CLIP/CLIR (RFC 3323, TS 24.607), the indication (verified
//!   business, verified, unverified, likely spam, withheld, number not
//!   available) and the display;
//! - [`display_safety`]: names and reasons made safe to show (controls,
//!   bidirectional overrides, confusables).

pub mod display_safety;
pub mod indication;

pub use indication::{caller, indicate, Display, Indication, Presentation};
