//! [`Jwk`]: one JSON Web Key (RFC 7517), as read and written, with the types of its
//! registered members checked.

use std::fmt;

use serde_json::{Map, Value};

use crate::base64url;
use crate::error::Excerpt;
use crate::{Error, ErrorKind};

/// Members that, when present, must be JSON strings (RFC 7517 section 4, RFC 7518
/// section 6).
const STRING_MEMBERS: [&str; 18] = [
    "kty", "use", "alg", "kid", "x5u", "x5t", "x5t#S256", "crv", "x", "y", "d", "n", "e", "p", "q",
    "dp", "dq", "qi",
];

/// Members that hold private or secret material, never shown by `Debug`.
const PRIVATE_MEMBERS: [&str; 7] = ["d", "p", "q", "dp", "dq", "qi", "k"];

/// One JSON Web Key (RFC 7517): a JSON object with a `kty` and the members of its key
/// type, kept as given (unknown members included) and written back the same way.
///
/// Reading checks the JSON types of the registered members (`kty`, `kid`, `alg`, `use`,
/// `crv`, the key material, ... are strings; `key_ops` is an array of distinct strings;
/// `x5c` an array of strings), not whether the key is usable: that is for
/// [`HmacKey::from_jwk`](crate::HmacKey::from_jwk) and, with an asymmetric feature on,
/// `PublicKey::from_jwk` and `JwkSet` to decide. `Debug` shows the key type, id, algorithm,
/// use and curve, never key material.
///
/// ```
/// use jwt_core::Jwk;
///
/// let jwk: Jwk = serde_json::from_str(
///     r#"{"kty":"oct","kid":"hs","alg":"HS256","k":"c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldA"}"#,
/// )?;
/// assert_eq!(jwk.kty(), "oct");
/// assert_eq!(jwk.kid(), Some("hs"));
/// assert!(!format!("{jwk:?}").contains("c2Vj"));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, PartialEq)]
pub struct Jwk {
    members: Map<String, Value>,
}

impl Jwk {
    /// Reads one JWK from its JSON text.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidKey`] when the text is not a JSON object, has no string `kty`,
    /// or a registered member has the wrong JSON type.
    pub fn from_json(json: &str) -> Result<Jwk, Error> {
        let members: Map<String, Value> = serde_json::from_str(json).map_err(|error| {
            Error::new(
                ErrorKind::InvalidKey,
                format!("the JWK is not a JSON object: {error}"),
            )
        })?;
        Jwk::from_members(members)
    }

    /// A JWK from the members of a JSON object, checked as [`from_json`](Jwk::from_json)
    /// checks them.
    ///
    /// # Errors
    ///
    /// As [`from_json`](Jwk::from_json).
    pub fn from_members(members: Map<String, Value>) -> Result<Jwk, Error> {
        let malformed = |message: String| Err(Error::new(ErrorKind::InvalidKey, message));
        match members.get("kty") {
            Some(Value::String(_)) => {}
            Some(_) => return malformed("the JWK member `kty` is not a string".into()),
            None => return malformed("the JWK has no `kty`".into()),
        }
        for name in STRING_MEMBERS {
            if members.get(name).is_some_and(|value| !value.is_string()) {
                return malformed(format!("the JWK member `{name}` is not a string"));
            }
        }
        if let Some(ops) = members.get("key_ops") {
            let Some(ops) = ops.as_array() else {
                return malformed("the JWK member `key_ops` is not an array".into());
            };
            for (i, op) in ops.iter().enumerate() {
                let Some(op) = op.as_str() else {
                    return malformed("the JWK member `key_ops` holds a non-string".into());
                };
                if ops
                    .iter()
                    .take(i)
                    .any(|earlier| earlier.as_str() == Some(op))
                {
                    return malformed(format!(
                        "the JWK member `key_ops` names {} twice (RFC 7517 section 4.3)",
                        Excerpt(op)
                    ));
                }
            }
        }
        if let Some(chain) = members.get("x5c") {
            let strings = chain
                .as_array()
                .is_some_and(|chain| chain.iter().all(Value::is_string));
            if !strings {
                return malformed("the JWK member `x5c` is not an array of strings".into());
            }
        }
        Ok(Jwk { members })
    }

