//! [`JwtAuth`]: the verifier and where to look for the token, as kept in router state.

use std::fmt;
use std::sync::Arc;

use axum::extract::FromRef;
use axum::http::HeaderMap;
use jwt_core::{Claims, Validation, Verifier};
use serde::de::DeserializeOwned;

use crate::credentials::find_token;
use crate::{JwtRejection, RejectionKind};

/// A [`Verifier`] and how requests carry their token: what [`Jwt`](crate::Jwt) takes from
/// the router state (through [`FromRef`]) and what [`JwtLayer`](crate::JwtLayer) holds.
///
/// Built once at start-up; cloning it is one reference-count increment.
///
/// - The token is read from `Authorization: Bearer <token>` (scheme case-insensitive).
/// - [`realm`](JwtAuth::realm) adds `realm="..."` to every `WWW-Authenticate` challenge.
/// - [`cookie`](JwtAuth::cookie) also accepts the token from that cookie when no
///   `Authorization: Bearer` header is sent (the header wins when both are).
///
/// A state that is just a `Verifier` works too: `JwtAuth` converts from it with no realm
/// and no cookie. A larger state implements `FromRef<AppState> for JwtAuth`, or derives
/// it with axum's `FromRef` derive.
///
/// ```
/// use axum::{Router, extract::FromRef, routing::get};
/// use jwt_axum::{Jwt, JwtAuth};
/// use jwt_core::{HmacKey, Validation, Verifier};
///
/// #[derive(Clone)]
/// struct AppState {
///     auth: JwtAuth,
///     greeting: &'static str,
/// }
///
/// impl FromRef<AppState> for JwtAuth {
///     fn from_ref(state: &AppState) -> JwtAuth {
///         state.auth.clone()
///     }
/// }
///
/// async fn me(Jwt(claims): Jwt<serde_json::Value>) -> String {
///     claims["sub"].to_string()
/// }
///
/// let key = HmacKey::hs256(b"a secret of at least thirty-two bytes!")?;
/// let verifier = Verifier::new(key, Validation::new().issuer("https://auth.example.com"));
/// let auth = JwtAuth::new(verifier).realm("example").cookie("access_token");
/// let app: Router = Router::new()
///     .route("/me", get(me))
///     .with_state(AppState { auth, greeting: "hello" });
/// # Ok::<(), jwt_core::Error>(())
/// ```
#[derive(Clone)]
pub struct JwtAuth {
    inner: Arc<Config>,
}

#[derive(Clone)]
struct Config {
    keys: Keys,
    /// As it goes between the quotes of `realm="..."`: escaped, checked.
    realm: Option<Arc<str>>,
    cookie: Option<Box<str>>,
    #[cfg(feature = "replay")]
    replay: Option<Arc<dyn crate::replay::Check>>,
}

/// Where the keys come from.
#[derive(Clone)]
enum Keys {
    Local(Verifier),
    #[cfg(feature = "jwks")]
    Remote {
        set: jwt_jwks::RemoteJwkSet,
        validation: Validation,
    },
}

impl JwtAuth {
    /// Reads bearer tokens from the `Authorization` header and verifies them with
    /// `verifier`; no realm, no cookie.
    pub fn new(verifier: Verifier) -> JwtAuth {
        JwtAuth::with_keys(Keys::Local(verifier))
    }

    /// Verifies bearer tokens with the keys of a remote JWK Set, fetched and kept fresh
    /// by [`RemoteJwkSet`](jwt_jwks::RemoteJwkSet), under `validation`.
    ///
    /// A token is refused with `503` ([`ErrorKind::Unavailable`](jwt_core::ErrorKind))
    /// while no set could be fetched yet, or after the last good set has gone stale; an
    /// unknown `kid` makes the set refresh at most once per cool-down.
    ///
    /// ```no_run
    /// use axum::{Router, routing::get};
    /// use jwt_axum::{Jwt, JwtAuth};
    /// use jwt_core::Validation;
    /// use jwt_jwks::RemoteJwkSet;
    ///
    /// async fn me(Jwt(claims): Jwt<serde_json::Value>) -> String {
    ///     claims["sub"].to_string()
    /// }
    ///
    /// let keys = RemoteJwkSet::from_issuer("https://accounts.example.com").build()?;
    /// let validation = Validation::new()
    ///     .issuer("https://accounts.example.com")
    ///     .audience("my-api");
    /// let app: Router = Router::new()
    ///     .route("/me", get(me))
    ///     .with_state(JwtAuth::remote(keys, validation));
    /// # Ok::<(), jwt_core::Error>(())
    /// ```
    #[cfg(feature = "jwks")]
    pub fn remote(set: jwt_jwks::RemoteJwkSet, validation: Validation) -> JwtAuth {
        JwtAuth::with_keys(Keys::Remote { set, validation })
    }

    fn with_keys(keys: Keys) -> JwtAuth {
        JwtAuth {
            inner: Arc::new(Config {
                keys,
                realm: None,
                cookie: None,
                #[cfg(feature = "replay")]
                replay: None,
            }),
        }
    }

