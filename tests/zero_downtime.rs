//! Zero downtime, proven (issue #6): many ODBC connections, through the unixODBC driver manager
//! and the built `libe6data_odbc.so`, keep working while `e6data-local ctl` redeploys the engine
//! blue -> green -> blue.
//!
//! Every scenario starts its own engine (`tests/support/engine.rs`) and checks every query
//! against a known answer (`zero_downtime/workload.rs`). The engine's `ctl status` and `ctl log`
//! (per-query colour log) are the witnesses of what happened on the server side; the driver's
//! connection attributes 16385-16387 are read through raw `SQLGetConnectAttr`.
//!
//! Run: `cargo test -p e6data-odbc --test zero_downtime` after building the driver and the engine
//! (`E6DATA_LOCAL_BIN` / `E6DATA_ODBC_DRIVER` override where they are found). The soak lasts
//! `E6_SCENARIO_SECS` seconds (default 60); `E6_SCENARIO_DRIVER_LOG=/path/file` makes the driver
//! log at INFO there.

#[path = "support/driver.rs"]
mod driver;
#[path = "support/engine.rs"]
mod engine;

#[path = "zero_downtime/control.rs"]
mod control;
#[path = "zero_downtime/odbc.rs"]
mod odbc;
#[path = "zero_downtime/workload.rs"]
mod workload;

use std::sync::Arc;
use std::thread::sleep;
use std::time::{Duration, Instant};

use odbc_api::Cursor;
use odbc_api::buffers::TextRowSet;

use control::{Flipper, LogEntry};
use engine::Engine;
use odbc::{Conn, Strategy};
use workload::{Check, Traffic, WorkerReport, describe_events, series_check, short_checks};

/// Rows per result chunk of the scenario engines: small, so a modest query streams many batches.
const BATCH_ROWS: &str = "1000";
/// Rows per SQLFetch of the workers.
const FETCH_ROWS: usize = 500;

fn engine(extra: &[&str]) -> Engine {
    let mut args = vec!["--batch-rows", BATCH_ROWS];
    args.extend_from_slice(extra);
    Engine::start_with(&args)
}

/// Connection string for `engine`, with the driver log when `E6_SCENARIO_DRIVER_LOG` is set.
fn conn_str(engine: &Engine) -> String {
    match std::env::var("E6_SCENARIO_DRIVER_LOG") {
        Ok(file) if !file.is_empty() => {
            driver::conn_str_with(engine, &format!("LogLevel=info;LogFile={file};"))
        }
        _ => driver::conn_str(engine),
    }
}

fn open(engine: &Engine) -> Conn {
    Conn::open(&conn_str(engine)).unwrap_or_else(|e| panic!("connect: {e}"))
}

