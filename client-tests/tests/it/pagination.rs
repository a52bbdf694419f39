//! Paginated operations (`into_stream`, `collect_all`) against a real HTTP server on loopback: the
//! exact query of every page request, where the walk stops, the maximum page size, and errors.

use crate::common;

use std::future::poll_fn;
use std::pin::Pin;

use api_clients::runtime::Stream;
use api_clients::visma_net::types::BackgroundMode;
use api_clients::{ClientConfig, Error};
use common::{assert_visma_auth, header, raw_query, received};
use serde_json::{json, Value};
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// `count` project tasks numbered from `first`.
fn tasks(first: i32, count: i32) -> Value {
    Value::Array((first..first + count).map(|id| json!({ "internalId": id, "taskId": format!("T-{id}") })).collect())
}

/// Answers `GET /v1/projecttask?…pageNumber=<n>` with `pages[n - 1]`, each page expected once.
async fn mount_task_pages(server: &MockServer, pages: &[Value]) {
    for (index, page) in pages.iter().enumerate() {
        Mock::given(method("GET"))
            .and(path("/v1/projecttask"))
            .and(query_param("pageNumber", (index + 1).to_string()))
            .respond_with(ResponseTemplate::new(200).set_body_json(page))
            .expect(1)
            .mount(server)
            .await;
    }
}

fn queries(requests: &[wiremock::Request]) -> Vec<String> {
    requests.iter().map(|request| raw_query(request).unwrap_or_default().to_owned()).collect()
}

/// The next item of a stream (the tests need no stream combinator crate).
async fn next<S: Stream + ?Sized>(stream: &mut Pin<&mut S>) -> Option<S::Item> {
    poll_fn(|cx| stream.as_mut().poll_next(cx)).await
}

#[tokio::test]
async fn every_page_is_asked_for_with_its_exact_query_and_a_short_page_is_the_last() {
    let server = MockServer::start().await;
    mount_task_pages(&server, &[tasks(1, 2), tasks(3, 2), tasks(5, 1)]).await;

    let client = common::visma(&server);
    let all = client.project_task().get_all_tasks().project_id("P 1").page_size(2).collect_all().await.unwrap();

    let ids: Vec<Option<i32>> = all.iter().map(|task| task.internal_id).collect();
    assert_eq!(ids, [Some(1), Some(2), Some(3), Some(4), Some(5)]);
    let requests = received(&server).await;
    assert_eq!(
        queries(&requests),
        [
            "projectId=P+1&pageNumber=1&pageSize=2",
            "projectId=P+1&pageNumber=2&pageSize=2",
            "projectId=P+1&pageNumber=3&pageSize=2"
        ]
    );
    for request in &requests {
        assert_eq!(request.method.as_str(), "GET");
        assert_eq!(request.url.path(), "/v1/projecttask");
        assert_visma_auth(request);
    }
}

#[tokio::test]
async fn a_server_that_ignores_the_page_number_ends_the_walk_with_an_error_after_two_pages() {
    let server = MockServer::start().await;
    // Every page is the first one, whatever `pageNumber` says.
    Mock::given(method("GET"))
        .and(path("/v1/projecttask"))
        .respond_with(ResponseTemplate::new(200).set_body_json(tasks(1, 2)))
        .mount(&server)
        .await;

    let client = common::visma(&server);
    let error = client.project_task().get_all_tasks().page_size(2).collect_all().await.unwrap_err();

    assert!(matches!(error, Error::Decode(_)), "{error:?}");
    assert!(error.to_string().contains("ignore the page parameter"), "{error}");
    assert_eq!(queries(&received(&server).await), ["pageNumber=1&pageSize=2", "pageNumber=2&pageSize=2"]);
}

