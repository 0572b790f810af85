//! Items the `#[derive(Claims)]` expansion refers to. Not public API: no stability.

use std::borrow::Cow;
use std::fmt::Display;
use std::ops::Deref;
use std::rc::Rc;
use std::sync::Arc;

use crate::{Audience, Error, ErrorKind, NumericDate};

/// A type that can hold a string registered claim (`iss`, `sub` or `jti`) in a
/// `#[derive(Claims)]` struct: one whose serde form is a JSON string.
///
/// Implemented for `String`, `Box<str>`, `Arc<str>`, `Rc<str>` and `Cow<'static, str>`
/// (`Arc<str>` and `Rc<str>` need serde's `rc` feature to be (de)serialized), and for
/// `uuid::Uuid` with this crate's `uuid` feature. A field may also be an `Option` of one of
/// these. Implement it for a type of your own, typically a newtype that serializes as a
/// string, to use that type for the claim:
///
/// ```
/// use jwt_core::{Claims, HmacKey, NumericDate, StringClaim};
/// use serde::{Deserialize, Serialize};
///
/// /// A user id, written in tokens as a plain string.
/// #[derive(Debug, PartialEq, Serialize, Deserialize)]
/// #[serde(transparent)]
/// struct UserId(String);
///
/// impl StringClaim for UserId {}
///
/// #[derive(Debug, Serialize, Deserialize, Claims)]
/// struct Session {
///     sub: UserId,
///     exp: NumericDate,
/// }
///
/// let key = HmacKey::hs256([7; 32])?;
/// let session = Session { sub: UserId("user-42".into()), exp: NumericDate::now() + 600 };
/// let token = jwt_core::encode(&session, &key)?;
/// let back: Session = jwt_core::decode(&token, &key)?;
/// assert_eq!(back.sub, UserId("user-42".into()));
/// # Ok::<(), jwt_core::Error>(())
/// ```
///
/// The trait is a promise about the serde form, which the derive cannot see. Decoding
/// checks the claim in the token whatever the field's type: a token whose `sub` is not a
/// string is refused before the field is read.
pub trait StringClaim {}
impl StringClaim for String {}
impl StringClaim for Box<str> {}
impl StringClaim for Arc<str> {}
impl StringClaim for Rc<str> {}
impl StringClaim for Cow<'static, str> {}
#[cfg(feature = "uuid")]
impl StringClaim for uuid::Uuid {}

// One trait per registered claim, so that a field of the wrong type is reported with the
// claim's name in the first line of the error. Written out rather than by a macro, whose
// invocation would show in every such error.

/// A type the `iss` claim's field may have: a [`StringClaim`] or an `Option` of one.
#[diagnostic::on_unimplemented(
    message = "the `iss` claim must be a string type or an `Option` of one, found `{Self}`",
    label = "use `String`, `Box<str>`, `Arc<str>`, `Rc<str>`, `Cow<'static, str>` or a type that implements `jwt_core::StringClaim`"
)]
pub trait IssClaim {}
impl<T: StringClaim + ?Sized> IssClaim for T {}
impl<T: StringClaim> IssClaim for Option<T> {}

/// Compiles only when `T` may hold the `iss` claim.
pub const fn assert_iss_claim<T: IssClaim + ?Sized>() {}

/// A type the `sub` claim's field may have: a [`StringClaim`] or an `Option` of one.
#[diagnostic::on_unimplemented(
    message = "the `sub` claim must be a string type or an `Option` of one, found `{Self}`",
    label = "use `String`, `Box<str>`, `Arc<str>`, `Rc<str>`, `Cow<'static, str>` or a type that implements `jwt_core::StringClaim`"
)]
pub trait SubClaim {}
impl<T: StringClaim + ?Sized> SubClaim for T {}
impl<T: StringClaim> SubClaim for Option<T> {}

/// Compiles only when `T` may hold the `sub` claim.
pub const fn assert_sub_claim<T: SubClaim + ?Sized>() {}

