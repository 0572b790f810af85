//! Project Wycheproof (C2SP/wycheproof, `testvectors_v1/`, Apache License 2.0; the files and
//! their LICENSE are in `tests/vectors/wycheproof/`).
//!
//! Signature files, at the signature level: each test group's public key is loaded three
//! ways (SPKI DER, SPKI PEM and, where the group has one, JWK), the three must agree, and
//! each vector's `msg` and `sig` go to `VerifyingKey::verify(&key, None, msg, sig)`. A
//! `valid` vector must verify under every form of the key; an `invalid` one must be refused
//! with `InvalidSignature`; an `acceptable` one is decided below, with the reason. A group
//! whose key the library refuses (`InvalidKey`) counts its vectors as refused, which is
//! only allowed for groups without a `valid` vector. Every vector of a file is counted and
//! the counts are checked against the file's `numberOfTests`, so nothing is skipped
//! silently.
//!
//! | file | valid | invalid | acceptable |
//! |---|---|---|---|
//! | `ecdsa_secp256r1_sha256_p1363_test.json` (ES256) | 173 verify | 89 refused | none |
//! | `ecdsa_secp521r1_sha512_p1363_test.json` (ES512) | 231 verify | 87 refused | none |
//! | `ed25519_test.json` (`EdDSA`) | 88 verify | 63 refused | none |
//! | `rsa_signature_2048_sha256_test.json` (RS256) | 9 verify | 249 refused | 1 (tcId 8), refused |
//! | `rsa_pss_2048_sha256_mgf1_32_test.json` (PS256) | 63 verify | 45 refused | none |
//!
//! Acceptable vectors, and what the library does with them:
//! - RS256 tcId 8, flag `MissingNull`: a PKCS#1 v1.5 `DigestInfo` whose `AlgorithmIdentifier`
//!   omits the NULL parameters. Refused: RFC 8017 section 9.2 (note 1) lets a verifier
//!   accept it, but RFC 7518 names only the encoding with NULL, every signer produces that
//!   one, and a verifier that compares the whole encoded message against the one it builds
//!   (as both backends do) is simpler and leaves no room for a parsing flaw.
//!
//! The JWS and JWK files hold compact tokens and JWKs (JWK Sets): they go through the
//! library's own decode path (with a verifying key that records the signature check, since
//! their payloads are not JSON objects) and `PublicKey::from_jwk`, `HmacKey::from_jwk`,
//! `JwkSet::from_json`. Their cases that this library decides otherwise than Wycheproof, by
//! design, are listed in `BY_DESIGN` tables with the reason.
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

use jwt_core::{Algorithm, ErrorKind, PublicKey, VerifyingKey};
use key_helpers::{hex, public_jwk, str_of, vector};
use serde_json::Value;

/// What a signature file's run found.
#[derive(Debug, Default)]
struct Tally {
    /// `valid` vectors that verified.
    valid: usize,
    /// `invalid` vectors refused with `InvalidSignature`.
    invalid: usize,
    /// `acceptable` vectors, decided as the table says.
    acceptable: usize,
    /// Groups whose key was refused with `InvalidKey`, and their vectors.
    refused_groups: usize,
    refused_vectors: usize,
    /// Every disagreement, one line each.
    failures: Vec<String>,
}

/// How the library decides an `acceptable` vector of `file`: `true` accepts.
type Decide = fn(test: &Value) -> bool;

/// The keys of a signature-file group: from DER, PEM and (when present) JWK.
fn group_keys(group: &Value, alg: Algorithm) -> Vec<Result<PublicKey, jwt_core::Error>> {
    let mut keys = vec![
        PublicKey::from_der(alg, &hex(str_of(group, "publicKeyDer"))),
        PublicKey::from_pem(alg, str_of(group, "publicKeyPem")),
    ];
    for member in ["publicKeyJwk", "keyJwk"] {
        if let Some(jwk) = group.get(member) {
            keys.push(PublicKey::from_jwk(&public_jwk(jwk)));
        }
    }
    keys
}

