//! The catalog `local`: schema `tpch` (generated TPC-H tables), schema `demo` (every wire type,
//! and a lazily generated `numbers` series) and the tables of `--data DIR`.
//!
//! Names keep their case (`local.tdvt.Calcs`) but resolve case-insensitively when no exact match
//! exists, so `Calcs`, `calcs` (what DataFusion makes of an unquoted `Calcs`) and `"Calcs"` all
//! find the table. Listings show the original names.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use datafusion::catalog::{CatalogProvider, SchemaProvider, TableProvider};
use datafusion::datasource::MemTable;
use datafusion::error::{DataFusionError, Result};
use datafusion::execution::context::{SessionConfig, SessionContext};
use datafusion::prelude::{CsvReadOptions, ParquetReadOptions};
use parking_lot::RwLock;

use crate::{demo, tpch};

/// The only catalog.
pub const CATALOG: &str = "local";

/// Looks `name` up exactly, then case-insensitively.
fn lookup<'a, T>(map: &'a BTreeMap<String, T>, name: &str) -> Option<&'a T> {
    map.get(name).or_else(|| {
        map.iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v)
    })
}

/// A schema whose table names resolve case-insensitively.
#[derive(Debug, Default)]
pub struct LocalSchema {
    tables: RwLock<BTreeMap<String, Arc<dyn TableProvider>>>,
}

#[tonic::async_trait]
impl SchemaProvider for LocalSchema {
    fn table_names(&self) -> Vec<String> {
        self.tables.read().keys().cloned().collect()
    }

    async fn table(&self, name: &str) -> Result<Option<Arc<dyn TableProvider>>, DataFusionError> {
        Ok(lookup(&self.tables.read(), name).cloned())
    }

    fn register_table(
        &self,
        name: String,
        table: Arc<dyn TableProvider>,
    ) -> Result<Option<Arc<dyn TableProvider>>> {
        let mut tables = self.tables.write();
        if lookup(&tables, &name).is_some() {
            return Err(DataFusionError::Plan(format!(
                "table {name} is defined twice (names are case-insensitive)"
            )));
        }
        tables.insert(name, table);
        Ok(None)
    }

    fn table_exist(&self, name: &str) -> bool {
        lookup(&self.tables.read(), name).is_some()
    }
}

/// The catalog `local`, whose schema names resolve case-insensitively.
#[derive(Debug, Default)]
pub struct LocalCatalog {
    schemas: RwLock<BTreeMap<String, Arc<dyn SchemaProvider>>>,
}

impl CatalogProvider for LocalCatalog {
    fn schema_names(&self) -> Vec<String> {
        self.schemas.read().keys().cloned().collect()
    }

    fn schema(&self, name: &str) -> Option<Arc<dyn SchemaProvider>> {
        lookup(&self.schemas.read(), name).cloned()
    }

    fn register_schema(
        &self,
        name: &str,
        schema: Arc<dyn SchemaProvider>,
    ) -> Result<Option<Arc<dyn SchemaProvider>>> {
        Ok(self.schemas.write().insert(name.to_owned(), schema))
    }
}

impl LocalCatalog {
    /// The schema `name`, created when missing.
    fn schema_or_create(&self, name: &str) -> Arc<dyn SchemaProvider> {
        let mut schemas = self.schemas.write();
        if let Some(s) = lookup(&schemas, name) {
            return s.clone();
        }
        let s: Arc<dyn SchemaProvider> = Arc::new(LocalSchema::default());
        schemas.insert(name.to_owned(), s.clone());
        s
    }
}

/// What `serve` loads at start.
#[derive(Debug, Clone)]
pub struct DataOptions {
    /// TPC-H scale factor.
    pub tpch_sf: f64,
    /// Rows per DataFusion batch (= `--batch-rows`).
    pub batch_rows: usize,
    /// `--data DIR`.
    pub data_dir: Option<std::path::PathBuf>,
}

/// A failure while loading data at start.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// DataFusion or Arrow refused something.
    #[error("{context}: {source}")]
    DataFusion {
        /// What was being loaded.
        context: String,
        /// The cause.
        source: DataFusionError,
    },
    /// The data directory could not be read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The path.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
}

fn df(context: impl Into<String>) -> impl FnOnce(DataFusionError) -> LoadError {
    let context = context.into();
    move |source| LoadError::DataFusion { context, source }
}

