//! Untyped claims (`serde_json::Map` and `serde_json::Value`): round trips through
//! `encode` and `decode`, and the runtime rules of `Validation` applied to them.

use jwt_core::{ErrorKind, HmacKey, NumericDate, RegisteredClaim, Validation};
use jwt_tests::{
    NOW, TokenBuilder, Untyped, accepted, accepted_under, at_now, claims_json, key, refusal,
    refusal_under,
};
use serde_json::{Value, json};

/// A token with `exp` an hour after [`NOW`] and `members`, signed correctly.
fn with(members: &str) -> String {
    TokenBuilder::claims(claims_json(members)).sign()
}

/// A token over exactly `payload`, signed correctly.
fn over(payload: &str) -> String {
    TokenBuilder::claims(payload).sign()
}

/// Asserts that `token` is refused under `validation` with `kind`, about `claim`.
#[track_caller]
fn assert_refused(
    token: &str,
    validation: &Validation,
    kind: ErrorKind,
    claim: Option<RegisteredClaim>,
) {
    let error = refusal_under(token, validation);
    assert_eq!((error.kind(), error.claim()), (kind, claim), "{error}");
}

/// Claims with every kind of JSON value a custom claim may hold.
fn rich_claims() -> Value {
    json!({
        "exp": NOW + 3600,
        "sub": "użytkownik-\u{1F600}",
        "name": "Zoë \u{4E2D}\u{6587} \u{202E}rtl \"quoted\" \\ back\nslash\t\u{0}",
        "empty": "",
        "nested": { "a": { "b": [1, { "c": null }], "d": true }, "e": [] },
        "numbers": [0, -1, 1.5, -0.25, 9_007_199_254_740_991_i64, u64::MAX, i64::MIN, 1e-7, 6.02e23],
        "flags": [true, false, null],
        "\u{1F511} key": "emoji in a member name",
    })
}

mod round_trips {
    use super::*;

    #[test]
    fn map_round_trips_through_encode_and_decode() {
        let Value::Object(claims) = rich_claims() else {
            unreachable!()
        };
        let token = jwt_core::encode(&claims, &key()).unwrap();
        let back = accepted(&token);
        assert_eq!(back, claims);
    }

    #[test]
    fn value_round_trips_through_encode_and_decode() {
        let claims = rich_claims();
        let token = jwt_core::encode(&claims, &key()).unwrap();
        let back = jwt_core::decode_with::<Value>(&token, &key(), &at_now())
            .unwrap()
            .into_claims();
        assert_eq!(back, claims);
    }

    #[test]
    fn map_and_value_read_the_same_token_alike() {
        let token = jwt_core::encode(&rich_claims(), &key()).unwrap();
        let map = accepted(&token);
        let value = jwt_core::decode_with::<Value>(&token, &key(), &at_now())
            .unwrap()
            .into_claims();
        assert_eq!(Value::Object(map), value);
    }

