//! Visma.net ProjectTaskApi: `GET /v1/projecttask`, `GET|POST|PUT /v1/projecttask/{internalId}`,
//! against a real HTTP server on loopback.

use crate::common;

use api_clients::visma_net::project_task::{
    CreateTaskResponse, GetAllTasksResponse, GetTaskByInternalIdResponse, UpdateTaskResponse,
};
use api_clients::visma_net::types::{
    BackgroundMode, DateTimeCondition, DtoValueOfNullableOfBoolean, DtoValueOfNullableOfDateTime,
    DtoValueOfNullableOfProjTaskStatus, DtoValueOfString, EmployeeStatus, ProjTaskStatus, ProjectTaskUpdateDto,
    TaskEmployeeUpdateDto, UpdateOperation, VisibilityUpdateDto,
};
use api_clients::{visma_net, ClientConfig, ETag, Error, ErrorBody};
use common::{assert_visma_auth, header, json_body, only_request, raw_query, received};
use serde_json::json;
use wiremock::matchers::{body_json, header as header_is, method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A task list as the API answers it: date-times without an offset, nested objects, an employee.
fn task_list_body() -> serde_json::Value {
    json!([
        {
            "internalId": 101,
            "projectInternalId": 7,
            "taskId": "T-01",
            "description": "Design",
            "status": "Active",
            "lastModifiedDateTime": "2024-01-01T00:00:00",
            "createdDateTime": "2023-12-31T23:59:59.123",
            "plannedStart": "2024-02-01T08:30:00+01:00",
            "defAccount": { "type": "Expense", "number": "4000" },
            "branch": { "number": "1", "name": "Main" },
            "restrictEmployees": false,
            "visibility": { "visibleInAp": true, "visibleInGl": false },
            "timeStamp": "AAAAAAAB9mU=",
            "employees": [
                { "employeeId": 12, "employeeNumber": "E12", "status": "Active", "calendarID": "CAL-1" }
            ]
        },
        { "internalId": 102, "taskId": "T-02", "status": "Planned" }
    ])
}

#[tokio::test]
async fn api_shape_get_all_tasks_as_the_readme_shows() -> Result<(), Box<dyn std::error::Error>> {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/projecttask"))
        .and(query_param("projectId", "P1"))
        .and(query_param("pageSize", "50"))
        .and(header_is("authorization", "Bearer t"))
        .respond_with(ResponseTemplate::new(200).set_body_json(task_list_body()))
        .expect(1)
        .mount(&server)
        .await;

    let client = visma_net::Client::new(ClientConfig::new().base_url(server.uri()).bearer_token("t"))?;
    let answer = client.project_task().get_all_tasks().project_id("P1").page_size(50).send().await?;

    assert_eq!(answer.status, 200);
    let GetAllTasksResponse::Ok(tasks) = answer.body else { panic!("expected the 200 task list, got {answer:?}") };
    assert_eq!(tasks.len(), 2);
    assert_eq!(tasks[0].internal_id, Some(101));
    assert_eq!(tasks[0].task_id.as_deref(), Some("T-01"));
    assert_eq!(tasks[0].status, Some(ProjTaskStatus::Active));
    assert_eq!(tasks[1].status, Some(ProjTaskStatus::Planned));
    let request = only_request(&server).await;
    assert_eq!(raw_query(&request), Some("projectId=P1&pageSize=50"));
    Ok(())
}

#[tokio::test]
async fn get_all_tasks_decodes_nested_fields_and_datetimes_without_offset() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/projecttask"))
        .respond_with(ResponseTemplate::new(200).set_body_json(task_list_body()))
        .mount(&server)
        .await;

    let answer = common::visma(&server).project_task().get_all_tasks().send().await.unwrap();

    let GetAllTasksResponse::Ok(tasks) = answer.body else { panic!("expected 200") };
    let task = &tasks[0];
    let modified = task.last_modified_date_time.unwrap();
    assert_eq!(modified.offset(), None, "the Visma value carries no offset");
    assert_eq!(modified.local(), chrono::NaiveDate::from_ymd_opt(2024, 1, 1).unwrap().and_hms_opt(0, 0, 0).unwrap());
    assert_eq!(modified.to_string(), "2024-01-01T00:00:00");
    assert_eq!(modified.assume_utc().to_rfc3339(), "2024-01-01T00:00:00+00:00");
    assert_eq!(task.created_date_time.unwrap().to_string(), "2023-12-31T23:59:59.123");
    let planned = task.planned_start.unwrap();
    assert_eq!(planned.to_string(), "2024-02-01T08:30:00+01:00");
    assert_eq!(planned.assume_utc().to_rfc3339(), "2024-02-01T07:30:00+00:00");
    assert_eq!(task.def_account.as_ref().unwrap().r#type.as_deref(), Some("Expense"));
    assert_eq!(task.branch.as_ref().unwrap().name.as_deref(), Some("Main"));
    assert_eq!(task.restrict_employees, Some(false));
    let visibility = task.visibility.as_ref().unwrap();
    assert_eq!(
        (visibility.visible_in_ap, visibility.visible_in_gl, visibility.visible_in_ar),
        (Some(true), Some(false), None)
    );
    let employee = &task.employees.as_ref().unwrap()[0];
    assert_eq!(employee.employee_id, Some(12));
    assert_eq!(employee.calendar_id.as_deref(), Some("CAL-1"), "wire name `calendarID`");
    assert_eq!(employee.status, Some(EmployeeStatus::Active));
    // Re-encoding the decoded list gives the same JSON back (unset fields stay absent).
    assert_eq!(serde_json::to_value(&tasks).unwrap(), task_list_body());
}

#[tokio::test]
async fn get_all_tasks_sends_every_query_parameter_under_its_wire_name() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/projecttask"))
        .and(query_param("visibleInAp", "true"))
        .and(query_param("visibleInAr", "false"))
        .and(query_param("lastModifiedDateTimeCondition", ">="))
        .and(query_param("description", "Design & build"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
        .expect(1)
        .mount(&server)
        .await;

    #[allow(deprecated)] // numberToRead and skipRecords are deprecated, but still sent when set
    let answer = common::visma(&server)
        .project_task()
        .get_all_tasks()
        .project_id("P 1")
        .public_id("pub-1")
        .project_internal_id(7)
        .description("Design & build")
        .task_cd("T=1")
        .task_cd_desc("T1 – Design")
        .status("Active")
        .expand_attribute(true)
        .visible_in_ap(true)
        .visible_in_ar(false)
        .visible_in_ca(true)
        .visible_in_cr(false)
        .visible_in_ea(true)
        .visible_in_gl(false)
        .visible_in_in(true)
        .visible_in_po(false)
        .visible_in_so(true)
        .visible_in_ta(false)
        .restricted_employee("E12")
        .restricted_user(-3)
        .greater_than_value("T-00")
        .number_to_read(10)
        .skip_records(20)
        .last_modified_date_time("2024-01-01 12:30:00")
        .last_modified_date_time_condition(DateTimeCondition::GreaterThanOrEqual)
        .created_date_time("2024-01-01")
        .created_date_time_condition(DateTimeCondition::LessThan)
        .page_number(2)
        .page_size(50)
        .send()
        .await
        .unwrap();

    assert!(matches!(answer.body, GetAllTasksResponse::Ok(ref tasks) if tasks.is_empty()));
    let request = only_request(&server).await;
    assert_eq!(
        raw_query(&request),
        Some(
            "projectId=P+1&publicId=pub-1&projectInternalId=7&description=Design+%26+build&taskCd=T%3D1\
             &taskCdDesc=T1+%E2%80%93+Design&status=Active&expandAttribute=true&visibleInAp=true\
             &visibleInAr=false&visibleInCa=true&visibleInCr=false&visibleInEa=true&visibleInGl=false\
             &visibleInIn=true&visibleInPo=false&visibleInSo=true&visibleInTa=false&restrictedEmployee=E12\
             &restrictedUser=-3&greaterThanValue=T-00&numberToRead=10&skipRecords=20\
             &lastModifiedDateTime=2024-01-01+12%3A30%3A00&lastModifiedDateTimeCondition=%3E%3D\
             &createdDateTime=2024-01-01&createdDateTimeCondition=%3C&pageNumber=2&pageSize=50"
        )
    );
    assert_visma_auth(&request);
    assert_eq!(header(&request, "erp-api-background"), None);
}

#[tokio::test]
async fn get_all_tasks_leaves_unset_optionals_out_of_the_url() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/projecttask"))
        .and(query_param_is_missing("projectId"))
        .and(query_param_is_missing("pageSize"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
        .expect(1)
        .mount(&server)
        .await;

    common::visma(&server).project_task().get_all_tasks().send().await.unwrap();

    let request = only_request(&server).await;
    assert_eq!(raw_query(&request), None, "no `?` at all: {}", request.url);
    assert_eq!(request.url.path(), "/v1/projecttask");
    assert_eq!(header(&request, "erp-api-background"), None);
    assert_eq!(header(&request, "if-match"), None);
    assert_eq!(header(&request, "content-type"), None, "a GET has no body");
    assert!(request.body.is_empty());
}

#[tokio::test]
async fn get_all_tasks_in_background_sends_none_and_decodes_the_202_answer() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/projecttask"))
        .and(header_is("erp-api-background", "none"))
        .respond_with(ResponseTemplate::new(202).set_body_json(json!({
            "id": "3f2b9c1e-0000-4000-8000-000000000001",
            "stateLocation": "https://api.finance.visma.net/v1/background/3f2b9c1e-0000-4000-8000-000000000001"
        })))
        .expect(1)
        .mount(&server)
        .await;

    let answer = common::visma(&server)
        .project_task()
        .get_all_tasks()
        .project_id("P1")
        .erp_api_background(BackgroundMode::None)
        .send()
        .await
        .unwrap();

    assert_eq!(answer.status, 202);
    let GetAllTasksResponse::Accepted(accepted) = answer.body else { panic!("expected 202 Accepted") };
    assert_eq!(accepted.id.as_deref(), Some("3f2b9c1e-0000-4000-8000-000000000001"));
    assert_eq!(
        accepted.state_location.as_deref(),
        Some("https://api.finance.visma.net/v1/background/3f2b9c1e-0000-4000-8000-000000000001")
    );
    assert_eq!(header(&only_request(&server).await, "erp-api-background"), Some("none"));
}

#[tokio::test]
async fn get_all_tasks_keeps_an_unknown_status_value() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/projecttask"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([
            { "internalId": 1, "status": "Archived", "employees": [{ "status": "OnLeave" }] }
        ])))
        .mount(&server)
        .await;

    let answer = common::visma(&server).project_task().get_all_tasks().send().await.unwrap();

    let GetAllTasksResponse::Ok(tasks) = answer.body else { panic!("expected 200") };
    assert_eq!(tasks[0].status, Some(ProjTaskStatus::Other("Archived".to_owned())));
    assert_eq!(tasks[0].employees.as_ref().unwrap()[0].status, Some(EmployeeStatus::Other("OnLeave".to_owned())));
    // The unknown value goes back on the wire unchanged.
    assert_eq!(serde_json::to_value(&tasks[0].status).unwrap(), json!("Archived"));
}

