//! Thrift field ids of the e6data vector IDL (spec §7.2) and which `Data` union member carries
//! which vector type.

use super::VectorType;

/// `Chunk.size` (i32).
pub(super) const CHUNK_SIZE: i16 = 1;
/// `Chunk.vectors` (list<Vector>).
pub(super) const CHUNK_VECTORS: i16 = 2;

/// `Vector.size` (i32).
pub(super) const VECTOR_SIZE: i16 = 1;
/// `Vector.vectorType` (i32 enum).
pub(super) const VECTOR_TYPE: i16 = 2;
/// `Vector.nullSet` (list<bool>).
pub(super) const VECTOR_NULL_SET: i16 = 3;
/// `Vector.data` (union `Data`).
pub(super) const VECTOR_DATA: i16 = 4;
/// `Vector.isConstantVector` (bool).
pub(super) const VECTOR_IS_CONSTANT: i16 = 5;

/// Field 1 of every `Data` member struct: the value or the list of values.
pub(super) const MEMBER_DATA: i16 = 1;
/// Field 2 of `TimeData` / `TimeConstantData`: the zone(s).
pub(super) const MEMBER_ZONE: i16 = 2;
/// Field 2 of `Decimal128Data` / `NumericDecimal128ConstantData`: the scale.
pub(super) const MEMBER_SCALE: i16 = 2;

/// A member of the `Data` union; the discriminant is its field id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Member {
    BoolData = 1,
    Int32Data = 2,
    Int64Data = 3,
    DateData = 4,
    Float32Data = 5,
    Float64Data = 6,
    VarcharData = 7,
    BoolConstantData = 8,
    DateConstantData = 9,
    NullConstantData = 10,
    NumericConstantData = 11,
    NumericDecimalConstantData = 12,
    TemporalIntervalConstantData = 13,
    TimeConstantData = 14,
    VarcharConstantData = 15,
    TimeData = 16,
    Decimal128Data = 17,
    NumericDecimal128ConstantData = 18,
}

impl Member {
    const ALL: [Member; 18] = [
        Self::BoolData,
        Self::Int32Data,
        Self::Int64Data,
        Self::DateData,
        Self::Float32Data,
        Self::Float64Data,
        Self::VarcharData,
        Self::BoolConstantData,
        Self::DateConstantData,
        Self::NullConstantData,
        Self::NumericConstantData,
        Self::NumericDecimalConstantData,
        Self::TemporalIntervalConstantData,
        Self::TimeConstantData,
        Self::VarcharConstantData,
        Self::TimeData,
        Self::Decimal128Data,
        Self::NumericDecimal128ConstantData,
    ];

    /// The member with field id `id`, if the IDL defines one.
    pub(super) fn from_id(id: i16) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.id() == id)
    }

    /// The field id in the `Data` union.
    pub(super) fn id(self) -> i16 {
        self as i16
    }

    /// The IDL name, for messages.
    pub(super) fn name(self) -> &'static str {
        match self {
            Self::BoolData => "boolData",
            Self::Int32Data => "int32Data",
            Self::Int64Data => "int64Data",
            Self::DateData => "dateData",
            Self::Float32Data => "float32Data",
            Self::Float64Data => "float64Data",
            Self::VarcharData => "varcharData",
            Self::BoolConstantData => "boolConstantData",
            Self::DateConstantData => "dateConstantData",
            Self::NullConstantData => "nullConstantData",
            Self::NumericConstantData => "numericConstantData",
            Self::NumericDecimalConstantData => "numericDecimalConstantData",
            Self::TemporalIntervalConstantData => "temporalIntervalConstantData",
            Self::TimeConstantData => "timeConstantData",
            Self::VarcharConstantData => "varcharConstantData",
            Self::TimeData => "timeData",
            Self::Decimal128Data => "decimal128Data",
            Self::NumericDecimal128ConstantData => "numericDecimal128ConstantData",
        }
    }

    /// The member that carries a (constant or non-constant) vector of `vector_type`, per the
    /// spec §7.2 table. `NULL` vectors use `nullConstantData`; `None` for `TIMESTAMP`/`INT96`.
    pub(super) fn for_vector(vector_type: VectorType, constant: bool) -> Option<Self> {
        use VectorType as V;
        Some(match (vector_type, constant) {
            (V::Long | V::IntervalDaySecond, false) => Self::Int64Data,
            (V::Integer, false) => Self::Int32Data,
            (V::Long | V::IntervalDaySecond | V::Integer, true) => Self::NumericConstantData,
            (V::Double, false) => Self::Float64Data,
            (V::Float, false) => Self::Float32Data,
            (V::Double | V::Float, true) => Self::NumericDecimalConstantData,
            (V::Boolean, false) => Self::BoolData,
            (V::Boolean, true) => Self::BoolConstantData,
            (V::String | V::Binary | V::Array | V::Map | V::Struct, false) => Self::VarcharData,
            (V::String | V::Binary | V::Array | V::Map | V::Struct, true) => {
                Self::VarcharConstantData
            }
            (V::Date, false) => Self::DateData,
            (V::Date, true) => Self::DateConstantData,
            (V::DateTime | V::TimestampTz, false) => Self::TimeData,
            (V::DateTime | V::TimestampTz, true) => Self::TimeConstantData,
            (V::Decimal128, false) => Self::Decimal128Data,
            (V::Decimal128, true) => Self::NumericDecimal128ConstantData,
            (V::Null, _) => Self::NullConstantData,
            (V::Timestamp | V::Int96, _) => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip() {
        for id in -1..=20 {
            if let Some(m) = Member::from_id(id) {
                assert_eq!(m.id(), id);
            } else {
                assert!(!(1..=18).contains(&id));
            }
        }
    }

    #[test]
    fn only_legacy_types_have_no_member() {
        for t in VectorType::ALL {
            for constant in [false, true] {
                let member = Member::for_vector(t, constant);
                let legacy = matches!(t, VectorType::Timestamp | VectorType::Int96);
                assert_eq!(member.is_none(), legacy, "{t} constant={constant}");
            }
        }
    }
}