    /// The JSON text of the key, with every member it holds.
    pub fn to_json(&self) -> String {
        Value::Object(self.members.clone()).to_string()
    }

    /// The key type: `"RSA"`, `"EC"`, `"OKP"`, `"oct"`, or another the key names.
    pub fn kty(&self) -> &str {
        self.string("kty").unwrap_or_default()
    }

    /// The key id, if any.
    pub fn kid(&self) -> Option<&str> {
        self.string("kid")
    }

    /// The algorithm the key is meant for, if it names one.
    pub fn alg(&self) -> Option<&str> {
        self.string("alg")
    }

    /// The intended use (`use`): `"sig"`, `"enc"`, or another, if any.
    pub fn key_use(&self) -> Option<&str> {
        self.string("use")
    }

    /// The permitted operations (`key_ops`), if the key lists them.
    pub fn key_ops(&self) -> Option<Vec<&str>> {
        let ops = self.members.get("key_ops")?.as_array()?;
        Some(ops.iter().filter_map(Value::as_str).collect())
    }

    /// The curve (`crv`) of an `EC` or `OKP` key.
    pub fn crv(&self) -> Option<&str> {
        self.string("crv")
    }

    /// Any member, by name.
    pub fn member(&self, name: &str) -> Option<&Value> {
        self.members.get(name)
    }

    /// All members, as read.
    pub fn members(&self) -> &Map<String, Value> {
        &self.members
    }

    /// All members, as read, for building another key from them.
    pub fn into_members(self) -> Map<String, Value> {
        self.members
    }

    /// Whether the key holds private or secret material (`d`, `k`, RSA primes, ...).
    pub fn has_private_material(&self) -> bool {
        PRIVATE_MEMBERS
            .iter()
            .any(|name| self.members.contains_key(*name))
    }

    /// A string member; the types were checked when the key was read.
    pub(crate) fn string(&self, name: &str) -> Option<&str> {
        self.members.get(name).and_then(Value::as_str)
    }

    /// Why this key cannot verify signatures, from its `use` and `key_ops`.
    #[cfg_attr(not(jwt_asymmetric), allow(dead_code))]
    pub(crate) fn unfit_for_verifying(&self) -> Option<String> {
        if let Some(key_use) = self.key_use()
            && key_use != "sig"
        {
            return Some(format!("its use is {}, not \"sig\"", Excerpt(key_use)));
        }
        if let Some(ops) = self.key_ops()
            && !ops.contains(&"verify")
        {
            return Some("its key_ops do not include \"verify\"".into());
        }
        None
    }

    /// The bytes of a base64url member that the key type requires.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidKey`] when it is absent or not strict base64url.
    pub(crate) fn bytes(&self, name: &'static str) -> Result<Vec<u8>, Error> {
        let value = self.string(name).ok_or_else(|| {
            Error::new(
                ErrorKind::InvalidKey,
                format!("the {} JWK has no `{name}`", Excerpt(self.kty())),
            )
        })?;
        base64url::decode(value, "JWK member").map_err(|_| {
            Error::new(
                ErrorKind::InvalidKey,
                format!("the JWK member `{name}` is not strict base64url"),
            )
        })
    }

    /// A JWK written by this crate: `kty`, then the given members, then `alg`, `use` and
    /// `kid`.
    #[cfg_attr(not(jwt_asymmetric), allow(dead_code))]
    pub(crate) fn public(
        kty: &str,
        members: &[(&str, String)],
        alg: &str,
        kid: Option<&str>,
    ) -> Jwk {
        let mut map = Map::new();
        map.insert("kty".into(), kty.into());
        for (name, value) in members {
            map.insert((*name).into(), value.clone().into());
        }
        map.insert("alg".into(), alg.into());
        map.insert("use".into(), "sig".into());
        if let Some(kid) = kid {
            map.insert("kid".into(), kid.into());
        }
        Jwk { members: map }
    }
}

