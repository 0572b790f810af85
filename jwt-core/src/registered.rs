//! Reading the payload in one pass: the claims type is deserialized while the registered
//! claims (`iss`, `sub`, `aud`, `exp`, `nbf`, `iat`, `jti`) are captured on the way past,
//! whether or not the type has fields for them, and checked for their JSON type.
//!
//! The payload's object is handed to the claims type through [`ClaimsMap`]: each
//! registered claim's value is first read by a strict visitor of its own (a string, a
//! number of seconds, a string or an array of strings), kept, and then replayed to the
//! claims type from the kept value. Every other value goes straight through the
//! [`Strict`](crate::json::Strict) rules.

use std::borrow::Cow;
use std::fmt;

use serde::de::value::{F64Deserializer, I64Deserializer, SeqDeserializer, U64Deserializer};
use serde::de::{self, Deserialize, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

use crate::json;
use crate::json::reader::{Category, JsonError, Reader};
use crate::time::NumericDateVisitor;
use crate::{ClaimSet, NumericDate, RegisteredClaim};

/// The registered claims of a payload, as read.
#[derive(Debug, Default)]
pub(crate) struct Registered<'de> {
    pub(crate) present: ClaimSet,
    pub(crate) iss: Option<Cow<'de, str>>,
    pub(crate) sub: Option<Cow<'de, str>>,
    pub(crate) aud: Option<CapturedAudience<'de>>,
    pub(crate) exp: Option<NumericDate>,
    pub(crate) nbf: Option<NumericDate>,
    pub(crate) iat: Option<NumericDate>,
    /// The registered claim whose value had the wrong JSON type or range.
    pub(crate) invalid: Option<RegisteredClaim>,
    /// Whether every member of the object was read, so that `present` is complete.
    pub(crate) complete: bool,
}

/// What went wrong while reading a payload.
pub(crate) enum PayloadError {
    /// Not JSON: broken syntax, invalid UTF-8, a number beyond `f64` outside the time
    /// claims.
    Syntax(JsonError),
    /// A strictness rule refused the JSON.
    Strict(json::Violation, JsonError),
    /// A registered claim has the wrong JSON type or range.
    InvalidClaim(RegisteredClaim, JsonError),
    /// Well-formed JSON that does not fit the claims type. When the whole object was
    /// read, the registered claims it holds.
    DoesNotFit(JsonError, Option<ClaimSet>),
}

/// Reads `json` (known to start with `{`) into a `C`, capturing the registered claims.
pub(crate) fn parse<'de, C: Deserialize<'de>>(
    json: &'de [u8],
) -> Result<(C, Registered<'de>), PayloadError> {
    let mut reader = Reader::new(json).map_err(PayloadError::Syntax)?;
    let mut registered = Registered::default();
    let claims = C::deserialize(ClaimsDeserializer {
        reader: &mut reader,
        registered: &mut registered,
    });
    match claims.and_then(|claims| reader.end().map(|()| claims)) {
        Ok(claims) => Ok((claims, registered)),
        // A failure of the reader itself wins over what a visitor made of it.
        Err(error) => Err(
            match (
                reader.failure().unwrap_or(error.category()),
                registered.invalid,
            ) {
                (Category::Strict(violation), _) => PayloadError::Strict(violation, error),
                (Category::Syntax, _) | (Category::OutOfRange, None) => PayloadError::Syntax(error),
                (Category::OutOfRange | Category::Data, Some(claim)) => {
                    PayloadError::InvalidClaim(claim, error)
                }
                (Category::Data, None) => PayloadError::DoesNotFit(
                    error,
                    registered.complete.then_some(registered.present),
                ),
            },
        ),
    }
}

/// The deserializer the claims type sees: always an object.
struct ClaimsDeserializer<'a, 'de> {
    reader: &'a mut Reader<'de>,
    registered: &'a mut Registered<'de>,
}

impl<'de> ClaimsDeserializer<'_, 'de> {
    fn object<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, JsonError> {
        let ClaimsDeserializer { reader, registered } = self;
        reader.deserialize_map(ObjectVisitor {
            visitor,
            registered,
        })
    }
}

impl<'de> Deserializer<'de> for ClaimsDeserializer<'_, 'de> {
    type Error = JsonError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        self.object(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        visitor.visit_some(self)
    }

    // Whatever the claims type asks for, the payload is an object: a type that wants
    // something else is refused by its own visitor.
    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        unit unit_struct seq tuple tuple_struct map struct enum identifier ignored_any
    }
}

struct ObjectVisitor<'a, 'de, V> {
    visitor: V,
    registered: &'a mut Registered<'de>,
}

impl<'de, V: Visitor<'de>> Visitor<'de> for ObjectVisitor<'_, 'de, V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.visitor.expecting(f)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<V::Value, A::Error> {
        self.visitor.visit_map(ClaimsMap {
            map,
            registered: self.registered,
            pending: None,
        })
    }
}

