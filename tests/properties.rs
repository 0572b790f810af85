//! Properties over generated input: `encode` then `decode` gives back any claims, no
//! one-byte change of a valid token is accepted, and no input makes any decoding entry
//! point panic.
//!
//! Case counts are sized so that the whole binary takes about 40 s of CPU in a debug
//! build (under a minute on two cores); `PROPTEST_CASES` overrides every one of them (the
//! exhaustive one-byte test is no property and always runs whole). Failing cases are not
//! persisted: proptest prints the minimal input, to be turned into a plain test.

use std::collections::BTreeSet;
use std::fmt::Debug;
use std::hint::black_box;

use jwt_core::{Algorithm, Audience, Claims, ErrorKind, HmacKey, NumericDate, RegisteredClaim};
use jwt_core::{Token, Validation};
use jwt_tests::{NOW, SECRET, Untyped, at_now, b64, hmac, key, sign_segments};
use proptest::collection::{btree_map, vec};
use proptest::prelude::*;
use proptest::sample::{Index, select};
use proptest::test_runner::TestCaseError;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The largest magnitude of a time in a token: `2^53 - 1`.
const MAX_SAFE: i64 = (1 << 53) - 1;

/// `cases` cases, unless `PROPTEST_CASES` says otherwise; nothing written to disk.
fn config(cases: u32) -> ProptestConfig {
    // `ProptestConfig::default()` has already read `PROPTEST_CASES` (and the other
    // `PROPTEST_*` variables); `with_cases` would override it, so it is not used.
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

/// Typed claims with registered claims, declared claims `encode` writes, and custom
/// fields of every shape `serde_json` knows.
///
/// `encode` leaves out the optional registered claims that are `None` (see
/// `optional_registered_claims_round_trip`), so they need no serde attribute.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Claims)]
#[jwt(iss = "https://issuer.example", aud = "api", leeway = 5)]
struct Profile {
    sub: String,
    aud: Audience,
    exp: NumericDate,
    nbf: Option<NumericDate>,
    iat: Option<NumericDate>,
    jti: Option<String>,
    name: String,
    nickname: Option<String>,
    age: u8,
    balance: i64,
    visits: u64,
    ratio: f64,
    weight: f32,
    tags: Vec<String>,
    matrix: Vec<Vec<i32>>,
    scores: Option<Vec<Option<f64>>>,
    verified: bool,
}

/// Every registered claim optional, everything else kept through `flatten`.
#[derive(Debug, Serialize, Deserialize, Claims)]
#[jwt(allow_missing_exp)]
struct Loose {
    iss: Option<String>,
    sub: Option<String>,
    aud: Option<Audience>,
    exp: Option<NumericDate>,
    nbf: Option<NumericDate>,
    iat: Option<NumericDate>,
    jti: Option<String>,
    #[serde(flatten)]
    rest: Untyped,
}

/// Nearly every attribute, and a field validator.
#[derive(Debug, Serialize, Deserialize, Claims)]
#[jwt(typ = "at+jwt", sub = "svc", leeway = 30, max_age = 600, required = [jti, nbf])]
struct Access {
    exp: NumericDate,
    iat: NumericDate,
    nbf: Option<NumericDate>,
    jti: Option<String>,
    #[jwt(validate = known_scopes)]
    scopes: BTreeSet<String>,
}

fn known_scopes(scopes: &BTreeSet<String>) -> Result<(), String> {
    match scopes
        .iter()
        .find(|scope| !["read", "write"].contains(&scope.as_str()))
    {
        Some(unknown) => Err(format!("unknown scope {unknown:?}")),
        None => Ok(()),
    }
}

/// Any Unicode scalar value, weighted towards those JSON strings must escape or that
/// trip encoders: control characters, quotes, backslashes, separators, the BOM, the
/// edges of the planes and astral characters.
fn json_char() -> impl Strategy<Value = char> {
    prop_oneof![
        4 => any::<char>(),
        2 => prop::char::range('\0', '\u{7f}'),
        1 => prop::char::range('\u{10000}', char::MAX),
        1 => select(vec![
            '"', '\\', '/', '\u{7f}', '\u{80}', '\u{2028}', '\u{2029}', '\u{feff}', '\u{fffd}',
            '\u{ffff}', '\u{d7ff}', '\u{e000}', '\u{1f600}', char::MAX,
        ]),
    ]
}

fn json_string() -> impl Strategy<Value = String> {
    vec(json_char(), 0..12).prop_map(String::from_iter)
}

/// Finite floats of every class: infinities and NaN are not JSON.
fn finite_f64() -> impl Strategy<Value = f64> {
    use prop::num::f64::{NEGATIVE, NORMAL, POSITIVE, SUBNORMAL, ZERO};
    prop_oneof![
        2 => POSITIVE | NEGATIVE | NORMAL | SUBNORMAL | ZERO,
        1 => -1e6..1e6_f64,
        1 => select(vec![0.1, -0.0, 5e-324, f64::MIN_POSITIVE, f64::MAX, f64::MIN, 1e300]),
    ]
}

fn finite_f32() -> impl Strategy<Value = f32> {
    use prop::num::f32::{NEGATIVE, NORMAL, POSITIVE, SUBNORMAL, ZERO};
    POSITIVE | NEGATIVE | NORMAL | SUBNORMAL | ZERO
}

/// Any JSON value, nested at most four levels (well within the 32 a token may have).
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        finite_f64().prop_map(Value::from),
        json_string().prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            vec(inner.clone(), 0..6).prop_map(Value::Array),
            btree_map(json_string(), inner, 0..6)
                .prop_map(|map| Value::Object(map.into_iter().collect())),
        ]
    })
}

