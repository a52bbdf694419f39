//! Client settings: base URL, timeout, user agent, body limit, extra headers, auth, redirects,
//! retries and hooks.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use super::hooks::Hook;
use super::http::redacted_url;
use super::retry::RetryPolicy;

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
    /// Wraps a secret; from then on only [`Secret::expose`] shows it.
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
///
/// The crate's front page shows an implementation ("Authentication").
pub trait TokenProvider: Send + Sync {
    /// The token to send on the next request. An error fails that request with
    /// [`Error::Auth`](super::Error::Auth) before anything is sent.
    fn token(&self) -> TokenFuture<'_>;
}

/// Where an API key travels: a header, a query parameter or a cookie, and its name there. A
/// service whose documents describe one has it as a `Client` constant (`Client::API_KEY`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ApiKeyScheme {
    location: ApiKeyLocation,
    name: &'static str,
}

/// The part of a request an API key travels in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ApiKeyLocation {
    /// A header of its own (marked sensitive, so the HTTP stack never logs it).
    Header,
    /// A query parameter, added after the hooks ran and left out of every URL shown.
    Query,
    /// A cookie, in the request's one `Cookie` header beside the operation's cookie parameters.
    Cookie,
}

impl ApiKeyScheme {
    /// The key in the header `name` (e.g. `X-API-Key`).
    pub const fn header(name: &'static str) -> Self {
        ApiKeyScheme { location: ApiKeyLocation::Header, name }
    }

    /// The key in the query parameter `name` (e.g. `api_key`).
    pub const fn query(name: &'static str) -> Self {
        ApiKeyScheme { location: ApiKeyLocation::Query, name }
    }

    /// The key in the cookie `name`.
    pub const fn cookie(name: &'static str) -> Self {
        ApiKeyScheme { location: ApiKeyLocation::Cookie, name }
    }

    /// Where the key travels.
    pub fn location(&self) -> ApiKeyLocation {
        self.location
    }

    /// The header, query parameter or cookie name.
    pub fn name(&self) -> &'static str {
        self.name
    }
}

/// An API key and where it travels. `Debug` never shows the key.
#[derive(Clone, Debug)]
pub struct ApiKey {
    pub(crate) scheme: ApiKeyScheme,
    pub(crate) key: Secret,
}

impl ApiKey {
    /// `key`, sent as `scheme` says.
    pub fn new(scheme: ApiKeyScheme, key: impl Into<Secret>) -> Self {
        ApiKey { scheme, key: key.into() }
    }

    /// Where the key travels.
    pub fn scheme(&self) -> ApiKeyScheme {
        self.scheme
    }
}

/// How requests are authenticated. New kinds may be added: a `match` needs a wildcard arm.
#[derive(Clone, Default)]
#[non_exhaustive]
pub enum Auth {
    /// No `Authorization` header (but Basic credentials of the base URL's userinfo, if any).
    #[default]
    None,
    /// The same bearer token on every request.
    Bearer(AccessToken),
    /// A token asked of the provider before every request.
    Provider(Arc<dyn TokenProvider>),
    /// Tokens from an OAuth2 token endpoint (client-credentials grant), cached until shortly
    /// before they expire; a 401 answer fetches a new one and sends the request once more.
    #[cfg(feature = "oauth2-runtime")]
    ClientCredentials(super::oauth2::ClientCredentials),
    /// The same API key on every request, in a header, the query or a cookie.
    ApiKey(ApiKey),
    /// HTTP Basic (RFC 7617): `Authorization: Basic` with a user name and password. Both are
    /// secret: some APIs take the key as the user name.
    Basic {
        /// The user name (sent before the `:`, so it cannot hold one).
        user: Secret,
        /// The password (may be empty).
        password: Secret,
    },
}

impl fmt::Debug for Auth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Auth::None => f.write_str("None"),
            Auth::Bearer(token) => f.debug_tuple("Bearer").field(token).finish(),
            Auth::Provider(_) => f.write_str("Provider(..)"),
            #[cfg(feature = "oauth2-runtime")]
            Auth::ClientCredentials(credentials) => f.debug_tuple("ClientCredentials").field(credentials).finish(),
            Auth::ApiKey(key) => f.debug_tuple("ApiKey").field(key).finish(),
            Auth::Basic { .. } => f.write_str("Basic(<redacted>)"),
        }
    }
}

