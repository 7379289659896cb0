//! Everything the engine shares between calls: configuration, users and sessions, open queries,
//! routing (colours), cluster power state, faults, request counters and the colour log.

use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use datafusion::execution::context::SessionContext;
use parking_lot::Mutex;

use crate::cluster::Cluster;
use crate::colour_log::ColourLog;
use crate::gateway::RejectMode;
use crate::query::Query;
use crate::routing::{Colour, Routing, SwitchError};
use crate::session::{Sessions, Users};

/// Queries idle for longer than this are dropped (the real planner's query lifetime).
pub const QUERY_IDLE_LIMIT: Duration = Duration::from_secs(900);
/// Cancelled and withdrawn query ids remembered for their answers.
const CANCELLED_MEMORY: usize = 10_000;

/// Fixed settings of a running engine.
#[derive(Debug, Clone)]
pub struct EngineConfig {
    /// Rows per result chunk.
    pub batch_rows: usize,
    /// How refusals look on the wire.
    pub reject_mode: RejectMode,
    /// How long a resume takes.
    pub resume_delay: Duration,
    /// The `engineIP` returned by prepare (the listener's address).
    pub engine_ip: String,
    /// Colour active at start.
    pub initial_colour: Colour,
    /// The runtime DataFusion executes on (separate from the server's).
    pub exec: tokio::runtime::Handle,
}

/// Injected faults.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Faults {
    /// Extra delay before every engine and cluster call, in milliseconds.
    pub latency_ms: Option<u64>,
    /// The (N+1)th and later batch calls of every query fail.
    pub drop_after_batches: Option<u64>,
}

/// What a query id refers to.
pub enum Lookup {
    /// An open query.
    Open(Arc<Query>),
    /// A query that was cancelled.
    Cancelled,
    /// A query dropped because its colour was withdrawn.
    Withdrawn,
    /// Never prepared, or already cleared.
    Unknown,
}

/// A bounded memory of query ids (the oldest are forgotten first).
#[derive(Default)]
struct Remembered {
    ids: HashSet<String>,
    order: VecDeque<String>,
}

impl Remembered {
    fn insert(&mut self, id: &str) {
        if self.ids.insert(id.to_owned()) {
            self.order.push_back(id.to_owned());
        }
        while self.order.len() > CANCELLED_MEMORY {
            if let Some(old) = self.order.pop_front() {
                self.ids.remove(&old);
            }
        }
    }
}

/// Open queries by id, plus the ids of cancelled and withdrawn ones.
#[derive(Default)]
pub struct Queries {
    open: Mutex<HashMap<String, Arc<Query>>>,
    cancelled: Mutex<Remembered>,
    withdrawn: Mutex<Remembered>,
}

impl Queries {
    /// Registers a prepared query.
    pub fn insert(&self, query: Arc<Query>) {
        self.open.lock().insert(query.id.clone(), query);
    }

    /// Finds a query.
    pub fn lookup(&self, id: &str) -> Lookup {
        if let Some(q) = self.open.lock().get(id) {
            return Lookup::Open(q.clone());
        }
        if self.cancelled.lock().ids.contains(id) {
            Lookup::Cancelled
        } else if self.withdrawn.lock().ids.contains(id) {
            Lookup::Withdrawn
        } else {
            Lookup::Unknown
        }
    }

    /// Removes a query (clear), stopping any work on it; forgets a cancelled id too.
    pub fn remove(&self, id: &str) -> Option<Arc<Query>> {
        self.cancelled.lock().ids.remove(id);
        self.withdrawn.lock().ids.remove(id);
        let q = self.open.lock().remove(id);
        if let Some(q) = &q {
            q.cancel();
        }
        q
    }

    /// Cancels a query: it is removed and later calls on its id answer "cancelled".
    pub fn cancel(&self, id: &str) -> Option<Arc<Query>> {
        let q = self.open.lock().remove(id)?;
        q.cancel();
        self.cancelled.lock().insert(id);
        Some(q)
    }

    /// Number of open queries.
    pub fn count(&self) -> usize {
        self.open.lock().len()
    }

    /// Number of open queries prepared under `colour`.
    pub fn count_on(&self, colour: Colour) -> usize {
        self.open
            .lock()
            .values()
            .filter(|q| q.colour == colour)
            .count()
    }

