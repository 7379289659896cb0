//! Descriptor functions through the driver manager: binding a column by setting ARD fields,
//! reading IRD fields with SQLGetDescField, explicitly allocated descriptors as ARD and APD,
//! SQLSetDescRec, SQLCopyDesc, and the descriptor error SQLSTATEs.

#[path = "support/driver.rs"]
mod driver;
#[path = "support/engine.rs"]
mod engine;

use std::ffi::c_void;

use driver::conn_str;
use driver::raw::*;
use engine::Engine;

const SQL_HANDLE_DESC: i16 = 4;
const SQL_ATTR_APP_ROW_DESC: i32 = 10010;
const SQL_ATTR_APP_PARAM_DESC: i32 = 10011;
const SQL_ATTR_IMP_ROW_DESC: i32 = 10012;
const SQL_ATTR_IMP_PARAM_DESC: i32 = 10013;
const SQL_DESC_TYPE_NAME: i16 = 14;
const SQL_DESC_ALLOC_TYPE: i16 = 1099;
const SQL_DESC_ALLOC_AUTO: i16 = 1;
const SQL_DESC_ALLOC_USER: i16 = 2;
const SQL_BIGINT: i16 = -5;
const SQL_INTEGER: i16 = 4;
const SQL_NO_DATA: i16 = 100;
const SQL_DESC_CONCISE_TYPE: i16 = 2;
const SQL_DESC_COUNT: i16 = 1001;
const SQL_DESC_OCTET_LENGTH: i16 = 1013;
const SQL_DESC_INDICATOR_PTR: i16 = 1009;
const SQL_DESC_DATA_PTR: i16 = 1010;
const SQL_DESC_NAME: i16 = 1011;
const SQL_C_SBIGINT: i16 = -25;

#[link(name = "odbc")]
unsafe extern "system" {
    fn SQLGetDescField(
        d: H,
        rec: i16,
        field: i16,
        value: *mut c_void,
        cap: i32,
        len: *mut i32,
    ) -> i16;
    fn SQLSetDescField(d: H, rec: i16, field: i16, value: *mut c_void, len: i32) -> i16;
    fn SQLGetDescFieldW(
        d: H,
        rec: i16,
        field: i16,
        value: *mut c_void,
        cap: i32,
        len: *mut i32,
    ) -> i16;
    fn SQLSetDescFieldW(d: H, rec: i16, field: i16, value: *mut c_void, len: i32) -> i16;
    fn SQLSetDescRec(
        d: H,
        rec: i16,
        ty: i16,
        sub: i16,
        length: isize,
        precision: i16,
        scale: i16,
        data: *mut c_void,
        string_length: *mut isize,
        indicator: *mut isize,
    ) -> i16;
    fn SQLCopyDesc(source: H, target: H) -> i16;
    fn SQLPrepare(stmt: H, text: *const u8, len: i32) -> i16;
    fn SQLGetDescRec(
        d: H,
        rec: i16,
        name: *mut u8,
        cap: i16,
        name_len: *mut i16,
        ty: *mut i16,
        sub: *mut i16,
        length: *mut isize,
        precision: *mut i16,
        scale: *mut i16,
        nullable: *mut i16,
    ) -> i16;
}

fn desc_of(stmt: H, attr: i32) -> H {
    let mut desc: H = std::ptr::null_mut();
    let rc = unsafe {
        SQLGetStmtAttr(
            stmt,
            attr,
            (&mut desc as *mut H).cast(),
            0,
            std::ptr::null_mut(),
        )
    };
    check(rc, SQL_HANDLE_STMT, stmt, "SQLGetStmtAttr(desc)");
    assert!(!desc.is_null());
    desc
}

fn set(desc: H, rec: i16, field: i16, value: usize) -> i16 {
    unsafe { SQLSetDescField(desc, rec, field, value as *mut c_void, 0) }
}

/// SQLGetDescField into `value` (`cap` bytes); returns the code and the reported length.
fn get_raw(desc: H, rec: i16, field: i16, value: *mut c_void, cap: i32) -> (i16, i32) {
    let mut len = 0i32;
    let rc = unsafe { SQLGetDescField(desc, rec, field, value, cap, &mut len) };
    (rc, len)
}

