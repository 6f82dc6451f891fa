//! The report document: callscreen's own XML body for a user's report (there is
//! no standard one for a UE), in the namespace [`NAMESPACE`], version
//! [`VERSION`]. `docs/report-schema.md` describes it and
//! `docs/callscreen-report.xsd` is its schema; the tests validate every kind
//! against it.
//!
//! A withheld caller's number is never written: the report cites the call
//! (Call-ID and time) and the network, which knows the identity, resolves it.

use super::{ReportKind, ReportWhen};
use crate::clock::rfc3339;
use crate::history::{HistoryEntry, VerificationSnapshot};
use crate::presentation::{Indication, Presentation};
use crate::reaction::Action;
use crate::reason::Reason;
use quick_xml::events::{BytesDecl, BytesText, Event};
use quick_xml::Writer;
use std::io;

/// The XML namespace of report documents.
pub const NAMESPACE: &str = "urn:callscreen:xml:ns:report";
/// The document version written (the `version` attribute).
pub const VERSION: &str = "1";
/// The MIME type reports are sent as.
pub const CONTENT_TYPE: &str = "application/vnd.callscreen.report+xml";

/// What the report says about the call.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CallEvidence {
    /// The Call-ID.
    pub call_id: Option<String>,
    /// When the call was screened, seconds since the epoch.
    pub time: Option<i64>,
    /// The caller's number, E.164 (never a withheld caller's).
    pub calling: Option<String>,
    /// The called number.
    pub called: Option<String>,
    /// How the caller's identity was presented.
    pub presentation: Option<Presentation>,
    /// What verification found.
    pub verification: Option<VerificationSnapshot>,
    /// The indication shown.
    pub indication: Option<Indication>,
    /// The action taken.
    pub action: Option<Action>,
    /// The score.
    pub score: Option<u8>,
    /// The reasons, as stored.
    pub reasons: Vec<Reason>,
}

impl CallEvidence {
    /// The evidence of a history entry.
    pub fn from_entry(h: &HistoryEntry) -> CallEvidence {
        let e = &h.entry;
        CallEvidence {
            call_id: e.call_id.clone(),
            time: Some(e.time),
            calling: if e.presentation == Presentation::Withheld {
                None
            } else {
                e.calling.clone()
            },
            called: e.called.clone(),
            presentation: Some(e.presentation),
            verification: Some(e.verification.clone()),
            indication: Some(e.indication),
            action: Some(e.action),
            score: Some(e.score),
            reasons: e.reasons.clone(),
        }
    }
}

/// One report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportDocument {
    /// The report's id (a UUID), also its idempotency key.
    pub id: String,
    /// What is reported.
    pub kind: ReportKind,
    /// When the user made the report, seconds since the epoch.
    pub created: i64,
    /// When, relative to the call.
    pub when: ReportWhen,
    /// The subscriber's public identity, when known (`tel:+1...`, `sip:...`).
    pub reporter: Option<String>,
    /// The call.
    pub call: CallEvidence,
    /// A category.
    pub category: Option<String>,
    /// A comment.
    pub comment: Option<String>,
}

/// Text safe for XML 1.0: characters it cannot carry are dropped.
pub fn xml_safe(s: &str) -> String {
    s.chars()
        .filter(|&c| {
            matches!(c, '\t' | '\n' | '\r')
                || ('\u{20}'..='\u{D7FF}').contains(&c)
                || ('\u{E000}'..='\u{FFFD}').contains(&c)
                || c >= '\u{10000}'
        })
        .collect()
}

/// [`xml_safe`] text cut to the schema's `max` characters.
fn fit(s: &str, max: usize) -> String {
    xml_safe(s).chars().take(max).collect()
}

/// Longest Call-ID written (schema `text256`).
const MAX_CALL_ID: usize = 256;
/// Longest short value written (schema `text64`: called number, verstat, SPC).
const MAX_SHORT: usize = 64;
/// Longest reason detail or signer subject written (schema `text1024`).
const MAX_LONG: usize = 1024;

fn text_el<W: io::Write>(w: &mut Writer<W>, name: &str, text: &str, max: usize) -> io::Result<()> {
    w.create_element(name)
        .write_text_content(BytesText::new(&fit(text, max)))?;
    Ok(())
}

