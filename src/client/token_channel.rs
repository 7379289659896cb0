//! The gRPC channel with OAuth client credentials: every request gets `authorization: Bearer
//! <token>` from the shared token provider, and an `UNAUTHENTICATED` answer (gRPC status 16
//! in the response headers, or HTTP 401) forces one token refresh and resends that request
//! once (spec §6, error table). Without a provider the channel is passed through untouched.
//!
//! Request bodies are buffered so the request can be resent; all calls of this client are
//! unary with small requests. A status carried only in the trailers of a full response is not
//! seen here and reaches the caller as it is.

use std::sync::Arc;
use std::task::{Context, Poll};

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use tonic::body::Body;
use tonic::codegen::{BoxFuture, Service, StdError};
use tonic::transport::Channel;
use tracing::warn;

use super::oauth::TokenProvider;

/// A [`Channel`] that adds provider-backed bearer tokens (see the module docs).
#[derive(Clone)]
pub(crate) struct TokenChannel {
    inner: Channel,
    tokens: Option<Arc<TokenProvider>>,
}

impl TokenChannel {
    /// Wraps `inner`; `tokens` is the provider of a client-credentials connection.
    pub(crate) fn new(inner: Channel, tokens: Option<Arc<TokenProvider>>) -> Self {
        TokenChannel { inner, tokens }
    }
}

impl Service<http::Request<Body>> for TokenChannel {
    type Response = http::Response<Body>;
    type Error = StdError;
    type Future = BoxFuture<Self::Response, Self::Error>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx).map_err(Into::into)
    }

    fn call(&mut self, req: http::Request<Body>) -> Self::Future {
        // The polled-ready channel serves this call; `self` keeps a fresh clone.
        let clone = self.inner.clone();
        let mut ready = std::mem::replace(&mut self.inner, clone);
        match &self.tokens {
            None => {
                let fut = ready.call(req);
                Box::pin(async move { fut.await.map_err(Into::into) })
            }
            Some(tokens) => Box::pin(send_with_token(ready, Arc::clone(tokens), req)),
        }
    }
}

async fn send_with_token(
    mut ready: Channel,
    tokens: Arc<TokenProvider>,
    req: http::Request<Body>,
) -> Result<http::Response<Body>, StdError> {
    let (parts, body) = req.into_parts();
    let body = body.collect().await.map_err(StdError::from)?.to_bytes();
    let token = tokens.token().await.map_err(token_error)?;
    let first = ready.call(with_bearer(&parts, &body, &token)).await?;
    if !rejected(&first) {
        return Ok(first);
    }
    warn!(
        path = parts.uri.path(),
        "the engine rejected the OAuth access token (UNAUTHENTICATED); fetching a new one and \
         retrying once"
    );
    let token = tokens.refresh(&token).await.map_err(token_error)?;
    let mut again = ready.clone();
    std::future::poll_fn(|cx| again.poll_ready(cx)).await?;
    Ok(again.call(with_bearer(&parts, &body, &token)).await?)
}

/// The request again, with `authorization: Bearer <token>` (a token the provider checked to
/// be printable ASCII; a value that still fails is left out and the engine will refuse it).
fn with_bearer(parts: &http::request::Parts, body: &Bytes, token: &str) -> http::Request<Body> {
    let mut req = http::Request::from_parts(parts.clone(), Body::new(Full::new(body.clone())));
    if let Ok(mut value) = http::HeaderValue::from_str(&format!("Bearer {token}")) {
        value.set_sensitive(true);
        req.headers_mut().insert(http::header::AUTHORIZATION, value);
    }
    req
}

/// `true` for an `UNAUTHENTICATED` answer: gRPC status 16 in the headers, or HTTP 401.
fn rejected(resp: &http::Response<Body>) -> bool {
    resp.status() == http::StatusCode::UNAUTHORIZED
        || resp
            .headers()
            .get("grpc-status")
            .is_some_and(|v| v.as_bytes() == b"16")
}

fn token_error(message: String) -> StdError {
    Box::new(tonic::Status::unauthenticated(format!(
        "cannot obtain an OAuth access token: {message}"
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(status: u16, grpc_status: Option<&str>) -> http::Response<Body> {
        let mut b = http::Response::builder().status(status);
        if let Some(g) = grpc_status {
            b = b.header("grpc-status", g);
        }
        b.body(Body::empty()).unwrap()
    }

    #[test]
    fn recognises_unauthenticated_answers() {
        assert!(rejected(&response(200, Some("16"))));
        assert!(rejected(&response(401, None)));
        assert!(!rejected(&response(200, Some("0"))));
        assert!(!rejected(&response(200, Some("2"))));
        assert!(!rejected(&response(200, None)));
    }

    #[test]
    fn the_resent_request_carries_the_new_sensitive_bearer() {
        let (parts, _) = http::Request::post("/svc/Method")
            .header("authorization", "Bearer old")
            .header("strategy", "blue")
            .body(())
            .unwrap()
            .into_parts();
        let req = with_bearer(&parts, &Bytes::from_static(b"abc"), "new-tok");
        let auth = req.headers().get("authorization").unwrap();
        assert_eq!(auth, "Bearer new-tok");
        assert!(auth.is_sensitive());
        assert_eq!(req.headers().get("strategy").unwrap(), "blue");
        assert_eq!(req.uri().path(), "/svc/Method");
    }
}
