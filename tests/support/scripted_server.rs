//! An in-process, scriptable e6data server for client tests.
//!
//! It serves `QueryEngineService` and `ClusterService` on 127.0.0.1:0 and behaves like a tiny
//! engine by default (sessions, queries with a configurable result, browsing, a cluster that
//! can be suspended and resumed, blue/green colour gating with announcements). A script can
//! override the answer to any call: any response, any gRPC status, a delay, or a raw HTTP
//! status with no `grpc-status` (as a routing layer in front of the engine would send).
//! Every request is recorded in order with its headers and main body fields.
//!
//! Shared by several test binaries, each of which uses a different part of it.
#![allow(dead_code)]

use std::collections::{HashMap, HashSet, VecDeque};
use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use e6data_odbc::client::{Auth, ClientConfig};
use e6data_odbc::proto::cluster_service_server::{ClusterService, ClusterServiceServer};
use e6data_odbc::proto::query_engine_service_server::{
    QueryEngineService, QueryEngineServiceServer,
};
use e6data_odbc::proto::*;
use e6data_odbc::wire::{
    Chunk, Column, ColumnMeta, ColumnValues, ResultMetadata, VectorType, encode_chunk,
    encode_metadata,
};
use parking_lot::Mutex;
use tonic::codegen::{BoxFuture, Context, Poll, Service, http};
use tonic::server::NamedService;
use tonic::{Request, Response, Status};

/// The user name every test connects with.
pub const USER: &str = "tester@example.com";
/// The token every test connects with (asserted never to leak into errors).
pub const PASSWORD: &str = "s3cret-token";
/// The engine IP the server hands out in prepare responses.
pub const ENGINE_IP: &str = "10.1.2.3";

/// How the server signals a wrong colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reject {
    /// gRPC `UNKNOWN` with `status: 456` (the gateway form).
    Grpc,
    /// A raw HTTP/2 response with `:status 456` and no `grpc-status` (tonic maps it).
    RawHttp,
    /// `INVALID_ARGUMENT` with the reference mock's message.
    Mock,
}

/// One recorded request.
#[derive(Debug, Clone, Default)]
pub struct Recorded {
    /// RPC name; ClusterService calls are prefixed with `cluster.`.
    pub rpc: String,
    /// `strategy` header.
    pub strategy: Option<String>,
    /// `cluster-name` header.
    pub cluster: Option<String>,
    /// `plannerip` header.
    pub plannerip: Option<String>,
    /// `authorization` header.
    pub authorization: Option<String>,
    /// `sessionId` field, when the message has one.
    pub session_id: Option<String>,
    /// `queryId` field, when the message has one.
    pub query_id: Option<String>,
    /// `queryString` field, when the message has one.
    pub query: Option<String>,
    /// `engineIP` field, when the message has one.
    pub engine_ip: Option<String>,
    /// Set when the call was answered with a raw HTTP status.
    pub raw_http: Option<u16>,
}

/// What a script sees of a call (headers only: the script runs before the body is decoded).
#[derive(Debug, Clone)]
pub struct Call {
    /// RPC name (`cluster.` prefix for ClusterService).
    pub rpc: String,
    /// `strategy` header.
    pub strategy: Option<String>,
    /// `plannerip` header.
    pub plannerip: Option<String>,
    /// 1-based number of this call among calls of the same RPC.
    pub nth: usize,
}

/// A typed response for [`Action::Respond`].
#[derive(Debug, Clone)]
pub enum Reply {
    Authenticate(AuthenticateResponse),
    Prepare(PrepareStatementResponse),
    Execute(ExecuteStatementResponse),
    Metadata(GetResultMetadataResponse),
    Batch(GetNextResultBatchResponse),
    ClearOrCancel(ClearOrCancelQueryResponse),
    Cancel(CancelQueryResponse),
    Status(StatusResponse),
    Explain(ExplainResponse),
    ExplainAnalyze(ExplainAnalyzeResponse),
    Catalogs(GetCatalogesResponse),
    Schemas(GetSchemaNamesResponse),
    Tables(GetTablesResponse),
    Columns(GetColumnsResponse),
    DryRun(DryRunResponse),
    ClusterStatus(ClusterStatusResponse),
    Resume(ResumeResponse),
}

