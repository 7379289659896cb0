//! Raw ODBC calls through the driver manager: the W (UTF-16) functions, SQLGetData in pieces,
//! row-wise block binding with row status, SQL_ATTR_MAX_ROWS, statement state errors.

#[path = "support/driver.rs"]
mod driver;
#[path = "support/engine.rs"]
mod engine;

use std::ffi::c_void;

use driver::conn_str;
use driver::raw::*;
use engine::Engine;

const SQL_C_CHAR: i16 = 1;
const SQL_C_WCHAR: i16 = -8;
const SQL_C_SBIGINT: i16 = -25;
const SQL_C_SLONG: i16 = -16;
const SQL_C_BINARY: i16 = -2;

fn exec_w(stmt: H, sql: &str) -> i16 {
    let w = wide(sql);
    unsafe { SQLExecDirectW(stmt, w.as_ptr(), w.len() as i32) }
}

#[test]
fn wide_functions_round_trip_unicode() {
    let engine = Engine::start();
    let conn = Conn::connect_wide(&conn_str(&engine));

    // SQLGetInfoW: strings in UTF-16, length in bytes.
    let mut name = [0u16; 64];
    let mut len = 0i16;
    let rc = unsafe { SQLGetInfoW(conn.dbc, 17, name.as_mut_ptr().cast(), 128, &mut len) };
    check(rc, SQL_HANDLE_DBC, conn.dbc, "SQLGetInfoW");
    assert_eq!(len, 12, "\"e6data\" is 6 UTF-16 units = 12 bytes");
    assert_eq!(String::from_utf16_lossy(&name[..6]), "e6data");

    // A non-BMP literal through SQLExecDirectW and back through SQL_C_WCHAR.
    let stmt = conn.stmt();
    let rc = exec_w(
        stmt,
        "SELECT 'héllo 😀 𝄞' AS grüße, str_col FROM demo.all_types WHERE id = 3",
    );
    check(rc, SQL_HANDLE_STMT, stmt, "SQLExecDirectW");
    let mut col = [0u16; 32];
    let (mut name_len, mut ty, mut size, mut digits, mut nullable) =
        (0i16, 0i16, 0usize, 0i16, 0i16);
    let rc = unsafe {
        SQLDescribeColW(
            stmt,
            1,
            col.as_mut_ptr(),
            32,
            &mut name_len,
            &mut ty,
            &mut size,
            &mut digits,
            &mut nullable,
        )
    };
    check(rc, SQL_HANDLE_STMT, stmt, "SQLDescribeColW");
    assert_eq!(String::from_utf16_lossy(&col[..name_len as usize]), "grüße");
    assert_eq!(ty, -9, "text is SQL_WVARCHAR");
    assert!(size > 0 && size < 1 << 20);
    let mut label = [0u16; 32];
    let mut label_len = 0i16;
    let rc = unsafe {
        SQLColAttributeW(
            stmt,
            2,
            18,
            label.as_mut_ptr().cast(),
            64,
            &mut label_len,
            std::ptr::null_mut(),
        )
    };
    check(
        rc,
        SQL_HANDLE_STMT,
        stmt,
        "SQLColAttributeW(SQL_DESC_LABEL)",
    );
    assert_eq!(
        String::from_utf16_lossy(&label[..label_len as usize / 2]),
        "str_col"
    );

    check(unsafe { SQLFetch(stmt) }, SQL_HANDLE_STMT, stmt, "SQLFetch");
    for (column, expected) in [(1u16, "héllo 😀 𝄞"), (2, "emoji 😀 and clef 𝄞")] {
        let mut buf = [0u16; 64];
        let mut ind = 0isize;
        let rc = unsafe {
            SQLGetData(
                stmt,
                column,
                SQL_C_WCHAR,
                buf.as_mut_ptr().cast(),
                128,
                &mut ind,
            )
        };
        check(rc, SQL_HANDLE_STMT, stmt, "SQLGetData(WCHAR)");
        assert_eq!(
            String::from_utf16(&buf[..ind as usize / 2]).unwrap(),
            expected
        );
    }
    assert_eq!(unsafe { SQLFetch(stmt) }, SQL_NO_DATA);
    // After SQL_NO_DATA the cursor is still open: executing again is 24000 until it is closed.
    assert_eq!(exec_w(stmt, "SELECT 1"), SQL_ERROR);
    assert_eq!(diag_w(SQL_HANDLE_STMT, stmt).0, "24000");
    check(
        unsafe { SQLCloseCursor(stmt) },
        SQL_HANDLE_STMT,
        stmt,
        "SQLCloseCursor",
    );

    // Errors through SQLGetDiagRecW.
    let rc = exec_w(stmt, "SELEKT nothing");
    assert_eq!(rc, SQL_ERROR);
    let (state, message) = diag_w(SQL_HANDLE_STMT, stmt);
    assert_eq!(state, "42000", "{message}");
    assert!(message.contains("[e6data][ODBC]"), "{message}");
    unsafe { SQLFreeHandle(SQL_HANDLE_STMT, stmt) };

    // Prepare + execute through the W functions.
    let stmt = conn.stmt();
    let mut sql = wide("SELECT long_col FROM demo.all_types WHERE id = 3");
    sql.push(0);
    check(
        unsafe { SQLPrepareW(stmt, sql.as_ptr(), SQL_NTS) },
        SQL_HANDLE_STMT,
        stmt,
        "SQLPrepareW",
    );
    check(
        unsafe { SQLExecute(stmt) },
        SQL_HANDLE_STMT,
        stmt,
        "SQLExecute",
    );
    check(unsafe { SQLFetch(stmt) }, SQL_HANDLE_STMT, stmt, "SQLFetch");
    let mut v = 0i64;
    let mut ind = 0isize;
    let rc = unsafe { SQLGetData(stmt, 1, SQL_C_SBIGINT, (&raw mut v).cast(), 8, &mut ind) };
    check(rc, SQL_HANDLE_STMT, stmt, "SQLGetData(SBIGINT)");
    assert_eq!(v, i64::MAX);
    unsafe { SQLFreeHandle(SQL_HANDLE_STMT, stmt) };
}

