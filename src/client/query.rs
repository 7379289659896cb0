//! A running query: its pin, its metadata, and its result batches with a bounded prefetch.
//!
//! Every per-query RPC (batches, status, explain, cancel, clear) goes out with the query's own
//! colour, `plannerip` and session, whatever colour the target's new work uses by then. The pin is
//! released when the query ends: end of results, close, cancel, drop, a failed batch fetch,
//! or a 456 on any of its calls (the query is lost: routing error, no replay).
//!
//! Prefetch: a background task fetches the next batch while the caller works on the current
//! one. It reserves room in a channel of capacity one *before* asking for a batch, so at most
//! one batch waits in memory. Dropping the query aborts the task.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use tokio::sync::mpsc;
use tokio::task::AbortHandle;
use tonic::Status;
use tracing::{debug, warn};

use super::cancel::CancelToken;
use super::channel::{Rpc, with_deadline};
use super::connection::{Core, ExecOptions, lost_query, sleep_until};
use super::error::{ClientError, ErrorKind};
use super::matcher;
use super::strategy::{Colour, QueryPin, StrategyStore};
use crate::proto::{
    CancelQueryRequest, ClearOrCancelQueryRequest, ExplainAnalyzeRequest, ExplainRequest,
    GetNextResultBatchRequest, StatusRequest,
};
use crate::wire::{Chunk, ResultMetadata, decode_chunk};

/// Where a query lives: its id, its planner, its colour and the session it was prepared in.
#[derive(Clone)]
pub(crate) struct Route {
    pub(crate) query_id: String,
    pub(crate) engine_ip: String,
    pub(crate) colour: Colour,
    pub(crate) session_id: String,
}

impl Route {
    /// A per-query request on `rpc`: the query's pinned colour and its `plannerip`.
    pub(crate) fn request<T>(
        &self,
        rpc: &Rpc,
        msg: T,
        timeout: Option<Duration>,
    ) -> Result<tonic::Request<T>, ClientError> {
        rpc.request(msg, self.colour, Some(&self.engine_ip), timeout)
    }
}

/// The outcome of a successful prepare + execute + metadata.
pub(crate) struct Executed {
    pub(crate) route: Route,
    pub(crate) pin: QueryPin,
    pub(crate) metadata: ResultMetadata,
}

type Fetched = Result<Option<Chunk>, ClientError>;

/// Deadline of `cancelQuery` and `clearOrCancelQuery` (the connector's cleanup timeout), so
/// that closing a statement never hangs on an unresponsive server.
const CLEANUP_TIMEOUT: Option<Duration> = Some(Duration::from_secs(10));

#[derive(Clone)]
enum Phase {
    Open,
    Ended,
    Failed(ClientError),
    Closed,
}

enum Wait {
    Got(Option<Fetched>),
    Cancelled,
    TimedOut,
}

/// A query that was executed; read its result with [`Query::next_chunk`].
pub struct Query {
    core: Arc<Core>,
    route: Route,
    pin: QueryPin,
    metadata: ResultMetadata,
    batches: mpsc::Receiver<Fetched>,
    prefetch: AbortHandle,
    cancel: CancelToken,
    timeout: Option<Duration>,
    phase: parking_lot::Mutex<Phase>,
    /// Set once the server was told to cancel or clear the query (Drop then sends nothing).
    finished_on_server: AtomicBool,
    /// The runtime the query was executed on: Drop clears the query through it.
    runtime: tokio::runtime::Handle,
}

impl std::fmt::Debug for Query {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Query")
            .field("id", &self.route.query_id)
            .field("colour", &self.route.colour)
            .field("columns", &self.metadata.columns.len())
            .finish()
    }
}

