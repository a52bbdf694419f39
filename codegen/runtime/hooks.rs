//! Hooks: user code that sees every request before it is sent and every answer after it arrives.

use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use reqwest::{Method, StatusCode, Url};

/// What the spec says of one operation, passed to [`Hook`]s and tracing spans.
///
/// Every request builder has one as `OPERATION`; a SOAP client passes its operation's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct OperationInfo {
    /// The service's module (`visma_net`).
    pub service: &'static str,
    /// The operation's id in the spec (`project_task_get_all_tasks`).
    pub id: &'static str,
    /// The HTTP method (`GET`; `POST` for every SOAP call).
    pub method: &'static str,
    /// The path template (`/v1/projecttask/{projectTaskId}`), never the filled-in path; a SOAP
    /// call's is the service's default endpoint path.
    pub path: &'static str,
    /// Whether the spec marks the operation idempotent, so that a POST or PATCH is retried.
    pub idempotent: bool,
}

/// Code run around every HTTP request a client sends, for logging, metrics or signing, set
/// with [`ClientConfig::hook`](super::ClientConfig::hook).
///
/// A hook never sees a credential: it runs before the access token, Basic credentials and the
/// headers marked secret ([`ClientConfig::secret_header`](super::ClientConfig::secret_header),
/// [`RequestOptions::secret_header`](super::RequestOptions::secret_header)) are added, and the
/// answer's `Set-Cookie` is hidden from it. Each attempt of a retried call is seen, with its
/// number. Hooks run on the task that sends, so they should be quick.
pub trait Hook: Send + Sync {
    /// Called before each attempt is sent; may add headers (e.g. a signature).
    fn before_send(&self, request: &mut HookRequest<'_>) {
        let _ = request;
    }

    /// Called when the answer's status and headers have arrived, or sending failed.
    fn after_receive(&self, response: &HookResponse<'_>) {
        let _ = response;
    }
}

/// One attempt about to be sent, as a [`Hook`] sees it.
#[derive(Debug)]
pub struct HookRequest<'a> {
    pub(crate) operation: Option<&'static OperationInfo>,
    pub(crate) attempt: u32,
    pub(crate) method: &'a Method,
    pub(crate) url: &'a Url,
    pub(crate) headers: &'a mut HeaderMap,
    pub(crate) body: Option<&'a [u8]>,
}

impl HookRequest<'_> {
    /// The operation, or `None` for a request the runtime sends on its own (polling a
    /// background job).
    pub fn operation(&self) -> Option<&'static OperationInfo> {
        self.operation
    }

    /// 1 for the first attempt, 2 for the first retry, ...
    pub fn attempt(&self) -> u32 {
        self.attempt
    }

    /// The request method.
    pub fn method(&self) -> &Method {
        self.method
    }

    /// The whole URL with its query. It holds no credential: a base URL's user name and
    /// password are sent as Basic credentials, and a base URL cannot have a query.
    pub fn url(&self) -> &Url {
        self.url
    }

    /// The headers so far, without the credentials.
    pub fn headers(&self) -> &HeaderMap {
        self.headers
    }

    /// Adds or replaces a header of this attempt.
    pub fn insert_header(&mut self, name: HeaderName, value: HeaderValue) {
        self.headers.insert(name, value);
    }

    /// The request body, if any (for a signature over it).
    pub fn body(&self) -> Option<&[u8]> {
        self.body
    }
}

/// One attempt's outcome, as a [`Hook`] sees it.
#[derive(Debug)]
pub struct HookResponse<'a> {
    pub(crate) operation: Option<&'static OperationInfo>,
    pub(crate) attempt: u32,
    pub(crate) method: &'a Method,
    pub(crate) url: &'a Url,
    pub(crate) latency: Duration,
    pub(crate) outcome: Result<(StatusCode, &'a HeaderMap), &'a reqwest::Error>,
}

impl HookResponse<'_> {
    /// See [`HookRequest::operation`].
    pub fn operation(&self) -> Option<&'static OperationInfo> {
        self.operation
    }

    /// 1 for the first attempt, 2 for the first retry, ...
    pub fn attempt(&self) -> u32 {
        self.attempt
    }

    /// The request method.
    pub fn method(&self) -> &Method {
        self.method
    }

    /// The request URL (see [`HookRequest::url`]).
    pub fn url(&self) -> &Url {
        self.url
    }

    /// From sending the request to the answer's headers (or the failure).
    pub fn latency(&self) -> Duration {
        self.latency
    }

    /// The status, when the server answered.
    pub fn status(&self) -> Option<StatusCode> {
        self.outcome.as_ref().ok().map(|(status, _)| *status)
    }

    /// An answer's header, unless it carries a credential (`Set-Cookie`, ...).
    pub fn header(&self, name: &str) -> Option<&HeaderValue> {
        let (_, headers) = self.outcome.as_ref().ok()?;
        headers.get(name).filter(|value| !value.is_sensitive())
    }

    /// The answer's headers but those that carry a credential; none when sending failed.
    pub fn headers(&self) -> impl Iterator<Item = (&HeaderName, &HeaderValue)> {
        let headers = self.outcome.as_ref().ok().map(|(_, headers)| *headers);
        headers.into_iter().flat_map(HeaderMap::iter).filter(|(_, value)| !value.is_sensitive())
    }

    /// The transport error, when sending failed (its URL keeps no query).
    pub fn error(&self) -> Option<&reqwest::Error> {
        self.outcome.as_ref().err().copied()
    }
}