    /// Drops every query prepared under `colour` (its deployment is gone); returns how many.
    /// Calls already past the gateway on those queries, and later calls on their ids, answer
    /// like a withdrawn colour (456), not like a cancel the client never asked for.
    pub fn drop_colour(&self, colour: Colour) -> usize {
        let mut open = self.open.lock();
        let mut withdrawn = self.withdrawn.lock();
        let before = open.len();
        open.retain(|id, q| {
            let keep = q.colour != colour;
            if !keep {
                q.withdraw();
                withdrawn.insert(id);
            }
            keep
        });
        before - open.len()
    }

    /// Drops queries idle for longer than `limit`; returns them.
    pub fn sweep(&self, limit: Duration) -> Vec<Arc<Query>> {
        let mut open = self.open.lock();
        let stale: Vec<String> = open
            .iter()
            .filter(|(_, q)| q.idle_for() > limit)
            .map(|(id, _)| id.clone())
            .collect();
        stale
            .iter()
            .filter_map(|id| open.remove(id))
            .inspect(|q| q.cancel())
            .collect()
    }
}

/// The shared engine state.
pub struct EngineState {
    /// Fixed settings.
    pub config: EngineConfig,
    /// Known users.
    pub users: Users,
    /// Sessions.
    pub sessions: Sessions,
    /// Open queries.
    pub queries: Queries,
    /// Per-query colour log.
    pub log: ColourLog,
    /// DataFusion, with catalog `local` loaded.
    pub ctx: SessionContext,
    routing: Mutex<Routing>,
    cluster: Mutex<Cluster>,
    faults: Mutex<Faults>,
    requests: [AtomicU64; 3],
    next_query: AtomicU64,
}

impl EngineState {
    /// A fresh state.
    pub fn new(
        config: EngineConfig,
        users: Users,
        session_ttl: Duration,
        ctx: SessionContext,
    ) -> Self {
        EngineState {
            routing: Mutex::new(Routing::new(config.initial_colour)),
            config,
            users,
            sessions: Sessions::new(session_ttl),
            queries: Queries::default(),
            log: ColourLog::default(),
            ctx,
            cluster: Mutex::new(Cluster::Active),
            faults: Mutex::new(Faults::default()),
            requests: [AtomicU64::new(0), AtomicU64::new(0), AtomicU64::new(0)],
            next_query: AtomicU64::new(1),
        }
    }

    /// A new query id.
    pub fn next_query_id(&self) -> String {
        let n = self.next_query.fetch_add(1, Ordering::Relaxed);
        format!("q{n:08}")
    }

    /// How refusals look on the wire.
    pub fn reject_mode(&self) -> RejectMode {
        self.config.reject_mode
    }

    /// Counts one engine/cluster request under its `strategy` header.
    pub fn count_request(&self, header: Option<&str>) {
        let slot = match header.and_then(Colour::parse) {
            Some(Colour::Blue) => 0,
            Some(Colour::Green) => 1,
            None => 2,
        };
        if let Some(counter) = self.requests.get(slot) {
            counter.fetch_add(1, Ordering::Relaxed);
        }
    }

    /// Whether the ingress routes a call with this `strategy` header (ends an expired drain).
    pub fn colour_accepted(&self, header: Option<&str>) -> bool {
        let mut routing = self.routing.lock();
        self.expire(&mut routing);
        routing.accepts(header)
    }

    /// Ends an expired drain.
    fn expire(&self, routing: &mut Routing) {
        let withdrawn = routing.expire(Instant::now());
        self.withdrawn(withdrawn, "drain expired");
    }

    /// Bookkeeping of a withdrawn colour: its deployment is gone, and so are its queries.
    fn withdrawn(&self, colour: Option<Colour>, why: &str) {
        if let Some(colour) = colour {
            let dropped = self.queries.drop_colour(colour);
            tracing::info!(
                withdrawn = colour.as_str(),
                dropped_queries = dropped,
                "{why}; old colour withdrawn"
            );
        }
    }

    /// The colour new work uses.
    pub fn active_colour(&self) -> Colour {
        self.routing.lock().active()
    }

