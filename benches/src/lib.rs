//! The contenders of the `compare` (criterion) and `paired` (interleaved) benchmarks,
//! shared so that both binaries measure the same code.
//!
//! One claims set: `sub` `"user-1234"`, `iss` `"auth.example.com"`, `aud`
//! `"api.example.com"`, `exp` an hour ahead, `iat` and `nbf` one second before the
//! fixture is built (oxitoken refuses `nbf == now`: its check is `nbf < now`), `jti` a
//! UUID string, `role` `"admin"` and `scope` `"read write"`. Every decoder checks `exp`,
//! `nbf`, `iss` and `aud` against the system clock with no leeway, and every decoder
//! reads the same token bytes: the token is signed once by `jsonwebtoken` (header
//! `{"typ":"JWT","alg":"HS256"}`), so that no library benefits from its own header
//! layout. Each encoder writes the same claim values.
//!
//! The contenders:
//!
//! - [`JwtCore`]: this workspace's `jwt-core`, typed ([`Typed`], rules from
//!   `#[jwt(...)]`) and untyped ([`Untyped`], rules from a runtime `Validation`);
//! - [`Jsonwebtoken`]: `jsonwebtoken` 12 with its `rust_crypto` backend, or its
//!   `aws_lc_rs` one when built by `aws-lc-peer/` (feature `peer-aws-lc`);
//! - [`JwtSimple`]: `jwt-simple` 0.15, pure Rust;
//! - `Oxitoken`: `oxitoken` 0.1 with `aws-lc-rs` (feature `oxitoken`, on by default);
//! - [`Floor`]: what a straightforward hand-written decoder does with `serde_json`,
//!   `base64` and `hmac` (split, decode to vectors, check `alg`, HMAC keyed per call,
//!   deserialize, check the four claims, nothing else);
//! - [`RawHmac`]: the HMAC alone over the signing input, the limit.
//!
//! Each contender is set up once (keys, validation objects) and panics on a refusal, so
//! that a benchmark can never silently measure an error path; [`Suite::check`] asserts
//! that each accepts the shared token and refuses a token for another audience, an
//! expired one, one not yet valid and one with a wrong signature.
#![allow(
    clippy::missing_panics_doc,
    reason = "every contender panics on a refusal, by design"
)]

#[cfg(feature = "asymmetric")]
mod asymmetric;
#[cfg(feature = "asymmetric")]
pub use asymmetric::{
    ASYMMETRIC, AsymAlg, Asymmetric, BACKEND, RAW_ACTIVE, RAW_AWS_LC, RAW_RUSTCRYPTO,
};

use std::collections::HashSet;
use std::fmt::Display;
use std::hint::black_box;
use std::marker::PhantomData;
use std::time::{SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{EagerHash, Hmac, KeyInit, Mac};
use jwt_core::{Audience, HmacKey, NumericDate, Validation};
use jwt_simple::prelude::{
    Audiences, HS256Key, JWTClaims, MACLike as _, UnixTimeStamp, VerificationOptions,
};
#[cfg(feature = "oxitoken")]
use oxitoken::claims::{Aud, Exp, Iat, Iss, Jti, Nbf, Sub};
#[cfg(feature = "oxitoken")]
use oxitoken::header::Alg;
#[cfg(feature = "oxitoken")]
use oxitoken::validation::{StaticKeyProvider, ValidationPipeline};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Sha256, Sha384, Sha512};

/// The `sub` claim.
pub const SUBJECT: &str = "user-1234";
/// The `iss` claim, and the issuer every decoder expects.
pub const ISSUER: &str = "auth.example.com";
/// The `aud` claim, and the audience every decoder expects.
pub const AUDIENCE: &str = "api.example.com";
/// The `aud` of the token every decoder must refuse.
pub const OTHER_AUDIENCE: &str = "other.example.com";
/// The `jti` claim.
pub const JWT_ID: &str = "8f14e45f-ceea-467f-a0e6-0b1f3c1e2d4a";
/// The custom `role` claim.
pub const ROLE: &str = "admin";
/// The custom `scope` claim.
pub const SCOPE: &str = "read write";
/// Seconds from `iat` to `exp`, roughly: `exp` is an hour after the fixture is built.
pub const LIFETIME: i64 = 3600;

/// The name of the typed jwt-core contender in every set: the one the speedups are of.
pub const OURS_TYPED: &str = "jwt-core typed";
/// The name of the untyped jwt-core contender.
pub const OURS_UNTYPED: &str = "jwt-core untyped";
/// The name of the jsonwebtoken contender.
pub const JSONWEBTOKEN: &str = "jsonwebtoken";
/// The name of the jwt-simple contender.
pub const JWT_SIMPLE: &str = "jwt-simple";
/// The name of the oxitoken contender.
pub const OXITOKEN: &str = "oxitoken";
/// The name of the hand-written floor in every set: the one the ratios are to.
pub const FLOOR: &str = "floor";
/// The name of the raw HMAC, keyed for each call.
pub const RAW_HMAC: &str = "raw HMAC, keyed per call";
/// The name of the raw HMAC, cloned from a keyed state.
pub const RAW_HMAC_PREKEYED: &str = "raw HMAC, pre-keyed";

/// 64 bytes of secret; HS256, HS384 and HS512 use the first 32, 48 and 64.
const SECRET: &[u8; 64] = b"bench-secret-0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNO";

/// The HMAC algorithms the benchmarks cover.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HashAlg {
    /// HMAC-SHA256 with a 32-byte key.
    Hs256,
    /// HMAC-SHA384 with a 48-byte key.
    Hs384,
    /// HMAC-SHA512 with a 64-byte key.
    Hs512,
}

impl HashAlg {
    /// The JOSE name.
    pub const fn name(self) -> &'static str {
        match self {
            HashAlg::Hs256 => "HS256",
            HashAlg::Hs384 => "HS384",
            HashAlg::Hs512 => "HS512",
        }
    }

    /// The secret: as long as the hash output (RFC 7518 section 3.2).
    pub fn secret(self) -> &'static [u8] {
        match self {
            HashAlg::Hs256 => &SECRET[..32],
            HashAlg::Hs384 => &SECRET[..48],
            HashAlg::Hs512 => &SECRET[..],
        }
    }

    fn jsonwebtoken(self) -> jsonwebtoken::Algorithm {
        match self {
            HashAlg::Hs256 => jsonwebtoken::Algorithm::HS256,
            HashAlg::Hs384 => jsonwebtoken::Algorithm::HS384,
            HashAlg::Hs512 => jsonwebtoken::Algorithm::HS512,
        }
    }

    fn jwt_core_key(self) -> HmacKey {
        match self {
            HashAlg::Hs256 => HmacKey::hs256(self.secret()),
            HashAlg::Hs384 => HmacKey::hs384(self.secret()),
            HashAlg::Hs512 => HmacKey::hs512(self.secret()),
        }
        .expect("the secret is as long as the hash output")
    }

    #[cfg(feature = "oxitoken")]
    fn oxitoken(self) -> (oxitoken::Algorithm, aws_lc_rs::hmac::Algorithm) {
        match self {
            HashAlg::Hs256 => (oxitoken::Algorithm::HS256, aws_lc_rs::hmac::HMAC_SHA256),
            HashAlg::Hs384 => (oxitoken::Algorithm::HS384, aws_lc_rs::hmac::HMAC_SHA384),
            HashAlg::Hs512 => (oxitoken::Algorithm::HS512, aws_lc_rs::hmac::HMAC_SHA512),
        }
    }
}

/// The system clock in whole seconds since the epoch.
fn now_secs() -> i64 {
    let since = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("the clock is after 1970");
    i64::try_from(since.as_secs()).expect("the clock fits an i64")
}

