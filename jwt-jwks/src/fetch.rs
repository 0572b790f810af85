//! The HTTP side: one client with the limits set, a body read that stops at the size
//! limit, OIDC discovery, and the checks a fetched JWK Set must pass.

use std::fmt::Write as _;
use std::time::Duration;

use jwt_core::{Error, JwkSet};
use reqwest::header::{ACCEPT, HeaderMap};
use reqwest::redirect::Policy;
use reqwest::{Client, StatusCode, Url};
use serde::Deserialize;

use crate::builder::{self, Config, MAX_REDIRECTS, Source};
use crate::cache_control;

/// Connecting alone gets at most this much of the request's time.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// A client that follows at most [`MAX_REDIRECTS`] redirects, each to a URL the
/// configuration permits and never from `https` to `http`, and gives up after the
/// configured time.
pub(crate) fn client(config: &Config) -> Result<Client, Error> {
    let insecure_loopback = config.insecure_loopback;
    Client::builder()
        .redirect(Policy::custom(move |attempt| {
            match redirect_refusal(attempt.url(), attempt.previous(), insecure_loopback) {
                Some(reason) => attempt.error(reason),
                None => attempt.follow(),
            }
        }))
        .https_only(!insecure_loopback)
        .connect_timeout(config.timeout.min(CONNECT_TIMEOUT))
        .timeout(config.timeout)
        .user_agent(concat!("jwt-jwks/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|error| builder::invalid(format!("cannot build the HTTP client: {error}")))
}

/// Why a redirect to `next` must not be followed, after `previous` (the URLs requested
/// so far, the first one included).
pub(crate) fn redirect_refusal(
    next: &Url,
    previous: &[Url],
    insecure_loopback: bool,
) -> Option<String> {
    if previous.len() > MAX_REDIRECTS {
        return Some(format!("more than {MAX_REDIRECTS} redirects"));
    }
    if previous.last().is_some_and(|from| from.scheme() == "https") && next.scheme() != "https" {
        return Some(format!("redirect from https to {next} refused"));
    }
    builder::permitted(next, insecure_loopback)
        .err()
        .map(|reason| format!("redirect refused: {reason}"))
}

/// A set that passed every check, and how long it may be used.
pub(crate) struct Fetched {
    pub(crate) set: JwkSet,
    pub(crate) lifetime: Duration,
    pub(crate) url: Url,
}

/// The parts of a discovery document used here.
#[derive(Deserialize)]
struct Discovery {
    issuer: String,
    jwks_uri: String,
}

/// Fetches the set from `config`'s source; `jwks_uri` keeps the URL discovery found, so
/// that discovery runs again only after a failure.
pub(crate) async fn fetch(
    client: &Client,
    config: &Config,
    jwks_uri: &mut Option<Url>,
) -> Result<Fetched, String> {
    let url = match (&config.source, jwks_uri.as_ref()) {
        (Source::Jwks(url), _) | (Source::Issuer { .. }, Some(url)) => url.clone(),
        (Source::Issuer { issuer, discovery }, None) => {
            discover(client, config, issuer, discovery).await?
        }
    };
    let result = fetch_set(client, config, &url).await;
    *jwks_uri = match (&config.source, &result) {
        (Source::Issuer { .. }, Ok(_)) => Some(url),
        _ => None,
    };
    result
}

/// Reads the issuer's discovery document and returns its checked `jwks_uri`.
async fn discover(
    client: &Client,
    config: &Config,
    issuer: &str,
    discovery: &Url,
) -> Result<Url, String> {
    let (_, body) = get(client, config, discovery).await?;
    let document: Discovery = serde_json::from_slice(&body).map_err(|error| {
        format!("{discovery} is not a discovery document with string issuer and jwks_uri: {error}")
    })?;
    if document.issuer != issuer {
        return Err(format!(
            "{discovery} names issuer {:?}, not the configured {issuer:?}",
            builder::excerpt(&document.issuer)
        ));
    }
    let url = Url::parse(&document.jwks_uri).map_err(|error| {
        format!(
            "{discovery} has jwks_uri {:?}, not an absolute URL: {error}",
            builder::excerpt(&document.jwks_uri)
        )
    })?;
    builder::permitted(&url, config.insecure_loopback)
        .map_err(|reason| format!("{discovery} has an unusable jwks_uri: {reason}"))?;
    Ok(url)
}

/// Reads and checks the JWK Set at `url`.
async fn fetch_set(client: &Client, config: &Config, url: &Url) -> Result<Fetched, String> {
    let (headers, body) = get(client, config, url).await?;
    let json =
        std::str::from_utf8(&body).map_err(|_| format!("the JWK Set at {url} is not UTF-8"))?;
    let set = JwkSet::from_json(json).map_err(|error| format!("the JWK Set at {url}: {error}"))?;
    if set.is_empty() {
        let mut reason = format!("the JWK Set at {url} holds no usable key");
        for skipped in set.skipped().iter().take(4) {
            let _ = write!(reason, "; left out {skipped}");
        }
        return Err(reason);
    }
    for skipped in set.skipped() {
        tracing::debug!(url = %url, key = %skipped, "jwk set key left out");
    }
    Ok(Fetched {
        set,
        lifetime: cache_control::lifetime(&headers, config.min_ttl, config.max_ttl),
        url: url.clone(),
    })
}

/// GETs `url`: a `200` whose body, read as it arrives, stays within the limit; the
/// whole exchange within the configured time.
async fn get(client: &Client, config: &Config, url: &Url) -> Result<(HeaderMap, Vec<u8>), String> {
    tokio::time::timeout(config.timeout, get_unbounded_in_time(client, config, url))
        .await
        .map_err(|_| timed_out(config, url))?
}

fn timed_out(config: &Config, url: &Url) -> String {
    format!("{url} did not answer within {:?}", config.timeout)
}

async fn get_unbounded_in_time(
    client: &Client,
    config: &Config,
    url: &Url,
) -> Result<(HeaderMap, Vec<u8>), String> {
    let mut response = client
        .get(url.clone())
        .header(ACCEPT, "application/jwk-set+json, application/json")
        .send()
        .await
        .map_err(|error| describe(&error, config, url))?;
    let status = response.status();
    if status != StatusCode::OK {
        return Err(format!("{url} answered {status}"));
    }
    let limit = config.max_body;
    let announced = response.content_length();
    if let Some(length) = announced
        && length > limit as u64
    {
        return Err(format!(
            "{url} announced a body of {length} bytes, over the limit of {limit}"
        ));
    }
    let headers = std::mem::take(response.headers_mut());
    let capacity = announced.map_or(0, |length| usize::try_from(length).unwrap_or(limit));
    let mut body = Vec::with_capacity(capacity.min(limit));
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|error| describe(&error, config, url))?
    {
        if chunk.len() > limit - body.len() {
            return Err(format!(
                "the body from {url} passed the limit of {limit} bytes"
            ));
        }
        body.extend_from_slice(&chunk);
    }
    Ok((headers, body))
}

/// A reqwest error with its causes, which hold the useful part ("connection refused",
/// "more than 3 redirects"); a timeout says so as the outer limit does.
fn describe(error: &reqwest::Error, config: &Config, url: &Url) -> String {
    if error.is_timeout() {
        return timed_out(config, url);
    }
    let mut text = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        let _ = write!(text, ": {cause}");
        source = cause.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(text: &str) -> Url {
        Url::parse(text).unwrap()
    }

    #[test]
    fn a_redirect_from_https_to_http_is_refused() {
        let reason = redirect_refusal(
            &url("http://127.0.0.1/jwks"),
            &[url("https://auth.example.com/jwks")],
            true,
        )
        .unwrap();
        assert!(reason.contains("from https"), "{reason}");
    }

    #[test]
    fn a_redirect_to_plain_http_elsewhere_is_refused() {
        let reason = redirect_refusal(
            &url("http://auth.example.com/jwks"),
            &[url("http://127.0.0.1/jwks")],
            true,
        )
        .unwrap();
        assert!(reason.contains("not a loopback"), "{reason}");
        let reason = redirect_refusal(
            &url("http://auth.example.com/jwks"),
            &[url("https://auth.example.com/jwks")],
            false,
        )
        .unwrap();
        assert!(reason.contains("from https"), "{reason}");
    }

    #[test]
    fn the_fourth_redirect_is_refused() {
        let chain: Vec<Url> = (0..4)
            .map(|i| url(&format!("https://auth.example.com/{i}")))
            .collect();
        let next = url("https://auth.example.com/next");
        assert_eq!(redirect_refusal(&next, &chain[..3], false), None);
        let reason = redirect_refusal(&next, &chain, false).unwrap();
        assert!(reason.contains("more than 3 redirects"), "{reason}");
    }

    #[test]
    fn https_redirects_within_the_limit_are_followed() {
        assert_eq!(
            redirect_refusal(
                &url("https://keys.example.net/jwks"),
                &[url("https://auth.example.com/jwks")],
                false
            ),
            None
        );
    }
}
