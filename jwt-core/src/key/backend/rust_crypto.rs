//! The pure-Rust backend: `RustCrypto`'s `hmac` and `sha2`, `rsa`, `p256`, `p384`,
//! `p521` and `ed25519-dalek`, with randomness from the operating system (`getrandom`).

use crate::{Error, ErrorKind};

fn invalid_key(message: impl Into<std::borrow::Cow<'static, str>>) -> Error {
    Error::new(ErrorKind::InvalidKey, message)
}

#[cfg(jwt_asymmetric)]
fn refused(alg: crate::Algorithm) -> Error {
    Error::new(
        ErrorKind::InvalidSignature,
        format!("the {alg} signature does not verify"),
    )
}

#[cfg(any(jwt_rsa, jwt_ecdsa))]
fn not_for(alg: crate::Algorithm, family: &str) -> Error {
    invalid_key(format!("{alg} is not an {family} algorithm"))
}

#[cfg(any(jwt_ecdsa, jwt_eddsa))]
fn no_randomness(error: getrandom::Error) -> Error {
    Error::new(
        ErrorKind::InvalidKey,
        "the operating system gave no randomness for a new key",
    )
    .with_source(error)
}

pub(crate) use self::mac::HmacState;

mod mac {
    use hmac::{Hmac, KeyInit, Mac};
    use sha2::{Sha256, Sha384, Sha512};

    use super::invalid_key;
    use crate::{Algorithm, Error};

    /// The keyed HMAC state, computed once per key and cloned for each token.
    #[derive(Clone)]
    pub(crate) enum HmacState {
        Hs256(Hmac<Sha256>),
        Hs384(Hmac<Sha384>),
        Hs512(Hmac<Sha512>),
    }

    impl HmacState {
        pub(crate) fn new(alg: Algorithm, secret: &[u8]) -> Result<Self, Error> {
            // HMAC takes keys of any length; this cannot fail for the algorithms listed.
            let invalid = |_| invalid_key("the HMAC key was refused");
            Ok(match alg {
                Algorithm::HS256 => {
                    HmacState::Hs256(Hmac::new_from_slice(secret).map_err(invalid)?)
                }
                Algorithm::HS384 => {
                    HmacState::Hs384(Hmac::new_from_slice(secret).map_err(invalid)?)
                }
                Algorithm::HS512 => {
                    HmacState::Hs512(Hmac::new_from_slice(secret).map_err(invalid)?)
                }
                other => return Err(invalid_key(format!("{other} is not an HMAC algorithm"))),
            })
        }

        pub(crate) fn algorithm(&self) -> Algorithm {
            match self {
                HmacState::Hs256(_) => Algorithm::HS256,
                HmacState::Hs384(_) => Algorithm::HS384,
                HmacState::Hs512(_) => Algorithm::HS512,
            }
        }

        /// Hands the MAC of `message` to `take`.
        pub(crate) fn with_tag<R>(&self, message: &[u8], take: impl FnOnce(&[u8]) -> R) -> R {
            match self {
                HmacState::Hs256(mac) => {
                    take(&mac.clone().chain_update(message).finalize().into_bytes())
                }
                HmacState::Hs384(mac) => {
                    take(&mac.clone().chain_update(message).finalize().into_bytes())
                }
                HmacState::Hs512(mac) => {
                    take(&mac.clone().chain_update(message).finalize().into_bytes())
                }
            }
        }

        /// Checks `tag` in constant time; a tag of the wrong length fails.
        pub(crate) fn verify(&self, message: &[u8], tag: &[u8]) -> bool {
            match self {
                HmacState::Hs256(mac) => mac.clone().chain_update(message).verify_slice(tag),
                HmacState::Hs384(mac) => mac.clone().chain_update(message).verify_slice(tag),
                HmacState::Hs512(mac) => mac.clone().chain_update(message).verify_slice(tag),
            }
            .is_ok()
        }
    }
}

#[cfg(jwt_rsa)]
pub(crate) use self::rsa::{RsaSigner, RsaVerifier};

#[cfg(jwt_rsa)]
mod rsa {
    use ::rsa::pkcs1::DecodeRsaPrivateKey;
    use ::rsa::signature::{RandomizedSigner, SignatureEncoding, Verifier};
    use ::rsa::traits::PublicKeyParts;
    use ::rsa::{BoxedUint, PrivateKey, PublicKey, pkcs1v15, pss};
    use getrandom::SysRng;
    use sha2::{Sha256, Sha384, Sha512};

    use super::{invalid_key, not_for, refused};
    use crate::{Algorithm, Error};