fn scenario_secs() -> u64 {
    std::env::var("E6_SCENARIO_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(60)
}

fn select_one(conn: &Conn) {
    let rows = conn
        .query_text("SELECT 1")
        .unwrap_or_else(|e| panic!("SELECT 1: {e}"));
    assert_eq!(rows, vec![vec![Some("1".to_string())]]);
}

fn assert_strategy(s: &Strategy, active: &str, pending: &str, pinned: u64, step: &str) {
    assert_eq!(
        (s.active.as_str(), s.pending.as_str(), s.pinned()),
        (active, pending, pinned),
        "{step}: attributes 16385/16386/16387.pinned_queries; 16387 = {}",
        s.state
    );
    let json_colour = |key: &str| {
        s.state
            .get(key)
            .and_then(|v| v.as_str())
            .unwrap_or("")
            .to_string()
    };
    assert_eq!(
        json_colour("active"),
        active,
        "{step}: 16387.active; 16387 = {}",
        s.state
    );
    assert_eq!(
        json_colour("pending"),
        pending,
        "{step}: 16387.pending; 16387 = {}",
        s.state
    );
}

/// A cursor over `demo.numbers` read 100 rows per SQLFetch, with a running count and sum.
struct SeriesReader {
    count: u64,
    sum: i128,
}

impl SeriesReader {
    /// Reads row sets while `go_on(sets_read_so_far)` says so; `Ok(false)` at the end.
    fn read<C: Cursor>(
        &mut self,
        block: &mut odbc_api::BlockCursor<C, TextRowSet>,
        mut go_on: impl FnMut(usize) -> bool,
    ) -> Result<bool, odbc::Failure> {
        let mut sets = 0;
        while go_on(sets) {
            let Some(set) = block.fetch()? else {
                return Ok(false);
            };
            for r in 0..set.num_rows() {
                let v: i128 = set
                    .at_as_str(0, r)
                    .ok()
                    .flatten()
                    .unwrap_or("x")
                    .parse()
                    .expect("integer");
                self.count += 1;
                self.sum += v;
            }
            sets += 1;
        }
        Ok(true)
    }
}

fn series_sum(rows: u64) -> i128 {
    i128::from(rows) * (i128::from(rows) + 1) / 2
}

/// Log entries prepared after the entry `query_id`.
fn entries_after<'a>(log: &'a [LogEntry], query_id: &str) -> &'a [LogEntry] {
    let at = log
        .iter()
        .position(|e| e.query_id == query_id)
        .expect("query in the log");
    &log[at + 1..]
}

/// Asserts that no worker failed (nor got a wrong answer).
fn assert_no_failures(reports: &[WorkerReport], what: &str) {
    let failures: usize = reports.iter().map(|r| r.events.len()).sum();
    assert_eq!(
        failures,
        0,
        "{what}: {failures} failed or wrong queries:\n{}",
        describe_events(reports, 40)
    );
}

/// Asserts that every failure is a query lost on a pinned call (never a call the driver may
/// replay), with one of `states`, at most `per_worker` per worker, never two in a row, and that
/// every worker ran queries successfully after `since` and after its last failure.
fn assert_only_pinned_losses(
    reports: &[WorkerReport],
    states: &[&str],
    per_worker: usize,
    since: Duration,
    what: &str,
) {
    let details = || describe_events(reports, 40);
    for r in reports {
        for e in &r.events {
            assert!(
                e.error.on_pinned_call() && states.contains(&e.error.failure.sqlstate.as_str()),
                "{what}: worker {} failed on a call the driver must retry transparently (or with an \
                 unexpected SQLSTATE, allowed {states:?}):\n{}",
                r.id,
                details()
            );
        }
        assert!(
            r.events.len() <= per_worker,
            "{what}: worker {} failed {} times:\n{}",
            r.id,
            r.events.len(),
            details()
        );
        for pair in r.events.windows(2) {
            let between = r
                .ok_at
                .iter()
                .filter(|&&t| t > pair[0].at && t < pair[1].at)
                .count();
            assert!(
                between > 0,
                "{what}: worker {} failed twice in a row:\n{}",
                r.id,
                details()
            );
        }
        let last_failure = r.events.last().map_or(Duration::ZERO, |e| e.at);
        assert!(
            r.ok_after(since) > 0 && r.ok_after(last_failure) > 0,
            "{what}: worker {} did not recover (ok after {since:?}: {}, after its last failure: {})\n{}",
            r.id,
            r.ok_after(since),
            r.ok_after(last_failure),
            details()
        );
    }
}

/// The longest time between two successful queries of one worker.
fn longest_pause(reports: &[WorkerReport]) -> Duration {
    reports
        .iter()
        .flat_map(|r| r.ok_at.windows(2).map(|w| w[1] - w[0]))
        .max()
        .unwrap_or_default()
}

fn short_plans(n: usize) -> Vec<Vec<Check>> {
    (0..n).map(|_| short_checks()).collect()
}

