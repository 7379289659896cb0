//! SQLGetDescField / SQLSetDescField / SQLGetDescRec / SQLSetDescRec over the descriptor
//! objects.
//!
//! Reads and writes go to the same records SQLBindCol, SQLBindParameter and execution use, so
//! setting `SQL_DESC_DATA_PTR` on an ARD record binds the column exactly as SQLBindCol does.
//! IRD record fields are the column attributes SQLColAttribute reports (one table,
//! [`describe::attribute`]); the IRD is read-only except for its two status pointers (HY016).
//! The IPD keeps one size per parameter (SQLBindParameter's `ColumnSize`): `SQL_DESC_LENGTH`
//! and `SQL_DESC_PRECISION` both read and write it. Record 0 (bookmarks) does not exist:
//! bookmarks are off (07009).

use std::ffi::c_void;

use parking_lot::MutexGuard;

use super::super::convert::CType;
use super::super::diag::{Diags, OdbcError, Outcome};
use super::super::entry::lock;
use super::super::ffi::{
    SQL_COLUMN_COUNT, SQL_COLUMN_LENGTH, SQL_COLUMN_NAME, SQL_COLUMN_NULLABLE,
    SQL_COLUMN_PRECISION, SQL_COLUMN_SCALE, SQL_DESC_AUTO_UNIQUE_VALUE, SQL_DESC_CASE_SENSITIVE,
    SQL_DESC_CONCISE_TYPE, SQL_DESC_COUNT, SQL_DESC_DATETIME_INTERVAL_CODE,
    SQL_DESC_DATETIME_INTERVAL_PRECISION, SQL_DESC_DISPLAY_SIZE, SQL_DESC_LENGTH, SQL_DESC_NAME,
    SQL_DESC_NULLABLE, SQL_DESC_NUM_PREC_RADIX, SQL_DESC_OCTET_LENGTH, SQL_DESC_PRECISION,
    SQL_DESC_SCALE, SQL_DESC_TYPE, SQL_DESC_UNNAMED, SQL_NULLABLE, SqlInteger, SqlLen, SqlSmallInt,
};
use super::super::out::{self, Unit};
use super::super::stmt::attrs::MAX_ROW_ARRAY_SIZE;
use super::super::stmt::describe::{self, Attr};
use super::super::text::{self, Encoding};
use super::{AppRecord, Desc, DescData, DescKind, ParamRecord, SQL_PARAM_INPUT};

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
/// `SQL_DESC_ALLOC_AUTO`: an implicit descriptor.
const SQL_DESC_ALLOC_AUTO: i16 = 1;
/// `SQL_DESC_ALLOC_USER`: a descriptor allocated with SQLAllocHandle.
const SQL_DESC_ALLOC_USER: i16 = 2;
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

/// A value given to SQLSetDescField: an integer or address passed by value, or the text of a
/// character field (`SQL_DESC_NAME`, the only settable one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SetValue {
    /// A numeric or pointer field's value.
    Int(usize),
    /// A character field's value.
    Text(String),
}

/// What a descriptor is, as far as its fields go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Role {
    /// The kind of records it holds.
    pub kind: DescKind,
    /// Allocated with SQLAllocHandle (`SQL_DESC_ALLOC_USER`).
    pub explicit: bool,
}

impl Role {
    /// The role of `desc`.
    pub fn of(desc: &Desc) -> Self {
        Self {
            kind: desc.kind(),
            explicit: desc.is_explicit(),
        }
    }

    fn is_app(self) -> bool {
        matches!(self.kind, DescKind::Ard | DescKind::Apd)
    }
}

fn unknown_field(field: u16, kind: DescKind) -> OdbcError {
    OdbcError::new(
        "HY091",
        format!(
            "invalid descriptor field identifier {field} for {} (unknown, or read-only there)",
            kind_name(kind)
        ),
    )
}

fn kind_name(kind: DescKind) -> &'static str {
    match kind {
        DescKind::Ard | DescKind::Apd => "an application descriptor",
        DescKind::Ird => "an implementation row descriptor",
        DescKind::Ipd => "an implementation parameter descriptor",
    }
}

fn bad_record(record: i16, count: usize) -> OdbcError {
    OdbcError::bad_index(format!(
        "descriptor record {record} does not exist (records 1..={count}; bookmarks are off)"
    ))
}

fn read_only_ird() -> OdbcError {
    OdbcError::new(
        "HY016",
        "cannot modify an implementation row descriptor: its fields describe the result (only \
         SQL_DESC_ARRAY_STATUS_PTR and SQL_DESC_ROWS_PROCESSED_PTR can be set)",
    )
}