/// A type the `jti` claim's field may have: a [`StringClaim`] or an `Option` of one.
#[diagnostic::on_unimplemented(
    message = "the `jti` claim must be a string type or an `Option` of one, found `{Self}`",
    label = "use `String`, `Box<str>`, `Arc<str>`, `Rc<str>`, `Cow<'static, str>` or a type that implements `jwt_core::StringClaim`"
)]
pub trait JtiClaim {}
impl<T: StringClaim + ?Sized> JtiClaim for T {}
impl<T: StringClaim> JtiClaim for Option<T> {}

/// Compiles only when `T` may hold the `jti` claim.
pub const fn assert_jti_claim<T: JtiClaim + ?Sized>() {}

/// A type the `exp` claim's field may have.
#[diagnostic::on_unimplemented(
    message = "the `exp` claim must be `NumericDate` or `Option<NumericDate>`, found `{Self}`",
    label = "a time claim is a `jwt_core::NumericDate`, seconds since the epoch"
)]
pub trait ExpClaim {}
impl ExpClaim for NumericDate {}
impl ExpClaim for Option<NumericDate> {}

/// Compiles only when `T` may hold the `exp` claim.
pub const fn assert_exp_claim<T: ExpClaim + ?Sized>() {}

/// A type the `nbf` claim's field may have.
#[diagnostic::on_unimplemented(
    message = "the `nbf` claim must be `NumericDate` or `Option<NumericDate>`, found `{Self}`",
    label = "a time claim is a `jwt_core::NumericDate`, seconds since the epoch"
)]
pub trait NbfClaim {}
impl NbfClaim for NumericDate {}
impl NbfClaim for Option<NumericDate> {}

/// Compiles only when `T` may hold the `nbf` claim.
pub const fn assert_nbf_claim<T: NbfClaim + ?Sized>() {}

/// A type the `iat` claim's field may have.
#[diagnostic::on_unimplemented(
    message = "the `iat` claim must be `NumericDate` or `Option<NumericDate>`, found `{Self}`",
    label = "a time claim is a `jwt_core::NumericDate`, seconds since the epoch"
)]
pub trait IatClaim {}
impl IatClaim for NumericDate {}
impl IatClaim for Option<NumericDate> {}

/// Compiles only when `T` may hold the `iat` claim.
pub const fn assert_iat_claim<T: IatClaim + ?Sized>() {}

/// A type the `aud` claim's field may have.
#[diagnostic::on_unimplemented(
    message = "the `aud` claim must be `Audience` or `Option<Audience>`, found `{Self}`",
    label = "a token may carry `aud` as a string or an array of strings: use `jwt_core::Audience`"
)]
pub trait AudClaim {}
impl AudClaim for Audience {}
impl AudClaim for Option<Audience> {}

/// Compiles only when `T` may hold the `aud` claim.
pub const fn assert_aud_claim<T: AudClaim + ?Sized>() {}

/// Fails the evaluation of the derive's `POLICY` const with `message` when the declared
/// value (a const, `env!` or `concat!`) is an empty string.
// Only called in a `const`, where a failed assertion is a compile error; no token reaches it.
pub const fn assert_not_empty(value: Option<&str>, message: &'static str) {
    if let Some(value) = value {
        assert!(!value.is_empty(), "{}", message);
    }
}

/// Fails the evaluation of the derive's `POLICY` const with `message` when the declared
/// value at `index` of `values` is an empty string.
// Only called in a `const`, where a failed assertion is a compile error; no token reaches it.
pub const fn assert_listed_not_empty(values: &[&str], index: usize, message: &'static str) {
    let mut rest = values;
    let mut position = 0;
    while let [first, others @ ..] = rest {
        assert!(position != index || !first.is_empty(), "{}", message);
        position += 1;
        rest = others;
    }
}

