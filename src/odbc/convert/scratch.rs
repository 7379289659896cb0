//! A text buffer that lives on the stack for the short renderings of the fetch hot path
//! (numbers, dates) and moves to the heap only when a rendering is unusually long.

use std::fmt;

const INLINE: usize = 96;

/// Bytes written through [`fmt::Write`]; inline up to 96 bytes.
pub(crate) struct Scratch {
    inline: [u8; INLINE],
    len: usize,
    heap: Vec<u8>,
    spilled: bool,
}

impl Scratch {
    /// An empty buffer (no allocation).
    pub fn new() -> Self {
        Scratch {
            inline: [0; INLINE],
            len: 0,
            heap: Vec::new(),
            spilled: false,
        }
    }

    /// The bytes written so far.
    pub fn as_bytes(&self) -> &[u8] {
        if self.spilled {
            &self.heap
        } else {
            self.inline.get(..self.len).unwrap_or(&[])
        }
    }

    /// The text written so far (always valid UTF-8: only `&str` is ever appended).
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(self.as_bytes()).unwrap_or("")
    }

    /// Number of bytes written.
    pub fn len(&self) -> usize {
        if self.spilled {
            self.heap.len()
        } else {
            self.len
        }
    }

    /// Appends raw ASCII/UTF-8 bytes taken from a `&str`.
    pub fn push_str(&mut self, s: &str) {
        let bytes = s.as_bytes();
        if !self.spilled {
            let end = self.len + bytes.len();
            if let Some(slot) = self.inline.get_mut(self.len..end) {
                slot.copy_from_slice(bytes);
                self.len = end;
                return;
            }
            self.heap.reserve(end.max(2 * INLINE));
            self.heap
                .extend_from_slice(self.inline.get(..self.len).unwrap_or(&[]));
            self.spilled = true;
        }
        self.heap.extend_from_slice(bytes);
    }

    /// Appends `count` copies of the ASCII byte `c`.
    pub fn push_repeated(&mut self, c: char, count: usize) {
        let mut utf8 = [0u8; 4];
        let s: &str = c.encode_utf8(&mut utf8);
        for _ in 0..count {
            self.push_str(s);
        }
    }
}

impl fmt::Write for Scratch {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.push_str(s);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fmt::Write;

    #[test]
    fn inline_then_spill() {
        let mut s = Scratch::new();
        write!(s, "{}", 12345).unwrap();
        assert_eq!(s.as_str(), "12345");
        assert!(!s.spilled);
        s.push_repeated('0', 100);
        assert!(s.spilled);
        assert_eq!(s.len(), 105);
        assert!(s.as_str().starts_with("123450000"));
        s.push_str("x");
        assert_eq!(s.as_bytes().last(), Some(&b'x'));
    }
}
