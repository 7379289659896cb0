//! Diagnostics: the records SQLGetDiagRec/SQLGetDiagField return, the per-handle diagnostic
//! area (header + records), and [`OdbcError`], the error type of every ODBC code path.
//!
//! Every record carries a SQLSTATE, a native error (0 unless the server gave one) and a
//! message prefixed with [`MESSAGE_PREFIX`] that says what happened and what to do.

use std::ffi::c_void;

use super::ffi::{
    SQL_COLUMN_NUMBER_UNKNOWN, SQL_DIAG_CLASS_ORIGIN, SQL_DIAG_COLUMN_NUMBER,
    SQL_DIAG_CONNECTION_NAME, SQL_DIAG_CURSOR_ROW_COUNT, SQL_DIAG_DYNAMIC_FUNCTION,
    SQL_DIAG_DYNAMIC_FUNCTION_CODE, SQL_DIAG_MESSAGE_TEXT, SQL_DIAG_NATIVE, SQL_DIAG_NUMBER,
    SQL_DIAG_RETURNCODE, SQL_DIAG_ROW_COUNT, SQL_DIAG_ROW_NUMBER, SQL_DIAG_SERVER_NAME,
    SQL_DIAG_SQLSTATE, SQL_DIAG_SUBCLASS_ORIGIN, SQL_ERROR, SQL_NO_DATA, SQL_ROW_NUMBER_UNKNOWN,
    SQL_SUCCESS, SqlInteger, SqlLen, SqlReturn, SqlSmallInt,
};
use super::out::{self, Unit};
use super::text::Encoding;

/// Prefix of every message this driver produces (the driver manager adds its own in front).
pub const MESSAGE_PREFIX: &str = "[e6data][ODBC]";

/// An error (or, through [`Diags::warn`], a warning) about to become a diagnostic record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OdbcError {
    /// Five-character SQLSTATE.
    pub sqlstate: &'static str,
    /// Message without the driver prefix.
    pub message: String,
    /// Native error code (0 when none).
    pub native: i32,
    /// 1-based row in the rowset the record applies to, or [`SQL_ROW_NUMBER_UNKNOWN`].
    pub row: isize,
    /// 1-based column the record applies to, or [`SQL_COLUMN_NUMBER_UNKNOWN`].
    pub column: i32,
}

impl OdbcError {
    /// A record with no row or column position.
    pub fn new(sqlstate: &'static str, message: impl Into<String>) -> Self {
        Self {
            sqlstate,
            message: message.into(),
            native: 0,
            row: SQL_ROW_NUMBER_UNKNOWN,
            column: SQL_COLUMN_NUMBER_UNKNOWN,
        }
    }

    /// The same record attached to a rowset row and a column (both 1-based).
    pub fn at(mut self, row: usize, column: usize) -> Self {
        self.row = isize::try_from(row).unwrap_or(isize::MAX);
        self.column = i32::try_from(column).unwrap_or(i32::MAX);
        self
    }

    /// HY000 for internal inconsistencies that should never reach an application.
    pub fn internal(what: &str) -> Self {
        Self::new(
            "HY000",
            format!("internal error: {what}; please report this to the driver maintainers"),
        )
    }

    /// HY010: the function was called in a state where it is not allowed.
    pub fn sequence(what: &str) -> Self {
        Self::new("HY010", format!("function sequence error: {what}"))
    }

    /// HY009: a pointer argument that must be given was null.
    pub fn null_pointer(arg: &str) -> Self {
        Self::new(
            "HY009",
            format!("invalid use of null pointer: {arg} must not be null"),
        )
    }

    /// HY090: an invalid string or buffer length.
    pub fn bad_length(arg: &str, value: impl std::fmt::Display) -> Self {
        Self::new(
            "HY090",
            format!("invalid string or buffer length: {arg} = {value}"),
        )
    }

    /// HYC00: an optional feature this driver does not implement.
    pub fn not_implemented(what: &str) -> Self {
        Self::new("HYC00", format!("optional feature not implemented: {what}"))
    }

    /// HY092: an attribute or option identifier this driver does not know (or cannot set).
    pub fn bad_attribute(what: impl std::fmt::Display) -> Self {
        Self::new(
            "HY092",
            format!("invalid attribute/option identifier: {what}"),
        )
    }

    /// HY024: an attribute value outside the allowed set.
    pub fn bad_value(what: impl std::fmt::Display) -> Self {
        Self::new("HY024", format!("invalid attribute value: {what}"))
    }

