//! When to try again, and how long to wait first.

use std::time::Duration;

/// The first wait; each retry doubles it, up to the configured maximum.
const BASE_DELAY: Duration = Duration::from_millis(250);

/// Exponential backoff with "equal jitter": half the step is fixed, half random, so that many
/// clients failing together do not retry together. `retry` counts from 0.
pub(crate) fn backoff(retry: u32, max: Duration) -> Duration {
    let step = BASE_DELAY.saturating_mul(1u32 << retry.min(16)).min(max);
    let half = step / 2;
    half + half.mul_f64(fastrand::f64())
}

/// The wait before the next attempt: the server's `Retry-After` when it gave one, else backoff;
/// never more than `max`.
pub(crate) fn delay(retry: u32, retry_after: Option<Duration>, max: Duration) -> Duration {
    match retry_after {
        Some(wait) => wait.min(max),
        None => backoff(retry, max),
    }
}

/// `Retry-After` in its seconds form (`Retry-After: 3`). The HTTP-date form is rare from API
/// servers and is ignored (backoff applies instead).
pub(crate) fn parse_retry_after(value: &str) -> Option<Duration> {
    let secs: f64 = value.trim().parse().ok()?;
    if secs.is_finite() && secs >= 0.0 {
        Some(Duration::from_secs_f64(secs.min(86_400.0)))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_with_jitter_and_is_capped() {
        for retry in 0..20 {
            let max = Duration::from_secs(2);
            let step = BASE_DELAY.saturating_mul(1 << retry.min(16)).min(max);
            let d = backoff(retry, max);
            assert!(d >= step / 2 && d <= step, "retry {retry}: {d:?}");
        }
    }

    #[test]
    fn retry_after_seconds_only_and_capped() {
        assert_eq!(parse_retry_after(" 2 "), Some(Duration::from_secs(2)));
        assert_eq!(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"), None);
        assert_eq!(parse_retry_after("-1"), None);
        let max = Duration::from_secs(1);
        assert_eq!(delay(0, Some(Duration::from_secs(30)), max), max);
    }
}
