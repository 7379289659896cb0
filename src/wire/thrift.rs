//! Thrift Binary protocol primitives (strict, unframed `TBinaryProtocol`; all integers
//! big-endian): a zero-copy [`Reader`] over a byte slice and a [`Writer`] into a `Vec<u8>`.
//!
//! The reader checks every length against the remaining input before it allocates, so a hostile
//! count can cost at most one pass over the bytes that are really there. Unknown fields of any
//! type can be skipped, with nesting bounded by [`MAX_DEPTH`].

use std::fmt;

use super::WireError;
use super::cursor::Cursor;

/// How deeply [`Reader::skip`] follows nested structs, lists, sets and maps before it gives up.
pub const MAX_DEPTH: usize = 64;

/// A Thrift wire type (the type byte of a field header or collection header).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TType {
    /// 1 byte, 0 or 1.
    Bool,
    /// i8.
    Byte,
    /// IEEE 754 binary64, 8 bytes.
    Double,
    /// 2 bytes.
    I16,
    /// 4 bytes; also enums.
    I32,
    /// 8 bytes.
    I64,
    /// i32 length, then the bytes (Thrift `string` and `binary`).
    Binary,
    /// Fields, then a stop byte (also unions).
    Struct,
    /// Key type, value type, i32 count, then the entries.
    Map,
    /// Element type, i32 count, then the elements.
    Set,
    /// Element type, i32 count, then the elements.
    List,
    /// 16 bytes.
    Uuid,
}

impl TType {
    /// The type for a wire type id, or `None` for an id Thrift does not define.
    pub fn from_code(code: u8) -> Option<Self> {
        Some(match code {
            2 => Self::Bool,
            3 => Self::Byte,
            4 => Self::Double,
            6 => Self::I16,
            8 => Self::I32,
            10 => Self::I64,
            11 => Self::Binary,
            12 => Self::Struct,
            13 => Self::Map,
            14 => Self::Set,
            15 => Self::List,
            16 => Self::Uuid,
            _ => return None,
        })
    }

    /// The wire type id.
    pub fn code(self) -> u8 {
        match self {
            Self::Bool => 2,
            Self::Byte => 3,
            Self::Double => 4,
            Self::I16 => 6,
            Self::I32 => 8,
            Self::I64 => 10,
            Self::Binary => 11,
            Self::Struct => 12,
            Self::Map => 13,
            Self::Set => 14,
            Self::List => 15,
            Self::Uuid => 16,
        }
    }

    /// The encoded size of every value of this type, for fixed-size types.
    fn fixed_size(self) -> Option<usize> {
        match self {
            Self::Bool | Self::Byte => Some(1),
            Self::I16 => Some(2),
            Self::I32 => Some(4),
            Self::Double | Self::I64 => Some(8),
            Self::Uuid => Some(16),
            Self::Binary | Self::Struct | Self::Map | Self::Set | Self::List => None,
        }
    }

    /// The size of the smallest value of this type: bounds element counts before allocating.
    fn min_size(self) -> usize {
        match self {
            Self::Binary => 4,
            Self::Struct => 1,
            Self::Map => 6,
            Self::Set | Self::List => 5,
            fixed => fixed.fixed_size().unwrap_or(1),
        }
    }
}

impl fmt::Display for TType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Bool => "bool",
            Self::Byte => "byte",
            Self::Double => "double",
            Self::I16 => "i16",
            Self::I32 => "i32",
            Self::I64 => "i64",
            Self::Binary => "binary",
            Self::Struct => "struct",
            Self::Map => "map",
            Self::Set => "set",
            Self::List => "list",
            Self::Uuid => "uuid",
        })
    }
}

/// A field header: the field's wire type and id, and where the header started.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldHeader {
    /// Wire type of the value that follows.
    pub ttype: TType,
    /// Field id.
    pub id: i16,
    /// Offset of the header's type byte.
    pub offset: usize,
}

/// A zero-copy Thrift Binary reader over a byte slice.
#[derive(Debug, Clone)]
pub struct Reader<'a> {
    cursor: Cursor<'a>,
}

