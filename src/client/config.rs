//! Client configuration: where the engine is, how to authenticate, and the transport and
//! blue/green tunables, with the defaults of the protocol specification (§1.4, §1.5, §5.3, §8).

use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

use super::oauth::ClientCredentials;
use super::strategy::TargetKey;

/// How the client proves its identity.
#[derive(Clone)]
pub enum Auth {
    /// e6data user (e-mail) and personal access token, sent in `authenticate`.
    Password {
        /// The e6data user name (usually an e-mail address).
        user: String,
        /// The personal access token. Never logged.
        password: String,
    },
    /// A pre-minted OAuth bearer token sent as `authorization: Bearer ...` on every RPC;
    /// `authenticate` is never called in this mode. Never logged.
    AccessToken(String),
    /// OAuth2 client credentials: tokens come from the token endpoint, are cached until
    /// shortly before they expire, and are refreshed once when the engine rejects one. Sent
    /// like [`Auth::AccessToken`]; `authenticate` is never called.
    ClientCredentials(ClientCredentials),
}

impl fmt::Debug for Auth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Auth::Password { user, .. } => f
                .debug_struct("Password")
                .field("user", user)
                .field("password", &"<redacted>")
                .finish(),
            Auth::AccessToken(_) => f.debug_tuple("AccessToken").field(&"<redacted>").finish(),
            Auth::ClientCredentials(c) => f.debug_tuple("ClientCredentials").field(c).finish(),
        }
    }
}

/// Everything needed to reach and use one e6data engine.
#[derive(Clone)]
pub struct ClientConfig {
    /// Engine host name or IP address; also the TLS server name.
    pub host: String,
    /// Engine port (the spec suggests 80 for plaintext, 443 for TLS).
    pub port: u16,
    /// Use TLS (rustls) instead of plaintext HTTP/2.
    pub tls: bool,
    /// PEM file with the CA certificates to trust instead of the platform roots (TLS only);
    /// the OAuth token endpoint trusts these in addition to the platform roots.
    pub ca_file: Option<PathBuf>,
    /// Cluster name, sent lower-cased in the `cluster-name` header; also part of the target key.
    pub cluster_name: Option<String>,
    /// Credentials.
    pub auth: Auth,
    /// Catalog; `Some(non-empty)` selects `prepareStatementV2`/`executeStatementV2`/`dryRunV2`.
    pub catalog: Option<String>,
    /// Schema (database) sent in prepare and dry-run requests.
    pub schema: Option<String>,
    /// Deadline of `prepareStatementV2` (default 600 s).
    pub prepare_timeout: Duration,
    /// Resume a suspended cluster automatically (default true).
    pub auto_resume: bool,
    /// Overall time allowed for one resume, from the first status call to `active` (default 300 s).
    pub auto_resume_timeout: Duration,
    /// Interval between cluster status polls while resuming (default 5 s).
    pub resume_poll_interval: Duration,
    /// HTTP/2 PING interval (default 30 s); pings are sent even while idle.
    pub keepalive_interval: Duration,
    /// How long to wait for a PING acknowledgement before the link is declared dead (default 900 s).
    pub keepalive_timeout: Duration,
    /// Largest response message accepted; `None` = unlimited (default).
    pub max_recv_message_bytes: Option<usize>,
    /// Largest request message sent; `None` = unlimited (default).
    pub max_send_message_bytes: Option<usize>,
    /// Timeout of the TCP (and TLS) connection set-up; `None` = the transport default.
    pub connect_timeout: Option<Duration>,
    /// Age after which an unused cached colour is re-detected (default 300 s); see
    /// [`crate::client::strategy`] for exactly what it does.
    pub strategy_cache_ttl: Duration,
}

impl ClientConfig {
    /// Spec defaults for everything but the target and the credentials: plaintext, no cluster,
    /// no catalog or schema, prepare timeout 600 s, auto-resume on with 300 s, poll every 5 s,
    /// keepalive 30 s / 900 s, unlimited message sizes, transport connect timeout, TTL 300 s.
    pub fn new(host: impl Into<String>, port: u16, auth: Auth) -> Self {
        ClientConfig {
            host: host.into(),
            port,
            tls: false,
            ca_file: None,
            cluster_name: None,
            auth,
            catalog: None,
            schema: None,
            prepare_timeout: Duration::from_secs(600),
            auto_resume: true,
            auto_resume_timeout: Duration::from_secs(300),
            resume_poll_interval: Duration::from_secs(5),
            keepalive_interval: Duration::from_secs(30),
            keepalive_timeout: Duration::from_secs(900),
            max_recv_message_bytes: None,
            max_send_message_bytes: None,
            connect_timeout: None,
            strategy_cache_ttl: Duration::from_secs(300),
        }
    }

