//! Java "modified UTF-8" (the `DataOutputStream.writeUTF` payload): standard UTF-8 except that
//! U+0000 is written as `C0 80` and supplementary characters as two 3-byte surrogate encodings
//! (CESU-8 style).
//!
//! Decoding is lenient where it costs nothing: plain 4-byte UTF-8 sequences are accepted, and a
//! surrogate that is not part of a pair (which a Java `String` may hold) becomes U+FFFD.

/// A byte sequence that is neither modified nor standard UTF-8.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("invalid modified UTF-8 sequence at byte {at} of the string")]
pub struct Mutf8Error {
    /// Offset of the first byte of the bad sequence, relative to the decoded bytes.
    pub at: usize,
}

/// Decodes modified UTF-8 (or standard UTF-8) into a `String`.
pub fn decode(bytes: &[u8]) -> Result<String, Mutf8Error> {
    // Standard UTF-8 rejects `C0 80` and encoded surrogates, so whenever it accepts the bytes
    // they contain no modified-UTF-8-specific forms and mean the same thing in both encodings.
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(text.to_owned()),
        Err(_) => decode_slow(bytes),
    }
}

fn decode_slow(bytes: &[u8]) -> Result<String, Mutf8Error> {
    let mut out = String::with_capacity(bytes.len());
    let mut at = 0;
    while let Some(&lead) = bytes.get(at) {
        let (ch, width) = match lead {
            0x00..=0x7f => (char::from(lead), 1),
            0xc0..=0xdf => (two_byte(bytes, at)?, 2),
            0xe0..=0xef => three_byte_or_pair(bytes, at)?,
            0xf0..=0xf7 => (four_byte(bytes, at)?, 4),
            _ => return Err(Mutf8Error { at }),
        };
        out.push(ch);
        at += width;
    }
    Ok(out)
}

/// The continuation bits of `bytes[at]`, if it is a continuation byte.
fn continuation(bytes: &[u8], at: usize) -> Option<u32> {
    match bytes.get(at) {
        Some(&b) if b & 0xc0 == 0x80 => Some(u32::from(b & 0x3f)),
        _ => None,
    }
}

fn two_byte(bytes: &[u8], at: usize) -> Result<char, Mutf8Error> {
    let bad = Mutf8Error { at };
    let lead = u32::from(*bytes.get(at).ok_or(bad)?);
    let code = ((lead & 0x1f) << 6) | continuation(bytes, at + 1).ok_or(bad)?;
    // Overlong forms are invalid except `C0 80`, the modified encoding of U+0000.
    if code < 0x80 && code != 0 {
        return Err(bad);
    }
    char::from_u32(code).ok_or(bad)
}

/// The raw 16-bit unit of a 3-byte sequence at `at` (which may be a surrogate).
fn three_byte_unit(bytes: &[u8], at: usize) -> Option<u32> {
    let lead = u32::from(*bytes.get(at)?);
    if lead & 0xf0 != 0xe0 {
        return None;
    }
    let code =
        ((lead & 0x0f) << 12) | (continuation(bytes, at + 1)? << 6) | continuation(bytes, at + 2)?;
    (code >= 0x800).then_some(code)
}

fn three_byte_or_pair(bytes: &[u8], at: usize) -> Result<(char, usize), Mutf8Error> {
    let bad = Mutf8Error { at };
    let unit = three_byte_unit(bytes, at).ok_or(bad)?;
    match unit {
        0xd800..=0xdbff => match three_byte_unit(bytes, at + 3) {
            Some(low @ 0xdc00..=0xdfff) => {
                let code = 0x10000 + ((unit - 0xd800) << 10) + (low - 0xdc00);
                Ok((char::from_u32(code).ok_or(bad)?, 6))
            }
            _ => Ok((char::REPLACEMENT_CHARACTER, 3)),
        },
        0xdc00..=0xdfff => Ok((char::REPLACEMENT_CHARACTER, 3)),
        _ => Ok((char::from_u32(unit).ok_or(bad)?, 3)),
    }
}

fn four_byte(bytes: &[u8], at: usize) -> Result<char, Mutf8Error> {
    let bad = Mutf8Error { at };
    let lead = u32::from(*bytes.get(at).ok_or(bad)?);
    let code = ((lead & 0x07) << 18)
        | (continuation(bytes, at + 1).ok_or(bad)? << 12)
        | (continuation(bytes, at + 2).ok_or(bad)? << 6)
        | continuation(bytes, at + 3).ok_or(bad)?;
    if !(0x10000..=0x10ffff).contains(&code) {
        return Err(bad);
    }
    char::from_u32(code).ok_or(bad)
}

/// `true` when `text` is encoded identically in standard and modified UTF-8 (no NUL, no
/// supplementary characters).
fn is_plain(text: &str) -> bool {
    !text.bytes().any(|b| b == 0 || b >= 0xf0)
}

/// The number of bytes [`encode_into`] appends for `text`.
pub fn encoded_len(text: &str) -> usize {
    if is_plain(text) {
        return text.len();
    }
    text.chars()
        .map(|c| match c {
            '\0' => 2,
            c if u32::from(c) >= 0x10000 => 6,
            c => c.len_utf8(),
        })
        .sum()
}

