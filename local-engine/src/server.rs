//! The e6data services: QueryEngineService (sessions, queries, results, catalog browsing) and
//! ClusterService (status / resume / suspend), following the checklist of spec §10.
//!
//! Every response that has the field echoes the request's `sessionId` and carries
//! `new_strategy` while a colour switch is in progress. Colour and suspension checks happen
//! earlier, in the gateway.

use std::sync::Arc;
use std::time::Instant;

use datafusion::catalog::SchemaProvider;
use e6data_odbc::proto::cluster_service_server::ClusterService;
use e6data_odbc::proto::query_engine_service_server::QueryEngineService;
use e6data_odbc::proto::{
    AuthenticateRequest, AuthenticateResponse, CancelQueryRequest, CancelQueryResponse,
    CatalogResponse, ClearOrCancelQueryRequest, ClearOrCancelQueryResponse, ClearRequest,
    ClearResponse, ClusterStatusRequest, ClusterStatusResponse, DryRunRequest, DryRunRequestV2,
    DryRunResponse, ExecuteStatementRequest, ExecuteStatementResponse, ExecuteStatementV2Request,
    ExplainAnalyzeRequest, ExplainAnalyzeResponse, ExplainRequest, ExplainResponse, GFieldInfo,
    GetCatalogesRequest, GetCatalogesResponse, GetColumnsResponse, GetColumnsV2Request,
    GetNextResultBatchRequest, GetNextResultBatchResponse, GetNextResultBatchV2Response,
    GetResultMetadataRequest, GetResultMetadataResponse, GetSchemaNamesResponse,
    GetSchemaNamesV2Request, GetTablesResponse, GetTablesV2Request, PrepareStatementRequest,
    PrepareStatementResponse, PrepareStatementV2Request, ResumeRequest, ResumeResponse,
    StatusRequest, StatusResponse, SuspendRequest, SuspendResponse,
};
use e6data_odbc::wire::encode_metadata;
use tonic::metadata::MetadataMap;
use tonic::{Request, Response, Status};

use crate::catalog::CATALOG;
use crate::query::{self, Query, QueryError};
use crate::routing::Colour;
use crate::session::ACCESS_DENIED;
use crate::state::{EngineState, Lookup};
use crate::types::sql_type_name;

/// Most chunks in one `getNextResultBatchV2` envelope.
pub const MAX_CHUNKS_PER_ENVELOPE: usize = 8;
/// Message of the injected connection drop.
pub const DROP_FAULT_MESSAGE: &str = "connection reset by fault injection";

/// The raw `strategy` header of a call, lower-cased, or `none`.
fn colour_label(md: &MetadataMap) -> String {
    md.get("strategy")
        .and_then(|v| v.to_str().ok())
        .map(|v| v.trim().to_ascii_lowercase())
        .unwrap_or_else(|| "none".to_owned())
}

/// The bearer token of a call (OAuth mode), if any.
fn bearer(md: &MetadataMap) -> Option<String> {
    let value = md.get("authorization")?.to_str().ok()?.trim();
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim().to_owned())
}

fn query_status(e: QueryError) -> Status {
    match e {
        QueryError::NotExecuted(_) | QueryError::AlreadyExecuted(_) => {
            Status::failed_precondition(e.to_string())
        }
        QueryError::Cancelled => Status::cancelled(e.to_string()),
        QueryError::Withdrawn => Status::unknown(e.to_string()),
        QueryError::Convert(_) => Status::out_of_range(e.to_string()),
        QueryError::Failed(_) | QueryError::Encode(_) => Status::internal(e.to_string()),
    }
}

fn planning_status(e: datafusion::error::DataFusionError) -> Status {
    Status::invalid_argument(e.to_string())
}

/// The QueryEngineService and ClusterService implementation.
#[derive(Clone)]
pub struct Engine {
    state: Arc<EngineState>,
}

impl Engine {
    /// Services over `state`.
    pub fn new(state: Arc<EngineState>) -> Self {
        Engine { state }
    }

