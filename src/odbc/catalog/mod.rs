//! Catalog functions, the pure part: argument semantics ([`pattern`]), the ODBC 3 result-set
//! shapes ([`shapes`]) and the builders of their rows from what the e6data catalog RPCs
//! return. The statement layer fetches the names and serves the [`LocalResult`]s.

pub mod functions;
pub mod pattern;
pub mod result;
pub mod shapes;

use super::sqltype::{self, SQL_NULLABLE, TypeInfoRow};
use pattern::{ArgKind, NameFilter, TABLE_TYPES, table_type_selected};
use result::Cell;
pub use result::LocalResult;

/// What an SQLTables call asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TablesRequest {
    /// `SQL_ALL_CATALOGS`: catalog `%`, schema and table empty.
    Catalogs,
    /// `SQL_ALL_SCHEMAS`: schema `%`, catalog and table empty.
    Schemas,
    /// `SQL_ALL_TABLE_TYPES`: type `%`, catalog, schema and table empty.
    TableTypes,
    /// Tables selected by the three filters and the type list.
    Tables {
        /// Catalog filter.
        catalog: NameFilter,
        /// Schema filter.
        schema: NameFilter,
        /// Table filter.
        table: NameFilter,
        /// `true` when the type list selects `TABLE` (the only e6data table type).
        tables_selected: bool,
    },
}

/// Interprets the SQLTables arguments (`None` = NULL pointer).
pub fn tables_request(
    catalog: Option<&str>,
    schema: Option<&str>,
    table: Option<&str>,
    types: Option<&str>,
    metadata_id: bool,
) -> TablesRequest {
    let empty = |v: Option<&str>| v == Some("");
    if catalog == Some("%") && empty(schema) && empty(table) {
        return TablesRequest::Catalogs;
    }
    if schema == Some("%") && empty(catalog) && empty(table) {
        return TablesRequest::Schemas;
    }
    if types == Some("%") && empty(catalog) && empty(schema) && empty(table) {
        return TablesRequest::TableTypes;
    }
    TablesRequest::Tables {
        catalog: NameFilter::new(catalog, ArgKind::Pattern, metadata_id),
        schema: NameFilter::new(schema, ArgKind::Pattern, metadata_id),
        table: NameFilter::new(table, ArgKind::Pattern, metadata_id),
        tables_selected: TABLE_TYPES.iter().any(|t| table_type_selected(types, t)),
    }
}

/// SQLTables for `SQL_ALL_CATALOGS`: one row per catalog, other columns NULL.
pub fn catalogs_result(mut catalogs: Vec<String>) -> LocalResult {
    catalogs.sort();
    catalogs.dedup();
    LocalResult {
        columns: &shapes::TABLES,
        rows: catalogs
            .into_iter()
            .map(|c| {
                vec![
                    Cell::Text(c),
                    Cell::Null,
                    Cell::Null,
                    Cell::Null,
                    Cell::Null,
                ]
            })
            .collect(),
    }
}

/// SQLTables for `SQL_ALL_SCHEMAS`: one row per distinct schema name, other columns NULL.
pub fn schemas_result(mut schemas: Vec<String>) -> LocalResult {
    schemas.sort();
    schemas.dedup();
    LocalResult {
        columns: &shapes::TABLES,
        rows: schemas
            .into_iter()
            .map(|s| {
                vec![
                    Cell::Null,
                    Cell::Text(s),
                    Cell::Null,
                    Cell::Null,
                    Cell::Null,
                ]
            })
            .collect(),
    }
}

/// SQLTables for `SQL_ALL_TABLE_TYPES`.
pub fn table_types_result() -> LocalResult {
    LocalResult {
        columns: &shapes::TABLES,
        rows: TABLE_TYPES
            .iter()
            .map(|t| {
                vec![
                    Cell::Null,
                    Cell::Null,
                    Cell::Null,
                    Cell::Text((*t).to_owned()),
                    Cell::Null,
                ]
            })
            .collect(),
    }
}

/// A table found in the catalog.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct TableName {
    /// Its catalog.
    pub catalog: String,
    /// Its schema.
    pub schema: String,
    /// Its name.
    pub table: String,
}

/// SQLTables rows, sorted by TABLE_TYPE, TABLE_CAT, TABLE_SCHEM, TABLE_NAME.
pub fn tables_result(mut tables: Vec<TableName>) -> LocalResult {
    tables.sort();
    tables.dedup();
    LocalResult {
        columns: &shapes::TABLES,
        rows: tables
            .into_iter()
            .map(|t| {
                vec![
                    Cell::Text(t.catalog),
                    Cell::Text(t.schema),
                    Cell::Text(t.table),
                    Cell::Text("TABLE".to_owned()),
                    Cell::Null,
                ]
            })
            .collect(),
    }
}

