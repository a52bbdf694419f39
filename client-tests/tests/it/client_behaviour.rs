//! Behaviour shared by every generated client: auth (static token, token provider), secrets in
//! `Debug`, base URL, timeout, response size limit, user agent, extra headers, header injection,
//! and what malformed or cut-off responses turn into.

use crate::common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use api_clients::visma_net::project_task::GetAllTasksResponse;
use api_clients::visma_net::types::{BackgroundMode, ProjectTaskUpdateDto};
use api_clients::{
    account_tasks, visma_net, AccessToken, Auth, ClientConfig, ETag, Error, ErrorBody, TokenFuture, TokenProvider,
};
use common::{header, only_request, received, RawServer};
use serde_json::json;
use wiremock::matchers::{any, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const SECRET: &str = "eyJhbGciOi.very-secret-token.Zm9v";

/// A server that answers every request with `200 []`.
async fn server_answering_an_empty_list() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(ResponseTemplate::new(200).set_body_json(json!([]))).mount(&server).await;
    server
}

/// A server that answers every request with 204 (so a request sent by mistake succeeds).
async fn server_accepting_anything() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(ResponseTemplate::new(204)).mount(&server).await;
    server
}

// ---------------------------------------------------------------------------------------------
// Auth and secrets
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn bearer_token_is_sent_but_never_shown_in_debug_output() {
    let server = server_answering_an_empty_list().await;
    let config = ClientConfig::new().base_url(server.uri()).bearer_token(SECRET);
    let config_debug = format!("{config:?}");
    let client = visma_net::Client::new(config).unwrap();

    client.project_task().get_all_tasks().send().await.unwrap();

    assert_eq!(header(&only_request(&server).await, "authorization"), Some(format!("Bearer {SECRET}").as_str()));
    let client_debug = format!("{client:?}");
    assert!(!client_debug.contains(SECRET), "the client's Debug shows the token: {client_debug}");
    assert!(!format!("{client:#?}").contains(SECRET));
    assert!(client_debug.contains(&server.uri()), "Debug still shows the settings: {client_debug}");
    assert!(!config_debug.contains(SECRET), "the config's Debug shows the token: {config_debug}");
    assert!(!format!("{:?}", AccessToken::new(SECRET)).contains(SECRET));
    assert!(!format!("{:?}", Auth::Bearer(AccessToken::new(SECRET))).contains(SECRET));
}

/// Hands out `tok-1`, `tok-2`, ... and counts the calls.
struct CountingProvider {
    calls: Arc<AtomicUsize>,
}

impl TokenProvider for CountingProvider {
    fn token(&self) -> TokenFuture<'_> {
        let call = self.calls.fetch_add(1, Ordering::SeqCst) + 1;
        Box::pin(async move { Ok(AccessToken::new(format!("tok-{call}"))) })
    }
}

#[tokio::test]
async fn token_provider_is_asked_before_every_request() {
    let server = server_answering_an_empty_list().await;
    let calls = Arc::new(AtomicUsize::new(0));
    let client = visma_net::Client::new(
        ClientConfig::new().base_url(server.uri()).token_provider(CountingProvider { calls: calls.clone() }),
    )
    .unwrap();
    assert_eq!(calls.load(Ordering::SeqCst), 0, "building the client asks for no token");

    for _ in 0..3 {
        client.project_task().get_all_tasks().send().await.unwrap();
    }

    assert_eq!(calls.load(Ordering::SeqCst), 3);
    let sent: Vec<String> =
        received(&server).await.iter().map(|request| header(request, "authorization").unwrap().to_owned()).collect();
    assert_eq!(sent, ["Bearer tok-1", "Bearer tok-2", "Bearer tok-3"]);
    assert!(!format!("{client:?}").contains("tok-"));
}

struct FailingProvider;

impl TokenProvider for FailingProvider {
    fn token(&self) -> TokenFuture<'_> {
        Box::pin(async { Err("the identity provider is down".into()) })
    }
}

#[tokio::test]
async fn failing_token_provider_is_an_auth_error_and_nothing_is_sent() {
    let server = server_answering_an_empty_list().await;
    let client =
        visma_net::Client::new(ClientConfig::new().base_url(server.uri()).token_provider(FailingProvider)).unwrap();

    let error = client.project_task().get_all_tasks().send().await.unwrap_err();

    let Error::Auth(cause) = &error else { panic!("expected an auth error, got {error:?}") };
    assert_eq!(cause.to_string(), "the identity provider is down");
    assert_eq!(error.status(), None);
    assert!(received(&server).await.is_empty());
}

