//! Keys and headers: HMAC secrets and their algorithms, the header `encode` writes and
//! the ones `decode_header` reads, `Algorithm` names, and what an `Error` may show.

use jwt_core::{Algorithm, Error, ErrorKind, Header, HmacKey, RegisteredClaim};
use jwt_tests::{
    NOW, SECRET, TokenBuilder, Untyped, accepted_under, at_now, b64, claims_json, hmac, key,
    refusal, refusal_under,
};
use serde_json::{Value, json};

/// A 48-byte secret, long enough for HS384.
const SECRET_48: &[u8; 48] = b"0123456789abcdef0123456789abcdef0123456789abcdef";

/// A 64-byte secret, long enough for every HMAC algorithm.
const SECRET_64: &[u8; 64] = b"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

/// Claims with `exp` an hour after [`jwt_tests::NOW`].
fn claims() -> Untyped {
    serde_json::from_str(&claims_json(r#""sub":"u1""#)).unwrap()
}

/// The header of `token` as JSON, read without the library.
fn raw_header(token: &str) -> Value {
    use base64::Engine as _;
    let segment = token.split('.').next().unwrap();
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(segment)
        .unwrap();
    serde_json::from_slice(&bytes).unwrap()
}

mod hmac_keys {
    use super::*;

    #[test]
    fn key_for_an_algorithm_other_than_hmac_is_an_invalid_key() {
        for alg in [Algorithm::RS256, Algorithm::ES256, Algorithm::EdDSA] {
            let error = HmacKey::new(alg, SECRET_64).unwrap_err();
            assert_eq!(error.kind(), ErrorKind::InvalidKey, "{alg}");
            assert!(error.to_string().contains(alg.as_str()), "{error}");
        }
    }

    #[test]
    fn unknown_claim_name_is_refused_with_the_valid_ones() {
        assert_eq!(
            "jti".parse::<RegisteredClaim>().unwrap(),
            RegisteredClaim::Jti
        );
        for name in ["JTI", "exp ", "", "issuer"] {
            let error = name.parse::<RegisteredClaim>().unwrap_err();
            assert_eq!(error.kind(), ErrorKind::InvalidClaim, "{name:?}");
            assert!(error.to_string().contains("`iss`, `sub`, `aud`"), "{error}");
        }
    }

    #[test]
    fn hs256_secret_shorter_than_32_bytes_is_an_invalid_key() {
        for len in [0, 1, 16, 31] {
            let error = HmacKey::hs256(vec![7u8; len]).unwrap_err();
            assert_eq!(error.kind(), ErrorKind::InvalidKey, "{len}");
        }
        HmacKey::hs256([7u8; 32]).unwrap();
    }

    #[test]
    fn hs384_secret_shorter_than_48_bytes_is_an_invalid_key() {
        for len in [0, 32, 47] {
            let error = HmacKey::hs384(vec![7u8; len]).unwrap_err();
            assert_eq!(error.kind(), ErrorKind::InvalidKey, "{len}");
        }
        HmacKey::hs384([7u8; 48]).unwrap();
    }

    #[test]
    fn hs512_secret_shorter_than_64_bytes_is_an_invalid_key() {
        for len in [0, 32, 48, 63] {
            let error = HmacKey::hs512(vec![7u8; len]).unwrap_err();
            assert_eq!(error.kind(), ErrorKind::InvalidKey, "{len}");
        }
        HmacKey::hs512([7u8; 64]).unwrap();
    }

    #[test]
    fn secrets_longer_than_the_hash_are_accepted() {
        HmacKey::hs256([7u8; 200]).unwrap();
        HmacKey::hs384([7u8; 200]).unwrap();
        HmacKey::hs512([7u8; 200]).unwrap();
    }

    #[test]
    fn secret_may_be_given_as_str_string_slice_vec_or_array() {
        let text = "0123456789abcdef0123456789abcdef";
        HmacKey::hs256(text).unwrap();
        let string: String = text.into();
        HmacKey::hs256(string).unwrap();
        HmacKey::hs256(text.as_bytes()).unwrap();
        let vec: Vec<u8> = text.into();
        HmacKey::hs256(vec).unwrap();
        HmacKey::hs256(*SECRET).unwrap();
    }

    #[test]
    fn short_secret_error_says_how_long_it_must_be_without_showing_it() {
        let secret = "short-secret-xyz";
        let message = HmacKey::hs256(secret).unwrap_err().to_string();
        assert!(message.contains("32"), "{message}");
        assert!(!message.contains(secret), "{message}");
    }

    #[test]
    fn key_debug_never_shows_the_secret() {
        let debug = format!("{:?}", key().with_kid("k1"));
        assert!(!debug.contains("0123456789abcdef"), "{debug}");
        assert!(!debug.contains(&b64(SECRET)), "{debug}");
    }

    #[test]
    fn key_debug_cuts_a_long_kid_short() {
        let kid = "k".repeat(10_000);
        let debug = format!("{:?}", key().with_kid(kid.clone()));
        assert!(debug.len() < 200, "{debug}");
        assert!(
            debug.contains(&format!("\"{}\"... (10000 bytes)", &kid[..64])),
            "{debug}"
        );
        let ring = jwt_core::KeyRing::new().with(key().with_kid(kid)).unwrap();
        let debug = format!("{ring:?}");
        assert!(debug.len() < 300, "{debug}");
        // A short one is shown whole.
        let debug = format!("{:?}", key().with_kid("k1"));
        assert!(debug.contains(r#"kid: Some("k1")"#), "{debug}");
    }

    #[test]
    fn encode_writes_alg_and_typ() {
        let token = jwt_core::encode(&claims(), &key()).unwrap();
        assert_eq!(raw_header(&token), json!({ "alg": "HS256", "typ": "JWT" }));
    }

    #[test]
    fn with_kid_is_written_into_the_header_by_encode() {
        let token = jwt_core::encode(&claims(), &key().with_kid("2026-11")).unwrap();
        assert_eq!(
            raw_header(&token),
            json!({ "alg": "HS256", "typ": "JWT", "kid": "2026-11" })
        );
        let decoded = jwt_tests::decode_untyped(&token, &at_now()).unwrap();
        assert_eq!(decoded.header().kid.as_deref(), Some("2026-11"));
    }

    #[test]
    fn encode_signs_with_hmac_sha256_over_the_segments() {
        let token = jwt_core::encode(&claims(), &key()).unwrap();
        let (input, signature) = token.rsplit_once('.').unwrap();
        assert_eq!(signature, b64(hmac("HS256", SECRET, input.as_bytes())));
    }

    #[test]
    fn hs384_round_trips() {
        let key = HmacKey::hs384(SECRET_48).unwrap();
        let token = jwt_core::encode(&claims(), &key).unwrap();
        assert_eq!(raw_header(&token)["alg"], "HS384");
        let (input, signature) = token.rsplit_once('.').unwrap();
        assert_eq!(signature, b64(hmac("HS384", SECRET_48, input.as_bytes())));
        let back = jwt_core::decode_with::<Untyped>(&token, &key, &at_now()).unwrap();
        assert_eq!(back.into_claims(), claims());
        assert_eq!(back_header_alg(&token, &key), Algorithm::HS384);
    }

    #[test]
    fn hs512_round_trips() {
        let key = HmacKey::hs512(SECRET_64).unwrap();
        let token = jwt_core::encode(&claims(), &key).unwrap();
        assert_eq!(raw_header(&token)["alg"], "HS512");
        let (input, signature) = token.rsplit_once('.').unwrap();
        assert_eq!(signature, b64(hmac("HS512", SECRET_64, input.as_bytes())));
        let back = jwt_core::decode_with::<Untyped>(&token, &key, &at_now()).unwrap();
        assert_eq!(back.into_claims(), claims());
        assert_eq!(back_header_alg(&token, &key), Algorithm::HS512);
    }

    fn back_header_alg(token: &str, key: &HmacKey) -> Algorithm {
        jwt_core::decode_with::<Untyped>(token, key, &at_now())
            .unwrap()
            .header()
            .alg
    }

    #[test]
    fn hs384_and_hs512_tokens_built_elsewhere_are_accepted() {
        let payload = claims_json("");
        let token = TokenBuilder::claims(&payload)
            .header(r#"{"alg":"HS384"}"#)
            .sign_with("HS384", SECRET_48);
        let key = HmacKey::hs384(SECRET_48).unwrap();
        jwt_core::decode_with::<Untyped>(&token, &key, &at_now()).unwrap();
        let token = TokenBuilder::claims(&payload)
            .header(r#"{"alg":"HS512"}"#)
            .sign_with("HS512", SECRET_64);
        let key = HmacKey::hs512(SECRET_64).unwrap();
        jwt_core::decode_with::<Untyped>(&token, &key, &at_now()).unwrap();
    }

    #[test]
    fn hs512_token_under_the_same_secret_is_refused_by_an_hs256_key() {
        let token = jwt_core::encode(&claims(), &HmacKey::hs512(SECRET_64).unwrap()).unwrap();
        let hs256 = HmacKey::hs256(SECRET_64).unwrap();
        let error = jwt_core::decode_with::<Untyped>(&token, &hs256, &at_now()).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::AlgorithmMismatch);
    }

    #[test]
    fn hs256_token_under_the_same_secret_is_refused_by_hs384_and_hs512_keys() {
        let token = jwt_core::encode(&claims(), &HmacKey::hs256(SECRET_64).unwrap()).unwrap();
        for key in [
            HmacKey::hs384(SECRET_64).unwrap(),
            HmacKey::hs512(SECRET_64).unwrap(),
        ] {
            let error = jwt_core::decode_with::<Untyped>(&token, &key, &at_now()).unwrap_err();
            assert_eq!(error.kind(), ErrorKind::AlgorithmMismatch, "{key:?}");
        }
    }

    #[test]
    fn hs256_key_with_a_kid_verifies_tokens_whatever_their_kid() {
        let keyed = key().with_kid("k1");
        for header in [r#"{"alg":"HS256"}"#, r#"{"alg":"HS256","kid":"k2"}"#] {
            let token = TokenBuilder::claims(claims_json("")).header(header).sign();
            jwt_core::decode_with::<Untyped>(&token, &keyed, &at_now()).unwrap();
        }
    }

    /// A key of the user's that implements only `sign`, as keys written before
    /// `sign_into` do.
    struct SignOnly(HmacKey);

    impl jwt_core::SigningKey for SignOnly {
        fn algorithm(&self) -> Algorithm {
            self.0.algorithm()
        }

        fn kid(&self) -> Option<&str> {
            self.0.kid()
        }

        fn sign(&self, signing_input: &[u8]) -> Result<Vec<u8>, Error> {
            jwt_core::SigningKey::sign(&self.0, signing_input)
        }
    }

    /// A key whose `sign_into` reports more bytes than the buffer it was given.
    struct Overstates(HmacKey);

    impl jwt_core::SigningKey for Overstates {
        fn algorithm(&self) -> Algorithm {
            self.0.algorithm()
        }

        fn kid(&self) -> Option<&str> {
            self.0.kid()
        }

        fn sign(&self, signing_input: &[u8]) -> Result<Vec<u8>, Error> {
            jwt_core::SigningKey::sign(&self.0, signing_input)
        }

        fn sign_into(&self, _: &[u8], out: &mut [u8]) -> Result<Option<usize>, Error> {
            Ok(Some(out.len() + 1))
        }
    }

    #[test]
    fn key_reporting_a_signature_longer_than_its_buffer_is_an_encode_error() {
        let error = jwt_core::encode(&claims(), &Overstates(key())).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Encode, "{error}");
    }

    #[test]
    fn key_that_only_signs_encodes_the_same_token() {
        let own = jwt_core::encode(&claims(), &SignOnly(key())).unwrap();
        assert_eq!(own, jwt_core::encode(&claims(), &key()).unwrap());
        jwt_core::decode_with::<Untyped>(&own, &key(), &at_now()).unwrap();
    }
}

mod encode_with_header {
    use super::*;

    #[test]
    fn header_naming_another_alg_is_an_algorithm_mismatch() {
        for alg in [Algorithm::HS384, Algorithm::HS512, Algorithm::RS256] {
            let header = Header::new(alg);
            let error = jwt_core::encode_with_header(&header, &claims(), &key()).unwrap_err();
            assert_eq!(error.kind(), ErrorKind::AlgorithmMismatch, "{alg}");
        }
    }

    #[test]
    fn header_holding_crit_is_a_critical_header_error() {
        for crit in [json!(["exp"]), json!([]), json!("x")] {
            let mut header = Header::new(Algorithm::HS256);
            header.other.insert("crit".into(), crit.clone());
            let error = jwt_core::encode_with_header(&header, &claims(), &key()).unwrap_err();
            assert_eq!(error.kind(), ErrorKind::CriticalHeader, "{crit}");
        }
    }

    #[test]
    fn header_holding_a_field_among_other_members_is_an_encode_error() {
        for name in ["alg", "typ", "kid", "cty"] {
            let mut header = Header::new(Algorithm::HS256);
            header.other.insert(name.into(), json!("none"));
            let error = jwt_core::encode_with_header(&header, &claims(), &key()).unwrap_err();
            assert_eq!(error.kind(), ErrorKind::Encode, "{name}");
            assert!(error.to_string().contains(name), "{error}");
        }
    }

    #[test]
    fn custom_header_round_trips() {
        let mut header = Header::new(Algorithm::HS256);
        header.typ = Some("at+jwt".into());
        header.kid = Some("2026-11".into());
        header.cty = Some("json".into());
        header
            .other
            .insert("x-trace".into(), json!({ "id": [1, 2] }));
        let token = jwt_core::encode_with_header(&header, &claims(), &key()).unwrap();
        let decoded = jwt_tests::decode_untyped(&token, &at_now()).unwrap();
        assert_eq!(decoded.header(), &header);
        assert_eq!(jwt_core::decode_header(&token).unwrap(), header);
    }

    #[test]
    fn header_new_is_alg_and_typ_jwt() {
        let header = Header::new(Algorithm::HS512);
        assert_eq!(header.alg, Algorithm::HS512);
        assert_eq!(header.typ.as_deref(), Some("JWT"));
        assert_eq!((header.kid, header.cty), (None, None));
        assert!(header.other.is_empty());
    }
}

mod decode_header {
    use super::*;

    #[test]
    fn decode_header_reads_a_valid_token() {
        let token = jwt_core::encode(&claims(), &key().with_kid("k1")).unwrap();
        let header = jwt_core::decode_header(&token).unwrap();
        assert_eq!(header.alg, Algorithm::HS256);
        assert_eq!(header.typ.as_deref(), Some("JWT"));
        assert_eq!(header.kid.as_deref(), Some("k1"));
        assert_eq!(header.cty, None);
        assert!(header.other.is_empty());
    }

    #[test]
    fn decode_header_verifies_nothing_else() {
        let token = TokenBuilder::claims("not even json")
            .header(r#"{"alg":"HS512","kid":"k9"}"#)
            .with_signature("");
        let header = jwt_core::decode_header(&token).unwrap();
        assert_eq!(header.alg, Algorithm::HS512);
        assert_eq!(header.kid.as_deref(), Some("k9"));
    }

    #[test]
    fn decode_header_of_alg_none_is_an_algorithm_mismatch() {
        for alg in ["none", "None", "NONE"] {
            let token = TokenBuilder::claims(claims_json(""))
                .header(format!(r#"{{"alg":"{alg}"}}"#))
                .with_signature("");
            let error = jwt_core::decode_header(&token).unwrap_err();
            assert_eq!(error.kind(), ErrorKind::AlgorithmMismatch, "{alg}");
        }
    }

    #[test]
    fn decode_header_of_an_unknown_alg_is_an_algorithm_mismatch() {
        for alg in ["hs256", "HS256 ", "", "HS1"] {
            let token = TokenBuilder::claims(claims_json(""))
                .header(format!(r#"{{"alg":"{alg}"}}"#))
                .sign();
            let error = jwt_core::decode_header(&token).unwrap_err();
            assert_eq!(error.kind(), ErrorKind::AlgorithmMismatch, "{alg:?}");
        }
    }

    #[test]
    fn decode_header_of_crit_is_a_critical_header_error() {
        for header in [
            r#"{"alg":"HS256","crit":["exp"]}"#,
            r#"{"alg":"HS256","crit":[]}"#,
            r#"{"alg":"HS256","crit":"exp"}"#,
        ] {
            let token = TokenBuilder::claims(claims_json("")).header(header).sign();
            let error = jwt_core::decode_header(&token).unwrap_err();
            assert_eq!(error.kind(), ErrorKind::CriticalHeader, "{header}");
        }
    }

    #[test]
    fn decode_header_of_a_broken_header_is_malformed() {
        for header in [
            "[]",
            r#"{"typ":"JWT"}"#,
            r#"{"alg":1}"#,
            r#"{"alg":"HS256","alg":"HS256"}"#,
            r#"{"alg":"HS256"} x"#,
        ] {
            let token = TokenBuilder::claims(claims_json("")).header(header).sign();
            let error = jwt_core::decode_header(&token).unwrap_err();
            assert_eq!(error.kind(), ErrorKind::Malformed, "{header}");
        }
        let error = jwt_core::decode_header("one.two").unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Malformed);
    }

    #[test]
    fn decode_header_of_an_over_long_token_is_too_long() {
        let token = format!(
            "{}{}",
            jwt_core::encode(&claims(), &key()).unwrap(),
            "A".repeat(70_000)
        );
        let error = jwt_core::decode_header(&token).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::TooLong);
    }
}

mod algorithm_names {
    use super::*;

    const JOSE_NAMES: [&str; 13] = [
        "HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256",
        "ES384", "ES512", "EdDSA",
    ];

    #[test]
    fn hmac_algorithms_display_as_their_jose_names() {
        assert_eq!(Algorithm::HS256.to_string(), "HS256");
        assert_eq!(Algorithm::HS384.to_string(), "HS384");
        assert_eq!(Algorithm::HS512.to_string(), "HS512");
    }

    #[test]
    fn hmac_algorithms_parse_from_their_jose_names() {
        assert_eq!("HS256".parse::<Algorithm>().unwrap(), Algorithm::HS256);
        assert_eq!("HS384".parse::<Algorithm>().unwrap(), Algorithm::HS384);
        assert_eq!("HS512".parse::<Algorithm>().unwrap(), Algorithm::HS512);
    }

    #[test]
    fn every_jose_name_parses_and_displays_back() {
        for name in JOSE_NAMES {
            let alg: Algorithm = name.parse().unwrap();
            assert_eq!(alg.to_string(), name);
        }
    }

    #[test]
    fn names_parse_case_sensitively_and_none_is_no_algorithm() {
        for name in [
            "none", "None", "hs256", "Hs256", "HS256 ", " HS256", "", "HS-256", "eddsa",
        ] {
            assert!(name.parse::<Algorithm>().is_err(), "{name:?}");
        }
    }

    #[test]
    fn key_algorithm_matches_its_constructor() {
        assert_eq!(key().algorithm(), Algorithm::HS256);
        assert_eq!(
            HmacKey::hs384(SECRET_48).unwrap().algorithm(),
            Algorithm::HS384
        );
        assert_eq!(
            HmacKey::hs512(SECRET_64).unwrap().algorithm(),
            Algorithm::HS512
        );
    }
}

mod error_display {
    use std::fmt::Write as _;

    use super::*;

    const fn is_error<E: std::error::Error + Send + Sync + 'static>() {}
    const fn is_kind<K: Copy + std::fmt::Debug + Eq + std::hash::Hash>() {}
    const _: () = is_error::<Error>();
    const _: () = is_kind::<ErrorKind>();

    /// Every text an error shows: its `Display`, its `Debug` and those of its sources.
    fn texts(error: &Error) -> Vec<String> {
        let mut texts = vec![error.to_string(), format!("{error:?}")];
        let mut source = std::error::Error::source(error);
        while let Some(inner) = source {
            texts.push(inner.to_string());
            source = inner.source();
        }
        texts
    }

    /// Asserts that no text of `error` holds the secret (raw or base64url) or any of
    /// `macs` (base64url or hex).
    #[track_caller]
    fn assert_reveals_nothing(error: &Error, macs: &[&[u8]]) {
        let secret = std::str::from_utf8(SECRET).unwrap();
        let mut forbidden = vec![secret.to_owned(), b64(SECRET), secret[..16].to_owned()];
        for mac in macs {
            forbidden.push(b64(mac));
            forbidden.push(mac.iter().fold(String::new(), |mut hex, byte| {
                write!(hex, "{byte:02x}").unwrap();
                hex
            }));
            forbidden.push(format!("{mac:?}"));
        }
        for text in texts(error) {
            for secret in &forbidden {
                assert!(!text.contains(secret.as_str()), "{text:?} shows {secret:?}");
            }
        }
    }

    fn signed(payload: &str) -> (String, Vec<u8>) {
        let builder = TokenBuilder::claims(payload);
        let mac = hmac("HS256", SECRET, builder.signing_input().as_bytes());
        (builder.sign(), mac)
    }

    #[test]
    fn invalid_signature_error_shows_neither_the_key_nor_any_mac() {
        let builder = TokenBuilder::claims(claims_json(""));
        let right = hmac("HS256", SECRET, builder.signing_input().as_bytes());
        let mut wrong = right.clone();
        wrong[0] ^= 1;
        let error = refusal(&builder.with_signature(&b64(&wrong)));
        assert_eq!(error.kind(), ErrorKind::InvalidSignature);
        assert_reveals_nothing(&error, &[&right, &wrong]);
    }

    #[test]
    fn algorithm_mismatch_error_shows_neither_the_key_nor_the_mac() {
        let builder = TokenBuilder::claims(claims_json("")).header(r#"{"alg":"HS512"}"#);
        let mac = hmac("HS512", SECRET, builder.signing_input().as_bytes());
        let error = refusal(&builder.sign_with("HS512", SECRET));
        assert_eq!(error.kind(), ErrorKind::AlgorithmMismatch);
        assert_reveals_nothing(&error, &[&mac]);
        let message = error.to_string();
        assert!(
            message.contains("HS512") && message.contains("HS256"),
            "{message}"
        );
    }

    #[test]
    fn claim_errors_show_neither_the_key_nor_the_mac() {
        let cases = [
            (format!(r#"{{"exp":{NOW}}}"#), ErrorKind::Expired),
            (claims_json(r#""iss":"evil""#), ErrorKind::InvalidIssuer),
            (claims_json(r#""sub":1"#), ErrorKind::InvalidClaim),
            (claims_json(r#""x":1,"x":2"#), ErrorKind::Malformed),
            ("{}".to_owned(), ErrorKind::MissingClaim),
        ];
        for (payload, kind) in cases {
            let (token, mac) = signed(&payload);
            let error = refusal_under(&token, &at_now().issuer("auth"));
            assert_eq!(error.kind(), kind, "{payload}");
            assert_reveals_nothing(&error, &[&mac]);
        }
    }

    #[test]
    fn structural_errors_show_neither_the_key_nor_the_signature() {
        let (token, mac) = signed(&claims_json(""));
        let cases = [
            (format!("{token}="), ErrorKind::Malformed),
            (format!("{token}.{}", b64(&mac)), ErrorKind::Malformed),
            (format!("{token}{}", "A".repeat(70_000)), ErrorKind::TooLong),
        ];
        for (token, kind) in cases {
            let error = refusal(&token);
            assert_eq!(error.kind(), kind);
            assert_reveals_nothing(&error, &[&mac]);
        }
        let validation = at_now().max_token_len(10);
        let error = refusal_under(&token, &validation);
        assert_eq!(error.kind(), ErrorKind::TooLong);
        assert_reveals_nothing(&error, &[&mac]);
    }

    #[test]
    fn invalid_key_error_does_not_show_the_secret() {
        let secret = "a-short-secret-1";
        let error = HmacKey::hs256(secret).unwrap_err();
        for text in texts(&error) {
            assert!(!text.contains(secret), "{text}");
        }
    }

    #[test]
    fn display_is_lowercase_and_names_the_claim() {
        let (token, _) = signed(&claims_json(r#""iss":"evil.example""#));
        let error = refusal_under(&token, &at_now().issuer("auth.example"));
        let message = error.to_string();
        assert!(message.starts_with(char::is_lowercase), "{message}");
        assert!(message.contains("iss"), "{message}");
        assert!(message.contains("evil.example"), "{message}");
        accepted_under(
            &signed(&claims_json(r#""iss":"auth.example""#)).0,
            &at_now().issuer("auth.example"),
        );
    }

    #[test]
    fn values_from_the_token_are_cut_short_in_messages() {
        let long = "x".repeat(40_000);
        let header = format!(r#"{{"alg":"{long}"}}"#);
        let token = TokenBuilder::claims(claims_json("")).header(header).sign();
        let error = refusal(&token);
        assert_eq!(error.kind(), ErrorKind::AlgorithmMismatch);
        assert!(error.to_string().len() < 300, "{error}");

        let many: Vec<String> = (0..4_000).map(|i| format!(r#""aud-{i}""#)).collect();
        let token = signed(&claims_json(&format!(r#""aud":[{}]"#, many.join(",")))).0;
        let error = refusal_under(&token, &at_now().audience("api"));
        assert_eq!(error.kind(), ErrorKind::InvalidAudience);
        let message = error.to_string();
        assert!(
            message.len() < 300 && message.contains("4000 values"),
            "{message}"
        );

        // Messages about the payload's JSON, and their sources, quote values cut short.
        let long = "y".repeat(20_000);
        for (payload, kind) in [
            (format!(r#"{{"exp":"{long}"}}"#), ErrorKind::InvalidClaim),
            (
                format!(r#"{{"exp":1,"{long}":1,"{long}":2}}"#),
                ErrorKind::Malformed,
            ),
        ] {
            let error = refusal(&TokenBuilder::claims(payload).sign());
            assert_eq!(error.kind(), kind, "{error}");
            let mut shown = error.to_string();
            let mut source = std::error::Error::source(&error);
            while let Some(inner) = source {
                shown.push_str(&inner.to_string());
                source = inner.source();
            }
            assert!(shown.len() < 1_000, "{} bytes: {shown:.200}", shown.len());
        }
    }
}

/// `encode` never issues a token that its own decoding would refuse for a missing claim.
mod encode_refuses_what_decoding_refuses {
    use super::*;
    use jwt_core::{Audience, Claims, NumericDate};
    use serde::{Deserialize, Serialize};

    #[derive(Debug, Default, Serialize, Deserialize, Claims)]
    struct NoExpField {
        sub: Option<String>,
    }

    #[derive(Debug, Default, Serialize, Deserialize, Claims)]
    #[jwt(sub = "admin")]
    struct DeclaredSubject {
        exp: Option<NumericDate>,
        #[serde(skip_serializing_if = "Option::is_none")]
        sub: Option<String>,
    }

    #[derive(Debug, Default, Serialize, Deserialize, Claims)]
    #[jwt(required = [jti], aud = ["a", "b"], max_age = 60)]
    struct Required {
        exp: Option<NumericDate>,
        jti: Option<String>,
        aud: Option<Audience>,
        iat: Option<NumericDate>,
    }

    fn later() -> NumericDate {
        NumericDate::from_secs(NOW + 60)
    }

    #[track_caller]
    fn refused_for(claims: &(impl Claims + Serialize), claim: RegisteredClaim) {
        let error = jwt_core::encode(claims, &key()).unwrap_err();
        assert_eq!(
            (error.kind(), error.claim()),
            (ErrorKind::Encode, Some(claim)),
            "{error}"
        );
        assert!(
            error.to_string().contains("decoding would refuse"),
            "{error}"
        );
    }

    #[test]
    fn a_type_that_requires_exp_is_not_encoded_without_it() {
        refused_for(&NoExpField::default(), RegisteredClaim::Exp);
        let claims = DeclaredSubject {
            exp: None,
            sub: Some("admin".into()),
        };
        refused_for(&claims, RegisteredClaim::Exp);
    }

    #[test]
    fn a_declared_subject_absent_from_the_claims_is_refused() {
        let claims = DeclaredSubject {
            exp: Some(later()),
            sub: None,
        };
        refused_for(&claims, RegisteredClaim::Sub);
        let claims = DeclaredSubject {
            exp: Some(later()),
            sub: Some("admin".into()),
        };
        let token = jwt_core::encode(&claims, &key()).unwrap();
        assert!(jwt_core::decode_with::<DeclaredSubject>(&token, &key(), &at_now()).is_ok());
    }

    #[test]
    fn required_claims_audiences_and_the_issue_time_of_a_maximum_age_must_be_written() {
        let full = || Required {
            exp: Some(later()),
            jti: Some("j".into()),
            aud: Some(Audience::from("a")),
            iat: Some(NumericDate::from_secs(NOW)),
        };
        let token = jwt_core::encode(&full(), &key()).unwrap();
        assert!(jwt_core::decode_with::<Required>(&token, &key(), &at_now()).is_ok());
        refused_for(
            &Required {
                jti: None,
                ..full()
            },
            RegisteredClaim::Jti,
        );
        refused_for(
            &Required {
                aud: None,
                ..full()
            },
            RegisteredClaim::Aud,
        );
        refused_for(
            &Required {
                iat: None,
                ..full()
            },
            RegisteredClaim::Iat,
        );
    }

    #[test]
    fn untyped_claims_leave_a_missing_exp_to_the_verifier() {
        let claims: Untyped = serde_json::from_str(r#"{"sub":"u"}"#).unwrap();
        assert!(jwt_core::encode(&claims, &key()).is_ok());
    }
}