/// What the server does with a call.
#[derive(Debug, Clone)]
pub enum Action {
    /// The built-in engine behaviour (including colour gating and suspension).
    Default,
    /// Answer this status.
    Fail(Status),
    /// Answer a raw HTTP status with no grpc-status.
    Http(u16),
    /// Answer this response.
    Respond(Reply),
    /// Sleep, then the built-in behaviour.
    Delay(Duration),
}

type Script = Arc<dyn Fn(&Call, &mut Engine) -> Action + Send + Sync>;

/// Cluster state of the built-in behaviour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClusterState {
    /// Serving.
    Active,
    /// Suspended: authenticate answers UNAVAILABLE `status: 503, cluster is suspended`.
    Suspended,
    /// Resuming: becomes active after this many more status polls.
    Resuming(u32),
}

struct QueryState {
    batches: VecDeque<Vec<u8>>,
    rows: i64,
    /// The `strategy` header of its prepare.
    colour: Option<String>,
}

/// A switch in progress (see [`ScriptedServer::switch_with_drain`]).
struct Drain {
    from: String,
    to: String,
    deadline: Instant,
}

/// How a drained switch ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DrainEnd {
    /// The last query prepared on the old colour was cleared or cancelled.
    LastQueryClosed,
    /// The drain deadline passed with queries still open on the old colour.
    Deadline,
}

/// The built-in engine: its public fields are the controls a script may change.
pub struct Engine {
    /// Colours served; a request with another `strategy` header gets a 456.
    pub accepted: HashSet<String>,
    /// How a wrong colour is answered.
    pub reject: Reject,
    /// `new_strategy` put in every response that has the field.
    pub announce: Option<String>,
    /// Authenticate answers an empty session id.
    pub empty_session: bool,
    /// Cluster state.
    pub cluster: ClusterState,
    /// Status polls after a resume until active.
    pub resume_polls: u32,
    /// How the last drained switch ended (None while one runs or before the first).
    pub drain_end: Option<DrainEnd>,
    drain: Option<Drain>,
    next_session: u64,
    next_query: u64,
    queries: HashMap<String, QueryState>,
    metadata: Vec<u8>,
    batches: Vec<Vec<u8>>,
    rows: i64,
}

struct Shared {
    engine: Mutex<Engine>,
    log: Mutex<Vec<Recorded>>,
    script: Mutex<Script>,
    actions: Mutex<HashMap<usize, Action>>,
}

/// Index of a call's log entry, carried from the HTTP layer to the service.
#[derive(Debug, Clone, Copy)]
struct CallIndex(usize);

/// The running server. Stops when dropped.
pub struct ScriptedServer {
    addr: SocketAddr,
    shared: Arc<Shared>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
}

/// A LONG column `n` with `rows` rows starting at `first`.
pub fn long_chunk(first: i64, rows: usize) -> Vec<u8> {
    let values: Vec<i64> = (0..rows as i64).map(|i| first + i).collect();
    let chunk = Chunk {
        rows,
        columns: vec![Column {
            vector_type: VectorType::Long,
            constant: false,
            nulls: vec![false; rows],
            values: ColumnValues::Int64(values),
        }],
    };
    encode_chunk(&chunk).expect("encodes")
}

fn long_metadata(rows: i64) -> Vec<u8> {
    encode_metadata(&ResultMetadata {
        row_count: rows,
        columns: vec![ColumnMeta {
            name: "n".into(),
            type_name: "LONG".into(),
            zone: String::new(),
            format: String::new(),
        }],
    })
    .expect("encodes")
}

impl ScriptedServer {
    /// Starts a server accepting only `blue`, answering 2 batches of 3 rows per query.
    pub async fn start() -> ScriptedServer {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("addr");
        let shared = Arc::new(Shared {
            engine: Mutex::new(Engine {
                accepted: ["blue".to_owned()].into_iter().collect(),
                reject: Reject::Grpc,
                announce: None,
                empty_session: false,
                cluster: ClusterState::Active,
                resume_polls: 2,
                drain_end: None,
                drain: None,
                next_session: 0,
                next_query: 0,
                queries: HashMap::new(),
                metadata: long_metadata(6),
                batches: vec![long_chunk(1, 3), long_chunk(4, 3)],
                rows: 6,
            }),
            log: Mutex::new(Vec::new()),
            script: Mutex::new(Arc::new(|_: &Call, _: &mut Engine| Action::Default)),
            actions: Mutex::new(HashMap::new()),
        });
        let engine = Layer {
            inner: QueryEngineServiceServer::new(EngineSvc(Arc::clone(&shared))),
            shared: Arc::clone(&shared),
            prefix: "",
        };
        let cluster = Layer {
            inner: ClusterServiceServer::new(ClusterSvc(Arc::clone(&shared))),
            shared: Arc::clone(&shared),
            prefix: "cluster.",
        };
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let incoming = tokio_stream::wrappers::TcpListenerStream::new(listener);
        tokio::spawn(async move {
            let _ = tonic::transport::Server::builder()
                .add_service(engine)
                .add_service(cluster)
                .serve_with_incoming_shutdown(incoming, async {
                    let _ = stopped.await;
                })
                .await;
        });
        ScriptedServer {
            addr,
            shared,
            stop: Some(stop),
        }
    }

