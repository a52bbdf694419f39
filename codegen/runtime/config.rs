//! Client settings: base URL, timeout, user agent, body limit, extra headers and auth.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

/// An error from a user-supplied token provider.
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// The future a [`TokenProvider`] returns.
pub type TokenFuture<'a> = Pin<Box<dyn Future<Output = Result<AccessToken, BoxError>> + Send + 'a>>;

/// A bearer token: a [`Secret`], so its `Debug` output never shows it.
pub type AccessToken = Secret;

/// A secret string (access token, password, session ticket). `Debug` never shows it; read it with `expose`.
#[derive(Clone, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    pub fn new(secret: impl Into<String>) -> Self {
        Secret(secret.into())
    }

    /// The secret itself.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

impl From<String> for Secret {
    fn from(secret: String) -> Self {
        Secret(secret)
    }
}

impl From<&str> for Secret {
    fn from(secret: &str) -> Self {
        Secret(secret.to_owned())
    }
}

/// Supplies a fresh access token before each request, e.g. from an OAuth2 client that
/// refreshes it when it expires.
pub trait TokenProvider: Send + Sync {
    fn token(&self) -> TokenFuture<'_>;
}

/// How requests are authenticated.
#[derive(Clone, Default)]
pub enum Auth {
    /// No `Authorization` header.
    #[default]
    None,
    /// The same bearer token on every request.
    Bearer(AccessToken),
    /// A token asked of the provider before every request.
    Provider(Arc<dyn TokenProvider>),
}

impl fmt::Debug for Auth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Auth::None => f.write_str("None"),
            Auth::Bearer(token) => f.debug_tuple("Bearer").field(token).finish(),
            Auth::Provider(_) => f.write_str("Provider(..)"),
        }
    }
}

/// Settings shared by every service client. Unset values take the service's defaults.
#[derive(Clone, Debug)]
pub struct ClientConfig {
    pub(crate) base_url: Option<String>,
    pub(crate) timeout: Option<Duration>,
    pub(crate) user_agent: String,
    pub(crate) auth: Auth,
    pub(crate) max_response_bytes: usize,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) http_client: Option<reqwest::Client>,
}

impl Default for ClientConfig {
    fn default() -> Self {
        ClientConfig {
            base_url: None,
            timeout: Some(Duration::from_secs(60)),
            user_agent: concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION")).to_owned(),
            auth: Auth::None,
            max_response_bytes: 32 * 1024 * 1024,
            headers: Vec::new(),
            http_client: None,
        }
    }
}

impl ClientConfig {
    pub fn new() -> Self {
        Self::default()
    }

    /// Overrides the service's documented base URL (e.g. a test server or another region).
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = Some(base_url.into());
        self
    }

    /// The whole-request timeout (connect, send, and read the body); `None` waits forever.
    pub fn timeout(mut self, timeout: Option<Duration>) -> Self {
        self.timeout = timeout;
        self
    }

    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// Sends `Authorization: Bearer <token>` on every request.
    pub fn bearer_token(mut self, token: impl Into<String>) -> Self {
        self.auth = Auth::Bearer(AccessToken::new(token));
        self
    }

    /// Asks `provider` for a token before every request (for refreshing tokens).
    pub fn token_provider(mut self, provider: impl TokenProvider + 'static) -> Self {
        self.auth = Auth::Provider(Arc::new(provider));
        self
    }

    pub fn auth(mut self, auth: Auth) -> Self {
        self.auth = auth;
        self
    }

    /// Refuses response bodies larger than this (default 32 MiB) instead of buffering them.
    pub fn max_response_bytes(mut self, limit: usize) -> Self {
        self.max_response_bytes = limit;
        self
    }

    /// A header sent on every request (e.g. an API key the spec does not describe).
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Uses this `reqwest::Client` (proxies, TLS roots, connection pool) instead of a new one;
    /// the timeout set here still applies per request.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http_client = Some(client);
        self
    }
}