    fn announce(&self) -> Option<String> {
        self.state.announcement()
    }

    /// The user behind a call: a valid bearer token, or a live session.
    fn caller(&self, md: &MetadataMap, session_id: &str) -> Result<String, Status> {
        if let Some(token) = bearer(md) {
            return self
                .state
                .users
                .user_for_token(&token)
                .map(str::to_owned)
                .ok_or_else(|| {
                    Status::unauthenticated("the bearer token is not valid; obtain a new token")
                });
        }
        self.state
            .sessions
            .touch(session_id, Instant::now())
            .ok_or_else(|| Status::internal(ACCESS_DENIED))
    }

    /// Authenticates the call, logs it on the query and finds the open query.
    fn open_query(
        &self,
        md: &MetadataMap,
        session_id: &str,
        query_id: &str,
        rpc: &'static str,
    ) -> Result<Arc<Query>, Status> {
        let user = self.caller(md, session_id)?;
        self.state.log.call(query_id, rpc, &colour_label(md));
        match self.state.queries.lookup(query_id) {
            Lookup::Open(q) if q.user == user => Ok(q),
            Lookup::Open(_) => Err(Status::permission_denied(format!(
                "query {query_id} belongs to another user"
            ))),
            Lookup::Cancelled => Err(Status::cancelled("query was cancelled")),
            Lookup::Withdrawn => Err(query_status(QueryError::Withdrawn)),
            Lookup::Unknown => Err(Status::not_found(format!(
                "query {query_id} does not exist: it was never prepared, or it was cleared"
            ))),
        }
    }

    fn check_catalog(catalog: &str) -> Result<(), Status> {
        if catalog.is_empty() || catalog.eq_ignore_ascii_case(CATALOG) {
            Ok(())
        } else {
            Err(Status::not_found(format!(
                "catalog {catalog:?} does not exist; this engine serves the catalog \"{CATALOG}\""
            )))
        }
    }

    fn schema(&self, catalog: &str, schema: &str) -> Result<Arc<dyn SchemaProvider>, Status> {
        Self::check_catalog(catalog)?;
        self.state
            .ctx
            .catalog(CATALOG)
            .and_then(|c| c.schema(schema))
            .ok_or_else(|| {
                Status::not_found(format!(
                    "schema {schema:?} does not exist in catalog \"{CATALOG}\""
                ))
            })
    }

    async fn prepare(
        &self,
        md: &MetadataMap,
        session_id: String,
        catalog: &str,
        schema: &str,
        sql: &str,
    ) -> Result<PrepareStatementResponse, Status> {
        let user = self.caller(md, &session_id)?;
        Self::check_catalog(catalog)?;
        let planned = query::plan(&self.state.ctx, sql, catalog, schema)
            .await
            .map_err(planning_status)?;
        let colour = md
            .get("strategy")
            .and_then(|v| v.to_str().ok())
            .and_then(Colour::parse)
            .unwrap_or_else(|| self.state.active_colour());
        let id = self.state.next_query_id();
        self.state.log.prepared(&id, colour.as_str());
        let q = Query::new(
            id.clone(),
            user,
            colour,
            planned,
            self.state.config.batch_rows,
        );
        self.state.queries.insert(Arc::new(q));
        tracing::debug!(query_id = %id, colour = colour.as_str(), "prepared");
        Ok(PrepareStatementResponse {
            engine_ip: self.state.config.engine_ip.clone(),
            query_id: id,
            session_id,
            new_strategy: self.announce(),
        })
    }

    async fn execute(
        &self,
        md: &MetadataMap,
        session_id: String,
        query_id: &str,
        rpc: &'static str,
    ) -> Result<ExecuteStatementResponse, Status> {
        let q = self.open_query(md, &session_id, query_id, rpc)?;
        q.execute(&self.state.config.exec)
            .await
            .map_err(query_status)?;
        Ok(ExecuteStatementResponse {
            session_id,
            new_strategy: self.announce(),
        })
    }

