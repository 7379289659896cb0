//! Statement handles: the SQL text, the current [`crate::client::Query`] (pinned to its colour)
//! with its fetch position, its descriptors (four implicit ones; the ARD and APD replaceable by
//! explicitly allocated descriptors), and the cancel token that SQLCancel uses from any thread
//! without taking the statement's lock.
//!
//! States: allocated -> prepared (SQLPrepare) -> executed with an open cursor
//! (SQLExecute/SQLExecDirect) -> cursor closed (SQLCloseCursor, SQLFreeStmt(SQL_CLOSE),
//! SQLMoreResults). Preparing or executing with an open cursor is 24000; fetching without one
//! is 24000 (after an execution) or HY010 (before any). An execution with data-at-execution
//! parameters passes through "need data" (see [`data_at_exec`]): only SQLParamData,
//! SQLPutData, SQLCancel, SQLFreeHandle and the diagnostic functions are accepted there.

pub mod attrs;
pub mod bind;
pub mod cursor;
pub mod data_at_exec;
pub mod describe;
pub mod execute;
pub mod fetch;
pub mod getdata;
pub mod params;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Weak};
use std::time::Duration;

use parking_lot::Mutex;

use crate::client::{CancelToken, ClientError};

use super::dbc::{Dbc, not_connected};
use super::desc::{Desc, DescKind, Owner};
use super::diag::{DiagArea, OdbcError, Outcome};
use super::entry::lock;
use super::errors;
use super::ffi::{SQL_CLOSE, SQL_DROP, SQL_RESET_PARAMS, SQL_UNBIND, SqlHandle, SqlUSmallInt};
use super::handles::{self, Kind, Object};
use cursor::Cursor;

/// Mutable state of a statement.
#[derive(Default)]
pub struct StmtState {
    /// SQL_ATTR_QUERY_TIMEOUT in seconds (0 = none).
    pub query_timeout: usize,
    /// SQL_ATTR_MAX_ROWS (0 = all).
    pub max_rows: usize,
    /// SQL_ATTR_METADATA_ID.
    pub metadata_id: bool,
    /// SQL_ATTR_NOSCAN.
    pub noscan: usize,
    /// SQL_ATTR_RETRIEVE_DATA is OFF (fetch positions without filling buffers).
    pub skip_data: bool,
    /// The statement text (prepared, or last executed directly).
    pub sql: Option<String>,
    /// SQLPrepare succeeded and SQLExecute may run `sql`.
    pub prepared: bool,
    /// The IRD holds the shape of the prepared statement (describe before execute).
    pub described: bool,
    /// An execution completed (the IRD describes its result).
    pub executed: bool,
    /// The open cursor.
    pub cursor: Option<Cursor>,
    /// The data-at-execution sequence in progress (changed only through [`data_at_exec`], which
    /// keeps [`Stmt`]'s flag in step).
    need_data: Option<data_at_exec::NeedData>,
}

impl StmtState {
    /// The query timeout as a duration.
    pub fn timeout(&self) -> Option<Duration> {
        (self.query_timeout > 0).then(|| Duration::from_secs(self.query_timeout as u64))
    }
}

/// A statement handle.
pub struct Stmt {
    /// The connection it belongs to.
    pub dbc: Arc<Dbc>,
    diag: Mutex<DiagArea>,
    /// Cancels the running execute/fetch (set by SQLCancel from any thread).
    pub cancel: CancelToken,
    busy: AtomicBool,
    /// `true` while [`StmtState`] holds a data-at-execution sequence (read without the lock).
    needs_data: AtomicBool,
    /// Statement state (lock order: this, then descriptor data, then the connection state).
    pub state: std::sync::Mutex<StmtState>,
    /// The implicit application row descriptor.
    implicit_ard: Arc<Desc>,
    /// The implicit application parameter descriptor.
    implicit_apd: Arc<Desc>,
    /// Explicitly allocated descriptors in use as ARD / APD instead of the implicit ones.
    explicit: Mutex<ExplicitDescs>,
    /// Implementation row descriptor.
    pub ird: Arc<Desc>,
    /// Implementation parameter descriptor.
    pub ipd: Arc<Desc>,
    /// Handles of the implicit ARD, APD, IRD, IPD (in that order).
    desc_handles: Mutex<[usize; 4]>,
}

