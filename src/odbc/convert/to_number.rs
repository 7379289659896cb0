//! Conversions to the numeric C types: `SQL_C_BIT`, the signed and unsigned integers,
//! `SQL_C_FLOAT`, `SQL_C_DOUBLE` and `SQL_C_NUMERIC`.
//!
//! Sources are integers, BOOLEAN (0/1), doubles, DECIMAL128 and numeric text (spaces around
//! it ignored; anything else is 22018). Dates, times, intervals (DAY TO SECOND has several
//! fields, and ODBC converts only single-field intervals to numbers) and binary data are
//! 07006. Dropping fractional digits is 01S07; losing whole digits is 22003.

use super::ConvertError;
use super::ctype::CType;
use super::exact::{Exact, IntegerPart, digit_count, parse_double};
use super::layout::{self, NumericStruct};
use super::to_text::text_of;
use crate::wire::Value;

/// Precision used for `SQL_C_NUMERIC` when the descriptor gives none (or 0).
pub(crate) const DEFAULT_NUMERIC_PRECISION: u8 = 38;
/// Largest scale used by default for `SQL_C_NUMERIC`.
const MAX_DEFAULT_SCALE: i32 = 38;

/// A numeric source value.
enum Number<'a> {
    Int(i128),
    Float(f64),
    Exact(Exact),
    /// Trimmed numeric text, parsed per target.
    Text(&'a str),
}

/// Classifies `value`; `text` is the decoded text of a `Value::Text`.
fn number<'a>(value: Value<'_>, text: Option<&'a str>) -> Result<Number<'a>, ConvertError> {
    if let Some(s) = text {
        return Ok(Number::Text(s.trim()));
    }
    Ok(match value {
        Value::Bool(b) => Number::Int(i128::from(b)),
        Value::I32(v) => Number::Int(i128::from(v)),
        Value::I64(v) => Number::Int(i128::from(v)),
        Value::F64(x) => Number::Float(x),
        Value::Decimal { unscaled, scale } => Number::Exact(Exact::from_decimal(unscaled, scale)),
        Value::Null
        | Value::Text(_)
        | Value::Binary(_)
        | Value::Date(_)
        | Value::Timestamp { .. }
        | Value::IntervalMicros(_) => return Err(ConvertError::RestrictedConversion),
    })
}

impl Number<'_> {
    fn exact(&self) -> Result<Exact, ConvertError> {
        match self {
            Number::Int(v) => Ok(Exact::from_i128(*v)),
            Number::Float(x) => Exact::from_f64(*x),
            Number::Exact(e) => Ok(*e),
            Number::Text(s) => Exact::parse(s),
        }
    }

    fn integer_part(&self) -> Result<IntegerPart, ConvertError> {
        match self {
            Number::Int(v) => Ok(IntegerPart {
                value: *v,
                fraction: false,
                negative: *v < 0,
            }),
            Number::Float(x) => {
                const LIMIT: f64 = 1.7e38;
                if !x.is_finite() || x.abs() >= LIMIT {
                    return Err(ConvertError::NumericOverflow);
                }
                let t = x.trunc();
                Ok(IntegerPart {
                    value: t as i128,
                    fraction: t != *x,
                    negative: *x < 0.0,
                })
            }
            other => other.exact()?.integer_part(),
        }
    }

    fn to_f64(&self) -> Result<f64, ConvertError> {
        match self {
            Number::Int(v) => Ok(*v as f64),
            Number::Float(x) => Ok(*x),
            Number::Exact(e) => Ok(e.to_f64()),
            Number::Text(s) => parse_double(s),
        }
    }

    /// The scale a value naturally has (its own digits after the point).
    fn natural_scale(&self, exact: &Exact) -> i32 {
        match self {
            Number::Int(_) => 0,
            _ => exact.scale.clamp(0, MAX_DEFAULT_SCALE),
        }
    }
}

