//! One HTTPS POST to the token endpoint: HTTP/1.1 over rustls, trusting the system roots plus
//! an optional PEM CA file; no proxy, no redirects, a 10 s limit and a 64 KiB answer limit.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper_util::rt::TokioIo;
use tokio_rustls::TlsConnector;
use tokio_rustls::rustls::pki_types::pem::PemObject;
use tokio_rustls::rustls::pki_types::{CertificateDer, ServerName};
use tokio_rustls::rustls::{self, RootCertStore};

use super::super::channel::error_chain;
use super::form::{TokenRequest, TokenUrl};

/// Time allowed for the whole exchange (connect, TLS, request, answer).
pub(crate) const TOKEN_TIMEOUT: Duration = Duration::from_secs(10);
/// Largest answer body read.
pub(crate) const MAX_ANSWER_BYTES: usize = 64 * 1024;

/// POSTs `request` to `url`; returns the HTTP status and the body. Errors are messages.
pub(crate) async fn post(
    url: &TokenUrl,
    ca_file: Option<&Path>,
    request: &TokenRequest,
) -> Result<(u16, Bytes), String> {
    match tokio::time::timeout(TOKEN_TIMEOUT, exchange(url, ca_file, request)).await {
        Ok(result) => result,
        Err(_) => Err(format!(
            "the token endpoint {} did not answer within {} s",
            url.authority,
            TOKEN_TIMEOUT.as_secs()
        )),
    }
}

async fn exchange(
    url: &TokenUrl,
    ca_file: Option<&Path>,
    request: &TokenRequest,
) -> Result<(u16, Bytes), String> {
    let unreachable = |what: &str, e: &dyn std::error::Error| {
        format!(
            "cannot reach the token endpoint {} ({what}: {})",
            url.authority,
            error_chain(e)
        )
    };
    let tcp = tokio::net::TcpStream::connect((url.host.as_str(), url.port))
        .await
        .map_err(|e| unreachable("connect", &e))?;
    let tls = tls_config(ca_file)?;
    let name = ServerName::try_from(url.host.clone())
        .map_err(|e| format!("the token URL host {:?} is not valid ({e})", url.host))?;
    let stream = TlsConnector::from(Arc::new(tls))
        .connect(name, tcp)
        .await
        .map_err(|e| unreachable("TLS", &e))?;
    let (mut sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .map_err(|e| unreachable("HTTP", &e))?;
    let driver = tokio::spawn(async move {
        if let Err(e) = conn.await {
            tracing::debug!(error = %e, "token endpoint connection ended with an error");
        }
    });
    let mut builder = http::Request::post(url.path_and_query.as_str())
        .header(http::header::HOST, url.authority.as_str())
        .header(
            http::header::CONTENT_TYPE,
            "application/x-www-form-urlencoded",
        )
        .header(http::header::ACCEPT, "application/json");
    if let Some(auth) = &request.authorization {
        let mut value = http::HeaderValue::from_str(auth)
            .map_err(|_| "the client credentials cannot be sent in a header".to_string())?;
        value.set_sensitive(true);
        builder = builder.header(http::header::AUTHORIZATION, value);
    }
    let req = builder
        .body(Full::new(Bytes::from(request.body.clone())))
        .map_err(|e| format!("cannot build the token request ({e})"))?;
    let result = async {
        let resp = sender
            .send_request(req)
            .await
            .map_err(|e| unreachable("HTTP", &e))?;
        let status = resp.status().as_u16();
        let body = Limited::new(resp.into_body(), MAX_ANSWER_BYTES)
            .collect()
            .await
            .map_err(|e| {
                format!(
                    "reading the token endpoint's answer (HTTP {status}) failed: {e} (limit {} \
                     bytes)",
                    MAX_ANSWER_BYTES
                )
            })?
            .to_bytes();
        Ok((status, body))
    }
    .await;
    driver.abort();
    result
}

/// rustls client settings: system roots plus the certificates of `ca_file`, HTTP/1.1.
fn tls_config(ca_file: Option<&Path>) -> Result<rustls::ClientConfig, String> {
    let mut roots = RootCertStore::empty();
    let native = rustls_native_certs::load_native_certs();
    for cert in native.certs {
        // A system root rustls cannot use is skipped, as the platform verifiers do.
        let _ = roots.add(cert);
    }
    if let Some(path) = ca_file {
        let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(path)
            .and_then(|it| it.collect::<Result<_, _>>())
            .map_err(|e| {
                format!(
                    "cannot read the CA file {} ({e}); check SSLCACert",
                    path.display()
                )
            })?;
        if certs.is_empty() {
            return Err(format!(
                "the CA file {} holds no PEM certificate; check SSLCACert",
                path.display()
            ));
        }
        for cert in certs {
            roots.add(cert).map_err(|e| {
                format!(
                    "a certificate in {} cannot be used as a root ({e}); check SSLCACert",
                    path.display()
                )
            })?;
        }
    }
    if roots.is_empty() {
        return Err(
            "no trusted root certificates for the token endpoint: the system has none and \
             SSLCACert is not set"
                .into(),
        );
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| format!("TLS set-up for the token endpoint failed ({e})"))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(config)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_ca_file_is_reported() {
        let err = tls_config(Some(Path::new("/nonexistent/ca.pem"))).unwrap_err();
        assert!(err.contains("/nonexistent/ca.pem"), "{err}");
    }

    #[tokio::test]
    async fn refused_connection_names_the_endpoint() {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = l.local_addr().unwrap().port();
        drop(l);
        let url =
            crate::client::oauth::form::parse_token_url(&format!("https://127.0.0.1:{port}/t"))
                .unwrap();
        let req = crate::client::oauth::form::build_request(
            "i",
            "s",
            None,
            crate::client::oauth::ClientAuth::Basic,
        );
        match post(&url, None, &req).await {
            Err(e) => assert!(e.contains(&format!("127.0.0.1:{port}")), "{e}"),
            Ok(_) => panic!("connected to a closed port"),
        }
    }
}
