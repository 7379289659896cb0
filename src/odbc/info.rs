//! SQLGetInfo (a table of info types; extend [`INFO`] to answer more) and SQLGetFunctions
//! (built from [`EXPORTED_FUNCTIONS`], the ONE list of exported API functions; a unit test
//! checks it against the `fn SQL...` items of `exports.rs`).
//!
//! Info types beyond this basic set come from `info_table`; unknown ones answer 0 with a 01000
//! warning. `SQL_DBMS_VER` reports the e6data protocol revision the
//! driver speaks (03.00.0002): the protocol exposes no engine version.

use std::ffi::c_void;

use super::dbc::Dbc;
use super::diag::{Diags, OdbcError, Outcome};
use super::entry::lock;
use super::ffi::{
    SQL_API_ALL_FUNCTIONS, SQL_API_ODBC3_ALL_FUNCTIONS, SQL_API_ODBC3_ALL_FUNCTIONS_SIZE,
    SqlSmallInt, SqlUSmallInt,
};
use super::info_table::{self, Answer};
use super::out::{self, Unit};
use super::text::Encoding;

/// Every exported ODBC function (the W variants share the id of their ANSI function).
pub const EXPORTED_FUNCTIONS: [(&str, u16); 53] = [
    ("SQLAllocHandle", 1001),
    ("SQLBindCol", 4),
    ("SQLBindParameter", 72),
    ("SQLCancel", 5),
    ("SQLCloseCursor", 1003),
    ("SQLColAttribute", 6),
    ("SQLConnect", 7),
    ("SQLCopyDesc", 1004),
    ("SQLDescribeCol", 8),
    ("SQLDescribeParam", 58),
    ("SQLDisconnect", 9),
    ("SQLDriverConnect", 41),
    ("SQLEndTran", 1005),
    ("SQLExecDirect", 11),
    ("SQLExecute", 12),
    ("SQLFetch", 13),
    ("SQLFetchScroll", 1021),
    ("SQLFreeHandle", 1006),
    ("SQLFreeStmt", 16),
    ("SQLGetConnectAttr", 1007),
    ("SQLGetData", 43),
    ("SQLGetDescField", 1008),
    ("SQLGetDescRec", 1009),
    ("SQLGetDiagField", 1010),
    ("SQLGetDiagRec", 1011),
    ("SQLGetEnvAttr", 1012),
    ("SQLGetFunctions", 44),
    ("SQLGetInfo", 45),
    ("SQLGetStmtAttr", 1014),
    ("SQLMoreResults", 61),
    ("SQLNumParams", 63),
    ("SQLNumResultCols", 18),
    ("SQLParamData", 48),
    ("SQLPrepare", 19),
    ("SQLPutData", 49),
    ("SQLRowCount", 20),
    ("SQLSetConnectAttr", 1016),
    ("SQLSetDescField", 1017),
    ("SQLSetDescRec", 1018),
    ("SQLSetEnvAttr", 1019),
    ("SQLSetStmtAttr", 1020),
    ("SQLColumnPrivileges", 56),
    ("SQLColumns", 40),
    ("SQLForeignKeys", 60),
    ("SQLGetTypeInfo", 47),
    ("SQLNativeSql", 62),
    ("SQLPrimaryKeys", 65),
    ("SQLProcedureColumns", 66),
    ("SQLProcedures", 67),
    ("SQLSpecialColumns", 52),
    ("SQLStatistics", 53),
    ("SQLTablePrivileges", 70),
    ("SQLTables", 54),
];

/// `true` when function `id` is exported.
pub fn is_exported(id: u16) -> bool {
    EXPORTED_FUNCTIONS.iter().any(|(_, f)| *f == id)
}

