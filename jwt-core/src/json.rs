//! Strict JSON for headers and payloads, in one pass over the bytes.
//!
//! Tokens are read by [`reader::Reader`], which has the strict rules built in. [`Strict`]
//! adds the same rules to any other serde deserializer: `Header`'s public `Deserialize`
//! goes through it, and the tests check the reader against `serde_json` wrapped in it.
//! `serde_json` already refuses broken syntax, trailing bytes, a byte-order mark, invalid
//! UTF-8 and lone surrogate escapes in strings it decodes; [`Strict`] adds what it does
//! not do: refuse duplicate member names in every object, bound nesting, and decode every
//! string it would otherwise skip unchecked. Violations are recorded in a [`Strictness`]
//! so that the caller can tell broken JSON (`Malformed`) from JSON that does not fit the
//! target type.

pub(crate) mod reader;

use std::borrow::Cow;
use std::cell::Cell;
use std::collections::HashSet;
use std::fmt;

use serde::de::value::{BorrowedStrDeserializer, StrDeserializer};

use crate::error::Excerpt;
use serde::de::{
    self, DeserializeSeed, Deserializer, EnumAccess, MapAccess, SeqAccess, VariantAccess, Visitor,
};

/// Objects and arrays may nest this deep (the outermost object is level 1). Far below
/// `serde_json`'s own limit, so that refusal comes before the stack grows.
pub(crate) const MAX_DEPTH: usize = 32;

/// The newtype name by which `serde_json::value::RawValue` asks for unparsed text.
const RAW_VALUE_TOKEN: &str = "$serde_json::private::RawValue";

/// Why strict JSON was refused, beyond `serde_json`'s own syntax errors.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Violation {
    DuplicateMember,
    TooDeep,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Violation::DuplicateMember => "an object repeats a member name",
            Violation::TooDeep => "objects and arrays nest too deep",
        })
    }
}

/// The first strictness violation met while deserializing, if any.
#[derive(Default)]
pub(crate) struct Strictness(Cell<Option<Violation>>);

impl Strictness {
    #[cfg(test)]
    pub(crate) fn violation(&self) -> Option<Violation> {
        self.0.get()
    }

    fn refuse<E: de::Error>(&self, violation: Violation, detail: fmt::Arguments<'_>) -> E {
        if self.0.get().is_none() {
            self.0.set(Some(violation));
        }
        E::custom(format_args!("{violation}: {detail}"))
    }
}

/// The member names an object has shown so far. Objects in tokens are small: the first
/// names that borrow from the input sit in a fixed array, each beside a fingerprint of
/// its length and first bytes, so that most comparisons are one integer comparison and
/// there is no allocation. Names with escapes, and names beyond the array, go to a hash
/// set made when the first of them arrives, so that a large object stays linear in its
/// size.
pub(crate) struct SeenKeys<'de> {
    inline: [(u64, &'de str); INLINE_KEYS],
    len: usize,
    spilled: Option<HashSet<Cow<'de, str>>>,
}

const INLINE_KEYS: usize = 16;

/// A name's length and its first seven bytes: equal fingerprints of names shorter than
/// eight bytes mean equal names (the length fixes how far the bytes were shifted). The
/// length is capped at 255 so that no bit of it is shifted out: a longer name's top byte
/// is at least 8, a shorter name's at most 7.
pub(crate) fn fingerprint(key: &str) -> u64 {
    let bytes = key.as_bytes();
    let len = u64::try_from(bytes.len()).unwrap_or(u64::MAX).min(255);
    // The first seven bytes, the first of them lowest: one load when there are eight.
    let first = match bytes.first_chunk::<8>() {
        Some(word) => u64::from_le_bytes(*word) & 0x00FF_FFFF_FFFF_FFFF,
        None => bytes
            .iter()
            .rev()
            .fold(0, |print, &byte| print << 8 | u64::from(byte)),
    };
    len << 56 | first
}

impl Default for SeenKeys<'_> {
    fn default() -> Self {
        SeenKeys {
            inline: [(0, ""); INLINE_KEYS],
            len: 0,
            spilled: None,
        }
    }
}

