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
/// # #[cfg(any(feature = "eddsa", feature = "aws-lc-rs"))] {
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
        super::select_by_kid(&self.keys, kid, |kid| self.get(kid), "key set")
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
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::key::test_keys::*;
    use crate::key::{KeyPair, SigningKey};

    /// Public JWKs of keys of every family this build has, with their key pairs.
    fn keys() -> Vec<(KeyPair, Jwk)> {
        let mut pems = Vec::new();
        if cfg!(jwt_rsa) {
            pems.push((Algorithm::PS256, RSA2048));
        }
        if cfg!(jwt_ecdsa) {
            pems.push((Algorithm::ES384, P384));
        }
        if cfg!(jwt_eddsa) {
            pems.push((Algorithm::EdDSA, ED25519));
        }
        pems.into_iter()
            .enumerate()
            .map(|(i, (alg, pem))| {
                let pair = KeyPair::from_pem(alg, pem)
                    .unwrap()
                    .with_kid(format!("k{i}"));
                let jwk = pair.public_key().to_jwk();
                (pair, jwk)
            })
            .collect()
    }

    fn set_json(jwks: &[Value]) -> String {
        serde_json::json!({ "keys": jwks }).to_string()
    }

    fn value(jwk: &Jwk) -> Value {
        serde_json::to_value(jwk).unwrap()
    }

    fn with(jwk: &Jwk, name: &str, member: Value) -> Value {
        let mut members = jwk.clone().into_members();
        members.insert(name.into(), member);
        Value::Object(members)
    }

    #[test]
    fn a_set_selects_the_key_by_kid() {
        let keys = keys();
        let set = JwkSet::from_json(&set_json(
            &keys.iter().map(|(_, jwk)| value(jwk)).collect::<Vec<_>>(),
        ))
        .unwrap();
        assert_eq!(set.len(), keys.len());
        assert!(set.skipped().is_empty());
        for (pair, _) in &keys {
            let kid = pair.kid().unwrap();
            assert_eq!(
                set.get(kid).unwrap().thumbprint(),
                pair.public_key().thumbprint()
            );
            assert_eq!(set.algorithm(Some(kid)).unwrap(), pair.algorithm());
            let signature = pair.sign(b"a.b").unwrap();
            set.verify(Some(kid), b"a.b", &signature).unwrap();
        }
    }

    #[test]
    fn tokens_decode_through_a_set() {
        type Untyped = serde_json::Map<String, Value>;
        let keys = keys();
        let set = JwkSet::from_keys(keys.iter().map(|(pair, _)| pair.public_key())).unwrap();
        let mut claims = Untyped::new();
        claims.insert(
            "exp".into(),
            (crate::NumericDate::now() + 60).as_secs().into(),
        );
        for (pair, _) in &keys {
            let token = crate::encode(&claims, pair).unwrap();
            let back: Untyped = crate::decode(&token, &set).unwrap();
            assert_eq!(back, claims);
        }
    }

    #[test]
    fn a_kid_the_set_does_not_hold_is_an_unknown_key() {
        let keys = keys();
        let set = JwkSet::from_keys(keys.iter().map(|(pair, _)| pair.public_key())).unwrap();
        let err = set.algorithm(Some("nope")).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::UnknownKey);
        assert!(err.to_string().contains("\"nope\""), "{err}");
        let err = set.verify(Some("nope"), b"a.b", &[0; 64]).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::UnknownKey);
    }

    #[test]
    fn a_token_without_kid_is_checked_only_against_a_set_of_one() {
        let keys = keys();
        let (pair, _) = &keys[0];
        let signature = pair.sign(b"a.b").unwrap();
        let one = JwkSet::from_keys([pair.public_key()]).unwrap();
        one.verify(None, b"a.b", &signature).unwrap();
        assert_eq!(one.algorithm(None).unwrap(), pair.algorithm());
        let empty = JwkSet::from_keys([]).unwrap();
        assert!(empty.is_empty());
        assert_eq!(
            empty.algorithm(None).unwrap_err().kind(),
            ErrorKind::UnknownKey
        );
        if keys.len() > 1 {
            let all = JwkSet::from_keys(keys.iter().map(|(pair, _)| pair.public_key())).unwrap();
            let err = all.verify(None, b"a.b", &signature).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::UnknownKey);
            assert!(err.to_string().contains("no kid"), "{err}");
        }
    }

    #[test]
    fn two_keys_with_one_kid_refuse_the_set() {
        let (pair, jwk) = &keys()[0];
        let err = JwkSet::from_keys([pair.public_key(), pair.public_key()]).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidKey);
        let err = JwkSet::from_json(&set_json(&[value(jwk), value(jwk)])).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidKey);
        assert!(err.to_string().contains("two keys"), "{err}");
        let anonymous = pair.public_key().to_jwk().into_members();
        let mut anonymous = anonymous;
        anonymous.remove("kid");
        let anonymous = Value::Object(anonymous);
        let err = JwkSet::from_json(&set_json(&[anonymous.clone(), anonymous])).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidKey);
    }

    #[test]
    fn unusable_keys_are_left_out_and_listed_with_their_reason() {
        let (_, jwk) = &keys()[0];
        let set = JwkSet::from_json(&set_json(&[
            value(jwk),
            with(&with_kid(jwk, "enc"), "use", "enc".into()),
            with(
                &with_kid(jwk, "ops"),
                "key_ops",
                serde_json::json!(["sign"]),
            ),
            with(&with_kid(jwk, "alg"), "alg", "RSA-OAEP-256".into()),
            with(&with_kid(jwk, "hs"), "alg", "HS256".into()),
            serde_json::json!({"kty": "oct", "kid": "oct", "k": "c2VjcmV0", "alg": "HS256"}),
            serde_json::json!({"kty": "EC", "kid": "k1", "crv": "secp256k1", "x": "AA", "y": "AA"}),
            serde_json::json!({"kty": "OKP", "kid": "x", "crv": "X25519", "x": "AA"}),
            serde_json::json!({"kty": "PQC", "kid": "pqc"}),
        ]))
        .unwrap();
        assert_eq!(set.len(), 1);
        let skipped: Vec<(Option<&str>, &str)> = set
            .skipped()
            .iter()
            .map(|key| (key.kid(), key.reason()))
            .collect();
        let expected = [
            ("enc", "use"),
            ("ops", "key_ops"),
            ("alg", "unknown alg"),
            ("hs", "cannot be used for HS256"),
            ("oct", "oct"),
            ("k1", "secp256k1"),
            ("x", "X25519"),
            ("pqc", "unknown kty"),
        ];
        assert_eq!(skipped.len(), expected.len(), "{skipped:?}");
        for ((kid, reason), (want_kid, want_reason)) in skipped.iter().zip(expected) {
            assert_eq!(*kid, Some(want_kid));
            assert!(reason.contains(want_reason), "{kid:?}: {reason}");
        }
        assert!(set.skipped()[0].to_string().starts_with("key \"enc\": "));
    }

    fn with_kid(jwk: &Jwk, kid: &str) -> Jwk {
        let mut members = jwk.clone().into_members();
        members.insert("kid".into(), kid.into());
        Jwk::from_members(members).unwrap()
    }

    #[test]
    fn malformed_keys_refuse_the_whole_set() {
        let keys = keys();
        let (_, good) = &keys[0];
        for (_, jwk) in &keys {
            let member = match jwk.kty() {
                "RSA" => "n",
                _ => "x",
            };
            let bytes = jwk.bytes(member).unwrap();
            for bad in [
                Value::from("not base64url!"),
                Value::from("AAAA="),
                Value::from(crate::key::asymmetric::base64url_string(&bytes[1..])),
                Value::from(7),
            ] {
                let other = with(&with_kid(jwk, "bad"), member, bad.clone());
                let err = JwkSet::from_json(&set_json(&[value(good), other])).unwrap_err();
                assert_eq!(err.kind(), ErrorKind::InvalidKey, "{member} {bad}");
                assert!(err.to_string().contains("key 1"), "{err}");
            }
        }
        for json in [
            "",
            "[]",
            r#"{"keys": {}}"#,
            r#"{"keys": [1]}"#,
            r#"{"keys": [{"kid": "no kty"}]}"#,
            r#"{"kees": []}"#,
        ] {
            let err = JwkSet::from_json(json).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::InvalidKey, "{json}");
        }
    }

    #[cfg(jwt_ecdsa)]
    #[test]
    fn a_point_off_the_curve_refuses_the_whole_set() {
        let pair = KeyPair::from_pem(Algorithm::ES256, P256)
            .unwrap()
            .with_kid("ec");
        let jwk = pair.public_key().to_jwk();
        let mut y = jwk.bytes("y").unwrap();
        y[31] ^= 1;
        let off = with(
            &jwk,
            "y",
            crate::key::asymmetric::base64url_string(&y).into(),
        );
        let err = JwkSet::from_json(&set_json(&[off])).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidKey);
    }

    #[test]
    fn to_json_publishes_a_set_that_reads_back() {
        let keys = keys();
        let set = JwkSet::from_keys(keys.iter().map(|(pair, _)| pair.public_key())).unwrap();
        let json = set.to_json();
        assert!(!json.contains("\"d\""), "{json}");
        let back = JwkSet::from_json(&json).unwrap();
        let thumbprints =
            |set: &JwkSet| -> Vec<String> { set.iter().map(PublicKey::thumbprint).collect() };
        assert_eq!(thumbprints(&back), thumbprints(&set));
        assert_eq!((&back).into_iter().count(), keys.len());
    }

    #[test]
    fn a_set_of_100_keys_selects_each_by_kid() {
        let (pair, _) = &keys()[0];
        let set =
            JwkSet::from_keys((0..100).map(|i| pair.public_key().with_kid(format!("key-{i}"))))
                .unwrap();
        let signature = pair.sign(b"a.b").unwrap();
        for i in 0..100 {
            set.verify(Some(&format!("key-{i}")), b"a.b", &signature)
                .unwrap();
        }
        assert_eq!(
            set.verify(Some("key-100"), b"a.b", &signature)
                .unwrap_err()
                .kind(),
            ErrorKind::UnknownKey
        );
    }
}
