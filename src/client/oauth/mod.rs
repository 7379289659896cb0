//! OAuth2 client-credentials tokens (spec §8.1, 3.0.2): the settings, the token provider that
//! asks the token endpoint and caches the answer until `expires_in − 60 s`, and the
//! process-wide registry that lets connections with identical settings share one cache.
//!
//! The endpoint is trusted through the system roots plus the `ca_file` of the client
//! configuration (the driver's `SSLCACert`), when one is given.

mod form;
mod transport;

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, LazyLock, Weak};
use std::time::Duration;

use tokio::time::Instant;
use tracing::debug;

use form::TokenUrl;

/// How the client credentials reach the token endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum ClientAuth {
    /// `Authorization: Basic base64(quote_plus(id):quote_plus(secret))` (the default).
    #[default]
    Basic,
    /// `client_id` and `client_secret` in the form body.
    Post,
}

/// OAuth2 client-credentials settings.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct ClientCredentials {
    /// The OAuth client id.
    pub client_id: String,
    /// The OAuth client secret. Never logged.
    pub client_secret: String,
    /// The token endpoint; must be `https://` without user-info or fragment.
    pub token_url: String,
    /// Space-separated scopes, if any.
    pub scope: Option<String>,
    /// How the credentials are sent.
    pub method: ClientAuth,
}

impl fmt::Debug for ClientCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientCredentials")
            .field("client_id", &self.client_id)
            .field("client_secret", &"<redacted>")
            .field("token_url", &self.token_url)
            .field("scope", &self.scope)
            .field("method", &self.method)
            .finish()
    }
}

/// How long before its expiry a token is replaced.
pub(crate) const REFRESH_LEEWAY: Duration = Duration::from_secs(60);
/// Longest lifetime honoured (keeps the expiry arithmetic far from overflow).
const MAX_LIFETIME: Duration = Duration::from_secs(365 * 24 * 3600);

/// A cached token and when to replace it.
struct Cached {
    token: String,
    refresh_at: Instant,
}

impl Cached {
    /// A token issued at `now` for `expires_in` seconds, reused until `expires_in − 60 s`
    /// (a lifetime of 60 s or less is used for one call only).
    fn new(token: String, expires_in: u64, now: Instant) -> Cached {
        let lifetime = Duration::from_secs(expires_in).min(MAX_LIFETIME);
        let usable = lifetime.saturating_sub(REFRESH_LEEWAY);
        Cached {
            token,
            refresh_at: now.checked_add(usable).unwrap_or(now),
        }
    }

    fn fresh(&self, now: Instant) -> bool {
        now < self.refresh_at
    }
}

/// Fetches and caches the tokens of one set of client credentials.
pub(crate) struct TokenProvider {
    creds: ClientCredentials,
    ca_file: Option<PathBuf>,
    url: TokenUrl,
    cached: tokio::sync::Mutex<Option<Cached>>,
}

type RegistryKey = (ClientCredentials, Option<PathBuf>);

/// Providers by settings; entries die with the last connection using them.
static PROVIDERS: LazyLock<parking_lot::Mutex<HashMap<RegistryKey, Weak<TokenProvider>>>> =
    LazyLock::new(Default::default);

/// Checks a token URL (https, a host, no user-info, no fragment); the error says why not.
pub fn validate_token_url(url: &str) -> Result<(), String> {
    form::parse_token_url(url).map(|_| ())
}

/// The provider shared by every connection of this process with these settings. Fails (with
/// a message) when the token URL breaks the rules.
pub(crate) fn provider_for(
    creds: &ClientCredentials,
    ca_file: Option<&Path>,
) -> Result<Arc<TokenProvider>, String> {
    let url = form::parse_token_url(&creds.token_url)?;
    let key = (creds.clone(), ca_file.map(Path::to_path_buf));
    let mut providers = PROVIDERS.lock();
    if let Some(existing) = providers.get(&key).and_then(Weak::upgrade) {
        return Ok(existing);
    }
    providers.retain(|_, p| p.strong_count() > 0);
    let provider = Arc::new(TokenProvider {
        creds: creds.clone(),
        ca_file: key.1.clone(),
        url,
        cached: tokio::sync::Mutex::new(None),
    });
    providers.insert(key, Arc::downgrade(&provider));
    Ok(provider)
}

impl TokenProvider {
    /// The cached token while it is fresh, else a new one from the endpoint.
    pub(crate) async fn token(&self) -> Result<String, String> {
        let mut cached = self.cached.lock().await;
        if let Some(c) = cached.as_ref().filter(|c| c.fresh(Instant::now())) {
            return Ok(c.token.clone());
        }
        let fresh = self.fetch().await?;
        let token = fresh.token.clone();
        *cached = Some(fresh);
        Ok(token)
    }

