//! Replay protection and revocation by `jti`. (API outline; the implementation is in
//! progress.)
#![forbid(unsafe_code)]

use std::future::Future;

use jwt_core::{Error, ErrorKind, NumericDate, Token};

/// Where used and revoked `jti`s are remembered until their token's `exp`.
pub trait ReplayStore: Send + Sync {
    /// Records `jti` as used until `exp`: `true` the first time, `false` after.
    fn first_use(
        &self,
        jti: &str,
        exp: NumericDate,
    ) -> impl Future<Output = Result<bool, Error>> + Send;
    /// Revokes `jti` until `exp`.
    fn revoke(&self, jti: &str, exp: NumericDate)
    -> impl Future<Output = Result<(), Error>> + Send;
    /// Whether `jti` is revoked.
    fn is_revoked(&self, jti: &str) -> impl Future<Output = Result<bool, Error>> + Send;
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
#[derive(Debug)]
pub struct ReplayGuard<S> {
    store: S,
    mode: Mode,
}

impl<S: ReplayStore> ReplayGuard<S> {
    /// Accepts each `jti` once.
    pub fn once(store: S) -> ReplayGuard<S> {
        ReplayGuard {
            store,
            mode: Mode::Once,
        }
    }

    /// Refuses revoked `jti`s only.
    pub fn revocation_only(store: S) -> ReplayGuard<S> {
        ReplayGuard {
            store,
            mode: Mode::RevocationOnly,
        }
    }

    /// The store.
    pub fn store(&self) -> &S {
        &self.store
    }

    /// Checks a verified token's `jti` and `exp`.
    ///
    /// # Errors
    ///
    /// `MissingClaim`, `Revoked`, `Replayed`, `Unavailable`.
    pub async fn check(&self, jti: Option<&str>, exp: Option<NumericDate>) -> Result<(), Error> {
        let _ = (jti, exp, self.mode, &self.store);
        Err(Error::new(ErrorKind::Unavailable, "not implemented"))
    }

    /// [`check`](ReplayGuard::check) on a verified token.
    ///
    /// # Errors
    ///
    /// As [`check`](ReplayGuard::check).
    pub async fn check_token<C>(&self, token: &Token<C>) -> Result<(), Error> {
        self.check(token.jti(), token.expires_at()).await
    }
}
