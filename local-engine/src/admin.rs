//! The control plane (`proto/admin.proto`): blue/green switches, suspension, faults, status and
//! the colour log, served on the engine's listener and exempt from the colour gateway.

use std::sync::Arc;
use std::time::Duration;

use tonic::{Request, Response, Status};

use crate::routing::Colour;
use crate::state::{EngineState, Faults};

/// Generated messages, client and server of `proto/admin.proto`.
#[allow(missing_docs, dead_code, clippy::all)]
pub mod pb {
    tonic::include_proto!("e6local.admin");
}

use pb::admin_server::Admin;
use pb::{Empty, FaultRequest, JsonReply, SwitchRequest};

/// Fault kinds accepted by `SetFault`.
pub const FAULT_KINDS: &str = "latency, drop-after-batches, kill-sessions, clear";

/// The control-plane service.
pub struct AdminService {
    state: Arc<EngineState>,
}

impl AdminService {
    /// A control plane over `state`.
    pub fn new(state: Arc<EngineState>) -> Self {
        AdminService { state }
    }

    fn status_reply(&self) -> Response<JsonReply> {
        reply(self.state.status_json())
    }
}

fn reply(value: serde_json::Value) -> Response<JsonReply> {
    Response::new(JsonReply {
        json: value.to_string(),
    })
}

/// Applies one fault request to `faults`; `Ok(true)` means "also expire every session".
pub fn apply_fault(faults: &mut Faults, kind: &str, value: u64) -> Result<bool, String> {
    match kind {
        "latency" => faults.latency_ms = (value > 0).then_some(value),
        "drop-after-batches" => faults.drop_after_batches = Some(value),
        "kill-sessions" => return Ok(true),
        "clear" => *faults = Faults::default(),
        other => {
            return Err(format!(
                "unknown fault {other:?}; use one of: {FAULT_KINDS}"
            ));
        }
    }
    Ok(false)
}

#[tonic::async_trait]
impl Admin for AdminService {
    async fn status(&self, _: Request<Empty>) -> Result<Response<JsonReply>, Status> {
        Ok(self.status_reply())
    }

    async fn switch(&self, request: Request<SwitchRequest>) -> Result<Response<JsonReply>, Status> {
        let r = request.into_inner();
        let to = Colour::parse(&r.to).ok_or_else(|| {
            Status::invalid_argument(format!("--to must be blue or green, not {:?}", r.to))
        })?;
        self.state
            .switch(to, Duration::from_secs(r.drain_secs))
            .map_err(|e| Status::failed_precondition(e.to_string()))?;
        Ok(self.status_reply())
    }

    async fn suspend(&self, _: Request<Empty>) -> Result<Response<JsonReply>, Status> {
        self.state.suspend();
        Ok(self.status_reply())
    }

    async fn resume(&self, _: Request<Empty>) -> Result<Response<JsonReply>, Status> {
        self.state.resume();
        Ok(self.status_reply())
    }

    async fn expire_sessions(&self, _: Request<Empty>) -> Result<Response<JsonReply>, Status> {
        let n = self.state.sessions.expire_all();
        tracing::info!(expired = n, "sessions expired on request");
        Ok(reply(serde_json::json!({ "expired_sessions": n })))
    }

    async fn set_fault(
        &self,
        request: Request<FaultRequest>,
    ) -> Result<Response<JsonReply>, Status> {
        let r = request.into_inner();
        let mut faults = self.state.faults();
        let kill = apply_fault(&mut faults, &r.kind, r.value).map_err(Status::invalid_argument)?;
        if kill {
            let n = self.state.sessions.expire_all();
            tracing::info!(expired = n, "fault: sessions killed");
        } else {
            self.state.set_faults(faults);
        }
        Ok(self.status_reply())
    }

    async fn log(&self, _: Request<Empty>) -> Result<Response<JsonReply>, Status> {
        let entries = serde_json::to_value(self.state.log.snapshot())
            .map_err(|e| Status::internal(format!("cannot serialise the colour log: {e}")))?;
        Ok(reply(entries))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn faults_are_set_and_cleared() {
        let mut f = Faults::default();
        assert_eq!(apply_fault(&mut f, "latency", 25), Ok(false));
        assert_eq!(f.latency_ms, Some(25));
        assert_eq!(apply_fault(&mut f, "drop-after-batches", 2), Ok(false));
        assert_eq!(f.drop_after_batches, Some(2));
        assert_eq!(apply_fault(&mut f, "latency", 0), Ok(false));
        assert_eq!(f.latency_ms, None);
        assert_eq!(apply_fault(&mut f, "kill-sessions", 0), Ok(true));
        assert_eq!(apply_fault(&mut f, "clear", 0), Ok(false));
        assert_eq!(f, Faults::default());
        assert!(
            apply_fault(&mut f, "meteor", 0)
                .unwrap_err()
                .contains("unknown fault")
        );
    }
}
