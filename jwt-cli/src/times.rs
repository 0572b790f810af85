//! Times on the command line: absolute or relative to now, and dates for display.

use std::fmt;
use std::str::FromStr;

use jwt_core::NumericDate;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// A time as given on the command line, resolved against the clock when it is used.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimeSpec {
    /// `now`.
    Now,
    /// Unix seconds or an RFC 3339 date.
    At(NumericDate),
    /// `+10m`, `-30s`: this many seconds from now.
    FromNow(i64),
}

impl TimeSpec {
    /// The time this names when the clock reads `now`; an error for one that a token
    /// cannot carry (beyond plus or minus 2^53-1 seconds).
    pub fn resolve(self, now: NumericDate) -> Result<NumericDate, String> {
        let date = match self {
            TimeSpec::Now => now,
            TimeSpec::At(date) => date,
            TimeSpec::FromNow(secs) => now + secs,
        };
        if date.is_in_json_range() {
            Ok(date)
        } else {
            Err(format!(
                "time {date} is outside the plus or minus 2^53-1 seconds a token can carry"
            ))
        }
    }
}

/// What a time may look like, for error messages.
const TIME_FORMS: &str = "expected `now`, unix seconds (1651760527), an RFC 3339 date \
     (2026-12-01T00:00:00Z) or a relative time (+10m, -30s, +1h, +2d, +1w)";

impl FromStr for TimeSpec {
    type Err = String;

    fn from_str(text: &str) -> Result<TimeSpec, String> {
        if text == "now" {
            return Ok(TimeSpec::Now);
        }
        if let Some(rest) = text.strip_prefix('+') {
            return relative_secs(rest).map(TimeSpec::FromNow);
        }
        if let Some(rest) = text.strip_prefix('-') {
            return relative_secs(rest).map(|secs| TimeSpec::FromNow(-secs));
        }
        if !text.is_empty() && text.bytes().all(|byte| byte.is_ascii_digit()) {
            return text
                .parse::<i64>()
                .map(|secs| TimeSpec::At(NumericDate::from_secs(secs)))
                .map_err(|_| format!("{text} seconds is too far in the future"));
        }
        match OffsetDateTime::parse(text, &Rfc3339) {
            Ok(date) => Ok(TimeSpec::At(NumericDate::from_secs(date.unix_timestamp()))),
            Err(_) if looks_like_a_date(text) => {
                Err(format!("not a valid RFC 3339 date; {TIME_FORMS}"))
            }
            Err(_) => Err(TIME_FORMS.to_owned()),
        }
    }
}

fn looks_like_a_date(text: &str) -> bool {
    text.len() >= 10 && text.bytes().take(4).all(|byte| byte.is_ascii_digit())
}

/// The seconds of a relative time after its sign, as an `i64`.
fn relative_secs(amount: &str) -> Result<i64, String> {
    let secs = parse_duration(amount).map_err(|error| format!("{error}; {TIME_FORMS}"))?;
    i64::try_from(secs).map_err(|_| format!("{amount} is too long a time"))
}

/// Reads a duration: seconds, or a whole number with a unit `s`, `m`, `h`, `d` or `w`.
pub fn parse_duration(text: &str) -> Result<u64, String> {
    let digits_end = text
        .bytes()
        .position(|byte| !byte.is_ascii_digit())
        .unwrap_or(text.len());
    let (digits, unit) = text.split_at(digits_end);
    let scale: u64 = match unit {
        "" | "s" => 1,
        "m" => 60,
        "h" => 60 * 60,
        "d" => 24 * 60 * 60,
        "w" => 7 * 24 * 60 * 60,
        _ => {
            return Err(format!(
                "`{text}` is not a duration: expected a whole number, optionally with a \
                 unit s, m, h, d or w"
            ));
        }
    };
    if digits.is_empty() {
        return Err(format!("`{text}` is not a duration: the number is missing"));
    }
    digits
        .parse::<u64>()
        .ok()
        .and_then(|amount| amount.checked_mul(scale))
        .ok_or_else(|| format!("`{text}` is too long a time"))
}

/// A date as RFC 3339 in UTC (`2022-05-05T14:22:07Z`), or why it cannot be written.
pub fn utc_date(date: NumericDate) -> Result<String, String> {
    OffsetDateTime::from_unix_timestamp(date.as_secs())
        .ok()
        .and_then(|date| date.format(&Rfc3339).ok())
        .ok_or_else(|| "beyond the dates RFC 3339 can write".to_owned())
}

/// How far `date` lies from `now`, in the largest whole unit: `3 days ago`, `in 10 minutes`.
pub struct Distance {
    date: NumericDate,
    now: NumericDate,
}

impl Distance {
    /// The distance of `date` from `now`.
    pub fn new(date: NumericDate, now: NumericDate) -> Distance {
        Distance { date, now }
    }
}

