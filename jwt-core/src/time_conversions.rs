//! Conversions between [`NumericDate`] and the date types of the `time` and `chrono`
//! crates, behind the cargo features of the same names.
//!
//! Into a `NumericDate` every date converts (`From`), rounded down to the second: both
//! crates hold far fewer years than plus or minus `2^53 - 1` seconds. Out of one, the
//! conversion is fallible (`TryFrom`): a token may carry a time millions of years away,
//! which neither crate can hold, and that is an [`ErrorKind::InvalidClaim`] error, never
//! a panic or a clamped date.

use crate::{Error, ErrorKind, NumericDate};

/// The error for a `NumericDate` that `target` cannot hold.
fn out_of_range(date: NumericDate, target: &str) -> Error {
    Error::new(
        ErrorKind::InvalidClaim,
        format!("time {date} is outside the range of dates {target} can hold"),
    )
}

#[cfg(feature = "time")]
mod time_crate {
    use ::time::{OffsetDateTime, UtcDateTime};

    use super::out_of_range;
    use crate::{Error, NumericDate};

    /// The seconds since the epoch of `time`, rounded down (the offset does not matter).
    ///
    /// ```
    /// use jwt_core::NumericDate;
    /// use time::{Duration, OffsetDateTime};
    ///
    /// let issued = OffsetDateTime::from_unix_timestamp(1_651_759_927)? + Duration::milliseconds(900);
    /// assert_eq!(NumericDate::from(issued), NumericDate::from_secs(1_651_759_927));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    impl From<OffsetDateTime> for NumericDate {
        fn from(time: OffsetDateTime) -> NumericDate {
            NumericDate::from_secs(time.unix_timestamp())
        }
    }

    /// The seconds since the epoch of `time`, rounded down.
    ///
    /// ```
    /// use jwt_core::NumericDate;
    /// use time::UtcDateTime;
    ///
    /// let time = UtcDateTime::from_unix_timestamp(-1)?;
    /// assert_eq!(NumericDate::from(time).as_secs(), -1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    impl From<UtcDateTime> for NumericDate {
        fn from(time: UtcDateTime) -> NumericDate {
            NumericDate::from_secs(time.unix_timestamp())
        }
    }

    /// The date in UTC.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidClaim`](crate::ErrorKind::InvalidClaim) when the date lies
    /// outside the years `OffsetDateTime` can hold (plus or minus 9999 unless `time`'s
    /// `large-dates` feature is on).
    ///
    /// ```
    /// use jwt_core::{ErrorKind, NumericDate};
    /// use time::{Month, OffsetDateTime};
    ///
    /// let exp = OffsetDateTime::try_from(NumericDate::from_secs(1_651_760_527))?;
    /// assert_eq!((exp.year(), exp.month(), exp.day()), (2022, Month::May, 5));
    /// assert_eq!(exp.time().as_hms(), (14, 22, 7));
    ///
    /// let far = NumericDate::from_secs(9_007_199_254_740_991); // valid in a token
    /// let refused = OffsetDateTime::try_from(far).unwrap_err();
    /// assert_eq!(refused.kind(), ErrorKind::InvalidClaim);
    /// # Ok::<(), jwt_core::Error>(())
    /// ```
    impl TryFrom<NumericDate> for OffsetDateTime {
        type Error = Error;

        fn try_from(date: NumericDate) -> Result<OffsetDateTime, Error> {
            OffsetDateTime::from_unix_timestamp(date.as_secs())
                .map_err(|range| out_of_range(date, "time::OffsetDateTime").with_source(range))
        }
    }

    /// The date in UTC.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidClaim`](crate::ErrorKind::InvalidClaim) when the date lies
    /// outside the years `UtcDateTime` can hold.
    ///
    /// ```
    /// use jwt_core::NumericDate;
    /// use time::UtcDateTime;
    ///
    /// let epoch = UtcDateTime::try_from(NumericDate::UNIX_EPOCH)?;
    /// assert_eq!(epoch, UtcDateTime::UNIX_EPOCH);
    /// # Ok::<(), jwt_core::Error>(())
    /// ```
    impl TryFrom<NumericDate> for UtcDateTime {
        type Error = Error;

        fn try_from(date: NumericDate) -> Result<UtcDateTime, Error> {
            UtcDateTime::from_unix_timestamp(date.as_secs())
                .map_err(|range| out_of_range(date, "time::UtcDateTime").with_source(range))
        }
    }

    #[cfg(test)]
    mod tests {
        use ::time::{Date, Duration, OffsetDateTime, Time, UtcDateTime, UtcOffset};

        use crate::time::MAX_SAFE_INTEGER;
        use crate::{ErrorKind, NumericDate};

        fn first() -> OffsetDateTime {
            Date::MIN.midnight().assume_utc()
        }

        fn last() -> OffsetDateTime {
            Date::MAX.with_time(Time::MAX).assume_utc()
        }

        #[test]
        fn whole_seconds_round_trip_across_the_whole_range() {
            let ends = [first().unix_timestamp(), last().unix_timestamp()];
            let inner = [-86_401, -1, 0, 1, 1_651_759_927, 253_402_300_799];
            for secs in ends.into_iter().chain(inner) {
                let date = NumericDate::from_secs(secs);
                let offset = OffsetDateTime::try_from(date).unwrap();
                assert_eq!(offset.unix_timestamp(), secs);
                assert_eq!(NumericDate::from(offset), date);
                let utc = UtcDateTime::try_from(date).unwrap();
                assert_eq!(NumericDate::from(utc), date);
            }
        }

        #[test]
        fn the_seed_expiry_is_its_utc_date() {
            let exp = OffsetDateTime::try_from(NumericDate::from_secs(1_651_760_527)).unwrap();
            assert_eq!(exp.offset(), UtcOffset::UTC);
            assert_eq!((exp.year(), u8::from(exp.month()), exp.day()), (2022, 5, 5));
            assert_eq!((exp.hour(), exp.minute(), exp.second()), (14, 22, 7));
        }

        #[test]
        fn fractions_of_a_second_round_down_on_both_sides_of_the_epoch() {
            let epoch = OffsetDateTime::UNIX_EPOCH;
            let after = epoch + Duration::milliseconds(1500);
            assert_eq!(NumericDate::from(after).as_secs(), 1);
            let before = epoch - Duration::milliseconds(500);
            assert_eq!(NumericDate::from(before).as_secs(), -1);
            let utc_before = UtcDateTime::UNIX_EPOCH - Duration::nanoseconds(1);
            assert_eq!(NumericDate::from(utc_before).as_secs(), -1);
        }

        #[test]
        fn the_offset_does_not_change_the_instant() {
            let offset = UtcOffset::from_hms(5, 30, 0).unwrap();
            let local = OffsetDateTime::from_unix_timestamp(1_000_000)
                .unwrap()
                .to_offset(offset);
            assert_eq!(NumericDate::from(local).as_secs(), 1_000_000);
        }

        #[test]
        fn dates_beyond_the_crate_range_are_refused_not_clamped() {
            let beyond = [
                first().unix_timestamp() - 1,
                last().unix_timestamp() + 1,
                MAX_SAFE_INTEGER,
                -MAX_SAFE_INTEGER,
                i64::MAX,
                i64::MIN,
            ];
            for secs in beyond {
                let date = NumericDate::from_secs(secs);
                let error = OffsetDateTime::try_from(date).unwrap_err();
                assert_eq!(error.kind(), ErrorKind::InvalidClaim, "{secs}");
                assert!(error.to_string().contains(&secs.to_string()), "{error}");
                assert!(std::error::Error::source(&error).is_some());
                let error = UtcDateTime::try_from(date).unwrap_err();
                assert_eq!(error.kind(), ErrorKind::InvalidClaim, "{secs}");
            }
        }

        #[test]
        fn every_date_of_the_crate_fits_a_token() {
            assert!(NumericDate::from(first()).is_in_json_range());
            assert!(NumericDate::from(last()).is_in_json_range());
        }
    }
}

