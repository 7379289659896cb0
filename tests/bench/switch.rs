//! What a blue/green switch costs (issue #6 item 3). Not a test: `cargo bench --bench switch`.
//!
//! Starts one e6data-local and measures, in one run, a small query (`SELECT 1`: execute, fetch,
//! close) looped on several connections (one thread each):
//! - through the ODBC driver (odbc-api -> unixODBC -> libe6data_odbc.so), and
//! - through the e6data Python connector (`tests/bench/python_connector_bench.py`, run with
//!   `.venv/bin/python` when present, else `python3`), against the same engine;
//!
//! each once without switches ("steady") and once while the colour flips every second
//! ("switching"). It reports throughput, p50/p99 latency, errors, the engine's request count per
//! query (from `ctl status` `requests_by_colour`, before/after each phase) and the extra round
//! trips one switch costs, then a table with the driver/connector ratios.
//!
//! Binaries: `E6DATA_LOCAL_BIN` / `E6DATA_ODBC_DRIVER`, else the release build next to this
//! benchmark (for the driver: the one `cargo bench` builds with it), else the debug build (the
//! table says which). Tunables: `BENCH_SECS` (per phase, default 10), `BENCH_CONNECTIONS`
//! (default 4), `BENCH_FLIP_MS` (default 1000), `BENCH_DRAIN_SECS` (default 1).

#[path = "../support/driver.rs"]
mod driver;
#[path = "../support/engine.rs"]
mod engine;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Barrier;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use odbc_api::{ConnectionOptions, Cursor};
use serde_json::Value;

use engine::Engine;

/// One measured phase of one client.
#[derive(Debug, Default, Clone)]
struct Phase {
    queries: u64,
    errors: u64,
    error_samples: Vec<String>,
    elapsed: f64,
    latencies_ms: Vec<f64>,
    requests: u64,
    switches: usize,
}

impl Phase {
    fn qps(&self) -> f64 {
        self.queries as f64 / self.elapsed.max(1e-9)
    }

    fn percentile(&self, p: f64) -> f64 {
        if self.latencies_ms.is_empty() {
            return f64::NAN;
        }
        let mut v = self.latencies_ms.clone();
        v.sort_by(f64::total_cmp);
        let i = ((v.len() as f64 * p) as usize).min(v.len() - 1);
        v[i]
    }

    fn requests_per_query(&self) -> f64 {
        self.requests as f64 / (self.queries.max(1)) as f64
    }

    /// Round trips a switch costs beyond what the same queries cost without switches.
    fn extra_per_switch(&self, steady: &Phase) -> f64 {
        if self.switches == 0 {
            return f64::NAN;
        }
        let baseline = self.queries as f64 * steady.requests_per_query();
        (self.requests as f64 - baseline) / self.switches as f64
    }
}

fn env_u64(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// `$var`, else `<target>/release/<file>` (or `release/deps/<file>`, where `cargo bench` leaves
/// the driver it builds alongside this benchmark), else `<target>/debug/<file>`.
fn locate(var: &str, file: &str) -> PathBuf {
    if let Some(p) = std::env::var_os(var) {
        return PathBuf::from(p);
    }
    let exe = std::env::current_exe().expect("current_exe");
    let profile_dir = exe
        .parent()
        .and_then(Path::parent)
        .expect("target directory layout");
    for candidate in [profile_dir.join(file), profile_dir.join("deps").join(file)] {
        if candidate.exists() {
            return candidate;
        }
    }
    let debug = profile_dir
        .parent()
        .map(|t| t.join("debug").join(file))
        .expect("target directory");
    assert!(
        debug.exists(),
        "{file} not found in {} nor the debug build; build it (cargo build [--release] -p \
         e6data-local / -p e6data-odbc) or set {var}",
        profile_dir.display()
    );
    debug
}

fn status(engine: &Engine) -> Value {
    let out = engine.ctl(&["status"]);
    serde_json::from_str(&out).expect("ctl status prints JSON")
}

fn total_requests(engine: &Engine) -> u64 {
    let s = status(engine);
    ["blue", "green", "none"]
        .iter()
        .map(|c| s["requests_by_colour"][*c].as_u64().unwrap_or(0))
        .sum()
}

/// Flips the colour every `period` while `body` runs; returns its result and the switch count.
fn with_flips<T>(
    engine: &Engine,
    period: Option<Duration>,
    drain: u64,
    body: impl FnOnce() -> T,
) -> (T, usize) {
    let Some(period) = period else {
        return (body(), 0);
    };
    let stop = AtomicBool::new(false);
    std::thread::scope(|scope| {
        let flipper = scope.spawn(|| {
            let mut colour = status(engine)["active_strategy"]
                .as_str()
                .unwrap_or("blue")
                .to_string();
            let mut switches = 0;
            let mut next = Instant::now() + period;
            while !stop.load(Ordering::Acquire) {
                if Instant::now() < next {
                    std::thread::sleep(Duration::from_millis(5));
                    continue;
                }
                colour = if colour == "blue" {
                    "green".into()
                } else {
                    "blue".into()
                };
                engine.ctl(&[
                    "switch",
                    "--to",
                    &colour,
                    "--drain-secs",
                    &drain.to_string(),
                ]);
                switches += 1;
                next += period;
            }
            switches
        });
        let result = body();
        stop.store(true, Ordering::Release);
        (result, flipper.join().expect("flipper"))
    })
}

/// The driver: `connections` threads, each with its own ODBC connection, for `secs`.
fn driver_phase(conn_str: &str, connections: usize, secs: u64) -> Phase {
    let env = odbc_api::environment().expect("ODBC environment");
    let barrier = Barrier::new(connections + 1);
    let phases: Vec<Phase> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..connections)
            .map(|_| {
                scope.spawn(|| {
                    let mut p = Phase::default();
                    let conn =
                        env.connect_with_connection_string(conn_str, ConnectionOptions::default());
                    barrier.wait();
                    let conn = match conn {
                        Ok(c) => c,
                        Err(e) => {
                            p.errors += 1;
                            p.error_samples.push(format!("connect: {e}"));
                            return p;
                        }
                    };
                    let started = Instant::now();
                    let deadline = started + Duration::from_secs(secs);
                    while Instant::now() < deadline {
                        let t = Instant::now();
                        match select_one(&conn) {
                            Ok(()) => {
                                p.latencies_ms.push(t.elapsed().as_secs_f64() * 1000.0);
                                p.queries += 1;
                            }
                            Err(e) => {
                                p.errors += 1;
                                if p.error_samples.len() < 5 {
                                    p.error_samples.push(e);
                                }
                            }
                        }
                    }
                    p.elapsed = started.elapsed().as_secs_f64();
                    p
                })
            })
            .collect();
        barrier.wait();
        handles
            .into_iter()
            .map(|h| h.join().expect("driver thread"))
            .collect()
    });
    let mut total = Phase::default();
    for p in phases {
        total.queries += p.queries;
        total.errors += p.errors;
        total.error_samples.extend(p.error_samples);
        total.latencies_ms.extend(p.latencies_ms);
        total.elapsed = total.elapsed.max(p.elapsed);
    }
    total
}

