//! [`Builder`]: the settings of a [`RemoteJwkSet`], and the rule every URL it fetches
//! from must meet.

use std::fmt;
use std::net::IpAddr;
use std::time::Duration;

use jwt_core::{Error, ErrorKind};
use reqwest::Url;

use crate::RemoteJwkSet;

/// How long an unknown `kid` waits before it may cause another fetch, unless
/// [`Builder::cooldown`] says otherwise.
pub const DEFAULT_COOLDOWN: Duration = Duration::from_secs(30);
/// The shortest a fetched set is used before it is refreshed, unless
/// [`Builder::ttl_bounds`] says otherwise: 5 minutes.
pub const DEFAULT_MIN_TTL: Duration = Duration::from_secs(5 * 60);
/// The longest a fetched set is used before it is refreshed, unless
/// [`Builder::ttl_bounds`] says otherwise: 24 hours.
pub const DEFAULT_MAX_TTL: Duration = Duration::from_secs(24 * 60 * 60);
/// How long past its lifetime the last good set stays in service while refreshes fail,
/// unless [`Builder::max_stale`] says otherwise: 1 hour.
pub const DEFAULT_MAX_STALE: Duration = Duration::from_secs(60 * 60);
/// The largest response body read, unless [`Builder::max_body`] says otherwise: 1 MiB.
pub const DEFAULT_MAX_BODY: usize = 1024 * 1024;
/// The time allowed for one request, connecting and reading the body included, unless
/// [`Builder::timeout`] says otherwise.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);
/// How many redirects one request follows.
pub const MAX_REDIRECTS: usize = 3;

/// Where the set comes from.
#[derive(Clone, Debug)]
pub(crate) enum Source {
    /// A JWK Set URL.
    Jwks(Url),
    /// An issuer, exactly as configured, and its discovery document's URL.
    Issuer { issuer: String, discovery: Url },
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::Jwks(url) => write!(f, "{url}"),
            Source::Issuer { issuer, .. } => write!(f, "issuer {issuer}"),
        }
    }
}

/// The checked settings a [`RemoteJwkSet`] runs with.
#[derive(Clone, Debug)]
pub(crate) struct Config {
    pub(crate) source: Source,
    pub(crate) cooldown: Duration,
    pub(crate) min_ttl: Duration,
    pub(crate) max_ttl: Duration,
    pub(crate) max_stale: Duration,
    pub(crate) max_body: usize,
    pub(crate) timeout: Duration,
    pub(crate) insecure_loopback: bool,
}

/// What [`Builder`] was given to start from.
#[derive(Clone, Debug)]
enum Origin {
    Jwks(String),
    Issuer(String),
}

/// Settings of a [`RemoteJwkSet`], from [`RemoteJwkSet::from_url`] or
/// [`RemoteJwkSet::from_issuer`]. [`build`](Builder::build) checks them and fetches
/// nothing.
///
/// ```
/// use std::time::Duration;
/// use jwt_jwks::RemoteJwkSet;
///
/// let keys = RemoteJwkSet::from_url("https://auth.example.com/.well-known/jwks.json")
///     .cooldown(Duration::from_secs(60))
///     .ttl_bounds(Duration::from_secs(60), Duration::from_secs(6 * 3600))
///     .max_stale(Duration::from_secs(4 * 3600))
///     .max_body(256 * 1024)
///     .timeout(Duration::from_secs(5))
///     .build()?;
/// assert!(keys.snapshot().is_none()); // nothing fetched yet
/// # Ok::<(), jwt_core::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct Builder {
    origin: Origin,
    cooldown: Duration,
    min_ttl: Duration,
    max_ttl: Duration,
    max_stale: Duration,
    max_body: usize,
    timeout: Duration,
    insecure_loopback: bool,
}