/// Fails the evaluation of the derive's `POLICY` const with `message` when two of the
/// declared values are equal.
// Only called in a `const`, where a failed assertion is a compile error; no token reaches it.
pub const fn assert_distinct(values: &[&str], message: &'static str) {
    let mut rest = values;
    while let [first, others @ ..] = rest {
        let mut others_left = others;
        while let [other, after @ ..] = others_left {
            assert!(
                !same_bytes(first.as_bytes(), other.as_bytes()),
                "{}",
                message
            );
            others_left = after;
        }
        rest = others;
    }
}

/// `a == b`, in a `const`.
const fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    let (mut a, mut b) = (a, b);
    loop {
        match (a, b) {
            ([], []) => return true,
            ([x, a_rest @ ..], [y, b_rest @ ..]) if *x == *y => {
                a = a_rest;
                b = b_rest;
            }
            _ => return false,
        }
    }
}

// A `#[jwt(validate = function)]` is called as
// `(&&&FieldValidator::new(function, &self.field, "name")).validate_field()`: method
// resolution tries the impl with the most references first, so the function is called with
// the field itself (`fn(&String)`), else with what the field dereferences to (`fn(&str)`
// for a `String`), else the call resolves to `NotAValidator`, whose bound fails with a
// message that says what a validator must look like, at the function's path. A generic
// validator (`fn(&T)` with `T` to infer) takes the first form.

/// A field and the `#[jwt(validate = ...)]` function to call with it.
pub struct FieldValidator<'a, F, T: ?Sized> {
    function: F,
    field: &'a T,
    /// The field's JSON name, for the error.
    name: &'static str,
}

impl<'a, F, T: ?Sized> FieldValidator<'a, F, T> {
    /// The validator `function` of the field `field`, read as `name`.
    pub const fn new(function: F, field: &'a T, name: &'static str) -> Self {
        FieldValidator {
            function,
            field,
            name,
        }
    }
}

/// A validator that takes a reference to the field.
pub trait ValidateField {
    /// Runs the validator.
    ///
    /// # Errors
    ///
    /// The validator's error, as a [`ErrorKind::Custom`] that names the field.
    fn validate_field(&self) -> Result<(), Error>;
}

impl<F, T, E> ValidateField for &&FieldValidator<'_, F, T>
where
    F: Fn(&T) -> Result<(), E>,
    T: ?Sized,
    E: Display,
{
    fn validate_field(&self) -> Result<(), Error> {
        (self.function)(self.field).map_err(|error| validator_failed(self.name, &error))
    }
}

/// A validator that takes a reference to what the field dereferences to.
pub trait ValidateDerefField {
    /// Runs the validator.
    ///
    /// # Errors
    ///
    /// The validator's error, as a [`ErrorKind::Custom`] that names the field.
    fn validate_field(&self) -> Result<(), Error>;
}

impl<F, T, E> ValidateDerefField for &FieldValidator<'_, F, T>
where
    F: Fn(&T::Target) -> Result<(), E>,
    T: Deref + ?Sized,
    E: Display,
{
    fn validate_field(&self) -> Result<(), Error> {
        (self.function)(&**self.field).map_err(|error| validator_failed(self.name, &error))
    }
}

/// What the call resolves to when the function is no validator of the field: its bound
/// fails, with [`Validator`]'s message.
pub trait NotAValidator {
    /// The function given.
    type Function;
    /// The field's type.
    type Field: ?Sized;

    /// Never callable: no function implements [`Validator`].
    ///
    /// # Errors
    ///
    /// None; the bound cannot hold.
    fn validate_field(&self) -> Result<(), Error>
    where
        Self::Function: Validator<Self::Field>;
}

impl<F, T: ?Sized> NotAValidator for FieldValidator<'_, F, T> {
    type Function = F;
    type Field = T;

    fn validate_field(&self) -> Result<(), Error>
    where
        F: Validator<T>,
    {
        self.function.unreachable()
    }
}

