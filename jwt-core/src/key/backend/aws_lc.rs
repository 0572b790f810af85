//! The `aws-lc-rs` backend: AWS-LC computes every algorithm, HMAC included. Keys are
//! parsed once into `ParsedPublicKey`, `RsaKeyPair`, `EcdsaKeyPair`, `Ed25519KeyPair`
//! and `hmac::Key`. One check is not AWS-LC's: whether an Ed25519 public key is a point
//! of the curve and not of small order, which `ed25519-dalek` decides when the key is
//! read (AWS-LC would only fail each verification).

use aws_lc_rs::{hmac, rand, signature};

use crate::{Algorithm, Error, ErrorKind};

fn invalid_key(message: impl Into<std::borrow::Cow<'static, str>>) -> Error {
    Error::new(ErrorKind::InvalidKey, message)
}

fn refused(alg: Algorithm) -> Error {
    Error::new(
        ErrorKind::InvalidSignature,
        format!("the {alg} signature does not verify"),
    )
}

fn not_for(alg: Algorithm, family: &str) -> Error {
    invalid_key(format!("{alg} is not an {family} algorithm"))
}

fn signing_failed(alg: Algorithm) -> Error {
    Error::new(ErrorKind::Encode, format!("{alg} signing failed"))
}

/// A keyed HMAC, bound to HS256, HS384 or HS512.
#[derive(Clone)]
pub(crate) struct HmacState {
    alg: Algorithm,
    key: hmac::Key,
}

impl HmacState {
    pub(crate) fn new(alg: Algorithm, secret: &[u8]) -> Result<Self, Error> {
        let algorithm = match alg {
            Algorithm::HS256 => hmac::HMAC_SHA256,
            Algorithm::HS384 => hmac::HMAC_SHA384,
            Algorithm::HS512 => hmac::HMAC_SHA512,
            other => return Err(not_for(other, "HMAC")),
        };
        Ok(HmacState {
            alg,
            key: hmac::Key::new(algorithm, secret),
        })
    }

    pub(crate) fn algorithm(&self) -> Algorithm {
        self.alg
    }

    /// Hands the MAC of `message` to `take`.
    pub(crate) fn with_tag<R>(&self, message: &[u8], take: impl FnOnce(&[u8]) -> R) -> R {
        take(hmac::sign(&self.key, message).as_ref())
    }

    /// Checks `tag` in constant time; a tag of the wrong length fails.
    pub(crate) fn verify(&self, message: &[u8], tag: &[u8]) -> bool {
        hmac::verify(&self.key, message, tag).is_ok()
    }
}

/// A prepared RSA public key bound to one of RS256..PS512. AWS-LC's parameters accept
/// 2048 to 8192 bits, and PSS salts as long as the hash.
#[derive(Clone)]
pub(crate) struct RsaVerifier {
    alg: Algorithm,
    key: signature::ParsedPublicKey,
}

fn rsa_parameters(alg: Algorithm) -> Result<&'static signature::RsaParameters, Error> {
    Ok(match alg {
        Algorithm::RS256 => &signature::RSA_PKCS1_2048_8192_SHA256,
        Algorithm::RS384 => &signature::RSA_PKCS1_2048_8192_SHA384,
        Algorithm::RS512 => &signature::RSA_PKCS1_2048_8192_SHA512,
        Algorithm::PS256 => &signature::RSA_PSS_2048_8192_SHA256,
        Algorithm::PS384 => &signature::RSA_PSS_2048_8192_SHA384,
        Algorithm::PS512 => &signature::RSA_PSS_2048_8192_SHA512,
        other => return Err(not_for(other, "RSA")),
    })
}

fn rsa_encoding(alg: Algorithm) -> Result<&'static signature::RsaSignatureEncoding, Error> {
    Ok(match alg {
        Algorithm::RS256 => &signature::RSA_PKCS1_SHA256,
        Algorithm::RS384 => &signature::RSA_PKCS1_SHA384,
        Algorithm::RS512 => &signature::RSA_PKCS1_SHA512,
        Algorithm::PS256 => &signature::RSA_PSS_SHA256,
        Algorithm::PS384 => &signature::RSA_PSS_SHA384,
        Algorithm::PS512 => &signature::RSA_PSS_SHA512,
        other => return Err(not_for(other, "RSA")),
    })
}

impl RsaVerifier {
    pub(crate) fn new(alg: Algorithm, n: &[u8], e: &[u8]) -> Result<Self, Error> {
        use der::Encode;
        let uint = |bytes| {
            der::asn1::UintRef::new(bytes)
                .map_err(|_| invalid_key("the RSA public key cannot be encoded"))
        };
        let pkcs1 = pkcs1::RsaPublicKey {
            modulus: uint(n)?,
            public_exponent: uint(e)?,
        }
        .to_der()
        .map_err(|_| invalid_key("the RSA public key cannot be encoded"))?;
        let key = signature::ParsedPublicKey::new(rsa_parameters(alg)?, pkcs1)
            .map_err(|error| invalid_key(format!("the RSA public key is refused: {error}")))?;
        Ok(RsaVerifier { alg, key })
    }

