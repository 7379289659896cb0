//! ODBC C types and the constants this driver uses (values from the ODBC 3.8 headers).
//!
//! Only what the driver needs; grouped by the function family that uses them. Data type codes
//! (`SQL_INTEGER`, `SQL_C_CHAR`, ...) live in [`crate::odbc::sqltype`] and
//! [`crate::odbc::convert`].

use std::ffi::c_void;

/// `SQLSMALLINT`.
pub type SqlSmallInt = i16;
/// `SQLUSMALLINT`.
pub type SqlUSmallInt = u16;
/// `SQLINTEGER`.
pub type SqlInteger = i32;
/// `SQLLEN`.
pub type SqlLen = isize;
/// `SQLULEN`.
pub type SqlULen = usize;
/// `SQLRETURN`.
pub type SqlReturn = i16;
/// `SQLHANDLE` (and `SQLHENV`, `SQLHDBC`, `SQLHSTMT`, `SQLHDESC`).
pub type SqlHandle = *mut c_void;
/// `SQLPOINTER`.
pub type SqlPointer = *mut c_void;
/// `SQLCHAR` (this driver's ANSI functions take and return UTF-8).
pub type SqlChar = u8;
/// `SQLWCHAR` (UTF-16 code unit, unixODBC and Windows).
pub type SqlWChar = u16;
/// `SQLHWND`.
pub type SqlHWnd = *mut c_void;

// Return codes.
/// `SQL_SUCCESS`.
pub const SQL_SUCCESS: SqlReturn = 0;
/// `SQL_SUCCESS_WITH_INFO`.
pub const SQL_SUCCESS_WITH_INFO: SqlReturn = 1;
/// `SQL_NO_DATA`.
pub const SQL_NO_DATA: SqlReturn = 100;
/// `SQL_NEED_DATA`: data-at-execution parameters are waiting for SQLParamData/SQLPutData.
pub const SQL_NEED_DATA: SqlReturn = 99;
/// `SQL_ERROR`.
pub const SQL_ERROR: SqlReturn = -1;
/// `SQL_INVALID_HANDLE`.
pub const SQL_INVALID_HANDLE: SqlReturn = -2;

// Lengths and indicators.
/// `SQL_NTS`: the string is NUL-terminated.
pub const SQL_NTS: isize = -3;
/// `SQL_NULL_DATA`.
pub const SQL_NULL_DATA: isize = -1;
/// `SQL_DATA_AT_EXEC`.
pub const SQL_DATA_AT_EXEC: isize = -2;
/// `SQL_LEN_DATA_AT_EXEC_OFFSET`.
pub const SQL_LEN_DATA_AT_EXEC_OFFSET: isize = -100;
/// `SQL_DEFAULT_PARAM`: use the procedure parameter's default value.
pub const SQL_DEFAULT_PARAM: isize = -5;

// Handle types.
/// `SQL_HANDLE_ENV`.
pub const SQL_HANDLE_ENV: SqlSmallInt = 1;
/// `SQL_HANDLE_DBC`.
pub const SQL_HANDLE_DBC: SqlSmallInt = 2;
/// `SQL_HANDLE_STMT`.
pub const SQL_HANDLE_STMT: SqlSmallInt = 3;
/// `SQL_HANDLE_DESC`.
pub const SQL_HANDLE_DESC: SqlSmallInt = 4;

// Booleans.
/// `SQL_TRUE`.
pub const SQL_TRUE: usize = 1;

// Environment attributes.
/// `SQL_ATTR_ODBC_VERSION`.
pub const SQL_ATTR_ODBC_VERSION: i32 = 200;
/// `SQL_ATTR_CONNECTION_POOLING`.
pub const SQL_ATTR_CONNECTION_POOLING: i32 = 201;
/// `SQL_ATTR_CP_MATCH`.
pub const SQL_ATTR_CP_MATCH: i32 = 202;
/// `SQL_ATTR_OUTPUT_NTS`.
pub const SQL_ATTR_OUTPUT_NTS: i32 = 10001;
/// `SQL_OV_ODBC2`.
pub const SQL_OV_ODBC2: i32 = 2;
/// `SQL_OV_ODBC3`.
pub const SQL_OV_ODBC3: i32 = 3;
/// `SQL_OV_ODBC3_80`.
pub const SQL_OV_ODBC3_80: i32 = 380;