    /// 07009: a column or parameter number out of range.
    pub fn bad_index(what: impl std::fmt::Display) -> Self {
        Self::new("07009", format!("invalid descriptor index: {what}"))
    }

    /// `true` for SQLSTATE class 01 (warnings).
    pub fn is_warning(&self) -> bool {
        self.sqlstate.starts_with("01")
    }
}

impl std::fmt::Display for OdbcError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.sqlstate, self.message)
    }
}

/// What a function body reports besides its records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// SQL_SUCCESS, or SQL_SUCCESS_WITH_INFO when warnings were posted.
    Success,
    /// SQL_NO_DATA.
    NoData,
    /// SQL_NEED_DATA: the statement waits for data-at-execution parameters.
    NeedData,
    /// SQL_ERROR with the error records already posted (row errors of a whole rowset).
    Error,
}

/// Records collected during one call; the entry wrapper stores them in the handle's area.
#[derive(Debug, Default)]
pub struct Diags {
    records: Vec<OdbcError>,
}

impl Diags {
    /// An empty collector.
    pub fn new() -> Self {
        Self::default()
    }

    /// Posts a warning (or a row-level error) record.
    pub fn warn(&mut self, record: OdbcError) {
        self.records.push(record);
    }

    /// `true` when any record was posted.
    pub fn has_records(&self) -> bool {
        !self.records.is_empty()
    }

    /// The posted records.
    #[cfg(test)]
    pub fn records(&self) -> &[OdbcError] {
        &self.records
    }

    /// Takes the records out.
    pub fn into_records(self) -> Vec<OdbcError> {
        self.records
    }
}

/// The SQLSTATE class origin per the ODBC rules (`ISO 9075` or `ODBC 3.0`).
fn class_origin(state: &str) -> &'static str {
    if state.starts_with("HY") || state.starts_with("IM") {
        "ODBC 3.0"
    } else {
        "ISO 9075"
    }
}

/// The SQLSTATE subclass origin: ODBC-defined subclasses (`01S02`, `08S01`, `HY...`) vs SQL-92.
fn subclass_origin(state: &str) -> &'static str {
    if class_origin(state) == "ODBC 3.0" || state.as_bytes().get(2) == Some(&b'S') {
        "ODBC 3.0"
    } else {
        "ISO 9075"
    }
}

/// Header fields of a statement's diagnostic area that describe the last executed statement.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StatementSummary {
    /// `SQL_DIAG_ROW_COUNT`.
    pub row_count: SqlLen,
    /// `SQL_DIAG_CURSOR_ROW_COUNT` (-1 when unknown).
    pub cursor_row_count: SqlLen,
    /// `true` when the last statement produced a cursor (SQL_DIAG_DYNAMIC_FUNCTION).
    pub select: bool,
}

/// A handle's diagnostic area.
#[derive(Debug, Default)]
pub struct DiagArea {
    return_code: SqlReturn,
    records: Vec<OdbcError>,
    summary: Option<StatementSummary>,
}

impl DiagArea {
    /// Clears the area at the start of a function call.
    pub fn clear(&mut self) {
        self.return_code = SQL_SUCCESS;
        self.records.clear();
    }

    /// Stores the outcome of a call: errors sorted before warnings, otherwise in posting order.
    pub fn store(&mut self, return_code: SqlReturn, mut records: Vec<OdbcError>) {
        records.sort_by_key(OdbcError::is_warning);
        self.return_code = return_code;
        self.records = records;
    }

    /// Sets the statement header fields (statements only).
    pub fn set_summary(&mut self, summary: StatementSummary) {
        self.summary = Some(summary);
    }

    /// Number of records.
    pub fn len(&self) -> usize {
        self.records.len()
    }

    /// `true` when there are no records.
    #[cfg(test)]
    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    /// Record `n` (1-based).
    pub fn record(&self, n: SqlSmallInt) -> Option<&OdbcError> {
        let index = usize::try_from(n).ok()?.checked_sub(1)?;
        self.records.get(index)
    }
}

/// The full message text of a record, with the driver prefix.
pub fn message_text(record: &OdbcError) -> String {
    format!("{MESSAGE_PREFIX}{}", record.message)
}

/// Arguments of SQLGetDiagRec(W).
#[derive(Debug, Clone, Copy)]
pub struct DiagRecArgs {
    /// `RecNumber`.
    pub rec_number: SqlSmallInt,
    /// `Sqlstate` buffer (6 characters).
    pub sqlstate: *mut c_void,
    /// `NativeErrorPtr`.
    pub native: *mut SqlInteger,
    /// `MessageText`.
    pub message: *mut c_void,
    /// `BufferLength` in characters.
    pub buffer_length: SqlSmallInt,
    /// `TextLengthPtr` in characters.
    pub text_length: *mut SqlSmallInt,
}

