//! The one error type of every operation: transport, API (status) and decode failures.

use std::fmt;
use std::sync::Arc;

use reqwest::header::HeaderMap;
use reqwest::StatusCode;

use super::config::BoxError;
use super::rate_limit::RateLimit;

/// Why a call failed. `E` is the error body the operation declares ([`NoErrorBody`] when
/// the documents declare none).
///
/// The crate's front page shows how to match one ("Errors").
#[derive(Debug)]
#[non_exhaustive]
pub enum Error<E = NoErrorBody> {
    /// The request could not be built: an invalid base URL, a header value with a line
    /// break, or a body that would not serialize; or a blocking call was made inside an async
    /// runtime. Nothing was sent.
    InvalidRequest(String),
    /// No access token could be had (a token provider or the OAuth2 token endpoint failed).
    /// Nothing was sent to the API.
    Auth(AuthError),
    /// Connecting, sending or reading failed, or the timeout passed. `Display` shows the
    /// whole cause chain (e.g. `... error decoding response body: operation timed out`); the
    /// error's URL keeps no userinfo or query.
    Transport(reqwest::Error),
    /// The response body was larger than the configured limit.
    BodyTooLarge {
        /// The status of the answer whose body was too large.
        status: StatusCode,
        /// The configured limit in bytes ([`ClientConfig::max_response_bytes`](super::ClientConfig::max_response_bytes)).
        limit: usize,
    },
    /// The server answered with a status the operation does not declare as success.
    Api(Box<ApiError<E>>),
    /// A success status came with a body that does not match the documented type.
    Decode(DecodeError),
    /// The SOAP service answered with a fault.
    Fault(Box<SoapFault>),
    /// A SOAP session could not be opened from the authenticate answer.
    Session(SessionError),
    /// A background job failed, or did not finish before the deadline.
    Job(JobError),
}

impl<E> Error<E> {
    /// The HTTP status, when the server answered.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api(error) => Some(error.status),
            Error::Decode(error) => Some(error.status),
            Error::BodyTooLarge { status, .. } => Some(*status),
            Error::Transport(error) => error.status(),
            Error::InvalidRequest(_) | Error::Auth(_) | Error::Fault(_) | Error::Session(_) | Error::Job(_) => None,
        }
    }

    /// The API error, when the server answered with a non-success status.
    pub fn api(&self) -> Option<&ApiError<E>> {
        match self {
            Error::Api(error) => Some(error),
            _ => None,
        }
    }

    /// Whether the failure was the configured timeout.
    pub fn is_timeout(&self) -> bool {
        matches!(self, Error::Transport(error) if error.is_timeout())
    }
}

impl<E: fmt::Debug> fmt::Display for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::InvalidRequest(message) => write!(f, "invalid request: {message}"),
            Error::Auth(error) => write!(f, "could not get an access token: {error}"),
            Error::Transport(error) => {
                f.write_str("transport error: ")?;
                write_with_causes(f, error)
            }
            Error::BodyTooLarge { status, limit } => {
                write!(f, "response body ({status}) is larger than the limit of {limit} bytes")
            }
            Error::Api(error) => write!(f, "{error}"),
            Error::Decode(error) => write!(f, "{error}"),
            Error::Fault(fault) => write!(f, "{fault}"),
            Error::Session(error) => write!(f, "{error}"),
            Error::Job(error) => write!(f, "{error}"),
        }
    }
}

impl<E: fmt::Debug> std::error::Error for Error<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Transport(error) => Some(error),
            Error::Auth(error) => Some(error),
            _ => None,
        }
    }
}

/// reqwest's own message is often only the phase ("error decoding response body"); what
/// happened (a timeout, a reset) is further down the chain, so every cause not yet shown follows.
fn write_with_causes(f: &mut fmt::Formatter<'_>, error: &reqwest::Error) -> fmt::Result {
    write!(f, "{error}")?;
    let mut shown = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        let text = cause.to_string();
        if !shown.ends_with(&text) {
            write!(f, ": {text}")?;
            shown = text;
        }
        source = cause.source();
    }
    Ok(())
}

