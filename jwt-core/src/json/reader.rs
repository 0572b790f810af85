//! [`Reader`]: a strict JSON deserializer for token headers and payloads, in one pass.
//!
//! It reads RFC 8259 JSON with the rules of the crate's decoding rules built in rather
//! than layered on: the document is valid UTF-8 (checked once, up front), member names
//! are unique in every object, objects and arrays nest at most [`MAX_DEPTH`] deep,
//! strings hold no raw control characters and no lone surrogate escapes, and nothing but
//! whitespace follows the value. Skipped values are read as fully as kept ones.
//!
//! Strings without escapes are handed to the visitor borrowed from the input; numbers
//! are visited as `serde_json` visits them (`u64`, else `i64`, else `f64`), so that a type
//! reads the same values it would read from `serde_json`.

use std::borrow::Cow;
use std::fmt;

use serde::de::{
    self, Deserialize, DeserializeSeed, Deserializer, EnumAccess, IntoDeserializer, MapAccess,
    SeqAccess, VariantAccess, Visitor,
};

use std::collections::HashSet;

use super::{MAX_DEPTH, RAW_VALUE_TOKEN, Violation, fingerprint};
use crate::error::{Excerpt, bounded_message};
use crate::time::NUMERIC_DATE_TOKEN;

/// `json` as text: a JSON document is UTF-8.
pub(crate) fn text(json: &[u8]) -> Result<&str, JsonError> {
    std::str::from_utf8(json).map_err(|error| {
        JsonError::new(
            Category::Syntax,
            "invalid UTF-8".into(),
            Some(error.valid_up_to()),
        )
    })
}

/// What kind of failure a [`JsonError`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Category {
    /// Not JSON: broken syntax, invalid UTF-8, a lone surrogate, an unexpected end.
    Syntax,
    /// A number beyond the range of `f64` (`9e999`).
    OutOfRange,
    /// JSON that breaks a strictness rule.
    Strict(Violation),
    /// Well-formed JSON that the visitor refused (a wrong type, a missing field).
    Data,
}

/// An error of the [`Reader`], or of a visitor it drove. Boxed, so that the results
/// passed up through every value are no larger than the values.
#[derive(Clone, Debug)]
pub(crate) struct JsonError(Box<Failure>);

#[derive(Clone, Debug)]
struct Failure {
    category: Category,
    message: Box<str>,
    /// The field a visitor found missing, as serde names it.
    missing_field: Option<&'static str>,
    /// The byte offset in the document where the reader stood.
    offset: Option<usize>,
}

impl JsonError {
    fn new(category: Category, message: Box<str>, offset: Option<usize>) -> JsonError {
        JsonError(Box::new(Failure {
            category,
            message,
            missing_field: None,
            offset,
        }))
    }

    pub(crate) fn category(&self) -> Category {
        self.0.category
    }

    /// The field a visitor found missing, if that is the error.
    pub(crate) fn missing_field(&self) -> Option<&'static str> {
        self.0.missing_field
    }
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0.offset {
            Some(offset) => write!(f, "{} at byte {offset}", self.0.message),
            None => f.write_str(&self.0.message),
        }
    }
}

impl std::error::Error for JsonError {}

impl de::Error for JsonError {
    /// A visitor's message may quote a value of the token: it is cut short.
    fn custom<T: fmt::Display>(message: T) -> Self {
        JsonError::new(Category::Data, bounded_message(message.to_string()), None)
    }

    fn missing_field(field: &'static str) -> Self {
        let mut error = JsonError::custom(format_args!("missing field `{field}`"));
        error.0.missing_field = Some(field);
        error
    }
}

/// Reads one JSON document.
pub(crate) struct Reader<'de> {
    text: &'de str,
    pos: usize,
    depth: usize,
    /// Strings with escapes are unescaped here and handed to the visitor from here.
    scratch: String,
    /// The first failure of the reader itself. A visitor may swallow an error and go on;
    /// the document is refused all the same.
    failure: Option<(Category, usize)>,
    /// The member names of the objects being read, innermost last.
    names: Names<'de>,
}

/// How many member names of the open objects are kept in a fixed array, beside a
/// fingerprint each, before an object's further names go to a hash set.
const INLINE_NAMES: usize = 16;

