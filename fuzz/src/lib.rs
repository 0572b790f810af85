//! What the fuzz targets share: the key and clock of DESIGN.md's seed token, a typed
//! claims struct, and the checks every token a decoder accepts must pass.
//!
//! The checks restate the product contract (DESIGN.md, "Decoding rules") as plainly as
//! possible, so that a failing assertion points at the decoder rather than at the
//! harness.
#![forbid(unsafe_code)]

use std::borrow::Cow;
use std::fmt::Debug;
use std::sync::LazyLock;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jwt_core::{
    Algorithm, Audience, Claims, DEFAULT_MAX_TOKEN_LEN, Error, Header, HmacKey, NumericDate,
    SigningKey, Token, Validation,
};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// Untyped claims, as `decode_with` reads them.
pub type Untyped = Map<String, Value>;

/// The secret DESIGN.md's seed token is signed with.
pub const SECRET: &[u8] = b"-----BEGIN PRIVATE KEY----------END PRIVATE KEY-----";

/// The fixed clock: a time inside the seed token's window (issued 1651759927, expiring
/// 1651760527), so that the seed token and tokens like it are accepted.
pub const NOW: i64 = 1_651_760_000;

/// The leeway [`Typed`] declares.
pub const LEEWAY: i64 = 30;

/// The issuer [`Typed`] declares (and `encode` writes, since it has no `iss` field).
pub const ISSUER: &str = "jiankaiwang";

/// The audiences [`Typed`] declares; a token's `aud` must hold one of them.
pub const AUDIENCES: [&str; 2] = ["db-server", "api"];

/// `2^53 - 1`: the largest time magnitude a token may carry (RFC 7493).
pub const MAX_SAFE: i64 = (1 << 53) - 1;

/// The HS256 key of the seed token.
pub static KEY: LazyLock<HmacKey> =
    LazyLock::new(|| HmacKey::hs256(SECRET).expect("the seed secret has 52 bytes"));

/// The fixed clock as a [`NumericDate`].
pub fn now() -> NumericDate {
    NumericDate::from_secs(NOW)
}

/// A typed claims struct with attribute rules, a leeway and fields of several kinds: a
/// validated `String`, an `Audience`, required and optional times, a `Vec`, a nested
/// struct and a plain integer. DESIGN.md's seed token fits it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Claims)]
#[jwt(iss = "jiankaiwang", aud = ["db-server", "api"], leeway = 30)]
pub struct Typed {
    /// Must pass [`check_subject`].
    #[jwt(validate = check_subject)]
    pub sub: String,
    /// Must hold one of [`AUDIENCES`].
    pub aud: Audience,
    /// Required by its type.
    pub exp: NumericDate,
    /// Optional, and read by a field that swallows its errors
    /// (`Option::<T>::deserialize(d).ok().flatten()`): a malformed `nbf` must still refuse
    /// the token, and the reader must stay in step. `encode` leaves a `None` registered
    /// claim out (a `null` one is refused by the decoder), so no `skip_serializing_if` is
    /// needed.
    #[serde(default, deserialize_with = "lenient")]
    pub nbf: Option<NumericDate>,
    /// Optional.
    pub iat: Option<NumericDate>,
    /// Optional.
    pub jti: Option<String>,
    /// A list of strings, empty when absent.
    #[serde(default)]
    pub roles: Vec<String>,
    /// A nested object.
    #[serde(default)]
    pub session: Session,
    /// The seed token's custom claim.
    #[serde(default)]
    pub timestamp: i64,
    /// A custom claim read by a field that swallows its errors: whatever value it holds,
    /// broken JSON inside or after it must still refuse the token.
    #[serde(default, deserialize_with = "lenient", skip_serializing)]
    pub score: Option<f64>,
}

/// The value as `T`, or `None` when it is not one: the error is swallowed, as
/// `serde_with::DefaultOnError` and many codebases do.
///
/// # Errors
///
/// Never: this is the point.
#[allow(clippy::unnecessary_wraps)] // serde's signature for `deserialize_with`
pub fn lenient<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(d).ok().flatten())
}

/// The nested object of [`Typed`].
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Session {
    /// A number.
    pub id: u64,
    /// An optional string, written as `null` when absent.
    pub device: Option<String>,
    /// Flags by name.
    #[serde(default)]
    pub flags: std::collections::BTreeMap<String, bool>,
    /// A list read by a field that swallows its errors, one object down.
    #[serde(default, deserialize_with = "lenient", skip_serializing)]
    pub tags: Option<Vec<String>>,
}

/// The field validator of [`Typed::sub`]: not empty, at most 256 bytes.
///
/// # Errors
///
/// When the subject is empty or longer.
#[allow(clippy::ptr_arg)] // a validator takes a reference to the field's type
pub fn check_subject(sub: &String) -> Result<(), &'static str> {
    if sub.is_empty() {
        Err("the subject is empty")
    } else if sub.len() > 256 {
        Err("the subject is longer than 256 bytes")
    } else {
        Ok(())
    }
}

