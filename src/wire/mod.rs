//! Pure codecs over bytes: no I/O, no ODBC, no gRPC. Both directions, so the client decodes
//! and e6data-local encodes with the same code.
//!
//! - [`metadata`]: `GetResultMetadataResponse.resultMetaData` (spec §7.1);
//! - [`chunk`]: the Thrift-binary `Chunk` of a result batch (spec §7.2-7.3), as a columnar batch.

pub mod chunk;
pub mod error;
pub mod metadata;

pub use chunk::{Chunk, Column, ColumnValues, Value, VectorType};
pub use error::WireError;
pub use metadata::{ColumnMeta, ResultMetadata};
