//! Identification labels that never claim verification.
//!
//! iOS shows a Call Directory label for *every* call from the number, including
//! one that spoofs it: CallKit knows nothing of STIR/SHAKEN. A label saying
//! "Verified", "Trusted" or carrying a check mark would vouch for a forged call,
//! so such words are removed, however they are disguised (case, accents,
//! look-alike letters and digits, zero-width characters, letters spread out with
//! dots or spaces). When the rest of a label still spells one out, the whole
//! label is dropped. Control and bidirectional-override characters are removed
//! too, and labels are cut to [`MAX_LABEL_CHARS`].

/// Longest label exported, in characters (CallKit shows one short line).
pub const MAX_LABEL_CHARS: usize = 64;

/// Stems that claim the number was checked. Matched on the folded form of a
/// word ([`fold`]), and of the whole label with everything but letters removed.
const CLAIMS: &[&str] = &[
    "verif",
    "authentic",
    "certif",
    "trusted",
    "genuine",
    "validated",
    "legit",
];

/// The result of [`sanitize_label`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sanitized {
    /// The label as it was (after trimming and collapsing whitespace).
    Kept(String),
    /// Words claiming verification removed; the rest.
    Rewritten(String),
    /// Nothing usable left.
    Dropped,
}

impl Sanitized {
    /// The label to export, if any.
    pub fn label(&self) -> Option<&str> {
        match self {
            Sanitized::Kept(l) | Sanitized::Rewritten(l) => Some(l),
            Sanitized::Dropped => None,
        }
    }
}

/// Check and tick marks: a claim by themselves.
fn is_mark(c: char) -> bool {
    matches!(
        c,
        '\u{2611}' | '\u{2705}' | '\u{2713}' | '\u{2714}' | '\u{1F5F8}' | '\u{1F197}'
    )
}

/// Characters removed outright: controls, zero-width and bidirectional
/// formatting characters, variation selectors, tags.
fn removed(c: char) -> bool {
    c.is_control()
        || matches!(c,
            '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2069}' | '\u{FEFF}'
            | '\u{FE00}'..='\u{FE0F}' | '\u{00AD}' | '\u{034F}' | '\u{E0000}'..='\u{E007F}')
}

/// One character's skeleton: lower case, accents and look-alikes (Cyrillic,
/// Greek, digits, `|`) mapped to the Latin letter they imitate. Only for
/// matching [`CLAIMS`]; never shown.
fn fold(c: char) -> char {
    let c = c.to_lowercase().next().unwrap_or(c);
    match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' | 'а' | 'α' | '4' | '@' => {
            'a'
        }
        'ç' | 'ć' | 'č' | 'с' | 'ϲ' => 'c',
        'ď' | 'ԁ' => 'd',
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ė' | 'ę' | 'ě' | 'е' | 'ё' | 'ε' | '3' => 'e',
        'ì' | 'í' | 'î' | 'ï' | 'ī' | 'į' | 'ı' | 'і' | 'ї' | 'ι' | '1' | '|' | '!' | 'l' | 'ł' => {
            'i'
        }
        'ñ' | 'ń' | 'ň' | 'η' => 'n',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'о' | 'ο' | '0' => 'o',
        'ŕ' | 'ř' | 'г' => 'r',
        'ś' | 'š' | 'ş' | 'ѕ' | '5' | '$' => 's',
        'ť' | 'т' | 'τ' | '7' | '+' => 't',
        'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' | 'υ' => 'u',
        'ν' | 'ѵ' => 'v',
        'ý' | 'ÿ' | 'у' => 'y',
        'ź' | 'ż' | 'ž' => 'z',
        'ƒ' => 'f',
        'ɡ' => 'g',
        'һ' => 'h',
        'к' | 'κ' => 'k',
        'р' | 'ρ' => 'p',
        'х' | 'χ' => 'x',
        other => other,
    }
}

