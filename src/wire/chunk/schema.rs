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

/// A member of the `Data` union, named without the IDL's `Data` suffix ([`Member::name`] gives
/// the IDL name); the discriminant is its field id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Member {
    Bool = 1,
    Int32 = 2,
    Int64 = 3,
    Date = 4,
    Float32 = 5,
    Float64 = 6,
    Varchar = 7,
    BoolConstant = 8,
    DateConstant = 9,
    NullConstant = 10,
    NumericConstant = 11,
    NumericDecimalConstant = 12,
    TemporalIntervalConstant = 13,
    TimeConstant = 14,
    VarcharConstant = 15,
    Time = 16,
    Decimal128 = 17,
    NumericDecimal128Constant = 18,
}

impl Member {
    const ALL: [Member; 18] = [
        Self::Bool,
        Self::Int32,
        Self::Int64,
        Self::Date,
        Self::Float32,
        Self::Float64,
        Self::Varchar,
        Self::BoolConstant,
        Self::DateConstant,
        Self::NullConstant,
        Self::NumericConstant,
        Self::NumericDecimalConstant,
        Self::TemporalIntervalConstant,
        Self::TimeConstant,
        Self::VarcharConstant,
        Self::Time,
        Self::Decimal128,
        Self::NumericDecimal128Constant,
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
            Self::Bool => "boolData",
            Self::Int32 => "int32Data",
            Self::Int64 => "int64Data",
            Self::Date => "dateData",
            Self::Float32 => "float32Data",
            Self::Float64 => "float64Data",
            Self::Varchar => "varcharData",
            Self::BoolConstant => "boolConstantData",
            Self::DateConstant => "dateConstantData",
            Self::NullConstant => "nullConstantData",
            Self::NumericConstant => "numericConstantData",
            Self::NumericDecimalConstant => "numericDecimalConstantData",
            Self::TemporalIntervalConstant => "temporalIntervalConstantData",
            Self::TimeConstant => "timeConstantData",
            Self::VarcharConstant => "varcharConstantData",
            Self::Time => "timeData",
            Self::Decimal128 => "decimal128Data",
            Self::NumericDecimal128Constant => "numericDecimal128ConstantData",
        }
    }

    /// The member that carries a (constant or non-constant) vector of `vector_type`, per the
    /// spec §7.2 table. `NULL` vectors use `nullConstantData`; `None` for `TIMESTAMP`/`INT96`.
    pub(super) fn for_vector(vector_type: VectorType, constant: bool) -> Option<Self> {
        use VectorType as V;
        Some(match (vector_type, constant) {
            (V::Long | V::IntervalDaySecond, false) => Self::Int64,
            (V::Integer, false) => Self::Int32,
            (V::Long | V::IntervalDaySecond | V::Integer, true) => Self::NumericConstant,
            (V::Double, false) => Self::Float64,
            (V::Float, false) => Self::Float32,
            (V::Double | V::Float, true) => Self::NumericDecimalConstant,
            (V::Boolean, false) => Self::Bool,
            (V::Boolean, true) => Self::BoolConstant,
            (V::String | V::Binary | V::Array | V::Map | V::Struct, false) => Self::Varchar,
            (V::String | V::Binary | V::Array | V::Map | V::Struct, true) => Self::VarcharConstant,
            (V::Date, false) => Self::Date,
            (V::Date, true) => Self::DateConstant,
            (V::DateTime | V::TimestampTz, false) => Self::Time,
            (V::DateTime | V::TimestampTz, true) => Self::TimeConstant,
            (V::Decimal128, false) => Self::Decimal128,
            (V::Decimal128, true) => Self::NumericDecimal128Constant,
            (V::Null, _) => Self::NullConstant,
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
