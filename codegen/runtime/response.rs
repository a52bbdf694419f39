//! A successful answer: status, headers and the typed body.

use reqwest::header::{HeaderMap, ETAG, LOCATION};
use reqwest::{StatusCode, Url};

use super::rate_limit::RateLimit;

/// A successful answer with its decoded body.
#[derive(Debug, Clone)]
pub struct Response<T> {
    /// The status the server answered (one the operation declares as success).
    pub status: StatusCode,
    /// The answer's headers; read the common ones with [`Response::etag`] and
    /// [`Response::location`], any other with [`Response::header`].
    pub headers: HeaderMap,
    /// The decoded body (`()` for an answer without one).
    pub body: T,
    /// The URL the answer came from, after any redirect the client followed, without user
    /// information, query or fragment: what a relative `Location` is resolved against.
    pub url: Url,
}

impl<T> Response<T> {
    /// The `ETag` header, to send back as `If-Match` on an update.
    pub fn etag(&self) -> Option<ETag> {
        self.header("etag").map(ETag::new)
    }

    /// The `Location` header (where a created resource lives), resolved against
    /// [`Response::url`] as HTTP prescribes, so a relative `/v1/tasks/7` comes back as an
    /// absolute URL. `None` when the header is missing or is not a URL reference.
    pub fn location(&self) -> Option<Url> {
        let text = self.headers.get(LOCATION)?.to_str().ok()?;
        self.url.join(text.trim()).ok()
    }

    /// The `X-RateLimit-*` headers, when the answer has any.
    pub fn rate_limit(&self) -> Option<RateLimit> {
        RateLimit::from_headers(&self.headers)
    }

    /// Any header as text, if present and visible ASCII.
    pub fn header(&self, name: &str) -> Option<&str> {
        let value = if name.eq_ignore_ascii_case("etag") { self.headers.get(ETAG) } else { self.headers.get(name) };
        value.and_then(|value| value.to_str().ok())
    }

    /// The decoded body alone.
    pub fn into_body(self) -> T {
        self.body
    }

    /// The same answer with its body transformed.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Response<U> {
        Response { status: self.status, headers: self.headers, body: f(self.body), url: self.url }
    }
}

/// An HTTP entity tag exactly as the server sent it (quotes and `W/` prefix included), for
/// optimistic concurrency: send it back in `If-Match`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct ETag(String);

impl ETag {
    /// An entity tag from its header text, kept as it is (`"v3"`, `W/"v3"`).
    pub fn new(value: impl Into<String>) -> Self {
        ETag(value.into())
    }

    /// The header text, quotes included.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for ETag {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(location: &str) -> Response<()> {
        let mut headers = HeaderMap::new();
        headers.insert(LOCATION, location.parse().unwrap());
        let url = Url::parse("https://api.example.test/v1/projecttask").unwrap();
        Response { status: StatusCode::CREATED, headers, body: (), url }
    }

    #[test]
    fn location_is_resolved_against_the_answer_url() {
        let cases = [
            ("https://other.example.test/x/1", "https://other.example.test/x/1"),
            ("/v1/projecttask/17", "https://api.example.test/v1/projecttask/17"),
            ("projecttask/17", "https://api.example.test/v1/projecttask/17"),
            ("17?expand=all", "https://api.example.test/v1/17?expand=all"),
            ("//cdn.example.test/a", "https://cdn.example.test/a"),
        ];
        for (header, resolved) in cases {
            assert_eq!(answer(header).location().map(String::from).as_deref(), Some(resolved), "{header}");
        }
        assert_eq!(answer("http://[::1").location(), None, "not a URL reference");
        let mut without = answer("/x");
        without.headers.clear();
        assert_eq!(without.location(), None);
    }
}
