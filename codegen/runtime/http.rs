//! Building, sending and reading one HTTP request, shared by every generated operation.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use tokio::time::Instant;

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use reqwest::header::{HeaderMap, HeaderName, HeaderValue, ACCEPT, AUTHORIZATION, CONTENT_TYPE, COOKIE, USER_AGENT};
use reqwest::{Method, StatusCode};
use serde::de::DeserializeOwned;

use super::body::{BodyData, RequestBody};
use super::config::{ApiKey, ApiKeyLocation, Auth, ClientConfig, ExtraHeader, RedirectPolicy, Secret};
use super::connections::{Connections, Settings};
use super::error::{ApiError, AuthError, DecodeError, Error, ErrorBody};
use super::hooks::{Hook, HookRequest, HookResponse, OperationInfo};
use super::options::RequestOptions;
use super::query::{push_cookie, push_deep, push_joined, push_pair, Delimiter};
use super::response::Response;
use super::retry::{Retries, RetryPolicy};
use super::telemetry::CallSpan;

/// Everything but RFC 3986 unreserved characters is escaped, so a value can never add a
/// path segment (`/`), start a query (`?`) or fragment (`#`). A value that is exactly `.` or
/// `..` cannot travel at all (see [`HttpClient::request`]).
const PATH_SEGMENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.').remove(b'~');

/// One path segment, percent-encoded.
pub fn encode_path_segment(value: &dyn fmt::Display) -> String {
    let text = value.to_string();
    // `.` and `..` alone are dot segments; escaped they stay recognisable, and
    // `HttpClient::request` refuses them (URL parsing would drop or climb them even escaped).
    match text.as_str() {
        "." => "%2E".to_owned(),
        ".." => "%2E%2E".to_owned(),
        _ => utf8_percent_encode(&text, PATH_SEGMENT).to_string(),
    }
}

/// The connection and settings one service client sends through.
#[derive(Clone)]
pub struct HttpClient {
    inner: Arc<Inner>,
}

struct Inner {
    connections: Connections,
    /// Without userinfo: that is in `basic_auth`.
    base_url: String,
    /// User name and password of [`Auth::Basic`], or else from the base URL's userinfo, sent as
    /// `Authorization: Basic` to the base URL only (never to a SOAP session's other server).
    basic_auth: Option<(Secret, Option<Secret>)>,
    /// The key of [`Auth::ApiKey`], checked and encoded once; sent to the base URL only.
    api_key: Option<KeyOnWire>,
    timeout: Option<Duration>,
    user_agent: HeaderValue,
    auth: Auth,
    max_response_bytes: usize,
    headers: Vec<(HeaderName, HeaderValue)>,
    retry: RetryPolicy,
    hooks: Vec<Arc<dyn Hook>>,
    /// `Authorization: Bearer <token>` of [`Auth::Bearer`], checked and built once: the token
    /// never changes, so no call formats it again.
    bearer: Option<HeaderValue>,
    /// The token cache of [`Auth::ClientCredentials`].
    #[cfg(feature = "oauth2-runtime")]
    tokens: Option<super::oauth2::TokenSource>,
}

impl fmt::Debug for HttpClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpClient")
            .field("base_url", &redacted_url(&self.inner.base_url))
            .field("basic_auth", &self.inner.basic_auth.as_ref().map(|_| "<redacted>"))
            .field("timeout", &self.inner.timeout)
            .field("auth", &self.inner.auth)
            .field("max_response_bytes", &self.inner.max_response_bytes)
            .field("retry", &self.inner.retry)
            .field("hooks", &self.inner.hooks.len())
            .finish_non_exhaustive()
    }
}

