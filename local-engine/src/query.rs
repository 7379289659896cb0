//! One query's life: planned at prepare, streamed from DataFusion after execute, pulled on demand
//! by the batch calls and re-chunked to `--batch-rows` rows (spec §10 items 6-11).
//!
//! DataFusion runs on a separate execution runtime, so CPU-heavy operators never starve the gRPC
//! server: a producer task there polls the DataFusion stream and hands batches over a channel of
//! [`PREFETCH_BATCHES`] slots. Nothing is materialised beyond that and one chunk: `execute` pulls
//! at most one chunk's worth of rows (so small results know their row count at once), and every
//! batch call pulls only what it sends. Cancellation interrupts a pull in progress and aborts the
//! producer, which drops the DataFusion stream.

use std::collections::VecDeque;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use datafusion::arrow::array::RecordBatch;
use datafusion::arrow::compute::concat_batches;
use datafusion::common::stats::Precision;
use datafusion::execution::TaskContext;
use datafusion::execution::context::{SQLOptions, SessionContext, SessionState};
use datafusion::logical_expr::LogicalPlan;
use datafusion::physical_plan::display::DisplayableExecutionPlan;
use datafusion::physical_plan::{
    ExecutionPlan, StatisticsArgs, StatisticsContext, displayable, execute_stream,
};
use e6data_odbc::wire::{ColumnMeta, ResultMetadata, encode_chunk};
use futures::StreamExt;
use parking_lot::Mutex;
use tokio::sync::{mpsc, watch};
use tokio::task::AbortHandle;

use crate::arrow_to_chunk::{ConvertError, batch_to_chunk};
use crate::routing::Colour;
use crate::sql;
use crate::types::vector_type;

/// Batches the producer may run ahead of the batch calls.
pub const PREFETCH_BATCHES: usize = 2;

/// Why a call on a query failed.
#[derive(Debug, Clone, thiserror::Error)]
pub enum QueryError {
    /// A result call before `executeStatement`.
    #[error("query {0} has not been executed yet; call executeStatement first")]
    NotExecuted(String),
    /// `executeStatement` on a query that already ran.
    #[error("query {0} was already executed; prepare the statement again to re-run it")]
    AlreadyExecuted(String),
    /// The query was cancelled.
    #[error("query was cancelled")]
    Cancelled,
    /// The colour the query was prepared under was withdrawn: its deployment is gone. Answered
    /// like the gateway answers a withdrawn colour, so clients treat it as a lost query.
    #[error("status: 456")]
    Withdrawn,
    /// DataFusion failed while running the query.
    #[error("query execution failed: {0}")]
    Failed(String),
    /// A value has no wire form.
    #[error(transparent)]
    Convert(#[from] ConvertError),
    /// The chunk encoder refused a chunk.
    #[error("cannot encode a result chunk: {0}")]
    Encode(String),
}

/// A planned statement: what `prepareStatement` produces.
pub struct Planned {
    state: SessionState,
    plan: LogicalPlan,
    parsing_time: Duration,
}

/// Plans `sql` (e6data conventions) with `catalog`/`schema` (when non-empty) as defaults.
/// Only queries are accepted: DDL, DML and session statements are refused.
pub async fn plan(
    ctx: &SessionContext,
    sql_text: &str,
    catalog: &str,
    schema: &str,
) -> datafusion::error::Result<Planned> {
    let started = Instant::now();
    let mut state = ctx.state();
    let options = state.config_mut().options_mut();
    if !catalog.is_empty() {
        options.catalog.default_catalog = catalog.to_owned();
    }
    if !schema.is_empty() {
        options.catalog.default_schema = schema.to_owned();
    }
    let plan = state
        .create_logical_plan(&sql::to_datafusion(sql_text))
        .await?;
    SQLOptions::new()
        .with_allow_ddl(false)
        .with_allow_dml(false)
        .with_allow_statements(false)
        .verify_plan(&plan)?;
    Ok(Planned {
        state,
        plan,
        parsing_time: started.elapsed(),
    })
}

impl Planned {
    /// The logical plan as indented text.
    pub fn display(&self) -> String {
        self.plan.display_indent().to_string()
    }

