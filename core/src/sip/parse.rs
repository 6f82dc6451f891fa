//! Read one SIP request into an [`IncomingCall`].

use super::headers::{split_comma_list, split_outside, HeaderName};
use super::name_addr::NameAddr;
use crate::call::IncomingCall;
use crate::error::{Error, Result};
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
    let head_len = header_section_len(message);
    let raw_head = message.get(..head_len).unwrap_or(message);
    // Valid UTF-8 (the usual case) is borrowed after a fast ASCII check; only a
    // malformed message pays for the lossy copy.
    let head: Cow<'_, str> = match std::str::from_utf8(raw_head) {
        Ok(s) => Cow::Borrowed(s),
        Err(_) => String::from_utf8_lossy(raw_head),
    };
    let mut lines = head.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l));

    // RFC 3261 §7.5: implementations should ignore empty lines before the start line.
    let start = lines
        .by_ref()
        .find(|l| !l.trim().is_empty())
        .ok_or_else(|| Error::NotSipRequest("empty message".into()))?;
    let request_uri = parse_start_line(start)?;

    let mut call = IncomingCall {
        request_uri: Some(request_uri),
        ..IncomingCall::default()
    };
    let mut fields = 0usize;
    for field in (Unfold {
        lines: lines.peekable(),
    }) {
        fields += 1;
        if fields > MAX_HEADERS {
            return Err(Error::TooLarge {
                limit: Limit::Headers,
                actual: fields,
                max: MAX_HEADERS,
            });
        }
        let Some((name, value)) = field.split_once(':') else {
            continue; // not a header field; RFC 4475 torture tests have these
        };
        let Some(name) = HeaderName::parse(name) else {
            continue;
        };
        let value = value.trim();
        apply(&mut call, name, value)?;
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
            call.p_asserted_identity.extend(
                split_comma_list(value)
                    .into_iter()
                    .filter_map(NameAddr::parse),
            );
        }
        HeaderName::Identity => {
            for v in split_comma_list(value) {
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
            for v in split_comma_list(value) {
                call.privacy.extend(
                    split_outside(v, ';')
                        .into_iter()
                        .map(str::to_ascii_lowercase),
                );
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

/// Length of the header section: up to the first empty line (CRLF or LF), in
/// one pass over the bytes.
fn header_section_len(message: &[u8]) -> usize {
    let mut i = 0;
    while let Some(off) = message
        .get(i..)
        .and_then(|rest| rest.iter().position(|&b| b == b'\n'))
    {
        let nl = i + off;
        match (message.get(nl + 1), message.get(nl + 2)) {
            (Some(b'\n'), _) => return nl,
            (Some(b'\r'), Some(b'\n')) => return nl,
            _ => i = nl + 1,
        }
    }
    message.len()
}

/// Header fields with their continuation lines (starting with SP or HTAB)
/// joined; a field without continuations is borrowed, not copied (the per-call
/// path). Streams: nothing is collected.
struct Unfold<'a, I: Iterator<Item = &'a str>> {
    lines: std::iter::Peekable<I>,
}

impl<'a, I: Iterator<Item = &'a str>> Iterator for Unfold<'a, I> {
    type Item = Cow<'a, str>;

    fn next(&mut self) -> Option<Cow<'a, str>> {
        loop {
            let line = self.lines.next()?;
            if line.trim().is_empty() {
                continue;
            }
            let mut field = Cow::Borrowed(line);
            while let Some(cont) = self.lines.next_if(|l| l.starts_with([' ', '\t'])) {
                let joined = field.to_mut();
                joined.push(' ');
                joined.push_str(cont.trim());
            }
            return Some(field);
        }
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
        assert_eq!(call.from.unwrap().display_name.as_deref(), Some("Bob"));
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
