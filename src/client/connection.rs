//! A connection to one e6data engine: its channel, its session, and the calls that are not
//! bound to a running query (prepare/execute, describe, browsing, dry run).
//!
//! Non-query calls and prepares go to the target's colour for new work (the announced colour
//! as soon as one is pending, see `strategy`), with a session authenticated on it.
//!
//! Retry rules (spec §6.6):
//! - a 456 on a non-query call (browsing, dry run, prepare) moves new work to the other colour
//!   (or drops a rejected pending colour), re-authenticates and retries that call once;
//! - `Access denied` re-authenticates (after 200 ms) and retries calls that are safe to replay
//!   (browsing, and prepare/execute/metadata before any batch was read), at most 5 attempts;
//! - a 503 "suspended" resumes the cluster (when enabled) and retries once;
//! - a 456 on a pinned call (execute, metadata) loses the query: routing error, unpinned, no
//!   replay.

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use tokio::time::Instant;
use tonic::Status;
use tracing::{debug, warn};

use super::cancel::CancelToken;
use super::channel::{Rpc, with_deadline};
use super::config::ClientConfig;
use super::error::{ClientError, ErrorKind};
use super::matcher;
use super::query::{Executed, Query, Route};
use super::session::Session;
use super::strategy::{self, StrategySnapshot, StrategyStore};
use crate::proto::{
    DryRunRequest, DryRunRequestV2, ExecuteStatementRequest, ExecuteStatementV2Request,
    GetCatalogesRequest, GetColumnsV2Request, GetResultMetadataRequest, GetSchemaNamesV2Request,
    GetTablesV2Request, PrepareStatementRequest, PrepareStatementResponse,
    PrepareStatementV2Request,
};
use crate::wire::{ResultMetadata, decode_metadata};

/// Most attempts of one replay-safe call (the connector's `MAX_RETRY_ATTEMPTS`).
const MAX_ATTEMPTS: u32 = 5;
/// Pause before re-authenticating after `Access denied` (the connector's `RETRY_SLEEP_SECONDS`).
const ACCESS_DENIED_PAUSE: Duration = Duration::from_millis(200);

/// Per-execution options.
#[derive(Debug, Clone, Default)]
pub struct ExecOptions {
    /// Cancels the pending `execute` and later `next_chunk` waits of the query. The token stays
    /// cancelled until reset, so reset it before reusing it for another statement.
    pub cancel: CancelToken,
    /// Time limit of `execute` (prepare + execute + metadata share it) and, separately, of each
    /// `next_chunk` wait. On expiry the query is cancelled on the server and `Timeout` returned.
    pub timeout: Option<Duration>,
}

/// A failed RPC or a local failure around it.
pub(crate) enum Failure {
    /// The server (or transport) answered `Status` to the named RPC.
    Rpc(&'static str, Status),
    /// Something failed on our side (bad header value, malformed reply).
    Local(ClientError),
}

impl From<ClientError> for Failure {
    fn from(e: ClientError) -> Self {
        Failure::Local(e)
    }
}

/// What to do after a failed replay-safe call.
enum Recovery {
    Flip,
    Reauthenticate,
    Resume,
    GiveUp,
}

#[derive(Default)]
struct Retry {
    attempts: u32,
    flipped: bool,
    resumed: bool,
}

impl Retry {
    fn decide(&mut self, status: &Status, auto_resume: bool) -> Recovery {
        if self.attempts >= MAX_ATTEMPTS {
            Recovery::GiveUp
        } else if matcher::is_wrong_colour(status) && !self.flipped {
            self.flipped = true;
            Recovery::Flip
        } else if matcher::is_access_denied(status) {
            Recovery::Reauthenticate
        } else if matcher::is_suspended(status) && auto_resume && !self.resumed {
            self.resumed = true;
            Recovery::Resume
        } else {
            Recovery::GiveUp
        }
    }
}

/// The shared state of a connection.
pub(crate) struct Core {
    pub(crate) config: ClientConfig,
    pub(crate) store: Arc<StrategyStore>,
    pub(crate) rpc: Rpc,
    pub(crate) owner: u64,
    pub(crate) session: tokio::sync::Mutex<Option<Session>>,
    closed: AtomicBool,
}

impl Drop for Core {
    fn drop(&mut self) {
        self.store.release_owner(self.owner);
    }
}

/// A connection to one e6data engine. Cheap to clone; all clones share the session.
#[derive(Clone)]
pub struct Connection {
    inner: Arc<Core>,
}

impl std::fmt::Debug for Connection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Connection")
            .field("target", self.inner.store.key())
            .field("closed", &self.inner.closed.load(Ordering::Relaxed))
            .finish()
    }
}

