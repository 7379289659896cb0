//! How e6data types look to ODBC: SQL type codes, column attributes (sizes, precision, scale),
//! and the rows of `SQLGetTypeInfo`.
//!
//! Choices, applied the same way everywhere (result metadata, `SQLColumns`, `SQLGetTypeInfo`):
//! - Text (`STRING`, the nested `ARRAY`/`MAP`/`STRUCT` renderings, catalog `string`/`varchar`)
//!   is reported as `SQL_WVARCHAR` (spec §7.1): e6data text is Unicode, and a W type tells
//!   applications to expect characters beyond any code page.
//! - Lengths are always finite (field-notes trap 2): an unbounded string is
//!   [`STRING_COLUMN_SIZE`] characters, whose `SQL_C_WCHAR` transfer length is
//!   [`STRING_OCTET_LENGTH`] bytes. Unbounded binary is [`STRING_COLUMN_SIZE`] bytes.
//! - `DECIMAL128` has precision 38 (the engine's maximum; result metadata carries no precision)
//!   and the scale learned from the data, or [`DEFAULT_DECIMAL_SCALE`] before any data is seen.

use crate::odbc::convert::ctype;

/// `SQL_UNKNOWN_TYPE`.
pub const SQL_UNKNOWN_TYPE: i16 = 0;
/// `SQL_CHAR`.
pub const SQL_CHAR: i16 = 1;
/// `SQL_NUMERIC`.
pub const SQL_NUMERIC: i16 = 2;
/// `SQL_DECIMAL`.
pub const SQL_DECIMAL: i16 = 3;
/// `SQL_INTEGER`.
pub const SQL_INTEGER: i16 = 4;
/// `SQL_SMALLINT`.
pub const SQL_SMALLINT: i16 = 5;
/// `SQL_FLOAT`.
pub const SQL_FLOAT: i16 = 6;
/// `SQL_REAL`.
pub const SQL_REAL: i16 = 7;
/// `SQL_DOUBLE`.
pub const SQL_DOUBLE: i16 = 8;
/// `SQL_DATETIME`: the verbose type of every date/time type.
pub const SQL_DATETIME: i16 = 9;
/// `SQL_DATE` (ODBC 2 date type; same code as [`SQL_DATETIME`]).
pub const SQL_DATE: i16 = 9;
/// `SQL_INTERVAL`: the verbose type of every interval type.
pub const SQL_INTERVAL: i16 = 10;
/// `SQL_TIME` (ODBC 2 time type; same code as [`SQL_INTERVAL`]).
pub const SQL_TIME: i16 = 10;
/// `SQL_TIMESTAMP` (ODBC 2 timestamp type).
pub const SQL_TIMESTAMP: i16 = 11;
/// `SQL_VARCHAR`.
pub const SQL_VARCHAR: i16 = 12;
/// `SQL_TYPE_DATE`.
pub const SQL_TYPE_DATE: i16 = 91;
/// `SQL_TYPE_TIME`.
pub const SQL_TYPE_TIME: i16 = 92;
/// `SQL_TYPE_TIMESTAMP`.
pub const SQL_TYPE_TIMESTAMP: i16 = 93;
/// `SQL_INTERVAL_DAY_TO_SECOND`.
pub const SQL_INTERVAL_DAY_TO_SECOND: i16 = 110;
/// `SQL_LONGVARCHAR`.
pub const SQL_LONGVARCHAR: i16 = -1;
/// `SQL_BINARY`.
pub const SQL_BINARY: i16 = -2;
/// `SQL_VARBINARY`.
pub const SQL_VARBINARY: i16 = -3;
/// `SQL_LONGVARBINARY`.
pub const SQL_LONGVARBINARY: i16 = -4;
/// `SQL_BIGINT`.
pub const SQL_BIGINT: i16 = -5;
/// `SQL_TINYINT`.
pub const SQL_TINYINT: i16 = -6;
/// `SQL_BIT`.
pub const SQL_BIT: i16 = -7;
/// `SQL_WCHAR`.
pub const SQL_WCHAR: i16 = -8;
/// `SQL_WVARCHAR`.
pub const SQL_WVARCHAR: i16 = -9;
/// `SQL_WLONGVARCHAR`.
pub const SQL_WLONGVARCHAR: i16 = -10;
/// `SQL_GUID`.
pub const SQL_GUID: i16 = -11;

/// `SQL_CODE_DATE`: datetime subcode of `SQL_TYPE_DATE`.
pub const SQL_CODE_DATE: i16 = 1;
/// `SQL_CODE_TIME`: datetime subcode of `SQL_TYPE_TIME`.
pub const SQL_CODE_TIME: i16 = 2;
/// `SQL_CODE_TIMESTAMP`: datetime subcode of `SQL_TYPE_TIMESTAMP`.
pub const SQL_CODE_TIMESTAMP: i16 = 3;
/// `SQL_CODE_DAY_TO_SECOND`: interval subcode of `SQL_INTERVAL_DAY_TO_SECOND`.
pub const SQL_CODE_DAY_TO_SECOND: i16 = 10;

/// `SQL_PRED_NONE`: the column cannot be used in a WHERE clause.
pub const SQL_PRED_NONE: i16 = 0;
/// `SQL_PRED_CHAR`: only with LIKE.
pub const SQL_PRED_CHAR: i16 = 1;
/// `SQL_PRED_BASIC`: with every comparison except LIKE.
pub const SQL_PRED_BASIC: i16 = 2;
/// `SQL_SEARCHABLE`: with every comparison including LIKE.
pub const SQL_SEARCHABLE: i16 = 3;

/// `SQL_NO_NULLS`.
pub const SQL_NO_NULLS: i16 = 0;
/// `SQL_NULLABLE`.
pub const SQL_NULLABLE: i16 = 1;

