//! [`JwkSet`]: the public keys of a JWK Set (RFC 7517 section 5), selected by `kid`.

use std::collections::HashMap;
use std::fmt;

use serde_json::Value;

use super::asymmetric::JwkRefusal;
use super::{Jwk, PublicKey, VerifyingKey};
use crate::error::Excerpt;
use crate::{Algorithm, Error, ErrorKind};

/// A key of a JWK Set that [`JwkSet::from_json`] left out, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SkippedKey {
    kid: Option<String>,
    reason: String,
}

impl SkippedKey {
    /// The key's `kid`, if it has one.
    pub fn kid(&self) -> Option<&str> {
        self.kid.as_deref()
    }

    /// Why the key was left out: its `use` or `key_ops`, an unknown `kty`, `crv` or
    /// `alg`, an `alg` its key type or curve cannot use, an `oct` key, or a family this
    /// build lacks.
    pub fn reason(&self) -> &str {
        &self.reason
    }
}

impl fmt::Display for SkippedKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kid {
            Some(kid) => write!(f, "key {}: {}", Excerpt(kid), self.reason),
            None => write!(f, "key without kid: {}", self.reason),
        }
    }
}

/// A set of public keys, each bound to its algorithm, that verifies a token with the
/// key its header's `kid` names.
///
/// As a [`VerifyingKey`] it selects by `kid` (a lookup that allocates nothing); a token
/// without `kid` is checked only when the set holds exactly one key. No key for the
/// token's `kid`, or no `kid` with several keys: [`ErrorKind::UnknownKey`]. The token's
/// `alg` must then be the selected key's.
///
/// ```
/// # #[cfg(feature = "eddsa")] {
/// use jwt_core::{Algorithm, JwkSet};
///
/// let set = JwkSet::from_json(r#"{"keys": [
///     {"kty": "OKP", "crv": "Ed25519", "kid": "ed-1",
///      "x": "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"},
///     {"kty": "RSA", "kid": "enc-1", "use": "enc", "n": "AQAB", "e": "AQAB"}
/// ]}"#)?;
/// assert_eq!(set.len(), 1);
/// assert_eq!(set.get("ed-1").unwrap().algorithm(), Algorithm::EdDSA);
/// assert_eq!(set.skipped()[0].kid(), Some("enc-1"));
/// # }
/// # Ok::<(), jwt_core::Error>(())
/// ```
#[derive(Clone)]
pub struct JwkSet {
    keys: Vec<PublicKey>,
    by_kid: HashMap<String, usize>,
    skipped: Vec<SkippedKey>,
}

fn invalid(message: String) -> Error {
    Error::new(ErrorKind::InvalidKey, message)
}