/// Builds the session context with catalog `local`, the e6data functions DataFusion lacks
/// ([`crate::functions`]) and all data loaded.
pub async fn build_context(opts: &DataOptions) -> Result<SessionContext, LoadError> {
    let config = SessionConfig::new()
        .with_create_default_catalog_and_schema(false)
        .with_default_catalog_and_schema(CATALOG, tpch::SCHEMA)
        .with_information_schema(true)
        .with_batch_size(opts.batch_rows.max(1));
    let ctx = SessionContext::new_with_config(config);
    crate::functions::register(&ctx);
    let catalog = Arc::new(LocalCatalog::default());
    ctx.register_catalog(CATALOG, catalog.clone());

    let tpch_schema = catalog.schema_or_create(tpch::SCHEMA);
    for (name, schema, batches) in tpch::generate(opts.tpch_sf, opts.batch_rows)
        .map_err(|e| df("generating TPC-H data")(e.into()))?
    {
        let table = MemTable::try_new(schema, vec![batches]).map_err(df(format!("tpch.{name}")))?;
        tpch_schema
            .register_table(name.to_owned(), Arc::new(table))
            .map_err(df(format!("tpch.{name}")))?;
    }

    let demo_schema = catalog.schema_or_create(demo::SCHEMA);
    let all_types = demo::all_types().map_err(|e| df("demo.all_types")(e.into()))?;
    let table = MemTable::try_new(all_types.schema(), vec![vec![all_types]])
        .map_err(df("demo.all_types"))?;
    demo_schema
        .register_table(demo::ALL_TYPES.to_owned(), Arc::new(table))
        .map_err(df("demo.all_types"))?;
    let numbers = demo::numbers_view(&ctx).await.map_err(df("demo.numbers"))?;
    demo_schema
        .register_table(demo::NUMBERS.to_owned(), numbers)
        .map_err(df("demo.numbers"))?;

    if let Some(dir) = &opts.data_dir {
        load_data_dir(&ctx, &catalog, dir).await?;
    }
    Ok(ctx)
}

/// Registers every `DIR/<schema>/<table>.csv|.parquet` as `local.<schema>.<table>`.
async fn load_data_dir(
    ctx: &SessionContext,
    catalog: &LocalCatalog,
    dir: &Path,
) -> Result<(), LoadError> {
    let io = |path: &Path| {
        let path = path.display().to_string();
        move |source| LoadError::Io { path, source }
    };
    let mut schema_dirs: Vec<_> = std::fs::read_dir(dir)
        .map_err(io(dir))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .collect();
    schema_dirs.sort();
    for schema_dir in schema_dirs {
        let Some(schema_name) = schema_dir.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        let mut files: Vec<_> = std::fs::read_dir(&schema_dir)
            .map_err(io(&schema_dir))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.is_file())
            .collect();
        files.sort();
        for file in files {
            let (Some(stem), Some(ext)) = (
                file.file_stem().and_then(|s| s.to_str()),
                file.extension().and_then(|s| s.to_str()),
            ) else {
                continue;
            };
            let path = file.display().to_string();
            let dotted = format!(".{ext}");
            let frame = match ext.to_ascii_lowercase().as_str() {
                "csv" => {
                    let options = CsvReadOptions::new()
                        .has_header(true)
                        .file_extension(&dotted);
                    ctx.read_csv(path.as_str(), options).await
                }
                "parquet" => {
                    let options = ParquetReadOptions::default().file_extension(&dotted);
                    ctx.read_parquet(path.as_str(), options).await
                }
                _ => continue,
            }
            .map_err(df(format!("loading {path}")))?;
            let qualified = format!("{schema_name}.{stem}");
            catalog
                .schema_or_create(schema_name)
                .register_table(stem.to_owned(), frame.into_view())
                .map_err(df(format!("registering {qualified}")))?;
            tracing::info!(table = %qualified, file = %path, "registered data file");
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookup_prefers_exact_then_ignores_case() {
        let mut m = BTreeMap::new();
        m.insert("Calcs".to_owned(), 1);
        m.insert("calcs2".to_owned(), 2);
        assert_eq!(lookup(&m, "Calcs"), Some(&1));
        assert_eq!(lookup(&m, "calcs"), Some(&1));
        assert_eq!(lookup(&m, "CALCS2"), Some(&2));
        assert_eq!(lookup(&m, "other"), None);
    }

    #[tokio::test]
    async fn duplicate_names_differing_in_case_are_refused() {
        let s = LocalSchema::default();
        let t: Arc<dyn TableProvider> = Arc::new(
            MemTable::try_new(
                Arc::new(datafusion::arrow::datatypes::Schema::empty()),
                vec![vec![]],
            )
            .unwrap(),
        );
        s.register_table("Calcs".into(), t.clone()).unwrap();
        assert!(s.register_table("calcs".into(), t).is_err());
        assert!(s.table_exist("CALCS"));
        assert!(s.table("calcs").await.unwrap().is_some());
        assert_eq!(s.table_names(), vec!["Calcs".to_owned()]);
    }
}
