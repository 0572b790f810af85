//! Reading the payload in one pass: the claims type is deserialized while the registered
//! claims (`iss`, `sub`, `aud`, `exp`, `nbf`, `iat`, `jti`) are captured on the way past,
//! whether or not the type has fields for them, and checked for their JSON type.
//!
//! The payload's object is handed to the claims type through [`ClaimsMap`]. When the type
//! asks for a registered claim's value, it gets a [`Tap`]: whatever it asks for, the
//! value is read by a strict visitor of the claim's own (a string, a number of seconds, a
//! string or an array of strings), kept, and handed to the type's visitor as the JSON
//! reader would have handed it. Every other value goes straight to the strict
//! [`Reader`].

use std::borrow::Cow;
use std::fmt;

use serde::de::value::SeqDeserializer;
use serde::de::{self, Deserialize, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

use crate::json;
use crate::json::reader::{self, Category, JsonError, Object, Reader};
use crate::time::{self, NumericDateVisitor};
use crate::{ClaimSet, NumericDate, RegisteredClaim};

/// The registered claims of a payload, as read.
#[derive(Debug, Default)]
pub(crate) struct Registered<'de> {
    pub(crate) present: ClaimSet,
    pub(crate) iss: Option<Cow<'de, str>>,
    pub(crate) sub: Option<Cow<'de, str>>,
    pub(crate) jti: Option<Cow<'de, str>>,
    pub(crate) aud: Option<CapturedAudience<'de>>,
    pub(crate) exp: Option<NumericDate>,
    pub(crate) nbf: Option<NumericDate>,
    pub(crate) iat: Option<NumericDate>,
    /// The first registered claim whose value had the wrong JSON type or range, and why.
    /// It refuses the token even when the claims type swallowed the error.
    pub(crate) invalid: Option<(RegisteredClaim, JsonError)>,
    /// Whether every member of the object was read.
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
    /// Well-formed JSON that does not fit the claims type, and whether the whole object
    /// was read (so that a missing field the error names is one of the top level).
    DoesNotFit(JsonError, bool),
}

/// Reads `json` (known to start with `{`) into a `C`, capturing the registered claims
/// into `registered`. A failure is handed to `refuse`, so that the claims are moved no
/// further than the caller's result on their way out.
pub(crate) fn parse<'de, C: Deserialize<'de>, E>(
    json: &'de [u8],
    registered: &mut Registered<'de>,
    refuse: impl FnOnce(PayloadError) -> E,
) -> Result<C, E> {
    let text = match reader::text(json) {
        Ok(text) => text,
        Err(error) => return Err(refuse(PayloadError::Syntax(error))),
    };
    let mut reader = Reader::of_text(text);
    let mut claims = C::deserialize(ClaimsDeserializer {
        reader: &mut reader,
        registered: &mut *registered,
    });
    if claims.is_ok() {
        if let Err(error) = reader.end() {
            claims = Err(error);
        } else if let Some((claim, error)) = registered.invalid.take() {
            // The claims type swallowed the error of a registered claim.
            return Err(refuse(PayloadError::InvalidClaim(claim, error)));
        }
    }
    claims.map_err(|error| refuse(classify(error, &reader, registered)))
}

