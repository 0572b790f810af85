//! The `EdDSA` family: Ed25519 (RFC 8037), verified strictly: small-order keys, small-order
//! `R` and non-canonical `S` are refused, so that one message has one valid signature.

use der::Decode;
use der::asn1::OctetStringRef;

use super::Jwk;
use super::asymmetric::base64url_string;
use super::backend::{EdSigner, EdVerifier};
use crate::{Error, ErrorKind};

fn invalid(message: String) -> Error {
    Error::new(ErrorKind::InvalidKey, message)
}

/// An Ed25519 public key, prepared once.
#[derive(Clone)]
pub(crate) struct EdPublic {
    verifier: EdVerifier,
}

impl EdPublic {
    /// A key from its 32 bytes (the contents of SPKI, or a JWK's `x`).
    pub(crate) fn from_bytes(bytes: &[u8]) -> Result<Self, Error> {
        let bytes: &[u8; 32] = bytes.try_into().map_err(|_| {
            invalid(format!(
                "an Ed25519 public key has 32 bytes, this one has {}",
                bytes.len()
            ))
        })?;
        Ok(EdPublic {
            verifier: EdVerifier::from_bytes(bytes)?,
        })
    }

    /// A key from the `x` of an OKP JWK.
    pub(crate) fn from_jwk(jwk: &Jwk) -> Result<Self, Error> {
        EdPublic::from_bytes(&jwk.bytes("x")?)
    }

    /// Verifies a 64-byte signature strictly.
    pub(crate) fn verify(&self, message: &[u8], signature: &[u8]) -> Result<(), Error> {
        let signature: &[u8; 64] = signature.try_into().map_err(|_| {
            Error::new(
                ErrorKind::InvalidSignature,
                format!(
                    "an EdDSA signature has 64 bytes, this one has {}",
                    signature.len()
                ),
            )
        })?;
        self.verifier.verify(message, signature)
    }

    /// The key type and the members RFC 7638 hashes, in its order.
    pub(crate) fn jwk_members(&self) -> (&'static str, Vec<(&'static str, String)>) {
        (
            "OKP",
            vec![
                ("crv", "Ed25519".to_owned()),
                ("x", base64url_string(&self.verifier.to_bytes())),
            ],
        )
    }
}

/// An Ed25519 private key and its public key.
pub(crate) struct EdPrivate {
    signer: EdSigner,
    public: EdPublic,
}

impl EdPrivate {
    /// A key from the contents of a PKCS#8 Ed25519 key: an OCTET STRING holding the
    /// 32-byte seed (RFC 8410 section 7).
    pub(crate) fn from_pkcs8_contents(der: &[u8]) -> Result<Self, Error> {
        let seed = <&OctetStringRef>::from_der(der)
            .map_err(|error| invalid(format!("the Ed25519 private key is not DER: {error}")))?;
        let seed: &[u8; 32] = seed.as_bytes().try_into().map_err(|_| {
            invalid(format!(
                "an Ed25519 private key has 32 bytes, this one has {}",
                seed.as_bytes().len()
            ))
        })?;
        EdPrivate::prepared(EdSigner::from_seed(seed))
    }

    pub(crate) fn generate() -> Result<Self, Error> {
        EdPrivate::prepared(EdSigner::generate()?)
    }

    fn prepared(signer: EdSigner) -> Result<Self, Error> {
        Ok(EdPrivate {
            public: EdPublic {
                verifier: signer.verifier()?,
            },
            signer,
        })
    }

    pub(crate) fn public(&self) -> &EdPublic {
        &self.public
    }

    /// Hands the 64-byte signature to `take`.
    pub(crate) fn sign<R>(&self, message: &[u8], take: impl FnOnce(&[u8]) -> R) -> Result<R, Error> {
        self.signer.sign(message, take)
    }
}

