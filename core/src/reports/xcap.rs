//! Network-side barring: the subscriber's TS 24.611 incoming communication
//! barring (ICB) rules, edited over XCAP (RFC 4825, TS 24.623).
//!
//! One rule element per barred number, `cp:rule[@id="callscreen-<digits>"]`,
//! is PUT through an XCAP node selector into
//! `simservs/incoming-communication-barring/cp:ruleset`, with `If-Match` on the
//! document's ETag, and DELETEd on unblock. The rule matches the caller's
//! identity (`cp:identity/cp:one`) and bars (`ss:allow` false). Namespaces:
//! `ss` (ETSI simservs), `cp` (RFC 4745 common policy), `ocp` (OMA common
//! policy, for anonymous callers). Barring is attempted only when the
//! subscriber's simservs document advertises it
//! (`communication-barring-serv-cap` / `serv-cap-identity`).

use quick_xml::events::Event;
use quick_xml::name::ResolveResult;
use quick_xml::NsReader;

/// ETSI simservs namespace (`ss`).
pub const NS_SS: &str = "http://uri.etsi.org/ngn/params/xml/simservs/xcap";
/// RFC 4745 common policy namespace (`cp`).
pub const NS_CP: &str = "urn:ietf:params:xml:ns:common-policy";
/// OMA common policy namespace (`ocp`).
pub const NS_OCP: &str = "urn:oma:xml:xdm:common-policy";
/// RFC 4825 XCAP error namespace.
pub const NS_XCAP_ERROR: &str = "urn:ietf:params:xml:ns:xcap-error";
/// The simservs application usage (AUID).
pub const AUID: &str = "simservs.ngn.etsi.org";
/// MIME type of an XCAP element body.
pub const ELEMENT_CONTENT_TYPE: &str = "application/xcap-el+xml";
/// The header naming the served identity on Ut (TS 24.623 §5.2.3).
pub const INTENDED_IDENTITY: &str = "X-3GPP-Intended-Identity";

/// What a barring rule bars.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BarTarget {
    /// One number, E.164.
    Number(String),
    /// Callers who withhold their identity (`ocp:anonymous-request`).
    Anonymous,
}

impl BarTarget {
    /// The rule id callscreen uses for this target (`callscreen-12155551212`,
    /// `callscreen-anonymous`).
    pub fn rule_id(&self) -> String {
        match self {
            BarTarget::Number(n) => format!(
                "callscreen-{}",
                n.chars().filter(char::is_ascii_digit).collect::<String>()
            ),
            BarTarget::Anonymous => "callscreen-anonymous".into(),
        }
    }

    /// As stored in the outbox: the number, or `anonymous`.
    pub fn as_stored(&self) -> String {
        match self {
            BarTarget::Number(n) => n.clone(),
            BarTarget::Anonymous => "anonymous".into(),
        }
    }

    /// Parse [`BarTarget::as_stored`].
    pub fn from_stored(s: &str) -> BarTarget {
        if s == "anonymous" {
            BarTarget::Anonymous
        } else {
            BarTarget::Number(s.to_string())
        }
    }
}

fn xml_escape(s: &str) -> String {
    quick_xml::escape::escape(s).into_owned()
}

/// The rule element to PUT (`application/xcap-el+xml`).
pub fn rule_element(target: &BarTarget) -> String {
    let condition = match target {
        BarTarget::Number(n) => format!(
            "<cp:identity><cp:one id=\"tel:{}\"/></cp:identity>",
            xml_escape(n)
        ),
        BarTarget::Anonymous => "<ocp:anonymous-request/>".to_string(),
    };
    format!(
        "<cp:rule xmlns:ss=\"{NS_SS}\" xmlns:cp=\"{NS_CP}\" xmlns:ocp=\"{NS_OCP}\" id=\"{}\">\
         <cp:conditions>{condition}</cp:conditions>\
         <cp:actions><ss:allow>false</ss:allow></cp:actions>\
         </cp:rule>",
        xml_escape(&target.rule_id())
    )
}

