//! The catalog functions on a statement handle: they read the e6data catalog through the
//! client, build a [`LocalResult`] and open it as the statement's cursor, so SQLFetch,
//! SQLGetData, SQLBindCol, SQLDescribeCol and SQLColAttribute serve it exactly like a query
//! result. Also SQLNativeSql.

use std::ffi::c_void;

use crate::client::{ClientError, Connection};

use super::super::dbc::Dbc;
use super::super::desc::ColumnRecord;
use super::super::diag::{Diags, OdbcError, Outcome, StatementSummary};
use super::super::entry::lock;
use super::super::escape;
use super::super::handles::Kind;
use super::super::out::{self, Unit};
use super::super::runtime;
use super::super::sqltype::{SQL_NO_NULLS, SQL_NULLABLE};
use super::super::stmt::cursor::Cursor;
use super::super::stmt::{Stmt, StmtState};
use super::super::text::{Encoding, read_str};
use super::pattern::{ArgKind, NameFilter};
use super::result::ResultColumn;
use super::{LocalResult, TableColumns, TableName, TablesRequest, shapes};

/// Reads a catalog-function name argument (`None` for a null pointer).
///
/// # Safety
/// `ptr` is null or valid for `len` units (or NUL-terminated for `SQL_NTS`).
pub unsafe fn name_arg<E: Encoding>(
    ptr: *const c_void,
    len: i16,
) -> Result<Option<String>, OdbcError> {
    // SAFETY: per the caller.
    unsafe { read_str::<E>(ptr, isize::from(len)) }
}

fn cursor_open() -> OdbcError {
    OdbcError::new(
        "24000",
        "invalid cursor state: a cursor is open; call SQLCloseCursor or SQLFreeStmt(SQL_CLOSE) \
         first",
    )
}

/// Locks the statement for a catalog function (24000 with an open cursor).
fn begin(stmt: &Stmt) -> Result<std::sync::MutexGuard<'_, StmtState>, OdbcError> {
    let state = lock(&stmt.state)?;
    if state.cursor.is_some() {
        return Err(cursor_open());
    }
    Ok(state)
}

/// Opens `result` as the statement's cursor and describes it in the IRD.
fn open(stmt: &Stmt, state: &mut StmtState, result: LocalResult) -> Outcome {
    stmt.ird.data.lock().columns = result
        .columns
        .iter()
        .map(|c: &ResultColumn| ColumnRecord {
            name: c.name.to_owned(),
            info: c.col_type.info(),
            nullable: if c.nullable {
                SQL_NULLABLE
            } else {
                SQL_NO_NULLS
            },
        })
        .collect();
    state.sql = None;
    state.prepared = false;
    state.described = false;
    state.executed = true;
    stmt.diag().lock().set_summary(StatementSummary {
        row_count: -1,
        cursor_row_count: -1,
        select: true,
    });
    state.cursor = Some(Cursor::local(result.to_chunk()));
    Outcome::Success
}

/// Maps the client result of a catalog read.
fn finish<T>(
    stmt: &Stmt,
    result: Result<Result<T, ClientError>, OdbcError>,
) -> Result<T, OdbcError> {
    result?.map_err(|e| stmt.client_error(&e))
}

async fn list_schemas(
    client: &Connection,
    catalog: &NameFilter,
    schema: &NameFilter,
) -> Result<Vec<(String, String)>, ClientError> {
    let mut out = Vec::new();
    for (cat, _) in client.catalogs().await? {
        if !catalog.matches(&cat) {
            continue;
        }
        for sch in client.schemas(&cat).await? {
            if schema.matches(&sch) {
                out.push((cat.clone(), sch));
            }
        }
    }
    Ok(out)
}

async fn list_tables(
    client: &Connection,
    catalog: &NameFilter,
    schema: &NameFilter,
    table: &NameFilter,
) -> Result<Vec<TableName>, ClientError> {
    let mut out = Vec::new();
    for (cat, sch) in list_schemas(client, catalog, schema).await? {
        for t in client.tables(&cat, &sch).await? {
            if table.matches(&t) {
                out.push(TableName {
                    catalog: cat.clone(),
                    schema: sch.clone(),
                    table: t,
                });
            }
        }
    }
    Ok(out)
}

