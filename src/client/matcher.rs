//! Classification of gRPC statuses that drive the blue/green and session logic (spec §5.2,
//! §6.6.3). Each condition is decided by exactly one function here, used everywhere.
//!
//! - wrong colour (HTTP 456): `UNKNOWN` whose message matches `status:\s*456`
//!   (case-insensitive; grpcio's `Received http2 header with status: 456` and the gateway's
//!   `status: 456`) or contains `HTTP status code 456` (tonic's
//!   `grpc-status header missing, mapped from HTTP status code 456`); or `INVALID_ARGUMENT`
//!   whose message contains `status: 456` case-insensitively (the reference mock's
//!   `Wrong strategy. Status: 456. ...`);
//! - suspended (HTTP 503): `UNAVAILABLE` with `status:\s*503` or `HTTP status code 503`;
//! - session expired: `INTERNAL` containing `Access denied`;
//! - transport failure: `UNKNOWN` made by the client's own transport from an I/O or HTTP/2
//!   error (the connection broke mid-call), told apart from a server's `UNKNOWN` by the error
//!   it carries as its source.

use tonic::{Code, Status};

/// `true` when `status` says the request carried the wrong blue/green colour.
pub fn is_wrong_colour(status: &Status) -> bool {
    wrong_colour(status.code(), status.message())
}

/// `true` when `status` says the cluster is suspended.
pub fn is_suspended(status: &Status) -> bool {
    suspended(status.code(), status.message())
}

/// `true` when `status` says the session expired or is invalid.
pub fn is_access_denied(status: &Status) -> bool {
    access_denied(status.code(), status.message())
}

/// `true` when `status` did not come from the server but from the transport failing mid-call.
pub fn is_transport_failure(status: &Status) -> bool {
    if status.code() != Code::Unknown {
        return false;
    }
    let mut source = std::error::Error::source(status);
    while let Some(err) = source {
        if err.is::<tonic::transport::Error>() || err.is::<std::io::Error>() {
            return true;
        }
        source = err.source();
    }
    false
}

/// [`is_wrong_colour`] over a code and a message.
pub fn wrong_colour(code: Code, message: &str) -> bool {
    match code {
        Code::Unknown => has_status_number(message, "456") || has_http_code(message, "456"),
        Code::InvalidArgument => has_status_number(message, "456"),
        _ => false,
    }
}

/// [`is_suspended`] over a code and a message.
pub fn suspended(code: Code, message: &str) -> bool {
    code == Code::Unavailable
        && (has_status_number(message, "503") || has_http_code(message, "503"))
}

/// [`is_access_denied`] over a code and a message.
pub fn access_denied(code: Code, message: &str) -> bool {
    code == Code::Internal && message.to_ascii_lowercase().contains("access denied")
}

/// Case-insensitive `status:\s*<number>` not followed by another digit.
fn has_status_number(message: &str, number: &str) -> bool {
    let lower = message.to_ascii_lowercase();
    let mut rest = lower.as_str();
    while let Some(at) = rest.find("status:") {
        let after = rest.get(at + "status:".len()..).unwrap_or("");
        let digits = after.trim_start();
        if number_at_start(digits, number) {
            return true;
        }
        rest = after;
    }
    false
}

/// Case-insensitive `HTTP status code <number>` not followed by another digit.
fn has_http_code(message: &str, number: &str) -> bool {
    let lower = message.to_ascii_lowercase();
    let needle = "http status code ";
    let mut rest = lower.as_str();
    while let Some(at) = rest.find(needle) {
        let after = rest.get(at + needle.len()..).unwrap_or("");
        if number_at_start(after, number) {
            return true;
        }
        rest = after;
    }
    false
}

fn number_at_start(text: &str, number: &str) -> bool {
    text.strip_prefix(number)
        .is_some_and(|tail| !tail.starts_with(|c: char| c.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const GRPCIO_456: &str = "Received http2 header with status: 456";
    const TONIC_456: &str = "grpc-status header missing, mapped from HTTP status code 456";
    const GRPC_456: &str = "status: 456";
    const MOCK_456: &str = "Wrong strategy. Status: 456. Expected: green, Got: blue";

    #[test]
    fn transport_failures_are_told_from_server_unknowns() {
        let reset = std::io::Error::new(std::io::ErrorKind::ConnectionReset, "reset by peer");
        let broken = Status::from_error(Box::new(reset));
        assert_eq!(broken.code(), Code::Unknown);
        assert!(is_transport_failure(&broken));
        assert!(!is_transport_failure(&Status::unknown("transport error")));
        assert!(!is_transport_failure(&Status::internal("boom")));
    }

    #[test]
    fn wrong_colour_in_every_form() {
        assert!(wrong_colour(Code::Unknown, GRPCIO_456));
        assert!(wrong_colour(Code::Unknown, TONIC_456));
        assert!(wrong_colour(Code::Unknown, GRPC_456));
        assert!(wrong_colour(Code::Unknown, "STATUS:456"));
        assert!(wrong_colour(
            Code::Unknown,
            "status:\t 456, wrong deployment"
        ));
        assert!(wrong_colour(Code::InvalidArgument, MOCK_456));
        assert!(wrong_colour(Code::InvalidArgument, GRPC_456));
    }

    #[test]
    fn wrong_colour_rejects_near_misses() {
        assert!(!wrong_colour(Code::Internal, GRPC_456));
        assert!(!wrong_colour(Code::Unavailable, TONIC_456));
        assert!(!wrong_colour(Code::Unknown, "status: 4567"));
        assert!(!wrong_colour(Code::Unknown, "status: 500"));
        assert!(!wrong_colour(
            Code::Unknown,
            "mapped from HTTP status code 500"
        ));
        assert!(!wrong_colour(Code::Unknown, "456"));
        assert!(!wrong_colour(
            Code::InvalidArgument,
            "syntax error near 456"
        ));
        assert!(!wrong_colour(Code::InvalidArgument, TONIC_456));
        assert!(!wrong_colour(Code::Ok, GRPC_456));
    }

    #[test]
    fn suspended_forms() {
        assert!(suspended(
            Code::Unavailable,
            "status: 503, cluster is suspended"
        ));
        assert!(suspended(
            Code::Unavailable,
            "Received http2 header with status: 503"
        ));
        assert!(suspended(
            Code::Unavailable,
            "grpc-status header missing, mapped from HTTP status code 503"
        ));
        assert!(!suspended(
            Code::Unknown,
            "status: 503, cluster is suspended"
        ));
        assert!(!suspended(Code::Unavailable, "connection refused"));
        assert!(!suspended(Code::Unavailable, "status: 5030"));
    }

    #[test]
    fn access_denied_forms() {
        assert!(access_denied(Code::Internal, "Access denied"));
        assert!(access_denied(
            Code::Internal,
            "planner: Access denied for session s-1"
        ));
        assert!(!access_denied(Code::Unknown, "Access denied"));
        assert!(!access_denied(Code::Internal, "denied"));
    }

    #[test]
    fn status_wrappers_agree() {
        assert!(is_wrong_colour(&Status::unknown(TONIC_456)));
        assert!(is_suspended(&Status::unavailable(
            "status: 503, cluster is suspended"
        )));
        assert!(is_access_denied(&Status::internal("Access denied")));
    }
}
