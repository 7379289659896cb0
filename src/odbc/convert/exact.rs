//! Exact decimal arithmetic for conversions between integers, DECIMAL128, doubles, numeric
//! text and `SQL_NUMERIC_STRUCT`: a sign, a 128-bit magnitude and a power-of-ten scale.

use std::fmt::Write;

use super::ConvertError;
use super::scratch::Scratch;

/// `10^k` for `k` in 0..=38 (the powers that fit in u128).
pub(crate) fn pow10(k: u32) -> Option<u128> {
    10u128.checked_pow(k)
}

/// Number of decimal digits of `v` (1 for 0).
pub(crate) fn digit_count(v: u128) -> u32 {
    v.checked_ilog10().map_or(1, |d| d + 1)
}

/// (-1)^negative × magnitude × 10^-scale. `inexact` marks text with more significant digits
/// than 128 bits hold: the dropped digits were non-zero.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Exact {
    pub negative: bool,
    pub magnitude: u128,
    pub scale: i32,
    pub inexact: bool,
}

/// The integer part of a value (truncated toward zero).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct IntegerPart {
    /// The truncated value.
    pub value: i128,
    /// `true` when non-zero fractional digits were dropped.
    pub fraction: bool,
    /// `true` when the original value was below zero (even if `value` is 0).
    pub negative: bool,
}

impl Exact {
    /// An integer.
    pub fn from_i128(v: i128) -> Self {
        Exact {
            negative: v < 0,
            magnitude: v.unsigned_abs(),
            scale: 0,
            inexact: false,
        }
    }

    /// A DECIMAL128 cell.
    pub fn from_decimal(unscaled: i128, scale: i32) -> Self {
        Exact {
            scale,
            ..Exact::from_i128(unscaled)
        }
    }

    /// The shortest decimal that round-trips to `x`. NaN and infinities have no decimal form:
    /// 22003.
    pub fn from_f64(x: f64) -> Result<Self, ConvertError> {
        if !x.is_finite() {
            return Err(ConvertError::NumericOverflow);
        }
        let mut s = Scratch::new();
        // `{:e}` is the shortest round-trip form: `-1.2345e-7`.
        write!(s, "{x:e}").map_err(|_| ConvertError::NumericOverflow)?;
        Exact::parse(s.as_str()).map_err(|_| ConvertError::NumericOverflow)
    }

    /// Parses a numeric literal: optional sign, digits with an optional point, optional
    /// exponent; surrounding spaces ignored. 22018 otherwise.
    pub fn parse(text: &str) -> Result<Self, ConvertError> {
        let s = text.trim().as_bytes();
        let (negative, mut i) = match s.first() {
            Some(b'-') => (true, 1),
            Some(b'+') => (false, 1),
            _ => (false, 0),
        };
        let mut magnitude: u128 = 0;
        let mut scale: i32 = 0;
        let mut inexact = false;
        let mut seen_digit = false;
        let mut seen_point = false;
        while let Some(&b) = s.get(i) {
            match b {
                b'0'..=b'9' => {
                    seen_digit = true;
                    let d = u128::from(b - b'0');
                    match magnitude.checked_mul(10).and_then(|m| m.checked_add(d)) {
                        Some(m) => {
                            magnitude = m;
                            if seen_point {
                                scale = scale.saturating_add(1);
                            }
                        }
                        None => {
                            inexact |= d != 0;
                            if !seen_point {
                                scale = scale.saturating_sub(1);
                            }
                        }
                    }
                }
                b'.' if !seen_point => seen_point = true,
                _ => break,
            }
            i += 1;
        }
        if !seen_digit {
            return Err(ConvertError::InvalidCharacterValue);
        }
        if let Some(b'e' | b'E') = s.get(i) {
            i += 1;
            let exp_negative = match s.get(i) {
                Some(b'-') => {
                    i += 1;
                    true
                }
                Some(b'+') => {
                    i += 1;
                    false
                }
                _ => false,
            };
            let start = i;
            let mut exponent: i32 = 0;
            while let Some(&b) = s.get(i).filter(|b| b.is_ascii_digit()) {
                exponent = exponent
                    .saturating_mul(10)
                    .saturating_add(i32::from(b - b'0'))
                    .min(1_000_000);
                i += 1;
            }
            if i == start {
                return Err(ConvertError::InvalidCharacterValue);
            }
            scale = if exp_negative {
                scale.saturating_add(exponent)
            } else {
                scale.saturating_sub(exponent)
            };
        }
        if i != s.len() {
            return Err(ConvertError::InvalidCharacterValue);
        }
        Ok(Exact {
            negative: negative && (magnitude != 0 || inexact),
            magnitude,
            scale,
            inexact,
        })
    }

