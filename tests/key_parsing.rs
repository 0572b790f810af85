//! Key parsing never panics: PEM, DER and JWK input, random or a valid key mutated, loaded
//! by every constructor for every algorithm, gives a key or `InvalidKey`, nothing else
//! (`DESIGN.md`: "Keys from PEM/DER/JWK that are malformed ... `InvalidKey`, never a
//! panic").
//!
//! The valid keys are the published ones of RFC 7515 appendix A and RFC 8037 (in
//! `tests/vectors/`). `PROPTEST_CASES` overrides every case count; failing cases are not
//! persisted: proptest prints the minimal input, to be turned into a plain test.
#![cfg(any(
    all(feature = "rsa", feature = "ecdsa", feature = "eddsa"),
    feature = "aws-lc-rs"
))]

mod key_helpers;

use jwt_core::{Algorithm, Error, ErrorKind, HmacKey, Jwk, JwkSet, KeyPair, PublicKey};
use key_helpers::{der_to_pem, ed25519_pkcs8, pem_to_der, str_of, unb64, vector};
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::{Index, select};
use serde_json::{Value, json};

/// Every asymmetric algorithm, and one HMAC one (which every asymmetric loader refuses).
const ALGORITHMS: [Algorithm; 11] = [
    Algorithm::RS256,
    Algorithm::RS384,
    Algorithm::RS512,
    Algorithm::PS256,
    Algorithm::PS384,
    Algorithm::PS512,
    Algorithm::ES256,
    Algorithm::ES384,
    Algorithm::ES512,
    Algorithm::EdDSA,
    Algorithm::HS256,
];

/// `cases` cases, unless `PROPTEST_CASES` says otherwise; nothing written to disk.
fn config(cases: u32) -> ProptestConfig {
    let defaults = ProptestConfig::default();
    ProptestConfig {
        cases: if std::env::var_os("PROPTEST_CASES").is_some() {
            defaults.cases
        } else {
            cases
        },
        failure_persistence: None,
        ..defaults
    }
}

/// Ok, or an error of kind `InvalidKey`.
fn ok_or_invalid_key<T>(what: &str, result: Result<T, Error>) -> Result<(), TestCaseError> {
    match result {
        Ok(_) => Ok(()),
        Err(error) if error.kind() == ErrorKind::InvalidKey => Ok(()),
        Err(error) => Err(TestCaseError::fail(format!(
            "{what}: {:?} ({error})",
            error.kind()
        ))),
    }
}

/// Loads `der` with every DER constructor, for every algorithm.
fn load_der(der: &[u8]) -> Result<(), TestCaseError> {
    for alg in ALGORITHMS {
        ok_or_invalid_key(
            &format!("PublicKey::from_der {alg}"),
            PublicKey::from_der(alg, der),
        )?;
        ok_or_invalid_key(
            &format!("KeyPair::from_der {alg}"),
            KeyPair::from_der(alg, der),
        )?;
    }
    Ok(())
}

/// Loads `pem` with every PEM constructor, for every algorithm.
fn load_pem(pem: &str) -> Result<(), TestCaseError> {
    for alg in ALGORITHMS {
        ok_or_invalid_key(
            &format!("PublicKey::from_pem {alg}"),
            PublicKey::from_pem(alg, pem),
        )?;
        ok_or_invalid_key(
            &format!("KeyPair::from_pem {alg}"),
            KeyPair::from_pem(alg, pem),
        )?;
    }
    Ok(())
}

