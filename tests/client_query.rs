//! Query lifecycle against the scripted server: execute, metadata, batches with prefetch,
//! status/explain, close/cancel/drop, V1/V2 selection, browsing, dry run, describe, timeouts
//! and cancel tokens.

#[path = "support/scripted_server.rs"]
mod scripted_server;

use std::time::Duration;

use e6data_odbc::client::{
    Auth, CancelToken, ClientConfig, Colour, Connection, ErrorKind, ExecOptions,
};
use e6data_odbc::wire::ColumnValues;
use scripted_server::{Action, ENGINE_IP, ScriptedServer};

fn values(chunk: &e6data_odbc::wire::Chunk) -> Vec<i64> {
    match chunk.columns.first().map(|c| &c.values) {
        Some(ColumnValues::Int64(v)) => v.clone(),
        other => panic!("unexpected column {other:?}"),
    }
}

async fn read_all(q: &mut e6data_odbc::client::Query) -> Vec<i64> {
    let mut out = Vec::new();
    while let Some(chunk) = q.next_chunk().await.expect("chunk") {
        out.extend(values(&chunk));
    }
    out
}

#[tokio::test]
async fn execute_reads_every_batch_then_clears() {
    let server = ScriptedServer::start().await;
    server.result(3, 2);
    let conn = Connection::connect(server.config()).await.expect("connect");
    let mut q = conn
        .execute("  select n from t ;  ", &ExecOptions::default())
        .await
        .expect("execute");
    assert_eq!(q.colour(), Colour::Blue);
    assert_eq!(q.metadata().row_count, 6);
    assert_eq!(q.metadata().columns[0].name, "n");
    assert_eq!(read_all(&mut q).await, vec![1, 2, 3, 4, 5, 6]);
    // The end is sticky and costs no further RPC.
    assert!(q.next_chunk().await.expect("end").is_none());
    assert_eq!(server.calls("getNextResultBatch").len(), 4);
    assert_eq!(conn.strategy_snapshot().pinned_queries, 0);
    let id = q.id().to_owned();
    q.close().await.expect("close");
    let prepare = &server.calls("prepareStatement")[0];
    assert_eq!(prepare.query.as_deref(), Some("select n from t"));
    assert_eq!(prepare.plannerip, None);
    for rpc in [
        "executeStatement",
        "getResultMetadata",
        "getNextResultBatch",
        "clearOrCancelQuery",
    ] {
        for r in server.calls(rpc) {
            assert_eq!(r.query_id.as_deref(), Some(id.as_str()), "{rpc}");
            assert_eq!(r.plannerip.as_deref(), Some(ENGINE_IP), "{rpc}");
            assert_eq!(r.engine_ip.as_deref(), Some(ENGINE_IP), "{rpc}");
            assert_eq!(r.strategy.as_deref(), Some("blue"), "{rpc}");
            assert_eq!(r.session_id.as_deref(), Some("sess-1"), "{rpc}");
        }
    }
    assert_eq!(server.open_queries(), 0);
}

#[tokio::test]
async fn prefetch_holds_at_most_one_batch() {
    let server = ScriptedServer::start().await;
    server.result(10, 1);
    let conn = Connection::connect(server.config()).await.expect("connect");
    let mut q = conn
        .execute("select 1", &ExecOptions::default())
        .await
        .expect("execute");
    server.wait_for("getNextResultBatch", 1).await;
    tokio::time::sleep(Duration::from_millis(100)).await;
    // Nothing consumed: only the one prefetched batch was requested.
    assert_eq!(server.calls("getNextResultBatch").len(), 1);
    q.next_chunk().await.expect("chunk").expect("some");
    server.wait_for("getNextResultBatch", 2).await;
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(server.calls("getNextResultBatch").len(), 2);
    drop(q);
    // Dropping the query stops the reader and clears the query on the server.
    server.wait_for("clearOrCancelQuery", 1).await;
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert_eq!(server.calls("getNextResultBatch").len(), 2);
    assert_eq!(conn.strategy_snapshot().pinned_queries, 0);
}

