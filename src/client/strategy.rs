//! The blue/green strategy store (spec §6), one per target, shared by every connection of
//! the process to that target.
//!
//! A *target* is `(host, port, lower-cased cluster name)` ([`TargetKey`]); [`store_for`]
//! returns the one [`StrategyStore`] of a target. The store holds:
//! - the **active** colour, used for new work (authenticate, browsing, prepare);
//! - the **pending** colour announced by the server (`new_strategy`), waiting for a safe point;
//! - the **pins**: one entry per in-flight query with the colour it was prepared under; every
//!   per-query RPC uses its query's own colour, never the active one;
//! - a **generation** counter that bumps whenever the active colour changes or the cache is
//!   cleared. Each connection remembers the generation its session was minted under and
//!   re-authenticates before its next non-query call or prepare when the two differ, so a
//!   switch reaches every connection of the target (not just the first one that looks);
//! - the time the active colour was last confirmed (`last_check_time`) and last changed
//!   (`last_transition_time`).
//!
//! Rules (spec §6.6): a pending colour is applied only while the target has **no** pinned
//! queries: right away when announced on an idle target, otherwise when the last pin is
//! released (clear, cancel, close, drop, failure or end of results). Pins are owned by
//! [`QueryPin`] guards, so they cannot leak: dropping the guard releases the pin.
//!
//! **Cache TTL.** The active colour is "fresh" for `strategy_cache_ttl` (default 300 s) after it
//! was last confirmed by a successful authenticate (or set by a switch). Fresh or not, it is
//! used as is for every call of an existing session. The TTL only matters when a connection
//! must authenticate (a new connection, or a session made stale by a switch): if the active
//! colour is older than the TTL, **and** no query of the target is pinned, **and** no colour
//! is pending, that authenticate runs full detection (blue first, then green) instead of
//! trusting the cached colour, and records what it found as the active colour (a change of
//! colour is a transition: the generation bumps and every other session re-authenticates).
//! A successful authenticate with the cached colour renews `last_check_time`.

use std::collections::HashMap;
use std::fmt;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use parking_lot::Mutex;
use tracing::{debug, info, warn};

/// One of the two deployment colours.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Colour {
    /// `blue`.
    Blue,
    /// `green`.
    Green,
}

impl Colour {
    /// The wire form: `"blue"` or `"green"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Colour::Blue => "blue",
            Colour::Green => "green",
        }
    }

    /// The other colour.
    pub fn other(self) -> Colour {
        match self {
            Colour::Blue => Colour::Green,
            Colour::Green => Colour::Blue,
        }
    }

    /// Parses `blue`/`green`, case-insensitively, ignoring surrounding white space.
    pub fn parse(s: &str) -> Option<Colour> {
        let s = s.trim();
        if s.eq_ignore_ascii_case("blue") {
            Some(Colour::Blue)
        } else if s.eq_ignore_ascii_case("green") {
            Some(Colour::Green)
        } else {
            None
        }
    }
}

impl fmt::Display for Colour {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Identifies a target: host (ASCII lower-cased), port and lower-cased cluster name.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TargetKey {
    /// Host name or address, lower-cased.
    pub host: String,
    /// Port.
    pub port: u16,
    /// Cluster name, lower-cased; `""` when none.
    pub cluster: String,
}

impl TargetKey {
    /// Builds a key, normalising the host and the cluster name.
    pub fn new(host: &str, port: u16, cluster: Option<&str>) -> Self {
        TargetKey {
            host: host.trim().to_ascii_lowercase(),
            port,
            cluster: cluster.map(|c| c.trim().to_lowercase()).unwrap_or_default(),
        }
    }
}

impl fmt::Display for TargetKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.host, self.port)?;
        if !self.cluster.is_empty() {
            write!(f, "/{}", self.cluster)?;
        }
        Ok(())
    }
}

