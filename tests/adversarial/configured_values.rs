//! Messages cut configured values short, as they cut values from the token: a verifier
//! configured with a huge issuer, audience or subject never makes a huge error message.

use super::*;

/// Far longer than any message should be.
fn huge(c: char) -> String {
    std::iter::repeat_n(c, 27_000).collect()
}

#[track_caller]
fn assert_short(error: &Error, kind: ErrorKind) {
    assert_eq!(error.kind(), kind, "{error}");
    let message = error.to_string();
    assert!(message.len() < 1_000, "{} bytes: {message}", message.len());
}

#[test]
fn configured_issuers_audiences_and_subjects_are_cut_short_in_messages() {
    let token = TokenBuilder::claims(claims_json(r#""iss":"a","sub":"s""#)).sign();
    let issuer = at_now().issuer(huge('i')).issuer(huge('j'));
    assert_short(&refusal_under(&token, &issuer), ErrorKind::InvalidIssuer);
    let subject = at_now().subject(huge('s'));
    assert_short(&refusal_under(&token, &subject), ErrorKind::InvalidSubject);
    let token = TokenBuilder::claims(claims_json(r#""aud":["a"]"#)).sign();
    let audiences = (0..100).fold(at_now(), |validation, _| validation.audience(huge('a')));
    assert_short(
        &refusal_under(&token, &audiences),
        ErrorKind::InvalidAudience,
    );
}
