//! ODBC C data types (the application side of a conversion): codes, defaults and sizes.

use crate::odbc::sqltype;

/// `SQL_C_CHAR`: UTF-8 text (the driver's ANSI encoding), NUL-terminated.
pub const SQL_C_CHAR: i16 = 1;
/// `SQL_C_WCHAR`: UTF-16LE text, NUL-terminated.
pub const SQL_C_WCHAR: i16 = -8;
/// `SQL_C_BIT`: one unsigned byte, 0 or 1.
pub const SQL_C_BIT: i16 = -7;
/// `SQL_C_TINYINT` (ODBC 2, treated as signed).
pub const SQL_C_TINYINT: i16 = -6;
/// `SQL_C_STINYINT`.
pub const SQL_C_STINYINT: i16 = -26;
/// `SQL_C_UTINYINT`.
pub const SQL_C_UTINYINT: i16 = -28;
/// `SQL_C_SHORT` (ODBC 2, treated as signed).
pub const SQL_C_SHORT: i16 = 5;
/// `SQL_C_SSHORT`.
pub const SQL_C_SSHORT: i16 = -15;
/// `SQL_C_USHORT`.
pub const SQL_C_USHORT: i16 = -17;
/// `SQL_C_LONG` (ODBC 2, treated as signed).
pub const SQL_C_LONG: i16 = 4;
/// `SQL_C_SLONG`.
pub const SQL_C_SLONG: i16 = -16;
/// `SQL_C_ULONG`.
pub const SQL_C_ULONG: i16 = -18;
/// `SQL_C_SBIGINT`.
pub const SQL_C_SBIGINT: i16 = -25;
/// `SQL_C_UBIGINT`.
pub const SQL_C_UBIGINT: i16 = -27;
/// `SQL_C_FLOAT`: IEEE binary32.
pub const SQL_C_FLOAT: i16 = 7;
/// `SQL_C_DOUBLE`: IEEE binary64.
pub const SQL_C_DOUBLE: i16 = 8;
/// `SQL_C_NUMERIC`: `SQL_NUMERIC_STRUCT`.
pub const SQL_C_NUMERIC: i16 = 2;
/// `SQL_C_TYPE_DATE`: `SQL_DATE_STRUCT`.
pub const SQL_C_TYPE_DATE: i16 = 91;
/// `SQL_C_TYPE_TIME`: `SQL_TIME_STRUCT`.
pub const SQL_C_TYPE_TIME: i16 = 92;
/// `SQL_C_TYPE_TIMESTAMP`: `SQL_TIMESTAMP_STRUCT`.
pub const SQL_C_TYPE_TIMESTAMP: i16 = 93;
/// `SQL_C_DATE` (ODBC 2 alias of [`SQL_C_TYPE_DATE`]).
pub const SQL_C_DATE: i16 = 9;
/// `SQL_C_TIME` (ODBC 2 alias of [`SQL_C_TYPE_TIME`]).
pub const SQL_C_TIME: i16 = 10;
/// `SQL_C_TIMESTAMP` (ODBC 2 alias of [`SQL_C_TYPE_TIMESTAMP`]).
pub const SQL_C_TIMESTAMP: i16 = 11;
/// `SQL_C_BINARY`: raw bytes.
pub const SQL_C_BINARY: i16 = -2;
/// `SQL_C_INTERVAL_DAY_TO_SECOND`: `SQL_INTERVAL_STRUCT` with the day-second member.
pub const SQL_C_INTERVAL_DAY_TO_SECOND: i16 = 110;
/// `SQL_C_DEFAULT`: the default C type of the column's SQL type ([`CType::default_for`]).
pub const SQL_C_DEFAULT: i16 = 99;

/// Size in bytes of `SQL_NUMERIC_STRUCT`: precision, scale, sign, 16-byte magnitude.
pub const NUMERIC_STRUCT_SIZE: usize = 19;
/// Size in bytes of `SQL_DATE_STRUCT` and `SQL_TIME_STRUCT`.
pub const DATE_STRUCT_SIZE: usize = 6;
/// Size in bytes of `SQL_TIMESTAMP_STRUCT`.
pub const TIMESTAMP_STRUCT_SIZE: usize = 16;
/// Size in bytes of `SQL_INTERVAL_STRUCT` (type, sign, padding, five 32-bit fields).
pub const INTERVAL_STRUCT_SIZE: usize = 28;

