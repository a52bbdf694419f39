//! Hooks and per-request options against a real HTTP server on loopback: a hook sees every
//! attempt of a retried call with its operation and outcome, a signing hook's header reaches
//! the server, no hook ever sees a credential (nor the OAuth2 token request; a 401 among retries
//! is refreshed once), and `RequestOptions` (timeout, headers, retry)
//! work for REST builders and for a SOAP client with its session.

use crate::common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use api_clients::http::{HeaderName, HeaderValue};
use api_clients::projector::types::{PwsAuthenticateRq, PwsProjectRef, PwsProjectTaskDetail, PwsSaveProjectTaskRq};
use api_clients::projector::{self, Session};
use api_clients::{
    account_tasks, visma_net, ClientConfig, Error, Hook, HookRequest, HookResponse, OperationInfo, RequestOptions,
    RetryPolicy, Secret,
};
use common::{header, only_request, received, TOKEN};
use serde_json::json;
use tokio::time::Instant;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// What a hook saw of one request or answer.
#[derive(Debug, Clone, PartialEq)]
enum Seen {
    Request { operation: Option<OperationInfo>, attempt: u32, method: String, url: String, headers: Vec<String> },
    Response { attempt: u32, status: Option<u16>, latency: Duration, headers: Vec<String>, error: bool },
}

/// Records everything it is shown, as text.
#[derive(Default)]
struct Recorder(Mutex<Vec<Seen>>);

fn header_lines<'a>(headers: impl Iterator<Item = (&'a HeaderName, &'a HeaderValue)>) -> Vec<String> {
    headers.map(|(name, value)| format!("{name}: {}", String::from_utf8_lossy(value.as_bytes()))).collect()
}

impl Hook for Recorder {
    fn before_send(&self, request: &mut HookRequest<'_>) {
        self.0.lock().unwrap().push(Seen::Request {
            operation: request.operation().copied(),
            attempt: request.attempt(),
            method: request.method().to_string(),
            url: request.url().to_string(),
            headers: header_lines(request.headers().iter()),
        });
    }

    fn after_receive(&self, response: &HookResponse<'_>) {
        self.0.lock().unwrap().push(Seen::Response {
            attempt: response.attempt(),
            status: response.status().map(|status| status.as_u16()),
            latency: response.latency(),
            headers: header_lines(response.headers()),
            error: response.error().is_some(),
        });
    }
}

impl Recorder {
    fn seen(&self) -> Vec<Seen> {
        self.0.lock().unwrap().clone()
    }

    /// Everything it was shown, as one text (to look for secrets in).
    fn text(&self) -> String {
        format!("{:?}", self.seen())
    }
}

/// A reqwest client with no timer of its own, so that the paused clock moves only by the
/// retry waits (see retries.rs).
fn http() -> reqwest::Client {
    reqwest::Client::builder().pool_max_idle_per_host(0).redirect(reqwest::redirect::Policy::none()).build().unwrap()
}