/// Issue #6 item 1, first bullet: 16 connections, short and long streaming queries, the colour
/// flipping every 5 s with a 3 s drain, for E6_SCENARIO_SECS: no failed query, no wrong answer,
/// no query left open on the engine, and every connection ends on the engine's colour.
#[test]
fn soak_sixteen_connections_while_the_colour_flips_every_five_seconds() {
    let secs = scenario_secs();
    let engine = Arc::new(engine(&[]));
    let cs = conn_str(&engine);
    let long = series_check(20_000);
    let plans: Vec<Vec<Check>> = (0..16)
        .map(|i| {
            let mut plan = short_checks();
            if i % 4 == 0 {
                // A quarter of the connections interleave the long streaming query.
                plan = plan.into_iter().flat_map(|c| [c, long.clone()]).collect();
            }
            plan
        })
        .collect();
    let before = control::status(&engine);
    let traffic = Traffic::start(&cs, plans, FETCH_ROWS);
    let flipper = Flipper::start(
        Arc::clone(&engine),
        Duration::from_secs(5),
        3,
        traffic.started,
    );
    while traffic.elapsed() < Duration::from_secs(secs) {
        sleep(Duration::from_millis(200));
    }
    let switches = flipper.finish();
    // Let the last drain end while the traffic goes on, so every connection must move.
    sleep(Duration::from_secs(4));
    let reports = traffic.finish();

    assert_no_failures(&reports, "soak");
    let expected_switches = usize::try_from(secs / 5).unwrap_or(0).saturating_sub(1);
    assert!(
        switches.len() >= expected_switches,
        "only {} switches in {secs} s",
        switches.len()
    );
    let total: u64 = reports.iter().map(|r| r.ok).sum();
    let long_ok: u64 = reports
        .iter()
        .map(|r| r.ok_by_check.get("numbers-series").copied().unwrap_or(0))
        .sum();
    assert!(
        reports.iter().all(|r| r.ok > 0),
        "a connection ran no query: {reports:?}"
    );
    assert!(long_ok > 0, "no long streaming query completed");
    let after = control::wait_status(&engine, "no open query", Duration::from_secs(10), |s| {
        control::u64_field(s, "open_queries") == 0
    });
    let active = control::str_field(&after, "active_strategy");
    for r in &reports {
        assert_eq!(
            r.final_active.as_deref(),
            Some(active.as_str()),
            "worker {} ends on another colour",
            r.id
        );
    }
    for colour in ["blue", "green"] {
        assert!(
            control::requests_on(&after, colour) > control::requests_on(&before, colour),
            "no request on {colour}: {after}"
        );
    }
    eprintln!(
        "soak: {secs} s, 16 connections, {} switches, {total} queries ({long_ok} long), 0 failures, \
         longest pause of a connection {:.2} s; requests {}",
        switches.len(),
        longest_pause(&reports).as_secs_f64(),
        after
            .get("requests_by_colour")
            .map(ToString::to_string)
            .unwrap_or_default()
    );
}

