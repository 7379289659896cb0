//! THE audited place that writes into application memory (besides the data conversions, which
//! receive slices built in `stmt::fetch` and `stmt::getdata`).
//!
//! - Strings: [`write_str`] in the entry point's encoding, buffer and length counted in
//!   characters or bytes as each function's spec says ([`Unit`]), always NUL-terminated when
//!   there is room, never splitting a character, always reporting the full length, and posting
//!   01004 on truncation.
//! - Scalars: [`write_if_some`] (null pointers are skipped; unaligned pointers are tolerated).

use std::ffi::c_void;

use super::diag::{Diags, OdbcError};
use super::text::Encoding;

/// How a function counts its buffer and string lengths.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// Characters (code units) of the encoding: SQLGetDiagRecW, SQLDescribeColW,
    /// SQLDriverConnectW.
    Chars,
    /// Bytes: SQLGetInfoW, SQLColAttributeW, SQLGetConnectAttrW, SQLGetDiagFieldW, ...
    Bytes,
}

/// An output length slot: `SQLSMALLINT`, `SQLINTEGER` or `SQLLEN`. Values saturate.
pub trait LenOut: Copy {
    /// Converts a length, saturating at the type's maximum.
    fn from_len(n: usize) -> Self;
}

impl LenOut for i16 {
    fn from_len(n: usize) -> Self {
        i16::try_from(n).unwrap_or(i16::MAX)
    }
}

impl LenOut for i32 {
    fn from_len(n: usize) -> Self {
        i32::try_from(n).unwrap_or(i32::MAX)
    }
}

impl LenOut for isize {
    fn from_len(n: usize) -> Self {
        isize::try_from(n).unwrap_or(isize::MAX)
    }
}

/// Writes `value` through `ptr` when `ptr` is not null.
///
/// # Safety
/// `ptr` is null or valid for a write of `T` (alignment not required).
pub unsafe fn write_if_some<T: Copy>(ptr: *mut T, value: T) {
    if !ptr.is_null() {
        // SAFETY: non-null and valid per the caller; unaligned writes are allowed.
        unsafe { ptr.write_unaligned(value) };
    }
}

/// Reads a `T` through `ptr` when it is not null.
///
/// # Safety
/// `ptr` is null or valid for a read of `T` (alignment not required).
pub unsafe fn read_if_some<T: Copy>(ptr: *const T) -> Option<T> {
    if ptr.is_null() {
        None
    } else {
        // SAFETY: non-null and valid per the caller.
        Some(unsafe { ptr.read_unaligned() })
    }
}

/// Writes `s` into the application buffer `buf` of `buf_len` (in `unit`s), stores the full
/// length (in `unit`s, excluding the terminator) in `len_ptr`, and posts 01004 when the text
/// did not fit. A null `buf` only reports the length.
///
/// # Safety
/// `buf` is null or valid for `buf_len` units/bytes of writes; `len_ptr` null or valid.
pub unsafe fn write_str<E: Encoding, L: LenOut>(
    s: &str,
    buf: *mut c_void,
    buf_len: isize,
    unit: Unit,
    len_ptr: *mut L,
    diags: &mut Diags,
) -> Result<(), OdbcError> {
    let cap_units = match usize::try_from(buf_len) {
        Ok(n) => match unit {
            Unit::Chars => n,
            Unit::Bytes => n / E::UNIT_BYTES,
        },
        Err(_) if buf.is_null() => 0,
        Err(_) => return Err(OdbcError::bad_length("BufferLength", buf_len)),
    };
    let units = E::encode(s);
    let total = match unit {
        Unit::Chars => units.len(),
        Unit::Bytes => units.len() * E::UNIT_BYTES,
    };
    // SAFETY: forwarded from the caller.
    unsafe { write_if_some(len_ptr, L::from_len(total)) };
    if buf.is_null() {
        return Ok(());
    }
    let out = buf.cast::<E::Unit>();
    if cap_units == 0 {
        if !units.is_empty() {
            diags.warn(truncated(units.len(), 0));
        }
        return Ok(());
    }
    let fit = E::boundary(&units, cap_units - 1);
    // SAFETY: `fit + 1 <= cap_units` units are writable per the caller.
    unsafe {
        std::ptr::copy_nonoverlapping(units.as_ptr(), out, fit);
        out.add(fit).write_unaligned(E::Unit::default());
    }
    if fit < units.len() {
        diags.warn(truncated(units.len(), fit));
    }
    Ok(())
}

/// Writes a 5-character SQLSTATE plus NUL into a 6-unit buffer (SQLGetDiagRec).
///
/// # Safety
/// `buf` is null or valid for 6 units.
pub unsafe fn write_sqlstate<E: Encoding>(buf: *mut c_void, state: &str) {
    if buf.is_null() {
        return;
    }
    let mut units = E::encode(state);
    units.truncate(5);
    units.push(E::Unit::default());
    // SAFETY: at most 6 units, as the caller guarantees.
    unsafe { std::ptr::copy_nonoverlapping(units.as_ptr(), buf.cast::<E::Unit>(), units.len()) };
}

