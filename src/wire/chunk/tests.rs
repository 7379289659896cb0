//! Unit and property tests of the chunk codec and model.

use super::schema::Member;
use super::*;
use crate::wire::WireError;
use crate::wire::thrift::{TType, Writer};
use proptest::prelude::*;

/// Spec §7.4: `id LONG = [42, -1]`, `name STRING = ["hi", NULL]`, 132 bytes.
const SPEC_EXAMPLE_HEX: &str = "\
080001000000020f00020c0000000208000100000002080002000000060f0003020000000200000c00040c00030f00010a\
00000002000000000000002affffffffffffffff0000020005000008000100000002080002000000070f00030200000002\
00010c00040c00070f00010b00000002000000026869000000000000020005000000";

fn hex(text: &str) -> Vec<u8> {
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap())
        .collect()
}

fn spec_example() -> Chunk {
    Chunk {
        rows: 2,
        columns: vec![
            Column::new(
                VectorType::Long,
                vec![false, false],
                ColumnValues::Int64(vec![42, -1]),
            )
            .unwrap(),
            Column::new(
                VectorType::String,
                vec![false, true],
                ColumnValues::from_byte_values([&b"hi"[..], b""]).unwrap(),
            )
            .unwrap(),
        ],
    }
}

fn bytes_values(values: &[&str]) -> ColumnValues {
    ColumnValues::from_byte_values(values.iter().map(|v| v.as_bytes())).unwrap()
}

fn round_trip(chunk: &Chunk) -> Chunk {
    let bytes = encode_chunk(chunk).unwrap();
    decode_chunk(&bytes).unwrap()
}

#[test]
fn spec_example_decodes() {
    let bytes = hex(SPEC_EXAMPLE_HEX);
    assert_eq!(bytes.len(), 132);
    let chunk = decode_chunk(&bytes).unwrap();
    assert_eq!(chunk, spec_example());
    let [id, name] = &chunk.columns[..] else {
        panic!("two columns expected")
    };
    assert_eq!(id.value(0), Value::I64(42));
    assert_eq!(id.value(1), Value::I64(-1));
    assert_eq!(name.value(0), Value::Text(b"hi"));
    assert_eq!(name.value(1), Value::Null);
}

#[test]
fn spec_example_encodes_byte_exactly() {
    assert_eq!(
        encode_chunk(&spec_example()).unwrap(),
        hex(SPEC_EXAMPLE_HEX)
    );
}

#[test]
fn every_prefix_of_a_valid_chunk_is_an_error() {
    let bytes = encode_chunk(&all_types_chunk()).unwrap();
    for len in 0..bytes.len() {
        assert!(
            decode_chunk(&bytes[..len]).is_err(),
            "prefix of {len} bytes"
        );
    }
    assert!(decode_chunk(&bytes).is_ok());
    let example = hex(SPEC_EXAMPLE_HEX);
    for len in 0..example.len() {
        assert!(
            decode_chunk(&example[..len]).is_err(),
            "prefix of {len} bytes"
        );
    }
}