impl HttpClient {
    /// Checks the configuration; `default_base_url` applies when the config sets none.
    pub fn new(config: ClientConfig, default_base_url: &str) -> Result<Self, Error> {
        let base_url = config.base_url.unwrap_or_else(|| default_base_url.to_owned());
        // The messages show the URL redacted: it may carry a password or a key in the query.
        let parsed = reqwest::Url::parse(&base_url)
            .map_err(|error| Error::InvalidRequest(format!("base URL `{}`: {error}", redacted_url(&base_url))))?;
        if !matches!(parsed.scheme(), "http" | "https") || parsed.query().is_some() {
            return Err(Error::InvalidRequest(format!(
                "base URL `{}` must be http(s) without a query",
                redacted_url(&base_url)
            )));
        }
        let (base_url, mut basic_auth) = split_userinfo(base_url, parsed);
        if let Auth::Basic { user, password } = &config.auth {
            if user.expose().contains(':') {
                return Err(Error::InvalidRequest("a Basic user name cannot contain `:` (RFC 7617)".to_owned()));
            }
            basic_auth = Some((user.clone(), Some(password.clone())));
        }
        let api_key = match &config.auth {
            Auth::ApiKey(key) => Some(KeyOnWire::new(key).map_err(Error::InvalidRequest)?),
            _ => None,
        };
        let user_agent = HeaderValue::from_str(&config.user_agent)
            .map_err(|_| Error::InvalidRequest("the user agent is not a valid header value".to_owned()))?;
        let headers = extra_headers(&config.headers).map_err(Error::InvalidRequest)?;
        let bearer = match &config.auth {
            Auth::Bearer(token) => Some(bearer_value(token).map_err(Error::InvalidRequest)?),
            _ => None,
        };
        #[cfg(feature = "oauth2-runtime")]
        let tokens = match &config.auth {
            Auth::ClientCredentials(credentials) => Some(
                super::oauth2::TokenSource::new(
                    credentials.clone(),
                    config.timeout,
                    user_agent.clone(),
                    &config.root_certificates,
                )
                .map_err(Error::InvalidRequest)?,
            ),
            _ => None,
        };
        if config.http_client.is_some() && !config.root_certificates.is_empty() {
            return Err(Error::InvalidRequest(
                "`add_root_certificate` is for the client this crate builds: add the certificate to the `reqwest::Client` given to `http_client`".to_owned(),
            ));
        }
        let settings = Settings { redirects: config.redirects, roots: config.root_certificates };
        let connections = Connections::new(config.http_client, settings).map_err(Error::InvalidRequest)?;
        Ok(HttpClient {
            inner: Arc::new(Inner {
                connections,
                base_url: base_url.trim_end_matches('/').to_owned(),
                basic_auth,
                api_key,
                timeout: config.timeout,
                user_agent,
                auth: config.auth,
                max_response_bytes: config.max_response_bytes,
                headers,
                retry: config.retry,
                hooks: config.hooks,
                bearer,
                #[cfg(feature = "oauth2-runtime")]
                tokens,
            }),
        })
    }

    /// The base URL, without the userinfo it may have been configured with.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// Starts a request; `path` is already encoded (see [`encode_path_segment`]).
    ///
    /// A path with a `.` or `..` segment (a path parameter that is exactly `.` or `..`) is
    /// refused: URL parsing treats such a segment as a dot segment even when escaped (`%2E%2E`)
    /// and would send the request to another resource (`/v1/kitassembly/../R1` is `/v1/R1`).
    pub fn request(&self, method: Method, path: String) -> RequestBuilder {
        let problem = path
            .split('/')
            .any(is_dot_segment)
            .then(|| format!("a path parameter is `.` or `..` in `{path}`: URL normalisation would remove it"));
        RequestBuilder {
            method,
            base_url: None,
            path,
            query: String::new(),
            headers: Vec::new(),
            accept: "application/json",
            body: None,
            operation: None,
            options: RequestOptions::default(),
            problem,
            upgrade: false,
            answer_redirects: false,
        }
    }

    /// Sends the request, retrying as the retry policy says, and reads the whole body of the
    /// last answer (up to the configured limit).
    pub async fn execute<E>(&self, request: RequestBuilder) -> Result<RawResponse, Error<E>> {
        let span = CallSpan::new(request.operation, &request.method);
        span.run(self.execute_in(request, &span)).await
    }

    async fn execute_in<E>(&self, request: RequestBuilder, span: &CallSpan) -> Result<RawResponse, Error<E>> {
        let upgrade = request.upgrade;
        let response = self.send_in(request, span).await?;
        self.read(response, upgrade).await
    }