#[tokio::test]
async fn get_all_tasks_decode_error_names_the_failing_json_path_and_keeps_the_body() {
    let server = MockServer::start().await;
    let body = r#"[{"internalId":1,"employees":[{"employeeId":"twelve"}]}]"#;
    Mock::given(method("GET"))
        .and(path("/v1/projecttask"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(body, "application/json"))
        .mount(&server)
        .await;

    let error = common::visma(&server).project_task().get_all_tasks().send().await.unwrap_err();

    let Error::Decode(decode) = error else { panic!("expected a decode error, got {error:?}") };
    assert_eq!(decode.status, 200);
    assert_eq!(decode.path, "[0].employees[0].employeeId");
    assert!(decode.message.contains("invalid type"), "{}", decode.message);
    assert_eq!(decode.body, body);
}

#[tokio::test]
async fn get_task_by_internal_id_puts_the_id_in_the_path_and_returns_the_etag() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/projecttask/-42"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("ETag", "W/\"0x8DC1\"")
                .set_body_json(json!({ "internalId": -42, "taskId": "T-42", "endDate": "2024-06-30T17:00:00Z" })),
        )
        .expect(1)
        .mount(&server)
        .await;

    let answer = common::visma(&server).project_task().get_task_by_internal_id(-42).send().await.unwrap();

    assert_eq!(answer.etag(), Some(ETag::new("W/\"0x8DC1\"")));
    let GetTaskByInternalIdResponse::Ok(task) = answer.body else { panic!("expected 200") };
    assert_eq!(task.internal_id, Some(-42));
    assert_eq!(task.end_date.unwrap().to_string(), "2024-06-30T17:00:00Z");
    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "GET");
    assert_eq!(raw_query(&request), None);
    assert_visma_auth(&request);
}