/// The claims as the tokens are signed: every encoder writes these values.
#[derive(Serialize)]
struct Issued<'a> {
    sub: &'a str,
    iss: &'a str,
    aud: &'a str,
    exp: i64,
    iat: i64,
    nbf: i64,
    jti: &'a str,
    role: &'a str,
    scope: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    data: Option<&'a str>,
}

/// The shared tokens of one set: one valid token and three that every decoder refuses.
#[derive(Clone, Debug)]
pub struct Fixture {
    /// The JOSE name of the algorithm the tokens are signed with.
    pub alg: &'static str,
    /// `iat` and `nbf`; `exp` is an hour after the fixture was built.
    pub issued_at: i64,
    /// The padding claim `data`, in the scaling sets only.
    pub data: Option<String>,
    /// The valid token every decoder reads.
    pub token: String,
    /// The same claims with `aud` [`OTHER_AUDIENCE`].
    pub wrong_audience: String,
    /// The same claims, expired an hour ago.
    pub expired: String,
    /// The same claims with `nbf` an hour ahead.
    pub not_yet_valid: String,
    /// The valid token with its signature's first character changed.
    pub bad_signature: String,
}

impl Fixture {
    /// The nine claims, signed with `alg`.
    pub fn new(alg: HashAlg) -> Fixture {
        Fixture::hmac(alg, now_secs() - 1, None)
    }

    /// The nine claims plus a string claim `data` padded so that the JSON payload is
    /// about `payload_len` bytes (never shorter than the nine claims alone).
    pub fn with_payload_len(alg: HashAlg, payload_len: usize) -> Fixture {
        let issued_at = now_secs() - 1;
        let bare = serde_json::to_vec(&Fixture::issued(issued_at, AUDIENCE, 0, None))
            .expect("the claims serialize")
            .len();
        let overhead = r#","data":"""#.len();
        let pad = payload_len.saturating_sub(bare + overhead);
        let alphabet = b"abcdefghijklmnopqrstuvwxyz0123456789";
        let data = (0..pad)
            .map(|i| char::from(alphabet[i % alphabet.len()]))
            .collect();
        Fixture::hmac(alg, issued_at, Some(data))
    }

    fn hmac(alg: HashAlg, issued_at: i64, data: Option<String>) -> Fixture {
        Fixture::build(alg.name(), issued_at, data, |claims| {
            let header = jsonwebtoken::Header::new(alg.jsonwebtoken());
            let key = jsonwebtoken::EncodingKey::from_secret(alg.secret())
                .expect("the secret is not empty");
            jsonwebtoken::encode(&header, claims, &key).expect("jsonwebtoken signs")
        })
    }

    /// The tokens of `alg`, each signed by `sign`.
    fn build(
        alg: &'static str,
        issued_at: i64,
        data: Option<String>,
        sign: impl Fn(&Issued<'_>) -> String,
    ) -> Fixture {
        let data_ref = data.as_deref();
        let token = sign(&Fixture::issued(issued_at, AUDIENCE, 0, data_ref));
        let wrong_audience = sign(&Fixture::issued(issued_at, OTHER_AUDIENCE, 0, data_ref));
        let expired = sign(&Fixture::issued(
            issued_at,
            AUDIENCE,
            -2 * LIFETIME,
            data_ref,
        ));
        let mut early = Fixture::issued(issued_at, AUDIENCE, 0, data_ref);
        early.nbf += LIFETIME;
        let not_yet_valid = sign(&early);
        let signature_at = token.rfind('.').expect("three segments") + 1;
        let mut bad_signature = token.clone();
        let flipped = if token.as_bytes()[signature_at] == b'A' {
            "B"
        } else {
            "A"
        };
        bad_signature.replace_range(signature_at..=signature_at, flipped);
        Fixture {
            alg,
            issued_at,
            data,
            token,
            wrong_audience,
            expired,
            not_yet_valid,
            bad_signature,
        }
    }

    fn issued<'a>(issued_at: i64, aud: &'a str, shift: i64, data: Option<&'a str>) -> Issued<'a> {
        Issued {
            sub: SUBJECT,
            iss: ISSUER,
            aud,
            exp: issued_at + 1 + LIFETIME + shift,
            iat: issued_at + shift,
            nbf: issued_at + shift,
            jti: JWT_ID,
            role: ROLE,
            scope: SCOPE,
            data,
        }
    }

    /// `exp` of the valid token.
    pub fn expires_at(&self) -> i64 {
        self.issued_at + 1 + LIFETIME
    }

    /// The claims of the valid token as JSON, to compare decoded values with.
    pub fn expected_json(&self) -> Value {
        serde_json::to_value(Fixture::issued(
            self.issued_at,
            AUDIENCE,
            0,
            self.data.as_deref(),
        ))
        .expect("the claims serialize")
    }

    /// The length of the valid token's JSON payload, in bytes.
    pub fn payload_len(&self) -> usize {
        let payload = self.token.split('.').nth(1).expect("three segments");
        URL_SAFE_NO_PAD.decode(payload).expect("base64url").len()
    }

    /// The claims as [`Plain`].
    pub fn plain(&self) -> Plain {
        Plain {
            sub: SUBJECT.to_owned(),
            iss: ISSUER.to_owned(),
            aud: AUDIENCE.to_owned(),
            exp: self.expires_at(),
            iat: self.issued_at,
            nbf: self.issued_at,
            jti: JWT_ID.to_owned(),
            role: ROLE.to_owned(),
            scope: SCOPE.to_owned(),
        }
    }

    /// The claims as [`Typed`].
    pub fn typed(&self) -> Typed {
        Typed {
            sub: SUBJECT.to_owned(),
            iss: ISSUER.to_owned(),
            aud: Audience::from(AUDIENCE),
            exp: NumericDate::from_secs(self.expires_at()),
            iat: NumericDate::from_secs(self.issued_at),
            nbf: NumericDate::from_secs(self.issued_at),
            jti: JWT_ID.to_owned(),
            role: ROLE.to_owned(),
            scope: SCOPE.to_owned(),
        }
    }

    /// The claims as [`Untyped`].
    pub fn untyped(&self) -> Untyped {
        match self.expected_json() {
            Value::Object(map) => map,
            _ => unreachable!("the claims are an object"),
        }
    }

    /// The claims as jwt-simple's [`JwtSimpleClaims`].
    pub fn jwt_simple(&self) -> JwtSimpleClaims {
        let at = |secs: i64| UnixTimeStamp::from_secs(u64::try_from(secs).expect("after 1970"));
        JWTClaims {
            issued_at: Some(at(self.issued_at)),
            expires_at: Some(at(self.expires_at())),
            invalid_before: Some(at(self.issued_at)),
            issuer: Some(ISSUER.to_owned()),
            subject: Some(SUBJECT.to_owned()),
            audiences: Some(Audiences::AsString(AUDIENCE.to_owned())),
            jwt_id: Some(JWT_ID.to_owned()),
            nonce: None,
            custom: JwtSimpleCustom {
                role: ROLE.to_owned(),
                scope: SCOPE.to_owned(),
            },
        }
    }

    fn data(&self) -> String {
        self.data.clone().expect("a scaling fixture has data")
    }

    /// The claims as [`PlainData`] (scaling fixtures only).
    pub fn plain_data(&self) -> PlainData {
        let plain = self.plain();
        PlainData {
            sub: plain.sub,
            iss: plain.iss,
            aud: plain.aud,
            exp: plain.exp,
            iat: plain.iat,
            nbf: plain.nbf,
            jti: plain.jti,
            role: plain.role,
            scope: plain.scope,
            data: self.data(),
        }
    }

    /// The claims as [`TypedData`] (scaling fixtures only).
    pub fn typed_data(&self) -> TypedData {
        let typed = self.typed();
        TypedData {
            sub: typed.sub,
            iss: typed.iss,
            aud: typed.aud,
            exp: typed.exp,
            iat: typed.iat,
            nbf: typed.nbf,
            jti: typed.jti,
            role: typed.role,
            scope: typed.scope,
            data: self.data(),
        }
    }
}

/// The nine claims for jwt-core, whose attributes carry the issuer and audience rules.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, jwt_core::Claims)]
#[jwt(iss = "auth.example.com", aud = "api.example.com")]
pub struct Typed {
    sub: String,
    iss: String,
    aud: Audience,
    exp: NumericDate,
    iat: NumericDate,
    nbf: NumericDate,
    jti: String,
    role: String,
    scope: String,
}

/// [`Typed`] plus the padding claim `data`, for the scaling sets.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, jwt_core::Claims)]
#[jwt(iss = "auth.example.com", aud = "api.example.com")]
pub struct TypedData {
    sub: String,
    iss: String,
    aud: Audience,
    exp: NumericDate,
    iat: NumericDate,
    nbf: NumericDate,
    jti: String,
    role: String,
    scope: String,
    data: String,
}

/// Untyped claims for jwt-core: the rules come from a runtime `Validation`.
pub type Untyped = serde_json::Map<String, Value>;

/// The nine claims as a plain serde struct (`aud` a string, times integers), read by
/// jsonwebtoken, oxitoken and the floor alike.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Plain {
    sub: String,
    iss: String,
    aud: String,
    exp: i64,
    iat: i64,
    nbf: i64,
    jti: String,
    role: String,
    scope: String,
}