/// The top-level object of the payload, as the claims type iterates it. The reader
/// under it refuses duplicate names and applies the strict rules to every value.
struct ClaimsMap<'a, 'de, A> {
    map: A,
    registered: &'a mut Registered<'de>,
    /// The registered claim whose value comes next.
    pending: Option<RegisteredClaim>,
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for ClaimsMap<'_, 'de, A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        let Some(key) = self.map.next_key_seed(json::StrSeed)? else {
            self.registered.complete = true;
            return Ok(None);
        };
        self.pending = RegisteredClaim::from_name(&key);
        json::seed_str(seed, &key).map(Some)
    }

    fn next_value_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<T::Value, A::Error> {
        let Some(claim) = self.pending.take() else {
            return self.map.next_value_seed(seed);
        };
        self.registered.present = self.registered.present.with(claim);
        let captured = match claim {
            RegisteredClaim::Iss | RegisteredClaim::Sub | RegisteredClaim::Jti => {
                self.map.next_value_seed(json::StrSeed).map(Captured::Str)
            }
            RegisteredClaim::Aud => self
                .map
                .next_value_seed(AudienceSeed)
                .map(Captured::Audience),
            RegisteredClaim::Exp | RegisteredClaim::Nbf | RegisteredClaim::Iat => {
                self.map.next_value_seed(TimeSeed).map(Captured::Time)
            }
        };
        let captured = captured.inspect_err(|_| self.registered.invalid = Some(claim))?;
        let value = captured.replay(seed)?;
        let registered = &mut *self.registered;
        match (claim, captured) {
            (RegisteredClaim::Iss, Captured::Str(iss)) => registered.iss = Some(iss),
            (RegisteredClaim::Sub, Captured::Str(sub)) => registered.sub = Some(sub),
            (RegisteredClaim::Aud, Captured::Audience(aud)) => {
                registered.aud = Some(aud);
            }
            (RegisteredClaim::Exp, Captured::Time(exp)) => registered.exp = Some(exp.date),
            (RegisteredClaim::Nbf, Captured::Time(nbf)) => registered.nbf = Some(nbf.date),
            (RegisteredClaim::Iat, Captured::Time(iat)) => registered.iat = Some(iat.date),
            // `jti` counts only as present; each claim is captured as its own kind.
            _ => {}
        }
        Ok(value)
    }

    fn size_hint(&self) -> Option<usize> {
        self.map.size_hint()
    }
}

/// A registered claim's value, kept to be checked and replayed to the claims type.
enum Captured<'de> {
    Str(Cow<'de, str>),
    Audience(CapturedAudience<'de>),
    Time(CapturedTime),
}

impl<'de> Captured<'de> {
    /// Hands the value to the claims type as it was written in the token.
    fn replay<T: DeserializeSeed<'de>, E: de::Error>(&self, seed: T) -> Result<T::Value, E> {
        match self {
            Captured::Str(string) => json::seed_str(Replay(seed), string),
            Captured::Audience(CapturedAudience::One(one)) => json::seed_str(Replay(seed), one),
            Captured::Audience(CapturedAudience::Many(many)) => {
                Replay(seed).deserialize(SeqDeserializer::new(many.iter().map(AsRef::as_ref)))
            }
            Captured::Time(time) => match time.number {
                Number::Unsigned(n) => Replay(seed).deserialize(U64Deserializer::new(n)),
                Number::Signed(n) => Replay(seed).deserialize(I64Deserializer::new(n)),
                Number::Float(n) => Replay(seed).deserialize(F64Deserializer::new(n)),
            },
        }
    }
}

/// Replays a kept value as the JSON deserializer would present it: serde's value
/// deserializers refuse `Option`s, while a JSON value that is present is `Some`.
struct Replay<S>(S);

impl<'de, S: DeserializeSeed<'de>> DeserializeSeed<'de> for Replay<S> {
    type Value = S::Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<S::Value, D::Error> {
        self.0.deserialize(PresentValue(deserializer))
    }
}

struct PresentValue<D>(D);

impl<'de, D: Deserializer<'de>> Deserializer<'de> for PresentValue<D> {
    type Error = D::Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        self.0.deserialize_any(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        visitor.visit_some(self.0)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        visitor.visit_newtype_struct(self.0)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        unit unit_struct seq tuple tuple_struct map struct enum identifier ignored_any
    }
}

/// `aud` as written: one string or an array of strings.
#[derive(Debug)]
pub(crate) enum CapturedAudience<'de> {
    One(Cow<'de, str>),
    Many(Vec<Cow<'de, str>>),
}

impl<'de> CapturedAudience<'de> {
    /// The audiences, one or many, as a list.
    pub(crate) fn as_slice(&self) -> &[Cow<'de, str>] {
        match self {
            CapturedAudience::One(one) => std::slice::from_ref(one),
            CapturedAudience::Many(many) => many,
        }
    }
}

struct AudienceSeed;

impl<'de> DeserializeSeed<'de> for AudienceSeed {
    type Value = CapturedAudience<'de>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for AudienceSeed {
    type Value = CapturedAudience<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string or an array of strings")
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(CapturedAudience::One(Cow::Borrowed(v)))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(CapturedAudience::One(Cow::Owned(v.to_owned())))
    }

    fn visit_seq<S: SeqAccess<'de>>(self, mut seq: S) -> Result<Self::Value, S::Error> {
        let mut many = Vec::new();
        while let Some(one) = seq.next_element_seed(json::StrSeed)? {
            many.push(one);
        }
        Ok(CapturedAudience::Many(many))
    }
}

/// A time claim as written, and as the [`NumericDate`] it means.
struct CapturedTime {
    number: Number,
    date: NumericDate,
}

#[derive(Clone, Copy)]
enum Number {
    Unsigned(u64),
    Signed(i64),
    Float(f64),
}

struct TimeSeed;

impl<'de> DeserializeSeed<'de> for TimeSeed {
    type Value = CapturedTime;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl Visitor<'_> for TimeSeed {
    type Value = CapturedTime;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        NumericDateVisitor.expecting(f)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<CapturedTime, E> {
        let date = NumericDateVisitor.visit_u64(v)?;
        Ok(CapturedTime {
            number: Number::Unsigned(v),
            date,
        })
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<CapturedTime, E> {
        let date = NumericDateVisitor.visit_i64(v)?;
        Ok(CapturedTime {
            number: Number::Signed(v),
            date,
        })
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<CapturedTime, E> {
        let date = NumericDateVisitor.visit_f64(v)?;
        Ok(CapturedTime {
            number: Number::Float(v),
            date,
        })
    }
}
