//! The `blocking` feature: `send_blocking` from plain `#[test]` functions, whose thread never
//! enters a tokio runtime, against servers on loopback; and the clear error inside a runtime.

use crate::common;

use std::future::Future;
use std::time::Duration;

use api_clients::projector::types::{PwsAuthenticateRq, PwsSaveProjectTaskRq};
use api_clients::projector::{self, Session};
use api_clients::visma_net::project_task::{GetAllTasksResponse, UpdateTaskResponse};
use api_clients::visma_net::types::ProjectTaskUpdateDto;
use api_clients::{visma_net, ClientConfig, Error, ErrorBody};
use common::{header, json_body, raw_query, TOKEN};
use serde_json::json;
use wiremock::matchers::{header as header_is, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// Runs `work` (server setup or inspection) on a thread of its own with its own runtime, so
/// the test's thread, the one that calls `send_blocking`, never has a tokio context.
fn elsewhere<T: Send>(work: impl Future<Output = T> + Send) -> T {
    std::thread::scope(|scope| {
        scope
            .spawn(|| tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(work))
            .join()
            .expect("the setup thread does not panic")
    })
}

fn no_runtime_here() {
    assert!(tokio::runtime::Handle::try_current().is_err(), "the test thread must not be inside a runtime");
}

fn visma(server: &MockServer) -> visma_net::Client {
    visma_net::Client::new(ClientConfig::new().base_url(server.uri()).bearer_token(TOKEN)).unwrap()
}

fn received(server: &MockServer) -> Vec<Request> {
    elsewhere(server.received_requests()).expect("request recording is on")
}

fn task_list() -> serde_json::Value {
    json!([
        { "internalId": 101, "taskId": "T-01", "description": "Design", "status": "Active",
          "lastModifiedDateTime": "2024-01-01T00:00:00" },
        { "internalId": 102, "taskId": "T-02", "status": "Planned" }
    ])
}

#[test]
fn get_all_tasks_blocking_sends_the_query_and_decodes_the_answer() {
    let server = elsewhere(MockServer::start());
    elsewhere(
        Mock::given(method("GET"))
            .and(path("/v1/projecttask"))
            .respond_with(ResponseTemplate::new(200).set_body_json(task_list()))
            .expect(1)
            .mount(&server),
    );
    no_runtime_here();

    let answer = visma(&server).project_task().get_all_tasks().project_id("P 1").page_size(5).send_blocking();

    let answer = answer.expect("a 200 with a task list");
    assert_eq!(answer.status, 200);
    let GetAllTasksResponse::Ok(tasks) = answer.body else { panic!("200 is the Ok variant: {:?}", answer.body) };
    assert_eq!(tasks.len(), 2);
    assert_eq!(tasks[0].internal_id, Some(101));
    assert_eq!(tasks[0].task_id.as_deref(), Some("T-01"));
    assert_eq!(tasks[0].last_modified_date_time.as_ref().unwrap().to_string(), "2024-01-01T00:00:00");
    assert_eq!(tasks[1].task_id.as_deref(), Some("T-02"));
    let requests = received(&server);
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    assert_eq!(request.method.as_str(), "GET");
    assert_eq!(request.url.path(), "/v1/projecttask");
    assert_eq!(raw_query(request), Some("projectId=P+1&pageSize=5"));
    assert_eq!(header(request, "authorization"), Some(format!("Bearer {TOKEN}").as_str()));
    assert_eq!(header(request, "accept"), Some("application/json"));
    assert!(request.body.is_empty());
}

#[test]
fn update_task_blocking_sends_the_body_and_if_match() {
    let server = elsewhere(MockServer::start());
    elsewhere(
        Mock::given(method("PUT"))
            .and(path("/v1/projecttask/7"))
            .and(header_is("if-match", "\"v1\""))
            .respond_with(ResponseTemplate::new(204).insert_header("etag", "\"v2\""))
            .mount(&server),
    );
    let changes: ProjectTaskUpdateDto =
        serde_json::from_value(json!({ "description": { "value": "Build" } })).expect("a valid update");
    no_runtime_here();

    let answer = visma(&server)
        .project_task()
        .update_task(7, changes)
        .if_match(api_clients::ETag::new("\"v1\""))
        .send_blocking()
        .expect("204 No Content");

    assert_eq!(answer.body, UpdateTaskResponse::NoContent);
    assert_eq!(answer.etag().map(|etag| etag.as_str().to_owned()), Some("\"v2\"".to_owned()));
    let requests = received(&server);
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].method.as_str(), "PUT");
    assert_eq!(header(&requests[0], "content-type"), Some("application/json"));
    assert_eq!(json_body(&requests[0]), json!({ "description": { "value": "Build" } }));
}