impl Connection {
    /// Opens the channel and, in password mode, authenticates now, so that bad credentials,
    /// unreachable servers and suspended clusters surface here.
    pub async fn connect(config: ClientConfig) -> Result<Connection, ClientError> {
        let store = strategy::store_for(&config.target_key());
        let rpc = Rpc::connect(&config, Arc::clone(&store)).await?;
        let core = Core {
            config,
            store,
            rpc,
            owner: strategy::next_owner_id(),
            session: tokio::sync::Mutex::new(None),
            closed: AtomicBool::new(false),
        };
        let conn = Connection {
            inner: Arc::new(core),
        };
        conn.inner.ensure_session(true).await?;
        Ok(conn)
    }

    /// The configuration this connection was opened with.
    pub fn config(&self) -> &ClientConfig {
        &self.inner.config
    }

    /// The strategy state of this connection's target.
    pub fn strategy_snapshot(&self) -> StrategySnapshot {
        self.inner.store.snapshot()
    }

    /// Prepares (V1, or V2 when a catalog is set), executes and reads the result metadata of
    /// `sql`; the returned query is pinned to the colour it was prepared under.
    pub async fn execute(&self, sql: &str, opts: &ExecOptions) -> Result<Query, ClientError> {
        let executed = self.run_statement(sql, opts).await?;
        Ok(Query::start(Arc::clone(&self.inner), executed, opts))
    }

    /// The result shape of `sql`, from `SELECT * FROM (sql) AS t LIMIT 0`, which is cleared
    /// right away (no batch is fetched).
    pub async fn describe(
        &self,
        sql: &str,
        opts: &ExecOptions,
    ) -> Result<ResultMetadata, ClientError> {
        let wrapped = format!("SELECT * FROM ({}) AS t LIMIT 0", strip_terminator(sql));
        let Executed {
            route,
            pin,
            metadata,
        } = self.run_statement(&wrapped, opts).await?;
        if let Err(e) = self.inner.clear_on_server(&route).await {
            debug!(error = %e, "clearing the describe query failed");
        }
        pin.release();
        Ok(metadata)
    }

    /// prepare + execute + metadata under the options' cancel token and time limit; an
    /// interrupted statement is cancelled on the server.
    async fn run_statement(&self, sql: &str, opts: &ExecOptions) -> Result<Executed, ClientError> {
        let core = &self.inner;
        core.check_open()?;
        let sql = strip_terminator(sql);
        if sql.is_empty() {
            return Err(ClientError::new(
                ErrorKind::Syntax,
                "the statement is empty; nothing to execute",
            ));
        }
        let deadline = opts.timeout.map(|t| Instant::now() + t);
        let inflight = parking_lot::Mutex::new(None::<Route>);
        let interrupted = tokio::select! {
            biased;
            _ = opts.cancel.cancelled() => ClientError::new(
                ErrorKind::Cancelled,
                "the statement was cancelled before it returned a result",
            ),
            _ = sleep_until(deadline) => ClientError::new(
                ErrorKind::Timeout,
                format!(
                    "the statement did not return a result within the query timeout of {:.3} s",
                    opts.timeout.unwrap_or_default().as_secs_f64()
                ),
            ),
            done = core.execute_with_retries(sql, deadline, &inflight) => return done,
        };
        let route = inflight.lock().take();
        if let Some(route) = route
            && let Err(e) = core.cancel_on_server(&route).await
        {
            warn!(target = %core.store.key(), error = %e, "cancelQuery after an interrupted execute failed");
        }
        Err(interrupted)
    }

