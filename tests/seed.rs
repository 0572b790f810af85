//! The seed demo's token: issued by `requests.py` with HS256, verified by `verify.py`.

use jwt_core::{ErrorKind, HmacKey, NumericDate, RegisteredClaim, Validation};
use jwt_examples::{DbUpdate, LIFETIME_SECS, SEED_ISSUED_AT, SEED_SECRET, SEED_TOKEN};

fn seed_key() -> HmacKey {
    HmacKey::hs256(SEED_SECRET).expect("the seed secret has 52 bytes")
}

fn at(secs: i64) -> Validation {
    Validation::new().at(NumericDate::from_secs(secs))
}

const EXPIRES_AT: i64 = 1_651_760_527;

#[test]
fn seed_token_is_accepted_at_its_issue_time() {
    let token =
        jwt_core::decode_with::<DbUpdate>(SEED_TOKEN, &seed_key(), &at(SEED_ISSUED_AT.as_secs()))
            .unwrap();
    assert_eq!(
        token.claims(),
        &DbUpdate {
            sub: "updating-db".into(),
            exp: NumericDate::from_secs(EXPIRES_AT),
            timestamp: 1_651_759_927,
        }
    );
    assert_eq!(token.header().alg, jwt_core::Algorithm::HS256);
    assert_eq!(token.header().typ.as_deref(), Some("JWT"));
}

#[test]
fn seed_token_is_refused_as_expired_with_the_real_clock() {
    let error = jwt_core::decode::<DbUpdate>(SEED_TOKEN, &seed_key()).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Expired);
    assert_eq!(error.claim(), Some(RegisteredClaim::Exp));
    assert!(
        error.to_string().contains(&EXPIRES_AT.to_string()),
        "{error}"
    );
}

#[test]
fn seed_token_is_accepted_until_its_leeway_runs_out() {
    // `DbUpdate` declares 30 s of leeway: valid while now < exp + 30.
    let key = seed_key();
    assert!(jwt_core::decode_with::<DbUpdate>(SEED_TOKEN, &key, &at(EXPIRES_AT + 29)).is_ok());
    let error =
        jwt_core::decode_with::<DbUpdate>(SEED_TOKEN, &key, &at(EXPIRES_AT + 30)).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Expired);
}

#[test]
fn seed_token_is_refused_under_another_key() {
    let other =
        HmacKey::hs256("-----BEGIN PRIVATE KEY-----xxxxx-----END PRIVATE KEY-----").unwrap();
    let error =
        jwt_core::decode_with::<DbUpdate>(SEED_TOKEN, &other, &at(SEED_ISSUED_AT.as_secs()))
            .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidSignature);
}

#[test]
fn seed_token_is_refused_by_a_stricter_runtime_issuer() {
    let validation = at(SEED_ISSUED_AT.as_secs()).issuer("someone-else");
    let error =
        jwt_core::decode_with::<DbUpdate>(SEED_TOKEN, &seed_key(), &validation).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidIssuer);
}

#[test]
fn tokens_issued_like_the_seed_carry_its_issuer_and_audience() {
    let key = seed_key();
    let now = NumericDate::now();
    let claims = DbUpdate {
        sub: "updating-db".into(),
        exp: now + LIFETIME_SECS,
        timestamp: now.as_secs(),
    };
    let token = jwt_core::encode(&claims, &key).unwrap();
    let written = jwt_core::dangerous_unverified_decode::<serde_json::Value>(&token).unwrap();
    assert_eq!(written.claims()["iss"], "jiankaiwang");
    assert_eq!(written.claims()["aud"], "db-server");
    assert_eq!(written.claims()["sub"], "updating-db");
    assert_eq!(
        serde_json::to_value(written.header()).unwrap(),
        serde_json::json!({"alg": "HS256", "typ": "JWT"})
    );
    assert_eq!(jwt_core::decode::<DbUpdate>(&token, &key).unwrap(), claims);
}