#[test]
fn an_error_status_is_the_same_typed_error_as_async() {
    let server = elsewhere(MockServer::start());
    elsewhere(
        Mock::given(method("GET"))
            .respond_with(ResponseTemplate::new(404).set_body_string("no such task"))
            .mount(&server),
    );
    no_runtime_here();

    let error = visma(&server).project_task().get_task_by_internal_id(9).send_blocking().unwrap_err();

    let Error::Api(api) = error else { panic!("a 404 is an API error: {error:?}") };
    assert_eq!(api.status, 404);
    assert!(matches!(&api.body, ErrorBody::Raw(text) if text == "no such task"), "{:?}", api.body);
    assert_eq!(received(&server)[0].url.path(), "/v1/projecttask/9");
}

/// Timers run on the crate's runtime thread: the configured timeout ends a stalled call.
#[test]
fn the_timeout_applies_to_blocking_calls() {
    let (base_url, stall) = common::serve_one_connection(|stream| {
        // Hold the connection open without answering until the client gives up.
        let mut buffer = [0u8; 1024];
        let _ = std::io::Read::read(&mut &stream, &mut buffer);
        std::thread::sleep(Duration::from_secs(2));
    });
    let client =
        visma_net::Client::new(ClientConfig::new().base_url(&base_url).timeout(Some(Duration::from_millis(200))))
            .unwrap();
    no_runtime_here();

    let error = client.project_task().get_task_by_internal_id(1).send_blocking().unwrap_err();

    assert!(error.is_timeout(), "{error}");
    stall.join().unwrap();
}

