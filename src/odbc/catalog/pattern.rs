//! Catalog-function name arguments: search patterns (`%`, `_`, escape `\`), ordinary
//! arguments, and the identifier semantics of `SQL_ATTR_METADATA_ID`.

/// The escape character of search patterns (`SQL_SEARCH_PATTERN_ESCAPE`).
pub const PATTERN_ESCAPE: char = '\\';

/// How a catalog function treats one of its name arguments (ODBC "Arguments in Catalog
/// Functions").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArgKind {
    /// A pattern value: `%` and `_` are wildcards, `\` escapes them.
    Pattern,
    /// An ordinary argument: compared literally.
    Ordinary,
}

/// One piece of a parsed search pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
    /// A literal character.
    Char(char),
    /// `_`: any one character.
    One,
    /// `%`: any run of characters.
    Many,
}

/// Which names a catalog argument selects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NameFilter {
    /// No restriction (NULL argument, or the pattern `%`).
    Any,
    /// Exactly this name (case-sensitive).
    Exact(String),
    /// This name ignoring ASCII case (an unquoted identifier under `SQL_ATTR_METADATA_ID`).
    Folded(String),
    /// A search pattern.
    Pattern(Vec<PatternPiece>),
}

/// A public wrapper of a pattern piece, so patterns compare in tests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatternPiece(Piece);

impl NameFilter {
    /// The filter for argument `value` of kind `kind`. With `metadata_id` on, the argument is an
    /// identifier (ODBC: pattern characters lose their meaning; a quoted name is compared
    /// exactly, an unquoted one with trailing blanks removed and case folded).
    pub fn new(value: Option<&str>, kind: ArgKind, metadata_id: bool) -> Self {
        let Some(value) = value else {
            return Self::Any;
        };
        if metadata_id {
            let trimmed = value.trim();
            if let Some(inner) = trimmed
                .strip_prefix('"')
                .and_then(|v| v.strip_suffix('"'))
                .filter(|_| trimmed.len() >= 2)
            {
                return Self::Exact(inner.replace("\"\"", "\""));
            }
            return Self::Folded(trimmed.to_owned());
        }
        match kind {
            ArgKind::Ordinary => Self::Exact(value.to_owned()),
            ArgKind::Pattern => parse_pattern(value),
        }
    }

    /// `true` when `name` is selected.
    pub fn matches(&self, name: &str) -> bool {
        match self {
            Self::Any => true,
            Self::Exact(n) => n == name,
            Self::Folded(n) => n.eq_ignore_ascii_case(name),
            Self::Pattern(pieces) => {
                let name: Vec<char> = name.chars().collect();
                matches_from(pieces, &name)
            }
        }
    }
}

fn parse_pattern(value: &str) -> NameFilter {
    let mut pieces = Vec::new();
    let mut chars = value.chars();
    let mut wildcard = false;
    while let Some(c) = chars.next() {
        pieces.push(PatternPiece(match c {
            PATTERN_ESCAPE => match chars.next() {
                Some(next) => Piece::Char(next),
                None => Piece::Char(PATTERN_ESCAPE),
            },
            '%' => {
                wildcard = true;
                Piece::Many
            }
            '_' => {
                wildcard = true;
                Piece::One
            }
            other => Piece::Char(other),
        }));
    }
    if !wildcard {
        let literal: String = pieces
            .iter()
            .filter_map(|p| match p.0 {
                Piece::Char(c) => Some(c),
                _ => None,
            })
            .collect();
        return NameFilter::Exact(literal);
    }
    if pieces.iter().all(|p| p.0 == Piece::Many) {
        return NameFilter::Any;
    }
    NameFilter::Pattern(pieces)
}

/// Iterative wildcard matching with backtracking to the last `%`.
fn matches_from(pieces: &[PatternPiece], name: &[char]) -> bool {
    let (mut p, mut n) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while n < name.len() {
        match pieces.get(p).map(|x| &x.0) {
            Some(Piece::Many) => {
                star = Some((p, n));
                p += 1;
            }
            Some(Piece::One) => {
                p += 1;
                n += 1;
            }
            Some(Piece::Char(c)) if Some(c) == name.get(n) => {
                p += 1;
                n += 1;
            }
            _ => match star {
                Some((sp, sn)) => {
                    p = sp + 1;
                    n = sn + 1;
                    star = Some((sp, sn + 1));
                }
                None => return false,
            },
        }
    }
    pieces
        .get(p..)
        .is_some_and(|rest| rest.iter().all(|x| x.0 == Piece::Many))
}

/// The table types e6data has.
pub const TABLE_TYPES: [&str; 1] = ["TABLE"];

/// `true` when the `TableType` argument of SQLTables (a comma-separated list, values quoted
/// or not; NULL, empty or `%` for all) selects `table_type`.
pub fn table_type_selected(types: Option<&str>, table_type: &str) -> bool {
    let Some(types) = types.map(str::trim).filter(|t| !t.is_empty() && *t != "%") else {
        return true;
    };
    types.split(',').any(|t| {
        let t = t.trim();
        let t = t
            .strip_prefix('\'')
            .and_then(|v| v.strip_suffix('\''))
            .unwrap_or(t);
        t.trim().eq_ignore_ascii_case(table_type)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pat(p: &str) -> NameFilter {
        NameFilter::new(Some(p), ArgKind::Pattern, false)
    }

    #[test]
    fn wildcards() {
        assert_eq!(pat("%"), NameFilter::Any);
        assert_eq!(
            NameFilter::new(None, ArgKind::Pattern, false),
            NameFilter::Any
        );
        assert!(pat("a%").matches("abc") && !pat("a%").matches("bac"));
        assert!(pat("%c").matches("abc") && pat("%b%").matches("abc"));
        assert!(pat("a_c").matches("abc") && !pat("a_c").matches("abbc"));
        assert!(pat("%a%a%").matches("banana") && !pat("%a%a%").matches("ban"));
        assert!(pat("").matches("") && !pat("").matches("x"));
        assert!(!pat("abc").matches("ABC"));
    }

    #[test]
    fn escapes() {
        assert_eq!(pat("my\\_table"), NameFilter::Exact("my_table".into()));
        assert!(!pat("my\\_table").matches("myXtable"));
        assert!(pat("my\\%%").matches("my%x") && !pat("my\\%%").matches("myx"));
        assert_eq!(pat("a\\"), NameFilter::Exact("a\\".into()));
    }

    #[test]
    fn ordinary_and_identifiers() {
        let o = NameFilter::new(Some("a_b"), ArgKind::Ordinary, false);
        assert!(o.matches("a_b") && !o.matches("aXb"));
        let id = NameFilter::new(Some("Sales  "), ArgKind::Pattern, true);
        assert!(id.matches("sales") && id.matches("SALES") && !id.matches("sal%"));
        let quoted = NameFilter::new(Some("\"Sales\""), ArgKind::Pattern, true);
        assert!(quoted.matches("Sales") && !quoted.matches("sales"));
        let pct = NameFilter::new(Some("%"), ArgKind::Pattern, true);
        assert!(pct.matches("%") && !pct.matches("x"));
    }

    #[test]
    fn table_types() {
        assert!(table_type_selected(None, "TABLE"));
        assert!(table_type_selected(Some("'VIEW','TABLE'"), "TABLE"));
        assert!(table_type_selected(Some("TABLE, VIEW"), "TABLE"));
        assert!(!table_type_selected(Some("'VIEW'"), "TABLE"));
        assert!(table_type_selected(Some("%"), "TABLE"));
    }
}
