//! SQLSetConnectAttr / SQLGetConnectAttr, including the read-only blue/green strategy
//! attributes of this driver (16385-16387; see `installer/include/e6data_odbc.h`).
//!
//! | attribute | get | set |
//! |---|---|---|
//! | SQL_ATTR_ACCESS_MODE | READ_ONLY | READ_ONLY; READ_WRITE -> 01S02 (stays read-only) |
//! | SQL_ATTR_AUTOCOMMIT | ON | ON; OFF -> HYC00 (no transactions) |
//! | SQL_ATTR_LOGIN_TIMEOUT | seconds (0 = default) | used by the next connect |
//! | SQL_ATTR_CONNECTION_TIMEOUT | 0 | 0; other -> 01S02 (stays 0) |
//! | SQL_ATTR_CURRENT_CATALOG | catalog or "" | changes the catalog of later prepares |
//! | SQL_ATTR_TXN_ISOLATION | 0 (no transactions) | HYC00 |
//! | SQL_ATTR_ASYNC_ENABLE | OFF | OFF; ON -> HYC00 |
//! | SQL_ATTR_METADATA_ID | default for new statements | stored |
//! | SQL_ATTR_CONNECTION_DEAD | the link state | HY092 (read-only) |
//! | SQL_ATTR_AUTO_IPD | FALSE | HY092 (read-only) |
//! | SQL_ATTR_ANSI_APP | — | HYC00 (A and W behave the same) |
//! | 16385 / 16386 / 16387 | active / pending colour, state JSON | HY092 (read-only) |

use std::time::Duration;

use crate::client::Connection;

use super::super::diag::{Diags, OdbcError, Outcome};
use super::super::entry::lock;
use super::super::ffi::{
    SQL_ASYNC_ENABLE_OFF, SQL_ATTR_ACCESS_MODE, SQL_ATTR_ANSI_APP, SQL_ATTR_ASYNC_ENABLE,
    SQL_ATTR_AUTOCOMMIT, SQL_ATTR_CONNECTION_DEAD, SQL_ATTR_CONNECTION_TIMEOUT,
    SQL_ATTR_CURRENT_CATALOG, SQL_ATTR_E6_ACTIVE_STRATEGY, SQL_ATTR_E6_PENDING_STRATEGY,
    SQL_ATTR_E6_STRATEGY_STATE, SQL_ATTR_LOGIN_TIMEOUT, SQL_ATTR_METADATA_ID, SQL_ATTR_PACKET_SIZE,
    SQL_ATTR_TXN_ISOLATION, SQL_AUTOCOMMIT_ON, SQL_CD_FALSE, SQL_CD_TRUE, SQL_MODE_READ_ONLY,
    SQL_TRUE, SqlInteger, SqlPointer,
};
use super::super::out::{self, Unit};
use super::super::text::{Encoding, read_str_bytes};
use super::{Dbc, connect, not_connected};

/// SQL_ATTR_AUTO_IPD.
const SQL_ATTR_AUTO_IPD: i32 = 10001;

fn changed(what: &str) -> OdbcError {
    OdbcError::new("01S02", format!("option value changed: {what}"))
}

fn read_only(what: &str) -> OdbcError {
    OdbcError::bad_attribute(format_args!("{what} is a read-only attribute"))
}

