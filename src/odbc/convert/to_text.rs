//! Conversions to `SQL_C_CHAR` (UTF-8) and `SQL_C_WCHAR` (UTF-16LE), piece by piece.
//!
//! Rules shared by both targets:
//! - the output is NUL-terminated when the buffer has room for the terminator; the data
//!   written is the largest run of whole characters that fits (a UTF-8 sequence or a UTF-16
//!   surrogate pair is never split);
//! - `indicator` is the byte length of everything from `offset` on (terminator excluded), so
//!   truncation (01004) is visible as `indicator > buffer - terminator`;
//! - a buffer too small for even the terminator writes nothing and reports the length
//!   (the usual "how long is it?" probe), without consuming anything;
//! - for numbers, dates, times and intervals the leading mandatory part (whole digits, the
//!   date, the time through the seconds) must fit in the first piece, or the conversion fails
//!   with 22003, as the ODBC "SQL to C" tables say; only the rest may be truncated;
//! - binary data becomes upper-case hex, two characters per byte;
//! - text that is not valid UTF-8 has each bad sequence replaced by U+FFFD.

use std::borrow::Cow;

use super::scratch::Scratch;
use super::{ConvertError, OFFSET_DONE, Written, render};
use crate::wire::Value;

/// Which character encoding the application buffer uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Encoding {
    /// `SQL_C_CHAR`: UTF-8, 1-byte terminator.
    Utf8,
    /// `SQL_C_WCHAR`: UTF-16LE, 2-byte terminator.
    Utf16,
}

impl Encoding {
    fn unit(self) -> usize {
        match self {
            Encoding::Utf8 => 1,
            Encoding::Utf16 => 2,
        }
    }
}

/// Writes `value` as text in `encoding` (see the module doc).
pub(crate) fn write(
    value: Value<'_>,
    encoding: Encoding,
    out: &mut [u8],
    offset: &mut usize,
) -> Result<Written, ConvertError> {
    let mut scratch = Scratch::new();
    let mandatory = match value {
        Value::Text(bytes) => {
            let text = String::from_utf8_lossy(bytes);
            return put_text(&text, 0, encoding, out, offset);
        }
        Value::Binary(bytes) => return put_hex(bytes, encoding, out, offset),
        Value::Null => return Ok(Written::NULL),
        Value::Bool(b) => {
            scratch.push_str(if b { "1" } else { "0" });
            1
        }
        Value::I32(v) => render::integer(&mut scratch, i64::from(v)),
        Value::I64(v) => render::integer(&mut scratch, v),
        Value::F64(x) => render::double(&mut scratch, x),
        Value::Decimal { unscaled, scale } => render::decimal(&mut scratch, unscaled, scale)?,
        Value::Date(micros) => render::date(&mut scratch, micros),
        Value::Timestamp { micros, zone } => render::timestamp(&mut scratch, micros, zone)?,
        Value::IntervalMicros(micros) => render::interval(&mut scratch, micros),
    };
    put_text(scratch.as_str(), mandatory, encoding, out, offset)
}

/// Reports the remaining length without writing (buffer too small for a terminator).
fn probe(remaining: usize) -> Written {
    Written {
        indicator: remaining as isize,
        truncated: remaining > 0,
        fractional_truncation: false,
    }
}

/// Records how far the value has been returned and builds the result.
fn finish(offset: &mut usize, start: usize, written: usize, total: usize) -> Written {
    let end = start + written;
    let done = end >= total;
    *offset = if done { OFFSET_DONE } else { end };
    Written {
        indicator: (total - start) as isize,
        truncated: !done,
        fractional_truncation: false,
    }
}

/// The byte length of `s` in `encoding`.
fn encoded_len(s: &str, encoding: Encoding) -> usize {
    match encoding {
        Encoding::Utf8 => s.len(),
        Encoding::Utf16 if s.is_ascii() => s.len() * 2,
        Encoding::Utf16 => s.encode_utf16().count() * 2,
    }
}