/// Loads the JSON `text` as a JWK (when it is one) with every JWK constructor, and as a
/// JWK Set.
fn load_jwk_text(text: &str) -> Result<(), TestCaseError> {
    if let Ok(jwk) = serde_json::from_str::<Jwk>(text) {
        ok_or_invalid_key("PublicKey::from_jwk", PublicKey::from_jwk(&jwk))?;
        ok_or_invalid_key("HmacKey::from_jwk", HmacKey::from_jwk(&jwk))?;
    }
    ok_or_invalid_key("JwkSet::from_json", JwkSet::from_json(text))?;
    ok_or_invalid_key(
        "JwkSet::from_json of a one-key set",
        JwkSet::from_json(&format!(r#"{{"keys":[{text}]}}"#)),
    )
}

/// The valid keys: (label, DER, PEM label).
fn valid_ders() -> Vec<(String, Vec<u8>, &'static str)> {
    let examples = vector("rfc7515/appendix_a.json");
    let mut keys = Vec::new();
    for example in examples["examples"].as_array().unwrap() {
        let section = str_of(example, "section");
        keys.push((
            format!("{section} SPKI"),
            pem_to_der(str_of(example, "public_spki_pem")),
            "PUBLIC KEY",
        ));
        keys.push((
            format!("{section} PKCS#8"),
            pem_to_der(str_of(example, "private_pkcs8_pem")),
            "PRIVATE KEY",
        ));
    }
    let seed = unb64(str_of(
        &vector("rfc8037/ed25519_jws.json")["input"]["key"],
        "d",
    ));
    keys.push(("Ed25519 PKCS#8".into(), ed25519_pkcs8(&seed), "PRIVATE KEY"));
    let rsa = vector("rfc7520/3_4.rsa_private_key.json");
    let pkcs1 = pem_to_der(&key_helpers::rsa_private_pem_from_jwk(&rsa));
    keys.push(("RFC 7520 PKCS#1".into(), pkcs1, "RSA PRIVATE KEY"));
    let ec = vector("rfc7520/3_2.ec_private_key.json");
    let sec1 = pem_to_der(&key_helpers::ec_private_pem_from_jwk(&ec));
    keys.push(("RFC 7520 SEC1".into(), sec1, "EC PRIVATE KEY"));
    keys
}

/// The valid public JWKs, as JSON values.
fn valid_jwks() -> Vec<Value> {
    let mut jwks: Vec<Value> = vector("rfc7515/appendix_a.json")["examples"]
        .as_array()
        .unwrap()
        .iter()
        .map(|example| example["public_jwk"].clone())
        .collect();
    jwks.push(vector("rfc7520/3_1.ec_public_key.json"));
    jwks.push(vector("rfc7520/3_3.rsa_public_key.json"));
    let mut ed = vector("rfc8037/ed25519_jws.json")["input"]["key"].clone();
    ed.as_object_mut().unwrap().remove("d");
    jwks.push(ed);
    jwks.push(json!({"kty": "oct", "alg": "HS256", "k": key_helpers::b64([5u8; 32])}));
    jwks
}

/// A change to a byte string: flip bits of one byte, set one byte, cut the tail, drop a
/// run, insert bytes, or duplicate a run.
#[derive(Debug, Clone)]
enum Mutation {
    Xor(Index, u8),
    Set(Index, u8),
    Truncate(Index),
    Remove(Index, usize),
    Insert(Index, Vec<u8>),
    Duplicate(Index, usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<Index>(), 1..=255u8).prop_map(|(at, bits)| Mutation::Xor(at, bits)),
        (any::<Index>(), any::<u8>()).prop_map(|(at, byte)| Mutation::Set(at, byte)),
        any::<Index>().prop_map(Mutation::Truncate),
        (any::<Index>(), 1..64usize).prop_map(|(at, len)| Mutation::Remove(at, len)),
        (any::<Index>(), vec(any::<u8>(), 1..8))
            .prop_map(|(at, bytes)| Mutation::Insert(at, bytes)),
        (any::<Index>(), 1..64usize).prop_map(|(at, len)| Mutation::Duplicate(at, len)),
    ]
}

impl Mutation {
    fn apply(&self, bytes: &[u8]) -> Vec<u8> {
        let mut out = bytes.to_vec();
        if out.is_empty() {
            return out;
        }
        match self {
            Mutation::Xor(at, bits) => out[at.index(bytes.len())] ^= bits,
            Mutation::Set(at, byte) => out[at.index(bytes.len())] = *byte,
            Mutation::Truncate(at) => out.truncate(at.index(bytes.len())),
            Mutation::Remove(at, len) => {
                let start = at.index(bytes.len());
                out.drain(start..(start + len).min(bytes.len()));
            }
            Mutation::Insert(at, inserted) => {
                let start = at.index(bytes.len() + 1);
                out.splice(start..start, inserted.iter().copied());
            }
            Mutation::Duplicate(at, len) => {
                let start = at.index(bytes.len());
                let run = bytes[start..(start + len).min(bytes.len())].to_vec();
                out.splice(start..start, run);
            }
        }
        out
    }
}

/// DER length bytes worth trying at a length position: huge, indefinite, non-minimal.
fn length_bytes() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        Just(vec![0x80]),
        Just(vec![0x84, 0xff, 0xff, 0xff, 0xff]),
        Just(vec![0x88, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]),
        Just(vec![0x81, 0x01]),
        Just(vec![0x82, 0x00, 0x01]),
        vec(any::<u8>(), 1..4),
    ]
}