/// The registered-claim rules in force for one decode, as DESIGN.md states them.
#[derive(Clone, Copy, Debug)]
pub struct Rules {
    /// The leeway that applies (the smaller of declared and runtime).
    pub leeway: i64,
    /// Accepted issuers; empty when any is.
    pub issuers: &'static [&'static str],
    /// Accepted audiences; empty when the verifier expects none.
    pub audiences: &'static [&'static str],
    /// Whether a token without `exp` is refused.
    pub exp_required: bool,
}

/// The rules of [`Typed`] with no runtime additions.
pub const TYPED_RULES: Rules = Rules {
    leeway: LEEWAY,
    issuers: &[ISSUER],
    audiences: &AUDIENCES,
    exp_required: true,
};

/// Strict canonical base64url of `bytes`, as a token segment.
pub fn b64(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// The bytes of a segment, if it is base64url without padding.
pub fn unb64(segment: &str) -> Option<Vec<u8>> {
    URL_SAFE_NO_PAD.decode(segment).ok()
}

/// `signing_input . signature` with [`KEY`]'s signature over exactly `signing_input`.
pub fn resign(signing_input: &str) -> String {
    let signature = KEY
        .sign(signing_input.as_bytes())
        .expect("HMAC signs any input");
    format!("{signing_input}.{}", b64(&signature))
}

/// Renders an error every way a caller might, so that building messages from token
/// values (cut short, quoted) is fuzzed too.
pub fn exercise_error(error: &Error) {
    let _ = error.kind();
    let _ = error.claim();
    let _ = error.to_string();
    let _ = format!("{error:?}");
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        let _ = cause.to_string();
        source = cause.source();
    }
}

/// Checks a header that `decode_header` (or an unverified decode) returned: its `alg` is a
/// known algorithm, `crit` is never there, the four named members are never in `other`,
/// and it survives writing and strict reading.
pub fn check_inspected_header(header: &Header) {
    assert!(Algorithm::ALL.contains(&header.alg), "{header:?}");
    assert_eq!(
        header.alg.as_str().parse::<Algorithm>().ok(),
        Some(header.alg),
        "an algorithm parses back from its name"
    );
    for name in ["crit", "alg", "typ", "kid", "cty"] {
        assert!(
            !header.other.contains_key(name),
            "`{name}` is never among the other members: {header:?}"
        );
    }
    let json = serde_json::to_string(header).expect("a decoded header serializes");
    let back: Header = serde_json::from_str(&json).expect("a written header reads back");
    assert!(
        (back.alg, &back.typ, &back.kid, &back.cty)
            == (header.alg, &header.typ, &header.kid, &header.cty)
            && same_json(
                &Value::Object(back.other.clone()),
                &Value::Object(header.other.clone())
            ),
        "a header survives writing and reading: {json}\n{back:?}\n{header:?}"
    );
}

/// Whether two JSON values are equal, but for the last bits of a float: serde_json's
/// default float parsing is not always correctly rounded (it may be an ulp or so off,
/// subnormals included), so a float does not always read back exactly as written.
fn same_json(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) if x.is_f64() || y.is_f64() => {
            match (x.as_f64(), y.as_f64()) {
                (Some(x), Some(y)) => close_floats(x, y),
                _ => false,
            }
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same_json(x, y))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(name, x)| y.get(name).is_some_and(|y| same_json(x, y)))
        }
        _ => a == b,
    }
}

/// Equal, or finite, of one sign and at most 4 units in the last place apart (for such
/// floats the distance of their bit patterns is the distance in ulps).
fn close_floats(x: f64, y: f64) -> bool {
    x == y
        || (x.is_finite()
            && y.is_finite()
            && x.is_sign_negative() == y.is_sign_negative()
            && x.to_bits().abs_diff(y.to_bits()) <= 4)
}

/// Checks that hold for every token a verifying decode accepted, whatever its claims
/// type: the length limit, three canonical base64url segments, [`KEY`]'s signature over
/// the exact signing input, an object header whose `alg` is exactly `HS256` and has no
/// `crit`, and agreement of `decode_header` and the unverified decode.
pub fn check_accepted<C>(token: &str, accepted: &Token<C>)
where
    C: Claims + DeserializeOwned + PartialEq + Debug,
{
    assert!(
        token.len() <= DEFAULT_MAX_TOKEN_LEN,
        "over the length limit"
    );
    let segments: Vec<&str> = token.split('.').collect();
    assert_eq!(segments.len(), 3, "not three segments: {token:?}");
    for segment in &segments {
        let bytes = unb64(segment).expect("an accepted segment is base64url");
        assert_eq!(&b64(&bytes), segment, "an accepted segment is canonical");
    }
    let (signing_input, _) = token.rsplit_once('.').expect("three segments");
    assert_eq!(
        resign(signing_input),
        token,
        "an accepted token carries the key's signature over its exact bytes"
    );

    let header = accepted.header();
    assert_eq!(header.alg, Algorithm::HS256);
    let header_json = unb64(segments[0]).expect("checked above");
    let header_value: Value = serde_json::from_slice(&header_json).expect("the header is JSON");
    assert_eq!(header_value.get("alg"), Some(&Value::from("HS256")));
    assert!(header_value.get("crit").is_none(), "`crit` is refused");
    check_inspected_header(header);
    let inspected = jwt_core::decode_header(token).expect("decode_header reads what decode read");
    assert_eq!(&inspected, header);

    let unverified = jwt_core::dangerous_unverified_decode::<C>(token)
        .expect("the unverified decode reads what the verified one read");
    assert_eq!(unverified.header(), header);
    assert_eq!(unverified.claims(), accepted.claims());
}