/// An explicitly allocated descriptor associated with a statement: its handle and object.
#[derive(Clone)]
struct Associated {
    handle: usize,
    desc: Arc<Desc>,
}

/// The explicit descriptors a statement uses (`None`: the implicit one).
#[derive(Default)]
struct ExplicitDescs {
    ard: Option<Associated>,
    apd: Option<Associated>,
}

impl ExplicitDescs {
    fn slot(&mut self, kind: DescKind) -> Option<&mut Option<Associated>> {
        match kind {
            DescKind::Ard => Some(&mut self.ard),
            DescKind::Apd => Some(&mut self.apd),
            DescKind::Ird | DescKind::Ipd => None,
        }
    }
}

impl Kind for Stmt {
    fn from_object(object: &Object) -> Option<Arc<Self>> {
        match object {
            Object::Stmt(s) => Some(Arc::clone(s)),
            _ => None,
        }
    }
    fn diag(&self) -> &Mutex<DiagArea> {
        &self.diag
    }
    fn accepts_calls(&self) -> Result<(), OdbcError> {
        if self.needs_data.load(Ordering::SeqCst) {
            return Err(OdbcError::sequence(
                "the statement is waiting for data-at-execution parameters; send them with \
                 SQLParamData and SQLPutData, or end the sequence with SQLCancel",
            ));
        }
        Ok(())
    }
}

/// Marks a statement busy (cancellable) while alive.
pub struct Busy<'a>(&'a AtomicBool);

impl Drop for Busy<'_> {
    fn drop(&mut self) {
        self.0.store(false, Ordering::SeqCst);
    }
}

impl Stmt {
    /// Allocates a statement on `dbc` with its implicit descriptors and registers all five
    /// handles. Returns the statement handle.
    pub fn allocate(dbc: &Arc<Dbc>) -> Result<SqlHandle, OdbcError> {
        if !dbc.is_connected() {
            return Err(not_connected());
        }
        let metadata_id = lock(&dbc.state)?.metadata_id;
        let stmt = Arc::new_cyclic(|me: &Weak<Self>| Self {
            dbc: Arc::clone(dbc),
            diag: Mutex::default(),
            cancel: CancelToken::new(),
            busy: AtomicBool::new(false),
            needs_data: AtomicBool::new(false),
            state: std::sync::Mutex::new(StmtState {
                metadata_id,
                ..StmtState::default()
            }),
            implicit_ard: Desc::implicit(DescKind::Ard, Weak::clone(me)),
            implicit_apd: Desc::implicit(DescKind::Apd, Weak::clone(me)),
            explicit: Mutex::default(),
            ird: Desc::implicit(DescKind::Ird, Weak::clone(me)),
            ipd: Desc::implicit(DescKind::Ipd, Weak::clone(me)),
            desc_handles: Mutex::new([0; 4]),
        });
        let mut registered = [0usize; 4];
        for (slot, desc) in registered.iter_mut().zip([
            &stmt.implicit_ard,
            &stmt.implicit_apd,
            &stmt.ird,
            &stmt.ipd,
        ]) {
            match handles::register(Object::Desc(Arc::clone(desc))) {
                Some(h) => *slot = h as usize,
                None => {
                    release_descs(&registered);
                    return Err(out_of_handles());
                }
            }
        }
        *stmt.desc_handles.lock() = registered;
        let Some(handle) = handles::register(Object::Stmt(Arc::clone(&stmt))) else {
            release_descs(&registered);
            return Err(out_of_handles());
        };
        if let Err(e) = dbc.add_statement(handle) {
            handles::release::<Stmt>(handle);
            stmt.discard();
            return Err(e);
        }
        Ok(handle)
    }

    /// The ARD in use: an explicitly allocated descriptor associated through
    /// `SQL_ATTR_APP_ROW_DESC`, else the implicit one.
    pub fn ard(&self) -> Arc<Desc> {
        match &self.explicit.lock().ard {
            Some(a) => Arc::clone(&a.desc),
            None => Arc::clone(&self.implicit_ard),
        }
    }

