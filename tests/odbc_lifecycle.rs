//! The driver library called directly (no driver manager), loaded with libloading: it
//! survives repeated load / connect / free / unload cycles without leaking threads.
//!
//! `E6DATA_ODBC_CYCLES` sets the number of cycles (default 1000, each with a connection).

#[path = "support/driver.rs"]
mod driver;
#[path = "support/engine.rs"]
mod engine;

use std::time::{Duration, Instant};

use libloading::Library;

use driver::direct::*;
use driver::driver_path;
use engine::Engine;

fn threads() -> usize {
    std::fs::read_dir("/proc/self/task")
        .map(|d| d.count())
        .unwrap_or(0)
}

fn conn_str(engine: &Engine) -> String {
    format!(
        "Host={};Port={};UID=demo;PWD=demo",
        engine.host, engine.port
    )
}

#[test]
fn survives_repeated_load_connect_unload_cycles() {
    let engine = Engine::start();
    let cycles: usize = std::env::var("E6DATA_ODBC_CYCLES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1000);
    let conn_str = conn_str(&engine);
    // Warm up once so lazily created process-wide state is not counted as a leak.
    let baseline = {
        let lib = unsafe { Library::new(driver_path()) }.unwrap();
        let api = Api::new(&lib);
        let env = api.env();
        unsafe { (api.free)(ENV, env) };
        lib.close().unwrap();
        threads()
    };
    let started = Instant::now();
    for i in 0..cycles {
        let lib = unsafe { Library::new(driver_path()) }.unwrap();
        let api = Api::new(&lib);
        let env = api.env();
        if i == 0 {
            // The check below can see the runtime: its 2 workers exist while an ENV does.
            assert!(threads() >= baseline + 2, "the driver runtime is running");
        }
        let mut dbc: H = std::ptr::null_mut();
        unsafe {
            assert_eq!((api.alloc)(DBC, env, &mut dbc), SUCCESS);
            let rc = api.connect(dbc, &conn_str);
            assert_eq!(
                rc,
                SUCCESS,
                "cycle {i}: connect failed: {}",
                api.sqlstate(DBC, dbc)
            );
            if i % 100 == 0 {
                let mut stmt: H = std::ptr::null_mut();
                assert_eq!((api.alloc)(STMT, dbc, &mut stmt), SUCCESS);
                assert_eq!((api.exec)(stmt, b"SELECT 1".as_ptr(), 8), SUCCESS);
                assert_eq!((api.fetch)(stmt), SUCCESS);
                assert_eq!((api.free)(STMT, stmt), SUCCESS);
            }
            assert_eq!((api.disconnect)(dbc), SUCCESS);
            assert_eq!((api.free)(DBC, dbc), SUCCESS);
            assert_eq!((api.free)(ENV, env), SUCCESS);
        }
        lib.close().unwrap();
    }
    let elapsed = started.elapsed();
    // The runtime's threads are joined at the last SQLFreeHandle(ENV): none may remain.
    let deadline = Instant::now() + Duration::from_secs(10);
    while threads() > baseline && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(
        threads() <= baseline,
        "threads leaked: {} now, {} before the cycles",
        threads(),
        baseline
    );
    eprintln!("{cycles} load/connect/unload cycles in {elapsed:?}");
}
