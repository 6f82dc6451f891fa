//! Telephone numbers: E.164 normalisation with a libphonenumber port
//! (`rlibphonenumber`), and RFC 8224 §8.3 canonicalisation for comparing a
//! PASSporT's `orig`/`dest` with SIP header fields.
//!
//! Numbers already in global form (`+` then digits, as in every PASSporT and most
//! `tel:` URIs) take a fast path that never calls the library on the per-call path.

use rlibphonenumber::{PhoneNumberFormat, Region, PHONE_NUMBER_UTIL};

/// Longest E.164 number, in digits (ITU-T E.164 §6).
pub const MAX_E164_DIGITS: usize = 15;

/// A default region for national-format numbers (ISO 3166-1 alpha-2, such as `US`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DefaultRegion(Region);

impl DefaultRegion {
    /// Parse an ISO 3166-1 alpha-2 code; `None` when libphonenumber has no
    /// numbering plan for it (`from_code` alone accepts any two letters).
    pub fn parse(code: &str) -> Option<DefaultRegion> {
        let region = Region::from_code(&code.trim().to_ascii_uppercase()).ok()?;
        PHONE_NUMBER_UTIL.get_country_code_for_region(region)?;
        Some(DefaultRegion(region))
    }

    /// The ISO 3166-1 alpha-2 code.
    pub fn code(&self) -> String {
        self.0.as_region_str().as_str().to_string()
    }
}

/// Load libphonenumber's metadata now rather than on the first ringing call.
pub fn warm_up() {
    let _ = PHONE_NUMBER_UTIL.parse("+12015550123", None);
}

/// Visual separators of RFC 3966 §3 that carry no meaning in a number.
fn is_visual_separator(c: char) -> bool {
    matches!(c, '-' | '.' | '(' | ')' | ' ')
}

/// `+` followed by 1..=15 digits once visual separators are removed, as a string of
/// digits with the `+`. `None` when the input is not in global form.
fn global_fast_path(raw: &str) -> Option<String> {
    let rest = raw.strip_prefix('+')?;
    let mut out = String::with_capacity(rest.len() + 1);
    out.push('+');
    for c in rest.chars() {
        if c.is_ascii_digit() {
            out.push(c);
        } else if !is_visual_separator(c) {
            return None;
        }
    }
    let digits = out.len() - 1;
    (1..=MAX_E164_DIGITS).contains(&digits).then_some(out)
}

/// Normalise a number to E.164 (`+` and digits), using `region` for numbers in
/// national format. `None` when the input is not a telephone number.
pub fn to_e164(raw: &str, region: Option<DefaultRegion>) -> Option<String> {
    let raw = raw.trim();
    if raw.is_empty() || raw.len() > 64 {
        return None;
    }
    if let Some(fast) = global_fast_path(raw) {
        return Some(fast);
    }
    let parsed = PHONE_NUMBER_UTIL.parse(raw, region.map(|r| r.0)).ok()?;
    let e164 = parsed.format_as(PhoneNumberFormat::E164).into_owned();
    global_fast_path(&e164)
}

/// RFC 8224 §8.3 canonical form of a telephone number, for comparing a PASSporT's
/// `orig.tn`/`dest.tn` with a header field: visual separators and the leading `+`
/// removed, a national number given its country code from `region`. The result
/// is digits only (`12155551212`). `None` when nothing number-like remains.
pub fn canonical_tn(raw: &str, region: Option<DefaultRegion>) -> Option<String> {
    let raw = raw.trim();
    if let Some(fast) = global_fast_path(raw) {
        return fast.get(1..).map(str::to_string);
    }
    let digits: String = raw.chars().filter(|c| !is_visual_separator(*c)).collect();
    if digits.is_empty()
        || digits.len() > MAX_E164_DIGITS
        || !digits.chars().all(|c| c.is_ascii_digit())
    {
        return None;
    }
    // A bare digit string that libphonenumber reads as a national number of the
    // default region gets its country code (RFC 8224 §8.3 step 3); otherwise it is
    // taken as already canonical (PASSporT TNs are sent without the `+`).
    if let Some(region) = region {
        if let Ok(n) = PHONE_NUMBER_UTIL.parse(&digits, Some(region.0)) {
            if n.is_valid() {
                let e164 = n.format_as(PhoneNumberFormat::E164);
                if let Some(d) = e164.strip_prefix('+') {
                    if d.ends_with(digits.as_str()) && d.len() > digits.len() {
                        return Some(d.to_string());
                    }
                }
            }
        }
    }
    Some(digits)
}

/// The ISO 3166-1 alpha-2 region of an E.164 number, per libphonenumber.
pub fn region_of(e164: &str) -> Option<String> {
    let n = PHONE_NUMBER_UTIL.parse(e164, None).ok()?;
    n.get_region_code()
        .map(|r| r.as_region_str().as_str().to_string())
}

/// Whether libphonenumber considers the E.164 number valid (assigned ranges).
pub fn is_valid(e164: &str) -> bool {
    PHONE_NUMBER_UTIL
        .parse(e164, None)
        .map(|n| n.is_valid())
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn us() -> Option<DefaultRegion> {
        DefaultRegion::parse("us")
    }

    #[test]
    fn fast_path_and_separators() {
        assert_eq!(
            to_e164("+1-215-555-1212", None).as_deref(),
            Some("+12155551212")
        );
        assert_eq!(
            canonical_tn("+1 (215) 555.1212", None).as_deref(),
            Some("12155551212")
        );
        assert_eq!(
            to_e164("+1234567890123456", None),
            None,
            "16 digits is not E.164"
        );
    }

    #[test]
    fn national_numbers_use_the_default_region() {
        assert_eq!(
            to_e164("(215) 555-1212", us()).as_deref(),
            Some("+12155551212")
        );
        assert_eq!(
            to_e164("01 42 68 53 00", DefaultRegion::parse("FR")).as_deref(),
            Some("+33142685300")
        );
        assert_eq!(
            to_e164("+33 1 42 68 53 00", us()).as_deref(),
            Some("+33142685300")
        );
        assert_eq!(
            canonical_tn("2155551212", us()).as_deref(),
            Some("12155551212")
        );
        // Already canonical PASSporT TNs stay as they are.
        assert_eq!(
            canonical_tn("12155551212", us()).as_deref(),
            Some("12155551212")
        );
    }

    #[test]
    fn not_numbers() {
        assert_eq!(to_e164("anonymous", us()), None);
        assert_eq!(canonical_tn("abc", us()), None);
        assert_eq!(canonical_tn("", None), None);
        assert!(DefaultRegion::parse("ZZZ").is_none());
        assert!(DefaultRegion::parse("XX").is_none());
    }

    #[test]
    fn regions() {
        assert_eq!(region_of("+33142685300").as_deref(), Some("FR"));
        assert!(is_valid("+12015550123"));
        assert!(!is_valid("+1999"));
    }
}
