//! Connection settings: the keys of a connection string and DSN, resolved (connection string
//! first, then DSN, then defaults) into a [`ClientConfig`].
//!
//! | key (aliases) | meaning | default |
//! |---|---|---|
//! | `Host` (`Server`) | engine host | required |
//! | `Port` | engine port | 80, or 443 with TLS |
//! | `UID` (`User`), `PWD` (`Password`) | credentials | required unless `AccessToken` |
//! | `AccessToken` | bearer token instead of UID/PWD | — |
//! | `OAuthClientId`, `OAuthClientSecret`, `OAuthTokenUrl` | OAuth2 client credentials instead of UID/PWD | — |
//! | `OAuthScope` | space-separated scopes of the token request | — |
//! | `OAuthClientAuth` (`basic|post`) | how the client credentials reach the token endpoint | `basic` |
//! | `Catalog` | catalog (selects the V2 prepare) | — |
//! | `Database` (`Schema`) | default schema | — |
//! | `ClusterName` | `cluster-name` header | — |
//! | `Secure` (`SSL`) | TLS on/off (`1/0`, `true/false`, `yes/no`) | off |
//! | `SSLCACert` | PEM file of CA roots (the token endpoint trusts it besides the system roots) | system roots |
//! | `AutoResume` | resume a suspended cluster | on |
//! | `AutoResumeTimeout`, `PrepareTimeout`, `StrategyCacheTTL` | seconds | 300, 600, 300 |
//! | `LogLevel` (`off|error|warn|info|debug|trace`), `LogFile` | driver log | off |
//!
//! Exactly one authentication method may be given: `UID`/`PWD`, `AccessToken`, or the three
//! `OAuthClient*`/`OAuthTokenUrl` keys.
//!
//! `Driver`, `DSN`, `Description` are consumed by the driver manager or the DSN lookup; other
//! keys are ignored with a debug log line (applications add their own keys; trap 17).

use std::path::PathBuf;
use std::time::Duration;

use crate::client::oauth::validate_token_url;
use crate::client::{Auth, ClientAuth, ClientConfig, ClientCredentials};

use super::connstr::ConnStr;
use super::diag::OdbcError;

/// Every key this driver understands (DSN lookups read exactly these).
pub const KNOWN_KEYS: [&str; 26] = [
    "Host",
    "Server",
    "Port",
    "UID",
    "User",
    "PWD",
    "Password",
    "AccessToken",
    "OAuthClientId",
    "OAuthClientSecret",
    "OAuthTokenUrl",
    "OAuthScope",
    "OAuthClientAuth",
    "Catalog",
    "Database",
    "Schema",
    "ClusterName",
    "Secure",
    "SSL",
    "SSLCACert",
    "AutoResume",
    "AutoResumeTimeout",
    "PrepareTimeout",
    "StrategyCacheTTL",
    "LogLevel",
    "LogFile",
];

/// Keys handled elsewhere (driver manager, DSN lookup) that are not "unknown".
const CONSUMED_KEYS: [&str; 4] = ["Driver", "DSN", "Description", "FileDSN"];

