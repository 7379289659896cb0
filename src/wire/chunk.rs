//! A result chunk (spec §7.2-7.3): one [`Column`] per result column, values stored column-wise,
//! and its Thrift Binary codec ([`decode_chunk`], [`encode_chunk`]).
//!
//! Submodules: `column` (constructors, validation and per-cell accessors), `schema` (Thrift
//! field ids), `decode` and `encode`.

mod column;
mod decode;
mod encode;
mod schema;
#[cfg(test)]
mod tests;

pub use decode::decode_chunk;
pub use encode::encode_chunk;

/// The e6data `VectorType` enum (spec §7.2), with its wire values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(i32)]
pub enum VectorType {
    /// Raw bytes in a Thrift string.
    Binary = 0,
    /// Thrift bool.
    Boolean = 1,
    /// IEEE binary64.
    Double = 2,
    /// Single precision in SQL, sent as a double.
    Float = 3,
    /// Legacy; never produced by a correct server.
    Int96 = 4,
    /// 32-bit signed integer.
    Integer = 5,
    /// 64-bit signed integer.
    Long = 6,
    /// UTF-8 text.
    String = 7,
    /// Epoch microseconds of a day's midnight (UTC).
    Date = 8,
    /// Epoch microseconds (UTC), no zone.
    DateTime = 9,
    /// Legacy; never produced by a correct server.
    Timestamp = 10,
    /// Nested value rendered as text.
    Struct = 11,
    /// Nested value rendered as text.
    Map = 12,
    /// Nested value rendered as text.
    Array = 13,
    /// Every row NULL.
    Null = 14,
    /// Epoch microseconds plus a zone string per row.
    TimestampTz = 15,
    /// 16-byte big-endian two's complement unscaled value plus a scale.
    Decimal128 = 16,
    /// Day-second interval in microseconds (3.0.2).
    IntervalDaySecond = 17,
}

impl VectorType {
    /// Every vector type, in wire-value order.
    pub const ALL: [VectorType; 18] = [
        Self::Binary,
        Self::Boolean,
        Self::Double,
        Self::Float,
        Self::Int96,
        Self::Integer,
        Self::Long,
        Self::String,
        Self::Date,
        Self::DateTime,
        Self::Timestamp,
        Self::Struct,
        Self::Map,
        Self::Array,
        Self::Null,
        Self::TimestampTz,
        Self::Decimal128,
        Self::IntervalDaySecond,
    ];

    /// The type for a wire value, or `None` for a value this driver does not know.
    pub fn from_code(code: i32) -> Option<Self> {
        usize::try_from(code)
            .ok()
            .and_then(|index| Self::ALL.get(index).copied())
    }

    /// The wire value.
    pub fn code(self) -> i32 {
        self as i32
    }

    /// The engine's name for the type, as used in result metadata (`LONG`, `TIMESTAMP_TZ`, ...).
    pub fn name(self) -> &'static str {
        match self {
            Self::Binary => "BINARY",
            Self::Boolean => "BOOLEAN",
            Self::Double => "DOUBLE",
            Self::Float => "FLOAT",
            Self::Int96 => "INT96",
            Self::Integer => "INTEGER",
            Self::Long => "LONG",
            Self::String => "STRING",
            Self::Date => "DATE",
            Self::DateTime => "DATETIME",
            Self::Timestamp => "TIMESTAMP",
            Self::Struct => "STRUCT",
            Self::Map => "MAP",
            Self::Array => "ARRAY",
            Self::Null => "NULL",
            Self::TimestampTz => "TIMESTAMP_TZ",
            Self::Decimal128 => "DECIMAL128",
            Self::IntervalDaySecond => "INTERVAL_DAY_SECOND",
        }
    }

    /// The type whose [`name`](Self::name) is `name` (exact, upper case), if any.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.name() == name)
    }
}

impl std::fmt::Display for VectorType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// The values of one column. Non-constant columns hold one entry per row (placeholders at
/// NULL rows); constant columns hold exactly one entry that applies to every row.
#[derive(Debug, Clone, PartialEq)]
pub enum ColumnValues {
    /// BOOLEAN.
    Bool(Vec<bool>),
    /// INTEGER.
    Int32(Vec<i32>),
    /// LONG and INTERVAL_DAY_SECOND (microseconds).
    Int64(Vec<i64>),
    /// DOUBLE and FLOAT.
    Float64(Vec<f64>),
    /// DATE: epoch microseconds.
    Date(Vec<i64>),
    /// DATETIME and TIMESTAMP_TZ: epoch microseconds, plus per-row zones when present.
    Time {
        /// Epoch microseconds (UTC instant).
        micros: Vec<i64>,
        /// Zone per row (`Z`, `±HH:MM` or an IANA name), or `None` for UTC.
        zones: Option<Vec<String>>,
    },
    /// DECIMAL128: unscaled values and the shared scale.
    Decimal {
        /// Unscaled two's complement values.
        unscaled: Vec<i128>,
        /// value = unscaled × 10^-scale.
        scale: i32,
    },
    /// STRING, BINARY, ARRAY, MAP, STRUCT: contiguous bytes with `offsets.len() == n + 1`.
    Bytes {
        /// Start offset of each value in `data`, plus the end offset.
        offsets: Vec<u32>,
        /// Concatenated value bytes.
        data: Vec<u8>,
    },
    /// NULL vector: no values.
    Null,
}

/// One column of a chunk.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    /// The wire type that drove decoding.
    pub vector_type: VectorType,
    /// `true` when one value (and one null flag) applies to every row.
    pub constant: bool,
    /// Null flags: one per row, or one for a constant column.
    pub nulls: Vec<bool>,
    /// The values.
    pub values: ColumnValues,
}

/// A decoded `Chunk`: `rows` rows, one [`Column`] per result column.
#[derive(Debug, Clone, PartialEq)]
pub struct Chunk {
    /// Row count of this chunk.
    pub rows: usize,
    /// Columns in metadata order.
    pub columns: Vec<Column>,
}

/// One cell, borrowed from a [`Column`]: what the ODBC conversion layer consumes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Value<'a> {
    /// SQL NULL.
    Null,
    /// BOOLEAN.
    Bool(bool),
    /// INTEGER.
    I32(i32),
    /// LONG.
    I64(i64),
    /// DOUBLE or FLOAT.
    F64(f64),
    /// DATE as epoch microseconds.
    Date(i64),
    /// DATETIME / TIMESTAMP_TZ as epoch microseconds and an optional zone.
    Timestamp {
        /// UTC instant in microseconds.
        micros: i64,
        /// Display zone, if any.
        zone: Option<&'a str>,
    },
    /// DECIMAL128.
    Decimal {
        /// Unscaled value.
        unscaled: i128,
        /// Scale.
        scale: i32,
    },
    /// STRING / ARRAY / MAP / STRUCT (UTF-8 text).
    Text(&'a [u8]),
    /// BINARY (raw bytes).
    Binary(&'a [u8]),
    /// INTERVAL_DAY_SECOND in microseconds.
    IntervalMicros(i64),
}