    /// A new token after the engine rejected `rejected`; when another connection already
    /// replaced it, that newer token is returned without asking the endpoint again.
    pub(crate) async fn refresh(&self, rejected: &str) -> Result<String, String> {
        let mut cached = self.cached.lock().await;
        if let Some(c) = cached
            .as_ref()
            .filter(|c| c.token != rejected && c.fresh(Instant::now()))
        {
            return Ok(c.token.clone());
        }
        *cached = None;
        let fresh = self.fetch().await?;
        let token = fresh.token.clone();
        *cached = Some(fresh);
        Ok(token)
    }

    async fn fetch(&self) -> Result<Cached, String> {
        let request = form::build_request(
            &self.creds.client_id,
            &self.creds.client_secret,
            self.creds.scope.as_deref(),
            self.creds.method,
        );
        let (status, body) = transport::post(&self.url, self.ca_file.as_deref(), &request)
            .await
            .map_err(|e| self.scrub(e))?;
        let issued = form::parse_response(status, &body).map_err(|e| self.scrub(e))?;
        debug!(endpoint = %self.url.authority, expires_in = issued.expires_in, "obtained an OAuth access token");
        Ok(Cached::new(
            issued.access_token,
            issued.expires_in,
            Instant::now(),
        ))
    }

    /// `message` without the client secret, should the endpoint have echoed it.
    fn scrub(&self, message: String) -> String {
        let secret = &self.creds.client_secret;
        if secret.is_empty() {
            return message;
        }
        message
            .replace(secret.as_str(), "***")
            .replace(&form::quote_plus(secret), "***")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn creds(secret: &str) -> ClientCredentials {
        ClientCredentials {
            client_id: "id".into(),
            client_secret: secret.into(),
            token_url: "https://idp.example/token".into(),
            scope: None,
            method: ClientAuth::Basic,
        }
    }

    #[test]
    fn tokens_are_reused_until_sixty_seconds_before_expiry() {
        let t0 = Instant::now();
        let c = Cached::new("t".into(), 3600, t0);
        assert!(c.fresh(t0));
        assert!(c.fresh(t0 + Duration::from_secs(3539)));
        assert!(!c.fresh(t0 + Duration::from_secs(3540)));
        assert!(!c.fresh(t0 + Duration::from_secs(4000)));
        // A lifetime within the leeway is never reused.
        assert!(!Cached::new("t".into(), 60, t0).fresh(t0));
        assert!(!Cached::new("t".into(), 1, t0).fresh(t0));
        // A huge lifetime does not overflow.
        assert!(Cached::new("t".into(), u64::MAX, t0).fresh(t0 + Duration::from_secs(86400)));
    }

    #[test]
    fn identical_settings_share_a_provider() {
        let a = provider_for(&creds("s1"), None).unwrap();
        let b = provider_for(&creds("s1"), None).unwrap();
        let c = provider_for(&creds("s2"), None).unwrap();
        let d = provider_for(&creds("s1"), Some(Path::new("/ca.pem"))).unwrap();
        assert!(Arc::ptr_eq(&a, &b));
        assert!(!Arc::ptr_eq(&a, &c));
        assert!(!Arc::ptr_eq(&a, &d));
    }

    #[test]
    fn bad_token_urls_are_refused_before_any_request() {
        let mut c = creds("s");
        c.token_url = "http://idp.example/token".into();
        match provider_for(&c, None) {
            Err(e) => assert!(e.contains("https"), "{e}"),
            Ok(_) => panic!("an http token URL was accepted"),
        }
        assert!(validate_token_url("https://idp/t").is_ok());
    }

    #[test]
    fn debug_and_messages_hide_the_secret() {
        let c = creds("top secret");
        assert!(!format!("{c:?}").contains("top secret"));
        let p = provider_for(&c, None).unwrap();
        let msg = p.scrub("echo: top secret / top+secret".into());
        assert_eq!(msg, "echo: *** / ***");
    }

    #[tokio::test]
    async fn a_fresh_cached_token_is_served_without_a_request() {
        // The URL points nowhere: any request would fail.
        let mut c = creds("cache");
        c.token_url = "https://127.0.0.1:1/none".into();
        let p = provider_for(&c, None).unwrap();
        *p.cached.lock().await = Some(Cached::new("cached-tok".into(), 3600, Instant::now()));
        assert_eq!(p.token().await.unwrap(), "cached-tok");
        // A rejection of an older token returns the newer cached one.
        assert_eq!(p.refresh("older").await.unwrap(), "cached-tok");
        // A rejection of the cached token forces a request (which fails here).
        let err = p.refresh("cached-tok").await.unwrap_err();
        assert!(err.contains("127.0.0.1:1"), "{err}");
        assert!(p.cached.lock().await.is_none());
    }
}
