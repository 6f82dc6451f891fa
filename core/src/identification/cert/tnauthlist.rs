//! The TNAuthList extension (RFC 8226 §9, OID 1.3.6.1.5.5.7.1.26): which service
//! provider (SPC) or which telephone numbers a certificate speaks for.
//!
//! ```text
//! TNAuthorizationList ::= SEQUENCE SIZE (1..MAX) OF TNEntry
//! TNEntry ::= CHOICE {
//!   spc   [0] ServiceProviderCode,      -- IA5String
//!   range [1] TelephoneNumberRange,     -- SEQUENCE { start TelephoneNumber, count INTEGER }
//!   one   [2] TelephoneNumber }         -- IA5String (SIZE (1..15)) FROM ("0123456789#*")
//! ```
//! The module uses explicit tags. Parsing is asn1-rs's (through x509-parser); what
//! is ours is refusing what the RFC does not allow (real certificates carry
//! SEQUENCE{PrintableString} without the tag, or overrunning lengths).

use x509_parser::der_parser::asn1_rs::{Any, Class, FromDer, Tag};

/// The TNAuthList extension's OID.
pub const OID_TN_AUTH_LIST: &str = "1.3.6.1.5.5.7.1.26";

/// One entry of a TNAuthList.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TnEntry {
    /// A service provider code.
    Spc(String),
    /// `count` numbers from `start` (digits, no `+`).
    Range {
        /// The first number.
        start: String,
        /// How many numbers.
        count: u64,
    },
    /// One number (digits, no `+`).
    One(String),
}

/// A parsed TNAuthList.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TnAuthList {
    /// The entries, in order (at least one).
    pub entries: Vec<TnEntry>,
}

impl TnAuthList {
    /// The first SPC, if any.
    pub fn spc(&self) -> Option<&str> {
        self.entries.iter().find_map(|e| match e {
            TnEntry::Spc(s) => Some(s.as_str()),
            _ => None,
        })
    }

    /// True when the list names numbers (entries `one` or `range`), so `orig` must
    /// be among them (RFC 9060 §4).
    pub fn lists_numbers(&self) -> bool {
        self.entries.iter().any(|e| !matches!(e, TnEntry::Spc(_)))
    }

    /// Whether a canonical number (digits, no `+`) is covered by a `one` or
    /// `range` entry. Ranges compare numbers of the same length as `start`.
    pub fn covers(&self, tn: &str) -> bool {
        self.entries.iter().any(|e| match e {
            TnEntry::One(n) => n == tn,
            TnEntry::Range { start, count } => {
                if start.len() != tn.len() {
                    return false;
                }
                match (start.parse::<u64>(), tn.parse::<u64>()) {
                    (Ok(s), Ok(n)) => n >= s && n - s < *count,
                    _ => false,
                }
            }
            TnEntry::Spc(_) => false,
        })
    }
}

fn parse_any(bytes: &[u8]) -> Option<Any<'_>> {
    match Any::from_der(bytes) {
        Ok(([], any)) => Some(any),
        _ => None,
    }
}

fn ia5(any: &Any<'_>) -> Option<String> {
    if any.class() != Class::Universal || any.tag() != Tag::Ia5String {
        return None;
    }
    let s = std::str::from_utf8(any.data).ok()?;
    (!s.is_empty() && s.is_ascii()).then(|| s.to_string())
}

fn telephone_number(any: &Any<'_>) -> Option<String> {
    let s = ia5(any)?;
    (s.len() <= 15
        && s.chars()
            .all(|c| c.is_ascii_digit() || c == '#' || c == '*'))
    .then_some(s)
}

fn integer_u64(any: &Any<'_>) -> Option<u64> {
    if any.class() != Class::Universal
        || any.tag() != Tag::Integer
        || any.data.is_empty()
        || any.data.len() > 9
    {
        return None;
    }
    if any.data.first().is_some_and(|b| b & 0x80 != 0) {
        return None; // negative
    }
    Some(
        any.data
            .iter()
            .fold(0u64, |acc, b| (acc << 8) | u64::from(*b)),
    )
}

/// Parse the DER value of a TNAuthList extension. `None` when it is not a
/// TNAuthorizationList as RFC 8226 §9 defines it.
pub fn parse_tn_auth_list(der: &[u8]) -> Option<TnAuthList> {
    let outer = parse_any(der)?;
    if outer.class() != Class::Universal || outer.tag() != Tag::Sequence {
        return None;
    }
    let mut entries = Vec::new();
    let mut rest = outer.data;
    while !rest.is_empty() {
        let (next, entry) = Any::from_der(rest).ok()?;
        rest = next;
        if entry.class() != Class::ContextSpecific || !entry.header.is_constructed() {
            return None;
        }
        let inner = parse_any(entry.data)?;
        entries.push(match entry.tag().0 {
            0 => TnEntry::Spc(ia5(&inner)?),
            2 => TnEntry::One(telephone_number(&inner)?),
            1 => {
                if inner.class() != Class::Universal || inner.tag() != Tag::Sequence {
                    return None;
                }
                let (r, start) = Any::from_der(inner.data).ok()?;
                let (r, count) = Any::from_der(r).ok()?;
                // The range type is extensible (`...`): later fields are ignored.
                let _ = r;
                let count = integer_u64(&count)?;
                if count < 2 {
                    return None;
                }
                TnEntry::Range {
                    start: telephone_number(&start)?,
                    count,
                }
            }
            _ => return None,
        });
        if entries.len() > 1024 {
            return None;
        }
    }
    (!entries.is_empty()).then_some(TnAuthList { entries })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(s: &str) -> Vec<u8> {
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
            .collect()
    }

    #[test]
    fn spc() {
        let l = parse_tn_auth_list(&hex("3008a00616043332314a")).unwrap();
        assert_eq!(l.spc(), Some("321J"));
        assert!(!l.lists_numbers());
    }

    #[test]
    fn range_covers() {
        // SEQUENCE { [1] SEQUENCE { "12155551200", 100 } }
        let mut der = hex("3014a1123010160b");
        der.extend_from_slice(b"12155551200");
        der.extend_from_slice(&hex("020164"));
        let l = parse_tn_auth_list(&der).unwrap();
        assert!(l.covers("12155551212"));
        assert!(l.covers("12155551299"));
        assert!(!l.covers("12155551300"));
        assert!(!l.covers("2155551212"));
    }

    #[test]
    fn real_malformations_refused() {
        // Telonium: SEQUENCE { PrintableString } without the [0] tag.
        assert!(parse_tn_auth_list(&hex("300613043735354a")).is_none());
        // GBSDTech: IA5String length byte missing, lengths overrun.
        assert!(parse_tn_auth_list(&hex("3008a006163836374a")).is_none());
        // libstirshaken: an IA5String URL instead of a SEQUENCE.
        assert!(parse_tn_auth_list(b"\x16\x03abc").is_none());
        assert!(parse_tn_auth_list(&[]).is_none());
        assert!(parse_tn_auth_list(&hex("3000")).is_none());
    }
}
