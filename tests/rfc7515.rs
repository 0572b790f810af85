//! RFC 7515 appendix A.1: the HS256 example, key and token as published.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jwt_core::{ErrorKind, HmacKey, NumericDate, Validation};
use serde_json::{Map, Value};

/// The JWK's `k`, base64url.
const KEY: &str =
    "AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow";

/// The header `{"typ":"JWT",\r\n "alg":"HS256"}` and the payload, CRLFs included.
const TOKEN: &str = "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9\
.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ\
.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";

const EXP: i64 = 1_300_819_380;

fn key() -> HmacKey {
    HmacKey::hs256(URL_SAFE_NO_PAD.decode(KEY).unwrap()).unwrap()
}

#[test]
fn rfc7515_a1_token_verifies_before_it_expires() {
    let validation = Validation::new().at(NumericDate::from_secs(EXP - 1));
    let token = jwt_core::decode_with::<Map<String, Value>>(TOKEN, &key(), &validation).unwrap();
    assert_eq!(token.claims()["iss"], "joe");
    assert_eq!(token.claims()["exp"], EXP);
    assert_eq!(token.claims()["http://example.com/is_root"], true);
    assert_eq!(token.header().typ.as_deref(), Some("JWT"));
}

#[test]
fn rfc7515_a1_token_is_expired_at_its_exp() {
    let validation = Validation::new().at(NumericDate::from_secs(EXP));
    let error =
        jwt_core::decode_with::<Map<String, Value>>(TOKEN, &key(), &validation).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Expired);
}

#[test]
fn rfc7515_a1_token_with_a_changed_payload_byte_is_refused() {
    let mut tampered = TOKEN.as_bytes().to_vec();
    // Inside the payload segment: `eyJpc3Mi...` becomes `eyJpc3Ni...`.
    let at = TOKEN.find(".eyJpc3Mi").unwrap() + 7;
    tampered[at] = b'N';
    let tampered = String::from_utf8(tampered).unwrap();
    let validation = Validation::new().at(NumericDate::from_secs(EXP - 1));
    let error =
        jwt_core::decode_with::<Map<String, Value>>(&tampered, &key(), &validation).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidSignature);
}

#[test]
fn rfc7515_a1_key_signs_tokens_it_verifies() {
    let mut claims = Map::new();
    claims.insert("iss".into(), "joe".into());
    claims.insert("exp".into(), EXP.into());
    let token = jwt_core::encode(&claims, &key()).unwrap();
    let validation = Validation::new()
        .at(NumericDate::from_secs(EXP - 1))
        .issuer("joe");
    let back = jwt_core::decode_with::<Map<String, Value>>(&token, &key(), &validation).unwrap();
    assert_eq!(back.into_claims(), claims);
}
