//! Published examples of asymmetric JWS, as tests: RFC 7515 appendices A.2 (RS256), A.3
//! (ES256) and A.4 (ES512), RFC 8037 appendix A (Ed25519), RFC 7520 sections 4.1 to 4.3
//! (the JOSE cookbook: RS256, PS384, ES512; and 4.4, HS256, for the `aws-lc-rs` backend's
//! HMAC) and the RFC 7638 section 3.1 thumbprint. The
//! data is in `tests/vectors/` with its licence. Deterministic algorithms (RSASSA-PKCS1-v1_5,
//! Ed25519) must reproduce the published signature byte for byte; randomized ones (PSS,
//! ECDSA) must verify it. (RFC 7515 appendix A.1, HS256, is in `rfc7515.rs`.)
#![cfg(any(
    feature = "rsa",
    feature = "ecdsa",
    feature = "eddsa",
    feature = "aws-lc-rs"
))]
// Built with one family only, some helpers and imports serve no test.
#![cfg_attr(
    not(any(
        all(feature = "rsa", feature = "ecdsa", feature = "eddsa"),
        feature = "aws-lc-rs"
    )),
    allow(unused_imports, dead_code)
)]

mod key_helpers;

use jwt_core::{Algorithm, ErrorKind, KeyPair, NumericDate, PublicKey, SigningKey, Validation};
use key_helpers::{pem_to_der, public_jwk, str_of, unb64, vector};
use serde_json::{Map, Value};

/// The `exp` of the JWT examples of RFC 7515 appendix A.
#[cfg(any(feature = "rsa", feature = "ecdsa", feature = "aws-lc-rs"))]
const RFC7515_EXP: i64 = 1_300_819_380;

/// The example of RFC 7515 appendix A named `section`.
#[cfg(any(feature = "rsa", feature = "ecdsa", feature = "aws-lc-rs"))]
fn rfc7515(section: &str) -> Value {
    let all = vector("rfc7515/appendix_a.json");
    all["examples"]
        .as_array()
        .expect("an array of examples")
        .iter()
        .find(|example| example["section"] == section)
        .unwrap_or_else(|| panic!("no example {section}"))
        .clone()
}

/// Asserts that `signature` verifies over `signing_input` under `key`, and that the same
/// signature with one bit flipped, or over an input with one byte changed, does not.
#[track_caller]
fn assert_verifies_only_unchanged(key: &PublicKey, signing_input: &[u8], signature: &[u8]) {
    jwt_core::VerifyingKey::verify(key, None, signing_input, signature)
        .unwrap_or_else(|error| panic!("{key:?} refused the published signature: {error}"));
    let mut flipped = signature.to_vec();
    *flipped.last_mut().expect("a signature") ^= 1;
    let error = jwt_core::VerifyingKey::verify(key, None, signing_input, &flipped).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidSignature, "{error}");
    let mut changed = signing_input.to_vec();
    changed[signing_input.len() / 2] ^= 1;
    let error = jwt_core::VerifyingKey::verify(key, None, &changed, signature).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidSignature, "{error}");
}

/// The three public keys of an RFC 7515 example: from the published JWK, and from the SPKI
/// PEM and DER derived from it; all three must have the published public members.
#[cfg(any(feature = "rsa", feature = "ecdsa", feature = "aws-lc-rs"))]
fn rfc7515_public_keys(example: &Value, alg: Algorithm) -> [PublicKey; 3] {
    let pem = str_of(example, "public_spki_pem");
    let keys = [
        PublicKey::from_jwk(&public_jwk(&example["public_jwk"])).unwrap(),
        PublicKey::from_pem(alg, pem).unwrap(),
        PublicKey::from_der(alg, &pem_to_der(pem)).unwrap(),
    ];
    for key in &keys {
        assert_eq!(key.algorithm(), alg);
        let jwk = serde_json::to_value(key.to_jwk()).unwrap();
        for member in ["kty", "crv", "n", "e", "x", "y"] {
            assert_eq!(
                jwk.get(member),
                example["public_jwk"].get(member),
                "{member} of {key:?}"
            );
        }
    }
    keys
}

/// The private key of an RFC 7515 example, from the PKCS#8 PEM derived from its JWK.
#[cfg(any(feature = "rsa", feature = "ecdsa", feature = "aws-lc-rs"))]
fn rfc7515_key_pair(example: &Value, alg: Algorithm) -> KeyPair {
    KeyPair::from_pem(alg, str_of(example, "private_pkcs8_pem")).unwrap()
}

/// Untyped claims decoded from `token` under `key` just before the examples' `exp`.
#[cfg(any(feature = "rsa", feature = "ecdsa", feature = "aws-lc-rs"))]
fn decode_rfc7515_jwt(token: &str, key: &PublicKey) -> Result<Map<String, Value>, jwt_core::Error> {
    let validation = Validation::new().at(NumericDate::from_secs(RFC7515_EXP - 1));
    jwt_core::decode_with::<Map<String, Value>>(token, key, &validation)
        .map(jwt_core::Token::into_claims)
}

