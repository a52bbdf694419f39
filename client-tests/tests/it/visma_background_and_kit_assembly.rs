//! Visma.net BackgroundApi (`/v1/background/{requestId}[/content]`) and KitAssemblyApi
//! (`/v1/kitassembly[/{type}/{refNo}[/action/release]]`), against a real HTTP server on loopback.

use crate::common;

use api_clients::visma_net::kit_assembly::{
    CreateKitAssemblyResponse, DeleteKitAssemblyResponse, GetKitAssembliesResponse, GetKitAssemblyResponse,
    ReleaseKitAssemblyResponse, UpdateKitAssemblyResponse,
};
use api_clients::visma_net::types::{
    BackgroundMode, BackgroundRequestStatus, DateTimeCondition, DtoValueOfBoolean, DtoValueOfDateTime,
    DtoValueOfDecimal, DtoValueOfInt32, DtoValueOfNullableOfDecimal, DtoValueOfString, KitAssemblyInsertDto,
    KitAssemblyLinkInsertDto, KitAssemblyStatus, KitAssemblyStockComponentAllocationsUpdateDto,
    KitAssemblyStockComponentsUpdateDto, KitAssemblyUpdateDto, OrderNumberInKitAssemblyLinkInsertDto,
    OrderTypeInKitAssemblyLinkInsertDto, UpdateOperation,
};
use api_clients::{visma_net, ClientConfig, ETag, Error, ErrorBody};
use common::{assert_visma_auth, header, json_body, only_request, raw_query, received, RawServer};
use serde_json::json;
use wiremock::matchers::{any, body_json, header as header_is, header_exists, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

// ---------------------------------------------------------------------------------------------
// BackgroundApi
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn api_shape_background_state_then_content_as_the_readme_shows() -> Result<(), Box<dyn std::error::Error>> {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/background/job-1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "id": "job-1",
            "status": "Finished",
            "statusCode": 200,
            "receivedUtc": "2024-01-01T00:00:00",
            "startedUtc": "2024-01-01T00:00:01.5Z",
            "finishedUtc": "2024-01-01T00:00:02.1234567+00:00",
            "webhookAddress": "https://hooks.example.test/done",
            "originalUri": "/v1/projecttask?projectId=P1",
            "hasResponseContent": true,
            "hasRequestContent": false,
            "contentLocation": "/v1/background/job-1/content",
            "responseHeaders": { "ETag": "\"v1\"", "Content-Type": "application/json" }
        })))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/background/job-1/content"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([{ "internalId": 101, "taskId": "T-01" }])))
        .expect(1)
        .mount(&server)
        .await;

    let client = visma_net::Client::new(ClientConfig::new().base_url(server.uri()).bearer_token("t"))?;
    let state = client.background().get_operation_state("job-1").send().await?.into_body();
    let content = client.background().get_operation_content("job-1").send().await?.into_body();

    assert_eq!(state.id.as_deref(), Some("job-1"));
    assert_eq!(state.status, Some(BackgroundRequestStatus::Finished));
    assert_eq!(state.status_code, Some(200));
    assert_eq!(state.received_utc.unwrap().to_string(), "2024-01-01T00:00:00");
    assert_eq!(state.received_utc.unwrap().offset(), None);
    assert_eq!(state.started_utc.unwrap().to_string(), "2024-01-01T00:00:01.5Z");
    assert_eq!(state.finished_utc.unwrap().to_string(), "2024-01-01T00:00:02.1234567+00:00");
    assert_eq!(state.has_response_content, Some(true));
    assert_eq!(state.content_location.as_deref(), Some("/v1/background/job-1/content"));
    let headers = state.response_headers.unwrap();
    assert_eq!(headers.get("ETag").map(String::as_str), Some("\"v1\""));
    assert_eq!(headers.len(), 2);
    assert_eq!(content, json!([{ "internalId": 101, "taskId": "T-01" }]));
    for request in received(&server).await {
        assert_eq!(request.method.as_str(), "GET");
        assert_eq!(header(&request, "authorization"), Some("Bearer t"));
        assert_eq!(raw_query(&request), None);
    }
    Ok(())
}

#[tokio::test]
async fn background_request_id_is_one_encoded_path_segment() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/background/a%2Fb%20c%3Fd/content"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "ok": true })))
        .expect(1)
        .mount(&server)
        .await;

    let answer = common::visma(&server).background().get_operation_content("a/b c?d").send().await.unwrap();

    assert_eq!(answer.body, json!({ "ok": true }));
    assert_eq!(only_request(&server).await.url.path(), "/v1/background/a%2Fb%20c%3Fd/content");
}