impl<'de> SeenKeys<'de> {
    /// Records `key`; false when it was already there.
    pub(crate) fn insert(&mut self, key: Cow<'de, str>) -> bool {
        let print = fingerprint(&key);
        let inline = self.inline.get(..self.len).unwrap_or_default();
        let short = key.len() < 8;
        if inline
            .iter()
            .any(|&(seen_print, seen)| seen_print == print && (short || seen == key))
        {
            return false;
        }
        match key {
            Cow::Borrowed(key) if self.len < INLINE_KEYS => {
                if self.spilled.as_ref().is_some_and(|set| set.contains(key)) {
                    return false;
                }
                if let Some(slot) = self.inline.get_mut(self.len) {
                    *slot = (print, key);
                    self.len += 1;
                }
                true
            }
            key => self.spilled.get_or_insert_with(HashSet::new).insert(key),
        }
    }
}

/// Deserializes a string (a member name, or a value that must be a string), borrowing it
/// from the input when it has no escapes.
pub(crate) struct StrSeed;

impl<'de> DeserializeSeed<'de> for StrSeed {
    type Value = Cow<'de, str>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_str(CowStrVisitor)
    }
}

/// Visits a JSON string as a `Cow`, borrowed where the input allows.
pub(crate) struct CowStrVisitor;

impl<'de> Visitor<'de> for CowStrVisitor {
    type Value = Cow<'de, str>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed(v))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v.to_owned()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v))
    }
}

/// Hands `string` to `seed`, borrowed when it is.
pub(crate) fn seed_str<'de, K, E>(seed: K, string: &Cow<'de, str>) -> Result<K::Value, E>
where
    K: DeserializeSeed<'de>,
    E: de::Error,
{
    match string {
        Cow::Borrowed(string) => seed.deserialize(BorrowedStrDeserializer::new(string)),
        Cow::Owned(string) => seed.deserialize(StrDeserializer::new(string)),
    }
}

/// Hands `string` to `visitor` as a deserializer of it would: borrowed when it is.
pub(crate) fn visit_str<'de, V, E>(visitor: V, string: &Cow<'de, str>) -> Result<V::Value, E>
where
    V: Visitor<'de>,
    E: de::Error,
{
    match string {
        Cow::Borrowed(string) => visitor.visit_borrowed_str(string),
        Cow::Owned(string) => visitor.visit_str(string),
    }
}

/// Reads the next member name of an object, refusing one already seen.
pub(crate) fn next_unique_key<'de, A: MapAccess<'de>>(
    map: &mut A,
    seen: &mut SeenKeys<'de>,
    strictness: &Strictness,
) -> Result<Option<Cow<'de, str>>, A::Error> {
    let Some(key) = map.next_key_seed(StrSeed)? else {
        return Ok(None);
    };
    if seen.insert(key.clone()) {
        Ok(Some(key))
    } else {
        Err(strictness.refuse(
            Violation::DuplicateMember,
            format_args!("{}", Excerpt(&key)),
        ))
    }
}

/// A deserializer that applies the strict rules to everything below it.
pub(crate) struct Strict<'s, D> {
    de: D,
    depth: usize,
    strictness: &'s Strictness,
}

impl<'s, D> Strict<'s, D> {
    /// Wraps the deserializer of a value found at nesting `depth` (0 for a whole document).
    pub(crate) fn new(de: D, depth: usize, strictness: &'s Strictness) -> Self {
        Strict {
            de,
            depth,
            strictness,
        }
    }

    fn visitor<V>(&self, visitor: V) -> StrictVisitor<'s, V> {
        StrictVisitor {
            visitor,
            depth: self.depth,
            strictness: self.strictness,
        }
    }
}

macro_rules! forward_strict {
    ($($method:ident($($arg:ident: $ty:ty),*);)*) => {
        $(
            fn $method<V: Visitor<'de>>(self, $($arg: $ty,)* visitor: V) -> Result<V::Value, D::Error> {
                let visitor = self.visitor(visitor);
                self.de.$method($($arg,)* visitor)
            }
        )*
    };
}

impl<'de, D: Deserializer<'de>> Deserializer<'de> for Strict<'_, D> {
    type Error = D::Error;

