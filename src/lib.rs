//! e6data-odbc: an ODBC 3.8 driver for the e6data distributed SQL engine.
//!
//! Layers, from the wire up:
//! - [`proto`]: generated gRPC messages, clients and servers (QueryEngineService, ClusterService);
//! - [`wire`]: pure codecs for result metadata and Thrift-binary result chunks;
//! - [`client`]: the async e6data client with the per-target blue/green strategy store;
//! - `odbc`: the ODBC API (handles, diagnostics, conversions) over the client.

pub mod client;
pub mod odbc;
pub mod proto;
pub mod wire;
