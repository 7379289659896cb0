//! How client errors become ODBC diagnostics (SQLSTATE per error kind).

use crate::client::{ClientError, ErrorKind};

use super::diag::OdbcError;

/// The SQLSTATE of a client error kind outside of connecting.
pub fn sqlstate(kind: ErrorKind) -> &'static str {
    match kind {
        ErrorKind::Auth => "28000",
        ErrorKind::Connect | ErrorKind::Suspended => "08001",
        ErrorKind::LinkLost | ErrorKind::Routing | ErrorKind::SessionExpired => "08S01",
        ErrorKind::Timeout => "HYT00",
        ErrorKind::Cancelled => "HY008",
        ErrorKind::Syntax => "42000",
        ErrorKind::Server | ErrorKind::Protocol | ErrorKind::Config => "HY000",
        ErrorKind::Parameter => "22018",
    }
}

/// A client error raised by a statement or catalog call.
pub fn from_client(e: &ClientError) -> OdbcError {
    OdbcError::new(sqlstate(e.kind()), e.message().to_string())
}

/// A client error raised while connecting: configuration problems are connection failures.
pub fn from_connect(e: &ClientError) -> OdbcError {
    let state = match e.kind() {
        ErrorKind::Config => "08001",
        kind => sqlstate(kind),
    };
    OdbcError::new(state, e.message().to_string())
}

/// `true` when the error means the link to the server is gone (SQL_ATTR_CONNECTION_DEAD).
pub fn is_link_failure(kind: ErrorKind) -> bool {
    matches!(kind, ErrorKind::LinkLost | ErrorKind::Connect)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_the_contract_sqlstate() {
        let table = [
            (ErrorKind::Auth, "28000"),
            (ErrorKind::Connect, "08001"),
            (ErrorKind::LinkLost, "08S01"),
            (ErrorKind::Routing, "08S01"),
            (ErrorKind::SessionExpired, "08S01"),
            (ErrorKind::Suspended, "08001"),
            (ErrorKind::Timeout, "HYT00"),
            (ErrorKind::Cancelled, "HY008"),
            (ErrorKind::Syntax, "42000"),
            (ErrorKind::Server, "HY000"),
            (ErrorKind::Protocol, "HY000"),
            (ErrorKind::Config, "HY000"),
            (ErrorKind::Parameter, "22018"),
        ];
        for (kind, state) in table {
            assert_eq!(sqlstate(kind), state, "{kind:?}");
        }
        assert!(is_link_failure(ErrorKind::LinkLost));
        assert!(!is_link_failure(ErrorKind::Syntax));
    }
}
