//! End-to-end tests: spawn the built `e6data-local serve` on 127.0.0.1:0 and drive it with the
//! generated tonic clients and `e6data-local ctl`.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use e6data_odbc::proto::cluster_service_client::ClusterServiceClient;
use e6data_odbc::proto::query_engine_service_client::QueryEngineServiceClient;
use e6data_odbc::proto::{
    AuthenticateRequest, CancelQueryRequest, ClearOrCancelQueryRequest, ClusterStatusRequest,
    ExecuteStatementV2Request, ExplainAnalyzeRequest, GetCatalogesRequest, GetColumnsV2Request,
    GetNextResultBatchRequest, GetResultMetadataRequest, GetSchemaNamesV2Request,
    GetTablesV2Request, PrepareStatementV2Request, ResumeRequest, StatusRequest,
};
use e6data_odbc::wire::{Chunk, ResultMetadata, Value, decode_chunk, decode_metadata};
use tonic::transport::Channel;
use tonic::{Code, Request};

const BIN: &str = env!("CARGO_BIN_EXE_e6data-local");

/// A running engine, killed on drop.
struct Engine {
    child: Child,
    addr: String,
}

impl Engine {
    fn start(extra: &[&str]) -> Engine {
        let mut child = Command::new(BIN)
            .args(["serve", "--listen", "127.0.0.1:0", "--tpch-sf", "0.01"])
            .args(extra)
            .env("RUST_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("spawn e6data-local");
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(addr) = line.strip_prefix("listening on ") {
                    let _ = tx.send(addr.to_owned());
                }
            }
        });
        let addr = rx
            .recv_timeout(Duration::from_secs(180))
            .expect("engine did not print `listening on`");
        Engine { child, addr }
    }

    async fn client(&self) -> QueryEngineServiceClient<Channel> {
        QueryEngineServiceClient::connect(format!("http://{}", self.addr))
            .await
            .unwrap()
            .max_decoding_message_size(usize::MAX)
    }

    async fn cluster(&self) -> ClusterServiceClient<Channel> {
        ClusterServiceClient::connect(format!("http://{}", self.addr))
            .await
            .unwrap()
    }

    /// Runs `e6data-local ctl` and returns its JSON output.
    fn ctl(&self, args: &[&str]) -> serde_json::Value {
        let out = Command::new(BIN)
            .args(["ctl", "--target", &self.addr])
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "ctl {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap()
    }
}

