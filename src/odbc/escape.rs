//! ODBC escape sequences translated into e6data SQL (which e6data-local accepts too).
//!
//! Handled: `{fn NAME(args)}` scalar functions (the [`FUNCTIONS`] map), `{d '...'}`,
//! `{t '...'}`, `{ts '...'}`, `{oj ...}`, `{escape 'c'}`, `{INTERVAL ...}`; escapes nest.
//! `{call ...}`, `{?= call ...}` and `{guid ...}` answer HYC00: e6data has no procedures and no
//! GUID type. A small lexer skips string literals (with e6data's backslash escapes), quoted
//! identifiers and comments, so braces inside them are left alone.
//!
//! The SQLGetInfo function bitmasks are derived from [`FUNCTIONS`] ([`advertised`]), and the
//! TIMESTAMPADD/TIMESTAMPDIFF interval masks from [`INTERVALS`] ([`advertised_intervals`]), so
//! the driver never advertises a function or interval it does not translate.
//!
//! Spellings follow e6data's own SQL dialect, which e6data-local accepts too:
//! - `TIMESTAMPADD(SQL_TSI_x, n, ts)` becomes e6data's `timestamp_add('UNIT', n, ts)`, with WEEK
//!   as 7 days and QUARTER as 3 months; the result is a TIMESTAMP (a DATE argument is cast first,
//!   so its time is midnight, as ODBC specifies). Month arithmetic clamps to the month's end.
//! - `TIMESTAMPDIFF(SQL_TSI_x, a, b)` counts the interval boundaries crossed from `a` to `b`
//!   (negative when `b` is earlier), as SQL Server's DATEDIFF and Tableau's DATEDIFF do: SECOND
//!   to DAY truncate both sides to the unit with `date_trunc` before e6data's `timestamp_diff`, so
//!   the answer does not depend on whether the engine counts boundaries or whole units; WEEK
//!   counts Sunday boundaries (days between the preceding Sundays / 7); MONTH, QUARTER and YEAR
//!   are computed from `EXTRACT` fields. Results are BIGINT.
//! - SQL_TSI_FRAC_SECOND (billionths of a second) answers HYC00: no sub-second unit of e6data's
//!   date arithmetic could be verified.
//! - `WEEK(d)` is the week of the year 1..53 with weeks starting on Sunday and week 1 holding
//!   January 1 (SQL Server's `DATEPART(week)`), from `EXTRACT(DOY)` and `EXTRACT(DOW)`.
//! - `SOUNDEX` is e6data's `soundex`; `DIFFERENCE(a, b)` is the number (0..4) of positions at
//!   which the two SOUNDEX codes agree. `INSERT(s, start, len, s2)` is built from `substr` and
//!   `concat` and is NULL when an argument is NULL.
//! - `DATABASE()` and `USER()` become string literals of the connection's current catalog and
//!   user name ([`ConnectionNames`]), the values SQLGetInfo reports for SQL_DATABASE_NAME and
//!   SQL_USER_NAME; the text is translated when it is prepared, so a later catalog change does
//!   not reach an already prepared statement.
//! - `CURTIME()` and `CURRENT_TIME()` answer HYC00: e6data has no TIME type to return.

use std::fmt::Write as _;

/// Why a statement's escapes could not be translated.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EscapeError {
    /// The escape is malformed (SQLSTATE 42000).
    #[error("syntax error in ODBC escape sequence at character {offset}: {reason}")]
    Syntax {
        /// Byte offset in the statement text.
        offset: usize,
        /// What is wrong.
        reason: String,
    },
    /// The escape is well formed but e6data has no equivalent (SQLSTATE HYC00).
    #[error("ODBC escape sequence not supported by e6data: {0}")]
    Unsupported(String),
}

impl EscapeError {
    /// The SQLSTATE the ODBC layer reports for this error.
    pub fn sqlstate(&self) -> &'static str {
        match self {
            Self::Syntax { .. } => "42000",
            Self::Unsupported(_) => "HYC00",
        }
    }
}

/// The SQLGetInfo group a scalar function belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Group {
    /// `SQL_STRING_FUNCTIONS`.
    String,
    /// `SQL_NUMERIC_FUNCTIONS`.
    Numeric,
    /// `SQL_TIMEDATE_FUNCTIONS`.
    TimeDate,
    /// `SQL_SYSTEM_FUNCTIONS`.
    System,
    /// `SQL_CONVERT_FUNCTIONS`.
    Convert,
}