    /// A prepared RSA public key, bound to one of RS256..PS512. PSS salts are as long
    /// as the hash (RFC 7518 section 3.5).
    #[derive(Clone)]
    pub(crate) enum RsaVerifier {
        Rs256(pkcs1v15::VerifyingKey<Sha256>),
        Rs384(pkcs1v15::VerifyingKey<Sha384>),
        Rs512(pkcs1v15::VerifyingKey<Sha512>),
        Ps256(pss::VerifyingKey<Sha256>),
        Ps384(pss::VerifyingKey<Sha384>),
        Ps512(pss::VerifyingKey<Sha512>),
    }

    /// Sizes of modulus this backend is asked to accept; the family checks its own
    /// bounds first, this only keeps the crate's checks in step with them.
    const SIZES: std::ops::RangeInclusive<usize> =
        crate::key::rsa::MIN_BITS..=crate::key::rsa::MAX_BITS;

    fn uint(bytes: &[u8], what: &str) -> Result<BoxedUint, Error> {
        let bits = u32::try_from(bytes.len().saturating_mul(8))
            .map_err(|_| invalid_key(format!("the RSA {what} is too long")))?;
        BoxedUint::from_be_slice(bytes, bits.max(64))
            .map_err(|_| invalid_key(format!("the RSA {what} cannot be read")))
    }

    impl RsaVerifier {
        pub(crate) fn new(alg: Algorithm, n: &[u8], e: &[u8]) -> Result<Self, Error> {
            let key = PublicKey::new_with_size_limits(
                uint(n, "modulus")?,
                uint(e, "exponent")?,
                SIZES,
            )
            .map_err(|error| invalid_key(format!("the RSA public key is refused: {error}")))?;
            RsaVerifier::prepare(alg, key)
        }

        fn prepare(alg: Algorithm, key: PublicKey) -> Result<Self, Error> {
            Ok(match alg {
                Algorithm::RS256 => RsaVerifier::Rs256(pkcs1v15::VerifyingKey::new(key)),
                Algorithm::RS384 => RsaVerifier::Rs384(pkcs1v15::VerifyingKey::new(key)),
                Algorithm::RS512 => RsaVerifier::Rs512(pkcs1v15::VerifyingKey::new(key)),
                Algorithm::PS256 => RsaVerifier::Ps256(pss::VerifyingKey::new(key)),
                Algorithm::PS384 => RsaVerifier::Ps384(pss::VerifyingKey::new(key)),
                Algorithm::PS512 => RsaVerifier::Ps512(pss::VerifyingKey::new(key)),
                other => return Err(not_for(other, "RSA")),
            })
        }

        fn alg(&self) -> Algorithm {
            match self {
                RsaVerifier::Rs256(_) => Algorithm::RS256,
                RsaVerifier::Rs384(_) => Algorithm::RS384,
                RsaVerifier::Rs512(_) => Algorithm::RS512,
                RsaVerifier::Ps256(_) => Algorithm::PS256,
                RsaVerifier::Ps384(_) => Algorithm::PS384,
                RsaVerifier::Ps512(_) => Algorithm::PS512,
            }
        }

        pub(crate) fn verify(&self, message: &[u8], signature: &[u8]) -> Result<(), Error> {
            let refused = || refused(self.alg());
            let verified = match self {
                RsaVerifier::Rs256(key) => key.verify(message, &pkcs1(signature)?),
                RsaVerifier::Rs384(key) => key.verify(message, &pkcs1(signature)?),
                RsaVerifier::Rs512(key) => key.verify(message, &pkcs1(signature)?),
                RsaVerifier::Ps256(key) => key.verify(message, &pss(signature)?),
                RsaVerifier::Ps384(key) => key.verify(message, &pss(signature)?),
                RsaVerifier::Ps512(key) => key.verify(message, &pss(signature)?),
            };
            verified.map_err(|_| refused())
        }
    }

    fn pkcs1(signature: &[u8]) -> Result<pkcs1v15::Signature, Error> {
        pkcs1v15::Signature::try_from(signature).map_err(|_| {
            Error::new(
                crate::ErrorKind::InvalidSignature,
                "the RSA signature cannot be read",
            )
        })
    }

    fn pss(signature: &[u8]) -> Result<pss::Signature, Error> {
        pss::Signature::try_from(signature).map_err(|_| {
            Error::new(
                crate::ErrorKind::InvalidSignature,
                "the RSA signature cannot be read",
            )
        })
    }