/// [`Plain`] plus the padding claim `data`, for the scaling sets.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlainData {
    sub: String,
    iss: String,
    aud: String,
    exp: i64,
    iat: i64,
    nbf: i64,
    jti: String,
    role: String,
    scope: String,
    data: String,
}

/// The four claims the floor checks.
pub trait FloorClaims {
    /// `iss`.
    fn issuer(&self) -> &str;
    /// `aud`.
    fn audience(&self) -> &str;
    /// `exp`.
    fn expires_at(&self) -> i64;
    /// `nbf`.
    fn not_before(&self) -> i64;
}

macro_rules! plain_claims {
    ($claims:ty) => {
        impl FloorClaims for $claims {
            fn issuer(&self) -> &str {
                &self.iss
            }
            fn audience(&self) -> &str {
                &self.aud
            }
            fn expires_at(&self) -> i64 {
                self.exp
            }
            fn not_before(&self) -> i64 {
                self.nbf
            }
        }

        #[cfg(feature = "oxitoken")]
        impl Iss for $claims {
            fn iss(&self) -> &str {
                &self.iss
            }
        }

        #[cfg(feature = "oxitoken")]
        impl Sub for $claims {
            fn sub(&self) -> &str {
                &self.sub
            }
        }

        #[cfg(feature = "oxitoken")]
        impl Aud for $claims {
            fn aud(&self) -> impl Iterator<Item = impl AsRef<str>> {
                std::iter::once(self.aud.as_str())
            }
        }

        #[cfg(feature = "oxitoken")]
        impl Exp for $claims {
            fn exp(&self) -> i64 {
                self.exp
            }
        }

        #[cfg(feature = "oxitoken")]
        impl Nbf for $claims {
            fn nbf(&self) -> i64 {
                self.nbf
            }
        }

        #[cfg(feature = "oxitoken")]
        impl Iat for $claims {
            fn iat(&self) -> i64 {
                self.iat
            }
        }

        #[cfg(feature = "oxitoken")]
        impl Jti for $claims {
            fn jti(&self) -> &str {
                &self.jti
            }
        }
    };
}

plain_claims!(Plain);
plain_claims!(PlainData);

/// The custom claims of jwt-simple (`jti` and the registered claims are its own).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct JwtSimpleCustom {
    role: String,
    scope: String,
}

/// The claims as jwt-simple reads and writes them.
pub type JwtSimpleClaims = JWTClaims<JwtSimpleCustom>;

fn refused<T>(what: &str, result: Result<T, impl Display>) -> T {
    result.unwrap_or_else(|error| panic!("{what} refused: {error}"))
}

/// jwt-core: `decode_with` with a key and `Validation` built once.
pub struct JwtCore<C> {
    key: HmacKey,
    validation: Validation,
    claims: PhantomData<fn() -> C>,
}

impl<C> JwtCore<C>
where
    C: jwt_core::Claims + Serialize + DeserializeOwned,
{
    /// A typed contender: the claims type's attributes carry `iss` and `aud`; the
    /// `Validation` adds nothing (system clock, no leeway).
    pub fn typed(alg: HashAlg) -> JwtCore<C> {
        JwtCore {
            key: alg.jwt_core_key(),
            validation: Validation::new(),
            claims: PhantomData,
        }
    }

    /// Decodes and validates, or says why not.
    ///
    /// # Errors
    ///
    /// The refusal, rendered.
    pub fn try_decode(&self, token: &str) -> Result<C, String> {
        jwt_core::decode_with::<C>(token, &self.key, &self.validation)
            .map(jwt_core::Token::into_claims)
            .map_err(|error| error.to_string())
    }

    /// Decodes and validates `token`.
    pub fn decode(&self, token: &str) -> C {
        refused("jwt-core", self.try_decode(token))
    }

    /// Signs `claims`.
    pub fn encode(&self, claims: &C) -> String {
        refused("jwt-core", jwt_core::encode(claims, &self.key))
    }
}

impl JwtCore<Untyped> {
    /// The untyped contender: `Validation::new().issuer(..).audience(..)`.
    pub fn untyped(alg: HashAlg) -> JwtCore<Untyped> {
        JwtCore {
            key: alg.jwt_core_key(),
            validation: Validation::new().issuer(ISSUER).audience(AUDIENCE),
            claims: PhantomData,
        }
    }
}

/// jsonwebtoken 12 (`rust_crypto`): keys, `Validation` and `Header` built once.
pub struct Jsonwebtoken<C> {
    decoding_key: jsonwebtoken::DecodingKey,
    encoding_key: jsonwebtoken::EncodingKey,
    validation: jsonwebtoken::Validation,
    header: jsonwebtoken::Header,
    claims: PhantomData<fn() -> C>,
}

impl<C: Serialize + DeserializeOwned> Jsonwebtoken<C> {
    /// `Validation::new(alg)` with `set_issuer`, `set_audience`, `validate_nbf` and no
    /// leeway (`validate_exp` and the required `exp` are its defaults).
    pub fn new(alg: HashAlg) -> Jsonwebtoken<C> {
        let mut validation = jsonwebtoken::Validation::new(alg.jsonwebtoken());
        validation.set_issuer(&[ISSUER]);
        validation.set_audience(&[AUDIENCE]);
        validation.validate_exp = true;
        validation.validate_nbf = true;
        validation.leeway = 0;
        Jsonwebtoken {
            decoding_key: jsonwebtoken::DecodingKey::from_secret(alg.secret())
                .expect("the secret is not empty"),
            encoding_key: jsonwebtoken::EncodingKey::from_secret(alg.secret())
                .expect("the secret is not empty"),
            validation,
            header: jsonwebtoken::Header::new(alg.jsonwebtoken()),
            claims: PhantomData,
        }
    }