/// Three rows of every supported type, non-constant and constant, with NULLs.
fn all_types_chunk() -> Chunk {
    let nulls = vec![false, true, false];
    let col = |t, values| Column::new(t, nulls.clone(), values).unwrap();
    let konst = |t, values| Column::constant(t, false, values).unwrap();
    Chunk::new(
        3,
        vec![
            col(
                VectorType::Boolean,
                ColumnValues::Bool(vec![true, false, false]),
            ),
            col(
                VectorType::Integer,
                ColumnValues::Int32(vec![i32::MIN, 0, i32::MAX]),
            ),
            col(
                VectorType::Long,
                ColumnValues::Int64(vec![i64::MIN, 0, i64::MAX]),
            ),
            col(
                VectorType::Double,
                ColumnValues::Float64(vec![-1.5, 0.0, f64::MAX]),
            ),
            col(
                VectorType::Float,
                ColumnValues::Float64(vec![0.10000000149011612, 0.0, 1.0]),
            ),
            col(
                VectorType::String,
                bytes_values(&["héllo", "", "\u{1F600}"]),
            ),
            col(
                VectorType::Binary,
                ColumnValues::from_byte_values([&[0xff, 0][..], b"", b"\x80"]).unwrap(),
            ),
            col(VectorType::Array, bytes_values(&["[1,2]", "", "[]"])),
            col(VectorType::Map, bytes_values(&["{a:1}", "", "{}"])),
            col(VectorType::Struct, bytes_values(&["{x:1}", "", "{}"])),
            col(
                VectorType::Date,
                ColumnValues::Date(vec![-86_400_000_000, 0, 253_402_300_800_000_000]),
            ),
            col(
                VectorType::DateTime,
                ColumnValues::Time {
                    micros: vec![-43_200_000_000, 0, 1_770_854_400_123_456],
                    zones: None,
                },
            ),
            col(
                VectorType::TimestampTz,
                ColumnValues::Time {
                    micros: vec![0, 0, 0],
                    zones: Some(vec!["+05:30".into(), "".into(), "America/New_York".into()]),
                },
            ),
            col(
                VectorType::TimestampTz,
                ColumnValues::Time {
                    micros: vec![1, 2, 3],
                    zones: None,
                },
            ),
            col(
                VectorType::Decimal128,
                ColumnValues::Decimal {
                    unscaled: vec![12345, 0, -5],
                    scale: 2,
                },
            ),
            col(
                VectorType::IntervalDaySecond,
                ColumnValues::Int64(vec![-1, 0, 86_400_000_001]),
            ),
            Column::null(),
            konst(VectorType::Boolean, ColumnValues::Bool(vec![true])),
            konst(VectorType::Integer, ColumnValues::Int32(vec![-7])),
            konst(VectorType::Long, ColumnValues::Int64(vec![7])),
            konst(VectorType::Double, ColumnValues::Float64(vec![2.5])),
            konst(VectorType::Float, ColumnValues::Float64(vec![0.5])),
            konst(VectorType::String, bytes_values(&["same"])),
            konst(
                VectorType::Binary,
                ColumnValues::from_byte_values([&[0u8, 1][..]]).unwrap(),
            ),
            konst(VectorType::Date, ColumnValues::Date(vec![-1])),
            konst(
                VectorType::DateTime,
                ColumnValues::Time {
                    micros: vec![5],
                    zones: None,
                },
            ),
            konst(
                VectorType::TimestampTz,
                ColumnValues::Time {
                    micros: vec![5],
                    zones: Some(vec!["Z".into()]),
                },
            ),
            konst(
                VectorType::Decimal128,
                ColumnValues::Decimal {
                    unscaled: vec![-1],
                    scale: 38,
                },
            ),
            konst(
                VectorType::IntervalDaySecond,
                ColumnValues::Int64(vec![1_000_000]),
            ),
            Column::constant(VectorType::Long, true, ColumnValues::Int64(vec![0])).unwrap(),
        ],
    )
    .unwrap()
}

#[test]
fn every_vector_type_round_trips() {
    let chunk = all_types_chunk();
    assert_eq!(round_trip(&chunk), chunk);
}

#[test]
fn accessors_map_each_type_to_its_value_kind() {
    let chunk = round_trip(&all_types_chunk());
    let cell = |c: usize, r: usize| chunk.columns[c].value(r);
    assert_eq!(cell(0, 0), Value::Bool(true));
    assert_eq!(cell(1, 0), Value::I32(i32::MIN));
    assert_eq!(cell(2, 2), Value::I64(i64::MAX));
    assert_eq!(cell(3, 0), Value::F64(-1.5));
    assert_eq!(cell(4, 0), Value::F64(0.10000000149011612));
    assert_eq!(cell(5, 0), Value::Text("héllo".as_bytes()));
    assert_eq!(cell(5, 2), Value::Text("\u{1F600}".as_bytes()));
    assert_eq!(cell(6, 0), Value::Binary(&[0xff, 0]));
    assert_eq!(cell(7, 0), Value::Text(b"[1,2]"));
    assert_eq!(cell(8, 0), Value::Text(b"{a:1}"));
    assert_eq!(cell(9, 0), Value::Text(b"{x:1}"));
    assert_eq!(cell(10, 0), Value::Date(-86_400_000_000));
    assert_eq!(
        cell(10, 2),
        Value::Date(253_402_300_800_000_000),
        "year 10000"
    );
    assert_eq!(
        cell(11, 0),
        Value::Timestamp {
            micros: -43_200_000_000,
            zone: None
        }
    );
    assert_eq!(
        cell(12, 0),
        Value::Timestamp {
            micros: 0,
            zone: Some("+05:30")
        }
    );
    assert_eq!(
        cell(12, 2),
        Value::Timestamp {
            micros: 0,
            zone: Some("America/New_York")
        }
    );
    assert_eq!(
        cell(13, 2),
        Value::Timestamp {
            micros: 3,
            zone: None
        }
    );
    assert_eq!(
        cell(14, 0),
        Value::Decimal {
            unscaled: 12345,
            scale: 2
        }
    );
    assert_eq!(cell(15, 2), Value::IntervalMicros(86_400_000_001));
    for r in 0..3 {
        assert_eq!(cell(16, r), Value::Null, "NULL column");
        assert!(chunk.columns[16].is_null(r));
        // Every non-constant column is NULL at row 1.
        for c in 0..16 {
            assert_eq!(chunk.columns[c].is_null(r), r == 1, "column {c} row {r}");
        }
        assert_eq!(cell(17, r), Value::Bool(true));
        assert_eq!(cell(18, r), Value::I32(-7));
        assert_eq!(cell(19, r), Value::I64(7));
        assert_eq!(cell(20, r), Value::F64(2.5));
        assert_eq!(cell(21, r), Value::F64(0.5));
        assert_eq!(cell(22, r), Value::Text(b"same"));
        assert_eq!(cell(23, r), Value::Binary(&[0, 1]));
        assert_eq!(cell(24, r), Value::Date(-1));
        assert_eq!(
            cell(25, r),
            Value::Timestamp {
                micros: 5,
                zone: None
            }
        );
        assert_eq!(
            cell(26, r),
            Value::Timestamp {
                micros: 5,
                zone: Some("Z")
            }
        );
        assert_eq!(
            cell(27, r),
            Value::Decimal {
                unscaled: -1,
                scale: 38
            }
        );
        assert_eq!(cell(28, r), Value::IntervalMicros(1_000_000));
        assert_eq!(cell(29, r), Value::Null, "constant NULL");
    }
    for column in &chunk.columns {
        assert_eq!(column.len_rows(3), 3);
        assert_eq!(
            column.value(3),
            if column.constant {
                column.value(0)
            } else {
                Value::Null
            }
        );
        assert_eq!(
            column.value(usize::MAX),
            if column.constant {
                column.value(0)
            } else {
                Value::Null
            }
        );
    }
}