fn inconsistent(what: impl std::fmt::Display) -> OdbcError {
    OdbcError::new(
        "HY021",
        format!("inconsistent descriptor information: {what}"),
    )
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

/// `SQL_DESC_COUNT` of a descriptor's data.
pub fn count_of(kind: DescKind, data: &DescData) -> usize {
    match kind {
        DescKind::Ard | DescKind::Apd => data.app.len(),
        DescKind::Ird => data.columns.len(),
        DescKind::Ipd => data.params.len(),
    }
}

fn small(n: usize) -> i16 {
    i16::try_from(n).unwrap_or(i16::MAX)
}

fn small_of(value: usize) -> i16 {
    i16::from_ne_bytes((value as u16).to_ne_bytes())
}

fn header_value(role: Role, data: &DescData, field: u16) -> Result<FieldValue, OdbcError> {
    let h = &data.header;
    let app = role.is_app();
    Ok(match field {
        SQL_DESC_COUNT => FieldValue::Small(small(count_of(role.kind, data))),
        SQL_DESC_ALLOC_TYPE => FieldValue::Small(if role.explicit {
            SQL_DESC_ALLOC_USER
        } else {
            SQL_DESC_ALLOC_AUTO
        }),
        SQL_DESC_ARRAY_STATUS_PTR => FieldValue::Ptr(h.array_status_ptr),
        SQL_DESC_ARRAY_SIZE if app => FieldValue::ULen(h.array_size),
        SQL_DESC_BIND_OFFSET_PTR if app => FieldValue::Ptr(h.bind_offset_ptr),
        SQL_DESC_BIND_TYPE if app => FieldValue::Int(i32::try_from(h.bind_type).unwrap_or(0)),
        SQL_DESC_ROWS_PROCESSED_PTR if !app => FieldValue::Ptr(h.rows_processed_ptr),
        _ => return Err(unknown_field(field, role.kind)),
    })
}

/// `(SQL_DESC_TYPE, SQL_DESC_DATETIME_INTERVAL_CODE)` for a concise type code (C or SQL: the
/// date/time codes 91-93 are the same on both sides).
fn verbose_type(concise: i16) -> (i16, i16) {
    match concise {
        91..=93 => (SQL_DATETIME, concise - 90),
        _ => (concise, 0),
    }
}

/// The concise type for `SQL_DESC_TYPE` = `verbose` and a date/time subcode.
fn concise_type(verbose: i16, code: i16) -> Result<i16, OdbcError> {
    match (verbose, code) {
        (SQL_DATETIME, 1..=3) => Ok(90 + code),
        (SQL_DATETIME, _) => Err(inconsistent(format_args!(
            "SQL_DATETIME needs a SQL_DESC_DATETIME_INTERVAL_CODE of 1 (date), 2 (time) or 3 \
             (timestamp), not {code}"
        ))),
        _ => Ok(verbose),
    }
}

fn app_value(r: &AppRecord, field: u16) -> Result<FieldValue, OdbcError> {
    let c_type = if r.c_type == 0 {
        SQL_C_DEFAULT
    } else {
        r.c_type
    };
    let (verbose, code) = verbose_type(c_type);
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
        SQL_DESC_NAME => FieldValue::Text(r.name.clone()),
        SQL_DESC_UNNAMED => FieldValue::Small(unnamed(&r.name)),
        _ => return Err(unknown_field(field, DescKind::Ard)),
    })
}

fn unnamed(name: &str) -> i16 {
    if name.is_empty() {
        SQL_UNNAMED
    } else {
        SQL_NAMED
    }
}

/// An IRD field: the column attribute SQLColAttribute reports, typed as the descriptor field.
fn column_value(column: &super::ColumnRecord, field: u16) -> Result<FieldValue, OdbcError> {
    // ODBC 2 column attributes are SQLColAttribute identifiers, not descriptor fields.
    let odbc2 = matches!(
        field,
        SQL_COLUMN_COUNT
            | SQL_COLUMN_NAME
            | SQL_COLUMN_LENGTH
            | SQL_COLUMN_PRECISION
            | SQL_COLUMN_SCALE
            | SQL_COLUMN_NULLABLE
    );
    let value = (!odbc2)
        .then(|| describe::attribute(column, field))
        .flatten()
        .ok_or_else(|| unknown_field(field, DescKind::Ird))?;
    Ok(match value {
        Attr::Text(s) => FieldValue::Text(s),
        Attr::Num(n) => match field {
            SQL_DESC_LENGTH => FieldValue::ULen(usize::try_from(n).unwrap_or(0)),
            SQL_DESC_OCTET_LENGTH | SQL_DESC_DISPLAY_SIZE => FieldValue::Len(n),
            SQL_DESC_AUTO_UNIQUE_VALUE
            | SQL_DESC_CASE_SENSITIVE
            | SQL_DESC_NUM_PREC_RADIX
            | SQL_DESC_DATETIME_INTERVAL_PRECISION => {
                FieldValue::Int(i32::try_from(n).unwrap_or(i32::MAX))
            }
            _ => FieldValue::Small(i16::try_from(n).unwrap_or(i16::MAX)),
        },
    })
}

