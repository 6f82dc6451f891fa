//! Text from a caller shown on the called party's screen: names and call reasons
//! from rich call data (RFC 9795 §12 warns that they are attacker-chosen even
//! when signed). Everything shown goes through here first:
//!
//! - control characters (C0, C1, DEL) go; tabs and line breaks become spaces;
//! - bidirectional controls (U+202A–U+202E, U+2066–U+2069, U+200E, U+200F, U+061C)
//!   go, so text cannot reorder itself or what the dialer draws next to it;
//! - invisible format characters (zero-width spaces and joiners, word joiner,
//!   soft hyphen, BOM, interlinear annotation, tag characters) go;
//! - markup goes: anything from `<` to the next `>`, and a lone `<` or `>`;
//! - runs of white space collapse to one space, ends are trimmed;
//! - the result is capped in characters (not bytes, never splitting one).
//!
//! Nothing is interpreted: the output is plain text the dialer draws as it is.

/// The longest name shown, in characters (ATIS-1000094 display names are short;
/// a caller-ID line holds about this much).
pub const MAX_NAME_CHARS: usize = 64;
/// The longest call reason shown, in characters.
pub const MAX_REASON_CHARS: usize = 128;
/// The longest logo URL kept, in bytes.
pub const MAX_URL_BYTES: usize = 2048;

/// Bidirectional formatting controls (Unicode UAX #9) and the Arabic letter mark.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Invisible format characters that can hide or disguise text.
fn is_invisible_format(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{034F}'
            | '\u{115F}'
            | '\u{1160}'
            | '\u{17B4}'
            | '\u{17B5}'
            | '\u{180E}'
            | '\u{200B}'..='\u{200D}'
            | '\u{2060}'..='\u{2064}'
            | '\u{206A}'..='\u{206F}'
            | '\u{3164}'
            | '\u{FE00}'..='\u{FE0F}'
            | '\u{FEFF}'
            | '\u{FFA0}'
            | '\u{FFF9}'..='\u{FFFB}'
            | '\u{E0000}'..='\u{E007F}'
    )
}

/// Plain, single-line, capped text; `None` when nothing printable remains.
pub fn sanitize_text(raw: &str, max_chars: usize) -> Option<String> {
    let mut out = String::with_capacity(raw.len().min(max_chars * 4));
    let mut in_tag = false;
    let mut pending_space = false;
    let mut count = 0usize;
    for c in raw.chars() {
        if in_tag {
            in_tag = c != '>';
            continue;
        }
        if c == '<' {
            in_tag = true;
            pending_space = true;
            continue;
        }
        if c == '>' {
            continue;
        }
        if c.is_whitespace() || matches!(c, '\t' | '\n' | '\r') {
            pending_space = true;
            continue;
        }
        if c.is_control() || is_bidi_control(c) || is_invisible_format(c) {
            continue;
        }
        if pending_space && count > 0 {
            if count + 1 >= max_chars {
                break;
            }
            out.push(' ');
            count += 1;
        }
        pending_space = false;
        if count >= max_chars {
            break;
        }
        out.push(c);
        count += 1;
    }
    (!out.is_empty()).then_some(out)
}

/// A caller name for display ([`MAX_NAME_CHARS`]).
pub fn sanitize_name(raw: &str) -> Option<String> {
    sanitize_text(raw, MAX_NAME_CHARS)
}

/// A call reason for display ([`MAX_REASON_CHARS`]).
pub fn sanitize_reason(raw: &str) -> Option<String> {
    sanitize_text(raw, MAX_REASON_CHARS)
}

/// A URL the app may fetch or match content against: `https`, printable ASCII
/// only, at most [`MAX_URL_BYTES`]; `None` otherwise.
pub fn sanitize_url(raw: &str) -> Option<String> {
    let ok = raw.len() <= MAX_URL_BYTES
        && raw
            .get(..8)
            .is_some_and(|s| s.eq_ignore_ascii_case("https://"))
        && raw.len() > 8
        && raw.bytes().all(|b| b.is_ascii_graphic());
    ok.then(|| raw.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_bidi_controls_markup_and_invisibles() {
        let hostile = "\u{202E}\u{202A}Callscreen\u{202C} <b>Test</b>\u{7}\r\n\u{200B}Bank\u{2066}\u{200F}\u{0} ";
        assert_eq!(
            sanitize_name(hostile).as_deref(),
            Some("Callscreen Test Bank")
        );
        assert_eq!(
            sanitize_name("<script>alert(1)</script>Acme").as_deref(),
            Some("alert(1) Acme")
        );
        assert_eq!(sanitize_name("a > b").as_deref(), Some("a b"));
        assert_eq!(
            sanitize_name("\u{E0041}\u{FEFF}Ac\u{00AD}me\u{2060}").as_deref(),
            Some("Acme")
        );
        assert_eq!(sanitize_name("\u{202E}\u{200B} \t"), None);
        assert_eq!(sanitize_name(""), None);
    }

    #[test]
    fn keeps_letters_of_every_script() {
        assert_eq!(
            sanitize_name("Müller & Söhne").as_deref(),
            Some("Müller & Söhne")
        );
        assert_eq!(sanitize_name("مطعم").as_deref(), Some("مطعم"));
        assert_eq!(sanitize_name("東京 薬局").as_deref(), Some("東京 薬局"));
    }

    #[test]
    fn caps_in_characters() {
        let long = "é".repeat(200);
        let s = sanitize_name(&long).unwrap();
        assert_eq!(s.chars().count(), MAX_NAME_CHARS);
        let words = "ab ".repeat(100);
        let s = sanitize_reason(&words).unwrap();
        assert!(s.chars().count() <= MAX_REASON_CHARS);
        assert!(!s.ends_with(' '));
    }

    #[test]
    fn urls() {
        assert_eq!(
            sanitize_url("https://rcd.example.org/logo.png").as_deref(),
            Some("https://rcd.example.org/logo.png")
        );
        assert_eq!(sanitize_url("http://rcd.example.org/logo.png"), None);
        assert_eq!(sanitize_url("https://a b"), None);
        assert_eq!(sanitize_url("https://"), None);
        assert_eq!(sanitize_url(&format!("https://{}", "a".repeat(3000))), None);
    }
}
