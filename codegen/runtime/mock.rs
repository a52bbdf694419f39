//! Test helpers (the `mock` feature): a loopback server that answers operations with typed values.
//!
//! ```ignore
//! let server = api_clients::mock::MockServer::start().await;
//! server.on(visma_net::mock::project_task::GetAllTasks).answer(GetAllTasksResponse::Ok(tasks)).await;
//! let client = visma_net::Client::new(server.config())?;
//! ```
//!
//! Requests are matched on the operation's method and path template (a `{name}` matches any
//! one path segment); query, headers and body are not looked at. Built on wiremock, which
//! [`MockServer::wiremock`] gives access to for anything finer.

use std::fmt;
use std::marker::PhantomData;

use serde::Serialize;

use super::config::ClientConfig;

/// An operation a [`MockServer`] can answer. Each REST service's `mock` module has one marker
/// type per operation (`visma_net::mock::project_task::GetAllTasks`).
pub trait Operation {
    /// The HTTP method (`GET`).
    const METHOD: &'static str;
    /// The path below the base URL, `{name}` standing for a path parameter.
    const PATH: &'static str;
    /// What `send` returns in `Response::body`: the body type, or the response enum when
    /// the operation has several success statuses (the variant picks the status).
    type Answer;
    /// The error body the operation declares ([`NoErrorBody`](super::NoErrorBody) when none).
    type Error: Serialize;
    /// The status and body for an answer.
    #[doc(hidden)]
    fn reply(answer: Self::Answer) -> Reply;
}

/// A status and an optional JSON body; made by the generated [`Operation::reply`].
#[doc(hidden)]
#[derive(Debug)]
pub struct Reply {
    status: u16,
    body: Option<serde_json::Value>,
    /// A body other than JSON (bytes or text) and its content type.
    raw: Option<(&'static str, Vec<u8>)>,
}

impl Reply {
    pub fn json<T: Serialize>(status: u16, body: &T) -> Reply {
        // The generated types serialize to JSON without failing (string map keys, no
        // non-finite numbers); if one still fails, the test sees `null` and a decode error.
        Reply { status, body: Some(serde_json::to_value(body).unwrap_or(serde_json::Value::Null)), raw: None }
    }

    pub fn empty(status: u16) -> Reply {
        Reply { status, body: None, raw: None }
    }

    pub fn raw(status: u16, content_type: &'static str, body: &[u8]) -> Reply {
        Reply { status, body: None, raw: Some((content_type, body.to_vec())) }
    }
}

/// A server on loopback that answers what the test registers with [`MockServer::on`].
/// Dropping it stops it and checks the [`On::expect`] counts (a failed count panics).
pub struct MockServer {
    server: wiremock::MockServer,
}

impl fmt::Debug for MockServer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MockServer").field("uri", &self.server.uri()).finish()
    }
}

impl MockServer {
    /// Starts a server on a free loopback port (it runs on a thread of its own).
    pub async fn start() -> MockServer {
        MockServer { server: wiremock::MockServer::start().await }
    }

    /// The server's base URL (`http://127.0.0.1:<port>`).
    pub fn uri(&self) -> String {
        self.server.uri()
    }

    /// A client configuration sending to this server.
    pub fn config(&self) -> ClientConfig {
        ClientConfig::new().base_url(self.uri())
    }

    /// Starts registering an answer for `operation`; finish with [`On::answer`],
    /// [`On::error`] or [`On::error_text`]. The first registered answer that matches a
    /// request (and has not used up [`On::up_to`]) answers it.
    pub fn on<O: Operation>(&self, operation: O) -> On<'_, O> {
        drop(operation);
        On { server: self, expect: None, up_to: None, headers: Vec::new(), operation: PhantomData }
    }

    /// The requests received so far that match `operation`'s method and path template.
    pub async fn received<O: Operation>(&self, operation: O) -> Vec<wiremock::Request> {
        drop(operation);
        let requests = self.server.received_requests().await.unwrap_or_default();
        requests
            .into_iter()
            .filter(|request| request.method.as_str() == O::METHOD && matches_template(O::PATH, request.url.path()))
            .collect()
    }

    /// The wiremock server underneath, for matchers and answers this module does not offer.
    pub fn wiremock(&self) -> &wiremock::MockServer {
        &self.server
    }
}

/// An answer being registered for operation `O`.
#[must_use = "nothing is registered until `answer`, `error` or `error_text` is awaited"]
pub struct On<'a, O> {
    server: &'a MockServer,
    expect: Option<u64>,
    up_to: Option<u64>,
    headers: Vec<(String, String)>,
    operation: PhantomData<fn() -> O>,
}

impl<O> fmt::Debug for On<'_, O> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("On").field("expect", &self.expect).field("up_to", &self.up_to).finish_non_exhaustive()
    }
}

