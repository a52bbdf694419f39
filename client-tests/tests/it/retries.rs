//! Retries against a real HTTP server on loopback, on tokio's paused clock: `Retry-After` in
//! seconds and as an HTTP date, exponential backoff for 503 and refused connections, the
//! attempt and time budgets, POST and PATCH retried only when the spec or the caller says they
//! are idempotent, statuses that are never retried, the rate-limit headers, and a blocking call.

use crate::common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use api_clients::visma_net::types::ProjectTaskUpdateDto;
use api_clients::{visma_net, ClientConfig, Error, Hook, HookRequest, RateLimit, RequestOptions, RetryPolicy};
use common::{received, TOKEN};
use fixture_clients::retries;
use serde_json::json;
use tokio::time::Instant;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

/// A reqwest client with no timer of its own: no request timeout and no idle connection
/// (whose expiry timer the paused clock would otherwise jump to while a request waits for
/// the loopback server), so the clock moves only by the retry waits.
fn http() -> reqwest::Client {
    reqwest::Client::builder().pool_max_idle_per_host(0).redirect(reqwest::redirect::Policy::none()).build().unwrap()
}

fn config(base_url: &str) -> ClientConfig {
    ClientConfig::new().base_url(base_url).bearer_token(TOKEN).timeout(None).http_client(http())
}

fn visma(server: &MockServer) -> visma_net::Client {
    visma_net::Client::new(config(&server.uri())).unwrap()
}

/// Records the paused clock's time at each attempt.
#[derive(Default)]
struct Attempts(Mutex<Vec<(u32, Instant)>>);

impl Hook for Attempts {
    fn before_send(&self, request: &mut HookRequest<'_>) {
        self.0.lock().unwrap().push((request.attempt(), Instant::now()));
    }
}

impl Attempts {
    /// The waits between consecutive attempts.
    fn gaps(&self) -> Vec<Duration> {
        let attempts = self.0.lock().unwrap();
        let numbers: Vec<u32> = attempts.iter().map(|(number, _)| *number).collect();
        assert_eq!(numbers, (1..=numbers.len() as u32).collect::<Vec<_>>(), "attempts are numbered from 1");
        attempts.windows(2).map(|pair| pair[1].1 - pair[0].1).collect()
    }
}

/// Answers with each template in turn; the last one repeats.
struct Sequence {
    answers: Vec<ResponseTemplate>,
    next: AtomicUsize,
}

impl Respond for Sequence {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        let index = self.next.fetch_add(1, Ordering::SeqCst).min(self.answers.len() - 1);
        self.answers[index].clone()
    }
}

async fn mount(server: &MockServer, verb: &str, route: &str, answers: Vec<ResponseTemplate>) {
    Mock::given(method(verb))
        .and(path(route))
        .respond_with(Sequence { answers, next: AtomicUsize::new(0) })
        .mount(server)
        .await;
}

fn status(code: u16) -> ResponseTemplate {
    ResponseTemplate::new(code)
}

fn tasks() -> ResponseTemplate {
    status(200).set_body_json(json!([{ "taskId": "T-01" }]))
}

fn task_update() -> ProjectTaskUpdateDto {
    serde_json::from_value(json!({ "description": { "value": "Design" } })).unwrap()
}

async fn request_count(server: &MockServer) -> usize {
    received(server).await.len()
}