    pub(crate) fn verify(&self, message: &[u8], signature: &[u8]) -> Result<(), Error> {
        self.key
            .verify_sig(message, signature)
            .map_err(|_| refused(self.alg))
    }
}

/// An RSA private key bound to one of RS256..PS512.
pub(crate) struct RsaSigner {
    alg: Algorithm,
    key: signature::RsaKeyPair,
}

impl RsaSigner {
    pub(crate) fn from_pkcs1_der(alg: Algorithm, der: &[u8]) -> Result<Self, Error> {
        rsa_encoding(alg)?;
        let key = signature::RsaKeyPair::from_der(der)
            .map_err(|error| invalid_key(format!("the RSA private key is refused: {error}")))?;
        Ok(RsaSigner { alg, key })
    }

    pub(crate) fn generate(alg: Algorithm, bits: usize) -> Result<Self, Error> {
        rsa_encoding(alg)?;
        let size = match bits {
            2048 => aws_lc_rs::rsa::KeySize::Rsa2048,
            3072 => aws_lc_rs::rsa::KeySize::Rsa3072,
            4096 => aws_lc_rs::rsa::KeySize::Rsa4096,
            8192 => aws_lc_rs::rsa::KeySize::Rsa8192,
            other => {
                return Err(invalid_key(format!(
                    "no {other}-bit RSA keys are generated"
                )));
            }
        };
        let key = signature::RsaKeyPair::generate(size)
            .map_err(|_| invalid_key("no RSA key could be generated"))?;
        Ok(RsaSigner { alg, key })
    }

    /// The modulus and public exponent, big-endian.
    pub(crate) fn public_components(&self) -> (Vec<u8>, Vec<u8>) {
        use der::Decode;
        use signature::KeyPair;
        pkcs1::RsaPublicKeyRef::from_der(self.key.public_key().as_ref()).map_or_else(
            |_| (Vec::new(), Vec::new()),
            |key| {
                (
                    key.modulus.as_bytes().to_vec(),
                    key.public_exponent.as_bytes().to_vec(),
                )
            },
        )
    }

    pub(crate) fn sign(&self, message: &[u8]) -> Result<Vec<u8>, Error> {
        let mut signature = vec![0; self.key.public_modulus_len()];
        self.key
            .sign(
                rsa_encoding(self.alg)?,
                &rand::SystemRandom::new(),
                message,
                &mut signature,
            )
            .map_err(|_| signing_failed(self.alg))?;
        Ok(signature)
    }
}

fn ecdsa_verification(
    alg: Algorithm,
) -> Result<&'static signature::EcdsaVerificationAlgorithm, Error> {
    Ok(match alg {
        Algorithm::ES256 => &signature::ECDSA_P256_SHA256_FIXED,
        Algorithm::ES384 => &signature::ECDSA_P384_SHA384_FIXED,
        Algorithm::ES512 => &signature::ECDSA_P521_SHA512_FIXED,
        other => return Err(not_for(other, "ECDSA")),
    })
}

fn ecdsa_signing(alg: Algorithm) -> Result<&'static signature::EcdsaSigningAlgorithm, Error> {
    Ok(match alg {
        Algorithm::ES256 => &signature::ECDSA_P256_SHA256_FIXED_SIGNING,
        Algorithm::ES384 => &signature::ECDSA_P384_SHA384_FIXED_SIGNING,
        Algorithm::ES512 => &signature::ECDSA_P521_SHA512_FIXED_SIGNING,
        other => return Err(not_for(other, "ECDSA")),
    })
}

/// A prepared ECDSA public key: ES256 on P-256, ES384 on P-384, ES512 on P-521.
#[derive(Clone)]
pub(crate) struct EcVerifier {
    alg: Algorithm,
    key: signature::ParsedPublicKey,
}

impl EcVerifier {
    /// A key from an uncompressed SEC1 point (`0x04 || x || y`), checked to lie on the
    /// curve; compressed points are not read by this backend.
    pub(crate) fn from_sec1(alg: Algorithm, point: &[u8]) -> Result<Self, Error> {
        let off_curve = || invalid_key(format!("the {alg} public key is not a point of its curve"));
        if point.first() != Some(&0x04) {
            return Err(off_curve());
        }
        let key = signature::ParsedPublicKey::new(ecdsa_verification(alg)?, point)
            .map_err(|_| off_curve())?;
        Ok(EcVerifier { alg, key })
    }

    /// Verifies the raw `r || s`; AWS-LC refuses `r` or `s` outside `[1, n-1]`.
    pub(crate) fn verify(&self, message: &[u8], signature: &[u8]) -> Result<(), Error> {
        self.key
            .verify_sig(message, signature)
            .map_err(|_| refused(self.alg))
    }