#[tokio::test]
async fn token_with_a_line_break_is_refused_and_nothing_is_sent() {
    let server = server_answering_an_empty_list().await;
    // A static token is checked once, when the client is built: no call can be made with it.
    let config = ClientConfig::new().base_url(server.uri()).bearer_token("abc\r\nX-Injected: 1");
    let error = visma_net::Client::new(config).unwrap_err();

    assert!(matches!(error, Error::InvalidRequest(_)), "{error:?}");
    assert!(!error.to_string().contains("abc"), "the message must not echo the token: {error}");
    assert!(received(&server).await.is_empty());
}

// ---------------------------------------------------------------------------------------------
// Base URL, user agent, extra headers
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn base_url_override_keeps_its_path_prefix_and_drops_a_trailing_slash() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/erp/api/v1/projecttask/5"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "internalId": 5 })))
        .expect(1)
        .mount(&server)
        .await;
    let client = visma_net::Client::new(ClientConfig::new().base_url(format!("{}/erp/api/", server.uri()))).unwrap();

    client.project_task().get_task_by_internal_id(5).send().await.unwrap();

    assert_eq!(client.base_url(), format!("{}/erp/api", server.uri()));
    assert_eq!(only_request(&server).await.url.path(), "/erp/api/v1/projecttask/5");
}

#[tokio::test]
async fn userinfo_in_the_base_url_is_sent_as_basic_auth_and_kept_out_of_base_url() {
    let server = server_answering_an_empty_list().await;
    let with_userinfo = server.uri().replacen("http://", "http://ops%40acme:p%3Ass@", 1);
    let client = visma_net::Client::new(ClientConfig::new().base_url(with_userinfo)).unwrap();

    client.project_task().get_all_tasks().send().await.unwrap();

    // `ops@acme:p:ss` in base64.
    assert_eq!(header(&only_request(&server).await, "authorization"), Some("Basic b3BzQGFjbWU6cDpzcw=="));
    assert_eq!(client.base_url(), server.uri(), "base_url() carries no userinfo");
    assert!(!format!("{client:?}").contains("p%3Ass"));
}

#[test]
fn default_base_urls_are_the_documented_ones() {
    let visma = visma_net::Client::new(ClientConfig::new()).unwrap();
    let tasks = account_tasks::Client::new(ClientConfig::new()).unwrap();

    assert_eq!(visma.base_url(), "https://api.finance.visma.net");
    assert_eq!(visma_net::Client::DEFAULT_BASE_URL, "https://api.finance.visma.net");
    assert_eq!(tasks.base_url(), "https://portal.2sms.com");
}

#[test]
fn invalid_base_urls_are_refused_when_the_client_is_built() {
    for base_url in ["not a url", "ftp://files.example.test", "http://127.0.0.1:9/?tenant=1", "/relative/path"] {
        let result = visma_net::Client::new(ClientConfig::new().base_url(base_url));
        assert!(matches!(result, Err(Error::InvalidRequest(_))), "{base_url}: {result:?}");
    }
}

#[tokio::test]
async fn custom_user_agent_and_extra_headers_are_sent_on_every_request() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/v1/admin/tasks/account/run"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .expect(2)
        .mount(&server)
        .await;
    let client = account_tasks::Client::new(
        ClientConfig::new()
            .base_url(server.uri())
            .user_agent("my-integration/2.1 (+ops@example.test)")
            .header("X-Api-Key", "key-123")
            .header("X-Tenant", "north"),
    )
    .unwrap();

    client.admin_tasks().run_account_task(uuid::Uuid::nil()).send().await.unwrap();
    client.admin_tasks().run_account_task(uuid::Uuid::max()).send().await.unwrap();

    for request in received(&server).await {
        assert_eq!(header(&request, "user-agent"), Some("my-integration/2.1 (+ops@example.test)"));
        assert_eq!(header(&request, "x-api-key"), Some("key-123"));
        assert_eq!(header(&request, "x-tenant"), Some("north"));
    }
}