impl<'a> Reader<'a> {
    /// A reader at the start of `buf`.
    pub fn new(buf: &'a [u8]) -> Self {
        Self {
            cursor: Cursor::new(buf),
        }
    }

    /// The absolute offset of the next byte to read.
    pub fn position(&self) -> usize {
        self.cursor.position()
    }

    /// How many bytes are left.
    pub fn remaining(&self) -> usize {
        self.cursor.remaining()
    }

    fn read_type(&mut self) -> Result<TType, WireError> {
        let offset = self.position();
        let code = self.cursor.read_u8()?;
        TType::from_code(code)
            .ok_or_else(|| WireError::malformed(offset, format!("unknown Thrift type id {code}")))
    }

    /// The next field header, or `None` at the struct's stop byte.
    pub fn read_field_header(&mut self) -> Result<Option<FieldHeader>, WireError> {
        let offset = self.position();
        if self.cursor.rest().first() == Some(&0) {
            self.cursor.take(1)?;
            return Ok(None);
        }
        let ttype = self.read_type()?;
        let id = self.cursor.read_i16()?;
        Ok(Some(FieldHeader { ttype, id, offset }))
    }

    /// A bool (any non-zero byte is `true`).
    pub fn read_bool(&mut self) -> Result<bool, WireError> {
        Ok(self.cursor.read_u8()? != 0)
    }

    /// An i8.
    pub fn read_byte(&mut self) -> Result<i8, WireError> {
        Ok(i8::from_be_bytes(self.cursor.take_array()?))
    }

    /// An i16.
    pub fn read_i16(&mut self) -> Result<i16, WireError> {
        self.cursor.read_i16()
    }

    /// An i32.
    pub fn read_i32(&mut self) -> Result<i32, WireError> {
        self.cursor.read_i32()
    }

    /// An i64.
    pub fn read_i64(&mut self) -> Result<i64, WireError> {
        self.cursor.read_i64()
    }

    /// A double.
    pub fn read_double(&mut self) -> Result<f64, WireError> {
        self.cursor.read_f64()
    }