/// SQLGetFunctions.
///
/// # Safety
/// `supported` is null or valid for 1, 100 or 250 `SQLUSMALLINT`s per `function`.
pub unsafe fn get_functions(
    function: SqlUSmallInt,
    supported: *mut SqlUSmallInt,
) -> Result<Outcome, OdbcError> {
    if supported.is_null() {
        return Err(OdbcError::null_pointer("SupportedPtr"));
    }
    match function {
        SQL_API_ODBC3_ALL_FUNCTIONS => {
            let mut bitmap = [0u16; SQL_API_ODBC3_ALL_FUNCTIONS_SIZE];
            for (_, id) in EXPORTED_FUNCTIONS {
                if let Some(word) = bitmap.get_mut(usize::from(id >> 4)) {
                    *word |= 1 << (id & 0xF);
                }
            }
            // SAFETY: 250 SQLUSMALLINTs per the caller.
            unsafe {
                std::ptr::copy_nonoverlapping(bitmap.as_ptr(), supported, bitmap.len());
            }
        }
        SQL_API_ALL_FUNCTIONS => {
            let mut flags = [0u16; 100];
            for (_, id) in EXPORTED_FUNCTIONS {
                if let Some(flag) = flags.get_mut(usize::from(id)) {
                    *flag = 1;
                }
            }
            // SAFETY: 100 SQLUSMALLINTs per the caller.
            unsafe { std::ptr::copy_nonoverlapping(flags.as_ptr(), supported, flags.len()) };
        }
        id => {
            // SAFETY: one SQLUSMALLINT per the caller.
            unsafe { out::write_if_some(supported, u16::from(is_exported(id))) };
        }
    }
    Ok(Outcome::Success)
}

/// Values computed from the connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Dynamic {
    DataSourceName,
    ServerName,
    UserName,
    DatabaseName,
    DriverVersion,
}

/// One SQLGetInfo answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum InfoValue {
    Str(&'static str),
    U16(u16),
    U32(u32),
    Dyn(Dynamic),
}

use Dynamic::*;
use InfoValue::{Dyn, Str, U16, U32};

