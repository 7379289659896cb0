//! Thrift Binary `Chunk` → [`Chunk`]. Lists are decoded straight into pre-sized vectors and
//! strings into one shared buffer per column; no allocation happens per value except for
//! TIMESTAMP_TZ zone names.
//!
//! Field order inside a struct is free (fields are collected, then checked), unknown fields of
//! any type are skipped, and a known field with an unexpected Thrift type is an error.

use super::schema::{self, Member};
use super::{Chunk, Column, ColumnValues, VectorType};
use crate::wire::WireError;
use crate::wire::decimal;
use crate::wire::thrift::{FieldHeader, Reader, TType};

/// Decodes one `resultBatch` (a Thrift Binary `Chunk`) into a columnar [`Chunk`].
///
/// The caller handles an empty `resultBatch` (end of results) before calling this, and checks
/// the vector count against the metadata with [`Chunk::check_columns`]. Bytes after the chunk's
/// stop byte are ignored. Fails with [`WireError::Unsupported`] for `TIMESTAMP`/`INT96` vectors
/// and [`WireError::Malformed`] / [`WireError::Truncated`] for anything that breaks spec §7.2.
pub fn decode_chunk(bytes: &[u8]) -> Result<Chunk, WireError> {
    let mut reader = Reader::new(bytes);
    let mut size = None;
    let mut vectors = Vec::new();
    while let Some(field) = reader.read_field_header()? {
        match field.id {
            schema::CHUNK_SIZE => {
                expect(field, TType::I32, "Chunk.size")?;
                size = Some((field.offset, reader.read_i32()?));
            }
            schema::CHUNK_VECTORS => {
                expect(field, TType::List, "Chunk.vectors")?;
                let count = reader.read_list_of(TType::Struct)?;
                vectors = Vec::with_capacity(count);
                for index in 0..count {
                    vectors.push(read_vector(&mut reader, index)?);
                }
            }
            _ => reader.skip(field.ttype)?,
        }
    }
    let (size_offset, size) =
        size.ok_or_else(|| WireError::malformed(0, "the chunk has no size (Chunk field 1)"))?;
    let rows = usize::try_from(size).map_err(|_| {
        WireError::malformed(size_offset, format!("the chunk size {size} is negative"))
    })?;
    let mut columns = Vec::with_capacity(vectors.len());
    for (index, vector) in vectors.into_iter().enumerate() {
        if vector.rows != rows {
            return Err(WireError::malformed(
                vector.offset,
                format!(
                    "vector {index} has {} rows but the chunk has {rows}",
                    vector.rows
                ),
            ));
        }
        columns.push(vector.column);
    }
    Ok(Chunk { rows, columns })
}

/// A decoded vector with its own row count (checked against the chunk's afterwards).
struct DecodedVector {
    offset: usize,
    rows: usize,
    column: Column,
}

/// Fails unless `field` has the wire type `expected`.
fn expect(field: FieldHeader, expected: TType, name: &str) -> Result<(), WireError> {
    if field.ttype == expected {
        Ok(())
    } else {
        Err(WireError::malformed(
            field.offset,
            format!(
                "{name} (field {}) has Thrift type {} instead of {expected}",
                field.id, field.ttype
            ),
        ))
    }
}

/// The fields of one `Vector` struct, as read.
struct RawVector<'a> {
    offset: usize,
    index: usize,
    size: Option<i32>,
    vector_type: Option<(usize, i32)>,
    nulls: Option<Vec<bool>>,
    data: Option<RawData<'a>>,
    constant: bool,
}

