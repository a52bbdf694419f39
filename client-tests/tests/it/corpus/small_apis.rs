//! buildomat (an octet-stream chunk upload, a text/plain body, an operation that declares only
//! `default`), keeper (its `Authorization` parameters left to the client's token) and propolis
//! (a WebSocket serial console, a state change answered 204).

use crate::common;

use std::io::{Read, Write};

use common::{json_body, only_request, serve_one_connection};
use fixture_clients::corpus_buildomat::types::HeaderArgAcceptLanguage;
use fixture_clients::corpus_keeper::types::{OutputRecord, ReportId, ReportOutputBody};
use fixture_clients::corpus_propolis::types::InstanceStateRequested;
use fixture_clients::{corpus_buildomat, corpus_keeper, corpus_propolis, ClientConfig, DateTime};
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn config(base_url: &str) -> ClientConfig {
    ClientConfig::new().base_url(base_url).bearer_token("planted-token")
}

#[tokio::test]
async fn buildomat_uploads_a_chunk_as_bytes_and_names_itself_in_text() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/worker/task/t%201/chunk"))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({"id": "chunk-9"})))
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .and(path("/v1/whoami/name"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    let client = corpus_buildomat::Client::new(config(&server.uri())).unwrap();

    let chunk = client.api().worker_task_upload_chunk("t 1", vec![0u8, 159, 146, 150]).send().await.unwrap();
    assert_eq!(chunk.body.id, "chunk-9");
    client.api().whoami_put_name().body("builder-7").send().await.unwrap();

    let requests = common::received(&server).await;
    assert_eq!(common::header(&requests[0], "content-type"), Some("application/octet-stream"));
    assert_eq!(requests[0].body, [0u8, 159, 146, 150]);
    assert_eq!(common::header(&requests[1], "content-type"), Some("text/plain"));
    assert_eq!(requests[1].body, b"builder-7");
}

#[tokio::test]
async fn buildomat_default_only_operation_reads_a_2xx_as_its_success() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/header-arg"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    let client = corpus_buildomat::Client::new(config(&server.uri())).unwrap();

    let answer = client.api().header_arg().accept_language(HeaderArgAcceptLanguage::De).send().await.unwrap();

    assert_eq!(answer.status.as_u16(), 200);
    assert_eq!(common::header(&only_request(&server).await, "accept-language"), Some("de"));
}

#[tokio::test]
async fn keeper_reports_output_with_the_clients_token_in_place_of_its_authorization_parameter() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/report/output"))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({"existed_already": false})))
        .mount(&server)
        .await;
    let client = corpus_keeper::Client::new(config(&server.uri())).unwrap();
    let time: DateTime = "2023-04-05T06:07:08Z".parse().unwrap();
    let id = ReportId::new("host-1", "nightly", 4242, time, "5f0c5d7a-2c69-4c68-8d5c-7c5e3a1b2c3d");
    let record = OutputRecord::new("build ok", "stdout", time);

    let answer = client.api().report_output(ReportOutputBody::new(id, record)).send().await.unwrap();

    assert!(!answer.body.existed_already);
    let request = only_request(&server).await;
    assert_eq!(common::header(&request, "authorization"), Some("Bearer planted-token"));
    assert_eq!(
        json_body(&request),
        json!({
            "id": {"host": "host-1", "job": "nightly", "pid": 4242, "time": "2023-04-05T06:07:08Z", "uuid": "5f0c5d7a-2c69-4c68-8d5c-7c5e3a1b2c3d"},
            "record": {"msg": "build ok", "stream": "stdout", "time": "2023-04-05T06:07:08Z"}
        })
    );
}

#[tokio::test]
async fn propolis_sets_the_instance_state_and_opens_the_serial_console() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(path("/instance/state"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let client = corpus_propolis::Client::new(config(&server.uri())).unwrap();

    let answer = client.api().instance_state_put(InstanceStateRequested::Reboot).send().await.unwrap();
    assert_eq!(answer.status.as_u16(), 204);
    assert_eq!(json_body(&only_request(&server).await), json!("Reboot"));

    // The serial console is a WebSocket: a socket server answers 101, then echoes.
    let (base_url, console) = serve_one_connection(|mut stream| {
        let mut head = Vec::new();
        let mut byte = [0u8; 1];
        while !head.ends_with(b"\r\n\r\n") && stream.read(&mut byte).unwrap_or(0) == 1 {
            head.push(byte[0]);
        }
        assert!(head.starts_with(b"GET /instance/serial HTTP/1.1\r\n"), "{}", String::from_utf8_lossy(&head));
        stream
            .write_all(b"HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n")
            .unwrap();
        let mut buffer = [0u8; 16];
        let read = stream.read(&mut buffer).unwrap();
        stream.write_all(&buffer[..read]).unwrap();
    });
    let client = corpus_propolis::Client::new(config(&base_url)).unwrap();
    let mut connection = client.api().instance_serial().send().await.unwrap().body;
    connection.write_all(b"login:").await.unwrap();
    let mut echoed = [0u8; 6];
    connection.read_exact(&mut echoed).await.unwrap();
    assert_eq!(&echoed, b"login:");
    drop(connection);
    console.join().unwrap();
}