#[tokio::test]
async fn get_task_by_internal_id_in_background_sends_a_webhook_url() {
    let server = MockServer::start().await;
    let webhook = "https://hooks.example.test/visma?client=7&kind=task";
    Mock::given(method("GET"))
        .and(path("/v1/projecttask/5"))
        .and(header_is("erp-api-background", webhook))
        .respond_with(
            ResponseTemplate::new(202).set_body_json(json!({ "id": "job-5", "stateLocation": "/v1/background/job-5" })),
        )
        .expect(1)
        .mount(&server)
        .await;

    let answer = common::visma(&server)
        .project_task()
        .get_task_by_internal_id(5)
        .erp_api_background(BackgroundMode::Other(webhook.to_owned()))
        .send()
        .await
        .unwrap();

    let GetTaskByInternalIdResponse::Accepted(accepted) = answer.body else { panic!("expected 202") };
    assert_eq!(accepted.id.as_deref(), Some("job-5"));
    assert_eq!(header(&only_request(&server).await, "erp-api-background"), Some(webhook));
}

#[tokio::test]
async fn get_task_by_internal_id_404_is_an_api_error_with_the_raw_body() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/projecttask/9"))
        .respond_with(ResponseTemplate::new(404).set_body_string("Task 9 was not found"))
        .mount(&server)
        .await;

    let error = common::visma(&server).project_task().get_task_by_internal_id(9).send().await.unwrap_err();

    assert_eq!(error.status().map(|status| status.as_u16()), Some(404));
    let Error::Api(api) = error else { panic!("expected an API error, got {error:?}") };
    assert_eq!(api.status, 404);
    assert_eq!(api.body, ErrorBody::Raw("Task 9 was not found".to_owned()));
}