#[cfg(any(feature = "rsa", feature = "aws-lc-rs"))]
mod rsa {
    use super::*;

    #[test]
    fn rfc7515_a2_rs256_signing_reproduces_the_published_signature() {
        let example = rfc7515("A.2");
        let key = rfc7515_key_pair(&example, Algorithm::RS256);
        let signature = SigningKey::sign(&key, str_of(&example, "signing_input").as_bytes())
            .expect("the key signs");
        assert_eq!(signature, unb64(str_of(&example, "signature")));
    }

    #[test]
    fn rfc7515_a2_rs256_token_verifies_with_keys_from_jwk_pem_and_der() {
        let example = rfc7515("A.2");
        for key in rfc7515_public_keys(&example, Algorithm::RS256) {
            let claims = decode_rfc7515_jwt(str_of(&example, "compact"), &key).unwrap();
            assert_eq!(claims["iss"], "joe");
            assert_verifies_only_unchanged(
                &key,
                str_of(&example, "signing_input").as_bytes(),
                &unb64(str_of(&example, "signature")),
            );
        }
        // The key pair's own public key, too.
        let public = rfc7515_key_pair(&example, Algorithm::RS256).public_key();
        assert!(decode_rfc7515_jwt(str_of(&example, "compact"), &public).is_ok());
    }

    #[test]
    fn rfc7515_a2_rs256_token_is_expired_at_its_exp() {
        let example = rfc7515("A.2");
        let key = PublicKey::from_jwk(&public_jwk(&example["public_jwk"])).unwrap();
        let validation = Validation::new().at(NumericDate::from_secs(RFC7515_EXP));
        let error = jwt_core::decode_with::<Map<String, Value>>(
            str_of(&example, "compact"),
            &key,
            &validation,
        )
        .unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Expired);
    }

    /// RFC 7520 section 3.3 and 3.4: the cookbook's RSA key, public and private JWKs.
    fn rfc7520_rsa_public(alg: Option<&str>) -> PublicKey {
        let mut jwk = vector("rfc7520/3_3.rsa_public_key.json");
        if let Some(alg) = alg {
            jwk["alg"] = alg.into();
        }
        PublicKey::from_jwk(&public_jwk(&jwk)).unwrap()
    }

    fn rfc7520_rsa_private(alg: Algorithm) -> KeyPair {
        let jwk = vector("rfc7520/3_4.rsa_private_key.json");
        KeyPair::from_pem(alg, &key_helpers::rsa_private_pem_from_jwk(&jwk)).unwrap()
    }

    #[test]
    fn rfc7520_rsa_key_from_its_jwk_keeps_kid_and_defaults_to_rs256() {
        let key = rfc7520_rsa_public(None);
        assert_eq!(key.algorithm(), Algorithm::RS256);
        assert_eq!(key.kid(), Some("bilbo.baggins@hobbiton.example"));
        let jwk = serde_json::to_value(key.to_jwk()).unwrap();
        let published = vector("rfc7520/3_3.rsa_public_key.json");
        for member in ["kty", "kid", "use", "n", "e"] {
            assert_eq!(jwk[member], published[member], "{member}");
        }
        assert_eq!(jwk["alg"], "RS256");
    }

    #[test]
    fn rfc7520_4_1_rs256_signing_reproduces_the_published_signature() {
        let example = vector("rfc7520/4_1.rsa_v15_signature.json");
        let signing_input = str_of(&example["signing"], "sig-input");
        let published = unb64(str_of(&example["signing"], "sig"));
        let key = rfc7520_rsa_private(Algorithm::RS256);
        assert_eq!(
            SigningKey::sign(&key, signing_input.as_bytes()).unwrap(),
            published
        );
        assert_verifies_only_unchanged(
            &rfc7520_rsa_public(None),
            signing_input.as_bytes(),
            &published,
        );
        // The compact serialization is the signing input and the signature.
        assert_eq!(
            str_of(&example["output"], "compact"),
            format!("{signing_input}.{}", str_of(&example["signing"], "sig"))
        );
    }

    #[test]
    fn rfc7520_4_2_ps384_published_signature_verifies() {
        let example = vector("rfc7520/4_2.rsa-pss_signature.json");
        let signing_input = str_of(&example["signing"], "sig-input");
        let published = unb64(str_of(&example["signing"], "sig"));
        let key = rfc7520_rsa_public(Some("PS384"));
        assert_eq!(key.algorithm(), Algorithm::PS384);
        assert_verifies_only_unchanged(&key, signing_input.as_bytes(), &published);
        // The same signature is not an RS384 or PS256 one.
        for other in ["RS384", "PS256"] {
            let error = jwt_core::VerifyingKey::verify(
                &rfc7520_rsa_public(Some(other)),
                None,
                signing_input.as_bytes(),
                &published,
            )
            .unwrap_err();
            assert_eq!(error.kind(), ErrorKind::InvalidSignature, "{other}");
        }
    }

    #[test]
    fn rfc7520_ps384_key_signs_what_the_published_key_verifies() {
        let key = rfc7520_rsa_private(Algorithm::PS384);
        let signing_input = b"eyJhbGciOiJQUzM4NCJ9.cGF5bG9hZA";
        let first = SigningKey::sign(&key, signing_input).unwrap();
        let second = SigningKey::sign(&key, signing_input).unwrap();
        assert_ne!(first, second, "PSS signatures are randomized");
        let public = rfc7520_rsa_public(Some("PS384"));
        assert_verifies_only_unchanged(&public, signing_input, &first);
        assert_verifies_only_unchanged(&public, signing_input, &second);
    }

    #[test]
    fn rfc7638_3_1_thumbprint() {
        let jwk: Value = serde_json::json!({
            "kty": "RSA",
            "n": "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw",
            "e": "AQAB",
            "alg": "RS256",
            "kid": "2011-04-29"
        });
        let key = PublicKey::from_jwk(&public_jwk(&jwk)).unwrap();
        assert_eq!(
            key.thumbprint(),
            "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"
        );
        // The optional members do not change it, and `Debug` names it.
        let bare = PublicKey::from_jwk(&public_jwk(&serde_json::json!({
            "kty": "RSA", "n": jwk["n"], "e": "AQAB"
        })))
        .unwrap();
        assert_eq!(bare.thumbprint(), key.thumbprint());
        assert!(format!("{key:?}").contains(&key.thumbprint()), "{key:?}");
    }
}