/// The SQLGetInfo table: (info type, answer).
const INFO: &[(u16, InfoValue)] = &[
    (0, U16(0)),                   // SQL_MAX_DRIVER_CONNECTIONS: no limit
    (1, U16(0)),                   // SQL_MAX_CONCURRENT_ACTIVITIES: no limit
    (2, Dyn(DataSourceName)),      // SQL_DATA_SOURCE_NAME
    (6, Str("libe6data_odbc.so")), // SQL_DRIVER_NAME
    (7, Dyn(DriverVersion)),       // SQL_DRIVER_VER
    (8, U32(0x0000_0001)),         // SQL_FETCH_DIRECTION: SQL_FD_FETCH_NEXT
    (9, U16(1)),                   // SQL_ODBC_API_CONFORMANCE: SQL_OAC_LEVEL1
    (11, Str("N")),                // SQL_ROW_UPDATES
    (13, Dyn(ServerName)),         // SQL_SERVER_NAME
    (14, Str("\\")),               // SQL_SEARCH_PATTERN_ESCAPE
    (15, U16(1)),                  // SQL_ODBC_SQL_CONFORMANCE: SQL_OSC_CORE
    (16, Dyn(DatabaseName)),       // SQL_DATABASE_NAME (the current catalog)
    (17, Str("e6data")),           // SQL_DBMS_NAME
    (18, Str("03.00.0002")),       // SQL_DBMS_VER (protocol revision)
    (19, Str("Y")),                // SQL_ACCESSIBLE_TABLES
    (20, Str("N")),                // SQL_ACCESSIBLE_PROCEDURES
    (21, Str("N")),                // SQL_PROCEDURES
    (22, U16(0)),                  // SQL_CONCAT_NULL_BEHAVIOR: SQL_CB_NULL
    (23, U16(2)),                  // SQL_CURSOR_COMMIT_BEHAVIOR: SQL_CB_PRESERVE
    (24, U16(2)),                  // SQL_CURSOR_ROLLBACK_BEHAVIOR: SQL_CB_PRESERVE
    (25, Str("Y")),                // SQL_DATA_SOURCE_READ_ONLY
    (26, U32(0)),                  // SQL_DEFAULT_TXN_ISOLATION: none
    (28, U16(2)),                  // SQL_IDENTIFIER_CASE: SQL_IC_LOWER (unquoted names fold)
    (29, Str("\"")),               // SQL_IDENTIFIER_QUOTE_CHAR
    (30, U16(0)),                  // SQL_MAX_COLUMN_NAME_LEN: no fixed maximum
    (31, U16(0)),                  // SQL_MAX_CURSOR_NAME_LEN
    (32, U16(0)),                  // SQL_MAX_SCHEMA_NAME_LEN
    (34, U16(0)),                  // SQL_MAX_CATALOG_NAME_LEN
    (35, U16(0)),                  // SQL_MAX_TABLE_NAME_LEN
    (36, Str("N")),                // SQL_MULT_RESULT_SETS
    (37, Str("N")),                // SQL_MULTIPLE_ACTIVE_TXN
    (39, Str("schema")),           // SQL_SCHEMA_TERM
    (41, Str(".")),                // SQL_CATALOG_NAME_SEPARATOR
    (42, Str("catalog")),          // SQL_CATALOG_TERM
    (44, U32(0x0000_0001)),        // SQL_SCROLL_OPTIONS: SQL_SO_FORWARD_ONLY
    (45, Str("table")),            // SQL_TABLE_TERM
    (46, U16(0)),                  // SQL_TXN_CAPABLE: SQL_TC_NONE
    (47, Dyn(UserName)),           // SQL_USER_NAME
    (72, U32(0)),                  // SQL_TXN_ISOLATION_OPTION: none
    (77, Str("03.80")),            // SQL_DRIVER_ODBC_VER
    (78, U32(0)),                  // SQL_LOCK_TYPES
    (79, U32(0)),                  // SQL_POS_OPERATIONS
    (80, U32(0)),                  // SQL_POSITIONED_STATEMENTS
    (81, U32(0x0000_000B)),        // SQL_GETDATA_EXTENSIONS: ANY_COLUMN|ANY_ORDER|BOUND
    (82, U32(0)),                  // SQL_BOOKMARK_PERSISTENCE
    (83, U32(0)),                  // SQL_STATIC_SENSITIVITY
    (84, U16(0)),                  // SQL_FILE_USAGE: SQL_FILE_NOT_SUPPORTED
    (93, U16(3)),                  // SQL_QUOTED_IDENTIFIER_CASE: SQL_IC_SENSITIVE
    (104, U32(0)),                 // SQL_MAX_ROW_SIZE: no fixed maximum
    (105, U32(0)),                 // SQL_MAX_STATEMENT_LEN
    (107, U16(0)),                 // SQL_MAX_USER_NAME_LEN
    (111, Str("N")),               // SQL_NEED_LONG_DATA_LEN
    (116, U16(0)),                 // SQL_ACTIVE_ENVIRONMENTS: no limit
    (118, U32(0x0000_0001)),       // SQL_SQL_CONFORMANCE: SQL_SC_SQL92_ENTRY
    (120, U32(0)),                 // SQL_BATCH_ROW_COUNT
    (121, U32(0)),                 // SQL_BATCH_SUPPORT
    (144, U32(0)),                 // SQL_DYNAMIC_CURSOR_ATTRIBUTES1
    (145, U32(0)),                 // SQL_DYNAMIC_CURSOR_ATTRIBUTES2
    (146, U32(0x0000_0001)),       // SQL_FORWARD_ONLY_CURSOR_ATTRIBUTES1: SQL_CA1_NEXT
    (147, U32(0x0000_0081)),       // ..._ATTRIBUTES2: READ_ONLY_CONCURRENCY | MAX_ROWS_SELECT
    (150, U32(0)),                 // SQL_KEYSET_CURSOR_ATTRIBUTES1
    (151, U32(0)),                 // SQL_KEYSET_CURSOR_ATTRIBUTES2
    (152, U32(1)),                 // SQL_ODBC_INTERFACE_CONFORMANCE: SQL_OIC_CORE
    (153, U32(2)),                 // SQL_PARAM_ARRAY_ROW_COUNTS: SQL_PARC_NO_BATCH
    (154, U32(3)),                 // SQL_PARAM_ARRAY_SELECTS: SQL_PAS_NO_SELECT
    (167, U32(0)),                 // SQL_STATIC_CURSOR_ATTRIBUTES1
    (168, U32(0)),                 // SQL_STATIC_CURSOR_ATTRIBUTES2
    (10000, Str("1995")),          // SQL_XOPEN_CLI_YEAR
    (10001, U32(0)),               // SQL_CURSOR_SENSITIVITY: SQL_UNSPECIFIED
    (10002, Str("N")),             // SQL_DESCRIBE_PARAMETER
    (10003, Str("Y")),             // SQL_CATALOG_NAME
    (10005, U16(0)),               // SQL_MAX_IDENTIFIER_LEN: no fixed maximum
    (10021, U32(0)),               // SQL_ASYNC_MODE: SQL_AM_NONE
    (10022, U32(0)),               // SQL_MAX_ASYNC_CONCURRENT_STATEMENTS
];

