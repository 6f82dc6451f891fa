//! The Ut transport the app implements. The core builds each request (method,
//! path below the app's XCAP / Ut root, headers, body) and reads the response;
//! the app owns the network, TLS, authentication (Digest, GBA) and proxies.
//!
//! Calls are synchronous and made with no database lock held, so a slow
//! network never stalls screening.

use std::fmt;

/// The HTTP method of a Ut request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UtMethod {
    /// `GET`: read an XCAP document or element.
    Get,
    /// `PUT`: create or replace an XCAP element.
    Put,
    /// `POST`: submit a report.
    Post,
    /// `DELETE`: remove an XCAP element.
    Delete,
}

impl UtMethod {
    /// `GET`, `PUT`, `POST` or `DELETE`.
    pub fn as_str(self) -> &'static str {
        match self {
            UtMethod::Get => "GET",
            UtMethod::Put => "PUT",
            UtMethod::Post => "POST",
            UtMethod::Delete => "DELETE",
        }
    }
}

impl fmt::Display for UtMethod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One request over Ut.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UtRequest {
    /// The method.
    pub method: UtMethod,
    /// The path below the app's Ut root, without a leading `/`, already
    /// percent-encoded (an XCAP node selector included), e.g.
    /// `callscreen/reports` or
    /// `simservs.ngn.etsi.org/users/tel:+12155551213/simservs.xml`.
    pub path: String,
    /// Headers to send (`Content-Type`, `Idempotency-Key`, `If-Match`,
    /// `X-3GPP-Intended-Identity`, ...).
    pub headers: Vec<(String, String)>,
    /// The body (empty for GET and DELETE).
    pub body: Vec<u8>,
}

impl UtRequest {
    /// The value of header `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        find_header(&self.headers, name)
    }
}

/// The server's answer.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct UtResponse {
    /// The HTTP status code.
    pub status: u16,
    /// Response headers (`ETag`, `Content-Type`, `Retry-After`, ...).
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

impl UtResponse {
    /// The value of header `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        find_header(&self.headers, name)
    }
}

fn find_header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// Why the transport got no HTTP response. Every kind is retried later.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransportError {
    /// No answer in time.
    #[error("timeout: {reason}")]
    Timeout {
        /// What the transport saw.
        reason: String,
    },
    /// The server could not be reached (offline, DNS, connection refused, TLS).
    #[error("unreachable: {reason}")]
    Unreachable {
        /// What the transport saw.
        reason: String,
    },
    /// Anything else (the app's own failure).
    #[error("{reason}")]
    Other {
        /// What the transport saw.
        reason: String,
    },
}

/// Sends Ut requests; implemented by the app (the CLI: an HTTP client with TLS,
/// Digest and Basic authentication).
pub trait UtTransport: Send + Sync {
    /// Send one request and return the server's response, whatever its status.
    ///
    /// # Errors
    /// [`TransportError`] when no HTTP response arrived.
    fn send(&self, request: UtRequest) -> Result<UtResponse, TransportError>;
}