    forward_strict! {
        deserialize_any();
        deserialize_bool();
        deserialize_i8();
        deserialize_i16();
        deserialize_i32();
        deserialize_i64();
        deserialize_i128();
        deserialize_u8();
        deserialize_u16();
        deserialize_u32();
        deserialize_u64();
        deserialize_u128();
        deserialize_f32();
        deserialize_f64();
        deserialize_char();
        deserialize_str();
        deserialize_string();
        deserialize_bytes();
        deserialize_byte_buf();
        deserialize_option();
        deserialize_unit();
        deserialize_unit_struct(name: &'static str);
        deserialize_seq();
        deserialize_tuple(len: usize);
        deserialize_tuple_struct(name: &'static str, len: usize);
        deserialize_map();
        deserialize_struct(name: &'static str, fields: &'static [&'static str]);
        deserialize_enum(name: &'static str, variants: &'static [&'static str]);
        deserialize_identifier();
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        // serde_json hands a `RawValue` the text of a value unread, past every rule here.
        if name == RAW_VALUE_TOKEN {
            return Err(de::Error::custom(
                "`serde_json::value::RawValue` is not supported in a token: its text would not be \
                 checked as strict JSON",
            ));
        }
        let visitor = self.visitor(visitor);
        self.de.deserialize_newtype_struct(name, visitor)
    }

    /// Skipped values are still read in full, so that their strings, member names and
    /// nesting meet the same rules.
    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        let visitor = self.visitor(visitor);
        self.de.deserialize_any(visitor)
    }

    fn is_human_readable(&self) -> bool {
        self.de.is_human_readable()
    }
}

/// Wraps a visitor so that the maps, sequences and inner values it is handed are strict.
struct StrictVisitor<'s, V> {
    visitor: V,
    depth: usize,
    strictness: &'s Strictness,
}

impl<V> StrictVisitor<'_, V> {
    fn nested<E: de::Error>(&self) -> Result<usize, E> {
        let depth = self.depth + 1;
        if depth > MAX_DEPTH {
            Err(self.strictness.refuse(
                Violation::TooDeep,
                format_args!("more than {MAX_DEPTH} levels"),
            ))
        } else {
            Ok(depth)
        }
    }
}

macro_rules! forward_visit {
    ($($method:ident($ty:ty);)*) => {
        $(
            fn $method<E: de::Error>(self, v: $ty) -> Result<V::Value, E> {
                self.visitor.$method(v)
            }
        )*
    };
}

impl<'de, V: Visitor<'de>> Visitor<'de> for StrictVisitor<'_, V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.visitor.expecting(f)
    }

    forward_visit! {
        visit_bool(bool);
        visit_i8(i8);
        visit_i16(i16);
        visit_i32(i32);
        visit_i64(i64);
        visit_i128(i128);
        visit_u8(u8);
        visit_u16(u16);
        visit_u32(u32);
        visit_u64(u64);
        visit_u128(u128);
        visit_f32(f32);
        visit_f64(f64);
        visit_char(char);
        visit_str(&str);
        visit_borrowed_str(&'de str);
        visit_string(String);
        visit_bytes(&[u8]);
        visit_borrowed_bytes(&'de [u8]);
        visit_byte_buf(Vec<u8>);
    }

    fn visit_none<E: de::Error>(self) -> Result<V::Value, E> {
        self.visitor.visit_none()
    }

    fn visit_unit<E: de::Error>(self) -> Result<V::Value, E> {
        self.visitor.visit_unit()
    }

    fn visit_some<D: Deserializer<'de>>(self, de: D) -> Result<V::Value, D::Error> {
        self.visitor
            .visit_some(Strict::new(de, self.depth, self.strictness))
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, de: D) -> Result<V::Value, D::Error> {
        self.visitor
            .visit_newtype_struct(Strict::new(de, self.depth, self.strictness))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<V::Value, A::Error> {
        let depth = self.nested()?;
        self.visitor.visit_seq(StrictSeq {
            seq,
            depth,
            strictness: self.strictness,
        })
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<V::Value, A::Error> {
        let depth = self.nested()?;
        self.visitor.visit_map(StrictMap {
            map,
            depth,
            strictness: self.strictness,
            seen: SeenKeys::default(),
        })
    }

    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<V::Value, A::Error> {
        let depth = self.nested()?;
        self.visitor.visit_enum(StrictEnum {
            data,
            depth,
            strictness: self.strictness,
        })
    }
}

/// A seed whose value is deserialized strictly.
pub(crate) struct StrictSeed<'s, S> {
    seed: S,
    depth: usize,
    strictness: &'s Strictness,
}

impl<'s, S> StrictSeed<'s, S> {
    /// Wraps the seed of a value found at nesting `depth`.
    pub(crate) fn new(seed: S, depth: usize, strictness: &'s Strictness) -> Self {
        StrictSeed {
            seed,
            depth,
            strictness,
        }
    }
}

impl<'de, S: DeserializeSeed<'de>> DeserializeSeed<'de> for StrictSeed<'_, S> {
    type Value = S::Value;

    fn deserialize<D: Deserializer<'de>>(self, de: D) -> Result<S::Value, D::Error> {
        self.seed
            .deserialize(Strict::new(de, self.depth, self.strictness))
    }
}

struct StrictSeq<'s, A> {
    seq: A,
    depth: usize,
    strictness: &'s Strictness,
}

impl<'de, A: SeqAccess<'de>> SeqAccess<'de> for StrictSeq<'_, A> {
    type Error = A::Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, A::Error> {
        self.seq
            .next_element_seed(StrictSeed::new(seed, self.depth, self.strictness))
    }

