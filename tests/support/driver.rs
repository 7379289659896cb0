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

/// Plain ODBC calls through the driver manager (libodbc), for what odbc-api does not expose:
/// the W functions, driver attributes, SQLCancel from another thread, row-wise binding.
pub mod raw {
    use std::ffi::c_void;

    /// Any ODBC handle.
    pub type H = *mut c_void;

    pub const SQL_HANDLE_ENV: i16 = 1;
    pub const SQL_HANDLE_DBC: i16 = 2;
    pub const SQL_HANDLE_STMT: i16 = 3;
    pub const SQL_SUCCESS: i16 = 0;
    pub const SQL_SUCCESS_WITH_INFO: i16 = 1;
    pub const SQL_ERROR: i16 = -1;
    pub const SQL_INVALID_HANDLE: i16 = -2;
    pub const SQL_NO_DATA: i16 = 100;
    pub const SQL_NTS: i32 = -3;
    pub const SQL_NULL_DATA: isize = -1;

    #[link(name = "odbc")]
    unsafe extern "system" {
        pub fn SQLAllocHandle(t: i16, input: H, out: *mut H) -> i16;
        pub fn SQLFreeHandle(t: i16, h: H) -> i16;
        pub fn SQLSetEnvAttr(env: H, attr: i32, value: *mut c_void, len: i32) -> i16;
        pub fn SQLDriverConnect(
            dbc: H,
            wnd: H,
            text: *const u8,
            len: i16,
            out: *mut u8,
            cap: i16,
            out_len: *mut i16,
            completion: u16,
        ) -> i16;
        pub fn SQLDriverConnectW(
            dbc: H,
            wnd: H,
            text: *const u16,
            len: i16,
            out: *mut u16,
            cap: i16,
            out_len: *mut i16,
            completion: u16,
        ) -> i16;
        pub fn SQLConnect(
            dbc: H,
            dsn: *const u8,
            dsn_len: i16,
            user: *const u8,
            user_len: i16,
            password: *const u8,
            password_len: i16,
        ) -> i16;
        pub fn SQLDisconnect(dbc: H) -> i16;
        pub fn SQLGetConnectAttr(
            dbc: H,
            attr: i32,
            value: *mut c_void,
            cap: i32,
            len: *mut i32,
        ) -> i16;
        pub fn SQLGetConnectAttrW(
            dbc: H,
            attr: i32,
            value: *mut c_void,
            cap: i32,
            len: *mut i32,
        ) -> i16;
        pub fn SQLSetConnectAttr(dbc: H, attr: i32, value: *mut c_void, len: i32) -> i16;
        pub fn SQLGetInfoW(dbc: H, ty: u16, value: *mut c_void, cap: i16, len: *mut i16) -> i16;
        pub fn SQLExecDirect(stmt: H, text: *const u8, len: i32) -> i16;
        pub fn SQLExecDirectW(stmt: H, text: *const u16, len: i32) -> i16;
        pub fn SQLPrepareW(stmt: H, text: *const u16, len: i32) -> i16;
        pub fn SQLExecute(stmt: H) -> i16;
        pub fn SQLCancel(stmt: H) -> i16;
        pub fn SQLFetch(stmt: H) -> i16;
        pub fn SQLFetchScroll(stmt: H, orientation: i16, offset: isize) -> i16;
        pub fn SQLCloseCursor(stmt: H) -> i16;
        pub fn SQLNumResultCols(stmt: H, n: *mut i16) -> i16;
        pub fn SQLRowCount(stmt: H, n: *mut isize) -> i16;
        pub fn SQLBindCol(
            stmt: H,
            col: u16,
            ty: i16,
            value: *mut c_void,
            cap: isize,
            ind: *mut isize,
        ) -> i16;
        pub fn SQLBindParameter(
            stmt: H,
            number: u16,
            io: i16,
            c_type: i16,
            sql_type: i16,
            size: usize,
            digits: i16,
            value: *mut c_void,
            cap: isize,
            ind: *mut isize,
        ) -> i16;
        pub fn SQLSetStmtAttr(stmt: H, attr: i32, value: *mut c_void, len: i32) -> i16;
        pub fn SQLNumParams(stmt: H, n: *mut i16) -> i16;
        pub fn SQLDescribeParam(
            stmt: H,
            number: u16,
            ty: *mut i16,
            size: *mut usize,
            digits: *mut i16,
            nullable: *mut i16,
        ) -> i16;
        pub fn SQLGetStmtAttr(
            stmt: H,
            attr: i32,
            value: *mut c_void,
            cap: i32,
            len: *mut i32,
        ) -> i16;
        pub fn SQLGetData(
            stmt: H,
            col: u16,
            ty: i16,
            value: *mut c_void,
            cap: isize,
            ind: *mut isize,
        ) -> i16;
        pub fn SQLDescribeColW(
            stmt: H,
            col: u16,
            name: *mut u16,
            cap: i16,
            name_len: *mut i16,
            ty: *mut i16,
            size: *mut usize,
            digits: *mut i16,
            nullable: *mut i16,
        ) -> i16;
        pub fn SQLColAttributeW(
            stmt: H,
            col: u16,
            field: u16,
            text: *mut c_void,
            cap: i16,
            len: *mut i16,
            num: *mut isize,
        ) -> i16;
        pub fn SQLGetDiagRec(
            t: i16,
            h: H,
            rec: i16,
            state: *mut u8,
            native: *mut i32,
            msg: *mut u8,
            cap: i16,
            len: *mut i16,
        ) -> i16;
        pub fn SQLGetDiagRecW(
            t: i16,
            h: H,
            rec: i16,
            state: *mut u16,
            native: *mut i32,
            msg: *mut u16,
            cap: i16,
            len: *mut i16,
        ) -> i16;
    }

