//! Remote JWK Sets for `jwt-core`: an identity provider's public keys, fetched over
//! HTTPS, cached as long as its `Cache-Control` says (within bounds), refreshed when a
//! token names an unknown `kid` (at most once per cool-down), and kept in service when a
//! refresh fails.
//!
//! ```no_run
//! use jwt_core::Validation;
//! use jwt_jwks::RemoteJwkSet;
//!
//! # async fn run(token: &str) -> Result<(), jwt_core::Error> {
//! // Built once at start-up; fetches nothing until first used.
//! let keys = RemoteJwkSet::from_issuer("https://auth.example.com").build()?;
//!
//! let validation = Validation::new()
//!     .issuer("https://auth.example.com")
//!     .audience("db-server");
//! let token = keys
//!     .decode_with::<serde_json::Value>(token, &validation)
//!     .await?;
//! println!("{}", token.claims());
//! # Ok(())
//! # }
//! ```
//!
//! # Behaviour
//!
//! - **Source.** [`RemoteJwkSet::from_url`] takes the JWK Set URL;
//!   [`RemoteJwkSet::from_issuer`] reads `{issuer}/.well-known/openid-configuration`
//!   (OIDC Discovery 1.0), checks that its `issuer` equals the configured one
//!   exactly, and fetches its `jwks_uri`. The `jwks_uri` found is kept; discovery runs
//!   again only after a fetch failed.
//! - **First use.** [`build`](Builder::build) fetches nothing. The first
//!   [`decode_with`](RemoteJwkSet::decode_with) fetches the set (one request for all
//!   callers that arrive meanwhile), or call [`refresh`](RemoteJwkSet::refresh) at
//!   start-up. When no set could be fetched, tokens are refused with
//!   [`ErrorKind::Unavailable`] (the token was not judged: HTTP `503`, not `401`).
//! - **Lifetime.** A set is used for `Cache-Control: max-age` less `Age` seconds, held
//!   within [`ttl_bounds`](Builder::ttl_bounds) (default 5 minutes to 24 hours); without
//!   `max-age`, or with `no-cache`/`no-store`, for the lower bound. `Expires` is not
//!   read. Once the lifetime has passed, the set keeps serving while one refresh runs
//!   in the background (stale-while-revalidate), so a request with a known `kid` never
//!   waits for the network.
//! - **Unknown `kid`.** A token whose `kid` is not in the set causes one fetch, after
//!   which it is checked once more; still unknown: [`ErrorKind::UnknownKey`]. Every
//!   fetch starts a [`cooldown`](Builder::cooldown) (default 30 s) during which no other
//!   is made except by [`refresh`](RemoteJwkSet::refresh); callers that arrive while a
//!   fetch runs wait for it and share its result (one request in flight). A token
//!   without `kid` never causes a refetch (only the first fetch, if no set is in service).
//! - **Failures.** A refresh that fails (network, timeout, a status other than `200`, a
//!   body over the limit) or returns an invalid document (not JSON, not a JWK Set, a key
//!   with malformed members, or no key this build can use: an empty set is treated as a
//!   failure, since it would refuse every token) leaves the last good set in service
//!   and logs a `WARN` event through `tracing` with the reason. The set stays in service
//!   until [`max_stale`](Builder::max_stale) (default 1 hour) past its lifetime; then
//!   it is dropped (another `WARN`) and tokens are refused with
//!   [`ErrorKind::Unavailable`] until a fetch succeeds. Unlike `PyJWKClient`, a failed
//!   refresh never empties the cache. A rotation picked up is an `INFO` event with the
//!   number of keys added and removed. No event carries key material.
//! - **Limits.** `https://` only; plain `http://` only to a loopback IP address and only
//!   with [`allow_insecure_loopback`](Builder::allow_insecure_loopback). At most
//!   [`MAX_REDIRECTS`] redirects, each to a permitted URL and never from `https` to
//!   `http`. Bodies over [`max_body`](Builder::max_body) (default 1 MiB) are refused: by
//!   their `Content-Length` before reading, or as soon as the streamed body passes the
//!   limit. Each request must finish within [`timeout`](Builder::timeout) (default 10
//!   s), connecting within at most 5 s of it.
//!
//! # With `Verifier` and axum
//!
//! A [`RemoteJwkSet`] is also a [`VerifyingKey`], so it can back a
//! [`jwt_core::Verifier`] and with it the `jwt-axum` extractor. That path is
//! synchronous and never waits for the network: it answers from the set in service
//! and, when the set has expired, is missing, or lacks the token's `kid`, starts a
//! fetch in the background (the same cool-down and single request apply), refusing
//! that token with [`ErrorKind::UnknownKey`] or [`ErrorKind::Unavailable`]. Call
//! [`refresh`](RemoteJwkSet::refresh) once at start-up so that the first requests find
//! a set.
//!
//! ```
//! use jwt_core::{ErrorKind, Validation, Verifier};
//! use jwt_jwks::RemoteJwkSet;
//!
//! let keys = RemoteJwkSet::from_url("https://auth.example.com/.well-known/jwks.json").build()?;
//! let verifier = Verifier::new(keys.clone(), Validation::new());
//! // Nothing fetched yet (a server would `keys.refresh().await` at start-up).
//! let token = "eyJhbGciOiJFZERTQSIsImtpZCI6ImsxIn0.e30.c2ln"; // {"alg":"EdDSA","kid":"k1"}
//! let err = verifier.decode::<serde_json::Value>(token).unwrap_err();
//! assert_eq!(err.kind(), ErrorKind::Unavailable);
//! # Ok::<(), jwt_core::Error>(())
//! ```
//!
//! A tokio runtime is needed to fetch: without one, fetching reports
//! [`ErrorKind::Unavailable`].
#![forbid(unsafe_code)]