/// How an ODBC scalar function becomes e6data SQL.
#[derive(Debug, Clone, Copy)]
enum Form {
    /// Same arguments, another function name.
    Rename(&'static str),
    /// `CAST(EXTRACT(<part> FROM x) AS INTEGER)` plus an offset.
    Extract(&'static str, i32),
    /// `to_char(x, '<format>')`.
    Format(&'static str),
    /// `(a % b)`.
    Modulo,
    /// `repeat(' ', n)`.
    Space,
    /// `LOCATE(needle, haystack[, start])`.
    Locate,
    /// `CONVERT(x, SQL_type)` -> `CAST(x AS type)`.
    Convert,
    /// `EXTRACT(part FROM x)`, kept as written.
    Verbatim,
    /// `TIMESTAMPADD(interval, n, ts)`.
    TimestampAdd,
    /// `TIMESTAMPDIFF(interval, a, b)`.
    TimestampDiff,
    /// `WEEK(d)`: week of the year, Sunday-based.
    Week,
    /// `INSERT(s, start, len, s2)`.
    Insert,
    /// `DIFFERENCE(a, b)`: matching SOUNDEX positions.
    Difference,
    /// `DATABASE()`: the current catalog as a literal.
    Database,
    /// `USER()`: the user name as a literal.
    User,
}

/// One ODBC scalar function e6data can run.
#[derive(Debug, Clone, Copy)]
pub struct ScalarFunction {
    /// The ODBC name (upper case).
    pub name: &'static str,
    /// Its SQLGetInfo group.
    pub group: Group,
    /// Its `SQL_FN_*` bit in the group's bitmask.
    pub bit: u32,
    min_args: usize,
    max_args: usize,
    form: Form,
}

const fn f(
    name: &'static str,
    group: Group,
    bit: u32,
    args: (usize, usize),
    form: Form,
) -> ScalarFunction {
    ScalarFunction {
        name,
        group,
        bit,
        min_args: args.0,
        max_args: args.1,
        form,
    }
}

use Form::{Extract, Format, Rename};
use Group::{Numeric, String as Str, System, TimeDate};

/// Every translated `{fn}` (ODBC name, group, `SQL_FN_*` bit, argument count, translation).
/// The DataFusion names were checked against DataFusion 55's function list.
pub const FUNCTIONS: &[ScalarFunction] = &[
    // String functions.
    f("CONCAT", Str, 0x0000_0001, (2, 2), Rename("concat")),
    f("INSERT", Str, 0x0000_0002, (4, 4), Form::Insert),
    f("LEFT", Str, 0x0000_0004, (2, 2), Rename("left")),
    f("LTRIM", Str, 0x0000_0008, (1, 1), Rename("ltrim")),
    f(
        "LENGTH",
        Str,
        0x0000_0010,
        (1, 1),
        Rename("character_length"),
    ),
    f(
        "LOCATE",
        Str,
        0x0000_0020 | 0x0001_0000,
        (2, 3),
        Form::Locate,
    ),
    f("LCASE", Str, 0x0000_0040, (1, 1), Rename("lower")),
    f("REPEAT", Str, 0x0000_0080, (2, 2), Rename("repeat")),
    f("REPLACE", Str, 0x0000_0100, (3, 3), Rename("replace")),
    f("RIGHT", Str, 0x0000_0200, (2, 2), Rename("right")),
    f("RTRIM", Str, 0x0000_0400, (1, 1), Rename("rtrim")),
    f("SUBSTRING", Str, 0x0000_0800, (2, 3), Rename("substr")),
    f("UCASE", Str, 0x0000_1000, (1, 1), Rename("upper")),
    f("ASCII", Str, 0x0000_2000, (1, 1), Rename("ascii")),
    f("CHAR", Str, 0x0000_4000, (1, 1), Rename("chr")),
    f("DIFFERENCE", Str, 0x0000_8000, (2, 2), Form::Difference),
    f("SOUNDEX", Str, 0x0002_0000, (1, 1), Rename("soundex")),
    f("SPACE", Str, 0x0004_0000, (1, 1), Form::Space),
    f("BIT_LENGTH", Str, 0x0008_0000, (1, 1), Rename("bit_length")),
    f(
        "CHAR_LENGTH",
        Str,
        0x0010_0000,
        (1, 1),
        Rename("character_length"),
    ),
    f(
        "CHARACTER_LENGTH",
        Str,
        0x0020_0000,
        (1, 1),
        Rename("character_length"),
    ),
    f(
        "OCTET_LENGTH",
        Str,
        0x0040_0000,
        (1, 1),
        Rename("octet_length"),
    ),
    // Numeric functions.
    f("ABS", Numeric, 0x0000_0001, (1, 1), Rename("abs")),
    f("ACOS", Numeric, 0x0000_0002, (1, 1), Rename("acos")),
    f("ASIN", Numeric, 0x0000_0004, (1, 1), Rename("asin")),
    f("ATAN", Numeric, 0x0000_0008, (1, 1), Rename("atan")),
    f("ATAN2", Numeric, 0x0000_0010, (2, 2), Rename("atan2")),
    f("CEILING", Numeric, 0x0000_0020, (1, 1), Rename("ceil")),
    f("COS", Numeric, 0x0000_0040, (1, 1), Rename("cos")),
    f("COT", Numeric, 0x0000_0080, (1, 1), Rename("cot")),
    f("EXP", Numeric, 0x0000_0100, (1, 1), Rename("exp")),
    f("FLOOR", Numeric, 0x0000_0200, (1, 1), Rename("floor")),
    f("LOG", Numeric, 0x0000_0400, (1, 1), Rename("ln")),
    f("MOD", Numeric, 0x0000_0800, (2, 2), Form::Modulo),
    f("SIGN", Numeric, 0x0000_1000, (1, 1), Rename("signum")),
    f("SIN", Numeric, 0x0000_2000, (1, 1), Rename("sin")),
    f("SQRT", Numeric, 0x0000_4000, (1, 1), Rename("sqrt")),
    f("TAN", Numeric, 0x0000_8000, (1, 1), Rename("tan")),
    f("PI", Numeric, 0x0001_0000, (0, 0), Rename("pi")),
    f("RAND", Numeric, 0x0002_0000, (0, 0), Rename("random")),
    f("DEGREES", Numeric, 0x0004_0000, (1, 1), Rename("degrees")),
    f("LOG10", Numeric, 0x0008_0000, (1, 1), Rename("log10")),
    f("POWER", Numeric, 0x0010_0000, (2, 2), Rename("power")),
    f("RADIANS", Numeric, 0x0020_0000, (1, 1), Rename("radians")),
    f("ROUND", Numeric, 0x0040_0000, (1, 2), Rename("round")),
    f("TRUNCATE", Numeric, 0x0080_0000, (2, 2), Rename("trunc")),
    // Date and time functions.
    f("NOW", TimeDate, 0x0000_0001, (0, 0), Rename("now")),
    f(
        "CURDATE",
        TimeDate,
        0x0000_0002,
        (0, 0),
        Rename("current_date"),
    ),
    f(
        "DAYOFMONTH",
        TimeDate,
        0x0000_0004,
        (1, 1),
        Extract("DAY", 0),
    ),
    f(
        "DAYOFWEEK",
        TimeDate,
        0x0000_0008,
        (1, 1),
        Extract("DOW", 1),
    ),
    f(
        "DAYOFYEAR",
        TimeDate,
        0x0000_0010,
        (1, 1),
        Extract("DOY", 0),
    ),
    f("MONTH", TimeDate, 0x0000_0020, (1, 1), Extract("MONTH", 0)),
    f(
        "QUARTER",
        TimeDate,
        0x0000_0040,
        (1, 1),
        Extract("QUARTER", 0),
    ),
    f("WEEK", TimeDate, 0x0000_0080, (1, 1), Form::Week),
    f("HOUR", TimeDate, 0x0000_0100, (1, 1), Extract("HOUR", 0)),
    f(
        "MINUTE",
        TimeDate,
        0x0000_0200,
        (1, 1),
        Extract("MINUTE", 0),
    ),
    f(
        "SECOND",
        TimeDate,
        0x0000_0400,
        (1, 1),
        Extract("SECOND", 0),
    ),
    f("YEAR", TimeDate, 0x0000_0800, (1, 1), Extract("YEAR", 0)),
    f(
        "TIMESTAMPADD",
        TimeDate,
        0x0000_2000,
        (3, 3),
        Form::TimestampAdd,
    ),
    f(
        "TIMESTAMPDIFF",
        TimeDate,
        0x0000_4000,
        (3, 3),
        Form::TimestampDiff,
    ),
    f("DAYNAME", TimeDate, 0x0000_8000, (1, 1), Format("%A")),
    f("MONTHNAME", TimeDate, 0x0001_0000, (1, 1), Format("%B")),
    f(
        "CURRENT_DATE",
        TimeDate,
        0x0002_0000,
        (0, 0),
        Rename("current_date"),
    ),
    f(
        "CURRENT_TIMESTAMP",
        TimeDate,
        0x0008_0000,
        (0, 1),
        Rename("now"),
    ),
    f("EXTRACT", TimeDate, 0x0010_0000, (1, 1), Form::Verbatim),
    // System functions.
    f("USER", System, 0x0000_0001, (0, 0), Form::User),
    f("DATABASE", System, 0x0000_0002, (0, 0), Form::Database),
    f("IFNULL", System, 0x0000_0004, (2, 2), Rename("coalesce")),
    // Conversion.
    f(
        "CONVERT",
        Group::Convert,
        0x0000_0001,
        (2, 2),
        Form::Convert,
    ),
];

/// The SQLGetInfo bitmask of `group`: the OR of the bits of every translated function.
pub fn advertised(group: Group) -> u32 {
    FUNCTIONS
        .iter()
        .filter(|f| f.group == group)
        .fold(0, |mask, f| mask | f.bit)
}

/// A time unit of e6data's date arithmetic that an ODBC interval maps to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Unit {
    Second,
    Minute,
    Hour,
    Day,
    Week,
    Month,
    Quarter,
    Year,
}

/// One `SQL_TSI_*` interval of TIMESTAMPADD/TIMESTAMPDIFF.
#[derive(Debug, Clone, Copy)]
pub struct Interval {
    /// The ODBC keyword without its `SQL_TSI_` prefix, which is also the unit's name in
    /// e6data's `timestamp_add`, `timestamp_diff` and `date_trunc`.
    pub name: &'static str,
    /// Its `SQL_FN_TSI_*` bit (SQLGetInfo 109 and 110).
    pub bit: u32,
    unit: Option<Unit>,
}

const fn interval(name: &'static str, bit: u32, unit: Option<Unit>) -> Interval {
    Interval { name, bit, unit }
}

/// Every ODBC interval; those without a unit are refused with HYC00 and not advertised.
pub const INTERVALS: &[Interval] = &[
    interval("FRAC_SECOND", 0x0000_0001, None),
    interval("SECOND", 0x0000_0002, Some(Unit::Second)),
    interval("MINUTE", 0x0000_0004, Some(Unit::Minute)),
    interval("HOUR", 0x0000_0008, Some(Unit::Hour)),
    interval("DAY", 0x0000_0010, Some(Unit::Day)),
    interval("WEEK", 0x0000_0020, Some(Unit::Week)),
    interval("MONTH", 0x0000_0040, Some(Unit::Month)),
    interval("QUARTER", 0x0000_0080, Some(Unit::Quarter)),
    interval("YEAR", 0x0000_0100, Some(Unit::Year)),
];

/// The two ODBC functions that take an interval.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateArithmetic {
    /// `TIMESTAMPADD` (`SQL_TIMEDATE_ADD_INTERVALS`).
    Add,
    /// `TIMESTAMPDIFF` (`SQL_TIMEDATE_DIFF_INTERVALS`).
    Diff,
}

/// The `SQL_FN_TSI_*` bitmask of the intervals `which` translates (0 when the function itself
/// is not in [`FUNCTIONS`]).
pub fn advertised_intervals(which: DateArithmetic) -> u32 {
    let name = match which {
        DateArithmetic::Add => "TIMESTAMPADD",
        DateArithmetic::Diff => "TIMESTAMPDIFF",
    };
    if !FUNCTIONS.iter().any(|f| f.name == name) {
        return 0;
    }
    INTERVALS
        .iter()
        .filter(|i| i.unit.is_some())
        .fold(0, |mask, i| mask | i.bit)
}

/// What `{fn DATABASE()}` and `{fn USER()}` answer: the values SQLGetInfo reports for
/// SQL_DATABASE_NAME and SQL_USER_NAME on the statement's connection.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConnectionNames {
    /// The current catalog ("" when none is set).
    pub catalog: String,
    /// The user name the connection logged in with.
    pub user: String,
}

