//! Blue/green behaviour against the scripted server: the worked timeline of spec §6.4 (with new
//! work moving to the announced colour at once), announcements on idle and busy targets, a
//! drained switch under load, 456 in every form on non-query and pinned calls, `Access denied`,
//! and many tasks sharing a target.

#[path = "support/scripted_server.rs"]
mod scripted_server;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

use e6data_odbc::client::{Connection, ErrorKind, ExecOptions, Query};
use scripted_server::{Action, DrainEnd, ENGINE_IP, Recorded, Reject, ScriptedServer};

const FORMS: [Reject; 3] = [Reject::Grpc, Reject::RawHttp, Reject::Mock];

/// The script action answering a 456 in `form`.
fn wrong_colour(form: Reject) -> Action {
    match form {
        Reject::Grpc => Action::Fail(tonic::Status::unknown("status: 456")),
        Reject::RawHttp => Action::Http(456),
        Reject::Mock => Action::Fail(tonic::Status::invalid_argument(
            "Wrong strategy. Status: 456. Expected: green, Got: blue",
        )),
    }
}

async fn drain(q: &mut Query) -> usize {
    let mut n = 0;
    while let Some(c) = q.next_chunk().await.expect("chunk") {
        n += c.rows;
    }
    n
}

fn of_query<'a>(log: &'a [Recorded], id: &'a str) -> impl Iterator<Item = &'a Recorded> + 'a {
    log.iter()
        .filter(move |r| r.query_id.as_deref() == Some(id))
}