    /// Catalogs (`getCataloges`): `(name, is_default)`.
    pub async fn catalogs(&self) -> Result<Vec<(String, bool)>, ClientError> {
        let core = &self.inner;
        core.run_safe(|session| async move {
            let req = core
                .rpc
                .request(GetCatalogesRequest {}, session.colour, None, None)?;
            let resp = with_deadline(None, core.rpc.engine().get_cataloges(req))
                .await
                .map_err(|s| Failure::Rpc("getCataloges", s))?;
            Ok(resp
                .catalog_responses
                .into_iter()
                .map(|c| (c.name, c.is_default))
                .collect())
        })
        .await
    }

    /// Schemas of `catalog` (`getSchemaNamesV2`).
    pub async fn schemas(&self, catalog: &str) -> Result<Vec<String>, ClientError> {
        let core = &self.inner;
        core.run_safe(|session| async move {
            let msg = GetSchemaNamesV2Request {
                session_id: session.id.clone(),
                catalog: catalog.to_owned(),
            };
            let req = core.rpc.request(msg, session.colour, None, None)?;
            let resp = with_deadline(None, core.rpc.engine().get_schema_names_v2(req))
                .await
                .map_err(|s| Failure::Rpc("getSchemaNamesV2", s))?;
            core.announce(resp.new_strategy.as_deref());
            Ok(resp.schemas)
        })
        .await
    }

    /// Tables of `catalog.schema` (`getTablesV2`).
    pub async fn tables(&self, catalog: &str, schema: &str) -> Result<Vec<String>, ClientError> {
        let core = &self.inner;
        core.run_safe(|session| async move {
            let msg = GetTablesV2Request {
                session_id: session.id.clone(),
                schema: schema.to_owned(),
                catalog: catalog.to_owned(),
            };
            let req = core.rpc.request(msg, session.colour, None, None)?;
            let resp = with_deadline(None, core.rpc.engine().get_tables_v2(req))
                .await
                .map_err(|s| Failure::Rpc("getTablesV2", s))?;
            core.announce(resp.new_strategy.as_deref());
            Ok(resp.tables)
        })
        .await
    }

    /// Columns of `catalog.schema.table` (`getColumnsV2`): `(name, field type)`.
    pub async fn columns(
        &self,
        catalog: &str,
        schema: &str,
        table: &str,
    ) -> Result<Vec<(String, String)>, ClientError> {
        let core = &self.inner;
        core.run_safe(|session| async move {
            let msg = GetColumnsV2Request {
                session_id: session.id.clone(),
                schema: schema.to_owned(),
                table: table.to_owned(),
                catalog: catalog.to_owned(),
            };
            let req = core.rpc.request(msg, session.colour, None, None)?;
            let resp = with_deadline(None, core.rpc.engine().get_columns_v2(req))
                .await
                .map_err(|s| Failure::Rpc("getColumnsV2", s))?;
            core.announce(resp.new_strategy.as_deref());
            Ok(resp
                .field_info
                .into_iter()
                .map(|f| (f.field_name, f.field_type))
                .collect())
        })
        .await
    }

    /// The engine's dry-run answer for `sql` (`dryRun`, or `dryRunV2` when a catalog is set).
    pub async fn dry_run(&self, sql: &str) -> Result<String, ClientError> {
        let core = &self.inner;
        let sql = strip_terminator(sql);
        let schema = core.config.schema.clone().unwrap_or_default();
        core.run_safe(|session| {
            let schema = schema.clone();
            async move {
                let resp = match core.config.v2_catalog() {
                    Some(catalog) => {
                        let msg = DryRunRequestV2 {
                            engine_ip: String::new(),
                            session_id: session.id.clone(),
                            schema,
                            query_string: sql.to_owned(),
                            catalog: catalog.to_owned(),
                        };
                        let req = core.rpc.request(msg, session.colour, None, None)?;
                        with_deadline(None, core.rpc.engine().dry_run_v2(req))
                            .await
                            .map_err(|s| Failure::Rpc("dryRunV2", s))?
                    }
                    None => {
                        let msg = DryRunRequest {
                            engine_ip: String::new(),
                            session_id: session.id.clone(),
                            schema,
                            query_string: sql.to_owned(),
                        };
                        let req = core.rpc.request(msg, session.colour, None, None)?;
                        with_deadline(None, core.rpc.engine().dry_run(req))
                            .await
                            .map_err(|s| Failure::Rpc("dryRun", s))?
                    }
                };
                Ok(resp.dryrun_value)
            }
        })
        .await
    }

