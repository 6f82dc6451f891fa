//! Every report kind's document, written by the core, validated against
//! `docs/callscreen-report.xsd` — by a tiny validator for the XSD subset the
//! schema keeps to (always), and by `xmllint --schema` when it is installed
//! (`apt-get install libxml2-utils`). The validator rejects any XSD construct
//! it does not implement, so the schema cannot outgrow the check; negative
//! cases show it fails.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use callscreen_core::history::{HistoryFilter, HistoryMode};
use callscreen_core::intake::call::{
    IncomingCall, PlatformPresentation, PlatformVerificationStatus,
};
use callscreen_core::reports::{ReportKind, ReportRequest, ReportWhen, NAMESPACE};
use callscreen_core::{FixedClock, Screener, ScreenerConfig};
use quick_xml::events::Event;
use quick_xml::name::ResolveResult;
use quick_xml::NsReader;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

const XS: &str = "http://www.w3.org/2001/XMLSchema";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

// ---- a small XML tree -------------------------------------------------------

#[derive(Debug, Clone, Default)]
struct El {
    ns: String,
    name: String,
    attrs: Vec<(String, String)>,
    text: String,
    children: Vec<El>,
}

impl El {
    fn attr(&self, n: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == n)
            .map(|(_, v)| v.as_str())
    }
}

fn parse(xml: &str) -> Result<El, String> {
    let mut r = NsReader::from_str(xml);
    let mut stack: Vec<El> = Vec::new();
    loop {
        let (ns, ev) = r
            .read_resolved_event()
            .map_err(|e| format!("not XML: {e}"))?;
        let ns = match ns {
            ResolveResult::Bound(n) => n.as_ref().to_string(),
            _ => String::new(),
        };
        let empty = matches!(ev, Event::Empty(_));
        match ev {
            Event::Start(e) | Event::Empty(e) => {
                let mut el = El {
                    ns,
                    name: e.local_name().as_ref().to_string(),
                    ..El::default()
                };
                for a in e.attributes() {
                    let a = a.map_err(|e| e.to_string())?;
                    let key = a.key.as_ref().to_string();
                    if key == "xmlns" || key.starts_with("xmlns:") {
                        continue;
                    }
                    let v = a
                        .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                        .map_err(|e| e.to_string())?;
                    el.attrs.push((key, v.into_owned()));
                }
                stack.push(el);
                if empty {
                    if stack.len() == 1 {
                        return Ok(stack.pop().unwrap());
                    }
                    close(&mut stack);
                }
            }
            Event::End(_) => {
                if stack.len() == 1 {
                    return Ok(stack.pop().unwrap());
                }
                close(&mut stack);
            }
            Event::Text(t) => {
                if let Some(top) = stack.last_mut() {
                    top.text.push_str(&t.xml10_content());
                }
            }
            Event::GeneralRef(g) => {
                let c = match g.resolve_char_ref().map_err(|e| e.to_string())? {
                    Some(c) => c.to_string(),
                    None => quick_xml::escape::resolve_predefined_entity(&g.xml10_content())
                        .ok_or("unknown entity")?
                        .to_string(),
                };
                if let Some(top) = stack.last_mut() {
                    top.text.push_str(&c);
                }
            }
            Event::Eof => {
                return match stack.pop() {
                    Some(e) if stack.is_empty() => Ok(e),
                    _ => Err("unexpected end".into()),
                }
            }
            _ => {}
        }
    }
}

fn close(stack: &mut Vec<El>) {
    if stack.len() > 1 {
        let el = stack.pop().unwrap();
        stack.last_mut().unwrap().children.push(el);
    }
}

// ---- the XSD subset ------------------------------------------------------------

#[derive(Debug, Default, Clone)]
struct Simple {
    base: String,
    enums: Vec<String>,
    patterns: Vec<regex::Regex>,
    min_len: Option<usize>,
    max_len: Option<usize>,
    max_incl: Option<i64>,
}

#[derive(Debug, Clone)]
struct Particle {
    name: String,
    ty: String,
    min: usize,
    max: usize,
}

#[derive(Debug, Default, Clone)]
struct Complex {
    sequence: Vec<Particle>,
    attrs: Vec<(String, String, bool)>,
    simple_base: Option<String>,
}

struct Schema {
    target: String,
    root: (String, String),
    simple: HashMap<String, Simple>,
    complex: HashMap<String, Complex>,
}

fn local_type(t: &str) -> String {
    t.to_string()
}