/// The folded letters of `text` (digits and symbols that imitate letters
/// included), everything else dropped.
fn skeleton(text: &str) -> String {
    text.chars()
        .map(fold)
        .filter(|c| c.is_alphabetic())
        .collect()
}

/// Whether `text` spells a claim, forwards or backwards (a reversed word shows
/// forwards under a right-to-left override elsewhere in the label).
fn claims(text: &str) -> bool {
    let s = skeleton(text);
    let r: String = s.chars().rev().collect();
    CLAIMS.iter().any(|stem| {
        let stem = skeleton(stem);
        s.contains(&stem) || r.contains(&stem)
    })
}

/// Make a label safe to show on any call from the number (see the module).
pub fn sanitize_label(label: &str) -> Sanitized {
    let marks = label.chars().any(is_mark);
    let cleaned: String = label
        .chars()
        .map(|c| if c.is_whitespace() { ' ' } else { c })
        .filter(|c| !removed(*c) && !is_mark(*c))
        .collect();
    let words: Vec<&str> = cleaned.split_whitespace().collect();
    let kept: Vec<&str> = words.iter().copied().filter(|w| !claims(w)).collect();
    let rewritten = marks || kept.len() != words.len();
    let mut out = kept.join(" ");
    if rewritten {
        // Punctuation left around a removed word: "Bank ()", "Bank -".
        out = out.replace("()", "").replace("[]", "");
        out = out
            .trim_matches(|c: char| !c.is_alphanumeric() && c != ')' && c != '(')
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
    }
    if claims(&out) || !out.chars().any(char::is_alphanumeric) {
        return Sanitized::Dropped;
    }
    let out: String = out.chars().take(MAX_LABEL_CHARS).collect();
    let out = out.trim_end().to_string();
    if rewritten {
        Sanitized::Rewritten(out)
    } else {
        Sanitized::Kept(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_labels_are_kept() {
        assert_eq!(sanitize_label("Dentist"), Sanitized::Kept("Dentist".into()));
        assert_eq!(
            sanitize_label("  Dr.  Smith\t(office) "),
            Sanitized::Kept("Dr. Smith (office)".into())
        );
        assert_eq!(
            sanitize_label("Pharmacie Électrique"),
            Sanitized::Kept("Pharmacie Électrique".into())
        );
    }

    #[test]
    fn claims_are_removed_in_every_disguise() {
        for (label, want) in [
            ("Verified Bank", "Bank"),
            ("Bank (verified)", "Bank"),
            ("Bank ✓", "Bank"),
            ("Bank ✅", "Bank"),
            ("VERIFIED caller: Bank", "caller: Bank"),
            ("Bank - Vérifié", "Bank"),
            ("Bank v3r1f13d", "Bank"),
            ("Bank vеrified", "Bank"), // Cyrillic е
            ("Bank veri\u{200B}fied", "Bank"),
            ("Trusted Pharmacy", "Pharmacy"),
            ("Authentic IRS", "IRS"),
            ("Certified Plumber", "Plumber"),
            ("Bank \u{202E}deifirev", "Bank"),
        ] {
            match sanitize_label(label) {
                Sanitized::Rewritten(l) => assert_eq!(l, want, "{label:?}"),
                other => panic!("{label:?}: {other:?}"),
            }
        }
    }

    #[test]
    fn labels_that_still_spell_a_claim_are_dropped() {
        for label in [
            "V E R I F I E D",
            "v.e.r.i.f.i.e.d",
            "Verified",
            "✓✓",
            "",
            "   ",
            "ver ified bank",
        ] {
            let got = sanitize_label(label);
            assert_eq!(got, Sanitized::Dropped, "{label:?}");
            assert!(got.label().is_none());
        }
    }

    #[test]
    fn long_labels_are_cut() {
        let l = "A".repeat(200);
        assert_eq!(
            sanitize_label(&l).label().map(|l| l.chars().count()),
            Some(MAX_LABEL_CHARS)
        );
    }
}