    /// SQLExecDirect (narrow) with an explicit length.
    pub fn exec(stmt: H, sql: &str) -> i16 {
        unsafe { SQLExecDirect(stmt, sql.as_ptr(), sql.len() as i32) }
    }

    /// UTF-16 of `s` (no terminator).
    pub fn wide(s: &str) -> Vec<u16> {
        s.encode_utf16().collect()
    }

    /// The first diagnostic record of a handle: (SQLSTATE, message), through the narrow call.
    pub fn diag(t: i16, h: H) -> (String, String) {
        let mut state = [0u8; 6];
        let mut msg = [0u8; 1024];
        let mut len = 0i16;
        let mut native = 0i32;
        let rc = unsafe {
            SQLGetDiagRec(
                t,
                h,
                1,
                state.as_mut_ptr(),
                &mut native,
                msg.as_mut_ptr(),
                1024,
                &mut len,
            )
        };
        if rc != SQL_SUCCESS && rc != SQL_SUCCESS_WITH_INFO {
            return (String::new(), format!("no diagnostic record (rc {rc})"));
        }
        let n = (len.max(0) as usize).min(msg.len());
        (
            String::from_utf8_lossy(&state[..5]).into_owned(),
            String::from_utf8_lossy(&msg[..n]).into_owned(),
        )
    }

    /// The first diagnostic record through SQLGetDiagRecW.
    pub fn diag_w(t: i16, h: H) -> (String, String) {
        let mut state = [0u16; 6];
        let mut msg = [0u16; 1024];
        let mut len = 0i16;
        let mut native = 0i32;
        let rc = unsafe {
            SQLGetDiagRecW(
                t,
                h,
                1,
                state.as_mut_ptr(),
                &mut native,
                msg.as_mut_ptr(),
                1024,
                &mut len,
            )
        };
        if rc != SQL_SUCCESS && rc != SQL_SUCCESS_WITH_INFO {
            return (String::new(), format!("no diagnostic record (rc {rc})"));
        }
        let n = (len.max(0) as usize).min(msg.len());
        (
            String::from_utf16_lossy(&state[..5]),
            String::from_utf16_lossy(&msg[..n]),
        )
    }

    /// Panics with the diagnostic record unless `rc` is a success.
    pub fn check(rc: i16, t: i16, h: H, what: &str) {
        if rc != SQL_SUCCESS && rc != SQL_SUCCESS_WITH_INFO {
            let (state, msg) = diag(t, h);
            panic!("{what} failed (rc {rc}): [{state}] {msg}");
        }
    }

    /// An environment + connection through the driver manager; disconnects and frees on drop.
    pub struct Conn {
        pub env: H,
        pub dbc: H,
    }