#[test]
fn long_text_arrives_in_pieces() {
    let engine = Engine::start();
    let conn = Conn::connect(&conn_str(&engine));
    let stmt = conn.stmt();
    let sql = "SELECT long_str_col, bin_col FROM demo.all_types WHERE id = 1";
    check(
        unsafe { SQLExecDirect(stmt, sql.as_ptr(), sql.len() as i32) },
        SQL_HANDLE_STMT,
        stmt,
        "exec",
    );
    check(unsafe { SQLFetch(stmt) }, SQL_HANDLE_STMT, stmt, "fetch");
    let mut got = String::new();
    let mut pieces = 0;
    loop {
        let mut buf = [0u8; 1001];
        let mut ind = 0isize;
        let rc =
            unsafe { SQLGetData(stmt, 1, SQL_C_CHAR, buf.as_mut_ptr().cast(), 1001, &mut ind) };
        if rc == SQL_NO_DATA {
            break;
        }
        pieces += 1;
        if rc == SQL_SUCCESS_WITH_INFO {
            assert_eq!(diag(SQL_HANDLE_STMT, stmt).0, "01004");
            assert_eq!(ind as usize, 10_000 - got.len(), "the remaining length");
            got.push_str(std::str::from_utf8(&buf[..1000]).unwrap());
        } else {
            assert_eq!(rc, SQL_SUCCESS);
            got.push_str(std::str::from_utf8(&buf[..ind as usize]).unwrap());
        }
        assert!(pieces <= 10, "too many pieces");
    }
    assert_eq!(pieces, 10);
    assert_eq!(got, "0123456789".repeat(1000));
    // Binary in pieces of 3 bytes: DE AD BE, then EF, then no data.
    let mut buf = [0u8; 3];
    let mut ind = 0isize;
    let rc = unsafe { SQLGetData(stmt, 2, SQL_C_BINARY, buf.as_mut_ptr().cast(), 3, &mut ind) };
    assert_eq!(
        (rc, ind, buf),
        (SQL_SUCCESS_WITH_INFO, 4, [0xde, 0xad, 0xbe])
    );
    let rc = unsafe { SQLGetData(stmt, 2, SQL_C_BINARY, buf.as_mut_ptr().cast(), 3, &mut ind) };
    assert_eq!((rc, ind, buf[0]), (SQL_SUCCESS, 1, 0xef));
    let rc = unsafe { SQLGetData(stmt, 2, SQL_C_BINARY, buf.as_mut_ptr().cast(), 3, &mut ind) };
    assert_eq!(rc, SQL_NO_DATA);
    unsafe { SQLFreeHandle(SQL_HANDLE_STMT, stmt) };
}

