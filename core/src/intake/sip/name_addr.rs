//! `name-addr` / `addr-spec` values (RFC 3261 §20.10, §25.1) and the parts of SIP
//! and tel URIs (RFC 3966) that identify a caller: the user part, its parameters
//! (where `verstat` lives in the sip form, TS 24.229 §7.2A.20) and `user=phone`.
//!
//! Each value keeps the text as received and records where its parts lie
//! ([`Span`]s), so parsing costs one copy per value instead of one per part
//! (this runs on every screened call). Parameters are found on demand.

use super::headers::split_outside;
use std::borrow::Cow;

/// Where a part lies in the text it was parsed from (byte offsets).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct Span {
    start: usize,
    end: usize,
}

impl Span {
    /// The span of `part`, a subslice of `whole`.
    fn of(whole: &str, part: &str) -> Span {
        let start = (part.as_ptr() as usize).saturating_sub(whole.as_ptr() as usize);
        Span {
            start,
            end: start + part.len(),
        }
    }

    fn get<'a>(&self, whole: &'a str) -> &'a str {
        whole.get(self.start..self.end).unwrap_or("")
    }
}

/// One `name=value` (or bare `name`) parameter, borrowed from the value it came
/// from. Names are as received: compare them case-insensitively.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Param<'a> {
    /// The parameter name.
    pub name: &'a str,
    /// The value, without surrounding quotes; `None` for a bare name.
    pub value: Option<&'a str>,
}

/// The parameters in `section` (the text after a `;`), in order.
fn params(section: &str) -> impl Iterator<Item = Param<'_>> {
    split_outside(section, b';').map(|p| match p.split_once('=') {
        Some((n, v)) => Param {
            name: n.trim(),
            value: Some(v.trim().trim_matches('"')),
        },
        None => Param {
            name: p,
            value: None,
        },
    })
}

fn find_param<'a>(section: &'a str, name: &str) -> Option<Param<'a>> {
    params(section).find(|p| p.name.eq_ignore_ascii_case(name))
}

/// A SIP, SIPS or tel URI, split into the parts screening reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SipUri {
    raw: String,
    scheme: Span,
    user: Option<Span>,
    user_params: Span,
    host: Option<Span>,
    uri_params: Span,
}

