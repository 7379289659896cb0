//! A forward-only cursor over a running query: the current chunk, the position in it, the
//! current row (for SQLGetData) and the state of piecewise SQLGetData.
//!
//! The query is closed (clearOrCancelQuery, which also unpins it from its colour) as soon as the
//! last chunk has been read, or when the cursor is closed early.

use crate::client::{ClientError, Query};
use crate::wire::{Chunk, Value};

use super::super::diag::OdbcError;
use super::super::runtime;

/// Piecewise SQLGetData progress on the current row.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct GetDataState {
    /// Column (1-based) the offsets refer to; 0 = none yet.
    pub column: u16,
    /// Bytes of that column's value already returned.
    pub offset: usize,
    /// The whole value has been returned; the next call answers SQL_NO_DATA.
    pub done: bool,
}

/// Why the cursor could not move.
pub enum AdvanceError {
    /// The client failed (cancelled, timed out, link lost, ...).
    Client(ClientError),
    /// The driver failed (runtime gone).
    Driver(OdbcError),
}

/// An open cursor.
pub struct Cursor {
    query: Option<Query>,
    chunk: Option<Chunk>,
    next_row: usize,
    current: Option<usize>,
    delivered: usize,
    finished: bool,
    /// SQLGetData progress on the current row.
    pub getdata: GetDataState,
}

impl Cursor {
    /// A cursor over `query` whose first chunk (fetched eagerly at execute) is `first`.
    pub fn new(query: Query, first: Option<Chunk>) -> Self {
        let mut cursor = Self {
            query: Some(query),
            chunk: None,
            next_row: 0,
            current: None,
            delivered: 0,
            finished: false,
            getdata: GetDataState::default(),
        };
        match first {
            Some(chunk) => cursor.chunk = Some(chunk),
            None => cursor.finish(),
        }
        cursor
    }

    /// A cursor over rows the driver computed itself (catalog functions, SQLGetTypeInfo): no
    /// query behind it, so it ends after `rows`.
    pub fn local(rows: Option<Chunk>) -> Self {
        Self {
            query: None,
            chunk: rows,
            next_row: 0,
            current: None,
            delivered: 0,
            finished: false,
            getdata: GetDataState::default(),
        }
    }

    /// Moves to the next row, reading the next chunk when the current one is exhausted.
    /// `Ok(false)` at the end of the result (or when `max_rows` rows were delivered).
    pub fn advance(&mut self, max_rows: usize) -> Result<bool, AdvanceError> {
        self.current = None;
        self.getdata = GetDataState::default();
        if max_rows > 0 && self.delivered >= max_rows {
            self.finish();
            return Ok(false);
        }
        loop {
            if let Some(chunk) = &self.chunk
                && self.next_row < chunk.rows
            {
                self.current = Some(self.next_row);
                self.next_row += 1;
                self.delivered += 1;
                return Ok(true);
            }
            if self.finished {
                return Ok(false);
            }
            let Some(query) = self.query.as_mut() else {
                self.finished = true;
                return Ok(false);
            };
            let next = runtime::block_on(query.next_chunk()).map_err(AdvanceError::Driver)?;
            match next {
                Ok(Some(chunk)) => {
                    self.chunk = Some(chunk);
                    self.next_row = 0;
                }
                Ok(None) => {
                    self.chunk = None;
                    self.finish();
                }
                Err(e) => {
                    self.chunk = None;
                    self.finished = true;
                    return Err(AdvanceError::Client(e));
                }
            }
        }
    }

    /// The current row's chunk and index, if positioned on a row.
    pub fn current_row(&self) -> Option<(&Chunk, usize)> {
        Some((self.chunk.as_ref()?, self.current?))
    }

    /// The value of column `index` (0-based) in the current row.
    pub fn value(&self, index: usize) -> Option<Value<'_>> {
        let (chunk, row) = self.current_row()?;
        Some(chunk.columns.get(index)?.value(row))
    }

    /// Rows delivered so far (SQL_ATTR_ROW_NUMBER of the current row).
    pub fn delivered(&self) -> usize {
        self.delivered
    }

    /// Marks the end and closes the query (unpinning it).
    fn finish(&mut self) {
        self.finished = true;
        if let Some(query) = self.query.take() {
            close_query(query);
        }
    }

    /// Closes the cursor (and the query if still open).
    pub fn close(mut self) {
        if let Some(query) = self.query.take() {
            close_query(query);
        }
    }
}

fn close_query(query: Query) {
    let id = query.id().to_string();
    match runtime::block_on(query.close()) {
        Ok(Ok(())) => tracing::debug!(query = %id, "query closed"),
        Ok(Err(e)) => tracing::debug!(query = %id, error = %e, "closing the query failed"),
        Err(e) => tracing::debug!(query = %id, error = %e, "closing the query skipped"),
    }
}