#[tokio::test(start_paused = true)]
async fn a_hook_sees_every_attempt_of_a_retried_call_with_its_operation() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/projecttask/7"))
        .respond_with(ResponseTemplate::new(503).insert_header("Retry-After", "2"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/projecttask/7"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({ "taskId": "T-01" })).insert_header("X-Trace", "t1"),
        )
        .mount(&server)
        .await;
    let recorder = Arc::new(Recorder::default());
    let config = ClientConfig::new()
        .base_url(server.uri())
        .bearer_token(TOKEN)
        .user_agent("hooks-test/1")
        .timeout(None)
        .http_client(http())
        .hook(recorder.clone());
    let client = visma_net::Client::new(config).unwrap();

    client.project_task().get_task_by_internal_id(7).send().await.unwrap();

    let operation = visma_net::project_task::GetTaskByInternalId::OPERATION;
    assert_eq!(
        (operation.service, operation.id, operation.method, operation.path, operation.idempotent),
        ("visma_net", "project_task_get_task_by_internal_id", "GET", "/v1/projecttask/{internalId}", false)
    );
    let url = format!("{}/v1/projecttask/7", server.uri());
    let request = |attempt| Seen::Request {
        operation: Some(operation),
        attempt,
        method: "GET".to_owned(),
        url: url.clone(),
        headers: vec!["user-agent: hooks-test/1".to_owned(), "accept: application/json".to_owned()],
    };
    let seen = recorder.seen();
    let response = |index: usize| match &seen[index] {
        Seen::Response { attempt, status, latency, headers, error } => {
            (*attempt, *status, *latency, headers.clone(), *error)
        }
        other => panic!("a response: {other:?}"),
    };
    assert_eq!(seen.len(), 4, "{seen:#?}");
    assert_eq!(seen[0], request(1));
    assert_eq!(seen[2], request(2));
    let (first, second) = (response(1), response(3));
    assert_eq!((first.0, first.1, first.4), (1, Some(503), false));
    assert!(first.3.contains(&"retry-after: 2".to_owned()), "{first:?}");
    assert_eq!((second.0, second.1, second.4), (2, Some(200), false));
    assert!(second.3.contains(&"x-trace: t1".to_owned()), "{second:?}");
    // The paused clock does not move while the loopback server answers.
    assert_eq!((first.2, second.2), (Duration::ZERO, Duration::ZERO));
}

/// Signs each request: a header over the method, the path and the body.
struct Signer;

impl Hook for Signer {
    fn before_send(&self, request: &mut HookRequest<'_>) {
        let body = request.body().map_or(0, <[u8]>::len);
        let signature =
            format!("v1 {} {} {body} attempt={}", request.method(), request.url().path(), request.attempt());
        request.insert_header(HeaderName::from_static("x-signature"), HeaderValue::from_str(&signature).unwrap());
    }
}

#[tokio::test]
async fn a_signing_hooks_header_reaches_the_server() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/projecttask/17"))
        .respond_with(ResponseTemplate::new(201))
        .mount(&server)
        .await;
    let config = ClientConfig::new().base_url(server.uri()).bearer_token(TOKEN).hook(Arc::new(Signer));
    let client = visma_net::Client::new(config).unwrap();
    let body = serde_json::from_value(json!({ "description": { "value": "Design" } })).unwrap();

    client.project_task().create_task(17, body).send().await.unwrap();

    let request = only_request(&server).await;
    let length = request.body.len();
    assert_eq!(length, r#"{"description":{"value":"Design"}}"#.len());
    assert_eq!(
        header(&request, "x-signature"),
        Some(format!("v1 POST /v1/projecttask/17 {length} attempt=1").as_str())
    );
    assert_eq!(header(&request, "authorization"), Some(format!("Bearer {TOKEN}").as_str()), "the token still goes");
}

