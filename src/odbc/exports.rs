//! The exported ODBC API. Every function is thin: it forwards its arguments to the entry
//! wrapper (panic boundary, handle lookup, diagnostics) and a safe(r) implementation. ANSI
//! functions take UTF-8, W functions UTF-16. All are `extern "system"` (field notes trap 26).
//!
//! The set of functions here must equal `info::EXPORTED_FUNCTIONS` (a unit test checks it):
//! that list is what SQLGetFunctions reports.
//!
//! # Safety
//! Every export trusts the pointers it receives to follow the ODBC specification of that
//! function (valid for the lengths given, or null where the spec allows null); handles are
//! validated without being dereferenced.

// The ODBC signatures are fixed by the specification.
#![allow(non_snake_case, clippy::missing_safety_doc, clippy::too_many_arguments)]

use std::ffi::c_void;

use super::catalog::functions::{self as catalog, EmptyCatalog};
use super::dbc::{Dbc, attrs as dbc_attrs, connect};
use super::desc::{Desc, copy as desc_copy, field as desc_field};
use super::diag::{DiagFieldArgs, DiagRecArgs, Outcome};
use super::entry::{call, call_anytime, guard};
use super::env::Env;
use super::ffi::{
    SQL_DROP, SQL_HANDLE_STMT, SQL_INVALID_HANDLE, SqlChar, SqlHWnd, SqlHandle, SqlInteger, SqlLen,
    SqlPointer, SqlReturn, SqlSmallInt, SqlULen, SqlUSmallInt, SqlWChar,
};
use super::handles;
use super::info;
use super::lifecycle;
use super::out::write_if_some;
use super::stmt::bind::{self, BindParameterArgs};
use super::stmt::describe::{self, ColAttributeArgs, DescribeColArgs};
use super::stmt::getdata::{self, GetDataArgs};
use super::stmt::params::{self, DescribeParamArgs};
use super::stmt::{Stmt, attrs as stmt_attrs, data_at_exec, execute, fetch};
use super::text::{Narrow, Wide};

// ---------------------------------------------------------------------------------------------
// Handles

