//! Every `#[jwt(...)]` attribute's accept and refuse path, with typed claims.

use jwt_core::{Audience, Claims, ErrorKind, NumericDate, RegisteredClaim, Validation};
use jwt_tests::{NOW, TokenBuilder, at_now, claims_json, key};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

/// Decodes a token signed by the test key, at the tests' fixed clock.
fn decode<C: Claims + DeserializeOwned>(token: &str) -> Result<C, jwt_core::Error> {
    decode_with(token, &at_now())
}

fn decode_with<C: Claims + DeserializeOwned>(
    token: &str,
    validation: &Validation,
) -> Result<C, jwt_core::Error> {
    jwt_core::decode_with::<C>(token, &key(), validation).map(jwt_core::Token::into_claims)
}

/// The kind of error decoding a token with these claims gives.
fn refusal<C: Claims + DeserializeOwned + std::fmt::Debug>(members: &str) -> ErrorKind {
    decode::<C>(&TokenBuilder::claims(claims_json(members)).sign())
        .unwrap_err()
        .kind()
}

fn accepts<C: Claims + DeserializeOwned + std::fmt::Debug>(members: &str) -> C {
    decode::<C>(&TokenBuilder::claims(claims_json(members)).sign()).unwrap()
}

mod iss {
    use super::*;

    #[derive(Debug, Serialize, Deserialize, Claims)]
    #[jwt(iss = "auth.example.com")]
    struct One {
        exp: NumericDate,
    }

    #[derive(Debug, Serialize, Deserialize, Claims)]
    #[jwt(iss = ["a.example.com", "b.example.com"])]
    struct Several {
        iss: String,
        exp: NumericDate,
    }

