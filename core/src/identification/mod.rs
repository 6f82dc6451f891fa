//! Identification, the first step of unsolicited-communication prevention:
//! can the caller's number be trusted?
//!
//! - [`passport`]: the `Identity` header fields (RFC 8224), their PASSporTs
//!   (RFC 8225; SHAKEN RFC 8588, `div` RFC 8946, `rcd` RFC 9795), checked in
//!   the order written down in `passport/verify.rs`;
//! - [`cert`]: STI certificates (RFC 8226 TNAuthList, RFC 9060 delegates),
//!   SHAKEN-profile path validation, CRLs, the chain cache;
//! - [`verstat`]: the network's verification result (3GPP TS 24.229 §7.2A.20);
//! - [`evidence`]: how the three sources combine into one [`Verification`].

pub mod cert;
pub mod evidence;
pub mod passport;
pub mod verification;
pub mod verstat;

pub use evidence::{identify, Evidence};
pub use verification::Verification;
