//! `101 Switching Protocols` over https, against a server that offers HTTP/2 as most do: the
//! upgrade request must go over an HTTP/1.1 connection (HTTP/2 has no `Upgrade`), and a plain
//! request to the same server still gets HTTP/2.

use std::sync::{Arc, Mutex};

use fixture_clients::statuses::Client;
use fixture_clients::ClientConfig;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio_rustls::rustls::{self, pki_types::pem::PemObject};

/// The protocol each TLS connection negotiated (ALPN), in accept order.
type Negotiated = Arc<Mutex<Vec<String>>>;

/// An https server on loopback (certificate for `127.0.0.1` from the test CA in `tests/tls/`)
/// offering `h2` and `http/1.1`. An HTTP/1.1 connection gets a `101` and then an echo of what
/// the client writes; an HTTP/2 one is recorded and closed.
async fn upgrade_server() -> (String, Negotiated) {
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
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
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
                let mut head = Vec::new();
                let mut byte = [0u8; 1];
                while !head.ends_with(b"\r\n\r\n") {
                    if tls.read(&mut byte).await.unwrap_or(0) == 0 {
                        return;
                    }
                    head.push(byte[0]);
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