/// A member name that is not a registered claim (those get values of their type below).
fn custom_name() -> impl Strategy<Value = String> {
    json_string().prop_filter("registered claims are generated apart", |name| {
        RegisteredClaim::from_name(name).is_none()
    })
}

/// A time at or before [`NOW`], for `nbf` and `iat`.
fn past() -> impl Strategy<Value = i64> {
    prop_oneof![-MAX_SAFE..=NOW, NOW - 1000..=NOW]
}

/// Untyped claims valid at [`NOW`] (with `allow_missing_exp`): arbitrary custom members,
/// and registered claims of their type: `exp` after `NOW` or absent, `nbf` and `iat` at
/// or before it, any `iss`, `sub` and `jti`, no `aud` (a verifier expecting none refuses
/// it).
fn untyped_claims() -> impl Strategy<Value = Untyped> {
    let registered = (
        prop::option::weighted(0.9, NOW + 1..=MAX_SAFE),
        prop::option::of(past()),
        prop::option::of(past()),
        prop::option::of(json_string()),
        prop::option::of(json_string()),
        prop::option::of(json_string()),
    );
    (btree_map(custom_name(), json_value(), 0..8), registered).prop_map(
        |(custom, (exp, nbf, iat, iss, sub, jti))| {
            let mut claims: Untyped = custom.into_iter().collect();
            let mut add = |name: &str, value: Option<Value>| {
                if let Some(value) = value {
                    claims.insert(name.to_owned(), value);
                }
            };
            add("exp", exp.map(Value::from));
            add("nbf", nbf.map(Value::from));
            add("iat", iat.map(Value::from));
            add("iss", iss.map(Value::from));
            add("sub", sub.map(Value::from));
            add("jti", jti.map(Value::from));
            claims
        },
    )
}

/// An `aud` that holds `api`, alone or among others.
fn audience_with_api() -> impl Strategy<Value = Audience> {
    prop_oneof![
        Just(Audience::from("api")),
        (vec(json_string(), 0..4), any::<Index>()).prop_map(|(mut others, at)| {
            others.insert(at.index(others.len() + 1), "api".to_owned());
            Audience::Many(others)
        }),
    ]
}

fn profile() -> impl Strategy<Value = Profile> {
    let registered = (
        json_string(),
        audience_with_api(),
        NOW + 1..=MAX_SAFE,
        prop::option::of(past()),
        prop::option::of(past()),
        prop::option::of(json_string()),
    );
    let custom = (
        json_string(),
        prop::option::of(json_string()),
        any::<u8>(),
        any::<i64>(),
        any::<u64>(),
        finite_f64(),
        finite_f32(),
        vec(json_string(), 0..4),
        vec(vec(any::<i32>(), 0..4), 0..3),
        prop::option::of(vec(prop::option::of(finite_f64()), 0..4)),
        any::<bool>(),
    );
    (registered, custom).prop_map(
        |(
            (sub, aud, exp, nbf, iat, jti),
            (name, nickname, age, balance, visits, ratio, weight, tags, matrix, scores, verified),
        )| Profile {
            sub,
            aud,
            exp: NumericDate::from_secs(exp),
            nbf: nbf.map(NumericDate::from_secs),
            iat: iat.map(NumericDate::from_secs),
            jti,
            name,
            nickname,
            age,
            balance,
            visits,
            ratio,
            weight,
            tags,
            matrix,
            scores,
            verified,
        },
    )
}