#[tokio::test]
async fn a_hook_never_sees_a_credential() {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!([])).insert_header("Set-Cookie", "session=planted-cookie-7"),
        )
        .mount(&server)
        .await;
    let recorder = Arc::new(Recorder::default());
    let config = ClientConfig::new()
        .base_url(server.uri())
        .bearer_token("planted-token-1")
        .secret_header("X-Api-Key", "planted-key-2")
        .header("Cookie", "planted-cookie-3")
        .header("X-Tenant", "tenant-4")
        .hook(recorder.clone());
    let options = RequestOptions::new().secret_header("X-Call-Key", "planted-call-key-5").header("X-Request-Id", "r-6");
    visma_net::Client::new(config)
        .unwrap()
        .project_task()
        .get_all_tasks()
        .request_options(options)
        .send()
        .await
        .unwrap();

    // Basic credentials from the base URL's userinfo (the account-tasks API declares no auth).
    let with_userinfo = server.uri().replace("http://", "http://planted-user:planted-password-8@");
    let config = ClientConfig::new().base_url(with_userinfo).hook(recorder.clone());
    let tasks = account_tasks::Client::new(config).unwrap();
    tasks.admin_tasks().run_account_task(uuid::Uuid::nil()).send().await.unwrap();

    let requests = received(&server).await;
    assert_eq!(header(&requests[0], "authorization"), Some("Bearer planted-token-1"), "the server gets them all");
    assert_eq!(header(&requests[0], "x-api-key"), Some("planted-key-2"));
    assert_eq!(header(&requests[0], "cookie"), Some("planted-cookie-3"));
    assert_eq!(header(&requests[0], "x-call-key"), Some("planted-call-key-5"));
    assert!(header(&requests[1], "authorization").is_some_and(|value| value.starts_with("Basic ")));
    let seen = recorder.text();
    for secret in ["planted", "authorization", "x-api-key", "cookie", "x-call-key", "Basic"] {
        assert!(!seen.to_ascii_lowercase().contains(&secret.to_ascii_lowercase()), "the hook saw `{secret}`: {seen}");
    }
    assert!(
        seen.contains("x-tenant: tenant-4") && seen.contains("x-request-id: r-6"),
        "other headers are shown: {seen}"
    );
    assert!(seen.contains(&format!("{}/api/v1/admin/tasks/account/run?id=", server.address())), "{seen}");
}

#[tokio::test]
async fn a_hook_sees_a_transport_error() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let base_url = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let recorder = Arc::new(Recorder::default());
    let config = ClientConfig::new().base_url(base_url).retry(RetryPolicy::none()).hook(recorder.clone());

    visma_net::Client::new(config).unwrap().project_task().get_all_tasks().send().await.unwrap_err();

    let seen = recorder.seen();
    assert_eq!(seen.len(), 2);
    assert!(
        matches!(&seen[1], Seen::Response { attempt: 1, status: None, error: true, headers, .. } if headers.is_empty())
    );
}

#[tokio::test]
async fn request_options_set_headers_over_the_clients_and_a_timeout() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/projecttask"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])).set_delay(Duration::from_millis(300)))
        .mount(&server)
        .await;
    let config = ClientConfig::new().base_url(server.uri()).header("X-Tenant", "client-wide").timeout(None);
    let client = visma_net::Client::new(config).unwrap();
    let options = RequestOptions::new().header("X-Tenant", "this-call").header("Idempotency-Key", "k-1");

    client.project_task().get_all_tasks().request_options(options).send().await.unwrap();
    let error = client
        .project_task()
        .get_all_tasks()
        .request_options(RequestOptions::new().timeout(Some(Duration::from_millis(50))))
        .send()
        .await
        .unwrap_err();

    assert!(error.is_timeout(), "{error:?}");
    let requests = received(&server).await;
    assert_eq!(header(&requests[0], "x-tenant"), Some("this-call"), "replaced, not added");
    assert_eq!(header(&requests[0], "idempotency-key"), Some("k-1"));
    assert_eq!(header(&requests[1], "x-tenant"), Some("client-wide"));
    assert_eq!(header(&requests[1], "idempotency-key"), None, "options are per call");
    assert_eq!(requests.len(), 2, "a timeout is not retried");
}

#[test]
fn request_options_show_no_secret_header_value() {
    let options = RequestOptions::new()
        .secret_header("X-Api-Key", Secret::new("planted-key-9"))
        .header("Authorization", "Basic planted-basic-10")
        .header("X-Request-Id", "r-1")
        .retry(RetryPolicy::none());
    let shown = format!("{options:?}");
    assert!(!shown.contains("planted"), "{shown}");
    assert!(shown.contains("X-Api-Key: <redacted>") && shown.contains("X-Request-Id: \"r-1\""), "{shown}");
    let bad = visma_net::Client::new(ClientConfig::new()).unwrap();
    let error = futures_executor(
        bad.project_task().get_all_tasks().request_options(RequestOptions::new().header("X-Bad", "a\r\nb")).send(),
    );
    assert!(
        matches!(error, Err(Error::InvalidRequest(message)) if message.contains("X-Bad") || message.contains("x-bad"))
    );
}