impl fmt::Debug for Jwk {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut debug = f.debug_struct("Jwk");
        debug.field("kty", &self.kty());
        for (name, shown) in [
            ("kid", self.kid()),
            ("alg", self.alg()),
            ("use", self.key_use()),
            ("crv", self.crv()),
        ] {
            if let Some(value) = shown {
                debug.field(name, &value);
            }
        }
        if self.has_private_material() {
            debug.field("private", &true);
        }
        debug.finish_non_exhaustive()
    }
}

impl serde::Serialize for Jwk {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.members.serialize(serializer)
    }
}

impl<'de> serde::Deserialize<'de> for Jwk {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let members = Map::<String, Value>::deserialize(deserializer)?;
        Jwk::from_members(members).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(json: &str) -> ErrorKind {
        Jwk::from_json(json).unwrap_err().kind()
    }

    #[test]
    fn a_jwk_needs_a_string_kty() {
        assert_eq!(kind(r#"{"kid":"a"}"#), ErrorKind::InvalidKey);
        assert_eq!(kind(r#"{"kty":1}"#), ErrorKind::InvalidKey);
        assert_eq!(kind(r#"["kty"]"#), ErrorKind::InvalidKey);
        assert_eq!(kind("{"), ErrorKind::InvalidKey);
    }

    #[test]
    fn registered_members_of_the_wrong_type_are_refused() {
        assert_eq!(kind(r#"{"kty":"EC","kid":7}"#), ErrorKind::InvalidKey);
        assert_eq!(kind(r#"{"kty":"EC","x":null}"#), ErrorKind::InvalidKey);
        assert_eq!(
            kind(r#"{"kty":"EC","key_ops":"verify"}"#),
            ErrorKind::InvalidKey
        );
        assert_eq!(kind(r#"{"kty":"EC","key_ops":[1]}"#), ErrorKind::InvalidKey);
        assert_eq!(
            kind(r#"{"kty":"EC","key_ops":["verify","verify"]}"#),
            ErrorKind::InvalidKey
        );
        assert_eq!(kind(r#"{"kty":"EC","x5c":[1]}"#), ErrorKind::InvalidKey);
        assert!(serde_json::from_str::<Jwk>(r#"{"kty":"EC","use":false}"#).is_err());
    }

    #[test]
    fn members_are_kept_and_written_back() {
        let json = r#"{"crv":"P-256","ext":true,"key_ops":["verify"],"kid":"k","kty":"EC"}"#;
        let jwk = Jwk::from_json(json).unwrap();
        assert_eq!(jwk.to_json(), json);
        assert_eq!(serde_json::to_string(&jwk).unwrap(), json);
        assert_eq!(jwk.key_ops(), Some(vec!["verify"]));
        assert_eq!(jwk.member("ext"), Some(&Value::Bool(true)));
        assert_eq!(jwk.crv(), Some("P-256"));
        assert_eq!(jwk.alg(), None);
    }

    #[test]
    fn use_and_key_ops_decide_whether_a_key_verifies() {
        let fit = |json: &str| Jwk::from_json(json).unwrap().unfit_for_verifying();
        assert_eq!(
            fit(r#"{"kty":"EC","use":"sig","key_ops":["verify"]}"#),
            None
        );
        assert!(fit(r#"{"kty":"EC","use":"enc"}"#).unwrap().contains("enc"));
        assert!(fit(r#"{"kty":"EC","key_ops":["sign"]}"#).is_some());
    }

    #[test]
    fn base64url_members_must_be_strict() {
        let jwk = Jwk::from_json(r#"{"kty":"OKP","x":"ab+/","y":"AQ=="}"#).unwrap();
        assert_eq!(jwk.bytes("x").unwrap_err().kind(), ErrorKind::InvalidKey);
        assert_eq!(jwk.bytes("y").unwrap_err().kind(), ErrorKind::InvalidKey);
        assert_eq!(jwk.bytes("d").unwrap_err().kind(), ErrorKind::InvalidKey);
    }

    #[test]
    fn debug_never_shows_key_material() {
        let jwk = Jwk::from_json(r#"{"kty":"oct","k":"c2VjcmV0","kid":"k1"}"#).unwrap();
        let debug = format!("{jwk:?}");
        assert!(debug.contains("k1") && debug.contains("private"), "{debug}");
        assert!(!debug.contains("c2VjcmV0"), "{debug}");
    }
}