impl<O: Operation> On<'_, O> {
    /// The answer must be used exactly `times` times by the time the server is dropped.
    pub fn expect(mut self, times: u64) -> Self {
        self.expect = Some(times);
        self
    }

    /// Answers at most `times` requests; later ones go to the next matching registration
    /// (a first call answered `Accepted`, the next ones `Ok`, say).
    pub fn up_to(mut self, times: u64) -> Self {
        self.up_to = Some(times);
        self
    }

    /// Adds a response header (`ETag`, `Location`).
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Answers with a success: the status and body `send` decodes back into `answer`.
    pub async fn answer(self, answer: O::Answer) {
        let reply = O::reply(answer);
        self.mount(reply).await;
    }

    /// Answers with an error status and the operation's typed error body.
    pub async fn error(self, status: u16, body: O::Error) {
        self.mount(Reply::json(status, &body)).await;
    }

    /// Answers with an error status and a plain-text body (an operation without a declared
    /// error body, or a server that answers something else).
    pub async fn error_text(self, status: u16, text: impl Into<String>) {
        let template = wiremock::ResponseTemplate::new(status).set_body_string(text.into());
        self.mount_template(template).await;
    }

    async fn mount(self, reply: Reply) {
        let mut template = wiremock::ResponseTemplate::new(reply.status);
        if let Some(body) = reply.body {
            template = template.set_body_json(body);
        }
        if let Some((content_type, body)) = reply.raw {
            template = template.set_body_raw(body, content_type);
        }
        self.mount_template(template).await;
    }

    async fn mount_template(self, mut template: wiremock::ResponseTemplate) {
        for (name, value) in &self.headers {
            template = template.insert_header(name.as_str(), value.as_str());
        }
        let mut mock = wiremock::Mock::given(wiremock::matchers::method(O::METHOD))
            .and(wiremock::matchers::path_regex(path_pattern(O::PATH)))
            .respond_with(template);
        if let Some(times) = self.up_to {
            mock = mock.up_to_n_times(times);
        }
        if let Some(times) = self.expect {
            mock = mock.expect(times);
        }
        mock.mount(&self.server.server).await;
    }
}

/// A regular expression for a path template: literal text escaped, `{name}` one segment.
fn path_pattern(template: &str) -> String {
    let mut pattern = String::from("^");
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        escape_into(&mut pattern, &rest[..open]);
        pattern.push_str("[^/]+");
        rest = rest[open..].find('}').map_or("", |close| &rest[open + close + 1..]);
    }
    escape_into(&mut pattern, rest);
    pattern.push('$');
    pattern
}

fn escape_into(pattern: &mut String, literal: &str) {
    for ch in literal.chars() {
        if "\\.+*?()|[]{}^$#&-~".contains(ch) {
            pattern.push('\\');
        }
        pattern.push(ch);
    }
}

/// Whether `path` matches a path template the way [`path_pattern`]'s expression does, segment
/// by segment: each `{name}` stands for one or more characters other than `/`.
fn matches_template(template: &str, path: &str) -> bool {
    let (template, path): (Vec<&str>, Vec<&str>) = (template.split('/').collect(), path.split('/').collect());
    template.len() == path.len()
        && template.iter().zip(&path).all(|(pattern, segment)| matches_segment(pattern, segment))
}

fn matches_segment(pattern: &str, segment: &str) -> bool {
    // The literal runs between the parameters: `{type}.json` is ["", ".json"].
    let mut literals = Vec::new();
    let mut rest = pattern;
    while let Some(open) = rest.find('{') {
        literals.push(&rest[..open]);
        rest = rest[open..].find('}').map_or("", |close| &rest[open + close + 1..]);
    }
    literals.push(rest);
    let (first, last) = (literals[0], literals[literals.len() - 1]);
    if literals.len() == 1 {
        return segment == first;
    }
    let Some(mut middle) = segment.strip_prefix(first).and_then(|rest| rest.strip_suffix(last)) else {
        return false;
    };
    // Each parameter takes at least one character; placing every literal as early as
    // possible leaves the most room for the rest.
    for literal in &literals[1..literals.len() - 1] {
        match middle.get(1..).and_then(|after| after.find(literal)) {
            Some(at) => middle = &middle[1 + at + literal.len()..],
            None => return false,
        }
    }
    !middle.is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_templates_match_one_segment_per_parameter() {
        assert_eq!(path_pattern("/v1/kitassembly/{type}/{number}"), r"^/v1/kitassembly/[^/]+/[^/]+$");
        assert_eq!(path_pattern("/a.b/{x}.json"), r"^/a\.b/[^/]+\.json$");
        let template = "/v1/kitassembly/{type}/{number}";
        assert!(matches_template(template, "/v1/kitassembly/P/000123"));
        assert!(matches_template(template, "/v1/kitassembly/P%2F1/000123"));
        assert!(!matches_template(template, "/v1/kitassembly/P/000123/release"));
        assert!(!matches_template(template, "/v1/kitassembly//000123"));
        assert!(matches_template("/files/{name}.json", "/files/a.json"));
        assert!(!matches_template("/files/{name}.json", "/files/.json"));
        assert!(matches_template("/r/{a}-{b}", "/r/x-y-z"));
        assert!(!matches_template("/r/{a}-{b}", "/r/x-"));
        assert!(matches_template("/v1/projecttask", "/v1/projecttask"));
        assert!(!matches_template("/v1/projecttask", "/v1/projecttask/7"));
    }
}