/// Writes the part of `s` from `offset` (bytes in `encoding`) on.
fn put_text(
    s: &str,
    mandatory_chars: usize,
    encoding: Encoding,
    out: &mut [u8],
    offset: &mut usize,
) -> Result<Written, ConvertError> {
    let unit = encoding.unit();
    let total = encoded_len(s, encoding);
    let start = *offset;
    if start > total || (start == total && start > 0) {
        return Err(ConvertError::NoMoreData);
    }
    let remaining = total - start;
    let Some(capacity) = (out.len() / unit).checked_sub(1) else {
        return Ok(probe(remaining));
    };
    // Rendered values are ASCII: characters and code units coincide.
    if start == 0 && capacity < mandatory_chars {
        return Err(ConvertError::NumericOverflow);
    }
    let written = match encoding {
        Encoding::Utf8 => put_utf8(s, start, capacity, out),
        Encoding::Utf16 => put_utf16(s, start, capacity, out),
    };
    Ok(finish(offset, start, written, total))
}

/// Copies whole UTF-8 characters of `s[start..]` (at most `capacity` bytes), then a NUL.
/// Returns the bytes copied.
fn put_utf8(s: &str, start: usize, capacity: usize, out: &mut [u8]) -> usize {
    let mut end = (start + capacity).min(s.len());
    while end > start && !s.is_char_boundary(end) {
        end -= 1;
    }
    let piece = s.as_bytes().get(start..end).unwrap_or(&[]);
    if let Some(slot) = out.get_mut(..piece.len()) {
        slot.copy_from_slice(piece);
    }
    if let Some(nul) = out.get_mut(piece.len()) {
        *nul = 0;
    }
    piece.len()
}

/// Writes whole UTF-16 characters of `s` starting at byte `start` of its UTF-16 form (at most
/// `capacity` code units), then a 2-byte NUL. Returns the bytes written.
fn put_utf16(s: &str, start: usize, capacity: usize, out: &mut [u8]) -> usize {
    let mut units = 0usize;
    if s.is_ascii() {
        let from = start / 2;
        let piece = s.as_bytes().get(from..).unwrap_or(&[]);
        let n = piece.len().min(capacity);
        for (pair, &b) in out.chunks_exact_mut(2).zip(piece.iter().take(n)) {
            pair.copy_from_slice(&u16::from(b).to_le_bytes());
        }
        units = n;
    } else {
        let mut position = 0usize;
        let mut buf = [0u16; 2];
        for c in s.chars() {
            let encoded = c.encode_utf16(&mut buf);
            let size = encoded.len() * 2;
            if position < start {
                position += size;
                continue;
            }
            if units + encoded.len() > capacity {
                break;
            }
            for &u in encoded.iter() {
                if let Some(pair) = out.get_mut(units * 2..units * 2 + 2) {
                    pair.copy_from_slice(&u.to_le_bytes());
                }
                units += 1;
            }
        }
    }
    if let Some(nul) = out.get_mut(units * 2..units * 2 + 2) {
        nul.fill(0);
    }
    units * 2
}

/// Upper-case hex of `bytes` from character `offset / unit` on.
fn put_hex(
    bytes: &[u8],
    encoding: Encoding,
    out: &mut [u8],
    offset: &mut usize,
) -> Result<Written, ConvertError> {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let unit = encoding.unit();
    let total = bytes.len() * 2 * unit;
    let start = *offset;
    if start > total || (start == total && start > 0) {
        return Err(ConvertError::NoMoreData);
    }
    let remaining = total - start;
    let Some(capacity) = (out.len() / unit).checked_sub(1) else {
        return Ok(probe(remaining));
    };
    let first = start / unit;
    let count = capacity.min(remaining / unit);
    for k in 0..count {
        let index = first + k;
        let byte = bytes.get(index / 2).copied().unwrap_or(0);
        let nibble = if index.is_multiple_of(2) {
            byte >> 4
        } else {
            byte & 0x0F
        };
        let digit = HEX.get(usize::from(nibble)).copied().unwrap_or(b'0');
        if let Some(slot) = out.get_mut(k * unit..(k + 1) * unit) {
            slot.fill(0);
            if let Some(first_byte) = slot.first_mut() {
                *first_byte = digit;
            }
        }
    }
    if let Some(nul) = out.get_mut(count * unit..(count + 1) * unit) {
        nul.fill(0);
    }
    Ok(finish(offset, start, count * unit, total))
}

