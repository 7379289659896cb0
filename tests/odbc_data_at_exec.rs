//! Data-at-execution parameters (SQLParamData / SQLPutData) through the driver manager against
//! e6data-local: character, wide and binary data in pieces (multi-byte characters split between
//! pieces), NULL, fixed-size C types, tokens in parameter order (also with a bind offset),
//! SQLExecDirect and SQLPrepare+SQLExecute, the sequence errors, SQLCancel ending the sequence;
//! and the same state machine called directly (no driver manager), where the driver alone must
//! enforce it.

#[path = "support/driver.rs"]
mod driver;
#[path = "support/engine.rs"]
mod engine;

use std::ffi::c_void;

use driver::raw::*;
use driver::{conn_str, driver_path};
use engine::Engine;

const SQL_NEED_DATA: i16 = 99;
const SQL_DATA_AT_EXEC: isize = -2;
const SQL_PARAM_INPUT: i16 = 1;
const SQL_C_CHAR: i16 = 1;
const SQL_C_WCHAR: i16 = -8;
const SQL_C_BINARY: i16 = -2;
const SQL_C_SLONG: i16 = -16;
const SQL_C_DOUBLE: i16 = 8;
const SQL_VARCHAR: i16 = 12;
const SQL_LONGVARCHAR: i16 = -1;
const SQL_WVARCHAR: i16 = -9;
const SQL_VARBINARY: i16 = -3;
const SQL_INTEGER: i16 = 4;
const SQL_DOUBLE: i16 = 8;
const SQL_CLOSE: u16 = 0;
const SQL_ATTR_PARAM_BIND_OFFSET_PTR: i32 = 17;
const SQL_NEED_LONG_DATA_LEN: u16 = 111;

/// `SQL_LEN_DATA_AT_EXEC(length)`.
fn len_data_at_exec(length: isize) -> isize {
    -100 - length
}

#[link(name = "odbc")]
unsafe extern "system" {
    fn SQLParamData(stmt: H, value: *mut *mut c_void) -> i16;
    fn SQLPutData(stmt: H, data: *const c_void, len: isize) -> i16;
    fn SQLPrepare(stmt: H, text: *const u8, len: i32) -> i16;
    fn SQLFreeStmt(stmt: H, option: u16) -> i16;
    fn SQLGetFunctions(dbc: H, function: u16, supported: *mut u16) -> i16;
    fn SQLGetInfo(dbc: H, ty: u16, value: *mut c_void, cap: i16, len: *mut i16) -> i16;
}

fn prepare(stmt: H, sql: &str) {
    let rc = unsafe { SQLPrepare(stmt, sql.as_ptr(), sql.len() as i32) };
    check(rc, SQL_HANDLE_STMT, stmt, "SQLPrepare");
}

/// Binds input parameter `number` with `value` as its data pointer (the token for a
/// data-at-execution parameter) and `ind` as its length/indicator.
fn bind(stmt: H, number: u16, c_type: i16, sql_type: i16, value: usize, ind: *mut isize) {
    let rc = unsafe {
        SQLBindParameter(
            stmt,
            number,
            SQL_PARAM_INPUT,
            c_type,
            sql_type,
            0,
            0,
            value as *mut c_void,
            0,
            ind,
        )
    };
    check(rc, SQL_HANDLE_STMT, stmt, "SQLBindParameter");
}

/// SQLParamData, returning the code and the token.
fn param_data(stmt: H) -> (i16, usize) {
    let mut token: *mut c_void = std::ptr::null_mut();
    let rc = unsafe { SQLParamData(stmt, &mut token) };
    (rc, token as usize)
}

fn put(stmt: H, piece: &[u8]) -> i16 {
    unsafe { SQLPutData(stmt, piece.as_ptr().cast(), piece.len() as isize) }
}

fn put_ok(stmt: H, piece: &[u8]) {
    check(put(stmt, piece), SQL_HANDLE_STMT, stmt, "SQLPutData");
}

/// Asserts an error with `state`.
fn fails(rc: i16, stmt: H, state: &str, what: &str) {
    assert_eq!(rc, SQL_ERROR, "{what}");
    let (got, message) = diag(SQL_HANDLE_STMT, stmt);
    assert_eq!(got, state, "{what}: {message}");
}

