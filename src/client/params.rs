//! Client-side parameter substitution (spec §4.11, §9): each `?` marker outside literals,
//! quoted identifiers and comments is replaced by an e6data SQL literal of its value.
//!
//! The scanner skips `'...'` strings (backslash escapes and doubled quotes), `"..."`
//! identifiers (doubled quotes), `--` and `//` line comments and `/* */` block comments.
//! Literals: `NULL`, `TRUE`/`FALSE`, integers, doubles in round-trippable exponent form,
//! validated decimal text, strings in single quotes with backslash escapes, `X'..'` for
//! binary, `DATE '...'`, `TIMESTAMP '...'` (microseconds, fraction only when non-zero) and
//! times as strings. Negative numbers are parenthesised so that `- ?` cannot turn into a
//! `--` comment, and a literal never fuses with a preceding identifier character.

use chrono::NaiveDate;

use super::error::{ClientError, ErrorKind};

/// A typed value bound to a `?` marker.
#[derive(Debug, Clone, PartialEq)]
pub enum ParamValue {
    /// SQL NULL.
    Null,
    /// Boolean.
    Bool(bool),
    /// Signed integer.
    Int(i64),
    /// Unsigned integer.
    UInt(u64),
    /// Double; must be finite.
    Double(f64),
    /// Plain decimal text such as `-123.45` (validated again here).
    Decimal(String),
    /// Text; must not contain NUL.
    Text(String),
    /// Bytes.
    Binary(Vec<u8>),
    /// Calendar date.
    Date {
        /// Year (1..=9999).
        year: i32,
        /// Month (1..=12).
        month: u32,
        /// Day of month.
        day: u32,
    },
    /// Time of day.
    Time {
        /// Hour (0..=23).
        hour: u32,
        /// Minute (0..=59).
        minute: u32,
        /// Second (0..=59).
        second: u32,
        /// Nanoseconds (rounded down to microseconds).
        nanos: u32,
    },
    /// Timestamp without zone.
    Timestamp {
        /// Year (1..=9999).
        year: i32,
        /// Month (1..=12).
        month: u32,
        /// Day of month.
        day: u32,
        /// Hour (0..=23).
        hour: u32,
        /// Minute (0..=59).
        minute: u32,
        /// Second (0..=59).
        second: u32,
        /// Nanoseconds (rounded down to microseconds).
        nanos: u32,
    },
}

/// A piece of SQL text as the scanner sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Piece {
    /// Text to copy as is (code, literals, identifiers, comments).
    Text(usize, usize),
    /// A `?` marker at this byte offset.
    Marker,
}

/// Splits `sql` into text and markers.
fn scan(sql: &str) -> Vec<Piece> {
    let b = sql.as_bytes();
    let mut pieces = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while let Some(&c) = b.get(i) {
        match c {
            b'?' => {
                if start < i {
                    pieces.push(Piece::Text(start, i));
                }
                pieces.push(Piece::Marker);
                i += 1;
                start = i;
            }
            b'\'' => i = skip_quoted(b, i + 1, b'\'', true),
            b'"' => i = skip_quoted(b, i + 1, b'"', false),
            b'-' if b.get(i + 1) == Some(&b'-') => i = skip_line(b, i + 2),
            b'/' if b.get(i + 1) == Some(&b'/') => i = skip_line(b, i + 2),
            b'/' if b.get(i + 1) == Some(&b'*') => i = skip_block(b, i + 2),
            _ => i += 1,
        }
    }
    if start < b.len() {
        pieces.push(Piece::Text(start, b.len()));
    }
    pieces
}

/// Index just past the closing `quote` (doubled quotes stay inside; backslash escapes the next
/// byte when `backslash`), or the end of input when unterminated.
fn skip_quoted(b: &[u8], mut i: usize, quote: u8, backslash: bool) -> usize {
    while let Some(&c) = b.get(i) {
        if backslash && c == b'\\' {
            i += 2;
        } else if c == quote {
            if b.get(i + 1) == Some(&quote) {
                i += 2;
            } else {
                return i + 1;
            }
        } else {
            i += 1;
        }
    }
    b.len()
}

fn skip_line(b: &[u8], i: usize) -> usize {
    b.get(i..)
        .and_then(|rest| rest.iter().position(|&c| c == b'\n'))
        .map_or(b.len(), |p| i + p + 1)
}

fn skip_block(b: &[u8], i: usize) -> usize {
    b.get(i..)
        .and_then(|rest| rest.windows(2).position(|w| w == b"*/"))
        .map_or(b.len(), |p| i + p + 2)
}