#[tokio::test]
async fn background_content_of_an_unfinished_operation_is_an_api_error() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/background/job-2/content"))
        .respond_with(ResponseTemplate::new(404).set_body_string("No content"))
        .mount(&server)
        .await;

    let error = common::visma(&server).background().get_operation_content("job-2").send().await.unwrap_err();

    let Error::Api(api) = error else { panic!("expected an API error, got {error:?}") };
    assert_eq!(api.status, 404);
    assert_eq!(api.body, ErrorBody::Raw("No content".to_owned()));
}

#[tokio::test]
async fn background_state_with_a_bad_datetime_is_a_decode_error_at_that_field() {
    let server = MockServer::start().await;
    let body = r#"{"id":"job-3","receivedUtc":"yesterday"}"#;
    Mock::given(method("GET"))
        .and(path("/v1/background/job-3"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(body, "application/json"))
        .mount(&server)
        .await;

    let error = common::visma(&server).background().get_operation_state("job-3").send().await.unwrap_err();

    let Error::Decode(decode) = error else { panic!("expected a decode error, got {error:?}") };
    assert_eq!(decode.path, "receivedUtc");
    assert!(decode.message.contains("yesterday"), "{}", decode.message);
    assert_eq!(decode.body, body);
}

// ---------------------------------------------------------------------------------------------
// KitAssemblyApi
// ---------------------------------------------------------------------------------------------

/// A kit assembly document as the API answers it (wire name `itemID` on the document, `itemId`
/// on its lines; date-times with and without an offset).
fn kit_assembly_body() -> serde_json::Value {
    json!({
        "type": "P",
        "refNo": "KA000123",
        "status": "Balanced",
        "hold": false,
        "date": "2024-01-01T00:00:00",
        "postPeriod": "202401",
        "itemID": "KIT-1",
        "warehouse": "MAIN",
        "uoM": "PCS",
        "quantity": 2.5,
        "createdDateTime": "2024-01-01T08:00:00.123+01:00",
        "lastModifiedDateTime": "2024-01-02T00:00:00",
        "stockComponentLines": [{
            "lineNbr": 1,
            "itemId": "COMP-1",
            "quantity": 5.0,
            "allowComponentSubstitution": true,
            "allocations": [{ "lineNbr": 1, "location": { "id": "L1", "name": "Shelf 1" }, "quantity": 5.0 }]
        }],
        "timestamp": "AAAAAAAB9mU=",
        "metadata": { "totalCount": 1, "maxPageSize": 1000 }
    })
}

#[tokio::test]
async fn api_shape_get_kit_assemblies_as_the_readme_shows() -> Result<(), Box<dyn std::error::Error>> {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/kitassembly"))
        .and(query_param("status", "R"))
        .and(query_param("pageSize", "100"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "pageNumber": 1,
            "pageSize": 100,
            "totalCount": 1,
            "records": [kit_assembly_body()]
        })))
        .expect(1)
        .mount(&server)
        .await;

    let client = visma_net::Client::new(ClientConfig::new().base_url(server.uri()).bearer_token("t"))?;
    let answer =
        client.kit_assembly().get_kit_assemblies().status(KitAssemblyStatus::Released).page_size(100).send().await?;

    let GetKitAssembliesResponse::Ok(page) = answer.body else { panic!("expected the 200 page") };
    assert_eq!((page.page_number, page.page_size, page.total_count), (Some(1), Some(100), Some(1)));
    let records = page.records.unwrap();
    assert_eq!(records[0].ref_no.as_deref(), Some("KA000123"));
    assert_eq!(records[0].item_id.as_deref(), Some("KIT-1"), "wire name `itemID`");
    assert_eq!(raw_query(&only_request(&server).await), Some("status=R&pageSize=100"));
    Ok(())
}