#[tokio::test]
async fn default_user_agent_names_the_generated_crate() {
    let server = server_answering_an_empty_list().await;

    common::visma(&server).project_task().get_all_tasks().send().await.unwrap();

    let request = only_request(&server).await;
    let agent = header(&request, "user-agent").expect("a user agent is always sent");
    let (name, version) = agent.split_once('/').expect("name/version");
    assert_eq!(name, "api-clients");
    assert!(version.split('.').all(|part| part.parse::<u32>().is_ok()), "{agent}");
}

#[test]
fn configured_header_with_a_line_break_is_refused_when_the_client_is_built() {
    let result = account_tasks::Client::new(ClientConfig::new().header("X-Api-Key", "key\r\nX-Injected: 1"));
    assert!(matches!(result, Err(Error::InvalidRequest(_))), "{result:?}");
    let result = account_tasks::Client::new(ClientConfig::new().header("Bad Name", "value"));
    assert!(matches!(result, Err(Error::InvalidRequest(_))), "{result:?}");
    let result = account_tasks::Client::new(ClientConfig::new().user_agent("agent\n2"));
    assert!(matches!(result, Err(Error::InvalidRequest(_))), "{result:?}");
}

#[tokio::test]
async fn header_parameter_with_cr_or_lf_is_an_invalid_request_and_nothing_is_sent() {
    let server = server_accepting_anything().await;
    let client = common::visma(&server);

    for injected in ["none\r\nX-Injected: 1", "none\nX-Injected: 1", "none\rX-Injected: 1"] {
        let error = client
            .project_task()
            .get_all_tasks()
            .erp_api_background(BackgroundMode::Other(injected.to_owned()))
            .send()
            .await
            .unwrap_err();
        let Error::InvalidRequest(message) = &error else {
            panic!("{injected:?}: expected InvalidRequest, got {error:?}")
        };
        assert!(message.to_ascii_lowercase().contains("erp-api-background"), "the message names the header: {message}");
    }
    let error = client
        .project_task()
        .update_task(1, ProjectTaskUpdateDto::default())
        .if_match(ETag::new("\"v1\"\r\nX-Injected: 1"))
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(error, Error::InvalidRequest(ref message) if message.to_ascii_lowercase().contains("if-match")),
        "{error:?}"
    );
    assert_eq!(error.status(), None);

    assert!(received(&server).await.is_empty(), "nothing may reach the server");
}

// ---------------------------------------------------------------------------------------------
// Timeout and size limit
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn a_server_slower_than_the_timeout_gives_a_timeout_error() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])).set_delay(Duration::from_secs(5)))
        .mount(&server)
        .await;
    let client =
        visma_net::Client::new(ClientConfig::new().base_url(server.uri()).timeout(Some(Duration::from_millis(200))))
            .unwrap();

    let started = Instant::now();
    let error = client.project_task().get_all_tasks().send().await.unwrap_err();

    assert!(error.is_timeout(), "expected a timeout, got {error:?}");
    assert!(matches!(error, Error::Transport(_)));
    assert!(started.elapsed() < Duration::from_secs(4), "gave up only after {:?}", started.elapsed());
}

#[tokio::test]
async fn a_server_within_the_timeout_answers_normally() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])).set_delay(Duration::from_millis(50)))
        .mount(&server)
        .await;
    let client =
        visma_net::Client::new(ClientConfig::new().base_url(server.uri()).timeout(Some(Duration::from_secs(10))))
            .unwrap();

    let answer = client.project_task().get_all_tasks().send().await.unwrap();

    assert_eq!(answer.body, GetAllTasksResponse::Ok(Vec::new()));
}

#[tokio::test]
async fn a_body_larger_than_max_response_bytes_is_refused() {
    let body = json!([{ "internalId": 1, "description": "x".repeat(200) }]).to_string();
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_raw(body.clone(), "application/json"))
        .mount(&server)
        .await;
    let limited = |limit: usize| {
        visma_net::Client::new(ClientConfig::new().base_url(server.uri()).max_response_bytes(limit)).unwrap()
    };

    let error = limited(body.len() - 1).project_task().get_all_tasks().send().await.unwrap_err();
    let Error::BodyTooLarge { status, limit } = error else { panic!("expected BodyTooLarge, got {error:?}") };
    assert_eq!((status.as_u16(), limit), (200, body.len() - 1));

    // Exactly at the limit is fine.
    let answer = limited(body.len()).project_task().get_all_tasks().send().await.unwrap();
    let GetAllTasksResponse::Ok(tasks) = answer.body else { panic!("expected 200") };
    assert_eq!(tasks[0].description.as_deref(), Some("x".repeat(200).as_str()));
}