/// An HMAC key of each algorithm, with or without a `kid`, over one 64-byte secret.
fn signing_key() -> impl Strategy<Value = HmacKey> {
    let alg = select(vec![Algorithm::HS256, Algorithm::HS384, Algorithm::HS512]);
    (alg, prop::option::of(json_string())).prop_map(|(alg, kid)| {
        let key = HmacKey::new(alg, [SECRET.as_slice(), SECRET.as_slice()].concat())
            .expect("64 bytes are enough for every HMAC");
        match kid {
            Some(kid) => key.with_kid(kid),
            None => key,
        }
    })
}

/// What `serde_json` itself gives back for `value` written and read again, as a `Value`.
fn reread<T: Serialize + serde::de::DeserializeOwned>(value: &T) -> Value {
    let json = serde_json::to_vec(value).expect("the claims serialize");
    let back: T = serde_json::from_slice(&json).expect("serde_json reads what it wrote");
    as_value(&back)
}

fn as_value<T: Serialize>(value: &T) -> Value {
    serde_json::to_value(value).expect("the claims serialize")
}

/// Whether `decoded` is `original`, except that any float in it may instead be the one
/// in `reread`.
///
/// The identity `encode` then `decode` owes: the claims given, but for the floats, where
/// `serde_json` (without its `float_roundtrip` feature, as here) may read back a value
/// one ulp away from the one it wrote; a decoder built on it gets that value, one that
/// reads floats exactly gets the original, and both are right.
fn same_but_floats(decoded: &Value, original: &Value, reread: &Value) -> bool {
    match (decoded, original, reread) {
        (Value::Number(d), Value::Number(o), Value::Number(r)) if o.is_f64() => d == o || d == r,
        (Value::Array(d), Value::Array(o), Value::Array(r)) => {
            d.len() == o.len()
                && o.len() == r.len()
                && d.iter()
                    .zip(o)
                    .zip(r)
                    .all(|((d, o), r)| same_but_floats(d, o, r))
        }
        (Value::Object(d), Value::Object(o), Value::Object(r)) => {
            d.len() == o.len()
                && o.len() == r.len()
                && o.iter().all(|(name, o)| match (d.get(name), r.get(name)) {
                    (Some(d), Some(r)) => same_but_floats(d, o, r),
                    _ => false,
                })
        }
        _ => decoded == original,
    }
}

fn fail(what: &str, error: &jwt_core::Error) -> TestCaseError {
    TestCaseError::fail(format!("{what}: {:?}: {error}", error.kind()))
}

/// `encode` then `decode` is the identity.
mod round_trips {
    use super::*;

    proptest! {
        #![proptest_config(config(2048))]

        /// Untyped claims come back as given (floats as in [`same_but_floats`]), and
        /// alike through `decode_with` as a map and as a `Value` and through the
        /// unverified decode; the header is the key's.
        #[test]
        fn untyped_claims_round_trip(claims in untyped_claims(), key in signing_key()) {
            let token = jwt_core::encode(&claims, &key).map_err(|e| fail("encode", &e))?;
            let validation = at_now().allow_missing_exp();
            let decoded: Token<Untyped> = jwt_core::decode_with(&token, &key, &validation)
                .map_err(|e| fail("decode_with::<Map>", &e))?;
            let back = Value::Object(decoded.claims().clone());
            let original = Value::Object(claims.clone());
            prop_assert!(
                same_but_floats(&back, &original, &reread(&claims)),
                "decoded {back}\nfrom {original}"
            );
            prop_assert_eq!(decoded.header().alg, key.algorithm());
            prop_assert_eq!(decoded.header().kid.as_deref(), key.kid());
            prop_assert_eq!(decoded.header().typ.as_deref(), Some("JWT"));

            let value: Token<Value> = jwt_core::decode_with(&token, &key, &validation)
                .map_err(|e| fail("decode_with::<Value>", &e))?;
            prop_assert_eq!(value.claims(), &back);
            let unverified = jwt_core::dangerous_unverified_decode::<Untyped>(&token)
                .map_err(|e| fail("dangerous_unverified_decode", &e))?;
            prop_assert_eq!(unverified.claims(), decoded.claims());
            let header = jwt_core::decode_header(&token).map_err(|e| fail("decode_header", &e))?;
            prop_assert_eq!(&header, decoded.header());
        }

        /// A typed struct comes back as given (floats as in [`same_but_floats`]); the
        /// payload holds the declared `iss` that `encode` writes besides its fields.
        #[test]
        fn typed_claims_round_trip(claims in profile()) {
            let token = jwt_core::encode(&claims, &key()).map_err(|e| fail("encode", &e))?;
            let decoded: Profile = jwt_core::decode_with(&token, &key(), &at_now())
                .map_err(|e| fail("decode_with::<Profile>", &e))?
                .into_claims();
            prop_assert!(
                same_but_floats(&as_value(&decoded), &as_value(&claims), &reread(&claims)),
                "decoded {decoded:?}\nfrom {claims:?}"
            );

            let payload = jwt_core::dangerous_unverified_decode::<Untyped>(&token)
                .map_err(|e| fail("dangerous_unverified_decode", &e))?
                .into_claims();
            let Value::Object(mut fields) = as_value(&claims) else {
                unreachable!("a struct serializes to an object")
            };
            // `encode` leaves out the registered claims that are `None`.
            fields.retain(|name, value| {
                RegisteredClaim::from_name(name).is_none() || !value.is_null()
            });
            prop_assert_eq!(fields.insert("iss".to_owned(), "https://issuer.example".into()), None);
            prop_assert!(payload.keys().eq(fields.keys()), "{payload:?}");
            prop_assert_eq!(&payload["iss"], &fields["iss"]);
        }
    }

