//! Remote JWK Sets. (API outline; the implementation is in progress.)
#![forbid(unsafe_code)]

use std::sync::Arc;
use std::time::Duration;

use jwt_core::{Claims, Error, ErrorKind, JwkSet, Token, Validation};
use serde::de::DeserializeOwned;

/// A JWK Set fetched from a URL and kept fresh.
#[derive(Clone, Debug)]
pub struct RemoteJwkSet {
    _inner: Arc<()>,
}

/// Settings of a [`RemoteJwkSet`].
#[derive(Debug)]
pub struct Builder {
    _url: String,
}

impl RemoteJwkSet {
    /// From a JWKS URL.
    pub fn from_url(url: impl Into<String>) -> Builder {
        Builder { _url: url.into() }
    }

    /// From an issuer's OpenID discovery document.
    pub fn from_issuer(issuer: impl Into<String>) -> Builder {
        Builder {
            _url: issuer.into(),
        }
    }

    /// Verifies and validates `token` with the set's keys.
    ///
    /// # Errors
    ///
    /// As [`jwt_core::decode_with`]; [`ErrorKind::Unavailable`] when no set was fetched.
    pub async fn decode_with<C>(
        &self,
        token: &str,
        validation: &Validation,
    ) -> Result<Token<C>, Error>
    where
        C: Claims + DeserializeOwned,
    {
        let _ = (token, validation);
        Err(Error::new(ErrorKind::Unavailable, "not implemented"))
    }

    /// Fetches the set now.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Unavailable`].
    pub async fn refresh(&self) -> Result<Arc<JwkSet>, Error> {
        Err(Error::new(ErrorKind::Unavailable, "not implemented"))
    }

    /// The set in service, if any.
    pub fn snapshot(&self) -> Option<Arc<JwkSet>> {
        None
    }
}

impl Builder {
    /// Cool-down.
    #[must_use]
    pub fn cooldown(self, _cooldown: Duration) -> Builder {
        self
    }

    /// Builds; fetches nothing.
    ///
    /// # Errors
    ///
    /// A URL that is not HTTPS.
    pub fn build(self) -> Result<RemoteJwkSet, Error> {
        Ok(RemoteJwkSet {
            _inner: Arc::new(()),
        })
    }
}
