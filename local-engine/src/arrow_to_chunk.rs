//! Arrow record batches to wire [`Chunk`]s (spec §7.2-7.3), column by column, following the
//! type mapping of [`crate::types::vector_type`].
//!
//! Every non-NULL vector is non-constant with one null flag and one value per row (placeholders
//! at NULL rows). Temporal values become epoch microseconds; nested values and types without a
//! wire form become their Arrow text rendering.

use datafusion::arrow::array::{Array, ArrayRef, AsArray, RecordBatch};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{
    DataType, Date32Type, Date64Type, Decimal128Type, DurationMicrosecondType,
    DurationMillisecondType, DurationNanosecondType, DurationSecondType, Float64Type, Int32Type,
    Int64Type, IntervalDayTimeType, IntervalMonthDayNanoType, IntervalUnit, Time32MillisecondType,
    Time32SecondType, Time64MicrosecondType, Time64NanosecondType, TimeUnit,
    TimestampMicrosecondType, TimestampMillisecondType, TimestampNanosecondType,
    TimestampSecondType, UInt64Type,
};
use datafusion::arrow::util::display::{ArrayFormatter, FormatOptions};
use e6data_odbc::wire::{Chunk, Column, ColumnValues, VectorType};

use crate::types::vector_type;

const MICROS_PER_SECOND: i64 = 1_000_000;
const MICROS_PER_DAY: i64 = 86_400 * MICROS_PER_SECOND;
const MILLIS_PER_DAY: i64 = 86_400_000;

/// A value that the wire format cannot carry.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cannot send column {column:?} to the client: {reason}")]
pub struct ConvertError {
    /// Name of the offending column.
    pub column: String,
    /// What went wrong.
    pub reason: String,
}

