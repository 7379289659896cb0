//! The ODBC layer: exported API, handles, diagnostics and conversions over [`crate::client`].
//! It knows nothing of gRPC.

pub mod convert;
pub mod sqltype;

mod catalog;
mod connstr;
mod dbc;
mod desc;
mod diag;
mod dsn;
mod entry;
mod env;
mod errors;
mod escape;
mod exports;
mod ffi;
mod handles;
mod info;
mod info_table;
mod lifecycle;
mod logging;
mod out;
mod runtime;
mod settings;
mod stmt;
mod text;