/// Why no access token could be had. Neither the client secret nor a token is ever part of it.
#[derive(Debug)]
#[non_exhaustive]
pub enum AuthError {
    /// The provider set with `ClientConfig::token_provider` failed; `Display` shows its message.
    Provider(BoxError),
    /// The OAuth2 token endpoint refused the request with an error code (RFC 6749 §5.2).
    Refused(OAuthError),
    /// The token endpoint could not be reached, or did not answer in time. Shared (`Arc`): the
    /// calls that waited for the same token request all get this one error.
    Transport(Arc<reqwest::Error>),
    /// The token endpoint answered with neither a bearer token nor an OAuth2 error (e.g. a
    /// `503` page, or a redirect, which is not followed).
    InvalidResponse {
        /// The token endpoint's status.
        status: StatusCode,
        /// What was wrong with the answer.
        message: String,
    },
}

impl AuthError {
    /// The same error for another call that waited for the failed token request; `None` for a
    /// provider's error, which is the provider's to share.
    #[cfg(feature = "oauth2-runtime")]
    pub(crate) fn shared(&self) -> Option<AuthError> {
        match self {
            AuthError::Provider(_) => None,
            AuthError::Refused(error) => Some(AuthError::Refused(error.clone())),
            AuthError::Transport(error) => Some(AuthError::Transport(Arc::clone(error))),
            AuthError::InvalidResponse { status, message } => {
                Some(AuthError::InvalidResponse { status: *status, message: message.clone() })
            }
        }
    }

    /// The OAuth2 error code, when the token endpoint gave one.
    pub fn oauth_code(&self) -> Option<&OAuthErrorCode> {
        match self {
            AuthError::Refused(error) => Some(&error.code),
            _ => None,
        }
    }
}

impl fmt::Display for AuthError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AuthError::Provider(error) => write!(f, "{error}"),
            AuthError::Refused(error) => write!(f, "{error}"),
            AuthError::Transport(error) => {
                f.write_str("the token endpoint could not be reached: ")?;
                write_with_causes(f, error)
            }
            AuthError::InvalidResponse { status, message } => {
                write!(f, "the token endpoint answered {status}: {message}")
            }
        }
    }
}

impl std::error::Error for AuthError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            AuthError::Provider(error) => Some(error.as_ref()),
            AuthError::Transport(error) => Some(error.as_ref()),
            AuthError::Refused(_) | AuthError::InvalidResponse { .. } => None,
        }
    }
}

/// An OAuth2 error answer of the token endpoint (RFC 6749 §5.2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OAuthError {
    /// The token endpoint's status (usually 400 or 401).
    pub status: StatusCode,
    /// `error`: what went wrong.
    pub code: OAuthErrorCode,
    /// `error_description`: text for the developer.
    pub description: Option<String>,
    /// `error_uri`: a page about the error.
    pub uri: Option<String>,
}

impl fmt::Display for OAuthError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the token endpoint refused the request ({}): {}", self.status, self.code)?;
        if let Some(description) = &self.description {
            let shown: String = description.chars().take(500).collect();
            write!(f, ": {shown}")?;
        }
        Ok(())
    }
}

/// The `error` code of an OAuth2 error answer; codes RFC 6749 does not define are kept in
/// `Other`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum OAuthErrorCode {
    /// A parameter is missing, repeated or malformed.
    InvalidRequest,
    /// The client id or secret is wrong, or the client may not use this authentication.
    InvalidClient,
    /// The grant is invalid, expired or revoked.
    InvalidGrant,
    /// The client may not use the client-credentials grant.
    UnauthorizedClient,
    /// The token endpoint does not support the client-credentials grant.
    UnsupportedGrantType,
    /// A requested scope is unknown or not granted to the client.
    InvalidScope,
    /// A code RFC 6749 does not define, as sent.
    Other(String),
}

