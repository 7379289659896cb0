//! Parameters: reading bound parameter buffers (APD + IPD), or the data a data-at-execution
//! parameter received through SQLPutData, into client values and substituting them into the
//! statement text client-side as e6data literals (never raw concatenation: the client quotes
//! and escapes each value), SQLNumParams, SQLDescribeParam.
//!
//! SQLDescribeParam cannot learn parameter types from e6data (the protocol has no parameter
//! metadata): an unbound parameter is described as `SQL_VARCHAR` of the driver's string size,
//! nullability unknown; a bound one reports what the application bound.

use crate::client::{ParamValue, params as client_params};

use super::super::convert::{self, CType};
use super::super::desc::{AppRecord, DescData, ParamRecord};
use super::super::diag::{OdbcError, Outcome};
use super::super::entry::lock;
use super::super::errors;
use super::super::ffi::{
    SQL_DATA_AT_EXEC, SQL_LEN_DATA_AT_EXEC_OFFSET, SQL_NTS, SQL_NULL_DATA, SQL_NULLABLE_UNKNOWN,
    SqlLen, SqlSmallInt, SqlULen, SqlUSmallInt,
};
use super::super::out::{self, read_if_some};
use super::super::sqltype;
use super::Stmt;
use super::data_at_exec::{Sent, SentValues};

/// `SQL_C_DEFAULT`.
const SQL_C_DEFAULT: SqlSmallInt = 99;

/// A statement's parameters as bound: one (APD, IPD) record pair per marker, in marker order,
/// and the APD's bind offset.
struct Bound {
    records: Vec<(AppRecord, ParamRecord)>,
    offset: SqlLen,
}

/// The APD's bind offset (0 without an offset pointer).
fn bind_offset(apd: &DescData) -> SqlLen {
    // SAFETY: the bind offset pointer was set by the application through
    // SQL_ATTR_PARAM_BIND_OFFSET_PTR and stays valid while parameters are bound.
    unsafe { read_if_some(apd.header.bind_offset_ptr as *const SqlLen) }.unwrap_or(0)
}

/// A bound address moved by the bind offset (a null address stays null).
fn shift(addr: usize, offset: SqlLen) -> usize {
    if addr == 0 {
        0
    } else {
        addr.wrapping_add_signed(offset)
    }
}

/// The bindings of the `markers` parameters: 07002 when one is not bound, HYC00 for arrays of
/// parameters.
fn bound_params(stmt: &Stmt, markers: usize) -> Result<Bound, OdbcError> {
    let apd_desc = stmt.apd();
    let apd = apd_desc.data.lock();
    if apd.header.array_size > 1 {
        // Only an explicit descriptor associated as the APD can carry this (the attribute and
        // the implicit APD refuse it).
        return Err(OdbcError::not_implemented(
            "arrays of parameters (the APD's SQL_DESC_ARRAY_SIZE is above 1); execute once per \
             set",
        ));
    }
    let ipd = stmt.ipd.data.lock();
    let mut records = Vec::with_capacity(markers);
    for index in 0..markers {
        let record = bound_record(&apd, index, markers)?;
        let sql_side = ipd.params.get(index).cloned().unwrap_or_default();
        records.push((record.clone(), sql_side));
    }
    Ok(Bound {
        records,
        offset: bind_offset(&apd),
    })
}

/// The APD record of 0-based parameter `index`, or 07002 when it is not bound.
fn bound_record(apd: &DescData, index: usize, markers: usize) -> Result<&AppRecord, OdbcError> {
    let number = index + 1;
    apd.app.get(index).filter(|r| r.is_bound()).ok_or_else(|| {
        OdbcError::new(
            "07002",
            format!(
                "COUNT field incorrect: the statement has {markers} parameter markers but \
                 parameter {number} is not bound; bind it with SQLBindParameter"
            ),
        )
    })
}

/// Prefixes an error with the parameter it concerns.
fn for_param(number: usize) -> impl Fn(OdbcError) -> OdbcError {
    move |e| OdbcError::new(e.sqlstate, format!("parameter {number}: {}", e.message))
}

/// The statement text with every `?` replaced by the literal of its parameter: the bound
/// buffer's value or, for a data-at-execution parameter, the data sent with SQLPutData (`sent`,
/// by 0-based parameter index).
pub fn substitute_bound(stmt: &Stmt, sql: &str, sent: &SentValues) -> Result<String, OdbcError> {
    let markers = client_params::count_markers(sql);
    if markers == 0 {
        return Ok(sql.to_string());
    }
    let bound = bound_params(stmt, markers)?;
    let mut values = Vec::with_capacity(markers);
    for (index, (record, sql_side)) in bound.records.iter().enumerate() {
        let value = match sent.get(&index) {
            Some(data) => from_sent(record, sql_side, data),
            // SAFETY: the application bound these buffers for the duration of execution.
            None => unsafe { read_one(record, sql_side, bound.offset) },
        }
        .map_err(for_param(index + 1))?;
        values.push(value);
    }
    client_params::substitute(sql, &values).map_err(|e| errors::from_client(&e))
}

