//! The gRPC channel to one engine: endpoint and TLS set-up (spec §1), the generated clients
//! with their message-size limits, and request construction with the §3 headers and deadlines.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use tonic::metadata::{AsciiMetadataValue, MetadataMap};
use tonic::transport::{Certificate, ClientTlsConfig, Endpoint};

use super::config::{Auth, ClientConfig};
use super::error::{ClientError, ErrorKind};
use super::oauth;
use super::strategy::{Colour, StrategyStore};
use super::token_channel::TokenChannel;
use crate::proto::cluster_service_client::ClusterServiceClient;
use crate::proto::query_engine_service_client::QueryEngineServiceClient;

/// The clients of one connection plus what every request carries.
#[derive(Clone)]
pub(crate) struct Rpc {
    engine: QueryEngineServiceClient<TokenChannel>,
    cluster: ClusterServiceClient<TokenChannel>,
    store: Arc<StrategyStore>,
    bearer: Option<AsciiMetadataValue>,
}

impl Rpc {
    /// Opens the channel (TCP, and TLS when configured) and builds the clients. With client
    /// credentials, a first token is obtained now, so endpoint problems surface at connect.
    pub(crate) async fn connect(
        config: &ClientConfig,
        store: Arc<StrategyStore>,
    ) -> Result<Rpc, ClientError> {
        let endpoint = endpoint(config)?;
        let tokens = match &config.auth {
            Auth::ClientCredentials(creds) => {
                let provider =
                    oauth::provider_for(creds, config.ca_file.as_deref()).map_err(|m| {
                        ClientError::new(ErrorKind::Config, format!("{m}; check OAuthTokenUrl"))
                    })?;
                provider.token().await.map_err(|m| {
                    ClientError::new(
                        ErrorKind::Connect,
                        format!(
                            "cannot obtain an OAuth access token: {m}; check OAuthClientId, \
                             OAuthClientSecret, OAuthTokenUrl, OAuthScope and OAuthClientAuth"
                        ),
                    )
                })?;
                Some(provider)
            }
            Auth::Password { .. } | Auth::AccessToken(_) => None,
        };
        let channel = endpoint.connect().await.map_err(|e| {
            ClientError::new(
                ErrorKind::Connect,
                format!(
                    "cannot connect to the e6data engine at {}:{} ({}); check host, port, TLS \
                     settings and that the cluster is reachable",
                    config.host,
                    config.port,
                    error_chain(&e)
                ),
            )
        })?;
        let recv = config.max_recv_message_bytes.unwrap_or(usize::MAX);
        let send = config.max_send_message_bytes.unwrap_or(usize::MAX);
        let bearer = match &config.auth {
            Auth::AccessToken(token) => {
                let mut v = header_value(&format!("Bearer {token}")).ok_or_else(|| {
                    ClientError::new(
                        ErrorKind::Config,
                        "the access token contains characters that cannot be sent in a header; \
                         check the AccessToken value",
                    )
                })?;
                v.set_sensitive(true);
                Some(v)
            }
            Auth::Password { .. } | Auth::ClientCredentials(_) => None,
        };
        let channel = TokenChannel::new(channel, tokens);
        Ok(Rpc {
            engine: QueryEngineServiceClient::new(channel.clone())
                .max_decoding_message_size(recv)
                .max_encoding_message_size(send),
            cluster: ClusterServiceClient::new(channel)
                .max_decoding_message_size(recv)
                .max_encoding_message_size(send),
            store,
            bearer,
        })
    }

    /// A QueryEngineService client (cheap clone of the shared channel).
    pub(crate) fn engine(&self) -> QueryEngineServiceClient<TokenChannel> {
        self.engine.clone()
    }

    /// A ClusterService client on the same channel.
    pub(crate) fn cluster(&self) -> ClusterServiceClient<TokenChannel> {
        self.cluster.clone()
    }

    /// A request carrying `msg`, the `strategy` header of `colour`, `cluster-name`, `plannerip`
    /// (when given), the static bearer token (`AccessToken` mode; client-credentials tokens
    /// are added by [`TokenChannel`]) and a gRPC deadline (when given).
    pub(crate) fn request<T>(
        &self,
        msg: T,
        colour: Colour,
        planner_ip: Option<&str>,
        timeout: Option<Duration>,
    ) -> Result<tonic::Request<T>, ClientError> {
        let mut req = tonic::Request::new(msg);
        fill_metadata(
            req.metadata_mut(),
            &self.store.headers(Some(colour), planner_ip),
        )?;
        if let Some(bearer) = &self.bearer {
            req.metadata_mut().insert("authorization", bearer.clone());
        }
        if let Some(t) = timeout {
            req.set_timeout(t);
        }
        Ok(req)
    }
}

