//! Sessions against the scripted server: colour detection, cached colours, 456 in every form
//! on authenticate, announcements on authenticate, suspended clusters and auto-resume.

#[path = "support/scripted_server.rs"]
mod scripted_server;

use std::time::Duration;

use e6data_odbc::client::{Connection, ErrorKind, ExecOptions};
use scripted_server::{Action, ClusterState, Reject, ScriptedServer};

const FORMS: [Reject; 3] = [Reject::Grpc, Reject::RawHttp, Reject::Mock];

#[tokio::test]
async fn detection_tries_blue_first() {
    let server = ScriptedServer::start().await;
    let mut config = server.config();
    config.cluster_name = Some("MyCluster".into());
    let conn = Connection::connect(config).await.expect("connect");
    assert_eq!(server.strategies("authenticate"), vec!["blue"]);
    assert_eq!(
        server.calls("authenticate")[0].cluster.as_deref(),
        Some("mycluster")
    );
    let snap = conn.strategy_snapshot();
    assert_eq!(snap.active.as_deref(), Some("blue"));
    assert_eq!(
        snap.target,
        format!("127.0.0.1:{}/mycluster", server.port())
    );
    assert!(snap.last_check_time.is_some());
}

#[tokio::test]
async fn detection_falls_back_to_green_for_every_456_form() {
    for form in FORMS {
        let server = ScriptedServer::start().await;
        server.accept(&["green"]);
        server.reject_with(form);
        let conn = Connection::connect(server.config()).await.expect("connect");
        assert_eq!(
            server.strategies("authenticate"),
            vec!["blue", "green"],
            "{form:?}"
        );
        assert_eq!(conn.strategy_snapshot().active.as_deref(), Some("green"));
        if form == Reject::RawHttp {
            assert_eq!(server.calls("authenticate")[0].raw_http, Some(456));
        }
        let q = conn
            .execute("select 1", &ExecOptions::default())
            .await
            .expect("execute");
        assert_eq!(q.colour().as_str(), "green");
        q.close().await.expect("close");
    }
}

#[tokio::test]
async fn both_colours_rejected_is_a_routing_error() {
    let server = ScriptedServer::start().await;
    server.accept(&[]);
    let err = Connection::connect(server.config())
        .await
        .expect_err("routing");
    assert_eq!(err.kind(), ErrorKind::Routing);
    assert_eq!(server.strategies("authenticate"), vec!["blue", "green"]);
}

#[tokio::test]
async fn a_second_connection_uses_the_cached_colour() {
    let server = ScriptedServer::start().await;
    server.accept(&["green"]);
    let _c1 = Connection::connect(server.config())
        .await
        .expect("connect 1");
    let _c2 = Connection::connect(server.config())
        .await
        .expect("connect 2");
    assert_eq!(
        server.strategies("authenticate"),
        vec!["blue", "green", "green"]
    );
}

#[tokio::test]
async fn cached_colour_rejected_flips_and_stales_other_sessions() {
    let server = ScriptedServer::start().await;
    server.accept(&["green"]);
    let c1 = Connection::connect(server.config())
        .await
        .expect("connect 1");
    let before = c1.strategy_snapshot().generation;
    server.accept(&["blue"]);
    server.clear_log();
    let c2 = Connection::connect(server.config())
        .await
        .expect("connect 2");
    assert_eq!(server.strategies("authenticate"), vec!["green", "blue"]);
    assert_eq!(c2.strategy_snapshot().active.as_deref(), Some("blue"));
    assert!(c2.strategy_snapshot().generation > before);
    // c1's session was minted under green: it re-authenticates before its next call.
    server.clear_log();
    c1.schemas("main").await.expect("schemas");
    assert_eq!(
        server.trace(),
        vec!["authenticate blue", "getSchemaNamesV2 blue"]
    );
}

#[tokio::test]
async fn announcement_on_an_idle_authenticate_switches_with_two_authenticates() {
    let server = ScriptedServer::start().await;
    server.accept(&["blue", "green"]);
    server.announce(Some("green"));
    let conn = Connection::connect(server.config()).await.expect("connect");
    assert_eq!(server.strategies("authenticate"), vec!["blue", "green"]);
    conn.schemas("main").await.expect("schemas");
    assert_eq!(server.strategies("authenticate").len(), 2);
    assert_eq!(server.strategies("getSchemaNamesV2"), vec!["green"]);
    assert_eq!(
        server.calls("getSchemaNamesV2")[0].session_id.as_deref(),
        Some("sess-2")
    );
}

#[tokio::test]
async fn suspended_cluster_is_resumed_then_the_same_colour_retried() {
    let server = ScriptedServer::start().await;
    server.cluster(ClusterState::Suspended, 2);
    let mut config = server.config();
    config.cluster_name = Some("Prod".into());
    let conn = Connection::connect(config).await.expect("connect");
    assert_eq!(
        server.trace(),
        vec![
            "authenticate blue",
            "cluster.status blue",
            "cluster.resume blue",
            "cluster.status blue",
            "cluster.status blue",
            "authenticate blue",
        ]
    );
    for r in server.log() {
        assert_eq!(r.cluster.as_deref(), Some("prod"), "{}", r.rpc);
    }
    let status = &server.calls("cluster.status")[0];
    assert_eq!(status.plannerip, None);
    assert_eq!(server.cluster_state(), ClusterState::Active);
    assert!(conn.schemas("main").await.is_ok());
}

