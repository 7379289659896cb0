//! The query mix of the scenarios (every query has a known answer) and the worker threads that
//! run it in a loop on their own ODBC connection, recording every failure and wrong answer with
//! the time it happened.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use super::odbc::{Conn, Failure, fetch_sum, fetch_text};

/// What a query must return.
#[derive(Debug, Clone)]
pub enum Expect {
    /// Exactly these rows, as text, in this order.
    Rows(Vec<Vec<&'static str>>),
    /// One integer column: this many rows summing to this.
    Series { rows: u64, sum: i128 },
}

/// A query with its known answer.
#[derive(Debug, Clone)]
pub struct Check {
    /// Short name for reports.
    pub name: &'static str,
    /// SQL text.
    pub sql: String,
    /// The answer.
    pub expect: Expect,
}

/// Small queries with fixed answers on TPC-H SF 0.01 and `demo.numbers`.
pub fn short_checks() -> Vec<Check> {
    let one = |name, sql: &str, v: &'static str| Check {
        name,
        sql: sql.to_string(),
        expect: Expect::Rows(vec![vec![v]]),
    };
    vec![
        one(
            "lineitem-count",
            "SELECT count(*) FROM tpch.lineitem",
            "60175",
        ),
        one("select-1", "SELECT 1", "1"),
        one("orders-count", "SELECT count(*) FROM tpch.orders", "15000"),
        one(
            "numbers-sum-1000",
            "SELECT sum(n) FROM demo.numbers WHERE n <= 1000",
            "500500",
        ),
        one("nation-count", "SELECT count(*) FROM tpch.nation", "25"),
        Check {
            name: "regions",
            sql: "SELECT r_name FROM tpch.region ORDER BY r_regionkey".to_string(),
            expect: Expect::Rows(vec![
                vec!["AFRICA"],
                vec!["AMERICA"],
                vec!["ASIA"],
                vec!["EUROPE"],
                vec!["MIDDLE EAST"],
            ]),
        },
        Check {
            name: "nations-0-2",
            sql: "SELECT n_nationkey, n_name FROM tpch.nation WHERE n_nationkey < 3 \
                  ORDER BY n_nationkey"
                .to_string(),
            expect: Expect::Rows(vec![
                vec!["0", "ALGERIA"],
                vec!["1", "ARGENTINA"],
                vec!["2", "BRAZIL"],
            ]),
        },
    ]
}

/// A streaming query over `demo.numbers`: `rows` rows (many batches with a small
/// `--batch-rows`), checked by count and sum.
pub fn series_check(rows: u64) -> Check {
    Check {
        name: "numbers-series",
        sql: format!("SELECT n FROM demo.numbers WHERE n <= {rows}"),
        expect: Expect::Series {
            rows,
            sum: i128::from(rows) * (i128::from(rows) + 1) / 2,
        },
    }
}

/// Where a query failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Opening the connection.
    Connect,
    /// SQLExecDirect.
    Execute,
    /// SQLFetch.
    Fetch,
    /// The answer was wrong.
    Answer,
}

/// A failed or wrong query.
#[derive(Debug, Clone)]
pub struct QueryError {
    /// Where it failed.
    pub phase: Phase,
    /// What the application saw.
    pub failure: Failure,
}

impl QueryError {
    /// `true` when the failing RPC belongs to a query already pinned to a colour (execute,
    /// metadata, batches, clear): those may legitimately fail when their colour is withdrawn,
    /// suspended or their session expires; everything else must be retried by the driver.
    pub fn on_pinned_call(&self) -> bool {
        const PINNED_RPCS: [&str; 5] = [
            "executeStatement",
            "getResultMetadata",
            "getNextResultBatch",
            "clearOrCancelQuery",
            "cancelQuery",
        ];
        self.phase != Phase::Answer
            && PINNED_RPCS
                .iter()
                .any(|rpc| self.failure.message.contains(rpc))
    }
}

/// Runs one check on `conn`; `batch` rows per SQLFetch.
pub fn run_check(conn: &Conn, check: &Check, batch: usize) -> Result<(), QueryError> {
    let exec = |failure| QueryError {
        phase: Phase::Execute,
        failure,
    };
    let fetch = |failure| QueryError {
        phase: Phase::Fetch,
        failure,
    };
    let cursor = conn
        .execute(&check.sql)
        .map_err(exec)?
        .ok_or_else(|| exec(Failure::local("no result set")))?;
    let wrong = |what: String| QueryError {
        phase: Phase::Answer,
        failure: Failure::local(format!("{}: {what}", check.name)),
    };
    match &check.expect {
        Expect::Rows(expected) => {
            let rows = fetch_text(cursor, batch).map_err(fetch)?;
            let got: Vec<Vec<String>> = rows
                .into_iter()
                .map(|r| r.into_iter().map(|v| v.unwrap_or_default()).collect())
                .collect();
            if got != *expected {
                return Err(wrong(format!("expected {expected:?}, got {got:?}")));
            }
        }
        Expect::Series { rows, sum } => {
            let (n, s) = fetch_sum(cursor, batch, |_| {}).map_err(fetch)?;
            if (n, s) != (*rows, *sum) {
                return Err(wrong(format!(
                    "expected {rows} rows summing to {sum}, got {n} rows summing to {s}"
                )));
            }
        }
    }
    Ok(())
}

