//! A result set computed by the driver itself (catalog functions, SQLGetTypeInfo): typed
//! columns and rows, turned into a wire [`Chunk`] so the statement's normal fetch path
//! (SQLFetch, SQLGetData, SQLBindCol, SQLDescribeCol) serves it like a query result.

use crate::wire::{Chunk, Column, ColumnValues, VectorType};

use super::super::sqltype::{self, SqlTypeInfo};

/// The SQL type of a driver-computed result column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColType {
    /// `VARCHAR(128)` (names, remarks; reported as `SQL_WVARCHAR`).
    Varchar,
    /// `SMALLINT`.
    SmallInt,
    /// `INTEGER`.
    Integer,
}

impl ColType {
    /// How the column looks to ODBC.
    pub fn info(self) -> SqlTypeInfo {
        match self {
            Self::Varchar => sqltype::from_catalog_type("varchar(128)"),
            Self::SmallInt => sqltype::from_catalog_type("smallint"),
            Self::Integer => sqltype::from_catalog_type("int"),
        }
    }
}

/// One column of a driver-computed result set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ResultColumn {
    /// The ODBC column name.
    pub name: &'static str,
    /// Its type.
    pub col_type: ColType,
    /// `false` when the specification says the column is never NULL.
    pub nullable: bool,
}

/// A nullable `VARCHAR` column.
pub const fn text(name: &'static str) -> ResultColumn {
    ResultColumn {
        name,
        col_type: ColType::Varchar,
        nullable: true,
    }
}

/// A `VARCHAR` column that is never NULL.
pub const fn text_nn(name: &'static str) -> ResultColumn {
    ResultColumn {
        name,
        col_type: ColType::Varchar,
        nullable: false,
    }
}

/// A nullable `SMALLINT` column.
pub const fn small(name: &'static str) -> ResultColumn {
    ResultColumn {
        name,
        col_type: ColType::SmallInt,
        nullable: true,
    }
}

/// A `SMALLINT` column that is never NULL.
pub const fn small_nn(name: &'static str) -> ResultColumn {
    ResultColumn {
        name,
        col_type: ColType::SmallInt,
        nullable: false,
    }
}

/// A nullable `INTEGER` column.
pub const fn int(name: &'static str) -> ResultColumn {
    ResultColumn {
        name,
        col_type: ColType::Integer,
        nullable: true,
    }
}

/// An `INTEGER` column that is never NULL.
pub const fn int_nn(name: &'static str) -> ResultColumn {
    ResultColumn {
        name,
        col_type: ColType::Integer,
        nullable: false,
    }
}

/// One cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell {
    /// SQL NULL.
    Null,
    /// Text.
    Text(String),
    /// An integer (SMALLINT or INTEGER column).
    Int(i32),
}

impl Cell {
    /// Text, or NULL for `None`.
    pub fn opt_text(value: Option<&str>) -> Self {
        value.map_or(Self::Null, |v| Self::Text(v.to_owned()))
    }

    /// An integer, or NULL for `None`.
    pub fn opt_int(value: Option<i32>) -> Self {
        value.map_or(Self::Null, Self::Int)
    }
}

/// A driver-computed result set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalResult {
    /// The columns, in order.
    pub columns: &'static [ResultColumn],
    /// The rows, each with one cell per column.
    pub rows: Vec<Vec<Cell>>,
}

impl LocalResult {
    /// An empty result set of the given shape.
    pub fn empty(columns: &'static [ResultColumn]) -> Self {
        Self {
            columns,
            rows: Vec::new(),
        }
    }

    /// The rows as one wire chunk (`None` for an empty result).
    pub fn to_chunk(&self) -> Option<Chunk> {
        if self.rows.is_empty() {
            return None;
        }
        let columns = self
            .columns
            .iter()
            .enumerate()
            .map(|(i, column)| self.column(i, column.col_type))
            .collect();
        Some(Chunk {
            rows: self.rows.len(),
            columns,
        })
    }

    fn column(&self, index: usize, col_type: ColType) -> Column {
        let cells = self
            .rows
            .iter()
            .map(|row| row.get(index).unwrap_or(&Cell::Null));
        let nulls: Vec<bool> = cells.clone().map(|c| *c == Cell::Null).collect();
        match col_type {
            ColType::Varchar => {
                let mut offsets = Vec::with_capacity(self.rows.len() + 1);
                let mut data = Vec::new();
                offsets.push(0u32);
                for cell in cells {
                    if let Cell::Text(s) = cell {
                        data.extend_from_slice(s.as_bytes());
                    }
                    offsets.push(u32::try_from(data.len()).unwrap_or(u32::MAX));
                }
                Column {
                    vector_type: VectorType::String,
                    constant: false,
                    nulls,
                    values: ColumnValues::Bytes { offsets, data },
                }
            }
            ColType::SmallInt | ColType::Integer => Column {
                vector_type: VectorType::Integer,
                constant: false,
                nulls,
                values: ColumnValues::Int32(
                    cells
                        .map(|c| match c {
                            Cell::Int(n) => *n,
                            _ => 0,
                        })
                        .collect(),
                ),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::Value;

    static COLS: [ResultColumn; 2] = [text("NAME"), small_nn("N")];

    #[test]
    fn chunk_round_trip() {
        let result = LocalResult {
            columns: &COLS,
            rows: vec![
                vec![Cell::Text("a".into()), Cell::Int(1)],
                vec![Cell::Null, Cell::Int(-2)],
            ],
        };
        let chunk = result.to_chunk().unwrap();
        assert_eq!(chunk.rows, 2);
        assert_eq!(chunk.columns[0].value(0), Value::Text(b"a"));
        assert_eq!(chunk.columns[0].value(1), Value::Null);
        assert_eq!(chunk.columns[1].value(1), Value::I32(-2));
        let validated = Chunk::new(chunk.rows, chunk.columns.clone()).unwrap();
        assert_eq!(validated, chunk);
        assert!(LocalResult::empty(&COLS).to_chunk().is_none());
    }

    #[test]
    fn column_types() {
        assert_eq!(ColType::SmallInt.info().sql_type, sqltype::SQL_SMALLINT);
        assert_eq!(ColType::Integer.info().sql_type, sqltype::SQL_INTEGER);
        assert_eq!(ColType::Varchar.info().column_size, 128);
    }
}