#[tokio::test]
async fn get_kit_assemblies_sends_every_query_parameter_under_its_wire_name() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/kitassembly"))
        .and(query_param("createdDateTimeCondition", ">="))
        .and(query_param("expandKitAllocations", "false"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "records": [] })))
        .expect(1)
        .mount(&server)
        .await;

    common::visma(&server)
        .kit_assembly()
        .get_kit_assemblies()
        .last_modified_date_time("2024-01-01T00:00:00.000")
        .last_modified_date_time_condition(DateTimeCondition::LessThanOrEqual)
        .created_date_time("2024-01-01 00:00:00")
        .created_date_time_condition(DateTimeCondition::GreaterThanOrEqual)
        .r#type("a/b c")
        .ref_no("ÅØ#?")
        .status(KitAssemblyStatus::Hold)
        .expand_stock_components(true)
        .expand_non_stock_components(false)
        .expand_kit_allocations(false)
        .page_number(3)
        .page_size(25)
        .send()
        .await
        .unwrap();

    let request = only_request(&server).await;
    assert_eq!(
        raw_query(&request),
        Some(
            "lastModifiedDateTime=2024-01-01T00%3A00%3A00.000&lastModifiedDateTimeCondition=%3C%3D\
             &createdDateTime=2024-01-01+00%3A00%3A00&createdDateTimeCondition=%3E%3D&type=a%2Fb+c\
             &refNo=%C3%85%C3%98%23%3F&status=H&expandStockComponents=true&expandNonStockComponents=false\
             &expandKitAllocations=false&pageNumber=3&pageSize=25"
        )
    );
    assert_eq!(request.url.path(), "/v1/kitassembly");
    assert_visma_auth(&request);
}

#[tokio::test]
async fn get_kit_assemblies_sends_open_enum_values_as_given() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/kitassembly"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .mount(&server)
        .await;

    common::visma(&server)
        .kit_assembly()
        .get_kit_assemblies()
        .status(KitAssemblyStatus::Other("X".to_owned()))
        .created_date_time_condition(DateTimeCondition::Other("<>".to_owned()))
        .send()
        .await
        .unwrap();

    assert_eq!(raw_query(&only_request(&server).await), Some("createdDateTimeCondition=%3C%3E&status=X"));
}

#[tokio::test]
async fn get_kit_assemblies_in_background_answers_202() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/kitassembly"))
        .and(header_is("erp-api-background", "none"))
        .respond_with(
            ResponseTemplate::new(202)
                .set_body_json(json!({ "id": "job-ka", "stateLocation": "/v1/background/job-ka" })),
        )
        .expect(1)
        .mount(&server)
        .await;

    let answer = common::visma(&server)
        .kit_assembly()
        .get_kit_assemblies()
        .erp_api_background(BackgroundMode::None)
        .send()
        .await
        .unwrap();

    assert_eq!(answer.status, 202);
    let GetKitAssembliesResponse::Accepted(accepted) = answer.body else { panic!("expected 202") };
    assert_eq!(accepted.id.as_deref(), Some("job-ka"));
}

#[tokio::test]
async fn get_kit_assembly_percent_encodes_slash_space_and_non_ascii_path_values() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/kitassembly/a%2Fb%20c/%C3%85%C3%98%23%3F"))
        .respond_with(ResponseTemplate::new(200).insert_header("ETag", "\"ka-1\"").set_body_json(kit_assembly_body()))
        .expect(1)
        .mount(&server)
        .await;

    let answer = common::visma(&server).kit_assembly().get_kit_assembly("a/b c", "ÅØ#?").send().await.unwrap();

    assert_eq!(answer.etag(), Some(ETag::new("\"ka-1\"")));
    let GetKitAssemblyResponse::Ok(document) = answer.body else { panic!("expected 200") };
    assert_eq!(document.r#type.as_deref(), Some("P"));
    assert_eq!(document.quantity, Some(2.5));
    assert_eq!(document.date.unwrap().to_string(), "2024-01-01T00:00:00");
    assert_eq!(document.created_date_time.unwrap().to_string(), "2024-01-01T08:00:00.123+01:00");
    let line = &document.stock_component_lines.as_ref().unwrap()[0];
    assert_eq!(line.item_id.as_deref(), Some("COMP-1"));
    assert_eq!(line.allow_component_substitution, Some(true));
    let allocation = &line.allocations.as_ref().unwrap()[0];
    assert_eq!(allocation.location.as_ref().unwrap().name.as_deref(), Some("Shelf 1"));
    assert_eq!(document.metadata.as_ref().unwrap().max_page_size, Some(1000));
    assert_eq!(serde_json::to_value(&document).unwrap(), kit_assembly_body(), "decoding loses nothing");
    let request = only_request(&server).await;
    assert_eq!(request.url.path(), "/v1/kitassembly/a%2Fb%20c/%C3%85%C3%98%23%3F");
    assert_eq!(raw_query(&request), None, "`?` and `#` in a value must not start a query or fragment");
}

