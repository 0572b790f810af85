//! Items the `#[derive(Claims)]` expansion refers to. Not public API: no stability.

use std::fmt::Display;

use crate::{Audience, Error, ErrorKind, NumericDate};

/// A type a time claim (`exp`, `nbf`, `iat`) may have.
#[diagnostic::on_unimplemented(
    message = "a time claim must be `jwt_core::NumericDate` or `Option<jwt_core::NumericDate>`, found `{Self}`",
    label = "`exp`, `nbf` and `iat` are `NumericDate`, seconds since the epoch"
)]
pub trait NumericDateClaim {}
impl NumericDateClaim for NumericDate {}
impl NumericDateClaim for Option<NumericDate> {}

/// A type a string claim (`iss`, `sub`, `jti`) may have.
#[diagnostic::on_unimplemented(
    message = "a string claim (`iss`, `sub`, `jti`) must be `String` or `Option<String>`, found `{Self}`",
    label = "use `String` or `Option<String>`"
)]
pub trait StringClaim {}
impl StringClaim for String {}
impl StringClaim for Option<String> {}

/// A type the `aud` claim may have.
#[diagnostic::on_unimplemented(
    message = "the `aud` claim must be `jwt_core::Audience` or `Option<jwt_core::Audience>`, found `{Self}`",
    label = "a token may carry `aud` as a string or an array of strings: use `jwt_core::Audience`"
)]
pub trait AudienceClaim {}
impl AudienceClaim for Audience {}
impl AudienceClaim for Option<Audience> {}

/// Compiles only when `T` may hold a time claim.
pub const fn assert_numeric_date_claim<T: NumericDateClaim + ?Sized>() {}

/// Compiles only when `T` may hold a string claim.
pub const fn assert_string_claim<T: StringClaim + ?Sized>() {}

/// Compiles only when `T` may hold the `aud` claim.
pub const fn assert_audience_claim<T: AudienceClaim + ?Sized>() {}

/// The error of a `#[jwt(validate = ...)]` function that refused the field named `claim`
/// (its JSON name).
#[cold]
pub fn validator_failed(claim: &'static str, error: &dyn Display) -> Error {
    Error::new(
        ErrorKind::Custom,
        format!("claim `{claim}` refused: {error}"),
    )
}
