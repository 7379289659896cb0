//! Test helper: where the built driver is and how to connect to an engine with it.

#![allow(dead_code)]

use std::path::PathBuf;

use super::engine::Engine;

/// `<target dir>/debug/libe6data_odbc.so`, derived from the test executable's location
/// (override with `E6DATA_ODBC_DRIVER`).
pub fn driver_path() -> PathBuf {
    if let Some(p) = std::env::var_os("E6DATA_ODBC_DRIVER") {
        return PathBuf::from(p);
    }
    let exe = std::env::current_exe().expect("current_exe");
    let path = exe
        .parent()
        .and_then(|deps| deps.parent())
        .map(|debug| debug.join("libe6data_odbc.so"))
        .expect("target directory layout");
    assert!(
        path.exists(),
        "driver not built at {} (cargo build -p e6data-odbc)",
        path.display()
    );
    path
}

/// `Driver=...;Host=...;Port=...;UID=demo;PWD=demo` for `engine`.
pub fn conn_str(engine: &Engine) -> String {
    conn_str_with(engine, "")
}

/// Like [`conn_str`] with extra `key=value;` pairs appended.
pub fn conn_str_with(engine: &Engine, extra: &str) -> String {
    format!(
        "Driver={};Host={};Port={};UID=demo;PWD=demo;{extra}",
        driver_path().display(),
        engine.host,
        engine.port
    )
}
