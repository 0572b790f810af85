//! Leaving out registered claims that are `None` when encoding.
//!
//! A claims struct with `nbf: Option<NumericDate>` serializes `None` as `"nbf":null`,
//! and decoding refuses a registered claim that is `null` (it is the wrong JSON type,
//! never "absent"). So that `encode` writes what `decode` accepts, [`LeaveOutNull`] wraps
//! the serializer of the payload and drops the top-level members named `iss`, `sub`,
//! `aud`, `exp`, `nbf`, `iat` or `jti` whose value serializes as `null`. Everything else
//! passes through untouched.
//!
//! It also notes the registered claims written at the top level, by a struct's fields or
//! a map (an untyped claims map, or a struct with a flattened field), so that `encode`
//! can tell whether one it would add from the type's declarations is there already, and
//! whether every claim the type's own rules require was written.

use std::fmt;

use serde::ser::{self, Impossible, Serialize, SerializeMap, SerializeStruct, Serializer};

use crate::{ClaimSet, RegisteredClaim};

/// The payload's serializer, leaving out `null` registered claims at the top level and
/// noting in `written` those a map writes.
pub(crate) struct LeaveOutNull<'w, S> {
    pub(crate) serializer: S,
    pub(crate) written: &'w mut ClaimSet,
}

macro_rules! forward {
    ($($method:ident($($arg:ident: $ty:ty),*) -> $out:ty;)*) => {
        $(
            fn $method(self, $($arg: $ty),*) -> Result<$out, S::Error> {
                self.serializer.$method($($arg),*)
            }
        )*
    };
}

impl<'w, S: Serializer> Serializer for LeaveOutNull<'w, S> {
    type Ok = S::Ok;
    type Error = S::Error;
    type SerializeSeq = S::SerializeSeq;
    type SerializeTuple = S::SerializeTuple;
    type SerializeTupleStruct = S::SerializeTupleStruct;
    type SerializeTupleVariant = S::SerializeTupleVariant;
    type SerializeMap = Members<'w, S::SerializeMap>;
    type SerializeStruct = Fields<'w, S::SerializeStruct>;
    type SerializeStructVariant = S::SerializeStructVariant;

    forward! {
        serialize_bool(v: bool) -> S::Ok;
        serialize_i8(v: i8) -> S::Ok;
        serialize_i16(v: i16) -> S::Ok;
        serialize_i32(v: i32) -> S::Ok;
        serialize_i64(v: i64) -> S::Ok;
        serialize_i128(v: i128) -> S::Ok;
        serialize_u8(v: u8) -> S::Ok;
        serialize_u16(v: u16) -> S::Ok;
        serialize_u32(v: u32) -> S::Ok;
        serialize_u64(v: u64) -> S::Ok;
        serialize_u128(v: u128) -> S::Ok;
        serialize_f32(v: f32) -> S::Ok;
        serialize_f64(v: f64) -> S::Ok;
        serialize_char(v: char) -> S::Ok;
        serialize_str(v: &str) -> S::Ok;
        serialize_bytes(v: &[u8]) -> S::Ok;
        serialize_none() -> S::Ok;
        serialize_unit() -> S::Ok;
        serialize_unit_struct(name: &'static str) -> S::Ok;
        serialize_unit_variant(name: &'static str, index: u32, variant: &'static str) -> S::Ok;
        serialize_seq(len: Option<usize>) -> S::SerializeSeq;
        serialize_tuple(len: usize) -> S::SerializeTuple;
        serialize_tuple_struct(name: &'static str, len: usize) -> S::SerializeTupleStruct;
        serialize_tuple_variant(name: &'static str, index: u32, variant: &'static str, len: usize) -> S::SerializeTupleVariant;
        serialize_struct_variant(name: &'static str, index: u32, variant: &'static str, len: usize) -> S::SerializeStructVariant;
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<S::Ok, S::Error> {
        self.serializer.serialize_some(value)
    }

    /// A newtype around the claims is the claims.
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<S::Ok, S::Error> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<S::Ok, S::Error> {
        self.serializer
            .serialize_newtype_variant(name, index, variant, value)
    }

    fn serialize_map(self, len: Option<usize>) -> Result<Members<'w, S::SerializeMap>, S::Error> {
        Ok(Members {
            map: self.serializer.serialize_map(len)?,
            pending: None,
            written: self.written,
        })
    }

    fn serialize_struct(
        self,
        name: &'static str,
        len: usize,
    ) -> Result<Fields<'w, S::SerializeStruct>, S::Error> {
        Ok(Fields {
            fields: self.serializer.serialize_struct(name, len)?,
            written: self.written,
        })
    }
}

/// The fields of a claims struct.
pub(crate) struct Fields<'w, S> {
    fields: S,
    /// The registered claims written so far.
    written: &'w mut ClaimSet,
}

