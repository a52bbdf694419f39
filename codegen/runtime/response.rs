//! A successful answer: status, headers and the typed body.

use reqwest::header::{HeaderMap, ETAG, LOCATION};
use reqwest::StatusCode;

/// A successful answer with its decoded body.
#[derive(Debug, Clone)]
pub struct Response<T> {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: T,
}

impl<T> Response<T> {
    /// The `ETag` header, to send back as `If-Match` on an update.
    pub fn etag(&self) -> Option<ETag> {
        self.header("etag").map(ETag::new)
    }

    /// The `Location` header (where a created resource lives).
    pub fn location(&self) -> Option<&str> {
        self.headers.get(LOCATION).and_then(|value| value.to_str().ok())
    }

    /// Any header as text, if present and visible ASCII.
    pub fn header(&self, name: &str) -> Option<&str> {
        let value = if name.eq_ignore_ascii_case("etag") { self.headers.get(ETAG) } else { self.headers.get(name) };
        value.and_then(|value| value.to_str().ok())
    }

    pub fn into_body(self) -> T {
        self.body
    }

    /// The same answer with its body transformed.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Response<U> {
        Response { status: self.status, headers: self.headers, body: f(self.body) }
    }
}

/// An HTTP entity tag exactly as the server sent it (quotes and `W/` prefix included), for
/// optimistic concurrency: send it back in `If-Match`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct ETag(String);

impl ETag {
    pub fn new(value: impl Into<String>) -> Self {
        ETag(value.into())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for ETag {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}