/// SQLGetDiagRec(W) over one area. Returns SQL_NO_DATA past the last record, SQL_ERROR for a
/// bad record number or length (no record is posted about GetDiag calls themselves).
///
/// # Safety
/// Every non-null pointer in `args` must be valid for the writes the ODBC spec allows.
pub unsafe fn get_diag_rec<E: Encoding>(area: &DiagArea, args: &DiagRecArgs) -> SqlReturn {
    if args.rec_number <= 0 || args.buffer_length < 0 {
        return SQL_ERROR;
    }
    let Some(record) = area.record(args.rec_number) else {
        return SQL_NO_DATA;
    };
    // SAFETY: the caller guarantees the pointers; each helper tolerates null.
    unsafe {
        out::write_if_some(args.native, record.native);
        out::write_sqlstate::<E>(args.sqlstate, record.sqlstate);
        let mut scratch = Diags::new();
        let written = out::write_str::<E, SqlSmallInt>(
            &message_text(record),
            args.message,
            isize::from(args.buffer_length),
            Unit::Chars,
            args.text_length,
            &mut scratch,
        );
        match written {
            Ok(()) if scratch.has_records() => super::ffi::SQL_SUCCESS_WITH_INFO,
            Ok(()) => SQL_SUCCESS,
            Err(_) => SQL_ERROR,
        }
    }
}

/// Arguments of SQLGetDiagField(W).
#[derive(Debug, Clone, Copy)]
pub struct DiagFieldArgs {
    /// `RecNumber` (ignored for header fields).
    pub rec_number: SqlSmallInt,
    /// `DiagIdentifier`.
    pub identifier: SqlSmallInt,
    /// `DiagInfoPtr`.
    pub info: *mut c_void,
    /// `BufferLength` in bytes.
    pub buffer_length: SqlSmallInt,
    /// `StringLengthPtr` in bytes.
    pub string_length: *mut SqlSmallInt,
    /// `true` for a statement handle (row-count and dynamic-function fields exist).
    pub is_statement: bool,
}

/// SQLGetDiagField(W) over one area.
///
/// # Safety
/// `args.info` must be valid for the field's type (or a buffer of `buffer_length` bytes);
/// `args.string_length` null or valid.
pub unsafe fn get_diag_field<E: Encoding>(
    area: &DiagArea,
    args: &DiagFieldArgs,
    server_name: &str,
) -> SqlReturn {
    let summary = area.summary.unwrap_or(StatementSummary {
        row_count: 0,
        cursor_row_count: -1,
        select: false,
    });
    // SAFETY: the caller guarantees `args.info` fits the field's type.
    unsafe {
        match args.identifier {
            SQL_DIAG_RETURNCODE => {
                out::write_if_some(args.info.cast::<SqlReturn>(), area.return_code);
                return SQL_SUCCESS;
            }
            SQL_DIAG_NUMBER => {
                let n = SqlInteger::try_from(area.len()).unwrap_or(SqlInteger::MAX);
                out::write_if_some(args.info.cast::<SqlInteger>(), n);
                return SQL_SUCCESS;
            }
            SQL_DIAG_ROW_COUNT | SQL_DIAG_CURSOR_ROW_COUNT if args.is_statement => {
                let v = if args.identifier == SQL_DIAG_ROW_COUNT {
                    summary.row_count
                } else {
                    summary.cursor_row_count
                };
                out::write_if_some(args.info.cast::<SqlLen>(), v);
                return SQL_SUCCESS;
            }
            SQL_DIAG_DYNAMIC_FUNCTION if args.is_statement => {
                let text = if summary.select { "SELECT CURSOR" } else { "" };
                return header_string::<E>(text, args);
            }
            SQL_DIAG_DYNAMIC_FUNCTION_CODE if args.is_statement => {
                let code = if summary.select {
                    super::ffi::SQL_DIAG_SELECT_CURSOR
                } else {
                    0
                };
                out::write_if_some(args.info.cast::<SqlInteger>(), code);
                return SQL_SUCCESS;
            }
            SQL_DIAG_ROW_COUNT
            | SQL_DIAG_CURSOR_ROW_COUNT
            | SQL_DIAG_DYNAMIC_FUNCTION
            | SQL_DIAG_DYNAMIC_FUNCTION_CODE => return SQL_ERROR,
            _ => {}
        }
        if args.rec_number <= 0 {
            return SQL_ERROR;
        }
        let Some(record) = area.record(args.rec_number) else {
            return SQL_NO_DATA;
        };
        match args.identifier {
            SQL_DIAG_SQLSTATE => header_string::<E>(record.sqlstate, args),
            SQL_DIAG_NATIVE => {
                out::write_if_some(args.info.cast::<SqlInteger>(), record.native);
                SQL_SUCCESS
            }
            SQL_DIAG_MESSAGE_TEXT => header_string::<E>(&message_text(record), args),
            SQL_DIAG_CLASS_ORIGIN => header_string::<E>(class_origin(record.sqlstate), args),
            SQL_DIAG_SUBCLASS_ORIGIN => header_string::<E>(subclass_origin(record.sqlstate), args),
            SQL_DIAG_CONNECTION_NAME => header_string::<E>("", args),
            SQL_DIAG_SERVER_NAME => header_string::<E>(server_name, args),
            SQL_DIAG_ROW_NUMBER if args.is_statement => {
                out::write_if_some(args.info.cast::<SqlLen>(), record.row);
                SQL_SUCCESS
            }
            SQL_DIAG_COLUMN_NUMBER if args.is_statement => {
                out::write_if_some(args.info.cast::<SqlInteger>(), record.column);
                SQL_SUCCESS
            }
            _ => SQL_ERROR,
        }
    }
}

