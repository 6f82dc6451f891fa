//! Human-readable output.

use callscreen_core::Verdict;
use std::fmt::Write;

/// The verdict for people.
pub fn human(v: &Verdict) -> String {
    let mut s = String::new();
    let ver = &v.verification;
    let _ = writeln!(
        s,
        "indication:    {} ({})",
        v.indication.as_str(),
        v.display.label
    );
    let _ = writeln!(s, "action:        {}", v.action.as_str());
    let _ = writeln!(
        s,
        "number:        {} ({})",
        v.display.number.as_deref().unwrap_or("-"),
        v.presentation.as_str()
    );
    for (label, value) in [
        ("name:          ", &v.display.name),
        ("call reason:   ", &v.display.call_reason),
        ("logo:          ", &v.display.logo_url),
    ] {
        if let Some(value) = value {
            let _ = writeln!(s, "{label}{value}");
        }
    }
    let mut line = ver.status.as_str().to_string();
    if let Some(a) = ver.attestation {
        let _ = write!(line, ", attestation {}", a.as_str());
    }
    if let Some(src) = ver.source {
        let _ = write!(line, ", from {}", src.as_str());
    }
    let _ = writeln!(s, "verification:  {line}");
    if let Some(signer) = &ver.signer {
        let _ = writeln!(
            s,
            "signer:        {}{} [{}]",
            signer
                .spc
                .as_deref()
                .map(|c| format!("SPC {c}, "))
                .unwrap_or_default(),
            if signer.delegate {
                "delegate"
            } else {
                "service provider"
            },
            signer.subject
        );
    }
    if let Some(vs) = &ver.verstat {
        let _ = writeln!(s, "verstat:       {vs}");
    }
    if let Some(f) = ver.failure {
        let _ = writeln!(s, "failure:       {} {}", f.code, f.reason.as_str());
    }
    for url in &ver.cert_needed {
        let _ = writeln!(s, "cert needed:   {url}");
    }
    let _ = writeln!(s, "score:         {}", v.score);
    for r in &v.reasons {
        let _ = writeln!(s, "  - {} (+{}): {}", r.code.as_str(), r.weight, r.detail);
    }
    s
}