#[tokio::test(start_paused = true)]
async fn a_429_with_retry_after_in_seconds_is_waited_for_then_the_200_is_returned() {
    let server = MockServer::start().await;
    let limited = status(429)
        .insert_header("Retry-After", "7")
        .insert_header("X-RateLimit-Limit", "600")
        .insert_header("X-RateLimit-Remaining", "0")
        .insert_header("X-RateLimit-Reset", "7")
        .set_body_string("Too many requests");
    let ok = tasks().insert_header("X-RateLimit-Limit", "600").insert_header("X-RateLimit-Remaining", "599");
    mount(&server, "GET", "/v1/projecttask", vec![limited, ok]).await;

    let started = Instant::now();
    let answer = visma(&server).project_task().get_all_tasks().send().await.unwrap();

    assert_eq!(started.elapsed(), Duration::from_secs(7), "exactly the Retry-After, no backoff on top");
    let tasks = answer.body.clone().into_ok().expect("the 200 list");
    assert_eq!(tasks[0].task_id.as_deref(), Some("T-01"));
    let expected = RateLimit::from_headers(&answer.headers).unwrap();
    assert_eq!((expected.limit, expected.remaining, expected.reset), (Some(600), Some(599), None));
    assert_eq!(answer.rate_limit(), Some(expected));
    let requests = received(&server).await;
    assert_eq!(requests.len(), 2);
    for request in &requests {
        assert_eq!(common::header(request, "authorization"), Some(format!("Bearer {TOKEN}").as_str()));
    }
}

#[tokio::test(start_paused = true)]
async fn retry_after_as_an_http_date_is_waited_for_until_that_time() {
    let server = MockServer::start().await;
    // The date has whole seconds, so the wait is between 9 and 10 s of the paused clock.
    let at = chrono::DateTime::<chrono::Utc>::from(std::time::SystemTime::now()) + chrono::Duration::seconds(10);
    let date = at.format("%a, %d %b %Y %H:%M:%S GMT").to_string();
    mount(&server, "GET", "/v1/projecttask", vec![status(503).insert_header("Retry-After", date.as_str()), tasks()])
        .await;

    let started = Instant::now();
    visma(&server).project_task().get_all_tasks().send().await.unwrap();

    let waited = started.elapsed();
    assert!(waited > Duration::from_secs(8) && waited <= Duration::from_secs(10), "{waited:?} for {date}");
    assert_eq!(request_count(&server).await, 2);
}

#[tokio::test(start_paused = true)]
async fn a_503_is_retried_with_exponential_backoff_and_full_jitter() {
    let server = MockServer::start().await;
    mount(&server, "GET", "/v1/projecttask", vec![status(503), status(503), status(503), tasks()]).await;
    let attempts = Arc::new(Attempts::default());
    let client = visma_net::Client::new(config(&server.uri()).hook(attempts.clone())).unwrap();

    client.project_task().get_all_tasks().send().await.unwrap();

    let gaps = attempts.gaps();
    // Full jitter: each wait is at most 500 ms, 1 s, 2 s (doubling), and some wait happens.
    let caps = [500, 1000, 2000].map(Duration::from_millis);
    assert_eq!(gaps.len(), 3, "4 attempts: {gaps:?}");
    for (gap, cap) in gaps.iter().zip(caps) {
        assert!(*gap <= cap, "{gaps:?}");
    }
    assert!(gaps.iter().sum::<Duration>() > Duration::ZERO, "{gaps:?}");
    assert_eq!(request_count(&server).await, 4);
}

#[tokio::test(start_paused = true)]
async fn after_the_last_attempt_the_last_answer_is_returned() {
    let server = MockServer::start().await;
    let unavailable = |n: u32| status(503).set_body_string(format!("down {n}"));
    mount(&server, "GET", "/v1/projecttask", (1..=6).map(unavailable).collect()).await;

    let error = visma(&server).project_task().get_all_tasks().send().await.unwrap_err();

    let Error::Api(api) = error else { panic!("an API error: {error:?}") };
    assert_eq!(api.status, 503);
    assert_eq!(api.body, api_clients::ErrorBody::Raw("down 4".to_owned()), "the 4th answer, with its body");
    assert_eq!(request_count(&server).await, 4, "the default policy makes 4 attempts in all");
}

