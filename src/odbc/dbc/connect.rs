//! SQLConnect and SQLDriverConnect: resolve the settings (connection string over DSN), open the
//! e6data session, return the completed connection string.
//!
//! Completion modes of SQLDriverConnect (there is no dialog on Linux):
//! - `SQL_DRIVER_NOPROMPT`: connect with what is given; a missing Host/UID/PWD is an error
//!   (08001, or 28000 for credentials).
//! - `SQL_DRIVER_COMPLETE`, `SQL_DRIVER_COMPLETE_REQUIRED`: the same as NOPROMPT when everything
//!   needed is present; otherwise HY000 "missing X; no dialog on Linux".
//! - `SQL_DRIVER_PROMPT`: HYC00, since the driver has no dialog to show (the spec requires
//!   PROMPT to always show one).
//!
//! The output connection string is the input one (ODBC returns it in full, secrets included);
//! it is never logged unredacted.

use std::ffi::c_void;

use crate::client::Connection;

use super::super::connstr::ConnStr;
use super::super::diag::{Diags, OdbcError, Outcome};
use super::super::entry::lock;
use super::super::errors;
use super::super::ffi::{
    SQL_DRIVER_COMPLETE, SQL_DRIVER_COMPLETE_REQUIRED, SQL_DRIVER_NOPROMPT, SQL_DRIVER_PROMPT,
    SqlSmallInt, SqlUSmallInt,
};
use super::super::out::{self, Unit};
use super::super::settings::Settings;
use super::super::text::{Encoding, read_str};
use super::super::{dsn, logging, runtime};
use super::{Dbc, Session};

/// Arguments of SQLDriverConnect(W).
pub struct DriverConnectArgs {
    /// `InConnectionString`.
    pub in_text: *const c_void,
    /// `StringLength1` (characters or SQL_NTS).
    pub in_len: SqlSmallInt,
    /// `OutConnectionString`.
    pub out_text: *mut c_void,
    /// `BufferLength` (characters).
    pub out_cap: SqlSmallInt,
    /// `StringLength2Ptr` (characters).
    pub out_len: *mut SqlSmallInt,
    /// `DriverCompletion`.
    pub completion: SqlUSmallInt,
}

/// SQLDriverConnect(W).
///
/// # Safety
/// The pointers in `args` follow the SQLDriverConnect contract.
pub unsafe fn driver_connect<E: Encoding>(
    dbc: &Dbc,
    args: &DriverConnectArgs,
    diags: &mut Diags,
) -> Result<Outcome, OdbcError> {
    // SAFETY: per the caller.
    let text = unsafe { read_str::<E>(args.in_text, isize::from(args.in_len))? }
        .ok_or_else(|| OdbcError::null_pointer("InConnectionString"))?;
    let conn_str = ConnStr::parse(&text)?;
    let dsn_values = conn_str
        .get("DSN")
        .filter(|d| !d.is_empty())
        .map(dsn::read)
        .unwrap_or_default();
    let settings = Settings::resolve(&conn_str, &dsn_values)?;
    match args.completion {
        SQL_DRIVER_NOPROMPT => {}
        SQL_DRIVER_COMPLETE | SQL_DRIVER_COMPLETE_REQUIRED => {
            if let Some(missing) = settings.missing() {
                return Err(OdbcError::new(
                    "HY000",
                    format!(
                        "missing {missing}; no dialog on Linux: add {missing}=... to the \
                         connection string or DSN"
                    ),
                ));
            }
        }
        SQL_DRIVER_PROMPT => {
            return Err(OdbcError::not_implemented(
                "SQL_DRIVER_PROMPT (the driver has no dialog); use SQL_DRIVER_NOPROMPT or \
                 SQL_DRIVER_COMPLETE",
            ));
        }
        other => {
            return Err(OdbcError::new(
                "HY110",
                format!("invalid driver completion {other}"),
            ));
        }
    }
    tracing::debug!(connection_string = %conn_str.redacted(), "SQLDriverConnect");
    establish(dbc, settings)?;
    // SAFETY: per the caller.
    unsafe {
        out::write_str::<E, SqlSmallInt>(
            &conn_str.format(),
            args.out_text,
            isize::from(args.out_cap),
            Unit::Chars,
            args.out_len,
            diags,
        )?;
    }
    Ok(Outcome::Success)
}

