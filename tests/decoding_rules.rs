//! The decoding rules of the design, one module per rule and in their order: each test
//! builds a token that breaks exactly one rule (and is signed correctly unless the
//! signature is the point) and checks the exact refusal.

use jwt_core::{ErrorKind, NumericDate, RegisteredClaim, Validation};
use jwt_tests::{
    NOW, SECRET, TokenBuilder, accepted, accepted_under, assert_each_refused_as, at_now, b64,
    claims_json, refusal, refusal_under, refused, sign_segments, valid,
};

/// A token signed by a key other than [`jwt_tests::key`].
const OTHER_SECRET: &[u8; 32] = b"another secret, of thirty-two b.";

/// The largest magnitude a `NumericDate` may have in a token: `2^53 - 1`.
const MAX_SAFE: i64 = (1 << 53) - 1;

mod rule_1_length_limit {
    use super::*;

    /// A correctly signed token of exactly `len` bytes: a `pad` claim brings it within a
    /// few bytes, a `kid` of 0 to 3 bytes makes up the rest.
    fn token_of_len(len: usize) -> String {
        let token = |pad: usize, kid: usize| {
            let header = format!(
                r#"{{"alg":"HS256","typ":"JWT","kid":"{}"}}"#,
                "k".repeat(kid)
            );
            let payload = claims_json(&format!(r#""pad":"{}""#, "p".repeat(pad)));
            TokenBuilder::claims(payload).header(header).sign()
        };
        let start = (len.saturating_sub(token(0, 0).len()) * 3 / 4).saturating_sub(8);
        (start..start + 16)
            .flat_map(|pad| (0..4).map(move |kid| (pad, kid)))
            .map(|(pad, kid)| token(pad, kid))
            .find(|token| token.len() == len)
            .expect("a pad and a kid give every length")
    }

    #[test]
    fn default_limit_is_64_kib() {
        assert_eq!(jwt_core::DEFAULT_MAX_TOKEN_LEN, 64 * 1024);
        assert_eq!(Validation::new().token_len_limit(), 64 * 1024);
    }

    #[test]
    fn correctly_signed_token_one_byte_over_64_kib_is_too_long() {
        let token = token_of_len(64 * 1024 + 1);
        assert_eq!(refused(&token), ErrorKind::TooLong);
    }

    #[test]
    fn correctly_signed_token_of_exactly_64_kib_is_accepted() {
        let token = token_of_len(64 * 1024);
        accepted(&token);
    }

    #[test]
    fn correctly_signed_token_far_over_64_kib_is_too_long() {
        let token = token_of_len(1024 * 1024);
        assert_eq!(refused(&token), ErrorKind::TooLong);
    }

    #[test]
    fn lower_limit_refuses_a_token_one_byte_over_it() {
        let token = valid().sign();
        let validation = at_now().max_token_len(token.len() - 1);
        assert_eq!(
            refusal_under(&token, &validation).kind(),
            ErrorKind::TooLong
        );
    }

    #[test]
    fn lower_limit_accepts_a_token_exactly_at_it() {
        let token = valid().sign();
        accepted_under(&token, &at_now().max_token_len(token.len()));
    }

    #[test]
    fn higher_limit_accepts_a_token_beyond_64_kib() {
        let token = token_of_len(100_000);
        assert_eq!(refused(&token), ErrorKind::TooLong);
        accepted_under(&token, &at_now().max_token_len(100_000));
    }

    #[test]
    fn higher_limit_refuses_a_token_one_byte_over_it() {
        let token = token_of_len(100_001);
        let validation = at_now().max_token_len(100_000);
        assert_eq!(
            refusal_under(&token, &validation).kind(),
            ErrorKind::TooLong
        );
    }

    #[test]
    fn over_long_garbage_is_too_long_not_malformed() {
        for garbage in [
            "!".repeat(70_000),
            ".".repeat(70_000),
            "\u{1F600}".repeat(20_000),
        ] {
            assert_eq!(refused(&garbage), ErrorKind::TooLong);
        }
    }

    #[test]
    fn over_long_token_is_too_long_before_its_header_is_read() {
        let token = format!(
            "{}{}",
            valid().header(r#"{"alg":"none"}"#).sign(),
            "x".repeat(70_000)
        );
        assert_eq!(refused(&token), ErrorKind::TooLong);
    }

    #[test]
    fn limit_counts_bytes_not_characters() {
        let token = valid().sign();
        // Two bytes, one character: one byte over the limit.
        let over = format!("{token}\u{e9}");
        let validation = at_now().max_token_len(token.len() + 1);
        assert_eq!(refusal_under(&over, &validation).kind(), ErrorKind::TooLong);
    }
}

mod rule_2_three_strict_base64url_segments {
    use super::*;

    /// The segments of a valid token: header, payload, signature, with the header
    /// and payload lengths not multiples of four (so that padding would apply).
    fn segments() -> (String, String, String) {
        let token = TokenBuilder::claims(claims_json(r#""n":12"#))
            .header(r#"{"alg":"HS256","kid":"k"}"#)
            .sign();
        let mut parts = token.split('.').map(str::to_owned);
        let (header, payload, signature) = (
            parts.next().unwrap(),
            parts.next().unwrap(),
            parts.next().unwrap(),
        );
        for segment in [&header, &payload, &signature] {
            assert_ne!(segment.len() % 4, 0, "{segment} takes no padding");
        }
        (header, payload, signature)
    }

    /// Three tokens, each with one of the segments of [`segments`] changed by `change`,
    /// and signed correctly over the changed segments.
    fn with_each_segment(change: fn(&str) -> String) -> [(&'static str, String); 3] {
        let (header, payload, signature) = segments();
        [
            ("header", sign_segments(&change(&header), &payload)),
            ("payload", sign_segments(&header, &change(&payload))),
            (
                "signature",
                format!("{header}.{payload}.{}", change(&signature)),
            ),
        ]
    }

    /// `segment` with the padding that standard base64 would give it.
    fn padded(segment: &str) -> String {
        format!("{segment}{}", "=".repeat((4 - segment.len() % 4) % 4))
    }

    /// `segment` with a non-zero bit among the unused low bits of its last character:
    /// a lenient decoder reads the same bytes from it.
    fn with_non_canonical_tail(segment: &str) -> String {
        const ALPHABET: &[u8; 64] =
            b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        assert!(
            matches!(segment.len() % 4, 2 | 3),
            "{segment} has no unused bits"
        );
        let (head, last) = segment.split_at(segment.len() - 1);
        let index = ALPHABET
            .iter()
            .position(|c| *c == last.as_bytes()[0])
            .unwrap();
        assert_eq!(index & 1, 0, "{segment} is not canonical already");
        format!("{head}{}", char::from(ALPHABET[index | 1]))
    }

    /// The header and payload segments of a valid token whose `kid` and custom claim
    /// repeat `filler` until both segments contain `url_safe` (`-` or `_`).
    fn segments_containing(url_safe: char, filler: char) -> (String, String) {
        for n in 1..12 {
            let value: String = std::iter::repeat_n(filler, n).collect();
            let header = b64(format!(r#"{{"alg":"HS256","kid":"{value}"}}"#));
            let payload = b64(claims_json(&format!(r#""x":"{value}""#)));
            if header.contains(url_safe) && payload.contains(url_safe) {
                return (header, payload);
            }
        }
        panic!("no segments with {url_safe}");
    }

    /// A valid token whose signature segment contains `url_safe`.
    fn token_whose_signature_contains(url_safe: char) -> String {
        (0..1000)
            .map(|n| TokenBuilder::claims(claims_json(&format!(r#""n":{n}"#))).sign())
            .find(|token| token.rsplit('.').next().unwrap().contains(url_safe))
            .unwrap()
    }

    #[test]
    fn segments_helper_gives_a_valid_token() {
        let (header, payload, signature) = segments();
        accepted(&format!("{header}.{payload}.{signature}"));
        assert_eq!(
            sign_segments(&header, &payload),
            format!("{header}.{payload}.{signature}")
        );
    }

    #[test]
    fn two_segments_are_malformed() {
        let token = valid().sign();
        let (signing_input, _) = token.rsplit_once('.').unwrap();
        assert_eq!(refused(signing_input), ErrorKind::Malformed);
    }

    #[test]
    fn one_segment_is_malformed() {
        assert_eq!(refused(&b64(claims_json(""))), ErrorKind::Malformed);
    }

    #[test]
    fn four_segments_are_malformed() {
        let token = valid().sign();
        let signature = token.rsplit('.').next().unwrap();
        assert_eq!(
            refused(&format!("{token}.{signature}")),
            ErrorKind::Malformed
        );
        let (header, rest) = token.split_once('.').unwrap();
        assert_eq!(
            refused(&format!("{header}.{header}.{rest}")),
            ErrorKind::Malformed
        );
    }

    /// The payload is decoded only after its signature verifies, but rule 2 still comes
    /// before rules 3 and 4: a payload that is not strict base64url is the refusal even
    /// when the header or the signature is wrong too.
    #[test]
    fn broken_payload_segment_is_malformed_before_header_and_signature_rules() {
        let payload = "eyJleHAiOjF9+";
        let cases = [
            (
                "alg none",
                sign_segments(&b64(r#"{"alg":"none"}"#), payload),
            ),
            (
                "crit",
                sign_segments(&b64(r#"{"alg":"HS256","crit":["x"]}"#), payload),
            ),
            (
                "bad signature",
                format!("{}.{payload}.{}", b64(r#"{"alg":"HS256"}"#), b64([0u8; 32])),
            ),
            (
                "right signature",
                sign_segments(&b64(r#"{"alg":"HS256"}"#), payload),
            ),
        ];
        for (label, token) in cases {
            let error = refusal(&token);
            assert_eq!(error.kind(), ErrorKind::Malformed, "{label}: {error}");
            assert!(error.to_string().contains("payload"), "{label}: {error}");
        }
    }

    #[test]
    fn more_than_three_segments_are_named_as_such_whichever_segment_is_broken() {
        let token = valid().sign();
        let (header, rest) = token.split_once('.').unwrap();
        for extra in [
            format!("{token}.{header}"),
            format!("{header}.{header}.{rest}"),
            format!("e==.{header}.{rest}"),
            format!("{token}.x.="),
            format!("{token}{}", ".".repeat(1_000)),
        ] {
            let error = refusal(&extra);
            assert_eq!(error.kind(), ErrorKind::Malformed, "{extra}");
            assert!(
                error.to_string().contains("exactly three segments"),
                "{extra}: {error}"
            );
        }
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
    fn empty_string_is_malformed() {
        assert_eq!(refused(""), ErrorKind::Malformed);
    }

    #[test]
    fn three_empty_segments_are_malformed() {
        assert_eq!(refused(".."), ErrorKind::Malformed);
    }

    #[test]
    fn token_followed_by_100_000_dots_is_malformed() {
        let token = format!("{}{}", valid().sign(), ".".repeat(100_000));
        // Beyond the default limit it is refused before the dots are even counted.
        assert_eq!(refused(&token), ErrorKind::TooLong);
        let validation = at_now().max_token_len(usize::MAX);
        assert_eq!(
            refusal_under(&token, &validation).kind(),
            ErrorKind::Malformed
        );
    }

    #[test]
    fn padding_on_any_segment_is_malformed() {
        assert_each_refused_as(ErrorKind::Malformed, with_each_segment(padded));
    }

    #[test]
    fn padding_on_a_segment_that_needs_none_is_malformed() {
        let token = valid().sign();
        let (header, payload) = token.rsplit_once('.').unwrap().0.split_once('.').unwrap();
        assert_eq!(header.len() % 4, 0);
        let token = sign_segments(&format!("{header}=="), payload);
        assert_eq!(refused(&token), ErrorKind::Malformed);
        let token = sign_segments(&format!("{header}===="), payload);
        assert_eq!(refused(&token), ErrorKind::Malformed);
    }

    #[test]
    fn plus_in_header_or_payload_is_malformed() {
        let (header, payload) = segments_containing('-', '>');
        accepted(&sign_segments(&header, &payload));
        let token = sign_segments(&header.replace('-', "+"), &payload);
        assert_eq!(refused(&token), ErrorKind::Malformed);
        let token = sign_segments(&header, &payload.replace('-', "+"));
        assert_eq!(refused(&token), ErrorKind::Malformed);
    }

    #[test]
    fn slash_in_header_or_payload_is_malformed() {
        let (header, payload) = segments_containing('_', '?');
        accepted(&sign_segments(&header, &payload));
        let token = sign_segments(&header.replace('_', "/"), &payload);
        assert_eq!(refused(&token), ErrorKind::Malformed);
        let token = sign_segments(&header, &payload.replace('_', "/"));
        assert_eq!(refused(&token), ErrorKind::Malformed);
    }

    #[test]
    fn plus_or_slash_in_signature_is_malformed() {
        let token = token_whose_signature_contains('-');
        accepted(&token);
        let (input, signature) = token.rsplit_once('.').unwrap();
        let token = format!("{input}.{}", signature.replace('-', "+"));
        assert_eq!(refused(&token), ErrorKind::Malformed);

        let token = token_whose_signature_contains('_');
        accepted(&token);
        let (input, signature) = token.rsplit_once('.').unwrap();
        let token = format!("{input}.{}", signature.replace('_', "/"));
        assert_eq!(refused(&token), ErrorKind::Malformed);
    }

    #[test]
    fn non_canonical_trailing_bits_in_any_segment_are_malformed() {
        assert_each_refused_as(
            ErrorKind::Malformed,
            with_each_segment(with_non_canonical_tail),
        );
    }

    #[test]
    fn segment_of_impossible_length_is_malformed() {
        // A length of 4n + 1 characters encodes no whole number of bytes.
        let (header, payload, _) = segments();
        let header = format!("{header}{}", "A".repeat(4 - header.len() % 4 + 1));
        assert_eq!(header.len() % 4, 1);
        assert_eq!(
            refused(&sign_segments(&header, &payload)),
            ErrorKind::Malformed
        );
    }

    #[test]
    fn whitespace_around_the_token_is_malformed() {
        let token = valid().sign();
        for around in [
            format!(" {token}"),
            format!("{token} "),
            format!("{token}\n"),
            format!("{token}\r\n"),
            format!("\t{token}"),
        ] {
            assert_eq!(refused(&around), ErrorKind::Malformed, "{around:?}");
        }
    }

    #[test]
    fn whitespace_inside_a_segment_is_malformed() {
        let (header, payload, signature) = segments();
        let split = |segment: &str, ws: &str| format!("{}{ws}{}", &segment[..8], &segment[8..]);
        for ws in [" ", "\n", "\r\n", "\t"] {
            let token = sign_segments(&split(&header, ws), &payload);
            assert_eq!(refused(&token), ErrorKind::Malformed, "header {ws:?}");
            let token = sign_segments(&header, &split(&payload, ws));
            assert_eq!(refused(&token), ErrorKind::Malformed, "payload {ws:?}");
            let token = format!("{header}.{payload}.{}", split(&signature, ws));
            assert_eq!(refused(&token), ErrorKind::Malformed, "signature {ws:?}");
        }
    }

    #[test]
    fn whitespace_beside_the_dots_is_malformed() {
        let (header, payload, signature) = segments();
        let token = sign_segments(&format!("{header} "), &format!(" {payload}"));
        assert_eq!(refused(&token), ErrorKind::Malformed);
        let token = format!("{header}.{payload}. {signature}");
        assert_eq!(refused(&token), ErrorKind::Malformed);
    }

    #[test]
    fn characters_outside_the_alphabet_are_malformed() {
        let (header, payload, signature) = segments();
        for bad in ["!", "*", "\u{e9}", "\0", "%2D"] {
            let token = sign_segments(&format!("{header}{bad}"), &payload);
            assert_eq!(refused(&token), ErrorKind::Malformed, "header {bad:?}");
            let token = format!("{header}.{payload}.{signature}{bad}");
            assert_eq!(refused(&token), ErrorKind::Malformed, "signature {bad:?}");
        }
    }
}

mod rule_3_header {
    use super::*;

    /// A valid payload under `header`, signed with HS256 under the right secret.
    fn under(header: impl AsRef<[u8]>) -> String {
        valid().header(header).sign()
    }

    #[test]
    fn header_that_is_an_array_is_malformed() {
        for header in ["[]", r#"["HS256"]"#, r#"[{"alg":"HS256"}]"#] {
            assert_eq!(refused(&under(header)), ErrorKind::Malformed, "{header}");
        }
    }

    #[test]
    fn header_that_is_a_string_is_malformed() {
        assert_eq!(refused(&under(r#""HS256""#)), ErrorKind::Malformed);
    }

    #[test]
    fn header_that_is_a_number_is_malformed() {
        assert_eq!(refused(&under("256")), ErrorKind::Malformed);
    }

    #[test]
    fn header_that_is_null_or_a_boolean_is_malformed() {
        for header in ["null", "true", "false"] {
            assert_eq!(refused(&under(header)), ErrorKind::Malformed, "{header}");
        }
    }

    #[test]
    fn empty_header_is_malformed() {
        assert_eq!(refused(&under("")), ErrorKind::Malformed);
        assert_eq!(refused(&under("   ")), ErrorKind::Malformed);
    }

    #[test]
    fn header_without_alg_is_malformed() {
        for header in [
            "{}",
            r#"{"typ":"JWT"}"#,
            r#"{"ALG":"HS256"}"#,
            r#"{"alg ":"HS256"}"#,
        ] {
            assert_eq!(refused(&under(header)), ErrorKind::Malformed, "{header}");
        }
    }

    #[test]
    fn alg_that_is_a_number_is_malformed() {
        assert_eq!(refused(&under(r#"{"alg":256}"#)), ErrorKind::Malformed);
    }

    #[test]
    fn alg_that_is_null_is_malformed() {
        assert_eq!(refused(&under(r#"{"alg":null}"#)), ErrorKind::Malformed);
    }

    #[test]
    fn alg_that_is_an_array_is_malformed() {
        assert_eq!(
            refused(&under(r#"{"alg":["HS256"]}"#)),
            ErrorKind::Malformed
        );
    }

    #[test]
    fn alg_that_is_an_object_or_a_boolean_is_malformed() {
        for header in [r#"{"alg":{"name":"HS256"}}"#, r#"{"alg":true}"#] {
            assert_eq!(refused(&under(header)), ErrorKind::Malformed, "{header}");
        }
    }

    #[test]
    fn alg_none_without_signature_is_an_algorithm_mismatch() {
        for alg in ["none", "None", "NONE", "nOnE"] {
            let token = valid()
                .header(format!(r#"{{"alg":"{alg}","typ":"JWT"}}"#))
                .with_signature("");
            assert_eq!(refused(&token), ErrorKind::AlgorithmMismatch, "{alg}");
        }
    }

    #[test]
    fn alg_none_with_a_correct_hs256_signature_is_an_algorithm_mismatch() {
        for alg in ["none", "None", "NONE"] {
            let token = under(format!(r#"{{"alg":"{alg}","typ":"JWT"}}"#));
            assert_eq!(refused(&token), ErrorKind::AlgorithmMismatch, "{alg}");
        }
    }

    #[test]
    fn alg_in_lowercase_is_an_algorithm_mismatch() {
        assert_eq!(
            refused(&under(r#"{"alg":"hs256"}"#)),
            ErrorKind::AlgorithmMismatch
        );
        assert_eq!(
            refused(&under(r#"{"alg":"Hs256"}"#)),
            ErrorKind::AlgorithmMismatch
        );
    }

    #[test]
    fn alg_with_surrounding_space_is_an_algorithm_mismatch() {
        for alg in ["HS256 ", " HS256", "HS256\\n", "HS256\\u0000"] {
            let token = under(format!(r#"{{"alg":"{alg}"}}"#));
            assert_eq!(refused(&token), ErrorKind::AlgorithmMismatch, "{alg}");
        }
    }

    #[test]
    fn empty_alg_is_an_algorithm_mismatch() {
        assert_eq!(
            refused(&under(r#"{"alg":""}"#)),
            ErrorKind::AlgorithmMismatch
        );
    }

    #[test]
    fn alg_written_with_escapes_is_the_same_name() {
        accepted(&under(r#"{"alg":"HS\u0032\u0035\u0036"}"#));
    }

    #[test]
    fn hs384_token_with_a_correct_mac_under_the_same_secret_is_refused_by_an_hs256_key() {
        let token = valid()
            .header(r#"{"alg":"HS384","typ":"JWT"}"#)
            .sign_with("HS384", SECRET);
        assert_eq!(refused(&token), ErrorKind::AlgorithmMismatch);
    }

    #[test]
    fn hs512_token_with_a_correct_mac_under_the_same_secret_is_refused_by_an_hs256_key() {
        let token = valid()
            .header(r#"{"alg":"HS512","typ":"JWT"}"#)
            .sign_with("HS512", SECRET);
        assert_eq!(refused(&token), ErrorKind::AlgorithmMismatch);
    }

    #[test]
    fn asymmetric_alg_over_an_hmac_is_an_algorithm_mismatch() {
        for alg in ["RS256", "ES256", "PS256", "EdDSA"] {
            let token = under(format!(r#"{{"alg":"{alg}"}}"#));
            assert_eq!(refused(&token), ErrorKind::AlgorithmMismatch, "{alg}");
        }
    }

    #[test]
    fn crit_naming_an_unknown_extension_is_refused() {
        let token = under(r#"{"alg":"HS256","crit":["x-unknown"],"x-unknown":1}"#);
        let error = refusal(&token);
        assert_eq!(error.kind(), ErrorKind::CriticalHeader);
        assert_eq!(error.claim(), None);
    }

    #[test]
    fn crit_naming_a_registered_claim_is_refused() {
        let token = under(r#"{"alg":"HS256","crit":["exp"]}"#);
        assert_eq!(refused(&token), ErrorKind::CriticalHeader);
    }

    #[test]
    fn crit_that_is_an_empty_array_is_refused() {
        assert_eq!(
            refused(&under(r#"{"alg":"HS256","crit":[]}"#)),
            ErrorKind::CriticalHeader
        );
    }

    #[test]
    fn crit_that_is_not_an_array_is_refused() {
        for crit in [r#""x-unknown""#, "1", "null", "{}"] {
            let token = under(format!(r#"{{"alg":"HS256","crit":{crit}}}"#));
            assert_eq!(refused(&token), ErrorKind::CriticalHeader, "{crit}");
        }
    }

    #[test]
    fn crit_before_alg_is_refused() {
        let token = under(r#"{"crit":["b64"],"b64":false,"alg":"HS256"}"#);
        assert_eq!(refused(&token), ErrorKind::CriticalHeader);
    }

    #[test]
    fn duplicate_alg_is_malformed() {
        for header in [
            r#"{"alg":"HS256","alg":"HS256"}"#,
            r#"{"alg":"HS256","alg":"none"}"#,
            r#"{"alg":"none","alg":"HS256"}"#,
            r#"{"alg":"HS256","\u0061lg":"HS256"}"#,
        ] {
            assert_eq!(refused(&under(header)), ErrorKind::Malformed, "{header}");
        }
    }

    #[test]
    fn duplicate_members_in_header_are_malformed() {
        for header in [
            r#"{"alg":"HS256","typ":"JWT","typ":"JWT"}"#,
            r#"{"alg":"HS256","kid":"a","kid":"b"}"#,
            r#"{"alg":"HS256","x":1,"x":1}"#,
            r#"{"alg":"HS256","crit":[],"crit":[]}"#,
            r#"{"alg":"HS256","jwk":{"k":"a","k":"b"}}"#,
        ] {
            assert_eq!(refused(&under(header)), ErrorKind::Malformed, "{header}");
        }
    }

    #[test]
    fn header_with_a_byte_order_mark_is_malformed() {
        let token = under(b"\xEF\xBB\xBF{\"alg\":\"HS256\"}");
        assert_eq!(refused(&token), ErrorKind::Malformed);
    }

    #[test]
    fn header_with_trailing_bytes_is_malformed() {
        for header in [
            r#"{"alg":"HS256"}x"#,
            r#"{"alg":"HS256"}{}"#,
            r#"{"alg":"HS256"},"#,
            r#"{"alg":"HS256"}}"#,
            "{\"alg\":\"HS256\"}\0",
        ] {
            assert_eq!(refused(&under(header)), ErrorKind::Malformed, "{header:?}");
        }
    }

    #[test]
    fn header_with_invalid_utf8_is_malformed() {
        for header in [
            &b"{\"alg\":\"HS256\",\"x\":\"\xFF\"}"[..],
            b"{\"alg\":\"HS256\",\"\xFF\":1}",
            b"{\"alg\":\"HS256\",\"kid\":\"\xC0\xAF\"}",
            b"{\"alg\":\"HS256\",\"x\":\"\xED\xA0\x80\"}",
        ] {
            let token = under(header);
            assert_eq!(refused(&token), ErrorKind::Malformed, "{header:?}");
        }
    }

    #[test]
    fn header_with_a_lone_surrogate_escape_is_malformed() {
        for header in [
            r#"{"alg":"HS256","x":"\ud800"}"#,
            r#"{"alg":"HS256","kid":"\udc00"}"#,
            r#"{"alg":"HS256","\ud800":1}"#,
            r#"{"alg":"HS256","x":{"y":["\ud800"]}}"#,
            r#"{"alg":"HS256","crit":["\ud800"]}"#,
        ] {
            assert_eq!(refused(&under(header)), ErrorKind::Malformed, "{header}");
        }
    }

    #[test]
    fn header_nested_10_000_deep_is_malformed() {
        let arrays = format!(
            r#"{{"alg":"HS256","x":{}{}}}"#,
            "[".repeat(10_000),
            "]".repeat(10_000)
        );
        assert_eq!(refused(&under(arrays)), ErrorKind::Malformed);
        let objects = format!(
            r#"{{"alg":"HS256","x":{}1{}}}"#,
            r#"{"a":"#.repeat(10_000),
            "}".repeat(10_000)
        );
        // Five bytes a level: beyond the default length limit, so raise it.
        let validation = at_now().max_token_len(usize::MAX);
        assert_eq!(
            refusal_under(&under(objects), &validation).kind(),
            ErrorKind::Malformed
        );
    }

    #[test]
    fn unclosed_deep_header_is_malformed() {
        let header = format!(r#"{{"alg":"HS256","x":{}"#, "[".repeat(40_000));
        assert_eq!(refused(&under(header)), ErrorKind::Malformed);
    }

    /// The attacker's secret, offered in the header as a JWK.
    const ATTACKER_SECRET: &[u8; 32] = b"the attacker's own 32-byte key!!";

    fn attacker_jwk_header() -> String {
        format!(
            r#"{{"alg":"HS256","jwk":{{"kty":"oct","k":"{}"}}}}"#,
            b64(ATTACKER_SECRET)
        )
    }

    #[test]
    fn jwk_in_header_is_not_used_to_verify() {
        let token = valid()
            .header(attacker_jwk_header())
            .sign_with("HS256", ATTACKER_SECRET);
        assert_eq!(refused(&token), ErrorKind::InvalidSignature);
    }

    #[test]
    fn jwk_in_header_is_ignored_when_the_right_key_signed() {
        let token = valid().header(attacker_jwk_header()).sign();
        let decoded = jwt_tests::decode_untyped(&token, &at_now()).unwrap();
        assert_eq!(decoded.header().other["jwk"]["kty"], "oct");
    }

    #[test]
    fn jku_x5u_and_x5c_in_header_are_not_used_to_verify() {
        for member in [
            r#""jku":"https://attacker.example/jwks.json""#,
            r#""x5u":"https://attacker.example/cert.pem""#,
            r#""x5c":["MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA"]"#,
        ] {
            let header = format!(r#"{{"alg":"HS256",{member}}}"#);
            let forged = valid().header(&header).sign_with("HS256", ATTACKER_SECRET);
            assert_eq!(refused(&forged), ErrorKind::InvalidSignature, "{member}");
            accepted(&valid().header(&header).sign());
        }
    }

    #[test]
    fn kid_does_not_select_another_key_for_a_single_key() {
        let header = r#"{"alg":"HS256","kid":"attacker"}"#;
        let forged = valid().header(header).sign_with("HS256", ATTACKER_SECRET);
        assert_eq!(refused(&forged), ErrorKind::InvalidSignature);
        accepted(&valid().header(header).sign());
    }
}

mod rule_4_signature {
    use super::*;

    /// A valid token with its signature replaced by `edit` of the right one.
    fn with_edited_signature(edit: impl FnOnce(&mut Vec<u8>)) -> String {
        let builder = valid();
        let mut signature = jwt_tests::hmac("HS256", SECRET, builder.signing_input().as_bytes());
        edit(&mut signature);
        builder.with_signature(&b64(signature))
    }

    #[test]
    fn unchanged_signature_is_accepted() {
        accepted(&with_edited_signature(|_| {}));
    }

    #[test]
    fn signature_with_its_first_bit_flipped_is_invalid() {
        let token = with_edited_signature(|signature| signature[0] ^= 0x80);
        assert_eq!(refused(&token), ErrorKind::InvalidSignature);
    }

    #[test]
    fn signature_with_its_last_bit_flipped_is_invalid() {
        let token = with_edited_signature(|signature| *signature.last_mut().unwrap() ^= 0x01);
        assert_eq!(refused(&token), ErrorKind::InvalidSignature);
    }

    #[test]
    fn truncated_signature_is_invalid() {
        let token = with_edited_signature(|signature| {
            signature.pop();
        });
        assert_eq!(refused(&token), ErrorKind::InvalidSignature);
        let token = with_edited_signature(|signature| signature.truncate(16));
        assert_eq!(refused(&token), ErrorKind::InvalidSignature);
        let token = with_edited_signature(|signature| signature.truncate(1));
        assert_eq!(refused(&token), ErrorKind::InvalidSignature);
    }

    #[test]
    fn signature_extended_by_a_byte_is_invalid() {
        let token = with_edited_signature(|signature| signature.push(0));
        assert_eq!(refused(&token), ErrorKind::InvalidSignature);
    }

    #[test]
    fn signature_repeated_twice_is_invalid() {
        let token = with_edited_signature(|signature| signature.extend(signature.clone()));
        assert_eq!(refused(&token), ErrorKind::InvalidSignature);
    }

    #[test]
    fn empty_signature_is_invalid() {
        assert_eq!(
            refused(&valid().with_signature("")),
            ErrorKind::InvalidSignature
        );
    }

    #[test]
    fn all_zero_signature_is_invalid() {
        let token = with_edited_signature(|signature| signature.fill(0));
        assert_eq!(refused(&token), ErrorKind::InvalidSignature);
    }

    #[test]
    fn signature_under_another_key_is_invalid() {
        let token = valid().sign_with("HS256", OTHER_SECRET);
        assert_eq!(refused(&token), ErrorKind::InvalidSignature);
    }

    #[test]
    fn signature_of_another_token_is_invalid() {
        let other = TokenBuilder::claims(claims_json(r#""admin":true"#)).sign();
        let signature = other.rsplit('.').next().unwrap();
        let token = valid().with_signature(signature);
        assert_eq!(refused(&token), ErrorKind::InvalidSignature);
    }

    #[test]
    fn signature_over_the_same_json_encoded_differently_is_invalid() {
        // Same header JSON value, different bytes: the MAC covers the bytes received.
        let original = valid().sign();
        let signature = original.rsplit('.').next().unwrap();
        let token = valid()
            .header(r#"{"typ":"JWT","alg":"HS256"}"#)
            .with_signature(signature);
        assert_eq!(refused(&token), ErrorKind::InvalidSignature);
    }

    #[test]
    fn payload_is_not_parsed_before_the_signature() {
        for payload in [
            &br#"{"exp":"#[..],
            b"[]",
            b"not json",
            b"\xEF\xBB\xBF{}",
            b"{\"x\":\"\xFF\"}",
            br#"{"exp":1,"exp":1}"#,
            br#"{"exp":"tomorrow"}"#,
            br#"{"exp":1}"#,
            br#"{"x":"\ud800"}"#,
        ] {
            let token = TokenBuilder::claims(payload).sign_with("HS256", OTHER_SECRET);
            assert_eq!(refused(&token), ErrorKind::InvalidSignature, "{payload:?}");
        }
    }

    #[test]
    fn deeply_nested_payload_is_not_parsed_before_the_signature() {
        let payload = format!(r#"{{"x":{}}}"#, "[".repeat(10_000));
        let token = TokenBuilder::claims(payload).sign_with("HS256", OTHER_SECRET);
        assert_eq!(refused(&token), ErrorKind::InvalidSignature);
    }
}

mod rule_5_payload_and_claims {
    use super::*;

    /// A token over `payload` (raw bytes), signed correctly.
    fn over(payload: impl AsRef<[u8]>) -> String {
        TokenBuilder::claims(payload).sign()
    }

    /// A token with `exp` an hour ahead and `members`.
    fn with(members: &str) -> String {
        over(claims_json(members))
    }

    /// Asserts that decoding `token` fails with `kind`, about `claim`.
    #[track_caller]
    fn assert_refused(token: &str, kind: ErrorKind, claim: Option<RegisteredClaim>) {
        let error = refusal(token);
        assert_eq!((error.kind(), error.claim()), (kind, claim), "{error}");
    }

    #[track_caller]
    fn assert_invalid(payload: &str, claim: RegisteredClaim) {
        assert_refused(&over(payload), ErrorKind::InvalidClaim, Some(claim));
    }

    // Shape and strict JSON.

    #[test]
    fn payload_that_is_not_an_object_is_malformed() {
        for payload in [
            "[]",
            r#"[{"exp":1700003600}]"#,
            r#""x""#,
            "1",
            "null",
            "true",
            "",
        ] {
            assert_eq!(refused(&over(payload)), ErrorKind::Malformed, "{payload}");
        }
    }

    #[test]
    fn payload_that_is_not_an_object_is_malformed_for_value_claims_too() {
        for payload in ["[]", r#""x""#, "1", "null"] {
            let error = jwt_core::decode_with::<serde_json::Value>(
                &over(payload),
                &jwt_tests::key(),
                &at_now(),
            )
            .unwrap_err();
            assert_eq!(error.kind(), ErrorKind::Malformed, "{payload}");
        }
    }

    #[test]
    fn broken_json_payload_is_malformed() {
        for payload in [
            r#"{"exp":1700003600"#,
            r#"{"exp":1700003600,}"#,
            "{'exp':1700003600}",
            r#"{"exp":1700003600,"x":01}"#,
            r#"{"exp":1700003600,"x":tru}"#,
            r#"{"exp":1700003600 "x":1}"#,
            "{exp:1700003600}",
            "{",
        ] {
            assert_eq!(refused(&over(payload)), ErrorKind::Malformed, "{payload}");
        }
    }

    #[test]
    fn broken_json_in_a_registered_claim_value_is_malformed() {
        let payloads = [
            r#"{"exp":tomorrow}"#,
            r#"{"exp":1700003600x}"#,
            r#"{"exp":}"#,
            r#"{"exp":-}"#,
            r#"{"exp":1700003600,"iss":"unterminated}"#,
            r#"{"exp":1700003600,"aud":["a",]}"#,
            r#"{"exp":1700003600,"sub":'x'}"#,
            r#"{"exp":1700003600,"jti":"\x"}"#,
        ];
        assert_each_refused_as(
            ErrorKind::Malformed,
            payloads.map(|payload| (payload, over(payload))),
        );
    }

    #[test]
    fn payload_with_trailing_bytes_is_malformed() {
        for payload in [
            format!("{} x", claims_json("")),
            format!("{}{{}}", claims_json("")),
            format!("{},", claims_json("")),
            format!("{}\0", claims_json("")),
        ] {
            assert_eq!(
                refused(&over(&payload)),
                ErrorKind::Malformed,
                "{payload:?}"
            );
        }
    }

    #[test]
    fn payload_with_surrounding_json_whitespace_is_accepted() {
        accepted(&over(format!(" \n{}\t\r\n", claims_json(""))));
    }

    #[test]
    fn payload_with_a_byte_order_mark_is_malformed() {
        let payload = format!("\u{feff}{}", claims_json(""));
        assert_eq!(refused(&over(payload)), ErrorKind::Malformed);
    }

    /// A payload with `exp` an hour ahead and a member `before bad after`, where `bad`
    /// are raw bytes.
    fn with_raw_member(before: &str, bad: &[u8], after: &str) -> Vec<u8> {
        let mut payload = format!(r#"{{"exp":{},{before}"#, NOW + 3600).into_bytes();
        payload.extend_from_slice(bad);
        payload.extend_from_slice(after.as_bytes());
        payload.push(b'}');
        payload
    }

    #[test]
    fn payload_with_invalid_utf8_is_malformed() {
        let cases = [
            (r#""x":""#, &b"\xFF"[..], r#"""#),
            (r#"""#, b"\xFE", r#"":1"#),
            (r#""x":""#, b"\xC0\xAF", r#"""#),
            (r#""x":""#, b"\xED\xA0\x80", r#"""#),
            (r#""x":{"y":[""#, b"\xFF", r#""]}"#),
        ];
        assert_each_refused_as(
            ErrorKind::Malformed,
            cases.map(|(before, bad, after)| {
                let payload = with_raw_member(before, bad, after);
                (
                    String::from_utf8_lossy(&payload).into_owned(),
                    over(payload),
                )
            }),
        );
    }

    #[test]
    fn invalid_utf8_in_a_registered_claim_is_malformed() {
        let cases = [
            (r#""sub":""#, &b"\xFF"[..], r#"""#),
            (r#""iss":""#, b"\xC0\xAF", r#"""#),
            (r#""jti":""#, b"\xED\xA0\x80", r#"""#),
            (r#""aud":[""#, b"\xFF", r#""]"#),
        ];
        assert_each_refused_as(
            ErrorKind::Malformed,
            cases.map(|(before, bad, after)| {
                let payload = with_raw_member(before, bad, after);
                (
                    String::from_utf8_lossy(&payload).into_owned(),
                    over(payload),
                )
            }),
        );
    }

    #[test]
    fn payload_with_a_lone_surrogate_escape_is_malformed() {
        for members in [
            r#""x":"\ud800""#,
            r#""x":"\udfff""#,
            r#""x":"a\ud83d""#,
            r#""\ud800":1"#,
            r#""x":{"y":["\ud800"]}"#,
        ] {
            assert_eq!(refused(&with(members)), ErrorKind::Malformed, "{members}");
        }
    }

    #[test]
    fn lone_surrogate_in_a_registered_claim_is_malformed() {
        let members = [
            r#""iss":"\ud800""#,
            r#""sub":"\udc00""#,
            r#""jti":"a\ud83d""#,
            r#""aud":"\ud800""#,
            r#""aud":["api","\ud800"]"#,
        ];
        assert_each_refused_as(
            ErrorKind::Malformed,
            members.map(|members| (members, with(members))),
        );
    }

    #[test]
    fn surrogate_pair_escape_is_accepted() {
        let claims = accepted(&with(r#""x":"\ud83d\ude00""#));
        assert_eq!(claims["x"], "\u{1F600}");
    }

    #[test]
    fn duplicate_exp_is_malformed_in_either_order() {
        let (past, future) = (NOW - 3600, NOW + 3600);
        for payload in [
            format!(r#"{{"exp":{past},"exp":{future}}}"#),
            format!(r#"{{"exp":{future},"exp":{past}}}"#),
            format!(r#"{{"exp":{future},"exp":{future}}}"#),
            format!(r#"{{"exp":{future},"e\u0078p":{past}}}"#),
        ] {
            assert_eq!(refused(&over(&payload)), ErrorKind::Malformed, "{payload}");
        }
    }

    #[test]
    fn duplicate_registered_claims_are_malformed() {
        for members in [
            r#""iss":"a","iss":"b""#,
            r#""aud":"a","aud":["b"]"#,
            r#""sub":"a","sub":"a""#,
            r#""nbf":1,"nbf":2"#,
            r#""iat":1,"iat":2"#,
            r#""jti":"a","jti":"b""#,
        ] {
            assert_eq!(refused(&with(members)), ErrorKind::Malformed, "{members}");
        }
    }

    #[test]
    fn duplicate_custom_claim_is_malformed_in_either_order() {
        for members in [
            r#""role":"user","role":"admin""#,
            r#""role":"admin","role":"user""#,
            r#""role":"admin","\u0072ole":"admin""#,
            r#""x":{"a":1,"a":2}"#,
            r#""x":[{"b":1,"c":2,"b":3}]"#,
        ] {
            assert_eq!(refused(&with(members)), ErrorKind::Malformed, "{members}");
        }
    }

    #[test]
    fn duplicate_among_many_claims_is_malformed() {
        let many: Vec<String> = (0..200).map(|i| format!(r#""c{i}":{i}"#)).collect();
        let members = format!(r#"{},"c150":0"#, many.join(","));
        assert_eq!(refused(&with(&members)), ErrorKind::Malformed);
        accepted(&with(&many.join(",")));
    }

    #[test]
    fn payload_nested_10_000_deep_is_malformed() {
        let arrays = format!(r#""x":{}{}"#, "[".repeat(10_000), "]".repeat(10_000));
        assert_eq!(refused(&with(&arrays)), ErrorKind::Malformed);
        let objects = format!(
            r#""x":{}1{}"#,
            r#"{"a":"#.repeat(10_000),
            "}".repeat(10_000)
        );
        // Five bytes a level: beyond the default length limit, so raise it.
        let validation = at_now().max_token_len(usize::MAX);
        assert_eq!(
            refusal_under(&with(&objects), &validation).kind(),
            ErrorKind::Malformed
        );
        let unclosed = format!(r#"{{"x":{}"#, "[".repeat(40_000));
        assert_eq!(refused(&over(unclosed)), ErrorKind::Malformed);
    }

    #[test]
    fn payload_nested_moderately_is_accepted() {
        let members = format!(r#""x":{}{}"#, "[".repeat(16), "]".repeat(16));
        accepted(&with(&members));
    }

    // Registered claims of the wrong JSON type or range.

    #[test]
    fn exp_as_a_numeric_string_is_an_invalid_claim() {
        assert_invalid(r#"{"exp":"1700003600"}"#, RegisteredClaim::Exp);
        assert_invalid(r#"{"exp":"123"}"#, RegisteredClaim::Exp);
    }

    #[test]
    fn exp_as_a_word_is_an_invalid_claim() {
        assert_invalid(r#"{"exp":"tomorrow"}"#, RegisteredClaim::Exp);
    }

    #[test]
    fn exp_as_null_is_an_invalid_claim() {
        assert_invalid(r#"{"exp":null}"#, RegisteredClaim::Exp);
    }

    #[test]
    fn exp_as_a_boolean_is_an_invalid_claim() {
        assert_invalid(r#"{"exp":true}"#, RegisteredClaim::Exp);
        assert_invalid(r#"{"exp":false}"#, RegisteredClaim::Exp);
    }

    #[test]
    fn exp_as_an_array_or_object_is_an_invalid_claim() {
        assert_invalid(r#"{"exp":[1700003600]}"#, RegisteredClaim::Exp);
        assert_invalid(r#"{"exp":{"secs":1700003600}}"#, RegisteredClaim::Exp);
    }

    #[test]
    fn exp_beyond_f64_range_is_an_invalid_claim() {
        assert_invalid(r#"{"exp":9e999}"#, RegisteredClaim::Exp);
        assert_invalid(r#"{"exp":-9e999}"#, RegisteredClaim::Exp);
    }

    #[test]
    fn exp_beyond_u64_range_is_an_invalid_claim() {
        assert_invalid(r#"{"exp":18446744073709551616}"#, RegisteredClaim::Exp);
        assert_invalid(r#"{"exp":18446744073709551615}"#, RegisteredClaim::Exp);
        assert_invalid(r#"{"exp":-9223372036854775809}"#, RegisteredClaim::Exp);
    }

    #[test]
    fn exp_of_wrong_type_is_never_treated_as_absent() {
        let validation = at_now().allow_missing_exp();
        for payload in [r#"{"exp":null}"#, r#"{"exp":"123"}"#] {
            let error = refusal_under(&over(payload), &validation);
            assert_eq!(error.kind(), ErrorKind::InvalidClaim, "{payload}");
            assert_eq!(error.claim(), Some(RegisteredClaim::Exp));
        }
    }

    #[test]
    fn nbf_as_a_string_is_an_invalid_claim() {
        assert_refused(
            &with(r#""nbf":"1699999999""#),
            ErrorKind::InvalidClaim,
            Some(RegisteredClaim::Nbf),
        );
        assert_refused(
            &with(r#""nbf":null"#),
            ErrorKind::InvalidClaim,
            Some(RegisteredClaim::Nbf),
        );
    }

    #[test]
    fn iat_as_a_string_is_an_invalid_claim() {
        assert_refused(
            &with(r#""iat":"1699999999""#),
            ErrorKind::InvalidClaim,
            Some(RegisteredClaim::Iat),
        );
        assert_refused(
            &with(r#""iat":true"#),
            ErrorKind::InvalidClaim,
            Some(RegisteredClaim::Iat),
        );
    }

    #[test]
    fn aud_as_a_number_is_an_invalid_claim() {
        assert_refused(
            &with(r#""aud":1"#),
            ErrorKind::InvalidClaim,
            Some(RegisteredClaim::Aud),
        );
    }

    #[test]
    fn aud_array_holding_a_number_is_an_invalid_claim() {
        for aud in [
            r#"["api",1]"#,
            "[1]",
            r#"["api",null]"#,
            r#"["api",["api"]]"#,
        ] {
            let token = with(&format!(r#""aud":{aud}"#));
            assert_refused(&token, ErrorKind::InvalidClaim, Some(RegisteredClaim::Aud));
        }
    }

    #[test]
    fn aud_as_null_or_object_is_an_invalid_claim() {
        for aud in ["null", r#"{"api":true}"#, "true"] {
            let token = with(&format!(r#""aud":{aud}"#));
            assert_refused(&token, ErrorKind::InvalidClaim, Some(RegisteredClaim::Aud));
        }
    }

    #[test]
    fn iss_as_an_array_is_an_invalid_claim() {
        let validation = at_now().issuer("auth.example.com");
        let token = with(r#""iss":["auth.example.com"]"#);
        assert_refused(&token, ErrorKind::InvalidClaim, Some(RegisteredClaim::Iss));
        let error = refusal_under(&token, &validation);
        assert_eq!(
            (error.kind(), error.claim()),
            (ErrorKind::InvalidClaim, Some(RegisteredClaim::Iss))
        );
    }

    #[test]
    fn iss_as_null_or_number_is_an_invalid_claim() {
        for iss in ["null", "1", "{}"] {
            let token = with(&format!(r#""iss":{iss}"#));
            assert_refused(&token, ErrorKind::InvalidClaim, Some(RegisteredClaim::Iss));
        }
    }

    #[test]
    fn sub_as_a_number_is_an_invalid_claim() {
        assert_refused(
            &with(r#""sub":42"#),
            ErrorKind::InvalidClaim,
            Some(RegisteredClaim::Sub),
        );
    }

    #[test]
    fn jti_as_a_number_is_an_invalid_claim() {
        assert_refused(
            &with(r#""jti":42"#),
            ErrorKind::InvalidClaim,
            Some(RegisteredClaim::Jti),
        );
    }

    #[test]
    fn wrong_type_is_an_invalid_claim_for_value_claims_too() {
        let token = with(r#""sub":42"#);
        let error =
            jwt_core::decode_with::<serde_json::Value>(&token, &jwt_tests::key(), &at_now())
                .unwrap_err();
        assert_eq!(
            (error.kind(), error.claim()),
            (ErrorKind::InvalidClaim, Some(RegisteredClaim::Sub))
        );
    }

    // Times.

    #[test]
    fn token_is_expired_when_exp_equals_now() {
        let token = over(format!(r#"{{"exp":{NOW}}}"#));
        assert_refused(&token, ErrorKind::Expired, Some(RegisteredClaim::Exp));
    }

    #[test]
    fn token_is_valid_one_second_before_exp() {
        accepted(&over(format!(r#"{{"exp":{}}}"#, NOW + 1)));
    }

    #[test]
    fn fractional_exp_half_a_second_ahead_is_expired_as_it_rounds_down() {
        let token = over(format!(r#"{{"exp":{NOW}.5}}"#));
        assert_refused(&token, ErrorKind::Expired, Some(RegisteredClaim::Exp));
    }

    #[test]
    fn fractional_exp_a_second_and_a_half_ahead_is_accepted() {
        let claims = accepted(&over(format!(r#"{{"exp":{}.5}}"#, NOW + 1)));
        // The claims hold the time that the rules checked: the floor, as an integer.
        assert_eq!(claims["exp"].as_i64(), Some(NOW + 1));
    }

    #[test]
    fn exp_in_exponent_notation_is_read() {
        accepted(&over(r#"{"exp":1.7000036e9}"#));
        assert_refused(
            &over(r#"{"exp":1.7e9}"#),
            ErrorKind::Expired,
            Some(RegisteredClaim::Exp),
        );
    }

    #[test]
    fn expired_token_is_refused_after_leeway() {
        let token = over(format!(r#"{{"exp":{}}}"#, NOW - 30));
        accepted_under(&token, &at_now().leeway(31));
        let error = refusal_under(&token, &at_now().leeway(30));
        assert_eq!(
            (error.kind(), error.claim()),
            (ErrorKind::Expired, Some(RegisteredClaim::Exp))
        );
    }

    #[test]
    fn nbf_equal_to_now_is_valid() {
        accepted(&with(&format!(r#""nbf":{NOW}"#)));
    }

    #[test]
    fn nbf_one_second_ahead_is_not_yet_valid() {
        let token = with(&format!(r#""nbf":{}"#, NOW + 1));
        assert_refused(&token, ErrorKind::NotYetValid, Some(RegisteredClaim::Nbf));
        accepted_under(&token, &at_now().leeway(1));
    }

    #[test]
    fn fractional_nbf_half_a_second_ahead_is_valid_as_it_rounds_down() {
        accepted(&with(&format!(r#""nbf":{NOW}.5"#)));
    }

    #[test]
    fn iat_in_the_future_is_issued_in_future() {
        let token = with(&format!(r#""iat":{}"#, NOW + 10));
        assert_refused(
            &token,
            ErrorKind::IssuedInFuture,
            Some(RegisteredClaim::Iat),
        );
    }

    #[test]
    fn iat_in_the_future_within_leeway_is_accepted() {
        let token = with(&format!(r#""iat":{}"#, NOW + 10));
        accepted_under(&token, &at_now().leeway(10));
        let error = refusal_under(&token, &at_now().leeway(9));
        assert_eq!(error.kind(), ErrorKind::IssuedInFuture);
    }

    #[test]
    fn iat_equal_to_now_is_accepted() {
        accepted(&with(&format!(r#""iat":{NOW}"#)));
    }

    #[test]
    fn exp_of_2_pow_53_minus_1_is_accepted() {
        accepted(&over(format!(r#"{{"exp":{MAX_SAFE}}}"#)));
        accepted(&over(format!(r#"{{"exp":{MAX_SAFE}.0}}"#)));
    }

    #[test]
    fn exp_of_2_pow_53_is_an_invalid_claim() {
        assert_invalid(
            &format!(r#"{{"exp":{}}}"#, MAX_SAFE + 1),
            RegisteredClaim::Exp,
        );
        assert_invalid(
            &format!(r#"{{"exp":{}.0}}"#, MAX_SAFE + 1),
            RegisteredClaim::Exp,
        );
        assert_invalid(r#"{"exp":9007199254740992e0}"#, RegisteredClaim::Exp);
    }

    #[test]
    fn exp_of_minus_2_pow_53_is_an_invalid_claim() {
        assert_refused(
            &over(format!(r#"{{"exp":{}}}"#, -MAX_SAFE)),
            ErrorKind::Expired,
            Some(RegisteredClaim::Exp),
        );
        assert_invalid(
            &format!(r#"{{"exp":{}}}"#, -MAX_SAFE - 1),
            RegisteredClaim::Exp,
        );
    }

    #[test]
    fn nbf_and_iat_beyond_2_pow_53_are_invalid_claims() {
        let too_far = MAX_SAFE + 1;
        let token = with(&format!(r#""nbf":{too_far}"#));
        assert_refused(&token, ErrorKind::InvalidClaim, Some(RegisteredClaim::Nbf));
        let token = with(&format!(r#""iat":-{too_far}"#));
        assert_refused(&token, ErrorKind::InvalidClaim, Some(RegisteredClaim::Iat));
    }

    #[test]
    fn extreme_clocks_and_leeways_never_panic() {
        let clocks = [
            i64::MIN,
            i64::MIN + 1,
            -MAX_SAFE,
            -1,
            0,
            NOW,
            MAX_SAFE,
            i64::MAX - 1,
            i64::MAX,
        ];
        let leeways = [
            None,
            Some(0),
            Some(1),
            Some(i64::MAX as u64),
            Some(i64::MAX as u64 + 1),
            Some(u64::MAX),
        ];
        let max_ages = [None, Some(0), Some(u64::MAX)];
        let times = [-MAX_SAFE, -1, 0, NOW, MAX_SAFE];
        let mut tokens = Vec::new();
        for time in times {
            tokens.push(over(format!(r#"{{"exp":{time}}}"#)));
            tokens.push(over(format!(r#"{{"exp":{MAX_SAFE},"nbf":{time}}}"#)));
            tokens.push(over(format!(r#"{{"exp":{MAX_SAFE},"iat":{time}}}"#)));
            tokens.push(over(format!(
                r#"{{"exp":{time},"nbf":{time},"iat":{time}}}"#
            )));
        }
        tokens.push(over("{}"));
        for clock in clocks {
            for leeway in leeways {
                for max_age in max_ages {
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
                                "{error}"
                            );
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn clock_at_i64_max_finds_every_token_expired() {
        let validation = Validation::new().at(NumericDate::from_secs(i64::MAX));
        let token = over(format!(r#"{{"exp":{MAX_SAFE}}}"#));
        assert_eq!(
            refusal_under(&token, &validation).kind(),
            ErrorKind::Expired
        );
    }

    #[test]
    fn clock_at_i64_min_finds_every_nbf_ahead() {
        let validation = Validation::new().at(NumericDate::from_secs(i64::MIN));
        accepted_under(&over(format!(r#"{{"exp":{}}}"#, -MAX_SAFE)), &validation);
        let token = over(format!(r#"{{"exp":{MAX_SAFE},"nbf":{}}}"#, -MAX_SAFE));
        assert_eq!(
            refusal_under(&token, &validation).kind(),
            ErrorKind::NotYetValid
        );
        let token = over(format!(r#"{{"exp":{MAX_SAFE},"iat":{}}}"#, -MAX_SAFE));
        assert_eq!(
            refusal_under(&token, &validation).kind(),
            ErrorKind::IssuedInFuture
        );
    }

    #[test]
    fn largest_leeway_accepts_the_oldest_exp_and_the_latest_nbf() {
        let validation = at_now().leeway(u64::MAX);
        accepted_under(&over(format!(r#"{{"exp":{}}}"#, -MAX_SAFE)), &validation);
        let token = over(format!(
            r#"{{"exp":{MAX_SAFE},"nbf":{MAX_SAFE},"iat":{MAX_SAFE}}}"#
        ));
        accepted_under(&token, &validation);
    }

    #[test]
    fn largest_max_age_accepts_the_oldest_iat() {
        let validation = at_now().max_age(u64::MAX);
        accepted_under(&with(&format!(r#""iat":{}"#, -MAX_SAFE)), &validation);
        let validation = validation.leeway(u64::MAX);
        accepted_under(&with(&format!(r#""iat":{}"#, -MAX_SAFE)), &validation);
    }

    // Audience and issuer.

    #[test]
    fn aud_present_while_the_verifier_expects_none_is_an_invalid_audience() {
        for aud in [r#""api""#, r#"["api"]"#, r#"["api","web"]"#, "[]", r#""""#] {
            let token = with(&format!(r#""aud":{aud}"#));
            assert_refused(
                &token,
                ErrorKind::InvalidAudience,
                Some(RegisteredClaim::Aud),
            );
        }
    }

    #[test]
    fn audience_that_is_a_substring_is_refused() {
        let token = with(r#""aud":"api""#);
        let error = refusal_under(&token, &at_now().audience("api.example.com"));
        assert_eq!(
            (error.kind(), error.claim()),
            (ErrorKind::InvalidAudience, Some(RegisteredClaim::Aud))
        );
    }

    #[test]
    fn audience_that_is_a_superstring_is_refused() {
        let token = with(r#""aud":"api.example.com.evil""#);
        let error = refusal_under(&token, &at_now().audience("api.example.com"));
        assert_eq!(
            (error.kind(), error.claim()),
            (ErrorKind::InvalidAudience, Some(RegisteredClaim::Aud))
        );
    }

    #[test]
    fn audience_that_differs_in_case_or_space_is_refused() {
        for aud in [r#""API""#, r#"" api""#, r#""api ""#, r#""api\u0000""#] {
            let token = with(&format!(r#""aud":{aud}"#));
            let error = refusal_under(&token, &at_now().audience("api"));
            assert_eq!(
                (error.kind(), error.claim()),
                (ErrorKind::InvalidAudience, Some(RegisteredClaim::Aud)),
                "{aud}"
            );
        }
    }

    #[test]
    fn empty_audience_string_is_refused() {
        let token = with(r#""aud":"""#);
        let error = refusal_under(&token, &at_now().audience("api"));
        assert_eq!(
            (error.kind(), error.claim()),
            (ErrorKind::InvalidAudience, Some(RegisteredClaim::Aud))
        );
    }

    #[test]
    fn missing_audience_is_a_missing_claim() {
        let error = refusal_under(&with(""), &at_now().audience("api"));
        assert_eq!(
            (error.kind(), error.claim()),
            (ErrorKind::MissingClaim, Some(RegisteredClaim::Aud))
        );
    }

    #[test]
    fn empty_audience_array_is_refused() {
        let error = refusal_under(&with(r#""aud":[]"#), &at_now().audience("api"));
        assert_eq!(
            (error.kind(), error.claim()),
            (ErrorKind::InvalidAudience, Some(RegisteredClaim::Aud))
        );
    }

    #[test]
    fn audience_array_without_a_match_is_refused() {
        let token = with(r#""aud":["web","apis","ap"]"#);
        let error = refusal_under(&token, &at_now().audience("api"));
        assert_eq!(
            (error.kind(), error.claim()),
            (ErrorKind::InvalidAudience, Some(RegisteredClaim::Aud))
        );
    }

    #[test]
    fn audience_array_with_a_match_is_accepted() {
        accepted_under(&with(r#""aud":["web","api"]"#), &at_now().audience("api"));
        accepted_under(&with(r#""aud":"api""#), &at_now().audience("api"));
    }

    #[test]
    fn issuer_that_is_a_substring_is_refused() {
        let token = with(r#""iss":"auth.example""#);
        let error = refusal_under(&token, &at_now().issuer("auth.example.com"));
        assert_eq!(
            (error.kind(), error.claim()),
            (ErrorKind::InvalidIssuer, Some(RegisteredClaim::Iss))
        );
    }

    #[test]
    fn issuer_that_is_a_superstring_is_refused() {
        for iss in [
            r#""auth.example.com.evil""#,
            r#""https://auth.example.com""#,
        ] {
            let token = with(&format!(r#""iss":{iss}"#));
            let error = refusal_under(&token, &at_now().issuer("auth.example.com"));
            assert_eq!(
                (error.kind(), error.claim()),
                (ErrorKind::InvalidIssuer, Some(RegisteredClaim::Iss)),
                "{iss}"
            );
        }
    }

    #[test]
    fn issuer_that_differs_in_case_is_refused() {
        let token = with(r#""iss":"Auth.Example.com""#);
        let error = refusal_under(&token, &at_now().issuer("auth.example.com"));
        assert_eq!(
            (error.kind(), error.claim()),
            (ErrorKind::InvalidIssuer, Some(RegisteredClaim::Iss))
        );
    }

    #[test]
    fn empty_issuer_string_is_refused() {
        let token = with(r#""iss":"""#);
        let error = refusal_under(&token, &at_now().issuer("auth.example.com"));
        assert_eq!(
            (error.kind(), error.claim()),
            (ErrorKind::InvalidIssuer, Some(RegisteredClaim::Iss))
        );
    }

    #[test]
    fn missing_issuer_is_a_missing_claim() {
        let error = refusal_under(&with(""), &at_now().issuer("auth.example.com"));
        assert_eq!(
            (error.kind(), error.claim()),
            (ErrorKind::MissingClaim, Some(RegisteredClaim::Iss))
        );
    }

    #[test]
    fn matching_issuer_is_accepted() {
        accepted_under(
            &with(r#""iss":"auth.example.com""#),
            &at_now().issuer("auth.example.com"),
        );
    }

    // The order of the rules.

    #[test]
    fn expired_token_of_the_wrong_issuer_is_expired() {
        let token = over(format!(r#"{{"exp":{},"iss":"evil"}}"#, NOW - 1));
        let error = refusal_under(&token, &at_now().issuer("auth.example.com"));
        assert_eq!(error.kind(), ErrorKind::Expired);
    }

    #[test]
    fn not_yet_valid_token_of_the_wrong_audience_is_not_yet_valid() {
        let token = with(&format!(r#""nbf":{},"aud":"evil""#, NOW + 60));
        let error = refusal_under(&token, &at_now().audience("api"));
        assert_eq!(error.kind(), ErrorKind::NotYetValid);
    }

    #[test]
    fn claim_of_the_wrong_type_comes_before_expiry() {
        let token = over(format!(r#"{{"exp":{},"sub":1}}"#, NOW - 1));
        assert_refused(&token, ErrorKind::InvalidClaim, Some(RegisteredClaim::Sub));
    }

    #[test]
    fn malformed_json_comes_before_expiry() {
        let token = over(format!(r#"{{"exp":{},"x":1,"x":2}}"#, NOW - 1));
        assert_eq!(refused(&token), ErrorKind::Malformed);
    }

    #[test]
    fn expiry_display_names_the_claim_and_values() {
        let token = over(format!(r#"{{"exp":{}}}"#, NOW - 5));
        let message = refusal(&token).to_string();
        assert!(message.contains("exp"), "{message}");
        assert!(message.contains(&(NOW - 5).to_string()), "{message}");
    }
}

/// The most useful error first: the header's `typ` before the payload is read, and a
/// broken registered-claim rule before the claims type's own complaint.
mod most_useful_error_first {
    use super::*;
    use jwt_core::{Claims, Error};
    use serde::de::DeserializeOwned;
    use serde::{Deserialize, Serialize};

    #[derive(Debug, Serialize, Deserialize, Claims)]
    #[jwt(iss = "auth", aud = "api", typ = "at+jwt")]
    struct Access {
        sub: String,
        exp: NumericDate,
        scope: String,
    }

    #[derive(Debug, Serialize, Deserialize, Claims)]
    #[jwt(iss = "auth", aud = "refresh", typ = "rt+jwt")]
    struct Refresh {
        sub: String,
        exp: NumericDate,
    }

    /// An access type that does not declare `typ`: the audience tells the kinds apart.
    #[derive(Debug, Serialize, Deserialize, Claims)]
    #[jwt(iss = "auth", aud = "api")]
    struct UntypedAccess {
        sub: String,
        exp: NumericDate,
        scope: String,
    }

    fn key() -> jwt_core::HmacKey {
        jwt_core::HmacKey::hs256(SECRET).unwrap()
    }

    fn refusal_as<C: Claims + DeserializeOwned + std::fmt::Debug>(token: &str) -> Error {
        jwt_core::decode_with::<C>(token, &key(), &at_now()).unwrap_err()
    }

    fn refresh_token() -> String {
        let refresh = Refresh {
            sub: "ann".into(),
            exp: NumericDate::from_secs(NOW + 600),
        };
        jwt_core::encode(&refresh, &key()).unwrap()
    }

    #[test]
    fn a_token_of_another_typ_is_refused_as_such_before_its_payload_is_read() {
        let error = refusal_as::<Access>(&refresh_token());
        assert_eq!(error.kind(), ErrorKind::InvalidType, "{error}");
    }

    #[test]
    fn a_broken_audience_is_reported_before_a_field_the_type_misses() {
        let error = refusal_as::<UntypedAccess>(&refresh_token());
        assert_eq!(
            (error.kind(), error.claim()),
            (ErrorKind::InvalidAudience, Some(RegisteredClaim::Aud)),
            "{error}"
        );
    }

    #[test]
    fn expiry_issuer_and_subject_come_before_the_types_complaint() {
        let over = |members: &str| TokenBuilder::claims(format!("{{{members}}}")).sign();
        let late = format!(r#""iss":"auth","aud":"api","sub":"a","exp":{}"#, NOW - 1);
        assert_eq!(
            refusal_as::<UntypedAccess>(&over(&late)).kind(),
            ErrorKind::Expired
        );
        let stranger = format!(r#""iss":"other","aud":"api","sub":"a","exp":{}"#, NOW + 60);
        assert_eq!(
            refusal_as::<UntypedAccess>(&over(&stranger)).kind(),
            ErrorKind::InvalidIssuer
        );
        // The type fails on `scope` with a wrong type, before reading `exp`: the registered
        // claims after that point are still read and checked.
        let after = format!(r#""scope":7,"iss":"auth","aud":"api","sub":"a","exp":{NOW}"#);
        assert_eq!(
            refusal_as::<UntypedAccess>(&over(&after)).kind(),
            ErrorKind::Expired
        );
        let broken = r#""scope":7,"iss":"auth","aud":"api","sub":"a","exp":"soon""#;
        let error = refusal_as::<UntypedAccess>(&over(broken));
        assert_eq!(
            (error.kind(), error.claim()),
            (ErrorKind::InvalidClaim, Some(RegisteredClaim::Exp)),
            "{error}"
        );
    }

    #[test]
    fn a_missing_field_is_a_missing_claim_named_by_its_json_name() {
        let over = |members: &str| TokenBuilder::claims(format!("{{{members}}}")).sign();
        let token = over(&format!(
            r#""iss":"auth","aud":"api","sub":"a","exp":{}"#,
            NOW + 60
        ));
        let error = refusal_as::<UntypedAccess>(&token);
        assert_eq!(
            (error.kind(), error.claim()),
            (ErrorKind::MissingClaim, None),
            "{error}"
        );
        assert!(error.to_string().contains("`scope`"), "{error}");
        // A field of the wrong type is still the type's complaint.
        let token = over(&format!(
            r#""iss":"auth","aud":"api","sub":"a","exp":{},"scope":7"#,
            NOW + 60
        ));
        let error = refusal_as::<UntypedAccess>(&token);
        assert_eq!(error.kind(), ErrorKind::InvalidClaim, "{error}");
    }
}

/// What a replay or revocation check reads from a verified token.
mod jti_and_exp_of_a_verified_token {
    use serde::Deserialize;

    use super::*;
    use jwt_tests::key;

    /// A claims type with no field for `jti` or `exp`.
    #[derive(Debug, Deserialize, jwt_core::Claims)]
    struct Bare {
        #[allow(dead_code)]
        sub: String,
    }

    #[test]
    fn are_read_whatever_the_claims_type_keeps() {
        let exp = NumericDate::now() + 600;
        // Short and long identifiers, escaped characters, and the lengths around the
        // 46 bytes a token keeps without allocating.
        let jtis = [
            "id-\u{e9}\\\"7".to_owned(),
            "a".repeat(46),
            "b".repeat(47),
            "\u{e9}".repeat(23),
            "c".repeat(1000),
        ];
        for jti in jtis {
            let payload = serde_json::json!({"sub": "ann", "jti": jti, "exp": exp});
            let token = TokenBuilder::claims(payload.to_string()).sign();
            let token = jwt_core::decode_with::<Bare>(&token, &key(), &Validation::new());
            let token = token.unwrap();
            assert_eq!(token.jti(), Some(jti.as_str()));
            assert_eq!(token.expires_at(), Some(exp));
        }
    }

    #[test]
    fn are_none_when_absent() {
        let token = TokenBuilder::claims(r#"{"sub":"ann"}"#).sign();
        let validation = Validation::new().allow_missing_exp();
        let token = jwt_core::decode_with::<serde_json::Value>(&token, &key(), &validation);
        let token = token.unwrap();
        assert_eq!(token.jti(), None);
        assert_eq!(token.expires_at(), None);
    }

    #[test]
    fn a_fractional_exp_is_its_floor() {
        let exp = (NumericDate::now() + 600).as_secs();
        let payload = format!(r#"{{"jti":"j","exp":{exp}.75}}"#);
        let token = TokenBuilder::claims(payload).sign();
        let token = jwt_core::decode_with::<serde_json::Value>(&token, &key(), &Validation::new());
        assert_eq!(
            token.unwrap().expires_at(),
            Some(NumericDate::from_secs(exp))
        );
    }
}