/// The text of a `Value::Text`, borrowing when it is valid UTF-8.
pub(crate) fn text_of(bytes: &[u8]) -> Cow<'_, str> {
    String::from_utf8_lossy(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16(s: &str) -> Vec<u8> {
        s.encode_utf16().flat_map(u16::to_le_bytes).collect()
    }

    fn get(value: Value<'_>, enc: Encoding, len: usize) -> (Vec<u8>, Written) {
        let mut out = vec![0xEEu8; len];
        let mut offset = 0;
        let w = write(value, enc, &mut out, &mut offset).unwrap();
        (out, w)
    }

    #[test]
    fn char_whole_value() {
        let (out, w) = get(Value::Text(b"hello"), Encoding::Utf8, 10);
        assert_eq!(&out[..6], b"hello\0");
        assert_eq!((w.indicator, w.truncated), (5, false));
        let (out, w) = get(Value::I64(-42), Encoding::Utf8, 4);
        assert_eq!(&out, b"-42\0");
        assert_eq!(w.indicator, 3);
        let (out, _) = get(Value::Bool(true), Encoding::Utf8, 2);
        assert_eq!(&out, b"1\0");
        let (out, w) = get(Value::Text(b""), Encoding::Utf8, 1);
        assert_eq!(&out, b"\0");
        assert_eq!((w.indicator, w.truncated), (0, false));
    }

    #[test]
    fn char_in_pieces() {
        let value = Value::Text(b"abcdefghij");
        let mut offset = 0;
        let mut out = [0u8; 4];
        let w = write(value, Encoding::Utf8, &mut out, &mut offset).unwrap();
        assert_eq!((&out, w.indicator, w.truncated), (b"abc\0", 10, true));
        let w = write(value, Encoding::Utf8, &mut out, &mut offset).unwrap();
        assert_eq!((&out, w.indicator, w.truncated), (b"def\0", 7, true));
        let w = write(value, Encoding::Utf8, &mut out, &mut offset).unwrap();
        assert_eq!((&out, w.indicator, w.truncated), (b"ghi\0", 4, true));
        let w = write(value, Encoding::Utf8, &mut out, &mut offset).unwrap();
        assert_eq!(
            (&out[..2], w.indicator, w.truncated),
            (&b"j\0"[..], 1, false)
        );
        assert_eq!(
            write(value, Encoding::Utf8, &mut out, &mut offset),
            Err(ConvertError::NoMoreData)
        );
    }

    #[test]
    fn char_never_splits_utf8() {
        // "é" is 2 bytes, "😀" 4 bytes.
        let s = "aé😀b";
        let value = Value::Text(s.as_bytes());
        let mut offset = 0;
        let mut out = [0u8; 4];
        let w = write(value, Encoding::Utf8, &mut out, &mut offset).unwrap();
        assert_eq!(&out[..4], "aé\0".as_bytes());
        assert_eq!((w.indicator, w.truncated), (8, true));
        let mut out = [0u8; 5];
        let w = write(value, Encoding::Utf8, &mut out, &mut offset).unwrap();
        assert_eq!(&out[..5], "😀\0".as_bytes());
        assert_eq!((w.indicator, w.truncated), (5, true));
        let w = write(value, Encoding::Utf8, &mut out, &mut offset).unwrap();
        assert_eq!(&out[..2], b"b\0");
        assert_eq!((w.indicator, w.truncated), (1, false));
    }

    #[test]
    fn empty_buffer_probes() {
        let value = Value::Text(b"hello");
        let mut offset = 0;
        let w = write(value, Encoding::Utf8, &mut [], &mut offset).unwrap();
        assert_eq!((w.indicator, w.truncated, offset), (5, true, 0));
        let w = write(Value::Text(b""), Encoding::Utf8, &mut [], &mut offset).unwrap();
        assert_eq!((w.indicator, w.truncated), (0, false));
        let mut one = [0u8; 1];
        let w = write(value, Encoding::Utf16, &mut one, &mut offset).unwrap();
        assert_eq!((w.indicator, w.truncated, offset), (10, true, 0));
        // A number probe does not fail with 22003.
        let w = write(Value::I64(12345), Encoding::Utf8, &mut [], &mut offset).unwrap();
        assert_eq!((w.indicator, w.truncated), (5, true));
    }

    #[test]
    fn number_whole_digits_must_fit() {
        let mut offset = 0;
        let mut out = [0u8; 3];
        assert_eq!(
            write(Value::I64(12345), Encoding::Utf8, &mut out, &mut offset),
            Err(ConvertError::NumericOverflow)
        );
        // Fraction digits may be truncated: 01004.
        let mut out = [0u8; 6];
        let v = Value::Decimal {
            unscaled: 12345678,
            scale: 4,
        };
        let w = write(v, Encoding::Utf8, &mut out, &mut offset).unwrap();
        assert_eq!(&out, b"1234.\0");
        assert_eq!((w.indicator, w.truncated), (9, true));
        let mut out = [0u8; 4];
        let mut offset = 0;
        assert_eq!(
            write(v, Encoding::Utf8, &mut out, &mut offset),
            Err(ConvertError::NumericOverflow)
        );
        let mut out = [0u8; 5];
        let mut offset = 0;
        let w = write(v, Encoding::Utf8, &mut out, &mut offset).unwrap();
        assert_eq!(&out, b"1234\0");
        assert!(w.truncated);
        // Dates must fit whole; timestamps through the seconds.
        let mut out = [0u8; 10];
        let mut offset = 0;
        assert_eq!(
            write(Value::Date(0), Encoding::Utf8, &mut out, &mut offset),
            Err(ConvertError::NumericOverflow)
        );
        let mut out = [0u8; 21];
        let ts = Value::Timestamp {
            micros: 1_500_000,
            zone: None,
        };
        let w = write(ts, Encoding::Utf8, &mut out, &mut offset).unwrap();
        assert_eq!(&out[..21], b"1970-01-01 00:00:01.\0");
        assert!(w.truncated);
        assert_eq!(w.indicator, 26);
    }

    #[test]
    fn wchar_whole_and_pieces() {
        let (out, w) = get(Value::Text("héllo".as_bytes()), Encoding::Utf16, 12);
        assert_eq!(&out, &[utf16("héllo"), vec![0, 0]].concat()[..]);
        assert_eq!((w.indicator, w.truncated), (10, false));
        let (out, w) = get(Value::F64(1.5), Encoding::Utf16, 8);
        assert_eq!(&out, &[utf16("1.5"), vec![0, 0]].concat()[..]);
        assert_eq!(w.indicator, 6);
        // Odd length: the last byte is unusable.
        let value = Value::Text(b"abcdef");
        let mut offset = 0;
        let mut out = [0xEEu8; 7];
        let w = write(value, Encoding::Utf16, &mut out, &mut offset).unwrap();
        assert_eq!(&out[..6], &[utf16("ab"), vec![0, 0]].concat()[..]);
        assert_eq!((w.indicator, w.truncated, offset), (12, true, 4));
        let w = write(value, Encoding::Utf16, &mut out, &mut offset).unwrap();
        assert_eq!(&out[..6], &[utf16("cd"), vec![0, 0]].concat()[..]);
        assert_eq!(w.indicator, 8);
        let w = write(value, Encoding::Utf16, &mut out, &mut offset).unwrap();
        assert_eq!(&out[..6], &[utf16("ef"), vec![0, 0]].concat()[..]);
        assert_eq!((w.indicator, w.truncated), (4, false));
        assert_eq!(
            write(value, Encoding::Utf16, &mut out, &mut offset),
            Err(ConvertError::NoMoreData)
        );
    }

    #[test]
    fn wchar_never_splits_surrogates() {
        // "a😀b": a (1 unit), 😀 (2 units), b (1 unit) = 8 bytes.
        let s = "a😀b";
        let value = Value::Text(s.as_bytes());
        let mut offset = 0;
        let mut out = [0u8; 6]; // room for 2 units + NUL
        let w = write(value, Encoding::Utf16, &mut out, &mut offset).unwrap();
        assert_eq!(&out[..4], &[utf16("a"), vec![0, 0]].concat()[..]);
        assert_eq!((w.indicator, w.truncated, offset), (8, true, 2));
        let w = write(value, Encoding::Utf16, &mut out, &mut offset).unwrap();
        assert_eq!(&out[..6], &[utf16("😀"), vec![0, 0]].concat()[..]);
        assert_eq!((w.indicator, w.truncated, offset), (6, true, 6));
        let w = write(value, Encoding::Utf16, &mut out, &mut offset).unwrap();
        assert_eq!(&out[..4], &[utf16("b"), vec![0, 0]].concat()[..]);
        assert_eq!((w.indicator, w.truncated), (2, false));
    }

    #[test]
    fn invalid_utf8_is_replaced() {
        let (out, w) = get(Value::Text(b"a\xFFb"), Encoding::Utf8, 8);
        assert_eq!(&out[..6], "a\u{FFFD}b\0".as_bytes());
        assert_eq!(w.indicator, 5);
        let (out, w) = get(Value::Text(b"a\xFFb"), Encoding::Utf16, 8);
        assert_eq!(&out, &[utf16("a\u{FFFD}b"), vec![0, 0]].concat()[..]);
        assert_eq!(w.indicator, 6);
    }

    #[test]
    fn nul_inside_text_is_data() {
        let (out, w) = get(Value::Text(b"a\0b"), Encoding::Utf8, 8);
        assert_eq!(&out[..4], b"a\0b\0");
        assert_eq!(w.indicator, 3);
    }

    #[test]
    fn binary_as_hex() {
        let (out, w) = get(Value::Binary(&[0x00, 0xAB, 0xFF]), Encoding::Utf8, 7);
        assert_eq!(&out, b"00ABFF\0");
        assert_eq!((w.indicator, w.truncated), (6, false));
        let value = Value::Binary(&[0x12, 0x34]);
        let mut offset = 0;
        let mut out = [0u8; 4];
        let w = write(value, Encoding::Utf8, &mut out, &mut offset).unwrap();
        assert_eq!((&out, w.indicator, w.truncated), (b"123\0", 4, true));
        let w = write(value, Encoding::Utf8, &mut out, &mut offset).unwrap();
        assert_eq!(
            (&out[..2], w.indicator, w.truncated),
            (&b"4\0"[..], 1, false)
        );
        let (out, w) = get(Value::Binary(&[0xC3]), Encoding::Utf16, 6);
        assert_eq!(&out, &[utf16("C3"), vec![0, 0]].concat()[..]);
        assert_eq!(w.indicator, 4);
        let (_, w) = get(Value::Binary(&[]), Encoding::Utf16, 2);
        assert_eq!((w.indicator, w.truncated), (0, false));
    }

    #[test]
    fn text_of_borrows_valid_utf8() {
        assert!(matches!(text_of(b"ok"), Cow::Borrowed("ok")));
    }
}