#[cfg(feature = "chrono")]
mod chrono_crate {
    use ::chrono::{DateTime, TimeZone, Utc};

    use super::out_of_range;
    use crate::{Error, NumericDate};

    /// The seconds since the epoch of `time`, rounded down (the time zone does not
    /// matter).
    ///
    /// ```
    /// use chrono::{DateTime, TimeDelta, Utc};
    /// use jwt_core::NumericDate;
    ///
    /// let issued = DateTime::<Utc>::from_timestamp(1_651_759_927, 900_000_000).unwrap();
    /// assert_eq!(NumericDate::from(issued), NumericDate::from_secs(1_651_759_927));
    /// let before = DateTime::<Utc>::UNIX_EPOCH - TimeDelta::milliseconds(500);
    /// assert_eq!(NumericDate::from(before).as_secs(), -1);
    /// ```
    impl<Tz: TimeZone> From<DateTime<Tz>> for NumericDate {
        fn from(time: DateTime<Tz>) -> NumericDate {
            NumericDate::from_secs(time.timestamp())
        }
    }

    /// The date in UTC.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidClaim`](crate::ErrorKind::InvalidClaim) when the date lies
    /// outside the years `chrono` can hold (about plus or minus 262,000).
    ///
    /// ```
    /// use chrono::{DateTime, Utc};
    /// use jwt_core::{ErrorKind, NumericDate};
    ///
    /// let exp = DateTime::<Utc>::try_from(NumericDate::from_secs(1_651_760_527))?;
    /// assert_eq!(exp.to_rfc3339(), "2022-05-05T14:22:07+00:00");
    ///
    /// let far = NumericDate::from_secs(9_007_199_254_740_991); // valid in a token
    /// let refused = DateTime::<Utc>::try_from(far).unwrap_err();
    /// assert_eq!(refused.kind(), ErrorKind::InvalidClaim);
    /// # Ok::<(), jwt_core::Error>(())
    /// ```
    impl TryFrom<NumericDate> for DateTime<Utc> {
        type Error = Error;

