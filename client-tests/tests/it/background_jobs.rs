//! Operations sent as background jobs (`send_in_background`, `BackgroundJob::wait`) against a real
//! HTTP server on loopback, under tokio's paused clock: the 202 answer, the polls and their
//! backoff, the typed content, a failed job, the deadline and statuses the spec does not list.

use crate::common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use api_clients::visma_net::types::{BackgroundRequestStatus, ProjectTaskUpdateDto};
use api_clients::{visma_net, ClientConfig, Error, JobError};
use common::{assert_visma_auth, header, raw_query, received, TOKEN};
use serde_json::{json, Value};
use tokio::time::Instant;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

/// A Visma client whose only timers are the job's backoff: no request timeout and no idle
/// connection (whose expiry timer the paused clock would otherwise jump to while a request
/// waits for the loopback server, making the measured waits inexact).
fn client(server: &MockServer) -> visma_net::Client {
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(0)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    visma_net::Client::new(
        ClientConfig::new().base_url(server.uri()).bearer_token(TOKEN).timeout(None).http_client(http),
    )
    .unwrap()
}

/// Answers each request with the next body of `states` (the last one repeats).
struct States {
    states: Vec<Value>,
    next: AtomicUsize,
}

impl Respond for States {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        let index = self.next.fetch_add(1, Ordering::SeqCst).min(self.states.len() - 1);
        ResponseTemplate::new(200).set_body_json(&self.states[index])
    }
}

fn state(status: &str) -> Value {
    json!({ "id": "job-1", "status": status, "statusCode": 0, "hasResponseContent": false })
}

async fn mount_states(server: &MockServer, states: &[&str], expected: u64) {
    Mock::given(method("GET"))
        .and(path("/v1/background/job-1"))
        .respond_with(States { states: states.iter().map(|status| state(status)).collect(), next: AtomicUsize::new(0) })
        .expect(expected)
        .mount(server)
        .await;
}

async fn mount_accepted(server: &MockServer, route: &str, verb: &str) {
    Mock::given(method(verb))
        .and(path(route))
        .respond_with(
            ResponseTemplate::new(202).set_body_json(
                json!({ "id": "job-1", "stateLocation": "https://api.example.test/v1/background/job-1" }),
            ),
        )
        .expect(1)
        .mount(server)
        .await;
}

#[tokio::test(start_paused = true)]
async fn a_job_is_polled_with_backoff_and_its_content_decodes_as_the_operations_body() {
    let server = MockServer::start().await;
    mount_accepted(&server, "/v1/projecttask", "GET").await;
    mount_states(&server, &["Started", "Started", "Started", "Started", "Finished"], 5).await;
    Mock::given(method("GET"))
        .and(path("/v1/background/job-1/content"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([
            { "internalId": 101, "taskId": "T-01", "status": "Active" },
            { "internalId": 102, "taskId": "T-02" }
        ])))
        .expect(1)
        .mount(&server)
        .await;

    let job = client(&server).project_task().get_all_tasks().project_id("P1").send_in_background().await.unwrap();
    assert_eq!(job.id(), Some("job-1"));
    let started = Instant::now();
    let tasks = job.backoff(Duration::from_secs(1), Duration::from_secs(4)).wait().await.unwrap();

    // Four waits between five state reads: 1 s, 2 s, 4 s and 4 s (capped).
    assert_eq!(started.elapsed(), Duration::from_secs(11));
    let tasks: Vec<_> = tasks.into_body();
    assert_eq!(tasks.len(), 2);
    assert_eq!(tasks[0].internal_id, Some(101));
    assert_eq!(tasks[1].task_id.as_deref(), Some("T-02"));

    let requests = received(&server).await;
    let sent = &requests[0];
    assert_eq!(
        (sent.method.as_str(), sent.url.path(), raw_query(sent)),
        ("GET", "/v1/projecttask", Some("projectId=P1"))
    );
    assert_eq!(header(sent, "erp-api-background"), Some("none"));
    let rest: Vec<(&str, &str)> = requests[1..].iter().map(|r| (r.method.as_str(), r.url.path())).collect();
    let mut expected = vec![("GET", "/v1/background/job-1"); 5];
    expected.push(("GET", "/v1/background/job-1/content"));
    assert_eq!(rest, expected);
    for request in &requests {
        assert_visma_auth(request);
        assert_eq!(raw_query(request).filter(|_| request.url.path().starts_with("/v1/background")), None);
    }
}