mod builder;
mod cache_control;
mod fetch;

use std::collections::HashSet;
use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};
use std::time::{Duration, Instant};

use jwt_core::{Algorithm, Claims, Error, ErrorKind, JwkSet, Token, Validation, VerifyingKey};
use reqwest::{Client, Url};
use serde::de::DeserializeOwned;
use tokio::runtime::Handle;
use tokio::sync::{Mutex, OwnedMutexGuard};

use builder::Config;
pub use builder::{
    Builder, DEFAULT_COOLDOWN, DEFAULT_MAX_BODY, DEFAULT_MAX_STALE, DEFAULT_MAX_TTL,
    DEFAULT_MIN_TTL, DEFAULT_TIMEOUT, MAX_REDIRECTS,
};

/// A JWK Set fetched from a URL (or an issuer's discovery document) and kept fresh; see
/// the [crate docs](crate) for how.
///
/// Cloning it is one reference-count increment; clones share the cache, the cool-down
/// and the fetch in flight. Reading the set for a token whose `kid` is known takes a
/// short read lock and no `await`.
#[derive(Clone)]
pub struct RemoteJwkSet {
    inner: Arc<Inner>,
}

struct Inner {
    config: Config,
    client: Client,
    state: RwLock<State>,
    /// Held by the one fetch in flight; the others wait on it.
    fetcher: Arc<Mutex<Fetcher>>,
    /// Fetch attempts completed, so that a caller that waited for the lock can tell
    /// that an attempt ran meanwhile and take its result instead of making another.
    attempts: AtomicU64,
}

#[derive(Default)]
struct State {
    served: Option<Arc<Served>>,
    /// Why the last attempt failed; `None` after a success.
    last_error: Option<Arc<str>>,
}

/// The set in service and its times.
struct Served {
    set: Arc<JwkSet>,
    /// Past this, a refresh is due (the set still serves).
    fresh_until: Instant,
    /// Past this, the set is dropped from service.
    drop_at: Instant,
}

#[derive(Default)]
struct Fetcher {
    last_attempt: Option<Instant>,
    /// The `jwks_uri` discovery found.
    jwks_uri: Option<Url>,
}

impl RemoteJwkSet {
    /// A remote set read from the JWK Set at `url` (`https://`).
    ///
    /// ```
    /// let keys = jwt_jwks::RemoteJwkSet::from_url("https://www.googleapis.com/oauth2/v3/certs")
    ///     .build()?;
    /// # Ok::<(), jwt_core::Error>(())
    /// ```
    pub fn from_url(url: impl Into<String>) -> Builder {
        Builder::jwks(url.into())
    }

    /// A remote set found through the OIDC discovery document of `issuer`
    /// (`{issuer}/.well-known/openid-configuration`, whose `issuer` must equal this one
    /// exactly and whose `jwks_uri` must be `https://`).
    ///
    /// ```
    /// let keys = jwt_jwks::RemoteJwkSet::from_issuer("https://accounts.google.com").build()?;
    /// # Ok::<(), jwt_core::Error>(())
    /// ```
    pub fn from_issuer(issuer: impl Into<String>) -> Builder {
        Builder::issuer(issuer.into())
    }

