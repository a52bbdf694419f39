//! GitHub's REST API: a text/plain body answered with HTML, a `+1` reaction (an enum whose wire
//! values are not identifiers), a binary upload, and a tarball download declared as a `302`.

use crate::common;

use common::only_request;
use fixture_clients::corpus_github::types::{
    ReactionContent, ReactionsCreateForIssueBody, ReactionsCreateForIssueBodyContent,
};
use fixture_clients::corpus_github::Client;
use fixture_clients::ClientConfig;
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client(server: &MockServer) -> Client {
    Client::new(ClientConfig::new().base_url(server.uri()).bearer_token("ghp_planted")).unwrap()
}

#[tokio::test]
async fn raw_markdown_is_sent_as_text_and_the_html_comes_back_as_text() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/markdown/raw"))
        .respond_with(ResponseTemplate::new(200).set_body_raw("<p>Hello <strong>world</strong></p>\n", "text/html"))
        .mount(&server)
        .await;

    let answer = client(&server).markdown().markdown_render_raw().body("Hello **world**").send().await.unwrap();

    assert_eq!(answer.body.into_ok().as_deref(), Some("<p>Hello <strong>world</strong></p>\n"));
    let request = only_request(&server).await;
    assert_eq!(common::header(&request, "content-type"), Some("text/plain"));
    assert_eq!(request.body, b"Hello **world**");
}

#[tokio::test]
async fn a_plus_one_reaction_is_sent_and_decoded_by_its_wire_value() {
    let server = MockServer::start().await;
    let reaction = json!({
        "id": 1, "node_id": "MDg6UmVhY3Rpb24x", "user": null, "content": "+1",
        "created_at": "2016-05-20T20:09:31Z"
    });
    Mock::given(method("POST"))
        .and(path("/repos/octo%20org/hello/issues/1347/reactions"))
        .respond_with(ResponseTemplate::new(201).set_body_json(reaction))
        .mount(&server)
        .await;

    let body = ReactionsCreateForIssueBody::new(ReactionsCreateForIssueBodyContent::Plus1);
    let answer =
        client(&server).reactions().reactions_create_for_issue("octo org", "hello", 1347, body).send().await.unwrap();

    let reaction = answer.body.into_created().expect("a 201");
    assert_eq!(reaction.content, ReactionContent::Plus1);
    let request = only_request(&server).await;
    assert_eq!(request.url.path(), "/repos/octo%20org/hello/issues/1347/reactions");
    assert_eq!(common::json_body(&request), json!({"content": "+1"}));
}

#[tokio::test]
async fn a_release_asset_is_uploaded_as_bytes_with_its_name_in_the_query() {
    let server = MockServer::start().await;
    let asset = json!({
        "url": "https://api.github.com/repos/o/r/releases/assets/1", "browser_download_url": "https://github.com/o/r/releases/download/v1/a.zip",
        "id": 1, "node_id": "MDEyOlJlbGVhc2VBc3NldDE=", "name": "a.zip", "label": "Build", "state": "uploaded",
        "content_type": "application/zip", "size": 4, "download_count": 0,
        "created_at": "2013-02-27T19:35:32Z", "updated_at": "2013-02-27T19:35:32Z", "uploader": null
    });
    Mock::given(method("POST"))
        .and(path("/repos/o/r/releases/7/assets"))
        .respond_with(ResponseTemplate::new(201).set_body_json(asset))
        .mount(&server)
        .await;

    let bytes: &[u8] = &[0x50, 0x4b, 0x03, 0x04];
    let answer = client(&server)
        .repos()
        .repos_upload_release_asset("o", "r", 7, "a.zip")
        .label("Build")
        .body(bytes.to_vec())
        .send()
        .await
        .unwrap();

    assert_eq!(answer.body.name, "a.zip");
    assert_eq!(answer.body.size, 4);
    let request = only_request(&server).await;
    assert_eq!(common::raw_query(&request), Some("name=a.zip&label=Build"));
    assert_eq!(common::header(&request, "content-type"), Some("application/octet-stream"));
    assert_eq!(request.body, bytes);
}

#[tokio::test]
async fn the_tarball_redirect_is_the_answer_and_its_location_is_not_fetched() {
    let server = MockServer::start().await;
    let codeload = format!("{}/codeload/o/r/legacy.tar.gz/main", server.uri());
    Mock::given(method("GET"))
        .and(path("/repos/o/r/tarball/main"))
        .respond_with(ResponseTemplate::new(302).insert_header("location", codeload.as_str()))
        .mount(&server)
        .await;

    let answer = client(&server).repos().repos_download_tarball_archive("o", "r", "main").send().await.unwrap();

    assert_eq!(answer.status.as_u16(), 302);
    assert_eq!(answer.location().map(|url| url.to_string()), Some(codeload));
    assert_eq!(
        only_request(&server).await.url.path(),
        "/repos/o/r/tarball/main",
        "the target is the caller's to fetch"
    );
}
