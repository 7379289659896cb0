//! OAuth2 client credentials end to end: an in-test HTTPS token endpoint (a throw-away CA and
//! server certificate made with the `openssl` command at test time) mints the tokens that
//! e6data-local accepts as bearer tokens (`--user NAME:TOKEN`); the driver is used through the
//! unixODBC driver manager with `SSLCACert` pointing at the test CA.

#[path = "support/driver.rs"]
mod driver;
#[path = "support/engine.rs"]
mod engine;

use std::path::PathBuf;
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use odbc_api::{ConnectionOptions, Cursor, Environment};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls;
use tokio_rustls::rustls::pki_types::pem::PemObject;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer};

use driver::driver_path;
use engine::Engine;

/// The engine's only user: its token is the one good bearer token.
const GOOD_TOKEN: &str = "tok-good-7f3a";

/// A CA and a server certificate for `localhost`/127.0.0.1, in a fresh directory.
struct Pki {
    dir: PathBuf,
}

impl Pki {
    fn new(name: &str) -> Pki {
        let dir = std::env::temp_dir().join(format!("e6-oauth-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let ext = dir.join("san.ext");
        std::fs::write(&ext, "subjectAltName=DNS:localhost,IP:127.0.0.1\n").unwrap();
        let run = |args: &[String]| {
            let out = Command::new("openssl")
                .args(args)
                .current_dir(&dir)
                .output()
                .expect("the openssl command is needed to make test certificates");
            assert!(
                out.status.success(),
                "openssl {args:?}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        };
        let ec = "-newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2";
        let split = |text: String| text.split(' ').map(str::to_string).collect::<Vec<_>>();
        run(&split(format!(
            "req -x509 {ec} -keyout ca.key -out ca.pem -subj /CN=e6-test-ca"
        )));
        run(&split(format!(
            "req {ec} -keyout leaf.key -out leaf.csr -subj /CN=localhost"
        )));
        run(&split(
            "x509 -req -in leaf.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out leaf.pem \
             -days 2 -extfile san.ext"
                .to_string(),
        ));
        Pki { dir }
    }

    fn ca(&self) -> PathBuf {
        self.dir.join("ca.pem")
    }

    fn acceptor(&self) -> TlsAcceptor {
        let certs: Vec<CertificateDer<'static>> =
            CertificateDer::pem_file_iter(self.dir.join("leaf.pem"))
                .unwrap()
                .collect::<Result<_, _>>()
                .unwrap();
        let key = PrivateKeyDer::from_pem_file(self.dir.join("leaf.key")).unwrap();
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_no_client_auth()
            .with_single_cert(certs, key)
            .unwrap();
        TlsAcceptor::from(Arc::new(config))
    }
}

impl Drop for Pki {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// What the token endpoint saw of one request.
#[derive(Debug, Clone, Default)]
struct Seen {
    head: String,
    body: String,
}

/// An HTTPS token endpoint: answers the tokens of `tokens` in turn (the last one repeats), or
/// 401 `invalid_client` when the request does not carry `expected` (a header line or a body).
struct TokenEndpoint {
    url: String,
    requests: Arc<AtomicUsize>,
    seen: Arc<Mutex<Vec<Seen>>>,
    _pki: Pki,
}

impl TokenEndpoint {
    fn start(name: &str, tokens: &[&str], expected: &str) -> TokenEndpoint {
        let pki = Pki::new(name);
        let acceptor = pki.acceptor();
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let port = listener.local_addr().unwrap().port();
        let requests = Arc::new(AtomicUsize::new(0));
        let seen = Arc::new(Mutex::new(Vec::new()));
        let tokens: Vec<String> = tokens.iter().map(|t| t.to_string()).collect();
        let expected = expected.to_string();
        let (count, log) = (Arc::clone(&requests), Arc::clone(&seen));
        std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async move {
                let listener = tokio::net::TcpListener::from_std(listener).unwrap();
                loop {
                    let Ok((tcp, _)) = listener.accept().await else {
                        return;
                    };
                    let Ok(mut tls) = acceptor.accept(tcp).await else {
                        continue;
                    };
                    let request = read_request(&mut tls).await;
                    let n = count.fetch_add(1, Ordering::SeqCst);
                    let accepted =
                        request.head.contains(&expected) || request.body.contains(&expected);
                    log.lock().unwrap().push(request);
                    let (status, body) = if accepted {
                        let token = tokens.get(n).or(tokens.last()).unwrap();
                        (
                            "200 OK",
                            format!(
                                r#"{{"access_token":"{token}","token_type":"bearer","expires_in":3600}}"#
                            ),
                        )
                    } else {
                        (
                            "401 Unauthorized",
                            r#"{"error":"invalid_client","error_description":"bad client secret"}"#
                                .to_string(),
                        )
                    };
                    let reply = format!(
                        "HTTP/1.1 {status}\r\nContent-Type: application/json\r\n\
                         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
                        body.len()
                    );
                    let _ = tls.write_all(reply.as_bytes()).await;
                    let _ = tls.shutdown().await;
                }
            });
        });
        TokenEndpoint {
            url: format!("https://localhost:{port}/oauth2/token"),
            requests,
            seen,
            _pki: pki,
        }
    }

    fn count(&self) -> usize {
        self.requests.load(Ordering::SeqCst)
    }

    fn ca(&self) -> PathBuf {
        self._pki.ca()
    }
}

/// Reads one HTTP/1.1 request (head, then a `Content-Length` body).
async fn read_request<S: tokio::io::AsyncRead + Unpin>(s: &mut S) -> Seen {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..end]).to_string();
            let len = head
                .lines()
                .find_map(|l| {
                    let (k, v) = l.split_once(':')?;
                    k.eq_ignore_ascii_case("content-length")
                        .then(|| v.trim().parse::<usize>().ok())?
                })
                .unwrap_or(0);
            while buf.len() < end + 4 + len {
                let n = s.read(&mut chunk).await.unwrap_or(0);
                if n == 0 {
                    break;
                }
                buf.extend_from_slice(&chunk[..n]);
            }
            let body = String::from_utf8_lossy(&buf[end + 4..]).to_string();
            return Seen { head, body };
        }
        let n = s.read(&mut chunk).await.unwrap_or(0);
        if n == 0 {
            return Seen::default();
        }
        buf.extend_from_slice(&chunk[..n]);
    }
}