fn load_schema() -> Schema {
    let text = std::fs::read_to_string(root().join("docs/callscreen-report.xsd")).unwrap();
    let doc = parse(&text).unwrap();
    assert_eq!((doc.ns.as_str(), doc.name.as_str()), (XS, "schema"));
    assert_eq!(doc.attr("elementFormDefault"), Some("qualified"));
    let mut s = Schema {
        target: doc.attr("targetNamespace").unwrap().to_string(),
        root: (String::new(), String::new()),
        simple: HashMap::new(),
        complex: HashMap::new(),
    };
    for c in &doc.children {
        assert_eq!(c.ns, XS);
        let name = c.attr("name").unwrap().to_string();
        match c.name.as_str() {
            "element" => s.root = (name, local_type(c.attr("type").unwrap())),
            "simpleType" => {
                s.simple.insert(name, simple_type(c));
            }
            "complexType" => {
                s.complex.insert(name, complex_type(c));
            }
            other => panic!("unsupported XSD construct {other}"),
        }
    }
    s
}

fn simple_type(c: &El) -> Simple {
    assert_eq!(c.children.len(), 1);
    let r = &c.children[0];
    assert_eq!(
        r.name, "restriction",
        "unsupported XSD construct {}",
        r.name
    );
    let mut st = Simple {
        base: r.attr("base").unwrap().to_string(),
        ..Simple::default()
    };
    for f in &r.children {
        let v = f.attr("value").unwrap();
        match f.name.as_str() {
            "enumeration" => st.enums.push(v.to_string()),
            "pattern" => st
                .patterns
                .push(regex::Regex::new(&format!("^(?:{v})$")).unwrap()),
            "minLength" => st.min_len = Some(v.parse().unwrap()),
            "maxLength" => st.max_len = Some(v.parse().unwrap()),
            "maxInclusive" => st.max_incl = Some(v.parse().unwrap()),
            other => panic!("unsupported XSD facet {other}"),
        }
    }
    st
}

fn attributes(els: &[El]) -> Vec<(String, String, bool)> {
    els.iter()
        .map(|a| {
            assert_eq!(a.name, "attribute", "unsupported XSD construct {}", a.name);
            (
                a.attr("name").unwrap().to_string(),
                a.attr("type").unwrap().to_string(),
                a.attr("use") == Some("required"),
            )
        })
        .collect()
}

fn complex_type(c: &El) -> Complex {
    let mut ct = Complex::default();
    let mut rest: &[El] = &c.children;
    if let Some(first) = c.children.first() {
        match first.name.as_str() {
            "sequence" => {
                for p in &first.children {
                    assert_eq!(p.name, "element", "unsupported XSD construct {}", p.name);
                    ct.sequence.push(Particle {
                        name: p.attr("name").unwrap().to_string(),
                        ty: p.attr("type").unwrap().to_string(),
                        min: p.attr("minOccurs").map_or(1, |v| v.parse().unwrap()),
                        max: match p.attr("maxOccurs") {
                            Some("unbounded") => usize::MAX,
                            Some(v) => v.parse().unwrap(),
                            None => 1,
                        },
                    });
                }
                rest = &c.children[1..];
            }
            "simpleContent" => {
                let ext = &first.children[0];
                assert_eq!(
                    ext.name, "extension",
                    "unsupported XSD construct {}",
                    ext.name
                );
                ct.simple_base = Some(ext.attr("base").unwrap().to_string());
                ct.attrs = attributes(&ext.children);
                assert_eq!(c.children.len(), 1);
                return ct;
            }
            _ => {}
        }
    }
    ct.attrs = attributes(rest);
    ct
}

impl Schema {
    fn validate(&self, xml: &str) -> Result<(), String> {
        let doc = parse(xml)?;
        if doc.ns != self.target || doc.name != self.root.0 {
            return Err(format!(
                "root {{{}}}{} is not {{{}}}{}",
                doc.ns, doc.name, self.target, self.root.0
            ));
        }
        self.element(&doc, &self.root.1, "/report")
    }