fn param_value(p: &ParamRecord, field: u16) -> Result<FieldValue, OdbcError> {
    let (verbose, code) = verbose_type(p.sql_type);
    Ok(match field {
        SQL_DESC_PARAMETER_TYPE => FieldValue::Small(p.io_type),
        SQL_DESC_CONCISE_TYPE => FieldValue::Small(p.sql_type),
        SQL_DESC_TYPE => FieldValue::Small(verbose),
        SQL_DESC_DATETIME_INTERVAL_CODE => FieldValue::Small(code),
        SQL_DESC_LENGTH => FieldValue::ULen(p.column_size),
        SQL_DESC_PRECISION => FieldValue::Small(small(p.column_size)),
        SQL_DESC_SCALE => FieldValue::Small(p.decimal_digits),
        SQL_DESC_NULLABLE => FieldValue::Small(SQL_NULLABLE),
        SQL_DESC_NAME => FieldValue::Text(p.name.clone()),
        SQL_DESC_UNNAMED => FieldValue::Small(unnamed(&p.name)),
        _ => return Err(unknown_field(field, DescKind::Ipd)),
    })
}

/// The value of `field` of record `record` (ignored for header fields).
pub fn get_field(
    role: Role,
    data: &DescData,
    record: i16,
    field: u16,
) -> Result<FieldValue, OdbcError> {
    if is_header(field) {
        return header_value(role, data, field);
    }
    let count = count_of(role.kind, data);
    let index = usize::try_from(record)
        .ok()
        .and_then(|r| r.checked_sub(1))
        .filter(|i| *i < count)
        .ok_or_else(|| bad_record(record, count))?;
    let missing = || bad_record(record, count);
    match role.kind {
        DescKind::Ard | DescKind::Apd => app_value(data.app.get(index).ok_or_else(missing)?, field),
        DescKind::Ird => column_value(data.columns.get(index).ok_or_else(missing)?, field),
        DescKind::Ipd => param_value(data.params.get(index).ok_or_else(missing)?, field),
    }
}

fn number(value: &SetValue, field: u16) -> Result<usize, OdbcError> {
    match value {
        SetValue::Int(n) => Ok(*n),
        SetValue::Text(_) => Err(OdbcError::internal(&format!(
            "descriptor field {field} is not a character field"
        ))),
    }
}

fn set_header(kind: DescKind, data: &mut DescData, field: u16, v: usize) -> Result<(), OdbcError> {
    let app = matches!(kind, DescKind::Ard | DescKind::Apd);
    if kind == DescKind::Ird
        && !matches!(
            field,
            SQL_DESC_ARRAY_STATUS_PTR | SQL_DESC_ROWS_PROCESSED_PTR
        )
    {
        return Err(read_only_ird());
    }
    let h = &mut data.header;
    match field {
        SQL_DESC_ARRAY_STATUS_PTR => h.array_status_ptr = v,
        SQL_DESC_ROWS_PROCESSED_PTR if !app => h.rows_processed_ptr = v,
        SQL_DESC_ARRAY_SIZE if app && (v == 0 || v > MAX_ROW_ARRAY_SIZE) => {
            return Err(OdbcError::new(
                "HY024",
                format!("SQL_DESC_ARRAY_SIZE {v} is outside 1..={MAX_ROW_ARRAY_SIZE}"),
            ));
        }
        SQL_DESC_ARRAY_SIZE if kind == DescKind::Apd && v > 1 => {
            return Err(OdbcError::not_implemented(
                "arrays of parameters (an APD SQL_DESC_ARRAY_SIZE above 1); execute once per set",
            ));
        }
        SQL_DESC_ARRAY_SIZE if app => h.array_size = v,
        SQL_DESC_BIND_OFFSET_PTR if app => h.bind_offset_ptr = v,
        SQL_DESC_BIND_TYPE if app => h.bind_type = v,
        SQL_DESC_COUNT => {
            let n = small_of(v);
            let n = usize::try_from(n)
                .map_err(|_| OdbcError::bad_index(format!("SQL_DESC_COUNT {n} is negative")))?;
            match kind {
                DescKind::Ipd => data.params.resize(n, ParamRecord::default()),
                _ => data.app.resize(n, AppRecord::default()),
            }
        }
        _ => return Err(unknown_field(field, kind)),
    }
    Ok(())
}