/// Column size (characters) reported for text of unknown length: finite, never -1.
pub const STRING_COLUMN_SIZE: u32 = 65535;
/// Octet length of [`STRING_COLUMN_SIZE`] characters as `SQL_C_WCHAR` (2 bytes per code unit).
pub const STRING_OCTET_LENGTH: u32 = STRING_COLUMN_SIZE * 2;
/// Precision of `DECIMAL128`.
pub const DECIMAL_PRECISION: u32 = 38;
/// Scale reported for a `DECIMAL128` column before any value told the real one (describe
/// after prepare, empty results). Six digits keep typical money and ratio values intact in
/// applications that size `SQL_C_NUMERIC` bindings from it.
pub const DEFAULT_DECIMAL_SCALE: i16 = 6;
/// Fractional-second digits of e6data timestamps (microseconds).
pub const TIMESTAMP_SCALE: i16 = 6;
/// Leading (day) precision of `INTERVAL_DAY_SECOND`: ±2^63 µs is 106 751 991 days.
pub const INTERVAL_LEADING_PRECISION: i16 = 9;

/// How an e6data column looks to ODBC (all sizes finite, never -1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SqlTypeInfo {
    /// Concise SQL type (`SQL_DESC_CONCISE_TYPE`, `DATA_TYPE`).
    pub sql_type: i16,
    /// Verbose type (`SQL_DESC_TYPE`, `SQL_DATA_TYPE`): `SQL_DATETIME` / `SQL_INTERVAL` for
    /// date/time and interval types, else equal to `sql_type`.
    pub verbose_type: i16,
    /// `SQL_DESC_DATETIME_INTERVAL_CODE` (`SQL_CODE_*`), 0 for other types.
    pub datetime_sub: i16,
    /// e6data's name for the type (`TYPE_NAME`, `SQL_DESC_TYPE_NAME`), e.g. `BIGINT`.
    pub type_name: &'static str,
    /// `COLUMN_SIZE`: characters for text, bytes for binary, digits for numbers, the
    /// character length of the literal for date/time/interval types.
    pub column_size: u32,
    /// `DECIMAL_DIGITS`: scale, or fractional-second digits; 0 where not applicable.
    pub decimal_digits: i16,
    /// `NUM_PREC_RADIX`: 10 for numbers, 0 (NULL) otherwise.
    pub num_prec_radix: i16,
    /// `SQL_DESC_DISPLAY_SIZE`: characters needed to show any value as text.
    pub display_size: u32,
    /// `SQL_DESC_OCTET_LENGTH` / `BUFFER_LENGTH`: bytes of a value in its default C type.
    pub octet_length: u32,
    /// `SQL_DESC_UNSIGNED`.
    pub unsigned: bool,
    /// `SQL_DESC_CASE_SENSITIVE`.
    pub case_sensitive: bool,
    /// `SQL_DESC_SEARCHABLE` (`SQL_PRED_*` / `SQL_SEARCHABLE`).
    pub searchable: i16,
    /// `SQL_DESC_FIXED_PREC_SCALE` (money-like types only; none in e6data).
    pub fixed_prec_scale: bool,
    /// `SQL_DESC_LITERAL_PREFIX`.
    pub literal_prefix: Option<&'static str>,
    /// `SQL_DESC_LITERAL_SUFFIX`.
    pub literal_suffix: Option<&'static str>,
    /// The `SQL_C_*` code `SQL_C_DEFAULT` resolves to for this column.
    pub default_c_type: i16,
}

impl SqlTypeInfo {
    /// `true` for character and binary types, which have a `CHAR_OCTET_LENGTH` in
    /// `SQLColumns` (NULL for the others).
    pub fn is_char_or_binary(&self) -> bool {
        matches!(
            self.sql_type,
            SQL_CHAR
                | SQL_VARCHAR
                | SQL_LONGVARCHAR
                | SQL_WCHAR
                | SQL_WVARCHAR
                | SQL_WLONGVARCHAR
                | SQL_BINARY
                | SQL_VARBINARY
                | SQL_LONGVARBINARY
        )
    }
}

const fn integer(sql_type: i16, type_name: &'static str, digits: u32, bytes: u32) -> SqlTypeInfo {
    SqlTypeInfo {
        sql_type,
        verbose_type: sql_type,
        datetime_sub: 0,
        type_name,
        column_size: digits,
        decimal_digits: 0,
        num_prec_radix: 10,
        display_size: digits + 1,
        octet_length: bytes,
        unsigned: false,
        case_sensitive: false,
        searchable: SQL_PRED_BASIC,
        fixed_prec_scale: false,
        literal_prefix: None,
        literal_suffix: None,
        default_c_type: match sql_type {
            SQL_TINYINT => ctype::SQL_C_STINYINT,
            SQL_SMALLINT => ctype::SQL_C_SSHORT,
            SQL_INTEGER => ctype::SQL_C_SLONG,
            _ => ctype::SQL_C_SBIGINT,
        },
    }
}

const BIGINT: SqlTypeInfo = integer(SQL_BIGINT, "BIGINT", 19, 8);
const INTEGER: SqlTypeInfo = integer(SQL_INTEGER, "INTEGER", 10, 4);
const SMALLINT: SqlTypeInfo = integer(SQL_SMALLINT, "SMALLINT", 5, 2);
const TINYINT: SqlTypeInfo = integer(SQL_TINYINT, "TINYINT", 3, 1);

const DOUBLE: SqlTypeInfo = SqlTypeInfo {
    sql_type: SQL_DOUBLE,
    verbose_type: SQL_DOUBLE,
    datetime_sub: 0,
    type_name: "DOUBLE",
    column_size: 15,
    decimal_digits: 0,
    num_prec_radix: 10,
    display_size: 24,
    octet_length: 8,
    unsigned: false,
    case_sensitive: false,
    searchable: SQL_PRED_BASIC,
    fixed_prec_scale: false,
    literal_prefix: None,
    literal_suffix: None,
    default_c_type: ctype::SQL_C_DOUBLE,
};