/// A SQLSMALLINT field: the return code and the value.
fn try_small(desc: H, rec: i16, field: i16) -> (i16, i16) {
    let mut v = 0i16;
    let (rc, _) = get_raw(desc, rec, field, (&mut v as *mut i16).cast(), 0);
    (rc, v)
}

fn get_small(desc: H, rec: i16, field: i16) -> i16 {
    let (rc, v) = try_small(desc, rec, field);
    check(rc, SQL_HANDLE_DESC, desc, "SQLGetDescField");
    v
}

/// A character field: the return code and the text.
fn try_text(desc: H, rec: i16, field: i16) -> (i16, String) {
    let mut buf = [0u8; 128];
    let (rc, len) = get_raw(desc, rec, field, buf.as_mut_ptr().cast(), buf.len() as i32);
    let n = (len.max(0) as usize).min(buf.len());
    (rc, String::from_utf8_lossy(&buf[..n]).into_owned())
}

fn get_text(desc: H, rec: i16, field: i16) -> String {
    let (rc, text) = try_text(desc, rec, field);
    check(rc, SQL_HANDLE_DESC, desc, "SQLGetDescField(text)");
    text
}

/// SQLGetDescRec: the return code and the record's name.
fn desc_rec_name(desc: H, rec: i16) -> (i16, String) {
    let mut name = [0u8; 32];
    let (mut name_len, mut ty, mut sub, mut prec, mut scale, mut nullable) = (0i16, 0, 0, 0, 0, 0);
    let mut length = 0isize;
    let rc = unsafe {
        SQLGetDescRec(
            desc,
            rec,
            name.as_mut_ptr(),
            name.len() as i16,
            &mut name_len,
            &mut ty,
            &mut sub,
            &mut length,
            &mut prec,
            &mut scale,
            &mut nullable,
        )
    };
    let n = (name_len.max(0) as usize).min(name.len());
    (rc, String::from_utf8_lossy(&name[..n]).into_owned())
}

fn fetch(stmt: H) {
    check(unsafe { SQLFetch(stmt) }, SQL_HANDLE_STMT, stmt, "SQLFetch");
}

fn prepare(stmt: H, sql: &str) {
    let rc = unsafe { SQLPrepare(stmt, sql.as_ptr(), sql.len() as i32) };
    check(rc, SQL_HANDLE_STMT, stmt, "SQLPrepare");
}

/// An application descriptor allocated on the connection.
fn alloc_desc(conn: &Conn) -> H {
    let mut desc: H = std::ptr::null_mut();
    let rc = unsafe { SQLAllocHandle(SQL_HANDLE_DESC, conn.dbc, &mut desc) };
    check(rc, SQL_HANDLE_DBC, conn.dbc, "SQLAllocHandle(DESC)");
    assert!(!desc.is_null());
    desc
}

fn set_attr(stmt: H, attr: i32, value: H) -> i16 {
    unsafe { SQLSetStmtAttr(stmt, attr, value, 0) }
}

/// Binds record `rec` of an application descriptor to an `SQLBIGINT` with SQLSetDescRec.
fn bind_bigint(desc: H, rec: i16, value: &mut i64, ind: &mut isize) {
    let rc = unsafe {
        SQLSetDescRec(
            desc,
            rec,
            SQL_C_SBIGINT,
            0,
            8,
            0,
            0,
            (value as *mut i64).cast(),
            ind,
            ind,
        )
    };
    check(rc, SQL_HANDLE_DESC, desc, "SQLSetDescRec");
}

const IDS: &str = "SELECT id, str_col FROM demo.all_types ORDER BY id";