impl Query {
    pub(crate) fn start(core: Arc<Core>, executed: Executed, opts: &ExecOptions) -> Query {
        let Executed {
            route,
            pin,
            metadata,
        } = executed;
        let (tx, rx) = mpsc::channel(1);
        let runtime = tokio::runtime::Handle::current();
        let task = runtime.spawn(prefetch(
            core.rpc.clone(),
            Arc::clone(&core.store),
            route.clone(),
            metadata.columns.len(),
            opts.timeout,
            tx,
        ));
        Query {
            core,
            route,
            pin,
            metadata,
            batches: rx,
            prefetch: task.abort_handle(),
            cancel: opts.cancel.clone(),
            timeout: opts.timeout,
            phase: parking_lot::Mutex::new(Phase::Open),
            finished_on_server: AtomicBool::new(false),
            runtime,
        }
    }

    /// The server's query id.
    pub fn id(&self) -> &str {
        &self.route.query_id
    }

    /// The colour the query is pinned to.
    pub fn colour(&self) -> Colour {
        self.route.colour
    }

    /// The result metadata read at execute.
    pub fn metadata(&self) -> &ResultMetadata {
        &self.metadata
    }

    /// The next decoded chunk, or `None` at the end of the result. Waits at most the
    /// execute-time timeout, and returns `Cancelled` if the execute-time token is cancelled
    /// (the query is then cancelled on the server).
    pub async fn next_chunk(&mut self) -> Result<Option<Chunk>, ClientError> {
        match &*self.phase.lock() {
            Phase::Open => {}
            Phase::Ended => return Ok(None),
            Phase::Failed(e) => return Err(e.clone()),
            Phase::Closed => return Err(closed()),
        }
        let deadline = self.timeout.map(|t| tokio::time::Instant::now() + t);
        let wait = {
            let batches = &mut self.batches;
            let cancel = &self.cancel;
            tokio::select! {
                biased;
                _ = cancel.cancelled() => Wait::Cancelled,
                _ = sleep_until(deadline) => Wait::TimedOut,
                got = batches.recv() => Wait::Got(got),
            }
        };
        match wait {
            Wait::Got(Some(Ok(Some(chunk)))) => Ok(Some(chunk)),
            Wait::Got(Some(Ok(None))) => {
                *self.phase.lock() = Phase::Ended;
                self.pin.release();
                Ok(None)
            }
            Wait::Got(Some(Err(e))) => {
                if e.kind() == ErrorKind::Timeout {
                    self.cancel_quietly().await;
                }
                Err(self.fail(e))
            }
            Wait::Got(None) => Err(self.fail(ClientError::new(
                ErrorKind::Server,
                "the result reader stopped unexpectedly; re-run the query",
            ))),
            Wait::Cancelled => {
                self.cancel_quietly().await;
                Err(self.fail(ClientError::new(
                    ErrorKind::Cancelled,
                    "the query was cancelled",
                )))
            }
            Wait::TimedOut => {
                self.cancel_quietly().await;
                Err(self.fail(ClientError::new(
                    ErrorKind::Timeout,
                    format!(
                        "no result batch arrived within the query timeout of {:.3} s; the query \
                         was cancelled",
                        self.timeout.unwrap_or_default().as_secs_f64()
                    ),
                )))
            }
        }
    }

    /// `status`: (finished, row count).
    pub async fn status(&self) -> Result<(bool, i64), ClientError> {
        self.check_not_closed()?;
        let msg = StatusRequest {
            engine_ip: self.route.engine_ip.clone(),
            session_id: self.route.session_id.clone(),
            query_id: self.route.query_id.clone(),
        };
        let req = self.route.request(&self.core.rpc, msg, None)?;
        let resp = with_deadline(None, self.core.rpc.engine().status(req))
            .await
            .map_err(|s| self.per_query_error("status", &s))?;
        self.core.announce(resp.new_strategy.as_deref());
        Ok((resp.status, resp.row_count))
    }

    /// `explain`: the plan text.
    pub async fn explain(&self) -> Result<String, ClientError> {
        self.check_not_closed()?;
        let msg = ExplainRequest {
            engine_ip: self.route.engine_ip.clone(),
            session_id: self.route.session_id.clone(),
            query_id: self.route.query_id.clone(),
        };
        let req = self.route.request(&self.core.rpc, msg, None)?;
        let resp = with_deadline(None, self.core.rpc.engine().explain(req))
            .await
            .map_err(|s| self.per_query_error("explain", &s))?;
        self.core.announce(resp.new_strategy.as_deref());
        Ok(resp.explain)
    }

