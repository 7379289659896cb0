//! Conversions to `SQL_C_TYPE_DATE`, `SQL_C_TYPE_TIME`, `SQL_C_TYPE_TIMESTAMP` and
//! `SQL_C_INTERVAL_DAY_TO_SECOND`.
//!
//! - DATE → date, → timestamp (midnight); DATE → time is 07006.
//! - DATETIME → date (01S07 if the time is not midnight), → time (01S07 if there is a
//!   fraction), → timestamp (nanosecond `fraction`).
//! - TIMESTAMP_TZ: the same, in the wall time of the value's own zone.
//! - Text: ISO date, time and timestamp literals (ODBC escapes accepted), else 22018. A time
//!   literal converted to a timestamp takes today's (local) date, per the specification.
//! - INTERVAL_DAY_SECOND → interval struct; interval text is parsed; nothing else converts
//!   to an interval (07006).
//! - A year outside -32768..=32767 does not fit the structures: 22008.

use super::ConvertError;
use super::calendar::{self, Parts, Temporal};
use super::ctype::CType;
use super::layout::{self, DateStruct, TimeStruct, TimestampStruct};
use super::to_text::text_of;
use crate::wire::Value;

/// The local date/time of `value`, and whether it is only a time of day (text `hh:mm:ss`).
fn parts(value: Value<'_>) -> Result<Temporal, ConvertError> {
    match value {
        Value::Date(micros) => Ok(Temporal::Date(calendar::date_parts(micros))),
        Value::Timestamp { micros, zone } => {
            let (local, _) = calendar::to_local(micros, zone)?;
            Ok(Temporal::Timestamp(calendar::parts_from_micros(local)))
        }
        Value::Text(bytes) => {
            calendar::parse_temporal(&text_of(bytes)).ok_or(ConvertError::InvalidCharacterValue)
        }
        _ => Err(ConvertError::RestrictedConversion),
    }
}

fn date_struct(p: &Parts) -> Result<DateStruct, ConvertError> {
    Ok(DateStruct {
        year: i16::try_from(p.year).map_err(|_| ConvertError::DatetimeOverflow)?,
        // Validated fields: month <= 12, day <= 31.
        month: p.month as u16,
        day: p.day as u16,
    })
}

fn time_struct(p: &Parts) -> TimeStruct {
    // Validated fields: hour < 24, minute and second < 60.
    TimeStruct {
        hour: p.hour as u16,
        minute: p.minute as u16,
        second: p.second as u16,
    }
}