    /// Counts a batch call and applies the drop fault.
    fn batch_fault(&self, q: &Query) -> Result<(), Status> {
        let n = q.count_batch_call();
        match self.state.faults().drop_after_batches {
            Some(limit) if n > limit => {
                tracing::info!(query_id = %q.id, call = n, "fault: dropping a batch call");
                Err(Status::unavailable(DROP_FAULT_MESSAGE))
            }
            _ => Ok(()),
        }
    }

    /// Removes a query (clear) and lets a pending switch finish.
    fn close_query(
        &self,
        md: &MetadataMap,
        session_id: &str,
        query_id: &str,
        rpc: &'static str,
        cancel: bool,
    ) -> Result<(), Status> {
        self.caller(md, session_id)?;
        self.state.log.call(query_id, rpc, &colour_label(md));
        let closed = if cancel {
            self.state.queries.cancel(query_id)
        } else {
            self.state.queries.remove(query_id)
        };
        if let Some(q) = closed {
            self.state.query_closed(q.colour);
        }
        Ok(())
    }

    fn dry_run(&self, planned: &query::Planned) -> String {
        let columns: Vec<serde_json::Value> = planned
            .columns()
            .into_iter()
            .map(|c| serde_json::json!({"name": c.name, "type": c.type_name}))
            .collect();
        serde_json::json!({"valid": true, "columns": columns, "plan": planned.display()})
            .to_string()
    }

    /// Credentials of a ClusterService call: a bearer token, or user/password when given.
    fn cluster_caller(&self, md: &MetadataMap, user: &str, password: &str) -> Result<(), Status> {
        if let Some(token) = bearer(md) {
            return match self.state.users.user_for_token(&token) {
                Some(_) => Ok(()),
                None => Err(Status::unauthenticated(
                    "the bearer token is not valid; obtain a new token",
                )),
            };
        }
        if (user.is_empty() && password.is_empty()) || self.state.users.check(user, password) {
            Ok(())
        } else {
            Err(Status::unauthenticated(
                "invalid user or token for ClusterService; check the credentials",
            ))
        }
    }
}

#[tonic::async_trait]
impl QueryEngineService for Engine {
    async fn authenticate(
        &self,
        request: Request<AuthenticateRequest>,
    ) -> Result<Response<AuthenticateResponse>, Status> {
        let r = request.into_inner();
        let session_id = if self.state.users.check(&r.user, &r.password) {
            self.state.sessions.open(&r.user, Instant::now())
        } else {
            tracing::warn!(user = %r.user, "authentication failed: unknown user or wrong token");
            String::new()
        };
        Ok(Response::new(AuthenticateResponse {
            session_id,
            new_strategy: self.announce(),
            engine_ip: Some(self.state.config.engine_ip.clone()),
        }))
    }

    async fn prepare_statement(
        &self,
        request: Request<PrepareStatementRequest>,
    ) -> Result<Response<PrepareStatementResponse>, Status> {
        let md = request.metadata().clone();
        let r = request.into_inner();
        self.prepare(&md, r.session_id, "", &r.schema, &r.query_string)
            .await
            .map(Response::new)
    }

    async fn prepare_statement_v2(
        &self,
        request: Request<PrepareStatementV2Request>,
    ) -> Result<Response<PrepareStatementResponse>, Status> {
        let md = request.metadata().clone();
        let r = request.into_inner();
        self.prepare(&md, r.session_id, &r.catalog, &r.schema, &r.query_string)
            .await
            .map(Response::new)
    }

    async fn execute_statement(
        &self,
        request: Request<ExecuteStatementRequest>,
    ) -> Result<Response<ExecuteStatementResponse>, Status> {
        let md = request.metadata().clone();
        let r = request.into_inner();
        self.execute(&md, r.session_id, &r.query_id, "executeStatement")
            .await
            .map(Response::new)
    }

