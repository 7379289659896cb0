//! SQLSetStmtAttr / SQLGetStmtAttr. Row- and parameter-array attributes live in the
//! descriptors' headers (ARD, IRD, APD, IPD) as the ODBC spec defines them.
//!
//! Unsupported values: a substitute exists -> 01S02 and the supported value stays
//! (cursor type -> forward-only, concurrency -> read-only, keyset size, max length, cursor
//! sensitivity, simulate cursor, a huge row array size -> clamped); no substitute -> HYC00
//! (scrollable cursors, bookmarks, async execution, parameter arrays, auto IPD).

use std::mem::size_of;

use super::super::desc::DescKind;
use super::super::diag::{Diags, OdbcError, Outcome};
use super::super::entry::lock;
use super::super::ffi::{
    SQL_ASYNC_ENABLE_OFF, SQL_ATTR_APP_PARAM_DESC, SQL_ATTR_APP_ROW_DESC, SQL_ATTR_ASYNC_ENABLE,
    SQL_ATTR_CONCURRENCY, SQL_ATTR_CURSOR_SCROLLABLE, SQL_ATTR_CURSOR_SENSITIVITY,
    SQL_ATTR_CURSOR_TYPE, SQL_ATTR_ENABLE_AUTO_IPD, SQL_ATTR_FETCH_BOOKMARK_PTR,
    SQL_ATTR_IMP_PARAM_DESC, SQL_ATTR_IMP_ROW_DESC, SQL_ATTR_KEYSET_SIZE, SQL_ATTR_MAX_LENGTH,
    SQL_ATTR_MAX_ROWS, SQL_ATTR_METADATA_ID, SQL_ATTR_NOSCAN, SQL_ATTR_PARAM_BIND_OFFSET_PTR,
    SQL_ATTR_PARAM_BIND_TYPE, SQL_ATTR_PARAM_OPERATION_PTR, SQL_ATTR_PARAM_STATUS_PTR,
    SQL_ATTR_PARAMS_PROCESSED_PTR, SQL_ATTR_PARAMSET_SIZE, SQL_ATTR_QUERY_TIMEOUT,
    SQL_ATTR_RETRIEVE_DATA, SQL_ATTR_ROW_ARRAY_SIZE, SQL_ATTR_ROW_BIND_OFFSET_PTR,
    SQL_ATTR_ROW_BIND_TYPE, SQL_ATTR_ROW_NUMBER, SQL_ATTR_ROW_OPERATION_PTR,
    SQL_ATTR_ROW_STATUS_PTR, SQL_ATTR_ROWS_FETCHED_PTR, SQL_ATTR_SIMULATE_CURSOR,
    SQL_ATTR_USE_BOOKMARKS, SQL_CONCUR_READ_ONLY, SQL_CURSOR_FORWARD_ONLY, SQL_NONSCROLLABLE,
    SQL_RD_ON, SQL_ROWSET_SIZE, SQL_SC_NON_UNIQUE, SQL_TRUE, SQL_UB_OFF, SQL_UNSPECIFIED,
    SqlInteger, SqlPointer,
};
use super::super::out::write_if_some;
use super::Stmt;

/// Largest row array size accepted; larger values are clamped with 01S02.
pub const MAX_ROW_ARRAY_SIZE: usize = 1 << 20;

fn changed(what: impl std::fmt::Display) -> OdbcError {
    OdbcError::new("01S02", format!("option value changed: {what}"))
}

