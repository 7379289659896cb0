//! Errors of the wire codecs.

/// A malformed or unsupported byte sequence. Decoders never panic and never allocate more
/// than the input can justify; every failure is one of these.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WireError {
    /// The input ended before a value was complete.
    #[error("truncated input at offset {offset}: needed {needed} more bytes")]
    Truncated {
        /// Byte offset where the read started.
        offset: usize,
        /// Bytes that were missing.
        needed: usize,
    },
    /// Anything else that does not follow the format.
    #[error("malformed data at offset {offset}: {reason}")]
    Malformed {
        /// Byte offset of the problem.
        offset: usize,
        /// What was wrong.
        reason: String,
    },
}
