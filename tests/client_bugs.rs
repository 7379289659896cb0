//! One test per bug of spec §6.5 (where it applies to this client), each showing it absent.

#[path = "support/scripted_server.rs"]
mod scripted_server;

use std::time::Duration;

use e6data_odbc::client::{Connection, ErrorKind, ExecOptions, Query};
use scripted_server::{Action, ClusterState, ENGINE_IP, Reject, ScriptedServer};

async fn drain(q: &mut Query) {
    while q.next_chunk().await.expect("chunk").is_some() {}
}

/// #1: state is per target. Two servers on different colours do not disturb each other.
#[tokio::test]
async fn bug_6_5_1_state_is_per_target() {
    let blue = ScriptedServer::start().await;
    let green = ScriptedServer::start().await;
    green.accept(&["green"]);
    let cb = Connection::connect(blue.config()).await.expect("blue");
    let cg = Connection::connect(green.config()).await.expect("green");
    for _ in 0..3 {
        let mut q = cb
            .execute("select 1", &ExecOptions::default())
            .await
            .expect("b");
        drain(&mut q).await;
        q.close().await.expect("close");
        let mut q = cg
            .execute("select 1", &ExecOptions::default())
            .await
            .expect("g");
        drain(&mut q).await;
        q.close().await.expect("close");
    }
    assert!(
        blue.log()
            .iter()
            .all(|r| r.strategy.as_deref() == Some("blue"))
    );
    assert_eq!(green.strategies("authenticate"), vec!["blue", "green"]);
    assert!(
        green
            .log()
            .iter()
            .skip(1)
            .all(|r| r.strategy.as_deref() == Some("green"))
    );
    assert_eq!(cb.strategy_snapshot().active.as_deref(), Some("blue"));
    assert_eq!(cg.strategy_snapshot().active.as_deref(), Some("green"));
}

/// #2: auto-resume shares the connection's store: the resume uses the colour the target is
/// known to be on, and a colour learnt by the resume is the connection's colour.
#[tokio::test]
async fn bug_6_5_2_resume_uses_the_one_store() {
    let server = ScriptedServer::start().await;
    server.accept(&["green"]);
    let conn = Connection::connect(server.config()).await.expect("connect");
    // Suspend: the next authenticate (a second connection) gets a 503.
    server.cluster(ClusterState::Suspended, 1);
    server.clear_log();
    let c2 = Connection::connect(server.config()).await.expect("resumed");
    assert_eq!(
        server.trace(),
        vec![
            "authenticate green",
            "cluster.status green",
            "cluster.resume green",
            "cluster.status green",
            "authenticate green",
        ]
    );
    assert_eq!(conn.strategy_snapshot(), c2.strategy_snapshot());
}

/// #3: after a switch, EVERY connection of the target re-authenticates with the new colour
/// before its next non-query call (not only the first one that notices).
#[tokio::test]
async fn bug_6_5_3_every_connection_sees_the_switch() {
    let server = ScriptedServer::start().await;
    let conns = [
        Connection::connect(server.config()).await.expect("c1"),
        Connection::connect(server.config()).await.expect("c2"),
        Connection::connect(server.config()).await.expect("c3"),
    ];
    server.accept(&["blue", "green"]);
    server.announce(Some("green"));
    // An idle target applies the announcement at once.
    conns[0].schemas("main").await.expect("announces");
    server.announce(None);
    server.accept(&["green"]);
    server.clear_log();
    for c in &conns {
        c.schemas("main").await.expect("schemas");
    }
    let browse = server.calls("getSchemaNamesV2");
    assert!(
        browse
            .iter()
            .all(|r| r.strategy.as_deref() == Some("green"))
    );
    let sessions: Vec<_> = browse.iter().map(|r| r.session_id.clone()).collect();
    assert_eq!(
        sessions,
        vec![
            Some("sess-4".into()),
            Some("sess-5".into()),
            Some("sess-6".into())
        ]
    );
    assert_eq!(
        server.strategies("authenticate"),
        vec!["green", "green", "green"]
    );
}

