//! `write_cell` as the ODBC core uses it: dispatch, NULLs, `SQLGetData` in pieces, the
//! conversion matrix's restricted pairs, and property tests.

use proptest::prelude::*;

use super::*;
use crate::odbc::convert::layout;

fn cell(value: Value<'_>, target: CType, len: usize) -> Result<(Vec<u8>, Written), ConvertError> {
    let mut out = vec![0u8; len];
    let mut offset = 0;
    let w = write_cell(value, target, &mut out, &mut offset, None)?;
    Ok((out, w))
}

fn char_text(value: Value<'_>) -> String {
    let (out, w) = cell(value, CType::Char, 200).unwrap();
    assert!(!w.truncated);
    String::from_utf8(out[..w.indicator as usize].to_vec()).unwrap()
}

#[test]
fn null_for_every_target_then_no_data() {
    for target in ctype::ALL {
        let mut out = [0u8; 32];
        let mut offset = 0;
        let w = write_cell(Value::Null, target, &mut out, &mut offset, None).unwrap();
        assert_eq!(w, Written::NULL);
        assert_eq!(w.indicator, SQL_NULL_DATA);
        assert_eq!(
            write_cell(Value::Null, target, &mut out, &mut offset, None),
            Err(ConvertError::NoMoreData)
        );
    }
}

#[test]
fn fixed_targets_return_once() {
    let mut out = [0u8; 8];
    let mut offset = 0;
    let w = write_cell(Value::I64(7), CType::SBigInt, &mut out, &mut offset, None).unwrap();
    assert_eq!(
        (w.indicator, w.truncated, w.fractional_truncation),
        (8, false, false)
    );
    assert_eq!(i64::from_ne_bytes(out), 7);
    assert_eq!(offset, OFFSET_DONE);
    assert_eq!(
        write_cell(Value::I64(7), CType::SBigInt, &mut out, &mut offset, None),
        Err(ConvertError::NoMoreData)
    );
    let mut offset = 0;
    let w = write_cell(Value::F64(2.5), CType::SLong, &mut out, &mut offset, None).unwrap();
    assert_eq!((w.indicator, w.fractional_truncation), (4, true));
}

#[test]
fn fixed_target_needs_room() {
    let mut out = [0u8; 3];
    let mut offset = 0;
    assert_eq!(
        write_cell(Value::I64(7), CType::SLong, &mut out, &mut offset, None),
        Err(ConvertError::InvalidLength)
    );
    assert_eq!(offset, 0);
}

#[test]
fn get_data_in_pieces_char_then_no_data() {
    let long = "x".repeat(25);
    let value = Value::Text(long.as_bytes());
    let mut offset = 0;
    let mut out = [0u8; 10];
    let mut collected = Vec::new();
    let mut indicators = Vec::new();
    loop {
        match write_cell(value, CType::Char, &mut out, &mut offset, None) {
            Ok(w) => {
                indicators.push((w.indicator, w.truncated));
                let n = (w.indicator as usize).min(out.len() - 1);
                collected.extend_from_slice(&out[..n]);
            }
            Err(ConvertError::NoMoreData) => break,
            Err(e) => panic!("{e}"),
        }
    }
    assert_eq!(indicators, vec![(25, true), (16, true), (7, false)]);
    assert_eq!(collected, long.as_bytes());
}

#[test]
fn get_data_in_pieces_wchar_surrogates() {
    let s = "😀😀😀";
    let value = Value::Text(s.as_bytes());
    let mut offset = 0;
    // 3 code units fit, but a pair needs 2: one emoji per call.
    let mut out = [0u8; 8];
    let mut units = Vec::new();
    let mut calls = 0;
    while let Ok(w) = write_cell(value, CType::WChar, &mut out, &mut offset, None) {
        calls += 1;
        let n = if w.truncated { 4 } else { w.indicator as usize };
        units.extend(out[..n].chunks(2).map(|c| u16::from_le_bytes([c[0], c[1]])));
        assert!(calls < 10);
    }
    assert_eq!(calls, 3);
    assert_eq!(String::from_utf16(&units).unwrap(), s);
}