impl SipUri {
    /// Parse a URI. Returns `None` when there is no scheme.
    pub fn parse(raw: &str) -> Option<SipUri> {
        let raw = raw.trim();
        let (scheme, rest) = raw.split_once(':')?;
        if scheme.is_empty()
            || !scheme
                .bytes()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'+' | b'-' | b'.'))
        {
            return None;
        }
        let is_tel = scheme.eq_ignore_ascii_case("tel");
        let is_sip = scheme.eq_ignore_ascii_case("sip") || scheme.eq_ignore_ascii_case("sips");
        let span = |part: &str| Span::of(raw, part);
        let nonempty = |part: &str| (!part.is_empty()).then(|| Span::of(raw, part));
        let mut uri = SipUri {
            raw: String::new(),
            scheme: span(scheme),
            user: None,
            user_params: Span::default(),
            host: None,
            uri_params: Span::default(),
        };
        // Headers (`?a=b`) carry nothing we read.
        let rest = rest.split('?').next().unwrap_or(rest);
        if is_tel {
            let (user, params) = rest.split_once(';').unwrap_or((rest, ""));
            uri.user = nonempty(user);
            uri.user_params = span(params);
        } else if is_sip {
            let (userinfo, hostport) = match rest.rfind('@') {
                Some(at) => (rest.get(..at), rest.get(at + 1..).unwrap_or("")),
                None => (None, rest),
            };
            if let Some(userinfo) = userinfo {
                // user[:password], where user may carry ;params (RFC 4694 style).
                let user = userinfo.split(':').next().unwrap_or(userinfo);
                let (user, params) = user.split_once(';').unwrap_or((user, ""));
                uri.user = nonempty(user);
                uri.user_params = span(params);
            }
            let (host, params) = hostport.split_once(';').unwrap_or((hostport, ""));
            uri.host = nonempty(host);
            uri.uri_params = span(params);
        }
        uri.raw = raw.to_string();
        Some(uri)
    }

    /// The URI as received.
    pub fn raw(&self) -> &str {
        &self.raw
    }

    /// The scheme as received (`sip`, `sips`, `tel`, ...): compare it
    /// case-insensitively.
    pub fn scheme(&self) -> &str {
        self.scheme.get(&self.raw)
    }

    /// The user part (sip) or the telephone-subscriber (tel), without its parameters.
    pub fn user(&self) -> Option<&str> {
        self.user.map(|s| s.get(&self.raw))
    }

    /// The host (sip only), as received.
    pub fn host(&self) -> Option<&str> {
        self.host.map(|s| s.get(&self.raw))
    }

    /// Parameters of the user part (`sip:+1215;verstat=…@host`) or of the tel URI.
    pub fn user_params(&self) -> impl Iterator<Item = Param<'_>> {
        params(self.user_params.get(&self.raw))
    }

    /// URI parameters after the host (sip only), such as `user=phone`.
    pub fn uri_params(&self) -> impl Iterator<Item = Param<'_>> {
        params(self.uri_params.get(&self.raw))
    }

    /// A parameter of the user part (or tel URI) first, then a URI parameter.
    pub fn param(&self, name: &str) -> Option<&str> {
        find_param(self.user_params.get(&self.raw), name)
            .or_else(|| find_param(self.uri_params.get(&self.raw), name))
            .and_then(|p| p.value)
    }

    /// The telephone number this URI names, as received (visual separators kept):
    /// a tel URI's subscriber, or a sip user part that is marked `user=phone` or
    /// looks like a number (`+` or digits). `None` for `anonymous` and other names.
    pub fn telephone_number(&self) -> Option<&str> {
        let user = self.user()?;
        let is_tel = self.scheme().eq_ignore_ascii_case("tel");
        let looks_numeric = user.starts_with('+') || user.starts_with(|c: char| c.is_ascii_digit());
        let has_digit = || user.bytes().any(|c| c.is_ascii_digit());
        let phone_param = || {
            find_param(self.uri_params.get(&self.raw), "user")
                .and_then(|p| p.value)
                .is_some_and(|v| v.eq_ignore_ascii_case("phone"))
        };
        ((is_tel || looks_numeric || phone_param()) && has_digit()).then_some(user)
    }

    /// True for the RFC 3323 anonymous URI (`sip:anonymous@anonymous.invalid`)
    /// and the host `anonymous.invalid` in general.
    pub fn is_anonymous(&self) -> bool {
        self.host()
            .is_some_and(|h| h.eq_ignore_ascii_case("anonymous.invalid"))
            || self
                .user()
                .is_some_and(|u| u.eq_ignore_ascii_case("anonymous"))
    }
}

/// A `name-addr` or `addr-spec` with its header parameters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameAddr {
    /// The display name as received (quoted or a token run), or `None`.
    display: Option<String>,
    /// The URI.
    pub uri: SipUri,
    /// Header parameters after the URI (`tag`, `cpc`, ...), as received.
    params: String,
}

impl NameAddr {
    /// Parse one `name-addr` or `addr-spec` with header parameters. `None` when no
    /// URI can be found.
    pub fn parse(value: &str) -> Option<NameAddr> {
        let value = value.trim();
        if let Some(lt) = find_unquoted(value, b'<') {
            let display = value.get(..lt).map(str::trim).unwrap_or("");
            let after = value.get(lt + 1..)?;
            let gt = after.find('>')?;
            let uri = SipUri::parse(after.get(..gt)?)?;
            let params = after
                .get(gt + 1..)
                .map(|p| p.trim_start_matches(|c: char| c == ';' || c.is_whitespace()))
                .unwrap_or("");
            Some(NameAddr {
                display: (!display.is_empty() && display != "\"\"").then(|| display.to_string()),
                uri,
                params: params.to_string(),
            })
        } else {
            // addr-spec: parameters after the first ';' belong to the header,
            // except inside a sip user part (before '@').
            let split_at = match value.find('@') {
                Some(at) => value.get(at..).and_then(|s| s.find(';')).map(|i| i + at),
                None if value
                    .get(..4)
                    .is_some_and(|s| s.eq_ignore_ascii_case("tel:")) =>
                {
                    None
                }
                None => value.find(';'),
            };
            let (uri, params) = match split_at {
                Some(i) => (value.get(..i)?, value.get(i + 1..).unwrap_or("")),
                None => (value, ""),
            };
            Some(NameAddr {
                display: None,
                uri: SipUri::parse(uri)?,
                params: params.to_string(),
            })
        }
    }