/// #4: an authenticate that announces a colour does not switch the active colour while queries
/// are pinned (new work of the new connection goes to the announced colour), and on an idle
/// target it costs two authenticates, not three.
#[tokio::test]
async fn bug_6_5_4_announcing_authenticate_waits_for_pins() {
    let server = ScriptedServer::start().await;
    let c1 = Connection::connect(server.config()).await.expect("c1");
    let mut running = c1
        .execute("select 1", &ExecOptions::default())
        .await
        .expect("q");
    server.accept(&["blue", "green"]);
    server.announce(Some("green"));
    server.clear_log();
    let c2 = Connection::connect(server.config()).await.expect("c2");
    // The announcement moves new work to green at once: c2 authenticates again with it.
    assert_eq!(server.strategies("authenticate"), vec!["blue", "green"]);
    let snap = c2.strategy_snapshot();
    assert_eq!(
        (snap.active.as_deref(), snap.pending.as_deref()),
        (Some("blue"), Some("green"))
    );
    // c2's work goes to green while c1's query keeps running on blue.
    let q2 = c2
        .execute("select 2", &ExecOptions::default())
        .await
        .expect("q2");
    assert_eq!(q2.colour().as_str(), "green");
    assert_eq!(running.colour().as_str(), "blue");
    q2.close().await.expect("close q2");
    assert_eq!(c2.strategy_snapshot().active.as_deref(), Some("blue"));
    drain(&mut running).await;
    running.close().await.expect("close");
    assert_eq!(c2.strategy_snapshot().active.as_deref(), Some("green"));
    assert!(
        server
            .calls("clearOrCancelQuery")
            .iter()
            .any(|r| r.strategy.as_deref() == Some("blue"))
    );
    server.clear_log();
    c2.schemas("main").await.expect("schemas");
    assert_eq!(server.trace(), vec!["getSchemaNamesV2 green"]);
    c1.schemas("main").await.expect("schemas c1");
    assert_eq!(
        server.trace()[1..],
        ["authenticate green", "getSchemaNamesV2 green"]
    );

    // Idle target: exactly two authenticates (announcing one, then the new colour).
    let idle = ScriptedServer::start().await;
    idle.accept(&["blue", "green"]);
    idle.announce(Some("green"));
    let c = Connection::connect(idle.config()).await.expect("idle");
    c.tables("main", "demo").await.expect("tables");
    assert_eq!(idle.strategies("authenticate"), vec!["blue", "green"]);
}

/// #5: pins never leak: drop without close, failed execute, failed fetch, connection close,
/// re-execution; after all of that a pending colour is applied.
#[tokio::test]
async fn bug_6_5_5_pins_never_leak() {
    let server = ScriptedServer::start().await;
    let conn = Connection::connect(server.config()).await.expect("connect");
    let pinned = || conn.strategy_snapshot().pinned_queries;
    // Dropped without close.
    let q = conn
        .execute("select 1", &ExecOptions::default())
        .await
        .expect("q");
    assert_eq!(pinned(), 1);
    drop(q);
    assert_eq!(pinned(), 0);
    // Re-executing "on the same statement": the assignment drops the previous query.
    let mut q = conn
        .execute("select 1", &ExecOptions::default())
        .await
        .expect("q");
    let first = q.id().to_owned();
    q = conn
        .execute("select 2", &ExecOptions::default())
        .await
        .expect("q again");
    assert_ne!(q.id(), first);
    assert_eq!(pinned(), 1);
    // Failed fetch.
    server.script(|call, _| {
        if call.rpc == "getNextResultBatch" {
            Action::Fail(tonic::Status::internal("disk on fire"))
        } else {
            Action::Default
        }
    });
    assert_eq!(
        q.next_chunk().await.expect_err("fails").kind(),
        ErrorKind::Server
    );
    assert_eq!(pinned(), 0);
    // Failed execute.
    server.script(|call, _| {
        if call.rpc == "getResultMetadata" {
            Action::Fail(tonic::Status::internal("no metadata"))
        } else {
            Action::Default
        }
    });
    assert!(
        conn.execute("select 3", &ExecOptions::default())
            .await
            .is_err()
    );
    assert_eq!(pinned(), 0);
    server.script(|_, _| Action::Default);
    // Connection close releases what its queries still hold.
    let other = Connection::connect(server.config()).await.expect("other");
    let held = other
        .execute("select 4", &ExecOptions::default())
        .await
        .expect("held");
    server.accept(&["blue", "green"]);
    server.announce(Some("green"));
    conn.schemas("main").await.expect("announce");
    assert_eq!(conn.strategy_snapshot().pending.as_deref(), Some("green"));
    other.close().await;
    assert_eq!(pinned(), 0);
    assert_eq!(conn.strategy_snapshot().active.as_deref(), Some("green"));
    drop(held);
    drop(q);
}