    fn size_hint(&self) -> Option<usize> {
        self.seq.size_hint()
    }
}

struct StrictMap<'s, 'de, A> {
    map: A,
    depth: usize,
    strictness: &'s Strictness,
    seen: SeenKeys<'de>,
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for StrictMap<'_, 'de, A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        match next_unique_key(&mut self.map, &mut self.seen, self.strictness)? {
            Some(key) => seed_str(seed, &key).map(Some),
            None => Ok(None),
        }
    }

    fn next_value_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<T::Value, A::Error> {
        self.map
            .next_value_seed(StrictSeed::new(seed, self.depth, self.strictness))
    }

    fn size_hint(&self) -> Option<usize> {
        self.map.size_hint()
    }
}

struct StrictEnum<'s, A> {
    data: A,
    depth: usize,
    strictness: &'s Strictness,
}

impl<'s, 'de, A: EnumAccess<'de>> EnumAccess<'de> for StrictEnum<'s, A> {
    type Error = A::Error;
    type Variant = StrictVariant<'s, A::Variant>;

    fn variant_seed<T: DeserializeSeed<'de>>(
        self,
        seed: T,
    ) -> Result<(T::Value, Self::Variant), A::Error> {
        let (value, variant) = self.data.variant_seed(seed)?;
        Ok((
            value,
            StrictVariant {
                variant,
                depth: self.depth,
                strictness: self.strictness,
            },
        ))
    }
}

struct StrictVariant<'s, A> {
    variant: A,
    depth: usize,
    strictness: &'s Strictness,
}

impl<'de, A: VariantAccess<'de>> VariantAccess<'de> for StrictVariant<'_, A> {
    type Error = A::Error;