/// e6data `FLOAT` is single precision (sent as a double on the wire): `SQL_REAL`.
const REAL: SqlTypeInfo = SqlTypeInfo {
    sql_type: SQL_REAL,
    verbose_type: SQL_REAL,
    type_name: "FLOAT",
    column_size: 7,
    display_size: 14,
    octet_length: 4,
    default_c_type: ctype::SQL_C_FLOAT,
    ..DOUBLE
};

const BOOLEAN: SqlTypeInfo = SqlTypeInfo {
    sql_type: SQL_BIT,
    verbose_type: SQL_BIT,
    datetime_sub: 0,
    type_name: "BOOLEAN",
    column_size: 1,
    decimal_digits: 0,
    num_prec_radix: 0,
    display_size: 1,
    octet_length: 1,
    unsigned: true,
    case_sensitive: false,
    searchable: SQL_PRED_BASIC,
    fixed_prec_scale: false,
    literal_prefix: None,
    literal_suffix: None,
    default_c_type: ctype::SQL_C_BIT,
};

const fn decimal(
    sql_type: i16,
    type_name: &'static str,
    precision: u32,
    scale: i16,
) -> SqlTypeInfo {
    SqlTypeInfo {
        sql_type,
        verbose_type: sql_type,
        datetime_sub: 0,
        type_name,
        column_size: precision,
        decimal_digits: scale,
        num_prec_radix: 10,
        // sign and decimal point
        display_size: precision + 2,
        octet_length: precision + 2,
        unsigned: false,
        case_sensitive: false,
        searchable: SQL_PRED_BASIC,
        fixed_prec_scale: false,
        literal_prefix: None,
        literal_suffix: None,
        default_c_type: ctype::SQL_C_CHAR,
    }
}

const fn text(sql_type: i16, type_name: &'static str, chars: u32, searchable: i16) -> SqlTypeInfo {
    let wide = matches!(sql_type, SQL_WCHAR | SQL_WVARCHAR | SQL_WLONGVARCHAR);
    SqlTypeInfo {
        sql_type,
        verbose_type: sql_type,
        datetime_sub: 0,
        type_name,
        column_size: chars,
        decimal_digits: 0,
        num_prec_radix: 0,
        display_size: chars,
        octet_length: if wide { chars.saturating_mul(2) } else { chars },
        unsigned: false,
        case_sensitive: true,
        searchable,
        fixed_prec_scale: false,
        literal_prefix: if searchable == SQL_PRED_NONE {
            None
        } else {
            Some("'")
        },
        literal_suffix: if searchable == SQL_PRED_NONE {
            None
        } else {
            Some("'")
        },
        default_c_type: if wide {
            ctype::SQL_C_WCHAR
        } else {
            ctype::SQL_C_CHAR
        },
    }
}

const STRING: SqlTypeInfo = text(SQL_WVARCHAR, "VARCHAR", STRING_COLUMN_SIZE, SQL_SEARCHABLE);

const BINARY: SqlTypeInfo = SqlTypeInfo {
    sql_type: SQL_VARBINARY,
    verbose_type: SQL_VARBINARY,
    datetime_sub: 0,
    type_name: "BINARY",
    column_size: STRING_COLUMN_SIZE,
    decimal_digits: 0,
    num_prec_radix: 0,
    // two hex digits per byte
    display_size: STRING_COLUMN_SIZE * 2,
    octet_length: STRING_COLUMN_SIZE,
    unsigned: false,
    case_sensitive: false,
    searchable: SQL_PRED_BASIC,
    fixed_prec_scale: false,
    literal_prefix: Some("X'"),
    literal_suffix: Some("'"),
    default_c_type: ctype::SQL_C_BINARY,
};

const DATE: SqlTypeInfo = SqlTypeInfo {
    sql_type: SQL_TYPE_DATE,
    verbose_type: SQL_DATETIME,
    datetime_sub: SQL_CODE_DATE,
    type_name: "DATE",
    // yyyy-mm-dd
    column_size: 10,
    decimal_digits: 0,
    num_prec_radix: 0,
    display_size: 10,
    octet_length: ctype::DATE_STRUCT_SIZE as u32,
    unsigned: false,
    case_sensitive: false,
    searchable: SQL_PRED_BASIC,
    fixed_prec_scale: false,
    literal_prefix: Some("DATE '"),
    literal_suffix: Some("'"),
    default_c_type: ctype::SQL_C_TYPE_DATE,
};

const TIMESTAMP: SqlTypeInfo = SqlTypeInfo {
    sql_type: SQL_TYPE_TIMESTAMP,
    verbose_type: SQL_DATETIME,
    datetime_sub: SQL_CODE_TIMESTAMP,
    type_name: "TIMESTAMP",
    // yyyy-mm-dd hh:mm:ss.ffffff
    column_size: 26,
    decimal_digits: TIMESTAMP_SCALE,
    num_prec_radix: 0,
    display_size: 26,
    octet_length: ctype::TIMESTAMP_STRUCT_SIZE as u32,
    unsigned: false,
    case_sensitive: false,
    searchable: SQL_PRED_BASIC,
    fixed_prec_scale: false,
    literal_prefix: Some("TIMESTAMP '"),
    literal_suffix: Some("'"),
    default_c_type: ctype::SQL_C_TYPE_TIMESTAMP,
};

/// `TIMESTAMP_TZ`: an instant shown in its zone. As `SQL_C_TYPE_TIMESTAMP` it is the wall time
/// in that zone; as text it carries the offset too (`+hh:mm`, six more characters).
const TIMESTAMP_TZ: SqlTypeInfo = SqlTypeInfo {
    type_name: "TIMESTAMP_TZ",
    display_size: 32,
    ..TIMESTAMP
};