/// Resolved connection settings.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Settings {
    /// DSN name, if one was used.
    pub dsn: Option<String>,
    /// Engine host.
    pub host: Option<String>,
    /// Engine port, if given.
    pub port: Option<u16>,
    /// User name.
    pub user: Option<String>,
    /// Password (never logged).
    pub password: Option<String>,
    /// Access token (never logged).
    pub access_token: Option<String>,
    /// OAuth client id.
    pub oauth_client_id: Option<String>,
    /// OAuth client secret (never logged).
    pub oauth_client_secret: Option<String>,
    /// OAuth token endpoint.
    pub oauth_token_url: Option<String>,
    /// OAuth scopes.
    pub oauth_scope: Option<String>,
    /// How the client credentials are sent (`OAuthClientAuth`).
    pub oauth_client_auth: Option<ClientAuth>,
    /// Catalog.
    pub catalog: Option<String>,
    /// Default schema.
    pub schema: Option<String>,
    /// Cluster name.
    pub cluster: Option<String>,
    /// TLS.
    pub tls: bool,
    /// CA roots file.
    pub ca_file: Option<PathBuf>,
    /// Auto-resume a suspended cluster.
    pub auto_resume: Option<bool>,
    /// Auto-resume timeout.
    pub auto_resume_timeout: Option<Duration>,
    /// Prepare timeout.
    pub prepare_timeout: Option<Duration>,
    /// Strategy cache TTL.
    pub strategy_cache_ttl: Option<Duration>,
    /// Log level text.
    pub log_level: Option<String>,
    /// Log file path.
    pub log_file: Option<String>,
    /// Connection-string keys this driver does not know (ignored; logged once the log is up).
    pub unknown_keys: Vec<String>,
}

impl std::fmt::Debug for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Settings")
            .field("dsn", &self.dsn)
            .field("host", &self.host)
            .field("port", &self.port)
            .field("user", &self.user)
            .field("password", &self.password.as_ref().map(|_| "***"))
            .field("access_token", &self.access_token.as_ref().map(|_| "***"))
            .field("oauth_client_id", &self.oauth_client_id)
            .field(
                "oauth_client_secret",
                &self.oauth_client_secret.as_ref().map(|_| "***"),
            )
            .field("oauth_token_url", &self.oauth_token_url)
            .field("oauth_scope", &self.oauth_scope)
            .field("oauth_client_auth", &self.oauth_client_auth)
            .field("catalog", &self.catalog)
            .field("schema", &self.schema)
            .field("cluster", &self.cluster)
            .field("tls", &self.tls)
            .finish_non_exhaustive()
    }
}

fn invalid(key: &str, value: &str, expected: &str) -> OdbcError {
    OdbcError::new(
        "08001",
        format!("invalid connection setting {key}='{value}': expected {expected}"),
    )
}

fn parse_bool(key: &str, value: &str) -> Result<bool, OdbcError> {
    match value.trim().to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" | "y" => Ok(true),
        "0" | "false" | "no" | "off" | "n" => Ok(false),
        _ => Err(invalid(key, value, "1/0, true/false, yes/no or on/off")),
    }
}

fn parse_seconds(key: &str, value: &str) -> Result<Duration, OdbcError> {
    value
        .trim()
        .parse::<f64>()
        .ok()
        .filter(|s| s.is_finite() && *s >= 0.0 && *s < 1e9)
        .map(Duration::from_secs_f64)
        .ok_or_else(|| invalid(key, value, "a number of seconds"))
}

fn parse_client_auth(key: &str, value: &str) -> Result<ClientAuth, OdbcError> {
    match value.trim().to_ascii_lowercase().as_str() {
        "basic" => Ok(ClientAuth::Basic),
        "post" => Ok(ClientAuth::Post),
        _ => Err(invalid(key, value, "basic or post")),
    }
}

/// Two layers of key/value pairs: the connection string overrides the DSN.
struct Layers<'a> {
    primary: &'a ConnStr,
    dsn: &'a ConnStr,
}