fn select_one(conn: &odbc_api::Connection<'_>) -> Result<(), String> {
    let mut cursor = conn
        .execute("SELECT 1", (), None)
        .map_err(|e| e.to_string())?
        .ok_or("no result set")?;
    let mut values = Vec::new();
    while let Some(mut row) = cursor.next_row().map_err(|e| e.to_string())? {
        let mut v = 0i64;
        row.get_data(1, &mut v).map_err(|e| e.to_string())?;
        values.push(v);
    }
    if values == [1] {
        Ok(())
    } else {
        Err(format!("wrong answer {values:?}"))
    }
}

/// The Python connector: the helper script with `connections` threads, for `secs`.
fn connector_phase(
    python: &Path,
    engine: &Engine,
    connections: usize,
    secs: u64,
) -> Result<Phase, String> {
    let script =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/bench/python_connector_bench.py");
    let out = Command::new(python)
        .arg(&script)
        .args(["--host", &engine.host, "--port", &engine.port.to_string()])
        .args([
            "--secs",
            &secs.to_string(),
            "--threads",
            &connections.to_string(),
        ])
        .output()
        .map_err(|e| format!("cannot run {}: {e}", python.display()))?;
    if !out.status.success() {
        let stderr = String::from_utf8_lossy(&out.stderr);
        let tail: Vec<&str> = stderr.lines().rev().take(5).collect();
        return Err(format!(
            "{} failed: {}",
            script.display(),
            tail.into_iter().rev().collect::<Vec<_>>().join(" | ")
        ));
    }
    let stdout = String::from_utf8_lossy(&out.stdout);
    let line = stdout
        .lines()
        .last()
        .ok_or("the connector script printed nothing")?;
    let v: Value = serde_json::from_str(line)
        .map_err(|e| format!("bad JSON from the connector script: {e}"))?;
    Ok(Phase {
        queries: v["queries"].as_u64().unwrap_or(0),
        errors: v["errors"].as_u64().unwrap_or(0),
        error_samples: v["error_samples"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|s| s.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default(),
        elapsed: v["elapsed"].as_f64().unwrap_or(0.0),
        latencies_ms: v["latencies_ms"]
            .as_array()
            .map(|a| a.iter().filter_map(Value::as_f64).collect())
            .unwrap_or_default(),
        ..Phase::default()
    })
}

/// Runs `run` as one phase: counts the engine's requests around it and flips if asked.
fn measure(
    engine: &Engine,
    flip: Option<Duration>,
    drain: u64,
    run: impl FnOnce() -> Result<Phase, String>,
) -> Result<Phase, String> {
    // Let a previous phase's drain end so both colours start from the same state.
    std::thread::sleep(Duration::from_millis(drain * 1000 + 500));
    let before = total_requests(engine);
    let (phase, switches) = with_flips(engine, flip, drain, run);
    let mut phase = phase?;
    phase.requests = total_requests(engine) - before;
    phase.switches = switches;
    Ok(phase)
}

fn fmt(v: f64, digits: usize) -> String {
    if v.is_finite() {
        format!("{v:.digits$}")
    } else {
        "n/a".into()
    }
}

fn ratio(a: f64, b: f64) -> String {
    if a.is_finite() && b.is_finite() && b != 0.0 {
        format!("{:.2}", a / b)
    } else {
        "n/a".into()
    }
}

fn main() {
    let engine_bin = locate("E6DATA_LOCAL_BIN", "e6data-local");
    let driver_so = locate("E6DATA_ODBC_DRIVER", "libe6data_odbc.so");
    // SAFETY: single-threaded here; the test-support helpers read these variables.
    unsafe {
        std::env::set_var("E6DATA_LOCAL_BIN", &engine_bin);
        std::env::set_var("E6DATA_ODBC_DRIVER", &driver_so);
    }
    let secs = env_u64("BENCH_SECS", 10);
    let connections = usize::try_from(env_u64("BENCH_CONNECTIONS", 4)).unwrap_or(4);
    let flip = Duration::from_millis(env_u64("BENCH_FLIP_MS", 1000));
    let drain = env_u64("BENCH_DRAIN_SECS", 1);
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let venv_python = repo.join(".venv/bin/python");
    let python = if venv_python.exists() {
        venv_python
    } else {
        PathBuf::from("python3")
    };

    let engine = Engine::start();
    let conn_str = driver::conn_str_with(&engine, "Catalog=local;Schema=tpch;");
    eprintln!(
        "switch bench: engine {} ({}), {secs} s per phase, {connections} connections",
        engine.addr,
        engine_bin.display()
    );

    let phases = [("steady", None), ("switching", Some(flip))];
    let mut driver_results = Vec::new();
    let mut connector_results = Vec::new();
    for (name, flip) in phases {
        eprintln!("driver, {name} ...");
        let d = measure(&engine, flip, drain, || {
            Ok(driver_phase(&conn_str, connections, secs))
        });
        eprintln!("connector, {name} ...");
        let c = measure(&engine, flip, drain, || {
            connector_phase(&python, &engine, connections, secs)
        });
        driver_results.push(d);
        connector_results.push(c);
    }

    let now = chrono::Local::now().format("%Y-%m-%d %H:%M %Z");
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    println!();
    println!("blue/green switch benchmark, {now}, {cores} cores");
    println!("  engine: {}", engine_bin.display());
    println!("  driver: {}", driver_so.display());
    println!(
        "  connector: e6data-python-connector via {}",
        python.display()
    );
    println!(
        "  workload: SELECT 1 (execute, fetch, close), {connections} connections x {secs} s per phase; \
         switching = flip every {} ms with --drain-secs {drain}",
        flip.as_millis()
    );
    println!();
    println!(
        "{:<34} {:>14} {:>14} {:>18}",
        "", "driver (ODBC)", "py connector", "driver/connector"
    );
    for (i, (name, _)) in phases.iter().enumerate() {
        let d = driver_results[i].as_ref().ok();
        let c = connector_results[i].as_ref().ok();
        let row = |label: &str, f: &dyn Fn(&Phase) -> f64, digits: usize| {
            let dv = d.map_or(f64::NAN, f);
            let cv = c.map_or(f64::NAN, f);
            println!(
                "{:<34} {:>14} {:>14} {:>18}",
                format!("{name}: {label}"),
                fmt(dv, digits),
                fmt(cv, digits),
                ratio(dv, cv)
            );
        };
        row("throughput (queries/s)", &Phase::qps, 1);
        row("p50 latency (ms)", &|p| p.percentile(0.50), 2);
        row("p99 latency (ms)", &|p| p.percentile(0.99), 2);
        row("round trips per query", &Phase::requests_per_query, 2);
        row("failed queries", &|p| p.errors as f64, 0);
        if i > 0 {
            row("switches", &|p| p.switches as f64, 0);
            let steady_d = driver_results[0].as_ref().ok();
            let steady_c = connector_results[0].as_ref().ok();
            let dv = d
                .zip(steady_d)
                .map_or(f64::NAN, |(p, s)| p.extra_per_switch(s));
            let cv = c
                .zip(steady_c)
                .map_or(f64::NAN, |(p, s)| p.extra_per_switch(s));
            println!(
                "{:<34} {:>14} {:>14} {:>18}",
                format!("{name}: extra round trips/switch"),
                fmt(dv, 1),
                fmt(cv, 1),
                ratio(dv, cv)
            );
        }
    }
    for (who, results) in [
        ("driver", &driver_results),
        ("connector", &connector_results),
    ] {
        for (i, r) in results.iter().enumerate() {
            match r {
                Err(e) => println!("{who} {}: not measured: {e}", phases[i].0),
                Ok(p) if !p.error_samples.is_empty() => {
                    println!("{who} {} error samples:", phases[i].0);
                    for s in p.error_samples.iter().take(3) {
                        println!("    {}", s.split_whitespace().collect::<Vec<_>>().join(" "));
                    }
                }
                Ok(_) => {}
            }
        }
    }
}