// Connection attributes.
/// `SQL_ATTR_ASYNC_ENABLE` (connection and statement).
pub const SQL_ATTR_ASYNC_ENABLE: i32 = 4;
/// `SQL_ATTR_ACCESS_MODE`.
pub const SQL_ATTR_ACCESS_MODE: i32 = 101;
/// `SQL_ATTR_AUTOCOMMIT`.
pub const SQL_ATTR_AUTOCOMMIT: i32 = 102;
/// `SQL_ATTR_LOGIN_TIMEOUT`.
pub const SQL_ATTR_LOGIN_TIMEOUT: i32 = 103;
/// `SQL_ATTR_TXN_ISOLATION`.
pub const SQL_ATTR_TXN_ISOLATION: i32 = 108;
/// `SQL_ATTR_CURRENT_CATALOG`.
pub const SQL_ATTR_CURRENT_CATALOG: i32 = 109;
/// `SQL_ATTR_PACKET_SIZE`.
pub const SQL_ATTR_PACKET_SIZE: i32 = 112;
/// `SQL_ATTR_CONNECTION_TIMEOUT`.
pub const SQL_ATTR_CONNECTION_TIMEOUT: i32 = 113;
/// `SQL_ATTR_ANSI_APP` (sent by driver managers).
pub const SQL_ATTR_ANSI_APP: i32 = 115;
/// `SQL_ATTR_CONNECTION_DEAD`.
pub const SQL_ATTR_CONNECTION_DEAD: i32 = 1209;
/// `SQL_ATTR_METADATA_ID` (connection and statement).
pub const SQL_ATTR_METADATA_ID: i32 = 10014;
/// `SQL_MODE_READ_ONLY`.
pub const SQL_MODE_READ_ONLY: usize = 1;
/// `SQL_AUTOCOMMIT_ON`.
pub const SQL_AUTOCOMMIT_ON: usize = 1;
/// `SQL_CD_TRUE`: the connection is dead.
pub const SQL_CD_TRUE: usize = 1;
/// `SQL_CD_FALSE`: the connection is alive.
pub const SQL_CD_FALSE: usize = 0;

/// Driver attribute: the active deployment colour (`blue`, `green` or empty), read-only string.
pub const SQL_ATTR_E6_ACTIVE_STRATEGY: i32 = 16385;
/// Driver attribute: the announced, not yet applied colour (or empty), read-only string.
pub const SQL_ATTR_E6_PENDING_STRATEGY: i32 = 16386;
/// Driver attribute: JSON snapshot of the blue/green strategy state, read-only string.
pub const SQL_ATTR_E6_STRATEGY_STATE: i32 = 16387;