#[test]
fn decimal128_extremes_at_every_scale() {
    let max = 10i128.pow(38) - 1;
    for scale in 0..=38 {
        let chunk = Chunk::new(
            3,
            vec![
                Column::new(
                    VectorType::Decimal128,
                    vec![false; 3],
                    ColumnValues::Decimal {
                        unscaled: vec![max, -max, 0],
                        scale,
                    },
                )
                .unwrap(),
            ],
        )
        .unwrap();
        let back = round_trip(&chunk);
        assert_eq!(back, chunk);
        assert_eq!(
            back.columns[0].value(1),
            Value::Decimal {
                unscaled: -max,
                scale
            }
        );
    }
}

#[test]
fn nan_and_negative_zero_keep_their_bits() {
    let nan = f64::from_bits(0x7ff8_0000_0000_1234);
    let chunk = Chunk::new(
        2,
        vec![
            Column::new(
                VectorType::Double,
                vec![false; 2],
                ColumnValues::Float64(vec![nan, -0.0]),
            )
            .unwrap(),
        ],
    )
    .unwrap();
    let ColumnValues::Float64(back) = &round_trip(&chunk).columns[0].values else {
        panic!("Float64 expected")
    };
    assert_eq!(back[0].to_bits(), nan.to_bits());
    assert_eq!(back[1].to_bits(), (-0.0f64).to_bits());
}

#[test]
fn check_columns_compares_with_the_metadata() {
    let chunk = spec_example();
    assert!(chunk.check_columns(2).is_ok());
    let err = chunk.check_columns(3).unwrap_err();
    assert!(
        err.to_string()
            .contains("2 vectors but the result metadata describes 3"),
        "{err}"
    );
}

#[test]
fn zero_row_chunk_with_no_vectors_decodes() {
    let chunk = Chunk::new(0, Vec::new()).unwrap();
    let bytes = encode_chunk(&chunk).unwrap();
    assert_eq!(
        bytes,
        [0x08, 0, 1, 0, 0, 0, 0, 0x0f, 0, 2, 0x0c, 0, 0, 0, 0, 0]
    );
    assert_eq!(decode_chunk(&bytes).unwrap(), chunk);
}

// ---- hand-built wire input ------------------------------------------------------------------