    /// The integer part, truncated toward zero. 22003 when it does not fit in i128.
    pub fn integer_part(&self) -> Result<IntegerPart, ConvertError> {
        let (magnitude, fraction) = self.rescale(0)?;
        let value = if self.negative {
            0i128
                .checked_sub_unsigned(magnitude)
                .ok_or(ConvertError::NumericOverflow)?
        } else {
            i128::try_from(magnitude).map_err(|_| ConvertError::NumericOverflow)?
        };
        Ok(IntegerPart {
            value,
            fraction,
            negative: self.negative,
        })
    }

    /// The magnitude at `target_scale` (truncated) and whether non-zero digits were dropped.
    /// 22003 when it does not fit in 128 bits.
    pub fn rescale(&self, target_scale: i32) -> Result<(u128, bool), ConvertError> {
        let diff = i64::from(target_scale) - i64::from(self.scale);
        if self.magnitude == 0 {
            return Ok((0, self.inexact));
        }
        if diff >= 0 {
            let factor = u32::try_from(diff)
                .ok()
                .and_then(pow10)
                .ok_or(ConvertError::NumericOverflow)?;
            let scaled = self
                .magnitude
                .checked_mul(factor)
                .ok_or(ConvertError::NumericOverflow)?;
            Ok((scaled, self.inexact))
        } else {
            match u32::try_from(-diff).ok().and_then(pow10) {
                Some(divisor) => Ok((
                    self.magnitude / divisor,
                    !self.magnitude.is_multiple_of(divisor) || self.inexact,
                )),
                // Dividing by more than 10^38 leaves nothing of a 128-bit magnitude.
                None => Ok((0, true)),
            }
        }
    }

    /// The nearest double (correctly rounded).
    pub fn to_f64(self) -> f64 {
        const EXACT_LIMIT: u128 = 1 << 53;
        let magnitude = if self.magnitude < EXACT_LIMIT && (-22..=22).contains(&self.scale) {
            // Both operands are exact doubles, so one IEEE operation rounds correctly.
            let m = self.magnitude as f64;
            let p = 10f64.powi(self.scale.abs());
            if self.scale >= 0 { m / p } else { m * p }
        } else {
            let mut s = Scratch::new();
            // Writing to a Scratch cannot fail.
            let _ = write!(s, "{}e{}", self.magnitude, -i64::from(self.scale));
            s.as_str().parse::<f64>().unwrap_or(f64::NAN)
        };
        if self.negative { -magnitude } else { magnitude }
    }
}

