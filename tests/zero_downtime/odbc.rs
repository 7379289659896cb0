//! ODBC access for the zero-downtime scenarios: connections through the unixODBC driver manager
//! (odbc-api), the raw connection handle for the driver's strategy attributes (16385-16387), and
//! failures reduced to what the application sees (SQLSTATE + message).

use std::fmt;

use odbc_api::buffers::TextRowSet;
use odbc_api::handles::{self, StatementImpl};
use odbc_api::sys::{ConnectionAttribute, HDbc, Pointer, SQLGetConnectAttr, SqlReturn};
use odbc_api::{ConnectionOptions, Cursor, CursorImpl, Environment, Preallocated};

/// `SQL_ATTR_E6_ACTIVE_STRATEGY`: the active colour (`blue`/`green`/empty).
pub const ATTR_ACTIVE: i32 = 16385;
/// `SQL_ATTR_E6_PENDING_STRATEGY`: the colour announced and not applied yet (or empty).
pub const ATTR_PENDING: i32 = 16386;
/// `SQL_ATTR_E6_STRATEGY_STATE`: JSON snapshot of the target's strategy state.
pub const ATTR_STATE: i32 = 16387;

/// Query timeout of every statement (SQL_ATTR_QUERY_TIMEOUT): bounds each execute and fetch.
pub const QUERY_TIMEOUT_SECS: usize = 60;

/// The process-wide ODBC environment.
pub fn env() -> &'static Environment {
    odbc_api::environment().expect("allocate the ODBC environment (is unixODBC installed?)")
}

/// What the application saw when an ODBC call failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// SQLSTATE of the first diagnostic record (`"-----"` when there was none).
    pub sqlstate: String,
    /// Its message text (driver-manager and driver prefixes included).
    pub message: String,
}

impl Failure {
    /// A failure detected by the test itself (e.g. a wrong answer), not by ODBC.
    pub fn local(message: impl Into<String>) -> Failure {
        Failure {
            sqlstate: "-----".to_string(),
            message: message.into(),
        }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "[{}] {}", self.sqlstate, self.message)
    }
}

impl From<odbc_api::Error> for Failure {
    fn from(e: odbc_api::Error) -> Failure {
        match e {
            odbc_api::Error::Diagnostics { record, function } => Failure {
                sqlstate: record.state.as_str().to_string(),
                message: format!(
                    "{function}: {}",
                    String::from_utf8_lossy(&record.message).trim_end_matches('\0')
                ),
            },
            other => Failure::local(other.to_string()),
        }
    }
}

/// The strategy attributes of one connection, read together.
#[derive(Debug, Clone)]
pub struct Strategy {
    /// Attribute 16385.
    pub active: String,
    /// Attribute 16386.
    pub pending: String,
    /// Attribute 16387, parsed.
    pub state: serde_json::Value,
}

impl Strategy {
    /// `pinned_queries` of the state JSON.
    pub fn pinned(&self) -> u64 {
        self.state
            .get("pinned_queries")
            .and_then(serde_json::Value::as_u64)
            .unwrap_or_else(|| panic!("16387 has no pinned_queries: {}", self.state))
    }
}

/// An open ODBC connection that keeps its raw handle reachable (odbc-api's high-level connection
/// does not expose it), so the driver's own connection attributes can be read.
pub struct Conn {
    handle: handles::Connection<'static>,
}

impl Conn {
    /// Connects with `conn_str` (SQLDriverConnect, no prompt).
    pub fn open(conn_str: &str) -> Result<Conn, Failure> {
        let conn = env().connect_with_connection_string(conn_str, ConnectionOptions::default())?;
        Ok(Conn {
            handle: conn.into_handle(),
        })
    }

    /// The raw `SQLHDBC`.
    pub fn hdbc(&self) -> HDbc {
        self.handle.as_sys()
    }