    /// A binary or string value, borrowed from the input.
    pub fn read_binary(&mut self) -> Result<&'a [u8], WireError> {
        let offset = self.position();
        let len = self.cursor.read_i32()?;
        let len = usize::try_from(len)
            .map_err(|_| WireError::malformed(offset, format!("negative binary length {len}")))?;
        self.cursor.take(len)
    }

    /// A collection count: non-negative, and small enough that `count` elements of at least
    /// `min_size` bytes each fit in the remaining input.
    fn read_count(&mut self, min_size: usize) -> Result<usize, WireError> {
        let offset = self.position();
        let count = self.cursor.read_i32()?;
        let count = usize::try_from(count).map_err(|_| {
            WireError::malformed(offset, format!("negative collection size {count}"))
        })?;
        let needed = count.saturating_mul(min_size);
        if needed > self.remaining() {
            return Err(WireError::Truncated {
                offset: self.position(),
                needed: needed - self.remaining(),
            });
        }
        Ok(count)
    }

    /// A list (or set) header: the element type and the element count.
    pub fn read_list_header(&mut self) -> Result<(TType, usize), WireError> {
        let elem = self.read_type()?;
        let count = self.read_count(elem.min_size())?;
        Ok((elem, count))
    }

    /// A list header whose element type must be `expected`; returns the element count.
    pub fn read_list_of(&mut self, expected: TType) -> Result<usize, WireError> {
        let offset = self.position();
        let (elem, count) = self.read_list_header()?;
        if elem != expected {
            return Err(WireError::malformed(
                offset,
                format!("expected a list<{expected}>, found a list<{elem}>"),
            ));
        }
        Ok(count)
    }

    /// A map header: key type, value type and entry count.
    pub fn read_map_header(&mut self) -> Result<(TType, TType, usize), WireError> {
        let key = self.read_type()?;
        let value = self.read_type()?;
        let count = self.read_count(key.min_size() + value.min_size())?;
        Ok((key, value, count))
    }

    /// Skips one value of type `ttype`, however deeply nested (up to [`MAX_DEPTH`]).
    pub fn skip(&mut self, ttype: TType) -> Result<(), WireError> {
        self.skip_nested(ttype, 0)
    }

    fn skip_nested(&mut self, ttype: TType, depth: usize) -> Result<(), WireError> {
        if depth >= MAX_DEPTH {
            return Err(WireError::malformed(
                self.position(),
                format!("values nested deeper than {MAX_DEPTH} levels"),
            ));
        }
        if let Some(size) = ttype.fixed_size() {
            self.cursor.take(size)?;
            return Ok(());
        }
        match ttype {
            TType::Binary => {
                self.read_binary()?;
            }
            TType::Struct => {
                while let Some(field) = self.read_field_header()? {
                    self.skip_nested(field.ttype, depth + 1)?;
                }
            }
            TType::List | TType::Set => {
                let (elem, count) = self.read_list_header()?;
                self.skip_elements(elem, count, depth + 1)?;
            }
            TType::Map => {
                let (key, value, count) = self.read_map_header()?;
                for _ in 0..count {
                    self.skip_nested(key, depth + 1)?;
                    self.skip_nested(value, depth + 1)?;
                }
            }
            _ => {}
        }
        Ok(())
    }

    fn skip_elements(&mut self, elem: TType, count: usize, depth: usize) -> Result<(), WireError> {
        match elem.fixed_size() {
            Some(size) => {
                self.take_elements(count, size)?;
            }
            None => {
                for _ in 0..count {
                    self.skip_nested(elem, depth)?;
                }
            }
        }
        Ok(())
    }

    /// The raw bytes of `count` fixed-size elements.
    fn take_elements(&mut self, count: usize, size: usize) -> Result<&'a [u8], WireError> {
        let len = count.checked_mul(size).ok_or(WireError::Truncated {
            offset: self.position(),
            needed: usize::MAX,
        })?;
        self.cursor.take(len)
    }

    /// The elements of a `list<bool>` of `count` entries (after its header).
    pub fn bool_elements(&mut self, count: usize) -> Result<Vec<bool>, WireError> {
        Ok(self
            .take_elements(count, 1)?
            .iter()
            .map(|&b| b != 0)
            .collect())
    }

    /// The elements of a `list<i32>` of `count` entries (after its header).
    pub fn i32_elements(&mut self, count: usize) -> Result<Vec<i32>, WireError> {
        let (words, _) = self.take_elements(count, 4)?.as_chunks::<4>();
        Ok(words.iter().map(|w| i32::from_be_bytes(*w)).collect())
    }

    /// The elements of a `list<i64>` of `count` entries (after its header).
    pub fn i64_elements(&mut self, count: usize) -> Result<Vec<i64>, WireError> {
        let (words, _) = self.take_elements(count, 8)?.as_chunks::<8>();
        Ok(words.iter().map(|w| i64::from_be_bytes(*w)).collect())
    }

    /// The elements of a `list<double>` of `count` entries (after its header).
    pub fn f64_elements(&mut self, count: usize) -> Result<Vec<f64>, WireError> {
        let (words, _) = self.take_elements(count, 8)?.as_chunks::<8>();
        Ok(words.iter().map(|w| f64::from_be_bytes(*w)).collect())
    }

    /// The elements of a `list<binary>` of `count` entries (after its header), concatenated into
    /// one buffer: returns `(offsets, data)` with `offsets.len() == count + 1`, allocated exactly
    /// once each after a first pass has validated every length.
    pub fn binary_elements(&mut self, count: usize) -> Result<(Vec<u32>, Vec<u8>), WireError> {
        let base = self.position();
        let rest = self.cursor.rest();
        let mut pos = 0usize;
        for _ in 0..count {
            let len = element_len(rest, pos, base)?;
            pos = match (pos + 4).checked_add(len) {
                Some(end) if end <= rest.len() => end,
                _ => {
                    return Err(WireError::Truncated {
                        offset: base + pos + 4,
                        needed: len - (rest.len() - (pos + 4)),
                    });
                }
            };
        }
        let total = pos - 4 * count;
        if u32::try_from(total).is_err() {
            return Err(WireError::malformed(
                base,
                format!("{total} bytes of strings in one list exceed the 4 GiB limit"),
            ));
        }
        let mut offsets = Vec::with_capacity(count + 1);
        let mut data = Vec::with_capacity(total);
        offsets.push(0u32);
        let mut at = 0usize;
        for _ in 0..count {
            let len = element_len(rest, at, base)?;
            let value = rest
                .get(at + 4..at + 4 + len)
                .ok_or_else(|| WireError::malformed(base + at, "string changed length"))?;
            data.extend_from_slice(value);
            // `data.len() <= total`, which fits in u32 (checked above).
            offsets.push(data.len() as u32);
            at += 4 + len;
        }
        self.cursor.take(pos)?;
        Ok((offsets, data))
    }

    /// The elements of a `list<binary>` of `count` entries (after its header), each mapped by
    /// `f(bytes, offset)`.
    pub fn map_binary_elements<T>(
        &mut self,
        count: usize,
        mut f: impl FnMut(&'a [u8], usize) -> Result<T, WireError>,
    ) -> Result<Vec<T>, WireError> {
        let mut out = Vec::with_capacity(count);
        for _ in 0..count {
            let offset = self.position();
            let bytes = self.read_binary()?;
            out.push(f(bytes, offset)?);
        }
        Ok(out)
    }
}

