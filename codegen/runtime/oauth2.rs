//! OAuth2 client credentials (RFC 6749 §4.4): one token request, a cached token, refresh before expiry.
//!
//! The grant is a single `application/x-www-form-urlencoded` POST, so it is written here rather
//! than taken from the `oauth2` crate: that crate's reqwest support is tied to one reqwest
//! version (0.12) while this crate follows reqwest's releases, and its generic client hides
//! the rules this module must keep in view. The client secret goes only to the token URL, over
//! a connection that follows no redirect; the access token goes only to the API (see
//! `HttpClient`); both are redacted in every `Debug` and message. The only dependency it adds
//! is tokio's `sync` and `time` (already built by reqwest), for the single-flight lock and a
//! clock that tests can pause.

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use reqwest::header::{HeaderValue, ACCEPT, CONTENT_TYPE, USER_AGENT};
use reqwest::StatusCode;
use tokio::sync::Mutex;
use tokio::time::Instant;

use super::config::Secret;
use super::error::{AuthError, OAuthError, OAuthErrorCode};
use super::http::redacted_url;

/// A token is refreshed this long before the `expires_in` the token endpoint gave (or halfway
/// through a shorter lifetime), so that a request never leaves with a token about to expire.
const EXPIRY_MARGIN: Duration = Duration::from_secs(30);

/// A token endpoint's answer is a few hundred bytes; a larger one is refused unread.
const MAX_TOKEN_RESPONSE_BYTES: usize = 64 * 1024;

/// Form fields the grant itself sets; a token parameter may not take their names.
const RESERVED_PARAMS: &[&str] = &["grant_type", "scope", "client_id", "client_secret"];

/// `application/x-www-form-urlencoded` as RFC 6749 Appendix B asks, for the body and for the
/// Basic credentials: everything but `A-Z a-z 0-9 - . _ ~` is percent-encoded (`%20` for a
/// space, which form decoders read like `+`).
const FORM_VALUE: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// How the client authenticates to the token endpoint (RFC 6749 §2.3.1).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ClientAuth {
    /// `Authorization: Basic` with the form-encoded client id and secret (every server must
    /// accept it).
    #[default]
    Basic,
    /// `client_id` and `client_secret` in the form body.
    Body,
}

/// The credentials and settings of an OAuth2 client-credentials grant.
///
/// `Debug` shows the token URL, the client id, the scopes and the extra parameters, never the
/// secret. A generated service with a client-credentials scheme wraps this in its own
/// `ClientCredentials` with the documented token URL, scopes and parameters.
#[derive(Clone)]
pub struct ClientCredentials {
    token_url: String,
    client_id: String,
    client_secret: Secret,
    scopes: Vec<String>,
    params: Vec<(String, String)>,
    client_auth: ClientAuth,
}

impl fmt::Debug for ClientCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientCredentials")
            .field("token_url", &redacted_url(&self.token_url))
            .field("client_id", &self.client_id)
            .field("client_secret", &self.client_secret)
            .field("scopes", &self.scopes)
            .field("params", &self.params)
            .field("client_auth", &self.client_auth)
            .finish()
    }
}

impl ClientCredentials {
    /// Credentials for the token endpoint at `token_url`, sent with HTTP Basic and no scope.
    pub fn new(token_url: impl Into<String>, client_id: impl Into<String>, client_secret: impl Into<Secret>) -> Self {
        ClientCredentials {
            token_url: token_url.into(),
            client_id: client_id.into(),
            client_secret: client_secret.into(),
            scopes: Vec::new(),
            params: Vec::new(),
            client_auth: ClientAuth::Basic,
        }
    }

    /// Another token endpoint: an `https` URL, or `http` to a loopback host (for tests).
    pub fn token_url(mut self, token_url: impl Into<String>) -> Self {
        self.token_url = token_url.into();
        self
    }

    /// The scopes to ask for (sent space-separated in `scope`), replacing those set before.
    pub fn scopes<I, S>(mut self, scopes: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.scopes = scopes.into_iter().map(Into::into).collect();
        self
    }

    /// An extra form field of the token request (e.g. Visma Connect's `tenant_id`); a second
    /// value for the same name replaces the first.
    pub fn param(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        let (name, value) = (name.into(), value.into());
        match self.params.iter_mut().find(|(existing, _)| *existing == name) {
            Some(entry) => entry.1 = value,
            None => self.params.push((name, value)),
        }
        self
    }

