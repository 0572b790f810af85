//! [`Verifier`]: a verifying key bound once, at start-up, to the runtime rules, for
//! servers that keep one in their state and decode every request's token with it.

use std::any::type_name;
use std::fmt;
use std::sync::Arc;

use serde::de::DeserializeOwned;

use crate::{Claims, Error, Token, Validation, VerifyingKey};

/// A key, or a key set, bound to a [`Validation`]: what a server builds once at
/// start-up and shares between requests.
///
/// [`decode`](Verifier::decode) and [`decode_with`](Verifier::decode_with) apply the
/// claims type's rules and the bound validation's, as [`decode_with`](crate::decode_with)
/// does. A claims type whose issuer or audience is only known at run time
/// (`#[jwt(iss = runtime)]`, `#[jwt(aud = runtime)]`) gets them from the validation here,
/// and a verifier whose validation names none refuses every token of that type
/// ([`ErrorKind::InvalidIssuer`](crate::ErrorKind::InvalidIssuer),
/// [`ErrorKind::InvalidAudience`](crate::ErrorKind::InvalidAudience)) while still
/// serving the other types.
///
/// It is `Clone + Send + Sync`, and cloning it is one reference-count increment, so a
/// web framework can keep it in its state and hand a copy to every request. `Debug`
/// shows the key's type name and the validation, never key material.
///
/// ```
/// use jwt_core::{Claims, ErrorKind, HmacKey, NumericDate, Validation, Verifier};
/// use serde::{Deserialize, Serialize};
///
/// #[derive(Debug, Serialize, Deserialize, Claims)]
/// #[jwt(aud = "db-server")]
/// struct Session {
///     iss: String,
///     sub: String,
///     exp: NumericDate,
/// }
///
/// let key = HmacKey::hs256(b"a secret of at least thirty-two bytes!")?;
/// // The issuer is configuration: the verifier adds it to the type's rules.
/// let verifier = Verifier::new(key.clone(), Validation::new().issuer("https://auth.example.com"));
///
/// let claims = Session {
///     iss: "https://auth.example.com".into(),
///     sub: "u1".into(),
///     exp: NumericDate::now() + 60,
/// };
/// let token = jwt_core::encode(&claims, &key)?;
/// let session: Session = verifier.decode(&token)?;
/// assert_eq!(session.sub, "u1");
///
/// let other = Session { iss: "https://evil.example".into(), ..claims };
/// let token = jwt_core::encode(&other, &key)?;
/// assert_eq!(verifier.decode::<Session>(&token).unwrap_err().kind(), ErrorKind::InvalidIssuer);
/// # Ok::<(), jwt_core::Error>(())
/// ```
#[derive(Clone)]
pub struct Verifier {
    inner: Arc<Bound<dyn VerifyingKey + Send + Sync>>,
}

/// The key and its rules, in one allocation; the key is last so that it may be unsized.
struct Bound<K: ?Sized> {
    validation: Validation,
    key_type: &'static str,
    key: K,
}

impl Verifier {
    /// Binds `key` (a single key or a key set) to `validation`.
    pub fn new<K>(key: K, validation: Validation) -> Verifier
    where
        K: VerifyingKey + Send + Sync + 'static,
    {
        Verifier {
            inner: Arc::new(Bound {
                validation,
                key_type: type_name::<K>(),
                key,
            }),
        }
    }

    /// Verifies `token` and checks it against the rules of `C` and the bound validation;
    /// returns the claims.
    ///
    /// # Errors
    ///
    /// The first rule the token breaks, as an [`ErrorKind`](crate::ErrorKind).
    pub fn decode<C>(&self, token: &str) -> Result<C, Error>
    where
        C: Claims + DeserializeOwned,
    {
        crate::decode::claims_only(token, &self.inner.key, &self.inner.validation)
    }

    /// Verifies `token` and checks it against the rules of `C` and the bound validation;
    /// returns the header and the claims.
    ///
    /// # Errors
    ///
    /// The first rule the token breaks, as an [`ErrorKind`](crate::ErrorKind).
    pub fn decode_with<C>(&self, token: &str) -> Result<Token<C>, Error>
    where
        C: Claims + DeserializeOwned,
    {
        crate::decode_with(token, &self.inner.key, &self.inner.validation)
    }

