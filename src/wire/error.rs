//! Errors of the wire codecs.

/// A malformed or unsupported byte sequence, or values that cannot be encoded. Decoders never
/// panic and never allocate more than the input can justify; every failure is one of these.
///
/// The messages describe the defect precisely; the layers above add what the user should do
/// (for decoding errors: the server sent a result this driver cannot read).
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
    /// Well-formed data that the format allows but no e6data client supports (the legacy
    /// `TIMESTAMP` and `INT96` vector types).
    #[error("unsupported data at offset {offset}: {reason}")]
    Unsupported {
        /// Byte offset of the value.
        offset: usize,
        /// What is unsupported and what the sender should do instead.
        reason: String,
    },
    /// Values that do not fit together: a column whose values do not match its vector type or
    /// row count, a chunk whose vector count differs from the metadata, or a value too large for
    /// the format. Raised by constructors, encoders and cross-checks, not tied to a byte offset.
    #[error("inconsistent result data: {reason}")]
    Inconsistent {
        /// What did not match.
        reason: String,
    },
}

impl WireError {
    /// A [`WireError::Malformed`] at `offset`.
    pub(crate) fn malformed(offset: usize, reason: impl Into<String>) -> Self {
        Self::Malformed {
            offset,
            reason: reason.into(),
        }
    }

    /// A [`WireError::Inconsistent`].
    pub(crate) fn inconsistent(reason: impl Into<String>) -> Self {
        Self::Inconsistent {
            reason: reason.into(),
        }
    }
}