/// One field of a hand-built Vector.
enum F<'a> {
    Size(i32),
    Type(i32),
    Nulls(&'a [bool]),
    Constant(bool),
    /// A `Data` union whose members are written by the closure.
    Data(&'a dyn Fn(&mut Writer)),
    /// Any raw field.
    Raw(&'a dyn Fn(&mut Writer)),
}

fn vector(fields: &[F<'_>]) -> Vec<u8> {
    let mut w = Writer::default();
    for field in fields {
        match field {
            F::Size(n) => {
                w.field_header(TType::I32, 1);
                w.write_i32(*n);
            }
            F::Type(t) => {
                w.field_header(TType::I32, 2);
                w.write_i32(*t);
            }
            F::Nulls(nulls) => {
                w.field_header(TType::List, 3);
                w.bool_list(nulls).unwrap();
            }
            F::Data(members) => {
                w.field_header(TType::Struct, 4);
                members(&mut w);
                w.stop();
            }
            F::Constant(c) => {
                w.field_header(TType::Bool, 5);
                w.write_bool(*c);
            }
            F::Raw(write) => write(&mut w),
        }
    }
    w.stop();
    w.into_bytes()
}

fn chunk_bytes(size: i32, vectors: &[Vec<u8>]) -> Vec<u8> {
    let mut w = Writer::default();
    w.field_header(TType::I32, 1);
    w.write_i32(size);
    w.field_header(TType::List, 2);
    w.list_header(TType::Struct, vectors.len()).unwrap();
    let mut bytes = w.into_bytes();
    for v in vectors {
        bytes.extend_from_slice(v);
    }
    bytes.push(0);
    bytes
}

fn i64_member(member: Member, values: &[i64]) -> impl Fn(&mut Writer) + '_ {
    move |w| {
        w.field_header(TType::Struct, member.id());
        w.field_header(TType::List, 1);
        w.i64_list(values).unwrap();
        w.stop();
    }
}

fn const_i64(member: Member, value: i64) -> impl Fn(&mut Writer) {
    move |w| {
        w.field_header(TType::Struct, member.id());
        w.field_header(TType::I64, 1);
        w.write_i64(value);
        w.stop();
    }
}

fn decode_err(bytes: &[u8]) -> String {
    decode_chunk(bytes).unwrap_err().to_string()
}

#[test]
fn negative_chunk_size_is_malformed() {
    assert!(decode_err(&chunk_bytes(-1, &[])).contains("chunk size -1 is negative"));
}

#[test]
fn missing_chunk_size_is_malformed() {
    assert!(decode_err(&[0]).contains("no size"));
}

#[test]
fn vector_size_must_equal_the_chunk_size() {
    let longs = i64_member(Member::Int64, &[1]);
    let v = vector(&[F::Size(1), F::Type(6), F::Nulls(&[false]), F::Data(&longs)]);
    assert!(decode_chunk(&chunk_bytes(1, std::slice::from_ref(&v))).is_ok());
    let err = decode_err(&chunk_bytes(2, &[v]));
    assert!(
        err.contains("vector 0 has 1 rows but the chunk has 2"),
        "{err}"
    );
}

#[test]
fn list_lengths_must_equal_the_vector_size() {
    let longs = i64_member(Member::Int64, &[1, 2]);
    let short_nulls = vector(&[F::Size(2), F::Type(6), F::Nulls(&[false]), F::Data(&longs)]);
    assert!(
        decode_err(&chunk_bytes(2, &[short_nulls])).contains("nullSet has 1 entries for 2 rows")
    );
    let one = i64_member(Member::Int64, &[1]);
    let short_data = vector(&[
        F::Size(2),
        F::Type(6),
        F::Nulls(&[false, true]),
        F::Data(&one),
    ]);
    assert!(
        decode_err(&chunk_bytes(2, &[short_data])).contains("int64Data has 1 values for 2 rows")
    );
}

#[test]
fn unknown_and_legacy_vector_types_are_rejected() {
    let longs = i64_member(Member::Int64, &[1]);
    for code in [18, -1, 99] {
        let v = vector(&[
            F::Size(1),
            F::Type(code),
            F::Nulls(&[false]),
            F::Data(&longs),
        ]);
        let err = decode_err(&chunk_bytes(1, &[v]));
        assert!(err.contains(&format!("unknown vectorType {code}")), "{err}");
    }
    for code in [4, 10] {
        let v = vector(&[
            F::Size(1),
            F::Type(code),
            F::Nulls(&[false]),
            F::Data(&longs),
        ]);
        let err = decode_chunk(&chunk_bytes(1, &[v])).unwrap_err();
        assert!(matches!(err, WireError::Unsupported { .. }), "{err}");
        assert!(
            err.to_string().contains("DATETIME or TIMESTAMP_TZ"),
            "{err}"
        );
    }
}

#[test]
fn missing_null_set_or_data_is_malformed_except_for_null_vectors() {
    let longs = i64_member(Member::Int64, &[1]);
    let no_nulls = vector(&[F::Size(1), F::Type(6), F::Data(&longs)]);
    assert!(decode_err(&chunk_bytes(1, &[no_nulls])).contains("LONG vector has no nullSet"));
    let no_data = vector(&[F::Size(1), F::Type(6), F::Nulls(&[false])]);
    assert!(decode_err(&chunk_bytes(1, &[no_data])).contains("LONG vector has no data"));
    // Zero rows need no data.
    let empty = vector(&[F::Size(0), F::Type(7), F::Nulls(&[])]);
    let chunk = decode_chunk(&chunk_bytes(0, &[empty])).unwrap();
    assert_eq!(
        chunk.columns[0].values,
        ColumnValues::empty_for(VectorType::String).unwrap()
    );
    // A NULL vector needs neither, and ignores whatever it carries.
    let bare_null = vector(&[F::Size(3), F::Type(14)]);
    let noisy_null = vector(&[F::Size(3), F::Type(14), F::Nulls(&[false]), F::Data(&longs)]);
    let chunk = decode_chunk(&chunk_bytes(3, &[bare_null, noisy_null])).unwrap();
    assert_eq!(chunk.columns, vec![Column::null(), Column::null()]);
}

#[test]
fn constant_vectors_use_null_set_entry_zero() {
    let value = const_i64(Member::NumericConstant, 9);
    let v = vector(&[
        F::Size(4),
        F::Type(6),
        F::Nulls(&[false, true]),
        F::Data(&value),
        F::Constant(true),
    ]);
    let chunk = decode_chunk(&chunk_bytes(4, &[v])).unwrap();
    let column = &chunk.columns[0];
    assert!(column.constant);
    assert_eq!(column.nulls, [false]);
    assert_eq!(column.value(3), Value::I64(9));
    let empty_nulls = vector(&[
        F::Size(4),
        F::Type(6),
        F::Nulls(&[]),
        F::Data(&value),
        F::Constant(true),
    ]);
    assert!(decode_err(&chunk_bytes(4, &[empty_nulls])).contains("empty nullSet"));
}

#[test]
fn constant_integer_is_range_checked() {
    let fits = const_i64(Member::NumericConstant, i64::from(i32::MIN));
    let v = vector(&[
        F::Size(1),
        F::Type(5),
        F::Nulls(&[false]),
        F::Data(&fits),
        F::Constant(true),
    ]);
    assert_eq!(
        decode_chunk(&chunk_bytes(1, &[v])).unwrap().columns[0].value(0),
        Value::I32(i32::MIN)
    );
    let wide = const_i64(Member::NumericConstant, i64::from(i32::MAX) + 1);
    let v = vector(&[
        F::Size(1),
        F::Type(5),
        F::Nulls(&[false]),
        F::Data(&wide),
        F::Constant(true),
    ]);
    assert!(decode_err(&chunk_bytes(1, &[v])).contains("2147483648 does not fit in 32 bits"));
    // When the constant is NULL the value does not matter.
    let v = vector(&[
        F::Size(1),
        F::Type(5),
        F::Nulls(&[true]),
        F::Data(&wide),
        F::Constant(true),
    ]);
    assert_eq!(
        decode_chunk(&chunk_bytes(1, &[v])).unwrap().columns[0].value(0),
        Value::Null
    );
}

#[test]
fn constant_member_without_a_value_is_only_fine_when_null() {
    let empty = |w: &mut Writer| {
        w.field_header(TType::Struct, Member::VarcharConstant.id());
        w.stop();
    };
    let null = vector(&[
        F::Size(2),
        F::Type(7),
        F::Nulls(&[true]),
        F::Data(&empty),
        F::Constant(true),
    ]);
    let chunk = decode_chunk(&chunk_bytes(2, &[null])).unwrap();
    assert_eq!(chunk.columns[0].value(1), Value::Null);
    let not_null = vector(&[
        F::Size(2),
        F::Type(7),
        F::Nulls(&[false]),
        F::Data(&empty),
        F::Constant(true),
    ]);
    assert!(
        decode_err(&chunk_bytes(2, &[not_null])).contains("constant STRING vector has no value")
    );
}

#[test]
fn member_must_match_the_vector_type_and_constness() {
    let dates = i64_member(Member::Date, &[1]);
    let v = vector(&[F::Size(1), F::Type(9), F::Nulls(&[false]), F::Data(&dates)]);
    let err = decode_err(&chunk_bytes(1, &[v]));
    assert!(
        err.contains("a non-constant DATETIME vector carries dateData; expected timeData"),
        "{err}"
    );
    let longs = i64_member(Member::Int64, &[1]);
    let v = vector(&[
        F::Size(1),
        F::Type(6),
        F::Nulls(&[false]),
        F::Data(&longs),
        F::Constant(true),
    ]);
    let err = decode_err(&chunk_bytes(1, &[v]));
    assert!(
        err.contains("constant LONG vector carries int64Data; expected numericConstantData"),
        "{err}"
    );
}

#[test]
fn data_union_with_two_members_is_malformed() {
    let two = |w: &mut Writer| {
        i64_member(Member::Int64, &[1])(w);
        i64_member(Member::Date, &[1])(w);
    };
    let v = vector(&[F::Size(1), F::Type(6), F::Nulls(&[false]), F::Data(&two)]);
    assert!(decode_err(&chunk_bytes(1, &[v])).contains("two members set (int64Data and dateData)"));
}

#[test]
fn wrong_thrift_type_for_a_known_field_is_malformed() {
    let as_i64 = |w: &mut Writer| {
        w.field_header(TType::I64, 1);
        w.write_i64(1);
    };
    let v = vector(&[F::Raw(&as_i64), F::Type(6)]);
    let err = decode_err(&chunk_bytes(1, &[v]));
    assert!(
        err.contains("Vector.size (field 1) has Thrift type i64 instead of i32"),
        "{err}"
    );
}

#[test]
fn unknown_fields_are_skipped_at_every_level_and_order_is_free() {
    let unknown = |id: i16| {
        move |w: &mut Writer| {
            w.field_header(TType::Map, id);
            w.write_byte(11);
            w.write_byte(12);
            w.write_i32(1);
            w.write_binary(b"k").unwrap();
            w.field_header(TType::List, 1);
            w.list_header(TType::Double, 2).unwrap();
            w.write_double(1.0);
            w.write_double(2.0);
            w.stop();
        }
    };
    let data = |w: &mut Writer| {
        unknown(99)(w);
        w.field_header(TType::Struct, Member::Time.id());
        unknown(7)(w);
        w.field_header(TType::List, 2);
        w.binary_list(2, [&b"Z"[..], b"-08:00"]).unwrap();
        w.field_header(TType::List, 1);
        w.i64_list(&[10, 20]).unwrap();
        w.stop();
    };
    let u6 = unknown(6);
    let u42 = unknown(42);
    let zone_offset = |w: &mut Writer| {
        w.field_header(TType::Binary, 6);
        w.write_binary(b"+01:00").unwrap();
        w.field_header(TType::Binary, 7);
        w.write_binary(b"yyyy").unwrap();
    };
    let v = vector(&[
        F::Data(&data),
        F::Raw(&u42),
        F::Constant(false),
        F::Nulls(&[false, false]),
        F::Raw(&zone_offset),
        F::Type(15),
        F::Raw(&u6),
        F::Size(2),
    ]);
    let mut bytes = Vec::new();
    let mut w = Writer::default();
    w.field_header(TType::List, 2);
    w.list_header(TType::Struct, 1).unwrap();
    bytes.extend(w.into_bytes());
    bytes.extend(v);
    let mut w = Writer::default();
    unknown(3)(&mut w);
    w.field_header(TType::I32, 1);
    w.write_i32(2);
    w.stop();
    bytes.extend(w.into_bytes());
    bytes.extend_from_slice(b"trailing bytes are ignored");
    let chunk = decode_chunk(&bytes).unwrap();
    assert_eq!(chunk.rows, 2);
    assert_eq!(
        chunk.columns[0].value(0),
        Value::Timestamp {
            micros: 10,
            zone: Some("Z")
        }
    );
    assert_eq!(
        chunk.columns[0].value(1),
        Value::Timestamp {
            micros: 20,
            zone: Some("-08:00")
        }
    );
}

#[test]
fn datetime_ignores_zone_data_and_timestamp_tz_checks_its_length() {
    let with_zones = |zones: &'static [&'static [u8]]| {
        move |w: &mut Writer| {
            w.field_header(TType::Struct, Member::Time.id());
            w.field_header(TType::List, 1);
            w.i64_list(&[1, 2]).unwrap();
            w.field_header(TType::List, 2);
            w.binary_list(zones.len(), zones.iter().copied()).unwrap();
            w.stop();
        }
    };
    let one_zone = with_zones(&[b"Z"]);
    let v = vector(&[
        F::Size(2),
        F::Type(9),
        F::Nulls(&[false, false]),
        F::Data(&one_zone),
    ]);
    let chunk = decode_chunk(&chunk_bytes(2, &[v])).unwrap();
    assert_eq!(
        chunk.columns[0].value(1),
        Value::Timestamp {
            micros: 2,
            zone: None
        }
    );
    let v = vector(&[
        F::Size(2),
        F::Type(15),
        F::Nulls(&[false, false]),
        F::Data(&one_zone),
    ]);
    assert!(decode_err(&chunk_bytes(2, &[v])).contains("1 zones for 2 values"));
    let bad_utf8 = with_zones(&[b"Z", b"\xff"]);
    let v = vector(&[
        F::Size(2),
        F::Type(15),
        F::Nulls(&[false, false]),
        F::Data(&bad_utf8),
    ]);
    assert!(decode_err(&chunk_bytes(2, &[v])).contains("zone name is not UTF-8"));
}

#[test]
fn decimal_lengths_are_sign_extended_up_to_sixteen_bytes() {
    let values = |items: &'static [&'static [u8]], scale: Option<i32>| {
        move |w: &mut Writer| {
            w.field_header(TType::Struct, Member::Decimal128.id());
            w.field_header(TType::List, 1);
            w.binary_list(items.len(), items.iter().copied()).unwrap();
            if let Some(scale) = scale {
                w.field_header(TType::I32, 2);
                w.write_i32(scale);
            }
            w.stop();
        }
    };
    let short = values(&[b"\xff", b"\x01\x00", b""], None);
    let v = vector(&[
        F::Size(3),
        F::Type(16),
        F::Nulls(&[false; 3]),
        F::Data(&short),
    ]);
    let chunk = decode_chunk(&chunk_bytes(3, &[v])).unwrap();
    assert_eq!(
        chunk.columns[0].values,
        ColumnValues::Decimal {
            unscaled: vec![-1, 256, 0],
            scale: 0
        }
    );
    let long = values(&[&[0; 17]], Some(2));
    let v = vector(&[F::Size(1), F::Type(16), F::Nulls(&[false]), F::Data(&long)]);
    assert!(decode_err(&chunk_bytes(1, &[v])).contains("17 bytes; at most 16"));
    let wild_scale = values(&[&[1]], Some(1_000_000));
    let v = vector(&[
        F::Size(1),
        F::Type(16),
        F::Nulls(&[false]),
        F::Data(&wild_scale),
    ]);
    assert!(decode_err(&chunk_bytes(1, &[v])).contains("scale 1000000 is outside"));
}