/// `SQL_xxx` type names accepted by `{fn CONVERT(x, SQL_xxx)}` and their e6data types.
pub const CONVERT_TARGETS: &[(&str, &str)] = &[
    ("SQL_BIGINT", "BIGINT"),
    ("SQL_INTEGER", "INTEGER"),
    ("SQL_SMALLINT", "SMALLINT"),
    ("SQL_TINYINT", "TINYINT"),
    ("SQL_BIT", "BOOLEAN"),
    ("SQL_DOUBLE", "DOUBLE"),
    ("SQL_FLOAT", "DOUBLE"),
    ("SQL_REAL", "REAL"),
    ("SQL_DECIMAL", "DECIMAL(38, 6)"),
    ("SQL_NUMERIC", "DECIMAL(38, 6)"),
    ("SQL_CHAR", "VARCHAR"),
    ("SQL_VARCHAR", "VARCHAR"),
    ("SQL_LONGVARCHAR", "VARCHAR"),
    ("SQL_WCHAR", "VARCHAR"),
    ("SQL_WVARCHAR", "VARCHAR"),
    ("SQL_WLONGVARCHAR", "VARCHAR"),
    ("SQL_DATE", "DATE"),
    ("SQL_TYPE_DATE", "DATE"),
    ("SQL_TIMESTAMP", "TIMESTAMP"),
    ("SQL_TYPE_TIMESTAMP", "TIMESTAMP"),
];

