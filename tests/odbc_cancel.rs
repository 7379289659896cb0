//! SQLCancel from another thread while SQLExecDirect / SQLFetch block on a long query: the call
//! returns SQL_ERROR with HY008 promptly, and the connection stays usable.

#[path = "support/driver.rs"]
mod driver;
#[path = "support/engine.rs"]
mod engine;

use std::time::{Duration, Instant};

use driver::conn_str;
use driver::raw::*;
use engine::Engine;

/// A query over a 10-billion-row generated series: far longer than the test's patience.
const LONG_QUERY: &str = "SELECT count(*) FROM generate_series(1, 10000000000)";

/// Cancels `stmt` from another thread after `delay`.
fn cancel_later(stmt: H, delay: Duration) -> std::thread::JoinHandle<i16> {
    let raw = stmt as usize;
    std::thread::spawn(move || {
        std::thread::sleep(delay);
        unsafe { SQLCancel(raw as H) }
    })
}

#[test]
fn cancel_interrupts_a_blocking_execute() {
    let engine = Engine::start();
    let conn = Conn::connect(&conn_str(&engine));
    let stmt = conn.stmt();
    let canceller = cancel_later(stmt, Duration::from_millis(1500));
    let started = Instant::now();
    let rc = unsafe { SQLExecDirect(stmt, LONG_QUERY.as_ptr(), LONG_QUERY.len() as i32) };
    let elapsed = started.elapsed();
    assert_eq!(
        canceller.join().unwrap(),
        SQL_SUCCESS,
        "SQLCancel itself succeeds"
    );
    assert_eq!(rc, SQL_ERROR, "the cancelled execute fails");
    let (state, message) = diag(SQL_HANDLE_STMT, stmt);
    assert_eq!(state, "HY008", "{message}");
    assert!(elapsed < Duration::from_secs(30), "cancel took {elapsed:?}");

    // The statement and the connection still work.
    let sql = "SELECT 1";
    check(exec(stmt, sql), SQL_HANDLE_STMT, stmt, "exec after cancel");
    check(
        unsafe { SQLFetch(stmt) },
        SQL_HANDLE_STMT,
        stmt,
        "fetch after cancel",
    );
    unsafe { SQLFreeHandle(SQL_HANDLE_STMT, stmt) };
}

#[test]
fn cancel_without_running_work_has_no_effect() {
    let engine = Engine::start();
    let conn = Conn::connect(&conn_str(&engine));
    let stmt = conn.stmt();
    assert_eq!(unsafe { SQLCancel(stmt) }, SQL_SUCCESS);
    let sql = "SELECT n FROM demo.numbers WHERE n <= 3";
    check(exec(stmt, sql), SQL_HANDLE_STMT, stmt, "exec");
    let mut rows = 0;
    while unsafe { SQLFetch(stmt) } != SQL_NO_DATA {
        rows += 1;
    }
    assert_eq!(rows, 3);
    unsafe { SQLFreeHandle(SQL_HANDLE_STMT, stmt) };
}

#[test]
fn query_timeout_is_hyt00() {
    let engine = Engine::start();
    let conn = Conn::connect(&conn_str(&engine));
    let stmt = conn.stmt();
    let rc = unsafe { SQLSetStmtAttr(stmt, 0, 2usize as *mut std::ffi::c_void, 0) };
    check(rc, SQL_HANDLE_STMT, stmt, "SQL_ATTR_QUERY_TIMEOUT");
    let started = Instant::now();
    let rc = unsafe { SQLExecDirect(stmt, LONG_QUERY.as_ptr(), LONG_QUERY.len() as i32) };
    assert_eq!(rc, SQL_ERROR);
    let (state, message) = diag(SQL_HANDLE_STMT, stmt);
    assert_eq!(state, "HYT00", "{message}");
    assert!(started.elapsed() < Duration::from_secs(30));
    unsafe { SQLFreeHandle(SQL_HANDLE_STMT, stmt) };
}