fn oauth_conn_str(engine: &Engine, endpoint: &TokenEndpoint, creds: &str) -> String {
    format!(
        "Driver={};Host={};Port={};OAuthTokenUrl={};SSLCACert={};{creds}",
        driver_path().display(),
        engine.host,
        engine.port,
        endpoint.url,
        endpoint.ca().display()
    )
}

fn select_one(conn: &odbc_api::Connection<'_>) -> i64 {
    let mut cursor = conn
        .execute("SELECT 41 + 1 AS answer", (), None)
        .expect("query")
        .expect("a result set");
    let mut row = cursor.next_row().unwrap().expect("one row");
    let mut v = 0i64;
    row.get_data(1, &mut v).unwrap();
    v
}

fn connect_error(env: &Environment, cs: &str) -> (String, String) {
    match env.connect_with_connection_string(cs, ConnectionOptions::default()) {
        Ok(_) => panic!("connecting must fail"),
        Err(odbc_api::Error::Diagnostics { record, .. }) => {
            (record.state.as_str().to_string(), record.to_string())
        }
        Err(other) => panic!("expected a diagnostic record, got {other}"),
    }
}

fn engine() -> Engine {
    Engine::start_with(&["--user", &format!("oauth-app:{GOOD_TOKEN}")])
}

#[test]
fn client_credentials_connect_query_and_share_the_cached_token() {
    let engine = engine();
    // basic: Authorization: Basic base64(quote_plus("drv client") ":" quote_plus("s3cr:t"))
    let basic = "Basic ZHJ2K2NsaWVudDpzM2NyJTNBdA==";
    let endpoint = TokenEndpoint::start("basic", &[GOOD_TOKEN], basic);
    let cs = oauth_conn_str(
        &engine,
        &endpoint,
        "OAuthClientId=drv client;OAuthClientSecret=s3cr:t;OAuthScope=sql read",
    );
    let env = Environment::new().unwrap();
    let conn = env
        .connect_with_connection_string(&cs, ConnectionOptions::default())
        .expect("connect with client credentials");
    assert_eq!(select_one(&conn), 42);
    let second = env
        .connect_with_connection_string(&cs, ConnectionOptions::default())
        .expect("second connection");
    assert_eq!(select_one(&second), 42);
    assert_eq!(endpoint.count(), 1, "the token is cached and shared");
    let seen = endpoint.seen.lock().unwrap()[0].clone();
    let head = seen.head.to_ascii_lowercase();
    assert!(head.starts_with("post /oauth2/token http/1.1"), "{head}");
    assert!(head.contains("content-type: application/x-www-form-urlencoded"));
    assert!(head.contains("accept: application/json"));
    assert_eq!(seen.body, "grant_type=client_credentials&scope=sql+read");
}