/// Writes `value` as the fixed-size numeric `target` into `out` (at least its size). Returns
/// whether fractional digits were dropped (01S07).
pub(crate) fn write(
    value: Value<'_>,
    target: CType,
    out: &mut [u8],
    numeric_spec: Option<(u8, i8)>,
) -> Result<bool, ConvertError> {
    let text = match value {
        Value::Text(bytes) => Some(text_of(bytes)),
        _ => None,
    };
    let n = number(value, text.as_deref())?;
    match target {
        CType::Float => {
            let x = n.to_f64()?;
            if x.is_finite() && x.abs() > f64::from(f32::MAX) {
                return Err(ConvertError::NumericOverflow);
            }
            put(out, &(x as f32).to_ne_bytes())?;
            Ok(false)
        }
        CType::Double => {
            put(out, &n.to_f64()?.to_ne_bytes())?;
            Ok(false)
        }
        CType::Numeric => write_numeric(&n, out, numeric_spec),
        CType::Bit => {
            let p = n.integer_part()?;
            if (p.negative && (p.value != 0 || p.fraction)) || !(0..=1).contains(&p.value) {
                return Err(ConvertError::NumericOverflow);
            }
            put(out, &[p.value as u8])?;
            Ok(p.fraction)
        }
        integer => {
            let p = n.integer_part()?;
            write_integer(p.value, integer, out)?;
            Ok(p.fraction)
        }
    }
}

fn put(out: &mut [u8], bytes: &[u8]) -> Result<(), ConvertError> {
    out.get_mut(..bytes.len())
        .ok_or(ConvertError::InvalidLength)?
        .copy_from_slice(bytes);
    Ok(())
}

fn write_integer(v: i128, target: CType, out: &mut [u8]) -> Result<(), ConvertError> {
    let overflow = |_| ConvertError::NumericOverflow;
    match target {
        CType::STinyInt => put(out, &i8::try_from(v).map_err(overflow)?.to_ne_bytes()),
        CType::UTinyInt => put(out, &u8::try_from(v).map_err(overflow)?.to_ne_bytes()),
        CType::SShort => put(out, &i16::try_from(v).map_err(overflow)?.to_ne_bytes()),
        CType::UShort => put(out, &u16::try_from(v).map_err(overflow)?.to_ne_bytes()),
        CType::SLong => put(out, &i32::try_from(v).map_err(overflow)?.to_ne_bytes()),
        CType::ULong => put(out, &u32::try_from(v).map_err(overflow)?.to_ne_bytes()),
        CType::SBigInt => put(out, &i64::try_from(v).map_err(overflow)?.to_ne_bytes()),
        CType::UBigInt => put(out, &u64::try_from(v).map_err(overflow)?.to_ne_bytes()),
        _ => Err(ConvertError::RestrictedConversion),
    }
}

