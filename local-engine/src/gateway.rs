//! The simulated ingress in front of QueryEngineService and ClusterService: a tower layer that
//! checks the `strategy` header of every call against the accepted colours, refuses engine calls
//! while the cluster is suspended, injects latency faults and counts requests per colour.
//!
//! Refusals take the shape a real deployment produces (spec §5.2): in `http` mode a bare HTTP
//! status (456 wrong colour, 503 suspended) without any `grpc-status`, as an ingress answers; in
//! `grpc` mode a gRPC status `UNKNOWN "status: 456"` or `UNAVAILABLE "status: 503, cluster is
//! suspended"`. The control plane (any other path) passes untouched.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use tonic::body::Body;
use tower::{Layer, Service};

use crate::state::EngineState;

/// How refusals are expressed on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RejectMode {
    /// Bare HTTP status (456 / 503) and no grpc-status, like an ingress.
    Http,
    /// A gRPC status with the e6data message text.
    Grpc,
}

/// Message of the gRPC-form colour refusal.
pub const WRONG_COLOUR_MESSAGE: &str = "status: 456";
/// Message of the gRPC-form suspension refusal.
pub const SUSPENDED_MESSAGE: &str = "status: 503, cluster is suspended";

/// Which service a request path belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// `/QueryEngineService/...`
    Engine,
    /// `/ClusterService/...`
    Cluster,
    /// Anything else (the control plane): never gated.
    Other,
}

impl Target {
    /// Classifies an HTTP/2 `:path`.
    pub fn of_path(path: &str) -> Target {
        if path.starts_with("/QueryEngineService/") {
            Target::Engine
        } else if path.starts_with("/ClusterService/") {
            Target::Cluster
        } else {
            Target::Other
        }
    }
}

/// What the gateway does with one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Hand it to the service.
    Forward,
    /// The colour is not accepted: 456.
    WrongColour,
    /// The cluster is suspended: 503.
    Suspended,
}

/// The routing decision. The colour is checked first (the ingress routes before the cluster
/// sees anything); suspension refuses only engine calls, so that ClusterService can resume.
pub fn decide(target: Target, colour_accepted: bool, cluster_serving: bool) -> Verdict {
    match target {
        Target::Other => Verdict::Forward,
        _ if !colour_accepted => Verdict::WrongColour,
        Target::Engine if !cluster_serving => Verdict::Suspended,
        _ => Verdict::Forward,
    }
}

/// The HTTP response for a refusal in the given mode (`None` for [`Verdict::Forward`]).
pub fn refusal(verdict: Verdict, mode: RejectMode) -> Option<http::Response<Body>> {
    let (http_status, status) = match verdict {
        Verdict::Forward => return None,
        Verdict::WrongColour => (456, tonic::Status::unknown(WRONG_COLOUR_MESSAGE)),
        Verdict::Suspended => (503, tonic::Status::unavailable(SUSPENDED_MESSAGE)),
    };
    Some(match mode {
        RejectMode::Grpc => status.into_http(),
        RejectMode::Http => {
            let mut resp = http::Response::new(Body::empty());
            *resp.status_mut() =
                http::StatusCode::from_u16(http_status).unwrap_or(http::StatusCode::BAD_REQUEST);
            resp
        }
    })
}

/// Tower layer installing [`Gateway`] in front of every service of the server.
#[derive(Clone)]
pub struct GatewayLayer {
    state: Arc<EngineState>,
}

impl GatewayLayer {
    /// A layer consulting `state` for colours, suspension and faults.
    pub fn new(state: Arc<EngineState>) -> Self {
        GatewayLayer { state }
    }
}

impl<S> Layer<S> for GatewayLayer {
    type Service = Gateway<S>;

    fn layer(&self, inner: S) -> Gateway<S> {
        Gateway {
            inner,
            state: self.state.clone(),
        }
    }
}