/// The update body the create/update tests send: DtoValueOf wrappers, nested visibility,
/// an employee line; every other field unset.
fn task_update() -> ProjectTaskUpdateDto {
    let planned_start: api_clients::DateTime = "2024-01-01T00:00:00".parse().unwrap();
    ProjectTaskUpdateDto::new()
        .with_task_id(DtoValueOfString::new().with_value("T-01"))
        .with_description(DtoValueOfString::new().with_value("Design"))
        .with_planned_start(DtoValueOfNullableOfDateTime::new().with_value(planned_start))
        .with_status(DtoValueOfNullableOfProjTaskStatus::new().with_value(ProjTaskStatus::Active))
        .with_visibility(
            VisibilityUpdateDto::new()
                .with_visible_in_ap(DtoValueOfNullableOfBoolean::new().with_value(true))
                .with_visible_in_gl(DtoValueOfNullableOfBoolean::new().with_value(false)),
        )
        .with_restrict_employees(DtoValueOfNullableOfBoolean::new().with_value(false))
        .with_employees([TaskEmployeeUpdateDto::new()
            .with_operation(UpdateOperation::Insert)
            .with_employee_id(DtoValueOfString::new().with_value("E12"))])
}

/// [`task_update`] as it must travel: camelCase names, `{ "value": ... }` wrappers, no unset field.
fn task_update_json() -> serde_json::Value {
    json!({
        "taskId": { "value": "T-01" },
        "description": { "value": "Design" },
        "plannedStart": { "value": "2024-01-01T00:00:00" },
        "status": { "value": "Active" },
        "visibility": { "visibleInGl": { "value": false }, "visibleInAp": { "value": true } },
        "restrictEmployees": { "value": false },
        "employees": [{ "operation": "Insert", "employeeId": { "value": "E12" } }]
    })
}