    /// The listening port.
    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    /// A password-mode config for this server with a fast resume poll.
    pub fn config(&self) -> ClientConfig {
        let mut c = ClientConfig::new(
            "127.0.0.1",
            self.port(),
            Auth::Password {
                user: USER.into(),
                password: PASSWORD.into(),
            },
        );
        c.resume_poll_interval = Duration::from_millis(20);
        c.auto_resume_timeout = Duration::from_secs(5);
        c.connect_timeout = Some(Duration::from_secs(5));
        c
    }

    /// Colours the server accepts (others get a 456 in the configured form).
    pub fn accept(&self, colours: &[&str]) {
        self.shared.engine.lock().accepted = colours.iter().map(|c| (*c).to_owned()).collect();
    }

    /// How a wrong colour is answered.
    pub fn reject_with(&self, form: Reject) {
        self.shared.engine.lock().reject = form;
    }

    /// Puts `new_strategy = colour` in every response that has the field (None stops it).
    pub fn announce(&self, colour: Option<&str>) {
        self.shared.engine.lock().announce = colour.map(str::to_owned);
    }

    /// Makes authenticate answer an empty session id.
    pub fn empty_session(&self, on: bool) {
        self.shared.engine.lock().empty_session = on;
    }

    /// Sets the cluster state; `resume_polls` status polls after a resume it becomes active.
    pub fn cluster(&self, state: ClusterState, resume_polls: u32) {
        let mut e = self.shared.engine.lock();
        e.cluster = state;
        e.resume_polls = resume_polls;
    }

    /// The current cluster state.
    pub fn cluster_state(&self) -> ClusterState {
        self.shared.engine.lock().cluster
    }

    /// Result of later queries: `batches` batches of `rows` LONG rows each.
    pub fn result(&self, batches: usize, rows: usize) {
        let mut e = self.shared.engine.lock();
        e.batches = (0..batches)
            .map(|b| long_chunk((b * rows) as i64 + 1, rows))
            .collect();
        e.rows = (batches * rows) as i64;
        e.metadata = long_metadata(e.rows);
    }

    /// Installs a script (replacing the previous one). It runs under the engine lock and may
    /// change the engine's controls (accepted colours, announcement, cluster state).
    pub fn script(&self, f: impl Fn(&Call, &mut Engine) -> Action + Send + Sync + 'static) {
        *self.shared.script.lock() = Arc::new(f);
    }

    /// Every request so far, in arrival order.
    pub fn log(&self) -> Vec<Recorded> {
        self.shared.log.lock().clone()
    }

    /// Requests of one RPC so far.
    pub fn calls(&self, rpc: &str) -> Vec<Recorded> {
        self.log().into_iter().filter(|r| r.rpc == rpc).collect()
    }

    /// The `strategy` header of each call of `rpc` ("-" when absent), in order.
    pub fn strategies(&self, rpc: &str) -> Vec<String> {
        self.calls(rpc)
            .into_iter()
            .map(|r| r.strategy.unwrap_or_else(|| "-".to_owned()))
            .collect()
    }

    /// `rpc strategy` of every call, in order (e.g. `"authenticate blue"`).
    pub fn trace(&self) -> Vec<String> {
        self.log()
            .into_iter()
            .map(|r| format!("{} {}", r.rpc, r.strategy.unwrap_or_else(|| "-".to_owned())))
            .collect()
    }

    /// Forgets the recorded requests.
    pub fn clear_log(&self) {
        self.shared.log.lock().clear();
    }

