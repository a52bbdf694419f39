//! The `mock` feature as a user's tests use it: a loopback server answering operations with
//! typed values, matched on each operation's method and path template.

use api_clients::account_tasks::{self, mock::admin_tasks::CreateAccountTask, types::ResponseOfAccountTaskResponse};
use api_clients::mock::MockServer;
use api_clients::visma_net::mock::{background::GetOperationState, kit_assembly, project_task};
use api_clients::visma_net::project_task::{GetAllTasksResponse, GetTaskByInternalIdResponse, UpdateTaskResponse};
use api_clients::visma_net::types::{BackgroundApiAcceptedDto, BackgroundRequestStateDto, TaskExtendedDto};
use api_clients::{visma_net, Error, ErrorBody};
use serde_json::json;

fn tasks() -> Vec<TaskExtendedDto> {
    serde_json::from_value(json!([
        { "internalId": 101, "taskId": "T-01", "description": "Design", "status": "Active",
          "lastModifiedDateTime": "2024-01-01T00:00:00.123" },
        { "internalId": 102, "taskId": "T-02" }
    ]))
    .expect("tasks as the API sends them")
}

fn client(server: &MockServer) -> visma_net::Client {
    visma_net::Client::new(server.config().bearer_token("t")).expect("the mock server's URL is valid")
}

#[tokio::test]
async fn get_all_tasks_answers_the_registered_tasks() {
    let server = MockServer::start().await;
    server.on(project_task::GetAllTasks).expect(1).answer(GetAllTasksResponse::Ok(tasks())).await;

    let answer = client(&server).project_task().get_all_tasks().project_id("P1").page_size(5).send().await.unwrap();

    assert_eq!(answer.status, 200);
    assert_eq!(answer.body, GetAllTasksResponse::Ok(tasks()));
    // What the client sent is there to check, found by the same operation marker.
    let received = server.received(project_task::GetAllTasks).await;
    assert_eq!(received.len(), 1);
    assert_eq!(received[0].url.query(), Some("projectId=P1&pageSize=5"));
    assert_eq!(received[0].headers.get("authorization").unwrap(), "Bearer t");
}

#[tokio::test]
async fn the_variant_picks_the_status_and_headers_come_along() {
    let server = MockServer::start().await;
    let job: BackgroundApiAcceptedDto =
        serde_json::from_value(json!({ "id": "5c1d", "stateLocation": "/v1/background/5c1d" })).unwrap();
    server.on(project_task::GetTaskByInternalId).answer(GetTaskByInternalIdResponse::Accepted(job.clone())).await;
    server.on(project_task::UpdateTask).header("ETag", "\"v2\"").answer(UpdateTaskResponse::NoContent).await;
    let client = client(&server);

    let read = client.project_task().get_task_by_internal_id(7).send().await.unwrap();
    let update = serde_json::from_value(json!({})).unwrap();
    let updated = client.project_task().update_task(7, update).send().await.unwrap();

    assert_eq!(read.status, 202);
    assert_eq!(read.body, GetTaskByInternalIdResponse::Accepted(job));
    assert_eq!(updated.status, 204);
    assert_eq!(updated.body, UpdateTaskResponse::NoContent);
    assert_eq!(updated.etag().unwrap().as_str(), "\"v2\"");
}

#[tokio::test]
async fn requests_match_on_method_and_path_template_only() {
    let server = MockServer::start().await;
    let task = serde_json::from_value(json!({ "internalId": 1 })).unwrap();
    server.on(project_task::GetTaskByInternalId).answer(GetTaskByInternalIdResponse::Ok(task)).await;
    let client = client(&server);

    // Any value of the path parameter, any query or header: the same answer.
    for id in [1, 7, 123456] {
        let answer = client.project_task().get_task_by_internal_id(id).send().await.unwrap();
        assert!(answer.body.into_ok().is_some(), "GET /v1/projecttask/{id}");
    }
    // Another method on the same path, or another path: no answer registered (404).
    let update = serde_json::from_value(json!({})).unwrap();
    let put = client.project_task().update_task(1, update).send().await.unwrap_err();
    assert_eq!(put.status().map(|status| status.as_u16()), Some(404));
    let list = client.project_task().get_all_tasks().send().await.unwrap_err();
    assert_eq!(list.status().map(|status| status.as_u16()), Some(404));
    assert_eq!(server.received(project_task::GetTaskByInternalId).await.len(), 3);
    assert_eq!(server.received(project_task::UpdateTask).await.len(), 1);
}

