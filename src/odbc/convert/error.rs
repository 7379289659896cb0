//! Why a conversion failed, with the SQLSTATE the ODBC layer reports for it.

/// A conversion that cannot deliver the value. Warnings (01004, 01S07) are not errors: they
/// travel in [`super::Written`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConvertError {
    /// 22003: the value does not fit the target (whole digits would be lost).
    NumericOverflow,
    /// 22018: text that is not a valid literal of the target type.
    InvalidCharacterValue,
    /// 07006: the specification does not allow this source/target pair.
    RestrictedConversion,
    /// 22008: a date or time outside the target's range (e.g. a year beyond ±32767).
    DatetimeOverflow,
    /// 22007: date/time fields that do not form a valid date or time.
    InvalidDatetimeFormat,
    /// 22015: an interval field too large for the target.
    IntervalOverflow,
    /// 22001: a parameter value would lose data (fractional digits or characters) on its way
    /// to the server's type.
    RightTruncation,
    /// HY090: the buffer or length/indicator value given is not usable for this type.
    InvalidLength,
    /// HYC00: the conversion is legal in ODBC but this driver does not implement it.
    NotImplemented,
    /// Not an error for the application: `SQLGetData` was called again after the whole value
    /// had been returned; the caller answers `SQL_NO_DATA`.
    NoMoreData,
}

impl ConvertError {
    /// The SQLSTATE of this error (`NoMoreData` has none; it reports `"00000"`).
    pub fn sqlstate(&self) -> &'static str {
        match self {
            ConvertError::NumericOverflow => "22003",
            ConvertError::InvalidCharacterValue => "22018",
            ConvertError::RestrictedConversion => "07006",
            ConvertError::DatetimeOverflow => "22008",
            ConvertError::InvalidDatetimeFormat => "22007",
            ConvertError::IntervalOverflow => "22015",
            ConvertError::RightTruncation => "22001",
            ConvertError::InvalidLength => "HY090",
            ConvertError::NotImplemented => "HYC00",
            ConvertError::NoMoreData => "00000",
        }
    }

    /// What happened and what to do, for the diagnostic record.
    pub fn message(&self) -> String {
        match self {
            ConvertError::NumericOverflow => {
                "numeric value out of range: the value does not fit the requested C type or \
                 buffer; bind a wider type (e.g. SQL_C_SBIGINT, SQL_C_CHAR) or a larger buffer"
            }
            ConvertError::InvalidCharacterValue => {
                "invalid character value for cast: the text is not a valid literal of the \
                 requested type; fetch it as SQL_C_CHAR/SQL_C_WCHAR or fix the value"
            }
            ConvertError::RestrictedConversion => {
                "restricted data type attribute violation: this SQL type cannot be converted \
                 to the requested C type; bind SQL_C_CHAR/SQL_C_WCHAR or the column's default \
                 C type"
            }
            ConvertError::DatetimeOverflow => {
                "datetime field overflow: the date or time is outside the range of the \
                 requested type (years -32768..32767); fetch it as SQL_C_CHAR"
            }
            ConvertError::InvalidDatetimeFormat => {
                "invalid datetime format: the date/time fields do not form a valid date or \
                 time (month 1-12, day within the month, hour 0-23, minute and second 0-59)"
            }
            ConvertError::IntervalOverflow => {
                "interval field overflow: an interval field is too large for the target; use \
                 SQL_C_CHAR"
            }
            ConvertError::RightTruncation => {
                "string data, right truncated: the parameter value would lose digits or \
                 characters when converted to its SQL type; bind a wider SQL type"
            }
            ConvertError::InvalidLength => {
                "invalid string or buffer length: the buffer or length/indicator value does \
                 not fit the C type; pass the full structure size, SQL_NTS or a byte length"
            }
            ConvertError::NotImplemented => {
                "optional feature not implemented: this conversion is not supported by the \
                 e6data driver; bind the parameter as SQL_C_CHAR with a character SQL type"
            }
            ConvertError::NoMoreData => "no more data: the whole value was already returned",
        }
        .to_string()
    }
}

impl std::fmt::Display for ConvertError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "[{}] {}", self.sqlstate(), self.message())
    }
}

impl std::error::Error for ConvertError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_error_has_state_and_message() {
        for (e, state) in [
            (ConvertError::NumericOverflow, "22003"),
            (ConvertError::InvalidCharacterValue, "22018"),
            (ConvertError::RestrictedConversion, "07006"),
            (ConvertError::DatetimeOverflow, "22008"),
            (ConvertError::InvalidDatetimeFormat, "22007"),
            (ConvertError::IntervalOverflow, "22015"),
            (ConvertError::RightTruncation, "22001"),
            (ConvertError::InvalidLength, "HY090"),
            (ConvertError::NotImplemented, "HYC00"),
            (ConvertError::NoMoreData, "00000"),
        ] {
            assert_eq!(e.sqlstate(), state);
            assert!(e.message().len() > 20);
            assert!(e.to_string().starts_with(&format!("[{state}]")));
        }
    }
}