/// Column `col` of the current row as text (None for NULL), in one SQLGetData call.
fn text(stmt: H, col: u16) -> Option<String> {
    let mut buf = vec![0u8; 1 << 18];
    let mut ind = 0isize;
    let rc = unsafe {
        SQLGetData(
            stmt,
            col,
            SQL_C_CHAR,
            buf.as_mut_ptr().cast(),
            buf.len() as isize,
            &mut ind,
        )
    };
    assert_eq!(
        rc,
        SQL_SUCCESS,
        "SQLGetData({col}) {:?}",
        diag(SQL_HANDLE_STMT, stmt)
    );
    if ind == SQL_NULL_DATA {
        return None;
    }
    Some(String::from_utf8(buf[..ind as usize].to_vec()).unwrap())
}

/// Fetches the only row and returns its columns as text; closes the cursor.
fn single_row(stmt: H, columns: u16) -> Vec<Option<String>> {
    check(unsafe { SQLFetch(stmt) }, SQL_HANDLE_STMT, stmt, "SQLFetch");
    let row = (1..=columns).map(|c| text(stmt, c)).collect();
    assert_eq!(unsafe { SQLFetch(stmt) }, SQL_NO_DATA);
    check(
        unsafe { SQLCloseCursor(stmt) },
        SQL_HANDLE_STMT,
        stmt,
        "SQLCloseCursor",
    );
    row
}

/// Every row's first column as an integer; closes the cursor.
fn ids(stmt: H) -> Vec<i64> {
    let mut out = Vec::new();
    loop {
        let rc = unsafe { SQLFetch(stmt) };
        if rc == SQL_NO_DATA {
            break;
        }
        check(rc, SQL_HANDLE_STMT, stmt, "SQLFetch");
        out.push(text(stmt, 1).unwrap().parse().unwrap());
    }
    check(
        unsafe { SQLCloseCursor(stmt) },
        SQL_HANDLE_STMT,
        stmt,
        "SQLCloseCursor",
    );
    out
}

#[test]
fn character_pieces_split_inside_utf8_characters() {
    let engine = Engine::start();
    let conn = Conn::connect(&conn_str(&engine));
    let stmt = conn.stmt();
    prepare(stmt, "SELECT ? AS v, length(?) AS n");
    let value = "héllo wörld 😀 日本";
    let bytes = value.as_bytes();
    // Pieces cut inside 'é' (2 bytes), inside the emoji (4 bytes) and inside '日' (3 bytes).
    let emoji = value.find('😀').unwrap();
    let kanji = value.find('日').unwrap();
    let cuts = [2, emoji + 2, kanji + 1];
    let mut ind1 = SQL_DATA_AT_EXEC;
    let mut ind2 = len_data_at_exec(bytes.len() as isize);
    bind(stmt, 1, SQL_C_CHAR, SQL_VARCHAR, 0x1001, &mut ind1);
    bind(stmt, 2, SQL_C_CHAR, SQL_LONGVARCHAR, 0x1002, &mut ind2);
    for round in 0..2 {
        assert_eq!(unsafe { SQLExecute(stmt) }, SQL_NEED_DATA, "round {round}");
        for token in [0x1001, 0x1002] {
            assert_eq!(param_data(stmt), (SQL_NEED_DATA, token), "round {round}");
            put_ok(stmt, &bytes[..cuts[0]]);
            put_ok(stmt, &bytes[cuts[0]..cuts[1]]);
            put_ok(stmt, &[]);
            put_ok(stmt, &bytes[cuts[1]..cuts[2]]);
            put_ok(stmt, &bytes[cuts[2]..]);
        }
        check(
            param_data(stmt).0,
            SQL_HANDLE_STMT,
            stmt,
            "SQLParamData (last)",
        );
        let chars = value.chars().count().to_string();
        assert_eq!(
            single_row(stmt, 2),
            vec![Some(value.to_string()), Some(chars)]
        );
    }
    // SQL_NTS pieces.
    assert_eq!(unsafe { SQLExecute(stmt) }, SQL_NEED_DATA);
    for _ in 0..2 {
        assert_eq!(param_data(stmt).0, SQL_NEED_DATA);
        for piece in ["ab\0", "c\0"] {
            let rc = unsafe { SQLPutData(stmt, piece.as_ptr().cast(), SQL_NTS as isize) };
            check(rc, SQL_HANDLE_STMT, stmt, "SQLPutData(SQL_NTS)");
        }
    }
    check(
        param_data(stmt).0,
        SQL_HANDLE_STMT,
        stmt,
        "SQLParamData (last)",
    );
    assert_eq!(
        single_row(stmt, 2),
        vec![Some("abc".into()), Some("3".into())]
    );
}

