//! Replay protection and revocation of JSON Web Tokens by their `jti`.
//!
//! A [`ReplayGuard`] runs after a token's signature and claims were verified. In
//! [`Mode::Once`] it accepts each `jti` once and refuses it afterwards with
//! [`ErrorKind::Replayed`]; in both modes it refuses a revoked `jti` with
//! [`ErrorKind::Revoked`]. What was used or revoked is remembered by a [`ReplayStore`]
//! until the token's `exp` (plus the guard's [`leeway`](ReplayGuard::leeway)), after which
//! the token is refused for being expired anyway:
//!
//! - [`MemoryStore`]: one process, bounded, for a single server and for tests;
//! - [`RedisStore`]: shared by every server through Redis 7.0 or later (`SET key 1 NX
//!   EXAT exp`, after the revocation lookup, in one atomic script).
//!
//! The guard fails closed: a store that cannot answer (Redis unreachable, too slow, or a
//! full memory store) refuses the token with [`ErrorKind::Unavailable`], and the same
//! token passes once the store answers again.
//!
//! ```
//! use jwt_core::{ErrorKind, HmacKey, Validation, Verifier};
//! use jwt_replay::{MemoryStore, ReplayGuard};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), jwt_core::Error> {
//! let key = HmacKey::hs256(b"a secret of at least thirty-two bytes!")?;
//! let verifier = Verifier::new(key.clone(), Validation::new());
//! let guard = ReplayGuard::once(MemoryStore::new(100_000));
//!
//! let exp = jwt_core::NumericDate::now() + 60;
//! let token = jwt_core::encode(&serde_json::json!({"jti": "order-7", "exp": exp}), &key)?;
//!
//! let verified = verifier.decode_with::<serde_json::Value>(&token)?;
//! guard.check_token(&verified).await?; // the first use passes
//!
//! let again = verifier.decode_with::<serde_json::Value>(&token)?;
//! let err = guard.check_token(&again).await.unwrap_err();
//! assert_eq!(err.kind(), ErrorKind::Replayed);
//! # Ok(())
//! # }
//! ```
//!
//! With Redis, every server connects to the same instance under the same prefix:
//!
//! ```no_run
//! use jwt_replay::{RedisStore, ReplayGuard};
//!
//! # async fn run() -> Result<(), jwt_core::Error> {
//! let store = RedisStore::connect("redis://127.0.0.1:6379/", "myapi:jwt:").await?;
//! let guard = ReplayGuard::once(store);
//! # let _ = guard;
//! # Ok(())
//! # }
//! ```
//!
//! # What the guarantee rests on
//!
//! "Each `jti` once" holds as long as the store keeps what it recorded until `exp`:
//!
//! - A [`MemoryStore`] never drops a live entry: when it is full of entries that have
//!   not expired it refuses new ones with [`ErrorKind::Unavailable`] instead.
//! - Redis must not lose keys before they expire. Run it with `maxmemory-policy
//!   noeviction` (an evicting policy would forget used `jti`s under memory pressure; a
//!   refused write is reported as `Unavailable`), and with `appendonly yes` and
//!   `appendfsync always` if a restart must not forget them: a Redis that restarts
//!   without its data, or with the last second of writes lost under the default
//!   `appendfsync everysec`, accepts once more every `jti` it forgot until that token's
//!   `exp`. Replicas are asynchronous: a failover can lose the last writes in the same
//!   way.
//! - A write whose answer is lost (a timeout after Redis applied the `SET`) is reported
//!   as `Unavailable`; that token is then refused as `Replayed` if it is sent again.
//!   The error is on the side of refusing.
//!
//! - Expiry is judged by clocks: the store forgets a `jti` at `exp` by its own clock
//!   (Redis's, for a [`RedisStore`]), and each verifier accepts the token until `exp`
//!   plus its leeway by its own. Keep the clocks in sync and set [`ReplayGuard::leeway`]
//!   to the verifiers' leeway plus the clock skew allowed, so that no verifier still
//!   accepts a token whose `jti` the store has forgotten.
#![forbid(unsafe_code)]

use std::future::Future;

use jwt_core::{Error, ErrorKind, NumericDate, RegisteredClaim, Token};

