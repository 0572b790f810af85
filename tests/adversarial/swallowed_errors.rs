//! Claims types that swallow their own errors (`Option::<T>::deserialize(d).ok().flatten()`,
//! as `serde_with::DefaultOnError` and many codebases write it). Whatever a type does with
//! an error, the payload is read as the strict JSON the decoding rules describe: broken
//! syntax, a repeated member name or too deep a nesting refuses the token, a registered
//! claim of the wrong JSON type refuses it, and valid JSON that a field ignores is no
//! error.

use super::*;

/// The value as `T`, or `None` when it is not one: the error is swallowed.
#[allow(clippy::unnecessary_wraps)] // serde's signature for `deserialize_with`
fn lenient<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(d).ok().flatten())
}

/// A number, or nothing when the value is anything else: for arrays of swallowed values.
#[derive(Debug, PartialEq)]
struct Lax(Option<f64>);

impl<'de> Deserialize<'de> for Lax {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        lenient(d).map(Lax)
    }
}

impl Serialize for Lax {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(s)
    }
}

/// A swallowed value as a top-level member.
#[derive(Debug, Serialize, Deserialize, Claims)]
struct Member {
    exp: NumericDate,
    #[serde(default, deserialize_with = "lenient")]
    x: Option<f64>,
}

/// Swallowed values as array elements.
#[derive(Debug, Serialize, Deserialize, Claims)]
struct Elements {
    exp: NumericDate,
    #[serde(default)]
    xs: Vec<Lax>,
}

/// A swallowed value one object down.
#[derive(Debug, Serialize, Deserialize)]
struct Inner {
    #[serde(default, deserialize_with = "lenient")]
    x: Option<f64>,
    #[serde(default)]
    y: Option<i64>,
}

#[derive(Debug, Serialize, Deserialize, Claims)]
struct Nested {
    exp: NumericDate,
    inner: Inner,
}

/// A swallowed value in a flattened struct.
#[derive(Debug, Serialize, Deserialize, Claims)]
struct Flattened {
    exp: NumericDate,
    #[serde(flatten)]
    inner: Inner,
}

/// A type that insists on its subject, with a swallowed value beside it.
#[derive(Debug, Serialize, Deserialize, Claims)]
#[jwt(sub = "admin")]
struct Admin {
    exp: NumericDate,
    #[serde(default, deserialize_with = "lenient")]
    x: Option<f64>,
}

fn token(payload: &str) -> String {
    TokenBuilder::claims(payload).sign()
}