#[cfg(any(feature = "ecdsa", feature = "aws-lc-rs"))]
mod ecdsa {
    use super::*;

    #[test]
    fn rfc7515_a3_es256_token_verifies_with_keys_from_jwk_pem_and_der() {
        let example = rfc7515("A.3");
        for key in rfc7515_public_keys(&example, Algorithm::ES256) {
            let claims = decode_rfc7515_jwt(str_of(&example, "compact"), &key).unwrap();
            assert_eq!(claims["iss"], "joe");
            assert_verifies_only_unchanged(
                &key,
                str_of(&example, "signing_input").as_bytes(),
                &unb64(str_of(&example, "signature")),
            );
        }
    }

    #[test]
    fn rfc7515_a3_es256_key_pair_signs_what_the_published_key_verifies() {
        let example = rfc7515("A.3");
        let key = rfc7515_key_pair(&example, Algorithm::ES256);
        let input = str_of(&example, "signing_input").as_bytes();
        let signature = SigningKey::sign(&key, input).unwrap();
        assert_eq!(signature.len(), 64, "raw r || s");
        let public = PublicKey::from_jwk(&public_jwk(&example["public_jwk"])).unwrap();
        assert_verifies_only_unchanged(&public, input, &signature);
        assert_eq!(key.public_key().thumbprint(), public.thumbprint());
    }

    #[test]
    fn rfc7515_a4_es512_published_signature_verifies_with_keys_from_jwk_pem_and_der() {
        let example = rfc7515("A.4");
        let signature = unb64(str_of(&example, "signature"));
        assert_eq!(signature.len(), 132, "raw r || s of P-521");
        for key in rfc7515_public_keys(&example, Algorithm::ES512) {
            // The payload is "Payload", not a JWT: the signature level.
            assert_verifies_only_unchanged(
                &key,
                str_of(&example, "signing_input").as_bytes(),
                &signature,
            );
        }
    }

    #[test]
    fn rfc7515_a4_es512_key_pair_signs_what_the_published_key_verifies() {
        let example = rfc7515("A.4");
        let key = rfc7515_key_pair(&example, Algorithm::ES512);
        let signature = SigningKey::sign(&key, b"eyJhbGciOiJFUzUxMiJ9.UGF5bG9hZA").unwrap();
        assert_eq!(signature.len(), 132);
        let public = PublicKey::from_jwk(&public_jwk(&example["public_jwk"])).unwrap();
        assert_verifies_only_unchanged(&public, b"eyJhbGciOiJFUzUxMiJ9.UGF5bG9hZA", &signature);
    }

