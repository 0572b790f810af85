//! [`KeyRing`]: keys of any kind, HMAC included, selected by `kid`, for rotation.

use std::fmt;

use serde_json::Value;

use crate::error::Excerpt;
use crate::key::{HmacKey, Jwk, VerifyingKey};
#[cfg(jwt_asymmetric)]
use crate::key::{KeyPair, PublicKey};
use crate::{Algorithm, Error, ErrorKind};

/// Keys of any kind (HMAC secrets, public keys, key pairs), each with its own `kid` and
/// algorithm, that verify tokens by the header's `kid`: what a service holds while it
/// rotates its keys, or verifies tokens of its own (HS256) beside an identity
/// provider's.
///
/// As a [`VerifyingKey`] it selects the key whose `kid` the token names
/// ([`ErrorKind::UnknownKey`] when it has none); a token without `kid` is checked only
/// when the ring holds exactly one key. The selected key decides the algorithm, as a
/// single key does.
///
/// ```
/// use jwt_core::{ErrorKind, HmacKey, KeyRing, NumericDate};
///
/// let old = HmacKey::hs256(b"the secret of november, 32 bytes")?.with_kid("2026-11");
/// let new = HmacKey::hs256(b"the secret of december, 32 bytes")?.with_kid("2026-12");
/// let ring = KeyRing::new().with(old.clone())?.with(new)?;
///
/// let claims = serde_json::json!({"sub": "ann", "exp": (NumericDate::now() + 60).as_secs()});
/// let token = jwt_core::encode(&claims, &old)?; // signed before the rotation
/// let read: serde_json::Value = jwt_core::decode(&token, &ring)?;
/// assert_eq!(read["sub"], "ann");
///
/// let stranger = HmacKey::hs256(b"nobody's secret, thirty-two bytes")?.with_kid("x");
/// let refused = jwt_core::decode::<serde_json::Value>(&jwt_core::encode(&claims, &stranger)?, &ring);
/// assert_eq!(refused.unwrap_err().kind(), ErrorKind::UnknownKey);
/// # Ok::<(), jwt_core::Error>(())
/// ```
#[derive(Clone, Default)]
pub struct KeyRing {
    keys: Vec<RingKey>,
}

/// One key of a [`KeyRing`]: made from an [`HmacKey`], or with an asymmetric feature, a
/// `PublicKey` or a `KeyPair`, by `From`.
#[derive(Clone)]
pub struct RingKey(Kind);

#[derive(Clone)]
enum Kind {
    // Boxed: a keyed HMAC state on AWS-LC is over a kilobyte.
    Hmac(Box<HmacKey>),
    #[cfg(jwt_asymmetric)]
    Public(PublicKey),
    #[cfg(jwt_asymmetric)]
    Pair(KeyPair),
}

impl RingKey {
    /// The key's id, if it has one.
    pub fn kid(&self) -> Option<&str> {
        match &self.0 {
            Kind::Hmac(key) => key.kid(),
            #[cfg(jwt_asymmetric)]
            Kind::Public(key) => key.kid(),
            #[cfg(jwt_asymmetric)]
            Kind::Pair(key) => key.kid(),
        }
    }

    /// The algorithm the key verifies.
    pub fn algorithm(&self) -> Algorithm {
        match &self.0 {
            Kind::Hmac(key) => key.algorithm(),
            #[cfg(jwt_asymmetric)]
            Kind::Public(key) => key.algorithm(),
            #[cfg(jwt_asymmetric)]
            Kind::Pair(key) => key.algorithm(),
        }
    }

    fn verifier(&self) -> &dyn VerifyingKey {
        match &self.0 {
            Kind::Hmac(key) => &**key,
            #[cfg(jwt_asymmetric)]
            Kind::Public(key) => key,
            #[cfg(jwt_asymmetric)]
            Kind::Pair(key) => key,
        }
    }
}

impl From<HmacKey> for RingKey {
    fn from(key: HmacKey) -> RingKey {
        RingKey(Kind::Hmac(Box::new(key)))
    }
}

#[cfg(jwt_asymmetric)]
impl From<PublicKey> for RingKey {
    fn from(key: PublicKey) -> RingKey {
        RingKey(Kind::Public(key))
    }
}

#[cfg(jwt_asymmetric)]
impl From<KeyPair> for RingKey {
    fn from(key: KeyPair) -> RingKey {
        RingKey(Kind::Pair(key))
    }
}

impl fmt::Debug for RingKey {
    /// The algorithm and the kid; never key material.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RingKey")
            .field("alg", &self.algorithm())
            .field("kid", &self.kid().map(Excerpt))
            .finish_non_exhaustive()
    }
}

impl KeyRing {
    /// An empty ring.
    pub fn new() -> KeyRing {
        KeyRing::default()
    }

