//! Adversarial tokens: one module per attack class that has broken a JWT library.
//!
//! Every test builds its token in readable steps (JSON text in, compact token out) and
//! makes it wrong for exactly one reason. Unless the signature is the point, the token is
//! signed correctly: HMAC-SHA256 over the exact signing input under the verifier's
//! secret, so a refusal can only come from the rule under test. Each test asserts the
//! exact `ErrorKind` that the decoding rules of `DESIGN.md` give.

use std::fmt::Debug;

use jwt_core::{
    Algorithm, Audience, Claims, Error, ErrorKind, HmacKey, NumericDate, RegisteredClaim,
    Validation, VerifyingKey,
};
use jwt_tests::{
    NOW, SECRET, TokenBuilder, Untyped, accepted, accepted_under, assert_each_refused_as, at_now,
    b64, claims_json, hmac, key, refusal, refusal_under, refused, sign_segments, valid,
};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

#[path = "adversarial/configured_values.rs"]
mod configured_values;
#[path = "adversarial/swallowed_errors.rs"]
mod swallowed_errors;
#[path = "adversarial/time_rounding.rs"]
mod time_rounding;

/// The kind of the refusal of `token`, decoded as untyped claims under `validation`.
#[track_caller]
fn refused_under(token: &str, validation: &Validation) -> ErrorKind {
    refusal_under(token, validation).kind()
}

/// The error of decoding `token` as the typed claims `C` with the test key.
#[track_caller]
fn typed_refusal<C>(token: &str, validation: &Validation) -> Error
where
    C: Claims + DeserializeOwned + Debug,
{
    match jwt_core::decode_with::<C>(token, &key(), validation) {
        Ok(decoded) => panic!("accepted {token}: {:?}", decoded.claims()),
        Err(error) => error,
    }
}

/// The claims of `token`, decoded as the typed claims `C` with the test key.
#[track_caller]
fn typed_accepted<C>(token: &str, validation: &Validation) -> C
where
    C: Claims + DeserializeOwned + Debug,
{
    match jwt_core::decode_with::<C>(token, &key(), validation) {
        Ok(decoded) => decoded.into_claims(),
        Err(error) => panic!("refused {token}: {error}"),
    }
}

/// The header, payload and signature segments of `token`.
fn segments(token: &str) -> (String, String, String) {
    let mut parts = token.split('.').map(str::to_owned);
    let parsed = (
        parts.next().expect("a header segment"),
        parts.next().expect("a payload segment"),
        parts.next().expect("a signature segment"),
    );
    assert_eq!(parts.next(), None, "{token} has more than three segments");
    parsed
}

/// The secret an attacker signs with: not the verifier's.
const ATTACKER_SECRET: &[u8; 32] = b"the attacker's own 32-byte key!!";

/// The largest magnitude a `NumericDate` may have in a token: `2^53 - 1`.
const MAX_SAFE: i64 = (1 << 53) - 1;

/// The base64url alphabet, in the order of the values its characters stand for.
const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// The 6-bit value of a base64url character.
fn sextet(c: u8) -> usize {
    ALPHABET
        .iter()
        .position(|a| *a == c)
        .expect("a base64url character")
}

/// Algorithm substitution: `alg: none` in any letter case (RFC 8725 section 2.1) and a
/// header that names an algorithm other than the key's (RFC 8725 section 3.1).
/// `DESIGN.md` decoding rule 3: the header is an object with a string `alg` (else
/// `Malformed`) that equals the key's algorithm exactly and case-sensitively (else
/// `AlgorithmMismatch`); `none` is never accepted. The algorithm is checked before the
/// signature, so a correct MAC does not help.
mod algorithm {
    use super::*;

