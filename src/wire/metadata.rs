//! Result metadata (spec §7.1): the `GetResultMetadataResponse.resultMetaData` bytes, laid out
//! as Java's `DataOutputStream` writes them: a big-endian i64 row count, an i32 field count, then
//! four `writeUTF` strings per field (name, type, zone, format). Strings are a u16 big-endian byte
//! length followed by modified UTF-8 ([`super::mutf8`]).

use super::WireError;
use super::cursor::Cursor;
use super::mutf8;

/// One result column as described by the engine.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ColumnMeta {
    /// Column name.
    pub name: String,
    /// Engine type name (`LONG`, `STRING`, `DECIMAL128`, ...).
    pub type_name: String,
    /// Zone (DATE/DATETIME only; usually empty).
    pub zone: String,
    /// Format (DATE/DATETIME only; usually empty).
    pub format: String,
}

/// Decoded `resultMetaData`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ResultMetadata {
    /// Row count reported by the engine.
    pub row_count: i64,
    /// Columns in result order.
    pub columns: Vec<ColumnMeta>,
}

/// The smallest possible field record: four empty strings, each a 2-byte length.
const MIN_FIELD_BYTES: usize = 8;

/// Decodes `resultMetaData`. Bytes after the last field are ignored, as the reference reader
/// does. Strings may be modified or standard UTF-8.
pub fn decode_metadata(bytes: &[u8]) -> Result<ResultMetadata, WireError> {
    let mut cursor = Cursor::new(bytes);
    let row_count = cursor.read_i64()?;
    let count_offset = cursor.position();
    let field_count = cursor.read_i32()?;
    let field_count = usize::try_from(field_count).map_err(|_| {
        WireError::malformed(
            count_offset,
            format!("field count {field_count} is negative"),
        )
    })?;
    let min_bytes = field_count.saturating_mul(MIN_FIELD_BYTES);
    if min_bytes > cursor.remaining() {
        return Err(WireError::Truncated {
            offset: cursor.position(),
            needed: min_bytes - cursor.remaining(),
        });
    }
    let mut columns = Vec::with_capacity(field_count);
    for _ in 0..field_count {
        columns.push(ColumnMeta {
            name: read_utf(&mut cursor)?,
            type_name: read_utf(&mut cursor)?,
            zone: read_utf(&mut cursor)?,
            format: read_utf(&mut cursor)?,
        });
    }
    Ok(ResultMetadata { row_count, columns })
}

/// One `writeUTF` string.
fn read_utf(cursor: &mut Cursor<'_>) -> Result<String, WireError> {
    let len = usize::from(cursor.read_u16()?);
    let start = cursor.position();
    let bytes = cursor.take(len)?;
    mutf8::decode(bytes).map_err(|e| {
        WireError::malformed(start + e.at, "metadata string is not valid modified UTF-8")
    })
}

/// Encodes `resultMetaData` exactly as Java's `DataOutputStream` would. Fails when a string's
/// modified UTF-8 encoding exceeds 65535 bytes (the `writeUTF` limit) or there are more than
/// `i32::MAX` columns.
pub fn encode_metadata(meta: &ResultMetadata) -> Result<Vec<u8>, WireError> {
    let field_count = i32::try_from(meta.columns.len()).map_err(|_| {
        WireError::inconsistent(format!(
            "{} columns exceed the metadata format's limit of {}",
            meta.columns.len(),
            i32::MAX
        ))
    })?;
    let strings_len: usize = meta
        .columns
        .iter()
        .map(|c| c.name.len() + c.type_name.len() + c.zone.len() + c.format.len())
        .sum();
    let mut out = Vec::with_capacity(12 + meta.columns.len() * MIN_FIELD_BYTES + strings_len);
    out.extend_from_slice(&meta.row_count.to_be_bytes());
    out.extend_from_slice(&field_count.to_be_bytes());
    for column in &meta.columns {
        for (what, text) in [
            ("name", &column.name),
            ("type name", &column.type_name),
            ("zone", &column.zone),
            ("format", &column.format),
        ] {
            write_utf(text, &mut out).map_err(|len| {
                WireError::inconsistent(format!(
                    "the {what} of column {:?} is {len} bytes in modified UTF-8; \
                     the metadata format allows at most 65535",
                    truncate_for_message(&column.name)
                ))
            })?;
        }
    }
    Ok(out)
}

/// Appends one `writeUTF` string; on overflow returns the encoded length instead.
fn write_utf(text: &str, out: &mut Vec<u8>) -> Result<(), usize> {
    let len = mutf8::encoded_len(text);
    let prefix = u16::try_from(len).map_err(|_| len)?;
    out.extend_from_slice(&prefix.to_be_bytes());
    mutf8::encode_into(text, out);
    Ok(())
}