fn read_vector(reader: &mut Reader<'_>, index: usize) -> Result<DecodedVector, WireError> {
    let mut raw = RawVector {
        offset: reader.position(),
        index,
        size: None,
        vector_type: None,
        nulls: None,
        data: None,
        constant: false,
    };
    while let Some(field) = reader.read_field_header()? {
        match field.id {
            schema::VECTOR_SIZE => {
                expect(field, TType::I32, "Vector.size")?;
                raw.size = Some(reader.read_i32()?);
            }
            schema::VECTOR_TYPE => {
                expect(field, TType::I32, "Vector.vectorType")?;
                raw.vector_type = Some((field.offset, reader.read_i32()?));
            }
            schema::VECTOR_NULL_SET => {
                expect(field, TType::List, "Vector.nullSet")?;
                let count = reader.read_list_of(TType::Bool)?;
                raw.nulls = Some(reader.bool_elements(count)?);
            }
            schema::VECTOR_DATA => {
                expect(field, TType::Struct, "Vector.data")?;
                raw.data = read_data(reader)?;
            }
            schema::VECTOR_IS_CONSTANT => {
                expect(field, TType::Bool, "Vector.isConstantVector")?;
                raw.constant = reader.read_bool()?;
            }
            _ => reader.skip(field.ttype)?,
        }
    }
    raw.into_decoded()
}

/// The payload of a `Data` member as read, before it is matched with the vector type.
enum Payload<'a> {
    Bools(Vec<bool>),
    Ints(Vec<i32>),
    Longs(Vec<i64>),
    Doubles(Vec<f64>),
    Strings {
        offsets: Vec<u32>,
        data: Vec<u8>,
    },
    Times {
        micros: Vec<i64>,
        zones: Option<Vec<&'a str>>,
    },
    Decimals {
        unscaled: Vec<i128>,
        scale: Option<i32>,
    },
    Bool(Option<bool>),
    Long(Option<i64>),
    Double(Option<f64>),
    String(Option<&'a [u8]>),
    Time {
        micros: Option<i64>,
        zone: Option<&'a str>,
    },
    Decimal {
        unscaled: Option<i128>,
        scale: Option<i32>,
    },
    /// `nullConstantData` / `temporalIntervalConstantData`: never read.
    Ignored,
}

/// The one member of a `Data` union.
struct RawData<'a> {
    offset: usize,
    member: Member,
    payload: Payload<'a>,
}

fn read_data<'a>(reader: &mut Reader<'a>) -> Result<Option<RawData<'a>>, WireError> {
    let mut found: Option<RawData<'a>> = None;
    while let Some(field) = reader.read_field_header()? {
        let Some(member) = Member::from_id(field.id) else {
            reader.skip(field.ttype)?;
            continue;
        };
        expect(field, TType::Struct, member.name())?;
        let payload = read_member(reader, member)?;
        if let Some(first) = &found {
            return Err(WireError::malformed(
                field.offset,
                format!(
                    "the Data union has two members set ({} and {})",
                    first.member.name(),
                    member.name()
                ),
            ));
        }
        found = Some(RawData {
            offset: field.offset,
            member,
            payload,
        });
    }
    Ok(found)
}

fn empty_payload<'a>(member: Member) -> Payload<'a> {
    match member {
        Member::Bool => Payload::Bools(Vec::new()),
        Member::Int32 => Payload::Ints(Vec::new()),
        Member::Int64 | Member::Date => Payload::Longs(Vec::new()),
        Member::Float32 | Member::Float64 => Payload::Doubles(Vec::new()),
        Member::Varchar => Payload::Strings {
            offsets: vec![0],
            data: Vec::new(),
        },
        Member::Time => Payload::Times {
            micros: Vec::new(),
            zones: None,
        },
        Member::Decimal128 => Payload::Decimals {
            unscaled: Vec::new(),
            scale: None,
        },
        Member::BoolConstant => Payload::Bool(None),
        Member::DateConstant | Member::NumericConstant => Payload::Long(None),
        Member::NumericDecimalConstant => Payload::Double(None),
        Member::VarcharConstant => Payload::String(None),
        Member::TimeConstant => Payload::Time {
            micros: None,
            zone: None,
        },
        Member::NumericDecimal128Constant => Payload::Decimal {
            unscaled: None,
            scale: None,
        },
        Member::NullConstant | Member::TemporalIntervalConstant => Payload::Ignored,
    }
}