const INTERVAL_DAY_SECOND: SqlTypeInfo = SqlTypeInfo {
    sql_type: SQL_INTERVAL_DAY_TO_SECOND,
    verbose_type: SQL_INTERVAL,
    datetime_sub: SQL_CODE_DAY_TO_SECOND,
    type_name: "INTERVAL DAY TO SECOND",
    // ddddddddd hh:mm:ss.ffffff
    column_size: INTERVAL_LEADING_PRECISION as u32 + 10 + TIMESTAMP_SCALE as u32,
    decimal_digits: TIMESTAMP_SCALE,
    num_prec_radix: 0,
    // plus the sign
    display_size: INTERVAL_LEADING_PRECISION as u32 + 11 + TIMESTAMP_SCALE as u32,
    octet_length: ctype::INTERVAL_STRUCT_SIZE as u32,
    unsigned: false,
    case_sensitive: false,
    searchable: SQL_PRED_BASIC,
    fixed_prec_scale: false,
    literal_prefix: Some("INTERVAL '"),
    literal_suffix: Some("' DAY TO SECOND"),
    default_c_type: ctype::SQL_C_INTERVAL_DAY_TO_SECOND,
};

/// The all-NULL column type (`NULL` in result metadata): a nullable one-character VARCHAR.
const NULL_TYPE: SqlTypeInfo = text(SQL_VARCHAR, "NULL", 1, SQL_PRED_NONE);

/// A nested type delivered as its text rendering.
const fn nested(type_name: &'static str) -> SqlTypeInfo {
    text(SQL_WVARCHAR, type_name, STRING_COLUMN_SIZE, SQL_PRED_NONE)
}

fn decimal_scale(scale: Option<i32>) -> i16 {
    match scale {
        // A negative scale is an integer with trailing zeros: no fractional digits.
        Some(s) => s.clamp(0, DECIMAL_PRECISION as i32) as i16,
        None => DEFAULT_DECIMAL_SCALE,
    }
}

/// The ODBC view of a result column from its result-metadata type name (spec §7.1: `LONG`,
/// `INTEGER`, `DOUBLE`, `FLOAT`, `BOOLEAN`, `STRING`, `DATE`, `DATETIME`, `TIMESTAMP_TZ`,
/// `DECIMAL128`, `BINARY`, `ARRAY`, `MAP`, `STRUCT`, `NULL`, `INTERVAL_DAY_SECOND`, and the
/// legacy `INT`, `SHORT`, `BYTE`, `CHAR`, `INT96`, `TIMESTAMP`), compared case-insensitively.
/// `decimal_scale` is the DECIMAL128 scale seen in the data, if any (clamped to 0..=38;
/// `None` gives [`DEFAULT_DECIMAL_SCALE`]). Unknown names are reported as text, since the
/// data of an unknown vector type can only be shown as such.
pub fn from_metadata_type(name: &str, decimal_scale_seen: Option<i32>) -> SqlTypeInfo {
    let name = name.trim();
    let is = |candidate: &str| name.eq_ignore_ascii_case(candidate);
    if is("LONG") {
        BIGINT
    } else if is("INTEGER") || is("INT") {
        INTEGER
    } else if is("SHORT") {
        SMALLINT
    } else if is("BYTE") {
        TINYINT
    } else if is("DOUBLE") {
        DOUBLE
    } else if is("FLOAT") {
        REAL
    } else if is("BOOLEAN") {
        BOOLEAN
    } else if is("STRING") || is("CHAR") {
        STRING
    } else if is("DATE") {
        DATE
    } else if is("DATETIME") || is("TIMESTAMP") || is("INT96") {
        TIMESTAMP
    } else if is("TIMESTAMP_TZ") {
        TIMESTAMP_TZ
    } else if is("DECIMAL128") {
        decimal(
            SQL_DECIMAL,
            "DECIMAL",
            DECIMAL_PRECISION,
            decimal_scale(decimal_scale_seen),
        )
    } else if is("BINARY") {
        BINARY
    } else if is("ARRAY") {
        nested("ARRAY")
    } else if is("MAP") {
        nested("MAP")
    } else if is("STRUCT") {
        nested("STRUCT")
    } else if is("NULL") {
        NULL_TYPE
    } else if is("INTERVAL_DAY_SECOND") {
        INTERVAL_DAY_SECOND
    } else {
        STRING
    }
}

/// Splits `decimal(7, 2)` into `("decimal", Some("7, 2"))`; `array<int>` into
/// `("array", None)`.
fn split_parameters(field_type: &str) -> (&str, Option<&str>) {
    let field_type = field_type.trim();
    match field_type.find(['(', '<']) {
        Some(at) => {
            let base = field_type.get(..at).unwrap_or(field_type).trim_end();
            let rest = field_type.get(at + 1..).unwrap_or("");
            let params = if field_type.get(at..at + 1) == Some("(") {
                rest.find(')').and_then(|end| rest.get(..end))
            } else {
                None
            };
            (base, params)
        }
        None => (field_type, None),
    }
}

/// `(precision, scale)` of `decimal(p,s)` / `decimal(p)` when valid (1 <= p <= 38,
/// 0 <= s <= p).
fn decimal_parameters(params: Option<&str>) -> Option<(u32, i16)> {
    let mut parts = params?.split(',').map(str::trim);
    let precision: u32 = parts.next()?.parse().ok()?;
    let scale: i16 = match parts.next() {
        Some(s) => s.parse().ok()?,
        None => 0,
    };
    if parts.next().is_some()
        || !(1..=DECIMAL_PRECISION).contains(&precision)
        || scale < 0
        || scale as u32 > precision
    {
        return None;
    }
    Some((precision, scale))
}

/// The length `n` of `varchar(n)` / `char(n)` when valid (>= 1).
fn length_parameter(params: Option<&str>) -> Option<u32> {
    params?.trim().parse().ok().filter(|n| *n >= 1)
}

