//! Heap allocations of decoding and encoding, counted per thread by the global allocator
//! of `allocation-counter` (this binary only).
//!
//! Refusals that come before the signature check must cost O(1) memory however long the
//! token is: the bytes they allocate stay below a small constant and match those of the
//! same refusal of a token a quarter as long. The one exception is a long header, which
//! must be decoded to be read: a refusal for its `alg` allocates the decoded header, and
//! nothing for the payload or the rest of the token. The allocations of one valid decode and one encode are
//! printed (`cargo test -p jwt-tests --test allocations -- --nocapture`) and capped at
//! today's counts, so that growth fails here.

use allocation_counter::AllocationInfo;
use jwt_core::{Audience, Claims, ErrorKind, NumericDate, Validation};
use jwt_tests::{TokenBuilder, Untyped, b64, claims_json, key, sign_segments};
use serde::{Deserialize, Serialize};

/// What a refusal that does not depend on the token's length may allocate: the error
/// and its message.
const O1_BYTES: u64 = 1024;

/// The length of the long tokens: 2 MiB.
const LONG: usize = 2 * 1024 * 1024;

/// Runs `f` once unmeasured (so that lazily built state, such as thread-locals, is not
/// counted), then returns the allocations of a second run and its result.
fn measured<T>(mut f: impl FnMut() -> T) -> (AllocationInfo, T) {
    drop(f());
    let mut result = None;
    let info = allocation_counter::measure(|| result = Some(f()));
    (info, result.expect("the closure ran"))
}

/// The allocations of refusing `token` with `validation`, checking that the refusal is
/// of `kind`.
#[track_caller]
fn refusal(token: &str, validation: &Validation, kind: ErrorKind) -> AllocationInfo {
    let key = key();
    let (info, result) =
        measured(|| jwt_core::decode_with::<Untyped>(token, &key, validation).map(drop));
    match result {
        Ok(()) => panic!("a token of {} bytes was accepted", token.len()),
        Err(error) => assert_eq!(error.kind(), kind, "{error}"),
    }
    info
}

/// Prints `label`'s allocations, one line each.
fn report(label: &str, info: &AllocationInfo) {
    println!(
        "{label}: {} allocations, {} bytes (peak {} bytes in {} blocks)",
        info.count_total, info.bytes_total, info.bytes_max, info.count_max
    );
}

/// Asserts that refusing `long` allocates O(1): below [`O1_BYTES`], and no more than
/// refusing `short` the same way (a token a quarter as long, so that both take the same
/// path), give or take the digits of a length in a message.
#[track_caller]
fn assert_constant(label: &str, long: &AllocationInfo, short: &AllocationInfo) {
    report(&format!("{label}, long token"), long);
    report(&format!("{label}, short token"), short);
    assert!(
        long.bytes_total < O1_BYTES,
        "{label}: {} bytes allocated for the long token",
        long.bytes_total
    );
    assert!(
        long.count_total <= short.count_total && long.bytes_total <= short.bytes_total + 32,
        "{label}: the long token costs {long:?}, the short one {short:?}"
    );
}

/// A validation whose limit lets `len` bytes through to the later rules.
fn limit(len: usize) -> Validation {
    Validation::new().max_token_len(len)
}

/// Refusals before the signature check, of tokens of 2 MiB (under a limit raised to let
/// them through where the point is a later rule) against the same refusal of a token a
/// quarter as long.
mod refusals_before_the_signature_check_allocate_o1 {
    use super::*;