/// The gateway service (see the module docs).
#[derive(Clone)]
pub struct Gateway<S> {
    inner: S,
    state: Arc<EngineState>,
}

impl<S, B> Service<http::Request<B>> for Gateway<S>
where
    S: Service<http::Request<B>, Response = http::Response<Body>> + Clone + Send + 'static,
    S::Future: Send + 'static,
    B: Send + 'static,
{
    type Response = http::Response<Body>;
    type Error = S::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self::Response, Self::Error>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, req: http::Request<B>) -> Self::Future {
        let target = Target::of_path(req.uri().path());
        let header = req
            .headers()
            .get("strategy")
            .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
        let (verdict, latency) = if target == Target::Other {
            (Verdict::Forward, None)
        } else {
            self.state.count_request(header.as_deref());
            let verdict = decide(
                target,
                self.state.colour_accepted(header.as_deref()),
                self.state.cluster_serving(),
            );
            (verdict, self.state.latency_fault())
        };
        if verdict != Verdict::Forward {
            tracing::info!(
                path = req.uri().path(),
                strategy = header.as_deref().unwrap_or("-"),
                ?verdict,
                "gateway refused a call"
            );
        }
        let refused = refusal(verdict, self.state.reject_mode());
        // The ready service goes into the future; a fresh clone stays for the next call.
        let clone = self.inner.clone();
        let mut inner = std::mem::replace(&mut self.inner, clone);
        Box::pin(async move {
            if let Some(delay) = latency {
                tokio::time::sleep(delay).await;
            }
            match refused {
                Some(resp) => Ok(resp),
                None => inner.call(req).await,
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_classified_by_service() {
        assert_eq!(
            Target::of_path("/QueryEngineService/authenticate"),
            Target::Engine
        );
        assert_eq!(Target::of_path("/ClusterService/status"), Target::Cluster);
        assert_eq!(
            Target::of_path("/e6local.admin.Admin/Status"),
            Target::Other
        );
    }

    #[test]
    fn wrong_colour_wins_over_suspension() {
        assert_eq!(decide(Target::Engine, false, false), Verdict::WrongColour);
        assert_eq!(decide(Target::Cluster, false, true), Verdict::WrongColour);
    }

    #[test]
    fn suspension_refuses_engine_calls_only() {
        assert_eq!(decide(Target::Engine, true, false), Verdict::Suspended);
        assert_eq!(decide(Target::Cluster, true, false), Verdict::Forward);
        assert_eq!(decide(Target::Engine, true, true), Verdict::Forward);
    }

    #[test]
    fn control_plane_is_never_gated() {
        assert_eq!(decide(Target::Other, false, false), Verdict::Forward);
    }

    #[test]
    fn http_refusals_carry_no_grpc_status() {
        let resp = refusal(Verdict::WrongColour, RejectMode::Http).unwrap();
        assert_eq!(resp.status().as_u16(), 456);
        assert!(resp.headers().get("grpc-status").is_none());
        let resp = refusal(Verdict::Suspended, RejectMode::Http).unwrap();
        assert_eq!(resp.status().as_u16(), 503);
    }

    #[test]
    fn grpc_refusals_carry_the_e6data_messages() {
        let resp = refusal(Verdict::WrongColour, RejectMode::Grpc).unwrap();
        assert_eq!(resp.status().as_u16(), 200);
        let status = tonic::Status::from_header_map(resp.headers()).unwrap();
        assert_eq!(status.code(), tonic::Code::Unknown);
        assert_eq!(status.message(), "status: 456");
        let resp = refusal(Verdict::Suspended, RejectMode::Grpc).unwrap();
        let status = tonic::Status::from_header_map(resp.headers()).unwrap();
        assert_eq!(status.code(), tonic::Code::Unavailable);
        assert_eq!(status.message(), "status: 503, cluster is suspended");
        assert!(refusal(Verdict::Forward, RejectMode::Grpc).is_none());
    }
}