/// Which redirects a client follows.
///
/// Credentials (the `Authorization` header, headers set with [`ClientConfig::header`] or
/// [`ClientConfig::secret_header`], a request body) must never reach a server the caller did
/// not choose, so no policy follows a redirect to another origin: such an answer is returned
/// as it is (an [`Error::Api`](super::Error::Api) with the 3xx status and its `Location`
/// header) for the caller to decide. No `Referer` header is ever sent and no cookie is stored.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum RedirectPolicy {
    /// Follows no redirect: every 3xx answer is returned as it is.
    None,
    /// Follows up to `max` redirects within the origin (scheme, host and port) the request was
    /// sent to, which also rules out https → http. A 301/302/303 turns a POST into a body-less
    /// GET; a 307/308 sends the same method and body again. One redirect more is a transport
    /// error (`too many redirects`).
    SameOrigin {
        /// How many redirects one request may follow.
        max: usize,
    },
}

impl Default for RedirectPolicy {
    /// [`RedirectPolicy::SameOrigin`] with `max: 5`.
    fn default() -> Self {
        RedirectPolicy::SameOrigin { max: 5 }
    }
}

/// A header sent on every request; `secret` ones are redacted in `Debug`.
#[derive(Clone)]
pub(crate) struct ExtraHeader {
    pub(crate) name: String,
    pub(crate) value: Secret,
    pub(crate) secret: bool,
}

impl ExtraHeader {
    /// A header; `Authorization`, `Proxy-Authorization` and `Cookie` are secret whatever `secret` says.
    pub(crate) fn new(name: String, value: Secret, secret: bool) -> Self {
        let secret = secret || CREDENTIAL_HEADERS.contains(&name.to_ascii_lowercase().as_str());
        ExtraHeader { name, value, secret }
    }
}

impl fmt::Debug for ExtraHeader {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.secret {
            write!(f, "{}: <redacted>", self.name)
        } else {
            write!(f, "{}: {:?}", self.name, self.value.expose())
        }
    }
}

/// Header names whose values are credentials even when set with [`ClientConfig::header`].
const CREDENTIAL_HEADERS: &[&str] = &["authorization", "proxy-authorization", "cookie"];

/// Settings shared by every service client. Unset values take the service's defaults.
///
/// `Debug` shows no secret: tokens, secret header values and a password (or user name) in the
/// base URL are redacted, and so is the base URL's query.
#[derive(Clone)]
pub struct ClientConfig {
    pub(crate) base_url: Option<String>,
    pub(crate) timeout: Option<Duration>,
    pub(crate) user_agent: String,
    pub(crate) auth: Auth,
    pub(crate) max_response_bytes: usize,
    pub(crate) headers: Vec<ExtraHeader>,
    pub(crate) redirects: RedirectPolicy,
    pub(crate) http_client: Option<reqwest::Client>,
    pub(crate) root_certificates: Vec<reqwest::Certificate>,
    pub(crate) retry: RetryPolicy,
    pub(crate) hooks: Vec<Arc<dyn Hook>>,
}

impl fmt::Debug for ClientConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientConfig")
            .field("base_url", &self.base_url.as_deref().map(redacted_url))
            .field("timeout", &self.timeout)
            .field("user_agent", &self.user_agent)
            .field("auth", &self.auth)
            .field("max_response_bytes", &self.max_response_bytes)
            .field("headers", &self.headers)
            .field("redirects", &self.redirects)
            .field("http_client", &self.http_client.as_ref().map(|_| ".."))
            .field("root_certificates", &self.root_certificates.len())
            .field("retry", &self.retry)
            .field("hooks", &self.hooks.len())
            .finish()
    }
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
            redirects: RedirectPolicy::default(),
            http_client: None,
            root_certificates: Vec::new(),
            retry: RetryPolicy::default(),
            hooks: Vec::new(),
        }
    }
}

impl ClientConfig {
    /// The defaults: the service's base URL, a 60 s timeout, no auth, a 32 MiB body limit,
    /// [`RedirectPolicy::SameOrigin`] with `max: 5`, the default [`RetryPolicy`] and no hook.
    pub fn new() -> Self {
        Self::default()
    }

