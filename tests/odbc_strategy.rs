//! The driver's blue/green strategy attributes (16385 active, 16386 pending, 16387 JSON state)
//! read with SQLGetConnectAttr(W) before and after `e6data-local ctl switch`.

#[path = "support/driver.rs"]
mod driver;
#[path = "support/engine.rs"]
mod engine;

use driver::conn_str;
use driver::raw::*;
use engine::Engine;

const ACTIVE: i32 = 16385;
const PENDING: i32 = 16386;
const STATE: i32 = 16387;

fn run_to_end(conn: &Conn, sql: &str) -> usize {
    let stmt = conn.stmt();
    check(
        unsafe { SQLExecDirect(stmt, sql.as_ptr(), sql.len() as i32) },
        SQL_HANDLE_STMT,
        stmt,
        sql,
    );
    let mut rows = 0;
    while unsafe { SQLFetch(stmt) } != SQL_NO_DATA {
        rows += 1;
    }
    unsafe { SQLFreeHandle(SQL_HANDLE_STMT, stmt) };
    rows
}

#[test]
fn attributes_follow_a_drained_switch() {
    let engine = Engine::start();
    let conn = Conn::connect(&conn_str(&engine));
    assert_eq!(conn.attr_string(ACTIVE), "blue");
    assert_eq!(conn.attr_string_w(ACTIVE), "blue");
    assert_eq!(conn.attr_string(PENDING), "");
    let state: serde_json::Value = serde_json::from_str(&conn.attr_string(STATE)).expect("JSON");
    assert_eq!(state["active"], "blue");
    assert_eq!(state["pending"], serde_json::Value::Null);
    assert_eq!(state["pinned_queries"], 0);
    assert_eq!(state["target"], format!("{}:{}", engine.host, engine.port));
    assert!(state.get("last_check_time").is_some() && state.get("last_transition_time").is_some());

    // A query pinned to blue is running when the engine announces green.
    let stmt = conn.stmt();
    let sql = "SELECT n FROM demo.numbers";
    check(exec(stmt, sql), SQL_HANDLE_STMT, stmt, "exec");
    engine.ctl(&["switch", "--to", "green", "--drain-secs", "60"]);
    // The next response carries the announcement; the pinned query keeps blue active.
    let mut rows = 0usize;
    for _ in 0..20_000 {
        if unsafe { SQLFetch(stmt) } == SQL_NO_DATA {
            break;
        }
        rows += 1;
    }
    assert!(rows > 0);
    let probe = run_to_end(&conn, "SELECT 1");
    assert_eq!(probe, 1);
    let state: serde_json::Value = serde_json::from_str(&conn.attr_string(STATE)).unwrap();
    assert_eq!(
        conn.attr_string(ACTIVE),
        "blue",
        "pinned query keeps the old colour: {state}"
    );
    assert_eq!(conn.attr_string(PENDING), "green", "{state}");
    assert!(state["pinned_queries"].as_u64().unwrap() >= 1, "{state}");

    // Finish the blue query; the next call applies green.
    while unsafe { SQLFetch(stmt) } != SQL_NO_DATA {}
    unsafe { SQLFreeHandle(SQL_HANDLE_STMT, stmt) };
    assert_eq!(run_to_end(&conn, "SELECT 1"), 1);
    assert_eq!(run_to_end(&conn, "SELECT 2"), 1);
    assert_eq!(conn.attr_string(ACTIVE), "green");
    assert_eq!(conn.attr_string_w(ACTIVE), "green");
    assert_eq!(conn.attr_string(PENDING), "");
    let state: serde_json::Value = serde_json::from_str(&conn.attr_string_w(STATE)).unwrap();
    assert_eq!(state["active"], "green");
    assert_eq!(state["pinned_queries"], 0);
    assert!(state["last_transition_time"].as_f64().is_some(), "{state}");
}

#[test]
fn attributes_follow_an_abrupt_switch_and_are_read_only() {
    let engine = Engine::start();
    let conn = Conn::connect(&conn_str(&engine));
    assert_eq!(conn.attr_string(ACTIVE), "blue");
    engine.ctl(&["switch", "--to", "green", "--drain-secs", "0"]);
    // Blue is rejected at once (456): the driver flips to green and retries.
    assert_eq!(run_to_end(&conn, "SELECT 1"), 1);
    assert_eq!(conn.attr_string(ACTIVE), "green");

    let rc = unsafe { SQLSetConnectAttr(conn.dbc, ACTIVE, c"blue".as_ptr() as *mut _, SQL_NTS) };
    assert_eq!(rc, SQL_ERROR);
    let (state, message) = diag(SQL_HANDLE_DBC, conn.dbc);
    assert_eq!(state, "HY092", "{message}");
    assert!(message.contains("read-only"), "{message}");
}

#[test]
fn attributes_need_an_open_connection() {
    let mut env: H = std::ptr::null_mut();
    let mut dbc: H = std::ptr::null_mut();
    unsafe {
        assert_eq!(
            SQLAllocHandle(SQL_HANDLE_ENV, std::ptr::null_mut(), &mut env),
            SQL_SUCCESS
        );
        check(
            SQLSetEnvAttr(env, 200, 380usize as *mut _, 0),
            SQL_HANDLE_ENV,
            env,
            "version",
        );
        check(
            SQLAllocHandle(SQL_HANDLE_DBC, env, &mut dbc),
            SQL_HANDLE_ENV,
            env,
            "dbc",
        );
        let mut buf = [0u8; 64];
        let mut len = 0i32;
        // Before connecting, the driver manager has no driver to ask: it refuses itself.
        let rc = SQLGetConnectAttr(dbc, ACTIVE, buf.as_mut_ptr().cast(), 64, &mut len);
        assert_ne!(rc, SQL_SUCCESS);
        let _ = SQLFreeHandle(SQL_HANDLE_DBC, dbc);
        let _ = SQLFreeHandle(SQL_HANDLE_ENV, env);
    }
}
