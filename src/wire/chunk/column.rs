//! Constructors, validation and per-cell accessors of the chunk model.
//!
//! A valid [`Column`] pairs its [`VectorType`] with the matching [`ColumnValues`] variant and has
//! one null flag per value: exactly one of each for a constant column, one per row otherwise.
//! `NULL` columns hold [`ColumnValues::Null`] and are NULL at every row whatever their flags say.
//! The accessors never panic, even on a hand-built invalid column: a missing entry reads as NULL.

use super::{Chunk, Column, ColumnValues, Value, VectorType};
use crate::wire::{WireError, decimal};

impl ColumnValues {
    /// The number of entries (0 for [`ColumnValues::Null`]).
    pub fn len(&self) -> usize {
        match self {
            Self::Bool(v) => v.len(),
            Self::Int32(v) => v.len(),
            Self::Int64(v) | Self::Date(v) => v.len(),
            Self::Float64(v) => v.len(),
            Self::Time { micros, .. } => micros.len(),
            Self::Decimal { unscaled, .. } => unscaled.len(),
            Self::Bytes { offsets, .. } => offsets.len().saturating_sub(1),
            Self::Null => 0,
        }
    }

    /// `true` when there are no entries.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Values with no entries, of the variant that holds `vector_type`. `None` for the legacy
    /// `TIMESTAMP` and `INT96` types, which have no representation.
    pub fn empty_for(vector_type: VectorType) -> Option<Self> {
        use VectorType as V;
        Some(match vector_type {
            V::Boolean => Self::Bool(Vec::new()),
            V::Integer => Self::Int32(Vec::new()),
            V::Long | V::IntervalDaySecond => Self::Int64(Vec::new()),
            V::Double | V::Float => Self::Float64(Vec::new()),
            V::Date => Self::Date(Vec::new()),
            V::DateTime | V::TimestampTz => Self::Time {
                micros: Vec::new(),
                zones: None,
            },
            V::Decimal128 => Self::Decimal {
                unscaled: Vec::new(),
                scale: 0,
            },
            V::Binary | V::String | V::Struct | V::Map | V::Array => Self::Bytes {
                offsets: vec![0],
                data: Vec::new(),
            },
            V::Null => Self::Null,
            V::Timestamp | V::Int96 => return None,
        })
    }

    /// [`ColumnValues::Bytes`] holding `values` in order (fails beyond 4 GiB in total).
    pub fn from_byte_values<'v>(
        values: impl IntoIterator<Item = &'v [u8]>,
    ) -> Result<Self, WireError> {
        let values = values.into_iter();
        let mut offsets = Vec::with_capacity(values.size_hint().0 + 1);
        let mut data = Vec::new();
        offsets.push(0);
        for value in values {
            data.extend_from_slice(value);
            offsets.push(u32::try_from(data.len()).map_err(|_| {
                WireError::inconsistent("string values of one column exceed 4 GiB in total")
            })?);
        }
        Ok(Self::Bytes { offsets, data })
    }

    /// The variant's name, for messages.
    fn kind(&self) -> &'static str {
        match self {
            Self::Bool(_) => "Bool",
            Self::Int32(_) => "Int32",
            Self::Int64(_) => "Int64",
            Self::Float64(_) => "Float64",
            Self::Date(_) => "Date",
            Self::Time { .. } => "Time",
            Self::Decimal { .. } => "Decimal",
            Self::Bytes { .. } => "Bytes",
            Self::Null => "Null",
        }
    }

    /// Checks the variant's own invariants (offsets, zones, scale).
    fn validate(&self, vector_type: VectorType) -> Result<(), WireError> {
        match self {
            Self::Time {
                micros,
                zones: Some(zones),
            } => {
                if vector_type == VectorType::DateTime {
                    return Err(WireError::inconsistent(
                        "DATETIME values carry no zone; use TIMESTAMP_TZ for zoned values",
                    ));
                }
                if zones.len() != micros.len() {
                    return Err(WireError::inconsistent(format!(
                        "{} zones for {} TIMESTAMP_TZ values",
                        zones.len(),
                        micros.len()
                    )));
                }
            }
            Self::Decimal { scale, .. } if !decimal::scale_in_range(*scale) => {
                return Err(WireError::inconsistent(format!(
                    "DECIMAL128 scale {scale} is outside ±{}",
                    decimal::MAX_SCALE_MAGNITUDE
                )));
            }
            Self::Bytes { offsets, data } => {
                let ordered = offsets
                    .iter()
                    .zip(offsets.iter().skip(1))
                    .all(|(a, b)| a <= b);
                let end = offsets.last().map(|&end| end as usize);
                if offsets.is_empty() || !ordered || end > Some(data.len()) {
                    return Err(WireError::inconsistent(format!(
                        "Bytes offsets must be non-empty, non-decreasing and within the {} data \
                         bytes",
                        data.len()
                    )));
                }
            }
            _ => {}
        }
        Ok(())
    }
}

