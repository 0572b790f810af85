//! `#[derive(Claims)]` under strict lints: the expansion must not trip the lints users turn
//! on, and each attribute must land in the policy where it belongs.

#![deny(
    warnings,
    missing_docs,
    unused_qualifications,
    unused_import_braces,
    unused_results,
    unreachable_pub,
    trivial_casts,
    trivial_numeric_casts,
    unsafe_code,
    rust_2018_idioms,
    nonstandard_style,
    clippy::all,
    clippy::pedantic,
    clippy::nursery,
    clippy::absolute_paths,
    clippy::std_instead_of_core,
    clippy::std_instead_of_alloc,
    clippy::used_underscore_binding
)]
// Contradicts `unreachable_pub` for the helper module below.
#![allow(clippy::redundant_pub_crate)]

extern crate alloc;

use alloc::borrow::Cow;
use core::fmt;

use jwt_core::{Audience, ClaimSet, Claims, ErrorKind, MissingExp, NumericDate, RegisteredClaim};
use serde::{Deserialize, Serialize};

/// The seed's claims: one issuer and one audience written by `encode`, leeway 30.
#[derive(Debug, Serialize, Deserialize, Claims)]
#[jwt(iss = "jiankaiwang", aud = "db-server", leeway = 30)]
pub struct DbUpdate {
    /// The subject.
    pub sub: String,
    /// The expiry.
    pub exp: NumericDate,
    /// A custom claim.
    pub timestamp: i64,
}

/// Every struct attribute at once, spread over two `#[jwt]`.
#[derive(Debug, Serialize, Deserialize, Claims)]
#[jwt(iss = ["https://a.example.com", "https://b.example.com"], aud = ["api", "admin"])]
#[jwt(sub = "service", typ = "at+jwt", leeway = 5, max_age = 86400, required = [jti, nbf], allow_missing_exp)]
pub struct EveryAttribute {
    /// One of the two issuers.
    pub iss: String,
    /// The audiences.
    pub aud: Audience,
    /// Optional, so not required by its type.
    pub exp: Option<NumericDate>,
    /// Required by `required`, though optional in the type.
    pub nbf: Option<NumericDate>,
    /// Required by `required`.
    pub jti: Option<String>,
    /// Optional.
    pub iat: Option<NumericDate>,
}

/// Lifetimes, type and const parameters, and a where clause.
#[derive(Debug, Claims)]
#[jwt(sub = "generic")]
pub struct Generic<'a, T, const N: usize>
where
    T: fmt::Debug,
{
    /// The expiry.
    pub exp: NumericDate,
    /// Borrowed data of a generic type.
    pub data: &'a [T; N],
}

/// Fields named for serde, not for Rust.
#[derive(Debug, Serialize, Deserialize, Claims)]
#[serde(rename_all = "camelCase")]
#[jwt(iss = "me", aud = "you")]
pub struct Renamed {
    /// Read and written as `exp`.
    #[serde(rename = "exp")]
    pub expires_at: NumericDate,
    /// Read as `iss`, written as `issuer`: `encode` writes the declared `iss` itself.
    #[serde(rename(serialize = "issuer", deserialize = "iss"))]
    pub issuer: String,
    /// Read and written as `aud`, so `encode` writes this field and not the declared value.
    #[serde(rename = "aud")]
    pub audience: Audience,
    /// `issuedAt` after `rename_all`: not a registered claim, so any type goes.
    pub issued_at: u64,
    /// Not read at all, so any type goes.
    #[serde(skip)]
    pub jti: u128,
    /// Absent means default, so not required.
    #[serde(default, rename = "nbf")]
    pub not_before: NumericDate,
    /// A keyword as a field name.
    #[jwt(validate = checks::not_empty)]
    pub r#type: String,
}

/// `rename_all` that turns a field into a registered claim.
#[derive(Debug, Serialize, Deserialize, Claims)]
#[serde(rename_all = "lowercase")]
#[jwt(allow_missing_exp)]
pub struct Lowercase {
    /// Read as `exp`.
    pub exp: Option<NumericDate>,
    /// Read as `jti`.
    pub jti: String,
}

/// Field validators, run in field order.
#[derive(Debug, Serialize, Deserialize, Claims)]
#[jwt(aud = "db-server")]
pub struct Validated {
    /// Must not be empty; the validator takes `&str`.
    #[jwt(validate = checks::not_empty)]
    pub sub: String,
    /// The expiry.
    pub exp: NumericDate,
    /// At most 10; a validator with a const parameter.
    #[jwt(validate = checks::at_most::<10>)]
    #[serde(rename = "n")]
    pub count: u32,
}

