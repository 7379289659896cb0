//! Blue/green routing of the simulated deployment: which colours the ingress accepts, and the
//! transition started by `ctl switch` (spec §6.4, §10 items 4 and 13).
//!
//! A transition from `from` to `to` makes `to` the active colour at once, keeps accepting `from`
//! and announces `new_strategy = to` in every response. It ends (and `from` is rejected from then
//! on) when the drain deadline passes, or earlier when the last query still open on `from` is
//! closed. A drain of zero withdraws the old colour immediately. The operations that end a
//! transition return the withdrawn colour, whose deployment (and open queries) is then gone.

use std::time::{Duration, Instant};

/// One of the two deployment colours: the client's type, so both sides share one spelling.
pub use e6data_odbc::client::Colour;

/// A switch in progress.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Transition {
    /// The colour being withdrawn.
    pub from: Colour,
    /// The new active colour.
    pub to: Colour,
    /// When the old colour stops being accepted at the latest.
    pub deadline: Instant,
}

/// Routing state of the ingress.
#[derive(Debug, Clone)]
pub struct Routing {
    active: Colour,
    transition: Option<Transition>,
}

/// Why a switch request was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SwitchError {
    /// The requested colour already serves all traffic.
    #[error("{0} is already the active colour and no switch is in progress; nothing to do")]
    AlreadyActive(&'static str),
}

impl Routing {
    /// Starts with only `initial` accepted.
    pub fn new(initial: Colour) -> Self {
        Routing {
            active: initial,
            transition: None,
        }
    }

    /// The colour used for new work.
    pub fn active(&self) -> Colour {
        self.active
    }

    /// The switch in progress, if any.
    pub fn transition(&self) -> Option<Transition> {
        self.transition
    }

    /// Colours the ingress accepts right now (active first).
    pub fn accepted(&self) -> Vec<Colour> {
        let mut out = vec![self.active];
        if let Some(t) = self.transition {
            out.push(t.from);
        }
        out
    }

    /// Whether a request carrying `header` (the raw `strategy` value, if any) is routed.
    /// A missing header is accepted; an unknown value is not.
    pub fn accepts(&self, header: Option<&str>) -> bool {
        match header {
            None => true,
            Some(h) => Colour::parse(h).is_some_and(|c| self.accepted().contains(&c)),
        }
    }

    /// The colour announced as `new_strategy` in responses while a switch is in progress.
    pub fn announcement(&self) -> Option<Colour> {
        self.transition.map(|t| t.to)
    }

    /// Starts a switch to `to` and returns the colour withdrawn at once, if any (only with
    /// `drain == 0`). During a transition, switching to its new colour again only moves the
    /// deadline, and switching back to its old colour reverses it (both stay accepted).
    pub fn switch(
        &mut self,
        to: Colour,
        drain: Duration,
        now: Instant,
    ) -> Result<Option<Colour>, SwitchError> {
        let from = match self.transition {
            Some(t) if t.to == to => t.from,
            Some(t) => t.to,
            None if self.active == to => return Err(SwitchError::AlreadyActive(to.as_str())),
            None => self.active,
        };
        self.active = to;
        if drain.is_zero() {
            self.transition = None;
            Ok(Some(from))
        } else {
            self.transition = Some(Transition {
                from,
                to,
                deadline: now + drain,
            });
            Ok(None)
        }
    }

    /// Ends the transition if its drain deadline has passed; returns the withdrawn colour.
    pub fn expire(&mut self, now: Instant) -> Option<Colour> {
        match self.transition {
            Some(t) if now >= t.deadline => {
                self.transition = None;
                Some(t.from)
            }
            _ => None,
        }
    }