    /// `explainAnalyze`: the JSON text of the analysed plan.
    pub async fn explain_analyze(&self) -> Result<String, ClientError> {
        self.check_not_closed()?;
        let msg = ExplainAnalyzeRequest {
            engine_ip: self.route.engine_ip.clone(),
            session_id: self.route.session_id.clone(),
            query_id: self.route.query_id.clone(),
        };
        let req = self.route.request(&self.core.rpc, msg, None)?;
        let resp = with_deadline(None, self.core.rpc.engine().explain_analyze(req))
            .await
            .map_err(|s| self.per_query_error("explainAnalyze", &s))?;
        self.core.announce(resp.new_strategy.as_deref());
        Ok(resp.explain_analyze)
    }

    /// Cancels the query on the server (`cancelQuery` with its pinned colour and engine IP) and
    /// unpins it; later `next_chunk` calls return `Cancelled`.
    pub async fn cancel(&self) -> Result<(), ClientError> {
        self.prefetch.abort();
        let result = self.core.cancel_on_server(&self.route).await;
        if result.is_ok() {
            self.finished_on_server.store(true, Ordering::Release);
        }
        self.pin.release();
        let mut phase = self.phase.lock();
        if matches!(*phase, Phase::Open) {
            *phase = Phase::Failed(ClientError::new(
                ErrorKind::Cancelled,
                "the query was cancelled",
            ));
        }
        result
    }

    /// Clears the query on the server (`clearOrCancelQuery` with its pinned colour) and unpins
    /// it, even if the RPC fails.
    pub async fn close(self) -> Result<(), ClientError> {
        self.prefetch.abort();
        *self.phase.lock() = Phase::Closed;
        let result = if self.finished_on_server.swap(true, Ordering::AcqRel) {
            Ok(())
        } else {
            self.core.clear_on_server(&self.route).await
        };
        self.pin.release();
        result
    }

    fn check_not_closed(&self) -> Result<(), ClientError> {
        match &*self.phase.lock() {
            Phase::Closed => Err(closed()),
            _ => Ok(()),
        }
    }

    /// Records a terminal failure: the query is over and unpinned.
    fn fail(&self, e: ClientError) -> ClientError {
        self.prefetch.abort();
        *self.phase.lock() = Phase::Failed(e.clone());
        self.pin.release();
        e
    }

    /// Maps a per-query RPC failure; a 456 loses the query.
    fn per_query_error(&self, rpc: &'static str, status: &Status) -> ClientError {
        if matcher::is_wrong_colour(status) {
            self.fail(lost_query(rpc, &self.route))
        } else {
            ClientError::from_status(status, rpc, false)
        }
    }

    async fn cancel_quietly(&self) {
        self.prefetch.abort();
        match self.core.cancel_on_server(&self.route).await {
            Ok(()) => self.finished_on_server.store(true, Ordering::Release),
            Err(e) => warn!(query_id = %self.route.query_id, error = %e, "cancelQuery failed"),
        }
    }
}

impl Drop for Query {
    /// Unpins, stops the reader and, unless the query was closed or cancelled, sends a
    /// best-effort `clearOrCancelQuery` on the runtime the query was executed on.
    fn drop(&mut self) {
        self.prefetch.abort();
        self.pin.release();
        if !self.finished_on_server.swap(true, Ordering::AcqRel) {
            let core = Arc::clone(&self.core);
            let route = self.route.clone();
            self.runtime.spawn(async move {
                if let Err(e) = core.clear_on_server(&route).await {
                    debug!(query_id = %route.query_id, error = %e, "clearOrCancelQuery on drop failed");
                }
            });
        }
    }
}

