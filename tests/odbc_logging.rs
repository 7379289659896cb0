//! The driver log: LogLevel/LogFile from the connection string produce a log file with the
//! connection's progress and never the password. The log is installed once per process, so
//! this is the only test of its binary.

#[path = "support/driver.rs"]
mod driver;
#[path = "support/engine.rs"]
mod engine;

use driver::raw::*;
use engine::Engine;

#[test]
fn log_file_records_the_session_without_secrets() {
    let secret = "s3cr3t-token-value";
    let engine = Engine::start_with(&["--user", &format!("alice:{secret}")]);
    let log = std::env::temp_dir().join(format!("e6data-odbc-log-{}.log", std::process::id()));
    let _ = std::fs::remove_file(&log);
    let conn_str = format!(
        "Driver={};Host={};Port={};UID=alice;PWD={secret};LogLevel=debug;LogFile={};AppKey=x",
        driver::driver_path().display(),
        engine.host,
        engine.port,
        log.display()
    );
    let conn = Conn::connect(&conn_str);
    let stmt = conn.stmt();
    let sql = "SELECT 1";
    check(exec(stmt, sql), SQL_HANDLE_STMT, stmt, sql);
    while unsafe { SQLFetch(stmt) } != SQL_NO_DATA {}
    unsafe { SQLFreeHandle(SQL_HANDLE_STMT, stmt) };
    drop(conn);

    let text = std::fs::read_to_string(&log).expect("the log file exists");
    assert!(text.contains("connected"), "{text}");
    assert!(
        text.contains("AppKey"),
        "unknown keys are logged at debug: {text}"
    );
    assert!(
        !text.contains(secret),
        "the password leaked into the log:\n{text}"
    );
    assert!(
        !text.contains("s3cr3t"),
        "part of the password leaked into the log"
    );
    let _ = std::fs::remove_file(&log);
}
