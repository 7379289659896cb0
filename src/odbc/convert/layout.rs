//! Byte layouts of the ODBC C structures, in native byte order (the application's own
//! in-memory representation), except the `SQL_NUMERIC_STRUCT` magnitude which the
//! specification fixes as little-endian.
//!
//! - `SQL_DATE_STRUCT` (6): year i16, month u16, day u16;
//! - `SQL_TIME_STRUCT` (6): hour u16, minute u16, second u16;
//! - `SQL_TIMESTAMP_STRUCT` (16): year i16, month, day, hour, minute, second u16, fraction u32
//!   (nanoseconds);
//! - `SQL_NUMERIC_STRUCT` (19): precision u8, scale i8, sign u8 (1 positive, 0 negative),
//!   val [u8; 16] little-endian magnitude;
//! - `SQL_INTERVAL_STRUCT` (28): interval_type i32, interval_sign i16 (1 = negative),
//!   2 bytes padding, then day, hour, minute, second, fraction u32 (fraction in units of the
//!   interval seconds precision, 6 = microseconds).

use super::ConvertError;
use super::calendar::IntervalParts;
use super::ctype::{
    DATE_STRUCT_SIZE, INTERVAL_STRUCT_SIZE, NUMERIC_STRUCT_SIZE, TIMESTAMP_STRUCT_SIZE,
};

/// `SQL_IS_DAY_TO_SECOND`: the `interval_type` of a day-second interval.
pub(crate) const SQL_IS_DAY_TO_SECOND: i32 = 10;

/// The first `N` bytes of `out`, or HY090 when the buffer is smaller than the structure.
fn head<const N: usize>(out: &mut [u8]) -> Result<&mut [u8; N], ConvertError> {
    out.get_mut(..N)
        .and_then(|s| <&mut [u8; N]>::try_from(s).ok())
        .ok_or(ConvertError::InvalidLength)
}

/// The first `N` bytes of `data`, or HY090.
fn read<const N: usize>(data: &[u8]) -> Result<&[u8; N], ConvertError> {
    data.get(..N)
        .and_then(|s| <&[u8; N]>::try_from(s).ok())
        .ok_or(ConvertError::InvalidLength)
}

fn u16_at(b: &[u8], at: usize) -> u16 {
    let mut w = [0u8; 2];
    if let Some(s) = b.get(at..at + 2) {
        w.copy_from_slice(s);
    }
    u16::from_ne_bytes(w)
}

fn u32_at(b: &[u8], at: usize) -> u32 {
    let mut w = [0u8; 4];
    if let Some(s) = b.get(at..at + 4) {
        w.copy_from_slice(s);
    }
    u32::from_ne_bytes(w)
}

fn put(out: &mut [u8], at: usize, bytes: &[u8]) {
    if let Some(slot) = out.get_mut(at..at + bytes.len()) {
        slot.copy_from_slice(bytes);
    }
}

/// A date's fields as stored in `SQL_DATE_STRUCT`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct DateStruct {
    pub year: i16,
    pub month: u16,
    pub day: u16,
}

/// A time's fields as stored in `SQL_TIME_STRUCT`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct TimeStruct {
    pub hour: u16,
    pub minute: u16,
    pub second: u16,
}

/// A timestamp's fields as stored in `SQL_TIMESTAMP_STRUCT`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct TimestampStruct {
    pub date: DateStruct,
    pub time: TimeStruct,
    /// Nanoseconds.
    pub fraction: u32,
}

/// The fields of `SQL_NUMERIC_STRUCT`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct NumericStruct {
    pub precision: u8,
    pub scale: i8,
    /// `true` for positive (and zero) values.
    pub positive: bool,
    pub magnitude: u128,
}

pub(crate) fn put_date(out: &mut [u8], d: DateStruct) -> Result<(), ConvertError> {
    let b = head::<DATE_STRUCT_SIZE>(out)?;
    put(b, 0, &d.year.to_ne_bytes());
    put(b, 2, &d.month.to_ne_bytes());
    put(b, 4, &d.day.to_ne_bytes());
    Ok(())
}

pub(crate) fn put_time(out: &mut [u8], t: TimeStruct) -> Result<(), ConvertError> {
    let b = head::<DATE_STRUCT_SIZE>(out)?;
    put(b, 0, &t.hour.to_ne_bytes());
    put(b, 2, &t.minute.to_ne_bytes());
    put(b, 4, &t.second.to_ne_bytes());
    Ok(())
}

pub(crate) fn put_timestamp(out: &mut [u8], ts: TimestampStruct) -> Result<(), ConvertError> {
    let b = head::<TIMESTAMP_STRUCT_SIZE>(out)?;
    put(b, 0, &ts.date.year.to_ne_bytes());
    put(b, 2, &ts.date.month.to_ne_bytes());
    put(b, 4, &ts.date.day.to_ne_bytes());
    put(b, 6, &ts.time.hour.to_ne_bytes());
    put(b, 8, &ts.time.minute.to_ne_bytes());
    put(b, 10, &ts.time.second.to_ne_bytes());
    put(b, 12, &ts.fraction.to_ne_bytes());
    Ok(())
}