/// A C data type the driver converts to and from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CType {
    /// `SQL_C_CHAR` (UTF-8).
    Char,
    /// `SQL_C_WCHAR` (UTF-16LE).
    WChar,
    /// `SQL_C_BIT`.
    Bit,
    /// `SQL_C_STINYINT` / `SQL_C_TINYINT`.
    STinyInt,
    /// `SQL_C_UTINYINT`.
    UTinyInt,
    /// `SQL_C_SSHORT` / `SQL_C_SHORT`.
    SShort,
    /// `SQL_C_USHORT`.
    UShort,
    /// `SQL_C_SLONG` / `SQL_C_LONG`.
    SLong,
    /// `SQL_C_ULONG`.
    ULong,
    /// `SQL_C_SBIGINT`.
    SBigInt,
    /// `SQL_C_UBIGINT`.
    UBigInt,
    /// `SQL_C_FLOAT`.
    Float,
    /// `SQL_C_DOUBLE`.
    Double,
    /// `SQL_C_NUMERIC`.
    Numeric,
    /// `SQL_C_TYPE_DATE` / `SQL_C_DATE`.
    TypeDate,
    /// `SQL_C_TYPE_TIME` / `SQL_C_TIME`.
    TypeTime,
    /// `SQL_C_TYPE_TIMESTAMP` / `SQL_C_TIMESTAMP`.
    TypeTimestamp,
    /// `SQL_C_BINARY`.
    Binary,
    /// `SQL_C_INTERVAL_DAY_TO_SECOND`.
    IntervalDaySecond,
}

impl CType {
    /// The C type for an application-supplied code, or `None` for codes this driver does not
    /// convert to (the caller answers HY003). `SQL_C_DEFAULT` is not a type: resolve it with
    /// [`CType::default_for`] first.
    pub fn from_code(code: i16) -> Option<CType> {
        Some(match code {
            SQL_C_CHAR => CType::Char,
            SQL_C_WCHAR => CType::WChar,
            SQL_C_BIT => CType::Bit,
            SQL_C_STINYINT | SQL_C_TINYINT => CType::STinyInt,
            SQL_C_UTINYINT => CType::UTinyInt,
            SQL_C_SSHORT | SQL_C_SHORT => CType::SShort,
            SQL_C_USHORT => CType::UShort,
            SQL_C_SLONG | SQL_C_LONG => CType::SLong,
            SQL_C_ULONG => CType::ULong,
            SQL_C_SBIGINT => CType::SBigInt,
            SQL_C_UBIGINT => CType::UBigInt,
            SQL_C_FLOAT => CType::Float,
            SQL_C_DOUBLE => CType::Double,
            SQL_C_NUMERIC => CType::Numeric,
            SQL_C_TYPE_DATE | SQL_C_DATE => CType::TypeDate,
            SQL_C_TYPE_TIME | SQL_C_TIME => CType::TypeTime,
            SQL_C_TYPE_TIMESTAMP | SQL_C_TIMESTAMP => CType::TypeTimestamp,
            SQL_C_BINARY => CType::Binary,
            SQL_C_INTERVAL_DAY_TO_SECOND => CType::IntervalDaySecond,
            _ => return None,
        })
    }

    /// The ODBC 3 code of this C type (the `SQL_C_TYPE_*` form for date/time types and the
    /// explicitly signed form for integers).
    pub const fn code(self) -> i16 {
        match self {
            CType::Char => SQL_C_CHAR,
            CType::WChar => SQL_C_WCHAR,
            CType::Bit => SQL_C_BIT,
            CType::STinyInt => SQL_C_STINYINT,
            CType::UTinyInt => SQL_C_UTINYINT,
            CType::SShort => SQL_C_SSHORT,
            CType::UShort => SQL_C_USHORT,
            CType::SLong => SQL_C_SLONG,
            CType::ULong => SQL_C_ULONG,
            CType::SBigInt => SQL_C_SBIGINT,
            CType::UBigInt => SQL_C_UBIGINT,
            CType::Float => SQL_C_FLOAT,
            CType::Double => SQL_C_DOUBLE,
            CType::Numeric => SQL_C_NUMERIC,
            CType::TypeDate => SQL_C_TYPE_DATE,
            CType::TypeTime => SQL_C_TYPE_TIME,
            CType::TypeTimestamp => SQL_C_TYPE_TIMESTAMP,
            CType::Binary => SQL_C_BINARY,
            CType::IntervalDaySecond => SQL_C_INTERVAL_DAY_TO_SECOND,
        }
    }

    /// The C type `SQL_C_DEFAULT` stands for when the column (or parameter) has SQL type
    /// `sql_type`, per the ODBC "default C data types" table. DECIMAL and NUMERIC default to
    /// `SQL_C_CHAR`, as the specification says. `None` for SQL types without a C counterpart
    /// here (e.g. `SQL_GUID`).
    pub fn default_for(sql_type: i16) -> Option<CType> {
        Some(match sql_type {
            sqltype::SQL_CHAR
            | sqltype::SQL_VARCHAR
            | sqltype::SQL_LONGVARCHAR
            | sqltype::SQL_DECIMAL
            | sqltype::SQL_NUMERIC => CType::Char,
            sqltype::SQL_WCHAR | sqltype::SQL_WVARCHAR | sqltype::SQL_WLONGVARCHAR => CType::WChar,
            sqltype::SQL_BIT => CType::Bit,
            sqltype::SQL_TINYINT => CType::STinyInt,
            sqltype::SQL_SMALLINT => CType::SShort,
            sqltype::SQL_INTEGER => CType::SLong,
            sqltype::SQL_BIGINT => CType::SBigInt,
            sqltype::SQL_REAL => CType::Float,
            sqltype::SQL_FLOAT | sqltype::SQL_DOUBLE => CType::Double,
            sqltype::SQL_BINARY | sqltype::SQL_VARBINARY | sqltype::SQL_LONGVARBINARY => {
                CType::Binary
            }
            sqltype::SQL_TYPE_DATE | sqltype::SQL_DATE => CType::TypeDate,
            sqltype::SQL_TYPE_TIME | sqltype::SQL_TIME => CType::TypeTime,
            sqltype::SQL_TYPE_TIMESTAMP | sqltype::SQL_TIMESTAMP => CType::TypeTimestamp,
            sqltype::SQL_INTERVAL_DAY_TO_SECOND => CType::IntervalDaySecond,
            _ => return None,
        })
    }

