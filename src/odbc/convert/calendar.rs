//! Calendar arithmetic over epoch microseconds (proleptic Gregorian, any i64 instant), zone
//! offsets, and the parsing of date/time/timestamp/interval text.

use chrono::{Offset, TimeZone};

use super::ConvertError;

/// Microseconds in a day.
pub(crate) const MICROS_PER_DAY: i64 = 86_400_000_000;
/// Microseconds in a second.
pub(crate) const MICROS_PER_SECOND: i64 = 1_000_000;

/// A broken-down date and time (no zone).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Parts {
    /// Proleptic Gregorian year (year 0 = 1 BC).
    pub year: i64,
    /// 1..=12.
    pub month: u32,
    /// 1..=31.
    pub day: u32,
    /// 0..=23.
    pub hour: u32,
    /// 0..=59.
    pub minute: u32,
    /// 0..=59.
    pub second: u32,
    /// 0..=999_999_999.
    pub nanos: u32,
}

impl Parts {
    /// `true` when the time of day is exactly midnight.
    pub fn is_midnight(&self) -> bool {
        self.hour == 0 && self.minute == 0 && self.second == 0 && self.nanos == 0
    }
}

/// `(year, month, day)` of a day number counted from 1970-01-01.
pub(crate) fn civil_from_days(days: i64) -> (i64, u32, u32) {
    // Shift the epoch to 0000-03-01 so that leap days end each 4/100/400-year cycle.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_from_march = (5 * day_of_year + 2) / 153;
    let day = (day_of_year - (153 * month_from_march + 2) / 5 + 1) as u32;
    let month = if month_from_march < 10 {
        month_from_march + 3
    } else {
        month_from_march - 9
    } as u32;
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// The day number (from 1970-01-01) of a valid `(year, month, day)` (the inverse of
/// [`civil_from_days`], used to build test values).
#[cfg(test)]
pub(crate) fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year.rem_euclid(400);
    let month_from_march = i64::from((month + 9) % 12);
    let day_of_year = (153 * month_from_march + 2) / 5 + i64::from(day) - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

fn is_leap(year: i64) -> bool {
    year.rem_euclid(4) == 0 && (year.rem_euclid(100) != 0 || year.rem_euclid(400) == 0)
}

/// Days in `month` of `year` (0 for an invalid month).
pub(crate) fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => 0,
    }
}

/// `true` when the fields form a real date.
pub(crate) fn valid_date(year: i64, month: u32, day: u32) -> bool {
    day >= 1 && day <= days_in_month(year, month)
}

/// `true` when the fields form a time of day (no leap seconds).
pub(crate) fn valid_time(hour: u32, minute: u32, second: u32, nanos: u32) -> bool {
    hour < 24 && minute < 60 && second < 60 && nanos < 1_000_000_000
}

/// Breaks epoch microseconds (already shifted to local time) into fields.
pub(crate) fn parts_from_micros(micros: i64) -> Parts {
    let days = micros.div_euclid(MICROS_PER_DAY);
    let of_day = micros.rem_euclid(MICROS_PER_DAY);
    let (year, month, day) = civil_from_days(days);
    let seconds = of_day / MICROS_PER_SECOND;
    Parts {
        year,
        month,
        day,
        hour: (seconds / 3600) as u32,
        minute: (seconds / 60 % 60) as u32,
        second: (seconds % 60) as u32,
        nanos: (of_day % MICROS_PER_SECOND) as u32 * 1000,
    }
}

/// The calendar date of a DATE value (epoch microseconds, floored to whole days), at
/// midnight.
pub(crate) fn date_parts(micros: i64) -> Parts {
    let (year, month, day) = civil_from_days(micros.div_euclid(MICROS_PER_DAY));
    Parts {
        year,
        month,
        day,
        hour: 0,
        minute: 0,
        second: 0,
        nanos: 0,
    }
}

/// Today's date in the client's local zone.
pub(crate) fn today() -> Parts {
    use chrono::Datelike;
    let now = chrono::Local::now().date_naive();
    Parts {
        year: i64::from(now.year()),
        month: now.month(),
        day: now.day(),
        hour: 0,
        minute: 0,
        second: 0,
        nanos: 0,
    }
}