/// The ODBC view of a catalog column from its `getColumnsV2` `fieldType` (spec §9: lower-case
/// short names, possibly with parameters such as `decimal(7,2)`, `varchar(16)`, `char(1)`,
/// `array<int>`). Anything unmapped is text, as the e6data dialect does.
pub fn from_catalog_type(field_type: &str) -> SqlTypeInfo {
    let (base, params) = split_parameters(field_type);
    let is = |candidate: &str| base.eq_ignore_ascii_case(candidate);
    if is("boolean") || is("bool") {
        BOOLEAN
    } else if is("tinyint") || is("byte") {
        TINYINT
    } else if is("smallint") || is("short") {
        SMALLINT
    } else if is("integer") || is("int") {
        INTEGER
    } else if is("bigint") || is("long") {
        BIGINT
    } else if is("float") || is("real") {
        REAL
    } else if is("double") {
        DOUBLE
    } else if is("decimal") || is("numeric") {
        let (precision, scale) =
            decimal_parameters(params).unwrap_or((DECIMAL_PRECISION, DEFAULT_DECIMAL_SCALE));
        decimal(SQL_DECIMAL, "DECIMAL", precision, scale)
    } else if is("varchar") {
        match length_parameter(params) {
            Some(n) => text(SQL_WVARCHAR, "VARCHAR", n, SQL_SEARCHABLE),
            None => STRING,
        }
    } else if is("char") {
        match length_parameter(params) {
            Some(n) => text(SQL_WCHAR, "CHAR", n, SQL_SEARCHABLE),
            None => STRING,
        }
    } else if is("string") {
        STRING
    } else if is("date") {
        DATE
    } else if is("timestamp") || is("datetime") {
        TIMESTAMP
    } else if is("timestamp_tz") || is("timestamptz") {
        TIMESTAMP_TZ
    } else if is("binary") || is("varbinary") {
        BINARY
    } else if is("array") {
        nested("ARRAY")
    } else if is("map") {
        nested("MAP")
    } else if is("struct") || is("uniontype") {
        nested("STRUCT")
    } else {
        STRING
    }
}

/// One row of `SQLGetTypeInfo`, column by column (ODBC 3 order). `None` is SQL NULL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TypeInfoRow {
    /// 1 `TYPE_NAME`.
    pub type_name: &'static str,
    /// 2 `DATA_TYPE`.
    pub data_type: i16,
    /// 3 `COLUMN_SIZE`.
    pub column_size: Option<i32>,
    /// 4 `LITERAL_PREFIX`.
    pub literal_prefix: Option<&'static str>,
    /// 5 `LITERAL_SUFFIX`.
    pub literal_suffix: Option<&'static str>,
    /// 6 `CREATE_PARAMS`.
    pub create_params: Option<&'static str>,
    /// 7 `NULLABLE`.
    pub nullable: i16,
    /// 8 `CASE_SENSITIVE` (`SQL_TRUE` 1 / `SQL_FALSE` 0).
    pub case_sensitive: i16,
    /// 9 `SEARCHABLE`.
    pub searchable: i16,
    /// 10 `UNSIGNED_ATTRIBUTE` (NULL for non-numeric types).
    pub unsigned_attribute: Option<i16>,
    /// 11 `FIXED_PREC_SCALE`.
    pub fixed_prec_scale: i16,
    /// 12 `AUTO_UNIQUE_VALUE` (NULL for non-numeric types).
    pub auto_unique_value: Option<i16>,
    /// 13 `LOCAL_TYPE_NAME`.
    pub local_type_name: Option<&'static str>,
    /// 14 `MINIMUM_SCALE`.
    pub minimum_scale: Option<i16>,
    /// 15 `MAXIMUM_SCALE`.
    pub maximum_scale: Option<i16>,
    /// 16 `SQL_DATA_TYPE` (the verbose type).
    pub sql_data_type: i16,
    /// 17 `SQL_DATETIME_SUB`.
    pub sql_datetime_sub: Option<i16>,
    /// 18 `NUM_PREC_RADIX`.
    pub num_prec_radix: Option<i32>,
    /// 19 `INTERVAL_PRECISION`.
    pub interval_precision: Option<i16>,
}

/// The names of the `SQLGetTypeInfo` result columns, in order.
pub const TYPE_INFO_COLUMNS: [&str; 19] = [
    "TYPE_NAME",
    "DATA_TYPE",
    "COLUMN_SIZE",
    "LITERAL_PREFIX",
    "LITERAL_SUFFIX",
    "CREATE_PARAMS",
    "NULLABLE",
    "CASE_SENSITIVE",
    "SEARCHABLE",
    "UNSIGNED_ATTRIBUTE",
    "FIXED_PREC_SCALE",
    "AUTO_UNIQUE_VALUE",
    "LOCAL_TYPE_NAME",
    "MINIMUM_SCALE",
    "MAXIMUM_SCALE",
    "SQL_DATA_TYPE",
    "SQL_DATETIME_SUB",
    "NUM_PREC_RADIX",
    "INTERVAL_PRECISION",
];