/// Issue #6 item 1, second bullet: a query started before a switch completes on its old colour
/// (every call of it carries that colour in the engine's log) while new queries on another
/// connection of the same process are prepared under the new colour.
#[test]
fn a_query_started_before_a_switch_completes_on_its_old_colour() {
    let engine = engine(&[]);
    let (a, b) = (open(&engine), open(&engine));
    select_one(&b);
    const ROWS: u64 = 20_000;
    let mut cursor = a
        .execute(&series_check(ROWS).sql)
        .expect("execute")
        .expect("cursor");
    let buffer = TextRowSet::for_cursor(100, &mut cursor, Some(64)).expect("buffer");
    let mut block = cursor.bind_buffer(buffer).expect("bind");
    let mut reader = SeriesReader { count: 0, sum: 0 };
    assert!(reader.read(&mut block, |n| n < 1).expect("first rows"));
    // Both connections share the target's state (one per process and target).
    assert_strategy(&a.strategy(), "blue", "", 1, "A's cursor open");
    assert_strategy(&b.strategy(), "blue", "", 1, "B while A's cursor is open");

    control::switch(&engine, "green", 60);
    // Read on until the driver has heard of the switch from one of this query's own batches.
    let mut polls = 0;
    assert!(
        reader
            .read(&mut block, |_| {
                polls += 1;
                a.strategy().pending != "green" && polls < 150
            })
            .expect("rows during the switch"),
        "the query ended before the driver saw the announcement"
    );
    // Announced, not applied: A's query still holds the old colour.
    assert_strategy(
        &a.strategy(),
        "blue",
        "green",
        1,
        "A heard the announcement",
    );

    for _ in 0..3 {
        let rows = b
            .query_text("SELECT count(*) FROM tpch.nation")
            .expect("query on B during the drain");
        assert_eq!(rows, vec![vec![Some("25".to_string())]]);
        assert_strategy(
            &b.strategy(),
            "blue",
            "green",
            1,
            "B's query done, A's still open",
        );
    }
    assert!(!reader.read(&mut block, |_| true).expect("rest of the rows"));
    drop(block);
    assert_strategy(&a.strategy(), "green", "", 0, "A's query done");
    assert_strategy(&b.strategy(), "green", "", 0, "B after A's query is done");
    assert_eq!(
        (reader.count, reader.sum),
        (ROWS, series_sum(ROWS)),
        "the old query's result"
    );

    let log = control::log(&engine);
    let old = log
        .iter()
        .find(|e| e.count("getNextResultBatch") >= 10)
        .unwrap_or_else(|| panic!("the streaming query is not in the log: {log:?}"));
    assert_eq!(old.prepared, "blue", "{old:?}");
    assert!(
        old.all_calls_on("blue"),
        "a call of the old query left its colour: {old:?}"
    );
    let newer = entries_after(&log, &old.query_id);
    assert_eq!(newer.len(), 3, "queries of B after the switch: {newer:?}");
    for e in newer {
        assert_eq!(
            e.prepared, "green",
            "B's query prepared during the drain used the old colour: {e:?}"
        );
        assert!(e.all_calls_on("green"), "{e:?}");
    }
    let s = control::wait_status(&engine, "the drain to end", Duration::from_secs(10), |s| {
        s.get("accepted_strategies")
            .map(ToString::to_string)
            .as_deref()
            == Some("[\"green\"]")
    });
    assert_eq!(control::u64_field(&s, "open_queries"), 0, "{s}");
}