/// Runs every vector of the signature file `file` for `alg`.
fn run(file: &str, alg: Algorithm, decide: Decide) -> Tally {
    let data = vector(&format!("wycheproof/{file}"));
    let mut tally = Tally::default();
    let mut seen = 0;
    for group in data["testGroups"].as_array().expect("test groups") {
        let tests = group["tests"].as_array().expect("tests");
        seen += tests.len();
        let keys = group_keys(group, alg);
        if keys.iter().all(Result::is_err) {
            let kinds: Vec<ErrorKind> = keys
                .iter()
                .map(|k| k.as_ref().unwrap_err().kind())
                .collect();
            let has_valid = tests.iter().any(|t| t["result"] == "valid");
            if has_valid || kinds.iter().any(|kind| *kind != ErrorKind::InvalidKey) {
                tally.failures.push(format!(
                    "group of tcId {}: key refused ({kinds:?}) though it has valid vectors",
                    tests[0]["tcId"]
                ));
            } else {
                tally.refused_groups += 1;
                tally.refused_vectors += tests.len();
            }
            continue;
        }
        let Ok(keys) = keys.into_iter().collect::<Result<Vec<_>, _>>() else {
            tally.failures.push(format!(
                "group of tcId {}: the key loads in one form and not in another",
                tests[0]["tcId"]
            ));
            continue;
        };
        let thumbprint = keys[0].thumbprint();
        for key in &keys {
            assert_eq!(key.algorithm(), alg);
            assert_eq!(key.thumbprint(), thumbprint, "the forms of one key agree");
        }
        for test in tests {
            check(test, &keys, decide, &mut tally);
        }
    }
    assert_eq!(
        Some(u64::try_from(seen).unwrap()),
        data["numberOfTests"].as_u64(),
        "every vector of {file} was read"
    );
    assert_eq!(
        tally.valid
            + tally.invalid
            + tally.acceptable
            + tally.refused_vectors
            + tally.failures.len(),
        seen,
        "every vector of {file} was decided: {tally:?}"
    );
    tally
}

/// Checks one vector against every form of its group's key.
fn check(test: &Value, keys: &[PublicKey], decide: Decide, tally: &mut Tally) {
    let id = &test["tcId"];
    let msg = hex(str_of(test, "msg"));
    let sig = hex(str_of(test, "sig"));
    let results: Vec<Result<(), jwt_core::Error>> = keys
        .iter()
        .map(|key| VerifyingKey::verify(key, None, &msg, &sig))
        .collect();
    let accepted = results[0].is_ok();
    if results.iter().any(|r| r.is_ok() != accepted) {
        tally
            .failures
            .push(format!("tcId {id}: the forms of the key disagree"));
        return;
    }
    let refused_as_invalid_signature = results.iter().all(|r| {
        r.as_ref()
            .is_err_and(|e| e.kind() == ErrorKind::InvalidSignature)
    });
    match (test["result"].as_str(), accepted) {
        (Some("valid"), true) => tally.valid += 1,
        (Some("invalid"), false) if refused_as_invalid_signature => tally.invalid += 1,
        (Some("acceptable"), accepted) if accepted == decide(test) => tally.acceptable += 1,
        (result, _) => tally.failures.push(format!(
            "tcId {id} ({result:?}, {}, flags {}): {:?}",
            test["comment"],
            test["flags"],
            results[0]
                .as_ref()
                .map_err(|e| format!("{:?}: {e}", e.kind()))
        )),
    }
}

/// Asserts that `tally` has no failure and the expected counts.
#[track_caller]
fn assert_tally(tally: &Tally, valid: usize, invalid: usize, acceptable: usize) {
    assert!(
        tally.failures.is_empty(),
        "{} vectors decided wrongly:\n{}",
        tally.failures.len(),
        tally.failures.join("\n")
    );
    assert_eq!(
        (
            tally.valid,
            tally.invalid + tally.refused_vectors,
            tally.acceptable
        ),
        (valid, invalid, acceptable),
        "{tally:?}"
    );
    assert!(tally.valid > 0 && tally.invalid > 0, "{tally:?}");
}