    /// Overrides the service's documented base URL (e.g. a test server or another region).
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = Some(base_url.into());
        self
    }

    /// The timeout of each attempt (connect, send, and read the body); `None` waits forever.
    /// Retries and their waits are bounded by the [`RetryPolicy`]'s budget.
    pub fn timeout(mut self, timeout: Option<Duration>) -> Self {
        self.timeout = timeout;
        self
    }

    /// The `User-Agent` header (default: the crate's name and version).
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

    /// Gets access tokens from an OAuth2 token endpoint with these client credentials (a
    /// service's generated `Client::with_client_credentials` fills in its documented token URL,
    /// scopes and parameters). The secret goes only to the token URL, the token only to the
    /// base URL.
    #[cfg(feature = "oauth2-runtime")]
    pub fn client_credentials(mut self, credentials: super::oauth2::ClientCredentials) -> Self {
        self.auth = Auth::ClientCredentials(credentials);
        self
    }

    /// Sends `key` on every request, where `scheme` says: a service's documented schemes are
    /// its `Client` constants, e.g. `.api_key(Client::API_KEY, key)`. The key goes only to the
    /// base URL, is hidden from hooks, and never shows in `Debug` or an error's URL.
    pub fn api_key(mut self, scheme: ApiKeyScheme, key: impl Into<Secret>) -> Self {
        self.auth = Auth::ApiKey(ApiKey::new(scheme, key));
        self
    }

    /// Sends `Authorization: Basic` (RFC 7617) with this user name and password on every
    /// request to the base URL. It replaces Basic credentials in the base URL's userinfo.
    pub fn basic_auth(mut self, user: impl Into<Secret>, password: impl Into<Secret>) -> Self {
        self.auth = Auth::Basic { user: user.into(), password: password.into() };
        self
    }

    /// Sets how requests are authenticated, replacing any token set before.
    pub fn auth(mut self, auth: Auth) -> Self {
        self.auth = auth;
        self
    }

    /// Refuses response bodies larger than this (default 32 MiB) instead of buffering them.
    pub fn max_response_bytes(mut self, limit: usize) -> Self {
        self.max_response_bytes = limit;
        self
    }

    /// A header sent on every request (e.g. a tenant id the spec does not describe). Its value
    /// shows in `Debug`, unless the name is `Authorization`, `Proxy-Authorization` or `Cookie`;
    /// use [`secret_header`](Self::secret_header) for an API key or any other credential.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push(ExtraHeader::new(name.into(), Secret::new(value), false));
        self
    }

    /// A credential header sent on every request (e.g. `X-Api-Key`): like
    /// [`header`](Self::header), but its value is redacted in `Debug` and marked sensitive for
    /// the HTTP stack. Like every header, it never follows a redirect to another origin (see
    /// [`RedirectPolicy`]).
    pub fn secret_header(mut self, name: impl Into<String>, value: impl Into<Secret>) -> Self {
        self.headers.push(ExtraHeader::new(name.into(), value.into(), true));
        self
    }

    /// Which redirects to follow (default: [`RedirectPolicy::SameOrigin`] with `max: 5`).
    pub fn redirects(mut self, policy: RedirectPolicy) -> Self {
        self.redirects = policy;
        self
    }

    /// Uses this `reqwest::Client` (proxies, TLS roots, connection pool) instead of a new one;
    /// the timeout set here still applies per request.
    ///
    /// The client's own redirect, `Referer` and cookie settings apply, not
    /// [`redirects`](Self::redirects): reqwest's default follows redirects to other origins
    /// with every header but `Authorization`. Build it with
    /// `.redirect(reqwest::redirect::Policy::none()).referer(false)` unless that is wanted.
    ///
    /// An operation that declares a `302` or `303` as its answer gets it from this client only
    /// if the client does not follow it (`Policy::none()` above).
    ///
    /// An operation that switches protocols (`101`, e.g. a WebSocket) needs an HTTP/1.1
    /// connection, and over TLS reqwest takes the version the server picks: build the client
    /// with `.http1_only()` if the crate's own (which sends upgrades over an HTTP/1.1-only twin)
    /// is not used and such an operation is called.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http_client = Some(client);
        self
    }

    /// Also trusts `certificate` as a root, for servers behind a private certificate
    /// authority (the token endpoint of client credentials too). May be called more than
    /// once. For the client this crate builds: with [`http_client`](Self::http_client),
    /// `Client::new` refuses it (add the certificate to that client).
    pub fn add_root_certificate(mut self, certificate: reqwest::Certificate) -> Self {
        self.root_certificates.push(certificate);
        self
    }

    /// How calls are retried after a transient failure (default: [`RetryPolicy::default`];
    /// [`RetryPolicy::none`] sends every call once). A call's
    /// [`RequestOptions`](super::RequestOptions) may set its own.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Adds a hook that sees every request before it is sent and every answer after it
    /// arrives (see [`Hook`]); several hooks run in the order they were added.
    pub fn hook(mut self, hook: Arc<dyn Hook>) -> Self {
        self.hooks.push(hook);
        self
    }
}