#[test]
fn get_data_binary_pieces() {
    let data: Vec<u8> = (0..=255).collect();
    let value = Value::Binary(&data);
    let mut offset = 0;
    let mut out = [0u8; 100];
    let mut got = Vec::new();
    while let Ok(w) = write_cell(value, CType::Binary, &mut out, &mut offset, None) {
        let n = (w.indicator as usize).min(out.len());
        got.extend_from_slice(&out[..n]);
    }
    assert_eq!(got, data);
}

#[test]
fn canonical_text() {
    assert_eq!(char_text(Value::I32(-7)), "-7");
    assert_eq!(char_text(Value::I64(i64::MAX)), "9223372036854775807");
    assert_eq!(char_text(Value::Bool(false)), "0");
    assert_eq!(char_text(Value::F64(1.5)), "1.5");
    assert_eq!(char_text(Value::F64(1e100)), "1e+100");
    assert_eq!(char_text(Value::F64(f64::NAN)), "NaN");
    assert_eq!(
        char_text(Value::Decimal {
            unscaled: 0,
            scale: 7
        }),
        "0.0000000"
    );
    assert_eq!(char_text(Value::Date(0)), "1970-01-01");
    assert_eq!(
        char_text(Value::Timestamp {
            micros: 1_000_001,
            zone: None
        }),
        "1970-01-01 00:00:01.000001"
    );
    assert_eq!(
        char_text(Value::Timestamp {
            micros: 0,
            zone: Some("America/New_York")
        }),
        "1969-12-31 19:00:00-05:00"
    );
    assert_eq!(
        char_text(Value::IntervalMicros(90_000_000)),
        "0 00:01:30.000000"
    );
    assert_eq!(char_text(Value::Binary(&[0xDE, 0xAD])), "DEAD");
    assert_eq!(char_text(Value::Text("ü".as_bytes())), "ü");
}

#[test]
fn decimal38_extremes() {
    let max = 10i128.pow(38) - 1;
    for scale in [0, 10, 38] {
        for unscaled in [max, -max] {
            let value = Value::Decimal { unscaled, scale };
            let text = char_text(value);
            assert_eq!(
                text,
                crate::wire::decimal::decimal_to_string(unscaled, scale)
            );
            assert_eq!(
                text.trim_start_matches('-')
                    .replace('.', "")
                    .trim_start_matches('0')
                    .len(),
                38
            );
            // WChar gives the same characters.
            let (out, w) = cell(value, CType::WChar, 100).unwrap();
            let units: Vec<u16> = out[..w.indicator as usize]
                .chunks(2)
                .map(|c| u16::from_le_bytes([c[0], c[1]]))
                .collect();
            assert_eq!(String::from_utf16(&units).unwrap(), text);
            let mut num = [0u8; 19];
            let mut offset = 0;
            let w = write_cell(value, CType::Numeric, &mut num, &mut offset, None).unwrap();
            assert!(!w.fractional_truncation);
            let n = layout::get_numeric(&num).unwrap();
            assert_eq!(
                (n.precision, n.scale as i32, n.positive),
                (38, scale, unscaled > 0)
            );
            assert_eq!(n.magnitude, max as u128);
        }
    }
}

#[test]
fn timestamp_struct_has_nanoseconds() {
    let mut out = [0u8; 16];
    let mut offset = 0;
    let value = Value::Timestamp {
        micros: 1_700_000_000_123_456,
        zone: None,
    };
    write_cell(value, CType::TypeTimestamp, &mut out, &mut offset, None).unwrap();
    let ts = layout::get_timestamp(&out).unwrap();
    assert_eq!(ts.fraction, 123_456_000);
    assert_eq!((ts.date.year, ts.date.month, ts.date.day), (2023, 11, 14));
    assert_eq!((ts.time.hour, ts.time.minute, ts.time.second), (22, 13, 20));
}