/// No file but RS256's has acceptable vectors; reaching this is a failure.
fn no_acceptable(test: &Value) -> bool {
    panic!("unexpected acceptable vector {test}")
}

#[cfg(any(feature = "ecdsa", feature = "aws-lc-rs"))]
mod ecdsa {
    use super::*;

    #[test]
    fn wycheproof_ecdsa_p256_sha256_p1363() {
        let tally = run(
            "ecdsa_secp256r1_sha256_p1363_test.json",
            Algorithm::ES256,
            no_acceptable,
        );
        assert_tally(&tally, 173, 89, 0);
    }

    #[test]
    fn wycheproof_ecdsa_p521_sha512_p1363() {
        let tally = run(
            "ecdsa_secp521r1_sha512_p1363_test.json",
            Algorithm::ES512,
            no_acceptable,
        );
        assert_tally(&tally, 231, 87, 0);
    }

    /// The P-256 groups' keys are refused for the algorithms of other curves.
    #[test]
    fn wycheproof_p256_keys_are_refused_for_es384_and_es512() {
        let data = vector("wycheproof/ecdsa_secp256r1_sha256_p1363_test.json");
        let group = &data["testGroups"][0];
        for alg in [
            Algorithm::ES384,
            Algorithm::ES512,
            Algorithm::RS256,
            Algorithm::EdDSA,
        ] {
            let error = PublicKey::from_der(alg, &hex(str_of(group, "publicKeyDer"))).unwrap_err();
            assert_eq!(error.kind(), ErrorKind::InvalidKey, "{alg}");
        }
    }
}

#[cfg(any(feature = "eddsa", feature = "aws-lc-rs"))]
mod eddsa {
    use super::*;

    #[test]
    fn wycheproof_ed25519() {
        let tally = run("ed25519_test.json", Algorithm::EdDSA, no_acceptable);
        assert_tally(&tally, 88, 63, 0);
    }
}

#[cfg(any(feature = "rsa", feature = "aws-lc-rs"))]
mod rsa {
    use super::*;

    /// The decision table of the RS256 file's acceptable vectors (see the file's docs).
    fn rs256_acceptable(test: &Value) -> bool {
        match test["flags"].as_array().map(Vec::as_slice) {
            Some([flag]) if flag == "MissingNull" => false,
            _ => panic!("no decision for acceptable vector {test}"),
        }
    }

    #[test]
    fn wycheproof_rsa_pkcs1_2048_sha256() {
        let tally = run(
            "rsa_signature_2048_sha256_test.json",
            Algorithm::RS256,
            rs256_acceptable,
        );
        assert_tally(&tally, 9, 249, 1);
    }

    #[test]
    fn wycheproof_rsa_pss_2048_sha256_mgf1_32() {
        let data = vector("wycheproof/rsa_pss_2048_sha256_mgf1_32_test.json");
        for group in data["testGroups"].as_array().unwrap() {
            // PS256 as RFC 7518 section 3.5 defines it: MGF1 with SHA-256, 32-byte salt.
            assert_eq!(group["sha"], "SHA-256");
            assert_eq!(group["mgfSha"], "SHA-256");
            assert_eq!(group["sLen"], 32);
        }
        let tally = run(
            "rsa_pss_2048_sha256_mgf1_32_test.json",
            Algorithm::PS256,
            no_acceptable,
        );
        assert_tally(&tally, 63, 45, 0);
    }

    /// The PKCS#1 v1.5 file's valid signatures are not PSS signatures, nor RS384 ones.
    #[test]
    fn wycheproof_rs256_valid_signatures_do_not_verify_as_other_rsa_algorithms() {
        let data = vector("wycheproof/rsa_signature_2048_sha256_test.json");
        let group = &data["testGroups"][0];
        let mut checked = 0;
        for alg in [Algorithm::RS384, Algorithm::RS512, Algorithm::PS256] {
            let key = PublicKey::from_der(alg, &hex(str_of(group, "publicKeyDer"))).unwrap();
            for test in group["tests"].as_array().unwrap() {
                if test["result"] == "valid" {
                    let error = VerifyingKey::verify(
                        &key,
                        None,
                        &hex(str_of(test, "msg")),
                        &hex(str_of(test, "sig")),
                    )
                    .unwrap_err();
                    assert_eq!(error.kind(), ErrorKind::InvalidSignature);
                    checked += 1;
                }
            }
        }
        assert!(checked >= 3, "{checked}");
    }
}

