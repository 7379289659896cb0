//! Conversion to `SQL_C_BINARY`.
//!
//! BINARY and text values are returned as their raw bytes (text as UTF-8), piece by piece
//! like character data but without a terminator. Every other value is returned as the bytes
//! of its default C type (BIGINT as 8 native bytes, DATE as `SQL_DATE_STRUCT`, DATETIME and
//! TIMESTAMP_TZ as `SQL_TIMESTAMP_STRUCT` in local wall time, intervals as
//! `SQL_INTERVAL_STRUCT`, DECIMAL128 as its plain text, whose default C type is
//! `SQL_C_CHAR`); those must fit whole, else 22003, as the ODBC tables say.

use super::ctype::{CType, INTERVAL_STRUCT_SIZE};
use super::scratch::Scratch;
use super::{ConvertError, OFFSET_DONE, Written, render, to_datetime};
use crate::wire::Value;

/// Writes `value` as binary data (see the module doc).
pub(crate) fn write(
    value: Value<'_>,
    out: &mut [u8],
    offset: &mut usize,
) -> Result<Written, ConvertError> {
    let mut fixed = [0u8; INTERVAL_STRUCT_SIZE];
    let mut scratch = Scratch::new();
    let bytes: &[u8] = match value {
        Value::Null => return Ok(Written::NULL),
        Value::Text(bytes) | Value::Binary(bytes) => return put_stream(bytes, out, offset),
        Value::Bool(b) => prefix(&mut fixed, &[u8::from(b)]),
        Value::I32(v) => prefix(&mut fixed, &v.to_ne_bytes()),
        Value::I64(v) => prefix(&mut fixed, &v.to_ne_bytes()),
        Value::F64(x) => prefix(&mut fixed, &x.to_ne_bytes()),
        Value::Decimal { unscaled, scale } => {
            render::decimal(&mut scratch, unscaled, scale)?;
            scratch.as_bytes()
        }
        Value::Date(_) => struct_bytes(value, CType::TypeDate, &mut fixed)?,
        Value::Timestamp { .. } => struct_bytes(value, CType::TypeTimestamp, &mut fixed)?,
        Value::IntervalMicros(_) => struct_bytes(value, CType::IntervalDaySecond, &mut fixed)?,
    };
    put_whole(bytes, out, offset)
}

/// Copies `bytes` to the start of `buf` and returns that part.
fn prefix<'b>(buf: &'b mut [u8; INTERVAL_STRUCT_SIZE], bytes: &[u8]) -> &'b [u8] {
    let n = bytes.len().min(buf.len());
    if let (Some(dst), Some(src)) = (buf.get_mut(..n), bytes.get(..n)) {
        dst.copy_from_slice(src);
    }
    buf.get(..n).unwrap_or(&[])
}

/// The structure `target` for `value`, written into `buf`.
fn struct_bytes<'b>(
    value: Value<'_>,
    target: CType,
    buf: &'b mut [u8; INTERVAL_STRUCT_SIZE],
) -> Result<&'b [u8], ConvertError> {
    to_datetime::write(value, target, buf)?;
    let size = target.fixed_size().unwrap_or(0);
    Ok(buf.get(..size).unwrap_or(&[]))
}

/// A value that must be returned in one piece.
fn put_whole(bytes: &[u8], out: &mut [u8], offset: &mut usize) -> Result<Written, ConvertError> {
    if *offset != 0 {
        return Err(ConvertError::NoMoreData);
    }
    let written = Written {
        indicator: bytes.len() as isize,
        truncated: false,
        fractional_truncation: false,
    };
    if out.is_empty() {
        return Ok(Written {
            truncated: true,
            ..written
        });
    }
    out.get_mut(..bytes.len())
        .ok_or(ConvertError::NumericOverflow)?
        .copy_from_slice(bytes);
    *offset = OFFSET_DONE;
    Ok(written)
}

/// Raw bytes from `offset` on, as many as fit.
fn put_stream(bytes: &[u8], out: &mut [u8], offset: &mut usize) -> Result<Written, ConvertError> {
    let start = *offset;
    let rest = match bytes.get(start..) {
        Some(rest) if start == 0 || !rest.is_empty() => rest,
        _ => return Err(ConvertError::NoMoreData),
    };
    let remaining = rest.len();
    if out.is_empty() {
        return Ok(Written {
            indicator: remaining as isize,
            truncated: remaining > 0,
            fractional_truncation: false,
        });
    }
    let n = remaining.min(out.len());
    if let (Some(slot), Some(piece)) = (out.get_mut(..n), rest.get(..n)) {
        slot.copy_from_slice(piece);
    }
    let done = n == remaining;
    *offset = if done { OFFSET_DONE } else { start + n };
    Ok(Written {
        indicator: remaining as isize,
        truncated: !done,
        fractional_truncation: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn binary_in_pieces() {
        let value = Value::Binary(&[1, 2, 3, 4, 5]);
        let mut offset = 0;
        let mut out = [0u8; 2];
        let w = write(value, &mut out, &mut offset).unwrap();
        assert_eq!((out, w.indicator, w.truncated), ([1, 2], 5, true));
        let w = write(value, &mut out, &mut offset).unwrap();
        assert_eq!((out, w.indicator, w.truncated), ([3, 4], 3, true));
        let w = write(value, &mut out, &mut offset).unwrap();
        assert_eq!((out[0], w.indicator, w.truncated), (5, 1, false));
        assert_eq!(
            write(value, &mut out, &mut offset),
            Err(ConvertError::NoMoreData)
        );
    }

    #[test]
    fn text_as_utf8_bytes() {
        let mut out = [0u8; 8];
        let mut offset = 0;
        let w = write(Value::Text("é".as_bytes()), &mut out, &mut offset).unwrap();
        assert_eq!(&out[..2], "é".as_bytes());
        assert_eq!((w.indicator, w.truncated), (2, false));
        let mut offset = 0;
        let w = write(Value::Binary(&[]), &mut out, &mut offset).unwrap();
        assert_eq!((w.indicator, w.truncated, offset), (0, false, OFFSET_DONE));
    }

    #[test]
    fn fixed_values() {
        let mut out = [0u8; 16];
        let mut offset = 0;
        let w = write(Value::I64(-2), &mut out, &mut offset).unwrap();
        assert_eq!(&out[..8], &(-2i64).to_ne_bytes());
        assert_eq!(w.indicator, 8);
        let mut offset = 0;
        let w = write(Value::Date(0), &mut out, &mut offset).unwrap();
        assert_eq!(w.indicator, 6);
        assert_eq!(&out[..2], &1970i16.to_ne_bytes());
        let mut offset = 0;
        let w = write(
            Value::Decimal {
                unscaled: -5,
                scale: 2,
            },
            &mut out,
            &mut offset,
        )
        .unwrap();
        assert_eq!(&out[..5], b"-0.05");
        assert_eq!(w.indicator, 5);
        let mut small = [0u8; 4];
        let mut offset = 0;
        assert_eq!(
            write(Value::F64(1.0), &mut small, &mut offset),
            Err(ConvertError::NumericOverflow)
        );
        let w = write(Value::F64(1.0), &mut [], &mut offset).unwrap();
        assert_eq!((w.indicator, w.truncated), (8, true));
        let mut big = [0u8; 28];
        let mut offset = 0;
        let w = write(Value::IntervalMicros(1), &mut big, &mut offset).unwrap();
        assert_eq!(w.indicator, 28);
        assert_eq!(
            write(Value::IntervalMicros(1), &mut big, &mut offset),
            Err(ConvertError::NoMoreData)
        );
    }
}