#[tokio::test(start_paused = true)]
async fn a_refused_connection_is_retried_and_its_error_returned() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let base_url = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let attempts = Arc::new(Attempts::default());
    let client = visma_net::Client::new(config(&base_url).hook(attempts.clone())).unwrap();

    let error = client.project_task().get_all_tasks().send().await.unwrap_err();

    let Error::Transport(transport) = &error else { panic!("a transport error: {error:?}") };
    assert!(transport.is_connect(), "{error}");
    assert_eq!(attempts.gaps().len(), 3, "4 attempts");
}

#[tokio::test(start_paused = true)]
async fn a_post_whose_connection_is_refused_is_retried_since_nothing_was_sent() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let base_url = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let attempts = Arc::new(Attempts::default());
    let client = visma_net::Client::new(config(&base_url).hook(attempts.clone())).unwrap();

    let body = api_clients::visma_net::types::ProjectTaskUpdateDto::new();
    let error = client.project_task().create_task(17, body).send().await.unwrap_err();

    assert!(matches!(&error, Error::Transport(transport) if transport.is_connect()), "{error}");
    assert_eq!(attempts.gaps().len(), 3, "4 attempts, as for a GET");
}

#[tokio::test(start_paused = true)]
async fn a_retry_after_beyond_the_budget_is_not_waited_for() {
    let server = MockServer::start().await;
    mount(&server, "GET", "/v1/projecttask", vec![status(429).insert_header("Retry-After", "120"), tasks()]).await;

    let started = Instant::now();
    let error = visma(&server).project_task().get_all_tasks().send().await.unwrap_err();

    assert_eq!(started.elapsed(), Duration::ZERO, "120 s is more than the 60 s budget");
    let api = error.api().expect("the 429 is returned as it is");
    assert_eq!(api.status, 429);
    assert_eq!(api.retry_after(), Some(Duration::from_secs(120)));
    assert_eq!(request_count(&server).await, 1);
}

#[tokio::test(start_paused = true)]
async fn the_budget_counts_every_wait_of_the_call() {
    let server = MockServer::start().await;
    let busy = status(503).insert_header("Retry-After", "3");
    mount(&server, "GET", "/v1/projecttask", vec![busy.clone(), busy.clone(), busy, tasks()]).await;
    let policy = RetryPolicy::new().max_attempts(10).budget(Duration::from_secs(7));
    let client = visma_net::Client::new(config(&server.uri()).retry(policy)).unwrap();

    let started = Instant::now();
    let error = client.project_task().get_all_tasks().send().await.unwrap_err();

    // Waits at 0 → 3 → 6 s; a third would end at 9 s, after the 7 s budget.
    assert_eq!(started.elapsed(), Duration::from_secs(6));
    assert_eq!(error.status().map(|status| status.as_u16()), Some(503));
    assert_eq!(request_count(&server).await, 3);
}

#[tokio::test(start_paused = true)]
async fn a_post_is_not_retried() {
    let server = MockServer::start().await;
    mount(&server, "POST", "/v1/projecttask/17", vec![status(503), status(201)]).await;

    let error = visma(&server).project_task().create_task(17, task_update()).send().await.unwrap_err();

    assert_eq!(error.status().map(|status| status.as_u16()), Some(503));
    assert_eq!(request_count(&server).await, 1, "sending a POST twice may create two tasks");
}

#[tokio::test(start_paused = true)]
async fn a_post_is_retried_when_the_caller_opts_in() {
    let server = MockServer::start().await;
    mount(&server, "POST", "/v1/projecttask/17", vec![status(503).insert_header("Retry-After", "1"), status(201)])
        .await;
    let options = RequestOptions::new().idempotent().header("Idempotency-Key", "key-1");

    let answer =
        visma(&server).project_task().create_task(17, task_update()).request_options(options).send().await.unwrap();

    assert_eq!(answer.status, 201);
    let requests = received(&server).await;
    assert_eq!(requests.len(), 2);
    for request in &requests {
        assert_eq!(common::header(request, "idempotency-key"), Some("key-1"));
        assert_eq!(common::json_body(request), json!({ "description": { "value": "Design" } }), "the same body");
    }
}