/// The JWS and JWK files: tokens of every family, so every family must be built.
#[cfg(any(
    all(feature = "rsa", feature = "ecdsa", feature = "eddsa"),
    feature = "aws-lc-rs"
))]
mod jose {
    use jwt_core::{HmacKey, JwkSet};

    use super::*;
    use crate::key_helpers::{jwk, signature_accepted};

    /// Vectors of the JWS file that Wycheproof calls valid and this library refuses by
    /// design: their key is refused when it is loaded.
    const JWS_BY_DESIGN: &[(u64, &str)] = &[
        // The JWK says PS256 and the token (RFC 7520 figure 20) PS384: the key's algorithm
        // decides, never the token's header (RFC 8725 section 3.1): `AlgorithmMismatch`.
        (346, "the key is PS256, the token PS384"),
        (350, "the key is PS256, the token PS384"),
        // `"alg": "ES521"` is not a registered JWA name (ES512 is): an `alg` the library
        // does not know makes the JWK unusable (`InvalidKey`).
        (347, "the JWK's alg ES521 is not an algorithm"),
        (351, "the JWK's alg ES521 is not an algorithm"),
        // `"key_ops": ["sign, verify"]` is one string that is not `verify`: key_ops
        // without `verify` is `InvalidKey` (RFC 7517 section 4.3 lists values one by one).
        (
            349,
            "key_ops is the single value \"sign, verify\", which is not verify",
        ),
        // A `?` inside the header or payload segment: base64url is strict (RFC 7515
        // section 2; DESIGN.md decoding rule 2), a lenient decoder that skips it is not.
        (372, "a ? in the header segment is not base64url"),
        (373, "a ? in the payload segment is not base64url"),
    ];

    /// Vectors of the JWS file that Wycheproof calls invalid whose token is byte for byte
    /// the token of a valid vector (tcId 357, `ValidMac`): the file contradicts itself
    /// (their names say the padding was changed, but no padding is left in the file). They
    /// are decided as tcId 357 is: accepted.
    const JWS_SAME_AS_357: &[u64] = &[367, 370];

    /// The verifying key of a JWS file group: its JWK without private members (an `oct`
    /// key as an `HmacKey`).
    fn jws_group_key(group: &Value) -> Result<Box<dyn VerifyingKey>, jwt_core::Error> {
        let private = &group["private"];
        if private["kty"] == "oct" {
            Ok(Box::new(HmacKey::from_jwk(&jwk(private))?))
        } else {
            Ok(Box::new(PublicKey::from_jwk(&public_jwk(private))?))
        }
    }