#[tokio::test]
async fn an_error_body_larger_than_max_response_bytes_is_refused_too() {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(ResponseTemplate::new(500).set_body_string("e".repeat(1000))).mount(&server).await;
    let client = visma_net::Client::new(ClientConfig::new().base_url(server.uri()).max_response_bytes(64)).unwrap();

    let error = client.project_task().get_all_tasks().send().await.unwrap_err();

    assert!(matches!(error, Error::BodyTooLarge { limit: 64, .. }), "{error:?}");
    assert_eq!(error.status().map(|status| status.as_u16()), Some(500));
}

/// The two chunks of the body [`chunked_answer`] streams.
const CHUNKS: (&str, &str) = (r#"["aaaaaaaaaaaaaa","#, r#""bbbbbbbbbbbbbb"]"#);

/// A 200 answer whose JSON body [`CHUNKS`] comes in two chunks without a Content-Length.
fn chunked_answer() -> Vec<u8> {
    let (first, second) = CHUNKS;
    format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n\
         {:x}\r\n{first}\r\n{:x}\r\n{second}\r\n0\r\n\r\n",
        first.len(),
        second.len()
    )
    .into_bytes()
}

#[tokio::test]
async fn a_chunked_body_without_content_length_is_limited_while_streaming() {
    let server = RawServer::start(vec![chunked_answer(), chunked_answer()]);
    let limited = |limit: usize| {
        visma_net::Client::new(ClientConfig::new().base_url(server.base_url.clone()).max_response_bytes(limit)).unwrap()
    };

    let length = CHUNKS.0.len() + CHUNKS.1.len();

    let error = limited(length - 1).background().get_operation_content("job").send().await.unwrap_err();
    assert!(matches!(error, Error::BodyTooLarge { limit, .. } if limit == length - 1), "{error:?}");
    let answer = limited(length).background().get_operation_content("job").send().await.unwrap();
    assert_eq!(answer.body, json!(["aaaaaaaaaaaaaa", "bbbbbbbbbbbbbb"]));

    let heads = server.request_heads();
    assert_eq!(heads.len(), 2);
    assert!(heads.iter().all(|head| head.starts_with("GET /v1/background/job/content HTTP/1.1\r\n")), "{heads:?}");
}

// ---------------------------------------------------------------------------------------------
// Malformed and cut-off responses: errors, never panics
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn malformed_success_bodies_are_decode_errors_that_keep_the_body() {
    let cases: [(&[u8], &str); 6] = [
        (b"[{\"internalId\":1,\"taskId\":\"T", "[0].taskId"),
        (b"", "."),
        (b"<html>Service Unavailable</html>", "."),
        (b"[] trailing", "."),
        (b"{\"internalId\":1}", "."),
        (b"[{\"internalId\":1,\"status\":7}]", "[0].status"),
    ];
    for (body, expected_path) in cases {
        let server = MockServer::start().await;
        Mock::given(any())
            .respond_with(ResponseTemplate::new(200).set_body_raw(body, "application/json"))
            .mount(&server)
            .await;

        let error = common::visma(&server).project_task().get_all_tasks().send().await.unwrap_err();

        let Error::Decode(decode) = error else { panic!("{body:?}: expected a decode error, got {error:?}") };
        assert_eq!(decode.path, expected_path, "{:?}", String::from_utf8_lossy(body));
        assert_eq!(decode.body.as_bytes(), body);
        assert_eq!(decode.status, 200);
        assert!(!decode.message.is_empty());
    }
}

#[tokio::test]
async fn invalid_utf8_in_a_success_body_is_a_decode_error_with_a_lossy_body() {
    let server = MockServer::start().await;
    let body = b"[{\"internalId\":1,\"taskId\":\"T\xff\xfe1\"}]".to_vec();
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_raw(body, "application/json"))
        .mount(&server)
        .await;

    let error = common::visma(&server).project_task().get_all_tasks().send().await.unwrap_err();

    let Error::Decode(decode) = error else { panic!("expected a decode error, got {error:?}") };
    assert_eq!(decode.path, "[0].taskId");
    assert_eq!(decode.body, "[{\"internalId\":1,\"taskId\":\"T\u{fffd}\u{fffd}1\"}]");
}