    /// The same for an asymmetric algorithm: `DecodingKey` and `EncodingKey` read from
    /// PEM once (`from_rsa_pem`, `from_ec_pem`, `from_ed_pem`).
    #[cfg(feature = "asymmetric")]
    pub fn asymmetric(alg: AsymAlg) -> Jsonwebtoken<C> {
        let public = alg.public_pem().as_bytes();
        let private = alg.private_pem().as_bytes();
        let (decoding_key, encoding_key) = match alg {
            AsymAlg::Rs256 | AsymAlg::Ps256 => (
                jsonwebtoken::DecodingKey::from_rsa_pem(public),
                jsonwebtoken::EncodingKey::from_rsa_pem(private),
            ),
            AsymAlg::Es256 | AsymAlg::Es384 => (
                jsonwebtoken::DecodingKey::from_ec_pem(public),
                jsonwebtoken::EncodingKey::from_ec_pem(private),
            ),
            AsymAlg::EdDsa => (
                jsonwebtoken::DecodingKey::from_ed_pem(public),
                jsonwebtoken::EncodingKey::from_ed_pem(private),
            ),
        };
        let mut validation = jsonwebtoken::Validation::new(alg.jsonwebtoken());
        validation.set_issuer(&[ISSUER]);
        validation.set_audience(&[AUDIENCE]);
        validation.validate_exp = true;
        validation.validate_nbf = true;
        validation.leeway = 0;
        Jsonwebtoken {
            decoding_key: decoding_key.expect("jsonwebtoken reads the public key"),
            encoding_key: encoding_key.expect("jsonwebtoken reads the private key"),
            validation,
            header: jsonwebtoken::Header::new(alg.jsonwebtoken()),
            claims: PhantomData,
        }
    }

    /// Signs any claims with this contender's header and key (for the fixtures).
    #[cfg(feature = "asymmetric")]
    fn sign_any(&self, claims: &impl Serialize) -> String {
        refused(
            "jsonwebtoken",
            jsonwebtoken::encode(&self.header, claims, &self.encoding_key),
        )
    }

    /// Decodes and validates, or says why not.
    ///
    /// # Errors
    ///
    /// The refusal, rendered.
    pub fn try_decode(&self, token: &str) -> Result<C, String> {
        jsonwebtoken::decode::<C>(token, &self.decoding_key, &self.validation)
            .map(|data| data.claims)
            .map_err(|error| error.to_string())
    }

    /// Decodes and validates `token`.
    pub fn decode(&self, token: &str) -> C {
        refused("jsonwebtoken", self.try_decode(token))
    }

    /// Signs `claims`.
    pub fn encode(&self, claims: &C) -> String {
        refused(
            "jsonwebtoken",
            jsonwebtoken::encode(&self.header, claims, &self.encoding_key),
        )
    }
}

/// jwt-simple 0.15 (pure Rust), HS256 only: the key and `VerificationOptions` built once.
pub struct JwtSimple {
    key: HS256Key,
    options: VerificationOptions,
}

impl Default for JwtSimple {
    fn default() -> Self {
        JwtSimple::new()
    }
}

impl JwtSimple {
    /// `allowed_issuers`, `allowed_audiences` and no time tolerance (its default is 15
    /// minutes).
    pub fn new() -> JwtSimple {
        JwtSimple {
            key: HS256Key::from_bytes(HashAlg::Hs256.secret()),
            options: JwtSimple::options(),
        }
    }

    /// The options of every jwt-simple decoder.
    fn options() -> VerificationOptions {
        VerificationOptions {
            allowed_issuers: Some(HashSet::from([ISSUER.to_owned()])),
            allowed_audiences: Some(HashSet::from([AUDIENCE.to_owned()])),
            time_tolerance: Some(jwt_simple::prelude::Duration::from_secs(0)),
            ..VerificationOptions::default()
        }
    }

    /// Decodes and validates, or says why not. `verify_token` takes the options by
    /// value, so each call clones them.
    ///
    /// # Errors
    ///
    /// The refusal, rendered.
    pub fn try_decode(&self, token: &str) -> Result<JwtSimpleClaims, String> {
        self.key
            .verify_token::<JwtSimpleCustom>(token, Some(self.options.clone()))
            .map_err(|error| error.to_string())
    }

    /// Decodes and validates `token`.
    pub fn decode(&self, token: &str) -> JwtSimpleClaims {
        refused("jwt-simple", self.try_decode(token))
    }

    /// Signs `claims`. `authenticate` takes the claims by value, so each call clones them.
    pub fn encode(&self, claims: &JwtSimpleClaims) -> String {
        refused("jwt-simple", self.key.authenticate(claims.clone()))
    }
}

/// The header oxitoken reads and writes.
#[cfg(feature = "oxitoken")]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct OxitokenHeader {
    alg: oxitoken::Algorithm,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    typ: Option<String>,
}

#[cfg(feature = "oxitoken")]
impl Alg for OxitokenHeader {
    fn alg(&self) -> oxitoken::Algorithm {
        self.alg
    }
}

/// oxitoken 0.1 (`aws-lc-rs`): a `ValidationPipeline` checking `exp`, `nbf`, `iss` and
/// `aud`, and an `aws_lc_rs::hmac::Key`, built once.
#[cfg(feature = "oxitoken")]
pub struct Oxitoken<C> {
    pipeline: ValidationPipeline<OxitokenHeader, C, StaticKeyProvider<aws_lc_rs::hmac::Key>>,
    key: aws_lc_rs::hmac::Key,
    header: OxitokenHeader,
}

#[cfg(feature = "oxitoken")]
impl<C> Oxitoken<C>
where
    C: Serialize + DeserializeOwned + Iss + Aud + Exp + Nbf + 'static,
{
    /// The pipeline: expiration, not-before, issuer and audience validators.
    pub fn new(alg: HashAlg) -> Oxitoken<C> {
        let (jose, aws) = alg.oxitoken();
        let key = aws_lc_rs::hmac::Key::new(aws, alg.secret());
        let pipeline = ValidationPipeline::builder(StaticKeyProvider::new(key.clone()))
            .with_expiration_validator()
            .with_not_before_validator()
            .with_issuer_validator(ISSUER)
            .with_audience_validator(AUDIENCE)
            .build();
        Oxitoken {
            pipeline,
            key,
            header: OxitokenHeader {
                alg: jose,
                typ: Some("JWT".to_owned()),
            },
        }
    }

    /// Decodes and validates, or says why not.
    ///
    /// # Errors
    ///
    /// The refusal, rendered.
    pub fn try_decode(&self, token: &str) -> Result<C, String> {
        self.pipeline
            .verify(token.as_bytes())
            .map(|(_header, claims)| claims)
            .map_err(|error| error.to_string())
    }

    /// Decodes and validates `token`.
    pub fn decode(&self, token: &str) -> C {
        refused("oxitoken", self.try_decode(token))
    }

    /// Signs `claims`.
    pub fn encode(&self, claims: &C) -> String {
        refused(
            "oxitoken",
            oxitoken::encoding::encode(&self.key, &self.header, claims),
        )
    }
}

#[derive(Deserialize)]
struct FloorHeaderIn {
    alg: String,
}

#[derive(Serialize)]
struct FloorHeaderOut {
    alg: &'static str,
    typ: &'static str,
}

/// The floor: what a straightforward hand-written implementation does with
/// `serde_json`, `base64` and `hmac`, and nothing more.
///
/// Decoding splits at the dots, base64url-decodes header and payload to vectors, reads
/// the header's `alg` into a struct and compares it with the expected name, keys an
/// HMAC for this call and verifies the decoded signature over the signing input,
/// deserializes the payload into the claims struct and checks `exp`, `nbf`, `iss` and
/// `aud`. Encoding serializes header and claims to vectors, base64url-encodes each,
/// keys an HMAC for this call and appends its base64url MAC.
pub struct Floor<C, D> {
    secret: &'static [u8],
    alg: &'static str,
    types: PhantomData<fn() -> (C, D)>,
}