fn fill_metadata(
    map: &mut MetadataMap,
    headers: &[(&'static str, String)],
) -> Result<(), ClientError> {
    for (name, value) in headers {
        let v = header_value(value).ok_or_else(|| {
            ClientError::new(
                ErrorKind::Config,
                format!(
                    "the `{name}` header value {value:?} is not printable ASCII; check the setting"
                ),
            )
        })?;
        map.insert(*name, v);
    }
    Ok(())
}

/// A header value, if `text` is printable ASCII (what gRPC metadata may carry).
fn header_value(text: &str) -> Option<AsciiMetadataValue> {
    if text.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        AsciiMetadataValue::try_from(text).ok()
    } else {
        None
    }
}

/// Runs an RPC future, failing it with DEADLINE_EXCEEDED when `timeout` elapses first (the
/// header deadline informs the server; this enforces it on the client). A server that enforces
/// the deadline itself may answer CANCELLED (tonic does) just before our timer fires; a
/// CANCELLED that arrives once the deadline has passed is reported as DEADLINE_EXCEEDED too.
pub(crate) async fn with_deadline<T, F>(
    timeout: Option<Duration>,
    fut: F,
) -> Result<T, tonic::Status>
where
    F: Future<Output = Result<tonic::Response<T>, tonic::Status>>,
{
    let Some(limit) = timeout else {
        return fut.await.map(tonic::Response::into_inner);
    };
    let started = tokio::time::Instant::now();
    let expired = || {
        tonic::Status::deadline_exceeded(format!("no reply within {:.3} s", limit.as_secs_f64()))
    };
    match tokio::time::timeout(limit, fut).await {
        Ok(Ok(response)) => Ok(response.into_inner()),
        Ok(Err(status))
            if status.code() == tonic::Code::Cancelled
                && started.elapsed() + DEADLINE_SLACK >= limit =>
        {
            Err(expired())
        }
        Ok(Err(status)) => Err(status),
        Err(_) => Err(expired()),
    }
}

/// Timer granularity allowance when deciding that a CANCELLED reply is the deadline's doing.
const DEADLINE_SLACK: Duration = Duration::from_millis(10);

fn endpoint(config: &ClientConfig) -> Result<Endpoint, ClientError> {
    if config.host.trim().is_empty() {
        return Err(ClientError::new(
            ErrorKind::Config,
            "no host given; set Host (or Server)",
        ));
    }
    if config.port == 0 {
        return Err(ClientError::new(
            ErrorKind::Config,
            "port 0 is not valid; set Port",
        ));
    }
    let host = config.host.trim();
    let authority = if host.contains(':') && !host.starts_with('[') {
        format!("[{host}]:{}", config.port)
    } else {
        format!("{host}:{}", config.port)
    };
    let scheme = if config.tls { "https" } else { "http" };
    let mut ep = Endpoint::from_shared(format!("{scheme}://{authority}"))
        .map_err(|e| {
            ClientError::new(
                ErrorKind::Config,
                format!(
                    "host {host:?} with port {} is not a valid address ({e})",
                    config.port
                ),
            )
        })?
        .http2_keep_alive_interval(config.keepalive_interval)
        .keep_alive_timeout(config.keepalive_timeout)
        .keep_alive_while_idle(true)
        .http2_adaptive_window(true)
        .tcp_nodelay(true);
    if let Some(t) = config.connect_timeout {
        ep = ep.connect_timeout(t);
    }
    if config.tls {
        ep = ep.tls_config(tls_config(config)?).map_err(|e| {
            ClientError::new(
                ErrorKind::Connect,
                format!(
                    "TLS set-up failed ({}); check SSLCACert and the host name",
                    error_chain(&e)
                ),
            )
        })?;
    }
    Ok(ep)
}

fn tls_config(config: &ClientConfig) -> Result<ClientTlsConfig, ClientError> {
    let tls = ClientTlsConfig::new().domain_name(config.host.trim().to_owned());
    match &config.ca_file {
        Some(path) => {
            let pem = std::fs::read(path).map_err(|e| {
                ClientError::new(
                    ErrorKind::Config,
                    format!(
                        "cannot read the CA file {} ({e}); check SSLCACert",
                        path.display()
                    ),
                )
            })?;
            Ok(tls.ca_certificate(Certificate::from_pem(pem)))
        }
        None => Ok(tls.with_native_roots()),
    }
}

/// The error and its sources, joined (tonic's top-level transport error says little).
pub(crate) fn error_chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::strategy::TargetKey;

    fn cfg(host: &str, port: u16) -> ClientConfig {
        ClientConfig::new(
            host,
            port,
            Auth::Password {
                user: "u".into(),
                password: "p".into(),
            },
        )
    }

    #[test]
    fn endpoint_validates_host_and_port() {
        assert_eq!(
            endpoint(&cfg("", 80)).err().map(|e| e.kind()),
            Some(ErrorKind::Config)
        );
        assert_eq!(
            endpoint(&cfg("h", 0)).err().map(|e| e.kind()),
            Some(ErrorKind::Config)
        );
        let ep = endpoint(&cfg("::1", 8080)).expect("ipv6");
        assert_eq!(ep.uri().to_string(), "http://[::1]:8080/");
    }

    #[test]
    fn missing_ca_file_is_a_config_error() {
        let mut c = cfg("h", 443);
        c.tls = true;
        c.ca_file = Some("/nonexistent/ca.pem".into());
        assert_eq!(
            endpoint(&c).err().map(|e| e.kind()),
            Some(ErrorKind::Config)
        );
    }

    #[tokio::test]
    async fn connection_refused_is_a_connect_error() {
        // Bind then drop a listener to get a port nobody listens on.
        let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = l.local_addr().expect("addr").port();
        drop(l);
        let c = cfg("127.0.0.1", port);
        let store = Arc::new(StrategyStore::new(TargetKey::new("127.0.0.1", port, None)));
        let err = Rpc::connect(&c, store).await.err().expect("refused");
        assert_eq!(err.kind(), ErrorKind::Connect);
        assert!(
            err.message().contains(&format!("127.0.0.1:{port}")),
            "{}",
            err.message()
        );
    }

    #[test]
    fn metadata_rejects_non_ascii() {
        let mut map = MetadataMap::new();
        let bad = [("cluster-name", "clüster".to_owned())];
        assert_eq!(
            fill_metadata(&mut map, &bad).err().map(|e| e.kind()),
            Some(ErrorKind::Config)
        );
    }
}