/// `true` when `values` is the variant that holds `vector_type`.
fn pairs(vector_type: VectorType, values: &ColumnValues) -> bool {
    use ColumnValues as C;
    use VectorType as V;
    matches!(
        (vector_type, values),
        (V::Boolean, C::Bool(_))
            | (V::Integer, C::Int32(_))
            | (V::Long | V::IntervalDaySecond, C::Int64(_))
            | (V::Double | V::Float, C::Float64(_))
            | (V::Date, C::Date(_))
            | (V::DateTime | V::TimestampTz, C::Time { .. })
            | (V::Decimal128, C::Decimal { .. })
            | (
                V::Binary | V::String | V::Struct | V::Map | V::Array,
                C::Bytes { .. }
            )
            | (V::Null, C::Null)
    )
}

impl Column {
    /// A non-constant column: one null flag and one value (a placeholder at NULL rows) per row.
    /// Fails when the values do not suit `vector_type` or their count differs from `nulls`.
    pub fn new(
        vector_type: VectorType,
        nulls: Vec<bool>,
        values: ColumnValues,
    ) -> Result<Self, WireError> {
        let column = Self {
            vector_type,
            constant: false,
            nulls,
            values,
        };
        column.validate()?;
        Ok(column)
    }

    /// A constant column: `values` holds exactly one entry (a placeholder when `is_null`) that
    /// applies to every row.
    pub fn constant(
        vector_type: VectorType,
        is_null: bool,
        values: ColumnValues,
    ) -> Result<Self, WireError> {
        let column = Self {
            vector_type,
            constant: true,
            nulls: vec![is_null],
            values,
        };
        column.validate()?;
        Ok(column)
    }

    /// A `NULL`-typed column: NULL at every row (encoded as a constant vector).
    pub fn null() -> Self {
        Self {
            vector_type: VectorType::Null,
            constant: true,
            nulls: vec![true],
            values: ColumnValues::Null,
        }
    }

    /// Checks that the values suit the vector type and that the counts agree.
    pub fn validate(&self) -> Result<(), WireError> {
        let vector_type = self.vector_type;
        if matches!(vector_type, VectorType::Timestamp | VectorType::Int96) {
            return Err(WireError::inconsistent(format!(
                "{vector_type} vectors cannot be sent: no e6data client reads them; use DATETIME \
                 or TIMESTAMP_TZ"
            )));
        }
        if !pairs(vector_type, &self.values) {
            return Err(WireError::inconsistent(format!(
                "a {vector_type} column cannot hold {} values",
                self.values.kind()
            )));
        }
        self.values.validate(vector_type)?;
        if vector_type == VectorType::Null {
            return Ok(());
        }
        let (nulls, values) = (self.nulls.len(), self.values.len());
        if self.constant && (nulls != 1 || values != 1) {
            return Err(WireError::inconsistent(format!(
                "a constant {vector_type} column needs exactly one null flag and one value, \
                 not {nulls} and {values}"
            )));
        }
        if nulls != values {
            return Err(WireError::inconsistent(format!(
                "a {vector_type} column has {nulls} null flags but {values} values"
            )));
        }
        Ok(())
    }

    /// The number of rows this column covers in a chunk of `chunk_rows` rows: `chunk_rows` for a
    /// constant or `NULL` column, otherwise its number of entries.
    pub fn len_rows(&self, chunk_rows: usize) -> usize {
        if self.constant || self.vector_type == VectorType::Null {
            chunk_rows
        } else {
            self.nulls.len()
        }
    }