    /// The ring with `key` added.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidKey`] when the ring already holds a key with the same `kid`
    /// (two keys without one count as the same), since a token could not tell them apart.
    pub fn with(mut self, key: impl Into<RingKey>) -> Result<KeyRing, Error> {
        let key = key.into();
        if self.keys.iter().any(|held| held.kid() == key.kid()) {
            return Err(Error::new(
                ErrorKind::InvalidKey,
                match key.kid() {
                    Some(kid) => {
                        format!("the key ring already holds a key with kid {}", Excerpt(kid))
                    }
                    None => "the key ring already holds a key without kid".to_owned(),
                },
            ));
        }
        self.keys.push(key);
        Ok(self)
    }

    /// A ring from a private JWK Set (`{"keys": [...]}`), as kept in a service's
    /// configuration: `oct` keys become [`HmacKey`]s ([`HmacKey::from_jwk`]), other keys
    /// public keys (with an asymmetric feature). Unlike a `JwkSet` of
    /// an identity provider, a ring is the service's own configuration: a key it cannot
    /// use refuses the whole ring rather than being left out.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidKey`] when the JSON is not a set, a key cannot be used (the
    /// message names its `kid`), or two keys share a `kid`.
    pub fn from_jwk_set_json(json: &str) -> Result<KeyRing, Error> {
        let invalid = |message: String| Error::new(ErrorKind::InvalidKey, message);
        let set: Value = serde_json::from_str(json)
            .map_err(|error| invalid(format!("the key set is not JSON: {error}")))?;
        let Some(Value::Array(keys)) = set.get("keys") else {
            return Err(invalid(
                "a JWK Set is an object with a `keys` array".to_owned(),
            ));
        };
        let mut ring = KeyRing::new();
        for (index, member) in keys.iter().enumerate() {
            let Value::Object(members) = member else {
                return Err(invalid(format!("key {index} of the set is not an object")));
            };
            let jwk = Jwk::from_members(members.clone())?;
            let key = ring_key(&jwk).map_err(|error| {
                let name = jwk.kid().map_or_else(
                    || format!("key {index}"),
                    |kid| format!("key {}", Excerpt(kid)),
                );
                invalid(format!("{name} of the set cannot be used: {error}"))
            })?;
            ring = ring.with(key)?;
        }
        Ok(ring)
    }

    /// The key whose `kid` is `kid`.
    pub fn get(&self, kid: &str) -> Option<&RingKey> {
        self.keys.iter().find(|key| key.kid() == Some(kid))
    }

    /// How many keys the ring holds.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// Whether the ring holds no key.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// The keys, in the order they were added.
    pub fn iter(&self) -> std::slice::Iter<'_, RingKey> {
        self.keys.iter()
    }

    fn select(&self, kid: Option<&str>) -> Result<&RingKey, Error> {
        super::select_by_kid(&self.keys, kid, |kid| self.get(kid), "key ring")
    }
}

impl<'a> IntoIterator for &'a KeyRing {
    type Item = &'a RingKey;
    type IntoIter = std::slice::Iter<'a, RingKey>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

/// The ring key a JWK makes: HMAC for `oct`, a public key otherwise.
fn ring_key(jwk: &Jwk) -> Result<RingKey, Error> {
    if jwk.kty() == "oct" {
        return HmacKey::from_jwk(jwk).map(RingKey::from);
    }
    #[cfg(jwt_asymmetric)]
    {
        PublicKey::from_jwk(jwk).map(RingKey::from)
    }
    #[cfg(not(jwt_asymmetric))]
    {
        Err(Error::new(
            ErrorKind::InvalidKey,
            format!(
                "a {} key needs one of jwt-core's features `rsa`, `ecdsa`, `eddsa` or `aws-lc-rs`",
                Excerpt(jwk.kty())
            ),
        ))
    }
}

impl VerifyingKey for KeyRing {
    fn algorithm(&self, kid: Option<&str>) -> Result<Algorithm, Error> {
        Ok(self.select(kid)?.algorithm())
    }

    fn verify(
        &self,
        kid: Option<&str>,
        signing_input: &[u8],
        signature: &[u8],
    ) -> Result<(), Error> {
        self.select(kid)?
            .verifier()
            .verify(kid, signing_input, signature)
    }
}

impl fmt::Debug for KeyRing {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KeyRing").field("keys", &self.keys).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::key::SigningKey;

    fn hmac(secret: u8, kid: &str) -> HmacKey {
        HmacKey::hs256([secret; 32]).unwrap().with_kid(kid)
    }