/// Parses a double literal (trimmed; `inf`, `infinity` and `nan` in any case accepted) with
/// correct rounding. 22018 for anything else; 22003 for a finite literal beyond the double
/// range (such as `1e999`).
pub(crate) fn parse_double(text: &str) -> Result<f64, ConvertError> {
    let s = text.trim();
    let x: f64 = s.parse().map_err(|_| ConvertError::InvalidCharacterValue)?;
    let literal_infinity = s
        .as_bytes()
        .windows(3)
        .any(|w| w.eq_ignore_ascii_case(b"inf"));
    if x.is_infinite() && !literal_infinity {
        return Err(ConvertError::NumericOverflow);
    }
    Ok(x)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ex(negative: bool, magnitude: u128, scale: i32) -> Exact {
        Exact {
            negative,
            magnitude,
            scale,
            inexact: false,
        }
    }

    #[test]
    fn parse_forms() {
        assert_eq!(Exact::parse("123"), Ok(ex(false, 123, 0)));
        assert_eq!(Exact::parse("  -12.50 "), Ok(ex(true, 1250, 2)));
        assert_eq!(Exact::parse("+.5"), Ok(ex(false, 5, 1)));
        assert_eq!(Exact::parse("5."), Ok(ex(false, 5, 0)));
        assert_eq!(Exact::parse("1.5e3"), Ok(ex(false, 15, -2)));
        assert_eq!(Exact::parse("1E-3"), Ok(ex(false, 1, 3)));
        assert_eq!(Exact::parse("-0"), Ok(ex(false, 0, 0)));
        for bad in [
            "", "-", ".", "e5", "1e", "1.2.3", "12a", "0x10", "1 2", "NaN",
        ] {
            assert_eq!(
                Exact::parse(bad),
                Err(ConvertError::InvalidCharacterValue),
                "{bad}"
            );
        }
    }

    #[test]
    fn parse_long_inputs() {
        let forty_two = "123456789012345678901234567890123456789012";
        let e = Exact::parse(forty_two).unwrap();
        assert!(e.inexact);
        assert_eq!(e.scale, -3);
        let tiny = format!("0.{}1", "0".repeat(60));
        let e = Exact::parse(&tiny).unwrap();
        assert_eq!((e.magnitude, e.scale), (1, 61));
        let long_fraction = format!("1.{}", "3".repeat(50));
        let e = Exact::parse(&long_fraction).unwrap();
        assert!(e.inexact);
        assert_eq!(e.integer_part().unwrap().value, 1);
        assert!(e.integer_part().unwrap().fraction);
    }

    #[test]
    fn from_f64_shortest() {
        assert_eq!(Exact::from_f64(0.1), Ok(ex(false, 1, 1)));
        assert_eq!(Exact::from_f64(-1234.5), Ok(ex(true, 12345, 1)));
        assert_eq!(Exact::from_f64(1e300), Ok(ex(false, 1, -300)));
        assert_eq!(Exact::from_f64(0.0), Ok(ex(false, 0, 0)));
        assert_eq!(
            Exact::from_f64(f64::NAN),
            Err(ConvertError::NumericOverflow)
        );
        assert_eq!(
            Exact::from_f64(f64::INFINITY),
            Err(ConvertError::NumericOverflow)
        );
    }

    #[test]
    fn integer_parts() {
        let p = Exact::from_decimal(-12345, 2).integer_part().unwrap();
        assert_eq!((p.value, p.fraction, p.negative), (-123, true, true));
        let p = Exact::from_decimal(-5, 2).integer_part().unwrap();
        assert_eq!((p.value, p.fraction, p.negative), (0, true, true));
        let p = Exact::from_decimal(7, -3).integer_part().unwrap();
        assert_eq!((p.value, p.fraction), (7000, false));
        let p = Exact::from_decimal(i128::MIN, 0).integer_part().unwrap();
        assert_eq!(p.value, i128::MIN);
        assert_eq!(
            Exact::from_decimal(1, -39).integer_part(),
            Err(ConvertError::NumericOverflow)
        );
        let p = Exact::from_decimal(99, 1000).integer_part().unwrap();
        assert_eq!((p.value, p.fraction), (0, true));
        let p = Exact::from_decimal(0, i32::MIN).integer_part().unwrap();
        assert_eq!((p.value, p.fraction), (0, false));
    }

    #[test]
    fn rescaling() {
        let e = Exact::from_decimal(12345, 2);
        assert_eq!(e.rescale(4), Ok((1_234_500, false)));
        assert_eq!(e.rescale(1), Ok((1234, true)));
        assert_eq!(e.rescale(-1), Ok((12, true)));
        assert_eq!(Exact::from_decimal(12300, 2).rescale(0), Ok((123, false)));
        assert_eq!(e.rescale(40), Err(ConvertError::NumericOverflow));
        assert_eq!(e.rescale(i32::MIN), Ok((0, true)));
    }

    #[test]
    fn doubles() {
        assert_eq!(Exact::from_decimal(12345, 2).to_f64(), 123.45);
        assert_eq!(Exact::from_decimal(-5, 2).to_f64(), -0.05);
        let max = 10i128.pow(38) - 1;
        assert_eq!(Exact::from_decimal(max, 0).to_f64(), 1e38);
        assert_eq!(Exact::from_decimal(max, 38).to_f64(), 1.0);
        assert_eq!(Exact::from_decimal(1, -400).to_f64(), f64::INFINITY);
        assert_eq!(Exact::from_decimal(1, 400).to_f64(), 0.0);
        assert_eq!(Exact::parse("0.1").unwrap().to_f64(), 0.1);
        assert_eq!(parse_double(" 2.5 "), Ok(2.5));
        assert_eq!(parse_double("-Infinity"), Ok(f64::NEG_INFINITY));
        assert!(parse_double("NaN").unwrap().is_nan());
        assert_eq!(parse_double("1e999"), Err(ConvertError::NumericOverflow));
        assert_eq!(parse_double("1e-999"), Ok(0.0));
        assert_eq!(parse_double("x"), Err(ConvertError::InvalidCharacterValue));
        assert_eq!(digit_count(0), 1);
        assert_eq!(digit_count(9), 1);
        assert_eq!(digit_count(10), 2);
        assert_eq!(digit_count(u128::MAX), 39);
    }
}