    /// The display name, unquoted (RFC 3261 §25.1 `quoted-string`). Never shown
    /// as a verified name.
    pub fn display_name(&self) -> Option<Cow<'_, str>> {
        let d = self.display.as_deref()?;
        let unquoted = unquote(d);
        (!unquoted.is_empty()).then_some(unquoted)
    }

    /// Header parameters, in order.
    pub fn params(&self) -> impl Iterator<Item = Param<'_>> {
        params(&self.params)
    }

    /// A header parameter's value (`tag`, `cpc`, `verstat` as a header param).
    pub fn param(&self, name: &str) -> Option<&str> {
        find_param(&self.params, name).and_then(|p| p.value)
    }
}

fn find_unquoted(s: &str, needle: u8) -> Option<usize> {
    let (mut in_quotes, mut escaped) = (false, false);
    for (i, &c) in s.as_bytes().iter().enumerate() {
        if in_quotes {
            if escaped {
                escaped = false;
            } else if c == b'\\' {
                escaped = true;
            } else if c == b'"' {
                in_quotes = false;
            }
        } else if c == b'"' {
            in_quotes = true;
        } else if c == needle {
            return Some(i);
        }
    }
    None
}

/// A quoted string without its quotes and escapes; anything else as is.
fn unquote(s: &str) -> Cow<'_, str> {
    let inner = match s.strip_prefix('"').and_then(|r| r.strip_suffix('"')) {
        Some(inner) if s.len() >= 2 => inner,
        _ => return Cow::Borrowed(s),
    };
    if !inner.contains('\\') {
        return Cow::Borrowed(inner);
    }
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let Some(n) = chars.next() {
                out.push(n);
            }
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sip_form_verstat_in_user_part() {
        let na = NameAddr::parse(
            "<sip:+12155551212;verstat=TN-Validation-Passed@ims.example.net;user=phone>",
        )
        .unwrap();
        assert_eq!(na.uri.user(), Some("+12155551212"));
        assert_eq!(na.uri.param("verstat"), Some("TN-Validation-Passed"));
        assert_eq!(na.uri.telephone_number(), Some("+12155551212"));
    }

    #[test]
    fn tel_form_and_display_name() {
        let na = NameAddr::parse(
            r#""Alice, \"A\"" <tel:+1-215-555-1212;verstat=No-TN-Validation>;tag=x"#,
        )
        .unwrap();
        assert_eq!(na.display_name().as_deref(), Some(r#"Alice, "A""#));
        assert_eq!(na.uri.telephone_number(), Some("+1-215-555-1212"));
        assert_eq!(na.uri.param("verstat"), Some("No-TN-Validation"));
        assert_eq!(na.param("tag"), Some("x"));
    }

    #[test]
    fn addr_spec_params_belong_to_header() {
        let na = NameAddr::parse("sip:+12155551212@example.com;tag=abc").unwrap();
        assert_eq!(na.param("tag"), Some("abc"));
        assert_eq!(na.uri.uri_params().count(), 0);
    }

    #[test]
    fn anonymous() {
        let na = NameAddr::parse(r#""Anonymous" <sip:anonymous@anonymous.invalid>;tag=1"#).unwrap();
        assert!(na.uri.is_anonymous());
        assert_eq!(na.uri.telephone_number(), None);
    }

    #[test]
    fn garbage_is_none_not_panic() {
        for s in [
            "", "<", "<>", ">", "\"", "<sip:", ":", "a:b@", "<:x>", "\"\\",
        ] {
            let _ = NameAddr::parse(s);
        }
        assert!(NameAddr::parse("no scheme here").is_none());
    }
}