/// Values from consts, the build environment and `concat!`, alone and in lists.
#[derive(Debug, Serialize, Deserialize, Claims)]
#[jwt(iss = config::ISSUER, aud = [config::API, "web", env!("CARGO_PKG_NAME")])]
#[jwt(sub = concat!("svc-", "batch"), typ = config::TOKEN_TYPE)]
pub struct Configured {
    /// The expiry.
    pub exp: NumericDate,
    /// Written by this field, so the list of audiences needs no single value.
    pub aud: Audience,
}

/// Claims whose generated code reaches jwt-core through a re-export, with string claims
/// of other types than `String`.
#[derive(Debug, Serialize, Deserialize, Claims)]
#[jwt(crate = "reexport::jwt", iss = config::ISSUER, required = [jti])]
pub struct ThroughReexport {
    /// A boxed string.
    pub sub: Box<str>,
    /// A copy-on-write string.
    pub jti: Option<Cow<'static, str>>,
    /// The expiry.
    pub exp: NumericDate,
    /// Checked by a validator of what the field dereferences to.
    #[jwt(validate = checks::not_empty)]
    pub team: Box<str>,
}

/// jwt-core under another name.
mod reexport {
    pub(crate) use jwt_core as jwt;
}

/// Where configured values come from.
mod config {
    /// The issuer.
    pub(crate) const ISSUER: &str = "https://auth.example.com";
    /// One audience.
    pub(crate) const API: &str = "api";
    /// The header `typ`.
    pub(crate) const TOKEN_TYPE: &str = "at+jwt";
}

/// Validators for the structs above.
mod checks {
    /// Refuses an empty string.
    pub(crate) const fn not_empty(value: &str) -> Result<(), &'static str> {
        if value.is_empty() {
            Err("must not be empty")
        } else {
            Ok(())
        }
    }

    /// Refuses a number above `MAX`.
    #[allow(
        clippy::trivially_copy_pass_by_ref,
        reason = "a validator takes its field by reference"
    )]
    pub(crate) fn at_most<const MAX: u32>(value: &u32) -> Result<(), String> {
        if *value > MAX {
            Err(format!("{value} is above {MAX}"))
        } else {
            Ok(())
        }
    }
}

fn claims(claims: &[RegisteredClaim]) -> ClaimSet {
    claims.iter().copied().collect()
}

#[test]
fn single_values_are_declared_and_written_on_encode() {
    let policy = DbUpdate::POLICY;
    assert_eq!(policy.issuer_list(), ["jiankaiwang"]);
    assert_eq!(policy.audience_list(), ["db-server"]);
    assert_eq!(policy.required_subject(), None);
    assert_eq!(policy.required_typ(), None);
    assert_eq!(policy.declared_leeway(), Some(30));
    assert_eq!(policy.declared_max_age(), None);
    assert_eq!(
        policy.required(),
        claims(&[RegisteredClaim::Sub, RegisteredClaim::Exp])
    );
    assert_eq!(
        policy.written_on_encode(),
        claims(&[RegisteredClaim::Iss, RegisteredClaim::Aud])
    );
    assert_eq!(policy.missing_exp(), MissingExp::Refuse);
}

#[test]
fn configured_values_map_to_the_policy() {
    let policy = Configured::POLICY;
    assert_eq!(policy.issuer_list(), ["https://auth.example.com"]);
    assert_eq!(policy.audience_list(), ["api", "web", "jwt-tests"]);
    assert_eq!(policy.required_subject(), Some("svc-batch"));
    assert_eq!(policy.required_typ(), Some("at+jwt"));
    assert_eq!(
        policy.written_on_encode(),
        claims(&[RegisteredClaim::Iss, RegisteredClaim::Sub])
    );
}

#[test]
fn reexported_crate_path_gives_the_same_rules() {
    let policy = ThroughReexport::POLICY;
    assert_eq!(policy.issuer_list(), ["https://auth.example.com"]);
    assert_eq!(
        policy.required(),
        claims(&[
            RegisteredClaim::Sub,
            RegisteredClaim::Exp,
            RegisteredClaim::Jti
        ])
    );
    let mut claims = ThroughReexport {
        sub: "user-42".into(),
        jti: None,
        exp: NumericDate::from_secs(1),
        team: "core".into(),
    };
    assert!(claims.validate_fields().is_ok());
    claims.team = "".into();
    assert_eq!(
        claims.validate_fields().unwrap_err().kind(),
        ErrorKind::Custom
    );
}

