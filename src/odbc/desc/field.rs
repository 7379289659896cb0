//! SQLGetDescField / SQLSetDescField / SQLGetDescRec over the descriptor objects.
//!
//! Reads and writes go to the same records SQLBindCol, SQLBindParameter and execution use, so
//! setting `SQL_DESC_DATA_PTR` on an ARD record binds the column exactly as SQLBindCol does.
//! The IRD is read-only (HY016); IPD fields are filled by SQLBindParameter and cannot be set
//! here (HYC00). Record 0 (bookmarks) does not exist: bookmarks are off (07009).

use std::ffi::c_void;

use super::super::convert::CType;
use super::super::diag::{Diags, OdbcError, Outcome};
use super::super::ffi::{
    SQL_DESC_CONCISE_TYPE, SQL_DESC_COUNT, SQL_DESC_DATETIME_INTERVAL_CODE, SQL_DESC_LENGTH,
    SQL_DESC_NAME, SQL_DESC_NULLABLE, SQL_DESC_OCTET_LENGTH, SQL_DESC_PRECISION, SQL_DESC_SCALE,
    SQL_DESC_TYPE, SQL_DESC_UNNAMED, SqlInteger, SqlLen, SqlSmallInt,
};
use super::super::out::{self, Unit};
use super::super::text::Encoding;
use super::{AppRecord, Desc, DescData, DescKind};

/// `SQL_DESC_ARRAY_SIZE`.
pub const SQL_DESC_ARRAY_SIZE: u16 = 20;
/// `SQL_DESC_ARRAY_STATUS_PTR`.
pub const SQL_DESC_ARRAY_STATUS_PTR: u16 = 21;
/// `SQL_DESC_BIND_OFFSET_PTR`.
pub const SQL_DESC_BIND_OFFSET_PTR: u16 = 24;
/// `SQL_DESC_BIND_TYPE`.
pub const SQL_DESC_BIND_TYPE: u16 = 25;
/// `SQL_DESC_PARAMETER_TYPE`.
pub const SQL_DESC_PARAMETER_TYPE: u16 = 33;
/// `SQL_DESC_ROWS_PROCESSED_PTR`.
pub const SQL_DESC_ROWS_PROCESSED_PTR: u16 = 34;
/// `SQL_DESC_OCTET_LENGTH_PTR`.
pub const SQL_DESC_OCTET_LENGTH_PTR: u16 = 1004;
/// `SQL_DESC_INDICATOR_PTR`.
pub const SQL_DESC_INDICATOR_PTR: u16 = 1009;
/// `SQL_DESC_DATA_PTR`.
pub const SQL_DESC_DATA_PTR: u16 = 1010;
/// `SQL_DESC_ALLOC_TYPE`.
pub const SQL_DESC_ALLOC_TYPE: u16 = 1099;
/// `SQL_DESC_ALLOC_AUTO`: every descriptor here is an implicit one.
const SQL_DESC_ALLOC_AUTO: i16 = 1;
/// `SQL_C_DEFAULT`.
const SQL_C_DEFAULT: i16 = 99;
/// `SQL_DATETIME` (verbose type of date/time types).
const SQL_DATETIME: i16 = 9;
/// `SQL_NAMED` / `SQL_UNNAMED`.
const SQL_NAMED: i16 = 0;
const SQL_UNNAMED: i16 = 1;

/// A descriptor field value, typed as the ODBC spec declares the field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldValue {
    /// `SQLSMALLINT` field.
    Small(i16),
    /// `SQLINTEGER` field.
    Int(i32),
    /// `SQLLEN` field.
    Len(isize),
    /// `SQLULEN` field.
    ULen(usize),
    /// Pointer field (an address).
    Ptr(usize),
    /// Character field.
    Text(String),
}

fn unknown_field(field: u16, kind: DescKind) -> OdbcError {
    OdbcError::new(
        "HY091",
        format!("invalid descriptor field identifier {field} for the {kind:?} descriptor"),
    )
}

