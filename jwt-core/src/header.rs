//! The JOSE header: [`Header`] as users see it, and the borrowed view the decoder reads.

use std::borrow::Cow;
use std::fmt;
use std::sync::LazyLock;

use serde::de::{self, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::json::reader::Reader;
use crate::json::{self, Strict, Strictness};
use crate::{Algorithm, Error, ErrorKind, base64url};

/// A token's JOSE header (RFC 7515 section 4).
///
/// `crit` is never a member: this library implements no critical extension, so a token
/// that carries one is refused and a header that asks for one is not encoded. Header key
/// material (`jwk`, `jku`, `x5u`, `x5c`) is kept in [`other`](Header::other) for
/// inspection and never used.
///
/// ```
/// use jwt_core::{Algorithm, Header};
///
/// let mut header = Header::new(Algorithm::HS256);
/// header.kid = Some("2026-11".into());
/// assert_eq!(header.typ.as_deref(), Some("JWT"));
/// assert_eq!(
///     serde_json::to_string(&header).unwrap(),
///     r#"{"alg":"HS256","typ":"JWT","kid":"2026-11"}"#
/// );
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Header {
    /// `alg`: the algorithm the token is signed with.
    pub alg: Algorithm,
    /// `typ`: the media type of the whole token, `JWT` by default.
    pub typ: Option<String>,
    /// `kid`: which of the verifier's keys to use.
    pub kid: Option<String>,
    /// `cty`: the media type of the payload.
    pub cty: Option<String>,
    /// Every other member, as read.
    pub other: Map<String, Value>,
}

impl Header {
    /// A header for `alg` with `typ` `JWT`.
    pub fn new(alg: Algorithm) -> Header {
        Header {
            alg,
            typ: Some("JWT".to_owned()),
            kid: None,
            cty: None,
            other: Map::new(),
        }
    }

    /// Checks what encoding needs: no `crit`, no member named twice.
    pub(crate) fn check_encodable(&self) -> Result<(), Error> {
        if self.other.contains_key("crit") {
            return Err(Error::new(
                ErrorKind::CriticalHeader,
                "this library implements no critical header extension and will not write `crit`",
            ));
        }
        for name in ["alg", "typ", "kid", "cty"] {
            if self.other.contains_key(name) {
                return Err(Error::new(
                    ErrorKind::Encode,
                    format!("header member `{name}` is a field of `Header`, not one of `other`"),
                ));
            }
        }
        Ok(())
    }
}

impl Serialize for Header {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("alg", &self.alg)?;
        for (name, value) in [("typ", &self.typ), ("kid", &self.kid), ("cty", &self.cty)] {
            if let Some(value) = value {
                map.serialize_entry(name, value)?;
            }
        }
        for (name, value) in &self.other {
            map.serialize_entry(name, value)?;
        }
        map.end()
    }
}

/// A header as read from a token, borrowing from the decoded bytes. The algorithm is still
/// a string here: whether it is acceptable is the key's decision, not the token's.
#[derive(Debug, Default)]
pub(crate) struct RawHeader<'a> {
    pub(crate) alg: Cow<'a, str>,
    pub(crate) typ: Option<Cow<'a, str>>,
    pub(crate) kid: Option<Cow<'a, str>>,
    pub(crate) cty: Option<Cow<'a, str>>,
    pub(crate) has_crit: bool,
    other: Map<String, Value>,
    /// The document, when it has members beyond these that were skipped: read again
    /// for them only once the header is wanted whole, after the signature is checked.
    skipped: Option<&'a [u8]>,
}

/// The headers that issuers commonly write for an HMAC key with no `kid` (this crate's
/// `encode`, and most other libraries), as their exact base64url segments.
static COMMON: LazyLock<Vec<(String, Algorithm)>> = LazyLock::new(|| {
    let mut common = Vec::new();
    for layout in [
        r#"{"alg":"ALG","typ":"JWT"}"#,
        r#"{"typ":"JWT","alg":"ALG"}"#,
    ] {
        for alg in [Algorithm::HS256, Algorithm::HS384, Algorithm::HS512] {
            let mut segment = String::new();
            base64url::encode_into(layout.replace("ALG", alg.as_str()).as_bytes(), &mut segment);
            common.push((segment, alg));
        }
    }
    common
});