    /// Sends the request, retrying as the retry policy says, and returns the last answer with
    /// its body unread.
    pub(super) async fn send_in<E>(
        &self,
        request: RequestBuilder,
        span: &CallSpan,
    ) -> Result<reqwest::Response, Error<E>> {
        if let Some(problem) = request.problem {
            return Err(Error::InvalidRequest(problem));
        }
        let inner = &self.inner;
        let base_url = request.base_url.as_deref().unwrap_or(&inner.base_url);
        let mut url = reqwest::Url::parse(&format!("{base_url}{}", request.path))
            .map_err(|error| Error::InvalidRequest(format!("URL for `{}`: {error}", request.path)))?;
        if !request.query.is_empty() {
            url.set_query(Some(&request.query));
        }
        let options = request.options;
        let upgrade = request.upgrade;
        let client = inner.connections.for_request(upgrade, request.answer_redirects).map_err(Error::InvalidRequest)?;
        let mut builder = inner
            .connections
            .main()
            .request(request.method.clone(), url)
            .header(USER_AGENT, inner.user_agent.clone())
            .header(ACCEPT, request.accept);
        for (name, value) in &inner.headers {
            builder = builder.header(name.clone(), value.clone());
        }
        for (name, value) in request.headers {
            builder = builder.header(name, value);
        }
        // Basic credentials and an API key go to the base URL only; the base URL's userinfo
        // yields to any other auth.
        let to_base_url = request.base_url.as_deref().is_none_or(|url| url == inner.base_url);
        if let (true, Some((user, password)), Auth::None | Auth::Basic { .. }) =
            (to_base_url, &inner.basic_auth, &inner.auth)
        {
            builder = builder.basic_auth(user.expose(), password.as_ref().map(Secret::expose));
        }
        let api_key = inner.api_key.as_ref().filter(|_| to_base_url);
        // A streamed body is kept out of the template (it cannot be copied) and given to the
        // first attempt alone.
        let mut stream = None;
        if let Some(RequestBody { content_type, data }) = request.body {
            builder = builder.header(CONTENT_TYPE, content_type);
            match data {
                BodyData::Bytes(bytes) => builder = builder.body(bytes),
                BodyData::Stream(once) => stream = Some(once),
            }
        }
        if let Some(timeout) = options.timeout.unwrap_or(inner.timeout) {
            builder = builder.timeout(timeout);
        }
        if upgrade {
            builder = builder.version(reqwest::Version::HTTP_11);
        }
        let mut template = builder.build().map_err(transport_error)?;
        for (name, value) in extra_headers(&options.headers).map_err(Error::InvalidRequest)? {
            template.headers_mut().insert(name, value);
        }
        // Hooks never see a credential: the sensitive headers (Basic credentials, secret
        // headers) are set aside and added to each attempt after the hooks ran.
        let mut secret = HeaderMap::new();
        for (name, value) in template.headers() {
            if value.is_sensitive() {
                secret.append(name.clone(), value.clone());
            }
        }
        for name in secret.keys() {
            template.headers_mut().remove(name);
        }
        if let Some(KeyOnWire::Header(name, value)) = api_key {
            secret.append(name.clone(), value.clone());
        }
        let idempotent = options.idempotent || request.operation.is_some_and(|info| info.idempotent);
        let policy = options.retry.as_ref().unwrap_or(&inner.retry);
        let mut retries = Retries::new(policy, &request.method, idempotent);
        let response = loop {
            let attempt = retries.next_attempt();
            // The body is bytes (or none, when streamed), so a copy of the request is cheap and
            // always possible.
            let mut sent = template
                .try_clone()
                .ok_or_else(|| Error::InvalidRequest("the request body cannot be sent twice".to_owned()))?;
            let streamed = match stream.take() {
                Some(once) => {
                    *sent.body_mut() = Some(once.take()?);
                    true
                }
                None => false,
            };
            let token = self.access_token().await?;
            let (method, url) = (template.method(), template.url());
            let body = template.body().and_then(reqwest::Body::as_bytes);
            for hook in &inner.hooks {
                let headers = sent.headers_mut();
                hook.before_send(&mut HookRequest {
                    operation: request.operation,
                    attempt,
                    method,
                    url,
                    headers,
                    body,
                });
            }
            for (name, value) in &secret {
                sent.headers_mut().append(name.clone(), value.clone());
            }
            if let Some(key) = api_key {
                key.add_to(&mut sent);
            }
            let started = Instant::now();
            let outcome = self.send_authorized::<E>(client, sent, token).await;
            let latency = started.elapsed();
            let seen = |outcome| HookResponse { operation: request.operation, attempt, method, url, latency, outcome };
            let (wait, status) = match &outcome {
                Ok(response) => {
                    let (status, headers) = (response.status(), response.headers());
                    inner.hooks.iter().for_each(|hook| hook.after_receive(&seen(Ok((status, headers)))));
                    (retries.after_status(status, headers), Some(status.as_u16()))
                }
                Err(Error::Transport(error)) => {
                    inner.hooks.iter().for_each(|hook| hook.after_receive(&seen(Err(error))));
                    (retries.after_error(error), None)
                }
                // No token could be had or set (for the first send or after a 401): not retried.
                Err(_) => (None, None),
            };
            span.attempt(attempt, status, latency);
            // A streamed body was read while it was sent, so there is nothing to send again: the
            // answer (or the transport error) stands.
            let wait = wait.filter(|_| !streamed);
            match wait {
                Some(wait) => {
                    span.retrying(attempt, status, wait);
                    drop(outcome);
                    tokio::time::sleep(wait).await;
                }
                None => break outcome?,
            }
        };
        Ok(response)
    }

    /// Reads the whole body of an answer, up to the configured limit; a `101` to an upgrade
    /// request (`upgrade`) keeps its connection instead.
    pub(super) async fn read<E>(
        &self,
        mut response: reqwest::Response,
        upgrade: bool,
    ) -> Result<RawResponse, Error<E>> {
        let inner = &self.inner;
        let status = response.status();
        let mut url = response.url().clone();
        strip_url_secrets(&mut url);
        if upgrade && status == StatusCode::SWITCHING_PROTOCOLS {
            let headers = std::mem::take(response.headers_mut());
            return Ok(RawResponse { status, headers, body: Vec::new(), url, connection: Some(response) });
        }
        let limit = inner.max_response_bytes;
        if response.content_length().is_some_and(|length| length > limit as u64) {
            return Err(Error::BodyTooLarge { status, limit });
        }
        // The headers are taken, not cloned: reading the body does not need them. (The
        // credential-carrying ones are marked sensitive already, in `send_authorized`.)
        let headers = std::mem::take(response.headers_mut());
        // Sized once when the length is announced (it is within the limit, checked above).
        let mut body = Vec::with_capacity(response.content_length().map_or(0, |length| length as usize));
        while let Some(chunk) = response.chunk().await.map_err(transport_error)? {
            if body.len() + chunk.len() > limit {
                return Err(Error::BodyTooLarge { status, limit });
            }
            body.extend_from_slice(&chunk);
        }
        Ok(RawResponse { status, headers, body, url, connection: None })
    }
}