/// One recorded failure of a worker.
#[derive(Debug, Clone)]
pub struct Event {
    /// Time since the traffic started.
    pub at: Duration,
    /// Which check.
    pub check: &'static str,
    /// The error.
    pub error: QueryError,
}

/// What one worker did.
#[derive(Debug, Clone, Default)]
pub struct WorkerReport {
    /// Worker number.
    pub id: usize,
    /// Successful queries.
    pub ok: u64,
    /// Successful queries per check name.
    pub ok_by_check: std::collections::BTreeMap<&'static str, u64>,
    /// Times (since the start) of the successful queries.
    pub ok_at: Vec<Duration>,
    /// Failures and wrong answers.
    pub events: Vec<Event>,
    /// The strategy attributes read at the end (if the connection was open).
    pub final_active: Option<String>,
}

impl WorkerReport {
    /// Successful queries that finished after `t`.
    pub fn ok_after(&self, t: Duration) -> usize {
        self.ok_at.iter().filter(|&&x| x > t).count()
    }
}

/// Worker threads looping over their checks until stopped.
pub struct Traffic {
    stop: Arc<AtomicBool>,
    threads: Vec<JoinHandle<WorkerReport>>,
    /// When the traffic started.
    pub started: Instant,
}

impl Traffic {
    /// Starts one thread per plan; each opens its own connection with `conn_str` and runs its
    /// plan's checks round-robin (fetching `batch` rows per SQLFetch) until [`Traffic::finish`].
    pub fn start(conn_str: &str, plans: Vec<Vec<Check>>, batch: usize) -> Traffic {
        let stop = Arc::new(AtomicBool::new(false));
        let started = Instant::now();
        let threads = plans
            .into_iter()
            .enumerate()
            .map(|(id, plan)| {
                let stop = Arc::clone(&stop);
                let conn_str = conn_str.to_string();
                std::thread::Builder::new()
                    .name(format!("worker-{id}"))
                    .spawn(move || worker(id, &conn_str, &plan, batch, &stop, started))
                    .expect("spawn worker")
            })
            .collect();
        Traffic {
            stop,
            threads,
            started,
        }
    }

    /// Time since the start.
    pub fn elapsed(&self) -> Duration {
        self.started.elapsed()
    }

    /// Stops every worker and collects the reports.
    pub fn finish(self) -> Vec<WorkerReport> {
        self.stop.store(true, Ordering::Release);
        self.threads
            .into_iter()
            .map(|t| t.join().expect("worker thread panicked"))
            .collect()
    }
}

fn worker(
    id: usize,
    conn_str: &str,
    plan: &[Check],
    batch: usize,
    stop: &AtomicBool,
    started: Instant,
) -> WorkerReport {
    let mut report = WorkerReport {
        id,
        ..Default::default()
    };
    let conn = match Conn::open(conn_str) {
        Ok(c) => c,
        Err(failure) => {
            report.events.push(Event {
                at: started.elapsed(),
                check: "connect",
                error: QueryError {
                    phase: Phase::Connect,
                    failure,
                },
            });
            return report;
        }
    };
    let mut i = id;
    while !stop.load(Ordering::Acquire) {
        let Some(check) = plan.get(i % plan.len().max(1)) else {
            break;
        };
        i += 1;
        match run_check(&conn, check, batch) {
            Ok(()) => {
                report.ok += 1;
                *report.ok_by_check.entry(check.name).or_default() += 1;
                report.ok_at.push(started.elapsed());
            }
            Err(error) => report.events.push(Event {
                at: started.elapsed(),
                check: check.name,
                error,
            }),
        }
    }
    report.final_active = conn.attr_text(super::odbc::ATTR_ACTIVE).ok();
    report
}

/// Every event of every worker, in time order, as report lines.
pub fn describe_events(reports: &[WorkerReport], limit: usize) -> String {
    let mut all: Vec<(usize, &Event)> = reports
        .iter()
        .flat_map(|r| r.events.iter().map(move |e| (r.id, e)))
        .collect();
    all.sort_by_key(|(_, e)| e.at);
    let mut out: Vec<String> = all
        .iter()
        .take(limit)
        .map(|(id, e)| {
            format!(
                "  t={:.3}s worker {id} {} {:?}: {}",
                e.at.as_secs_f64(),
                e.check,
                e.error.phase,
                e.error.failure
            )
        })
        .collect();
    if all.len() > limit {
        out.push(format!("  ... and {} more", all.len() - limit));
    }
    out.join("\n")
}