mod jti;
mod memory;
mod redis_store;
#[cfg(feature = "testing")]
pub mod testing;

pub use jti::MAX_JTI_LEN;
pub use memory::MemoryStore;
pub use redis_store::{DEFAULT_TIMEOUT, RedisStore};

/// Where used and revoked `jti`s are remembered until their token's `exp`.
///
/// Implementations answer [`ErrorKind::Unavailable`] when they cannot answer (the guard
/// then refuses the token: fail closed), [`ErrorKind::InvalidClaim`] for a `jti` that is
/// empty or longer than [`MAX_JTI_LEN`] bytes, and [`ErrorKind::Expired`] when asked to
/// remember a `jti` until a time already past (it could not be remembered at all).
pub trait ReplayStore: Send + Sync {
    /// Records `jti` as used until `exp`: `true` the first time, `false` after.
    ///
    /// Atomic: of any number of concurrent calls for one `jti`, by any number of
    /// servers sharing the store, exactly one sees `true`.
    fn first_use(
        &self,
        jti: &str,
        exp: NumericDate,
    ) -> impl Future<Output = Result<bool, Error>> + Send;
    /// Revokes `jti` until `exp`.
    ///
    /// Revoking again keeps the later of the two times. Revoking until a time already
    /// past does nothing: such a token is refused as expired.
    fn revoke(&self, jti: &str, exp: NumericDate)
    -> impl Future<Output = Result<(), Error>> + Send;
    /// Whether `jti` is revoked.
    fn is_revoked(&self, jti: &str) -> impl Future<Output = Result<bool, Error>> + Send;

    /// The check of [`Mode::Once`]: whether `jti` is revoked, and if not, records its use
    /// until `exp`, as [`first_use`](ReplayStore::first_use) does.
    ///
    /// The default asks [`is_revoked`](ReplayStore::is_revoked), then
    /// [`first_use`](ReplayStore::first_use); a store may answer both in one step
    /// ([`RedisStore`] does, in one round trip).
    fn use_once(
        &self,
        jti: &str,
        exp: NumericDate,
    ) -> impl Future<Output = Result<Use, Error>> + Send {
        async move {
            if self.is_revoked(jti).await? {
                return Ok(Use::Revoked);
            }
            Ok(if self.first_use(jti, exp).await? {
                Use::First
            } else {
                Use::Replayed
            })
        }
    }
}

/// What [`ReplayStore::use_once`] found.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Use {
    /// The first use: recorded, the token passes.
    First,
    /// Used before: the token is a replay.
    Replayed,
    /// Revoked: nothing was recorded.
    Revoked,
}

/// What a [`ReplayGuard`] checks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Each `jti` is accepted once, and never when revoked.
    Once,
    /// A revoked `jti` is refused; others any number of times.
    RevocationOnly,
}

/// A store and a [`Mode`]: the check a verified token passes after its signature and
/// claims.
///
/// In [`Mode::Once`] a token must carry `jti` and `exp` (a `jti` without `exp` would have
/// to be remembered forever). In [`Mode::RevocationOnly`] a token without `jti` passes:
/// nothing can name it to revoke it; require `jti` in the verifier's
/// [`Validation`](jwt_core::Validation) if every token must be revocable.
#[derive(Debug)]
pub struct ReplayGuard<S> {
    store: S,
    mode: Mode,
    leeway: u64,
}

impl<S: ReplayStore> ReplayGuard<S> {
    /// Accepts each `jti` once.
    pub fn once(store: S) -> ReplayGuard<S> {
        ReplayGuard {
            store,
            mode: Mode::Once,
            leeway: 0,
        }
    }

    /// Refuses revoked `jti`s only.
    pub fn revocation_only(store: S) -> ReplayGuard<S> {
        ReplayGuard {
            store,
            mode: Mode::RevocationOnly,
            leeway: 0,
        }
    }

    /// Remembers each `jti` for `seconds` past its `exp` (default 0): set it to the
    /// verifier's leeway, which accepts a token until `exp + leeway`, so that the `jti` is
    /// remembered for as long as the token can pass.
    #[must_use]
    pub fn leeway(self, seconds: u64) -> ReplayGuard<S> {
        ReplayGuard {
            leeway: seconds,
            ..self
        }
    }