#[tokio::test]
async fn catalog_selects_v2_calls_and_prepare_deadline() {
    let server = ScriptedServer::start().await;
    let mut config = server.config();
    config.catalog = Some("main".into());
    config.schema = Some("demo".into());
    let conn = Connection::connect(config).await.expect("connect");
    let mut q = conn
        .execute("select 1", &ExecOptions::default())
        .await
        .expect("execute");
    read_all(&mut q).await;
    q.close().await.expect("close");
    assert_eq!(server.calls("prepareStatementV2").len(), 1);
    assert_eq!(server.calls("executeStatementV2").len(), 1);
    assert!(server.calls("prepareStatement").is_empty());
    assert!(server.calls("executeStatement").is_empty());
    assert_eq!(
        conn.dry_run("select 2;").await.expect("dry run"),
        "v2:select 2"
    );

    // A V2 prepare that outlives prepare_timeout fails with Timeout.
    let mut config = server.config();
    config.catalog = Some("main".into());
    config.prepare_timeout = Duration::from_millis(100);
    let slow = Connection::connect(config).await.expect("connect");
    server.script(|call, _| {
        if call.rpc == "prepareStatementV2" {
            Action::Delay(Duration::from_secs(2))
        } else {
            Action::Default
        }
    });
    let err = slow
        .execute("select 1", &ExecOptions::default())
        .await
        .expect_err("timeout");
    assert_eq!(err.kind(), ErrorKind::Timeout);
}

#[tokio::test]
async fn empty_catalog_means_v1_and_dry_run_v1() {
    let server = ScriptedServer::start().await;
    let mut config = server.config();
    config.catalog = Some(String::new());
    let conn = Connection::connect(config).await.expect("connect");
    let q = conn
        .execute("select 1", &ExecOptions::default())
        .await
        .expect("execute");
    q.close().await.expect("close");
    assert_eq!(server.calls("prepareStatement").len(), 1);
    assert_eq!(
        conn.dry_run("select 3").await.expect("dry run"),
        "v1:select 3"
    );
}

#[tokio::test]
async fn browsing_calls() {
    let server = ScriptedServer::start().await;
    let conn = Connection::connect(server.config()).await.expect("connect");
    assert_eq!(
        conn.catalogs().await.expect("catalogs"),
        vec![("main".to_owned(), true), ("other".to_owned(), false)]
    );
    assert_eq!(
        conn.schemas("main").await.expect("schemas"),
        vec!["demo", "of-main"]
    );
    assert_eq!(
        conn.tables("main", "demo").await.expect("tables"),
        vec!["demo_t1"]
    );
    assert_eq!(
        conn.columns("main", "demo", "demo_t1")
            .await
            .expect("columns"),
        vec![
            ("id".to_owned(), "long".to_owned()),
            ("price".to_owned(), "decimal(7,2)".to_owned())
        ]
    );
    for r in server.log().iter().filter(|r| r.rpc != "authenticate") {
        assert_eq!(r.strategy.as_deref(), Some("blue"), "{}", r.rpc);
        assert_eq!(r.plannerip, None, "{}", r.rpc);
    }
    for rpc in ["getSchemaNamesV2", "getTablesV2", "getColumnsV2"] {
        assert_eq!(server.calls(rpc)[0].session_id.as_deref(), Some("sess-1"));
    }
}

#[tokio::test]
async fn describe_wraps_and_clears() {
    let server = ScriptedServer::start().await;
    let conn = Connection::connect(server.config()).await.expect("connect");
    let meta = conn
        .describe("select n from t;", &ExecOptions::default())
        .await
        .expect("describe");
    assert_eq!(meta.columns.len(), 1);
    assert_eq!(
        server.calls("prepareStatement")[0].query.as_deref(),
        Some("SELECT * FROM (select n from t) AS t LIMIT 0")
    );
    assert_eq!(server.calls("clearOrCancelQuery").len(), 1);
    assert!(server.calls("getNextResultBatch").is_empty());
    assert_eq!(conn.strategy_snapshot().pinned_queries, 0);
}

#[tokio::test]
async fn status_explain_and_metadata_reads() {
    let server = ScriptedServer::start().await;
    let conn = Connection::connect(server.config()).await.expect("connect");
    let q = conn
        .execute("select 1", &ExecOptions::default())
        .await
        .expect("execute");
    assert_eq!(q.status().await.expect("status"), (true, 6));
    assert_eq!(
        q.explain().await.expect("explain"),
        format!("plan of {}", q.id())
    );
    assert!(q.explain_analyze().await.expect("analyze").contains(q.id()));
    for _ in 0..5 {
        assert_eq!(q.metadata().row_count, 6);
    }
    assert_eq!(server.calls("getResultMetadata").len(), 1);
    for rpc in ["status", "explain", "explainAnalyze"] {
        let r = &server.calls(rpc)[0];
        assert_eq!(r.query_id.as_deref(), Some(q.id()));
        assert_eq!(r.plannerip.as_deref(), Some(ENGINE_IP));
    }
    q.close().await.expect("close");
}

