//! Bearer JSON Web Tokens for [axum](https://docs.rs/axum) 0.8, verified with
//! [`jwt_core`].
//!
//! ```
//! use axum::{Router, routing::get};
//! use jwt_axum::Jwt;
//! use jwt_core::{HmacKey, Validation, Verifier};
//!
//! async fn me(Jwt(claims): Jwt<serde_json::Value>) -> String {
//!     format!("hello {}", claims["sub"])
//! }
//!
//! let key = HmacKey::hs256(b"a secret of at least thirty-two bytes!")?;
//! let verifier = Verifier::new(key, Validation::new().issuer("https://auth.example.com"));
//! let app: Router = Router::new().route("/me", get(me)).with_state(verifier);
//! # Ok::<(), jwt_core::Error>(())
//! ```
//!
//! - [`Jwt<C>`](Jwt) is an extractor for any claims type `C` (`#[derive(Claims)]` or
//!   untyped): it reads `Authorization: Bearer <token>` (RFC 6750 section 2.1, the
//!   scheme case-insensitive) or a configured cookie, verifies the token with the
//!   [`Verifier`](jwt_core::Verifier) from the router state, and applies the type's rules
//!   and the verifier's. `Option<Jwt<C>>` makes the token optional.
//! - [`JwtAuth`] is what the extractor takes from the state (through
//!   [`FromRef`](axum::extract::FromRef)): the verifier, a `realm` and a cookie name. A
//!   bare `Verifier` as state works too.
//! - [`JwtLayer<C>`](JwtLayer) verifies every request once, for routers where every route
//!   needs a token; `Jwt<C>` then takes the claims it verified.
//! - With the `jwks` feature, `JwtAuth::remote` takes its keys from a remote JWK Set
//!   (`jwt_jwks::RemoteJwkSet`) that follows the identity provider's rotations; with the
//!   `replay` feature, `JwtAuth::replay` checks each token's `jti` against a store
//!   shared by every server (`jwt_replay`, in memory or Redis), failing closed.
//! - [`JwtRejection`] is the refusal: its [`kind`](JwtRejection::kind) says why, and as a
//!   response it answers as RFC 6750 section 3 asks.
//!
//! # Responses
//!
//! | request | status | `WWW-Authenticate` |
//! |---|---|---|
//! | no `Authorization` header, or another scheme (and no token cookie) | `401` | `Bearer` (with `realm="..."` when configured), no error |
//! | token refused by the verifier (bad signature, expired, wrong issuer, ...) | `401` | `Bearer error="invalid_token", error_description="<kind>"` |
//! | a field validator refused a claim ([`ErrorKind::Custom`](jwt_core::ErrorKind::Custom)) | `403` | `Bearer error="insufficient_scope", error_description="claim refused by validator"` |
//! | a replayed or revoked `jti` ([`ErrorKind::Replayed`](jwt_core::ErrorKind::Replayed), [`ErrorKind::Revoked`](jwt_core::ErrorKind::Revoked)) | `401` | `Bearer error="invalid_token", error_description="token replayed"` (or `"token revoked"`) |
//! | a remote key set never fetched or gone stale, a replay store that cannot answer ([`ErrorKind::Unavailable`](jwt_core::ErrorKind::Unavailable)) | `503` | none; `Retry-After: 1` |
//! | two `Authorization` headers, the token cookie twice | `400` | `Bearer error="invalid_request", ...` |
//! | a credential longer than the verifier's token length limit | `400` | `Bearer error="invalid_request", ...` |
//! | `Bearer` without a token, or a token with characters outside RFC 6750's `b64token` | `400` | `Bearer error="invalid_request", ...` |
//!
//! The description is [`ErrorKind::as_str`](jwt_core::ErrorKind::as_str) for a refused
//! token ("token expired", "invalid signature", ...): it names the kind only, never a
//! key, a MAC or a claim value. The `400`s are RFC 6750 section 3.1's `invalid_request`
//! ("repeats the same parameter ... or is otherwise malformed"), answered before any
//! decoding. Each refusal is logged as a `tracing` event at debug level with its kind
//! only.
#![forbid(unsafe_code)]

mod auth;
mod credentials;
mod extract;
mod layer;
mod rejection;
#[cfg(feature = "replay")]
mod replay;

pub use auth::JwtAuth;
pub use extract::Jwt;
pub use layer::{JwtLayer, JwtService, ResponseFuture};
pub use rejection::{JwtRejection, RejectionKind};

#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
