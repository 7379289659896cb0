//! How Arrow types appear to e6data clients: the wire `VectorType` of result columns (whose name
//! is also the metadata type name, spec §7.1) and the lower-case SQL type name that
//! `getColumnsV2` reports (spec §9).

use datafusion::arrow::datatypes::{DataType, Field, IntervalUnit};
use e6data_odbc::wire::VectorType;

/// Widest decimal precision carried as DECIMAL128.
const MAX_DECIMAL128_PRECISION: u8 = 38;

/// The wire vector type that carries values of `dt`.
pub fn vector_type(dt: &DataType) -> VectorType {
    match dt {
        DataType::Null => VectorType::Null,
        DataType::Boolean => VectorType::Boolean,
        DataType::Int8 | DataType::Int16 | DataType::Int32 | DataType::UInt8 | DataType::UInt16 => {
            VectorType::Integer
        }
        DataType::Int64 | DataType::UInt32 => VectorType::Long,
        DataType::UInt64 => VectorType::Decimal128,
        DataType::Float16 | DataType::Float32 => VectorType::Float,
        DataType::Float64 => VectorType::Double,
        DataType::Decimal32(..) | DataType::Decimal64(..) | DataType::Decimal128(..) => {
            VectorType::Decimal128
        }
        DataType::Decimal256(p, _) if *p <= MAX_DECIMAL128_PRECISION => VectorType::Decimal128,
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => VectorType::String,
        DataType::Binary
        | DataType::LargeBinary
        | DataType::BinaryView
        | DataType::FixedSizeBinary(_) => VectorType::Binary,
        DataType::Date32 | DataType::Date64 => VectorType::Date,
        DataType::Timestamp(_, None) => VectorType::DateTime,
        DataType::Timestamp(_, Some(_)) => VectorType::TimestampTz,
        DataType::List(_)
        | DataType::LargeList(_)
        | DataType::ListView(_)
        | DataType::LargeListView(_)
        | DataType::FixedSizeList(..) => VectorType::Array,
        DataType::Map(..) => VectorType::Map,
        DataType::Struct(_) => VectorType::Struct,
        DataType::Interval(IntervalUnit::DayTime | IntervalUnit::MonthDayNano)
        | DataType::Duration(_) => VectorType::IntervalDaySecond,
        DataType::Dictionary(_, value) => vector_type(value),
        // Time of day, year-month intervals, unions, run-end encoded values and anything
        // newer: rendered as text.
        _ => VectorType::String,
    }
}

/// The engine-style lower-case SQL type name of `dt` for `getColumnsV2` (spec §9).
pub fn sql_type_name(dt: &DataType) -> String {
    match dt {
        DataType::Null => "null".into(),
        DataType::Boolean => "boolean".into(),
        DataType::Int8 | DataType::Int16 | DataType::Int32 | DataType::UInt8 | DataType::UInt16 => {
            "int".into()
        }
        DataType::Int64 | DataType::UInt32 => "bigint".into(),
        DataType::UInt64 => "decimal(20,0)".into(),
        DataType::Float16 | DataType::Float32 => "float".into(),
        DataType::Float64 => "double".into(),
        DataType::Decimal32(p, s) | DataType::Decimal64(p, s) | DataType::Decimal128(p, s) => {
            format!("decimal({p},{s})")
        }
        DataType::Decimal256(p, s) if *p <= MAX_DECIMAL128_PRECISION => {
            format!("decimal({p},{s})")
        }
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => "string".into(),
        DataType::Binary
        | DataType::LargeBinary
        | DataType::BinaryView
        | DataType::FixedSizeBinary(_) => "binary".into(),
        DataType::Date32 | DataType::Date64 => "date".into(),
        DataType::Timestamp(_, _) => "timestamp".into(),
        DataType::List(f)
        | DataType::LargeList(f)
        | DataType::ListView(f)
        | DataType::LargeListView(f)
        | DataType::FixedSizeList(f, _) => format!("array<{}>", sql_type_name(f.data_type())),
        DataType::Map(entries, _) => match entries.data_type() {
            DataType::Struct(kv) if kv.len() == 2 => format!(
                "map<{},{}>",
                sql_type_name(kv[0].data_type()),
                sql_type_name(kv[1].data_type())
            ),
            _ => "map<string,string>".into(),
        },
        DataType::Struct(fields) => {
            let inner: Vec<String> = fields.iter().map(|f| struct_member(f)).collect();
            format!("struct<{}>", inner.join(","))
        }
        DataType::Interval(IntervalUnit::DayTime | IntervalUnit::MonthDayNano)
        | DataType::Duration(_) => "interval day to second".into(),
        DataType::Dictionary(_, value) => sql_type_name(value),
        _ => "string".into(),
    }
}

fn struct_member(f: &Field) -> String {
    format!("{}:{}", f.name(), sql_type_name(f.data_type()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use datafusion::arrow::datatypes::{Fields, TimeUnit};
    use std::sync::Arc;

    #[test]
    fn vector_types_follow_the_mapping_table() {
        let cases = [
            (DataType::Int8, VectorType::Integer),
            (DataType::UInt16, VectorType::Integer),
            (DataType::Int64, VectorType::Long),
            (DataType::UInt32, VectorType::Long),
            (DataType::UInt64, VectorType::Decimal128),
            (DataType::Float16, VectorType::Float),
            (DataType::Float64, VectorType::Double),
            (DataType::Utf8View, VectorType::String),
            (DataType::LargeBinary, VectorType::Binary),
            (DataType::Date64, VectorType::Date),
            (
                DataType::Timestamp(TimeUnit::Nanosecond, None),
                VectorType::DateTime,
            ),
            (
                DataType::Timestamp(TimeUnit::Second, Some("+05:30".into())),
                VectorType::TimestampTz,
            ),
            (DataType::Decimal128(38, 10), VectorType::Decimal128),
            (DataType::Decimal256(38, 0), VectorType::Decimal128),
            (DataType::Decimal256(60, 0), VectorType::String),
            (DataType::Null, VectorType::Null),
            (
                DataType::Interval(IntervalUnit::MonthDayNano),
                VectorType::IntervalDaySecond,
            ),
            (
                DataType::Interval(IntervalUnit::YearMonth),
                VectorType::String,
            ),
            (
                DataType::Duration(TimeUnit::Millisecond),
                VectorType::IntervalDaySecond,
            ),
            (DataType::Time64(TimeUnit::Microsecond), VectorType::String),
            (
                DataType::Dictionary(Box::new(DataType::Int32), Box::new(DataType::Utf8)),
                VectorType::String,
            ),
        ];
        for (dt, vt) in cases {
            assert_eq!(vector_type(&dt), vt, "{dt}");
        }
    }

    #[test]
    fn sql_names_are_engine_style() {
        let list = DataType::List(Arc::new(Field::new("item", DataType::Int32, true)));
        assert_eq!(sql_type_name(&list), "array<int>");
        let st = DataType::Struct(Fields::from(vec![
            Field::new("a", DataType::Int64, true),
            Field::new("b", DataType::Utf8, true),
        ]));
        assert_eq!(sql_type_name(&st), "struct<a:bigint,b:string>");
        assert_eq!(sql_type_name(&DataType::Decimal128(7, 2)), "decimal(7,2)");
        assert_eq!(
            sql_type_name(&DataType::Timestamp(TimeUnit::Microsecond, None)),
            "timestamp"
        );
        assert_eq!(sql_type_name(&DataType::Boolean), "boolean");
        assert_eq!(sql_type_name(&DataType::Binary), "binary");
    }
}