const fn row(info: SqlTypeInfo, create_params: Option<&'static str>) -> TypeInfoRow {
    let numeric = info.num_prec_radix != 0;
    let scaled = numeric
        || matches!(
            info.sql_type,
            SQL_TYPE_TIMESTAMP | SQL_INTERVAL_DAY_TO_SECOND
        );
    let (minimum_scale, maximum_scale) = match info.sql_type {
        SQL_DECIMAL | SQL_NUMERIC => (0, DECIMAL_PRECISION as i16),
        _ => (info.decimal_digits, info.decimal_digits),
    };
    TypeInfoRow {
        type_name: info.type_name,
        data_type: info.sql_type,
        column_size: Some(info.column_size as i32),
        literal_prefix: info.literal_prefix,
        literal_suffix: info.literal_suffix,
        create_params,
        nullable: SQL_NULLABLE,
        case_sensitive: info.case_sensitive as i16,
        searchable: info.searchable,
        unsigned_attribute: if numeric || info.sql_type == SQL_BIT {
            Some(info.unsigned as i16)
        } else {
            None
        },
        fixed_prec_scale: info.fixed_prec_scale as i16,
        auto_unique_value: if numeric { Some(0) } else { None },
        local_type_name: Some(info.type_name),
        minimum_scale: if scaled { Some(minimum_scale) } else { None },
        maximum_scale: if scaled { Some(maximum_scale) } else { None },
        sql_data_type: info.verbose_type,
        sql_datetime_sub: if info.datetime_sub != 0 {
            Some(info.datetime_sub)
        } else {
            None
        },
        num_prec_radix: if numeric {
            Some(info.num_prec_radix as i32)
        } else {
            None
        },
        interval_precision: if info.sql_type == SQL_INTERVAL_DAY_TO_SECOND {
            Some(INTERVAL_LEADING_PRECISION)
        } else {
            None
        },
    }
}

/// Sorted by `DATA_TYPE`, then by how closely the e6data type matches it (the first row of a
/// `DATA_TYPE` is the one to use). One row per e6data scalar type, plus the ANSI and Unicode
/// character rows BI tools look for (field-notes traps 1 and 2) and both DECIMAL and NUMERIC.
/// The nested types (ARRAY, MAP, STRUCT) are left out: they cannot be a parameter or a CAST
/// target over ODBC, and show up in results as `SQL_WVARCHAR` with their own type names.
static TYPE_INFO: [TypeInfoRow; 20] = [
    row(
        text(
            SQL_WLONGVARCHAR,
            "STRING",
            STRING_COLUMN_SIZE,
            SQL_SEARCHABLE,
        ),
        None,
    ),
    row(STRING, Some("max length")),
    row(
        text(SQL_WCHAR, "CHAR", STRING_COLUMN_SIZE, SQL_SEARCHABLE),
        Some("length"),
    ),
    row(BOOLEAN, None),
    row(TINYINT, None),
    row(BIGINT, None),
    row(BINARY, None),
    row(
        text(
            SQL_LONGVARCHAR,
            "STRING",
            STRING_COLUMN_SIZE,
            SQL_SEARCHABLE,
        ),
        None,
    ),
    row(
        text(SQL_CHAR, "CHAR", STRING_COLUMN_SIZE, SQL_SEARCHABLE),
        Some("length"),
    ),
    row(
        decimal(SQL_NUMERIC, "NUMERIC", DECIMAL_PRECISION, 0),
        Some("precision,scale"),
    ),
    row(
        decimal(SQL_DECIMAL, "DECIMAL", DECIMAL_PRECISION, 0),
        Some("precision,scale"),
    ),
    row(INTEGER, None),
    row(SMALLINT, None),
    row(REAL, None),
    row(DOUBLE, None),
    row(
        text(SQL_VARCHAR, "VARCHAR", STRING_COLUMN_SIZE, SQL_SEARCHABLE),
        Some("max length"),
    ),
    row(DATE, None),
    row(TIMESTAMP, None),
    row(TIMESTAMP_TZ, None),
    row(INTERVAL_DAY_SECOND, None),
];

/// The rows `SQLGetTypeInfo(SQL_ALL_TYPES)` returns, in the required order.
pub fn type_info_rows() -> &'static [TypeInfoRow] {
    &TYPE_INFO
}

/// `SQL_ALL_TYPES`: the `SQLGetTypeInfo` argument for every type.
pub const SQL_ALL_TYPES: i16 = 0;

