//! Read one SIP request into an [`IncomingCall`].

use super::headers::{split_outside, HeaderName};
use super::name_addr::NameAddr;
use crate::error::{Error, Result};
use crate::intake::call::IncomingCall;
use crate::limits::{Limit, MAX_HEADERS, MAX_IDENTITY_HEADERS, MAX_MESSAGE_BYTES};
use std::borrow::Cow;

/// Parse a SIP INVITE (RFC 3261 §7) into an [`IncomingCall`].
///
/// Accepts CRLF or bare LF line ends, folded header lines (§7.3.1), compact header
/// names (§7.3.3) and comma-joined values. The body is ignored.
///
/// # Errors
/// - [`Error::TooLarge`] when the message is over 64 KiB, has more than 256 header
///   fields or more than 8 `Identity` values.
/// - [`Error::NotSipRequest`] when the start line is not `INVITE <uri> SIP/2.0`.
pub fn parse_invite(message: &[u8]) -> Result<IncomingCall> {
    if message.len() > MAX_MESSAGE_BYTES {
        return Err(Error::TooLarge {
            limit: Limit::MessageBytes,
            actual: message.len(),
            max: MAX_MESSAGE_BYTES,
        });
    }
    let mut lines = Lines { rest: message };
    // RFC 3261 §7.5: implementations should ignore empty lines before the start line.
    let start = loop {
        match lines.next_line() {
            Some(l) if l.iter().all(u8::is_ascii_whitespace) => continue,
            Some(l) => break l,
            None => return Err(Error::NotSipRequest("empty message".into())),
        }
    };
    let request_uri = parse_start_line(&String::from_utf8_lossy(start))?;

    let mut call = IncomingCall {
        request_uri: Some(request_uri),
        ..IncomingCall::default()
    };
    let mut fields = 0usize;
    while let Some(field) = lines.next_field() {
        fields += 1;
        if fields > MAX_HEADERS {
            return Err(Error::TooLarge {
                limit: Limit::Headers,
                actual: fields,
                max: MAX_HEADERS,
            });
        }
        // Most fields of an INVITE are none of ours: the name is read before the
        // value is decoded or unfolded.
        let Some(colon) = memchr::memchr(b':', field.first_line) else {
            continue; // not a header field; RFC 4475 torture tests have these
        };
        let name = field.first_line.get(..colon).unwrap_or_default();
        let Some(name) = std::str::from_utf8(name).ok().and_then(HeaderName::parse) else {
            continue;
        };
        let value = field.value(colon + 1);
        apply(&mut call, name, value.trim())?;
    }
    Ok(call)
}

fn apply(call: &mut IncomingCall, name: HeaderName, value: &str) -> Result<()> {
    match name {
        HeaderName::From => {
            call.from = call.from.take().or_else(|| NameAddr::parse(value));
        }
        HeaderName::To => call.to = call.to.take().or_else(|| NameAddr::parse(value)),
        HeaderName::PCalledPartyId => {
            call.p_called_party_id = call
                .p_called_party_id
                .take()
                .or_else(|| NameAddr::parse(value))
        }
        HeaderName::CallId => {
            if call.call_id.is_none() && !value.is_empty() {
                call.call_id = Some(value.to_string());
            }
        }
        HeaderName::PAssertedIdentity => {
            call.p_asserted_identity
                .extend(split_outside(value, b',').filter_map(NameAddr::parse));
        }
        HeaderName::Identity => {
            for v in split_outside(value, b',') {
                call.identity.push(v.to_string());
                if call.identity.len() > MAX_IDENTITY_HEADERS {
                    return Err(Error::TooLarge {
                        limit: Limit::IdentityHeaders,
                        actual: call.identity.len(),
                        max: MAX_IDENTITY_HEADERS,
                    });
                }
            }
        }
        HeaderName::Privacy => {
            for v in split_outside(value, b',') {
                call.privacy
                    .extend(split_outside(v, b';').map(str::to_ascii_lowercase));
            }
        }
        HeaderName::Date => {
            if call.date.is_none() {
                call.date = chrono::DateTime::parse_from_rfc2822(value)
                    .ok()
                    .map(|d| d.timestamp());
            }
        }
    }
    Ok(())
}

/// `INVITE <Request-URI> SIP/2.0` → the Request-URI.
fn parse_start_line(line: &str) -> Result<String> {
    let mut parts = line.split_whitespace();
    let (method, uri, version) = (parts.next(), parts.next(), parts.next());
    match (method, uri, version, parts.next()) {
        (Some(m), Some(u), Some(v), None) if v.eq_ignore_ascii_case("SIP/2.0") => {
            if m != "INVITE" {
                return Err(Error::NotSipRequest(format!(
                    "method {} is not INVITE",
                    truncate(m)
                )));
            }
            Ok(u.to_string())
        }
        (Some(v), ..) if v.starts_with("SIP/") => {
            Err(Error::NotSipRequest("a response, not a request".into()))
        }
        _ => Err(Error::NotSipRequest(format!(
            "bad start line: {}",
            truncate(line)
        ))),
    }
}

fn truncate(s: &str) -> String {
    s.chars().take(40).collect()
}

/// Text borrowed when valid UTF-8 (checked by `from_utf8`'s ASCII fast path);
/// a lossy copy otherwise.
fn utf8(bytes: &[u8]) -> Cow<'_, str> {
    match std::str::from_utf8(bytes) {
        Ok(s) => Cow::Borrowed(s),
        Err(_) => String::from_utf8_lossy(bytes),
    }
}

/// The lines of a message's header section (RFC 3261 §7), as bytes without
/// their CRLF or LF: ends at the first empty line (the body is never read).
struct Lines<'a> {
    rest: &'a [u8],
}