/// SQLSetConnectAttr(W).
///
/// # Safety
/// `value` is an integer value or a pointer to a string of `length` bytes (or SQL_NTS), per
/// the attribute.
pub unsafe fn set_attr<E: Encoding>(
    dbc: &Dbc,
    attribute: SqlInteger,
    value: SqlPointer,
    length: SqlInteger,
    diags: &mut Diags,
) -> Result<Outcome, OdbcError> {
    let v = value as usize;
    match attribute {
        SQL_ATTR_ACCESS_MODE => {
            if v != SQL_MODE_READ_ONLY {
                diags.warn(changed(
                    "e6data connections are read-only (SQL_MODE_READ_ONLY)",
                ));
            }
        }
        SQL_ATTR_AUTOCOMMIT => {
            if v != SQL_AUTOCOMMIT_ON {
                return Err(OdbcError::not_implemented(
                    "manual-commit mode: e6data has no transactions; keep SQL_AUTOCOMMIT_ON",
                ));
            }
        }
        SQL_ATTR_LOGIN_TIMEOUT => {
            let secs = u64::try_from(v)
                .unwrap_or(u64::MAX)
                .min(u64::from(u32::MAX));
            lock(&dbc.state)?.login_timeout = (secs > 0).then(|| Duration::from_secs(secs));
        }
        SQL_ATTR_CONNECTION_TIMEOUT => {
            if v != 0 {
                diags.warn(changed(
                    "SQL_ATTR_CONNECTION_TIMEOUT is not supported and stays 0; use \
                     SQL_ATTR_QUERY_TIMEOUT on statements",
                ));
            }
        }
        SQL_ATTR_CURRENT_CATALOG => {
            // SAFETY: per the caller, a string of `length` bytes.
            let catalog =
                unsafe { read_str_bytes::<E>(value, isize::try_from(length).unwrap_or(-1))? }
                    .ok_or_else(|| OdbcError::null_pointer("ValuePtr"))?;
            connect::switch_catalog(dbc, catalog.trim())?;
        }
        SQL_ATTR_TXN_ISOLATION => {
            return Err(OdbcError::not_implemented(
                "transaction isolation levels (e6data has no transactions)",
            ));
        }
        SQL_ATTR_ASYNC_ENABLE => {
            if v != SQL_ASYNC_ENABLE_OFF {
                return Err(OdbcError::not_implemented("asynchronous execution"));
            }
        }
        SQL_ATTR_METADATA_ID => lock(&dbc.state)?.metadata_id = v == SQL_TRUE,
        SQL_ATTR_ANSI_APP => {
            return Err(OdbcError::not_implemented(
                "SQL_ATTR_ANSI_APP: the driver behaves the same for ANSI and Unicode applications",
            ));
        }
        SQL_ATTR_PACKET_SIZE => {
            return Err(OdbcError::not_implemented(
                "SQL_ATTR_PACKET_SIZE (gRPC sizes its own frames)",
            ));
        }
        SQL_ATTR_CONNECTION_DEAD => return Err(read_only("SQL_ATTR_CONNECTION_DEAD")),
        SQL_ATTR_AUTO_IPD => return Err(read_only("SQL_ATTR_AUTO_IPD")),
        SQL_ATTR_E6_ACTIVE_STRATEGY => return Err(read_only("SQL_ATTR_E6_ACTIVE_STRATEGY")),
        SQL_ATTR_E6_PENDING_STRATEGY => return Err(read_only("SQL_ATTR_E6_PENDING_STRATEGY")),
        SQL_ATTR_E6_STRATEGY_STATE => return Err(read_only("SQL_ATTR_E6_STRATEGY_STATE")),
        other => {
            return Err(OdbcError::bad_attribute(format_args!(
                "connection attribute {other}"
            )));
        }
    }
    Ok(Outcome::Success)
}

/// A value of a connection attribute.
enum AttrValue {
    Int(u32),
    Text(String),
}

/// The strategy attributes from the client's snapshot: (active, pending, JSON).
fn strategy(client: &Connection) -> Result<(String, String, String), OdbcError> {
    let snapshot = client.strategy_snapshot();
    let json = serde_json::to_value(&snapshot)
        .map_err(|e| OdbcError::internal(&format!("strategy snapshot is not serializable: {e}")))?;
    let colour = |key: &str| {
        json.get(key)
            .and_then(|v| v.as_str())
            .unwrap_or("")
            .to_string()
    };
    Ok((colour("active"), colour("pending"), json.to_string()))
}