impl HttpClient {
    /// The access token to send, if any (a token provider's, or the client's own cached one).
    async fn access_token<E>(&self) -> Result<Option<Secret>, Error<E>> {
        match &self.inner.auth {
            // A bearer header is built once (`Inner::bearer`) and added by `send_authorized`; Basic
            // credentials and an API key are added by `send_in`.
            Auth::None | Auth::Bearer(_) | Auth::ApiKey(_) | Auth::Basic { .. } => Ok(None),
            Auth::Provider(provider) => {
                Ok(Some(provider.token().await.map_err(|e| Error::Auth(AuthError::Provider(e)))?))
            }
            #[cfg(feature = "oauth2-runtime")]
            Auth::ClientCredentials(_) => match &self.inner.tokens {
                Some(tokens) => Ok(Some(tokens.token().await.map_err(Error::Auth)?)),
                None => Ok(None),
            },
        }
    }

    /// Sends the request with the access token, if any. A 401 to a token of the client's own
    /// (client credentials) drops that token and sends the request once more with a new one.
    /// The answer's credential headers are marked sensitive. `client` is the one
    /// [`Connections::for_request`] chose.
    async fn send_authorized<E>(
        &self,
        client: &reqwest::Client,
        mut request: reqwest::Request,
        token: Option<Secret>,
    ) -> Result<reqwest::Response, Error<E>> {
        let inner = &self.inner;
        // Only a token of the client's own is refreshed on a 401, so only then is a copy kept.
        #[cfg(feature = "oauth2-runtime")]
        let again = inner.tokens.as_ref().and_then(|_| request.try_clone());
        if let Some(value) = &inner.bearer {
            request.headers_mut().append(AUTHORIZATION, value.clone());
        }
        if let Some(token) = &token {
            set_bearer(request.headers_mut(), token)?;
        }
        let mut response = client.execute(request).await.map_err(transport_error)?;
        #[cfg(feature = "oauth2-runtime")]
        if let (Some(tokens), Some(token), Some(mut again)) = (&inner.tokens, &token, again) {
            if response.status() == StatusCode::UNAUTHORIZED {
                tokens.reject(token).await;
                let token = tokens.token().await.map_err(Error::Auth)?;
                set_bearer(again.headers_mut(), &token)?;
                response = client.execute(again).await.map_err(transport_error)?;
            }
        }
        for (name, value) in response.headers_mut().iter_mut() {
            if SENSITIVE_RESPONSE_HEADERS.contains(&name.as_str()) {
                value.set_sensitive(true);
            }
        }
        Ok(response)
    }
}

/// An API key ready to add to each attempt, after the hooks ran (so none sees it).
enum KeyOnWire {
    /// A sensitive header.
    Header(HeaderName, HeaderValue),
    /// A query parameter: `name` and the key.
    Query(&'static str, Secret),
    /// The `name=key` pair, encoded as the cookie parameters are.
    Cookie(Secret),
}

impl KeyOnWire {
    /// Checks the name and the key once, when the client is built.
    fn new(key: &ApiKey) -> Result<Self, String> {
        let (scheme, secret) = (key.scheme, &key.key);
        let name = scheme.name();
        let token =
            !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b));
        match scheme.location() {
            ApiKeyLocation::Header => {
                let (name, mut value) = header_pair(name, secret.expose())
                    .map_err(|_| format!("the API key or its header name `{name}` is not valid in a header"))?;
                value.set_sensitive(true);
                Ok(KeyOnWire::Header(name, value))
            }
            ApiKeyLocation::Query if name.is_empty() => Err("the API key's query parameter has no name".to_owned()),
            ApiKeyLocation::Query => Ok(KeyOnWire::Query(name, secret.clone())),
            ApiKeyLocation::Cookie if !token => Err(format!("`{name}` is not a valid cookie name for the API key")),
            ApiKeyLocation::Cookie => {
                let mut pair = String::new();
                push_cookie(&mut pair, name, &secret.expose());
                Ok(KeyOnWire::Cookie(Secret::new(pair)))
            }
        }
    }

    /// Adds a query or cookie key to one attempt (a header key travels with the other secret
    /// headers). The cookie joins the operation's cookie parameters in one `Cookie` header.
    fn add_to(&self, request: &mut reqwest::Request) {
        match self {
            KeyOnWire::Header(..) => {}
            KeyOnWire::Query(name, key) => {
                request.url_mut().query_pairs_mut().append_pair(name, key.expose());
            }
            KeyOnWire::Cookie(pair) => {
                let headers = request.headers_mut();
                let joined = match headers.get(COOKIE).and_then(|value| value.to_str().ok()) {
                    Some(cookies) if !cookies.is_empty() => format!("{cookies}; {}", pair.expose()),
                    _ => pair.expose().to_owned(),
                };
                // Both parts are visible ASCII (`push_cookie` escapes the rest), so this cannot fail.
                if let Ok(mut value) = HeaderValue::from_str(&joined) {
                    value.set_sensitive(true);
                    headers.insert(COOKIE, value);
                }
            }
        }
    }
}

