//! Prefixes and ranges as the full-length numbers CallKit needs.
//!
//! A Call Directory matches whole numbers only, so a prefix rule becomes every
//! number of full length that starts with it. The full length comes from
//! libphonenumber's metadata: the possible lengths of national numbers of the
//! country whose calling code begins the prefix (every region sharing the
//! code), plus the code's digits. For NANP (`+1`) that is 11 digits, so
//! `+1202555` is the 10 000 numbers `12025550000..=12025559999`. A country with
//! several lengths (Germany: national numbers of 4 to 13 digits) gets every one
//! of them. A prefix shorter than a calling code (`+4`) covers every code it
//! starts. When libphonenumber knows no calling code for the digits, the rule is
//! E.164's maximum, 15 digits. Numbers of different lengths never interleave
//! (E.164 digits never start with 0), so spans sorted by start are ascending.

use rlibphonenumber::{NumberLengthType, PhoneNumber, PHONE_NUMBER_UTIL};

/// Longest E.164 number, in digits: the length used when libphonenumber does
/// not know the calling code.
pub const FALLBACK_LENGTH: usize = crate::intake::number::MAX_E164_DIGITS;

/// A run of consecutive numbers (E.164 digits as an integer, no `+`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Span {
    /// The first number.
    pub start: u64,
    /// How many numbers.
    pub count: u64,
}

/// The E.164 digits of `+digits` text as an integer and its digit count;
/// `None` unless it is 1..=15 digits not starting with 0.
pub fn e164_value(e164: &str) -> Option<(u64, usize)> {
    let d = e164.strip_prefix('+').unwrap_or(e164);
    if d.is_empty()
        || d.len() > FALLBACK_LENGTH
        || d.starts_with('0')
        || !d.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    Some((d.parse().ok()?, d.len()))
}

/// The number of decimal digits of a value > 0.
pub fn digits_of(n: u64) -> usize {
    n.checked_ilog10().map_or(1, |l| l as usize + 1)
}

/// Full lengths (country code included) of numbers under calling code `cc`, or
/// `None` when libphonenumber does not know it. libphonenumber's metadata keeps,
/// for each calling code, the possible lengths of its national numbers (the
/// union over regions sharing the code); each length is asked for in turn.
fn lengths_for_code(cc: &str) -> Option<Vec<usize>> {
    let code: i32 = cc.parse().ok()?;
    PHONE_NUMBER_UTIL
        .get_regions_for_country_calling_code(code)?
        .next()?;
    let out: Vec<usize> = (1..=FALLBACK_LENGTH.saturating_sub(cc.len()))
        .filter(|&k| {
            let national = 10u64.pow(u32::try_from(k - 1).unwrap_or(0));
            let n = PhoneNumber {
                country_code: code,
                national_number: national,
                ..PhoneNumber::default()
            };
            PHONE_NUMBER_UTIL.is_possible_number_with_reason(&n) == Ok(NumberLengthType::IsPossible)
        })
        .map(|k| k + cc.len())
        .collect();
    (!out.is_empty()).then_some(out)
}

/// The full lengths of numbers starting with `digits` whose calling code is in
/// `digits` (see the module); `None` when `digits` is shorter than any calling
/// code it could begin.
pub fn full_lengths(digits: &str) -> Option<Vec<usize>> {
    for cc_len in 1..=3.min(digits.len()) {
        if let Some(lengths) = digits.get(..cc_len).and_then(lengths_for_code) {
            return Some(lengths);
        }
    }
    if digits.len() >= 3 {
        Some(vec![FALLBACK_LENGTH])
    } else {
        None
    }
}

/// Every full-length number starting with the prefix `digits` (no `+`), as
/// ascending, disjoint spans. Empty when the prefix is longer than any number
/// of its country.
pub fn prefix_spans(digits: &str) -> Vec<Span> {
    let mut out = Vec::new();
    collect_prefix_spans(digits, &mut out);
    out.sort_unstable();
    out
}

fn collect_prefix_spans(digits: &str, out: &mut Vec<Span>) {
    let Some((value, len)) = e164_value(digits) else {
        return;
    };
    match full_lengths(digits) {
        Some(lengths) => {
            for full in lengths.into_iter().filter(|l| *l >= len) {
                let Some(count) = u32::try_from(full - len)
                    .ok()
                    .and_then(|e| 10u64.checked_pow(e))
                else {
                    continue;
                };
                if let Some(start) = value.checked_mul(count) {
                    out.push(Span { start, count });
                }
            }
        }
        // Shorter than a calling code: every code it begins.
        None => {
            for d in 0..=9u8 {
                collect_prefix_spans(&format!("{digits}{d}"), out);
            }
        }
    }
}

/// The span of a range rule: `count` numbers from `start` of the same length
/// (as the screener matches ranges), cut at the last number of that length.
pub fn range_span(start: &str, count: u64) -> Option<Span> {
    let (value, len) = e164_value(start)?;
    let end = 10u64.checked_pow(u32::try_from(len).ok()?)?;
    Some(Span {
        start: value,
        count: count.min(end - value),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nanp_prefix_is_eleven_digits() {
        assert_eq!(full_lengths("1202555"), Some(vec![11]));
        assert_eq!(
            prefix_spans("1202555"),
            vec![Span {
                start: 12_025_550_000,
                count: 10_000
            }]
        );
        assert_eq!(
            prefix_spans("12025550123"),
            vec![Span {
                start: 12_025_550_123,
                count: 1
            }]
        );
        assert!(prefix_spans("120255501234").is_empty());
    }

    #[test]
    fn other_countries_use_libphonenumber_lengths() {
        // France: 9-digit national numbers.
        assert_eq!(full_lengths("331"), Some(vec![11]));
        // Germany: many lengths, ascending spans of each.
        let de = full_lengths("4930").unwrap();
        assert!(de.len() > 3, "{de:?}");
        let spans = prefix_spans("4930");
        assert!(
            spans
                .windows(2)
                .all(|w| w[0].start + w[0].count <= w[1].start),
            "{spans:?}"
        );
        // Non-geographic +800: 8-digit numbers after the code.
        assert_eq!(full_lengths("800"), Some(vec![11]));
    }

    #[test]
    fn short_prefixes_cover_every_code_they_begin() {
        let spans = prefix_spans("4");
        // UK +44 has 10-digit national numbers; +33 is not under +4.
        assert!(
            spans.iter().any(|s| s.start == 44 * 10u64.pow(10)),
            "{spans:?}"
        );
        assert!(!spans.iter().any(|s| s.start / 10u64.pow(9) == 33));
        assert!(spans
            .windows(2)
            .all(|w| w[0].start + w[0].count <= w[1].start));
    }

    #[test]
    fn unknown_codes_pad_to_fifteen_digits() {
        assert_eq!(full_lengths("999"), Some(vec![FALLBACK_LENGTH]));
        assert_eq!(
            prefix_spans("999123456789"),
            vec![Span {
                start: 999_123_456_789_000,
                count: 1000
            }]
        );
    }

    #[test]
    fn ranges_stay_within_their_length() {
        assert_eq!(
            range_span("+12025550100", 100),
            Some(Span {
                start: 12_025_550_100,
                count: 100
            })
        );
        assert_eq!(
            range_span("+99999999990", 100),
            Some(Span {
                start: 99_999_999_990,
                count: 10
            })
        );
        assert_eq!(range_span("+0123", 1), None);
        assert_eq!(digits_of(12_025_550_100), 11);
        assert_eq!(e164_value("+12025550100"), Some((12_025_550_100, 11)));
    }
}
