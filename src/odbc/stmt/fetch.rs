//! SQLFetch / SQLFetchScroll: decode the current chunk straight into the bound buffers of a
//! rowset (SQL_ATTR_ROW_ARRAY_SIZE rows, column-wise or row-wise binding, bind offsets), with
//! the row-status array and rows-fetched count.
//!
//! Per cell, one `convert::write_cell` into a slice built from the binding; warnings (01004,
//! 01S07) become SQL_SUCCESS_WITH_INFO with a record naming the row and column, conversion
//! errors mark the row SQL_ROW_ERROR. The call fails (SQL_ERROR) only when every row of the
//! rowset failed or the query itself failed (cancel HY008, timeout HYT00, link lost 08S01).

use std::mem::size_of;

use crate::wire::{Chunk, Value};

use super::super::convert::{self, CType};
use super::super::desc::DescData;
use super::super::diag::{Diags, OdbcError, Outcome};
use super::super::entry::lock;
use super::super::ffi::{
    SQL_FETCH_NEXT, SQL_NULL_DATA, SQL_ROW_ERROR, SQL_ROW_NOROW, SQL_ROW_SUCCESS,
    SQL_ROW_SUCCESS_WITH_INFO, SqlLen, SqlSmallInt, SqlULen, SqlUSmallInt,
};
use super::super::out::{read_if_some, write_if_some};
use super::cursor::AdvanceError;
use super::{Stmt, StmtState};

/// `SQL_C_DEFAULT`.
const SQL_C_DEFAULT: SqlSmallInt = 99;
/// `SQL_NO_TOTAL`.
const SQL_NO_TOTAL: SqlLen = -4;

/// One bound column, resolved for a fetch call.
#[derive(Debug, Clone, Copy)]
struct Bound {
    /// 0-based result column.
    index: usize,
    ctype: CType,
    data: usize,
    /// Bytes of one element (the buffer length, or the C type's size).
    len: usize,
    data_stride: usize,
    indicator: usize,
    octet: usize,
    length_stride: usize,
}

/// Everything a fetch call needs from the descriptors.
struct Plan {
    columns: Vec<Bound>,
    rows: usize,
    offset: SqlLen,
    status: *mut SqlUSmallInt,
    fetched: *mut SqlULen,
}

/// The error for fetching without a cursor.
pub fn no_cursor(state: &StmtState) -> OdbcError {
    if state.executed {
        OdbcError::new(
            "24000",
            "invalid cursor state: no cursor is open (the statement returned no result set, or \
             the cursor was closed)",
        )
    } else {
        OdbcError::sequence("fetch before the statement was executed")
    }
}

fn plan(ard: &DescData, ird: &DescData) -> Result<Plan, OdbcError> {
    let row_wise = ard.header.bind_type;
    let mut columns = Vec::new();
    for (index, record) in ard.app.iter().enumerate() {
        if !record.is_bound() {
            continue;
        }
        let column = ird.columns.get(index).ok_or_else(|| {
            OdbcError::bad_index(format_args!(
                "column {} is bound but the result has {} columns",
                index + 1,
                ird.columns.len()
            ))
        })?;
        let ctype = if record.c_type == SQL_C_DEFAULT {
            CType::default_for(column.info.sql_type)
        } else {
            CType::from_code(record.c_type)
        }
        .ok_or_else(|| {
            OdbcError::new(
                "07006",
                format!(
                    "restricted data type attribute violation: column {} cannot be converted to \
                     C type {}",
                    index + 1,
                    record.c_type
                ),
            )
        })?;
        let len = ctype
            .fixed_size()
            .unwrap_or_else(|| usize::try_from(record.octet_length).unwrap_or(0));
        columns.push(Bound {
            index,
            ctype,
            data: record.data_ptr,
            len,
            data_stride: if row_wise > 0 { row_wise } else { len },
            indicator: record.indicator_ptr,
            octet: record.octet_length_ptr,
            length_stride: if row_wise > 0 {
                row_wise
            } else {
                size_of::<SqlLen>()
            },
        });
    }
    // SAFETY: set by the application through SQL_ATTR_ROW_BIND_OFFSET_PTR, valid while bound.
    let offset = unsafe { read_if_some(ard.header.bind_offset_ptr as *const SqlLen) }.unwrap_or(0);
    Ok(Plan {
        columns,
        rows: ard.header.array_size.max(1),
        offset,
        status: ird.header.array_status_ptr as *mut SqlUSmallInt,
        fetched: ird.header.rows_processed_ptr as *mut SqlULen,
    })
}

