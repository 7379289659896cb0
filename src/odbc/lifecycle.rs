//! The functions that take a handle TYPE: SQLAllocHandle, SQLFreeHandle, SQLEndTran,
//! SQLGetDiagRec, SQLGetDiagField. They dispatch to the right handle kind through the entry
//! wrapper.

use std::sync::Arc;

use super::dbc::Dbc;
use super::desc::{Desc, Owner};
use super::diag::{self, DiagFieldArgs, DiagRecArgs, OdbcError, Outcome};
use super::entry::{self, lock};
use super::env::Env;
use super::ffi::{
    SQL_COMMIT, SQL_DIAG_SERVER_NAME, SQL_ERROR, SQL_HANDLE_DBC, SQL_HANDLE_DESC, SQL_HANDLE_ENV,
    SQL_HANDLE_STMT, SQL_ROLLBACK, SQL_SUCCESS, SqlHandle, SqlReturn, SqlSmallInt,
};
use super::handles::{self, Kind, Object};
use super::out::write_if_some;
use super::runtime;
use super::stmt::Stmt;
use super::text::Encoding;

/// SQLAllocHandle.
///
/// # Safety
/// `output` is null or valid for a handle write.
pub unsafe fn alloc_handle(
    handle_type: SqlSmallInt,
    input: SqlHandle,
    output: *mut SqlHandle,
) -> SqlReturn {
    // SAFETY: per the caller; the output is reset first, as the spec requires on failure.
    unsafe { write_if_some(output, std::ptr::null_mut()) };
    match handle_type {
        SQL_HANDLE_ENV => entry::guard(|| {
            if output.is_null() {
                return SQL_ERROR;
            }
            let Ok(runtime) = runtime::acquire() else {
                return SQL_ERROR;
            };
            match handles::register(Object::Env(Env::new(runtime))) {
                Some(h) => {
                    // SAFETY: checked non-null above.
                    unsafe { write_if_some(output, h) };
                    SQL_SUCCESS
                }
                None => SQL_ERROR,
            }
        }),
        SQL_HANDLE_DBC => entry::call::<Env>(input, |env, _| {
            if output.is_null() {
                return Err(OdbcError::null_pointer("OutputHandlePtr"));
            }
            env.add_connection()?;
            let Some(h) = handles::register(Object::Dbc(Dbc::new(Arc::clone(env)))) else {
                env.remove_connection();
                return Err(OdbcError::new(
                    "HY001",
                    "memory allocation error: too many handles",
                ));
            };
            // SAFETY: checked non-null above.
            unsafe { write_if_some(output, h) };
            Ok(Outcome::Success)
        }),
        SQL_HANDLE_STMT => entry::call::<Dbc>(input, |dbc, _| {
            if output.is_null() {
                return Err(OdbcError::null_pointer("OutputHandlePtr"));
            }
            let h = Stmt::allocate(dbc)?;
            // SAFETY: checked non-null above.
            unsafe { write_if_some(output, h) };
            Ok(Outcome::Success)
        }),
        SQL_HANDLE_DESC => entry::call::<Dbc>(input, |dbc, _| {
            if output.is_null() {
                return Err(OdbcError::null_pointer("OutputHandlePtr"));
            }
            let h = dbc.allocate_descriptor()?;
            // SAFETY: checked non-null above.
            unsafe { write_if_some(output, h) };
            Ok(Outcome::Success)
        }),
        _ => SQL_ERROR,
    }
}

/// SQLFreeHandle (and SQLFreeStmt with SQL_DROP).
pub fn free_handle(handle_type: SqlSmallInt, handle: SqlHandle) -> SqlReturn {
    match handle_type {
        SQL_HANDLE_ENV => entry::call::<Env>(handle, |env, _| {
            env.check_free()?;
            handles::release::<Env>(handle);
            env.release_runtime();
            Ok(Outcome::Success)
        }),
        SQL_HANDLE_DBC => entry::call::<Dbc>(handle, |dbc, _| {
            if dbc.is_connected() {
                return Err(OdbcError::sequence(
                    "the connection is open; call SQLDisconnect before freeing it",
                ));
            }
            if handles::release::<Dbc>(handle).is_some() {
                dbc.env.remove_connection();
            }
            Ok(Outcome::Success)
        }),
        // Also while the statement waits for data-at-execution parameters (the driver manager
        // refuses that itself; a driver never keeps a handle the application gives up).
        SQL_HANDLE_STMT => entry::call_anytime::<Stmt>(handle, |stmt, _| {
            handles::release::<Stmt>(handle);
            stmt.dbc.remove_statement(handle);
            stmt.discard();
            Ok(Outcome::Success)
        }),
        SQL_HANDLE_DESC => entry::call::<Desc>(handle, |desc, _| match desc.owner() {
            Owner::Connection(dbc) => {
                dbc.free_descriptor(handle, desc);
                Ok(Outcome::Success)
            }
            Owner::Statement(_) => Err(OdbcError::new(
                "HY017",
                "invalid use of an automatically allocated descriptor handle: it is freed with \
                 its statement",
            )),
        }),
        _ => SQL_ERROR,
    }
}