#[test]
fn ard_fields_bind_a_column_and_ird_fields_describe_the_result() {
    let engine = Engine::start();
    let conn = Conn::connect(&conn_str(&engine));
    let stmt = conn.stmt();
    let rc = exec(stmt, "SELECT id, str_col FROM demo.all_types ORDER BY id");
    check(rc, SQL_HANDLE_STMT, stmt, "SQLExecDirect");

    // Bind column 1 through the ARD alone (no SQLBindCol).
    let ard = desc_of(stmt, SQL_ATTR_APP_ROW_DESC);
    let mut id = 0i64;
    let mut ind = 0isize;
    for (field, value) in [
        (SQL_DESC_CONCISE_TYPE, SQL_C_SBIGINT as u16 as usize),
        (SQL_DESC_OCTET_LENGTH, 8),
        (SQL_DESC_INDICATOR_PTR, &mut ind as *mut isize as usize),
        (SQL_DESC_DATA_PTR, &mut id as *mut i64 as usize),
    ] {
        check(
            set(ard, 1, field, value),
            SQL_HANDLE_DESC,
            ard,
            "SQLSetDescField",
        );
    }
    assert_eq!(get_small(ard, 0, SQL_DESC_COUNT), 1);

    fetch(stmt);
    assert_eq!(id, 1, "the ARD binding was honoured by SQLFetch");
    assert_ne!(ind, SQL_NULL_DATA);
    fetch(stmt);
    assert_eq!(id, 2);

    // IRD: header count, a record's name through SQLGetDescField and SQLGetDescRec.
    let ird = desc_of(stmt, SQL_ATTR_IMP_ROW_DESC);
    assert_eq!(get_small(ird, 0, SQL_DESC_COUNT), 2);
    assert_eq!(get_text(ird, 2, SQL_DESC_NAME), "str_col");
    let (rc, name) = desc_rec_name(ird, 2);
    check(rc, SQL_HANDLE_DESC, ird, "SQLGetDescRec(IRD 2)");
    assert_eq!(name, "str_col");
    assert_eq!(desc_rec_name(ird, 3).0, SQL_NO_DATA, "past the last record");
    // Errors: the IRD is read-only, unknown fields and record 0 are refused.
    assert_eq!(set(ird, 1, SQL_DESC_DATA_PTR, 8), SQL_ERROR);
    assert_eq!(diag(SQL_HANDLE_DESC, ird).0, "HY016");
    assert_eq!(set(ard, 1, 4321, 8), SQL_ERROR);
    assert_eq!(diag(SQL_HANDLE_DESC, ard).0, "HY091");
    assert_eq!(try_text(ird, 0, SQL_DESC_NAME).0, SQL_ERROR);
    assert_eq!(diag(SQL_HANDLE_DESC, ird).0, "07009");
}

#[test]
fn an_explicit_ard_binds_columns_until_it_is_freed() {
    let engine = Engine::start();
    let conn = Conn::connect(&conn_str(&engine));
    let stmt = conn.stmt();
    let implicit_ard = desc_of(stmt, SQL_ATTR_APP_ROW_DESC);
    assert_eq!(
        get_small(implicit_ard, 0, SQL_DESC_ALLOC_TYPE),
        SQL_DESC_ALLOC_AUTO
    );

    let desc = alloc_desc(&conn);
    assert_eq!(get_small(desc, 0, SQL_DESC_ALLOC_TYPE), SQL_DESC_ALLOC_USER);
    assert_eq!(get_small(desc, 0, SQL_DESC_COUNT), 0);
    let (mut id, mut ind) = (0i64, 0isize);
    bind_bigint(desc, 1, &mut id, &mut ind);
    assert_eq!(get_small(desc, 1, SQL_DESC_CONCISE_TYPE), SQL_C_SBIGINT);
    check(
        set_attr(stmt, SQL_ATTR_APP_ROW_DESC, desc),
        SQL_HANDLE_STMT,
        stmt,
        "SQLSetStmtAttr(APP_ROW_DESC)",
    );
    assert_eq!(desc_of(stmt, SQL_ATTR_APP_ROW_DESC), desc);

    check(exec(stmt, IDS), SQL_HANDLE_STMT, stmt, "SQLExecDirect");
    fetch(stmt);
    assert_eq!((id, ind), (1, 8), "the explicit ARD received the row");
    fetch(stmt);
    assert_eq!(id, 2);
    check(
        unsafe { SQLCloseCursor(stmt) },
        SQL_HANDLE_STMT,
        stmt,
        "close",
    );

    // SQLBindCol writes into the ARD in use: the explicit one.
    let mut text = [0u8; 32];
    let mut text_len = 0isize;
    let rc = unsafe {
        SQLBindCol(
            stmt,
            2,
            1,
            text.as_mut_ptr().cast(),
            text.len() as isize,
            &mut text_len,
        )
    };
    check(rc, SQL_HANDLE_STMT, stmt, "SQLBindCol");
    assert_eq!(get_small(desc, 0, SQL_DESC_COUNT), 2);
    assert_eq!(get_small(implicit_ard, 0, SQL_DESC_COUNT), 0);

    // Freeing the descriptor returns the statement to its implicit ARD (no bindings).
    check(
        unsafe { SQLFreeHandle(SQL_HANDLE_DESC, desc) },
        SQL_HANDLE_DESC,
        desc,
        "SQLFreeHandle(DESC)",
    );
    assert_eq!(desc_of(stmt, SQL_ATTR_APP_ROW_DESC), implicit_ard);
    id = -1;
    check(exec(stmt, IDS), SQL_HANDLE_STMT, stmt, "SQLExecDirect");
    fetch(stmt);
    assert_eq!(id, -1, "the freed descriptor's buffer is no longer bound");

    // Implicit descriptors are freed with their statement, and cannot serve another statement.
    let other = conn.stmt();
    assert_eq!(
        unsafe { SQLFreeHandle(SQL_HANDLE_DESC, implicit_ard) },
        SQL_ERROR
    );
    assert_eq!(diag(SQL_HANDLE_DESC, implicit_ard).0, "HY017");
    assert_eq!(
        set_attr(other, SQL_ATTR_APP_ROW_DESC, implicit_ard),
        SQL_ERROR
    );
    assert_eq!(diag(SQL_HANDLE_STMT, other).0, "HY017");
    let ird = desc_of(stmt, SQL_ATTR_IMP_ROW_DESC);
    assert_eq!(set_attr(stmt, SQL_ATTR_IMP_ROW_DESC, ird), SQL_ERROR);
    assert_eq!(diag(SQL_HANDLE_STMT, stmt).0, "HY017");
}

