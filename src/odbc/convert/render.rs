//! Canonical text of non-text values (what `SQL_C_CHAR` / `SQL_C_WCHAR` receive):
//!
//! - integers: plain decimal; BOOLEAN: `1` / `0`;
//! - doubles: the shortest text that reads back as the same double, laid out like Python's
//!   `repr` (which pyodbc users see for floats): plain for 1e-4 <= |x| < 1e16 (`1.5`, `3`,
//!   `0.0001`), scientific otherwise with a signed two-digit-minimum exponent (`1e+16`,
//!   `1.5e-05`); `NaN`, `Infinity`, `-Infinity`;
//! - DECIMAL128: plain fixed-point with exactly `scale` fractional digits, never scientific
//!   (field-notes trap 13): `-0.05`, `123.4500`; a negative scale appends zeros;
//! - DATE: `yyyy-mm-dd`, years beyond 9999 as `+yyyyy` and negative years as `-yyyy` (ISO
//!   8601 expanded form, as Java's `LocalDate` prints them);
//! - DATETIME: `yyyy-mm-dd hh:mm:ss`, plus `.ffffff` (6 digits) when the microseconds are
//!   not zero; TIMESTAMP_TZ: the same in the value's own zone, then its offset `+hh:mm`;
//! - INTERVAL_DAY_SECOND: `[-]d hh:mm:ss.ffffff`.
//!
//! Each rendering also says how many leading bytes are mandatory: a character buffer shorter
//! than that is 22003 rather than a truncation (ODBC "SQL to C" rules: whole digits of a
//! number, the date, the time up to the seconds).

use std::fmt::Write;

use super::ConvertError;
use super::calendar::{self, Parts, Temporal};
use super::scratch::Scratch;

/// Writes `year` in ISO 8601 form: 4 digits, `+` beyond 9999, `-` before year 0.
fn write_year(out: &mut Scratch, year: i64) {
    let _ = if year > 9999 {
        write!(out, "+{year}")
    } else if year < 0 {
        write!(out, "-{:04}", year.unsigned_abs())
    } else {
        write!(out, "{year:04}")
    };
}

fn write_date(out: &mut Scratch, parts: &Parts) {
    write_year(out, parts.year);
    let _ = write!(out, "-{:02}-{:02}", parts.month, parts.day);
}

/// Returns the mandatory length (through the seconds).
fn write_date_time(out: &mut Scratch, parts: &Parts) -> usize {
    write_date(out, parts);
    let _ = write!(
        out,
        " {:02}:{:02}:{:02}",
        parts.hour, parts.minute, parts.second
    );
    let mandatory = out.len();
    if parts.nanos != 0 {
        let _ = write!(out, ".{:06}", parts.nanos / 1000);
    }
    mandatory
}

fn write_offset(out: &mut Scratch, offset_seconds: i32) {
    let sign = if offset_seconds < 0 { '-' } else { '+' };
    let magnitude = offset_seconds.unsigned_abs();
    let _ = write!(
        out,
        "{sign}{:02}:{:02}",
        magnitude / 3600,
        magnitude / 60 % 60
    );
    if !magnitude.is_multiple_of(60) {
        let _ = write!(out, ":{:02}", magnitude % 60);
    }
}

/// A date, time or timestamp built from fields (parameter values): `yyyy-mm-dd`,
/// `hh:mm:ss` or both, with the fraction to nanoseconds and no trailing zeros.
pub(crate) fn temporal(out: &mut Scratch, value: &Temporal) {
    let clock = |out: &mut Scratch, p: &Parts| {
        let _ = write!(out, "{:02}:{:02}:{:02}", p.hour, p.minute, p.second);
        if p.nanos != 0 {
            let mut fraction = Scratch::new();
            let _ = write!(fraction, "{:09}", p.nanos);
            out.push_str(".");
            out.push_str(fraction.as_str().trim_end_matches('0'));
        }
    };
    match value {
        Temporal::Date(p) => write_date(out, p),
        Temporal::Time(p) => clock(out, p),
        Temporal::Timestamp(p) => {
            write_date(out, p);
            out.push_str(" ");
            clock(out, p);
        }
    }
}