    /// Checks every verified token's `jti` with `guard` after its signature and claims:
    /// [`ReplayGuard::once`](jwt_replay::ReplayGuard::once) accepts each `jti` once,
    /// [`ReplayGuard::revocation_only`](jwt_replay::ReplayGuard::revocation_only) refuses
    /// revoked ones. A replayed or revoked token is `401` (`invalid_token`); a store that
    /// cannot answer refuses the request with `503`: the check is never skipped.
    ///
    /// ```
    /// use jwt_axum::JwtAuth;
    /// use jwt_core::{HmacKey, Validation, Verifier};
    /// use jwt_replay::{MemoryStore, ReplayGuard};
    ///
    /// let key = HmacKey::hs256(b"a secret of at least thirty-two bytes!")?;
    /// let auth = JwtAuth::new(Verifier::new(key, Validation::new()))
    ///     .replay(ReplayGuard::once(MemoryStore::new(100_000)));
    /// # Ok::<(), jwt_core::Error>(())
    /// ```
    #[cfg(feature = "replay")]
    #[must_use]
    pub fn replay<S>(self, guard: jwt_replay::ReplayGuard<S>) -> JwtAuth
    where
        S: jwt_replay::ReplayStore + 'static,
    {
        let guard: Arc<dyn crate::replay::Check> = Arc::new(guard);
        self.with(|config| config.replay = Some(guard))
    }

    /// Names the protection space in every challenge: `WWW-Authenticate: Bearer
    /// realm="<realm>"` (RFC 6750 section 3). Quotes and backslashes are escaped.
    ///
    /// # Panics
    ///
    /// When `realm` holds a character other than printable ASCII and space: it is
    /// configuration, and a header could not carry it.
    #[must_use]
    pub fn realm(self, realm: &str) -> JwtAuth {
        let mut escaped = String::with_capacity(realm.len());
        for c in realm.chars() {
            assert!(
                c == ' ' || c.is_ascii_graphic(),
                "realm {realm:?} holds a character a WWW-Authenticate header cannot carry"
            );
            if c == '"' || c == '\\' {
                escaped.push('\\');
            }
            escaped.push(c);
        }
        self.with(|config| config.realm = Some(escaped.into()))
    }

    /// Also reads the token from the cookie `name` when the request has no
    /// `Authorization: Bearer` header. The `Cookie` header is parsed strictly: the token
    /// cookie twice is `400`, an empty one counts as absent.
    ///
    /// # Panics
    ///
    /// When `name` is not an RFC 6265 cookie name (an HTTP token: letters, digits and
    /// ``!#$%&'*+-.^_`|~``).
    #[must_use]
    pub fn cookie(self, name: &str) -> JwtAuth {
        let tchar = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c);
        assert!(
            !name.is_empty() && name.chars().all(tchar),
            "{name:?} is not a cookie name"
        );
        self.with(|config| config.cookie = Some(name.into()))
    }

    fn with(self, change: impl FnOnce(&mut Config)) -> JwtAuth {
        let mut config = Arc::unwrap_or_clone(self.inner);
        change(&mut config);
        JwtAuth {
            inner: Arc::new(config),
        }
    }

    /// The verifier, unless the keys come from a remote set.
    pub fn verifier(&self) -> Option<&Verifier> {
        match &self.inner.keys {
            Keys::Local(verifier) => Some(verifier),
            #[cfg(feature = "jwks")]
            Keys::Remote { .. } => None,
        }
    }

    /// The validation tokens are checked against: its
    /// [`token_len_limit`](Validation::token_len_limit) bounds the credentials read.
    pub fn validation(&self) -> &Validation {
        match &self.inner.keys {
            Keys::Local(verifier) => verifier.validation(),
            #[cfg(feature = "jwks")]
            Keys::Remote { validation, .. } => validation,
        }
    }

    /// The cookie the token may come in, if one is configured.
    pub fn cookie_name(&self) -> Option<&str> {
        self.inner.cookie.as_deref()
    }

    /// Finds the request's token and verifies it as `C`.
    ///
    /// # Errors
    ///
    /// A [`JwtRejection`] of the kinds [`RejectionKind`] lists, missing token included.
    pub async fn verify<C>(&self, headers: &HeaderMap) -> Result<C, JwtRejection>
    where
        C: Claims + DeserializeOwned,
    {
        self.verify_if_present(headers)
            .await?
            .ok_or_else(|| self.reject(RejectionKind::MissingToken))
    }

    /// Like [`verify`](JwtAuth::verify), but a request that carries no token is
    /// `Ok(None)`; a token that is present must be valid.
    ///
    /// # Errors
    ///
    /// A [`JwtRejection`] for duplicate, oversized or malformed credentials, or a refused
    /// token.
    pub async fn verify_if_present<C>(&self, headers: &HeaderMap) -> Result<Option<C>, JwtRejection>
    where
        C: Claims + DeserializeOwned,
    {
        let Some(token) = self.find_token(headers)? else {
            return Ok(None);
        };
        self.verify_token(token).await.map(Some)
    }

    /// The request's token, if it carries one.
    pub(crate) fn find_token<'h>(
        &self,
        headers: &'h HeaderMap,
    ) -> Result<Option<&'h str>, JwtRejection> {
        let limit = self.validation().token_len_limit();
        find_token(headers, self.inner.cookie.as_deref(), limit).map_err(|kind| self.reject(kind))
    }

    /// Whether [`verify_token_now`](JwtAuth::verify_token_now) can decide every token:
    /// local keys and no store to ask.
    pub(crate) fn decides_at_once(&self) -> bool {
        #[cfg(feature = "replay")]
        if self.inner.replay.is_some() {
            return false;
        }
        matches!(self.inner.keys, Keys::Local(_))
    }

    /// Verifies `token` without waiting, when [`decides_at_once`](JwtAuth::decides_at_once).
    pub(crate) fn verify_token_now<C>(&self, token: &str) -> Option<Result<C, JwtRejection>>
    where
        C: Claims + DeserializeOwned,
    {
        if !self.decides_at_once() {
            return None;
        }
        match &self.inner.keys {
            Keys::Local(verifier) => {
                Some(verifier.decode(token).map_err(|error| self.refused(error)))
            }
            #[cfg(feature = "jwks")]
            Keys::Remote { .. } => None,
        }
    }

    /// Verifies `token` as `C`: signature and claims, then the replay check if one is
    /// configured.
    #[cfg_attr(
        not(any(feature = "jwks", feature = "replay")),
        expect(clippy::unused_async, reason = "awaits a remote set or a replay store")
    )]
    pub(crate) async fn verify_token<C>(&self, token: &str) -> Result<C, JwtRejection>
    where
        C: Claims + DeserializeOwned,
    {
        if let Some(verified) = self.verify_token_now(token) {
            return verified;
        }
        let token = match &self.inner.keys {
            Keys::Local(verifier) => verifier.decode_with::<C>(token),
            #[cfg(feature = "jwks")]
            Keys::Remote { set, validation } => set.decode_with::<C>(token, validation).await,
        }
        .map_err(|error| self.refused(error))?;
        #[cfg(feature = "replay")]
        if let Some(replay) = &self.inner.replay {
            replay
                .check(token.jti(), token.expires_at())
                .await
                .map_err(|error| self.refused(error))?;
        }
        Ok(token.into_claims())
    }

    pub(crate) fn reject(&self, kind: RejectionKind) -> JwtRejection {
        JwtRejection::new(kind, self.inner.realm.clone())
    }

    fn refused(&self, error: jwt_core::Error) -> JwtRejection {
        JwtRejection::refused(error, self.inner.realm.clone())
    }
}

