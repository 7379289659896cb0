//! The blue/green strategy store (spec §6), one per target, shared by every connection of
//! the process to that target.
//!
//! A *target* is `(host, port, lower-cased cluster name)` ([`TargetKey`]); [`store_for`]
//! returns the one [`StrategyStore`] of a target. The store holds:
//! - the **active** colour: the colour in force (connection attribute 16385);
//! - the **pending** colour: announced by the server (`new_strategy`) and not applied yet
//!   (attribute 16386);
//! - the **pins**: one entry per in-flight query with the colour it was prepared under; every
//!   per-query RPC uses its query's own colour, session and engine IP, never the store's;
//! - a **generation** counter that bumps whenever the active colour changes or the cache is
//!   cleared (diagnostics);
//! - a **routing epoch** that bumps whenever the colour for new work changes or the cache is
//!   cleared. Each connection remembers the epoch and colour its session was minted under and
//!   re-authenticates before its next non-query call or prepare when they no longer match, so a
//!   switch reaches every connection of the target (not just the first one that looks);
//! - the time the active colour was last confirmed (`last_check_time`) and last changed
//!   (`last_transition_time`).
//!
//! **New work moves to the announced colour at once.** The colour for new work (authenticate,
//! prepare, browsing, dry run) is `pending.or(active)`: as soon as a colour is announced, every
//! new statement goes to it, through a session authenticated on it. Queries already running
//! keep their own colour, session and engine IP until they end. The pending colour is
//! *applied* (active := pending, pending := none, generation + 1) once no query is pinned to
//! another colour; pins on the announced colour do not hold it back. The active colour thus
//! changes only when the old colour's queries are gone, while new work never waits for that.
//!
//! Why not wait (the Python connector, spec §6.4, sends new work to the old colour until its
//! query map is empty): the server drains the old deployment and withdraws it (456) when the
//! drain ends. With many busy connections the number of queries pinned to the old colour
//! almost never reaches zero, so new queries keep landing on the old deployment, keep it busy
//! and fail once the drain ends. Moving new work at once lets the old deployment drain by
//! itself: zero failed queries under continuous load.
//!
//! Corrections: an announcement of the active colour while another one is pending cancels the
//! pending one (the server went back); a 456 on a non-query call or an authenticate made with
//! the pending colour drops it, and new work returns to the active colour.
//!
//! Pins are owned by [`QueryPin`] guards, so they cannot leak: dropping the guard releases the
//! pin (and applies a pending colour when that was the last pin on another colour).
//!
//! **Cache TTL.** The active colour is "fresh" for `strategy_cache_ttl` (default 300 s) after it
//! was last confirmed by a successful authenticate (or set by a switch). Fresh or not, it is
//! used as is for every call of an existing session. The TTL only matters when a connection
//! must authenticate (a new connection, or a session made stale by a switch): if the active
//! colour is older than the TTL, **and** no query of the target is pinned, **and** no colour
//! is pending, that authenticate runs full detection (blue first, then green) instead of
//! trusting the cached colour, and records what it found as the active colour (a change of
//! colour is a transition: every other session re-authenticates).
//! A successful authenticate with the cached colour renews `last_check_time`.

use std::collections::HashMap;
use std::fmt;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use parking_lot::Mutex;
use tracing::{debug, info, warn};

/// One of the two deployment colours (serialized as its wire form).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
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

/// Pinned queries per colour (serialized as `{"blue": n, "green": n}`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct PinnedByColour {
    /// Queries pinned to blue.
    pub blue: usize,
    /// Queries pinned to green.
    pub green: usize,
}

/// A point-in-time view of a store, for diagnostics (the ODBC strategy attributes).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct StrategySnapshot {
    /// `host:port`, plus `/cluster` when a cluster name is set.
    pub target: String,
    /// Active (applied) colour (`"blue"`/`"green"`), if known.
    pub active: Option<String>,
    /// Pending colour, if one was announced and not applied yet. New work already uses it.
    pub pending: Option<String>,
    /// Number of in-flight queries pinned to a colour (all colours).
    pub pinned_queries: usize,
    /// The same count split by colour. While a colour is pending, the pins on the *other*
    /// colour are what holds the apply back.
    pub pinned_by_colour: PinnedByColour,
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
    /// Use the announced (pending) colour, then the other one on a 456.
    Announced(Colour),
    /// Use the cached active colour (and the other one on a 456).
    Cached(Colour),
    /// Detect: blue first, then green.
    Detect,
}

