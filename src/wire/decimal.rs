//! DECIMAL128 helpers shared by the codec, the engine and the ODBC conversions: the wire form of
//! an unscaled value (big-endian two's complement, as Java's `BigInteger.toByteArray` reads it)
//! and plain fixed-point text.

/// The largest scale magnitude the codec accepts. DECIMAL128 holds at most 38 digits, so any
/// sensible scale is within ±38; twice that leaves room for engines that do not normalise
/// scales while keeping rendered text short. Wider scales are rejected as malformed.
pub const MAX_SCALE_MAGNITUDE: i32 = 76;

/// The number of bytes of the wire form [`unscaled_to_be_bytes`] writes.
pub const WIRE_BYTES: usize = 16;

/// `true` when `scale` is within ±[`MAX_SCALE_MAGNITUDE`].
pub fn scale_in_range(scale: i32) -> bool {
    (-MAX_SCALE_MAGNITUDE..=MAX_SCALE_MAGNITUDE).contains(&scale)
}

/// The unscaled value of a big-endian two's complement integer of 0 to 16 bytes (shorter forms
/// are sign-extended; no bytes means zero). `None` when there are more than 16 bytes.
pub fn unscaled_from_be_bytes(bytes: &[u8]) -> Option<i128> {
    let first = match bytes.first() {
        Some(&first) => first,
        None => return Some(0),
    };
    let fill = if first & 0x80 == 0 { 0 } else { 0xff };
    let mut word = [fill; WIRE_BYTES];
    let start = WIRE_BYTES.checked_sub(bytes.len())?;
    word.get_mut(start..)?.copy_from_slice(bytes);
    Some(i128::from_be_bytes(word))
}

/// The 16-byte big-endian two's complement wire form of `unscaled`.
pub fn unscaled_to_be_bytes(unscaled: i128) -> [u8; WIRE_BYTES] {
    unscaled.to_be_bytes()
}