/// The columns of one table as `getColumnsV2` returns them: `(name, field type)` in table
/// order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableColumns {
    /// The table.
    pub table: TableName,
    /// Its columns in order.
    pub columns: Vec<(String, String)>,
}

fn size(n: u32) -> Cell {
    Cell::Int(i32::try_from(n).unwrap_or(i32::MAX))
}

/// SQLColumns rows for the columns selected by `column`, sorted by TABLE_CAT, TABLE_SCHEM,
/// TABLE_NAME, ORDINAL_POSITION. Types come from [`sqltype::from_catalog_type`].
pub fn columns_result(mut tables: Vec<TableColumns>, column: &NameFilter) -> LocalResult {
    tables.sort_by(|a, b| a.table.cmp(&b.table));
    let mut rows = Vec::new();
    for t in tables {
        for (ordinal, (name, field_type)) in t.columns.iter().enumerate() {
            if !column.matches(name) {
                continue;
            }
            let info = sqltype::from_catalog_type(field_type);
            // DECIMAL_DIGITS: the scale of exact numbers, the fractional-second digits of
            // timestamps and intervals; NULL for approximate numbers and everything else.
            let approximate = matches!(
                info.sql_type,
                sqltype::SQL_REAL | sqltype::SQL_DOUBLE | sqltype::SQL_FLOAT
            );
            let scaled = (info.num_prec_radix != 0 && !approximate)
                || matches!(
                    info.sql_type,
                    sqltype::SQL_TYPE_TIMESTAMP | sqltype::SQL_INTERVAL_DAY_TO_SECOND
                );
            rows.push(vec![
                Cell::Text(t.table.catalog.clone()),
                Cell::Text(t.table.schema.clone()),
                Cell::Text(t.table.table.clone()),
                Cell::Text(name.clone()),
                Cell::Int(i32::from(info.sql_type)),
                Cell::Text(info.type_name.to_owned()),
                size(info.column_size),
                size(info.octet_length),
                Cell::opt_int(scaled.then_some(i32::from(info.decimal_digits))),
                Cell::opt_int((info.num_prec_radix != 0).then_some(i32::from(info.num_prec_radix))),
                Cell::Int(i32::from(SQL_NULLABLE)),
                Cell::Null,
                Cell::Null,
                Cell::Int(i32::from(info.verbose_type)),
                Cell::opt_int((info.datetime_sub != 0).then_some(i32::from(info.datetime_sub))),
                if info.is_char_or_binary() {
                    size(info.octet_length)
                } else {
                    Cell::Null
                },
                Cell::Int(i32::try_from(ordinal + 1).unwrap_or(i32::MAX)),
                Cell::Text("YES".to_owned()),
            ]);
        }
    }
    LocalResult {
        columns: &shapes::COLUMNS,
        rows,
    }
}

fn type_info_row(r: &TypeInfoRow) -> Vec<Cell> {
    let small = |v: Option<i16>| Cell::opt_int(v.map(i32::from));
    vec![
        Cell::Text(r.type_name.to_owned()),
        Cell::Int(i32::from(r.data_type)),
        Cell::opt_int(r.column_size),
        Cell::opt_text(r.literal_prefix),
        Cell::opt_text(r.literal_suffix),
        Cell::opt_text(r.create_params),
        Cell::Int(i32::from(r.nullable)),
        Cell::Int(i32::from(r.case_sensitive)),
        Cell::Int(i32::from(r.searchable)),
        small(r.unsigned_attribute),
        Cell::Int(i32::from(r.fixed_prec_scale)),
        small(r.auto_unique_value),
        Cell::opt_text(r.local_type_name),
        small(r.minimum_scale),
        small(r.maximum_scale),
        Cell::Int(i32::from(r.sql_data_type)),
        small(r.sql_datetime_sub),
        Cell::opt_int(r.num_prec_radix),
        small(r.interval_precision),
    ]
}