impl<C, D> Floor<C, D>
where
    C: Serialize + DeserializeOwned + FloorClaims,
    D: EagerHash,
    Hmac<D>: KeyInit + Mac,
{
    /// The floor for `alg`, whose hash must be `D`.
    pub fn new(alg: HashAlg) -> Floor<C, D> {
        Floor {
            secret: alg.secret(),
            alg: alg.name(),
            types: PhantomData,
        }
    }

    /// Decodes and validates, or says why not.
    ///
    /// # Errors
    ///
    /// The refusal.
    pub fn try_decode(&self, token: &str) -> Result<C, String> {
        let mut parts = token.split('.');
        let (Some(header), Some(payload), Some(signature), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err("not three segments".to_owned());
        };
        let header_json = URL_SAFE_NO_PAD
            .decode(header)
            .map_err(|error| error.to_string())?;
        let payload_json = URL_SAFE_NO_PAD
            .decode(payload)
            .map_err(|error| error.to_string())?;
        let parsed: FloorHeaderIn =
            serde_json::from_slice(&header_json).map_err(|error| error.to_string())?;
        if parsed.alg != self.alg {
            return Err(format!("alg {}", parsed.alg));
        }
        let signature = URL_SAFE_NO_PAD
            .decode(signature)
            .map_err(|error| error.to_string())?;
        let mut mac =
            <Hmac<D> as KeyInit>::new_from_slice(self.secret).map_err(|error| error.to_string())?;
        mac.update(&token.as_bytes()[..header.len() + 1 + payload.len()]);
        mac.verify_slice(&signature)
            .map_err(|_| "bad signature".to_owned())?;
        let claims: C = serde_json::from_slice(&payload_json).map_err(|error| error.to_string())?;
        let now = now_secs();
        if claims.expires_at() <= now {
            return Err("expired".to_owned());
        }
        if claims.not_before() > now {
            return Err("not yet valid".to_owned());
        }
        if claims.issuer() != ISSUER {
            return Err("wrong issuer".to_owned());
        }
        if claims.audience() != AUDIENCE {
            return Err("wrong audience".to_owned());
        }
        Ok(claims)
    }

    /// Decodes and validates `token`.
    pub fn decode(&self, token: &str) -> C {
        refused("the floor", self.try_decode(token))
    }

    /// Signs `claims`.
    pub fn encode(&self, claims: &C) -> String {
        let header = serde_json::to_vec(&FloorHeaderOut {
            alg: self.alg,
            typ: "JWT",
        })
        .expect("the header serializes");
        let payload = serde_json::to_vec(claims).expect("the claims serialize");
        let mut token = URL_SAFE_NO_PAD.encode(header);
        token.push('.');
        token.push_str(&URL_SAFE_NO_PAD.encode(payload));
        let mut mac = <Hmac<D> as KeyInit>::new_from_slice(self.secret)
            .expect("HMAC takes a key of any length");
        mac.update(token.as_bytes());
        let tag = mac.finalize().into_bytes();
        token.push('.');
        token.push_str(&URL_SAFE_NO_PAD.encode(tag));
        token
    }
}

/// The limit: HMAC-SHA256 over the shared token's signing input and nothing else.
pub struct RawHmac {
    secret: &'static [u8],
    keyed: Hmac<Sha256>,
    signing_input: Vec<u8>,
    signature: Vec<u8>,
}

impl RawHmac {
    /// Splits `token` (HS256) once into its signing input and decoded signature.
    pub fn new(token: &str) -> RawHmac {
        let dot = token.rfind('.').expect("three segments");
        let secret = HashAlg::Hs256.secret();
        RawHmac {
            secret,
            keyed: <Hmac<Sha256> as KeyInit>::new_from_slice(secret).expect("any key length"),
            signing_input: token.as_bytes()[..dot].to_vec(),
            signature: URL_SAFE_NO_PAD
                .decode(&token[dot + 1..])
                .expect("base64url"),
        }
    }

    fn verify_with(&self, mut mac: Hmac<Sha256>, signature: &[u8]) -> bool {
        mac.update(black_box(&self.signing_input));
        mac.verify_slice(signature).is_ok()
    }

    /// Verifies the signature with an HMAC keyed for this call.
    pub fn verify_keyed_per_call(&self) {
        let mac = <Hmac<Sha256> as KeyInit>::new_from_slice(black_box(self.secret))
            .expect("any key length");
        assert!(self.verify_with(mac, &self.signature), "raw HMAC refused");
    }

    /// Verifies the signature with a clone of the keyed state.
    pub fn verify_prekeyed(&self) {
        assert!(
            self.verify_with(self.keyed.clone(), &self.signature),
            "raw HMAC refused"
        );
    }

    /// Computes the MAC with an HMAC keyed for this call.
    pub fn sign_keyed_per_call(&self) -> [u8; 32] {
        let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(black_box(self.secret))
            .expect("any key length");
        mac.update(black_box(&self.signing_input));
        mac.finalize().into_bytes().into()
    }

    /// Computes the MAC with a clone of the keyed state.
    pub fn sign_prekeyed(&self) -> [u8; 32] {
        let mut mac = self.keyed.clone();
        mac.update(black_box(&self.signing_input));
        mac.finalize().into_bytes().into()
    }
}

/// The contenders of one scaling set: the nine claims plus `data`.
pub struct Scaling {
    /// The tokens, with the padded claim.
    pub fixture: Fixture,
    /// jwt-core with [`TypedData`].
    pub ours_typed: JwtCore<TypedData>,
    /// jwt-core with [`Untyped`].
    pub ours_untyped: JwtCore<Untyped>,
    /// jsonwebtoken with [`PlainData`].
    pub jsonwebtoken: Jsonwebtoken<PlainData>,
    /// oxitoken with [`PlainData`].
    #[cfg(feature = "oxitoken")]
    pub oxitoken: Oxitoken<PlainData>,
    /// The floor with [`PlainData`].
    pub floor: Floor<PlainData, Sha256>,
    typed: TypedData,
    untyped: Untyped,
    plain: PlainData,
}

impl Scaling {
    /// The set whose JSON payload is about `payload_len` bytes.
    pub fn new(payload_len: usize) -> Scaling {
        let fixture = Fixture::with_payload_len(HashAlg::Hs256, payload_len);
        Scaling {
            ours_typed: JwtCore::typed(HashAlg::Hs256),
            ours_untyped: JwtCore::untyped(HashAlg::Hs256),
            jsonwebtoken: Jsonwebtoken::new(HashAlg::Hs256),
            #[cfg(feature = "oxitoken")]
            oxitoken: Oxitoken::new(HashAlg::Hs256),
            floor: Floor::new(HashAlg::Hs256),
            typed: fixture.typed_data(),
            untyped: fixture.untyped(),
            plain: fixture.plain_data(),
            fixture,
        }
    }
}

/// The contenders of one algorithm set: jwt-core typed, jsonwebtoken and the floor.
pub struct Algorithms<D> {
    /// This set's algorithm.
    pub alg: HashAlg,
    /// The tokens, signed with this set's algorithm.
    pub fixture: Fixture,
    /// jwt-core with [`Typed`].
    pub ours_typed: JwtCore<Typed>,
    /// jsonwebtoken with [`Plain`].
    pub jsonwebtoken: Jsonwebtoken<Plain>,
    /// The floor with [`Plain`] and hash `D`.
    pub floor: Floor<Plain, D>,
    typed: Typed,
    plain: Plain,
}