/// A point-in-time view of a store, for diagnostics (the ODBC strategy attributes).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct StrategySnapshot {
    /// `host:port`, plus `/cluster` when a cluster name is set.
    pub target: String,
    /// Active colour (`"blue"`/`"green"`), if known.
    pub active: Option<String>,
    /// Pending colour, if one was announced and not applied yet.
    pub pending: Option<String>,
    /// Number of in-flight queries pinned to a colour.
    pub pinned_queries: usize,
    /// When the active colour was last confirmed (epoch seconds).
    pub last_check_time: Option<f64>,
    /// When the active colour last changed (epoch seconds).
    pub last_transition_time: Option<f64>,
    /// Bumps on every change of the active colour and every cache clear.
    pub generation: u64,
}

/// What an authenticate should do, decided from the cached state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AuthPlan {
    /// Use the cached active colour (and the other one on a 456).
    Cached(Colour),
    /// Detect: blue first, then green.
    Detect,
}

/// Outcome of [`StrategyStore::confirm`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Confirmed {
    /// The session is valid for the target at this generation.
    Fresh(u64),
    /// The target moved to another colour meanwhile: authenticate again with it.
    Moved(Colour),
}

#[derive(Debug)]
struct PinEntry {
    owner: u64,
    query_id: String,
    colour: Colour,
}

#[derive(Debug, Default)]
struct State {
    active: Option<Colour>,
    pending: Option<Colour>,
    pins: HashMap<u64, PinEntry>,
    last_check: Option<SystemTime>,
    last_transition: Option<SystemTime>,
    generation: u64,
}

/// The strategy state of one target. Thread-safe; obtain it with [`store_for`].
#[derive(Debug)]
pub struct StrategyStore {
    key: TargetKey,
    state: Mutex<State>,
    next_pin: AtomicU64,
    resume_lock: tokio::sync::Mutex<()>,
    resume_epoch: AtomicU64,
}

fn registry() -> &'static Mutex<HashMap<TargetKey, Arc<StrategyStore>>> {
    static REGISTRY: OnceLock<Mutex<HashMap<TargetKey, Arc<StrategyStore>>>> = OnceLock::new();
    REGISTRY.get_or_init(|| Mutex::new(HashMap::new()))
}

/// The process-wide store of `key` (created on first use).
pub fn store_for(key: &TargetKey) -> Arc<StrategyStore> {
    let mut map = registry().lock();
    Arc::clone(
        map.entry(key.clone())
            .or_insert_with(|| Arc::new(StrategyStore::new(key.clone()))),
    )
}