    /// An RSA private key bound to one of RS256..PS512.
    pub(crate) enum RsaSigner {
        Rs256(pkcs1v15::SigningKey<Sha256>),
        Rs384(pkcs1v15::SigningKey<Sha384>),
        Rs512(pkcs1v15::SigningKey<Sha512>),
        Ps256(pss::SigningKey<Sha256>),
        Ps384(pss::SigningKey<Sha384>),
        Ps512(pss::SigningKey<Sha512>),
    }

    impl RsaSigner {
        pub(crate) fn from_pkcs1_der(alg: Algorithm, der: &[u8]) -> Result<Self, Error> {
            let key = PrivateKey::from_pkcs1_der(der)
                .map_err(|error| invalid_key(format!("the RSA private key is refused: {error}")))?;
            RsaSigner::prepare(alg, key)
        }

        pub(crate) fn generate(alg: Algorithm, bits: usize) -> Result<Self, Error> {
            let key = PrivateKey::new(&mut SysRng, bits)
                .map_err(|error| invalid_key(format!("no RSA key could be generated: {error}")))?;
            RsaSigner::prepare(alg, key)
        }

        fn prepare(alg: Algorithm, key: PrivateKey) -> Result<Self, Error> {
            Ok(match alg {
                Algorithm::RS256 => RsaSigner::Rs256(pkcs1v15::SigningKey::new(key)),
                Algorithm::RS384 => RsaSigner::Rs384(pkcs1v15::SigningKey::new(key)),
                Algorithm::RS512 => RsaSigner::Rs512(pkcs1v15::SigningKey::new(key)),
                Algorithm::PS256 => RsaSigner::Ps256(pss::SigningKey::new(key)),
                Algorithm::PS384 => RsaSigner::Ps384(pss::SigningKey::new(key)),
                Algorithm::PS512 => RsaSigner::Ps512(pss::SigningKey::new(key)),
                other => return Err(not_for(other, "RSA")),
            })
        }

        fn key(&self) -> &PrivateKey {
            match self {
                RsaSigner::Rs256(key) => key.as_ref(),
                RsaSigner::Rs384(key) => key.as_ref(),
                RsaSigner::Rs512(key) => key.as_ref(),
                RsaSigner::Ps256(key) => key.as_ref(),
                RsaSigner::Ps384(key) => key.as_ref(),
                RsaSigner::Ps512(key) => key.as_ref(),
            }
        }

        /// The modulus and public exponent, big-endian.
        pub(crate) fn public_components(&self) -> (Vec<u8>, Vec<u8>) {
            let key = self.key();
            (
                key.n().to_be_bytes_trimmed_vartime().into_vec(),
                key.e().to_be_bytes_trimmed_vartime().into_vec(),
            )
        }

        pub(crate) fn sign(&self, message: &[u8]) -> Result<Vec<u8>, Error> {
            // Randomized signing blinds the private-key operation; PSS also draws its salt.
            let rng = &mut SysRng;
            let signature = match self {
                RsaSigner::Rs256(key) => key.try_sign_with_rng(rng, message).map(|s| s.to_vec()),
                RsaSigner::Rs384(key) => key.try_sign_with_rng(rng, message).map(|s| s.to_vec()),
                RsaSigner::Rs512(key) => key.try_sign_with_rng(rng, message).map(|s| s.to_vec()),
                RsaSigner::Ps256(key) => key.try_sign_with_rng(rng, message).map(|s| s.to_vec()),
                RsaSigner::Ps384(key) => key.try_sign_with_rng(rng, message).map(|s| s.to_vec()),
                RsaSigner::Ps512(key) => key.try_sign_with_rng(rng, message).map(|s| s.to_vec()),
            };
            signature.map_err(|error| {
                Error::new(
                    crate::ErrorKind::Encode,
                    format!("RSA signing failed: {error}"),
                )
            })
        }
    }
}

#[cfg(jwt_ecdsa)]
pub(crate) use self::ec::{EcSigner, EcVerifier};

#[cfg(jwt_ecdsa)]
mod ec {
    use ::ecdsa::elliptic_curve::Generate;
    use ::ecdsa::signature::{Signer, Verifier};
    use getrandom::SysRng;

    use super::{invalid_key, no_randomness, not_for, refused};
    use crate::{Algorithm, Error, ErrorKind};

    /// A prepared ECDSA public key: ES256 on P-256, ES384 on P-384, ES512 on P-521.
    #[derive(Clone)]
    pub(crate) enum EcVerifier {
        P256(p256::ecdsa::VerifyingKey),
        P384(p384::ecdsa::VerifyingKey),
        P521(p521::ecdsa::VerifyingKey),
    }