#[test]
fn every_attribute_maps_to_the_policy() {
    let policy = EveryAttribute::POLICY;
    assert_eq!(
        policy.issuer_list(),
        ["https://a.example.com", "https://b.example.com"]
    );
    assert_eq!(policy.audience_list(), ["api", "admin"]);
    assert_eq!(policy.required_subject(), Some("service"));
    assert_eq!(policy.required_typ(), Some("at+jwt"));
    assert_eq!(policy.declared_leeway(), Some(5));
    assert_eq!(policy.declared_max_age(), Some(86400));
    // `iss` and `aud` are required by their non-optional fields, `jti` and `nbf` by the
    // attribute; the optional `exp` and `iat` are not.
    assert_eq!(
        policy.required(),
        claims(&[
            RegisteredClaim::Iss,
            RegisteredClaim::Aud,
            RegisteredClaim::Nbf,
            RegisteredClaim::Jti
        ])
    );
    // `sub` has no field, so `encode` writes it; `iss` and `aud` have fields.
    assert_eq!(policy.written_on_encode(), claims(&[RegisteredClaim::Sub]));
    assert_eq!(policy.missing_exp(), MissingExp::Allow);
}

#[test]
fn generic_structs_get_the_same_policy() {
    let policy = <Generic<'static, u8, 4> as Claims>::POLICY;
    assert_eq!(policy, <Generic<'static, String, 0> as Claims>::POLICY);
    assert_eq!(policy.required_subject(), Some("generic"));
    assert_eq!(policy.required(), claims(&[RegisteredClaim::Exp]));
    assert_eq!(policy.written_on_encode(), claims(&[RegisteredClaim::Sub]));
    let data = [1_u8, 2, 3, 4];
    let value = Generic {
        exp: NumericDate::from_secs(1),
        data: &data,
    };
    assert!(value.validate_fields().is_ok());
}

#[test]
fn serde_names_decide_which_fields_are_claims() {
    let policy = Renamed::POLICY;
    // `exp` (renamed) and `iss` (renamed for reading) and `aud` are required; `nbf` has a
    // default; `jti` is skipped; `issuedAt` is no claim.
    assert_eq!(
        policy.required(),
        claims(&[
            RegisteredClaim::Iss,
            RegisteredClaim::Aud,
            RegisteredClaim::Exp
        ])
    );
    // `iss` is written as `issuer`, so `encode` writes the declared one; `aud` is written
    // by its field.
    assert_eq!(policy.written_on_encode(), claims(&[RegisteredClaim::Iss]));

    let lowercase = Lowercase::POLICY;
    assert_eq!(lowercase.required(), claims(&[RegisteredClaim::Jti]));
    assert_eq!(lowercase.missing_exp(), MissingExp::Allow);
}

#[test]
fn raw_identifier_fields_are_validated_under_their_serde_name() {
    let mut renamed = Renamed {
        expires_at: NumericDate::from_secs(1),
        issuer: "me".into(),
        audience: "you".into(),
        issued_at: 0,
        jti: 0,
        not_before: NumericDate::default(),
        r#type: "refresh".into(),
    };
    assert!(renamed.validate_fields().is_ok());
    renamed.r#type.clear();
    let error = renamed.validate_fields().unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Custom);
    assert!(error.to_string().contains("`type`"), "{error}");
}

#[test]
fn validator_that_refuses_gives_a_custom_error_naming_the_claim() {
    let mut claims = Validated {
        sub: "user-42".into(),
        exp: NumericDate::from_secs(1),
        count: 10,
    };
    assert!(claims.validate_fields().is_ok());

    claims.count = 11;
    let error = claims.validate_fields().unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Custom);
    let message = error.to_string();
    assert!(
        message.contains("`n`") && message.contains("11 is above 10"),
        "{message}"
    );

    // Validators run in field order: `sub` comes first.
    claims.sub.clear();
    let error = claims.validate_fields().unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Custom);
    assert!(
        error.to_string().contains("`sub`") && error.to_string().contains("must not be empty"),
        "{error}"
    );
}

#[test]
fn validator_that_refuses_fails_decoding() {
    let key = jwt_core::HmacKey::hs256([7_u8; 32]).unwrap();
    let now = NumericDate::from_secs(1_651_759_927);
    let claims = Validated {
        sub: String::new(),
        exp: now + 600,
        count: 1,
    };
    let token = jwt_core::encode(&claims, &key).unwrap();
    let validation = jwt_core::Validation::new().at(now);
    let refused: Result<jwt_core::Token<Validated>, _> =
        jwt_core::decode_with(&token, &key, &validation);
    let error = refused.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Custom);

    let claims = Validated {
        sub: "user-42".into(),
        exp: now + 600,
        count: 1,
    };
    let token = jwt_core::encode(&claims, &key).unwrap();
    let decoded: jwt_core::Token<Validated> =
        jwt_core::decode_with(&token, &key, &validation).unwrap();
    assert_eq!(decoded.claims().sub, "user-42");
}