/// Parses a fixed offset: `+hh:mm`, `-hh:mm`, `+hhmm`, `+hh` (hours <= 18).
fn fixed_offset_seconds(zone: &str) -> Option<i32> {
    let (sign, rest) = match zone.as_bytes().first()? {
        b'+' => (1, zone.get(1..)?),
        b'-' => (-1, zone.get(1..)?),
        _ => return None,
    };
    let (hours, minutes) = match rest.len() {
        2 => (rest, "0"),
        4 => (rest.get(..2)?, rest.get(2..)?),
        5 if rest.as_bytes().get(2) == Some(&b':') => (rest.get(..2)?, rest.get(3..)?),
        _ => return None,
    };
    let hours: i32 = digits(hours)?;
    let minutes: i32 = digits(minutes)?;
    (hours <= 18 && minutes < 60).then_some(sign * (hours * 3600 + minutes * 60))
}

/// Parses ASCII digits only (no sign, no spaces).
fn digits<T: std::str::FromStr>(s: &str) -> Option<T> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// The offset from UTC, in seconds, of `zone` at the instant `utc_micros`: `Z` (or empty) is
/// UTC, `±hh:mm` a fixed offset, anything else an IANA name (e.g. `America/New_York`,
/// `UTC`). An unknown zone cannot be shown in its own time, so the instant is shown in UTC
/// (offset 0, which the text rendering states explicitly) and a warning is logged.
pub(crate) fn zone_offset_seconds(zone: &str, utc_micros: i64) -> Result<i32, ConvertError> {
    let zone = zone.trim();
    if zone.is_empty() || zone == "Z" || zone == "z" {
        return Ok(0);
    }
    if let Some(offset) = fixed_offset_seconds(zone) {
        return Ok(offset);
    }
    match zone.parse::<chrono_tz::Tz>() {
        Ok(tz) => {
            let instant = chrono::DateTime::from_timestamp_micros(utc_micros)
                .ok_or(ConvertError::DatetimeOverflow)?;
            Ok(tz
                .offset_from_utc_datetime(&instant.naive_utc())
                .fix()
                .local_minus_utc())
        }
        Err(_) => {
            tracing::warn!(
                zone,
                "unknown time zone in TIMESTAMP_TZ value; showing it in UTC"
            );
            Ok(0)
        }
    }
}

/// Local microseconds and the offset (seconds) of a timestamp shown in `zone`.
pub(crate) fn to_local(utc_micros: i64, zone: Option<&str>) -> Result<(i64, i32), ConvertError> {
    let offset = match zone {
        Some(zone) => zone_offset_seconds(zone, utc_micros)?,
        None => 0,
    };
    let local = utc_micros
        .checked_add(i64::from(offset) * MICROS_PER_SECOND)
        .ok_or(ConvertError::DatetimeOverflow)?;
    Ok((local, offset))
}

/// A date, time or timestamp literal parsed from text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Temporal {
    /// `yyyy-mm-dd`.
    Date(Parts),
    /// `hh:mm:ss[.f]` (date fields are 0).
    Time(Parts),
    /// `yyyy-mm-dd hh:mm:ss[.f]` (or with `T`).
    Timestamp(Parts),
}

/// Strips an ODBC escape wrapper (`{d '...'}`, `{t '...'}`, `{ts '...'}`) if present.
fn strip_escape(s: &str) -> &str {
    let Some(inner) = s.strip_prefix('{').and_then(|s| s.strip_suffix('}')) else {
        return s;
    };
    let inner = inner.trim();
    let body = inner
        .strip_prefix("ts")
        .or_else(|| inner.strip_prefix('d'))
        .or_else(|| inner.strip_prefix('t'))
        .map(str::trim_start);
    body.and_then(|b| b.strip_prefix('\''))
        .and_then(|b| b.strip_suffix('\''))
        .unwrap_or(s)
}