/// At most 64 characters of `text`, so error messages stay readable.
fn truncate_for_message(text: &str) -> &str {
    match text.char_indices().nth(64) {
        Some((end, _)) => text.get(..end).unwrap_or(text),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn col(name: &str, type_name: &str) -> ColumnMeta {
        ColumnMeta {
            name: name.into(),
            type_name: type_name.into(),
            ..ColumnMeta::default()
        }
    }

    /// Spec §7.1 worked example: `id LONG`, `name STRING`, row count 2.
    const EXAMPLE: [u8; 44] = [
        0, 0, 0, 0, 0, 0, 0, 2, // row count
        0, 0, 0, 2, // field count
        0, 2, b'i', b'd', //
        0, 4, b'L', b'O', b'N', b'G', //
        0, 0, 0, 0, //
        0, 4, b'n', b'a', b'm', b'e', //
        0, 6, b'S', b'T', b'R', b'I', b'N', b'G', //
        0, 0, 0, 0,
    ];

    fn example() -> ResultMetadata {
        ResultMetadata {
            row_count: 2,
            columns: vec![col("id", "LONG"), col("name", "STRING")],
        }
    }

    #[test]
    fn spec_example_decodes() {
        assert_eq!(decode_metadata(&EXAMPLE).unwrap(), example());
    }

    #[test]
    fn spec_example_encodes_byte_exactly() {
        assert_eq!(encode_metadata(&example()).unwrap(), EXAMPLE);
    }

    #[test]
    fn no_columns_is_row_count_and_zero() {
        let bytes = [0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0];
        let meta = decode_metadata(&bytes).unwrap();
        assert_eq!(meta.row_count, 1);
        assert!(meta.columns.is_empty());
        assert_eq!(encode_metadata(&meta).unwrap(), bytes);
    }

    #[test]
    fn trailing_bytes_are_ignored() {
        let mut bytes = EXAMPLE.to_vec();
        bytes.extend_from_slice(b"extra");
        assert_eq!(decode_metadata(&bytes).unwrap(), example());
    }

    #[test]
    fn zone_and_format_keep_their_positions() {
        let meta = ResultMetadata {
            row_count: -1,
            columns: vec![ColumnMeta {
                name: "d".into(),
                type_name: "DATETIME".into(),
                zone: "+05:30".into(),
                format: "yyyy-MM-dd HH:mm:ss".into(),
            }],
        };
        let bytes = encode_metadata(&meta).unwrap();
        assert_eq!(decode_metadata(&bytes).unwrap(), meta);
    }

    #[test]
    fn nul_and_non_bmp_names_use_modified_utf8() {
        let meta = ResultMetadata {
            row_count: 0,
            columns: vec![col("a\0\u{1F600}", "STRING")],
        };
        let bytes = encode_metadata(&meta).unwrap();
        let name = &bytes[12..12 + 2 + 9];
        assert_eq!(
            name,
            [0, 9, b'a', 0xc0, 0x80, 0xed, 0xa0, 0xbd, 0xed, 0xb8, 0x80]
        );
        assert_eq!(decode_metadata(&bytes).unwrap(), meta);
    }

    #[test]
    fn standard_utf8_from_a_non_java_server_is_accepted() {
        let mut bytes = vec![0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1];
        bytes.extend_from_slice(&[0, 4]);
        bytes.extend_from_slice("\u{1F600}".as_bytes());
        bytes.extend_from_slice(&[0, 0, 0, 0, 0, 0]);
        let meta = decode_metadata(&bytes).unwrap();
        assert_eq!(meta.columns[0].name, "\u{1F600}");
    }

    #[test]
    fn invalid_string_bytes_are_malformed_with_their_offset() {
        let mut bytes = vec![0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1];
        bytes.extend_from_slice(&[0, 2, b'a', 0xff, 0, 0, 0, 0, 0, 0]);
        assert!(matches!(
            decode_metadata(&bytes),
            Err(WireError::Malformed { offset: 15, .. })
        ));
    }

    #[test]
    fn negative_field_count_is_malformed() {
        let bytes = [0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0, 0];
        assert!(matches!(
            decode_metadata(&bytes),
            Err(WireError::Malformed { offset: 8, .. })
        ));
    }

    #[test]
    fn absurd_field_count_fails_before_allocating() {
        let bytes = [0, 0, 0, 0, 0, 0, 0, 0, 0x7f, 0xff, 0xff, 0xff, 0, 0, 0, 0];
        assert_eq!(
            decode_metadata(&bytes),
            Err(WireError::Truncated {
                offset: 12,
                needed: 0x7fff_ffff * 8 - 4
            })
        );
    }

    #[test]
    fn every_truncation_of_the_example_is_an_error() {
        for len in 0..EXAMPLE.len() {
            assert!(decode_metadata(&EXAMPLE[..len]).is_err(), "prefix {len}");
        }
    }

    #[test]
    fn string_longer_than_65535_bytes_cannot_be_encoded() {
        let fits = ResultMetadata {
            row_count: 0,
            columns: vec![col(&"x".repeat(65535), "STRING")],
        };
        assert_eq!(
            decode_metadata(&encode_metadata(&fits).unwrap()).unwrap(),
            fits
        );
        // Each NUL takes two bytes (`C0 80`), so 32768 of them need 65536.
        let too_long = ResultMetadata {
            row_count: 0,
            columns: vec![col("c", &"\0".repeat(32768))],
        };
        let err = encode_metadata(&too_long).unwrap_err();
        assert!(
            err.to_string()
                .contains("type name of column \"c\" is 65536 bytes"),
            "{err}"
        );
    }

    fn column_meta() -> impl Strategy<Value = ColumnMeta> {
        (
            any::<String>(),
            any::<String>(),
            any::<String>(),
            any::<String>(),
        )
            .prop_map(|(name, type_name, zone, format)| ColumnMeta {
                name,
                type_name,
                zone,
                format,
            })
    }

    proptest! {
        #[test]
        fn metadata_round_trips(
            row_count in any::<i64>(),
            columns in proptest::collection::vec(column_meta(), 0..8),
        ) {
            let meta = ResultMetadata { row_count, columns };
            let bytes = encode_metadata(&meta).unwrap();
            prop_assert_eq!(decode_metadata(&bytes).unwrap(), meta);
        }

        #[test]
        fn garbage_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..128)) {
            let _ = decode_metadata(&bytes);
        }

        #[test]
        fn garbage_after_a_valid_header_never_panics(
            count in any::<i32>(),
            rest in proptest::collection::vec(any::<u8>(), 0..128),
        ) {
            let mut bytes = vec![0u8; 8];
            bytes.extend_from_slice(&count.to_be_bytes());
            bytes.extend_from_slice(&rest);
            let _ = decode_metadata(&bytes);
        }
    }
}