/// The length prefix of the binary element at `pos` in `rest` (`base` = offset of `rest`).
fn element_len(rest: &[u8], pos: usize, base: usize) -> Result<usize, WireError> {
    let prefix: [u8; 4] = rest
        .get(pos..)
        .and_then(|tail| tail.first_chunk::<4>())
        .copied()
        .ok_or_else(|| WireError::Truncated {
            offset: base + pos,
            needed: 4 - rest.len().saturating_sub(pos).min(4),
        })?;
    let len = i32::from_be_bytes(prefix);
    usize::try_from(len)
        .map_err(|_| WireError::malformed(base + pos, format!("negative binary length {len}")))
}

/// A Thrift Binary writer into a growable buffer.
#[derive(Debug, Default)]
pub struct Writer {
    buf: Vec<u8>,
}

/// A Thrift length or count (an i32) for `len`, or an error naming `what`.
fn wire_len(len: usize, what: &str) -> Result<i32, WireError> {
    i32::try_from(len).map_err(|_| {
        WireError::inconsistent(format!(
            "{what} of {len} exceeds Thrift's limit of {}",
            i32::MAX
        ))
    })
}

impl Writer {
    /// An empty writer with room for `capacity` bytes.
    pub fn with_capacity(capacity: usize) -> Self {
        Self {
            buf: Vec::with_capacity(capacity),
        }
    }

    /// The bytes written so far.
    pub fn into_bytes(self) -> Vec<u8> {
        self.buf
    }

    /// A field header.
    pub fn field_header(&mut self, ttype: TType, id: i16) {
        self.buf.push(ttype.code());
        self.buf.extend_from_slice(&id.to_be_bytes());
    }

    /// The stop byte that ends a struct.
    pub fn stop(&mut self) {
        self.buf.push(0);
    }

    /// A bool (0 or 1).
    pub fn write_bool(&mut self, value: bool) {
        self.buf.push(u8::from(value));
    }

    /// An i8.
    pub fn write_byte(&mut self, value: i8) {
        self.buf.extend_from_slice(&value.to_be_bytes());
    }

    /// An i16.
    pub fn write_i16(&mut self, value: i16) {
        self.buf.extend_from_slice(&value.to_be_bytes());
    }

    /// An i32.
    pub fn write_i32(&mut self, value: i32) {
        self.buf.extend_from_slice(&value.to_be_bytes());
    }

    /// An i64.
    pub fn write_i64(&mut self, value: i64) {
        self.buf.extend_from_slice(&value.to_be_bytes());
    }

    /// A double.
    pub fn write_double(&mut self, value: f64) {
        self.buf.extend_from_slice(&value.to_be_bytes());
    }