#[tokio::test(start_paused = true)]
async fn a_failed_job_is_a_typed_error_with_the_servers_message() {
    let server = MockServer::start().await;
    mount_accepted(&server, "/v1/kitassembly", "GET").await;
    Mock::given(method("GET"))
        .and(path("/v1/background/job-1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "id": "job-1", "status": "Failed", "statusCode": 400, "errorMessage": "Kit type X is unknown"
        })))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(path("/v1/background/job-1/content"))
        .respond_with(ResponseTemplate::new(200))
        .expect(0)
        .mount(&server)
        .await;

    let job = client(&server).kit_assembly().get_kit_assemblies().send_in_background().await.unwrap();
    let error = job.wait().await.unwrap_err();

    match &error {
        Error::Job(JobError::Failed { id, status, message }) => {
            assert_eq!(id, "job-1");
            assert_eq!(status, "Failed");
            assert_eq!(message.as_deref(), Some("Kit type X is unknown"));
        }
        other => panic!("expected a failed job, got {other:?}"),
    }
    assert_eq!(error.to_string(), "background job `job-1` ended with status `Failed`: Kit type X is unknown");
}

#[tokio::test(start_paused = true)]
async fn the_deadline_is_a_typed_error_and_the_last_read_is_at_the_deadline() {
    let server = MockServer::start().await;
    mount_accepted(&server, "/v1/projecttask", "GET").await;
    // Reads at 0, 1, 3 and 7 s, then one at the 10 s deadline (not a whole step after it).
    mount_states(&server, &["Started"], 5).await;

    let job = client(&server).project_task().get_all_tasks().send_in_background().await.unwrap();
    let started = Instant::now();
    let error = job
        .backoff(Duration::from_secs(1), Duration::from_secs(4))
        .deadline(Duration::from_secs(10))
        .wait()
        .await
        .unwrap_err();

    assert_eq!(started.elapsed(), Duration::from_secs(10));
    match error {
        Error::Job(JobError::DeadlinePassed { id, waited, status }) => {
            assert_eq!(id, "job-1");
            assert_eq!(waited, Duration::from_secs(10));
            assert_eq!(status.as_deref(), Some("Started"));
        }
        other => panic!("expected the deadline, got {other:?}"),
    }
}

#[tokio::test(start_paused = true)]
async fn an_unknown_status_is_kept_and_means_the_job_is_still_running() {
    let server = MockServer::start().await;
    mount_accepted(&server, "/v1/projecttask", "GET").await;
    mount_states(&server, &["Queued", "Queued"], 3).await;

    let client = client(&server);
    // The state operation keeps the value the spec does not list.
    let state = client.background().get_operation_state("job-1").send().await.unwrap().into_body();
    assert_eq!(state.status, Some(BackgroundRequestStatus::Other("Queued".to_owned())));

    let job = client.project_task().get_all_tasks().send_in_background().await.unwrap();
    let error = job
        .backoff(Duration::from_secs(2), Duration::from_secs(2))
        .deadline(Duration::from_secs(2))
        .wait()
        .await
        .unwrap_err();
    match error {
        Error::Job(JobError::DeadlinePassed { status, .. }) => assert_eq!(status.as_deref(), Some("Queued")),
        other => panic!("expected the deadline, got {other:?}"),
    }
}

#[tokio::test(start_paused = true)]
async fn a_job_of_an_operation_without_a_body_reads_no_content() {
    let server = MockServer::start().await;
    mount_accepted(&server, "/v1/projecttask/7", "PUT").await;
    mount_states(&server, &["Started", "Finished"], 2).await;
    Mock::given(path("/v1/background/job-1/content"))
        .respond_with(ResponseTemplate::new(200))
        .expect(0)
        .mount(&server)
        .await;

    let changes: ProjectTaskUpdateDto = serde_json::from_value(json!({ "description": { "value": "New" } })).unwrap();
    let job = client(&server).project_task().update_task(7, changes).send_in_background().await.unwrap();
    let started = Instant::now();
    let done = job.wait().await.unwrap();

    assert_eq!(started.elapsed(), Duration::from_millis(500), "the default first wait");
    assert_eq!(done.status.as_u16(), 200, "the finished state's answer");
    let () = done.into_body();
    let requests = received(&server).await;
    assert_eq!(requests[0].method.as_str(), "PUT");
    assert_eq!(header(&requests[0], "erp-api-background"), Some("none"));
    assert_eq!(common::json_body(&requests[0]), json!({ "description": { "value": "New" } }));
}