    /// The key of the strategy store this configuration uses: host, port and the lower-cased
    /// cluster name (empty when none).
    pub fn target_key(&self) -> TargetKey {
        TargetKey::new(&self.host, self.port, self.cluster_name.as_deref())
    }

    /// The catalog when it selects the V2 calls (set and non-empty).
    pub fn v2_catalog(&self) -> Option<&str> {
        self.catalog.as_deref().filter(|c| !c.is_empty())
    }

    /// The cluster name as sent in the `cluster-name` header (lower-cased), if any.
    pub fn cluster_header(&self) -> Option<String> {
        self.cluster_name
            .as_deref()
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(str::to_lowercase)
    }
}

impl fmt::Debug for ClientConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientConfig")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("tls", &self.tls)
            .field("ca_file", &self.ca_file)
            .field("cluster_name", &self.cluster_name)
            .field("auth", &self.auth)
            .field("catalog", &self.catalog)
            .field("schema", &self.schema)
            .field("prepare_timeout", &self.prepare_timeout)
            .field("auto_resume", &self.auto_resume)
            .field("auto_resume_timeout", &self.auto_resume_timeout)
            .field("resume_poll_interval", &self.resume_poll_interval)
            .field("keepalive_interval", &self.keepalive_interval)
            .field("keepalive_timeout", &self.keepalive_timeout)
            .field("max_recv_message_bytes", &self.max_recv_message_bytes)
            .field("max_send_message_bytes", &self.max_send_message_bytes)
            .field("connect_timeout", &self.connect_timeout)
            .field("strategy_cache_ttl", &self.strategy_cache_ttl)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_follow_the_spec() {
        let c = ClientConfig::new("h", 80, Auth::AccessToken("t".into()));
        assert_eq!(c.prepare_timeout, Duration::from_secs(600));
        assert!(c.auto_resume);
        assert_eq!(c.auto_resume_timeout, Duration::from_secs(300));
        assert_eq!(c.resume_poll_interval, Duration::from_secs(5));
        assert_eq!(c.keepalive_interval, Duration::from_secs(30));
        assert_eq!(c.keepalive_timeout, Duration::from_secs(900));
        assert_eq!(c.max_recv_message_bytes, None);
        assert_eq!(c.max_send_message_bytes, None);
        assert_eq!(c.strategy_cache_ttl, Duration::from_secs(300));
        assert!(!c.tls);
    }

    #[test]
    fn debug_redacts_secrets() {
        let mut c = ClientConfig::new(
            "h",
            80,
            Auth::Password {
                user: "me@x.io".into(),
                password: "pa55-secret".into(),
            },
        );
        let text = format!("{c:?}");
        assert!(text.contains("me@x.io"));
        assert!(!text.contains("pa55-secret"));
        c.auth = Auth::AccessToken("tok-secret".into());
        assert!(!format!("{c:?}").contains("tok-secret"));
        c.auth = Auth::ClientCredentials(ClientCredentials {
            client_id: "cid".into(),
            client_secret: "cs-secret".into(),
            token_url: "https://idp/t".into(),
            scope: None,
            method: Default::default(),
        });
        let text = format!("{c:?}");
        assert!(text.contains("cid") && !text.contains("cs-secret"));
    }

    #[test]
    fn cluster_header_is_lower_cased_and_empty_means_none() {
        let mut c = ClientConfig::new("h", 80, Auth::AccessToken("t".into()));
        assert_eq!(c.cluster_header(), None);
        c.cluster_name = Some("MyCluster".into());
        assert_eq!(c.cluster_header().as_deref(), Some("mycluster"));
        c.cluster_name = Some("  ".into());
        assert_eq!(c.cluster_header(), None);
        c.catalog = Some(String::new());
        assert_eq!(c.v2_catalog(), None);
    }
}
