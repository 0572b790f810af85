//! Claims types whose issuer and audience are configured at run time
//! (`#[jwt(iss = runtime, aud = runtime)]`): every refusal path with its kind, the
//! accepted case, a verifier shared by several types, and encoding.

use jwt_core::{
    Audience, Claims, ErrorKind, HmacKey, NumericDate, RegisteredClaim, Validation, Verifier,
};
use jwt_tests::{NOW, TokenBuilder, at_now, claims_json, key};
use serde::{Deserialize, Serialize};

const ISSUER: &str = "https://auth.example.com";

/// Both taken at run time, and no field for either: `encode_with` writes them.
#[derive(Debug, Serialize, Deserialize, Claims)]
#[jwt(iss = runtime, aud = runtime)]
struct Session {
    sub: String,
    exp: NumericDate,
}

/// The issuer taken at run time, held in a field.
#[derive(Debug, Serialize, Deserialize, Claims)]
#[jwt(iss = runtime)]
struct Issued {
    iss: String,
    exp: NumericDate,
}

/// The audience taken at run time, held in a field.
#[derive(Debug, Serialize, Deserialize, Claims)]
#[jwt(aud = runtime)]
struct ForApi {
    aud: Audience,
    exp: NumericDate,
}

/// Declares its audience, and checks whatever issuer the validation adds.
#[derive(Debug, Serialize, Deserialize, Claims)]
#[jwt(aud = "api")]
struct Declared {
    iss: String,
    exp: NumericDate,
}

fn configured() -> Validation {
    at_now().issuer(ISSUER).audience("api")
}

fn token(members: &str) -> String {
    TokenBuilder::claims(claims_json(members)).sign()
}

fn session_token() -> String {
    token(&format!(r#""iss":"{ISSUER}","aud":"api","sub":"u1""#))
}

fn refusal<C: Claims + serde::de::DeserializeOwned + std::fmt::Debug>(
    token: &str,
    validation: &Validation,
) -> jwt_core::Error {
    jwt_core::decode_with::<C>(token, &key(), validation).unwrap_err()
}

#[test]
fn the_policy_records_what_is_configured_at_run_time() {
    let policy = Session::POLICY;
    assert!(policy.takes_issuer_at_runtime());
    assert!(policy.takes_audience_at_runtime());
    assert_eq!(policy.type_name(), Some("Session"));
    assert!(policy.issuer_list().is_empty());
    assert!(policy.audience_list().is_empty());
    assert!(policy.written_on_encode().contains(RegisteredClaim::Iss));
    assert!(policy.written_on_encode().contains(RegisteredClaim::Aud));

    // A field of that name is what encoding writes.
    assert!(Issued::POLICY.takes_issuer_at_runtime());
    assert!(!Issued::POLICY.takes_audience_at_runtime());
    assert!(Issued::POLICY.written_on_encode().is_empty());
    assert!(ForApi::POLICY.takes_audience_at_runtime());
    assert!(!ForApi::POLICY.takes_issuer_at_runtime());

    // Types that take nothing at run time are unchanged.
    assert!(!Declared::POLICY.takes_issuer_at_runtime());
    assert_eq!(Declared::POLICY.type_name(), None);
}

#[test]
fn decoding_without_a_configured_issuer_refuses_every_token() {
    let good = session_token();
    let unsigned = format!("{}.", good.rsplit_once('.').unwrap().0);
    let expired = TokenBuilder::claims(format!(
        r#"{{"exp":{NOW},"iss":"{ISSUER}","aud":"api","sub":"u1"}}"#
    ))
    .sign();
    let too_long = "a".repeat(jwt_core::DEFAULT_MAX_TOKEN_LEN + 1);
    for token in [good.as_str(), &unsigned, &expired, "not a token", &too_long] {
        let error = jwt_core::decode::<Session>(token, &key()).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidIssuer, "{error}");
        assert_eq!(error.claim(), Some(RegisteredClaim::Iss));
        let message = error.to_string();
        assert!(
            message.contains("`Session` takes its issuer from the validation"),
            "{message}"
        );
        assert!(message.contains("`Validation::issuer`"), "{message}");
    }
    // The same through `decode_with` and a verifier whose validation lacks the issuer.
    let audience_only = at_now().audience("api");
    assert_eq!(
        refusal::<Session>(&good, &audience_only).kind(),
        ErrorKind::InvalidIssuer
    );
    let verifier = Verifier::new(key(), audience_only);
    let error = verifier.decode::<Session>(&good).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidIssuer);
    let error = verifier.decode_with::<Issued>(&good).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidIssuer);
}