#[test]
fn wide_and_binary_pieces_with_exec_direct() {
    let engine = Engine::start();
    let conn = Conn::connect(&conn_str(&engine));
    let stmt = conn.stmt();
    let value = "wide 😀 𝄞 ünï";
    let utf16: Vec<u8> = value.encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
    let mut ind1 = SQL_DATA_AT_EXEC;
    let mut ind2 = SQL_DATA_AT_EXEC;
    bind(stmt, 1, SQL_C_WCHAR, SQL_WVARCHAR, 1, &mut ind1);
    bind(stmt, 2, SQL_C_BINARY, SQL_VARBINARY, 2, &mut ind2);
    assert_eq!(exec(stmt, "SELECT ? AS w, ? AS b"), SQL_NEED_DATA);
    assert_eq!(param_data(stmt), (SQL_NEED_DATA, 1));
    // Odd cuts: UTF-16 code units (and the surrogate pairs) are split between pieces.
    let emoji = value.encode_utf16().position(|u| u == 0xD83D).unwrap() * 2;
    for piece in [
        &utf16[..3],
        &utf16[3..emoji + 1],
        &utf16[emoji + 1..emoji + 3],
        &utf16[emoji + 3..],
    ] {
        put_ok(stmt, piece);
    }
    assert_eq!(param_data(stmt), (SQL_NEED_DATA, 2));
    put_ok(stmt, &[0xde, 0xad]);
    put_ok(stmt, &[0x00, 0xbe, 0xef]);
    check(
        param_data(stmt).0,
        SQL_HANDLE_STMT,
        stmt,
        "SQLParamData (last)",
    );
    check(unsafe { SQLFetch(stmt) }, SQL_HANDLE_STMT, stmt, "SQLFetch");
    assert_eq!(text(stmt, 1).as_deref(), Some(value));
    let mut buf = [0u8; 16];
    let mut len = 0isize;
    let rc = unsafe {
        SQLGetData(
            stmt,
            2,
            SQL_C_BINARY,
            buf.as_mut_ptr().cast(),
            buf.len() as isize,
            &mut len,
        )
    };
    check(rc, SQL_HANDLE_STMT, stmt, "SQLGetData(binary)");
    assert_eq!(&buf[..len as usize], &[0xde, 0xad, 0x00, 0xbe, 0xef]);
    check(
        unsafe { SQLCloseCursor(stmt) },
        SQL_HANDLE_STMT,
        stmt,
        "SQLCloseCursor",
    );
    // After SQLExecDirect the statement is not prepared: SQLExecute is a sequence error.
    fails(
        unsafe { SQLExecute(stmt) },
        stmt,
        "HY010",
        "SQLExecute after SQLExecDirect",
    );
}