    pub(crate) fn new(config: Config) -> Result<RemoteJwkSet, Error> {
        let client = fetch::client(&config)?;
        Ok(RemoteJwkSet {
            inner: Arc::new(Inner {
                config,
                client,
                state: RwLock::new(State::default()),
                fetcher: Arc::new(Mutex::new(Fetcher::default())),
                attempts: AtomicU64::new(0),
            }),
        })
    }

    /// Verifies and validates `token` with the set's keys, as
    /// [`jwt_core::decode_with`] does, fetching the set first if none is in service and
    /// once more (cool-down permitting) if the token's `kid` is not in it.
    ///
    /// ```no_run
    /// # async fn run(keys: jwt_jwks::RemoteJwkSet, token: &str) -> Result<(), jwt_core::Error> {
    /// use jwt_core::Validation;
    /// let token = keys
    ///     .decode_with::<serde_json::Value>(token, &Validation::new().audience("api"))
    ///     .await?;
    /// println!("signed by {:?}", token.header().kid);
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    ///
    /// As [`jwt_core::decode_with`]; [`ErrorKind::UnknownKey`] when the token's `kid` is
    /// not in the set even after a refresh (or the cool-down forbade one);
    /// [`ErrorKind::Unavailable`] when no set is in service (never fetched, or dropped
    /// after [`max_stale`](Builder::max_stale)), with the last fetch's failure in the
    /// message.
    pub async fn decode_with<C>(
        &self,
        token: &str,
        validation: &Validation,
    ) -> Result<Token<C>, Error>
    where
        C: Claims + DeserializeOwned,
    {
        // Read before the set is: an attempt that completes after this point may have
        // replaced the set this call finds wanting, so its result is this call's.
        let seen = self.inner.attempts.load(Ordering::Acquire);
        let served = self.inner.served_or_fetch(seen).await?;
        match jwt_core::decode_with(token, &*served.set, validation) {
            Err(error)
                if error.kind() == ErrorKind::UnknownKey
                    && names_unknown_kid(token, &served.set) =>
            {
                self.inner.fetch(false, seen).await?;
                let now = Instant::now();
                let again = self
                    .inner
                    .in_service(now)
                    .ok_or_else(|| self.inner.unavailable())?;
                if Arc::ptr_eq(&again.set, &served.set) {
                    return Err(error);
                }
                jwt_core::decode_with(token, &*again.set, validation)
            }
            result => result,
        }
    }