fn end_tran_body(completion: SqlSmallInt) -> Result<Outcome, OdbcError> {
    match completion {
        SQL_COMMIT => Ok(Outcome::Success),
        SQL_ROLLBACK => Err(OdbcError::not_implemented(
            "rollback: e6data has no transactions (every statement commits on its own)",
        )),
        other => Err(OdbcError::new(
            "HY012",
            format!("invalid transaction operation code {other}"),
        )),
    }
}

/// SQLEndTran: autocommit only; COMMIT succeeds (nothing to commit), ROLLBACK is HYC00.
pub fn end_tran(handle_type: SqlSmallInt, handle: SqlHandle, completion: SqlSmallInt) -> SqlReturn {
    match handle_type {
        SQL_HANDLE_ENV => entry::call::<Env>(handle, |_, _| end_tran_body(completion)),
        SQL_HANDLE_DBC => entry::call::<Dbc>(handle, |dbc, _| {
            if !dbc.is_connected() {
                return Err(super::dbc::not_connected());
            }
            end_tran_body(completion)
        }),
        _ => SQL_ERROR,
    }
}

/// SQLGetDiagRec(W).
///
/// # Safety
/// The pointers in `args` follow the SQLGetDiagRec contract.
pub unsafe fn get_diag_rec<E: Encoding>(
    handle_type: SqlSmallInt,
    handle: SqlHandle,
    args: &DiagRecArgs,
) -> SqlReturn {
    // SAFETY: forwarded from the caller.
    fn rec<T: Kind, E: Encoding>(handle: SqlHandle, args: &DiagRecArgs) -> SqlReturn {
        entry::call_raw::<T>(handle, |o| unsafe {
            diag::get_diag_rec::<E>(&o.diag().lock(), args)
        })
    }
    match handle_type {
        SQL_HANDLE_ENV => rec::<Env, E>(handle, args),
        SQL_HANDLE_DBC => rec::<Dbc, E>(handle, args),
        SQL_HANDLE_STMT => rec::<Stmt, E>(handle, args),
        SQL_HANDLE_DESC => rec::<Desc, E>(handle, args),
        _ => SQL_ERROR,
    }
}

fn server_name(dbc: &Dbc) -> String {
    lock(&dbc.state)
        .ok()
        .and_then(|s| s.session.as_ref().map(|s| s.settings.server_name()))
        .unwrap_or_default()
}

/// SQLGetDiagField(W).
///
/// # Safety
/// The pointers in `args` follow the SQLGetDiagField contract.
pub unsafe fn get_diag_field<E: Encoding>(
    handle_type: SqlSmallInt,
    handle: SqlHandle,
    args: &DiagFieldArgs,
) -> SqlReturn {
    let wants_server = args.identifier == SQL_DIAG_SERVER_NAME;
    // SAFETY (all arms): forwarded from the caller.
    match handle_type {
        SQL_HANDLE_ENV => entry::call_raw::<Env>(handle, |o| unsafe {
            diag::get_diag_field::<E>(&o.diag().lock(), args, "")
        }),
        SQL_HANDLE_DBC => entry::call_raw::<Dbc>(handle, |o| {
            let server = if wants_server {
                server_name(o)
            } else {
                String::new()
            };
            unsafe { diag::get_diag_field::<E>(&o.diag().lock(), args, &server) }
        }),
        SQL_HANDLE_STMT => entry::call_raw::<Stmt>(handle, |o| {
            let server = if wants_server {
                server_name(&o.dbc)
            } else {
                String::new()
            };
            let args = DiagFieldArgs {
                is_statement: true,
                ..*args
            };
            unsafe { diag::get_diag_field::<E>(&o.diag().lock(), &args, &server) }
        }),
        SQL_HANDLE_DESC => entry::call_raw::<Desc>(handle, |o| unsafe {
            diag::get_diag_field::<E>(&o.diag().lock(), args, "")
        }),
        _ => SQL_ERROR,
    }
}
