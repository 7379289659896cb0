//! Result-set metadata: the IRD built from the engine's result metadata (and the first chunk's
//! DECIMAL scales), describe-after-prepare, SQLNumResultCols, SQLDescribeCol, SQLColAttribute.
//!
//! Columns are reported as SQL_NULLABLE: the engine's metadata carries no nullability, and any
//! e6data column can hold NULL. Table, schema and catalog names of result columns are not
//! known to the protocol and are returned as empty strings.

use std::ffi::c_void;

use crate::client::{ExecOptions, ParamValue, params as client_params};
use crate::wire::{Chunk, ColumnValues, ResultMetadata};

use super::super::desc::{ColumnRecord, Desc};
use super::super::diag::{Diags, OdbcError, Outcome};
use super::super::entry::lock;
use super::super::ffi::{
    SQL_ATTR_READONLY, SQL_COLUMN_COUNT, SQL_COLUMN_LENGTH, SQL_COLUMN_NAME, SQL_COLUMN_NULLABLE,
    SQL_COLUMN_PRECISION, SQL_COLUMN_SCALE, SQL_DESC_AUTO_UNIQUE_VALUE, SQL_DESC_BASE_COLUMN_NAME,
    SQL_DESC_BASE_TABLE_NAME, SQL_DESC_CASE_SENSITIVE, SQL_DESC_CATALOG_NAME,
    SQL_DESC_CONCISE_TYPE, SQL_DESC_COUNT, SQL_DESC_DATETIME_INTERVAL_CODE,
    SQL_DESC_DATETIME_INTERVAL_PRECISION, SQL_DESC_DISPLAY_SIZE, SQL_DESC_FIXED_PREC_SCALE,
    SQL_DESC_LABEL, SQL_DESC_LENGTH, SQL_DESC_LITERAL_PREFIX, SQL_DESC_LITERAL_SUFFIX,
    SQL_DESC_LOCAL_TYPE_NAME, SQL_DESC_NAME, SQL_DESC_NULLABLE, SQL_DESC_NUM_PREC_RADIX,
    SQL_DESC_OCTET_LENGTH, SQL_DESC_PRECISION, SQL_DESC_SCALE, SQL_DESC_SCHEMA_NAME,
    SQL_DESC_SEARCHABLE, SQL_DESC_TABLE_NAME, SQL_DESC_TYPE, SQL_DESC_TYPE_NAME, SQL_DESC_UNNAMED,
    SQL_DESC_UNSIGNED, SQL_DESC_UPDATABLE, SQL_NAMED, SQL_NULLABLE, SQL_UNNAMED, SqlLen,
    SqlSmallInt, SqlULen, SqlUSmallInt,
};
use super::super::out::{self, Unit};
use super::super::runtime;
use super::super::sqltype::{
    self, SQL_DATETIME, SQL_DECIMAL, SQL_INTERVAL, SQL_NUMERIC, SqlTypeInfo,
};
use super::super::text::Encoding;
use super::{Stmt, StmtState};

/// Fills the IRD from result metadata; DECIMAL scales come from `first` when present. Returns
/// the column count.
pub fn fill_ird(ird: &Desc, metadata: &ResultMetadata, first: Option<&Chunk>) -> usize {
    let columns: Vec<ColumnRecord> = metadata
        .columns
        .iter()
        .enumerate()
        .map(|(i, meta)| {
            let scale =
                first
                    .and_then(|chunk| chunk.columns.get(i))
                    .and_then(|column| match &column.values {
                        ColumnValues::Decimal { scale, .. } => Some(*scale),
                        _ => None,
                    });
            ColumnRecord {
                name: meta.name.clone(),
                info: sqltype::from_metadata_type(&meta.type_name, scale),
                nullable: SQL_NULLABLE,
            }
        })
        .collect();
    let n = columns.len();
    ird.data.lock().columns = columns;
    n
}