impl<S: SerializeStruct> SerializeStruct for Fields<'_, S> {
    type Ok = S::Ok;
    type Error = S::Error;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), S::Error> {
        match RegisteredClaim::from_name(key) {
            Some(_) if is_null(value) => self.fields.skip_field(key),
            Some(claim) => {
                *self.written = self.written.with(claim);
                self.fields.serialize_field(key, value)
            }
            None => self.fields.serialize_field(key, value),
        }
    }

    fn skip_field(&mut self, key: &'static str) -> Result<(), S::Error> {
        self.fields.skip_field(key)
    }

    fn end(self) -> Result<S::Ok, S::Error> {
        self.fields.end()
    }
}

/// The members of a claims map (or of a struct with a flattened field).
pub(crate) struct Members<'w, S> {
    map: S,
    /// A registered claim's name, held back until its value shows whether it is null.
    pending: Option<RegisteredClaim>,
    /// The registered claims written so far.
    written: &'w mut ClaimSet,
}

impl<S: SerializeMap> SerializeMap for Members<'_, S> {
    type Ok = S::Ok;
    type Error = S::Error;

    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), S::Error> {
        self.pending = key.serialize(NameProbe).ok();
        match self.pending {
            Some(_) => Ok(()),
            None => self.map.serialize_key(key),
        }
    }

    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), S::Error> {
        match self.pending.take() {
            Some(_) if is_null(value) => Ok(()),
            Some(claim) => {
                *self.written = self.written.with(claim);
                self.map.serialize_entry(claim.as_str(), value)
            }
            None => self.map.serialize_value(value),
        }
    }

    fn serialize_entry<K: Serialize + ?Sized, V: Serialize + ?Sized>(
        &mut self,
        key: &K,
        value: &V,
    ) -> Result<(), S::Error> {
        if let Ok(claim) = key.serialize(NameProbe) {
            if is_null(value) {
                return Ok(());
            }
            *self.written = self.written.with(claim);
        }
        self.map.serialize_entry(key, value)
    }

    fn end(self) -> Result<S::Ok, S::Error> {
        self.map.end()
    }
}

fn is_null<T: Serialize + ?Sized>(value: &T) -> bool {
    value.serialize(NullProbe).unwrap_or(false)
}

/// The error of the probes: the value is not the kind they look for.
#[derive(Debug)]
struct NotIt;

impl fmt::Display for NotIt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("not the kind of value looked for")
    }
}

impl std::error::Error for NotIt {}

impl ser::Error for NotIt {
    fn custom<T: fmt::Display>(_: T) -> Self {
        NotIt
    }
}

macro_rules! not_it {
    ($ok:ty; $($method:ident($($ty:ty),*);)*) => {
        $(
            fn $method(self, $(_: $ty),*) -> Result<$ok, NotIt> {
                Err(NotIt)
            }
        )*
    };
}