/// The 01004 record for a string that did not fit.
pub fn truncated(total_units: usize, written_units: usize) -> OdbcError {
    OdbcError::new(
        "01004",
        format!(
            "string data, right truncated: {written_units} of {total_units} characters fit; \
             call again with a larger buffer"
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::odbc::text::{Narrow, Wide};

    #[test]
    fn narrow_fits_with_terminator() {
        let mut buf = [0xAAu8; 8];
        let mut len = 0i16;
        let mut d = Diags::new();
        unsafe {
            write_str::<Narrow, i16>(
                "abc",
                buf.as_mut_ptr().cast(),
                8,
                Unit::Chars,
                &mut len,
                &mut d,
            )
        }
        .unwrap();
        assert_eq!(&buf[..4], b"abc\0");
        assert_eq!(len, 3);
        assert!(!d.has_records());
    }

    #[test]
    fn narrow_truncation_keeps_whole_characters_and_reports_01004() {
        let mut buf = [0xAAu8; 4];
        let mut len = 0i32;
        let mut d = Diags::new();
        unsafe {
            write_str::<Narrow, i32>(
                "aé😀",
                buf.as_mut_ptr().cast(),
                4,
                Unit::Bytes,
                &mut len,
                &mut d,
            )
        }
        .unwrap();
        assert_eq!(&buf, b"a\xC3\xA9\0");
        assert_eq!(len, 7);
        assert_eq!(d.records()[0].sqlstate, "01004");
    }

    #[test]
    fn wide_bytes_and_chars() {
        let mut buf = [0xAAAAu16; 4];
        let mut len = 0i16;
        let mut d = Diags::new();
        // 8 bytes = 4 units: 3 units + NUL; "a😀b" is 4 units: the pair must not be split.
        unsafe {
            write_str::<Wide, i16>(
                "a😀b",
                buf.as_mut_ptr().cast(),
                8,
                Unit::Bytes,
                &mut len,
                &mut d,
            )
        }
        .unwrap();
        assert_eq!(len, 8);
        let expect: Vec<u16> = "a😀".encode_utf16().collect();
        assert_eq!(&buf[..3], &expect[..]);
        assert_eq!(buf[3], 0);
        assert_eq!(d.records().len(), 1);

        let mut d = Diags::new();
        let mut buf = [0xAAAAu16; 4];
        unsafe {
            write_str::<Wide, i16>(
                "a😀b",
                buf.as_mut_ptr().cast(),
                3,
                Unit::Chars,
                &mut len,
                &mut d,
            )
        }
        .unwrap();
        assert_eq!(len, 4);
        assert_eq!(buf[0], u16::from(b'a'));
        assert_eq!(buf[1], 0, "the surrogate pair does not fit in 2 units");
    }

    #[test]
    fn null_buffer_reports_length_only_and_zero_buffer_warns() {
        let mut len = 0i16;
        let mut d = Diags::new();
        unsafe {
            write_str::<Narrow, i16>(
                "hello",
                std::ptr::null_mut(),
                0,
                Unit::Chars,
                &mut len,
                &mut d,
            )
        }
        .unwrap();
        assert_eq!(len, 5);
        assert!(!d.has_records());
        let mut buf = [7u8; 1];
        unsafe {
            write_str::<Narrow, i16>(
                "hello",
                buf.as_mut_ptr().cast(),
                0,
                Unit::Chars,
                &mut len,
                &mut d,
            )
        }
        .unwrap();
        assert_eq!(buf[0], 7, "nothing written into a zero-length buffer");
        assert_eq!(d.records()[0].sqlstate, "01004");
    }

    #[test]
    fn negative_buffer_length_is_hy090() {
        let mut buf = [0u8; 4];
        let mut d = Diags::new();
        let err = unsafe {
            write_str::<Narrow, i16>(
                "x",
                buf.as_mut_ptr().cast(),
                -1,
                Unit::Chars,
                std::ptr::null_mut(),
                &mut d,
            )
        }
        .unwrap_err();
        assert_eq!(err.sqlstate, "HY090");
    }

    #[test]
    fn lengths_saturate() {
        assert_eq!(i16::from_len(100_000), i16::MAX);
        assert_eq!(i32::from_len(7), 7);
    }

    #[test]
    fn scalars_tolerate_null_and_unaligned() {
        unsafe { write_if_some(std::ptr::null_mut::<u32>(), 5) };
        let mut raw = [0u8; 9];
        let p = unsafe { raw.as_mut_ptr().add(1) }.cast::<u64>();
        unsafe { write_if_some(p, 0x0102_0304_0506_0708u64) };
        assert_eq!(
            unsafe { read_if_some(p.cast_const()) },
            Some(0x0102_0304_0506_0708)
        );
    }
}