        fn try_from(date: NumericDate) -> Result<DateTime<Utc>, Error> {
            DateTime::<Utc>::from_timestamp(date.as_secs(), 0)
                .ok_or_else(|| out_of_range(date, "chrono::DateTime"))
        }
    }

    #[cfg(test)]
    mod tests {
        use ::chrono::{DateTime, Datelike, FixedOffset, TimeDelta, Timelike, Utc};

        use crate::time::MAX_SAFE_INTEGER;
        use crate::{ErrorKind, NumericDate};

        #[test]
        fn whole_seconds_round_trip_across_the_whole_range() {
            let ends = [
                DateTime::<Utc>::MIN_UTC.timestamp(),
                DateTime::<Utc>::MAX_UTC.timestamp(),
            ];
            let inner = [-86_401, -1, 0, 1, 1_651_759_927, 253_402_300_799];
            for secs in ends.into_iter().chain(inner) {
                let date = NumericDate::from_secs(secs);
                let utc = DateTime::<Utc>::try_from(date).unwrap();
                assert_eq!(utc.timestamp(), secs);
                assert_eq!(NumericDate::from(utc), date);
            }
        }

        #[test]
        fn the_seed_expiry_is_its_utc_date() {
            let exp = DateTime::<Utc>::try_from(NumericDate::from_secs(1_651_760_527)).unwrap();
            assert_eq!((exp.year(), exp.month(), exp.day()), (2022, 5, 5));
            assert_eq!((exp.hour(), exp.minute(), exp.second()), (14, 22, 7));
        }

        #[test]
        fn fractions_of_a_second_round_down_on_both_sides_of_the_epoch() {
            let epoch = DateTime::<Utc>::UNIX_EPOCH;
            let after = epoch + TimeDelta::milliseconds(1500);
            assert_eq!(NumericDate::from(after).as_secs(), 1);
            let before = epoch - TimeDelta::nanoseconds(1);
            assert_eq!(NumericDate::from(before).as_secs(), -1);
        }

        #[test]
        fn the_time_zone_does_not_change_the_instant() {
            let zone = FixedOffset::west_opt(8 * 3600).unwrap();
            let local = DateTime::<Utc>::from_timestamp(1_000_000, 0)
                .unwrap()
                .with_timezone(&zone);
            assert_eq!(NumericDate::from(local).as_secs(), 1_000_000);
        }

        #[test]
        fn dates_beyond_the_crate_range_are_refused_not_clamped() {
            let beyond = [
                DateTime::<Utc>::MIN_UTC.timestamp() - 1,
                DateTime::<Utc>::MAX_UTC.timestamp() + 1,
                MAX_SAFE_INTEGER,
                -MAX_SAFE_INTEGER,
                i64::MAX,
                i64::MIN,
            ];
            for secs in beyond {
                let error = DateTime::<Utc>::try_from(NumericDate::from_secs(secs)).unwrap_err();
                assert_eq!(error.kind(), ErrorKind::InvalidClaim, "{secs}");
                assert!(error.to_string().contains(&secs.to_string()), "{error}");
            }
        }

        #[test]
        fn every_date_of_the_crate_fits_a_token() {
            assert!(NumericDate::from(DateTime::<Utc>::MIN_UTC).is_in_json_range());
            assert!(NumericDate::from(DateTime::<Utc>::MAX_UTC).is_in_json_range());
        }
    }
}
