//! Typed client errors. Every error has a [`ErrorKind`] (which the ODBC layer maps to a
//! SQLSTATE) and a message that says what happened and what to do. Messages never contain
//! credentials.

use std::fmt;

use tonic::Code;

use super::matcher;

/// What went wrong, at the granularity the ODBC layer needs for SQLSTATEs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// Bad credentials or an empty session id (ODBC 28000).
    Auth,
    /// Cannot reach the server, or TLS set-up failed (08001).
    Connect,
    /// The transport failed in the middle of a call (08S01).
    LinkLost,
    /// Both colours rejected (456), or a 456 on a pinned query, which is lost (08S01).
    Routing,
    /// The cluster is suspended and resume is off, failed or timed out (08001; HYT00 if timed out).
    Suspended,
    /// `Access denied` that could not be recovered (08S01).
    SessionExpired,
    /// A deadline was exceeded (HYT00).
    Timeout,
    /// Cancelled through a cancel token (HY008).
    Cancelled,
    /// The server rejected the SQL (INVALID_ARGUMENT) (42000).
    Syntax,
    /// Any other server error (HY000).
    Server,
    /// Malformed bytes from the server (HY000).
    Protocol,
    /// A bad configuration value (HY000/08001).
    Config,
    /// A bad parameter value for substitution (07006/22018).
    Parameter,
}

/// An error of the e6data client.
#[derive(Debug, Clone)]
pub struct ClientError {
    kind: ErrorKind,
    message: String,
    code: Option<Code>,
    timed_out: bool,
}

impl ClientError {
    /// An error of `kind` with `message`.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        ClientError {
            kind,
            message: message.into(),
            code: None,
            timed_out: false,
        }
    }

    /// The kind of error.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The human-readable message.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The gRPC status code the server (or transport) reported, if the error came from one.
    pub fn grpc_code(&self) -> Option<Code> {
        self.code
    }

    /// `true` when the error is the expiry of a time limit (a `Timeout`, or a `Suspended`
    /// whose resume did not finish in time): the ODBC layer reports HYT00 for these.
    pub fn timed_out(&self) -> bool {
        self.timed_out || self.kind == ErrorKind::Timeout
    }

    pub(crate) fn with_code(mut self, code: Code) -> Self {
        self.code = Some(code);
        self
    }

    pub(crate) fn with_timed_out(mut self) -> Self {
        self.timed_out = true;
        self
    }

    /// Maps a gRPC status from an RPC named `rpc` to an error. `connecting` is true while the
    /// connection is being established (UNAVAILABLE then means the server cannot be reached).
    pub(crate) fn from_status(status: &tonic::Status, rpc: &str, connecting: bool) -> Self {
        let code = status.code();
        let detail = status.message();
        let (kind, message) = if matcher::is_wrong_colour(status) {
            (
                ErrorKind::Routing,
                format!(
                    "{rpc}: the deployment rejected the request's blue/green colour (456): {detail}; \
                     retry the operation"
                ),
            )
        } else if matcher::is_suspended(status) {
            (
                ErrorKind::Suspended,
                format!(
                    "{rpc}: the cluster is suspended ({detail}); resume it (or enable auto-resume) \
                     and retry"
                ),
            )
        } else if matcher::is_access_denied(status) {
            (
                ErrorKind::SessionExpired,
                format!(
                    "{rpc}: the session is no longer valid ({detail}); reconnect and re-run the \
                     statement"
                ),
            )
        } else {
            // A CANCELLED reply is never this client's own cancel (a cancel token ends the wait
            // before any reply is read): the transport closed the call (a reset connection) or
            // the server dropped the query. Both, like a transport failure, lose the link.
            let broken = matches!(code, Code::Unavailable | Code::Cancelled)
                || matcher::is_transport_failure(status);
            match code {
                _ if broken && connecting => (
                    ErrorKind::Connect,
                    format!(
                        "cannot reach the e6data engine ({rpc}: {detail}); check host, port, TLS \
                         settings and that the cluster is running"
                    ),
                ),
                _ if broken => (
                    ErrorKind::LinkLost,
                    format!(
                        "{rpc}: the connection to the engine was lost ({detail}); reconnect and \
                         retry"
                    ),
                ),
                Code::DeadlineExceeded => (
                    ErrorKind::Timeout,
                    format!("{rpc}: the time limit was exceeded ({detail})"),
                ),
                Code::InvalidArgument => (
                    ErrorKind::Syntax,
                    format!("{rpc}: the engine rejected the statement: {detail}"),
                ),
                Code::Unauthenticated | Code::PermissionDenied => (
                    ErrorKind::Auth,
                    format!(
                        "{rpc}: the engine refused the credentials ({detail}); check the user \
                         name and token"
                    ),
                ),
                _ => (
                    ErrorKind::Server,
                    format!("{rpc}: the engine reported an error ({code:?}): {detail}"),
                ),
            }
        };
        ClientError::new(kind, message).with_code(code)
    }

    /// A malformed server reply.
    pub(crate) fn protocol(rpc: &str, what: impl fmt::Display) -> Self {
        ClientError::new(
            ErrorKind::Protocol,
            format!(
                "{rpc}: the engine sent a malformed reply ({what}); report this to the operator"
            ),
        )
    }
}

impl fmt::Display for ClientError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ClientError {}

#[cfg(test)]
mod tests {
    use super::*;
    use tonic::Status;

    #[test]
    fn status_codes_map_to_kinds() {
        let cases = [
            (Status::unavailable("down"), false, ErrorKind::LinkLost),
            (Status::unavailable("down"), true, ErrorKind::Connect),
            (Status::deadline_exceeded("slow"), false, ErrorKind::Timeout),
            (Status::cancelled("x"), false, ErrorKind::LinkLost),
            (
                Status::invalid_argument("bad sql"),
                false,
                ErrorKind::Syntax,
            ),
            (Status::unauthenticated("no"), false, ErrorKind::Auth),
            (Status::permission_denied("no"), false, ErrorKind::Auth),
            (Status::internal("boom"), false, ErrorKind::Server),
            (Status::unknown("status: 456"), false, ErrorKind::Routing),
            (
                Status::unavailable("status: 503, cluster is suspended"),
                false,
                ErrorKind::Suspended,
            ),
            (
                Status::internal("Access denied"),
                false,
                ErrorKind::SessionExpired,
            ),
        ];
        for (status, connecting, kind) in cases {
            let e = ClientError::from_status(&status, "rpc", connecting);
            assert_eq!(e.kind(), kind, "{status:?}");
            assert_eq!(e.grpc_code(), Some(status.code()));
            assert!(e.message().starts_with("rpc") || e.message().contains("rpc"));
        }
    }

    #[test]
    fn timed_out_flag() {
        assert!(ClientError::new(ErrorKind::Timeout, "t").timed_out());
        assert!(!ClientError::new(ErrorKind::Suspended, "s").timed_out());
        assert!(
            ClientError::new(ErrorKind::Suspended, "s")
                .with_timed_out()
                .timed_out()
        );
    }
}
