//! Size limits on every input. Over a limit, the API returns
//! [`crate::Error::TooLarge`] (the CLI exits 2) or, inside one PASSporT, the
//! verification fails with `size_limit`; nothing is ever parsed unbounded.

use std::fmt;

/// A whole SIP message, in bytes.
pub const MAX_MESSAGE_BYTES: usize = 64 * 1024;
/// `Identity` header fields in one request.
pub const MAX_IDENTITY_HEADERS: usize = 8;
/// One PASSporT (compact JWS), in bytes.
pub const MAX_TOKEN_BYTES: usize = 8 * 1024;
/// One certificate chain (PEM or DER), in bytes.
pub const MAX_CHAIN_BYTES: usize = 64 * 1024;
/// Certificates in one path, anchor included (ATIS-1000080 hierarchies have 3).
pub const MAX_PATH_CERTS: usize = 4;
/// Header fields in one SIP message.
pub const MAX_HEADERS: usize = 256;
/// `dest.tn` entries in one PASSporT.
pub const MAX_DEST_TNS: usize = 32;

/// Which limit an input exceeded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    /// [`MAX_MESSAGE_BYTES`].
    MessageBytes,
    /// [`MAX_IDENTITY_HEADERS`].
    IdentityHeaders,
    /// [`MAX_TOKEN_BYTES`].
    TokenBytes,
    /// [`MAX_CHAIN_BYTES`].
    ChainBytes,
    /// [`MAX_HEADERS`].
    Headers,
}

impl fmt::Display for Limit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Limit::MessageBytes => "message size",
            Limit::IdentityHeaders => "Identity header count",
            Limit::TokenBytes => "PASSporT size",
            Limit::ChainBytes => "certificate chain size",
            Limit::Headers => "header count",
        })
    }
}
