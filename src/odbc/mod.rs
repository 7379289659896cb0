//! The ODBC layer: exported API, handles, diagnostics and conversions over [`crate::client`].
//! It knows nothing of gRPC.

pub mod convert;
pub mod sqltype;

mod connstr;
mod dbc;
mod desc;
mod diag;
mod dsn;
mod entry;
mod env;
mod errors;
mod exports;
mod ffi;
mod handles;
mod info;
mod lifecycle;
mod logging;
mod out;
mod runtime;
mod settings;
mod stmt;
mod text;