#[tokio::test]
async fn invalid_utf8_in_an_error_body_is_kept_as_lossy_raw_text() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(400).set_body_bytes(b"bad \xc3\x28 input".to_vec()))
        .mount(&server)
        .await;

    let error =
        common::account_tasks(&server).admin_tasks().run_account_task(uuid::Uuid::nil()).send().await.unwrap_err();

    let api = error.api().expect("a 400 is an API error");
    assert_eq!(api.body, ErrorBody::Raw("bad \u{fffd}( input".to_owned()));
}

#[tokio::test]
async fn a_body_cut_short_by_the_server_is_a_transport_error() {
    let cut = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\nConnection: close\r\n\r\n[{\"internalId\":1".to_vec();
    let server = RawServer::start(vec![cut]);
    let client = visma_net::Client::new(ClientConfig::new().base_url(server.base_url.clone())).unwrap();

    let error = client.project_task().get_all_tasks().send().await.unwrap_err();

    assert!(matches!(error, Error::Transport(_)), "expected a transport error, got {error:?}");
    assert!(!error.is_timeout());
    // Not just reqwest's phase ("error decoding response body"): what happened.
    let message = error.to_string();
    assert!(message.contains("before message length reached") || message.contains("closed"), "{message}");
    assert_eq!(server.request_heads().len(), 1);
}

/// The head and the first bytes of a 200 answer that promises 100 bytes of body.
const HALF_AN_ANSWER: &[u8] =
    b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n[{\"internalId\":1";

#[tokio::test]
async fn a_body_that_stalls_past_the_timeout_says_it_timed_out() {
    let (base_url, server) = common::serve_one_connection(|mut stream| {
        use std::io::{Read, Write};
        let _ = stream.read(&mut [0u8; 4096]);
        stream.write_all(HALF_AN_ANSWER).unwrap();
        // Holds the connection open, sending nothing, until the client gives up (or 5 s pass).
        stream.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        let _ = stream.read(&mut [0u8; 1]);
    });
    let client =
        visma_net::Client::new(ClientConfig::new().base_url(base_url).timeout(Some(Duration::from_millis(300))))
            .unwrap();

    let error = client.project_task().get_all_tasks().send().await.unwrap_err();

    assert!(error.is_timeout(), "{error:?}");
    let message = error.to_string();
    assert!(message.contains("timed out"), "the message says it timed out: {message}");
    // Not joined: the connection closes on this (single-threaded) runtime, which a join would block.
    drop(server);
}

#[tokio::test]
async fn a_connection_reset_in_the_middle_of_a_body_says_it_was_reset() {
    let (base_url, server) = common::serve_one_connection(|mut stream| {
        use std::io::{Read, Write};
        // Reads one byte only: closing with the rest of the request unread makes the kernel
        // answer with a reset (RST) instead of an orderly close.
        stream.read_exact(&mut [0u8; 1]).unwrap();
        std::thread::sleep(Duration::from_millis(100));
        stream.write_all(HALF_AN_ANSWER).unwrap();
        std::thread::sleep(Duration::from_millis(200));
    });
    let client = visma_net::Client::new(ClientConfig::new().base_url(base_url)).unwrap();

    let error = client.project_task().get_all_tasks().send().await.unwrap_err();

    assert!(matches!(error, Error::Transport(_)) && !error.is_timeout(), "{error:?}");
    let message = error.to_string();
    assert!(message.to_ascii_lowercase().contains("reset"), "the message says the connection was reset: {message}");
    server.join().unwrap();
}

#[tokio::test]
async fn a_refused_connection_is_a_transport_error_without_status() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    // Sent once: a refused connection is retried, with waits on the real clock (see retries.rs).
    let config =
        ClientConfig::new().base_url(format!("http://127.0.0.1:{port}")).retry(api_clients::RetryPolicy::none());
    let client = visma_net::Client::new(config).unwrap();

    let error = client.project_task().get_all_tasks().send().await.unwrap_err();

    assert!(matches!(error, Error::Transport(_)), "{error:?}");
    assert_eq!(error.status(), None);
    assert!(!error.is_timeout());
}
