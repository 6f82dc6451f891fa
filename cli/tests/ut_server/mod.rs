//! A real HTTP/1.1 server on loopback for the Ut tests: Digest authentication,
//! report intake deduplicated by `Idempotency-Key`, scripted failures chosen by
//! the report's comment (`scenario:ok|flaky|conflict|slow|flaky-slow`), and a
//! simservs document whose ICB rules can be PUT and DELETEd with `If-Match`
//! (the first conditional write answers 412). Connections are closed after each
//! answer; the server stops when dropped or after its deadline.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub const USER: &str = "alice";
pub const PASSWORD: &str = "s3cret";
const REALM: &str = "ut.example.net";
const NS_SS: &str = "http://uri.etsi.org/ngn/params/xml/simservs/xcap";
const NS_CP: &str = "urn:ietf:params:xml:ns:common-policy";

/// One request as the server saw it.
#[derive(Debug, Clone)]
pub struct Seen {
    pub method: String,
    pub target: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    pub status: u16,
}

impl Seen {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

#[derive(Default)]
pub struct State {
    /// Report id → times accepted (processed). Exactly once is the goal.
    pub accepted: HashMap<String, u32>,
    /// Report id → requests seen for it.
    pub attempts: HashMap<String, u32>,
    pub seen: Vec<Seen>,
    pub etag: u32,
    pub rules: Vec<String>,
    pub failed_first_write: bool,
    /// Delay every answer by up to this many ms (crash tests).
    pub jitter_ms: u64,
    pub nonce: u64,
}

pub struct Server {
    pub url: String,
    pub state: Arc<Mutex<State>>,
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Start the server; it stops after `deadline` at the latest.
pub fn start(deadline: Duration) -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let state = Arc::new(Mutex::new(State {
        etag: 1,
        ..State::default()
    }));
    let stop = Arc::new(AtomicBool::new(false));
    let (st, sp) = (state.clone(), stop.clone());
    let thread = std::thread::spawn(move || {
        let end = Instant::now() + deadline;
        while !sp.load(Ordering::Relaxed) && Instant::now() < end {
            match listener.accept() {
                Ok((stream, _)) => {
                    let st = st.clone();
                    std::thread::spawn(move || {
                        let _ = handle(stream, &st);
                    });
                }
                Err(_) => std::thread::sleep(Duration::from_millis(2)),
            }
        }
    });
    Server {
        url,
        state,
        stop,
        thread: Some(thread),
    }
}

struct Request {
    method: String,
    target: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

fn read_request(stream: &TcpStream) -> Option<Request> {
    stream.set_nonblocking(false).ok()?;
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .ok()?;
    let mut r = BufReader::new(stream);
    let mut line = String::new();
    r.read_line(&mut line).ok()?;
    let mut parts = line.split_whitespace();
    let method = parts.next()?.to_string();
    let target = parts.next()?.to_string();
    let mut headers = Vec::new();
    loop {
        let mut h = String::new();
        r.read_line(&mut h).ok()?;
        let h = h.trim_end();
        if h.is_empty() {
            break;
        }
        let (k, v) = h.split_once(':')?;
        headers.push((k.trim().to_string(), v.trim().to_string()));
    }
    let len = headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.parse::<usize>().ok())
        .unwrap_or(0);
    let mut body = vec![0; len];
    r.read_exact(&mut body).ok()?;
    Some(Request {
        method,
        target,
        headers,
        body,
    })
}

fn header<'a>(h: &'a [(String, String)], name: &str) -> Option<&'a str> {
    h.iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

fn param(auth: &str, name: &str) -> Option<String> {
    let i = auth.find(&format!("{name}="))? + name.len() + 1;
    let rest = &auth[i..];
    if let Some(r) = rest.strip_prefix('"') {
        Some(r[..r.find('"')?].to_string())
    } else {
        Some(rest.split(',').next()?.trim().to_string())
    }
}

fn challenge(nonce: u64) -> String {
    format!("Digest realm=\"{REALM}\", qop=\"auth\", nonce=\"n{nonce}\", algorithm=MD5")
}

/// Check a Digest `Authorization` by recomputing the response.
fn digest_ok(req: &Request) -> bool {
    let Some(auth) = header(&req.headers, "authorization") else {
        return false;
    };
    if !auth.starts_with("Digest ") {
        return false;
    }
    let (Some(user), Some(nonce), Some(uri), Some(cnonce), Some(response)) = (
        param(auth, "username"),
        param(auth, "nonce"),
        param(auth, "uri"),
        param(auth, "cnonce"),
        param(auth, "response"),
    ) else {
        return false;
    };
    if user != USER || uri != req.target {
        return false;
    }
    let n: u64 = nonce.trim_start_matches('n').parse().unwrap_or(0);
    let mut prompt = digest_auth::parse(&challenge(n)).unwrap();
    let mut ctx = digest_auth::AuthContext::new_with_method(
        USER,
        PASSWORD,
        uri.as_str(),
        Some(req.body.as_slice()),
        digest_auth::HttpMethod::from(req.method.as_str()),
    );
    ctx.set_custom_cnonce(cnonce);
    let expected = prompt.respond(&ctx).unwrap().to_header_string();
    param(&expected, "response").as_deref() == Some(response.as_str())
}