// Statement attributes.
/// `SQL_ATTR_QUERY_TIMEOUT`.
pub const SQL_ATTR_QUERY_TIMEOUT: i32 = 0;
/// `SQL_ATTR_MAX_ROWS`.
pub const SQL_ATTR_MAX_ROWS: i32 = 1;
/// `SQL_ATTR_NOSCAN`.
pub const SQL_ATTR_NOSCAN: i32 = 2;
/// `SQL_ATTR_MAX_LENGTH`.
pub const SQL_ATTR_MAX_LENGTH: i32 = 3;
/// `SQL_ATTR_ROW_BIND_TYPE`.
pub const SQL_ATTR_ROW_BIND_TYPE: i32 = 5;
/// `SQL_ATTR_CURSOR_TYPE`.
pub const SQL_ATTR_CURSOR_TYPE: i32 = 6;
/// `SQL_ATTR_CONCURRENCY`.
pub const SQL_ATTR_CONCURRENCY: i32 = 7;
/// `SQL_ATTR_KEYSET_SIZE`.
pub const SQL_ATTR_KEYSET_SIZE: i32 = 8;
/// `SQL_ROWSET_SIZE` (ODBC 2 rowset size, used by SQLExtendedFetch).
pub const SQL_ROWSET_SIZE: i32 = 9;
/// `SQL_ATTR_SIMULATE_CURSOR`.
pub const SQL_ATTR_SIMULATE_CURSOR: i32 = 10;
/// `SQL_ATTR_RETRIEVE_DATA`.
pub const SQL_ATTR_RETRIEVE_DATA: i32 = 11;
/// `SQL_ATTR_USE_BOOKMARKS`.
pub const SQL_ATTR_USE_BOOKMARKS: i32 = 12;
/// `SQL_ATTR_ROW_NUMBER`.
pub const SQL_ATTR_ROW_NUMBER: i32 = 14;
/// `SQL_ATTR_ENABLE_AUTO_IPD`.
pub const SQL_ATTR_ENABLE_AUTO_IPD: i32 = 15;
/// `SQL_ATTR_FETCH_BOOKMARK_PTR`.
pub const SQL_ATTR_FETCH_BOOKMARK_PTR: i32 = 16;
/// `SQL_ATTR_PARAM_BIND_OFFSET_PTR`.
pub const SQL_ATTR_PARAM_BIND_OFFSET_PTR: i32 = 17;
/// `SQL_ATTR_PARAM_BIND_TYPE`.
pub const SQL_ATTR_PARAM_BIND_TYPE: i32 = 18;
/// `SQL_ATTR_PARAM_OPERATION_PTR`.
pub const SQL_ATTR_PARAM_OPERATION_PTR: i32 = 19;
/// `SQL_ATTR_PARAM_STATUS_PTR`.
pub const SQL_ATTR_PARAM_STATUS_PTR: i32 = 20;
/// `SQL_ATTR_PARAMS_PROCESSED_PTR`.
pub const SQL_ATTR_PARAMS_PROCESSED_PTR: i32 = 21;
/// `SQL_ATTR_PARAMSET_SIZE`.
pub const SQL_ATTR_PARAMSET_SIZE: i32 = 22;
/// `SQL_ATTR_ROW_BIND_OFFSET_PTR`.
pub const SQL_ATTR_ROW_BIND_OFFSET_PTR: i32 = 23;
/// `SQL_ATTR_ROW_OPERATION_PTR`.
pub const SQL_ATTR_ROW_OPERATION_PTR: i32 = 24;
/// `SQL_ATTR_ROW_STATUS_PTR`.
pub const SQL_ATTR_ROW_STATUS_PTR: i32 = 25;
/// `SQL_ATTR_ROWS_FETCHED_PTR`.
pub const SQL_ATTR_ROWS_FETCHED_PTR: i32 = 26;
/// `SQL_ATTR_ROW_ARRAY_SIZE`.
pub const SQL_ATTR_ROW_ARRAY_SIZE: i32 = 27;
/// `SQL_ATTR_CURSOR_SCROLLABLE`.
pub const SQL_ATTR_CURSOR_SCROLLABLE: i32 = -1;
/// `SQL_ATTR_CURSOR_SENSITIVITY`.
pub const SQL_ATTR_CURSOR_SENSITIVITY: i32 = -2;
/// `SQL_ATTR_APP_ROW_DESC`.
pub const SQL_ATTR_APP_ROW_DESC: i32 = 10010;
/// `SQL_ATTR_APP_PARAM_DESC`.
pub const SQL_ATTR_APP_PARAM_DESC: i32 = 10011;
/// `SQL_ATTR_IMP_ROW_DESC`.
pub const SQL_ATTR_IMP_ROW_DESC: i32 = 10012;
/// `SQL_ATTR_IMP_PARAM_DESC`.
pub const SQL_ATTR_IMP_PARAM_DESC: i32 = 10013;
/// `SQL_CURSOR_FORWARD_ONLY`.
pub const SQL_CURSOR_FORWARD_ONLY: usize = 0;
/// `SQL_CONCUR_READ_ONLY`.
pub const SQL_CONCUR_READ_ONLY: usize = 1;
/// `SQL_NONSCROLLABLE`.
pub const SQL_NONSCROLLABLE: usize = 0;
/// `SQL_UNSPECIFIED` (cursor sensitivity).
pub const SQL_UNSPECIFIED: usize = 0;
/// `SQL_RD_ON`.
pub const SQL_RD_ON: usize = 1;
/// `SQL_UB_OFF`.
pub const SQL_UB_OFF: usize = 0;
/// `SQL_ASYNC_ENABLE_OFF`.
pub const SQL_ASYNC_ENABLE_OFF: usize = 0;
/// `SQL_SC_NON_UNIQUE` (simulate cursor: the default this driver reports).
pub const SQL_SC_NON_UNIQUE: usize = 0;