/// Checked header pairs of configured headers, the secret ones marked sensitive.
fn extra_headers(headers: &[ExtraHeader]) -> Result<Vec<(HeaderName, HeaderValue)>, String> {
    let mut pairs = Vec::with_capacity(headers.len());
    for header in headers {
        let (name, mut value) = header_pair(&header.name, header.value.expose())?;
        value.set_sensitive(header.secret);
        pairs.push((name, value));
    }
    Ok(pairs)
}

/// Sets `Authorization: Bearer <token>`, marked sensitive; a token with a line break is refused.
fn set_bearer<E>(headers: &mut HeaderMap, token: &Secret) -> Result<(), Error<E>> {
    headers.append(AUTHORIZATION, bearer_value(token).map_err(Error::InvalidRequest)?);
    Ok(())
}

/// `Bearer <token>`, marked sensitive; a token with a line break is refused.
fn bearer_value(token: &Secret) -> Result<HeaderValue, String> {
    let mut value = HeaderValue::from_str(&format!("Bearer {}", token.expose()))
        .map_err(|_| "the access token is not a valid header value".to_owned())?;
    value.set_sensitive(true);
    Ok(value)
}

/// The base URL without its userinfo, and the userinfo (percent-decoded) as Basic credentials.
fn split_userinfo(base_url: String, mut parsed: reqwest::Url) -> (String, Option<(Secret, Option<Secret>)>) {
    if parsed.username().is_empty() && parsed.password().is_none() {
        return (base_url, None);
    }
    let decode = |text: &str| percent_encoding::percent_decode_str(text).decode_utf8_lossy().into_owned();
    let user = Secret::new(decode(parsed.username()));
    let password = parsed.password().map(|password| Secret::new(decode(password)));
    strip_url_secrets(&mut parsed);
    (parsed.to_string(), Some((user, password)))
}

/// Response headers that carry credentials; marked sensitive so `Debug` of a response or an
/// error shows `Sensitive` instead of their values.
const SENSITIVE_RESPONSE_HEADERS: &[&str] = &["set-cookie", "authorization", "proxy-authorization"];

/// reqwest's policy for a [`RedirectPolicy`]: never to another origin, at most `max` hops.
pub(super) fn redirect_policy(policy: RedirectPolicy) -> reqwest::redirect::Policy {
    match policy {
        RedirectPolicy::None => reqwest::redirect::Policy::none(),
        RedirectPolicy::SameOrigin { max } => reqwest::redirect::Policy::custom(move |attempt| {
            // `previous` starts with the URL the request was sent to.
            let same_origin = attempt.previous().first().is_some_and(|first| same_origin(first, attempt.url()));
            if !same_origin {
                attempt.stop()
            } else if attempt.previous().len() > max {
                attempt.error(format!("too many redirects (more than {max})"))
            } else {
                attempt.follow()
            }
        }),
    }
}

/// Scheme, host and port (the default one when none is written) are all equal.
fn same_origin(first: &reqwest::Url, next: &reqwest::Url) -> bool {
    first.origin() == next.origin()
}

/// A transport error whose URL, shown by its `Display` and `Debug`, keeps no userinfo or
/// query (either may carry a credential).
pub(super) fn transport_error<E>(mut error: reqwest::Error) -> Error<E> {
    if let Some(url) = error.url_mut() {
        strip_url_secrets(url);
    }
    Error::Transport(error)
}

pub(super) fn strip_url_secrets(url: &mut reqwest::Url) {
    // Both fail only for URLs that cannot have userinfo, which then have none.
    let _ = url.set_username("");
    let _ = url.set_password(None);
    url.set_query(None);
    url.set_fragment(None);
}

