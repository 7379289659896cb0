//! SQLGetData: one column of the current row, in pieces for long character and binary data
//! (01004 with the remaining length, then the rest, then SQL_NO_DATA), any column in any order,
//! bound columns included (SQL_GD_ANY_COLUMN | SQL_GD_ANY_ORDER | SQL_GD_BOUND). Not with a
//! block cursor (row array size > 1): HYC00.

use super::super::convert::{self, CType, ConvertError};
use super::super::diag::{Diags, OdbcError, Outcome};
use super::super::entry::lock;
use super::super::ffi::{
    SQL_ARD_TYPE, SQL_NULL_DATA, SqlLen, SqlPointer, SqlSmallInt, SqlUSmallInt,
};
use super::super::out::write_if_some;
use super::Stmt;
use super::cursor::GetDataState;
use super::fetch::no_cursor;

/// `SQL_C_DEFAULT`.
const SQL_C_DEFAULT: SqlSmallInt = 99;

/// Arguments of SQLGetData.
pub struct GetDataArgs {
    /// `Col_or_Param_Num`.
    pub column: SqlUSmallInt,
    /// `TargetType`.
    pub target_type: SqlSmallInt,
    /// `TargetValuePtr`.
    pub target: SqlPointer,
    /// `BufferLength`.
    pub buffer_length: SqlLen,
    /// `StrLen_or_IndPtr`.
    pub indicator: *mut SqlLen,
}

/// SQLGetData.
///
/// # Safety
/// `args.target` is valid for `buffer_length` bytes (or the C type's size for fixed-size
/// types); `args.indicator` null or valid.
pub unsafe fn get_data(
    stmt: &Stmt,
    args: &GetDataArgs,
    diags: &mut Diags,
) -> Result<Outcome, OdbcError> {
    let mut state = lock(&stmt.state)?;
    if state.cursor.is_none() {
        return Err(no_cursor(&state));
    }
    let (array_size, ard_type) = {
        let ard_desc = stmt.ard();
        let ard = ard_desc.data.lock();
        let ard_type = ard
            .app
            .get(usize::from(args.column).saturating_sub(1))
            .map(|r| r.c_type);
        (ard.header.array_size, ard_type)
    };
    if array_size > 1 {
        return Err(OdbcError::not_implemented(
            "SQLGetData with a block cursor (SQL_ATTR_ROW_ARRAY_SIZE > 1); set the row array \
             size to 1 or bind the columns",
        ));
    }
    if args.column == 0 {
        return Err(OdbcError::bad_index(
            "column 0 is the bookmark column and bookmarks are off",
        ));
    }
    let index = usize::from(args.column) - 1;
    let sql_type = {
        let ird = stmt.ird.data.lock();
        ird.columns
            .get(index)
            .map(|c| c.info.sql_type)
            .ok_or_else(|| {
                OdbcError::bad_index(format_args!(
                    "column {} (the result has {} columns)",
                    args.column,
                    ird.columns.len()
                ))
            })?
    };
    let code = if args.target_type == SQL_ARD_TYPE {
        ard_type.ok_or_else(|| {
            OdbcError::new(
                "07009",
                format!(
                    "SQL_ARD_TYPE for column {} which has no ARD record",
                    args.column
                ),
            )
        })?
    } else {
        args.target_type
    };
    let ctype = if code == SQL_C_DEFAULT {
        CType::default_for(sql_type).ok_or_else(|| {
            OdbcError::new(
                "07006",
                format!("restricted data type attribute violation: no default C type for SQL type {sql_type}"),
            )
        })?
    } else {
        CType::from_code(code).ok_or_else(|| {
            OdbcError::new("HY003", format!("invalid application buffer type {code}"))
        })?
    };
    if args.target.is_null() {
        return Err(OdbcError::null_pointer("TargetValuePtr"));
    }
    let len = match ctype.fixed_size() {
        Some(n) => n,
        None => usize::try_from(args.buffer_length)
            .map_err(|_| OdbcError::bad_length("BufferLength", args.buffer_length))?,
    };
    let cursor = state
        .cursor
        .as_mut()
        .ok_or_else(|| OdbcError::internal("cursor vanished"))?;
    if cursor.current_row().is_none() {
        return Err(OdbcError::new(
            "24000",
            "invalid cursor state: no current row; call SQLFetch first (SQLGetData after \
             SQL_NO_DATA has no row)",
        ));
    }
    if cursor.getdata.column != args.column {
        cursor.getdata = GetDataState {
            column: args.column,
            offset: 0,
            done: false,
        };
    }
    if cursor.getdata.done {
        return Ok(Outcome::NoData);
    }
    let mut offset = cursor.getdata.offset;
    let value = cursor
        .value(index)
        .ok_or_else(|| OdbcError::internal("current row lost its column"))?;
    // SAFETY: per the caller, `len` writable bytes at `target`.
    let out = unsafe { std::slice::from_raw_parts_mut(args.target.cast::<u8>(), len) };
    let written = convert::write_cell(value, ctype, out, &mut offset, None);
    cursor.getdata.offset = offset;
    match written {
        Ok(w) => {
            if w.indicator == SQL_NULL_DATA && args.indicator.is_null() {
                return Err(OdbcError::new(
                    "22002",
                    "indicator variable required but not supplied: the value is NULL",
                ));
            }
            // SAFETY: per the caller.
            unsafe { write_if_some(args.indicator, w.indicator) };
            if w.truncated {
                diags.warn(OdbcError::new(
                    "01004",
                    format!(
                        "string data, right truncated: {} more bytes remain; call SQLGetData \
                         again for the rest",
                        w.indicator
                    ),
                ));
            } else {
                cursor.getdata.done = true;
            }
            if w.fractional_truncation {
                diags.warn(OdbcError::new(
                    "01S07",
                    "fractional truncation: digits after the decimal point were dropped",
                ));
            }
            Ok(Outcome::Success)
        }
        Err(ConvertError::NoMoreData) => {
            cursor.getdata.done = true;
            Ok(Outcome::NoData)
        }
        Err(e) => Err(OdbcError::new(e.sqlstate(), e.message())),
    }
}