    #[test]
    fn rfc7520_4_3_es512_published_signature_verifies() {
        let example = vector("rfc7520/4_3.ecdsa_signature.json");
        let key =
            PublicKey::from_jwk(&public_jwk(&vector("rfc7520/3_1.ec_public_key.json"))).unwrap();
        // No `alg` in the JWK: P-521 allows ES512 only.
        assert_eq!(key.algorithm(), Algorithm::ES512);
        assert_eq!(key.kid(), Some("bilbo.baggins@hobbiton.example"));
        assert_verifies_only_unchanged(
            &key,
            str_of(&example["signing"], "sig-input").as_bytes(),
            &unb64(str_of(&example["signing"], "sig")),
        );
        // The cookbook's compact token, through the decode path (its payload is text).
        let spy = key_helpers::signature_accepted(str_of(&example["output"], "compact"), &key);
        assert!(spy, "the compact token's signature is accepted");
    }

    #[test]
    fn rfc7520_ec_private_key_from_sec1_signs_what_the_public_jwk_verifies() {
        let private = vector("rfc7520/3_2.ec_private_key.json");
        let pem = key_helpers::ec_private_pem_from_jwk(&private);
        let key = KeyPair::from_pem(Algorithm::ES512, &pem).unwrap();
        let public =
            PublicKey::from_jwk(&public_jwk(&vector("rfc7520/3_1.ec_public_key.json"))).unwrap();
        assert_eq!(key.public_key().thumbprint(), public.thumbprint());
        let signature = SigningKey::sign(&key, b"a.b").unwrap();
        assert_verifies_only_unchanged(&public, b"a.b", &signature);
    }
}

#[cfg(any(feature = "eddsa", feature = "aws-lc-rs"))]
mod eddsa {
    use super::*;

    fn rfc8037() -> Value {
        vector("rfc8037/ed25519_jws.json")
    }

    fn key_pair() -> KeyPair {
        let seed = unb64(str_of(&rfc8037()["input"]["key"], "d"));
        KeyPair::from_der(Algorithm::EdDSA, &key_helpers::ed25519_pkcs8(&seed)).unwrap()
    }

    #[test]
    fn rfc8037_a_public_key_from_the_private_one_is_the_published_one() {
        let published = &rfc8037()["input"]["key"];
        let jwk = serde_json::to_value(key_pair().public_key().to_jwk()).unwrap();
        assert_eq!(jwk["kty"], "OKP");
        assert_eq!(jwk["crv"], "Ed25519");
        assert_eq!(jwk["x"], published["x"]);
        assert!(jwk.get("d").is_none(), "a public JWK has no d: {jwk}");
    }

    #[test]
    fn rfc8037_a_signing_reproduces_the_published_signature() {
        let example = rfc8037();
        let signature = SigningKey::sign(
            &key_pair(),
            str_of(&example["signing"], "sig-input").as_bytes(),
        )
        .unwrap();
        assert_eq!(signature, unb64(str_of(&example["signing"], "sig")));
    }

    #[test]
    fn rfc8037_a_published_signature_verifies() {
        let example = rfc8037();
        let key = PublicKey::from_jwk(&public_jwk(&example["input"]["key"])).unwrap();
        assert_eq!(key.algorithm(), Algorithm::EdDSA);
        assert_verifies_only_unchanged(
            &key,
            str_of(&example["signing"], "sig-input").as_bytes(),
            &unb64(str_of(&example["signing"], "sig")),
        );
        assert!(key_helpers::signature_accepted(
            str_of(&example["output"], "compact"),
            &key
        ));
    }

    #[test]
    fn rfc8037_a3_thumbprint() {
        let key = PublicKey::from_jwk(&public_jwk(&rfc8037()["input"]["key"])).unwrap();
        assert_eq!(
            key.thumbprint(),
            "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k"
        );
    }
}

/// RFC 7520 section 4.4 (HS256), with the key read from its JWK: with the `aws-lc-rs`
/// feature on, HMAC is computed by that backend too, so the vector runs here.
mod hmac {
    use jwt_core::{HmacKey, VerifyingKey};

    use super::*;

    #[test]
    fn rfc7520_4_4_hs256_signing_reproduces_the_published_mac() {
        let example = vector("rfc7520/4_4.hmac-sha2_integrity_protection.json");
        let key = HmacKey::from_jwk(&key_helpers::jwk(&example["input"]["key"])).unwrap();
        assert_eq!(key.algorithm(), Algorithm::HS256);
        assert_eq!(key.kid(), Some("018c0ae5-4d9b-471b-bfd6-eef314bc7037"));
        let input = str_of(&example["signing"], "sig-input").as_bytes();
        let published = unb64(str_of(&example["signing"], "sig"));
        assert_eq!(SigningKey::sign(&key, input).unwrap(), published);
        VerifyingKey::verify(&key, None, input, &published).unwrap();
        let mut flipped = published.clone();
        flipped[0] ^= 1;
        let error = VerifyingKey::verify(&key, None, input, &flipped).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidSignature);
        assert!(key_helpers::signature_accepted(
            str_of(&example["output"], "compact"),
            &key
        ));
    }
}