/// A URL for messages and `Debug`: userinfo replaced by `<redacted>`, query and fragment
/// dropped. Text that does not parse as a URL is cut the same way by hand.
pub(crate) fn redacted_url(text: &str) -> String {
    // Only http(s) URLs certainly have an authority; `user:pw@/x` parses with `user` as scheme.
    if let Some(mut url) = reqwest::Url::parse(text).ok().filter(|url| matches!(url.scheme(), "http" | "https")) {
        let had_userinfo = !url.username().is_empty() || url.password().is_some();
        let had_query = url.query().is_some() || url.fragment().is_some();
        if !had_userinfo && !had_query {
            return text.to_owned();
        }
        strip_url_secrets(&mut url);
        let mut shown = url.to_string();
        if had_userinfo {
            if let Some(start) = shown.find("://").map(|i| i + 3) {
                shown.insert_str(start, "<redacted>@");
            }
        }
        if had_query {
            shown.push_str("?<redacted>");
        }
        return shown;
    }
    let (mut shown, rest) = match text.find(['?', '#']) {
        Some(cut) => (text[..cut].to_owned(), "?<redacted>"),
        None => (text.to_owned(), ""),
    };
    // Userinfo ends at the last `@` of the authority (before the first `/` after `://`).
    let start = shown.find("://").map_or(0, |i| i + 3);
    let end = shown[start..].find('/').map_or(shown.len(), |i| start + i);
    if let Some(at) = shown[start..end].rfind('@') {
        shown.replace_range(start..start + at, "<redacted>");
    }
    shown.push_str(rest);
    shown
}

/// Whether URL parsing reads this path segment as `.` or `..` (`%2E` counts as a dot). Checked
/// on every request, so it allocates nothing.
fn is_dot_segment(segment: &str) -> bool {
    let dot = |rest: &str| -> Option<usize> {
        if rest.starts_with('.') {
            Some(1)
        } else if rest.get(..3).is_some_and(|escaped| escaped.eq_ignore_ascii_case("%2e")) {
            Some(3)
        } else {
            None
        }
    };
    let Some(first) = dot(segment) else { return false };
    let rest = &segment[first..];
    rest.is_empty() || dot(rest).is_some_and(|second| rest.len() == second)
}

fn header_pair(name: &str, value: &str) -> Result<(HeaderName, HeaderValue), String> {
    let name = HeaderName::from_bytes(name.as_bytes()).map_err(|_| format!("`{name}` is not a valid header name"))?;
    let value = HeaderValue::from_str(value)
        .map_err(|_| format!("the value of header `{name}` contains a line break or control character"))?;
    Ok((name, value))
}

/// A request being assembled by a generated operation.
#[derive(Debug)]
pub struct RequestBuilder {
    method: Method,
    /// Overrides the client's base URL (a SOAP session on another server).
    base_url: Option<String>,
    path: String,
    /// Encoded already (`query.rs`), so each style writes its delimiters as it means them.
    query: String,
    headers: Vec<(HeaderName, HeaderValue)>,
    accept: &'static str,
    body: Option<RequestBody>,
    /// The operation the request is for (none for the runtime's own requests).
    operation: Option<&'static OperationInfo>,
    options: RequestOptions,
    /// The first problem found; reported by `execute` before anything is sent.
    problem: Option<String>,
    /// Asks for `101 Switching Protocols` (see [`RequestBuilder::upgrade`]).
    upgrade: bool,
    /// A 3xx is the answer, not followed (see [`RequestBuilder::answer_redirects`]).
    answer_redirects: bool,
}

impl RequestBuilder {
    /// The call's span, for the streaming send (`body.rs`).
    #[cfg(feature = "streaming-runtime")]
    pub(super) fn span(&self) -> CallSpan {
        CallSpan::new(self.operation, &self.method)
    }

    /// Adds `name=value` to the query (form-encoded).
    pub fn query(mut self, name: &'static str, value: &dyn fmt::Display) -> Self {
        push_pair(&mut self.query, name, &value.to_string());
        self
    }

    /// Adds `name=value` once per element, the way ASP.NET-style APIs read lists.
    pub fn query_each<T: fmt::Display>(mut self, name: &'static str, values: &[T]) -> Self {
        for value in values {
            push_pair(&mut self.query, name, &value.to_string());
        }
        self
    }

    /// Adds a list as one `name=a<delimiter>b` pair (see [`Delimiter`]).
    pub fn query_joined<T: fmt::Display>(mut self, name: &'static str, values: &[T], delimiter: Delimiter) -> Self {
        push_joined(&mut self.query, name, values, delimiter);
        self
    }

    /// Adds a map or an object of scalars as `name[key]=value` pairs.
    pub fn query_deep<T: serde::Serialize>(mut self, name: &'static str, value: &T) -> Self {
        if let Err(problem) = push_deep(&mut self.query, name, value) {
            self.problem.get_or_insert(problem);
        }
        self
    }

    /// Adds a header; a value with a line break is refused rather than split into two headers.
    pub fn header(mut self, name: &'static str, value: &dyn fmt::Display) -> Self {
        match header_pair(name, &value.to_string()) {
            Ok(pair) => self.headers.push(pair),
            Err(problem) => {
                self.problem.get_or_insert(problem);
            }
        }
        self
    }