macro_rules! probe {
    ($probe:ident -> $ok:ty { $($body:tt)* }) => {
        impl Serializer for $probe {
            type Ok = $ok;
            type Error = NotIt;
            type SerializeSeq = Impossible<$ok, NotIt>;
            type SerializeTuple = Impossible<$ok, NotIt>;
            type SerializeTupleStruct = Impossible<$ok, NotIt>;
            type SerializeTupleVariant = Impossible<$ok, NotIt>;
            type SerializeMap = Impossible<$ok, NotIt>;
            type SerializeStruct = Impossible<$ok, NotIt>;
            type SerializeStructVariant = Impossible<$ok, NotIt>;

            $($body)*

            not_it! { $ok;
                serialize_bool(bool);
                serialize_i8(i8);
                serialize_i16(i16);
                serialize_i32(i32);
                serialize_i64(i64);
                serialize_u8(u8);
                serialize_u16(u16);
                serialize_u32(u32);
                serialize_u64(u64);
                serialize_f32(f32);
                serialize_f64(f64);
                serialize_char(char);
                serialize_bytes(&[u8]);
                serialize_unit_struct(&'static str);
                serialize_unit_variant(&'static str, u32, &'static str);
            }

            fn serialize_some<T: Serialize + ?Sized>(self, _: &T) -> Result<$ok, NotIt> {
                Err(NotIt)
            }

            fn serialize_newtype_struct<T: Serialize + ?Sized>(
                self,
                _: &'static str,
                value: &T,
            ) -> Result<$ok, NotIt> {
                value.serialize(self)
            }

            fn serialize_newtype_variant<T: Serialize + ?Sized>(
                self,
                _: &'static str,
                _: u32,
                _: &'static str,
                _: &T,
            ) -> Result<$ok, NotIt> {
                Err(NotIt)
            }

            fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, NotIt> {
                Err(NotIt)
            }

            fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, NotIt> {
                Err(NotIt)
            }

            fn serialize_tuple_struct(
                self,
                _: &'static str,
                _: usize,
            ) -> Result<Self::SerializeTupleStruct, NotIt> {
                Err(NotIt)
            }

            fn serialize_tuple_variant(
                self,
                _: &'static str,
                _: u32,
                _: &'static str,
                _: usize,
            ) -> Result<Self::SerializeTupleVariant, NotIt> {
                Err(NotIt)
            }

            fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, NotIt> {
                Err(NotIt)
            }

            fn serialize_struct(
                self,
                _: &'static str,
                _: usize,
            ) -> Result<Self::SerializeStruct, NotIt> {
                Err(NotIt)
            }

            fn serialize_struct_variant(
                self,
                _: &'static str,
                _: u32,
                _: &'static str,
                _: usize,
            ) -> Result<Self::SerializeStructVariant, NotIt> {
                Err(NotIt)
            }
        }
    };
}

/// Whether a value serializes as `null`; any other value is `Err`.
struct NullProbe;

probe!(NullProbe -> bool {
    fn serialize_none(self) -> Result<bool, NotIt> {
        Ok(true)
    }

    fn serialize_unit(self) -> Result<bool, NotIt> {
        Ok(true)
    }

    fn serialize_str(self, _: &str) -> Result<bool, NotIt> {
        Err(NotIt)
    }
});

/// The registered claim a map key names, when it is a string that names one.
struct NameProbe;

probe!(NameProbe -> RegisteredClaim {
    fn serialize_none(self) -> Result<RegisteredClaim, NotIt> {
        Err(NotIt)
    }

    fn serialize_unit(self) -> Result<RegisteredClaim, NotIt> {
        Err(NotIt)
    }

    fn serialize_str(self, name: &str) -> Result<RegisteredClaim, NotIt> {
        RegisteredClaim::from_name(name).ok_or(NotIt)
    }
});

#[cfg(test)]
mod tests {
    use serde::Serialize;

    use super::*;
    use crate::NumericDate;

    fn payload<T: Serialize>(claims: &T) -> String {
        written(claims).0
    }

    /// The payload, and the registered claims a map wrote in it.
    fn written<T: Serialize>(claims: &T) -> (String, ClaimSet) {
        let mut out = Vec::new();
        let mut written = ClaimSet::EMPTY;
        claims
            .serialize(LeaveOutNull {
                serializer: &mut serde_json::Serializer::new(&mut out),
                written: &mut written,
            })
            .unwrap();
        (String::from_utf8(out).unwrap(), written)
    }

    #[derive(Serialize)]
    struct Optional {
        exp: NumericDate,
        nbf: Option<NumericDate>,
        jti: Option<String>,
        note: Option<String>,
    }

    #[derive(Serialize)]
    struct Flattened {
        sub: Option<String>,
        #[serde(flatten)]
        extra: serde_json::Map<String, serde_json::Value>,
    }

    #[test]
    fn null_registered_claims_are_left_out_and_nothing_else() {
        let claims = Optional {
            exp: NumericDate::from_secs(10),
            nbf: None,
            jti: None,
            note: None,
        };
        assert_eq!(payload(&claims), r#"{"exp":10,"note":null}"#);
        let claims = Optional {
            nbf: Some(NumericDate::from_secs(5)),
            jti: Some("j".into()),
            ..claims
        };
        assert_eq!(
            payload(&claims),
            r#"{"exp":10,"nbf":5,"jti":"j","note":null}"#
        );
    }

    #[test]
    fn maps_and_flattened_fields_leave_out_null_registered_claims_too() {
        let map: serde_json::Map<_, _> =
            serde_json::from_str(r#"{"iat":null,"aud":["a"],"x":null,"exp":1}"#).unwrap();
        assert_eq!(payload(&map), r#"{"aud":["a"],"exp":1,"x":null}"#);
        let flattened = Flattened {
            sub: None,
            extra: serde_json::from_str(r#"{"jti":null,"y":1}"#).unwrap(),
        };
        assert_eq!(payload(&flattened), r#"{"y":1}"#);
        // Written registered claims are noted, left-out ones are not.
        let (_, noted) = written(&map);
        assert_eq!(
            noted,
            ClaimSet::EMPTY
                .with(RegisteredClaim::Aud)
                .with(RegisteredClaim::Exp)
        );
        // Nested objects are claims' own business.
        let nested: serde_json::Value = serde_json::from_str(r#"{"inner":{"exp":null}}"#).unwrap();
        assert_eq!(payload(&nested), r#"{"inner":{"exp":null}}"#);
    }
}