/// `[+-]yyyy-m-d`: a year of 1 to 9 digits, validated.
fn parse_date_fields(s: &str) -> Option<(i64, u32, u32)> {
    let (negative, body) = match s.as_bytes().first()? {
        b'-' => (true, s.get(1..)?),
        b'+' => (false, s.get(1..)?),
        _ => (false, s),
    };
    let mut fields = body.split('-');
    let year_text = fields.next()?;
    if year_text.len() > 9 {
        return None;
    }
    let year: i64 = digits(year_text)?;
    let month_text = fields.next()?;
    if month_text.len() > 2 {
        return None;
    }
    let month: u32 = digits(month_text)?;
    let day_text = fields.next()?;
    if fields.next().is_some() || day_text.len() > 2 {
        return None;
    }
    let day: u32 = digits(day_text)?;
    let year = if negative { -year } else { year };
    valid_date(year, month, day).then_some((year, month, day))
}

/// `h:m:s[.fffffffff]`, validated.
fn parse_time_fields(s: &str) -> Option<(u32, u32, u32, u32)> {
    let (clock, fraction) = match s.split_once('.') {
        Some((clock, fraction)) => (clock, Some(fraction)),
        None => (s, None),
    };
    let mut fields = clock.split(':');
    let mut next = || -> Option<u32> {
        let f = fields.next()?;
        if f.len() > 2 {
            return None;
        }
        digits(f)
    };
    let (hour, minute, second) = (next()?, next()?, next()?);
    if fields.next().is_some() {
        return None;
    }
    let nanos = match fraction {
        Some(f) if f.len() <= 9 => {
            let value: u32 = digits(f)?;
            value * 10u32.pow(9 - f.len() as u32)
        }
        Some(_) => return None,
        None => 0,
    };
    valid_time(hour, minute, second, nanos).then_some((hour, minute, second, nanos))
}

/// Parses ISO-style date, time and timestamp literals (leading and trailing spaces ignored,
/// ODBC escape wrappers accepted). `None` when the text is none of them.
pub(crate) fn parse_temporal(text: &str) -> Option<Temporal> {
    let s = strip_escape(text.trim()).trim();
    let split = s
        .char_indices()
        .skip(1)
        .find(|(_, c)| *c == ' ' || *c == 'T')
        .map(|(i, _)| i);
    if let Some(at) = split {
        let date = s.get(..at)?;
        let time = s.get(at + 1..)?.trim_start();
        let (year, month, day) = parse_date_fields(date)?;
        let (hour, minute, second, nanos) = parse_time_fields(time)?;
        return Some(Temporal::Timestamp(Parts {
            year,
            month,
            day,
            hour,
            minute,
            second,
            nanos,
        }));
    }
    if s.contains(':') {
        let (hour, minute, second, nanos) = parse_time_fields(s)?;
        return Some(Temporal::Time(Parts {
            year: 0,
            month: 0,
            day: 0,
            hour,
            minute,
            second,
            nanos,
        }));
    }
    let (year, month, day) = parse_date_fields(s)?;
    Some(Temporal::Date(Parts {
        year,
        month,
        day,
        hour: 0,
        minute: 0,
        second: 0,
        nanos: 0,
    }))
}

/// A day-second interval broken into fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct IntervalParts {
    /// `true` for a negative interval.
    pub negative: bool,
    /// Whole days.
    pub days: u32,
    /// 0..=23.
    pub hours: u32,
    /// 0..=59.
    pub minutes: u32,
    /// 0..=59.
    pub seconds: u32,
    /// Fractional second in microseconds.
    pub micros: u32,
}

/// Breaks an interval in microseconds into fields.
pub(crate) fn interval_from_micros(micros: i64) -> IntervalParts {
    let magnitude = micros.unsigned_abs();
    let seconds = magnitude / 1_000_000;
    IntervalParts {
        negative: micros < 0,
        // |i64::MIN| / 86_400_000_000 is about 1.07e8, well inside u32.
        days: (seconds / 86_400) as u32,
        hours: (seconds / 3600 % 24) as u32,
        minutes: (seconds / 60 % 60) as u32,
        seconds: (seconds % 60) as u32,
        micros: (magnitude % 1_000_000) as u32,
    }
}

