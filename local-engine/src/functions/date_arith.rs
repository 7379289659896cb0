//! e6data's date arithmetic: `timestamp_add('UNIT', n, ts)` and `timestamp_diff(a, b, 'UNIT')`.
//!
//! The argument order is e6data's (its dialect writes ODBC/Databricks `TIMESTAMPADD(unit, n, ts)`
//! as `TIMESTAMP_ADD('UNIT', n, ts)` and `TIMESTAMPDIFF(unit, start, end)` as
//! `TIMESTAMP_DIFF(end, start, 'UNIT')`). Units: SECOND, MINUTE, HOUR, DAY, WEEK, MONTH,
//! QUARTER, YEAR, in any case.
//!
//! - `timestamp_add` returns a TIMESTAMP (microseconds, no zone). Adding months, quarters or
//!   years keeps the day of the month, clamped to the last day of a shorter month
//!   (2024-01-31 + 1 month = 2024-02-29).
//! - `timestamp_diff` returns the BIGINT number of unit boundaries crossed going from `b` to `a`
//!   (negative when `a` is earlier), the way e6data's own dialect treats it (its AGE() rewrite
//!   corrects a month difference by the day of the month). Weeks start on Monday.
//!
//! A NULL argument gives NULL; an unknown unit or a result outside the timestamp range is an
//! execution error.

use std::sync::Arc;

use chrono::{DateTime, Datelike, Months, NaiveDateTime};
use datafusion::arrow::array::{Array, ArrayRef, AsArray, Int64Array, TimestampMicrosecondArray};
use datafusion::arrow::datatypes::{DataType, Int64Type, TimeUnit, TimestampMicrosecondType};
use datafusion::common::utils::take_function_args;
use datafusion::common::{DataFusionError, Result, exec_err, plan_err};
use datafusion::logical_expr::{
    ColumnarValue, ScalarFunctionArgs, ScalarUDFImpl, Signature, Volatility,
};

const MICROS_PER_SECOND: i64 = 1_000_000;
const MICROS_PER_MINUTE: i64 = 60 * MICROS_PER_SECOND;
const MICROS_PER_HOUR: i64 = 60 * MICROS_PER_MINUTE;
const MICROS_PER_DAY: i64 = 24 * MICROS_PER_HOUR;
const MICROS_PER_WEEK: i64 = 7 * MICROS_PER_DAY;
/// 1970-01-01 was a Thursday, three days after a Monday: shifted by this much, week
/// boundaries (Monday 00:00) fall on multiples of a week.
const EPOCH_AFTER_MONDAY: i64 = 3 * MICROS_PER_DAY;

const TIMESTAMP: DataType = DataType::Timestamp(TimeUnit::Microsecond, None);

/// A unit of e6data's date arithmetic.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Unit {
    Second,
    Minute,
    Hour,
    Day,
    Week,
    Month,
    Quarter,
    Year,
}

impl Unit {
    fn parse(function: &str, text: &str) -> Result<Self> {
        Ok(match text.trim().to_ascii_uppercase().as_str() {
            "SECOND" => Self::Second,
            "MINUTE" => Self::Minute,
            "HOUR" => Self::Hour,
            "DAY" => Self::Day,
            "WEEK" => Self::Week,
            "MONTH" => Self::Month,
            "QUARTER" => Self::Quarter,
            "YEAR" => Self::Year,
            _ => {
                return exec_err!(
                    "{function}: unknown unit '{text}'; use SECOND, MINUTE, HOUR, DAY, WEEK, \
                     MONTH, QUARTER or YEAR"
                );
            }
        })
    }

    /// The unit's length in microseconds, or its length in months.
    fn length(self) -> Length {
        match self {
            Self::Second => Length::Micros(MICROS_PER_SECOND),
            Self::Minute => Length::Micros(MICROS_PER_MINUTE),
            Self::Hour => Length::Micros(MICROS_PER_HOUR),
            Self::Day => Length::Micros(MICROS_PER_DAY),
            Self::Week => Length::Micros(MICROS_PER_WEEK),
            Self::Month => Length::Months(1),
            Self::Quarter => Length::Months(3),
            Self::Year => Length::Months(12),
        }
    }
}