#[test]
fn null_integer_and_double_at_execution() {
    let engine = Engine::start();
    let conn = Conn::connect(&conn_str(&engine));
    let stmt = conn.stmt();
    let mut inds = [SQL_DATA_AT_EXEC; 3];
    bind(stmt, 1, SQL_C_SLONG, SQL_INTEGER, 11, &mut inds[0]);
    bind(stmt, 2, SQL_C_CHAR, SQL_VARCHAR, 12, &mut inds[1]);
    bind(stmt, 3, SQL_C_DOUBLE, SQL_DOUBLE, 13, &mut inds[2]);
    assert_eq!(
        exec(stmt, "SELECT ? + 1 AS i, ? AS s, ? * 2 AS d"),
        SQL_NEED_DATA
    );
    assert_eq!(param_data(stmt), (SQL_NEED_DATA, 11));
    // Fixed-size C types: the length is ignored, the value's size is read.
    let n = 41i32;
    let rc = unsafe { SQLPutData(stmt, (&n as *const i32).cast(), 0) };
    check(rc, SQL_HANDLE_STMT, stmt, "SQLPutData(int)");
    assert_eq!(param_data(stmt), (SQL_NEED_DATA, 12));
    let rc = unsafe { SQLPutData(stmt, std::ptr::null(), SQL_NULL_DATA) };
    check(rc, SQL_HANDLE_STMT, stmt, "SQLPutData(NULL)");
    assert_eq!(param_data(stmt), (SQL_NEED_DATA, 13));
    let d = 1.25f64;
    let rc = unsafe { SQLPutData(stmt, (&d as *const f64).cast(), 8) };
    check(rc, SQL_HANDLE_STMT, stmt, "SQLPutData(double)");
    check(
        param_data(stmt).0,
        SQL_HANDLE_STMT,
        stmt,
        "SQLParamData (last)",
    );
    assert_eq!(
        single_row(stmt, 3),
        vec![Some("42".into()), None, Some("2.5".into())]
    );
}

#[test]
fn tokens_come_in_parameter_order_beside_bound_parameters() {
    let engine = Engine::start();
    let conn = Conn::connect(&conn_str(&engine));
    let stmt = conn.stmt();
    prepare(
        stmt,
        "SELECT id FROM demo.all_types WHERE id = ? OR str_col = ? OR str_col = ? ORDER BY id",
    );
    // Bound in reverse order; parameter 1 is an ordinary buffer.
    let mut ind3 = SQL_DATA_AT_EXEC;
    let mut ind2 = len_data_at_exec(5);
    let mut id = 4i32;
    let mut id_ind = 4isize;
    bind(stmt, 3, SQL_C_CHAR, SQL_VARCHAR, 0xC3, &mut ind3);
    bind(stmt, 2, SQL_C_CHAR, SQL_VARCHAR, 0xC2, &mut ind2);
    bind(
        stmt,
        1,
        SQL_C_SLONG,
        SQL_INTEGER,
        (&mut id as *mut i32) as usize,
        &mut id_ind,
    );
    assert_eq!(unsafe { SQLExecute(stmt) }, SQL_NEED_DATA);
    assert_eq!(param_data(stmt), (SQL_NEED_DATA, 0xC2));
    put_ok(stmt, b"hello");
    assert_eq!(param_data(stmt), (SQL_NEED_DATA, 0xC3));
    put_ok(stmt, "emoji 😀 and clef 𝄞".as_bytes());
    check(
        param_data(stmt).0,
        SQL_HANDLE_STMT,
        stmt,
        "SQLParamData (last)",
    );
    assert_eq!(ids(stmt), vec![1, 3, 4]);

    // With a bind offset: indicators are read at their address plus the offset and the token
    // is the data pointer plus the offset.
    let mut inds = [0isize, SQL_DATA_AT_EXEC];
    let mut id_inds = [0isize, 4];
    let mut ids_buf = [0i32, 0, 2];
    let mut offset = std::mem::size_of::<isize>() as isize;
    bind(
        stmt,
        1,
        SQL_C_SLONG,
        SQL_INTEGER,
        ids_buf.as_mut_ptr() as usize,
        &mut id_inds[0],
    );
    bind(stmt, 2, SQL_C_CHAR, SQL_VARCHAR, 0x5000, &mut inds[0]);
    bind(stmt, 3, SQL_C_CHAR, SQL_VARCHAR, 0x6000, &mut inds[0]);
    let rc = unsafe {
        SQLSetStmtAttr(
            stmt,
            SQL_ATTR_PARAM_BIND_OFFSET_PTR,
            (&mut offset as *mut isize).cast(),
            0,
        )
    };
    check(rc, SQL_HANDLE_STMT, stmt, "SQL_ATTR_PARAM_BIND_OFFSET_PTR");
    assert_eq!(unsafe { SQLExecute(stmt) }, SQL_NEED_DATA);
    assert_eq!(param_data(stmt), (SQL_NEED_DATA, 0x5008));
    put_ok(stmt, b"nothing");
    assert_eq!(param_data(stmt), (SQL_NEED_DATA, 0x6008));
    put_ok(stmt, b"");
    check(
        param_data(stmt).0,
        SQL_HANDLE_STMT,
        stmt,
        "SQLParamData (last)",
    );
    // ids_buf at +8 bytes is ids_buf[2] = 2; str_col '' is row 2 as well.
    assert_eq!(ids(stmt), vec![2]);
}