/// The 0-based indexes of the parameters of `sql` whose length/indicator asks for data at
/// execution (`SQL_DATA_AT_EXEC` or `SQL_LEN_DATA_AT_EXEC(length)`), in parameter order. Fails
/// as execution would when a marker is not bound (07002).
pub fn data_at_exec_params(stmt: &Stmt, sql: &str) -> Result<Vec<usize>, OdbcError> {
    let markers = client_params::count_markers(sql);
    if markers == 0 {
        return Ok(Vec::new());
    }
    let bound = bound_params(stmt, markers)?;
    Ok(bound
        .records
        .iter()
        .enumerate()
        // SAFETY: the application bound the indicator buffers for the duration of execution.
        .filter(|(_, (record, _))| {
            unsafe { indicator(record, bound.offset) }.is_some_and(asks_data)
        })
        .map(|(index, _)| index)
        .collect())
}

/// What SQLParamData needs for data-at-execution parameter `index` (0-based) of a statement
/// with `markers` parameters: the value to hand back (the record's `SQL_DESC_DATA_PTR` moved by
/// the bind offset, the application's token) and the C type of the data SQLPutData will send.
pub fn data_at_exec_target(
    stmt: &Stmt,
    index: usize,
    markers: usize,
) -> Result<(usize, CType), OdbcError> {
    let apd_desc = stmt.apd();
    let apd = apd_desc.data.lock();
    let record = bound_record(&apd, index, markers)?;
    let sql_side = stmt
        .ipd
        .data
        .lock()
        .params
        .get(index)
        .cloned()
        .unwrap_or_default();
    let c_type = c_type_of(record, &sql_side).map_err(for_param(index + 1))?;
    Ok((shift(record.data_ptr, bind_offset(&apd)), c_type))
}

/// `true` for a length/indicator asking for data at execution.
fn asks_data(indicator: SqlLen) -> bool {
    indicator == SQL_DATA_AT_EXEC || indicator <= SQL_LEN_DATA_AT_EXEC_OFFSET
}

/// The length/indicator of a bound parameter, if it has an indicator buffer.
///
/// # Safety
/// The record's indicator pointer (plus `offset`) is valid per the SQLBindParameter contract.
unsafe fn indicator(record: &AppRecord, offset: SqlLen) -> Option<SqlLen> {
    // SAFETY: per the caller.
    unsafe { read_if_some(shift(record.indicator_ptr, offset) as *const SqlLen) }
}

/// The C type a parameter's data is in (`SQL_C_DEFAULT` resolved from the SQL type).
fn c_type_of(record: &AppRecord, sql_side: &ParamRecord) -> Result<CType, OdbcError> {
    if record.c_type == SQL_C_DEFAULT {
        CType::default_for(sql_side.sql_type).ok_or_else(|| {
            OdbcError::new(
                "07006",
                format!(
                    "restricted data type attribute violation: no default C type for SQL type {}",
                    sql_side.sql_type
                ),
            )
        })
    } else {
        CType::from_code(record.c_type).ok_or_else(|| {
            OdbcError::new(
                "HY003",
                format!("invalid application buffer type {}", record.c_type),
            )
        })
    }
}

/// A data-at-execution parameter's value from the data SQLPutData collected.
fn from_sent(
    record: &AppRecord,
    sql_side: &ParamRecord,
    sent: &Sent,
) -> Result<ParamValue, OdbcError> {
    match sent {
        Sent::Null => Ok(ParamValue::Null),
        Sent::Bytes(data) => convert_bytes(record, sql_side, c_type_of(record, sql_side)?, data),
    }
}