#[test]
fn copy_desc_turns_a_result_into_bindings_and_parameters() {
    let engine = Engine::start();
    let conn = Conn::connect(&conn_str(&engine));

    // A prepared (not executed) statement's IRD is described on demand.
    let source = conn.stmt();
    prepare(source, IDS);
    let ird = desc_of(source, SQL_ATTR_IMP_ROW_DESC);
    assert_eq!(get_small(ird, 0, SQL_DESC_COUNT), 2);
    assert_eq!(get_text(ird, 1, SQL_DESC_NAME), "id");
    assert!(!get_text(ird, 2, SQL_DESC_TYPE_NAME).is_empty());
    let id_type = get_small(ird, 1, SQL_DESC_CONCISE_TYPE);
    assert!(
        [SQL_INTEGER, SQL_BIGINT].contains(&id_type),
        "id is an integer column, got SQL type {id_type}"
    );

    // IRD -> explicit descriptor: the records arrive with names and types, unbound.
    let desc = alloc_desc(&conn);
    check(
        unsafe { SQLCopyDesc(ird, desc) },
        SQL_HANDLE_DESC,
        desc,
        "SQLCopyDesc(IRD -> explicit)",
    );
    assert_eq!(get_small(desc, 0, SQL_DESC_COUNT), 2);
    assert_eq!(get_text(desc, 2, SQL_DESC_NAME), "str_col");
    assert_eq!(get_small(desc, 0, SQL_DESC_ALLOC_TYPE), SQL_DESC_ALLOC_USER);
    let (mut id, mut ind) = (0i64, 0isize);
    bind_bigint(desc, 1, &mut id, &mut ind);
    check(
        set(desc, 2, SQL_DESC_CONCISE_TYPE, 1),
        SQL_HANDLE_DESC,
        desc,
        "type of record 2",
    );

    // The explicit descriptor as the ARD of another statement.
    let reader = conn.stmt();
    check(
        set_attr(reader, SQL_ATTR_APP_ROW_DESC, desc),
        SQL_HANDLE_STMT,
        reader,
        "SQLSetStmtAttr(APP_ROW_DESC)",
    );
    check(exec(reader, IDS), SQL_HANDLE_STMT, reader, "SQLExecDirect");
    fetch(reader);
    assert_eq!(id, 1);

    // An explicit descriptor as the APD; the IPD typed through SQLCopyDesc from the IRD.
    let apd = alloc_desc(&conn);
    let (mut wanted, mut wanted_ind) = (3i64, 8isize);
    bind_bigint(apd, 1, &mut wanted, &mut wanted_ind);
    let query = conn.stmt();
    prepare(query, "SELECT id, str_col FROM demo.all_types WHERE id = ?");
    let ipd = desc_of(query, SQL_ATTR_IMP_PARAM_DESC);
    check(
        unsafe { SQLCopyDesc(ird, ipd) },
        SQL_HANDLE_DESC,
        ipd,
        "SQLCopyDesc(IRD -> IPD)",
    );
    check(
        set(ipd, 0, SQL_DESC_COUNT, 1),
        SQL_HANDLE_DESC,
        ipd,
        "IPD count",
    );
    assert_eq!(get_small(ipd, 1, SQL_DESC_CONCISE_TYPE), id_type);
    check(
        set_attr(query, SQL_ATTR_APP_PARAM_DESC, apd),
        SQL_HANDLE_STMT,
        query,
        "SQLSetStmtAttr(APP_PARAM_DESC)",
    );
    assert_eq!(desc_of(query, SQL_ATTR_APP_PARAM_DESC), apd);
    check(
        unsafe { SQLExecute(query) },
        SQL_HANDLE_STMT,
        query,
        "SQLExecute",
    );
    let (mut got, mut got_ind) = (0i64, 0isize);
    let rc = unsafe {
        SQLBindCol(
            query,
            1,
            SQL_C_SBIGINT,
            (&mut got as *mut i64).cast(),
            8,
            &mut got_ind,
        )
    };
    check(rc, SQL_HANDLE_STMT, query, "SQLBindCol");
    fetch(query);
    assert_eq!(got, 3, "the parameter came from the explicit APD");
    assert_eq!(unsafe { SQLFetch(query) }, SQL_NO_DATA);

    // Errors: an IRD is never a target; an unprepared statement's IRD is no source.
    assert_eq!(unsafe { SQLCopyDesc(desc, ird) }, SQL_ERROR);
    assert_eq!(diag(SQL_HANDLE_DESC, ird).0, "HY016");
    let fresh = conn.stmt();
    let fresh_ird = desc_of(fresh, SQL_ATTR_IMP_ROW_DESC);
    assert_eq!(unsafe { SQLCopyDesc(fresh_ird, desc) }, SQL_ERROR);
    assert_eq!(diag(SQL_HANDLE_DESC, desc).0, "HY007");
}

