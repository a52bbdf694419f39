//! Per-call settings: a timeout, extra headers, a retry policy and the idempotency opt-in.

use std::time::Duration;

use super::config::{ExtraHeader, Secret};
use super::retry::RetryPolicy;

/// Settings for one call, over the client's: `.request_options(..)` on a request builder, or
/// `Client::with_request_options` on a SOAP client.
///
/// `Debug` shows no secret header value.
#[derive(Clone, Debug, Default)]
pub struct RequestOptions {
    /// `Some(None)`: no timeout for this call.
    pub(crate) timeout: Option<Option<Duration>>,
    pub(crate) headers: Vec<ExtraHeader>,
    pub(crate) retry: Option<RetryPolicy>,
    pub(crate) idempotent: bool,
}

impl RequestOptions {
    /// No setting: the client's apply.
    pub fn new() -> Self {
        Self::default()
    }

    /// The timeout of each attempt of this call, in place of the client's; `None` waits forever.
    pub fn timeout(mut self, timeout: Option<Duration>) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// A header sent with this call (an idempotency key, a correlation id); it replaces a
    /// header of the same name set on the client or by the operation. Like
    /// [`ClientConfig::header`](super::ClientConfig::header), the value of `Authorization`,
    /// `Proxy-Authorization` and `Cookie` is treated as a secret.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push(ExtraHeader::new(name.into(), Secret::new(value), false));
        self
    }

    /// A credential header sent with this call: redacted in `Debug`, marked sensitive for the
    /// HTTP stack, and never shown to a [`Hook`](super::Hook).
    pub fn secret_header(mut self, name: impl Into<String>, value: impl Into<Secret>) -> Self {
        self.headers.push(ExtraHeader::new(name.into(), value.into(), true));
        self
    }

    /// The retry policy of this call, in place of the client's.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// Says that sending this call twice does no harm (e.g. a POST that carries an
    /// idempotency key), so a POST or PATCH is retried like any other request.
    pub fn idempotent(mut self) -> Self {
        self.idempotent = true;
        self
    }
}