    fn off_curve(alg: Algorithm) -> Error {
        invalid_key(format!("the {alg} public key is not a point of its curve"))
    }

    fn malformed_signature(alg: Algorithm) -> Error {
        Error::new(
            ErrorKind::InvalidSignature,
            format!("the {alg} signature's r or s is not in [1, n-1]"),
        )
    }

    impl EcVerifier {
        pub(crate) fn from_sec1(alg: Algorithm, point: &[u8]) -> Result<Self, Error> {
            let off = |_| off_curve(alg);
            Ok(match alg {
                Algorithm::ES256 => EcVerifier::P256(
                    p256::ecdsa::VerifyingKey::from_sec1_bytes(point).map_err(off)?,
                ),
                Algorithm::ES384 => EcVerifier::P384(
                    p384::ecdsa::VerifyingKey::from_sec1_bytes(point).map_err(off)?,
                ),
                Algorithm::ES512 => EcVerifier::P521(
                    p521::ecdsa::VerifyingKey::from_sec1_bytes(point).map_err(off)?,
                ),
                other => return Err(not_for(other, "ECDSA")),
            })
        }

        fn alg(&self) -> Algorithm {
            match self {
                EcVerifier::P256(_) => Algorithm::ES256,
                EcVerifier::P384(_) => Algorithm::ES384,
                EcVerifier::P521(_) => Algorithm::ES512,
            }
        }

        /// Verifies the raw `r || s` (of the curve's exact length, which the family
        /// checked). Reading it refuses `r` or `s` outside `[1, n-1]`.
        pub(crate) fn verify(&self, message: &[u8], signature: &[u8]) -> Result<(), Error> {
            let alg = self.alg();
            let unreadable = |_| malformed_signature(alg);
            let verified = match self {
                EcVerifier::P256(key) => key.verify(
                    message,
                    &p256::ecdsa::Signature::from_slice(signature).map_err(unreadable)?,
                ),
                EcVerifier::P384(key) => key.verify(
                    message,
                    &p384::ecdsa::Signature::from_slice(signature).map_err(unreadable)?,
                ),
                EcVerifier::P521(key) => key.verify(
                    message,
                    &p521::ecdsa::Signature::from_slice(signature).map_err(unreadable)?,
                ),
            };
            verified.map_err(|_| refused(alg))
        }

        /// `0x04 || x || y`, each coordinate of the curve's full length.
        pub(crate) fn uncompressed_point(&self) -> Vec<u8> {
            match self {
                EcVerifier::P256(key) => key.to_sec1_point(false).as_bytes().to_vec(),
                EcVerifier::P384(key) => key.to_sec1_point(false).as_bytes().to_vec(),
                EcVerifier::P521(key) => key.to_sec1_point(false).as_bytes().to_vec(),
            }
        }
    }

    /// An ECDSA private key; signatures are deterministic (RFC 6979).
    pub(crate) enum EcSigner {
        P256(p256::ecdsa::SigningKey),
        P384(p384::ecdsa::SigningKey),
        P521(p521::ecdsa::SigningKey),
    }

    impl EcSigner {
        /// A key from the scalar of a SEC1 `ECPrivateKey` (the structure itself, `der`,
        /// is for backends that read it whole).
        pub(crate) fn from_sec1(alg: Algorithm, der: &[u8], scalar: &[u8]) -> Result<Self, Error> {
            let _ = der;
            let refused = |_| invalid_key(format!("the {alg} private scalar is not in [1, n-1]"));
            Ok(match alg {
                Algorithm::ES256 => {
                    EcSigner::P256(p256::ecdsa::SigningKey::from_slice(scalar).map_err(refused)?)
                }
                Algorithm::ES384 => {
                    EcSigner::P384(p384::ecdsa::SigningKey::from_slice(scalar).map_err(refused)?)
                }
                Algorithm::ES512 => {
                    EcSigner::P521(p521::ecdsa::SigningKey::from_slice(scalar).map_err(refused)?)
                }
                other => return Err(not_for(other, "ECDSA")),
            })
        }

        pub(crate) fn generate(alg: Algorithm) -> Result<Self, Error> {
            Ok(match alg {
                Algorithm::ES256 => EcSigner::P256(
                    p256::ecdsa::SigningKey::try_generate_from_rng(&mut SysRng)
                        .map_err(no_randomness)?,
                ),
                Algorithm::ES384 => EcSigner::P384(
                    p384::ecdsa::SigningKey::try_generate_from_rng(&mut SysRng)
                        .map_err(no_randomness)?,
                ),
                Algorithm::ES512 => EcSigner::P521(
                    p521::ecdsa::SigningKey::try_generate_from_rng(&mut SysRng)
                        .map_err(no_randomness)?,
                ),
                other => return Err(not_for(other, "ECDSA")),
            })
        }