/// `unscaled × 10^-scale` as plain fixed-point text, never in scientific notation: exactly
/// `scale` fractional digits when `scale > 0` (`-5`, 2 → `-0.05`; `0`, 2 → `0.00`), and
/// `-scale` appended zeros when `scale < 0` (`12`, -3 → `12000`). The text grows with |scale|,
/// so callers should bound scales they did not validate (the decoder enforces
/// [`MAX_SCALE_MAGNITUDE`]).
pub fn decimal_to_string(unscaled: i128, scale: i32) -> String {
    let digits = unscaled.unsigned_abs().to_string();
    let places = usize::try_from(scale.unsigned_abs()).unwrap_or(usize::MAX);
    let mut out = String::with_capacity(digits.len().saturating_add(places).saturating_add(3));
    if unscaled < 0 {
        out.push('-');
    }
    if scale <= 0 {
        out.push_str(&digits);
        if unscaled != 0 {
            out.extend(std::iter::repeat_n('0', places));
        }
        return out;
    }
    match digits.split_at_checked(digits.len().saturating_sub(places)) {
        Some((whole, fraction)) if !whole.is_empty() => {
            out.push_str(whole);
            out.push('.');
            out.push_str(fraction);
        }
        _ => {
            out.push_str("0.");
            out.extend(std::iter::repeat_n(
                '0',
                places.saturating_sub(digits.len()),
            ));
            out.push_str(&digits);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const MAX_38: i128 = 99_999_999_999_999_999_999_999_999_999_999_999_999;

    #[test]
    fn spec_examples() {
        assert_eq!(decimal_to_string(12345, 2), "123.45");
        assert_eq!(decimal_to_string(-5, 2), "-0.05");
    }

    #[test]
    fn zero_and_integers() {
        assert_eq!(decimal_to_string(0, 0), "0");
        assert_eq!(decimal_to_string(0, 3), "0.000");
        assert_eq!(decimal_to_string(0, -3), "0");
        assert_eq!(decimal_to_string(7, 0), "7");
        assert_eq!(decimal_to_string(-7, 0), "-7");
    }

    #[test]
    fn negative_scale_multiplies() {
        assert_eq!(decimal_to_string(12, -3), "12000");
        assert_eq!(decimal_to_string(-1, -1), "-10");
    }

    #[test]
    fn digits_exactly_at_the_scale() {
        assert_eq!(decimal_to_string(123, 3), "0.123");
        assert_eq!(decimal_to_string(-123, 3), "-0.123");
        assert_eq!(decimal_to_string(1234, 3), "1.234");
        assert_eq!(decimal_to_string(1, 7), "0.0000001");
    }

    #[test]
    fn extremes_at_every_scale_0_to_38() {
        let nines = "9".repeat(38);
        for scale in 0..=38usize {
            let split = 38 - scale;
            let expected = if scale == 0 {
                nines.clone()
            } else if split == 0 {
                format!("0.{nines}")
            } else {
                format!("{}.{}", &nines[..split], &nines[split..])
            };
            let s = i32::try_from(scale).unwrap();
            assert_eq!(decimal_to_string(MAX_38, s), expected, "scale {scale}");
            assert_eq!(decimal_to_string(-MAX_38, s), format!("-{expected}"));
        }
    }

    #[test]
    fn full_i128_range_including_min() {
        assert_eq!(
            decimal_to_string(i128::MIN, 0),
            "-170141183460469231731687303715884105728"
        );
        assert_eq!(
            decimal_to_string(i128::MAX, 39),
            "0.170141183460469231731687303715884105727"
        );
        // Huge scale magnitudes do not panic.
        assert_eq!(decimal_to_string(0, i32::MIN), "0");
        assert_eq!(decimal_to_string(1, 100).len(), 102);
    }

    #[test]
    fn wire_form_is_sixteen_byte_big_endian_twos_complement() {
        assert_eq!(
            unscaled_to_be_bytes(-1),
            [0xff; 16],
            "minus one is all ones"
        );
        let mut b = [0u8; 16];
        b[15] = 0x2a;
        assert_eq!(unscaled_to_be_bytes(42), b);
        for v in [0, 1, -1, MAX_38, -MAX_38, i128::MIN, i128::MAX] {
            assert_eq!(unscaled_from_be_bytes(&unscaled_to_be_bytes(v)), Some(v));
        }
    }

    #[test]
    fn shorter_forms_are_sign_extended_and_longer_rejected() {
        assert_eq!(unscaled_from_be_bytes(&[]), Some(0));
        assert_eq!(unscaled_from_be_bytes(&[0xff]), Some(-1));
        assert_eq!(unscaled_from_be_bytes(&[0x80, 0x00]), Some(-32768));
        assert_eq!(unscaled_from_be_bytes(&[0x00, 0xff]), Some(255));
        assert_eq!(
            unscaled_from_be_bytes(&[0x30; 16]),
            Some(0x3030_3030_3030_3030_3030_3030_3030_3030)
        );
        assert_eq!(unscaled_from_be_bytes(&[0; 17]), None);
    }

    #[test]
    fn scale_bounds() {
        assert!(scale_in_range(0) && scale_in_range(76) && scale_in_range(-76));
        assert!(!scale_in_range(77) && !scale_in_range(-77) && !scale_in_range(i32::MIN));
    }

    proptest! {
        #[test]
        fn text_is_the_digits_with_the_point_in_place(unscaled in any::<i128>(), scale in -40i32..=40) {
            let text = decimal_to_string(unscaled, scale);
            prop_assert_eq!(text.starts_with('-'), unscaled < 0);
            prop_assert!(!text.contains('e') && !text.contains('E'));
            let unsigned = text.trim_start_matches('-');
            match unsigned.split_once('.') {
                Some((whole, fraction)) => {
                    prop_assert!(scale > 0);
                    prop_assert_eq!(fraction.len(), usize::try_from(scale).unwrap());
                    prop_assert!(whole == "0" || !whole.starts_with('0'));
                    let all: String = format!("{whole}{fraction}");
                    let trimmed = all.trim_start_matches('0');
                    let expected = unscaled.unsigned_abs().to_string();
                    prop_assert_eq!(if trimmed.is_empty() { "0" } else { trimmed }, expected.as_str());
                }
                None => {
                    prop_assert!(scale <= 0);
                    let expected = if unscaled == 0 {
                        "0".to_string()
                    } else {
                        format!("{}{}", unscaled.unsigned_abs(), "0".repeat(usize::try_from(-scale).unwrap()))
                    };
                    prop_assert_eq!(unsigned, expected.as_str());
                }
            }
        }

        #[test]
        fn every_length_sign_extends(unscaled in any::<i64>(), len in 8usize..=16) {
            let wide = unscaled_to_be_bytes(i128::from(unscaled));
            prop_assert_eq!(unscaled_from_be_bytes(&wide[16 - len..]), Some(i128::from(unscaled)));
        }
    }
}