/// SQLSetStmtAttr(W) (no string-valued statement attribute exists, so A and W are the same).
pub fn set_attr(
    stmt: &Stmt,
    attribute: SqlInteger,
    value: SqlPointer,
    diags: &mut Diags,
) -> Result<Outcome, OdbcError> {
    let v = value as usize;
    let mut state = lock(&stmt.state)?;
    match attribute {
        SQL_ATTR_QUERY_TIMEOUT => state.query_timeout = v,
        SQL_ATTR_MAX_ROWS => state.max_rows = v,
        SQL_ATTR_NOSCAN => state.noscan = v,
        SQL_ATTR_METADATA_ID => state.metadata_id = v == SQL_TRUE,
        SQL_ATTR_RETRIEVE_DATA => state.skip_data = v != SQL_RD_ON,
        SQL_ATTR_MAX_LENGTH if v != 0 => {
            diags.warn(changed(
                "SQL_ATTR_MAX_LENGTH is not supported and stays 0 (no limit)",
            ));
        }
        SQL_ATTR_CURSOR_TYPE if v != SQL_CURSOR_FORWARD_ONLY => {
            diags.warn(changed(
                "the cursor is forward-only (SQL_CURSOR_FORWARD_ONLY)",
            ));
        }
        SQL_ATTR_CONCURRENCY if v != SQL_CONCUR_READ_ONLY => {
            diags.warn(changed("the cursor is read-only (SQL_CONCUR_READ_ONLY)"));
        }
        SQL_ATTR_KEYSET_SIZE if v != 0 => {
            diags.warn(changed(
                "keyset-driven cursors are not supported; keyset size stays 0",
            ));
        }
        SQL_ATTR_CURSOR_SENSITIVITY if v != SQL_UNSPECIFIED => {
            diags.warn(changed("cursor sensitivity stays SQL_UNSPECIFIED"));
        }
        SQL_ATTR_SIMULATE_CURSOR if v != SQL_SC_NON_UNIQUE => {
            diags.warn(changed(
                "positioned updates are not supported (SQL_SC_NON_UNIQUE)",
            ));
        }
        SQL_ATTR_MAX_LENGTH
        | SQL_ATTR_CURSOR_TYPE
        | SQL_ATTR_CONCURRENCY
        | SQL_ATTR_KEYSET_SIZE
        | SQL_ATTR_CURSOR_SENSITIVITY
        | SQL_ATTR_SIMULATE_CURSOR => {}
        SQL_ATTR_CURSOR_SCROLLABLE if v != SQL_NONSCROLLABLE => {
            return Err(OdbcError::not_implemented(
                "scrollable cursors (the cursor is forward-only)",
            ));
        }
        SQL_ATTR_CURSOR_SCROLLABLE => {}
        SQL_ATTR_USE_BOOKMARKS if v != SQL_UB_OFF => {
            return Err(OdbcError::not_implemented("bookmarks"));
        }
        SQL_ATTR_USE_BOOKMARKS => {}
        SQL_ATTR_FETCH_BOOKMARK_PTR if v != 0 => {
            return Err(OdbcError::not_implemented("bookmarks"));
        }
        SQL_ATTR_FETCH_BOOKMARK_PTR => {}
        SQL_ATTR_ASYNC_ENABLE if v != SQL_ASYNC_ENABLE_OFF => {
            return Err(OdbcError::not_implemented("asynchronous execution"));
        }
        SQL_ATTR_ASYNC_ENABLE => {}
        SQL_ATTR_ENABLE_AUTO_IPD if v != 0 => {
            return Err(OdbcError::not_implemented(
                "automatic population of the IPD",
            ));
        }
        SQL_ATTR_ENABLE_AUTO_IPD => {}
        SQL_ATTR_ROW_ARRAY_SIZE | SQL_ROWSET_SIZE => {
            if v == 0 {
                return Err(OdbcError::bad_value(
                    "a row array size of 0 (use 1 or more)",
                ));
            }
            let size = if v > MAX_ROW_ARRAY_SIZE {
                diags.warn(changed(format_args!(
                    "row array size {v} clamped to {MAX_ROW_ARRAY_SIZE}"
                )));
                MAX_ROW_ARRAY_SIZE
            } else {
                v
            };
            stmt.ard().data.lock().header.array_size = size;
        }
        SQL_ATTR_ROW_BIND_TYPE => stmt.ard().data.lock().header.bind_type = v,
        SQL_ATTR_ROW_BIND_OFFSET_PTR => stmt.ard().data.lock().header.bind_offset_ptr = v,
        SQL_ATTR_ROW_OPERATION_PTR => stmt.ard().data.lock().header.array_status_ptr = v,
        SQL_ATTR_ROW_STATUS_PTR => stmt.ird.data.lock().header.array_status_ptr = v,
        SQL_ATTR_ROWS_FETCHED_PTR => stmt.ird.data.lock().header.rows_processed_ptr = v,
        SQL_ATTR_PARAMSET_SIZE => match v {
            0 => return Err(OdbcError::bad_value("a parameter set size of 0 (use 1)")),
            1 => stmt.apd().data.lock().header.array_size = 1,
            _ => {
                return Err(OdbcError::not_implemented(
                    "arrays of parameters (SQL_ATTR_PARAMSET_SIZE > 1); execute once per set",
                ));
            }
        },
        SQL_ATTR_PARAM_BIND_TYPE => stmt.apd().data.lock().header.bind_type = v,
        SQL_ATTR_PARAM_BIND_OFFSET_PTR => stmt.apd().data.lock().header.bind_offset_ptr = v,
        SQL_ATTR_PARAM_OPERATION_PTR => stmt.apd().data.lock().header.array_status_ptr = v,
        SQL_ATTR_PARAM_STATUS_PTR => stmt.ipd.data.lock().header.array_status_ptr = v,
        SQL_ATTR_PARAMS_PROCESSED_PTR => stmt.ipd.data.lock().header.rows_processed_ptr = v,
        SQL_ATTR_APP_ROW_DESC | SQL_ATTR_APP_PARAM_DESC => {
            let kind = if attribute == SQL_ATTR_APP_ROW_DESC {
                DescKind::Ard
            } else {
                DescKind::Apd
            };
            stmt.associate(kind, v)?;
        }
        SQL_ATTR_IMP_ROW_DESC | SQL_ATTR_IMP_PARAM_DESC => {
            return Err(OdbcError::new(
                "HY017",
                "invalid use of an automatically allocated descriptor handle: implementation \
                 descriptors cannot be replaced",
            ));
        }
        SQL_ATTR_ROW_NUMBER => {
            return Err(OdbcError::bad_attribute(
                "SQL_ATTR_ROW_NUMBER is a read-only attribute",
            ));
        }
        other => {
            return Err(OdbcError::bad_attribute(format_args!(
                "statement attribute {other}"
            )));
        }
    }
    Ok(Outcome::Success)
}