/// Makes sure the IRD describes the statement: after execution it already does; after
/// SQLPrepare it asks the engine for the shape (parameters replaced by NULL).
pub fn ensure_columns(stmt: &Stmt, state: &mut StmtState) -> Result<(), OdbcError> {
    if state.executed || state.described {
        return Ok(());
    }
    let sql = match (&state.sql, state.prepared) {
        (Some(sql), true) => sql.clone(),
        _ => {
            return Err(OdbcError::sequence(
                "no statement is prepared or executed; call SQLPrepare or SQLExecDirect first",
            ));
        }
    };
    let markers = client_params::count_markers(&sql);
    let probe = if markers == 0 {
        sql
    } else {
        client_params::substitute(&sql, &vec![ParamValue::Null; markers])
            .map_err(|e| stmt.client_error(&e))?
    };
    let session = stmt.dbc.session()?;
    let opts = ExecOptions {
        cancel: stmt.cancel.clone(),
        timeout: state.timeout(),
    };
    let metadata = {
        let _busy = stmt.begin_work();
        let client = session.client;
        runtime::block_on(async move { client.describe(&probe, &opts).await })?
    }
    .map_err(|e| stmt.client_error(&e))?;
    fill_ird(&stmt.ird, &metadata, None);
    state.described = true;
    Ok(())
}

/// SQLNumResultCols.
pub fn num_result_cols(stmt: &Stmt) -> Result<SqlSmallInt, OdbcError> {
    let mut state = lock(&stmt.state)?;
    ensure_columns(stmt, &mut state)?;
    let n = stmt.ird.data.lock().columns.len();
    Ok(SqlSmallInt::try_from(n).unwrap_or(SqlSmallInt::MAX))
}

/// The IRD record of 1-based `column` (07009 when out of range).
fn column(stmt: &Stmt, number: SqlUSmallInt) -> Result<ColumnRecord, OdbcError> {
    let ird = stmt.ird.data.lock();
    if number == 0 {
        return Err(OdbcError::bad_index(
            "column 0 is the bookmark column and bookmarks are off",
        ));
    }
    ird.columns
        .get(usize::from(number) - 1)
        .cloned()
        .ok_or_else(|| {
            OdbcError::bad_index(format_args!(
                "column {number} (the result has {} columns)",
                ird.columns.len()
            ))
        })
}

/// Arguments of SQLDescribeCol(W).
pub struct DescribeColArgs {
    /// `ColumnNumber`.
    pub column: SqlUSmallInt,
    /// `ColumnName` buffer.
    pub name: *mut c_void,
    /// `BufferLength` in characters.
    pub name_cap: SqlSmallInt,
    /// `NameLengthPtr` in characters.
    pub name_len: *mut SqlSmallInt,
    /// `DataTypePtr`.
    pub data_type: *mut SqlSmallInt,
    /// `ColumnSizePtr`.
    pub column_size: *mut SqlULen,
    /// `DecimalDigitsPtr`.
    pub decimal_digits: *mut SqlSmallInt,
    /// `NullablePtr`.
    pub nullable: *mut SqlSmallInt,
}

/// SQLDescribeCol(W).
///
/// # Safety
/// The pointers in `args` follow the SQLDescribeCol contract.
pub unsafe fn describe_col<E: Encoding>(
    stmt: &Stmt,
    args: &DescribeColArgs,
    diags: &mut Diags,
) -> Result<Outcome, OdbcError> {
    {
        let mut state = lock(&stmt.state)?;
        ensure_columns(stmt, &mut state)?;
    }
    let col = column(stmt, args.column)?;
    // SAFETY: per the caller.
    unsafe {
        out::write_str::<E, SqlSmallInt>(
            &col.name,
            args.name,
            isize::from(args.name_cap),
            Unit::Chars,
            args.name_len,
            diags,
        )?;
        out::write_if_some(args.data_type, col.info.sql_type);
        out::write_if_some(args.column_size, col.info.column_size as SqlULen);
        out::write_if_some(args.decimal_digits, col.info.decimal_digits);
        out::write_if_some(args.nullable, col.nullable);
    }
    Ok(Outcome::Success)
}

/// A column attribute value (an IRD record field).
pub enum Attr {
    /// A numeric attribute.
    Num(SqlLen),
    /// A character attribute.
    Text(String),
}

