//! Keys: the [`SigningKey`] and [`VerifyingKey`] traits and the keys that implement them.
//!
//! - `hmac.rs`: [`HmacKey`] (HS256, HS384, HS512), in every build.
//! - `jwk.rs`: [`Jwk`], one JSON Web Key, in every build.
//! - `asymmetric.rs`: [`PublicKey`] and [`KeyPair`], which dispatch to one file per family:
//!   `rsa.rs` (RS*, PS*), `ecdsa.rs` (ES*), `eddsa.rs` (`EdDSA`). Each family decides what
//!   a key of it must look like (sizes, curves, JWK members) and leaves the arithmetic
//!   to the backend.
//! - `pem.rs`: the key formats (PEM, SPKI, PKCS#8) and which family a key belongs to.
//! - `jwk_set.rs`: [`JwkSet`], a set of public keys selected by `kid`.
//! - `ring.rs`: [`KeyRing`], keys of any kind, HMAC included, selected by `kid`.
//! - `backend/`: the one place that says which crate computes what (`RustCrypto`, or
//!   AWS-LC with the `aws-lc-rs` feature), HMAC included.
//!
//! A family exists when its cargo feature is on (`build.rs` names them `jwt_rsa`,
//! `jwt_ecdsa`, `jwt_eddsa`, and `jwt_asymmetric` for any of them); the `cfg`s stand at
//! the edges of these modules, not inside their logic.

#[cfg(doc)]
use crate::ErrorKind;
use crate::{Algorithm, Error};

mod hmac;
mod jwk;
mod ring;

#[cfg(jwt_asymmetric)]
mod asymmetric;
mod backend;
#[cfg(jwt_ecdsa)]
mod ecdsa;
#[cfg(jwt_eddsa)]
mod eddsa;
#[cfg(jwt_asymmetric)]
mod jwk_set;
#[cfg(jwt_asymmetric)]
mod pem;
#[cfg(jwt_rsa)]
mod rsa;

#[cfg(jwt_asymmetric)]
pub use asymmetric::{KeyPair, PublicKey};
pub use hmac::HmacKey;
pub use jwk::Jwk;
#[cfg(jwt_asymmetric)]
pub use jwk_set::{JwkSet, SkippedKey};
pub use ring::{KeyRing, RingKey};

/// The key a token's `kid` selects in a set of keys (`what` names the set in messages):
/// the key with that `kid` (found by `get`), or without a `kid`, the set's only key;
/// otherwise [`ErrorKind::UnknownKey`].
pub(crate) fn select_by_kid<'a, T>(
    keys: &'a [T],
    kid: Option<&str>,
    get: impl FnOnce(&str) -> Option<&'a T>,
    what: &str,
) -> Result<&'a T, Error> {
    use crate::ErrorKind;
    use crate::error::Excerpt;
    match kid {
        Some(kid) => get(kid).ok_or_else(|| {
            Error::new(
                ErrorKind::UnknownKey,
                format!("the {what} has no key with kid {}", Excerpt(kid)),
            )
        }),
        None => match keys {
            [only] => Ok(only),
            keys => Err(Error::new(
                ErrorKind::UnknownKey,
                format!(
                    "the token names no kid and the {what} holds {} keys",
                    keys.len()
                ),
            )),
        },
    }
}

/// A key that signs tokens. It knows its algorithm: [`encode`](crate::encode) writes that
/// algorithm into the header and nothing else.
pub trait SigningKey {
    /// The algorithm this key signs with.
    fn algorithm(&self) -> Algorithm;

    /// The key id that [`encode`](crate::encode) writes into the header, if any.
    fn kid(&self) -> Option<&str>;

    /// Signs the JWS signing input (`base64url(header) . base64url(payload)`).
    ///
    /// # Errors
    ///
    /// When the key cannot produce a signature.
    fn sign(&self, signing_input: &[u8]) -> Result<Vec<u8>, Error>;

    /// Signs as [`sign`](SigningKey::sign) does, into `out`: the length of the signature
    /// when it fits there (at most `out.len()`), `None` when the key leaves it to `sign`.
    /// Encoding calls this first with a 64-byte buffer, so that a key that writes its
    /// signature saves an allocation per token; a length beyond the buffer is an
    /// [`ErrorKind::Encode`] error.
    ///
    /// The provided method returns `None`. [`HmacKey`](crate::HmacKey) writes its MAC,
    /// and so do the keys whose signatures fit (ES256 and `EdDSA`).
    ///
    /// # Errors
    ///
    /// When the key cannot produce a signature.
    fn sign_into(&self, signing_input: &[u8], out: &mut [u8]) -> Result<Option<usize>, Error> {
        let _ = (signing_input, out);
        Ok(None)
    }
}

/// A key, or a set of keys, that verifies tokens.
///
/// The verifier decides the algorithm, never the token: decoding asks
/// [`algorithm`](VerifyingKey::algorithm) which algorithm the header must name and
/// refuses any other before the signature is looked at. A key set selects among the keys
/// its owner supplied by the header's `kid`; a single key ignores `kid`.
pub trait VerifyingKey {
    /// The algorithm a token whose header names `kid` must be signed with.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::UnknownKey`] when a key set holds no key for `kid`, or when `kid` is
    /// `None` and the set holds more than one key.
    fn algorithm(&self, kid: Option<&str>) -> Result<Algorithm, Error>;

    /// Checks `signature` over `signing_input`, in constant time.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidSignature`] when it does not verify.
    fn verify(
        &self,
        kid: Option<&str>,
        signing_input: &[u8],
        signature: &[u8],
    ) -> Result<(), Error>;
}

#[cfg(test)]
#[cfg(jwt_asymmetric)]
mod test_keys;