#[test]
fn descriptor_names_round_trip_through_the_wide_functions() {
    let engine = Engine::start();
    let conn = Conn::connect(&conn_str(&engine));
    let stmt = conn.stmt();
    let ipd = desc_of(stmt, SQL_ATTR_IMP_PARAM_DESC);
    let name = wide("Grüße_参数");
    let rc = unsafe {
        SQLSetDescFieldW(
            ipd,
            1,
            SQL_DESC_NAME,
            name.as_ptr() as *mut c_void,
            (name.len() * 2) as i32,
        )
    };
    check(rc, SQL_HANDLE_DESC, ipd, "SQLSetDescFieldW(NAME)");
    let mut buf = [0u16; 64];
    let mut len = 0i32;
    let rc = unsafe {
        SQLGetDescFieldW(
            ipd,
            1,
            SQL_DESC_NAME,
            buf.as_mut_ptr().cast(),
            (buf.len() * 2) as i32,
            &mut len,
        )
    };
    check(rc, SQL_HANDLE_DESC, ipd, "SQLGetDescFieldW(NAME)");
    assert_eq!(len as usize, name.len() * 2, "length in bytes");
    assert_eq!(&buf[..name.len()], &name[..]);
    // Truncation: 01004 with the full length reported.
    let mut small = [0u16; 4];
    let rc = unsafe {
        SQLGetDescFieldW(
            ipd,
            1,
            SQL_DESC_NAME,
            small.as_mut_ptr().cast(),
            8,
            &mut len,
        )
    };
    assert_eq!(rc, SQL_SUCCESS_WITH_INFO);
    assert_eq!(diag(SQL_HANDLE_DESC, ipd).0, "01004");
    assert_eq!(len as usize, name.len() * 2);
    // The narrow function reads the same name as UTF-8.
    assert_eq!(get_text(ipd, 1, SQL_DESC_NAME), "Grüße_参数");
    // An IRD of a statement that was never prepared: HY007.
    let ird = desc_of(stmt, SQL_ATTR_IMP_ROW_DESC);
    assert_eq!(try_small(ird, 0, SQL_DESC_COUNT).0, SQL_ERROR);
    assert_eq!(diag(SQL_HANDLE_DESC, ird).0, "HY007");
}