/// Several threads share the one runtime thread; each gets its own answer.
#[test]
fn blocking_calls_from_several_threads_each_get_their_answer() {
    let server = elsewhere(MockServer::start());
    for id in 1..=4 {
        elsewhere(
            Mock::given(method("GET"))
                .and(path(format!("/v1/projecttask/{id}")))
                .respond_with(
                    ResponseTemplate::new(200).set_body_json(json!({ "internalId": id, "taskId": format!("T-{id}") })),
                )
                .mount(&server),
        );
    }
    let client = visma(&server);

    let answers: Vec<_> = std::thread::scope(|scope| {
        let calls: Vec<_> = (1..=4)
            .map(|id| {
                let client = &client;
                scope.spawn(move || {
                    no_runtime_here();
                    (0..3)
                        .map(|_| client.project_task().get_task_by_internal_id(id).send_blocking().unwrap())
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        calls.into_iter().map(|call| call.join().unwrap()).collect()
    });

    for (id, answers) in (1..=4).zip(answers) {
        for answer in answers {
            let task = answer.body.into_ok().expect("200");
            assert_eq!((task.internal_id, task.task_id), (Some(id), Some(format!("T-{id}"))));
        }
    }
    assert_eq!(received(&server).len(), 12);
}

const ENDPOINT: &str = "/OpsProjectorWcfSvc/PwsProjectorServices.svc";
const ACTION_BASE: &str = "http://projectorpsa.com/PwsProjectorServices/IPwsProjectorServices/";

fn soap_answer(operation: &str, result: &str) -> ResponseTemplate {
    let body = format!(
        r#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>
<{operation}Response xmlns="http://projectorpsa.com/PwsProjectorServices/">
<{operation}Result xmlns:a="http://projectorpsa.com/DataContracts/Responses/" xmlns:b="http://projectorpsa.com/DataContracts/Shared/Scheduling/" xmlns:c="http://projectorpsa.com/DataContracts/Shared/Common/">
<Status xmlns="http://projectorpsa.com/CommonServices/">Ok</Status>{result}
</{operation}Result></{operation}Response></s:Body></s:Envelope>"#
    );
    ResponseTemplate::new(200).insert_header("content-type", "text/xml; charset=utf-8").set_body_string(body)
}

#[test]
fn soap_session_and_call_blocking() {
    let server = elsewhere(MockServer::start());
    for (operation, result) in [
        ("PwsAuthenticate", "<a:SessionTicket>ticket-1</a:SessionTicket>"),
        (
            "PwsSaveProjectTask",
            "<b:ProjectTaskIdentity><c:ProjectTaskUid>1152921504608637358</c:ProjectTaskUid></b:ProjectTaskIdentity>",
        ),
    ] {
        elsewhere(
            Mock::given(method("POST"))
                .and(path(ENDPOINT))
                .and(header_is("soapaction", format!("\"{ACTION_BASE}{operation}\"").as_str()))
                .respond_with(soap_answer(operation, result))
                .mount(&server),
        );
    }
    let client = projector::Client::new(ClientConfig::new().base_url(server.uri())).unwrap();
    let credentials: PwsAuthenticateRq =
        serde_json::from_value(json!({ "AccountCode": "acme", "UserName": "jdoe", "Password": "pw" })).unwrap();
    let request: PwsSaveProjectTaskRq = serde_json::from_value(json!({
        "RequestId": 7,
        "ProjectIdentity": { "ProjectCode": "P-1" },
        "ProjectTask": { "Description": "Design" }
    }))
    .unwrap();
    no_runtime_here();

    let session = Session::authenticate_blocking(&client, credentials).expect("authenticated");
    let saved = client.save_project_task_blocking(&session, request).expect("saved");

    assert_eq!(session.ticket().expose(), "ticket-1");
    let identity = saved.body.project_task_identity.expect("the saved task's identity");
    assert_eq!(identity.project_task_uid, Some(1152921504608637358));
    let requests = received(&server);
    assert_eq!(requests.len(), 2);
    let save = String::from_utf8(requests[1].body.clone()).unwrap();
    let document = roxmltree::Document::parse(&save).expect("the request is well-formed XML");
    let ticket = document.descendants().find(|node| node.has_tag_name("SessionTicket")).expect("a ticket");
    assert_eq!(ticket.text(), Some("ticket-1"));
    assert_eq!(header(&requests[1], "soapaction"), Some(format!("\"{ACTION_BASE}PwsSaveProjectTask\"").as_str()));
}

fn assert_refused_inside_a_runtime<T: std::fmt::Debug>(result: Result<T, Error>) {
    match result {
        Err(Error::InvalidRequest(message)) => {
            assert!(message.contains("inside a tokio runtime") && message.contains("send().await"), "{message}")
        }
        other => panic!("expected the inside-a-runtime error, got {other:?}"),
    }
}

#[tokio::test(flavor = "current_thread")]
async fn inside_a_current_thread_runtime_it_is_an_error_and_nothing_is_sent() {
    let server = MockServer::start().await;
    let client = visma(&server);

    assert_refused_inside_a_runtime(client.project_task().get_all_tasks().send_blocking());

    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn inside_a_multi_thread_runtime_and_its_blocking_pool_it_is_an_error_too() {
    let server = MockServer::start().await;
    let client = visma(&server);

    assert_refused_inside_a_runtime(client.project_task().get_all_tasks().send_blocking());
    let in_pool = client.clone();
    let result = tokio::task::spawn_blocking(move || in_pool.project_task().get_all_tasks().send_blocking().map(drop))
        .await
        .unwrap();
    assert_refused_inside_a_runtime(result);

    assert!(server.received_requests().await.unwrap().is_empty());
}

/// A parameter named like the builder's own `send_blocking` yields (`send_blocking_param`):
/// the fixture crate compiles with the `blocking` feature, and the parameter still reaches the
/// wire under its own name.
#[test]
fn a_parameter_named_send_blocking_yields_to_the_builder_method() {
    let server = elsewhere(MockServer::start());
    elsewhere(
        Mock::given(method("POST"))
            .and(path("/types/a/b/1"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
            .expect(1)
            .mount(&server),
    );
    no_runtime_here();
    let config = fixture_clients::ClientConfig::new().base_url(server.uri());
    let client = fixture_clients::names::Client::new(config).unwrap();
    let body: fixture_clients::names::types::Self_ = serde_json::from_value(json!({})).unwrap();
    let response = client.r#type().r#match("a", "b", 1, body).send_blocking_param(true).send_blocking().unwrap();
    assert!(matches!(response.into_body(), fixture_clients::names::r#type::MatchResponse::Ok(_)));
    let requests = received(&server);
    assert_eq!(requests.len(), 1);
    assert_eq!(raw_query(&requests[0]), Some("send_blocking=true"));
}