#[tokio::test]
async fn two_path_parameters_and_an_empty_success() {
    let server = MockServer::start().await;
    server
        .on(kit_assembly::DeleteKitAssembly)
        .expect(1)
        .answer(visma_net::kit_assembly::DeleteKitAssemblyResponse::NoContent)
        .await;

    let answer = client(&server).kit_assembly().delete_kit_assembly("P", "000 123").send().await.unwrap();

    assert_eq!(answer.status, 204);
    let received = server.received(kit_assembly::DeleteKitAssembly).await;
    assert_eq!(received[0].url.path(), "/v1/kitassembly/P/000%20123");
}

#[tokio::test]
async fn up_to_answers_a_sequence() {
    let server = MockServer::start().await;
    let state = |status: &str| -> BackgroundRequestStateDto {
        serde_json::from_value(json!({ "id": "5c1d", "status": status })).unwrap()
    };
    server.on(GetOperationState).up_to(1).answer(state("Started")).await;
    server.on(GetOperationState).answer(state("Finished")).await;
    let client = client(&server);

    let mut seen = Vec::new();
    for _ in 0..3 {
        let answer = client.background().get_operation_state("5c1d").send().await.unwrap();
        seen.push(serde_json::to_value(&answer.body).unwrap()["status"].clone());
    }

    assert_eq!(seen, [json!("Started"), json!("Finished"), json!("Finished")]);
}

#[tokio::test]
async fn error_answers_are_typed_or_text() {
    let server = MockServer::start().await;
    let envelope: ResponseOfAccountTaskResponse =
        serde_json::from_value(json!({ "Error": { "ErrorCode": "E404", "ErrorReason": "No such client." } })).unwrap();
    server.on(CreateAccountTask).error(400, envelope.clone()).await;
    server.on(project_task::GetAllTasks).error_text(503, "down for maintenance").await;
    let tasks_client = account_tasks::Client::new(server.config()).unwrap();
    let request = serde_json::from_value(json!({
        "TaskID": "282325b9-d725-4afd-b11e-3d3b60172acd", "Frequency": 0,
        "Parameters": "p", "ContentType": "c"
    }))
    .unwrap();

    let typed = tasks_client.admin_tasks().create_account_task(request).send().await.unwrap_err();
    // Sent once: a 503 is retried, with waits on the real clock (see retries.rs).
    let once = visma_net::Client::new(server.config().retry(api_clients::RetryPolicy::none())).unwrap();
    let text = once.project_task().get_all_tasks().send().await.unwrap_err();

    let Error::Api(api) = typed else { panic!("a 400 is an API error: {typed:?}") };
    assert_eq!(api.status, 400);
    assert_eq!(api.body.typed(), Some(&envelope));
    let Error::Api(api) = text else { panic!("a 503 is an API error: {text:?}") };
    assert_eq!(api.status, 503);
    assert!(matches!(&api.body, ErrorBody::Raw(body) if body == "down for maintenance"), "{:?}", api.body);
}

#[tokio::test]
#[should_panic(expected = "Verifications failed")]
async fn an_unmet_expectation_fails_the_test_when_the_server_is_dropped() {
    let server = MockServer::start().await;
    server.on(project_task::GetAllTasks).expect(1).answer(GetAllTasksResponse::Ok(Vec::new())).await;
    drop(server);
}