#[unsafe(no_mangle)]
pub unsafe extern "system" fn SQLAllocHandle(
    handle_type: SqlSmallInt,
    input: SqlHandle,
    output: *mut SqlHandle,
) -> SqlReturn {
    unsafe { lifecycle::alloc_handle(handle_type, input, output) }
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn SQLFreeHandle(
    handle_type: SqlSmallInt,
    handle: SqlHandle,
) -> SqlReturn {
    lifecycle::free_handle(handle_type, handle)
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn SQLFreeStmt(stmt: SqlHandle, option: SqlUSmallInt) -> SqlReturn {
    if option == SQL_DROP {
        return lifecycle::free_handle(SQL_HANDLE_STMT, stmt);
    }
    call::<Stmt>(stmt, |s, _| s.free_stmt(option))
}

// ---------------------------------------------------------------------------------------------
// Attributes

#[unsafe(no_mangle)]
pub unsafe extern "system" fn SQLSetEnvAttr(
    env: SqlHandle,
    attribute: SqlInteger,
    value: SqlPointer,
    _length: SqlInteger,
) -> SqlReturn {
    call::<Env>(env, |e, _| e.set_attr(attribute, value))
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn SQLGetEnvAttr(
    env: SqlHandle,
    attribute: SqlInteger,
    value: SqlPointer,
    _buffer_length: SqlInteger,
    length: *mut SqlInteger,
) -> SqlReturn {
    call::<Env>(env, |e, d| unsafe {
        e.get_attr(attribute, value, length, d)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn SQLSetConnectAttr(
    dbc: SqlHandle,
    attribute: SqlInteger,
    value: SqlPointer,
    length: SqlInteger,
) -> SqlReturn {
    call::<Dbc>(dbc, |c, d| unsafe {
        dbc_attrs::set_attr::<Narrow>(c, attribute, value, length, d)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn SQLSetConnectAttrW(
    dbc: SqlHandle,
    attribute: SqlInteger,
    value: SqlPointer,
    length: SqlInteger,
) -> SqlReturn {
    call::<Dbc>(dbc, |c, d| unsafe {
        dbc_attrs::set_attr::<Wide>(c, attribute, value, length, d)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn SQLGetConnectAttr(
    dbc: SqlHandle,
    attribute: SqlInteger,
    value: SqlPointer,
    buffer_length: SqlInteger,
    length: *mut SqlInteger,
) -> SqlReturn {
    call::<Dbc>(dbc, |c, d| unsafe {
        dbc_attrs::get_attr::<Narrow>(c, attribute, value, buffer_length, length, d)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn SQLGetConnectAttrW(
    dbc: SqlHandle,
    attribute: SqlInteger,
    value: SqlPointer,
    buffer_length: SqlInteger,
    length: *mut SqlInteger,
) -> SqlReturn {
    call::<Dbc>(dbc, |c, d| unsafe {
        dbc_attrs::get_attr::<Wide>(c, attribute, value, buffer_length, length, d)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn SQLSetStmtAttr(
    stmt: SqlHandle,
    attribute: SqlInteger,
    value: SqlPointer,
    _length: SqlInteger,
) -> SqlReturn {
    call::<Stmt>(stmt, |s, d| stmt_attrs::set_attr(s, attribute, value, d))
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn SQLSetStmtAttrW(
    stmt: SqlHandle,
    attribute: SqlInteger,
    value: SqlPointer,
    _length: SqlInteger,
) -> SqlReturn {
    call::<Stmt>(stmt, |s, d| stmt_attrs::set_attr(s, attribute, value, d))
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn SQLGetStmtAttr(
    stmt: SqlHandle,
    attribute: SqlInteger,
    value: SqlPointer,
    _buffer_length: SqlInteger,
    length: *mut SqlInteger,
) -> SqlReturn {
    call::<Stmt>(stmt, |s, _| unsafe {
        stmt_attrs::get_attr(s, attribute, value, length)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn SQLGetStmtAttrW(
    stmt: SqlHandle,
    attribute: SqlInteger,
    value: SqlPointer,
    _buffer_length: SqlInteger,
    length: *mut SqlInteger,
) -> SqlReturn {
    call::<Stmt>(stmt, |s, _| unsafe {
        stmt_attrs::get_attr(s, attribute, value, length)
    })
}

// ---------------------------------------------------------------------------------------------
// Connections

#[unsafe(no_mangle)]
pub unsafe extern "system" fn SQLConnect(
    dbc: SqlHandle,
    dsn: *const SqlChar,
    dsn_len: SqlSmallInt,
    user: *const SqlChar,
    user_len: SqlSmallInt,
    password: *const SqlChar,
    password_len: SqlSmallInt,
) -> SqlReturn {
    let args = connect::ConnectArgs {
        dsn: (dsn.cast(), dsn_len),
        user: (user.cast(), user_len),
        password: (password.cast(), password_len),
    };
    call::<Dbc>(dbc, |c, _| unsafe { connect::connect::<Narrow>(c, &args) })
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn SQLConnectW(
    dbc: SqlHandle,
    dsn: *const SqlWChar,
    dsn_len: SqlSmallInt,
    user: *const SqlWChar,
    user_len: SqlSmallInt,
    password: *const SqlWChar,
    password_len: SqlSmallInt,
) -> SqlReturn {
    let args = connect::ConnectArgs {
        dsn: (dsn.cast(), dsn_len),
        user: (user.cast(), user_len),
        password: (password.cast(), password_len),
    };
    call::<Dbc>(dbc, |c, _| unsafe { connect::connect::<Wide>(c, &args) })
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn SQLDriverConnect(
    dbc: SqlHandle,
    _window: SqlHWnd,
    in_text: *const SqlChar,
    in_len: SqlSmallInt,
    out_text: *mut SqlChar,
    out_cap: SqlSmallInt,
    out_len: *mut SqlSmallInt,
    completion: SqlUSmallInt,
) -> SqlReturn {
    let args = connect::DriverConnectArgs {
        in_text: in_text.cast(),
        in_len,
        out_text: out_text.cast(),
        out_cap,
        out_len,
        completion,
    };
    call::<Dbc>(dbc, |c, d| unsafe {
        connect::driver_connect::<Narrow>(c, &args, d)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn SQLDriverConnectW(
    dbc: SqlHandle,
    _window: SqlHWnd,
    in_text: *const SqlWChar,
    in_len: SqlSmallInt,
    out_text: *mut SqlWChar,
    out_cap: SqlSmallInt,
    out_len: *mut SqlSmallInt,
    completion: SqlUSmallInt,
) -> SqlReturn {
    let args = connect::DriverConnectArgs {
        in_text: in_text.cast(),
        in_len,
        out_text: out_text.cast(),
        out_cap,
        out_len,
        completion,
    };
    call::<Dbc>(dbc, |c, d| unsafe {
        connect::driver_connect::<Wide>(c, &args, d)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn SQLDisconnect(dbc: SqlHandle) -> SqlReturn {
    call::<Dbc>(dbc, |c, _| c.disconnect().map(|()| Outcome::Success))
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn SQLEndTran(
    handle_type: SqlSmallInt,
    handle: SqlHandle,
    completion: SqlSmallInt,
) -> SqlReturn {
    lifecycle::end_tran(handle_type, handle, completion)
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn SQLGetInfo(
    dbc: SqlHandle,
    info_type: SqlUSmallInt,
    value: SqlPointer,
    buffer_length: SqlSmallInt,
    length: *mut SqlSmallInt,
) -> SqlReturn {
    call::<Dbc>(dbc, |c, d| unsafe {
        info::get_info::<Narrow>(c, info_type, value, buffer_length, length, d)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn SQLGetInfoW(
    dbc: SqlHandle,
    info_type: SqlUSmallInt,
    value: SqlPointer,
    buffer_length: SqlSmallInt,
    length: *mut SqlSmallInt,
) -> SqlReturn {
    call::<Dbc>(dbc, |c, d| unsafe {
        info::get_info::<Wide>(c, info_type, value, buffer_length, length, d)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn SQLGetFunctions(
    dbc: SqlHandle,
    function: SqlUSmallInt,
    supported: *mut SqlUSmallInt,
) -> SqlReturn {
    call::<Dbc>(dbc, |_, _| unsafe {
        info::get_functions(function, supported)
    })
}

// ---------------------------------------------------------------------------------------------
// Execution

#[unsafe(no_mangle)]
pub unsafe extern "system" fn SQLPrepare(
    stmt: SqlHandle,
    text: *const SqlChar,
    len: SqlInteger,
) -> SqlReturn {
    call::<Stmt>(stmt, |s, _| unsafe {
        execute::prepare::<Narrow>(s, text.cast(), len as isize)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn SQLPrepareW(
    stmt: SqlHandle,
    text: *const SqlWChar,
    len: SqlInteger,
) -> SqlReturn {
    call::<Stmt>(stmt, |s, _| unsafe {
        execute::prepare::<Wide>(s, text.cast(), len as isize)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn SQLExecDirect(
    stmt: SqlHandle,
    text: *const SqlChar,
    len: SqlInteger,
) -> SqlReturn {
    call::<Stmt>(stmt, |s, _| unsafe {
        execute::exec_direct::<Narrow>(s, text.cast(), len as isize)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn SQLExecDirectW(
    stmt: SqlHandle,
    text: *const SqlWChar,
    len: SqlInteger,
) -> SqlReturn {
    call::<Stmt>(stmt, |s, _| unsafe {
        execute::exec_direct::<Wide>(s, text.cast(), len as isize)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn SQLExecute(stmt: SqlHandle) -> SqlReturn {
    call::<Stmt>(stmt, |s, _| execute::execute(s))
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn SQLNumParams(stmt: SqlHandle, count: *mut SqlSmallInt) -> SqlReturn {
    call::<Stmt>(stmt, |s, _| {
        let n = params::num_params(s)?;
        unsafe { write_if_some(count, n) };
        Ok(Outcome::Success)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn SQLBindParameter(
    stmt: SqlHandle,
    number: SqlUSmallInt,
    io_type: SqlSmallInt,
    c_type: SqlSmallInt,
    sql_type: SqlSmallInt,
    column_size: SqlULen,
    decimal_digits: SqlSmallInt,
    value: SqlPointer,
    buffer_length: SqlLen,
    indicator: *mut SqlLen,
) -> SqlReturn {
    let args = BindParameterArgs {
        number,
        io_type,
        c_type,
        sql_type,
        column_size,
        decimal_digits,
        value,
        buffer_length,
        indicator,
    };
    call::<Stmt>(stmt, |s, _| bind::bind_parameter(s, &args))
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn SQLDescribeParam(
    stmt: SqlHandle,
    number: SqlUSmallInt,
    data_type: *mut SqlSmallInt,
    size: *mut SqlULen,
    digits: *mut SqlSmallInt,
    nullable: *mut SqlSmallInt,
) -> SqlReturn {
    let args = DescribeParamArgs {
        number,
        data_type,
        size,
        digits,
        nullable,
    };
    call::<Stmt>(stmt, |s, _| unsafe { params::describe_param(s, &args) })
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn SQLRowCount(stmt: SqlHandle, count: *mut SqlLen) -> SqlReturn {
    call::<Stmt>(stmt, |s, _| {
        let n = s.row_count()?;
        unsafe { write_if_some(count, n) };
        Ok(Outcome::Success)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn SQLMoreResults(stmt: SqlHandle) -> SqlReturn {
    call::<Stmt>(stmt, |s, _| s.more_results())
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn SQLParamData(stmt: SqlHandle, value: *mut SqlPointer) -> SqlReturn {
    call_anytime::<Stmt>(stmt, |s, _| unsafe { data_at_exec::param_data(s, value) })
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn SQLPutData(
    stmt: SqlHandle,
    data: SqlPointer,
    len: SqlLen,
) -> SqlReturn {
    call_anytime::<Stmt>(stmt, |s, _| unsafe { data_at_exec::put_data(s, data, len) })
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn SQLCancel(stmt: SqlHandle) -> SqlReturn {
    call_anytime::<Stmt>(stmt, |s, _| {
        s.cancel_running();
        Ok(Outcome::Success)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn SQLCloseCursor(stmt: SqlHandle) -> SqlReturn {
    call::<Stmt>(stmt, |s, _| s.close_cursor())
}

// ---------------------------------------------------------------------------------------------
// Results

#[unsafe(no_mangle)]
pub unsafe extern "system" fn SQLNumResultCols(
    stmt: SqlHandle,
    count: *mut SqlSmallInt,
) -> SqlReturn {
    call::<Stmt>(stmt, |s, _| {
        let n = describe::num_result_cols(s)?;
        unsafe { write_if_some(count, n) };
        Ok(Outcome::Success)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn SQLDescribeCol(
    stmt: SqlHandle,
    column: SqlUSmallInt,
    name: *mut SqlChar,
    name_cap: SqlSmallInt,
    name_len: *mut SqlSmallInt,
    data_type: *mut SqlSmallInt,
    column_size: *mut SqlULen,
    decimal_digits: *mut SqlSmallInt,
    nullable: *mut SqlSmallInt,
) -> SqlReturn {
    let args = DescribeColArgs {
        column,
        name: name.cast(),
        name_cap,
        name_len,
        data_type,
        column_size,
        decimal_digits,
        nullable,
    };
    call::<Stmt>(stmt, |s, d| unsafe {
        describe::describe_col::<Narrow>(s, &args, d)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn SQLDescribeColW(
    stmt: SqlHandle,
    column: SqlUSmallInt,
    name: *mut SqlWChar,
    name_cap: SqlSmallInt,
    name_len: *mut SqlSmallInt,
    data_type: *mut SqlSmallInt,
    column_size: *mut SqlULen,
    decimal_digits: *mut SqlSmallInt,
    nullable: *mut SqlSmallInt,
) -> SqlReturn {
    let args = DescribeColArgs {
        column,
        name: name.cast(),
        name_cap,
        name_len,
        data_type,
        column_size,
        decimal_digits,
        nullable,
    };
    call::<Stmt>(stmt, |s, d| unsafe {
        describe::describe_col::<Wide>(s, &args, d)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn SQLColAttribute(
    stmt: SqlHandle,
    column: SqlUSmallInt,
    field: SqlUSmallInt,
    text: SqlPointer,
    text_cap: SqlSmallInt,
    text_len: *mut SqlSmallInt,
    number: *mut SqlLen,
) -> SqlReturn {
    let args = ColAttributeArgs {
        column,
        field,
        text,
        text_cap,
        text_len,
        number,
    };
    call::<Stmt>(stmt, |s, d| unsafe {
        describe::col_attribute::<Narrow>(s, &args, d)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn SQLColAttributeW(
    stmt: SqlHandle,
    column: SqlUSmallInt,
    field: SqlUSmallInt,
    text: SqlPointer,
    text_cap: SqlSmallInt,
    text_len: *mut SqlSmallInt,
    number: *mut SqlLen,
) -> SqlReturn {
    let args = ColAttributeArgs {
        column,
        field,
        text,
        text_cap,
        text_len,
        number,
    };
    call::<Stmt>(stmt, |s, d| unsafe {
        describe::col_attribute::<Wide>(s, &args, d)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn SQLBindCol(
    stmt: SqlHandle,
    column: SqlUSmallInt,
    c_type: SqlSmallInt,
    value: SqlPointer,
    buffer_length: SqlLen,
    indicator: *mut SqlLen,
) -> SqlReturn {
    call::<Stmt>(stmt, |s, _| {
        bind::bind_col(s, column, c_type, value, buffer_length, indicator)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn SQLFetch(stmt: SqlHandle) -> SqlReturn {
    call::<Stmt>(stmt, |s, d| fetch::fetch(s, d))
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn SQLFetchScroll(
    stmt: SqlHandle,
    orientation: SqlSmallInt,
    _offset: SqlLen,
) -> SqlReturn {
    call::<Stmt>(stmt, |s, d| fetch::fetch_scroll(s, orientation, d))
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn SQLGetData(
    stmt: SqlHandle,
    column: SqlUSmallInt,
    target_type: SqlSmallInt,
    target: SqlPointer,
    buffer_length: SqlLen,
    indicator: *mut SqlLen,
) -> SqlReturn {
    let args = GetDataArgs {
        column,
        target_type,
        target,
        buffer_length,
        indicator,
    };
    call::<Stmt>(stmt, |s, d| unsafe { getdata::get_data(s, &args, d) })
}

// ---------------------------------------------------------------------------------------------
// Diagnostics

#[unsafe(no_mangle)]
pub unsafe extern "system" fn SQLGetDiagRec(
    handle_type: SqlSmallInt,
    handle: SqlHandle,
    record: SqlSmallInt,
    state: *mut SqlChar,
    native: *mut SqlInteger,
    message: *mut SqlChar,
    message_cap: SqlSmallInt,
    message_len: *mut SqlSmallInt,
) -> SqlReturn {
    let args = DiagRecArgs {
        rec_number: record,
        sqlstate: state.cast::<c_void>(),
        native,
        message: message.cast(),
        buffer_length: message_cap,
        text_length: message_len,
    };
    unsafe { lifecycle::get_diag_rec::<Narrow>(handle_type, handle, &args) }
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn SQLGetDiagRecW(
    handle_type: SqlSmallInt,
    handle: SqlHandle,
    record: SqlSmallInt,
    state: *mut SqlWChar,
    native: *mut SqlInteger,
    message: *mut SqlWChar,
    message_cap: SqlSmallInt,
    message_len: *mut SqlSmallInt,
) -> SqlReturn {
    let args = DiagRecArgs {
        rec_number: record,
        sqlstate: state.cast::<c_void>(),
        native,
        message: message.cast(),
        buffer_length: message_cap,
        text_length: message_len,
    };
    unsafe { lifecycle::get_diag_rec::<Wide>(handle_type, handle, &args) }
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn SQLGetDiagField(
    handle_type: SqlSmallInt,
    handle: SqlHandle,
    record: SqlSmallInt,
    identifier: SqlSmallInt,
    info: SqlPointer,
    info_cap: SqlSmallInt,
    info_len: *mut SqlSmallInt,
) -> SqlReturn {
    let args = DiagFieldArgs {
        rec_number: record,
        identifier,
        info,
        buffer_length: info_cap,
        string_length: info_len,
        is_statement: false,
    };
    unsafe { lifecycle::get_diag_field::<Narrow>(handle_type, handle, &args) }
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn SQLGetDiagFieldW(
    handle_type: SqlSmallInt,
    handle: SqlHandle,
    record: SqlSmallInt,
    identifier: SqlSmallInt,
    info: SqlPointer,
    info_cap: SqlSmallInt,
    info_len: *mut SqlSmallInt,
) -> SqlReturn {
    let args = DiagFieldArgs {
        rec_number: record,
        identifier,
        info,
        buffer_length: info_cap,
        string_length: info_len,
        is_statement: false,
    };
    unsafe { lifecycle::get_diag_field::<Wide>(handle_type, handle, &args) }
}

// ---------------------------------------------------------------------------------------------
// Catalog functions, SQLGetTypeInfo and SQLNativeSql (result sets built by the driver and
// served by the normal fetch path).

#[unsafe(no_mangle)]
pub unsafe extern "system" fn SQLTables(
    stmt: SqlHandle,
    catalog: *const SqlChar,
    catalog_len: SqlSmallInt,
    schema: *const SqlChar,
    schema_len: SqlSmallInt,
    table: *const SqlChar,
    table_len: SqlSmallInt,
    types: *const SqlChar,
    types_len: SqlSmallInt,
) -> SqlReturn {
    let args = [
        (catalog.cast(), catalog_len),
        (schema.cast(), schema_len),
        (table.cast(), table_len),
        (types.cast(), types_len),
    ];
    call::<Stmt>(stmt, |s, _| unsafe {
        catalog::sql_tables::<Narrow>(s, args)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn SQLTablesW(
    stmt: SqlHandle,
    catalog: *const SqlWChar,
    catalog_len: SqlSmallInt,
    schema: *const SqlWChar,
    schema_len: SqlSmallInt,
    table: *const SqlWChar,
    table_len: SqlSmallInt,
    types: *const SqlWChar,
    types_len: SqlSmallInt,
) -> SqlReturn {
    let args = [
        (catalog.cast(), catalog_len),
        (schema.cast(), schema_len),
        (table.cast(), table_len),
        (types.cast(), types_len),
    ];
    call::<Stmt>(stmt, |s, _| unsafe { catalog::sql_tables::<Wide>(s, args) })
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn SQLColumns(
    stmt: SqlHandle,
    catalog: *const SqlChar,
    catalog_len: SqlSmallInt,
    schema: *const SqlChar,
    schema_len: SqlSmallInt,
    table: *const SqlChar,
    table_len: SqlSmallInt,
    column: *const SqlChar,
    column_len: SqlSmallInt,
) -> SqlReturn {
    let args = [
        (catalog.cast(), catalog_len),
        (schema.cast(), schema_len),
        (table.cast(), table_len),
        (column.cast(), column_len),
    ];
    call::<Stmt>(stmt, |s, _| unsafe {
        catalog::sql_columns::<Narrow>(s, args)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn SQLColumnsW(
    stmt: SqlHandle,
    catalog: *const SqlWChar,
    catalog_len: SqlSmallInt,
    schema: *const SqlWChar,
    schema_len: SqlSmallInt,
    table: *const SqlWChar,
    table_len: SqlSmallInt,
    column: *const SqlWChar,
    column_len: SqlSmallInt,
) -> SqlReturn {
    let args = [
        (catalog.cast(), catalog_len),
        (schema.cast(), schema_len),
        (table.cast(), table_len),
        (column.cast(), column_len),
    ];
    call::<Stmt>(stmt, |s, _| unsafe {
        catalog::sql_columns::<Wide>(s, args)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn SQLGetTypeInfo(stmt: SqlHandle, data_type: SqlSmallInt) -> SqlReturn {
    call::<Stmt>(stmt, |s, _| catalog::type_info(s, data_type))
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn SQLGetTypeInfoW(
    stmt: SqlHandle,
    data_type: SqlSmallInt,
) -> SqlReturn {
    call::<Stmt>(stmt, |s, _| catalog::type_info(s, data_type))
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn SQLPrimaryKeys(
    stmt: SqlHandle,
    catalog: *const SqlChar,
    catalog_len: SqlSmallInt,
    schema: *const SqlChar,
    schema_len: SqlSmallInt,
    table: *const SqlChar,
    table_len: SqlSmallInt,
) -> SqlReturn {
    let args = [
        (catalog.cast(), catalog_len),
        (schema.cast(), schema_len),
        (table.cast(), table_len),
    ];
    call::<Stmt>(stmt, |s, _| unsafe {
        catalog::sql_empty::<Narrow, 3>(s, EmptyCatalog::PrimaryKeys, args, 2)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn SQLPrimaryKeysW(
    stmt: SqlHandle,
    catalog: *const SqlWChar,
    catalog_len: SqlSmallInt,
    schema: *const SqlWChar,
    schema_len: SqlSmallInt,
    table: *const SqlWChar,
    table_len: SqlSmallInt,
) -> SqlReturn {
    let args = [
        (catalog.cast(), catalog_len),
        (schema.cast(), schema_len),
        (table.cast(), table_len),
    ];
    call::<Stmt>(stmt, |s, _| unsafe {
        catalog::sql_empty::<Wide, 3>(s, EmptyCatalog::PrimaryKeys, args, 2)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn SQLForeignKeys(
    stmt: SqlHandle,
    pk_catalog: *const SqlChar,
    pk_catalog_len: SqlSmallInt,
    pk_schema: *const SqlChar,
    pk_schema_len: SqlSmallInt,
    pk_table: *const SqlChar,
    pk_table_len: SqlSmallInt,
    fk_catalog: *const SqlChar,
    fk_catalog_len: SqlSmallInt,
    fk_schema: *const SqlChar,
    fk_schema_len: SqlSmallInt,
    fk_table: *const SqlChar,
    fk_table_len: SqlSmallInt,
) -> SqlReturn {
    let args = [
        (pk_catalog.cast(), pk_catalog_len),
        (pk_schema.cast(), pk_schema_len),
        (pk_table.cast(), pk_table_len),
        (fk_catalog.cast(), fk_catalog_len),
        (fk_schema.cast(), fk_schema_len),
        (fk_table.cast(), fk_table_len),
    ];
    call::<Stmt>(stmt, |s, _| unsafe {
        catalog::sql_empty::<Narrow, 6>(s, EmptyCatalog::ForeignKeys, args, 2)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn SQLForeignKeysW(
    stmt: SqlHandle,
    pk_catalog: *const SqlWChar,
    pk_catalog_len: SqlSmallInt,
    pk_schema: *const SqlWChar,
    pk_schema_len: SqlSmallInt,
    pk_table: *const SqlWChar,
    pk_table_len: SqlSmallInt,
    fk_catalog: *const SqlWChar,
    fk_catalog_len: SqlSmallInt,
    fk_schema: *const SqlWChar,
    fk_schema_len: SqlSmallInt,
    fk_table: *const SqlWChar,
    fk_table_len: SqlSmallInt,
) -> SqlReturn {
    let args = [
        (pk_catalog.cast(), pk_catalog_len),
        (pk_schema.cast(), pk_schema_len),
        (pk_table.cast(), pk_table_len),
        (fk_catalog.cast(), fk_catalog_len),
        (fk_schema.cast(), fk_schema_len),
        (fk_table.cast(), fk_table_len),
    ];
    call::<Stmt>(stmt, |s, _| unsafe {
        catalog::sql_empty::<Wide, 6>(s, EmptyCatalog::ForeignKeys, args, 2)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn SQLStatistics(
    stmt: SqlHandle,
    catalog: *const SqlChar,
    catalog_len: SqlSmallInt,
    schema: *const SqlChar,
    schema_len: SqlSmallInt,
    table: *const SqlChar,
    table_len: SqlSmallInt,
    unique: SqlUSmallInt,
    reserved: SqlUSmallInt,
) -> SqlReturn {
    let args = [
        (catalog.cast(), catalog_len),
        (schema.cast(), schema_len),
        (table.cast(), table_len),
    ];
    call::<Stmt>(stmt, |s, _| unsafe {
        catalog::check_option(unique, &[0, 1], "HY100", "Unique")?;
        catalog::check_option(reserved, &[0, 1], "HY101", "Reserved")?;
        catalog::sql_empty::<Narrow, 3>(s, EmptyCatalog::Statistics, args, 2)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn SQLStatisticsW(
    stmt: SqlHandle,
    catalog: *const SqlWChar,
    catalog_len: SqlSmallInt,
    schema: *const SqlWChar,
    schema_len: SqlSmallInt,
    table: *const SqlWChar,
    table_len: SqlSmallInt,
    unique: SqlUSmallInt,
    reserved: SqlUSmallInt,
) -> SqlReturn {
    let args = [
        (catalog.cast(), catalog_len),
        (schema.cast(), schema_len),
        (table.cast(), table_len),
    ];
    call::<Stmt>(stmt, |s, _| unsafe {
        catalog::check_option(unique, &[0, 1], "HY100", "Unique")?;
        catalog::check_option(reserved, &[0, 1], "HY101", "Reserved")?;
        catalog::sql_empty::<Wide, 3>(s, EmptyCatalog::Statistics, args, 2)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn SQLSpecialColumns(
    stmt: SqlHandle,
    identifier_type: SqlUSmallInt,
    catalog: *const SqlChar,
    catalog_len: SqlSmallInt,
    schema: *const SqlChar,
    schema_len: SqlSmallInt,
    table: *const SqlChar,
    table_len: SqlSmallInt,
    scope: SqlUSmallInt,
    nullable: SqlUSmallInt,
) -> SqlReturn {
    let args = [
        (catalog.cast(), catalog_len),
        (schema.cast(), schema_len),
        (table.cast(), table_len),
    ];
    call::<Stmt>(stmt, |s, _| unsafe {
        catalog::check_option(identifier_type, &[1, 2], "HY097", "IdentifierType")?;
        catalog::check_option(scope, &[0, 1, 2], "HY098", "Scope")?;
        catalog::check_option(nullable, &[0, 1], "HY099", "Nullable")?;
        catalog::sql_empty::<Narrow, 3>(s, EmptyCatalog::SpecialColumns, args, 2)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn SQLSpecialColumnsW(
    stmt: SqlHandle,
    identifier_type: SqlUSmallInt,
    catalog: *const SqlWChar,
    catalog_len: SqlSmallInt,
    schema: *const SqlWChar,
    schema_len: SqlSmallInt,
    table: *const SqlWChar,
    table_len: SqlSmallInt,
    scope: SqlUSmallInt,
    nullable: SqlUSmallInt,
) -> SqlReturn {
    let args = [
        (catalog.cast(), catalog_len),
        (schema.cast(), schema_len),
        (table.cast(), table_len),
    ];
    call::<Stmt>(stmt, |s, _| unsafe {
        catalog::check_option(identifier_type, &[1, 2], "HY097", "IdentifierType")?;
        catalog::check_option(scope, &[0, 1, 2], "HY098", "Scope")?;
        catalog::check_option(nullable, &[0, 1], "HY099", "Nullable")?;
        catalog::sql_empty::<Wide, 3>(s, EmptyCatalog::SpecialColumns, args, 2)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn SQLProcedures(
    stmt: SqlHandle,
    catalog: *const SqlChar,
    catalog_len: SqlSmallInt,
    schema: *const SqlChar,
    schema_len: SqlSmallInt,
    procedure: *const SqlChar,
    procedure_len: SqlSmallInt,
) -> SqlReturn {
    let args = [
        (catalog.cast(), catalog_len),
        (schema.cast(), schema_len),
        (procedure.cast(), procedure_len),
    ];
    call::<Stmt>(stmt, |s, _| unsafe {
        catalog::sql_empty::<Narrow, 3>(s, EmptyCatalog::Procedures, args, 2)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn SQLProceduresW(
    stmt: SqlHandle,
    catalog: *const SqlWChar,
    catalog_len: SqlSmallInt,
    schema: *const SqlWChar,
    schema_len: SqlSmallInt,
    procedure: *const SqlWChar,
    procedure_len: SqlSmallInt,
) -> SqlReturn {
    let args = [
        (catalog.cast(), catalog_len),
        (schema.cast(), schema_len),
        (procedure.cast(), procedure_len),
    ];
    call::<Stmt>(stmt, |s, _| unsafe {
        catalog::sql_empty::<Wide, 3>(s, EmptyCatalog::Procedures, args, 2)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn SQLProcedureColumns(
    stmt: SqlHandle,
    catalog: *const SqlChar,
    catalog_len: SqlSmallInt,
    schema: *const SqlChar,
    schema_len: SqlSmallInt,
    procedure: *const SqlChar,
    procedure_len: SqlSmallInt,
    column: *const SqlChar,
    column_len: SqlSmallInt,
) -> SqlReturn {
    let args = [
        (catalog.cast(), catalog_len),
        (schema.cast(), schema_len),
        (procedure.cast(), procedure_len),
        (column.cast(), column_len),
    ];
    call::<Stmt>(stmt, |s, _| unsafe {
        catalog::sql_empty::<Narrow, 4>(s, EmptyCatalog::ProcedureColumns, args, 2)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn SQLProcedureColumnsW(
    stmt: SqlHandle,
    catalog: *const SqlWChar,
    catalog_len: SqlSmallInt,
    schema: *const SqlWChar,
    schema_len: SqlSmallInt,
    procedure: *const SqlWChar,
    procedure_len: SqlSmallInt,
    column: *const SqlWChar,
    column_len: SqlSmallInt,
) -> SqlReturn {
    let args = [
        (catalog.cast(), catalog_len),
        (schema.cast(), schema_len),
        (procedure.cast(), procedure_len),
        (column.cast(), column_len),
    ];
    call::<Stmt>(stmt, |s, _| unsafe {
        catalog::sql_empty::<Wide, 4>(s, EmptyCatalog::ProcedureColumns, args, 2)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn SQLTablePrivileges(
    stmt: SqlHandle,
    catalog: *const SqlChar,
    catalog_len: SqlSmallInt,
    schema: *const SqlChar,
    schema_len: SqlSmallInt,
    table: *const SqlChar,
    table_len: SqlSmallInt,
) -> SqlReturn {
    let args = [
        (catalog.cast(), catalog_len),
        (schema.cast(), schema_len),
        (table.cast(), table_len),
    ];
    call::<Stmt>(stmt, |s, _| unsafe {
        catalog::sql_empty::<Narrow, 3>(s, EmptyCatalog::TablePrivileges, args, 2)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn SQLTablePrivilegesW(
    stmt: SqlHandle,
    catalog: *const SqlWChar,
    catalog_len: SqlSmallInt,
    schema: *const SqlWChar,
    schema_len: SqlSmallInt,
    table: *const SqlWChar,
    table_len: SqlSmallInt,
) -> SqlReturn {
    let args = [
        (catalog.cast(), catalog_len),
        (schema.cast(), schema_len),
        (table.cast(), table_len),
    ];
    call::<Stmt>(stmt, |s, _| unsafe {
        catalog::sql_empty::<Wide, 3>(s, EmptyCatalog::TablePrivileges, args, 2)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn SQLColumnPrivileges(
    stmt: SqlHandle,
    catalog: *const SqlChar,
    catalog_len: SqlSmallInt,
    schema: *const SqlChar,
    schema_len: SqlSmallInt,
    table: *const SqlChar,
    table_len: SqlSmallInt,
    column: *const SqlChar,
    column_len: SqlSmallInt,
) -> SqlReturn {
    let args = [
        (catalog.cast(), catalog_len),
        (schema.cast(), schema_len),
        (table.cast(), table_len),
        (column.cast(), column_len),
    ];
    call::<Stmt>(stmt, |s, _| unsafe {
        catalog::sql_empty::<Narrow, 4>(s, EmptyCatalog::ColumnPrivileges, args, 2)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn SQLColumnPrivilegesW(
    stmt: SqlHandle,
    catalog: *const SqlWChar,
    catalog_len: SqlSmallInt,
    schema: *const SqlWChar,
    schema_len: SqlSmallInt,
    table: *const SqlWChar,
    table_len: SqlSmallInt,
    column: *const SqlWChar,
    column_len: SqlSmallInt,
) -> SqlReturn {
    let args = [
        (catalog.cast(), catalog_len),
        (schema.cast(), schema_len),
        (table.cast(), table_len),
        (column.cast(), column_len),
    ];
    call::<Stmt>(stmt, |s, _| unsafe {
        catalog::sql_empty::<Wide, 4>(s, EmptyCatalog::ColumnPrivileges, args, 2)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn SQLNativeSql(
    dbc: SqlHandle,
    text: *const SqlChar,
    text_len: SqlInteger,
    out: *mut SqlChar,
    out_cap: SqlInteger,
    out_len: *mut SqlInteger,
) -> SqlReturn {
    call::<Dbc>(dbc, |c, d| unsafe {
        catalog::native_sql::<Narrow>(
            c,
            text.cast(),
            text_len as isize,
            out.cast(),
            out_cap as isize,
            out_len,
            d,
        )
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn SQLNativeSqlW(
    dbc: SqlHandle,
    text: *const SqlWChar,
    text_len: SqlInteger,
    out: *mut SqlWChar,
    out_cap: SqlInteger,
    out_len: *mut SqlInteger,
) -> SqlReturn {
    call::<Dbc>(dbc, |c, d| unsafe {
        catalog::native_sql::<Wide>(
            c,
            text.cast(),
            text_len as isize,
            out.cast(),
            out_cap as isize,
            out_len,
            d,
        )
    })
}

// ---------------------------------------------------------------------------------------------
// Descriptors

#[unsafe(no_mangle)]
pub unsafe extern "system" fn SQLGetDescField(
    desc: SqlHandle,
    record: SqlSmallInt,
    field: SqlSmallInt,
    value: SqlPointer,
    buffer_length: SqlInteger,
    string_length: *mut SqlInteger,
) -> SqlReturn {
    let args = desc_field::GetFieldArgs {
        record,
        field,
        value,
        buffer_length,
        string_length,
    };
    call::<Desc>(desc, |h, d| unsafe {
        desc_field::get_desc_field::<Narrow>(h, &args, d)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn SQLGetDescFieldW(
    desc: SqlHandle,
    record: SqlSmallInt,
    field: SqlSmallInt,
    value: SqlPointer,
    buffer_length: SqlInteger,
    string_length: *mut SqlInteger,
) -> SqlReturn {
    let args = desc_field::GetFieldArgs {
        record,
        field,
        value,
        buffer_length,
        string_length,
    };
    call::<Desc>(desc, |h, d| unsafe {
        desc_field::get_desc_field::<Wide>(h, &args, d)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn SQLSetDescField(
    desc: SqlHandle,
    record: SqlSmallInt,
    field: SqlSmallInt,
    value: SqlPointer,
    buffer_length: SqlInteger,
) -> SqlReturn {
    call::<Desc>(desc, |h, _| unsafe {
        desc_field::set_desc_field::<Narrow>(h, record, field, value, buffer_length)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn SQLSetDescFieldW(
    desc: SqlHandle,
    record: SqlSmallInt,
    field: SqlSmallInt,
    value: SqlPointer,
    buffer_length: SqlInteger,
) -> SqlReturn {
    call::<Desc>(desc, |h, _| unsafe {
        desc_field::set_desc_field::<Wide>(h, record, field, value, buffer_length)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn SQLGetDescRec(
    desc: SqlHandle,
    record: SqlSmallInt,
    name: *mut SqlChar,
    name_cap: SqlSmallInt,
    name_len: *mut SqlSmallInt,
    sql_type: *mut SqlSmallInt,
    sub_type: *mut SqlSmallInt,
    length: *mut SqlLen,
    precision: *mut SqlSmallInt,
    scale: *mut SqlSmallInt,
    nullable: *mut SqlSmallInt,
) -> SqlReturn {
    let args = desc_field::GetRecArgs {
        record,
        name: name.cast(),
        name_cap,
        name_len,
        sql_type,
        sub_type,
        length,
        precision,
        scale,
        nullable,
    };
    call::<Desc>(desc, |h, d| unsafe {
        desc_field::get_desc_rec::<Narrow>(h, &args, d)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn SQLGetDescRecW(
    desc: SqlHandle,
    record: SqlSmallInt,
    name: *mut SqlWChar,
    name_cap: SqlSmallInt,
    name_len: *mut SqlSmallInt,
    sql_type: *mut SqlSmallInt,
    sub_type: *mut SqlSmallInt,
    length: *mut SqlLen,
    precision: *mut SqlSmallInt,
    scale: *mut SqlSmallInt,
    nullable: *mut SqlSmallInt,
) -> SqlReturn {
    let args = desc_field::GetRecArgs {
        record,
        name: name.cast(),
        name_cap,
        name_len,
        sql_type,
        sub_type,
        length,
        precision,
        scale,
        nullable,
    };
    call::<Desc>(desc, |h, d| unsafe {
        desc_field::get_desc_rec::<Wide>(h, &args, d)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn SQLSetDescRec(
    desc: SqlHandle,
    record: SqlSmallInt,
    sql_type: SqlSmallInt,
    sub_type: SqlSmallInt,
    length: SqlLen,
    precision: SqlSmallInt,
    scale: SqlSmallInt,
    data: SqlPointer,
    string_length: *mut SqlLen,
    indicator: *mut SqlLen,
) -> SqlReturn {
    let args = desc_field::SetRecArgs {
        record,
        sql_type,
        sub_type,
        length,
        precision,
        scale,
        data_ptr: data as usize,
        octet_length_ptr: string_length as usize,
        indicator_ptr: indicator as usize,
    };
    call::<Desc>(desc, |h, _| desc_field::set_desc_rec(h, &args))
}

#[unsafe(no_mangle)]
pub unsafe extern "system" fn SQLCopyDesc(source: SqlHandle, target: SqlHandle) -> SqlReturn {
    // Diagnostics go to the target; an invalid source is SQL_INVALID_HANDLE like the target.
    guard(|| match handles::lookup::<Desc>(source) {
        Some(source) => call::<Desc>(target, |t, _| desc_copy::copy_desc(&source, t)),
        None => SQL_INVALID_HANDLE,
    })
}