#[test]
fn decoding_without_a_configured_audience_refuses_every_token() {
    let good = session_token();
    for token in [good.as_str(), "not a token"] {
        let error = refusal::<Session>(token, &at_now().issuer(ISSUER));
        assert_eq!(error.kind(), ErrorKind::InvalidAudience, "{error}");
        assert_eq!(error.claim(), Some(RegisteredClaim::Aud));
        let message = error.to_string();
        assert!(
            message.contains("`Session` takes its audience from the validation"),
            "{message}"
        );
        assert!(message.contains("`Validation::audience`"), "{message}");
    }
    let error = jwt_core::decode::<ForApi>(&good, &key()).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidAudience);
    assert!(error.to_string().contains("`ForApi`"), "{error}");
}

#[test]
fn a_token_from_another_issuer_is_refused() {
    let token = token(r#""iss":"https://evil.example","aud":"api","sub":"u1""#);
    let error = refusal::<Session>(&token, &configured());
    assert_eq!(error.kind(), ErrorKind::InvalidIssuer);
    assert!(error.to_string().contains(ISSUER), "{error}");
    // Exact comparison: a prefix, another case or a trailing slash is another issuer.
    for iss in [
        "https://auth.example.com/",
        "HTTPS://AUTH.EXAMPLE.COM",
        "https://auth.example",
    ] {
        let token = self::token(&format!(r#""iss":"{iss}","aud":"api","sub":"u1""#));
        assert_eq!(
            refusal::<Session>(&token, &configured()).kind(),
            ErrorKind::InvalidIssuer,
            "{iss}"
        );
    }
}

#[test]
fn a_token_for_another_audience_is_refused() {
    for aud in [r#""web""#, r#"["web","admin"]"#, r#""API""#] {
        let token = token(&format!(r#""iss":"{ISSUER}","aud":{aud},"sub":"u1""#));
        let error = refusal::<Session>(&token, &configured());
        assert_eq!(error.kind(), ErrorKind::InvalidAudience, "{aud}");
        assert_eq!(error.claim(), Some(RegisteredClaim::Aud));
    }
}

#[test]
fn a_token_without_the_configured_claims_is_refused() {
    let no_aud = token(&format!(r#""iss":"{ISSUER}","sub":"u1""#));
    let error = refusal::<Session>(&no_aud, &configured());
    assert_eq!(error.kind(), ErrorKind::MissingClaim);
    assert_eq!(error.claim(), Some(RegisteredClaim::Aud));

    let no_iss = token(r#""aud":"api","sub":"u1""#);
    let error = refusal::<Session>(&no_iss, &configured());
    assert_eq!(error.kind(), ErrorKind::MissingClaim);
    assert_eq!(error.claim(), Some(RegisteredClaim::Iss));
}

#[test]
fn a_token_that_meets_the_configuration_is_accepted() {
    let session: Session = jwt_core::decode_with(&session_token(), &key(), &configured())
        .unwrap()
        .into_claims();
    assert_eq!(session.sub, "u1");

    // Any of several configured values; an audience array holding one of them.
    let several = at_now()
        .issuer("https://old.example.com")
        .issuer(ISSUER)
        .audience("web")
        .audience("api");
    let token = token(&format!(
        r#""iss":"{ISSUER}","aud":["mobile","api"],"sub":"u1""#
    ));
    let session: Session = jwt_core::decode_with(&token, &key(), &several)
        .unwrap()
        .into_claims();
    assert_eq!(session.sub, "u1");

    let issued: Issued = jwt_core::decode_with(&token, &key(), &several)
        .unwrap()
        .into_claims();
    assert_eq!(issued.iss, ISSUER);
    let for_api: ForApi = jwt_core::decode_with(&token, &key(), &several)
        .unwrap()
        .into_claims();
    assert!(for_api.aud.contains("api"));
}

#[test]
fn one_verifier_serves_several_claims_types() {
    let verifier = Verifier::new(key(), configured());
    let token = session_token();

    let session: Session = verifier.decode(&token).unwrap();
    assert_eq!(session.sub, "u1");
    let declared: Declared = verifier.decode(&token).unwrap();
    assert_eq!(declared.iss, ISSUER);
    let issued = verifier.decode_with::<Issued>(&token).unwrap();
    assert_eq!(issued.claims().iss, ISSUER);

    // The configured issuer is checked for every type, even one that declares none.
    let other = self::token(r#""iss":"https://evil.example","aud":"api","sub":"u1""#);
    assert_eq!(
        verifier.decode::<Session>(&other).unwrap_err().kind(),
        ErrorKind::InvalidIssuer
    );
    assert_eq!(
        verifier.decode::<Declared>(&other).unwrap_err().kind(),
        ErrorKind::InvalidIssuer
    );
}

#[test]
fn a_missing_configuration_refuses_only_the_types_that_need_it() {
    let verifier = Verifier::new(key(), at_now());
    let token = session_token();
    assert_eq!(
        verifier.decode::<Session>(&token).unwrap_err().kind(),
        ErrorKind::InvalidIssuer
    );
    let declared: Declared = verifier.decode(&token).unwrap();
    assert_eq!(declared.iss, ISSUER);
}

#[test]
fn encode_with_writes_the_configured_issuer_and_audience() {
    let session = Session {
        sub: "u1".into(),
        exp: NumericDate::from_secs(NOW + 60),
    };
    let token = jwt_core::encode_with(&session, &key(), &configured()).unwrap();
    let payload = jwt_core::dangerous_unverified_decode::<serde_json::Value>(&token).unwrap();
    assert_eq!(payload.claims()["iss"], ISSUER);
    assert_eq!(payload.claims()["aud"], "api");
    assert_eq!(payload.claims()["sub"], "u1");

    let back: Session = Verifier::new(key(), configured()).decode(&token).unwrap();
    assert_eq!(back.sub, "u1");
}

#[test]
fn encode_without_a_configuration_refuses_a_type_with_nothing_to_write() {
    let session = Session {
        sub: "u1".into(),
        exp: NumericDate::from_secs(NOW + 60),
    };
    let error = jwt_core::encode(&session, &key()).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Encode);
    assert_eq!(error.claim(), Some(RegisteredClaim::Iss));
    assert!(
        error.to_string().contains("`jwt_core::encode_with`"),
        "{error}"
    );

    let header = jwt_core::Header::new(jwt_core::Algorithm::HS256);
    let error = jwt_core::encode_with_header(&header, &session, &key()).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Encode);
}

#[test]
fn encode_with_refuses_a_configuration_without_one_value_to_write() {
    let session = Session {
        sub: "u1".into(),
        exp: NumericDate::from_secs(NOW + 60),
    };
    let cases = [
        (
            at_now().audience("api"),
            RegisteredClaim::Iss,
            "names no issuer",
        ),
        (
            at_now().issuer(ISSUER),
            RegisteredClaim::Aud,
            "names no audience",
        ),
        (
            configured().issuer("https://other.example.com"),
            RegisteredClaim::Iss,
            "names 2 issuers",
        ),
        (
            configured().audience("web"),
            RegisteredClaim::Aud,
            "names 2 audiences",
        ),
    ];
    for (validation, claim, why) in cases {
        let error = jwt_core::encode_with(&session, &key(), &validation).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Encode, "{error}");
        assert_eq!(error.claim(), Some(claim), "{error}");
        assert!(error.to_string().contains(why), "{why}: {error}");
    }
}

#[test]
fn encode_with_refuses_a_field_the_configuration_would_refuse() {
    let issued = Issued {
        iss: "https://evil.example".into(),
        exp: NumericDate::from_secs(NOW + 60),
    };
    let error = jwt_core::encode_with(&issued, &key(), &configured()).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Encode);
    assert_eq!(error.claim(), Some(RegisteredClaim::Iss));
    assert!(error.to_string().contains("would refuse"), "{error}");

    let for_web = ForApi {
        aud: Audience::from("web"),
        exp: NumericDate::from_secs(NOW + 60),
    };
    let error = jwt_core::encode_with(&for_web, &key(), &at_now().audience("api")).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Encode);
    assert_eq!(error.claim(), Some(RegisteredClaim::Aud));

    // `encode` has no configuration: it writes the field as it is.
    let token = jwt_core::encode(&issued, &key()).unwrap();
    let error = refusal::<Issued>(&token, &configured());
    assert_eq!(error.kind(), ErrorKind::InvalidIssuer);

    // A field that meets the configuration is signed and decodes.
    let issued = Issued {
        iss: ISSUER.into(),
        ..issued
    };
    let validation = at_now().issuer(ISSUER);
    let token = jwt_core::encode_with(&issued, &key(), &validation).unwrap();
    let back: Issued = Verifier::new(key(), validation).decode(&token).unwrap();
    assert_eq!(back.iss, ISSUER);
}

#[test]
fn encode_with_checks_any_claims_type_against_the_configuration() {
    let declared = Declared {
        iss: ISSUER.into(),
        exp: NumericDate::from_secs(NOW + 60),
    };
    // The type's declared audience is written; the configured one must be among them.
    let token = jwt_core::encode_with(&declared, &key(), &configured()).unwrap();
    let back: Declared = Verifier::new(key(), configured()).decode(&token).unwrap();
    assert_eq!(back.iss, ISSUER);

    let error = jwt_core::encode_with(&declared, &key(), &at_now().audience("web")).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Encode);
    assert_eq!(error.claim(), Some(RegisteredClaim::Aud));

    // Untyped claims too.
    let untyped = serde_json::json!({ "iss": "https://evil.example", "exp": NOW + 60 });
    let error = jwt_core::encode_with(&untyped, &key(), &configured()).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Encode);
    assert_eq!(error.claim(), Some(RegisteredClaim::Iss));
}

#[test]
fn another_key_still_fails_on_the_signature_once_configured() {
    let other = HmacKey::hs256(b"another secret of thirty-two bytes or more").unwrap();
    let error =
        jwt_core::decode_with::<Session>(&session_token(), &other, &configured()).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidSignature);
}

/// A hand-written impl declares the same with `ClaimsPolicy`'s const methods.
#[derive(Debug, Serialize, Deserialize)]
struct Manual {
    iss: String,
    exp: NumericDate,
}

impl Claims for Manual {
    const POLICY: jwt_core::ClaimsPolicy = jwt_core::ClaimsPolicy::new().issuer_at_runtime();
}

#[test]
fn a_hand_written_policy_takes_its_issuer_at_run_time_too() {
    let token = token(&format!(r#""iss":"{ISSUER}""#));
    let error = jwt_core::decode::<Manual>(&token, &key()).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidIssuer);
    // Without a name, the message speaks of the claims type.
    assert!(
        error
            .to_string()
            .contains("the claims type takes its issuer from the validation"),
        "{error}"
    );
    let manual: Manual = jwt_core::decode_with(&token, &key(), &at_now().issuer(ISSUER))
        .unwrap()
        .into_claims();
    assert_eq!(manual.iss, ISSUER);
}