/// DATE as text; returns the mandatory length (all of it).
pub(crate) fn date(out: &mut Scratch, micros: i64) -> usize {
    write_date(out, &calendar::date_parts(micros));
    out.len()
}

/// DATETIME (no zone) or TIMESTAMP_TZ (with its zone) as text; returns the mandatory length.
pub(crate) fn timestamp(
    out: &mut Scratch,
    micros: i64,
    zone: Option<&str>,
) -> Result<usize, ConvertError> {
    let (local, offset) = calendar::to_local(micros, zone)?;
    let mandatory = write_date_time(out, &calendar::parts_from_micros(local));
    if zone.is_some() {
        write_offset(out, offset);
    }
    Ok(mandatory)
}

/// INTERVAL_DAY_SECOND as text; returns the mandatory length (through the seconds).
pub(crate) fn interval(out: &mut Scratch, micros: i64) -> usize {
    let p = calendar::interval_from_micros(micros);
    let _ = write!(
        out,
        "{}{} {:02}:{:02}:{:02}",
        if p.negative { "-" } else { "" },
        p.days,
        p.hours,
        p.minutes,
        p.seconds
    );
    let mandatory = out.len();
    let _ = write!(out, ".{:06}", p.micros);
    mandatory
}

/// An integer as text; returns the mandatory length (all of it).
pub(crate) fn integer(out: &mut Scratch, v: i64) -> usize {
    let _ = write!(out, "{v}");
    out.len()
}

/// DECIMAL128 as plain fixed-point text; returns the mandatory length (sign and whole
/// digits). The non-allocating twin of [`crate::wire::decimal::decimal_to_string`] (same
/// output, checked by a property test), for the fetch hot path. 22003 for a scale the codec
/// would not accept ([`crate::wire::decimal::MAX_SCALE_MAGNITUDE`]).
pub(crate) fn decimal(
    out: &mut Scratch,
    unscaled: i128,
    scale: i32,
) -> Result<usize, ConvertError> {
    decimal_parts(out, unscaled < 0, unscaled.unsigned_abs(), scale)
}

/// (-1)^negative × magnitude × 10^-scale as plain fixed-point text (see [`decimal`]).
pub(crate) fn decimal_parts(
    out: &mut Scratch,
    negative: bool,
    magnitude: u128,
    scale: i32,
) -> Result<usize, ConvertError> {
    if !crate::wire::decimal::scale_in_range(scale) {
        return Err(ConvertError::NumericOverflow);
    }
    let mut digits = Scratch::new();
    let _ = write!(digits, "{magnitude}");
    let digits = digits.as_str();
    if negative && magnitude != 0 {
        out.push_str("-");
    }
    if scale <= 0 {
        out.push_str(digits);
        if magnitude != 0 {
            out.push_repeated('0', scale.unsigned_abs() as usize);
        }
        return Ok(out.len());
    }
    let scale = scale.unsigned_abs() as usize;
    let mandatory;
    match digits.len().checked_sub(scale).filter(|w| *w > 0) {
        Some(whole) => {
            out.push_str(digits.get(..whole).unwrap_or(""));
            mandatory = out.len();
            out.push_str(".");
            out.push_str(digits.get(whole..).unwrap_or(""));
        }
        None => {
            out.push_str("0");
            mandatory = out.len();
            out.push_str(".");
            out.push_repeated('0', scale - digits.len());
            out.push_str(digits);
        }
    }
    Ok(mandatory)
}