#[repr(C)]
#[derive(Clone, Copy, Default)]
struct Row {
    id: i32,
    id_ind: isize,
    text: [u8; 8],
    text_ind: isize,
}

#[test]
fn row_wise_binding_with_status_array_and_truncation() {
    let engine = Engine::start();
    let conn = Conn::connect(&conn_str(&engine));
    let stmt = conn.stmt();
    let mut rows = [Row::default(); 4];
    let mut status = [99u16; 4];
    let mut fetched = 0usize;
    unsafe {
        check(
            SQLSetStmtAttr(stmt, 5, std::mem::size_of::<Row>() as *mut c_void, 0),
            SQL_HANDLE_STMT,
            stmt,
            "bind type",
        );
        check(
            SQLSetStmtAttr(stmt, 27, 4usize as *mut c_void, 0),
            SQL_HANDLE_STMT,
            stmt,
            "array size",
        );
        check(
            SQLSetStmtAttr(stmt, 25, status.as_mut_ptr().cast(), 0),
            SQL_HANDLE_STMT,
            stmt,
            "status ptr",
        );
        check(
            SQLSetStmtAttr(stmt, 26, (&raw mut fetched).cast(), 0),
            SQL_HANDLE_STMT,
            stmt,
            "fetched ptr",
        );
        let base = rows.as_mut_ptr();
        check(
            SQLBindCol(
                stmt,
                1,
                SQL_C_SLONG,
                (&raw mut (*base).id).cast(),
                4,
                &raw mut (*base).id_ind,
            ),
            SQL_HANDLE_STMT,
            stmt,
            "bind 1",
        );
        check(
            SQLBindCol(
                stmt,
                2,
                SQL_C_CHAR,
                (&raw mut (*base).text).cast(),
                8,
                &raw mut (*base).text_ind,
            ),
            SQL_HANDLE_STMT,
            stmt,
            "bind 2",
        );
    }
    let sql = "SELECT id, str_col FROM demo.all_types ORDER BY id";
    check(exec(stmt, sql), SQL_HANDLE_STMT, stmt, "exec");
    // First rowset: ids 1-4; "emoji 😀 and clef 𝄞" and "quote ' and backslash \" are truncated.
    let rc = unsafe { SQLFetch(stmt) };
    assert_eq!(rc, SQL_SUCCESS_WITH_INFO);
    assert_eq!(fetched, 4);
    assert_eq!(diag(SQL_HANDLE_STMT, stmt).0, "01004");
    assert_eq!(
        status,
        [0, 0, 6, 6],
        "SQL_ROW_SUCCESS / SQL_ROW_SUCCESS_WITH_INFO"
    );
    assert_eq!(rows.map(|r| r.id), [1, 2, 3, 4]);
    assert_eq!(&rows[0].text[..6], b"hello\0");
    assert_eq!((rows[1].text_ind, rows[1].text[0]), (0, 0));
    assert_eq!(rows[2].text_ind, "emoji 😀 and clef 𝄞".len() as isize);
    assert_eq!(
        &rows[2].text[..7],
        b"emoji \0",
        "truncation keeps whole characters"
    );
    // Second rowset: id 5 with NULL text, then no rows.
    let rc = unsafe { SQLFetch(stmt) };
    assert_eq!(rc, SQL_SUCCESS);
    assert_eq!(fetched, 1);
    assert_eq!(status, [0, 3, 3, 3], "SQL_ROW_NOROW after the last row");
    assert_eq!((rows[0].id, rows[0].text_ind), (5, SQL_NULL_DATA));
    assert_eq!(unsafe { SQLFetch(stmt) }, SQL_NO_DATA);
    unsafe { SQLFreeHandle(SQL_HANDLE_STMT, stmt) };
}