impl OAuthErrorCode {
    /// The code as sent (`invalid_client`).
    pub fn as_str(&self) -> &str {
        match self {
            OAuthErrorCode::InvalidRequest => "invalid_request",
            OAuthErrorCode::InvalidClient => "invalid_client",
            OAuthErrorCode::InvalidGrant => "invalid_grant",
            OAuthErrorCode::UnauthorizedClient => "unauthorized_client",
            OAuthErrorCode::UnsupportedGrantType => "unsupported_grant_type",
            OAuthErrorCode::InvalidScope => "invalid_scope",
            OAuthErrorCode::Other(code) => code,
        }
    }
}

impl From<&str> for OAuthErrorCode {
    fn from(code: &str) -> Self {
        match code {
            "invalid_request" => OAuthErrorCode::InvalidRequest,
            "invalid_client" => OAuthErrorCode::InvalidClient,
            "invalid_grant" => OAuthErrorCode::InvalidGrant,
            "unauthorized_client" => OAuthErrorCode::UnauthorizedClient,
            "unsupported_grant_type" => OAuthErrorCode::UnsupportedGrantType,
            "invalid_scope" => OAuthErrorCode::InvalidScope,
            other => OAuthErrorCode::Other(other.to_owned()),
        }
    }
}

impl fmt::Display for OAuthErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A non-success answer: status, headers, and the body (decoded when the operation declares
/// an error type and the body matches it).
#[derive(Debug)]
pub struct ApiError<E> {
    /// The status the server answered (a 4xx or 5xx, or a 3xx redirect that was not followed).
    pub status: StatusCode,
    /// The answer's headers (a redirect's `Location`, a `Retry-After`, ...).
    pub headers: HeaderMap,
    /// The answer's body: the declared error type when it matches, else the text.
    pub body: ErrorBody<E>,
}

impl<E> ApiError<E> {
    /// The `X-RateLimit-*` headers, when the answer has any.
    pub fn rate_limit(&self) -> Option<RateLimit> {
        RateLimit::from_headers(&self.headers)
    }

    /// How long the server asks to wait before trying again (`Retry-After`, in seconds or as
    /// an HTTP date; a date in the past is zero), when it says.
    pub fn retry_after(&self) -> Option<std::time::Duration> {
        super::retry::retry_after(&self.headers, std::time::SystemTime::now())
    }
}

impl<E: fmt::Debug> fmt::Display for ApiError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the API answered {}", self.status)?;
        match &self.body {
            ErrorBody::Typed(body) => write!(f, ": {body:?}"),
            ErrorBody::Raw(text) if !text.is_empty() => {
                let shown: String = text.chars().take(500).collect();
                write!(f, ": {shown}")
            }
            _ => Ok(()),
        }
    }
}

/// The body of an error response.
#[derive(Debug, Clone, PartialEq)]
pub enum ErrorBody<E> {
    /// The body decoded as the operation's declared error type.
    Typed(E),
    /// The body as text (lossily decoded), when it is not the declared type or none is declared.
    Raw(String),
}

impl<E> ErrorBody<E> {
    /// The decoded body, when it is the declared error type.
    pub fn typed(&self) -> Option<&E> {
        match self {
            ErrorBody::Typed(body) => Some(body),
            ErrorBody::Raw(_) => None,
        }
    }
}

/// A success status whose body does not decode as the documented type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError {
    /// The success status the answer came with.
    pub status: StatusCode,
    /// Where in the JSON document decoding failed (`.` for the root, e.g. `[0].status`).
    pub path: String,
    /// What did not match there (the JSON or XML parser's message).
    pub message: String,
    /// The body as received (lossily decoded as UTF-8); in a SOAP answer, the text of the
    /// elements that carry secrets is replaced by `(redacted)`.
    pub body: String,
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "could not decode the {} response body at `{}`: {}", self.status, self.path, self.message)
    }
}

impl std::error::Error for DecodeError {}

/// The error body of an operation whose documents declare none: every error body is kept
/// as [`ErrorBody::Raw`] text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoErrorBody {}

impl serde::Serialize for NoErrorBody {
    fn serialize<S: serde::Serializer>(&self, _: S) -> Result<S::Ok, S::Error> {
        match *self {}
    }
}

