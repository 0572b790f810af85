//! JSON Web Tokens whose claims are typed structs with derived validation.
//!
//! ```
//! use jwt_core::{Claims, HmacKey, NumericDate};
//! use serde::{Deserialize, Serialize};
//!
//! #[derive(Debug, Serialize, Deserialize, Claims)]
//! #[jwt(iss = "jiankaiwang", aud = "db-server", leeway = 30)]
//! struct DbUpdate {
//!     sub: String,
//!     exp: NumericDate,
//!     timestamp: i64,
//! }
//!
//! let key = HmacKey::hs256(b"-----BEGIN PRIVATE KEY----------END PRIVATE KEY-----")?;
//! let claims = DbUpdate { sub: "updating-db".into(), exp: NumericDate::now() + 600, timestamp: 1 };
//! let token: String = jwt_core::encode(&claims, &key)?; // writes iss and aud too
//! let back: DbUpdate = jwt_core::decode(&token, &key)?; // signature, alg, iss, aud, exp checked
//! assert_eq!(back.sub, "updating-db");
//! # Ok::<(), jwt_core::Error>(())
//! ```
//!
//! The claims type *is* the policy: `#[derive(Claims)]` and its `#[jwt(...)]` attributes
//! say which issuer, audience, subject, header `typ`, lifetime and clock skew make a
//! token acceptable, and [`decode`] enforces them with no separate configuration to
//! forget. A [`Validation`] passed to [`decode_with`] can add rules at run time (more
//! issuers to check, a fixed clock) but never switch one of the type's off.
//!
//! # The derive
//!
//! | attribute | meaning |
//! |---|---|
//! | `iss = "a"` or `iss = ["a", "b"]` | the token's `iss` must be present and one of these |
//! | `aud = "x"` or `aud = ["x", "y"]` | the token's `aud` (string or array) must be present and contain one of these |
//! | `sub = "s"` | the token's `sub` must equal this |
//! | `typ = "at+jwt"` | the header `typ` must equal this (ignoring ASCII case and an `application/` prefix); `encode` writes it |
//! | `leeway = N` | seconds of clock skew allowed for `exp`, `nbf`, `iat` (default 0) |
//! | `max_age = N` | `iat` must be present and no older than N seconds (plus leeway) |
//! | `required = [jti, nbf, ...]` | registered claims that must be present |
//! | `allow_missing_exp` | accept a token without `exp` (refused by default) |
//!
//! A field may carry `#[jwt(validate = path::to::function)]`, a
//! `fn(&FieldType) -> Result<(), E: Display>` run after every other rule; its refusal
//! is an [`ErrorKind::Custom`] error.
//!
//! Fields whose JSON name is a registered claim must have its type: [`NumericDate`] for
//! `exp`, `nbf` and `iat`, [`Audience`] for `aud`, `String` for `iss`, `sub` and `jti`, or
//! an `Option` of it (a non-`Option` field makes the claim required). The registered
//! claims in a token are checked whether or not the struct has fields for them. A
//! single declared `iss`, `aud` or `sub` with no field of that name is written by
//! [`encode`].
//!
//! # Decoding rules
//!
//! In this order; the first failure is the error.
//!
//! 1. A token longer than the limit (64 KiB unless [`Validation::max_token_len`] says
//!    otherwise) is refused before any parsing: [`ErrorKind::TooLong`].
//! 2. Exactly three segments of strict base64url (no padding, no `+ /`, no whitespace,
//!    canonical trailing bits): else [`ErrorKind::Malformed`].
//! 3. The header is strict JSON (below), an object with a string `alg` and, where
//!    present, string `typ`, `kid` and `cty` ([`ErrorKind::Malformed`]); `alg` equals the
//!    key's algorithm exactly ([`ErrorKind::AlgorithmMismatch`]; `none` never does). Any
//!    `crit` is refused ([`ErrorKind::CriticalHeader`]). Key material in the header
//!    (`jwk`, `jku`, `x5u`, `x5c`) is never used; `kid` only selects among the keys the
//!    caller supplied.
//! 4. The signature is checked in constant time over the exact received bytes of
//!    `header . payload` ([`ErrorKind::InvalidSignature`]). The payload is not parsed
//!    before this.
//! 5. The payload is strict JSON and an object, read in one pass into the claims type
//!    while the registered claims are captured; a registered claim of the wrong JSON type
//!    or range is [`ErrorKind::InvalidClaim`], never "absent". Then the rules run: `exp`
//!    (`now < exp + leeway`, else [`ErrorKind::Expired`]; absent:
//!    [`ErrorKind::MissingClaim`] unless allowed), `nbf` (`nbf - leeway <= now`),
//!    `iat` (not in the future beyond leeway), maximum age, `iss`, `aud` (a token with an
//!    `aud` is refused by a verifier that expects none), `sub`, `typ`, required claims,
//!    field validators.
//!
//! Strict JSON means UTF-8 with no byte-order mark, nothing after the value, no lone
//! surrogate escapes, no member name twice in any object, and at most 32 levels of
//! nesting. Times are [`NumericDate`]s: integers, or finite numbers rounded down, within
//! plus or minus `2^53 - 1`; time arithmetic saturates. No input makes decoding panic or
//! do more than linear work.
//!
//! # Keys
//!
//! [`encode`] takes any [`SigningKey`], [`decode`] and [`decode_with`] any
//! [`VerifyingKey`]; [`HmacKey`] is both. A key is bound to one algorithm, and the
//! verifier, never the token, decides which algorithm is acceptable.
#![forbid(unsafe_code)]
// Nothing that input can reach may panic: no unwrapping, no indexing, no panicking
// macros outside tests (clippy.toml lets the tests use them).
#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    clippy::unreachable,
    clippy::todo,
    clippy::unimplemented
)]

mod algorithm;
mod audience;
mod base64url;
mod claims;
mod decode;
mod encode;
mod error;
mod header;
mod json;
mod key;
mod null_claims;
mod registered;
mod time;
mod validation;

#[doc(hidden)]
#[path = "private.rs"]
pub mod __private;

pub use algorithm::Algorithm;
pub use audience::Audience;
pub use claims::{ClaimSet, Claims, ClaimsPolicy, MissingExp, RegisteredClaim};
pub use decode::{Token, dangerous_unverified_decode, decode, decode_header, decode_with};
pub use encode::{encode, encode_with_header};
pub use error::{Error, ErrorKind};
pub use header::Header;
pub use key::{HmacKey, Jwk, SigningKey, VerifyingKey};
#[cfg(jwt_asymmetric)]
pub use key::{JwkSet, KeyPair, PublicKey, SkippedKey};
pub use time::NumericDate;
pub use validation::{DEFAULT_MAX_TOKEN_LEN, Validation};

/// Derives [`Claims`](trait@Claims) for a struct with named fields; see the crate docs
/// for its attributes.
#[cfg(feature = "derive")]
pub use jwt_derive::Claims;

#[doc = include_str!("../../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