impl From<Verifier> for JwtAuth {
    fn from(verifier: Verifier) -> JwtAuth {
        JwtAuth::new(verifier)
    }
}

/// A router whose state is a bare [`Verifier`] serves [`Jwt`](crate::Jwt) too.
impl FromRef<Verifier> for JwtAuth {
    fn from_ref(verifier: &Verifier) -> JwtAuth {
        JwtAuth::new(verifier.clone())
    }
}

impl fmt::Debug for JwtAuth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut debug = f.debug_struct("JwtAuth");
        match &self.inner.keys {
            Keys::Local(verifier) => debug.field("verifier", verifier),
            #[cfg(feature = "jwks")]
            Keys::Remote { set, validation } => {
                debug.field("remote", set).field("validation", validation)
            }
        };
        #[cfg(feature = "replay")]
        debug.field("replay", &self.inner.replay.is_some());
        debug
            .field("realm", &self.inner.realm)
            .field("cookie", &self.inner.cookie)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use jwt_core::{HmacKey, Validation};

    use super::*;

    fn auth() -> JwtAuth {
        let key = HmacKey::hs256(b"a secret of at least thirty-two bytes!").unwrap();
        JwtAuth::new(Verifier::new(key, Validation::new()))
    }

    #[test]
    fn the_realm_is_escaped_for_its_quoted_string() {
        let rejection = auth()
            .realm(r#"say "hi" \o/"#)
            .reject(RejectionKind::MissingToken);
        assert_eq!(rejection.challenge(), r#"Bearer realm="say \"hi\" \\o/""#);
    }

    #[test]
    #[should_panic(expected = "cannot carry")]
    fn a_realm_with_a_control_character_is_refused() {
        let _ = auth().realm("line\nbreak");
    }

    #[test]
    #[should_panic(expected = "is not a cookie name")]
    fn a_cookie_name_with_a_separator_is_refused() {
        let _ = auth().cookie("a=b");
    }

    #[test]
    fn builder_calls_keep_earlier_settings() {
        let auth = auth().cookie("access").realm("api");
        assert_eq!(auth.cookie_name(), Some("access"));
        let challenge = auth.reject(RejectionKind::MissingToken).challenge();
        assert_eq!(challenge, "Bearer realm=\"api\"");
    }
}
