//! Sessions: lazy authentication with blue/green detection (spec §4.1, §6.6).
//!
//! A connection holds at most one session, tagged with the colour and the store's routing epoch
//! it was minted under. Before every non-query call and every prepare the connection checks
//! them against its target's store: the session is stale when new work of the target now goes
//! to another colour (a colour was announced, applied, cancelled or flipped by a 456) or the
//! routing epoch moved; the connection then authenticates again. New work therefore moves to
//! an announced colour at once, on every connection of the target, while queries already
//! running keep the session, colour and engine IP they were prepared with (see `strategy` for
//! why: zero failed queries while the old deployment drains under continuous load).
//!
//! Authenticate (password mode):
//! - the colour comes from the store: the pending (announced) colour first, then the other one
//!   on a 456; else the cached active colour, then the other one on a 456; else detection
//!   (blue, then green) when no colour is known or the cache TTL expired. A session on the
//!   pending colour never changes the active colour (it changes when the old colour's queries
//!   are gone); a fallback after a 456 on the pending colour drops the pending colour;
//! - an empty `sessionId` is an authentication failure at once; the other colour is not tried;
//! - a 503 "suspended" resumes the cluster (when enabled) and retries the **same** colour;
//! - a `new_strategy` in the reply is recorded as pending; as new work then goes to it, the
//!   connection authenticates again with it at once (the active colour still waits for pins).
//!
//! Token mode sends no authenticate: the session id is empty, the bearer header authenticates,
//! and the colour is the store's colour for new work (blue when none is known yet).

use tracing::{debug, info, warn};

use super::channel::with_deadline;
use super::config::Auth;
use super::connection::Core;
use super::error::{ClientError, ErrorKind};
use super::matcher;
use super::strategy::{AuthPlan, Colour, Confirmed};
use crate::proto::{AuthenticateRequest, AuthenticateResponse};

/// Rounds of "authenticate, then the target moved" before giving up.
const MAX_AUTH_ROUNDS: usize = 4;

/// An e6data session of one connection.
#[derive(Clone)]
pub(crate) struct Session {
    /// The opaque session id (empty in token mode). Never logged.
    pub(crate) id: String,
    /// The colour the session was minted under.
    pub(crate) colour: Colour,
    /// The store's routing epoch the session belongs to.
    pub(crate) epoch: u64,
}

/// Why one authenticate attempt did not produce a session.
enum AttemptError {
    /// 456: try the other colour.
    WrongColour,
    /// Anything else: give up with this error.
    Fatal(ClientError),
}

impl Core {
    /// The connection's session, authenticating first when it has none or it is stale. Also
    /// a safe point where a pending colour is applied when no query holds the old colour.
    pub(crate) async fn ensure_session(&self, connecting: bool) -> Result<Session, ClientError> {
        self.check_open()?;
        let mut slot = self.session.lock().await;
        self.store.apply_pending();
        if let Some(s) = slot.as_ref()
            && self.store.session_is_current(s.colour, s.epoch)
        {
            return Ok(s.clone());
        }
        if slot.is_some() {
            debug!(target = %self.store.key(), "session is stale: new work moved to another colour; re-authenticating");
        }
        let fresh = self.authenticate(connecting).await?;
        *slot = Some(fresh.clone());
        Ok(fresh)
    }

    /// Drops `stale` (if it is still the current session) so the next call authenticates.
    pub(crate) async fn invalidate_session(&self, stale: &Session) {
        let mut slot = self.session.lock().await;
        if slot
            .as_ref()
            .is_some_and(|s| s.id == stale.id && s.colour == stale.colour)
        {
            *slot = None;
        }
    }