/// Spec §6.4, step by step, asserting the headers of every request, with the driver's rule:
/// B (prepared after the announcement) goes to GREEN at once while A finishes on blue; the
/// active colour changes when A's pin goes (B's pin on green does not hold it back).
#[tokio::test]
async fn worked_timeline_of_spec_6_4() {
    let server = ScriptedServer::start().await;
    server.result(2, 2);
    // The switch starts when A asks for its second batch: both colours served, green announced.
    server.script(|call, engine| {
        if call.rpc == "getNextResultBatch" && call.nth == 2 {
            engine.accepted.insert("green".to_owned());
            engine.announce = Some("green".to_owned());
        }
        Action::Default
    });
    let conn = Connection::connect(server.config()).await.expect("connect");

    // A: prepare/execute/metadata/batch#1 [blue]
    let mut a = conn
        .execute("select 'A'", &ExecOptions::default())
        .await
        .expect("A");
    assert!(a.next_chunk().await.expect("A#1").is_some());
    // A: batch#2 <- new_strategy=green: pending=green, active=blue.
    assert!(a.next_chunk().await.expect("A#2").is_some());
    let snap = conn.strategy_snapshot();
    assert_eq!(snap.active.as_deref(), Some("blue"));
    assert_eq!(snap.pending.as_deref(), Some("green"));

    // B: authenticate [green], prepare/execute/metadata [green]: new work goes to the announced
    // colour at once; the active colour stays blue while A is pinned to it.
    let mut b = conn
        .execute("select 'B'", &ExecOptions::default())
        .await
        .expect("B");
    assert_eq!(b.colour().as_str(), "green");
    let snap = conn.strategy_snapshot();
    assert_eq!(
        (snap.active.as_deref(), snap.pending.as_deref()),
        (Some("blue"), Some("green"))
    );
    assert_eq!(snap.pinned_queries, 2);
    assert_eq!(
        (snap.pinned_by_colour.blue, snap.pinned_by_colour.green),
        (1, 1)
    );

    // A: clearOrCancelQuery [blue]: no query left on blue -> green applied (B is on green).
    a.close().await.expect("close A");
    let snap = conn.strategy_snapshot();
    assert_eq!(
        (snap.active.as_deref(), snap.pending.as_deref()),
        (Some("green"), None)
    );
    assert_eq!(snap.pinned_queries, 1);

    // B: batches..., clearOrCancelQuery [green].
    assert_eq!(drain(&mut b).await, 4);
    let b_id = b.id().to_owned();
    b.close().await.expect("close B");
    let snap = conn.strategy_snapshot();
    assert_eq!(
        (snap.active.as_deref(), snap.pending.as_deref()),
        (Some("green"), None)
    );
    assert_eq!(snap.pinned_queries, 0);

    // The server now serves only green. C: prepare [green] on B's green session.
    server.accept(&["green"]);
    server.announce(None);
    let mut c = conn
        .execute("select 'C'", &ExecOptions::default())
        .await
        .expect("C");
    assert_eq!(drain(&mut c).await, 4);
    c.close().await.expect("close C");

    let log = server.log();
    let auths: Vec<&Recorded> = log.iter().filter(|r| r.rpc == "authenticate").collect();
    assert_eq!(auths.len(), 2, "{:#?}", server.trace());
    assert_eq!(auths[0].strategy.as_deref(), Some("blue"));
    assert_eq!(auths[1].strategy.as_deref(), Some("green"));
    let prepares: Vec<&Recorded> = log.iter().filter(|r| r.rpc == "prepareStatement").collect();
    let prep: Vec<(Option<&str>, Option<&str>, Option<&str>)> = prepares
        .iter()
        .map(|r| {
            (
                r.query.as_deref(),
                r.strategy.as_deref(),
                r.session_id.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        prep,
        vec![
            (Some("select 'A'"), Some("blue"), Some("sess-1")),
            (Some("select 'B'"), Some("green"), Some("sess-2")),
            (Some("select 'C'"), Some("green"), Some("sess-2")),
        ]
    );
    assert!(prepares.iter().all(|r| r.plannerip.is_none()));
    // Every per-query call of A: blue, plannerip, the old session; of B: green, the new one.
    for (id, colour, session) in [("q-1", "blue", "sess-1"), ("q-2", "green", "sess-2")] {
        let calls: Vec<&Recorded> = of_query(&log, id).collect();
        let rpcs: Vec<&str> = calls.iter().map(|r| r.rpc.as_str()).collect();
        assert!(rpcs.contains(&"clearOrCancelQuery"), "{id}: {rpcs:?}");
        for r in calls {
            assert_eq!(r.strategy.as_deref(), Some(colour), "{id} {}", r.rpc);
            assert_eq!(r.plannerip.as_deref(), Some(ENGINE_IP), "{id} {}", r.rpc);
            assert_eq!(r.session_id.as_deref(), Some(session), "{id} {}", r.rpc);
        }
    }
    // A's second batch carried the announcement and was the second batch request overall.
    let batches: Vec<&Recorded> = log
        .iter()
        .filter(|r| r.rpc == "getNextResultBatch")
        .collect();
    assert_eq!(batches[1].query_id.as_deref(), Some("q-1"));
    // The green session was minted after the announcement (A's second batch) and before B's
    // prepare; C came after B's clear, without another authenticate.
    let green_auth = log
        .iter()
        .rposition(|r| r.rpc == "authenticate")
        .expect("green auth");
    let announced = log
        .iter()
        .enumerate()
        .filter(|(_, r)| r.rpc == "getNextResultBatch" && r.query_id.as_deref() == Some("q-1"))
        .nth(1)
        .map(|(i, _)| i)
        .expect("A#2");
    let b_prepare = log
        .iter()
        .position(|r| r.query.as_deref() == Some("select 'B'"))
        .expect("B prepare");
    let b_clear = log
        .iter()
        .position(|r| r.rpc == "clearOrCancelQuery" && r.query_id.as_deref() == Some(b_id.as_str()))
        .expect("B clear");
    let c_prepare = log
        .iter()
        .position(|r| r.query.as_deref() == Some("select 'C'"))
        .expect("C prepare");
    assert!(announced < green_auth && green_auth < b_prepare);
    assert!(c_prepare > b_clear);
    for r in of_query(&log, "q-3") {
        assert_eq!(r.strategy.as_deref(), Some("green"), "{}", r.rpc);
        assert_eq!(r.session_id.as_deref(), Some("sess-2"), "{}", r.rpc);
    }
}

/// Issue #6: a switch announced while nothing is pinned is applied at the next call (the call
/// whose response carries the announcement), and the call after it goes to the new colour
/// with one new session.
#[tokio::test]
async fn an_announcement_on_an_idle_target_is_applied_at_the_next_call() {
    let server = ScriptedServer::start().await;
    let conn = Connection::connect(server.config()).await.expect("connect");
    let generation = conn.strategy_snapshot().generation;
    server.accept(&["blue", "green"]);
    server.announce(Some("green"));
    // No call yet: nothing is known.
    let snap = conn.strategy_snapshot();
    assert_eq!(
        (snap.active.as_deref(), snap.pending.as_deref()),
        (Some("blue"), None)
    );
    server.clear_log();
    conn.schemas("main").await.expect("schemas");
    let snap = conn.strategy_snapshot();
    assert_eq!(
        (snap.active.as_deref(), snap.pending.as_deref()),
        (Some("green"), None)
    );
    assert_eq!(snap.generation, generation + 1);
    assert_eq!(snap.pinned_queries, 0);
    let q = conn
        .execute("select 1", &ExecOptions::default())
        .await
        .expect("execute");
    assert_eq!(q.colour().as_str(), "green");
    q.close().await.expect("close");
    assert_eq!(
        server.trace()[..3],
        [
            "getSchemaNamesV2 blue",
            "authenticate green",
            "prepareStatement green"
        ]
    );
    assert_eq!(server.calls("authenticate").len(), 1);
}

/// Issue #6: while a blue query is pinned, the active colour stays blue and green is pending,
/// but new queries on this and other connections already go to green (with green sessions);
/// when the blue query closes, green becomes active without another authenticate.
#[tokio::test]
async fn new_queries_go_to_the_announced_colour_while_an_old_query_is_pinned() {
    let server = ScriptedServer::start().await;
    server.result(2, 2);
    let c1 = Connection::connect(server.config()).await.expect("c1");
    let c2 = Connection::connect(server.config()).await.expect("c2");
    let mut old = c1
        .execute("select 'old'", &ExecOptions::default())
        .await
        .expect("old");
    assert_eq!(old.colour().as_str(), "blue");
    server.accept(&["blue", "green"]);
    server.announce(Some("green"));
    // The old query's next batch carries the announcement.
    assert!(old.next_chunk().await.expect("old#1").is_some());
    let snap = c2.strategy_snapshot();
    assert_eq!(
        (snap.active.as_deref(), snap.pending.as_deref()),
        (Some("blue"), Some("green"))
    );
    assert_eq!(snap.pinned_queries, 1);

    server.clear_log();
    let n1 = c1
        .execute("select 'n1'", &ExecOptions::default())
        .await
        .expect("n1");
    let n2 = c2
        .execute("select 'n2'", &ExecOptions::default())
        .await
        .expect("n2");
    assert_eq!(
        (n1.colour().as_str(), n2.colour().as_str()),
        ("green", "green")
    );
    assert_eq!(server.strategies("authenticate"), vec!["green", "green"]);
    assert_eq!(
        server.strategies("prepareStatement"),
        vec!["green", "green"]
    );
    let snap = c1.strategy_snapshot();
    assert_eq!(
        (snap.active.as_deref(), snap.pending.as_deref()),
        (Some("blue"), Some("green"))
    );
    assert_eq!(snap.pinned_queries, 3);
    assert_eq!(
        (snap.pinned_by_colour.blue, snap.pinned_by_colour.green),
        (1, 2)
    );
    // Queries on the new colour come and go: the blue query still holds the active colour.
    n1.close().await.expect("close n1");
    n2.close().await.expect("close n2");
    let snap = c1.strategy_snapshot();
    assert_eq!(
        (snap.active.as_deref(), snap.pending.as_deref()),
        (Some("blue"), Some("green"))
    );
    // The old query finishes on blue with its own session and planner.
    let old_id = old.id().to_owned();
    assert_eq!(drain(&mut old).await, 2);
    old.close().await.expect("close old");
    let snap = c1.strategy_snapshot();
    assert_eq!(
        (snap.active.as_deref(), snap.pending.as_deref()),
        (Some("green"), None)
    );
    assert_eq!(snap.pinned_queries, 0);
    let log = server.log();
    for r in of_query(&log, &old_id) {
        assert_eq!(r.strategy.as_deref(), Some("blue"), "{}", r.rpc);
        assert_eq!(r.session_id.as_deref(), Some("sess-1"), "{}", r.rpc);
        assert_eq!(r.plannerip.as_deref(), Some(ENGINE_IP), "{}", r.rpc);
    }
    // The green sessions minted while green was pending stay valid once it is applied.
    server.clear_log();
    c1.schemas("main").await.expect("schemas c1");
    c2.schemas("main").await.expect("schemas c2");
    assert_eq!(
        server.trace(),
        vec!["getSchemaNamesV2 green", "getSchemaNamesV2 green"]
    );
}

/// Issue #6: 16 tasks loop queries on one target while the server switches blue -> green with
/// a drain (both served, green announced, blue withdrawn with 456 once no query prepared on it
/// is open, or at the latest at a deadline). New work moves to green at once, so blue drains
/// by itself under continuous load and no query fails. (Sending new work to blue until the
/// target has no pin, as the Python connector does, keeps blue busy until the deadline.)
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sixteen_busy_tasks_survive_a_drained_switch_with_zero_errors() {
    const TASKS: usize = 16;
    const DEADLINE: Duration = Duration::from_secs(4);
    let server = Arc::new(ScriptedServer::start().await);
    server.result(3, 2);
    // Each batch takes a moment, so every task nearly always has a query open.
    server.script(|call, _| {
        if call.rpc == "getNextResultBatch" {
            Action::Delay(Duration::from_millis(3))
        } else {
            Action::Default
        }
    });
    let done = Arc::new(AtomicUsize::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let mut handles = Vec::new();
    for t in 0..TASKS {
        let server = Arc::clone(&server);
        let done = Arc::clone(&done);
        let stop = Arc::clone(&stop);
        handles.push(tokio::spawn(async move {
            let conn = Connection::connect(server.config()).await.expect("connect");
            let mut colours = Vec::new();
            let mut errors = Vec::new();
            let mut round = 0;
            while !stop.load(Ordering::SeqCst) {
                round += 1;
                let run = async {
                    let mut q = conn
                        .execute(&format!("select {t}, {round}"), &ExecOptions::default())
                        .await?;
                    let colour = q.colour().as_str();
                    let mut rows = 0;
                    while let Some(c) = q.next_chunk().await? {
                        rows += c.rows;
                    }
                    q.close().await?;
                    Ok::<_, e6data_odbc::client::ClientError>((colour, rows))
                };
                match run.await {
                    Ok((colour, rows)) => {
                        assert_eq!(rows, 6, "wrong result");
                        colours.push(colour);
                    }
                    Err(e) => errors.push(format!("{:?}: {}", e.kind(), e.message())),
                }
                done.fetch_add(1, Ordering::SeqCst);
            }
            conn.close().await;
            (colours, errors)
        }));
    }
    let wait_done = |n: usize| {
        let done = Arc::clone(&done);
        async move {
            for _ in 0..2000 {
                if done.load(Ordering::SeqCst) >= n {
                    return;
                }
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
            panic!("the tasks stalled");
        }
    };
    wait_done(TASKS * 3).await;
    let switched = std::time::Instant::now();
    server.switch_with_drain("blue", "green", DEADLINE);
    while server.drain_end().is_none() {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let drained_in = switched.elapsed();
    // Keep the load on after blue is withdrawn.
    let after = done.load(Ordering::SeqCst);
    wait_done(after + TASKS * 3).await;
    stop.store(true, Ordering::SeqCst);
    let mut blue = 0;
    let mut green = 0;
    for h in handles {
        let (colours, errors) = h.await.expect("task");
        assert!(errors.is_empty(), "failed queries: {errors:?}");
        blue += colours.iter().filter(|c| **c == "blue").count();
        green += colours.iter().filter(|c| **c == "green").count();
        assert_eq!(colours.last().copied(), Some("green"));
    }
    assert_eq!(
        server.drain_end(),
        Some(DrainEnd::LastQueryClosed),
        "blue was still busy at the drain deadline ({drained_in:?})"
    );
    assert!(drained_in < DEADLINE);
    assert!(blue >= TASKS * 3 && green >= TASKS * 3, "{blue} {green}");
    // Nothing leaked; green is active; every call of a query used its prepare's colour.
    let key = e6data_odbc::client::TargetKey::new("127.0.0.1", server.port(), None);
    let snap = e6data_odbc::client::store_for(&key).snapshot();
    assert_eq!(snap.pinned_queries, 0);
    assert_eq!(
        (snap.active.as_deref(), snap.pending.as_deref()),
        (Some("green"), None)
    );
    assert_eq!(server.open_queries(), 0);
    let mut colour_of = std::collections::HashMap::new();
    for r in server.log() {
        if let Some(id) = r.query_id {
            let first = colour_of.entry(id.clone()).or_insert(r.strategy.clone());
            assert_eq!(*first, r.strategy, "{id}: {} left its colour", r.rpc);
        }
    }
}

#[tokio::test]
async fn non_query_456_flips_reauthenticates_and_retries_once() {
    for form in FORMS {
        let server = ScriptedServer::start().await;
        server.reject_with(form);
        let conn = Connection::connect(server.config()).await.expect("connect");
        server.accept(&["green"]);
        server.clear_log();
        assert_eq!(
            conn.schemas("main").await.expect("schemas").len(),
            2,
            "{form:?}"
        );
        assert_eq!(
            server.trace(),
            vec![
                "getSchemaNamesV2 blue",
                "authenticate green",
                "getSchemaNamesV2 green"
            ],
            "{form:?}"
        );
        assert_eq!(
            server.calls("getSchemaNamesV2")[1].session_id.as_deref(),
            Some("sess-2")
        );
        if form == Reject::RawHttp {
            assert_eq!(server.calls("getSchemaNamesV2")[0].raw_http, Some(456));
        }
        // Prepare: same rule.
        server.accept(&["blue"]);
        server.clear_log();
        let q = conn
            .execute("select 1", &ExecOptions::default())
            .await
            .expect("execute");
        assert_eq!(q.colour().as_str(), "blue");
        assert_eq!(
            server.trace()[..3],
            [
                "prepareStatement green",
                "authenticate blue",
                "prepareStatement blue"
            ]
        );
        q.close().await.expect("close");
    }
}

#[tokio::test]
async fn non_query_456_after_the_flip_is_a_routing_error() {
    let server = ScriptedServer::start().await;
    let conn = Connection::connect(server.config()).await.expect("connect");
    // Authenticate works with either colour, but the browse call is refused in both.
    server.accept(&["blue", "green"]);
    server.script(|call, _| {
        if call.rpc == "getTablesV2" {
            wrong_colour(Reject::Grpc)
        } else {
            Action::Default
        }
    });
    let err = conn.tables("main", "demo").await.expect_err("routing");
    assert_eq!(err.kind(), ErrorKind::Routing);
    assert_eq!(server.strategies("getTablesV2"), vec!["blue", "green"]);
}

#[tokio::test]
async fn pinned_456_loses_the_query_without_replay() {
    let pinned = [
        "executeStatement",
        "getResultMetadata",
        "getNextResultBatch",
        "status",
    ];
    for form in FORMS {
        for rpc in pinned {
            let server = ScriptedServer::start().await;
            let conn = Connection::connect(server.config()).await.expect("connect");
            server.script(move |call, _| {
                if call.rpc == rpc {
                    wrong_colour(form)
                } else {
                    Action::Default
                }
            });
            let err = match conn.execute("select 1", &ExecOptions::default()).await {
                Err(e) => e,
                Ok(mut q) if rpc == "status" => {
                    let e = q.status().await.expect_err("456");
                    // The query is over: later reads fail the same way.
                    assert_eq!(
                        q.next_chunk().await.expect_err("lost").kind(),
                        ErrorKind::Routing
                    );
                    e
                }
                Ok(mut q) => q.next_chunk().await.expect_err("456"),
            };
            assert_eq!(err.kind(), ErrorKind::Routing, "{form:?} {rpc}");
            assert!(
                err.message().contains("re-run the query"),
                "{}",
                err.message()
            );
            assert!(err.message().contains("blue"), "{}", err.message());
            assert_eq!(conn.strategy_snapshot().pinned_queries, 0, "{form:?} {rpc}");
            assert_eq!(
                server.calls("prepareStatement").len(),
                1,
                "no replay: {form:?} {rpc}"
            );
            assert_eq!(server.calls(rpc).len(), 1, "{form:?} {rpc}");
            // No colour change: a 456 on a pinned call says nothing about new work.
            assert_eq!(conn.strategy_snapshot().active.as_deref(), Some("blue"));
        }
    }
}

#[tokio::test]
async fn access_denied_on_execute_reauthenticates_and_replays() {
    let server = ScriptedServer::start().await;
    let conn = Connection::connect(server.config()).await.expect("connect");
    server.script(|call, _| {
        if call.rpc == "executeStatement" && call.nth == 1 {
            Action::Fail(tonic::Status::internal("Access denied: session expired"))
        } else {
            Action::Default
        }
    });
    let started = std::time::Instant::now();
    let mut q = conn
        .execute("select 1", &ExecOptions::default())
        .await
        .expect("replayed");
    assert!(started.elapsed() >= Duration::from_millis(200));
    assert_eq!(drain(&mut q).await, 6);
    q.close().await.expect("close");
    assert_eq!(
        server.trace()[..7],
        [
            "authenticate blue",
            "prepareStatement blue",
            "executeStatement blue",
            "authenticate blue",
            "prepareStatement blue",
            "executeStatement blue",
            "getResultMetadata blue",
        ]
    );
    assert_eq!(
        server.calls("prepareStatement")[1].session_id.as_deref(),
        Some("sess-2")
    );
    assert_eq!(conn.strategy_snapshot().pinned_queries, 0);
}

#[tokio::test]
async fn access_denied_on_prepare_and_browse_is_retried() {
    let server = ScriptedServer::start().await;
    let conn = Connection::connect(server.config()).await.expect("connect");
    server.script(|call, _| {
        if matches!(call.rpc.as_str(), "prepareStatement" | "getColumnsV2") && call.nth == 1 {
            Action::Fail(tonic::Status::internal("Access denied"))
        } else {
            Action::Default
        }
    });
    conn.execute("select 1", &ExecOptions::default())
        .await
        .expect("prepare retried")
        .close()
        .await
        .expect("close");
    conn.columns("main", "demo", "t")
        .await
        .expect("columns retried");
    assert_eq!(server.calls("authenticate").len(), 3);
}

#[tokio::test]
async fn access_denied_gives_up_after_five_attempts() {
    let server = ScriptedServer::start().await;
    let conn = Connection::connect(server.config()).await.expect("connect");
    server.script(|call, _| {
        if call.rpc == "executeStatement" {
            Action::Fail(tonic::Status::internal("Access denied"))
        } else {
            Action::Default
        }
    });
    let err = conn
        .execute("select 1", &ExecOptions::default())
        .await
        .expect_err("gives up");
    assert_eq!(err.kind(), ErrorKind::SessionExpired);
    assert_eq!(server.calls("prepareStatement").len(), 5);
    assert_eq!(server.calls("authenticate").len(), 5);
    assert_eq!(conn.strategy_snapshot().pinned_queries, 0);
}

#[tokio::test]
async fn access_denied_on_fetch_is_never_replayed() {
    let server = ScriptedServer::start().await;
    let conn = Connection::connect(server.config()).await.expect("connect");
    server.script(|call, _| {
        if call.rpc == "getNextResultBatch" {
            Action::Fail(tonic::Status::internal("Access denied"))
        } else {
            Action::Default
        }
    });
    let mut q = conn
        .execute("select 1", &ExecOptions::default())
        .await
        .expect("execute");
    let err = q.next_chunk().await.expect_err("expired");
    assert_eq!(err.kind(), ErrorKind::SessionExpired);
    assert!(err.message().contains("re-run the query"));
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(server.calls("getNextResultBatch").len(), 1);
    assert_eq!(server.calls("prepareStatement").len(), 1);
    assert_eq!(server.calls("authenticate").len(), 1);
    assert_eq!(conn.strategy_snapshot().pinned_queries, 0);
}

/// 32 tasks with their own connections to one target run query rounds; green is announced in
/// the middle. At the end of that round nothing is pinned, green is applied, and every
/// connection re-authenticates once with green. No task fails and no pin is lost.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn thirty_two_tasks_share_the_store_through_an_announced_switch() {
    const TASKS: usize = 32;
    const ROUNDS: usize = 6;
    let server = Arc::new(ScriptedServer::start().await);
    server.result(2, 5);
    let barrier = Arc::new(tokio::sync::Barrier::new(TASKS));
    let mut handles = Vec::new();
    for t in 0..TASKS {
        let server = Arc::clone(&server);
        let barrier = Arc::clone(&barrier);
        handles.push(tokio::spawn(async move {
            let conn = Connection::connect(server.config()).await.expect("connect");
            let mut colours = Vec::new();
            for round in 0..ROUNDS {
                if round == 2 && barrier.wait().await.is_leader() {
                    server.accept(&["blue", "green"]);
                    server.announce(Some("green"));
                }
                if round == 4 && barrier.wait().await.is_leader() {
                    let snap = conn.strategy_snapshot();
                    assert_eq!(snap.active.as_deref(), Some("green"));
                    assert_eq!(snap.pinned_queries, 0);
                    server.accept(&["green"]);
                    server.announce(None);
                }
                barrier.wait().await;
                let mut q = conn
                    .execute(&format!("select {t}, {round}"), &ExecOptions::default())
                    .await
                    .expect("execute");
                colours.push(q.colour().as_str());
                assert_eq!(drain(&mut q).await, 10);
                q.close().await.expect("close");
            }
            conn.close().await;
            colours
        }));
    }
    for h in handles {
        let colours = h.await.expect("task");
        assert_eq!(colours[..2], ["blue", "blue"]);
        assert_eq!(colours[4..], ["green", "green"]);
    }
    let key = e6data_odbc::client::TargetKey::new("127.0.0.1", server.port(), None);
    let snap = e6data_odbc::client::store_for(&key).snapshot();
    assert_eq!(snap.pinned_queries, 0);
    assert_eq!(snap.active.as_deref(), Some("green"));
    let auths = server.strategies("authenticate");
    assert_eq!(auths.iter().filter(|c| *c == "blue").count(), TASKS);
    assert_eq!(auths.iter().filter(|c| *c == "green").count(), TASKS);
}

/// 32 tasks hammer one target while the server abruptly stops serving blue (no announcement).
/// Prepares flip and retry; queries caught mid-flight fail with Routing and release their pins.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn thirty_two_tasks_survive_an_abrupt_switch_without_leaking_pins() {
    const TASKS: usize = 32;
    let server = Arc::new(ScriptedServer::start().await);
    server.result(3, 2);
    let done = Arc::new(AtomicUsize::new(0));
    let mut handles = Vec::new();
    for t in 0..TASKS {
        let server = Arc::clone(&server);
        let done = Arc::clone(&done);
        handles.push(tokio::spawn(async move {
            let conn = Connection::connect(server.config()).await.expect("connect");
            let mut failures = Vec::new();
            for round in 0..8 {
                if done.fetch_add(1, Ordering::SeqCst) == TASKS * 3 {
                    server.accept(&["green"]);
                }
                let run = async {
                    let mut q = conn
                        .execute(&format!("select {t}, {round}"), &ExecOptions::default())
                        .await?;
                    while q.next_chunk().await?.is_some() {}
                    q.close().await
                };
                if let Err(e) = run.await {
                    failures.push(e.kind());
                }
            }
            failures
        }));
    }
    for h in handles {
        for kind in h.await.expect("task") {
            assert_eq!(kind, ErrorKind::Routing);
        }
    }
    let key = e6data_odbc::client::TargetKey::new("127.0.0.1", server.port(), None);
    let snap = e6data_odbc::client::store_for(&key).snapshot();
    assert_eq!(snap.pinned_queries, 0);
    assert_eq!(snap.active.as_deref(), Some("green"));
    let last_prepares = server.strategies("prepareStatement");
    assert_eq!(last_prepares.last().map(String::as_str), Some("green"));
}