    #[test]
    fn keys_are_selected_by_kid_and_an_unknown_kid_is_unknown_key() {
        let ring = KeyRing::new()
            .with(hmac(1, "a"))
            .unwrap()
            .with(HmacKey::hs512([2; 64]).unwrap().with_kid("b"))
            .unwrap();
        assert_eq!(ring.len(), 2);
        assert_eq!(ring.algorithm(Some("b")).unwrap(), Algorithm::HS512);
        let signature = hmac(1, "a").sign(b"x.y").unwrap();
        assert!(ring.verify(Some("a"), b"x.y", &signature).is_ok());
        assert_eq!(
            ring.verify(Some("b"), b"x.y", &signature)
                .unwrap_err()
                .kind(),
            ErrorKind::InvalidSignature
        );
        for kid in [Some("c"), None] {
            assert_eq!(
                ring.algorithm(kid).unwrap_err().kind(),
                ErrorKind::UnknownKey
            );
            assert_eq!(
                ring.verify(kid, b"x.y", &signature).unwrap_err().kind(),
                ErrorKind::UnknownKey
            );
        }
    }

    #[test]
    fn a_kidless_token_is_checked_only_against_a_ring_of_one() {
        let one = KeyRing::new().with(hmac(1, "a")).unwrap();
        let signature = hmac(1, "a").sign(b"x.y").unwrap();
        assert!(one.verify(None, b"x.y", &signature).is_ok());
        assert_eq!(
            KeyRing::new().algorithm(None).unwrap_err().kind(),
            ErrorKind::UnknownKey
        );
    }

    #[test]
    fn two_keys_with_one_kid_are_refused() {
        let error = KeyRing::new()
            .with(hmac(1, "a"))
            .unwrap()
            .with(hmac(2, "a"))
            .unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidKey);
        let kidless = HmacKey::hs256([3; 32]).unwrap();
        let error = KeyRing::new()
            .with(kidless.clone())
            .unwrap()
            .with(kidless)
            .unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidKey);
    }

    #[test]
    fn a_private_set_of_oct_keys_makes_a_ring_and_a_key_it_cannot_use_refuses_it() {
        let k = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY";
        let ring = KeyRing::from_jwk_set_json(&format!(
            r#"{{"keys":[{{"kty":"oct","alg":"HS256","kid":"a","k":"{k}"}},{{"kty":"oct","alg":"HS256","kid":"b","k":"{k}"}}]}}"#
        ))
        .unwrap();
        assert_eq!(ring.len(), 2);
        assert_eq!(ring.get("b").unwrap().algorithm(), Algorithm::HS256);
        for bad in [
            "[]".to_owned(),
            r#"{"keys":{}}"#.to_owned(),
            r#"{"keys":[1]}"#.to_owned(),
            format!(r#"{{"keys":[{{"kty":"oct","kid":"no-alg","k":"{k}"}}]}}"#),
            r#"{"keys":[{"kty":"oct","alg":"HS256","kid":"short","k":"c2hvcnQ"}]}"#.to_owned(),
            format!(
                r#"{{"keys":[{{"kty":"oct","alg":"HS256","kid":"a","k":"{k}"}},{{"kty":"oct","alg":"HS256","kid":"a","k":"{k}"}}]}}"#
            ),
            r#"{"keys":[{"kty":"XYZ","kid":"odd"}]}"#.to_owned(),
        ] {
            let error = KeyRing::from_jwk_set_json(&bad).unwrap_err();
            assert_eq!(error.kind(), ErrorKind::InvalidKey, "{bad}: {error}");
        }
        let error = KeyRing::from_jwk_set_json(
            r#"{"keys":[{"kty":"oct","alg":"HS256","kid":"short","k":"c2hvcnQ"}]}"#,
        )
        .unwrap_err();
        assert!(error.to_string().contains("\"short\""), "{error}");
    }

    #[cfg(jwt_eddsa)]
    #[test]
    fn hmac_and_asymmetric_keys_share_a_ring() {
        let pair = KeyPair::generate(Algorithm::EdDSA).unwrap().with_kid("ed");
        let ring = KeyRing::new()
            .with(hmac(1, "a"))
            .unwrap()
            .with(pair.public_key())
            .unwrap();
        let signature = pair.sign(b"x.y").unwrap();
        assert_eq!(ring.algorithm(Some("ed")).unwrap(), Algorithm::EdDSA);
        assert!(ring.verify(Some("ed"), b"x.y", &signature).is_ok());
        // The HMAC key's algorithm is its own: an EdDSA signature under kid "a" fails.
        assert_eq!(ring.algorithm(Some("a")).unwrap(), Algorithm::HS256);
        assert!(ring.verify(Some("a"), b"x.y", &signature).is_err());
        let json = format!(r#"{{"keys":[{}]}}"#, pair.public_key().to_jwk().to_json());
        let from_json = KeyRing::from_jwk_set_json(&json).unwrap();
        assert!(from_json.verify(Some("ed"), b"x.y", &signature).is_ok());
    }

    #[test]
    fn debug_shows_algorithms_and_kids_only() {
        let ring = KeyRing::new().with(hmac(b'z', "a")).unwrap();
        let debug = format!("{ring:?}");
        assert!(
            debug.contains("HS256") && debug.contains("\"a\""),
            "{debug}"
        );
        assert!(!debug.contains("zzzz"), "{debug}");
    }
}