#[test]
fn sequence_errors_and_cancel() {
    let engine = Engine::start();
    let conn = Conn::connect(&conn_str(&engine));
    let stmt = conn.stmt();
    fails(
        put(stmt, b"x"),
        stmt,
        "HY010",
        "SQLPutData without a sequence",
    );
    fails(
        param_data(stmt).0,
        stmt,
        "HY010",
        "SQLParamData without a sequence",
    );
    prepare(stmt, "SELECT ? AS v");
    let mut ind = SQL_DATA_AT_EXEC;
    bind(stmt, 1, SQL_C_CHAR, SQL_VARCHAR, 7, &mut ind);
    assert_eq!(unsafe { SQLExecute(stmt) }, SQL_NEED_DATA);
    fails(
        put(stmt, b"x"),
        stmt,
        "HY010",
        "SQLPutData before SQLParamData",
    );
    fails(unsafe { SQLExecute(stmt) }, stmt, "HY010", "SQLExecute");
    fails(exec(stmt, "SELECT 1"), stmt, "HY010", "SQLExecDirect");
    let sql = "SELECT 2";
    fails(
        unsafe { SQLPrepare(stmt, sql.as_ptr(), sql.len() as i32) },
        stmt,
        "HY010",
        "SQLPrepare",
    );
    fails(unsafe { SQLFetch(stmt) }, stmt, "HY010", "SQLFetch");
    let mut n = 0i16;
    fails(
        unsafe { SQLNumResultCols(stmt, &mut n) },
        stmt,
        "HY010",
        "SQLNumResultCols",
    );
    let rc = unsafe {
        SQLBindParameter(
            stmt,
            1,
            SQL_PARAM_INPUT,
            SQL_C_CHAR,
            SQL_VARCHAR,
            0,
            0,
            std::ptr::null_mut(),
            0,
            &mut ind,
        )
    };
    fails(rc, stmt, "HY010", "SQLBindParameter");
    fails(
        unsafe { SQLFreeStmt(stmt, SQL_CLOSE) },
        stmt,
        "HY010",
        "SQLFreeStmt(SQL_CLOSE)",
    );
    assert_eq!(param_data(stmt), (SQL_NEED_DATA, 7));
    fails(
        param_data(stmt).0,
        stmt,
        "HY010",
        "SQLParamData before SQLPutData",
    );
    put_ok(stmt, b"part");
    // SQLCancel ends the sequence; the statement is still prepared.
    check(
        unsafe { SQLCancel(stmt) },
        SQL_HANDLE_STMT,
        stmt,
        "SQLCancel",
    );
    fails(
        param_data(stmt).0,
        stmt,
        "HY010",
        "SQLParamData after SQLCancel",
    );
    fails(put(stmt, b"x"), stmt, "HY010", "SQLPutData after SQLCancel");
    assert_eq!(unsafe { SQLExecute(stmt) }, SQL_NEED_DATA);
    assert_eq!(param_data(stmt), (SQL_NEED_DATA, 7));
    put_ok(stmt, b"again");
    check(
        param_data(stmt).0,
        SQL_HANDLE_STMT,
        stmt,
        "SQLParamData (last)",
    );
    assert_eq!(single_row(stmt, 1), vec![Some("again".into())]);

    // A fixed-size C type sent in pieces: HY019, and the sequence is over (the driver manager
    // and the driver agree: the statement can execute again).
    let mut num_ind = SQL_DATA_AT_EXEC;
    bind(stmt, 1, SQL_C_SLONG, SQL_INTEGER, 8, &mut num_ind);
    assert_eq!(unsafe { SQLExecute(stmt) }, SQL_NEED_DATA);
    assert_eq!(param_data(stmt), (SQL_NEED_DATA, 8));
    let v = 5i32;
    let rc = unsafe { SQLPutData(stmt, (&v as *const i32).cast(), 4) };
    check(rc, SQL_HANDLE_STMT, stmt, "SQLPutData(int)");
    let rc = unsafe { SQLPutData(stmt, (&v as *const i32).cast(), 4) };
    fails(rc, stmt, "HY019", "second piece of an integer");
    fails(
        param_data(stmt).0,
        stmt,
        "HY010",
        "SQLParamData after the failed sequence",
    );
    assert_eq!(unsafe { SQLExecute(stmt) }, SQL_NEED_DATA);
    assert_eq!(param_data(stmt), (SQL_NEED_DATA, 8));
    let rc = unsafe { SQLPutData(stmt, (&v as *const i32).cast(), 4) };
    check(rc, SQL_HANDLE_STMT, stmt, "SQLPutData(int)");
    check(
        param_data(stmt).0,
        SQL_HANDLE_STMT,
        stmt,
        "SQLParamData (last)",
    );
    assert_eq!(single_row(stmt, 1), vec![Some("5".into())]);

    // A conversion error surfaces from the SQLParamData that runs the statement.
    bind(stmt, 1, SQL_C_CHAR, SQL_INTEGER, 9, &mut ind);
    assert_eq!(unsafe { SQLExecute(stmt) }, SQL_NEED_DATA);
    assert_eq!(param_data(stmt), (SQL_NEED_DATA, 9));
    put_ok(stmt, b"not a number");
    fails(
        param_data(stmt).0,
        stmt,
        "22018",
        "text for an INTEGER parameter",
    );
    fails(
        put(stmt, b"x"),
        stmt,
        "HY010",
        "SQLPutData after the failed execution",
    );
}