    impl Conn {
        /// An environment and an unconnected connection handle.
        pub fn alloc() -> Conn {
            let mut env: H = std::ptr::null_mut();
            let mut dbc: H = std::ptr::null_mut();
            unsafe {
                assert_eq!(
                    SQLAllocHandle(SQL_HANDLE_ENV, std::ptr::null_mut(), &mut env),
                    SQL_SUCCESS
                );
                let rc = SQLSetEnvAttr(env, 200, 380usize as *mut c_void, 0);
                check(rc, SQL_HANDLE_ENV, env, "SQLSetEnvAttr");
                let rc = SQLAllocHandle(SQL_HANDLE_DBC, env, &mut dbc);
                check(rc, SQL_HANDLE_ENV, env, "SQLAllocHandle(DBC)");
            }
            Conn { env, dbc }
        }

        /// Connects with SQLDriverConnect (narrow).
        pub fn connect(conn_str: &str) -> Conn {
            let c = Conn::alloc();
            let rc = unsafe {
                SQLDriverConnect(
                    c.dbc,
                    std::ptr::null_mut(),
                    conn_str.as_ptr(),
                    conn_str.len() as i16,
                    std::ptr::null_mut(),
                    0,
                    std::ptr::null_mut(),
                    0,
                )
            };
            check(rc, SQL_HANDLE_DBC, c.dbc, "SQLDriverConnect");
            c
        }

        /// Connects with SQLDriverConnectW.
        pub fn connect_wide(conn_str: &str) -> Conn {
            let c = Conn::alloc();
            let w = wide(conn_str);
            let rc = unsafe {
                SQLDriverConnectW(
                    c.dbc,
                    std::ptr::null_mut(),
                    w.as_ptr(),
                    w.len() as i16,
                    std::ptr::null_mut(),
                    0,
                    std::ptr::null_mut(),
                    0,
                )
            };
            check(rc, SQL_HANDLE_DBC, c.dbc, "SQLDriverConnectW");
            c
        }

        /// A new statement handle.
        pub fn stmt(&self) -> H {
            let mut stmt: H = std::ptr::null_mut();
            let rc = unsafe { SQLAllocHandle(SQL_HANDLE_STMT, self.dbc, &mut stmt) };
            check(rc, SQL_HANDLE_DBC, self.dbc, "SQLAllocHandle(STMT)");
            stmt
        }

        /// A string connection attribute read with SQLGetConnectAttr (narrow).
        pub fn attr_string(&self, attr: i32) -> String {
            let mut buf = [0u8; 4096];
            let mut len = 0i32;
            let rc = unsafe {
                SQLGetConnectAttr(
                    self.dbc,
                    attr,
                    buf.as_mut_ptr().cast(),
                    buf.len() as i32,
                    &mut len,
                )
            };
            check(rc, SQL_HANDLE_DBC, self.dbc, "SQLGetConnectAttr");
            String::from_utf8_lossy(&buf[..len as usize]).into_owned()
        }

        /// A string connection attribute read with SQLGetConnectAttrW (length in bytes).
        pub fn attr_string_w(&self, attr: i32) -> String {
            let mut buf = [0u16; 4096];
            let mut len = 0i32;
            let rc = unsafe {
                SQLGetConnectAttrW(
                    self.dbc,
                    attr,
                    buf.as_mut_ptr().cast(),
                    (buf.len() * 2) as i32,
                    &mut len,
                )
            };
            check(rc, SQL_HANDLE_DBC, self.dbc, "SQLGetConnectAttrW");
            String::from_utf16_lossy(&buf[..len as usize / 2])
        }
    }

    impl Drop for Conn {
        fn drop(&mut self) {
            unsafe {
                let _ = SQLDisconnect(self.dbc);
                let _ = SQLFreeHandle(SQL_HANDLE_DBC, self.dbc);
                let _ = SQLFreeHandle(SQL_HANDLE_ENV, self.env);
            }
        }
    }
}

/// The driver's functions called directly (no driver manager), from a copy loaded with
/// libloading.
pub mod direct {
    use std::ffi::c_void;

    use libloading::{Library, Symbol};