impl Builder {
    fn new(origin: Origin) -> Builder {
        Builder {
            origin,
            cooldown: DEFAULT_COOLDOWN,
            min_ttl: DEFAULT_MIN_TTL,
            max_ttl: DEFAULT_MAX_TTL,
            max_stale: DEFAULT_MAX_STALE,
            max_body: DEFAULT_MAX_BODY,
            timeout: DEFAULT_TIMEOUT,
            insecure_loopback: false,
        }
    }

    pub(crate) fn jwks(url: String) -> Builder {
        Builder::new(Origin::Jwks(url))
    }

    pub(crate) fn issuer(issuer: String) -> Builder {
        Builder::new(Origin::Issuer(issuer))
    }

    /// The least time between two fetches that an unknown `kid` (or an expired set)
    /// may cause; default [`DEFAULT_COOLDOWN`] (30 s). Every fetch, successful or not,
    /// starts the cool-down, so a flood of tokens with made-up `kid`s costs the
    /// identity provider at most one request per cool-down.
    /// [`RemoteJwkSet::refresh`] ignores it.
    #[must_use]
    pub fn cooldown(mut self, cooldown: Duration) -> Builder {
        self.cooldown = cooldown;
        self
    }

    /// The bounds within which `Cache-Control: max-age` (less `Age`) sets how long a
    /// fetched set is used before it is refreshed; default [`DEFAULT_MIN_TTL`] (5 minutes)
    /// to [`DEFAULT_MAX_TTL`] (24 hours). A response without `max-age`, or with
    /// `no-cache` or `no-store`, gets `min`. `min` above `max` is refused by
    /// [`build`](Builder::build).
    #[must_use]
    pub fn ttl_bounds(mut self, min: Duration, max: Duration) -> Builder {
        self.min_ttl = min;
        self.max_ttl = max;
        self
    }

    /// How long past its lifetime the last good set stays in service while refreshes
    /// fail or return an invalid document; default [`DEFAULT_MAX_STALE`] (1 hour). After
    /// that the set is dropped and tokens are refused with
    /// [`ErrorKind::Unavailable`] until a fetch succeeds.
    #[must_use]
    pub fn max_stale(mut self, max_stale: Duration) -> Builder {
        self.max_stale = max_stale;
        self
    }

    /// The largest response body read, in bytes; default [`DEFAULT_MAX_BODY`] (1 MiB).
    /// A larger `Content-Length` is refused before the body is read, and a body without
    /// one is cut off as soon as it passes the limit.
    #[must_use]
    pub fn max_body(mut self, bytes: usize) -> Builder {
        self.max_body = bytes;
        self
    }

    /// The time allowed for one request, from connecting to the end of the body;
    /// default [`DEFAULT_TIMEOUT`] (10 s). Connecting alone gets at most 5 s of it.
    #[must_use]
    pub fn timeout(mut self, timeout: Duration) -> Builder {
        self.timeout = timeout;
        self
    }

    /// Allows plain `http://` to a loopback IP address (`127.0.0.0/8`, `::1`), for tests
    /// against a local server. Host names, `localhost` included, still need `https://`,
    /// since a name is only as loopback as the resolver says.
    #[must_use]
    pub fn allow_insecure_loopback(mut self) -> Builder {
        self.insecure_loopback = true;
        self
    }

