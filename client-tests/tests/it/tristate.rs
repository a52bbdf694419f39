//! Tri-state fields (optional and nullable: `Nullable<T>`) against a real HTTP server on loopback:
//! a PATCH that leaves a field out, sends one as `null` and sets one, with the exact body received;
//! an answer with a member missing, one `null` and one set; `null` items and cursor; a form; a job.

use fixture_clients::tristate::types::{Address, Profile, ProfilePatch, SearchForm};
use fixture_clients::tristate::Client;
use fixture_clients::{ClientConfig, Error, JobError, Nullable};
use serde_json::json;
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::common::{header, only_request, received};

fn client(server: &MockServer) -> Client {
    Client::new(ClientConfig::new().base_url(server.uri())).expect("a loopback base URL is a valid configuration")
}

#[tokio::test]
async fn a_patch_leaves_out_an_absent_field_sends_null_and_sends_a_value() {
    let server = MockServer::start().await;
    let answer = json!({ "id": 7, "nickname": null, "bio": null, "email": "a@example.com" });
    Mock::given(method("PATCH"))
        .and(path("/profiles/7"))
        .respond_with(ResponseTemplate::new(200).set_body_json(answer))
        .expect(1)
        .mount(&server)
        .await;
    // `age` stays absent; a literal number and a `&str` convert as they do for other setters.
    let patch = ProfilePatch::new()
        .with_nickname(Nullable::Null)
        .with_score(1.5)
        .with_tags(["a", "b"].map(str::to_owned))
        .with_address(Address::new("Oslo"));
    assert!(patch.age.is_absent());

    let profile = client(&server).profiles().update(7, patch).send().await.expect("200 decodes").into_body();

    let request = only_request(&server).await;
    assert_eq!(header(&request, "content-type"), Some("application/json"));
    assert_eq!(
        String::from_utf8(request.body).unwrap(),
        r#"{"nickname":null,"score":1.5,"tags":["a","b"],"address":{"city":"Oslo"}}"#
    );
    // `age` is missing, `nickname` is `null`; `bio` is required and nullable, an `Option`.
    assert_eq!(profile.age, Nullable::Absent);
    assert_eq!(profile.nickname, Nullable::Null);
    assert_eq!(profile.bio, None);
    assert_eq!(profile.email.as_deref(), Some("a@example.com"));
    assert_eq!(profile, Profile::new(7).with_nickname(Nullable::Null).with_email("a@example.com"));
}

#[tokio::test]
async fn an_answer_tells_missing_null_and_set_apart_and_a_value_travels_back_unchanged() {
    let server = MockServer::start().await;
    let answer = json!({ "id": 1, "nickname": "neo", "age": null, "bio": "b" });
    Mock::given(method("PATCH"))
        .and(path("/profiles/1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(answer))
        .expect(1)
        .mount(&server)
        .await;
    let patch = ProfilePatch::new().with_nickname("neo").with_age(42).with_tags(Nullable::Null);

    let profile = client(&server).profiles().update(1, patch).send().await.expect("200 decodes").into_body();

    assert_eq!(
        String::from_utf8(only_request(&server).await.body).unwrap(),
        r#"{"nickname":"neo","age":42,"tags":null}"#
    );
    assert_eq!(profile.nickname.value().map(String::as_str), Some("neo"));
    assert!(profile.age.is_null());
    assert_eq!(profile.bio.as_deref(), Some("b"));
    assert!(profile.email.is_none());
    // A value of the wrong type is still a decode error, not `Null`.
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .and(path("/profiles/1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "id": 1, "bio": null, "age": "old" })))
        .mount(&server)
        .await;
    let error = client(&server).profiles().update(1, ProfilePatch::new()).send().await.unwrap_err();
    assert!(error.to_string().contains("age"), "{error}");
}

#[tokio::test]
async fn a_null_cursor_ends_the_walk_and_null_items_are_an_empty_page() {
    let server = MockServer::start().await;
    let pages = [
        (None, json!({ "items": [{ "id": 1, "bio": null }], "next": "c2" })),
        (Some("c2"), json!({ "items": null, "next": "c3" })),
        (Some("c3"), json!({ "items": [{ "id": 3, "bio": null }], "next": null })),
    ];
    for (cursor, page) in pages {
        let mock = Mock::given(method("GET")).and(path("/profiles"));
        let mock = match cursor {
            Some(cursor) => mock.and(query_param("cursor", cursor)),
            None => mock.and(wiremock::matchers::query_param_is_missing("cursor")),
        };
        mock.respond_with(ResponseTemplate::new(200).set_body_json(page)).expect(1).mount(&server).await;
    }

    let all = client(&server).profiles().list().collect_all().await.unwrap();

    assert_eq!(all.iter().map(|profile| profile.id).collect::<Vec<_>>(), [1, 3]);
    let queries: Vec<_> = received(&server).await.iter().map(|r| r.url.query().unwrap_or("").to_owned()).collect();
    assert_eq!(queries, ["", "cursor=c2", "cursor=c3"]);
}

#[tokio::test]
async fn a_form_sends_set_fields_only_as_a_form_has_no_null() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/profiles/search"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
        .expect(1)
        .mount(&server)
        .await;
    let form = SearchForm::new().with_q(Nullable::Null).with_kinds(["x".to_owned(), "y z".to_owned()]);

    client(&server).profiles().search(form).send().await.expect("200 decodes");

    assert_eq!(String::from_utf8(only_request(&server).await.body).unwrap(), "kinds=x&kinds=y+z");
}

#[tokio::test(start_paused = true)]
async fn a_jobs_tri_state_id_status_and_message_are_read_as_their_values() {
    for (message, expected) in [(json!("disk full"), Some("disk full")), (json!(null), None)] {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path("/profiles/export"))
            .respond_with(ResponseTemplate::new(202).set_body_json(json!({ "jobId": "j-1" })))
            .expect(1)
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(path("/jobs/j-1"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "status": "failed", "message": message })))
            .expect(1)
            .mount(&server)
            .await;

        // On the paused clock, no timer may run but the job's backoff: no request timeout and no
        // idle connection, whose expiry the clock would jump to while the loopback server answers.
        let http = reqwest::Client::builder().pool_max_idle_per_host(0).build().unwrap();
        let config = ClientConfig::new().base_url(server.uri()).timeout(None).http_client(http);
        let job = Client::new(config).unwrap().profiles().export().send_in_background().await.unwrap();
        let error = job.wait().await.unwrap_err();

        match &error {
            Error::Job(JobError::Failed { id, status, message }) => {
                assert_eq!((id.as_str(), status.as_str(), message.as_deref()), ("j-1", "failed", expected));
            }
            other => panic!("expected a failed job, got {other:?}"),
        }
        assert_eq!(header(&received(&server).await[0], "x-async"), Some("true"));
    }
}