impl fmt::Display for Distance {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let delta = i128::from(self.date.as_secs()) - i128::from(self.now.as_secs());
        if delta == 0 {
            return f.write_str("now");
        }
        let magnitude = delta.unsigned_abs();
        let units: [(u128, &str); 5] = [
            (365 * 24 * 60 * 60, "year"),
            (24 * 60 * 60, "day"),
            (60 * 60, "hour"),
            (60, "minute"),
            (1, "second"),
        ];
        let (size, name) = units
            .into_iter()
            .find(|(size, _)| magnitude >= *size)
            .unwrap_or((1, "second"));
        let count = magnitude / size;
        let plural = if count == 1 { "" } else { "s" };
        if delta > 0 {
            write!(f, "in {count} {name}{plural}")
        } else {
            write!(f, "{count} {name}{plural} ago")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(text: &str) -> TimeSpec {
        text.parse().unwrap()
    }

    #[test]
    fn relative_times_take_a_sign_and_an_optional_unit() {
        assert_eq!(spec("+10m"), TimeSpec::FromNow(600));
        assert_eq!(spec("-30s"), TimeSpec::FromNow(-30));
        assert_eq!(spec("+1h"), TimeSpec::FromNow(3600));
        assert_eq!(spec("+2d"), TimeSpec::FromNow(172_800));
        assert_eq!(spec("+1w"), TimeSpec::FromNow(604_800));
        assert_eq!(spec("+45"), TimeSpec::FromNow(45));
        assert_eq!(spec("now"), TimeSpec::Now);
    }

    #[test]
    fn absolute_times_are_unix_seconds_or_rfc_3339() {
        let seed_exp = TimeSpec::At(NumericDate::from_secs(1_651_760_527));
        assert_eq!(spec("1651760527"), seed_exp);
        assert_eq!(spec("2022-05-05T14:22:07Z"), seed_exp);
        assert_eq!(spec("2022-05-05T16:22:07+02:00"), seed_exp);
        assert_eq!(spec("2022-05-05T14:22:07.999Z"), seed_exp);
        assert_eq!(
            spec("1969-12-31T23:59:59.5Z"),
            TimeSpec::At(NumericDate::from_secs(-1))
        );
    }

    #[test]
    fn malformed_times_are_refused_with_the_forms_listed() {
        for bad in [
            "",
            "+",
            "-",
            "10x",
            "+10x",
            "+m",
            "tomorrow",
            "2022-05-05",
            "+1.5h",
            "++1",
        ] {
            let error = bad.parse::<TimeSpec>().unwrap_err();
            assert!(error.contains("expected"), "{bad:?}: {error}");
        }
        let error = "2022-13-05T14:22:07Z".parse::<TimeSpec>().unwrap_err();
        assert!(error.contains("not a valid RFC 3339 date"), "{error}");
    }

    #[test]
    fn times_too_far_away_are_refused_not_wrapped() {
        assert!("99999999999999999999".parse::<TimeSpec>().is_err());
        assert!("+99999999999999999999w".parse::<TimeSpec>().is_err());
        assert!("+30000000000000000w".parse::<TimeSpec>().is_err());
        let far = spec("+9007199254740991");
        assert!(far.resolve(NumericDate::from_secs(1)).is_err());
        assert_eq!(
            far.resolve(NumericDate::from_secs(0)),
            Ok(NumericDate::from_secs(9_007_199_254_740_991))
        );
    }

    #[test]
    fn times_resolve_against_the_given_clock() {
        let now = NumericDate::from_secs(1_000);
        assert_eq!(spec("+10m").resolve(now), Ok(NumericDate::from_secs(1_600)));
        assert_eq!(spec("-30s").resolve(now), Ok(NumericDate::from_secs(970)));
        assert_eq!(spec("now").resolve(now), Ok(now));
        assert_eq!(spec("5").resolve(now), Ok(NumericDate::from_secs(5)));
    }

    #[test]
    fn durations_are_seconds_or_take_a_unit() {
        assert_eq!(parse_duration("30"), Ok(30));
        assert_eq!(parse_duration("30s"), Ok(30));
        assert_eq!(parse_duration("10m"), Ok(600));
        assert_eq!(parse_duration("2d"), Ok(172_800));
        for bad in ["", "m", "-5", "1.5h", "5y", " 5"] {
            assert!(parse_duration(bad).is_err(), "{bad:?}");
        }
        assert!(parse_duration("99999999999999999999w").is_err());
    }

    #[test]
    fn dates_are_written_in_utc() {
        assert_eq!(
            utc_date(NumericDate::from_secs(1_651_760_527)).unwrap(),
            "2022-05-05T14:22:07Z"
        );
        assert_eq!(
            utc_date(NumericDate::UNIX_EPOCH).unwrap(),
            "1970-01-01T00:00:00Z"
        );
        assert!(utc_date(NumericDate::from_secs(9_007_199_254_740_991)).is_err());
    }

    #[test]
    fn distances_use_the_largest_whole_unit() {
        let now = NumericDate::from_secs(1_000_000);
        let at = |offset: i64| Distance::new(now + offset, now).to_string();
        assert_eq!(at(0), "now");
        assert_eq!(at(1), "in 1 second");
        assert_eq!(at(-59), "59 seconds ago");
        assert_eq!(at(600), "in 10 minutes");
        assert_eq!(at(-7200), "2 hours ago");
        assert_eq!(at(3 * 86_400 + 5), "in 3 days");
        assert_eq!(at(-2 * 365 * 86_400), "2 years ago");
        let far = Distance::new(
            NumericDate::from_secs(i64::MIN),
            NumericDate::from_secs(i64::MAX),
        );
        assert!(far.to_string().ends_with("years ago"));
    }
}