// SQLFreeStmt options.
/// `SQL_CLOSE`.
pub const SQL_CLOSE: SqlUSmallInt = 0;
/// `SQL_DROP`.
pub const SQL_DROP: SqlUSmallInt = 1;
/// `SQL_UNBIND`.
pub const SQL_UNBIND: SqlUSmallInt = 2;
/// `SQL_RESET_PARAMS`.
pub const SQL_RESET_PARAMS: SqlUSmallInt = 3;

// Fetch.
/// `SQL_FETCH_NEXT`.
pub const SQL_FETCH_NEXT: SqlSmallInt = 1;
/// `SQL_ROW_SUCCESS`.
pub const SQL_ROW_SUCCESS: SqlUSmallInt = 0;
/// `SQL_ROW_NOROW`.
pub const SQL_ROW_NOROW: SqlUSmallInt = 3;
/// `SQL_ROW_ERROR`.
pub const SQL_ROW_ERROR: SqlUSmallInt = 5;
/// `SQL_ROW_SUCCESS_WITH_INFO`.
pub const SQL_ROW_SUCCESS_WITH_INFO: SqlUSmallInt = 6;

// SQLEndTran.
/// `SQL_COMMIT`.
pub const SQL_COMMIT: SqlSmallInt = 0;
/// `SQL_ROLLBACK`.
pub const SQL_ROLLBACK: SqlSmallInt = 1;

// SQLDriverConnect completion.
/// `SQL_DRIVER_NOPROMPT`.
pub const SQL_DRIVER_NOPROMPT: SqlUSmallInt = 0;
/// `SQL_DRIVER_COMPLETE`.
pub const SQL_DRIVER_COMPLETE: SqlUSmallInt = 1;
/// `SQL_DRIVER_PROMPT`.
pub const SQL_DRIVER_PROMPT: SqlUSmallInt = 2;
/// `SQL_DRIVER_COMPLETE_REQUIRED`.
pub const SQL_DRIVER_COMPLETE_REQUIRED: SqlUSmallInt = 3;

// Parameters.
/// `SQL_PARAM_INPUT`.
pub const SQL_PARAM_INPUT: SqlSmallInt = 1;
/// `SQL_NULLABLE`.
pub const SQL_NULLABLE: SqlSmallInt = 1;
/// `SQL_NULLABLE_UNKNOWN`.
pub const SQL_NULLABLE_UNKNOWN: SqlSmallInt = 2;
/// `SQL_ARD_TYPE`: SQLGetData takes the type from the ARD.
pub const SQL_ARD_TYPE: SqlSmallInt = -99;

