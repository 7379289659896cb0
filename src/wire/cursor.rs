//! A bounds-checked big-endian reader over a byte slice, shared by the metadata and Thrift
//! decoders. Every read checks the remaining length first and reports the absolute offset.

use super::WireError;

/// A read position in a borrowed byte slice. Reads never copy: they hand out sub-slices.
#[derive(Debug, Clone)]
pub struct Cursor<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> Cursor<'a> {
    /// A cursor at the start of `buf`.
    pub fn new(buf: &'a [u8]) -> Self {
        Self { buf, pos: 0 }
    }

    /// The absolute offset of the next byte to read.
    pub fn position(&self) -> usize {
        self.pos
    }

    /// How many bytes are left.
    pub fn remaining(&self) -> usize {
        self.buf.len().saturating_sub(self.pos)
    }

    /// Everything not read yet.
    pub fn rest(&self) -> &'a [u8] {
        self.buf.get(self.pos..).unwrap_or_default()
    }

    /// The next `n` bytes, or [`WireError::Truncated`] when fewer remain (the position is then
    /// unchanged).
    pub fn take(&mut self, n: usize) -> Result<&'a [u8], WireError> {
        let rest = self.rest();
        match rest.get(..n) {
            Some(bytes) => {
                self.pos += n;
                Ok(bytes)
            }
            None => Err(WireError::Truncated {
                offset: self.pos,
                needed: n - rest.len(),
            }),
        }
    }

    /// The next `N` bytes as an array.
    pub fn take_array<const N: usize>(&mut self) -> Result<[u8; N], WireError> {
        let start = self.pos;
        let bytes = self.take(N)?;
        bytes
            .try_into()
            .map_err(|_| WireError::malformed(start, "internal length mismatch"))
    }

    /// One unsigned byte.
    pub fn read_u8(&mut self) -> Result<u8, WireError> {
        Ok(u8::from_be_bytes(self.take_array()?))
    }

    /// A big-endian u16.
    pub fn read_u16(&mut self) -> Result<u16, WireError> {
        Ok(u16::from_be_bytes(self.take_array()?))
    }

    /// A big-endian i16.
    pub fn read_i16(&mut self) -> Result<i16, WireError> {
        Ok(i16::from_be_bytes(self.take_array()?))
    }

    /// A big-endian i32.
    pub fn read_i32(&mut self) -> Result<i32, WireError> {
        Ok(i32::from_be_bytes(self.take_array()?))
    }

    /// A big-endian i64.
    pub fn read_i64(&mut self) -> Result<i64, WireError> {
        Ok(i64::from_be_bytes(self.take_array()?))
    }

    /// A big-endian IEEE 754 binary64.
    pub fn read_f64(&mut self) -> Result<f64, WireError> {
        Ok(f64::from_be_bytes(self.take_array()?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_big_endian_numbers_in_sequence() {
        let bytes = [
            0x01, 0x02, 0xff, 0xfe, 0, 0, 0, 7, 0x80, 0, 0, 0, 0, 0, 0, 0,
        ];
        let mut c = Cursor::new(&bytes);
        assert_eq!(c.read_u16().unwrap(), 0x0102);
        assert_eq!(c.read_i16().unwrap(), -2);
        assert_eq!(c.read_i32().unwrap(), 7);
        assert_eq!(c.read_i64().unwrap(), i64::MIN);
        assert_eq!(c.remaining(), 0);
        assert_eq!(c.position(), 16);
    }

    #[test]
    fn short_read_reports_offset_and_missing_bytes_and_does_not_advance() {
        let bytes = [0u8; 5];
        let mut c = Cursor::new(&bytes);
        c.read_i32().unwrap();
        assert_eq!(
            c.read_i64(),
            Err(WireError::Truncated {
                offset: 4,
                needed: 7
            })
        );
        assert_eq!(c.position(), 4);
        assert_eq!(c.read_u8().unwrap(), 0);
    }

    #[test]
    fn take_of_huge_length_is_an_error_not_an_overflow() {
        let mut c = Cursor::new(&[1, 2, 3]);
        assert!(matches!(
            c.take(usize::MAX),
            Err(WireError::Truncated { .. })
        ));
    }
}
