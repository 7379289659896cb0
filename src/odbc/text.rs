//! Character strings crossing the API: the two encodings of the entry points and the ONE input
//! decoder every function uses (field notes trap 19).
//!
//! - [`Narrow`]: the ANSI functions (`SQLExecDirect`, ...) take and return UTF-8 bytes.
//! - [`Wide`]: the W functions take and return UTF-16 code units (`SQLWCHAR` is 2 bytes on
//!   unixODBC and Windows).
//!
//! Input lengths are either `SQL_NTS` (NUL-terminated) or an explicit count of units. An explicit
//! length that counts trailing NUL terminators is tolerated: trailing NULs are dropped.

use std::ffi::c_void;

use super::diag::OdbcError;
use super::ffi::SQL_NTS;

/// The character encoding of one family of entry points.
pub trait Encoding {
    /// One code unit (`u8` for UTF-8, `u16` for UTF-16).
    type Unit: Copy + Default + PartialEq + 'static;
    /// Size of one unit in bytes.
    const UNIT_BYTES: usize;

    /// Decodes `units` (already without terminator).
    fn decode(units: &[Self::Unit]) -> Result<String, OdbcError>;

    /// Encodes `s` into units.
    fn encode(s: &str) -> Vec<Self::Unit>;

    /// The largest prefix of `units` no longer than `max` that does not split a character.
    fn boundary(units: &[Self::Unit], max: usize) -> usize;
}

/// UTF-8 entry points (the ANSI functions).
#[derive(Debug, Clone, Copy)]
pub struct Narrow;

/// UTF-16 entry points (the W functions).
#[derive(Debug, Clone, Copy)]
pub struct Wide;

impl Encoding for Narrow {
    type Unit = u8;
    const UNIT_BYTES: usize = 1;

    fn decode(units: &[u8]) -> Result<String, OdbcError> {
        String::from_utf8(units.to_vec()).map_err(|e| {
            OdbcError::new(
                "22018",
                format!(
                    "invalid character value: the string argument is not valid UTF-8 (byte {}); \
                     the ANSI functions of this driver take UTF-8, or use the W functions",
                    e.utf8_error().valid_up_to()
                ),
            )
        })
    }

    fn encode(s: &str) -> Vec<u8> {
        s.as_bytes().to_vec()
    }

    fn boundary(units: &[u8], max: usize) -> usize {
        let mut end = max.min(units.len());
        // Back off continuation bytes (10xxxxxx) so a UTF-8 sequence is never split.
        while end > 0 && end < units.len() && units.get(end).is_some_and(|b| b & 0xC0 == 0x80) {
            end -= 1;
        }
        end
    }
}

impl Encoding for Wide {
    type Unit = u16;
    const UNIT_BYTES: usize = 2;

    fn decode(units: &[u16]) -> Result<String, OdbcError> {
        String::from_utf16(units).map_err(|_| {
            OdbcError::new(
                "22018",
                "invalid character value: the string argument is not valid UTF-16 \
                 (unpaired surrogate)",
            )
        })
    }

    fn encode(s: &str) -> Vec<u16> {
        s.encode_utf16().collect()
    }

    fn boundary(units: &[u16], max: usize) -> usize {
        let end = max.min(units.len());
        // Never end on a high surrogate whose low half would be cut off.
        match end.checked_sub(1).and_then(|i| units.get(i)) {
            Some(u) if (0xD800..0xDC00).contains(u) && end < units.len() => end - 1,
            _ => end,
        }
    }
}

/// Reads an input string argument of `len` units (or `SQL_NTS`). A null pointer gives `None`.
///
/// # Safety
/// `ptr` is null, or points to `len` readable units (explicit length), or to a NUL-terminated
/// sequence (`SQL_NTS`).
pub unsafe fn read_str<E: Encoding>(
    ptr: *const c_void,
    len: isize,
) -> Result<Option<String>, OdbcError> {
    if ptr.is_null() {
        return Ok(None);
    }
    let ptr = ptr.cast::<E::Unit>();
    let units: &[E::Unit] = if len == SQL_NTS {
        let zero = E::Unit::default();
        let mut n = 0usize;
        // SAFETY: the caller guarantees a terminator exists; we stop at the first one.
        while unsafe { *ptr.add(n) } != zero {
            n += 1;
        }
        // SAFETY: the n units before the terminator are readable.
        unsafe { std::slice::from_raw_parts(ptr, n) }
    } else {
        let n = usize::try_from(len).map_err(|_| OdbcError::bad_length("string length", len))?;
        // SAFETY: the caller guarantees `len` readable units.
        let all = unsafe { std::slice::from_raw_parts(ptr, n) };
        let zero = E::Unit::default();
        let trimmed = all.iter().rposition(|u| *u != zero).map_or(0, |i| i + 1);
        all.get(..trimmed).unwrap_or(all)
    };
    E::decode(units).map(Some)
}

