//! Pure codecs over bytes: no I/O, no ODBC, no gRPC. Both directions, so the client decodes
//! and e6data-local encodes with the same code.
//!
//! - [`metadata`]: `GetResultMetadataResponse.resultMetaData` (spec §7.1), with [`mutf8`] for
//!   its Java modified UTF-8 strings;
//! - [`chunk`]: the Thrift-binary `Chunk` of a result batch (spec §7.2-7.3), as a columnar batch,
//!   over the Binary protocol primitives in [`thrift`];
//! - [`decimal`]: DECIMAL128 wire form and fixed-point text.

pub mod chunk;
mod cursor;
pub mod decimal;
pub mod error;
pub mod metadata;
pub mod mutf8;
pub mod thrift;

pub use chunk::{Chunk, Column, ColumnValues, Value, VectorType, decode_chunk, encode_chunk};
pub use decimal::decimal_to_string;
pub use error::WireError;
pub use metadata::{ColumnMeta, ResultMetadata, decode_metadata, encode_metadata};