/// The claims of an accepted token, untyped: every strict JSON object reads as one.
pub fn untyped_claims(token: &str) -> Untyped {
    jwt_core::dangerous_unverified_decode::<Untyped>(token)
        .expect("an accepted payload is a strict JSON object")
        .into_claims()
}

/// A time claim as the decoder reads it: a number rounded down. Every time an accepted
/// token carries is within plus or minus `2^53 - 1`, where `f64` is exact.
#[allow(clippy::cast_possible_truncation)]
fn time(claims: &Untyped, name: &str) -> Option<i64> {
    let value = claims.get(name)?;
    let secs = value.as_f64().expect("an accepted time claim is a number");
    assert!(
        secs.is_finite() && secs.floor().abs() <= MAX_SAFE as f64,
        "an accepted `{name}` is within plus or minus 2^53-1: {value}"
    );
    Some(secs.floor() as i64)
}

/// Checks that the registered claims of an accepted token obey `rules` at [`NOW`]:
/// `exp` (`now < exp + leeway`), `nbf` (`nbf - leeway <= now`), `iat` (`now >= iat -
/// leeway`), `iss` one of the issuers, `aud` holding one of the audiences or absent when
/// none is expected, and each registered claim of its JSON type.
pub fn check_registered_claims(claims: &Untyped, rules: &Rules) {
    match time(claims, "exp") {
        Some(exp) => assert!(NOW < exp + rules.leeway, "accepted though expired: {exp}"),
        None => assert!(!rules.exp_required, "accepted without `exp`"),
    }
    if let Some(nbf) = time(claims, "nbf") {
        assert!(nbf - rules.leeway <= NOW, "accepted before nbf {nbf}");
    }
    if let Some(iat) = time(claims, "iat") {
        assert!(NOW >= iat - rules.leeway, "accepted though issued at {iat}");
    }
    for name in ["iss", "sub", "jti"] {
        if let Some(value) = claims.get(name) {
            assert!(
                value.is_string(),
                "accepted `{name}` of the wrong type: {value}"
            );
        }
    }
    if !rules.issuers.is_empty() {
        let iss = claims.get("iss").and_then(Value::as_str);
        assert!(
            iss.is_some_and(|iss| rules.issuers.contains(&iss)),
            "accepted `iss` {iss:?}"
        );
    }
    let aud: Option<Vec<&str>> = claims.get("aud").map(|aud| match aud {
        Value::String(one) => vec![one.as_str()],
        Value::Array(many) => many
            .iter()
            .map(|one| one.as_str().expect("accepted `aud` items are strings"))
            .collect(),
        other => panic!("accepted `aud` of the wrong type: {other}"),
    });
    if rules.audiences.is_empty() {
        assert!(
            aud.is_none(),
            "accepted `aud` where no audience is expected"
        );
    } else {
        assert!(
            aud.is_some_and(|aud| aud.iter().any(|one| rules.audiences.contains(one))),
            "accepted `aud` without an expected audience"
        );
    }
}

/// The token a raw fuzz input stands for: the input itself when it is UTF-8, else its
/// lossy reading.
pub fn raw_token(data: &[u8]) -> Cow<'_, str> {
    String::from_utf8_lossy(data)
}

/// Decodes `token` as is, and re-signed with [`KEY`] (so that arbitrary headers and
/// payloads get past the signature to the claim rules), with each validation; checks
/// every acceptance with [`check_accepted`], [`check_registered_claims`] and `check`.
/// Reads the token unverified too. Refusals are rendered with [`exercise_error`].
pub fn decode_raw<C>(token: &str, validations: &[(Validation, Rules)], check: impl Fn(&C))
where
    C: Claims + DeserializeOwned + PartialEq + Debug,
{
    let resigned = token
        .rsplit_once('.')
        .map(|(signing_input, _)| resign(signing_input));
    for candidate in std::iter::once(token).chain(resigned.as_deref()) {
        for (validation, rules) in validations {
            match jwt_core::decode_with::<C>(candidate, &*KEY, validation) {
                Ok(accepted) => {
                    check_accepted(candidate, &accepted);
                    check_registered_claims(&untyped_claims(candidate), rules);
                    check(accepted.claims());
                }
                Err(error) => exercise_error(&error),
            }
        }
    }
    match jwt_core::dangerous_unverified_decode::<C>(token) {
        Ok(inspected) => check_inspected_header(inspected.header()),
        Err(error) => exercise_error(&error),
    }
}