/// Writes a string diagnostic field (lengths in bytes).
///
/// # Safety
/// As [`get_diag_field`].
unsafe fn header_string<E: Encoding>(text: &str, args: &DiagFieldArgs) -> SqlReturn {
    let mut scratch = Diags::new();
    // SAFETY: forwarded from the caller.
    let written = unsafe {
        out::write_str::<E, SqlSmallInt>(
            text,
            args.info,
            isize::from(args.buffer_length),
            Unit::Bytes,
            args.string_length,
            &mut scratch,
        )
    };
    match written {
        Ok(()) if scratch.has_records() => super::ffi::SQL_SUCCESS_WITH_INFO,
        Ok(()) => SQL_SUCCESS,
        Err(_) => SQL_ERROR,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::odbc::ffi::SQL_SUCCESS_WITH_INFO;
    use crate::odbc::text::{Narrow, Wide};

    fn area_with(records: Vec<OdbcError>) -> DiagArea {
        let mut area = DiagArea::default();
        area.store(SQL_ERROR, records);
        area
    }

    #[test]
    fn errors_sort_before_warnings() {
        let area = area_with(vec![
            OdbcError::new("01004", "truncated"),
            OdbcError::new("22003", "overflow"),
        ]);
        assert_eq!(area.record(1).map(|r| r.sqlstate), Some("22003"));
        assert_eq!(area.record(2).map(|r| r.sqlstate), Some("01004"));
        assert!(area.record(3).is_none());
        assert!(area.record(0).is_none());
    }

    #[test]
    fn diag_rec_narrow_writes_state_native_and_prefixed_message() {
        let area = area_with(vec![OdbcError::new("42000", "syntax error near FROM")]);
        let mut state = [0u8; 6];
        let mut native = 99i32;
        let mut msg = [0u8; 128];
        let mut len = 0i16;
        let args = DiagRecArgs {
            rec_number: 1,
            sqlstate: state.as_mut_ptr().cast(),
            native: &mut native,
            message: msg.as_mut_ptr().cast(),
            buffer_length: 128,
            text_length: &mut len,
        };
        let rc = unsafe { get_diag_rec::<Narrow>(&area, &args) };
        assert_eq!(rc, SQL_SUCCESS);
        assert_eq!(&state, b"42000\0");
        assert_eq!(native, 0);
        let expected = "[e6data][ODBC]syntax error near FROM";
        assert_eq!(len as usize, expected.len());
        assert_eq!(&msg[..expected.len()], expected.as_bytes());
        assert_eq!(msg[expected.len()], 0);
    }

    #[test]
    fn diag_rec_wide_truncates_in_characters() {
        let area = area_with(vec![OdbcError::new("HY000", "abcdef")]);
        let mut state = [0u16; 6];
        let mut msg = [0u16; 8];
        let mut len = 0i16;
        let args = DiagRecArgs {
            rec_number: 1,
            sqlstate: state.as_mut_ptr().cast(),
            native: std::ptr::null_mut(),
            message: msg.as_mut_ptr().cast(),
            buffer_length: 8,
            text_length: &mut len,
        };
        let rc = unsafe { get_diag_rec::<Wide>(&area, &args) };
        assert_eq!(rc, SQL_SUCCESS_WITH_INFO);
        let full = message_text(&OdbcError::new("HY000", "abcdef"));
        assert_eq!(len as usize, full.encode_utf16().count());
        let got: Vec<u16> = full.encode_utf16().take(7).collect();
        assert_eq!(&msg[..7], &got[..]);
        assert_eq!(msg[7], 0);
        assert_eq!(String::from_utf16_lossy(&state[..5]), "HY000");
    }

    #[test]
    fn diag_rec_past_end_is_no_data_and_bad_args_error() {
        let area = area_with(vec![OdbcError::new("HY000", "x")]);
        let args = DiagRecArgs {
            rec_number: 2,
            sqlstate: std::ptr::null_mut(),
            native: std::ptr::null_mut(),
            message: std::ptr::null_mut(),
            buffer_length: 0,
            text_length: std::ptr::null_mut(),
        };
        assert_eq!(unsafe { get_diag_rec::<Narrow>(&area, &args) }, SQL_NO_DATA);
        let bad = DiagRecArgs {
            rec_number: 0,
            ..args
        };
        assert_eq!(unsafe { get_diag_rec::<Narrow>(&area, &bad) }, SQL_ERROR);
    }

    #[test]
    fn diag_field_header_and_record_fields() {
        let mut area = area_with(vec![OdbcError::new("01S02", "changed").at(3, 2)]);
        area.set_summary(StatementSummary {
            row_count: -1,
            cursor_row_count: -1,
            select: true,
        });
        let mut number = 0i32;
        let args = |id: SqlSmallInt, info: *mut c_void| DiagFieldArgs {
            rec_number: 1,
            identifier: id,
            info,
            buffer_length: 64,
            string_length: std::ptr::null_mut(),
            is_statement: true,
        };
        let rc = unsafe {
            get_diag_field::<Narrow>(&area, &args(SQL_DIAG_NUMBER, (&raw mut number).cast()), "")
        };
        assert_eq!((rc, number), (SQL_SUCCESS, 1));
        let mut rc_field = 0i16;
        unsafe {
            get_diag_field::<Narrow>(
                &area,
                &args(SQL_DIAG_RETURNCODE, (&raw mut rc_field).cast()),
                "",
            )
        };
        assert_eq!(rc_field, SQL_ERROR);
        let mut row: SqlLen = 0;
        unsafe {
            get_diag_field::<Narrow>(&area, &args(SQL_DIAG_ROW_NUMBER, (&raw mut row).cast()), "")
        };
        assert_eq!(row, 3);
        let mut col = 0i32;
        unsafe {
            get_diag_field::<Narrow>(
                &area,
                &args(SQL_DIAG_COLUMN_NUMBER, (&raw mut col).cast()),
                "",
            )
        };
        assert_eq!(col, 2);
        let mut buf = [0u8; 64];
        let mut len = 0i16;
        let sub = DiagFieldArgs {
            string_length: &mut len,
            ..args(SQL_DIAG_SUBCLASS_ORIGIN, buf.as_mut_ptr().cast())
        };
        unsafe { get_diag_field::<Narrow>(&area, &sub, "") };
        assert_eq!(&buf[..len as usize], b"ODBC 3.0");
        let class = DiagFieldArgs {
            string_length: &mut len,
            ..args(SQL_DIAG_CLASS_ORIGIN, buf.as_mut_ptr().cast())
        };
        unsafe { get_diag_field::<Narrow>(&area, &class, "") };
        assert_eq!(&buf[..len as usize], b"ISO 9075");
        let mut dynamic = [0u16; 32];
        let wide = DiagFieldArgs {
            string_length: &mut len,
            ..args(SQL_DIAG_DYNAMIC_FUNCTION, dynamic.as_mut_ptr().cast())
        };
        unsafe { get_diag_field::<Wide>(&area, &wide, "") };
        assert_eq!(len, 26, "13 UTF-16 units = 26 bytes");
        assert_eq!(String::from_utf16_lossy(&dynamic[..13]), "SELECT CURSOR");
    }

    #[test]
    fn origins_follow_the_odbc_rules() {
        assert_eq!(class_origin("42000"), "ISO 9075");
        assert_eq!(subclass_origin("42000"), "ISO 9075");
        assert_eq!(subclass_origin("08S01"), "ODBC 3.0");
        assert_eq!(class_origin("HYT00"), "ODBC 3.0");
    }
}