#[tokio::test]
async fn an_empty_page_is_the_last_and_the_walk_starts_at_the_builders_page() {
    let server = MockServer::start().await;
    // Full pages 2 and 3, then an empty one: the walk starts where the builder says.
    for (number, page) in [(2, tasks(3, 2)), (3, tasks(5, 2)), (4, json!([]))] {
        Mock::given(method("GET"))
            .and(path("/v1/projecttask"))
            .and(query_param("pageNumber", number.to_string()))
            .respond_with(ResponseTemplate::new(200).set_body_json(page))
            .expect(1)
            .mount(&server)
            .await;
    }

    let client = common::visma(&server);
    let all = client.project_task().get_all_tasks().page_number(2).page_size(2).collect_all().await.unwrap();

    assert_eq!(all.len(), 4);
    assert_eq!(
        queries(&received(&server).await),
        ["pageNumber=2&pageSize=2", "pageNumber=3&pageSize=2", "pageNumber=4&pageSize=2"]
    );
}

#[tokio::test]
async fn without_a_page_size_only_an_empty_page_ends_the_walk() {
    let server = MockServer::start().await;
    // The server's own page size is unknown to the client, so a page of 3 is not "short".
    mount_task_pages(&server, &[tasks(1, 3), tasks(4, 1), json!([])]).await;

    let client = common::visma(&server);
    let all = client.project_task().get_all_tasks().collect_all().await.unwrap();

    assert_eq!(all.len(), 4);
    assert_eq!(queries(&received(&server).await), ["pageNumber=1", "pageNumber=2", "pageNumber=3"]);
}

#[tokio::test]
async fn the_error_of_page_three_is_surfaced_and_ends_the_stream() {
    let server = MockServer::start().await;
    mount_task_pages(&server, &[tasks(1, 2), tasks(3, 2)]).await;
    Mock::given(method("GET"))
        .and(path("/v1/projecttask"))
        .and(query_param("pageNumber", "3"))
        .respond_with(ResponseTemplate::new(500).set_body_string("database unavailable"))
        .expect(1)
        .mount(&server)
        .await;

    let client = common::visma(&server);
    let stream = client.project_task().get_all_tasks().page_size(2).into_stream();
    let mut stream = std::pin::pin!(stream);
    let mut ids = Vec::new();
    let error = loop {
        match next(&mut stream).await {
            Some(Ok(task)) => ids.push(task.internal_id),
            Some(Err(error)) => break error,
            None => panic!("the stream ended without the error of page 3"),
        }
    };
    assert_eq!(ids, [Some(1), Some(2), Some(3), Some(4)]);
    let api = error.api().expect("an API error");
    assert_eq!(api.status.as_u16(), 500);
    assert_eq!(api.body, api_clients::ErrorBody::Raw("database unavailable".to_owned()));
    assert!(next(&mut stream).await.is_none(), "the stream ends after the error");
    assert_eq!(received(&server).await.len(), 3, "no page after the failing one is asked for");

    // `collect_all` returns the same error.
    server.verify().await;
    server.reset().await;
    mount_task_pages(&server, &[tasks(1, 2), tasks(3, 2)]).await;
    Mock::given(method("GET"))
        .and(path("/v1/projecttask"))
        .and(query_param("pageNumber", "3"))
        .respond_with(ResponseTemplate::new(500))
        .expect(1)
        .mount(&server)
        .await;
    let error = client.project_task().get_all_tasks().page_size(2).collect_all().await.unwrap_err();
    assert_eq!(error.status().map(|status| status.as_u16()), Some(500));
}