    /// The bound validation: its [`token_len_limit`](Validation::token_len_limit) lets a
    /// server refuse an oversized credential before it reaches the decoder.
    pub fn validation(&self) -> &Validation {
        &self.inner.validation
    }

    /// The bound key, for a caller that needs it as a [`VerifyingKey`].
    pub fn key(&self) -> &(dyn VerifyingKey + Send + Sync) {
        &self.inner.key
    }
}

impl fmt::Debug for Verifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Verifier")
            .field("key", &format_args!("{}", self.inner.key_type))
            .field("validation", &self.inner.validation)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{Map, Value, json};

    use super::*;
    use crate::{Algorithm, ErrorKind, HmacKey, NumericDate};

    const SECRET: &[u8] = b"a secret of at least thirty-two bytes!";

    fn key() -> HmacKey {
        HmacKey::hs256(SECRET).unwrap()
    }

    fn token(claims: &Value) -> String {
        crate::encode(claims, &key()).unwrap()
    }

    fn claims(iss: &str, exp: i64) -> Value {
        json!({ "iss": iss, "sub": "u1", "exp": exp })
    }

    #[test]
    fn a_token_that_meets_the_bound_rules_is_accepted() {
        let now = NumericDate::from_secs(1_700_000_000);
        let verifier = Verifier::new(key(), Validation::new().issuer("auth").at(now));
        let token = token(&claims("auth", 1_700_000_060));

        let map: Map<String, Value> = verifier.decode(&token).unwrap();
        assert_eq!(map["sub"], "u1");
        let full = verifier.decode_with::<Value>(&token).unwrap();
        assert_eq!(full.header().alg, Algorithm::HS256);
        assert_eq!(full.claims()["iss"], "auth");
    }

    #[test]
    fn the_bound_issuer_refuses_another_issuer() {
        let now = NumericDate::from_secs(1_700_000_000);
        let verifier = Verifier::new(key(), Validation::new().issuer("auth").at(now));
        let error = verifier
            .decode::<Value>(&token(&claims("elsewhere", 1_700_000_060)))
            .unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidIssuer);
    }

    #[test]
    fn the_bound_clock_refuses_an_expired_token() {
        let verifier = Verifier::new(
            key(),
            Validation::new().at(NumericDate::from_secs(1_700_000_060)),
        );
        let error = verifier
            .decode_with::<Value>(&token(&claims("auth", 1_700_000_060)))
            .unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Expired);
    }

    #[test]
    fn the_bound_length_limit_refuses_a_longer_token() {
        let token = token(&claims("auth", i64::from(u32::MAX)));
        let verifier = Verifier::new(key(), Validation::new().max_token_len(token.len() - 1));
        assert_eq!(verifier.validation().token_len_limit(), token.len() - 1);
        let error = verifier.decode::<Value>(&token).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::TooLong);
    }

    #[test]
    fn a_token_signed_with_another_key_is_refused() {
        let verifier = Verifier::new(
            HmacKey::hs256(b"another secret of thirty-two bytes or more").unwrap(),
            Validation::new(),
        );
        let error = verifier
            .decode::<Value>(&token(&claims("auth", i64::from(u32::MAX))))
            .unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidSignature);
    }

    #[test]
    fn clones_share_one_binding_and_cross_threads() {
        fn shareable<T: Clone + Send + Sync + 'static>() {}
        shareable::<Verifier>();

        let verifier = Verifier::new(key(), Validation::new());
        let copy = verifier.clone();
        assert!(Arc::ptr_eq(&verifier.inner, &copy.inner));
        let token = token(&claims("auth", i64::from(u32::MAX)));
        let sub = std::thread::spawn(move || copy.decode::<Value>(&token).unwrap()["sub"].clone())
            .join()
            .unwrap();
        assert_eq!(sub, "u1");
        assert_eq!(verifier.key().algorithm(None).unwrap(), Algorithm::HS256);
    }

    #[test]
    fn debug_names_the_key_type_and_never_the_secret() {
        let verifier = Verifier::new(key(), Validation::new().issuer("auth"));
        let debug = format!("{verifier:?}");
        assert!(debug.contains("HmacKey"), "{debug}");
        assert!(debug.contains("auth"), "{debug}");
        assert!(!debug.contains("thirty-two"), "{debug}");
    }
}