    async fn execute_statement_v2(
        &self,
        request: Request<ExecuteStatementV2Request>,
    ) -> Result<Response<ExecuteStatementResponse>, Status> {
        let md = request.metadata().clone();
        let r = request.into_inner();
        if !r.params.is_empty() {
            return Err(Status::unimplemented(
                "server-side parameters are not supported; substitute them into the SQL text",
            ));
        }
        self.execute(&md, r.session_id, &r.query_id, "executeStatementV2")
            .await
            .map(Response::new)
    }

    async fn get_result_metadata(
        &self,
        request: Request<GetResultMetadataRequest>,
    ) -> Result<Response<GetResultMetadataResponse>, Status> {
        let md = request.metadata().clone();
        let r = request.into_inner();
        let q = self.open_query(&md, &r.session_id, &r.query_id, "getResultMetadata")?;
        let bytes = encode_metadata(&q.metadata())
            .map_err(|e| Status::internal(format!("cannot encode result metadata: {e}")))?;
        Ok(Response::new(GetResultMetadataResponse {
            result_meta_data: bytes,
            session_id: r.session_id,
            new_strategy: self.announce(),
        }))
    }

    async fn get_next_result_batch(
        &self,
        request: Request<GetNextResultBatchRequest>,
    ) -> Result<Response<GetNextResultBatchResponse>, Status> {
        let md = request.metadata().clone();
        let r = request.into_inner();
        let q = self.open_query(&md, &r.session_id, &r.query_id, "getNextResultBatch")?;
        self.batch_fault(&q)?;
        let batch = q.next_chunk().await.map_err(query_status)?;
        Ok(Response::new(GetNextResultBatchResponse {
            result_batch: batch.unwrap_or_default(),
            session_id: r.session_id,
            new_strategy: self.announce(),
        }))
    }

    async fn get_next_result_batch_v2(
        &self,
        request: Request<GetNextResultBatchRequest>,
    ) -> Result<Response<GetNextResultBatchV2Response>, Status> {
        let md = request.metadata().clone();
        let r = request.into_inner();
        let q = self.open_query(&md, &r.session_id, &r.query_id, "getNextResultBatchV2")?;
        self.batch_fault(&q)?;
        let (chunks, end) = q
            .next_envelope(MAX_CHUNKS_PER_ENVELOPE)
            .await
            .map_err(query_status)?;
        Ok(Response::new(GetNextResultBatchV2Response {
            result_batches: chunks,
            session_id: r.session_id,
            new_strategy: self.announce(),
            end_of_stream: end,
        }))
    }

    async fn clear_or_cancel_query(
        &self,
        request: Request<ClearOrCancelQueryRequest>,
    ) -> Result<Response<ClearOrCancelQueryResponse>, Status> {
        let md = request.metadata().clone();
        let r = request.into_inner();
        self.close_query(&md, &r.session_id, &r.query_id, "clearOrCancelQuery", false)?;
        Ok(Response::new(ClearOrCancelQueryResponse {
            session_id: r.session_id,
            new_strategy: self.announce(),
        }))
    }

    async fn clear(
        &self,
        request: Request<ClearRequest>,
    ) -> Result<Response<ClearResponse>, Status> {
        let md = request.metadata().clone();
        let r = request.into_inner();
        self.close_query(&md, &r.session_id, &r.query_id, "clear", false)?;
        Ok(Response::new(ClearResponse {
            session_id: r.session_id,
            new_strategy: self.announce(),
        }))
    }

    async fn cancel_query(
        &self,
        request: Request<CancelQueryRequest>,
    ) -> Result<Response<CancelQueryResponse>, Status> {
        let md = request.metadata().clone();
        let r = request.into_inner();
        self.close_query(&md, &r.session_id, &r.query_id, "cancelQuery", true)?;
        Ok(Response::new(CancelQueryResponse {
            session_id: r.session_id,
            new_strategy: self.announce(),
        }))
    }

    async fn status(
        &self,
        request: Request<StatusRequest>,
    ) -> Result<Response<StatusResponse>, Status> {
        let md = request.metadata().clone();
        let r = request.into_inner();
        let q = self.open_query(&md, &r.session_id, &r.query_id, "status")?;
        let (finished, rows) = q.status();
        Ok(Response::new(StatusResponse {
            status: finished,
            row_count: i64::try_from(rows).unwrap_or(i64::MAX),
            session_id: r.session_id,
            new_strategy: self.announce(),
        }))
    }