/// Reads a member struct's fields into its payload; unknown fields are skipped.
fn read_member<'a>(reader: &mut Reader<'a>, member: Member) -> Result<Payload<'a>, WireError> {
    let mut payload = empty_payload(member);
    while let Some(field) = reader.read_field_header()? {
        let name = member.name();
        match (&mut payload, field.id) {
            (Payload::Bools(values), schema::MEMBER_DATA) => {
                let count = list_of(reader, field, TType::Bool, name)?;
                *values = reader.bool_elements(count)?;
            }
            (Payload::Ints(values), schema::MEMBER_DATA) => {
                let count = list_of(reader, field, TType::I32, name)?;
                *values = reader.i32_elements(count)?;
            }
            (
                Payload::Longs(values) | Payload::Times { micros: values, .. },
                schema::MEMBER_DATA,
            ) => {
                let count = list_of(reader, field, TType::I64, name)?;
                *values = reader.i64_elements(count)?;
            }
            (Payload::Doubles(values), schema::MEMBER_DATA) => {
                let count = list_of(reader, field, TType::Double, name)?;
                *values = reader.f64_elements(count)?;
            }
            (Payload::Strings { offsets, data }, schema::MEMBER_DATA) => {
                let count = list_of(reader, field, TType::Binary, name)?;
                (*offsets, *data) = reader.binary_elements(count)?;
            }
            (Payload::Times { zones, .. }, schema::MEMBER_ZONE) => {
                let count = list_of(reader, field, TType::Binary, "timeData.zoneData")?;
                *zones = Some(reader.map_binary_elements(count, zone_text)?);
            }
            (Payload::Decimals { unscaled, .. }, schema::MEMBER_DATA) => {
                let count = list_of(reader, field, TType::Binary, name)?;
                *unscaled = reader.map_binary_elements(count, unscaled_value)?;
            }
            (
                Payload::Decimals { scale, .. } | Payload::Decimal { scale, .. },
                schema::MEMBER_SCALE,
            ) => {
                expect(field, TType::I32, "the DECIMAL128 scale")?;
                *scale = Some(checked_scale(reader)?);
            }
            (Payload::Bool(value), schema::MEMBER_DATA) => {
                expect(field, TType::Bool, name)?;
                *value = Some(reader.read_bool()?);
            }
            (Payload::Long(value) | Payload::Time { micros: value, .. }, schema::MEMBER_DATA) => {
                expect(field, TType::I64, name)?;
                *value = Some(reader.read_i64()?);
            }
            (Payload::Double(value), schema::MEMBER_DATA) => {
                expect(field, TType::Double, name)?;
                *value = Some(reader.read_double()?);
            }
            (Payload::String(value), schema::MEMBER_DATA) => {
                expect(field, TType::Binary, name)?;
                *value = Some(reader.read_binary()?);
            }
            (Payload::Time { zone, .. }, schema::MEMBER_ZONE) => {
                expect(field, TType::Binary, "timeConstantData.zoneData")?;
                let offset = reader.position();
                *zone = Some(zone_text(reader.read_binary()?, offset)?);
            }
            (Payload::Decimal { unscaled, .. }, schema::MEMBER_DATA) => {
                expect(field, TType::Binary, name)?;
                let offset = reader.position();
                *unscaled = Some(unscaled_value(reader.read_binary()?, offset)?);
            }
            _ => reader.skip(field.ttype)?,
        }
    }
    Ok(payload)
}

/// A list field's element count, after checking the field and element types.
fn list_of(
    reader: &mut Reader<'_>,
    field: FieldHeader,
    elem: TType,
    name: &str,
) -> Result<usize, WireError> {
    expect(field, TType::List, name)?;
    reader.read_list_of(elem)
}

/// A zone name: UTF-8 text.
fn zone_text(bytes: &[u8], offset: usize) -> Result<&str, WireError> {
    std::str::from_utf8(bytes)
        .map_err(|_| WireError::malformed(offset, "a TIMESTAMP_TZ zone name is not UTF-8"))
}