    /// How the client id and secret are sent (default [`ClientAuth::Basic`]).
    pub fn client_auth(mut self, client_auth: ClientAuth) -> Self {
        self.client_auth = client_auth;
        self
    }
}

/// A token and when to fetch the next one (`None`: when the API answers 401).
struct CachedToken {
    token: Secret,
    refresh_at: Option<Instant>,
}

/// Fetches access tokens for one client and shares them between its requests.
///
/// The cache sits behind an async lock that is held while a token is fetched, so requests that
/// find no fresh token wait for the one request under way instead of sending their own
/// (single flight). Should that request fail, the calls that were waiting for it get its error
/// too, so a token endpoint that is down or slow is asked once per wave of calls, not once per
/// call (each waiting a whole timeout in turn); the next call after them tries again.
pub(crate) struct TokenSource {
    http: reqwest::Client,
    url: reqwest::Url,
    /// The form body; it holds the client secret with [`ClientAuth::Body`].
    form: Secret,
    /// The form-encoded client id and secret with [`ClientAuth::Basic`].
    basic: Option<(String, Secret)>,
    /// The raw secret, removed from any text the token endpoint sends back.
    secret: Secret,
    timeout: Option<Duration>,
    user_agent: HeaderValue,
    cache: Mutex<Cache>,
    /// Token requests finished so far; a waiting call compares it with a failure's number.
    fetches: AtomicU64,
}

#[derive(Default)]
struct Cache {
    token: Option<CachedToken>,
    /// The error of the last token request and its number in `fetches`, while it is the last.
    failure: Option<(u64, AuthError)>,
}

impl fmt::Debug for TokenSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenSource").field("url", &self.url.as_str()).finish_non_exhaustive()
    }
}

impl TokenSource {
    /// Checks the credentials; the message says what is wrong with them. `roots` are the extra
    /// trusted certificates of the config (a private CA often signs the token endpoint too).
    pub(crate) fn new(
        credentials: ClientCredentials,
        timeout: Option<Duration>,
        user_agent: HeaderValue,
        roots: &[reqwest::Certificate],
    ) -> Result<Self, String> {
        let url = check_token_url(&credentials.token_url)?;
        if let Some((name, _)) = credentials.params.iter().find(|(name, _)| RESERVED_PARAMS.contains(&name.as_str())) {
            return Err(format!("the token parameter `{name}` is set by the grant itself"));
        }
        if let Some(scope) = credentials.scopes.iter().find(|scope| !is_scope_token(scope)) {
            return Err(format!("the scope `{scope}` is empty or holds a space, `\"` or `\\`"));
        }
        let ClientCredentials { client_id, client_secret, scopes, params, client_auth, .. } = credentials;
        let mut fields: Vec<(&str, &str)> = vec![("grant_type", "client_credentials")];
        let scope = scopes.join(" ");
        if !scope.is_empty() {
            fields.push(("scope", &scope));
        }
        fields.extend(params.iter().map(|(name, value)| (name.as_str(), value.as_str())));
        if client_auth == ClientAuth::Body {
            fields.push(("client_id", &client_id));
            fields.push(("client_secret", client_secret.expose()));
        }
        let form = Secret::new(form_encode(&fields));
        let basic = (client_auth == ClientAuth::Basic)
            .then(|| (form_value(&client_id), Secret::new(form_value(client_secret.expose()))));
        // Its own client: the API's (which may be the user's) could follow a redirect elsewhere,
        // and a 307 would carry the secret along.
        let mut builder = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).referer(false);
        for root in roots {
            builder = builder.add_root_certificate(root.clone());
        }
        let http =
            builder.build().map_err(|error| format!("cannot build the HTTP client of the token endpoint: {error}"))?;
        let cache = Mutex::new(Cache::default());
        Ok(TokenSource {
            http,
            url,
            form,
            basic,
            secret: client_secret,
            timeout,
            user_agent,
            cache,
            fetches: AtomicU64::new(0),
        })
    }

    /// The cached token while it is fresh, else a new one from the token endpoint. A call that
    /// waited while a token request failed returns that request's error.
    pub(crate) async fn token(&self) -> Result<Secret, AuthError> {
        let seen = self.fetches.load(Ordering::Acquire);
        let mut cache = self.cache.lock().await;
        if let Some(cached) = cache.token.as_ref() {
            if cached.refresh_at.is_none_or(|at| Instant::now() < at) {
                return Ok(cached.token.clone());
            }
        }
        if let Some((number, error)) = &cache.failure {
            if *number > seen {
                if let Some(error) = error.shared() {
                    return Err(error);
                }
            }
        }
        cache.token = None;
        // Counted when it ends: a call that read the count while this request was under way
        // reads a smaller number than this one's, and so shares its failure.
        let number = self.fetches.load(Ordering::Acquire) + 1;
        let fetched = self.fetch().await;
        self.fetches.store(number, Ordering::Release);
        match fetched {
            Ok(fetched) => {
                let token = fetched.token.clone();
                *cache = Cache { token: Some(fetched), failure: None };
                Ok(token)
            }
            Err(error) => {
                cache.failure = error.shared().map(|shared| (number, shared));
                Err(error)
            }
        }
    }

    /// Forgets `rejected` (the API answered 401 to it), unless a newer token has replaced it
    /// already: many requests refused at once cause one refresh.
    pub(crate) async fn reject(&self, rejected: &Secret) {
        let mut cache = self.cache.lock().await;
        if cache.token.as_ref().is_some_and(|cached| cached.token == *rejected) {
            cache.token = None;
        }
    }

    async fn fetch(&self) -> Result<CachedToken, AuthError> {
        let sent_at = Instant::now();
        let mut request = self
            .http
            .post(self.url.clone())
            .header(USER_AGENT, self.user_agent.clone())
            .header(ACCEPT, "application/json")
            .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(self.form.expose().to_owned());
        if let Some((client_id, secret)) = &self.basic {
            // reqwest marks the header sensitive.
            request = request.basic_auth(client_id, Some(secret.expose()));
        }
        if let Some(timeout) = self.timeout {
            request = request.timeout(timeout);
        }
        let mut response = request.send().await.map_err(|error| AuthError::Transport(Arc::new(error)))?;
        let status = response.status();
        if response.content_length().is_some_and(|length| length > MAX_TOKEN_RESPONSE_BYTES as u64) {
            return Err(too_large(status));
        }
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(|error| AuthError::Transport(Arc::new(error)))? {
            if body.len() + chunk.len() > MAX_TOKEN_RESPONSE_BYTES {
                return Err(too_large(status));
            }
            body.extend_from_slice(&chunk);
        }
        if status.is_success() {
            let (token, expires_in) = parse_token(status, &body)?;
            Ok(CachedToken { token, refresh_at: expires_in.and_then(|lifetime| refresh_at(sent_at, lifetime)) })
        } else {
            Err(parse_error(status, &body, self.secret.expose()))
        }
    }
}