fn bad_record(record: i16, count: usize) -> OdbcError {
    OdbcError::bad_index(format!(
        "descriptor record {record} does not exist (records 1..={count}; bookmarks are off)"
    ))
}

fn is_header(field: u16) -> bool {
    matches!(
        field,
        SQL_DESC_COUNT
            | SQL_DESC_ARRAY_SIZE
            | SQL_DESC_ARRAY_STATUS_PTR
            | SQL_DESC_BIND_OFFSET_PTR
            | SQL_DESC_BIND_TYPE
            | SQL_DESC_ROWS_PROCESSED_PTR
            | SQL_DESC_ALLOC_TYPE
    )
}

fn count_of(kind: DescKind, data: &DescData) -> usize {
    match kind {
        DescKind::Ard | DescKind::Apd => data.app.len(),
        DescKind::Ird => data.columns.len(),
        DescKind::Ipd => data.params.len(),
    }
}

fn small(n: usize) -> i16 {
    i16::try_from(n).unwrap_or(i16::MAX)
}

fn header_value(kind: DescKind, data: &DescData, field: u16) -> Result<FieldValue, OdbcError> {
    let h = &data.header;
    let app = matches!(kind, DescKind::Ard | DescKind::Apd);
    Ok(match field {
        SQL_DESC_COUNT => FieldValue::Small(small(count_of(kind, data))),
        SQL_DESC_ALLOC_TYPE => FieldValue::Small(SQL_DESC_ALLOC_AUTO),
        SQL_DESC_ARRAY_STATUS_PTR => FieldValue::Ptr(h.array_status_ptr),
        SQL_DESC_ARRAY_SIZE if app => FieldValue::ULen(h.array_size),
        SQL_DESC_BIND_OFFSET_PTR if app => FieldValue::Ptr(h.bind_offset_ptr),
        SQL_DESC_BIND_TYPE if app => FieldValue::Int(i32::try_from(h.bind_type).unwrap_or(0)),
        SQL_DESC_ROWS_PROCESSED_PTR if !app => FieldValue::Ptr(h.rows_processed_ptr),
        _ => return Err(unknown_field(field, kind)),
    })
}

/// `(SQL_DESC_TYPE, SQL_DESC_DATETIME_INTERVAL_CODE)` for a concise C type code.
fn verbose_c_type(c_type: i16) -> (i16, i16) {
    match c_type {
        91..=93 => (SQL_DATETIME, c_type - 90),
        _ => (c_type, 0),
    }
}

fn app_value(kind: DescKind, r: &AppRecord, field: u16) -> Result<FieldValue, OdbcError> {
    let c_type = if r.c_type == 0 {
        SQL_C_DEFAULT
    } else {
        r.c_type
    };
    let (verbose, code) = verbose_c_type(c_type);
    Ok(match field {
        SQL_DESC_CONCISE_TYPE => FieldValue::Small(c_type),
        SQL_DESC_TYPE => FieldValue::Small(verbose),
        SQL_DESC_DATETIME_INTERVAL_CODE => FieldValue::Small(code),
        SQL_DESC_DATA_PTR => FieldValue::Ptr(r.data_ptr),
        SQL_DESC_INDICATOR_PTR => FieldValue::Ptr(r.indicator_ptr),
        SQL_DESC_OCTET_LENGTH_PTR => FieldValue::Ptr(r.octet_length_ptr),
        SQL_DESC_OCTET_LENGTH => FieldValue::Len(r.octet_length),
        SQL_DESC_LENGTH => FieldValue::ULen(usize::try_from(r.octet_length).unwrap_or(0)),
        SQL_DESC_PRECISION => FieldValue::Small(r.precision),
        SQL_DESC_SCALE => FieldValue::Small(r.scale),
        _ => return Err(unknown_field(field, kind)),
    })
}