    /// Optional registered claims as the documentation shows them, with no serde attribute.
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Claims)]
    struct Optional {
        exp: NumericDate,
        nbf: Option<NumericDate>,
        iat: Option<NumericDate>,
        jti: Option<String>,
        sub: Option<String>,
    }

    /// Decoding refuses a registered claim that is `null` (`InvalidClaim`), so `encode`
    /// must leave out each `None` rather than write `null`, or a claims type with an
    /// absent optional claim could not read its own tokens.
    #[test]
    fn optional_registered_claims_round_trip() {
        let key = key();
        let present = NumericDate::from_secs(NOW - 60);
        for (nbf, iat, jti, sub) in [
            (
                None,
                Some(present),
                Some("j".to_owned()),
                Some("s".to_owned()),
            ),
            (
                Some(present),
                None,
                Some("j".to_owned()),
                Some("s".to_owned()),
            ),
            (Some(present), Some(present), None, Some("s".to_owned())),
            (Some(present), Some(present), Some("j".to_owned()), None),
        ] {
            let claims = Optional {
                exp: NumericDate::from_secs(NOW + 3600),
                nbf,
                iat,
                jti,
                sub,
            };
            let token = jwt_core::encode(&claims, &key).unwrap();
            match jwt_core::decode_with::<Optional>(&token, &key, &at_now()) {
                Ok(decoded) => assert_eq!(decoded.into_claims(), claims),
                Err(error) => panic!("{claims:?} refused: {error}"),
            }
        }
    }
}

/// A valid token with one byte changed, deleted or inserted is refused.
mod one_byte_changes {
    use super::*;

    /// The refusals a changed token may get: the payload is never read before the
    /// signature is checked, so nothing about the claims can be the reason.
    const TAMPER_KINDS: [ErrorKind; 4] = [
        ErrorKind::Malformed,
        ErrorKind::AlgorithmMismatch,
        ErrorKind::CriticalHeader,
        ErrorKind::InvalidSignature,
    ];

    /// `bytes` as a token (invalid UTF-8 replaced, as a caller holding bytes would), refused
    /// by `key` both as untyped and as typed claims, for a reason of [`TAMPER_KINDS`].
    fn assert_tampered_refused(
        bytes: &[u8],
        key: &HmacKey,
        what: &dyn Fn() -> String,
    ) -> Result<(), TestCaseError> {
        let token = String::from_utf8_lossy(bytes);
        let validation = at_now().allow_missing_exp();
        let results = [
            jwt_core::decode_with::<Untyped>(&token, key, &validation).map(drop),
            jwt_core::decode_with::<Profile>(&token, key, &validation).map(drop),
        ];
        for result in results {
            match result {
                Ok(()) => return Err(TestCaseError::fail(format!("accepted {}: {token}", what()))),
                Err(error) if !TAMPER_KINDS.contains(&error.kind()) => {
                    return Err(TestCaseError::fail(format!(
                        "{}: refused as {:?}: {error}",
                        what(),
                        error.kind()
                    )));
                }
                Err(_) => {}
            }
        }
        Ok(())
    }