/// Translates every ODBC escape in `sql` into e6data SQL; `names` answers `{fn DATABASE()}`
/// and `{fn USER()}`. Text without `{` is returned unchanged.
pub fn translate(sql: &str, names: &ConnectionNames) -> Result<String, EscapeError> {
    if !sql.contains('{') {
        return Ok(sql.to_owned());
    }
    let mut lexer = Lexer {
        src: sql,
        pos: 0,
        names,
    };
    lexer.text(false)
}

struct Lexer<'a> {
    src: &'a str,
    pos: usize,
    names: &'a ConnectionNames,
}

impl Lexer<'_> {
    fn peek(&self) -> Option<char> {
        self.src.get(self.pos..)?.chars().next()
    }

    fn peek_at(&self, skip: usize) -> Option<char> {
        self.src.get(self.pos..)?.chars().nth(skip)
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += c.len_utf8();
        Some(c)
    }

    fn syntax(&self, reason: impl Into<String>) -> EscapeError {
        EscapeError::Syntax {
            offset: self.pos,
            reason: reason.into(),
        }
    }

    /// Copies text, translating escapes, up to the end (top level) or the `}` closing the
    /// current escape (`nested`), which is consumed.
    fn text(&mut self, nested: bool) -> Result<String, EscapeError> {
        let mut out = String::new();
        while let Some(c) = self.peek() {
            match c {
                '\'' => self.copy_string(&mut out),
                '"' | '`' => self.copy_quoted(c, &mut out),
                '-' if self.peek_at(1) == Some('-') => self.copy_line(&mut out),
                '/' if self.peek_at(1) == Some('/') => self.copy_line(&mut out),
                '/' if self.peek_at(1) == Some('*') => self.copy_block(&mut out),
                '{' => {
                    self.bump();
                    let translated = self.escape()?;
                    out.push_str(&translated);
                }
                '}' if nested => {
                    self.bump();
                    return Ok(out);
                }
                _ => {
                    self.bump();
                    out.push(c);
                }
            }
        }
        if nested {
            Err(self.syntax("the escape sequence has no closing '}'"))
        } else {
            Ok(out)
        }
    }

    /// A string literal with e6data's backslash escapes and doubled quotes.
    fn copy_string(&mut self, out: &mut String) {
        if let Some(q) = self.bump() {
            out.push(q);
        }
        while let Some(c) = self.bump() {
            out.push(c);
            match c {
                '\\' => {
                    if let Some(next) = self.bump() {
                        out.push(next);
                    }
                }
                '\'' if self.peek() == Some('\'') => {
                    self.bump();
                    out.push('\'');
                }
                '\'' => return,
                _ => {}
            }
        }
    }

    /// A quoted identifier (doubled quotes stay inside).
    fn copy_quoted(&mut self, quote: char, out: &mut String) {
        if let Some(q) = self.bump() {
            out.push(q);
        }
        while let Some(c) = self.bump() {
            out.push(c);
            if c == quote {
                if self.peek() == Some(quote) {
                    self.bump();
                    out.push(quote);
                } else {
                    return;
                }
            }
        }
    }

    fn copy_line(&mut self, out: &mut String) {
        while let Some(c) = self.bump() {
            out.push(c);
            if c == '\n' {
                return;
            }
        }
    }

    fn copy_block(&mut self, out: &mut String) {
        // The opening "/*".
        for _ in 0..2 {
            if let Some(c) = self.bump() {
                out.push(c);
            }
        }
        while let Some(c) = self.bump() {
            out.push(c);
            if c == '*' && self.peek() == Some('/') {
                self.bump();
                out.push('/');
                return;
            }
        }
    }

    fn skip_whitespace(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.bump();
        }
    }

    fn word(&mut self) -> &str {
        let start = self.pos;
        while self
            .peek()
            .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
        {
            self.bump();
        }
        self.src.get(start..self.pos).unwrap_or("")
    }

    /// After `{`: one escape sequence up to and including its `}`.
    fn escape(&mut self) -> Result<String, EscapeError> {
        let start = self.pos.saturating_sub(1);
        self.skip_whitespace();
        if self.peek() == Some('?') {
            return Err(EscapeError::Unsupported(
                "{?= call ...}: e6data has no stored procedures".into(),
            ));
        }
        let keyword = self.word().to_ascii_lowercase();
        match keyword.as_str() {
            "fn" => {
                let body = self.text(true)?;
                scalar_function(body.trim(), self.names).map_err(|e| match e {
                    EscapeError::Syntax { reason, .. } => EscapeError::Syntax {
                        offset: start,
                        reason,
                    },
                    other => other,
                })
            }
            "d" | "t" | "ts" => {
                let body = self.text(true)?;
                let literal = body.trim();
                if !(literal.len() >= 2 && literal.starts_with('\'') && literal.ends_with('\'')) {
                    return Err(EscapeError::Syntax {
                        offset: start,
                        reason: format!(
                            "{{{keyword} ...}} needs a quoted literal, found {literal}"
                        ),
                    });
                }
                let sql_type = match keyword.as_str() {
                    "d" => "DATE",
                    "t" => "TIME",
                    _ => "TIMESTAMP",
                };
                Ok(format!("{sql_type} {literal}"))
            }
            "oj" => Ok(self.text(true)?.trim().to_owned()),
            "interval" => Ok(format!("INTERVAL {}", self.text(true)?.trim())),
            "escape" => self.like_escape(),
            "call" => Err(EscapeError::Unsupported(
                "{call ...}: e6data has no stored procedures".into(),
            )),
            "guid" => Err(EscapeError::Unsupported(
                "{guid ...}: e6data has no GUID type".into(),
            )),
            "" => Err(EscapeError::Syntax {
                offset: start,
                reason: "'{' is not followed by an escape keyword (fn, d, t, ts, oj, escape, \
                         interval)"
                    .into(),
            }),
            other => Err(EscapeError::Syntax {
                offset: start,
                reason: format!("unknown escape keyword '{other}'"),
            }),
        }
    }

    /// `{escape 'c'}`: the literal is in ODBC syntax (no backslash escapes), so `'\'` is one
    /// backslash; it is re-quoted for e6data, where a backslash escapes.
    fn like_escape(&mut self) -> Result<String, EscapeError> {
        self.skip_whitespace();
        if self.bump() != Some('\'') {
            return Err(self.syntax("{escape ...} needs a quoted character"));
        }
        let mut value = String::new();
        loop {
            match self.bump() {
                Some('\'') if self.peek() == Some('\'') => {
                    self.bump();
                    value.push('\'');
                }
                Some('\'') => break,
                Some(c) => value.push(c),
                None => return Err(self.syntax("unterminated literal in {escape ...}")),
            }
        }
        self.skip_whitespace();
        if self.bump() != Some('}') {
            return Err(self.syntax("{escape 'c'} has no closing '}'"));
        }
        Ok(format!("ESCAPE {}", string_literal(&value)))
    }
}

