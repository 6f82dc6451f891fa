//! The CLI's Ut transport: HTTP(S) with ureq (rustls, webpki roots), Basic and
//! Digest authentication (RFC 7616, via `digest_auth`) answered on a 401
//! challenge. The core never touches the network; this is the app's side of
//! `UtTransport`.

use callscreen_core::reports::{TransportError, UtRequest, UtResponse, UtTransport};
use std::time::Duration;
use ureq::http;

/// Sends Ut requests to `root` (the XCAP / Ut root URL).
pub struct HttpTransport {
    agent: ureq::Agent,
    root: String,
    credentials: Option<(String, String)>,
}

impl HttpTransport {
    /// A transport to `root` with an overall per-request `timeout`.
    pub fn new(root: &str, credentials: Option<(String, String)>, timeout: Duration) -> Self {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(timeout))
            .max_redirects(0)
            .build()
            .into();
        HttpTransport {
            agent,
            root: root.trim_end_matches('/').to_string(),
            credentials,
        }
    }

    fn exec(
        &self,
        req: &UtRequest,
        url: &str,
        authorization: Option<&str>,
    ) -> Result<UtResponse, TransportError> {
        let mut b = http::Request::builder()
            .method(req.method.as_str())
            .uri(url);
        for (k, v) in &req.headers {
            b = b.header(k.as_str(), v.as_str());
        }
        if let Some(a) = authorization {
            b = b.header("Authorization", a);
        }
        let request = b
            .body(req.body.clone())
            .map_err(|e| TransportError::Other {
                reason: format!("bad request {url}: {e}"),
            })?;
        let mut resp = self.agent.run(request).map_err(map_error)?;
        let status = resp.status().as_u16();
        let headers = resp
            .headers()
            .iter()
            .filter_map(|(k, v)| {
                v.to_str()
                    .ok()
                    .map(|v| (k.as_str().to_string(), v.to_string()))
            })
            .collect();
        let body = resp.body_mut().read_to_vec().map_err(map_error)?;
        Ok(UtResponse {
            status,
            headers,
            body,
        })
    }

    /// The `Authorization` answering a 401's challenges: Digest when offered,
    /// else Basic.
    fn authorization(&self, req: &UtRequest, url: &str, resp: &UtResponse) -> Option<String> {
        let (user, password) = self.credentials.as_ref()?;
        let challenges: Vec<&str> = resp
            .headers
            .iter()
            .filter(|(k, _)| k.eq_ignore_ascii_case("www-authenticate"))
            .map(|(_, v)| v.as_str())
            .collect();
        if let Some(d) = challenges
            .iter()
            .find(|c| c.trim_start().to_ascii_lowercase().starts_with("digest"))
        {
            let mut prompt = digest_auth::parse(d).ok()?;
            let ctx = digest_auth::AuthContext::new_with_method(
                user.as_str(),
                password.as_str(),
                request_target(url),
                Some(req.body.as_slice()),
                digest_auth::HttpMethod::from(req.method.as_str()),
            );
            return prompt.respond(&ctx).ok().map(|a| a.to_header_string());
        }
        if challenges
            .iter()
            .any(|c| c.trim_start().to_ascii_lowercase().starts_with("basic"))
        {
            use base64::Engine;
            let token =
                base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"));
            return Some(format!("Basic {token}"));
        }
        None
    }
}

/// The request-target of `url` (path and query), as Digest's `uri`.
fn request_target(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    rest.find('/').map_or("/", |i| &rest[i..])
}

fn map_error(e: ureq::Error) -> TransportError {
    let reason = e.to_string();
    match e {
        ureq::Error::Timeout(_) => TransportError::Timeout { reason },
        ureq::Error::Io(io)
            if io.kind() == std::io::ErrorKind::TimedOut
                || io.kind() == std::io::ErrorKind::WouldBlock =>
        {
            TransportError::Timeout { reason }
        }
        ureq::Error::HostNotFound
        | ureq::Error::ConnectionFailed
        | ureq::Error::Io(_)
        | ureq::Error::Tls(_) => TransportError::Unreachable { reason },
        _ => TransportError::Other { reason },
    }
}

impl UtTransport for HttpTransport {
    fn send(&self, request: UtRequest) -> Result<UtResponse, TransportError> {
        let url = format!("{}/{}", self.root, request.path);
        let resp = self.exec(&request, &url, None)?;
        if resp.status == 401 {
            if let Some(auth) = self.authorization(&request, &url, &resp) {
                return self.exec(&request, &url, Some(&auth));
            }
        }
        Ok(resp)
    }
}

#[cfg(test)]
mod tests {
    use super::request_target;

    #[test]
    fn digest_uri_is_path_and_query() {
        assert_eq!(request_target("http://127.0.0.1:8080/a/b?x=1"), "/a/b?x=1");
        assert_eq!(request_target("https://h"), "/");
    }
}