impl Drop for Engine {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn req<T>(msg: T, colour: Option<&str>) -> Request<T> {
    let mut r = Request::new(msg);
    if let Some(c) = colour {
        r.metadata_mut().insert("strategy", c.parse().unwrap());
    }
    r
}

async fn login(c: &mut QueryEngineServiceClient<Channel>, colour: Option<&str>) -> String {
    let r = c
        .authenticate(req(
            AuthenticateRequest {
                user: "demo".into(),
                password: "demo".into(),
                ..Default::default()
            },
            colour,
        ))
        .await
        .unwrap()
        .into_inner();
    assert!(!r.session_id.is_empty());
    r.session_id
}

/// Prepares and executes `sql`; returns the query id.
async fn run(
    c: &mut QueryEngineServiceClient<Channel>,
    session: &str,
    sql: &str,
    colour: Option<&str>,
) -> Result<String, tonic::Status> {
    let p = c
        .prepare_statement_v2(req(
            PrepareStatementV2Request {
                session_id: session.into(),
                schema: "tpch".into(),
                catalog: "local".into(),
                query_string: sql.into(),
                ..Default::default()
            },
            colour,
        ))
        .await?
        .into_inner();
    assert!(!p.query_id.is_empty());
    assert!(!p.engine_ip.is_empty());
    assert_eq!(p.session_id, session);
    c.execute_statement_v2(req(
        ExecuteStatementV2Request {
            engine_ip: p.engine_ip.clone(),
            session_id: session.into(),
            query_id: p.query_id.clone(),
            ..Default::default()
        },
        colour,
    ))
    .await?;
    Ok(p.query_id)
}

fn batch_req(session: &str, query: &str) -> GetNextResultBatchRequest {
    GetNextResultBatchRequest {
        engine_ip: "127.0.0.1".into(),
        session_id: session.into(),
        query_id: query.into(),
    }
}

async fn metadata(
    c: &mut QueryEngineServiceClient<Channel>,
    session: &str,
    query: &str,
) -> ResultMetadata {
    let r = c
        .get_result_metadata(GetResultMetadataRequest {
            engine_ip: "127.0.0.1".into(),
            session_id: session.into(),
            query_id: query.into(),
        })
        .await
        .unwrap()
        .into_inner();
    decode_metadata(&r.result_meta_data).unwrap()
}

/// Fetches every chunk until the empty end marker, then checks the marker repeats.
async fn fetch_all(
    c: &mut QueryEngineServiceClient<Channel>,
    session: &str,
    query: &str,
) -> Vec<Chunk> {
    let mut chunks = Vec::new();
    loop {
        let r = c
            .get_next_result_batch(batch_req(session, query))
            .await
            .unwrap()
            .into_inner();
        if r.result_batch.is_empty() {
            break;
        }
        let chunk = decode_chunk(&r.result_batch).unwrap();
        assert!(chunk.rows > 0, "zero-row chunk mid-stream");
        chunks.push(chunk);
    }
    let again = c
        .get_next_result_batch(batch_req(session, query))
        .await
        .unwrap()
        .into_inner();
    assert!(again.result_batch.is_empty());
    chunks
}

async fn clear(
    c: &mut QueryEngineServiceClient<Channel>,
    session: &str,
    query: &str,
    colour: Option<&str>,
) {
    c.clear_or_cancel_query(req(
        ClearOrCancelQueryRequest {
            engine_ip: "127.0.0.1".into(),
            session_id: session.into(),
            query_id: query.into(),
            is_done: None,
        },
        colour,
    ))
    .await
    .unwrap();
}

fn text(v: Value<'_>) -> String {
    match v {
        Value::Text(b) => String::from_utf8(b.to_vec()).unwrap(),
        other => panic!("not text: {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tpch_count_and_every_type_decode() {
    let engine = Engine::start(&[]);
    let mut c = engine.client().await;
    let s = login(&mut c, Some("blue")).await;

    let q = run(
        &mut c,
        &s,
        "select count(*) as n from lineitem;",
        Some("blue"),
    )
    .await
    .unwrap();
    let meta = metadata(&mut c, &s, &q).await;
    assert_eq!(meta.row_count, 1);
    assert_eq!(meta.columns.len(), 1);
    assert_eq!(meta.columns[0].name, "n");
    assert_eq!(meta.columns[0].type_name, "LONG");
    let chunks = fetch_all(&mut c, &s, &q).await;
    assert_eq!(chunks.len(), 1);
    assert_eq!(chunks[0].columns[0].value(0), Value::I64(60175));
    clear(&mut c, &s, &q, Some("blue")).await;

    let q = run(&mut c, &s, "select * from demo.all_types order by id", None)
        .await
        .unwrap();
    let meta = metadata(&mut c, &s, &q).await;
    assert_eq!(meta.row_count, 5);
    let types: Vec<&str> = meta.columns.iter().map(|c| c.type_name.as_str()).collect();
    for expected in [
        "INTEGER",
        "BOOLEAN",
        "LONG",
        "FLOAT",
        "DOUBLE",
        "DECIMAL128",
        "STRING",
        "BINARY",
        "DATE",
        "DATETIME",
        "TIMESTAMP_TZ",
        "INTERVAL_DAY_SECOND",
        "ARRAY",
        "MAP",
        "STRUCT",
        "NULL",
    ] {
        assert!(
            types.contains(&expected),
            "{expected} missing from {types:?}"
        );
    }
    let chunks = fetch_all(&mut c, &s, &q).await;
    assert_eq!(chunks.len(), 1);
    let chunk = &chunks[0];
    chunk.check_columns(meta.columns.len()).unwrap();
    let col = |name: &str| {
        let i = meta.columns.iter().position(|c| c.name == name).unwrap();
        &chunk.columns[i]
    };
    let max = 10i128.pow(38) - 1;
    assert_eq!(col("int_col").value(1), Value::I32(i32::MIN));
    assert_eq!(col("long_col").value(2), Value::I64(i64::MAX));
    assert_eq!(col("bool_col").value(0), Value::Bool(true));
    assert_eq!(col("float_col").value(0), Value::F64(1.5));
    assert_eq!(
        col("dec_38_0").value(1),
        Value::Decimal {
            unscaled: max,
            scale: 0
        }
    );
    assert_eq!(
        col("dec_38_10").value(2),
        Value::Decimal {
            unscaled: -max,
            scale: 10
        }
    );
    assert_eq!(text(col("str_col").value(2)), "emoji 😀 and clef 𝄞");
    assert_eq!(text(col("str_col").value(1)), "");
    assert_eq!(text(col("long_str_col").value(0)).len(), 10_000);
    assert_eq!(
        col("bin_col").value(2),
        Value::Binary(&[0xff, 0x00, 0xfe, 0x80])
    );
    assert_eq!(col("date_col").value(1), Value::Date(-86_400_000_000));
    assert_eq!(
        col("date_col").value(2),
        Value::Date(-719_162 * 86_400_000_000)
    );
    assert_eq!(
        col("datetime_col").value(1),
        Value::Timestamp {
            micros: -1,
            zone: None
        }
    );
    assert_eq!(
        col("tstz_col").value(0),
        Value::Timestamp {
            micros: 0,
            zone: Some("+05:30")
        }
    );
    assert_eq!(col("interval_col").value(1), Value::IntervalMicros(-1));
    assert_eq!(text(col("array_col").value(0)), "[1, 2, 3]");
    assert_eq!(text(col("struct_col").value(0)), "{a: 1, b: x}");
    assert_eq!(text(col("time_col").value(0)), "12:34:56.123456");
    for (i, m) in meta.columns.iter().enumerate() {
        if m.name != "id" {
            assert_eq!(chunk.columns[i].value(4), Value::Null, "{} row 5", m.name);
        }
        assert_eq!(
            chunk.columns[i].value(0) == Value::Null,
            m.name == "null_col"
        );
    }
    clear(&mut c, &s, &q, None).await;
    let status = engine.ctl(&["status"]);
    assert_eq!(status["open_queries"], 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sessions_credentials_and_sql_errors() {
    let engine = Engine::start(&["--user", "alice:s3cret", "--session-ttl-secs", "600"]);
    let mut c = engine.client().await;
    let bad = c
        .authenticate(AuthenticateRequest {
            user: "alice".into(),
            password: "wrong".into(),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(bad.session_id, "");
    let s = c
        .authenticate(AuthenticateRequest {
            user: "alice".into(),
            password: "s3cret".into(),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner()
        .session_id;

    // e6data literals: backslash escapes, `//` comments, no trailing `;` needed.
    let q = run(&mut c, &s, r"select 'it\'s' as t // comment", None)
        .await
        .unwrap();
    let chunks = fetch_all(&mut c, &s, &q).await;
    assert_eq!(text(chunks[0].columns[0].value(0)), "it's");

    let err = run(&mut c, &s, "select * from no_such_table", None)
        .await
        .unwrap_err();
    assert_eq!(err.code(), Code::InvalidArgument);
    assert!(err.message().contains("no_such_table"), "{}", err.message());
    let err = run(&mut c, &s, "create table x as select 1", None)
        .await
        .unwrap_err();
    assert_eq!(err.code(), Code::InvalidArgument);

    let err = run(&mut c, "bogus", "select 1", None).await.unwrap_err();
    assert_eq!(err.code(), Code::Internal);
    assert!(err.message().contains("Access denied"));

    let expired = engine.ctl(&["expire-sessions"]);
    assert_eq!(expired["expired_sessions"], 1);
    let err = run(&mut c, &s, "select 1", None).await.unwrap_err();
    assert_eq!(err.code(), Code::Internal);
    assert!(err.message().contains("Access denied"));

    // Bearer tokens (OAuth mode) work without a session.
    let mut r = Request::new(PrepareStatementV2Request {
        query_string: "select 1".into(),
        ..Default::default()
    });
    r.metadata_mut()
        .insert("authorization", "Bearer s3cret".parse().unwrap());
    assert!(c.prepare_statement_v2(r).await.is_ok());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn streaming_rechunks_reports_status_and_cancels() {
    let engine = Engine::start(&["--batch-rows", "1000"]);
    let mut c = engine.client().await;
    let s = login(&mut c, None).await;

    let q = run(
        &mut c,
        &s,
        "select n from demo.numbers where n <= 2500",
        None,
    )
    .await
    .unwrap();
    let chunks = fetch_all(&mut c, &s, &q).await;
    let sizes: Vec<usize> = chunks.iter().map(|c| c.rows).collect();
    assert_eq!(sizes, vec![1000, 1000, 500]);
    let st = c
        .status(StatusRequest {
            engine_ip: String::new(),
            session_id: s.clone(),
            query_id: q.clone(),
        })
        .await
        .unwrap()
        .into_inner();
    assert!(st.status);
    assert_eq!(st.row_count, 2500);
    let ea = c
        .explain_analyze(ExplainAnalyzeRequest {
            engine_ip: String::new(),
            session_id: s.clone(),
            query_id: q.clone(),
        })
        .await
        .unwrap()
        .into_inner();
    let json: serde_json::Value = serde_json::from_str(&ea.explain_analyze).unwrap();
    for key in ["total_query_time", "executionQueueingTime", "parsingTime"] {
        assert!(json.get(key).is_some(), "{key} missing");
    }

    // A million-row stream is not materialised: few rows are produced before fetching.
    let q = run(&mut c, &s, "select n from demo.numbers", None)
        .await
        .unwrap();
    let meta = metadata(&mut c, &s, &q).await;
    assert!(meta.row_count <= 1_000_000);
    let first = c
        .get_next_result_batch(batch_req(&s, &q))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(decode_chunk(&first.result_batch).unwrap().rows, 1000);
    c.cancel_query(CancelQueryRequest {
        engine_ip: String::new(),
        session_id: s.clone(),
        query_id: q.clone(),
    })
    .await
    .unwrap();
    let err = c
        .get_next_result_batch(batch_req(&s, &q))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Code::Cancelled);
    assert_eq!(err.message(), "query was cancelled");
    // Clearing is idempotent, also for unknown ids.
    clear(&mut c, &s, &q, None).await;
    clear(&mut c, &s, &q, None).await;
    clear(&mut c, &s, "never-prepared", None).await;

    // V2 envelopes: at most 8 chunks, endOfStream on the last.
    let q = run(
        &mut c,
        &s,
        "select n from demo.numbers where n <= 20000",
        None,
    )
    .await
    .unwrap();
    let mut rows = 0;
    let mut envelopes = 0;
    loop {
        let r = c
            .get_next_result_batch_v2(batch_req(&s, &q))
            .await
            .unwrap()
            .into_inner();
        envelopes += 1;
        assert!(r.result_batches.len() <= 8);
        for b in &r.result_batches {
            rows += decode_chunk(b).unwrap().rows;
        }
        if r.end_of_stream {
            break;
        }
        assert!(envelopes < 10);
    }
    assert_eq!(rows, 20000);

    // Drop fault: the (N+1)th batch call fails.
    engine.ctl(&["fault", "drop-after-batches", "1"]);
    let q = run(&mut c, &s, "select n from demo.numbers", None)
        .await
        .unwrap();
    assert!(c.get_next_result_batch(batch_req(&s, &q)).await.is_ok());
    let err = c
        .get_next_result_batch(batch_req(&s, &q))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Code::Unavailable);
    assert_eq!(err.message(), "connection reset by fault injection");
    engine.ctl(&["fault", "clear"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn switch_with_drain_then_456() {
    let engine = Engine::start(&["--batch-rows", "1000"]);
    let mut c = engine.client().await;
    let s = login(&mut c, Some("blue")).await;
    let a = run(&mut c, &s, "select n from demo.numbers", Some("blue"))
        .await
        .unwrap();

    let st = engine.ctl(&["switch", "--to", "green", "--drain-secs", "60"]);
    assert_eq!(st["active_strategy"], "green");
    assert_eq!(
        st["accepted_strategies"],
        serde_json::json!(["green", "blue"])
    );

    // The old query keeps being served on blue and hears about green.
    let r = c
        .get_next_result_batch(req(batch_req(&s, &a), Some("blue")))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(r.new_strategy.as_deref(), Some("green"));
    assert_eq!(decode_chunk(&r.result_batch).unwrap().rows, 1000);
    // New work uses green.
    let s2 = login(&mut c, Some("green")).await;
    let b = run(&mut c, &s2, "select 1", Some("green")).await.unwrap();
    clear(&mut c, &s2, &b, Some("green")).await;
    // Closing the last blue query ends the drain: blue is now rejected with HTTP 456.
    clear(&mut c, &s, &a, Some("blue")).await;
    let st = engine.ctl(&["status"]);
    assert_eq!(st["accepted_strategies"], serde_json::json!(["green"]));
    assert_eq!(st["pending_switch"], serde_json::Value::Null);
    let err = c
        .authenticate(req(
            AuthenticateRequest {
                user: "demo".into(),
                password: "demo".into(),
                ..Default::default()
            },
            Some("blue"),
        ))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Code::Unknown);
    assert!(err.message().contains("456"), "{}", err.message());
    assert!(st["requests_by_colour"]["blue"].as_u64().unwrap() >= 4);

    let log = engine.ctl(&["log"]);
    let entry = |id: &str| {
        log.as_array()
            .unwrap()
            .iter()
            .find(|e| e["query_id"] == id)
            .unwrap()
            .clone()
    };
    let ea = entry(&a);
    assert_eq!(ea["prepared_colour"], "blue");
    assert!(
        ea["calls"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["colour"] == "blue")
    );
    assert_eq!(entry(&b)["prepared_colour"], "green");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn grpc_reject_mode_abrupt_switch_and_suspension() {
    let engine = Engine::start(&[
        "--reject-mode",
        "grpc",
        "--initial-colour",
        "green",
        "--resume-secs",
        "1",
    ]);
    let mut c = engine.client().await;
    let auth = |colour: &'static str| {
        req(
            AuthenticateRequest {
                user: "demo".into(),
                password: "demo".into(),
                ..Default::default()
            },
            Some(colour),
        )
    };
    let err = c.authenticate(auth("blue")).await.unwrap_err();
    assert_eq!(err.code(), Code::Unknown);
    assert_eq!(err.message(), "status: 456");
    let green = login(&mut c, Some("green")).await;
    run(&mut c, &green, "select n from demo.numbers", Some("green"))
        .await
        .unwrap();
    assert_eq!(engine.ctl(&["status"])["open_queries"], 1);

    // An abrupt switch withdraws green at once, and its open query goes with its deployment.
    let st = engine.ctl(&["switch", "--to", "blue", "--drain-secs", "0"]);
    assert_eq!(st["open_queries"], 0);
    assert_eq!(st["accepted_strategies"], serde_json::json!(["blue"]));
    assert_eq!(
        c.authenticate(auth("green")).await.unwrap_err().message(),
        "status: 456"
    );
    let s = login(&mut c, Some("blue")).await;

    engine.ctl(&["suspend"]);
    let err = c.authenticate(auth("blue")).await.unwrap_err();
    assert_eq!(err.code(), Code::Unavailable);
    assert_eq!(err.message(), "status: 503, cluster is suspended");
    let mut cluster = engine.cluster().await;
    let creds = || ClusterStatusRequest {
        user: "demo".into(),
        password: "demo".into(),
    };
    let status = |r| req(r, Some("blue"));
    assert_eq!(
        cluster
            .status(status(creds()))
            .await
            .unwrap()
            .into_inner()
            .status,
        "suspended"
    );
    let resumed = cluster
        .resume(req(
            ResumeRequest {
                user: "demo".into(),
                password: "demo".into(),
            },
            Some("blue"),
        ))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(resumed.status, "resuming");
    tokio::time::sleep(Duration::from_millis(1200)).await;
    assert_eq!(
        cluster
            .status(status(creds()))
            .await
            .unwrap()
            .into_inner()
            .status,
        "active"
    );
    assert!(run(&mut c, &s, "select 1", Some("blue")).await.is_ok());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn http_mode_suspension_is_a_bare_503() {
    let engine = Engine::start(&[]);
    let mut c = engine.client().await;
    engine.ctl(&["suspend"]);
    let err = c
        .authenticate(AuthenticateRequest::default())
        .await
        .unwrap_err();
    assert_eq!(err.code(), Code::Unavailable);
    assert!(err.message().contains("503"), "{}", err.message());
    let st = engine.ctl(&["resume"]);
    assert_eq!(st["cluster_status"], "resuming");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn catalog_browsing_and_data_dir() {
    let calcs =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/data/tdvt/Calcs.csv");
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("e6data-local-data");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("tdvt")).unwrap();
    let have_calcs = calcs.exists();
    if have_calcs {
        std::fs::copy(&calcs, dir.join("tdvt/Calcs.csv")).unwrap();
    } else {
        std::fs::write(dir.join("tdvt/Calcs.csv"), "key,num0\nkey00,1.5\nkey01,2\n").unwrap();
    }
    let engine = Engine::start(&["--data", dir.to_str().unwrap()]);
    let mut c = engine.client().await;
    let s = login(&mut c, None).await;

    let cats = c
        .get_cataloges(GetCatalogesRequest {})
        .await
        .unwrap()
        .into_inner()
        .catalog_responses;
    assert_eq!(cats.len(), 1);
    assert_eq!(cats[0].name, "local");
    assert!(cats[0].is_default);
    let schemas = c
        .get_schema_names_v2(GetSchemaNamesV2Request {
            session_id: s.clone(),
            catalog: String::new(),
        })
        .await
        .unwrap()
        .into_inner()
        .schemas;
    assert_eq!(schemas, vec!["demo", "tdvt", "tpch"]);
    let tables = c
        .get_tables_v2(GetTablesV2Request {
            session_id: s.clone(),
            schema: "tpch".into(),
            catalog: "local".into(),
        })
        .await
        .unwrap()
        .into_inner()
        .tables;
    assert_eq!(tables.len(), 8);
    assert!(tables.contains(&"lineitem".to_owned()));
    let cols = c
        .get_columns_v2(GetColumnsV2Request {
            session_id: s.clone(),
            schema: "demo".into(),
            table: "all_types".into(),
            catalog: "local".into(),
        })
        .await
        .unwrap()
        .into_inner()
        .field_info;
    let ty = |name: &str| {
        cols.iter()
            .find(|f| f.field_name == name)
            .map(|f| f.field_type.clone())
            .unwrap()
    };
    assert_eq!(ty("int_col"), "int");
    assert_eq!(ty("long_col"), "bigint");
    assert_eq!(ty("dec_38_10"), "decimal(38,10)");
    assert_eq!(ty("str_col"), "string");
    assert_eq!(ty("array_col"), "array<int>");
    assert_eq!(ty("datetime_col"), "timestamp");

    let tables = c
        .get_tables_v2(GetTablesV2Request {
            session_id: s.clone(),
            schema: "tdvt".into(),
            catalog: "local".into(),
        })
        .await
        .unwrap()
        .into_inner()
        .tables;
    assert_eq!(tables, vec!["Calcs"]);
    let expected = if have_calcs { 17 } else { 2 };
    for sql in [
        "select count(*) from tdvt.Calcs",
        "select count(*) from tdvt.calcs",
        "select count(*) from \"tdvt\".\"Calcs\"",
    ] {
        let q = run(&mut c, &s, sql, None).await.unwrap();
        let chunks = fetch_all(&mut c, &s, &q).await;
        assert_eq!(chunks[0].columns[0].value(0), Value::I64(expected), "{sql}");
    }
}