    async fn explain(
        &self,
        request: Request<ExplainRequest>,
    ) -> Result<Response<ExplainResponse>, Status> {
        let md = request.metadata().clone();
        let r = request.into_inner();
        let q = self.open_query(&md, &r.session_id, &r.query_id, "explain")?;
        Ok(Response::new(ExplainResponse {
            explain: q.explain(),
            session_id: r.session_id,
            new_strategy: self.announce(),
        }))
    }

    async fn explain_analyze(
        &self,
        request: Request<ExplainAnalyzeRequest>,
    ) -> Result<Response<ExplainAnalyzeResponse>, Status> {
        let md = request.metadata().clone();
        let r = request.into_inner();
        let q = self.open_query(&md, &r.session_id, &r.query_id, "explainAnalyze")?;
        let (json, parsing) = q.explain_analyze();
        Ok(Response::new(ExplainAnalyzeResponse {
            explain_analyze: json,
            is_cached: false,
            parsing_time: i64::try_from(parsing.as_millis()).unwrap_or(i64::MAX),
            queueing_time: 0,
            session_id: r.session_id,
            new_strategy: self.announce(),
        }))
    }

    async fn get_cataloges(
        &self,
        _request: Request<GetCatalogesRequest>,
    ) -> Result<Response<GetCatalogesResponse>, Status> {
        Ok(Response::new(GetCatalogesResponse {
            catalog_responses: vec![CatalogResponse {
                name: CATALOG.to_owned(),
                is_default: true,
            }],
        }))
    }

    async fn get_schema_names_v2(
        &self,
        request: Request<GetSchemaNamesV2Request>,
    ) -> Result<Response<GetSchemaNamesResponse>, Status> {
        let md = request.metadata().clone();
        let r = request.into_inner();
        self.caller(&md, &r.session_id)?;
        Self::check_catalog(&r.catalog)?;
        let mut schemas: Vec<String> = self
            .state
            .ctx
            .catalog(CATALOG)
            .map(|c| c.schema_names())
            .unwrap_or_default()
            .into_iter()
            .filter(|s| s != "information_schema")
            .collect();
        schemas.sort();
        Ok(Response::new(GetSchemaNamesResponse {
            schemas,
            session_id: r.session_id,
            new_strategy: self.announce(),
        }))
    }

    async fn get_tables_v2(
        &self,
        request: Request<GetTablesV2Request>,
    ) -> Result<Response<GetTablesResponse>, Status> {
        let md = request.metadata().clone();
        let r = request.into_inner();
        self.caller(&md, &r.session_id)?;
        let mut tables = self.schema(&r.catalog, &r.schema)?.table_names();
        tables.sort();
        Ok(Response::new(GetTablesResponse {
            tables,
            session_id: r.session_id,
            new_strategy: self.announce(),
        }))
    }

    async fn get_columns_v2(
        &self,
        request: Request<GetColumnsV2Request>,
    ) -> Result<Response<GetColumnsResponse>, Status> {
        let md = request.metadata().clone();
        let r = request.into_inner();
        self.caller(&md, &r.session_id)?;
        let table = self
            .schema(&r.catalog, &r.schema)?
            .table(&r.table)
            .await
            .map_err(|e| Status::internal(e.to_string()))?
            .ok_or_else(|| {
                Status::not_found(format!(
                    "table {:?} does not exist in schema {:?}",
                    r.table, r.schema
                ))
            })?;
        let field_info = table
            .schema()
            .fields()
            .iter()
            .map(|f| GFieldInfo {
                field_name: f.name().clone(),
                field_type: sql_type_name(f.data_type()),
            })
            .collect();
        Ok(Response::new(GetColumnsResponse {
            field_info,
            session_id: r.session_id,
            new_strategy: self.announce(),
        }))
    }