/// The value of `field` of record `record` (ignored for header fields).
pub fn get_field(
    kind: DescKind,
    data: &DescData,
    record: i16,
    field: u16,
) -> Result<FieldValue, OdbcError> {
    if is_header(field) {
        return header_value(kind, data, field);
    }
    let count = count_of(kind, data);
    let index = usize::try_from(record)
        .ok()
        .and_then(|r| r.checked_sub(1))
        .filter(|i| *i < count)
        .ok_or_else(|| bad_record(record, count))?;
    match kind {
        DescKind::Ard | DescKind::Apd => {
            let r = data
                .app
                .get(index)
                .ok_or_else(|| bad_record(record, count))?;
            app_value(kind, r, field)
        }
        DescKind::Ird => {
            let c = data
                .columns
                .get(index)
                .ok_or_else(|| bad_record(record, count))?;
            let i = &c.info;
            Ok(match field {
                SQL_DESC_NAME => FieldValue::Text(c.name.clone()),
                SQL_DESC_UNNAMED => FieldValue::Small(if c.name.is_empty() {
                    SQL_UNNAMED
                } else {
                    SQL_NAMED
                }),
                SQL_DESC_NULLABLE => FieldValue::Small(c.nullable),
                SQL_DESC_CONCISE_TYPE => FieldValue::Small(i.sql_type),
                SQL_DESC_TYPE => FieldValue::Small(i.verbose_type),
                SQL_DESC_DATETIME_INTERVAL_CODE => FieldValue::Small(i.datetime_sub),
                SQL_DESC_LENGTH => FieldValue::ULen(i.column_size as usize),
                SQL_DESC_OCTET_LENGTH => FieldValue::Len(i.octet_length as isize),
                SQL_DESC_PRECISION => FieldValue::Small(small(i.column_size as usize)),
                SQL_DESC_SCALE => FieldValue::Small(i.decimal_digits),
                _ => return Err(unknown_field(field, kind)),
            })
        }
        DescKind::Ipd => {
            let p = data
                .params
                .get(index)
                .ok_or_else(|| bad_record(record, count))?;
            Ok(match field {
                SQL_DESC_PARAMETER_TYPE => FieldValue::Small(p.io_type),
                SQL_DESC_CONCISE_TYPE | SQL_DESC_TYPE => FieldValue::Small(p.sql_type),
                SQL_DESC_LENGTH => FieldValue::ULen(p.column_size),
                SQL_DESC_PRECISION => FieldValue::Small(small(p.column_size)),
                SQL_DESC_SCALE => FieldValue::Small(p.decimal_digits),
                SQL_DESC_NAME => FieldValue::Text(String::new()),
                SQL_DESC_UNNAMED => FieldValue::Small(SQL_UNNAMED),
                _ => return Err(unknown_field(field, kind)),
            })
        }
    }
}