#[test]
fn restricted_pairs_are_07006() {
    let date = Value::Date(0);
    let ts = Value::Timestamp {
        micros: 0,
        zone: None,
    };
    let interval = Value::IntervalMicros(0);
    let binary = Value::Binary(b"\x01");
    let numbers = [
        Value::I32(1),
        Value::I64(1),
        Value::F64(1.0),
        Value::Bool(true),
        Value::Decimal {
            unscaled: 1,
            scale: 0,
        },
    ];
    let numeric_targets = [
        CType::Bit,
        CType::STinyInt,
        CType::UTinyInt,
        CType::SShort,
        CType::UShort,
        CType::SLong,
        CType::ULong,
        CType::SBigInt,
        CType::UBigInt,
        CType::Float,
        CType::Double,
        CType::Numeric,
    ];
    let mut cases: Vec<(Value<'_>, CType)> = Vec::new();
    for t in numeric_targets {
        cases.extend([(date, t), (ts, t), (interval, t), (binary, t)]);
    }
    for v in numbers {
        cases.extend([
            (v, CType::TypeDate),
            (v, CType::TypeTime),
            (v, CType::TypeTimestamp),
            (v, CType::IntervalDaySecond),
        ]);
    }
    cases.extend([
        (date, CType::TypeTime),
        (date, CType::IntervalDaySecond),
        (ts, CType::IntervalDaySecond),
        (interval, CType::TypeDate),
        (interval, CType::TypeTimestamp),
        (binary, CType::TypeDate),
        (binary, CType::IntervalDaySecond),
    ]);
    for (value, target) in cases {
        assert_eq!(
            cell(value, target, 32).map(|_| ()),
            Err(ConvertError::RestrictedConversion),
            "{value:?} -> {target:?}"
        );
    }
}

#[test]
fn every_source_reaches_char_wchar_binary() {
    let values = [
        Value::Bool(true),
        Value::I32(1),
        Value::I64(1),
        Value::F64(1.0),
        Value::Date(0),
        Value::Timestamp {
            micros: 0,
            zone: Some("+01:00"),
        },
        Value::Decimal {
            unscaled: 1,
            scale: 1,
        },
        Value::Text(b"t"),
        Value::Binary(b"b"),
        Value::IntervalMicros(1),
    ];
    for v in values {
        for t in [CType::Char, CType::WChar, CType::Binary] {
            let (_, w) = cell(v, t, 64).unwrap_or_else(|e| panic!("{v:?} -> {t:?}: {e}"));
            assert!(w.indicator > 0 && !w.truncated, "{v:?} -> {t:?}");
        }
    }
}

#[test]
fn default_c_types_accept_their_columns() {
    use crate::odbc::sqltype::from_metadata_type;
    let cases = [
        ("LONG", Value::I64(5)),
        ("INTEGER", Value::I32(5)),
        ("DOUBLE", Value::F64(5.5)),
        ("FLOAT", Value::F64(5.5)),
        ("BOOLEAN", Value::Bool(true)),
        ("STRING", Value::Text(b"s")),
        ("DATE", Value::Date(0)),
        (
            "DATETIME",
            Value::Timestamp {
                micros: 0,
                zone: None,
            },
        ),
        (
            "DECIMAL128",
            Value::Decimal {
                unscaled: 5,
                scale: 1,
            },
        ),
        ("BINARY", Value::Binary(b"b")),
        ("INTERVAL_DAY_SECOND", Value::IntervalMicros(5)),
        ("ARRAY", Value::Text(b"[1]")),
    ];
    for (name, value) in cases {
        let info = from_metadata_type(name, Some(1));
        let target = CType::from_code(info.default_c_type).unwrap();
        assert_eq!(CType::default_for(info.sql_type), Some(target), "{name}");
        let (_, w) = cell(value, target, info.octet_length as usize + 2).unwrap();
        assert!(!w.truncated && !w.fractional_truncation, "{name}");
    }
}

proptest! {
    #[test]
    fn integers_round_trip_through_char(v in any::<i64>()) {
        let text = char_text(Value::I64(v));
        prop_assert_eq!(text.parse::<i64>().unwrap(), v);
        let mut out = [0u8; 8];
        let mut offset = 0;
        write_cell(Value::Text(text.as_bytes()), CType::SBigInt, &mut out, &mut offset, None).unwrap();
        prop_assert_eq!(i64::from_ne_bytes(out), v);
    }

    #[test]
    fn doubles_round_trip_through_char(x in any::<f64>().prop_filter("finite", |x| x.is_finite())) {
        let text = char_text(Value::F64(x));
        prop_assert_eq!(text.parse::<f64>().unwrap(), x);
        let mut out = [0u8; 8];
        let mut offset = 0;
        write_cell(Value::Text(text.as_bytes()), CType::Double, &mut out, &mut offset, None).unwrap();
        prop_assert_eq!(f64::from_ne_bytes(out), x);
    }

    #[test]
    fn decimal_text_matches_wire_helper(
        unscaled in -(10i128.pow(38) - 1)..10i128.pow(38),
        scale in -76i32..=76,
    ) {
        let text = char_text(Value::Decimal { unscaled, scale });
        prop_assert_eq!(text, crate::wire::decimal::decimal_to_string(unscaled, scale));
    }

    #[test]
    fn numeric_struct_round_trip(
        unscaled in -(10i128.pow(38) - 1)..10i128.pow(38),
        scale in 0i32..=38,
    ) {
        let value = Value::Decimal { unscaled, scale };
        let mut num = [0u8; 19];
        let mut offset = 0;
        write_cell(value, CType::Numeric, &mut num, &mut offset, None).unwrap();
        let back = read_param(CType::Numeric, crate::odbc::sqltype::SQL_DECIMAL, &num, 0, None).unwrap();
        prop_assert_eq!(
            back,
            crate::client::ParamValue::Decimal(crate::wire::decimal::decimal_to_string(unscaled, scale))
        );
    }

    #[test]
    fn pieces_reassemble_text(s in "\\PC{0,40}", size in 1usize..12) {
        // `\PC` has no control characters, so the first NUL ends each piece.
        let value = Value::Text(s.as_bytes());
        // At least 4 data bytes, so every UTF-8 character fits in some piece.
        let mut out = vec![0u8; size + 4];
        let mut offset = 0;
        let mut got = Vec::new();
        let mut remaining = s.len();
        loop {
            match write_cell(value, CType::Char, &mut out, &mut offset, None) {
                Ok(w) => {
                    prop_assert_eq!(w.indicator as usize, remaining);
                    let n = out.iter().position(|b| *b == 0).unwrap();
                    prop_assert!(std::str::from_utf8(&out[..n]).is_ok());
                    prop_assert_eq!(w.truncated, n < remaining);
                    got.extend_from_slice(&out[..n]);
                    remaining -= n;
                }
                Err(ConvertError::NoMoreData) => break,
                Err(e) => return Err(TestCaseError::fail(e.to_string())),
            }
        }
        prop_assert_eq!(got, s.as_bytes());
    }

    #[test]
    fn pieces_reassemble_wide_text(s in "\\PC{0,40}", units in 2usize..8) {
        let value = Value::Text(s.as_bytes());
        let mut out = vec![0u8; (units + 1) * 2];
        let mut offset = 0;
        let mut got: Vec<u16> = Vec::new();
        let mut remaining = s.encode_utf16().count() * 2;
        loop {
            match write_cell(value, CType::WChar, &mut out, &mut offset, None) {
                Ok(w) => {
                    prop_assert_eq!(w.indicator as usize, remaining);
                    let piece: Vec<u16> = out
                        .chunks(2)
                        .map(|c| u16::from_le_bytes([c[0], c[1]]))
                        .take_while(|u| *u != 0)
                        .collect();
                    // A surrogate pair is never split.
                    prop_assert!(String::from_utf16(&piece).is_ok());
                    prop_assert_eq!(w.truncated, piece.len() * 2 < remaining);
                    remaining -= piece.len() * 2;
                    got.extend(piece);
                }
                Err(ConvertError::NoMoreData) => break,
                Err(e) => return Err(TestCaseError::fail(e.to_string())),
            }
        }
        prop_assert_eq!(String::from_utf16(&got).unwrap(), s);
    }

    #[test]
    fn timestamps_round_trip_through_char(micros in -62_135_596_800_000_000i64..253_402_300_799_999_999) {
        let text = char_text(Value::Timestamp { micros, zone: None });
        let mut out = [0u8; 16];
        let mut offset = 0;
        write_cell(Value::Text(text.as_bytes()), CType::TypeTimestamp, &mut out, &mut offset, None).unwrap();
        let mut direct = [0u8; 16];
        let mut offset = 0;
        write_cell(Value::Timestamp { micros, zone: None }, CType::TypeTimestamp, &mut direct, &mut offset, None).unwrap();
        prop_assert_eq!(out, direct);
    }
}