#[test]
fn long_text_in_many_pieces() {
    let engine = Engine::start();
    let conn = Conn::connect(&conn_str(&engine));
    let stmt = conn.stmt();
    let unit = "abcdéfgh😀";
    let value = unit.repeat(1 << 16);
    let mut ind = SQL_DATA_AT_EXEC;
    bind(stmt, 1, SQL_C_CHAR, SQL_LONGVARCHAR, 1, &mut ind);
    assert_eq!(exec(stmt, "SELECT length(?) AS n"), SQL_NEED_DATA);
    assert_eq!(param_data(stmt), (SQL_NEED_DATA, 1));
    for piece in value.as_bytes().chunks(4099) {
        put_ok(stmt, piece);
    }
    check(
        param_data(stmt).0,
        SQL_HANDLE_STMT,
        stmt,
        "SQLParamData (last)",
    );
    let expected = value.chars().count().to_string();
    assert_eq!(single_row(stmt, 1), vec![Some(expected)]);
}

#[test]
fn capabilities_are_reported() {
    let engine = Engine::start();
    let conn = Conn::connect(&conn_str(&engine));
    for function in [48u16, 49] {
        let mut supported = 0u16;
        let rc = unsafe { SQLGetFunctions(conn.dbc, function, &mut supported) };
        check(rc, SQL_HANDLE_DBC, conn.dbc, "SQLGetFunctions");
        assert_eq!(supported, 1, "function {function}");
    }
    let mut buf = [0u8; 8];
    let mut len = 0i16;
    let rc = unsafe {
        SQLGetInfo(
            conn.dbc,
            SQL_NEED_LONG_DATA_LEN,
            buf.as_mut_ptr().cast(),
            8,
            &mut len,
        )
    };
    check(rc, SQL_HANDLE_DBC, conn.dbc, "SQLGetInfo");
    assert_eq!(&buf[..len as usize], b"N");
}

/// The driver's own state machine, without a driver manager in front of it.
mod direct {
    use std::ffi::c_void;

    use libloading::{Library, Symbol};

    use super::driver::direct::{self, Api, DBC, ERROR, H, STMT, SUCCESS};
    use super::*;

