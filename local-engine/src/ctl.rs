//! `e6data-local ctl`: drives a running engine's control plane and prints its JSON replies.

use crate::admin::pb::admin_client::AdminClient;
use crate::admin::pb::{Empty, FaultRequest, SwitchRequest};

/// One control action.
#[derive(Debug, Clone, clap::Subcommand)]
pub enum Action {
    /// Print routing, cluster, session and query counters as JSON.
    Status,
    /// Start a blue/green switch.
    Switch {
        /// The colour to switch to.
        #[arg(long, value_parser = ["blue", "green"])]
        to: String,
        /// Seconds the old colour is still accepted (0 = withdraw it at once).
        #[arg(long, default_value_t = 30)]
        drain_secs: u64,
    },
    /// Suspend the cluster (engine calls answer 503 until resumed).
    Suspend,
    /// Resume the cluster.
    Resume,
    /// Forget every session.
    ExpireSessions,
    /// Inject or clear a fault.
    Fault {
        /// The fault.
        #[command(subcommand)]
        fault: Fault,
    },
    /// Print the per-query colour log as JSON.
    Log,
}

/// Faults of `ctl fault`.
#[derive(Debug, Clone, clap::Subcommand)]
pub enum Fault {
    /// Delay every engine and cluster call.
    Latency {
        /// Delay in milliseconds (0 removes it).
        #[arg(long)]
        ms: u64,
    },
    /// Fail the (N+1)th and later batch calls of every query with UNAVAILABLE.
    DropAfterBatches {
        /// Batch calls that still succeed per query.
        n: u64,
    },
    /// Forget every session (same as expire-sessions).
    KillSessions,
    /// Remove every fault.
    Clear,
}

/// Why a ctl command failed.
#[derive(Debug, thiserror::Error)]
pub enum CtlError {
    /// The engine could not be reached.
    #[error(
        "cannot reach e6data-local at {target}: {source}; is `e6data-local serve` running there?"
    )]
    Connect {
        /// The target address.
        target: String,
        /// The cause.
        source: tonic::transport::Error,
    },
    /// The engine refused the request.
    #[error("e6data-local refused the request: {0}")]
    Refused(String),
    /// The reply was not JSON.
    #[error("e6data-local sent a reply that is not JSON: {0}")]
    BadReply(String),
}

/// Runs `action` against `target` (`host:port`) and returns the pretty-printed JSON reply.
pub async fn run(target: &str, action: Action) -> Result<String, CtlError> {
    let endpoint = if target.contains("://") {
        target.to_owned()
    } else {
        format!("http://{target}")
    };
    let mut client = AdminClient::connect(endpoint)
        .await
        .map_err(|source| CtlError::Connect {
            target: target.to_owned(),
            source,
        })?;
    let fault = |kind: &str, value: u64| FaultRequest {
        kind: kind.to_owned(),
        value,
    };
    let reply = match action {
        Action::Status => client.status(Empty {}).await,
        Action::Switch { to, drain_secs } => client.switch(SwitchRequest { to, drain_secs }).await,
        Action::Suspend => client.suspend(Empty {}).await,
        Action::Resume => client.resume(Empty {}).await,
        Action::ExpireSessions => client.expire_sessions(Empty {}).await,
        Action::Fault { fault: f } => {
            let request = match f {
                Fault::Latency { ms } => fault("latency", ms),
                Fault::DropAfterBatches { n } => fault("drop-after-batches", n),
                Fault::KillSessions => fault("kill-sessions", 0),
                Fault::Clear => fault("clear", 0),
            };
            client.set_fault(request).await
        }
        Action::Log => client.log(Empty {}).await,
    }
    .map_err(|s| CtlError::Refused(s.message().to_owned()))?;
    let json = reply.into_inner().json;
    let value: serde_json::Value =
        serde_json::from_str(&json).map_err(|e| CtlError::BadReply(e.to_string()))?;
    serde_json::to_string_pretty(&value).map_err(|e| CtlError::BadReply(e.to_string()))
}