impl AuthPlan {
    /// The colours to try, in order.
    pub(crate) fn order(self) -> [Colour; 2] {
        match self {
            AuthPlan::Announced(c) | AuthPlan::Cached(c) => [c, c.other()],
            AuthPlan::Detect => [Colour::Blue, Colour::Green],
        }
    }
}

/// Outcome of [`StrategyStore::confirm`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Confirmed {
    /// The session is valid for new work of the target at this routing epoch.
    Fresh(u64),
    /// New work of the target moved to another colour meanwhile: authenticate again with it.
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
    epoch: u64,
}

impl State {
    /// The colour new work goes to.
    fn new_work(&self) -> Option<Colour> {
        self.pending.or(self.active)
    }

    /// Bumps the routing epoch if the colour for new work is no longer `before`.
    fn reroute_if_changed(&mut self, before: Option<Colour>) {
        if self.new_work() != before {
            self.epoch += 1;
        }
    }

    fn pinned_by_colour(&self) -> PinnedByColour {
        let mut out = PinnedByColour::default();
        for p in self.pins.values() {
            match p.colour {
                Colour::Blue => out.blue += 1,
                Colour::Green => out.green += 1,
            }
        }
        out
    }
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

fn name(c: Option<Colour>) -> &'static str {
    c.map(Colour::as_str).unwrap_or("none")
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

    /// The active (applied) colour, if known.
    pub fn active(&self) -> Option<Colour> {
        self.state.lock().active
    }

    /// The pending colour, if any.
    pub fn pending(&self) -> Option<Colour> {
        self.state.lock().pending
    }

    /// The colour new work goes to: the pending colour if one was announced, else the active one.
    pub fn new_work_colour(&self) -> Option<Colour> {
        self.state.lock().new_work()
    }

    /// The current generation (see the module docs).
    pub fn generation(&self) -> u64 {
        self.state.lock().generation
    }

    /// The current routing epoch (see the module docs).
    pub(crate) fn epoch(&self) -> u64 {
        self.state.lock().epoch
    }

    /// Number of pinned queries.
    pub fn pinned_count(&self) -> usize {
        self.state.lock().pins.len()
    }

    /// `true` if a session minted for `colour` at routing epoch `epoch` may still carry new
    /// work: nothing re-routed new work since, and it still goes to `colour`.
    pub(crate) fn session_is_current(&self, colour: Colour, epoch: u64) -> bool {
        let st = self.state.lock();
        st.epoch == epoch && st.new_work() == Some(colour)
    }

    /// Sets the active colour and marks it confirmed now. A change of colour is a transition:
    /// the generation bumps and a pending colour equal to the new one is dropped.
    pub fn set_active(&self, colour: Colour) {
        let mut st = self.state.lock();
        let before = st.new_work();
        self.set_active_locked(&mut st, colour, "set");
        st.reroute_if_changed(before);
    }