    fn element(&self, el: &El, ty: &str, path: &str) -> Result<(), String> {
        if let Some(ct) = self.complex.get(ty) {
            for (k, _) in &el.attrs {
                if !ct.attrs.iter().any(|(n, _, _)| n == k) {
                    return Err(format!("{path}: undeclared attribute {k}"));
                }
            }
            for (n, t, required) in &ct.attrs {
                match el.attr(n) {
                    Some(v) => self
                        .simple_value(v, t)
                        .map_err(|e| format!("{path}/@{n}: {e}"))?,
                    None if *required => return Err(format!("{path}: missing attribute {n}")),
                    None => {}
                }
            }
            if let Some(base) = &ct.simple_base {
                if !el.children.is_empty() {
                    return Err(format!("{path}: elements in simple content"));
                }
                return self
                    .simple_value(&el.text, base)
                    .map_err(|e| format!("{path}: {e}"));
            }
            if !el.text.trim().is_empty() {
                return Err(format!("{path}: text in element-only content"));
            }
            let mut i = 0;
            for p in &ct.sequence {
                let mut n = 0;
                while i < el.children.len() && el.children[i].name == p.name && n < p.max {
                    let child = &el.children[i];
                    if child.ns != self.target {
                        return Err(format!(
                            "{path}/{}: wrong namespace {}",
                            child.name, child.ns
                        ));
                    }
                    self.element(child, &p.ty, &format!("{path}/{}", p.name))?;
                    i += 1;
                    n += 1;
                }
                if n < p.min {
                    return Err(format!("{path}: missing {}", p.name));
                }
            }
            if let Some(extra) = el.children.get(i) {
                return Err(format!("{path}: unexpected element {}", extra.name));
            }
            return Ok(());
        }
        if !el.children.is_empty() {
            return Err(format!("{path}: elements in a simple type"));
        }
        self.simple_value(&el.text, ty)
            .map_err(|e| format!("{path}: {e}"))
    }

    fn simple_value(&self, v: &str, ty: &str) -> Result<(), String> {
        if let Some(st) = self.simple.get(ty) {
            self.simple_value(v, &st.base)?;
            if !st.enums.is_empty() && !st.enums.iter().any(|e| e == v) {
                return Err(format!("{v:?} not one of {:?}", st.enums));
            }
            for p in &st.patterns {
                if !p.is_match(v) {
                    return Err(format!("{v:?} does not match {p}"));
                }
            }
            let len = v.chars().count();
            if st.min_len.is_some_and(|m| len < m) || st.max_len.is_some_and(|m| len > m) {
                return Err(format!("length {len} out of bounds"));
            }
            if let Some(m) = st.max_incl {
                if v.parse::<i64>().map_err(|e| e.to_string())? > m {
                    return Err(format!("{v} > {m}"));
                }
            }
            return Ok(());
        }
        let ok = match ty {
            "xs:string" => true,
            "xs:boolean" => matches!(v, "true" | "false" | "1" | "0"),
            "xs:dateTime" => chrono::DateTime::parse_from_rfc3339(v).is_ok(),
            "xs:unsignedByte" => v.parse::<u8>().is_ok(),
            "xs:unsignedShort" => v.parse::<u16>().is_ok(),
            other => return Err(format!("unsupported type {other}")),
        };
        if ok {
            Ok(())
        } else {
            Err(format!("{v:?} is not a {ty}"))
        }
    }
}

// ---- the documents -----------------------------------------------------------

fn xmllint(xml: &str) -> Option<Result<(), String>> {
    let which = std::process::Command::new("xmllint")
        .arg("--version")
        .output()
        .ok()?;
    if !which.status.success() {
        return None;
    }
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("r.xml");
    std::fs::write(&file, xml).unwrap();
    let out = std::process::Command::new("xmllint")
        .arg("--noout")
        .arg("--schema")
        .arg(root().join("docs/callscreen-report.xsd"))
        .arg(&file)
        .output()
        .unwrap();
    Some(if out.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).into_owned())
    })
}

fn check(schema: &Schema, xml: &str) {
    schema
        .validate(xml)
        .unwrap_or_else(|e| panic!("{e}\n{xml}"));
    if let Some(r) = xmllint(xml) {
        r.unwrap_or_else(|e| panic!("xmllint: {e}\n{xml}"));
    }
}

fn screener() -> (Screener, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let config = ScreenerConfig {
        db_path: Some(dir.path().join("db")),
        own_numbers: vec!["+12155551213".into()],
        default_region: Some("US".into()),
        ..ScreenerConfig::default()
    };
    let s = Screener::open(
        config,
        Arc::new(callscreen_core::identification::cert::NoSource),
        Arc::new(FixedClock(1_795_348_800)),
    )
    .unwrap();
    s.set_history_mode(HistoryMode::All).unwrap();
    (s, dir)
}