/// Arguments of SQLConnect(W): three strings with their lengths.
pub struct ConnectArgs {
    /// `ServerName` (the DSN) and its length.
    pub dsn: (*const c_void, SqlSmallInt),
    /// `UserName` and its length.
    pub user: (*const c_void, SqlSmallInt),
    /// `Authentication` and its length.
    pub password: (*const c_void, SqlSmallInt),
}

/// SQLConnect(W): DSN values, with UID/PWD from the arguments when given.
///
/// # Safety
/// The pointers in `args` follow the SQLConnect contract.
pub unsafe fn connect<E: Encoding>(dbc: &Dbc, args: &ConnectArgs) -> Result<Outcome, OdbcError> {
    // SAFETY: per the caller.
    let (dsn_name, user, password) = unsafe {
        (
            read_str::<E>(args.dsn.0, isize::from(args.dsn.1))?,
            read_str::<E>(args.user.0, isize::from(args.user.1))?,
            read_str::<E>(args.password.0, isize::from(args.password.1))?,
        )
    };
    let dsn_name = dsn_name
        .filter(|d| !d.is_empty())
        .ok_or_else(|| OdbcError::new("08001", "no data source name given to SQLConnect"))?;
    let mut given = ConnStr::default();
    given.push_default("DSN", &dsn_name);
    if let Some(u) = user.filter(|u| !u.is_empty()) {
        given.push_default("UID", &u);
    }
    if let Some(p) = password.filter(|p| !p.is_empty()) {
        given.push_default("PWD", &p);
    }
    let settings = Settings::resolve(&given, &dsn::read(&dsn_name))?;
    establish(dbc, settings)?;
    Ok(Outcome::Success)
}

/// Opens the session described by `settings` on `dbc`.
fn establish(dbc: &Dbc, settings: Settings) -> Result<(), OdbcError> {
    logging::configure(settings.log_level.as_deref(), settings.log_file.as_deref())?;
    for key in &settings.unknown_keys {
        tracing::debug!(key = key.as_str(), "unknown connection string key ignored");
    }
    if let Some(missing) = settings.missing() {
        let state = if missing == "Host" { "08001" } else { "28000" };
        return Err(OdbcError::new(
            state,
            format!("no {missing} given: add {missing}=... to the connection string or DSN"),
        ));
    }
    let mut state = lock(&dbc.state)?;
    if state.session.is_some() {
        return Err(OdbcError::new(
            "08002",
            "connection name in use: this handle is already connected; call SQLDisconnect first",
        ));
    }
    let catalog = state.pending_catalog.clone();
    let config = settings.client_config(catalog.as_deref(), state.login_timeout)?;
    let effective_catalog = config.catalog.clone();
    tracing::info!(
        server = %settings.server_name(),
        user = settings.user.as_deref().unwrap_or("(token)"),
        catalog = effective_catalog.as_deref().unwrap_or(""),
        tls = settings.tls,
        "connecting"
    );
    let client =
        runtime::block_on(Connection::connect(config))?.map_err(|e| errors::from_connect(&e))?;
    tracing::info!(server = %settings.server_name(), "connected");
    state.session = Some(Session {
        client,
        settings,
        catalog: effective_catalog,
    });
    state.link_failed = false;
    Ok(())
}

/// Reopens the session with another catalog (SQL_ATTR_CURRENT_CATALOG on an open connection):
/// later prepares use it; statements already executing keep their queries.
pub fn switch_catalog(dbc: &Dbc, catalog: &str) -> Result<(), OdbcError> {
    let mut state = lock(&dbc.state)?;
    let login_timeout = state.login_timeout;
    let Some(session) = state.session.as_mut() else {
        state.pending_catalog = Some(catalog.to_string()).filter(|c| !c.is_empty());
        return Ok(());
    };
    let config = session
        .settings
        .client_config(Some(catalog), login_timeout)?;
    let client =
        runtime::block_on(Connection::connect(config))?.map_err(|e| errors::from_connect(&e))?;
    // The old client is only dropped, not closed: cursors still open on it keep their queries.
    drop(std::mem::replace(&mut session.client, client));
    session.catalog = Some(catalog.to_string()).filter(|c| !c.is_empty());
    tracing::info!(catalog, "current catalog changed");
    Ok(())
}