#[tokio::test]
async fn create_task_posts_camel_case_json_and_reads_location_and_etag_of_the_empty_201() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/projecttask/17"))
        .and(header_is("content-type", "application/json"))
        .and(body_json(task_update_json()))
        .respond_with(
            ResponseTemplate::new(201)
                .insert_header("Location", "https://api.finance.visma.net/v1/projecttask/17")
                .insert_header("ETag", "\"v1\""),
        )
        .expect(1)
        .mount(&server)
        .await;

    let answer = common::visma(&server).project_task().create_task(17, task_update()).send().await.unwrap();

    assert_eq!(answer.status, 201);
    assert_eq!(answer.body, CreateTaskResponse::Created);
    assert_eq!(answer.location().map(String::from).as_deref(), Some("https://api.finance.visma.net/v1/projecttask/17"));
    assert_eq!(answer.etag(), Some(ETag::new("\"v1\"")));
    let request = only_request(&server).await;
    assert_eq!(json_body(&request), task_update_json());
    assert_eq!(raw_query(&request), None);
    assert_visma_auth(&request);
}

#[tokio::test]
async fn create_task_with_an_empty_dto_sends_an_empty_object() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/projecttask/1"))
        .respond_with(ResponseTemplate::new(201))
        .mount(&server)
        .await;

    common::visma(&server).project_task().create_task(1, ProjectTaskUpdateDto::default()).send().await.unwrap();

    assert_eq!(only_request(&server).await.body, b"{}");
}

#[tokio::test]
async fn create_task_in_background_answers_202_with_the_accepted_document() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/projecttask/17"))
        .and(header_is("erp-api-background", "subscription"))
        .respond_with(
            ResponseTemplate::new(202)
                .set_body_json(json!({ "id": "job-17", "stateLocation": "/v1/background/job-17" })),
        )
        .expect(1)
        .mount(&server)
        .await;

    let answer = common::visma(&server)
        .project_task()
        .create_task(17, task_update())
        .erp_api_background(BackgroundMode::Subscription)
        .send()
        .await
        .unwrap();

    let CreateTaskResponse::Accepted(accepted) = answer.body else { panic!("expected 202") };
    assert_eq!(accepted.state_location.as_deref(), Some("/v1/background/job-17"));
}

#[tokio::test]
async fn update_task_sends_back_the_etag_of_an_earlier_get_in_if_match() {
    let server = MockServer::start().await;
    let etag = "W/\"datetime'2024-01-01T00%3A00%3A00.123Z'\"";
    Mock::given(method("GET"))
        .and(path("/v1/projecttask/17"))
        .respond_with(ResponseTemplate::new(200).insert_header("ETag", etag).set_body_json(json!({ "internalId": 17 })))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .and(path("/v1/projecttask/17"))
        .and(header_is("If-Match", etag))
        .and(body_json(task_update_json()))
        .respond_with(ResponseTemplate::new(204).insert_header("ETag", "\"v2\""))
        .expect(1)
        .mount(&server)
        .await;
    let client = common::visma(&server);

    let read = client.project_task().get_task_by_internal_id(17).send().await.unwrap();
    let current = read.etag().expect("the GET answers with an ETag");
    let answer = client.project_task().update_task(17, task_update()).if_match(current).send().await.unwrap();

    assert_eq!(answer.status, 204);
    assert_eq!(answer.body, UpdateTaskResponse::NoContent);
    assert_eq!(answer.etag(), Some(ETag::new("\"v2\"")));
    let requests = received(&server).await;
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[1].method.as_str(), "PUT");
    assert_eq!(header(&requests[1], "if-match"), Some(etag));
    assert_eq!(header(&requests[1], "content-type"), Some("application/json"));
    assert_eq!(json_body(&requests[1]), task_update_json());
}