    /// The APD in use: an explicitly allocated descriptor associated through
    /// `SQL_ATTR_APP_PARAM_DESC`, else the implicit one.
    pub fn apd(&self) -> Arc<Desc> {
        match &self.explicit.lock().apd {
            Some(a) => Arc::clone(&a.desc),
            None => Arc::clone(&self.implicit_apd),
        }
    }

    /// The handle of the descriptor in use as `kind`.
    pub fn desc_handle(&self, kind: DescKind) -> usize {
        if let Some(Some(a)) = self.explicit.lock().slot(kind) {
            return a.handle;
        }
        let [ard, apd, ird, ipd] = *self.desc_handles.lock();
        match kind {
            DescKind::Ard => ard,
            DescKind::Apd => apd,
            DescKind::Ird => ird,
            DescKind::Ipd => ipd,
        }
    }

    /// SQLSetStmtAttr(`SQL_ATTR_APP_ROW_DESC` / `SQL_ATTR_APP_PARAM_DESC`): makes the descriptor
    /// named by `handle` the statement's ARD or APD. A null handle, or the statement's own
    /// implicit descriptor, returns to the implicit one; an explicit descriptor must belong to
    /// the statement's connection (HY024); another statement's implicit descriptor is HY017.
    pub fn associate(&self, kind: DescKind, handle: usize) -> Result<(), OdbcError> {
        let implicit = match kind {
            DescKind::Ard => &self.implicit_ard,
            DescKind::Apd => &self.implicit_apd,
            DescKind::Ird | DescKind::Ipd => {
                return Err(OdbcError::internal(
                    "only application descriptors can be associated",
                ));
            }
        };
        let chosen = if handle == 0 {
            None
        } else {
            let desc = handles::lookup::<Desc>(handle as SqlHandle).ok_or_else(|| {
                OdbcError::bad_value(format_args!(
                    "{handle:#x} is not a descriptor handle (allocate one with SQLAllocHandle)"
                ))
            })?;
            match desc.owner() {
                _ if Arc::ptr_eq(&desc, implicit) => None,
                Owner::Statement(_) => {
                    return Err(OdbcError::new(
                        "HY017",
                        "invalid use of an automatically allocated descriptor handle: only an \
                         explicitly allocated descriptor or this statement's own implicit one \
                         can be its application descriptor",
                    ));
                }
                Owner::Connection(dbc) if !Arc::ptr_eq(dbc, &self.dbc) => {
                    return Err(OdbcError::bad_value(
                        "a descriptor allocated on another connection (use one allocated on \
                         this statement's connection)",
                    ));
                }
                Owner::Connection(_) => Some(Associated { handle, desc }),
            }
        };
        if let Some(slot) = self.explicit.lock().slot(kind) {
            *slot = chosen;
        }
        Ok(())
    }

    /// `true` when `desc` is this statement's ARD or APD in use.
    pub fn uses_descriptor(&self, desc: &Desc) -> bool {
        let explicit = self.explicit.lock();
        [&explicit.ard, &explicit.apd]
            .into_iter()
            .flatten()
            .any(|a| std::ptr::eq(Arc::as_ptr(&a.desc), desc))
    }

    /// An explicitly allocated descriptor is being freed: the statement goes back to its
    /// implicit descriptor wherever it used that one.
    pub fn forget_descriptor(&self, desc: &Arc<Desc>) {
        let explicit = &mut *self.explicit.lock();
        for slot in [&mut explicit.ard, &mut explicit.apd] {
            if slot.as_ref().is_some_and(|a| Arc::ptr_eq(&a.desc, desc)) {
                *slot = None;
            }
        }
    }

    /// Closes the cursor and releases the descriptor handles (statement freed or its
    /// connection disconnected). The statement handle itself is released by the caller.
    pub fn discard(&self) {
        if let Ok(mut state) = self.state.lock()
            && let Some(cursor) = state.cursor.take()
        {
            cursor.close();
        }
        let handles = std::mem::take(&mut *self.desc_handles.lock());
        release_descs(&handles);
    }