/// The rows `SQLGetTypeInfo(data_type)` returns: all of them for [`SQL_ALL_TYPES`], else
/// those of that type (the ODBC 2 codes `SQL_DATE`, `SQL_TIME`, `SQL_TIMESTAMP` select the
/// `SQL_TYPE_*` rows), in order. Empty for a type e6data does not have (e.g. `SQL_TYPE_TIME`).
pub fn type_info_for(data_type: i16) -> impl Iterator<Item = &'static TypeInfoRow> {
    let wanted = match data_type {
        SQL_DATE => SQL_TYPE_DATE,
        SQL_TIME => SQL_TYPE_TIME,
        SQL_TIMESTAMP => SQL_TYPE_TIMESTAMP,
        other => other,
    };
    TYPE_INFO
        .iter()
        .filter(move |r| wanted == SQL_ALL_TYPES || r.data_type == wanted)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metadata_integers() {
        let t = from_metadata_type("LONG", None);
        assert_eq!((t.sql_type, t.type_name), (SQL_BIGINT, "BIGINT"));
        assert_eq!((t.column_size, t.display_size, t.octet_length), (19, 20, 8));
        assert_eq!(t.num_prec_radix, 10);
        assert_eq!(t.default_c_type, ctype::SQL_C_SBIGINT);
        assert_eq!(from_metadata_type("integer", None).sql_type, SQL_INTEGER);
        assert_eq!(from_metadata_type("INT", None).sql_type, SQL_INTEGER);
        assert_eq!(from_metadata_type("SHORT", None).sql_type, SQL_SMALLINT);
        assert_eq!(from_metadata_type("BYTE", None).sql_type, SQL_TINYINT);
        assert_eq!(
            from_metadata_type("BYTE", None).default_c_type,
            ctype::SQL_C_STINYINT
        );
    }

    #[test]
    fn metadata_floats_and_bool() {
        let d = from_metadata_type("DOUBLE", None);
        assert_eq!(
            (d.sql_type, d.column_size, d.octet_length),
            (SQL_DOUBLE, 15, 8)
        );
        let f = from_metadata_type("FLOAT", None);
        assert_eq!(
            (f.sql_type, f.column_size, f.octet_length),
            (SQL_REAL, 7, 4)
        );
        assert_eq!(f.type_name, "FLOAT");
        let b = from_metadata_type("BOOLEAN", None);
        assert_eq!(
            (b.sql_type, b.column_size, b.num_prec_radix),
            (SQL_BIT, 1, 0)
        );
    }

    #[test]
    fn metadata_text_is_finite_wvarchar() {
        for name in ["STRING", "CHAR", "ARRAY", "MAP", "STRUCT", "SOMETHING_NEW"] {
            let t = from_metadata_type(name, None);
            assert_eq!(t.sql_type, SQL_WVARCHAR, "{name}");
            assert_eq!(t.column_size, STRING_COLUMN_SIZE);
            assert_eq!(t.octet_length, STRING_OCTET_LENGTH);
            assert_eq!(t.default_c_type, ctype::SQL_C_WCHAR);
            assert!(t.case_sensitive);
            assert!(t.is_char_or_binary());
        }
        assert_eq!(from_metadata_type("ARRAY", None).type_name, "ARRAY");
        assert_eq!(from_metadata_type("ARRAY", None).searchable, SQL_PRED_NONE);
        assert_eq!(
            from_metadata_type("STRING", None).searchable,
            SQL_SEARCHABLE
        );
        let n = from_metadata_type("NULL", None);
        assert_eq!(
            (n.sql_type, n.column_size, n.type_name),
            (SQL_VARCHAR, 1, "NULL")
        );
        assert_eq!(n.default_c_type, ctype::SQL_C_CHAR);
    }

    #[test]
    fn metadata_decimal_scale() {
        let d = from_metadata_type("DECIMAL128", Some(2));
        assert_eq!(
            (d.sql_type, d.column_size, d.decimal_digits),
            (SQL_DECIMAL, 38, 2)
        );
        assert_eq!((d.display_size, d.octet_length), (40, 40));
        assert_eq!(d.default_c_type, ctype::SQL_C_CHAR);
        assert_eq!(
            from_metadata_type("DECIMAL128", None).decimal_digits,
            DEFAULT_DECIMAL_SCALE
        );
        assert_eq!(from_metadata_type("DECIMAL128", Some(-3)).decimal_digits, 0);
        assert_eq!(
            from_metadata_type("DECIMAL128", Some(99)).decimal_digits,
            38
        );
    }

    #[test]
    fn metadata_datetime() {
        let d = from_metadata_type("DATE", None);
        assert_eq!(
            (d.sql_type, d.verbose_type, d.datetime_sub, d.column_size),
            (SQL_TYPE_DATE, SQL_DATETIME, SQL_CODE_DATE, 10)
        );
        let t = from_metadata_type("DATETIME", None);
        assert_eq!(
            (t.sql_type, t.verbose_type, t.datetime_sub),
            (SQL_TYPE_TIMESTAMP, SQL_DATETIME, SQL_CODE_TIMESTAMP)
        );
        assert_eq!(
            (t.column_size, t.decimal_digits, t.octet_length),
            (26, 6, 16)
        );
        let z = from_metadata_type("TIMESTAMP_TZ", None);
        assert_eq!((z.sql_type, z.display_size), (SQL_TYPE_TIMESTAMP, 32));
        let i = from_metadata_type("INTERVAL_DAY_SECOND", None);
        assert_eq!(
            (i.sql_type, i.verbose_type, i.datetime_sub),
            (
                SQL_INTERVAL_DAY_TO_SECOND,
                SQL_INTERVAL,
                SQL_CODE_DAY_TO_SECOND
            )
        );
        assert_eq!(
            (i.column_size, i.display_size, i.octet_length),
            (25, 26, 28)
        );
    }

    #[test]
    fn metadata_binary() {
        let b = from_metadata_type("BINARY", None);
        assert_eq!(
            (b.sql_type, b.column_size),
            (SQL_VARBINARY, STRING_COLUMN_SIZE)
        );
        assert_eq!(b.default_c_type, ctype::SQL_C_BINARY);
    }

    #[test]
    fn catalog_types() {
        let cases: [(&str, i16, u32, i16); 22] = [
            ("int", SQL_INTEGER, 10, 0),
            ("integer", SQL_INTEGER, 10, 0),
            ("long", SQL_BIGINT, 19, 0),
            ("bigint", SQL_BIGINT, 19, 0),
            ("short", SQL_SMALLINT, 5, 0),
            ("tinyint", SQL_TINYINT, 3, 0),
            ("bool", SQL_BIT, 1, 0),
            ("BOOLEAN", SQL_BIT, 1, 0),
            ("real", SQL_REAL, 7, 0),
            ("float", SQL_REAL, 7, 0),
            ("double", SQL_DOUBLE, 15, 0),
            ("decimal(7,2)", SQL_DECIMAL, 7, 2),
            ("numeric( 10 , 3 )", SQL_DECIMAL, 10, 3),
            ("decimal(12)", SQL_DECIMAL, 12, 0),
            ("decimal", SQL_DECIMAL, 38, DEFAULT_DECIMAL_SCALE),
            ("decimal(99,2)", SQL_DECIMAL, 38, DEFAULT_DECIMAL_SCALE),
            ("varchar(16)", SQL_WVARCHAR, 16, 0),
            ("char(1)", SQL_WCHAR, 1, 0),
            ("string", SQL_WVARCHAR, STRING_COLUMN_SIZE, 0),
            ("date", SQL_TYPE_DATE, 10, 0),
            ("timestamp", SQL_TYPE_TIMESTAMP, 26, 6),
            ("binary", SQL_VARBINARY, STRING_COLUMN_SIZE, 0),
        ];
        for (name, ty, size, digits) in cases {
            let t = from_catalog_type(name);
            assert_eq!(
                (t.sql_type, t.column_size, t.decimal_digits),
                (ty, size, digits),
                "{name}"
            );
        }
        let a = from_catalog_type("array<int>");
        assert_eq!((a.sql_type, a.type_name), (SQL_WVARCHAR, "ARRAY"));
        assert_eq!(from_catalog_type("map<string,int>").type_name, "MAP");
        assert_eq!(from_catalog_type("struct<a:int>").type_name, "STRUCT");
        assert_eq!(
            from_catalog_type("uniontype<int,string>").type_name,
            "STRUCT"
        );
        let c = from_catalog_type("char(3)");
        assert_eq!(c.octet_length, 6);
        let u = from_catalog_type("geography");
        assert_eq!(
            (u.sql_type, u.column_size),
            (SQL_WVARCHAR, STRING_COLUMN_SIZE)
        );
        assert_eq!(
            from_catalog_type("varchar(0)").column_size,
            STRING_COLUMN_SIZE
        );
        assert_eq!(
            from_catalog_type("varchar(x)").column_size,
            STRING_COLUMN_SIZE
        );
        assert_eq!(
            from_catalog_type("decimal(7,2").decimal_digits,
            DEFAULT_DECIMAL_SCALE
        );
    }

    #[test]
    fn metadata_and_catalog_agree() {
        for (meta, cat) in [
            ("LONG", "long"),
            ("INTEGER", "int"),
            ("DOUBLE", "double"),
            ("FLOAT", "float"),
            ("BOOLEAN", "boolean"),
            ("STRING", "string"),
            ("DATE", "date"),
            ("DATETIME", "timestamp"),
            ("BINARY", "binary"),
            ("ARRAY", "array<int>"),
        ] {
            assert_eq!(
                from_metadata_type(meta, None),
                from_catalog_type(cat),
                "{meta}"
            );
        }
        assert_eq!(
            from_metadata_type("DECIMAL128", None),
            from_catalog_type("decimal")
        );
    }

    #[test]
    fn type_info_sorted_and_complete() {
        let rows = type_info_rows();
        assert!(rows.windows(2).all(|w| w[0].data_type <= w[1].data_type));
        for ty in [
            SQL_CHAR,
            SQL_VARCHAR,
            SQL_LONGVARCHAR,
            SQL_WCHAR,
            SQL_WVARCHAR,
            SQL_WLONGVARCHAR,
            SQL_DECIMAL,
            SQL_NUMERIC,
            SQL_BIT,
            SQL_TINYINT,
            SQL_SMALLINT,
            SQL_INTEGER,
            SQL_BIGINT,
            SQL_REAL,
            SQL_DOUBLE,
            SQL_VARBINARY,
            SQL_TYPE_DATE,
            SQL_TYPE_TIMESTAMP,
            SQL_INTERVAL_DAY_TO_SECOND,
        ] {
            assert!(rows.iter().any(|r| r.data_type == ty), "missing {ty}");
        }
        for r in rows {
            let size = r.column_size.unwrap_or(0);
            assert!(size > 0, "{} has no finite size", r.type_name);
            assert_eq!(r.nullable, SQL_NULLABLE);
        }
        // The first TIMESTAMP row is the plain one.
        let ts: Vec<_> = rows
            .iter()
            .filter(|r| r.data_type == SQL_TYPE_TIMESTAMP)
            .collect();
        assert_eq!(ts[0].type_name, "TIMESTAMP");
        assert_eq!(ts[0].sql_data_type, SQL_DATETIME);
        assert_eq!(ts[0].sql_datetime_sub, Some(SQL_CODE_TIMESTAMP));
        assert_eq!(
            (ts[0].minimum_scale, ts[0].maximum_scale),
            (Some(6), Some(6))
        );
    }

    #[test]
    fn type_info_row_details() {
        let rows = type_info_rows();
        let find = |ty: i16| rows.iter().find(|r| r.data_type == ty).unwrap();
        let dec = find(SQL_DECIMAL);
        assert_eq!(dec.create_params, Some("precision,scale"));
        assert_eq!((dec.minimum_scale, dec.maximum_scale), (Some(0), Some(38)));
        assert_eq!(dec.num_prec_radix, Some(10));
        assert_eq!(dec.unsigned_attribute, Some(0));
        let w = find(SQL_WVARCHAR);
        assert_eq!((w.type_name, w.column_size), ("VARCHAR", Some(65535)));
        assert_eq!((w.literal_prefix, w.literal_suffix), (Some("'"), Some("'")));
        assert_eq!((w.unsigned_attribute, w.num_prec_radix), (None, None));
        assert_eq!(w.case_sensitive, 1);
        let bit = find(SQL_BIT);
        assert_eq!(bit.unsigned_attribute, Some(1));
        let interval = find(SQL_INTERVAL_DAY_TO_SECOND);
        assert_eq!(interval.interval_precision, Some(9));
        assert_eq!(interval.sql_data_type, SQL_INTERVAL);
        let int = find(SQL_INTEGER);
        assert_eq!(
            (int.column_size, int.auto_unique_value),
            (Some(10), Some(0))
        );
        assert_eq!(TYPE_INFO_COLUMNS.len(), 19);
    }

    #[test]
    fn type_info_filter() {
        assert_eq!(type_info_for(SQL_ALL_TYPES).count(), type_info_rows().len());
        let names: Vec<_> = type_info_for(SQL_TYPE_TIMESTAMP)
            .map(|r| r.type_name)
            .collect();
        assert_eq!(names, ["TIMESTAMP", "TIMESTAMP_TZ"]);
        assert_eq!(
            type_info_for(SQL_TIMESTAMP).count(),
            type_info_for(SQL_TYPE_TIMESTAMP).count()
        );
        assert_eq!(
            type_info_for(SQL_DATE).next().map(|r| r.type_name),
            Some("DATE")
        );
        assert_eq!(type_info_for(SQL_TYPE_TIME).count(), 0);
        assert_eq!(type_info_for(SQL_GUID).count(), 0);
        let w: Vec<_> = type_info_for(SQL_WVARCHAR).map(|r| r.type_name).collect();
        assert_eq!(w, ["VARCHAR"]);
    }
}