/// A DECIMAL128 unscaled value: up to 16 big-endian two's complement bytes.
fn unscaled_value(bytes: &[u8], offset: usize) -> Result<i128, WireError> {
    decimal::unscaled_from_be_bytes(bytes).ok_or_else(|| {
        WireError::malformed(
            offset,
            format!(
                "a DECIMAL128 value has {} bytes; at most 16 are allowed",
                bytes.len()
            ),
        )
    })
}

/// A DECIMAL128 scale, within the accepted range.
fn checked_scale(reader: &mut Reader<'_>) -> Result<i32, WireError> {
    let offset = reader.position();
    let scale = reader.read_i32()?;
    if decimal::scale_in_range(scale) {
        Ok(scale)
    } else {
        Err(WireError::malformed(
            offset,
            format!(
                "DECIMAL128 scale {scale} is outside ±{}",
                decimal::MAX_SCALE_MAGNITUDE
            ),
        ))
    }
}

impl RawVector<'_> {
    fn malformed(&self, what: impl std::fmt::Display) -> WireError {
        WireError::malformed(self.offset, format!("vector {}: {what}", self.index))
    }

    fn into_decoded(self) -> Result<DecodedVector, WireError> {
        let size = self
            .size
            .ok_or_else(|| self.malformed("no size (Vector field 1)"))?;
        let rows = usize::try_from(size)
            .map_err(|_| self.malformed(format!("the size {size} is negative")))?;
        let (type_offset, code) = self
            .vector_type
            .ok_or_else(|| self.malformed("no vectorType (Vector field 2)"))?;
        let vector_type = VectorType::from_code(code).ok_or_else(|| {
            WireError::malformed(
                type_offset,
                format!("vector {}: unknown vectorType {code}", self.index),
            )
        })?;
        if matches!(vector_type, VectorType::Timestamp | VectorType::Int96) {
            return Err(WireError::Unsupported {
                offset: type_offset,
                reason: format!(
                    "vector {} has type {vector_type} ({code}), which no e6data client reads; \
                     the server must send DATETIME or TIMESTAMP_TZ instead",
                    self.index
                ),
            });
        }
        let offset = self.offset;
        let column = if vector_type == VectorType::Null {
            Column::null()
        } else {
            self.into_column(vector_type, rows)?
        };
        Ok(DecodedVector {
            offset,
            rows,
            column,
        })
    }

    fn into_column(mut self, vector_type: VectorType, rows: usize) -> Result<Column, WireError> {
        let nulls = self
            .nulls
            .take()
            .ok_or_else(|| self.malformed(format!("the {vector_type} vector has no nullSet")))?;
        let Some(data) = self.data.take() else {
            if rows > 0 {
                return Err(self.malformed(format!("the {vector_type} vector has no data")));
            }
            let values = ColumnValues::empty_for(vector_type)
                .ok_or_else(|| self.malformed(format!("{vector_type} has no representation")))?;
            return Ok(Column {
                vector_type,
                constant: false,
                nulls: Vec::new(),
                values,
            });
        };
        let constant = self.constant;
        let expected = Member::for_vector(vector_type, constant);
        if expected != Some(data.member) {
            let kind = if constant { "constant" } else { "non-constant" };
            let wanted = expected.map_or("nothing", Member::name);
            return Err(WireError::malformed(
                data.offset,
                format!(
                    "vector {}: a {kind} {vector_type} vector carries {}; expected {wanted}",
                    self.index,
                    data.member.name()
                ),
            ));
        }
        if constant {
            let is_null = *nulls
                .first()
                .ok_or_else(|| self.malformed("a constant vector has an empty nullSet"))?;
            let values = constant_values(vector_type, is_null, data.payload)
                .map_err(|what| self.malformed(what))?;
            Ok(Column {
                vector_type,
                constant,
                nulls: vec![is_null],
                values,
            })
        } else {
            if nulls.len() != rows {
                return Err(self.malformed(format!(
                    "the nullSet has {} entries for {rows} rows",
                    nulls.len()
                )));
            }
            let values =
                list_values(vector_type, data.payload).map_err(|what| self.malformed(what))?;
            if values.len() != rows {
                return Err(self.malformed(format!(
                    "{} has {} values for {rows} rows",
                    data.member.name(),
                    values.len()
                )));
            }
            Ok(Column {
                vector_type,
                constant,
                nulls,
                values,
            })
        }
    }
}