#[tokio::test]
async fn auto_resume_off_reports_suspended() {
    let server = ScriptedServer::start().await;
    server.cluster(ClusterState::Suspended, 2);
    let mut config = server.config();
    config.auto_resume = false;
    let err = Connection::connect(config).await.expect_err("suspended");
    assert_eq!(err.kind(), ErrorKind::Suspended);
    assert!(!err.timed_out());
    assert!(server.calls("cluster.status").is_empty());
}

#[tokio::test]
async fn failed_or_unknown_cluster_status_gives_up() {
    for answer in ["failed", "exploded"] {
        let server = ScriptedServer::start().await;
        server.cluster(ClusterState::Suspended, 2);
        let answer = answer.to_owned();
        server.script(move |call, _| {
            if call.rpc == "cluster.status" {
                Action::Respond(scripted_server::Reply::ClusterStatus(
                    e6data_odbc::proto::ClusterStatusResponse {
                        status: answer.clone(),
                    },
                ))
            } else {
                Action::Default
            }
        });
        let err = Connection::connect(server.config())
            .await
            .expect_err("gives up");
        assert_eq!(err.kind(), ErrorKind::Suspended);
        assert!(server.calls("cluster.resume").is_empty());
    }
}

#[tokio::test]
async fn resume_that_never_finishes_times_out() {
    let server = ScriptedServer::start().await;
    server.cluster(ClusterState::Suspended, 1_000_000);
    let mut config = server.config();
    config.auto_resume_timeout = Duration::from_millis(200);
    let err = Connection::connect(config).await.expect_err("timeout");
    assert_eq!(err.kind(), ErrorKind::Suspended);
    assert!(err.timed_out());
    assert!(server.calls("cluster.status").len() >= 2);
}

#[tokio::test]
async fn concurrent_resumes_of_one_target_are_serialised() {
    let server = ScriptedServer::start().await;
    server.cluster(ClusterState::Suspended, 3);
    let config = server.config();
    let tasks: Vec<_> = (0..6)
        .map(|_| {
            let config = config.clone();
            tokio::spawn(async move { Connection::connect(config).await })
        })
        .collect();
    for t in tasks {
        t.await.expect("join").expect("connect");
    }
    assert_eq!(server.calls("cluster.resume").len(), 1);
}

#[tokio::test]
async fn suspended_on_prepare_resumes_and_retries() {
    let server = ScriptedServer::start().await;
    let conn = Connection::connect(server.config()).await.expect("connect");
    server.script(|call, engine| {
        if call.rpc == "prepareStatement" && call.nth == 1 {
            engine.cluster = ClusterState::Suspended;
            Action::Fail(tonic::Status::unavailable(
                "status: 503, cluster is suspended",
            ))
        } else {
            Action::Default
        }
    });
    let q = conn
        .execute("select 1", &ExecOptions::default())
        .await
        .expect("execute");
    assert_eq!(server.strategies("prepareStatement"), vec!["blue", "blue"]);
    assert_eq!(server.calls("cluster.resume").len(), 1);
    q.close().await.expect("close");
}

#[tokio::test]
async fn cluster_service_456_flips_and_retries() {
    let server = ScriptedServer::start().await;
    server.accept(&["blue", "green"]);
    server.cluster(ClusterState::Suspended, 1);
    server.script(|call, _| {
        if call.rpc.starts_with("cluster.") && call.strategy.as_deref() == Some("blue") {
            Action::Fail(tonic::Status::unknown("status: 456"))
        } else {
            Action::Default
        }
    });
    let conn = Connection::connect(server.config()).await.expect("connect");
    assert_eq!(server.strategies("cluster.status")[..2], ["blue", "green"]);
    assert!(
        server
            .strategies("cluster.resume")
            .iter()
            .all(|c| c == "green")
    );
    // The colour learnt by the resume is the connection's colour: one store.
    assert_eq!(conn.strategy_snapshot().active.as_deref(), Some("green"));
    let q = conn
        .execute("select 1", &ExecOptions::default())
        .await
        .expect("execute");
    assert_eq!(q.colour().as_str(), "green");
    q.close().await.expect("close");
}

#[tokio::test]
async fn unreachable_server_is_a_connect_error() {
    let server = ScriptedServer::start().await;
    let mut config = server.config();
    drop(server);
    tokio::time::sleep(Duration::from_millis(50)).await;
    config.connect_timeout = Some(Duration::from_secs(2));
    let err = Connection::connect(config).await.expect_err("down");
    assert_eq!(err.kind(), ErrorKind::Connect);
}