fn too_large(status: StatusCode) -> AuthError {
    AuthError::InvalidResponse {
        status,
        message: format!("the answer is larger than {MAX_TOKEN_RESPONSE_BYTES} bytes"),
    }
}

/// When a token with this lifetime, asked for at `sent_at`, is to be replaced; `None` when the
/// instant is beyond what the clock can hold (the token is then kept until a 401).
fn refresh_at(sent_at: Instant, lifetime: Duration) -> Option<Instant> {
    let margin = EXPIRY_MARGIN.min(lifetime / 2);
    sent_at.checked_add(lifetime - margin)
}

/// The token URL parsed: absolute `https`, or `http` to a loopback host; no userinfo, query
/// or fragment (the URL is shown in messages, and a secret there would travel in logs).
fn check_token_url(text: &str) -> Result<reqwest::Url, String> {
    let shown = redacted_url(text);
    let url = reqwest::Url::parse(text).map_err(|error| format!("token URL `{shown}`: {error}"))?;
    let host = url.host_str().unwrap_or_default();
    let loopback = host.eq_ignore_ascii_case("localhost")
        || host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback());
    let problem = match url.scheme() {
        "https" if !host.is_empty() => None,
        "http" if loopback => None,
        "http" => Some("must be https (http only to a loopback host)"),
        _ => Some("must be an https URL with a host"),
    }
    .or_else(|| (!url.username().is_empty() || url.password().is_some()).then_some("must not carry userinfo"))
    .or_else(|| (url.query().is_some() || url.fragment().is_some()).then_some("must not have a query or fragment"));
    match problem {
        Some(problem) => Err(format!("token URL `{shown}` {problem}")),
        None => Ok(url),
    }
}

/// RFC 6749 §3.3: a scope token is one or more of `%x21 / %x23-5B / %x5D-7E`.
fn is_scope_token(scope: &str) -> bool {
    !scope.is_empty() && scope.bytes().all(|b| matches!(b, 0x21 | 0x23..=0x5B | 0x5D..=0x7E))
}

