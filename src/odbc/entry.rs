//! The entry wrapper every export goes through: a panic boundary (`catch_unwind`, so no panic
//! ever unwinds into C), the handle lookup (invalid handles answer SQL_INVALID_HANDLE), the
//! clearing of the handle's diagnostics, the refusal (HY010) of calls the handle's current
//! sequence does not allow, and the mapping of the body's result to a SQLRETURN plus
//! diagnostic records.

use std::any::Any;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;

use parking_lot::Mutex;

use super::diag::{DiagArea, Diags, OdbcError, Outcome};
use super::ffi::{
    SQL_ERROR, SQL_INVALID_HANDLE, SQL_NEED_DATA, SQL_NO_DATA, SQL_SUCCESS, SQL_SUCCESS_WITH_INFO,
    SqlHandle, SqlReturn,
};
use super::handles::{self, Kind};

/// Runs `f` behind a panic boundary; a panic becomes SQL_ERROR.
pub fn guard(f: impl FnOnce() -> SqlReturn) -> SqlReturn {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(rc) => rc,
        Err(panic) => {
            tracing::error!(panic = %panic_text(&panic), "panic at the ODBC boundary");
            SQL_ERROR
        }
    }
}

/// The standard entry: look up `handle` as a `T`, clear its diagnostics, refuse the call with
/// HY010 when the object is in a sequence it may not interrupt ([`Kind::accepts_calls`]), run
/// `body`, store the records and return the SQLRETURN.
pub fn call<T: Kind>(
    handle: SqlHandle,
    body: impl FnOnce(&Arc<T>, &mut Diags) -> Result<Outcome, OdbcError>,
) -> SqlReturn {
    dispatch(handle, true, body)
}

/// Like [`call`] for the functions allowed in every state, also while a statement waits for
/// data-at-execution parameters: SQLCancel, SQLParamData, SQLPutData, SQLFreeHandle.
pub fn call_anytime<T: Kind>(
    handle: SqlHandle,
    body: impl FnOnce(&Arc<T>, &mut Diags) -> Result<Outcome, OdbcError>,
) -> SqlReturn {
    dispatch(handle, false, body)
}

fn dispatch<T: Kind>(
    handle: SqlHandle,
    check_sequence: bool,
    body: impl FnOnce(&Arc<T>, &mut Diags) -> Result<Outcome, OdbcError>,
) -> SqlReturn {
    guard(|| {
        let Some(object) = handles::lookup::<T>(handle) else {
            return SQL_INVALID_HANDLE;
        };
        object.diag().lock().clear();
        let mut diags = Diags::new();
        let result = catch_unwind(AssertUnwindSafe(|| {
            if check_sequence {
                object.accepts_calls()?;
            }
            body(&object, &mut diags)
        }));
        finish(object.diag(), result, diags)
    })
}

/// Like [`call`] for functions that must not touch the diagnostics (SQLGetDiagRec/Field) and
/// return their own codes.
pub fn call_raw<T: Kind>(handle: SqlHandle, body: impl FnOnce(&Arc<T>) -> SqlReturn) -> SqlReturn {
    guard(|| match handles::lookup::<T>(handle) {
        Some(object) => body(&object),
        None => SQL_INVALID_HANDLE,
    })
}

/// Stores the outcome of a body in `area` and computes the return code.
pub fn finish(
    area: &Mutex<DiagArea>,
    result: std::thread::Result<Result<Outcome, OdbcError>>,
    mut diags: Diags,
) -> SqlReturn {
    let rc = match result {
        Ok(Ok(Outcome::Success)) if diags.has_records() => SQL_SUCCESS_WITH_INFO,
        Ok(Ok(Outcome::Success)) => SQL_SUCCESS,
        Ok(Ok(Outcome::NoData)) => SQL_NO_DATA,
        Ok(Ok(Outcome::NeedData)) => SQL_NEED_DATA,
        Ok(Ok(Outcome::Error)) => SQL_ERROR,
        Ok(Err(e)) => {
            tracing::debug!(sqlstate = e.sqlstate, message = %e.message, "ODBC call failed");
            diags.warn(e);
            SQL_ERROR
        }
        Err(panic) => {
            let text = panic_text(&panic);
            tracing::error!(panic = %text, "panic inside an ODBC call");
            diags.warn(OdbcError::internal(&format!("unexpected failure ({text})")));
            SQL_ERROR
        }
    };
    area.lock().store(rc, diags.into_records());
    rc
}

fn panic_text(panic: &Box<dyn Any + Send>) -> String {
    if let Some(s) = panic.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = panic.downcast_ref::<String>() {
        s.clone()
    } else {
        "panic".to_string()
    }
}

/// Locks a handle's state; a lock poisoned by an earlier internal failure gives HY000 instead
/// of a crash.
pub fn lock<T>(m: &std::sync::Mutex<T>) -> Result<std::sync::MutexGuard<'_, T>, OdbcError> {
    m.lock().map_err(|_| {
        OdbcError::new(
            "HY000",
            "this handle is unusable after an earlier internal error; free it and allocate a \
             new one",
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::odbc::env::Env;
    use crate::odbc::handles::{Object, register, release};

    #[test]
    fn invalid_handles_never_reach_the_body() {
        let rc = call::<Env>(0x1234usize as SqlHandle, |_, _| panic!("must not run"));
        assert_eq!(rc, SQL_INVALID_HANDLE);
    }

    #[test]
    fn panics_become_hy000_records() {
        let env = Env::new_for_tests();
        let h = register(Object::Env(Arc::clone(&env))).unwrap();
        let rc = call::<Env>(h, |_, _| panic!("boom"));
        assert_eq!(rc, SQL_ERROR);
        {
            let area = env.diag().lock();
            let rec = area.record(1).unwrap();
            assert_eq!(rec.sqlstate, "HY000");
            assert!(rec.message.contains("boom"));
        }
        // The next call clears the area.
        let rc = call::<Env>(h, |_, d| {
            d.warn(OdbcError::new("01S02", "changed"));
            Ok(Outcome::Success)
        });
        assert_eq!(rc, SQL_SUCCESS_WITH_INFO);
        assert_eq!(env.diag().lock().record(1).unwrap().sqlstate, "01S02");
        assert_eq!(call::<Env>(h, |_, _| Ok(Outcome::NoData)), SQL_NO_DATA);
        assert!(env.diag().lock().is_empty());
        release::<Env>(h).unwrap();
    }

    #[test]
    fn poisoned_state_is_an_error_not_a_crash() {
        let m = std::sync::Arc::new(std::sync::Mutex::new(1));
        let m2 = std::sync::Arc::clone(&m);
        let _ = std::thread::spawn(move || {
            let _g = m2.lock().unwrap();
            panic!("poison");
        })
        .join();
        assert_eq!(lock(&m).unwrap_err().sqlstate, "HY000");
    }
}