    #[test]
    fn wycheproof_json_web_signature() {
        let data = vector("wycheproof/json_web_signature_test.json");
        let (mut valid, mut invalid, mut by_design, mut seen) = (0, 0, 0, 0);
        let (mut contradictory, mut tokens_357) = (0, Vec::new());
        let mut failures = Vec::new();
        for group in data["testGroups"].as_array().unwrap() {
            let key = jws_group_key(group);
            for test in group["tests"].as_array().unwrap() {
                seen += 1;
                let id = test["tcId"].as_u64().unwrap();
                let token = test["jws"].as_str().expect("compact serialization");
                let accepted = match &key {
                    Ok(key) => signature_accepted(token, key.as_ref()),
                    Err(error) => {
                        assert_eq!(error.kind(), ErrorKind::InvalidKey, "tcId {id}: {error}");
                        false
                    }
                };
                let designed = JWS_BY_DESIGN.iter().any(|(tc, _)| *tc == id);
                let same_as_357 = JWS_SAME_AS_357.contains(&id);
                if id == 357 || same_as_357 {
                    tokens_357.push(token.to_owned());
                }
                match (test["result"].as_str(), accepted) {
                    (Some("valid"), true) if !designed => valid += 1,
                    (Some("valid"), false) if designed => by_design += 1,
                    (Some("invalid"), false) if !same_as_357 => invalid += 1,
                    (Some("invalid"), true) if same_as_357 => contradictory += 1,
                    (result, accepted) => failures.push(format!(
                        "tcId {id} {} ({result:?}): accepted {accepted}, key {:?}",
                        test["comment"],
                        key.as_ref().err()
                    )),
                }
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
        assert_eq!(seen, 401);
        assert_eq!(tokens_357.len(), 3);
        assert!(
            tokens_357.iter().all(|t| *t == tokens_357[0]),
            "{tokens_357:?}"
        );
        assert_eq!((valid, invalid, by_design, contradictory), (39, 353, 7, 2));
    }

    /// Cases of the JWK file that Wycheproof calls valid and this library refuses by design.
    const JWK_BY_DESIGN: &[(u64, &str)] = &[
        // DESIGN.md: an `oct` key in a JWK Set is left out (a set is for public keys), so
        // a set of HMAC keys verifies nothing.
        (2, "oct keys are left out of a JWK Set"),
        (13, "oct keys are left out of a JWK Set"),
        (14, "oct keys are left out of a JWK Set"),
        (15, "oct keys are left out of a JWK Set"),
    ];

    /// Cases of the JWK file that Wycheproof calls invalid and this library accepts: a
    /// weakness it does not look for. tcId 7 is an RSA key made by the Infineon library of
    /// CVE-2017-15361 (ROCA), whose modulus can be factored; recognizing one takes a
    /// fingerprint test that the RSA backends do not run and `DESIGN.md` does not ask for.
    /// The key is 2048 bits and otherwise well formed, so it loads and the token verifies.
    /// Listed so that the day the library refuses such keys, this table is updated.
    const JWK_NOT_DETECTED: &[(u64, &str)] = &[(7, "ROCA-vulnerable RSA key is not detected")];

    /// The JWK Set of a JWK file group, without private members.
    fn public_set(group: &Value) -> Result<JwkSet, jwt_core::Error> {
        let mut set = group["private"].clone();
        for key in set["keys"].as_array_mut().unwrap() {
            let object = key.as_object_mut().unwrap();
            for member in key_helpers::PRIVATE_MEMBERS {
                object.remove(member);
            }
        }
        JwkSet::from_json(&set.to_string())
    }

    #[test]
    fn wycheproof_json_web_key_sets() {
        let data = vector("wycheproof/json_web_key_test.json");
        let (mut valid, mut invalid, mut by_design, mut seen) = (0, 0, 0, 0);
        let mut not_detected = 0;
        let mut failures = Vec::new();
        for group in data["testGroups"].as_array().unwrap() {
            let set = public_set(group);
            for test in group["tests"].as_array().unwrap() {
                seen += 1;
                let id = test["tcId"].as_u64().unwrap();
                let token = test["jws"].as_str().expect("compact serialization");
                let accepted = match &set {
                    Ok(set) => signature_accepted(token, set),
                    Err(error) => {
                        assert_eq!(error.kind(), ErrorKind::InvalidKey, "tcId {id}: {error}");
                        false
                    }
                };
                let designed = JWK_BY_DESIGN.iter().any(|(tc, _)| *tc == id);
                let undetected = JWK_NOT_DETECTED.iter().any(|(tc, _)| *tc == id);
                match (test["result"].as_str(), accepted) {
                    (Some("valid"), true) if !designed => valid += 1,
                    (Some("valid"), false) if designed => by_design += 1,
                    (Some("invalid"), false) if !undetected => invalid += 1,
                    (Some("invalid"), true) if undetected => not_detected += 1,
                    (result, accepted) => failures.push(format!(
                        "tcId {id} {} ({result:?}): accepted {accepted}, set {:?}",
                        test["comment"],
                        set.as_ref().err()
                    )),
                }
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
        assert_eq!(seen, 26);
        assert_eq!((valid, invalid, by_design, not_detected), (1, 20, 4, 1));
    }
}