#[tokio::test]
async fn path_values_that_look_like_url_syntax_stay_inside_their_segment_on_the_wire() {
    // The raw server records the request line exactly as the client wrote it on the socket.
    let cases = [
        ("../admin", "R1", "DELETE /v1/kitassembly/..%2Fadmin/R1 HTTP/1.1"),
        ("?x=1", "R1", "DELETE /v1/kitassembly/%3Fx%3D1/R1 HTTP/1.1"),
        ("#frag", "R1", "DELETE /v1/kitassembly/%23frag/R1 HTTP/1.1"),
        ("P", "%2E%2E", "DELETE /v1/kitassembly/P/%252E%252E HTTP/1.1"),
        ("...", "a\\b", "DELETE /v1/kitassembly/.../a%5Cb HTTP/1.1"),
    ];
    let no_content = b"HTTP/1.1 204 No Content\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".to_vec();
    let server = RawServer::start(vec![no_content; cases.len()]);
    let client = visma_net::Client::new(ClientConfig::new().base_url(server.base_url.clone())).unwrap();

    for (kind, ref_no, _) in cases {
        let answer = client.kit_assembly().delete_kit_assembly(kind, ref_no).send().await.unwrap();
        assert_eq!(answer.body, DeleteKitAssemblyResponse::NoContent);
    }

    let lines: Vec<String> =
        server.request_heads().iter().map(|head| head.lines().next().unwrap_or_default().to_owned()).collect();
    let expected: Vec<&str> = cases.iter().map(|(_, _, line)| *line).collect();
    assert_eq!(lines, expected);
}

#[tokio::test]
async fn dot_segment_path_values_are_refused_before_anything_is_sent() {
    // `.` and `..` cannot travel as a segment: URL parsing treats even `%2E%2E` as `..` and
    // would send `DELETE /v1/R1` (another resource). The client must refuse them.
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(ResponseTemplate::new(204)).mount(&server).await;
    let client = common::visma(&server);

    for (kind, ref_no) in [("..", "R1"), (".", "R1"), ("P", ".."), ("P", ".")] {
        let result = client.kit_assembly().delete_kit_assembly(kind, ref_no).send().await;
        match result {
            Err(Error::InvalidRequest(message)) => assert!(!message.is_empty()),
            other => panic!("({kind:?}, {ref_no:?}) must be refused, got {other:?}"),
        }
    }
    let result = client.background().get_operation_state("..").send().await;
    assert!(matches!(result, Err(Error::InvalidRequest(_))), "{result:?}");

    let sent: Vec<String> = received(&server).await.iter().map(|request| request.url.path().to_owned()).collect();
    assert!(sent.is_empty(), "nothing may be sent, but the server got {sent:?}");
}

#[tokio::test]
async fn delete_kit_assembly_answers_204_no_content() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .and(path("/v1/kitassembly/P/KA%20001"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;

    let answer = common::visma(&server).kit_assembly().delete_kit_assembly("P", "KA 001").send().await.unwrap();

    assert_eq!(answer.status, 204);
    assert_eq!(answer.body, DeleteKitAssemblyResponse::NoContent);
    let request = only_request(&server).await;
    assert_visma_auth(&request);
    assert!(request.body.is_empty());
    assert_eq!(header(&request, "content-type"), None);
}

#[tokio::test]
async fn delete_kit_assembly_in_background_answers_202() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .and(path("/v1/kitassembly/P/KA1"))
        // (wiremock's header matcher splits values at commas: the raw value is checked below)
        .and(header_exists("erp-api-background"))
        .respond_with(ResponseTemplate::new(202).set_body_json(json!({ "id": "job-del" })))
        .expect(1)
        .mount(&server)
        .await;

    let answer = common::visma(&server)
        .kit_assembly()
        .delete_kit_assembly("P", "KA1")
        .erp_api_background(BackgroundMode::from("subscription:x-client=7,x-run=9"))
        .send()
        .await
        .unwrap();

    let DeleteKitAssemblyResponse::Accepted(accepted) = answer.body else { panic!("expected 202") };
    assert_eq!(accepted.id.as_deref(), Some("job-del"));
    let request = only_request(&server).await;
    assert_eq!(header(&request, "erp-api-background"), Some("subscription:x-client=7,x-run=9"));
}

