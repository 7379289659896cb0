//! Connection handles: one authenticated e6data session ([`crate::client::Connection`]) on the
//! per-target strategy store, the connection attributes, and the statements and explicit
//! descriptors allocated on it.

pub mod attrs;
pub mod connect;

use std::sync::Arc;
use std::time::Duration;

use parking_lot::Mutex;

use crate::client::Connection;

use super::desc::Desc;
use super::diag::{DiagArea, OdbcError};
use super::entry::lock;
use super::env::Env;
use super::escape::ConnectionNames;
use super::ffi::SqlHandle;
use super::handles::{self, Kind, Object};
use super::runtime;
use super::settings::Settings;
use super::stmt::Stmt;

/// An open e6data session.
pub struct Session {
    /// The client connection (cheap to clone: an `Arc` inside).
    pub client: Connection,
    /// The settings it was opened with.
    pub settings: Settings,
    /// The catalog in effect (`Catalog` key or SQL_ATTR_CURRENT_CATALOG).
    pub catalog: Option<String>,
}

/// Mutable state of a connection handle.
#[derive(Default)]
pub struct DbcState {
    /// The session while connected.
    pub session: Option<Session>,
    /// SQL_ATTR_LOGIN_TIMEOUT (None = transport default).
    pub login_timeout: Option<Duration>,
    /// SQL_ATTR_CURRENT_CATALOG set before connecting.
    pub pending_catalog: Option<String>,
    /// SQL_ATTR_METADATA_ID default for new statements.
    pub metadata_id: bool,
    /// A call saw the link to the server fail (SQL_ATTR_CONNECTION_DEAD).
    pub link_failed: bool,
    /// Handles of the statements allocated on this connection.
    pub statements: Vec<usize>,
    /// Handles of the descriptors allocated explicitly on this connection.
    pub descriptors: Vec<usize>,
}

/// A connection handle.
pub struct Dbc {
    /// The environment it was allocated on.
    pub env: Arc<Env>,
    diag: Mutex<DiagArea>,
    /// Connection state (locked before any statement state of this connection is NOT allowed:
    /// statements lock their own state first and this one briefly).
    pub state: std::sync::Mutex<DbcState>,
}

impl Kind for Dbc {
    fn from_object(object: &Object) -> Option<Arc<Self>> {
        match object {
            Object::Dbc(d) => Some(Arc::clone(d)),
            _ => None,
        }
    }
    fn diag(&self) -> &Mutex<DiagArea> {
        &self.diag
    }
}

/// What a statement needs from its connection to run something.
#[derive(Clone)]
pub struct SessionInfo {
    /// The client connection.
    pub client: Connection,
}

impl Dbc {
    /// A new, unconnected connection on `env`.
    pub fn new(env: Arc<Env>) -> Arc<Self> {
        Arc::new(Self {
            env,
            diag: Mutex::default(),
            state: std::sync::Mutex::default(),
        })
    }

    /// The session's client, or 08003 when not connected.
    pub fn session(&self) -> Result<SessionInfo, OdbcError> {
        let state = lock(&self.state)?;
        let session = state.session.as_ref().ok_or_else(not_connected)?;
        Ok(SessionInfo {
            client: session.client.clone(),
        })
    }

    /// What `{fn DATABASE()}` and `{fn USER()}` answer on this connection: the values of
    /// SQLGetInfo's SQL_DATABASE_NAME and SQL_USER_NAME (08003 when not connected).
    pub fn escape_names(&self) -> Result<ConnectionNames, OdbcError> {
        let state = lock(&self.state)?;
        let session = state.session.as_ref().ok_or_else(not_connected)?;
        Ok(ConnectionNames {
            catalog: session.catalog.clone().unwrap_or_default(),
            user: session.settings.user.clone().unwrap_or_default(),
        })
    }

    /// Records whether the last call reached the server (SQL_ATTR_CONNECTION_DEAD).
    pub fn set_link_failed(&self, failed: bool) {
        if let Ok(mut state) = self.state.lock() {
            state.link_failed = failed;
        }
    }

    /// Remembers a statement handle allocated on this connection.
    pub fn add_statement(&self, handle: SqlHandle) -> Result<(), OdbcError> {
        lock(&self.state)?.statements.push(handle as usize);
        Ok(())
    }

    /// Forgets a statement handle.
    pub fn remove_statement(&self, handle: SqlHandle) {
        if let Ok(mut state) = self.state.lock() {
            state.statements.retain(|h| *h != handle as usize);
        }
    }

    /// SQLAllocHandle(SQL_HANDLE_DESC): an application descriptor on this open connection.
    pub fn allocate_descriptor(self: &Arc<Self>) -> Result<SqlHandle, OdbcError> {
        if !self.is_connected() {
            return Err(not_connected());
        }
        let handle =
            handles::register(Object::Desc(Desc::explicit(Arc::clone(self)))).ok_or_else(|| {
                OdbcError::new(
                    "HY001",
                    "memory allocation error: too many handles are allocated",
                )
            })?;
        match lock(&self.state) {
            Ok(mut state) => state.descriptors.push(handle as usize),
            Err(e) => {
                handles::release::<Desc>(handle);
                return Err(e);
            }
        }
        Ok(handle)
    }

    /// The live statements allocated on this connection.
    pub fn statements(&self) -> Vec<Arc<Stmt>> {
        let handles = match self.state.lock() {
            Ok(state) => state.statements.clone(),
            Err(_) => Vec::new(),
        };
        handles
            .into_iter()
            .filter_map(|h| handles::lookup::<Stmt>(h as SqlHandle))
            .collect()
    }

    /// SQLFreeHandle(SQL_HANDLE_DESC) of an explicit descriptor: the statements that used it
    /// go back to their implicit descriptors.
    pub fn free_descriptor(&self, handle: SqlHandle, desc: &Arc<Desc>) {
        handles::release::<Desc>(handle);
        if let Ok(mut state) = self.state.lock() {
            state.descriptors.retain(|h| *h != handle as usize);
        }
        for stmt in self.statements() {
            stmt.forget_descriptor(desc);
        }
    }

    /// SQLDisconnect: frees the statements and explicit descriptors still allocated, closes
    /// the session.
    pub fn disconnect(&self) -> Result<(), OdbcError> {
        let (session, statements, descriptors) = {
            let mut state = lock(&self.state)?;
            let session = state.session.take().ok_or_else(not_connected)?;
            state.link_failed = false;
            (
                session,
                std::mem::take(&mut state.statements),
                std::mem::take(&mut state.descriptors),
            )
        };
        for h in statements {
            if let Some(stmt) = handles::release::<Stmt>(h as SqlHandle) {
                stmt.discard();
            }
        }
        for h in descriptors {
            handles::release::<Desc>(h as SqlHandle);
        }
        let client = session.client;
        runtime::block_on(async move { client.close().await })?;
        tracing::info!(server = %session.settings.server_name(), "disconnected");
        Ok(())
    }

    /// `true` while connected.
    pub fn is_connected(&self) -> bool {
        self.state
            .lock()
            .map(|s| s.session.is_some())
            .unwrap_or(false)
    }
}

/// 08003: the connection is not open.
pub fn not_connected() -> OdbcError {
    OdbcError::new(
        "08003",
        "connection not open: call SQLConnect or SQLDriverConnect first",
    )
}
