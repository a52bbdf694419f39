//! The rate-limit headers of an answer (`X-RateLimit-Limit`, `-Remaining`, `-Reset`) as typed values.

use std::time::Duration;

use reqwest::header::HeaderMap;

/// What an answer's `X-RateLimit-*` headers say, as Visma.net sends them.
///
/// Each value is `None` when its header is missing or is not a whole number. The documents do
/// not say how Visma writes `X-RateLimit-Reset`; it is read as delta-seconds (the seconds until
/// the window resets), the form the IETF RateLimit-header draft uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct RateLimit {
    /// `X-RateLimit-Limit`: the requests allowed in the current window.
    pub limit: Option<u64>,
    /// `X-RateLimit-Remaining`: the requests left in the current window.
    pub remaining: Option<u64>,
    /// `X-RateLimit-Reset`: how long until the window resets.
    pub reset: Option<Duration>,
}

impl RateLimit {
    /// The rate limit of an answer with these headers; `None` when it has none of the three.
    pub fn from_headers(headers: &HeaderMap) -> Option<Self> {
        let number = |name: &str| headers.get(name)?.to_str().ok()?.trim().parse::<u64>().ok();
        let present = ["x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset"];
        if !present.iter().any(|name| headers.contains_key(*name)) {
            return None;
        }
        Some(RateLimit {
            limit: number("x-ratelimit-limit"),
            remaining: number("x-ratelimit-remaining"),
            reset: number("x-ratelimit-reset").map(Duration::from_secs),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_become_numbers_and_a_reset_in_seconds() {
        let mut headers = HeaderMap::new();
        assert_eq!(RateLimit::from_headers(&headers), None);
        headers.insert("X-RateLimit-Limit", "600".parse().unwrap());
        headers.insert("x-ratelimit-remaining", " 17 ".parse().unwrap());
        headers.insert("X-RATELIMIT-RESET", "42".parse().unwrap());
        let expected = RateLimit { limit: Some(600), remaining: Some(17), reset: Some(Duration::from_secs(42)) };
        assert_eq!(RateLimit::from_headers(&headers), Some(expected));
        headers.insert("x-ratelimit-remaining", "many".parse().unwrap());
        headers.remove("x-ratelimit-reset");
        let expected = RateLimit { limit: Some(600), remaining: None, reset: None };
        assert_eq!(RateLimit::from_headers(&headers), Some(expected));
    }
}
