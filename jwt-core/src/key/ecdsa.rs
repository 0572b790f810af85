//! The ECDSA family: ES256 (P-256, SHA-256), ES384 (P-384, SHA-384), ES512 (P-521,
//! SHA-512), RFC 7518 section 3.4. Signatures are the raw `r || s`, each of the curve's
//! full length; DER and every other length are refused.

use der::Decode;

use super::Jwk;
use super::asymmetric::base64url_string;
use super::backend::{EcSigner, EcVerifier};
use super::pem::KeyKind;
use crate::{Algorithm, Error, ErrorKind};

fn invalid(message: String) -> Error {
    Error::new(ErrorKind::InvalidKey, message)
}

/// The length of a coordinate, of `r` and of `s` on the curve of `alg`.
pub(crate) fn coordinate_len(alg: Algorithm) -> usize {
    match alg {
        Algorithm::ES384 => 48,
        Algorithm::ES512 => 66,
        _ => 32,
    }
}

/// The JWK curve name of the curve of `alg`.
pub(crate) fn curve_name(alg: Algorithm) -> &'static str {
    match alg {
        Algorithm::ES384 => "P-384",
        Algorithm::ES512 => "P-521",
        _ => "P-256",
    }
}

/// An ECDSA public key, prepared once.
#[derive(Clone)]
pub(crate) struct EcPublic {
    alg: Algorithm,
    /// `0x04 || x || y`.
    point: Vec<u8>,
    verifier: EcVerifier,
}

impl EcPublic {
    /// A key from a SEC1 point (the contents of SPKI), which must lie on the curve.
    pub(crate) fn from_sec1(alg: Algorithm, point: &[u8]) -> Result<Self, Error> {
        let verifier = EcVerifier::from_sec1(alg, point)?;
        Ok(EcPublic {
            alg,
            point: verifier.uncompressed_point(),
            verifier,
        })
    }

    /// A key from the `x` and `y` of an EC JWK, each of the curve's full length (RFC 7518
    /// section 6.2.1.2).
    pub(crate) fn from_jwk(alg: Algorithm, jwk: &Jwk) -> Result<Self, Error> {
        let len = coordinate_len(alg);
        let mut point = Vec::with_capacity(1 + 2 * len);
        point.push(0x04);
        for name in ["x", "y"] {
            let coordinate = jwk.bytes(name)?;
            if coordinate.len() != len {
                return Err(invalid(format!(
                    "the {} JWK member `{name}` has {} bytes, not {len}",
                    curve_name(alg),
                    coordinate.len()
                )));
            }
            point.extend_from_slice(&coordinate);
        }
        EcPublic::from_sec1(alg, &point)
    }

    /// Verifies the raw `r || s`: any other length, DER included, and `r` or `s` outside
    /// `[1, n-1]` are refused.
    pub(crate) fn verify(&self, message: &[u8], signature: &[u8]) -> Result<(), Error> {
        let len = 2 * coordinate_len(self.alg);
        if signature.len() != len {
            return Err(Error::new(
                ErrorKind::InvalidSignature,
                format!(
                    "an {} signature is the {len} bytes of r || s (RFC 7518 section 3.4), this \
                     one has {}",
                    self.alg,
                    signature.len()
                ),
            ));
        }
        self.verifier.verify(message, signature)
    }

    /// The key type and the members RFC 7638 hashes, in its order.
    pub(crate) fn jwk_members(&self) -> (&'static str, Vec<(&'static str, String)>) {
        let len = coordinate_len(self.alg);
        let coordinates = self.point.get(1..).unwrap_or_default();
        let (x, y) = coordinates.split_at(len.min(coordinates.len()));
        (
            "EC",
            vec![
                ("crv", curve_name(self.alg).to_owned()),
                ("x", base64url_string(x)),
                ("y", base64url_string(y)),
            ],
        )
    }
}

/// An ECDSA private key and its public key.
pub(crate) struct EcPrivate {
    signer: EcSigner,
    public: EcPublic,
}

impl EcPrivate {
    /// A key from a SEC1 `ECPrivateKey` (RFC 5915; the contents of PKCS#8, or `EC PRIVATE
    /// KEY`). A curve it names must be the algorithm's, and a public key it holds must
    /// be the private key's.
    pub(crate) fn from_sec1_der(alg: Algorithm, der: &[u8]) -> Result<Self, Error> {
        let key = sec1::EcPrivateKey::from_der(der)
            .map_err(|error| invalid(format!("the EC private key is not SEC1 DER: {error}")))?;
        if let Some(sec1::EcParameters::NamedCurve(curve)) = key.parameters {
            KeyKind::of_curve(curve)?.check_fits(alg)?;
        }
        let private = EcPrivate::prepared(alg, EcSigner::from_scalar(alg, key.private_key)?);
        if let Some(point) = key.public_key {
            let given = EcVerifier::from_sec1(alg, point)?.uncompressed_point();
            if given != private.public.point {
                return Err(invalid(
                    "the EC private key holds a public key that is not its own".into(),
                ));
            }
        }
        Ok(private)
    }

    pub(crate) fn generate(alg: Algorithm) -> Result<Self, Error> {
        Ok(EcPrivate::prepared(alg, EcSigner::generate(alg)?))
    }

    fn prepared(alg: Algorithm, signer: EcSigner) -> Self {
        let verifier = signer.verifier();
        EcPrivate {
            public: EcPublic {
                alg,
                point: verifier.uncompressed_point(),
                verifier,
            },
            signer,
        }
    }

    pub(crate) fn public(&self) -> &EcPublic {
        &self.public
    }

    /// Hands the raw `r || s` to `take`.
    pub(crate) fn sign<R>(&self, message: &[u8], take: impl FnOnce(&[u8]) -> R) -> Result<R, Error> {
        self.signer.sign(message, take)
    }
}