        #[allow(clippy::unnecessary_wraps, reason = "the backends share one interface")]
        pub(crate) fn verifier(&self) -> Result<EcVerifier, Error> {
            Ok(match self {
                EcSigner::P256(key) => EcVerifier::P256(*key.verifying_key()),
                EcSigner::P384(key) => EcVerifier::P384(*key.verifying_key()),
                EcSigner::P521(key) => EcVerifier::P521(*key.verifying_key()),
            })
        }

        /// Hands the raw `r || s` to `take`.
        pub(crate) fn sign<R>(
            &self,
            message: &[u8],
            take: impl FnOnce(&[u8]) -> R,
        ) -> Result<R, Error> {
            let failed = |error: ::ecdsa::Error| {
                Error::new(ErrorKind::Encode, "ECDSA signing failed").with_source(error)
            };
            Ok(match self {
                EcSigner::P256(key) => {
                    let signature: p256::ecdsa::Signature =
                        key.try_sign(message).map_err(failed)?;
                    take(&signature.to_bytes())
                }
                EcSigner::P384(key) => {
                    let signature: p384::ecdsa::Signature =
                        key.try_sign(message).map_err(failed)?;
                    take(&signature.to_bytes())
                }
                EcSigner::P521(key) => {
                    let signature: p521::ecdsa::Signature =
                        key.try_sign(message).map_err(failed)?;
                    take(&signature.to_bytes())
                }
            })
        }
    }
}

#[cfg(jwt_eddsa)]
pub(crate) use self::ed::{EdSigner, EdVerifier};

#[cfg(jwt_eddsa)]
mod ed {
    use ed25519_dalek::Signer;

    use super::{invalid_key, no_randomness, refused};
    use crate::{Algorithm, Error, ErrorKind};

    /// A prepared Ed25519 public key.
    #[derive(Clone)]
    pub(crate) struct EdVerifier(ed25519_dalek::VerifyingKey);

    impl EdVerifier {
        pub(crate) fn from_bytes(bytes: &[u8; 32]) -> Result<Self, Error> {
            let key = ed25519_dalek::VerifyingKey::from_bytes(bytes)
                .map_err(|_| invalid_key("the Ed25519 public key is not a point of the curve"))?;
            if key.is_weak() {
                return Err(invalid_key(
                    "the Ed25519 public key is of small order (RFC 8032 section 5.1.7)",
                ));
            }
            Ok(EdVerifier(key))
        }

        /// Strict verification: a non-canonical `S` or a small-order `R` or key fails.
        pub(crate) fn verify(&self, message: &[u8], signature: &[u8; 64]) -> Result<(), Error> {
            let signature = ed25519_dalek::Signature::from_bytes(signature);
            self.0
                .verify_strict(message, &signature)
                .map_err(|_| refused(Algorithm::EdDSA))
        }

        pub(crate) fn to_bytes(&self) -> [u8; 32] {
            self.0.to_bytes()
        }
    }

    /// An Ed25519 private key.
    pub(crate) struct EdSigner(ed25519_dalek::SigningKey);

    impl EdSigner {
        #[allow(clippy::unnecessary_wraps, reason = "the backends share one interface")]
        pub(crate) fn from_seed(seed: &[u8; 32]) -> Result<EdSigner, Error> {
            Ok(EdSigner(ed25519_dalek::SigningKey::from_bytes(seed)))
        }

        pub(crate) fn generate() -> Result<EdSigner, Error> {
            let mut seed = zeroize::Zeroizing::new([0u8; 32]);
            getrandom::fill(seed.as_mut_slice()).map_err(no_randomness)?;
            EdSigner::from_seed(&seed)
        }

        pub(crate) fn verifier(&self) -> Result<EdVerifier, Error> {
            EdVerifier::from_bytes(&self.0.verifying_key().to_bytes())
        }

        pub(crate) fn sign<R>(
            &self,
            message: &[u8],
            take: impl FnOnce(&[u8]) -> R,
        ) -> Result<R, Error> {
            let signature = self.0.try_sign(message).map_err(|error| {
                Error::new(ErrorKind::Encode, "Ed25519 signing failed").with_source(error)
            })?;
            Ok(take(&signature.to_bytes()))
        }
    }
}