/// What a failure while reading the payload means. A failure of the reader itself wins
/// over what a visitor made of it.
#[cold]
fn classify(error: JsonError, reader: &Reader<'_>, registered: &Registered<'_>) -> PayloadError {
    match (
        reader.failure().unwrap_or(error.category()),
        &registered.invalid,
    ) {
        (Category::Strict(violation), _) => PayloadError::Strict(violation, error),
        (Category::Syntax, _) | (Category::OutOfRange, None) => PayloadError::Syntax(error),
        // The claim's own error, whatever the type made of it.
        (Category::OutOfRange | Category::Data, Some((claim, invalid))) => {
            PayloadError::InvalidClaim(*claim, invalid.clone())
        }
        (Category::Data, None) => PayloadError::DoesNotFit(error, registered.complete),
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
        reader.read_object(|object| {
            visitor.visit_map(ClaimsMap {
                object,
                registered,
                pending: None,
            })
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

/// The top-level object of the payload, as the claims type iterates it. The reader
/// under it refuses duplicate names and applies the strict rules to every value.
struct ClaimsMap<'a, 'o, 'de> {
    object: Object<'o, 'de>,
    registered: &'a mut Registered<'de>,
    /// The registered claim whose value comes next.
    pending: Option<RegisteredClaim>,
}

impl<'de> MapAccess<'de> for ClaimsMap<'_, '_, 'de> {
    type Error = JsonError;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, JsonError> {
        let Some(key) = self.object.next_name()? else {
            self.registered.complete = true;
            return Ok(None);
        };
        self.pending = RegisteredClaim::from_name(&key);
        json::seed_str(seed, &key).map(Some)
    }

    fn next_value_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<T::Value, JsonError> {
        let Some(claim) = self.pending.take() else {
            return self.object.value_with(|reader| seed.deserialize(reader));
        };
        let registered = &mut *self.registered;
        registered.present = registered.present.with(claim);
        self.object.value_with(|reader| {
            let mut tapped = false;
            let value = seed.deserialize(Tap {
                reader: &mut *reader,
                claim,
                registered: &mut *registered,
                tapped: &mut tapped,
            });
            // A type may make its value without reading the token's, or fail before it
            // reads it: the claim is read and checked all the same.
            if !tapped {
                Tap {
                    reader,
                    claim,
                    registered,
                    tapped: &mut tapped,
                }
                .deserialize_ignored_any(de::IgnoredAny)?;
            }
            value
        })
    }

    fn size_hint(&self) -> Option<usize> {
        None
    }
}

/// The value of a registered claim, as the claims type reads it: whatever the type asks
/// for, the value is first read by the claim's own strict visitor (a string, a number
/// of seconds, a string or an array of strings) and kept in [`Registered`]; then the
/// type's visitor is handed it as the JSON deserializer would present it.
struct Tap<'a, 'de> {
    reader: &'a mut Reader<'de>,
    claim: RegisteredClaim,
    registered: &'a mut Registered<'de>,
    /// Set once the value has been read.
    tapped: &'a mut bool,
}

impl<'de> Tap<'_, 'de> {
    fn read<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, JsonError> {
        let Tap {
            reader,
            claim,
            registered,
            tapped,
        } = self;
        *tapped = true;
        let invalid = |error: JsonError| {
            if registered.invalid.is_none() {
                registered.invalid = Some((claim, error.clone()));
            }
            error
        };
        match claim {
            RegisteredClaim::Iss | RegisteredClaim::Sub | RegisteredClaim::Jti => {
                // A string, as nearly every token has it, is read without a visitor.
                let string = match reader.string_value() {
                    Ok(Some(string)) => Ok(string),
                    Ok(None) => json::StrSeed.deserialize(&mut *reader),
                    Err(error) => Err(error),
                }
                .map_err(invalid)?;
                let value = json::visit_str(visitor, &string);
                match claim {
                    RegisteredClaim::Iss => registered.iss = Some(string),
                    RegisteredClaim::Sub => registered.sub = Some(string),
                    _ => registered.jti = Some(string),
                }
                value
            }
            RegisteredClaim::Aud => {
                let audience = AudienceSeed.deserialize(&mut *reader).map_err(invalid)?;
                let value = match &audience {
                    CapturedAudience::One(one) => json::visit_str(visitor, one),
                    CapturedAudience::Many(many) => {
                        SeqDeserializer::new(many.iter().map(AsRef::as_ref))
                            .deserialize_any(visitor)
                    }
                };
                registered.aud = Some(audience);
                value
            }
            RegisteredClaim::Exp | RegisteredClaim::Nbf | RegisteredClaim::Iat => {
                // A number's floor is taken on its decimal text; anything else is refused
                // by the time visitor, which says what it found.
                let date = match reader.peek_value() {
                    Ok(b'-' | b'0'..=b'9') => reader.number_text().and_then(|text| {
                        time::floor_of_json_number(text).ok_or_else(|| time::out_of_range(text))
                    }),
                    Ok(_) => (&mut *reader).deserialize_any(NumericDateVisitor),
                    Err(error) => Err(error),
                }
                .map_err(invalid)?;
                let slot = match claim {
                    RegisteredClaim::Exp => &mut registered.exp,
                    RegisteredClaim::Nbf => &mut registered.nbf,
                    _ => &mut registered.iat,
                };
                *slot = Some(date);
                // The type gets the time that the rules check, as an integer.
                time::visit_secs(date, visitor)
            }
        }
    }
}

/// As the JSON deserializer presents a value that is present: an `Option` is `Some`, a
/// newtype is its content, and every other request gets the value as it is.
impl<'de> Deserializer<'de> for Tap<'_, 'de> {
    type Error = JsonError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, JsonError> {
        self.read(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, JsonError> {
        visitor.visit_some(self)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, JsonError> {
        visitor.visit_newtype_struct(self)
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