    /// Closes the connection: releases every pin its queries still hold and forgets the session.
    /// No RPC is sent (the protocol has none to end a session). Later calls fail.
    pub async fn close(&self) {
        let core = &self.inner;
        core.closed.store(true, Ordering::Release);
        core.store.release_owner(core.owner);
        *core.session.lock().await = None;
    }
}

impl Core {
    pub(crate) fn check_open(&self) -> Result<(), ClientError> {
        if self.closed.load(Ordering::Acquire) {
            Err(ClientError::new(
                ErrorKind::Connect,
                "the connection is closed; open a new one",
            ))
        } else {
            Ok(())
        }
    }

    /// Records a `new_strategy` announcement, if any.
    pub(crate) fn announce(&self, announced: Option<&str>) {
        if let Some(a) = announced {
            self.store.set_pending(a);
        }
    }

    /// Runs a replay-safe, non-query call with the retry rules of the module docs.
    async fn run_safe<'a, T, F, Fut>(&'a self, mut call: F) -> Result<T, ClientError>
    where
        F: FnMut(Session) -> Fut,
        Fut: Future<Output = Result<T, Failure>> + 'a,
    {
        let mut retry = Retry::default();
        loop {
            retry.attempts += 1;
            let session = self.ensure_session(false).await?;
            match call(session.clone()).await {
                Ok(v) => return Ok(v),
                Err(Failure::Local(e)) => return Err(e),
                Err(Failure::Rpc(rpc, status)) => {
                    self.recover(&mut retry, &session, rpc, &status).await?
                }
            }
        }
    }

    /// Applies the recovery for a failed replay-safe call, or returns the error to report.
    async fn recover(
        &self,
        retry: &mut Retry,
        session: &Session,
        rpc: &'static str,
        status: &Status,
    ) -> Result<(), ClientError> {
        match retry.decide(status, self.config.auto_resume) {
            Recovery::Flip => {
                let to = self.store.flip_from(session.colour);
                warn!(target = %self.store.key(), rpc, from = session.colour.as_str(), to = to.as_str(), "456: colour flipped; re-authenticating and retrying once");
                Ok(())
            }
            Recovery::Reauthenticate => {
                warn!(target = %self.store.key(), rpc, attempt = retry.attempts, "Access denied: re-authenticating and retrying");
                tokio::time::sleep(ACCESS_DENIED_PAUSE).await;
                self.invalidate_session(session).await;
                Ok(())
            }
            Recovery::Resume => {
                warn!(target = %self.store.key(), rpc, "cluster is suspended; resuming it");
                self.resume_cluster(session.colour).await
            }
            Recovery::GiveUp => {
                debug!(target = %self.store.key(), rpc, code = ?status.code(), "call failed");
                let err = ClientError::from_status(status, rpc, false);
                if retry.flipped && matcher::is_wrong_colour(status) {
                    return Err(ClientError::new(
                        ErrorKind::Routing,
                        format!(
                            "{rpc}: both the blue and the green deployment rejected the request \
                             (456); the cluster may be switching deployments, retry in a moment"
                        ),
                    )
                    .with_code(status.code()));
                }
                Err(err)
            }
        }
    }

    /// prepare + execute + metadata, with replays while that is safe.
    async fn execute_with_retries(
        self: &Arc<Self>,
        sql: &str,
        deadline: Option<Instant>,
        inflight: &parking_lot::Mutex<Option<Route>>,
    ) -> Result<Executed, ClientError> {
        let mut retry = Retry::default();
        loop {
            retry.attempts += 1;
            let session = self.ensure_session(false).await?;
            let prepared = match self.prepare(&session, sql, deadline).await {
                Ok(p) => p,
                Err(Failure::Local(e)) => return Err(e),
                Err(Failure::Rpc(rpc, status)) => {
                    self.recover(&mut retry, &session, rpc, &status).await?;
                    continue;
                }
            };
            if prepared.query_id.is_empty() {
                return Err(ClientError::protocol("prepareStatement", "empty queryId"));
            }
            let route = Route {
                query_id: prepared.query_id,
                engine_ip: prepared.engine_ip,
                colour: session.colour,
                session_id: session.id.clone(),
            };
            let pin = self
                .store
                .register_query(self.owner, &route.query_id, route.colour);
            *inflight.lock() = Some(route.clone());
            self.announce(prepared.new_strategy.as_deref());
            let outcome = self.execute_pinned(&route, deadline).await;
            *inflight.lock() = None;
            match outcome {
                Ok(metadata) => {
                    return Ok(Executed {
                        route,
                        pin,
                        metadata,
                    });
                }
                Err(Failure::Rpc(rpc, status)) if matcher::is_wrong_colour(&status) => {
                    pin.release();
                    return Err(lost_query(rpc, &route));
                }
                Err(Failure::Rpc(rpc, status))
                    if matcher::is_access_denied(&status) && retry.attempts < MAX_ATTEMPTS =>
                {
                    pin.release();
                    warn!(target = %self.store.key(), rpc, attempt = retry.attempts, "Access denied before any result was read: re-authenticating and re-running");
                    tokio::time::sleep(ACCESS_DENIED_PAUSE).await;
                    self.invalidate_session(&session).await;
                }
                Err(failure) => {
                    pin.release();
                    self.spawn_clear(route);
                    return Err(match failure {
                        Failure::Rpc(rpc, status) => ClientError::from_status(&status, rpc, false),
                        Failure::Local(e) => e,
                    });
                }
            }
        }
    }

    async fn prepare(
        &self,
        session: &Session,
        sql: &str,
        deadline: Option<Instant>,
    ) -> Result<PrepareStatementResponse, Failure> {
        let schema = self.config.schema.clone().unwrap_or_default();
        match self.config.v2_catalog() {
            Some(catalog) => {
                let timeout = min_timeout(Some(self.config.prepare_timeout), budget(deadline));
                let msg = PrepareStatementV2Request {
                    session_id: session.id.clone(),
                    schema,
                    catalog: catalog.to_owned(),
                    query_string: sql.to_owned(),
                    ..Default::default()
                };
                let req = self.rpc.request(msg, session.colour, None, timeout)?;
                with_deadline(timeout, self.rpc.engine().prepare_statement_v2(req))
                    .await
                    .map_err(|s| Failure::Rpc("prepareStatementV2", s))
            }
            None => {
                let timeout = budget(deadline);
                let msg = PrepareStatementRequest {
                    session_id: session.id.clone(),
                    schema,
                    query_string: sql.to_owned(),
                    ..Default::default()
                };
                let req = self.rpc.request(msg, session.colour, None, timeout)?;
                with_deadline(timeout, self.rpc.engine().prepare_statement(req))
                    .await
                    .map_err(|s| Failure::Rpc("prepareStatement", s))
            }
        }
    }

    async fn execute_pinned(
        &self,
        route: &Route,
        deadline: Option<Instant>,
    ) -> Result<ResultMetadata, Failure> {
        let timeout = budget(deadline);
        let announced = if self.config.v2_catalog().is_some() {
            let msg = ExecuteStatementV2Request {
                engine_ip: route.engine_ip.clone(),
                session_id: route.session_id.clone(),
                query_id: route.query_id.clone(),
                ..Default::default()
            };
            let req = route.request(&self.rpc, msg, timeout)?;
            with_deadline(timeout, self.rpc.engine().execute_statement_v2(req))
                .await
                .map_err(|s| Failure::Rpc("executeStatementV2", s))?
                .new_strategy
        } else {
            let msg = ExecuteStatementRequest {
                engine_ip: route.engine_ip.clone(),
                session_id: route.session_id.clone(),
                query_id: route.query_id.clone(),
                ..Default::default()
            };
            let req = route.request(&self.rpc, msg, timeout)?;
            with_deadline(timeout, self.rpc.engine().execute_statement(req))
                .await
                .map_err(|s| Failure::Rpc("executeStatement", s))?
                .new_strategy
        };
        self.announce(announced.as_deref());
        let timeout = budget(deadline);
        let msg = GetResultMetadataRequest {
            engine_ip: route.engine_ip.clone(),
            session_id: route.session_id.clone(),
            query_id: route.query_id.clone(),
        };
        let req = route.request(&self.rpc, msg, timeout)?;
        let resp = with_deadline(timeout, self.rpc.engine().get_result_metadata(req))
            .await
            .map_err(|s| Failure::Rpc("getResultMetadata", s))?;
        self.announce(resp.new_strategy.as_deref());
        decode_metadata(&resp.result_meta_data)
            .map_err(|e| Failure::Local(ClientError::protocol("getResultMetadata", e)))
    }

    /// Best-effort `clearOrCancelQuery` in the background (after a failed execute).
    fn spawn_clear(self: &Arc<Self>, route: Route) {
        let core = Arc::clone(self);
        tokio::spawn(async move {
            if let Err(e) = core.clear_on_server(&route).await {
                debug!(error = %e, "clearOrCancelQuery after a failed execute failed");
            }
        });
    }
}

