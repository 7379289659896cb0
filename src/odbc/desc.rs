//! Descriptors: the four implicit descriptors of a statement (ARD, APD, IRD, IPD) and the
//! application descriptors allocated explicitly on a connection, as real objects with their own
//! handles. SQLBindCol writes ARD records, SQLBindParameter APD and IPD records, execution fills
//! the IRD; the row-array and parameter-array statement attributes are the descriptors' header
//! fields (as the ODBC spec defines them), so SQLGetStmtAttr and the fetch code read the same
//! values. An explicit descriptor becomes a statement's ARD or APD through
//! `SQL_ATTR_APP_ROW_DESC` / `SQL_ATTR_APP_PARAM_DESC` (see [`super::stmt::Stmt::ard`]).
//!
//! Application pointers are stored as addresses (`usize`): they are only ever dereferenced by
//! the fetch/parameter code under the statement's lock, per the ODBC binding contract.

pub mod copy;
pub mod field;

use std::sync::{Arc, Weak};

use parking_lot::Mutex;

use super::dbc::Dbc;
use super::diag::{DiagArea, OdbcError};
use super::handles::{Kind, Object};
use super::sqltype::SqlTypeInfo;
use super::stmt::Stmt;

/// Which of a statement's descriptors this is. An explicitly allocated descriptor is an
/// application descriptor ([`DescKind::Ard`]): it serves as an ARD or an APD, whichever the
/// application associates it with, and both kinds have the same fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DescKind {
    /// Application row descriptor (SQLBindCol), or an explicitly allocated descriptor.
    Ard,
    /// Application parameter descriptor (SQLBindParameter, C side).
    Apd,
    /// Implementation row descriptor (result columns).
    Ird,
    /// Implementation parameter descriptor (SQLBindParameter, SQL side).
    Ipd,
}

/// Header fields (only those meaningful for the descriptor's kind are used).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Header {
    /// `SQL_DESC_ARRAY_SIZE` (ARD: row array size; APD: paramset size).
    pub array_size: usize,
    /// `SQL_DESC_BIND_TYPE` (ARD/APD): 0 = column-wise, else the row struct size in bytes.
    pub bind_type: usize,
    /// `SQL_DESC_BIND_OFFSET_PTR` (ARD/APD), address of an `SQLLEN`.
    pub bind_offset_ptr: usize,
    /// `SQL_DESC_ARRAY_STATUS_PTR` (IRD: row status; IPD: param status; APD: param
    /// operations), address of an `SQLUSMALLINT` array.
    pub array_status_ptr: usize,
    /// `SQL_DESC_ROWS_PROCESSED_PTR` (IRD: rows fetched; IPD: params processed), address of an
    /// `SQLULEN`.
    pub rows_processed_ptr: usize,
}

impl Default for Header {
    fn default() -> Self {
        Self {
            array_size: 1,
            bind_type: 0,
            bind_offset_ptr: 0,
            array_status_ptr: 0,
            rows_processed_ptr: 0,
        }
    }
}

/// One ARD or APD record: an application buffer.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AppRecord {
    /// C type code as given (may be `SQL_C_DEFAULT`).
    pub c_type: i16,
    /// `SQL_DESC_DATA_PTR`.
    pub data_ptr: usize,
    /// `SQL_DESC_OCTET_LENGTH` (buffer length in bytes).
    pub octet_length: isize,
    /// `SQL_DESC_INDICATOR_PTR` (`SQLLEN*`).
    pub indicator_ptr: usize,
    /// `SQL_DESC_OCTET_LENGTH_PTR` (`SQLLEN*`).
    pub octet_length_ptr: usize,
    /// `SQL_DESC_PRECISION` (SQL_C_NUMERIC).
    pub precision: i16,
    /// `SQL_DESC_SCALE` (SQL_C_NUMERIC).
    pub scale: i16,
    /// `SQL_DESC_NAME` (set by the application or copied from an IRD; empty = unnamed).
    pub name: String,
}

impl AppRecord {
    /// `true` when the record binds anything (a data or length/indicator buffer).
    pub fn is_bound(&self) -> bool {
        self.data_ptr != 0 || self.indicator_ptr != 0 || self.octet_length_ptr != 0
    }
}

/// One IRD record: a result column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnRecord {
    /// Column name (`SQL_DESC_NAME`).
    pub name: String,
    /// How the column looks to ODBC.
    pub info: SqlTypeInfo,
    /// `SQL_DESC_NULLABLE`.
    pub nullable: i16,
}

/// One IPD record: a parameter's SQL side.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParamRecord {
    /// `SQL_DESC_PARAMETER_TYPE` (input only here).
    pub io_type: i16,
    /// Concise SQL type (0 until bound or set).
    pub sql_type: i16,
    /// Column size.
    pub column_size: usize,
    /// Decimal digits.
    pub decimal_digits: i16,
    /// `SQL_DESC_NAME` (empty = unnamed).
    pub name: String,
}

/// `SQL_PARAM_INPUT`, the default `SQL_DESC_PARAMETER_TYPE` of an IPD record.
pub const SQL_PARAM_INPUT: i16 = 1;