#[test]
fn column_constructors_validate_their_input() {
    let err = |r: Result<Column, WireError>| r.unwrap_err().to_string();
    assert!(
        err(Column::new(
            VectorType::Long,
            vec![false],
            ColumnValues::Int32(vec![1])
        ))
        .contains("LONG column cannot hold Int32")
    );
    assert!(
        err(Column::new(
            VectorType::Long,
            vec![false, false],
            ColumnValues::Int64(vec![1])
        ))
        .contains("2 null flags but 1 values")
    );
    assert!(
        err(Column::constant(
            VectorType::Long,
            false,
            ColumnValues::Int64(vec![1, 2])
        ))
        .contains("exactly one null flag and one value")
    );
    assert!(
        err(Column::new(
            VectorType::Timestamp,
            vec![],
            ColumnValues::Int64(vec![])
        ))
        .contains("TIMESTAMP vectors cannot be sent")
    );
    assert!(
        err(Column::new(
            VectorType::DateTime,
            vec![false],
            ColumnValues::Time {
                micros: vec![1],
                zones: Some(vec!["Z".into()])
            }
        ))
        .contains("use TIMESTAMP_TZ")
    );
    assert!(
        err(Column::new(
            VectorType::String,
            vec![false],
            ColumnValues::Bytes {
                offsets: vec![0, 5],
                data: b"abc".to_vec()
            }
        ))
        .contains("offsets")
    );
    assert!(
        err(Column::new(
            VectorType::Decimal128,
            vec![false],
            ColumnValues::Decimal {
                unscaled: vec![1],
                scale: 77
            }
        ))
        .contains("scale 77")
    );
    let chunk_err = Chunk::new(3, vec![spec_example().columns[0].clone()]).unwrap_err();
    assert!(
        chunk_err
            .to_string()
            .contains("column 0 (LONG) has 2 rows but the chunk has 3")
    );
    // Non-canonical but valid offsets (a slice of a larger buffer) encode correctly.
    let sliced = Column::new(
        VectorType::String,
        vec![false, false],
        ColumnValues::Bytes {
            offsets: vec![2, 3, 5],
            data: b"xxabcyy".to_vec(),
        },
    )
    .unwrap();
    let back = round_trip(&Chunk::new(2, vec![sliced]).unwrap());
    assert_eq!(back.columns[0].value(1), Value::Text(b"bc"));
}