    /// A binary or string value (fails beyond `i32::MAX` bytes).
    pub fn write_binary(&mut self, bytes: &[u8]) -> Result<(), WireError> {
        self.write_i32(wire_len(bytes.len(), "a binary value")?);
        self.buf.extend_from_slice(bytes);
        Ok(())
    }

    /// A list (or set) header (fails beyond `i32::MAX` elements).
    pub fn list_header(&mut self, elem: TType, count: usize) -> Result<(), WireError> {
        let count = wire_len(count, "a list")?;
        self.buf.push(elem.code());
        self.write_i32(count);
        Ok(())
    }

    /// Fixed-size elements, written straight into a pre-sized tail of the buffer.
    fn fixed_elements<T: Copy, const N: usize>(&mut self, values: &[T], encode: fn(T) -> [u8; N]) {
        let start = self.buf.len();
        self.buf.resize(start + values.len() * N, 0);
        if let Some(tail) = self.buf.get_mut(start..) {
            let (slots, _) = tail.as_chunks_mut::<N>();
            for (slot, &value) in slots.iter_mut().zip(values) {
                *slot = encode(value);
            }
        }
    }

    /// A complete `list<bool>`.
    pub fn bool_list(&mut self, values: &[bool]) -> Result<(), WireError> {
        self.list_header(TType::Bool, values.len())?;
        self.fixed_elements(values, |v| [u8::from(v)]);
        Ok(())
    }

    /// A complete `list<i32>`.
    pub fn i32_list(&mut self, values: &[i32]) -> Result<(), WireError> {
        self.list_header(TType::I32, values.len())?;
        self.fixed_elements(values, i32::to_be_bytes);
        Ok(())
    }

    /// A complete `list<i64>`.
    pub fn i64_list(&mut self, values: &[i64]) -> Result<(), WireError> {
        self.list_header(TType::I64, values.len())?;
        self.fixed_elements(values, i64::to_be_bytes);
        Ok(())
    }

    /// A complete `list<double>`.
    pub fn f64_list(&mut self, values: &[f64]) -> Result<(), WireError> {
        self.list_header(TType::Double, values.len())?;
        self.fixed_elements(values, f64::to_be_bytes);
        Ok(())
    }

