//! PASSporTs (RFC 8225) carried in SIP `Identity` headers (RFC 8224), in the
//! SHAKEN profile (RFC 8588): parsing and verification.
//!
//! [`verify::verify_identity`] runs the checks in the order of CONTRACT.md, each
//! failure a [`crate::reason::ReasonCode`]; certificates come through
//! [`verify::SignerLookup`] so this module does no I/O.

mod claims;
mod identity_header;
mod jws;
mod replay;
mod strict_json;
mod verify;

pub use claims::ShakenClaims;
pub use identity_header::{parse_identity_header, IdentityHeader};
pub use jws::{JoseHeader, Jws};
pub use replay::ReplayCache;
pub use strict_json::{parse_object, StrictJsonError};
pub use verify::{verify_identity, CallBinding, PassportCheck, PassportOutcome, SignerLookup};