enum Length {
    Micros(i64),
    Months(i64),
}

fn naive(micros: i64) -> Option<NaiveDateTime> {
    DateTime::from_timestamp_micros(micros).map(|t| t.naive_utc())
}

/// `micros` plus `count` units, or `None` when the result is out of range.
fn add(unit: Unit, count: i64, micros: i64) -> Option<i64> {
    match unit.length() {
        Length::Micros(len) => {
            let result = count.checked_mul(len)?.checked_add(micros)?;
            naive(result).map(|_| result)
        }
        Length::Months(len) => {
            let months = count.checked_mul(len)?;
            let step = Months::new(u32::try_from(months.unsigned_abs()).ok()?);
            let start = naive(micros)?;
            let moved = if months >= 0 {
                start.checked_add_months(step)?
            } else {
                start.checked_sub_months(step)?
            };
            Some(moved.and_utc().timestamp_micros())
        }
    }
}

/// The number of `unit` boundaries crossed from `b` to `a` (negative when `a` is earlier), or
/// `None` when a timestamp is out of range.
fn diff(unit: Unit, a: i64, b: i64) -> Option<i64> {
    match unit.length() {
        Length::Micros(len) => {
            let offset = if unit == Unit::Week {
                EPOCH_AFTER_MONDAY
            } else {
                0
            };
            Some(a.checked_add(offset)?.div_euclid(len) - b.checked_add(offset)?.div_euclid(len))
        }
        Length::Months(len) => {
            let months = |micros: i64| {
                let t = naive(micros)?;
                Some(i64::from(t.year()) * 12 + i64::from(t.month0()))
            };
            Some(months(a)?.div_euclid(len) - months(b)?.div_euclid(len))
        }
    }
}

/// The string form of every argument type that coerces to a unit name.
fn is_text(t: &DataType) -> bool {
    matches!(
        t,
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View | DataType::Null
    )
}

fn is_temporal(t: &DataType) -> bool {
    matches!(
        t,
        DataType::Timestamp(_, _) | DataType::Date32 | DataType::Date64 | DataType::Null
    ) || is_text(t)
}

fn unit_at(function: &str, units: &ArrayRef, row: usize) -> Result<Option<Unit>> {
    let units = units
        .as_string_opt::<i32>()
        .ok_or_else(|| DataFusionError::Internal(format!("{function}: unit is not Utf8")))?;
    if units.is_null(row) {
        return Ok(None);
    }
    Unit::parse(function, units.value(row)).map(Some)
}

fn timestamps<'a>(function: &str, array: &'a ArrayRef) -> Result<&'a TimestampMicrosecondArray> {
    array
        .as_primitive_opt::<TimestampMicrosecondType>()
        .ok_or_else(|| DataFusionError::Internal(format!("{function}: argument not coerced")))
}

/// e6data's `timestamp_add('UNIT', n, ts)`.
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct TimestampAdd {
    signature: Signature,
}

impl TimestampAdd {
    /// The function, to be registered as a UDF.
    pub fn new() -> Self {
        Self {
            signature: Signature::user_defined(Volatility::Immutable),
        }
    }
}

impl ScalarUDFImpl for TimestampAdd {
    fn name(&self) -> &str {
        "timestamp_add"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _args: &[DataType]) -> Result<DataType> {
        Ok(TIMESTAMP)
    }