    pub type H = *mut c_void;
    pub type AllocHandle = unsafe extern "system" fn(i16, H, *mut H) -> i16;
    pub type FreeHandle = unsafe extern "system" fn(i16, H) -> i16;
    pub type SetEnvAttr = unsafe extern "system" fn(H, i32, *mut c_void, i32) -> i16;
    pub type DriverConnect =
        unsafe extern "system" fn(H, H, *const u8, i16, *mut u8, i16, *mut i16, u16) -> i16;
    pub type Disconnect = unsafe extern "system" fn(H) -> i16;
    pub type ExecDirect = unsafe extern "system" fn(H, *const u8, i32) -> i16;
    pub type Fetch = unsafe extern "system" fn(H) -> i16;
    pub type GetDiagRec =
        unsafe extern "system" fn(i16, H, i16, *mut u8, *mut i32, *mut u8, i16, *mut i16) -> i16;
    pub type GetConnectAttr = unsafe extern "system" fn(H, i32, *mut c_void, i32, *mut i32) -> i16;
    pub type GetFunctions = unsafe extern "system" fn(H, u16, *mut u16) -> i16;

    pub const ENV: i16 = 1;
    pub const DBC: i16 = 2;
    pub const STMT: i16 = 3;
    pub const SUCCESS: i16 = 0;
    pub const ERROR: i16 = -1;
    pub const INVALID_HANDLE: i16 = -2;

    /// The driver's functions, resolved from one loaded copy.
    pub struct Api<'l> {
        pub alloc: Symbol<'l, AllocHandle>,
        pub free: Symbol<'l, FreeHandle>,
        pub set_env: Symbol<'l, SetEnvAttr>,
        pub connect: Symbol<'l, DriverConnect>,
        pub disconnect: Symbol<'l, Disconnect>,
        pub exec: Symbol<'l, ExecDirect>,
        pub fetch: Symbol<'l, Fetch>,
        pub diag: Symbol<'l, GetDiagRec>,
        pub get_attr: Symbol<'l, GetConnectAttr>,
        pub functions: Symbol<'l, GetFunctions>,
    }

    impl<'l> Api<'l> {
        pub fn new(lib: &'l Library) -> Api<'l> {
            unsafe {
                Api {
                    alloc: lib.get(b"SQLAllocHandle").unwrap(),
                    free: lib.get(b"SQLFreeHandle").unwrap(),
                    set_env: lib.get(b"SQLSetEnvAttr").unwrap(),
                    connect: lib.get(b"SQLDriverConnect").unwrap(),
                    disconnect: lib.get(b"SQLDisconnect").unwrap(),
                    exec: lib.get(b"SQLExecDirect").unwrap(),
                    fetch: lib.get(b"SQLFetch").unwrap(),
                    diag: lib.get(b"SQLGetDiagRec").unwrap(),
                    get_attr: lib.get(b"SQLGetConnectAttr").unwrap(),
                    functions: lib.get(b"SQLGetFunctions").unwrap(),
                }
            }
        }

        pub fn sqlstate(&self, t: i16, h: H) -> String {
            let mut state = [0u8; 6];
            let mut msg = [0u8; 512];
            let mut len = 0i16;
            let rc = unsafe {
                (self.diag)(
                    t,
                    h,
                    1,
                    state.as_mut_ptr(),
                    std::ptr::null_mut(),
                    msg.as_mut_ptr(),
                    512,
                    &mut len,
                )
            };
            assert_eq!(rc, SUCCESS, "a diagnostic record exists");
            String::from_utf8_lossy(&state[..5]).into_owned()
        }

        pub fn env(&self) -> H {
            let mut env: H = std::ptr::null_mut();
            unsafe {
                assert_eq!((self.alloc)(ENV, std::ptr::null_mut(), &mut env), SUCCESS);
                assert_eq!((self.set_env)(env, 200, 3usize as *mut c_void, 0), SUCCESS);
            }
            env
        }

        pub fn connect(&self, dbc: H, conn_str: &str) -> i16 {
            unsafe {
                (self.connect)(
                    dbc,
                    std::ptr::null_mut(),
                    conn_str.as_ptr(),
                    conn_str.len() as i16,
                    std::ptr::null_mut(),
                    0,
                    std::ptr::null_mut(),
                    0,
                )
            }
        }
    }
}