    /// Every one-byte change, deletion and insertion of one typical token, exhaustively,
    /// and every truncation of it.
    #[test]
    fn every_one_byte_change_of_a_token_is_refused() {
        let claims = Profile {
            sub: "user-1".into(),
            aud: Audience::Many(vec!["api".into(), "web".into()]),
            exp: NumericDate::from_secs(NOW + 3600),
            nbf: Some(NumericDate::from_secs(NOW - 60)),
            iat: Some(NumericDate::from_secs(NOW - 60)),
            jti: Some("b2f1".into()),
            name: "Zoë \u{1f600}".into(),
            nickname: None,
            age: 42,
            balance: -7,
            visits: 3,
            ratio: 0.5,
            weight: 70.25,
            tags: vec!["a\"b".into()],
            matrix: vec![vec![1, -2]],
            scores: Some(vec![None, Some(1.5)]),
            verified: true,
        };
        let key = key();
        let token = jwt_core::encode(&claims, &key).unwrap();
        jwt_core::decode_with::<Profile>(&token, &key, &at_now()).expect("the original is valid");
        let original = token.as_bytes();
        let check = |bytes: &[u8], what: &dyn Fn() -> String| {
            if let Err(failure) = assert_tampered_refused(bytes, &key, what) {
                panic!("{failure}");
            }
        };
        for at in 0..original.len() {
            let mut changed = original.to_vec();
            for byte in 0..=u8::MAX {
                if byte != original[at] {
                    changed[at] = byte;
                    check(&changed, &|| format!("byte {at} set to {byte:#04x}"));
                }
            }
            let mut deleted = original.to_vec();
            deleted.remove(at);
            check(&deleted, &|| format!("byte {at} deleted"));
        }
        for at in 0..=original.len() {
            for byte in 0..=u8::MAX {
                let mut inserted = original.to_vec();
                inserted.insert(at, byte);
                check(&inserted, &|| format!("{byte:#04x} inserted at {at}"));
            }
        }
        // Not one byte, but the change a truncating transport makes.
        for len in 0..original.len() {
            check(&original[..len], &|| format!("cut to {len} bytes"));
        }
    }

    /// How a generated token is changed.
    #[derive(Clone, Copy, Debug)]
    enum Change {
        /// The byte at an index is replaced by itself plus a non-zero delta (mod 256).
        Replace(Index, u8),
        Delete(Index),
        Insert(Index, u8),
    }

    fn change() -> impl Strategy<Value = Change> {
        prop_oneof![
            2 => (any::<Index>(), 1..=u8::MAX).prop_map(|(at, delta)| Change::Replace(at, delta)),
            1 => any::<Index>().prop_map(Change::Delete),
            1 => (any::<Index>(), any::<u8>()).prop_map(|(at, byte)| Change::Insert(at, byte)),
        ]
    }

    proptest! {
        #![proptest_config(config(3072))]

        /// Any one-byte change of any valid token, under any HMAC key, is refused.
        #[test]
        fn one_byte_change_of_any_token_is_refused(
            claims in untyped_claims(),
            key in signing_key(),
            change in change(),
        ) {
            let token = jwt_core::encode(&claims, &key).map_err(|e| fail("encode", &e))?;
            let mut bytes = token.into_bytes();
            match change {
                Change::Replace(at, delta) => {
                    let at = at.index(bytes.len());
                    bytes[at] = bytes[at].wrapping_add(delta);
                }
                Change::Delete(at) => {
                    bytes.remove(at.index(bytes.len()));
                }
                Change::Insert(at, byte) => bytes.insert(at.index(bytes.len() + 1), byte),
            }
            assert_tampered_refused(&bytes, &key, &|| format!("{change:?}"))?;
        }
    }
}

/// No input makes any decoding entry point panic.
mod no_input_panics {
    use super::*;

    /// Uses every part of a result that a caller might print or inspect, so that a panic in
    /// `Display` or `Debug` shows too.
    fn touch<T: Debug>(result: Result<T, jwt_core::Error>) {
        match result {
            Ok(value) => drop(black_box(format!("{value:?}"))),
            Err(error) => {
                let mut text = format!("{error} {error:?} {:?} {:?}", error.kind(), error.claim());
                let mut source = std::error::Error::source(&error);
                while let Some(inner) = source {
                    text.push_str(&inner.to_string());
                    source = inner.source();
                }
                drop(black_box(text));
            }
        }
    }

