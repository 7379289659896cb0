//! Descriptor functions through the driver manager: binding a column by setting ARD fields,
//! reading IRD fields with SQLGetDescField, and the descriptor error SQLSTATEs.

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
const SQL_ATTR_IMP_ROW_DESC: i32 = 10012;
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
    let mut count = 0i16;
    let rc = unsafe {
        SQLGetDescField(
            ard,
            0,
            SQL_DESC_COUNT,
            (&mut count as *mut i16).cast(),
            0,
            std::ptr::null_mut(),
        )
    };
    check(rc, SQL_HANDLE_DESC, ard, "SQLGetDescField(ARD COUNT)");
    assert_eq!(count, 1);

    check(unsafe { SQLFetch(stmt) }, SQL_HANDLE_STMT, stmt, "SQLFetch");
    assert_eq!(id, 1, "the ARD binding was honoured by SQLFetch");
    assert_ne!(ind, SQL_NULL_DATA);
    check(unsafe { SQLFetch(stmt) }, SQL_HANDLE_STMT, stmt, "SQLFetch");
    assert_eq!(id, 2);

    // IRD: header count, a record's name through SQLGetDescField and SQLGetDescRec.
    let ird = desc_of(stmt, SQL_ATTR_IMP_ROW_DESC);
    let rc = unsafe {
        SQLGetDescField(
            ird,
            0,
            SQL_DESC_COUNT,
            (&mut count as *mut i16).cast(),
            0,
            std::ptr::null_mut(),
        )
    };
    check(rc, SQL_HANDLE_DESC, ird, "SQLGetDescField(IRD COUNT)");
    assert_eq!(count, 2);
    let mut name = [0u8; 32];
    let mut len = 0i32;
    let rc = unsafe {
        SQLGetDescField(
            ird,
            2,
            SQL_DESC_NAME,
            name.as_mut_ptr().cast(),
            32,
            &mut len,
        )
    };
    check(rc, SQL_HANDLE_DESC, ird, "SQLGetDescField(IRD NAME)");
    assert_eq!(&name[..len as usize], b"str_col");
    let mut rec_name = [0u8; 32];
    let (mut rec_len, mut ty, mut sub, mut prec, mut scale, mut nullable) = (0i16, 0, 0, 0, 0, 0);
    let mut length = 0isize;
    let rc = unsafe {
        SQLGetDescRec(
            ird,
            2,
            rec_name.as_mut_ptr(),
            32,
            &mut rec_len,
            &mut ty,
            &mut sub,
            &mut length,
            &mut prec,
            &mut scale,
            &mut nullable,
        )
    };
    check(rc, SQL_HANDLE_DESC, ird, "SQLGetDescRec(IRD 2)");
    assert_eq!(&rec_name[..rec_len as usize], b"str_col");
    let past_end = unsafe {
        SQLGetDescRec(
            ird,
            3,
            rec_name.as_mut_ptr(),
            32,
            &mut rec_len,
            &mut ty,
            &mut sub,
            &mut length,
            &mut prec,
            &mut scale,
            &mut nullable,
        )
    };
    assert_eq!(past_end, 100, "SQL_NO_DATA past the last record");
    // Errors: the IRD is read-only, unknown fields and record 0 are refused.
    assert_eq!(set(ird, 1, SQL_DESC_DATA_PTR, 8), SQL_ERROR);
    assert_eq!(diag(SQL_HANDLE_DESC, ird).0, "HY016");
    assert_eq!(set(ard, 1, 4321, 8), SQL_ERROR);
    assert_eq!(diag(SQL_HANDLE_DESC, ard).0, "HY091");
    let rc = unsafe {
        SQLGetDescField(
            ird,
            0,
            SQL_DESC_NAME,
            name.as_mut_ptr().cast(),
            32,
            &mut len,
        )
    };
    assert_eq!(rc, SQL_ERROR);
    assert_eq!(diag(SQL_HANDLE_DESC, ird).0, "07009");
}
