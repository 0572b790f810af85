//! Builders for the tests' tokens: readable JSON in, a compact token out, signed with the
//! `hmac` crate directly so that the tests do not trust the signer they test.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, KeyInit, Mac};
use jwt_core::{ErrorKind, HmacKey, NumericDate, Validation};
use sha2::{Sha256, Sha384, Sha512};

/// The 32-byte secret of [`key`].
pub const SECRET: &[u8; 32] = b"0123456789abcdef0123456789abcdef";

/// A fixed clock for the tests: 2023-11-14T22:13:20Z.
pub const NOW: i64 = 1_700_000_000;

/// The HS256 key most tests verify with.
///
/// # Panics
///
/// Never: the secret is long enough.
pub fn key() -> HmacKey {
    HmacKey::hs256(SECRET).expect("a 32-byte secret is long enough")
}

/// A validation at [`NOW`].
pub fn at_now() -> Validation {
    Validation::new().at(NumericDate::from_secs(NOW))
}

/// Unpadded base64url.
pub fn b64(bytes: impl AsRef<[u8]>) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// The HMAC of `input` under `secret` for `alg` (`HS256`, `HS384` or `HS512`).
///
/// # Panics
///
/// For any other `alg`.
pub fn hmac(alg: &str, secret: &[u8], input: &[u8]) -> Vec<u8> {
    fn run<M: Mac + KeyInit>(secret: &[u8], input: &[u8]) -> Vec<u8> {
        let mut mac = <M as KeyInit>::new_from_slice(secret).expect("HMAC takes any key length");
        mac.update(input);
        mac.finalize().into_bytes().to_vec()
    }
    match alg {
        "HS256" => run::<Hmac<Sha256>>(secret, input),
        "HS384" => run::<Hmac<Sha384>>(secret, input),
        "HS512" => run::<Hmac<Sha512>>(secret, input),
        other => panic!("no HMAC for {other}"),
    }
}

/// A token under construction: header and payload as raw bytes (usually JSON text).
#[derive(Clone, Debug)]
pub struct TokenBuilder {
    header: Vec<u8>,
    payload: Vec<u8>,
}

impl TokenBuilder {
    /// `{"alg":"HS256","typ":"JWT"}` over `payload`.
    pub fn claims(payload: impl AsRef<[u8]>) -> TokenBuilder {
        TokenBuilder {
            header: br#"{"alg":"HS256","typ":"JWT"}"#.to_vec(),
            payload: payload.as_ref().to_vec(),
        }
    }

    /// The same token with another header.
    #[must_use]
    pub fn header(self, header: impl AsRef<[u8]>) -> TokenBuilder {
        TokenBuilder {
            header: header.as_ref().to_vec(),
            ..self
        }
    }

    /// `base64url(header) . base64url(payload)`.
    pub fn signing_input(&self) -> String {
        format!("{}.{}", b64(&self.header), b64(&self.payload))
    }

    /// Signed with HS256 under [`SECRET`].
    pub fn sign(&self) -> String {
        self.sign_with("HS256", SECRET)
    }

    /// Signed with `alg` under `secret`.
    pub fn sign_with(&self, alg: &str, secret: &[u8]) -> String {
        let input = self.signing_input();
        let signature = hmac(alg, secret, input.as_bytes());
        format!("{input}.{}", b64(signature))
    }

    /// With a given signature segment, verbatim.
    pub fn with_signature(&self, signature: &str) -> String {
        format!("{}.{signature}", self.signing_input())
    }
}

/// A JSON object of claims with an `exp` an hour after [`NOW`] and the given members.
pub fn claims_json(members: &str) -> String {
    let exp = NOW + 3600;
    if members.is_empty() {
        format!(r#"{{"exp":{exp}}}"#)
    } else {
        format!(r#"{{"exp":{exp},{members}}}"#)
    }
}

/// Untyped claims: any JSON object.
pub type Untyped = serde_json::Map<String, serde_json::Value>;

/// `header_segment . payload_segment`, taken verbatim (whatever their encoding), signed
/// with HS256 under [`SECRET`]: for tokens whose segments are broken on purpose but
/// whose signature is right.
pub fn sign_segments(header_segment: &str, payload_segment: &str) -> String {
    let input = format!("{header_segment}.{payload_segment}");
    let signature = hmac("HS256", SECRET, input.as_bytes());
    format!("{input}.{}", b64(signature))
}

/// Decodes `token` as [`Untyped`] claims with [`key`] under `validation`.
///
/// # Errors
///
/// The refusal of `jwt_core::decode_with`.
pub fn decode_untyped(
    token: &str,
    validation: &Validation,
) -> Result<jwt_core::Token<Untyped>, jwt_core::Error> {
    jwt_core::decode_with::<Untyped>(token, &key(), validation)
}

/// The error of decoding `token` as [`Untyped`] claims with [`key`] at [`NOW`].
///
/// # Panics
///
/// When the token is accepted.
#[track_caller]
pub fn refusal(token: &str) -> jwt_core::Error {
    refusal_under(token, &at_now())
}

/// The error of decoding `token` as [`Untyped`] claims with [`key`] under `validation`.
///
/// # Panics
///
/// When the token is accepted.
#[track_caller]
pub fn refusal_under(token: &str, validation: &Validation) -> jwt_core::Error {
    match decode_untyped(token, validation) {
        Ok(accepted) => panic!("accepted {token}: {:?}", accepted.claims()),
        Err(error) => error,
    }
}

/// A token that every rule accepts at [`NOW`]: `exp` an hour later, nothing else.
pub fn valid() -> TokenBuilder {
    TokenBuilder::claims(claims_json(""))
}

/// The kind of the refusal of `token`, decoded as [`Untyped`] claims at [`NOW`].
///
/// # Panics
///
/// When the token is accepted.
#[track_caller]
pub fn refused(token: &str) -> ErrorKind {
    refusal(token).kind()
}

/// Asserts that each labelled token is refused at [`NOW`] with `kind`, listing every one
/// that is not.
///
/// # Panics
///
/// When a token is accepted or refused otherwise, and when there are no cases.
#[track_caller]
pub fn assert_each_refused_as<L: std::fmt::Debug>(
    kind: ErrorKind,
    cases: impl IntoIterator<Item = (L, String)>,
) {
    let mut count = 0;
    let wrong: Vec<String> = cases
        .into_iter()
        .inspect(|_| count += 1)
        .filter_map(|(label, token)| match decode_untyped(&token, &at_now()) {
            Ok(_) => Some(format!("{label:?}: accepted")),
            Err(error) if error.kind() != kind => {
                Some(format!("{label:?}: {:?} ({error})", error.kind()))
            }
            Err(_) => None,
        })
        .collect();
    assert!(count > 0, "no cases");
    assert!(
        wrong.is_empty(),
        "expected {kind:?}, got:\n{}",
        wrong.join("\n")
    );
}

/// The claims of `token` as [`Untyped`], decoded with [`key`] at [`NOW`].
///
/// # Panics
///
/// When the token is refused.
#[track_caller]
pub fn accepted(token: &str) -> Untyped {
    accepted_under(token, &at_now())
}

/// The claims of `token` as [`Untyped`], decoded with [`key`] under `validation`.
///
/// # Panics
///
/// When the token is refused.
#[track_caller]
pub fn accepted_under(token: &str, validation: &Validation) -> Untyped {
    match decode_untyped(token, validation) {
        Ok(accepted) => accepted.into_claims(),
        Err(error) => panic!("refused {token}: {error}"),
    }
}
