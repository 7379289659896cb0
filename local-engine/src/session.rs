//! Users (from `--user NAME:TOKEN`) and sessions with an idle TTL.
//!
//! A session id is an opaque random token; it stays valid while it is used at least once per TTL.
//! Sessions are shared by both colours (one session store behind the ingress).

use std::collections::HashMap;
use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use parking_lot::Mutex;

/// Message of the `INTERNAL` status for a missing, expired or unknown session (spec §5.1).
pub const ACCESS_DENIED: &str = "Access denied: session expired or invalid; re-authenticate";

/// Known users and their tokens (passwords).
#[derive(Clone, Default)]
pub struct Users {
    tokens: HashMap<String, String>,
}

impl std::fmt::Debug for Users {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Tokens are secrets: list the names only.
        f.debug_struct("Users")
            .field("names", &self.tokens.keys().collect::<Vec<_>>())
            .finish()
    }
}

/// A `--user` value that is not `NAME:TOKEN`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("--user expects NAME:TOKEN with a non-empty name and token (got a value without them)")]
pub struct BadUserSpec;

impl Users {
    /// Parses `NAME:TOKEN` specs; no spec at all means the single user `demo:demo`.
    pub fn from_specs(specs: &[String]) -> Result<Users, BadUserSpec> {
        let mut tokens = HashMap::new();
        if specs.is_empty() {
            tokens.insert("demo".to_owned(), "demo".to_owned());
        }
        for spec in specs {
            let (name, token) = spec.split_once(':').ok_or(BadUserSpec)?;
            if name.is_empty() || token.is_empty() {
                return Err(BadUserSpec);
            }
            tokens.insert(name.to_owned(), token.to_owned());
        }
        Ok(Users { tokens })
    }

    /// Whether `user` exists and `password` is its token.
    pub fn check(&self, user: &str, password: &str) -> bool {
        self.tokens.get(user).is_some_and(|t| t == password)
    }

    /// The user owning a bearer token (OAuth mode), if any.
    pub fn user_for_token(&self, token: &str) -> Option<&str> {
        self.tokens
            .iter()
            .find(|(_, t)| t.as_str() == token)
            .map(|(u, _)| u.as_str())
    }
}

struct Session {
    user: String,
    last_used: Instant,
}

/// The session store.
pub struct Sessions {
    ttl: Duration,
    map: Mutex<HashMap<String, Session>>,
    counter: AtomicU64,
    random: RandomState,
}

impl Sessions {
    /// An empty store whose sessions expire after `ttl` without use.
    pub fn new(ttl: Duration) -> Self {
        Sessions {
            ttl,
            map: Mutex::new(HashMap::new()),
            counter: AtomicU64::new(0),
            random: RandomState::new(),
        }
    }

    /// Opens a session for `user` and returns its id.
    pub fn open(&self, user: &str, now: Instant) -> String {
        let id = self.fresh_id();
        self.map.lock().insert(
            id.clone(),
            Session {
                user: user.to_owned(),
                last_used: now,
            },
        );
        id
    }

    /// The user of a live session (and refreshes its TTL); `None` when unknown or expired.
    pub fn touch(&self, id: &str, now: Instant) -> Option<String> {
        let mut map = self.map.lock();
        let live = map
            .get(id)
            .is_some_and(|s| now.duration_since(s.last_used) < self.ttl);
        if !live {
            map.remove(id);
            return None;
        }
        map.get_mut(id).map(|s| {
            s.last_used = now;
            s.user.clone()
        })
    }

    /// Forgets every session; returns how many there were.
    pub fn expire_all(&self) -> usize {
        let mut map = self.map.lock();
        let n = map.len();
        map.clear();
        n
    }

    /// Drops sessions idle for longer than the TTL.
    pub fn sweep(&self, now: Instant) {
        self.map
            .lock()
            .retain(|_, s| now.duration_since(s.last_used) < self.ttl);
    }

    /// Number of live (not yet swept) sessions.
    pub fn count(&self) -> usize {
        self.map.lock().len()
    }

    fn fresh_id(&self) -> String {
        let n = self.counter.fetch_add(1, Ordering::Relaxed);
        let mut hi = self.random.build_hasher();
        hi.write_u64(n);
        hi.write_u8(1);
        let mut lo = self.random.build_hasher();
        lo.write_u64(n);
        lo.write_u8(2);
        format!("{:016x}{:016x}", hi.finish(), lo.finish())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_user_is_demo() {
        let u = Users::from_specs(&[]).unwrap();
        assert!(u.check("demo", "demo"));
        assert!(!u.check("demo", "x"));
        assert_eq!(u.user_for_token("demo"), Some("demo"));
        assert_eq!(u.user_for_token("nope"), None);
    }

    #[test]
    fn user_specs_are_parsed_and_validated() {
        let u = Users::from_specs(&["a@x.io:t:with:colons".into(), "b:2".into()]).unwrap();
        assert!(u.check("a@x.io", "t:with:colons"));
        assert!(u.check("b", "2"));
        assert!(!u.check("demo", "demo"));
        assert_eq!(
            Users::from_specs(&["nocolon".into()]).unwrap_err(),
            BadUserSpec
        );
        assert_eq!(Users::from_specs(&[":t".into()]).unwrap_err(), BadUserSpec);
    }

    #[test]
    fn debug_hides_tokens() {
        let u = Users::from_specs(&["alice:s3cret".into()]).unwrap();
        let dbg = format!("{u:?}");
        assert!(dbg.contains("alice"));
        assert!(!dbg.contains("s3cret"));
    }

    #[test]
    fn sessions_expire_after_idle_ttl_and_on_demand() {
        let now = Instant::now();
        let s = Sessions::new(Duration::from_secs(10));
        let a = s.open("demo", now);
        let b = s.open("demo", now);
        assert_ne!(a, b);
        assert_eq!(a.len(), 32);
        assert_eq!(
            s.touch(&a, now + Duration::from_secs(9)).as_deref(),
            Some("demo")
        );
        // Touching slid the TTL of `a`, not of `b`.
        assert!(s.touch(&a, now + Duration::from_secs(18)).is_some());
        assert!(s.touch(&b, now + Duration::from_secs(18)).is_none());
        assert!(s.touch("unknown", now).is_none());
        assert_eq!(s.expire_all(), 1);
        assert!(s.touch(&a, now + Duration::from_secs(18)).is_none());
    }
}