/// A kit assembly to create: `{ "value": ... }` wrappers of every kind, a link, a stock line
/// with an allocation; the rest unset.
fn kit_assembly_insert() -> KitAssemblyInsertDto {
    let allocation = KitAssemblyStockComponentAllocationsUpdateDto::new()
        .with_operation(UpdateOperation::Insert)
        .with_quantity(DtoValueOfNullableOfDecimal::new().with_value(5.0));
    let line = KitAssemblyStockComponentsUpdateDto::new()
        .with_operation(UpdateOperation::Insert)
        .with_line_nbr(DtoValueOfInt32::new().with_value(1))
        .with_item_id(DtoValueOfString::new().with_value("COMP-1"))
        .with_stock_component_line_allocations([allocation]);
    let link = KitAssemblyLinkInsertDto::new()
        .with_order_type(OrderTypeInKitAssemblyLinkInsertDto::new().with_value("SO"))
        .with_order_number(OrderNumberInKitAssemblyLinkInsertDto::new().with_value("000042"));
    let date: api_clients::DateTime = "2024-01-01T00:00:00".parse().unwrap();
    KitAssemblyInsertDto::new()
        .with_kit_assembly_link(link)
        .with_type("P")
        .with_hold(DtoValueOfBoolean::new().with_value(true))
        .with_date(DtoValueOfDateTime::new().with_value(date))
        .with_item_id(DtoValueOfString::new().with_value("KIT-1"))
        .with_uo_m(DtoValueOfString::new().with_value("PCS"))
        .with_quantity(DtoValueOfDecimal::new().with_value(2.5))
        .with_stock_component_lines([line])
}

fn kit_assembly_insert_json() -> serde_json::Value {
    json!({
        "kitAssemblyLink": { "orderType": { "value": "SO" }, "orderNumber": { "value": "000042" } },
        "type": "P",
        "hold": { "value": true },
        "date": { "value": "2024-01-01T00:00:00" },
        "itemId": { "value": "KIT-1" },
        "uoM": { "value": "PCS" },
        "quantity": { "value": 2.5 },
        "stockComponentLines": [{
            "operation": "Insert",
            "lineNbr": { "value": 1 },
            "itemId": { "value": "COMP-1" },
            "stockComponentLineAllocations": [{ "operation": "Insert", "quantity": { "value": 5.0 } }]
        }]
    })
}

#[tokio::test]
async fn create_kit_assembly_posts_wrapped_camel_case_json_and_reads_the_empty_201() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/kitassembly"))
        .and(header_is("content-type", "application/json"))
        .and(body_json(kit_assembly_insert_json()))
        .respond_with(
            ResponseTemplate::new(201)
                // A relative reference: `location()` resolves it against the URL the answer came from
                // (`/v1/kitassembly`), as a browser would.
                .insert_header("Location", "kitassembly/P/KA000124")
                .insert_header("ETag", "\"ka-new\""),
        )
        .expect(1)
        .mount(&server)
        .await;

    let answer = common::visma(&server).kit_assembly().create_kit_assembly(kit_assembly_insert()).send().await.unwrap();

    assert_eq!(answer.status, 201);
    assert_eq!(answer.body, CreateKitAssemblyResponse::Created);
    let expected = format!("{}/v1/kitassembly/P/KA000124", server.uri());
    assert_eq!(answer.location().map(String::from), Some(expected));
    assert_eq!(answer.header("location"), Some("kitassembly/P/KA000124"), "the header itself is kept as sent");
    assert_eq!(answer.etag(), Some(ETag::new("\"ka-new\"")));
    let request = only_request(&server).await;
    assert_eq!(json_body(&request), kit_assembly_insert_json());
    assert_visma_auth(&request);
}

#[tokio::test]
async fn create_kit_assembly_in_background_answers_202() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/kitassembly"))
        .and(header_is("erp-api-background", "https://hooks.example.test/ka"))
        .respond_with(ResponseTemplate::new(202).set_body_json(json!({ "id": "job-ka-post" })))
        .expect(1)
        .mount(&server)
        .await;

    let answer = common::visma(&server)
        .kit_assembly()
        .create_kit_assembly(kit_assembly_insert())
        .erp_api_background(BackgroundMode::from("https://hooks.example.test/ka"))
        .send()
        .await
        .unwrap();

    let CreateKitAssemblyResponse::Accepted(accepted) = answer.body else { panic!("expected 202") };
    assert_eq!(accepted.id.as_deref(), Some("job-ka-post"));
}