#[tokio::test]
async fn query_timeout_cancels_on_the_server() {
    let server = ScriptedServer::start().await;
    let conn = Connection::connect(server.config()).await.expect("connect");
    server.script(|call, _| {
        if call.rpc == "executeStatement" {
            Action::Delay(Duration::from_secs(3))
        } else {
            Action::Default
        }
    });
    let opts = ExecOptions {
        timeout: Some(Duration::from_millis(150)),
        ..Default::default()
    };
    let started = std::time::Instant::now();
    let err = conn.execute("select 1", &opts).await.expect_err("timeout");
    assert_eq!(err.kind(), ErrorKind::Timeout);
    assert!(err.timed_out());
    assert!(started.elapsed() < Duration::from_secs(2));
    server.wait_for("cancelQuery", 1).await;
    let cancel = &server.calls("cancelQuery")[0];
    assert_eq!(cancel.strategy.as_deref(), Some("blue"));
    assert_eq!(cancel.plannerip.as_deref(), Some(ENGINE_IP));
    assert_eq!(conn.strategy_snapshot().pinned_queries, 0);

    // A slow batch: next_chunk times out, cancels, and reports Timeout.
    server.script(|call, _| {
        if call.rpc == "getNextResultBatch" {
            Action::Delay(Duration::from_secs(3))
        } else {
            Action::Default
        }
    });
    let mut q = conn.execute("select 2", &opts).await.expect("execute");
    let err = q.next_chunk().await.expect_err("timeout");
    assert_eq!(err.kind(), ErrorKind::Timeout);
    server.wait_for("cancelQuery", 2).await;
    assert_eq!(conn.strategy_snapshot().pinned_queries, 0);
    assert_eq!(
        q.next_chunk().await.expect_err("still failed").kind(),
        ErrorKind::Timeout
    );
}

#[tokio::test]
async fn cancel_token_from_another_thread() {
    let server = ScriptedServer::start().await;
    let conn = Connection::connect(server.config()).await.expect("connect");
    server.script(|call, _| {
        if call.rpc == "getNextResultBatch" {
            Action::Delay(Duration::from_secs(3))
        } else {
            Action::Default
        }
    });
    let token = CancelToken::new();
    let opts = ExecOptions {
        cancel: token.clone(),
        timeout: None,
    };
    let mut q = conn.execute("select 1", &opts).await.expect("execute");
    let canceller = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(100));
        token.cancel();
    });
    let err = q.next_chunk().await.expect_err("cancelled");
    canceller.join().expect("thread");
    assert_eq!(err.kind(), ErrorKind::Cancelled);
    let cancel = server.calls("cancelQuery");
    assert_eq!(cancel.len(), 1);
    assert_eq!(cancel[0].query_id.as_deref(), Some(q.id()));
    assert_eq!(conn.strategy_snapshot().pinned_queries, 0);

    // A token cancelled during execute aborts it.
    server.script(|call, _| {
        if call.rpc == "executeStatement" {
            Action::Delay(Duration::from_secs(3))
        } else {
            Action::Default
        }
    });
    let token = CancelToken::new();
    let opts = ExecOptions {
        cancel: token.clone(),
        timeout: None,
    };
    let t2 = token.clone();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(100)).await;
        t2.cancel();
    });
    let err = conn
        .execute("select 2", &opts)
        .await
        .expect_err("cancelled");
    assert_eq!(err.kind(), ErrorKind::Cancelled);
    assert_eq!(server.calls("cancelQuery").len(), 2);
    token.reset();
    assert!(!token.is_cancelled());
}