    fn set_active_locked(&self, st: &mut State, colour: Colour, why: &str) {
        let now = SystemTime::now();
        st.last_check = Some(now);
        if st.active != Some(colour) {
            info!(
                target = %self.key,
                from = name(st.active),
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

    /// Records a colour announced by the server (`new_strategy`). Invalid values are ignored.
    /// A colour other than the active one becomes pending (replacing an older pending colour):
    /// new work goes to it from now on, and it is applied at once if no query is pinned to
    /// another colour. The active colour cancels a pending one and is otherwise ignored.
    /// Returns `true` if the announcement changed or confirmed the pending colour.
    pub fn set_pending(&self, announced: &str) -> bool {
        let Some(colour) = Colour::parse(announced) else {
            warn!(target = %self.key, value = announced, "blue/green: ignoring invalid new_strategy");
            return false;
        };
        let mut st = self.state.lock();
        let before = st.new_work();
        if st.active == Some(colour) {
            let Some(dropped) = st.pending.take() else {
                debug!(target = %self.key, colour = colour.as_str(), "blue/green: announcement equals the active colour");
                return false;
            };
            info!(
                target = %self.key,
                active = colour.as_str(),
                dropped = dropped.as_str(),
                "blue/green: server announced the active colour again; pending colour cancelled, \
                 new work returns to the active colour"
            );
            st.reroute_if_changed(before);
            return true;
        }
        if st.pending != Some(colour) {
            let pins = st.pinned_by_colour();
            info!(
                target = %self.key,
                active = name(st.active),
                pending = colour.as_str(),
                pinned_blue = pins.blue,
                pinned_green = pins.green,
                "blue/green: server announced a new colour; new work moves to it, the active \
                 colour changes once the other colour's queries are done"
            );
            st.pending = Some(colour);
        }
        self.apply_pending_locked(&mut st);
        st.reroute_if_changed(before);
        true
    }

    /// Applies the pending colour if there is one and no query is pinned to another colour;
    /// returns `true` if it was applied. (Queries are never re-routed: they keep their pins.)
    pub fn apply_pending(&self) -> bool {
        let mut st = self.state.lock();
        self.apply_pending_locked(&mut st)
    }

    fn apply_pending_locked(&self, st: &mut State) -> bool {
        let Some(colour) = st.pending else {
            return false;
        };
        if st.pins.values().any(|p| p.colour != colour) {
            return false;
        }
        st.pending = None;
        let now = SystemTime::now();
        info!(
            target = %self.key,
            from = name(st.active),
            to = colour.as_str(),
            pinned = st.pins.len(),
            "blue/green: pending colour applied (no query left on the old colour)"
        );
        st.active = Some(colour);
        st.last_check = Some(now);
        st.last_transition = Some(now);
        st.generation += 1;
        true
    }

    /// Forgets the active and pending colours (the next authenticate detects again) and bumps
    /// the generation and the routing epoch. Pins stay: they belong to running queries, which
    /// keep their colour and release their pins themselves.
    pub fn clear_cache(&self) {
        let mut st = self.state.lock();
        info!(
            target = %self.key,
            active = name(st.active),
            pending = name(st.pending),
            "blue/green: colour cache cleared"
        );
        st.active = None;
        st.pending = None;
        st.last_check = None;
        st.generation += 1;
        st.epoch += 1;
    }

    /// After a 456 on a non-query call made with `failed`: moves new work away from `failed`,
    /// unless another caller already did. A rejected pending colour is dropped (new work
    /// returns to the active colour); a rejected active colour is replaced by the other one.
    /// Returns the colour to use now.
    pub fn flip_from(&self, failed: Colour) -> Colour {
        let mut st = self.state.lock();
        let before = st.new_work();
        let to = match before {
            Some(current) if current != failed => return current,
            _ if st.pending == Some(failed) => {
                st.pending = None;
                let to = match st.active {
                    Some(active) => active,
                    None => {
                        self.set_active_locked(
                            &mut st,
                            failed.other(),
                            "456 on the announced colour",
                        );
                        failed.other()
                    }
                };
                warn!(
                    target = %self.key,
                    rejected = failed.as_str(),
                    to = to.as_str(),
                    "blue/green: the announced colour rejected a call (456); pending colour \
                     dropped, new work returns to the active colour"
                );
                to
            }
            _ => {
                self.set_active_locked(&mut st, failed.other(), "456 on the previous colour");
                failed.other()
            }
        };
        st.reroute_if_changed(before);
        to
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

    /// Removes every pin of `query_id`, then applies a pending colour if no query is pinned to
    /// another colour any more. Returns the number of pins removed.
    pub fn cleanup_query(&self, query_id: &str) -> usize {
        let mut st = self.state.lock();
        let before = st.pins.len();
        st.pins.retain(|_, p| p.query_id != query_id);
        let removed = before - st.pins.len();
        self.apply_pending_locked(&mut st);
        removed
    }

    /// Removes every pin owned by connection `owner` (connection close); applies a pending
    /// colour if no query is pinned to another colour any more. Returns the number of pins
    /// removed.
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
            debug!(target = %self.key, query_id = %p.query_id, colour = p.colour.as_str(), "blue/green: query unpinned");
        }
        self.apply_pending_locked(&mut st);
    }

    /// The gRPC headers of a call: `strategy` (the given colour, else the colour for new work,
    /// else none), `cluster-name` (when the target has one) and `plannerip` (when given).
    pub fn headers(
        &self,
        colour: Option<Colour>,
        planner_ip: Option<&str>,
    ) -> Vec<(&'static str, String)> {
        let mut out = Vec::with_capacity(3);
        if let Some(c) = colour.or_else(|| self.new_work_colour()) {
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
            pinned_by_colour: st.pinned_by_colour(),
            last_check_time: epoch_seconds(st.last_check),
            last_transition_time: epoch_seconds(st.last_transition),
            generation: st.generation,
        }
    }

    /// How the next authenticate should choose its colour, and the routing epoch it was decided
    /// at: the pending colour first when one is announced, else the cached active colour, else
    /// (or when the cache TTL expired on an idle target) detection.
    pub(crate) fn auth_plan(&self, ttl: Duration) -> (AuthPlan, u64) {
        let st = self.state.lock();
        let plan = match (st.pending, st.active) {
            (Some(pending), _) => AuthPlan::Announced(pending),
            (None, None) => AuthPlan::Detect,
            (None, Some(active)) => {
                let expired = st
                    .last_check
                    .and_then(|t| t.elapsed().ok())
                    .is_none_or(|age| age > ttl);
                if expired && st.pins.is_empty() {
                    debug!(target = %self.key, active = active.as_str(), "blue/green: cached colour older than the TTL; detecting");
                    AuthPlan::Detect
                } else {
                    AuthPlan::Cached(active)
                }
            }
        };
        (plan, st.epoch)
    }

    /// Records a successful authenticate with `colour`, planned at routing epoch `plan_epoch`.
    ///
    /// If nothing was re-routed meanwhile: a session on the pending colour leaves the active
    /// colour alone (it changes only when the old colour's queries are gone); a session on any
    /// other colour makes it the active colour, marked confirmed, and drops a pending colour
    /// (which, being tried first, was rejected). If new work was re-routed meanwhile, the
    /// session stays valid only if new work still goes to `colour`.
    pub(crate) fn confirm(&self, colour: Colour, plan_epoch: u64) -> Confirmed {
        let mut st = self.state.lock();
        let before = st.new_work();
        if st.epoch == plan_epoch || before.is_none() {
            match st.pending {
                Some(pending) if pending == colour => {}
                Some(rejected) => {
                    warn!(
                        target = %self.key,
                        rejected = rejected.as_str(),
                        colour = colour.as_str(),
                        "blue/green: the announced colour rejected authenticate (456); pending \
                         colour dropped, new work stays on the active colour"
                    );
                    st.pending = None;
                    self.set_active_locked(&mut st, colour, "authenticate succeeded");
                }
                None => self.set_active_locked(&mut st, colour, "authenticate succeeded"),
            }
            st.reroute_if_changed(before);
            return Confirmed::Fresh(st.epoch);
        }
        match before {
            Some(current) if current != colour => Confirmed::Moved(current),
            _ => {
                if st.active == Some(colour) {
                    st.last_check = Some(SystemTime::now());
                }
                Confirmed::Fresh(st.epoch)
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

    /// Removes the pin (and applies a pending colour if no query is pinned to another colour
    /// any more).
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
    fn new_work_moves_at_once_and_only_old_pins_hold_the_apply() {
        let s = store();
        s.set_active(Colour::Blue);
        let (g, e) = (s.generation(), s.epoch());
        let old = s.register_query(1, "old", Colour::Blue);
        assert!(s.set_pending("green"));
        // New work goes to green at once; the active colour and the generation stay.
        assert_eq!(s.new_work_colour(), Some(Colour::Green));
        assert_eq!((s.active(), s.generation()), (Some(Colour::Blue), g));
        assert_eq!(s.epoch(), e + 1);
        assert!(!s.session_is_current(Colour::Blue, e));
        assert!(s.session_is_current(Colour::Green, e + 1));
        // A query on the announced colour does not hold the apply back.
        let new = s.register_query(2, "new", Colour::Green);
        assert!(!s.apply_pending());
        assert_eq!(
            s.snapshot().pinned_by_colour,
            PinnedByColour { blue: 1, green: 1 }
        );
        drop(old);
        assert_eq!(s.active(), Some(Colour::Green));
        assert_eq!(s.pending(), None);
        assert_eq!(s.generation(), g + 1);
        // New work did not move when the colour was applied: green sessions stay valid.
        assert_eq!(s.epoch(), e + 1);
        assert!(s.session_is_current(Colour::Green, e + 1));
        assert_eq!(s.pinned_count(), 1);
        drop(new);
    }

    #[test]
    fn announcing_the_active_colour_cancels_the_pending_one() {
        let s = store();
        s.set_active(Colour::Blue);
        let _pin = s.register_query(1, "q", Colour::Blue);
        assert!(s.set_pending("green"));
        let e = s.epoch();
        assert!(s.set_pending("blue"));
        assert_eq!(s.pending(), None);
        assert_eq!(s.new_work_colour(), Some(Colour::Blue));
        assert_eq!(s.epoch(), e + 1);
        assert!(!s.set_pending("blue"));
        assert_eq!(s.epoch(), e + 1);
    }

    #[test]
    fn a_rejected_pending_colour_is_dropped() {
        let s = store();
        s.set_active(Colour::Blue);
        let g = s.generation();
        let _pin = s.register_query(1, "q", Colour::Blue);
        s.set_pending("green");
        assert_eq!(s.flip_from(Colour::Green), Colour::Blue);
        assert_eq!((s.active(), s.pending()), (Some(Colour::Blue), None));
        assert_eq!(s.generation(), g);
        // A second caller that also failed on green keeps blue.
        assert_eq!(s.flip_from(Colour::Green), Colour::Blue);
        // Authenticate: the announced colour first; a fallback to the active one drops it.
        s.set_pending("green");
        let (plan, e) = s.auth_plan(Duration::from_secs(300));
        assert_eq!(plan, AuthPlan::Announced(Colour::Green));
        assert_eq!(plan.order(), [Colour::Green, Colour::Blue]);
        assert_eq!(s.confirm(Colour::Green, e), Confirmed::Fresh(e));
        assert_eq!(
            (s.active(), s.pending()),
            (Some(Colour::Blue), Some(Colour::Green))
        );
        assert_eq!(s.confirm(Colour::Blue, e), Confirmed::Fresh(e + 1));
        assert_eq!((s.active(), s.pending()), (Some(Colour::Blue), None));
        assert_eq!(s.generation(), g);
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
        let e = s.epoch();
        s.clear_cache();
        assert_eq!(s.active(), None);
        assert_eq!(s.generation(), g + 2);
        assert_eq!(s.epoch(), e + 1);
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
        let (_, e) = s.auth_plan(Duration::from_secs(300));
        assert_eq!(s.confirm(Colour::Blue, e), Confirmed::Fresh(e + 1));
        let (_, e2) = s.auth_plan(Duration::from_secs(300));
        s.set_active(Colour::Green);
        assert_eq!(s.confirm(Colour::Blue, e2), Confirmed::Moved(Colour::Green));
        assert_eq!(s.confirm(Colour::Green, e2), Confirmed::Fresh(e2 + 1));
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
        let _pin = s.register_query(1, "q", Colour::Blue);
        let snap = s.snapshot();
        assert_eq!(snap.target, "h:1/c");
        assert_eq!(snap.active.as_deref(), Some("blue"));
        assert!(snap.last_check_time.is_some());
        let json = serde_json::to_string(&snap).unwrap_or_default();
        assert!(json.contains("\"active\":\"blue\""));
        assert!(json.contains("\"pending\":null"));
        assert!(json.contains("\"pinned_queries\":1"));
        assert!(json.contains("\"pinned_by_colour\":{\"blue\":1,\"green\":0}"));
    }
}