impl Layers<'_> {
    /// The first alias found in the connection string, else in the DSN; empty values count as
    /// absent. Returns the key spelling that matched (for messages) and the value.
    fn get(&self, aliases: &[&'static str]) -> Option<(&'static str, String)> {
        for layer in [self.primary, self.dsn] {
            for key in aliases {
                if let Some(v) = layer.get(key).filter(|v| !v.trim().is_empty()) {
                    return Some((key, v.to_string()));
                }
            }
        }
        None
    }

    fn text(&self, aliases: &[&'static str]) -> Option<String> {
        self.get(aliases).map(|(_, v)| v)
    }

    fn bool(&self, aliases: &[&'static str]) -> Result<Option<bool>, OdbcError> {
        self.get(aliases)
            .map(|(k, v)| parse_bool(k, &v))
            .transpose()
    }

    fn seconds(&self, aliases: &[&'static str]) -> Result<Option<Duration>, OdbcError> {
        self.get(aliases)
            .map(|(k, v)| parse_seconds(k, &v))
            .transpose()
    }
}

impl Settings {
    /// Resolves the settings from a connection string and the values of its DSN (if any).
    pub fn resolve(primary: &ConnStr, dsn_values: &ConnStr) -> Result<Self, OdbcError> {
        let unknown_keys = primary
            .pairs()
            .iter()
            .map(|(key, _)| key)
            .filter(|key| {
                !KNOWN_KEYS
                    .iter()
                    .chain(CONSUMED_KEYS.iter())
                    .any(|k| k.eq_ignore_ascii_case(key))
            })
            .cloned()
            .collect();
        let layers = Layers {
            primary,
            dsn: dsn_values,
        };
        let port = match layers.get(&["Port"]) {
            Some((k, v)) => Some(
                v.trim()
                    .parse::<u16>()
                    .ok()
                    .filter(|p| *p != 0)
                    .ok_or_else(|| invalid(k, &v, "a TCP port 1-65535"))?,
            ),
            None => None,
        };
        Ok(Self {
            dsn: primary
                .get("DSN")
                .map(str::to_string)
                .filter(|s| !s.is_empty()),
            host: layers
                .text(&["Host", "Server"])
                .map(|h| h.trim().to_string()),
            port,
            user: layers.text(&["UID", "User"]),
            password: layers.text(&["PWD", "Password"]),
            access_token: layers.text(&["AccessToken"]),
            oauth_client_id: layers.text(&["OAuthClientId"]),
            oauth_client_secret: layers.text(&["OAuthClientSecret"]),
            oauth_token_url: layers
                .text(&["OAuthTokenUrl"])
                .map(|u| u.trim().to_string()),
            oauth_scope: layers.text(&["OAuthScope"]),
            oauth_client_auth: match layers.get(&["OAuthClientAuth"]) {
                Some((k, v)) => Some(parse_client_auth(k, &v)?),
                None => None,
            },
            catalog: layers.text(&["Catalog"]),
            schema: layers.text(&["Database", "Schema"]),
            cluster: layers.text(&["ClusterName"]),
            tls: layers.bool(&["Secure", "SSL"])?.unwrap_or(false),
            ca_file: layers.text(&["SSLCACert"]).map(PathBuf::from),
            auto_resume: layers.bool(&["AutoResume"])?,
            auto_resume_timeout: layers.seconds(&["AutoResumeTimeout"])?,
            prepare_timeout: layers.seconds(&["PrepareTimeout"])?,
            strategy_cache_ttl: layers.seconds(&["StrategyCacheTTL"])?,
            log_level: layers.text(&["LogLevel"]),
            log_file: layers.text(&["LogFile"]),
            unknown_keys,
        })
    }

    /// The first setting needed to connect that is missing (`Host`, `UID`, `PWD`), if any.
    pub fn missing(&self) -> Option<&'static str> {
        if self.host.is_none() {
            return Some("Host");
        }
        if self.access_token.is_some() || self.uses_client_credentials() {
            return None;
        }
        if self.user.is_none() {
            return Some("UID");
        }
        if self.password.is_none() {
            return Some("PWD");
        }
        None
    }

    /// `true` when any of the OAuth client-credentials keys is set.
    fn uses_client_credentials(&self) -> bool {
        self.oauth_client_id.is_some()
            || self.oauth_client_secret.is_some()
            || self.oauth_token_url.is_some()
    }

    /// The client-credentials method: all three keys, no other method, an https token URL.
    fn client_credentials(&self) -> Result<Auth, OdbcError> {
        let others: Vec<&str> = [
            ("PWD", self.password.is_some()),
            ("AccessToken", self.access_token.is_some()),
        ]
        .into_iter()
        .filter_map(|(k, set)| set.then_some(k))
        .collect();
        if !others.is_empty() {
            return Err(OdbcError::new(
                "08001",
                format!(
                    "OAuth client credentials and {} are both set: give exactly one \
                     authentication method (UID/PWD, AccessToken, or OAuthClientId + \
                     OAuthClientSecret + OAuthTokenUrl)",
                    others.join(" and ")
                ),
            ));
        }
        let (Some(id), Some(secret), Some(url)) = (
            &self.oauth_client_id,
            &self.oauth_client_secret,
            &self.oauth_token_url,
        ) else {
            let missing: Vec<&str> = [
                ("OAuthClientId", self.oauth_client_id.is_none()),
                ("OAuthClientSecret", self.oauth_client_secret.is_none()),
                ("OAuthTokenUrl", self.oauth_token_url.is_none()),
            ]
            .into_iter()
            .filter_map(|(k, absent)| absent.then_some(k))
            .collect();
            return Err(OdbcError::new(
                "08001",
                format!(
                    "OAuth client credentials are incomplete: add {} to the connection string \
                     or DSN",
                    missing.join(" and ")
                ),
            ));
        };
        validate_token_url(url).map_err(|why| {
            OdbcError::new(
                "08001",
                format!("invalid connection setting OAuthTokenUrl='{url}': {why}"),
            )
        })?;
        Ok(Auth::ClientCredentials(ClientCredentials {
            client_id: id.clone(),
            client_secret: secret.clone(),
            token_url: url.clone(),
            scope: self.oauth_scope.clone(),
            method: self.oauth_client_auth.unwrap_or_default(),
        }))
    }

    /// `OAuthScope` and `OAuthClientAuth` only make sense with client credentials.
    fn no_oauth_options(&self) -> Result<(), OdbcError> {
        if self.oauth_scope.is_some() || self.oauth_client_auth.is_some() {
            return Err(OdbcError::new(
                "08001",
                "OAuthScope and OAuthClientAuth apply only to OAuth client credentials: add \
                 OAuthClientId, OAuthClientSecret and OAuthTokenUrl, or remove them",
            ));
        }
        Ok(())
    }

    /// The effective port: the given one, else 443 with TLS, else 80.
    pub fn effective_port(&self) -> u16 {
        self.port.unwrap_or(if self.tls { 443 } else { 80 })
    }

    /// `host:port` as shown by SQL_SERVER_NAME.
    pub fn server_name(&self) -> String {
        format!(
            "{}:{}",
            self.host.as_deref().unwrap_or(""),
            self.effective_port()
        )
    }

    /// The client configuration. `catalog` overrides the `Catalog` key when given
    /// (SQL_ATTR_CURRENT_CATALOG); `login_timeout` is SQL_ATTR_LOGIN_TIMEOUT.
    pub fn client_config(
        &self,
        catalog: Option<&str>,
        login_timeout: Option<Duration>,
    ) -> Result<ClientConfig, OdbcError> {
        let host = self.host.clone().ok_or_else(|| {
            OdbcError::new(
                "08001",
                "no Host given: add Host=<engine host> to the connection string or DSN",
            )
        })?;
        let auth = match (&self.access_token, &self.user, &self.password) {
            _ if self.uses_client_credentials() => self.client_credentials()?,
            (Some(_), _, Some(_)) => {
                return Err(OdbcError::new(
                    "08001",
                    "both PWD and AccessToken are set: give either UID/PWD or AccessToken",
                ));
            }
            (Some(token), _, None) => {
                self.no_oauth_options()?;
                Auth::AccessToken(token.clone())
            }
            (None, Some(user), Some(password)) => {
                self.no_oauth_options()?;
                Auth::Password {
                    user: user.clone(),
                    password: password.clone(),
                }
            }
            (None, None, _) => {
                return Err(OdbcError::new(
                    "28000",
                    "no user name given: add UID=<user> (and PWD=<token>) to the connection \
                     string or DSN",
                ));
            }
            (None, Some(_), None) => {
                return Err(OdbcError::new(
                    "28000",
                    "no password given: add PWD=<personal access token> to the connection \
                     string or DSN",
                ));
            }
        };
        let mut config = ClientConfig::new(host, self.effective_port(), auth);
        config.tls = self.tls;
        config.ca_file = self.ca_file.clone();
        config.cluster_name = self.cluster.clone();
        config.catalog = catalog
            .map(str::to_string)
            .or_else(|| self.catalog.clone())
            .filter(|c| !c.is_empty());
        config.schema = self.schema.clone();
        if let Some(v) = self.auto_resume {
            config.auto_resume = v;
        }
        if let Some(v) = self.auto_resume_timeout {
            config.auto_resume_timeout = v;
        }
        if let Some(v) = self.prepare_timeout {
            config.prepare_timeout = v;
        }
        if let Some(v) = self.strategy_cache_ttl {
            config.strategy_cache_ttl = v;
        }
        config.connect_timeout = login_timeout;
        Ok(config)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(cs: &str, dsn: &str) -> Result<Settings, OdbcError> {
        Settings::resolve(&ConnStr::parse(cs).unwrap(), &ConnStr::parse(dsn).unwrap())
    }

    #[test]
    fn connection_string_overrides_dsn_and_aliases_work() {
        let s = settings(
            "DSN=x;server=h1;user=u;Password=p;schema=tpch;ssl=1;Foo=bar",
            "Host=dsnhost;Port=9;UID=dsnuser;Catalog=local",
        )
        .unwrap();
        assert_eq!(s.host.as_deref(), Some("h1"));
        assert_eq!(s.port, Some(9));
        assert_eq!(s.user.as_deref(), Some("u"));
        assert_eq!(s.catalog.as_deref(), Some("local"));
        assert_eq!(s.schema.as_deref(), Some("tpch"));
        assert!(s.tls);
        assert_eq!(s.dsn.as_deref(), Some("x"));
        assert_eq!(s.missing(), None);
        assert_eq!(s.unknown_keys, vec!["Foo".to_string()]);
    }

    #[test]
    fn default_ports_follow_tls() {
        assert_eq!(settings("Host=h", "").unwrap().effective_port(), 80);
        assert_eq!(
            settings("Host=h;Secure=yes", "").unwrap().effective_port(),
            443
        );
        assert_eq!(
            settings("Host=h;Secure=yes;Port=1", "")
                .unwrap()
                .effective_port(),
            1
        );
    }

    #[test]
    fn invalid_values_are_reported_with_the_key() {
        let e = settings("Host=h;Port=abc", "").unwrap_err();
        assert_eq!(e.sqlstate, "08001");
        assert!(e.message.contains("Port='abc'"), "{}", e.message);
        assert!(settings("Host=h;SSL=maybe", "").is_err());
        assert!(settings("Host=h;PrepareTimeout=-1", "").is_err());
    }

    #[test]
    fn missing_pieces_and_auth_modes() {
        assert_eq!(settings("UID=u;PWD=p", "").unwrap().missing(), Some("Host"));
        assert_eq!(settings("Host=h;PWD=p", "").unwrap().missing(), Some("UID"));
        assert_eq!(settings("Host=h;UID=u", "").unwrap().missing(), Some("PWD"));
        assert_eq!(
            settings("Host=h;AccessToken=t", "").unwrap().missing(),
            None
        );
        let both = settings("Host=h;UID=u;PWD=p;AccessToken=t", "").unwrap();
        assert_eq!(
            both.client_config(None, None).unwrap_err().sqlstate,
            "08001"
        );
    }

    #[test]
    fn oauth_client_credentials_are_one_complete_method() {
        let cc = "Host=h;OAuthClientId=cid;OAuthClientSecret=csecret;\
                  OAuthTokenUrl=https://idp.example/token";
        let s = settings(&format!("{cc};OAuthScope=a b;OAuthClientAuth=POST"), "").unwrap();
        assert_eq!(s.missing(), None);
        assert!(!format!("{s:?}").contains("csecret"));
        match s.client_config(None, None).unwrap().auth {
            Auth::ClientCredentials(c) => {
                assert_eq!(c.client_id, "cid");
                assert_eq!(c.client_secret, "csecret");
                assert_eq!(c.token_url, "https://idp.example/token");
                assert_eq!(c.scope.as_deref(), Some("a b"));
                assert_eq!(c.method, ClientAuth::Post);
            }
            other => panic!("{other:?}"),
        }
        match settings(cc, "")
            .unwrap()
            .client_config(None, None)
            .unwrap()
            .auth
        {
            Auth::ClientCredentials(c) => assert_eq!(c.method, ClientAuth::Basic),
            other => panic!("{other:?}"),
        }
        let bad_method = settings(&format!("{cc};OAuthClientAuth=jwt"), "").unwrap_err();
        assert_eq!(bad_method.sqlstate, "08001");
        let cases = [
            (format!("{cc};UID=u;PWD=p"), "PWD"),
            (format!("{cc};AccessToken=t"), "AccessToken"),
            (format!("{cc};PWD=p;AccessToken=t"), "PWD and AccessToken"),
            (
                "Host=h;OAuthClientId=c".to_string(),
                "OAuthClientSecret and OAuthTokenUrl",
            ),
            (
                "Host=h;OAuthClientSecret=s;OAuthTokenUrl=https://i/t".to_string(),
                "OAuthClientId",
            ),
            ("Host=h;UID=u;PWD=p;OAuthScope=x".to_string(), "OAuthScope"),
            (
                "Host=h;AccessToken=t;OAuthClientAuth=post".to_string(),
                "OAuthScope",
            ),
            (
                "Host=h;OAuthClientId=c;OAuthClientSecret=s;OAuthTokenUrl=http://i/t".to_string(),
                "must use https",
            ),
            (
                "Host=h;OAuthClientId=c;OAuthClientSecret=s;OAuthTokenUrl=https://u@i/t"
                    .to_string(),
                "user information",
            ),
        ];
        for (cs, want) in cases {
            let e = settings(&cs, "")
                .unwrap()
                .client_config(None, None)
                .unwrap_err();
            assert_eq!(e.sqlstate, "08001", "{cs}");
            assert!(e.message.contains(want), "{cs}: {}", e.message);
            assert!(!e.message.contains("csecret"), "{}", e.message);
        }
    }

    #[test]
    fn client_config_carries_every_setting() {
        let s = settings(
            "Host=h;UID=u;PWD=pw-secret-1;Catalog=c;Database=d;ClusterName=Cl;AutoResume=0;\
             AutoResumeTimeout=7;PrepareTimeout=8;StrategyCacheTTL=9",
            "",
        )
        .unwrap();
        let c = s
            .client_config(Some("other"), Some(Duration::from_secs(3)))
            .unwrap();
        assert_eq!((c.host.as_str(), c.port), ("h", 80));
        assert_eq!(c.catalog.as_deref(), Some("other"));
        assert_eq!(c.schema.as_deref(), Some("d"));
        assert_eq!(c.cluster_name.as_deref(), Some("Cl"));
        assert!(!c.auto_resume);
        assert_eq!(c.auto_resume_timeout, Duration::from_secs(7));
        assert_eq!(c.prepare_timeout, Duration::from_secs(8));
        assert_eq!(c.strategy_cache_ttl, Duration::from_secs(9));
        assert_eq!(c.connect_timeout, Some(Duration::from_secs(3)));
        assert!(matches!(c.auth, Auth::Password { .. }));
        assert!(!format!("{s:?}").contains("pw-secret-1"));
    }
}
