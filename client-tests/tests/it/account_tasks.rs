//! 2sms account tasks admin API: `POST /api/v2/admin/tasks/account` and
//! `POST /api/v1/admin/tasks/account/run?id=...`, with the samples of seed 003, against a real
//! HTTP server on loopback.

use crate::common;

use api_clients::account_tasks::types::{
    AccountTaskRequest, ErrorDto as ApiErrorDetail, Frequency, ResponseOfAccountTaskResponse, ResponseOfObject,
    TaskNotification,
};
use api_clients::{account_tasks, ClientConfig, DateTime, Error, ErrorBody};
use common::{header, json_body, only_request, raw_query};
use serde_json::json;
use uuid::Uuid;
use wiremock::matchers::{body_json, header as header_is, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// The JSON request sample of seed 003, verbatim.
const REQUEST_SAMPLE: &str = r#"{ "TaskID": "282325b9-d725-4afd-b11e-3d3b60172acd", "Frequency": 0, "StartDate": "2024-12-22T09:54:10.8226964+00:00", "FinishDate": "2024-12-22T09:54:10.8226964+00:00", "Parameters": "sample string 3", "ContentType": "sample string 4", "Notification": 0 }"#;

/// The JSON response sample of seed 003, verbatim.
const RESPONSE_SAMPLE: &str = r#"{ "Error": { "ErrorCode": "sample string 1", "ErrorReason": "sample string 2" }, "ResponseData": { "Identification": { "UserId": "sample string 1" }, "Result": "sample string 1", "Detail": { "ID": "1e0bfd78-0a12-44af-b227-f61b0b54c503", "TaskID": "cfebc9b2-19e1-47db-8f1e-7ae01a7a2f13", "Name": "sample string 3", "Enabled": true, "Frequency": "sample string 5", "StartDate": "2024-12-22T09:54:10.8292589+00:00", "FinishDate": "2024-12-22T09:54:10.8292589+00:00", "Parameters": "sample string 7", "ContentType": "sample string 8", "Notification": "sample string 9", "DateCreated": "2024-12-22T09:54:10.8292589+00:00", "DateModified": "2024-12-22T09:54:10.8292589+00:00", "LastRunOn": "2024-12-22T09:54:10.8292589+00:00", "LastRunBy": "sample string 11", "LastModifiedBy": "sample string 12", "Status": "sample string 13", "ClientID": "d7b9b998-dc1d-4520-be68-3742d70790d9" } } }"#;

fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).expect("the seed sample is JSON")
}

/// The request of the seed sample, built with the generated types.
fn sample_request() -> AccountTaskRequest {
    let at: api_clients::DateTime = "2024-12-22T09:54:10.8226964+00:00".parse().unwrap();
    let task_id = Uuid::parse_str("282325b9-d725-4afd-b11e-3d3b60172acd").unwrap();
    AccountTaskRequest::new(task_id, Frequency::None, "sample string 3", "sample string 4")
        .with_start_date(at)
        .with_finish_date(at)
        .with_notification(TaskNotification::None)
}

#[tokio::test]
async fn api_shape_create_account_task_as_the_readme_shows() -> Result<(), Box<dyn std::error::Error>> {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/v2/admin/tasks/account"))
        .and(body_json(json(REQUEST_SAMPLE)))
        .respond_with(ResponseTemplate::new(200).set_body_raw(RESPONSE_SAMPLE, "application/json; charset=utf-8"))
        .expect(1)
        .mount(&server)
        .await;

    let client = account_tasks::Client::new(ClientConfig::new().base_url(server.uri()))?;
    let answer = client.admin_tasks().create_account_task(sample_request()).send().await?;

    assert_eq!(answer.status, 200);
    let detail = answer.body.response_data.and_then(|data| data.detail).expect("the sample has a Detail");
    assert_eq!(detail.id, Some(Uuid::parse_str("1e0bfd78-0a12-44af-b227-f61b0b54c503")?));
    assert_eq!(detail.name.as_deref(), Some("sample string 3"));
    Ok(())
}