/// The member names of the objects being read, to refuse a name an object repeats.
///
/// The names that borrow from the input sit in one fixed array shared by the open
/// objects, innermost last, each beside its [`fingerprint`], so that most comparisons
/// are one integer comparison and reading a typical token allocates nothing here. A
/// name with escapes, and every name once the array is full, goes to a hash set of the
/// object that holds it, so that a large object is still read in linear time.
struct Names<'de> {
    inline: [(u64, &'de str); INLINE_NAMES],
    len: usize,
    /// The hash sets of the open objects that have one, by the depth of the object.
    spilled: Vec<(usize, HashSet<Cow<'de, str>>)>,
}

impl<'de> Names<'de> {
    /// Records `name` in the object at `depth` whose names start at `base`; false when
    /// the object already has it.
    // Whether the name borrows from the input decides where it is kept.
    #[allow(clippy::ptr_arg)]
    fn insert(&mut self, base: usize, depth: usize, name: &Cow<'de, str>) -> bool {
        let print = fingerprint(name);
        let short = name.len() < 8;
        let object = self.inline.get(base..self.len).unwrap_or_default();
        if object
            .iter()
            .any(|&(seen_print, seen)| seen_print == print && (short || seen == &**name))
        {
            return false;
        }
        let spilled = match self.spilled.last_mut() {
            Some((at, set)) if *at == depth => Some(set),
            _ => None,
        };
        match (name, spilled) {
            (&Cow::Borrowed(name), spilled) if self.len < INLINE_NAMES => {
                if spilled.is_some_and(|set| set.contains(name)) {
                    return false;
                }
                if let Some(slot) = self.inline.get_mut(self.len) {
                    *slot = (print, name);
                    self.len += 1;
                }
                true
            }
            (name, Some(set)) => set.insert(name.clone()),
            (name, None) => {
                self.spilled.push((depth, HashSet::from([name.clone()])));
                true
            }
        }
    }

    /// Forgets the names of the object at `depth` whose names start at `base`.
    fn close(&mut self, base: usize, depth: usize) {
        self.len = base.min(self.len);
        if self.spilled.last().is_some_and(|(at, _)| *at == depth) {
            self.spilled.pop();
        }
    }
}

impl<'de> Reader<'de> {
    /// A reader of `json`, which must be UTF-8.
    pub(crate) fn new(json: &'de [u8]) -> Result<Reader<'de>, JsonError> {
        Ok(Reader::of_text(text(json)?))
    }

    /// A reader of `text`. Made in place by the caller, unlike a `Result` of one.
    pub(crate) fn of_text(text: &'de str) -> Reader<'de> {
        Reader {
            text,
            pos: 0,
            depth: 0,
            scratch: String::new(),
            failure: None,
            names: Names {
                inline: [(0, ""); INLINE_NAMES],
                len: 0,
                spilled: Vec::new(),
            },
        }
    }

    /// The category of the reader's first failure, if it failed.
    pub(crate) fn failure(&self) -> Option<Category> {
        self.failure.map(|(category, _)| category)
    }

    /// After the value: only whitespace may follow, and no failure may have been
    /// swallowed on the way.
    pub(crate) fn end(&mut self) -> Result<(), JsonError> {
        if self.failure.is_some() {
            return Err(self.refused());
        }
        match self.peek_past_whitespace() {
            None => Ok(()),
            Some(_) => Err(self.syntax("trailing characters")),
        }
    }

    fn fail(&mut self, category: Category, message: impl Into<Box<str>>) -> JsonError {
        if self.failure.is_none() {
            self.failure = Some((category, self.pos));
        }
        JsonError::new(category, message.into(), Some(self.pos))
    }

    fn syntax(&mut self, message: &str) -> JsonError {
        self.fail(Category::Syntax, message)
    }

    fn bytes(&self) -> &'de [u8] {
        self.text.as_bytes()
    }

    fn peek(&self) -> Option<u8> {
        self.bytes().get(self.pos).copied()
    }

    fn peek_past_whitespace(&mut self) -> Option<u8> {
        while let Some(byte) = self.peek() {
            if !matches!(byte, b' ' | b'\t' | b'\n' | b'\r') {
                return Some(byte);
            }
            self.pos += 1;
        }
        None
    }

    /// The next byte past whitespace, or an end-of-input error.
    fn next_past_whitespace(&mut self) -> Result<u8, JsonError> {
        self.peek_past_whitespace()
            .ok_or_else(|| self.syntax("unexpected end of input"))
    }

    fn expect(&mut self, byte: u8, message: &str) -> Result<(), JsonError> {
        if self.next_past_whitespace()? == byte {
            self.pos += 1;
            Ok(())
        } else {
            Err(self.syntax(message))
        }
    }

    fn literal(&mut self, word: &str) -> Result<(), JsonError> {
        let end = self.pos + word.len();
        if self.bytes().get(self.pos..end) == Some(word.as_bytes()) {
            self.pos = end;
            Ok(())
        } else {
            Err(self.syntax("expected a JSON value"))
        }
    }

    fn enter(&mut self) -> Result<(), JsonError> {
        if self.depth >= MAX_DEPTH {
            return Err(self.fail(
                Category::Strict(Violation::TooDeep),
                format!("{}: more than {MAX_DEPTH} levels", Violation::TooDeep),
            ));
        }
        self.depth += 1;
        Ok(())
    }

    fn leave(&mut self) {
        self.depth = self.depth.saturating_sub(1);
    }

    /// The first byte of the next value, past whitespace.
    pub(crate) fn peek_value(&mut self) -> Result<u8, JsonError> {
        self.next_past_whitespace()
    }

    /// The next value, a string, as `deserialize_str` would hand it over; `None`, with
    /// nothing read, when the next value is not a string.
    pub(crate) fn string_value(&mut self) -> Result<Option<Cow<'de, str>>, JsonError> {
        if self.next_past_whitespace()? != b'"' {
            return Ok(None);
        }
        self.read_cow().map(Some)
    }

    /// Reads a string whose opening quote is next, borrowed when it has no escape.
    fn read_cow(&mut self) -> Result<Cow<'de, str>, JsonError> {
        Ok(match self.read_str()? {
            Str::Borrowed(string) => Cow::Borrowed(string),
            Str::Scratch => Cow::Owned(self.scratch.clone()),
        })
    }

    /// Reads a string whose opening quote is next. Without escapes it is borrowed from the
    /// input; with them it is unescaped into `scratch` ([`Str::Scratch`]).
    #[inline]
    fn read_str(&mut self) -> Result<Str<'de>, JsonError> {
        self.pos += 1;
        let start = self.pos;
        let plain = self.scan_plain();
        self.pos += plain;
        if self.peek() == Some(b'"') {
            let string = self.text.get(start..self.pos).unwrap_or_default();
            self.pos += 1;
            return Ok(Str::Borrowed(string));
        }
        self.read_str_rest(start)
    }

    /// The rest of a string that holds an escape or is broken, from where its plain
    /// start ends. Apart, so that reading a plain string stays small.
    #[cold]
    #[inline(never)]
    fn read_str_rest(&mut self, start: usize) -> Result<Str<'de>, JsonError> {
        match self.peek() {
            Some(b'\\') => {
                self.scratch.clear();
                self.scratch
                    .push_str(self.text.get(start..self.pos).unwrap_or_default());
                self.read_escaped()?;
                Ok(Str::Scratch)
            }
            Some(_) => Err(self.syntax("control character in a string")),
            None => Err(self.syntax("unterminated string")),
        }
    }

    /// How many bytes from here hold no quote, backslash or control character: eight at
    /// a time, then one at a time.
    fn scan_plain(&self) -> usize {
        let rest = self.bytes().get(self.pos..).unwrap_or_default();
        let mut words = rest.chunks_exact(8);
        let mut plain = 0;
        for word in &mut words {
            let Ok(word) = <[u8; 8]>::try_from(word) else {
                break;
            };
            let special = special_bytes(u64::from_le_bytes(word));
            if special != 0 {
                return plain + special.trailing_zeros() as usize / 8;
            }
            plain += 8;
        }
        let tail = words.remainder();
        plain
            + tail
                .iter()
                .position(|&byte| byte == b'"' || byte == b'\\' || byte < 0x20)
                .unwrap_or(tail.len())
    }

    /// The rest of a string that has escapes, from the first backslash on.
    fn read_escaped(&mut self) -> Result<(), JsonError> {
        loop {
            match self.peek() {
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(());
                }
                Some(b'\\') => {
                    self.pos += 1;
                    self.read_escape()?;
                }
                Some(_) => {
                    let start = self.pos;
                    let plain = self.scan_plain();
                    if plain == 0 {
                        return Err(self.syntax("control character in a string"));
                    }
                    self.pos += plain;
                    self.scratch
                        .push_str(self.text.get(start..self.pos).unwrap_or_default());
                }
                None => return Err(self.syntax("unterminated string")),
            }
        }
    }

    /// One escape, after its backslash.
    fn read_escape(&mut self) -> Result<(), JsonError> {
        let Some(byte) = self.peek() else {
            return Err(self.syntax("unterminated string"));
        };
        self.pos += 1;
        let unescaped = match byte {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => self.read_unicode_escape()?,
            _ => return Err(self.syntax("invalid escape")),
        };
        self.scratch.push(unescaped);
        Ok(())
    }

    /// The character of a `\u` escape (after the `u`), joining a surrogate pair.
    fn read_unicode_escape(&mut self) -> Result<char, JsonError> {
        let first = self.read_hex4()?;
        let code = match first {
            0xD800..=0xDBFF => {
                if self.bytes().get(self.pos..self.pos + 2) != Some(b"\\u") {
                    return Err(self.syntax("lone leading surrogate in hex escape"));
                }
                self.pos += 2;
                let second = self.read_hex4()?;
                if !(0xDC00..=0xDFFF).contains(&second) {
                    return Err(self.syntax("lone leading surrogate in hex escape"));
                }
                0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
            }
            0xDC00..=0xDFFF => return Err(self.syntax("lone trailing surrogate in hex escape")),
            code => code,
        };
        char::from_u32(code).ok_or_else(|| self.syntax("invalid unicode escape"))
    }

    fn read_hex4(&mut self) -> Result<u32, JsonError> {
        let digits = self.bytes().get(self.pos..self.pos + 4);
        let value = digits.and_then(|digits| {
            digits.iter().try_fold(0u32, |value, &digit| {
                let digit = char::from(digit).to_digit(16)?;
                Some(value << 4 | digit)
            })
        });
        match value {
            Some(value) => {
                self.pos += 4;
                Ok(value)
            }
            None => Err(self.syntax("invalid hex escape")),
        }
    }

    /// Reads a number and hands it to the visitor as `serde_json` would: a non-negative
    /// integer as `u64`, a negative one as `i64`, anything else (a fraction, an exponent,
    /// an integer out of those ranges, `-0`) as `f64`.
    fn visit_number<V: Visitor<'de>>(&mut self, visitor: V) -> Result<V::Value, JsonError> {
        let (text, integer) = self.scan_number()?;
        match integer {
            Some(Integer::NonNegative(value)) => visitor.visit_u64(value),
            Some(Integer::Negative(value)) => visitor.visit_i64(value),
            None => match text.parse::<f64>() {
                Ok(value) if value.is_finite() => visitor.visit_f64(value),
                _ => Err(self.fail(Category::OutOfRange, "number out of range")),
            },
        }
    }

    /// The text of the number that comes next, checked against JSON's grammar.
    pub(crate) fn number_text(&mut self) -> Result<&'de str, JsonError> {
        self.scan_number().map(|(text, _)| text)
    }

    /// Reads a number: its text, and its value when it is an integer that fits an `i64`
    /// (negative) or a `u64`.
    fn scan_number(&mut self) -> Result<(&'de str, Option<Integer>), JsonError> {
        let start = self.pos;
        let negative = self.peek() == Some(b'-');
        if negative {
            self.pos += 1;
        }
        let integer_start = self.pos;
        match self.peek() {
            Some(b'0') => self.pos += 1,
            Some(b'1'..=b'9') => self.skip_digits(),
            _ => return Err(self.syntax("invalid number")),
        }
        let integer_end = self.pos;
        let mut is_integer = true;
        if self.peek() == Some(b'.') {
            self.pos += 1;
            self.require_digits()?;
            is_integer = false;
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.pos += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            self.require_digits()?;
            is_integer = false;
        }
        let text = self.text.get(start..self.pos).unwrap_or_default();
        let digits = self
            .bytes()
            .get(integer_start..integer_end)
            .unwrap_or_default();
        let integer = match (is_integer, integer_value(digits)) {
            (true, Some(magnitude)) if !negative => Some(Integer::NonNegative(magnitude)),
            // `-0` is a float, as in `serde_json`.
            (true, Some(magnitude)) if magnitude != 0 => {
                0i64.checked_sub_unsigned(magnitude).map(Integer::Negative)
            }
            _ => None,
        };
        Ok((text, integer))
    }

    fn skip_digits(&mut self) {
        let rest = self.bytes().get(self.pos..).unwrap_or_default();
        self.pos += rest
            .iter()
            .position(|byte| !byte.is_ascii_digit())
            .unwrap_or(rest.len());
    }

    fn require_digits(&mut self) -> Result<(), JsonError> {
        let start = self.pos;
        self.skip_digits();
        if self.pos == start {
            return Err(self.syntax("invalid number"));
        }
        Ok(())
    }

    /// Turns an error from a visitor into one that says where the reader stood.
    fn located(&self, mut error: JsonError) -> JsonError {
        self.locate(&mut error);
        error
    }

    fn locate(&self, error: &mut JsonError) {
        if error.0.offset.is_none() {
            error.0.offset = Some(self.pos);
        }
    }

    fn visit_map_body<V: Visitor<'de>>(&mut self, visitor: V) -> Result<V::Value, JsonError> {
        self.object_body(|object| visitor.visit_map(object))
    }

    /// Reads an object, which must come next, with `read` getting its members.
    pub(crate) fn read_object<T>(
        &mut self,
        read: impl FnOnce(Object<'_, 'de>) -> Result<T, JsonError>,
    ) -> Result<T, JsonError> {
        if self.next_past_whitespace()? != b'{' {
            return Err(self.syntax("expected an object"));
        }
        self.object_body(read)
    }

    /// The object whose `{` is next.
    ///
    /// When the visitor fails on well-formed input, or stops before the end of the
    /// object, the object is read again from its `{` as a skipped value: the reader goes
    /// on past its `}` in step with the document, whatever the visitor's caller does
    /// with the error, and broken syntax or a repeated name further in is still found.
    fn object_body<T>(
        &mut self,
        read: impl FnOnce(Object<'_, 'de>) -> Result<T, JsonError>,
    ) -> Result<T, JsonError> {
        let (start, outer_depth) = (self.pos, self.depth);
        self.pos += 1;
        self.enter()?;
        let (base, depth) = (self.names.len, self.depth);
        let value = read(Object {
            reader: &mut *self,
            base,
            first: true,
            pending: false,
        });
        self.names.close(base, depth);
        self.close_compound(value, b'}', start, outer_depth)
    }

    /// Ends an object or array whose visitor has returned: past its `close` byte when the
    /// visitor read it all; otherwise, on well-formed input, re-read from `start` as a
    /// skipped value, and the visitor's error (or one saying it stopped early) returned.
    fn close_compound<T>(
        &mut self,
        value: Result<T, JsonError>,
        close: u8,
        start: usize,
        outer_depth: usize,
    ) -> Result<T, JsonError> {
        if self.failure.is_some() {
            // The document is refused whatever follows: there is no step to keep.
            return match value {
                Ok(_) => Err(self.refused()),
                Err(error) => Err(self.located(error)),
            };
        }
        let error = match value {
            Ok(value) if self.peek_past_whitespace() == Some(close) => {
                self.pos += 1;
                self.leave();
                return Ok(value);
            }
            Ok(_) => de::Error::custom(if close == b'}' {
                "the type stopped reading before the end of an object"
            } else {
                "the type stopped reading before the end of an array"
            }),
            Err(error) => error,
        };
        let error = self.located(error);
        self.skip_again(start, outer_depth)?;
        Err(error)
    }

    /// Reads the value at `start` again, as a skipped value, at nesting `depth`.
    #[cold]
    fn skip_again(&mut self, start: usize, depth: usize) -> Result<(), JsonError> {
        self.pos = start;
        self.depth = depth;
        self.skip_value()
    }

    /// Reads the next value strictly and keeps nothing of it.
    fn skip_value(&mut self) -> Result<(), JsonError> {
        de::IgnoredAny::deserialize(&mut *self).map(|_| ())
    }

    /// The error of a document that the reader has already refused.
    fn refused(&self) -> JsonError {
        let (category, offset) = self.failure.unwrap_or((Category::Syntax, self.pos));
        JsonError::new(
            category,
            "the document was refused earlier".into(),
            Some(offset),
        )
    }

    fn visit_seq_body<V: Visitor<'de>>(&mut self, visitor: V) -> Result<V::Value, JsonError> {
        let (start, outer_depth) = (self.pos, self.depth);
        self.pos += 1;
        self.enter()?;
        let value = visitor.visit_seq(Array {
            reader: &mut *self,
            first: true,
        });
        self.close_compound(value, b']', start, outer_depth)
    }

    /// The next value, read by `read`. When `read` returns without reading any of it (a
    /// type that fails at once, or makes its value without looking, and a caller that
    /// swallows the error), the value is skipped, so that the reader stays in step; an
    /// error of the skip (broken input) is returned instead of what `read` returned.
    pub(crate) fn value_with<T>(
        &mut self,
        read: impl FnOnce(&mut Reader<'de>) -> Result<T, JsonError>,
    ) -> Result<T, JsonError> {
        self.peek_past_whitespace();
        let start = self.pos;
        let value = read(&mut *self);
        if self.failure.is_none() && self.pos == start {
            self.skip_value()?;
        }
        value
    }
}

