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
        let key = pkcs1::RsaPublicKeyRef::from_der(der)
            .map_err(|error| invalid(format!("the RSA public key is not PKCS#1 DER: {error}")))?;
        RsaPublic::from_components(alg, key.modulus.as_bytes(), key.public_exponent.as_bytes())
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
        let key = pkcs1::RsaPrivateKeyRef::from_der(der)
            .map_err(|error| invalid(format!("the RSA private key is not PKCS#1 DER: {error}")))?;
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::key::test_keys::*;
    use crate::key::{KeyPair, PublicKey, VerifyingKey};

    fn kind<T>(result: Result<T, Error>) -> ErrorKind {
        result.err().map(|err| err.kind()).unwrap()
    }

    #[test]
    fn keys_below_2048_bits_are_refused() {
        let err = PublicKey::from_pem(Algorithm::RS256, RSA1024_PUB).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidKey);
        assert!(err.to_string().contains("below 2048 bits"), "{err}");
        assert!(err.to_string().contains("1024"), "{err}");
        assert_eq!(
            kind(KeyPair::from_pem(Algorithm::PS256, RSA1024)),
            ErrorKind::InvalidKey
        );
    }

    #[test]
    fn keys_of_4096_bits_work() {
        let pair = KeyPair::from_pem(Algorithm::RS512, RSA4096).unwrap();
        let signature = crate::SigningKey::sign(&pair, b"a.b").unwrap();
        assert_eq!(signature.len(), 512);
        pair.public_key().verify(None, b"a.b", &signature).unwrap();
    }

    #[test]
    fn moduli_above_8192_bits_are_refused_before_any_arithmetic() {
        // An odd number of 8200 bits: no key, but its size is all that is looked at.
        let mut n = vec![0xc5; 1025];
        n[1024] |= 1;
        let err = RsaPublic::from_components(Algorithm::RS256, &n, &[1, 0, 1])
            .err()
            .unwrap();
        assert_eq!(err.kind(), ErrorKind::InvalidKey);
        assert!(err.to_string().contains("above 8192 bits"), "{err}");
        // 8192 bits exactly is within the bound (an odd number is all a public key
        // needs to be read).
        assert!(RsaPublic::from_components(Algorithm::RS256, &[0xff; 1024], &[1, 0, 1]).is_ok());
    }

    #[test]
    fn leading_zero_bytes_do_not_count_toward_the_size() {
        let key = PublicKey::from_pem(Algorithm::RS256, RSA2048_PUB).unwrap();
        let jwk = key.to_jwk();
        let mut n = jwk.bytes("n").unwrap();
        n.insert(0, 0);
        let padded = RsaPublic::from_components(Algorithm::RS256, &n, &[1, 0, 1]).unwrap();
        let mut small = vec![0; 200];
        small.extend_from_slice(&n[..130]);
        assert_eq!(
            kind(RsaPublic::from_components(
                Algorithm::RS256,
                &small,
                &[1, 0, 1]
            )),
            ErrorKind::InvalidKey
        );
        assert_eq!(
            padded.jwk_members(),
            RsaPublic::from_jwk(Algorithm::RS256, &jwk)
                .unwrap()
                .jwk_members()
        );
    }

    #[test]
    fn bad_exponents_are_refused() {
        let n = PublicKey::from_pem(Algorithm::RS256, RSA2048_PUB)
            .unwrap()
            .to_jwk()
            .bytes("n")
            .unwrap();
        for e in [&[][..], &[0], &[1], &[2], &[1; 9], &[1, 0, 0]] {
            let err = RsaPublic::from_components(Algorithm::RS256, &n, e)
                .err()
                .unwrap();
            assert_eq!(err.kind(), ErrorKind::InvalidKey, "{e:?}");
        }
    }

    #[test]
    fn pkcs1_and_pkcs8_and_spki_read_the_same_key() {
        let spki = PublicKey::from_pem(Algorithm::RS256, RSA2048_PUB).unwrap();
        let pkcs1 = PublicKey::from_pem(Algorithm::RS256, RSA2048_PKCS1_PUB).unwrap();
        let pair = KeyPair::from_pem(Algorithm::RS256, RSA2048_PKCS1).unwrap();
        assert_eq!(spki.thumbprint(), pkcs1.thumbprint());
        assert_eq!(spki.thumbprint(), pair.public_key().thumbprint());
        let err = PublicKey::from_der(Algorithm::RS256, &der(RSA2048_PKCS1_PUB)).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidKey);
    }

    #[test]
    fn openssl_signatures_verify() {
        let key = PublicKey::from_pem(Algorithm::RS256, RSA2048_PUB).unwrap();
        key.verify(None, MESSAGE, &base64(RS256_SIG)).unwrap();
        let key = PublicKey::from_pem(Algorithm::PS256, RSA2048_PUB).unwrap();
        key.verify(None, MESSAGE, &base64(PS256_SALT32_SIG))
            .unwrap();
    }

    #[test]
    fn pss_salts_must_be_as_long_as_the_hash() {
        let key = PublicKey::from_pem(Algorithm::PS256, RSA2048_PUB).unwrap();
        let err = key
            .verify(None, MESSAGE, &base64(PS256_SALT20_SIG))
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidSignature);
    }

    #[test]
    fn a_signature_is_checked_under_its_keys_algorithm_only() {
        let rs = PublicKey::from_pem(Algorithm::RS384, RSA2048_PUB).unwrap();
        let err = rs.verify(None, MESSAGE, &base64(RS256_SIG)).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidSignature);
        let ps = PublicKey::from_pem(Algorithm::PS256, RSA2048_PUB).unwrap();
        let err = ps.verify(None, MESSAGE, &base64(RS256_SIG)).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidSignature);
    }

    #[test]
    fn signatures_of_the_wrong_length_are_refused() {
        let key = PublicKey::from_pem(Algorithm::RS256, RSA2048_PUB).unwrap();
        let signature = base64(RS256_SIG);
        for bad in [&signature[..255], &[&signature[..], &[0]].concat()[..], &[]] {
            let err = key.verify(None, MESSAGE, bad).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::InvalidSignature);
        }
        // As long as the modulus but larger than it: refused, not reduced.
        let err = key.verify(None, MESSAGE, &[0xff; 256]).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidSignature);
    }

    #[test]
    fn generated_keys_have_2048_bits() {
        let pair = KeyPair::generate(Algorithm::PS512).unwrap();
        let n = pair.public_key().to_jwk().bytes("n").unwrap();
        assert_eq!(n.len() * 8, GENERATED_BITS);
        let signature = crate::SigningKey::sign(&pair, b"m").unwrap();
        pair.public_key().verify(None, b"m", &signature).unwrap();
    }
}