pub(crate) fn put_numeric(out: &mut [u8], n: NumericStruct) -> Result<(), ConvertError> {
    let b = head::<NUMERIC_STRUCT_SIZE>(out)?;
    put(b, 0, &[n.precision]);
    put(b, 1, &n.scale.to_ne_bytes());
    put(b, 2, &[u8::from(n.positive)]);
    put(b, 3, &n.magnitude.to_le_bytes());
    Ok(())
}

pub(crate) fn put_interval(out: &mut [u8], p: IntervalParts) -> Result<(), ConvertError> {
    let b = head::<INTERVAL_STRUCT_SIZE>(out)?;
    b.fill(0);
    put(b, 0, &SQL_IS_DAY_TO_SECOND.to_ne_bytes());
    put(b, 4, &i16::from(p.negative).to_ne_bytes());
    put(b, 8, &p.days.to_ne_bytes());
    put(b, 12, &p.hours.to_ne_bytes());
    put(b, 16, &p.minutes.to_ne_bytes());
    put(b, 20, &p.seconds.to_ne_bytes());
    put(b, 24, &p.micros.to_ne_bytes());
    Ok(())
}

pub(crate) fn get_date(data: &[u8]) -> Result<DateStruct, ConvertError> {
    let b = read::<DATE_STRUCT_SIZE>(data)?;
    Ok(DateStruct {
        year: u16_at(b, 0) as i16,
        month: u16_at(b, 2),
        day: u16_at(b, 4),
    })
}

pub(crate) fn get_time(data: &[u8]) -> Result<TimeStruct, ConvertError> {
    let b = read::<DATE_STRUCT_SIZE>(data)?;
    Ok(TimeStruct {
        hour: u16_at(b, 0),
        minute: u16_at(b, 2),
        second: u16_at(b, 4),
    })
}

pub(crate) fn get_timestamp(data: &[u8]) -> Result<TimestampStruct, ConvertError> {
    let b = read::<TIMESTAMP_STRUCT_SIZE>(data)?;
    Ok(TimestampStruct {
        date: DateStruct {
            year: u16_at(b, 0) as i16,
            month: u16_at(b, 2),
            day: u16_at(b, 4),
        },
        time: TimeStruct {
            hour: u16_at(b, 6),
            minute: u16_at(b, 8),
            second: u16_at(b, 10),
        },
        fraction: u32_at(b, 12),
    })
}

pub(crate) fn get_numeric(data: &[u8]) -> Result<NumericStruct, ConvertError> {
    let [precision, scale, sign, magnitude @ ..] = *read::<NUMERIC_STRUCT_SIZE>(data)?;
    Ok(NumericStruct {
        precision,
        scale: i8::from_ne_bytes([scale]),
        // Any value other than 0 means positive: some applications write 2 or 0xFF.
        positive: sign != 0,
        magnitude: u128::from_le_bytes(magnitude),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_time_round_trip() {
        let mut b = [0u8; 16];
        let d = DateStruct {
            year: -44,
            month: 3,
            day: 15,
        };
        put_date(&mut b, d).unwrap();
        assert_eq!(get_date(&b).unwrap(), d);
        let t = TimeStruct {
            hour: 23,
            minute: 59,
            second: 58,
        };
        put_time(&mut b, t).unwrap();
        assert_eq!(get_time(&b).unwrap(), t);
        let ts = TimestampStruct {
            date: d,
            time: t,
            fraction: 123_456_789,
        };
        put_timestamp(&mut b, ts).unwrap();
        assert_eq!(get_timestamp(&b).unwrap(), ts);
        assert_eq!(&b[12..16], &123_456_789u32.to_ne_bytes());
        assert_eq!(
            put_timestamp(&mut b[..15], ts),
            Err(ConvertError::InvalidLength)
        );
        assert_eq!(get_date(&b[..5]), Err(ConvertError::InvalidLength));
    }

    #[test]
    fn numeric_layout() {
        let mut b = [0u8; 19];
        let n = NumericStruct {
            precision: 38,
            scale: -2,
            positive: false,
            magnitude: 0x0102,
        };
        put_numeric(&mut b, n).unwrap();
        assert_eq!(&b[..5], &[38, 0xFE, 0, 0x02, 0x01]);
        assert_eq!(get_numeric(&b).unwrap(), n);
    }

    #[test]
    fn interval_layout() {
        let mut b = [0xAAu8; 28];
        let p = IntervalParts {
            negative: true,
            days: 1,
            hours: 2,
            minutes: 3,
            seconds: 4,
            micros: 5,
        };
        put_interval(&mut b, p).unwrap();
        assert_eq!(&b[0..4], &10i32.to_ne_bytes());
        assert_eq!(&b[4..6], &1i16.to_ne_bytes());
        assert_eq!(&b[6..8], &[0, 0]);
        assert_eq!(&b[8..12], &1u32.to_ne_bytes());
        assert_eq!(&b[24..28], &5u32.to_ne_bytes());
    }
}
