//! Retrying a transient failure: which outcomes are retried, how long to wait, and when to stop.
//!
//! This is our own code rather than `reqwest-retry`: that crate ignores `Retry-After`, which
//! Visma sends with its 429 answers, and it needs reqwest-middleware around the client. The
//! waits run on tokio's clock (reqwest already runs on tokio), so a paused test clock drives
//! them too.

use std::hash::{BuildHasher, Hasher};
use std::time::{Duration, SystemTime};

use reqwest::header::{HeaderMap, RETRY_AFTER};
use reqwest::{Method, StatusCode};

/// When a call is sent again after a transient failure, and how long it waits first.
///
/// Retried: a connection that could not be made, and the statuses 408, 429, 502, 503 and 504.
/// A `Retry-After` header (seconds or an HTTP date) sets the wait; otherwise it is exponential
/// backoff with full jitter: a random wait between zero and `initial × 2ⁿ` (at most `max`)
/// before retry `n + 1`. The retries stop after `max_attempts` attempts in all, or when the
/// next wait would end after the `budget` (counted from the first attempt); then the last
/// answer or error is returned as it is. A `Retry-After` longer than what is left of the
/// budget is not waited for.
///
/// Requests that are not idempotent (POST and PATCH) are never retried after an answer or a
/// broken connection, unless the spec marks the operation `idempotent` or the call opts in with
/// [`RequestOptions::idempotent`](super::RequestOptions::idempotent); a connection that could
/// not be opened is retried for every method, since nothing was sent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    budget: Duration,
}

impl Default for RetryPolicy {
    /// 4 attempts in all, backoff from 500 ms doubling up to 10 s, a 60 s budget.
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 4,
            initial_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(10),
            budget: Duration::from_secs(60),
        }
    }
}

impl RetryPolicy {
    /// The default policy: 4 attempts in all, backoff from 500 ms doubling up to 10 s, full
    /// jitter, a 60 s budget.
    pub fn new() -> Self {
        Self::default()
    }

    /// Never retries: every call is sent once.
    pub fn none() -> Self {
        RetryPolicy { max_attempts: 1, ..Self::default() }
    }

    /// How many times a call is sent at most, the first time included (at least 1).
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// The backoff before the first retry (doubled for each further one) and its cap.
    pub fn backoff(mut self, initial: Duration, max: Duration) -> Self {
        self.initial_backoff = initial;
        self.max_backoff = max.max(initial);
        self
    }

    /// How long a call may take in all, waits included, before no further attempt is made.
    pub fn budget(mut self, budget: Duration) -> Self {
        self.budget = budget;
        self
    }

    /// The backoff before retry `retry` (1 for the first), `unit` in `[0, 1)` being the jitter.
    fn backoff_for(&self, retry: u32, unit: f64) -> Duration {
        let doubled =
            self.initial_backoff.saturating_mul(1u32.checked_shl(retry.saturating_sub(1)).unwrap_or(u32::MAX));
        doubled.min(self.max_backoff).mul_f64(unit)
    }
}

/// The retry state of one call.
pub(crate) struct Retries<'a> {
    policy: &'a RetryPolicy,
    /// Whether the request may be sent twice (idempotent method, spec or caller).
    allowed: bool,
    started: tokio::time::Instant,
    attempt: u32,
}

impl<'a> Retries<'a> {
    pub(crate) fn new(policy: &'a RetryPolicy, method: &Method, idempotent: bool) -> Self {
        let safe = matches!(
            *method,
            Method::GET | Method::HEAD | Method::OPTIONS | Method::PUT | Method::DELETE | Method::TRACE
        );
        Retries { policy, allowed: safe || idempotent, started: tokio::time::Instant::now(), attempt: 0 }
    }

    /// Counts an attempt and returns its number (1 for the first).
    pub(crate) fn next_attempt(&mut self) -> u32 {
        self.attempt += 1;
        self.attempt
    }

    /// The wait before the next attempt after this answer, or `None`: return it.
    pub(crate) fn after_status(&self, status: StatusCode, headers: &HeaderMap) -> Option<Duration> {
        if !is_retried_status(status) {
            return None;
        }
        self.wait(retry_after(headers, SystemTime::now()))
    }

    /// The wait before the next attempt after this transport error, or `None`: return it.
    ///
    /// Only a failed connect is retried, and for every method: the request never left, so
    /// sending it again cannot do anything twice. (An error after the connection stood may
    /// come after the server acted, so it is returned.)
    pub(crate) fn after_error(&self, error: &reqwest::Error) -> Option<Duration> {
        if !error.is_connect() {
            return None;
        }
        self.wait_for(true, None)
    }

