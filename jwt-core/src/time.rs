//! [`NumericDate`]: the seconds-since-the-epoch times of `exp`, `nbf` and `iat`.

use std::fmt;
use std::ops::{Add, Sub};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::de::{self, Deserialize, Deserializer, Visitor};
use serde::ser::{self, Serialize, Serializer};

/// The largest magnitude a JSON number keeps exactly in every implementation (I-JSON,
/// RFC 7493 section 2.2): `2^53 - 1`.
pub(crate) const MAX_SAFE_INTEGER: i64 = (1 << 53) - 1;

/// A time as whole seconds since 1970-01-01T00:00:00Z (RFC 7519 section 2).
///
/// Reads a JSON integer, or a finite non-integer number rounded down; refuses strings,
/// booleans, `null` and values outside plus or minus `2^53 - 1`. Writes an integer.
/// Arithmetic saturates instead of overflowing.
///
/// ```
/// use jwt_core::NumericDate;
/// use std::time::Duration;
///
/// let issued = NumericDate::from_secs(1_651_759_927);
/// let expires = issued + 600;
/// assert_eq!(expires.as_secs(), 1_651_760_527);
/// assert_eq!(expires - Duration::from_secs(600), issued);
/// assert_eq!(serde_json::to_string(&expires).unwrap(), "1651760527");
/// let read: NumericDate = serde_json::from_str("1651760527.9").unwrap();
/// assert_eq!(read, expires);
/// assert!(serde_json::from_str::<NumericDate>("\"1651760527\"").is_err());
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct NumericDate(i64);

impl NumericDate {
    /// The epoch itself.
    pub const UNIX_EPOCH: NumericDate = NumericDate(0);

    /// The time `secs` seconds after the epoch (before it, when negative).
    pub const fn from_secs(secs: i64) -> NumericDate {
        NumericDate(secs)
    }

    /// Seconds since the epoch.
    pub const fn as_secs(self) -> i64 {
        self.0
    }

    /// The system clock's time, rounded down to the second.
    pub fn now() -> NumericDate {
        NumericDate::from(SystemTime::now())
    }

    /// Whether the value fits the range a token may carry, plus or minus `2^53 - 1`.
    pub const fn is_in_json_range(self) -> bool {
        -MAX_SAFE_INTEGER <= self.0 && self.0 <= MAX_SAFE_INTEGER
    }

    /// Reads a JSON integer, refusing values outside plus or minus `2^53 - 1`.
    pub(crate) fn from_json_i64(secs: i64) -> Option<NumericDate> {
        Some(NumericDate(secs)).filter(|date| date.is_in_json_range())
    }

    /// Reads a JSON unsigned integer, refusing values above `2^53 - 1`.
    pub(crate) fn from_json_u64(secs: u64) -> Option<NumericDate> {
        i64::try_from(secs)
            .ok()
            .and_then(NumericDate::from_json_i64)
    }

    /// Reads a finite JSON number, rounded down, refusing values outside plus or minus
    /// `2^53 - 1`.
    pub(crate) fn from_json_f64(secs: f64) -> Option<NumericDate> {
        let floor = secs.floor();
        // Every integer within the range is exact in an f64, so the comparison and the
        // cast below are exact too; NaN and infinities fail the comparison.
        #[allow(clippy::cast_precision_loss, clippy::cast_possible_truncation)]
        if (-MAX_SAFE_INTEGER as f64..=MAX_SAFE_INTEGER as f64).contains(&floor) {
            Some(NumericDate(floor as i64))
        } else {
            None
        }
    }
}

fn saturating_secs(duration: Duration) -> i64 {
    i64::try_from(duration.as_secs()).unwrap_or(i64::MAX)
}

impl From<SystemTime> for NumericDate {
    fn from(time: SystemTime) -> Self {
        match time.duration_since(UNIX_EPOCH) {
            Ok(after) => NumericDate(saturating_secs(after)),
            Err(before) => {
                let before = before.duration();
                // Round down: 0.5 s before the epoch is second -1.
                let whole = saturating_secs(before);
                let partial = i64::from(before.subsec_nanos() > 0);
                NumericDate(whole.saturating_neg().saturating_sub(partial))
            }
        }
    }
}

impl Add<i64> for NumericDate {
    type Output = NumericDate;
    fn add(self, secs: i64) -> NumericDate {
        NumericDate(self.0.saturating_add(secs))
    }
}

impl Sub<i64> for NumericDate {
    type Output = NumericDate;
    fn sub(self, secs: i64) -> NumericDate {
        NumericDate(self.0.saturating_sub(secs))
    }
}

impl Add<Duration> for NumericDate {
    type Output = NumericDate;
    fn add(self, duration: Duration) -> NumericDate {
        self + saturating_secs(duration)
    }
}

impl Sub<Duration> for NumericDate {
    type Output = NumericDate;
    fn sub(self, duration: Duration) -> NumericDate {
        self - saturating_secs(duration)
    }
}