#[tokio::test]
async fn update_kit_assembly_puts_json_to_the_encoded_path_and_answers_204() {
    let server = MockServer::start().await;
    let update = KitAssemblyUpdateDto::new()
        .with_hold(DtoValueOfBoolean::new().with_value(false))
        .with_description(DtoValueOfString::new().with_value("Rebuilt – 2 pcs"))
        .with_quantity(DtoValueOfDecimal::new().with_value(2.0));
    let expected = json!({ "hold": { "value": false }, "description": { "value": "Rebuilt – 2 pcs" }, "quantity": { "value": 2.0 } });
    Mock::given(method("PUT"))
        .and(path("/v1/kitassembly/a%2Fb%20c/%C3%85%C3%98%23%3F"))
        .and(body_json(expected.clone()))
        .respond_with(ResponseTemplate::new(204).insert_header("ETag", "\"ka-2\""))
        .expect(1)
        .mount(&server)
        .await;

    let answer =
        common::visma(&server).kit_assembly().update_kit_assembly("a/b c", "ÅØ#?", update).send().await.unwrap();

    assert_eq!(answer.body, UpdateKitAssemblyResponse::NoContent);
    assert_eq!(answer.etag(), Some(ETag::new("\"ka-2\"")));
    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "PUT");
    assert_eq!(json_body(&request), expected);
    assert_eq!(header(&request, "content-type"), Some("application/json"));
}

#[tokio::test]
async fn update_kit_assembly_in_background_answers_202() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(path("/v1/kitassembly/P/KA1"))
        .and(header_is("erp-api-background", "none"))
        .respond_with(ResponseTemplate::new(202).set_body_json(json!({ "id": "job-ka-put" })))
        .expect(1)
        .mount(&server)
        .await;

    let answer = common::visma(&server)
        .kit_assembly()
        .update_kit_assembly("P", "KA1", KitAssemblyUpdateDto::default())
        .erp_api_background(BackgroundMode::None)
        .send()
        .await
        .unwrap();

    let UpdateKitAssemblyResponse::Accepted(accepted) = answer.body else { panic!("expected 202") };
    assert_eq!(accepted.id.as_deref(), Some("job-ka-put"));
    assert_eq!(only_request(&server).await.body, b"{}");
}

#[tokio::test]
async fn release_kit_assembly_posts_without_a_body_and_returns_the_action_result() {
    let server = MockServer::start().await;
    let result = json!({ "actionId": "3f2b", "actionResult": "Done", "errorInfo": null });
    Mock::given(method("POST"))
        .and(path("/v1/kitassembly/a%2Fb%20c/%C3%85%C3%98%23%3F/action/release"))
        .respond_with(ResponseTemplate::new(200).set_body_json(result.clone()))
        .expect(1)
        .mount(&server)
        .await;

    let answer = common::visma(&server).kit_assembly().release_kit_assembly("a/b c", "ÅØ#?").send().await.unwrap();

    assert_eq!(answer.body, ReleaseKitAssemblyResponse::Ok(result));
    let request = only_request(&server).await;
    assert!(request.body.is_empty(), "release takes no body");
    assert_eq!(header(&request, "content-type"), None);
    assert_visma_auth(&request);
}

#[tokio::test]
async fn release_kit_assembly_in_background_answers_202() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/kitassembly/P/KA1/action/release"))
        .and(header_is("erp-api-background", "none"))
        .respond_with(
            ResponseTemplate::new(202)
                .set_body_json(json!({ "id": "job-rel", "stateLocation": "/v1/background/job-rel" })),
        )
        .expect(1)
        .mount(&server)
        .await;

    let answer = common::visma(&server)
        .kit_assembly()
        .release_kit_assembly("P", "KA1")
        .erp_api_background(BackgroundMode::None)
        .send()
        .await
        .unwrap();

    let ReleaseKitAssemblyResponse::Accepted(accepted) = answer.body else { panic!("expected 202") };
    assert_eq!(accepted.state_location.as_deref(), Some("/v1/background/job-rel"));
}

#[tokio::test]
async fn release_kit_assembly_400_keeps_the_body_as_raw_text() {
    let server = MockServer::start().await;
    let body = r#"{"message":"Document is on hold"}"#;
    Mock::given(method("POST"))
        .and(path("/v1/kitassembly/P/KA1/action/release"))
        .respond_with(ResponseTemplate::new(400).set_body_raw(body, "application/json"))
        .mount(&server)
        .await;

    let error = common::visma(&server).kit_assembly().release_kit_assembly("P", "KA1").send().await.unwrap_err();

    let api = error.api().expect("a 400 is an API error");
    assert_eq!(api.status, 400);
    assert_eq!(api.body, ErrorBody::Raw(body.to_owned()));
}
