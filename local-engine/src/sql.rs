//! e6data's lexical conventions (spec §9) translated into DataFusion's SQL text.
//!
//! e6data string literals take backslash escapes (`\'`, `\\`, `\n`, `\t`, `\r`, `\0`); DataFusion
//! doubles quotes and knows no escapes. e6data also accepts `//` line comments. A small lexer walks
//! the text, rewrites string literals and `//` comments, and copies everything else verbatim,
//! respecting double-quoted identifiers and `--` / `/* */` comments. One trailing `;` is dropped.

/// Rewrites e6data SQL into the equivalent DataFusion SQL.
pub fn to_datafusion(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len() + 8);
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                out.push('\'');
                copy_string_literal(&mut chars, &mut out);
            }
            '"' => {
                out.push('"');
                copy_until_quote(&mut chars, &mut out, '"');
            }
            '-' if chars.peek() == Some(&'-') => {
                out.push(c);
                copy_line(&mut chars, &mut out);
            }
            '/' if chars.peek() == Some(&'/') => {
                chars.next();
                out.push_str("--");
                copy_line(&mut chars, &mut out);
            }
            '/' if chars.peek() == Some(&'*') => {
                out.push(c);
                copy_block_comment(&mut chars, &mut out);
            }
            _ => out.push(c),
        }
    }
    strip_one_semicolon(out)
}

type Chars<'a> = std::iter::Peekable<std::str::Chars<'a>>;

/// Copies the rest of a single-quoted literal (after its opening quote), translating
/// backslash escapes and keeping `''` doubling.
fn copy_string_literal(chars: &mut Chars<'_>, out: &mut String) {
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some('\'') => out.push_str("''"),
                Some('\\') => out.push('\\'),
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some('r') => out.push('\r'),
                Some('0') => out.push('\0'),
                Some('"') => out.push('"'),
                // Unknown escapes (e.g. `\%` in LIKE patterns) keep their backslash.
                Some(other) => {
                    out.push('\\');
                    out.push(other);
                }
                None => out.push('\\'),
            },
            '\'' => {
                out.push('\'');
                if chars.peek() == Some(&'\'') {
                    chars.next();
                    out.push('\'');
                } else {
                    return;
                }
            }
            _ => out.push(c),
        }
    }
}

/// Copies up to and including the closing `quote` (a doubled quote is part of the name).
fn copy_until_quote(chars: &mut Chars<'_>, out: &mut String, quote: char) {
    while let Some(c) = chars.next() {
        out.push(c);
        if c == quote {
            if chars.peek() == Some(&quote) {
                chars.next();
                out.push(quote);
            } else {
                return;
            }
        }
    }
}

/// Copies up to and including the end of the line.
fn copy_line(chars: &mut Chars<'_>, out: &mut String) {
    for c in chars.by_ref() {
        out.push(c);
        if c == '\n' {
            return;
        }
    }
}

/// Copies a block comment from its `*` up to and including the closing `*/`.
fn copy_block_comment(chars: &mut Chars<'_>, out: &mut String) {
    if let Some(star) = chars.next() {
        out.push(star);
    }
    let mut prev = '\0';
    for c in chars.by_ref() {
        out.push(c);
        if prev == '*' && c == '/' {
            return;
        }
        prev = c;
    }
}

fn strip_one_semicolon(mut sql: String) -> String {
    let trimmed = sql.trim_end().len();
    sql.truncate(trimmed);
    if sql.ends_with(';') {
        sql.pop();
    }
    sql
}

#[cfg(test)]
mod tests {
    use super::to_datafusion;

    #[test]
    fn plain_sql_is_unchanged() {
        assert_eq!(
            to_datafusion("select \"A\", b from t where c = 'x'"),
            "select \"A\", b from t where c = 'x'"
        );
    }

    #[test]
    fn backslash_escapes_become_datafusion_literals() {
        assert_eq!(to_datafusion(r"select 'it\'s'"), "select 'it''s'");
        assert_eq!(to_datafusion(r"select 'a\\b'"), r"select 'a\b'");
        assert_eq!(to_datafusion(r"select 'a\nb\tc\rd'"), "select 'a\nb\tc\rd'");
        assert_eq!(to_datafusion(r#"select 'q\"q'"#), "select 'q\"q'");
        assert_eq!(
            to_datafusion(r"select 'x' like 'a\%'"),
            r"select 'x' like 'a\%'"
        );
    }

    #[test]
    fn doubled_quotes_still_work() {
        assert_eq!(to_datafusion("select 'it''s'"), "select 'it''s'");
    }

    #[test]
    fn quoted_identifiers_and_comments_are_not_rewritten() {
        assert_eq!(
            to_datafusion("select 1 as \"a\\'b\"\"c\" -- it\\'s\n"),
            "select 1 as \"a\\'b\"\"c\" -- it\\'s"
        );
        assert_eq!(
            to_datafusion("select /* 'it\\'s' */ 1"),
            "select /* 'it\\'s' */ 1"
        );
    }

    #[test]
    fn slash_slash_comments_become_dash_dash() {
        assert_eq!(
            to_datafusion("select 1 // one\n, '//not' // two"),
            "select 1 -- one\n, '//not' -- two"
        );
        assert_eq!(to_datafusion("select 4 / 2"), "select 4 / 2");
    }

    #[test]
    fn one_trailing_semicolon_is_dropped() {
        assert_eq!(to_datafusion("select 1;  \n"), "select 1");
        assert_eq!(to_datafusion("select 1;;"), "select 1;");
        assert_eq!(to_datafusion("select ';'"), "select ';'");
    }

    #[test]
    fn unterminated_input_is_copied_not_lost() {
        assert_eq!(to_datafusion("select 'abc"), "select 'abc");
        assert_eq!(to_datafusion("select 'abc\\"), "select 'abc\\");
        assert_eq!(to_datafusion("select \"abc"), "select \"abc");
        assert_eq!(to_datafusion("select /* abc"), "select /* abc");
    }
}
