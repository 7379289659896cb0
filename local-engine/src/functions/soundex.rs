//! e6data's `soundex(s)`: the American Soundex code of a string (a letter and three digits).
//!
//! Rules: keep the first letter (upper-cased); code the following consonants B F P V = 1,
//! C G J K Q S X Z = 2, D T = 3, L = 4, M N = 5, R = 6; a code equal to the previous one is
//! dropped when only H, W or non-letters stand between them (also against the first letter),
//! while a vowel (A E I O U Y) lets it repeat; stop at three digits, pad with `0`. Characters
//! other than the ASCII letters are ignored; a string without letters gives `''`; NULL gives
//! NULL.

use std::sync::Arc;

use datafusion::arrow::array::{ArrayRef, AsArray, StringArray};
use datafusion::arrow::datatypes::DataType;
use datafusion::common::utils::take_function_args;
use datafusion::common::{DataFusionError, Result, plan_err};
use datafusion::logical_expr::{
    ColumnarValue, ScalarFunctionArgs, ScalarUDFImpl, Signature, Volatility,
};

/// What a letter contributes to the code.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Sound {
    /// A consonant's digit.
    Digit(u8),
    /// A vowel: separates equal digits.
    Vowel,
    /// H, W and non-letters: transparent.
    Silent,
}

fn sound(c: char) -> Sound {
    match c.to_ascii_uppercase() {
        'B' | 'F' | 'P' | 'V' => Sound::Digit(b'1'),
        'C' | 'G' | 'J' | 'K' | 'Q' | 'S' | 'X' | 'Z' => Sound::Digit(b'2'),
        'D' | 'T' => Sound::Digit(b'3'),
        'L' => Sound::Digit(b'4'),
        'M' | 'N' => Sound::Digit(b'5'),
        'R' => Sound::Digit(b'6'),
        'A' | 'E' | 'I' | 'O' | 'U' | 'Y' => Sound::Vowel,
        _ => Sound::Silent,
    }
}

/// The Soundex code of `s` (see the module docs).
pub fn soundex(s: &str) -> String {
    let mut letters = s.chars().filter(char::is_ascii_alphabetic);
    let Some(first) = letters.next() else {
        return String::new();
    };
    let mut code = String::with_capacity(4);
    code.push(first.to_ascii_uppercase());
    let mut previous = sound(first);
    for c in letters {
        match sound(c) {
            Sound::Silent => {}
            Sound::Vowel => previous = Sound::Vowel,
            digit @ Sound::Digit(d) => {
                if digit != previous {
                    code.push(char::from(d));
                    if code.len() == 4 {
                        break;
                    }
                }
                previous = digit;
            }
        }
    }
    while code.len() < 4 {
        code.push('0');
    }
    code
}

/// The `soundex` scalar function.
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct Soundex {
    signature: Signature,
}

impl Soundex {
    /// The function, to be registered as a UDF.
    pub fn new() -> Self {
        Self {
            signature: Signature::user_defined(Volatility::Immutable),
        }
    }
}

impl ScalarUDFImpl for Soundex {
    fn name(&self) -> &str {
        "soundex"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _args: &[DataType]) -> Result<DataType> {
        Ok(DataType::Utf8)
    }

    fn coerce_types(&self, args: &[DataType]) -> Result<Vec<DataType>> {
        match args {
            [DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View | DataType::Null] => {
                Ok(vec![DataType::Utf8])
            }
            _ => plan_err!("soundex takes one string, not {args:?}"),
        }
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let [input] =
            take_function_args(self.name(), ColumnarValue::values_to_arrays(&args.args)?)?;
        let strings = input
            .as_string_opt::<i32>()
            .ok_or_else(|| DataFusionError::Internal("soundex: argument not coerced".into()))?;
        let out: StringArray = strings.iter().map(|s| s.map(soundex)).collect();
        let array: ArrayRef = Arc::new(out);
        Ok(ColumnarValue::Array(array))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classic_names() {
        for (name, code) in [
            ("Miller", "M460"),
            ("Robert", "R163"),
            ("Rupert", "R163"),
            ("Ashcraft", "A261"),
            ("Tymczak", "T522"),
            ("Pfister", "P236"),
            ("Honeyman", "H555"),
            ("Lee", "L000"),
            ("green", "G650"),
        ] {
            assert_eq!(soundex(name), code, "{name}");
        }
    }

    #[test]
    fn non_letters_are_ignored() {
        assert_eq!(soundex("O'Brien"), "O165");
        assert_eq!(soundex("  42 Smith"), "S530");
        assert_eq!(soundex("Ash-craft"), "A261");
        assert_eq!(soundex(""), "");
        assert_eq!(soundex("1234"), "");
    }
}
