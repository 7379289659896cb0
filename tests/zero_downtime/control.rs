//! The engine's control plane as the scenarios use it: `ctl status` / `ctl log` parsed, colour
//! switches, and a background thread that flips the colour periodically.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::engine::Engine;

/// `ctl status`, parsed.
pub fn status(engine: &Engine) -> Value {
    let out = engine.ctl(&["status"]);
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("ctl status is not JSON ({e}): {out}"))
}

/// `active_strategy` of `ctl status`.
pub fn active(engine: &Engine) -> String {
    str_field(&status(engine), "active_strategy")
}

/// A string field of a JSON object (panics with the document when missing).
pub fn str_field(v: &Value, key: &str) -> String {
    v.get(key)
        .and_then(Value::as_str)
        .unwrap_or_else(|| panic!("no string {key:?} in {v}"))
        .to_string()
}

/// An integer field of a JSON object (panics with the document when missing).
pub fn u64_field(v: &Value, key: &str) -> u64 {
    v.get(key)
        .and_then(Value::as_u64)
        .unwrap_or_else(|| panic!("no integer {key:?} in {v}"))
}

/// Requests counted under `colour`.
pub fn requests_on(status: &Value, colour: &str) -> u64 {
    status
        .get("requests_by_colour")
        .and_then(|b| b.get(colour))
        .and_then(Value::as_u64)
        .unwrap_or_else(|| panic!("no requests_by_colour.{colour} in {status}"))
}

/// `ctl switch --to <to> --drain-secs <drain>`.
pub fn switch(engine: &Engine, to: &str, drain_secs: u64) -> Value {
    let out = engine.ctl(&[
        "switch",
        "--to",
        to,
        "--drain-secs",
        &drain_secs.to_string(),
    ]);
    serde_json::from_str(&out)
        .unwrap_or_else(|e| panic!("ctl switch reply is not JSON ({e}): {out}"))
}

/// The other colour.
pub fn other(colour: &str) -> &'static str {
    if colour == "blue" { "green" } else { "blue" }
}

/// Polls `ctl status` until `pred` holds (or panics after `timeout` with the last status).
pub fn wait_status(
    engine: &Engine,
    what: &str,
    timeout: Duration,
    pred: impl Fn(&Value) -> bool,
) -> Value {
    let deadline = Instant::now() + timeout;
    loop {
        let s = status(engine);
        if pred(&s) {
            return s;
        }
        assert!(
            Instant::now() < deadline,
            "timed out after {timeout:?} waiting for {what}; last status: {s}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// One query of `ctl log`.
#[derive(Debug, Clone)]
pub struct LogEntry {
    /// Query id.
    pub query_id: String,
    /// Colour it was prepared under.
    pub prepared: String,
    /// `(rpc, colour)` of every later call.
    pub calls: Vec<(String, String)>,
}

impl LogEntry {
    /// Number of calls of `rpc`.
    pub fn count(&self, rpc: &str) -> usize {
        self.calls.iter().filter(|(r, _)| r == rpc).count()
    }

    /// `true` when every call carried `colour`.
    pub fn all_calls_on(&self, colour: &str) -> bool {
        self.calls.iter().all(|(_, c)| c == colour)
    }
}

/// `ctl log`, parsed (oldest query first).
pub fn log(engine: &Engine) -> Vec<LogEntry> {
    let out = engine.ctl(&["log"]);
    let v: Value =
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("ctl log is not JSON ({e}): {out}"));
    let list = v
        .as_array()
        .unwrap_or_else(|| panic!("ctl log is not a list: {v}"));
    list.iter()
        .map(|e| LogEntry {
            query_id: str_field(e, "query_id"),
            prepared: str_field(e, "prepared_colour"),
            calls: e
                .get("calls")
                .and_then(Value::as_array)
                .map(|calls| {
                    calls
                        .iter()
                        .map(|c| (str_field(c, "rpc"), str_field(c, "colour")))
                        .collect()
                })
                .unwrap_or_default(),
        })
        .collect()
}

/// A thread that switches the engine's colour every `period` with `drain_secs` of drain.
pub struct Flipper {
    stop: Arc<AtomicBool>,
    thread: JoinHandle<Vec<(Duration, String)>>,
}

impl Flipper {
    /// Starts flipping (first switch after one `period`). `epoch` is the time origin of the
    /// recorded switch times.
    pub fn start(
        engine: Arc<Engine>,
        period: Duration,
        drain_secs: u64,
        epoch: Instant,
    ) -> Flipper {
        let stop = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&stop);
        let thread = std::thread::Builder::new()
            .name("flipper".into())
            .spawn(move || {
                let mut switches = Vec::new();
                let mut colour = active(&engine);
                let mut next = Instant::now() + period;
                while !flag.load(Ordering::Acquire) {
                    if Instant::now() < next {
                        std::thread::sleep(Duration::from_millis(20));
                        continue;
                    }
                    let to = other(&colour);
                    switch(&engine, to, drain_secs);
                    switches.push((epoch.elapsed(), to.to_string()));
                    colour = to.to_string();
                    next += period;
                }
                switches
            })
            .expect("spawn flipper");
        Flipper { stop, thread }
    }

    /// Stops flipping; returns `(time since epoch, colour)` of every switch made.
    pub fn finish(self) -> Vec<(Duration, String)> {
        self.stop.store(true, Ordering::Release);
        self.thread.join().expect("flipper thread panicked")
    }
}