/// A fresh id for an owner of pins (one per connection).
pub(crate) fn next_owner_id() -> u64 {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

fn epoch_seconds(t: Option<SystemTime>) -> Option<f64> {
    t.and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map(|d| d.as_secs_f64())
}

impl StrategyStore {
    /// A store that is not registered process-wide (tests and tools). Connections always use
    /// [`store_for`].
    pub fn new(key: TargetKey) -> Self {
        StrategyStore {
            key,
            state: Mutex::new(State::default()),
            next_pin: AtomicU64::new(1),
            resume_lock: tokio::sync::Mutex::new(()),
            resume_epoch: AtomicU64::new(0),
        }
    }

    /// The target of this store.
    pub fn key(&self) -> &TargetKey {
        &self.key
    }

    /// The active colour, if known.
    pub fn active(&self) -> Option<Colour> {
        self.state.lock().active
    }

    /// The pending colour, if any.
    pub fn pending(&self) -> Option<Colour> {
        self.state.lock().pending
    }

    /// The current generation (see the module docs).
    pub fn generation(&self) -> u64 {
        self.state.lock().generation
    }

    /// Number of pinned queries.
    pub fn pinned_count(&self) -> usize {
        self.state.lock().pins.len()
    }

    /// Sets the active colour and marks it confirmed now. A change of colour is a transition:
    /// the generation bumps and a pending colour equal to the new one is dropped.
    pub fn set_active(&self, colour: Colour) {
        let mut st = self.state.lock();
        self.set_active_locked(&mut st, colour, "set");
    }

    fn set_active_locked(&self, st: &mut State, colour: Colour, why: &str) {
        let now = SystemTime::now();
        st.last_check = Some(now);
        if st.active != Some(colour) {
            info!(
                target = %self.key,
                from = st.active.map(Colour::as_str).unwrap_or("none"),
                to = colour.as_str(),
                reason = why,
                "blue/green: active colour changed"
            );
            st.active = Some(colour);
            st.last_transition = Some(now);
            st.generation += 1;
        }
        if st.pending == Some(colour) {
            st.pending = None;
        }
    }

    /// Records a colour announced by the server (`new_strategy`). Invalid values and the active
    /// colour are ignored; otherwise it becomes pending (replacing an older pending colour) and
    /// is applied at once if no query of the target is pinned. Returns `true` if recorded.
    pub fn set_pending(&self, announced: &str) -> bool {
        let Some(colour) = Colour::parse(announced) else {
            warn!(target = %self.key, value = announced, "blue/green: ignoring invalid new_strategy");
            return false;
        };
        let mut st = self.state.lock();
        if st.active == Some(colour) {
            debug!(target = %self.key, colour = colour.as_str(), "blue/green: announcement equals the active colour");
            return false;
        }
        if st.pending != Some(colour) {
            info!(
                target = %self.key,
                active = st.active.map(Colour::as_str).unwrap_or("none"),
                pending = colour.as_str(),
                pinned = st.pins.len(),
                "blue/green: server announced a new colour"
            );
            st.pending = Some(colour);
        }
        self.apply_pending_locked(&mut st);
        true
    }

    /// Applies the pending colour if there is one and no query is pinned; returns `true` if it
    /// was applied. (Applying while queries are pinned is never done: they would be re-routed.)
    pub fn apply_pending(&self) -> bool {
        let mut st = self.state.lock();
        self.apply_pending_locked(&mut st)
    }

    fn apply_pending_locked(&self, st: &mut State) -> bool {
        match st.pending {
            Some(colour) if st.pins.is_empty() => {
                st.pending = None;
                let now = SystemTime::now();
                info!(
                    target = %self.key,
                    from = st.active.map(Colour::as_str).unwrap_or("none"),
                    to = colour.as_str(),
                    "blue/green: pending colour applied; sessions of this target will re-authenticate"
                );
                st.active = Some(colour);
                st.last_check = Some(now);
                st.last_transition = Some(now);
                st.generation += 1;
                true
            }
            _ => false,
        }
    }

    /// Forgets the active and pending colours (the next authenticate detects again) and bumps
    /// the generation. Pins stay: they belong to running queries, which keep their colour and
    /// release their pins themselves.
    pub fn clear_cache(&self) {
        let mut st = self.state.lock();
        info!(
            target = %self.key,
            active = st.active.map(Colour::as_str).unwrap_or("none"),
            "blue/green: colour cache cleared"
        );
        st.active = None;
        st.pending = None;
        st.last_check = None;
        st.generation += 1;
    }

    /// After a 456 on a non-query call made with `failed`: switches the active colour to the
    /// other one, unless another caller already moved it away from `failed`. Returns the colour
    /// to use now.
    pub fn flip_from(&self, failed: Colour) -> Colour {
        let mut st = self.state.lock();
        match st.active {
            Some(active) if active != failed => active,
            _ => {
                self.set_active_locked(&mut st, failed.other(), "456 on the previous colour");
                failed.other()
            }
        }
    }

    /// Pins `query_id` (owned by connection `owner`) to `colour` until the returned guard is
    /// released or dropped.
    pub fn register_query(
        self: &Arc<Self>,
        owner: u64,
        query_id: &str,
        colour: Colour,
    ) -> QueryPin {
        let id = self.next_pin.fetch_add(1, Ordering::Relaxed);
        self.state.lock().pins.insert(
            id,
            PinEntry {
                owner,
                query_id: query_id.to_owned(),
                colour,
            },
        );
        debug!(target = %self.key, query_id, colour = colour.as_str(), "blue/green: query pinned");
        QueryPin {
            store: Arc::clone(self),
            id,
            colour,
            released: AtomicBool::new(false),
        }
    }

    /// The colour `query_id` is pinned to, if it is pinned.
    pub fn query_colour(&self, query_id: &str) -> Option<Colour> {
        self.state
            .lock()
            .pins
            .values()
            .find(|p| p.query_id == query_id)
            .map(|p| p.colour)
    }

    /// Removes every pin of `query_id`, then applies a pending colour if nothing is pinned any
    /// more. Returns the number of pins removed.
    pub fn cleanup_query(&self, query_id: &str) -> usize {
        let mut st = self.state.lock();
        let before = st.pins.len();
        st.pins.retain(|_, p| p.query_id != query_id);
        let removed = before - st.pins.len();
        self.apply_pending_locked(&mut st);
        removed
    }

    /// Removes every pin owned by connection `owner` (connection close); applies a pending
    /// colour if nothing is pinned any more. Returns the number of pins removed.
    pub fn release_owner(&self, owner: u64) -> usize {
        let mut st = self.state.lock();
        let before = st.pins.len();
        st.pins.retain(|_, p| p.owner != owner);
        let removed = before - st.pins.len();
        if removed > 0 {
            debug!(target = %self.key, owner, removed, "blue/green: connection pins released");
        }
        self.apply_pending_locked(&mut st);
        removed
    }

    fn release_pin(&self, id: u64) {
        let mut st = self.state.lock();
        if let Some(p) = st.pins.remove(&id) {
            debug!(target = %self.key, query_id = %p.query_id, "blue/green: query unpinned");
        }
        self.apply_pending_locked(&mut st);
    }

    /// The gRPC headers of a call: `strategy` (the given colour, else the active one, else none),
    /// `cluster-name` (when the target has one) and `plannerip` (when given).
    pub fn headers(
        &self,
        colour: Option<Colour>,
        planner_ip: Option<&str>,
    ) -> Vec<(&'static str, String)> {
        let mut out = Vec::with_capacity(3);
        if let Some(c) = colour.or_else(|| self.active()) {
            out.push(("strategy", c.as_str().to_owned()));
        }
        if !self.key.cluster.is_empty() {
            out.push(("cluster-name", self.key.cluster.clone()));
        }
        if let Some(ip) = planner_ip.filter(|ip| !ip.is_empty()) {
            out.push(("plannerip", ip.to_owned()));
        }
        out
    }

    /// A diagnostic snapshot.
    pub fn snapshot(&self) -> StrategySnapshot {
        let st = self.state.lock();
        StrategySnapshot {
            target: self.key.to_string(),
            active: st.active.map(|c| c.as_str().to_owned()),
            pending: st.pending.map(|c| c.as_str().to_owned()),
            pinned_queries: st.pins.len(),
            last_check_time: epoch_seconds(st.last_check),
            last_transition_time: epoch_seconds(st.last_transition),
            generation: st.generation,
        }
    }

    /// How the next authenticate should choose its colour, and the generation it was decided at.
    pub(crate) fn auth_plan(&self, ttl: Duration) -> (AuthPlan, u64) {
        let st = self.state.lock();
        let plan = match st.active {
            None => AuthPlan::Detect,
            Some(active) => {
                let expired = st
                    .last_check
                    .and_then(|t| t.elapsed().ok())
                    .is_none_or(|age| age > ttl);
                if expired && st.pins.is_empty() && st.pending.is_none() {
                    debug!(target = %self.key, active = active.as_str(), "blue/green: cached colour older than the TTL; detecting");
                    AuthPlan::Detect
                } else {
                    AuthPlan::Cached(active)
                }
            }
        };
        (plan, st.generation)
    }

    /// Records a successful authenticate with `colour`, planned at generation `plan_gen`.
    /// If nothing changed meanwhile, `colour` becomes (or stays) active and is marked confirmed.
    /// If another caller changed the state meanwhile, the session stays valid only if `colour`
    /// is still the active colour.
    pub(crate) fn confirm(&self, colour: Colour, plan_gen: u64) -> Confirmed {
        let mut st = self.state.lock();
        if st.generation == plan_gen || st.active.is_none() {
            self.set_active_locked(&mut st, colour, "authenticate succeeded");
            return Confirmed::Fresh(st.generation);
        }
        match st.active {
            Some(active) if active != colour => Confirmed::Moved(active),
            _ => {
                st.last_check = Some(SystemTime::now());
                Confirmed::Fresh(st.generation)
            }
        }
    }

    /// Serialises resumes of this target.
    pub(crate) fn resume_lock(&self) -> &tokio::sync::Mutex<()> {
        &self.resume_lock
    }

    /// Counts successful resumes of this target.
    pub(crate) fn resume_epoch(&self) -> u64 {
        self.resume_epoch.load(Ordering::Acquire)
    }

    pub(crate) fn resume_succeeded(&self) {
        self.resume_epoch.fetch_add(1, Ordering::AcqRel);
    }
}

/// A query's pin. Releasing it (or dropping it) removes the pin; releasing twice is harmless.
#[derive(Debug)]
pub struct QueryPin {
    store: Arc<StrategyStore>,
    id: u64,
    colour: Colour,
    released: AtomicBool,
}

impl QueryPin {
    /// The colour the query is pinned to.
    pub fn colour(&self) -> Colour {
        self.colour
    }

    /// `true` once released.
    pub fn is_released(&self) -> bool {
        self.released.load(Ordering::Acquire)
    }

    /// Removes the pin (and applies a pending colour if nothing is pinned any more).
    pub fn release(&self) {
        if !self.released.swap(true, Ordering::AcqRel) {
            self.store.release_pin(self.id);
        }
    }
}

impl Drop for QueryPin {
    fn drop(&mut self) {
        self.release();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store() -> Arc<StrategyStore> {
        Arc::new(StrategyStore::new(TargetKey::new("H", 1, Some("C"))))
    }

    #[test]
    fn colour_parse_and_names() {
        assert_eq!(Colour::parse(" Blue "), Some(Colour::Blue));
        assert_eq!(Colour::parse("GREEN"), Some(Colour::Green));
        assert_eq!(Colour::parse("red"), None);
        assert_eq!(Colour::Blue.other(), Colour::Green);
        assert_eq!(Colour::Green.as_str(), "green");
    }

    #[test]
    fn target_key_normalises() {
        let k = TargetKey::new("Host.Example", 443, Some("MyCluster"));
        assert_eq!(k.host, "host.example");
        assert_eq!(k.cluster, "mycluster");
        assert_eq!(k.to_string(), "host.example:443/mycluster");
        assert_eq!(TargetKey::new("h", 1, None).to_string(), "h:1");
        assert!(Arc::ptr_eq(
            &store_for(&TargetKey::new("reg-test", 1, Some("X"))),
            &store_for(&TargetKey::new("REG-TEST", 1, Some("x")))
        ));
    }

    #[test]
    fn pending_is_validated_and_deferred_while_pinned() {
        let s = store();
        s.set_active(Colour::Blue);
        let g = s.generation();
        assert!(!s.set_pending("purple"));
        assert!(!s.set_pending("BLUE"));
        assert_eq!(s.pending(), None);
        let pin = s.register_query(1, "q1", Colour::Blue);
        assert!(s.set_pending(" Green"));
        assert_eq!(s.pending(), Some(Colour::Green));
        assert_eq!(s.active(), Some(Colour::Blue));
        assert!(!s.apply_pending());
        pin.release();
        assert_eq!(s.active(), Some(Colour::Green));
        assert_eq!(s.pending(), None);
        assert_eq!(s.generation(), g + 1);
        pin.release();
        assert_eq!(s.generation(), g + 1);
    }

    #[test]
    fn pending_applies_at_once_on_an_idle_target() {
        let s = store();
        s.set_active(Colour::Blue);
        assert!(s.set_pending("green"));
        assert_eq!(s.active(), Some(Colour::Green));
        assert_eq!(s.pending(), None);
    }

    #[test]
    fn pins_are_released_by_drop_owner_and_query_id() {
        let s = store();
        let a = s.register_query(7, "qa", Colour::Blue);
        let _b = s.register_query(7, "qb", Colour::Blue);
        let c = s.register_query(8, "qc", Colour::Green);
        assert_eq!(s.pinned_count(), 3);
        assert_eq!(s.query_colour("qc"), Some(Colour::Green));
        drop(a);
        assert_eq!(s.pinned_count(), 2);
        assert_eq!(s.release_owner(7), 1);
        assert_eq!(s.cleanup_query("qc"), 1);
        assert_eq!(s.pinned_count(), 0);
        c.release();
        assert_eq!(s.pinned_count(), 0);
    }

    #[test]
    fn clear_cache_and_flip() {
        let s = store();
        s.set_active(Colour::Blue);
        let g = s.generation();
        assert_eq!(s.flip_from(Colour::Blue), Colour::Green);
        assert_eq!(s.generation(), g + 1);
        // A second caller that also failed on blue does not flip back.
        assert_eq!(s.flip_from(Colour::Blue), Colour::Green);
        assert_eq!(s.generation(), g + 1);
        s.clear_cache();
        assert_eq!(s.active(), None);
        assert_eq!(s.generation(), g + 2);
        assert_eq!(s.auth_plan(Duration::from_secs(300)).0, AuthPlan::Detect);
    }

    #[test]
    fn ttl_forces_detection_only_when_idle() {
        let s = store();
        s.set_active(Colour::Green);
        assert_eq!(
            s.auth_plan(Duration::from_secs(300)).0,
            AuthPlan::Cached(Colour::Green)
        );
        assert_eq!(s.auth_plan(Duration::ZERO).0, AuthPlan::Detect);
        let pin = s.register_query(1, "q", Colour::Green);
        assert_eq!(
            s.auth_plan(Duration::ZERO).0,
            AuthPlan::Cached(Colour::Green)
        );
        drop(pin);
        assert_eq!(s.auth_plan(Duration::ZERO).0, AuthPlan::Detect);
    }

    #[test]
    fn confirm_respects_concurrent_moves() {
        let s = store();
        let (_, g) = s.auth_plan(Duration::from_secs(300));
        assert_eq!(s.confirm(Colour::Blue, g), Confirmed::Fresh(g + 1));
        let (_, g2) = s.auth_plan(Duration::from_secs(300));
        s.set_active(Colour::Green);
        assert_eq!(s.confirm(Colour::Blue, g2), Confirmed::Moved(Colour::Green));
        assert_eq!(s.confirm(Colour::Green, g2), Confirmed::Fresh(g2 + 1));
    }

    #[test]
    fn headers_and_snapshot() {
        let s = store();
        assert_eq!(
            s.headers(None, None),
            vec![("cluster-name", "c".to_owned())]
        );
        s.set_active(Colour::Blue);
        assert_eq!(
            s.headers(Some(Colour::Green), Some("10.0.0.1")),
            vec![
                ("strategy", "green".to_owned()),
                ("cluster-name", "c".to_owned()),
                ("plannerip", "10.0.0.1".to_owned())
            ]
        );
        let snap = s.snapshot();
        assert_eq!(snap.target, "h:1/c");
        assert_eq!(snap.active.as_deref(), Some("blue"));
        assert!(snap.last_check_time.is_some());
        let json = serde_json::to_string(&snap).unwrap_or_default();
        assert!(json.contains("\"active\":\"blue\""));
        assert!(json.contains("\"pending\":null"));
    }
}