    fn coerce_types(&self, args: &[DataType]) -> Result<Vec<DataType>> {
        match args {
            [unit, count, ts]
                if is_text(unit)
                    && (count.is_integer() || count == &DataType::Null)
                    && is_temporal(ts) =>
            {
                Ok(vec![DataType::Utf8, DataType::Int64, TIMESTAMP])
            }
            _ => {
                plan_err!("timestamp_add('UNIT', integer count, timestamp) does not take {args:?}")
            }
        }
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let name = self.name();
        let [units, counts, values] =
            take_function_args(name, ColumnarValue::values_to_arrays(&args.args)?)?;
        let counts = counts
            .as_primitive_opt::<Int64Type>()
            .ok_or_else(|| DataFusionError::Internal(format!("{name}: count not coerced")))?;
        let values = timestamps(name, &values)?;
        let mut out = Vec::with_capacity(values.len());
        for row in 0..values.len() {
            let unit = unit_at(name, &units, row)?;
            out.push(match unit {
                Some(unit) if counts.is_valid(row) && values.is_valid(row) => {
                    let (count, start) = (counts.value(row), values.value(row));
                    match add(unit, count, start) {
                        Some(result) => Some(result),
                        None => {
                            return exec_err!(
                                "{name}: adding {count} {unit:?} to the timestamp leaves the \
                                 supported range"
                            );
                        }
                    }
                }
                _ => None,
            });
        }
        let array: ArrayRef = Arc::new(TimestampMicrosecondArray::from(out));
        Ok(ColumnarValue::Array(array))
    }
}

/// e6data's `timestamp_diff(a, b, 'UNIT')`.
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct TimestampDiff {
    signature: Signature,
}

impl TimestampDiff {
    /// The function, to be registered as a UDF.
    pub fn new() -> Self {
        Self {
            signature: Signature::user_defined(Volatility::Immutable),
        }
    }
}

impl ScalarUDFImpl for TimestampDiff {
    fn name(&self) -> &str {
        "timestamp_diff"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _args: &[DataType]) -> Result<DataType> {
        Ok(DataType::Int64)
    }

