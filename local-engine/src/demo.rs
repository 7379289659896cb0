//! Schema `demo`: `all_types`, one column per type the engine emits with edge values and a NULL
//! in every column but `id`, and `numbers`, a one-million-row series generated on demand (a view
//! over `generate_series`, never materialised).

use std::sync::Arc;

use datafusion::arrow::array::{
    ArrayRef, BinaryArray, BooleanArray, Date32Array, Decimal128Array, DurationMicrosecondArray,
    Float32Array, Float64Array, Int32Array, Int32Builder, Int64Array, ListArray, MapBuilder,
    NullArray, RecordBatch, StringArray, StringBuilder, StructArray, Time64MicrosecondArray,
    TimestampMicrosecondArray,
};
use datafusion::arrow::buffer::NullBuffer;
use datafusion::arrow::datatypes::{DataType, Field, Fields, Int32Type};
use datafusion::arrow::error::ArrowError;
use datafusion::catalog::TableProvider;
use datafusion::catalog::view::ViewTable;
use datafusion::execution::context::SessionContext;

/// Schema holding the demo tables.
pub const SCHEMA: &str = "demo";
/// The every-type table.
pub const ALL_TYPES: &str = "all_types";
/// The streaming series.
pub const NUMBERS: &str = "numbers";
/// Rows of `demo.numbers`.
pub const NUMBERS_ROWS: u64 = 1_000_000;

/// Largest DECIMAL(38, s) unscaled value, 10^38 - 1.
pub const DEC38_MAX: i128 = 99_999_999_999_999_999_999_999_999_999_999_999_999;
/// Days from 1970-01-01 to 0001-01-01.
pub const DAYS_0001_01_01: i32 = -719_162;
/// Days from 1970-01-01 to 10000-01-01.
pub const DAYS_10000_01_01: i32 = 2_932_897;
/// The 10,000-character string of `long_str_col` (row 1): "0123456789" repeated.
pub fn long_string() -> String {
    "0123456789".repeat(1000)
}

fn col(array: impl datafusion::arrow::array::Array + 'static) -> ArrayRef {
    Arc::new(array)
}

/// The `demo.all_types` batch: ids 1-4 hold values, id 5 is NULL in every other column.
pub fn all_types() -> Result<RecordBatch, ArrowError> {
    let mut fields = Vec::new();
    let mut arrays: Vec<ArrayRef> = Vec::new();
    let mut add = |name: &str, array: ArrayRef| {
        fields.push(Field::new(name, array.data_type().clone(), name != "id"));
        arrays.push(array);
    };
    add("id", col(Int32Array::from(vec![1, 2, 3, 4, 5])));
    add(
        "bool_col",
        col(BooleanArray::from(vec![
            Some(true),
            Some(false),
            Some(true),
            Some(false),
            None,
        ])),
    );
    add(
        "int_col",
        col(Int32Array::from(vec![
            Some(0),
            Some(i32::MIN),
            Some(i32::MAX),
            Some(42),
            None,
        ])),
    );
    add(
        "long_col",
        col(Int64Array::from(vec![
            Some(0),
            Some(i64::MIN),
            Some(i64::MAX),
            Some(1_234_567_890_123),
            None,
        ])),
    );
    add(
        "float_col",
        col(Float32Array::from(vec![
            Some(1.5),
            Some(-0.25),
            Some(f32::MAX),
            Some(0.1),
            None,
        ])),
    );
    add(
        "double_col",
        col(Float64Array::from(vec![
            Some(std::f64::consts::PI),
            Some(-1.0e308),
            Some(5e-324),
            Some(0.1),
            None,
        ])),
    );
    add(
        "dec_10_2",
        col(Decimal128Array::from(vec![
            Some(12_345),
            Some(-5),
            Some(0),
            Some(9_999_999_999),
            None,
        ])
        .with_precision_and_scale(10, 2)?),
    );
    add(
        "dec_38_0",
        col(Decimal128Array::from(vec![
            Some(0),
            Some(DEC38_MAX),
            Some(-DEC38_MAX),
            Some(1),
            None,
        ])
        .with_precision_and_scale(38, 0)?),
    );
    add(
        "dec_38_10",
        col(Decimal128Array::from(vec![
            Some(15_000_000_000),
            Some(DEC38_MAX),
            Some(-DEC38_MAX),
            Some(-1),
            None,
        ])
        .with_precision_and_scale(38, 10)?),
    );
    add(
        "str_col",
        col(StringArray::from(vec![
            Some("hello"),
            Some(""),
            Some("emoji 😀 and clef 𝄞"),
            Some("quote ' and backslash \\"),
            None,
        ])),
    );
    let long = long_string();
    add(
        "long_str_col",
        col(StringArray::from(vec![
            Some(long.as_str()),
            Some("short"),
            Some(""),
            Some("tab\tnewline\n"),
            None,
        ])),
    );
    add(
        "bin_col",
        col(BinaryArray::from(vec![
            Some(&[0xde, 0xad, 0xbe, 0xef][..]),
            Some(&[][..]),
            Some(&[0xff, 0x00, 0xfe, 0x80][..]),
            Some(&b"abc"[..]),
            None,
        ])),
    );
    add(
        "date_col",
        col(Date32Array::from(vec![
            Some(19_782), // 2024-02-29
            Some(-1),     // 1969-12-31
            Some(DAYS_0001_01_01),
            Some(DAYS_10000_01_01),
            None,
        ])),
    );
    let instants = vec![
        Some(1_709_210_096_123_456),  // 2024-02-29T12:34:56.123456
        Some(-1),                     // 1969-12-31T23:59:59.999999
        Some(-2_208_988_800_000_000), // 1900-01-01T00:00:00
        Some(1),                      // 1970-01-01T00:00:00.000001
        None,
    ];
    add(
        "datetime_col",
        col(TimestampMicrosecondArray::from(instants.clone())),
    );
    add(
        "tstz_col",
        col(TimestampMicrosecondArray::from(vec![
            Some(0),
            instants[0],
            instants[1],
            instants[2],
            None,
        ])
        .with_timezone("+05:30")),
    );
    add(
        "tstz_ny_col",
        col(TimestampMicrosecondArray::from(vec![
            Some(0),
            instants[0],
            instants[1],
            instants[2],
            None,
        ])
        .with_timezone("America/New_York")),
    );
    add(
        "time_col",
        col(Time64MicrosecondArray::from(vec![
            Some(45_296_123_456), // 12:34:56.123456
            Some(0),
            Some(86_399_999_999), // 23:59:59.999999
            Some(3_723_000_000),  // 01:02:03
            None,
        ])),
    );
    add(
        "interval_col",
        col(DurationMicrosecondArray::from(vec![
            Some(93_784_500_000), // 1 day 02:03:04.5
            Some(-1),
            Some(0),
            Some(86_400_000_000),
            None,
        ])),
    );
    add(
        "array_col",
        col(ListArray::from_iter_primitive::<Int32Type, _, _>(vec![
            Some(vec![Some(1), Some(2), Some(3)]),
            Some(vec![]),
            Some(vec![None, Some(4)]),
            Some(vec![Some(5)]),
            None,
        ])),
    );
    add("map_col", col(map_column()?));
    add("struct_col", col(struct_column()?));
    add("null_col", col(NullArray::new(5)));
    let schema = Arc::new(datafusion::arrow::datatypes::Schema::new(fields));
    RecordBatch::try_new(schema, arrays)
}