/// Sets one of the type fields (`SQL_DESC_TYPE`, `SQL_DESC_CONCISE_TYPE`,
/// `SQL_DESC_DATETIME_INTERVAL_CODE`) of a record whose concise type is `slot`.
fn set_type(slot: &mut i16, field: u16, v: i16) -> Result<(), OdbcError> {
    match field {
        SQL_DESC_CONCISE_TYPE => *slot = v,
        // SQL_DATETIME waits for its subcode; an already concise date/time type keeps it.
        SQL_DESC_TYPE if v == SQL_DATETIME && verbose_type(*slot).0 == SQL_DATETIME => {}
        SQL_DESC_TYPE => *slot = v,
        _ if verbose_type(*slot).0 != SQL_DATETIME && *slot != SQL_DATETIME => {
            return Err(inconsistent(
                "SQL_DESC_DATETIME_INTERVAL_CODE applies to SQL_DATETIME records only (set \
                 SQL_DESC_TYPE to SQL_DATETIME first)",
            ));
        }
        _ => *slot = concise_type(SQL_DATETIME, v)?,
    }
    Ok(())
}

fn set_name(name: &mut String, field: u16, value: &SetValue) -> Result<(), OdbcError> {
    match (field, value) {
        (SQL_DESC_NAME, SetValue::Text(text)) => *name = text.clone(),
        (SQL_DESC_NAME, SetValue::Int(_)) => {
            return Err(OdbcError::internal("SQL_DESC_NAME given as a number"));
        }
        (_, v) if number(v, field)? == SQL_UNNAMED as usize => name.clear(),
        _ => {
            return Err(OdbcError::new(
                "HY091",
                "SQL_DESC_UNNAMED can only be set to SQL_UNNAMED (name a record with \
                 SQL_DESC_NAME)",
            ));
        }
    }
    Ok(())
}

fn set_app(r: &mut AppRecord, field: u16, value: &SetValue) -> Result<(), OdbcError> {
    match field {
        SQL_DESC_NAME | SQL_DESC_UNNAMED => set_name(&mut r.name, field, value)?,
        SQL_DESC_DATA_PTR => {
            let v = number(value, field)?;
            r.data_ptr = v;
            if v != 0 {
                if let Err(e) = check_consistency(r) {
                    r.data_ptr = 0;
                    return Err(e);
                }
                if r.c_type == 0 {
                    r.c_type = SQL_C_DEFAULT;
                }
            }
            // The deferred fields leave the binding alone.
            return Ok(());
        }
        SQL_DESC_INDICATOR_PTR => {
            r.indicator_ptr = number(value, field)?;
            return Ok(());
        }
        SQL_DESC_OCTET_LENGTH_PTR => {
            r.octet_length_ptr = number(value, field)?;
            return Ok(());
        }
        SQL_DESC_TYPE | SQL_DESC_CONCISE_TYPE | SQL_DESC_DATETIME_INTERVAL_CODE => {
            set_type(&mut r.c_type, field, small_of(number(value, field)?))?;
        }
        SQL_DESC_OCTET_LENGTH => r.octet_length = number(value, field)? as isize,
        SQL_DESC_PRECISION => r.precision = small_of(number(value, field)?),
        SQL_DESC_SCALE => r.scale = small_of(number(value, field)?),
        SQL_DESC_LENGTH => {
            return Err(OdbcError::not_implemented(
                "setting SQL_DESC_LENGTH of an application descriptor; give the buffer size in \
                 bytes with SQL_DESC_OCTET_LENGTH",
            ));
        }
        _ => return Err(unknown_field(field, DescKind::Ard)),
    }
    // Any other field change unbinds the record (the ODBC rule for non-deferred fields).
    r.data_ptr = 0;
    Ok(())
}