// Diagnostic fields.
/// `SQL_DIAG_RETURNCODE`.
pub const SQL_DIAG_RETURNCODE: SqlSmallInt = 1;
/// `SQL_DIAG_NUMBER`.
pub const SQL_DIAG_NUMBER: SqlSmallInt = 2;
/// `SQL_DIAG_ROW_COUNT`.
pub const SQL_DIAG_ROW_COUNT: SqlSmallInt = 3;
/// `SQL_DIAG_SQLSTATE`.
pub const SQL_DIAG_SQLSTATE: SqlSmallInt = 4;
/// `SQL_DIAG_NATIVE`.
pub const SQL_DIAG_NATIVE: SqlSmallInt = 5;
/// `SQL_DIAG_MESSAGE_TEXT`.
pub const SQL_DIAG_MESSAGE_TEXT: SqlSmallInt = 6;
/// `SQL_DIAG_DYNAMIC_FUNCTION`.
pub const SQL_DIAG_DYNAMIC_FUNCTION: SqlSmallInt = 7;
/// `SQL_DIAG_CLASS_ORIGIN`.
pub const SQL_DIAG_CLASS_ORIGIN: SqlSmallInt = 8;
/// `SQL_DIAG_SUBCLASS_ORIGIN`.
pub const SQL_DIAG_SUBCLASS_ORIGIN: SqlSmallInt = 9;
/// `SQL_DIAG_CONNECTION_NAME`.
pub const SQL_DIAG_CONNECTION_NAME: SqlSmallInt = 10;
/// `SQL_DIAG_SERVER_NAME`.
pub const SQL_DIAG_SERVER_NAME: SqlSmallInt = 11;
/// `SQL_DIAG_DYNAMIC_FUNCTION_CODE`.
pub const SQL_DIAG_DYNAMIC_FUNCTION_CODE: SqlSmallInt = 12;
/// `SQL_DIAG_CURSOR_ROW_COUNT`.
pub const SQL_DIAG_CURSOR_ROW_COUNT: SqlSmallInt = -1249;
/// `SQL_DIAG_ROW_NUMBER`.
pub const SQL_DIAG_ROW_NUMBER: SqlSmallInt = -1248;
/// `SQL_DIAG_COLUMN_NUMBER`.
pub const SQL_DIAG_COLUMN_NUMBER: SqlSmallInt = -1247;
/// `SQL_ROW_NUMBER_UNKNOWN`.
pub const SQL_ROW_NUMBER_UNKNOWN: isize = -2;
/// `SQL_COLUMN_NUMBER_UNKNOWN`.
pub const SQL_COLUMN_NUMBER_UNKNOWN: i32 = -2;
/// `SQL_DIAG_SELECT_CURSOR` (dynamic function code of a SELECT).
pub const SQL_DIAG_SELECT_CURSOR: i32 = 85;

