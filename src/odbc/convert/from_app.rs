//! Parameters: an application buffer of a C type, converted to the SQL type the application
//! declared (`SQLBindParameter`), as a [`ParamValue`] for client-side substitution.
//!
//! Rules ("Converting Data from C to SQL Data Types"):
//! - character SQL types take the canonical text of any value (numbers as plain decimals,
//!   dates as ISO literals); `SQL_C_CHAR` data must be UTF-8 and `SQL_C_WCHAR` data valid
//!   UTF-16LE, else 22018;
//! - integer SQL types take numbers and numeric text; whole digits beyond the type's range are
//!   22003, dropped fractional digits 22001;
//! - `SQL_BIT` takes 0 or 1 (values strictly between 0 and 2 are 22001, others 22003);
//! - `SQL_DECIMAL`/`SQL_NUMERIC` take any number, as plain decimal text;
//! - date/time/timestamp SQL types take the matching structures (validated, else 22007) and
//!   ISO or ODBC-escape literals (else 22018); dropping a non-zero time part or fraction is
//!   22008;
//! - binary SQL types take raw bytes, hex text (`SQL_C_CHAR`), or the bytes of a fixed-size C
//!   value;
//! - `SQL_C_NUMERIC` uses the descriptor's scale when given, else the structure's own scale;
//! - interval parameters are not supported (HYC00), as `ParamValue` has no interval form;
//! - an unknown SQL type takes the C value's natural form.

use std::borrow::Cow;

use super::calendar::{self, Parts, Temporal};
use super::ctype::CType;
use super::exact::{Exact, parse_double};
use super::layout::{self, DateStruct, TimeStruct, TimestampStruct};
use super::scratch::Scratch;
use super::{ConvertError, SQL_NTS, SQL_NULL_DATA, render};
use crate::client::ParamValue;
use crate::odbc::sqltype;