    type BindParameter = unsafe extern "system" fn(
        H,
        u16,
        i16,
        i16,
        i16,
        usize,
        i16,
        *mut c_void,
        isize,
        *mut isize,
    ) -> i16;
    type ParamData = unsafe extern "system" fn(H, *mut *mut c_void) -> i16;
    type PutData = unsafe extern "system" fn(H, *const c_void, isize) -> i16;
    type StmtFn = unsafe extern "system" fn(H) -> i16;
    type FreeStmt = unsafe extern "system" fn(H, u16) -> i16;
    type GetStmtAttr = unsafe extern "system" fn(H, i32, *mut c_void, i32, *mut i32) -> i16;
    type GetDescField = unsafe extern "system" fn(H, i16, i16, *mut c_void, i32, *mut i32) -> i16;
    type SetStmtAttr = unsafe extern "system" fn(H, i32, *mut c_void, i32) -> i16;

    #[test]
    fn the_driver_enforces_the_sequence_itself() {
        let engine = Engine::start();
        let lib = unsafe { Library::new(driver_path()) }.unwrap();
        let api = Api::new(&lib);
        unsafe {
            let bind: Symbol<BindParameter> = lib.get(b"SQLBindParameter").unwrap();
            let param_data: Symbol<ParamData> = lib.get(b"SQLParamData").unwrap();
            let put_data: Symbol<PutData> = lib.get(b"SQLPutData").unwrap();
            let execute: Symbol<StmtFn> = lib.get(b"SQLExecute").unwrap();
            let cancel: Symbol<StmtFn> = lib.get(b"SQLCancel").unwrap();
            let free_stmt: Symbol<FreeStmt> = lib.get(b"SQLFreeStmt").unwrap();
            let get_attr: Symbol<GetStmtAttr> = lib.get(b"SQLGetStmtAttr").unwrap();
            let get_desc: Symbol<GetDescField> = lib.get(b"SQLGetDescField").unwrap();
            let set_attr: Symbol<SetStmtAttr> = lib.get(b"SQLSetStmtAttr").unwrap();

            let env = api.env();
            let mut dbc: H = std::ptr::null_mut();
            assert_eq!((api.alloc)(direct::DBC, env, &mut dbc), SUCCESS);
            let connect = format!(
                "Host={};Port={};UID=demo;PWD=demo",
                engine.host, engine.port
            );
            assert_eq!(api.connect(dbc, &connect), SUCCESS);
            let mut stmt: H = std::ptr::null_mut();
            assert_eq!((api.alloc)(STMT, dbc, &mut stmt), SUCCESS);
            let mut ipd: H = std::ptr::null_mut();
            assert_eq!(
                get_attr(
                    stmt,
                    10013,
                    (&mut ipd as *mut H).cast(),
                    0,
                    std::ptr::null_mut()
                ),
                SUCCESS
            );

            let state = |h: H, t: i16| api.sqlstate(t, h);
            let put = |data: &[u8]| put_data(stmt, data.as_ptr().cast(), data.len() as isize);
            let mut token: *mut c_void = std::ptr::null_mut();
            let mut ind = SQL_DATA_AT_EXEC;
            let sql = "SELECT ? AS v";
            assert_eq!(put(b"x"), ERROR);
            assert_eq!(state(stmt, STMT), "HY010");
            assert_eq!(
                bind(
                    stmt,
                    1,
                    SQL_PARAM_INPUT,
                    SQL_C_CHAR,
                    SQL_VARCHAR,
                    0,
                    0,
                    0x77 as *mut c_void,
                    0,
                    &mut ind
                ),
                SUCCESS
            );
            assert_eq!(
                (api.exec)(stmt, sql.as_ptr(), sql.len() as i32),
                SQL_NEED_DATA
            );
            // What the driver manager would refuse first, the driver refuses too.
            assert_eq!(put(b"x"), ERROR, "SQLPutData before SQLParamData");
            assert_eq!(state(stmt, STMT), "HY010");
            assert_eq!((api.exec)(stmt, sql.as_ptr(), sql.len() as i32), ERROR);
            assert_eq!(state(stmt, STMT), "HY010");
            assert_eq!(execute(stmt), ERROR);
            assert_eq!(state(stmt, STMT), "HY010");
            assert_eq!((api.fetch)(stmt), ERROR);
            assert_eq!(state(stmt, STMT), "HY010");
            assert_eq!(free_stmt(stmt, SQL_CLOSE), ERROR);
            assert_eq!(state(stmt, STMT), "HY010");
            let mut count = 0i16;
            assert_eq!(
                get_desc(
                    ipd,
                    0,
                    1001,
                    (&mut count as *mut i16).cast(),
                    0,
                    std::ptr::null_mut()
                ),
                ERROR,
                "the implicit IPD follows its statement"
            );
            assert_eq!(state(ipd, 4), "HY010");
            assert_eq!(param_data(stmt, &mut token), SQL_NEED_DATA);
            assert_eq!(token as usize, 0x77);
            assert_eq!(param_data(stmt, &mut token), ERROR, "nothing sent yet");
            assert_eq!(state(stmt, STMT), "HY010");
            assert_eq!(put(b"one "), SUCCESS);
            // SQL_NULL_DATA after data: HY020, and the sequence is over.
            assert_eq!(put_data(stmt, std::ptr::null(), SQL_NULL_DATA), ERROR);
            assert_eq!(state(stmt, STMT), "HY020");
            assert_eq!(param_data(stmt, &mut token), ERROR);
            assert_eq!(state(stmt, STMT), "HY010");
            // Again, completed this time.
            assert_eq!(
                (api.exec)(stmt, sql.as_ptr(), sql.len() as i32),
                SQL_NEED_DATA
            );
            assert_eq!(param_data(stmt, &mut token), SQL_NEED_DATA);
            assert_eq!(put(b"one "), SUCCESS);
            assert_eq!(put(b"two"), SUCCESS);
            assert_eq!(param_data(stmt, &mut token), SUCCESS);
            assert_eq!((api.fetch)(stmt), SUCCESS);
            assert_eq!(free_stmt(stmt, SQL_CLOSE), SUCCESS);
            // SQLCancel ends a sequence; SQLFreeHandle is accepted during one.
            assert_eq!(
                (api.exec)(stmt, sql.as_ptr(), sql.len() as i32),
                SQL_NEED_DATA
            );
            assert_eq!(cancel(stmt), SUCCESS);
            assert_eq!(param_data(stmt, &mut token), ERROR);
            assert_eq!(state(stmt, STMT), "HY010");
            assert_eq!(execute(stmt), ERROR, "not prepared after SQLExecDirect");
            assert_eq!(
                (api.exec)(stmt, sql.as_ptr(), sql.len() as i32),
                SQL_NEED_DATA
            );
            // An explicit descriptor follows the statement that uses it as its APD.
            let mut apd: H = std::ptr::null_mut();
            assert_eq!((api.alloc)(4, dbc, &mut apd), SUCCESS);
            let mut other: H = std::ptr::null_mut();
            assert_eq!((api.alloc)(STMT, dbc, &mut other), SUCCESS);
            assert_eq!(set_attr(other, 10011, apd, 0), SUCCESS);
            let mut other_ind = SQL_DATA_AT_EXEC;
            assert_eq!(
                bind(
                    other,
                    1,
                    SQL_PARAM_INPUT,
                    SQL_C_CHAR,
                    SQL_VARCHAR,
                    0,
                    0,
                    0x78 as *mut c_void,
                    0,
                    &mut other_ind
                ),
                SUCCESS
            );
            let apd_count = |count: &mut i16| {
                get_desc(
                    apd,
                    0,
                    1001,
                    (count as *mut i16).cast(),
                    0,
                    std::ptr::null_mut(),
                )
            };
            assert_eq!(apd_count(&mut count), SUCCESS);
            assert_eq!(count, 1, "SQLBindParameter wrote the explicit APD");
            assert_eq!(
                (api.exec)(other, sql.as_ptr(), sql.len() as i32),
                SQL_NEED_DATA
            );
            assert_eq!(apd_count(&mut count), ERROR);
            assert_eq!(state(apd, 4), "HY010");
            assert_eq!(cancel(other), SUCCESS);
            assert_eq!(apd_count(&mut count), SUCCESS);
            assert_eq!((api.free)(4, apd), SUCCESS);
            assert_eq!((api.free)(STMT, other), SUCCESS);

            assert_eq!((api.free)(STMT, stmt), SUCCESS);
            assert_eq!((api.disconnect)(dbc), SUCCESS);
            assert_eq!((api.free)(DBC, dbc), SUCCESS);
            assert_eq!((api.free)(direct::ENV, env), SUCCESS);
        }
    }
}
