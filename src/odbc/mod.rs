//! The ODBC layer: exported API, handles, diagnostics and conversions over [`crate::client`].
//! It knows nothing of gRPC.

pub mod convert;
pub mod sqltype;