/// Address of element `slot` of a bound array (0 stays 0: not bound).
fn element(base: usize, offset: SqlLen, slot: usize, stride: usize) -> usize {
    if base == 0 {
        0
    } else {
        base.wrapping_add_signed(offset)
            .wrapping_add(slot.wrapping_mul(stride))
    }
}

/// Entry `slot` of the row-status array (null when no array is bound).
fn status_slot(base: *mut SqlUSmallInt, slot: usize) -> *mut SqlUSmallInt {
    if base.is_null() {
        base
    } else {
        base.wrapping_add(slot)
    }
}

/// Row status severity: success < with info < error.
fn worse(a: SqlUSmallInt, b: SqlUSmallInt) -> SqlUSmallInt {
    let rank = |s| match s {
        SQL_ROW_ERROR => 2,
        SQL_ROW_SUCCESS_WITH_INFO => 1,
        _ => 0,
    };
    if rank(b) > rank(a) { b } else { a }
}

/// Writes one row into rowset position `slot`; returns the row status.
///
/// # Safety
/// The plan's buffers are valid for `plan.rows` elements per the SQLBindCol contract.
unsafe fn deliver(
    plan: &Plan,
    chunk: &Chunk,
    row: usize,
    slot: usize,
    diags: &mut Diags,
) -> SqlUSmallInt {
    let mut status = SQL_ROW_SUCCESS;
    for b in &plan.columns {
        let value = chunk
            .columns
            .get(b.index)
            .map_or(Value::Null, |c| c.value(row));
        let data = element(b.data, plan.offset, slot, b.data_stride);
        let indicator = element(b.indicator, plan.offset, slot, b.length_stride) as *mut SqlLen;
        let octet = element(b.octet, plan.offset, slot, b.length_stride) as *mut SqlLen;
        let at = |e: OdbcError| e.at(slot + 1, b.index + 1);
        let written = if data == 0 {
            // Only a length/indicator is bound: report the length, no data, no truncation.
            let mut scratch = [0u8; 0];
            let mut off = 0usize;
            match value {
                Value::Null => Ok((SQL_NULL_DATA, false, false)),
                _ => Ok((
                    convert::write_cell(value, b.ctype, &mut scratch, &mut off, None).map_or_else(
                        |_| b.ctype.fixed_size().map_or(SQL_NO_TOTAL, |s| s as SqlLen),
                        |w| w.indicator,
                    ),
                    false,
                    false,
                )),
            }
        } else {
            // SAFETY: per the caller, `b.len` writable bytes at `data`.
            let out = unsafe { std::slice::from_raw_parts_mut(data as *mut u8, b.len) };
            let mut off = 0usize;
            convert::write_cell(value, b.ctype, out, &mut off, None)
                .map(|w| (w.indicator, w.truncated, w.fractional_truncation))
        };
        match written {
            Ok((SQL_NULL_DATA, _, _)) => {
                if indicator.is_null() {
                    diags.warn(at(OdbcError::new(
                        "22002",
                        "indicator variable required but not supplied: the value is NULL; bind \
                         a length/indicator buffer",
                    )));
                    status = worse(status, SQL_ROW_ERROR);
                    continue;
                }
                // SAFETY: per the caller.
                unsafe { write_if_some(indicator, SQL_NULL_DATA) };
            }
            Ok((length, truncated, fractional)) => {
                // SAFETY: per the caller.
                unsafe {
                    if indicator != octet {
                        write_if_some(indicator, 0);
                    }
                    write_if_some(octet, length);
                }
                if truncated {
                    diags.warn(at(OdbcError::new(
                        "01004",
                        format!(
                            "string data, right truncated: {length} bytes available, the buffer \
                             holds {}",
                            b.len
                        ),
                    )));
                    status = worse(status, SQL_ROW_SUCCESS_WITH_INFO);
                }
                if fractional {
                    diags.warn(at(OdbcError::new(
                        "01S07",
                        "fractional truncation: digits after the decimal point were dropped",
                    )));
                    status = worse(status, SQL_ROW_SUCCESS_WITH_INFO);
                }
            }
            Err(e) => {
                diags.warn(at(OdbcError::new(e.sqlstate(), e.message())));
                status = worse(status, SQL_ROW_ERROR);
            }
        }
    }
    status
}