/// An integer as `serde_json` hands it to a visitor.
enum Integer {
    NonNegative(u64),
    Negative(i64),
}

/// The value of a run of ASCII digits, if it fits a `u64`.
fn integer_value(digits: &[u8]) -> Option<u64> {
    // Nineteen digits always fit; more may not, and are checked at every step.
    if digits.len() <= 19 {
        return Some(
            digits
                .iter()
                .fold(0, |value, &digit| value * 10 + u64::from(digit - b'0')),
        );
    }
    digits.iter().try_fold(0u64, |value, &digit| {
        value.checked_mul(10)?.checked_add(u64::from(digit - b'0'))
    })
}

const ONES: u64 = u64::from_le_bytes([1; 8]);
const HIGH_BITS: u64 = u64::from_le_bytes([0x80; 8]);

/// The high bit of each byte of `word` that is a quote, a backslash or a control
/// character, little-endian. Bits above the lowest may be spurious (a borrow carries
/// upward), but the lowest set bit marks exactly the first such byte.
fn special_bytes(word: u64) -> u64 {
    let zero_bytes = |x: u64| x.wrapping_sub(ONES) & !x & HIGH_BITS;
    let quote = zero_bytes(word ^ (ONES * u64::from(b'"')));
    let backslash = zero_bytes(word ^ (ONES * u64::from(b'\\')));
    let control = word.wrapping_sub(ONES * 0x20) & !word & HIGH_BITS;
    quote | backslash | control
}