#[tokio::test(start_paused = true)]
async fn a_post_and_a_patch_the_spec_marks_idempotent_are_retried() {
    let server = MockServer::start().await;
    let order = status(200).set_body_json(json!({ "id": "o-1" }));
    mount(&server, "POST", "/orders", vec![status(502).insert_header("Retry-After", "2"), order]).await;
    mount(&server, "PATCH", "/orders/o-1", vec![status(504).insert_header("Retry-After", "2"), status(204)]).await;
    mount(&server, "POST", "/orders/new", vec![status(502), status(201).set_body_json(json!({ "id": "o-2" }))]).await;
    let config = fixture_clients::ClientConfig::new().base_url(server.uri()).timeout(None).http_client(http());
    let client = retries::Client::new(config).unwrap();

    let started = Instant::now();
    let answer = client.orders().put_by_key("key-1", retries::types::Order::new("o-1")).send().await.unwrap();
    assert_eq!(answer.body.id, "o-1");
    client.orders().touch("o-1").send().await.unwrap();
    assert_eq!(started.elapsed(), Duration::from_secs(4));
    let error = client.orders().create(retries::types::Order::new("o-2")).send().await.unwrap_err();
    assert_eq!(error.status().map(|status| status.as_u16()), Some(502), "not marked: not retried");

    let requests = received(&server).await;
    let sent: Vec<(String, &str)> = requests.iter().map(|r| (r.method.to_string(), r.url.path())).collect();
    let expected = [("POST", "/orders"), ("POST", "/orders"), ("PATCH", "/orders/o-1"), ("PATCH", "/orders/o-1")];
    let mut expected: Vec<(String, &str)> = expected.iter().map(|(m, p)| (m.to_string(), *p)).collect();
    expected.push(("POST".to_owned(), "/orders/new"));
    assert_eq!(sent, expected);
    let marked = [retries::orders::PutByKey::OPERATION, retries::orders::Create::OPERATION];
    assert_eq!(marked.map(|info| (info.id, info.idempotent)), [("orders_put_by_key", true), ("orders_create", false)]);
}

#[tokio::test(start_paused = true)]
async fn other_errors_are_never_retried() {
    for code in [400, 401, 403, 404, 409, 422, 500, 501] {
        let server = MockServer::start().await;
        mount(&server, "GET", "/v1/projecttask", vec![status(code).insert_header("Retry-After", "1"), tasks()]).await;

        let error = visma(&server).project_task().get_all_tasks().send().await.unwrap_err();

        assert_eq!(error.status().map(|status| status.as_u16()), Some(code));
        assert_eq!(request_count(&server).await, 1, "{code}");
    }
}

#[tokio::test(start_paused = true)]
async fn a_policy_of_none_and_a_per_call_policy_replace_the_default() {
    let server = MockServer::start().await;
    mount(&server, "GET", "/v1/projecttask", vec![status(503)]).await;
    let client = visma_net::Client::new(config(&server.uri()).retry(RetryPolicy::none())).unwrap();

    client.project_task().get_all_tasks().send().await.unwrap_err();
    assert_eq!(request_count(&server).await, 1, "none: sent once");

    let twice = RequestOptions::new().retry(RetryPolicy::new().max_attempts(2));
    client.project_task().get_all_tasks().request_options(twice).send().await.unwrap_err();
    assert_eq!(request_count(&server).await, 3, "the call's own policy: 2 attempts");
}

#[test]
fn a_blocking_call_waits_on_the_crates_runtime_thread_and_is_retried_too() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let server = runtime.block_on(MockServer::start());
    let answers = vec![status(503).insert_header("Retry-After", "0"), tasks()];
    runtime.block_on(mount(&server, "GET", "/v1/projecttask", answers));
    let client = visma_net::Client::new(ClientConfig::new().base_url(server.uri())).unwrap();

    client.project_task().get_all_tasks().send_blocking().unwrap();

    assert_eq!(runtime.block_on(request_count(&server)), 2);
}