#[tokio::test]
async fn a_page_answered_as_a_background_job_is_an_error_and_the_header_is_never_sent() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/projecttask"))
        .respond_with(
            ResponseTemplate::new(202).set_body_json(json!({ "id": "job-9", "stateLocation": "/v1/background/job-9" })),
        )
        .expect(1)
        .mount(&server)
        .await;

    let client = common::visma(&server);
    let error = client
        .project_task()
        .get_all_tasks()
        .erp_api_background(BackgroundMode::None)
        .page_size(10)
        .collect_all()
        .await
        .unwrap_err();

    match &error {
        Error::Decode(decode) => {
            assert_eq!(decode.status.as_u16(), 202);
            assert!(decode.message.contains("carries no items"), "{}", decode.message);
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
    let requests = received(&server).await;
    assert_eq!(header(&requests[0], "erp-api-background"), None, "a page request is never queued");
}

#[tokio::test]
async fn the_items_of_an_envelope_field_are_walked_too() {
    let server = MockServer::start().await;
    let page = |refs: &[&str]| {
        json!({
            "pageNumber": 1,
            "pageSize": 2,
            "totalCount": 3,
            "records": refs.iter().map(|r| json!({ "type": "P", "refNo": r })).collect::<Vec<_>>()
        })
    };
    for (number, body) in [(1, page(&["K1", "K2"])), (2, page(&["K3"]))] {
        Mock::given(method("GET"))
            .and(path("/v1/kitassembly"))
            .and(query_param("pageNumber", number.to_string()))
            .respond_with(ResponseTemplate::new(200).set_body_json(body))
            .expect(1)
            .mount(&server)
            .await;
    }

    let client = common::visma(&server);
    let all = client
        .kit_assembly()
        .get_kit_assemblies()
        .expand_kit_allocations(true)
        .page_size(2)
        .collect_all()
        .await
        .unwrap();

    let refs: Vec<Option<&str>> = all.iter().map(|kit| kit.ref_no.as_deref()).collect();
    assert_eq!(refs, [Some("K1"), Some("K2"), Some("K3")]);
    assert_eq!(
        queries(&received(&server).await),
        ["expandKitAllocations=true&pageNumber=1&pageSize=2", "expandKitAllocations=true&pageNumber=2&pageSize=2"]
    );
}

// ---------------------------------------------------------------------------------------------
// The pagination fixture: a maximum page size, page numbers from 0, offset and limit.
// ---------------------------------------------------------------------------------------------

fn fixture_client(server: &MockServer) -> fixture_clients::pagination::Client {
    fixture_clients::pagination::Client::new(fixture_clients::ClientConfig::new().base_url(server.uri())).unwrap()
}

fn items(first: i64, count: i64) -> Vec<Value> {
    (first..first + count).map(|id| json!({ "id": id })).collect()
}

#[tokio::test]
async fn the_page_size_is_capped_at_the_maximum_and_defaults_to_it() {
    let server = MockServer::start().await;
    for (number, count) in [(1, 100), (2, 7)] {
        Mock::given(method("GET"))
            .and(path("/pages"))
            .and(query_param("page", number.to_string()))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "records": items(number * 1000, count) })))
            .expect(2)
            .mount(&server)
            .await;
    }

    let client = fixture_client(&server);
    // A page size over the documented 100 is capped (a server that caps silently would answer
    // 100 items, and a walk comparing against 500 would stop after page 1)...
    let capped = client.items().list_pages().filter("a").page_size(500).collect_all().await.unwrap();
    // ...and without a page size the maximum is asked for.
    let default = client.items().list_pages().filter("a").collect_all().await.unwrap();

    assert_eq!(capped.len(), 107);
    assert_eq!(default.len(), 107);
    assert_eq!(
        queries(&received(&server).await),
        [
            "filter=a&page=1&pageSize=100",
            "filter=a&page=2&pageSize=100",
            "filter=a&page=1&pageSize=100",
            "filter=a&page=2&pageSize=100"
        ]
    );
}

#[tokio::test]
async fn an_envelope_without_its_items_field_is_an_empty_last_page() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/pages"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "totalCount": 0 })))
        .expect(1)
        .mount(&server)
        .await;

    let all = fixture_client(&server).items().list_pages().collect_all().await.unwrap();
    assert!(all.is_empty());
}

#[tokio::test]
async fn page_numbers_can_start_at_zero() {
    let server = MockServer::start().await;
    for (number, count) in [(0, 2), (1, 0)] {
        Mock::given(method("GET"))
            .and(path("/zero"))
            .and(query_param("p", number.to_string()))
            .respond_with(ResponseTemplate::new(200).set_body_json(items(number * 10, count)))
            .expect(1)
            .mount(&server)
            .await;
    }

    let all = fixture_client(&server).items().list_from_zero().n(2).collect_all().await.unwrap();
    assert_eq!(all.iter().map(|item| item.id).collect::<Vec<_>>(), [0, 1]);
    assert_eq!(queries(&received(&server).await), ["p=0&n=2", "p=1&n=2"]);
}

