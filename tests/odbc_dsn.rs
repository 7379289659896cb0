//! DSN values read through odbcinst (SQLGetPrivateProfileString): SQLConnect(DSN, UID, PWD)
//! and SQLDriverConnect("DSN=...;...") where the connection string overrides the DSN.
//!
//! The test points unixODBC at private ini files through ODBCSYSINI/ODBCINI before any ODBC
//! call; it is the only test in this binary, so changing the environment is safe.

#[path = "support/driver.rs"]
mod driver;
#[path = "support/engine.rs"]
mod engine;

use driver::driver_path;
use driver::raw::*;
use engine::Engine;

fn fetch_one(conn: &Conn) -> i64 {
    let stmt = conn.stmt();
    let sql = "SELECT count(*) FROM all_types";
    check(exec(stmt, sql), SQL_HANDLE_STMT, stmt, sql);
    check(unsafe { SQLFetch(stmt) }, SQL_HANDLE_STMT, stmt, "fetch");
    let mut n = 0i64;
    let mut ind = 0isize;
    let rc = unsafe { SQLGetData(stmt, 1, -25, (&raw mut n).cast(), 8, &mut ind) };
    check(rc, SQL_HANDLE_STMT, stmt, "get data");
    unsafe { SQLFreeHandle(SQL_HANDLE_STMT, stmt) };
    n
}

#[test]
fn dsn_values_are_read_and_overridden_by_the_connection_string() {
    let engine = Engine::start();
    let dir = std::env::temp_dir().join(format!("e6data-odbc-dsn-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("odbcinst.ini"),
        format!("[e6data-test]\nDriver={}\n", driver_path().display()),
    )
    .unwrap();
    std::fs::write(
        dir.join("odbc.ini"),
        format!(
            "[e6good]\nDriver=e6data-test\nHost={host}\nPort={port}\nCatalog=local\nSchema=demo\n\n\
             [e6badport]\nDriver=e6data-test\nHost={host}\nPort=1\nUID=demo\nPWD=demo\nSchema=demo\n",
            host = engine.host,
            port = engine.port
        ),
    )
    .unwrap();
    // SAFETY: the only test of this binary, before any thread touches the environment.
    unsafe {
        std::env::set_var("ODBCSYSINI", &dir);
        std::env::set_var("ODBCINI", dir.join("odbc.ini"));
    }

    // SQLConnect: host, port, catalog and schema from the DSN; credentials from the call.
    let conn = Conn::alloc();
    let (dsn, user, pwd) = ("e6good", "demo", "demo");
    let rc = unsafe { SQLConnect(conn.dbc, dsn.as_ptr(), 6, user.as_ptr(), 4, pwd.as_ptr(), 4) };
    check(rc, SQL_HANDLE_DBC, conn.dbc, "SQLConnect(DSN)");
    assert_eq!(fetch_one(&conn), 5, "Schema=demo from the DSN applies");
    drop(conn);

    // Wrong credentials through SQLConnect: 28000.
    let conn = Conn::alloc();
    let bad = "nope";
    let rc = unsafe { SQLConnect(conn.dbc, dsn.as_ptr(), 6, user.as_ptr(), 4, bad.as_ptr(), 4) };
    assert_eq!(rc, SQL_ERROR);
    assert_eq!(diag(SQL_HANDLE_DBC, conn.dbc).0, "28000");
    drop(conn);

    // The DSN's wrong port is overridden by the connection string.
    let conn = Conn::connect(&format!("DSN=e6badport;Port={}", engine.port));
    assert_eq!(fetch_one(&conn), 5);
    drop(conn);

    // Without the override the DSN's port is used (and fails to connect).
    let conn = Conn::alloc();
    let text = "DSN=e6badport";
    let rc = unsafe {
        SQLDriverConnect(
            conn.dbc,
            std::ptr::null_mut(),
            text.as_ptr(),
            text.len() as i16,
            std::ptr::null_mut(),
            0,
            std::ptr::null_mut(),
            0,
        )
    };
    assert_eq!(rc, SQL_ERROR);
    assert_eq!(diag(SQL_HANDLE_DBC, conn.dbc).0, "08001");
    drop(conn);
    let _ = std::fs::remove_dir_all(&dir);
}