    fn unit_variant(self) -> Result<(), A::Error> {
        self.variant.unit_variant()
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, A::Error> {
        self.variant
            .newtype_variant_seed(StrictSeed::new(seed, self.depth, self.strictness))
    }

    fn tuple_variant<V: Visitor<'de>>(self, len: usize, visitor: V) -> Result<V::Value, A::Error> {
        let visitor = StrictVisitor {
            visitor,
            depth: self.depth,
            strictness: self.strictness,
        };
        self.variant.tuple_variant(len, visitor)
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, A::Error> {
        let visitor = StrictVisitor {
            visitor,
            depth: self.depth,
            strictness: self.strictness,
        };
        self.variant.struct_variant(fields, visitor)
    }
}

/// Whether `json` starts, after optional whitespace, with an object.
pub(crate) fn looks_like_object(json: &[u8]) -> bool {
    json.trim_ascii_start().first() == Some(&b'{')
}

/// Reads a whole document strictly into a `T`.
#[cfg(test)]
pub(crate) fn from_slice<'de, T: de::Deserialize<'de>>(
    json: &'de [u8],
    strictness: &Strictness,
) -> Result<T, serde_json::Error> {
    let mut de = serde_json::Deserializer::from_slice(json);
    let value = T::deserialize(Strict::new(&mut de, 0, strictness))?;
    de.end()?;
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::de::IgnoredAny;
    use serde_json::Value;

    /// Reads `json` with the [`reader`] and with the [`Strict`] wrapper around
    /// `serde_json`, which must agree.
    fn both<T: de::DeserializeOwned>(json: &str) -> Result<T, Option<Violation>> {
        let strictness = Strictness::default();
        let wrapped =
            from_slice::<T>(json.as_bytes(), &strictness).map_err(|_| strictness.violation());
        let read =
            reader::from_slice::<T>(json.as_bytes()).map_err(|error| match error.category() {
                reader::Category::Strict(violation) => Some(violation),
                _ => None,
            });
        assert_eq!(read.as_ref().err(), wrapped.as_ref().err(), "{json}");
        read
    }

    fn read(json: &str) -> Result<Value, Option<Violation>> {
        both::<Value>(json)
    }

    fn skip(json: &str) -> Result<(), Option<Violation>> {
        both::<IgnoredAny>(json).map(|IgnoredAny| ())
    }

    #[test]
    fn duplicate_members_are_refused_at_every_level() {
        assert_eq!(
            read(r#"{"a":1,"a":1}"#),
            Err(Some(Violation::DuplicateMember))
        );
        assert_eq!(
            read(r#"{"x":{"a":1,"b":2,"a":3}}"#),
            Err(Some(Violation::DuplicateMember))
        );
        assert_eq!(
            read(r#"[{"a":1,"\u0061":2}]"#),
            Err(Some(Violation::DuplicateMember))
        );
        assert_eq!(
            skip(r#"{"x":[{"a":1,"a":2}]}"#),
            Err(Some(Violation::DuplicateMember))
        );
        assert!(read(r#"{"a":{"a":{"a":1}},"b":[{"a":1},{"a":1}]}"#).is_ok());
    }

    #[test]
    fn duplicates_are_found_past_the_linear_scan() {
        let many: Vec<String> = (0..100).map(|i| format!("\"k{i}\":{i}")).collect();
        assert!(read(&format!("{{{}}}", many.join(","))).is_ok());
        let repeated = format!("{{{},\"k7\":0}}", many.join(","));
        assert_eq!(read(&repeated), Err(Some(Violation::DuplicateMember)));
        let past_the_array = format!("{{{},\"k90\":0}}", many.join(","));
        assert_eq!(read(&past_the_array), Err(Some(Violation::DuplicateMember)));
    }

    #[test]
    fn a_short_name_is_not_taken_for_a_long_one_it_begins() {
        // 263 = 256 + 7: a length that, kept in a byte, would read as a short name's.
        for len in [8, 263, 519] {
            let long = format!("abcdefg{}", "x".repeat(len - 7));
            for object in [
                format!(r#"{{"{long}":1,"abcdefg":2}}"#),
                format!(r#"{{"abcdefg":1,"{long}":2}}"#),
            ] {
                assert!(read(&object).is_ok(), "{len}");
            }
        }
    }

    #[test]
    fn escaped_and_plain_spellings_of_a_name_are_the_same_name() {
        for (first, second) in [("a", "\\u0061"), ("\\u0061", "a"), ("\\u0061", "\\u0061")] {
            let object = format!(r#"{{"{first}":1,"{second}":2}}"#);
            assert_eq!(
                read(&object),
                Err(Some(Violation::DuplicateMember)),
                "{object}"
            );
        }
        let many: Vec<String> = (0..20).map(|i| format!("\"k{i}\":{i}")).collect();
        let late_escape = format!("{{{},\"\\u006b3\":0}}", many.join(","));
        assert_eq!(read(&late_escape), Err(Some(Violation::DuplicateMember)));
        let escaped_first = format!("{{\"\\u006b3\":0,{}}}", many.join(","));
        assert_eq!(read(&escaped_first), Err(Some(Violation::DuplicateMember)));
    }

    #[test]
    fn nesting_is_bounded() {
        let at_limit = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        assert!(read(&at_limit).is_ok());
        let deep = format!("{}{}", "[".repeat(MAX_DEPTH + 1), "]".repeat(MAX_DEPTH + 1));
        assert_eq!(read(&deep), Err(Some(Violation::TooDeep)));
        let very_deep = "{\"a\":".repeat(10_000);
        assert_eq!(read(&very_deep), Err(Some(Violation::TooDeep)));
        assert_eq!(skip(&"[".repeat(10_000)), Err(Some(Violation::TooDeep)));
    }

    #[test]
    fn skipped_strings_are_still_checked() {
        assert_eq!(skip(r#"{"a":"\ud800"}"#), Err(None));
        assert_eq!(read(r#"{"a":"\ud800"}"#), Err(None));
        assert!(read(r#"{"a":"\ud83d\ude00"}"#).is_ok());
    }

    #[test]
    fn raw_values_are_refused_since_they_would_skip_the_checks() {
        use serde_json::value::RawValue;
        let strictness = Strictness::default();
        let raw = from_slice::<std::collections::BTreeMap<String, Box<RawValue>>>(
            br#"{"a":{"b":1,"b":2}}"#,
            &strictness,
        );
        assert!(raw.unwrap_err().to_string().contains("RawValue"));
        assert!(from_slice::<Box<RawValue>>(b"{}", &strictness).is_err());
    }

    #[test]
    fn broken_documents_are_refused() {
        for bad in [
            "\u{feff}{}",
            "{} x",
            "{\"a\":1,}",
            "{'a':1}",
            "{\"a\":01}",
            "",
        ] {
            assert!(read(bad).is_err(), "{bad:?}");
        }
        assert!(read(" {} ").is_ok());
    }

    /// Values as both readers give them; numbers compare within a few units in the last
    /// place, since `serde_json` rounds some decimal texts less exactly than `str::parse`.
    fn same(a: &Value, b: &Value) -> bool {
        match (a, b) {
            (Value::Number(a), Value::Number(b)) => match (a.as_f64(), b.as_f64()) {
                _ if a == b => true,
                (Some(a), Some(b)) => (a - b).abs() <= a.abs().max(b.abs()) * 1e-15,
                _ => false,
            },
            (Value::Array(a), Value::Array(b)) => {
                a.len() == b.len() && a.iter().zip(b).all(|(a, b)| same(a, b))
            }
            (Value::Object(a), Value::Object(b)) => {
                a.len() == b.len()
                    && a.iter()
                        .all(|(key, a)| b.get(key).is_some_and(|b| same(a, b)))
            }
            (a, b) => a == b,
        }
    }

    /// The reader and `serde_json` under the [`Strict`] wrapper agree on every document:
    /// both refuse it, or both read the same value.
    fn agree(json: &[u8]) {
        let strictness = Strictness::default();
        let wrapped = from_slice::<Value>(json, &strictness);
        let read = reader::from_slice::<Value>(json);
        match (&read, &wrapped) {
            (Ok(a), Ok(b)) => assert!(
                same(a, b),
                "{:?}: {a} != {b}",
                String::from_utf8_lossy(json)
            ),
            (Err(_), Err(_)) => {}
            _ => panic!(
                "{:?}: reader {:?}, serde_json {:?}",
                String::from_utf8_lossy(json),
                read.map_err(|error| error.to_string()),
                wrapped.map_err(|error| error.to_string()),
            ),
        }
        let skipped = reader::from_slice::<IgnoredAny>(json).is_ok();
        assert_eq!(skipped, read.is_ok(), "{:?}", String::from_utf8_lossy(json));
    }

    #[test]
    fn the_reader_agrees_with_serde_json_on_edge_cases() {
        for json in [
            "0",
            "-0",
            "-0.0",
            "1e5",
            "1E+5",
            "1e-400",
            "1e400",
            "-1e400",
            "9e999",
            "01",
            "1.",
            ".5",
            "-",
            "+1",
            "1.5e",
            "18446744073709551615",
            "18446744073709551616",
            "-9223372036854775808",
            "-9223372036854775809",
            "123456789012345678901234567890",
            "0.1",
            "2.2250738585072014e-308",
            "true",
            "tru",
            "nul",
            "null ",
            " null",
            "\"\\u0000\"",
            "\"\\ud83d\\ude00\"",
            "\"\\ud83d\"",
            "\"\\ude00\"",
            "\"\\ud83dx\"",
            "\"\\ud83d\\u0041\"",
            "\"\\x\"",
            "\"\\u12\"",
            "\"\\u12g4\"",
            "\"\t\"",
            "\"\u{7f}\"",
            "\"é😀\"",
            "[1,]",
            "[,1]",
            "[1 2]",
            "{\"a\":1,}",
            "{\"a\" : 1 , \"b\" : [ ] }",
            "{\"a\"1}",
            "{1:1}",
            "{\"a\":1 \"b\":2}",
            "[]]",
            "[[]",
            "{}}",
            "{\"a\":{\"a\":1}}",
            "{\"a\":1,\"a\":2}",
            "{\"a\":1,\"\\u0061\":2}",
            "\u{feff}{}",
            "{} x",
            "",
            " ",
            "\"abc",
            "\"abc\\",
            "[\"a\",{\"b\":[null,true,false]}]",
        ] {
            agree(json.as_bytes());
        }
        agree(b"\"\xff\"");
        agree(b"[\"\xc3\"]");
        for depth in [31, 32, 33, 200] {
            agree(format!("{}{}", "[".repeat(depth), "]".repeat(depth)).as_bytes());
            agree(format!("{}1{}", "{\"a\":".repeat(depth), "}".repeat(depth)).as_bytes());
        }
    }

    /// A type that swallows errors at points a seed picks, as a field read with
    /// `Option::<T>::deserialize(d).ok().flatten()` does: it fails on scalars, stops in
    /// the middle of objects and arrays (with an error or without), names a member and
    /// leaves its value unread, makes values without reading them, and swallows every
    /// error of a value it reads.
    struct Chaos<'a>(&'a Cell<u64>);

    impl Chaos<'_> {
        /// One of `n` outcomes, from a xorshift generator.
        fn pick(&self, n: u64) -> u64 {
            let mut x = self.0.get();
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            self.0.set(x);
            x % n
        }
    }

    impl<'de> DeserializeSeed<'de> for Chaos<'_> {
        type Value = ();

        /// Whatever happens inside, the value is swallowed; now and then it is not even
        /// looked at.
        fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
            if self.pick(7) != 0 {
                let _swallowed = d.deserialize_any(self);
            }
            Ok(())
        }
    }

    impl<'de> Visitor<'de> for Chaos<'_> {
        type Value = ();

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("anything, now and then")
        }

        fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
            self.scalar()
        }
        fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
            self.scalar()
        }
        fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
            self.scalar()
        }
        fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
            self.scalar()
        }
        fn visit_str<E: de::Error>(self, _: &str) -> Result<(), E> {
            self.scalar()
        }
        fn visit_unit<E: de::Error>(self) -> Result<(), E> {
            self.scalar()
        }

        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
            loop {
                match self.pick(8) {
                    0 => return Err(de::Error::custom("chaos: gives up in an array")),
                    1 => return Ok(()),
                    _ => {}
                }
                if seq.next_element_seed(Chaos(self.0))?.is_none() {
                    return Ok(());
                }
            }
        }

        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
            loop {
                match self.pick(10) {
                    0 => return Err(de::Error::custom("chaos: gives up in an object")),
                    1 => return Ok(()),
                    _ => {}
                }
                if map.next_key::<IgnoredAny>()?.is_none() {
                    return Ok(());
                }
                match self.pick(6) {
                    0 => return Err(de::Error::custom("chaos: leaves a value unread")),
                    1 => {}
                    _ => map.next_value_seed(Chaos(self.0))?,
                }
            }
        }
    }

    impl Chaos<'_> {
        fn scalar<E: de::Error>(&self) -> Result<(), E> {
            match self.pick(3) {
                0 => Err(E::custom("chaos: refuses a scalar")),
                _ => Ok(()),
            }
        }
    }

    /// Whether the reader accepts `json` read by a [`Chaos`] seeded with `seed`.
    fn chaos_accepts(json: &[u8], seed: u64) -> bool {
        let state = Cell::new(seed | 1);
        reader::Reader::new(json).is_ok_and(|mut reader| {
            // The top-level value as the payload reader takes it: read, even when the
            // type does not look at it.
            reader
                .value_with(|reader| Chaos(&state).deserialize(reader))
                .is_ok()
                && reader.end().is_ok()
        })
    }

    /// Whatever the type swallows, the document is accepted exactly when `serde_json`
    /// and the strict rules accept it.
    fn chaos_agrees(json: &[u8], seed: u64) {
        let oracle = std::str::from_utf8(json).is_ok_and(|text| skip(text).is_ok());
        assert_eq!(
            chaos_accepts(json, seed),
            oracle,
            "{:?} with seed {seed}",
            String::from_utf8_lossy(json)
        );
    }

    #[test]
    fn swallowed_errors_leave_the_reader_in_step() {
        for json in [
            r#"{"exp":1,"x":{}}"#,
            r#"{"exp":1,"x":{}"#,
            r#"{"exp":1,"x":[}"#,
            r#"{"exp":1,"x":{,"sub":"admin"}"#,
            r#"{"exp":1,"x":{},"\u0073ub":"a","sub":"a"}"#,
            r#"{"x":{"a":[1,{"b":2}],"a":3}}"#,
            r#"{"x":[1,2,{"a":{"b":[]}}],"y":[[[]]]}"#,
            r#"[{"a":1},[2,[3,{"b":[4]}]],"c"]"#,
            r#"[{"a":1},[2,[3,{"b":[4}]],"c"]"#,
        ] {
            for seed in 0..400 {
                chaos_agrees(json.as_bytes(), seed);
            }
        }
        for depth in [1, 2, 16, 31, 32, 33] {
            let open = r#"{"a":"#.repeat(depth - 1);
            let close = "}".repeat(depth - 1);
            for inner in ["{}", "{,}", r#"{"b":1,"b":2}"#, "[1,]", "[[]]"] {
                let json = format!("{open}{inner}{close}");
                for seed in 0..50 {
                    chaos_agrees(json.as_bytes(), seed);
                }
            }
        }
    }

    fn json_value() -> impl proptest::strategy::Strategy<Value = Value> {
        use proptest::prelude::*;
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(Value::from),
            any::<u64>().prop_map(Value::from),
            (-1_000_000i32..1_000_000, 0u32..8)
                .prop_map(|(n, k)| Value::from(f64::from(n) / f64::from(1 << k))),
            ".{0,12}".prop_map(Value::String),
        ];
        leaf.prop_recursive(6, 48, 6, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
                proptest::collection::btree_map(".{0,6}", inner, 0..6)
                    .prop_map(|map| Value::Object(map.into_iter().collect())),
            ]
        })
    }