    /// Returns a redirect as the answer instead of following it: the operation declares a
    /// `302`/`303` as a success, so its status and `Location` are what the caller asked for.
    /// Sent through a twin of the client that follows none (see `connections.rs`).
    pub fn answer_redirects(mut self) -> Self {
        self.answer_redirects = true;
        self
    }

    /// Asks to switch the connection to `protocol`; a `101` answer then keeps the connection
    /// for [`RawResponse::upgraded`]. Sent over HTTP/1.1, the version that has upgrades.
    pub fn upgrade(mut self, protocol: &'static str) -> Self {
        for (name, value) in super::upgrade::headers(protocol) {
            self = self.header(name, &value);
        }
        self.upgrade = true;
        self
    }

    /// Names the operation the request is for (for hooks, tracing and its idempotency).
    pub fn operation(mut self, operation: &'static OperationInfo) -> Self {
        self.operation = Some(operation);
        self
    }

    /// The caller's settings for this call.
    pub fn options(mut self, options: RequestOptions) -> Self {
        self.options = options;
        self
    }

    /// Sends the request to another base URL than the client's.
    pub fn base_url(mut self, base_url: &str) -> Self {
        self.base_url = Some(base_url.trim_end_matches('/').to_owned());
        self
    }

    /// Sets a SOAP 1.1 envelope body and its `SOAPAction` (sent quoted, as SOAP 1.1 asks).
    pub fn soap(mut self, action: &str, envelope: String) -> Self {
        self = self.header("SOAPAction", &format!("\"{action}\""));
        self.accept = "text/xml";
        self.body = Some(RequestBody::bytes("text/xml; charset=utf-8", envelope.into_bytes()));
        self
    }

    /// Sets the `Accept` header (`application/json` unless set).
    pub fn accept(mut self, accept: &'static str) -> Self {
        self.accept = accept;
        self
    }

    /// Sets the body, or records why it cannot be built (see `body.rs` for the encodings).
    pub(super) fn set_body(mut self, body: Result<RequestBody, String>) -> Self {
        match body {
            Ok(body) => self.body = Some(body),
            Err(problem) => {
                self.problem.get_or_insert(problem);
            }
        }
        self
    }

    /// Sets a JSON body.
    pub fn json<T: serde::Serialize>(mut self, body: &T) -> Self {
        match serde_json::to_vec(body) {
            Ok(bytes) => self.body = Some(RequestBody::bytes("application/json", bytes)),
            Err(error) => {
                self.problem.get_or_insert(format!("the request body does not serialize: {error}"));
            }
        }
        self
    }
}

impl HttpClient {
    /// Sends `request` (as [`HttpClient::execute`] does) and decodes the answer with `decode`.
    /// Every generated `send` builds its request at once and hands it here, so the crate has
    /// one `async` body to type-check and borrow-check, not one state machine per operation.
    ///
    /// Not an `async fn`: the `Send` this signature promises is proven once, here, where an
    /// `async fn`'s would be proven again for each operation's `T` and `E` (slower to check).
    #[allow(clippy::manual_async_fn)]
    pub fn call<'c, T: Send + 'c, E: Send + 'c>(
        &'c self,
        request: RequestBuilder,
        decode: fn(RawResponse) -> Result<Response<T>, Error<E>>,
    ) -> impl std::future::Future<Output = Result<Response<T>, Error<E>>> + Send + 'c {
        async move { decode(self.execute(request).await?) }
    }
}

/// A response read in full, before the operation decides what its status means.
#[derive(Debug)]
pub struct RawResponse {
    pub(super) status: StatusCode,
    pub(super) headers: HeaderMap,
    pub(super) body: Vec<u8>,
    /// Where the answer came from, without user information, query or fragment.
    pub(super) url: reqwest::Url,
    /// A `101` to an upgrade request, whose connection is not read here.
    connection: Option<reqwest::Response>,
}

impl RawResponse {
    /// The status code, for the operation's `match`.
    pub fn status(&self) -> u16 {
        self.status.as_u16()
    }

    /// Decodes a JSON body; on failure the error names the JSON path and keeps the body.
    pub fn json<T: DeserializeOwned, E>(self) -> Result<Response<T>, Error<E>> {
        match decode_json::<T>(&self.body) {
            Ok(body) => Ok(Response { status: self.status, headers: self.headers, body, url: self.url }),
            Err((path, message)) => Err(Error::Decode(DecodeError {
                status: self.status,
                path,
                message,
                body: String::from_utf8_lossy(&self.body).into_owned(),
            })),
        }
    }

    /// The URL the answer came from, without user information, query or fragment.
    pub fn url(&self) -> &reqwest::Url {
        &self.url
    }

    /// Status, headers and body, for protocols that read the body themselves (SOAP).
    pub fn into_parts(self) -> (StatusCode, HeaderMap, Vec<u8>) {
        (self.status, self.headers, self.body)
    }

