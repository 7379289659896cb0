//! The pure parts of the OAuth2 client-credentials exchange (spec §8.1): token URL
//! validation, the request (form body and `Authorization` header) and the checks on the answer.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

use super::ClientAuth;

/// A validated HTTPS token endpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TokenUrl {
    /// Host name or IP address (without IPv6 brackets); also the TLS server name.
    pub(crate) host: String,
    /// TCP port (443 unless given).
    pub(crate) port: u16,
    /// The `Host` header value (`host` or `host:port`, as written in the URL).
    pub(crate) authority: String,
    /// Path and query sent in the request line.
    pub(crate) path_and_query: String,
}

/// Checks `text` against the token endpoint rules: HTTPS, a host, no user-info, no fragment.
pub(crate) fn parse_token_url(text: &str) -> Result<TokenUrl, String> {
    let text = text.trim();
    if text.contains('#') {
        return Err("the token URL must not contain a fragment ('#')".into());
    }
    let uri: http::Uri = text
        .parse()
        .map_err(|e| format!("the token URL is not a valid URL ({e})"))?;
    match uri.scheme_str() {
        Some(s) if s.eq_ignore_ascii_case("https") => {}
        Some(s) => {
            return Err(format!(
                "the token URL must use https, not {s}; the client secret is never sent in clear"
            ));
        }
        None => return Err("the token URL must be an absolute https:// URL".into()),
    }
    let authority = uri
        .authority()
        .ok_or_else(|| "the token URL has no host".to_string())?;
    if authority.as_str().contains('@') {
        return Err("the token URL must not contain user information (user@host)".into());
    }
    let host = authority
        .host()
        .trim_start_matches('[')
        .trim_end_matches(']')
        .to_owned();
    if host.is_empty() {
        return Err("the token URL has no host".into());
    }
    let path_and_query = uri
        .path_and_query()
        .map(|p| p.as_str())
        .filter(|p| !p.is_empty())
        .unwrap_or("/")
        .to_owned();
    Ok(TokenUrl {
        host,
        port: authority.port_u16().unwrap_or(443),
        authority: authority.as_str().to_owned(),
        path_and_query,
    })
}

/// What goes to the token endpoint besides the fixed headers.
#[derive(PartialEq, Eq)]
pub(crate) struct TokenRequest {
    /// `Authorization` header value (`basic` method only).
    pub(crate) authorization: Option<String>,
    /// `application/x-www-form-urlencoded` body.
    pub(crate) body: String,
}

/// The request for `client_id`/`client_secret` with an optional space-separated `scope`.
pub(crate) fn build_request(
    client_id: &str,
    client_secret: &str,
    scope: Option<&str>,
    method: ClientAuth,
) -> TokenRequest {
    let mut body = String::from("grant_type=client_credentials");
    if let Some(scope) = scope.filter(|s| !s.is_empty()) {
        body.push_str("&scope=");
        body.push_str(&quote_plus(scope));
    }
    let authorization = match method {
        ClientAuth::Basic => {
            let pair = format!("{}:{}", quote_plus(client_id), quote_plus(client_secret));
            Some(format!("Basic {}", STANDARD.encode(pair)))
        }
        ClientAuth::Post => {
            body.push_str("&client_id=");
            body.push_str(&quote_plus(client_id));
            body.push_str("&client_secret=");
            body.push_str(&quote_plus(client_secret));
            None
        }
    };
    TokenRequest {
        authorization,
        body,
    }
}

/// Form encoding: unreserved characters kept, space as `+`, every other UTF-8 byte as `%XX`.
pub(crate) fn quote_plus(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                out.push(char::from(b))
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// A token as the endpoint issued it.
#[derive(PartialEq, Eq)]
pub(crate) struct Issued {
    /// The bearer token (printable ASCII).
    pub(crate) access_token: String,
    /// Lifetime in seconds (positive).
    pub(crate) expires_in: u64,
}

impl std::fmt::Debug for Issued {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Issued")
            .field("access_token", &"<redacted>")
            .field("expires_in", &self.expires_in)
            .finish()
    }
}

/// Most characters of an endpoint's error body quoted in a message.
const QUOTED_BODY_CHARS: usize = 200;