/// Issue #6 item 1, third and last bullets: a switch announced while nothing runs is applied at
/// the next call; a switch announced while a cursor is open waits for it (16386 pending, 16387
/// one pinned query) and is applied when it closes (16385). The attributes are checked at every
/// step.
#[test]
fn idle_switch_applies_at_next_call_and_pinned_switch_waits_for_the_cursor() {
    let engine = engine(&[]);
    let c = open(&engine);
    assert_strategy(&c.strategy(), "blue", "", 0, "after connect");

    // Idle switch: nothing runs; the driver hears of it on its next call and moves.
    control::switch(&engine, "green", 30);
    assert_strategy(
        &c.strategy(),
        "blue",
        "",
        0,
        "switch announced, no call yet",
    );
    select_one(&c);
    assert_strategy(
        &c.strategy(),
        "green",
        "",
        0,
        "after the first call following the switch",
    );
    select_one(&c);
    assert_strategy(&c.strategy(), "green", "", 0, "second call");
    let log = control::log(&engine);
    let last = log.last().expect("log entries");
    assert_eq!(last.prepared, "green", "{log:?}");
    assert!(last.all_calls_on("green"), "{last:?}");
    control::wait_status(&engine, "blue withdrawn", Duration::from_secs(10), |s| {
        s.get("accepted_strategies")
            .map(ToString::to_string)
            .as_deref()
            == Some("[\"green\"]")
    });

    // Pinned switch: a cursor is open on green when blue is announced.
    const ROWS: u64 = 20_000;
    let mut cursor = c
        .execute(&series_check(ROWS).sql)
        .expect("execute")
        .expect("cursor");
    let buffer = TextRowSet::for_cursor(100, &mut cursor, Some(64)).expect("buffer");
    let mut block = cursor.bind_buffer(buffer).expect("bind");
    let mut reader = SeriesReader { count: 0, sum: 0 };
    assert!(reader.read(&mut block, |n| n < 1).expect("first rows"));
    assert_strategy(
        &c.strategy(),
        "green",
        "",
        1,
        "cursor open, before the switch",
    );

    control::switch(&engine, "blue", 30);
    let mut polls = 0;
    assert!(
        reader
            .read(&mut block, |_| {
                let seen = c.strategy();
                polls += 1;
                assert_eq!(
                    (seen.active.as_str(), seen.pinned()),
                    ("green", 1),
                    "while pinned: {}",
                    seen.state
                );
                seen.pending != "blue" && polls < 150
            })
            .expect("rows during the switch"),
        "the query ended before the driver saw the announcement"
    );
    assert_strategy(
        &c.strategy(),
        "green",
        "blue",
        1,
        "switch announced while the cursor is open",
    );
    assert!(
        reader.read(&mut block, |_| true).is_ok_and(|more| !more),
        "rest of the rows"
    );
    assert_eq!((reader.count, reader.sum), (ROWS, series_sum(ROWS)));
    drop(block);
    assert_strategy(&c.strategy(), "blue", "", 0, "cursor closed");
    select_one(&c);
    assert_strategy(&c.strategy(), "blue", "", 0, "next call");

    let log = control::log(&engine);
    let stream = log
        .iter()
        .find(|e| e.count("getNextResultBatch") >= 10)
        .expect("streaming query in the log");
    assert_eq!(stream.prepared, "green");
    assert!(
        stream.all_calls_on("green"),
        "the pinned query was re-routed: {stream:?}"
    );
    let after = entries_after(&log, &stream.query_id);
    assert!(
        !after.is_empty() && after.iter().all(|e| e.prepared == "blue"),
        "{after:?}"
    );
}

/// Issue #6 item 1, fourth bullet, with the ingress's raw HTTP 456 (`mode` = `http`) or the gRPC
/// form (`grpc`): the old colour is withdrawn with no drain, twice. Only queries whose pinned
/// calls were in flight may fail (08S01, "re-run"); every other call is re-routed by the driver
/// within one retry and every connection goes on working.
fn abrupt_withdrawal(mode: &str) {
    let engine = engine(&["--reject-mode", mode]);
    let cs = conn_str(&engine);
    let mut plans = short_plans(6);
    plans.extend((0..2).map(|_| {
        let mut p = short_checks();
        p.push(series_check(20_000));
        p
    }));
    let traffic = Traffic::start(&cs, plans, FETCH_ROWS);
    sleep(Duration::from_secs(2));
    let first = traffic.elapsed();
    control::switch(&engine, "green", 0);
    sleep(Duration::from_secs(3));
    let second = traffic.elapsed();
    control::switch(&engine, "blue", 0);
    sleep(Duration::from_secs(3));
    let reports = traffic.finish();
    assert_only_pinned_losses(
        &reports,
        &["08S01"],
        2,
        second,
        &format!("abrupt withdrawal ({mode})"),
    );
    for r in &reports {
        assert!(
            r.ok_after(first) > 0,
            "worker {} idle after the first withdrawal",
            r.id
        );
        assert_eq!(
            r.final_active.as_deref(),
            Some("blue"),
            "worker {} did not follow the withdrawals",
            r.id
        );
    }
    let lost: usize = reports.iter().map(|r| r.events.len()).sum();
    let ok: u64 = reports.iter().map(|r| r.ok).sum();
    eprintln!(
        "abrupt withdrawal ({mode}): {ok} queries, {lost} lost on pinned calls, longest pause of a \
         connection {:.2} s",
        longest_pause(&reports).as_secs_f64()
    );
}