/// Reads an input string whose length is given in BYTES (attribute values of the W functions).
///
/// # Safety
/// As [`read_str`], with `len` counting bytes.
pub unsafe fn read_str_bytes<E: Encoding>(
    ptr: *const c_void,
    len: isize,
) -> Result<Option<String>, OdbcError> {
    let units = if len == SQL_NTS {
        SQL_NTS
    } else if len < 0 {
        return Err(OdbcError::bad_length("StringLength", len));
    } else {
        len / E::UNIT_BYTES as isize
    };
    // SAFETY: forwarded.
    unsafe { read_str::<E>(ptr, units) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn narrow(bytes: &[u8], len: isize) -> Result<Option<String>, OdbcError> {
        unsafe { read_str::<Narrow>(bytes.as_ptr().cast(), len) }
    }

    fn wide(units: &[u16], len: isize) -> Result<Option<String>, OdbcError> {
        unsafe { read_str::<Wide>(units.as_ptr().cast(), len) }
    }

    #[test]
    fn nts_and_explicit_lengths() {
        assert_eq!(
            narrow(b"select 1\0junk", SQL_NTS).unwrap().unwrap(),
            "select 1"
        );
        assert_eq!(narrow(b"select 1junk", 8).unwrap().unwrap(), "select 1");
        assert_eq!(narrow(b"", 0).unwrap().unwrap(), "");
        let w: Vec<u16> = "héllo 😀\0".encode_utf16().collect();
        assert_eq!(wide(&w, SQL_NTS).unwrap().unwrap(), "héllo 😀");
        assert_eq!(wide(&w, 2).unwrap().unwrap(), "hé");
    }

    #[test]
    fn explicit_length_counting_the_terminator_is_tolerated() {
        assert_eq!(narrow(b"select 1\0", 9).unwrap().unwrap(), "select 1");
        let w: Vec<u16> = "ab\0".encode_utf16().collect();
        assert_eq!(wide(&w, 3).unwrap().unwrap(), "ab");
    }

    #[test]
    fn null_pointer_is_none_and_bad_length_is_hy090() {
        let none = unsafe { read_str::<Narrow>(std::ptr::null(), 5) };
        assert_eq!(none.unwrap(), None);
        assert_eq!(narrow(b"abc", -7).unwrap_err().sqlstate, "HY090");
    }

    #[test]
    fn invalid_encodings_are_22018() {
        assert_eq!(
            narrow(&[0x61, 0xFF, 0x62], 3).unwrap_err().sqlstate,
            "22018"
        );
        assert_eq!(
            wide(&[0x61, 0xD800, 0x62], 3).unwrap_err().sqlstate,
            "22018"
        );
    }

    #[test]
    fn byte_lengths_for_wide_attributes() {
        let w: Vec<u16> = "abcd".encode_utf16().collect();
        let s = unsafe { read_str_bytes::<Wide>(w.as_ptr().cast(), 4) };
        assert_eq!(s.unwrap().unwrap(), "ab");
    }

    #[test]
    fn boundaries_never_split_characters() {
        let s = "aé😀".as_bytes(); // 1 + 2 + 4 bytes
        assert_eq!(Narrow::boundary(s, 2), 1);
        assert_eq!(Narrow::boundary(s, 3), 3);
        assert_eq!(Narrow::boundary(s, 6), 3);
        assert_eq!(Narrow::boundary(s, 7), 7);
        let w: Vec<u16> = "a😀".encode_utf16().collect(); // 1 + 2 units
        assert_eq!(Wide::boundary(&w, 2), 1);
        assert_eq!(Wide::boundary(&w, 3), 3);
    }
}
