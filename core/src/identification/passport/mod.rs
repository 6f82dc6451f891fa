//! PASSporTs (RFC 8225) carried in SIP `Identity` headers (RFC 8224): the SHAKEN
//! profile (RFC 8588), diverted calls (`div`, RFC 8946) and rich call data
//! (`rcd`, RFC 9795): parsing and verification.
//!
//! [`verify::verify_identity`] runs the checks of one `shaken` PASSporT in the
//! order of CONTRACT.md, each failure a [`crate::reason::ReasonCode`];
//! [`verify_identities`] runs all the headers of a call together, following `div`
//! chains; [`rich_call_data`] decides what rich call data may be shown.
//! Certificates come through [`verify::SignerLookup`] so this module does no I/O.

mod claims;
mod constraints;
mod div;
mod identities;
mod identity_header;
mod jws;
mod rcd;
mod replay;
mod strict_json;
mod verify;

pub use claims::ShakenClaims;
pub use div::{reach, DivClaims, DivOutcome};
pub use identities::{verify_identities, IdentityOutcomes};
pub use identity_header::{parse_identity_header, IdentityHeader};
pub use jws::{JoseHeader, Jws};
pub use rcd::{
    digest_matches, rich_call_data, RcdClaims, RcdOutcome, RcdPassport, RcdRejection, RichCallData,
};
pub use replay::ReplayCache;
pub use strict_json::{parse_object, StrictJsonError};
pub use verify::{verify_identity, CallBinding, PassportCheck, PassportOutcome, SignerLookup};