/// `SQL_DESC_PRECISION`: digits for exact numerics, fractional-second digits for date/time
/// and interval types, the column size otherwise.
fn precision(info: &SqlTypeInfo) -> SqlLen {
    if info.verbose_type == SQL_DATETIME || info.verbose_type == SQL_INTERVAL {
        SqlLen::from(info.decimal_digits)
    } else {
        info.column_size as SqlLen
    }
}

/// `SQL_DESC_SCALE`: defined for exact numerics only.
fn scale(info: &SqlTypeInfo) -> SqlLen {
    if matches!(info.sql_type, SQL_DECIMAL | SQL_NUMERIC) {
        SqlLen::from(info.decimal_digits)
    } else {
        0
    }
}

/// Field `field` of a result column, as SQLColAttribute and the IRD's SQLGetDescField report it
/// (`None` for an unknown field).
pub fn attribute(col: &ColumnRecord, field: SqlUSmallInt) -> Option<Attr> {
    let info = &col.info;
    let flag = |b: bool| Attr::Num(SqlLen::from(b));
    Some(match field {
        SQL_COLUMN_NAME | SQL_DESC_NAME | SQL_DESC_LABEL | SQL_DESC_BASE_COLUMN_NAME => {
            Attr::Text(col.name.clone())
        }
        SQL_DESC_UNNAMED => Attr::Num(if col.name.is_empty() {
            SQL_UNNAMED
        } else {
            SQL_NAMED
        }),
        SQL_DESC_CONCISE_TYPE => Attr::Num(SqlLen::from(info.sql_type)),
        SQL_DESC_TYPE => Attr::Num(SqlLen::from(info.verbose_type)),
        SQL_DESC_DATETIME_INTERVAL_CODE => Attr::Num(SqlLen::from(info.datetime_sub)),
        SQL_DESC_LENGTH => Attr::Num(info.column_size as SqlLen),
        SQL_COLUMN_LENGTH | SQL_DESC_OCTET_LENGTH => Attr::Num(info.octet_length as SqlLen),
        SQL_COLUMN_PRECISION => Attr::Num(info.column_size as SqlLen),
        SQL_DESC_PRECISION => Attr::Num(precision(info)),
        SQL_COLUMN_SCALE => Attr::Num(SqlLen::from(info.decimal_digits)),
        SQL_DESC_SCALE => Attr::Num(scale(info)),
        SQL_DESC_DISPLAY_SIZE => Attr::Num(info.display_size as SqlLen),
        SQL_COLUMN_NULLABLE | SQL_DESC_NULLABLE => Attr::Num(SqlLen::from(col.nullable)),
        SQL_DESC_UNSIGNED => flag(info.unsigned),
        SQL_DESC_FIXED_PREC_SCALE => flag(info.fixed_prec_scale),
        SQL_DESC_UPDATABLE => Attr::Num(SQL_ATTR_READONLY),
        SQL_DESC_AUTO_UNIQUE_VALUE => flag(false),
        SQL_DESC_CASE_SENSITIVE => flag(info.case_sensitive),
        SQL_DESC_SEARCHABLE => Attr::Num(SqlLen::from(info.searchable)),
        SQL_DESC_TYPE_NAME | SQL_DESC_LOCAL_TYPE_NAME => Attr::Text(info.type_name.to_string()),
        SQL_DESC_TABLE_NAME
        | SQL_DESC_SCHEMA_NAME
        | SQL_DESC_CATALOG_NAME
        | SQL_DESC_BASE_TABLE_NAME => Attr::Text(String::new()),
        SQL_DESC_LITERAL_PREFIX => Attr::Text(info.literal_prefix.unwrap_or("").to_string()),
        SQL_DESC_LITERAL_SUFFIX => Attr::Text(info.literal_suffix.unwrap_or("").to_string()),
        SQL_DESC_NUM_PREC_RADIX => Attr::Num(SqlLen::from(info.num_prec_radix)),
        SQL_DESC_DATETIME_INTERVAL_PRECISION => Attr::Num(if info.verbose_type == SQL_INTERVAL {
            SqlLen::from(sqltype::INTERVAL_LEADING_PRECISION)
        } else {
            0
        }),
        _ => return None,
    })
}

