//! The driver library called directly (no driver manager), loaded with libloading:
//! garbage/freed/wrong-type handles answer SQL_INVALID_HANDLE and the state machine refuses
//! out-of-order calls with the right SQLSTATEs.

#[path = "support/driver.rs"]
mod driver;
#[path = "support/engine.rs"]
mod engine;

use std::ffi::c_void;

use libloading::Library;

use driver::direct::*;
use driver::driver_path;

#[test]
fn invalid_handles_and_sequence_errors() {
    let lib = unsafe { Library::new(driver_path()) }.unwrap();
    let api = Api::new(&lib);
    let garbage = [
        0xDEAD_BEEFusize as H,
        1usize as H,
        usize::MAX as H,
        std::ptr::null_mut(),
    ];
    for g in garbage {
        unsafe {
            assert_eq!((api.free)(ENV, g), INVALID_HANDLE);
            assert_eq!((api.free)(STMT, g), INVALID_HANDLE);
            assert_eq!((api.exec)(g, b"SELECT 1".as_ptr(), 8), INVALID_HANDLE);
            assert_eq!((api.fetch)(g), INVALID_HANDLE);
            assert_eq!((api.disconnect)(g), INVALID_HANDLE);
            let mut out: H = std::ptr::null_mut();
            assert_eq!((api.alloc)(DBC, g, &mut out), INVALID_HANDLE);
            assert!(out.is_null());
        }
    }
    // Allocating a connection before SQL_ATTR_ODBC_VERSION: HY010.
    let mut env: H = std::ptr::null_mut();
    let mut dbc: H = std::ptr::null_mut();
    unsafe {
        assert_eq!((api.alloc)(ENV, std::ptr::null_mut(), &mut env), SUCCESS);
        assert_eq!((api.alloc)(DBC, env, &mut dbc), ERROR);
        assert_eq!(api.sqlstate(ENV, env), "HY010");
        assert_eq!((api.set_env)(env, 200, 3usize as *mut c_void, 0), SUCCESS);
        assert_eq!((api.alloc)(DBC, env, &mut dbc), SUCCESS);
        // Wrong kind: an environment handle where a connection is expected, and vice versa.
        assert_eq!((api.disconnect)(env), INVALID_HANDLE);
        assert_eq!((api.free)(ENV, dbc), INVALID_HANDLE);
        // Strategy attributes need an open connection: 08003.
        let mut buf = [0u8; 32];
        let mut len = 0i32;
        assert_eq!(
            (api.get_attr)(dbc, 16385, buf.as_mut_ptr().cast(), 32, &mut len),
            ERROR
        );
        assert_eq!(api.sqlstate(DBC, dbc), "08003");
        // A statement on an unconnected connection: 08003.
        let mut stmt: H = std::ptr::null_mut();
        assert_eq!((api.alloc)(STMT, dbc, &mut stmt), ERROR);
        assert_eq!(api.sqlstate(DBC, dbc), "08003");
        // SQLGetFunctions reports what is exported.
        let mut supported = 0u16;
        assert_eq!((api.functions)(dbc, 13, &mut supported), SUCCESS);
        assert_eq!(supported, 1, "SQLFetch");
        assert_eq!((api.functions)(dbc, 55, &mut supported), SUCCESS);
        assert_eq!(supported, 0, "SQLBrowseConnect is not exported");
        // Completion modes without a dialog: everything needed present or an error.
        for (conn_str, completion, state) in [
            ("UID=demo;PWD=demo", 1u16, "HY000"),
            ("Host=localhost;PWD=demo", 3, "HY000"),
            ("Host=localhost;UID=demo;PWD=demo", 2, "HYC00"),
            ("Host=localhost;UID=demo", 0, "28000"),
            ("Host=localhost;Port=x;UID=demo;PWD=demo", 0, "08001"),
            (
                "Host=localhost;UID=demo;PWD=demo;PWD={unterminated",
                0,
                "08001",
            ),
        ] {
            let rc = (api.connect)(
                dbc,
                std::ptr::null_mut(),
                conn_str.as_ptr(),
                conn_str.len() as i16,
                std::ptr::null_mut(),
                0,
                std::ptr::null_mut(),
                completion,
            );
            assert_eq!(rc, ERROR, "{conn_str}");
            assert_eq!(
                api.sqlstate(DBC, dbc),
                state,
                "{conn_str} / completion {completion}"
            );
        }
        // Autocommit only: COMMIT succeeds, ROLLBACK is HYC00, a bad completion type HY012.
        let end_tran: libloading::Symbol<unsafe extern "system" fn(i16, H, i16) -> i16> =
            lib.get(b"SQLEndTran").unwrap();
        assert_eq!(end_tran(ENV, env, 0), SUCCESS);
        assert_eq!(end_tran(ENV, env, 1), ERROR);
        assert_eq!(api.sqlstate(ENV, env), "HYC00");
        assert_eq!(end_tran(ENV, env, 7), ERROR);
        assert_eq!(api.sqlstate(ENV, env), "HY012");
        assert_eq!(end_tran(DBC, dbc, 0), ERROR, "not connected");
        assert_eq!(api.sqlstate(DBC, dbc), "08003");
        // Freeing the environment while a connection exists: HY010; then in order.
        assert_eq!((api.free)(ENV, env), ERROR);
        assert_eq!(api.sqlstate(ENV, env), "HY010");
        assert_eq!((api.free)(DBC, dbc), SUCCESS);
        assert_eq!((api.free)(DBC, dbc), INVALID_HANDLE, "double free");
        assert_eq!((api.free)(ENV, env), SUCCESS);
        assert_eq!((api.free)(ENV, env), INVALID_HANDLE, "double free");
    }
}