/// A decoded application value.
enum AppValue<'a> {
    Text(Cow<'a, str>),
    Bytes(&'a [u8]),
    /// A fixed-size C value and its raw bytes.
    Int(i128, &'a [u8]),
    Float(f64, &'a [u8]),
    Exact(Exact, &'a [u8]),
    Date(DateStruct, &'a [u8]),
    Time(TimeStruct, &'a [u8]),
    Timestamp(TimestampStruct, &'a [u8]),
}

/// The bytes of a variable-length value: `indicator` bytes, or up to the terminator for
/// `SQL_NTS` (a `unit`-byte zero), or HY090.
fn variable(data: &[u8], indicator: isize, unit: usize) -> Result<&[u8], ConvertError> {
    if indicator == SQL_NTS {
        let end = data
            .chunks_exact(unit)
            .position(|c| c.iter().all(|b| *b == 0))
            .map_or(data.len() - data.len() % unit, |i| i * unit);
        return data.get(..end).ok_or(ConvertError::InvalidLength);
    }
    let len = usize::try_from(indicator).map_err(|_| ConvertError::InvalidLength)?;
    if len % unit != 0 {
        return Err(ConvertError::InvalidLength);
    }
    data.get(..len).ok_or(ConvertError::InvalidLength)
}

/// The first `n` bytes of a fixed-size value, or HY090.
fn fixed(data: &[u8], n: usize) -> Result<&[u8], ConvertError> {
    data.get(..n).ok_or(ConvertError::InvalidLength)
}

fn int_of<const N: usize>(data: &[u8]) -> Result<[u8; N], ConvertError> {
    fixed(data, N)?
        .try_into()
        .map_err(|_| ConvertError::InvalidLength)
}

fn decode<'a>(
    c_type: CType,
    data: &'a [u8],
    indicator: isize,
    numeric_spec: Option<(u8, i8)>,
) -> Result<AppValue<'a>, ConvertError> {
    let Some(size) = c_type.fixed_size() else {
        return decode_variable(c_type, data, indicator);
    };
    let raw = fixed(data, size)?;
    Ok(match c_type {
        CType::Bit | CType::UTinyInt => {
            AppValue::Int(i128::from(u8::from_ne_bytes(int_of(raw)?)), raw)
        }
        CType::STinyInt => AppValue::Int(i128::from(i8::from_ne_bytes(int_of(raw)?)), raw),
        CType::SShort => AppValue::Int(i128::from(i16::from_ne_bytes(int_of(raw)?)), raw),
        CType::UShort => AppValue::Int(i128::from(u16::from_ne_bytes(int_of(raw)?)), raw),
        CType::SLong => AppValue::Int(i128::from(i32::from_ne_bytes(int_of(raw)?)), raw),
        CType::ULong => AppValue::Int(i128::from(u32::from_ne_bytes(int_of(raw)?)), raw),
        CType::SBigInt => AppValue::Int(i128::from(i64::from_ne_bytes(int_of(raw)?)), raw),
        CType::UBigInt => AppValue::Int(i128::from(u64::from_ne_bytes(int_of(raw)?)), raw),
        CType::Float => AppValue::Float(f64::from(f32::from_ne_bytes(int_of(raw)?)), raw),
        CType::Double => AppValue::Float(f64::from_ne_bytes(int_of(raw)?), raw),
        CType::Numeric => {
            let n = layout::get_numeric(raw)?;
            let scale = numeric_spec.map_or(n.scale, |(_, s)| s);
            let exact = Exact {
                negative: !n.positive && n.magnitude != 0,
                magnitude: n.magnitude,
                scale: i32::from(scale),
                inexact: false,
            };
            AppValue::Exact(exact, raw)
        }
        CType::TypeDate => AppValue::Date(layout::get_date(raw)?, raw),
        CType::TypeTime => AppValue::Time(layout::get_time(raw)?, raw),
        CType::TypeTimestamp => AppValue::Timestamp(layout::get_timestamp(raw)?, raw),
        CType::IntervalDaySecond => return Err(ConvertError::NotImplemented),
        CType::Char | CType::WChar | CType::Binary => {
            return decode_variable(c_type, data, indicator);
        }
    })
}

/// Character and binary data (the types without a fixed size).
fn decode_variable(
    c_type: CType,
    data: &[u8],
    indicator: isize,
) -> Result<AppValue<'_>, ConvertError> {
    match c_type {
        CType::WChar => {
            let bytes = variable(data, indicator, 2)?;
            let units = bytes.chunks_exact(2).map(|c| {
                u16::from_le_bytes([
                    c.first().copied().unwrap_or(0),
                    c.get(1).copied().unwrap_or(0),
                ])
            });
            let text: String = char::decode_utf16(units)
                .collect::<Result<_, _>>()
                .map_err(|_| ConvertError::InvalidCharacterValue)?;
            Ok(AppValue::Text(Cow::Owned(text)))
        }
        CType::Binary if indicator != SQL_NTS => Ok(AppValue::Bytes(variable(data, indicator, 1)?)),
        CType::Binary => Err(ConvertError::InvalidLength),
        _ => {
            let bytes = variable(data, indicator, 1)?;
            let text =
                std::str::from_utf8(bytes).map_err(|_| ConvertError::InvalidCharacterValue)?;
            Ok(AppValue::Text(Cow::Borrowed(text)))
        }
    }
}

/// Converts one bound parameter. `indicator` is the length/indicator value: `SQL_NULL_DATA`
/// (-1), `SQL_NTS` (-3, character data only) or a byte length (character and binary data;
/// ignored for fixed-size C types). Data-at-execution indicators are the caller's to resolve
/// before calling. `numeric_spec` is the APD `(precision, scale)` for `SQL_C_NUMERIC`.
pub fn read_param(
    c_type: CType,
    sql_type: i16,
    data: &[u8],
    indicator: isize,
    numeric_spec: Option<(u8, i8)>,
) -> Result<ParamValue, ConvertError> {
    if indicator == SQL_NULL_DATA {
        return Ok(ParamValue::Null);
    }
    let value = decode(c_type, data, indicator, numeric_spec)?;
    use sqltype::*;
    match sql_type {
        SQL_CHAR | SQL_VARCHAR | SQL_LONGVARCHAR | SQL_WCHAR | SQL_WVARCHAR | SQL_WLONGVARCHAR
        | SQL_GUID => to_text(value).map(ParamValue::Text),
        SQL_BIT => to_bit(value),
        SQL_TINYINT => to_integer(value, i128::from(i8::MIN), i128::from(i8::MAX)),
        SQL_SMALLINT => to_integer(value, i128::from(i16::MIN), i128::from(i16::MAX)),
        SQL_INTEGER => to_integer(value, i128::from(i32::MIN), i128::from(i32::MAX)),
        SQL_BIGINT => to_integer(value, i128::from(i64::MIN), i128::from(i64::MAX)),
        SQL_REAL => {
            let x = to_f64(value)?;
            if x.abs() > f64::from(f32::MAX) {
                return Err(ConvertError::NumericOverflow);
            }
            Ok(ParamValue::Double(x))
        }
        SQL_FLOAT | SQL_DOUBLE => to_f64(value).map(ParamValue::Double),
        SQL_DECIMAL | SQL_NUMERIC => to_decimal_text(value).map(ParamValue::Decimal),
        SQL_TYPE_DATE | SQL_DATE => to_date(value),
        SQL_TYPE_TIME | SQL_TIME => to_time(value),
        SQL_TYPE_TIMESTAMP | SQL_TIMESTAMP => to_timestamp(value),
        SQL_BINARY | SQL_VARBINARY | SQL_LONGVARBINARY => to_binary(value).map(ParamValue::Binary),
        SQL_INTERVAL_DAY_TO_SECOND => Err(ConvertError::NotImplemented),
        _ => natural(value),
    }
}

/// The C value as it is, for an unknown SQL type.
fn natural(value: AppValue<'_>) -> Result<ParamValue, ConvertError> {
    Ok(match value {
        AppValue::Text(s) => ParamValue::Text(s.into_owned()),
        AppValue::Bytes(b) => ParamValue::Binary(b.to_vec()),
        AppValue::Int(v, _) => match i64::try_from(v) {
            Ok(v) => ParamValue::Int(v),
            Err(_) => {
                ParamValue::UInt(u64::try_from(v).map_err(|_| ConvertError::NumericOverflow)?)
            }
        },
        AppValue::Float(x, _) => ParamValue::Double(x),
        AppValue::Exact(e, _) => ParamValue::Decimal(exact_text(&e)?),
        AppValue::Date(..) | AppValue::Time(..) | AppValue::Timestamp(..) => {
            match temporal(&value)? {
                Temporal::Date(p) => date_param(&p),
                Temporal::Time(p) => time_param(&p),
                Temporal::Timestamp(p) => timestamp_param(&p),
            }
        }
    })
}

fn exact_text(e: &Exact) -> Result<String, ConvertError> {
    if e.inexact {
        // Digits beyond 128 bits were dropped: in the fraction that loses precision
        // (22001), in the integer part it loses magnitude (22003).
        return Err(if e.scale > 0 {
            ConvertError::RightTruncation
        } else {
            ConvertError::NumericOverflow
        });
    }
    let mut out = Scratch::new();
    render::decimal_parts(&mut out, e.negative, e.magnitude, e.scale)?;
    Ok(out.as_str().to_string())
}

/// A validated date/time from a structure (22007 when the fields are not a real date/time).
fn temporal(value: &AppValue<'_>) -> Result<Temporal, ConvertError> {
    let date = |d: &DateStruct| -> Result<Parts, ConvertError> {
        let (year, month, day) = (i64::from(d.year), u32::from(d.month), u32::from(d.day));
        if !calendar::valid_date(year, month, day) {
            return Err(ConvertError::InvalidDatetimeFormat);
        }
        Ok(Parts {
            year,
            month,
            day,
            hour: 0,
            minute: 0,
            second: 0,
            nanos: 0,
        })
    };
    let time = |base: Parts, t: &TimeStruct, nanos: u32| -> Result<Parts, ConvertError> {
        let (hour, minute, second) = (u32::from(t.hour), u32::from(t.minute), u32::from(t.second));
        if !calendar::valid_time(hour, minute, second, nanos) {
            return Err(ConvertError::InvalidDatetimeFormat);
        }
        Ok(Parts {
            hour,
            minute,
            second,
            nanos,
            ..base
        })
    };
    let zero = Parts {
        year: 0,
        month: 0,
        day: 0,
        hour: 0,
        minute: 0,
        second: 0,
        nanos: 0,
    };
    match value {
        AppValue::Date(d, _) => Ok(Temporal::Date(date(d)?)),
        AppValue::Time(t, _) => Ok(Temporal::Time(time(zero, t, 0)?)),
        AppValue::Timestamp(ts, _) => Ok(Temporal::Timestamp(time(
            date(&ts.date)?,
            &ts.time,
            ts.fraction,
        )?)),
        AppValue::Text(s) => calendar::parse_temporal(s).ok_or(ConvertError::InvalidCharacterValue),
        _ => Err(ConvertError::RestrictedConversion),
    }
}

fn to_text(value: AppValue<'_>) -> Result<String, ConvertError> {
    let mut out = Scratch::new();
    match value {
        AppValue::Text(s) => return Ok(s.into_owned()),
        AppValue::Bytes(b) => {
            return String::from_utf8(b.to_vec()).map_err(|_| ConvertError::InvalidCharacterValue);
        }
        AppValue::Int(v, _) => {
            use std::fmt::Write;
            let _ = write!(out, "{v}");
        }
        AppValue::Float(x, _) => {
            render::double(&mut out, x);
        }
        AppValue::Exact(e, _) => return exact_text(&e),
        AppValue::Date(..) | AppValue::Time(..) | AppValue::Timestamp(..) => {
            render::temporal(&mut out, &temporal(&value)?);
        }
    }
    Ok(out.as_str().to_string())
}

/// The number in `value`, for numeric SQL types.
fn exact(value: &AppValue<'_>) -> Result<Exact, ConvertError> {
    match value {
        AppValue::Int(v, _) => Ok(Exact::from_i128(*v)),
        AppValue::Float(x, _) => Exact::from_f64(*x),
        AppValue::Exact(e, _) => Ok(*e),
        AppValue::Text(s) => Exact::parse(s),
        _ => Err(ConvertError::RestrictedConversion),
    }
}

fn to_integer(value: AppValue<'_>, min: i128, max: i128) -> Result<ParamValue, ConvertError> {
    let part = exact(&value)?.integer_part()?;
    if !(min..=max).contains(&part.value) {
        return Err(ConvertError::NumericOverflow);
    }
    if part.fraction {
        return Err(ConvertError::RightTruncation);
    }
    // Within the i64 range checked above.
    i64::try_from(part.value)
        .map(ParamValue::Int)
        .map_err(|_| ConvertError::NumericOverflow)
}

fn to_bit(value: AppValue<'_>) -> Result<ParamValue, ConvertError> {
    let part = exact(&value)?.integer_part()?;
    if part.negative || !(0..=1).contains(&part.value) {
        return Err(ConvertError::NumericOverflow);
    }
    if part.fraction {
        return Err(ConvertError::RightTruncation);
    }
    Ok(ParamValue::Bool(part.value == 1))
}

/// A finite double: e6data SQL has no literal for NaN or the infinities (22003).
fn to_f64(value: AppValue<'_>) -> Result<f64, ConvertError> {
    let x = match value {
        AppValue::Float(x, _) => x,
        AppValue::Text(s) => parse_double(&s)?,
        other => exact(&other)?.to_f64(),
    };
    if x.is_finite() {
        Ok(x)
    } else {
        Err(ConvertError::NumericOverflow)
    }
}

fn to_decimal_text(value: AppValue<'_>) -> Result<String, ConvertError> {
    exact_text(&exact(&value)?)
}

fn date_param(p: &Parts) -> ParamValue {
    ParamValue::Date {
        // Parsed and structure years are within ±999_999_999.
        year: p.year as i32,
        month: p.month,
        day: p.day,
    }
}

fn time_param(p: &Parts) -> ParamValue {
    ParamValue::Time {
        hour: p.hour,
        minute: p.minute,
        second: p.second,
        nanos: p.nanos,
    }
}

fn timestamp_param(p: &Parts) -> ParamValue {
    ParamValue::Timestamp {
        year: p.year as i32,
        month: p.month,
        day: p.day,
        hour: p.hour,
        minute: p.minute,
        second: p.second,
        nanos: p.nanos,
    }
}

fn to_date(value: AppValue<'_>) -> Result<ParamValue, ConvertError> {
    match temporal(&value)? {
        Temporal::Date(p) => Ok(date_param(&p)),
        Temporal::Timestamp(p) if p.is_midnight() => Ok(date_param(&p)),
        Temporal::Timestamp(_) => Err(ConvertError::DatetimeOverflow),
        Temporal::Time(_) => Err(ConvertError::RestrictedConversion),
    }
}

fn to_time(value: AppValue<'_>) -> Result<ParamValue, ConvertError> {
    match temporal(&value)? {
        Temporal::Time(p) => Ok(time_param(&p)),
        Temporal::Timestamp(p) if p.nanos == 0 => Ok(time_param(&p)),
        Temporal::Timestamp(_) => Err(ConvertError::DatetimeOverflow),
        Temporal::Date(_) => Err(ConvertError::RestrictedConversion),
    }
}

fn to_timestamp(value: AppValue<'_>) -> Result<ParamValue, ConvertError> {
    Ok(match temporal(&value)? {
        Temporal::Date(p) | Temporal::Timestamp(p) => timestamp_param(&p),
        Temporal::Time(t) => timestamp_param(&Parts {
            hour: t.hour,
            minute: t.minute,
            second: t.second,
            nanos: t.nanos,
            ..calendar::today()
        }),
    })
}

fn to_binary(value: AppValue<'_>) -> Result<Vec<u8>, ConvertError> {
    match value {
        AppValue::Bytes(b) => Ok(b.to_vec()),
        AppValue::Text(s) => {
            let s = s.trim();
            let hex = s
                .strip_prefix("0x")
                .or_else(|| s.strip_prefix("0X"))
                .unwrap_or(s)
                .as_bytes();
            if hex.len() % 2 != 0 {
                return Err(ConvertError::InvalidCharacterValue);
            }
            hex.chunks_exact(2)
                .map(|pair| {
                    let text = std::str::from_utf8(pair)
                        .map_err(|_| ConvertError::InvalidCharacterValue)?;
                    u8::from_str_radix(text, 16).map_err(|_| ConvertError::InvalidCharacterValue)
                })
                .collect()
        }
        AppValue::Int(_, raw)
        | AppValue::Float(_, raw)
        | AppValue::Exact(_, raw)
        | AppValue::Date(_, raw)
        | AppValue::Time(_, raw)
        | AppValue::Timestamp(_, raw) => Ok(raw.to_vec()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::odbc::sqltype::*;

    fn p(c: CType, sql: i16, data: &[u8], ind: isize) -> Result<ParamValue, ConvertError> {
        read_param(c, sql, data, ind, None)
    }

    fn utf16z(s: &str) -> Vec<u8> {
        s.encode_utf16()
            .chain([0])
            .flat_map(u16::to_le_bytes)
            .collect()
    }

    #[test]
    fn nulls_and_lengths() {
        assert_eq!(
            p(CType::SLong, SQL_INTEGER, &[], SQL_NULL_DATA),
            Ok(ParamValue::Null)
        );
        assert_eq!(
            p(CType::Char, SQL_VARCHAR, b"abc\0zzz", SQL_NTS),
            Ok(ParamValue::Text("abc".into()))
        );
        assert_eq!(
            p(CType::Char, SQL_VARCHAR, b"abcdef", 4),
            Ok(ParamValue::Text("abcd".into()))
        );
        assert_eq!(
            p(CType::Char, SQL_VARCHAR, b"abc", 4),
            Err(ConvertError::InvalidLength)
        );
        assert_eq!(
            p(CType::Char, SQL_VARCHAR, b"abc", -7),
            Err(ConvertError::InvalidLength)
        );
        assert_eq!(
            p(CType::Char, SQL_VARCHAR, b"abc", SQL_NTS),
            Ok(ParamValue::Text("abc".into()))
        );
        assert_eq!(
            p(CType::SLong, SQL_INTEGER, &[1, 0], 4),
            Err(ConvertError::InvalidLength)
        );
        assert_eq!(
            p(CType::Binary, SQL_VARBINARY, &[1, 2], SQL_NTS),
            Err(ConvertError::InvalidLength)
        );
    }

    #[test]
    fn wide_text() {
        let data = utf16z("héllo 😀");
        assert_eq!(
            p(CType::WChar, SQL_WVARCHAR, &data, SQL_NTS),
            Ok(ParamValue::Text("héllo 😀".into()))
        );
        assert_eq!(
            p(CType::WChar, SQL_WVARCHAR, &data, 4),
            Ok(ParamValue::Text("hé".into()))
        );
        assert_eq!(
            p(CType::WChar, SQL_WVARCHAR, &data, 3),
            Err(ConvertError::InvalidLength)
        );
        // An unpaired high surrogate.
        let bad = [0x3D, 0xD8, 0x41, 0x00];
        assert_eq!(
            p(CType::WChar, SQL_WVARCHAR, &bad, 4),
            Err(ConvertError::InvalidCharacterValue)
        );
        assert_eq!(
            p(CType::Char, SQL_VARCHAR, b"\xFF", 1),
            Err(ConvertError::InvalidCharacterValue)
        );
    }

    #[test]
    fn integers() {
        assert_eq!(
            p(CType::SLong, SQL_INTEGER, &(-5i32).to_ne_bytes(), 0),
            Ok(ParamValue::Int(-5))
        );
        assert_eq!(
            p(CType::SBigInt, SQL_SMALLINT, &40_000i64.to_ne_bytes(), 0),
            Err(ConvertError::NumericOverflow)
        );
        assert_eq!(
            p(CType::Char, SQL_BIGINT, b" 42 ", 4),
            Ok(ParamValue::Int(42))
        );
        assert_eq!(
            p(CType::Char, SQL_INTEGER, b"4.5", 3),
            Err(ConvertError::RightTruncation)
        );
        assert_eq!(
            p(CType::Char, SQL_INTEGER, b"x", 1),
            Err(ConvertError::InvalidCharacterValue)
        );
        assert_eq!(
            p(CType::Double, SQL_INTEGER, &3.0f64.to_ne_bytes(), 0),
            Ok(ParamValue::Int(3))
        );
        assert_eq!(
            p(CType::UBigInt, SQL_BIGINT, &u64::MAX.to_ne_bytes(), 0),
            Err(ConvertError::NumericOverflow)
        );
        assert_eq!(
            p(CType::UBigInt, SQL_UNKNOWN_TYPE, &u64::MAX.to_ne_bytes(), 0),
            Ok(ParamValue::UInt(u64::MAX))
        );
        assert_eq!(
            p(CType::TypeDate, SQL_INTEGER, &[0; 6], 0),
            Err(ConvertError::RestrictedConversion)
        );
        assert_eq!(
            p(CType::STinyInt, SQL_TINYINT, &[0xFF], 0),
            Ok(ParamValue::Int(-1))
        );
    }

    #[test]
    fn bits() {
        assert_eq!(p(CType::Bit, SQL_BIT, &[1], 0), Ok(ParamValue::Bool(true)));
        assert_eq!(p(CType::Bit, SQL_BIT, &[0], 0), Ok(ParamValue::Bool(false)));
        assert_eq!(
            p(CType::Bit, SQL_BIT, &[2], 0),
            Err(ConvertError::NumericOverflow)
        );
        assert_eq!(
            p(CType::Double, SQL_BIT, &0.5f64.to_ne_bytes(), 0),
            Err(ConvertError::RightTruncation)
        );
        assert_eq!(p(CType::Char, SQL_BIT, b"1", 1), Ok(ParamValue::Bool(true)));
        assert_eq!(
            p(CType::SLong, SQL_BIT, &(-1i32).to_ne_bytes(), 0),
            Err(ConvertError::NumericOverflow)
        );
    }

    #[test]
    fn doubles_and_decimals() {
        assert_eq!(
            p(CType::Float, SQL_DOUBLE, &1.5f32.to_ne_bytes(), 0),
            Ok(ParamValue::Double(1.5))
        );
        assert_eq!(
            p(CType::Double, SQL_REAL, &1e300f64.to_ne_bytes(), 0),
            Err(ConvertError::NumericOverflow)
        );
        assert_eq!(
            p(CType::Char, SQL_DOUBLE, b"2.5e1", 5),
            Ok(ParamValue::Double(25.0))
        );
        assert_eq!(
            p(CType::Double, SQL_DOUBLE, &f64::NAN.to_ne_bytes(), 0),
            Err(ConvertError::NumericOverflow)
        );
        assert_eq!(
            p(CType::Char, SQL_DOUBLE, b"-inf", 4),
            Err(ConvertError::NumericOverflow)
        );
        assert_eq!(
            p(CType::Char, SQL_DECIMAL, b" -12.50 ", 8),
            Ok(ParamValue::Decimal("-12.50".into()))
        );
        assert_eq!(
            p(CType::Char, SQL_DECIMAL, b"1e3", 3),
            Ok(ParamValue::Decimal("1000".into()))
        );
        assert_eq!(
            p(CType::Double, SQL_NUMERIC, &0.1f64.to_ne_bytes(), 0),
            Ok(ParamValue::Decimal("0.1".into()))
        );
        assert_eq!(
            p(CType::SBigInt, SQL_DECIMAL, &i64::MIN.to_ne_bytes(), 0),
            Ok(ParamValue::Decimal("-9223372036854775808".into()))
        );
        let mut num = [0u8; 19];
        num[0] = 10;
        num[1] = 2;
        num[2] = 0;
        num[3..5].copy_from_slice(&[0x39, 0x30]); // 12345
        assert_eq!(
            p(CType::Numeric, SQL_DECIMAL, &num, 0),
            Ok(ParamValue::Decimal("-123.45".into()))
        );
        assert_eq!(
            read_param(CType::Numeric, SQL_DECIMAL, &num, 0, Some((10, 0))),
            Ok(ParamValue::Decimal("-12345".into()))
        );
        assert_eq!(
            p(CType::Char, SQL_DECIMAL, b"abc", 3),
            Err(ConvertError::InvalidCharacterValue)
        );
        let long = format!("1.{}", "1".repeat(60));
        assert_eq!(
            p(
                CType::Char,
                SQL_DECIMAL,
                long.as_bytes(),
                long.len() as isize
            ),
            Err(ConvertError::RightTruncation)
        );
    }

    #[test]
    fn text_of_values() {
        assert_eq!(
            p(CType::SLong, SQL_VARCHAR, &7i32.to_ne_bytes(), 0),
            Ok(ParamValue::Text("7".into()))
        );
        assert_eq!(
            p(CType::Double, SQL_WVARCHAR, &1e100f64.to_ne_bytes(), 0),
            Ok(ParamValue::Text("1e+100".into()))
        );
        let mut ts = [0u8; 16];
        layout::put_timestamp(
            &mut ts,
            TimestampStruct {
                date: DateStruct {
                    year: 2024,
                    month: 2,
                    day: 29,
                },
                time: TimeStruct {
                    hour: 1,
                    minute: 2,
                    second: 3,
                },
                fraction: 500_000_000,
            },
        )
        .unwrap();
        assert_eq!(
            p(CType::TypeTimestamp, SQL_VARCHAR, &ts, 0),
            Ok(ParamValue::Text("2024-02-29 01:02:03.5".into()))
        );
        assert_eq!(
            p(CType::Binary, SQL_VARCHAR, b"raw", 3),
            Ok(ParamValue::Text("raw".into()))
        );
    }

    #[test]
    fn dates_and_times() {
        let mut d = [0u8; 6];
        layout::put_date(
            &mut d,
            DateStruct {
                year: 1969,
                month: 12,
                day: 31,
            },
        )
        .unwrap();
        assert_eq!(
            p(CType::TypeDate, SQL_TYPE_DATE, &d, 0),
            Ok(ParamValue::Date {
                year: 1969,
                month: 12,
                day: 31
            })
        );
        assert_eq!(
            p(CType::TypeDate, SQL_TYPE_TIMESTAMP, &d, 0),
            Ok(ParamValue::Timestamp {
                year: 1969,
                month: 12,
                day: 31,
                hour: 0,
                minute: 0,
                second: 0,
                nanos: 0
            })
        );
        layout::put_date(
            &mut d,
            DateStruct {
                year: 2023,
                month: 2,
                day: 29,
            },
        )
        .unwrap();
        assert_eq!(
            p(CType::TypeDate, SQL_TYPE_DATE, &d, 0),
            Err(ConvertError::InvalidDatetimeFormat)
        );
        assert_eq!(
            p(CType::Char, SQL_TYPE_DATE, b"2024-01-02", SQL_NTS),
            Ok(ParamValue::Date {
                year: 2024,
                month: 1,
                day: 2
            })
        );
        assert_eq!(
            p(CType::Char, SQL_TYPE_DATE, b"2024-01-02 10:00:00", SQL_NTS),
            Err(ConvertError::DatetimeOverflow)
        );
        assert_eq!(
            p(CType::Char, SQL_TYPE_DATE, b"{d '2024-01-02'}", SQL_NTS),
            Ok(ParamValue::Date {
                year: 2024,
                month: 1,
                day: 2
            })
        );
        assert_eq!(
            p(CType::Char, SQL_TYPE_DATE, b"soon", SQL_NTS),
            Err(ConvertError::InvalidCharacterValue)
        );
        let mut t = [0u8; 6];
        layout::put_time(
            &mut t,
            TimeStruct {
                hour: 23,
                minute: 59,
                second: 59,
            },
        )
        .unwrap();
        assert_eq!(
            p(CType::TypeTime, SQL_TYPE_TIME, &t, 0),
            Ok(ParamValue::Time {
                hour: 23,
                minute: 59,
                second: 59,
                nanos: 0
            })
        );
        layout::put_time(
            &mut t,
            TimeStruct {
                hour: 24,
                minute: 0,
                second: 0,
            },
        )
        .unwrap();
        assert_eq!(
            p(CType::TypeTime, SQL_TYPE_TIME, &t, 0),
            Err(ConvertError::InvalidDatetimeFormat)
        );
        assert_eq!(
            p(
                CType::Char,
                SQL_TYPE_TIME,
                b"2024-01-01 10:00:00.5",
                SQL_NTS
            ),
            Err(ConvertError::DatetimeOverflow)
        );
        assert_eq!(
            p(
                CType::Char,
                SQL_TYPE_TIMESTAMP,
                b"2024-01-01T10:00:00.000001",
                SQL_NTS
            ),
            Ok(ParamValue::Timestamp {
                year: 2024,
                month: 1,
                day: 1,
                hour: 10,
                minute: 0,
                second: 0,
                nanos: 1000
            })
        );
        match p(CType::Char, SQL_TYPE_TIMESTAMP, b"{t '10:11:12'}", SQL_NTS) {
            Ok(ParamValue::Timestamp {
                year, hour, nanos, ..
            }) => assert!(year >= 2024 && hour == 10 && nanos == 0),
            other => panic!("{other:?}"),
        }
        assert_eq!(
            p(CType::SLong, SQL_TYPE_TIMESTAMP, &[0; 4], 0),
            Err(ConvertError::RestrictedConversion)
        );
    }

    #[test]
    fn binary() {
        assert_eq!(
            p(CType::Binary, SQL_VARBINARY, &[0, 255, 7], 3),
            Ok(ParamValue::Binary(vec![0, 255, 7]))
        );
        assert_eq!(
            p(CType::Char, SQL_VARBINARY, b"00FFab", SQL_NTS),
            Ok(ParamValue::Binary(vec![0, 255, 0xAB]))
        );
        assert_eq!(
            p(CType::Char, SQL_VARBINARY, b"0FF", SQL_NTS),
            Err(ConvertError::InvalidCharacterValue)
        );
        assert_eq!(
            p(CType::Char, SQL_VARBINARY, b"zz", SQL_NTS),
            Err(ConvertError::InvalidCharacterValue)
        );
        assert_eq!(
            p(CType::SLong, SQL_BINARY, &1i32.to_ne_bytes(), 0),
            Ok(ParamValue::Binary(1i32.to_ne_bytes().to_vec()))
        );
    }

    #[test]
    fn intervals_not_implemented() {
        assert_eq!(
            p(
                CType::Char,
                SQL_INTERVAL_DAY_TO_SECOND,
                b"1 00:00:00",
                SQL_NTS
            ),
            Err(ConvertError::NotImplemented)
        );
        assert_eq!(
            p(CType::IntervalDaySecond, SQL_VARCHAR, &[0; 28], 0),
            Err(ConvertError::NotImplemented)
        );
    }
}