/// Reads one bound input parameter from its buffers.
///
/// # Safety
/// The record's pointers (plus `offset`) are valid per the SQLBindParameter contract.
unsafe fn read_one(
    record: &AppRecord,
    sql_side: &ParamRecord,
    offset: SqlLen,
) -> Result<ParamValue, OdbcError> {
    // SAFETY: per the caller.
    let indicator = unsafe { indicator(record, offset) };
    if indicator == Some(SQL_NULL_DATA) {
        return Ok(ParamValue::Null);
    }
    if indicator.is_some_and(asks_data) {
        return Err(OdbcError::sequence(
            "the length/indicator became SQL_DATA_AT_EXEC after the statement was executed, so \
             no data was sent for it; set it before SQLExecute/SQLExecDirect",
        ));
    }
    let c_type = c_type_of(record, sql_side)?;
    let data_ptr = shift(record.data_ptr, offset) as *const u8;
    if data_ptr.is_null() {
        return Err(OdbcError::null_pointer(
            "ParameterValuePtr of a non-NULL parameter",
        ));
    }
    let cap = usize::try_from(record.octet_length).unwrap_or(0);
    let len = match (c_type.fixed_size(), indicator) {
        (Some(size), _) => size,
        (None, Some(n)) if n >= 0 => usize::try_from(n).unwrap_or(0),
        (None, Some(SQL_NTS) | None) => match c_type {
            // SAFETY: per the caller, NUL-terminated text (bounded by the buffer when known).
            CType::Char => unsafe { nul_terminated::<u8>(data_ptr, cap) },
            CType::WChar => unsafe { nul_terminated::<u16>(data_ptr.cast(), cap / 2) * 2 },
            _ => cap,
        },
        (None, Some(other)) => {
            return Err(OdbcError::bad_length("StrLen_or_IndPtr", other));
        }
    };
    // SAFETY: per the caller, `len` bytes are readable at `data_ptr`.
    let data = unsafe { std::slice::from_raw_parts(data_ptr, len) };
    convert_bytes(record, sql_side, c_type, data)
}

/// Converts a parameter's bytes (from its buffer or sent with SQLPutData) in `c_type` to the
/// value of its SQL type.
fn convert_bytes(
    record: &AppRecord,
    sql_side: &ParamRecord,
    c_type: CType,
    data: &[u8],
) -> Result<ParamValue, OdbcError> {
    let numeric = (c_type == CType::Numeric).then(|| {
        (
            u8::try_from(record.precision.clamp(1, 38)).unwrap_or(38),
            i8::try_from(record.scale.clamp(-38, 38)).unwrap_or(0),
        )
    });
    let indicator = isize::try_from(data.len()).unwrap_or(isize::MAX);
    convert::read_param(c_type, sql_side.sql_type, data, indicator, numeric)
        .map_err(|e| OdbcError::new(e.sqlstate(), e.message()))
}

/// Length (in units) of a NUL-terminated sequence, bounded by `max` units when `max > 0`.
///
/// # Safety
/// `ptr` points to a NUL-terminated sequence, or to `max` readable units.
pub(super) unsafe fn nul_terminated<T: Copy + Default + PartialEq>(
    ptr: *const T,
    max: usize,
) -> usize {
    let zero = T::default();
    let mut n = 0usize;
    // SAFETY: per the caller; we stop at the terminator or at `max`.
    while (max == 0 || n < max) && unsafe { ptr.add(n).read_unaligned() } != zero {
        n += 1;
    }
    n
}

/// SQLNumParams: the `?` markers of the prepared (or last executed) statement.
pub fn num_params(stmt: &Stmt) -> Result<SqlSmallInt, OdbcError> {
    let state = lock(&stmt.state)?;
    let sql = state
        .sql
        .as_deref()
        .ok_or_else(|| OdbcError::sequence("SQLNumParams before SQLPrepare"))?;
    Ok(SqlSmallInt::try_from(client_params::count_markers(sql)).unwrap_or(SqlSmallInt::MAX))
}

/// Arguments of SQLDescribeParam.
pub struct DescribeParamArgs {
    /// `ParameterNumber`.
    pub number: SqlUSmallInt,
    /// `DataTypePtr`.
    pub data_type: *mut SqlSmallInt,
    /// `ParameterSizePtr`.
    pub size: *mut SqlULen,
    /// `DecimalDigitsPtr`.
    pub digits: *mut SqlSmallInt,
    /// `NullablePtr`.
    pub nullable: *mut SqlSmallInt,
}

/// SQLDescribeParam.
///
/// # Safety
/// The pointers in `args` are null or valid for their types.
pub unsafe fn describe_param(stmt: &Stmt, args: &DescribeParamArgs) -> Result<Outcome, OdbcError> {
    let count = usize::try_from(num_params(stmt)?).unwrap_or(0);
    let number = usize::from(args.number);
    if number == 0 || number > count {
        return Err(OdbcError::bad_index(format_args!(
            "parameter {number} (the statement has {count} parameter markers)"
        )));
    }
    let bound = stmt
        .ipd
        .data
        .lock()
        .params
        .get(number - 1)
        .filter(|p| p.sql_type != 0)
        .map(|p| (p.sql_type, p.column_size, p.decimal_digits));
    let (sql_type, size, digits) = match bound {
        Some(described) => described,
        None => (
            sqltype::SQL_VARCHAR,
            sqltype::STRING_COLUMN_SIZE as SqlULen,
            0,
        ),
    };
    // SAFETY: per the caller.
    unsafe {
        out::write_if_some(args.data_type, sql_type);
        out::write_if_some(args.size, size);
        out::write_if_some(args.digits, digits);
        out::write_if_some(args.nullable, SQL_NULLABLE_UNKNOWN);
    }
    Ok(Outcome::Success)
}
