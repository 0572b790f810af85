//! Times are rounded down on their decimal text, never through a float: a fraction just
//! below the next second is still the second before it, and the range check is taken on
//! the floor.

use super::*;

fn with_exp(exp: &str) -> String {
    TokenBuilder::claims(format!(r#"{{"exp":{exp}}}"#)).sign()
}

#[derive(Debug, Serialize, Deserialize, Claims)]
struct Expiring {
    exp: NumericDate,
}

#[test]
fn a_fraction_just_below_a_second_is_the_second_before() {
    // As an f64, this is 1700000001.0.
    let token = with_exp(&format!("{NOW}.9999999999"));
    assert_eq!(refused(&token), ErrorKind::Expired);
    let error = typed_refusal::<Expiring>(&token, &at_now());
    assert_eq!(error.kind(), ErrorKind::Expired, "{error}");
    // A second earlier it is valid, and the type holds the time that was checked.
    let earlier = at_now().at(NumericDate::from_secs(NOW - 1));
    let claims = typed_accepted::<Expiring>(&token, &earlier);
    assert_eq!(claims.exp, NumericDate::from_secs(NOW));
    let untyped = accepted_under(&token, &earlier);
    assert_eq!(untyped["exp"], serde_json::json!(NOW));
}

#[test]
fn the_floor_of_a_number_within_range_is_accepted() {
    let max = MAX_SAFE;
    for (exp, floor) in [
        (format!("{max}.5"), max),
        (format!("{max}.9999999999999999"), max),
        ("900719925474099.15e1".to_owned(), max),
        (format!("{}.5", NOW + 10), NOW + 10),
        (format!("{}e0", NOW + 10), NOW + 10),
        (format!("{}0e-1", NOW + 10), NOW + 10),
    ] {
        let claims = typed_accepted::<Expiring>(&with_exp(&exp), &at_now());
        assert_eq!(claims.exp, NumericDate::from_secs(floor), "{exp}");
    }
}

#[test]
fn a_floor_outside_the_range_is_invalid() {
    let max = MAX_SAFE;
    for exp in [
        format!("{}", max + 1),
        format!("{}.0", max + 1),
        format!("-{max}.5"),
        format!("-{max}.0000000000000001"),
        "9.007199254740992e15".to_owned(),
        "1e400".to_owned(),
        "-1e400".to_owned(),
        "1e99999999999999999999".to_owned(),
    ] {
        let token = with_exp(&exp);
        let error = typed_refusal::<Expiring>(&token, &at_now());
        assert_eq!(error.kind(), ErrorKind::InvalidClaim, "{exp}: {error}");
        assert_eq!(error.claim(), Some(RegisteredClaim::Exp), "{exp}");
        assert_eq!(refused(&token), ErrorKind::InvalidClaim, "{exp}");
    }
}

#[test]
fn a_not_before_just_below_now_is_valid_and_an_issue_time_rounds_down_too() {
    let token = TokenBuilder::claims(format!(
        r#"{{"exp":{},"nbf":{NOW}.9999999999,"iat":{NOW}.99999999999}}"#,
        NOW + 60
    ))
    .sign();
    let untyped = accepted(&token);
    assert_eq!(untyped["nbf"], serde_json::json!(NOW));
    assert_eq!(untyped["iat"], serde_json::json!(NOW));
}

/// A custom claim of type `NumericDate` is read from its text the same way.
#[test]
fn a_custom_time_claim_rounds_down_exactly() {
    #[derive(Debug, Serialize, Deserialize, Claims)]
    struct WithAuthTime {
        exp: NumericDate,
        auth_time: NumericDate,
    }
    let token = TokenBuilder::claims(format!(
        r#"{{"exp":{},"auth_time":{NOW}.9999999999}}"#,
        NOW + 60
    ))
    .sign();
    let claims = typed_accepted::<WithAuthTime>(&token, &at_now());
    assert_eq!(claims.auth_time, NumericDate::from_secs(NOW));
    let token = TokenBuilder::claims(format!(
        r#"{{"exp":{},"auth_time":{}.5}}"#,
        NOW + 60,
        MAX_SAFE + 1
    ))
    .sign();
    let error = typed_refusal::<WithAuthTime>(&token, &at_now());
    assert_eq!(error.kind(), ErrorKind::InvalidClaim, "{error}");
}