#[tokio::test]
async fn create_account_task_sends_the_seed_request_sample_with_pascal_case_names() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/v2/admin/tasks/account"))
        .and(header_is("content-type", "application/json"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(RESPONSE_SAMPLE, "application/json"))
        .expect(1)
        .mount(&server)
        .await;

    common::account_tasks(&server).admin_tasks().create_account_task(sample_request()).send().await.unwrap();

    let request = only_request(&server).await;
    assert_eq!(json_body(&request), json(REQUEST_SAMPLE));
    let text = String::from_utf8(request.body.clone()).unwrap();
    assert!(text.contains(r#""Frequency":0"#), "Frequency travels as the number 0: {text}");
    assert!(text.contains(r#""Notification":0"#), "Notification travels as the number 0: {text}");
    assert!(
        text.contains(r#""StartDate":"2024-12-22T09:54:10.8226964+00:00""#),
        "7 digits and the offset kept: {text}"
    );
    assert_eq!(raw_query(&request), None);
    assert_eq!(header(&request, "authorization"), None, "the API declares no auth: no Authorization header");
    assert_eq!(header(&request, "accept"), Some("application/json"));
}

#[tokio::test]
async fn create_account_task_leaves_unset_optionals_out_and_sends_other_frequencies_as_numbers() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/v2/admin/tasks/account"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .mount(&server)
        .await;
    let task_id = Uuid::parse_str("00000000-0000-0000-0000-0000000000ff").unwrap();
    let request = AccountTaskRequest::new(task_id, Frequency::Other(3), "{\"to\":\"+4712345678\"}", "application/json");

    let answer = common::account_tasks(&server).admin_tasks().create_account_task(request).send().await.unwrap();

    assert_eq!(answer.body, ResponseOfAccountTaskResponse::default(), "`{{}}` decodes as an empty envelope");
    assert_eq!(
        json_body(&only_request(&server).await),
        json!({
            "TaskID": "00000000-0000-0000-0000-0000000000ff",
            "Frequency": 3,
            "Parameters": "{\"to\":\"+4712345678\"}",
            "ContentType": "application/json"
        })
    );
}

#[tokio::test]
async fn create_account_task_decodes_the_seed_response_sample_verbatim() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/v2/admin/tasks/account"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(RESPONSE_SAMPLE, "application/json"))
        .mount(&server)
        .await;

    let answer =
        common::account_tasks(&server).admin_tasks().create_account_task(sample_request()).send().await.unwrap();

    let envelope = answer.body;
    assert_eq!(
        envelope.error,
        Some(ApiErrorDetail::new().with_error_code("sample string 1").with_error_reason("sample string 2"))
    );
    let data = envelope.response_data.clone().unwrap();
    assert_eq!(data.identification.unwrap().user_id.as_deref(), Some("sample string 1"));
    assert_eq!(data.result.as_deref(), Some("sample string 1"));
    let detail = data.detail.unwrap();
    assert_eq!(detail.task_id, Some(Uuid::parse_str("cfebc9b2-19e1-47db-8f1e-7ae01a7a2f13").unwrap()));
    assert_eq!(detail.client_id, Some(Uuid::parse_str("d7b9b998-dc1d-4520-be68-3742d70790d9").unwrap()));
    assert_eq!(detail.enabled, Some(true));
    assert_eq!(detail.frequency.as_deref(), Some("sample string 5"), "the response carries Frequency as text");
    assert_eq!(detail.notification.as_deref(), Some("sample string 9"));
    assert_eq!(detail.parameters.as_deref(), Some("sample string 7"));
    assert_eq!(detail.content_type.as_deref(), Some("sample string 8"));
    assert_eq!(detail.last_run_by.as_deref(), Some("sample string 11"));
    assert_eq!(detail.last_modified_by.as_deref(), Some("sample string 12"));
    assert_eq!(detail.status.as_deref(), Some("sample string 13"));

    // Every date-time keeps its 7 fractional digits and its offset, byte for byte.
    let datetimes: [(&str, Option<DateTime>); 5] = [
        ("StartDate", detail.start_date),
        ("FinishDate", detail.finish_date),
        ("DateCreated", detail.date_created),
        ("DateModified", detail.date_modified),
        ("LastRunOn", detail.last_run_on),
    ];
    for (name, value) in datetimes {
        let value = value.unwrap_or_else(|| panic!("{name} is in the sample"));
        assert_eq!(value.to_string(), "2024-12-22T09:54:10.8292589+00:00", "{name}");
        assert_eq!(value.local().and_utc().timestamp_subsec_nanos(), 829_258_900, "{name}");
        assert_eq!(value.offset().map(|offset| offset.local_minus_utc()), Some(0), "{name}");
    }
    // Re-encoding gives the sample back: same names, same values, nothing added or dropped.
    assert_eq!(serde_json::to_value(&envelope).unwrap(), json(RESPONSE_SAMPLE));
}

#[tokio::test]
async fn create_account_task_error_envelope_is_decoded_into_a_typed_error_body() {
    let server = MockServer::start().await;
    let body = json!({ "Error": { "ErrorCode": "E404", "ErrorReason": "The client does not exist." } });
    Mock::given(method("POST"))
        .and(path("/api/v2/admin/tasks/account"))
        .respond_with(ResponseTemplate::new(400).set_body_json(body))
        .expect(1)
        .mount(&server)
        .await;

    let error =
        common::account_tasks(&server).admin_tasks().create_account_task(sample_request()).send().await.unwrap_err();

    let Error::Api(api) = error else { panic!("expected an API error, got {error:?}") };
    assert_eq!(api.status, 400);
    let ErrorBody::Typed(envelope) = &api.body else { panic!("expected a typed body, got {:?}", api.body) };
    assert_eq!(
        envelope.error,
        Some(ApiErrorDetail::new().with_error_code("E404").with_error_reason("The client does not exist."))
    );
    assert_eq!(envelope.response_data, None);
    assert_eq!(api.body.typed(), Some(envelope));
}

#[tokio::test]
async fn create_account_task_5xx_with_a_non_json_body_keeps_it_as_raw_text() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/v2/admin/tasks/account"))
        .respond_with(ResponseTemplate::new(503).set_body_string("Service Unavailable"))
        .mount(&server)
        .await;

    let error =
        common::account_tasks(&server).admin_tasks().create_account_task(sample_request()).send().await.unwrap_err();

    assert_eq!(error.status().map(|status| status.as_u16()), Some(503));
    let api = error.api().unwrap();
    assert_eq!(api.body, ErrorBody::Raw("Service Unavailable".to_owned()));
    assert_eq!(api.body.typed(), None);
}

#[tokio::test]
async fn create_account_task_asp_net_error_message_is_not_lost() {
    // ASP.NET Web API answers unhandled errors and unknown routes with `{"Message": ...}`,
    // not with the documented envelope; every envelope field is optional, so it "decodes".
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/v2/admin/tasks/account"))
        .respond_with(ResponseTemplate::new(500).set_body_json(json!({
            "Message": "An error has occurred.",
            "ExceptionMessage": "Client 42 does not exist."
        })))
        .mount(&server)
        .await;

    let error =
        common::account_tasks(&server).admin_tasks().create_account_task(sample_request()).send().await.unwrap_err();

    let api = error.api().expect("a 500 is an API error");
    assert_ne!(api.body, ErrorBody::Typed(ResponseOfAccountTaskResponse::default()), "the message was dropped");
    assert!(error.to_string().contains("Client 42 does not exist."), "{error}");
}

#[tokio::test]
async fn create_account_task_error_with_an_empty_body_is_raw_and_empty() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/v2/admin/tasks/account"))
        .respond_with(ResponseTemplate::new(401))
        .mount(&server)
        .await;

    let error =
        common::account_tasks(&server).admin_tasks().create_account_task(sample_request()).send().await.unwrap_err();

    let api = error.api().unwrap();
    assert_eq!(api.status, 401);
    assert_eq!(api.body, ErrorBody::Raw(String::new()));
}

#[tokio::test]
async fn create_account_task_decode_error_names_the_path_inside_the_envelope() {
    let server = MockServer::start().await;
    let body = r#"{"ResponseData":{"Detail":{"ID":"1e0bfd78-0a12-44af-b227-f61b0b54c503","Enabled":"yes"}}}"#;
    Mock::given(method("POST"))
        .and(path("/api/v2/admin/tasks/account"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(body, "application/json"))
        .mount(&server)
        .await;

    let error =
        common::account_tasks(&server).admin_tasks().create_account_task(sample_request()).send().await.unwrap_err();

    let Error::Decode(decode) = error else { panic!("expected a decode error, got {error:?}") };
    assert_eq!(decode.path, "ResponseData.Detail.Enabled");
    assert_eq!(decode.body, body);
    assert_eq!(decode.status, 200);
}

#[tokio::test]
async fn create_account_task_rejects_a_malformed_uuid_in_the_response() {
    let server = MockServer::start().await;
    let body = r#"{"ResponseData":{"Detail":{"ClientID":"not-a-guid"}}}"#;
    Mock::given(method("POST"))
        .and(path("/api/v2/admin/tasks/account"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(body, "application/json"))
        .mount(&server)
        .await;

    let error =
        common::account_tasks(&server).admin_tasks().create_account_task(sample_request()).send().await.unwrap_err();

    let Error::Decode(decode) = error else { panic!("expected a decode error, got {error:?}") };
    assert_eq!(decode.path, "ResponseData.Detail.ClientID");
}

#[tokio::test]
async fn api_shape_run_account_task_as_the_readme_shows() -> Result<(), Box<dyn std::error::Error>> {
    let server = MockServer::start().await;
    let id = Uuid::parse_str("282325B9-D725-4AFD-B11E-3D3B60172ACD")?;
    Mock::given(method("POST"))
        .and(path("/api/v1/admin/tasks/account/run"))
        .and(query_param("id", "282325b9-d725-4afd-b11e-3d3b60172acd"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "ResponseData": { "Identification": { "UserId": "admin" }, "Result": "OK", "Detail": {} }
        })))
        .expect(1)
        .mount(&server)
        .await;

    let client = account_tasks::Client::new(ClientConfig::new().base_url(server.uri()))?;
    let answer = client.admin_tasks().run_account_task(id).send().await?;

    let data = answer.body.response_data.expect("ResponseData");
    assert_eq!(data.result.as_deref(), Some("OK"));
    assert_eq!(data.identification.and_then(|who| who.user_id).as_deref(), Some("admin"));
    assert_eq!(data.detail, Some(json!({})));
    assert_eq!(answer.body.error, None);
    let request = only_request(&server).await;
    assert_eq!(raw_query(&request), Some("id=282325b9-d725-4afd-b11e-3d3b60172acd"), "hyphenated lower-case GUID");
    assert!(request.body.is_empty(), "run takes no body");
    assert_eq!(header(&request, "content-type"), None);
    Ok(())
}

#[tokio::test]
async fn run_account_task_keeps_an_untyped_detail_as_json() {
    let server = MockServer::start().await;
    let detail = json!({ "Queued": true, "Position": 3, "Tags": ["a", null] });
    Mock::given(method("POST"))
        .and(path("/api/v1/admin/tasks/account/run"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "ResponseData": { "Detail": detail } })))
        .mount(&server)
        .await;

    let answer = common::account_tasks(&server).admin_tasks().run_account_task(Uuid::nil()).send().await.unwrap();

    assert_eq!(answer.body.response_data.unwrap().detail, Some(detail));
    assert_eq!(raw_query(&only_request(&server).await), Some("id=00000000-0000-0000-0000-000000000000"));
}

#[tokio::test]
async fn run_account_task_error_envelope_is_a_typed_error_body() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/v1/admin/tasks/account/run"))
        .respond_with(ResponseTemplate::new(404).set_body_json(json!({
            "Error": { "ErrorCode": "TaskNotFound", "ErrorReason": "No task has this ID." }
        })))
        .mount(&server)
        .await;

    let error = common::account_tasks(&server).admin_tasks().run_account_task(Uuid::nil()).send().await.unwrap_err();

    let api = error.api().expect("a 404 is an API error");
    assert_eq!(api.status, 404);
    let expected = ResponseOfObject::new()
        .with_error(ApiErrorDetail::new().with_error_code("TaskNotFound").with_error_reason("No task has this ID."));
    assert_eq!(api.body, ErrorBody::Typed(expected));
}

#[test]
fn seed_datetimes_parse_and_print_back_byte_identically() {
    for text in ["2024-12-22T09:54:10.8226964+00:00", "2024-12-22T09:54:10.8292589+00:00"] {
        let value: DateTime = text.parse().unwrap();
        assert_eq!(value.to_string(), text);
        assert_eq!(serde_json::to_string(&value).unwrap(), format!("\"{text}\""));
    }
}