    #[test]
    fn single_issuer_is_accepted() {
        accepts::<One>(r#""iss":"auth.example.com""#);
    }

    #[test]
    fn other_issuer_is_refused() {
        assert_eq!(
            refusal::<One>(r#""iss":"evil.example.com""#),
            ErrorKind::InvalidIssuer
        );
        assert_eq!(
            refusal::<One>(r#""iss":"auth.example.co""#),
            ErrorKind::InvalidIssuer
        );
        assert_eq!(
            refusal::<One>(r#""iss":"AUTH.example.com""#),
            ErrorKind::InvalidIssuer
        );
    }

    #[test]
    fn missing_issuer_is_refused() {
        assert_eq!(refusal::<One>(""), ErrorKind::MissingClaim);
    }

    #[test]
    fn any_of_several_issuers_is_accepted() {
        assert_eq!(
            accepts::<Several>(r#""iss":"b.example.com""#).iss,
            "b.example.com"
        );
        assert_eq!(
            refusal::<Several>(r#""iss":"c.example.com""#),
            ErrorKind::InvalidIssuer
        );
    }

    #[test]
    fn single_issuer_without_a_field_is_written_by_encode() {
        let token = jwt_core::encode(
            &One {
                exp: NumericDate::from_secs(NOW + 60),
            },
            &key(),
        )
        .unwrap();
        let payload = jwt_core::dangerous_unverified_decode::<serde_json::Value>(&token).unwrap();
        assert_eq!(payload.claims()["iss"], "auth.example.com");
        decode::<One>(&token).unwrap();
    }

    #[derive(Debug, Serialize, Deserialize, Claims)]
    #[jwt(iss = "auth.example.com")]
    struct OneWithExtra {
        exp: NumericDate,
        #[serde(flatten)]
        extra: serde_json::Map<String, serde_json::Value>,
    }

    #[test]
    fn declared_issuer_that_a_flattened_map_also_holds_is_an_encode_error() {
        let mut claims = OneWithExtra {
            exp: NumericDate::from_secs(NOW + 60),
            extra: serde_json::Map::new(),
        };
        claims.extra.insert("role".into(), "admin".into());
        decode::<OneWithExtra>(&jwt_core::encode(&claims, &key()).unwrap()).unwrap();
        // Written twice, the token would be refused by its own decoding.
        claims.extra.insert("iss".into(), "auth.example.com".into());
        let error = jwt_core::encode(&claims, &key()).unwrap_err();
        assert_eq!(
            (error.kind(), error.claim()),
            (ErrorKind::Encode, Some(RegisteredClaim::Iss))
        );
    }

    /// A hand-written policy that declares `iss` to be written and then takes its value
    /// away: nothing is written, and the payload stays an object.
    #[derive(Debug, Serialize, Deserialize)]
    struct Withdrawn {}

    impl Claims for Withdrawn {
        const POLICY: jwt_core::ClaimsPolicy = jwt_core::ClaimsPolicy::new()
            .issuers(&["a"])
            .write_on_encode(RegisteredClaim::Iss)
            .issuers(&[])
            .allow_missing_exp();
    }

    #[test]
    fn declared_claim_without_a_value_leaves_an_empty_payload_an_object() {
        let token = jwt_core::encode(&Withdrawn {}, &key()).unwrap();
        let payload = jwt_core::dangerous_unverified_decode::<serde_json::Value>(&token).unwrap();
        assert_eq!(payload.claims(), &serde_json::json!({}));
    }

    #[test]
    fn runtime_issuer_must_hold_too() {
        let token = TokenBuilder::claims(claims_json(r#""iss":"a.example.com""#)).sign();
        assert!(decode_with::<Several>(&token, &at_now().issuer("a.example.com")).is_ok());
        let error = decode_with::<Several>(&token, &at_now().issuer("b.example.com")).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidIssuer);
    }
}

mod aud {
    use super::*;

    #[derive(Debug, Serialize, Deserialize, Claims)]
    #[jwt(aud = "api")]
    struct One {
        exp: NumericDate,
    }

    #[derive(Debug, Serialize, Deserialize, Claims)]
    #[jwt(aud = ["api", "admin"])]
    struct Several {
        aud: Audience,
        exp: NumericDate,
    }

    #[test]
    fn audience_as_a_string_or_an_array_is_accepted() {
        accepts::<One>(r#""aud":"api""#);
        accepts::<One>(r#""aud":["other","api"]"#);
        let several = accepts::<Several>(r#""aud":["admin"]"#);
        assert_eq!(several.aud, Audience::Many(vec!["admin".into()]));
    }

    #[test]
    fn audience_without_a_match_is_refused() {
        assert_eq!(
            refusal::<One>(r#""aud":"apis""#),
            ErrorKind::InvalidAudience
        );
        assert_eq!(
            refusal::<One>(r#""aud":["ap","other"]"#),
            ErrorKind::InvalidAudience
        );
        assert_eq!(refusal::<One>(r#""aud":[]"#), ErrorKind::InvalidAudience);
        assert_eq!(
            refusal::<Several>(r#""aud":"billing""#),
            ErrorKind::InvalidAudience
        );
    }

    #[test]
    fn missing_audience_is_refused() {
        assert_eq!(refusal::<One>(""), ErrorKind::MissingClaim);
    }

    #[test]
    fn audience_of_the_wrong_type_is_refused() {
        assert_eq!(refusal::<One>(r#""aud":7"#), ErrorKind::InvalidClaim);
        assert_eq!(
            refusal::<One>(r#""aud":["api",7]"#),
            ErrorKind::InvalidClaim
        );
        assert_eq!(refusal::<Several>(r#""aud":null"#), ErrorKind::InvalidClaim);
    }

    #[test]
    fn single_audience_without_a_field_is_written_by_encode() {
        let token = jwt_core::encode(
            &One {
                exp: NumericDate::from_secs(NOW + 60),
            },
            &key(),
        )
        .unwrap();
        let payload = jwt_core::dangerous_unverified_decode::<serde_json::Value>(&token).unwrap();
        assert_eq!(payload.claims()["aud"], "api");
    }
}

mod sub {
    use super::*;

    #[derive(Debug, Serialize, Deserialize, Claims)]
    #[jwt(sub = "updating-db")]
    struct Fixed {
        exp: NumericDate,
    }

    #[test]
    fn required_subject_is_accepted() {
        accepts::<Fixed>(r#""sub":"updating-db""#);
    }

    #[test]
    fn other_or_missing_subject_is_refused() {
        assert_eq!(
            refusal::<Fixed>(r#""sub":"reading-db""#),
            ErrorKind::InvalidSubject
        );
        assert_eq!(refusal::<Fixed>(""), ErrorKind::MissingClaim);
        assert_eq!(refusal::<Fixed>(r#""sub":1"#), ErrorKind::InvalidClaim);
    }
}

mod typ {
    use super::*;

    #[derive(Debug, Serialize, Deserialize, Claims)]
    #[jwt(typ = "at+jwt")]
    struct AccessToken {
        exp: NumericDate,
    }

    fn with_typ(typ: &str) -> String {
        TokenBuilder::claims(claims_json(""))
            .header(format!(r#"{{"alg":"HS256","typ":"{typ}"}}"#))
            .sign()
    }

    #[test]
    fn declared_typ_is_written_and_accepted() {
        let token = jwt_core::encode(
            &AccessToken {
                exp: NumericDate::from_secs(NOW + 60),
            },
            &key(),
        )
        .unwrap();
        assert_eq!(
            jwt_core::decode_header(&token).unwrap().typ.as_deref(),
            Some("at+jwt")
        );
        decode::<AccessToken>(&token).unwrap();
    }

    #[test]
    fn typ_compares_ignoring_case_and_application_prefix() {
        decode::<AccessToken>(&with_typ("AT+JWT")).unwrap();
        decode::<AccessToken>(&with_typ("application/at+jwt")).unwrap();
    }

    #[test]
    fn other_or_missing_typ_is_refused() {
        assert_eq!(
            decode::<AccessToken>(&with_typ("JWT")).unwrap_err().kind(),
            ErrorKind::InvalidType
        );
        let untyped = TokenBuilder::claims(claims_json(""))
            .header(r#"{"alg":"HS256"}"#)
            .sign();
        assert_eq!(
            decode::<AccessToken>(&untyped).unwrap_err().kind(),
            ErrorKind::InvalidType
        );
    }

    #[test]
    fn encode_with_header_refuses_a_conflicting_typ() {
        let mut header = jwt_core::Header::new(jwt_core::Algorithm::HS256);
        header.typ = Some("JWT".into());
        let claims = AccessToken {
            exp: NumericDate::from_secs(NOW + 60),
        };
        let error = jwt_core::encode_with_header(&header, &claims, &key()).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidType);
        header.typ = None;
        let token = jwt_core::encode_with_header(&header, &claims, &key()).unwrap();
        decode::<AccessToken>(&token).unwrap();
    }
}

/// `iss`, `aud`, `sub` and `typ` given as consts, `env!` and `concat!` rather than literals.
mod configured_values {
    use super::*;

    const ISSUER: &str = "auth.example.com";
    const API: &str = "api";

    mod config {
        pub const ISSUER: &str = "config.example.com";
        pub const SUBJECT: &str = "updating-db";
        pub const TOKEN_TYPE: &str = "at+jwt";
    }

    #[derive(Debug, Serialize, Deserialize, Claims)]
    #[jwt(iss = ISSUER)]
    struct ConstIssuer {
        exp: NumericDate,
    }

    #[derive(Debug, Serialize, Deserialize, Claims)]
    #[jwt(iss = config::ISSUER, sub = config::SUBJECT, typ = config::TOKEN_TYPE)]
    struct ModulePaths {
        exp: NumericDate,
    }

    #[derive(Debug, Serialize, Deserialize, Claims)]
    #[jwt(aud = env!("CARGO_PKG_NAME"))]
    struct FromEnvironment {
        exp: NumericDate,
    }

    #[derive(Debug, Serialize, Deserialize, Claims)]
    #[jwt(iss = concat!("https://", "auth.example.com"), sub = ::core::concat!("user-", 42))]
    struct Concatenated {
        exp: NumericDate,
    }

    #[derive(Debug, Serialize, Deserialize, Claims)]
    #[jwt(aud = [API, "web", env!("CARGO_PKG_NAME"), concat!("ad", "min")])]
    struct Mixed {
        aud: Audience,
        exp: NumericDate,
    }

    /// An associated const, named through `Self`, and a value passed through a
    /// `macro_rules!` fragment.
    #[derive(Debug, Serialize, Deserialize, Claims)]
    #[jwt(iss = Self::ISSUER)]
    struct Associated {
        exp: NumericDate,
    }

    impl Associated {
        const ISSUER: &'static str = "assoc.example.com";
    }

    macro_rules! claims_for {
        ($name:ident, $audience:expr) => {
            #[derive(Debug, Serialize, Deserialize, Claims)]
            #[jwt(aud = $audience)]
            struct $name {
                exp: NumericDate,
            }
        };
    }

    claims_for!(FromMacro, API);

    #[test]
    fn associated_consts_and_macro_fragments_are_values_too() {
        assert_eq!(Associated::POLICY.issuer_list(), ["assoc.example.com"]);
        accepts::<Associated>(r#""iss":"assoc.example.com""#);
        assert_eq!(FromMacro::POLICY.audience_list(), ["api"]);
        accepts::<FromMacro>(r#""aud":"api""#);
    }

    fn exp() -> NumericDate {
        NumericDate::from_secs(NOW + 60)
    }

    fn payload(token: &str) -> serde_json::Value {
        jwt_core::dangerous_unverified_decode::<serde_json::Value>(token)
            .unwrap()
            .claims()
            .clone()
    }

    #[test]
    fn const_issuer_is_checked_and_written_by_encode() {
        assert_eq!(ConstIssuer::POLICY.issuer_list(), ["auth.example.com"]);
        accepts::<ConstIssuer>(r#""iss":"auth.example.com""#);
        assert_eq!(
            refusal::<ConstIssuer>(r#""iss":"ISSUER""#),
            ErrorKind::InvalidIssuer
        );
        let token = jwt_core::encode(&ConstIssuer { exp: exp() }, &key()).unwrap();
        assert_eq!(payload(&token)["iss"], "auth.example.com");
        decode::<ConstIssuer>(&token).unwrap();
    }

    #[test]
    fn module_paths_are_checked_and_written_by_encode() {
        let policy = ModulePaths::POLICY;
        assert_eq!(policy.issuer_list(), ["config.example.com"]);
        assert_eq!(policy.required_subject(), Some("updating-db"));
        assert_eq!(policy.required_typ(), Some("at+jwt"));
        let token = jwt_core::encode(&ModulePaths { exp: exp() }, &key()).unwrap();
        assert_eq!(payload(&token)["iss"], "config.example.com");
        assert_eq!(payload(&token)["sub"], "updating-db");
        assert_eq!(
            jwt_core::decode_header(&token).unwrap().typ.as_deref(),
            Some("at+jwt")
        );
        decode::<ModulePaths>(&token).unwrap();
        let other_subject = TokenBuilder::claims(claims_json(
            r#""iss":"config.example.com","sub":"reading-db""#,
        ))
        .header(r#"{"alg":"HS256","typ":"at+jwt"}"#)
        .sign();
        assert_eq!(
            decode::<ModulePaths>(&other_subject).unwrap_err().kind(),
            ErrorKind::InvalidSubject
        );
    }

    #[test]
    fn audience_from_the_build_environment_is_checked_and_written() {
        assert_eq!(FromEnvironment::POLICY.audience_list(), ["jwt-tests"]);
        accepts::<FromEnvironment>(r#""aud":"jwt-tests""#);
        assert_eq!(
            refusal::<FromEnvironment>(r#""aud":"CARGO_PKG_NAME""#),
            ErrorKind::InvalidAudience
        );
        let token = jwt_core::encode(&FromEnvironment { exp: exp() }, &key()).unwrap();
        assert_eq!(payload(&token)["aud"], "jwt-tests");
    }

    #[test]
    fn concatenated_values_are_checked() {
        assert_eq!(
            Concatenated::POLICY.issuer_list(),
            ["https://auth.example.com"]
        );
        assert_eq!(Concatenated::POLICY.required_subject(), Some("user-42"));
        accepts::<Concatenated>(r#""iss":"https://auth.example.com","sub":"user-42""#);
        assert_eq!(
            refusal::<Concatenated>(r#""iss":"auth.example.com","sub":"user-42""#),
            ErrorKind::InvalidIssuer
        );
    }

    #[test]
    fn list_mixing_consts_literals_and_macros_accepts_each() {
        assert_eq!(
            Mixed::POLICY.audience_list(),
            ["api", "web", "jwt-tests", "admin"]
        );
        for audience in ["api", "web", "jwt-tests", "admin"] {
            accepts::<Mixed>(&format!(r#""aud":"{audience}""#));
        }
        assert_eq!(
            refusal::<Mixed>(r#""aud":"API""#),
            ErrorKind::InvalidAudience
        );
    }
}

/// `iss`, `sub` and `jti` fields of string types other than `String`.
mod string_like_claims {
    use super::*;
    use jwt_core::StringClaim;
    use std::borrow::Cow;
    use std::fmt::Debug;
    use std::rc::Rc;
    use std::sync::Arc;

    /// serde reads `Arc<str>` and `Rc<str>` only with its `rc` feature, which this crate
    /// does not turn on; these go through a `String`.
    mod shared_str {
        use serde::{Deserialize, Deserializer, Serializer};

        pub fn serialize<S: Serializer, T: AsRef<str>>(
            value: &T,
            serializer: S,
        ) -> Result<S::Ok, S::Error> {
            serializer.serialize_str(value.as_ref())
        }

        pub fn deserialize<'de, D: Deserializer<'de>, T: From<String>>(
            deserializer: D,
        ) -> Result<T, D::Error> {
            String::deserialize(deserializer).map(T::from)
        }
    }

    #[derive(Debug, PartialEq, Serialize, Deserialize, Claims)]
    #[jwt(iss = "auth.example.com", required = [jti])]
    struct Boxed {
        iss: Box<str>,
        sub: Box<str>,
        jti: Option<Box<str>>,
        exp: NumericDate,
    }

    #[derive(Debug, PartialEq, Serialize, Deserialize, Claims)]
    struct Cows {
        iss: Cow<'static, str>,
        sub: Option<Cow<'static, str>>,
        jti: Cow<'static, str>,
        exp: NumericDate,
    }

    #[derive(Debug, PartialEq, Serialize, Deserialize, Claims)]
    struct Shared {
        #[serde(with = "shared_str")]
        sub: Arc<str>,
        #[serde(with = "shared_str")]
        jti: Rc<str>,
        exp: NumericDate,
    }

    /// A user's own string type, opted in through `StringClaim`.
    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    #[serde(transparent)]
    struct UserId(String);

    impl StringClaim for UserId {}

    #[derive(Debug, PartialEq, Serialize, Deserialize, Claims)]
    #[jwt(sub = "user-42")]
    struct Newtype {
        sub: UserId,
        jti: Option<UserId>,
        exp: NumericDate,
    }

    fn exp() -> NumericDate {
        NumericDate::from_secs(NOW + 60)
    }

    fn round_trip<C>(claims: &C) -> serde_json::Value
    where
        C: Claims + Serialize + DeserializeOwned + PartialEq + Debug,
    {
        let token = jwt_core::encode(claims, &key()).unwrap();
        let back: C = decode(&token).unwrap();
        assert_eq!(&back, claims);
        jwt_core::dangerous_unverified_decode::<serde_json::Value>(&token)
            .unwrap()
            .claims()
            .clone()
    }

    #[test]
    fn boxed_str_claims_survive_encode_and_decode() {
        let claims = Boxed {
            iss: "auth.example.com".into(),
            sub: "user-42".into(),
            jti: Some("id-1".into()),
            exp: exp(),
        };
        let payload = round_trip(&claims);
        assert_eq!(payload["sub"], "user-42");
        assert_eq!(payload["jti"], "id-1");
        assert_eq!(
            refusal::<Boxed>(r#""iss":"auth.example.com","sub":"u""#),
            ErrorKind::MissingClaim
        );
    }

    #[test]
    fn cow_claims_survive_encode_and_decode() {
        let borrowed = Cows {
            iss: Cow::Borrowed("auth.example.com"),
            sub: None,
            jti: Cow::Owned("id-2".into()),
            exp: exp(),
        };
        let payload = round_trip(&borrowed);
        assert_eq!(payload["iss"], "auth.example.com");
        // An absent optional claim is left out, not written as `null`.
        assert!(payload.get("sub").is_none());
        let with_subject = Cows {
            sub: Some(Cow::Borrowed("user-42")),
            ..borrowed
        };
        assert_eq!(round_trip(&with_subject)["sub"], "user-42");
    }

    #[test]
    fn shared_str_claims_survive_encode_and_decode() {
        let claims = Shared {
            sub: Arc::from("user-42"),
            jti: Rc::from("id-3"),
            exp: exp(),
        };
        let payload = round_trip(&claims);
        assert_eq!(payload["sub"], "user-42");
        assert_eq!(payload["jti"], "id-3");
    }

    #[test]
    fn newtype_that_opts_in_survives_encode_and_decode() {
        let claims = Newtype {
            sub: UserId("user-42".into()),
            jti: Some(UserId("id-4".into())),
            exp: exp(),
        };
        assert_eq!(round_trip(&claims)["sub"], "user-42");
        assert_eq!(
            refusal::<Newtype>(r#""sub":"user-43""#),
            ErrorKind::InvalidSubject
        );
        // The claim in the token is checked as a string whatever the field's type.
        assert_eq!(refusal::<Newtype>(r#""sub":42"#), ErrorKind::InvalidClaim);
        assert_eq!(
            refusal::<Newtype>(r#""sub":"user-42","jti":7"#),
            ErrorKind::InvalidClaim
        );
    }
}

/// `#[jwt(crate = "...")]`: the generated code reaches jwt-core through another path, as a
/// crate that renames the dependency or re-exports it needs.
mod crate_path {
    use super::*;

    mod reexport {
        pub use jwt_core as inner;
    }

    const API: &str = "api";

    fn no_spaces(value: &str) -> Result<(), &'static str> {
        if value.contains(' ') {
            Err("contains a space")
        } else {
            Ok(())
        }
    }

    #[derive(Debug, PartialEq, Serialize, Deserialize, Claims)]
    #[jwt(crate = "reexport::inner", iss = "auth.example.com", aud = [API, "web"])]
    #[jwt(sub = concat!("svc-", "a"), leeway = 5, required = [jti])]
    struct ThroughReexport {
        aud: Audience,
        exp: NumericDate,
        #[jwt(validate = no_spaces)]
        jti: Box<str>,
    }

    #[test]
    fn claims_derived_through_a_reexport_are_encoded_and_checked() {
        let policy = ThroughReexport::POLICY;
        assert_eq!(policy.audience_list(), ["api", "web"]);
        assert_eq!(policy.declared_leeway(), Some(5));
        let claims = ThroughReexport {
            aud: Audience::Single("web".into()),
            exp: NumericDate::from_secs(NOW + 60),
            jti: "id-1".into(),
        };
        let token = jwt_core::encode(&claims, &key()).unwrap();
        assert_eq!(decode::<ThroughReexport>(&token).unwrap(), claims);
        assert_eq!(
            refusal::<ThroughReexport>(r#""iss":"auth.example.com","sub":"svc-a","aud":"api""#),
            ErrorKind::MissingClaim
        );
        let spaced =
            claims_json(r#""iss":"auth.example.com","sub":"svc-a","aud":"api","jti":"id 1""#);
        let error = decode::<ThroughReexport>(&TokenBuilder::claims(spaced).sign()).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Custom);
    }
}

mod leeway {
    use super::*;

    #[derive(Debug, Serialize, Deserialize, Claims)]
    #[jwt(leeway = 30)]
    struct Skewed {
        exp: NumericDate,
        nbf: Option<NumericDate>,
        iat: Option<NumericDate>,
    }

    #[derive(Debug, Serialize, Deserialize, Claims)]
    struct Exact {
        exp: NumericDate,
    }

    fn at(members: &str, validation: &Validation) -> Result<Skewed, jwt_core::Error> {
        decode_with::<Skewed>(
            &TokenBuilder::claims(format!("{{{members}}}")).sign(),
            validation,
        )
    }

    #[test]
    fn exp_is_accepted_within_leeway_and_refused_at_its_end() {
        assert!(at(&format!(r#""exp":{}"#, NOW - 29), &at_now()).is_ok());
        let error = at(&format!(r#""exp":{}"#, NOW - 30), &at_now()).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Expired);
    }

    #[test]
    fn without_leeway_exp_equal_to_now_is_expired() {
        let token = TokenBuilder::claims(format!(r#"{{"exp":{NOW}}}"#)).sign();
        assert_eq!(
            decode::<Exact>(&token).unwrap_err().kind(),
            ErrorKind::Expired
        );
        let token = TokenBuilder::claims(format!(r#"{{"exp":{}}}"#, NOW + 1)).sign();
        decode::<Exact>(&token).unwrap();
    }

    #[test]
    fn nbf_and_iat_are_accepted_within_leeway() {
        let exp = NOW + 100;
        assert!(at(&format!(r#""exp":{exp},"nbf":{}"#, NOW + 30), &at_now()).is_ok());
        let error = at(&format!(r#""exp":{exp},"nbf":{}"#, NOW + 31), &at_now()).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::NotYetValid);
        assert!(at(&format!(r#""exp":{exp},"iat":{}"#, NOW + 30), &at_now()).is_ok());
        let error = at(&format!(r#""exp":{exp},"iat":{}"#, NOW + 31), &at_now()).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::IssuedInFuture);
    }

    #[test]
    fn the_smaller_of_declared_and_runtime_leeway_applies() {
        let exp = format!(r#""exp":{}"#, NOW - 10);
        assert!(
            at(&exp, &at_now().leeway(60)).is_ok(),
            "declared 30 s still covers 10 s"
        );
        assert_eq!(
            at(&exp, &at_now().leeway(5)).unwrap_err().kind(),
            ErrorKind::Expired
        );
        let token = TokenBuilder::claims(format!("{{{exp}}}")).sign();
        assert!(
            decode_with::<Exact>(&token, &at_now().leeway(11)).is_ok(),
            "runtime leeway where none declared"
        );
    }
}

mod max_age {
    use super::*;

    #[derive(Debug, Serialize, Deserialize, Claims)]
    #[jwt(max_age = 300, leeway = 5)]
    struct Fresh {
        exp: NumericDate,
    }

    #[test]
    fn recent_token_is_accepted() {
        accepts::<Fresh>(&format!(r#""iat":{}"#, NOW - 305));
    }

    #[test]
    fn old_token_is_refused() {
        assert_eq!(
            refusal::<Fresh>(&format!(r#""iat":{}"#, NOW - 306)),
            ErrorKind::TooOld
        );
    }

    #[test]
    fn token_without_iat_is_refused() {
        assert_eq!(refusal::<Fresh>(""), ErrorKind::MissingClaim);
    }

    #[test]
    fn runtime_max_age_tightens_the_declared_one() {
        let token = TokenBuilder::claims(claims_json(&format!(r#""iat":{}"#, NOW - 100))).sign();
        let error = decode_with::<Fresh>(&token, &at_now().max_age(60)).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::TooOld);
        assert!(decode_with::<Fresh>(&token, &at_now().max_age(3600)).is_ok());
    }
}

mod required {
    use super::*;

    #[derive(Debug, Serialize, Deserialize, Claims)]
    #[jwt(required = [jti, nbf])]
    struct Strict {
        exp: NumericDate,
    }

    #[derive(Debug, Serialize, Deserialize, Claims)]
    struct WithFields {
        exp: NumericDate,
        jti: String,
        iat: Option<NumericDate>,
    }

    #[test]
    fn token_with_the_required_claims_is_accepted() {
        accepts::<Strict>(&format!(r#""jti":"id-1","nbf":{NOW}"#));
    }

    #[test]
    fn token_missing_a_required_claim_is_refused() {
        let error = decode::<Strict>(&TokenBuilder::claims(claims_json(r#""jti":"id-1""#)).sign())
            .unwrap_err();
        assert_eq!(error.kind(), ErrorKind::MissingClaim);
        assert_eq!(error.claim(), Some(RegisteredClaim::Nbf));
    }

    #[derive(Debug, Serialize, Deserialize, Claims)]
    #[jwt(required = [jti])]
    struct RequiredAndCustom {
        exp: NumericDate,
        jti: Option<String>,
        name: String,
        profile: Option<Profile>,
    }

    #[derive(Debug, Serialize, Deserialize)]
    struct Profile {
        iat: NumericDate,
    }

    #[test]
    fn a_broken_registered_claim_rule_is_reported_before_a_missing_custom_field() {
        // `name` is absent, and so is the required `jti`: the rule comes first.
        let token = TokenBuilder::claims(claims_json(r#""other":1"#)).sign();
        let error = decode::<RequiredAndCustom>(&token).unwrap_err();
        assert_eq!(
            (error.kind(), error.claim()),
            (ErrorKind::MissingClaim, Some(RegisteredClaim::Jti)),
            "{error}"
        );
        // With `jti` there, the missing custom field is a missing claim, named.
        let token = TokenBuilder::claims(claims_json(r#""jti":"j","other":1"#)).sign();
        let error = decode::<RequiredAndCustom>(&token).unwrap_err();
        assert_eq!(
            (error.kind(), error.claim()),
            (ErrorKind::MissingClaim, None),
            "{error}"
        );
        assert!(error.to_string().contains("`name`"), "{error}");
        // A field a nested object lacks is not a claim of the token.
        let token =
            TokenBuilder::claims(claims_json(r#""jti":"j","name":"n","profile":{}"#)).sign();
        let error = decode::<RequiredAndCustom>(&token).unwrap_err();
        assert_eq!(
            (error.kind(), error.claim()),
            (ErrorKind::InvalidClaim, None),
            "{error}"
        );
        // With the custom field there, the missing `jti` is what is wrong.
        let token = TokenBuilder::claims(claims_json(r#""name":"n""#)).sign();
        let error = decode::<RequiredAndCustom>(&token).unwrap_err();
        assert_eq!(
            (error.kind(), error.claim()),
            (ErrorKind::MissingClaim, Some(RegisteredClaim::Jti))
        );
    }

    #[test]
    fn non_option_registered_field_makes_the_claim_required() {
        assert!(WithFields::POLICY.required().contains(RegisteredClaim::Jti));
        assert!(!WithFields::POLICY.required().contains(RegisteredClaim::Iat));
        let error =
            decode::<WithFields>(&TokenBuilder::claims(claims_json("")).sign()).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::MissingClaim);
        assert_eq!(error.claim(), Some(RegisteredClaim::Jti));
    }

    #[test]
    fn missing_exp_is_refused_by_default() {
        let token = TokenBuilder::claims(r#"{"jti":"id-1"}"#).sign();
        let error = decode::<WithFields>(&token).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::MissingClaim);
        assert_eq!(error.claim(), Some(RegisteredClaim::Exp));
    }
}

mod allow_missing_exp {
    use super::*;

    #[derive(Debug, Serialize, Deserialize, Claims)]
    #[jwt(allow_missing_exp)]
    struct Lasting {
        exp: Option<NumericDate>,
        role: String,
    }

    #[derive(Debug, Serialize, Deserialize, Claims)]
    struct Expiring {
        role: String,
    }

    #[test]
    fn token_without_exp_is_accepted_when_allowed() {
        let token = TokenBuilder::claims(r#"{"role":"admin"}"#).sign();
        assert_eq!(decode::<Lasting>(&token).unwrap().exp, None);
    }

    #[test]
    fn an_expired_exp_is_still_refused_when_missing_is_allowed() {
        let token = TokenBuilder::claims(format!(r#"{{"role":"admin","exp":{NOW}}}"#)).sign();
        assert_eq!(
            decode::<Lasting>(&token).unwrap_err().kind(),
            ErrorKind::Expired
        );
    }

    #[test]
    fn runtime_switch_does_not_loosen_a_typed_struct() {
        let token = TokenBuilder::claims(r#"{"role":"admin"}"#).sign();
        let error = decode_with::<Expiring>(&token, &at_now().allow_missing_exp()).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::MissingClaim);
    }

    #[test]
    fn runtime_requirement_overrides_the_allowance() {
        let token = TokenBuilder::claims(r#"{"role":"admin"}"#).sign();
        let error =
            decode_with::<Lasting>(&token, &at_now().require(RegisteredClaim::Exp)).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::MissingClaim);
    }
}

mod validate {
    use super::*;

    fn known_role(role: &String) -> Result<(), String> {
        if ["admin", "reader"].contains(&role.as_str()) {
            Ok(())
        } else {
            Err(format!("unknown role {role:?}"))
        }
    }

    #[derive(Debug, Serialize, Deserialize, Claims)]
    struct Roled {
        exp: NumericDate,
        #[jwt(validate = known_role)]
        #[serde(rename = "https://example.com/role")]
        role: String,
    }

    #[test]
    fn value_the_validator_accepts_is_accepted() {
        assert_eq!(
            accepts::<Roled>(r#""https://example.com/role":"admin""#).role,
            "admin"
        );
    }

    #[test]
    fn value_the_validator_refuses_is_custom_error_naming_the_claim() {
        let token =
            TokenBuilder::claims(claims_json(r#""https://example.com/role":"root""#)).sign();
        let error = decode::<Roled>(&token).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Custom);
        let message = error.to_string();
        assert!(
            message.contains("https://example.com/role") && message.contains("unknown role"),
            "{message}"
        );
    }

    #[test]
    fn validators_run_after_the_registered_claim_rules() {
        let token = TokenBuilder::claims(format!(
            r#"{{"exp":{NOW},"https://example.com/role":"root"}}"#
        ))
        .sign();
        assert_eq!(
            decode::<Roled>(&token).unwrap_err().kind(),
            ErrorKind::Expired
        );
    }

    /// Takes what the field dereferences to: `&str` for a `Box<str>`, `&[String]` for a
    /// `Vec<String>`.
    fn lowercase(value: &str) -> Result<(), &'static str> {
        if value.chars().any(char::is_uppercase) {
            Err("not lowercase")
        } else {
            Ok(())
        }
    }

    fn at_most_two(scopes: &[String]) -> Result<(), String> {
        if scopes.len() > 2 {
            Err(format!("{} scopes", scopes.len()))
        } else {
            Ok(())
        }
    }

    /// Generic: its type argument is inferred from the field.
    fn not_empty<T: AsRef<str> + ?Sized>(value: &T) -> Result<(), &'static str> {
        if value.as_ref().is_empty() {
            Err("empty")
        } else {
            Ok(())
        }
    }

    #[derive(Debug, Serialize, Deserialize, Claims)]
    struct Shapes {
        exp: NumericDate,
        #[jwt(validate = lowercase)]
        team: Box<str>,
        #[jwt(validate = at_most_two)]
        scopes: Vec<String>,
        #[jwt(validate = not_empty)]
        name: String,
    }

    #[test]
    fn validators_of_what_the_field_dereferences_to_and_generic_ones_run() {
        let members = |team: &str, scopes: &str, name: &str| {
            format!(r#""team":"{team}","scopes":{scopes},"name":"{name}""#)
        };
        accepts::<Shapes>(&members("core", r#"["a","b"]"#, "zoë"));
        for (members, refused) in [
            (members("Core", r#"["a"]"#, "zoë"), "not lowercase"),
            (members("core", r#"["a","b","c"]"#, "zoë"), "3 scopes"),
            (members("core", "[]", ""), "empty"),
        ] {
            let token = TokenBuilder::claims(claims_json(&members)).sign();
            let error = decode::<Shapes>(&token).unwrap_err();
            assert_eq!(error.kind(), ErrorKind::Custom);
            assert!(error.to_string().contains(refused), "{error}");
        }
    }
}

mod registered_claims_without_fields {
    use super::*;

    #[derive(Debug, Serialize, Deserialize, Claims)]
    struct Minimal {
        exp: NumericDate,
    }

    #[test]
    fn nbf_without_a_field_is_still_checked() {
        assert_eq!(
            refusal::<Minimal>(&format!(r#""nbf":{}"#, NOW + 1)),
            ErrorKind::NotYetValid
        );
        accepts::<Minimal>(&format!(r#""nbf":{NOW}"#));
    }

    #[test]
    fn malformed_registered_claims_without_fields_are_refused() {
        for members in [
            r#""nbf":"soon""#,
            r#""iat":null"#,
            r#""iss":["a"]"#,
            r#""jti":7"#,
            r#""sub":true"#,
        ] {
            assert_eq!(
                refusal::<Minimal>(members),
                ErrorKind::InvalidClaim,
                "{members}"
            );
        }
    }

    #[test]
    fn audience_without_a_field_or_an_expectation_is_refused() {
        assert_eq!(
            refusal::<Minimal>(r#""aud":"api""#),
            ErrorKind::InvalidAudience
        );
    }
}

mod registered_claims_read_their_own_way {
    use super::*;
    use serde::Deserializer;

    /// A `deserialize_with` that makes its value without reading the token's.
    #[allow(clippy::unnecessary_wraps)] // serde's signature for `deserialize_with`
    fn constant<'de, D: Deserializer<'de>>(_: D) -> Result<String, D::Error> {
        Ok("constant".to_owned())
    }

    #[derive(Debug, Serialize, Deserialize, Claims)]
    struct Unread {
        #[serde(deserialize_with = "constant")]
        sub: String,
        exp: NumericDate,
        role: String,
    }

    #[test]
    fn claim_a_field_does_not_read_is_still_read_and_checked() {
        let claims = accepts::<Unread>(r#""sub":"u1","role":"admin""#);
        assert_eq!(
            (claims.sub.as_str(), claims.role.as_str()),
            ("constant", "admin")
        );
        let token = TokenBuilder::claims(claims_json(r#""sub":5,"role":"admin""#)).sign();
        let error = decode::<Unread>(&token).unwrap_err();
        assert_eq!(
            (error.kind(), error.claim()),
            (ErrorKind::InvalidClaim, Some(RegisteredClaim::Sub))
        );
    }

    #[derive(Debug, Serialize, Deserialize, Claims)]
    #[jwt(aud = "api")]
    struct Optional {
        sub: Option<String>,
        nbf: Option<NumericDate>,
        aud: Option<Audience>,
        exp: NumericDate,
    }

    #[test]
    fn optional_registered_fields_get_what_the_token_holds() {
        let claims = accepts::<Optional>(&format!(r#""sub":"u1","nbf":{NOW},"aud":["x","api"]"#));
        assert_eq!(claims.sub.as_deref(), Some("u1"));
        assert_eq!(claims.nbf, Some(NumericDate::from_secs(NOW)));
        assert!(claims.aud.is_some_and(|aud| aud.contains("api")));
        let claims = accepts::<Optional>(r#""aud":"api""#);
        assert_eq!((claims.sub, claims.nbf), (None, None));
        for members in [r#""aud":"api","sub":null"#, r#""aud":"api","nbf":"1""#] {
            assert_eq!(
                refusal::<Optional>(members),
                ErrorKind::InvalidClaim,
                "{members}"
            );
        }
    }

    #[derive(Debug, Serialize, Deserialize, Claims)]
    struct Escaped {
        sub: String,
        exp: NumericDate,
    }

    #[test]
    fn escaped_registered_claims_reach_the_field_unescaped() {
        let claims = accepts::<Escaped>(r#""sub":"a\"b\u00e9""#);
        assert_eq!(claims.sub, "a\"b\u{e9}");
    }
}

mod renamed_fields {
    use super::*;

    #[derive(Debug, Serialize, Deserialize, Claims)]
    #[serde(rename_all = "UPPERCASE")]
    struct Shouting {
        #[serde(rename = "exp")]
        expires: NumericDate,
        #[serde(rename = "sub")]
        subject: Option<String>,
        role: String,
    }

    #[test]
    fn renamed_registered_claims_are_read_and_checked() {
        let claims = accepts::<Shouting>(r#""sub":"u1","ROLE":"admin""#);
        assert_eq!(claims.subject.as_deref(), Some("u1"));
        assert_eq!(claims.expires.as_secs(), NOW + 3600);
        let expired = TokenBuilder::claims(format!(r#"{{"exp":{NOW},"ROLE":"admin"}}"#)).sign();
        assert_eq!(
            decode::<Shouting>(&expired).unwrap_err().kind(),
            ErrorKind::Expired
        );
    }
}

mod round_trip {
    use super::*;

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Claims)]
    #[jwt(iss = "auth.example.com", aud = ["api", "admin"], leeway = 5, required = [jti])]
    struct Session {
        sub: String,
        aud: Audience,
        exp: NumericDate,
        iat: NumericDate,
        jti: String,
        name: String,
        scopes: Vec<String>,
    }

    #[test]
    fn typed_claims_survive_encode_and_decode() {
        let session = Session {
            sub: "user-1234".into(),
            aud: Audience::Many(vec!["api".into(), "billing".into()]),
            exp: NumericDate::from_secs(NOW + 600),
            iat: NumericDate::from_secs(NOW),
            jti: "0b4e8a52-6c8f-4f3a-9f59-4a1e2f8c7d10".into(),
            name: "Zoë \u{1F980} \"quoted\" \\ \u{0}".into(),
            scopes: vec!["read".into(), "write".into()],
        };
        let token = jwt_core::encode(&session, &key()).unwrap();
        let back: Session = decode(&token).unwrap();
        assert_eq!(back, session);
    }
}
