//! https against loopback servers whose certificate comes from the test CA in `tests/tls/`:
//! trusted through `ClientConfig::add_root_certificate` (for the API and the OAuth2 token
//! endpoint), and `101 Switching Protocols` against a server that offers HTTP/2 as most do (the
//! upgrade must go over HTTP/1.1, which alone has `Upgrade`; other requests still get HTTP/2).

use std::sync::{Arc, Mutex};

use fixture_clients::statuses::Client;
use fixture_clients::ClientConfig;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio_rustls::rustls::{self, pki_types::pem::PemObject};

/// The protocol each TLS connection negotiated (ALPN), in accept order.
type Negotiated = Arc<Mutex<Vec<String>>>;

/// The server side of TLS with the test certificate for `127.0.0.1`, offering `protocols`.
fn acceptor(protocols: &[&[u8]]) -> tokio_rustls::TlsAcceptor {
    let certificate =
        rustls::pki_types::CertificateDer::from_pem_slice(include_bytes!("../tls/loopback-127.0.0.1.pem"))
            .expect("the test certificate");
    let key = rustls::pki_types::PrivateKeyDer::from_pem_slice(include_bytes!("../tls/loopback-127.0.0.1.key.pem"))
        .expect("the test key");
    let mut config =
        rustls::ServerConfig::builder_with_provider(Arc::new(rustls::crypto::aws_lc_rs::default_provider()))
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_no_client_auth()
            .with_single_cert(vec![certificate], key)
            .unwrap();
    config.alpn_protocols = protocols.iter().map(|protocol| protocol.to_vec()).collect();
    tokio_rustls::TlsAcceptor::from(Arc::new(config))
}

/// Reads a request head (up to the blank line) off `stream`, byte by byte so nothing after it
/// is consumed; `None` when the connection ends first.
async fn read_head<S: AsyncReadExt + Unpin>(stream: &mut S) -> Option<String> {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        if stream.read(&mut byte).await.unwrap_or(0) == 0 {
            return None;
        }
        head.push(byte[0]);
    }
    Some(String::from_utf8_lossy(&head).into_owned())
}

/// An https server on loopback offering `h2` and `http/1.1`. An HTTP/1.1 connection gets a
/// `101` and then an echo of what the client writes; an HTTP/2 one is recorded and closed.
async fn upgrade_server() -> (String, Negotiated) {
    let acceptor = acceptor(&[b"h2", b"http/1.1"]);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base_url = format!("https://127.0.0.1:{}", listener.local_addr().unwrap().port());
    let negotiated = Negotiated::default();
    let record = negotiated.clone();
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            let Ok(mut tls) = acceptor.accept(socket).await else { continue };
            let protocol = tls.get_ref().1.alpn_protocol().map(|p| String::from_utf8_lossy(p).into_owned());
            let protocol = protocol.unwrap_or_else(|| "none".to_owned());
            record.lock().unwrap().push(protocol.clone());
            if protocol != "http/1.1" {
                continue;
            }
            tokio::spawn(async move {
                if read_head(&mut tls).await.is_none() {
                    return;
                }
                let answer = b"HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n";
                tls.write_all(answer).await.unwrap();
                let mut buffer = [0u8; 64];
                loop {
                    match tls.read(&mut buffer).await {
                        Ok(0) | Err(_) => break,
                        Ok(read) => tls.write_all(&buffer[..read]).await.unwrap(),
                    }
                }
            });
        }
    });
    (base_url, negotiated)
}

fn test_ca() -> reqwest::Certificate {
    reqwest::Certificate::from_pem(include_bytes!("../tls/loopback-ca.pem")).expect("the test CA")
}

fn trusting(base_url: &str) -> ClientConfig {
    ClientConfig::new().base_url(base_url).add_root_certificate(test_ca())
}

#[tokio::test]
async fn an_upgrade_over_https_uses_http1_even_where_the_server_offers_http2() {
    let (base_url, negotiated) = upgrade_server().await;
    let client = Client::new(trusting(&base_url)).unwrap();

    let answer = client.console().stream("vm").send().await;
    let answer = answer.unwrap_or_else(|error| panic!("{error:?}; negotiated {:?}", negotiated.lock().unwrap()));

    assert_eq!(answer.status.as_u16(), 101);
    let mut connection = answer.body;
    connection.write_all(b"ping").await.unwrap();
    let mut echoed = [0u8; 4];
    connection.read_exact(&mut echoed).await.unwrap();
    assert_eq!(&echoed, b"ping", "bytes cross the upgraded TLS connection both ways");
    assert_eq!(*negotiated.lock().unwrap(), ["http/1.1"]);
}