fn form_value(value: &str) -> String {
    utf8_percent_encode(value, FORM_VALUE).to_string()
}

fn form_encode(fields: &[(&str, &str)]) -> String {
    let pairs: Vec<String> =
        fields.iter().map(|(name, value)| format!("{}={}", form_value(name), form_value(value))).collect();
    pairs.join("&")
}

/// A successful token answer (RFC 6749 §5.1): the bearer token and its lifetime, if given.
fn parse_token(status: StatusCode, body: &[u8]) -> Result<(Secret, Option<Duration>), AuthError> {
    #[derive(serde::Deserialize)]
    struct TokenAnswer {
        access_token: Secret,
        token_type: String,
        #[serde(default)]
        expires_in: Option<serde_json::Value>,
    }
    let invalid = |message: String| AuthError::InvalidResponse { status, message };
    // serde_json's message names the field and position, never a value of the body.
    let answer: TokenAnswer = serde_json::from_slice(body)
        .map_err(|error| invalid(format!("the answer is not an OAuth2 token response: {error}")))?;
    if !answer.token_type.eq_ignore_ascii_case("bearer") {
        return Err(invalid(format!(
            "the token type is `{}`, not `Bearer`",
            answer.token_type.chars().take(40).collect::<String>()
        )));
    }
    if answer.access_token.expose().is_empty() {
        return Err(invalid("the access token is empty".to_owned()));
    }
    // RFC 6749 makes it a number; some servers send it as a string.
    let expires_in = match &answer.expires_in {
        None | Some(serde_json::Value::Null) => None,
        Some(serde_json::Value::Number(number)) => number.as_u64(),
        Some(serde_json::Value::String(text)) => text.parse::<u64>().ok(),
        Some(_) => None,
    };
    if answer.expires_in.as_ref().is_some_and(|value| !value.is_null()) && expires_in.is_none() {
        return Err(invalid("`expires_in` is not a number of seconds".to_owned()));
    }
    Ok((answer.access_token, expires_in.map(Duration::from_secs)))
}