#[test]
fn max_rows_row_count_and_cursor_state_errors() {
    let engine = Engine::start();
    let conn = Conn::connect(&conn_str(&engine));
    let stmt = conn.stmt();
    // Fetch before execute: HY010 (the driver manager may answer it itself).
    assert_eq!(unsafe { SQLFetch(stmt) }, SQL_ERROR);
    assert_eq!(diag(SQL_HANDLE_STMT, stmt).0, "HY010");
    check(
        unsafe { SQLSetStmtAttr(stmt, 1, 7usize as *mut c_void, 0) },
        SQL_HANDLE_STMT,
        stmt,
        "max rows",
    );
    let sql = "SELECT n FROM demo.numbers";
    check(exec(stmt, sql), SQL_HANDLE_STMT, stmt, "exec");
    let mut count = 0isize;
    check(
        unsafe { SQLRowCount(stmt, &mut count) },
        SQL_HANDLE_STMT,
        stmt,
        "row count",
    );
    assert_eq!(count, -1);
    let mut n = 0;
    while unsafe { SQLFetch(stmt) } != SQL_NO_DATA {
        n += 1;
        assert!(n <= 7);
    }
    assert_eq!(n, 7);
    check(
        unsafe { SQLCloseCursor(stmt) },
        SQL_HANDLE_STMT,
        stmt,
        "close",
    );
    assert_eq!(unsafe { SQLCloseCursor(stmt) }, SQL_ERROR);
    assert_eq!(diag(SQL_HANDLE_STMT, stmt).0, "24000");
    // Scrolling is not supported: HYC00.
    check(exec(stmt, sql), SQL_HANDLE_STMT, stmt, "exec");
    assert_eq!(unsafe { SQLFetchScroll(stmt, 2, 0) }, SQL_ERROR);
    assert_eq!(diag(SQL_HANDLE_STMT, stmt).0, "HYC00");
    // A huge row array size is clamped with 01S02.
    let rc = unsafe { SQLSetStmtAttr(stmt, 27, (1usize << 40) as *mut c_void, 0) };
    assert_eq!(rc, SQL_SUCCESS_WITH_INFO);
    assert_eq!(diag(SQL_HANDLE_STMT, stmt).0, "01S02");
    // Manual commit is refused.
    let rc = unsafe { SQLSetConnectAttr(conn.dbc, 102, std::ptr::null_mut(), 0) };
    assert_eq!(rc, SQL_ERROR);
    assert_eq!(diag(SQL_HANDLE_DBC, conn.dbc).0, "HYC00");
    unsafe { SQLFreeHandle(SQL_HANDLE_STMT, stmt) };
}

#[test]
fn bound_parameters_are_substituted_safely() {
    let engine = Engine::start();
    let conn = Conn::connect(&conn_str(&engine));
    let stmt = conn.stmt();
    let mut text = *b"it's \\ 'quoted'\0";
    let mut ind = SQL_NTS as isize;
    let rc = unsafe {
        SQLBindParameter(
            stmt,
            1,
            1,
            SQL_C_CHAR,
            12,
            64,
            0,
            text.as_mut_ptr().cast(),
            0,
            &mut ind,
        )
    };
    check(rc, SQL_HANDLE_STMT, stmt, "bind parameter");
    let sql = "SELECT ? AS echoed";
    check(exec(stmt, sql), SQL_HANDLE_STMT, stmt, "exec");
    check(unsafe { SQLFetch(stmt) }, SQL_HANDLE_STMT, stmt, "fetch");
    let mut buf = [0u8; 64];
    let mut len = 0isize;
    let rc = unsafe { SQLGetData(stmt, 1, SQL_C_CHAR, buf.as_mut_ptr().cast(), 64, &mut len) };
    check(rc, SQL_HANDLE_STMT, stmt, "get data");
    assert_eq!(&buf[..len as usize], b"it's \\ 'quoted'");
    unsafe { SQLCloseCursor(stmt) };
    // A marker without a binding: 07002.
    let sql = "SELECT ?, ?";
    assert_eq!(exec(stmt, sql), SQL_ERROR);
    assert_eq!(diag(SQL_HANDLE_STMT, stmt).0, "07002");
    unsafe { SQLFreeHandle(SQL_HANDLE_STMT, stmt) };
}