/// SQLFetch.
pub fn fetch(stmt: &Stmt, diags: &mut Diags) -> Result<Outcome, OdbcError> {
    let mut state = lock(&stmt.state)?;
    if state.cursor.is_none() {
        return Err(no_cursor(&state));
    }
    let plan = {
        let ard_desc = stmt.ard();
        let ard = ard_desc.data.lock();
        let ird = stmt.ird.data.lock();
        plan(&ard, &ird)?
    };
    let max_rows = state.max_rows;
    let skip_data = state.skip_data;
    let _busy = stmt.begin_work();
    let mut produced = 0usize;
    let mut failed = 0usize;
    let mut failure = None;
    if let Some(cursor) = state.cursor.as_mut() {
        while produced < plan.rows {
            match cursor.advance(max_rows) {
                Ok(true) => {}
                Ok(false) => break,
                Err(e) => {
                    failure = Some(e);
                    break;
                }
            }
            let status = match (skip_data, cursor.current_row()) {
                (false, Some((chunk, row))) => {
                    // SAFETY: the bindings follow the SQLBindCol contract for `plan.rows` rows.
                    unsafe { deliver(&plan, chunk, row, produced, diags) }
                }
                _ => SQL_ROW_SUCCESS,
            };
            if status == SQL_ROW_ERROR {
                failed += 1;
            }
            // SAFETY: the status array holds `plan.rows` entries (SQL_ATTR_ROW_STATUS_PTR).
            unsafe { write_if_some(status_slot(plan.status, produced), status) };
            produced += 1;
        }
    }
    // SAFETY: as above; SQL_ATTR_ROWS_FETCHED_PTR is one SQLULEN.
    unsafe {
        if !plan.status.is_null() {
            for slot in produced..plan.rows {
                write_if_some(status_slot(plan.status, slot), SQL_ROW_NOROW);
            }
        }
        write_if_some(plan.fetched, produced);
    }
    if let Some(e) = failure {
        if let Some(cursor) = state.cursor.take() {
            cursor.close();
        }
        return Err(match e {
            AdvanceError::Client(e) => stmt.client_error(&e),
            AdvanceError::Driver(e) => e,
        });
    }
    if produced == 0 {
        return Ok(Outcome::NoData);
    }
    if failed == produced {
        return Ok(Outcome::Error);
    }
    Ok(Outcome::Success)
}

/// SQLFetchScroll: only SQL_FETCH_NEXT (the cursor is forward-only).
pub fn fetch_scroll(
    stmt: &Stmt,
    orientation: SqlSmallInt,
    diags: &mut Diags,
) -> Result<Outcome, OdbcError> {
    if orientation != SQL_FETCH_NEXT {
        return Err(OdbcError::not_implemented(&format!(
            "fetch orientation {orientation}: the cursor is forward-only; use SQL_FETCH_NEXT"
        )));
    }
    fetch(stmt, diags)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn element_addresses() {
        assert_eq!(element(0, 8, 3, 4), 0);
        assert_eq!(element(1000, 0, 3, 4), 1012);
        assert_eq!(element(1000, 16, 2, 100), 1216);
        assert_eq!(element(1000, -8, 0, 4), 992);
    }

    #[test]
    fn row_status_severity() {
        assert_eq!(
            worse(SQL_ROW_SUCCESS, SQL_ROW_SUCCESS_WITH_INFO),
            SQL_ROW_SUCCESS_WITH_INFO
        );
        assert_eq!(
            worse(SQL_ROW_ERROR, SQL_ROW_SUCCESS_WITH_INFO),
            SQL_ROW_ERROR
        );
        assert_eq!(worse(SQL_ROW_SUCCESS, SQL_ROW_SUCCESS), SQL_ROW_SUCCESS);
    }
}