    #[test]
    fn unicode_strings_keep_every_code_point() {
        let token = with(r#""s":"\u00e9\u4e2d\ud83d\ude00","t":"é中😀""#);
        let claims = accepted(&token);
        assert_eq!(claims["s"], "\u{e9}\u{4e2d}\u{1F600}");
        assert_eq!(claims["s"], claims["t"]);
    }

    #[test]
    fn numbers_keep_their_kind() {
        let claims = accepted(&with(r#""i":-7,"u":18446744073709551615,"f":2.5,"z":0"#));
        assert_eq!(claims["i"].as_i64(), Some(-7));
        assert_eq!(claims["u"].as_u64(), Some(u64::MAX));
        assert_eq!(claims["f"].as_f64(), Some(2.5));
        assert!(claims["z"].is_u64());
    }

    #[test]
    fn registered_claims_are_kept_in_untyped_claims() {
        let token = with(&format!(
            r#""iss":"auth","sub":"u1","aud":["api","web"],"nbf":{NOW},"iat":{NOW},"jti":"j1""#
        ));
        let claims = accepted_under(&token, &at_now().audience("api"));
        assert_eq!(claims["iss"], "auth");
        assert_eq!(claims["sub"], "u1");
        assert_eq!(claims["aud"], json!(["api", "web"]));
        assert_eq!(claims["nbf"], NOW);
        assert_eq!(claims["iat"], NOW);
        assert_eq!(claims["jti"], "j1");
        assert_eq!(claims["exp"], NOW + 3600);
    }

    #[test]
    fn encode_writes_an_hs256_jwt_header() {
        let token = jwt_core::encode(&rich_claims(), &key()).unwrap();
        let header = jwt_core::decode_header(&token).unwrap();
        assert_eq!(header.alg, jwt_core::Algorithm::HS256);
        assert_eq!(header.typ.as_deref(), Some("JWT"));
        assert_eq!(header.kid, None);
        assert_eq!(header.cty, None);
        assert!(header.other.is_empty());
    }

    #[test]
    fn empty_object_round_trips_with_allow_missing_exp() {
        let token = jwt_core::encode(&Untyped::new(), &key()).unwrap();
        let claims = accepted_under(&token, &at_now().allow_missing_exp());
        assert!(claims.is_empty());
    }

    #[test]
    fn encode_of_an_array_value_is_an_encode_error() {
        let claims = json!([{ "exp": NOW + 3600 }]);
        let error = jwt_core::encode(&claims, &key()).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Encode);
    }

    #[test]
    fn encode_of_a_time_beyond_the_json_range_is_an_encode_error() {
        #[derive(serde::Serialize)]
        struct Far {
            exp: NumericDate,
        }
        impl jwt_core::Claims for Far {
            const POLICY: jwt_core::ClaimsPolicy = jwt_core::ClaimsPolicy::new();
        }
        let last = NumericDate::from_secs((1 << 53) - 1);
        assert!(jwt_core::encode(&Far { exp: last }, &key()).is_ok());
        let beyond = NumericDate::from_secs(1 << 53);
        let error = jwt_core::encode(&Far { exp: beyond }, &key()).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Encode);
    }

    #[test]
    fn encode_of_a_scalar_value_is_an_encode_error() {
        for claims in [json!("claims"), json!(1), json!(null), json!(true)] {
            let error = jwt_core::encode(&claims, &key()).unwrap_err();
            assert_eq!(error.kind(), ErrorKind::Encode, "{claims}");
        }
    }
}

mod runtime_rules {
    use super::*;

