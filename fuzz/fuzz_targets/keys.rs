//! `keys`: jwt-core's key parsers never panic on arbitrary input, refuse it only with
//! `ErrorKind::InvalidKey`, and every key they load behaves.
//!
//! The first byte picks an algorithm (`Algorithm::ALL[b % 13]`) and a parser
//! (`(b / 13) % 7`): `PublicKey::from_pem`, `PublicKey::from_der`, `Jwk::from_json` with
//! `PublicKey::from_jwk` and `HmacKey::from_jwk`, `JwkSet::from_json`,
//! `KeyPair::from_pem`, `KeyPair::from_der`, or an HMAC secret (`HmacKey::new` and
//! `HmacKey::insecure_short_secret`). The rest is the key, read lossily as UTF-8 where the
//! parser takes text; the JWK parsers ignore the algorithm. A key that loads must:
//! - have the algorithm asked for (PEM, DER, HMAC secret) or its JWK's `alg`;
//! - have a short `Debug` (under 1 KiB, but for the `kid`: see [`KID_SHOWN_IN_FULL`]);
//! - write a public JWK (no private members, its `alg` and `kid`) whose JSON reads back
//!   through `PublicKey::from_jwk` to a key with the same algorithm, `kid` and
//!   thumbprint;
//! - verify arbitrary signatures (empty, the input, and of the key's signature length:
//!   the input repeated, all zero, all ones, one byte short and one long) over the input
//!   with `Ok` or `InvalidSignature` only;
//! - when it is a key pair or an HMAC key, verify its own signature over the input.
//!
//! A JWK Set that loads lists each skipped key with a reason, finds each usable key by
//! its `kid`, selects by `kid` as `VerifyingKey` (`UnknownKey` only without a `kid` when
//! it holds other than one key), and its `to_json` reads back to a set of the same keys
//! (by thumbprint) with none skipped.
#![no_main]
#![forbid(unsafe_code)]

use jwt_core::{
    Algorithm, Error, ErrorKind, HmacKey, Jwk, JwkSet, KeyPair, PublicKey, SigningKey, VerifyingKey,
};
use jwt_fuzz::{exercise_error, raw_token, unb64};
use libfuzzer_sys::fuzz_target;

/// Whether jwt-core's `Debug` of a key shows its `kid` whole, so that the 1 KiB bound
/// applies to the rest of the output only. It did until the `kid` was cut short like an
/// error message's excerpt (see `fuzz/README.md`); now the bound holds for everything.
const KID_SHOWN_IN_FULL: bool = false;

/// The bound on a key's `Debug` output.
const MAX_DEBUG: usize = 1024;

/// Which parser the selector byte picks.
#[derive(Clone, Copy, Debug)]
enum Parser {
    PublicPem,
    PublicDer,
    Jwk,
    JwkSet,
    PairPem,
    PairDer,
    HmacSecret,
}

const PARSERS: [Parser; 7] = [
    Parser::PublicPem,
    Parser::PublicDer,
    Parser::Jwk,
    Parser::JwkSet,
    Parser::PairPem,
    Parser::PairDer,
    Parser::HmacSecret,
];

