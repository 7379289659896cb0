//! Result metadata (spec §7.1). DATA MODEL ONLY (written by the lead); the codec is to be
//! added by the wire-codec work.

/// One result column as described by the engine.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ColumnMeta {
    /// Column name.
    pub name: String,
    /// Engine type name (`LONG`, `STRING`, `DECIMAL128`, ...).
    pub type_name: String,
    /// Zone (DATE/DATETIME only; usually empty).
    pub zone: String,
    /// Format (DATE/DATETIME only; usually empty).
    pub format: String,
}

/// Decoded `resultMetaData`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ResultMetadata {
    /// Row count reported by the engine.
    pub row_count: i64,
    /// Columns in result order.
    pub columns: Vec<ColumnMeta>,
}