    /// A header whose `alg` member is the JSON text `alg_json`.
    fn header_with_alg(alg_json: &str) -> String {
        format!(r#"{{"alg":{alg_json},"typ":"JWT"}}"#)
    }

    /// A valid payload under `alg_json`, with a correct HS256 MAC under [`SECRET`].
    fn signed_with_alg(alg_json: &str) -> String {
        valid().header(header_with_alg(alg_json)).sign()
    }

    /// A valid payload under `alg_json`, with an empty signature, as `alg: none` has.
    fn unsigned_with_alg(alg_json: &str) -> String {
        valid().header(header_with_alg(alg_json)).with_signature("")
    }

    /// Every letter case of `none`: one bit of `mask` per letter.
    fn none_casings() -> Vec<String> {
        (0..16_u8)
            .map(|mask| {
                "none"
                    .chars()
                    .enumerate()
                    .map(|(i, c)| {
                        if mask >> i & 1 == 1 {
                            c.to_ascii_uppercase()
                        } else {
                            c
                        }
                    })
                    .collect()
            })
            .collect()
    }

    #[test]
    fn none_casings_are_the_16_distinct_spellings() {
        let casings = none_casings();
        let distinct: std::collections::BTreeSet<&str> =
            casings.iter().map(String::as_str).collect();
        assert_eq!(distinct.len(), 16);
        for spelling in ["none", "None", "NONE", "nOnE", "NoNe", "nonE"] {
            assert!(distinct.contains(spelling), "{spelling}");
        }
    }

    #[test]
    fn alg_none_lowercase_without_signature_is_refused() {
        let token = unsigned_with_alg(r#""none""#);
        assert!(token.ends_with('.'));
        assert_eq!(refused(&token), ErrorKind::AlgorithmMismatch);
    }

    #[test]
    fn alg_none_lowercase_with_a_correct_hs256_signature_is_refused() {
        assert_eq!(
            refused(&signed_with_alg(r#""none""#)),
            ErrorKind::AlgorithmMismatch
        );
    }

    #[test]
    fn alg_none_capitalised_without_signature_is_refused() {
        assert_eq!(
            refused(&unsigned_with_alg(r#""None""#)),
            ErrorKind::AlgorithmMismatch
        );
    }

    #[test]
    fn alg_none_uppercase_without_signature_is_refused() {
        assert_eq!(
            refused(&unsigned_with_alg(r#""NONE""#)),
            ErrorKind::AlgorithmMismatch
        );
    }

    #[test]
    fn alg_none_alternating_case_with_a_correct_hs256_signature_is_refused() {
        assert_eq!(
            refused(&signed_with_alg(r#""nOnE""#)),
            ErrorKind::AlgorithmMismatch
        );
    }

    #[test]
    fn alg_none_in_all_16_letter_cases_without_signature_is_refused() {
        assert_each_refused_as(
            ErrorKind::AlgorithmMismatch,
            none_casings()
                .into_iter()
                .map(|alg| (alg.clone(), unsigned_with_alg(&format!(r#""{alg}""#)))),
        );
    }

    #[test]
    fn alg_none_in_all_16_letter_cases_with_a_correct_hs256_signature_is_refused() {
        assert_each_refused_as(
            ErrorKind::AlgorithmMismatch,
            none_casings()
                .into_iter()
                .map(|alg| (alg.clone(), signed_with_alg(&format!(r#""{alg}""#)))),
        );
    }

    #[test]
    fn alg_none_without_the_trailing_dot_is_malformed() {
        let token = valid().header(header_with_alg(r#""none""#)).signing_input();
        assert_eq!(refused(&token), ErrorKind::Malformed);
    }

    #[test]
    fn alg_none_is_refused_by_decode_header_too() {
        let error = jwt_core::decode_header(&unsigned_with_alg(r#""none""#)).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::AlgorithmMismatch);
    }

    #[test]
    fn correctly_signed_hs256_control_is_accepted() {
        accepted(&signed_with_alg(r#""HS256""#));
    }

    #[test]
    fn alg_hs256_in_lowercase_is_an_algorithm_mismatch() {
        assert_eq!(
            refused(&signed_with_alg(r#""hs256""#)),
            ErrorKind::AlgorithmMismatch
        );
    }

    #[test]
    fn alg_hs256_with_a_trailing_space_is_an_algorithm_mismatch() {
        assert_eq!(
            refused(&signed_with_alg(r#""HS256 ""#)),
            ErrorKind::AlgorithmMismatch
        );
    }

    #[test]
    fn alg_hs256_with_a_trailing_nul_is_an_algorithm_mismatch() {
        assert_eq!(
            refused(&signed_with_alg(r#""HS256\u0000""#)),
            ErrorKind::AlgorithmMismatch
        );
    }

    #[test]
    fn alg_hs256_with_a_cyrillic_homoglyph_is_an_algorithm_mismatch() {
        // U+041D CYRILLIC CAPITAL LETTER EN looks like `H`.
        let alg = format!("\"{}S256\"", '\u{41d}');
        assert_eq!(
            refused(&signed_with_alg(&alg)),
            ErrorKind::AlgorithmMismatch
        );
    }

    #[test]
    fn empty_alg_is_an_algorithm_mismatch() {
        assert_eq!(
            refused(&signed_with_alg(r#""""#)),
            ErrorKind::AlgorithmMismatch
        );
    }

    #[test]
    fn alg_as_a_number_is_malformed() {
        assert_eq!(refused(&signed_with_alg("256")), ErrorKind::Malformed);
    }

    #[test]
    fn alg_as_null_is_malformed() {
        assert_eq!(refused(&signed_with_alg("null")), ErrorKind::Malformed);
    }

    #[test]
    fn alg_as_an_array_is_malformed() {
        assert_eq!(
            refused(&signed_with_alg(r#"["HS256"]"#)),
            ErrorKind::Malformed
        );
    }

    #[test]
    fn alg_as_an_object_or_a_boolean_is_malformed() {
        assert_eq!(
            refused(&signed_with_alg(r#"{"name":"HS256"}"#)),
            ErrorKind::Malformed
        );
        assert_eq!(refused(&signed_with_alg("true")), ErrorKind::Malformed);
    }

    #[test]
    fn hs384_header_with_a_correct_hs384_mac_under_the_same_secret_is_an_algorithm_mismatch() {
        let token = valid()
            .header(header_with_alg(r#""HS384""#))
            .sign_with("HS384", SECRET);
        assert_eq!(refused(&token), ErrorKind::AlgorithmMismatch);
    }

    #[test]
    fn hs512_header_with_a_correct_hs512_mac_under_the_same_secret_is_an_algorithm_mismatch() {
        let token = valid()
            .header(header_with_alg(r#""HS512""#))
            .sign_with("HS512", SECRET);
        assert_eq!(refused(&token), ErrorKind::AlgorithmMismatch);
    }

    #[test]
    fn rs256_header_with_an_hs256_mac_under_the_same_secret_is_an_algorithm_mismatch() {
        // The key-confusion attack: the HMAC secret used as if it were a public key.
        let token = valid()
            .header(header_with_alg(r#""RS256""#))
            .sign_with("HS256", SECRET);
        assert_eq!(refused(&token), ErrorKind::AlgorithmMismatch);
    }

    #[test]
    fn hs256_token_is_an_algorithm_mismatch_for_an_hs512_key_with_the_same_secret() {
        let secret = [7_u8; 64];
        let hs512 = HmacKey::hs512(secret).unwrap();
        let token = valid().sign_with("HS256", &secret);
        let error = jwt_core::decode_with::<Untyped>(&token, &hs512, &at_now()).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::AlgorithmMismatch);
        let right = valid()
            .header(header_with_alg(r#""HS512""#))
            .sign_with("HS512", &secret);
        assert!(jwt_core::decode_with::<Untyped>(&right, &hs512, &at_now()).is_ok());
    }

    #[test]
    fn header_without_alg_is_malformed() {
        let token = valid().header(r#"{"typ":"JWT"}"#).sign();
        assert_eq!(refused(&token), ErrorKind::Malformed);
    }

    #[test]
    fn duplicate_alg_hs256_then_none_is_malformed() {
        let token = valid().header(r#"{"alg":"HS256","alg":"none"}"#).sign();
        assert_eq!(refused(&token), ErrorKind::Malformed);
    }

    #[test]
    fn duplicate_alg_none_then_hs256_is_malformed() {
        let token = valid().header(r#"{"alg":"none","alg":"HS256"}"#).sign();
        assert_eq!(refused(&token), ErrorKind::Malformed);
    }

    #[test]
    fn duplicate_alg_with_the_same_value_is_malformed() {
        let token = valid().header(r#"{"alg":"HS256","alg":"HS256"}"#).sign();
        assert_eq!(refused(&token), ErrorKind::Malformed);
    }

    #[test]
    fn duplicate_alg_spelled_with_an_escape_is_malformed() {
        let token = valid()
            .header(r#"{"alg":"HS256","\u0061lg":"none"}"#)
            .sign();
        assert_eq!(refused(&token), ErrorKind::Malformed);
    }
}

/// Token structure: the compact serialization has exactly three dot-separated segments
/// (RFC 7515 section 7.1; `DESIGN.md` decoding rule 2, else `Malformed`), and a token
/// over the length limit is refused before it is split (rule 1, `TooLong`).
mod structure {
    use super::*;

    #[test]
    fn two_segments_are_malformed() {
        let token = valid().signing_input();
        assert_eq!(token.matches('.').count(), 1);
        assert_eq!(refused(&token), ErrorKind::Malformed);
    }

    #[test]
    fn four_segments_are_malformed() {
        let token = valid().sign();
        let (_, _, signature) = segments(&token);
        assert_eq!(
            refused(&format!("{token}.{signature}")),
            ErrorKind::Malformed
        );
    }

    #[test]
    fn payload_segment_repeated_as_four_segments_is_malformed() {
        let token = valid().sign();
        let (header, payload, signature) = segments(&token);
        let token = format!("{header}.{payload}.{payload}.{signature}");
        assert_eq!(refused(&token), ErrorKind::Malformed);
    }

    #[test]
    fn one_segment_is_malformed() {
        let (header, _, _) = segments(&valid().sign());
        assert_eq!(refused(&header), ErrorKind::Malformed);
    }

    #[test]
    fn trailing_dot_is_malformed() {
        assert_eq!(
            refused(&format!("{}.", valid().sign())),
            ErrorKind::Malformed
        );
    }

    #[test]
    fn leading_dot_is_malformed() {
        assert_eq!(
            refused(&format!(".{}", valid().sign())),
            ErrorKind::Malformed
        );
    }

    #[test]
    fn empty_header_segment_is_malformed() {
        let (_, payload, _) = segments(&valid().sign());
        let token = sign_segments("", &payload);
        assert!(token.starts_with('.'));
        assert_eq!(refused(&token), ErrorKind::Malformed);
    }

    #[test]
    fn empty_payload_segment_is_malformed() {
        let (header, _, _) = segments(&valid().sign());
        let token = sign_segments(&header, "");
        assert!(token.contains(".."));
        assert_eq!(refused(&token), ErrorKind::Malformed);
    }

    #[test]
    fn empty_signature_segment_reaches_the_signature_check() {
        // Three segments of valid (empty) base64url: the structure is sound, the
        // signature is not.
        let token = valid().with_signature("");
        assert_eq!(refused(&token), ErrorKind::InvalidSignature);
    }

    #[test]
    fn three_empty_segments_are_malformed() {
        assert_eq!(refused(".."), ErrorKind::Malformed);
    }

    #[test]
    fn empty_string_is_malformed() {
        assert_eq!(refused(""), ErrorKind::Malformed);
    }

    #[test]
    fn valid_token_followed_by_100_000_dots_is_too_long_under_the_default_limit() {
        let token = format!("{}{}", valid().sign(), ".".repeat(100_000));
        assert!(token.len() > jwt_core::DEFAULT_MAX_TOKEN_LEN);
        assert_eq!(refused(&token), ErrorKind::TooLong);
    }

    #[test]
    fn valid_token_followed_by_100_000_dots_is_malformed_under_a_limit_above_its_length() {
        let token = format!("{}{}", valid().sign(), ".".repeat(100_000));
        let validation = at_now().max_token_len(token.len() + 1);
        assert_eq!(refused_under(&token, &validation), ErrorKind::Malformed);
    }

    #[test]
    fn dots_between_every_segment_doubled_are_malformed() {
        let token = valid().sign().replace('.', "..");
        assert_eq!(refused(&token), ErrorKind::Malformed);
    }
}

/// Lenient base64 decoding: the same bytes spelled in more than one way (RFC 8725
/// section 2.6, multiplicity of encodings). `DESIGN.md` decoding rule 2: each segment is
/// strict base64url (RFC 7515 section 2): no `=` padding, no `+` or `/`, no whitespace,
/// canonical trailing bits; anything else is `Malformed`. Each broken token is signed
/// correctly over its exact (broken) segments, and each decodes, with a lenient decoder,
/// to the bytes of an accepted token.
mod base64url {
    use super::*;

    /// The segments of an accepted token whose header and payload lengths are not
    /// multiples of four (so that padding and unused trailing bits apply to all three).
    fn uneven_segments() -> (String, String, String) {
        let token = TokenBuilder::claims(claims_json(r#""n":12"#))
            .header(r#"{"alg":"HS256","kid":"k"}"#)
            .sign();
        accepted(&token);
        let parts = segments(&token);
        for segment in [&parts.0, &parts.1, &parts.2] {
            assert!(
                matches!(segment.len() % 4, 2 | 3),
                "{segment} needs padding"
            );
        }
        parts
    }

    /// `segment` with the padding that standard base64 gives it.
    fn padded(segment: &str) -> String {
        format!("{segment}{}", "=".repeat((4 - segment.len() % 4) % 4))
    }

    /// `segment` with the lowest unused bit of its last character set: a lenient
    /// decoder reads the same bytes from it.
    fn with_non_canonical_tail(segment: &str) -> String {
        let (head, last) = segment.split_at(segment.len() - 1);
        let value = sextet(last.as_bytes()[0]);
        assert_eq!(value & 1, 0, "{segment} is not canonical already");
        format!("{head}{}", char::from(ALPHABET[value | 1]))
    }

    /// Header and payload segments of an accepted token that both contain `url_safe`
    /// (`-` or `_`), found by lengthening a `kid` and a custom claim.
    fn segments_containing(url_safe: char) -> (String, String) {
        for filler in ['>', '?', '~'] {
            for n in 1..16 {
                let value = filler.to_string().repeat(n);
                let header = b64(format!(r#"{{"alg":"HS256","kid":"{value}"}}"#));
                let payload = b64(claims_json(&format!(r#""x":"{value}""#)));
                if header.contains(url_safe) && payload.contains(url_safe) {
                    accepted(&sign_segments(&header, &payload));
                    return (header, payload);
                }
            }
        }
        panic!("no segments with {url_safe}");
    }

    /// An accepted token whose signature segment contains `url_safe`.
    fn token_whose_signature_contains(url_safe: char) -> String {
        let token = (0..1000)
            .map(|n| TokenBuilder::claims(claims_json(&format!(r#""n":{n}"#))).sign())
            .find(|token| segments(token).2.contains(url_safe))
            .expect("some signature contains it");
        accepted(&token);
        token
    }

    #[test]
    fn padding_on_the_header_segment_is_malformed() {
        let (header, payload, _) = uneven_segments();
        let token = sign_segments(&padded(&header), &payload);
        assert_eq!(refused(&token), ErrorKind::Malformed);
    }

    #[test]
    fn padding_on_the_payload_segment_is_malformed() {
        let (header, payload, _) = uneven_segments();
        let token = sign_segments(&header, &padded(&payload));
        assert_eq!(refused(&token), ErrorKind::Malformed);
    }

    #[test]
    fn padding_on_the_signature_segment_is_malformed() {
        let (header, payload, signature) = uneven_segments();
        let token = format!("{header}.{payload}.{}", padded(&signature));
        assert!(token.ends_with('='));
        assert_eq!(refused(&token), ErrorKind::Malformed);
    }

    #[test]
    fn padding_on_a_segment_that_needs_none_is_malformed() {
        let (header, payload, _) = segments(&valid().sign());
        assert_eq!(header.len() % 4, 0);
        let token = sign_segments(&format!("{header}===="), &payload);
        assert_eq!(refused(&token), ErrorKind::Malformed);
    }

    #[test]
    fn plus_in_the_header_segment_is_malformed() {
        let (header, payload) = segments_containing('-');
        let token = sign_segments(&header.replace('-', "+"), &payload);
        assert_eq!(refused(&token), ErrorKind::Malformed);
    }

    #[test]
    fn plus_in_the_payload_segment_is_malformed() {
        let (header, payload) = segments_containing('-');
        let token = sign_segments(&header, &payload.replace('-', "+"));
        assert_eq!(refused(&token), ErrorKind::Malformed);
    }

    #[test]
    fn plus_in_the_signature_segment_is_malformed() {
        let (header, payload, signature) = segments(&token_whose_signature_contains('-'));
        let token = format!("{header}.{payload}.{}", signature.replace('-', "+"));
        assert_eq!(refused(&token), ErrorKind::Malformed);
    }

    #[test]
    fn slash_in_the_header_segment_is_malformed() {
        let (header, payload) = segments_containing('_');
        let token = sign_segments(&header.replace('_', "/"), &payload);
        assert_eq!(refused(&token), ErrorKind::Malformed);
    }

    #[test]
    fn slash_in_the_payload_segment_is_malformed() {
        let (header, payload) = segments_containing('_');
        let token = sign_segments(&header, &payload.replace('_', "/"));
        assert_eq!(refused(&token), ErrorKind::Malformed);
    }

    #[test]
    fn slash_in_the_signature_segment_is_malformed() {
        let (header, payload, signature) = segments(&token_whose_signature_contains('_'));
        let token = format!("{header}.{payload}.{}", signature.replace('_', "/"));
        assert_eq!(refused(&token), ErrorKind::Malformed);
    }

    #[test]
    fn non_zero_trailing_bits_in_the_header_segment_are_malformed() {
        let (header, payload, _) = uneven_segments();
        let token = sign_segments(&with_non_canonical_tail(&header), &payload);
        assert_eq!(refused(&token), ErrorKind::Malformed);
    }

    #[test]
    fn non_zero_trailing_bits_in_the_payload_segment_are_malformed() {
        let (header, payload, _) = uneven_segments();
        let token = sign_segments(&header, &with_non_canonical_tail(&payload));
        assert_eq!(refused(&token), ErrorKind::Malformed);
    }

    #[test]
    fn non_zero_trailing_bits_in_the_signature_segment_are_malformed() {
        let (header, payload, signature) = uneven_segments();
        let token = format!("{header}.{payload}.{}", with_non_canonical_tail(&signature));
        assert_eq!(refused(&token), ErrorKind::Malformed);
    }

    #[test]
    fn space_inside_the_header_segment_is_malformed() {
        let (header, payload, _) = uneven_segments();
        let header = format!("{} {}", &header[..8], &header[8..]);
        assert_eq!(
            refused(&sign_segments(&header, &payload)),
            ErrorKind::Malformed
        );
    }

    #[test]
    fn tab_inside_the_payload_segment_is_malformed() {
        let (header, payload, _) = uneven_segments();
        let payload = format!("{}\t{}", &payload[..8], &payload[8..]);
        assert_eq!(
            refused(&sign_segments(&header, &payload)),
            ErrorKind::Malformed
        );
    }

    #[test]
    fn newline_inside_the_signature_segment_is_malformed() {
        let (header, payload, signature) = uneven_segments();
        let token = format!(
            "{header}.{payload}.{}\n{}",
            &signature[..20],
            &signature[20..]
        );
        assert_eq!(refused(&token), ErrorKind::Malformed);
    }

    #[test]
    fn payload_wrapped_at_76_characters_as_mime_does_is_malformed() {
        let token =
            TokenBuilder::claims(claims_json(&format!(r#""x":"{}""#, "y".repeat(120)))).sign();
        accepted(&token);
        let (header, payload, _) = segments(&token);
        let wrapped: Vec<&str> = payload
            .as_bytes()
            .chunks(76)
            .map(|chunk| std::str::from_utf8(chunk).unwrap())
            .collect();
        assert!(wrapped.len() > 1);
        let token = sign_segments(&header, &wrapped.join("\r\n"));
        assert_eq!(refused(&token), ErrorKind::Malformed);
    }

    #[test]
    fn space_before_the_token_is_malformed() {
        assert_eq!(
            refused(&format!(" {}", valid().sign())),
            ErrorKind::Malformed
        );
    }

    #[test]
    fn tab_before_the_token_is_malformed() {
        assert_eq!(
            refused(&format!("\t{}", valid().sign())),
            ErrorKind::Malformed
        );
    }

    #[test]
    fn newline_after_the_token_is_malformed() {
        assert_eq!(
            refused(&format!("{}\n", valid().sign())),
            ErrorKind::Malformed
        );
    }

    #[test]
    fn crlf_after_the_token_is_malformed() {
        assert_eq!(
            refused(&format!("{}\r\n", valid().sign())),
            ErrorKind::Malformed
        );
    }

    #[test]
    fn space_after_a_dot_is_malformed() {
        let (header, payload, _) = segments(&valid().sign());
        let token = sign_segments(&header, &format!(" {payload}"));
        assert_eq!(refused(&token), ErrorKind::Malformed);
    }

    #[test]
    fn characters_outside_both_alphabets_are_malformed() {
        let (header, payload, _) = uneven_segments();
        assert_each_refused_as(
            ErrorKind::Malformed,
            ['!', '*', '%', '$', '\0', '\u{e9}'].map(|c| {
                (
                    format!("{c:?}"),
                    sign_segments(&format!("{}{c}{}", &header[..4], &header[4..]), &payload),
                )
            }),
        );
    }
}

/// JSON parser differentials: header and payload that different parsers read
/// differently (RFC 8725 sections 2.6 and 3.7; RFC 7515 section 5.2, RFC 8259). `DESIGN.md`
/// decoding rules 3 and 5: both are strict UTF-8 JSON objects, with no byte-order mark,
/// no trailing bytes, no lone surrogate escapes, bounded nesting and no duplicate member
/// names; anything else is `Malformed`. Deep nesting must be refused without a stack
/// overflow (these tests run on the test harness's ordinary thread stack).
mod json {
    use super::*;

    /// A valid payload under `header`, signed correctly.
    fn under_header(header: impl AsRef<[u8]>) -> String {
        valid().header(header).sign()
    }

    /// `payload` under a valid header, signed correctly.
    fn over_payload(payload: impl AsRef<[u8]>) -> String {
        TokenBuilder::claims(payload).sign()
    }

    /// The `exp` member of a valid payload.
    fn exp() -> String {
        format!(r#""exp":{}"#, NOW + 3600)
    }

    /// A validation with no length limit, for tokens whose length is not the point.
    fn no_limit() -> Validation {
        at_now().max_token_len(usize::MAX)
    }

    /// `prefix`, `open` 10,000 times, `middle`, `close` 10,000 times, `suffix`.
    fn nested(prefix: &str, open: &str, middle: &str, close: &str, suffix: &str) -> String {
        format!(
            "{prefix}{}{middle}{}{suffix}",
            open.repeat(10_000),
            close.repeat(10_000)
        )
    }

    #[test]
    fn header_that_is_an_array_is_malformed() {
        let token = under_header(r#"[{"alg":"HS256","typ":"JWT"}]"#);
        assert_eq!(refused(&token), ErrorKind::Malformed);
    }

    #[test]
    fn header_that_is_a_string_is_malformed() {
        assert_eq!(refused(&under_header(r#""HS256""#)), ErrorKind::Malformed);
    }

    #[test]
    fn header_that_is_a_number_is_malformed() {
        assert_eq!(refused(&under_header("256")), ErrorKind::Malformed);
    }

    #[test]
    fn header_that_is_null_is_malformed() {
        assert_eq!(refused(&under_header("null")), ErrorKind::Malformed);
    }

    #[test]
    fn payload_that_is_an_array_is_malformed() {
        let token = over_payload(format!("[{}]", claims_json("")));
        assert_eq!(refused(&token), ErrorKind::Malformed);
    }

    #[test]
    fn payload_that_is_a_string_is_malformed() {
        let token = over_payload(serde_json::to_string(&claims_json("")).unwrap());
        assert_eq!(refused(&token), ErrorKind::Malformed);
    }

    #[test]
    fn payload_that_is_a_number_is_malformed() {
        assert_eq!(
            refused(&over_payload((NOW + 3600).to_string())),
            ErrorKind::Malformed
        );
    }

    #[test]
    fn payload_that_is_null_is_malformed() {
        assert_eq!(refused(&over_payload("null")), ErrorKind::Malformed);
    }

    #[test]
    fn header_with_trailing_bytes_is_malformed() {
        let token = under_header(r#"{"alg":"HS256","typ":"JWT"}{"alg":"none"}"#);
        assert_eq!(refused(&token), ErrorKind::Malformed);
    }

    #[test]
    fn payload_with_trailing_bytes_is_malformed() {
        let payload = format!(r#"{}{{"exp":{}}}"#, claims_json(""), NOW + 7200);
        assert_eq!(refused(&over_payload(payload)), ErrorKind::Malformed);
    }

    #[test]
    fn payload_with_a_trailing_nul_byte_is_malformed() {
        let payload = format!("{}\0", claims_json(""));
        assert_eq!(refused(&over_payload(payload)), ErrorKind::Malformed);
    }

    #[test]
    fn header_with_a_byte_order_mark_is_malformed() {
        let token = under_header("\u{feff}{\"alg\":\"HS256\",\"typ\":\"JWT\"}");
        assert_eq!(refused(&token), ErrorKind::Malformed);
    }

    #[test]
    fn payload_with_a_byte_order_mark_is_malformed() {
        let token = over_payload(format!("\u{feff}{}", claims_json("")));
        assert_eq!(refused(&token), ErrorKind::Malformed);
    }

    #[test]
    fn header_with_invalid_utf8_is_malformed() {
        let mut header = br#"{"alg":"HS256","kid":""#.to_vec();
        header.push(0xff);
        header.extend_from_slice(br#""}"#);
        assert_eq!(refused(&under_header(header)), ErrorKind::Malformed);
    }

    #[test]
    fn payload_with_invalid_utf8_is_malformed() {
        let mut payload = format!(r#"{{{},"name":""#, exp()).into_bytes();
        payload.extend_from_slice(&[0xc3, 0x28]);
        payload.extend_from_slice(br#""}"#);
        assert_eq!(refused(&over_payload(payload)), ErrorKind::Malformed);
    }

    #[test]
    fn payload_with_an_overlong_utf8_slash_is_malformed() {
        let mut payload = format!(r#"{{{},"path":"..."#, exp()).into_bytes();
        payload.extend_from_slice(&[0xc0, 0xaf]);
        payload.extend_from_slice(br#"etc"}"#);
        assert_eq!(refused(&over_payload(payload)), ErrorKind::Malformed);
    }

    #[test]
    fn payload_with_invalid_utf8_in_a_member_name_is_malformed() {
        let mut payload = format!("{{{},\"", exp()).into_bytes();
        payload.push(0xfe);
        payload.extend_from_slice(br#"":1}"#);
        assert_eq!(refused(&over_payload(payload)), ErrorKind::Malformed);
    }

    #[test]
    fn header_with_a_lone_surrogate_escape_is_malformed() {
        let token = under_header(r#"{"alg":"HS256","kid":"\ud800"}"#);
        assert_eq!(refused(&token), ErrorKind::Malformed);
    }

    #[test]
    fn payload_with_a_lone_surrogate_escape_is_malformed() {
        let token = over_payload(format!(r#"{{{},"name":"\ud800"}}"#, exp()));
        assert_eq!(refused(&token), ErrorKind::Malformed);
    }

    #[test]
    fn payload_with_a_lone_low_surrogate_in_a_member_name_is_malformed() {
        let token = over_payload(format!(r#"{{{},"\udc00":1}}"#, exp()));
        assert_eq!(refused(&token), ErrorKind::Malformed);
    }

    #[test]
    fn lone_surrogate_in_a_member_the_typed_claims_ignore_is_malformed() {
        #[derive(Debug, Serialize, Deserialize, Claims)]
        struct ExpOnly {
            exp: NumericDate,
        }
        let token = over_payload(format!(r#"{{{},"ignored":["\ud800"]}}"#, exp()));
        let error = typed_refusal::<ExpOnly>(&token, &at_now());
        assert_eq!(error.kind(), ErrorKind::Malformed);
        typed_accepted::<ExpOnly>(
            &over_payload(format!(r#"{{{},"ignored":["\ud800\udc00"]}}"#, exp())),
            &at_now(),
        );
    }

    #[test]
    fn duplicate_header_member_typ_jwt_then_other_is_malformed() {
        let token = under_header(r#"{"alg":"HS256","typ":"JWT","typ":"at+jwt"}"#);
        assert_eq!(refused(&token), ErrorKind::Malformed);
    }

    #[test]
    fn duplicate_header_member_typ_other_then_jwt_is_malformed() {
        let token = under_header(r#"{"alg":"HS256","typ":"at+jwt","typ":"JWT"}"#);
        assert_eq!(refused(&token), ErrorKind::Malformed);
    }

    #[test]
    fn duplicate_header_extension_member_is_malformed() {
        let token = under_header(r#"{"alg":"HS256","x":1,"x":2}"#);
        assert_eq!(refused(&token), ErrorKind::Malformed);
    }

    #[test]
    fn duplicate_exp_future_then_past_is_malformed() {
        let payload = format!(r#"{{"exp":{},"exp":{}}}"#, NOW + 3600, NOW - 3600);
        assert_eq!(refused(&over_payload(payload)), ErrorKind::Malformed);
    }

    #[test]
    fn duplicate_exp_past_then_future_is_malformed() {
        let payload = format!(r#"{{"exp":{},"exp":{}}}"#, NOW - 3600, NOW + 3600);
        assert_eq!(refused(&over_payload(payload)), ErrorKind::Malformed);
    }

    #[test]
    fn duplicate_sub_user_then_admin_is_malformed() {
        let token = over_payload(claims_json(r#""sub":"alice","sub":"admin""#));
        assert_eq!(refused(&token), ErrorKind::Malformed);
    }

    #[test]
    fn duplicate_sub_admin_then_user_is_malformed() {
        let token = over_payload(claims_json(r#""sub":"admin","sub":"alice""#));
        assert_eq!(refused(&token), ErrorKind::Malformed);
    }

    #[test]
    fn duplicate_exp_spelled_with_an_escape_is_malformed() {
        let payload = format!(r#"{{"exp":{},"\u0065xp":{}}}"#, NOW - 3600, NOW + 3600);
        assert_eq!(refused(&over_payload(payload)), ErrorKind::Malformed);
    }

    #[test]
    fn duplicate_member_in_a_nested_object_is_malformed() {
        let token = over_payload(claims_json(r#""roles":{"admin":false,"admin":true}"#));
        assert_eq!(refused(&token), ErrorKind::Malformed);
    }

    #[test]
    fn duplicate_member_typed_claims_ignore_is_malformed() {
        #[derive(Debug, Serialize, Deserialize, Claims)]
        struct ExpOnly {
            exp: NumericDate,
        }
        let token = over_payload(claims_json(r#""role":"user","role":"admin""#));
        assert_eq!(
            typed_refusal::<ExpOnly>(&token, &at_now()).kind(),
            ErrorKind::Malformed
        );
    }

    #[test]
    fn header_with_arrays_nested_10_000_deep_is_malformed() {
        let header = nested(r#"{"alg":"HS256","x":"#, "[", "0", "]", "}");
        assert_eq!(refused(&under_header(header)), ErrorKind::Malformed);
    }

    #[test]
    fn header_with_objects_nested_10_000_deep_is_malformed() {
        let header = nested(r#"{"alg":"HS256","x":"#, r#"{"a":"#, "0", "}", "}");
        let token = under_header(header);
        assert_eq!(refused_under(&token, &no_limit()), ErrorKind::Malformed);
    }

    #[test]
    fn header_that_is_an_array_nested_10_000_deep_is_malformed() {
        let header = nested("", "[", r#"{"alg":"HS256"}"#, "]", "");
        assert_eq!(refused(&under_header(header)), ErrorKind::Malformed);
    }

    #[test]
    fn payload_with_arrays_nested_10_000_deep_is_malformed() {
        let payload = nested(&format!(r#"{{{},"x":"#, exp()), "[", "0", "]", "}");
        assert_eq!(refused(&over_payload(payload)), ErrorKind::Malformed);
    }

    #[test]
    fn payload_with_objects_nested_10_000_deep_is_malformed() {
        let payload = nested(&format!(r#"{{{},"x":"#, exp()), r#"{"a":"#, "0", "}", "}");
        let token = over_payload(payload);
        assert_eq!(refused_under(&token, &no_limit()), ErrorKind::Malformed);
    }

    #[test]
    fn payload_with_10_000_unclosed_arrays_is_malformed() {
        let payload = format!(r#"{{{},"x":{}"#, exp(), "[".repeat(10_000));
        assert_eq!(refused(&over_payload(payload)), ErrorKind::Malformed);
    }

    #[test]
    fn payload_nested_10_000_deep_in_a_member_typed_claims_ignore_is_malformed() {
        #[derive(Debug, Serialize, Deserialize, Claims)]
        struct ExpOnly {
            exp: NumericDate,
        }
        let payload = nested(&format!(r#"{{{},"x":"#, exp()), "[", "0", "]", "}");
        let error = typed_refusal::<ExpOnly>(&over_payload(payload), &at_now());
        assert_eq!(error.kind(), ErrorKind::Malformed);
    }

    #[test]
    fn payload_nested_32_deep_is_accepted_and_33_deep_is_malformed() {
        // The outer object is level 1; 31 arrays inside it make 32 levels.
        let at = |arrays: usize| {
            over_payload(format!(
                r#"{{{},"x":{}0{}}}"#,
                exp(),
                "[".repeat(arrays),
                "]".repeat(arrays)
            ))
        };
        accepted(&at(31));
        assert_eq!(refused(&at(32)), ErrorKind::Malformed);
    }

    #[test]
    fn number_beyond_f64_in_a_custom_claim_is_malformed() {
        for number in ["9e999", "-9e999", "1e400"] {
            let token = over_payload(format!(r#"{{{},"x":{number}}}"#, exp()));
            assert_eq!(refused(&token), ErrorKind::Malformed, "{number}");
        }
    }

    #[test]
    fn raw_control_character_in_a_string_is_malformed() {
        for control in ["\u{0}", "\u{1f}", "\n", "\t"] {
            let token = over_payload(format!(r#"{{{},"x":"a{control}b"}}"#, exp()));
            assert_eq!(refused(&token), ErrorKind::Malformed, "{control:?}");
            let token = over_payload(format!(r#"{{{},"a{control}b":1}}"#, exp()));
            assert_eq!(refused(&token), ErrorKind::Malformed, "{control:?}");
        }
    }

    /// A field that swallows its own error: the document is refused all the same.
    #[allow(clippy::unnecessary_wraps)] // serde's signature for `deserialize_with`
    fn lenient<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
        Ok(Option::<f64>::deserialize(d).ok().flatten())
    }

    #[test]
    fn broken_value_that_the_claims_type_swallows_is_still_malformed() {
        #[derive(Debug, Serialize, Deserialize, Claims)]
        struct Lenient {
            exp: NumericDate,
            #[serde(default, deserialize_with = "lenient")]
            x: Option<f64>,
        }
        let token = over_payload(format!(r#"{{{},"x":1.5}}"#, exp()));
        assert_eq!(typed_accepted::<Lenient>(&token, &at_now()).x, Some(1.5));
        let token = over_payload(format!(r#"{{{},"x":9e999}}"#, exp()));
        let error = typed_refusal::<Lenient>(&token, &at_now());
        assert_eq!(error.kind(), ErrorKind::Malformed, "{error}");
    }

    #[test]
    fn raw_value_in_the_claims_type_is_refused() {
        #[derive(Debug, Serialize, Deserialize, Claims)]
        struct Raw {
            exp: NumericDate,
            x: Box<serde_json::value::RawValue>,
        }
        let token = over_payload(format!(r#"{{{},"x":[1,2]}}"#, exp()));
        let error = typed_refusal::<Raw>(&token, &at_now());
        assert_eq!(error.kind(), ErrorKind::InvalidClaim, "{error}");
        assert!(error.to_string().contains("RawValue"), "{error}");
    }
}

/// Signature stripping and forgery (RFC 8725 sections 2.1 and 3.3): `DESIGN.md` decoding
/// rule 4: the MAC is checked in constant time over the exact received
/// `header . payload` bytes, else `InvalidSignature`; the signature segment is strict
/// base64url first (rule 2), so a cut that leaves non-canonical bits is `Malformed`.
/// Keys with empty or too short secrets are refused (RFC 7518 section 3.2, RFC 8725
/// section 3.5).
mod signature {
    use super::*;

    /// The correct HS256 MAC of [`valid`].
    fn mac() -> Vec<u8> {
        hmac("HS256", SECRET, valid().signing_input().as_bytes())
    }

    /// [`valid`] with the MAC changed by `edit`.
    fn with_edited_mac(edit: impl FnOnce(&mut Vec<u8>)) -> String {
        let mut mac = mac();
        edit(&mut mac);
        valid().with_signature(&b64(mac))
    }

    /// An accepted token (claims that differ by `n`) cut by the last character of its
    /// signature, where the cut leaves the unused low bits zero (`canonical`) or not.
    fn cut_by_a_character(canonical: bool) -> String {
        (0..1000)
            .map(|n| TokenBuilder::claims(claims_json(&format!(r#""n":{n}"#))).sign())
            .inspect(|token| assert_eq!(segments(token).2.len(), 43))
            .map(|token| token[..token.len() - 1].to_owned())
            .find(|cut| {
                // 42 characters: ten groups of four, then two characters carrying one
                // byte and four unused bits.
                let last = sextet(*cut.as_bytes().last().unwrap());
                (last.trailing_zeros() >= 4) == canonical
            })
            .expect("one in sixteen cuts is canonical")
    }

    #[test]
    fn unchanged_signature_control_is_accepted() {
        accepted(&with_edited_mac(|_| {}));
    }

    #[test]
    fn signature_with_its_first_bit_flipped_is_invalid() {
        let token = with_edited_mac(|mac| mac[0] ^= 0x80);
        assert_eq!(refused(&token), ErrorKind::InvalidSignature);
    }

    #[test]
    fn signature_with_its_last_bit_flipped_is_invalid() {
        let token = with_edited_mac(|mac| mac[31] ^= 0x01);
        assert_eq!(refused(&token), ErrorKind::InvalidSignature);
    }

    #[test]
    fn signature_truncated_by_a_byte_is_invalid() {
        let token = with_edited_mac(|mac| {
            mac.pop();
        });
        assert_eq!(segments(&token).2.len(), 42);
        assert_eq!(refused(&token), ErrorKind::InvalidSignature);
    }

    #[test]
    fn signature_truncated_to_its_first_byte_is_invalid() {
        let token = with_edited_mac(|mac| mac.truncate(1));
        assert_eq!(refused(&token), ErrorKind::InvalidSignature);
    }

    #[test]
    fn signature_cut_by_a_character_with_canonical_bits_is_invalid() {
        let token = cut_by_a_character(true);
        assert_eq!(refused(&token), ErrorKind::InvalidSignature);
    }

    #[test]
    fn signature_cut_by_a_character_with_non_canonical_bits_is_malformed() {
        let token = cut_by_a_character(false);
        assert_eq!(refused(&token), ErrorKind::Malformed);
    }

    #[test]
    fn signature_extended_by_a_byte_is_invalid() {
        let token = with_edited_mac(|mac| mac.push(0));
        assert_eq!(refused(&token), ErrorKind::InvalidSignature);
    }

    #[test]
    fn signature_extended_by_a_character_is_invalid() {
        // 44 characters are 33 whole bytes: valid base64url, a wrong MAC length.
        let token = format!("{}A", valid().sign());
        assert_eq!(refused(&token), ErrorKind::InvalidSignature);
    }

    #[test]
    fn signature_repeated_twice_is_invalid() {
        let token = with_edited_mac(|mac| mac.extend_from_slice(&mac.clone()));
        assert_eq!(refused(&token), ErrorKind::InvalidSignature);
    }

    #[test]
    fn empty_signature_is_invalid() {
        let token = with_edited_mac(Vec::clear);
        assert!(token.ends_with('.'));
        assert_eq!(refused(&token), ErrorKind::InvalidSignature);
    }

    #[test]
    fn all_zero_signature_is_invalid() {
        let token = with_edited_mac(|mac| mac.fill(0));
        assert_eq!(refused(&token), ErrorKind::InvalidSignature);
    }

    #[test]
    fn signature_by_another_key_is_invalid() {
        let token = valid().sign_with("HS256", ATTACKER_SECRET);
        assert_eq!(refused(&token), ErrorKind::InvalidSignature);
    }

    #[test]
    fn signature_with_an_empty_key_is_invalid() {
        let token = valid().sign_with("HS256", b"");
        assert_eq!(refused(&token), ErrorKind::InvalidSignature);
    }

    #[test]
    fn signature_with_an_all_zero_key_is_invalid() {
        let token = valid().sign_with("HS256", &[0; 32]);
        assert_eq!(refused(&token), ErrorKind::InvalidSignature);
    }

    #[test]
    fn hs384_mac_under_an_hs256_header_is_invalid() {
        let token = valid().sign_with("HS384", SECRET);
        assert_eq!(refused(&token), ErrorKind::InvalidSignature);
    }

    #[test]
    fn signature_of_another_token_is_invalid() {
        let other = TokenBuilder::claims(claims_json(r#""sub":"alice""#)).sign();
        let (_, _, signature) = segments(&other);
        let token =
            TokenBuilder::claims(claims_json(r#""sub":"admin""#)).with_signature(&signature);
        assert_eq!(refused(&token), ErrorKind::InvalidSignature);
    }

    #[test]
    fn broken_payload_under_a_bad_signature_is_an_invalid_signature() {
        // The payload is not parsed before the signature is checked.
        let token = TokenBuilder::claims("{not json").with_signature(&b64([0; 32]));
        assert_eq!(refused(&token), ErrorKind::InvalidSignature);
    }

    #[test]
    fn hmac_key_with_an_empty_secret_is_an_invalid_key() {
        assert_eq!(
            HmacKey::hs256(b"").unwrap_err().kind(),
            ErrorKind::InvalidKey
        );
    }

    #[test]
    fn short_secret_key_with_an_empty_secret_is_an_invalid_key() {
        let error = HmacKey::insecure_short_secret(Algorithm::HS256, b"").unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidKey);
    }

    #[test]
    fn hmac_keys_one_byte_short_of_the_hash_are_invalid_keys() {
        assert_eq!(
            HmacKey::hs256([1; 31]).unwrap_err().kind(),
            ErrorKind::InvalidKey
        );
        assert_eq!(
            HmacKey::hs384([1; 47]).unwrap_err().kind(),
            ErrorKind::InvalidKey
        );
        assert_eq!(
            HmacKey::hs512([1; 63]).unwrap_err().kind(),
            ErrorKind::InvalidKey
        );
    }
}

/// Critical header extensions (RFC 7515 section 4.1.11; RFC 7797 `b64`): a library that
/// ignores `crit` processes a token under rules its issuer did not mean. `DESIGN.md`
/// decoding rule 3: this library implements no extension, so any `crit`, in any form,
/// is `CriticalHeader`. The order within rule 3 is: the header parses (else
/// `Malformed`), then `alg` (`AlgorithmMismatch`), then `crit`; all before the signature.
mod crit {
    use super::*;

    /// A valid payload under `header`, signed correctly.
    fn under_header(header: &str) -> String {
        valid().header(header).sign()
    }

    #[test]
    fn crit_naming_an_unknown_extension_is_refused() {
        let token = under_header(r#"{"alg":"HS256","crit":["x-unknown"],"x-unknown":true}"#);
        assert_eq!(refused(&token), ErrorKind::CriticalHeader);
    }

    #[test]
    fn crit_naming_exp_is_refused() {
        let token = under_header(r#"{"alg":"HS256","crit":["exp"],"exp":1}"#);
        assert_eq!(refused(&token), ErrorKind::CriticalHeader);
    }

    #[test]
    fn crit_naming_alg_is_refused() {
        let token = under_header(r#"{"alg":"HS256","crit":["alg"]}"#);
        assert_eq!(refused(&token), ErrorKind::CriticalHeader);
    }

    #[test]
    fn crit_that_is_an_empty_array_is_refused() {
        let token = under_header(r#"{"alg":"HS256","crit":[]}"#);
        assert_eq!(refused(&token), ErrorKind::CriticalHeader);
    }

    #[test]
    fn crit_that_is_a_string_is_refused() {
        let token = under_header(r#"{"alg":"HS256","crit":"b64","b64":false}"#);
        assert_eq!(refused(&token), ErrorKind::CriticalHeader);
    }

    #[test]
    fn crit_that_is_null_an_object_a_boolean_or_a_number_is_refused() {
        for crit in ["null", "{}", "true", "0"] {
            let token = under_header(&format!(r#"{{"alg":"HS256","crit":{crit}}}"#));
            assert_eq!(refused(&token), ErrorKind::CriticalHeader, "{crit}");
        }
    }

    #[test]
    fn b64_false_with_crit_b64_is_refused() {
        // With `b64: false` an RFC 7797 verifier signs `header . raw payload`; this
        // payload is base64url text, so both readings sign the same received bytes.
        let token = under_header(r#"{"alg":"HS256","b64":false,"crit":["b64"]}"#);
        assert_eq!(refused(&token), ErrorKind::CriticalHeader);
    }

    #[test]
    fn detached_b64_false_payload_with_crit_b64_is_refused() {
        // RFC 7515 appendix F: the payload travels separately, the segment is empty.
        let header = b64(r#"{"alg":"HS256","b64":false,"crit":["b64"]}"#);
        let payload = claims_json("");
        let mac = hmac("HS256", SECRET, format!("{header}.{payload}").as_bytes());
        let token = format!("{header}..{}", b64(mac));
        assert_eq!(refused(&token), ErrorKind::CriticalHeader);
    }

    #[test]
    fn crit_spelled_with_an_escape_is_refused() {
        let token = under_header(r#"{"alg":"HS256","\u0063rit":["x-unknown"]}"#);
        assert_eq!(refused(&token), ErrorKind::CriticalHeader);
    }

    #[test]
    fn crit_before_alg_is_refused() {
        let token = under_header(r#"{"crit":["x-unknown"],"alg":"HS256"}"#);
        assert_eq!(refused(&token), ErrorKind::CriticalHeader);
    }

    #[test]
    fn crit_under_a_bad_signature_is_refused_before_the_signature() {
        let token = valid()
            .header(r#"{"alg":"HS256","crit":["x-unknown"]}"#)
            .sign_with("HS256", ATTACKER_SECRET);
        assert_eq!(refused(&token), ErrorKind::CriticalHeader);
    }

    #[test]
    fn crit_with_alg_none_is_an_algorithm_mismatch_as_alg_comes_first() {
        let token = valid()
            .header(r#"{"alg":"none","crit":["x-unknown"]}"#)
            .with_signature("");
        assert_eq!(refused(&token), ErrorKind::AlgorithmMismatch);
    }

    #[test]
    fn crit_with_a_non_string_kid_is_malformed_as_the_header_must_parse_first() {
        let token = under_header(r#"{"alg":"HS256","kid":7,"crit":["x-unknown"]}"#);
        assert_eq!(refused(&token), ErrorKind::Malformed);
    }

    #[test]
    fn duplicate_crit_is_malformed() {
        let token = under_header(r#"{"alg":"HS256","crit":[],"crit":[]}"#);
        assert_eq!(refused(&token), ErrorKind::Malformed);
    }

    #[test]
    fn crit_is_refused_by_decode_header_too() {
        let token = under_header(r#"{"alg":"HS256","crit":["x-unknown"]}"#);
        let error = jwt_core::decode_header(&token).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::CriticalHeader);
    }

    #[test]
    fn crit_in_the_payload_is_only_a_claim() {
        let claims = accepted(&TokenBuilder::claims(claims_json(r#""crit":["exp"]"#)).sign());
        assert_eq!(claims["crit"][0], "exp");
    }
}

/// Key material from the token itself (RFC 8725 sections 2.9 and 3.10; CVE-2018-0114
/// and its kin: `jwk`, `jku`, `x5u`, `x5c` naming the attacker's key; `kid` used as a file
/// path or in SQL). `DESIGN.md` decoding rule 3: header key material is never used, and
/// `kid` only selects among keys the caller supplied; a non-string `kid` is `Malformed`.
/// Per `key.rs`, a single `HmacKey` ignores `kid` entirely, and a key set (any
/// `VerifyingKey`) decides what `kid` means.
mod header_key_material {
    use super::*;

    /// The attacker's secret as a JSON Web Key.
    fn attacker_jwk() -> String {
        format!(r#"{{"kty":"oct","k":"{}"}}"#, b64(ATTACKER_SECRET))
    }

    /// A valid payload under `header`, signed with HS256 under `secret`.
    fn signed_by(header: &str, secret: &[u8]) -> String {
        valid().header(header).sign_with("HS256", secret)
    }

    /// A key set of two HS256 keys selected by `kid`; an unknown or absent `kid` has no
    /// key.
    struct KeySet(Vec<(&'static str, HmacKey)>);

    impl KeySet {
        fn two() -> KeySet {
            KeySet(vec![
                ("2026-a", HmacKey::hs256(SECRET).unwrap()),
                ("2026-b", HmacKey::hs256([0x5a; 32]).unwrap()),
            ])
        }

        fn find(&self, kid: Option<&str>) -> Result<&HmacKey, Error> {
            self.0
                .iter()
                .find(|(id, _)| Some(*id) == kid)
                .map(|(_, key)| key)
                .ok_or_else(|| Error::new(ErrorKind::UnknownKey, "no key for this kid"))
        }
    }

    impl VerifyingKey for KeySet {
        fn algorithm(&self, kid: Option<&str>) -> Result<Algorithm, Error> {
            Ok(self.find(kid)?.algorithm())
        }

        fn verify(&self, kid: Option<&str>, input: &[u8], signature: &[u8]) -> Result<(), Error> {
            VerifyingKey::verify(self.find(kid)?, kid, input, signature)
        }
    }

    /// The kind of the refusal of `token` by [`KeySet::two`].
    fn refused_by_key_set(token: &str) -> ErrorKind {
        jwt_core::decode_with::<Untyped>(token, &KeySet::two(), &at_now())
            .unwrap_err()
            .kind()
    }

    #[test]
    fn embedded_jwk_with_the_attackers_key_is_not_used() {
        let header = format!(r#"{{"alg":"HS256","jwk":{}}}"#, attacker_jwk());
        let token = signed_by(&header, ATTACKER_SECRET);
        assert_eq!(refused(&token), ErrorKind::InvalidSignature);
    }

    #[test]
    fn embedded_jwk_with_a_kid_naming_it_is_not_used() {
        let jwk = format!(
            r#"{{"kty":"oct","kid":"evil","k":"{}"}}"#,
            b64(ATTACKER_SECRET)
        );
        let header = format!(r#"{{"alg":"HS256","kid":"evil","jwk":{jwk}}}"#);
        let token = signed_by(&header, ATTACKER_SECRET);
        assert_eq!(refused(&token), ErrorKind::InvalidSignature);
    }

    #[test]
    fn jku_pointing_at_the_attackers_key_set_is_not_used() {
        let header = r#"{"alg":"HS256","jku":"https://attacker.example/jwks.json"}"#;
        assert_eq!(
            refused(&signed_by(header, ATTACKER_SECRET)),
            ErrorKind::InvalidSignature
        );
    }

    #[test]
    fn x5u_pointing_at_the_attackers_certificate_is_not_used() {
        let header = r#"{"alg":"HS256","x5u":"https://attacker.example/cert.pem"}"#;
        assert_eq!(
            refused(&signed_by(header, ATTACKER_SECRET)),
            ErrorKind::InvalidSignature
        );
    }

    #[test]
    fn x5c_carrying_the_attackers_key_is_not_used() {
        let header = format!(
            r#"{{"alg":"HS256","x5c":["{}"]}}"#,
            base64::Engine::encode(&base64::engine::general_purpose::STANDARD, ATTACKER_SECRET)
        );
        assert_eq!(
            refused(&signed_by(&header, ATTACKER_SECRET)),
            ErrorKind::InvalidSignature
        );
    }

    #[test]
    fn embedded_jwk_is_inert_when_the_right_key_signed() {
        let header = format!(r#"{{"alg":"HS256","jwk":{}}}"#, attacker_jwk());
        let decoded = jwt_tests::decode_untyped(&signed_by(&header, SECRET), &at_now()).unwrap();
        assert_eq!(decoded.header().other["jwk"]["kty"], "oct");
    }

    #[test]
    fn kid_path_traversal_to_dev_null_signed_with_an_empty_secret_is_refused() {
        let header = r#"{"alg":"HS256","kid":"../../../../dev/null"}"#;
        assert_eq!(
            refused(&signed_by(header, b"")),
            ErrorKind::InvalidSignature
        );
    }

    #[test]
    fn kid_path_traversal_to_dev_null_signed_with_an_all_zero_secret_is_refused() {
        let header = r#"{"alg":"HS256","kid":"../../../../dev/null"}"#;
        assert_eq!(
            refused(&signed_by(header, &[0; 32])),
            ErrorKind::InvalidSignature
        );
    }

    #[test]
    fn kid_path_traversal_to_a_public_file_signed_with_its_content_is_refused() {
        let header = r#"{"alg":"HS256","kid":"/proc/sys/kernel/randomize_va_space"}"#;
        assert_eq!(
            refused(&signed_by(header, b"2\n")),
            ErrorKind::InvalidSignature
        );
    }

    #[test]
    fn kid_sql_injection_signed_with_the_selected_text_is_refused() {
        let header = r#"{"alg":"HS256","kid":"x' UNION SELECT 'key"}"#;
        assert_eq!(
            refused(&signed_by(header, b"key")),
            ErrorKind::InvalidSignature
        );
    }

    #[test]
    fn kid_path_traversal_is_refused_by_a_key_set_that_has_no_such_key() {
        let header = r#"{"alg":"HS256","kid":"../../../../dev/null"}"#;
        assert_eq!(
            refused_by_key_set(&signed_by(header, b"")),
            ErrorKind::UnknownKey
        );
    }

    #[test]
    fn kid_sql_injection_is_refused_by_a_key_set_that_has_no_such_key() {
        let header = r#"{"alg":"HS256","kid":"x' UNION SELECT 'key"}"#;
        assert_eq!(
            refused_by_key_set(&signed_by(header, b"key")),
            ErrorKind::UnknownKey
        );
    }

    #[test]
    fn key_set_selects_by_kid_and_refuses_a_token_signed_by_the_other_key() {
        let right = signed_by(r#"{"alg":"HS256","kid":"2026-a"}"#, SECRET);
        assert!(jwt_core::decode_with::<Untyped>(&right, &KeySet::two(), &at_now()).is_ok());
        let wrong = signed_by(r#"{"alg":"HS256","kid":"2026-b"}"#, SECRET);
        assert_eq!(refused_by_key_set(&wrong), ErrorKind::InvalidSignature);
    }

    #[test]
    fn kid_that_is_a_number_is_malformed() {
        let token = signed_by(r#"{"alg":"HS256","kid":1}"#, SECRET);
        assert_eq!(refused(&token), ErrorKind::Malformed);
    }

    #[test]
    fn kid_that_is_null_is_malformed() {
        let token = signed_by(r#"{"alg":"HS256","kid":null}"#, SECRET);
        assert_eq!(refused(&token), ErrorKind::Malformed);
    }

    #[test]
    fn kid_that_is_an_object_is_malformed() {
        let token = signed_by(r#"{"alg":"HS256","kid":{"path":"/dev/null"}}"#, SECRET);
        assert_eq!(refused(&token), ErrorKind::Malformed);
    }

    #[test]
    fn kid_that_is_an_array_is_malformed() {
        let token = signed_by(r#"{"alg":"HS256","kid":["2026-a"]}"#, SECRET);
        assert_eq!(refused(&token), ErrorKind::Malformed);
    }

    #[test]
    fn harmless_kid_is_ignored_by_a_single_key_and_kept_in_the_header() {
        let token = signed_by(r#"{"alg":"HS256","kid":"2026-11"}"#, SECRET);
        let decoded = jwt_tests::decode_untyped(&token, &at_now()).unwrap();
        assert_eq!(decoded.header().kid.as_deref(), Some("2026-11"));
    }

    #[test]
    fn harmless_kid_other_than_the_keys_own_kid_is_ignored_by_a_single_key() {
        let single = key().with_kid("2026-11");
        let token = signed_by(r#"{"alg":"HS256","kid":"2025-01"}"#, SECRET);
        let decoded = jwt_core::decode_with::<Untyped>(&token, &single, &at_now()).unwrap();
        assert_eq!(decoded.header().kid.as_deref(), Some("2025-01"));
    }

    #[test]
    fn hostile_kid_is_inert_when_the_right_key_signed() {
        let token = signed_by(r#"{"alg":"HS256","kid":"../../../../dev/null"}"#, SECRET);
        let decoded = jwt_tests::decode_untyped(&token, &at_now()).unwrap();
        assert_eq!(
            decoded.header().kid.as_deref(),
            Some("../../../../dev/null")
        );
    }
}

/// Registered claims of the wrong JSON type or range, which a lenient library treats as
/// absent, or coerces (RFC 8725 section 3.10; RFC 7519 sections 2 and 4.1; I-JSON, RFC
/// 7493 section 2.2). `DESIGN.md` decoding rule 5: a registered claim of the wrong type
/// is `InvalidClaim`, never "absent", and registered claims are checked whether or not
/// the claims struct has a field for them. Each case runs for untyped claims and for a
/// typed struct without a field for the claim; the error must name the claim.
mod claim_types {
    use super::*;

    /// Typed claims without an `exp` field, accepting a token without `exp`: an `exp` in
    /// the token is checked only because it is a registered claim.
    #[derive(Debug, Serialize, Deserialize, Claims)]
    #[jwt(allow_missing_exp)]
    struct NameOnly {
        name: String,
    }

    /// Typed claims without fields for `nbf`, `iat`, `aud` or `iss`.
    #[derive(Debug, Serialize, Deserialize, Claims)]
    struct ExpAndName {
        exp: NumericDate,
        name: String,
    }

    /// A payload with a custom claim and `exp` as the JSON text `value`.
    fn with_exp(value: &str) -> String {
        format!(r#"{{"name":"alice","exp":{value}}}"#)
    }

    /// A payload with a valid `exp`, a custom claim and `member`.
    fn with_member(member: &str) -> String {
        claims_json(&format!(r#""name":"alice",{member}"#))
    }

    /// Asserts that `payload`, signed correctly, is refused as untyped claims with
    /// `InvalidClaim` naming `claim`.
    #[track_caller]
    fn assert_untyped_invalid(payload: &str, claim: RegisteredClaim, validation: &Validation) {
        let error = refusal_under(&TokenBuilder::claims(payload).sign(), validation);
        assert_eq!(
            (error.kind(), error.claim()),
            (ErrorKind::InvalidClaim, Some(claim)),
            "{error}"
        );
    }

    /// Asserts that `payload`, signed correctly, is refused as `C` with `InvalidClaim`
    /// naming `claim`.
    #[track_caller]
    fn assert_typed_invalid<C>(payload: &str, claim: RegisteredClaim, validation: &Validation)
    where
        C: Claims + DeserializeOwned + Debug,
    {
        let error = typed_refusal::<C>(&TokenBuilder::claims(payload).sign(), validation);
        assert_eq!(
            (error.kind(), error.claim()),
            (ErrorKind::InvalidClaim, Some(claim)),
            "{error}"
        );
    }

    #[test]
    fn typed_controls_accept_well_typed_claims() {
        let sign = |payload: &str| TokenBuilder::claims(payload).sign();
        typed_accepted::<NameOnly>(&sign(r#"{"name":"alice"}"#), &at_now());
        typed_accepted::<NameOnly>(&sign(&with_exp(&(NOW + 60).to_string())), &at_now());
        let members =
            format!(r#""nbf":{NOW},"iat":{NOW},"iss":"https://issuer.example","aud":["a","b"]"#);
        let token = sign(&with_member(&members));
        let validation = at_now().audience("a").issuer("https://issuer.example");
        assert_eq!(
            typed_accepted::<ExpAndName>(&token, &validation).name,
            "alice"
        );
    }

    #[test]
    fn exp_as_a_numeric_string_is_an_invalid_claim_untyped() {
        let payload = with_exp(&format!(r#""{}""#, NOW + 3600));
        assert_untyped_invalid(&payload, RegisteredClaim::Exp, &at_now());
    }

    #[test]
    fn exp_as_a_numeric_string_is_an_invalid_claim_typed_without_an_exp_field() {
        let payload = with_exp(&format!(r#""{}""#, NOW + 3600));
        assert_typed_invalid::<NameOnly>(&payload, RegisteredClaim::Exp, &at_now());
    }

    #[test]
    fn exp_as_a_word_is_an_invalid_claim_untyped() {
        assert_untyped_invalid(&with_exp(r#""never""#), RegisteredClaim::Exp, &at_now());
    }

    #[test]
    fn exp_as_a_word_is_an_invalid_claim_typed_without_an_exp_field() {
        assert_typed_invalid::<NameOnly>(&with_exp(r#""never""#), RegisteredClaim::Exp, &at_now());
    }

    #[test]
    fn exp_as_null_is_an_invalid_claim_untyped() {
        assert_untyped_invalid(&with_exp("null"), RegisteredClaim::Exp, &at_now());
    }

    #[test]
    fn exp_as_null_is_an_invalid_claim_typed_without_an_exp_field() {
        assert_typed_invalid::<NameOnly>(&with_exp("null"), RegisteredClaim::Exp, &at_now());
    }

    #[test]
    fn exp_as_a_boolean_is_an_invalid_claim_untyped() {
        assert_untyped_invalid(&with_exp("true"), RegisteredClaim::Exp, &at_now());
    }

    #[test]
    fn exp_as_a_boolean_is_an_invalid_claim_typed_without_an_exp_field() {
        assert_typed_invalid::<NameOnly>(&with_exp("false"), RegisteredClaim::Exp, &at_now());
    }

    #[test]
    fn exp_as_an_array_is_an_invalid_claim_untyped() {
        let payload = with_exp(&format!("[{}]", NOW + 3600));
        assert_untyped_invalid(&payload, RegisteredClaim::Exp, &at_now());
    }

    #[test]
    fn exp_as_an_array_is_an_invalid_claim_typed_without_an_exp_field() {
        let payload = with_exp(&format!("[{}]", NOW + 3600));
        assert_typed_invalid::<NameOnly>(&payload, RegisteredClaim::Exp, &at_now());
    }

    #[test]
    fn exp_of_9e999_is_an_invalid_claim_untyped() {
        assert_untyped_invalid(&with_exp("9e999"), RegisteredClaim::Exp, &at_now());
    }

    #[test]
    fn exp_of_9e999_is_an_invalid_claim_typed_without_an_exp_field() {
        assert_typed_invalid::<NameOnly>(&with_exp("9e999"), RegisteredClaim::Exp, &at_now());
    }

    #[test]
    fn exp_of_2_pow_64_is_an_invalid_claim_untyped() {
        let payload = with_exp("18446744073709551616");
        assert_untyped_invalid(&payload, RegisteredClaim::Exp, &at_now());
    }

    #[test]
    fn exp_of_2_pow_64_is_an_invalid_claim_typed_without_an_exp_field() {
        let payload = with_exp("18446744073709551616");
        assert_typed_invalid::<NameOnly>(&payload, RegisteredClaim::Exp, &at_now());
    }

    #[test]
    fn exp_of_2_pow_63_minus_1_with_a_huge_leeway_is_an_invalid_claim_untyped() {
        let payload = with_exp(&i64::MAX.to_string());
        let validation = at_now().leeway(u64::MAX);
        assert_untyped_invalid(&payload, RegisteredClaim::Exp, &validation);
    }

    #[test]
    fn exp_of_2_pow_63_minus_1_with_a_huge_leeway_is_an_invalid_claim_typed_without_an_exp_field() {
        let payload = with_exp(&i64::MAX.to_string());
        let validation = at_now().leeway(u64::MAX);
        assert_typed_invalid::<NameOnly>(&payload, RegisteredClaim::Exp, &validation);
    }

    #[test]
    fn nbf_as_a_string_is_an_invalid_claim_untyped() {
        let payload = with_member(&format!(r#""nbf":"{}""#, NOW - 60));
        assert_untyped_invalid(&payload, RegisteredClaim::Nbf, &at_now());
    }

    #[test]
    fn nbf_as_a_string_is_an_invalid_claim_typed_without_an_nbf_field() {
        let payload = with_member(&format!(r#""nbf":"{}""#, NOW - 60));
        assert_typed_invalid::<ExpAndName>(&payload, RegisteredClaim::Nbf, &at_now());
    }

    #[test]
    fn iat_as_a_string_is_an_invalid_claim_untyped() {
        let payload = with_member(&format!(r#""iat":"{}""#, NOW - 60));
        assert_untyped_invalid(&payload, RegisteredClaim::Iat, &at_now());
    }

    #[test]
    fn iat_as_a_string_is_an_invalid_claim_typed_without_an_iat_field() {
        let payload = with_member(&format!(r#""iat":"{}""#, NOW - 60));
        assert_typed_invalid::<ExpAndName>(&payload, RegisteredClaim::Iat, &at_now());
    }

    #[test]
    fn aud_as_a_number_is_an_invalid_claim_untyped() {
        let payload = with_member(r#""aud":1"#);
        assert_untyped_invalid(&payload, RegisteredClaim::Aud, &at_now().audience("1"));
    }

    #[test]
    fn aud_as_a_number_is_an_invalid_claim_typed_without_an_aud_field() {
        let payload = with_member(r#""aud":1"#);
        assert_typed_invalid::<ExpAndName>(&payload, RegisteredClaim::Aud, &at_now().audience("1"));
    }

    #[test]
    fn aud_array_holding_a_number_is_an_invalid_claim_untyped() {
        let payload = with_member(r#""aud":["api",1]"#);
        assert_untyped_invalid(&payload, RegisteredClaim::Aud, &at_now().audience("api"));
    }

    #[test]
    fn aud_array_holding_a_number_is_an_invalid_claim_typed_without_an_aud_field() {
        let payload = with_member(r#""aud":["api",1]"#);
        let validation = at_now().audience("api");
        assert_typed_invalid::<ExpAndName>(&payload, RegisteredClaim::Aud, &validation);
    }

    #[test]
    fn iss_as_an_array_is_an_invalid_claim_untyped() {
        let payload = with_member(r#""iss":["https://issuer.example"]"#);
        let validation = at_now().issuer("https://issuer.example");
        assert_untyped_invalid(&payload, RegisteredClaim::Iss, &validation);
    }

    #[test]
    fn iss_as_an_array_is_an_invalid_claim_typed_without_an_iss_field() {
        let payload = with_member(r#""iss":["https://issuer.example"]"#);
        let validation = at_now().issuer("https://issuer.example");
        assert_typed_invalid::<ExpAndName>(&payload, RegisteredClaim::Iss, &validation);
    }

    #[test]
    fn sub_and_jti_as_numbers_are_invalid_claims_untyped_and_typed() {
        for (member, claim) in [
            (r#""sub":1"#, RegisteredClaim::Sub),
            (r#""jti":1"#, RegisteredClaim::Jti),
        ] {
            assert_untyped_invalid(&with_member(member), claim, &at_now());
            assert_typed_invalid::<ExpAndName>(&with_member(member), claim, &at_now());
        }
    }
}

/// Time-claim edge cases: off-by-one expiry, fractional seconds, values beyond the range
/// JSON carries exactly, and clocks and leeways that overflow naive arithmetic (RFC 7519
/// sections 4.1.4 and 4.1.5; I-JSON, RFC 7493 section 2.2). `DESIGN.md` decoding rule 5:
/// `now < exp + leeway`, `nbf - leeway <= now`, times are rounded down, values outside
/// plus or minus `2^53 - 1` are `InvalidClaim`, and time arithmetic saturates, never
/// panics.
mod time {
    use super::*;

    /// `payload` under a valid header, signed correctly.
    fn over_payload(payload: &str) -> String {
        TokenBuilder::claims(payload).sign()
    }

    /// A token whose `exp` is the JSON text `exp`.
    fn with_exp(exp: &str) -> String {
        over_payload(&format!(r#"{{"exp":{exp}}}"#))
    }

    #[derive(Debug, Serialize, Deserialize, Claims)]
    struct Session {
        exp: NumericDate,
        nbf: Option<NumericDate>,
    }

    #[test]
    fn exp_equal_to_now_is_expired() {
        assert_eq!(refused(&with_exp(&NOW.to_string())), ErrorKind::Expired);
    }

    #[test]
    fn exp_equal_to_now_is_expired_for_typed_claims() {
        let error = typed_refusal::<Session>(&with_exp(&NOW.to_string()), &at_now());
        assert_eq!(error.kind(), ErrorKind::Expired);
    }

    #[test]
    fn exp_one_second_after_now_control_is_accepted() {
        accepted(&with_exp(&(NOW + 1).to_string()));
    }

    #[test]
    fn exp_half_a_second_before_now_is_expired() {
        let token = with_exp(&format!("{}.5", NOW - 1));
        assert_eq!(refused(&token), ErrorKind::Expired);
    }

    #[test]
    fn exp_half_a_second_after_now_rounds_down_to_now_and_is_expired() {
        let token = with_exp(&format!("{NOW}.5"));
        assert_eq!(refused(&token), ErrorKind::Expired);
    }

    #[test]
    fn exp_a_second_and_a_half_after_now_control_is_accepted() {
        accepted(&with_exp(&format!("{}.5", NOW + 1)));
    }

    #[test]
    fn nbf_equal_to_now_is_valid() {
        accepted(&over_payload(&claims_json(&format!(r#""nbf":{NOW}"#))));
    }

    #[test]
    fn nbf_equal_to_now_is_valid_for_typed_claims() {
        let token = over_payload(&claims_json(&format!(r#""nbf":{NOW}"#)));
        let session = typed_accepted::<Session>(&token, &at_now());
        assert_eq!(session.nbf, Some(NumericDate::from_secs(NOW)));
    }

    #[test]
    fn nbf_one_second_after_now_is_not_yet_valid() {
        let token = over_payload(&claims_json(&format!(r#""nbf":{}"#, NOW + 1)));
        assert_eq!(refused(&token), ErrorKind::NotYetValid);
    }

    #[test]
    fn exp_of_2_pow_53_minus_1_with_a_large_leeway_is_valid() {
        let token = with_exp(&MAX_SAFE.to_string());
        accepted_under(&token, &at_now().leeway(u64::MAX));
        accepted_under(&token, &at_now().leeway(1 << 62));
    }

    #[test]
    fn exp_of_2_pow_53_is_an_invalid_claim() {
        let error = refusal(&with_exp(&(MAX_SAFE + 1).to_string()));
        assert_eq!(
            (error.kind(), error.claim()),
            (ErrorKind::InvalidClaim, Some(RegisteredClaim::Exp))
        );
    }

    #[test]
    fn exp_of_2_pow_53_written_as_a_float_is_an_invalid_claim() {
        let token = with_exp("9007199254740992.0");
        assert_eq!(refused(&token), ErrorKind::InvalidClaim);
    }

    #[test]
    fn exp_of_minus_2_pow_53_is_an_invalid_claim() {
        let token = with_exp(&(-MAX_SAFE - 1).to_string());
        assert_eq!(refused(&token), ErrorKind::InvalidClaim);
    }

    #[test]
    fn nbf_of_2_pow_53_is_an_invalid_claim() {
        let token = over_payload(&claims_json(&format!(r#""nbf":{}"#, MAX_SAFE + 1)));
        assert_eq!(refused(&token), ErrorKind::InvalidClaim);
    }

    #[test]
    fn clock_at_i64_max_finds_the_latest_exp_expired() {
        let validation = Validation::new().at(NumericDate::from_secs(i64::MAX));
        let token = with_exp(&MAX_SAFE.to_string());
        assert_eq!(refused_under(&token, &validation), ErrorKind::Expired);
    }

    #[test]
    fn clock_at_i64_min_accepts_a_token_not_yet_expired() {
        let validation = Validation::new().at(NumericDate::from_secs(i64::MIN));
        accepted_under(&with_exp(&(-MAX_SAFE).to_string()), &validation);
    }

    #[test]
    fn clock_at_i64_min_finds_the_earliest_nbf_ahead() {
        let validation = Validation::new().at(NumericDate::from_secs(i64::MIN));
        let token = over_payload(&format!(r#"{{"exp":{MAX_SAFE},"nbf":{}}}"#, -MAX_SAFE));
        assert_eq!(refused_under(&token, &validation), ErrorKind::NotYetValid);
    }

    #[test]
    fn largest_leeway_accepts_the_earliest_exp() {
        let token = with_exp(&(-MAX_SAFE).to_string());
        assert_eq!(refused(&token), ErrorKind::Expired);
        accepted_under(&token, &at_now().leeway(u64::MAX));
    }

    #[test]
    fn largest_leeway_accepts_the_latest_nbf_and_iat() {
        let token = over_payload(&format!(
            r#"{{"exp":{MAX_SAFE},"nbf":{MAX_SAFE},"iat":{MAX_SAFE}}}"#
        ));
        assert_eq!(refused(&token), ErrorKind::NotYetValid);
        accepted_under(&token, &at_now().leeway(u64::MAX));
    }

    #[test]
    fn extreme_clocks_and_leeways_never_panic_and_refuse_only_for_time() {
        let clocks = [
            i64::MIN,
            i64::MIN + 1,
            -MAX_SAFE,
            0,
            NOW,
            MAX_SAFE,
            i64::MAX,
        ];
        let leeways = [None, Some(0), Some(1 << 63), Some(u64::MAX)];
        let times = [-MAX_SAFE, 0, NOW, MAX_SAFE];
        let mut tokens = Vec::new();
        for time in times {
            tokens.push(with_exp(&time.to_string()));
            tokens.push(over_payload(&format!(
                r#"{{"exp":{time},"nbf":{time},"iat":{time}}}"#
            )));
        }
        for clock in clocks {
            for leeway in leeways {
                for max_age in [None, Some(0), Some(u64::MAX)] {
                    let mut validation = Validation::new().at(NumericDate::from_secs(clock));
                    if let Some(leeway) = leeway {
                        validation = validation.leeway(leeway);
                    }
                    if let Some(max_age) = max_age {
                        validation = validation.max_age(max_age);
                    }
                    for token in &tokens {
                        if let Err(error) = jwt_tests::decode_untyped(token, &validation) {
                            assert!(
                                matches!(
                                    error.kind(),
                                    ErrorKind::Expired
                                        | ErrorKind::NotYetValid
                                        | ErrorKind::IssuedInFuture
                                        | ErrorKind::TooOld
                                        | ErrorKind::MissingClaim
                                ),
                                "clock {clock}, leeway {leeway:?}: {error}"
                            );
                        }
                    }
                }
            }
        }
    }
}

/// Issuer and audience confusion: a token for another issuer or audience accepted by
/// near-match or by a missing check (RFC 8725 sections 2.7, 3.8 and 3.9; RFC 7519
/// section 4.1.3). `DESIGN.md` decoding rule 5: exact string equality; a required claim
/// that is absent is `MissingClaim`; a token with an `aud` is refused by a verifier that
/// expects none. Each case runs for the derive attribute and for `Validation`.
mod issuer_and_audience {
    use super::*;

    const ISSUER: &str = "https://issuer.example";
    const AUDIENCE: &str = "api.example";

    #[derive(Debug, Serialize, Deserialize, Claims)]
    #[jwt(iss = "https://issuer.example")]
    struct FromIssuer {
        exp: NumericDate,
    }

    #[derive(Debug, Serialize, Deserialize, Claims)]
    #[jwt(aud = "api.example")]
    struct ForApi {
        exp: NumericDate,
    }

    /// Typed claims that declare no audience.
    #[derive(Debug, Serialize, Deserialize, Claims)]
    struct NoAudience {
        exp: NumericDate,
    }

    /// Typed claims that declare no audience but have a field for one.
    #[derive(Debug, Serialize, Deserialize, Claims)]
    struct AudienceField {
        exp: NumericDate,
        aud: Option<Audience>,
    }

    /// A token with a valid `exp` and `members`, signed correctly.
    fn with(members: &str) -> String {
        TokenBuilder::claims(claims_json(members)).sign()
    }

    /// The refusal kind of `members` for the typed claims `C` at [`NOW`].
    #[track_caller]
    fn derived<C: Claims + DeserializeOwned + Debug>(members: &str) -> ErrorKind {
        typed_refusal::<C>(&with(members), &at_now()).kind()
    }

    /// The refusal kind of `members` for untyped claims expecting [`ISSUER`].
    #[track_caller]
    fn runtime_issuer(members: &str) -> ErrorKind {
        refused_under(&with(members), &at_now().issuer(ISSUER))
    }

    /// The refusal kind of `members` for untyped claims expecting [`AUDIENCE`].
    #[track_caller]
    fn runtime_audience(members: &str) -> ErrorKind {
        refused_under(&with(members), &at_now().audience(AUDIENCE))
    }

    #[test]
    fn exact_issuer_and_audience_controls_are_accepted() {
        let iss = format!(r#""iss":"{ISSUER}""#);
        typed_accepted::<FromIssuer>(&with(&iss), &at_now());
        accepted_under(&with(&iss), &at_now().issuer(ISSUER));
        let aud = format!(r#""aud":["web.example","{AUDIENCE}"]"#);
        typed_accepted::<ForApi>(&with(&aud), &at_now());
        accepted_under(&with(&aud), &at_now().audience(AUDIENCE));
    }

    #[test]
    fn issuer_substring_is_refused_by_the_derive() {
        assert_eq!(
            derived::<FromIssuer>(r#""iss":"https://issuer.exampl""#),
            ErrorKind::InvalidIssuer
        );
    }

    #[test]
    fn issuer_substring_is_refused_by_validation() {
        assert_eq!(
            runtime_issuer(r#""iss":"issuer.example""#),
            ErrorKind::InvalidIssuer
        );
    }

    #[test]
    fn issuer_superstring_is_refused_by_the_derive() {
        assert_eq!(
            derived::<FromIssuer>(r#""iss":"https://issuer.example.attacker.example""#),
            ErrorKind::InvalidIssuer
        );
    }

    #[test]
    fn issuer_superstring_is_refused_by_validation() {
        assert_eq!(
            runtime_issuer(r#""iss":"https://issuer.example/""#),
            ErrorKind::InvalidIssuer
        );
    }

    #[test]
    fn issuer_with_a_trailing_nul_is_refused_by_the_derive_and_validation() {
        let members = r#""iss":"https://issuer.example\u0000""#;
        assert_eq!(derived::<FromIssuer>(members), ErrorKind::InvalidIssuer);
        assert_eq!(runtime_issuer(members), ErrorKind::InvalidIssuer);
    }

    #[test]
    fn empty_issuer_is_refused_by_the_derive() {
        assert_eq!(
            derived::<FromIssuer>(r#""iss":"""#),
            ErrorKind::InvalidIssuer
        );
    }

    #[test]
    fn empty_issuer_is_refused_by_validation() {
        assert_eq!(runtime_issuer(r#""iss":"""#), ErrorKind::InvalidIssuer);
    }

    #[test]
    fn issuer_in_another_case_is_refused_by_the_derive() {
        assert_eq!(
            derived::<FromIssuer>(r#""iss":"https://Issuer.example""#),
            ErrorKind::InvalidIssuer
        );
    }

    #[test]
    fn issuer_in_another_case_is_refused_by_validation() {
        assert_eq!(
            runtime_issuer(r#""iss":"HTTPS://ISSUER.EXAMPLE""#),
            ErrorKind::InvalidIssuer
        );
    }

    #[test]
    fn missing_issuer_is_a_missing_claim_for_the_derive() {
        assert_eq!(derived::<FromIssuer>(""), ErrorKind::MissingClaim);
    }

    #[test]
    fn missing_issuer_is_a_missing_claim_for_validation() {
        assert_eq!(runtime_issuer(""), ErrorKind::MissingClaim);
    }

    #[test]
    fn runtime_issuer_cannot_widen_the_derived_one() {
        let token = with(r#""iss":"https://other.example""#);
        let validation = at_now().issuer("https://other.example");
        let error = typed_refusal::<FromIssuer>(&token, &validation);
        assert_eq!(error.kind(), ErrorKind::InvalidIssuer);
    }

    #[test]
    fn audience_substring_is_refused_by_the_derive() {
        assert_eq!(
            derived::<ForApi>(r#""aud":"api.exampl""#),
            ErrorKind::InvalidAudience
        );
    }

    #[test]
    fn audience_substring_is_refused_by_validation() {
        assert_eq!(
            runtime_audience(r#""aud":"api""#),
            ErrorKind::InvalidAudience
        );
    }

    #[test]
    fn audience_superstring_is_refused_by_the_derive() {
        assert_eq!(
            derived::<ForApi>(r#""aud":"api.example.attacker.example""#),
            ErrorKind::InvalidAudience
        );
    }

    #[test]
    fn audience_superstring_is_refused_by_validation() {
        assert_eq!(
            runtime_audience(r#""aud":"api.example ""#),
            ErrorKind::InvalidAudience
        );
    }

    #[test]
    fn empty_audience_is_refused_by_the_derive() {
        assert_eq!(derived::<ForApi>(r#""aud":"""#), ErrorKind::InvalidAudience);
    }

    #[test]
    fn empty_audience_is_refused_by_validation() {
        assert_eq!(runtime_audience(r#""aud":"""#), ErrorKind::InvalidAudience);
    }

    #[test]
    fn audience_in_another_case_is_refused_by_the_derive() {
        assert_eq!(
            derived::<ForApi>(r#""aud":"API.example""#),
            ErrorKind::InvalidAudience
        );
    }

    #[test]
    fn audience_in_another_case_is_refused_by_validation() {
        assert_eq!(
            runtime_audience(r#""aud":["Api.Example"]"#),
            ErrorKind::InvalidAudience
        );
    }

    #[test]
    fn missing_audience_is_a_missing_claim_for_the_derive() {
        assert_eq!(derived::<ForApi>(""), ErrorKind::MissingClaim);
    }

    #[test]
    fn missing_audience_is_a_missing_claim_for_validation() {
        assert_eq!(runtime_audience(""), ErrorKind::MissingClaim);
    }

    #[test]
    fn empty_audience_array_is_refused_by_the_derive() {
        assert_eq!(derived::<ForApi>(r#""aud":[]"#), ErrorKind::InvalidAudience);
    }

    #[test]
    fn empty_audience_array_is_refused_by_validation() {
        assert_eq!(runtime_audience(r#""aud":[]"#), ErrorKind::InvalidAudience);
    }

    #[test]
    fn audience_array_without_a_match_is_refused_by_the_derive() {
        assert_eq!(
            derived::<ForApi>(r#""aud":["web.example","api.exampl","API.EXAMPLE"]"#),
            ErrorKind::InvalidAudience
        );
    }

    #[test]
    fn audience_array_without_a_match_is_refused_by_validation() {
        assert_eq!(
            runtime_audience(r#""aud":["web.example","api.example.evil"]"#),
            ErrorKind::InvalidAudience
        );
    }

    #[test]
    fn audience_present_while_the_derive_expects_none_is_refused() {
        assert_eq!(
            derived::<NoAudience>(r#""aud":"api.example""#),
            ErrorKind::InvalidAudience
        );
    }

    #[test]
    fn audience_present_while_a_typed_aud_field_expects_none_is_refused() {
        assert_eq!(
            derived::<AudienceField>(r#""aud":["api.example"]"#),
            ErrorKind::InvalidAudience
        );
    }

    #[test]
    fn audience_present_while_validation_expects_none_is_refused() {
        assert_eq!(
            refused(&with(r#""aud":"api.example""#)),
            ErrorKind::InvalidAudience
        );
    }

    #[test]
    fn empty_audience_array_while_none_is_expected_is_refused() {
        assert_eq!(refused(&with(r#""aud":[]"#)), ErrorKind::InvalidAudience);
    }

    #[test]
    fn runtime_audience_cannot_widen_the_derived_one() {
        let token = with(r#""aud":"web.example""#);
        let validation = at_now().audience("web.example");
        let error = typed_refusal::<ForApi>(&token, &validation);
        assert_eq!(error.kind(), ErrorKind::InvalidAudience);
    }
}

/// Resource exhaustion by size (`DESIGN.md` decoding rule 1 and "no input, however large,
/// may allocate without bound"): a token over the limit (64 KiB by default) is `TooLong`
/// before anything of it is split, decoded or verified. Each oversized token below is
/// also shown, under a limit that lets it through, to be broken for another reason (or
/// to be valid), so `TooLong` is seen to come first.
mod size {
    use super::*;

    const TWO_MIB: usize = 2 * 1024 * 1024;

    /// A validation with no length limit.
    fn no_limit() -> Validation {
        at_now().max_token_len(usize::MAX)
    }

    /// A valid payload padded to make the token about 2 MiB.
    fn oversized() -> TokenBuilder {
        let pad = "p".repeat(TWO_MIB * 3 / 4);
        TokenBuilder::claims(claims_json(&format!(r#""pad":"{pad}""#)))
    }

    /// The correctly signed 2 MiB token.
    fn signed() -> String {
        let token = oversized().sign();
        assert!(token.len() > TWO_MIB, "{}", token.len());
        assert!(token.len() < TWO_MIB + 1024, "{}", token.len());
        token
    }

    #[test]
    fn correctly_signed_2_mib_token_is_too_long() {
        assert_eq!(refused(&signed()), ErrorKind::TooLong);
    }

    #[test]
    fn correctly_signed_2_mib_token_is_accepted_when_the_limit_allows_it() {
        let claims = accepted_under(&signed(), &no_limit());
        assert_eq!(claims["pad"].as_str().unwrap().len(), TWO_MIB * 3 / 4);
    }

    #[test]
    fn correctly_signed_2_mib_token_is_too_long_one_byte_over_a_raised_limit() {
        let token = signed();
        let validation = at_now().max_token_len(token.len() - 1);
        assert_eq!(refused_under(&token, &validation), ErrorKind::TooLong);
        accepted_under(&token, &at_now().max_token_len(token.len()));
    }

    #[test]
    fn oversized_token_with_broken_base64_is_too_long() {
        let (header, payload, _) = segments(&signed());
        let token = sign_segments(&header, &format!("!{}", &payload[1..]));
        assert_eq!(refused_under(&token, &no_limit()), ErrorKind::Malformed);
        assert_eq!(refused(&token), ErrorKind::TooLong);
    }

    #[test]
    fn oversized_token_with_a_bad_signature_is_too_long() {
        let token = oversized().sign_with("HS256", ATTACKER_SECRET);
        assert_eq!(
            refused_under(&token, &no_limit()),
            ErrorKind::InvalidSignature
        );
        assert_eq!(refused(&token), ErrorKind::TooLong);
    }

    #[test]
    fn oversized_token_with_alg_none_is_too_long() {
        let token = oversized().header(r#"{"alg":"none"}"#).with_signature("");
        assert_eq!(
            refused_under(&token, &no_limit()),
            ErrorKind::AlgorithmMismatch
        );
        assert_eq!(refused(&token), ErrorKind::TooLong);
    }

    #[test]
    fn oversized_token_with_crit_is_too_long() {
        let token = oversized().header(r#"{"alg":"HS256","crit":[]}"#).sign();
        assert_eq!(
            refused_under(&token, &no_limit()),
            ErrorKind::CriticalHeader
        );
        assert_eq!(refused(&token), ErrorKind::TooLong);
    }

    #[test]
    fn oversized_token_with_broken_json_is_too_long() {
        let token = TokenBuilder::claims(format!("{{{}", "[".repeat(TWO_MIB * 3 / 4))).sign();
        assert_eq!(refused_under(&token, &no_limit()), ErrorKind::Malformed);
        assert_eq!(refused(&token), ErrorKind::TooLong);
    }

    #[test]
    fn two_mib_of_dots_is_too_long() {
        assert_eq!(refused(&".".repeat(TWO_MIB)), ErrorKind::TooLong);
    }

    #[test]
    fn limit_counts_bytes_not_characters() {
        // 20,000 four-byte characters: 80,000 bytes.
        let token = "\u{1f600}".repeat(20_000);
        assert!(token.chars().count() < jwt_core::DEFAULT_MAX_TOKEN_LEN);
        assert_eq!(refused(&token), ErrorKind::TooLong);
    }

    #[test]
    fn oversized_token_is_too_long_for_decode_header_and_unverified_decode() {
        let token = signed();
        let error = jwt_core::decode_header(&token).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::TooLong);
        let error = jwt_core::dangerous_unverified_decode::<Untyped>(&token).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::TooLong);
    }

    #[test]
    fn oversized_token_is_too_long_for_typed_claims() {
        #[derive(Debug, Serialize, Deserialize, Claims)]
        struct Padded {
            exp: NumericDate,
            pad: String,
        }
        let error = typed_refusal::<Padded>(&signed(), &at_now());
        assert_eq!(error.kind(), ErrorKind::TooLong);
        let decoded = typed_accepted::<Padded>(&signed(), &no_limit());
        assert_eq!(decoded.pad.len(), TWO_MIB * 3 / 4);
    }
}

#[cfg(any(
    feature = "rsa",
    feature = "ecdsa",
    feature = "eddsa",
    feature = "aws-lc-rs"
))]
mod key_helpers;

/// Asymmetric keys and key sets (RFC 8725 sections 2.1, 2.5 and 3.1; `DESIGN.md`
/// "Asymmetric keys, JWK and key sets"): algorithm confusion between an RSA public key
/// and an HMAC secret (`PyJWT` CVE-2022-29217, and its kin in every language), RS/PS header
/// swaps on one RSA key, ECDSA signatures in DER or with `r` or `s` out of `[1, n-1]`
/// (CVE-2022-21449, "psychic signatures"), keys on the wrong curve, Ed25519 non-canonical
/// `S` and small-order keys, RSA keys too small or absurdly large, and JWK Sets with
/// duplicate `kid`s, `oct` keys, `use: "enc"`, or tokens whose `kid` selects nothing. The
/// keys are the published ones of RFC 7515, RFC 7520 and RFC 8037 (in `tests/vectors/`),
/// so that nothing here is slow to generate; every token is signed correctly by the key's
/// own private half unless the signature is the point.
#[cfg(any(
    feature = "rsa",
    feature = "ecdsa",
    feature = "eddsa",
    feature = "aws-lc-rs"
))]
mod asymmetric {
    #![cfg_attr(
        not(any(
            all(feature = "rsa", feature = "ecdsa", feature = "eddsa"),
            feature = "aws-lc-rs"
        )),
        allow(unused_imports, dead_code)
    )]

    use jwt_core::{
        Algorithm, Error, ErrorKind, HmacKey, Jwk, JwkSet, KeyPair, PublicKey, SigningKey,
        VerifyingKey,
    };
    use jwt_tests::{Untyped, at_now, b64, claims_json};
    use serde_json::{Value, json};

    use crate::key_helpers::{self, pem_to_der, public_jwk, str_of, unb64, vector};

    /// `header . payload` (JSON texts) signed by `key` over the exact signing input.
    fn signed(key: &KeyPair, header: &str, payload: &str) -> String {
        let input = format!("{}.{}", b64(header), b64(payload));
        let signature = SigningKey::sign(key, input.as_bytes()).expect("the key signs");
        format!("{input}.{}", b64(signature))
    }

    /// A valid payload under `{"alg":ALG}` (and `kid` when given), signed by `key`.
    fn token(key: &KeyPair, alg: &str, kid: Option<&str>) -> String {
        let header = match kid {
            Some(kid) => json!({"alg": alg, "kid": kid}),
            None => json!({"alg": alg}),
        };
        signed(key, &header.to_string(), &claims_json(""))
    }

    /// A token with the header and payload of `token` and the signature `signature`.
    fn resigned(token: &str, signature: &[u8]) -> String {
        let (input, _) = token.rsplit_once('.').expect("three segments");
        format!("{input}.{}", b64(signature))
    }

    /// The result of decoding `token` as untyped claims under `key` at `NOW`.
    fn decode<K: VerifyingKey + ?Sized>(token: &str, key: &K) -> Result<Untyped, Error> {
        jwt_core::decode_with::<Untyped>(token, key, &at_now()).map(jwt_core::Token::into_claims)
    }

    /// The kind of the refusal of `token` under `key`.
    #[track_caller]
    fn refused_by<K: VerifyingKey + ?Sized>(token: &str, key: &K) -> ErrorKind {
        match decode(token, key) {
            Ok(claims) => panic!("accepted {token}: {claims:?}"),
            Err(error) => error.kind(),
        }
    }

    /// The kind of an error that must be there.
    #[track_caller]
    fn kind_of<T: std::fmt::Debug>(result: Result<T, Error>) -> ErrorKind {
        match result {
            Ok(value) => panic!("accepted: {value:?}"),
            Err(error) => error.kind(),
        }
    }

    /// A JWK from JSON text.
    fn jwk_of(value: &Value) -> Jwk {
        serde_json::from_value(value.clone()).expect("a JWK")
    }

    /// The RFC 7520 RSA key pair (section 3.4) for `alg`, read as PKCS#1 PEM.
    #[cfg(any(feature = "rsa", feature = "aws-lc-rs"))]
    fn rsa_pair(alg: Algorithm) -> KeyPair {
        let jwk = vector("rfc7520/3_4.rsa_private_key.json");
        KeyPair::from_pem(alg, &key_helpers::rsa_private_pem_from_jwk(&jwk)).unwrap()
    }

    /// The RFC 7515 appendix A example `section` (A.2 RSA, A.3 P-256, A.4 P-521).
    fn rfc7515(section: &str) -> Value {
        vector("rfc7515/appendix_a.json")["examples"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["section"] == section)
            .unwrap()
            .clone()
    }

    /// Algorithm confusion: an HS256 token whose MAC key is the verifier's RSA public key,
    /// as PEM text (the attacker has it: it is public).
    #[cfg(any(feature = "rsa", feature = "aws-lc-rs"))]
    mod algorithm_confusion {
        use super::*;

        fn public_pem() -> String {
            str_of(&rfc7515("A.2"), "public_spki_pem").to_owned()
        }

        #[test]
        fn hmac_key_refuses_an_rsa_public_key_pem_as_its_secret() {
            let pem = public_pem();
            for result in [
                HmacKey::hs256(&pem),
                HmacKey::hs384(&pem),
                HmacKey::hs512(&pem),
                HmacKey::new(Algorithm::HS256, &pem),
                HmacKey::hs256(pem.trim_end()),
                HmacKey::hs256(pem.replace('\n', "\r\n")),
                HmacKey::insecure_short_secret(Algorithm::HS256, &pem),
            ] {
                assert_eq!(kind_of(result), ErrorKind::InvalidKey);
            }
        }

        #[test]
        fn hmac_key_refuses_other_key_pems_and_ssh_public_keys() {
            let der = pem_to_der(&public_pem());
            let secrets = [
                key_helpers::der_to_pem("RSA PUBLIC KEY", &der),
                str_of(&rfc7515("A.2"), "private_pkcs8_pem").to_owned(),
                key_helpers::der_to_pem("CERTIFICATE", &der),
                key_helpers::der_to_pem("EC PRIVATE KEY", &der),
                format!(
                    "ssh-rsa {} user@host",
                    key_helpers::b64(&der).replace(['-', '_'], "A")
                ),
                format!("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI{} me", "A".repeat(43)),
            ];
            for secret in secrets {
                let error = HmacKey::hs256(&secret).unwrap_err();
                assert_eq!(error.kind(), ErrorKind::InvalidKey, "{secret}");
                assert!(
                    !error.to_string().contains(&secret[30..60]),
                    "the message shows the key: {error}"
                );
            }
            // The seed's PEM-looking secret has an empty body and stays valid.
            assert!(HmacKey::hs256("-----BEGIN PRIVATE KEY----------END PRIVATE KEY-----").is_ok());
        }

        /// A key file as editors and tools write it: with a UTF-8 byte-order mark, or with
        /// explanatory text before the block (RFC 7468 section 5.2; `openssl x509 -text`
        /// and `openssl rsa -text` print one), is still a PEM key.
        #[test]
        fn hmac_key_refuses_a_pem_key_file_with_a_bom_or_explanatory_text() {
            let pem = public_pem();
            let cases = [
                ("byte-order mark", format!("\u{feff}{pem}")),
                (
                    "explanatory text",
                    format!("Public-Key: (2048 bit)\nModulus: ...\n{pem}"),
                ),
                ("a comment line", format!("# the verifier's key\n{pem}")),
            ];
            let accepted: Vec<&str> = cases
                .iter()
                .filter(|(_, secret)| HmacKey::hs256(secret).is_ok())
                .map(|(label, _)| *label)
                .collect();
            assert!(
                accepted.is_empty(),
                "accepted as HMAC secrets: {accepted:?}"
            );
        }

        #[test]
        fn hs256_token_maced_with_the_rsa_public_key_pem_is_refused() {
            let pem = public_pem();
            let forged = jwt_tests::valid().sign_with("HS256", pem.as_bytes());
            let key = PublicKey::from_pem(Algorithm::RS256, &pem).unwrap();
            assert_eq!(refused_by(&forged, &key), ErrorKind::AlgorithmMismatch);
            // Also through a key set holding that key, with and without a kid.
            let set = JwkSet::from_keys([PublicKey::from_pem(Algorithm::RS256, &pem)
                .unwrap()
                .with_kid("rsa")])
            .unwrap();
            assert_eq!(refused_by(&forged, &set), ErrorKind::AlgorithmMismatch);
            let with_kid = jwt_tests::TokenBuilder::claims(claims_json(""))
                .header(r#"{"alg":"HS256","kid":"rsa"}"#)
                .sign_with("HS256", pem.as_bytes());
            assert_eq!(refused_by(&with_kid, &set), ErrorKind::AlgorithmMismatch);
            // And MACed with the DER or the JWK's modulus instead of the PEM text.
            for secret in [
                pem_to_der(&pem),
                unb64(str_of(&rfc7515("A.2")["public_jwk"], "n")),
            ] {
                let forged = jwt_tests::valid().sign_with("HS256", &secret);
                assert_eq!(refused_by(&forged, &key), ErrorKind::AlgorithmMismatch);
            }
        }

        #[test]
        fn an_rsa_jwk_is_not_an_hmac_key_and_an_oct_jwk_is_not_a_public_key() {
            let rsa = jwk_of(&vector("rfc7520/3_3.rsa_public_key.json"));
            assert_eq!(kind_of(HmacKey::from_jwk(&rsa)), ErrorKind::InvalidKey);
            let oct = jwk_of(&json!({"kty": "oct", "alg": "HS256", "k": b64([7u8; 32])}));
            assert_eq!(kind_of(PublicKey::from_jwk(&oct)), ErrorKind::InvalidKey);
            assert!(HmacKey::from_jwk(&oct).is_ok());
            let rs_alg = jwk_of(&json!({"kty": "oct", "alg": "RS256", "k": b64([7u8; 32])}));
            assert_eq!(kind_of(HmacKey::from_jwk(&rs_alg)), ErrorKind::InvalidKey);
        }
    }

    /// Private key material never leaks through `Debug`, `Display` of errors, or a public
    /// JWK (RFC 8725 section 3.2 asks for no more than the key needs to be exposed).
    #[cfg(any(feature = "rsa", feature = "aws-lc-rs"))]
    mod key_material_stays_private {
        use super::*;

        /// Pieces of the RFC 7515 A.2 private key as they appear in its JWK and PEM.
        fn secrets() -> Vec<String> {
            let example = rfc7515("A.2");
            let mut pieces: Vec<String> = ["d", "p", "q", "dp", "dq", "qi"]
                .iter()
                .map(|m| str_of(&example["jwk"], m)[..16].to_owned())
                .collect();
            let pem = str_of(&example, "private_pkcs8_pem");
            pieces.extend(pem.lines().skip(5).take(3).map(|l| l[..16].to_owned()));
            pieces
        }

        #[test]
        fn debug_of_a_key_pair_and_its_public_jwk_show_no_private_material() {
            let example = rfc7515("A.2");
            let pair = KeyPair::from_pem(Algorithm::RS256, str_of(&example, "private_pkcs8_pem"))
                .unwrap()
                .with_kid("k1");
            let shown = [
                format!("{pair:?}"),
                format!("{:?}", pair.public_key()),
                serde_json::to_string(&pair.public_key().to_jwk()).unwrap(),
                format!("{:?}", jwk_of(&example["jwk"])),
            ];
            for text in &shown {
                for secret in secrets() {
                    assert!(!text.contains(&secret), "{secret} shown in {text}");
                }
            }
            let jwk = serde_json::to_value(pair.public_key().to_jwk()).unwrap();
            for member in key_helpers::PRIVATE_MEMBERS {
                assert!(jwk.get(member).is_none(), "{member} in {jwk}");
            }
        }

        #[test]
        fn refusing_a_broken_private_key_shows_none_of_it() {
            let example = rfc7515("A.2");
            let pem = str_of(&example, "private_pkcs8_pem");
            // One body character changed, and the body cut short.
            let changed = pem.replacen('M', "N", 2).replacen("MII", "MIJ", 1);
            let lines: Vec<&str> = pem.lines().collect();
            let cut = [&lines[..6], &lines[lines.len() - 1..]].concat().join("\n");
            let mut refused = 0;
            for broken in [changed, cut] {
                let Err(error) = KeyPair::from_pem(Algorithm::RS256, &broken) else {
                    continue;
                };
                refused += 1;
                assert_eq!(error.kind(), ErrorKind::InvalidKey);
                let message = error.to_string();
                for secret in secrets() {
                    assert!(!message.contains(&secret), "{secret} in {message}");
                }
                for line in broken.lines().skip(1).take(20) {
                    assert!(!message.contains(&line[..line.len().min(24)]), "{message}");
                }
            }
            assert!(refused >= 1, "the cut key must be refused");
        }
    }

    /// One RSA key, two padding schemes: a token signed with PSS by the verifier's own
    /// private key is refused by its RS256 public key, and the other way round; so are the
    /// hash swaps. The algorithm comes from the key, never from the header.
    #[cfg(any(feature = "rsa", feature = "aws-lc-rs"))]
    mod rsa_header_swaps {
        use super::*;

        const RSA_ALGS: [Algorithm; 6] = [
            Algorithm::RS256,
            Algorithm::RS384,
            Algorithm::RS512,
            Algorithm::PS256,
            Algorithm::PS384,
            Algorithm::PS512,
        ];

        #[test]
        fn every_rsa_algorithm_swap_on_one_key_is_an_algorithm_mismatch() {
            let mut checked = 0;
            for signer in RSA_ALGS {
                let token = token(&rsa_pair(signer), signer.as_str(), None);
                for verifier in RSA_ALGS {
                    let key = rsa_pair(verifier).public_key();
                    if signer == verifier {
                        assert!(decode(&token, &key).is_ok(), "{signer}");
                    } else {
                        assert_eq!(
                            refused_by(&token, &key),
                            ErrorKind::AlgorithmMismatch,
                            "{signer} token, {verifier} key"
                        );
                        checked += 1;
                    }
                }
            }
            assert_eq!(checked, 30);
        }

        #[test]
        fn a_ps256_signature_under_an_rs256_header_is_an_invalid_signature() {
            // The header names the key's algorithm; the signature is PSS.
            let rs = rsa_pair(Algorithm::RS256);
            let ps = rsa_pair(Algorithm::PS256);
            let honest = token(&rs, "RS256", None);
            let (input, _) = honest.rsplit_once('.').unwrap();
            let pss = SigningKey::sign(&ps, input.as_bytes()).unwrap();
            let forged = resigned(&honest, &pss);
            assert_eq!(
                refused_by(&forged, &rs.public_key()),
                ErrorKind::InvalidSignature
            );
            assert!(decode(&honest, &rs.public_key()).is_ok());
        }
    }

    /// PSS salt length (RFC 7518 section 3.5: the salt is as long as the hash). A verifier
    /// that takes the salt length from the signature accepts signatures that no JWS signer
    /// makes; these, by the verifier's own RSA key, differ from valid ones only there.
    #[cfg(any(feature = "rsa", feature = "aws-lc-rs"))]
    mod pss_salt {
        use super::*;

        #[test]
        fn pss_signatures_verify_only_with_a_salt_as_long_as_the_hash() {
            let data = vector("generated/pss_salts.json");
            let (mut verified, mut refused) = (0, 0);
            let mut wrong = Vec::new();
            for case in data["signatures"].as_array().unwrap() {
                let alg: Algorithm = str_of(case, "alg").parse().unwrap();
                let key = rsa_pair(alg).public_key();
                let salt = case["salt_len"].as_u64().unwrap();
                let hash = case["hash_len"].as_u64().unwrap();
                let result = VerifyingKey::verify(
                    &key,
                    None,
                    str_of(case, "signing_input").as_bytes(),
                    &unb64(str_of(case, "signature")),
                );
                match (salt == hash, result) {
                    (true, Ok(())) => verified += 1,
                    (false, Err(error)) if error.kind() == ErrorKind::InvalidSignature => {
                        refused += 1;
                    }
                    (_, result) => wrong.push(format!("{alg} salt {salt}: {result:?}")),
                }
            }
            assert!(wrong.is_empty(), "{}", wrong.join("\n"));
            assert_eq!((verified, refused), (3, 15));
        }
    }

    /// RSA key sizes: below 2048 bits refused (RFC 7518 section 3.3), 4096 bits working, and
    /// an absurd modulus refused at once (no unbounded work on a key from the network).
    #[cfg(any(feature = "rsa", feature = "aws-lc-rs"))]
    mod rsa_key_size {
        use std::time::{Duration, Instant};

        use super::*;

        fn generated(name: &str) -> String {
            let path = format!("{}/vectors/generated/{name}", env!("CARGO_MANIFEST_DIR"));
            std::fs::read_to_string(path).unwrap()
        }

        /// An SPKI DER of an RSA public key with modulus `n` and exponent 65537.
        fn rsa_spki(n: &[u8]) -> Vec<u8> {
            use key_helpers::{der, der_sequence, der_uint};
            let algorithm = der_sequence(&[
                vec![
                    0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01,
                ],
                vec![0x05, 0x00],
            ]);
            let key = der_sequence(&[der_uint(n), der_uint(&[1, 0, 1])]);
            let mut bits = vec![0];
            bits.extend(key);
            der_sequence(&[algorithm, der(0x03, &bits)])
        }

        #[test]
        fn rsa_2047_bit_keys_are_refused_in_every_form() {
            let public = generated("rsa2047.pub.pem");
            let private = generated("rsa2047.pem");
            for alg in [Algorithm::RS256, Algorithm::PS256] {
                assert_eq!(
                    kind_of(PublicKey::from_pem(alg, &public)),
                    ErrorKind::InvalidKey
                );
                assert_eq!(
                    kind_of(PublicKey::from_der(alg, &pem_to_der(&public))),
                    ErrorKind::InvalidKey
                );
                assert_eq!(
                    kind_of(KeyPair::from_pem(alg, &private)),
                    ErrorKind::InvalidKey
                );
                assert_eq!(
                    kind_of(KeyPair::from_der(alg, &pem_to_der(&private))),
                    ErrorKind::InvalidKey
                );
            }
        }

        #[test]
        fn rsa_1024_bit_jwk_is_refused() {
            // Wycheproof's `keysize_too_small` key.
            let data = vector("wycheproof/json_web_key_test.json");
            let group = data["testGroups"]
                .as_array()
                .unwrap()
                .iter()
                .find(|g| g["comment"] == "keysize_too_small")
                .unwrap();
            let jwk = &group["private"]["keys"][0];
            assert_eq!(unb64(str_of(jwk, "n")).len(), 128);
            assert_eq!(
                kind_of(PublicKey::from_jwk(&public_jwk(jwk))),
                ErrorKind::InvalidKey
            );
            let pem = key_helpers::rsa_private_pem_from_jwk(jwk);
            assert_eq!(
                kind_of(KeyPair::from_pem(Algorithm::RS256, &pem)),
                ErrorKind::InvalidKey
            );
            let set = json!({"keys": [public_jwk(jwk)]}).to_string();
            match JwkSet::from_json(&set) {
                // Left out (and listed) or the set refused: either way it verifies nothing.
                Ok(set) => assert_eq!(set.len(), 0),
                Err(error) => assert_eq!(error.kind(), ErrorKind::InvalidKey),
            }
        }

        #[test]
        fn rsa_4096_bit_key_signs_and_verifies() {
            let pair = KeyPair::from_pem(Algorithm::PS512, &generated("rsa4096.pem")).unwrap();
            let public =
                PublicKey::from_pem(Algorithm::PS512, &generated("rsa4096.pub.pem")).unwrap();
            let token = token(&pair, "PS512", None);
            assert!(decode(&token, &public).is_ok());
            assert_eq!(pair.public_key().thumbprint(), public.thumbprint());
        }

        #[test]
        fn rsa_8192_bit_key_at_the_documented_bound_verifies() {
            let data = vector("generated/rsa8192_rs256.json");
            let key =
                PublicKey::from_pem(Algorithm::RS256, str_of(&data, "public_spki_pem")).unwrap();
            let input = str_of(&data, "signing_input").as_bytes();
            let signature = unb64(str_of(&data, "signature"));
            assert_eq!(signature.len(), 1024);
            VerifyingKey::verify(&key, None, input, &signature).unwrap();
            let mut flipped = signature.clone();
            flipped[512] ^= 1;
            let error = VerifyingKey::verify(&key, None, input, &flipped).unwrap_err();
            assert_eq!(error.kind(), ErrorKind::InvalidSignature);
        }

        #[test]
        fn oversized_modulus_is_refused_quickly() {
            // 8193 bits (one above the documented 8192-bit bound), 64 KiB and 256 KiB.
            for (bytes, top) in [(1025, 0x01), (64 * 1024, 0xc5), (256 * 1024, 0xc5)] {
                let mut n = vec![0xc5; bytes];
                n[0] = top;
                *n.last_mut().unwrap() |= 1;
                let der = rsa_spki(&n);
                let pem = key_helpers::der_to_pem("PUBLIC KEY", &der);
                let jwk = jwk_of(&json!({"kty": "RSA", "n": b64(&n), "e": "AQAB"}));
                let set =
                    json!({"keys": [{"kty": "RSA", "kid": "big", "n": b64(&n), "e": "AQAB"}]})
                        .to_string();
                // Each load is timed alone: reading the input is linear, and the modulus
                // must be refused for its size before any arithmetic on it.
                let timed = |label: &str, load: &dyn Fn() -> Option<ErrorKind>| {
                    let started = Instant::now();
                    let kind = load();
                    let elapsed = started.elapsed();
                    assert!(
                        elapsed < Duration::from_secs(1),
                        "{label}, {bytes} bytes: {elapsed:?}"
                    );
                    kind
                };
                let der_kind = timed("DER", &|| {
                    PublicKey::from_der(Algorithm::RS256, &der)
                        .err()
                        .map(|e| e.kind())
                });
                let pem_kind = timed("PEM", &|| {
                    PublicKey::from_pem(Algorithm::RS256, &pem)
                        .err()
                        .map(|e| e.kind())
                });
                let jwk_kind = timed("JWK", &|| PublicKey::from_jwk(&jwk).err().map(|e| e.kind()));
                for kind in [der_kind, pem_kind, jwk_kind] {
                    assert_eq!(kind, Some(ErrorKind::InvalidKey), "{bytes} bytes");
                }
                // In a set the key is left out (and listed) or the set refused.
                let set_len = timed("JWK Set", &|| {
                    JwkSet::from_json(&set).map_or(Some(ErrorKind::InvalidKey), |set| {
                        assert_eq!(set.len(), 0);
                        None
                    })
                });
                let _ = set_len;
            }
        }

        #[test]
        fn rsa_keys_are_refused_for_ecdsa_eddsa_and_hmac() {
            let pem = str_of(&rfc7515("A.2"), "public_spki_pem").to_owned();
            for alg in [
                Algorithm::ES256,
                Algorithm::ES512,
                Algorithm::EdDSA,
                Algorithm::HS256,
            ] {
                assert_eq!(
                    kind_of(PublicKey::from_pem(alg, &pem)),
                    ErrorKind::InvalidKey,
                    "{alg}"
                );
            }
            let jwk = jwk_of(&json!({
                "kty": "RSA", "alg": "ES256",
                "n": rfc7515("A.2")["public_jwk"]["n"], "e": "AQAB"
            }));
            assert_eq!(kind_of(PublicKey::from_jwk(&jwk)), ErrorKind::InvalidKey);
        }
    }

    /// ECDSA signature forms (RFC 7518 section 3.4: the raw `r || s`, each as long as the
    /// curve's order) and values (`r`, `s` in `[1, n-1]`; CVE-2022-21449 accepted `r = s =
    /// 0` for any message and key), and keys on the wrong curve.
    #[cfg(any(feature = "ecdsa", feature = "aws-lc-rs"))]
    mod ecdsa {
        use super::*;

        /// The order of P-256, big-endian.
        const N_P256: &str = "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551";
        /// The order of P-521, big-endian, in 66 bytes.
        const N_P521: &str = "01fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffa51868783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e91386409";

        fn p256() -> KeyPair {
            KeyPair::from_pem(
                Algorithm::ES256,
                str_of(&rfc7515("A.3"), "private_pkcs8_pem"),
            )
            .unwrap()
        }

        fn p521() -> KeyPair {
            KeyPair::from_pem(
                Algorithm::ES512,
                str_of(&rfc7515("A.4"), "private_pkcs8_pem"),
            )
            .unwrap()
        }

        /// A DER `ECDSA-Sig-Value` of a raw `r || s`.
        fn to_der(raw: &[u8]) -> Vec<u8> {
            let (r, s) = raw.split_at(raw.len() / 2);
            key_helpers::der_sequence(&[key_helpers::der_uint(r), key_helpers::der_uint(s)])
        }

        #[test]
        fn der_encoded_signatures_are_refused() {
            for (pair, alg) in [(p256(), "ES256"), (p521(), "ES512")] {
                let honest = token(&pair, alg, None);
                let (input, signature) = honest.rsplit_once('.').unwrap();
                let der = to_der(&unb64(signature));
                let forged = resigned(&honest, &der);
                assert_eq!(
                    refused_by(&forged, &pair.public_key()),
                    ErrorKind::InvalidSignature
                );
                let error = VerifyingKey::verify(&pair.public_key(), None, input.as_bytes(), &der)
                    .unwrap_err();
                assert_eq!(error.kind(), ErrorKind::InvalidSignature);
                assert!(decode(&honest, &pair.public_key()).is_ok());
            }
        }

        #[test]
        fn r_or_s_zero_or_not_below_the_order_is_refused() {
            for (pair, alg, order) in [(p256(), "ES256", N_P256), (p521(), "ES512", N_P521)] {
                let n = key_helpers::hex(order);
                let len = n.len();
                let one = {
                    let mut one = vec![0; len];
                    one[len - 1] = 1;
                    one
                };
                let honest = token(&pair, alg, None);
                let (_, signature) = honest.rsplit_once('.').unwrap();
                let signature = unb64(signature);
                let (r, s) = signature.split_at(len);
                let zero = vec![0; len];
                let max = vec![0xff; len];
                let cases: [(&str, Vec<u8>); 9] = [
                    (
                        "r = s = 0 (CVE-2022-21449)",
                        [zero.clone(), zero.clone()].concat(),
                    ),
                    ("r = 0", [zero.clone(), s.to_vec()].concat()),
                    ("s = 0", [r.to_vec(), zero.clone()].concat()),
                    ("r = n", [n.clone(), s.to_vec()].concat()),
                    ("s = n", [r.to_vec(), n.clone()].concat()),
                    ("r = s = n", [n.clone(), n.clone()].concat()),
                    ("r = n, s = 1", [n.clone(), one.clone()].concat()),
                    ("r = all ones", [max.clone(), s.to_vec()].concat()),
                    ("s = all ones", [r.to_vec(), max.clone()].concat()),
                ];
                for (label, forged) in cases {
                    let forged = resigned(&honest, &forged);
                    assert_eq!(
                        refused_by(&forged, &pair.public_key()),
                        ErrorKind::InvalidSignature,
                        "{alg}: {label}"
                    );
                }
            }
        }

        #[test]
        fn signatures_of_the_wrong_length_are_refused() {
            let pair = p256();
            let honest = token(&pair, "ES256", None);
            let (_, signature) = honest.rsplit_once('.').unwrap();
            let signature = unb64(signature);
            let mut longer = vec![0];
            longer.extend(&signature);
            let mut padded = signature.clone();
            padded.push(0);
            let p521_sized = [signature.clone(), vec![0; 68]].concat();
            for (label, forged) in [
                ("empty", vec![]),
                ("63 bytes", signature[1..].to_vec()),
                ("leading zero byte", longer),
                ("trailing zero byte", padded),
                ("132 bytes", p521_sized),
            ] {
                assert_eq!(
                    refused_by(&resigned(&honest, &forged), &pair.public_key()),
                    ErrorKind::InvalidSignature,
                    "{label}"
                );
            }
        }

        #[test]
        fn keys_on_the_wrong_curve_are_refused() {
            let p256_pem = str_of(&rfc7515("A.3"), "public_spki_pem").to_owned();
            let p521_pem = str_of(&rfc7515("A.4"), "public_spki_pem").to_owned();
            let cases = [
                (Algorithm::ES384, &p256_pem),
                (Algorithm::ES512, &p256_pem),
                (Algorithm::ES256, &p521_pem),
                (Algorithm::ES384, &p521_pem),
                (Algorithm::RS256, &p256_pem),
                (Algorithm::PS256, &p256_pem),
                (Algorithm::EdDSA, &p256_pem),
                (Algorithm::HS256, &p256_pem),
            ];
            for (alg, pem) in cases {
                assert_eq!(
                    kind_of(PublicKey::from_pem(alg, pem)),
                    ErrorKind::InvalidKey,
                    "{alg}"
                );
                assert_eq!(
                    kind_of(PublicKey::from_der(alg, &pem_to_der(pem))),
                    ErrorKind::InvalidKey,
                    "{alg}"
                );
            }
            let private = str_of(&rfc7515("A.3"), "private_pkcs8_pem").to_owned();
            for alg in [
                Algorithm::ES384,
                Algorithm::ES512,
                Algorithm::RS256,
                Algorithm::EdDSA,
            ] {
                assert_eq!(
                    kind_of(KeyPair::from_pem(alg, &private)),
                    ErrorKind::InvalidKey,
                    "{alg}"
                );
            }
        }

        #[test]
        fn jwk_whose_alg_or_curve_does_not_fit_is_refused() {
            let p256 = rfc7515("A.3")["public_jwk"].clone();
            let mut cases = Vec::new();
            for alg in [
                "ES384", "ES512", "RS256", "EdDSA", "HS256", "ES256K", "none",
            ] {
                let mut jwk = p256.clone();
                jwk["alg"] = alg.into();
                cases.push((alg.to_owned(), jwk));
            }
            for crv in ["P-384", "P-521", "secp256k1", "Ed25519", "P-256 "] {
                let mut jwk = p256.clone();
                jwk["crv"] = crv.into();
                cases.push((format!("crv {crv}"), jwk));
            }
            let mut off_curve = p256.clone();
            let mut y = unb64(str_of(&p256, "y"));
            y[31] ^= 1;
            off_curve["y"] = b64(y).into();
            cases.push(("point off the curve".into(), off_curve));
            let mut short = p256.clone();
            short["x"] = b64(&unb64(str_of(&p256, "x"))[1..]).into();
            cases.push(("x of 31 bytes".into(), short));
            for (label, jwk) in cases {
                let parsed: Result<Jwk, _> = serde_json::from_value(jwk.clone());
                if let Ok(parsed) = parsed {
                    assert_eq!(
                        kind_of(PublicKey::from_jwk(&parsed)),
                        ErrorKind::InvalidKey,
                        "{label}"
                    );
                }
            }
            // The unchanged key loads, as ES256.
            assert_eq!(
                PublicKey::from_jwk(&jwk_of(&p256)).unwrap().algorithm(),
                Algorithm::ES256
            );
        }

        #[test]
        fn es256_token_is_refused_by_a_p521_key() {
            let token = token(&p256(), "ES256", None);
            assert_eq!(
                refused_by(&token, &p521().public_key()),
                ErrorKind::AlgorithmMismatch
            );
            let other_p256 = KeyPair::generate(Algorithm::ES256).unwrap();
            assert_eq!(
                refused_by(&token, &other_p256.public_key()),
                ErrorKind::InvalidSignature
            );
        }
    }

    /// Ed25519 (RFC 8032 section 5.1.7, strict verification): a non-canonical `S` (`S + L`,
    /// the same scalar modulo the group order) and keys of small order, under which one
    /// forged signature verifies for every message.
    #[cfg(any(feature = "eddsa", feature = "aws-lc-rs"))]
    mod eddsa {
        use super::*;

        /// The order `L` of the Ed25519 base point, little-endian.
        const L: [u8; 32] = [
            0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9,
            0xde, 0x14, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10,
        ];

        fn pair() -> KeyPair {
            let seed = unb64(str_of(
                &vector("rfc8037/ed25519_jws.json")["input"]["key"],
                "d",
            ));
            KeyPair::from_der(Algorithm::EdDSA, &key_helpers::ed25519_pkcs8(&seed)).unwrap()
        }

        /// `a + b`, little-endian, 32 bytes (no overflow for the values used).
        fn add(a: &[u8], b: &[u8]) -> Vec<u8> {
            let mut carry = 0u16;
            a.iter()
                .zip(b)
                .map(|(x, y)| {
                    let sum = u16::from(*x) + u16::from(*y) + carry;
                    carry = sum >> 8;
                    sum.to_le_bytes()[0]
                })
                .collect()
        }

        #[test]
        fn non_canonical_s_is_refused() {
            let pair = pair();
            let honest = token(&pair, "EdDSA", None);
            let (_, signature) = honest.rsplit_once('.').unwrap();
            let signature = unb64(signature);
            let (r, s) = signature.split_at(32);
            assert!(s[31] < 0x10, "a canonical S is below L");
            let s_plus_l = add(s, &L);
            let forged = resigned(&honest, &[r, &s_plus_l].concat());
            assert_eq!(
                refused_by(&forged, &pair.public_key()),
                ErrorKind::InvalidSignature
            );
            assert!(decode(&honest, &pair.public_key()).is_ok());
        }

        /// Encodings of points of small order (RFC 8032 `y` with the sign bit): the
        /// identity (order 1), `y = -1` (order 2), `y = 0` (order 4).
        fn small_order_points() -> [(&'static str, [u8; 32]); 3] {
            let mut identity = [0; 32];
            identity[0] = 1;
            let mut minus_one = [0xff; 32];
            minus_one[0] = 0xec;
            minus_one[31] = 0x7f;
            [
                ("identity", identity),
                ("y = -1", minus_one),
                ("y = 0", [0; 32]),
            ]
        }

        #[test]
        fn small_order_keys_are_refused() {
            let mut identity = [0u8; 32];
            identity[0] = 1;
            for (label, point) in small_order_points() {
                let jwk = jwk_of(&json!({"kty": "OKP", "crv": "Ed25519", "x": b64(point)}));
                let Ok(key) = PublicKey::from_jwk(&jwk) else {
                    // Refused when loaded: that is one way to refuse it.
                    assert_eq!(kind_of(PublicKey::from_jwk(&jwk)), ErrorKind::InvalidKey);
                    continue;
                };
                // Else every signature must fail: `R` the identity and `S = 0` satisfy
                // `[S]B = R + [k]A` for a small-order `A` whatever the message.
                let header = b64(r#"{"alg":"EdDSA"}"#);
                let token = format!(
                    "{header}.{}.{}",
                    b64(claims_json("")),
                    b64([identity, [0; 32]].concat())
                );
                assert_eq!(
                    refused_by(&token, &key),
                    ErrorKind::InvalidSignature,
                    "{label}"
                );
                let (input, _) = token.rsplit_once('.').unwrap();
                for r in small_order_points() {
                    let signature = [r.1, [0; 32]].concat();
                    let error =
                        VerifyingKey::verify(&key, None, input.as_bytes(), &signature).unwrap_err();
                    assert_eq!(
                        error.kind(),
                        ErrorKind::InvalidSignature,
                        "{label}, R {}",
                        r.0
                    );
                }
            }
        }

        #[test]
        fn ed25519_keys_are_refused_for_other_algorithms_and_curves() {
            let jwk = vector("rfc8037/ed25519_jws.json")["input"]["key"].clone();
            for (member, value) in [
                ("alg", "ES256"),
                ("alg", "Ed25519"),
                ("crv", "Ed448"),
                ("crv", "X25519"),
                ("kty", "EC"),
            ] {
                let mut changed = jwk.clone();
                changed[member] = value.into();
                let parsed: Result<Jwk, _> =
                    serde_json::from_value(serde_json::to_value(public_jwk(&changed)).unwrap());
                if let Ok(parsed) = parsed {
                    assert_eq!(
                        kind_of(PublicKey::from_jwk(&parsed)),
                        ErrorKind::InvalidKey,
                        "{member} {value}"
                    );
                }
            }
            let der = key_helpers::ed25519_pkcs8(&[7; 32]);
            assert_eq!(
                kind_of(KeyPair::from_der(Algorithm::ES256, &der)),
                ErrorKind::InvalidKey
            );
        }
    }

    /// JWK Sets (`DESIGN.md`): duplicate `kid`s refuse the set; `oct` keys, `use: "enc"`
    /// and `key_ops` without `verify` are left out and listed; a token's `kid` selects a key,
    /// and no key for it, or no `kid` with several keys, is `UnknownKey`.
    #[cfg(any(feature = "ecdsa", feature = "aws-lc-rs"))]
    mod jwk_sets {
        use super::*;

        /// Three ES256 key pairs, with kids "a", "b", "c".
        fn pairs() -> Vec<KeyPair> {
            ["a", "b", "c"]
                .into_iter()
                .map(|kid| KeyPair::generate(Algorithm::ES256).unwrap().with_kid(kid))
                .collect()
        }

        fn public_jwk_json(pair: &KeyPair) -> Value {
            serde_json::to_value(pair.public_key().to_jwk()).unwrap()
        }

        fn set_of(keys: &[Value]) -> Result<JwkSet, Error> {
            JwkSet::from_json(&json!({ "keys": keys }).to_string())
        }

        #[test]
        fn duplicate_kids_refuse_the_set() {
            let pairs = pairs();
            let mut twin = public_jwk_json(&pairs[1]);
            twin["kid"] = "a".into();
            let keys = [public_jwk_json(&pairs[0]), twin];
            assert_eq!(kind_of(set_of(&keys)), ErrorKind::InvalidKey);
            let from_keys =
                JwkSet::from_keys([pairs[0].public_key(), pairs[1].public_key().with_kid("a")]);
            assert_eq!(kind_of(from_keys), ErrorKind::InvalidKey);
            // The same key twice under one kid is a duplicate too.
            let same = [public_jwk_json(&pairs[0]), public_jwk_json(&pairs[0])];
            assert_eq!(kind_of(set_of(&same)), ErrorKind::InvalidKey);
        }

        #[test]
        fn oct_enc_and_non_verify_keys_are_left_out_of_a_set() {
            let pairs = pairs();
            let mut enc = public_jwk_json(&pairs[1]);
            enc["use"] = "enc".into();
            let mut encrypt_only = public_jwk_json(&pairs[2]);
            encrypt_only.as_object_mut().unwrap().remove("use");
            encrypt_only["key_ops"] = json!(["encrypt"]);
            let oct = json!({"kty": "oct", "kid": "h", "alg": "HS256", "k": b64([9u8; 32])});
            let set = set_of(&[public_jwk_json(&pairs[0]), enc, encrypt_only, oct]).unwrap();
            assert_eq!(set.len(), 1);
            assert!(set.get("a").is_some());
            for kid in ["b", "c", "h"] {
                assert!(set.get(kid).is_none(), "{kid}");
            }
            let skipped: Vec<Option<&str>> = set.skipped().iter().map(|s| s.kid()).collect();
            assert_eq!(skipped, [Some("b"), Some("c"), Some("h")]);
            for skipped in set.skipped() {
                assert!(!skipped.reason().is_empty(), "{skipped}");
            }
            // A token of a left-out key has no key in the set.
            let token = token(&pairs[1], "ES256", Some("b"));
            assert_eq!(refused_by(&token, &set), ErrorKind::UnknownKey);
            // Signed by the key the set holds, the same token verifies.
            assert!(decode(&self::token(&pairs[0], "ES256", Some("a")), &set).is_ok());
        }

        #[test]
        fn keys_whose_alg_does_not_fit_their_type_are_left_out_of_a_set() {
            let pairs = pairs();
            let mut es384 = public_jwk_json(&pairs[1]);
            es384["alg"] = "ES384".into();
            let mut unknown = public_jwk_json(&pairs[2]);
            unknown["alg"] = "ES256K".into();
            let set = set_of(&[public_jwk_json(&pairs[0]), es384, unknown]).unwrap();
            assert_eq!(set.len(), 1);
            let skipped: Vec<Option<&str>> = set.skipped().iter().map(|s| s.kid()).collect();
            assert_eq!(skipped, [Some("b"), Some("c")]);
            let token = token(&pairs[1], "ES256", Some("b"));
            assert_eq!(refused_by(&token, &set), ErrorKind::UnknownKey);
        }

        #[test]
        fn a_single_enc_or_encrypt_only_jwk_is_an_invalid_key() {
            let pair = KeyPair::generate(Algorithm::ES256).unwrap();
            let mut enc = public_jwk_json(&pair);
            enc["use"] = "enc".into();
            assert_eq!(
                kind_of(PublicKey::from_jwk(&jwk_of(&enc))),
                ErrorKind::InvalidKey
            );
            let mut ops = public_jwk_json(&pair);
            ops.as_object_mut().unwrap().remove("use");
            ops["key_ops"] = json!(["sign"]);
            assert_eq!(
                kind_of(PublicKey::from_jwk(&jwk_of(&ops))),
                ErrorKind::InvalidKey
            );
            ops["key_ops"] = json!(["sign", "verify"]);
            assert!(PublicKey::from_jwk(&jwk_of(&ops)).is_ok());
        }

        #[test]
        fn kidless_token_against_several_keys_is_an_unknown_key() {
            let pairs = pairs();
            let set = JwkSet::from_keys(pairs.iter().map(KeyPair::public_key)).unwrap();
            assert_eq!(set.len(), 3);
            let token = token(&pairs[0], "ES256", None);
            assert_eq!(refused_by(&token, &set), ErrorKind::UnknownKey);
            // A set of exactly one key checks a kid-less token.
            let one = JwkSet::from_keys([pairs[0].public_key()]).unwrap();
            assert!(decode(&token, &one).is_ok());
        }

        #[test]
        fn unknown_kid_is_an_unknown_key() {
            let pairs = pairs();
            let set = JwkSet::from_keys(pairs.iter().take(2).map(KeyPair::public_key)).unwrap();
            let token = token(&pairs[2], "ES256", Some("c"));
            assert_eq!(refused_by(&token, &set), ErrorKind::UnknownKey);
            for kid in ["A", "a ", "", "../a"] {
                let token = self::token(&pairs[0], "ES256", Some(kid));
                assert_eq!(refused_by(&token, &set), ErrorKind::UnknownKey, "{kid:?}");
            }
            // Also for a set of one key: a kid that is not its own selects nothing.
            let one = JwkSet::from_keys([pairs[0].public_key()]).unwrap();
            assert_eq!(refused_by(&token, &one), ErrorKind::UnknownKey);
        }

        #[test]
        fn kid_of_one_key_and_signature_of_another_is_an_invalid_signature() {
            let pairs = pairs();
            let set = JwkSet::from_keys(pairs.iter().map(KeyPair::public_key)).unwrap();
            let token = token(&pairs[1], "ES256", Some("a"));
            assert_eq!(refused_by(&token, &set), ErrorKind::InvalidSignature);
            assert!(decode(&self::token(&pairs[1], "ES256", Some("b")), &set).is_ok());
        }

        #[test]
        fn malformed_members_refuse_the_whole_set() {
            let pairs = pairs();
            let good = public_jwk_json(&pairs[0]);
            let mut cases = Vec::new();
            for (member, value) in [
                ("x", json!("not base64url!")),
                ("x", json!("AAAA")),
                ("y", json!(b64([0u8; 32]))),
                ("x", json!(7)),
            ] {
                let mut bad = public_jwk_json(&pairs[1]);
                bad[member] = value;
                cases.push(bad);
            }
            for bad in cases {
                assert_eq!(
                    kind_of(set_of(&[good.clone(), bad.clone()])),
                    ErrorKind::InvalidKey,
                    "{bad}"
                );
            }
            for text in ["", "{}", r#"{"keys":{}}"#, r#"{"keys":[1]}"#, "[]"] {
                assert_eq!(
                    kind_of(JwkSet::from_json(text)),
                    ErrorKind::InvalidKey,
                    "{text}"
                );
            }
        }

        #[test]
        fn a_set_never_uses_the_tokens_own_jwk() {
            let pairs = pairs();
            let set = JwkSet::from_keys([pairs[0].public_key()]).unwrap();
            let attacker = KeyPair::generate(Algorithm::ES256).unwrap();
            let header = json!({"alg": "ES256", "kid": "a", "jwk": public_jwk_json(&attacker)});
            let forged = signed(&attacker, &header.to_string(), &claims_json(""));
            assert_eq!(refused_by(&forged, &set), ErrorKind::InvalidSignature);
        }

        #[test]
        fn a_set_round_trips_through_its_json() {
            let pairs = pairs();
            let set = JwkSet::from_keys(pairs.iter().map(KeyPair::public_key)).unwrap();
            let again = JwkSet::from_json(&set.to_json()).unwrap();
            assert_eq!(again.len(), 3);
            for pair in &pairs {
                let kid = pair.kid().unwrap();
                assert_eq!(
                    again.get(kid).unwrap().thumbprint(),
                    pair.public_key().thumbprint()
                );
                let token = token(pair, "ES256", Some(kid));
                assert!(decode(&token, &again).is_ok(), "{kid}");
            }
            assert_eq!(again.iter().count(), 3);
        }
    }
}
