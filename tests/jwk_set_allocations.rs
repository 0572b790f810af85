//! Heap allocations of verifying through a JWK Set, counted per thread by the global
//! allocator of `allocation-counter` (this binary only), as in `allocations.rs`.
//!
//! Selecting a key by `kid` among 100 must cost nothing per token: decoding a token
//! through a set of 100 keys allocates exactly what decoding it with the one `PublicKey`
//! that signed it allocates (the claims' own strings, and whatever the algorithm's
//! verification itself needs), whichever key of the set it is.
#![cfg(any(
    feature = "rsa",
    feature = "ecdsa",
    feature = "eddsa",
    feature = "aws-lc-rs"
))]

use allocation_counter::AllocationInfo;
use jwt_core::{Algorithm, Claims, JwkSet, KeyPair, NumericDate, PublicKey, Validation};
use serde::{Deserialize, Serialize};

/// Runs `f` once unmeasured (so that lazily built state is not counted), then returns the
/// allocations of a second run and its result.
fn measured<T>(mut f: impl FnMut() -> T) -> (AllocationInfo, T) {
    drop(f());
    let mut result = None;
    let info = allocation_counter::measure(|| result = Some(f()));
    (info, result.expect("the closure ran"))
}

#[derive(Debug, Serialize, Deserialize, Claims)]
#[jwt(iss = "https://auth.example.com", aud = "api")]
struct Access {
    sub: String,
    exp: NumericDate,
    scope: String,
}

fn access() -> Access {
    Access {
        sub: "user-1234".into(),
        exp: NumericDate::now() + 3600,
        scope: "read write".into(),
    }
}

/// 100 key pairs of `alg`, with kids `key-000` to `key-099`.
fn pairs(alg: Algorithm) -> Vec<KeyPair> {
    (0..100)
        .map(|i| {
            KeyPair::generate(alg)
                .unwrap()
                .with_kid(format!("key-{i:03}"))
        })
        .collect()
}

/// Asserts, for tokens signed by the first, a middle and the last key, that decoding
/// through `set` allocates what decoding with the signer's own public key allocates.
#[track_caller]
fn assert_set_costs_what_one_key_costs(pairs: &[KeyPair], set: &JwkSet) {
    assert_set_costs_what_one_key_costs_at(pairs, set, &[0, 57, 99]);
}

/// As [`assert_set_costs_what_one_key_costs`], for tokens signed by the keys at `indexes`.
#[track_caller]
fn assert_set_costs_what_one_key_costs_at(pairs: &[KeyPair], set: &JwkSet, indexes: &[usize]) {
    assert_eq!(set.len(), 100);
    let validation = Validation::new().at(NumericDate::now());
    for &index in indexes {
        let pair = &pairs[index];
        let single: PublicKey = pair.public_key();
        let token = jwt_core::encode(&access(), pair).unwrap();
        let (one, result) =
            measured(|| jwt_core::decode_with::<Access>(&token, &single, &validation));
        assert_eq!(result.unwrap().claims().scope, "read write");
        let (many, result) = measured(|| jwt_core::decode_with::<Access>(&token, set, &validation));
        assert_eq!(result.unwrap().claims().scope, "read write");
        println!(
            "key {index}: one key {} allocations, {} bytes; set of 100 {} allocations, {} bytes",
            one.count_total, one.bytes_total, many.count_total, many.bytes_total
        );
        assert_eq!(
            (many.count_total, many.bytes_total),
            (one.count_total, one.bytes_total),
            "key {index}: the set costs {many:?}, one key {one:?}"
        );
        // The typed claims keep two strings; the header keeps the kid.
        assert!(one.count_total >= 2, "{one:?}");
    }
}

