//! `name-addr` / `addr-spec` values (RFC 3261 §20.10, §25.1) and the parts of SIP
//! and tel URIs (RFC 3966) that identify a caller: the user part, its parameters
//! (where `verstat` lives in the sip form, TS 24.229 §7.2A.20) and `user=phone`.

use super::headers::split_outside;

/// One `name=value` (or bare `name`) parameter. Names are kept as received;
/// compare them case-insensitively.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Param {
    /// The parameter name.
    pub name: String,
    /// The value, without surrounding quotes; `None` for a bare name.
    pub value: Option<String>,
}

/// A SIP, SIPS or tel URI, split into the parts screening reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SipUri {
    /// The URI as received.
    pub raw: String,
    /// `sip`, `sips`, `tel`, or another scheme, lower-cased.
    pub scheme: String,
    /// The user part (sip) or the telephone-subscriber (tel), without its parameters.
    pub user: Option<String>,
    /// Parameters of the user part (`sip:+1215;verstat=…@host`) or of the tel URI.
    pub user_params: Vec<Param>,
    /// The host (sip only), lower-cased.
    pub host: Option<String>,
    /// URI parameters after the host (sip only), such as `user=phone`.
    pub uri_params: Vec<Param>,
}

/// A `name-addr` or `addr-spec` with its header parameters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameAddr {
    /// The display name, unquoted. Never shown as a verified name.
    pub display_name: Option<String>,
    /// The URI.
    pub uri: SipUri,
    /// Header parameters after the URI (`tag`, `cpc`, ...).
    pub params: Vec<Param>,
}

fn find_param<'a>(params: &'a [Param], name: &str) -> Option<&'a Param> {
    params.iter().find(|p| p.name.eq_ignore_ascii_case(name))
}

fn parse_params(s: &str) -> Vec<Param> {
    split_outside(s, ';')
        .into_iter()
        .map(|p| match p.split_once('=') {
            Some((n, v)) => Param {
                name: n.trim().to_string(),
                value: Some(v.trim().trim_matches('"').to_string()),
            },
            None => Param {
                name: p.to_string(),
                value: None,
            },
        })
        .collect()
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
        let scheme = scheme.to_ascii_lowercase();
        let (is_tel, is_sip) = (scheme == "tel", scheme == "sip" || scheme == "sips");
        let mut uri = SipUri {
            raw: raw.to_string(),
            scheme,
            user: None,
            user_params: Vec::new(),
            host: None,
            uri_params: Vec::new(),
        };
        // Headers (`?a=b`) carry nothing we read.
        let rest = rest.split('?').next().unwrap_or(rest);
        if is_tel {
            let mut parts = rest.splitn(2, ';');
            uri.user = parts.next().map(str::to_string).filter(|u| !u.is_empty());
            uri.user_params = parts.next().map(parse_params).unwrap_or_default();
        } else if is_sip {
            let (userinfo, hostport) = match rest.rfind('@') {
                Some(at) => (rest.get(..at), rest.get(at + 1..).unwrap_or("")),
                None => (None, rest),
            };
            if let Some(userinfo) = userinfo {
                // user[:password], where user may carry ;params (RFC 4694 style).
                let user = userinfo.split(':').next().unwrap_or(userinfo);
                let mut parts = user.splitn(2, ';');
                uri.user = parts.next().map(str::to_string).filter(|u| !u.is_empty());
                uri.user_params = parts.next().map(parse_params).unwrap_or_default();
            }
            let mut parts = hostport.splitn(2, ';');
            uri.host = parts
                .next()
                .map(|h| h.to_ascii_lowercase())
                .filter(|h| !h.is_empty());
            uri.uri_params = parts.next().map(parse_params).unwrap_or_default();
        }
        Some(uri)
    }

    /// A parameter of the user part (or tel URI) first, then a URI parameter.
    pub fn param(&self, name: &str) -> Option<&str> {
        find_param(&self.user_params, name)
            .or_else(|| find_param(&self.uri_params, name))
            .and_then(|p| p.value.as_deref())
    }

    /// The telephone number this URI names, as received (visual separators kept):
    /// a tel URI's subscriber, or a sip user part that is marked `user=phone` or
    /// looks like a number (`+` or digits). `None` for `anonymous` and other names.
    pub fn telephone_number(&self) -> Option<&str> {
        let user = self.user.as_deref()?;
        let is_tel = self.scheme == "tel";
        let phone_param = find_param(&self.uri_params, "user")
            .and_then(|p| p.value.as_deref())
            .is_some_and(|v| v.eq_ignore_ascii_case("phone"));
        let looks_numeric =
            user.starts_with('+') || user.chars().next().is_some_and(|c| c.is_ascii_digit());
        let digits = user.chars().filter(|c| c.is_ascii_digit()).count();
        if (is_tel || phone_param || looks_numeric) && digits > 0 {
            Some(user)
        } else {
            None
        }
    }

    /// True for the RFC 3323 anonymous URI (`sip:anonymous@anonymous.invalid`)
    /// and the host `anonymous.invalid` in general.
    pub fn is_anonymous(&self) -> bool {
        self.host.as_deref() == Some("anonymous.invalid")
            || self
                .user
                .as_deref()
                .is_some_and(|u| u.eq_ignore_ascii_case("anonymous"))
    }
}