/// `value` as an e6data string literal (backslash escapes).
fn string_literal(value: &str) -> String {
    let mut quoted = String::with_capacity(value.len() + 2);
    quoted.push('\'');
    for c in value.chars() {
        if c == '\\' || c == '\'' {
            quoted.push('\\');
        }
        quoted.push(c);
    }
    quoted.push('\'');
    quoted
}

fn syntax(reason: impl Into<String>) -> EscapeError {
    EscapeError::Syntax {
        offset: 0,
        reason: reason.into(),
    }
}

/// The body of `{fn ...}` (inner escapes already translated) as e6data SQL.
fn scalar_function(body: &str, names: &ConnectionNames) -> Result<String, EscapeError> {
    let name_len = body
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(body.len());
    let (name, rest) = body.split_at(name_len);
    let rest = rest.trim_start();
    let inner = rest
        .strip_prefix('(')
        .and_then(|r| r.strip_suffix(')'))
        .ok_or_else(|| syntax(format!("{{fn {body}}} is not of the form NAME(arguments)")))?;
    let upper = name.to_ascii_uppercase();
    let function = FUNCTIONS.iter().find(|f| f.name == upper).ok_or_else(|| {
        EscapeError::Unsupported(format!(
            "scalar function {upper} has no e6data translation (see SQLGetInfo's function \
             bitmasks for the supported ones)"
        ))
    })?;
    if matches!(function.form, Form::Verbatim) {
        return Ok(format!("{upper}({})", inner.trim()));
    }
    let args = split_arguments(inner);
    if args.len() < function.min_args || args.len() > function.max_args {
        return Err(syntax(format!(
            "{upper} takes {} to {} arguments, {} given",
            function.min_args,
            function.max_args,
            args.len()
        )));
    }
    let joined = args.join(", ");
    let arg = |i: usize| args.get(i).map(String::as_str).unwrap_or("");
    Ok(match function.form {
        Rename(target) => format!("{target}({joined})"),
        Extract(part, 0) => format!("CAST(EXTRACT({part} FROM {}) AS INTEGER)", arg(0)),
        Extract(part, offset) => {
            format!(
                "(CAST(EXTRACT({part} FROM {}) AS INTEGER) + {offset})",
                arg(0)
            )
        }
        Format(pattern) => format!("to_char({}, '{pattern}')", arg(0)),
        Form::Modulo => format!("({} % {})", arg(0), arg(1)),
        Form::Space => format!("repeat(' ', {})", arg(0)),
        Form::Locate => locate(arg(0), arg(1), args.get(2).map(String::as_str)),
        Form::Convert => {
            let target = arg(1).to_ascii_uppercase();
            let sql_type = CONVERT_TARGETS
                .iter()
                .find(|(odbc, _)| *odbc == target)
                .map(|(_, e6)| *e6)
                .ok_or_else(|| {
                    EscapeError::Unsupported(format!("CONVERT to {target} (no e6data type)"))
                })?;
            format!("CAST({} AS {sql_type})", arg(0))
        }
        Form::Verbatim => format!("{upper}({joined})"),
        Form::TimestampAdd => timestamp_add(parse_interval(arg(0))?, arg(1), arg(2)),
        Form::TimestampDiff => timestamp_diff(parse_interval(arg(0))?, arg(1), arg(2)),
        Form::Week => {
            let d = arg(0);
            format!(
                "CAST(FLOOR((EXTRACT(DOY FROM {d}) - EXTRACT(DOW FROM {d}) + 12) / 7) AS INTEGER)"
            )
        }
        Form::Insert => insert(arg(0), arg(1), arg(2), arg(3)),
        Form::Difference => difference(arg(0), arg(1)),
        Form::Database => string_literal(&names.catalog),
        Form::User => string_literal(&names.user),
    })
}

/// The translatable interval of a keyword (`SQL_TSI_DAY`, or `DAY`; any case) and its unit.
fn parse_interval(keyword: &str) -> Result<(&'static str, Unit), EscapeError> {
    let upper = keyword.trim().to_ascii_uppercase();
    let bare = upper.strip_prefix("SQL_TSI_").unwrap_or(&upper);
    let known = INTERVALS.iter().find(|i| i.name == bare).ok_or_else(|| {
        syntax(format!(
            "'{keyword}' is not an ODBC interval; use SQL_TSI_SECOND, SQL_TSI_MINUTE, \
             SQL_TSI_HOUR, SQL_TSI_DAY, SQL_TSI_WEEK, SQL_TSI_MONTH, SQL_TSI_QUARTER or \
             SQL_TSI_YEAR"
        ))
    })?;
    known.unit.map(|unit| (known.name, unit)).ok_or_else(|| {
        EscapeError::Unsupported(format!(
            "interval SQL_TSI_{bare} is not translated: the driver knows no fractional-second \
             unit of e6data's date arithmetic; use SQL_TSI_SECOND or coarser (SQLGetInfo 109/110 \
             list the supported intervals)"
        ))
    })
}