/// `SQL_NUMERIC_STRUCT` at the requested precision and scale (descriptor values), or at
/// precision 38 and the value's own scale (0..=38) when none is given. A precision of 0 means
/// "not set" and is treated as 38.
fn write_numeric(
    n: &Number<'_>,
    out: &mut [u8],
    numeric_spec: Option<(u8, i8)>,
) -> Result<bool, ConvertError> {
    let exact = n.exact()?;
    let (precision, scale) = match numeric_spec {
        Some((p, s)) => (if p == 0 { DEFAULT_NUMERIC_PRECISION } else { p }, s),
        None => {
            // natural_scale is within 0..=38, so it fits in i8.
            let s = n.natural_scale(&exact) as i8;
            (DEFAULT_NUMERIC_PRECISION, s)
        }
    };
    let (magnitude, lost) = exact.rescale(i32::from(scale))?;
    if magnitude != 0 && digit_count(magnitude) > u32::from(precision) {
        return Err(ConvertError::NumericOverflow);
    }
    layout::put_numeric(
        out,
        NumericStruct {
            precision,
            scale,
            positive: !exact.negative || magnitude == 0,
            magnitude,
        },
    )?;
    Ok(lost)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn conv(value: Value<'_>, target: CType) -> Result<(Vec<u8>, bool), ConvertError> {
        let mut out = vec![0u8; target.fixed_size().unwrap()];
        let frac = write(value, target, &mut out, None)?;
        Ok((out, frac))
    }

    fn i64_of(value: Value<'_>) -> Result<(i64, bool), ConvertError> {
        let (b, f) = conv(value, CType::SBigInt)?;
        Ok((i64::from_ne_bytes(b.try_into().unwrap()), f))
    }

    fn numeric(
        value: Value<'_>,
        spec: Option<(u8, i8)>,
    ) -> Result<(NumericStruct, bool), ConvertError> {
        let mut out = [0u8; 19];
        let lost = write(value, CType::Numeric, &mut out, spec)?;
        Ok((layout::get_numeric(&out).unwrap(), lost))
    }

    #[test]
    fn integers_with_range_checks() {
        assert_eq!(
            conv(Value::I64(-128), CType::STinyInt).unwrap().0,
            vec![0x80]
        );
        assert_eq!(
            conv(Value::I64(-129), CType::STinyInt),
            Err(ConvertError::NumericOverflow)
        );
        assert_eq!(conv(Value::I32(255), CType::UTinyInt).unwrap().0, vec![255]);
        assert_eq!(
            conv(Value::I32(-1), CType::UTinyInt),
            Err(ConvertError::NumericOverflow)
        );
        assert_eq!(
            conv(Value::I64(70_000), CType::SShort),
            Err(ConvertError::NumericOverflow)
        );
        assert_eq!(
            conv(Value::I64(65_535), CType::UShort).unwrap().0,
            65_535u16.to_ne_bytes().to_vec()
        );
        assert_eq!(
            conv(Value::I64(i64::from(i32::MIN)), CType::SLong)
                .unwrap()
                .0,
            i32::MIN.to_ne_bytes().to_vec()
        );
        assert_eq!(
            conv(Value::I64(1 << 32), CType::ULong),
            Err(ConvertError::NumericOverflow)
        );
        assert_eq!(
            conv(Value::I64(-1), CType::UBigInt),
            Err(ConvertError::NumericOverflow)
        );
        assert_eq!(i64_of(Value::I64(i64::MIN)), Ok((i64::MIN, false)));
        assert_eq!(i64_of(Value::Bool(true)), Ok((1, false)));
    }

    #[test]
    fn fractional_truncation() {
        assert_eq!(i64_of(Value::F64(-2.7)), Ok((-2, true)));
        assert_eq!(i64_of(Value::F64(2.0)), Ok((2, false)));
        assert_eq!(
            i64_of(Value::Decimal {
                unscaled: 12345,
                scale: 2
            }),
            Ok((123, true))
        );
        assert_eq!(
            i64_of(Value::Decimal {
                unscaled: 12300,
                scale: 2
            }),
            Ok((123, false))
        );
        // -0.5 to unsigned: 0 with 01S07.
        let (b, f) = conv(Value::F64(-0.5), CType::UTinyInt).unwrap();
        assert_eq!((b, f), (vec![0], true));
        assert_eq!(
            i64_of(Value::F64(f64::NAN)),
            Err(ConvertError::NumericOverflow)
        );
        assert_eq!(i64_of(Value::F64(1e19)), Err(ConvertError::NumericOverflow));
        assert_eq!(
            i64_of(Value::Decimal {
                unscaled: 10i128.pow(38) - 1,
                scale: 0
            }),
            Err(ConvertError::NumericOverflow)
        );
    }

    #[test]
    fn text_to_numbers() {
        assert_eq!(i64_of(Value::Text(b" 42 ")), Ok((42, false)));
        assert_eq!(i64_of(Value::Text(b"-4.5")), Ok((-4, true)));
        assert_eq!(i64_of(Value::Text(b"1e3")), Ok((1000, false)));
        assert_eq!(
            i64_of(Value::Text(b"forty")),
            Err(ConvertError::InvalidCharacterValue)
        );
        assert_eq!(
            i64_of(Value::Text(b"99999999999999999999")),
            Err(ConvertError::NumericOverflow)
        );
        let (b, _) = conv(Value::Text(b"2.5"), CType::Double).unwrap();
        assert_eq!(f64::from_ne_bytes(b.try_into().unwrap()), 2.5);
        let (b, _) = conv(Value::Text(b"-inf"), CType::Double).unwrap();
        assert_eq!(f64::from_ne_bytes(b.try_into().unwrap()), f64::NEG_INFINITY);
        assert_eq!(
            conv(Value::Text(b"1e999"), CType::Double),
            Err(ConvertError::NumericOverflow)
        );
        assert_eq!(
            conv(Value::Text(b"x"), CType::Float),
            Err(ConvertError::InvalidCharacterValue)
        );
    }

    #[test]
    fn bits() {
        for (value, expected) in [
            (Value::I64(0), Ok((vec![0], false))),
            (Value::I64(1), Ok((vec![1], false))),
            (Value::Bool(true), Ok((vec![1], false))),
            (Value::F64(1.5), Ok((vec![1], true))),
            (Value::F64(0.25), Ok((vec![0], true))),
            (Value::Text(b"1"), Ok((vec![1], false))),
            (Value::I64(2), Err(ConvertError::NumericOverflow)),
            (Value::F64(2.0), Err(ConvertError::NumericOverflow)),
            (Value::I64(-1), Err(ConvertError::NumericOverflow)),
            (Value::F64(-0.5), Err(ConvertError::NumericOverflow)),
            (
                Value::Text(b"true"),
                Err(ConvertError::InvalidCharacterValue),
            ),
        ] {
            assert_eq!(conv(value, CType::Bit), expected, "{value:?}");
        }
    }

    #[test]
    fn floats_and_doubles() {
        let f = |v| f32::from_ne_bytes(conv(v, CType::Float).unwrap().0.try_into().unwrap());
        let d = |v| f64::from_ne_bytes(conv(v, CType::Double).unwrap().0.try_into().unwrap());
        assert_eq!(f(Value::F64(1.5)), 1.5f32);
        assert_eq!(f(Value::I64(3)), 3.0f32);
        assert_eq!(
            conv(Value::F64(1e39), CType::Float),
            Err(ConvertError::NumericOverflow)
        );
        assert!(f(Value::F64(f64::NAN)).is_nan());
        assert_eq!(d(Value::I64(i64::MAX)), 9.223372036854776e18);
        assert_eq!(
            d(Value::Decimal {
                unscaled: 12345,
                scale: 2
            }),
            123.45
        );
        assert_eq!(
            d(Value::Decimal {
                unscaled: -(10i128.pow(38) - 1),
                scale: 38
            }),
            -1.0
        );
        assert_eq!(d(Value::Bool(false)), 0.0);
    }

    #[test]
    fn restricted_sources() {
        for v in [
            Value::Date(0),
            Value::Timestamp {
                micros: 0,
                zone: None,
            },
            Value::IntervalMicros(1),
            Value::Binary(b"1"),
        ] {
            for t in [CType::SLong, CType::Double, CType::Numeric, CType::Bit] {
                assert_eq!(conv(v, t), Err(ConvertError::RestrictedConversion));
            }
        }
    }

    #[test]
    fn numeric_struct() {
        let (n, lost) = numeric(
            Value::Decimal {
                unscaled: -12345,
                scale: 2,
            },
            None,
        )
        .unwrap();
        assert_eq!(
            (n.precision, n.scale, n.positive, n.magnitude, lost),
            (38, 2, false, 12345, false)
        );
        let (n, lost) = numeric(
            Value::Decimal {
                unscaled: 12345,
                scale: 2,
            },
            Some((10, 1)),
        )
        .unwrap();
        assert_eq!(
            (n.precision, n.scale, n.magnitude, lost),
            (10, 1, 1234, true)
        );
        let (n, _) = numeric(Value::I64(7), Some((5, 3))).unwrap();
        assert_eq!((n.scale, n.magnitude), (3, 7000));
        assert_eq!(
            numeric(Value::I64(123_456), Some((5, 0))),
            Err(ConvertError::NumericOverflow)
        );
        let (n, _) = numeric(Value::F64(0.1), None).unwrap();
        assert_eq!((n.scale, n.magnitude), (1, 1));
        let (n, _) = numeric(Value::Text(b"-0.001"), Some((38, 2))).unwrap();
        // Truncated to zero: positive sign.
        assert_eq!((n.positive, n.magnitude), (true, 0));
        let (n, _) = numeric(Value::I64(12_300), Some((38, -2))).unwrap();
        assert_eq!((n.scale, n.magnitude), (-2, 123));
        let (n, _) = numeric(Value::I64(5), Some((0, 0))).unwrap();
        assert_eq!(n.precision, 38);
    }

    #[test]
    fn numeric_extremes() {
        let max = 10i128.pow(38) - 1;
        for scale in [0, 10, 38] {
            let (n, lost) = numeric(
                Value::Decimal {
                    unscaled: -max,
                    scale,
                },
                None,
            )
            .unwrap();
            assert_eq!(
                (n.scale as i32, n.magnitude, n.positive, lost),
                (scale, max as u128, false, false)
            );
        }
        assert_eq!(
            numeric(
                Value::Decimal {
                    unscaled: max,
                    scale: 0
                },
                Some((38, 1))
            ),
            Err(ConvertError::NumericOverflow)
        );
        assert_eq!(
            numeric(Value::F64(f64::INFINITY), None),
            Err(ConvertError::NumericOverflow)
        );
    }
}