    /// A `Validation` with arbitrary (extreme included) runtime rules.
    fn validation() -> impl Strategy<Value = Validation> {
        let at = prop_oneof![
            3 => Just(NOW),
            1 => any::<i64>(),
            1 => select(vec![i64::MIN, i64::MAX, -MAX_SAFE, MAX_SAFE, 0]),
        ];
        let seconds = prop::option::of(prop_oneof![0..100_u64, Just(u64::MAX), any::<u64>()]);
        let name = prop::option::of(select(vec!["api", "svc", "https://issuer.example", ""]));
        (
            at,
            seconds.clone(),
            seconds,
            name.clone(),
            name.clone(),
            name,
            any::<bool>(),
            prop::option::of(select(RegisteredClaim::ALL.to_vec())),
        )
            .prop_map(
                |(at, leeway, max_age, iss, aud, sub, missing_exp, require)| {
                    let mut validation = Validation::new().at(NumericDate::from_secs(at));
                    if let Some(leeway) = leeway {
                        validation = validation.leeway(leeway);
                    }
                    if let Some(max_age) = max_age {
                        validation = validation.max_age(max_age);
                    }
                    if let Some(iss) = iss {
                        validation = validation.issuer(iss);
                    }
                    if let Some(aud) = aud {
                        validation = validation.audience(aud);
                    }
                    if let Some(sub) = sub {
                        validation = validation.subject(sub);
                    }
                    if let Some(claim) = require {
                        validation = validation.require(claim);
                    }
                    if missing_exp {
                        validation = validation.allow_missing_exp();
                    }
                    validation
                },
            )
    }

    /// Runs `token` through every decoding entry point, typed and untyped, with the
    /// system clock, at [`NOW`] and under `validation`; a panic fails the property.
    fn decode_everything(token: &str, validation: &Validation) {
        let key = key();
        touch(jwt_core::decode::<Untyped>(token, &key));
        touch(jwt_core::decode::<Value>(token, &key));
        touch(jwt_core::decode::<Profile>(token, &key));
        touch(jwt_core::decode::<Loose>(token, &key));
        touch(jwt_core::decode::<Access>(token, &key));
        for validation in [validation, &at_now().allow_missing_exp()] {
            touch(jwt_core::decode_with::<Untyped>(token, &key, validation));
            touch(jwt_core::decode_with::<Value>(token, &key, validation));
            touch(jwt_core::decode_with::<Profile>(token, &key, validation));
            touch(jwt_core::decode_with::<Loose>(token, &key, validation));
            touch(jwt_core::decode_with::<Access>(token, &key, validation));
        }
        touch(jwt_core::decode_header(token));
        touch(jwt_core::dangerous_unverified_decode::<Untyped>(token));
        touch(jwt_core::dangerous_unverified_decode::<Value>(token));
        touch(jwt_core::dangerous_unverified_decode::<Profile>(token));
        touch(jwt_core::dangerous_unverified_decode::<Loose>(token));
        touch(jwt_core::dangerous_unverified_decode::<Access>(token));
    }

    /// JSON pieces, valid and broken, that reach the strict reader's corners.
    #[rustfmt::skip]
    const FRAGMENTS: &[&str] = &[
        "{", "}", "[", "]", ":", ",", " ", "\n", "\t", "\u{feff}", "\"", "\\", r#""alg""#,
        r#""HS256""#, r#""HS512""#, r#""none""#, r#""hs256""#, r#""crit""#, r#""kid""#,
        r#""typ""#, r#""cty""#, r#""JWT""#, r#""at+jwt""#, r#""application/AT+JWT""#,
        r#""jwk""#, r#""exp""#, r#""nbf""#, r#""iat""#, r#""iss""#, r#""sub""#, r#""aud""#,
        r#""jti""#, r#""scopes""#, r#""svc""#, r#""api""#, r#""read""#, "1700003600",
        "1700000000", "-1", "0", "1e999", "-1e999", "9007199254740991", "9007199254740992",
        "-9007199254740993", "18446744073709551616", "1.5", "-0", "1e-400", "1E+2", "01", ".5",
        "NaN", "Infinity", "null", "true", "false", r#""\ud800""#, r#""\udc00\ud800""#,
        r#""\ud83d\ude00""#, r#""\u0000""#, r#""\"""#, r#""\x""#, "\"\u{1f600}\"", "\"\u{0}\"",
        "\"\u{7f}\"", r#"{"a":"#, "[[[[[[[[[[[[[[[[", "]]]]]]]]]]]]]]]]",
        r#""$serde_json::private::RawValue""#, r#"{"$serde_json::private::RawValue":1}"#,
    ];