#[test]
fn hand_built_invalid_columns_read_as_null_instead_of_panicking() {
    let column = Column {
        vector_type: VectorType::String,
        constant: false,
        nulls: vec![false, false],
        values: ColumnValues::Bytes {
            offsets: vec![0, 9],
            data: vec![],
        },
    };
    assert_eq!(column.value(0), Value::Null);
    assert_eq!(column.value(1), Value::Null);
    assert!(
        encode_chunk(&Chunk {
            rows: 2,
            columns: vec![column]
        })
        .is_err()
    );
}

#[test]
fn vector_type_codes_and_names() {
    for (code, t) in VectorType::ALL.into_iter().enumerate() {
        let code = i32::try_from(code).unwrap();
        assert_eq!(t.code(), code);
        assert_eq!(VectorType::from_code(code), Some(t));
        assert_eq!(VectorType::from_name(t.name()), Some(t));
    }
    assert_eq!(VectorType::from_code(18), None);
    assert_eq!(VectorType::from_code(-1), None);
    assert_eq!(VectorType::IntervalDaySecond.name(), "INTERVAL_DAY_SECOND");
}

// ---- properties -----------------------------------------------------------------------------

const SUPPORTED: [VectorType; 16] = [
    VectorType::Binary,
    VectorType::Boolean,
    VectorType::Double,
    VectorType::Float,
    VectorType::Integer,
    VectorType::Long,
    VectorType::String,
    VectorType::Date,
    VectorType::DateTime,
    VectorType::Struct,
    VectorType::Map,
    VectorType::Array,
    VectorType::Null,
    VectorType::TimestampTz,
    VectorType::Decimal128,
    VectorType::IntervalDaySecond,
];