/// Applies `value` (an integer or address passed by value, as SQLSetDescField does for
/// non-character fields) to `field` of record `record` of an ARD/APD/IRD/IPD.
pub fn set_field(
    kind: DescKind,
    data: &mut DescData,
    record: i16,
    field: u16,
    value: usize,
) -> Result<(), OdbcError> {
    match kind {
        DescKind::Ird => {
            return Err(OdbcError::new(
                "HY016",
                "cannot modify an implementation row descriptor: its fields describe the result",
            ));
        }
        DescKind::Ipd => {
            return Err(OdbcError::new(
                "HYC00",
                "setting implementation parameter descriptor fields is not supported; describe \
                 parameters with SQLBindParameter",
            ));
        }
        DescKind::Ard | DescKind::Apd => {}
    }
    if is_header(field) {
        let h = &mut data.header;
        match field {
            SQL_DESC_ARRAY_SIZE if value == 0 => {
                return Err(OdbcError::new(
                    "HY024",
                    "SQL_DESC_ARRAY_SIZE must be at least 1",
                ));
            }
            SQL_DESC_ARRAY_SIZE => h.array_size = value,
            SQL_DESC_ARRAY_STATUS_PTR => h.array_status_ptr = value,
            SQL_DESC_BIND_OFFSET_PTR => h.bind_offset_ptr = value,
            SQL_DESC_BIND_TYPE => h.bind_type = value,
            SQL_DESC_COUNT => {
                let n = i16::from_ne_bytes((value as u16).to_ne_bytes());
                let n = usize::try_from(n).map_err(|_| {
                    OdbcError::new("HY016", format!("SQL_DESC_COUNT {n} is negative"))
                })?;
                data.app.resize(n, AppRecord::default());
            }
            _ => return Err(unknown_field(field, kind)),
        }
        return Ok(());
    }
    let number = usize::try_from(record)
        .ok()
        .filter(|r| *r >= 1)
        .ok_or_else(|| bad_record(record, data.app.len()))?;
    let r = data.app_record_mut(number);
    let small_value = i16::from_ne_bytes((value as u16).to_ne_bytes());
    match field {
        SQL_DESC_TYPE | SQL_DESC_CONCISE_TYPE => {
            r.c_type = small_value;
            r.data_ptr = 0;
        }
        SQL_DESC_DATA_PTR => {
            r.data_ptr = value;
            if value != 0 {
                if let Err(e) = check_consistency(r) {
                    r.data_ptr = 0;
                    return Err(e);
                }
                if r.c_type == 0 {
                    r.c_type = SQL_C_DEFAULT;
                }
            }
        }
        SQL_DESC_INDICATOR_PTR => r.indicator_ptr = value,
        SQL_DESC_OCTET_LENGTH_PTR => r.octet_length_ptr = value,
        SQL_DESC_OCTET_LENGTH => r.octet_length = value as isize,
        SQL_DESC_PRECISION => r.precision = small_value,
        SQL_DESC_SCALE => r.scale = small_value,
        _ => return Err(unknown_field(field, kind)),
    }
    Ok(())
}

/// The consistency check run when `SQL_DESC_DATA_PTR` is set on an application record.
fn check_consistency(r: &AppRecord) -> Result<(), OdbcError> {
    let type_ok =
        r.c_type == 0 || r.c_type == SQL_C_DEFAULT || CType::from_code(r.c_type).is_some();
    if !type_ok {
        return Err(OdbcError::new(
            "HY021",
            format!(
                "inconsistent descriptor record: C type {} is not supported; set \
                 SQL_DESC_CONCISE_TYPE to a supported C type first",
                r.c_type
            ),
        ));
    }
    if r.octet_length < 0 {
        return Err(OdbcError::new(
            "HY021",
            format!(
                "inconsistent descriptor record: SQL_DESC_OCTET_LENGTH {} is negative",
                r.octet_length
            ),
        ));
    }
    Ok(())
}

/// Arguments of SQLGetDescField(W).
pub struct GetFieldArgs {
    /// `RecNumber`.
    pub record: SqlSmallInt,
    /// `FieldIdentifier`.
    pub field: SqlSmallInt,
    /// `ValuePtr`.
    pub value: *mut c_void,
    /// `BufferLength` (bytes, for character fields).
    pub buffer_length: SqlInteger,
    /// `StringLengthPtr`.
    pub string_length: *mut SqlInteger,
}

/// SQLGetDescField(W).
///
/// # Safety
/// The pointers in `args` follow the SQLGetDescField contract.
pub unsafe fn get_desc_field<E: Encoding>(
    desc: &Desc,
    args: &GetFieldArgs,
    diags: &mut Diags,
) -> Result<Outcome, OdbcError> {
    let field = u16::from_ne_bytes(args.field.to_ne_bytes());
    let value = {
        let data = desc.data.lock();
        get_field(desc.kind(), &data, args.record, field)?
    };
    // SAFETY: per the caller, `value` is valid for the field's type.
    unsafe {
        match value {
            FieldValue::Small(n) => out::write_if_some(args.value.cast::<i16>(), n),
            FieldValue::Int(n) => out::write_if_some(args.value.cast::<i32>(), n),
            FieldValue::Len(n) => out::write_if_some(args.value.cast::<SqlLen>(), n),
            FieldValue::ULen(n) => out::write_if_some(args.value.cast::<usize>(), n),
            FieldValue::Ptr(p) => {
                out::write_if_some(args.value.cast::<*mut c_void>(), p as *mut c_void)
            }
            FieldValue::Text(s) => out::write_str::<E, SqlInteger>(
                &s,
                args.value,
                args.buffer_length as isize,
                Unit::Bytes,
                args.string_length,
                diags,
            )?,
        }
    }
    Ok(Outcome::Success)
}