    #[test]
    fn subject_must_be_present_and_equal() {
        let token = TokenBuilder::claims(claims_json(r#""sub":"user-1""#)).sign();
        accepted_under(&token, &at_now().subject("user-1"));
        let error = refusal_under(&token, &at_now().subject("user-2"));
        assert_eq!(
            (error.kind(), error.claim()),
            (ErrorKind::InvalidSubject, Some(RegisteredClaim::Sub))
        );
        let without = TokenBuilder::claims(claims_json("")).sign();
        let error = refusal_under(&without, &at_now().subject("user-1"));
        assert_eq!(
            (error.kind(), error.claim()),
            (ErrorKind::MissingClaim, Some(RegisteredClaim::Sub))
        );
    }

    #[test]
    fn issuer_given_twice_accepts_either() {
        let validation = at_now().issuer("a.example").issuer("b.example");
        accepted_under(&with(r#""iss":"a.example""#), &validation);
        accepted_under(&with(r#""iss":"b.example""#), &validation);
        assert_refused(
            &with(r#""iss":"c.example""#),
            &validation,
            ErrorKind::InvalidIssuer,
            Some(RegisteredClaim::Iss),
        );
    }

    #[test]
    fn issuer_without_iss_is_a_missing_claim() {
        assert_refused(
            &with(""),
            &at_now().issuer("a.example"),
            ErrorKind::MissingClaim,
            Some(RegisteredClaim::Iss),
        );
    }

    #[test]
    fn audience_accepts_a_string_or_an_array_that_holds_it() {
        let validation = at_now().audience("api");
        accepted_under(&with(r#""aud":"api""#), &validation);
        accepted_under(&with(r#""aud":["web","api"]"#), &validation);
        assert_refused(
            &with(r#""aud":["web"]"#),
            &validation,
            ErrorKind::InvalidAudience,
            Some(RegisteredClaim::Aud),
        );
    }

    #[test]
    fn audience_given_twice_accepts_either() {
        let validation = at_now().audience("api").audience("admin");
        accepted_under(&with(r#""aud":"admin""#), &validation);
        accepted_under(&with(r#""aud":["x","api"]"#), &validation);
        assert_refused(
            &with(r#""aud":["x","y"]"#),
            &validation,
            ErrorKind::InvalidAudience,
            Some(RegisteredClaim::Aud),
        );
    }

    #[test]
    fn audience_without_aud_is_a_missing_claim() {
        assert_refused(
            &with(""),
            &at_now().audience("api"),
            ErrorKind::MissingClaim,
            Some(RegisteredClaim::Aud),
        );
    }

    #[test]
    fn subject_must_equal_sub() {
        let validation = at_now().subject("user-1");
        accepted_under(&with(r#""sub":"user-1""#), &validation);
        assert_refused(
            &with(r#""sub":"user-10""#),
            &validation,
            ErrorKind::InvalidSubject,
            Some(RegisteredClaim::Sub),
        );
        assert_refused(
            &with(r#""sub":"""#),
            &validation,
            ErrorKind::InvalidSubject,
            Some(RegisteredClaim::Sub),
        );
    }

    #[test]
    fn subject_without_sub_is_a_missing_claim() {
        assert_refused(
            &with(""),
            &at_now().subject("user-1"),
            ErrorKind::MissingClaim,
            Some(RegisteredClaim::Sub),
        );
    }

    #[test]
    fn required_jti_must_be_present() {
        let validation = at_now().require(RegisteredClaim::Jti);
        accepted_under(&with(r#""jti":"id-1""#), &validation);
        assert_refused(
            &with(""),
            &validation,
            ErrorKind::MissingClaim,
            Some(RegisteredClaim::Jti),
        );
    }

    #[test]
    fn every_registered_claim_can_be_required() {
        for claim in RegisteredClaim::ALL {
            if claim == RegisteredClaim::Exp {
                continue;
            }
            let validation = at_now().require(claim);
            let error = refusal_under(&with(""), &validation);
            assert_eq!(
                (error.kind(), error.claim()),
                (ErrorKind::MissingClaim, Some(claim)),
                "{error}"
            );
        }
    }

    #[test]
    fn max_age_refuses_an_older_iat_as_too_old() {
        let token = with(&format!(r#""iat":{}"#, NOW - 100));
        accepted_under(&token, &at_now().max_age(100));
        assert_refused(
            &token,
            &at_now().max_age(99),
            ErrorKind::TooOld,
            Some(RegisteredClaim::Iat),
        );
    }

    #[test]
    fn max_age_counts_the_leeway() {
        let token = with(&format!(r#""iat":{}"#, NOW - 100));
        accepted_under(&token, &at_now().max_age(90).leeway(10));
        let error = refusal_under(&token, &at_now().max_age(90).leeway(9));
        assert_eq!(error.kind(), ErrorKind::TooOld);
    }

    #[test]
    fn max_age_without_iat_is_a_missing_claim() {
        assert_refused(
            &with(""),
            &at_now().max_age(3600),
            ErrorKind::MissingClaim,
            Some(RegisteredClaim::Iat),
        );
    }

    #[test]
    fn leeway_extends_exp() {
        let token = over(&format!(r#"{{"exp":{}}}"#, NOW - 10));
        assert_refused(
            &token,
            &at_now(),
            ErrorKind::Expired,
            Some(RegisteredClaim::Exp),
        );
        assert_refused(
            &token,
            &at_now().leeway(10),
            ErrorKind::Expired,
            Some(RegisteredClaim::Exp),
        );
        accepted_under(&token, &at_now().leeway(11));
    }

    #[test]
    fn leeway_brings_nbf_forward() {
        let token = with(&format!(r#""nbf":{}"#, NOW + 10));
        assert_refused(
            &token,
            &at_now().leeway(9),
            ErrorKind::NotYetValid,
            Some(RegisteredClaim::Nbf),
        );
        accepted_under(&token, &at_now().leeway(10));
    }

    #[test]
    fn leeway_allows_a_slightly_future_iat() {
        let token = with(&format!(r#""iat":{}"#, NOW + 10));
        assert_refused(
            &token,
            &at_now(),
            ErrorKind::IssuedInFuture,
            Some(RegisteredClaim::Iat),
        );
        accepted_under(&token, &at_now().leeway(10));
    }

    #[test]
    fn rules_combine_and_each_must_hold() {
        let validation = at_now()
            .issuer("auth")
            .audience("api")
            .subject("u1")
            .require(RegisteredClaim::Jti);
        accepted_under(
            &with(r#""iss":"auth","aud":"api","sub":"u1","jti":"j""#),
            &validation,
        );
        let error = refusal_under(&with(r#""iss":"auth","aud":"api","sub":"u1""#), &validation);
        assert_eq!(error.kind(), ErrorKind::MissingClaim);
        let error = refusal_under(
            &with(r#""iss":"auth","aud":"api","sub":"u2","jti":"j""#),
            &validation,
        );
        assert_eq!(error.kind(), ErrorKind::InvalidSubject);
    }

    #[test]
    fn validation_without_a_fixed_clock_uses_the_system_clock() {
        let now = NumericDate::now().as_secs();
        let live = over(&format!(r#"{{"exp":{}}}"#, now + 600));
        let stale = over(&format!(r#"{{"exp":{}}}"#, now - 600));
        jwt_core::decode_with::<Untyped>(&live, &key(), &Validation::new()).unwrap();
        let error =
            jwt_core::decode_with::<Untyped>(&stale, &key(), &Validation::new()).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Expired);
        let claims: Untyped = jwt_core::decode(&live, &key()).unwrap();
        assert_eq!(claims["exp"], now + 600);
        let error = jwt_core::decode::<Value>(&stale, &key()).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Expired);
    }
}

mod missing_exp {
    use super::*;

    #[test]
    fn token_without_exp_is_refused_by_default() {
        for token in [over("{}"), over(r#"{"sub":"u1"}"#)] {
            assert_refused(
                &token,
                &at_now(),
                ErrorKind::MissingClaim,
                Some(RegisteredClaim::Exp),
            );
            let error = jwt_core::decode::<Untyped>(&token, &key()).unwrap_err();
            assert_eq!(error.kind(), ErrorKind::MissingClaim);
            let error = jwt_core::decode::<Value>(&token, &key()).unwrap_err();
            assert_eq!(error.kind(), ErrorKind::MissingClaim);
        }
    }

    #[test]
    fn allow_missing_exp_accepts_untyped_claims_without_exp() {
        let token = over(r#"{"sub":"u1"}"#);
        let validation = at_now().allow_missing_exp();
        assert_eq!(accepted_under(&token, &validation)["sub"], "u1");
        let value = jwt_core::decode_with::<Value>(&token, &key(), &validation).unwrap();
        assert_eq!(value.claims()["sub"], "u1");
    }

    #[test]
    fn allow_missing_exp_still_checks_a_present_exp() {
        let token = over(&format!(r#"{{"exp":{NOW}}}"#));
        assert_refused(
            &token,
            &at_now().allow_missing_exp(),
            ErrorKind::Expired,
            Some(RegisteredClaim::Exp),
        );
    }

    #[test]
    fn required_exp_overrides_allow_missing_exp() {
        let validation = at_now().allow_missing_exp().require(RegisteredClaim::Exp);
        assert_refused(
            &over("{}"),
            &validation,
            ErrorKind::MissingClaim,
            Some(RegisteredClaim::Exp),
        );
    }
}

mod unverified_and_header {
    use super::*;

    /// A key other than [`key`].
    fn other_key() -> HmacKey {
        HmacKey::hs256(b"another secret, of thirty-two b.").unwrap()
    }

    #[test]
    fn dangerous_unverified_decode_reads_a_token_signed_with_another_key() {
        let token = jwt_core::encode(&rich_claims(), &other_key()).unwrap();
        assert_eq!(refusal(&token).kind(), ErrorKind::InvalidSignature);
        let read = jwt_core::dangerous_unverified_decode::<Untyped>(&token).unwrap();
        assert_eq!(Value::Object(read.claims().clone()), rich_claims());
        assert_eq!(read.header().alg, jwt_core::Algorithm::HS256);
    }

    #[test]
    fn dangerous_unverified_decode_checks_no_claim() {
        let token = over(&format!(r#"{{"exp":{},"nbf":{}}}"#, NOW - 10, NOW + 10));
        let read = jwt_core::dangerous_unverified_decode::<Value>(&token).unwrap();
        assert_eq!(read.claims()["exp"], NOW - 10);
    }

    #[test]
    fn dangerous_unverified_decode_still_reads_json_strictly() {
        let token = over(r#"{"exp":1,"exp":2}"#);
        let error = jwt_core::dangerous_unverified_decode::<Untyped>(&token).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Malformed);
        let token = TokenBuilder::claims(claims_json(""))
            .header(r#"{"alg":"none"}"#)
            .with_signature("");
        let error = jwt_core::dangerous_unverified_decode::<Untyped>(&token).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::AlgorithmMismatch);
    }

    #[test]
    fn dangerous_unverified_decode_still_needs_a_base64url_signature_segment() {
        let token = TokenBuilder::claims(claims_json("")).with_signature("!!!");
        let error = jwt_core::dangerous_unverified_decode::<Untyped>(&token).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Malformed);
    }

    #[test]
    fn decode_with_returns_the_header_with_typ_kid_cty_and_other_members() {
        let token = TokenBuilder::claims(claims_json(r#""sub":"u1""#))
            .header(
                r#"{"alg":"HS256","typ":"at+jwt","kid":"2026-11","cty":"json","x-trace":{"id":[1,2]},"jwk":{"kty":"oct"}}"#,
            )
            .sign();
        let decoded = jwt_tests::decode_untyped(&token, &at_now()).unwrap();
        let header = decoded.header();
        assert_eq!(header.alg, jwt_core::Algorithm::HS256);
        assert_eq!(header.typ.as_deref(), Some("at+jwt"));
        assert_eq!(header.kid.as_deref(), Some("2026-11"));
        assert_eq!(header.cty.as_deref(), Some("json"));
        assert_eq!(header.other.len(), 2, "{:?}", header.other);
        assert_eq!(header.other["x-trace"], json!({ "id": [1, 2] }));
        assert_eq!(header.other["jwk"], json!({ "kty": "oct" }));
        assert_eq!(decoded.claims()["sub"], "u1");
        let (header, claims) = decoded.into_parts();
        assert_eq!(header.kid.as_deref(), Some("2026-11"));
        assert_eq!(claims["sub"], "u1");
    }

    #[test]
    fn decode_with_returns_a_header_without_typ_when_the_token_has_none() {
        let token = TokenBuilder::claims(claims_json(""))
            .header(r#"{"alg":"HS256"}"#)
            .sign();
        let decoded = jwt_tests::decode_untyped(&token, &at_now()).unwrap();
        assert_eq!(decoded.header().typ, None);
        assert_eq!(decoded.header().kid, None);
        assert!(decoded.header().other.is_empty());
    }
}