#[test]
fn every_kind_validates_against_the_schema() {
    let schema = load_schema();
    assert_eq!(schema.target, NAMESPACE);
    let (s, _dir) = screener();
    let calls = [
        IncomingCall {
            call_id: Some("a84b4c76e66710@pc33.example.com".into()),
            network_marking: Some("Spam <Likely> & \"more\"".into()),
            ..IncomingCall::from_platform(
                Some("+12025550123".into()),
                PlatformPresentation::Allowed,
                PlatformVerificationStatus::Failed,
            )
        },
        IncomingCall::from_platform(
            Some("+12025550124".into()),
            PlatformPresentation::Restricted,
            PlatformVerificationStatus::NotVerified,
        ),
        IncomingCall::from_platform(
            Some("+12025550125".into()),
            PlatformPresentation::Allowed,
            PlatformVerificationStatus::Passed,
        ),
    ];
    for c in &calls {
        s.screen(c).unwrap();
    }
    let invite = std::fs::read(root().join("tests/data/invites/04-signature-invalid.sip")).unwrap();
    s.screen_sip(&invite).unwrap();
    let entries = s.history(&HistoryFilter::default()).unwrap();
    assert_eq!(entries.len(), 4);
    let mut n = 0;
    for e in &entries {
        for kind in ReportKind::ALL {
            for when in [
                ReportWhen::BeforeAnswer,
                ReportWhen::During,
                ReportWhen::After,
            ] {
                let id = s
                    .report(ReportRequest {
                        when,
                        category: Some("fraud".into()),
                        comment: Some("line one\nline <two> & \u{1}".into()),
                        ..ReportRequest::on_entry(kind, e.id)
                    })
                    .unwrap();
                let xml = String::from_utf8(s.report_body(&id).unwrap().unwrap()).unwrap();
                assert!(xml.contains(&format!("kind=\"{}\"", kind.as_str())));
                schema
                    .validate(&xml)
                    .unwrap_or_else(|err| panic!("{err}\n{xml}"));
                n += 1;
            }
        }
        // xmllint once per entry (it is slower).
        let id = s
            .report(ReportRequest::on_entry(ReportKind::Challenge, e.id))
            .unwrap();
        check(
            &schema,
            &String::from_utf8(s.report_body(&id).unwrap().unwrap()).unwrap(),
        );
    }
    assert_eq!(n, 4 * 5 * 3);
    // A number not in the history, and a long comment cut to the schema's limit.
    let id = s
        .report(ReportRequest {
            comment: Some("x".repeat(5000)),
            ..ReportRequest::on_number(ReportKind::Unsolicited, "2025550199")
        })
        .unwrap();
    check(
        &schema,
        &String::from_utf8(s.report_body(&id).unwrap().unwrap()).unwrap(),
    );
    // A withheld call from the platform's recent calls: only its time.
    let withheld = ReportRequest {
        number: None,
        call_time: Some(1_795_348_000),
        ..ReportRequest::on_number(ReportKind::Spoofed, "")
    };
    let id = s.report(withheld.clone()).unwrap();
    let xml = String::from_utf8(s.report_body(&id).unwrap().unwrap()).unwrap();
    assert!(xml.contains("<time>2026-11-22T11:46:40Z</time>"), "{xml}");
    assert!(!xml.contains("<calling>"), "{xml}");
    check(&schema, &xml);
    let nothing = ReportRequest {
        call_time: None,
        ..withheld
    };
    assert!(matches!(
        s.report(nothing),
        Err(callscreen_core::Error::InvalidInput(_))
    ));
}

#[test]
fn the_documented_example_validates() {
    let schema = load_schema();
    let example = std::fs::read_to_string(root().join("docs/report-example.xml")).unwrap();
    check(&schema, &example);
}

#[test]
fn the_validator_rejects_what_the_schema_forbids() {
    let schema = load_schema();
    let good = std::fs::read_to_string(root().join("docs/report-example.xml")).unwrap();
    schema.validate(&good).unwrap();
    let bad = [
        good.replace("kind=\"spoofed\"", "kind=\"annoying\""),
        good.replace("version=\"1\"", "version=\"2\""),
        good.replace(" when=\"during\"", ""),
        good.replace("<score>80</score>", "<score>180</score>"),
        good.replace(
            "<calling>+12025550123</calling>",
            "<calling>12025550123</calling>",
        ),
        good.replace("<indication>", "<unknown/><indication>"),
        good.replace("urn:callscreen:xml:ns:report", "urn:other"),
        good.replace("<call-id>", "<called>x</called><call-id>"),
        good.replace("code=\"438\"", "code=\"500\""),
    ];
    for (i, doc) in bad.iter().enumerate() {
        assert_ne!(doc, &good, "case {i} changed nothing");
        assert!(schema.validate(doc).is_err(), "case {i} passed:\n{doc}");
        if let Some(r) = xmllint(doc) {
            assert!(r.is_err(), "xmllint accepted case {i}");
        }
    }
}