/// Count of `?` markers outside string literals, quoted identifiers and comments.
pub fn count_markers(sql: &str) -> usize {
    scan(sql)
        .iter()
        .filter(|p| matches!(p, Piece::Marker))
        .count()
}

/// Replaces each `?` marker by the e6data literal of the matching value. Fails with
/// `ErrorKind::Parameter` when the counts differ or a value cannot be written as a literal.
pub fn substitute(sql: &str, params: &[ParamValue]) -> Result<String, ClientError> {
    let pieces = scan(sql);
    let markers = pieces.iter().filter(|p| matches!(p, Piece::Marker)).count();
    if markers != params.len() {
        return Err(param_error(format!(
            "the statement has {markers} parameter marker(s) but {} value(s) were bound; bind \
             one value per `?`",
            params.len()
        )));
    }
    let mut out = String::with_capacity(sql.len() + 16 * params.len());
    let mut values = params.iter().enumerate();
    for piece in pieces {
        match piece {
            Piece::Text(s, e) => out.push_str(sql.get(s..e).unwrap_or_default()),
            Piece::Marker => {
                let Some((index, value)) = values.next() else {
                    return Err(param_error("fewer values than markers".to_owned()));
                };
                if out.ends_with(|c: char| c.is_alphanumeric() || c == '_') {
                    out.push(' ');
                }
                write_literal(&mut out, value)
                    .map_err(|why| param_error(format!("parameter {}: {why}", index + 1)))?;
            }
        }
    }
    Ok(out)
}

fn param_error(message: String) -> ClientError {
    ClientError::new(ErrorKind::Parameter, message)
}

fn write_literal(out: &mut String, value: &ParamValue) -> Result<(), String> {
    match value {
        ParamValue::Null => out.push_str("NULL"),
        ParamValue::Bool(true) => out.push_str("TRUE"),
        ParamValue::Bool(false) => out.push_str("FALSE"),
        ParamValue::Int(v) if *v < 0 => out.push_str(&format!("({v})")),
        ParamValue::Int(v) => out.push_str(&v.to_string()),
        ParamValue::UInt(v) => out.push_str(&v.to_string()),
        ParamValue::Double(v) => {
            if !v.is_finite() {
                return Err(format!("{v} is not a finite number and has no SQL literal"));
            }
            // LowerExp prints the shortest text that parses back to the same f64.
            if v.is_sign_negative() {
                out.push_str(&format!("({v:e})"));
            } else {
                out.push_str(&format!("{v:e}"));
            }
        }
        ParamValue::Decimal(text) => write_decimal(out, text)?,
        ParamValue::Text(text) => write_text(out, text)?,
        ParamValue::Binary(bytes) => {
            out.push_str("X'");
            for byte in bytes {
                out.push_str(&format!("{byte:02X}"));
            }
            out.push('\'');
        }
        ParamValue::Date { year, month, day } => {
            check_date(*year, *month, *day)?;
            out.push_str(&format!("DATE '{year:04}-{month:02}-{day:02}'"));
        }
        ParamValue::Time {
            hour,
            minute,
            second,
            nanos,
        } => {
            check_time(*hour, *minute, *second, *nanos)?;
            out.push('\'');
            push_time(out, *hour, *minute, *second, *nanos);
            out.push('\'');
        }
        ParamValue::Timestamp {
            year,
            month,
            day,
            hour,
            minute,
            second,
            nanos,
        } => {
            check_date(*year, *month, *day)?;
            check_time(*hour, *minute, *second, *nanos)?;
            out.push_str(&format!("TIMESTAMP '{year:04}-{month:02}-{day:02} "));
            push_time(out, *hour, *minute, *second, *nanos);
            out.push('\'');
        }
    }
    Ok(())
}

fn write_decimal(out: &mut String, text: &str) -> Result<(), String> {
    let t = text.trim();
    let (negative, digits) = match t.as_bytes().first() {
        Some(b'-') => (true, t.get(1..).unwrap_or_default()),
        Some(b'+') => (false, t.get(1..).unwrap_or_default()),
        _ => (false, t),
    };
    let (int_part, frac_part) = digits.split_once('.').unwrap_or((digits, ""));
    let all_digits = |s: &str| s.bytes().all(|c| c.is_ascii_digit());
    if int_part.len() + frac_part.len() == 0 || !all_digits(int_part) || !all_digits(frac_part) {
        return Err(format!("{text:?} is not a plain decimal number"));
    }
    if negative {
        out.push_str(&format!("(-{digits})"));
    } else {
        out.push_str(digits);
    }
    Ok(())
}

