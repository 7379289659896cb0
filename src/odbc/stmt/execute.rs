//! SQLPrepare, SQLExecute, SQLExecDirect.
//!
//! Preparing only records the text (the e6data prepare is part of execution); the result shape
//! is available before execution through `describe` (SQLNumResultCols/SQLDescribeCol after
//! SQLPrepare). Executing substitutes the bound parameters client-side, runs the query with the
//! statement's cancel token and timeout, and reads the first chunk eagerly so the IRD knows the
//! DECIMAL scales. ODBC escapes are translated when the text is recorded, unless
//! SQL_ATTR_NOSCAN is on. With data-at-execution parameters, executing returns SQL_NEED_DATA
//! and the statement runs from SQLParamData once their data is in ([`super::data_at_exec`]).

use std::ffi::c_void;

use crate::client::{ExecOptions, params as client_params};

use super::super::catalog::functions::statement_text;
use super::super::diag::{OdbcError, Outcome, StatementSummary};
use super::super::entry::lock;
use super::super::handles::Kind;
use super::super::runtime;
use super::super::text::{Encoding, read_str};
use super::cursor::Cursor;
use super::data_at_exec::{self, SentValues};
use super::{Stmt, StmtState, describe, params};

fn cursor_open() -> OdbcError {
    OdbcError::new(
        "24000",
        "invalid cursor state: a cursor is open; call SQLCloseCursor or SQLFreeStmt(SQL_CLOSE) \
         first",
    )
}

/// Reads statement text (SQL_NTS or a length in characters).
///
/// # Safety
/// `text` follows the SQLPrepare/SQLExecDirect contract.
unsafe fn read_sql<E: Encoding>(text: *const c_void, len: isize) -> Result<String, OdbcError> {
    // SAFETY: per the caller.
    let sql = unsafe { read_str::<E>(text, len)? }
        .ok_or_else(|| OdbcError::null_pointer("StatementText"))?;
    if sql.trim().is_empty() {
        return Err(OdbcError::new(
            "42000",
            "syntax error or access violation: the statement text is empty",
        ));
    }
    Ok(sql)
}

/// SQLPrepare(W).
///
/// # Safety
/// `text` follows the SQLPrepare contract.
pub unsafe fn prepare<E: Encoding>(
    stmt: &Stmt,
    text: *const c_void,
    len: isize,
) -> Result<Outcome, OdbcError> {
    // SAFETY: per the caller.
    let sql = unsafe { read_sql::<E>(text, len)? };
    let mut state = lock(&stmt.state)?;
    if state.cursor.is_some() {
        return Err(cursor_open());
    }
    state.sql = Some(statement_text(sql, state.noscan != 0, &stmt.dbc)?);
    state.prepared = true;
    state.described = false;
    state.executed = false;
    stmt.ird.data.lock().columns.clear();
    Ok(Outcome::Success)
}

/// SQLExecDirect(W).
///
/// # Safety
/// `text` follows the SQLExecDirect contract.
pub unsafe fn exec_direct<E: Encoding>(
    stmt: &Stmt,
    text: *const c_void,
    len: isize,
) -> Result<Outcome, OdbcError> {
    // SAFETY: per the caller.
    let sql = unsafe { read_sql::<E>(text, len)? };
    let mut state = lock(&stmt.state)?;
    if state.cursor.is_some() {
        return Err(cursor_open());
    }
    state.sql = Some(statement_text(sql, state.noscan != 0, &stmt.dbc)?);
    state.prepared = false;
    run(stmt, &mut state)
}

/// SQLExecute.
pub fn execute(stmt: &Stmt) -> Result<Outcome, OdbcError> {
    let mut state = lock(&stmt.state)?;
    if !state.prepared {
        return Err(OdbcError::sequence(
            "SQLExecute without a prepared statement; call SQLPrepare first",
        ));
    }
    if state.cursor.is_some() {
        return Err(cursor_open());
    }
    run(stmt, &mut state)
}

/// Runs the statement text with the bound parameters and opens the cursor, or starts a
/// data-at-execution sequence (SQL_NEED_DATA) when parameters ask for their data then.
fn run(stmt: &Stmt, state: &mut StmtState) -> Result<Outcome, OdbcError> {
    let sql = state
        .sql
        .clone()
        .ok_or_else(|| OdbcError::internal("no statement text"))?;
    let waiting = params::data_at_exec_params(stmt, &sql)?;
    if !waiting.is_empty() {
        state.executed = false;
        state.described = false;
        stmt.ird.data.lock().columns.clear();
        let markers = client_params::count_markers(&sql);
        data_at_exec::begin(stmt, state, waiting, markers);
        return Ok(Outcome::NeedData);
    }
    run_text(stmt, state, &sql, &SentValues::new())
}

/// Runs `sql` with its parameters (bound buffers, and `sent` for the data-at-execution ones)
/// and opens the cursor.
pub(super) fn run_text(
    stmt: &Stmt,
    state: &mut StmtState,
    sql: &str,
    sent: &SentValues,
) -> Result<Outcome, OdbcError> {
    let final_sql = params::substitute_bound(stmt, sql, sent)?;
    let session = stmt.dbc.session()?;
    state.executed = false;
    state.described = false;
    stmt.ird.data.lock().columns.clear();
    let opts = ExecOptions {
        cancel: stmt.cancel.clone(),
        timeout: state.timeout(),
    };
    let started = std::time::Instant::now();
    let outcome = {
        let _busy = stmt.begin_work();
        let client = session.client;
        runtime::block_on(async move {
            let mut query = client.execute(&final_sql, &opts).await?;
            match query.next_chunk().await {
                Ok(first) => Ok((query, first)),
                Err(e) => {
                    let _ = query.close().await;
                    Err(e)
                }
            }
        })?
    };
    let (query, first) = outcome.map_err(|e| stmt.client_error(&e))?;
    stmt.dbc.set_link_failed(false);
    tracing::debug!(
        query = query.id(),
        colour = query.colour().as_str(),
        elapsed_ms = started.elapsed().as_millis() as u64,
        "statement executed"
    );
    let columns = describe::fill_ird(&stmt.ird, query.metadata(), first.as_ref());
    state.executed = true;
    stmt.diag().lock().set_summary(StatementSummary {
        row_count: -1,
        cursor_row_count: -1,
        select: columns > 0,
    });
    let cursor = Cursor::new(query, first);
    if columns > 0 {
        state.cursor = Some(cursor);
    } else {
        cursor.close();
    }
    Ok(Outcome::Success)
}