/// `##.##.####` from the crate version.
fn driver_version() -> String {
    let part = |s: &str| s.parse::<u32>().unwrap_or(0);
    format!(
        "{:02}.{:02}.{:04}",
        part(env!("CARGO_PKG_VERSION_MAJOR")),
        part(env!("CARGO_PKG_VERSION_MINOR")),
        part(env!("CARGO_PKG_VERSION_PATCH"))
    )
}

fn dynamic(dbc: &Dbc, which: Dynamic) -> Result<String, OdbcError> {
    if which == DriverVersion {
        return Ok(driver_version());
    }
    let state = lock(&dbc.state)?;
    let session = state
        .session
        .as_ref()
        .ok_or_else(super::dbc::not_connected)?;
    Ok(match which {
        DataSourceName => session.settings.dsn.clone().unwrap_or_default(),
        ServerName => session.settings.server_name(),
        UserName => session.settings.user.clone().unwrap_or_default(),
        DatabaseName => session.catalog.clone().unwrap_or_default(),
        DriverVersion => driver_version(),
    })
}

/// The answer from the extended table ([`info_table`]); an unknown or ODBC 4.0 type gets
/// [`info_table::UNKNOWN`] plus a 01000 warning instead of an error, so BI tools probing
/// capabilities do not abort (field-notes trap 3).
fn extended(info_type: SqlUSmallInt, diags: &mut Diags) -> InfoValue {
    match info_table::lookup(info_type).unwrap_or_else(|| {
        diags.warn(OdbcError::new(
            "01000",
            format!("information type {info_type} is not known to the driver; answered 0"),
        ));
        info_table::UNKNOWN
    }) {
        Answer::Str(s) => Str(s),
        Answer::U16(n) => U16(n),
        Answer::U32(n) => U32(n),
    }
}