    /// The entry that holds `row`: 0 for constant columns.
    #[inline]
    fn index(&self, row: usize) -> usize {
        if self.constant { 0 } else { row }
    }

    /// `true` when `row` is NULL (also for rows beyond the column).
    #[inline]
    pub fn is_null(&self, row: usize) -> bool {
        self.vector_type == VectorType::Null
            || self.nulls.get(self.index(row)).copied().unwrap_or(true)
    }

    /// The cell at `row`, borrowed from the column; [`Value::Null`] for NULL cells and for rows
    /// beyond the column.
    #[inline]
    pub fn value(&self, row: usize) -> Value<'_> {
        if self.is_null(row) {
            return Value::Null;
        }
        let i = self.index(row);
        let vector_type = self.vector_type;
        let value = match &self.values {
            ColumnValues::Bool(v) => v.get(i).map(|&b| Value::Bool(b)),
            ColumnValues::Int32(v) => v.get(i).map(|&x| Value::I32(x)),
            ColumnValues::Int64(v) => v.get(i).map(|&x| {
                if vector_type == VectorType::IntervalDaySecond {
                    Value::IntervalMicros(x)
                } else {
                    Value::I64(x)
                }
            }),
            ColumnValues::Float64(v) => v.get(i).map(|&x| Value::F64(x)),
            ColumnValues::Date(v) => v.get(i).map(|&x| Value::Date(x)),
            ColumnValues::Time { micros, zones } => micros.get(i).map(|&micros| {
                let zone = match (vector_type, zones) {
                    (VectorType::TimestampTz, Some(zones)) => zones.get(i).map(String::as_str),
                    _ => None,
                };
                Value::Timestamp { micros, zone }
            }),
            ColumnValues::Decimal { unscaled, scale } => {
                unscaled.get(i).map(|&unscaled| Value::Decimal {
                    unscaled,
                    scale: *scale,
                })
            }
            ColumnValues::Bytes { offsets, data } => {
                bytes_at(offsets, data, i).map(|bytes| match vector_type {
                    VectorType::Binary => Value::Binary(bytes),
                    _ => Value::Text(bytes),
                })
            }
            ColumnValues::Null => None,
        };
        value.unwrap_or(Value::Null)
    }
}

/// The `i`-th value of a [`ColumnValues::Bytes`].
#[inline]
fn bytes_at<'a>(offsets: &[u32], data: &'a [u8], i: usize) -> Option<&'a [u8]> {
    let start = *offsets.get(i)? as usize;
    let end = *offsets.get(i.checked_add(1)?)? as usize;
    data.get(start..end)
}

impl Chunk {
    /// A chunk of `rows` rows; fails unless every column is valid and covers exactly `rows`.
    pub fn new(rows: usize, columns: Vec<Column>) -> Result<Self, WireError> {
        let chunk = Self { rows, columns };
        chunk.validate()?;
        Ok(chunk)
    }

    /// Checks every column ([`Column::validate`]) and that each non-constant column has exactly
    /// `rows` entries.
    pub fn validate(&self) -> Result<(), WireError> {
        for (index, column) in self.columns.iter().enumerate() {
            column.validate().map_err(|e| match e {
                WireError::Inconsistent { reason } => {
                    WireError::inconsistent(format!("column {index}: {reason}"))
                }
                other => other,
            })?;
            let rows = column.len_rows(self.rows);
            if rows != self.rows {
                return Err(WireError::inconsistent(format!(
                    "column {index} ({}) has {rows} rows but the chunk has {}",
                    column.vector_type, self.rows
                )));
            }
        }
        Ok(())
    }

    /// Checks that the chunk has one vector per metadata column (`expected` columns).
    pub fn check_columns(&self, expected: usize) -> Result<(), WireError> {
        if self.columns.len() == expected {
            Ok(())
        } else {
            Err(WireError::inconsistent(format!(
                "the result chunk has {} vectors but the result metadata describes {expected} \
                 columns",
                self.columns.len()
            )))
        }
    }
}