#[tokio::test(start_paused = true)]
async fn an_answer_given_at_once_is_the_jobs_result_and_nothing_is_polled() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/projecttask"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([{ "internalId": 5 }])))
        .expect(1)
        .mount(&server)
        .await;

    let job = client(&server).project_task().get_all_tasks().send_in_background().await.unwrap();
    assert_eq!(job.id(), None);
    assert!(job.state().await.unwrap().is_none());
    let tasks = job.wait().await.unwrap().into_body();
    assert_eq!(tasks[0].internal_id, Some(5));
    assert_eq!(received(&server).await.len(), 1);
}

#[tokio::test(start_paused = true)]
async fn an_accepted_answer_without_a_job_id_is_a_decode_error() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/projecttask"))
        .respond_with(ResponseTemplate::new(202).set_body_json(json!({ "stateLocation": "/v1/background/" })))
        .expect(1)
        .mount(&server)
        .await;

    let error = client(&server).project_task().get_all_tasks().send_in_background().await.unwrap_err();
    match error {
        Error::Decode(decode) => {
            assert_eq!(decode.status.as_u16(), 202);
            assert!(decode.message.contains("no job id"), "{}", decode.message);
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
}

#[tokio::test(start_paused = true)]
async fn a_failing_state_read_is_the_api_error_and_ends_the_wait() {
    let server = MockServer::start().await;
    mount_accepted(&server, "/v1/projecttask", "GET").await;
    Mock::given(method("GET"))
        .and(path("/v1/background/job-1"))
        .respond_with(ResponseTemplate::new(404).set_body_string("no such job"))
        .expect(1)
        .mount(&server)
        .await;

    let job = client(&server).project_task().get_all_tasks().send_in_background().await.unwrap();
    let error = job.wait().await.unwrap_err();
    assert_eq!(error.status().map(|status| status.as_u16()), Some(404));
}

// The fixture's protocol: a text header, required fields, a closed status enum with two
// failure statuses, and a typed error body.

#[tokio::test(start_paused = true)]
async fn the_fixture_protocol_sends_its_text_header_and_reads_its_own_paths_and_statuses() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/reports"))
        .respond_with(ResponseTemplate::new(202).set_body_json(json!({ "jobId": "r/1" })))
        .expect(2)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/jobs/r%2F1"))
        .respond_with(States {
            states: vec![json!({ "state": "running" }), json!({ "state": "done" }), json!({ "state": "cancelled" })],
            next: AtomicUsize::new(0),
        })
        .expect(3)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/jobs/r%2F1/result"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "title": "Q3" })))
        .expect(1)
        .mount(&server)
        .await;

    let http = reqwest::Client::builder().pool_max_idle_per_host(0).build().unwrap();
    let config = fixture_clients::ClientConfig::new().base_url(server.uri()).timeout(None).http_client(http);
    let client = fixture_clients::background_jobs::Client::new(config).unwrap();
    let request: fixture_clients::background_jobs::types::ReportRequest =
        serde_json::from_value(json!({ "kind": "sales" })).unwrap();

    let report = client.reports().build(request.clone()).send_in_background().await.unwrap().wait().await.unwrap();
    assert_eq!(report.into_body().title, "Q3");
    // The third state read says `cancelled`, the spec's second failure status.
    let error = client.reports().build(request).send_in_background().await.unwrap().wait().await.unwrap_err();
    assert!(
        matches!(error, fixture_clients::Error::Job(fixture_clients::JobError::Failed { ref status, .. }) if status == "cancelled"),
        "{error:?}"
    );

    let requests = received(&server).await;
    assert_eq!(header(&requests[0], "x-run-async"), Some("true"));
    // The id is one path segment, percent-encoded.
    assert_eq!(requests[1].url.path(), "/jobs/r%2F1");
}