fuzz_target!(|data: &[u8]| {
    let Some((&selector, key)) = data.split_first() else {
        return;
    };
    let alg = Algorithm::ALL[usize::from(selector) % Algorithm::ALL.len()];
    let parser = PARSERS[usize::from(selector) / Algorithm::ALL.len() % PARSERS.len()];
    match parser {
        Parser::PublicPem => {
            if let Some(public) = loaded(PublicKey::from_pem(alg, &raw_token(key))) {
                check_public(&public, Some(alg), key);
            }
        }
        Parser::PublicDer => {
            if let Some(public) = loaded(PublicKey::from_der(alg, key)) {
                check_public(&public, Some(alg), key);
            }
        }
        Parser::Jwk => {
            if let Some(jwk) = loaded(Jwk::from_json(&raw_token(key))) {
                let _ = format!("{jwk:?}");
                if let Some(public) = loaded(PublicKey::from_jwk(&jwk)) {
                    assert_eq!(public.kid(), jwk.kid(), "a key from a JWK keeps its kid");
                    if let Some(named) = jwk.alg() {
                        assert_eq!(public.algorithm().as_str(), named, "the JWK's alg");
                    }
                    check_public(&public, None, key);
                }
                if let Some(hmac) = loaded(HmacKey::from_jwk(&jwk)) {
                    assert_eq!(jwk.kty(), "oct");
                    assert_eq!(Some(hmac.algorithm().as_str()), jwk.alg());
                    assert_eq!(hmac.kid(), jwk.kid());
                    check_hmac(&hmac, key);
                }
            }
        }
        Parser::JwkSet => {
            if let Some(set) = loaded(JwkSet::from_json(&raw_token(key))) {
                check_set(&set, key);
            }
        }
        Parser::PairPem => {
            if let Some(pair) = loaded(KeyPair::from_pem(alg, &raw_token(key))) {
                check_pair(&pair, alg, key);
            }
        }
        Parser::PairDer => {
            if let Some(pair) = loaded(KeyPair::from_der(alg, key)) {
                check_pair(&pair, alg, key);
            }
        }
        Parser::HmacSecret => {
            for result in [
                HmacKey::new(alg, key),
                HmacKey::insecure_short_secret(alg, key),
            ] {
                if let Some(hmac) = loaded(result) {
                    assert_eq!(hmac.algorithm(), alg, "the algorithm asked for");
                    assert_eq!(hmac.kid(), None);
                    check_hmac(&hmac, key);
                }
            }
        }
    }
});

/// The key, or `None` after checking that the refusal is `InvalidKey`.
fn loaded<T>(result: Result<T, Error>) -> Option<T> {
    match result {
        Ok(key) => Some(key),
        Err(error) => {
            assert_eq!(
                error.kind(),
                ErrorKind::InvalidKey,
                "a key is refused only as InvalidKey: {error}"
            );
            exercise_error(&error);
            None
        }
    }
}

/// `Debug` of a key is under [`MAX_DEBUG`] bytes (plus the rendered `kid` while
/// [`KID_SHOWN_IN_FULL`]).
fn check_debug(debug: &str, kid: Option<&str>) {
    let allowance = match kid {
        Some(kid) if KID_SHOWN_IN_FULL => format!("{kid:?}").len(),
        _ => 0,
    };
    assert!(
        debug.len() < MAX_DEBUG + allowance,
        "Debug of a key is {} bytes (kid {} bytes): {}",
        debug.len(),
        kid.map_or(0, str::len),
        debug.get(..200).unwrap_or(debug)
    );
}

/// The length of a signature by `key`: the modulus for RSA, the curve's for ECDSA, 64
/// for Ed25519.
fn signature_len(key: &PublicKey) -> usize {
    match key.algorithm() {
        Algorithm::ES256 | Algorithm::EdDSA => 64,
        Algorithm::ES384 => 96,
        Algorithm::ES512 => 132,
        _ => key
            .to_jwk()
            .member("n")
            .and_then(|n| n.as_str())
            .and_then(unb64)
            .map_or(256, |n| n.len()),
    }
}

/// Signatures that do not come from the key: empty, the input, and of length `len`
/// (the input repeated, all zero, all ones), one byte shorter and one longer.
fn arbitrary_signatures(input: &[u8], len: usize) -> Vec<Vec<u8>> {
    let repeated = |len: usize| -> Vec<u8> {
        if input.is_empty() {
            vec![0x5a; len]
        } else {
            input.iter().copied().cycle().take(len).collect()
        }
    };
    vec![
        Vec::new(),
        input.to_vec(),
        repeated(len),
        vec![0; len],
        vec![0xff; len],
        repeated(len.saturating_sub(1)),
        repeated(len + 1),
    ]
}

/// Verifying each signature over `message` is `Ok` or `InvalidSignature`.
fn verify_arbitrary(key: &dyn VerifyingKey, kid: Option<&str>, message: &[u8], len: usize) {
    for signature in arbitrary_signatures(message, len) {
        if let Err(error) = key.verify(kid, message, &signature) {
            assert_eq!(
                error.kind(),
                ErrorKind::InvalidSignature,
                "a signature is refused only as InvalidSignature ({} bytes): {error}",
                signature.len()
            );
            exercise_error(&error);
        }
    }
}