#[tokio::test]
async fn update_task_without_if_match_sends_no_such_header() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(path("/v1/projecttask/3"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;

    common::visma(&server).project_task().update_task(3, task_update()).send().await.unwrap();

    assert_eq!(header(&only_request(&server).await, "if-match"), None);
}

#[tokio::test]
async fn update_task_with_a_stale_etag_is_412_precondition_failed() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(path("/v1/projecttask/17"))
        .and(header_is("If-Match", "\"stale\""))
        .respond_with(ResponseTemplate::new(412).set_body_string("The resource has been modified"))
        .expect(1)
        .mount(&server)
        .await;

    let error = common::visma(&server)
        .project_task()
        .update_task(17, task_update())
        .if_match(ETag::new("\"stale\""))
        .send()
        .await
        .unwrap_err();

    assert_eq!(error.status().map(|status| status.as_u16()), Some(412));
    let api = error.api().expect("a 412 is an API error");
    assert_eq!(api.status, 412);
    assert_eq!(api.body, ErrorBody::Raw("The resource has been modified".to_owned()));
}

#[tokio::test]
async fn update_task_in_background_answers_202() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(path("/v1/projecttask/17"))
        .and(header_is("erp-api-background", "none"))
        .respond_with(ResponseTemplate::new(202).set_body_json(json!({ "id": "job-put" })))
        .expect(1)
        .mount(&server)
        .await;

    let answer = common::visma(&server)
        .project_task()
        .update_task(17, task_update())
        .erp_api_background(BackgroundMode::None)
        .send()
        .await
        .unwrap();

    let UpdateTaskResponse::Accepted(accepted) = answer.body else { panic!("expected 202") };
    assert_eq!(accepted.id.as_deref(), Some("job-put"));
    assert_eq!(accepted.state_location, None);
}

#[tokio::test]
async fn visma_400_body_is_kept_as_raw_text() {
    let server = MockServer::start().await;
    let body = r#"{"message":"Error: Task with ID T-01 already exists."}"#;
    Mock::given(method("POST"))
        .and(path("/v1/projecttask/17"))
        .respond_with(ResponseTemplate::new(400).set_body_raw(body, "application/json"))
        .mount(&server)
        .await;

    let error = common::visma(&server).project_task().create_task(17, task_update()).send().await.unwrap_err();

    let api = error.api().expect("a 400 is an API error");
    assert_eq!(api.status, 400);
    assert_eq!(api.body, ErrorBody::Raw(body.to_owned()), "Visma declares no error type: the body stays text");
    assert!(error.to_string().contains("already exists"), "{error}");
}

#[tokio::test]
async fn visma_500_is_an_api_error() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/projecttask"))
        .respond_with(ResponseTemplate::new(500).set_body_string("<html>Internal Server Error</html>"))
        .mount(&server)
        .await;

    let error = common::visma(&server).project_task().get_all_tasks().send().await.unwrap_err();

    let Error::Api(api) = error else { panic!("expected an API error, got {error:?}") };
    assert_eq!(api.status, 500);
    assert_eq!(api.body, ErrorBody::Raw("<html>Internal Server Error</html>".to_owned()));
}

#[tokio::test]
async fn response_enum_accessors_pick_the_expected_answer() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/projecttask"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([{ "internalId": 5 }])))
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .and(path("/v1/projecttask/5"))
        .respond_with(
            ResponseTemplate::new(202).set_body_json(json!({ "id": "job-1", "stateLocation": "/v1/background/job-1" })),
        )
        .mount(&server)
        .await;
    let client = common::visma(&server);

    let listed = client.project_task().get_all_tasks().send().await.unwrap().body;
    assert_eq!(listed.clone().into_accepted(), None);
    let tasks = listed.into_ok().expect("the 200 list");
    assert_eq!(tasks[0].internal_id, Some(5));

    let updated = client.project_task().update_task(5, Default::default()).send().await.unwrap().body;
    assert!(!updated.is_no_content());
    assert_eq!(updated.into_accepted().and_then(|job| job.id).as_deref(), Some("job-1"));
}