impl fmt::Display for NumericDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl Serialize for NumericDate {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if !self.is_in_json_range() {
            return Err(ser::Error::custom(format_args!(
                "time {} is outside plus or minus 2^53-1 seconds",
                self.0
            )));
        }
        serializer.serialize_i64(self.0)
    }
}

impl<'de> Deserialize<'de> for NumericDate {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // A newtype by a private name, so that the token reader can hand over the
        // number's text and the floor is taken exactly; any other deserializer sees a
        // newtype around a number.
        deserializer.deserialize_newtype_struct(NUMERIC_DATE_TOKEN, NumericDateVisitor)
    }
}

/// The newtype name by which a [`NumericDate`] asks the token reader for its number's
/// text.
pub(crate) const NUMERIC_DATE_TOKEN: &str = "$jwt_core::NumericDate";

/// The floor of the JSON number `text` (which the reader has checked against JSON's
/// grammar) when it lies within plus or minus `2^53 - 1`: decided on the decimal digits,
/// never on a rounded float, so that `1700000000.9999999999` is `1700000000`. The work is
/// linear in the length of `text` whatever its exponent.
pub(crate) fn floor_of_json_number(text: &str) -> Option<NumericDate> {
    let (negative, unsigned) = match text.strip_prefix('-') {
        Some(unsigned) => (true, unsigned),
        None => (false, text),
    };
    let (mantissa, exponent) = unsigned.split_once(['e', 'E']).unwrap_or((unsigned, "0"));
    let (integer, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    // Where the decimal point falls among the mantissa's digits once the exponent moves
    // it; a point far outside them is as good as infinitely far.
    let point = i64::try_from(integer.len())
        .ok()?
        .saturating_add(exponent_value(exponent));
    let (mut whole, mut fractional, mut at) = (0i64, false, 0i64);
    for digit in integer.bytes().chain(fraction.bytes()) {
        let digit = i64::from(digit.wrapping_sub(b'0'));
        if at < point {
            whole = whole.checked_mul(10)?.checked_add(digit)?;
            if whole > MAX_SAFE_INTEGER {
                return None;
            }
        } else {
            fractional |= digit != 0;
        }
        at += 1;
    }
    // Zeros the exponent adds after the digits: a nonzero value passes the limit within
    // sixteen of them.
    if whole != 0 {
        while at < point {
            whole = whole.checked_mul(10).filter(|w| *w <= MAX_SAFE_INTEGER)?;
            at += 1;
        }
    }
    let floor = if negative {
        -whole - i64::from(fractional)
    } else {
        whole
    };
    NumericDate::from_json_i64(floor)
}

/// The value of an exponent's text (`+5`, `-400`, `007`), saturating far beyond any
/// exponent that could matter.
fn exponent_value(text: &str) -> i64 {
    let (negative, digits) = match text.as_bytes().first() {
        Some(b'-') => (true, text.get(1..).unwrap_or_default()),
        Some(b'+') => (false, text.get(1..).unwrap_or_default()),
        _ => (false, text),
    };
    let magnitude = digits.bytes().fold(0i64, |value, digit| {
        value
            .saturating_mul(10)
            .saturating_add(i64::from(digit.wrapping_sub(b'0')))
            .min(1 << 40)
    });
    if negative { -magnitude } else { magnitude }
}

/// Hands `visitor` the floor of the JSON number `text` as an integer, or refuses a value
/// out of range.
pub(crate) fn visit_numeric_date<'de, V: Visitor<'de>, E: de::Error>(
    text: &str,
    visitor: V,
) -> Result<V::Value, E> {
    match floor_of_json_number(text) {
        Some(date) => visit_secs(date, visitor),
        None => Err(out_of_range(text)),
    }
}

/// Hands `visitor` a time as JSON hands it an integer: `u64` when not negative.
pub(crate) fn visit_secs<'de, V: Visitor<'de>, E: de::Error>(
    date: NumericDate,
    visitor: V,
) -> Result<V::Value, E> {
    match u64::try_from(date.0) {
        Ok(secs) => visitor.visit_u64(secs),
        Err(_) => visitor.visit_i64(date.0),
    }
}

/// The error of a number that is no time within range.
pub(crate) fn out_of_range<E: de::Error>(text: &str) -> E {
    E::custom(format_args!(
        "invalid value: {}, expected {EXPECTED}",
        crate::error::Excerpt(text)
    ))
}

/// Reads a [`NumericDate`] from a JSON number.
pub(crate) struct NumericDateVisitor;

const EXPECTED: &str = "a number of seconds within plus or minus 2^53-1";

impl<'de> Visitor<'de> for NumericDateVisitor {
    type Value = NumericDate;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(EXPECTED)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<NumericDate, E> {
        NumericDate::from_json_i64(v)
            .ok_or_else(|| E::invalid_value(de::Unexpected::Signed(v), &EXPECTED))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<NumericDate, E> {
        NumericDate::from_json_u64(v)
            .ok_or_else(|| E::invalid_value(de::Unexpected::Unsigned(v), &EXPECTED))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<NumericDate, E> {
        NumericDate::from_json_f64(v)
            .ok_or_else(|| E::invalid_value(de::Unexpected::Float(v), &EXPECTED))
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<NumericDate, D::Error> {
        d.deserialize_any(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_numbers_round_down_on_their_decimal_text() {
        let max = MAX_SAFE_INTEGER;
        for (text, floor) in [
            ("1700000000.9999999999", Some(1_700_000_000)),
            ("1700000000.99999999999999999999999", Some(1_700_000_000)),
            ("9007199254740991.5", Some(max)),
            ("9007199254740991.9999999999999999999", Some(max)),
            ("9007199254740991", Some(max)),
            ("9007199254740992", None),
            ("9007199254740992.0", None),
            ("-9007199254740991", Some(-max)),
            ("-9007199254740990.5", Some(-max)),
            ("-9007199254740991.5", None),
            ("-9007199254740991.0000000000000000001", None),
            ("900719925474099.15e1", Some(max)),
            ("90071992547409915e-1", Some(max)),
            ("9.007199254740991e15", Some(max)),
            ("9.007199254740992e15", None),
            ("1e2", Some(100)),
            ("1E+2", Some(100)),
            ("1.5e1", Some(15)),
            ("0.0000123e10", Some(123_000)),
            ("123.000", Some(123)),
            ("-123.000", Some(-123)),
            ("-123.001", Some(-124)),
            ("0.5", Some(0)),
            ("-0.5", Some(-1)),
            ("-0", Some(0)),
            ("-0.0", Some(0)),
            ("0e99999999999999999999999", Some(0)),
            ("1e-400", Some(0)),
            ("-1e-400", Some(-1)),
            ("1e-99999999999999999999999", Some(0)),
            ("1e400", None),
            ("1e99999999999999999999999", None),
            ("-1e16", None),
            ("1e15", Some(1_000_000_000_000_000)),
        ] {
            assert_eq!(
                floor_of_json_number(text),
                floor.map(NumericDate::from_secs),
                "{text}"
            );
        }
    }

    proptest::proptest! {
        #[test]
        fn the_exact_floor_of_a_float_is_the_floor_of_its_value(v in -1e16f64..1e16) {
            let expected = NumericDate::from_json_f64(v);
            proptest::prop_assert_eq!(floor_of_json_number(&format!("{v}")), expected);
            proptest::prop_assert_eq!(floor_of_json_number(&format!("{v:e}")), expected);
        }
    }

    #[test]
    fn arithmetic_saturates_at_the_ends() {
        assert_eq!(
            NumericDate::from_secs(i64::MAX) + 1,
            NumericDate::from_secs(i64::MAX)
        );
        assert_eq!(
            NumericDate::from_secs(i64::MIN) - 1,
            NumericDate::from_secs(i64::MIN)
        );
        let forever = Duration::from_secs(u64::MAX);
        assert_eq!(
            NumericDate::from_secs(0) + forever,
            NumericDate::from_secs(i64::MAX)
        );
        assert_eq!(
            NumericDate::from_secs(0) - forever,
            NumericDate::from_secs(-i64::MAX)
        );
    }

    #[test]
    fn times_before_the_epoch_round_down() {
        let half_before = UNIX_EPOCH - Duration::from_millis(500);
        assert_eq!(NumericDate::from(half_before).as_secs(), -1);
        let later = UNIX_EPOCH + Duration::from_millis(1500);
        assert_eq!(NumericDate::from(later).as_secs(), 1);
    }

    #[test]
    fn json_numbers_are_read_within_the_safe_range_only() {
        let read = |json: &str| serde_json::from_str::<NumericDate>(json).ok();
        assert_eq!(
            read("9007199254740991"),
            Some(NumericDate(MAX_SAFE_INTEGER))
        );
        assert_eq!(
            read("-9007199254740991"),
            Some(NumericDate(-MAX_SAFE_INTEGER))
        );
        assert_eq!(read("9007199254740992"), None);
        assert_eq!(read("-9007199254740992"), None);
        assert_eq!(read("18446744073709551616"), None);
        assert_eq!(read("1e300"), None);
        assert_eq!(read("-0.5"), Some(NumericDate(-1)));
        assert_eq!(read("10.99"), Some(NumericDate(10)));
        for bad in ["\"10\"", "true", "null", "[10]", "{}"] {
            assert_eq!(read(bad), None, "{bad}");
        }
    }

    #[test]
    fn out_of_range_dates_are_not_written() {
        assert!(serde_json::to_string(&NumericDate::from_secs(i64::MAX)).is_err());
        assert_eq!(
            serde_json::to_string(&NumericDate::from_secs(-5)).unwrap(),
            "-5"
        );
    }
}