/// A string as read: borrowed from the input, or unescaped into the reader's scratch.
enum Str<'de> {
    Borrowed(&'de str),
    Scratch,
}

impl<'de> Deserializer<'de> for &mut Reader<'de> {
    type Error = JsonError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, JsonError> {
        let result = match self.next_past_whitespace()? {
            b'{' => self.visit_map_body(visitor),
            b'[' => self.visit_seq_body(visitor),
            b'"' => match self.read_str()? {
                Str::Borrowed(string) => visitor.visit_borrowed_str(string),
                Str::Scratch => visitor.visit_str(&self.scratch),
            },
            b'-' | b'0'..=b'9' => self.visit_number(visitor),
            b't' => self.literal("true").and_then(|()| visitor.visit_bool(true)),
            b'f' => self
                .literal("false")
                .and_then(|()| visitor.visit_bool(false)),
            b'n' => self.literal("null").and_then(|()| visitor.visit_unit()),
            _ => Err(self.syntax("expected a JSON value")),
        };
        result.map_err(|error| self.located(error))
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, JsonError> {
        if self.next_past_whitespace()? == b'n' {
            self.literal("null")?;
            visitor.visit_none()
        } else {
            visitor.visit_some(self)
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, JsonError> {
        // A `NumericDate` is read from the number's decimal text, exactly.
        if name == NUMERIC_DATE_TOKEN && matches!(self.peek_value()?, b'-' | b'0'..=b'9') {
            let text = self.number_text()?;
            return crate::time::visit_numeric_date(text, visitor)
                .map_err(|error| self.located(error));
        }
        // serde_json's `RawValue` asks for the text of a value unread, past every rule.
        if name == RAW_VALUE_TOKEN {
            return Err(de::Error::custom(
                "`serde_json::value::RawValue` is not supported in a token: its text would not be \
                 checked as strict JSON",
            ));
        }
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, JsonError> {
        match self.next_past_whitespace()? {
            b'"' => match self.read_str()? {
                Str::Borrowed(variant) => visitor.visit_enum(variant.into_deserializer()),
                Str::Scratch => {
                    let variant = self.scratch.clone();
                    visitor.visit_enum(variant.into_deserializer())
                }
            },
            b'{' => {
                let (start, outer_depth) = (self.pos, self.depth);
                self.pos += 1;
                self.enter()?;
                let value = visitor.visit_enum(Enum { reader: &mut *self });
                self.close_compound(value, b'}', start, outer_depth)
            }
            _ => Err(de::Error::custom(
                "expected an enum variant: a string, or an object with one member",
            )),
        }
        .map_err(|error| self.located(error))
    }

    /// A value the type skips is read as fully as one it keeps.
    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, JsonError> {
        self.deserialize_any(visitor)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        unit unit_struct seq tuple tuple_struct map struct identifier
    }
}

/// The members of an object, as a visitor reads them.
pub(crate) struct Object<'a, 'de> {
    reader: &'a mut Reader<'de>,
    /// Where this object's names start in the reader's [`Names`].
    base: usize,
    first: bool,
    /// Whether a member's name has been read and its value not yet.
    pending: bool,
}

impl<'de> MapAccess<'de> for Object<'_, 'de> {
    type Error = JsonError;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, JsonError> {
        match self.next_name()? {
            Some(name) => super::seed_str(seed, &name).map(Some),
            None => Ok(None),
        }
    }

    fn next_value_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<T::Value, JsonError> {
        self.value_with(|reader| seed.deserialize(reader))
    }
}

impl<'de> Object<'_, 'de> {
    /// The name of the next member, refused if the object already has it, and the `:`
    /// after it; `None` at the end of the object.
    pub(crate) fn next_name(&mut self) -> Result<Option<Cow<'de, str>>, JsonError> {
        if std::mem::take(&mut self.pending) {
            // The caller named a member and did not read its value.
            self.reader.skip_value()?;
        }
        let reader = &mut *self.reader;
        let mut next = reader.next_past_whitespace()?;
        if next == b'}' {
            return Ok(None);
        }
        if !std::mem::take(&mut self.first) {
            if next != b',' {
                return Err(reader.syntax("expected `,` or `}` after an object member"));
            }
            reader.pos += 1;
            next = reader.next_past_whitespace()?;
        }
        if next != b'"' {
            return Err(reader.syntax("expected a member name"));
        }
        let key = reader.read_cow()?;
        if !reader.names.insert(self.base, reader.depth, &key) {
            return Err(reader.fail(
                Category::Strict(Violation::DuplicateMember),
                format!("{}: {}", Violation::DuplicateMember, Excerpt(&key)),
            ));
        }
        reader.expect(b':', "expected `:` after a member name")?;
        self.pending = true;
        Ok(Some(key))
    }

    /// The value of the member just named, read by `read`. When `read` fails without
    /// reading any of it, the value is skipped, so that a caller that swallows the error
    /// stays in step with the document.
    pub(crate) fn value_with<T>(
        &mut self,
        read: impl FnOnce(&mut Reader<'de>) -> Result<T, JsonError>,
    ) -> Result<T, JsonError> {
        self.pending = false;
        self.reader.value_with(read)
    }
}

/// The elements of an array, as a visitor reads them.
struct Array<'a, 'de> {
    reader: &'a mut Reader<'de>,
    first: bool,
}

impl<'de> SeqAccess<'de> for Array<'_, 'de> {
    type Error = JsonError;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, JsonError> {
        let reader = &mut *self.reader;
        if reader.next_past_whitespace()? == b']' {
            return Ok(None);
        }
        if !std::mem::take(&mut self.first) {
            if reader.next_past_whitespace()? != b',' {
                return Err(reader.syntax("expected `,` or `]` after an array element"));
            }
            reader.pos += 1;
            if reader.next_past_whitespace()? == b']' {
                return Err(reader.syntax("trailing comma"));
            }
        }
        reader
            .value_with(|reader| seed.deserialize(reader))
            .map(Some)
    }
}

/// An enum written as an object with one member: `{"Variant": value}`.
struct Enum<'a, 'de> {
    reader: &'a mut Reader<'de>,
}

impl<'de> EnumAccess<'de> for Enum<'_, 'de> {
    type Error = JsonError;
    type Variant = Self;

    fn variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<(T::Value, Self), JsonError> {
        if self.reader.next_past_whitespace()? != b'"' {
            // `{}` is JSON, if no enum: the object is read again as a skipped value.
            return Err(de::Error::custom(
                "expected an enum variant: an object with one member",
            ));
        }
        let variant = match self.reader.read_str()? {
            Str::Borrowed(variant) => seed.deserialize(variant.into_deserializer()),
            Str::Scratch => seed.deserialize(self.reader.scratch.as_str().into_deserializer()),
        }?;
        self.reader
            .expect(b':', "expected `:` after the variant name")?;
        Ok((variant, self))
    }
}

impl<'de> VariantAccess<'de> for Enum<'_, 'de> {
    type Error = JsonError;

    fn unit_variant(self) -> Result<(), JsonError> {
        Deserialize::deserialize(&mut *self.reader)
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, JsonError> {
        seed.deserialize(&mut *self.reader)
    }

    fn tuple_variant<V: Visitor<'de>>(
        self,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, JsonError> {
        self.reader.deserialize_any(visitor)
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, JsonError> {
        self.reader.deserialize_any(visitor)
    }
}

/// Reads a whole document into a `T`.
#[cfg(test)]
pub(crate) fn from_slice<'de, T: Deserialize<'de>>(json: &'de [u8]) -> Result<T, JsonError> {
    let mut reader = Reader::new(json)?;
    let value = T::deserialize(&mut reader)?;
    reader.end()?;
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_are_summed_exactly_up_to_the_largest_u64() {
        for (digits, value) in [
            ("0", Some(0)),
            ("7", Some(7)),
            ("9999999999999999999", Some(9_999_999_999_999_999_999)),
            ("10000000000000000000", Some(10_000_000_000_000_000_000)),
            ("18446744073709551615", Some(u64::MAX)),
            ("18446744073709551616", None),
            ("99999999999999999999", None),
            ("000000000000000000000000001", Some(1)),
        ] {
            assert_eq!(integer_value(digits.as_bytes()), value, "{digits}");
        }
    }

    #[test]
    fn plain_runs_end_at_the_first_special_byte_wherever_it_is() {
        let plain = "abcdefghijklmnopqrstuvwxyz0123456789 é€😀";
        for special in ["\"", "\\\\", "\u{0}", "\u{1f}", "\n"] {
            for at in 0..=plain.len() {
                if !plain.is_char_boundary(at) {
                    continue;
                }
                let text = format!("\"{}{special}{}", &plain[..at], &plain[at..]);
                let mut reader = Reader::new(text.as_bytes()).unwrap();
                reader.pos = 1;
                assert_eq!(reader.scan_plain(), at, "{text:?}");
            }
        }
        let mut reader = Reader::new(plain.as_bytes()).unwrap();
        assert_eq!(reader.scan_plain(), plain.len());
        reader.pos = plain.len();
        assert_eq!(reader.scan_plain(), 0);
    }
}
