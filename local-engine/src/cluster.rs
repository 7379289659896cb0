//! The cluster's power state as ClusterService reports it (spec §2.4, §5.3): `active`,
//! `suspended`, or `resuming` for a fixed time after a resume request.

use std::time::{Duration, Instant};

/// Suspension state machine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cluster {
    /// Serving queries.
    Active,
    /// Every engine call answers 503.
    Suspended,
    /// Resume requested; serving again from `until` on.
    Resuming {
        /// When the cluster becomes active.
        until: Instant,
    },
}

impl Cluster {
    /// Settles a finished resume and returns the status string clients read.
    pub fn status(&mut self, now: Instant) -> &'static str {
        if let Cluster::Resuming { until } = *self
            && now >= until
        {
            *self = Cluster::Active;
        }
        match self {
            Cluster::Active => "active",
            Cluster::Suspended => "suspended",
            Cluster::Resuming { .. } => "resuming",
        }
    }

    /// Whether engine calls are served.
    pub fn serving(&mut self, now: Instant) -> bool {
        self.status(now) == "active"
    }

    /// Suspends the cluster (also aborts a resume in progress).
    pub fn suspend(&mut self) {
        *self = Cluster::Suspended;
    }

    /// Starts resuming a suspended cluster, which then takes `delay`; returns the new status.
    pub fn resume(&mut self, now: Instant, delay: Duration) -> &'static str {
        if *self == Cluster::Suspended {
            *self = Cluster::Resuming { until: now + delay };
        }
        self.status(now)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suspended_then_resuming_then_active() {
        let now = Instant::now();
        let mut c = Cluster::Active;
        assert!(c.serving(now));
        c.suspend();
        assert_eq!(c.status(now), "suspended");
        assert!(!c.serving(now));
        assert_eq!(c.resume(now, Duration::from_secs(2)), "resuming");
        assert!(!c.serving(now + Duration::from_secs(1)));
        assert_eq!(c.status(now + Duration::from_secs(2)), "active");
        assert!(c.serving(now + Duration::from_secs(2)));
    }

    #[test]
    fn resume_when_active_or_instant() {
        let now = Instant::now();
        let mut c = Cluster::Active;
        assert_eq!(c.resume(now, Duration::from_secs(5)), "active");
        c.suspend();
        assert_eq!(c.resume(now, Duration::ZERO), "active");
    }
}
