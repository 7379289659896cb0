//! Connection strings: `key=value;key={value with ; and }} inside};...`.
//!
//! Keys are matched case-insensitively; when a key repeats, the first occurrence wins (ODBC
//! rule). Values in braces may contain `;` and `=`; `}}` inside braces stands for `}`.
//! [`ConnStr::redacted`] masks secrets for logging.

use super::diag::OdbcError;

/// Keys whose values are secrets: never logged.
const SECRET_KEYS: [&str; 4] = ["pwd", "password", "accesstoken", "oauthclientsecret"];

/// A parsed connection string, keys in their original spelling and order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConnStr {
    pairs: Vec<(String, String)>,
}

impl ConnStr {
    /// Parses a connection string.
    pub fn parse(text: &str) -> Result<Self, OdbcError> {
        let mut pairs = Vec::new();
        let mut rest = text;
        loop {
            rest = rest.trim_start_matches([';', ' ', '\t', '\r', '\n']);
            if rest.is_empty() {
                break;
            }
            let Some(eq) = rest.find('=') else {
                // A trailing word without `=`: nothing to use; tolerate it like other drivers.
                tracing::debug!("connection string segment without '=' ignored");
                break;
            };
            let (key, after) = rest.split_at(eq);
            let key = key.trim();
            let after = after.get(1..).unwrap_or("");
            let (value, next) = if let Some(braced) = after.trim_start().strip_prefix('{') {
                parse_braced(braced).ok_or_else(|| {
                    OdbcError::new(
                        "08001",
                        format!(
                            "invalid connection string: the value of '{key}' opens a '{{' that \
                             is never closed; close it with '}}' (write '}}}}' for a literal '}}')"
                        ),
                    )
                })?
            } else {
                match after.find(';') {
                    Some(i) => (
                        after.get(..i).unwrap_or("").trim().to_string(),
                        after.get(i..).unwrap_or(""),
                    ),
                    None => (after.trim().to_string(), ""),
                }
            };
            if key.contains(';') {
                // `a;b=1`: the part before `;` had no `=`.
                tracing::debug!("connection string segment without '=' ignored");
            }
            let key = key.rsplit(';').next().unwrap_or(key).trim();
            if !key.is_empty() {
                pairs.push((key.to_string(), value));
            }
            rest = next;
        }
        Ok(Self { pairs })
    }

    /// The value of `key` (case-insensitive, first occurrence).
    pub fn get(&self, key: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v.as_str())
    }

    /// All pairs in order.
    pub fn pairs(&self) -> &[(String, String)] {
        &self.pairs
    }

    /// Adds `key=value` unless the key is already present.
    pub fn push_default(&mut self, key: &str, value: &str) {
        if self.get(key).is_none() {
            self.pairs.push((key.to_string(), value.to_string()));
        }
    }

    /// The connection string text (values braced when needed).
    pub fn format(&self) -> String {
        self.render(false)
    }

    /// The connection string with secret values replaced by `***`, for logs.
    pub fn redacted(&self) -> String {
        self.render(true)
    }

    fn render(&self, redact: bool) -> String {
        let mut out = String::new();
        for (k, v) in &self.pairs {
            if !out.is_empty() {
                out.push(';');
            }
            out.push_str(k);
            out.push('=');
            if redact && SECRET_KEYS.iter().any(|s| k.eq_ignore_ascii_case(s)) {
                out.push_str("***");
            } else if needs_braces(v) {
                out.push('{');
                out.push_str(&v.replace('}', "}}"));
                out.push('}');
            } else {
                out.push_str(v);
            }
        }
        out
    }
}

/// Parses the inside of a braced value; returns the value and the rest after `}`.
fn parse_braced(text: &str) -> Option<(String, &str)> {
    let mut value = String::new();
    let mut chars = text.char_indices();
    while let Some((i, c)) = chars.next() {
        if c == '}' {
            if text.get(i + 1..).is_some_and(|r| r.starts_with('}')) {
                value.push('}');
                chars.next();
            } else {
                return Some((value, text.get(i + 1..).unwrap_or("")));
            }
        } else {
            value.push(c);
        }
    }
    None
}

fn needs_braces(v: &str) -> bool {
    v.contains([';', '{', '}', '='])
        || v.starts_with(char::is_whitespace)
        || v.ends_with(char::is_whitespace)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_plain_and_braced_values() {
        let c = ConnStr::parse(
            "Driver={/opt/e6 driver/lib.so};Host=h;PORT=80; UID = demo ;PWD={a;b}}c}",
        )
        .unwrap();
        assert_eq!(c.get("driver"), Some("/opt/e6 driver/lib.so"));
        assert_eq!(c.get("host"), Some("h"));
        assert_eq!(c.get("Port"), Some("80"));
        assert_eq!(c.get("uid"), Some("demo"));
        assert_eq!(c.get("pwd"), Some("a;b}c"));
        assert_eq!(c.get("missing"), None);
    }

    #[test]
    fn first_occurrence_wins_and_empty_segments_are_skipped() {
        let c = ConnStr::parse(";;Host=a;;host=b;").unwrap();
        assert_eq!(c.get("HOST"), Some("a"));
        assert_eq!(c.pairs().len(), 2);
    }

    #[test]
    fn unterminated_brace_is_an_error() {
        assert_eq!(ConnStr::parse("PWD={abc").unwrap_err().sqlstate, "08001");
    }

    #[test]
    fn segments_without_equals_are_ignored() {
        let c = ConnStr::parse("junk;Host=h;trailing").unwrap();
        assert_eq!(c.get("host"), Some("h"));
        assert_eq!(c.pairs().len(), 1);
    }

    #[test]
    fn format_round_trips_and_redacts_secrets() {
        let c = ConnStr::parse("DSN=x;PWD={p;w}}};AccessToken=tok;Host= spaced ").unwrap();
        assert_eq!(c.get("pwd"), Some("p;w}"));
        let again = ConnStr::parse(&c.format()).unwrap();
        assert_eq!(again, c);
        let r = c.redacted();
        assert!(!r.contains("p;w") && !r.contains("tok"), "{r}");
        assert!(r.contains("PWD=***") && r.contains("AccessToken=***"));
        let r = ConnStr::parse("OAuthClientId=me;oauthclientsecret=s3cr3t")
            .unwrap()
            .redacted();
        assert!(r.contains("me") && !r.contains("s3cr3t"), "{r}");
    }

    #[test]
    fn push_default_does_not_override() {
        let mut c = ConnStr::parse("Host=a").unwrap();
        c.push_default("HOST", "b");
        c.push_default("Port", "1");
        assert_eq!(c.get("host"), Some("a"));
        assert_eq!(c.get("port"), Some("1"));
    }
}