impl<'de> serde::Deserialize<'de> for NoErrorBody {
    fn deserialize<D: serde::Deserializer<'de>>(_: D) -> Result<Self, D::Error> {
        Err(serde::de::Error::custom("this operation declares no error body"))
    }
}

/// Why waiting for a background job ended without its result.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum JobError {
    /// The job's state says it failed: its status and error message as the server gave them.
    Failed {
        /// The job's id.
        id: String,
        /// The failed status word, as sent.
        status: String,
        /// The server's error message, if the state carried one.
        message: Option<String>,
    },
    /// The deadline passed while the job was still running; `status` is the last one read
    /// (`None` when the state carried none), kept as received even when the spec does not list it.
    DeadlinePassed {
        /// The job's id.
        id: String,
        /// How long the job was waited for.
        waited: std::time::Duration,
        /// The last status word read.
        status: Option<String>,
    },
}

impl fmt::Display for JobError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            JobError::Failed { id, status, message } => {
                write!(f, "background job `{id}` ended with status `{status}`")?;
                match message {
                    Some(message) => write!(f, ": {}", message.chars().take(500).collect::<String>()),
                    None => Ok(()),
                }
            }
            JobError::DeadlinePassed { id, waited, status } => {
                write!(f, "background job `{id}` did not finish within {waited:?}")?;
                match status {
                    Some(status) => write!(f, " (last status `{status}`)"),
                    None => Ok(()),
                }
            }
        }
    }
}

/// A SOAP fault: the service refused the call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SoapFault {
    /// `faultcode`, e.g. `s:Client` or `a:InternalServiceFault`.
    pub code: String,
    /// `faultstring`.
    pub message: String,
    /// The text of `detail`, if any.
    pub detail: Option<String>,
}

impl fmt::Display for SoapFault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SOAP fault {}: {}", self.code, self.message)
    }
}

/// Why a SOAP session could not be opened although the service answered.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SessionError {
    /// The authenticate answer is a success but its session ticket is missing or blank.
    NoTicket,
    /// The authenticate answer redirects to a URL the client refuses; nothing was sent there.
    /// `host` is the URL's host alone (never its user information, path or query).
    RedirectRefused {
        /// The redirect URL's host, when it has one.
        host: Option<String>,
        /// The rule that refused it.
        rule: RedirectRule,
    },
}

/// The rule that refused a redirect.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum RedirectRule {
    /// Not an absolute `http` or `https` URL with a host.
    NotHttpUrl,
    /// From an `https` base URL to an `http` one.
    Downgrade,
    /// The URL carries a user name or password.
    UserInfo,
    /// The URL has a query.
    Query,
    /// The URL has a fragment.
    Fragment,
    /// The host matches none of the allowed patterns.
    HostNotAllowed {
        /// The allowed host patterns (`*.example.com`).
        allowed: Vec<String>,
    },
}

impl fmt::Display for SessionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SessionError::NoTicket => f.write_str("the authenticate answer is a success but carries no session ticket"),
            SessionError::RedirectRefused { host, rule } => {
                f.write_str("refused the authenticate answer's redirect")?;
                if let Some(host) = host {
                    write!(f, " to host `{host}`")?;
                }
                write!(f, " (the credentials were not sent): {rule}")
            }
        }
    }
}

impl fmt::Display for RedirectRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RedirectRule::NotHttpUrl => f.write_str("it is not an absolute http(s) URL with a host"),
            RedirectRule::Downgrade => f.write_str("it would downgrade from https to http"),
            RedirectRule::UserInfo => f.write_str("it carries a user name or password"),
            RedirectRule::Query => f.write_str("it has a query"),
            RedirectRule::Fragment => f.write_str("it has a fragment"),
            RedirectRule::HostNotAllowed { allowed } => {
                let allowed: Vec<String> = allowed.iter().map(|pattern| format!("`{pattern}`")).collect();
                write!(
                    f,
                    "the host is not one of the allowed redirect hosts ({}); see `Client::with_redirect_hosts`",
                    allowed.join(", ")
                )
            }
        }
    }
}