    /// The upgraded connection of a `101` answer, to read and write in the new protocol.
    pub async fn upgraded<E>(self) -> Result<Response<reqwest::Upgraded>, Error<E>> {
        let connection = self
            .connection
            .ok_or_else(|| Error::InvalidRequest("a 101 answer to a request that asked for no upgrade".to_owned()))?;
        let body = connection.upgrade().await.map_err(transport_error)?;
        Ok(Response { status: self.status, headers: self.headers, body, url: self.url })
    }

    /// A success without a body (any body sent anyway is ignored).
    pub fn empty<E>(self) -> Result<Response<()>, Error<E>> {
        Ok(Response { status: self.status, headers: self.headers, body: (), url: self.url })
    }

    /// The error for a status the operation does not declare as success.
    ///
    /// The body counts as the declared type only if it carries some of its fields: every field
    /// of an error envelope is often optional, so any JSON object (ASP.NET's `{"Message": …}`,
    /// say) would otherwise "decode" into an empty value and the server's text would be lost.
    pub fn into_error<E: DeserializeOwned + serde::Serialize>(self) -> Error<E> {
        // The path of a failure is not shown here, so no second pass for it.
        let body = match serde_json::from_slice::<E>(&self.body) {
            Ok(typed) if !self.body.is_empty() && carries_fields(&typed) => ErrorBody::Typed(typed),
            _ => ErrorBody::Raw(String::from_utf8_lossy(&self.body).into_owned()),
        };
        Error::Api(Box::new(ApiError { status: self.status, headers: self.headers, body }))
    }
}

/// Whether a decoded value holds anything: it does not serialize to an empty object.
fn carries_fields<T: serde::Serialize>(value: &T) -> bool {
    !matches!(serde_json::to_value(value), Ok(serde_json::Value::Object(map)) if map.is_empty())
}

/// Decodes `body` as `T`; on failure the JSON path and serde's message.
fn decode_json<T: DeserializeOwned>(body: &[u8]) -> Result<T, (String, String)> {
    // Tracking the path costs more than decoding (serde_path_to_error keeps every key it
    // passes, a `String` each), so only a body that fails is decoded again with it. Decoding
    // is deterministic: the second pass fails at the same place with the same error.
    match serde_json::from_slice(body) {
        Ok(value) => Ok(value),
        Err(_) => decode_json_with_path(body),
    }
}

/// [`decode_json`] with the path of the value that failed (`tasks[0].status`).
fn decode_json_with_path<T: DeserializeOwned>(body: &[u8]) -> Result<T, (String, String)> {
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    let value = serde_path_to_error::deserialize(&mut deserializer)
        .map_err(|error| (error.path().to_string(), error.inner().to_string()))?;
    deserializer.end().map_err(|error| (".".to_owned(), error.to_string()))?;
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_origin_needs_the_same_scheme_host_and_port() {
        let url = |text: &str| reqwest::Url::parse(text).unwrap();
        assert!(same_origin(&url("https://api.example.test/a?x"), &url("https://api.example.test:443/b")));
        assert!(!same_origin(&url("https://api.example.test/a"), &url("http://api.example.test/a")), "downgrade");
        assert!(!same_origin(&url("http://127.0.0.1:80/"), &url("https://127.0.0.1:80/")));
        assert!(!same_origin(&url("https://api.example.test/"), &url("https://api.example.test:8443/")));
        assert!(!same_origin(&url("https://api.example.test/"), &url("https://evil.example.test/")));
        assert!(!same_origin(&url("https://api.example.test/"), &url("https://api.example.test.evil.test/")));
    }

    #[test]
    fn dot_segments_are_found_in_every_spelling_and_nothing_else_is() {
        for dot in [".", "..", "%2E", "%2e", "%2E%2E", "%2e.", ".%2E", "%2E%2e"] {
            assert!(is_dot_segment(dot), "{dot}");
        }
        for other in ["", "a", "...", ".a", "a.", "%2E%2E%2E", "%2", "%2F", ".%2", "%2E.x", "é", "%2E%"] {
            assert!(!is_dot_segment(other), "{other}");
        }
    }

    #[test]
    fn redacted_urls_keep_no_userinfo_or_query() {
        let cases = [
            ("https://api.example.test/v1", "https://api.example.test/v1"),
            ("https://u:pw@api.example.test/v1?key=k#f", "https://<redacted>@api.example.test/v1?<redacted>"),
            ("http://u@127.0.0.1:9", "http://<redacted>@127.0.0.1:9/"),
            ("ftp://u:pw@host/x?key=k", "ftp://<redacted>@host/x?<redacted>"),
            ("http://u:pw@bad host/?key=k", "http://<redacted>@bad host/?<redacted>"),
            ("u:pw@/x?key=k", "<redacted>@/x?<redacted>"),
            ("not a url", "not a url"),
        ];
        for (text, shown) in cases {
            assert_eq!(redacted_url(text), shown, "{text}");
        }
    }
}