/// The checks of a public key that loaded, with the algorithm asked for if any.
fn check_public(key: &PublicKey, asked: Option<Algorithm>, input: &[u8]) {
    if let Some(alg) = asked {
        assert_eq!(key.algorithm(), alg, "the algorithm asked for");
        assert_eq!(key.kid(), None, "PEM and DER carry no kid");
    }
    check_debug(&format!("{key:?}"), key.kid());
    let jwk = key.to_jwk();
    assert!(!jwk.has_private_material(), "a public JWK: {jwk:?}");
    assert_eq!(jwk.alg(), Some(key.algorithm().as_str()));
    assert_eq!(jwk.kid(), key.kid());
    assert_eq!(jwk.key_use(), Some("sig"));
    let json = jwk.to_json();
    let reread = Jwk::from_json(&json).expect("a written JWK reads back");
    let back = PublicKey::from_jwk(&reread).expect("a written JWK loads back");
    assert_eq!(back.thumbprint(), key.thumbprint(), "{json}");
    assert_eq!(back.algorithm(), key.algorithm(), "{json}");
    assert_eq!(back.kid(), key.kid(), "{json}");
    verify_arbitrary(key, None, input, signature_len(key));
}

/// The checks of a key pair that loaded: its public half's, and its own signature
/// verifies.
fn check_pair(pair: &KeyPair, alg: Algorithm, input: &[u8]) {
    assert_eq!(pair.algorithm(), alg, "the algorithm asked for");
    assert_eq!(SigningKey::algorithm(pair), alg);
    assert_eq!(pair.kid(), None);
    let debug = format!("{pair:?}");
    check_debug(&debug, None);
    let public = pair.public_key();
    assert!(debug.contains(&public.thumbprint()), "{debug}");
    check_public(&public, Some(alg), input);
    verify_arbitrary(pair, None, input, signature_len(&public));
    let signature = pair.sign(input).expect("a loaded key pair signs");
    public
        .verify(None, input, &signature)
        .expect("the public half verifies the pair's signature");
    VerifyingKey::verify(pair, None, input, &signature).expect("the pair verifies it too");
}

/// The checks of an HMAC key that loaded: short `Debug`, arbitrary tags refused as
/// `InvalidSignature`, its own tag verifies.
fn check_hmac(key: &HmacKey, input: &[u8]) {
    check_debug(&format!("{key:?}"), key.kid());
    let len = match key.algorithm() {
        Algorithm::HS256 => 32,
        Algorithm::HS384 => 48,
        Algorithm::HS512 => 64,
        other => panic!("an HMAC key for {other}"),
    };
    verify_arbitrary(key, None, input, len);
    let tag = key.sign(input).expect("HMAC signs any input");
    assert_eq!(tag.len(), len);
    key.verify(None, input, &tag)
        .expect("a key verifies its own tag");
}

/// The checks of a JWK Set that loaded.
fn check_set(set: &JwkSet, input: &[u8]) {
    let _ = format!("{set:?}");
    for skipped in set.skipped() {
        assert!(!skipped.reason().is_empty(), "a skipped key has a reason");
        let _ = skipped.to_string();
    }
    assert_eq!(set.len(), set.iter().count());
    assert_eq!(set.is_empty(), set.len() == 0);
    let mut without_kid = 0;
    for key in set {
        match key.kid() {
            Some(kid) => {
                let found = set.get(kid).expect("a key is found by its kid");
                assert_eq!(found.thumbprint(), key.thumbprint());
                assert_eq!(set.algorithm(Some(kid)).ok(), Some(key.algorithm()));
            }
            None => without_kid += 1,
        }
        check_public(key, None, input);
        // The set selects this key by its kid, or without one when it is its only key.
        if key.kid().is_some() || set.len() == 1 {
            verify_arbitrary(set, key.kid(), input, signature_len(key));
        }
    }
    assert!(
        without_kid <= 1,
        "a set tells at most one key without kid apart"
    );
    if set.len() != 1 {
        let error = set
            .verify(None, input, input)
            .expect_err("no kid selects no key of a set of other than one");
        assert_eq!(error.kind(), ErrorKind::UnknownKey, "{error}");
    }
    let json = set.to_json();
    let back = JwkSet::from_json(&json).expect("a written JWK Set reads back");
    assert_eq!(back.len(), set.len(), "{json}");
    assert!(back.skipped().is_empty(), "{json}");
    for (one, other) in set.iter().zip(&back) {
        assert_eq!(one.thumbprint(), other.thumbprint(), "{json}");
        assert_eq!(one.kid(), other.kid(), "{json}");
        assert_eq!(one.algorithm(), other.algorithm(), "{json}");
    }
}
