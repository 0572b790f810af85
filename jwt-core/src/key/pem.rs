//! Key formats: PEM (RFC 7468) around DER, SPKI (RFC 5280 section 4.1) for public keys
//! and PKCS#8 (RFC 5958) for private keys, and which kind of key each holds. The
//! families read what is inside (PKCS#1, SEC1, a raw point or seed).

use std::fmt;

use der::Decode;
use der::asn1::ObjectIdentifier;
use spki::SubjectPublicKeyInfoRef;

use crate::error::Excerpt;
use crate::{Algorithm, Error, ErrorKind};

const RSA_ENCRYPTION: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");
const EC_PUBLIC_KEY: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");
const ED25519: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.101.112");
pub(crate) const P256: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.3.1.7");
pub(crate) const P384: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.0.34");
pub(crate) const P521: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.0.35");

/// The kind of key an encoding holds, whichever families this build has.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum KeyKind {
    Rsa,
    /// An EC key on the curve of this ECDSA algorithm.
    Ec(Algorithm),
    Ed25519,
}

impl KeyKind {
    /// The EC key kind of a named-curve OID.
    pub(crate) fn of_curve(curve: ObjectIdentifier) -> Result<KeyKind, Error> {
        match curve {
            P256 => Ok(KeyKind::Ec(Algorithm::ES256)),
            P384 => Ok(KeyKind::Ec(Algorithm::ES384)),
            P521 => Ok(KeyKind::Ec(Algorithm::ES512)),
            other => Err(invalid(format!(
                "the EC key's curve {other} is not P-256, P-384 or P-521"
            ))),
        }
    }

    /// The kind of key an algorithm needs.
    pub(crate) fn for_alg(alg: Algorithm) -> Option<KeyKind> {
        match alg {
            Algorithm::RS256
            | Algorithm::RS384
            | Algorithm::RS512
            | Algorithm::PS256
            | Algorithm::PS384
            | Algorithm::PS512 => Some(KeyKind::Rsa),
            Algorithm::ES256 | Algorithm::ES384 | Algorithm::ES512 => Some(KeyKind::Ec(alg)),
            Algorithm::EdDSA => Some(KeyKind::Ed25519),
            Algorithm::HS256 | Algorithm::HS384 | Algorithm::HS512 => None,
        }
    }

    /// Refuses a key of this kind for `alg`: an RSA key for ES256, a P-256 key for ES384.
    pub(crate) fn check_fits(self, alg: Algorithm) -> Result<(), Error> {
        if KeyKind::for_alg(alg) == Some(self) {
            Ok(())
        } else {
            Err(invalid(format!("{self} key cannot be used for {alg}")))
        }
    }
}

impl fmt::Display for KeyKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            KeyKind::Rsa => "an RSA",
            KeyKind::Ec(Algorithm::ES256) => "a P-256",
            KeyKind::Ec(Algorithm::ES384) => "a P-384",
            KeyKind::Ec(_) => "a P-521",
            KeyKind::Ed25519 => "an Ed25519",
        })
    }
}

fn invalid(message: String) -> Error {
    Error::new(ErrorKind::InvalidKey, message)
}

/// A PEM document's label and DER contents.
pub(crate) fn decode(pem: &str) -> Result<(&str, Vec<u8>), Error> {
    pem_rfc7468::decode_vec(pem.trim().as_bytes())
        .map_err(|error| invalid(format!("the key is not one PEM block: {error}")))
}

/// Refuses a PEM label other than the ones expected, naming what was found.
pub(crate) fn unexpected_label(label: &str, expected: &str) -> Error {
    invalid(format!("a PEM {} block is not {expected}", Excerpt(label)))
}

/// The kind of key an algorithm identifier names.
fn key_kind(algorithm: &spki::AlgorithmIdentifierRef<'_>) -> Result<KeyKind, Error> {
    match algorithm.oid {
        RSA_ENCRYPTION => Ok(KeyKind::Rsa),
        ED25519 => Ok(KeyKind::Ed25519),
        EC_PUBLIC_KEY => {
            let curve = algorithm
                .parameters_oid()
                .map_err(|_| invalid("the EC key names no curve".into()))?;
            KeyKind::of_curve(curve)
        }
        other => Err(invalid(format!(
            "the key's algorithm {other} is not RSA, EC or Ed25519"
        ))),
    }
}

/// The kind and the public key bits of an SPKI `SubjectPublicKeyInfo`.
pub(crate) fn parse_spki(der: &[u8]) -> Result<(KeyKind, &[u8]), Error> {
    let spki = SubjectPublicKeyInfoRef::from_der(der)
        .map_err(|error| invalid(format!("the public key is not SPKI DER: {error}")))?;
    let kind = key_kind(&spki.algorithm)?;
    let bits = spki
        .subject_public_key
        .as_bytes()
        .ok_or_else(|| invalid("the public key's bit string is not whole bytes".into()))?;
    Ok((kind, bits))
}

/// The kind and the private key contents of a PKCS#8 `PrivateKeyInfo`.
pub(crate) fn parse_pkcs8(der: &[u8]) -> Result<(KeyKind, &[u8]), Error> {
    let info = pkcs8::PrivateKeyInfoRef::from_der(der)
        .map_err(|error| invalid(format!("the private key is not PKCS#8 DER: {error}")))?;
    let kind = key_kind(&info.algorithm)?;
    Ok((kind, info.private_key.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn broken_pem_is_an_invalid_key() {
        for pem in [
            "",
            "not pem",
            "-----BEGIN PUBLIC KEY-----\nnot base64!\n-----END PUBLIC KEY-----",
            "-----BEGIN PUBLIC KEY-----\nMCow\n-----END PRIVATE KEY-----",
        ] {
            assert_eq!(
                decode(pem).unwrap_err().kind(),
                ErrorKind::InvalidKey,
                "{pem}"
            );
        }
    }

    #[test]
    fn broken_der_is_an_invalid_key() {
        for der in [
            &[][..],
            &[0x30],
            &[0x30, 0x03, 0x02, 0x01, 0x01],
            &[0xff; 40],
        ] {
            assert_eq!(parse_spki(der).unwrap_err().kind(), ErrorKind::InvalidKey);
            assert_eq!(parse_pkcs8(der).unwrap_err().kind(), ErrorKind::InvalidKey);
        }
    }

    #[test]
    fn keys_fit_only_their_algorithms() {
        assert!(KeyKind::Rsa.check_fits(Algorithm::PS384).is_ok());
        assert!(
            KeyKind::Ec(Algorithm::ES256)
                .check_fits(Algorithm::ES256)
                .is_ok()
        );
        for (kind, alg) in [
            (KeyKind::Rsa, Algorithm::ES256),
            (KeyKind::Rsa, Algorithm::HS256),
            (KeyKind::Ec(Algorithm::ES256), Algorithm::ES384),
            (KeyKind::Ed25519, Algorithm::ES256),
        ] {
            let err = kind.check_fits(alg).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::InvalidKey);
            assert!(err.to_string().contains(alg.as_str()), "{err}");
        }
    }
}