/// The segment of `{"alg":..,"typ":"JWT"}` for `alg`, if it is one of the [`COMMON`]
/// headers.
pub(crate) fn common_segment(alg: Algorithm) -> Option<&'static str> {
    COMMON
        .iter()
        .find(|(_, common)| *common == alg)
        .map(|(segment, _)| segment.as_str())
}

impl<'a> RawHeader<'a> {
    /// The header of a segment that is exactly one of the [`COMMON`] headers, without
    /// decoding it: the same `RawHeader` as decoding and parsing it would give.
    pub(crate) fn common(segment: &str) -> Option<RawHeader<'static>> {
        let (_, alg) = COMMON.iter().find(|(common, _)| common == segment)?;
        Some(RawHeader {
            alg: Cow::Borrowed(alg.as_str()),
            typ: Some(Cow::Borrowed("JWT")),
            ..RawHeader::default()
        })
    }

    /// Reads strict JSON that must be an object with a string `alg`.
    pub(crate) fn parse(json: &'a [u8]) -> Result<RawHeader<'a>, Error> {
        let malformed = |detail: &dyn fmt::Display| {
            Error::new(
                ErrorKind::Malformed,
                format!("the header is not valid: {detail}"),
            )
        };
        if !json::looks_like_object(json) {
            return Err(malformed(&"it is not a JSON object"));
        }
        let mut reader = Reader::new(json).map_err(|error| malformed(&error).with_source(error))?;
        let header = (&mut reader).deserialize_map(RawHeaderVisitor { keep_other: false });
        let header = header
            .and_then(|header| reader.end().map(|()| header))
            .map_err(|error| malformed(&error).with_source(error))?;
        let header = header.ok_or_else(|| malformed(&"it has no `alg`"))?;
        Ok(RawHeader {
            skipped: header.skipped.and(Some(json)),
            ..header
        })
    }

    /// The owned header, once `alg` is known to name `alg`, with every other member.
    pub(crate) fn into_header(self, alg: Algorithm) -> Result<Header, Error> {
        let other = match self.skipped {
            None => self.other,
            Some(json) => {
                let reread = Reader::new(json).and_then(|mut reader| {
                    (&mut reader).deserialize_map(RawHeaderVisitor { keep_other: true })
                });
                reread
                    .map_err(|error| {
                        Error::new(ErrorKind::Malformed, "the header cannot be read again")
                            .with_source(error)
                    })?
                    .map(|header| header.other)
                    .unwrap_or_default()
            }
        };
        Ok(Header {
            alg,
            typ: self.typ.map(Cow::into_owned),
            kid: self.kid.map(Cow::into_owned),
            cty: self.cty.map(Cow::into_owned),
            other,
        })
    }
}

/// Reads a header object. Without `keep_other`, members other than `alg`, `typ`, `kid`,
/// `cty` and `crit` are read strictly but not kept, and the header notes it skipped
/// some: a token refused before its signature is checked costs no copy of them.
struct RawHeaderVisitor {
    keep_other: bool,
}

impl<'de> Visitor<'de> for RawHeaderVisitor {
    /// `None` when the object has no `alg`.
    type Value = Option<RawHeader<'de>>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    /// The map is the strict [`Reader`]'s (or, for `Header`'s own `Deserialize`, one
    /// wrapped in [`Strict`]): it refuses duplicate names and checks every value.
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let string = |map: &mut A| map.next_value_seed(json::StrSeed);
        let mut alg = None;
        let mut header = RawHeader::default();
        while let Some(name) = map.next_key_seed(json::StrSeed)? {
            match &*name {
                "alg" => alg = Some(string(&mut map)?),
                "typ" => header.typ = Some(string(&mut map)?),
                "kid" => header.kid = Some(string(&mut map)?),
                "cty" => header.cty = Some(string(&mut map)?),
                "crit" => {
                    header.has_crit = true;
                    map.next_value::<IgnoredAny>()?;
                }
                _ if self.keep_other => {
                    let value = map.next_value::<Value>()?;
                    header.other.insert(name.into_owned(), value);
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                    header.skipped = Some(&[]);
                }
            }
        }
        Ok(alg.map(|alg| RawHeader { alg, ..header }))
    }
}

