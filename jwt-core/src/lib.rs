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
//! | `iss = runtime` | the token's `iss` must be present and one of the [`Validation`]'s issuers; a validation with none refuses every token ([`ErrorKind::InvalidIssuer`]) |
//! | `aud = "x"` or `aud = ["x", "y"]` | the token's `aud` (string or array) must be present and contain one of these |
//! | `aud = runtime` | the token's `aud` must be present and contain one of the [`Validation`]'s audiences; a validation with none refuses every token ([`ErrorKind::InvalidAudience`]) |
//! | `sub = "s"` | the token's `sub` must equal this |
//! | `typ = "at+jwt"` | the header `typ` must equal this (ignoring ASCII case and an `application/` prefix); `encode` writes it |
//! | `leeway = N` | seconds of clock skew allowed for `exp`, `nbf`, `iat` (default 0) |
//! | `max_age = N` | `iat` must be present and no older than N seconds (plus leeway) |
//! | `required = [jti, nbf, ...]` | registered claims that must be present |
//! | `allow_missing_exp` | accept a token without `exp` (refused by default) |
//! | `crate = "path"` | where the generated code finds this crate when it is renamed or re-exported (`crate = "my_jwt"`; default `::jwt_core`) |
//! | a value of `iss`, `aud`, `sub`, `typ` | a string literal, a path to a `&'static str` const (`iss = ISSUER`), `env!("VAR")` or `concat!(...)`; lists may mix them |
//!
//! A field may carry `#[jwt(validate = path::to::function)]`, a
//! `fn(&FieldType) -> Result<(), E: Display>` run after every other rule; its refusal
//! is an [`ErrorKind::Custom`] error.
//!
//! Fields whose JSON name is a registered claim must have its type: [`NumericDate`] for
//! `exp`, `nbf` and `iat`, [`Audience`] for `aud`, a [`StringClaim`] (`String`, `Box<str>`,
//! ..., or a newtype of one's own) for `iss`, `sub` and `jti`, or an `Option` of it (a
//! non-`Option` field makes the claim required). The registered claims in a token are
//! checked whether or not the struct has fields for them. A single declared `iss`, `aud`
//! or `sub` with no field of that name is written by [`encode`]; an `iss` or `aud`
//! configured at run time with no field of that name is written by [`encode_with`], from
//! the one value its [`Validation`] names.
//!
//! # Decoding rules
//!
//! In this order; the first failure is the error. Before any of them, a claims type
//! declared with `iss = runtime` (`aud = runtime`) and a [`Validation`] that names no
//! issuer (audience) refuse every token: [`ErrorKind::InvalidIssuer`]
//! ([`ErrorKind::InvalidAudience`]), a mistake of the caller's whatever the token.
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
//!    before this. Then the header's `typ` is checked against the claims type's
//!    ([`ErrorKind::InvalidType`]), before the payload is read.
//! 5. The payload is strict JSON and an object, read in one pass into the claims type
//!    while the registered claims are captured; a registered claim of the wrong JSON type
//!    or range is [`ErrorKind::InvalidClaim`], never "absent". Then the rules run: `exp`
//!    (`now < exp + leeway`, else [`ErrorKind::Expired`]; absent:
//!    [`ErrorKind::MissingClaim`] unless allowed), `nbf` (`nbf - leeway <= now`),
//!    `iat` (not in the future beyond leeway), maximum age, `iss`, `aud` (a token with an
//!    `aud` is refused by a verifier that expects none), `sub`, required claims, field
//!    validators. When the payload does not fit the claims type, its registered claims
//!    are still read and checked first, so that a broken rule (an expired token, another
//!    audience) is the error rather than the type's complaint; a field the type needs and
//!    the token lacks is [`ErrorKind::MissingClaim`].
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
//! [`VerifyingKey`]. A key is bound to one algorithm, and the verifier, never the token,
//! decides which algorithm is acceptable.
//!
//! [`HmacKey`] (HS256, HS384, HS512) is in every build; it refuses secrets shorter than
//! the hash, and secrets that are a PEM key or certificate or an SSH public key line
//! (the algorithm confusion of CVE-2022-29217). [`Jwk`] reads and writes one JSON Web
//! Key in every build. The asymmetric keys are cargo features, off by default so that an
//! HMAC-only build pulls no asymmetric crate:
//!
//! | feature | algorithms | built on |
//! |---|---|---|
//! | `rsa` | RS256, RS384, RS512, PS256, PS384, PS512 | `RustCrypto` `rsa` |
//! | `ecdsa` | ES256 (P-256), ES384 (P-384), ES512 (P-521) | `RustCrypto` `p256`, `p384`, `p521` |
//! | `eddsa` | `EdDSA` (Ed25519) | `ed25519-dalek`, strict verification |
//! | `aws-lc-rs` | all of the above, and HMAC | `aws-lc-rs` (AWS-LC; needs a C compiler) |
//!
//! Features are additive: with `aws-lc-rs` on, AWS-LC computes every algorithm whatever
//! else is on, and both backends pass the same tests.
//!
//! With any of them on, `PublicKey` (verifies; from SPKI or PKCS#1 PEM, DER or a JWK),
//! `KeyPair` (signs and verifies; from PKCS#8, PKCS#1 or SEC1 PEM, PKCS#8 DER, or
//! generated) and `JwkSet` (a set of public keys selected by the token's `kid`) exist;
//! asking for an algorithm whose feature is off is an [`ErrorKind::InvalidKey`] error
//! that names the feature. Keys are parsed and prepared once. RSA moduli must have 2048
//! to 8192 bits; ECDSA signatures are the raw `r || s` of RFC 7518 (DER is refused) with
//! `r` and `s` in `[1, n-1]`; PS* salts are as long as the hash; Ed25519 verification
//! refuses small-order keys and non-canonical signatures.
//!
//! Verifying tokens from an identity provider's JWK Set:
//!
//! ```
//! # #[cfg(any(feature = "eddsa", feature = "aws-lc-rs"))] {
//! use jwt_core::{JwkSet, NumericDate, Validation};
//! # use jwt_core::{Algorithm, KeyPair};
//! # let pair = KeyPair::generate(Algorithm::EdDSA)?.with_kid("2026-11");
//! # let published = JwkSet::from_keys([pair.public_key()])?.to_json();
//! # let mut claims = serde_json::Map::new();
//! # claims.insert("exp".into(), (NumericDate::now() + 60).as_secs().into());
//! # let token = jwt_core::encode(&claims, &pair)?;
//!
//! // `published` is the provider's `{"keys": [...]}`, fetched once and kept.
//! let keys = JwkSet::from_json(&published)?;
//! for skipped in keys.skipped() {
//!     eprintln!("left out {skipped}"); // encryption keys, unknown algorithms, ...
//! }
//! let claims: serde_json::Map<String, serde_json::Value> =
//!     jwt_core::decode_with(&token, &keys, &Validation::new())?.into_claims();
//! # }
//! # Ok::<(), jwt_core::Error>(())
//! ```
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
mod inspect;
mod json;
mod key;
mod null_claims;
mod registered;
mod time;
#[cfg(any(feature = "time", feature = "chrono"))]
mod time_conversions;
mod validation;
mod verifier;

#[doc(hidden)]
#[path = "private.rs"]
pub mod __private;

pub use __private::StringClaim;
pub use algorithm::Algorithm;
pub use audience::Audience;
pub use claims::{ClaimSet, Claims, ClaimsPolicy, MissingExp, RegisteredClaim};
pub use decode::{
    Token, Unverified, dangerous_unverified_decode, decode, decode_header, decode_with,
};
pub use encode::{encode, encode_with, encode_with_header};
pub use error::{Error, ErrorKind};
pub use header::Header;
pub use inspect::{Finding, Inspection, Part, inspect};
pub use key::{HmacKey, Jwk, KeyRing, RingKey, SigningKey, VerifyingKey};
#[cfg(jwt_asymmetric)]
pub use key::{JwkSet, KeyPair, PublicKey, SkippedKey};
pub use time::NumericDate;
pub use validation::{DEFAULT_MAX_TOKEN_LEN, Validation};
pub use verifier::Verifier;

/// Derives [`Claims`](trait@Claims) for a struct with named fields; see the crate docs
/// for its attributes.
#[cfg(feature = "derive")]
pub use jwt_derive::Claims;

#[doc = include_str!("../../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