    fn wait(&self, retry_after: Option<Duration>) -> Option<Duration> {
        self.wait_for(self.allowed, retry_after)
    }

    fn wait_for(&self, allowed: bool, retry_after: Option<Duration>) -> Option<Duration> {
        if !allowed || self.attempt >= self.policy.max_attempts {
            return None;
        }
        let wait = retry_after.unwrap_or_else(|| self.policy.backoff_for(self.attempt, jitter()));
        (self.started.elapsed() + wait <= self.policy.budget).then_some(wait)
    }
}

/// The statuses that say "try again later": 408, 429, 502, 503, 504.
fn is_retried_status(status: StatusCode) -> bool {
    matches!(status.as_u16(), 408 | 429 | 502 | 503 | 504)
}

/// A number in `[0, 1)` for the jitter. `RandomState` is std's source of per-process random
/// keys (each new one on a thread is keyed anew), so no random-number crate is needed for
/// a spread that only has to keep clients from retrying in step; it is not cryptographic.
fn jitter() -> f64 {
    let bits = std::collections::hash_map::RandomState::new().build_hasher().finish();
    (bits >> 11) as f64 / (1u64 << 53) as f64
}

/// The wait a `Retry-After` header asks for: delta-seconds, or an HTTP date (IMF-fixdate, and
/// the obsolete RFC 850 and asctime forms) measured from `now`; a date in the past is zero.
pub(crate) fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let text = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = text.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let date = http_date(text)?;
    let now = chrono::DateTime::<chrono::Utc>::from(now);
    Some((date - now).to_std().unwrap_or(Duration::ZERO))
}

/// An HTTP date (RFC 9110 §5.6.7) in UTC.
fn http_date(text: &str) -> Option<chrono::DateTime<chrono::Utc>> {
    use chrono::NaiveDateTime;
    // IMF-fixdate: `Sun, 06 Nov 1994 08:49:37 GMT`; then RFC 850 and asctime.
    let naive = NaiveDateTime::parse_from_str(text, "%a, %d %b %Y %H:%M:%S GMT")
        .or_else(|_| NaiveDateTime::parse_from_str(text, "%A, %d-%b-%y %H:%M:%S GMT"))
        .or_else(|_| NaiveDateTime::parse_from_str(text, "%a %b %e %H:%M:%S %Y"))
        .ok()?;
    Some(naive.and_utc())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(retry_after: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(RETRY_AFTER, retry_after.parse().unwrap());
        headers
    }

    #[test]
    fn retry_after_reads_seconds_and_the_three_date_forms() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(784_111_767); // Sun, 06 Nov 1994 08:49:27 GMT
        assert_eq!(retry_after(&headers("120"), now), Some(Duration::from_secs(120)));
        assert_eq!(retry_after(&headers(" 0 "), now), Some(Duration::ZERO));
        for date in ["Sun, 06 Nov 1994 08:49:37 GMT", "Sunday, 06-Nov-94 08:49:37 GMT", "Sun Nov  6 08:49:37 1994"] {
            assert_eq!(retry_after(&headers(date), now), Some(Duration::from_secs(10)), "{date}");
        }
        assert_eq!(retry_after(&headers("Sun, 06 Nov 1994 08:00:00 GMT"), now), Some(Duration::ZERO), "past");
        assert_eq!(retry_after(&headers("soon"), now), None);
        assert_eq!(retry_after(&headers("-5"), now), None);
        assert_eq!(retry_after(&HeaderMap::new(), now), None);
    }

    #[test]
    fn backoff_doubles_up_to_the_cap_and_jitter_scales_it() {
        let policy = RetryPolicy::default();
        let halves: Vec<u128> = (1..=7).map(|retry| policy.backoff_for(retry, 0.5).as_millis()).collect();
        assert_eq!(halves, [250, 500, 1000, 2000, 4000, 5000, 5000]);
        assert_eq!(policy.backoff_for(3, 0.0), Duration::ZERO);
        assert_eq!(policy.backoff_for(u32::MAX, 0.5), Duration::from_secs(5), "no overflow");
        for _ in 0..1000 {
            let unit = jitter();
            assert!((0.0..1.0).contains(&unit), "{unit}");
        }
        assert_ne!(jitter(), jitter(), "each draw is keyed anew");
    }

    #[test]
    fn only_transient_statuses_are_retried() {
        let retried: Vec<u16> =
            (100..600).filter(|&code| is_retried_status(StatusCode::from_u16(code).unwrap())).collect();
        assert_eq!(retried, [408, 429, 502, 503, 504]);
    }
}
