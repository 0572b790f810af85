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

    /// The length of `r || s`.
    pub(crate) fn signature_len(&self) -> usize {
        2 * coordinate_len(self.alg)
    }

    /// Verifies the raw `r || s`: any other length, DER included, and `r` or `s` outside
    /// `[1, n-1]` are refused.
    pub(crate) fn verify(&self, message: &[u8], signature: &[u8]) -> Result<(), Error> {
        let len = self.signature_len();
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
        let private = EcPrivate::prepared(alg, EcSigner::from_sec1(alg, der, key.private_key)?)?;
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
        EcPrivate::prepared(alg, EcSigner::generate(alg)?)
    }

    fn prepared(alg: Algorithm, signer: EcSigner) -> Result<Self, Error> {
        let verifier = signer.verifier()?;
        Ok(EcPrivate {
            public: EcPublic {
                alg,
                point: verifier.uncompressed_point(),
                verifier,
            },
            signer,
        })
    }

    pub(crate) fn public(&self) -> &EcPublic {
        &self.public
    }

    /// Hands the raw `r || s` to `take`.
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
    use crate::key::test_keys::*;
    use crate::key::{KeyPair, PublicKey, SigningKey, VerifyingKey};

    const CURVES: [(Algorithm, &str, &str, &str); 3] = [
        (Algorithm::ES256, P256, P256_SEC1, P256_PUB),
        (Algorithm::ES384, P384, P384_SEC1, P384_PUB),
        (Algorithm::ES512, P521, P521_SEC1, P521_PUB),
    ];

    /// The order of P-256.
    const P256_N: [u8; 32] = [
        0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
        0xff, 0xbc, 0xe6, 0xfa, 0xad, 0xa7, 0x17, 0x9e, 0x84, 0xf3, 0xb9, 0xca, 0xc2, 0xfc, 0x63,
        0x25, 0x51,
    ];

    /// `r || s` of a DER `ECDSA-Sig-Value` of P-256 (short-form lengths only).
    fn raw_from_der(der: &[u8]) -> Vec<u8> {
        assert_eq!(der[0], 0x30);
        let mut raw = Vec::new();
        let mut at = 2;
        for _ in 0..2 {
            assert_eq!(der[at], 0x02);
            let len = usize::from(der[at + 1]);
            let int = &der[at + 2..at + 2 + len];
            let int = &int[int.iter().position(|&b| b != 0).unwrap()..];
            raw.extend(std::iter::repeat_n(0, 32 - int.len()));
            raw.extend_from_slice(int);
            at += 2 + len;
        }
        raw
    }

    #[test]
    fn sec1_and_pkcs8_read_the_same_key() {
        for (alg, pkcs8, sec1, public) in CURVES {
            let from_sec1 = KeyPair::from_pem(alg, sec1).unwrap();
            let from_pkcs8 = KeyPair::from_pem(alg, pkcs8).unwrap();
            let public = PublicKey::from_pem(alg, public).unwrap();
            assert_eq!(from_sec1.public_key().thumbprint(), public.thumbprint());
            assert_eq!(from_pkcs8.public_key().thumbprint(), public.thumbprint());
            let signature = from_sec1.sign(b"a.b").unwrap();
            from_pkcs8.verify(None, b"a.b", &signature).unwrap();
            assert_eq!(
                from_sec1.sign(b"a.b").unwrap().len(),
                2 * coordinate_len(alg)
            );
        }
    }

    #[test]
    fn a_sec1_key_of_another_curve_is_refused() {
        let err = KeyPair::from_pem(Algorithm::ES256, P384_SEC1).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidKey);
        assert!(err.to_string().contains("P-384"), "{err}");
        let err = KeyPair::from_pem(Algorithm::ES512, P256_SEC1).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidKey);
    }

    #[test]
    fn a_sec1_key_whose_public_key_is_not_its_own_is_refused() {
        let mut sec1 = der(P256_SEC1);
        assert!(EcPrivate::from_sec1_der(Algorithm::ES256, &sec1).is_ok());
        // The public key ends the structure (`[1]`, a BIT STRING of `04 || x || y`);
        // put another key's point, also on the curve, in its place.
        let generated = KeyPair::generate(Algorithm::ES256).unwrap();
        let jwk = generated.public_key().to_jwk();
        let at = sec1.len() - 64;
        sec1[at..at + 32].copy_from_slice(&jwk.bytes("x").unwrap());
        sec1[at + 32..].copy_from_slice(&jwk.bytes("y").unwrap());
        let err = EcPrivate::from_sec1_der(Algorithm::ES256, &sec1)
            .err()
            .unwrap();
        assert_eq!(err.kind(), ErrorKind::InvalidKey);
        assert!(err.to_string().contains("not its own"), "{err}");
    }

    #[test]
    fn der_signatures_are_refused_and_their_raw_form_verifies() {
        let key = PublicKey::from_pem(Algorithm::ES256, P256_PUB).unwrap();
        let der_signature = base64(ES256_DER_SIG);
        let err = key.verify(None, MESSAGE, &der_signature).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidSignature);
        assert!(err.to_string().contains("r || s"), "{err}");
        key.verify(None, MESSAGE, &raw_from_der(&der_signature))
            .unwrap();
    }

    #[test]
    fn signatures_of_any_other_length_are_refused() {
        for (alg, pkcs8, _, _) in CURVES {
            let pair = KeyPair::from_pem(alg, pkcs8).unwrap();
            let signature = pair.sign(b"a.b").unwrap();
            let longer = [&signature[..], &[0]].concat();
            let shorter = &signature[..signature.len() - 1];
            for bad in [&longer[..], shorter, &[], &signature[..64]] {
                if bad.len() == signature.len() {
                    continue;
                }
                let err = pair.verify(None, b"a.b", bad).unwrap_err();
                assert_eq!(
                    err.kind(),
                    ErrorKind::InvalidSignature,
                    "{alg} {}",
                    bad.len()
                );
            }
        }
    }

    #[test]
    fn r_and_s_outside_1_to_n_minus_1_are_refused() {
        // CVE-2022-21449: r = s = 0 verified every message under Java's ECDSA.
        for (alg, pkcs8, _, _) in CURVES {
            let pair = KeyPair::from_pem(alg, pkcs8).unwrap();
            let len = coordinate_len(alg);
            let signature = pair.sign(b"a.b").unwrap();
            let (r, s) = signature.split_at(len);
            let zero = vec![0; len];
            let ones = vec![0xff; len];
            for bad in [
                [&zero[..], &zero[..]].concat(),
                [r, &zero[..]].concat(),
                [&zero[..], s].concat(),
                [&ones[..], s].concat(),
                [r, &ones[..]].concat(),
            ] {
                let err = pair.verify(None, b"a.b", &bad).unwrap_err();
                assert_eq!(err.kind(), ErrorKind::InvalidSignature, "{alg}");
            }
        }
        let key = PublicKey::from_pem(Algorithm::ES256, P256_PUB).unwrap();
        let raw = raw_from_der(&base64(ES256_DER_SIG));
        for bad in [
            [&P256_N[..], &raw[32..]].concat(),
            [&raw[..32], &P256_N[..]].concat(),
        ] {
            let err = key.verify(None, MESSAGE, &bad).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::InvalidSignature);
            // `RustCrypto` says why; AWS-LC only that it does not verify.
            if cfg!(not(jwt_aws_lc)) {
                assert!(err.to_string().contains("[1, n-1]"), "{err}");
            }
        }
    }

    fn ec_jwk(alg: Algorithm, public: &str) -> serde_json::Map<String, serde_json::Value> {
        PublicKey::from_pem(alg, public)
            .unwrap()
            .to_jwk()
            .into_members()
    }

    #[test]
    fn jwk_points_must_lie_on_the_curve() {
        for (alg, _, _, public) in CURVES {
            let mut members = ec_jwk(alg, public);
            let mut y = Jwk::from_members(members.clone())
                .unwrap()
                .bytes("y")
                .unwrap();
            *y.last_mut().unwrap() ^= 1;
            members.insert("y".into(), base64url_string(&y).into());
            let err = EcPublic::from_jwk(alg, &Jwk::from_members(members).unwrap())
                .err()
                .unwrap();
            assert_eq!(err.kind(), ErrorKind::InvalidKey);
            assert!(err.to_string().contains("not a point"), "{err}");
        }
    }

    #[test]
    fn jwk_coordinates_must_have_the_curves_full_length() {
        for (alg, _, _, public) in CURVES {
            for name in ["x", "y"] {
                let mut members = ec_jwk(alg, public);
                let jwk = Jwk::from_members(members.clone()).unwrap();
                let coordinate = jwk.bytes(name).unwrap();
                for bad in [&coordinate[1..], &[&[0][..], &coordinate[..]].concat()[..]] {
                    members.insert(name.into(), base64url_string(bad).into());
                    let jwk = Jwk::from_members(members.clone()).unwrap();
                    let err = EcPublic::from_jwk(alg, &jwk).err().unwrap();
                    assert_eq!(err.kind(), ErrorKind::InvalidKey);
                    assert!(err.to_string().contains("bytes, not"), "{err}");
                }
            }
        }
    }

    #[test]
    fn an_spki_point_off_the_curve_is_refused() {
        let mut spki = der(P256_PUB);
        *spki.last_mut().unwrap() ^= 1;
        let err = PublicKey::from_der(Algorithm::ES256, &spki).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidKey);
    }

    #[test]
    fn a_jwk_curve_that_is_not_the_algs_is_refused() {
        let mut members = ec_jwk(Algorithm::ES256, P256_PUB);
        members.insert("alg".into(), "ES384".into());
        let err = PublicKey::from_jwk(&Jwk::from_members(members).unwrap()).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidKey);
        assert!(
            err.to_string()
                .contains("P-256 key cannot be used for ES384"),
            "{err}"
        );
    }
}