fn exp() -> String {
    format!(r#""exp":{}"#, NOW + 3600)
}

#[track_caller]
fn refused_as<C>(payload: &str, kind: ErrorKind) -> Error
where
    C: Claims + DeserializeOwned + Debug,
{
    let error = typed_refusal::<C>(&token(payload), &at_now());
    assert_eq!(error.kind(), kind, "{payload}: {error}");
    error
}

#[test]
fn broken_json_after_a_swallowed_error_is_malformed() {
    let e = exp();
    for payload in [
        format!(r#"{{{e},"x":{{}}"#),
        format!(r#"{{{e},"x":[}}"#),
        format!(r#"{{{e},"x":{{,"sub":"admin"}}"#),
        format!(r#"{{{e},"x":{{"a":1,}}}}"#),
        format!(r#"{{{e},"x":[1,2,]}}"#),
        format!(r#"{{{e},"x":{{"a":}}}}"#),
        format!(r#"{{{e},"x":{{"a":[1 2]}}}}"#),
        format!(r#"{{{e},"x":"unterminated}}"#),
    ] {
        refused_as::<Member>(&payload, ErrorKind::Malformed);
    }
}

#[test]
fn valid_json_that_a_field_swallows_is_accepted() {
    let e = exp();
    for (payload, x) in [
        (format!(r#"{{{e},"x":{{}}}}"#), None),
        (format!(r#"{{{e},"x":[]}}"#), None),
        (format!(r#"{{{e},"x":{{"a":[1,{{"b":2}}]}},"y":1}}"#), None),
        (format!(r#"{{{e},"x":"1.5"}}"#), None),
        (format!(r#"{{{e},"x":[[[{{}}]]],"z":[]}}"#), None),
        (format!(r#"{{{e},"x":2.5}}"#), Some(2.5)),
    ] {
        let claims = typed_accepted::<Member>(&token(&payload), &at_now());
        assert_eq!(claims.x, x, "{payload}");
    }
}

#[test]
fn a_repeated_name_after_a_swallowed_error_is_malformed() {
    let e = exp();
    // Written once escaped and once plainly, after a point where the reader used to fall
    // one level out of step.
    let payload = format!(r#"{{{e},"x":{{}},"\u0073ub":"admin","sub":"admin"}}"#);
    refused_as::<Admin>(&payload, ErrorKind::Malformed);
    let payload = format!(r#"{{{e},"x":{{,"\u0073ub":"admin"}},"sub":"admin"}}"#);
    refused_as::<Admin>(&payload, ErrorKind::Malformed);
    // Inside the swallowed value too.
    let payload = format!(r#"{{{e},"x":{{"a":1,"a":2}},"sub":"admin"}}"#);
    refused_as::<Admin>(&payload, ErrorKind::Malformed);
    // And no member of the swallowed value is taken for a top-level claim.
    let payload = format!(r#"{{{e},"x":{{"sub":"admin"}},"sub":"user"}}"#);
    refused_as::<Admin>(&payload, ErrorKind::InvalidSubject);
}

#[test]
fn swallowed_errors_at_every_nesting_level_keep_the_rules() {
    let e = exp();
    // The payload is level 1 and the innermost value two more: up to the limit of 32.
    for depth in 1..=29 {
        let open = r#"{"k":"#.repeat(depth);
        let close = "}".repeat(depth);
        let ok = format!(r#"{{{e},"x":{open}[1,{{"b":2}}]{close}}}"#);
        assert_eq!(
            typed_accepted::<Member>(&token(&ok), &at_now()).x,
            None,
            "{ok}"
        );
        for broken in ["[1,}", r#"{"b":1,"b":2}"#, "{,}", "[1 2]"] {
            let payload = format!(r#"{{{e},"x":{open}{broken}{close}}}"#);
            refused_as::<Member>(&payload, ErrorKind::Malformed);
        }
    }
    // Beyond the nesting limit, swallowed or not.
    let deep = format!(r#"{{{e},"x":{}1{}}}"#, "[".repeat(40), "]".repeat(40));
    refused_as::<Member>(&deep, ErrorKind::Malformed);
}

#[test]
fn swallowed_array_elements_keep_the_rules() {
    let e = exp();
    let payload = format!(r#"{{{e},"xs":[1,{{}},[],"a",{{"b":[2]}},3]}}"#);
    let claims = typed_accepted::<Elements>(&token(&payload), &at_now());
    assert_eq!(
        claims.xs,
        [
            Lax(Some(1.0)),
            Lax(None),
            Lax(None),
            Lax(None),
            Lax(None),
            Lax(Some(3.0))
        ]
    );
    for broken in [
        "[1,{]",
        r#"[1,{"a":1,"a":2}]"#,
        "[[1,],2]",
        r#"[{"a":[}]"#,
        "[{},",
    ] {
        refused_as::<Elements>(&format!(r#"{{{e},"xs":{broken}}}"#), ErrorKind::Malformed);
    }
}

#[test]
fn swallowed_errors_one_object_down_and_in_flatten_keep_the_rules() {
    let e = exp();
    let payload = format!(r#"{{{e},"inner":{{"x":{{"a":[]}},"y":7}}}}"#);
    let claims = typed_accepted::<Nested>(&token(&payload), &at_now());
    assert_eq!((claims.inner.x, claims.inner.y), (None, Some(7)));
    let payload = format!(r#"{{{e},"x":{{"a":[]}},"y":7}}"#);
    let claims = typed_accepted::<Flattened>(&token(&payload), &at_now());
    assert_eq!((claims.inner.x, claims.inner.y), (None, Some(7)));
    for broken in [r#"{"a":[}"#, r#"{"a":1,"a":1}"#, "[1,]"] {
        let payload = format!(r#"{{{e},"inner":{{"x":{broken},"y":7}}}}"#);
        refused_as::<Nested>(&payload, ErrorKind::Malformed);
        let payload = format!(r#"{{{e},"x":{broken},"y":7}}"#);
        refused_as::<Flattened>(&payload, ErrorKind::Malformed);
    }
}

/// Every registered claim, read by a field that swallows its errors.
#[derive(Debug, Serialize, Deserialize, Claims)]
#[jwt(allow_missing_exp)]
struct SwallowsRegistered {
    #[serde(default, deserialize_with = "lenient")]
    iss: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    sub: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    aud: Option<Audience>,
    #[serde(default, deserialize_with = "lenient")]
    exp: Option<NumericDate>,
    #[serde(default, deserialize_with = "lenient")]
    nbf: Option<NumericDate>,
    #[serde(default, deserialize_with = "lenient")]
    iat: Option<NumericDate>,
    #[serde(default, deserialize_with = "lenient")]
    jti: Option<String>,
}

/// The same claims one level down, where the top level holds them as well.
#[derive(Debug, Serialize, Deserialize, Claims)]
#[jwt(allow_missing_exp)]
struct SwallowsRegisteredInFlatten {
    #[serde(flatten)]
    inner: SwallowsRegisteredFields,
}

#[derive(Debug, Serialize, Deserialize)]
struct SwallowsRegisteredFields {
    #[serde(default, deserialize_with = "lenient")]
    iss: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    nbf: Option<NumericDate>,
}

#[test]
fn a_malformed_registered_claim_is_refused_even_when_the_type_swallows_it() {
    let cases = [
        (RegisteredClaim::Iss, ["5", "null", "[\"a\"]", "{}"]),
        (RegisteredClaim::Sub, ["5", "true", "[]", "{\"a\":1}"]),
        (RegisteredClaim::Aud, ["1", "[1]", "[\"a\",null]", "{}"]),
        (RegisteredClaim::Exp, ["\"never\"", "null", "[]", "1e400"]),
        (
            RegisteredClaim::Nbf,
            ["\"later\"", "true", "{}", "9007199254740992"],
        ),
        (
            RegisteredClaim::Iat,
            ["\"now\"", "false", "[1]", "-9007199254740993"],
        ),
        (RegisteredClaim::Jti, ["7", "null", "[\"id\"]", "{}"]),
    ];
    for (claim, values) in cases {
        for value in values {
            let payload = format!(r#"{{"{claim}":{value}}}"#);
            let error = refused_as::<SwallowsRegistered>(&payload, ErrorKind::InvalidClaim);
            assert_eq!(error.claim(), Some(claim), "{payload}: {error}");
            // Untyped claims refuse it the same way.
            assert_eq!(
                refused(&token(&payload)),
                ErrorKind::InvalidClaim,
                "{payload}"
            );
        }
    }
    for value in ["5", "{}"] {
        let payload = format!(r#"{{"iss":{value}}}"#);
        let error = refused_as::<SwallowsRegisteredInFlatten>(&payload, ErrorKind::InvalidClaim);
        assert_eq!(error.claim(), Some(RegisteredClaim::Iss), "{error}");
    }
    let payload = r#"{"nbf":"later"}"#;
    let error = refused_as::<SwallowsRegisteredInFlatten>(payload, ErrorKind::InvalidClaim);
    assert_eq!(error.claim(), Some(RegisteredClaim::Nbf), "{error}");
}

#[test]
fn well_formed_registered_claims_read_by_swallowing_fields_are_kept_and_checked() {
    let payload = format!(
        r#"{{"iss":"a","sub":"b","aud":["c"],"exp":{},"nbf":{NOW},"iat":{NOW},"jti":"d"}}"#,
        NOW + 60
    );
    let for_c = at_now().audience("c");
    let claims = typed_accepted::<SwallowsRegistered>(&token(&payload), &for_c);
    assert_eq!(claims.iss.as_deref(), Some("a"));
    assert_eq!(claims.exp, Some(NumericDate::from_secs(NOW + 60)));
    // The rules still run on what the fields read.
    let late = for_c.at(NumericDate::from_secs(NOW + 60));
    let error = typed_refusal::<SwallowsRegistered>(&token(&payload), &late);
    assert_eq!(error.kind(), ErrorKind::Expired, "{error}");
    let early = r#"{"nbf":1800000000}"#;
    refused_as::<SwallowsRegistered>(early, ErrorKind::NotYetValid);
    // An audience present where none is expected is refused, as ever.
    refused_as::<SwallowsRegistered>(r#"{"aud":"x"}"#, ErrorKind::InvalidAudience);
}

#[derive(Debug, PartialEq, Serialize, Deserialize)]
enum Mode {
    Read,
    Write { table: String },
}

/// A swallowed enum, which JSON writes as a string or an object with one member.
#[derive(Debug, Serialize, Deserialize, Claims)]
struct WithMode {
    exp: NumericDate,
    #[serde(default, deserialize_with = "lenient")]
    mode: Option<Mode>,
}

#[test]
fn swallowed_enums_keep_the_rules() {
    let e = exp();
    for (value, mode) in [
        (r#""Read""#, Some(Mode::Read)),
        (
            r#"{"Write":{"table":"t"}}"#,
            Some(Mode::Write { table: "t".into() }),
        ),
        ("{}", None),
        (r#"{"Read":null,"Write":1}"#, None),
        (r#"{"Write":{"table":1}}"#, None),
        (r#"{"Other":[1,{}]}"#, None),
        (r#""Other""#, None),
        ("[1]", None),
    ] {
        let payload = format!(r#"{{{e},"mode":{value}}}"#);
        let claims = typed_accepted::<WithMode>(&token(&payload), &at_now());
        assert_eq!(claims.mode, mode, "{payload}");
    }
    for broken in [
        r#"{"Write":{"table":"t",}}"#,
        r#"{"Write":[}"#,
        r#"{"Read":null,"Read":null}"#,
        r#"{"Write":{"table":"t","table":"u"}}"#,
        "{,}",
    ] {
        refused_as::<WithMode>(&format!(r#"{{{e},"mode":{broken}}}"#), ErrorKind::Malformed);
    }
}