/// A double as text (see the module doc); returns the mandatory length.
pub(crate) fn double(out: &mut Scratch, x: f64) -> usize {
    if x.is_nan() {
        out.push_str("NaN");
        return out.len();
    }
    if x.is_infinite() {
        out.push_str(if x < 0.0 { "-Infinity" } else { "Infinity" });
        return out.len();
    }
    if x.is_sign_negative() {
        out.push_str("-");
    }
    if x == 0.0 {
        out.push_str("0");
        return out.len();
    }
    // Shortest round-trip digits d1.d2d3...e{exp}.
    let mut sci = Scratch::new();
    let _ = write!(sci, "{:e}", x.abs());
    let (mantissa, exponent) = sci.as_str().split_once('e').unwrap_or((sci.as_str(), "0"));
    let exponent: i32 = exponent.parse().unwrap_or(0);
    let (lead, rest) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    if (-4..16).contains(&exponent) {
        if exponent >= 0 {
            let whole = exponent as usize + 1;
            out.push_str(lead);
            let from_rest = (whole - 1).min(rest.len());
            out.push_str(rest.get(..from_rest).unwrap_or(""));
            out.push_repeated('0', whole - 1 - from_rest);
            let mandatory = out.len();
            let fraction = rest.get(from_rest..).unwrap_or("");
            if !fraction.is_empty() {
                out.push_str(".");
                out.push_str(fraction);
            }
            mandatory
        } else {
            out.push_str("0");
            let mandatory = out.len();
            out.push_str(".");
            out.push_repeated('0', exponent.unsigned_abs() as usize - 1);
            out.push_str(lead);
            out.push_str(rest);
            mandatory
        }
    } else {
        out.push_str(lead);
        if !rest.is_empty() {
            out.push_str(".");
            out.push_str(rest);
        }
        let sign = if exponent < 0 { '-' } else { '+' };
        let _ = write!(out, "e{sign}{:02}", exponent.unsigned_abs());
        out.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn show<F: FnOnce(&mut Scratch) -> usize>(f: F) -> (String, usize) {
        let mut s = Scratch::new();
        let mandatory = f(&mut s);
        (s.as_str().to_string(), mandatory)
    }

    #[test]
    fn doubles() {
        let d = |x: f64| show(|s| double(s, x));
        assert_eq!(d(1.5), ("1.5".into(), 1));
        assert_eq!(d(3.0), ("3".into(), 1));
        assert_eq!(d(-3.25), ("-3.25".into(), 2));
        assert_eq!(d(0.1), ("0.1".into(), 1));
        assert_eq!(d(0.0001), ("0.0001".into(), 1));
        assert_eq!(d(0.00001), ("1e-05".into(), 5));
        assert_eq!(d(123456789012345.6), ("123456789012345.6".into(), 15));
        assert_eq!(d(1e15), ("1000000000000000".into(), 16));
        assert_eq!(d(1e16), ("1e+16".into(), 5));
        assert_eq!(d(1e100), ("1e+100".into(), 6));
        assert_eq!(d(-1.5e-300), ("-1.5e-300".into(), 9));
        assert_eq!(d(f64::MAX).0, "1.7976931348623157e+308");
        assert_eq!(d(f64::MIN_POSITIVE).0, "2.2250738585072014e-308");
        assert_eq!(d(0.0).0, "0");
        assert_eq!(d(-0.0).0, "-0");
        assert_eq!(d(f64::NAN).0, "NaN");
        assert_eq!(d(f64::INFINITY).0, "Infinity");
        assert_eq!(d(f64::NEG_INFINITY).0, "-Infinity");
        assert_eq!(d(0.10000000149011612).0, "0.10000000149011612");
        for x in [0.1, 1.0 / 3.0, 2.5e-7, 6.02e23, -42.0, 123.456, 1e-4] {
            assert_eq!(d(x).0.parse::<f64>().unwrap(), x);
        }
    }

    #[test]
    fn decimals() {
        let dec = |u: i128, s: i32| {
            let mut out = Scratch::new();
            let m = decimal(&mut out, u, s).unwrap();
            (out.as_str().to_string(), m)
        };
        assert_eq!(dec(12345, 2), ("123.45".into(), 3));
        assert_eq!(dec(-5, 2), ("-0.05".into(), 2));
        assert_eq!(dec(0, 7), ("0.0000000".into(), 1));
        assert_eq!(dec(0, 0), ("0".into(), 1));
        assert_eq!(dec(1234500, 4), ("123.4500".into(), 3));
        assert_eq!(dec(7, -3), ("7000".into(), 4));
        assert_eq!(dec(0, -3), ("0".into(), 1));
        let max = 10i128.pow(38) - 1;
        assert_eq!(dec(max, 0).0, "9".repeat(38));
        assert_eq!(dec(-max, 38).0, format!("-0.{}", "9".repeat(38)));
        assert_eq!(
            dec(max, 10).0,
            format!("{}.{}", "9".repeat(28), "9".repeat(10))
        );
        assert_eq!(dec(i128::MIN, 0).0, i128::MIN.to_string());
        let mut out = Scratch::new();
        assert_eq!(decimal(&mut out, 1, 77), Err(ConvertError::NumericOverflow));
    }

    #[test]
    fn dates() {
        let d = |m: i64| show(|s| date(s, m)).0;
        assert_eq!(d(1_770_854_400_000_000), "2026-02-12");
        assert_eq!(d(-86_400_000_000), "1969-12-31");
        // Not midnight: floored to the day.
        assert_eq!(d(-1), "1969-12-31");
        let days = calendar::days_from_civil(12345, 6, 7);
        assert_eq!(d(days * calendar::MICROS_PER_DAY), "+12345-06-07");
        let days = calendar::days_from_civil(-44, 3, 15);
        assert_eq!(d(days * calendar::MICROS_PER_DAY), "-0044-03-15");
        let days = calendar::days_from_civil(5, 1, 1);
        assert_eq!(d(days * calendar::MICROS_PER_DAY), "0005-01-01");
    }

    #[test]
    fn timestamps() {
        let t = |m: i64, z: Option<&str>| {
            let mut s = Scratch::new();
            let mandatory = timestamp(&mut s, m, z).unwrap();
            (s.as_str().to_string(), mandatory)
        };
        assert_eq!(t(0, None), ("1970-01-01 00:00:00".into(), 19));
        assert_eq!(
            t(1_500_000, None),
            ("1970-01-01 00:00:01.500000".into(), 19)
        );
        assert_eq!(t(-43_200_000_000, None).0, "1969-12-31 12:00:00");
        assert_eq!(t(-1, None).0, "1969-12-31 23:59:59.999999");
        assert_eq!(t(0, Some("+05:30")).0, "1970-01-01 05:30:00+05:30");
        assert_eq!(t(0, Some("Z")).0, "1970-01-01 00:00:00+00:00");
        assert_eq!(
            t(0, Some("America/New_York")).0,
            "1969-12-31 19:00:00-05:00"
        );
        assert_eq!(
            t(123_456, Some("-08:00")),
            ("1969-12-31 16:00:00.123456-08:00".into(), 19)
        );
        // Local mean time before standard zones: offset with seconds.
        let y1800 = calendar::days_from_civil(1800, 1, 1) * calendar::MICROS_PER_DAY;
        assert_eq!(
            t(y1800, Some("America/New_York")).0,
            "1799-12-31 19:03:58-04:56:02"
        );
    }

    #[test]
    fn intervals() {
        let i = |m: i64| show(|s| interval(s, m));
        assert_eq!(i(0), ("0 00:00:00.000000".into(), 10));
        assert_eq!(
            i(-(86_400_000_000 + 3_723_000_000 + 500_000)),
            ("-1 01:02:03.500000".into(), 11)
        );
        assert_eq!(i(i64::MIN).0, "-106751991 04:00:54.775808");
        assert_eq!(show(|s| integer(s, i64::MIN)).0, "-9223372036854775808");
    }
}