    /// Ends the transition when no query is open on its old colour any more (called when a
    /// query of that colour is closed); returns the withdrawn colour.
    pub fn finish_if_drained(&mut self, open_on_old: usize) -> Option<Colour> {
        match self.transition {
            Some(t) if open_on_old == 0 => {
                self.transition = None;
                Some(t.from)
            }
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DRAIN: Duration = Duration::from_secs(10);

    #[test]
    fn parse_is_case_insensitive_and_strict() {
        assert_eq!(Colour::parse(" Blue "), Some(Colour::Blue));
        assert_eq!(Colour::parse("GREEN"), Some(Colour::Green));
        assert_eq!(Colour::parse("purple"), None);
        assert_eq!(Colour::parse(""), None);
    }

    #[test]
    fn only_initial_colour_and_headerless_calls_are_accepted() {
        let r = Routing::new(Colour::Blue);
        assert!(r.accepts(Some("blue")));
        assert!(r.accepts(Some("BLUE")));
        assert!(!r.accepts(Some("green")));
        assert!(!r.accepts(Some("purple")));
        assert!(r.accepts(None));
        assert_eq!(r.announcement(), None);
    }

    #[test]
    fn drain_accepts_both_and_announces_until_deadline() {
        let now = Instant::now();
        let mut r = Routing::new(Colour::Blue);
        r.switch(Colour::Green, DRAIN, now).unwrap();
        assert_eq!(r.active(), Colour::Green);
        assert_eq!(r.accepted(), vec![Colour::Green, Colour::Blue]);
        assert_eq!(r.announcement(), Some(Colour::Green));
        assert_eq!(r.expire(now + Duration::from_secs(9)), None);
        assert!(r.accepts(Some("blue")));
        assert_eq!(r.expire(now + DRAIN), Some(Colour::Blue));
        assert!(!r.accepts(Some("blue")));
        assert!(r.accepts(Some("green")));
        assert_eq!(r.announcement(), None);
    }

    #[test]
    fn drain_ends_when_old_colour_has_no_open_queries() {
        let now = Instant::now();
        let mut r = Routing::new(Colour::Blue);
        r.switch(Colour::Green, DRAIN, now).unwrap();
        assert_eq!(r.finish_if_drained(2), None);
        assert!(r.accepts(Some("blue")));
        assert_eq!(r.finish_if_drained(0), Some(Colour::Blue));
        assert!(!r.accepts(Some("blue")));
        assert_eq!(r.finish_if_drained(0), None);
    }

    #[test]
    fn zero_drain_withdraws_at_once() {
        let mut r = Routing::new(Colour::Blue);
        let withdrawn = r
            .switch(Colour::Green, Duration::ZERO, Instant::now())
            .unwrap();
        assert_eq!(withdrawn, Some(Colour::Blue));
        assert!(!r.accepts(Some("blue")));
        assert!(r.accepts(Some("green")));
        assert_eq!(r.announcement(), None);
    }

    #[test]
    fn switching_to_the_active_colour_is_refused() {
        let mut r = Routing::new(Colour::Green);
        let err = r.switch(Colour::Green, DRAIN, Instant::now()).unwrap_err();
        assert!(err.to_string().contains("already the active colour"));
    }

    #[test]
    fn switching_back_mid_transition_reverses_it() {
        let now = Instant::now();
        let mut r = Routing::new(Colour::Blue);
        r.switch(Colour::Green, DRAIN, now).unwrap();
        assert_eq!(r.switch(Colour::Blue, DRAIN, now).unwrap(), None);
        assert_eq!(r.active(), Colour::Blue);
        assert_eq!(r.accepted(), vec![Colour::Blue, Colour::Green]);
        assert_eq!(
            r.transition().map(|t| (t.from, t.to)),
            Some((Colour::Green, Colour::Blue))
        );
        // Re-issuing the same target only moves the deadline.
        r.switch(Colour::Blue, Duration::from_secs(1), now).unwrap();
        assert_eq!(r.expire(now + Duration::from_secs(1)), Some(Colour::Green));
    }

    #[test]
    fn abrupt_switch_mid_transition_withdraws_the_other_colour() {
        let now = Instant::now();
        let mut r = Routing::new(Colour::Blue);
        r.switch(Colour::Green, DRAIN, now).unwrap();
        assert_eq!(
            r.switch(Colour::Green, Duration::ZERO, now).unwrap(),
            Some(Colour::Blue)
        );
        assert_eq!(r.accepted(), vec![Colour::Green]);
        r.switch(Colour::Blue, DRAIN, now).unwrap();
        assert_eq!(
            r.switch(Colour::Blue, Duration::ZERO, now).unwrap(),
            Some(Colour::Green)
        );
        assert_eq!(r.accepted(), vec![Colour::Blue]);
    }
}