    /// Checks the settings and builds the remote set; fetches nothing (the first
    /// [`decode_with`](RemoteJwkSet::decode_with) or [`refresh`](RemoteJwkSet::refresh)
    /// does).
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidKey`] (the source of keys cannot be used) when the URL or
    /// issuer is not an absolute `https://` URL (or `http://` to a loopback address with
    /// [`allow_insecure_loopback`](Builder::allow_insecure_loopback)), carries a user
    /// name or password, or when the TTL bounds are reversed.
    ///
    /// ```
    /// use jwt_core::ErrorKind;
    /// use jwt_jwks::RemoteJwkSet;
    ///
    /// let err = RemoteJwkSet::from_url("http://auth.example.com/jwks.json").build().unwrap_err();
    /// assert_eq!(err.kind(), ErrorKind::InvalidKey);
    /// ```
    pub fn build(self) -> Result<RemoteJwkSet, Error> {
        let source = match self.origin {
            Origin::Jwks(url) => Source::Jwks(checked_url(&url, self.insecure_loopback)?),
            Origin::Issuer(issuer) => {
                let url = checked_url(&issuer, self.insecure_loopback)?;
                if url.query().is_some() || url.fragment().is_some() {
                    return Err(invalid(format!(
                        "issuer {issuer:?} has a query or fragment, which OpenID discovery forbids"
                    )));
                }
                let discovery = discovery_url(&url);
                Source::Issuer { issuer, discovery }
            }
        };
        if self.min_ttl > self.max_ttl {
            return Err(invalid(format!(
                "ttl bounds are reversed: min {:?} exceeds max {:?}",
                self.min_ttl, self.max_ttl
            )));
        }
        RemoteJwkSet::new(Config {
            source,
            cooldown: self.cooldown,
            min_ttl: self.min_ttl,
            max_ttl: self.max_ttl,
            max_stale: self.max_stale,
            max_body: self.max_body,
            timeout: self.timeout,
            insecure_loopback: self.insecure_loopback,
        })
    }
}

pub(crate) fn invalid(message: String) -> Error {
    Error::new(ErrorKind::InvalidKey, message)
}

/// `{issuer}/.well-known/openid-configuration`, a trailing `/` of the issuer removed
/// first (OIDC Discovery 1.0 section 4).
fn discovery_url(issuer: &Url) -> Url {
    let mut url = issuer.clone();
    let path = format!(
        "{}/.well-known/openid-configuration",
        issuer.path().trim_end_matches('/')
    );
    url.set_path(&path);
    url
}

/// `text` as a URL the fetcher may use, or why not.
pub(crate) fn checked_url(text: &str, insecure_loopback: bool) -> Result<Url, Error> {
    let url = Url::parse(text).map_err(|error| {
        invalid(format!(
            "{:?} is not an absolute URL: {error}",
            excerpt(text)
        ))
    })?;
    permitted(&url, insecure_loopback).map_err(invalid)?;
    Ok(url)
}

/// Whether the fetcher may request `url`: `https://`, or `http://` to a loopback IP
/// address when allowed; never with credentials in it.
pub(crate) fn permitted(url: &Url, insecure_loopback: bool) -> Result<(), String> {
    if !url.username().is_empty() || url.password().is_some() {
        return Err(format!(
            "{} carries credentials; key sets are public",
            redacted(url)
        ));
    }
    match url.scheme() {
        "https" => Ok(()),
        "http" if insecure_loopback && is_loopback_ip(url) => Ok(()),
        "http" if insecure_loopback => Err(format!(
            "{url} is plain http to a host that is not a loopback IP address"
        )),
        "http" => Err(format!(
            "{url} is plain http; key sets must come over https"
        )),
        other => Err(format!(
            "{url} has scheme {other:?}; key sets must come over https"
        )),
    }
}

fn is_loopback_ip(url: &Url) -> bool {
    let Some(host) = url.host_str() else {
        return false;
    };
    let host = host
        .strip_prefix('[')
        .and_then(|rest| rest.strip_suffix(']'))
        .unwrap_or(host);
    host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// The URL without its user name and password, for messages.
fn redacted(url: &Url) -> String {
    let mut url = url.clone();
    // Only fails for URLs that cannot have credentials, which these have.
    let _ = url.set_username("");
    let _ = url.set_password(None);
    url.to_string()
}

/// At most 100 characters of `text`, for messages about configured or received strings.
pub(crate) fn excerpt(text: &str) -> &str {
    match text.char_indices().nth(100) {
        Some((at, _)) => text.get(..at).unwrap_or(text),
        None => text,
    }
}