/// SQLGetStmtAttr(W): every value is an `SQLULEN`, a pointer or a descriptor handle.
///
/// # Safety
/// `value` is null or valid for a pointer-sized write; `string_length` null or valid.
pub unsafe fn get_attr(
    stmt: &Stmt,
    attribute: SqlInteger,
    value: SqlPointer,
    string_length: *mut SqlInteger,
) -> Result<Outcome, OdbcError> {
    let state = lock(&stmt.state)?;
    let v: usize = match attribute {
        SQL_ATTR_QUERY_TIMEOUT => state.query_timeout,
        SQL_ATTR_MAX_ROWS => state.max_rows,
        SQL_ATTR_NOSCAN => state.noscan,
        SQL_ATTR_METADATA_ID => usize::from(state.metadata_id),
        SQL_ATTR_RETRIEVE_DATA => usize::from(!state.skip_data),
        SQL_ATTR_MAX_LENGTH | SQL_ATTR_KEYSET_SIZE | SQL_ATTR_FETCH_BOOKMARK_PTR => 0,
        SQL_ATTR_CURSOR_TYPE => SQL_CURSOR_FORWARD_ONLY,
        SQL_ATTR_CONCURRENCY => SQL_CONCUR_READ_ONLY,
        SQL_ATTR_CURSOR_SCROLLABLE => SQL_NONSCROLLABLE,
        SQL_ATTR_CURSOR_SENSITIVITY => SQL_UNSPECIFIED,
        SQL_ATTR_SIMULATE_CURSOR => SQL_SC_NON_UNIQUE,
        SQL_ATTR_USE_BOOKMARKS => SQL_UB_OFF,
        SQL_ATTR_ASYNC_ENABLE => SQL_ASYNC_ENABLE_OFF,
        SQL_ATTR_ENABLE_AUTO_IPD => 0,
        SQL_ATTR_ROW_NUMBER => match state.cursor.as_ref() {
            Some(c) if c.current_row().is_some() => c.delivered(),
            _ => 0,
        },
        SQL_ATTR_ROW_ARRAY_SIZE | SQL_ROWSET_SIZE => stmt.ard().data.lock().header.array_size,
        SQL_ATTR_ROW_BIND_TYPE => stmt.ard().data.lock().header.bind_type,
        SQL_ATTR_ROW_BIND_OFFSET_PTR => stmt.ard().data.lock().header.bind_offset_ptr,
        SQL_ATTR_ROW_OPERATION_PTR => stmt.ard().data.lock().header.array_status_ptr,
        SQL_ATTR_ROW_STATUS_PTR => stmt.ird.data.lock().header.array_status_ptr,
        SQL_ATTR_ROWS_FETCHED_PTR => stmt.ird.data.lock().header.rows_processed_ptr,
        SQL_ATTR_PARAMSET_SIZE => stmt.apd().data.lock().header.array_size,
        SQL_ATTR_PARAM_BIND_TYPE => stmt.apd().data.lock().header.bind_type,
        SQL_ATTR_PARAM_BIND_OFFSET_PTR => stmt.apd().data.lock().header.bind_offset_ptr,
        SQL_ATTR_PARAM_OPERATION_PTR => stmt.apd().data.lock().header.array_status_ptr,
        SQL_ATTR_PARAM_STATUS_PTR => stmt.ipd.data.lock().header.array_status_ptr,
        SQL_ATTR_PARAMS_PROCESSED_PTR => stmt.ipd.data.lock().header.rows_processed_ptr,
        SQL_ATTR_APP_ROW_DESC => stmt.desc_handle(DescKind::Ard),
        SQL_ATTR_APP_PARAM_DESC => stmt.desc_handle(DescKind::Apd),
        SQL_ATTR_IMP_ROW_DESC => stmt.desc_handle(DescKind::Ird),
        SQL_ATTR_IMP_PARAM_DESC => stmt.desc_handle(DescKind::Ipd),
        other => {
            return Err(OdbcError::bad_attribute(format_args!(
                "statement attribute {other}"
            )));
        }
    };
    // SAFETY: per the caller.
    unsafe {
        write_if_some(value.cast::<usize>(), v);
        write_if_some(string_length, size_of::<usize>() as SqlInteger);
    }
    Ok(Outcome::Success)
}