impl<D> Algorithms<D>
where
    D: EagerHash,
    Hmac<D>: KeyInit + Mac,
{
    /// The set for `alg`, whose hash must be `D`.
    pub fn new(alg: HashAlg) -> Algorithms<D> {
        let fixture = Fixture::new(alg);
        Algorithms {
            alg,
            ours_typed: JwtCore::typed(alg),
            jsonwebtoken: Jsonwebtoken::new(alg),
            floor: Floor::new(alg),
            typed: fixture.typed(),
            plain: fixture.plain(),
            fixture,
        }
    }
}

/// Decode or encode.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    /// Verify and validate the shared token.
    Decode,
    /// Sign the shared claims.
    Encode,
}

impl Op {
    /// `"decode"` or `"encode"`.
    pub const fn name(self) -> &'static str {
        match self {
            Op::Decode => "decode",
            Op::Encode => "encode",
        }
    }
}

/// A set of cases measured together; ratios are taken within a set.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Set {
    /// All contenders on the nine-claim HS256 token.
    Main(Op),
    /// Decoding with a padded payload: the index into [`Suite::scaling`].
    Scaling(usize),
    /// HS384 or HS512.
    Algorithm(HashAlg, Op),
    /// An asymmetric algorithm: the index into [`Suite::asymmetric`].
    #[cfg(feature = "asymmetric")]
    Asymmetric(usize, Op),
}

/// What a set is and how big its payload is.
#[derive(Clone, Debug)]
pub struct SetInfo {
    /// Which set.
    pub set: Set,
    /// A title such as `"decode"` or `"scaling, 2 KiB payload"`.
    pub title: String,
    /// A short parameter for benchmark ids, such as `"2KiB"` or `"HS384"`.
    pub param: String,
    /// The JSON payload length of the set's token, in bytes.
    pub payload_len: usize,
    /// The length of the set's token, in bytes.
    pub token_len: usize,
    /// The contender the set's ratios are to: [`FLOOR`] in the HMAC sets, the raw
    /// signature operation of jwt-core's backend in the asymmetric ones.
    pub reference: &'static str,
}

/// Receives the cases of a set, one closure per contender.
pub trait Cases<'a> {
    /// One case: `run` performs one operation and returns its result.
    fn case<R>(&mut self, contender: &'static str, run: impl Fn() -> R + 'a);
}

/// The payload sizes of the scaling sets, in bytes.
pub const SCALING_PAYLOADS: [usize; 3] = [200, 2 * 1024, 16 * 1024];

/// Every contender of every set, set up once.
pub struct Suite {
    /// The nine-claim HS256 tokens.
    pub fixture: Fixture,
    /// jwt-core with [`Typed`].
    pub ours_typed: JwtCore<Typed>,
    /// jwt-core with [`Untyped`].
    pub ours_untyped: JwtCore<Untyped>,
    /// jsonwebtoken with [`Plain`].
    pub jsonwebtoken: Jsonwebtoken<Plain>,
    /// jwt-simple.
    pub jwt_simple: JwtSimple,
    /// oxitoken with [`Plain`].
    #[cfg(feature = "oxitoken")]
    pub oxitoken: Oxitoken<Plain>,
    /// The floor with [`Plain`].
    pub floor: Floor<Plain, Sha256>,
    /// HMAC-SHA256 alone.
    pub raw_hmac: RawHmac,
    /// The scaling sets, one per entry of [`SCALING_PAYLOADS`].
    pub scaling: Vec<Scaling>,
    /// HS384.
    pub hs384: Algorithms<Sha384>,
    /// HS512.
    pub hs512: Algorithms<Sha512>,
    /// RS256, PS256, ES256, ES384 and `EdDSA`, in the order of [`ASYMMETRIC`].
    #[cfg(feature = "asymmetric")]
    pub asymmetric: Vec<Asymmetric>,
    typed: Typed,
    untyped: Untyped,
    plain: Plain,
    jwt_simple_claims: JwtSimpleClaims,
}

impl Default for Suite {
    fn default() -> Self {
        Suite::new()
    }
}

impl Suite {
    /// Builds every fixture and contender.
    pub fn new() -> Suite {
        let fixture = Fixture::new(HashAlg::Hs256);
        Suite {
            ours_typed: JwtCore::typed(HashAlg::Hs256),
            ours_untyped: JwtCore::untyped(HashAlg::Hs256),
            jsonwebtoken: Jsonwebtoken::new(HashAlg::Hs256),
            jwt_simple: JwtSimple::new(),
            #[cfg(feature = "oxitoken")]
            oxitoken: Oxitoken::new(HashAlg::Hs256),
            floor: Floor::new(HashAlg::Hs256),
            raw_hmac: RawHmac::new(&fixture.token),
            scaling: SCALING_PAYLOADS.into_iter().map(Scaling::new).collect(),
            hs384: Algorithms::new(HashAlg::Hs384),
            hs512: Algorithms::new(HashAlg::Hs512),
            #[cfg(feature = "asymmetric")]
            asymmetric: ASYMMETRIC.into_iter().map(Asymmetric::new).collect(),
            typed: fixture.typed(),
            untyped: fixture.untyped(),
            plain: fixture.plain(),
            jwt_simple_claims: fixture.jwt_simple(),
            fixture,
        }
    }

    /// Every set, in report order.
    pub fn sets(&self) -> Vec<SetInfo> {
        let info = |set: Set, title: String, param: String, fixture: &Fixture| SetInfo {
            set,
            title,
            param,
            payload_len: fixture.payload_len(),
            token_len: fixture.token.len(),
            reference: FLOOR,
        };
        let mut sets = vec![
            info(
                Set::Main(Op::Decode),
                "decode".to_owned(),
                "HS256".to_owned(),
                &self.fixture,
            ),
            info(
                Set::Main(Op::Encode),
                "encode".to_owned(),
                "HS256".to_owned(),
                &self.fixture,
            ),
        ];
        for (index, scaling) in self.scaling.iter().enumerate() {
            let target = SCALING_PAYLOADS[index];
            let label = if target >= 1024 {
                format!("{} KiB", target / 1024)
            } else {
                format!("{target} B")
            };
            sets.push(info(
                Set::Scaling(index),
                format!("scaling: decode, {label} payload"),
                label.replace(' ', ""),
                &scaling.fixture,
            ));
        }
        for (alg, fixture) in [
            (HashAlg::Hs384, &self.hs384.fixture),
            (HashAlg::Hs512, &self.hs512.fixture),
        ] {
            for op in [Op::Decode, Op::Encode] {
                sets.push(info(
                    Set::Algorithm(alg, op),
                    format!("algorithms: {} {}", alg.name(), op.name()),
                    alg.name().to_owned(),
                    fixture,
                ));
            }
        }
        #[cfg(feature = "asymmetric")]
        for (index, set) in self.asymmetric.iter().enumerate() {
            for op in [Op::Decode, Op::Encode] {
                let mut asymmetric = info(
                    Set::Asymmetric(index, op),
                    format!("asymmetric: {} {} ({BACKEND})", set.alg.name(), op.name()),
                    set.alg.name().to_owned(),
                    &set.fixture,
                );
                asymmetric.reference = RAW_ACTIVE;
                sets.push(asymmetric);
            }
        }
        sets
    }

