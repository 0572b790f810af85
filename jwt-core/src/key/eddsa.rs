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
        EdPrivate::prepared(EdSigner::from_seed(seed)?)
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
    pub(crate) fn sign<R>(
        &self,
        message: &[u8],
        take: impl FnOnce(&[u8]) -> R,
    ) -> Result<R, Error> {
        self.signer.sign(message, take)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Algorithm;
    use crate::key::test_keys::*;
    use crate::key::{KeyPair, PublicKey, SigningKey, VerifyingKey};

    fn hex(text: &str) -> Vec<u8> {
        (0..text.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap())
            .collect()
    }

    /// The group order L, little-endian.
    const L: [u8; 32] = [
        0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde,
        0x14, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10,
    ];

    #[test]
    fn rfc_8032_test_1_verifies() {
        let key = EdPublic::from_bytes(&hex(
            "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
        ))
        .unwrap();
        let signature = hex(
            "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b",
        );
        key.verify(b"", &signature).unwrap();
        assert_eq!(
            key.verify(b"x", &signature).unwrap_err().kind(),
            ErrorKind::InvalidSignature
        );
    }

    #[test]
    fn small_order_public_keys_are_refused() {
        let mut identity = [0u8; 32];
        identity[0] = 1;
        // y = -1: the point of order 2.
        let mut order_two = [0xff; 32];
        order_two[0] = 0xec;
        order_two[31] = 0x7f;
        for key in [identity, order_two] {
            let err = EdPublic::from_bytes(&key).err().unwrap();
            assert_eq!(err.kind(), ErrorKind::InvalidKey);
            assert!(err.to_string().contains("small order"), "{err}");
        }
    }

    #[test]
    fn public_keys_of_the_wrong_length_or_off_the_curve_are_refused() {
        for bytes in [&[9u8; 31][..], &[9; 33], &[]] {
            let err = EdPublic::from_bytes(bytes).err().unwrap();
            assert_eq!(err.kind(), ErrorKind::InvalidKey);
        }
        // y = 2 has no x on the curve.
        let mut off = [0u8; 32];
        off[0] = 2;
        let err = EdPublic::from_bytes(&off).err().unwrap();
        assert_eq!(err.kind(), ErrorKind::InvalidKey);
    }

    #[test]
    fn non_canonical_s_is_refused() {
        let pair = KeyPair::from_pem(Algorithm::EdDSA, ED25519).unwrap();
        let signature = pair.sign(b"a.b").unwrap();
        pair.verify(None, b"a.b", &signature).unwrap();
        // S + L is the same scalar modulo L, encoded non-canonically.
        let mut malleated = signature.clone();
        let mut carry = 0u16;
        for (byte, l) in malleated[32..].iter_mut().zip(L) {
            let sum = u16::from(*byte) + u16::from(l) + carry;
            *byte = sum.to_le_bytes()[0];
            carry = sum >> 8;
        }
        assert_eq!(carry, 0);
        let err = pair.verify(None, b"a.b", &malleated).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidSignature);
    }

    #[test]
    fn signatures_of_the_wrong_length_are_refused() {
        let pair = KeyPair::from_pem(Algorithm::EdDSA, ED25519).unwrap();
        let signature = pair.sign(b"a.b").unwrap();
        for bad in [&signature[..63], &[&signature[..], &[0]].concat()[..], &[]] {
            let err = pair.verify(None, b"a.b", bad).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::InvalidSignature);
            assert!(err.to_string().contains("64 bytes"), "{err}");
        }
    }

    #[test]
    fn private_keys_hold_a_32_byte_seed() {
        let pkcs8 = der(ED25519);
        assert_eq!(pkcs8.len(), 48);
        // The same structure with a 31-byte seed.
        let mut short = pkcs8[..47].to_vec();
        short[1] -= 1;
        short[13] -= 1;
        short[15] -= 1;
        let err = KeyPair::from_der(Algorithm::EdDSA, &short).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidKey);
        assert!(err.to_string().contains("32 bytes"), "{err}");
        let seed_not_wrapped = EdPrivate::from_pkcs8_contents(&pkcs8[16..]).err().unwrap();
        assert_eq!(seed_not_wrapped.kind(), ErrorKind::InvalidKey);
    }

    #[test]
    fn the_jwk_x_is_the_public_key() {
        let key = PublicKey::from_pem(Algorithm::EdDSA, ED25519_PUB).unwrap();
        let jwk = key.to_jwk();
        assert_eq!((jwk.kty(), jwk.crv()), ("OKP", Some("Ed25519")));
        assert_eq!(jwk.bytes("x").unwrap(), der(ED25519_PUB)[12..]);
    }
}