    /// The mode.
    pub fn mode(&self) -> Mode {
        self.mode
    }

    /// The store.
    pub fn store(&self) -> &S {
        &self.store
    }

    /// Checks a verified token's `jti` and `exp`.
    ///
    /// In [`Mode::Once`]: revocation is checked first, then the use is recorded; in
    /// [`Mode::RevocationOnly`] only revocation is checked, and a token without `jti`
    /// passes.
    ///
    /// # Errors
    ///
    /// - [`ErrorKind::MissingClaim`]: in [`Mode::Once`], no `jti` or no `exp`;
    /// - [`ErrorKind::InvalidClaim`]: the `jti` is empty or longer than [`MAX_JTI_LEN`];
    /// - [`ErrorKind::Expired`]: in [`Mode::Once`], `exp` plus the leeway has passed (the
    ///   decoder refuses such tokens first; a `jti` cannot be remembered until the past);
    /// - [`ErrorKind::Revoked`]: the `jti` is revoked;
    /// - [`ErrorKind::Replayed`]: in [`Mode::Once`], the `jti` was used before;
    /// - [`ErrorKind::Unavailable`]: the store cannot answer; the token is refused.
    pub async fn check(&self, jti: Option<&str>, exp: Option<NumericDate>) -> Result<(), Error> {
        match self.mode {
            Mode::RevocationOnly => match jti {
                None => Ok(()),
                Some(jti) => self.refuse_revoked(jti).await,
            },
            Mode::Once => {
                let jti = jti.ok_or_else(|| {
                    Error::for_claim(
                        ErrorKind::MissingClaim,
                        RegisteredClaim::Jti,
                        "`jti` is absent; each token must name itself to be accepted once",
                    )
                })?;
                let exp = exp.ok_or_else(|| {
                    Error::for_claim(
                        ErrorKind::MissingClaim,
                        RegisteredClaim::Exp,
                        "`exp` is absent; a `jti` cannot be remembered forever",
                    )
                })?;
                jti::check(jti)?;
                let until = self.remember_until(exp)?;
                match self.store.use_once(jti, until).await? {
                    Use::First => Ok(()),
                    Use::Replayed => Err(Error::for_claim(
                        ErrorKind::Replayed,
                        RegisteredClaim::Jti,
                        format!("`jti` {} was used before", jti::Quoted(jti)),
                    )),
                    Use::Revoked => Err(revoked(jti)),
                }
            }
        }
    }

    /// [`check`](ReplayGuard::check) on a verified token.
    ///
    /// # Errors
    ///
    /// As [`check`](ReplayGuard::check).
    pub async fn check_token<C>(&self, token: &Token<C>) -> Result<(), Error> {
        self.check(token.jti(), token.expires_at()).await
    }

    /// Revokes `jti` until `exp` plus the guard's leeway, for every guard sharing the
    /// store; it does nothing when that time has passed (the token is refused as expired).
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidClaim`] for an empty or too long `jti`;
    /// [`ErrorKind::Unavailable`] when the store cannot record it.
    pub async fn revoke(&self, jti: &str, exp: NumericDate) -> Result<(), Error> {
        jti::check(jti)?;
        self.store.revoke(jti, exp + self.leeway_secs()).await
    }

    async fn refuse_revoked(&self, jti: &str) -> Result<(), Error> {
        if self.store.is_revoked(jti).await? {
            Err(revoked(jti))
        } else {
            Ok(())
        }
    }

    /// Until when a token with this `exp` can pass, which must be ahead.
    fn remember_until(&self, exp: NumericDate) -> Result<NumericDate, Error> {
        let until = exp + self.leeway_secs();
        if until <= NumericDate::now() {
            return Err(Error::for_claim(
                ErrorKind::Expired,
                RegisteredClaim::Exp,
                format!("`exp` {exp} has passed; its `jti` cannot be remembered"),
            ));
        }
        Ok(until)
    }

    fn leeway_secs(&self) -> i64 {
        i64::try_from(self.leeway).unwrap_or(i64::MAX)
    }
}

fn revoked(jti: &str) -> Error {
    Error::for_claim(
        ErrorKind::Revoked,
        RegisteredClaim::Jti,
        format!("`jti` {} is revoked", jti::Quoted(jti)),
    )
}