fn set_param(p: &mut ParamRecord, field: u16, value: &SetValue) -> Result<(), OdbcError> {
    match field {
        SQL_DESC_NAME | SQL_DESC_UNNAMED => set_name(&mut p.name, field, value)?,
        SQL_DESC_TYPE | SQL_DESC_CONCISE_TYPE | SQL_DESC_DATETIME_INTERVAL_CODE => {
            set_type(&mut p.sql_type, field, small_of(number(value, field)?))?;
        }
        SQL_DESC_LENGTH | SQL_DESC_PRECISION => p.column_size = number(value, field)?,
        SQL_DESC_SCALE => p.decimal_digits = small_of(number(value, field)?),
        SQL_DESC_PARAMETER_TYPE => match small_of(number(value, field)?) {
            SQL_PARAM_INPUT => p.io_type = SQL_PARAM_INPUT,
            2 | 4 => {
                return Err(OdbcError::not_implemented(
                    "output parameters (e6data has no procedures); use SQL_PARAM_INPUT",
                ));
            }
            other => {
                return Err(OdbcError::new(
                    "HY105",
                    format!("invalid parameter type {other}"),
                ));
            }
        },
        _ => return Err(unknown_field(field, DescKind::Ipd)),
    }
    Ok(())
}

/// Applies `value` to `field` of record `record` of a descriptor of `kind`.
pub fn set_field(
    kind: DescKind,
    data: &mut DescData,
    record: i16,
    field: u16,
    value: &SetValue,
) -> Result<(), OdbcError> {
    if field == SQL_DESC_ALLOC_TYPE {
        return Err(unknown_field(field, kind));
    }
    if is_header(field) {
        return set_header(kind, data, field, number(value, field)?);
    }
    if kind == DescKind::Ird {
        return Err(read_only_ird());
    }
    let number = usize::try_from(record)
        .ok()
        .filter(|r| *r >= 1)
        .ok_or_else(|| bad_record(record, count_of(kind, data)))?;
    match kind {
        DescKind::Ipd => set_param(data.param_record_mut(number), field, value),
        _ => set_app(data.app_record_mut(number), field, value),
    }
}

/// The consistency check run when `SQL_DESC_DATA_PTR` is set on an application record.
fn check_consistency(r: &AppRecord) -> Result<(), OdbcError> {
    let type_ok =
        r.c_type == 0 || r.c_type == SQL_C_DEFAULT || CType::from_code(r.c_type).is_some();
    if !type_ok {
        return Err(inconsistent(format_args!(
            "C type {} is not supported; set SQL_DESC_CONCISE_TYPE to a supported C type first",
            r.c_type
        )));
    }
    if r.octet_length < 0 {
        return Err(inconsistent(format_args!(
            "SQL_DESC_OCTET_LENGTH {} is negative",
            r.octet_length
        )));
    }
    Ok(())
}

/// `desc`'s fields, locked for reading. An IRD first describes a prepared statement's result
/// (the engine is asked for its shape); HY007 when its statement is neither prepared nor
/// executed.
pub fn read(desc: &Desc) -> Result<MutexGuard<'_, DescData>, OdbcError> {
    if desc.kind() == DescKind::Ird {
        let not_prepared = || {
            OdbcError::new(
                "HY007",
                "associated statement is not prepared: call SQLPrepare or SQLExecDirect before \
                 reading its implementation row descriptor",
            )
        };
        let stmt = desc.statement().ok_or_else(not_prepared)?;
        let mut state = lock(&stmt.state)?;
        if !state.prepared && !state.executed {
            return Err(not_prepared());
        }
        describe::ensure_columns(&stmt, &mut state)?;
    }
    Ok(desc.data.lock())
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
    let value = get_field(Role::of(desc), &*read(desc)?, args.record, field)?;
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

/// SQLSetDescField(W). `SQL_DESC_NAME` is read from `value` as text of `buffer_length` bytes
/// (or `SQL_NTS`); every other field takes `value` itself as the integer or address.
///
/// # Safety
/// For `SQL_DESC_NAME`, `value` is null or a string per the SQLSetDescField contract.
pub unsafe fn set_desc_field<E: Encoding>(
    desc: &Desc,
    record: SqlSmallInt,
    field: SqlSmallInt,
    value: *mut c_void,
    buffer_length: SqlInteger,
) -> Result<Outcome, OdbcError> {
    let field = u16::from_ne_bytes(field.to_ne_bytes());
    let value = if field == SQL_DESC_NAME {
        // SAFETY: per the caller.
        let name = unsafe { text::read_str_bytes::<E>(value, buffer_length as isize)? };
        SetValue::Text(name.unwrap_or_default())
    } else {
        SetValue::Int(value as usize)
    };
    let mut data = desc.data.lock();
    set_field(desc.kind(), &mut data, record, field, &value)?;
    Ok(Outcome::Success)
}