#[test]
fn abrupt_withdrawal_http_456_is_recovered_by_every_connection() {
    abrupt_withdrawal("http");
}

#[test]
fn abrupt_withdrawal_grpc_456_is_recovered_by_every_connection() {
    abrupt_withdrawal("grpc");
}

/// Issue #6 item 1, fifth bullet (suspension): the cluster is suspended during traffic and
/// nobody resumes it but the driver (auto-resume). Only calls of queries already running may
/// fail; every connection goes on working and the cluster ends active.
#[test]
fn suspend_during_traffic_is_resumed_by_the_driver() {
    let engine = engine(&["--resume-secs", "1"]);
    let traffic = Traffic::start(&conn_str(&engine), short_plans(6), FETCH_ROWS);
    sleep(Duration::from_millis(1500));
    let suspended_at = traffic.elapsed();
    // The reply is the state right after the suspension (the driver resumes within moments).
    let s: serde_json::Value =
        serde_json::from_str(&engine.ctl(&["suspend"])).expect("ctl suspend prints JSON");
    assert_eq!(control::str_field(&s, "cluster_status"), "suspended", "{s}");
    // Nobody but the driver resumes the cluster.
    let deadline = Instant::now() + Duration::from_secs(30);
    while control::str_field(&control::status(&engine), "cluster_status") != "active" {
        assert!(
            Instant::now() < deadline,
            "the driver did not resume the cluster within 30 s"
        );
        sleep(Duration::from_millis(100));
    }
    let resumed_at = traffic.elapsed();
    sleep(Duration::from_secs(2));
    let reports = traffic.finish();
    assert_only_pinned_losses(
        &reports,
        &["08001", "08S01"],
        1,
        resumed_at,
        "suspend during traffic",
    );
    eprintln!(
        "suspend: cluster active again {:.1} s after the suspension; longest pause between two \
         successful queries of one connection {:.1} s",
        (resumed_at - suspended_at).as_secs_f64(),
        longest_pause(&reports).as_secs_f64()
    );
}

/// Issue #6 item 1, fifth bullet (session expiry): every session is expired during traffic.
/// Replay-safe calls re-authenticate transparently; a fetch in progress gets a clear 08S01.
#[test]
fn session_expiry_reauthenticates_replay_safe_calls_and_fails_a_fetch_in_progress() {
    let engine = engine(&[]);
    let reader_conn = open(&engine);
    let mut cursor = reader_conn
        .execute(&series_check(200_000).sql)
        .expect("execute")
        .expect("cursor");
    let buffer = TextRowSet::for_cursor(100, &mut cursor, Some(64)).expect("buffer");
    let mut block = cursor.bind_buffer(buffer).expect("bind");
    let mut reader = SeriesReader { count: 0, sum: 0 };
    assert!(reader.read(&mut block, |n| n < 1).expect("first rows"));

    let traffic = Traffic::start(&conn_str(&engine), short_plans(6), FETCH_ROWS);
    sleep(Duration::from_secs(1));
    let expired_at = traffic.elapsed();
    let out = engine.ctl(&["expire-sessions"]);
    assert!(out.contains("expired_sessions"), "{out}");

    let failure = match reader.read(&mut block, |_| true) {
        Ok(more) => panic!(
            "the fetch in progress survived the session expiry (more={more}, rows={})",
            reader.count
        ),
        Err(f) => f,
    };
    drop(block);
    assert_eq!(failure.sqlstate, "08S01", "{failure}");
    assert!(
        failure.message.to_lowercase().contains("session"),
        "the message should say why: {failure}"
    );

    sleep(Duration::from_secs(2));
    let reports = traffic.finish();
    assert_only_pinned_losses(&reports, &["08S01"], 1, expired_at, "session expiry");
    select_one(&reader_conn);
}
