//! Environment handles: the ODBC version the application declared, the count of connection
//! handles allocated on it, and a reference to the shared runtime.

use std::sync::Arc;

use parking_lot::Mutex;

use super::diag::{DiagArea, Diags, OdbcError, Outcome};
use super::ffi::{
    SQL_ATTR_CONNECTION_POOLING, SQL_ATTR_CP_MATCH, SQL_ATTR_ODBC_VERSION, SQL_ATTR_OUTPUT_NTS,
    SQL_OV_ODBC2, SQL_OV_ODBC3, SQL_OV_ODBC3_80, SQL_TRUE, SqlInteger, SqlPointer,
};
use super::handles::{Kind, Object};
use super::out;
use super::runtime::RuntimeRef;

/// Mutable state of an environment.
#[derive(Debug, Default)]
struct EnvState {
    odbc_version: Option<i32>,
    connections: usize,
}

/// An environment handle.
pub struct Env {
    diag: Mutex<DiagArea>,
    state: Mutex<EnvState>,
    runtime: Mutex<Option<RuntimeRef>>,
}

impl Kind for Env {
    fn from_object(object: &Object) -> Option<Arc<Self>> {
        match object {
            Object::Env(e) => Some(Arc::clone(e)),
            _ => None,
        }
    }
    fn diag(&self) -> &Mutex<DiagArea> {
        &self.diag
    }
}

impl Env {
    /// A new environment holding a runtime reference.
    pub fn new(runtime: RuntimeRef) -> Arc<Self> {
        Arc::new(Self {
            diag: Mutex::default(),
            state: Mutex::default(),
            runtime: Mutex::new(Some(runtime)),
        })
    }

    /// An environment without a runtime, for unit tests of the handle machinery.
    #[cfg(test)]
    pub fn new_for_tests() -> Arc<Self> {
        Arc::new(Self {
            diag: Mutex::default(),
            state: Mutex::default(),
            runtime: Mutex::new(None),
        })
    }

    /// Checks that a connection may be allocated (the ODBC version was set) and counts it.
    pub fn add_connection(&self) -> Result<(), OdbcError> {
        let mut state = self.state.lock();
        if state.odbc_version.is_none() {
            return Err(OdbcError::sequence(
                "set SQL_ATTR_ODBC_VERSION with SQLSetEnvAttr before allocating a connection",
            ));
        }
        state.connections += 1;
        Ok(())
    }

    /// Forgets one connection handle.
    pub fn remove_connection(&self) {
        let mut state = self.state.lock();
        state.connections = state.connections.saturating_sub(1);
    }

    /// The declared ODBC version (`SQL_OV_ODBC3` when not set).
    pub fn odbc_version(&self) -> i32 {
        self.state.lock().odbc_version.unwrap_or(SQL_OV_ODBC3)
    }

    /// Checks the environment can be freed (no connection handles left).
    pub fn check_free(&self) -> Result<(), OdbcError> {
        let n = self.state.lock().connections;
        if n > 0 {
            return Err(OdbcError::sequence(&format!(
                "{n} connection handle(s) are still allocated on this environment; free them first"
            )));
        }
        Ok(())
    }

    /// Releases this environment's runtime reference (the runtime stops with the last one).
    pub fn release_runtime(&self) {
        let runtime = self.runtime.lock().take();
        drop(runtime);
    }