/// SQLGetConnectAttr(W). String values are written in the entry point's encoding with
/// `buffer_length`/`string_length` in bytes; integer values as `SQLUINTEGER`.
///
/// # Safety
/// `value` is null or valid for the attribute's type (or `buffer_length` bytes for strings);
/// `string_length` null or valid.
pub unsafe fn get_attr<E: Encoding>(
    dbc: &Dbc,
    attribute: SqlInteger,
    value: SqlPointer,
    buffer_length: SqlInteger,
    string_length: *mut SqlInteger,
    diags: &mut Diags,
) -> Result<Outcome, OdbcError> {
    let state = lock(&dbc.state)?;
    let result = match attribute {
        SQL_ATTR_ACCESS_MODE => AttrValue::Int(1),
        SQL_ATTR_AUTOCOMMIT => AttrValue::Int(1),
        SQL_ATTR_LOGIN_TIMEOUT => AttrValue::Int(
            state
                .login_timeout
                .map_or(0, |d| u32::try_from(d.as_secs()).unwrap_or(u32::MAX)),
        ),
        SQL_ATTR_CONNECTION_TIMEOUT | SQL_ATTR_TXN_ISOLATION | SQL_ATTR_ASYNC_ENABLE => {
            AttrValue::Int(0)
        }
        SQL_ATTR_AUTO_IPD => AttrValue::Int(0),
        SQL_ATTR_METADATA_ID => AttrValue::Int(u32::from(state.metadata_id)),
        SQL_ATTR_CONNECTION_DEAD => {
            let dead = state.session.is_none() || state.link_failed;
            AttrValue::Int(if dead {
                SQL_CD_TRUE as u32
            } else {
                SQL_CD_FALSE as u32
            })
        }
        SQL_ATTR_CURRENT_CATALOG => AttrValue::Text(match &state.session {
            Some(s) => s.catalog.clone().unwrap_or_default(),
            None => state.pending_catalog.clone().unwrap_or_default(),
        }),
        SQL_ATTR_E6_ACTIVE_STRATEGY | SQL_ATTR_E6_PENDING_STRATEGY | SQL_ATTR_E6_STRATEGY_STATE => {
            let session = state.session.as_ref().ok_or_else(not_connected)?;
            let (active, pending, json) = strategy(&session.client)?;
            AttrValue::Text(match attribute {
                SQL_ATTR_E6_ACTIVE_STRATEGY => active,
                SQL_ATTR_E6_PENDING_STRATEGY => pending,
                _ => json,
            })
        }
        other => {
            return Err(OdbcError::bad_attribute(format_args!(
                "connection attribute {other}"
            )));
        }
    };
    drop(state);
    match result {
        AttrValue::Int(n) => {
            // SAFETY: per the caller, an SQLUINTEGER slot.
            unsafe {
                out::write_if_some(value.cast::<u32>(), n);
                out::write_if_some(string_length, 4);
            }
        }
        AttrValue::Text(text) => {
            // SAFETY: per the caller, a buffer of `buffer_length` bytes.
            unsafe {
                out::write_str::<E, SqlInteger>(
                    &text,
                    value,
                    isize::try_from(buffer_length).unwrap_or(-1),
                    Unit::Bytes,
                    string_length,
                    diags,
                )?;
            }
        }
    }
    Ok(Outcome::Success)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::odbc::env::Env;
    use crate::odbc::text::{Narrow, Wide};

    fn dbc() -> std::sync::Arc<Dbc> {
        Dbc::new(Env::new_for_tests())
    }

    fn get_int(d: &Dbc, attr: i32) -> Result<u32, OdbcError> {
        let mut v = 0xFFFF_FFFFu32;
        let mut diags = Diags::new();
        unsafe {
            get_attr::<Narrow>(
                d,
                attr,
                (&raw mut v).cast(),
                0,
                std::ptr::null_mut(),
                &mut diags,
            )
        }?;
        Ok(v)
    }

    fn set(d: &Dbc, attr: i32, v: usize) -> (Result<Outcome, OdbcError>, Diags) {
        let mut diags = Diags::new();
        let r = unsafe { set_attr::<Narrow>(d, attr, v as SqlPointer, 0, &mut diags) };
        (r, diags)
    }

    #[test]
    fn autocommit_access_mode_and_timeouts() {
        let d = dbc();
        assert_eq!(get_int(&d, SQL_ATTR_AUTOCOMMIT).unwrap(), 1);
        assert_eq!(
            set(&d, SQL_ATTR_AUTOCOMMIT, 0).0.unwrap_err().sqlstate,
            "HYC00"
        );
        set(&d, SQL_ATTR_AUTOCOMMIT, 1).0.unwrap();
        let (r, w) = set(&d, SQL_ATTR_ACCESS_MODE, 0);
        r.unwrap();
        assert_eq!(w.records()[0].sqlstate, "01S02");
        assert_eq!(get_int(&d, SQL_ATTR_ACCESS_MODE).unwrap(), 1);
        set(&d, SQL_ATTR_LOGIN_TIMEOUT, 7).0.unwrap();
        assert_eq!(get_int(&d, SQL_ATTR_LOGIN_TIMEOUT).unwrap(), 7);
        assert_eq!(
            d.state.lock().unwrap().login_timeout,
            Some(Duration::from_secs(7))
        );
    }

    #[test]
    fn read_only_and_unknown_attributes() {
        let d = dbc();
        for a in [
            SQL_ATTR_E6_ACTIVE_STRATEGY,
            SQL_ATTR_E6_PENDING_STRATEGY,
            SQL_ATTR_E6_STRATEGY_STATE,
            SQL_ATTR_CONNECTION_DEAD,
        ] {
            let e = set(&d, a, 1).0.unwrap_err();
            assert_eq!(e.sqlstate, "HY092");
            assert!(e.message.contains("read-only"));
        }
        assert_eq!(set(&d, 4711, 1).0.unwrap_err().sqlstate, "HY092");
        assert_eq!(get_int(&d, 4711).unwrap_err().sqlstate, "HY092");
        // Strategy attributes need a connection.
        assert_eq!(
            get_int(&d, SQL_ATTR_E6_ACTIVE_STRATEGY)
                .unwrap_err()
                .sqlstate,
            "08003"
        );
        assert_eq!(get_int(&d, SQL_ATTR_CONNECTION_DEAD).unwrap(), 1);
    }

    #[test]
    fn catalog_before_connect_is_kept_and_read_back_wide() {
        let d = dbc();
        let name: Vec<u16> = "tpch".encode_utf16().collect();
        let mut diags = Diags::new();
        unsafe {
            set_attr::<Wide>(
                &d,
                SQL_ATTR_CURRENT_CATALOG,
                name.as_ptr() as SqlPointer,
                8,
                &mut diags,
            )
        }
        .unwrap();
        let mut buf = [0u16; 16];
        let mut len = 0i32;
        unsafe {
            get_attr::<Wide>(
                &d,
                SQL_ATTR_CURRENT_CATALOG,
                buf.as_mut_ptr().cast(),
                32,
                &mut len,
                &mut diags,
            )
        }
        .unwrap();
        assert_eq!(len, 8);
        assert_eq!(String::from_utf16_lossy(&buf[..4]), "tpch");
    }
}