    async fn authenticate(&self, connecting: bool) -> Result<Session, ClientError> {
        let (user, password) = match &self.config.auth {
            Auth::Password { user, password } => (user.as_str(), password.as_str()),
            Auth::AccessToken(_) | Auth::ClientCredentials(_) => return Ok(self.token_session()),
        };
        for _ in 0..MAX_AUTH_ROUNDS {
            let (plan, plan_epoch) = self.store.auth_plan(self.config.strategy_cache_ttl);
            let mut found = None;
            for colour in plan.order() {
                match self
                    .authenticate_with(colour, user, password, connecting)
                    .await
                {
                    Ok(resp) => {
                        found = Some((colour, resp));
                        break;
                    }
                    Err(AttemptError::WrongColour) => {
                        debug!(target = %self.store.key(), colour = colour.as_str(), "authenticate rejected the colour (456)");
                    }
                    Err(AttemptError::Fatal(e)) => return Err(e),
                }
            }
            let Some((colour, resp)) = found else {
                return Err(ClientError::new(
                    ErrorKind::Routing,
                    "both the blue and the green deployment rejected authenticate (456); the \
                     cluster may be switching deployments, retry in a moment",
                ));
            };
            if plan == AuthPlan::Detect {
                info!(target = %self.store.key(), colour = colour.as_str(), "blue/green: detected the active colour");
            } else if plan.order()[0] != colour {
                info!(target = %self.store.key(), colour = colour.as_str(), "blue/green: authenticated on the other colour after a 456");
            }
            match self.store.confirm(colour, plan_epoch) {
                Confirmed::Moved(to) => {
                    debug!(target = %self.store.key(), to = to.as_str(), "target moved while authenticating; again");
                    continue;
                }
                Confirmed::Fresh(epoch) => {
                    if let Some(announced) = resp.new_strategy.as_deref() {
                        self.store.set_pending(announced);
                        if !self.store.session_is_current(colour, epoch) {
                            // New work moved to the announced colour: authenticate with it.
                            debug!(target = %self.store.key(), from = colour.as_str(), "authenticate announced another colour; again with it");
                            continue;
                        }
                    }
                    return Ok(Session {
                        id: resp.session_id,
                        colour,
                        epoch,
                    });
                }
            }
        }
        Err(ClientError::new(
            ErrorKind::Routing,
            "the blue/green colour kept changing while authenticating; retry in a moment",
        ))
    }

    fn token_session(&self) -> Session {
        let (_, plan_epoch) = self.store.auth_plan(self.config.strategy_cache_ttl);
        let colour = self.store.new_work_colour().unwrap_or(Colour::Blue);
        match self.store.confirm(colour, plan_epoch) {
            Confirmed::Fresh(epoch) => Session {
                id: String::new(),
                colour,
                epoch,
            },
            Confirmed::Moved(to) => Session {
                id: String::new(),
                colour: to,
                epoch: self.store.epoch(),
            },
        }
    }

    /// One colour: authenticate, resuming a suspended cluster once and retrying the same colour.
    async fn authenticate_with(
        &self,
        colour: Colour,
        user: &str,
        password: &str,
        connecting: bool,
    ) -> Result<AuthenticateResponse, AttemptError> {
        let mut resumed = false;
        loop {
            let msg = AuthenticateRequest {
                user: user.to_owned(),
                password: password.to_owned(),
                ..Default::default()
            };
            let timeout = self.config.connect_timeout;
            let req = self
                .rpc
                .request(msg, colour, None, timeout)
                .map_err(AttemptError::Fatal)?;
            match with_deadline(timeout, self.rpc.engine().authenticate(req)).await {
                Ok(resp) if resp.session_id.is_empty() => {
                    return Err(AttemptError::Fatal(ClientError::new(
                        ErrorKind::Auth,
                        "the engine rejected the credentials (authenticate returned no session); \
                         check the user name and the personal access token",
                    )));
                }
                Ok(resp) => return Ok(resp),
                Err(status) if matcher::is_wrong_colour(&status) => {
                    return Err(AttemptError::WrongColour);
                }
                Err(status)
                    if matcher::is_suspended(&status) && self.config.auto_resume && !resumed =>
                {
                    warn!(target = %self.store.key(), colour = colour.as_str(), "cluster is suspended; resuming it");
                    self.resume_cluster(colour)
                        .await
                        .map_err(AttemptError::Fatal)?;
                    resumed = true;
                }
                Err(status) => {
                    debug!(target = %self.store.key(), code = ?status.code(), "authenticate failed");
                    return Err(AttemptError::Fatal(ClientError::from_status(
                        &status,
                        "authenticate",
                        connecting,
                    )));
                }
            }
        }
    }
}