    fn coerce_types(&self, args: &[DataType]) -> Result<Vec<DataType>> {
        match args {
            [a, b, unit] if is_temporal(a) && is_temporal(b) && is_text(unit) => {
                Ok(vec![TIMESTAMP, TIMESTAMP, DataType::Utf8])
            }
            _ => plan_err!("timestamp_diff(timestamp, timestamp, 'UNIT') does not take {args:?}"),
        }
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let name = self.name();
        let [a, b, units] = take_function_args(name, ColumnarValue::values_to_arrays(&args.args)?)?;
        let (a, b) = (timestamps(name, &a)?, timestamps(name, &b)?);
        let mut out = Vec::with_capacity(a.len());
        for row in 0..a.len() {
            let unit = unit_at(name, &units, row)?;
            out.push(match unit {
                Some(unit) if a.is_valid(row) && b.is_valid(row) => {
                    Some(diff(unit, a.value(row), b.value(row)).ok_or_else(|| {
                        DataFusionError::Execution(format!(
                            "{name}: a timestamp is outside the supported range"
                        ))
                    })?)
                }
                _ => None,
            });
        }
        let array: ArrayRef = Arc::new(Int64Array::from(out));
        Ok(ColumnarValue::Array(array))
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;

    fn at(text: &str) -> i64 {
        NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S%.f")
            .unwrap()
            .and_utc()
            .timestamp_micros()
    }

    fn show(micros: i64) -> String {
        naive(micros)
            .unwrap()
            .format("%Y-%m-%d %H:%M:%S%.f")
            .to_string()
    }

    #[test]
    fn units_parse_in_any_case() {
        assert_eq!(Unit::parse("f", "month").unwrap(), Unit::Month);
        assert_eq!(Unit::parse("f", " Quarter ").unwrap(), Unit::Quarter);
        let e = Unit::parse("timestamp_add", "SQL_TSI_DAY").unwrap_err();
        assert!(e.to_string().contains("unknown unit 'SQL_TSI_DAY'"), "{e}");
    }

    #[test]
    fn add_fixed_units() {
        let t = at("2024-12-31 23:59:59.5");
        assert_eq!(
            show(add(Unit::Second, 1, t).unwrap()),
            "2025-01-01 00:00:00.500"
        );
        assert_eq!(
            show(add(Unit::Minute, -60, t).unwrap()),
            "2024-12-31 22:59:59.500"
        );
        assert_eq!(
            show(add(Unit::Hour, 25, t).unwrap()),
            "2025-01-02 00:59:59.500"
        );
        assert_eq!(
            show(add(Unit::Day, -366, t).unwrap()),
            "2023-12-31 23:59:59.500"
        );
        assert_eq!(
            show(add(Unit::Week, 1, t).unwrap()),
            "2025-01-07 23:59:59.500"
        );
    }

    #[test]
    fn add_calendar_units_clamps_to_month_end() {
        let t = at("2024-01-31 10:00:00");
        assert_eq!(show(add(Unit::Month, 1, t).unwrap()), "2024-02-29 10:00:00");
        assert_eq!(
            show(add(Unit::Month, -2, t).unwrap()),
            "2023-11-30 10:00:00"
        );
        assert_eq!(
            show(add(Unit::Quarter, 1, t).unwrap()),
            "2024-04-30 10:00:00"
        );
        let leap = at("2024-02-29 00:00:00");
        assert_eq!(
            show(add(Unit::Year, 1, leap).unwrap()),
            "2025-02-28 00:00:00"
        );
        assert_eq!(
            show(add(Unit::Year, -4, leap).unwrap()),
            "2020-02-29 00:00:00"
        );
    }

    #[test]
    fn add_out_of_range_is_none() {
        assert_eq!(add(Unit::Year, i64::MAX, 0), None);
        assert_eq!(add(Unit::Second, i64::MAX, 0), None);
        assert_eq!(add(Unit::Year, 300_000, 0), None);
    }

    #[test]
    fn diff_counts_boundaries() {
        // (unit, end, start, boundaries crossed from start to end).
        // 2024-12-29 is a Sunday, 2024-12-30 a Monday.
        let cases = [
            (
                Unit::Second,
                "2024-01-01 00:00:01.1",
                "2024-01-01 00:00:00.9",
                1,
            ),
            (
                Unit::Second,
                "2024-01-01 00:00:00.9",
                "2024-01-01 00:00:00.1",
                0,
            ),
            (
                Unit::Minute,
                "2024-01-01 00:01:00",
                "2023-12-31 23:59:59",
                2,
            ),
            (
                Unit::Hour,
                "2024-01-01 00:00:00",
                "2024-01-01 10:59:59",
                -10,
            ),
            (Unit::Day, "2024-03-11 00:00:01", "2024-03-10 23:59:59", 1),
            (Unit::Day, "1969-12-31 23:00:00", "1970-01-01 01:00:00", -1),
            (Unit::Week, "2024-12-30 00:00:00", "2024-12-29 23:59:59", 1),
            (Unit::Week, "2024-12-29 00:00:00", "2024-12-23 00:00:00", 0),
            (Unit::Month, "2024-02-01 00:00:00", "2024-01-31 23:59:59", 1),
            (
                Unit::Month,
                "2024-01-20 00:00:00",
                "2024-03-15 00:00:00",
                -2,
            ),
            (
                Unit::Quarter,
                "2024-04-01 00:00:00",
                "2024-03-31 00:00:00",
                1,
            ),
            (Unit::Year, "2024-01-01 00:00:00", "2023-12-31 23:59:59", 1),
            (
                Unit::Year,
                "1900-03-28 00:00:00",
                "2021-01-01 00:00:00",
                -121,
            ),
        ];
        for (unit, end, start, expected) in cases {
            assert_eq!(
                diff(unit, at(end), at(start)),
                Some(expected),
                "{unit:?} from {start} to {end}"
            );
        }
    }

    #[test]
    fn week_boundaries_are_mondays_before_the_epoch_too() {
        let monday = NaiveDate::from_ymd_opt(1969, 12, 29).unwrap();
        let m = monday
            .and_hms_opt(0, 0, 0)
            .unwrap()
            .and_utc()
            .timestamp_micros();
        assert_eq!(diff(Unit::Week, m, m - 1), Some(1));
        assert_eq!(diff(Unit::Week, m + 6 * MICROS_PER_DAY, m), Some(0));
    }
}