    /// Member names that mean something in a header or a payload.
    const NAMES: &[&str] = &[
        "alg", "typ", "kid", "cty", "crit", "jwk", "jku", "x5u", "x5c", "iss", "sub", "aud", "exp",
        "nbf", "iat", "jti", "scopes", "name", "",
    ];

    /// Text made of [`FRAGMENTS`]: mostly not JSON, sometimes nearly.
    fn json_ish() -> impl Strategy<Value = String> {
        vec(select(FRAGMENTS), 0..24).prop_map(|pieces| pieces.concat())
    }

    /// One `"name":value` member, the value any JSON or a fragment.
    fn member() -> impl Strategy<Value = String> {
        let name = prop_oneof![
            1 => select(NAMES).prop_map(str::to_owned),
            1 => json_string(),
        ];
        let value = prop_oneof![
            6 => json_value().prop_map(|value| value.to_string()),
            1 => select(FRAGMENTS).prop_map(str::to_owned),
            2 => select(vec![
                format!("{}", NOW + 3600),
                format!("{NOW}"),
                format!("{}.5", NOW - 1),
                r#"["api","web"]"#.to_owned(),
                r#"["read","write"]"#.to_owned(),
                r#"["admin"]"#.to_owned(),
            ]),
        ];
        (name, value).prop_map(|(name, value)| format!("{}:{value}", Value::String(name)))
    }

    /// An object, usually well-formed, of arbitrary members after `first`.
    fn object_ish(first: &'static str) -> impl Strategy<Value = String> {
        (
            vec(member(), 0..6),
            prop::option::weighted(0.1, select(FRAGMENTS)),
        )
            .prop_map(move |(members, stray)| {
                let mut all: Vec<&str> = Vec::new();
                if !first.is_empty() {
                    all.push(first);
                }
                all.extend(members.iter().map(String::as_str));
                format!("{{{}{}}}", all.join(","), stray.unwrap_or(""))
            })
    }

    /// JSON nested `depth` levels deep inside a member of an object that starts with
    /// `first`, closed or not.
    fn deep(first: &'static str) -> impl Strategy<Value = String> {
        (
            0..3000_usize,
            select(vec![("[", "]"), ("{\"a\":", "}"), ("[{\"a\":", "}]")]),
            any::<bool>(),
        )
            .prop_map(move |(depth, (open, close), closed)| {
                let tail = if closed {
                    close.repeat(depth)
                } else {
                    String::new()
                };
                format!("{{{first}\"x\":{}1{tail}}}", open.repeat(depth))
            })
    }