    /// SQLSetEnvAttr.
    pub fn set_attr(&self, attribute: SqlInteger, value: SqlPointer) -> Result<Outcome, OdbcError> {
        let v = value as usize;
        match attribute {
            SQL_ATTR_ODBC_VERSION => {
                let version = i32::try_from(v).unwrap_or(-1);
                if ![SQL_OV_ODBC2, SQL_OV_ODBC3, SQL_OV_ODBC3_80].contains(&version) {
                    return Err(OdbcError::bad_value(format_args!(
                        "SQL_ATTR_ODBC_VERSION {v} (use SQL_OV_ODBC3 or SQL_OV_ODBC3_80)"
                    )));
                }
                let mut state = self.state.lock();
                if state.connections > 0 {
                    return Err(OdbcError::sequence(
                        "SQL_ATTR_ODBC_VERSION cannot change while connections are allocated",
                    ));
                }
                state.odbc_version = Some(version);
                Ok(Outcome::Success)
            }
            SQL_ATTR_OUTPUT_NTS if v == SQL_TRUE => Ok(Outcome::Success),
            SQL_ATTR_OUTPUT_NTS => Err(OdbcError::not_implemented(
                "SQL_ATTR_OUTPUT_NTS = SQL_FALSE (strings are always NUL-terminated)",
            )),
            // Pooling is the driver manager's business; the driver only accepts the defaults.
            SQL_ATTR_CONNECTION_POOLING | SQL_ATTR_CP_MATCH if v == 0 => Ok(Outcome::Success),
            SQL_ATTR_CONNECTION_POOLING | SQL_ATTR_CP_MATCH => Err(OdbcError::not_implemented(
                "connection pooling inside the driver (let the driver manager pool)",
            )),
            other => Err(OdbcError::bad_attribute(format_args!(
                "environment attribute {other}"
            ))),
        }
    }

    /// SQLGetEnvAttr.
    ///
    /// # Safety
    /// `value` is null or valid for a `SQLINTEGER`/`SQLUINTEGER` write.
    pub unsafe fn get_attr(
        &self,
        attribute: SqlInteger,
        value: SqlPointer,
        string_length: *mut SqlInteger,
        _diags: &mut Diags,
    ) -> Result<Outcome, OdbcError> {
        let v: u32 = match attribute {
            SQL_ATTR_ODBC_VERSION => u32::try_from(self.odbc_version()).unwrap_or(3),
            SQL_ATTR_OUTPUT_NTS => 1,
            SQL_ATTR_CONNECTION_POOLING | SQL_ATTR_CP_MATCH => 0,
            other => {
                return Err(OdbcError::bad_attribute(format_args!(
                    "environment attribute {other}"
                )));
            }
        };
        // SAFETY: per the caller.
        unsafe {
            out::write_if_some(value.cast::<u32>(), v);
            out::write_if_some(string_length, 4);
        }
        Ok(Outcome::Success)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_required_before_connections() {
        let env = Env::new_for_tests();
        assert_eq!(env.add_connection().unwrap_err().sqlstate, "HY010");
        env.set_attr(SQL_ATTR_ODBC_VERSION, 380usize as SqlPointer)
            .unwrap();
        env.add_connection().unwrap();
        assert_eq!(env.check_free().unwrap_err().sqlstate, "HY010");
        assert_eq!(
            env.set_attr(SQL_ATTR_ODBC_VERSION, 3usize as SqlPointer)
                .unwrap_err()
                .sqlstate,
            "HY010"
        );
        env.remove_connection();
        env.check_free().unwrap();
    }

    #[test]
    fn attribute_values_are_checked() {
        let env = Env::new_for_tests();
        assert_eq!(
            env.set_attr(SQL_ATTR_ODBC_VERSION, 17usize as SqlPointer)
                .unwrap_err()
                .sqlstate,
            "HY024"
        );
        assert_eq!(
            env.set_attr(4242, std::ptr::null_mut())
                .unwrap_err()
                .sqlstate,
            "HY092"
        );
        assert_eq!(
            env.set_attr(SQL_ATTR_OUTPUT_NTS, std::ptr::null_mut())
                .unwrap_err()
                .sqlstate,
            "HYC00"
        );
        env.set_attr(SQL_ATTR_ODBC_VERSION, 3usize as SqlPointer)
            .unwrap();
        let mut v = 0u32;
        let mut d = Diags::new();
        unsafe {
            env.get_attr(
                SQL_ATTR_ODBC_VERSION,
                (&raw mut v).cast(),
                std::ptr::null_mut(),
                &mut d,
            )
        }
        .unwrap();
        assert_eq!(v, 3);
    }
}
