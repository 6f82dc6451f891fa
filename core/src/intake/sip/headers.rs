//! Header field names (full and compact forms, RFC 3261 §7.3.3) and value
//! splitting that respects quotes and angle brackets.

/// The header fields screening reads. Everything else is skipped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HeaderName {
    /// `From` / `f`.
    From,
    /// `To` / `t`.
    To,
    /// `Call-ID` / `i`.
    CallId,
    /// `Identity` / `y` (RFC 8224 §4).
    Identity,
    /// `P-Asserted-Identity` (RFC 3325 §9.1).
    PAssertedIdentity,
    /// `P-Called-Party-ID` (RFC 3455 §4.2).
    PCalledPartyId,
    /// `Privacy` (RFC 3323 §4.2).
    Privacy,
    /// `Date` (RFC 3261 §20.17).
    Date,
}

impl HeaderName {
    /// Recognise a header field name, case-insensitively, in full or compact form.
    pub fn parse(name: &str) -> Option<HeaderName> {
        let n = name.trim();
        // Most fields of an INVITE are none of ours: reject them on the first byte.
        if !matches!(
            n.as_bytes().first(),
            Some(
                b'f' | b'F'
                    | b't'
                    | b'T'
                    | b'c'
                    | b'C'
                    | b'i'
                    | b'I'
                    | b'y'
                    | b'Y'
                    | b'p'
                    | b'P'
                    | b'd'
                    | b'D'
            )
        ) {
            return None;
        }
        let eq = |s: &str| n.eq_ignore_ascii_case(s);
        Some(if eq("from") || eq("f") {
            HeaderName::From
        } else if eq("to") || eq("t") {
            HeaderName::To
        } else if eq("call-id") || eq("i") {
            HeaderName::CallId
        } else if eq("identity") || eq("y") {
            HeaderName::Identity
        } else if eq("p-asserted-identity") {
            HeaderName::PAssertedIdentity
        } else if eq("p-called-party-id") {
            HeaderName::PCalledPartyId
        } else if eq("privacy") {
            HeaderName::Privacy
        } else if eq("date") {
            HeaderName::Date
        } else {
            return None;
        })
    }
}

/// Split a header value at commas that are outside quoted strings and angle
/// brackets (RFC 3261 §7.3.1), trimming each element and dropping empty ones.
pub fn split_comma_list(value: &str) -> Vec<&str> {
    split_outside(value, b',').collect()
}

/// Split at `sep` outside `"..."` (with `\` escapes) and `<...>`, trimming each
/// element and dropping empty ones. Lazy: nothing is allocated.
pub(crate) fn split_outside(value: &str, sep: u8) -> SplitOutside<'_> {
    SplitOutside { rest: value, sep }
}

/// The iterator of [`split_outside`].
pub(crate) struct SplitOutside<'a> {
    rest: &'a str,
    sep: u8,
}

impl<'a> Iterator for SplitOutside<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        while !self.rest.is_empty() {
            let end = separator_at(self.rest, self.sep);
            let part = self.rest.get(..end).unwrap_or("").trim();
            self.rest = self.rest.get(end + 1..).unwrap_or("");
            if !part.is_empty() {
                return Some(part);
            }
        }
        None
    }
}

/// Byte offset of the first `sep` outside quotes and angle brackets, or the
/// length. Bytes, not chars: every delimiter is ASCII, so UTF-8 continuation
/// bytes never match and every returned offset is a char boundary.
fn separator_at(value: &str, sep: u8) -> usize {
    // Most values (an `Identity` token, one P-Asserted-Identity) have no
    // separator at all: one vectorised scan instead of a byte-by-byte walk.
    let Some(first) = memchr::memchr(sep, value.as_bytes()) else {
        return value.len();
    };
    if !value
        .as_bytes()
        .get(..first)
        .is_some_and(|b| b.iter().any(|&c| matches!(c, b'"' | b'<')))
    {
        return first;
    }
    let (mut in_quotes, mut escaped, mut angle) = (false, false, 0usize);
    for (i, &c) in value.as_bytes().iter().enumerate() {
        if in_quotes {
            if escaped {
                escaped = false;
            } else if c == b'\\' {
                escaped = true;
            } else if c == b'"' {
                in_quotes = false;
            }
            continue;
        }
        match c {
            b'"' => in_quotes = true,
            b'<' => angle += 1,
            b'>' => angle = angle.saturating_sub(1),
            c if c == sep && angle == 0 => return i,
            _ => {}
        }
    }
    value.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compact_and_case_insensitive_names() {
        assert_eq!(HeaderName::parse("y"), Some(HeaderName::Identity));
        assert_eq!(HeaderName::parse("IDENTITY"), Some(HeaderName::Identity));
        assert_eq!(HeaderName::parse("i"), Some(HeaderName::CallId));
        assert_eq!(
            HeaderName::parse("p-asserted-IDENTITY"),
            Some(HeaderName::PAssertedIdentity)
        );
        assert_eq!(HeaderName::parse("Via"), None);
    }

    #[test]
    fn commas_inside_quotes_and_brackets_do_not_split() {
        let v = r#""Doe, John" <sip:a@b;x=1,2>, <tel:+1215>"#;
        assert_eq!(
            split_comma_list(v),
            vec![r#""Doe, John" <sip:a@b;x=1,2>"#, "<tel:+1215>"]
        );
        let v = r#""a \" , b" <sip:x@y>,tel:+1"#;
        assert_eq!(
            split_comma_list(v),
            vec![r#""a \" , b" <sip:x@y>"#, "tel:+1"]
        );
    }
}