/// SQLTables (`None` arguments are null pointers).
pub fn tables(
    stmt: &Stmt,
    catalog: Option<&str>,
    schema: Option<&str>,
    table: Option<&str>,
    types: Option<&str>,
) -> Result<Outcome, OdbcError> {
    let mut state = begin(stmt)?;
    let request = super::tables_request(catalog, schema, table, types, state.metadata_id);
    let result = match request {
        TablesRequest::TableTypes => super::table_types_result(),
        TablesRequest::Catalogs => {
            let client = stmt.dbc.session()?.client;
            let _busy = stmt.begin_work();
            let names = finish(
                stmt,
                runtime::block_on(async move { client.catalogs().await }),
            )?;
            super::catalogs_result(names.into_iter().map(|(name, _)| name).collect())
        }
        TablesRequest::Schemas => {
            let client = stmt.dbc.session()?.client;
            let _busy = stmt.begin_work();
            let pairs = finish(
                stmt,
                runtime::block_on(async move {
                    list_schemas(&client, &NameFilter::Any, &NameFilter::Any).await
                }),
            )?;
            super::schemas_result(pairs.into_iter().map(|(_, s)| s).collect())
        }
        TablesRequest::Tables {
            tables_selected: false,
            ..
        } => LocalResult::empty(&shapes::TABLES),
        TablesRequest::Tables {
            catalog,
            schema,
            table,
            ..
        } => {
            let client = stmt.dbc.session()?.client;
            let _busy = stmt.begin_work();
            let found = finish(
                stmt,
                runtime::block_on(
                    async move { list_tables(&client, &catalog, &schema, &table).await },
                ),
            )?;
            super::tables_result(found)
        }
    };
    Ok(open(stmt, &mut state, result))
}

/// SQLColumns. The catalog argument is an ordinary argument; the others are patterns.
pub fn columns(
    stmt: &Stmt,
    catalog: Option<&str>,
    schema: Option<&str>,
    table: Option<&str>,
    column: Option<&str>,
) -> Result<Outcome, OdbcError> {
    let mut state = begin(stmt)?;
    let id = state.metadata_id;
    let catalog = NameFilter::new(catalog, ArgKind::Ordinary, id);
    let schema = NameFilter::new(schema, ArgKind::Pattern, id);
    let table = NameFilter::new(table, ArgKind::Pattern, id);
    let column = NameFilter::new(column, ArgKind::Pattern, id);
    let client = stmt.dbc.session()?.client;
    let _busy = stmt.begin_work();
    let found = finish(
        stmt,
        runtime::block_on(async move {
            let mut out = Vec::new();
            for t in list_tables(&client, &catalog, &schema, &table).await? {
                let columns = client.columns(&t.catalog, &t.schema, &t.table).await?;
                out.push(TableColumns { table: t, columns });
            }
            Ok(out)
        }),
    )?;
    Ok(open(
        stmt,
        &mut state,
        super::columns_result(found, &column),
    ))
}

/// SQLGetTypeInfo.
pub fn type_info(stmt: &Stmt, data_type: i16) -> Result<Outcome, OdbcError> {
    let mut state = begin(stmt)?;
    Ok(open(stmt, &mut state, super::type_info_result(data_type)))
}

/// The catalog functions whose result is always empty on e6data (no keys, indexes,
/// procedures or privileges), with the argument each requires.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EmptyCatalog {
    /// SQLPrimaryKeys.
    PrimaryKeys,
    /// SQLForeignKeys.
    ForeignKeys,
    /// SQLStatistics.
    Statistics,
    /// SQLSpecialColumns.
    SpecialColumns,
    /// SQLProcedures.
    Procedures,
    /// SQLProcedureColumns.
    ProcedureColumns,
    /// SQLTablePrivileges.
    TablePrivileges,
    /// SQLColumnPrivileges.
    ColumnPrivileges,
}

impl EmptyCatalog {
    fn shape(self) -> &'static [ResultColumn] {
        match self {
            Self::PrimaryKeys => &shapes::PRIMARY_KEYS,
            Self::ForeignKeys => &shapes::FOREIGN_KEYS,
            Self::Statistics => &shapes::STATISTICS,
            Self::SpecialColumns => &shapes::SPECIAL_COLUMNS,
            Self::Procedures => &shapes::PROCEDURES,
            Self::ProcedureColumns => &shapes::PROCEDURE_COLUMNS,
            Self::TablePrivileges => &shapes::TABLE_PRIVILEGES,
            Self::ColumnPrivileges => &shapes::COLUMN_PRIVILEGES,
        }
    }
}

/// Opens the typed empty result set of `function` (BI tools call these while browsing and
/// must get a result, not an error: field-notes trap 10). `table_given` is `false` when a
/// required table-name argument is a null pointer (HY009).
pub fn empty(stmt: &Stmt, function: EmptyCatalog, table_given: bool) -> Result<Outcome, OdbcError> {
    let needs_table = matches!(
        function,
        EmptyCatalog::PrimaryKeys
            | EmptyCatalog::ForeignKeys
            | EmptyCatalog::Statistics
            | EmptyCatalog::SpecialColumns
            | EmptyCatalog::ColumnPrivileges
    );
    if needs_table && !table_given {
        return Err(OdbcError::null_pointer("TableName"));
    }
    let mut state = begin(stmt)?;
    Ok(open(stmt, &mut state, LocalResult::empty(function.shape())))
}