impl Default for ParamRecord {
    fn default() -> Self {
        Self {
            io_type: SQL_PARAM_INPUT,
            sql_type: 0,
            column_size: 0,
            decimal_digits: 0,
            name: String::new(),
        }
    }
}

/// Everything a descriptor holds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DescData {
    /// Header fields.
    pub header: Header,
    /// ARD/APD records; index 0 is column/parameter 1.
    pub app: Vec<AppRecord>,
    /// IRD records.
    pub columns: Vec<ColumnRecord>,
    /// IPD records; index 0 is parameter 1.
    pub params: Vec<ParamRecord>,
}

impl DescData {
    /// The app record for 1-based `number` (0 is treated as 1), growing the list as needed.
    pub fn app_record_mut(&mut self, number: usize) -> &mut AppRecord {
        let index = number.max(1) - 1;
        if self.app.len() <= index {
            self.app.resize(index + 1, AppRecord::default());
        }
        // In bounds: the list was just grown to hold `index`.
        &mut self.app[index]
    }

    /// The IPD record for 1-based `number` (0 is treated as 1), growing the list as needed.
    pub fn param_record_mut(&mut self, number: usize) -> &mut ParamRecord {
        let index = number.max(1) - 1;
        if self.params.len() <= index {
            self.params.resize(index + 1, ParamRecord::default());
        }
        // In bounds: the list was just grown to hold `index`.
        &mut self.params[index]
    }

    /// Drops trailing unbound app records (after an unbind), keeping `SQL_DESC_COUNT` exact.
    pub fn trim_app(&mut self) {
        while self.app.last().is_some_and(|r| !r.is_bound()) {
            self.app.pop();
        }
    }
}

/// Who allocated a descriptor, and so what it belongs to.
pub enum Owner {
    /// An implicit descriptor of a statement, allocated and freed with it (`SQL_DESC_ALLOC_AUTO`).
    Statement(Weak<Stmt>),
    /// Allocated with SQLAllocHandle on a connection (`SQL_DESC_ALLOC_USER`): it lives until
    /// SQLFreeHandle or SQLDisconnect.
    Connection(Arc<Dbc>),
}

/// A descriptor handle.
pub struct Desc {
    kind: DescKind,
    owner: Owner,
    diag: Mutex<DiagArea>,
    /// The descriptor's fields (locked after the owning statement's state).
    pub data: Mutex<DescData>,
}

impl Kind for Desc {
    fn from_object(object: &Object) -> Option<Arc<Self>> {
        match object {
            Object::Desc(d) => Some(Arc::clone(d)),
            _ => None,
        }
    }
    fn diag(&self) -> &Mutex<DiagArea> {
        &self.diag
    }
    /// A descriptor follows the statements that use it (HY010 while one of them waits for
    /// data-at-execution parameters).
    fn accepts_calls(&self) -> Result<(), OdbcError> {
        match &self.owner {
            Owner::Statement(stmt) => stmt.upgrade().map_or(Ok(()), |s| s.accepts_calls()),
            Owner::Connection(dbc) => dbc
                .statements()
                .iter()
                .filter(|s| s.uses_descriptor(self))
                .try_for_each(|s| s.accepts_calls()),
        }
    }
}

impl Desc {
    /// A new, empty implicit descriptor of `kind` belonging to `stmt`.
    pub fn implicit(kind: DescKind, stmt: Weak<Stmt>) -> Arc<Self> {
        Arc::new(Self {
            kind,
            owner: Owner::Statement(stmt),
            diag: Mutex::default(),
            data: Mutex::default(),
        })
    }

    /// A new, empty application descriptor allocated explicitly on `dbc`.
    pub fn explicit(dbc: Arc<Dbc>) -> Arc<Self> {
        Arc::new(Self {
            kind: DescKind::Ard,
            owner: Owner::Connection(dbc),
            diag: Mutex::default(),
            data: Mutex::default(),
        })
    }

    /// Which of a statement's descriptors this is (explicit ones are application descriptors).
    pub fn kind(&self) -> DescKind {
        self.kind
    }

    /// Who allocated the descriptor.
    pub fn owner(&self) -> &Owner {
        &self.owner
    }

    /// `true` for a descriptor allocated with SQLAllocHandle.
    pub fn is_explicit(&self) -> bool {
        matches!(self.owner, Owner::Connection(_))
    }

    /// The statement an implicit descriptor belongs to, while it is alive.
    pub fn statement(&self) -> Option<Arc<Stmt>> {
        match &self.owner {
            Owner::Statement(stmt) => stmt.upgrade(),
            Owner::Connection(_) => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_grow_and_trim() {
        let mut d = DescData::default();
        d.app_record_mut(3).data_ptr = 8;
        assert_eq!(d.app.len(), 3);
        d.app_record_mut(1).data_ptr = 4;
        assert_eq!(d.app.len(), 3);
        d.app_record_mut(3).data_ptr = 0;
        d.trim_app();
        assert_eq!(d.app.len(), 1);
        d.param_record_mut(2).sql_type = 4;
        assert_eq!(d.params.len(), 2);
        assert_eq!(d.header.array_size, 1);
    }
}