impl NameAddr {
    /// Parse one `name-addr` or `addr-spec` with header parameters. `None` when no
    /// URI can be found.
    pub fn parse(value: &str) -> Option<NameAddr> {
        let value = value.trim();
        if let Some(lt) = find_unquoted(value, '<') {
            let display = value.get(..lt).map(str::trim).unwrap_or("");
            let after = value.get(lt + 1..)?;
            let gt = after.find('>')?;
            let uri = SipUri::parse(after.get(..gt)?)?;
            let params = after
                .get(gt + 1..)
                .map(|p| {
                    parse_params(p.trim_start_matches(|c: char| c == ';' || c.is_whitespace()))
                })
                .unwrap_or_default();
            let display_name = unquote(display);
            Some(NameAddr {
                display_name: (!display_name.is_empty()).then_some(display_name),
                uri,
                params,
            })
        } else {
            // addr-spec: parameters after the first ';' belong to the header,
            // except inside a sip user part (before '@').
            let split_at = match value.find('@') {
                Some(at) => value.get(at..).and_then(|s| s.find(';')).map(|i| i + at),
                None if value.to_ascii_lowercase().starts_with("tel:") => None,
                None => value.find(';'),
            };
            let (uri, params) = match split_at {
                Some(i) => (
                    value.get(..i)?,
                    value.get(i + 1..).map(parse_params).unwrap_or_default(),
                ),
                None => (value, Vec::new()),
            };
            Some(NameAddr {
                display_name: None,
                uri: SipUri::parse(uri)?,
                params,
            })
        }
    }

    /// A header parameter's value (`tag`, `cpc`, `verstat` as a header param).
    pub fn param(&self, name: &str) -> Option<&str> {
        find_param(&self.params, name).and_then(|p| p.value.as_deref())
    }
}

fn find_unquoted(s: &str, needle: char) -> Option<usize> {
    let mut in_quotes = false;
    let mut escaped = false;
    for (i, c) in s.char_indices() {
        if in_quotes {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_quotes = false;
            }
        } else if c == '"' {
            in_quotes = true;
        } else if c == needle {
            return Some(i);
        }
    }
    None
}

fn unquote(s: &str) -> String {
    let s = s.trim();
    if s.len() >= 2 && s.starts_with('"') && s.ends_with('"') {
        let inner = s.get(1..s.len() - 1).unwrap_or("");
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
        out
    } else {
        s.to_string()
    }
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
        assert_eq!(na.uri.user.as_deref(), Some("+12155551212"));
        assert_eq!(na.uri.param("verstat"), Some("TN-Validation-Passed"));
        assert_eq!(na.uri.telephone_number(), Some("+12155551212"));
    }

    #[test]
    fn tel_form_and_display_name() {
        let na = NameAddr::parse(
            r#""Alice, \"A\"" <tel:+1-215-555-1212;verstat=No-TN-Validation>;tag=x"#,
        )
        .unwrap();
        assert_eq!(na.display_name.as_deref(), Some(r#"Alice, "A""#));
        assert_eq!(na.uri.telephone_number(), Some("+1-215-555-1212"));
        assert_eq!(na.uri.param("verstat"), Some("No-TN-Validation"));
        assert_eq!(na.param("tag"), Some("x"));
    }

    #[test]
    fn addr_spec_params_belong_to_header() {
        let na = NameAddr::parse("sip:+12155551212@example.com;tag=abc").unwrap();
        assert_eq!(na.param("tag"), Some("abc"));
        assert!(na.uri.uri_params.is_empty());
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