/// The statement text to run on `dbc`: escapes translated unless SQL_ATTR_NOSCAN is on.
pub fn statement_text(sql: String, noscan: bool, dbc: &Dbc) -> Result<String, OdbcError> {
    if noscan || !sql.contains('{') {
        return Ok(sql);
    }
    let names = dbc.escape_names()?;
    escape::translate(&sql, &names).map_err(|e| OdbcError::new(e.sqlstate(), e.to_string()))
}

/// SQLNativeSql(W): the translation of `text`, written like other output strings (lengths in
/// characters).
///
/// # Safety
/// `text` is null or valid for `len` units; `out_buf` null or valid for `cap` units;
/// `out_len` null or valid.
pub unsafe fn native_sql<E: Encoding>(
    dbc: &Dbc,
    text: *const c_void,
    len: isize,
    out_buf: *mut c_void,
    cap: isize,
    out_len: *mut i32,
    diags: &mut Diags,
) -> Result<Outcome, OdbcError> {
    // SAFETY: per the caller.
    let sql = unsafe { read_str::<E>(text, len)? }
        .ok_or_else(|| OdbcError::null_pointer("InStatementText"))?;
    let native = statement_text(sql, false, dbc)?;
    // SAFETY: per the caller.
    unsafe { out::write_str::<E, i32>(&native, out_buf, cap, Unit::Chars, out_len, diags)? };
    Ok(Outcome::Success)
}

/// Reads `N` name arguments.
///
/// # Safety
/// Each pointer is null or valid for its length (see [`name_arg`]).
unsafe fn read_names<E: Encoding, const N: usize>(
    args: [(*const c_void, i16); N],
) -> Result<[Option<String>; N], OdbcError> {
    let mut out: [Option<String>; N] = std::array::from_fn(|_| None);
    for (slot, (ptr, len)) in out.iter_mut().zip(args) {
        // SAFETY: per the caller.
        *slot = unsafe { name_arg::<E>(ptr, len)? };
    }
    Ok(out)
}

/// SQLTables(W) from raw arguments (catalog, schema, table, table types).
///
/// # Safety
/// See [`read_names`].
pub unsafe fn sql_tables<E: Encoding>(
    stmt: &Stmt,
    args: [(*const c_void, i16); 4],
) -> Result<Outcome, OdbcError> {
    // SAFETY: per the caller.
    let [c, s, t, types] = unsafe { read_names::<E, 4>(args)? };
    tables(
        stmt,
        c.as_deref(),
        s.as_deref(),
        t.as_deref(),
        types.as_deref(),
    )
}

/// SQLColumns(W) from raw arguments (catalog, schema, table, column).
///
/// # Safety
/// See [`read_names`].
pub unsafe fn sql_columns<E: Encoding>(
    stmt: &Stmt,
    args: [(*const c_void, i16); 4],
) -> Result<Outcome, OdbcError> {
    // SAFETY: per the caller.
    let [c, s, t, col] = unsafe { read_names::<E, 4>(args)? };
    columns(
        stmt,
        c.as_deref(),
        s.as_deref(),
        t.as_deref(),
        col.as_deref(),
    )
}

/// An always-empty catalog function from raw arguments; `table_arg` is the index of its
/// table-name argument (the FK table for SQLForeignKeys is checked by the caller).
///
/// # Safety
/// See [`read_names`].
pub unsafe fn sql_empty<E: Encoding, const N: usize>(
    stmt: &Stmt,
    function: EmptyCatalog,
    args: [(*const c_void, i16); N],
    table_arg: usize,
) -> Result<Outcome, OdbcError> {
    // SAFETY: per the caller.
    let names = unsafe { read_names::<E, N>(args)? };
    let table_given = match function {
        EmptyCatalog::ForeignKeys => names.iter().skip(2).step_by(3).any(Option::is_some),
        _ => names.get(table_arg).is_some_and(Option::is_some),
    };
    empty(stmt, function, table_given)
}

/// Checks an enumerated argument (HY097..HY101 style errors).
pub fn check_option(
    value: u16,
    allowed: &[u16],
    sqlstate: &'static str,
    what: &str,
) -> Result<(), OdbcError> {
    if allowed.contains(&value) {
        Ok(())
    } else {
        Err(OdbcError::new(
            sqlstate,
            format!("{what} {value} is not valid; allowed values are {allowed:?}"),
        ))
    }
}