/// Writes `value` as the date/time/interval `target` into `out`. Returns whether a fraction or
/// time part was dropped (01S07).
pub(crate) fn write(value: Value<'_>, target: CType, out: &mut [u8]) -> Result<bool, ConvertError> {
    match target {
        CType::TypeDate => {
            let (p, dropped) = match parts(value)? {
                Temporal::Date(p) => (p, false),
                Temporal::Timestamp(p) => (p, !p.is_midnight()),
                Temporal::Time(_) => return Err(ConvertError::InvalidCharacterValue),
            };
            layout::put_date(out, date_struct(&p)?)?;
            Ok(dropped)
        }
        CType::TypeTime => {
            let p = match parts(value)? {
                Temporal::Time(p) | Temporal::Timestamp(p) => p,
                Temporal::Date(_) if matches!(value, Value::Text(_)) => {
                    return Err(ConvertError::InvalidCharacterValue);
                }
                Temporal::Date(_) => return Err(ConvertError::RestrictedConversion),
            };
            layout::put_time(out, time_struct(&p))?;
            Ok(p.nanos != 0)
        }
        CType::TypeTimestamp => {
            let p = match parts(value)? {
                Temporal::Date(p) | Temporal::Timestamp(p) => p,
                Temporal::Time(t) => Parts {
                    hour: t.hour,
                    minute: t.minute,
                    second: t.second,
                    nanos: t.nanos,
                    ..calendar::today()
                },
            };
            layout::put_timestamp(
                out,
                TimestampStruct {
                    date: date_struct(&p)?,
                    time: time_struct(&p),
                    fraction: p.nanos,
                },
            )?;
            Ok(false)
        }
        CType::IntervalDaySecond => {
            let (p, dropped) = match value {
                Value::IntervalMicros(micros) => (calendar::interval_from_micros(micros), false),
                Value::Text(bytes) => calendar::parse_interval(&text_of(bytes))?,
                _ => return Err(ConvertError::RestrictedConversion),
            };
            layout::put_interval(out, p)?;
            Ok(dropped)
        }
        _ => Err(ConvertError::RestrictedConversion),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: i64 = calendar::MICROS_PER_DAY;

    fn date(value: Value<'_>) -> Result<(DateStruct, bool), ConvertError> {
        let mut out = [0u8; 6];
        let dropped = write(value, CType::TypeDate, &mut out)?;
        Ok((layout::get_date(&out).unwrap(), dropped))
    }

    fn time(value: Value<'_>) -> Result<(TimeStruct, bool), ConvertError> {
        let mut out = [0u8; 6];
        let dropped = write(value, CType::TypeTime, &mut out)?;
        Ok((layout::get_time(&out).unwrap(), dropped))
    }

    fn ts(value: Value<'_>) -> Result<TimestampStruct, ConvertError> {
        let mut out = [0u8; 16];
        write(value, CType::TypeTimestamp, &mut out)?;
        Ok(layout::get_timestamp(&out).unwrap())
    }

    fn d(year: i16, month: u16, day: u16) -> DateStruct {
        DateStruct { year, month, day }
    }

    fn t(hour: u16, minute: u16, second: u16) -> TimeStruct {
        TimeStruct {
            hour,
            minute,
            second,
        }
    }

    #[test]
    fn dates() {
        assert_eq!(date(Value::Date(20_496 * DAY)), Ok((d(2026, 2, 12), false)));
        assert_eq!(date(Value::Date(-DAY)), Ok((d(1969, 12, 31), false)));
        assert_eq!(
            date(Value::Date(calendar::days_from_civil(1600, 2, 29) * DAY)),
            Ok((d(1600, 2, 29), false))
        );
        assert_eq!(
            date(Value::Date(calendar::days_from_civil(12_345, 6, 7) * DAY)),
            Ok((d(12_345, 6, 7), false))
        );
        assert_eq!(
            date(Value::Date(calendar::days_from_civil(-32_768, 1, 1) * DAY)),
            Ok((d(-32_768, 1, 1), false))
        );
        assert_eq!(
            date(Value::Date(calendar::days_from_civil(40_000, 1, 1) * DAY)),
            Err(ConvertError::DatetimeOverflow)
        );
        let ts = ts(Value::Date(-DAY)).unwrap();
        assert_eq!(
            (ts.date, ts.time, ts.fraction),
            (d(1969, 12, 31), t(0, 0, 0), 0)
        );
        assert_eq!(
            time(Value::Date(0)),
            Err(ConvertError::RestrictedConversion)
        );
        assert_eq!(
            date(Value::Date(i64::MIN)),
            Err(ConvertError::DatetimeOverflow)
        );
    }

    #[test]
    fn timestamps() {
        let v = Value::Timestamp {
            micros: -43_200_000_000 + 123_456,
            zone: None,
        };
        let s = ts(v).unwrap();
        assert_eq!(
            (s.date, s.time, s.fraction),
            (d(1969, 12, 31), t(12, 0, 0), 123_456_000)
        );
        assert_eq!(date(v), Ok((d(1969, 12, 31), true)));
        assert_eq!(time(v), Ok((t(12, 0, 0), true)));
        let midnight = Value::Timestamp {
            micros: 0,
            zone: None,
        };
        assert_eq!(date(midnight), Ok((d(1970, 1, 1), false)));
        assert_eq!(time(midnight), Ok((t(0, 0, 0), false)));
        let far = Value::Timestamp {
            micros: i64::MAX,
            zone: None,
        };
        assert_eq!(ts(far), Err(ConvertError::DatetimeOverflow));
    }

    #[test]
    fn timestamp_tz_in_its_zone() {
        let kolkata = Value::Timestamp {
            micros: 0,
            zone: Some("+05:30"),
        };
        let s = ts(kolkata).unwrap();
        assert_eq!((s.date, s.time), (d(1970, 1, 1), t(5, 30, 0)));
        let ny = Value::Timestamp {
            micros: 0,
            zone: Some("America/New_York"),
        };
        let s = ts(ny).unwrap();
        assert_eq!((s.date, s.time), (d(1969, 12, 31), t(19, 0, 0)));
        assert_eq!(date(ny), Ok((d(1969, 12, 31), true)));
        let utc = Value::Timestamp {
            micros: 0,
            zone: Some("Z"),
        };
        assert_eq!(ts(utc).unwrap().time, t(0, 0, 0));
    }

    #[test]
    fn text_sources() {
        assert_eq!(
            date(Value::Text(b"2024-02-29")),
            Ok((d(2024, 2, 29), false))
        );
        assert_eq!(
            date(Value::Text(b"2024-02-29 10:00:00")),
            Ok((d(2024, 2, 29), true))
        );
        assert_eq!(
            date(Value::Text(b"2024-02-30")),
            Err(ConvertError::InvalidCharacterValue)
        );
        assert_eq!(
            date(Value::Text(b"10:00:00")),
            Err(ConvertError::InvalidCharacterValue)
        );
        assert_eq!(time(Value::Text(b"10:11:12")), Ok((t(10, 11, 12), false)));
        assert_eq!(time(Value::Text(b"10:11:12.5")), Ok((t(10, 11, 12), true)));
        assert_eq!(
            time(Value::Text(b"2024-01-01 10:11:12")),
            Ok((t(10, 11, 12), false))
        );
        assert_eq!(
            time(Value::Text(b"2024-01-01")),
            Err(ConvertError::InvalidCharacterValue)
        );
        let s = ts(Value::Text(b"2024-01-02 03:04:05.000000007")).unwrap();
        assert_eq!((s.date, s.time, s.fraction), (d(2024, 1, 2), t(3, 4, 5), 7));
        let s = ts(Value::Text(b"2024-01-02")).unwrap();
        assert_eq!((s.date, s.time), (d(2024, 1, 2), t(0, 0, 0)));
        let s = ts(Value::Text(b"{t '01:02:03'}")).unwrap();
        assert_eq!(s.time, t(1, 2, 3));
        assert!(s.date.year >= 2024);
        assert_eq!(
            ts(Value::Text(b"yesterday")),
            Err(ConvertError::InvalidCharacterValue)
        );
        assert_eq!(
            ts(Value::Text(b"+40000-01-01")),
            Err(ConvertError::DatetimeOverflow)
        );
    }

    #[test]
    fn restricted() {
        for v in [
            Value::I64(1),
            Value::F64(1.0),
            Value::Bool(true),
            Value::Binary(b"x"),
        ] {
            assert_eq!(date(v), Err(ConvertError::RestrictedConversion));
            assert_eq!(ts(v), Err(ConvertError::RestrictedConversion));
        }
        assert_eq!(
            date(Value::IntervalMicros(5)),
            Err(ConvertError::RestrictedConversion)
        );
    }

    #[test]
    fn intervals() {
        let mut out = [0u8; 28];
        let dropped = write(
            Value::IntervalMicros(-(2 * DAY + 1_500_000)),
            CType::IntervalDaySecond,
            &mut out,
        )
        .unwrap();
        assert!(!dropped);
        assert_eq!(&out[4..6], &1i16.to_ne_bytes());
        assert_eq!(&out[8..12], &2u32.to_ne_bytes());
        assert_eq!(&out[20..24], &1u32.to_ne_bytes());
        assert_eq!(&out[24..28], &500_000u32.to_ne_bytes());
        let dropped = write(
            Value::Text(b"3 04:05:06.1234567"),
            CType::IntervalDaySecond,
            &mut out,
        )
        .unwrap();
        assert!(dropped);
        assert_eq!(&out[8..12], &3u32.to_ne_bytes());
        assert_eq!(&out[24..28], &123_456u32.to_ne_bytes());
        assert_eq!(
            write(Value::I64(5), CType::IntervalDaySecond, &mut out),
            Err(ConvertError::RestrictedConversion)
        );
    }
}