/// Converts one record batch into a chunk with one column per batch column.
pub fn batch_to_chunk(batch: &RecordBatch) -> Result<Chunk, ConvertError> {
    let schema = batch.schema();
    let columns = batch
        .columns()
        .iter()
        .zip(schema.fields().iter())
        .map(|(array, field)| {
            array_to_column(array.as_ref()).map_err(|reason| ConvertError {
                column: field.name().clone(),
                reason,
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Chunk {
        rows: batch.num_rows(),
        columns,
    })
}

/// Converts one Arrow array into a wire column; the error says why a value cannot be sent.
pub fn array_to_column(array: &dyn Array) -> Result<Column, String> {
    let vt = vector_type(array.data_type());
    if let DataType::Dictionary(_, value_type) = array.data_type() {
        let plain = cast_to(array, value_type)?;
        return array_to_column(plain.as_ref());
    }
    if vt == VectorType::Null {
        return Ok(Column::null());
    }
    let values = match vt {
        VectorType::Boolean => {
            let a = array.as_boolean();
            ColumnValues::Bool((0..a.len()).map(|i| a.value(i)).collect())
        }
        VectorType::Integer => ColumnValues::Int32(
            cast_to(array, &DataType::Int32)?
                .as_primitive::<Int32Type>()
                .values()
                .to_vec(),
        ),
        VectorType::Long => ColumnValues::Int64(
            cast_to(array, &DataType::Int64)?
                .as_primitive::<Int64Type>()
                .values()
                .to_vec(),
        ),
        VectorType::Float | VectorType::Double => ColumnValues::Float64(
            cast_to(array, &DataType::Float64)?
                .as_primitive::<Float64Type>()
                .values()
                .to_vec(),
        ),
        VectorType::Decimal128 => decimal_values(array)?,
        VectorType::String => text_values(array)?,
        VectorType::Binary => binary_values(array)?,
        VectorType::Date => ColumnValues::Date(date_micros(array)?),
        VectorType::DateTime | VectorType::TimestampTz => timestamp_values(array)?,
        VectorType::Array | VectorType::Map | VectorType::Struct => rendered(array)?,
        VectorType::IntervalDaySecond => ColumnValues::Int64(interval_micros(array)?),
        VectorType::Null | VectorType::Int96 | VectorType::Timestamp => {
            return Err(format!(
                "internal mapping error: {:?} is never produced",
                vt
            ));
        }
    };
    let nulls = (0..array.len()).map(|i| array.is_null(i)).collect();
    Column::new(vt, nulls, values).map_err(|e| format!("internal conversion error: {e}"))
}

fn cast_to(array: &dyn Array, to: &DataType) -> Result<ArrayRef, String> {
    cast(array, to).map_err(|e| format!("cannot convert {} to {to}: {e}", array.data_type()))
}

fn decimal_values(array: &dyn Array) -> Result<ColumnValues, String> {
    match array.data_type() {
        DataType::UInt64 => Ok(ColumnValues::Decimal {
            unscaled: array
                .as_primitive::<UInt64Type>()
                .values()
                .iter()
                .map(|v| i128::from(*v))
                .collect(),
            scale: 0,
        }),
        DataType::Decimal32(p, s)
        | DataType::Decimal64(p, s)
        | DataType::Decimal128(p, s)
        | DataType::Decimal256(p, s) => {
            let wide = cast_to(array, &DataType::Decimal128(*p, *s))?;
            Ok(ColumnValues::Decimal {
                unscaled: wide.as_primitive::<Decimal128Type>().values().to_vec(),
                scale: i32::from(*s),
            })
        }
        other => Err(format!("{other} is not a decimal type")),
    }
}

/// Collects per-row byte strings (empty at NULL rows) into the wire's offsets + data layout.
fn bytes_values<'a>(
    len: usize,
    value: impl Fn(usize) -> Option<&'a [u8]>,
) -> Result<ColumnValues, String> {
    ColumnValues::from_byte_values((0..len).map(|i| value(i).unwrap_or_default()))
        .map_err(|e| format!("{e}; lower --batch-rows"))
}

fn text_values(array: &dyn Array) -> Result<ColumnValues, String> {
    match array.data_type() {
        DataType::Utf8 => {
            let a = array.as_string::<i32>();
            bytes_values(a.len(), |i| a.is_valid(i).then(|| a.value(i).as_bytes()))
        }
        DataType::LargeUtf8 => {
            let a = array.as_string::<i64>();
            bytes_values(a.len(), |i| a.is_valid(i).then(|| a.value(i).as_bytes()))
        }
        DataType::Utf8View => {
            let a = array.as_string_view();
            bytes_values(a.len(), |i| a.is_valid(i).then(|| a.value(i).as_bytes()))
        }
        DataType::Time32(_) | DataType::Time64(_) => time_text(array),
        _ => rendered(array),
    }
}

fn binary_values(array: &dyn Array) -> Result<ColumnValues, String> {
    match array.data_type() {
        DataType::Binary => {
            let a = array.as_binary::<i32>();
            bytes_values(a.len(), |i| a.is_valid(i).then(|| a.value(i)))
        }
        DataType::LargeBinary => {
            let a = array.as_binary::<i64>();
            bytes_values(a.len(), |i| a.is_valid(i).then(|| a.value(i)))
        }
        DataType::BinaryView => {
            let a = array.as_binary_view();
            bytes_values(a.len(), |i| a.is_valid(i).then(|| a.value(i)))
        }
        DataType::FixedSizeBinary(_) => {
            let a = array.as_fixed_size_binary();
            bytes_values(a.len(), |i| a.is_valid(i).then(|| a.value(i)))
        }
        other => Err(format!("{other} is not a binary type")),
    }
}

/// The Arrow text rendering of every row (nested values, and types without a wire form).
fn rendered(array: &dyn Array) -> Result<ColumnValues, String> {
    let options = FormatOptions::new().with_null("null");
    let formatter = ArrayFormatter::try_new(array, &options)
        .map_err(|e| format!("cannot render {} as text: {e}", array.data_type()))?;
    let mut texts = Vec::with_capacity(array.len());
    for i in 0..array.len() {
        texts.push(if array.is_valid(i) {
            formatter
                .value(i)
                .try_to_string()
                .map_err(|e| format!("cannot render a {} value: {e}", array.data_type()))?
        } else {
            String::new()
        });
    }
    bytes_values(texts.len(), |i| texts.get(i).map(|t| t.as_bytes()))
}

/// `HH:MM:SS`, with `.ffffff` when there is a fraction (nanoseconds are truncated).
fn time_text(array: &dyn Array) -> Result<ColumnValues, String> {
    let micros: Vec<i64> = match array.data_type() {
        DataType::Time32(TimeUnit::Second) => array
            .as_primitive::<Time32SecondType>()
            .values()
            .iter()
            .map(|v| i64::from(*v) * MICROS_PER_SECOND)
            .collect(),
        DataType::Time32(_) => array
            .as_primitive::<Time32MillisecondType>()
            .values()
            .iter()
            .map(|v| i64::from(*v) * 1000)
            .collect(),
        DataType::Time64(TimeUnit::Nanosecond) => array
            .as_primitive::<Time64NanosecondType>()
            .values()
            .iter()
            .map(|v| v.div_euclid(1000))
            .collect(),
        DataType::Time64(_) => array
            .as_primitive::<Time64MicrosecondType>()
            .values()
            .to_vec(),
        other => return Err(format!("{other} is not a time of day")),
    };
    let texts: Vec<String> = micros.iter().map(|m| format_time_of_day(*m)).collect();
    bytes_values(texts.len(), |i| texts.get(i).map(|t| t.as_bytes()))
}

/// Renders microseconds since midnight as `HH:MM:SS[.ffffff]`.
pub fn format_time_of_day(micros: i64) -> String {
    let micros = micros.rem_euclid(MICROS_PER_DAY);
    let secs = micros / MICROS_PER_SECOND;
    let frac = micros % MICROS_PER_SECOND;
    let (h, m, s) = (secs / 3600, secs / 60 % 60, secs % 60);
    if frac == 0 {
        format!("{h:02}:{m:02}:{s:02}")
    } else {
        format!("{h:02}:{m:02}:{s:02}.{frac:06}")
    }
}

fn overflow(what: &str) -> String {
    format!("a {what} value is outside the range of epoch microseconds (about ±292,000 years)")
}

fn date_micros(array: &dyn Array) -> Result<Vec<i64>, String> {
    let days: Vec<i64> = match array.data_type() {
        DataType::Date32 => array
            .as_primitive::<Date32Type>()
            .values()
            .iter()
            .map(|d| i64::from(*d))
            .collect(),
        DataType::Date64 => array
            .as_primitive::<Date64Type>()
            .values()
            .iter()
            .map(|ms| ms.div_euclid(MILLIS_PER_DAY))
            .collect(),
        other => return Err(format!("{other} is not a date type")),
    };
    scale_up(&days, MICROS_PER_DAY, "DATE", |i| array.is_null(i))
}

fn timestamp_values(array: &dyn Array) -> Result<ColumnValues, String> {
    let DataType::Timestamp(unit, tz) = array.data_type() else {
        return Err(format!("{} is not a timestamp type", array.data_type()));
    };
    let nulls = |i: usize| array.is_null(i);
    let micros: Vec<i64> = match unit {
        TimeUnit::Second => scale_up(
            array.as_primitive::<TimestampSecondType>().values(),
            MICROS_PER_SECOND,
            "TIMESTAMP",
            nulls,
        )?,
        TimeUnit::Millisecond => scale_up(
            array.as_primitive::<TimestampMillisecondType>().values(),
            1000,
            "TIMESTAMP",
            nulls,
        )?,
        TimeUnit::Microsecond => array
            .as_primitive::<TimestampMicrosecondType>()
            .values()
            .to_vec(),
        TimeUnit::Nanosecond => array
            .as_primitive::<TimestampNanosecondType>()
            .values()
            .iter()
            .map(|v| v.div_euclid(1000))
            .collect(),
    };
    let zones = tz.as_ref().map(|tz| vec![wire_zone(tz); micros.len()]);
    Ok(ColumnValues::Time { micros, zones })
}

/// Multiplies non-null values by `factor`, failing on overflow.
fn scale_up(
    values: &[i64],
    factor: i64,
    what: &str,
    is_null: impl Fn(usize) -> bool,
) -> Result<Vec<i64>, String> {
    values
        .iter()
        .enumerate()
        .map(|(i, v)| {
            if is_null(i) {
                Ok(0)
            } else {
                v.checked_mul(factor).ok_or_else(|| overflow(what))
            }
        })
        .collect()
}

/// An Arrow timezone as a wire zone string: `Z`, `±HH:MM` or an IANA name (spec §7.3).
pub fn wire_zone(tz: &str) -> String {
    let bytes = tz.as_bytes();
    let signed = matches!(bytes.first(), Some(b'+' | b'-'));
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    match (signed, tz.get(1..)) {
        (true, Some(rest)) if rest.len() == 4 && digits(rest) => {
            format!("{}{}:{}", &tz[..1], &rest[..2], &rest[2..])
        }
        (true, Some(rest)) if rest.len() == 2 && digits(rest) => format!("{tz}:00"),
        _ => tz.to_owned(),
    }
}

fn interval_micros(array: &dyn Array) -> Result<Vec<i64>, String> {
    let n = array.len();
    let mut out = Vec::with_capacity(n);
    let too_big = || overflow("INTERVAL");
    match array.data_type() {
        DataType::Interval(IntervalUnit::DayTime) => {
            let a = array.as_primitive::<IntervalDayTimeType>();
            for (i, v) in a.values().iter().enumerate() {
                if a.is_null(i) {
                    out.push(0);
                    continue;
                }
                let days = i64::from(v.days)
                    .checked_mul(MICROS_PER_DAY)
                    .ok_or_else(too_big)?;
                out.push(days + i64::from(v.milliseconds) * 1000);
            }
        }
        DataType::Interval(IntervalUnit::MonthDayNano) => {
            let a = array.as_primitive::<IntervalMonthDayNanoType>();
            for (i, v) in a.values().iter().enumerate() {
                if a.is_null(i) {
                    out.push(0);
                    continue;
                }
                if v.months != 0 {
                    return Err("an interval with months has no day-second form; \
                         cast it to a string or express it in days"
                        .to_owned());
                }
                let days = i64::from(v.days)
                    .checked_mul(MICROS_PER_DAY)
                    .ok_or_else(too_big)?;
                out.push(
                    days.checked_add(v.nanoseconds.div_euclid(1000))
                        .ok_or_else(too_big)?,
                );
            }
        }
        DataType::Duration(TimeUnit::Second) => {
            out = scale_up(
                array.as_primitive::<DurationSecondType>().values(),
                MICROS_PER_SECOND,
                "INTERVAL",
                |i| array.is_null(i),
            )?;
        }
        DataType::Duration(TimeUnit::Millisecond) => {
            out = scale_up(
                array.as_primitive::<DurationMillisecondType>().values(),
                1000,
                "INTERVAL",
                |i| array.is_null(i),
            )?;
        }
        DataType::Duration(TimeUnit::Microsecond) => {
            out = array
                .as_primitive::<DurationMicrosecondType>()
                .values()
                .to_vec();
        }
        DataType::Duration(TimeUnit::Nanosecond) => {
            out = array
                .as_primitive::<DurationNanosecondType>()
                .values()
                .iter()
                .map(|v| v.div_euclid(1000))
                .collect();
        }
        other => return Err(format!("{other} is not a day-second interval")),
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use datafusion::arrow::array::{
        BinaryArray, BooleanArray, Date32Array, Decimal128Array, DictionaryArray,
        DurationMicrosecondArray, Float32Array, Int8Array, Int64Array, IntervalMonthDayNanoArray,
        ListArray, NullArray, StringArray, StringViewArray, StructArray, Time64MicrosecondArray,
        TimestampMicrosecondArray, TimestampNanosecondArray, UInt64Array,
    };
    use datafusion::arrow::datatypes::{Field, Int32Type, IntervalMonthDayNano, Schema};
    use std::sync::Arc;

    fn bytes(c: &Column) -> Vec<Vec<u8>> {
        let ColumnValues::Bytes { offsets, data } = &c.values else {
            panic!("not bytes: {c:?}");
        };
        offsets
            .windows(2)
            .map(|w| data[w[0] as usize..w[1] as usize].to_vec())
            .collect()
    }

    #[test]
    fn small_integers_widen_to_integer() {
        let c = array_to_column(&Int8Array::from(vec![Some(-128), None, Some(7)])).unwrap();
        assert_eq!(c.vector_type, VectorType::Integer);
        assert_eq!(c.nulls, vec![false, true, false]);
        let ColumnValues::Int32(v) = &c.values else {
            panic!()
        };
        assert_eq!((v[0], v[2], v.len()), (-128, 7, 3));
    }

    #[test]
    fn long_and_unsigned_64() {
        let c = array_to_column(&Int64Array::from(vec![i64::MIN, i64::MAX])).unwrap();
        assert_eq!(c.values, ColumnValues::Int64(vec![i64::MIN, i64::MAX]));
        let c = array_to_column(&UInt64Array::from(vec![u64::MAX])).unwrap();
        assert_eq!(c.vector_type, VectorType::Decimal128);
        assert_eq!(
            c.values,
            ColumnValues::Decimal {
                unscaled: vec![i128::from(u64::MAX)],
                scale: 0
            }
        );
    }

    #[test]
    fn float_is_sent_as_double() {
        let c = array_to_column(&Float32Array::from(vec![1.5f32])).unwrap();
        assert_eq!(c.vector_type, VectorType::Float);
        assert_eq!(c.values, ColumnValues::Float64(vec![1.5]));
    }

    #[test]
    fn booleans() {
        let c = array_to_column(&BooleanArray::from(vec![Some(true), None, Some(false)])).unwrap();
        assert_eq!(c.vector_type, VectorType::Boolean);
        assert_eq!(c.nulls, vec![false, true, false]);
        let ColumnValues::Bool(v) = &c.values else {
            panic!()
        };
        assert_eq!((v[0], v[2]), (true, false));
    }

    #[test]
    fn decimal_extremes_keep_unscaled_values_and_scale() {
        let max = 10i128.pow(38) - 1;
        let a = Decimal128Array::from(vec![Some(max), Some(-max), None])
            .with_precision_and_scale(38, 10)
            .unwrap();
        let c = array_to_column(&a).unwrap();
        assert_eq!(c.vector_type, VectorType::Decimal128);
        let ColumnValues::Decimal { unscaled, scale } = &c.values else {
            panic!()
        };
        assert_eq!((unscaled[0], unscaled[1], *scale), (max, -max, 10));
        assert!(c.nulls[2]);
    }

    #[test]
    fn strings_keep_empty_and_non_bmp_text() {
        let a = StringArray::from(vec![Some(""), None, Some("😀x")]);
        let c = array_to_column(&a).unwrap();
        assert_eq!(c.vector_type, VectorType::String);
        assert_eq!(
            bytes(&c),
            vec![b"".to_vec(), vec![], "😀x".as_bytes().to_vec()]
        );
        let c = array_to_column(&StringViewArray::from(vec!["a long string view value"])).unwrap();
        assert_eq!(bytes(&c), vec![b"a long string view value".to_vec()]);
    }

    #[test]
    fn binary_keeps_raw_bytes() {
        let a = BinaryArray::from(vec![Some(&[0xffu8, 0x00][..]), None]);
        let c = array_to_column(&a).unwrap();
        assert_eq!(c.vector_type, VectorType::Binary);
        assert_eq!(bytes(&c), vec![vec![0xff, 0x00], vec![]]);
    }

    #[test]
    fn dates_become_midnight_micros() {
        let a = Date32Array::from(vec![-1, 0, -719_162, 2_932_897]);
        let c = array_to_column(&a).unwrap();
        assert_eq!(c.vector_type, VectorType::Date);
        assert_eq!(
            c.values,
            ColumnValues::Date(vec![
                -86_400_000_000,
                0,
                -719_162 * MICROS_PER_DAY,
                2_932_897 * MICROS_PER_DAY
            ])
        );
        let huge = Date32Array::from(vec![i32::MAX]);
        assert!(
            array_to_column(&huge)
                .unwrap_err()
                .contains("outside the range")
        );
    }

    #[test]
    fn timestamps_become_micros_with_zones() {
        let a = TimestampNanosecondArray::from(vec![-1_500]);
        let c = array_to_column(&a).unwrap();
        assert_eq!(c.vector_type, VectorType::DateTime);
        assert_eq!(
            c.values,
            ColumnValues::Time {
                micros: vec![-2],
                zones: None
            }
        );
        let a = TimestampMicrosecondArray::from(vec![0, 1]).with_timezone("+0530");
        let c = array_to_column(&a).unwrap();
        assert_eq!(c.vector_type, VectorType::TimestampTz);
        assert_eq!(
            c.values,
            ColumnValues::Time {
                micros: vec![0, 1],
                zones: Some(vec!["+05:30".into(), "+05:30".into()])
            }
        );
    }

    #[test]
    fn zones_are_normalised() {
        assert_eq!(wire_zone("+0530"), "+05:30");
        assert_eq!(wire_zone("-08"), "-08:00");
        assert_eq!(wire_zone("+05:30"), "+05:30");
        assert_eq!(wire_zone("America/New_York"), "America/New_York");
        assert_eq!(wire_zone("UTC"), "UTC");
    }

    #[test]
    fn nested_values_are_rendered_as_text() {
        let list = ListArray::from_iter_primitive::<Int32Type, _, _>(vec![
            Some(vec![Some(1), Some(2)]),
            None,
            Some(vec![Some(3), None]),
        ]);
        let c = array_to_column(&list).unwrap();
        assert_eq!(c.vector_type, VectorType::Array);
        assert_eq!(
            bytes(&c),
            vec![b"[1, 2]".to_vec(), vec![], b"[3, null]".to_vec()]
        );
        let st = StructArray::from(vec![(
            Arc::new(Field::new("a", DataType::Int64, true)),
            Arc::new(Int64Array::from(vec![1])) as ArrayRef,
        )]);
        let c = array_to_column(&st).unwrap();
        assert_eq!(c.vector_type, VectorType::Struct);
        assert_eq!(bytes(&c), vec![b"{a: 1}".to_vec()]);
    }

    #[test]
    fn intervals_and_durations_become_micros() {
        let a = DurationMicrosecondArray::from(vec![-5]);
        let c = array_to_column(&a).unwrap();
        assert_eq!(c.vector_type, VectorType::IntervalDaySecond);
        assert_eq!(c.values, ColumnValues::Int64(vec![-5]));
        let a = IntervalMonthDayNanoArray::from(vec![IntervalMonthDayNano::new(0, 1, 2_000)]);
        let c = array_to_column(&a).unwrap();
        assert_eq!(c.values, ColumnValues::Int64(vec![MICROS_PER_DAY + 2]));
        let a = IntervalMonthDayNanoArray::from(vec![IntervalMonthDayNano::new(1, 0, 0)]);
        assert!(array_to_column(&a).unwrap_err().contains("months"));
    }

    #[test]
    fn time_of_day_is_text() {
        let a = Time64MicrosecondArray::from(vec![Some(3_723_000_001), Some(0), None]);
        let c = array_to_column(&a).unwrap();
        assert_eq!(c.vector_type, VectorType::String);
        let b = bytes(&c);
        assert_eq!(b[0], b"01:02:03.000001");
        assert_eq!(b[1], b"00:00:00");
    }

    #[test]
    fn null_and_dictionary_columns() {
        let c = array_to_column(&NullArray::new(3)).unwrap();
        assert_eq!(c.vector_type, VectorType::Null);
        assert!(c.constant);
        assert_eq!(c.nulls, vec![true]);
        let d: DictionaryArray<Int32Type> = vec!["x", "y", "x"].into_iter().collect();
        let c = array_to_column(&d).unwrap();
        assert_eq!(c.vector_type, VectorType::String);
        assert_eq!(bytes(&c), vec![b"x".to_vec(), b"y".to_vec(), b"x".to_vec()]);
    }

    #[test]
    fn batches_convert_column_by_column() {
        let schema = Arc::new(Schema::new(vec![
            Field::new("id", DataType::Int64, false),
            Field::new("d", DataType::Date32, true),
        ]));
        let batch = RecordBatch::try_new(
            schema,
            vec![
                Arc::new(Int64Array::from(vec![1, 2])),
                Arc::new(Date32Array::from(vec![Some(1), Some(i32::MAX)])),
            ],
        )
        .unwrap();
        let err = batch_to_chunk(&batch).unwrap_err();
        assert_eq!(err.column, "d");
        let ok = batch.slice(0, 1);
        let chunk = batch_to_chunk(&ok).unwrap();
        assert_eq!(chunk.rows, 1);
        assert_eq!(chunk.columns.len(), 2);
    }
}