/// Parses `[+-]d hh:mm:ss[.ffffff]` (also `[+-]hh:mm:ss[.f]`, zero days). Returns the
/// fields and whether fractional digits beyond microseconds were dropped.
/// Errors: 22018 for text that is not an interval, 22015 for a day count beyond u32.
pub(crate) fn parse_interval(text: &str) -> Result<(IntervalParts, bool), ConvertError> {
    let s = text.trim();
    let (negative, body) = match s.as_bytes().first() {
        Some(b'-') => (true, s.get(1..).unwrap_or("")),
        Some(b'+') => (false, s.get(1..).unwrap_or("")),
        _ => (false, s),
    };
    let (days_text, clock) = match body.split_once(' ') {
        Some((d, c)) => (Some(d), c.trim_start()),
        None => (None, body),
    };
    let days = match days_text {
        Some(d) => {
            if d.is_empty() || !d.bytes().all(|b| b.is_ascii_digit()) {
                return Err(ConvertError::InvalidCharacterValue);
            }
            d.parse::<u32>()
                .map_err(|_| ConvertError::IntervalOverflow)?
        }
        None => 0,
    };
    let (clock_text, fraction) = match clock.split_once('.') {
        Some((c, f)) => (c, Some(f)),
        None => (clock, None),
    };
    let (hours, minutes, seconds, _) =
        parse_time_fields(clock_text).ok_or(ConvertError::InvalidCharacterValue)?;
    let (micros, dropped) = match fraction {
        Some(f) if !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()) => {
            let kept = f.get(..f.len().min(6)).unwrap_or("");
            let value: u32 = kept
                .parse()
                .map_err(|_| ConvertError::InvalidCharacterValue)?;
            let scaled = value * 10u32.pow(6 - kept.len() as u32);
            let dropped = f.bytes().skip(6).any(|b| b != b'0');
            (scaled, dropped)
        }
        Some(_) => return Err(ConvertError::InvalidCharacterValue),
        None => (0, false),
    };
    Ok((
        IntervalParts {
            negative,
            days,
            hours,
            minutes,
            seconds,
            micros,
        },
        dropped,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_round_trip_known_days() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(-1), (1969, 12, 31));
        assert_eq!(civil_from_days(20_496), (2026, 2, 12));
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2026, 2, 12), 20_496);
        assert_eq!(days_from_civil(1, 1, 1), -719_162);
        assert_eq!(civil_from_days(-719_162), (1, 1, 1));
        assert_eq!(civil_from_days(-719_163), (0, 12, 31));
        for days in (-200_000_000..200_000_000).step_by(9_999_991) {
            let (y, m, d) = civil_from_days(days);
            assert!(valid_date(y, m, d));
            assert_eq!(days_from_civil(y, m, d), days);
        }
    }

    #[test]
    fn micros_extremes_do_not_panic() {
        let max = parts_from_micros(i64::MAX);
        assert_eq!(max.year, 294_247);
        let min = parts_from_micros(i64::MIN);
        assert_eq!(min.year, -290_308);
        let p = parts_from_micros(-43_200_000_000);
        assert_eq!((p.year, p.month, p.day, p.hour), (1969, 12, 31, 12));
        assert_eq!(date_parts(i64::MIN).year, -290_308);
        assert_eq!(date_parts(-1).day, 31);
        let p = parts_from_micros(-1);
        assert_eq!(
            (p.year, p.hour, p.minute, p.second, p.nanos),
            (1969, 23, 59, 59, 999_999_000)
        );
    }

    #[test]
    fn leap_years() {
        assert_eq!(days_in_month(2000, 2), 29);
        assert_eq!(days_in_month(1900, 2), 28);
        assert_eq!(days_in_month(2024, 2), 29);
        assert_eq!(days_in_month(-4, 2), 29);
        assert_eq!(days_in_month(2023, 13), 0);
    }

    #[test]
    fn zones() {
        assert_eq!(zone_offset_seconds("Z", 0), Ok(0));
        assert_eq!(zone_offset_seconds("+05:30", 0), Ok(19_800));
        assert_eq!(zone_offset_seconds("-08:00", 0), Ok(-28_800));
        assert_eq!(zone_offset_seconds("+0530", 0), Ok(19_800));
        assert_eq!(zone_offset_seconds("America/New_York", 0), Ok(-18_000));
        // Daylight saving time on 2024-07-01.
        assert_eq!(
            zone_offset_seconds("America/New_York", 1_719_792_000_000_000),
            Ok(-14_400)
        );
        assert_eq!(zone_offset_seconds("UTC", 0), Ok(0));
        assert_eq!(zone_offset_seconds("Not/AZone", 0), Ok(0));
        assert_eq!(zone_offset_seconds("+25:00", 0), Ok(0));
        assert_eq!(
            zone_offset_seconds("Europe/Paris", i64::MAX),
            Err(ConvertError::DatetimeOverflow)
        );
        assert_eq!(
            to_local(i64::MAX, Some("+01:00")),
            Err(ConvertError::DatetimeOverflow)
        );
    }

    #[test]
    fn parse_literals() {
        let ts = |y, mo, d, h, mi, s, n| Parts {
            year: y,
            month: mo,
            day: d,
            hour: h,
            minute: mi,
            second: s,
            nanos: n,
        };
        assert_eq!(
            parse_temporal(" 2024-02-29 "),
            Some(Temporal::Date(ts(2024, 2, 29, 0, 0, 0, 0)))
        );
        assert_eq!(parse_temporal("2023-02-29"), None);
        assert_eq!(
            parse_temporal("2024-01-02 03:04:05.5"),
            Some(Temporal::Timestamp(ts(2024, 1, 2, 3, 4, 5, 500_000_000)))
        );
        assert_eq!(
            parse_temporal("2024-01-02T03:04:05.123456789"),
            Some(Temporal::Timestamp(ts(2024, 1, 2, 3, 4, 5, 123_456_789)))
        );
        assert_eq!(
            parse_temporal("{ts '2024-01-02 03:04:05'}"),
            Some(Temporal::Timestamp(ts(2024, 1, 2, 3, 4, 5, 0)))
        );
        assert_eq!(
            parse_temporal("{d '2024-01-02'}"),
            Some(Temporal::Date(ts(2024, 1, 2, 0, 0, 0, 0)))
        );
        assert_eq!(
            parse_temporal("{t '23:59:59'}"),
            Some(Temporal::Time(ts(0, 0, 0, 23, 59, 59, 0)))
        );
        assert_eq!(
            parse_temporal("+12345-01-01"),
            Some(Temporal::Date(ts(12345, 1, 1, 0, 0, 0, 0)))
        );
        assert_eq!(
            parse_temporal("-0044-03-15"),
            Some(Temporal::Date(ts(-44, 3, 15, 0, 0, 0, 0)))
        );
        for bad in [
            "",
            "hello",
            "2024-13-01",
            "2024-01-01 24:00:00",
            "2024-01-01 10:60:00",
            "2024-01-01 10:00",
            "2024-01-01 10:00:00.1234567890",
            "2024-01-01 10:00:00+05:00",
            "2024/01/01",
            "1e5",
            "12:00:00:00",
        ] {
            assert_eq!(parse_temporal(bad), None, "{bad}");
        }
    }

    #[test]
    fn intervals() {
        let p = interval_from_micros(-(86_400_000_000 + 3_723_000_000 + 500_000));
        assert_eq!(
            (p.negative, p.days, p.hours, p.minutes, p.seconds, p.micros),
            (true, 1, 1, 2, 3, 500_000)
        );
        let p = interval_from_micros(i64::MIN);
        assert_eq!(p.days, 106_751_991);
        let (p, dropped) = parse_interval("-1 01:02:03.5").unwrap();
        assert_eq!(
            (
                p.negative, p.days, p.hours, p.minutes, p.seconds, p.micros, dropped
            ),
            (true, 1, 1, 2, 3, 500_000, false)
        );
        let (p, dropped) = parse_interval("10:00:00.0000001").unwrap();
        assert_eq!((p.days, p.hours, p.micros, dropped), (0, 10, 0, true));
        assert_eq!(
            parse_interval("99999999999 00:00:00"),
            Err(ConvertError::IntervalOverflow)
        );
        assert_eq!(
            parse_interval("x"),
            Err(ConvertError::InvalidCharacterValue)
        );
        assert_eq!(
            parse_interval("1 25:00:00"),
            Err(ConvertError::InvalidCharacterValue)
        );
        assert_eq!(
            parse_interval("1 01:00:00."),
            Err(ConvertError::InvalidCharacterValue)
        );
    }
}