    /// A correctly signed token of about `len` bytes, valid but for its size.
    fn signed_token_of(len: usize) -> String {
        let pad = len * 3 / 4;
        TokenBuilder::claims(claims_json(&format!(r#""pad":"{}""#, "p".repeat(pad)))).sign()
    }

    #[test]
    fn too_long_signed_token() {
        let long = signed_token_of(LONG);
        assert!(long.len() >= LONG);
        let short = signed_token_of(LONG / 4);
        let long_info = refusal(&long, &Validation::new(), ErrorKind::TooLong);
        let short_info = refusal(&short, &Validation::new(), ErrorKind::TooLong);
        assert_constant("TooLong, 2 MiB signed token", &long_info, &short_info);
    }

    /// A valid token followed by `dots` dots.
    fn dotted(dots: usize) -> String {
        let mut token = TokenBuilder::claims(claims_json("")).sign();
        token.push_str(&".".repeat(dots));
        token
    }

    #[test]
    fn valid_token_and_100_000_dots_is_too_long_by_default() {
        let long = dotted(100_000);
        let short = dotted(25_000);
        let long_info = refusal(&long, &Validation::new(), ErrorKind::TooLong);
        let short_info = refusal(&short, &limit(short.len() - 1), ErrorKind::TooLong);
        assert_constant("TooLong, token and 100,000 dots", &long_info, &short_info);
    }

    #[test]
    fn valid_token_and_100_000_dots_is_malformed_under_a_raised_limit() {
        let long = dotted(100_000);
        let short = dotted(25_000);
        let long_info = refusal(&long, &limit(long.len()), ErrorKind::Malformed);
        let short_info = refusal(&short, &limit(short.len()), ErrorKind::Malformed);
        assert_constant("Malformed, token and 100,000 dots", &long_info, &short_info);
    }

    /// A correctly signed token whose header is `{"alg":ALG,"pad":"ppp..."}` of about
    /// `len` bytes.
    fn huge_header(alg: &str, len: usize) -> String {
        let header = format!(r#"{{"alg":"{alg}","pad":"{}"}}"#, "p".repeat(len * 3 / 4));
        TokenBuilder::claims(claims_json("")).header(header).sign()
    }

    /// A header is decoded to be read, so a refusal for its `alg` costs the decoded
    /// header: one block of its size, and nothing for its members or the payload.
    #[track_caller]
    fn assert_only_the_header_is_decoded(alg: &str) {
        let long = huge_header(alg, LONG);
        let short = huge_header(alg, LONG / 4);
        let long_info = refusal(&long, &limit(long.len()), ErrorKind::AlgorithmMismatch);
        let short_info = refusal(&short, &limit(short.len()), ErrorKind::AlgorithmMismatch);
        let label = format!("AlgorithmMismatch {alg}, huge header");
        report(&format!("{label}, long token"), &long_info);
        report(&format!("{label}, short token"), &short_info);
        let decoded_header = (LONG * 3 / 4) as u64;
        assert!(
            long_info.bytes_total < decoded_header + O1_BYTES,
            "{label}: {long_info:?}"
        );
        assert_eq!(long_info.count_total, short_info.count_total, "{label}");
    }

    #[test]
    fn bad_alg_in_a_huge_header_costs_only_the_decoded_header() {
        assert_only_the_header_is_decoded("HS512");
    }

    #[test]
    fn none_alg_in_a_huge_header_costs_only_the_decoded_header() {
        assert_only_the_header_is_decoded("none");
    }

    /// A header segment of `len` base64url characters with a `*` at its start, over a
    /// valid payload, signed over the segments as they are.
    fn bad_base64_header(len: usize) -> String {
        let header = format!("*{}", "e".repeat(len));
        sign_segments(&header, &b64(claims_json("")))
    }

    #[test]
    fn bad_base64_in_a_huge_header() {
        let long = bad_base64_header(LONG);
        let short = bad_base64_header(LONG / 4);
        let long_info = refusal(&long, &limit(long.len()), ErrorKind::Malformed);
        let short_info = refusal(&short, &limit(short.len()), ErrorKind::Malformed);
        assert_constant("Malformed base64, huge header", &long_info, &short_info);
    }

    #[test]
    fn bad_base64_at_the_end_of_a_huge_header() {
        let token =
            |len: usize| sign_segments(&format!("{}*", "e".repeat(len)), &b64(claims_json("")));
        let long = token(LONG);
        let short = token(LONG / 4);
        let long_info = refusal(&long, &limit(long.len()), ErrorKind::Malformed);
        let short_info = refusal(&short, &limit(short.len()), ErrorKind::Malformed);
        assert_constant(
            "Malformed base64 at the end, huge header",
            &long_info,
            &short_info,
        );
    }

    #[test]
    fn bad_alg_over_a_huge_payload() {
        let token = |pad: usize| {
            TokenBuilder::claims(claims_json(&format!(r#""pad":"{}""#, "p".repeat(pad))))
                .header(r#"{"alg":"none"}"#)
                .sign()
        };
        let long = token(LONG * 3 / 4);
        let short = token(LONG * 3 / 16);
        let long_info = refusal(&long, &limit(long.len()), ErrorKind::AlgorithmMismatch);
        let short_info = refusal(&short, &limit(short.len()), ErrorKind::AlgorithmMismatch);
        assert_constant("AlgorithmMismatch, huge payload", &long_info, &short_info);
    }

    /// A broken payload under a signature that does not verify, as anyone without the
    /// key can send: rule 2 refuses it, without decoding it. (A payload is decoded only
    /// once its signature has verified.)
    #[test]
    fn bad_base64_in_a_huge_payload() {
        let token = |len: usize| {
            let header = b64(r#"{"alg":"HS256"}"#);
            format!("{header}.*{}.{}", "e".repeat(len), b64([0u8; 32]))
        };
        let long = token(LONG);
        let short = token(LONG / 4);
        let long_info = refusal(&long, &limit(long.len()), ErrorKind::Malformed);
        let short_info = refusal(&short, &limit(short.len()), ErrorKind::Malformed);
        assert_constant("Malformed base64, huge payload", &long_info, &short_info);
    }

    #[test]
    fn bad_signature_over_a_huge_payload_is_refused_before_the_payload_is_decoded() {
        let token = |pad: usize| {
            let token =
                TokenBuilder::claims(claims_json(&format!(r#""pad":"{}""#, "p".repeat(pad))))
                    .sign();
            let (signing_input, _) = token.rsplit_once('.').unwrap();
            format!("{signing_input}.{}", b64([0u8; 32]))
        };
        let long = token(LONG * 3 / 4);
        let short = token(LONG * 3 / 16);
        let long_info = refusal(&long, &limit(long.len()), ErrorKind::InvalidSignature);
        let short_info = refusal(&short, &limit(short.len()), ErrorKind::InvalidSignature);
        assert_constant("InvalidSignature, huge payload", &long_info, &short_info);
    }
}

/// One valid decode, typed and untyped, and one encode: their allocations printed and
/// capped.
mod valid_tokens {
    use super::*;

    /// Claims with every registered claim and two custom ones.
    #[derive(Debug, Serialize, Deserialize, Claims)]
    #[jwt(iss = "https://auth.example.com", aud = "api")]
    struct Access {
        sub: String,
        iss: String,
        aud: Audience,
        exp: NumericDate,
        iat: NumericDate,
        nbf: NumericDate,
        jti: String,
        role: String,
        scope: String,
    }

    fn access() -> Access {
        let now = NumericDate::now();
        Access {
            sub: "user-1234".into(),
            iss: "https://auth.example.com".into(),
            aud: "api".into(),
            exp: now + 3600,
            iat: now - 10,
            nbf: now - 10,
            jti: "6f1c2a9e-41b7-4c7e-9d1e-3f0b8a2c5d71".into(),
            role: "admin".into(),
            scope: "read write".into(),
        }
    }

    // Upper bounds, equal to the counts measured (the returned claims' own strings
    // included: a typed decode allocates nothing else, an encode only the token). These
    // catch growth: lower them when the counts fall, and never raise one without a
    // reason.
    const TYPED_DECODE_COUNT: u64 = 6;
    const TYPED_DECODE_BYTES: u64 = 87;
    const TYPED_DECODE_WITH_COUNT: u64 = 7;
    const TYPED_DECODE_WITH_BYTES: u64 = 90;
    const UNTYPED_DECODE_COUNT: u64 = 17;
    const UNTYPED_DECODE_BYTES: u64 = 752;
    const ENCODE_COUNT: u64 = 1;
    const ENCODE_BYTES: u64 = 386;

    #[track_caller]
    fn assert_at_most(label: &str, info: &AllocationInfo, count: u64, bytes: u64) {
        report(label, info);
        assert!(
            info.count_total <= count,
            "{label}: {} allocations, more than {count}",
            info.count_total
        );
        assert!(
            info.bytes_total <= bytes,
            "{label}: {} bytes allocated, more than {bytes}",
            info.bytes_total
        );
    }

    #[test]
    fn typed_decode() {
        let key = key();
        let token = jwt_core::encode(&access(), &key).unwrap();
        let (info, result) = measured(|| jwt_core::decode::<Access>(&token, &key));
        assert_eq!(result.unwrap().role, "admin");
        assert_at_most(
            "typed decode (9 claims, HS256)",
            &info,
            TYPED_DECODE_COUNT,
            TYPED_DECODE_BYTES,
        );
    }

    #[test]
    fn typed_decode_with_header() {
        let key = key();
        let token = jwt_core::encode(&access(), &key).unwrap();
        let validation = Validation::new().at(NumericDate::now());
        let (info, result) =
            measured(|| jwt_core::decode_with::<Access>(&token, &key, &validation));
        assert_eq!(result.unwrap().claims().role, "admin");
        assert_at_most(
            "typed decode_with (9 claims, HS256, header kept)",
            &info,
            TYPED_DECODE_WITH_COUNT,
            TYPED_DECODE_WITH_BYTES,
        );
    }

    #[test]
    fn untyped_decode() {
        let key = key();
        let Ok(serde_json::Value::Object(claims)) = serde_json::to_value(access()) else {
            unreachable!("a struct serializes to an object")
        };
        let token = jwt_core::encode(&claims, &key).unwrap();
        let validation = Validation::new().audience("api");
        let (info, result) =
            measured(|| jwt_core::decode_with::<Untyped>(&token, &key, &validation));
        assert_eq!(result.unwrap().claims().len(), 9);
        assert_at_most(
            "untyped decode (9 claims, HS256)",
            &info,
            UNTYPED_DECODE_COUNT,
            UNTYPED_DECODE_BYTES,
        );
    }

    #[test]
    fn encode() {
        let key = key();
        let claims = access();
        let (info, result) = measured(|| jwt_core::encode(&claims, &key));
        assert!(result.unwrap().starts_with("ey"));
        assert_at_most(
            "encode (9 claims, HS256)",
            &info,
            ENCODE_COUNT,
            ENCODE_BYTES,
        );
    }
}