#[test]
fn the_unchanged_keys_load() {
    // The properties below mutate these: each must load as it is, or the mutations
    // would prove nothing.
    for (label, der, _) in valid_ders() {
        let loaded = ALGORITHMS.iter().any(|alg| {
            PublicKey::from_der(*alg, &der).is_ok() || KeyPair::from_der(*alg, &der).is_ok()
        });
        let pem_label = label.contains("PKCS#1") || label.contains("SEC1");
        assert!(loaded || pem_label, "{label} loads from DER");
    }
    for jwk in valid_jwks() {
        let parsed: Jwk = serde_json::from_value(jwk.clone()).unwrap();
        assert!(
            PublicKey::from_jwk(&parsed).is_ok() || HmacKey::from_jwk(&parsed).is_ok(),
            "{jwk}"
        );
    }
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn random_bytes_as_der_never_panic(bytes in vec(any::<u8>(), 0..600)) {
        load_der(&bytes)?;
    }

    #[test]
    fn random_text_as_pem_never_panics(
        label in select(vec!["PUBLIC KEY", "PRIVATE KEY", "RSA PUBLIC KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY", "CERTIFICATE", "X"]),
        body in vec(any::<u8>(), 0..400),
        raw in "\\PC{0,200}",
    ) {
        load_pem(&der_to_pem(label, &body))?;
        load_pem(&raw)?;
        load_pem(&format!("-----BEGIN {label}-----\n{raw}\n-----END {label}-----\n"))?;
    }

    #[test]
    fn mutated_valid_der_never_panics(
        key in any::<Index>(),
        mutations in vec(mutation(), 1..4),
    ) {
        let keys = valid_ders();
        let (_, der, _) = &keys[key.index(keys.len())];
        let mutated = mutations.iter().fold(der.clone(), |bytes, m| m.apply(&bytes));
        load_der(&mutated)?;
    }

    #[test]
    fn valid_der_with_a_broken_length_never_panics(
        key in any::<Index>(),
        at in any::<Index>(),
        length in length_bytes(),
    ) {
        // Replace the length byte after a tag at a random place by odd length encodings.
        let keys = valid_ders();
        let (_, der, _) = &keys[key.index(keys.len())];
        let tags: Vec<usize> = (0..der.len() - 1)
            .filter(|i| matches!(der[*i], 0x02 | 0x03 | 0x04 | 0x05 | 0x06 | 0x30 | 0xa0 | 0xa1))
            .collect();
        let tag = tags[at.index(tags.len())];
        let mut broken = der[..=tag].to_vec();
        broken.extend(&length);
        broken.extend(&der[tag + 2..]);
        load_der(&broken)?;
    }

    #[test]
    fn mutated_valid_pem_never_panics(
        key in any::<Index>(),
        mutations in vec(mutation(), 1..4),
    ) {
        let keys = valid_ders();
        let (_, der, label) = &keys[key.index(keys.len())];
        let pem = der_to_pem(label, der);
        let mutated = mutations.iter().fold(pem.into_bytes(), |bytes, m| m.apply(&bytes));
        load_pem(&String::from_utf8_lossy(&mutated))?;
    }

    #[test]
    fn mutated_valid_jwk_text_never_panics(
        key in any::<Index>(),
        mutations in vec(mutation(), 1..4),
    ) {
        let jwks = valid_jwks();
        let text = jwks[key.index(jwks.len())].to_string();
        let mutated = mutations.iter().fold(text.into_bytes(), |bytes, m| m.apply(&bytes));
        load_jwk_text(&String::from_utf8_lossy(&mutated))?;
    }

    #[test]
    fn jwk_with_random_members_never_panics(
        key in any::<Index>(),
        member in select(vec!["kty", "crv", "alg", "use", "key_ops", "x", "y", "n", "e", "k", "kid", "d"]),
        value in prop_oneof![
            select(vec!["RSA", "EC", "OKP", "oct", "P-256", "P-384", "P-521", "Ed25519", "Ed448", "X25519", "RS256", "PS512", "ES256", "ES512", "EdDSA", "HS256", "none", "sig", "enc", ""]).prop_map(Value::from),
            vec(any::<u8>(), 0..140).prop_map(|bytes| Value::from(key_helpers::b64(bytes))),
            "[A-Za-z0-9_=+/-]{0,80}".prop_map(Value::from),
            any::<i64>().prop_map(Value::from),
            Just(Value::Null),
            Just(json!(["verify"])),
            Just(json!(["sign", "encrypt", 7])),
            Just(json!({"a": []})),
        ],
    ) {
        let jwks = valid_jwks();
        let mut jwk = jwks[key.index(jwks.len())].clone();
        jwk[member] = value;
        load_jwk_text(&jwk.to_string())?;
    }

    #[test]
    fn random_json_as_a_jwk_set_never_panics(
        keys in vec(any::<Index>(), 0..4),
        noise in "\\PC{0,60}",
        shape in 0..4u8,
    ) {
        let jwks = valid_jwks();
        let chosen: Vec<Value> = keys.iter().map(|k| jwks[k.index(jwks.len())].clone()).collect();
        let text = match shape {
            0 => json!({ "keys": chosen }).to_string(),
            1 => json!({ "keys": chosen, "extra": noise }).to_string(),
            2 => format!(r#"{{"keys":[{noise}]}}"#),
            _ => noise.clone(),
        };
        ok_or_invalid_key("JwkSet::from_json", JwkSet::from_json(&text))?;
    }
}
