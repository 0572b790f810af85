//! Which crate computes what: the one place that says it.
//!
//! | family | `rust_crypto.rs` (default) | `aws_lc.rs` (feature `aws-lc-rs`) |
//! |---|---|---|
//! | HMAC (HS*) | `hmac`, `sha2` | `aws-lc-rs` |
//! | RSA (RS*, PS*) | `rsa` | `aws-lc-rs` |
//! | ECDSA (ES*) | `p256`, `p384`, `p521` (`ecdsa`) | `aws-lc-rs` |
//! | `EdDSA` | `ed25519-dalek` | `aws-lc-rs` |
//!
//! With `aws-lc-rs` on, AWS-LC computes every algorithm whatever else is on; without it,
//! `RustCrypto` computes the families whose features are on.
//!
//! A backend is a module that provides these crate-private types, each prepared once
//! per key and bound to one algorithm; the family modules (`key/rsa.rs`, ...) check
//! sizes, curves and formats before they call it, and never name a crypto crate:
//!
//! - `HmacState::new(alg, secret)`, `.algorithm()`, `.with_tag(message, take)`,
//!   `.verify(message, tag) -> bool` (constant time).
//! - `RsaVerifier::new(alg, n, e)` (big-endian modulus and exponent, modulus size
//!   already checked), `.verify(message, signature)`.
//! - `RsaSigner::from_pkcs1_der(alg, der)`, `RsaSigner::generate(alg, bits)`,
//!   `.sign(message) -> Vec<u8>`, `.public_components() -> (n, e)`.
//! - `EcVerifier::from_sec1(alg, point)` (the curve is the algorithm's; the point is
//!   checked to lie on it), `.verify(message, r_and_s)`, `.uncompressed_point()`.
//! - `EcSigner::from_sec1(alg, der, scalar)` (a SEC1 `ECPrivateKey` and the scalar in
//!   it, each backend reads the one it takes), `EcSigner::generate(alg)`,
//!   `.sign(message, take)` (hands the raw `r || s` to `take`), `.verifier()`.
//! - `EdVerifier::from_bytes(bytes)` (small-order keys refused), `.verify(message,
//!   signature)` (strict: non-canonical `S` and small-order points refused),
//!   `.to_bytes()`.
//! - `EdSigner::from_seed(seed)`, `EdSigner::generate()`, `.sign(message, take)`,
//!   `.verifier()`.
//!
//! Every failure is an [`Error`](crate::Error): [`InvalidKey`](crate::ErrorKind) for a
//! key, [`InvalidSignature`](crate::ErrorKind) for a signature; nothing panics.

#[cfg(jwt_aws_lc)]
mod aws_lc;
#[cfg(jwt_aws_lc)]
use aws_lc as active;
#[cfg(not(jwt_aws_lc))]
mod rust_crypto;
#[cfg(not(jwt_aws_lc))]
use rust_crypto as active;

pub(crate) use active::HmacState;
#[cfg(jwt_ecdsa)]
pub(crate) use active::{EcSigner, EcVerifier};
#[cfg(jwt_eddsa)]
pub(crate) use active::{EdSigner, EdVerifier};
#[cfg(jwt_rsa)]
pub(crate) use active::{RsaSigner, RsaVerifier};