/// SQLGetInfo(W): strings in the entry point's encoding, lengths in bytes.
///
/// # Safety
/// `value` is null or valid for the info type's value (or `buffer_length` bytes);
/// `string_length` null or valid.
pub unsafe fn get_info<E: Encoding>(
    dbc: &Dbc,
    info_type: SqlUSmallInt,
    value: *mut c_void,
    buffer_length: SqlSmallInt,
    string_length: *mut SqlSmallInt,
    diags: &mut Diags,
) -> Result<Outcome, OdbcError> {
    let answer = match INFO.iter().find(|(id, _)| *id == info_type) {
        Some((_, v)) => *v,
        None => extended(info_type, diags),
    };
    let text = match answer {
        Str(s) => s.to_string(),
        Dyn(which) => dynamic(dbc, which)?,
        U16(n) => {
            // SAFETY: per the caller, an SQLUSMALLINT.
            unsafe {
                out::write_if_some(value.cast::<u16>(), n);
                out::write_if_some(string_length, 2);
            }
            return Ok(Outcome::Success);
        }
        U32(n) => {
            // SAFETY: per the caller, an SQLUINTEGER.
            unsafe {
                out::write_if_some(value.cast::<u32>(), n);
                out::write_if_some(string_length, 4);
            }
            return Ok(Outcome::Success);
        }
    };
    // SAFETY: per the caller, `buffer_length` bytes.
    unsafe {
        out::write_str::<E, SqlSmallInt>(
            &text,
            value,
            isize::from(buffer_length),
            Unit::Bytes,
            string_length,
            diags,
        )?;
    }
    Ok(Outcome::Success)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::odbc::env::Env;
    use crate::odbc::text::{Narrow, Wide};
    use std::collections::BTreeSet;

    #[test]
    fn exported_functions_match_exports_rs() {
        let source = include_str!("exports.rs");
        let mut exported = BTreeSet::new();
        for line in source.lines() {
            if let Some(rest) = line.split("fn SQL").nth(1) {
                let name: String = rest
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric())
                    .collect();
                let base = name.strip_suffix('W').unwrap_or(&name).to_string();
                exported.insert(format!("SQL{base}"));
            }
        }
        let listed: BTreeSet<String> = EXPORTED_FUNCTIONS
            .iter()
            .map(|(n, _)| n.to_string())
            .collect();
        assert_eq!(exported, listed);
    }

    #[test]
    fn function_bitmap_and_flags() {
        let mut bitmap = [0u16; 250];
        unsafe { get_functions(SQL_API_ODBC3_ALL_FUNCTIONS, bitmap.as_mut_ptr()) }.unwrap();
        let has = |id: u16| bitmap[usize::from(id >> 4)] & (1 << (id & 0xF)) != 0;
        assert!(has(1001) && has(13) && has(1021));
        assert!(
            has(40) && has(54) && has(62),
            "catalog functions and SQLNativeSql"
        );
        assert!(has(48) && has(49), "SQLParamData and SQLPutData");
        assert!(!has(68), "SQLSetPos is not exported");
        let mut flags = [0u16; 100];
        unsafe { get_functions(SQL_API_ALL_FUNCTIONS, flags.as_mut_ptr()) }.unwrap();
        assert_eq!(flags[13], 1);
        assert_eq!(flags[40], 1);
        assert_eq!((flags[48], flags[49]), (1, 1));
        assert_eq!(flags[68], 0);
        let mut one = 7u16;
        unsafe { get_functions(1021, &mut one) }.unwrap();
        assert_eq!(one, 1);
        unsafe { get_functions(68, &mut one) }.unwrap();
        assert_eq!(one, 0);
    }

    #[test]
    fn info_values_and_unknown_types() {
        let dbc = Dbc::new(Env::new_for_tests());
        let mut d = Diags::new();
        let mut buf = [0u8; 16];
        let mut len = 0i16;
        unsafe { get_info::<Narrow>(&dbc, 77, buf.as_mut_ptr().cast(), 16, &mut len, &mut d) }
            .unwrap();
        assert_eq!(&buf[..len as usize], b"03.80");
        let mut wide = [0u16; 8];
        unsafe { get_info::<Wide>(&dbc, 29, wide.as_mut_ptr().cast(), 16, &mut len, &mut d) }
            .unwrap();
        assert_eq!((len, wide[0]), (2, u16::from(b'"')));
        let mut n = 0u32;
        unsafe { get_info::<Narrow>(&dbc, 81, (&raw mut n).cast(), 0, &mut len, &mut d) }.unwrap();
        assert_eq!((n, len), (11, 4));
        let mut unknown = 7u32;
        unsafe { get_info::<Narrow>(&dbc, 1750, (&raw mut unknown).cast(), 0, &mut len, &mut d) }
            .unwrap();
        assert_eq!((unknown, len), (0, 4));
        assert_eq!(d.records().last().map(|r| r.sqlstate), Some("01000"));
        let mut mask = 0u32;
        unsafe { get_info::<Narrow>(&dbc, 50, (&raw mut mask).cast(), 0, &mut len, &mut d) }
            .unwrap();
        assert_ne!(mask & 0x1000, 0, "SQL_FN_STR_UCASE");
        let e =
            unsafe { get_info::<Narrow>(&dbc, 13, buf.as_mut_ptr().cast(), 16, &mut len, &mut d) }
                .unwrap_err();
        assert_eq!(e.sqlstate, "08003", "server name needs a connection");
        unsafe { get_info::<Narrow>(&dbc, 7, buf.as_mut_ptr().cast(), 16, &mut len, &mut d) }
            .unwrap();
        assert_eq!(len, 10);
    }

    #[test]
    fn basic_and_extended_tables_are_disjoint_and_complete() {
        let basic: BTreeSet<u16> = INFO.iter().map(|(id, _)| *id).collect();
        let extended: BTreeSet<u16> = info_table::ids().collect();
        assert!(basic.is_disjoint(&extended));
        assert!(basic.len() + extended.len() >= 170);
    }

    #[test]
    fn info_table_has_unique_ids() {
        let ids: BTreeSet<u16> = INFO.iter().map(|(id, _)| *id).collect();
        assert_eq!(ids.len(), INFO.len());
    }
}