    /// Bytes that matter to JSON's grammar, for mutations.
    const GRAMMAR: &[u8] =
        b"{}[]\",:\\u0123456789abcdefABCDEF.eE+- \t\n\rtrufalsn\x00\x1f\x7f\xc3\xa9";

    /// `json` with grammar bytes inserted, removed or replaced.
    fn mutate(
        mut json: Vec<u8>,
        edits: &[(proptest::sample::Index, u8, proptest::sample::Index)],
    ) -> Vec<u8> {
        for (at, edit, byte) in edits {
            let byte = *byte.get(GRAMMAR);
            let at = at.index(json.len() + 1);
            match edit {
                0 => json.insert(at, byte),
                1 if at < json.len() => {
                    json.remove(at);
                }
                _ if at < json.len() => json[at] = byte,
                _ => json.push(byte),
            }
        }
        json
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig {
            cases: 2_000,
            failure_persistence: None,
            ..proptest::prelude::ProptestConfig::default()
        })]

        #[test]
        fn the_reader_agrees_with_serde_json_on_documents(value in json_value(), pretty: bool) {
            let json = if pretty {
                serde_json::to_vec_pretty(&value).unwrap()
            } else {
                serde_json::to_vec(&value).unwrap()
            };
            agree(&json);
        }

        #[test]
        fn swallowed_errors_never_change_the_verdict_on_documents(value in json_value(), seed: u64) {
            chaos_agrees(&serde_json::to_vec(&value).unwrap(), seed);
        }

        #[test]
        fn swallowed_errors_never_change_the_verdict_on_broken_documents(
            value in json_value(),
            edits in proptest::collection::vec((proptest::prelude::any::<proptest::sample::Index>(), 0u8..3, proptest::prelude::any::<proptest::sample::Index>()), 1..4),
            seed: u64,
        ) {
            chaos_agrees(&mutate(serde_json::to_vec(&value).unwrap(), &edits), seed);
        }

        #[test]
        fn the_reader_agrees_with_serde_json_on_broken_documents(
            value in json_value(),
            edits in proptest::collection::vec((proptest::prelude::any::<proptest::sample::Index>(), 0u8..3, proptest::prelude::any::<proptest::sample::Index>()), 1..4),
        ) {
            agree(&mutate(serde_json::to_vec(&value).unwrap(), &edits));
        }
    }
}