impl Core {
    /// `cancelQuery` with the query's colour, `plannerip` and session.
    pub(crate) async fn cancel_on_server(&self, route: &Route) -> Result<(), ClientError> {
        let msg = CancelQueryRequest {
            engine_ip: route.engine_ip.clone(),
            session_id: route.session_id.clone(),
            query_id: route.query_id.clone(),
        };
        let req = route.request(&self.rpc, msg, CLEANUP_TIMEOUT)?;
        let resp = with_deadline(CLEANUP_TIMEOUT, self.rpc.engine().cancel_query(req))
            .await
            .map_err(|s| ClientError::from_status(&s, "cancelQuery", false))?;
        self.announce(resp.new_strategy.as_deref());
        Ok(())
    }

    /// `clearOrCancelQuery` with the query's colour, `plannerip` and session.
    pub(crate) async fn clear_on_server(&self, route: &Route) -> Result<(), ClientError> {
        let msg = ClearOrCancelQueryRequest {
            engine_ip: route.engine_ip.clone(),
            session_id: route.session_id.clone(),
            query_id: route.query_id.clone(),
            is_done: None,
        };
        let req = route.request(&self.rpc, msg, CLEANUP_TIMEOUT)?;
        let resp = with_deadline(
            CLEANUP_TIMEOUT,
            self.rpc.engine().clear_or_cancel_query(req),
        )
        .await
        .map_err(|s| ClientError::from_status(&s, "clearOrCancelQuery", false))?;
        self.announce(resp.new_strategy.as_deref());
        Ok(())
    }
}

fn closed() -> ClientError {
    ClientError::new(ErrorKind::Server, "the query is closed; execute it again")
}

/// The background reader: one batch at a time, never more than one waiting.
async fn prefetch(
    rpc: Rpc,
    store: Arc<StrategyStore>,
    route: Route,
    columns: usize,
    timeout: Option<Duration>,
    tx: mpsc::Sender<Fetched>,
) {
    loop {
        let Ok(permit) = tx.reserve().await else {
            return;
        };
        let fetched = fetch_batch(&rpc, &store, &route, columns, timeout).await;
        let more = matches!(fetched, Ok(Some(_)));
        permit.send(fetched);
        if !more {
            return;
        }
    }
}

async fn fetch_batch(
    rpc: &Rpc,
    store: &StrategyStore,
    route: &Route,
    columns: usize,
    timeout: Option<Duration>,
) -> Fetched {
    let msg = GetNextResultBatchRequest {
        engine_ip: route.engine_ip.clone(),
        session_id: route.session_id.clone(),
        query_id: route.query_id.clone(),
    };
    let req = route.request(rpc, msg, timeout)?;
    let resp = with_deadline(timeout, rpc.engine().get_next_result_batch(req))
        .await
        .map_err(|s| batch_error(&s, route))?;
    if let Some(announced) = resp.new_strategy.as_deref() {
        store.set_pending(announced);
    }
    if resp.result_batch.is_empty() {
        return Ok(None);
    }
    let chunk = decode_chunk(&resp.result_batch)
        .map_err(|e| ClientError::protocol("getNextResultBatch", e))?;
    if chunk.rows == 0 {
        return Ok(None);
    }
    if chunk.columns.len() != columns {
        return Err(ClientError::protocol(
            "getNextResultBatch",
            format!(
                "a batch has {} columns but the metadata lists {columns}",
                chunk.columns.len()
            ),
        ));
    }
    Ok(Some(chunk))
}

fn batch_error(status: &Status, route: &Route) -> ClientError {
    if matcher::is_wrong_colour(status) {
        lost_query("getNextResultBatch", route)
    } else if matcher::is_access_denied(status) {
        ClientError::new(
            ErrorKind::SessionExpired,
            format!(
                "getNextResultBatch: the session expired while results of query {} were being \
                 read; batches cannot be replayed, re-run the query",
                route.query_id
            ),
        )
        .with_code(status.code())
    } else {
        ClientError::from_status(status, "getNextResultBatch", false)
    }
}