    /// Fetches the set now, whatever the cool-down; if a fetch is already in flight,
    /// waits for it and returns its result instead of starting another. A server calls
    /// this at start-up to fail fast and to have keys before the first request.
    ///
    /// ```no_run
    /// # async fn run() -> Result<(), jwt_core::Error> {
    /// let keys = jwt_jwks::RemoteJwkSet::from_issuer("https://auth.example.com").build()?;
    /// let set = keys.refresh().await?;
    /// println!("{} keys", set.len());
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Unavailable`] when the fetch fails or the document is not a usable
    /// JWK Set (the message says which); the set in service, if any, stays.
    pub async fn refresh(&self) -> Result<Arc<JwkSet>, Error> {
        let seen = self.inner.attempts.load(Ordering::Acquire);
        self.inner.fetch(true, seen).await?;
        let state = read(&self.inner.state);
        if let Some(reason) = &state.last_error {
            return Err(Error::new(
                ErrorKind::Unavailable,
                format!(
                    "cannot refresh the JWK Set from {}: {reason}",
                    self.inner.config.source
                ),
            ));
        }
        drop(state);
        self.snapshot().ok_or_else(|| self.inner.unavailable())
    }

    /// The set in service, if any: `None` before the first successful fetch and after
    /// the set was dropped for staleness. Fetches nothing.
    pub fn snapshot(&self) -> Option<Arc<JwkSet>> {
        self.inner
            .in_service(Instant::now())
            .map(|served| Arc::clone(&served.set))
    }
}

/// Whether the token's header names a `kid` that `set` lacks (rather than naming none).
fn names_unknown_kid(token: &str, set: &JwkSet) -> bool {
    jwt_core::decode_header(token)
        .ok()
        .and_then(|header| header.kid)
        .is_some_and(|kid| set.get(&kid).is_none())
}

fn read(lock: &RwLock<State>) -> RwLockReadGuard<'_, State> {
    lock.read().unwrap_or_else(PoisonError::into_inner)
}

fn write(lock: &RwLock<State>) -> RwLockWriteGuard<'_, State> {
    lock.write().unwrap_or_else(PoisonError::into_inner)
}

/// `start + span`, or as late as can be represented.
fn later(start: Instant, span: Duration) -> Instant {
    start
        .checked_add(span)
        .or_else(|| start.checked_add(Duration::from_secs(100 * 365 * 24 * 3600)))
        .unwrap_or(start)
}

impl Inner {
    /// The set in service at `now`; a set past its `drop_at` is dropped here.
    fn in_service(&self, now: Instant) -> Option<Arc<Served>> {
        let served = read(&self.state).served.clone()?;
        if now < served.drop_at {
            return Some(served);
        }
        let mut state = write(&self.state);
        match &state.served {
            Some(current) if Arc::ptr_eq(current, &served) => {
                state.served = None;
                tracing::warn!(
                    source = %self.config.source,
                    max_stale_secs = self.config.max_stale.as_secs(),
                    "jwk set dropped from service: no refresh succeeded within max_stale past its lifetime"
                );
                None
            }
            // A fetch replaced it meanwhile.
            other => other.clone().filter(|served| now < served.drop_at),
        }
    }

    /// The set in service, fetching one (or waiting for the fetch in flight) if there is
    /// none; starts a background refresh when the set's lifetime has passed.
    async fn served_or_fetch(self: &Arc<Self>, seen: u64) -> Result<Arc<Served>, Error> {
        let now = Instant::now();
        if let Some(served) = self.in_service(now) {
            if now >= served.fresh_until {
                self.spawn_attempt();
            }
            return Ok(served);
        }
        self.fetch(false, seen).await?;
        self.in_service(Instant::now())
            .ok_or_else(|| self.unavailable())
    }

    fn cooling_down(&self, fetcher: &Fetcher, now: Instant) -> bool {
        fetcher
            .last_attempt
            .is_some_and(|last| now.saturating_duration_since(last) < self.config.cooldown)
    }

    /// Runs one fetch attempt unless one completed since the caller read `seen` from
    /// [`attempts`](Inner::attempts), before it looked at the set (that attempt's result
    /// is then the caller's), or, without `force`, the cool-down forbids it. The attempt
    /// runs in its own task, so a caller that gives up does not cancel it for the
    /// others.
    async fn fetch(self: &Arc<Self>, force: bool, seen: u64) -> Result<(), Error> {
        let fetcher = Arc::clone(&self.fetcher).lock_owned().await;
        if self.attempts.load(Ordering::Acquire) != seen
            || (!force && self.cooling_down(&fetcher, Instant::now()))
        {
            return Ok(());
        }
        let runtime = Handle::try_current().map_err(|_| {
            Error::new(
                ErrorKind::Unavailable,
                "fetching a JWK Set needs a tokio runtime",
            )
        })?;
        runtime
            .spawn(Arc::clone(self).attempt(fetcher))
            .await
            .map_err(|_| Error::new(ErrorKind::Unavailable, "the JWK Set fetch task failed"))
    }

    /// Starts a fetch attempt in the background, unless one is in flight, the cool-down
    /// forbids it, or there is no runtime to run it on. Never waits.
    fn spawn_attempt(self: &Arc<Self>) {
        let Ok(fetcher) = Arc::clone(&self.fetcher).try_lock_owned() else {
            return;
        };
        if self.cooling_down(&fetcher, Instant::now()) {
            return;
        }
        if let Ok(runtime) = Handle::try_current() {
            runtime.spawn(Arc::clone(self).attempt(fetcher));
        }
    }

    /// One fetch, its result published, while holding the fetch lock.
    async fn attempt(self: Arc<Self>, mut lock: OwnedMutexGuard<Fetcher>) {
        let result = fetch::fetch(&self.client, &self.config, &mut lock.jwks_uri).await;
        let now = Instant::now();
        lock.last_attempt = Some(now);
        match result {
            Ok(fetched) => self.publish(fetched, now),
            Err(reason) => self.record_failure(&reason, now),
        }
        self.attempts.fetch_add(1, Ordering::Release);
    }

    fn publish(&self, fetched: fetch::Fetched, now: Instant) {
        let fresh_until = later(now, fetched.lifetime);
        let set = Arc::new(fetched.set);
        let served = Arc::new(Served {
            set: Arc::clone(&set),
            fresh_until,
            drop_at: later(fresh_until, self.config.max_stale),
        });
        let previous = {
            let mut state = write(&self.state);
            state.last_error = None;
            state.served.replace(served)
        };
        let ttl_secs = fetched.lifetime.as_secs();
        let url = &fetched.url;
        match previous {
            None => tracing::info!(
                url = %url,
                keys = set.len(),
                skipped = set.skipped().len(),
                ttl_secs,
                "jwk set fetched"
            ),
            Some(previous) => {
                let (added, removed) = changes(&previous.set, &set);
                if added + removed > 0 {
                    tracing::info!(
                        url = %url,
                        added,
                        removed,
                        keys = set.len(),
                        ttl_secs,
                        "jwk set rotation picked up"
                    );
                } else {
                    tracing::debug!(url = %url, keys = set.len(), ttl_secs, "jwk set refreshed, unchanged");
                }
            }
        }
    }

    fn record_failure(&self, reason: &str, now: Instant) {
        let reason: Arc<str> = reason.into();
        let mut state = write(&self.state);
        state.last_error = Some(Arc::clone(&reason));
        let source = &self.config.source;
        match &state.served {
            Some(served) if now < served.drop_at => tracing::warn!(
                source = %source,
                error = %reason,
                serves_for_secs = served.drop_at.saturating_duration_since(now).as_secs(),
                "jwk set refresh failed; the last good set stays in service"
            ),
            _ => tracing::warn!(
                source = %source,
                error = %reason,
                "jwk set fetch failed; no set in service"
            ),
        }
    }

    /// The error for a token that finds no set in service.
    fn unavailable(&self) -> Error {
        let source = &self.config.source;
        let message = match &read(&self.state).last_error {
            Some(reason) => format!("no JWK Set from {source} is in service: {reason}"),
            None => format!("no JWK Set from {source} is in service yet"),
        };
        Error::new(ErrorKind::Unavailable, message)
    }
}

/// How many keys `new` has that `old` lacks, and the reverse; a key is its `kid` and
/// its RFC 7638 thumbprint, so a `kid` reused for another key counts as a change.
fn changes(old: &JwkSet, new: &JwkSet) -> (usize, usize) {
    let ids = |set: &JwkSet| -> HashSet<(Option<String>, String)> {
        set.iter()
            .map(|key| (key.kid().map(str::to_owned), key.thumbprint()))
            .collect()
    };
    let (old, new) = (ids(old), ids(new));
    (new.difference(&old).count(), old.difference(&new).count())
}

/// The synchronous path, for [`jwt_core::Verifier`] and the axum extractor: it answers
/// from the set in service and never waits for the network. A missing or expired set,
/// or a `kid` the set lacks, starts a background fetch (cool-down permitting); the
/// token at hand is refused ([`ErrorKind::Unavailable`], [`ErrorKind::UnknownKey`]).
impl VerifyingKey for RemoteJwkSet {
    fn algorithm(&self, kid: Option<&str>) -> Result<Algorithm, Error> {
        let now = Instant::now();
        let Some(served) = self.inner.in_service(now) else {
            self.inner.spawn_attempt();
            return Err(self.inner.unavailable());
        };
        let result = served.set.algorithm(kid);
        let unknown = result.is_err() && kid.is_some_and(|kid| served.set.get(kid).is_none());
        if unknown || now >= served.fresh_until {
            self.inner.spawn_attempt();
        }
        result
    }

    fn verify(
        &self,
        kid: Option<&str>,
        signing_input: &[u8],
        signature: &[u8],
    ) -> Result<(), Error> {
        match self.inner.in_service(Instant::now()) {
            Some(served) => served.set.verify(kid, signing_input, signature),
            None => Err(self.inner.unavailable()),
        }
    }
}

impl fmt::Debug for RemoteJwkSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let keys = read(&self.inner.state)
            .served
            .as_ref()
            .map(|served| served.set.len());
        f.debug_struct("RemoteJwkSet")
            .field("source", &format_args!("{}", self.inner.config.source))
            .field("keys_in_service", &keys)
            .field("cooldown", &self.inner.config.cooldown)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn later_saturates_instead_of_panicking() {
        let now = Instant::now();
        assert!(later(now, Duration::MAX) > now);
        assert_eq!(
            later(now, Duration::from_secs(5)),
            now + Duration::from_secs(5)
        );
    }
}
