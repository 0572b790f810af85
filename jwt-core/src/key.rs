//! Keys: the [`SigningKey`] and [`VerifyingKey`] traits, and [`HmacKey`].

use std::fmt;

use hmac::{Hmac, KeyInit, Mac};
use sha2::{Sha256, Sha384, Sha512};

use crate::{Algorithm, Error, ErrorKind};

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
    /// The provided method returns `None`. [`HmacKey`] writes its MAC.
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
    /// [`ErrorKind::InvalidKey`] when a key set holds no key for `kid`.
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

/// An HMAC secret bound to one algorithm: HS256, HS384 or HS512 (RFC 7518 section 3.2).
///
/// It signs and verifies. The keyed HMAC state is computed once, here, and cloned for
/// each token. `Debug` shows the algorithm and key id, never the secret.
///
/// ```
/// use jwt_core::{Algorithm, ErrorKind, HmacKey};
///
/// let key = HmacKey::hs256(b"a secret of at least thirty-two bytes!")?.with_kid("2026-11");
/// assert_eq!(key.algorithm(), Algorithm::HS256);
/// assert_eq!(HmacKey::hs512([0u8; 32]).unwrap_err().kind(), ErrorKind::InvalidKey);
/// # Ok::<(), jwt_core::Error>(())
/// ```
#[derive(Clone)]
pub struct HmacKey {
    mac: KeyedMac,
    kid: Option<String>,
}

#[derive(Clone)]
enum KeyedMac {
    Hs256(Hmac<Sha256>),
    Hs384(Hmac<Sha384>),
    Hs512(Hmac<Sha512>),
}

impl HmacKey {
    /// An HS256 key; the secret must have at least 32 bytes.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidKey`] when the secret is shorter.
    pub fn hs256(secret: impl AsRef<[u8]>) -> Result<HmacKey, Error> {
        HmacKey::new(Algorithm::HS256, secret.as_ref())
    }

    /// An HS384 key; the secret must have at least 48 bytes.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidKey`] when the secret is shorter.
    pub fn hs384(secret: impl AsRef<[u8]>) -> Result<HmacKey, Error> {
        HmacKey::new(Algorithm::HS384, secret.as_ref())
    }

    /// An HS512 key; the secret must have at least 64 bytes.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidKey`] when the secret is shorter.
    pub fn hs512(secret: impl AsRef<[u8]>) -> Result<HmacKey, Error> {
        HmacKey::new(Algorithm::HS512, secret.as_ref())
    }

    /// A key for `alg` (`HS256`, `HS384` or `HS512`), with a secret at least as long as
    /// the hash output, as RFC 7518 section 3.2 requires.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidKey`] when `alg` is not an HMAC algorithm or the secret is too
    /// short.
    pub fn new(alg: Algorithm, secret: impl AsRef<[u8]>) -> Result<HmacKey, Error> {
        let secret = secret.as_ref();
        let minimum = minimum_secret_len(alg)?;
        if secret.len() < minimum {
            return Err(Error::new(
                ErrorKind::InvalidKey,
                format!(
                    "an {alg} secret needs at least {minimum} bytes (RFC 7518 section 3.2), \
                     this one has {}",
                    secret.len()
                ),
            ));
        }
        HmacKey::keyed(alg, secret)
    }

    /// A key for `alg` that accepts a secret shorter than RFC 7518 allows, for verifying
    /// tokens of legacy systems. Short secrets can be brute-forced from a single token:
    /// do not sign new tokens with one. An empty secret is still refused.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidKey`] when `alg` is not an HMAC algorithm or the secret is
    /// empty.
    pub fn insecure_short_secret(
        alg: Algorithm,
        secret: impl AsRef<[u8]>,
    ) -> Result<HmacKey, Error> {
        let secret = secret.as_ref();
        minimum_secret_len(alg)?;
        if secret.is_empty() {
            return Err(Error::new(
                ErrorKind::InvalidKey,
                "an HMAC secret cannot be empty",
            ));
        }
        HmacKey::keyed(alg, secret)
    }

    fn keyed(alg: Algorithm, secret: &[u8]) -> Result<HmacKey, Error> {
        // HMAC takes keys of any length; this cannot fail for the algorithms listed.
        let invalid = |_| Error::new(ErrorKind::InvalidKey, "the HMAC key was refused");
        let mac = match alg {
            Algorithm::HS256 => KeyedMac::Hs256(Hmac::new_from_slice(secret).map_err(invalid)?),
            Algorithm::HS384 => KeyedMac::Hs384(Hmac::new_from_slice(secret).map_err(invalid)?),
            Algorithm::HS512 => KeyedMac::Hs512(Hmac::new_from_slice(secret).map_err(invalid)?),
            other => return Err(not_hmac(other)),
        };
        Ok(HmacKey { mac, kid: None })
    }

    /// The same key with a key id, which [`encode`](crate::encode) writes into the header.
    #[must_use]
    pub fn with_kid(self, kid: impl Into<String>) -> HmacKey {
        HmacKey {
            kid: Some(kid.into()),
            ..self
        }
    }

    /// The algorithm the key is bound to.
    pub fn algorithm(&self) -> Algorithm {
        match self.mac {
            KeyedMac::Hs256(_) => Algorithm::HS256,
            KeyedMac::Hs384(_) => Algorithm::HS384,
            KeyedMac::Hs512(_) => Algorithm::HS512,
        }
    }

    /// The key id, if any.
    pub fn kid(&self) -> Option<&str> {
        self.kid.as_deref()
    }
}

fn minimum_secret_len(alg: Algorithm) -> Result<usize, Error> {
    match alg {
        Algorithm::HS256 => Ok(32),
        Algorithm::HS384 => Ok(48),
        Algorithm::HS512 => Ok(64),
        other => Err(not_hmac(other)),
    }
}

