//! SQLCopyDesc: copies every field of one descriptor into another except
//! `SQL_DESC_ALLOC_TYPE`.
//!
//! The four kinds keep their records in different shapes (application buffers, result columns,
//! parameters), so a copy between kinds goes through one neutral record holding the fields they
//! share: the type, lengths, precision, scale, name and (between application descriptors) the
//! buffer pointers. The typical uses are copying an IRD into an explicit ARD (then binding the
//! copied records) and copying a result's IRD into an insert's IPD.

use super::super::diag::{OdbcError, Outcome};
use super::field;
use super::{AppRecord, ColumnRecord, Desc, DescData, DescKind, ParamRecord};

/// The fields every record kind can give and take.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Neutral {
    concise: i16,
    octet_length: isize,
    column_size: usize,
    precision: i16,
    scale: i16,
    name: String,
    data_ptr: usize,
    indicator_ptr: usize,
    octet_length_ptr: usize,
}

impl From<&AppRecord> for Neutral {
    fn from(r: &AppRecord) -> Self {
        Self {
            concise: r.c_type,
            octet_length: r.octet_length,
            column_size: usize::try_from(r.octet_length).unwrap_or(0),
            precision: r.precision,
            scale: r.scale,
            name: r.name.clone(),
            data_ptr: r.data_ptr,
            indicator_ptr: r.indicator_ptr,
            octet_length_ptr: r.octet_length_ptr,
        }
    }
}

impl From<&ColumnRecord> for Neutral {
    fn from(c: &ColumnRecord) -> Self {
        let i = &c.info;
        Self {
            concise: i.sql_type,
            octet_length: isize::try_from(i.octet_length).unwrap_or(isize::MAX),
            column_size: usize::try_from(i.column_size).unwrap_or(usize::MAX),
            precision: i16::try_from(i.column_size).unwrap_or(i16::MAX),
            scale: i.decimal_digits,
            name: c.name.clone(),
            ..Self::default()
        }
    }
}

impl From<&ParamRecord> for Neutral {
    fn from(p: &ParamRecord) -> Self {
        Self {
            concise: p.sql_type,
            octet_length: isize::try_from(p.column_size).unwrap_or(isize::MAX),
            column_size: p.column_size,
            precision: i16::try_from(p.column_size).unwrap_or(i16::MAX),
            scale: p.decimal_digits,
            name: p.name.clone(),
            ..Self::default()
        }
    }
}

impl From<Neutral> for AppRecord {
    fn from(n: Neutral) -> Self {
        Self {
            c_type: n.concise,
            data_ptr: n.data_ptr,
            octet_length: n.octet_length,
            indicator_ptr: n.indicator_ptr,
            octet_length_ptr: n.octet_length_ptr,
            precision: n.precision,
            scale: n.scale,
            name: n.name,
        }
    }
}

impl From<Neutral> for ParamRecord {
    fn from(n: Neutral) -> Self {
        Self {
            sql_type: n.concise,
            column_size: n.column_size,
            decimal_digits: n.scale,
            name: n.name,
            ..Self::default()
        }
    }
}

/// `source`'s records (of `kind`) in neutral form.
fn records(kind: DescKind, source: &DescData) -> Vec<Neutral> {
    match kind {
        DescKind::Ard | DescKind::Apd => source.app.iter().map(Neutral::from).collect(),
        DescKind::Ird => source.columns.iter().map(Neutral::from).collect(),
        DescKind::Ipd => source.params.iter().map(Neutral::from).collect(),
    }
}

/// `source` (of kind `from`) as the data of a descriptor of kind `to` (never an IRD).
fn converted(from: DescKind, source: &DescData, to: DescKind) -> DescData {
    let mut data = DescData {
        header: source.header,
        ..DescData::default()
    };
    match (from, to) {
        (DescKind::Ipd, DescKind::Ipd) => data.params = source.params.clone(),
        (_, DescKind::Ipd) => {
            data.params = records(from, source)
                .into_iter()
                .map(ParamRecord::from)
                .collect();
        }
        (DescKind::Ard | DescKind::Apd, _) => data.app = source.app.clone(),
        _ => {
            data.app = records(from, source)
                .into_iter()
                .map(AppRecord::from)
                .collect();
        }
    }
    data
}

/// SQLCopyDesc. The target cannot be an IRD (HY016); an IRD source must belong to a prepared
/// or executed statement (HY007).
pub fn copy_desc(source: &Desc, target: &Desc) -> Result<Outcome, OdbcError> {
    if target.kind() == DescKind::Ird {
        return Err(OdbcError::new(
            "HY016",
            "cannot modify an implementation row descriptor: it cannot be the target of \
             SQLCopyDesc",
        ));
    }
    if std::ptr::eq(source, target) {
        return Ok(Outcome::Success);
    }
    // The source's lock is released before the target's is taken.
    let copy = converted(source.kind(), &*field::read(source)?, target.kind());
    *target.data.lock() = copy;
    Ok(Outcome::Success)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::odbc::sqltype;

    fn column(name: &str, type_name: &str) -> ColumnRecord {
        ColumnRecord {
            name: name.into(),
            info: sqltype::from_metadata_type(type_name, Some(2)),
            nullable: 1,
        }
    }

    #[test]
    fn ird_copies_into_application_and_parameter_records() {
        let mut ird = DescData {
            columns: vec![column("id", "LONG"), column("price", "DECIMAL128")],
            ..DescData::default()
        };
        ird.header.rows_processed_ptr = 0x99;
        let ard = converted(DescKind::Ird, &ird, DescKind::Ard);
        assert_eq!(ard.app.len(), 2);
        assert_eq!(ard.app[0].c_type, sqltype::SQL_BIGINT);
        assert_eq!(ard.app[1].name, "price");
        assert_eq!(ard.app[1].scale, 2);
        assert!(!ard.app[0].is_bound(), "no buffers come from an IRD");
        assert_eq!(
            ard.header.rows_processed_ptr, 0x99,
            "header fields are copied"
        );
        let ipd = converted(DescKind::Ird, &ird, DescKind::Ipd);
        assert_eq!(ipd.params.len(), 2);
        assert_eq!(ipd.params[1].sql_type, ird.columns[1].info.sql_type);
        assert_eq!(ipd.params[1].decimal_digits, 2);
        assert!(ipd.app.is_empty() && ipd.columns.is_empty());
    }

    #[test]
    fn application_records_copy_with_their_buffers() {
        let mut apd = DescData::default();
        let r = apd.app_record_mut(2);
        r.c_type = 4;
        r.data_ptr = 0x10;
        r.indicator_ptr = 0x20;
        apd.header.bind_type = 16;
        let ard = converted(DescKind::Apd, &apd, DescKind::Ard);
        assert_eq!(ard.app, apd.app);
        assert_eq!(ard.header.bind_type, 16);
        let ipd = converted(DescKind::Apd, &apd, DescKind::Ipd);
        assert_eq!(ipd.params[1].sql_type, 4);
    }
}
