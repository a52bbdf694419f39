//! Success statuses beyond 2xx: a `101 Switching Protocols` hands the caller the connection (a raw
//! socket server that answers 101 and then echoes bytes), a declared `304 Not Modified` is the
//! caller's answer, never followed like a redirect, and so is a declared `302`, while the same
//! client still follows a declared `301` and the redirects other operations meet.

use crate::common;

use std::io::{Read, Write};

use common::{header, received, serve_one_connection};
use fixture_clients::statuses::documents::GetResponse;
use fixture_clients::statuses::Client;
use fixture_clients::{ClientConfig, ETag};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client(base_url: &str) -> Client {
    Client::new(ClientConfig::new().base_url(base_url)).unwrap()
}

/// Reads a request head off `stream`, byte by byte so nothing after it is consumed.
fn read_head(stream: &mut std::net::TcpStream) -> String {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        if stream.read(&mut byte).expect("read the request head") == 0 {
            break;
        }
        head.push(byte[0]);
    }
    String::from_utf8(head).expect("the head is ASCII")
}

#[tokio::test]
async fn a_101_returns_the_upgraded_connection_which_carries_bytes_both_ways() {
    let (head_tx, head_rx) = std::sync::mpsc::channel();
    let (base_url, server) = serve_one_connection(move |mut stream| {
        stream.set_read_timeout(Some(std::time::Duration::from_secs(10))).unwrap();
        head_tx.send(read_head(&mut stream)).unwrap();
        stream
            .write_all(b"HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\nhello")
            .unwrap();
        // Echo until the client closes its side.
        let mut buffer = [0u8; 64];
        loop {
            match stream.read(&mut buffer) {
                Ok(0) | Err(_) => break,
                Ok(read) => stream.write_all(&buffer[..read]).unwrap(),
            }
        }
    });

    let answer = client(&base_url).console().stream("vm 1").from_start(true).send().await.unwrap();
    assert_eq!(answer.status.as_u16(), 101);
    assert_eq!(answer.headers.get("upgrade").unwrap(), "websocket");
    let mut connection = answer.body;
    let mut greeting = [0u8; 5];
    connection.read_exact(&mut greeting).await.unwrap();
    assert_eq!(&greeting, b"hello", "bytes the server sent right after the 101");
    connection.write_all(b"ping 42").await.unwrap();
    let mut echoed = [0u8; 7];
    connection.read_exact(&mut echoed).await.unwrap();
    assert_eq!(&echoed, b"ping 42");
    connection.shutdown().await.unwrap();
    drop(connection);
    server.join().unwrap();

    let head = head_rx.recv().unwrap();
    let lines: Vec<&str> = head.lines().collect();
    assert_eq!(lines[0], "GET /console/vm%201/stream?from_start=true HTTP/1.1");
    let value = |name: &str| {
        lines.iter().find_map(|line| {
            let (key, value) = line.split_once(':')?;
            key.eq_ignore_ascii_case(name).then(|| value.trim().to_owned())
        })
    };
    assert_eq!(value("connection").as_deref(), Some("Upgrade"));
    assert_eq!(value("upgrade").as_deref(), Some("websocket"));
    assert_eq!(value("sec-websocket-version").as_deref(), Some("13"));
    let key = value("sec-websocket-key").expect("a WebSocket key is sent");
    assert_eq!(key.len(), 24, "16 bytes in base64: {key}");
}

#[tokio::test]
async fn an_upgrade_the_server_refuses_is_an_error_with_its_status() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_string("no websockets here"))
        .mount(&server)
        .await;

    let error = client(&server.uri()).console().stream("vm").send().await.unwrap_err();

    assert_eq!(error.status().map(|status| status.as_u16()), Some(200));
    assert!(format!("{error:?}").contains("no websockets here"), "{error:?}");
}