/// An error answer: the OAuth error (RFC 6749 §5.2) when the body is one, else what came.
fn parse_error(status: StatusCode, body: &[u8], secret: &str) -> AuthError {
    #[derive(serde::Deserialize)]
    struct ErrorAnswer {
        error: String,
        #[serde(default)]
        error_description: Option<String>,
        #[serde(default)]
        error_uri: Option<String>,
    }
    // A server that echoes the request must not put the secret into a message.
    let scrub = |text: String| if secret.is_empty() { text } else { text.replace(secret, "<redacted>") };
    match serde_json::from_slice::<ErrorAnswer>(body) {
        Ok(answer) => AuthError::Refused(OAuthError {
            status,
            code: OAuthErrorCode::from(answer.error.as_str()),
            description: answer.error_description.map(scrub),
            uri: answer.error_uri.map(scrub),
        }),
        Err(_) if status.is_redirection() => AuthError::InvalidResponse {
            status,
            message: "the token endpoint redirects; redirects are not followed with the client secret".to_owned(),
        },
        Err(_) => {
            AuthError::InvalidResponse { status, message: "the answer is not an OAuth2 error response".to_owned() }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(credentials: ClientCredentials) -> Result<TokenSource, String> {
        TokenSource::new(credentials, None, HeaderValue::from_static("test"), &[])
    }

    #[test]
    fn the_form_carries_grant_scope_params_and_in_body_mode_the_credentials() {
        let credentials = ClientCredentials::new("https://id.example.test/token", "app 1", "s3cr:t&=ü")
            .scopes(["api:read", "api:write"])
            .param("tenant_id", "t/1")
            .param("tenant_id", "t/2");
        let basic = source(credentials.clone()).unwrap();
        assert_eq!(basic.form.expose(), "grant_type=client_credentials&scope=api%3Aread%20api%3Awrite&tenant_id=t%2F2");
        let (id, secret) = basic.basic.as_ref().unwrap();
        assert_eq!((id.as_str(), secret.expose()), ("app%201", "s3cr%3At%26%3D%C3%BC"));

        let body = source(credentials.client_auth(ClientAuth::Body)).unwrap();
        assert!(body.basic.is_none());
        assert_eq!(
            body.form.expose(),
            "grant_type=client_credentials&scope=api%3Aread%20api%3Awrite&tenant_id=t%2F2\
             &client_id=app%201&client_secret=s3cr%3At%26%3D%C3%BC"
        );
    }

    #[test]
    fn token_urls_must_be_https_or_loopback_http_without_secrets() {
        for good in ["https://id.example.test/token", "http://127.0.0.1:8080/t", "http://[::1]/t", "http://localhost/t"]
        {
            assert!(check_token_url(good).is_ok(), "{good}");
        }
        let cases = [
            ("http://id.example.test/token", "must be https (http only to a loopback host)"),
            ("ftp://id.example.test/token", "must be an https URL with a host"),
            ("https://user:pw@id.example.test/token", "must not carry userinfo"),
            ("https://id.example.test/token?key=k", "must not have a query or fragment"),
        ];
        for (url, problem) in cases {
            let message = check_token_url(url).unwrap_err();
            assert!(message.ends_with(problem), "{url}: {message}");
            assert!(!message.contains("pw") && !message.contains("key=k"), "{message}");
        }
        assert!(check_token_url("not a url").is_err());
    }

    #[test]
    fn reserved_params_and_bad_scopes_are_refused() {
        let base = || ClientCredentials::new("https://id.example.test/token", "app", "secret");
        assert!(source(base().param("client_secret", "x")).unwrap_err().contains("`client_secret`"));
        assert!(source(base().scopes(["two words"])).unwrap_err().contains("`two words`"));
        assert!(source(base().scopes([""])).is_err());
    }

    #[test]
    fn debug_shows_no_secret() {
        let credentials = ClientCredentials::new("https://id.example.test/token", "app", "planted-secret");
        let shown = format!("{credentials:?} {:?}", source(credentials.clone()).unwrap());
        assert!(!shown.contains("planted-secret"), "{shown}");
        assert!(shown.contains("app"), "{shown}");
    }

    #[test]
    fn token_answers_are_read_strictly() {
        let ok = StatusCode::OK;
        let (token, lifetime) =
            parse_token(ok, br#"{"access_token":"abc","token_type":"bearer","expires_in":3600}"#).unwrap();
        assert_eq!((token.expose(), lifetime), ("abc", Some(Duration::from_secs(3600))));
        let (_, lifetime) =
            parse_token(ok, br#"{"access_token":"abc","token_type":"Bearer","expires_in":"60"}"#).unwrap();
        assert_eq!(lifetime, Some(Duration::from_secs(60)));
        let (_, lifetime) = parse_token(ok, br#"{"access_token":"abc","token_type":"Bearer"}"#).unwrap();
        assert_eq!(lifetime, None);
        for bad in [
            &br#"{"access_token":"abc","token_type":"mac"}"#[..],
            br#"{"access_token":"","token_type":"Bearer"}"#,
            br#"{"access_token":"abc","token_type":"Bearer","expires_in":-1}"#,
            br#"{"token_type":"Bearer"}"#,
            b"<html>",
        ] {
            let error = parse_token(ok, bad).unwrap_err();
            assert!(matches!(error, AuthError::InvalidResponse { .. }), "{error:?}");
            assert!(!error.to_string().contains("abc"), "{error}");
        }
    }

    #[test]
    fn error_answers_keep_code_and_description_without_the_secret() {
        let body = br#"{"error":"invalid_client","error_description":"bad secret planted-secret"}"#;
        let AuthError::Refused(error) = parse_error(StatusCode::UNAUTHORIZED, body, "planted-secret") else {
            panic!("expected an OAuth error")
        };
        assert_eq!(error.code, OAuthErrorCode::InvalidClient);
        assert_eq!(error.description.as_deref(), Some("bad secret <redacted>"));
        let other = parse_error(StatusCode::BAD_REQUEST, br#"{"error":"slow_down"}"#, "planted");
        assert!(
            matches!(other, AuthError::Refused(OAuthError { code: OAuthErrorCode::Other(ref code), .. }) if code == "slow_down")
        );
        assert!(matches!(parse_error(StatusCode::BAD_GATEWAY, b"down", "planted"), AuthError::InvalidResponse { .. }));
    }

    #[test]
    fn tokens_are_refreshed_shortly_before_they_expire() {
        let now = Instant::now();
        assert_eq!(refresh_at(now, Duration::from_secs(3600)), Some(now + Duration::from_secs(3570)));
        assert_eq!(refresh_at(now, Duration::from_secs(20)), Some(now + Duration::from_secs(10)));
        assert_eq!(refresh_at(now, Duration::ZERO), Some(now));
        assert_eq!(refresh_at(now, Duration::from_secs(u64::MAX)), None);
    }
}