/// SQLSetDescField(W). Character fields are not settable here (only `SQL_DESC_NAME` of an IPD
/// is, and IPD fields are not settable), so A and W are the same.
pub fn set_desc_field(
    desc: &Desc,
    record: SqlSmallInt,
    field: SqlSmallInt,
    value: *mut c_void,
) -> Result<Outcome, OdbcError> {
    let field = u16::from_ne_bytes(field.to_ne_bytes());
    let mut data = desc.data.lock();
    set_field(desc.kind(), &mut data, record, field, value as usize)?;
    Ok(Outcome::Success)
}

/// Arguments of SQLGetDescRec(W).
pub struct GetRecArgs {
    /// `RecNumber`.
    pub record: SqlSmallInt,
    /// `Name` buffer.
    pub name: *mut c_void,
    /// `BufferLength` (characters).
    pub name_cap: SqlSmallInt,
    /// `StringLengthPtr`.
    pub name_len: *mut SqlSmallInt,
    /// `TypePtr`.
    pub sql_type: *mut SqlSmallInt,
    /// `SubTypePtr`.
    pub sub_type: *mut SqlSmallInt,
    /// `LengthPtr`.
    pub length: *mut SqlLen,
    /// `PrecisionPtr`.
    pub precision: *mut SqlSmallInt,
    /// `ScalePtr`.
    pub scale: *mut SqlSmallInt,
    /// `NullablePtr`.
    pub nullable: *mut SqlSmallInt,
}

fn small_field(kind: DescKind, data: &DescData, record: i16, field: u16) -> i16 {
    match get_field(kind, data, record, field) {
        Ok(FieldValue::Small(n)) => n,
        _ => 0,
    }
}