impl<'de> Deserialize<'de> for Header {
    /// Reads a header strictly; `alg` must name a known algorithm and `crit` is refused.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let strictness = Strictness::default();
        let raw = Strict::new(deserializer, 0, &strictness)
            .deserialize_map(RawHeaderVisitor { keep_other: true })?
            .ok_or_else(|| de::Error::missing_field("alg"))?;
        if raw.has_crit {
            return Err(de::Error::custom("`crit` is not supported"));
        }
        let alg = raw.alg.parse().map_err(de::Error::custom)?;
        raw.into_header(alg).map_err(de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_header_keeps_every_member() {
        let raw = RawHeader::parse(
            br#"{"alg":"HS256","typ":"JWT","kid":"k1","cty":"x","jwk":{"kty":"oct"}}"#,
        )
        .unwrap();
        let header = raw.into_header(Algorithm::HS256).unwrap();
        assert_eq!(header.kid.as_deref(), Some("k1"));
        assert_eq!(header.cty.as_deref(), Some("x"));
        assert_eq!(header.other["jwk"]["kty"], "oct");
    }

    #[test]
    fn common_headers_read_as_parsing_them_would() {
        assert_eq!(COMMON.len(), 6);
        for (segment, alg) in COMMON.iter() {
            let json = base64url::decode(segment, "header").unwrap();
            let parsed = RawHeader::parse(&json).unwrap();
            let common = RawHeader::common(segment).unwrap();
            assert_eq!(format!("{common:?}"), format!("{parsed:?}"));
            assert_eq!(
                common.into_header(*alg).unwrap(),
                parsed.into_header(*alg).unwrap()
            );
        }
        for alg in [Algorithm::HS256, Algorithm::HS384, Algorithm::HS512] {
            let mut default = String::new();
            base64url::encode_into(
                &serde_json::to_vec(&Header::new(alg)).unwrap(),
                &mut default,
            );
            assert_eq!(common_segment(alg), Some(default.as_str()));
        }
        assert_eq!(common_segment(Algorithm::RS256), None);
        let with_kid = r#"{"alg":"HS256","typ":"JWT","kid":"k"}"#;
        let mut segment = String::new();
        base64url::encode_into(with_kid.as_bytes(), &mut segment);
        assert!(RawHeader::common(&segment).is_none());
    }

    #[test]
    fn header_shapes_other_than_an_object_with_a_string_alg_are_malformed() {
        for bad in [
            "[]",
            r#""HS256""#,
            "{}",
            r#"{"typ":"JWT"}"#,
            r#"{"alg":null}"#,
            r#"{"alg":1}"#,
            r#"{"alg":["HS256"]}"#,
            r#"{"alg":"HS256","kid":7}"#,
            r#"{"alg":"HS256","alg":"HS256"}"#,
            r#"{"alg":"HS256"} {}"#,
        ] {
            let error = RawHeader::parse(bad.as_bytes()).unwrap_err();
            assert_eq!(error.kind(), ErrorKind::Malformed, "{bad}");
        }
    }

    #[test]
    fn deserialize_refuses_unknown_algorithms_and_crit() {
        let header: Header = serde_json::from_str(r#"{"alg":"HS384"}"#).unwrap();
        assert_eq!(header.alg, Algorithm::HS384);
        assert!(serde_json::from_str::<Header>(r#"{"alg":"none"}"#).is_err());
        assert!(serde_json::from_str::<Header>(r#"{"alg":"HS256","crit":[]}"#).is_err());
    }
}