/// Arguments of SQLSetDescRec.
#[derive(Debug, Clone, Copy)]
pub struct SetRecArgs {
    /// `RecNumber`.
    pub record: SqlSmallInt,
    /// `Type` (`SQL_DESC_TYPE`).
    pub sql_type: SqlSmallInt,
    /// `SubType` (`SQL_DESC_DATETIME_INTERVAL_CODE`, for `SQL_DATETIME`).
    pub sub_type: SqlSmallInt,
    /// `Length` (`SQL_DESC_OCTET_LENGTH`).
    pub length: SqlLen,
    /// `Precision`.
    pub precision: SqlSmallInt,
    /// `Scale`.
    pub scale: SqlSmallInt,
    /// `DataPtr`.
    pub data_ptr: usize,
    /// `StringLengthPtr` (`SQL_DESC_OCTET_LENGTH_PTR`).
    pub octet_length_ptr: usize,
    /// `IndicatorPtr`.
    pub indicator_ptr: usize,
}

/// SQLSetDescRec on descriptor data of `kind`: sets the type, length, precision, scale and (for
/// application descriptors) the three pointers of one record in a single call.
pub fn set_rec(kind: DescKind, data: &mut DescData, args: &SetRecArgs) -> Result<(), OdbcError> {
    if kind == DescKind::Ird {
        return Err(read_only_ird());
    }
    let number = usize::try_from(args.record)
        .ok()
        .filter(|r| *r >= 1)
        .ok_or_else(|| bad_record(args.record, count_of(kind, data)))?;
    let concise = concise_type(args.sql_type, args.sub_type)?;
    if kind == DescKind::Ipd {
        let p = data.param_record_mut(number);
        p.sql_type = concise;
        p.column_size = if matches!(concise, 2 | 3) {
            usize::try_from(args.precision).unwrap_or(0)
        } else {
            usize::try_from(args.length).unwrap_or(0)
        };
        p.decimal_digits = args.scale;
        return Ok(());
    }
    let r = data.app_record_mut(number);
    r.c_type = concise;
    r.octet_length = args.length;
    r.precision = args.precision;
    r.scale = args.scale;
    r.octet_length_ptr = args.octet_length_ptr;
    r.indicator_ptr = args.indicator_ptr;
    r.data_ptr = 0;
    if args.data_ptr != 0 {
        check_consistency(r)?;
        r.data_ptr = args.data_ptr;
    }
    Ok(())
}