/// Checks the endpoint's answer: a 2xx status and JSON with a non-empty printable-ASCII
/// `access_token`, `token_type` `Bearer` (any case) and a positive integer `expires_in`.
pub(crate) fn parse_response(status: u16, body: &[u8]) -> Result<Issued, String> {
    if !(200..300).contains(&status) {
        return Err(format!(
            "the token endpoint answered HTTP {status}{}",
            quoted(body)
        ));
    }
    let json: serde_json::Value = serde_json::from_slice(body).map_err(|e| {
        format!(
            "the token endpoint's answer is not JSON ({e}){}",
            quoted(body)
        )
    })?;
    let access_token = match json.get("access_token") {
        Some(serde_json::Value::String(t)) if !t.is_empty() => t,
        Some(serde_json::Value::String(_)) => {
            return Err("the token endpoint returned an empty access_token".into());
        }
        Some(_) => return Err("the token endpoint's access_token is not a string".into()),
        None => return Err("the token endpoint's answer has no access_token".into()),
    };
    if !access_token.bytes().all(|b| (0x21..0x7f).contains(&b)) {
        return Err(
            "the token endpoint's access_token is not printable ASCII and cannot be sent".into(),
        );
    }
    match json.get("token_type") {
        Some(serde_json::Value::String(t)) if t.eq_ignore_ascii_case("bearer") => {}
        Some(serde_json::Value::String(t)) => {
            return Err(format!(
                "the token endpoint issued a {t:?} token; only Bearer tokens are supported"
            ));
        }
        Some(_) => return Err("the token endpoint's token_type is not a string".into()),
        None => return Err("the token endpoint's answer has no token_type".into()),
    }
    let expires_in = match json.get("expires_in") {
        Some(v) => v.as_u64().filter(|n| *n > 0).ok_or_else(|| {
            format!("the token endpoint's expires_in ({v}) is not a positive integer")
        })?,
        None => return Err("the token endpoint's answer has no expires_in".into()),
    };
    Ok(Issued {
        access_token: access_token.clone(),
        expires_in,
    })
}