/// The error of a query lost to a colour switch (456 on a pinned call).
pub(crate) fn lost_query(rpc: &str, route: &Route) -> ClientError {
    ClientError::new(
        ErrorKind::Routing,
        format!(
            "{rpc}: query {} was running on the {} deployment which is no longer accepting \
             requests; re-run the query",
            route.query_id, route.colour
        ),
    )
}

/// Trims `sql` and removes exactly one trailing `;` (the engine rejects a terminator).
pub(crate) fn strip_terminator(sql: &str) -> &str {
    let t = sql.trim();
    t.strip_suffix(';').map(str::trim_end).unwrap_or(t)
}

/// What is left of the time budget, if there is one (at least 1 ms, so an expired budget
/// fails the RPC at once instead of disabling the deadline).
pub(crate) fn budget(deadline: Option<Instant>) -> Option<Duration> {
    deadline.map(|d| {
        d.saturating_duration_since(Instant::now())
            .max(Duration::from_millis(1))
    })
}

fn min_timeout(a: Option<Duration>, b: Option<Duration>) -> Option<Duration> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// Sleeps until `deadline`, or forever without one.
pub(crate) async fn sleep_until(deadline: Option<Instant>) {
    match deadline {
        Some(d) => tokio::time::sleep_until(d).await,
        None => std::future::pending().await,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn handles_are_thread_safe() {
        fn check<T: Send + Sync>() {}
        check::<Connection>();
        check::<Query>();
        check::<CancelToken>();
        check::<StrategyStore>();
    }

    #[test]
    fn strips_exactly_one_terminator() {
        assert_eq!(strip_terminator("  select 1 ;  "), "select 1");
        assert_eq!(strip_terminator("select 1;;"), "select 1;");
        assert_eq!(strip_terminator("select ';'"), "select ';'");
        assert_eq!(strip_terminator(";"), "");
    }

    #[test]
    fn retry_decisions() {
        let mut r = Retry {
            attempts: 1,
            ..Default::default()
        };
        assert!(matches!(
            r.decide(&Status::unknown("status: 456"), true),
            Recovery::Flip
        ));
        assert!(matches!(
            r.decide(&Status::unknown("status: 456"), true),
            Recovery::GiveUp
        ));
        assert!(matches!(
            r.decide(&Status::internal("Access denied"), true),
            Recovery::Reauthenticate
        ));
        assert!(matches!(
            r.decide(&Status::unavailable("status: 503"), false),
            Recovery::GiveUp
        ));
        assert!(matches!(
            r.decide(&Status::unavailable("status: 503"), true),
            Recovery::Resume
        ));
        assert!(matches!(
            r.decide(&Status::unavailable("status: 503"), true),
            Recovery::GiveUp
        ));
        r.attempts = MAX_ATTEMPTS;
        assert!(matches!(
            r.decide(&Status::internal("Access denied"), true),
            Recovery::GiveUp
        ));
    }

    #[test]
    fn budgets() {
        assert_eq!(budget(None), None);
        let past = Instant::now();
        assert_eq!(budget(Some(past)), Some(Duration::from_millis(1)));
        assert_eq!(
            min_timeout(Some(Duration::from_secs(2)), Some(Duration::from_secs(1))),
            Some(Duration::from_secs(1))
        );
        assert_eq!(
            min_timeout(None, Some(Duration::from_secs(1))),
            Some(Duration::from_secs(1))
        );
    }
}