/// Implemented by no function: the bound that reports a `#[jwt(validate = ...)]` function
/// of the wrong signature.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot validate a field of type `{T}`",
    label = "expected a function `fn(&{T}) -> Result<(), E>` where `E: Display`",
    note = "a validator takes a reference to the field, or to what the field dereferences to (`&str` for a `String`), and returns `Ok(())` to accept the token or `Err(error)` to refuse it, with an `error` that implements `Display`"
)]
pub trait Validator<T: ?Sized> {
    /// Never called.
    fn unreachable(&self) -> Result<(), Error>;
}

/// The only implementor of [`Validator`], which has no values.
pub enum NoValidator {}

#[diagnostic::do_not_recommend]
impl<T: ?Sized> Validator<T> for NoValidator {
    fn unreachable(&self) -> Result<(), Error> {
        match *self {}
    }
}

/// The error of a `#[jwt(validate = ...)]` function that refused the field named `claim`
/// (its JSON name).
#[cold]
pub fn validator_failed(claim: &'static str, error: &dyn Display) -> Error {
    Error::new(
        ErrorKind::Custom,
        format!("claim `{claim}` refused: {error}"),
    )
}

#[cfg(test)]
mod tests {
    use super::same_bytes;

    #[test]
    fn same_bytes_compares_whole_slices() {
        assert!(same_bytes(b"", b""));
        assert!(same_bytes(b"api", b"api"));
        assert!(!same_bytes(b"api", b"apis"));
        assert!(!same_bytes(b"apis", b"api"));
        assert!(!same_bytes(b"api", b"apj"));
        assert!(!same_bytes(b"", b"a"));
    }
}

/// `uuid::Uuid` string claims, derived here through `#[jwt(crate = "crate")]`.
#[cfg(all(test, feature = "uuid", feature = "derive"))]
mod uuid_claims {
    use serde::{Deserialize, Serialize};
    use uuid::Uuid;

    use crate::{Claims, ErrorKind, HmacKey, NumericDate, Token, Validation};

    #[derive(Debug, PartialEq, Serialize, Deserialize, Claims)]
    #[jwt(crate = "crate", required = [jti])]
    struct Session {
        sub: Uuid,
        jti: Option<Uuid>,
        exp: NumericDate,
    }

    #[test]
    fn uuid_claims_are_written_as_strings_and_read_back() {
        let key = HmacKey::hs256([7; 32]).unwrap();
        let claims = Session {
            sub: Uuid::from_u128(0x0b4e_8a52_6c8f_4f3a_9f59_4a1e_2f8c_7d10),
            jti: Some(Uuid::nil()),
            exp: NumericDate::from_secs(2_000_000_000),
        };
        let token = crate::encode(&claims, &key).unwrap();
        let payload = crate::dangerous_unverified_decode::<serde_json::Value>(&token).unwrap();
        assert_eq!(
            payload.claims()["sub"],
            "0b4e8a52-6c8f-4f3a-9f59-4a1e2f8c7d10"
        );
        assert_eq!(
            payload.claims()["jti"],
            "00000000-0000-0000-0000-000000000000"
        );
        let validation = Validation::new().at(NumericDate::from_secs(1_900_000_000));
        let back = crate::decode_with::<Session>(&token, &key, &validation)
            .map(Token::into_claims)
            .unwrap();
        assert_eq!(back, claims);
        assert!(
            Session::POLICY
                .required()
                .contains(crate::RegisteredClaim::Jti)
        );
    }

    #[test]
    fn a_string_that_is_no_uuid_is_refused() {
        let key = HmacKey::hs256([7; 32]).unwrap();
        let token = crate::encode(
            &serde_json::json!({"sub": "user-42", "jti": "x", "exp": 2_000_000_000}),
            &key,
        )
        .unwrap();
        let validation = Validation::new().at(NumericDate::from_secs(1_900_000_000));
        let error = crate::decode_with::<Session>(&token, &key, &validation).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidClaim, "{error}");
    }
}