/// `: <body>` with the body cut to [`QUOTED_BODY_CHARS`] printable characters, or nothing.
fn quoted(body: &[u8]) -> String {
    let text: String = String::from_utf8_lossy(body)
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .take(QUOTED_BODY_CHARS)
        .collect();
    let text = text.trim();
    if text.is_empty() {
        String::new()
    } else {
        format!(": {text}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_url_rules() {
        let u = parse_token_url("https://idp.example.com/oauth/token?a=1").unwrap();
        assert_eq!(u.host, "idp.example.com");
        assert_eq!(u.port, 443);
        assert_eq!(u.authority, "idp.example.com");
        assert_eq!(u.path_and_query, "/oauth/token?a=1");
        let u = parse_token_url("HTTPS://127.0.0.1:8443").unwrap();
        assert_eq!((u.host.as_str(), u.port), ("127.0.0.1", 8443));
        assert_eq!(u.path_and_query, "/");
        let u = parse_token_url("https://[::1]:9/t").unwrap();
        assert_eq!((u.host.as_str(), u.authority.as_str()), ("::1", "[::1]:9"));
        for bad in [
            "http://idp/token",
            "ftp://idp/token",
            "idp.example.com/token",
            "/token",
            "https://user:pw@idp/token",
            "https://idp/token#frag",
            "https://",
            "",
        ] {
            assert!(parse_token_url(bad).is_err(), "{bad}");
        }
        assert!(
            parse_token_url("http://idp/t")
                .unwrap_err()
                .contains("must use https")
        );
    }

    #[test]
    fn quote_plus_encodes_like_form_encoding() {
        assert_eq!(quote_plus("aZ09-._~"), "aZ09-._~");
        assert_eq!(quote_plus("a b"), "a+b");
        assert_eq!(quote_plus("a:b/c+d=e&f%"), "a%3Ab%2Fc%2Bd%3De%26f%25");
        assert_eq!(quote_plus("é"), "%C3%A9");
    }

    #[test]
    fn basic_request_puts_quoted_credentials_in_the_header() {
        let r = build_request("my id", "s:cr+t", None, ClientAuth::Basic);
        assert_eq!(r.body, "grant_type=client_credentials");
        // base64("my+id:s%3Acr%2Bt")
        assert_eq!(
            r.authorization.as_deref(),
            Some(format!("Basic {}", STANDARD.encode("my+id:s%3Acr%2Bt")).as_str())
        );
        assert_eq!(
            r.authorization.as_deref(),
            Some("Basic bXkraWQ6cyUzQWNyJTJCdA==")
        );
    }

    #[test]
    fn post_request_puts_credentials_in_the_body_after_the_scope() {
        let r = build_request("id&1", "p w", Some("read write"), ClientAuth::Post);
        assert_eq!(r.authorization, None);
        assert_eq!(
            r.body,
            "grant_type=client_credentials&scope=read+write&client_id=id%261&client_secret=p+w"
        );
        let r = build_request("i", "s", Some("a/b"), ClientAuth::Basic);
        assert_eq!(r.body, "grant_type=client_credentials&scope=a%2Fb");
        let r = build_request("i", "s", Some(""), ClientAuth::Basic);
        assert_eq!(r.body, "grant_type=client_credentials");
    }

    #[test]
    fn accepts_a_well_formed_answer() {
        let ok = br#"{"access_token":"abc.DEF-1","token_type":"bearer","expires_in":3600,"x":1}"#;
        let t = parse_response(200, ok).unwrap();
        assert_eq!(t.access_token, "abc.DEF-1");
        assert_eq!(t.expires_in, 3600);
        assert!(!format!("{t:?}").contains("abc.DEF"));
        let ok = br#"{"access_token":"t","token_type":"Bearer","expires_in":1}"#;
        assert!(parse_response(201, ok).is_ok());
    }

    #[test]
    fn rejects_every_malformed_answer() {
        let cases: [(u16, &[u8], &str); 14] = [
            (
                401,
                br#"{"error":"invalid_client"}"#,
                "HTTP 401: {\"error\":\"invalid_client\"}",
            ),
            (500, b"", "HTTP 500"),
            (302, b"", "HTTP 302"),
            (200, b"<html>", "not JSON"),
            (
                200,
                br#"{"token_type":"Bearer","expires_in":1}"#,
                "no access_token",
            ),
            (
                200,
                br#"{"access_token":"","token_type":"Bearer","expires_in":1}"#,
                "empty",
            ),
            (
                200,
                br#"{"access_token":7,"token_type":"Bearer","expires_in":1}"#,
                "not a string",
            ),
            (
                200,
                "{\"access_token\":\"t\u{e9}\",\"token_type\":\"Bearer\",\"expires_in\":1}"
                    .as_bytes(),
                "printable ASCII",
            ),
            (
                200,
                br#"{"access_token":"a b","token_type":"Bearer","expires_in":1}"#,
                "printable ASCII",
            ),
            (
                200,
                br#"{"access_token":"t","expires_in":1}"#,
                "no token_type",
            ),
            (
                200,
                br#"{"access_token":"t","token_type":"mac","expires_in":1}"#,
                "only Bearer",
            ),
            (
                200,
                br#"{"access_token":"t","token_type":"Bearer"}"#,
                "no expires_in",
            ),
            (
                200,
                br#"{"access_token":"t","token_type":"Bearer","expires_in":0}"#,
                "positive integer",
            ),
            (
                200,
                br#"{"access_token":"t","token_type":"Bearer","expires_in":"60"}"#,
                "positive integer",
            ),
        ];
        for (status, body, want) in cases {
            let err = parse_response(status, body).unwrap_err();
            assert!(err.contains(want), "{status} {body:?}: {err}");
        }
        for v in ["-5", "1.5", "null"] {
            let body = format!(r#"{{"access_token":"t","token_type":"Bearer","expires_in":{v}}}"#);
            assert!(parse_response(200, body.as_bytes()).is_err(), "{v}");
        }
    }

    #[test]
    fn long_error_bodies_are_cut() {
        let body = "x".repeat(1000);
        let err = parse_response(400, body.as_bytes()).unwrap_err();
        assert!(err.len() < 300, "{}", err.len());
    }
}