    /// A complete `list<binary>` of `count` values.
    pub fn binary_list<'v>(
        &mut self,
        count: usize,
        values: impl IntoIterator<Item = &'v [u8]>,
    ) -> Result<(), WireError> {
        self.list_header(TType::Binary, count)?;
        let mut written = 0usize;
        for value in values {
            self.write_binary(value)?;
            written += 1;
        }
        if written != count {
            return Err(WireError::inconsistent(format!(
                "a list announced {count} binary values but {written} were supplied"
            )));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn type_codes_round_trip_and_unknown_ids_are_rejected() {
        for code in 0..=255u8 {
            match TType::from_code(code) {
                Some(t) => assert_eq!(t.code(), code),
                None => assert!(!matches!(code, 2 | 3 | 4 | 6 | 8 | 10..=16)),
            }
        }
        let mut r = Reader::new(&[0x07, 0, 1]);
        assert!(matches!(
            r.read_field_header(),
            Err(WireError::Malformed { offset: 0, .. })
        ));
    }

    #[test]
    fn primitives_round_trip() {
        let mut w = Writer::default();
        w.field_header(TType::I32, 7);
        w.write_i32(-5);
        w.write_bool(true);
        w.write_byte(-1);
        w.write_i16(300);
        w.write_i64(i64::MIN);
        w.write_double(-0.5);
        w.write_binary(b"hey").unwrap();
        w.stop();
        let bytes = w.into_bytes();
        let mut r = Reader::new(&bytes);
        assert_eq!(
            r.read_field_header().unwrap(),
            Some(FieldHeader {
                ttype: TType::I32,
                id: 7,
                offset: 0
            })
        );
        assert_eq!(r.read_i32().unwrap(), -5);
        assert!(r.read_bool().unwrap());
        assert_eq!(r.read_byte().unwrap(), -1);
        assert_eq!(r.read_i16().unwrap(), 300);
        assert_eq!(r.read_i64().unwrap(), i64::MIN);
        assert_eq!(r.read_double().unwrap(), -0.5);
        assert_eq!(r.read_binary().unwrap(), b"hey");
        assert_eq!(r.read_field_header().unwrap(), None);
        assert_eq!(r.remaining(), 0);
    }

    #[test]
    fn lists_round_trip() {
        let mut w = Writer::default();
        w.bool_list(&[true, false, true]).unwrap();
        w.i32_list(&[1, -2]).unwrap();
        w.i64_list(&[i64::MAX, 0]).unwrap();
        w.f64_list(&[1.5, f64::INFINITY]).unwrap();
        w.binary_list(3, [&b"ab"[..], b"", b"xyz"]).unwrap();
        w.binary_list(1, [&b"zone"[..]]).unwrap();
        let bytes = w.into_bytes();
        let mut r = Reader::new(&bytes);
        let n = r.read_list_of(TType::Bool).unwrap();
        assert_eq!(r.bool_elements(n).unwrap(), [true, false, true]);
        let n = r.read_list_of(TType::I32).unwrap();
        assert_eq!(r.i32_elements(n).unwrap(), [1, -2]);
        let n = r.read_list_of(TType::I64).unwrap();
        assert_eq!(r.i64_elements(n).unwrap(), [i64::MAX, 0]);
        let n = r.read_list_of(TType::Double).unwrap();
        assert_eq!(r.f64_elements(n).unwrap(), [1.5, f64::INFINITY]);
        let n = r.read_list_of(TType::Binary).unwrap();
        let (offsets, data) = r.binary_elements(n).unwrap();
        assert_eq!(offsets, [0, 2, 2, 5]);
        assert_eq!(data, b"abxyz");
        let n = r.read_list_of(TType::Binary).unwrap();
        let zones = r.map_binary_elements(n, |b, _| Ok(b)).unwrap();
        assert_eq!(zones, [b"zone"]);
        assert_eq!(r.remaining(), 0);
    }

    #[test]
    fn binary_list_count_must_match_the_values() {
        let mut w = Writer::default();
        assert!(matches!(
            w.binary_list(2, [&b"a"[..]]),
            Err(WireError::Inconsistent { .. })
        ));
    }

    #[test]
    fn wrong_list_element_type_is_malformed() {
        let mut w = Writer::default();
        w.i32_list(&[1]).unwrap();
        let bytes = w.into_bytes();
        let err = Reader::new(&bytes).read_list_of(TType::I64).unwrap_err();
        assert_eq!(
            err,
            WireError::malformed(0, "expected a list<i64>, found a list<i32>")
        );
    }

    #[test]
    fn negative_and_absurd_counts_fail_before_allocating() {
        let mut r = Reader::new(&[10, 0xff, 0xff, 0xff, 0xff]);
        assert!(matches!(
            r.read_list_header(),
            Err(WireError::Malformed { offset: 1, .. })
        ));
        let mut r = Reader::new(&[10, 0x7f, 0xff, 0xff, 0xff, 0, 0]);
        assert!(matches!(
            r.read_list_header(),
            Err(WireError::Truncated { offset: 5, .. })
        ));
        // A struct list of a million elements needs at least a million bytes.
        let mut r = Reader::new(&[12, 0, 0x0f, 0x42, 0x40, 0]);
        assert!(r.read_list_header().is_err());
        let mut r = Reader::new(&[0xff, 0xff, 0xff, 0xfe]);
        assert!(matches!(
            r.read_binary(),
            Err(WireError::Malformed { offset: 0, .. })
        ));
    }

    #[test]
    fn binary_elements_report_truncation_inside_and_between_values() {
        // Two strings announced; the second's length prefix is cut short.
        let bytes = [0, 0, 0, 1, b'a', 0, 0];
        let mut r = Reader::new(&bytes);
        assert_eq!(
            r.binary_elements(2),
            Err(WireError::Truncated {
                offset: 5,
                needed: 2
            })
        );
        // The second's body is cut short.
        let bytes = [0, 0, 0, 1, b'a', 0, 0, 0, 3, b'x'];
        let mut r = Reader::new(&bytes);
        assert_eq!(
            r.binary_elements(2),
            Err(WireError::Truncated {
                offset: 9,
                needed: 2
            })
        );
        let bytes = [0xff, 0xff, 0xff, 0xff];
        assert!(matches!(
            Reader::new(&bytes).binary_elements(1),
            Err(WireError::Malformed { offset: 0, .. })
        ));
    }

    /// A struct with one field of every type, nested collections included.
    fn every_type_struct() -> Vec<u8> {
        let mut w = Writer::default();
        w.field_header(TType::Bool, 1);
        w.write_bool(true);
        w.field_header(TType::Byte, 2);
        w.write_byte(1);
        w.field_header(TType::Double, 3);
        w.write_double(1.0);
        w.field_header(TType::I16, 4);
        w.write_i16(1);
        w.field_header(TType::I32, 5);
        w.write_i32(1);
        w.field_header(TType::I64, 6);
        w.write_i64(1);
        w.field_header(TType::Binary, 7);
        w.write_binary(b"x").unwrap();
        w.field_header(TType::Uuid, 8);
        w.write_i64(1);
        w.write_i64(2);
        w.field_header(TType::List, 9);
        w.list_header(TType::List, 2).unwrap();
        w.i32_list(&[1, 2]).unwrap();
        w.binary_list(1, [&b"s"[..]]).unwrap();
        w.field_header(TType::Set, 10);
        w.list_header(TType::Struct, 1).unwrap();
        w.field_header(TType::I32, 1);
        w.write_i32(9);
        w.stop();
        w.field_header(TType::Map, 11);
        let mut bytes = w.into_bytes();
        bytes.extend_from_slice(&[11, 8, 0, 0, 0, 1, 0, 0, 0, 1, b'k', 0, 0, 0, 5]);
        bytes.push(0);
        bytes
    }

    #[test]
    fn skip_passes_over_every_type() {
        let mut bytes = every_type_struct();
        bytes.push(0x42);
        let mut r = Reader::new(&bytes);
        r.skip(TType::Struct).unwrap();
        assert_eq!(r.read_byte().unwrap(), 0x42);
        assert_eq!(r.remaining(), 0);
    }

    #[test]
    fn skip_of_every_truncation_is_an_error() {
        let bytes = every_type_struct();
        for len in 0..bytes.len() {
            assert!(
                Reader::new(&bytes[..len]).skip(TType::Struct).is_err(),
                "prefix {len}"
            );
        }
    }

    #[test]
    fn skip_limits_nesting_depth() {
        // A struct holding 63 levels of nested single-field structs fits; 64 do not.
        let nested = |levels: usize| {
            let mut bytes = Vec::new();
            for _ in 0..levels {
                bytes.extend_from_slice(&[12, 0, 1]);
            }
            bytes.extend(std::iter::repeat_n(0, levels + 1));
            bytes
        };
        assert!(Reader::new(&nested(63)).skip(TType::Struct).is_ok());
        let err = Reader::new(&nested(64)).skip(TType::Struct).unwrap_err();
        assert!(err.to_string().contains("nested deeper than 64"), "{err}");
    }

    proptest! {
        #[test]
        fn skipping_garbage_never_panics(
            ttype in 0u8..20,
            bytes in proptest::collection::vec(any::<u8>(), 0..256),
        ) {
            if let Some(ttype) = TType::from_code(ttype) {
                let _ = Reader::new(&bytes).skip(ttype);
            }
        }

        #[test]
        fn binary_lists_round_trip(values in proptest::collection::vec(
            proptest::collection::vec(any::<u8>(), 0..20), 0..20)
        ) {
            let mut w = Writer::default();
            w.binary_list(values.len(), values.iter().map(Vec::as_slice)).unwrap();
            let bytes = w.into_bytes();
            let mut r = Reader::new(&bytes);
            let n = r.read_list_of(TType::Binary).unwrap();
            let (offsets, data) = r.binary_elements(n).unwrap();
            prop_assert_eq!(offsets.len(), values.len() + 1);
            for (i, v) in values.iter().enumerate() {
                prop_assert_eq!(&data[offsets[i] as usize..offsets[i + 1] as usize], v.as_slice());
            }
        }
    }
}