/// Runs a future that fails before any I/O.
fn futures_executor<F: std::future::Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(future)
}

const ENV: &str = "http://schemas.xmlsoap.org/soap/envelope/";

fn xml(body: String) -> ResponseTemplate {
    ResponseTemplate::new(200).insert_header("content-type", "text/xml; charset=utf-8").set_body_string(body)
}

fn authenticate_answer(ticket: &str) -> String {
    format!(
        r#"<s:Envelope xmlns:s="{ENV}"><s:Body><PwsAuthenticateResponse xmlns="http://projectorpsa.com/PwsProjectorServices/">
<PwsAuthenticateResult xmlns:a="http://projectorpsa.com/DataContracts/Responses/">
<Status xmlns="http://projectorpsa.com/CommonServices/">Ok</Status><a:SessionTicket>{ticket}</a:SessionTicket>
</PwsAuthenticateResult></PwsAuthenticateResponse></s:Body></s:Envelope>"#
    )
}

fn save_answer() -> String {
    format!(
        r#"<s:Envelope xmlns:s="{ENV}"><s:Body><PwsSaveProjectTaskResponse xmlns="http://projectorpsa.com/PwsProjectorServices/">
<PwsSaveProjectTaskResult><Status xmlns="http://projectorpsa.com/CommonServices/">Ok</Status></PwsSaveProjectTaskResult>
</PwsSaveProjectTaskResponse></s:Body></s:Envelope>"#
    )
}

fn soap_action(request: &wiremock::Request) -> String {
    header(request, "soapaction").unwrap_or_default().trim_matches('"').rsplit('/').next().unwrap().to_owned()
}

#[tokio::test]
async fn a_soap_client_with_request_options_sends_them_on_every_call_and_keeps_the_session() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(wiremock::matchers::body_string_contains("PwsAuthenticate"))
        .respond_with(xml(authenticate_answer("ticket-1")))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(wiremock::matchers::body_string_contains("PwsSaveProjectTask"))
        .respond_with(xml(save_answer()))
        .mount(&server)
        .await;
    let recorder = Arc::new(Recorder::default());
    let plain = projector::Client::new(ClientConfig::new().base_url(server.uri()).hook(recorder.clone())).unwrap();
    let credentials = PwsAuthenticateRq::new("account", Secret::new("planted-password-11"), "jdoe@acme.com");
    let session = Session::authenticate(&plain, credentials).await.unwrap();
    let tagged = plain.with_request_options(RequestOptions::new().header("X-Correlation-Id", "c-42"));

    let task = PwsSaveProjectTaskRq::new(PwsProjectRef::new().with_project_code("P1"), PwsProjectTaskDetail::new());
    tagged.save_project_task(&session, task.clone()).await.unwrap();
    plain.save_project_task(&session, task).await.unwrap();

    let requests = received(&server).await;
    let sent: Vec<(String, Option<&str>)> =
        requests.iter().map(|request| (soap_action(request), header(request, "x-correlation-id"))).collect();
    assert_eq!(
        sent,
        [
            ("PwsAuthenticate".to_owned(), None),
            ("PwsSaveProjectTask".to_owned(), Some("c-42")),
            ("PwsSaveProjectTask".to_owned(), None)
        ]
    );
    assert!(String::from_utf8_lossy(&requests[1].body).contains("ticket-1"), "the session's ticket is sent");
    let operations: Vec<(&str, &str, &str)> = recorder
        .seen()
        .iter()
        .filter_map(|seen| match seen {
            Seen::Request { operation: Some(info), .. } => Some((info.service, info.id, info.path)),
            _ => None,
        })
        .collect();
    let endpoint = "/OpsProjectorWcfSvc/PwsProjectorServices.svc";
    assert_eq!(
        operations,
        [
            ("projector", "session_authenticate", endpoint),
            ("projector", "scheduling_save_project_task", endpoint),
            ("projector", "scheduling_save_project_task", endpoint)
        ]
    );
    let seen = recorder.text();
    assert!(!seen.contains("planted") && !seen.contains("ticket-1"), "{seen}");
}

