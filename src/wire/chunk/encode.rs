//! [`Chunk`] → Thrift Binary `Chunk`, field for field as the reference encoder writes it (spec
//! §7.4): `size`, `vectors`; per vector `size`, `vectorType`, `nullSet`, `data`,
//! `isConstantVector`. `NULL` columns become constant vectors with `nullSet=[true]` and
//! `nullConstantData{0}`.

use super::schema::{self, Member};
use super::{Chunk, Column, ColumnValues, VectorType};
use crate::wire::WireError;
use crate::wire::decimal;
use crate::wire::thrift::{TType, Writer};

/// Encodes `chunk` as one `resultBatch`. Fails when the chunk is invalid ([`Chunk::validate`])
/// or exceeds a Thrift limit (more than `i32::MAX` rows, values or bytes in one list or value).
pub fn encode_chunk(chunk: &Chunk) -> Result<Vec<u8>, WireError> {
    chunk.validate()?;
    let rows = i32::try_from(chunk.rows).map_err(|_| {
        WireError::inconsistent(format!(
            "a chunk of {} rows exceeds the format's limit of {}",
            chunk.rows,
            i32::MAX
        ))
    })?;
    let capacity = 16 + chunk.columns.iter().map(encoded_size_hint).sum::<usize>();
    let mut writer = Writer::with_capacity(capacity);
    writer.field_header(TType::I32, schema::CHUNK_SIZE);
    writer.write_i32(rows);
    writer.field_header(TType::List, schema::CHUNK_VECTORS);
    writer.list_header(TType::Struct, chunk.columns.len())?;
    for column in &chunk.columns {
        write_vector(&mut writer, column, rows)?;
    }
    writer.stop();
    Ok(writer.into_bytes())
}

/// Roughly the encoded size of a column, to size the output buffer once.
fn encoded_size_hint(column: &Column) -> usize {
    let n = column.values.len();
    let values = match &column.values {
        ColumnValues::Bool(_) => n,
        ColumnValues::Int32(_) => 4 * n,
        ColumnValues::Int64(_) | ColumnValues::Float64(_) | ColumnValues::Date(_) => 8 * n,
        ColumnValues::Time { zones, .. } => {
            8 * n
                + zones
                    .as_ref()
                    .map_or(0, |z| z.iter().map(|z| 4 + z.len()).sum())
        }
        ColumnValues::Decimal { .. } => 20 * n,
        ColumnValues::Bytes { data, .. } => 4 * n + data.len(),
        ColumnValues::Null => 0,
    };
    48 + column.nulls.len() + values
}

fn write_vector(writer: &mut Writer, column: &Column, rows: i32) -> Result<(), WireError> {
    let vector_type = column.vector_type;
    let null_vector = vector_type == VectorType::Null;
    let constant = column.constant || null_vector;
    writer.field_header(TType::I32, schema::VECTOR_SIZE);
    writer.write_i32(rows);
    writer.field_header(TType::I32, schema::VECTOR_TYPE);
    writer.write_i32(vector_type.code());
    writer.field_header(TType::List, schema::VECTOR_NULL_SET);
    writer.bool_list(if null_vector { &[true] } else { &column.nulls })?;
    writer.field_header(TType::Struct, schema::VECTOR_DATA);
    let member = Member::for_vector(vector_type, constant).ok_or_else(|| {
        WireError::inconsistent(format!("{vector_type} vectors cannot be encoded"))
    })?;
    writer.field_header(TType::Struct, member.id());
    if constant {
        write_constant(writer, &column.values)?;
    } else {
        write_list(writer, vector_type, &column.values)?;
    }
    writer.stop(); // member struct
    writer.stop(); // Data union
    writer.field_header(TType::Bool, schema::VECTOR_IS_CONSTANT);
    writer.write_bool(constant);
    writer.stop();
    Ok(())
}

