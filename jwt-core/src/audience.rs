//! [`Audience`]: the `aud` claim, one string or an array of strings.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, SeqAccess, Visitor};
use serde::ser::{Serialize, SerializeSeq, Serializer};

/// The `aud` claim: the recipients a token is meant for.
///
/// RFC 7519 section 4.1.3 lets a token carry one string or an array of strings; both are
/// read, and each is written back in the form it was read. Any other JSON is refused.
///
/// ```
/// use jwt_core::Audience;
///
/// let one: Audience = serde_json::from_str(r#""api""#).unwrap();
/// let many: Audience = serde_json::from_str(r#"["api", "admin"]"#).unwrap();
/// assert!(one.contains("api") && many.contains("admin"));
/// assert_eq!(serde_json::to_string(&one).unwrap(), r#""api""#);
/// assert!(serde_json::from_str::<Audience>("[1]").is_err());
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Audience {
    /// `"aud": "one"`.
    Single(String),
    /// `"aud": ["one", "two"]`, possibly empty.
    Many(Vec<String>),
}

impl Audience {
    /// The audiences, in order.
    pub fn as_slice(&self) -> &[String] {
        match self {
            Audience::Single(one) => std::slice::from_ref(one),
            Audience::Many(many) => many,
        }
    }

    /// Whether `audience` is one of them (exact string equality).
    pub fn contains(&self, audience: &str) -> bool {
        self.as_slice()
            .iter()
            .any(|candidate| candidate == audience)
    }

    /// An iterator over the audiences.
    pub fn iter(&self) -> std::slice::Iter<'_, String> {
        self.as_slice().iter()
    }
}

impl From<String> for Audience {
    fn from(one: String) -> Self {
        Audience::Single(one)
    }
}

impl From<&str> for Audience {
    fn from(one: &str) -> Self {
        Audience::Single(one.to_owned())
    }
}

impl From<Vec<String>> for Audience {
    fn from(many: Vec<String>) -> Self {
        Audience::Many(many)
    }
}

impl<'a> IntoIterator for &'a Audience {
    type Item = &'a String;
    type IntoIter = std::slice::Iter<'a, String>;
    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl fmt::Display for Audience {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Audience::Single(one) => write!(f, "{one:?}"),
            Audience::Many(many) => write!(f, "{many:?}"),
        }
    }
}

impl Serialize for Audience {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Audience::Single(one) => serializer.serialize_str(one),
            Audience::Many(many) => {
                let mut seq = serializer.serialize_seq(Some(many.len()))?;
                for one in many {
                    seq.serialize_element(one)?;
                }
                seq.end()
            }
        }
    }
}

impl<'de> Deserialize<'de> for Audience {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct AudienceVisitor;

        impl<'de> Visitor<'de> for AudienceVisitor {
            type Value = Audience;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string or an array of strings")
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<Audience, E> {
                Ok(Audience::Single(v.to_owned()))
            }

            fn visit_string<E: de::Error>(self, v: String) -> Result<Audience, E> {
                Ok(Audience::Single(v))
            }

            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Audience, A::Error> {
                // The hint comes from the input: cap it so it cannot reserve unbounded memory.
                let mut many = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(16));
                while let Some(one) = seq.next_element::<String>()? {
                    many.push(one);
                }
                Ok(Audience::Many(many))
            }
        }

        deserializer.deserialize_any(AudienceVisitor)
    }
}