    /// Hands every case of `set` to `cases`, in a fixed order.
    pub fn cases<'a>(&'a self, set: Set, cases: &mut impl Cases<'a>) {
        match set {
            Set::Main(Op::Decode) => self.main_decode(cases),
            Set::Main(Op::Encode) => self.main_encode(cases),
            Set::Scaling(index) => {
                let s = &self.scaling[index];
                let token = s.fixture.token.as_str();
                cases.case(OURS_TYPED, move || s.ours_typed.decode(black_box(token)));
                cases.case(OURS_UNTYPED, move || {
                    s.ours_untyped.decode(black_box(token))
                });
                cases.case(JSONWEBTOKEN, move || {
                    s.jsonwebtoken.decode(black_box(token))
                });
                #[cfg(feature = "oxitoken")]
                cases.case(OXITOKEN, move || s.oxitoken.decode(black_box(token)));
                cases.case(FLOOR, move || s.floor.decode(black_box(token)));
            }
            Set::Algorithm(HashAlg::Hs384, op) => Suite::algorithm_cases(&self.hs384, op, cases),
            Set::Algorithm(HashAlg::Hs512, op) => Suite::algorithm_cases(&self.hs512, op, cases),
            Set::Algorithm(HashAlg::Hs256, op) => self.cases(Set::Main(op), cases),
            #[cfg(feature = "asymmetric")]
            Set::Asymmetric(index, op) => self.asymmetric[index].cases(op, cases),
        }
    }

    fn main_decode<'a>(&'a self, cases: &mut impl Cases<'a>) {
        let token = self.fixture.token.as_str();
        cases.case(OURS_TYPED, move || self.ours_typed.decode(black_box(token)));
        cases.case(OURS_UNTYPED, move || {
            self.ours_untyped.decode(black_box(token))
        });
        cases.case(JSONWEBTOKEN, move || {
            self.jsonwebtoken.decode(black_box(token))
        });
        cases.case(JWT_SIMPLE, move || self.jwt_simple.decode(black_box(token)));
        #[cfg(feature = "oxitoken")]
        cases.case(OXITOKEN, move || self.oxitoken.decode(black_box(token)));
        cases.case(FLOOR, move || self.floor.decode(black_box(token)));
        cases.case(RAW_HMAC, move || self.raw_hmac.verify_keyed_per_call());
        cases.case(RAW_HMAC_PREKEYED, move || self.raw_hmac.verify_prekeyed());
    }

    fn main_encode<'a>(&'a self, cases: &mut impl Cases<'a>) {
        cases.case(OURS_TYPED, move || {
            self.ours_typed.encode(black_box(&self.typed))
        });
        cases.case(OURS_UNTYPED, move || {
            self.ours_untyped.encode(black_box(&self.untyped))
        });
        cases.case(JSONWEBTOKEN, move || {
            self.jsonwebtoken.encode(black_box(&self.plain))
        });
        cases.case(JWT_SIMPLE, move || {
            self.jwt_simple.encode(black_box(&self.jwt_simple_claims))
        });
        #[cfg(feature = "oxitoken")]
        cases.case(OXITOKEN, move || {
            self.oxitoken.encode(black_box(&self.plain))
        });
        cases.case(FLOOR, move || self.floor.encode(black_box(&self.plain)));
        cases.case(RAW_HMAC, move || self.raw_hmac.sign_keyed_per_call());
        cases.case(RAW_HMAC_PREKEYED, move || self.raw_hmac.sign_prekeyed());
    }

    fn algorithm_cases<'a, D>(set: &'a Algorithms<D>, op: Op, cases: &mut impl Cases<'a>)
    where
        D: EagerHash,
        Hmac<D>: KeyInit + Mac,
    {
        let token = set.fixture.token.as_str();
        match op {
            Op::Decode => {
                cases.case(OURS_TYPED, move || set.ours_typed.decode(black_box(token)));
                cases.case(JSONWEBTOKEN, move || {
                    set.jsonwebtoken.decode(black_box(token))
                });
                cases.case(FLOOR, move || set.floor.decode(black_box(token)));
            }
            Op::Encode => {
                cases.case(OURS_TYPED, move || {
                    set.ours_typed.encode(black_box(&set.typed))
                });
                cases.case(JSONWEBTOKEN, move || {
                    set.jsonwebtoken.encode(black_box(&set.plain))
                });
                cases.case(FLOOR, move || set.floor.encode(black_box(&set.plain)));
            }
        }
    }

    /// Asserts that every decoder accepts its set's token with the expected values and
    /// refuses a token for another audience, an expired one, one not yet valid and one
    /// with a bad signature; that every encoder's token decodes (with jwt-core, untyped) to the
    /// expected values; and that the raw HMAC matches the token's MAC. Call it before
    /// measuring anything.
    pub fn check(&self) {
        let f = &self.fixture;
        check_decoder(OURS_TYPED, f, |t| self.ours_typed.try_decode(t));
        check_decoder(OURS_UNTYPED, f, |t| self.ours_untyped.try_decode(t));
        check_decoder(JSONWEBTOKEN, f, |t| self.jsonwebtoken.try_decode(t));
        check_decoder(JWT_SIMPLE, f, |t| self.jwt_simple.try_decode(t));
        #[cfg(feature = "oxitoken")]
        check_decoder(OXITOKEN, f, |t| self.oxitoken.try_decode(t));
        check_decoder(FLOOR, f, |t| self.floor.try_decode(t));

        let reader = JwtCore::untyped(HashAlg::Hs256);
        check_encoder(OURS_TYPED, f, &reader, &self.ours_typed.encode(&self.typed));
        check_encoder(
            OURS_UNTYPED,
            f,
            &reader,
            &self.ours_untyped.encode(&self.untyped),
        );
        check_encoder(
            JSONWEBTOKEN,
            f,
            &reader,
            &self.jsonwebtoken.encode(&self.plain),
        );
        check_encoder(
            JWT_SIMPLE,
            f,
            &reader,
            &self.jwt_simple.encode(&self.jwt_simple_claims),
        );
        #[cfg(feature = "oxitoken")]
        check_encoder(OXITOKEN, f, &reader, &self.oxitoken.encode(&self.plain));
        check_encoder(FLOOR, f, &reader, &self.floor.encode(&self.plain));

        self.raw_hmac.verify_keyed_per_call();
        self.raw_hmac.verify_prekeyed();
        let mac = URL_SAFE_NO_PAD.encode(self.raw_hmac.sign_keyed_per_call());
        assert!(f.token.ends_with(&format!(".{mac}")), "raw HMAC differs");
        assert_eq!(
            self.raw_hmac.sign_keyed_per_call(),
            self.raw_hmac.sign_prekeyed()
        );
        let tampered = RawHmac::new(&f.bad_signature);
        assert!(
            !tampered.verify_with(tampered.keyed.clone(), &tampered.signature),
            "raw HMAC accepted a bad signature"
        );

        for s in &self.scaling {
            let f = &s.fixture;
            check_decoder(OURS_TYPED, f, |t| s.ours_typed.try_decode(t));
            check_decoder(OURS_UNTYPED, f, |t| s.ours_untyped.try_decode(t));
            check_decoder(JSONWEBTOKEN, f, |t| s.jsonwebtoken.try_decode(t));
            #[cfg(feature = "oxitoken")]
            check_decoder(OXITOKEN, f, |t| s.oxitoken.try_decode(t));
            check_decoder(FLOOR, f, |t| s.floor.try_decode(t));
            check_encoder(OURS_TYPED, f, &reader, &s.ours_typed.encode(&s.typed));
            check_encoder(OURS_UNTYPED, f, &reader, &s.ours_untyped.encode(&s.untyped));
            check_encoder(JSONWEBTOKEN, f, &reader, &s.jsonwebtoken.encode(&s.plain));
            #[cfg(feature = "oxitoken")]
            check_encoder(OXITOKEN, f, &reader, &s.oxitoken.encode(&s.plain));
            check_encoder(FLOOR, f, &reader, &s.floor.encode(&s.plain));
        }
        check_algorithms(&self.hs384);
        check_algorithms(&self.hs512);
        #[cfg(feature = "asymmetric")]
        for set in &self.asymmetric {
            set.check();
        }
    }
}