impl ReportDocument {
    /// The XML document, UTF-8.
    pub fn to_xml(&self) -> Vec<u8> {
        let mut w = Writer::new_with_indent(Vec::new(), b' ', 2);
        // Writing into a Vec cannot fail.
        if let Err(e) = self.write(&mut w) {
            log::error!("report document: {e}");
        }
        let mut out = w.into_inner();
        out.push(b'\n');
        out
    }

    fn write<W: io::Write>(&self, w: &mut Writer<W>) -> io::Result<()> {
        w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
        let created = rfc3339(self.created);
        w.create_element("report")
            .with_attribute(("xmlns", NAMESPACE))
            .with_attribute(("version", VERSION))
            .with_attribute(("id", self.id.as_str()))
            .with_attribute(("kind", self.kind.as_str()))
            .with_attribute(("when", self.when.as_str()))
            .with_attribute(("created", created.as_str()))
            .write_inner_content(|w| {
                if let Some(r) = &self.reporter {
                    text_el(w, "reporter", r, 256)?;
                }
                self.write_call(w)?;
                if let Some(c) = &self.category {
                    text_el(w, "category", c, super::MAX_CATEGORY_CHARS)?;
                }
                if let Some(c) = &self.comment {
                    text_el(w, "comment", c, super::MAX_COMMENT_CHARS)?;
                }
                Ok(())
            })?;
        Ok(())
    }

    fn write_call<W: io::Write>(&self, w: &mut Writer<W>) -> io::Result<()> {
        let c = &self.call;
        w.create_element("call").write_inner_content(|w| {
            if let Some(id) = &c.call_id {
                text_el(w, "call-id", id, MAX_CALL_ID)?;
            }
            if let Some(t) = c.time {
                text_el(w, "time", &rfc3339(t), MAX_SHORT)?;
            }
            if let Some(n) = &c.calling {
                text_el(w, "calling", n, MAX_SHORT)?;
            }
            if let Some(n) = &c.called {
                text_el(w, "called", n, MAX_SHORT)?;
            }
            if let Some(p) = c.presentation {
                text_el(w, "presentation", p.as_str(), MAX_SHORT)?;
            }
            if let Some(v) = &c.verification {
                write_verification(w, v)?;
            }
            if let Some(i) = c.indication {
                text_el(w, "indication", i.as_str(), MAX_SHORT)?;
            }
            if let Some(a) = c.action {
                text_el(w, "action", a.as_str(), MAX_SHORT)?;
            }
            if let Some(s) = c.score {
                text_el(w, "score", &s.to_string(), MAX_SHORT)?;
            }
            if !c.reasons.is_empty() {
                w.create_element("reasons").write_inner_content(|w| {
                    for r in &c.reasons {
                        let weight = r.weight.to_string();
                        w.create_element("reason")
                            .with_attribute(("code", r.code.as_str()))
                            .with_attribute(("weight", weight.as_str()))
                            .write_text_content(BytesText::new(&fit(&r.detail, MAX_LONG)))?;
                    }
                    Ok(())
                })?;
            }
            Ok(())
        })?;
        Ok(())
    }
}

fn write_verification<W: io::Write>(w: &mut Writer<W>, v: &VerificationSnapshot) -> io::Result<()> {
    let mut el = w
        .create_element("verification")
        .with_attribute(("status", v.status.as_str()));
    if let Some(a) = &v.attestation {
        el = el.with_attribute(("attestation", a.as_str()));
    }
    if let Some(s) = &v.source {
        el = el.with_attribute(("source", s.as_str()));
    }
    let empty = v.verstat.is_none() && v.signer.is_none() && v.failure.is_none();
    if empty {
        el.write_empty()?;
        return Ok(());
    }
    el.write_inner_content(|w| {
        if let Some(s) = &v.verstat {
            text_el(w, "verstat", s, MAX_SHORT)?;
        }
        if let Some(s) = &v.signer {
            let mut el = w.create_element("signer");
            if let Some(spc) = &s.spc {
                el = el.with_attribute(("spc", fit(spc, MAX_SHORT).as_str()));
            }
            el.with_attribute(("delegate", if s.delegate { "true" } else { "false" }))
                .write_text_content(BytesText::new(&fit(&s.subject, MAX_LONG)))?;
        }
        if let Some(f) = v.failure {
            let code = f.code.to_string();
            w.create_element("failure")
                .with_attribute(("code", code.as_str()))
                .with_attribute(("reason", f.reason.as_str()))
                .write_empty()?;
        }
        Ok(())
    })?;
    Ok(())
}