/// `TIMESTAMPADD(unit, n, ts)` -> e6data's `timestamp_add('UNIT', n, ts)`.
fn timestamp_add((name, unit): (&str, Unit), count: &str, ts: &str) -> String {
    let ts = format!("CAST({ts} AS TIMESTAMP)");
    match unit {
        Unit::Week => format!("timestamp_add('DAY', 7 * ({count}), {ts})"),
        Unit::Quarter => format!("timestamp_add('MONTH', 3 * ({count}), {ts})"),
        _ => format!("timestamp_add('{name}', {count}, {ts})"),
    }
}

/// `TIMESTAMPDIFF(unit, a, b)`: the `unit` boundaries crossed from `a` to `b`.
fn timestamp_diff((name, unit): (&str, Unit), a: &str, b: &str) -> String {
    let a = format!("CAST({a} AS TIMESTAMP)");
    let b = format!("CAST({b} AS TIMESTAMP)");
    let truncated_diff =
        |u: &str| format!("timestamp_diff(date_trunc('{u}', {b}), date_trunc('{u}', {a}), '{u}')");
    let field = |part: &str| format!("(EXTRACT({part} FROM {b}) - EXTRACT({part} FROM {a}))");
    let expr = match unit {
        Unit::Second | Unit::Minute | Unit::Hour | Unit::Day => truncated_diff(name),
        Unit::Week => format!(
            "({} - EXTRACT(DOW FROM {b}) + EXTRACT(DOW FROM {a})) / 7",
            truncated_diff("DAY")
        ),
        Unit::Month => format!("{} * 12 + {}", field("YEAR"), field("MONTH")),
        Unit::Quarter => format!("{} * 4 + {}", field("YEAR"), field("QUARTER")),
        Unit::Year => field("YEAR"),
    };
    format!("CAST({expr} AS BIGINT)")
}

/// `INSERT(s, start, len, s2)`: `s` with `len` characters from `start` replaced by `s2`.
fn insert(s: &str, start: &str, len: &str, s2: &str) -> String {
    format!(
        "(CASE WHEN ({s}) IS NULL OR ({start}) IS NULL OR ({len}) IS NULL OR ({s2}) IS NULL \
         THEN NULL ELSE concat(substr({s}, 1, ({start}) - 1), {s2}, substr({s}, ({start}) + \
         ({len}))) END)"
    )
}

/// `DIFFERENCE(a, b)`: how many of the four SOUNDEX positions agree.
fn difference(a: &str, b: &str) -> String {
    let mut sum = String::new();
    for position in 1..=4 {
        if position > 1 {
            sum.push_str(" + ");
        }
        let _ = write!(
            sum,
            "CASE WHEN substr(soundex({a}), {position}, 1) = substr(soundex({b}), {position}, 1) \
             THEN 1 ELSE 0 END"
        );
    }
    format!("(CASE WHEN ({a}) IS NULL OR ({b}) IS NULL THEN NULL ELSE {sum} END)")
}

/// `LOCATE(needle, haystack[, start])`: 1-based position, 0 when absent.
fn locate(needle: &str, haystack: &str, start: Option<&str>) -> String {
    match start {
        None => format!("strpos({haystack}, {needle})"),
        Some(start) => {
            let mut s = String::new();
            let found = format!("strpos(substr({haystack}, {start}), {needle})");
            let _ = write!(
                s,
                "(CASE WHEN {found} = 0 THEN 0 ELSE {found} + ({start}) - 1 END)"
            );
            s
        }
    }
}