fn write_text(out: &mut String, text: &str) -> Result<(), String> {
    if text.contains('\0') {
        return Err(
            "text contains a NUL character, which a SQL string literal cannot hold".to_owned(),
        );
    }
    out.push('\'');
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            other => out.push(other),
        }
    }
    out.push('\'');
    Ok(())
}

fn check_date(year: i32, month: u32, day: u32) -> Result<(), String> {
    if !(1..=9999).contains(&year) || NaiveDate::from_ymd_opt(year, month, day).is_none() {
        return Err(format!(
            "{year:04}-{month:02}-{day:02} is not a valid date (years 1-9999)"
        ));
    }
    Ok(())
}

fn check_time(hour: u32, minute: u32, second: u32, nanos: u32) -> Result<(), String> {
    if hour > 23 || minute > 59 || second > 59 || nanos > 999_999_999 {
        return Err(format!(
            "{hour:02}:{minute:02}:{second:02}.{nanos:09} is not a valid time of day"
        ));
    }
    Ok(())
}

fn push_time(out: &mut String, hour: u32, minute: u32, second: u32, nanos: u32) {
    out.push_str(&format!("{hour:02}:{minute:02}:{second:02}"));
    let micros = nanos / 1000;
    if micros != 0 {
        out.push_str(&format!(".{micros:06}"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn sub(sql: &str, p: &[ParamValue]) -> String {
        substitute(sql, p).expect("substitutes")
    }

    #[test]
    fn markers_skip_literals_identifiers_and_comments() {
        assert_eq!(count_markers("select ?, ?"), 2);
        assert_eq!(count_markers("select '?', \"?\", ?"), 1);
        assert_eq!(count_markers("select 'it''s ?', ?"), 1);
        assert_eq!(count_markers(r"select 'a\'?', ?"), 1);
        assert_eq!(count_markers("select \"a\"\"?\" , ?"), 1);
        assert_eq!(count_markers("select ? -- ?\n, ?"), 2);
        assert_eq!(count_markers("select ? // ?\n, ?"), 2);
        assert_eq!(count_markers("select /* ? */ ?"), 1);
        assert_eq!(count_markers("select /* ? "), 0);
        assert_eq!(count_markers("select 'unterminated ?"), 0);
        assert_eq!(count_markers("select 1 - ? / 2"), 1);
        assert_eq!(count_markers("select ?? "), 2);
    }

    #[test]
    fn literals() {
        let p = [
            ParamValue::Null,
            ParamValue::Bool(true),
            ParamValue::Bool(false),
            ParamValue::Int(-5),
            ParamValue::UInt(u64::MAX),
            ParamValue::Double(0.1),
            ParamValue::Decimal("-123.45".into()),
        ];
        assert_eq!(
            sub("select ?,?,?,?,?,?,?", &p),
            "select NULL,TRUE,FALSE,(-5),18446744073709551615,1e-1,(-123.45)"
        );
        assert_eq!(
            sub("select ?", &[ParamValue::Binary(vec![0, 0xAB, 0x10])]),
            "select X'00AB10'"
        );
        assert_eq!(
            sub("select ?", &[ParamValue::Text("a'b\\c\nd\re\tf?".into())]),
            r"select 'a\'b\\c\nd\re\tf?'"
        );
        assert_eq!(
            sub(
                "select ?",
                &[ParamValue::Date {
                    year: 2024,
                    month: 2,
                    day: 29
                }]
            ),
            "select DATE '2024-02-29'"
        );
        let ts = |nanos| ParamValue::Timestamp {
            year: 1969,
            month: 12,
            day: 31,
            hour: 23,
            minute: 59,
            second: 58,
            nanos,
        };
        assert_eq!(
            sub("select ?", &[ts(0)]),
            "select TIMESTAMP '1969-12-31 23:59:58'"
        );
        assert_eq!(
            sub("select ?", &[ts(123_456_789)]),
            "select TIMESTAMP '1969-12-31 23:59:58.123456'"
        );
        assert_eq!(
            sub("select ?", &[ts(999)]),
            "select TIMESTAMP '1969-12-31 23:59:58'"
        );
        assert_eq!(
            sub(
                "select ?",
                &[ParamValue::Time {
                    hour: 7,
                    minute: 5,
                    second: 3,
                    nanos: 1_000
                }]
            ),
            "select '07:05:03.000001'"
        );
    }

    #[test]
    fn negative_numbers_cannot_start_a_comment() {
        let out = sub("select 1 -?", &[ParamValue::Int(-1)]);
        assert_eq!(out, "select 1 -(-1)");
        assert_eq!(count_markers(&out), 0);
        assert!(!out.contains("--"));
        assert_eq!(
            sub("select 1-?", &[ParamValue::Double(-2.5)]),
            "select 1-(-2.5e0)"
        );
    }

    #[test]
    fn literal_never_fuses_with_an_identifier() {
        assert_eq!(
            sub("select x?", &[ParamValue::Text("1".into())]),
            "select x '1'"
        );
    }

    #[test]
    fn bad_values_are_parameter_errors() {
        let bad = [
            ParamValue::Double(f64::NAN),
            ParamValue::Double(f64::INFINITY),
            ParamValue::Decimal("1e5".into()),
            ParamValue::Decimal("".into()),
            ParamValue::Decimal("-".into()),
            ParamValue::Decimal("1.2.3".into()),
            ParamValue::Text("a\0b".into()),
            ParamValue::Date {
                year: 2023,
                month: 2,
                day: 29,
            },
            ParamValue::Date {
                year: 10000,
                month: 1,
                day: 1,
            },
            ParamValue::Time {
                hour: 24,
                minute: 0,
                second: 0,
                nanos: 0,
            },
            ParamValue::Time {
                hour: 1,
                minute: 0,
                second: 0,
                nanos: 1_000_000_000,
            },
        ];
        for v in bad {
            let e = substitute("select ?", std::slice::from_ref(&v)).err();
            assert_eq!(e.map(|e| e.kind()), Some(ErrorKind::Parameter), "{v:?}");
        }
        let e = substitute("select ?, ?", &[ParamValue::Null]).expect_err("mismatch");
        assert_eq!(e.kind(), ErrorKind::Parameter);
        assert!(e.message().contains("2 parameter marker"));
        assert!(substitute("select 1", &[]).is_ok());
    }

    #[test]
    fn decimal_forms() {
        assert_eq!(sub("?", &[ParamValue::Decimal("+1.50".into())]), "1.50");
        assert_eq!(sub("?", &[ParamValue::Decimal(".5".into())]), ".5");
        assert_eq!(sub("?", &[ParamValue::Decimal("7.".into())]), "7.");
    }

    /// A tiny reader of one e6data string literal starting at `s[0] == '\''`: returns the
    /// decoded text and the rest of the input after the closing quote.
    fn read_literal(s: &str) -> Option<(String, &str)> {
        let mut chars = s.char_indices();
        if chars.next()?.1 != '\'' {
            return None;
        }
        let mut out = String::new();
        while let Some((i, c)) = chars.next() {
            match c {
                '\\' => {
                    let (_, e) = chars.next()?;
                    out.push(match e {
                        'n' => '\n',
                        'r' => '\r',
                        't' => '\t',
                        other => other,
                    });
                }
                '\'' => {
                    if s[i + 1..].starts_with('\'') {
                        chars.next();
                        out.push('\'');
                    } else {
                        return Some((out, &s[i + 1..]));
                    }
                }
                other => out.push(other),
            }
        }
        None
    }

    proptest! {
        #[test]
        fn text_never_breaks_out_of_its_literal(text in "[^\u{0}]{0,40}", tail in "[a-z ]{0,8}") {
            let sql = format!("select ? {tail}");
            let out = substitute(&sql, &[ParamValue::Text(text.clone())]).expect("substitutes");
            let lit = out.strip_prefix("select ").expect("prefix");
            let (decoded, rest) = read_literal(lit).expect("one closed literal");
            prop_assert_eq!(decoded, text);
            prop_assert_eq!(rest, format!(" {tail}"));
            prop_assert_eq!(count_markers(&out), 0);
        }

        #[test]
        fn doubles_round_trip(v in proptest::num::f64::NORMAL | proptest::num::f64::SUBNORMAL | proptest::num::f64::ZERO) {
            let out = substitute("?", &[ParamValue::Double(v)]).expect("finite");
            let inner = out.trim_start_matches('(').trim_end_matches(')');
            let back: f64 = inner.parse().expect("parses");
            prop_assert_eq!(back.to_bits(), v.to_bits());
        }

        #[test]
        fn markers_in_arbitrary_text_never_panic(sql in ".{0,60}") {
            let n = count_markers(&sql);
            let params = vec![ParamValue::Int(1); n];
            prop_assert!(substitute(&sql, &params).is_ok());
        }
    }
}