fn values_for(vector_type: VectorType, n: usize) -> BoxedStrategy<ColumnValues> {
    use VectorType as V;
    use proptest::collection::vec;
    let not_nan = any::<f64>().prop_filter("NaN is not equal to itself", |f| !f.is_nan());
    match vector_type {
        V::Boolean => vec(any::<bool>(), n).prop_map(ColumnValues::Bool).boxed(),
        V::Integer => vec(any::<i32>(), n).prop_map(ColumnValues::Int32).boxed(),
        V::Long | V::IntervalDaySecond => {
            vec(any::<i64>(), n).prop_map(ColumnValues::Int64).boxed()
        }
        V::Double | V::Float => vec(not_nan, n).prop_map(ColumnValues::Float64).boxed(),
        V::Date => vec(any::<i64>(), n).prop_map(ColumnValues::Date).boxed(),
        V::DateTime => vec(any::<i64>(), n)
            .prop_map(|micros| ColumnValues::Time {
                micros,
                zones: None,
            })
            .boxed(),
        V::TimestampTz => (
            vec(any::<i64>(), n),
            proptest::option::of(vec(".{0,12}", n)),
        )
            .prop_map(|(micros, zones)| ColumnValues::Time { micros, zones })
            .boxed(),
        V::Decimal128 => (vec(any::<i128>(), n), -76..=76i32)
            .prop_map(|(unscaled, scale)| ColumnValues::Decimal { unscaled, scale })
            .boxed(),
        V::Null => Just(ColumnValues::Null).boxed(),
        _ => vec(vec(any::<u8>(), 0..12), n)
            .prop_map(|v| ColumnValues::from_byte_values(v.iter().map(Vec::as_slice)).unwrap())
            .boxed(),
    }
}