#[tokio::test(start_paused = true)]
async fn a_soap_call_the_spec_marks_idempotent_is_retried() {
    let server = MockServer::start().await;
    let found = format!(
        r#"<s:Envelope xmlns:s="{ENV}"><s:Body><svc:FindResponse xmlns:svc="urn:example:service"><svc:FindResult>
<dt:Total xmlns:dt="urn:example:data">3</dt:Total></svc:FindResult></svc:FindResponse></s:Body></s:Envelope>"#
    );
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(503).insert_header("Retry-After", "1"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST")).respond_with(xml(found)).mount(&server).await;
    let config = fixture_clients::ClientConfig::new().base_url(server.uri()).timeout(None).http_client(http());
    let client = fixture_clients::soap::Client::new(config).unwrap();

    let started = Instant::now();
    let answer = client.find(fixture_clients::soap::types::FindRq::new(5)).await.unwrap();

    assert_eq!(answer.body.total, 3);
    assert_eq!(started.elapsed(), Duration::from_secs(1));
    assert_eq!(received(&server).await.len(), 2);
}

#[tokio::test]
async fn with_client_credentials_a_hook_sees_no_token_and_a_401_is_refreshed_once_among_retries() {
    let tokens = MockServer::start().await;
    let issued = std::sync::atomic::AtomicUsize::new(0);
    let issued = Arc::new(issued);
    let counter = issued.clone();
    Mock::given(method("POST"))
        .and(path("/connect/token"))
        .respond_with(move |_: &wiremock::Request| {
            let n = counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1;
            ResponseTemplate::new(200).set_body_json(
                json!({ "access_token": format!("planted-access-{n}"), "token_type": "Bearer", "expires_in": 3600 }),
            )
        })
        .mount(&tokens)
        .await;
    let api = MockServer::start().await;
    // A 503 (retried), then a 401 (one refresh, one resend), then the list.
    let answers = [ResponseTemplate::new(503).insert_header("Retry-After", "0"), ResponseTemplate::new(401)];
    for answer in answers {
        Mock::given(method("GET")).respond_with(answer).up_to_n_times(1).with_priority(1).mount(&api).await;
    }
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(200).set_body_json(json!([]))).mount(&api).await;
    let recorder = Arc::new(Recorder::default());
    let credentials = visma_net::ClientCredentials::new("app", "planted-secret", "tenant")
        .token_url(format!("{}/connect/token", tokens.uri()));
    let config = ClientConfig::new().base_url(api.uri()).hook(recorder.clone());
    let client = visma_net::Client::with_client_credentials(config, credentials).unwrap();

    client.project_task().get_all_tasks().send().await.unwrap();

    let bearers: Vec<String> =
        received(&api).await.iter().map(|request| header(request, "authorization").unwrap().to_owned()).collect();
    assert_eq!(bearers, ["Bearer planted-access-1", "Bearer planted-access-1", "Bearer planted-access-2"]);
    assert_eq!(issued.load(std::sync::atomic::Ordering::SeqCst), 2, "one refresh for the one 401");
    let statuses: Vec<(u32, Option<u16>)> = recorder
        .seen()
        .iter()
        .filter_map(|seen| match seen {
            Seen::Response { attempt, status, .. } => Some((*attempt, *status)),
            Seen::Request { .. } => None,
        })
        .collect();
    assert_eq!(statuses, [(1, Some(503)), (2, Some(200))], "the resend after the refresh is part of attempt 2");
    let seen = recorder.text();
    assert!(!seen.contains("planted") && !seen.contains("connect/token"), "{seen}");
}