#[tokio::test]
async fn other_requests_to_that_server_still_offer_http2() {
    let (base_url, negotiated) = upgrade_server().await;
    let client = Client::new(trusting(&base_url)).unwrap();

    // The server closes an HTTP/2 connection unanswered: only the protocol it picked matters.
    let outcome = client.documents().get(1).send().await;

    assert!(outcome.is_err(), "the server answers no HTTP/2 request");
    assert_eq!(negotiated.lock().unwrap().first().map(String::as_str), Some("h2"));
}

#[tokio::test]
async fn a_given_http1_only_client_carries_the_upgrade_too() {
    let (base_url, negotiated) = upgrade_server().await;
    let http = reqwest::Client::builder().add_root_certificate(test_ca()).http1_only().build().unwrap();
    let client = Client::new(ClientConfig::new().base_url(&base_url).http_client(http)).unwrap();

    let answer = client.console().stream("vm").send().await.expect("the upgrade succeeds");

    assert_eq!(answer.status.as_u16(), 101);
    assert_eq!(*negotiated.lock().unwrap(), ["http/1.1"]);
}

#[test]
fn a_root_certificate_with_a_given_client_is_refused_not_ignored() {
    let config = ClientConfig::new().http_client(reqwest::Client::new()).add_root_certificate(test_ca());

    let error = Client::new(config).unwrap_err();

    let message = error.to_string();
    assert!(message.contains("add_root_certificate") && message.contains("http_client"), "{message}");
}

/// An https token endpoint on loopback (HTTP/1.1) that issues `tls-token-1` to any request and
/// keeps the request heads it read.
async fn token_server() -> (String, Arc<Mutex<Vec<String>>>) {
    let acceptor = acceptor(&[b"http/1.1"]);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let token_url = format!("https://127.0.0.1:{}/connect/token", listener.local_addr().unwrap().port());
    let heads = Arc::new(Mutex::new(Vec::new()));
    let record = heads.clone();
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            let Ok(mut tls) = acceptor.accept(socket).await else { continue };
            let Some(head) = read_head(&mut tls).await else { continue };
            record.lock().unwrap().push(head);
            let body = r#"{"access_token":"tls-token-1","token_type":"Bearer","expires_in":3600}"#;
            let answer = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = tls.write_all(answer.as_bytes()).await;
            let _ = tls.shutdown().await;
        }
    });
    (token_url, heads)
}

#[tokio::test]
async fn the_token_endpoint_behind_a_private_ca_is_trusted_through_the_config() {
    use api_clients::visma_net::{self, ClientCredentials};
    use wiremock::matchers::{header, method, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    let (token_url, heads) = token_server().await;
    let api = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/projecttask"))
        .and(header("authorization", "Bearer tls-token-1"))
        .respond_with(ResponseTemplate::new(200).set_body_string("[]"))
        .expect(1)
        .mount(&api)
        .await;
    let credentials = || ClientCredentials::new("app", "secret", "tenant").token_url(&token_url);

    // Without the CA the token endpoint's certificate is refused, and the API is never called.
    let untrusting =
        visma_net::Client::with_client_credentials(api_clients::ClientConfig::new().base_url(api.uri()), credentials())
            .unwrap();
    let error = untrusting.project_task().get_all_tasks().send().await.unwrap_err();
    assert!(matches!(error, api_clients::Error::Auth(_)), "{error:?}");
    assert!(heads.lock().unwrap().is_empty(), "no request got past the TLS handshake");

    let config = api_clients::ClientConfig::new().base_url(api.uri()).add_root_certificate(test_ca());
    let client = visma_net::Client::with_client_credentials(config, credentials()).unwrap();
    client.project_task().get_all_tasks().send().await.expect("the token is fetched over TLS and sent");

    let heads = heads.lock().unwrap();
    assert_eq!(heads.len(), 1);
    assert!(heads[0].starts_with("POST /connect/token HTTP/1.1\r\n"), "{}", heads[0]);
}