    /// Waits (up to 5 s) until at least `n` calls of `rpc` were recorded.
    pub async fn wait_for(&self, rpc: &str, n: usize) {
        for _ in 0..1000 {
            if self.calls(rpc).len() >= n {
                return;
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        panic!("timed out waiting for {n} x {rpc}; log: {:#?}", self.log());
    }

    /// Number of queries the server still holds (not cleared or cancelled).
    pub fn open_queries(&self) -> usize {
        self.shared.engine.lock().queries.len()
    }

    /// Starts a switch from `from` to `to` as a drained redeployment does: both colours are
    /// served and `to` is announced in every response until no query prepared on `from` is
    /// open any more, or at the latest until `max_drain` has passed; then `from` gets a 456
    /// and the announcement stops (see [`ScriptedServer::drain_end`]).
    pub fn switch_with_drain(&self, from: &str, to: &str, max_drain: Duration) {
        let mut e = self.shared.engine.lock();
        e.accepted = [from.to_owned(), to.to_owned()].into_iter().collect();
        e.announce = Some(to.to_owned());
        e.drain_end = None;
        e.drain = Some(Drain {
            from: from.to_owned(),
            to: to.to_owned(),
            deadline: Instant::now() + max_drain,
        });
        e.end_drain_if_idle();
    }

    /// How the last drained switch ended, or None while it runs.
    pub fn drain_end(&self) -> Option<DrainEnd> {
        let mut e = self.shared.engine.lock();
        e.expire_drain();
        e.drain_end
    }
}

impl Engine {
    fn end_drain(&mut self, how: DrainEnd) {
        if let Some(d) = self.drain.take() {
            self.accepted = [d.to].into_iter().collect();
            self.announce = None;
            self.drain_end = Some(how);
        }
    }

    fn end_drain_if_idle(&mut self) {
        let idle = self.drain.as_ref().is_some_and(|d| {
            !self
                .queries
                .values()
                .any(|q| q.colour.as_deref() == Some(d.from.as_str()))
        });
        if idle {
            self.end_drain(DrainEnd::LastQueryClosed);
        }
    }

    fn expire_drain(&mut self) {
        if self
            .drain
            .as_ref()
            .is_some_and(|d| Instant::now() >= d.deadline)
        {
            self.end_drain(DrainEnd::Deadline);
        }
    }
}

impl Drop for ScriptedServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// The HTTP-level wrapper: records the call, runs the script, gates colours and suspension,
/// and answers raw HTTP statuses itself.
#[derive(Clone)]
struct Layer<S> {
    inner: S,
    shared: Arc<Shared>,
    prefix: &'static str,
}

impl<S: NamedService> NamedService for Layer<S> {
    const NAME: &'static str = S::NAME;
}

fn header(req: &http::Request<tonic::body::Body>, name: &str) -> Option<String> {
    req.headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

impl<S> Service<http::Request<tonic::body::Body>> for Layer<S>
where
    S: Service<
            http::Request<tonic::body::Body>,
            Response = http::Response<tonic::body::Body>,
            Error = Infallible,
        > + Clone
        + Send
        + 'static,
    S::Future: Send + 'static,
{
    type Response = http::Response<tonic::body::Body>;
    type Error = Infallible;
    type Future = BoxFuture<Self::Response, Self::Error>;

    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, mut req: http::Request<tonic::body::Body>) -> Self::Future {
        let method = req
            .uri()
            .path()
            .rsplit('/')
            .next()
            .unwrap_or_default()
            .to_owned();
        let rpc = format!("{}{}", self.prefix, method);
        let record = Recorded {
            rpc: rpc.clone(),
            strategy: header(&req, "strategy"),
            cluster: header(&req, "cluster-name"),
            plannerip: header(&req, "plannerip"),
            authorization: header(&req, "authorization"),
            ..Default::default()
        };
        let (index, nth) = {
            let mut log = self.shared.log.lock();
            let nth = log.iter().filter(|r| r.rpc == rpc).count() + 1;
            log.push(record.clone());
            (log.len() - 1, nth)
        };
        let call = Call {
            rpc: rpc.clone(),
            strategy: record.strategy.clone(),
            plannerip: record.plannerip.clone(),
            nth,
        };
        let script = Arc::clone(&*self.shared.script.lock());
        let action = {
            let mut engine = self.shared.engine.lock();
            engine.expire_drain();
            let action = script(&call, &mut engine);
            if matches!(action, Action::Default | Action::Delay(_)) {
                gate(&engine, &call).unwrap_or(action)
            } else {
                action
            }
        };
        if let Action::Http(code) = action {
            if let Some(r) = self.shared.log.lock().get_mut(index) {
                r.raw_http = Some(code);
            }
            let response = http::Response::builder()
                .status(code)
                .header("content-type", "text/plain")
                .body(tonic::body::Body::default())
                .expect("response");
            return Box::pin(async move { Ok(response) });
        }
        self.shared.actions.lock().insert(index, action);
        req.extensions_mut().insert(CallIndex(index));
        let mut inner = self.inner.clone();
        Box::pin(async move { inner.call(req).await })
    }
}

/// The built-in gates: a wrong colour gets a 456, a suspended cluster a 503 on authenticate.
fn gate(e: &Engine, call: &Call) -> Option<Action> {
    if let Some(colour) = &call.strategy
        && !e.accepted.contains(colour)
    {
        let expected = e.accepted.iter().next().cloned().unwrap_or_default();
        return Some(match e.reject {
            Reject::Grpc => Action::Fail(Status::unknown("status: 456")),
            Reject::RawHttp => Action::Http(456),
            Reject::Mock => Action::Fail(Status::invalid_argument(format!(
                "Wrong strategy. Status: 456. Expected: {expected}, Got: {colour}"
            ))),
        });
    }
    if e.cluster != ClusterState::Active && call.rpc == "authenticate" {
        return Some(Action::Fail(Status::unavailable(
            "status: 503, cluster is suspended",
        )));
    }
    None
}

/// Fields of a request body worth recording.
trait BodyFields {
    fn fields(
        &self,
    ) -> (
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
    ) {
        (None, None, None, None)
    }
}

impl BodyFields for AuthenticateRequest {}
impl BodyFields for GetCatalogesRequest {}
impl BodyFields for ClusterStatusRequest {}
impl BodyFields for ResumeRequest {}
impl BodyFields for PrepareStatementRequest {
    fn fields(
        &self,
    ) -> (
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
    ) {
        (
            Some(self.session_id.clone()),
            None,
            Some(self.query_string.clone()),
            None,
        )
    }
}
impl BodyFields for PrepareStatementV2Request {
    fn fields(
        &self,
    ) -> (
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
    ) {
        (
            Some(self.session_id.clone()),
            None,
            Some(self.query_string.clone()),
            None,
        )
    }
}
impl BodyFields for GetSchemaNamesV2Request {
    fn fields(
        &self,
    ) -> (
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
    ) {
        (Some(self.session_id.clone()), None, None, None)
    }
}
impl BodyFields for GetTablesV2Request {
    fn fields(
        &self,
    ) -> (
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
    ) {
        (Some(self.session_id.clone()), None, None, None)
    }
}
impl BodyFields for GetColumnsV2Request {
    fn fields(
        &self,
    ) -> (
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
    ) {
        (Some(self.session_id.clone()), None, None, None)
    }
}
impl BodyFields for DryRunRequest {
    fn fields(
        &self,
    ) -> (
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
    ) {
        (
            Some(self.session_id.clone()),
            None,
            Some(self.query_string.clone()),
            None,
        )
    }
}
impl BodyFields for DryRunRequestV2 {
    fn fields(
        &self,
    ) -> (
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
    ) {
        (
            Some(self.session_id.clone()),
            None,
            Some(self.query_string.clone()),
            None,
        )
    }
}

macro_rules! per_query_body {
    ($($t:ty),*) => {$(
        impl BodyFields for $t {
            fn fields(&self) -> (Option<String>, Option<String>, Option<String>, Option<String>) {
                (
                    Some(self.session_id.clone()),
                    Some(self.query_id.clone()),
                    None,
                    Some(self.engine_ip.clone()),
                )
            }
        }
    )*};
}

per_query_body!(
    ExecuteStatementRequest,
    ExecuteStatementV2Request,
    GetResultMetadataRequest,
    GetNextResultBatchRequest,
    ClearOrCancelQueryRequest,
    CancelQueryRequest,
    StatusRequest,
    ExplainRequest,
    ExplainAnalyzeRequest
);

impl Shared {
    /// Records the body, then runs the action chosen by the layer. `Ok(Some(reply))` means a
    /// scripted reply; `Ok(None)` means the built-in behaviour.
    async fn begin<T: BodyFields>(&self, req: &Request<T>) -> Result<Option<Reply>, Status> {
        let Some(CallIndex(index)) = req.extensions().get::<CallIndex>().copied() else {
            return Err(Status::internal("scripted server: call index missing"));
        };
        let (session_id, query_id, query, engine_ip) = req.get_ref().fields();
        if let Some(r) = self.log.lock().get_mut(index) {
            r.session_id = session_id;
            r.query_id = query_id;
            r.query = query;
            r.engine_ip = engine_ip;
        }
        let action = self
            .actions
            .lock()
            .remove(&index)
            .unwrap_or(Action::Default);
        match action {
            Action::Default => Ok(None),
            Action::Delay(d) => {
                tokio::time::sleep(d).await;
                Ok(None)
            }
            Action::Fail(status) => Err(status),
            Action::Respond(reply) => Ok(Some(reply)),
            Action::Http(_) => Err(Status::internal("scripted server: raw HTTP not handled")),
        }
    }

    fn announce(&self) -> Option<String> {
        self.engine.lock().announce.clone()
    }
}

fn mismatch() -> Status {
    Status::internal("scripted server: the script's reply does not fit this RPC")
}

macro_rules! scripted {
    ($self:ident, $req:ident, $variant:ident) => {
        match $self.0.begin(&$req).await? {
            Some(Reply::$variant(r)) => return Ok(Response::new(r)),
            Some(_) => return Err(mismatch()),
            None => {}
        }
    };
}

/// The `strategy` header of a request.
fn strategy_of<T>(req: &Request<T>) -> Option<String> {
    req.metadata()
        .get("strategy")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

struct EngineSvc(Arc<Shared>);
struct ClusterSvc(Arc<Shared>);

#[tonic::async_trait]
impl QueryEngineService for EngineSvc {
    async fn authenticate(
        &self,
        req: Request<AuthenticateRequest>,
    ) -> Result<Response<AuthenticateResponse>, Status> {
        scripted!(self, req, Authenticate);
        let body = req.get_ref();
        if body.user != USER || body.password != PASSWORD {
            return Ok(Response::new(AuthenticateResponse::default()));
        }
        let mut e = self.0.engine.lock();
        let session_id = if e.empty_session {
            String::new()
        } else {
            e.next_session += 1;
            format!("sess-{}", e.next_session)
        };
        Ok(Response::new(AuthenticateResponse {
            session_id,
            new_strategy: e.announce.clone(),
            engine_ip: None,
        }))
    }

    async fn prepare_statement(
        &self,
        req: Request<PrepareStatementRequest>,
    ) -> Result<Response<PrepareStatementResponse>, Status> {
        scripted!(self, req, Prepare);
        Ok(Response::new(
            self.prepare(&req.get_ref().session_id, strategy_of(&req)),
        ))
    }

    async fn prepare_statement_v2(
        &self,
        req: Request<PrepareStatementV2Request>,
    ) -> Result<Response<PrepareStatementResponse>, Status> {
        scripted!(self, req, Prepare);
        Ok(Response::new(
            self.prepare(&req.get_ref().session_id, strategy_of(&req)),
        ))
    }

    async fn execute_statement(
        &self,
        req: Request<ExecuteStatementRequest>,
    ) -> Result<Response<ExecuteStatementResponse>, Status> {
        scripted!(self, req, Execute);
        self.known(&req.get_ref().query_id)?;
        Ok(Response::new(ExecuteStatementResponse {
            session_id: req.get_ref().session_id.clone(),
            new_strategy: self.0.announce(),
        }))
    }

    async fn execute_statement_v2(
        &self,
        req: Request<ExecuteStatementV2Request>,
    ) -> Result<Response<ExecuteStatementResponse>, Status> {
        scripted!(self, req, Execute);
        self.known(&req.get_ref().query_id)?;
        Ok(Response::new(ExecuteStatementResponse {
            session_id: req.get_ref().session_id.clone(),
            new_strategy: self.0.announce(),
        }))
    }

    async fn get_result_metadata(
        &self,
        req: Request<GetResultMetadataRequest>,
    ) -> Result<Response<GetResultMetadataResponse>, Status> {
        scripted!(self, req, Metadata);
        self.known(&req.get_ref().query_id)?;
        let e = self.0.engine.lock();
        Ok(Response::new(GetResultMetadataResponse {
            result_meta_data: e.metadata.clone(),
            session_id: req.get_ref().session_id.clone(),
            new_strategy: e.announce.clone(),
        }))
    }

    async fn get_next_result_batch(
        &self,
        req: Request<GetNextResultBatchRequest>,
    ) -> Result<Response<GetNextResultBatchResponse>, Status> {
        scripted!(self, req, Batch);
        let mut e = self.0.engine.lock();
        let announce = e.announce.clone();
        let Some(q) = e.queries.get_mut(&req.get_ref().query_id) else {
            return Err(Status::internal("unknown query"));
        };
        Ok(Response::new(GetNextResultBatchResponse {
            result_batch: q.batches.pop_front().unwrap_or_default(),
            session_id: req.get_ref().session_id.clone(),
            new_strategy: announce,
        }))
    }

    async fn clear_or_cancel_query(
        &self,
        req: Request<ClearOrCancelQueryRequest>,
    ) -> Result<Response<ClearOrCancelQueryResponse>, Status> {
        scripted!(self, req, ClearOrCancel);
        let mut e = self.0.engine.lock();
        e.queries.remove(&req.get_ref().query_id);
        e.end_drain_if_idle();
        Ok(Response::new(ClearOrCancelQueryResponse {
            session_id: req.get_ref().session_id.clone(),
            new_strategy: e.announce.clone(),
        }))
    }

    async fn cancel_query(
        &self,
        req: Request<CancelQueryRequest>,
    ) -> Result<Response<CancelQueryResponse>, Status> {
        scripted!(self, req, Cancel);
        let mut e = self.0.engine.lock();
        e.queries.remove(&req.get_ref().query_id);
        e.end_drain_if_idle();
        Ok(Response::new(CancelQueryResponse {
            session_id: req.get_ref().session_id.clone(),
            new_strategy: e.announce.clone(),
        }))
    }

    async fn status(
        &self,
        req: Request<StatusRequest>,
    ) -> Result<Response<StatusResponse>, Status> {
        scripted!(self, req, Status);
        let e = self.0.engine.lock();
        let rows = e
            .queries
            .get(&req.get_ref().query_id)
            .map(|q| q.rows)
            .unwrap_or_default();
        Ok(Response::new(StatusResponse {
            status: true,
            row_count: rows,
            session_id: req.get_ref().session_id.clone(),
            new_strategy: e.announce.clone(),
        }))
    }

    async fn explain(
        &self,
        req: Request<ExplainRequest>,
    ) -> Result<Response<ExplainResponse>, Status> {
        scripted!(self, req, Explain);
        Ok(Response::new(ExplainResponse {
            explain: format!("plan of {}", req.get_ref().query_id),
            session_id: req.get_ref().session_id.clone(),
            new_strategy: self.0.announce(),
        }))
    }

    async fn explain_analyze(
        &self,
        req: Request<ExplainAnalyzeRequest>,
    ) -> Result<Response<ExplainAnalyzeResponse>, Status> {
        scripted!(self, req, ExplainAnalyze);
        Ok(Response::new(ExplainAnalyzeResponse {
            explain_analyze: format!("{{\"query\":\"{}\"}}", req.get_ref().query_id),
            session_id: req.get_ref().session_id.clone(),
            new_strategy: self.0.announce(),
            ..Default::default()
        }))
    }

    async fn get_cataloges(
        &self,
        req: Request<GetCatalogesRequest>,
    ) -> Result<Response<GetCatalogesResponse>, Status> {
        scripted!(self, req, Catalogs);
        Ok(Response::new(GetCatalogesResponse {
            catalog_responses: vec![
                CatalogResponse {
                    name: "main".into(),
                    is_default: true,
                },
                CatalogResponse {
                    name: "other".into(),
                    is_default: false,
                },
            ],
        }))
    }

    async fn get_schema_names_v2(
        &self,
        req: Request<GetSchemaNamesV2Request>,
    ) -> Result<Response<GetSchemaNamesResponse>, Status> {
        scripted!(self, req, Schemas);
        self.session(&req.get_ref().session_id)?;
        Ok(Response::new(GetSchemaNamesResponse {
            schemas: vec!["demo".into(), format!("of-{}", req.get_ref().catalog)],
            session_id: req.get_ref().session_id.clone(),
            new_strategy: self.0.announce(),
        }))
    }

    async fn get_tables_v2(
        &self,
        req: Request<GetTablesV2Request>,
    ) -> Result<Response<GetTablesResponse>, Status> {
        scripted!(self, req, Tables);
        self.session(&req.get_ref().session_id)?;
        Ok(Response::new(GetTablesResponse {
            tables: vec![format!("{}_t1", req.get_ref().schema)],
            session_id: req.get_ref().session_id.clone(),
            new_strategy: self.0.announce(),
        }))
    }

    async fn get_columns_v2(
        &self,
        req: Request<GetColumnsV2Request>,
    ) -> Result<Response<GetColumnsResponse>, Status> {
        scripted!(self, req, Columns);
        self.session(&req.get_ref().session_id)?;
        Ok(Response::new(GetColumnsResponse {
            field_info: vec![
                GFieldInfo {
                    field_name: "id".into(),
                    field_type: "long".into(),
                },
                GFieldInfo {
                    field_name: "price".into(),
                    field_type: "decimal(7,2)".into(),
                },
            ],
            session_id: req.get_ref().session_id.clone(),
            new_strategy: self.0.announce(),
        }))
    }

    async fn dry_run(
        &self,
        req: Request<DryRunRequest>,
    ) -> Result<Response<DryRunResponse>, Status> {
        scripted!(self, req, DryRun);
        Ok(Response::new(DryRunResponse {
            dryrun_value: format!("v1:{}", req.get_ref().query_string),
        }))
    }

    async fn dry_run_v2(
        &self,
        req: Request<DryRunRequestV2>,
    ) -> Result<Response<DryRunResponse>, Status> {
        scripted!(self, req, DryRun);
        Ok(Response::new(DryRunResponse {
            dryrun_value: format!("v2:{}", req.get_ref().query_string),
        }))
    }
}

impl EngineSvc {
    fn session(&self, id: &str) -> Result<(), Status> {
        if id.starts_with("sess-") {
            Ok(())
        } else {
            Err(Status::internal("Access denied: no such session"))
        }
    }

    fn known(&self, query_id: &str) -> Result<(), Status> {
        if self.0.engine.lock().queries.contains_key(query_id) {
            Ok(())
        } else {
            Err(Status::internal("unknown query"))
        }
    }

    fn prepare(&self, session_id: &str, colour: Option<String>) -> PrepareStatementResponse {
        let mut e = self.0.engine.lock();
        e.next_query += 1;
        let query_id = format!("q-{}", e.next_query);
        let state = QueryState {
            batches: e.batches.iter().cloned().collect(),
            rows: e.rows,
            colour,
        };
        e.queries.insert(query_id.clone(), state);
        PrepareStatementResponse {
            engine_ip: ENGINE_IP.into(),
            query_id,
            session_id: session_id.to_owned(),
            new_strategy: e.announce.clone(),
        }
    }
}

#[tonic::async_trait]
impl ClusterService for ClusterSvc {
    async fn status(
        &self,
        req: Request<ClusterStatusRequest>,
    ) -> Result<Response<ClusterStatusResponse>, Status> {
        match self.0.begin(&req).await? {
            Some(Reply::ClusterStatus(r)) => return Ok(Response::new(r)),
            Some(_) => return Err(mismatch()),
            None => {}
        }
        let mut e = self.0.engine.lock();
        let status = match e.cluster {
            ClusterState::Active => "active",
            ClusterState::Suspended => "suspended",
            ClusterState::Resuming(0) | ClusterState::Resuming(1) => {
                e.cluster = ClusterState::Active;
                "active"
            }
            ClusterState::Resuming(n) => {
                e.cluster = ClusterState::Resuming(n - 1);
                "resuming"
            }
        };
        Ok(Response::new(ClusterStatusResponse {
            status: status.into(),
        }))
    }

    async fn resume(
        &self,
        req: Request<ResumeRequest>,
    ) -> Result<Response<ResumeResponse>, Status> {
        match self.0.begin(&req).await? {
            Some(Reply::Resume(r)) => return Ok(Response::new(r)),
            Some(_) => return Err(mismatch()),
            None => {}
        }
        let mut e = self.0.engine.lock();
        if e.cluster == ClusterState::Suspended {
            e.cluster = ClusterState::Resuming(e.resume_polls);
        }
        Ok(Response::new(ResumeResponse {
            status: "resuming".into(),
        }))
    }
}