    fn header_bytes() -> impl Strategy<Value = Vec<u8>> {
        prop_oneof![
            4 => Just(br#"{"alg":"HS256","typ":"JWT"}"#.to_vec()),
            1 => Just(br#"{"alg":"HS256","typ":"at+jwt"}"#.to_vec()),
            3 => object_ish(r#""alg":"HS256""#).prop_map(String::into_bytes),
            2 => object_ish("").prop_map(String::into_bytes),
            1 => json_ish().prop_map(String::into_bytes),
            1 => json_value().prop_map(|value| value.to_string().into_bytes()),
            1 => deep(r#""alg":"HS256","#).prop_map(String::into_bytes),
            1 => vec(any::<u8>(), 0..48),
        ]
    }

    fn payload_bytes() -> impl Strategy<Value = Vec<u8>> {
        prop_oneof![
            3 => untyped_claims().prop_map(|claims| serde_json::to_vec(&claims).unwrap()),
            1 => profile().prop_map(|claims| serde_json::to_vec(&claims).unwrap()),
            4 => object_ish(r#""exp":1700003600"#).prop_map(String::into_bytes),
            2 => object_ish("").prop_map(String::into_bytes),
            1 => json_ish().prop_map(String::into_bytes),
            1 => json_value().prop_map(|value| value.to_string().into_bytes()),
            1 => deep(r#""exp":1700003600,"#).prop_map(String::into_bytes),
            1 => vec(any::<u8>(), 0..64),
        ]
    }

    /// How a segment's bytes are written into the token.
    fn segment(bytes: impl Strategy<Value = Vec<u8>>) -> impl Strategy<Value = String> {
        let how = prop_oneof![
            8 => Just(0_u8),
            1 => Just(1),
            1 => Just(2),
        ];
        (
            bytes,
            how,
            any::<Index>(),
            select(vec!["=", "==", "+", "/", " ", "\n", ".", "%", "\u{e9}"]),
        )
            .prop_map(|(bytes, how, at, stray)| match how {
                // Raw text where base64url belongs.
                1 => String::from_utf8_lossy(&bytes).into_owned(),
                // base64url with a stray character (padding, another alphabet, whitespace).
                2 => {
                    let mut text = b64(&bytes);
                    text.insert_str(at.index(text.len() + 1), stray);
                    text
                }
                _ => b64(&bytes),
            })
    }

    /// A signature segment: right, arbitrary bytes, or arbitrary text.
    #[derive(Clone, Debug)]
    enum Signature {
        Right,
        Bytes(Vec<u8>),
        Text(String),
    }

    fn signature() -> impl Strategy<Value = Signature> {
        prop_oneof![
            6 => Just(Signature::Right),
            2 => vec(any::<u8>(), 0..70).prop_map(Signature::Bytes),
            1 => "[A-Za-z0-9_=+/. -]{0,50}".prop_map(Signature::Text),
        ]
    }

    /// Three segments: a header and a payload each of valid, nearly valid or arbitrary JSON
    /// or bytes, usually base64url, and a signature usually right for them.
    fn three_segments() -> impl Strategy<Value = String> {
        (
            segment(header_bytes()),
            segment(payload_bytes()),
            signature(),
        )
            .prop_map(|(header, payload, signature)| match signature {
                Signature::Right => sign_segments(&header, &payload),
                Signature::Bytes(bytes) => format!("{header}.{payload}.{}", b64(bytes)),
                Signature::Text(text) => format!("{header}.{payload}.{text}"),
            })
    }

    proptest! {
        #![proptest_config(config(8192))]

        /// Arbitrary bytes, read as a caller holding bytes would, never panic.
        #[test]
        fn arbitrary_bytes_never_panic(
            bytes in vec(any::<u8>(), 0..400),
            validation in validation(),
        ) {
            decode_everything(&String::from_utf8_lossy(&bytes), &validation);
        }

        /// Arbitrary strings, of any characters or of the token alphabet and its neighbours,
        /// never panic.
        #[test]
        fn arbitrary_strings_never_panic(
            text in prop_oneof![any::<String>(), "[A-Za-z0-9_=+/. -]{0,300}"],
            validation in validation(),
        ) {
            decode_everything(&text, &validation);
        }
    }

    /// The start of payloads that nearly fit `Access`, `Profile` and `Loose`.
    const ACCESS_READ: &str = concat!(
        r#""exp":1700003600,"iat":1699999990,"nbf":1699999990,"#,
        r#""sub":"svc","jti":"j","scopes":["read"]"#
    );
    const ACCESS_ADMIN: &str = concat!(
        r#""exp":1700003600,"iat":1699999990,"nbf":1699999990,"#,
        r#""sub":"svc","jti":"j","scopes":["admin"]"#
    );
    const PROFILE_PART: &str = r#""exp":1700003600,"iss":"https://issuer.example","aud":"api""#;
    const EXP_ONLY: &str = r#""exp":1700003600"#;

    proptest! {
        #![proptest_config(config(12288))]

        /// Three-segment tokens of arbitrary headers and payloads, correctly signed or not,
        /// never panic; when signed over a well-formed HS256 header they reach the claims.
        #[test]
        fn arbitrary_three_segment_tokens_never_panic(
            token in three_segments(),
            validation in validation(),
        ) {
            decode_everything(&token, &validation);
        }
    }

    proptest! {
        #![proptest_config(config(6144))]

        /// Correctly signed tokens over claims objects that nearly fit each claims type,
        /// under arbitrary runtime rules, never panic.
        #[test]
        fn signed_nearly_fitting_claims_never_panic(
            header in select(vec![r#"{"alg":"HS256"}"#, r#"{"alg":"HS256","typ":"at+jwt"}"#]),
            payload in prop_oneof![
                object_ish(ACCESS_READ),
                object_ish(ACCESS_ADMIN),
                object_ish(PROFILE_PART),
                object_ish(EXP_ONLY),
            ],
            validation in validation(),
        ) {
            let input = format!("{}.{}", b64(header), b64(&payload));
            let token = format!("{input}.{}", b64(hmac("HS256", SECRET, input.as_bytes())));
            decode_everything(&token, &validation);
        }
    }
}