/// SQLGetTypeInfo(`data_type`): the rows of [`sqltype::type_info_for`], in its order.
pub fn type_info_result(data_type: i16) -> LocalResult {
    LocalResult {
        columns: &shapes::TYPE_INFO,
        rows: sqltype::type_info_for(data_type)
            .map(type_info_row)
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(c: &str, s: &str, t: &str) -> TableName {
        TableName {
            catalog: c.into(),
            schema: s.into(),
            table: t.into(),
        }
    }

    #[test]
    fn tables_special_modes() {
        let none = None;
        assert_eq!(
            tables_request(Some("%"), Some(""), Some(""), none, false),
            TablesRequest::Catalogs
        );
        assert_eq!(
            tables_request(Some(""), Some("%"), Some(""), none, false),
            TablesRequest::Schemas
        );
        assert_eq!(
            tables_request(Some(""), Some(""), Some(""), Some("%"), false),
            TablesRequest::TableTypes
        );
        match tables_request(None, Some("de%"), None, Some("'VIEW'"), false) {
            TablesRequest::Tables {
                catalog,
                schema,
                tables_selected,
                ..
            } => {
                assert_eq!(catalog, NameFilter::Any);
                assert!(schema.matches("demo"));
                assert!(!tables_selected);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn enumerations() {
        let r = catalogs_result(vec!["b".into(), "a".into(), "a".into()]);
        assert_eq!(r.rows.len(), 2);
        assert_eq!(r.rows[0][0], Cell::Text("a".into()));
        assert_eq!(r.rows[0][1], Cell::Null);
        let r = schemas_result(vec!["s".into()]);
        assert_eq!(r.rows[0][..2], [Cell::Null, Cell::Text("s".into())]);
        assert_eq!(table_types_result().rows[0][3], Cell::Text("TABLE".into()));
        let r = tables_result(vec![name("c", "z", "t"), name("c", "a", "u")]);
        assert_eq!(r.rows[0][1], Cell::Text("a".into()));
        assert_eq!(r.columns.len(), 5);
    }

    #[test]
    fn columns_rows() {
        let t = TableColumns {
            table: name("e6data", "demo", "t"),
            columns: vec![
                ("id".into(), "bigint".into()),
                ("price".into(), "decimal(7,2)".into()),
                ("name".into(), "varchar(16)".into()),
                ("tags".into(), "array<int>".into()),
                ("ts".into(), "timestamp".into()),
                ("x".into(), "double".into()),
            ],
        };
        let r = columns_result(vec![t.clone()], &NameFilter::Any);
        assert_eq!(r.columns.len(), 18);
        assert_eq!(r.rows.len(), 6);
        assert_eq!(r.rows[5][8], Cell::Null, "no DECIMAL_DIGITS for DOUBLE");
        let price = &r.rows[1];
        assert_eq!(price[4], Cell::Int(i32::from(sqltype::SQL_DECIMAL)));
        assert_eq!(price[5], Cell::Text("DECIMAL".into()));
        assert_eq!(price[6], Cell::Int(7));
        assert_eq!(price[8], Cell::Int(2));
        assert_eq!(price[9], Cell::Int(10));
        assert_eq!(price[15], Cell::Null);
        assert_eq!(price[16], Cell::Int(2));
        let name_col = &r.rows[2];
        assert_eq!(name_col[6], Cell::Int(16));
        assert_eq!(name_col[8], Cell::Null);
        assert_ne!(name_col[15], Cell::Null);
        let ts = &r.rows[4];
        assert_eq!(ts[13], Cell::Int(i32::from(sqltype::SQL_DATETIME)));
        assert_eq!(ts[14], Cell::Int(3));
        let only = columns_result(
            vec![t],
            &NameFilter::new(Some("n%"), ArgKind::Pattern, false),
        );
        assert_eq!(only.rows.len(), 1);
        assert_eq!(only.rows[0][16], Cell::Int(3));
        assert!(only.to_chunk().is_some());
    }

    #[test]
    fn type_info() {
        let all = type_info_result(sqltype::SQL_ALL_TYPES);
        assert_eq!(all.columns.len(), 19);
        assert_eq!(all.rows.len(), sqltype::type_info_rows().len());
        let dec = type_info_result(sqltype::SQL_DECIMAL);
        assert_eq!(dec.rows.len(), 1);
        assert_eq!(dec.rows[0][0], Cell::Text("DECIMAL".into()));
        assert!(type_info_result(sqltype::SQL_TYPE_TIME).rows.is_empty());
        let names: Vec<&str> = shapes::TYPE_INFO.iter().map(|c| c.name).collect();
        assert_eq!(names, sqltype::TYPE_INFO_COLUMNS);
    }

    #[test]
    fn shape_names_are_upper_case() {
        for shape in [
            &shapes::PRIMARY_KEYS[..],
            &shapes::FOREIGN_KEYS,
            &shapes::STATISTICS,
            &shapes::SPECIAL_COLUMNS,
            &shapes::PROCEDURES,
            &shapes::PROCEDURE_COLUMNS,
            &shapes::TABLE_PRIVILEGES,
            &shapes::COLUMN_PRIVILEGES,
        ] {
            assert!(!shape.is_empty());
            for c in shape {
                assert!(
                    c.name
                        .chars()
                        .all(|ch| ch.is_ascii_uppercase() || ch == '_')
                );
            }
        }
    }
}