/// Splits a function's argument list at top-level commas (outside parentheses, literals and
/// quoted identifiers). An empty list gives no arguments.
fn split_arguments(inner: &str) -> Vec<String> {
    let mut args = Vec::new();
    let mut current = String::new();
    let mut depth = 0usize;
    let mut chars = inner.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\'' | '"' | '`' => {
                current.push(c);
                while let Some(d) = chars.next() {
                    current.push(d);
                    if c == '\'' && d == '\\' {
                        if let Some(e) = chars.next() {
                            current.push(e);
                        }
                    } else if d == c {
                        if chars.peek() == Some(&c) {
                            if let Some(e) = chars.next() {
                                current.push(e);
                            }
                        } else {
                            break;
                        }
                    }
                }
            }
            '(' => {
                depth += 1;
                current.push(c);
            }
            ')' => {
                depth = depth.saturating_sub(1);
                current.push(c);
            }
            ',' if depth == 0 => args.push(std::mem::take(&mut current).trim().to_owned()),
            _ => current.push(c),
        }
    }
    let last = current.trim();
    if !last.is_empty() || !args.is_empty() {
        args.push(last.to_owned());
    }
    args
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names() -> ConnectionNames {
        ConnectionNames {
            catalog: "local".into(),
            user: "o'brien\\x".into(),
        }
    }

    fn ok(sql: &str) -> String {
        translate(sql, &names()).unwrap()
    }

    fn err(sql: &str) -> EscapeError {
        translate(sql, &names()).unwrap_err()
    }

    #[test]
    fn text_without_escapes_is_unchanged() {
        assert_eq!(ok("SELECT 1"), "SELECT 1");
        assert_eq!(ok("SELECT '{fn x}'"), "SELECT '{fn x}'");
        assert_eq!(ok("SELECT \"{d\" FROM t"), "SELECT \"{d\" FROM t");
        assert_eq!(ok("SELECT 1 -- {fn x}\n"), "SELECT 1 -- {fn x}\n");
        assert_eq!(ok("SELECT /* {oj */ 1"), "SELECT /* {oj */ 1");
        assert_eq!(ok("SELECT 'it\\'s {'"), "SELECT 'it\\'s {'");
        assert_eq!(ok("SELECT 'a''{b'"), "SELECT 'a''{b'");
    }

    #[test]
    fn scalar_functions() {
        assert_eq!(
            ok("SELECT {fn UCASE(name)} FROM t"),
            "SELECT upper(name) FROM t"
        );
        assert_eq!(ok("{fn lcase('A')}"), "lower('A')");
        assert_eq!(ok("{fn LOCATE('b', 'abc')}"), "strpos('abc', 'b')");
        assert_eq!(
            ok("{fn LOCATE('b', s, 2)}"),
            "(CASE WHEN strpos(substr(s, 2), 'b') = 0 THEN 0 ELSE strpos(substr(s, 2), 'b') + (2) - 1 END)"
        );
        assert_eq!(ok("{fn MOD(7, 3)}"), "(7 % 3)");
        assert_eq!(ok("{fn PI()}"), "pi()");
        assert_eq!(ok("{fn CURDATE()}"), "current_date()");
        assert_eq!(
            ok("{fn DAYOFWEEK(d)}"),
            "(CAST(EXTRACT(DOW FROM d) AS INTEGER) + 1)"
        );
        assert_eq!(ok("{fn YEAR(d)}"), "CAST(EXTRACT(YEAR FROM d) AS INTEGER)");
        assert_eq!(ok("{fn EXTRACT(YEAR FROM d)}"), "EXTRACT(YEAR FROM d)");
        assert_eq!(ok("{fn SPACE(3)}"), "repeat(' ', 3)");
        assert_eq!(ok("{fn DAYNAME(d)}"), "to_char(d, '%A')");
        assert_eq!(ok("{fn IFNULL(a, 'x,y')}"), "coalesce(a, 'x,y')");
        assert_eq!(ok("{fn SUBSTRING(f(a, b), 1, 2)}"), "substr(f(a, b), 1, 2)");
    }

    #[test]
    fn convert() {
        assert_eq!(ok("{fn CONVERT(x, SQL_BIGINT)}"), "CAST(x AS BIGINT)");
        assert_eq!(ok("{fn convert(x,sql_varchar)}"), "CAST(x AS VARCHAR)");
        assert_eq!(
            ok("{fn CONVERT(x, SQL_DECIMAL)}"),
            "CAST(x AS DECIMAL(38, 6))"
        );
        let e = err("{fn CONVERT(x, SQL_GUID)}");
        assert_eq!(e.sqlstate(), "HYC00");
    }

    #[test]
    fn nested_escapes() {
        assert_eq!(
            ok("SELECT {fn UCASE({fn LTRIM(' a')})}"),
            "SELECT upper(ltrim(' a'))"
        );
        assert_eq!(
            ok("{fn YEAR({d '2024-03-05'})}"),
            "CAST(EXTRACT(YEAR FROM DATE '2024-03-05') AS INTEGER)"
        );
        assert_eq!(
            ok("{fn CONCAT('}', {fn UCASE('{')})}"),
            "concat('}', upper('{'))"
        );
    }

    #[test]
    fn literals_and_clauses() {
        assert_eq!(ok("{d '2024-01-02'}"), "DATE '2024-01-02'");
        assert_eq!(ok("{ t '10:11:12' }"), "TIME '10:11:12'");
        assert_eq!(
            ok("WHERE x > {ts '2024-01-02 03:04:05.5'}"),
            "WHERE x > TIMESTAMP '2024-01-02 03:04:05.5'"
        );
        assert_eq!(
            ok("SELECT * FROM {oj a LEFT OUTER JOIN b ON a.k = b.k}"),
            "SELECT * FROM a LEFT OUTER JOIN b ON a.k = b.k"
        );
        assert_eq!(
            ok("WHERE s LIKE 'a\\_%' {escape '\\'}"),
            "WHERE s LIKE 'a\\_%' ESCAPE '\\\\'"
        );
        assert_eq!(ok("{escape '!'}"), "ESCAPE '!'");
        assert_eq!(ok("{INTERVAL '1' DAY}"), "INTERVAL '1' DAY");
    }

    #[test]
    fn errors() {
        let e = err("{call p(1)}");
        assert_eq!(e.sqlstate(), "HYC00");
        assert_eq!(err("{?= call p}").sqlstate(), "HYC00");
        assert_eq!(err("{fn CURTIME()}").sqlstate(), "HYC00");
        assert_eq!(err("{fn CURRENT_TIME()}").sqlstate(), "HYC00");
        let e = err("SELECT {fn UCASE(a)");
        assert_eq!(e.sqlstate(), "42000");
        assert!(e.to_string().contains("closing"));
        assert_eq!(err("{bogus 1}").sqlstate(), "42000");
        assert_eq!(err("{d 2024}").sqlstate(), "42000");
        assert_eq!(err("{fn UCASE(a, b)}").sqlstate(), "42000");
        assert_eq!(err("{fn UCASE}").sqlstate(), "42000");
        assert_eq!(err("{}").sqlstate(), "42000");
    }

    #[test]
    fn timestamp_add() {
        assert_eq!(
            ok("{fn TIMESTAMPADD(SQL_TSI_MONTH, 1, {ts '2024-01-31 10:00:00'})}"),
            "timestamp_add('MONTH', 1, CAST(TIMESTAMP '2024-01-31 10:00:00' AS TIMESTAMP))"
        );
        assert_eq!(
            ok("{fn timestampadd(sql_tsi_second, -5, t.c)}"),
            "timestamp_add('SECOND', -5, CAST(t.c AS TIMESTAMP))"
        );
        assert_eq!(
            ok("{fn TIMESTAMPADD(DAY, n + 1, d)}"),
            "timestamp_add('DAY', n + 1, CAST(d AS TIMESTAMP))"
        );
        assert_eq!(
            ok("{fn TIMESTAMPADD(SQL_TSI_WEEK, n + 1, d)}"),
            "timestamp_add('DAY', 7 * (n + 1), CAST(d AS TIMESTAMP))"
        );
        assert_eq!(
            ok("{fn TIMESTAMPADD(SQL_TSI_QUARTER, 2, d)}"),
            "timestamp_add('MONTH', 3 * (2), CAST(d AS TIMESTAMP))"
        );
        for (keyword, unit) in [
            ("SQL_TSI_MINUTE", "MINUTE"),
            ("SQL_TSI_HOUR", "HOUR"),
            ("Sql_Tsi_Year", "YEAR"),
        ] {
            assert_eq!(
                ok(&format!("{{fn TIMESTAMPADD({keyword}, 1, d)}}")),
                format!("timestamp_add('{unit}', 1, CAST(d AS TIMESTAMP))")
            );
        }
    }

    #[test]
    fn timestamp_diff() {
        assert_eq!(
            ok("{fn TIMESTAMPDIFF(SQL_TSI_DAY, a, b)}"),
            "CAST(timestamp_diff(date_trunc('DAY', CAST(b AS TIMESTAMP)), \
             date_trunc('DAY', CAST(a AS TIMESTAMP)), 'DAY') AS BIGINT)"
        );
        assert_eq!(
            ok("{fn TIMESTAMPDIFF(hour, a, b)}"),
            "CAST(timestamp_diff(date_trunc('HOUR', CAST(b AS TIMESTAMP)), \
             date_trunc('HOUR', CAST(a AS TIMESTAMP)), 'HOUR') AS BIGINT)"
        );
        assert_eq!(
            ok("{fn TIMESTAMPDIFF(SQL_TSI_WEEK, a, b)}"),
            "CAST((timestamp_diff(date_trunc('DAY', CAST(b AS TIMESTAMP)), \
             date_trunc('DAY', CAST(a AS TIMESTAMP)), 'DAY') - EXTRACT(DOW FROM CAST(b AS \
             TIMESTAMP)) + EXTRACT(DOW FROM CAST(a AS TIMESTAMP))) / 7 AS BIGINT)"
        );
        assert_eq!(
            ok("{fn TIMESTAMPDIFF(SQL_TSI_MONTH, a, b)}"),
            "CAST((EXTRACT(YEAR FROM CAST(b AS TIMESTAMP)) - EXTRACT(YEAR FROM CAST(a AS \
             TIMESTAMP))) * 12 + (EXTRACT(MONTH FROM CAST(b AS TIMESTAMP)) - EXTRACT(MONTH FROM \
             CAST(a AS TIMESTAMP))) AS BIGINT)"
        );
        assert_eq!(
            ok("{fn TIMESTAMPDIFF(SQL_TSI_QUARTER, a, b)}"),
            "CAST((EXTRACT(YEAR FROM CAST(b AS TIMESTAMP)) - EXTRACT(YEAR FROM CAST(a AS \
             TIMESTAMP))) * 4 + (EXTRACT(QUARTER FROM CAST(b AS TIMESTAMP)) - EXTRACT(QUARTER \
             FROM CAST(a AS TIMESTAMP))) AS BIGINT)"
        );
        assert_eq!(
            ok("{fn TIMESTAMPDIFF(SQL_TSI_YEAR, {d '2023-12-31'}, {d '2024-01-01'})}"),
            "CAST((EXTRACT(YEAR FROM CAST(DATE '2024-01-01' AS TIMESTAMP)) - EXTRACT(YEAR FROM \
             CAST(DATE '2023-12-31' AS TIMESTAMP))) AS BIGINT)"
        );
    }

    #[test]
    fn interval_errors() {
        let e = err("{fn TIMESTAMPADD(SQL_TSI_FRAC_SECOND, 1, d)}");
        assert_eq!(e.sqlstate(), "HYC00");
        assert!(e.to_string().contains("SQL_TSI_FRAC_SECOND"), "{e}");
        let e = err("{fn TIMESTAMPDIFF(frac_second, a, b)}");
        assert_eq!(e.sqlstate(), "HYC00");
        let e = err("{fn TIMESTAMPDIFF(SQL_TSI_FORTNIGHT, a, b)}");
        assert_eq!(e.sqlstate(), "42000");
        assert!(e.to_string().contains("SQL_TSI_FORTNIGHT"), "{e}");
        assert_eq!(err("{fn TIMESTAMPADD(SQL_TSI_DAY, 1)}").sqlstate(), "42000");
    }

    #[test]
    fn week_insert_soundex_difference() {
        assert_eq!(
            ok("{fn WEEK(d)}"),
            "CAST(FLOOR((EXTRACT(DOY FROM d) - EXTRACT(DOW FROM d) + 12) / 7) AS INTEGER)"
        );
        assert_eq!(
            ok("{fn INSERT('abcdef', 2, 3, 'XY')}"),
            "(CASE WHEN ('abcdef') IS NULL OR (2) IS NULL OR (3) IS NULL OR ('XY') IS NULL THEN \
             NULL ELSE concat(substr('abcdef', 1, (2) - 1), 'XY', substr('abcdef', (2) + (3))) \
             END)"
        );
        assert_eq!(ok("{fn SOUNDEX(name)}"), "soundex(name)");
        let d = ok("{fn DIFFERENCE(a, 'x')}");
        assert!(
            d.starts_with(
                "(CASE WHEN (a) IS NULL OR ('x') IS NULL THEN NULL ELSE CASE WHEN \
                 substr(soundex(a), 1, 1) = substr(soundex('x'), 1, 1) THEN 1 ELSE 0 END + "
            ),
            "{d}"
        );
        assert_eq!(d.matches("soundex(a)").count(), 4, "{d}");
        assert!(d.ends_with("4, 1) THEN 1 ELSE 0 END END)"), "{d}");
    }

    #[test]
    fn database_and_user_are_literals_of_the_connection() {
        assert_eq!(ok("SELECT {fn DATABASE()}"), "SELECT 'local'");
        assert_eq!(ok("SELECT {fn USER()}"), "SELECT 'o\\'brien\\\\x'");
        let empty = translate("{fn DATABASE()}", &ConnectionNames::default()).unwrap();
        assert_eq!(empty, "''");
        assert_eq!(err("{fn USER(1)}").sqlstate(), "42000");
    }

    #[test]
    fn bitmasks_follow_the_map() {
        let strings = advertised(Group::String);
        assert_ne!(strings & 0x1000, 0, "UCASE");
        assert_ne!(strings & 0x0002_0000, 0, "SOUNDEX");
        assert_eq!(strings & 0x0080_0000, 0, "POSITION is not translated");
        assert_eq!(advertised(Group::System), 0x7);
        assert_eq!(advertised(Group::Convert), 0x1);
        let timedate = advertised(Group::TimeDate);
        assert_eq!(timedate & 0x6000, 0x6000, "TIMESTAMPADD, TIMESTAMPDIFF");
        assert_eq!(timedate & 0x0004_1000, 0, "CURTIME, CURRENT_TIME");
        assert_eq!(advertised_intervals(DateArithmetic::Add), 0x1FE);
        assert_eq!(advertised_intervals(DateArithmetic::Diff), 0x1FE);
        for f in FUNCTIONS {
            assert!(f.bit != 0 && f.min_args <= f.max_args, "{}", f.name);
        }
    }
}