#[tokio::test]
async fn explicit_cancel_and_errors_on_execute() {
    let server = ScriptedServer::start().await;
    let conn = Connection::connect(server.config()).await.expect("connect");
    let mut q = conn
        .execute("select 1", &ExecOptions::default())
        .await
        .expect("execute");
    q.cancel().await.expect("cancel");
    assert_eq!(conn.strategy_snapshot().pinned_queries, 0);
    assert_eq!(
        q.next_chunk().await.expect_err("cancelled").kind(),
        ErrorKind::Cancelled
    );
    q.close().await.expect("close after cancel sends nothing");
    assert!(server.calls("clearOrCancelQuery").is_empty());

    // A syntax error at prepare is reported as Syntax, not retried.
    server.script(|call, _| {
        if call.rpc == "prepareStatement" {
            Action::Fail(tonic::Status::invalid_argument("syntax error at 'selec'"))
        } else {
            Action::Default
        }
    });
    let err = conn
        .execute("selec 1", &ExecOptions::default())
        .await
        .expect_err("syntax");
    assert_eq!(err.kind(), ErrorKind::Syntax);
    assert!(err.message().contains("selec"));
    assert_eq!(server.calls("prepareStatement").len(), 2);

    // A server error at execute: reported, query cleared in the background, unpinned.
    server.script(|call, _| {
        if call.rpc == "executeStatement" {
            Action::Fail(tonic::Status::internal("planner exploded"))
        } else {
            Action::Default
        }
    });
    let err = conn
        .execute("select 1", &ExecOptions::default())
        .await
        .expect_err("server");
    assert_eq!(err.kind(), ErrorKind::Server);
    server.wait_for("clearOrCancelQuery", 1).await;
    assert_eq!(conn.strategy_snapshot().pinned_queries, 0);
}

#[tokio::test]
async fn malformed_batch_is_a_protocol_error() {
    let server = ScriptedServer::start().await;
    let conn = Connection::connect(server.config()).await.expect("connect");
    server.script(|call, _| {
        if call.rpc == "getNextResultBatch" {
            Action::Respond(scripted_server::Reply::Batch(
                e6data_odbc::proto::GetNextResultBatchResponse {
                    result_batch: vec![0x0c, 0xff, 0xff],
                    ..Default::default()
                },
            ))
        } else {
            Action::Default
        }
    });
    let mut q = conn
        .execute("select 1", &ExecOptions::default())
        .await
        .expect("execute");
    assert_eq!(
        q.next_chunk().await.expect_err("malformed").kind(),
        ErrorKind::Protocol
    );
    assert_eq!(conn.strategy_snapshot().pinned_queries, 0);
}

#[tokio::test]
async fn token_mode_sends_bearer_and_no_authenticate() {
    let server = ScriptedServer::start().await;
    let mut config = ClientConfig::new(
        "127.0.0.1",
        server.port(),
        Auth::AccessToken("tok-123".into()),
    );
    config.connect_timeout = Some(Duration::from_secs(5));
    let conn = Connection::connect(config).await.expect("connect");
    let q = conn
        .execute("select 1", &ExecOptions::default())
        .await
        .expect("execute");
    q.close().await.expect("close");
    assert!(server.calls("authenticate").is_empty());
    for r in server.log() {
        assert_eq!(
            r.authorization.as_deref(),
            Some("Bearer tok-123"),
            "{}",
            r.rpc
        );
        assert_eq!(r.strategy.as_deref(), Some("blue"), "{}", r.rpc);
    }
    assert_eq!(
        server.calls("prepareStatement")[0].session_id.as_deref(),
        Some("")
    );
}

#[tokio::test]
async fn closed_connection_refuses_calls() {
    let server = ScriptedServer::start().await;
    let conn = Connection::connect(server.config()).await.expect("connect");
    let q = conn
        .execute("select 1", &ExecOptions::default())
        .await
        .expect("execute");
    assert_eq!(conn.strategy_snapshot().pinned_queries, 1);
    conn.close().await;
    assert_eq!(conn.strategy_snapshot().pinned_queries, 0);
    assert!(conn.schemas("main").await.is_err());
    drop(q);
    assert_eq!(conn.strategy_snapshot().pinned_queries, 0);
}

#[tokio::test]
async fn errors_never_contain_the_password() {
    let server = ScriptedServer::start().await;
    let mut config = server.config();
    config.auth = Auth::Password {
        user: "nobody".into(),
        password: "wrong-pass-77".into(),
    };
    let err = Connection::connect(config.clone())
        .await
        .expect_err("rejected");
    assert_eq!(err.kind(), ErrorKind::Auth);
    assert!(!err.message().contains("wrong-pass-77"));
    assert!(!format!("{err:?}").contains("wrong-pass-77"));
    assert!(!format!("{config:?}").contains("wrong-pass-77"));
}