fn write(mut stream: &TcpStream, status: u16, headers: &[(&str, String)], body: &[u8]) {
    let mut out = format!(
        "HTTP/1.1 {status} X\r\nContent-Length: {}\r\nConnection: close\r\n",
        body.len()
    );
    for (k, v) in headers {
        out.push_str(&format!("{k}: {v}\r\n"));
    }
    out.push_str("\r\n");
    let _ = stream.write_all(out.as_bytes());
    let _ = stream.write_all(body);
    let _ = stream.flush();
}

fn scenario(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    text.find("scenario:")
        .map(|i| {
            text[i + 9..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
                .collect()
        })
        .unwrap_or_else(|| "ok".into())
}

fn handle(stream: TcpStream, st: &Arc<Mutex<State>>) -> Option<()> {
    let req = read_request(&stream)?;
    let jitter = st.lock().unwrap().jitter_ms;
    if jitter > 0 {
        let ns = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .ok()?
            .subsec_nanos();
        std::thread::sleep(Duration::from_millis(u64::from(ns) % jitter));
    }
    let (status, headers, body, sleep) = respond(&req, st);
    st.lock().unwrap().seen.push(Seen {
        method: req.method.clone(),
        target: req.target.clone(),
        headers: req.headers.clone(),
        body: req.body.clone(),
        status,
    });
    if let Some(d) = sleep {
        std::thread::sleep(d);
    }
    write(&stream, status, &headers, &body);
    Some(())
}

type Answer = (u16, Vec<(&'static str, String)>, Vec<u8>, Option<Duration>);

fn respond(req: &Request, st: &Arc<Mutex<State>>) -> Answer {
    let mut s = st.lock().unwrap();
    if !digest_ok(req) {
        s.nonce += 1;
        return (
            401,
            vec![("WWW-Authenticate", challenge(s.nonce))],
            Vec::new(),
            None,
        );
    }
    let path = req.target.clone();
    if req.method == "POST" && path == "/callscreen/reports" {
        let Some(key) = header(&req.headers, "idempotency-key").map(str::to_string) else {
            return (400, vec![], b"no Idempotency-Key".to_vec(), None);
        };
        let n = {
            let a = s.attempts.entry(key.clone()).or_default();
            *a += 1;
            *a
        };
        if s.accepted.contains_key(&key) {
            return (200, vec![], b"duplicate, already accepted".to_vec(), None);
        }
        return match (scenario(&req.body).as_str(), n) {
            ("flaky", 1) => (503, vec![], Vec::new(), None),
            ("conflict", _) => (
                409,
                vec![("Content-Type", "application/xcap-error+xml".into())],
                b"<xcap-error xmlns=\"urn:ietf:params:xml:ns:xcap-error\"><uniqueness-failure phrase=\"already reported by this subscriber\"/></xcap-error>".to_vec(),
                None,
            ),
            ("slow", 1) => {
                // Accepted, but the answer comes after the client gave up.
                s.accepted.insert(key, 1);
                (201, vec![], Vec::new(), Some(Duration::from_millis(2500)))
            }
            _ => {
                s.accepted.insert(key, 1);
                (201, vec![], Vec::new(), None)
            }
        };
    }
    let doc = "/simservs.ngn.etsi.org/users/tel:+12155551213/simservs.xml";
    let etag = format!("\"e{}\"", s.etag);
    if req.method == "GET" && path == doc {
        let body = format!(
            "<?xml version=\"1.0\"?><simservs xmlns=\"{NS_SS}\" xmlns:cp=\"{NS_CP}\"><communication-barring-serv-cap><serv-cap-conditions><serv-cap-identity provisioned=\"true\"/></serv-cap-conditions></communication-barring-serv-cap><incoming-communication-barring active=\"true\"><cp:ruleset>{}</cp:ruleset></incoming-communication-barring></simservs>",
            s.rules.join("")
        );
        return (
            200,
            vec![
                ("ETag", etag),
                ("Content-Type", "application/simservs+xml".into()),
            ],
            body.into_bytes(),
            None,
        );
    }
    if path.starts_with(&format!(
        "{doc}/~~/simservs/incoming-communication-barring/cp:ruleset/cp:rule%5B@id=%22"
    )) {
        if header(&req.headers, "if-match") != Some(etag.as_str()) || !s.failed_first_write {
            s.failed_first_write = true;
            s.etag += 1;
            return (412, vec![], Vec::new(), None);
        }
        s.etag += 1;
        return match req.method.as_str() {
            "PUT" => {
                s.rules
                    .push(String::from_utf8_lossy(&req.body).into_owned());
                (201, vec![], Vec::new(), None)
            }
            "DELETE" => {
                let before = s.rules.len();
                let id = path.split("%22").nth(1).unwrap_or("").to_string();
                s.rules.retain(|r| !r.contains(&format!("id=\"{id}\"")));
                (
                    if s.rules.len() < before { 200 } else { 404 },
                    vec![],
                    Vec::new(),
                    None,
                )
            }
            _ => (405, vec![], Vec::new(), None),
        };
    }
    (404, vec![], Vec::new(), None)
}
