//! The per-query colour log behind `ctl log`: for each query, the colour it was prepared under
//! and the `strategy` header of every later call on it. Bounded: the oldest queries are dropped
//! first, and a query keeps at most [`MAX_CALLS_PER_QUERY`] call entries.

use std::collections::{HashMap, VecDeque};

use parking_lot::Mutex;

/// Queries kept in the log.
pub const MAX_QUERIES: usize = 10_000;
/// Calls kept per query.
pub const MAX_CALLS_PER_QUERY: usize = 10_000;

/// One call on a query.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CallEntry {
    /// RPC name, e.g. `getNextResultBatch`.
    pub rpc: &'static str,
    /// The call's `strategy` header, or `none`.
    pub colour: String,
}

/// One query's history.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct QueryEntry {
    /// The query id.
    pub query_id: String,
    /// Colour the query was prepared under (its header, or the active colour without one).
    pub prepared_colour: String,
    /// Calls after the prepare, in order.
    pub calls: Vec<CallEntry>,
    /// Calls dropped beyond [`MAX_CALLS_PER_QUERY`].
    pub calls_dropped: usize,
}

#[derive(Default)]
struct Inner {
    entries: HashMap<String, QueryEntry>,
    order: VecDeque<String>,
}

/// The log.
#[derive(Default)]
pub struct ColourLog {
    inner: Mutex<Inner>,
}

impl ColourLog {
    /// Records a prepared query.
    pub fn prepared(&self, query_id: &str, colour: &str) {
        let mut inner = self.inner.lock();
        if inner.order.len() >= MAX_QUERIES
            && let Some(old) = inner.order.pop_front()
        {
            inner.entries.remove(&old);
        }
        inner.order.push_back(query_id.to_owned());
        inner.entries.insert(
            query_id.to_owned(),
            QueryEntry {
                query_id: query_id.to_owned(),
                prepared_colour: colour.to_owned(),
                calls: Vec::new(),
                calls_dropped: 0,
            },
        );
    }

    /// Records a call on a query (ignored for queries not in the log).
    pub fn call(&self, query_id: &str, rpc: &'static str, colour: &str) {
        let mut inner = self.inner.lock();
        if let Some(e) = inner.entries.get_mut(query_id) {
            if e.calls.len() < MAX_CALLS_PER_QUERY {
                e.calls.push(CallEntry {
                    rpc,
                    colour: colour.to_owned(),
                });
            } else {
                e.calls_dropped += 1;
            }
        }
    }

    /// Every entry, oldest query first.
    pub fn snapshot(&self) -> Vec<QueryEntry> {
        let inner = self.inner.lock();
        inner
            .order
            .iter()
            .filter_map(|id| inner.entries.get(id).cloned())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_prepare_colour_and_calls_in_order() {
        let log = ColourLog::default();
        log.prepared("q1", "blue");
        log.call("q1", "executeStatement", "blue");
        log.prepared("q2", "green");
        log.call("q1", "getNextResultBatch", "none");
        log.call("unknown", "clear", "blue");
        let snap = log.snapshot();
        assert_eq!(snap.len(), 2);
        assert_eq!(snap[0].query_id, "q1");
        assert_eq!(snap[0].prepared_colour, "blue");
        assert_eq!(
            snap[0].calls.iter().map(|c| c.rpc).collect::<Vec<_>>(),
            vec!["executeStatement", "getNextResultBatch"]
        );
        assert_eq!(snap[0].calls[1].colour, "none");
        assert_eq!(snap[1].prepared_colour, "green");
    }

    #[test]
    fn oldest_queries_are_dropped_beyond_the_bound() {
        let log = ColourLog::default();
        for i in 0..=MAX_QUERIES {
            log.prepared(&format!("q{i}"), "blue");
        }
        let snap = log.snapshot();
        assert_eq!(snap.len(), MAX_QUERIES);
        assert_eq!(snap[0].query_id, "q1");
    }
}
