//! The eight TPC-H tables, generated in memory at start with tpchgen (schema `tpch`).

use datafusion::arrow::array::RecordBatch;
use datafusion::arrow::datatypes::SchemaRef;
use datafusion::arrow::error::ArrowError;
use tpchgen::generators::{
    CustomerGenerator, LineItemGenerator, NationGenerator, OrderGenerator, PartGenerator,
    PartSuppGenerator, RegionGenerator, SupplierGenerator,
};
use tpchgen_arrow::{
    CustomerArrow, LineItemArrow, NationArrow, OrderArrow, PartArrow, PartSuppArrow, RegionArrow,
    SupplierArrow,
};

/// Schema holding the TPC-H tables.
pub const SCHEMA: &str = "tpch";

/// A generated table: name, Arrow schema and its batches.
pub type Table = (&'static str, SchemaRef, Vec<RecordBatch>);

fn collect(
    name: &'static str,
    schema: SchemaRef,
    batches: impl Iterator<Item = Result<RecordBatch, ArrowError>>,
) -> Result<Table, ArrowError> {
    Ok((name, schema, batches.collect::<Result<Vec<_>, _>>()?))
}

/// Generates all eight tables at scale factor `sf` in batches of `batch_rows` rows.
pub fn generate(sf: f64, batch_rows: usize) -> Result<Vec<Table>, ArrowError> {
    let n = batch_rows.max(1);
    Ok(vec![
        collect(
            "nation",
            NationArrow::schema_ref(),
            NationArrow::new(NationGenerator::new(sf, 1, 1)).with_batch_size(n),
        )?,
        collect(
            "region",
            RegionArrow::schema_ref(),
            RegionArrow::new(RegionGenerator::new(sf, 1, 1)).with_batch_size(n),
        )?,
        collect(
            "part",
            PartArrow::schema_ref(),
            PartArrow::new(PartGenerator::new(sf, 1, 1)).with_batch_size(n),
        )?,
        collect(
            "supplier",
            SupplierArrow::schema_ref(),
            SupplierArrow::new(SupplierGenerator::new(sf, 1, 1)).with_batch_size(n),
        )?,
        collect(
            "partsupp",
            PartSuppArrow::schema_ref(),
            PartSuppArrow::new(PartSuppGenerator::new(sf, 1, 1)).with_batch_size(n),
        )?,
        collect(
            "customer",
            CustomerArrow::schema_ref(),
            CustomerArrow::new(CustomerGenerator::new(sf, 1, 1)).with_batch_size(n),
        )?,
        collect(
            "orders",
            OrderArrow::schema_ref(),
            OrderArrow::new(OrderGenerator::new(sf, 1, 1)).with_batch_size(n),
        )?,
        collect(
            "lineitem",
            LineItemArrow::schema_ref(),
            LineItemArrow::new(LineItemGenerator::new(sf, 1, 1)).with_batch_size(n),
        )?,
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sf_001_has_the_reference_row_counts() {
        let tables = generate(0.01, 8192).unwrap();
        let rows = |name: &str| -> usize {
            tables
                .iter()
                .find(|t| t.0 == name)
                .map(|t| t.2.iter().map(|b| b.num_rows()).sum())
                .unwrap()
        };
        assert_eq!(tables.len(), 8);
        assert_eq!(rows("lineitem"), 60175);
        assert_eq!(rows("orders"), 15000);
        assert_eq!(rows("nation"), 25);
        assert_eq!(rows("region"), 5);
    }
}