/// #6: one 456 matcher for every form, on every non-query path (prepare shown here; the other
/// paths are in client_strategy/client_session).
#[tokio::test]
async fn bug_6_5_6_every_456_form_is_recognised() {
    for form in [Reject::Grpc, Reject::RawHttp, Reject::Mock] {
        let server = ScriptedServer::start().await;
        server.reject_with(form);
        let conn = Connection::connect(server.config()).await.expect("connect");
        server.accept(&["green"]);
        let q = conn
            .execute("select 1", &ExecOptions::default())
            .await
            .expect("flipped");
        assert_eq!(q.colour().as_str(), "green", "{form:?}");
        q.close().await.expect("close");
    }
}

/// #7: after a resume, the SAME colour is retried (not the next one).
#[tokio::test]
async fn bug_6_5_7_resume_retries_the_same_colour() {
    let server = ScriptedServer::start().await;
    server.cluster(ClusterState::Suspended, 1);
    let conn = Connection::connect(server.config()).await.expect("connect");
    assert_eq!(server.strategies("authenticate"), vec!["blue", "blue"]);
    assert_eq!(conn.strategy_snapshot().active.as_deref(), Some("blue"));
}

/// #8: authenticate errors are reported, never swallowed into an empty session.
#[tokio::test]
async fn bug_6_5_8_authenticate_errors_are_reported() {
    let server = ScriptedServer::start().await;
    server.script(|call, _| {
        if call.rpc == "authenticate" {
            Action::Fail(tonic::Status::internal("planner unavailable"))
        } else {
            Action::Default
        }
    });
    let err = Connection::connect(server.config())
        .await
        .expect_err("error");
    assert_eq!(err.kind(), ErrorKind::Server);
    assert!(err.message().contains("planner unavailable"));
    assert!(server.calls("prepareStatement").is_empty());
}

/// #9: an empty sessionId is an authentication failure at once: ONE authenticate, no colour
/// retry, no 456 masking it.
#[tokio::test]
async fn bug_6_5_9_empty_session_fails_at_once() {
    for accepted in ["blue", "green"] {
        let server = ScriptedServer::start().await;
        server.accept(&[accepted]);
        server.empty_session(true);
        let err = Connection::connect(server.config())
            .await
            .expect_err("auth");
        assert_eq!(err.kind(), ErrorKind::Auth, "{accepted}");
        let expected = if accepted == "blue" {
            vec!["blue"]
        } else {
            vec!["blue", "green"]
        };
        // On a green server blue is a 456 (the colour is wrong), then green answers empty.
        assert_eq!(server.strategies("authenticate"), expected);
    }
}

/// #10: the cache TTL works: an idle cached colour older than the TTL is re-detected (blue
/// first) on the next authenticate; a fresh one is used as is.
#[tokio::test]
async fn bug_6_5_10_cache_ttl_is_live() {
    let server = ScriptedServer::start().await;
    server.accept(&["green"]);
    let mut config = server.config();
    config.strategy_cache_ttl = Duration::from_millis(100);
    let _c1 = Connection::connect(config.clone()).await.expect("c1");
    let _c2 = Connection::connect(config.clone()).await.expect("c2 fresh");
    assert_eq!(
        server.strategies("authenticate"),
        vec!["blue", "green", "green"]
    );
    tokio::time::sleep(Duration::from_millis(150)).await;
    server.clear_log();
    let _c3 = Connection::connect(config.clone())
        .await
        .expect("c3 expired");
    assert_eq!(server.strategies("authenticate"), vec!["blue", "green"]);
    // Not while a query is pinned.
    let c3 = _c3;
    let q = c3
        .execute("select 1", &ExecOptions::default())
        .await
        .expect("q");
    tokio::time::sleep(Duration::from_millis(150)).await;
    server.clear_log();
    let _c4 = Connection::connect(config).await.expect("c4");
    assert_eq!(server.strategies("authenticate"), vec!["green"]);
    q.close().await.expect("close");
}