    /// Result columns as metadata (name and VectorType name).
    pub fn columns(&self) -> Vec<ColumnMeta> {
        self.plan
            .schema()
            .fields()
            .iter()
            .map(|f| ColumnMeta {
                name: f.name().clone(),
                type_name: vector_type(f.data_type()).name().to_owned(),
                zone: String::new(),
                format: String::new(),
            })
            .collect()
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Phase {
    Prepared,
    Running,
    Finished,
    Failed(String),
}

struct Progress {
    phase: Phase,
    rows_pulled: u64,
    total: Option<u64>,
    execute_started: Option<Instant>,
    finished_at: Option<Instant>,
    planning_time: Duration,
    physical: Option<Arc<dyn ExecutionPlan>>,
    producer: Option<AbortHandle>,
    last_used: Instant,
}

/// What the producer task hands over.
enum Produced {
    Batch(RecordBatch),
    Failed(String),
    End,
}

#[derive(Default)]
struct Cursor {
    /// The producer's channel, until the end of the result.
    rx: Option<mpsc::Receiver<Produced>>,
    buffer: VecDeque<RecordBatch>,
    buffered_rows: usize,
}

/// A prepared (and possibly running) query.
pub struct Query {
    /// The opaque query id.
    pub id: String,
    /// The user who prepared it.
    pub user: String,
    /// The colour it was prepared under.
    pub colour: Colour,
    planned: Planned,
    columns: Vec<ColumnMeta>,
    batch_rows: usize,
    progress: Mutex<Progress>,
    cursor: tokio::sync::Mutex<Cursor>,
    cancel: watch::Sender<bool>,
    withdrawn: AtomicBool,
    batch_calls: AtomicU64,
}

impl Query {
    /// A prepared query that sends chunks of at most `batch_rows` rows.
    pub fn new(
        id: String,
        user: String,
        colour: Colour,
        planned: Planned,
        batch_rows: usize,
    ) -> Self {
        let columns = planned.columns();
        Query {
            id,
            user,
            colour,
            planned,
            columns,
            batch_rows: batch_rows.max(1),
            progress: Mutex::new(Progress {
                phase: Phase::Prepared,
                rows_pulled: 0,
                total: None,
                execute_started: None,
                finished_at: None,
                planning_time: Duration::ZERO,
                physical: None,
                producer: None,
                last_used: Instant::now(),
            }),
            cursor: tokio::sync::Mutex::new(Cursor::default()),
            cancel: watch::Sender::new(false),
            withdrawn: AtomicBool::new(false),
            batch_calls: AtomicU64::new(0),
        }
    }

    /// Starts execution on the `exec` runtime and pulls the first chunk's worth of rows.
    pub async fn execute(&self, exec: &tokio::runtime::Handle) -> Result<(), QueryError> {
        {
            let mut p = self.progress.lock();
            if p.phase != Phase::Prepared {
                return Err(QueryError::AlreadyExecuted(self.id.clone()));
            }
            p.phase = Phase::Running;
            p.execute_started = Some(Instant::now());
            p.last_used = Instant::now();
        }
        let started = Instant::now();
        let physical = match self
            .planned
            .state
            .create_physical_plan(&self.planned.plan)
            .await
        {
            Ok(p) => p,
            Err(e) => return Err(self.fail(e.to_string())),
        };
        let exact_rows = exact_row_count(physical.as_ref());
        let (tx, rx) = mpsc::channel(PREFETCH_BATCHES);
        let task = exec.spawn(produce(physical.clone(), self.planned.state.task_ctx(), tx));
        {
            let mut p = self.progress.lock();
            p.planning_time = started.elapsed();
            p.physical = Some(physical);
            p.total = exact_rows;
            p.producer = Some(task.abort_handle());
        }
        if self.is_cancelled() {
            task.abort();
        }
        let mut cursor = self.cursor.lock().await;
        cursor.rx = Some(rx);
        self.fill(&mut cursor).await
    }

    /// The next encoded chunk, or `None` at the end of the result (and on every later call).
    pub async fn next_chunk(&self) -> Result<Option<Vec<u8>>, QueryError> {
        self.check_readable()?;
        let mut cursor = self.cursor.lock().await;
        self.fill(&mut cursor).await?;
        let Some(batch) = self.take(&mut cursor)? else {
            return Ok(None);
        };
        let chunk = batch_to_chunk(&batch)?;
        encode_chunk(&chunk)
            .map(Some)
            .map_err(|e| QueryError::Encode(e.to_string()))
    }

    /// Up to `max_chunks` encoded chunks, and whether the result is complete after them.
    pub async fn next_envelope(
        &self,
        max_chunks: usize,
    ) -> Result<(Vec<Vec<u8>>, bool), QueryError> {
        let mut out = Vec::new();
        while out.len() < max_chunks {
            match self.next_chunk().await? {
                Some(chunk) => out.push(chunk),
                None => return Ok((out, true)),
            }
        }
        let cursor = self.cursor.lock().await;
        Ok((out, cursor.rx.is_none() && cursor.buffered_rows == 0))
    }

    /// Stops the query: a pull in progress ends, the producer is aborted (dropping the
    /// DataFusion stream) and every later result call answers [`QueryError::Cancelled`].
    pub fn cancel(&self) {
        self.cancel.send_replace(true);
        if let Some(producer) = self.progress.lock().producer.take() {
            producer.abort();
        }
    }

    /// Whether the query was cancelled.
    pub fn is_cancelled(&self) -> bool {
        *self.cancel.borrow()
    }

    /// Stops the query because its colour was withdrawn: like [`Query::cancel`], but later
    /// result calls answer [`QueryError::Withdrawn`].
    pub fn withdraw(&self) {
        self.withdrawn.store(true, Ordering::Relaxed);
        self.cancel();
    }

    /// The error of a call on a stopped query.
    fn stopped(&self) -> QueryError {
        if self.withdrawn.load(Ordering::Relaxed) {
            QueryError::Withdrawn
        } else {
            QueryError::Cancelled
        }
    }

    /// Counts one batch call and returns how many there were, this one included.
    pub fn count_batch_call(&self) -> u64 {
        self.batch_calls.fetch_add(1, Ordering::Relaxed) + 1
    }

    /// The result metadata: the total row count when known, else the rows produced so far.
    pub fn metadata(&self) -> ResultMetadata {
        self.touch();
        ResultMetadata {
            row_count: i64::try_from(self.row_count()).unwrap_or(i64::MAX),
            columns: self.columns.clone(),
        }
    }

    /// Whether execution has finished (all rows produced), and the row count.
    pub fn status(&self) -> (bool, u64) {
        self.touch();
        let finished = self.progress.lock().phase == Phase::Finished;
        (finished, self.row_count())
    }

    /// The logical plan, plus the physical plan once executed.
    pub fn explain(&self) -> String {
        self.touch();
        let mut text = format!("== Logical plan ==\n{}", self.planned.display());
        if let Some(physical) = &self.progress.lock().physical {
            text.push_str(&format!(
                "\n== Physical plan ==\n{}",
                displayable(physical.as_ref()).indent(true)
            ));
        }
        text
    }

    /// The explain-analyze JSON (times in milliseconds) and the parsing time.
    pub fn explain_analyze(&self) -> (String, Duration) {
        self.touch();
        let p = self.progress.lock();
        let total = match (p.execute_started, p.finished_at) {
            (Some(s), Some(f)) => f.duration_since(s),
            (Some(s), None) => s.elapsed(),
            _ => Duration::ZERO,
        };
        let plan = p
            .physical
            .as_ref()
            .map(|ph| {
                DisplayableExecutionPlan::with_metrics(ph.as_ref())
                    .indent(true)
                    .to_string()
            })
            .unwrap_or_else(|| self.planned.display());
        let json = serde_json::json!({
            "total_query_time": millis(self.planned.parsing_time + p.planning_time + total),
            "executionQueueingTime": 0,
            "parsingTime": millis(self.planned.parsing_time),
            "planningTime": millis(p.planning_time),
            "executionTime": millis(total),
            "rowCount": p.total.unwrap_or(p.rows_pulled),
            "finished": p.phase == Phase::Finished,
            "plan": plan,
        });
        (json.to_string(), self.planned.parsing_time)
    }

    /// Time since the query was last used.
    pub fn idle_for(&self) -> Duration {
        self.progress.lock().last_used.elapsed()
    }

    fn touch(&self) {
        self.progress.lock().last_used = Instant::now();
    }

    fn row_count(&self) -> u64 {
        let p = self.progress.lock();
        p.total.unwrap_or(p.rows_pulled)
    }

    fn check_readable(&self) -> Result<(), QueryError> {
        if self.is_cancelled() {
            return Err(self.stopped());
        }
        let mut p = self.progress.lock();
        p.last_used = Instant::now();
        match &p.phase {
            Phase::Prepared => Err(QueryError::NotExecuted(self.id.clone())),
            Phase::Failed(msg) => Err(QueryError::Failed(msg.clone())),
            Phase::Running | Phase::Finished => Ok(()),
        }
    }

    fn fail(&self, message: String) -> QueryError {
        let mut p = self.progress.lock();
        p.phase = Phase::Failed(message.clone());
        p.finished_at = Some(Instant::now());
        QueryError::Failed(message)
    }

    /// Receives batches until one chunk's worth of rows is buffered or the result ends.
    async fn fill(&self, cursor: &mut Cursor) -> Result<(), QueryError> {
        let mut cancelled = self.cancel.subscribe();
        while cursor.buffered_rows < self.batch_rows {
            let Some(rx) = cursor.rx.as_mut() else {
                break;
            };
            let next = tokio::select! {
                biased;
                _ = cancelled.wait_for(|c| *c) => None,
                next = rx.recv() => Some(next),
            };
            match next {
                None => {
                    cursor.rx = None;
                    return Err(self.stopped());
                }
                Some(Some(Produced::Batch(batch))) => {
                    let n = batch.num_rows();
                    if n > 0 {
                        cursor.buffered_rows += n;
                        cursor.buffer.push_back(batch);
                        self.progress.lock().rows_pulled += n as u64;
                    }
                }
                Some(Some(Produced::End)) => {
                    cursor.rx = None;
                    let mut p = self.progress.lock();
                    p.phase = Phase::Finished;
                    p.finished_at = Some(Instant::now());
                    p.total = Some(p.rows_pulled);
                    p.producer = None;
                }
                Some(Some(Produced::Failed(message))) => {
                    cursor.rx = None;
                    cursor.buffer.clear();
                    cursor.buffered_rows = 0;
                    return Err(self.fail(message));
                }
                Some(None) => {
                    cursor.rx = None;
                    cursor.buffer.clear();
                    cursor.buffered_rows = 0;
                    return Err(self.fail(
                        "the execution task stopped before the end of the result".to_owned(),
                    ));
                }
            }
        }
        Ok(())
    }

    /// Removes up to one chunk's worth of buffered rows as a single batch.
    fn take(&self, cursor: &mut Cursor) -> Result<Option<RecordBatch>, QueryError> {
        let mut parts = Vec::new();
        let mut need = self.batch_rows;
        while need > 0 {
            let Some(front) = cursor.buffer.pop_front() else {
                break;
            };
            let n = front.num_rows();
            if n <= need {
                need -= n;
                parts.push(front);
            } else {
                parts.push(front.slice(0, need));
                cursor.buffer.push_front(front.slice(need, n - need));
                need = 0;
            }
        }
        let taken = self.batch_rows - need;
        cursor.buffered_rows = cursor.buffered_rows.saturating_sub(taken);
        match parts.len() {
            0 => Ok(None),
            1 => Ok(parts.pop()),
            _ => {
                let schema = parts
                    .first()
                    .map(|p| p.schema())
                    .ok_or_else(|| QueryError::Failed("no batch to concatenate".into()))?;
                concat_batches(&schema, &parts)
                    .map(Some)
                    .map_err(|e| QueryError::Failed(e.to_string()))
            }
        }
    }
}

impl Drop for Query {
    fn drop(&mut self) {
        if let Some(producer) = self.progress.get_mut().producer.take() {
            producer.abort();
        }
    }
}

/// Runs `plan` (on the execution runtime) and sends its batches until the end, an error, or
/// until the receiver is gone.
async fn produce(plan: Arc<dyn ExecutionPlan>, ctx: Arc<TaskContext>, tx: mpsc::Sender<Produced>) {
    let mut stream = match execute_stream(plan, ctx) {
        Ok(s) => s,
        Err(e) => {
            let _ = tx.send(Produced::Failed(e.to_string())).await;
            return;
        }
    };
    loop {
        let item = tokio::select! {
            _ = tx.closed() => return,
            item = stream.next() => item,
        };
        let (message, last) = match item {
            Some(Ok(batch)) => (Produced::Batch(batch), false),
            Some(Err(e)) => (Produced::Failed(e.to_string()), true),
            None => (Produced::End, true),
        };
        if tx.send(message).await.is_err() || last {
            return;
        }
    }
}

/// The plan's row count when its statistics know it exactly.
fn exact_row_count(plan: &dyn ExecutionPlan) -> Option<u64> {
    let stats = StatisticsContext::new()
        .compute(plan, &StatisticsArgs::new())
        .ok()?;
    match stats.num_rows {
        Precision::Exact(n) => u64::try_from(n).ok(),
        _ => None,
    }
}

fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}
