//! SQLBindCol (ARD records) and SQLBindParameter (APD + IPD records).

use super::super::convert::CType;
use super::super::desc::{AppRecord, ParamRecord};
use super::super::diag::{OdbcError, Outcome};
use super::super::entry::lock;
use super::super::ffi::{SQL_PARAM_INPUT, SqlLen, SqlPointer, SqlSmallInt, SqlULen, SqlUSmallInt};
use super::Stmt;

/// `SQL_C_DEFAULT`.
const SQL_C_DEFAULT: SqlSmallInt = 99;
/// `SQL_PARAM_INPUT_OUTPUT`.
const SQL_PARAM_INPUT_OUTPUT: SqlSmallInt = 2;
/// `SQL_PARAM_OUTPUT`.
const SQL_PARAM_OUTPUT: SqlSmallInt = 4;

/// Checks an application C type code (SQL_C_DEFAULT allowed).
fn check_c_type(code: SqlSmallInt) -> Result<(), OdbcError> {
    if code == SQL_C_DEFAULT || CType::from_code(code).is_some() {
        Ok(())
    } else {
        Err(OdbcError::new(
            "HY003",
            format!("invalid application buffer type {code}: this C type is not supported"),
        ))
    }
}

/// SQLBindCol. A null data pointer and null length pointer unbind the column.
pub fn bind_col(
    stmt: &Stmt,
    column: SqlUSmallInt,
    c_type: SqlSmallInt,
    value: SqlPointer,
    buffer_length: SqlLen,
    indicator: *mut SqlLen,
) -> Result<Outcome, OdbcError> {
    if column == 0 {
        return Err(OdbcError::bad_index(
            "column 0 is the bookmark column and bookmarks are off",
        ));
    }
    if buffer_length < 0 {
        return Err(OdbcError::bad_length("BufferLength", buffer_length));
    }
    let _state = lock(&stmt.state)?;
    let ard_desc = stmt.ard();
    let mut ard = ard_desc.data.lock();
    let number = usize::from(column);
    if value.is_null() && indicator.is_null() {
        if let Some(record) = ard.app.get_mut(number - 1) {
            *record = AppRecord::default();
        }
        ard.trim_app();
        return Ok(Outcome::Success);
    }
    check_c_type(c_type)?;
    *ard.app_record_mut(number) = AppRecord {
        c_type,
        data_ptr: value as usize,
        octet_length: buffer_length,
        indicator_ptr: indicator as usize,
        octet_length_ptr: indicator as usize,
        precision: 0,
        scale: 0,
        name: String::new(),
    };
    Ok(Outcome::Success)
}

/// Arguments of SQLBindParameter.
pub struct BindParameterArgs {
    /// `ParameterNumber`.
    pub number: SqlUSmallInt,
    /// `InputOutputType`.
    pub io_type: SqlSmallInt,
    /// `ValueType` (C type).
    pub c_type: SqlSmallInt,
    /// `ParameterType` (SQL type).
    pub sql_type: SqlSmallInt,
    /// `ColumnSize`.
    pub column_size: SqlULen,
    /// `DecimalDigits`.
    pub decimal_digits: SqlSmallInt,
    /// `ParameterValuePtr`.
    pub value: SqlPointer,
    /// `BufferLength`.
    pub buffer_length: SqlLen,
    /// `StrLen_or_IndPtr`.
    pub indicator: *mut SqlLen,
}

/// SQLBindParameter (input parameters only).
pub fn bind_parameter(stmt: &Stmt, args: &BindParameterArgs) -> Result<Outcome, OdbcError> {
    if args.number == 0 {
        return Err(OdbcError::bad_index(
            "parameter 0 (parameters are numbered from 1)",
        ));
    }
    match args.io_type {
        SQL_PARAM_INPUT => {}
        SQL_PARAM_INPUT_OUTPUT | SQL_PARAM_OUTPUT => {
            return Err(OdbcError::not_implemented(
                "output parameters (e6data has no procedures); bind with SQL_PARAM_INPUT",
            ));
        }
        other => {
            return Err(OdbcError::new(
                "HY105",
                format!("invalid parameter type {other}"),
            ));
        }
    }
    check_c_type(args.c_type)?;
    if args.buffer_length < 0 {
        return Err(OdbcError::bad_length("BufferLength", args.buffer_length));
    }
    let _state = lock(&stmt.state)?;
    let number = usize::from(args.number);
    let precision = i16::try_from(args.column_size).unwrap_or(i16::MAX);
    *stmt.apd().data.lock().app_record_mut(number) = AppRecord {
        c_type: args.c_type,
        data_ptr: args.value as usize,
        octet_length: args.buffer_length,
        indicator_ptr: args.indicator as usize,
        octet_length_ptr: args.indicator as usize,
        precision,
        scale: args.decimal_digits,
        name: String::new(),
    };
    *stmt.ipd.data.lock().param_record_mut(number) = ParamRecord {
        io_type: args.io_type,
        sql_type: args.sql_type,
        column_size: args.column_size,
        decimal_digits: args.decimal_digits,
        name: String::new(),
    };
    Ok(Outcome::Success)
}