/// The fields of a list member (`int64Data`, `timeData`, ...).
fn write_list(
    writer: &mut Writer,
    vector_type: VectorType,
    values: &ColumnValues,
) -> Result<(), WireError> {
    writer.field_header(TType::List, schema::MEMBER_DATA);
    match values {
        ColumnValues::Bool(v) => writer.bool_list(v),
        ColumnValues::Int32(v) => writer.i32_list(v),
        ColumnValues::Int64(v) | ColumnValues::Date(v) => writer.i64_list(v),
        ColumnValues::Float64(v) => writer.f64_list(v),
        ColumnValues::Time { micros, zones } => {
            writer.i64_list(micros)?;
            match zones {
                Some(zones) if vector_type == VectorType::TimestampTz => {
                    writer.field_header(TType::List, schema::MEMBER_ZONE);
                    writer.binary_list(zones.len(), zones.iter().map(String::as_bytes))
                }
                _ => Ok(()),
            }
        }
        ColumnValues::Decimal { unscaled, scale } => {
            writer.list_header(TType::Binary, unscaled.len())?;
            for &value in unscaled {
                writer.write_binary(&decimal::unscaled_to_be_bytes(value))?;
            }
            writer.field_header(TType::I32, schema::MEMBER_SCALE);
            writer.write_i32(*scale);
            Ok(())
        }
        ColumnValues::Bytes { offsets, data } => {
            let count = offsets.len().saturating_sub(1);
            let mut values = Vec::with_capacity(count);
            for (&start, &end) in offsets.iter().zip(offsets.iter().skip(1)) {
                values.push(data.get(start as usize..end as usize).ok_or_else(|| {
                    WireError::inconsistent("Bytes offsets point outside the data")
                })?);
            }
            writer.binary_list(count, values)
        }
        ColumnValues::Null => Err(WireError::inconsistent(
            "a NULL column cannot be encoded as a list",
        )),
    }
}

/// The fields of a constant member (`numericConstantData`, `timeConstantData`, ...).
fn write_constant(writer: &mut Writer, values: &ColumnValues) -> Result<(), WireError> {
    let missing = || WireError::inconsistent("a constant column has no value");
    match values {
        ColumnValues::Bool(v) => {
            writer.field_header(TType::Bool, schema::MEMBER_DATA);
            writer.write_bool(*v.first().ok_or_else(missing)?);
        }
        ColumnValues::Int32(v) => {
            writer.field_header(TType::I64, schema::MEMBER_DATA);
            writer.write_i64(i64::from(*v.first().ok_or_else(missing)?));
        }
        ColumnValues::Int64(v) | ColumnValues::Date(v) => {
            writer.field_header(TType::I64, schema::MEMBER_DATA);
            writer.write_i64(*v.first().ok_or_else(missing)?);
        }
        ColumnValues::Float64(v) => {
            writer.field_header(TType::Double, schema::MEMBER_DATA);
            writer.write_double(*v.first().ok_or_else(missing)?);
        }
        ColumnValues::Time { micros, zones } => {
            writer.field_header(TType::I64, schema::MEMBER_DATA);
            writer.write_i64(*micros.first().ok_or_else(missing)?);
            if let Some(zone) = zones.as_ref().and_then(|z| z.first()) {
                writer.field_header(TType::Binary, schema::MEMBER_ZONE);
                writer.write_binary(zone.as_bytes())?;
            }
        }
        ColumnValues::Decimal { unscaled, scale } => {
            writer.field_header(TType::Binary, schema::MEMBER_DATA);
            let value = *unscaled.first().ok_or_else(missing)?;
            writer.write_binary(&decimal::unscaled_to_be_bytes(value))?;
            writer.field_header(TType::I32, schema::MEMBER_SCALE);
            writer.write_i32(*scale);
        }
        ColumnValues::Bytes { offsets, data } => {
            let start = *offsets.first().ok_or_else(missing)? as usize;
            let end = *offsets.get(1).ok_or_else(missing)? as usize;
            let value = data.get(start..end).ok_or_else(missing)?;
            writer.field_header(TType::Binary, schema::MEMBER_DATA);
            writer.write_binary(value)?;
        }
        ColumnValues::Null => {
            writer.field_header(TType::Byte, schema::MEMBER_DATA);
            writer.write_byte(0);
        }
    }
    Ok(())
}
