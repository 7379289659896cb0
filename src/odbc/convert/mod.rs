//! Data conversions between e6data values and ODBC C buffers, per the ODBC "Converting Data
//! from SQL to C Data Types" and "C to SQL" rules. Pure and safe: application buffers arrive as
//! slices (the ODBC core turns pointers into slices), nothing here knows about handles.
//!
//! - [`write_cell`]: one result cell into an application buffer (`SQLBindCol`, `SQLGetData`,
//!   including retrieval in pieces);
//! - [`read_param`]: one bound parameter into a [`crate::client::ParamValue`];
//! - [`CType`]: the C types, their codes, defaults and sizes.
//!
//! Per-family rules are documented in the submodules: `to_text` (`SQL_C_CHAR` and
//! `SQL_C_WCHAR`), `to_number`, `to_datetime`, `to_binary`, `from_app` (parameters); `render`
//! defines the canonical text of every value.

pub mod ctype;

mod calendar;
mod error;
mod exact;
mod from_app;
mod layout;
mod render;
mod scratch;
mod to_binary;
mod to_datetime;
mod to_number;
mod to_text;

pub use ctype::CType;
pub use error::ConvertError;
pub use from_app::read_param;

use crate::wire::Value;

/// `SQL_NULL_DATA`: the indicator of a NULL value.
pub const SQL_NULL_DATA: isize = -1;
/// `SQL_NTS`: a NUL-terminated input string.
pub const SQL_NTS: isize = -3;
/// The value [`write_cell`] leaves in `offset` once the whole cell has been returned; the
/// next call for the same cell answers [`ConvertError::NoMoreData`] (`SQL_NO_DATA`).
pub const OFFSET_DONE: usize = usize::MAX;

/// The result of writing one cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Written {
    /// What goes into the length/indicator buffer: for character and binary targets the bytes
    /// available from the call's starting `offset` on (before truncation, terminator
    /// excluded); the structure size for fixed-size targets; [`SQL_NULL_DATA`] for NULL.
    pub indicator: isize,
    /// 01004 (string data, right truncated): more data remains for another `SQLGetData`, or
    /// the buffer was too small.
    pub truncated: bool,
    /// 01S07 (fractional truncation): digits or a time part were dropped; still success.
    pub fractional_truncation: bool,
}

impl Written {
    /// A NULL cell.
    pub const NULL: Written = Written {
        indicator: SQL_NULL_DATA,
        truncated: false,
        fractional_truncation: false,
    };
}

/// Writes `value` converted to `target` into `out`.
///
/// `offset` carries retrieval progress across `SQLGetData` calls for one cell: pass 0 for the
/// first call (and always for `SQLBindCol`), then pass back what the previous call left.
/// - Character and binary targets write the next piece (NUL-terminated for `Char`/`WChar`
///   when `out` has room), advance `offset` by the bytes written, and report the bytes left
///   from the call's starting offset in `indicator`. A zero-length `out` (or, for `WChar`, one
///   byte) only reports the length and consumes nothing.
/// - Fixed-size targets need `out` to hold [`CType::fixed_size`] bytes (HY090 otherwise).
/// - Once everything has been returned (including a NULL, an empty string, or a fixed-size
///   value), `offset` is [`OFFSET_DONE`] and the next call answers
///   [`ConvertError::NoMoreData`].
///
/// `numeric_spec` is the `(precision, scale)` of the ARD for `SQL_C_NUMERIC`; `None` uses
/// precision 38 and the value's own scale (0..=38). It is ignored for other targets.
pub fn write_cell(
    value: Value<'_>,
    target: CType,
    out: &mut [u8],
    offset: &mut usize,
    numeric_spec: Option<(u8, i8)>,
) -> Result<Written, ConvertError> {
    if *offset == OFFSET_DONE {
        return Err(ConvertError::NoMoreData);
    }
    if let Value::Null = value {
        *offset = OFFSET_DONE;
        return Ok(Written::NULL);
    }
    let size = match target {
        CType::Char => return to_text::write(value, to_text::Encoding::Utf8, out, offset),
        CType::WChar => return to_text::write(value, to_text::Encoding::Utf16, out, offset),
        CType::Binary => return to_binary::write(value, out, offset),
        fixed => fixed.fixed_size().unwrap_or(0),
    };
    if *offset != 0 {
        return Err(ConvertError::NoMoreData);
    }
    let out = out.get_mut(..size).ok_or(ConvertError::InvalidLength)?;
    let fractional_truncation = match target {
        CType::TypeDate | CType::TypeTime | CType::TypeTimestamp | CType::IntervalDaySecond => {
            to_datetime::write(value, target, out)?
        }
        _ => to_number::write(value, target, out, numeric_spec)?,
    };
    *offset = OFFSET_DONE;
    Ok(Written {
        indicator: size as isize,
        truncated: false,
        fractional_truncation,
    })
}

#[cfg(test)]
mod tests;