/// Arguments of SQLColAttribute(W).
pub struct ColAttributeArgs {
    /// `ColumnNumber`.
    pub column: SqlUSmallInt,
    /// `FieldIdentifier`.
    pub field: SqlUSmallInt,
    /// `CharacterAttributePtr`.
    pub text: *mut c_void,
    /// `BufferLength` in bytes.
    pub text_cap: SqlSmallInt,
    /// `StringLengthPtr` in bytes.
    pub text_len: *mut SqlSmallInt,
    /// `NumericAttributePtr`.
    pub number: *mut SqlLen,
}

/// SQLColAttribute(W).
///
/// # Safety
/// The pointers in `args` follow the SQLColAttribute contract.
pub unsafe fn col_attribute<E: Encoding>(
    stmt: &Stmt,
    args: &ColAttributeArgs,
    diags: &mut Diags,
) -> Result<Outcome, OdbcError> {
    {
        let mut state = lock(&stmt.state)?;
        ensure_columns(stmt, &mut state)?;
    }
    let value = if args.field == SQL_DESC_COUNT || args.field == SQL_COLUMN_COUNT {
        Attr::Num(stmt.ird.data.lock().columns.len() as SqlLen)
    } else {
        let col = column(stmt, args.column)?;
        attribute(&col, args.field).ok_or_else(|| {
            OdbcError::new(
                "HY091",
                format!("invalid descriptor field identifier {}", args.field),
            )
        })?
    };
    // SAFETY: per the caller.
    unsafe {
        match value {
            Attr::Num(n) => out::write_if_some(args.number, n),
            Attr::Text(s) => out::write_str::<E, SqlSmallInt>(
                &s,
                args.text,
                isize::from(args.text_cap),
                Unit::Bytes,
                args.text_len,
                diags,
            )?,
        }
    }
    Ok(Outcome::Success)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::ColumnMeta;

    fn meta(cols: &[(&str, &str)]) -> ResultMetadata {
        ResultMetadata {
            row_count: 0,
            columns: cols
                .iter()
                .map(|(n, t)| ColumnMeta {
                    name: n.to_string(),
                    type_name: t.to_string(),
                    ..ColumnMeta::default()
                })
                .collect(),
        }
    }

    #[test]
    fn ird_from_metadata_has_finite_sizes() {
        let ird = Desc::implicit(crate::odbc::desc::DescKind::Ird, std::sync::Weak::new());
        let n = fill_ird(
            &ird,
            &meta(&[("id", "LONG"), ("name", "STRING"), ("d", "DECIMAL128")]),
            None,
        );
        assert_eq!(n, 3);
        let data = ird.data.lock();
        assert_eq!(data.columns[0].info.sql_type, sqltype::SQL_BIGINT);
        assert!(data.columns.iter().all(|c| c.info.column_size > 0));
        assert_eq!(
            data.columns[2].info.decimal_digits,
            sqltype::DEFAULT_DECIMAL_SCALE
        );
    }

    #[test]
    fn column_attributes_cover_names_types_and_sizes() {
        let col = ColumnRecord {
            name: "price".into(),
            info: sqltype::from_metadata_type("DECIMAL128", Some(2)),
            nullable: SQL_NULLABLE,
        };
        let num = |f| match attribute(&col, f) {
            Some(Attr::Num(n)) => n,
            _ => panic!("field {f} not numeric"),
        };
        let text = |f| match attribute(&col, f) {
            Some(Attr::Text(s)) => s,
            _ => panic!("field {f} not text"),
        };
        assert_eq!(text(SQL_DESC_NAME), "price");
        assert_eq!(text(SQL_DESC_LABEL), "price");
        assert_eq!(num(SQL_DESC_SCALE), 2);
        assert_eq!(num(SQL_DESC_PRECISION), 38);
        assert_eq!(num(SQL_DESC_NULLABLE), 1);
        assert_eq!(num(SQL_DESC_UNNAMED), SQL_NAMED);
        assert_eq!(text(SQL_DESC_TABLE_NAME), "");
        assert!(num(SQL_DESC_OCTET_LENGTH) > 0);
        assert!(attribute(&col, 4242).is_none());
    }
}