/// SQLSetDescRec.
pub fn set_desc_rec(desc: &Desc, args: &SetRecArgs) -> Result<Outcome, OdbcError> {
    let mut data = desc.data.lock();
    set_rec(desc.kind(), &mut data, args)?;
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

fn small_field(role: Role, data: &DescData, record: i16, field: u16) -> i16 {
    match get_field(role, data, record, field) {
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
    let role = Role::of(desc);
    let data = read(desc)?;
    let count = count_of(role.kind, &data);
    let past_end = usize::try_from(args.record).is_ok_and(|r| r > count);
    if past_end {
        return Ok(Outcome::NoData);
    }
    let name = match get_field(role, &data, args.record, SQL_DESC_NAME)? {
        FieldValue::Text(s) => s,
        _ => String::new(),
    };
    let length = match get_field(role, &data, args.record, SQL_DESC_OCTET_LENGTH) {
        Ok(FieldValue::Len(n)) => n,
        _ => 0,
    };
    let nullable = match role.kind {
        DescKind::Ird => small_field(role, &data, args.record, SQL_DESC_NULLABLE),
        // Application and parameter records describe buffers: nullable by definition.
        _ => SQL_NULLABLE,
    };
    let sql_type = small_field(role, &data, args.record, SQL_DESC_TYPE);
    let sub_type = small_field(role, &data, args.record, SQL_DESC_DATETIME_INTERVAL_CODE);
    let precision = small_field(role, &data, args.record, SQL_DESC_PRECISION);
    let scale = small_field(role, &data, args.record, SQL_DESC_SCALE);
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

    const APP: Role = Role {
        kind: DescKind::Ard,
        explicit: false,
    };

    fn int(v: usize) -> SetValue {
        SetValue::Int(v)
    }

    #[test]
    fn ard_data_ptr_binds_the_record_sqlbindcol_uses() {
        let mut d = DescData::default();
        set_field(DescKind::Ard, &mut d, 2, SQL_DESC_CONCISE_TYPE, &int(4)).unwrap();
        set_field(DescKind::Ard, &mut d, 2, SQL_DESC_OCTET_LENGTH, &int(4)).unwrap();
        set_field(DescKind::Ard, &mut d, 2, SQL_DESC_INDICATOR_PTR, &int(0x20)).unwrap();
        set_field(DescKind::Ard, &mut d, 2, SQL_DESC_DATA_PTR, &int(0x10)).unwrap();
        assert_eq!(d.app.len(), 2);
        let r = &d.app[1];
        assert_eq!((r.c_type, r.data_ptr, r.indicator_ptr), (4, 0x10, 0x20));
        assert!(r.is_bound());
        assert_eq!(
            get_field(APP, &d, 0, SQL_DESC_COUNT).unwrap(),
            FieldValue::Small(2)
        );
        assert_eq!(
            get_field(APP, &d, 2, SQL_DESC_DATA_PTR).unwrap(),
            FieldValue::Ptr(0x10)
        );
        // Changing a non-deferred field unbinds the record.
        set_field(DescKind::Ard, &mut d, 2, SQL_DESC_SCALE, &int(0)).unwrap();
        assert_eq!(d.app[1].data_ptr, 0);
    }

    #[test]
    fn errors_carry_the_spec_sqlstates() {
        let mut d = DescData::default();
        let state = |r: Result<(), OdbcError>| r.unwrap_err().sqlstate;
        assert_eq!(
            state(set_field(
                DescKind::Ird,
                &mut d,
                1,
                SQL_DESC_DATA_PTR,
                &int(1)
            )),
            "HY016"
        );
        assert_eq!(
            state(set_field(DescKind::Ard, &mut d, 1, 9999, &int(1))),
            "HY091"
        );
        assert_eq!(
            state(set_field(
                DescKind::Ard,
                &mut d,
                0,
                SQL_DESC_DATA_PTR,
                &int(1)
            )),
            "07009"
        );
        set_field(DescKind::Ard, &mut d, 1, SQL_DESC_CONCISE_TYPE, &int(12345)).unwrap();
        assert_eq!(
            state(set_field(
                DescKind::Ard,
                &mut d,
                1,
                SQL_DESC_DATA_PTR,
                &int(8)
            )),
            "HY021"
        );
        assert_eq!(d.app.first().map(|r| r.data_ptr), Some(0));
        let ird = Role {
            kind: DescKind::Ird,
            explicit: false,
        };
        assert_eq!(
            get_field(ird, &d, 1, SQL_DESC_NAME).unwrap_err().sqlstate,
            "07009"
        );
        assert_eq!(
            get_field(ird, &d, 0, SQL_DESC_BIND_TYPE)
                .unwrap_err()
                .sqlstate,
            "HY091"
        );
        assert_eq!(
            state(set_field(
                DescKind::Ard,
                &mut d,
                0,
                SQL_DESC_ALLOC_TYPE,
                &int(2)
            )),
            "HY091"
        );
    }

    #[test]
    fn header_fields_are_the_statement_attributes() {
        let mut d = DescData::default();
        set_field(DescKind::Ard, &mut d, 0, SQL_DESC_ARRAY_SIZE, &int(10)).unwrap();
        assert_eq!(d.header.array_size, 10);
        assert_eq!(
            get_field(APP, &d, 0, SQL_DESC_ALLOC_TYPE).unwrap(),
            FieldValue::Small(SQL_DESC_ALLOC_AUTO)
        );
        let user = Role {
            kind: DescKind::Ard,
            explicit: true,
        };
        assert_eq!(
            get_field(user, &d, 0, SQL_DESC_ALLOC_TYPE).unwrap(),
            FieldValue::Small(SQL_DESC_ALLOC_USER)
        );
        assert_eq!(
            set_field(DescKind::Ard, &mut d, 0, SQL_DESC_ARRAY_SIZE, &int(0))
                .unwrap_err()
                .sqlstate,
            "HY024"
        );
        assert_eq!(
            set_field(DescKind::Apd, &mut d, 0, SQL_DESC_ARRAY_SIZE, &int(5))
                .unwrap_err()
                .sqlstate,
            "HYC00"
        );
        // The IRD's two status pointers are writable, nothing else is.
        set_field(
            DescKind::Ird,
            &mut d,
            0,
            SQL_DESC_ROWS_PROCESSED_PTR,
            &int(64),
        )
        .unwrap();
        assert_eq!(d.header.rows_processed_ptr, 64);
        assert_eq!(
            set_field(DescKind::Ird, &mut d, 0, SQL_DESC_COUNT, &int(1))
                .unwrap_err()
                .sqlstate,
            "HY016"
        );
    }

    #[test]
    fn datetime_types_take_a_subcode() {
        let mut d = DescData::default();
        set_field(DescKind::Ard, &mut d, 1, SQL_DESC_TYPE, &int(9)).unwrap();
        set_field(
            DescKind::Ard,
            &mut d,
            1,
            SQL_DESC_DATETIME_INTERVAL_CODE,
            &int(3),
        )
        .unwrap();
        assert_eq!(d.app[0].c_type, 93);
        assert_eq!(
            get_field(APP, &d, 1, SQL_DESC_TYPE).unwrap(),
            FieldValue::Small(9)
        );
        set_field(DescKind::Ard, &mut d, 1, SQL_DESC_CONCISE_TYPE, &int(4)).unwrap();
        assert_eq!(
            set_field(
                DescKind::Ard,
                &mut d,
                1,
                SQL_DESC_DATETIME_INTERVAL_CODE,
                &int(1)
            )
            .unwrap_err()
            .sqlstate,
            "HY021"
        );
    }

    #[test]
    fn names_and_ipd_fields_are_settable() {
        let mut d = DescData::default();
        let name = SetValue::Text("amount".into());
        set_field(DescKind::Ipd, &mut d, 1, SQL_DESC_NAME, &name).unwrap();
        set_field(DescKind::Ipd, &mut d, 1, SQL_DESC_CONCISE_TYPE, &int(3)).unwrap();
        set_field(DescKind::Ipd, &mut d, 1, SQL_DESC_PRECISION, &int(10)).unwrap();
        set_field(DescKind::Ipd, &mut d, 1, SQL_DESC_SCALE, &int(2)).unwrap();
        let ipd = Role {
            kind: DescKind::Ipd,
            explicit: false,
        };
        assert_eq!(
            get_field(ipd, &d, 1, SQL_DESC_NAME).unwrap(),
            FieldValue::Text("amount".into())
        );
        assert_eq!(
            get_field(ipd, &d, 1, SQL_DESC_UNNAMED).unwrap(),
            FieldValue::Small(SQL_NAMED)
        );
        assert_eq!(d.params[0].column_size, 10);
        assert_eq!(d.params[0].io_type, SQL_PARAM_INPUT);
        assert_eq!(
            set_field(DescKind::Ipd, &mut d, 1, SQL_DESC_PARAMETER_TYPE, &int(4))
                .unwrap_err()
                .sqlstate,
            "HYC00"
        );
        set_field(DescKind::Ipd, &mut d, 1, SQL_DESC_UNNAMED, &int(1)).unwrap();
        assert!(d.params[0].name.is_empty());
        assert_eq!(
            set_field(DescKind::Ipd, &mut d, 1, SQL_DESC_UNNAMED, &int(0))
                .unwrap_err()
                .sqlstate,
            "HY091"
        );
        set_field(DescKind::Ard, &mut d, 1, SQL_DESC_NAME, &name).unwrap();
        assert_eq!(
            get_field(APP, &d, 1, SQL_DESC_NAME).unwrap(),
            FieldValue::Text("amount".into())
        );
    }

    #[test]
    fn set_rec_fills_a_record_at_once() {
        let mut d = DescData::default();
        let args = SetRecArgs {
            record: 1,
            sql_type: 9,
            sub_type: 1,
            length: 6,
            precision: 0,
            scale: 0,
            data_ptr: 0x40,
            octet_length_ptr: 0x48,
            indicator_ptr: 0x48,
        };
        set_rec(DescKind::Ard, &mut d, &args).unwrap();
        let r = &d.app[0];
        assert_eq!((r.c_type, r.octet_length, r.data_ptr), (91, 6, 0x40));
        let bad = SetRecArgs {
            sql_type: 12345,
            ..args
        };
        assert_eq!(
            set_rec(DescKind::Ard, &mut d, &bad).unwrap_err().sqlstate,
            "HY021"
        );
        assert_eq!(d.app[0].data_ptr, 0, "a failed consistency check unbinds");
        let decimal = SetRecArgs {
            sql_type: 3,
            sub_type: 0,
            precision: 12,
            scale: 4,
            ..args
        };
        set_rec(DescKind::Ipd, &mut d, &decimal).unwrap();
        assert_eq!(
            (
                d.params[0].sql_type,
                d.params[0].column_size,
                d.params[0].decimal_digits
            ),
            (3, 12, 4)
        );
        assert_eq!(
            set_rec(DescKind::Ird, &mut d, &args).unwrap_err().sqlstate,
            "HY016"
        );
    }
}