/// One key/value pair of `map_col`.
type MapEntry = (&'static str, Option<i32>);

fn map_column() -> Result<datafusion::arrow::array::MapArray, ArrowError> {
    let mut b = MapBuilder::new(None, StringBuilder::new(), Int32Builder::new());
    let rows: [Option<&[MapEntry]>; 5] = [
        Some(&[("a", Some(1)), ("b", Some(2))]),
        Some(&[]),
        Some(&[("c", None)]),
        Some(&[("d", Some(4))]),
        None,
    ];
    for row in rows {
        if let Some(entries) = row {
            for (k, v) in entries {
                b.keys().append_value(k);
                b.values().append_option(*v);
            }
        }
        b.append(row.is_some())?;
    }
    Ok(b.finish())
}

fn struct_column() -> Result<StructArray, ArrowError> {
    let fields = Fields::from(vec![
        Field::new("a", DataType::Int32, true),
        Field::new("b", DataType::Utf8, true),
    ]);
    StructArray::try_new(
        fields,
        vec![
            col(Int32Array::from(vec![
                Some(1),
                None,
                Some(3),
                Some(4),
                None,
            ])),
            col(StringArray::from(vec![
                Some("x"),
                Some("y"),
                None,
                Some("z"),
                None,
            ])),
        ],
        Some(NullBuffer::from(vec![true, true, true, true, false])),
    )
}

/// `demo.numbers`: `n` from 1 to [`NUMBERS_ROWS`], produced batch by batch when scanned.
pub async fn numbers_view(
    ctx: &SessionContext,
) -> datafusion::error::Result<Arc<dyn TableProvider>> {
    let sql = format!("SELECT value AS n FROM generate_series(1, {NUMBERS_ROWS})");
    let plan = ctx.state().create_logical_plan(&sql).await?;
    Ok(Arc::new(ViewTable::new(plan, Some(sql))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_types_has_a_null_in_every_column_but_id() {
        let b = all_types().unwrap();
        assert_eq!(b.num_rows(), 5);
        for (i, field) in b.schema().fields().iter().enumerate() {
            let c = b.column(i);
            if field.name() == "id" {
                assert_eq!(c.null_count(), 0);
            } else {
                let null = c.is_null(4) || *c.data_type() == DataType::Null;
                assert!(null, "{} row 5 is not NULL", field.name());
            }
        }
    }

    #[test]
    fn edge_constants_are_right() {
        assert_eq!(DEC38_MAX, 10i128.pow(38) - 1);
        let epoch = chrono::NaiveDate::from_ymd_opt(1970, 1, 1).unwrap();
        let days = |y, m, d| {
            chrono::NaiveDate::from_ymd_opt(y, m, d)
                .unwrap()
                .signed_duration_since(epoch)
                .num_days()
        };
        assert_eq!(days(1, 1, 1), i64::from(DAYS_0001_01_01));
        assert_eq!(days(10000, 1, 1), i64::from(DAYS_10000_01_01));
        assert_eq!(days(2024, 2, 29), 19_782);
        assert_eq!(long_string().chars().count(), 10_000);
    }

    #[test]
    fn every_column_converts_to_the_wire() {
        let b = all_types().unwrap();
        let chunk = crate::arrow_to_chunk::batch_to_chunk(&b).unwrap();
        assert_eq!(chunk.columns.len(), b.num_columns());
    }
}