// Descriptor / column attribute fields (SQLColAttribute).
/// `SQL_COLUMN_COUNT` (ODBC 2).
pub const SQL_COLUMN_COUNT: u16 = 0;
/// `SQL_COLUMN_NAME` (ODBC 2).
pub const SQL_COLUMN_NAME: u16 = 1;
/// `SQL_DESC_CONCISE_TYPE` (= ODBC 2 `SQL_COLUMN_TYPE`).
pub const SQL_DESC_CONCISE_TYPE: u16 = 2;
/// `SQL_COLUMN_LENGTH` (ODBC 2).
pub const SQL_COLUMN_LENGTH: u16 = 3;
/// `SQL_COLUMN_PRECISION` (ODBC 2).
pub const SQL_COLUMN_PRECISION: u16 = 4;
/// `SQL_COLUMN_SCALE` (ODBC 2).
pub const SQL_COLUMN_SCALE: u16 = 5;
/// `SQL_DESC_DISPLAY_SIZE`.
pub const SQL_DESC_DISPLAY_SIZE: u16 = 6;
/// `SQL_COLUMN_NULLABLE` (ODBC 2).
pub const SQL_COLUMN_NULLABLE: u16 = 7;
/// `SQL_DESC_UNSIGNED`.
pub const SQL_DESC_UNSIGNED: u16 = 8;
/// `SQL_DESC_FIXED_PREC_SCALE`.
pub const SQL_DESC_FIXED_PREC_SCALE: u16 = 9;
/// `SQL_DESC_UPDATABLE`.
pub const SQL_DESC_UPDATABLE: u16 = 10;
/// `SQL_DESC_AUTO_UNIQUE_VALUE`.
pub const SQL_DESC_AUTO_UNIQUE_VALUE: u16 = 11;
/// `SQL_DESC_CASE_SENSITIVE`.
pub const SQL_DESC_CASE_SENSITIVE: u16 = 12;
/// `SQL_DESC_SEARCHABLE`.
pub const SQL_DESC_SEARCHABLE: u16 = 13;
/// `SQL_DESC_TYPE_NAME`.
pub const SQL_DESC_TYPE_NAME: u16 = 14;
/// `SQL_DESC_TABLE_NAME`.
pub const SQL_DESC_TABLE_NAME: u16 = 15;
/// `SQL_DESC_SCHEMA_NAME`.
pub const SQL_DESC_SCHEMA_NAME: u16 = 16;
/// `SQL_DESC_CATALOG_NAME`.
pub const SQL_DESC_CATALOG_NAME: u16 = 17;
/// `SQL_DESC_LABEL`.
pub const SQL_DESC_LABEL: u16 = 18;
/// `SQL_DESC_BASE_COLUMN_NAME`.
pub const SQL_DESC_BASE_COLUMN_NAME: u16 = 22;
/// `SQL_DESC_BASE_TABLE_NAME`.
pub const SQL_DESC_BASE_TABLE_NAME: u16 = 23;
/// `SQL_DESC_DATETIME_INTERVAL_PRECISION`.
pub const SQL_DESC_DATETIME_INTERVAL_PRECISION: u16 = 26;
/// `SQL_DESC_LITERAL_PREFIX`.
pub const SQL_DESC_LITERAL_PREFIX: u16 = 27;
/// `SQL_DESC_LITERAL_SUFFIX`.
pub const SQL_DESC_LITERAL_SUFFIX: u16 = 28;
/// `SQL_DESC_LOCAL_TYPE_NAME`.
pub const SQL_DESC_LOCAL_TYPE_NAME: u16 = 29;
/// `SQL_DESC_NUM_PREC_RADIX`.
pub const SQL_DESC_NUM_PREC_RADIX: u16 = 32;
/// `SQL_DESC_COUNT`.
pub const SQL_DESC_COUNT: u16 = 1001;
/// `SQL_DESC_TYPE`.
pub const SQL_DESC_TYPE: u16 = 1002;
/// `SQL_DESC_LENGTH`.
pub const SQL_DESC_LENGTH: u16 = 1003;
/// `SQL_DESC_PRECISION`.
pub const SQL_DESC_PRECISION: u16 = 1005;
/// `SQL_DESC_SCALE`.
pub const SQL_DESC_SCALE: u16 = 1006;
/// `SQL_DESC_DATETIME_INTERVAL_CODE`.
pub const SQL_DESC_DATETIME_INTERVAL_CODE: u16 = 1007;
/// `SQL_DESC_NULLABLE`.
pub const SQL_DESC_NULLABLE: u16 = 1008;
/// `SQL_DESC_NAME`.
pub const SQL_DESC_NAME: u16 = 1011;
/// `SQL_DESC_UNNAMED`.
pub const SQL_DESC_UNNAMED: u16 = 1012;
/// `SQL_DESC_OCTET_LENGTH`.
pub const SQL_DESC_OCTET_LENGTH: u16 = 1013;
/// `SQL_NAMED`.
pub const SQL_NAMED: isize = 0;
/// `SQL_UNNAMED`.
pub const SQL_UNNAMED: isize = 1;
/// `SQL_ATTR_READONLY` (SQL_DESC_UPDATABLE value).
pub const SQL_ATTR_READONLY: isize = 0;

// SQLGetFunctions.
/// `SQL_API_ALL_FUNCTIONS` (ODBC 2 style: 100 `SQLUSMALLINT` flags).
pub const SQL_API_ALL_FUNCTIONS: u16 = 0;
/// `SQL_API_ODBC3_ALL_FUNCTIONS` (bitmap of 250 `SQLUSMALLINT`s).
pub const SQL_API_ODBC3_ALL_FUNCTIONS: u16 = 999;
/// `SQL_API_ODBC3_ALL_FUNCTIONS_SIZE`.
pub const SQL_API_ODBC3_ALL_FUNCTIONS_SIZE: usize = 250;
