//! [`JwtAuth`]: the verifier and where to look for the token, as kept in router state.

use std::fmt;
use std::sync::Arc;

use axum::extract::FromRef;
use axum::http::HeaderMap;
use jwt_core::{Claims, Verifier};
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
    verifier: Verifier,
    /// As it goes between the quotes of `realm="..."`: escaped, checked.
    realm: Option<Arc<str>>,
    cookie: Option<Box<str>>,
}

impl JwtAuth {
    /// Reads bearer tokens from the `Authorization` header and verifies them with
    /// `verifier`; no realm, no cookie.
    pub fn new(verifier: Verifier) -> JwtAuth {
        JwtAuth {
            inner: Arc::new(Config {
                verifier,
                realm: None,
                cookie: None,
            }),
        }
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

    /// The verifier.
    pub fn verifier(&self) -> &Verifier {
        &self.inner.verifier
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
    pub fn verify<C>(&self, headers: &HeaderMap) -> Result<C, JwtRejection>
    where
        C: Claims + DeserializeOwned,
    {
        self.verify_if_present(headers)?
            .ok_or_else(|| self.reject(RejectionKind::MissingToken))
    }

    /// Like [`verify`](JwtAuth::verify), but a request that carries no token is
    /// `Ok(None)`; a token that is present must be valid.
    ///
    /// # Errors
    ///
    /// A [`JwtRejection`] for duplicate, oversized or malformed credentials, or a refused
    /// token.
    pub fn verify_if_present<C>(&self, headers: &HeaderMap) -> Result<Option<C>, JwtRejection>
    where
        C: Claims + DeserializeOwned,
    {
        let limit = self.inner.verifier.validation().token_len_limit();
        let token = find_token(headers, self.inner.cookie.as_deref(), limit)
            .map_err(|kind| self.reject(kind))?;
        let Some(token) = token else {
            return Ok(None);
        };
        self.inner
            .verifier
            .decode(token)
            .map(Some)
            .map_err(|error| JwtRejection::refused(error, self.inner.realm.clone()))
    }

    pub(crate) fn reject(&self, kind: RejectionKind) -> JwtRejection {
        JwtRejection::new(kind, self.inner.realm.clone())
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
        f.debug_struct("JwtAuth")
            .field("verifier", &self.inner.verifier)
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