fn column_for(rows: usize) -> impl Strategy<Value = Column> {
    (proptest::sample::select(&SUPPORTED[..]), any::<bool>()).prop_flat_map(move |(t, constant)| {
        let n = if constant { 1 } else { rows };
        (
            proptest::collection::vec(any::<bool>(), n),
            values_for(t, n),
        )
            .prop_map(move |(nulls, values)| match (t, constant) {
                (VectorType::Null, _) => Column::null(),
                (_, true) => Column::constant(t, nulls[0], values).unwrap(),
                (_, false) => Column::new(t, nulls, values).unwrap(),
            })
    })
}

fn any_chunk() -> impl Strategy<Value = Chunk> {
    (0usize..24).prop_flat_map(|rows| {
        proptest::collection::vec(column_for(rows), 0..7)
            .prop_map(move |columns| Chunk::new(rows, columns).unwrap())
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn random_chunks_round_trip(chunk in any_chunk()) {
        let bytes = encode_chunk(&chunk).unwrap();
        let back = decode_chunk(&bytes).unwrap();
        prop_assert_eq!(&back, &chunk);
        prop_assert_eq!(encode_chunk(&back).unwrap(), bytes);
        for column in &back.columns {
            for row in 0..chunk.rows {
                prop_assert_eq!(column.is_null(row), column.value(row) == Value::Null);
            }
        }
    }

    #[test]
    fn garbage_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        let _ = decode_chunk(&bytes);
    }

    #[test]
    fn corrupted_chunks_never_panic(
        chunk in any_chunk(),
        edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..4),
    ) {
        let mut bytes = encode_chunk(&chunk).unwrap();
        for (at, byte) in edits {
            let i = at.index(bytes.len());
            bytes[i] = byte;
        }
        if let Ok(decoded) = decode_chunk(&bytes) {
            // Whatever decodes is a valid model that encodes again.
            prop_assert!(decoded.validate().is_ok());
            prop_assert!(encode_chunk(&decoded).is_ok());
        }
    }

    #[test]
    fn truncated_random_chunks_are_errors(chunk in any_chunk(), cut in any::<prop::sample::Index>()) {
        let bytes = encode_chunk(&chunk).unwrap();
        let len = cut.index(bytes.len());
        prop_assert!(decode_chunk(&bytes[..len]).is_err());
    }
}