#[tokio::test]
async fn offsets_advance_by_the_items_received_and_a_short_page_is_the_last() {
    let server = MockServer::start().await;
    for (skip, count) in [(0, 3), (3, 3), (6, 2)] {
        Mock::given(method("GET"))
            .and(path("/offsets"))
            .and(query_param("skip", skip.to_string()))
            .respond_with(ResponseTemplate::new(200).set_body_json(items(skip, count)))
            .expect(1)
            .mount(&server)
            .await;
    }

    let all = fixture_client(&server).items().list_offsets().top(3).collect_all().await.unwrap();

    assert_eq!(all.iter().map(|item| item.id).collect::<Vec<_>>(), [0, 1, 2, 3, 4, 5, 6, 7]);
    assert_eq!(queries(&received(&server).await), ["skip=0&top=3", "skip=3&top=3", "skip=6&top=3"]);
}

#[tokio::test]
async fn a_stream_is_lazy_one_request_per_page_as_it_is_read() {
    let server = MockServer::start().await;
    mount_task_pages(&server, &[tasks(1, 2), tasks(3, 2)]).await;
    // Only two of the pages are read below; the mocks of page 2 would fail `expect(1)` if the
    // stream fetched ahead, and the client must not ask for page 3 at all.
    Mock::given(method("GET"))
        .and(query_param("pageNumber", "3"))
        .respond_with(ResponseTemplate::new(200))
        .expect(0)
        .mount(&server)
        .await;

    let client =
        api_clients::visma_net::Client::new(ClientConfig::new().base_url(server.uri()).bearer_token("t")).unwrap();
    let stream = client.project_task().get_all_tasks().page_size(2).into_stream();
    let mut stream = std::pin::pin!(stream);
    let mut read = Vec::new();
    for _ in 0..3 {
        read.push(next(&mut stream).await.unwrap().unwrap().internal_id);
    }
    assert_eq!(read, [Some(1), Some(2), Some(3)]);
    assert_eq!(received(&server).await.len(), 2);
}

#[tokio::test]
async fn a_cursor_walk_sends_back_each_pages_cursor_through_a_short_page_until_none_is_given() {
    let server = MockServer::start().await;
    // The first page is asked for without a cursor; the second is short, and not the last.
    let pages = [
        (None, json!({ "items": items(1, 3), "nextPageToken": "c/2+" })),
        (Some("c/2+"), json!({ "items": items(4, 1), "nextPageToken": "c3" })),
        (Some("c3"), json!({ "items": items(5, 2), "nextPageToken": null })),
    ];
    for (token, page) in pages {
        let mock = Mock::given(method("GET")).and(path("/cursor")).and(query_param("kind", "open"));
        let mock = match token {
            Some(token) => mock.and(query_param("pageToken", token)),
            None => mock.and(wiremock::matchers::query_param_is_missing("pageToken")),
        };
        mock.respond_with(ResponseTemplate::new(200).set_body_json(page)).expect(1).mount(&server).await;
    }

    let all = fixture_client(&server).items().list_cursor().kind("open").collect_all().await.unwrap();

    assert_eq!(all.iter().map(|item| item.id).collect::<Vec<_>>(), [1, 2, 3, 4, 5, 6]);
    assert_eq!(
        queries(&received(&server).await),
        ["kind=open", "pageToken=c%2F2%2B&kind=open", "pageToken=c3&kind=open"]
    );
}

#[tokio::test]
async fn a_server_that_gives_back_the_same_cursor_ends_the_walk_with_an_error() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/cursor"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "items": [], "nextPageToken": "stuck" })))
        .mount(&server)
        .await;

    let error = fixture_client(&server).items().list_cursor().collect_all().await.unwrap_err();

    assert!(error.to_string().contains("the same cursor"), "{error}");
    assert_eq!(queries(&received(&server).await), ["", "pageToken=stuck"]);
}