    /// The `new_strategy` to put in responses, during a switch.
    pub fn announcement(&self) -> Option<String> {
        let mut routing = self.routing.lock();
        self.expire(&mut routing);
        routing.announcement().map(|c| c.as_str().to_owned())
    }

    /// Starts a switch (see [`Routing::switch`]).
    pub fn switch(&self, to: Colour, drain: Duration) -> Result<(), SwitchError> {
        let mut routing = self.routing.lock();
        let withdrawn = routing.switch(to, drain, Instant::now())?;
        tracing::info!(
            to = to.as_str(),
            drain_secs = drain.as_secs(),
            "colour switch started"
        );
        self.withdrawn(withdrawn, "switch without drain");
        Ok(())
    }

    /// Bookkeeping after a query was cleared or cancelled: ends a switch whose old colour has
    /// no open query any more.
    pub fn query_closed(&self, colour: Colour) {
        let mut routing = self.routing.lock();
        if routing.transition().is_some_and(|t| t.from == colour) {
            let open = self.queries.count_on(colour);
            let withdrawn = routing.finish_if_drained(open);
            self.withdrawn(withdrawn, "last query on the old colour closed");
        }
    }

    /// Whether engine calls are served (not suspended or resuming).
    pub fn cluster_serving(&self) -> bool {
        self.cluster.lock().serving(Instant::now())
    }

    /// The ClusterService status string.
    pub fn cluster_status(&self) -> &'static str {
        self.cluster.lock().status(Instant::now())
    }

    /// Suspends the cluster.
    pub fn suspend(&self) -> &'static str {
        let mut c = self.cluster.lock();
        c.suspend();
        tracing::info!("cluster suspended");
        c.status(Instant::now())
    }

    /// Resumes the cluster (it reports `resuming` for the configured delay).
    pub fn resume(&self) -> &'static str {
        let status = self
            .cluster
            .lock()
            .resume(Instant::now(), self.config.resume_delay);
        tracing::info!(status, "cluster resume requested");
        status
    }

    /// The latency fault, if set.
    pub fn latency_fault(&self) -> Option<Duration> {
        self.faults.lock().latency_ms.map(Duration::from_millis)
    }

    /// The current faults.
    pub fn faults(&self) -> Faults {
        *self.faults.lock()
    }

    /// Replaces the faults.
    pub fn set_faults(&self, faults: Faults) {
        *self.faults.lock() = faults;
        tracing::info!(?faults, "faults changed");
    }

    /// Drops expired sessions and idle queries, and ends an expired drain.
    pub fn sweep(&self) {
        let now = Instant::now();
        self.sessions.sweep(now);
        for q in self.queries.sweep(QUERY_IDLE_LIMIT) {
            tracing::info!(query_id = %q.id, "dropped a query idle for too long");
            self.query_closed(q.colour);
        }
        self.expire(&mut self.routing.lock());
    }

    /// The `ctl status` document.
    pub fn status_json(&self) -> serde_json::Value {
        let (active, accepted, pending) = {
            let mut routing = self.routing.lock();
            self.expire(&mut routing);
            let pending = routing.transition().map(|t| {
                serde_json::json!({
                    "from": t.from.as_str(),
                    "to": t.to.as_str(),
                    "drain_remaining_ms": u64::try_from(
                        t.deadline.saturating_duration_since(Instant::now()).as_millis()
                    ).unwrap_or(u64::MAX),
                })
            });
            let accepted: Vec<&str> = routing.accepted().iter().map(|c| c.as_str()).collect();
            (routing.active().as_str(), accepted, pending)
        };
        let count = |i: usize| {
            self.requests
                .get(i)
                .map_or(0, |c| c.load(Ordering::Relaxed))
        };
        serde_json::json!({
            "active_strategy": active,
            "accepted_strategies": accepted,
            "pending_switch": pending,
            "open_queries": self.queries.count(),
            "open_queries_by_colour": {
                "blue": self.queries.count_on(Colour::Blue),
                "green": self.queries.count_on(Colour::Green),
            },
            "sessions": self.sessions.count(),
            "cluster_status": self.cluster_status(),
            "requests_by_colour": {"blue": count(0), "green": count(1), "none": count(2)},
            "faults": self.faults(),
            "reject_mode": self.config.reject_mode,
            "batch_rows": self.config.batch_rows,
        })
    }
}