fn not_hmac(alg: Algorithm) -> Error {
    Error::new(
        ErrorKind::InvalidKey,
        format!("{alg} is not an HMAC algorithm; expected HS256, HS384 or HS512"),
    )
}

/// Hands the MAC of `signing_input` to `take`.
fn with_mac<R>(mac: &KeyedMac, signing_input: &[u8], take: impl FnOnce(&[u8]) -> R) -> R {
    match mac {
        KeyedMac::Hs256(mac) => take(
            &mac.clone()
                .chain_update(signing_input)
                .finalize()
                .into_bytes(),
        ),
        KeyedMac::Hs384(mac) => take(
            &mac.clone()
                .chain_update(signing_input)
                .finalize()
                .into_bytes(),
        ),
        KeyedMac::Hs512(mac) => take(
            &mac.clone()
                .chain_update(signing_input)
                .finalize()
                .into_bytes(),
        ),
    }
}

impl SigningKey for HmacKey {
    fn algorithm(&self) -> Algorithm {
        HmacKey::algorithm(self)
    }

    fn kid(&self) -> Option<&str> {
        HmacKey::kid(self)
    }

    fn sign(&self, signing_input: &[u8]) -> Result<Vec<u8>, Error> {
        Ok(with_mac(&self.mac, signing_input, <[u8]>::to_vec))
    }

    fn sign_into(&self, signing_input: &[u8], out: &mut [u8]) -> Result<Option<usize>, Error> {
        Ok(with_mac(&self.mac, signing_input, |tag| {
            out.get_mut(..tag.len())?.copy_from_slice(tag);
            Some(tag.len())
        }))
    }
}

impl VerifyingKey for HmacKey {
    fn algorithm(&self, _kid: Option<&str>) -> Result<Algorithm, Error> {
        Ok(HmacKey::algorithm(self))
    }

    fn verify(
        &self,
        _kid: Option<&str>,
        signing_input: &[u8],
        signature: &[u8],
    ) -> Result<(), Error> {
        // `verify_slice` compares in constant time and refuses a tag of the wrong length.
        let verified = match &self.mac {
            KeyedMac::Hs256(mac) => mac
                .clone()
                .chain_update(signing_input)
                .verify_slice(signature),
            KeyedMac::Hs384(mac) => mac
                .clone()
                .chain_update(signing_input)
                .verify_slice(signature),
            KeyedMac::Hs512(mac) => mac
                .clone()
                .chain_update(signing_input)
                .verify_slice(signature),
        };
        verified.map_err(|_| {
            Error::new(
                ErrorKind::InvalidSignature,
                format!("the {} signature does not verify", self.algorithm()),
            )
        })
    }
}

impl fmt::Debug for HmacKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HmacKey")
            .field("alg", &self.algorithm())
            .field("kid", &self.kid)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_shorter_than_the_hash_are_refused() {
        assert!(HmacKey::hs256([1; 32]).is_ok());
        assert_eq!(
            HmacKey::hs256([1; 31]).unwrap_err().kind(),
            ErrorKind::InvalidKey
        );
        assert!(HmacKey::hs384([1; 48]).is_ok());
        assert_eq!(
            HmacKey::hs384([1; 47]).unwrap_err().kind(),
            ErrorKind::InvalidKey
        );
        assert!(HmacKey::hs512([1; 64]).is_ok());
        assert_eq!(
            HmacKey::hs512([1; 63]).unwrap_err().kind(),
            ErrorKind::InvalidKey
        );
    }

    #[test]
    fn short_secrets_need_the_insecure_constructor_and_empty_ones_never_work() {
        let key = HmacKey::insecure_short_secret(Algorithm::HS256, b"secret").unwrap();
        assert_eq!(key.algorithm(), Algorithm::HS256);
        let empty = HmacKey::insecure_short_secret(Algorithm::HS256, b"");
        assert_eq!(empty.unwrap_err().kind(), ErrorKind::InvalidKey);
        let not_hmac = HmacKey::insecure_short_secret(Algorithm::RS256, b"secret");
        assert_eq!(not_hmac.unwrap_err().kind(), ErrorKind::InvalidKey);
    }

    #[test]
    fn debug_never_shows_the_secret() {
        let key = HmacKey::hs256(b"0123456789abcdef0123456789abcdef")
            .unwrap()
            .with_kid("k");
        let debug = format!("{key:?}");
        assert!(
            debug.contains("HS256") && debug.contains("\"k\""),
            "{debug}"
        );
        assert!(!debug.contains("0123456789"), "{debug}");
    }

    #[test]
    fn signatures_verify_only_unchanged() {
        let key = HmacKey::hs384([9; 48]).unwrap();
        let signature = key.sign(b"a.b").unwrap();
        assert_eq!(signature.len(), 48);
        assert!(key.verify(None, b"a.b", &signature).is_ok());
        assert!(key.verify(None, b"a.c", &signature).is_err());
        assert!(key.verify(None, b"a.b", &signature[..47]).is_err());
    }

    #[test]
    fn signing_into_a_buffer_writes_what_sign_returns() {
        for key in [
            HmacKey::hs256([1; 32]).unwrap(),
            HmacKey::hs384([2; 48]).unwrap(),
            HmacKey::hs512([3; 64]).unwrap(),
        ] {
            let signature = key.sign(b"a.b").unwrap();
            let mut out = [0; 64];
            assert_eq!(
                key.sign_into(b"a.b", &mut out).unwrap(),
                Some(signature.len())
            );
            assert_eq!(&out[..signature.len()], signature);
            let mut short = vec![0; signature.len() - 1];
            assert_eq!(key.sign_into(b"a.b", &mut short).unwrap(), None);
        }
    }
}
