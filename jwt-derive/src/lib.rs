//! `#[derive(Claims)]` for `jwt-core`. Use it through `jwt-core`, which re-exports it as
//! `jwt_core::Claims` behind its default `derive` feature.

#![forbid(unsafe_code)]

mod ast;
mod attr;
mod ctxt;
mod expand;
mod fallback;
mod symbol;
mod valid;

use proc_macro::TokenStream;
use syn::{DeriveInput, parse_macro_input};

/// Derives `jwt_core::Claims`: the claims struct declares the rules a token must meet.
///
/// ```
/// use jwt_core::{Claims, ErrorKind, HmacKey, NumericDate, Validation};
/// use serde::{Deserialize, Serialize};
///
/// #[derive(Debug, Serialize, Deserialize, Claims)]
/// #[jwt(iss = "jiankaiwang", aud = "db-server", leeway = 30)]
/// struct DbUpdate {
///     sub: String,
///     exp: NumericDate,
///     timestamp: i64,
/// }
///
/// let key = HmacKey::hs256(b"-----BEGIN PRIVATE KEY----------END PRIVATE KEY-----")?;
/// let claims = DbUpdate { sub: "updating-db".into(), exp: NumericDate::now() + 600, timestamp: 1 };
/// let token = jwt_core::encode(&claims, &key)?; // writes iss and aud, which have no field
/// let back: DbUpdate = jwt_core::decode(&token, &key)?;
/// assert_eq!(back.timestamp, 1);
///
/// // Past its expiry plus the leeway, the token is refused.
/// let later = Validation::new().at(claims.exp + 31);
/// let error = jwt_core::decode_with::<DbUpdate>(&token, &key, &later).unwrap_err();
/// assert_eq!(error.kind(), ErrorKind::Expired);
/// # Ok::<(), jwt_core::Error>(())
/// ```
///
/// An issuer and audience known only at run time (read from the deployment's
/// configuration) are declared `runtime` and taken from the `Validation`:
///
/// ```
/// use jwt_core::{Claims, ErrorKind, HmacKey, NumericDate, Validation, Verifier};
/// use serde::{Deserialize, Serialize};
///
/// #[derive(Debug, Serialize, Deserialize, Claims)]
/// #[jwt(iss = runtime, aud = runtime)]
/// struct Session {
///     sub: String,
///     exp: NumericDate,
/// }
///
/// let key = HmacKey::hs256(b"a secret of at least thirty-two bytes!")?;
/// let config = Validation::new().issuer("https://auth.example.com").audience("api");
/// let session = Session { sub: "user-1".into(), exp: NumericDate::now() + 600 };
/// let token = jwt_core::encode_with(&session, &key, &config)?; // writes iss and aud
///
/// let verifier = Verifier::new(key.clone(), config);
/// assert_eq!(verifier.decode::<Session>(&token)?.sub, "user-1");
///
/// // Without a configured issuer, every token is refused: the check cannot be forgotten.
/// let error = jwt_core::decode::<Session>(&token, &key).unwrap_err();
/// assert_eq!(error.kind(), ErrorKind::InvalidIssuer);
/// # Ok::<(), jwt_core::Error>(())
/// ```
///
/// # Struct attributes
///
/// All optional, in one `#[jwt(...)]` or spread over several; each key at most once.
///
/// | attribute | meaning |
/// |---|---|
/// | `iss = "a"` or `iss = ["a", "b"]` | the token's `iss` must be present and one of these |
/// | `iss = runtime` | the token's `iss` must be present and one of the `Validation`'s issuers; a validation without any refuses every token (`InvalidIssuer`) |
/// | `aud = "x"` or `aud = ["x", "y"]` | the token's `aud` must be present and contain one of these |
/// | `aud = runtime` | the token's `aud` must be present and contain one of the `Validation`'s audiences; a validation without any refuses every token (`InvalidAudience`) |
/// | `sub = "s"` | the token's `sub` must equal this |
/// | `typ = "at+jwt"` | the header's `typ` must equal this; `encode` writes it |
/// | `leeway = N` | seconds of clock skew allowed for `exp`, `nbf` and `iat` |
/// | `max_age = N` | `iat` must be present and at most N seconds old (plus leeway) |
/// | `required = [jti, nbf, ...]` | registered claims that must be present |
/// | `allow_missing_exp` | a token without `exp` is accepted |
/// | `crate = "path"` | the path at which the generated code finds jwt-core (default `::jwt_core`) |
///
/// `crate` is for a crate that renames its jwt-core dependency (`crate = "my_jwt"`) or
/// reaches it through a re-export (`crate = "deps::jwt"`); as with serde's attribute of
/// that name, the path is written in a string. Every path into jwt-core that the expansion
/// writes starts with it.
///
/// Each value of `iss`, `aud`, `sub` and `typ` is a string literal, a path to a
/// `&'static str` const (`iss = ISSUER`, `iss = config::ISSUER`), `env!("VAR")` or
/// `concat!(...)`, and a list may mix them: `aud = [API, "web", env!("EXTRA_AUDIENCE")]`.
/// The derive checks literals itself (not empty, not listed twice); for the other values
/// the same checks are const assertions, compile errors when the `POLICY` const is
/// evaluated: at once for a struct without generic parameters, where it is used for a
/// generic one. A const of another type than `&str` is rustc's type error at the value.
///
/// When `iss`, `aud` or `sub` has exactly one value and no field is serialized under that
/// name, `encode` writes the value. `iss` or `aud` with several values and no such field is
/// an error, since `encode` could not choose among them.
///
/// `runtime` (a bare word, so a const to use as a value cannot be named `runtime`) stands
/// alone: `iss = [runtime, "a"]` is an error, and `sub` and `typ` do not take it. With no
/// `iss` (or `aud`) field, `jwt_core::encode_with(&claims, &key, &validation)` writes the
/// one issuer (audience) the validation names, and refuses when it names none or several;
/// `jwt_core::encode` refuses such a type, having no value to write. With a field,
/// `encode` writes the field, and `encode_with` checks it against the validation.
/// Decoding checks the token's value against the validation's, exactly as
/// `Validation::issuer` and `Validation::audience` do for any type.
///
/// # Fields
///
/// A field that serde reads under the name of a registered claim (after `rename` and
/// `rename_all`; fields with `skip`, `skip_deserializing` or `flatten` are not read by name)
/// is that claim, and its type must fit: `NumericDate` for `exp`, `nbf` and `iat`,
/// `Audience` for `aud`, and for `iss`, `sub` and `jti` a string type (`String`, `Box<str>`,
/// `Arc<str>`, `Rc<str>`, `Cow<'static, str>`, `uuid::Uuid` with jwt-core's `uuid` feature,
/// or a type of one's own that implements `jwt_core::StringClaim`), or an `Option` of these. A
/// claim whose field is not an `Option` (and has no `#[serde(default)]`) is required. An
/// `Option` is recognised by its spelling: a type whose last path segment is `Option` with
/// one type argument.
///
/// `#[jwt(validate = path::to::function)]` on a field runs
/// `function(&field) -> Result<(), E>` with `E: Display` after every other check has
/// passed; an `Err` refuses the token with an error of kind `Custom` naming the field's JSON
/// name. Validators run in field order. The function takes a reference to the field's type
/// or to what it dereferences to (`fn(&str)` for a `String` or `Box<str>`, `fn(&[T])` for a
/// `Vec<T>`), and may be generic. A function of any other shape is a compile error at its
/// path that says what a validator must look like.
///
/// # Errors
///
/// Unknown or repeated keys, values of the wrong kind or range, and use on anything other
/// than a struct with named fields are compile errors, all reported in one build, each at
/// the token to fix. Registered claims' field types and validators are checked in the same
/// build as mistaken attributes.
#[proc_macro_derive(Claims, attributes(jwt))]
pub fn derive_claims(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    expand::derive(&input).into()
}