#[test]
fn column_wise_binding_with_offsets_default_types_and_described_parameters() {
    let engine = Engine::start();
    let conn = Conn::connect(&conn_str(&engine));
    let stmt = conn.stmt();
    // Parameters of a prepared statement: count and description before binding.
    let sql = wide("SELECT n, n * 2 AS twice FROM demo.numbers WHERE n > ? ORDER BY n");
    check(
        unsafe { SQLPrepareW(stmt, sql.as_ptr(), sql.len() as i32) },
        SQL_HANDLE_STMT,
        stmt,
        "prepare",
    );
    let mut params = 0i16;
    check(
        unsafe { SQLNumParams(stmt, &mut params) },
        SQL_HANDLE_STMT,
        stmt,
        "SQLNumParams",
    );
    assert_eq!(params, 1);
    let (mut ty, mut size, mut digits, mut nullable) = (0i16, 0usize, 0i16, 0i16);
    let rc = unsafe { SQLDescribeParam(stmt, 1, &mut ty, &mut size, &mut digits, &mut nullable) };
    check(rc, SQL_HANDLE_STMT, stmt, "SQLDescribeParam");
    assert_eq!(
        (ty, nullable),
        (12, 2),
        "unknown parameters are VARCHAR, nullability unknown"
    );
    assert!(size > 0);
    assert_eq!(
        unsafe { SQLDescribeParam(stmt, 2, &mut ty, &mut size, &mut digits, &mut nullable) },
        SQL_ERROR
    );
    assert_eq!(diag(SQL_HANDLE_STMT, stmt).0, "07009");

    let mut threshold = 10i64;
    let rc = unsafe {
        SQLBindParameter(
            stmt,
            1,
            1,
            SQL_C_SBIGINT,
            -5,
            0,
            0,
            (&raw mut threshold).cast(),
            0,
            std::ptr::null_mut(),
        )
    };
    check(rc, SQL_HANDLE_STMT, stmt, "bind parameter");
    // Column-wise arrays of 3 rows, bound at offset 0 and used through a bind offset of one
    // element set of 3 further rows (SQL_ATTR_ROW_BIND_OFFSET_PTR), SQL_C_DEFAULT for BIGINT.
    let mut n = [0i64; 6];
    let mut n_ind = [0isize; 6];
    let mut twice = [0i64; 6];
    let mut twice_ind = [0isize; 6];
    let mut offset: isize = 0;
    let offset_ptr = &raw mut offset;
    let mut fetched = 0usize;
    unsafe {
        check(
            SQLSetStmtAttr(stmt, 27, 3usize as *mut c_void, 0),
            SQL_HANDLE_STMT,
            stmt,
            "size",
        );
        check(
            SQLSetStmtAttr(stmt, 26, (&raw mut fetched).cast(), 0),
            SQL_HANDLE_STMT,
            stmt,
            "fetched",
        );
        check(
            SQLSetStmtAttr(stmt, 23, offset_ptr.cast(), 0),
            SQL_HANDLE_STMT,
            stmt,
            "offset",
        );
        check(
            SQLBindCol(stmt, 1, 99, n.as_mut_ptr().cast(), 8, n_ind.as_mut_ptr()),
            SQL_HANDLE_STMT,
            stmt,
            "bind 1",
        );
        check(
            SQLBindCol(
                stmt,
                2,
                SQL_C_SBIGINT,
                twice.as_mut_ptr().cast(),
                8,
                twice_ind.as_mut_ptr(),
            ),
            SQL_HANDLE_STMT,
            stmt,
            "bind 2",
        );
    }
    check(
        unsafe { SQLExecute(stmt) },
        SQL_HANDLE_STMT,
        stmt,
        "execute",
    );
    check(unsafe { SQLFetch(stmt) }, SQL_HANDLE_STMT, stmt, "fetch 1");
    assert_eq!(fetched, 3);
    // The next rowset lands 3 elements further: the offset is in bytes and applies to the
    // data and the indicator arrays alike (both 8-byte elements here).
    unsafe { offset_ptr.write(3 * 8) };
    check(unsafe { SQLFetch(stmt) }, SQL_HANDLE_STMT, stmt, "fetch 2");
    assert_eq!(n, [11, 12, 13, 14, 15, 16]);
    assert_eq!(twice, [22, 24, 26, 28, 30, 32]);
    assert_eq!(n_ind, [8; 6]);
    assert_eq!(twice_ind, [8; 6]);
    unsafe { SQLFreeHandle(SQL_HANDLE_STMT, stmt) };

    // SQL_ATTR_CURRENT_CATALOG set on an open connection applies to later statements.
    let rc = unsafe { SQLSetConnectAttr(conn.dbc, 109, c"local".as_ptr() as *mut c_void, -3) };
    check(rc, SQL_HANDLE_DBC, conn.dbc, "SQL_ATTR_CURRENT_CATALOG");
    assert_eq!(conn.attr_string(109), "local");
    let stmt = conn.stmt();
    check(
        exec(stmt, "SELECT 1"),
        SQL_HANDLE_STMT,
        stmt,
        "exec after catalog change",
    );
    unsafe { SQLFreeHandle(SQL_HANDLE_STMT, stmt) };
}