impl JwkSet {
    /// Reads a JWK Set, `{"keys": [...]}`.
    ///
    /// A key this build cannot verify with (another `use`, `key_ops` without `verify`, an
    /// unknown `kty`, `crv` or `alg`, an `alg` its key type or curve cannot use, an `oct`
    /// key, a family whose cargo feature is off) is left out and listed by
    /// [`skipped`](JwkSet::skipped).
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidKey`] for the whole set when it is not such an object, when a
    /// key is not a JWK or has malformed members (bad base64url, wrong lengths, a point
    /// off the curve, an RSA key of a refused size), or when two usable keys share a
    /// `kid` (or two have none).
    pub fn from_json(json: &str) -> Result<JwkSet, Error> {
        let document: Value = serde_json::from_str(json)
            .map_err(|error| invalid(format!("the JWK Set is not JSON: {error}")))?;
        let keys = document
            .get("keys")
            .and_then(Value::as_array)
            .ok_or_else(|| invalid("the JWK Set has no `keys` array".into()))?;
        let mut usable = Vec::with_capacity(keys.len());
        let mut skipped = Vec::new();
        for (i, member) in keys.iter().enumerate() {
            let Value::Object(members) = member else {
                return Err(invalid(format!("key {i} of the JWK Set is not an object")));
            };
            let jwk = Jwk::from_members(members.clone())
                .map_err(|error| invalid(format!("key {i} of the JWK Set: {error}")))?;
            match PublicKey::read_jwk(&jwk) {
                Ok(key) => usable.push(key),
                Err(JwkRefusal::Unusable(reason)) => skipped.push(SkippedKey {
                    kid: jwk.kid().map(str::to_owned),
                    reason,
                }),
                Err(JwkRefusal::Malformed(error)) => {
                    return Err(invalid(format!("key {i} of the JWK Set: {error}")));
                }
            }
        }
        let mut set = JwkSet::from_keys(usable)?;
        set.skipped = skipped;
        Ok(set)
    }

    /// A set of the given keys, for verifying or for publishing with
    /// [`to_json`](JwkSet::to_json).
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidKey`] when two keys share a `kid`, or two have none.
    pub fn from_keys(keys: impl IntoIterator<Item = PublicKey>) -> Result<JwkSet, Error> {
        let keys: Vec<PublicKey> = keys.into_iter().collect();
        let mut by_kid = HashMap::with_capacity(keys.len());
        let mut without_kid = 0;
        for (i, key) in keys.iter().enumerate() {
            match key.kid() {
                Some(kid) => {
                    if by_kid.insert(kid.to_owned(), i).is_some() {
                        return Err(invalid(format!(
                            "two keys of the set have kid {}",
                            Excerpt(kid)
                        )));
                    }
                }
                None => without_kid += 1,
            }
        }
        if without_kid > 1 {
            return Err(invalid(format!(
                "{without_kid} keys of the set have no kid; a set can tell at most one apart"
            )));
        }
        Ok(JwkSet {
            keys,
            by_kid,
            skipped: Vec::new(),
        })
    }

    /// The key with this `kid`.
    pub fn get(&self, kid: &str) -> Option<&PublicKey> {
        self.by_kid.get(kid).and_then(|&i| self.keys.get(i))
    }

    /// How many usable keys the set holds.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// Whether the set holds no usable key.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// The usable keys, in the order given.
    pub fn iter(&self) -> std::slice::Iter<'_, PublicKey> {
        self.keys.iter()
    }

    /// The keys [`from_json`](JwkSet::from_json) left out, with their `kid` and the
    /// reason.
    pub fn skipped(&self) -> &[SkippedKey] {
        &self.skipped
    }

    /// The set as JSON, `{"keys": [...]}`, each key as [`PublicKey::to_jwk`] writes it:
    /// what a server publishes.
    pub fn to_json(&self) -> String {
        let keys: Vec<Value> = self
            .keys
            .iter()
            .map(|key| serde_json::to_value(key.to_jwk()).unwrap_or(Value::Null))
            .collect();
        let mut document = serde_json::Map::new();
        document.insert("keys".into(), Value::Array(keys));
        Value::Object(document).to_string()
    }

    /// The key a token's `kid` selects.
    fn select(&self, kid: Option<&str>) -> Result<&PublicKey, Error> {
        match kid {
            Some(kid) => self.get(kid).ok_or_else(|| {
                Error::new(
                    ErrorKind::UnknownKey,
                    format!("the key set has no key with kid {}", Excerpt(kid)),
                )
            }),
            None => match self.keys.as_slice() {
                [only] => Ok(only),
                keys => Err(Error::new(
                    ErrorKind::UnknownKey,
                    format!(
                        "the token names no kid and the key set holds {} keys",
                        keys.len()
                    ),
                )),
            },
        }
    }
}

impl<'a> IntoIterator for &'a JwkSet {
    type Item = &'a PublicKey;
    type IntoIter = std::slice::Iter<'a, PublicKey>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl VerifyingKey for JwkSet {
    fn algorithm(&self, kid: Option<&str>) -> Result<Algorithm, Error> {
        Ok(self.select(kid)?.algorithm())
    }

    fn verify(
        &self,
        kid: Option<&str>,
        signing_input: &[u8],
        signature: &[u8],
    ) -> Result<(), Error> {
        self.select(kid)?.verify_signature(signing_input, signature)
    }
}

impl fmt::Debug for JwkSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("JwkSet")
            .field("keys", &self.keys)
            .field("skipped", &self.skipped)
            .finish()
    }
}