    /// Marks the statement busy: SQLCancel from another thread cancels until the guard drops.
    pub fn begin_work(&self) -> Busy<'_> {
        self.cancel.reset();
        self.busy.store(true, Ordering::SeqCst);
        Busy(&self.busy)
    }

    /// SQLCancel: cancels a running execute or fetch (the client sends the server-side cancel),
    /// or ends a data-at-execution sequence (the statement goes back to prepared, or allocated
    /// after SQLExecDirect). Without either it has no effect (ODBC 3.5 semantics). Never blocks
    /// on the statement's lock: while another call holds it, it waits in short steps for that
    /// call to become cancellable or to finish.
    pub fn cancel_running(&self) {
        loop {
            if self.busy.load(Ordering::SeqCst) {
                tracing::info!("SQLCancel: cancelling the running statement");
                self.cancel.cancel();
                return;
            }
            if !self.needs_data.load(Ordering::SeqCst) {
                return;
            }
            match self.state.try_lock() {
                Ok(mut state) => {
                    if data_at_exec::end(self, &mut state).is_some() {
                        tracing::info!("SQLCancel: data-at-execution sequence ended");
                    }
                    return;
                }
                Err(std::sync::TryLockError::WouldBlock) => {
                    std::thread::sleep(Duration::from_millis(1));
                }
                Err(std::sync::TryLockError::Poisoned(_)) => return,
            }
        }
    }

    /// Maps a client error of this statement, noting link failures on the connection.
    pub fn client_error(&self, e: &ClientError) -> OdbcError {
        if errors::is_link_failure(e.kind()) {
            self.dbc.set_link_failed(true);
        }
        errors::from_client(e)
    }

    /// SQLFreeStmt with SQL_CLOSE, SQL_UNBIND or SQL_RESET_PARAMS (SQL_DROP is SQLFreeHandle,
    /// handled by the caller).
    pub fn free_stmt(&self, option: SqlUSmallInt) -> Result<Outcome, OdbcError> {
        match option {
            SQL_CLOSE => {
                let cursor = lock(&self.state)?.cursor.take();
                if let Some(c) = cursor {
                    c.close();
                }
            }
            SQL_UNBIND => {
                let _state = lock(&self.state)?;
                self.ard().data.lock().app.clear();
            }
            SQL_RESET_PARAMS => {
                let _state = lock(&self.state)?;
                self.apd().data.lock().app.clear();
                self.ipd.data.lock().params.clear();
            }
            SQL_DROP => {
                return Err(OdbcError::internal(
                    "SQL_DROP must be handled as SQLFreeHandle",
                ));
            }
            other => {
                return Err(OdbcError::new(
                    "HY092",
                    format!("invalid SQLFreeStmt option {other}"),
                ));
            }
        }
        Ok(Outcome::Success)
    }

    /// SQLCloseCursor: 24000 when no cursor is open.
    pub fn close_cursor(&self) -> Result<Outcome, OdbcError> {
        let cursor = lock(&self.state)?.cursor.take();
        match cursor {
            Some(c) => {
                c.close();
                Ok(Outcome::Success)
            }
            None => Err(OdbcError::new(
                "24000",
                "invalid cursor state: no cursor is open on this statement",
            )),
        }
    }

    /// SQLMoreResults: e6data returns one result per statement, so this closes the cursor and
    /// answers SQL_NO_DATA.
    pub fn more_results(&self) -> Result<Outcome, OdbcError> {
        let cursor = lock(&self.state)?.cursor.take();
        if let Some(c) = cursor {
            c.close();
        }
        Ok(Outcome::NoData)
    }

    /// SQLRowCount: -1 (e6data does not report affected rows; SELECT counts are unknown until
    /// fetched).
    pub fn row_count(&self) -> Result<isize, OdbcError> {
        let state = lock(&self.state)?;
        if !state.executed {
            return Err(OdbcError::sequence(
                "SQLRowCount before the statement was executed",
            ));
        }
        Ok(-1)
    }
}

fn release_descs(handles: &[usize; 4]) {
    for h in handles.iter().filter(|h| **h != 0) {
        handles::release::<Desc>(*h as SqlHandle);
    }
}

fn out_of_handles() -> OdbcError {
    OdbcError::new(
        "HY001",
        "memory allocation error: too many handles are allocated",
    )
}
