//! Which crate computes what: the one place that says it.
//!
//! | family | backend | crates |
//! |---|---|---|
//! | RSA (RS*, PS*) | [`rust_crypto`] | `rsa` |
//! | ECDSA (ES*) | [`rust_crypto`] | `p256`, `p384`, `p521` (`ecdsa`) |
//! | `EdDSA` | [`rust_crypto`] | `ed25519-dalek` |
//! | HMAC | `key/hmac.rs` | `hmac`, `sha2` |
//!
//! A backend is a module that provides these crate-private types, each prepared once
//! per key and bound to one algorithm; the family modules (`key/rsa.rs`, ...) check
//! sizes, curves and formats before they call it, and never name a crypto crate:
//!
//! - `RsaVerifier::new(alg, n, e)` (big-endian modulus and exponent, modulus size
//!   already checked), `.verify(message, signature)`.
//! - `RsaSigner::from_pkcs1_der(alg, der)`, `RsaSigner::generate(alg, bits)`,
//!   `.sign(message) -> Vec<u8>`, `.public_components() -> (n, e)`.
//! - `EcVerifier::from_sec1(alg, point)` (the curve is the algorithm's; the point is
//!   checked to lie on it), `.verify(message, r_and_s)`, `.uncompressed_point()`.
//! - `EcSigner::from_scalar(alg, bytes)`, `EcSigner::generate(alg)`,
//!   `.sign(message, take)` (hands the raw `r || s` to `take`), `.verifier()`.
//! - `EdVerifier::from_bytes(bytes)` (small-order keys refused), `.verify(message,
//!   signature)` (strict: non-canonical `S` and small-order points refused),
//!   `.to_bytes()`.
//! - `EdSigner::from_seed(seed)`, `EdSigner::generate()`, `.sign(message, take)`,
//!   `.verifier()`.
//!
//! Every failure is an [`Error`](crate::Error): [`InvalidKey`](crate::ErrorKind) for a
//! key, [`InvalidSignature`](crate::ErrorKind) for a signature; nothing panics.

mod rust_crypto;

#[cfg(jwt_ecdsa)]
pub(crate) use rust_crypto::{EcSigner, EcVerifier};
#[cfg(jwt_eddsa)]
pub(crate) use rust_crypto::{EdSigner, EdVerifier};
#[cfg(jwt_rsa)]
pub(crate) use rust_crypto::{RsaSigner, RsaVerifier};