#[cfg(any(feature = "ecdsa", feature = "aws-lc-rs"))]
#[test]
fn es256_set_of_100_keys_allocates_what_one_key_allocates() {
    let pairs = pairs(Algorithm::ES256);
    let set = JwkSet::from_keys(pairs.iter().map(KeyPair::public_key)).unwrap();
    assert_set_costs_what_one_key_costs(&pairs, &set);
    // A set read from JSON, as one fetched from an identity provider would be.
    let published = JwkSet::from_json(&set.to_json()).unwrap();
    assert_set_costs_what_one_key_costs(&pairs, &published);
}

#[cfg(any(feature = "eddsa", feature = "aws-lc-rs"))]
#[test]
fn eddsa_set_of_100_keys_allocates_what_one_key_allocates() {
    let pairs = pairs(Algorithm::EdDSA);
    let set = JwkSet::from_keys(pairs.iter().map(KeyPair::public_key)).unwrap();
    assert_set_costs_what_one_key_costs(&pairs, &set);
}

/// RSA: the verification itself allocates inside the `rsa` crate on the `RustCrypto`
/// backend (its big-integer arithmetic), the same through the set as with the one key. The set holds
/// four RSA keys (RS256 and PS256, 2048 and 4096 bits) at the first, two middle and the
/// last place, and 96 Ed25519 keys, since generating 100 RSA keys would dominate the test
/// run; choosing by `kid` does not look at a key's type.
#[cfg(any(feature = "rsa", feature = "aws-lc-rs"))]
#[test]
fn rsa_in_a_set_of_100_keys_allocates_what_one_key_allocates() {
    let rsa2048 = include_str!("../jwt-core/src/key/testdata/rsa2048.pem");
    let rsa4096 = include_str!("../jwt-core/src/key/testdata/rsa4096.pem");
    let rsa = |alg, pem, kid| KeyPair::from_pem(alg, pem).unwrap().with_kid(kid);
    let mut keys: Vec<KeyPair> = (0..100)
        .map(|i| {
            KeyPair::generate(Algorithm::EdDSA)
                .unwrap()
                .with_kid(format!("key-{i:03}"))
        })
        .collect();
    keys[0] = rsa(Algorithm::RS256, rsa2048, "key-000");
    keys[33] = rsa(Algorithm::PS256, rsa2048, "key-033");
    keys[66] = rsa(Algorithm::RS256, rsa4096, "key-066");
    keys[99] = rsa(Algorithm::PS256, rsa4096, "key-099");
    let set = JwkSet::from_keys(keys.iter().map(KeyPair::public_key)).unwrap();
    assert_set_costs_what_one_key_costs_at(&keys, &set, &[0, 33, 66, 99]);
    let published = JwkSet::from_json(&set.to_json()).unwrap();
    assert_set_costs_what_one_key_costs_at(&keys, &published, &[0, 99]);
}

/// A refusal for an unknown `kid` costs O(1): through a set of 99 keys, what it costs
/// through a set of 2, and less than 1 KiB (the error and its message).
#[cfg(any(feature = "ecdsa", feature = "aws-lc-rs"))]
#[test]
fn unknown_kid_in_a_set_of_99_keys_allocates_what_a_set_of_2_does() {
    let pairs = pairs(Algorithm::ES256);
    let set = JwkSet::from_keys(pairs.iter().skip(1).map(KeyPair::public_key)).unwrap();
    let small = JwkSet::from_keys(pairs.iter().skip(98).map(KeyPair::public_key)).unwrap();
    let token = jwt_core::encode(&access(), &pairs[0]).unwrap();
    let validation = Validation::new().at(NumericDate::now());
    let (many, result) = measured(|| jwt_core::decode_with::<Access>(&token, &set, &validation));
    assert_eq!(result.unwrap_err().kind(), jwt_core::ErrorKind::UnknownKey);
    let (few, result) = measured(|| jwt_core::decode_with::<Access>(&token, &small, &validation));
    assert_eq!(result.unwrap_err().kind(), jwt_core::ErrorKind::UnknownKey);
    assert_eq!(many.count_total, few.count_total, "{many:?} vs {few:?}");
    assert!(many.bytes_total < 1024, "{many:?}");
}
