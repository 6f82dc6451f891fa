//! Intake from SIP: the few header fields of an INVITE that screening needs.
//!
//! This is not a SIP stack. It reads the start line and the header fields of one
//! request (RFC 3261 §7), tolerating what real networks send (compact names,
//! folded lines, case-insensitive names) and refusing cleanly what it cannot
//! read. Every size is bounded by [`crate::limits`].

mod headers;
mod name_addr;
mod parse;

pub use headers::{split_comma_list, HeaderName};
pub use name_addr::{NameAddr, Param, SipUri};
pub use parse::parse_invite;