    /// The size in bytes of a fixed-size C type, or `None` for the variable-length ones
    /// (`Char`, `WChar`, `Binary`), whose size is the application's buffer length.
    pub const fn fixed_size(self) -> Option<usize> {
        match self {
            CType::Char | CType::WChar | CType::Binary => None,
            CType::Bit | CType::STinyInt | CType::UTinyInt => Some(1),
            CType::SShort | CType::UShort => Some(2),
            CType::SLong | CType::ULong | CType::Float => Some(4),
            CType::SBigInt | CType::UBigInt | CType::Double => Some(8),
            CType::Numeric => Some(NUMERIC_STRUCT_SIZE),
            CType::TypeDate | CType::TypeTime => Some(DATE_STRUCT_SIZE),
            CType::TypeTimestamp => Some(TIMESTAMP_STRUCT_SIZE),
            CType::IntervalDaySecond => Some(INTERVAL_STRUCT_SIZE),
        }
    }
}

/// Every C type the driver converts to (the tests iterate over it).
#[cfg(test)]
pub(crate) const ALL: [CType; 19] = [
    CType::Char,
    CType::WChar,
    CType::Bit,
    CType::STinyInt,
    CType::UTinyInt,
    CType::SShort,
    CType::UShort,
    CType::SLong,
    CType::ULong,
    CType::SBigInt,
    CType::UBigInt,
    CType::Float,
    CType::Double,
    CType::Numeric,
    CType::TypeDate,
    CType::TypeTime,
    CType::TypeTimestamp,
    CType::Binary,
    CType::IntervalDaySecond,
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_round_trips() {
        for t in ALL {
            assert_eq!(CType::from_code(t.code()), Some(t));
        }
    }

    #[test]
    fn odbc2_aliases() {
        assert_eq!(CType::from_code(SQL_C_TINYINT), Some(CType::STinyInt));
        assert_eq!(CType::from_code(SQL_C_SHORT), Some(CType::SShort));
        assert_eq!(CType::from_code(SQL_C_LONG), Some(CType::SLong));
        assert_eq!(CType::from_code(SQL_C_DATE), Some(CType::TypeDate));
        assert_eq!(CType::from_code(SQL_C_TIME), Some(CType::TypeTime));
        assert_eq!(
            CType::from_code(SQL_C_TIMESTAMP),
            Some(CType::TypeTimestamp)
        );
        assert_eq!(CType::from_code(SQL_C_DEFAULT), None);
        assert_eq!(CType::from_code(-11), None);
    }

    #[test]
    fn defaults() {
        assert_eq!(
            CType::default_for(sqltype::SQL_WVARCHAR),
            Some(CType::WChar)
        );
        assert_eq!(CType::default_for(sqltype::SQL_VARCHAR), Some(CType::Char));
        assert_eq!(CType::default_for(sqltype::SQL_DECIMAL), Some(CType::Char));
        assert_eq!(
            CType::default_for(sqltype::SQL_BIGINT),
            Some(CType::SBigInt)
        );
        assert_eq!(CType::default_for(sqltype::SQL_REAL), Some(CType::Float));
        assert_eq!(
            CType::default_for(sqltype::SQL_TYPE_TIMESTAMP),
            Some(CType::TypeTimestamp)
        );
        assert_eq!(
            CType::default_for(sqltype::SQL_INTERVAL_DAY_TO_SECOND),
            Some(CType::IntervalDaySecond)
        );
        assert_eq!(CType::default_for(sqltype::SQL_GUID), None);
    }

    #[test]
    fn sizes() {
        assert_eq!(CType::SLong.fixed_size(), Some(4));
        assert_eq!(CType::TypeTimestamp.fixed_size(), Some(16));
        assert_eq!(CType::Numeric.fixed_size(), Some(19));
        assert_eq!(CType::IntervalDaySecond.fixed_size(), Some(28));
        assert_eq!(CType::Char.fixed_size(), None);
        assert_eq!(CType::WChar.fixed_size(), None);
        assert_eq!(CType::Binary.fixed_size(), None);
    }
}