#[tokio::test]
async fn a_declared_304_is_the_answer_and_is_not_followed() {
    let server = MockServer::start().await;
    Mock::given(path("/documents/7"))
        .respond_with(
            ResponseTemplate::new(304)
                .insert_header("etag", "\"v2\"")
                // A 304 is no redirect, even with a `Location`.
                .insert_header("location", "/elsewhere"),
        )
        .mount(&server)
        .await;
    Mock::given(path("/elsewhere"))
        .respond_with(ResponseTemplate::new(200).set_body_string(r#"{"id":0,"title":"wrong"}"#))
        .mount(&server)
        .await;

    let answer = client(&server.uri()).documents().get(7).if_none_match(ETag::new("\"v2\"")).send().await.unwrap();

    assert_eq!(answer.body, GetResponse::Status304);
    assert!(answer.body.is_status304());
    assert_eq!(answer.status.as_u16(), 304);
    let requests = received(&server).await;
    assert_eq!(requests.len(), 1, "nothing followed: {requests:?}");
    assert_eq!(header(&requests[0], "if-none-match"), Some("\"v2\""));
}

/// A server where `/documents/7/download` redirects (302) to `/files/7` on the same origin, and
/// `/documents/1` redirects to `/documents/2`, which answers a document.
async fn redirecting_server() -> MockServer {
    let server = MockServer::start().await;
    let files = format!("{}/files/7", server.uri());
    Mock::given(path("/documents/7/download"))
        .respond_with(ResponseTemplate::new(302).insert_header("location", files.as_str()))
        .mount(&server)
        .await;
    Mock::given(path("/files/7"))
        .respond_with(ResponseTemplate::new(200).set_body_string("the file"))
        .mount(&server)
        .await;
    Mock::given(path("/documents/1"))
        .respond_with(ResponseTemplate::new(301).insert_header("location", "/documents/2"))
        .mount(&server)
        .await;
    Mock::given(path("/documents/2"))
        .respond_with(ResponseTemplate::new(200).set_body_string(r#"{"id":2,"title":"moved"}"#))
        .mount(&server)
        .await;
    server
}

fn paths(requests: &[wiremock::Request]) -> Vec<&str> {
    requests.iter().map(|request| request.url.path()).collect()
}

#[tokio::test]
async fn a_declared_302_is_the_answer_with_its_location_and_is_not_followed() {
    let server = redirecting_server().await;
    let client = client(&server.uri());

    let answer = client.documents().download(7).send().await.unwrap();

    assert_eq!(answer.status.as_u16(), 302);
    assert_eq!(answer.location().map(|url| url.to_string()), Some(format!("{}/files/7", server.uri())));
    assert_eq!(paths(&received(&server).await), ["/documents/7/download"], "the target is never requested");

    // The same client still follows a redirect that another operation meets within the origin,
    // even a declared 301 (the same request at another URL).
    let moved = client.documents().get(1).send().await.unwrap();
    assert_eq!(moved.status.as_u16(), 200);
    let GetResponse::Ok(document) = moved.body else { panic!("expected the document, got {:?}", moved.body) };
    assert_eq!(document.title, "moved");
    assert_eq!(paths(&received(&server).await), ["/documents/7/download", "/documents/1", "/documents/2"]);
}

#[test]
fn a_declared_302_is_the_answer_of_send_blocking_too() {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let server = runtime.block_on(redirecting_server());
    let client = client(&server.uri());

    let answer = client.documents().download(7).send_blocking().unwrap();

    assert_eq!(answer.status.as_u16(), 302);
    let requests = runtime.block_on(received(&server));
    assert_eq!(paths(&requests), ["/documents/7/download"]);
}

#[tokio::test]
async fn a_given_client_applies_its_own_redirect_policy() {
    let server = redirecting_server().await;
    // reqwest's default policy follows the redirect, as `ClientConfig::http_client` documents.
    let config = ClientConfig::new().base_url(server.uri()).http_client(reqwest::Client::new());
    let client = Client::new(config).unwrap();

    let error = client.documents().download(7).send().await.unwrap_err();

    assert_eq!(error.status().map(|status| status.as_u16()), Some(200), "the followed target's answer: {error:?}");
    assert_eq!(paths(&received(&server).await), ["/documents/7/download", "/files/7"]);
}