    /// Executes `sql` on a fresh statement (SQLExecDirect); `None` if it produced no cursor.
    /// The statement has a query timeout of [`QUERY_TIMEOUT_SECS`], so a hung call fails the
    /// scenario (HYT00) instead of hanging it.
    pub fn execute(&self, sql: &str) -> Result<Option<CursorImpl<StatementImpl<'_>>>, Failure> {
        let stmt = self.handle.allocate_statement().into_result(&self.handle)?;
        // SAFETY: a freshly allocated statement with nothing bound.
        let mut pre = unsafe { Preallocated::new(stmt) };
        pre.set_query_timeout_sec(QUERY_TIMEOUT_SECS)?;
        Ok(pre.into_cursor(sql, ())?)
    }

    /// Runs `sql` and returns every row as text (NULL as `None`).
    pub fn query_text(&self, sql: &str) -> Result<Vec<Vec<Option<String>>>, Failure> {
        let cursor = self
            .execute(sql)?
            .ok_or_else(|| Failure::local(format!("{sql:?} returned no result set")))?;
        fetch_text(cursor, 256)
    }

    /// One connection attribute as text (SQLGetConnectAttr, narrow).
    pub fn attr_text(&self, attribute: i32) -> Result<String, Failure> {
        let mut buf = vec![0u8; 8192];
        let mut len: i32 = 0;
        // SAFETY: buf is writable for its length; len is a valid out pointer.
        let rc = unsafe {
            SQLGetConnectAttr(
                self.hdbc(),
                ConnectionAttribute(attribute),
                buf.as_mut_ptr() as Pointer,
                i32::try_from(buf.len()).expect("buffer size"),
                &mut len,
            )
        };
        match rc {
            SqlReturn::SUCCESS => {
                let n = usize::try_from(len)
                    .expect("non-negative length")
                    .min(buf.len());
                Ok(String::from_utf8_lossy(&buf[..n]).into_owned())
            }
            other => Err(self.diagnostics(other, &format!("SQLGetConnectAttr({attribute})"))),
        }
    }

    /// The three strategy attributes.
    pub fn strategy(&self) -> Strategy {
        let read = |a| {
            self.attr_text(a)
                .unwrap_or_else(|e| panic!("attribute {a}: {e}"))
        };
        let state_text = read(ATTR_STATE);
        let state = serde_json::from_str(&state_text)
            .unwrap_or_else(|e| panic!("attribute 16387 is not JSON ({e}): {state_text}"));
        Strategy {
            active: read(ATTR_ACTIVE),
            pending: read(ATTR_PENDING),
            state,
        }
    }

    fn diagnostics(&self, rc: SqlReturn, what: &str) -> Failure {
        let mut record = handles::Record::with_capacity(512);
        if record.fill_from(&self.handle, 1) {
            return Failure {
                sqlstate: record.state.as_str().to_string(),
                message: format!("{what}: {}", String::from_utf8_lossy(&record.message)),
            };
        }
        Failure::local(format!(
            "{what} returned {rc:?} without a diagnostic record"
        ))
    }
}

impl Drop for Conn {
    fn drop(&mut self) {
        // Disconnect first: freeing a connected handle is a function sequence error.
        let _ = self.handle.disconnect();
    }
}

/// Reads every row of `cursor` as text, `batch` rows per SQLFetch.
pub fn fetch_text(
    mut cursor: impl Cursor,
    batch: usize,
) -> Result<Vec<Vec<Option<String>>>, Failure> {
    let buffer = TextRowSet::for_cursor(batch, &mut cursor, Some(4096))?;
    let mut block = cursor.bind_buffer(buffer)?;
    let mut rows = Vec::new();
    while let Some(set) = block.fetch()? {
        for r in 0..set.num_rows() {
            rows.push(
                (0..set.num_cols())
                    .map(|c| {
                        set.at(c, r)
                            .map(|b| String::from_utf8_lossy(b).into_owned())
                    })
                    .collect(),
            );
        }
    }
    Ok(rows)
}

/// Sum and count of the first column of `cursor` (integers), `batch` rows per SQLFetch, calling
/// `between` after every fetched row set with the number of row sets read so far.
pub fn fetch_sum(
    mut cursor: impl Cursor,
    batch: usize,
    mut between: impl FnMut(usize),
) -> Result<(u64, i128), Failure> {
    let buffer = TextRowSet::for_cursor(batch, &mut cursor, Some(64))?;
    let mut block = cursor.bind_buffer(buffer)?;
    let (mut count, mut sum, mut sets) = (0u64, 0i128, 0usize);
    while let Some(set) = block.fetch()? {
        for r in 0..set.num_rows() {
            let text = set.at_as_str(0, r).ok().flatten().unwrap_or("");
            let v: i128 = text
                .parse()
                .map_err(|_| Failure::local(format!("not an integer: {text:?}")))?;
            count += 1;
            sum += v;
        }
        sets += 1;
        between(sets);
    }
    Ok((count, sum))
}