    async fn dry_run(
        &self,
        request: Request<DryRunRequest>,
    ) -> Result<Response<DryRunResponse>, Status> {
        let md = request.metadata().clone();
        let r = request.into_inner();
        self.caller(&md, &r.session_id)?;
        let planned = query::plan(&self.state.ctx, &r.query_string, "", &r.schema)
            .await
            .map_err(planning_status)?;
        Ok(Response::new(DryRunResponse {
            dryrun_value: self.dry_run(&planned),
        }))
    }

    async fn dry_run_v2(
        &self,
        request: Request<DryRunRequestV2>,
    ) -> Result<Response<DryRunResponse>, Status> {
        let md = request.metadata().clone();
        let r = request.into_inner();
        self.caller(&md, &r.session_id)?;
        Self::check_catalog(&r.catalog)?;
        let planned = query::plan(&self.state.ctx, &r.query_string, &r.catalog, &r.schema)
            .await
            .map_err(planning_status)?;
        Ok(Response::new(DryRunResponse {
            dryrun_value: self.dry_run(&planned),
        }))
    }
}

#[tonic::async_trait]
impl ClusterService for Engine {
    async fn resume(
        &self,
        request: Request<ResumeRequest>,
    ) -> Result<Response<ResumeResponse>, Status> {
        let md = request.metadata().clone();
        let r = request.into_inner();
        self.cluster_caller(&md, &r.user, &r.password)?;
        Ok(Response::new(ResumeResponse {
            status: self.state.resume().to_owned(),
        }))
    }

    async fn status(
        &self,
        request: Request<ClusterStatusRequest>,
    ) -> Result<Response<ClusterStatusResponse>, Status> {
        let md = request.metadata().clone();
        let r = request.into_inner();
        self.cluster_caller(&md, &r.user, &r.password)?;
        Ok(Response::new(ClusterStatusResponse {
            status: self.state.cluster_status().to_owned(),
        }))
    }

    async fn suspend(
        &self,
        request: Request<SuspendRequest>,
    ) -> Result<Response<SuspendResponse>, Status> {
        let md = request.metadata().clone();
        let r = request.into_inner();
        self.cluster_caller(&md, &r.user, &r.password)?;
        Ok(Response::new(SuspendResponse {
            status: self.state.suspend().to_owned(),
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn md(pairs: &[(&'static str, &'static str)]) -> MetadataMap {
        let mut m = MetadataMap::new();
        for (k, v) in pairs {
            m.insert(*k, v.parse().unwrap());
        }
        m
    }

    #[test]
    fn colour_labels_default_to_none() {
        assert_eq!(colour_label(&md(&[("strategy", "Green")])), "green");
        assert_eq!(colour_label(&md(&[])), "none");
    }

    #[test]
    fn bearer_tokens_are_parsed_case_insensitively() {
        assert_eq!(
            bearer(&md(&[("authorization", "bearer abc")])).as_deref(),
            Some("abc")
        );
        assert_eq!(
            bearer(&md(&[("authorization", "Bearer  t0k")])).as_deref(),
            Some("t0k")
        );
        assert_eq!(bearer(&md(&[("authorization", "Basic xyz")])), None);
        assert_eq!(bearer(&md(&[])), None);
    }

    #[test]
    fn query_errors_map_to_meaningful_codes() {
        assert_eq!(
            query_status(QueryError::Cancelled).code(),
            tonic::Code::Cancelled
        );
        assert_eq!(
            query_status(QueryError::Cancelled).message(),
            "query was cancelled"
        );
        let withdrawn = query_status(QueryError::Withdrawn);
        assert_eq!(withdrawn.code(), tonic::Code::Unknown);
        assert_eq!(withdrawn.message(), "status: 456");
        assert_eq!(
            query_status(QueryError::NotExecuted("q".into())).code(),
            tonic::Code::FailedPrecondition
        );
        assert_eq!(
            query_status(QueryError::Failed("boom".into())).code(),
            tonic::Code::Internal
        );
    }
}