fn check_algorithms<D>(set: &Algorithms<D>)
where
    D: EagerHash,
    Hmac<D>: KeyInit + Mac,
{
    let f = &set.fixture;
    check_decoder(OURS_TYPED, f, |t| set.ours_typed.try_decode(t));
    check_decoder(JSONWEBTOKEN, f, |t| set.jsonwebtoken.try_decode(t));
    check_decoder(FLOOR, f, |t| set.floor.try_decode(t));
    let reader = JwtCore::untyped(set.alg);
    check_encoder(OURS_TYPED, f, &reader, &set.ours_typed.encode(&set.typed));
    check_encoder(
        JSONWEBTOKEN,
        f,
        &reader,
        &set.jsonwebtoken.encode(&set.plain),
    );
    check_encoder(FLOOR, f, &reader, &set.floor.encode(&set.plain));
    // The other algorithms' keys must not verify this set's token.
    let other = if set.alg == HashAlg::Hs384 {
        HashAlg::Hs512
    } else {
        HashAlg::Hs384
    };
    assert!(
        JwtCore::<Untyped>::untyped(other)
            .try_decode(&f.token)
            .is_err(),
        "an {} key accepted an {} token",
        other.name(),
        f.alg
    );
}

#[track_caller]
fn check_decoder<C: Serialize>(
    name: &str,
    fixture: &Fixture,
    decode: impl Fn(&str) -> Result<C, String>,
) {
    let alg = fixture.alg;
    let claims = decode(&fixture.token)
        .unwrap_or_else(|error| panic!("{name} ({alg}) refused the shared token: {error}"));
    assert_eq!(
        serde_json::to_value(&claims).expect("the claims serialize"),
        fixture.expected_json(),
        "{name} ({alg}) decoded other values"
    );
    for (what, token) in [
        ("a token for another audience", &fixture.wrong_audience),
        ("an expired token", &fixture.expired),
        ("a token not valid for another hour", &fixture.not_yet_valid),
        ("a token with a bad signature", &fixture.bad_signature),
    ] {
        assert!(decode(token).is_err(), "{name} ({alg}) accepted {what}");
    }
}

#[track_caller]
fn check_encoder(name: &str, fixture: &Fixture, reader: &JwtCore<Untyped>, token: &str) {
    check_encoded(
        name,
        fixture,
        &|token: &str| reader.try_decode(token),
        token,
    );
}

/// Checks that `token` names the fixture's algorithm and carries the expected claims as
/// `read` (jwt-core, untyped, with the right key) reads them.
#[track_caller]
fn check_encoded(
    name: &str,
    fixture: &Fixture,
    read: &dyn Fn(&str) -> Result<Untyped, String>,
    token: &str,
) {
    let header = jwt_core::decode_header(token)
        .unwrap_or_else(|error| panic!("{name} wrote a bad header: {error}"));
    assert_eq!(header.alg.to_string(), fixture.alg, "{name}: header alg");
    let claims = read(token)
        .unwrap_or_else(|error| panic!("{name} wrote a token jwt-core refuses: {error}"));
    assert_eq!(
        Value::Object(claims),
        fixture.expected_json(),
        "{name} encoded other values"
    );
}

/// Builds the suite and runs [`Suite::check`].
pub fn check() -> Suite {
    let suite = Suite::new();
    suite.check();
    suite
}

/// The versions of the compared libraries, as resolved in the workspace's `Cargo.lock`
/// (passed in, so that this crate does not read files itself).
pub fn versions(lock: &str) -> Vec<(&'static str, String)> {
    const NAMES: [&str; 12] = [
        "jsonwebtoken",
        "jwt-simple",
        "oxitoken",
        "aws-lc-rs",
        "hmac",
        "sha2",
        "base64",
        "serde_json",
        "rsa",
        "p256",
        "p384",
        "ed25519-dalek",
    ];
    let mut found = Vec::new();
    let mut name: Option<&str> = None;
    for line in lock.lines() {
        if let Some(rest) = line.strip_prefix("name = ") {
            name = Some(rest.trim_matches('"'));
        } else if let Some(rest) = line.strip_prefix("version = ")
            && let Some(current) = name.take()
            && let Some(wanted) = NAMES.iter().find(|wanted| **wanted == current)
        {
            let version = rest.trim_matches('"').to_owned();
            // Several versions of a crate may be locked (sha2); keep the newest listed.
            found.retain(|(known, _): &(&str, String)| known != wanted);
            found.push((*wanted, version));
        }
    }
    found.sort_by_key(|(known, _)| NAMES.iter().position(|name| name == known));
    found
}

/// jsonwebtoken's backend in this build: `aws_lc_rs` when built by `aws-lc-peer/`
/// (feature `peer-aws-lc`, whose crate turns on `jsonwebtoken/aws_lc_rs`), else
/// `rust_crypto`.
#[cfg(feature = "peer-aws-lc")]
pub const JSONWEBTOKEN_BACKEND: &str = "aws_lc_rs";
/// jsonwebtoken's backend in this build: `aws_lc_rs` when built by `aws-lc-peer/`
/// (feature `peer-aws-lc`, whose crate turns on `jsonwebtoken/aws_lc_rs`), else
/// `rust_crypto`.
#[cfg(not(feature = "peer-aws-lc"))]
pub const JSONWEBTOKEN_BACKEND: &str = "rust_crypto";

/// The version of `name` in `versions` (from [`versions`]), or `?`.
fn version_of<'a>(versions: &'a [(&'static str, String)], name: &str) -> &'a str {
    versions
        .iter()
        .find(|(known, _)| *known == name)
        .map_or("?", |(_, version)| version.as_str())
}

/// The report's line of compared libraries and their versions, for this build's features.
pub fn libraries(versions: &[(&'static str, String)]) -> String {
    let version = |name| version_of(versions, name);
    let jsonwebtoken_backend = if cfg!(feature = "peer-aws-lc") {
        format!("{JSONWEBTOKEN_BACKEND}, aws-lc-rs {}", version("aws-lc-rs"))
    } else {
        JSONWEBTOKEN_BACKEND.to_owned()
    };
    let oxitoken = if cfg!(feature = "oxitoken") {
        format!(
            ", oxitoken {} (aws-lc-rs {})",
            version("oxitoken"),
            version("aws-lc-rs")
        )
    } else {
        String::new()
    };
    format!(
        "jwt-core {}, jsonwebtoken {} ({jsonwebtoken_backend}), jwt-simple {} (pure-rust){oxitoken}; \
         floor: hmac {} + sha2 {} + base64 {} + serde_json {}",
        env!("CARGO_PKG_VERSION"),
        version("jsonwebtoken"),
        version("jwt-simple"),
        version("hmac"),
        version("sha2"),
        version("base64"),
        version("serde_json"),
    )
}

/// The report's line on the asymmetric sets, if this build has them.
pub fn asymmetric_note(versions: &[(&'static str, String)]) -> Option<String> {
    #[cfg(feature = "asymmetric")]
    {
        let version = |name| version_of(versions, name);
        Some(format!(
            "- Asymmetric sets: jwt-core on {BACKEND}; their ratios are to the `{RAW_ACTIVE}` \
             row; raw rows: rsa {} + p256 {} + p384 {} + ed25519-dalek {}, and aws-lc-rs {}; \
             jsonwebtoken on {JSONWEBTOKEN_BACKEND} (see BENCHMARKS.md).",
            version("rsa"),
            version("p256"),
            version("p384"),
            version("ed25519-dalek"),
            version("aws-lc-rs"),
        ))
    }
    #[cfg(not(feature = "asymmetric"))]
    {
        let _ = versions;
        None
    }
}