/// #11: cancelQuery goes to the query's own colour, even after the target moved.
#[tokio::test]
async fn bug_6_5_11_cancel_uses_the_query_colour() {
    let server = ScriptedServer::start().await;
    let conn = Connection::connect(server.config()).await.expect("connect");
    let q = conn
        .execute("select 1", &ExecOptions::default())
        .await
        .expect("q");
    // The target flips to green (456 on a browse call) while q is pinned to blue.
    server.accept(&["blue", "green"]);
    server.script(|call, _| {
        if call.rpc == "getSchemaNamesV2" && call.strategy.as_deref() == Some("blue") {
            Action::Fail(tonic::Status::unknown("status: 456"))
        } else {
            Action::Default
        }
    });
    conn.schemas("main").await.expect("flipped");
    assert_eq!(conn.strategy_snapshot().active.as_deref(), Some("green"));
    q.cancel().await.expect("cancel");
    let cancel = &server.calls("cancelQuery")[0];
    assert_eq!(cancel.strategy.as_deref(), Some("blue"));
    assert_eq!(cancel.plannerip.as_deref(), Some(ENGINE_IP));
    assert_eq!(cancel.session_id.as_deref(), Some("sess-1"));
    assert_eq!(conn.strategy_snapshot().pinned_queries, 0);
}

/// #12: status (and explain) use the query's own pin, not the connection's latest query.
#[tokio::test]
async fn bug_6_5_12_status_uses_its_own_pin() {
    let server = ScriptedServer::start().await;
    let conn = Connection::connect(server.config()).await.expect("connect");
    let q1 = conn
        .execute("select 1", &ExecOptions::default())
        .await
        .expect("q1");
    server.accept(&["blue", "green"]);
    server.script(|call, _| {
        if call.rpc == "getTablesV2" && call.strategy.as_deref() == Some("blue") {
            Action::Fail(tonic::Status::unknown("status: 456"))
        } else {
            Action::Default
        }
    });
    conn.tables("main", "demo").await.expect("flipped");
    let q2 = conn
        .execute("select 2", &ExecOptions::default())
        .await
        .expect("q2");
    assert_eq!(
        (q1.colour().as_str(), q2.colour().as_str()),
        ("blue", "green")
    );
    q1.status().await.expect("status 1");
    q2.status().await.expect("status 2");
    q1.explain().await.expect("explain 1");
    let seen: Vec<(Option<String>, Option<String>)> = server
        .log()
        .into_iter()
        .filter(|r| r.rpc == "status" || r.rpc == "explain")
        .map(|r| (r.query_id, r.strategy))
        .collect();
    let q1_id = Some(q1.id().to_owned());
    let q2_id = Some(q2.id().to_owned());
    assert_eq!(
        seen,
        vec![
            (q1_id.clone(), Some("blue".into())),
            (q2_id, Some("green".into())),
            (q1_id, Some("blue".into())),
        ]
    );
    q1.close().await.expect("close 1");
    q2.close().await.expect("close 2");
}

/// #13: a prepare never carries a previous query's plannerip or pinned colour.
#[tokio::test]
async fn bug_6_5_13_prepare_carries_no_stale_route() {
    let server = ScriptedServer::start().await;
    let conn = Connection::connect(server.config()).await.expect("connect");
    let mut q = conn
        .execute("select 1", &ExecOptions::default())
        .await
        .expect("q1");
    drain(&mut q).await;
    let q2 = conn
        .execute("select 2", &ExecOptions::default())
        .await
        .expect("q2");
    for p in server.calls("prepareStatement") {
        assert_eq!(p.plannerip, None);
        assert_eq!(p.strategy.as_deref(), Some("blue"));
    }
    q2.close().await.expect("close");
    q.close().await.expect("close");
}

/// #14: reading the metadata (row count) sends no RPC; closing a connection sends none either.
#[tokio::test]
async fn bug_6_5_14_metadata_reads_are_local() {
    let server = ScriptedServer::start().await;
    let conn = Connection::connect(server.config()).await.expect("connect");
    let q = conn
        .execute("select 1", &ExecOptions::default())
        .await
        .expect("q");
    for _ in 0..10 {
        assert_eq!(q.metadata().row_count, 6);
    }
    assert_eq!(server.calls("getResultMetadata").len(), 1);
    q.close().await.expect("close");
    let before = server.log().len();
    conn.close().await;
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert_eq!(server.log().len(), before);
}
