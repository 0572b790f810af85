//! How long a fetched document may be used: `Cache-Control: max-age` less `Age`
//! (RFC 9111 sections 5.2.2.1 and 5.1), held within the configured bounds.

use std::time::Duration;

use reqwest::header::{AGE, CACHE_CONTROL, HeaderMap};

/// The lifetime of a response with these headers, within `[min, max]`.
///
/// Without `max-age` the lifetime is `min`; `no-store`, `no-cache` and an unreadable
/// `max-age` count as zero (so `min` too), as RFC 9111 section 4.2.1 asks of an invalid
/// freshness value. Several `max-age` directives: the smallest wins.
pub(crate) fn lifetime(headers: &HeaderMap, min: Duration, max: Duration) -> Duration {
    let Some(max_age) = max_age(headers) else {
        return min;
    };
    let age = age(headers).unwrap_or(0);
    Duration::from_secs(max_age.saturating_sub(age)).clamp(min, max)
}

/// The smallest `max-age` of every `Cache-Control` header, in seconds; zero for
/// `no-store`, `no-cache` or a malformed value; `None` when there is none of them.
fn max_age(headers: &HeaderMap) -> Option<u64> {
    let mut smallest: Option<u64> = None;
    let mut keep = |seconds: u64| smallest = Some(smallest.map_or(seconds, |s| s.min(seconds)));
    for value in headers.get_all(CACHE_CONTROL) {
        let Ok(value) = value.to_str() else {
            keep(0);
            continue;
        };
        for directive in value.split(',') {
            let (name, argument) = match directive.split_once('=') {
                Some((name, argument)) => (name.trim(), Some(argument.trim())),
                None => (directive.trim(), None),
            };
            if name.eq_ignore_ascii_case("no-store") || name.eq_ignore_ascii_case("no-cache") {
                keep(0);
            } else if name.eq_ignore_ascii_case("max-age") {
                keep(argument.and_then(delta_seconds).unwrap_or(0));
            }
        }
    }
    smallest
}

/// The `Age` header in seconds, when it is one well-formed value.
fn age(headers: &HeaderMap) -> Option<u64> {
    let value = headers.get(AGE)?.to_str().ok()?;
    delta_seconds(value.trim())
}

/// RFC 9111 `delta-seconds`: digits, also in the quoted form senders are known to use;
/// values too large for a `u64` saturate (section 1.2.2).
fn delta_seconds(text: &str) -> Option<u64> {
    let digits = text
        .strip_prefix('"')
        .and_then(|rest| rest.strip_suffix('"'))
        .unwrap_or(text);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(digits.parse().unwrap_or(u64::MAX))
}

#[cfg(test)]
mod tests {
    use reqwest::header::HeaderValue;

    use super::*;

    const MIN: Duration = Duration::from_secs(300);
    const MAX: Duration = Duration::from_secs(86_400);

    fn with(pairs: &[(&'static str, &'static str)]) -> Duration {
        let mut headers = HeaderMap::new();
        for (name, value) in pairs {
            headers.append(*name, HeaderValue::from_static(value));
        }
        lifetime(&headers, MIN, MAX)
    }

    fn secs(seconds: u64) -> Duration {
        Duration::from_secs(seconds)
    }

    #[test]
    fn max_age_sets_the_lifetime_within_the_bounds() {
        assert_eq!(with(&[("cache-control", "max-age=3600")]), secs(3600));
        assert_eq!(
            with(&[("cache-control", "public, MAX-AGE=\"7200\", must-revalidate")]),
            secs(7200)
        );
        assert_eq!(with(&[("cache-control", "max-age=60")]), MIN);
        assert_eq!(with(&[("cache-control", "max-age=999999999")]), MAX);
        assert_eq!(
            with(&[("cache-control", "max-age=99999999999999999999999")]),
            MAX
        );
    }

    #[test]
    fn no_header_gives_the_lower_bound() {
        assert_eq!(with(&[]), MIN);
        assert_eq!(with(&[("cache-control", "public")]), MIN);
        assert_eq!(with(&[("cache-control", "s-maxage=3600")]), MIN);
    }

    #[test]
    fn no_store_no_cache_and_malformed_values_count_as_zero() {
        for value in [
            "no-store, max-age=3600",
            "max-age=3600, no-cache",
            "max-age=-5",
            "max-age=1h",
            "max-age=",
            "max-age",
        ] {
            let mut headers = HeaderMap::new();
            headers.insert(CACHE_CONTROL, HeaderValue::from_static(value));
            assert_eq!(lifetime(&headers, secs(0), MAX), secs(0), "{value}");
        }
    }

    #[test]
    fn the_smallest_max_age_wins() {
        assert_eq!(
            with(&[
                ("cache-control", "max-age=9000"),
                ("cache-control", "max-age=4000")
            ]),
            secs(4000)
        );
        assert_eq!(
            with(&[("cache-control", "max-age=4000, max-age=9000")]),
            secs(4000)
        );
    }

    #[test]
    fn age_is_subtracted() {
        assert_eq!(
            with(&[("cache-control", "max-age=4000"), ("age", "1000")]),
            secs(3000)
        );
        assert_eq!(
            with(&[("cache-control", "max-age=4000"), ("age", "5000")]),
            MIN
        );
        assert_eq!(
            with(&[("cache-control", "max-age=4000"), ("age", "soon")]),
            secs(4000)
        );
    }
}
