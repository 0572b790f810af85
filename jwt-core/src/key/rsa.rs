//! The RSA family: RS256, RS384, RS512 (RSASSA-PKCS1-v1_5) and PS256, PS384, PS512
//! (RSASSA-PSS, salt as long as the hash), RFC 7518 sections 3.3 and 3.5.
//!
//! Moduli from 2048 bits (RFC 7518 section 3.3) to 8192 bits are accepted. The upper
//! bound keeps the work of one verification bounded: a key is refused on its size
//! before any arithmetic is done with it.

use der::Decode;

use super::Jwk;
use super::asymmetric::base64url_string;
use super::backend::{RsaSigner, RsaVerifier};
use crate::{Algorithm, Error, ErrorKind};

/// The smallest modulus accepted, in bits (RFC 7518 section 3.3).
pub(crate) const MIN_BITS: usize = 2048;
/// The largest modulus accepted, in bits.
pub(crate) const MAX_BITS: usize = 8192;
/// The size of the keys that [`KeyPair::generate`](crate::KeyPair::generate) makes.
pub(crate) const GENERATED_BITS: usize = 2048;

fn invalid(message: String) -> Error {
    Error::new(ErrorKind::InvalidKey, message)
}

/// `bytes` without leading zero bytes.
fn trimmed(bytes: &[u8]) -> &[u8] {
    let start = bytes
        .iter()
        .position(|&byte| byte != 0)
        .unwrap_or(bytes.len());
    bytes.get(start..).unwrap_or_default()
}

/// Checks the size of a modulus given big-endian without leading zeros.
fn check_modulus(n: &[u8]) -> Result<(), Error> {
    let bits = match n.first() {
        Some(&top) => n.len() * 8 - top.leading_zeros() as usize,
        None => 0,
    };
    if bits < MIN_BITS {
        return Err(invalid(format!(
            "RSA keys below {MIN_BITS} bits are refused (RFC 7518 section 3.3); this one has \
             {bits}"
        )));
    }
    if bits > MAX_BITS {
        return Err(invalid(format!(
            "RSA keys above {MAX_BITS} bits are refused; this one has {bits}"
        )));
    }
    Ok(())
}

/// An RSA public key, prepared once, and its members for a JWK.
#[derive(Clone)]
pub(crate) struct RsaPublic {
    n: Vec<u8>,
    e: Vec<u8>,
    verifier: RsaVerifier,
    alg: Algorithm,
}

impl RsaPublic {
    /// A key from its modulus and public exponent, big-endian.
    pub(crate) fn from_components(alg: Algorithm, n: &[u8], e: &[u8]) -> Result<Self, Error> {
        let (n, e) = (trimmed(n), trimmed(e));
        check_modulus(n)?;
        // RSA exponents are small; 8 bytes is far more than any real key uses.
        if e.is_empty() || e.len() > 8 {
            return Err(invalid(
                "the RSA public exponent is zero or longer than 8 bytes".into(),
            ));
        }
        Ok(RsaPublic {
            verifier: RsaVerifier::new(alg, n, e)?,
            n: n.to_vec(),
            e: e.to_vec(),
            alg,
        })
    }

    /// A key from a PKCS#1 `RSAPublicKey` (the contents of SPKI, or `RSA PUBLIC KEY`).
    pub(crate) fn from_pkcs1_der(alg: Algorithm, der: &[u8]) -> Result<Self, Error> {
        let key = pkcs1::RsaPublicKeyRef::from_der(der).map_err(|error| {
            invalid(format!("the RSA public key is not PKCS#1 DER: {error}"))
        })?;
        RsaPublic::from_components(
            alg,
            key.modulus.as_bytes(),
            key.public_exponent.as_bytes(),
        )
    }

    /// A key from the `n` and `e` of an RSA JWK.
    pub(crate) fn from_jwk(alg: Algorithm, jwk: &Jwk) -> Result<Self, Error> {
        RsaPublic::from_components(alg, &jwk.bytes("n")?, &jwk.bytes("e")?)
    }

    /// Verifies a signature, which is exactly as long as the modulus.
    pub(crate) fn verify(&self, message: &[u8], signature: &[u8]) -> Result<(), Error> {
        if signature.len() != self.n.len() {
            return Err(Error::new(
                ErrorKind::InvalidSignature,
                format!(
                    "an {} signature with this key has {} bytes, this one has {}",
                    self.alg,
                    self.n.len(),
                    signature.len()
                ),
            ));
        }
        self.verifier.verify(message, signature)
    }

    /// The key type and the members RFC 7638 hashes, in its order.
    pub(crate) fn jwk_members(&self) -> (&'static str, Vec<(&'static str, String)>) {
        (
            "RSA",
            vec![
                ("e", base64url_string(&self.e)),
                ("n", base64url_string(&self.n)),
            ],
        )
    }
}

/// An RSA private key and its public key.
pub(crate) struct RsaPrivate {
    signer: RsaSigner,
    public: RsaPublic,
}

impl RsaPrivate {
    /// A key from a PKCS#1 `RSAPrivateKey` (the contents of PKCS#8, or `RSA PRIVATE KEY`).
    pub(crate) fn from_pkcs1_der(alg: Algorithm, der: &[u8]) -> Result<Self, Error> {
        // The size is checked before the backend does any arithmetic with the key.
        let key = pkcs1::RsaPrivateKeyRef::from_der(der).map_err(|error| {
            invalid(format!("the RSA private key is not PKCS#1 DER: {error}"))
        })?;
        check_modulus(trimmed(key.modulus.as_bytes()))?;
        RsaPrivate::prepared(alg, RsaSigner::from_pkcs1_der(alg, der)?)
    }

    /// A new key of [`GENERATED_BITS`].
    pub(crate) fn generate(alg: Algorithm) -> Result<Self, Error> {
        RsaPrivate::prepared(alg, RsaSigner::generate(alg, GENERATED_BITS)?)
    }

    fn prepared(alg: Algorithm, signer: RsaSigner) -> Result<Self, Error> {
        let (n, e) = signer.public_components();
        Ok(RsaPrivate {
            public: RsaPublic::from_components(alg, &n, &e)?,
            signer,
        })
    }

    pub(crate) fn public(&self) -> &RsaPublic {
        &self.public
    }

    pub(crate) fn sign(&self, message: &[u8]) -> Result<Vec<u8>, Error> {
        self.signer.sign(message)
    }
}