/// One header field: its first line, and the rest of the header section up to
/// the end of its last continuation line (SP or HTAB first, RFC 3261 §7.3.1).
struct Field<'a> {
    first_line: &'a [u8],
    continuations: &'a [u8],
}

impl<'a> Lines<'a> {
    fn next_line(&mut self) -> Option<&'a [u8]> {
        if self.rest.is_empty() {
            return None;
        }
        let (line, rest) = match memchr::memchr(b'\n', self.rest) {
            Some(nl) => (
                self.rest.get(..nl).unwrap_or_default(),
                self.rest.get(nl + 1..).unwrap_or_default(),
            ),
            None => (self.rest, &[][..]),
        };
        self.rest = rest;
        Some(line.strip_suffix(b"\r").unwrap_or(line))
    }

    /// The next header field, with its continuation lines; `None` at the empty
    /// line that ends the header section.
    fn next_field(&mut self) -> Option<Field<'a>> {
        let first_line = self.next_line().filter(|l| !l.is_empty())?;
        let start = self.rest;
        while matches!(self.rest.first(), Some(b' ' | b'\t')) {
            self.next_line();
        }
        let consumed = start.len() - self.rest.len();
        Some(Field {
            first_line,
            continuations: start.get(..consumed).unwrap_or_default(),
        })
    }
}

impl<'a> Field<'a> {
    /// The value from byte `from` of the first line on, continuation lines joined
    /// with one space. Borrowed when the field is one line of valid UTF-8 (the
    /// per-call path); a malformed field pays for a lossy copy.
    fn value(&self, from: usize) -> Cow<'a, str> {
        let first = self.first_line.get(from..).unwrap_or_default();
        if self.continuations.is_empty() {
            return utf8(first);
        }
        let mut joined = utf8(first).into_owned();
        let mut cont = Lines {
            rest: self.continuations,
        };
        while let Some(line) = cont.next_line() {
            joined.push(' ');
            joined.push_str(utf8(line).trim());
        }
        Cow::Owned(joined)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const INVITE: &str = "INVITE sip:+12155551213@ims.example.net;user=phone SIP/2.0\r\n\
Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK1\r\n\
f: \"Bob\" <sip:+12155551212@example.com;user=phone>;tag=1\r\n\
t: <sip:+12155551213@example.net>\r\n\
i: abc@host\r\n\
P-Asserted-Identity: <sip:+12155551212@example.com;user=phone>, <tel:+12155551212>\r\n\
y: aaa.bbb.ccc\r\n ;info=<https://x/y.pem>;alg=ES256\r\n\
Identity: ddd.eee.fff;info=<https://x/z.pem>, ggg.hhh.iii;info=<https://x/w.pem>\r\n\
Privacy: id;critical\r\n\
Date: Sun, 22 Nov 2026 11:59:55 GMT\r\n\
Content-Length: 0\r\n\r\n";

    #[test]
    fn reads_every_field_we_need() {
        let call = parse_invite(INVITE.as_bytes()).unwrap();
        assert_eq!(
            call.request_uri.as_deref(),
            Some("sip:+12155551213@ims.example.net;user=phone")
        );
        assert_eq!(call.call_id.as_deref(), Some("abc@host"));
        assert_eq!(call.p_asserted_identity.len(), 2);
        assert_eq!(call.identity.len(), 3);
        assert_eq!(
            call.identity[0],
            "aaa.bbb.ccc ;info=<https://x/y.pem>;alg=ES256"
        );
        assert_eq!(call.privacy, vec!["id", "critical"]);
        assert_eq!(call.date, Some(1795348795));
        assert_eq!(call.from.unwrap().display_name().as_deref(), Some("Bob"));
    }

    #[test]
    fn stops_at_the_body_and_survives_bad_utf8() {
        let mut msg = b"INVITE sip:a@b SIP/2.0\nFrom: \"\xff\xfe\" <tel:+12155551212>\n".to_vec();
        msg.extend_from_slice(b"\nIdentity: from.the.body;info=<https://x>\n");
        let call = parse_invite(&msg).unwrap();
        let from = call.from.unwrap();
        assert_eq!(from.uri.telephone_number(), Some("+12155551212"));
        assert_eq!(from.display_name().as_deref(), Some("\u{fffd}\u{fffd}"));
        assert!(call.identity.is_empty(), "the body is not headers");
    }

    #[test]
    fn refuses_responses_and_other_methods() {
        assert!(matches!(
            parse_invite(b"SIP/2.0 200 OK\r\n\r\n"),
            Err(Error::NotSipRequest(_))
        ));
        assert!(matches!(
            parse_invite(b"OPTIONS sip:a@b SIP/2.0\r\n\r\n"),
            Err(Error::NotSipRequest(_))
        ));
        assert!(matches!(parse_invite(b""), Err(Error::NotSipRequest(_))));
        assert!(matches!(
            parse_invite(b"INVITE sip:a@b SIP/3.0\r\n\r\n"),
            Err(Error::NotSipRequest(_))
        ));
    }

    #[test]
    fn limits() {
        let big = vec![b'a'; MAX_MESSAGE_BYTES + 1];
        assert!(matches!(
            parse_invite(&big),
            Err(Error::TooLarge {
                limit: Limit::MessageBytes,
                ..
            })
        ));
        let mut many = String::from("INVITE sip:a@b SIP/2.0\r\n");
        for _ in 0..=MAX_IDENTITY_HEADERS {
            many.push_str("Identity: a.b.c;info=<https://x>\r\n");
        }
        assert!(matches!(
            parse_invite(many.as_bytes()),
            Err(Error::TooLarge {
                limit: Limit::IdentityHeaders,
                ..
            })
        ));
    }
}