/// SQLGetDescRec(W): SQL_NO_DATA past the last record.
///
/// # Safety
/// The pointers in `args` follow the SQLGetDescRec contract.
pub unsafe fn get_desc_rec<E: Encoding>(
    desc: &Desc,
    args: &GetRecArgs,
    diags: &mut Diags,
) -> Result<Outcome, OdbcError> {
    let kind = desc.kind();
    let data = desc.data.lock();
    let count = count_of(kind, &data);
    let past_end = usize::try_from(args.record).is_ok_and(|r| r > count);
    if past_end {
        return Ok(Outcome::NoData);
    }
    let name = match get_field(kind, &data, args.record, SQL_DESC_NAME) {
        Ok(FieldValue::Text(s)) => s,
        Ok(_) => String::new(),
        Err(e) if e.sqlstate == "HY091" => String::new(),
        Err(e) => return Err(e),
    };
    let length = match get_field(kind, &data, args.record, SQL_DESC_OCTET_LENGTH) {
        Ok(FieldValue::Len(n)) => n,
        _ => 0,
    };
    let nullable = match kind {
        DescKind::Ird => small_field(kind, &data, args.record, SQL_DESC_NULLABLE),
        // Application and parameter records describe buffers: nullable by definition.
        _ => 1,
    };
    let sql_type = small_field(kind, &data, args.record, SQL_DESC_TYPE);
    let sub_type = small_field(kind, &data, args.record, SQL_DESC_DATETIME_INTERVAL_CODE);
    let precision = small_field(kind, &data, args.record, SQL_DESC_PRECISION);
    let scale = small_field(kind, &data, args.record, SQL_DESC_SCALE);
    drop(data);
    // SAFETY: per the caller.
    unsafe {
        out::write_if_some(args.sql_type, sql_type);
        out::write_if_some(args.sub_type, sub_type);
        out::write_if_some(args.length, length);
        out::write_if_some(args.precision, precision);
        out::write_if_some(args.scale, scale);
        out::write_if_some(args.nullable, nullable);
        out::write_str::<E, SqlSmallInt>(
            &name,
            args.name,
            isize::from(args.name_cap),
            Unit::Chars,
            args.name_len,
            diags,
        )?;
    }
    Ok(Outcome::Success)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ard_data_ptr_binds_the_record_sqlbindcol_uses() {
        let mut d = DescData::default();
        set_field(DescKind::Ard, &mut d, 2, SQL_DESC_CONCISE_TYPE, 4).unwrap();
        set_field(DescKind::Ard, &mut d, 2, SQL_DESC_OCTET_LENGTH, 4).unwrap();
        set_field(DescKind::Ard, &mut d, 2, SQL_DESC_INDICATOR_PTR, 0x20).unwrap();
        set_field(DescKind::Ard, &mut d, 2, SQL_DESC_DATA_PTR, 0x10).unwrap();
        assert_eq!(d.app.len(), 2);
        let r = d.app[1];
        assert_eq!((r.c_type, r.data_ptr, r.indicator_ptr), (4, 0x10, 0x20));
        assert!(r.is_bound());
        assert_eq!(
            get_field(DescKind::Ard, &d, 0, SQL_DESC_COUNT).unwrap(),
            FieldValue::Small(2)
        );
        assert_eq!(
            get_field(DescKind::Ard, &d, 2, SQL_DESC_DATA_PTR).unwrap(),
            FieldValue::Ptr(0x10)
        );
    }

    #[test]
    fn errors_carry_the_spec_sqlstates() {
        let mut d = DescData::default();
        let state = |r: Result<(), OdbcError>| r.unwrap_err().sqlstate;
        assert_eq!(
            state(set_field(DescKind::Ird, &mut d, 1, SQL_DESC_DATA_PTR, 1)),
            "HY016"
        );
        assert_eq!(state(set_field(DescKind::Ard, &mut d, 1, 9999, 1)), "HY091");
        assert_eq!(
            state(set_field(DescKind::Ard, &mut d, 0, SQL_DESC_DATA_PTR, 1)),
            "07009"
        );
        set_field(DescKind::Ard, &mut d, 1, SQL_DESC_CONCISE_TYPE, 12345).unwrap();
        assert_eq!(
            state(set_field(DescKind::Ard, &mut d, 1, SQL_DESC_DATA_PTR, 8)),
            "HY021"
        );
        assert_eq!(d.app.first().map(|r| r.data_ptr), Some(0));
        assert_eq!(
            get_field(DescKind::Ird, &d, 1, SQL_DESC_NAME)
                .unwrap_err()
                .sqlstate,
            "07009"
        );
        assert_eq!(
            get_field(DescKind::Ird, &d, 0, SQL_DESC_BIND_TYPE)
                .unwrap_err()
                .sqlstate,
            "HY091"
        );
    }

    #[test]
    fn header_fields_are_the_statement_attributes() {
        let mut d = DescData::default();
        set_field(DescKind::Ard, &mut d, 0, SQL_DESC_ARRAY_SIZE, 10).unwrap();
        assert_eq!(d.header.array_size, 10);
        assert_eq!(
            get_field(DescKind::Ard, &d, 0, SQL_DESC_ALLOC_TYPE).unwrap(),
            FieldValue::Small(SQL_DESC_ALLOC_AUTO)
        );
        assert_eq!(
            set_field(DescKind::Ard, &mut d, 0, SQL_DESC_ARRAY_SIZE, 0)
                .unwrap_err()
                .sqlstate,
            "HY024"
        );
    }
}