/// Appends the modified UTF-8 encoding of `text` to `out`.
pub fn encode_into(text: &str, out: &mut Vec<u8>) {
    if is_plain(text) {
        out.extend_from_slice(text.as_bytes());
        return;
    }
    for c in text.chars() {
        let code = u32::from(c);
        if code == 0 {
            out.extend_from_slice(&[0xc0, 0x80]);
        } else if code >= 0x10000 {
            let offset = code - 0x10000;
            push_three_byte_unit(0xd800 + (offset >> 10), out);
            push_three_byte_unit(0xdc00 + (offset & 0x3ff), out);
        } else {
            let mut buf = [0u8; 4];
            out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
        }
    }
}

/// Appends the 3-byte form of a 16-bit unit (used for surrogates, which `char` cannot hold).
fn push_three_byte_unit(unit: u32, out: &mut Vec<u8>) {
    // Each expression is masked to at most 8 bits, so the narrowing casts are exact.
    out.extend_from_slice(&[
        (0xe0 | ((unit >> 12) & 0x0f)) as u8,
        (0x80 | ((unit >> 6) & 0x3f)) as u8,
        (0x80 | (unit & 0x3f)) as u8,
    ]);
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn encode(text: &str) -> Vec<u8> {
        let mut out = Vec::new();
        encode_into(text, &mut out);
        assert_eq!(out.len(), encoded_len(text));
        out
    }

    #[test]
    fn ascii_and_bmp_are_plain_utf8() {
        assert_eq!(encode("id"), b"id");
        assert_eq!(encode("é€"), "é€".as_bytes());
        assert_eq!(decode("é€".as_bytes()).unwrap(), "é€");
    }

    #[test]
    fn nul_is_c0_80_both_ways() {
        assert_eq!(encode("a\0b"), [b'a', 0xc0, 0x80, b'b']);
        assert_eq!(decode(&[b'a', 0xc0, 0x80, b'b']).unwrap(), "a\0b");
        // A raw zero byte is accepted on input too.
        assert_eq!(decode(&[0]).unwrap(), "\0");
    }

    #[test]
    fn supplementary_characters_are_surrogate_pairs() {
        let smile = [0xed, 0xa0, 0xbd, 0xed, 0xb8, 0x80];
        assert_eq!(encode("\u{1F600}"), smile);
        assert_eq!(decode(&smile).unwrap(), "\u{1F600}");
        assert_eq!(encode("\u{10FFFF}").len(), 6);
        assert_eq!(
            decode(&encode("x\u{10FFFF}\u{10000}")).unwrap(),
            "x\u{10FFFF}\u{10000}"
        );
    }

    #[test]
    fn standard_four_byte_utf8_is_accepted_leniently() {
        assert_eq!(decode("\u{1F600}".as_bytes()).unwrap(), "\u{1F600}");
        // Mixed with modified forms in the same string.
        let mut mixed = "\u{1F600}".as_bytes().to_vec();
        mixed.extend_from_slice(&[0xc0, 0x80]);
        assert_eq!(decode(&mixed).unwrap(), "\u{1F600}\0");
    }

    #[test]
    fn unpaired_surrogates_become_replacement_characters() {
        assert_eq!(decode(&[0xed, 0xa0, 0xbd, b'x']).unwrap(), "\u{FFFD}x");
        assert_eq!(decode(&[0xed, 0xb8, 0x80]).unwrap(), "\u{FFFD}");
        assert_eq!(decode(&[0xed, 0xa0, 0xbd]).unwrap(), "\u{FFFD}");
    }

    #[test]
    fn invalid_sequences_are_errors_with_their_position() {
        assert_eq!(decode(&[b'a', 0xff]), Err(Mutf8Error { at: 1 }));
        assert_eq!(decode(&[b'a', 0x80]), Err(Mutf8Error { at: 1 }));
        assert_eq!(
            decode(&[0xc1, 0x81]),
            Err(Mutf8Error { at: 0 }),
            "overlong 'A'"
        );
        assert_eq!(
            decode(&[0xe0, 0x81, 0x81]),
            Err(Mutf8Error { at: 0 }),
            "overlong"
        );
        assert_eq!(decode(&[0xc3]), Err(Mutf8Error { at: 0 }), "truncated");
        assert_eq!(decode(&[b'x', 0xe2, 0x82]), Err(Mutf8Error { at: 1 }));
        assert_eq!(
            decode(&[0xf4, 0x90, 0x80, 0x80]),
            Err(Mutf8Error { at: 0 }),
            "> U+10FFFF"
        );
        assert_eq!(
            decode(&[0xf0, 0x80, 0x80, 0x80]),
            Err(Mutf8Error { at: 0 }),
            "overlong"
        );
    }

    proptest! {
        #[test]
        fn any_string_round_trips(text in any::<String>()) {
            let bytes = encode(&text);
            prop_assert!(!bytes.contains(&0), "modified UTF-8 never contains a zero byte");
            prop_assert!(!bytes.iter().any(|&b| b >= 0xf0), "no 4-byte sequences");
            prop_assert_eq!(decode(&bytes).unwrap(), text);
        }

        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
            let _ = decode(&bytes);
        }
    }
}