/// Percent-encode an XUI for a path segment (RFC 3986 pchar; `+`, `:` and `@` stay).
pub fn encode_segment(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        let keep = b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@".contains(&b);
        if keep {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The simservs document's path below the XCAP root, for user `xui`.
pub fn document_path(xui: &str) -> String {
    format!("{AUID}/users/{}/simservs.xml", encode_segment(xui))
}

/// The node selector of callscreen's rule for `target` (RFC 4825 §6.3), with
/// the `cp` prefix bound in the query.
pub fn rule_path(xui: &str, target: &BarTarget) -> String {
    format!(
        "{}/~~/simservs/incoming-communication-barring/cp:ruleset/cp:rule%5B@id=%22{}%22%5D?xmlns(cp={NS_CP})",
        document_path(xui),
        encode_segment(&target.rule_id())
    )
}

/// What the simservs document says about incoming barring.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct BarringCapability {
    /// The document has `communication-barring-serv-cap`.
    pub advertised: bool,
    /// Barring by identity is provisioned (`serv-cap-identity`, not `provisioned="false"`).
    pub identity: bool,
    /// Barring of anonymous callers is provisioned (`serv-cap-anonymous`).
    pub anonymous: bool,
}

impl BarringCapability {
    /// Whether a rule for `target` can be written.
    pub fn allows(&self, target: &BarTarget) -> bool {
        self.advertised
            && match target {
                BarTarget::Number(_) => self.identity,
                BarTarget::Anonymous => self.anonymous,
            }
    }
}

fn provisioned(e: &quick_xml::events::BytesStart<'_>) -> bool {
    match e.try_get_attribute("provisioned") {
        Ok(Some(a)) => !matches!(
            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .as_deref(),
            Ok("false") | Ok("0")
        ),
        _ => true,
    }
}

/// Read the barring capabilities from a simservs document. A document that is
/// not XML advertises nothing.
pub fn barring_capability(doc: &[u8]) -> BarringCapability {
    let Ok(text) = std::str::from_utf8(doc) else {
        return BarringCapability::default();
    };
    let mut reader = NsReader::from_str(text);
    let mut cap = BarringCapability::default();
    let mut depth_in_cap = 0usize;
    loop {
        match reader.read_resolved_event() {
            Ok((ns, Event::Start(e))) => {
                let ss = matches!(ns, ResolveResult::Bound(n) if n.as_ref() == NS_SS);
                let local = e.local_name();
                if depth_in_cap > 0 {
                    depth_in_cap += 1;
                    if ss {
                        check_cap(local.as_ref(), &e, &mut cap);
                    }
                } else if ss && local.as_ref() == "communication-barring-serv-cap" {
                    cap.advertised = true;
                    depth_in_cap = 1;
                }
            }
            Ok((ns, Event::Empty(e))) => {
                let ss = matches!(ns, ResolveResult::Bound(n) if n.as_ref() == NS_SS);
                let local = e.local_name();
                if depth_in_cap > 0 && ss {
                    check_cap(local.as_ref(), &e, &mut cap);
                } else if ss && local.as_ref() == "communication-barring-serv-cap" {
                    cap.advertised = true;
                }
            }
            Ok((_, Event::End(_))) => depth_in_cap = depth_in_cap.saturating_sub(1),
            Ok((_, Event::Eof)) | Err(_) => break,
            Ok(_) => {}
        }
    }
    cap
}

fn check_cap(local: &str, e: &quick_xml::events::BytesStart<'_>, cap: &mut BarringCapability) {
    match local {
        "serv-cap-identity" => cap.identity = provisioned(e),
        "serv-cap-anonymous" => cap.anonymous = provisioned(e),
        _ => {}
    }
}

/// The reason in an RFC 4825 `xcap-error` body (409): the first error
/// element's name and its `phrase`, or the body's text when it is not one.
pub fn xcap_error_reason(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let mut reader = NsReader::from_str(&text);
    let mut in_error = false;
    loop {
        match reader.read_resolved_event() {
            Ok((ns, Event::Start(e) | Event::Empty(e))) => {
                let xe = matches!(ns, ResolveResult::Bound(n) if n.as_ref() == NS_XCAP_ERROR);
                if !xe {
                    continue;
                }
                let local = e.local_name().as_ref().to_string();
                if local == "xcap-error" {
                    in_error = true;
                    continue;
                }
                if in_error {
                    let phrase = e.try_get_attribute("phrase").ok().flatten().and_then(|a| {
                        a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                            .ok()
                            .map(|v| v.into_owned())
                    });
                    return match phrase {
                        Some(p) => format!("{local}: {p}"),
                        None => local,
                    };
                }
            }
            Ok((_, Event::Eof)) | Err(_) => break,
            Ok(_) => {}
        }
    }
    let plain: String = text.chars().filter(|c| !c.is_control()).take(200).collect();
    if plain.trim().is_empty() {
        "conflict".into()
    } else {
        plain.trim().to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_element_and_paths() {
        let t = BarTarget::Number("+12155551212".into());
        let el = rule_element(&t);
        assert!(el.contains("id=\"callscreen-12155551212\""));
        assert!(el.contains("<cp:one id=\"tel:+12155551212\"/>"));
        assert!(el.contains("<ss:allow>false</ss:allow>"));
        assert_eq!(
            rule_path("tel:+12155551213", &t),
            "simservs.ngn.etsi.org/users/tel:+12155551213/simservs.xml/~~/simservs/incoming-communication-barring/cp:ruleset/cp:rule%5B@id=%22callscreen-12155551212%22%5D?xmlns(cp=urn:ietf:params:xml:ns:common-policy)"
        );
        assert_eq!(encode_segment("sip:a b@x"), "sip:a%20b@x");
    }

    #[test]
    fn capability_is_read_with_namespaces() {
        let doc = format!(
            r#"<simservs xmlns="{NS_SS}" xmlns:cp="{NS_CP}">
                 <communication-barring-serv-cap>
                   <serv-cap-conditions><serv-cap-identity provisioned="true"/></serv-cap-conditions>
                 </communication-barring-serv-cap>
                 <incoming-communication-barring active="true"><cp:ruleset/></incoming-communication-barring>
               </simservs>"#
        );
        let cap = barring_capability(doc.as_bytes());
        assert!(cap.allows(&BarTarget::Number("+1".into())));
        assert!(!cap.allows(&BarTarget::Anonymous));
        let off = doc.replace("provisioned=\"true\"", "provisioned=\"false\"");
        assert!(!barring_capability(off.as_bytes()).identity);
        let other_ns = doc.replace(NS_SS, "urn:other");
        assert!(!barring_capability(other_ns.as_bytes()).advertised);
        assert!(!barring_capability(b"not xml <").advertised);
    }

    #[test]
    fn xcap_error_phrase() {
        let body = format!(
            r#"<?xml version="1.0"?><xcap-error xmlns="{NS_XCAP_ERROR}"><constraint-failure phrase="too many rules"/></xcap-error>"#
        );
        assert_eq!(
            xcap_error_reason(body.as_bytes()),
            "constraint-failure: too many rules"
        );
        assert_eq!(xcap_error_reason(b"busy"), "busy");
    }
}