#[test]
fn a_rejected_token_is_refreshed_once_and_the_call_retried() {
    let engine = engine();
    let endpoint = TokenEndpoint::start(
        "refresh",
        &["tok-stale", GOOD_TOKEN],
        "client_id=app&client_secret=pw",
    );
    let cs = oauth_conn_str(
        &engine,
        &endpoint,
        "OAuthClientId=app;OAuthClientSecret=pw;OAuthClientAuth=post",
    );
    let env = Environment::new().unwrap();
    let conn = env
        .connect_with_connection_string(&cs, ConnectionOptions::default())
        .expect("connect");
    assert_eq!(endpoint.count(), 1);
    assert_eq!(select_one(&conn), 42);
    assert_eq!(endpoint.count(), 2, "one refresh after UNAUTHENTICATED");
    assert_eq!(select_one(&conn), 42);
    assert_eq!(endpoint.count(), 2, "the refreshed token is cached");
    let seen = endpoint.seen.lock().unwrap()[0].clone();
    assert!(!seen.head.to_ascii_lowercase().contains("authorization:"));
}

#[test]
fn a_wrong_client_secret_is_08001_with_the_endpoint_answer() {
    let engine = engine();
    let endpoint = TokenEndpoint::start("wrong", &[GOOD_TOKEN], "client_secret=right-one");
    let cs = oauth_conn_str(
        &engine,
        &endpoint,
        "OAuthClientId=app;OAuthClientSecret=wrong-one;OAuthClientAuth=post",
    );
    let env = Environment::new().unwrap();
    let (state, message) = connect_error(&env, &cs);
    assert_eq!(state, "08001", "{message}");
    assert!(message.contains("HTTP 401"), "{message}");
    assert!(message.contains("invalid_client"), "{message}");
    assert!(!message.contains("wrong-one"), "{message}");
    assert_eq!(endpoint.count(), 1);
}

#[test]
fn configuration_errors_are_08001() {
    let engine = engine();
    let env = Environment::new().unwrap();
    let base = format!(
        "Driver={};Host={};Port={}",
        driver_path().display(),
        engine.host,
        engine.port
    );
    let (state, message) = connect_error(
        &env,
        &format!(
            "{base};OAuthClientId=a;OAuthClientSecret=b;OAuthTokenUrl=http://localhost:1/token"
        ),
    );
    assert_eq!(state, "08001");
    assert!(message.contains("https"), "{message}");
    let (state, message) = connect_error(
        &env,
        &format!(
            "{base};UID=u;PWD=p;OAuthClientId=a;OAuthClientSecret=b;\
             OAuthTokenUrl=https://localhost:1/token"
        ),
    );
    assert_eq!(state, "08001");
    assert!(message.contains("exactly one"), "{message}");
    // An unreachable endpoint says which one.
    let (state, message) = connect_error(
        &env,
        &format!(
            "{base};OAuthClientId=a;OAuthClientSecret=b;OAuthTokenUrl=https://127.0.0.1:1/token"
        ),
    );
    assert_eq!(state, "08001");
    assert!(message.contains("127.0.0.1:1"), "{message}");
}

/// The only test of this binary that sets `LogLevel` (the log is installed once per process):
/// at `trace`, the log shows the token work but never a client secret or a token, of this
/// connection or of the other tests running meanwhile.
#[test]
fn the_driver_log_never_shows_secrets_or_tokens() {
    let engine = engine();
    let secret = "log-secret-93";
    let endpoint = TokenEndpoint::start(
        "log",
        &["tok-stale-log", GOOD_TOKEN],
        &format!("client_secret={secret}"),
    );
    let log = std::env::temp_dir().join(format!("e6-oauth-log-{}.log", std::process::id()));
    let _ = std::fs::remove_file(&log);
    let cs = oauth_conn_str(
        &engine,
        &endpoint,
        &format!(
            "OAuthClientId=logger;OAuthClientSecret={secret};OAuthClientAuth=post;\
             LogLevel=trace;LogFile={}",
            log.display()
        ),
    );
    let env = Environment::new().unwrap();
    let conn = env
        .connect_with_connection_string(&cs, ConnectionOptions::default())
        .expect("connect");
    assert_eq!(select_one(&conn), 42);
    drop(conn);
    let text = std::fs::read_to_string(&log).expect("the driver log");
    let _ = std::fs::remove_file(&log);
    assert!(text.contains("obtained an OAuth access token"), "{text}");
    assert!(text.contains("rejected the OAuth access token"), "{text}");
    for hidden in [
        secret,
        GOOD_TOKEN,
        "tok-stale",
        "s3cr:t",
        "s3cr%3At",
        "wrong-one",
        "ZHJ2K2NsaWVudDpzM2NyJTNBdA",
    ] {
        assert!(!text.contains(hidden), "the log shows {hidden}");
    }
}
