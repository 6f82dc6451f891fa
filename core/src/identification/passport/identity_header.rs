//! The `Identity` header field value (RFC 8224 §4.1):
//!
//! ```text
//! Identity = signed-identity-digest SEMI ident-info *( SEMI ident-info-params )
//! ident-info = "info" EQUAL LAQUOT absoluteURI RAQUOT
//! ident-info-params = "alg" EQUAL token / "ppt" EQUAL token / extension
//! ```
//! `ppt` is accepted quoted or bare (both are seen in the field).

use super::verify::Check;
use crate::limits::MAX_TOKEN_BYTES;
use crate::reason::ReasonCode;

/// An `Identity` header value, split.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdentityHeader<'a> {
    /// The compact JWS.
    pub token: &'a str,
    /// The `info` URL, without angle brackets.
    pub info: &'a str,
    /// `alg`, when present.
    pub alg: Option<&'a str>,
    /// `ppt`, unquoted, when present.
    pub ppt: Option<&'a str>,
}

/// Split an `Identity` header value into the PASSporT and its parameters.
///
/// # Errors
/// `size_limit` over 8 KiB; `identity_malformed` without `info`, with a
/// parameter given twice, or with `info` not in angle brackets; `alg_unsupported`
/// when `alg` is not ES256.
pub fn parse_identity_header(value: &str) -> Check<IdentityHeader<'_>> {
    let mut parts = value.split(';');
    let token = parts.next().unwrap_or("").trim();
    if token.len() > MAX_TOKEN_BYTES {
        return Err((
            ReasonCode::SizeLimit,
            format!("PASSporT of {} bytes", token.len()),
        ));
    }
    if token.is_empty() {
        return Err((
            ReasonCode::IdentityMalformed,
            "no PASSporT before the parameters".into(),
        ));
    }
    let (mut info, mut alg, mut ppt) = (None, None, None);
    // Parameter names seen so far, compared case-insensitively without copying.
    let mut seen: Vec<&str> = Vec::with_capacity(4);
    for param in parts {
        let param = param.trim();
        if param.is_empty() {
            continue;
        }
        let (name, val) = param
            .split_once('=')
            .map_or((param, ""), |(n, v)| (n.trim(), v.trim()));
        if seen.iter().any(|s| s.eq_ignore_ascii_case(name)) {
            return Err((
                ReasonCode::IdentityMalformed,
                format!("parameter {} given twice", name.to_ascii_lowercase()),
            ));
        }
        seen.push(name);
        if name.eq_ignore_ascii_case("info") {
            let url = val
                .strip_prefix('<')
                .and_then(|v| v.strip_suffix('>'))
                .ok_or((
                    ReasonCode::IdentityMalformed,
                    "info is not <URI>".to_string(),
                ))?;
            info = Some(url.trim());
        } else if name.eq_ignore_ascii_case("alg") {
            alg = Some(val);
        } else if name.eq_ignore_ascii_case("ppt") {
            ppt = Some(val.trim_matches('"'));
        }
    }
    let info = info.ok_or((
        ReasonCode::IdentityMalformed,
        "no info parameter".to_string(),
    ))?;
    if let Some(a) = alg {
        if a != "ES256" {
            return Err((ReasonCode::AlgUnsupported, format!("alg parameter {a}")));
        }
    }
    Ok(IdentityHeader {
        token,
        info,
        alg,
        ppt,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters() {
        let h =
            parse_identity_header("a.b.c;info=<https://x/y.pem>;alg=ES256;ppt=\"shaken\"").unwrap();
        assert_eq!(
            (h.token, h.info, h.alg, h.ppt),
            ("a.b.c", "https://x/y.pem", Some("ES256"), Some("shaken"))
        );
        let h = parse_identity_header("a.b.c ; info=<https://x/y.pem> ;ppt=shaken").unwrap();
        assert_eq!(h.ppt, Some("shaken"));
    }

    #[test]
    fn refusals() {
        let code = |v: &str| parse_identity_header(v).unwrap_err().0;
        assert_eq!(code("a.b.c"), ReasonCode::IdentityMalformed);
        assert_eq!(code("a.b.c;info=https://x"), ReasonCode::IdentityMalformed);
        assert_eq!(
            code("a.b.c;info=<https://x>;info=<https://x>"),
            ReasonCode::IdentityMalformed
        );
        assert_eq!(code(";info=<https://x>"), ReasonCode::IdentityMalformed);
        assert_eq!(
            code("a.b.c;info=<https://x>;alg=RS256"),
            ReasonCode::AlgUnsupported
        );
        assert_eq!(
            code(&"a".repeat(MAX_TOKEN_BYTES + 1)),
            ReasonCode::SizeLimit
        );
    }
}