/// The values of a non-constant vector whose member has been checked against its type. Errors
/// are descriptions, placed by the caller.
fn list_values(vector_type: VectorType, payload: Payload<'_>) -> Result<ColumnValues, String> {
    Ok(match payload {
        Payload::Bools(values) => ColumnValues::Bool(values),
        Payload::Ints(values) => ColumnValues::Int32(values),
        Payload::Longs(values) if vector_type == VectorType::Date => ColumnValues::Date(values),
        Payload::Longs(values) => ColumnValues::Int64(values),
        Payload::Doubles(values) => ColumnValues::Float64(values),
        Payload::Strings { offsets, data } => ColumnValues::Bytes { offsets, data },
        Payload::Times { micros, zones } => {
            let zones = match (vector_type, zones) {
                (VectorType::TimestampTz, Some(zones)) => {
                    if zones.len() != micros.len() {
                        return Err(format!(
                            "timeData has {} zones for {} values",
                            zones.len(),
                            micros.len()
                        ));
                    }
                    Some(zones.into_iter().map(str::to_owned).collect())
                }
                _ => None,
            };
            ColumnValues::Time { micros, zones }
        }
        Payload::Decimals { unscaled, scale } => ColumnValues::Decimal {
            unscaled,
            scale: scale.unwrap_or(0),
        },
        _ => return Err(format!("a {vector_type} vector carries a constant member")),
    })
}

/// The one value of a constant vector. Errors are descriptions, placed by the caller.
fn constant_values(
    vector_type: VectorType,
    is_null: bool,
    payload: Payload<'_>,
) -> Result<ColumnValues, String> {
    Ok(match payload {
        Payload::Bool(v) => ColumnValues::Bool(vec![constant_value(v, is_null, vector_type)?]),
        Payload::Long(v) if vector_type == VectorType::Integer => {
            let wide = constant_value(v, is_null, vector_type)?;
            let narrow = match i32::try_from(wide) {
                Ok(narrow) => narrow,
                Err(_) if is_null => 0,
                Err(_) => {
                    return Err(format!(
                        "the constant INTEGER value {wide} does not fit in 32 bits"
                    ));
                }
            };
            ColumnValues::Int32(vec![narrow])
        }
        Payload::Long(v) if vector_type == VectorType::Date => {
            ColumnValues::Date(vec![constant_value(v, is_null, vector_type)?])
        }
        Payload::Long(v) => ColumnValues::Int64(vec![constant_value(v, is_null, vector_type)?]),
        Payload::Double(v) => ColumnValues::Float64(vec![constant_value(v, is_null, vector_type)?]),
        Payload::String(v) => {
            let bytes = constant_value(v, is_null, vector_type)?;
            ColumnValues::from_byte_values([bytes]).map_err(|e| e.to_string())?
        }
        Payload::Time { micros, zone } => ColumnValues::Time {
            micros: vec![constant_value(micros, is_null, vector_type)?],
            zones: match (vector_type, zone) {
                (VectorType::TimestampTz, Some(zone)) => Some(vec![zone.to_owned()]),
                _ => None,
            },
        },
        Payload::Decimal { unscaled, scale } => ColumnValues::Decimal {
            unscaled: vec![constant_value(unscaled, is_null, vector_type)?],
            scale: scale.unwrap_or(0),
        },
        _ => {
            return Err(format!(
                "a constant {vector_type} vector carries a list member"
            ));
        }
    })
}

/// A constant member's value; a default placeholder when the member holds none and the constant
/// is NULL anyway.
fn constant_value<T: Default>(
    value: Option<T>,
    is_null: bool,
    vector_type: VectorType,
) -> Result<T, String> {
    match value {
        Some(value) => Ok(value),
        None if is_null => Ok(T::default()),
        None => Err(format!("the constant {vector_type} vector has no value")),
    }
}
