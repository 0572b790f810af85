//! [`Jwt`]: the extractor.

use std::ops::{Deref, DerefMut};

use axum::extract::{FromRef, FromRequestParts, OptionalFromRequestParts};
use axum::http::request::Parts;
use jwt_core::Claims;
use serde::de::DeserializeOwned;

use crate::{JwtAuth, JwtRejection};

/// Verified claims of type `C` from the request's bearer token.
///
/// As a handler argument it finds the token (`Authorization: Bearer`, or the cookie
/// [`JwtAuth::cookie`] names), verifies it with the [`JwtAuth`] taken from the router
/// state through [`FromRef`], and hands the handler the claims; a request it refuses gets
/// the [`JwtRejection`] response (`400`, `401` or `403`, see [`RejectionKind`](crate::RejectionKind)).
/// Behind a [`JwtLayer<C>`](crate::JwtLayer) it takes the claims the layer verified
/// instead of verifying again.
///
/// `Option<Jwt<C>>` makes the token optional: a request without one is `None`, while a
/// token that is present must be valid.
///
/// `C` must be `Sync + 'static` as well as `Send`, since claims verified by the layer
/// travel in the request's extensions.
///
/// ```
/// use axum::{Json, Router, routing::post};
/// use jwt_axum::Jwt;
/// use jwt_core::{Claims, HmacKey, NumericDate, Validation, Verifier};
/// use serde::{Deserialize, Serialize};
///
/// #[derive(Clone, Debug, Serialize, Deserialize, Claims)]
/// #[jwt(iss = "jiankaiwang", aud = "db-server", leeway = 30)]
/// struct DbUpdate {
///     sub: String,
///     exp: NumericDate,
///     timestamp: i64,
/// }
///
/// async fn update(Jwt(claims): Jwt<DbUpdate>) -> Json<serde_json::Value> {
///     Json(serde_json::json!({ "subject": claims.sub }))
/// }
///
/// let key = HmacKey::hs256(b"-----BEGIN PRIVATE KEY----------END PRIVATE KEY-----")?;
/// let app: Router = Router::new()
///     .route("/db/update", post(update))
///     .with_state(Verifier::new(key, Validation::new()));
/// # Ok::<(), jwt_core::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Jwt<C>(pub C);

impl<C> Jwt<C> {
    /// The claims.
    pub fn into_inner(self) -> C {
        self.0
    }
}

impl<C> Deref for Jwt<C> {
    type Target = C;

    fn deref(&self) -> &C {
        &self.0
    }
}

impl<C> DerefMut for Jwt<C> {
    fn deref_mut(&mut self) -> &mut C {
        &mut self.0
    }
}

impl<C, S> FromRequestParts<S> for Jwt<C>
where
    C: Claims + DeserializeOwned + Send + Sync + 'static,
    S: Send + Sync,
    JwtAuth: FromRef<S>,
{
    type Rejection = JwtRejection;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        if let Some(verified) = parts.extensions.remove::<Jwt<C>>() {
            return Ok(verified);
        }
        JwtAuth::from_ref(state)
            .verify(&parts.headers)
            .await
            .map(Jwt)
    }
}

impl<C, S> OptionalFromRequestParts<S> for Jwt<C>
where
    C: Claims + DeserializeOwned + Send + Sync + 'static,
    S: Send + Sync,
    JwtAuth: FromRef<S>,
{
    type Rejection = JwtRejection;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &S,
    ) -> Result<Option<Self>, Self::Rejection> {
        if let Some(verified) = parts.extensions.remove::<Jwt<C>>() {
            return Ok(Some(verified));
        }
        JwtAuth::from_ref(state)
            .verify_if_present(&parts.headers)
            .await
            .map(|claims| claims.map(Jwt))
    }
}