    /// `0x04 || x || y`.
    pub(crate) fn uncompressed_point(&self) -> Vec<u8> {
        self.key.as_ref().to_vec()
    }
}

/// An ECDSA private key.
pub(crate) struct EcSigner {
    alg: Algorithm,
    key: signature::EcdsaKeyPair,
}

impl EcSigner {
    /// A key from a SEC1 `ECPrivateKey` (this backend reads `der`; the scalar inside it
    /// is for backends that take it alone).
    pub(crate) fn from_sec1(alg: Algorithm, der: &[u8], scalar: &[u8]) -> Result<Self, Error> {
        let _ = scalar;
        let key = signature::EcdsaKeyPair::from_private_key_der(ecdsa_signing(alg)?, der).map_err(
            |_| {
                invalid_key(format!(
                    "the {alg} private key is refused: malformed, or the public key it holds \
                     is not its own"
                ))
            },
        )?;
        Ok(EcSigner { alg, key })
    }

    pub(crate) fn generate(alg: Algorithm) -> Result<Self, Error> {
        let key = signature::EcdsaKeyPair::generate(ecdsa_signing(alg)?)
            .map_err(|_| invalid_key(format!("no {alg} key could be generated")))?;
        Ok(EcSigner { alg, key })
    }

    pub(crate) fn verifier(&self) -> Result<EcVerifier, Error> {
        use signature::KeyPair;
        EcVerifier::from_sec1(self.alg, self.key.public_key().as_ref())
    }

    /// Hands the raw `r || s` to `take`.
    pub(crate) fn sign<R>(
        &self,
        message: &[u8],
        take: impl FnOnce(&[u8]) -> R,
    ) -> Result<R, Error> {
        let signature = self
            .key
            .sign(&rand::SystemRandom::new(), message)
            .map_err(|_| signing_failed(self.alg))?;
        Ok(take(signature.as_ref()))
    }
}

/// A prepared Ed25519 public key.
#[derive(Clone)]
pub(crate) struct EdVerifier {
    key: signature::ParsedPublicKey,
    bytes: [u8; 32],
}

impl EdVerifier {
    /// AWS-LC reads any 32 bytes as a key and finds a point off the curve only when it
    /// verifies; `ed25519-dalek` decodes the point here, once, so that such a key and a
    /// key of small order are refused as keys. AWS-LC computes everything else.
    pub(crate) fn from_bytes(bytes: &[u8; 32]) -> Result<Self, Error> {
        let point = ed25519_dalek::VerifyingKey::from_bytes(bytes)
            .map_err(|_| invalid_key("the Ed25519 public key is not a point of the curve"))?;
        if point.is_weak() {
            return Err(invalid_key(
                "the Ed25519 public key is of small order (RFC 8032 section 5.1.7)",
            ));
        }
        let key = signature::ParsedPublicKey::new(&signature::ED25519, bytes)
            .map_err(|_| invalid_key("the Ed25519 public key is not a point of the curve"))?;
        Ok(EdVerifier { key, bytes: *bytes })
    }

    /// AWS-LC refuses a non-canonical `S` (RFC 8032 section 5.1.7).
    pub(crate) fn verify(&self, message: &[u8], signature: &[u8; 64]) -> Result<(), Error> {
        self.key
            .verify_sig(message, signature)
            .map_err(|_| refused(Algorithm::EdDSA))
    }

    pub(crate) fn to_bytes(&self) -> [u8; 32] {
        self.bytes
    }
}

/// An Ed25519 private key.
pub(crate) struct EdSigner(signature::Ed25519KeyPair);

impl EdSigner {
    pub(crate) fn from_seed(seed: &[u8; 32]) -> Result<EdSigner, Error> {
        signature::Ed25519KeyPair::from_seed_unchecked(seed)
            .map(EdSigner)
            .map_err(|_| invalid_key("the Ed25519 private key is refused"))
    }

    pub(crate) fn generate() -> Result<EdSigner, Error> {
        signature::Ed25519KeyPair::generate()
            .map(EdSigner)
            .map_err(|_| invalid_key("no Ed25519 key could be generated"))
    }

    pub(crate) fn verifier(&self) -> Result<EdVerifier, Error> {
        use signature::KeyPair;
        let bytes: &[u8; 32] = self
            .0
            .public_key()
            .as_ref()
            .try_into()
            .map_err(|_| invalid_key("the Ed25519 public key has not 32 bytes"))?;
        EdVerifier::from_bytes(bytes)
    }

    #[allow(clippy::unnecessary_wraps, reason = "the backends share one interface")]
    pub(crate) fn sign<R>(
        &self,
        message: &[u8],
        take: impl FnOnce(&[u8]) -> R,
    ) -> Result<R, Error> {
        Ok(take(self.0.sign(message).as_ref()))
    }
}
