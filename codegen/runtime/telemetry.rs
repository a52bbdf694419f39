//! A `tracing` span per call (the `tracing` feature); without the feature, nothing at all.
//!
//! The span records what the spec says of the operation (service, operation id, method, path
//! template) and of the last attempt (status, attempt number, latency): never a filled-in
//! path, a query, a header or a body, so no secret can reach a subscriber.

use std::future::Future;
use std::time::Duration;

use super::hooks::OperationInfo;

/// The span of one call.
pub(crate) struct CallSpan {
    #[cfg(feature = "tracing")]
    span: tracing::Span,
}

impl CallSpan {
    /// A span named `api_call` with the operation's fields.
    #[cfg_attr(not(feature = "tracing"), allow(unused_variables))]
    pub(crate) fn new(operation: Option<&'static OperationInfo>, method: &reqwest::Method) -> Self {
        #[cfg(feature = "tracing")]
        {
            let (service, id, path) = operation.map_or(("", "", ""), |info| (info.service, info.id, info.path));
            let span = tracing::info_span!(
                "api_call",
                service,
                operation = id,
                method = method.as_str(),
                path,
                status = tracing::field::Empty,
                attempt = tracing::field::Empty,
                latency_ms = tracing::field::Empty,
            );
            CallSpan { span }
        }
        #[cfg(not(feature = "tracing"))]
        CallSpan {}
    }

    /// Runs the call inside the span.
    pub(crate) async fn run<F: Future>(&self, call: F) -> F::Output {
        #[cfg(feature = "tracing")]
        {
            tracing::Instrument::instrument(call, self.span.clone()).await
        }
        #[cfg(not(feature = "tracing"))]
        call.await
    }

    /// Records an attempt's outcome (the last one recorded stays on the span); `status` is
    /// `None` when sending failed.
    #[cfg_attr(not(feature = "tracing"), allow(unused_variables))]
    pub(crate) fn attempt(&self, attempt: u32, status: Option<u16>, latency: Duration) {
        #[cfg(feature = "tracing")]
        {
            self.span.record("attempt", attempt);
            if let Some(status) = status {
                self.span.record("status", status);
            }
            self.span.record("latency_ms", latency.as_secs_f64() * 1000.0);
        }
    }

    /// Notes that the call is retried after `wait`.
    #[cfg_attr(not(feature = "tracing"), allow(unused_variables))]
    pub(crate) fn retrying(&self, attempt: u32, status: Option<u16>, wait: Duration) {
        #[cfg(feature = "tracing")]
        tracing::debug!(parent: &self.span, attempt, status, wait_ms = wait.as_millis() as u64, "retrying");
    }
}
