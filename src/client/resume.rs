//! Auto-resume of a suspended cluster through ClusterService (spec §5.3, §6.6.9).
//!
//! `status`; if `suspended`, `resume`; then poll `status` every `resume_poll_interval` until it
//! says `active`, all within `auto_resume_timeout`. `failed` or an unknown status gives up.
//! The calls carry the same headers as every other call, with the store's colour for new work
//! (the announced colour while one is pending, else the active one); a 456 flips
//! the colour in the (shared) store and retries once. Resumes of one target are serialised:
//! a caller that waited for another caller's successful resume does not resume again.

use std::time::Duration;

use tokio::time::Instant;
use tonic::Code;
use tracing::{debug, info, warn};

use super::channel::with_deadline;
use super::config::Auth;
use super::connection::Core;
use super::error::{ClientError, ErrorKind};
use super::matcher;
use super::strategy::Colour;
use crate::proto::{ClusterStatusRequest, ResumeRequest};

/// What ClusterService said about the cluster.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ClusterState {
    Active,
    Suspended,
    Resuming,
    Failed,
}

/// The two ClusterService calls auto-resume makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ClusterCall {
    Status,
    Resume,
}

impl ClusterCall {
    fn name(self) -> &'static str {
        match self {
            ClusterCall::Status => "cluster status",
            ClusterCall::Resume => "cluster resume",
        }
    }
}

fn parse_state(status: &str) -> Option<ClusterState> {
    match status.trim().to_ascii_lowercase().as_str() {
        "active" => Some(ClusterState::Active),
        "suspended" => Some(ClusterState::Suspended),
        "resuming" => Some(ClusterState::Resuming),
        "failed" => Some(ClusterState::Failed),
        _ => None,
    }
}

impl Core {
    /// Resumes the cluster of this connection's target and waits until it is active.
    /// `colour` is used when the store knows no colour yet.
    pub(crate) async fn resume_cluster(&self, colour: Colour) -> Result<(), ClientError> {
        let seen = self.store.resume_epoch();
        let _serial = self.store.resume_lock().lock().await;
        if self.store.resume_epoch() != seen {
            debug!(target = %self.store.key(), "another caller resumed the cluster meanwhile");
            return Ok(());
        }
        let deadline = Instant::now() + self.config.auto_resume_timeout;
        let mut colour = self.store.new_work_colour().unwrap_or(colour);
        let first = self
            .cluster_call(ClusterCall::Status, &mut colour, deadline)
            .await?;
        info!(target = %self.store.key(), status = %first, "cluster status before resume");
        match parse_state(&first) {
            Some(ClusterState::Active) => {}
            Some(ClusterState::Suspended) => {
                let answer = self
                    .cluster_call(ClusterCall::Resume, &mut colour, deadline)
                    .await?;
                info!(target = %self.store.key(), answer = %answer, "cluster resume requested");
                self.poll_until_active(&mut colour, deadline).await?;
            }
            Some(ClusterState::Resuming) => self.poll_until_active(&mut colour, deadline).await?,
            Some(ClusterState::Failed) | None => return Err(not_resumable(&first)),
        }
        info!(target = %self.store.key(), "cluster is active");
        self.store.resume_succeeded();
        Ok(())
    }

    async fn poll_until_active(
        &self,
        colour: &mut Colour,
        deadline: Instant,
    ) -> Result<(), ClientError> {
        loop {
            if Instant::now() + self.config.resume_poll_interval > deadline {
                return Err(self.resume_timed_out());
            }
            tokio::time::sleep(self.config.resume_poll_interval).await;
            match self
                .cluster_call(ClusterCall::Status, colour, deadline)
                .await
            {
                Ok(status) => match parse_state(&status) {
                    Some(ClusterState::Active) => return Ok(()),
                    Some(ClusterState::Resuming | ClusterState::Suspended) => {
                        debug!(target = %self.store.key(), status = %status, "cluster not active yet");
                    }
                    Some(ClusterState::Failed) | None => return Err(not_resumable(&status)),
                },
                Err(e)
                    if matches!(
                        e.grpc_code(),
                        Some(Code::Unavailable | Code::DeadlineExceeded)
                    ) =>
                {
                    debug!(target = %self.store.key(), error = %e, "cluster status failed while resuming; polling on");
                }
                Err(e) => return Err(e),
            }
        }
    }

    fn resume_timed_out(&self) -> ClientError {
        ClientError::new(
            ErrorKind::Suspended,
            format!(
                "the cluster did not become active within {} s of the resume request; retry later \
                 or raise AutoResumeTimeout",
                self.config.auto_resume_timeout.as_secs()
            ),
        )
        .with_timed_out()
    }

    fn credentials(&self) -> (String, String) {
        match &self.config.auth {
            Auth::Password { user, password } => (user.clone(), password.clone()),
            Auth::AccessToken(_) | Auth::ClientCredentials(_) => (String::new(), String::new()),
        }
    }

    /// One ClusterService call with the credentials on `colour`; a wrong-colour answer (456)
    /// flips the colour in the store and retries once. Returns the cluster's status text.
    async fn cluster_call(
        &self,
        call: ClusterCall,
        colour: &mut Colour,
        deadline: Instant,
    ) -> Result<String, ClientError> {
        let mut flipped = false;
        loop {
            let (user, password) = self.credentials();
            let timeout = remaining(deadline);
            let answer = match call {
                ClusterCall::Status => {
                    let msg = ClusterStatusRequest { user, password };
                    let req = self.rpc.request(msg, *colour, None, timeout)?;
                    with_deadline(timeout, self.rpc.cluster().status(req))
                        .await
                        .map(|r| r.status)
                }
                ClusterCall::Resume => {
                    let msg = ResumeRequest { user, password };
                    let req = self.rpc.request(msg, *colour, None, timeout)?;
                    with_deadline(timeout, self.rpc.cluster().resume(req))
                        .await
                        .map(|r| r.status)
                }
            };
            match answer {
                Ok(status) => return Ok(status),
                Err(status) if matcher::is_wrong_colour(&status) && !flipped => {
                    flipped = true;
                    *colour = self.store.flip_from(*colour);
                    warn!(target = %self.store.key(), colour = colour.as_str(), call = call.name(), "rejected the colour (456); flipped");
                }
                Err(status) => return Err(ClientError::from_status(&status, call.name(), false)),
            }
        }
    }
}

fn remaining(deadline: Instant) -> Option<Duration> {
    Some(
        deadline
            .saturating_duration_since(Instant::now())
            .max(Duration::from_millis(1)),
    )
}

fn not_resumable(status: &str) -> ClientError {
    ClientError::new(
        ErrorKind::Suspended,
        format!(
            "the cluster is suspended and cannot be resumed automatically (cluster status \
             {status:?}); resume it from the e6data console and retry"
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states_parse_case_insensitively() {
        assert_eq!(parse_state(" Active"), Some(ClusterState::Active));
        assert_eq!(parse_state("SUSPENDED"), Some(ClusterState::Suspended));
        assert_eq!(parse_state("resuming"), Some(ClusterState::Resuming));
        assert_eq!(parse_state("failed"), Some(ClusterState::Failed));
        assert_eq!(parse_state("weird"), None);
        assert_eq!(not_resumable("failed").kind(), ErrorKind::Suspended);
    }
}
